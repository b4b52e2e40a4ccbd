// As-run reports (schema v6, table as_run_lines) and the compliance they add up to (docs/feeds.md,
// "As-run reports and compliance"). Functions take the caller's database; not thread-safe beyond
// that connection. Database failures throw SQLite::Exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

// How far an aired_at may lie from the placement's scheduled start (either way): a break that runs
// late by up to two hours still counts; a time further off is taken for a wrong placement.
inline constexpr std::chrono::seconds as_run_tolerance{2 * 3600};
// How far in the future an aired_at may lie (clocks of outlets are not exact).
inline constexpr std::chrono::seconds as_run_clock_skew{5 * 60};

// One line of an as-run report, already read (scheduler/feeds/as_run_parse turns a body into these).
struct as_run_input {
    std::string where;  // how reasons name the line: "line 4", "line 7 (element 3)"
    std::optional<std::int64_t> placement;
    std::optional<std::chrono::sys_seconds> time;  // the placement's start, with `message`
    std::string message;                           // code
    std::string status;                            // aired | missed | partial
    std::optional<std::chrono::sys_seconds> aired_at;
    std::string note;
};

enum class as_run_outcome { applied, duplicate, rejected };

[[nodiscard]] const char* to_string(as_run_outcome o) noexcept;

struct as_run_line_result {
    as_run_outcome outcome = as_run_outcome::rejected;
    std::optional<std::int64_t> placement;  // the placement the line named or matched
    std::string reason;                     // rejected only: "<where>: <why>"
};

// Applies the lines of an upload by outlet `outlet` (slug) in ONE transaction (BEGIN IMMEDIATE),
// in order, so that a later line wins. Each line is:
//  - rejected when its placement is unknown, belongs to another outlet (or an archived campaign),
//    when time + message match no placement of the outlet (or several), when the placement starts
//    after `now`, or when aired_at lies more than as_run_tolerance from the placement's start or
//    more than as_run_clock_skew after `now`;
//  - a duplicate when it repeats (status, aired_at, note) of the placement's latest line, or of the
//    latest line the same token sent for it (in this upload or an earlier one): it changes nothing;
//    a line that repeats only an older one is a correction back and applies;
//  - applied otherwise: the line is stored (with `token_id` and the time received) and the
//    placement moves to aired (aired, partial: aired_at and the note, "partial" noted first) or
//    missed (aired_at cleared), from any state; an audit row (entity "placement", action
//    "as-run aired" | "as-run missed" | "as-run partial") records each change.
// `now` is the schedule's clock (a rehearsing server's, settings as_of), against which lines are
// checked; `recorded_at` the system clock's, written as the line's time received and the
// placement's time of change (record-keeping stays on the system clock, docs/server-config.md).
// Returns one result per line, in order.
[[nodiscard]] std::vector<as_run_line_result> apply_as_run(database& db, std::string_view outlet,
                                                           const std::vector<as_run_input>& lines,
                                                           std::optional<std::int64_t> token_id,
                                                           std::chrono::sys_seconds now,
                                                           std::chrono::sys_seconds recorded_at,
                                                           const audit_actor& who);

// ---- Compliance -----------------------------------------------------------------------------

// One outlet's day (a date in the outlet's own zone). A placement counts on the day it starts.
struct compliance_day {
    std::string outlet;  // slug
    date::year_month_day day{};
    int planned = 0;  // every placement of the day, whatever its state; none still to go out whose
                      // message is no longer approved (cancelled for the outlet, as its feeds say)
    int aired = 0;    // aired in full
    int partial = 0;  // aired in part (the outlet's last word was "partial")
    int missed = 0;
    int not_reported = 0;  // started before now, neither aired nor missed
    int upcoming = 0;      // starts at or after now
    int prime = 0;         // placements in the outlet's prime time (its highest daypart weight)
    int prime_aired = 0;   // of those, aired in full
    int prime_due = 0;     // of those, started before now or reported (the share aired is of these)
};

struct make_good_ref {
    std::int64_t id = 0;
    std::chrono::sys_seconds start{};
    std::string state;
};

struct missed_placement {
    std::int64_t id = 0;
    std::string outlet;   // slug
    std::string message;  // code
    std::chrono::sys_seconds start{};
    std::string note;
    std::optional<make_good_ref> make_good;  // none yet: the planner proposes one at its next run
};

struct compliance_filter {
    std::string outlet;                            // slug; empty = every outlet
    std::optional<date::year_month_day> from, to;  // local dates of the outlet, inclusive
};

struct compliance_report {
    bool found = false;                // false: no such (non-archived) campaign
    std::vector<compliance_day> days;  // by outlet (campaign file order) then day; days with placements only
    std::vector<missed_placement> missed;   // by start then id
    std::vector<std::string> outlet_order;  // every outlet slug of the campaign, file order
};

// Planned vs aired per outlet and local day for a campaign's placements. `now` divides "not
// reported" from "upcoming".
[[nodiscard]] compliance_report load_compliance(database& db, std::string_view campaign_slug,
                                                const compliance_filter& filter,
                                                std::chrono::sys_seconds now);

}  // namespace loa::core
