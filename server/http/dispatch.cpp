// Routing, the session and access check, CSRF, and the per-request catch boundary.
#include "server/http/dispatch.hpp"

#include <chrono>
#include <optional>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/storage/user_store.hpp"
#include "server/app/auth.hpp"
#include "server/app/log.hpp"
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

principal to_principal(const core::session_user& s, const std::string& session_id) {
    principal p;
    p.user_id = s.user.id;
    p.name = s.user.name;
    p.role = s.user.role;
    p.department = s.user.department;
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

// A minimal page until server/web/render.hpp provides the real error pages.
response forbidden_page() {
    response res;
    res.status = 403;
    res.content_type = "text/html; charset=utf-8";
    res.body =
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>403</title></head>"
        "<body><main><h1>Không có quyền truy cập</h1><p>Bạn không có quyền xem trang này.</p>"
        "<p lang=\"en\">You are not allowed to open this page.</p><p><a href=\"/\">Trang chủ / Home</a></p>"
        "</main></body></html>\n";
    return res;
}

response refuse(const request& req, refusal why) {
    const bool browser = app::is_browser(req);
    if (why == refusal::not_signed_in) {
        if (browser) {
            response res;
            res.status = 303;
            res.content_type.clear();
            // `next` is the path and query asked for; the login page only follows local paths.
            const std::string next = boost::urls::encode(req.target, boost::urls::unreserved_chars);
            res.headers.emplace_back("Location", "/login?next=" + next);
            return res;
        }
        auto res = problem(401, "Unauthorized", "Sign in first: this resource needs a session.");
        res.headers.emplace_back("WWW-Authenticate", "Cookie realm=\"loa\"");
        return res;
    }
    const std::string detail = why == refusal::csrf
                                   ? "The request did not carry this session's CSRF token."
                                   : "Your role does not allow this.";
    if (browser && !req.path.starts_with("/api/")) return forbidden_page();
    return problem(403, "Forbidden", detail);
}

}  // namespace

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

    // The session, when the request carries its cookie. The lookup runs on the db thread.
    const std::string cookie_name = app::session_cookie_name(ctx.config);
    const std::optional<std::string> session_id = app::cookie_value(req, cookie_name);
    bool stale_cookie = false;
    if (session_id && !session_id->empty()) {
        const load_session job{*session_id, app::session_limits_for(ctx.config)};
        std::optional<core::session_user> found;
        found = co_await ctx.db.run(job);
        if (found) {
            req.user = to_principal(*found, *session_id);
            if (!found->user.language.empty()) req.lang = found->user.language;
        } else {
            stale_cookie = true;
        }
    }
    // The page language: the user's preference, the `lang` cookie, Accept-Language, else vi.
    req.lang = web::choose_language(req);
    const bool signed_in = req.user.has_value();

    refusal refused = refusal::none;
    if (!app::allows(m.matched->need, req.user)) {
        refused = signed_in ? refusal::forbidden_role : refusal::not_signed_in;
    } else if (signed_in && !app::is_safe_method(req.method)) {
        const auto token = app::submitted_csrf_token(req);
        if (!token || !app::tokens_equal(*token, req.user->csrf_token)) refused = refusal::csrf;
    }

    const std::string method = req.method;
    const std::string target = req.target;
    response res;
    if (refused != refusal::none) {
        res = refuse(req, refused);
    } else {
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
        if (failed) res = problem(500, "Internal Server Error", "The server could not complete the request.");
    }

    // A page shown to a signed-in user must not be kept by caches or the back button after logout.
    if ((signed_in || stale_cookie) && !has_header(res, "cache-control")) res.headers.emplace_back("Cache-Control", "no-store");
    if (stale_cookie && !has_header(res, "set-cookie"))
        res.headers.emplace_back("Set-Cookie", app::clear_session_cookie(ctx.config));
    co_return dispatched{std::move(res), m.matched->pattern, refused};
}

}  // namespace loa::http
