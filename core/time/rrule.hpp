// RFC 5545 recurrence rules, parsed and checked with libical.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace loa::core {

// Returns nullopt when `rrule` (without the "RRULE:" prefix) is a valid RFC 5545 RECUR value,
// else a short explanation for a person. Thread-safe.
[[nodiscard]] std::optional<std::string> check_rrule(std::string_view rrule);

// As above, and also checks the rule against the activity's start (wall-clock time in its zone):
// nullopt only when the rule produces at least one date from `dtstart` (libical takes the
// missing month or day from DTSTART, so FREQ=YEARLY;BYMONTH=2 starting on 30 January never
// does). Use this one when the start is known. Thread-safe.
[[nodiscard]] std::optional<std::string> check_rrule(std::string_view rrule, date::local_seconds dtstart);

}  // namespace loa::core
