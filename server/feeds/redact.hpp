// Feed tokens never reach a log line: the one function the access and error logs call. Light on
// purpose (the session code includes it).
#pragma once

#include <string>
#include <string_view>

namespace loa::feeds {

// `target` with the value of every `token` query parameter (its name percent-decoded as the request
// parser reads it) replaced by "REDACTED"; a target without a query comes back as it is.
[[nodiscard]] std::string redact_token(std::string_view target);

}  // namespace loa::feeds
