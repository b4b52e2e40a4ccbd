// Sign in and out: the login form (pre-session CSRF token), throttling before hashing, argon2id
// verification on the password pool, session rotation, logout.
#include "server/handlers/auth.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/storage/user_store.hpp"
#include "server/app/auth.hpp"
#include "server/app/passwords.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// As everywhere in handlers: coroutines only await named locals and hand over to plain functions
// (GCC 12 destroys temporaries of an awaited full-expression twice).

namespace {

using std::chrono::system_clock;

// Where to go after signing in: a local path that is not the login or logout page itself.
std::string safe_next(std::string_view next) {
    if (next.empty() || !web::is_local_path(next)) return "/";
    if (next.starts_with("/login") || next.starts_with("/logout")) return "/";
    return std::string(next);
}

enum class login_error { none, bad_credentials, missing, expired, throttled };

// The login page: the form with the typed name kept, a fresh pre-session nonce, and an error.
http::response login_page(const http::request& req, const app::settings& config, const std::string& name,
                          const std::string& next, login_error error, std::chrono::seconds wait,
                          unsigned status) {
    const std::string& lang = req.lang;
    const app::login_nonce nonce = app::new_login_nonce(config);
    web::page_data d;
    d.set("title", web::tr(lang, "Sign in"));
    d.set("name_value", name);
    d.set("has_name", !name.empty());  // a boolean: kainjow treats "" as true in sections
    d.set("next_value", next);
    // After a refused POST /login the language switch comes back to the form (and where it leads).
    if (!web::is_fetch(req))
        d.set("path_query", next == "/" ? std::string("/login") : "/login?next=" + web::url_encode(next));
    d.set("login_token", app::login_form_token(nonce.nonce));
    std::string message;
    switch (error) {
        case login_error::none:
            break;
        case login_error::bad_credentials:
            message = web::tr(lang, "The name or the password is not correct.");
            break;
        case login_error::missing:
            message = web::tr(lang, "Enter your name and your password.");
            break;
        case login_error::expired:
            message = web::tr(lang, "This form has expired. Please sign in again.");
            break;
        case login_error::throttled: {
            const auto minutes = (wait.count() + 59) / 60;
            message =
                web::tr(lang, "Too many failed sign-in attempts. Please try again in {minutes} minutes.",
                        {{"minutes", std::to_string(minutes)}});
            break;
        }
    }
    web::set_optional(d, "error", message);
    d.set("signed_out", error == login_error::none && req.query_value("out").value_or("") == "1");
    http::response res = web::render_page(req, "login", std::move(d), status);
    res.headers.emplace_back("Set-Cookie", nonce.set_cookie);
    if (error == login_error::throttled)
        res.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return res;
}

// Step 1 on the db thread: the throttle decision (before anything else) and, when not throttled,
// the account.
struct login_lookup {
    std::string name;
    std::string address;
    system_clock::time_point now;

    struct result {
        std::optional<std::chrono::seconds> wait;  // set: throttled
        core::login_failure_rows counted;          // the attempt, counted as a failure until it succeeds
        std::optional<std::pair<core::user_record, std::string>> account;
    };
    result operator()(core::database& db) const {
        result r;
        const app::password_attempt attempt = app::begin_password_attempt(db, name, address, now);
        r.wait = attempt.wait;
        r.counted = attempt.counted;
        if (!r.wait) r.account = core::find_login(db, name);
        return r;
    }
};

// Step 2 on the db thread: a failure stays counted (step 1 counted it); a success forgets it,
// clears the account's failures, purges the sessions that have expired, stores the password's new hash when one was made, and opens a new session in place
// of the one the browser had (rotation).
struct login_outcome {
    bool ok = false;
    core::login_failure_rows counted;
    std::int64_t user_id = 0;
    std::string checked_hash;  // with new_hash: the hash that matched, replaced by new_hash
    std::string new_hash;
    std::string name;
    std::optional<std::string> old_session;
    system_clock::time_point now;
    core::session_limits limits;

