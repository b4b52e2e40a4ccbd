// A plan made outside the planner (CBC's solution read back, a test's hand-made one) completed as
// make_plan completes its own: the objective from its placements, and the airings each line still
// lacks as one unplaced entry (code capacity: such a plan has no reasons). For the LP writer's
// tests and bench/planner, which check those plans with the validator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "scheduler/planner/instance.hpp"
#include "scheduler/planner/planner.hpp"

namespace loa::testing {

// Sets p.objective_micro, p.unplaced and p.bound_micro (= the objective) from p.placements. A
// placement whose stored id is in `not_counted` (missed, or withdrawn) is no airing: it counts
// toward no line's airings and is not in the objective (instance.hpp).
inline void tally_plan(const scheduler::planner::instance& in, scheduler::planner::plan& p,
                       const std::set<std::int64_t>& not_counted) {
    namespace sp = scheduler::planner;
    std::vector<int> placed(in.lines.size(), 0);
    for (const sp::placement& x : p.placements) {
        if (x.existing_id && not_counted.contains(*x.existing_id)) continue;
        if (x.slot >= 0) {
            p.objective_micro +=
                sp::value_micro(in, in.lines[static_cast<std::size_t>(x.line)], in.slots[static_cast<std::size_t>(x.slot)]);
        }
        ++placed[static_cast<std::size_t>(x.line)];
    }
    for (std::size_t l = 0; l < in.lines.size(); ++l) {
        const int n = sp::wanted_airings(in.lines[l]) - placed[l];
        if (n > 0) {
            sp::unplaced_airings u;
            u.line = static_cast<int>(l);
            u.airings = n;
            u.code = sp::reason_code::capacity;
            p.unplaced.push_back(std::move(u));
        }
    }
    p.bound_micro = p.objective_micro;
}

}  // namespace loa::testing
