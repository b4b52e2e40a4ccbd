// The route table's types and the matcher: method + path pattern ("/api/v1/campaigns/{slug}") →
// handler. Tells a path that exists but not for this method (405, with Allow) from one that does not
// exist (404). HEAD is served by the GET route. Beast-free; pure and thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::http {

// A handler: a free function, one file per resource under server/handlers/. It gets the request by
// value (params filled) and returns the response; exceptions become an opaque 500 (caught once, in
// dispatch()). Expected failures are responses, e.g. problem(400, …).
using handler_fn = boost::asio::awaitable<response> (*)(request, app::context&);

struct route {
    std::string_view method;   // "GET", "POST", …; a GET route also answers HEAD
    std::string_view pattern;  // literal segments and "{name}" segments, e.g. "/api/v1/campaigns/{slug}"
    handler_fn fn;
    access need = access::anyone;  // checked by dispatch() before the handler runs
};

enum class match_kind { matched, method_not_allowed, not_found };

struct match_result {
    match_kind kind = match_kind::not_found;
    const route* matched = nullptr;  // set when kind == matched
    std::string allow;               // when method_not_allowed: "GET, HEAD, POST" (table order, HEAD after GET)
};

// Matches req.method / req.path against `table` (first match wins) and, on a match, fills req.params
// with the "{name}" segments. A "{name}" segment matches one non-empty path segment. Paths are
// compared segment by segment and exactly (a trailing slash is a different path).
[[nodiscard]] match_result match(std::span<const route> table, request& req);

// Splits a path or a pattern, "/a/b/c", into {"a", "b", "c"}; "/" gives {""}.
[[nodiscard]] std::vector<std::string_view> path_segments(std::string_view path);

// Whether a pattern's segment is a "{name}" capture.
[[nodiscard]] bool is_capture(std::string_view segment);

// Whether `pattern` matches the path given as its segments ("/a/b" → {"a", "b"}), as match()
// compares them; allocates nothing.
[[nodiscard]] bool pattern_matches(std::string_view pattern, std::span<const std::string_view> path);

// The route match() would give a `method` request (HEAD → GET) for the path given as its segments,
// or nullptr when there is none; fills no params and allocates nothing (the feeds' answers from
// memory).
[[nodiscard]] const route* find_route(std::span<const route> table, std::string_view method,
                                      std::span<const std::string_view> path);

}  // namespace loa::http
