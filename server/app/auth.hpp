// The browser side of authentication, Beast-free: the session cookie (name, attributes), reading
// cookies, the CSRF token a request submits (header or form field), and the pre-session token that
// protects the login form itself. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/storage/user_store.hpp"
#include "server/app/settings.hpp"
#include "server/http/exchange.hpp"

namespace loa::app {

// Session lifetimes (issue 3: idle 30 min, absolute 8 h; last_seen_at written at most once a minute).
[[nodiscard]] core::session_limits session_limits_for(const settings& s);

// "__Host-loa_session" when the server is reached over TLS (settings.behind_tls), else "loa_session".
[[nodiscard]] std::string session_cookie_name(const settings& s);

// Set-Cookie value carrying a session id: HttpOnly, SameSite=Lax, Path=/, Max-Age = the absolute
// lifetime, and Secure when behind TLS.
[[nodiscard]] std::string session_cookie(const settings& s, std::string_view id);
// Set-Cookie value that deletes the session cookie (Max-Age=0).
[[nodiscard]] std::string clear_session_cookie(const settings& s);

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
[[nodiscard]] std::optional<std::string> cookie_value(const http::request& req, std::string_view name);

// True for a request from a browser: Accept names text/html, or the path is not under /api/.
[[nodiscard]] bool is_browser(const http::request& req);

// True for methods that change nothing (GET, HEAD, OPTIONS): no CSRF token needed.
[[nodiscard]] bool is_safe_method(std::string_view method);

// The CSRF token the request submits: the X-CSRF-Token header, else the `csrf_token` field of an
// application/x-www-form-urlencoded or multipart/form-data body. nullopt when none.
[[nodiscard]] std::optional<std::string> submitted_csrf_token(const http::request& req);

// True when a page form's handler can read the body: empty, or application/x-www-form-urlencoded
// (what every loa form sends). The handlers parse bodies as urlencoded, so another type (a
// multipart body, JSON) would read as a form with every field missing: a "Run planner" sent as
// multipart with "dry run" ticked would plan the whole campaign and store it. Dispatch refuses such
// a request with 415 before the handler runs.
[[nodiscard]] bool form_body_readable(const http::request& req);

// Constant-time comparison of two tokens (false when either is empty).
[[nodiscard]] bool tokens_equal(std::string_view a, std::string_view b) noexcept;

// ---- Login throttling ------------------------------------------------------------------------
//
// Failed logins are counted per account name and per client address over a sliding window. When
// either count has reached its limit, a login is answered 429 with Retry-After BEFORE the password
// is hashed or the user looked up: guessing costs the attacker time, not the server CPU.
struct login_throttle {
    int account_address_failures = 5;  // failures of one account name from one address in the window
    int account_failures = 50;         // failures of one account name from every address together
    int address_failures = 20;         // failures from one address (IPv6: one /64) in the window
    std::chrono::seconds window{15 * 60};
};
inline constexpr login_throttle login_limits{};

// The address throttling counts by: the IPv4 address; the /64 prefix of an IPv6 address (one host
// usually owns a whole /64), e.g. "2001:db8:1:2::/64"; an IPv4-mapped IPv6 address as IPv4;
// "unknown" when empty.
[[nodiscard]] std::string throttle_address(std::string_view remote);

// For each count over its limit, the failure whose leaving the window brings that count below the
// limit (core::oldest_login_failure with skip = count - limit).
struct failure_oldest {
    std::optional<core::sys_time> account, address, account_at_address;
};

// Whether a login with these failure counts is refused, and for how long. Returns the seconds to
// wait (≥ 1), or nullopt when the login may proceed. Pure.
[[nodiscard]] std::optional<std::chrono::seconds> retry_after(const core::failure_counts& counts,
                                                              const failure_oldest& oldest, core::sys_time now,
                                                              const login_throttle& limits = login_limits);

// A password check about to happen (a login, or the current password on the account page), on the
// db thread: refused (wait set) when the account or the address is over its limit; otherwise the
// attempt is recorded as a failure NOW, before the password is hashed, so that attempts sent in
// parallel count against the limit while they are checked (they would all pass a count taken
// before any of them ended). When the password matches, the caller forgets `counted`
// (core::forget_login_failure) in the job that completes the success.
struct password_attempt {
    std::optional<std::chrono::seconds> wait;
    core::login_failure_rows counted;
};
[[nodiscard]] password_attempt begin_password_attempt(core::database& db, std::string_view name,
                                                      std::string_view address, core::sys_time now,
                                                      const login_throttle& limits = login_limits);

// ---- The login form's CSRF protection (no session exists yet) ----------------------------------
//
// Signed double submit: GET /login sets a pre-session cookie holding a random nonce (HttpOnly,
// SameSite=Strict, so a cross-site POST never carries it) and puts HMAC(server key, nonce) in the
// form as `csrf_token`. POST /login needs both and checks the MAC. Another site can neither read
// the cookie nor forge a MAC for a nonce it planted, so it cannot sign a victim into the attacker's
// account (login CSRF). The key is random per process: a form from before a restart is refused and
// simply shown again.

// "__Host-loa_login" behind TLS, else "loa_login".
[[nodiscard]] std::string login_cookie_name(const settings& s);
// A fresh nonce (128 bits, base64url) and its Set-Cookie value (Max-Age 1 hour).
struct login_nonce {
    std::string nonce;
    std::string set_cookie;
};
[[nodiscard]] login_nonce new_login_nonce(const settings& s);
// The form token for `nonce`: base64url(HMAC-SHA-512-256(process key, nonce)).
[[nodiscard]] std::string login_form_token(std::string_view nonce);
// True when the request carries the login cookie and a matching form token.
[[nodiscard]] bool login_token_valid(const http::request& req, const settings& s);

}  // namespace loa::app
