// Cookies, CSRF token extraction and the login form's signed double-submit token.
#include "server/app/auth.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>
#include <boost/asio/ip/address.hpp>

#include "server/app/client_address.hpp"
#include "server/web/render.hpp"

namespace loa::app {

namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

std::string cookie_attributes(const settings& s) {
    std::string a = "; Path=/; HttpOnly";
    if (s.behind_tls) a += "; Secure";
    return a;
}

std::optional<std::string> urlencoded_field(std::string_view body, std::string_view name) {
    for (auto& [k, v] : web::parse_form(body))
        if (k == name) return std::move(v);
    return std::nullopt;
}

// The value of `name` in a simple multipart/form-data body: a part whose Content-Disposition names
// the field, with no nested multipart. Enough for a token field; files are the handlers' business.
std::optional<std::string> multipart_field(std::string_view body, std::string_view content_type,
                                           std::string_view name) {
    const auto b = content_type.find("boundary=");
    if (b == std::string_view::npos) return std::nullopt;
    std::string_view boundary = content_type.substr(b + 9);
    if (const auto semi = boundary.find(';'); semi != std::string_view::npos)
        boundary = boundary.substr(0, semi);
    boundary = trim_ows(boundary);
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
        boundary = boundary.substr(1, boundary.size() - 2);
    if (boundary.empty()) return std::nullopt;
    const std::string delimiter = "--" + std::string(boundary);
    const std::string wanted = "name=\"" + std::string(name) + "\"";

    std::size_t pos = body.find(delimiter);
    while (pos != std::string_view::npos) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--") break;  // the closing delimiter
        const auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) break;
        const std::string_view headers = body.substr(pos, headers_end - pos);
        const auto next = body.find("\r\n" + delimiter, headers_end + 4);
        if (next == std::string_view::npos) break;
        if (headers.find(wanted) != std::string_view::npos)
            return std::string(body.substr(headers_end + 4, next - (headers_end + 4)));
        pos = next + 2;
    }
    return std::nullopt;
}

// The process's key for login form tokens: random, made once.
const std::array<unsigned char, crypto_auth_KEYBYTES>& login_key() {
    static const auto key = [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
        std::array<unsigned char, crypto_auth_KEYBYTES> k{};
        crypto_auth_keygen(k.data());
        return k;
    }();
    return key;
}

}  // namespace

core::session_limits session_limits_for(const settings&) {
    return core::session_limits{};
}

std::string session_cookie_name(const settings& s) {
    return s.behind_tls ? "__Host-loa_session" : "loa_session";
}

std::string session_cookie(const settings& s, std::string_view id) {
    const auto limits = session_limits_for(s);
    return session_cookie_name(s) + "=" + std::string(id) + cookie_attributes(s) +
           "; SameSite=Lax; Max-Age=" + std::to_string(limits.absolute.count());
}

std::string clear_session_cookie(const settings& s) {
    return session_cookie_name(s) + "=" + cookie_attributes(s) + "; SameSite=Lax; Max-Age=0";
}

