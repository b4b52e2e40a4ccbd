// The planner's working state (private to make_plan and greedy_plan): the breaks' remaining
// seconds and occupants, each line's counters, the one feasibility check every placement passes,
// the frozen placements and make-good proposals both plans start from, and the finishing step
// (existing ids, objective, unplaced airings with their reasons).
//
// Stored placements: frozen ones (instance.hpp is_frozen) are kept as they are and count like any
// airing (capacity, limits, gaps, departments). Missed ones are frozen too (instance.hpp, and the
// validator wants every frozen stored placement in the plan): they stay in the plan with their
// id but did not air, so they hold no capacity and count toward nothing; their value is in the
// objective like every placement in a slot (instance.hpp's definition), and in the fixed part of
// the bound. Each missed one not yet made good gets a make-good before anything else is planned:
// the earliest usable break on its outlet at or after max(its start, now + lead time), its own
// daypart preferred, under every rule with its message's stored planned airings counted (those a
// re-plan can keep, on the board only while the break is chosen: a make-good is an airing more,
// never one of them renamed), and first with every stored planned airing on its outlet counted (a
// break that moves nothing); when there is none, an unplaced entry (make_good_no_slot)
// covers one airing of what the line still lacks (none when the line is served without it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/planner/instance.hpp"
#include "scheduler/planner/planner.hpp"

namespace loa::scheduler::planner::solver {

// Why a (line, break) pair cannot take one more airing, first failing rule in this order.
enum class block : std::uint8_t { none, used, total, day, week, outlet_day, room, gap, department };

// An outlet a line may use and which of its dayparts it allows.
struct line_outlet {
    int outlet = 0;
    std::vector<char> daypart_allowed;  // indexed by the outlet's daypart index

    // Whether the line may air in the outlet's daypart `d` (false for an index out of range).
    [[nodiscard]] bool allows(int d) const noexcept {
        return d >= 0 && static_cast<std::size_t>(d) < daypart_allowed.size() &&
               daypart_allowed[static_cast<std::size_t>(d)] != 0;
    }
};

struct line_info {
    bool approved = false;
    int wanted = 0;
    int lo = 0;  // day indexes (from instance::first_day) of flight ∩ dates planned; lo > hi when empty
    int hi = -1;
    std::vector<line_outlet> outlets;  // sorted by outlet, unique, valid indexes
    int message = 0;                   // index of its message code among the lines' codes
    int department = 0;                // index of its department code among the lines' codes
};

// ⟨outlet, date, daypart⟩ (and key-date weight): the unit the flow reasons about.
struct cell_info {
    int outlet = 0;
    int day = 0;  // index from instance::first_day
    int daypart = 0;
    double date_weight = 1.0;
    std::vector<int> slots;  // by start
};

// A missed placement whose make-good found no slot, and why.
struct make_good_failure {
    int existing = 0;  // index into instance::existing
    std::string why;
    // unplaced_airings::detail for pages: "not_approved", "all_placed", "not_eligible",
    // "own_airings" (its breaks are taken by the message's own airings already planned, or closed
    // by its limits beside them), or "" (no break with room).
    std::string detail;
};

class board {
public:
    // Precomputes the inventory indexes, keeps the frozen placements and (unless told not to)
    // proposes the make-goods.
    explicit board(const instance& in, bool make_goods = true);

    [[nodiscard]] const instance& in() const noexcept { return in_; }
    [[nodiscard]] int days() const noexcept { return days_; }
    // How many breaks an approved line may reach (its outlets, its flight within the dates planned,
    // after the lead time): the size of the problem, which decides where the costlier steps run
    // (dates planned far beyond the flights add breaks no line can use, and no work).
    [[nodiscard]] std::size_t breaks_in_play() const noexcept { return breaks_in_play_; }
    [[nodiscard]] const line_info& line(int l) const { return lines_[static_cast<std::size_t>(l)]; }
    [[nodiscard]] const std::vector<cell_info>& cells() const noexcept { return cells_; }
    [[nodiscard]] int cell_of(int s) const { return cell_of_slot_[static_cast<std::size_t>(s)]; }
    // Day index of a slot (may be outside [0, days)).
    [[nodiscard]] int day_of(int s) const {
        return static_cast<int>((in_.slots[static_cast<std::size_t>(s)].date - in_.first_day).count());
    }
    // Slots of outlet o with day index in [lo, hi], ordered by (date, start).
    [[nodiscard]] std::pair<const int*, const int*> outlet_days(int o, int lo, int hi) const;

