// The planner's min-cost-flow relaxation (private to make_plan): what the flow says each line
// should air in each ⟨outlet, date, daypart⟩ cell, and the optimum that bounds every plan keeping
// the board's fixed placements.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "scheduler/planner/solver_board.hpp"

namespace loa::scheduler::planner::solver {

struct cell_flow {
    int line = 0;
    int cell = 0;
    int amount = 0;  // airings (rounded up from seconds where the seconds model was solved)
};

struct flow_result {
    std::int64_t value_micro = 0;  // the relaxation's optimum over what is not fixed
    std::vector<cell_flow> flows;  // by (component, line, cell)
    // On small networks, from the decomposition's best round (solver_flow.cpp): its flow (and the
    // plain flow of the components it did not run on), and its breaks' best sets as (line, slot);
    // the repair tries both besides `flows` when `decomposed`.
    bool decomposed = false;
    std::vector<cell_flow> priced_flows;
    std::vector<std::pair<int, int>> break_sets;
    int nodes = 0;                 // summed over the components' networks
    int arcs = 0;
    int components = 0;
    int rounds = 0;  // network simplex runs over all components (more on small networks: solver_flow.cpp)
    int largest_nodes = 0;     // the largest component's network
    int largest_arcs = 0;
    double simplex_ms = 0;     // steady clock inside the network simplex runs; informational only
};

// Solves the relaxation of what the board still allows. Pure; deterministic.
[[nodiscard]] flow_result solve_flow(const board& b);

}  // namespace loa::scheduler::planner::solver
