// One request through the route table: 404, 405 with Allow, the signed-in user (session cookie),
// the route's access level and the CSRF token, then the handler — inside the request's one catch
// boundary, where an exception becomes an opaque 500 and one log line. Beast-free.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"
#include "server/http/router.hpp"

namespace loa::http {

// Why dispatch() answered without calling the handler (for tests and logs).
enum class refusal {
    none,            // the handler ran (or routing answered 404/405)
    not_signed_in,   // the route needs a role and no valid session came: 303 to /login or 401
    forbidden_role,  // signed in, but the role is below the route's need: 403
    csrf,            // a state-changing request of a session without its CSRF token: 403
};

struct dispatched {
    response res;
    std::string_view route;  // the matched pattern, or "unmatched" (a label for metrics)
    refusal refused = refusal::none;
};

// Before the handler: the session cookie (if any) is looked up on the db executor and req.user set
// (req.lang too, from the user's preference); access is checked with app::allows(route.need, user):
// no user → a browser (Accept: text/html, or a path outside /api/) gets 303 to /login?next=<target>
// (plain /login for a POST), an API client 401 problem+json; a user without the role → 403
// (problem+json under /api/, an HTML page otherwise). Then every request of a signed-in user whose method is
// not GET/HEAD/OPTIONS must carry the session's CSRF token (X-CSRF-Token header, or form field `csrf_token`)
// → else 403; the one exception is POST /login, whose form carries the login pre-session token
// (app/auth.hpp). Responses to requests that carried a session get Cache-Control: no-store (unless the
// handler set Cache-Control); a session cookie that names no live session is cleared. Never throws (except
// std::bad_alloc while building the 500 itself).
[[nodiscard]] boost::asio::awaitable<dispatched> dispatch(std::span<const route> table, request req,
                                                          app::context& ctx);

// What the session read of a GET or HEAD that carries no Cookie header: views into its request
// (the first header of each name, as request::header gives it).
struct plain_get {
    std::string_view target;
    std::optional<std::string_view> authorization, if_none_match, if_modified_since, accept_encoding;
    head_key known_head;  // the head the connection holds (response::head_reused)
    std::chrono::steady_clock::time_point read_at{};  // when the request was read (none: now)
};

// What dispatch_from_memory needs of a route table, worked out once (the table must outlive it):
// for each feed area, the feed's GET route ("/feeds/outlets/{slug}/{file}",
// "/feeds/campaigns/{slug}/{file}"; absent: none) and the GET routes before it that match some of its
// paths (a literal file name, say). find_route gives the feed's route unless one of those matches.
class memory_routes {
public:
    explicit memory_routes(std::span<const route> table);
    // The feed route find_route(table, "GET", path) gives for `path` (four non-empty segments, the
    // first "feeds", the second "outlets" when `outlets`, else "campaigns": the caller checks that),
    // or null when it gives another or none.
    [[nodiscard]] const route* route_for(bool outlets, std::span<const std::string_view> path) const;

    struct feed_plan {
        const route* feed = nullptr;
        std::vector<const route*> before;
    };

private:
    feed_plan outlets_, campaigns_;
};

// The answer of dispatch() when memory alone gives it, without a request object, a coroutine or
// SQL: a feed file whose first matching GET route in `table` is "/feeds/outlets/{slug}/{file}" or
// "/feeds/campaigns/{slug}/{file}" (open to anyone), whose target needs no decoding (path and query
// of unreserved characters, '/', '=' and '&'), and that feeds::answer_from_memory answers (fresh
// bytes; for an outlet a live token and no token-use write due). nullopt otherwise: the caller
// dispatches the request, which gives the same answer the slow way. Never throws std::exception.
[[nodiscard]] std::optional<dispatched> dispatch_from_memory(const memory_routes& table, const plain_get& req,
                                                             app::context& ctx) noexcept;

}  // namespace loa::http
