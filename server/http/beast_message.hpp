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

// The one place a response gets its framing: status, Server: loa, Content-Type, the extra headers,
// keep-alive for `version`, and prepare_payload(). For HEAD (`head_only`) the body is dropped after
// prepare_payload(), so Content-Length is the GET one.
[[nodiscard]] beast_response to_beast(response&& in, unsigned version, bool keep_alive, bool head_only);

}  // namespace loa::http
