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
    try {
        co_return dispatched{co_await m.matched->fn(std::move(req), ctx), m.matched->pattern};
    } catch (const std::exception& e) {
        app::log_line("error: " + method + " " + target + ": " + e.what());
    } catch (...) {
        app::log_line("error: " + method + " " + target + ": unknown exception");
    }
    co_return dispatched{problem(500, "Internal Server Error", "The server could not complete the request."),
                         m.matched->pattern};
}

}  // namespace loa::http
