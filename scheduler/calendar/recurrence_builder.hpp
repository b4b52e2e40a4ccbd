// The activity form's recurrence builder: its fields ⇄ an RRULE. The builder expresses "none",
// "daily", "weekly on chosen days", "monthly on the n-th weekday (1st–4th, last) or on a date",
// each ending never, on a date or after n times; any other rule is kept as text ("advanced").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/date.h>

namespace loa::scheduler {

// The builder's fields as typed (text, so a wrong value comes back exactly as typed). The names
// are the form's input names.
struct recurrence_form {
    std::string repeat = "none";         // none | daily | weekly | monthly | advanced
    std::vector<std::string> weekdays;   // weekly: mon tue wed thu fri sat sun (Monday first)
    std::string monthly_by = "weekday";  // monthly: weekday (the n-th weekday) | date
    std::string month_week = "1";        // 1 2 3 4, or -1 for the last
    std::string month_weekday = "mon";   // mon … sun
    std::string month_day = "1";         // 1 … 31
    std::string ends = "never";          // never | until | count
    std::string until;                   // YYYY-MM-DD: the last day it may happen
    std::string count;                   // how many times in all, 1 … max_recurrence_count
    std::string advanced;                // repeat == advanced: the RRULE as text
    friend bool operator==(const recurrence_form&, const recurrence_form&) = default;
};

inline constexpr int max_recurrence_count = 999;

// A field the person has to correct: the input's name and an English msgid (translated by the
// page; "{reason}" in it is replaced by args, which are not translated).
struct form_error {
    std::string field;
    std::string msgid;
    std::vector<std::pair<std::string, std::string>> args;
    friend bool operator==(const form_error&, const form_error&) = default;
};

struct rrule_result {
    std::string rrule;               // "" for "none"; without the "RRULE:" prefix
    std::vector<form_error> errors;  // empty when the rule is good
    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

// The RRULE the fields describe, canonical (FREQ first, then BYDAY/BYMONTHDAY, then COUNT or
// UNTIL=YYYYMMDD), checked with core::check_rrule — against `dtstart` (the activity's start,
// wall clock) when known, so a rule that never happens from that start is refused. An advanced
// rule is taken as typed (spaces around it and an "RRULE:" prefix dropped). On error, `errors`
// names each wrong field. Pure; thread-safe.
[[nodiscard]] rrule_result build_rrule(const recurrence_form& form,
                                       std::optional<date::local_seconds> dtstart);

// The fields for `rrule` (as stored, without "RRULE:"): what the builder can express, else
// repeat = "advanced" with the rule as text. `dtstart` supplies the weekday of a plain
// FREQ=WEEKLY and the day of a plain FREQ=MONTHLY (without it those are advanced).
// For every rule the builder writes, build_rrule(parse_rrule_for_form(r)) gives r back. Pure.
[[nodiscard]] recurrence_form parse_rrule_for_form(std::string_view rrule,
                                                   std::optional<date::local_seconds> dtstart = std::nullopt);

}  // namespace loa::scheduler
