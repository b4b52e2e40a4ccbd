// The prime-time planner: a pure function from an instance (instance.hpp) to a plan. No I/O, no
// clock, no randomness: identical input gives an identical plan.
//
// Method: the core is solved exactly as a min-cost flow (LEMON NetworkSimplex) over
//   source → line → [line-week] → [line-day] → [line-outlet-day] → outlet-day-daypart cell → sink,
// with arc costs −value_micro (the bracketed nodes only where the line's limit there may bind).
// The flow drops what it cannot express (min gap, seconds of mixed durations in one break,
// department separation, one break per airing), so its optimum is an upper
// bound on every feasible plan (plan::bound_micro). A repair phase puts the flow's airings into
// concrete breaks under every hard rule (rotating the break chosen day by day so that a message
// does not always air at the same minute); an improvement phase then fills what is left, best value
// first. Frozen existing placements are kept untouched and consume capacity; missed ones get a
// make-good proposal in the next suitable slot, by rule (make_good_proposals): part of the problem,
// fixed like the frozen placements in the bound and in the LP writer's model. The greedy baseline (greedy_plan) is also run, and
// the better of the two is returned, so the plan is never below what a first-fit tool would do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/planner/instance.hpp"

namespace loa::scheduler::planner {

struct placement {
    int line = 0;
    int outlet = 0;
    int slot = -1;  // index into instance::slots; -1 only for a frozen placement whose break is gone
    instant start{};
    int duration_s = 0;
    bool frozen = false;                      // an existing placement kept as it is
    std::optional<std::int64_t> existing_id;  // the stored placement this one is (frozen or kept)
    std::optional<std::int64_t> make_good_of;  // the missed placement this proposal replaces
};

// Why wanted airings were not placed, most specific first.
enum class reason_code {
    not_approved,        // the message is not approved (or is archived)
    no_eligible_outlet,  // no outlet of its channels (or of its outlet list)
    no_slot_in_flight,   // eligible outlets have no break in its dayparts within the flight window
    blackout,            // the breaks there are all in blackouts
    lead_time,           // the breaks there are all before now + lead time / freeze horizon
    rule_limit,          // its own limits (per day, per week, per outlet per day) allow no more
    separation,          // min gap or department separation left no break
    capacity,            // the breaks were taken by higher-priority messages (blockers name them)
    make_good_no_slot,   // a missed airing found no suitable slot for its make-good
};

[[nodiscard]] const char* reason_name(reason_code c) noexcept;  // "not_approved", …

struct unplaced_airings {
    int line = 0;
    int outlet = -1;  // the outlet it was attributed to; -1 when none applies
    int airings = 0;  // how many wanted airings this entry covers
    reason_code code = reason_code::capacity;
    std::string reason;  // one English sentence a person understands, naming outlet, date, daypart
                         // and the blocking messages where that applies
    std::optional<day> date;  // the ⟨outlet, date, daypart⟩ cell, for capacity
    int daypart = -1;
    std::vector<int> blockers;  // lines that hold that cell's capacity, highest priority first
    // capacity: how many other ⟨outlet, date, daypart⟩ it could use are full too (the reason names
    // one as the example)
    int others_full = 0;
    // rule_limit: how many breaks it could use are full or closed by a separation rule (the lesser
    // part of the shortfall, as the reason chose its own limits)
    int closed_by_others = 0;
    std::optional<std::int64_t> make_good_of;  // for make_good_no_slot
    // Which case of its code, where one code covers several (for pages that say it in words):
    // "too_long" (no_slot_in_flight: no break holds its length; longest_s is the longest break),
    // "outside_dates" (no_slot_in_flight: its flight lies outside the dates planned),
    // "every_break" (rule_limit: no limit of its own binds, it airs in every break it can use),
    // "past" (lead_time: every break it could use is over already, not only too soon),
    // "after_past" / "after_lead_time" / "after_past_and_lead_time" (rule_limit: its breaks until
    // `date` were over already / too soon / some of each, and its own limits bind on the days after),
    // "higher_priority" (capacity: every blocker has a higher priority than the line);
    // "not_approved" / "all_placed" / "not_eligible" / "own_airings" (make_good_no_slot: the message is
    // not approved, has all it wants, the outlet no longer carries it, or its own airings already
    // planned take or close every break it could use; empty when no break had room); empty otherwise.
    std::string detail;
    int longest_s = 0;
    // For capacity and separation (rule_limit says it in `detail`): its breaks until `lost_until`
    // were over already ("past"), too soon for the lead time or freeze horizon ("lead_time"), or
    // some of each ("past_and_lead_time"). The reason says so first: those airings may be most of
    // the shortfall, which the full breaks after alone would not explain. Empty when none were.
    std::string lost;
    std::optional<day> lost_until;
    // For rule_limit: the message's own limits that close the breaks it could still use, each its
    // value (0: that limit is not one of them, or the message has none), so that a page can say
    // which one to raise: those that alone close some break, else all that close any. All 0 with
    // every_break.
    int limit_per_day = 0;
    int limit_per_week = 0;  // ISO week, Monday to Sunday
    int limit_per_outlet_day = 0;
    // For rule_limit: no limit of its own binds, it airs in every break it can use (one airing a
    // break). Also after days lost (detail "after_…"), where detail cannot say it.
    bool every_break = false;
    // For lead_time (not "past"): the notice the named outlet needs, in hours (it takes nothing
    // new starting within this many hours of the plan's "now"): the larger of its lead time and
    // freeze horizon.
    int notice_hours = 0;
};

struct plan_stats {
    int flow_nodes = 0;
    int flow_arcs = 0;
    int flow_components = 0;     // networks solved apart (lines sharing no outlet)
    int flow_simplex_runs = 0;   // network simplex runs over all of them
    int flow_largest_nodes = 0;  // the largest component's network
    int flow_largest_arcs = 0;
    double flow_simplex_ms = 0;  // of flow_ms, inside the network simplex runs (informational)
    double flow_ms = 0;    // measured by the caller-visible steady clock; informational only,
    double repair_ms = 0;  // never part of the plan's content or its comparison
    double board_ms = 0;   // the board (inventory indexes, frozen placements, make-goods), built once
    double greedy_ms = 0;  // the greedy baseline's run for its value (0 when it did not run)
    double finish_ms = 0;  // the plan's placements sorted and its unplaced airings explained
    std::int64_t flow_value_micro = 0;    // the relaxation's optimum (= bound before frozen value)
    // The greedy baseline's objective on the same instance; not computed when the plan reaches
    // the bound (the greedy plan cannot be worth more), nor when the greedy run stopped early.
    std::optional<std::int64_t> greedy_value_micro;
    // The greedy run stopped before its last line: what its lines still to place could add, each
    // airing at the most its breaks are worth, could not take it above the plan.
    bool greedy_stopped = false;
    bool greedy_won = false;              // the greedy plan was better and was returned
    int repair_dropped = 0;               // flow airings the repair could not put in a break (when the
                                          // breaks' best sets won: those the lines' limits left out;
                                          // 0 when a re-plan's stored plan won)
};

struct plan {
    std::vector<placement> placements;  // sorted by (outlet, start, line)
    std::vector<unplaced_airings> unplaced;  // sorted by (line, outlet)
    std::int64_t objective_micro = 0;
    std::int64_t bound_micro = 0;  // >= objective_micro
    plan_stats stats;

