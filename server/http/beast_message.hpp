// Beast messages ⇄ loa's Beast-free request/response. Included only by server/net (session code):
// it brings in Beast.
#pragma once

#include <optional>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http/exchange.hpp"

namespace loa::http {

namespace beast_http = boost::beast::http;

using beast_request = beast_http::request<beast_http::string_body>;
using beast_response = beast_http::response<beast_http::string_body>;

// Splits the target into a percent-decoded path and query ("+" is a space in the query), lower-cases
// header names and moves the body. nullopt when the target is not an origin-form URI (→ 400).
[[nodiscard]] std::optional<request> from_beast(beast_request&& in);

// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere, no framing.
inline constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The one place a response gets its framing: status, Server: loa, Content-Type, the extra headers,
// the security headers (Content-Security-Policy, X-Content-Type-Options: nosniff, Referrer-Policy:
// same-origin, X-Frame-Options: DENY — unless the handler set its own), keep-alive for `version`,
// and prepare_payload(). For HEAD (`head_only`) the body is dropped after
// prepare_payload(), so Content-Length is the GET one.
[[nodiscard]] beast_response to_beast(response&& in, unsigned version, bool keep_alive, bool head_only);

}  // namespace loa::http
