// Routing and the per-request catch boundary.
#include "server/http/dispatch.hpp"

#include "server/app/log.hpp"
#include "server/http/problem.hpp"

namespace loa::http {

boost::asio::awaitable<dispatched> dispatch(std::span<const route> table, request req, app::context& ctx) {
    const match_result m = match(table, req);
    if (m.kind == match_kind::not_found) {
        co_return dispatched{problem(404, "Not Found", "No resource at " + req.path + "."), "unmatched"};
    }
    if (m.kind == match_kind::method_not_allowed) {
        auto res = problem(405, "Method Not Allowed", req.method + " is not allowed here; allowed: " + m.allow + ".");
        res.headers.emplace_back("Allow", m.allow);
        co_return dispatched{std::move(res), "unmatched"};
    }

    const std::string method = req.method;
    const std::string target = req.target;
    // The one catch boundary: the client learns nothing of the internals, the log learns what.
    // The awaited response is assigned on its own: GCC 12 mishandles co_await inside braced
    // initialisers.
    response res;
    bool failed = false;
    try {
        res = co_await m.matched->fn(std::move(req), ctx);
    } catch (const std::exception& e) {
        app::log_line("error: " + method + " " + target + ": " + e.what());
        failed = true;
    } catch (...) {
        app::log_line("error: " + method + " " + target + ": unknown exception");
        failed = true;
    }
    if (failed) res = problem(500, "Internal Server Error", "The server could not complete the request.");
    co_return dispatched{std::move(res), m.matched->pattern};
}

}  // namespace loa::http
