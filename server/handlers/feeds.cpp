// (being written)
#include "server/handlers/feeds.hpp"

#include "server/http/problem.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_outlet_feed(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> get_campaign_feed(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> get_feed_tokens_page(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> post_feed_token(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> post_revoke_feed_token(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

}  // namespace loa::handlers
