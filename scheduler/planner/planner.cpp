// make_plan: the min-cost-flow relaxation (LEMON NetworkSimplex), the repair that puts its airings
// into concrete breaks, the best-value-first improvement, and the comparison with the greedy plan.
#include "scheduler/planner/planner.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <limits>
#include <numeric>
#include <tuple>
#include <vector>

#include "scheduler/planner/solver_board.hpp"
#include "scheduler/planner/solver_flow.hpp"

namespace loa::scheduler::planner {

const char* reason_name(reason_code c) noexcept {
    switch (c) {
        case reason_code::not_approved: return "not_approved";
        case reason_code::no_eligible_outlet: return "no_eligible_outlet";
        case reason_code::no_slot_in_flight: return "no_slot_in_flight";
        case reason_code::blackout: return "blackout";
        case reason_code::lead_time: return "lead_time";
        case reason_code::rule_limit: return "rule_limit";
        case reason_code::separation: return "separation";
        case reason_code::capacity: return "capacity";
        case reason_code::make_good_no_slot: return "make_good_no_slot";
    }
    return "unknown";
}

namespace {

using solver::block;
using solver::board;
using solver::cell_flow;
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

// The break of cell c that line l should take next, or -1. Among the breaks every rule allows:
//  - for a line with a minimum gap, first the one that closes the fewest of its other open breaks
//    there (so the gap costs as few airings as possible);
//  - the one with room for the most airings of its length (with equal durations, every line's
//    airings then fit whenever the flow's amounts can: the bipartite Havel–Hakimi choice);
//  - the break that held it in the stored plan (its stored row is kept);
//  - the rotation order, starting at a break that moves with the date, the line and the daypart,
//    so that a message does not always air at the same minute.
int choose_break(const board& b, const solver::line_outlet& lo, int l, const solver::cell_info& c) {
    const instance& in = b.in();
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    const int n = static_cast<int>(c.slots.size());
    const int start = (c.day + l + c.daypart) % n;
    std::vector<int> open;
    open.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int s = c.slots[static_cast<std::size_t>((start + i) % n)];
        if (b.usable_on(l, lo, s) && b.check(l, s) == block::none) open.push_back(s);
    }
    const std::int64_t gap = static_cast<std::int64_t>(L.min_gap_minutes) * 60;
    int best = -1;
    std::tuple<int, int, int> best_key{};
    for (const int s : open) {
        int closes = 0;
        if (gap > 0) {
            const auto t = in.slots[static_cast<std::size_t>(s)].start;
            for (const int x : open) {
                const auto dt = (in.slots[static_cast<std::size_t>(x)].start - t).count();
                if (x != s && dt < gap && -dt < gap) ++closes;
            }
        }
        const int fit = b.remaining_seconds(s) / std::max(1, L.duration_s);
        const std::tuple<int, int, int> key{-closes, fit, b.had_existing(l, s) ? 1 : 0};
        if (best < 0 || key > best_key) {
            best = s;
            best_key = key;
        }
    }
    return best;
}

const solver::line_outlet* outlet_entry(const board& b, int l, int o) {
    const auto& os = b.line(l).outlets;
    const auto it = std::lower_bound(os.begin(), os.end(), o,
                                     [](const solver::line_outlet& x, int v) { return x.outlet < v; });
    return it != os.end() && it->outlet == o ? &*it : nullptr;
}

// When no break of cell c has room for l, makes room by moving other new airings of the same
// length to other breaks of the cell along a shortest chain (an augmenting path, as in bipartite
// matching: with one length per cell this finds room whenever the flow's amounts fit). Returns the
// break freed for l, or -1.
int augment(board& b, const solver::line_outlet& lo, int l, const solver::cell_info& c) {
    const int dur = b.in().lines[static_cast<std::size_t>(l)].duration_s;
    const int n = static_cast<int>(c.slots.size());
    std::vector<int> prev(static_cast<std::size_t>(n), -2);  // -2 unseen, -1 a break l may take
    std::vector<int> mover(static_cast<std::size_t>(n), -1);
    std::vector<int> queue;
    for (int i = 0; i < n; ++i) {
        const int s = c.slots[static_cast<std::size_t>(i)];
        if (b.usable_on(l, lo, s) && b.check(l, s, true) == block::none) {
            prev[static_cast<std::size_t>(i)] = -1;
            queue.push_back(i);
        }
    }
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const int i = queue[head];
        const int s = c.slots[static_cast<std::size_t>(i)];
        for (const int q : b.placed_in(s)) {
            const auto& pq = b.placement_at(q);
            if (!b.movable(q) || pq.duration_s != dur || pq.line == l) continue;
            for (int j = 0; j < n; ++j) {
                const int s2 = c.slots[static_cast<std::size_t>(j)];
                if (prev[static_cast<std::size_t>(j)] != -2 || !b.usable(pq.line, s2) ||
                    b.check_move(q, s2, true) != block::none) {
                    continue;
                }
                prev[static_cast<std::size_t>(j)] = i;
                mover[static_cast<std::size_t>(j)] = q;
                if (b.remaining_seconds(s2) < dur) {
                    queue.push_back(j);
                    continue;
                }
                // Room at the end of the chain: move each airing one step along it, last first.
                int k = j;
                while (prev[static_cast<std::size_t>(k)] != -1) {
                    const int to = c.slots[static_cast<std::size_t>(k)];
                    const int who = mover[static_cast<std::size_t>(k)];
                    if (b.check_move(who, to) != block::none) return -1;  // every move so far was valid
                    b.move(who, to);
                    k = prev[static_cast<std::size_t>(k)];
                }
                const int root = c.slots[static_cast<std::size_t>(k)];
                return b.check(l, root) == block::none ? root : -1;
            }
        }
    }
    return -1;
}

