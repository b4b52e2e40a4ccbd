// RFC 5545 recurrence rules, parsed and checked with libical.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace loa::core {

// Explanations check_rrule gives exactly as here, so that a caller that says them in other words
// (the activity form, in the page's language) recognises them: a well-formed rule that never
// produces a date, at all or from the given start, and a start libical cannot take.
inline constexpr std::string_view rrule_never_occurs =
    "the rule never produces a date (like 30 February, or a 6th Monday)";
inline constexpr std::string_view rrule_never_occurs_from_start =
    "from its start date the rule never produces a date (e.g. BYMONTH=2 on an activity starting on the 30th)";
inline constexpr std::string_view rrule_start_out_of_range =
    "the start date is outside the years 1 to 2582 that recurrence supports";

// Returns nullopt when `rrule` (without the "RRULE:" prefix) is a valid RFC 5545 RECUR value,
// else a short explanation for a person. Thread-safe.
[[nodiscard]] std::optional<std::string> check_rrule(std::string_view rrule);

// As above, and also checks the rule against the activity's start (wall-clock time in its zone):
// nullopt only when the rule produces at least one date from `dtstart` (libical takes the
// missing month or day from DTSTART, so FREQ=YEARLY;BYMONTH=2 starting on 30 January never
// does). Use this one when the start is known. Thread-safe.
[[nodiscard]] std::optional<std::string> check_rrule(std::string_view rrule, date::local_seconds dtstart);

}  // namespace loa::core
