// The browser side of authentication: cookies and their attributes, where a CSRF token may come
// from, the login form's signed token, throttling keys and waits, and the security headers every
// response gets where it becomes a Beast message.
#include "server/app/auth.hpp"
#include "server/app/client_address.hpp"

#include <gtest/gtest.h>

#include "server/http/beast_message.hpp"

namespace {
namespace auth_test_cpp {

using namespace std::chrono_literals;
using loa::http::request;

request with_headers(std::vector<std::pair<std::string, std::string>> headers,
                     std::string path = "/account") {
    request r;
    r.method = "POST";
    r.path = path;
    r.target = path;
    r.headers = std::move(headers);
    return r;
}

TEST(auth_cookies, session_cookie_is_httponly_lax_and_host_only) {
    loa::app::settings s;
    const std::string c = loa::app::session_cookie(s, "abc");
    EXPECT_EQ(c, "loa_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800");
    EXPECT_EQ(loa::app::clear_session_cookie(s), "loa_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}

TEST(auth_cookies, behind_tls_the_cookie_is_secure_with_the_host_prefix) {
    loa::app::settings s;
    s.behind_tls = true;
    EXPECT_EQ(loa::app::session_cookie_name(s), "__Host-loa_session");
    const std::string c = loa::app::session_cookie(s, "abc");
    EXPECT_EQ(c.rfind("__Host-loa_session=abc; Path=/; HttpOnly; Secure", 0), 0u) << c;
    EXPECT_EQ(c.find("Domain"), std::string::npos);  // __Host- forbids it
    EXPECT_EQ(loa::app::login_cookie_name(s), "__Host-loa_login");
    EXPECT_NE(loa::app::new_login_nonce(s).set_cookie.find("; Secure"), std::string::npos);
}

TEST(auth_cookies, behind_tls_is_a_setting) {
    EXPECT_FALSE(loa::app::settings{}.behind_tls);
    auto r = loa::app::load_settings_text("behind_tls: true\n", "server.yaml");
    EXPECT_TRUE(r.errors.empty());
    EXPECT_TRUE(r.value.behind_tls);
    r = loa::app::load_settings_text("behind_tls: sometimes\n", "server.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].to_string(),
              "server.yaml:1:13: behind_tls: expected true or false, got 'sometimes'");
}

TEST(auth_cookies, cookie_values_are_found_among_others) {
    const auto r = with_headers({{"cookie", "lang=vi; loa_session=s3cr3t ; x=\"q\""}, {"cookie", "late=1"}});
    EXPECT_EQ(loa::app::cookie_value(r, "loa_session"), "s3cr3t");
    EXPECT_EQ(loa::app::cookie_value(r, "x"), "q");
    EXPECT_EQ(loa::app::cookie_value(r, "late"), "1");
    EXPECT_FALSE(loa::app::cookie_value(r, "loa"));
    EXPECT_FALSE(loa::app::cookie_value(with_headers({{"cookie", "xloa_session=1"}}), "loa_session"));
}

TEST(auth_csrf, token_from_header_form_or_multipart) {
    EXPECT_EQ(loa::app::submitted_csrf_token(with_headers({{"x-csrf-token", "h"}})), "h");
    auto form = with_headers({{"content-type", "application/x-www-form-urlencoded; charset=UTF-8"}});
    form.body = "title=%C4%90%E1%BB%A9c&csrf_token=a%2Bb+c";
    EXPECT_EQ(loa::app::submitted_csrf_token(form), "a+b c");
    auto multi = with_headers({{"content-type", "multipart/form-data; boundary=\"XyZ\""}});
    multi.body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nĐức\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n--XyZ--\r\n";
    EXPECT_EQ(loa::app::submitted_csrf_token(multi), "tok");
    auto json = with_headers({{"content-type", "application/json"}});
    json.body = "{\"csrf_token\":\"x\"}";
    EXPECT_FALSE(loa::app::submitted_csrf_token(json));
    EXPECT_FALSE(loa::app::submitted_csrf_token(with_headers({})));
}

TEST(auth_csrf, tokens_compare_exactly) {
    EXPECT_TRUE(loa::app::tokens_equal("abc", "abc"));
    EXPECT_FALSE(loa::app::tokens_equal("abc", "abd"));
    EXPECT_FALSE(loa::app::tokens_equal("abc", "abcd"));
    EXPECT_FALSE(loa::app::tokens_equal("", ""));
}

TEST(auth_csrf, safe_methods_and_browsers) {
    EXPECT_TRUE(loa::app::is_safe_method("GET"));
    EXPECT_TRUE(loa::app::is_safe_method("HEAD"));
    EXPECT_FALSE(loa::app::is_safe_method("POST"));
    EXPECT_FALSE(loa::app::is_safe_method("DELETE"));
    EXPECT_TRUE(loa::app::is_browser(with_headers({}, "/account")));
    EXPECT_FALSE(loa::app::is_browser(with_headers({}, "/api/v1/campaigns")));
    EXPECT_TRUE(loa::app::is_browser(with_headers({{"accept", "text/html,*/*"}}, "/api/v1/campaigns")));
}

TEST(auth_login_token, token_binds_the_cookie_nonce) {
    loa::app::settings s;
    const auto n = loa::app::new_login_nonce(s);
    EXPECT_EQ(n.nonce.size(), 22u);  // 128 bits
    EXPECT_EQ(n.set_cookie.rfind("loa_login=" + n.nonce + "; Path=/; HttpOnly", 0), 0u);
    EXPECT_NE(n.set_cookie.find("SameSite=Strict"), std::string::npos);
    auto ok = with_headers(
        {{"cookie", "loa_login=" + n.nonce}, {"content-type", "application/x-www-form-urlencoded"}},
        "/login");
    ok.body = "name=H%C6%B0%C6%A1ng&csrf_token=" + loa::app::login_form_token(n.nonce);
    EXPECT_TRUE(loa::app::login_token_valid(ok, s));
    auto other_nonce = ok;
    other_nonce.headers[0].second = "loa_login=" + loa::app::new_login_nonce(s).nonce;
    EXPECT_FALSE(loa::app::login_token_valid(other_nonce, s));
    auto the_nonce_itself = ok;  // plain double submit is not enough
    the_nonce_itself.body = "csrf_token=" + n.nonce;
    EXPECT_FALSE(loa::app::login_token_valid(the_nonce_itself, s));
    auto no_cookie = ok;
    no_cookie.headers.erase(no_cookie.headers.begin());
    EXPECT_FALSE(loa::app::login_token_valid(no_cookie, s));
}

TEST(auth_throttle, addresses_count_per_ipv4_and_per_ipv6_64) {
    EXPECT_EQ(loa::app::throttle_address("192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(loa::app::throttle_address("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
    EXPECT_EQ(loa::app::throttle_address("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
    EXPECT_EQ(loa::app::throttle_address("::ffff:192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(loa::app::throttle_address(""), "unknown");
}

TEST(auth_throttle, retry_after_waits_until_the_window_frees_a_slot) {
    const loa::core::sys_time now{std::chrono::seconds(1'722'300'000)};
    using oldest = loa::app::failure_oldest;
    // Counts: the account from everywhere, the address, the account from this address.
    EXPECT_FALSE(loa::app::retry_after({49, 19, 4}, oldest{}, now));
    EXPECT_EQ(loa::app::retry_after({5, 5, 5}, oldest{std::nullopt, std::nullopt, now - 5min}, now), 10min);
    EXPECT_EQ(loa::app::retry_after({50, 0, 0}, oldest{now - 3min, std::nullopt, std::nullopt}, now), 12min);
    EXPECT_EQ(loa::app::retry_after({0, 20, 0}, oldest{std::nullopt, now - 14min, std::nullopt}, now), 1min);
    EXPECT_EQ(loa::app::retry_after({5, 20, 5}, oldest{std::nullopt, now - 1min, now - 14min}, now),
              14min);  // the longer wait
    EXPECT_EQ(loa::app::retry_after({5, 0, 5}, oldest{std::nullopt, std::nullopt, now - 20min}, now),
              1s);  // at least one second
    EXPECT_EQ(loa::app::retry_after({5, 0, 5}, oldest{}, now), 15min);
}

TEST(client_address, a_trusted_proxy_names_the_client_others_do_not) {
    using loa::app::client_address;
    const std::vector<std::string> trusted = {"127.0.0.1", "::1", "10.0.0.2"};
    // Not trusted: the peer, whatever it says.
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", trusted), "203.0.113.9");
    // Trusted: the rightmost address that is not a trusted proxy.
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", trusted), "198.51.100.1");
    EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", trusted), "198.51.100.1");
    EXPECT_EQ(client_address("::ffff:127.0.0.1", "[2001:db8::5]:4711", trusted), "2001:db8::5");
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1:443", trusted), "198.51.100.1");
    // No header, an empty one, or only proxies: the last trusted hop read.
    EXPECT_EQ(client_address("127.0.0.1", "", trusted), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", " , ", trusted), "127.0.0.1");
    EXPECT_EQ(client_address("127.0.0.1", "10.0.0.2", trusted), "10.0.0.2");
    // An entry that is not an address stops the walk: what is left of it cannot be believed.
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, unknown, 10.0.0.2", trusted), "10.0.0.2");
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, người", {}), "127.0.0.1");  // nobody trusted
    EXPECT_TRUE(loa::app::is_trusted_proxy("::ffff:10.0.0.2", trusted));
    EXPECT_FALSE(loa::app::is_trusted_proxy("10.0.0.22", trusted));
}

TEST(security_headers, every_response_carries_them) {
    loa::http::response r;
    r.status = 404;
    r.body = "{}";
    const auto m = loa::http::to_beast(std::move(r), 11, true, false);
    EXPECT_EQ(
        m["Content-Security-Policy"],
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    EXPECT_EQ(m["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(m["Referrer-Policy"], "same-origin");
    EXPECT_EQ(m["X-Frame-Options"], "DENY");
}

TEST(security_headers, https_adds_strict_transport_security) {
    loa::http::response plain;
    EXPECT_EQ(loa::http::to_beast(std::move(plain), 11, true, false).count("Strict-Transport-Security"), 0u);
    loa::http::response behind_tls;
    behind_tls.status = 303;
    const auto m = loa::http::to_beast(std::move(behind_tls), 11, true, false, true);
    EXPECT_EQ(m["Strict-Transport-Security"], "max-age=31536000");
}

TEST(security_headers, a_handler_may_replace_one) {
    loa::http::response r;
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    const auto m = loa::http::to_beast(std::move(r), 11, true, false);
    EXPECT_EQ(m["Referrer-Policy"], "no-referrer");
    EXPECT_EQ(std::distance(m.equal_range("Referrer-Policy").first, m.equal_range("Referrer-Policy").second),
              1);
}

}  // namespace auth_test_cpp
}  // namespace
