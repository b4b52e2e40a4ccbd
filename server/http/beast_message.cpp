// Conversion between Beast messages and the handler-facing request/response.
#include "server/http/beast_message.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "core/text/unicode.hpp"
#include "server/feeds/feed_cache.hpp"

namespace loa::http {

std::optional<request> from_beast(beast_request&& in) {
    const auto target = in.target();
    auto url = boost::urls::parse_origin_form(boost::urls::string_view(target.data(), target.size()));
    if (!url) return std::nullopt;

    request out;
    out.method = std::string(in.method_string());
    out.target = std::string(target);
    out.path = url->path();
    // Forms and most clients encode a space as "+" in the query.
    const boost::urls::encoding_opts query_opts(true, false, false);
    // Decoded query values may be any bytes: broken UTF-8 becomes U+FFFD here, as in forms, so that
    // no page or message quotes it back broken.
    for (const auto& p : url->params(query_opts))
        out.query.emplace_back(core::valid_utf8(p.key), core::valid_utf8(p.value));
    out.headers.reserve(std::distance(in.begin(), in.end()));
    for (const auto& field : in) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    out.body = std::move(in.body());
    return out;
}

namespace {

// Every response, error or not, carries the browser hardening headers; a handler may replace one by
// setting it itself (none does today).
void set_security_headers(beast_response& out, bool https) {
    // Beast 1.81 knows only some of these names as fields; look all of them up by name.
    const auto set_default = [&out](const char* name, const char* value) {
        if (out.find(name) == out.end()) out.set(name, value);
    };
    set_default("Content-Security-Policy", content_security_policy);
    set_default("X-Content-Type-Options", "nosniff");
    set_default("Referrer-Policy", "same-origin");
    set_default("X-Frame-Options", "DENY");  // frame-ancestors for old browsers
    // One year, the host only (a city's other sites behind the same domain are not loa's to bind).
    if (https) set_default("Strict-Transport-Security", "max-age=31536000");
}

}  // namespace

beast_response to_beast(response&& in, unsigned version, bool keep_alive, bool head_only, bool https) {
    beast_response out{beast_http::int_to_status(in.status), version};
    out.result(in.status);  // keeps codes Beast has no name for
    out.set(beast_http::field::server, "loa");
    // RFC 9110 6.6.1: an origin server with a clock sends Date; caches reckon a response's age from
    // it (feeds are cached by readers and proxies).
    out.set(beast_http::field::date, feeds::http_date_now());
    const bool has_body = in.shared_body ? !in.shared_body->empty() : !in.body.empty();
    if (has_body || !in.content_type.empty()) out.set(beast_http::field::content_type, in.content_type);
    for (auto& [name, value] : in.headers) out.insert(name, value);  // insert: a header may repeat
    set_security_headers(out, https);
    if (in.shared_body) {
        out.body().shared = std::move(in.shared_body);
    } else {
        out.body().owned = std::move(in.body);
    }
    out.keep_alive(keep_alive);
    out.prepare_payload();
    // Beast writes "Content-Length: 0" on a 304 and a 204; RFC 9110 (8.6) forbids it there (on a
    // 304 it would have to be the length of the 200's body), and such answers have no body anyway.
    if (in.status == 304 || in.status == 204) out.erase(beast_http::field::content_length);
    if (head_only) out.body().clear();
    return out;
}

}  // namespace loa::http
