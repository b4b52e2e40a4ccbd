// RFC 5545 recurrence rules, parsed and checked with libical.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loa::core {

// Returns nullopt when `rrule` (without the "RRULE:" prefix) is a valid RFC 5545 RECUR value,
// else a short explanation for a person. Thread-safe.
[[nodiscard]] std::optional<std::string> check_rrule(std::string_view rrule);

}  // namespace loa::core
