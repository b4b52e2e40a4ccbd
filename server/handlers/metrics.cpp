// GET /metrics: the registry's exposition plus the db queue depth sampled now.
#include "server/handlers/metrics.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_metrics(http::request, app::context& ctx) {
    http::response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = ctx.metrics.render(ctx.db.queue_depth());
    res.headers.emplace_back("Cache-Control", "no-store");
    co_return res;
}

}  // namespace loa::handlers
