// The signed-in user's account page: who they are, their language preference, their password.
#include "server/handlers/account.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/storage/user_store.hpp"
#include "core/text/unicode.hpp"
#include "server/app/auth.hpp"
#include "server/app/passwords.hpp"
#include "server/handlers/pages.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// As everywhere in handlers: coroutines only await named locals and hand over to plain functions
// (GCC 12 destroys temporaries of an awaited full-expression twice).

namespace {

using std::chrono::system_clock;

std::string_view role_msgid(std::string_view role) {
    if (role == "admin") return "Administrator";
    if (role == "approver") return "Approver";
    if (role == "editor") return "Editor";
    return "Viewer";
}

// Field errors of the password form, each shown next to its field.
struct password_errors {
    std::string current;
    std::string fresh;
    std::string confirm;
    [[nodiscard]] bool any() const { return !current.empty() || !fresh.empty() || !confirm.empty(); }
};

http::response account_page(const http::request& req, const std::string& flash, const password_errors& errors,
                            unsigned status) {
    const std::string& lang = req.lang;
    const http::principal& u = *req.user;
    web::page_data d;
    d.set("title", web::tr(lang, "Your account"));
    d.set("account_name", u.name);
    d.set("account_role", web::tr(lang, role_msgid(u.role)));
    web::set_optional(d, "account_department", web::department_label(u, lang));
    d.set("pref_auto", u.language.empty());
    d.set("pref_vi", u.language == "vi");
    d.set("pref_en", u.language == "en");
    d.set("min_chars", std::to_string(app::password_min_chars));
    web::set_optional(d, "flash", flash);
    web::set_optional(d, "error_current", errors.current);
    web::set_optional(d, "error_new", errors.fresh);
    web::set_optional(d, "error_confirm", errors.confirm);
    d.set("has_password_errors", errors.any());
    // After POST /account/password the language switch comes back here, not to the POST's address.
    if (!web::is_fetch(req)) d.set("path_query", "/account");
    return web::render_page(req, "account", std::move(d), status);
}

struct store_language {
    std::int64_t user_id;
    std::string language;
    std::string actor;
    core::user_write operator()(core::database& db) const {
        return core::set_language(db, user_id, language, actor);
    }
};

// Throttled and counted in advance like a login (app::begin_password_attempt), then the hash.
struct password_lookup {
    std::string name;
    std::string address;
    system_clock::time_point now;
    struct result {
        std::optional<std::chrono::seconds> wait;
        core::login_failure_rows counted;
        std::string hash;
    };
    result operator()(core::database& db) const {
        result r;
        const app::password_attempt attempt = app::begin_password_attempt(db, name, address, now);
        r.wait = attempt.wait;
        r.counted = attempt.counted;
        if (!r.wait) {
            if (auto found = core::find_login(db, name)) r.hash = std::move(found->second);
        }
        return r;
    }
};

// Stores the new hash (which ends every session of the user, on every device) and opens a fresh
// session for this browser.
struct store_password {
    std::int64_t user_id;
    std::string name;
    std::string hash;
    system_clock::time_point now;
    core::session_limits limits;
    core::login_failure_rows counted;  // the current password's check, which matched
    std::optional<core::new_session> operator()(core::database& db) const {
        core::forget_login_failure(db, counted);
        if (core::set_password_hash(db, name, hash, name) != core::user_write::ok) return std::nullopt;
        return core::create_session(db, user_id, now, limits);
    }
};

app::password_hasher& hasher(app::context& ctx) {
    if (ctx.passwords == nullptr) throw std::logic_error("context has no password hasher");
    return *ctx.passwords;
}

// The form's own checks, before any password is verified or hashed.
password_errors check_password_form(const std::string& lang, const std::string& current,
                                    const std::string& fresh, const std::string& confirm) {
    password_errors errors;
    if (current.empty()) errors.current = web::tr(lang, "Enter your current password.");
    if (const auto why = app::check_new_password(fresh)) {
        if (*why == "too_short")
            errors.fresh = web::tr(lang, "The new password needs at least {n} characters.",
                                   {{"n", std::to_string(app::password_min_chars)}});
        else
            errors.fresh = web::tr(lang, "This password cannot be used.");
    } else if (core::to_nfc(fresh) != core::to_nfc(confirm)) {  // typed twice, maybe in two forms
        errors.confirm = web::tr(lang, "The two new passwords are not the same.");
    }
    return errors;
}

struct current_check {
    std::optional<std::chrono::seconds> wait;  // set: throttled, nothing was hashed
    bool ok = false;
    core::login_failure_rows counted;  // forgotten when the change is stored
};

// Throttle and count, then verify: the current-password step of a password change.
boost::asio::awaitable<current_check> check_current(app::context& ctx, std::string name, std::string address,
                                                    std::string current, system_clock::time_point now) {
    const password_lookup lookup{name, address, now};
    password_lookup::result found;
    found = co_await ctx.db.run(lookup);
    current_check out;
    out.wait = found.wait;
    out.counted = found.counted;
    if (out.wait) co_return out;
    app::password_hasher& pool = hasher(ctx);
    if (!found.hash.empty() && current.size() <= app::password_max_bytes) {
        out.ok = co_await pool.verify(found.hash, current);
    }
    co_return out;
}

}  // namespace