    std::optional<core::new_session> operator()(core::database& db) const {
        if (!ok) return std::nullopt;
        core::forget_login_failure(db, counted);
        core::clear_account_failures(db, name);
        if (!new_hash.empty()) (void)core::replace_password_hash(db, user_id, checked_hash, new_hash);
        core::purge_expired_sessions(db, now, limits);  // (expired login failures went in step 1)
        std::optional<std::string_view> replaces;
        if (old_session) replaces = *old_session;
        return core::create_session(db, user_id, now, limits, replaces);
    }
};

struct end_session {
    std::string id;
    bool operator()(core::database& db) const { return core::delete_session(db, id); }
};

app::password_hasher& hasher(app::context& ctx) {
    if (ctx.passwords == nullptr) throw std::logic_error("context has no password hasher");
    return *ctx.passwords;
}

http::response signed_in_reply(const app::settings& config, const core::new_session& s,
                               const std::string& next) {
    http::response res = web::redirect(safe_next(next));
    res.headers.emplace_back("Set-Cookie", app::session_cookie(config, s.id));
    // The pre-session nonce has served its purpose.
    res.headers.emplace_back("Set-Cookie", app::login_cookie_name(config) +
                                               "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                               (config.behind_tls ? "; Secure" : ""));
    return res;
}

}  // namespace

boost::asio::awaitable<http::response> get_login(http::request req, app::context& ctx) {
    const std::string next = safe_next(req.query_value("next").value_or(""));
    // Already signed in: nothing to do here (signing in as someone else starts with signing out).
    if (req.user) {
        http::response done = web::redirect(next);
        co_return done;
    }
    http::response res = login_page(req, ctx.config, "", next, login_error::none, {}, 200);
    co_return res;
}

boost::asio::awaitable<http::response> post_login(http::request req, app::context& ctx) {
    const web::form f(req.body);
    const std::string name = f.get("name");
    const std::string password = f.get("password");
    const std::string next = safe_next(f.get("next"));

    // Login CSRF: the form must come from our own login page in this browser.
    if (!app::login_token_valid(req, ctx.config)) {
        http::response res = login_page(req, ctx.config, name, next, login_error::expired, {}, 403);
        co_return res;
    }
    if (name.empty() || password.empty()) {
        http::response res = login_page(req, ctx.config, name, next, login_error::missing, {}, 400);
        co_return res;
    }

    const std::string address = app::throttle_address(req.remote_address);
    // Security time is the real clock, also when the server rehearses (settings::as_of moves only
    // the schedule's "now"): login throttling and the session's expiry.
    const auto now = system_clock::now();
    const login_lookup lookup{name, address, now};
    login_lookup::result found;
    found = co_await ctx.db.run(lookup);
    if (found.wait) {
        http::response res =
            login_page(req, ctx.config, name, next, login_error::throttled, *found.wait, 429);
        co_return res;
    }

    // A password longer than any real one is wrong without hashing it; every other attempt costs the
    // argon2id runs of a real check, for unknown users too, so timing does not tell which names exist.
    // The name is looked up by its caseless key and the password checked in NFC (then as typed, for a
    // hash made from a decomposed password before loa normalized them: that hash is remade in NFC).
    app::password_match match = app::password_match::no;
    app::password_hasher& pool = hasher(ctx);
    if (password.size() > app::password_max_bytes) {
        match = app::password_match::no;
    } else if (found.account) {
        match = co_await pool.match(found.account->second, password);
    } else {
        co_await pool.verify_dummy(password);
    }
    const bool ok = match != app::password_match::no;

    login_outcome outcome;
    outcome.ok = ok;
    outcome.counted = found.counted;
    outcome.user_id = ok ? found.account->first.id : 0;
    if (match == app::password_match::yes_needs_rehash) {
        outcome.checked_hash = found.account->second;
        outcome.new_hash = co_await pool.hash(password);
    }
    outcome.name = name;
    outcome.old_session = app::cookie_value(req, app::session_cookie_name(ctx.config));
    outcome.now = now;
    outcome.limits = app::session_limits_for(ctx.config);
    std::optional<core::new_session> session;
    session = co_await ctx.db.run(outcome);
    if (!session) {
        http::response res = login_page(req, ctx.config, name, next, login_error::bad_credentials, {}, 401);
        co_return res;
    }
    http::response res = signed_in_reply(ctx.config, *session, next);
    co_return res;
}

boost::asio::awaitable<http::response> post_logout(http::request req, app::context& ctx) {
    if (req.user) {
        const end_session job{req.user->session_id};
        bool ended = false;
        ended = co_await ctx.db.run(job);
        (void)ended;  // already gone (another tab) is fine
    }
    http::response res = web::redirect("/login?out=1");
    res.headers.emplace_back("Set-Cookie", app::clear_session_cookie(ctx.config));
    co_return res;
}

}  // namespace loa::handlers
