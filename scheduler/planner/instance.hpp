// The planner's input: a snapshot of one campaign's inventory (concrete breaks of every outlet),
// order lines (messages wanting airings) and the placements already stored, plus "now". Plain
// values with no I/O, so that the planner, the greedy baseline, the validator, the LP writer and
// the benchmark generator all read the same thing. inventory.hpp builds it from a campaign.
//
// Definitions every part of loa shares (the planner and the validator must agree on them, so they
// live here and nowhere else):
//  - value of an airing of line L in slot S, in micro-units: value_micro(L, S) =
//    llround(priority × daypart weight × key-date weight × 1e6). The objective is the sum over the
//    plan's placements that sit in a slot (slot >= 0) and are airings: not a kept placement that
//    was missed or withdrawn (counts_as_airing()), which stays in the plan as it is but will not air.
//  - wanted airings of a line: wanted_airings().
//  - frozen existing placements: is_frozen().
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

namespace loa::scheduler::planner {

using instant = std::chrono::sys_seconds;  // UTC
using day = date::sys_days;                // a calendar date (of an outlet's zone), for arithmetic

struct daypart_info {
    std::string code;
    double weight = 1.0;
    bool prime = false;  // the outlet's highest-weight daypart(s)
};

struct outlet_info {
    std::string slug;
    std::string kind;  // core::outlet_kinds
    std::string time_zone;
    int lead_time_hours = 0;
    int freeze_hours = 0;
    std::vector<daypart_info> dayparts;  // slot::daypart indexes this
};

// One concrete break of an outlet: where airings go.
struct slot {
    int outlet = 0;
    instant start{};                    // UTC
    date::local_seconds local_start{};  // the same instant on the outlet's wall clock
    day date{};                         // outlet-local date of `start` (where it airs)
    int capacity_s = 0;
    int daypart = 0;           // index into outlets[outlet].dayparts
    double date_weight = 1.0;  // key-date weight of `date` (1 when not a key date)
    bool blacked_out = false;  // inside one of the outlet's blackouts: never placed into
};

// An approved (or not) message and what it asks for.
struct order_line {
    std::string message;     // message code
    std::string department;  // department code
    std::string state;       // draft | submitted | approved | rejected | archived
    bool approved = false;   // only approved lines are placed
    int priority = 1;        // 1..10
    int duration_s = 0;
    std::vector<int> outlets;  // eligible outlet indices (by channel/kind and the message's outlet list)
    day flight_first{};        // inclusive, outlet-local dates
    day flight_last{};
    int airings = 0;            // wanted in total (0 = not given)
    int per_day = 0;            // wanted and at most, per date over all outlets (0 = not given)
    int per_week = 0;           // wanted and at most, per ISO week (0 = not given)
    int max_per_outlet_per_day = 0;  // 0 = no limit
    int min_gap_minutes = 0;         // between two airings on one outlet; 0 = none
    std::vector<std::string> dayparts;  // allowed daypart codes; empty = any
};

// A placement already in the store.
struct existing_placement {
    std::int64_t id = 0;
    int line = 0;    // index into lines (inventory adds a non-approved line for archived messages)
    int outlet = 0;  // index into outlets
    instant start{};
    day date{};  // outlet-local date of start
    int duration_s = 0;
    std::string state;      // planned | published | aired | missed
    bool made_good = false;  // missed and already replaced by a make-good placement
    // A make-good stored by an earlier run: the missed placement's id. While it is not frozen the
    // run proposes that make-good again, so it is not one of the message's airings beside which the
    // proposal is made.
    std::optional<std::int64_t> make_good_of;
    // Its message lost its approval before it was due (planned or published only): see is_withdrawn.
    bool withdrawn = false;
    // As stored when it was planned: what a placement whose break is not in this run's inventory
    // (outside the dates planned) is shown and summed with.
    std::string daypart;
    double weight = 0;  // daypart weight × key-date weight
    double value = 0;   // priority × weight
};

struct instance {
    std::vector<outlet_info> outlets;
    std::vector<slot> slots;  // sorted by (outlet, start); at most one per (outlet, start)
    std::vector<order_line> lines;
    std::vector<existing_placement> existing;
    instant now{};         // "as of": lead times and freeze horizons count from here
    day first_day{};       // the dates planned (outlet-local), inclusive
    day last_day{};
    bool separate_departments = true;  // no two messages of one department in one break
};

// What a line wants in all: the smallest of the totals it gives (airings; per_day × days of the
// flight; per_week × ISO weeks the flight touches), 0 when it gives none.
[[nodiscard]] inline int wanted_airings(const order_line& l) {
    long long w = std::numeric_limits<long long>::max();
    const long long days = (l.flight_last - l.flight_first).count() + 1;
    if (days <= 0) return 0;
    if (l.airings > 0) w = std::min<long long>(w, l.airings);
    if (l.per_day > 0) w = std::min<long long>(w, static_cast<long long>(l.per_day) * days);
    if (l.per_week > 0) {
        // ISO weeks start on Monday; 1970-01-01 (sys_days 0) was a Thursday.
        auto monday = [](day d) { return (d.time_since_epoch().count() + 3) / 7; };
        const long long weeks = monday(l.flight_last) - monday(l.flight_first) + 1;
        w = std::min<long long>(w, static_cast<long long>(l.per_week) * weeks);
    }
    return w == std::numeric_limits<long long>::max() ? 0 : static_cast<int>(std::min<long long>(w, 1'000'000'000));
}

// Whether a line asks for no airings at all: no total, per day or per week (a message left at the
// form's 0). Nothing is planned for it and nothing is unplaced: the plan names it apart.
[[nodiscard]] inline bool asks_for_nothing(const order_line& l) {
    return l.airings == 0 && l.per_day == 0 && l.per_week == 0;
}

// ISO week key of a date (any monotone numbering where Monday starts a week).
[[nodiscard]] inline long long iso_week_key(day d) { return (d.time_since_epoch().count() + 3) / 7; }

// std::llround(x), without a call where x is in [0.5, 2^50). There x's unit in the last place
// divides 0.5, so x + 0.5 is exact in a double, or, where it reaches the next power of two, lands
// within one unit of the exact sum and at or above that power of two: never across an integer.
// Its integer part is then x rounded half away from zero. Elsewhere (below 0.5, where x + 0.5 may
// round up to 1; negative, huge, not a number) std::llround itself. The planner rounds every
// airing's value, hundreds of thousands of times a plan.
[[nodiscard]] inline std::int64_t round_micro(double x) {
    if (x >= 0.5 && x < 0x1p50) return static_cast<std::int64_t>(x + 0.5);
    return std::llround(x);
}

// The value of one airing of `l` in `s`, in millionths.
[[nodiscard]] inline std::int64_t value_micro(const instance& in, const order_line& l, const slot& s) {
    const double w = in.outlets[static_cast<std::size_t>(s.outlet)].dayparts[static_cast<std::size_t>(s.daypart)].weight;
    return round_micro(static_cast<double>(l.priority) * w * s.date_weight * 1e6);
}

// How far ahead of now an outlet's schedule is closed: its lead time (the notice it needs), or its
// freeze horizon when that is longer (its playout log is locked there). No airing is added before
// now + these hours, and no planned placement there is moved.
[[nodiscard]] inline int notice_hours(const outlet_info& o) { return std::max(o.lead_time_hours, o.freeze_hours); }

// An existing placement the planner must keep as it is: published, aired or missed; or starting
// before now + notice_hours of its outlet; or outside the dates planned.
[[nodiscard]] inline bool is_frozen(const instance& in, const existing_placement& p) {
    if (p.state != "planned") return true;
    const auto& o = in.outlets[static_cast<std::size_t>(p.outlet)];
    const auto horizon = in.now + std::chrono::hours(notice_hours(o));
    return p.start < horizon || p.date < in.first_day || p.date > in.last_day;
}

// A kept placement that no longer counts as an airing: planned or published, and withdrawn when its
// message lost its approval before it was due, which cancels it for the outlet (its feeds say so,
// the dispatcher sends nothing). Frozen, it keeps its break in the plan, but it is not placed: its
// line's wanted airings are reported unplaced (as not approved, while it is not), and the summary
// does not count it.
// One that was due before the approval was lost stays an airing (its outlet may report it), and
// one that came due withdrawn stays withdrawn after a new approval (nothing was sent for it).
[[nodiscard]] inline bool is_withdrawn(const existing_placement& p) {
    return p.withdrawn && (p.state == "planned" || p.state == "published");
}

// Whether a kept placement is an airing: counted as placed, toward its line's limits and in the
// objective. A missed one did not air, a withdrawn one will not.
[[nodiscard]] inline bool counts_as_airing(const existing_placement& p) {
    return p.state != "missed" && !is_withdrawn(p);
}

}  // namespace loa::scheduler::planner
