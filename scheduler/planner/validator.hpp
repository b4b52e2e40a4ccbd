// An independent check of a plan against every hard rule. Its own code path: it does not call the
// planner or share its helpers; it reads only instance.hpp's shared definitions. Tests and
// benchmarks run it on every plan; loa refuses to store a plan it rejects.
#pragma once

#include <string>
#include <vector>

#include "scheduler/planner/instance.hpp"
#include "scheduler/planner/planner.hpp"

namespace loa::scheduler::planner {

struct violation {
    std::string rule;    // short key: "capacity", "min_gap", "department", "flight", …
    std::string detail;  // English, naming message, outlet and time
};

// Rules checked (pairs and sums involving only frozen placements are not reported: the store may
// hold them from before a rule changed):
//  placement fields agree with its slot (outlet, start) and line (duration); slot not blacked out;
//  line approved; outlet eligible; date within the flight and the dates planned; daypart allowed;
//  start >= now + lead time of the outlet; each existing frozen placement present and unchanged;
//  no existing id twice; a message at most once per break; Σ duration <= break capacity;
//  totals: <= wanted_airings, per date <= per_day, per ISO week <= per_week, per outlet and date <=
//  max_per_outlet_per_day; min gap between airings of a message on one outlet; department
//  separation; objective_micro equals the recomputed sum; bound_micro >= objective_micro; the
//  unplaced airings add up to wanted − placed for every line.
[[nodiscard]] std::vector<violation> validate(const instance& in, const plan& p);

}  // namespace loa::scheduler::planner
