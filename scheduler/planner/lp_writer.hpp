// The instance as a CPLEX LP file whose optimum CBC computes (`cbc FILE solve`): the exact integer
// model of the same objective and the same hard rules the validator checks, so that a benchmark can
// compare loa's plan with the true optimum. Frozen existing placements are constants (they reduce
// the capacities and limits they use); one binary variable per (line, slot) pair a line may use;
// a make-good proposal's variable is fixed to 1 (the make-good rule is part of the problem).
#pragma once

#include <cstdint>
#include <iosfwd>

#include "scheduler/planner/instance.hpp"

namespace loa::scheduler::planner {

struct lp_size {
    std::int64_t variables = 0;
    std::int64_t constraints = 0;
};

// Writes the model; the objective is in micro-units (value_micro), maximised. `constant_micro` in the
// objective's comment line is the frozen placements' value, which CBC's optimum excludes.
lp_size write_lp(std::ostream& out, const instance& in);

}  // namespace loa::scheduler::planner