// The flow's airings into breaks, highest priority first; returns how many found no break.
int repair(board& b, std::vector<cell_flow> flows) {
    const instance& in = b.in();
    const auto& cells = b.cells();
    std::stable_sort(flows.begin(), flows.end(), [&](const cell_flow& x, const cell_flow& y) {
        const int px = in.lines[static_cast<std::size_t>(x.line)].priority;
        const int py = in.lines[static_cast<std::size_t>(y.line)].priority;
        if (px != py) return px > py;
        if (x.line != y.line) return x.line < y.line;
        const auto& a = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(x.cell)].slots.front())];
        const auto& c = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(y.cell)].slots.front())];
        if (a.start != c.start) return a.start < c.start;
        if (a.outlet != c.outlet) return a.outlet < c.outlet;
        return x.cell < y.cell;
    });
    int dropped = 0;
    for (const auto& f : flows) {
        const auto& c = cells[static_cast<std::size_t>(f.cell)];
        const auto* lo = outlet_entry(b, f.line, c.outlet);
        for (int k = 0; k < f.amount; ++k) {
            int s = lo != nullptr ? choose_break(b, *lo, f.line, c) : -1;
            if (s < 0 && lo != nullptr) s = augment(b, *lo, f.line, c);
            if (s < 0) {
                dropped += f.amount - k;
                break;
            }
            b.place(f.line, s);
        }
    }
    return dropped;
}

// Fills what is still wanted, best value first over every (line, cell) that has a break the line
// may take. Placing only ever closes breaks, so one pass leaves no line short with a break open.
void improve(board& b) {
    const instance& in = b.in();
    const auto& cells = b.cells();
    struct candidate {
        std::int64_t value;
        int line;
        int cell;
    };
    std::vector<candidate> candidates;
    std::vector<char> seen(cells.size(), 0);
    std::vector<int> touched;
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        const auto& li = b.line(l);
        if (!li.approved || b.shortfall(l) <= 0) continue;
        touched.clear();
        for (const auto& lo : li.outlets) {
            const auto [first, last] = b.outlet_days(lo.outlet, li.lo, li.hi);
            for (const int* p = first; p != last; ++p) {
                const int s = *p;
                const int c = b.cell_of(s);
                if (seen[static_cast<std::size_t>(c)] != 0 || !b.usable_on(l, lo, s) || b.check(l, s) != block::none) {
                    continue;
                }
                seen[static_cast<std::size_t>(c)] = 1;
                touched.push_back(c);
                candidates.push_back({value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(s)]), l, c});
            }
        }
        for (const int c : touched) seen[static_cast<std::size_t>(c)] = 0;
    }
    std::sort(candidates.begin(), candidates.end(), [&](const candidate& x, const candidate& y) {
        if (x.value != y.value) return x.value > y.value;
        if (x.line != y.line) return x.line < y.line;
        const auto& a = cells[static_cast<std::size_t>(x.cell)];
        const auto& c = cells[static_cast<std::size_t>(y.cell)];
        if (a.day != c.day) return a.day < c.day;
        if (a.outlet != c.outlet) return a.outlet < c.outlet;
        return x.cell < y.cell;
    });
    for (const auto& cand : candidates) {
        const auto& c = cells[static_cast<std::size_t>(cand.cell)];
        const auto* lo = outlet_entry(b, cand.line, c.outlet);
        if (lo == nullptr) continue;
        while (b.shortfall(cand.line) > 0) {
            int s = choose_break(b, *lo, cand.line, c);
            if (s < 0) s = augment(b, *lo, cand.line, c);
            if (s < 0) break;
            b.place(cand.line, s);
        }
    }
}

}  // namespace

plan make_plan(const instance& in) {
    plan greedy = greedy_plan(in);

    const auto t0 = clock_type::now();
    board b(in);
    const solver::flow_result flow = solver::solve_flow(b);
    const double flow_ms = ms_since(t0);

    const auto t1 = clock_type::now();
    const int dropped = repair(b, flow.flows);
    improve(b);
    const double repair_ms = ms_since(t1);

    plan p = b.finish();
    // Valid for every plan that keeps the frozen placements and the make-good proposals (both plans
    // here do): their value is fixed, and the rest is a flow of the relaxation.
    p.bound_micro = b.fixed_value() + flow.value_micro;
    p.stats.flow_nodes = flow.nodes;
    p.stats.flow_arcs = flow.arcs;
    p.stats.flow_ms = flow_ms;
    p.stats.repair_ms = repair_ms;
    p.stats.flow_value_micro = flow.value_micro;
    p.stats.greedy_value_micro = greedy.objective_micro;
    p.stats.repair_dropped = dropped;
    if (greedy.objective_micro > p.objective_micro) {
        greedy.bound_micro = p.bound_micro;
        greedy.stats = p.stats;
        greedy.stats.greedy_won = true;
        return greedy;
    }
    return p;
}

}  // namespace loa::scheduler::planner