    // Everything about (l, s) that does not change while planning: approved, eligible outlet,
    // not blacked out, after the lead time, in flight and dates planned, daypart allowed, fits the
    // break's capacity.
    [[nodiscard]] bool usable(int l, int s) const;
    // The same, for an s on the eligible outlet `lo_entry` of l.
    // (Defined here: the flow, the greedy run and the repair call it once per break they look at.)
    [[nodiscard]] bool usable_on(int l, const line_outlet& lo_entry, int s) const {
        const auto& li = lines_[static_cast<std::size_t>(l)];
        const auto& S = in_.slots[static_cast<std::size_t>(s)];
        if (!li.approved) return false;
        if (S.start < lead_limit_[static_cast<std::size_t>(S.outlet)]) return false;
        const int d = day_of(s);
        if (d < li.lo || d > li.hi) return false;
        return usable_in_range(in_.lines[static_cast<std::size_t>(l)].duration_s, lo_entry, s);
    }
    // The cells of outlet o with a day index in [lo, hi]: indexes [first, last) into cells(), by day.
    [[nodiscard]] std::pair<int, int> outlet_cells(int o, int lo, int hi) const;
    // outlet_days from the first break at or after the outlet's lead limit (starts grow along it).
    [[nodiscard]] std::pair<const int*, const int*> outlet_days_after_lead(int o, int lo, int hi) const;
    // What usable_on checks of a break itself (not blacked out, daypart allowed, long enough for
    // `duration_s`): all it needs for a break of outlet_days_after_lead(lo_entry.outlet, the
    // line's lo, the line's hi) of an approved line.
    [[nodiscard]] bool usable_in_range(int duration_s, const line_outlet& lo_entry, int s) const {
        const auto& S = in_.slots[static_cast<std::size_t>(s)];
        if (S.blacked_out) return false;
        if (S.daypart < 0 || S.daypart >= static_cast<int>(lo_entry.daypart_allowed.size()) ||
            lo_entry.daypart_allowed[static_cast<std::size_t>(S.daypart)] == 0) {
            return false;
        }
        return S.capacity_s >= duration_s;
    }
    // The rules that depend on what is placed already (call only for usable pairs); with
    // ignore_room, as if the break had room.
    [[nodiscard]] block check(int l, int s, bool ignore_room = false) const;
    // For a scan of one outlet's breaks (outlet_days) with nothing placed meanwhile: the break
    // after *p, past those that the rule `why` which closed *p closes too (a full day, outlet-day
    // or ISO week of the line stays full while nothing is removed).
    [[nodiscard]] const int* past_closed(const int* p, const int* end, block why) const;
    // check() for a line with no airing at all yet (no limit, gap or total can bind): faster.
    [[nodiscard]] block check_fresh(int l, int s) const;

    // Placements the plan may still move: its own new ones (not frozen, not make-goods).
    [[nodiscard]] bool movable(int p) const;
    [[nodiscard]] const placement& placement_at(int p) const { return placements_[static_cast<std::size_t>(p)]; }
    // Whether placement p could move to break `to` of the same cell (same date and outlet, so its
    // limits are unchanged): the break rules and its gap, as if it had left its own break.
    [[nodiscard]] block check_move(int p, int to, bool ignore_room = false) const;
    void move(int p, int to);
    // Takes a movable placement out of the plan.
    void remove(int p);

    // Puts an airing of l into s (caller checked); returns the placement's index.
    int place(int l, int s, std::optional<std::int64_t> make_good_of = std::nullopt);

    [[nodiscard]] int remaining_seconds(int s) const { return rem_[static_cast<std::size_t>(s)]; }
    [[nodiscard]] const std::vector<int>& occupants(int s) const { return in_break_[static_cast<std::size_t>(s)]; }
    // The placements (indexes) in break s, in the order of occupants(s).
    [[nodiscard]] const std::vector<int>& placed_in(int s) const { return in_break_p_[static_cast<std::size_t>(s)]; }
    [[nodiscard]] int total(int l) const { return total_[static_cast<std::size_t>(l)]; }
    [[nodiscard]] int shortfall(int l) const;  // max(0, wanted − placed)
    // Airings l may still get on day index d / in the week of day index d / on (o, d), ignoring
    // the total; a large number when the line has no such limit.
    [[nodiscard]] int day_room(int l, int d) const;
    [[nodiscard]] int week_room(int l, int d) const;
    [[nodiscard]] int outlet_day_room(int l, int o, int d) const;
    [[nodiscard]] int week_index(int d) const;  // 0-based ISO week of day index d within the range
    [[nodiscard]] int weeks() const noexcept { return weeks_; }

