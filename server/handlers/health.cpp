// GET /healthz: answers only when the db thread does, so a wedged database shows up here.
#include "server/handlers/health.hpp"

#include <SQLiteCpp/Database.h>

#include "server/http/problem.hpp"

namespace loa::handlers {

namespace {

int ping(core::database& db) { return db.sql().execAndGet("SELECT 1").getInt(); }

}  // namespace

boost::asio::awaitable<http::response> get_health(http::request, app::context& ctx) {
    int one = 0;
    try {
        one = co_await ctx.db.run(ping);
    } catch (const std::exception&) {
        one = 0;
    }
    if (one != 1) co_return http::problem(503, "Service Unavailable", "The database does not answer.");
    http::response res;
    res.body = R"({"status":"ok"})";
    res.headers.emplace_back("Cache-Control", "no-store");
    co_return res;
}

}  // namespace loa::handlers
