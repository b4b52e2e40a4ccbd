// RFC 9457 problem details (application/problem+json): the one shape of every API error.
// Beast-free; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "server/http/exchange.hpp"

namespace loa::http {

// One rejected parameter, serialised under "invalid-params": {"name": …, "reason": …}.
struct invalid_param {
    std::string name;
    std::string reason;
};

// A response with the given status and body
//   {"type":"about:blank","title":…,"status":…,"detail":…,"invalid-params":[…]}
// ("invalid-params" only when `params` is not empty; "detail" only when not empty).
[[nodiscard]] response problem(unsigned status, std::string title, std::string detail,
                               std::vector<invalid_param> params = {});

// The standard reason phrase of `status` ("Not Found"), or "Unknown" — handy as a problem title.
[[nodiscard]] std::string status_title(unsigned status);

}  // namespace loa::http
