// make_plan: the min-cost-flow relaxation (LEMON NetworkSimplex), the repair that puts its airings
// into concrete breaks, the best-value-first improvement, and the comparison with the greedy plan.
#include "scheduler/planner/planner.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <tuple>
#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "scheduler/planner/solver_board.hpp"

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
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

struct cell_flow {
    int line = 0;
    int cell = 0;
    int amount = 0;
};

struct flow_result {
    std::int64_t value_micro = 0;  // the relaxation's optimum over what is not fixed
    std::vector<cell_flow> flows;
    int nodes = 0;
    int arcs = 0;
};

// The relaxation of what is left after the frozen placements and the make-goods:
//   source → line (shortfall) → [line-week] → [line-day] → [line-outlet-day] → cell → sink.
// A line-week/-day/-outlet-day node is only made where its limit is below the breaks beneath it
// (elsewhere it could not bind); a line reaches a cell through one arc whose capacity is the number
// of the cell's breaks it may still use (usable, not holding it yet, room for its duration, no
// frozen airing of its department or within its gap); a cell passes at most Σ over its breaks of
// ⌊remaining seconds / shortest duration of the lines that may use that break⌋. Every plan that
// keeps the fixed placements is a flow of this network of the same value, so the optimum bounds it.
flow_result solve_flow(const board& b) {
    const instance& in = b.in();
    using graph = lemon::SmartDigraph;
    graph g;
    std::vector<std::int64_t> upper;
    std::vector<std::int64_t> cost;
    auto add_arc = [&](graph::Node u, graph::Node v, std::int64_t cap, std::int64_t c) {
        const graph::Arc a = g.addArc(u, v);
        upper.push_back(cap);
        cost.push_back(c);
        return a;
    };
    const graph::Node source = g.addNode();
    const graph::Node sink = g.addNode();

    const auto& cells = b.cells();
    std::vector<int> cell_node(cells.size(), -1);
    std::vector<int> cell_count(cells.size(), 0);
    std::vector<int> shortest(in.slots.size(), INT_MAX);
    std::vector<int> touched;
    struct line_arc {
        graph::Arc arc;
        int line;
        int cell;
    };
    std::vector<line_arc> line_arcs;
    std::int64_t supply = 0;

    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        const auto& li = b.line(l);
        const auto& L = in.lines[static_cast<std::size_t>(l)];
        const int want = b.shortfall(l);
        if (!li.approved || want <= 0) continue;
        touched.clear();
        for (const auto& lo : li.outlets) {
            const auto [first, last] = b.outlet_days(lo.outlet, li.lo, li.hi);
            for (const int* p = first; p != last; ++p) {
                const int s = *p;
                if (!b.usable_on(l, lo, s) || b.check(l, s) != block::none) continue;
                const int c = b.cell_of(s);
                if (cell_count[static_cast<std::size_t>(c)]++ == 0) touched.push_back(c);
                auto& m = shortest[static_cast<std::size_t>(s)];
                m = std::min(m, L.duration_s);
            }
        }
        if (touched.empty()) continue;
        // Grouped by week, day, outlet.
        std::sort(touched.begin(), touched.end(), [&](int x, int y) {
            const auto& a = cells[static_cast<std::size_t>(x)];
            const auto& c = cells[static_cast<std::size_t>(y)];
            if (a.day != c.day) return a.day < c.day;
            if (a.outlet != c.outlet) return a.outlet < c.outlet;
            return x < y;
        });
        std::int64_t reachable = 0;
        for (const int c : touched) reachable += cell_count[static_cast<std::size_t>(c)];
        const std::int64_t line_cap = std::min<std::int64_t>(want, reachable);
        supply += line_cap;
        const graph::Node line_node = g.addNode();
        add_arc(source, line_node, line_cap, 0);

        std::size_t i = 0;
        while (i < touched.size()) {
            const int week = b.week_index(cells[static_cast<std::size_t>(touched[i])].day);
            std::size_t week_end = i;
            std::int64_t week_count = 0;
            while (week_end < touched.size() &&
                   b.week_index(cells[static_cast<std::size_t>(touched[week_end])].day) == week) {
                week_count += cell_count[static_cast<std::size_t>(touched[week_end])];
                ++week_end;
            }
            graph::Node week_parent = line_node;
            const int week_room = b.week_room(l, cells[static_cast<std::size_t>(touched[i])].day);
            if (week_room < week_count) {
                week_parent = g.addNode();
                add_arc(line_node, week_parent, week_room, 0);
            }
            while (i < week_end) {
                const int d = cells[static_cast<std::size_t>(touched[i])].day;
                std::size_t day_end = i;
                std::int64_t day_count = 0;
                while (day_end < week_end && cells[static_cast<std::size_t>(touched[day_end])].day == d) {
                    day_count += cell_count[static_cast<std::size_t>(touched[day_end])];
                    ++day_end;
                }
                graph::Node day_parent = week_parent;
                const int day_room = b.day_room(l, d);
                if (day_room < day_count) {
                    day_parent = g.addNode();
                    add_arc(week_parent, day_parent, day_room, 0);
                }
                while (i < day_end) {
                    const int o = cells[static_cast<std::size_t>(touched[i])].outlet;
                    std::size_t outlet_end = i;
                    std::int64_t outlet_count = 0;
                    while (outlet_end < day_end && cells[static_cast<std::size_t>(touched[outlet_end])].outlet == o) {
                        outlet_count += cell_count[static_cast<std::size_t>(touched[outlet_end])];
                        ++outlet_end;
                    }
                    graph::Node outlet_parent = day_parent;
                    const int od_room = b.outlet_day_room(l, o, d);
                    if (od_room < outlet_count) {
                        outlet_parent = g.addNode();
                        add_arc(day_parent, outlet_parent, od_room, 0);
                    }
                    for (; i < outlet_end; ++i) {
                        const int c = touched[i];
                        auto& cn = cell_node[static_cast<std::size_t>(c)];
                        if (cn < 0) cn = graph::id(g.addNode());
                        const auto& s0 = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(c)].slots.front())];
                        const graph::Arc a = add_arc(outlet_parent, graph::nodeFromId(cn),
                                                     cell_count[static_cast<std::size_t>(c)], -value_micro(in, L, s0));
                        line_arcs.push_back({a, l, c});
                    }
                }
            }
        }
        for (const int c : touched) cell_count[static_cast<std::size_t>(c)] = 0;
    }

    for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cell_node[c] < 0) continue;
        std::int64_t cap = 0;
        for (const int s : cells[c].slots) {
            const int m = shortest[static_cast<std::size_t>(s)];
            if (m == INT_MAX) continue;
            cap += std::max(0, b.remaining_seconds(s)) / std::max(1, m);
        }
        add_arc(graph::nodeFromId(cell_node[c]), sink, cap, 0);
    }
    add_arc(source, sink, supply, 0);  // what is not placed

    flow_result r;
    r.nodes = g.nodeNum();
    r.arcs = g.arcNum();
    if (supply == 0) return r;

    graph::ArcMap<std::int64_t> upper_map(g);
    graph::ArcMap<std::int64_t> cost_map(g);
    for (graph::ArcIt a(g); a != lemon::INVALID; ++a) {
        upper_map[a] = upper[static_cast<std::size_t>(graph::id(a))];
        cost_map[a] = cost[static_cast<std::size_t>(graph::id(a))];
    }
    std::vector<std::int64_t>().swap(upper);
    std::vector<std::int64_t>().swap(cost);
    std::vector<int>().swap(shortest);

    lemon::NetworkSimplex<graph, std::int64_t, std::int64_t> ns(g);
    ns.upperMap(upper_map).costMap(cost_map).stSupply(source, sink, supply);
    const auto status = ns.run();
    if (status != lemon::NetworkSimplex<graph, std::int64_t, std::int64_t>::OPTIMAL) return r;  // cannot happen: the bypass is feasible
    r.value_micro = -ns.totalCost<std::int64_t>();
    for (const auto& la : line_arcs) {
        const auto f = ns.flow(la.arc);
        if (f > 0) r.flows.push_back({la.line, la.cell, static_cast<int>(f)});
    }
    return r;
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
            const int s = lo != nullptr ? choose_break(b, *lo, f.line, c) : -1;
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
            const int s = choose_break(b, *lo, cand.line, c);
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
    const flow_result flow = solve_flow(b);
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
