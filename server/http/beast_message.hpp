// Beast messages ⇄ loa's Beast-free request/response. Included only by server/net (session code):
// it brings in Beast.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/optional/optional.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http/exchange.hpp"

namespace loa::http {

namespace beast_http = boost::beast::http;

using beast_request = beast_http::request<beast_http::string_body>;

// A response body that is either owned text or bytes shared with a cache (response::shared_body),
// written from where they are: a Beast Body for writing only (loa never parses responses).
struct text_body {
    struct value_type {
        std::string owned;
        std::shared_ptr<const std::string> shared;  // when set, the body; `owned` is then ignored
        [[nodiscard]] std::string_view view() const noexcept {
            return shared ? std::string_view(*shared) : std::string_view(owned);
        }
        [[nodiscard]] std::size_t size() const noexcept { return view().size(); }
        void clear() noexcept {
            owned.clear();
            shared.reset();
        }
    };
    static std::uint64_t size(const value_type& v) noexcept { return v.size(); }

    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;
        template <bool isRequest, class Fields>
        writer(const beast_http::header<isRequest, Fields>&, const value_type& v) : body_(v) {}
        void init(boost::beast::error_code& ec) { ec = {}; }
        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            ec = {};
            const std::string_view bytes = body_.view();
            return {{const_buffers_type(bytes.data(), bytes.size()), false}};
        }

    private:
        const value_type& body_;
    };
};

using beast_response = beast_http::response<text_body>;

// Splits the target into a percent-decoded path and query ("+" is a space in the query), lower-cases
// header names and moves the body. nullopt when the target is not an origin-form URI (→ 400).
[[nodiscard]] std::optional<request> from_beast(beast_request&& in);

// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere, no framing.
inline constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The one place a response gets its framing: status, Server: loa, Content-Type, the extra headers,
// the security headers (Content-Security-Policy, X-Content-Type-Options: nosniff, Referrer-Policy:
// same-origin, X-Frame-Options: DENY, and Strict-Transport-Security when `https` — unless the
// handler set its own), keep-alive for `version`,
// and prepare_payload(). For HEAD (`head_only`) the body is dropped after
// prepare_payload(), so Content-Length is the GET one.
// `https`: browsers reach the server over HTTPS (settings::behind_tls): the answer also carries
// Strict-Transport-Security, so that a browser never again tries plain HTTP for this host.
[[nodiscard]] beast_response to_beast(response&& in, unsigned version, bool keep_alive, bool head_only,
                                      bool https = false);

}  // namespace loa::http