    [[nodiscard]] double objective() const noexcept { return static_cast<double>(objective_micro) / 1e6; }
    [[nodiscard]] double bound() const noexcept { return static_cast<double>(bound_micro) / 1e6; }
    // (bound − objective) / bound; 0 when the bound is 0.
    [[nodiscard]] double gap() const noexcept {
        return bound_micro > 0 ? static_cast<double>(bound_micro - objective_micro) / static_cast<double>(bound_micro)
                               : 0.0;
    }
};

// The plan. Every hard rule holds (validator.hpp checks them independently).
[[nodiscard]] plan make_plan(const instance& in);

// The make-good proposals every plan of `in` holds: for each missed placement not yet made good (in
// order of its start), the earliest usable break on its outlet at or after max(its start, now + lead
// time), its own daypart preferred, under every rule beside the frozen placements, the earlier
// proposals and its message's stored planned airings that a re-plan can keep (a make-good is an
// airing more; solver_board.hpp). Placements with make_good_of set, slot >= 0, not frozen. make_plan
// and greedy_plan start from exactly these; write_lp fixes them.
[[nodiscard]] std::vector<placement> make_good_proposals(const instance& in);

// The baseline broadcast tools use: lines by priority (then code), each airing into the first break
// (in time order) where every hard rule allows it. Frozen placements kept, bound = objective.
[[nodiscard]] plan greedy_plan(const instance& in);

}  // namespace loa::scheduler::planner
