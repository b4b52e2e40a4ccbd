// The calendar pages without HTML: which days a view shows (month grid Monday-first with the
// neighbouring months' days greyed, week, day, agenda), each day's occurrences in the campaign's
// zone, filters, and — for the city master calendar — the conflicts marked on days and entries.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/time/zone.hpp"
#include "scheduler/calendar/conflicts.hpp"
#include "scheduler/calendar/occurrences.hpp"

namespace loa::scheduler {

enum class calendar_view { month, week, day, agenda };

// "month" | "week" | "day" | "agenda" → the view; nullopt for anything else.
[[nodiscard]] std::optional<calendar_view> parse_calendar_view(std::string_view name) noexcept;
[[nodiscard]] std::string_view calendar_view_name(calendar_view v) noexcept;

struct calendar_request {
    calendar_view view = calendar_view::month;
    core::calendar_date date{};   // the day asked for; its month, week or the day itself is shown
    std::string department;       // empty = all departments (the city master calendar)
    std::string kind;             // empty = every kind
    std::string audience;         // empty = every audience
    bool with_conflicts = false;  // find and mark conflicts (the master calendar)
    std::unordered_set<std::string> cancelled;  // codes of cancelled activities (shown, marked)
    std::size_t limit = 5000;                   // at most this many occurrences are expanded
};

// One occurrence as one day shows it. An occurrence that crosses midnight is an entry on each
// day it touches (an end at exactly 00:00 does not touch the next day).
struct calendar_entry {
    occurrence occ;
    date::local_seconds local_start{};  // the whole occurrence, in the campaign's zone
    date::local_seconds local_end{};
    bool continued = false;  // began on an earlier day
    bool continues = false;  // goes on after this day
    bool cancelled = false;
    bool internal = false;
    std::vector<std::size_t> conflicts;  // indexes into calendar_page::conflicts
};

struct calendar_day {
    core::calendar_date date{};
    bool in_range = true;  // month grid: false for the neighbouring months' days (shown greyed)
    std::vector<calendar_entry> entries;  // by start, then activity id
    std::vector<std::size_t> conflicts;   // every conflict touching the day
};

struct calendar_page {
    calendar_view view = calendar_view::month;
    core::calendar_date date{};   // as asked
    core::calendar_date first{};  // first and last day shown
    core::calendar_date last{};
    core::calendar_date prev{};  // the `date` of the previous and the next page
    core::calendar_date next{};
    // month: first..last, a multiple of 7 starting on Monday (weeks = days / 7); week: 7 days from
    // Monday; day: one; agenda: the month's days that have entries or conflicts.
    std::vector<calendar_day> days;
    std::vector<conflict> conflicts;
    bool truncated = false;  // more occurrences than request.limit
};

// The days first..last of `view` around `date` (month: the Monday-first grid; agenda: the month).
struct day_range {
    core::calendar_date first{};
    core::calendar_date last{};
};
[[nodiscard]] day_range view_range(calendar_view view, core::calendar_date date);

// The page for `r` over campaign `c`, every time in the campaign's zone (an unknown zone counts as
// UTC). Cancelled activities appear (marked) but take no part in conflicts. Pure; thread-safe.
[[nodiscard]] calendar_page build_calendar(const core::campaign& c, const calendar_request& r);

}  // namespace loa::scheduler