boost::asio::awaitable<http::response> get_account(http::request req, app::context&) {
    std::string flash;
    if (req.query_value("saved").value_or("") == "1")
        flash = web::tr(req.lang, "Your preferences have been saved.");
    if (req.query_value("password").value_or("") == "1")
        flash = web::tr(req.lang, "Your password has been changed.");
    http::response res = account_page(req, flash, {}, 200);
    co_return res;
}

boost::asio::awaitable<http::response> post_account(http::request req, app::context& ctx) {
    const web::form f(req.body);
    const std::string language = f.get("language");
    if (!(language.empty() || web::is_supported_language(language))) {
        http::response bad = web::error_page(req, 400);
        co_return bad;
    }
    const store_language job{req.user->user_id, language, req.user->name};
    core::user_write written = core::user_write::ok;
    written = co_await ctx.db.run(job);
    if (written != core::user_write::ok) {
        http::response gone = web::error_page(req, 404);
        co_return gone;
    }
    http::response res = web::redirect("/account?saved=1");
    // The page language follows at once (the cookie is what signed-out pages use). "As my browser
    // asks" removes the cookie: it would otherwise still beat Accept-Language.
    res.headers.emplace_back("Set-Cookie", language_cookie(language));
    co_return res;
}

boost::asio::awaitable<http::response> post_account_password(http::request req, app::context& ctx) {
    const web::form f(req.body);
    const std::string current = f.get("current_password");
    const std::string fresh = f.get("new_password");
    const std::string confirm = f.get("confirm_password");
    const std::string& lang = req.lang;

    password_errors errors = check_password_form(lang, current, fresh, confirm);
    if (errors.any()) {
        http::response res = account_page(req, "", errors, 400);
        co_return res;
    }

    // The current password is checked like a login: throttled first, then one argon2id run.
    const std::string address = app::throttle_address(req.remote_address);
    const auto now = system_clock::now();
    current_check checked;
    checked = co_await check_current(ctx, req.user->name, address, current, now);
    if (checked.wait) {
        http::response res = web::error_page(req, 429, static_cast<unsigned>(checked.wait->count()));
        co_return res;
    }
    if (!checked.ok) {
        errors.current = web::tr(lang, "The current password is not correct.");
        http::response res = account_page(req, "", errors, 400);
        co_return res;
    }

    app::password_hasher& pool = hasher(ctx);
    std::string hash;
    hash = co_await pool.hash(fresh);
    const store_password job{req.user->user_id, req.user->name, hash, now, app::session_limits_for(ctx.config),
                             checked.counted};
    std::optional<core::new_session> session;
    session = co_await ctx.db.run(job);
    if (!session) {
        http::response gone = web::error_page(req, 404);
        co_return gone;
    }
    http::response res = web::redirect("/account?password=1");
    res.headers.emplace_back("Set-Cookie", app::session_cookie(ctx.config, session->id));
    co_return res;
}

}  // namespace loa::handlers