    // The stored, not frozen placement of l in s, if any (the plan keeps its id when it stays).
    [[nodiscard]] bool had_existing(int l, int s) const { return replan_.count(key(l, s)) != 0; }
    // Those stored, not frozen placements as (line, break), by line then break: where the plan
    // being re-made had them (empty on a first plan).
    [[nodiscard]] std::vector<std::pair<int, int>> stored_breaks() const;
    // Every placement index so far (removed ones included: their slot is -1).
    [[nodiscard]] int placement_count() const noexcept { return static_cast<int>(placements_.size()); }

    // Frozen airings + make-goods (kept missed or withdrawn placements are no airings: not in it).
    [[nodiscard]] std::int64_t fixed_value() const noexcept { return fixed_value_; }
    [[nodiscard]] std::int64_t objective() const;  // what finish() will report

    // The plan: placements sorted, existing ids given back, objective, unplaced airings.
    [[nodiscard]] plan finish() const;

private:
    static std::int64_t key(int l, int s) { return (static_cast<std::int64_t>(l) << 32) | static_cast<std::uint32_t>(s); }
    void seed_existing(bool make_goods);
    void propose_make_goods(const std::vector<int>& missed);
    void count(int l, int o, day date, instant start, int s, int duration_s);
    void hold(int l, int s, int duration_s);  // the break part of count: seconds taken, who is in it
    [[nodiscard]] int find_slot(int o, instant start) const;
    [[nodiscard]] std::vector<unplaced_airings> explain() const;
    [[nodiscard]] unplaced_airings explain_line(int l, int airings) const;

    const instance& in_;
    int days_ = 0;
    int weeks_ = 0;
    long long first_week_ = 0;
    std::vector<int> week_of_day_;  // week_index of each day index in [0, days_)
    std::vector<std::string> departments_;
    std::vector<line_info> lines_;
    std::vector<instant> lead_limit_;       // per outlet: now + lead time
    std::vector<int> outlet_begin_;         // per outlet: first index into by_date_
    std::vector<int> by_date_;              // slot indexes grouped by outlet, each by (date, start)
    std::vector<int> by_date_day_;          // day index of by_date_[i]
    std::vector<cell_info> cells_;          // by outlet, then day (then daypart, key-date weight)
    std::vector<int> outlet_cells_begin_;   // per outlet: its first cell; one more entry at the end
    std::vector<int> cell_of_slot_;

    std::vector<int> rem_;
    std::vector<std::vector<int>> in_break_;    // per slot: lines of the placements in it
    std::vector<std::vector<int>> in_break_p_;  // per slot: those placements' indexes
    std::vector<int> total_;
    std::vector<std::vector<int>> per_day_;   // only for lines with per_day
    std::vector<std::vector<int>> per_week_;  // only for lines with per_week
    std::vector<std::map<std::int64_t, int>> per_outlet_day_;  // only with max_per_outlet_per_day
    std::vector<std::set<std::pair<int, std::int64_t>>> times_;  // only with min_gap: (outlet, start s)
    std::map<std::int64_t, std::int64_t> replan_;  // key(line, slot) → stored id (not frozen, planned)

    std::vector<placement> placements_;
    std::size_t breaks_in_play_ = 0;
    std::size_t airings_wanted_ = 0;  // by the approved lines: what placements_ makes room for
    std::vector<char> removed_;  // by placement index, once something was removed
    std::vector<make_good_failure> make_good_failures_;
    std::int64_t fixed_value_ = 0;
    std::int64_t uncounted_value_ = 0;  // of the kept missed and withdrawn placements in a break: not in the objective
};

// The greedy baseline (greedy.cpp) on a fresh board, before finish(): make_plan needs only its
// objective unless it wins, and the reasons for a plan's unplaced airings cost as much as the plan.
[[nodiscard]] board greedy_board(board fresh);
// The greedy baseline's objective on a fresh board, or nullopt once it is sure not to end above
// `limit`: the lines it has still to place, each at the most its breaks are worth, could not take
// it there (make_plan passes its plan's objective: the greedy plan then cannot win).
[[nodiscard]] std::optional<std::int64_t> greedy_value(board fresh, std::int64_t limit);

// "2024-07-30"
[[nodiscard]] std::string format_day(day d);

}  // namespace loa::scheduler::planner::solver