std::optional<std::string> cookie_value(const http::request& req, std::string_view name) {
    for (const auto& [k, v] : req.headers) {
        if (k != "cookie") continue;
        std::string_view rest = v;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            const std::string_view pair = trim_ows(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            if (trim_ows(pair.substr(0, eq)) != name) continue;
            std::string_view value = trim_ows(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return std::string(value);
        }
    }
    return std::nullopt;
}

bool is_browser(const http::request& req) {
    if (const auto accept = req.header("accept"); accept && accept->find("text/html") != std::string::npos)
        return true;
    return !(req.path == "/api" || req.path.starts_with("/api/"));
}

bool is_safe_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::optional<std::string> submitted_csrf_token(const http::request& req) {
    if (auto h = req.header("x-csrf-token")) return h;
    const auto type = req.header("content-type");
    if (!type) return std::nullopt;
    if (iequals_prefix(*type, "application/x-www-form-urlencoded"))
        return urlencoded_field(req.body, "csrf_token");
    if (iequals_prefix(*type, "multipart/form-data")) return multipart_field(req.body, *type, "csrf_token");
    return std::nullopt;
}

bool form_body_readable(const http::request& req) {
    if (req.body.empty()) return true;
    const auto type = req.header("content-type");
    return type && iequals_prefix(*type, "application/x-www-form-urlencoded");
}

bool tokens_equal(std::string_view a, std::string_view b) noexcept {
    if (a.empty() || b.empty() || a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string throttle_address(std::string_view remote) {
    if (remote.empty()) return "unknown";
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(std::string(remote), ec);
    if (ec) return std::string(remote);
    if (a.is_v4()) return a.to_string();
    const auto v6 = a.to_v6();
    if (v6.is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

std::optional<std::chrono::seconds> retry_after(const core::failure_counts& counts, const failure_oldest& oldest,
                                                core::sys_time now, const login_throttle& limits) {
    std::optional<std::chrono::seconds> wait;
    const auto until_free = [&](std::optional<core::sys_time> first) {
        // The window frees a slot when its oldest failure leaves it.
        std::chrono::seconds w = limits.window;
        if (first) w = std::chrono::ceil<std::chrono::seconds>(*first + limits.window - now);
        if (w < std::chrono::seconds(1)) w = std::chrono::seconds(1);
        if (!wait || w > *wait) wait = w;
    };
    if (counts.account_at_address >= limits.account_address_failures) until_free(oldest.account_at_address);
    if (counts.account >= limits.account_failures) until_free(oldest.account);
    if (counts.address >= limits.address_failures) until_free(oldest.address);
    return wait;
}

password_attempt begin_password_attempt(core::database& db, std::string_view name, std::string_view address,
                                        core::sys_time now, const login_throttle& limits) {
    password_attempt a;
    const auto since = now - limits.window;
    const core::failure_counts counts = core::count_login_failures(db, name, address, since);
    // For each count at its limit, the failure whose leaving the window frees a slot.
    const auto over = [&](int count, int limit, const std::string& key) -> std::optional<core::sys_time> {
        if (count < limit) return std::nullopt;
        return core::oldest_login_failure(db, key, since, count - limit);
    };
    const failure_oldest oldest{
        over(counts.account, limits.account_failures, core::account_key(name)),
        over(counts.address, limits.address_failures, core::address_key(address)),
        over(counts.account_at_address, limits.account_address_failures, core::account_at_address_key(name, address))};
    a.wait = retry_after(counts, oldest, now, limits);
    if (!a.wait) {
        a.counted = core::record_login_failure(db, name, address, now);
        // What has left the window goes now too, not only at the next successful login: attempts
        // under ever new names would otherwise grow the table without end.
        core::purge_login_failures(db, since);
    }
    return a;
}

std::string login_cookie_name(const settings& s) {
    return s.behind_tls ? "__Host-loa_login" : "loa_login";
}

login_nonce new_login_nonce(const settings& s) {
    login_nonce n;
    n.nonce = core::random_token(16);
    n.set_cookie =
        login_cookie_name(s) + "=" + n.nonce + cookie_attributes(s) + "; SameSite=Strict; Max-Age=3600";
    return n;
}

std::string login_form_token(std::string_view nonce) {
    std::array<unsigned char, crypto_auth_BYTES> mac{};
    crypto_auth(mac.data(), reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size(),
                login_key().data());
    const std::size_t len = sodium_base64_encoded_len(mac.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    std::string out(len, '\0');
    sodium_bin2base64(out.data(), out.size(), mac.data(), mac.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(len - 1);
    return out;
}

bool login_token_valid(const http::request& req, const settings& s) {
    const auto nonce = cookie_value(req, login_cookie_name(s));
    if (!nonce || nonce->empty() || nonce->size() > 64) return false;
    const auto token = submitted_csrf_token(req);
    if (!token) return false;
    return tokens_equal(*token, login_form_token(*nonce));
}

}  // namespace loa::app
