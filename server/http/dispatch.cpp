// Routing, the session and access check, CSRF, and the per-request catch boundary.
#include "server/http/dispatch.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/storage/user_store.hpp"
#include "server/app/auth.hpp"
#include "server/app/log.hpp"
#include "server/feeds/feed_cache.hpp"
#include "server/feeds/redact.hpp"
#include "server/app/permissions.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"

namespace loa::http {

namespace {

// The session lookup, run on the db thread (named, per db_executor::run).
struct load_session {
    std::string id;
    core::session_limits limits;
    std::optional<core::session_user> operator()(core::database& db) const {
        return core::find_session(db, id, std::chrono::system_clock::now(), limits);
    }
};

// Whether `pattern` matches some path "/feeds/{area}/{slug}/{file}".
bool may_match_area(std::string_view pattern, std::string_view area) {
    const auto seg = path_segments(pattern);
    const auto fits = [](std::string_view p, std::string_view literal) { return is_capture(p) || p == literal; };
    return seg.size() == 4 && fits(seg[0], "feeds") && fits(seg[1], area) && !seg[2].empty() && !seg[3].empty();
}

memory_routes::feed_plan plan_feed_route(std::span<const route> table, std::string_view area, std::string_view pattern) {
    memory_routes::feed_plan plan;
    for (const auto& r : table) {
        if (r.method != "GET") continue;
        if (r.pattern == pattern) {
            plan.feed = &r;
            break;
        }
        if (may_match_area(r.pattern, area)) plan.before.push_back(&r);
    }
    return plan;
}

principal to_principal(const core::session_user& s, const std::string& session_id) {
    principal p;
    p.user_id = s.user.id;
    p.name = s.user.name;
    p.role = s.user.role;
    p.department = s.user.department;
    p.department_name = s.department_name;
    p.language = s.user.language;
    p.session_id = session_id;
    p.csrf_token = s.csrf_token;
    return p;
}

bool has_header(const response& res, std::string_view name) {
    for (const auto& [k, v] : res.headers) {
        if (k.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < k.size() && same; ++i) {
            char c = k[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            same = c == name[i];
        }
        if (same) return true;
    }
    return false;
}

// True when the client asked for HTML (a browser navigating or submitting a form).
bool accepts_html(const request& req) {
    const auto accept = req.header("accept");
    return accept && accept->find("text/html") != std::string::npos;
}

// Routing errors and 500s: an HTML page for a browser on a page path, problem+json otherwise (API
// clients, scripts, tests that do not ask for HTML).
response routing_error(const request& req, unsigned status, std::string detail) {
    if (web::wants_html(req) && accepts_html(req)) return web::error_page(req, status);
    return problem(status, status_title(status), std::move(detail));
}

// What an error page needs of a request whose body has gone to the handler.
request error_context(const request& req) {
    request r;
    r.method = req.method;
    r.target = req.target;
    r.path = req.path;
    r.headers = req.headers;
    r.user = req.user;
    r.lang = req.lang;
    return r;
}

// The page a form was sent from, when the Referer names this server (the request's Host, or the
// public_url's host, which a proxy in front may not pass on as Host): its path and query, else
// nullopt. Browsers send it for same-origin posts (loa's Referrer-Policy is same-origin).
std::optional<std::string> page_sent_from(const request& req, const std::string& public_url) {
    const auto referer = req.header("referer");
    if (!referer) return std::nullopt;
    const auto url = boost::urls::parse_absolute_uri(*referer);
    if (!url || (url->scheme() != "http" && url->scheme() != "https")) return std::nullopt;
    const auto host = req.header("host");
    bool ours = host && url->encoded_authority() == *host;
    if (!ours && !public_url.empty()) {
        const auto base = boost::urls::parse_absolute_uri(public_url);
        ours = base && base->scheme() == url->scheme() && base->encoded_authority() == url->encoded_authority();
    }
    if (!ours) return std::nullopt;
    std::string target(url->encoded_path());
    if (url->has_query()) target += "?" + std::string(url->encoded_query());
    if (!web::is_local_path(target)) return std::nullopt;
    return target;
}

response refuse(const request& req, refusal why, const std::string& public_url) {
    const bool browser = app::is_browser(req);
    const bool api = req.path == "/api" || req.path.starts_with("/api/");
    if (why == refusal::not_signed_in) {
        if (browser) {
            // `next` is the page asked for (the login page only follows local paths). A form posted
            // after the session ended comes back to the page it was sent from (its target may answer
            // POST only), where /static/loa.js puts back what was typed into it.
            std::string back = req.target;
            if (!app::is_safe_method(req.method)) {
                const auto from = page_sent_from(req, public_url);
                if (!from) return web::redirect("/login");
                back = *from;
            }
            const std::string next = boost::urls::encode(back, boost::urls::unreserved_chars);
            return web::redirect("/login?next=" + next);
        }
        auto res = problem(401, "Unauthorized", "Sign in first: this resource needs a session.");
        res.headers.emplace_back("WWW-Authenticate", "Cookie realm=\"loa\"");
        return res;
    }
    if (browser && !api) return web::error_page(req, 403);
    const std::string detail = why == refusal::csrf ? "The request did not carry this session's CSRF token."
                                                    : "Your role does not allow this.";
    return problem(403, "Forbidden", detail);
}

}  // namespace

boost::asio::awaitable<dispatched> dispatch(std::span<const route> table, request req, app::context& ctx) {
    // The session, when the request carries its cookie (before routing: error pages show the
    // signed-in layout too). The lookup runs on the db thread.
    const std::string cookie_name = app::session_cookie_name(ctx.config);
    const std::optional<std::string> session_id = app::cookie_value(req, cookie_name);
    bool stale_cookie = false;
    if (session_id && !session_id->empty()) {
        const load_session job{*session_id, app::session_limits_for(ctx.config)};
        std::optional<core::session_user> found;
        found = co_await ctx.db.run(job);
        if (found) {
            req.user = to_principal(*found, *session_id);
        } else {
            stale_cookie = true;
        }
    }
    // The page language: the user's preference, the `lang` cookie, Accept-Language, else vi.
    req.lang = web::choose_language(req);
    const bool signed_in = req.user.has_value();

    const match_result m = match(table, req);
    refusal refused = refusal::none;
    std::string_view label = "unmatched";
    response res;
    if (m.kind == match_kind::not_found) {
        res = routing_error(req, 404, "No resource at " + req.path + ".");
    } else if (m.kind == match_kind::method_not_allowed) {
        res = routing_error(req, 405, req.method + " is not allowed here; allowed: " + m.allow + ".");
        res.headers.emplace_back("Allow", m.allow);
    } else {
        label = m.matched->pattern;
        if (!app::allows(m.matched->need, req.user)) {
            refused = signed_in ? refusal::forbidden_role : refusal::not_signed_in;
        } else if (signed_in && !app::is_safe_method(req.method)) {
            const auto token = app::submitted_csrf_token(req);
            // The login form carries the pre-session token instead (it is rendered before any
            // session exists, or for a planted one); it is as strong a proof of origin, and the
            // login handler checks it.
            const bool login_form = req.path == "/login" && app::login_token_valid(req, ctx.config);
            if (!login_form && (!token || !app::tokens_equal(*token, req.user->csrf_token)))
                refused = refusal::csrf;
        }
        if (refused != refusal::none) res = refuse(req, refused, ctx.config.public_url);
    }
    // A page form's body must be one its handler reads (app::form_body_readable says why).
    bool unreadable = false;
    if (m.kind == match_kind::matched && refused == refusal::none && !app::is_safe_method(req.method) &&
        web::wants_html(req) && !app::form_body_readable(req)) {
        unreadable = true;
        res = routing_error(req, 415,
                            "A form is sent as application/x-www-form-urlencoded (what the page's form sends); "
                            "this body is " + std::string(req.header("content-type").value_or("of no stated type")) +
                            ", whose fields would be read as missing.");
    }

    if (m.kind == match_kind::matched && refused == refusal::none && !unreadable) {
        const std::string method = req.method;
        const std::string target = feeds::redact_token(req.target);  // feed tokens never reach a log
        const request kept_for_errors = error_context(req);
        // The one catch boundary: the client learns nothing of the internals, the log learns what.
        // The awaited response is assigned on its own: GCC 12 mishandles co_await inside braced
        // initialisers.
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
        if (failed) res = routing_error(kept_for_errors, 500, "The server could not complete the request.");
    }

    // A page shown to a signed-in user must not be kept by caches or the back button after logout.
    if ((signed_in || stale_cookie) && !has_header(res, "cache-control"))
        res.headers.emplace_back("Cache-Control", "no-store");
    // A cookie that names no live session (expired, logged out elsewhere) is removed.
    if (stale_cookie && !has_header(res, "set-cookie"))
        res.headers.emplace_back("Set-Cookie", app::clear_session_cookie(ctx.config));
    // NOLINTNEXTLINE(clang-analyzer-cplusplus.Move): moved once, here (the analyzer misreads the coroutine)
    co_return dispatched{std::move(res), label, refused};
}

namespace {

// A character that stands for itself in a path or query: no percent-decoding, no '+' for space.
bool plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

}  // namespace

memory_routes::memory_routes(std::span<const route> table)
    : outlets_(plan_feed_route(table, "outlets", "/feeds/outlets/{slug}/{file}")),
      campaigns_(plan_feed_route(table, "campaigns", "/feeds/campaigns/{slug}/{file}")) {}

const route* memory_routes::route_for(bool outlets, std::span<const std::string_view> path) const {
    const feed_plan& plan = outlets ? outlets_ : campaigns_;
    if (plan.feed == nullptr) return nullptr;
    for (const route* r : plan.before)
        if (pattern_matches(r->pattern, path)) return nullptr;
    return plan.feed;
}

std::optional<dispatched> dispatch_from_memory(const memory_routes& table, const plain_get& req,
                                               app::context& ctx) noexcept {
    try {
        if (ctx.feeds == nullptr) return std::nullopt;
        const std::string_view target = req.target;
        const auto q = target.find('?');
        const std::string_view path = target.substr(0, q);
        const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
        if (!path.starts_with("/feeds/")) return std::nullopt;
        for (const char c : path)
            if (c != '/' && !plain_char(c)) return std::nullopt;
        for (const char c : query)
            if (c != '=' && c != '&' && !plain_char(c)) return std::nullopt;

        // "/feeds/{outlets|campaigns}/{slug}/{file}": four non-empty segments.
        std::array<std::string_view, 4> seg;
        std::string_view rest = path.substr(1);
        for (std::size_t i = 0; i < seg.size(); ++i) {
            const auto slash = rest.find('/');
            if ((slash == std::string_view::npos) != (i + 1 == seg.size())) return std::nullopt;
            seg[i] = rest.substr(0, slash);
            if (seg[i].empty()) return std::nullopt;
            if (slash != std::string_view::npos) rest.remove_prefix(slash + 1);
        }
        feeds::memory_request m;
        if (seg[1] == "outlets") {
            m.kind = feeds::feed_kind::outlet;
        } else if (seg[1] == "campaigns") {
            m.kind = feeds::feed_kind::campaign;
        } else {
            return std::nullopt;
        }
        // The route the table gives this path must be the feed's, open to anyone.
        const route* r = table.route_for(m.kind == feeds::feed_kind::outlet, seg);
        if (r == nullptr || r->need != access::anyone) return std::nullopt;

        // The first `token` query parameter (no decoding needed: checked above).
        if (q != std::string_view::npos) {
            std::string_view params = query;
            for (;;) {
                const auto amp = params.find('&');
                const std::string_view p = params.substr(0, amp);
                const auto eq = p.find('=');
                if (p.substr(0, eq) == "token") {
                    m.query_token = eq == std::string_view::npos ? std::string_view{} : p.substr(eq + 1);
                    break;
                }
                if (amp == std::string_view::npos) break;
                params.remove_prefix(amp + 1);
            }
        }
        m.slug = seg[2];
        m.file = seg[3];
        m.authorization = req.authorization;
        m.if_none_match = req.if_none_match;
        m.if_modified_since = req.if_modified_since;
        m.accept_encoding = req.accept_encoding;
        m.known_head = req.known_head;
        // One reading of each clock: the server's (as_of) from the real one.
        const auto real_now = std::chrono::system_clock::now();
        const auto read_at =
            req.read_at == std::chrono::steady_clock::time_point{} ? std::chrono::steady_clock::now() : req.read_at;
        auto res = feeds::answer_from_memory(*ctx.feeds, m, ctx.db.generation(),
                                             feeds::minute_of(ctx.clock.at(real_now)), read_at,
                                             feeds::utc_now_text(real_now));
        if (!res) return std::nullopt;
        return dispatched{std::move(*res), r->pattern, refusal::none};
    } catch (const std::exception&) {
        return std::nullopt;  // the ordinary way answers (and logs) it
    }
}

}  // namespace loa::http
