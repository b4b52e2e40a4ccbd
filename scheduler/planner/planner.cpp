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
//   source → line → [line-week] → [line-day] → [line-outlet-day] → [cell-department] → cell → sink.
// A line reaches a cell ⟨outlet, date, daypart⟩ through one arc of value −value_micro per airing
// whose capacity is how many of the cell's breaks it may still use (usable, not holding it yet,
// room for its duration, no fixed airing of its department or within its gap), and no more than
// its minimum gap allows among them. Its week/day/outlet-day limits are nodes with that capacity,
// made only where the limit is below the breaks beneath (elsewhere it cannot bind); an outlet-day
// also passes no more than its gap allows among that day's breaks. With department separation,
// the lines of one department reach a cell through a shared node passing at most the number of
// the cell's breaks any of them may use (one airing of a department per break). A cell passes at
// most Σ over its breaks of min(⌊remaining s / shortest duration⌋, departments that may use it).
//
// The network is solved twice when some break may take lines of different lengths: in airings
// (above) and in seconds (every capacity × the line's duration, a break passing its remaining
// seconds rounded down to the durations' common divisor, costs −⌈value / duration⌉ per second).
// Each is a relaxation: any plan that keeps the fixed placements is a flow of both of the same
// value (in seconds, of at least that value), so min of the two optima bounds it. The repair
// follows the seconds solution then, as it respects the breaks' length.
flow_result solve_flow(const board& b) {
    const instance& in = b.in();
    using graph = lemon::SmartDigraph;
    graph g;
    std::vector<std::int64_t> cap_n;   // in airings
    std::vector<std::int64_t> cap_s;   // in seconds
    std::vector<std::int64_t> cost_n;  // per airing
    std::vector<std::int64_t> cost_s;  // per second
    auto add_arc = [&](graph::Node u, graph::Node v, std::int64_t cn, std::int64_t cs, std::int64_t kn,
                       std::int64_t ks) {
        const graph::Arc a = g.addArc(u, v);
        cap_n.push_back(cn);
        cap_s.push_back(cs);
        cost_n.push_back(kn);
        cost_s.push_back(ks);
        return a;
    };
    const graph::Node source = g.addNode();
    const graph::Node sink = g.addNode();

    const auto& cells = b.cells();
    const std::size_t n_cells = cells.size();
    const std::size_t n_slots = in.slots.size();
    std::vector<int> cell_node(n_cells, -1);
    auto cell_target = [&](int c) {
        auto& cn = cell_node[static_cast<std::size_t>(c)];
        if (cn < 0) cn = graph::id(g.addNode());
        return graph::nodeFromId(cn);
    };

    // Per break: the shortest and longest duration and their common divisor over the lines that
    // may use it, how many departments (or lines without one) may use it, the last group counted.
    std::vector<int> d_min(n_slots, INT_MAX);
    std::vector<int> d_max(n_slots, 0);
    std::vector<int> d_gcd(n_slots, 0);
    std::vector<int> n_groups(n_slots, 0);
    std::vector<int> stamp(n_slots, -1);

    // Per cell, for the line being scanned and for its department group.
    constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min() / 2;
    std::vector<int> raw(n_cells, 0);
    std::vector<int> capped(n_cells, 0);
    std::vector<std::int64_t> last_t(n_cells, never);
    std::vector<int> g_union(n_cells, 0);
    std::vector<int> g_lines(n_cells, 0);
    std::vector<std::int64_t> g_sum(n_cells, 0);
    std::vector<int> g_dmax(n_cells, 0);
    std::vector<int> g_node(n_cells, -1);
    std::vector<int> g_cells;
    std::vector<int> touched;

    struct cell_use {
        int cell;
        int count;
    };
    struct outlet_day_use {
        int day;
        int outlet;
        int count;  // most airings its gap allows among the day's usable breaks
    };
    struct line_scan {
        int line;
        std::vector<cell_use> cells;  // by (day, outlet, cell)
        std::vector<outlet_day_use> outlet_days;  // by (day, outlet)
    };
    struct line_arc {
        graph::Arc arc;
        int line;
        int cell;
    };
    std::vector<line_arc> line_arcs;
    std::int64_t supply_n = 0;
    std::int64_t supply_s = 0;

    // Lines in groups that share the department rule: one department each, or a line alone.
    std::vector<int> order;
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        if (b.line(l).approved && b.shortfall(l) > 0) order.push_back(l);
    }
    auto group_of = [&](int l) {
        const bool shared = in.separate_departments && !in.lines[static_cast<std::size_t>(l)].department.empty();
        return shared ? b.line(l).department : -1;
    };
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return group_of(x) < group_of(y); });

    int group_id = 0;
    std::vector<line_scan> scans;
    std::size_t gi = 0;
    while (gi < order.size()) {
        std::size_t ge = gi + 1;
        if (group_of(order[gi]) >= 0) {
            while (ge < order.size() && group_of(order[ge]) == group_of(order[gi])) ++ge;
        }
        ++group_id;
        scans.clear();
        g_cells.clear();
        for (std::size_t k = gi; k < ge; ++k) {
            const int l = order[k];
            const auto& L = in.lines[static_cast<std::size_t>(l)];
            const std::int64_t gap = static_cast<std::int64_t>(L.min_gap_minutes) * 60;
            line_scan sc{l, {}, {}};
            touched.clear();
            for (const auto& lo : b.line(l).outlets) {
                const auto [first, last] = b.outlet_days(lo.outlet, b.line(l).lo, b.line(l).hi);
                int cur_day = INT_MIN;
                std::int64_t od_last = never;
                for (const int* p = first; p != last; ++p) {
                    const int s = *p;
                    if (!b.usable_on(l, lo, s) || b.check(l, s) != block::none) continue;
                    const auto su = static_cast<std::size_t>(s);
                    const int d = b.day_of(s);
                    const std::int64_t t = in.slots[su].start.time_since_epoch().count();
                    if (d != cur_day) {
                        sc.outlet_days.push_back({d, lo.outlet, 0});
                        cur_day = d;
                        od_last = never;
                    }
                    if (t - od_last >= gap) {
                        ++sc.outlet_days.back().count;
                        od_last = t;
                    }
                    const int c = b.cell_of(s);
                    const auto cu = static_cast<std::size_t>(c);
                    if (raw[cu]++ == 0) {
                        touched.push_back(c);
                        last_t[cu] = never;
                        capped[cu] = 0;
                    }
                    if (t - last_t[cu] >= gap) {
                        ++capped[cu];
                        last_t[cu] = t;
                    }
                    d_min[su] = std::min(d_min[su], L.duration_s);
                    d_max[su] = std::max(d_max[su], L.duration_s);
                    d_gcd[su] = std::gcd(d_gcd[su], L.duration_s);
                    if (stamp[su] != group_id) {
                        stamp[su] = group_id;
                        ++n_groups[su];
                        if (g_union[cu]++ == 0) g_cells.push_back(c);
                    }
                }
            }
            std::sort(touched.begin(), touched.end(), [&](int x, int y) {
                const auto& a = cells[static_cast<std::size_t>(x)];
                const auto& c = cells[static_cast<std::size_t>(y)];
                if (a.day != c.day) return a.day < c.day;
                if (a.outlet != c.outlet) return a.outlet < c.outlet;
                return x < y;
            });
            for (const int c : touched) {
                const auto cu = static_cast<std::size_t>(c);
                sc.cells.push_back({c, capped[cu]});
                ++g_lines[cu];
                g_sum[cu] += capped[cu];
                g_dmax[cu] = std::max(g_dmax[cu], L.duration_s);
                raw[cu] = 0;
            }
            std::sort(sc.outlet_days.begin(), sc.outlet_days.end(), [](const outlet_day_use& x, const outlet_day_use& y) {
                return x.day != y.day ? x.day < y.day : x.outlet < y.outlet;
            });
            if (!sc.cells.empty()) scans.push_back(std::move(sc));
        }

        // The department's shared node where its lines could together take more than the breaks.
        for (const int c : g_cells) {
            const auto cu = static_cast<std::size_t>(c);
            if (g_lines[cu] >= 2 && g_sum[cu] > g_union[cu]) {
                const graph::Node n = g.addNode();
                g_node[cu] = graph::id(n);
                add_arc(n, cell_target(c), g_union[cu], static_cast<std::int64_t>(g_union[cu]) * g_dmax[cu], 0, 0);
            }
        }

        for (const auto& sc : scans) {
            const int l = sc.line;
            const auto& L = in.lines[static_cast<std::size_t>(l)];
            const std::int64_t dur = L.duration_s;
            std::int64_t reachable = 0;
            for (const auto& cu : sc.cells) reachable += cu.count;
            const std::int64_t line_cap = std::min<std::int64_t>(b.shortfall(l), reachable);
            supply_n += line_cap;
            supply_s += line_cap * dur;
            const graph::Node line_node = g.addNode();
            add_arc(source, line_node, line_cap, line_cap * dur, 0, 0);
            auto limit_node = [&](graph::Node parent, std::int64_t room) {
                const graph::Node n = g.addNode();
                add_arc(parent, n, room, room * dur, 0, 0);
                return n;
            };
            std::size_t od = 0;
            std::size_t i = 0;
            while (i < sc.cells.size()) {
                const int day0 = cells[static_cast<std::size_t>(sc.cells[i].cell)].day;
                const int week = b.week_index(day0);
                std::size_t week_end = i;
                std::int64_t week_count = 0;
                while (week_end < sc.cells.size() &&
                       b.week_index(cells[static_cast<std::size_t>(sc.cells[week_end].cell)].day) == week) {
                    week_count += sc.cells[week_end].count;
                    ++week_end;
                }
                const std::int64_t week_room = b.week_room(l, day0);
                const graph::Node week_parent = week_room < week_count ? limit_node(line_node, week_room) : line_node;
                while (i < week_end) {
                    const int d = cells[static_cast<std::size_t>(sc.cells[i].cell)].day;
                    std::size_t day_end = i;
                    std::int64_t day_count = 0;
                    while (day_end < week_end && cells[static_cast<std::size_t>(sc.cells[day_end].cell)].day == d) {
                        day_count += sc.cells[day_end].count;
                        ++day_end;
                    }
                    const std::int64_t day_room = b.day_room(l, d);
                    const graph::Node day_parent = day_room < day_count ? limit_node(week_parent, day_room) : week_parent;
                    while (i < day_end) {
                        const int o = cells[static_cast<std::size_t>(sc.cells[i].cell)].outlet;
                        std::size_t outlet_end = i;
                        std::int64_t outlet_count = 0;
                        while (outlet_end < day_end && cells[static_cast<std::size_t>(sc.cells[outlet_end].cell)].outlet == o) {
                            outlet_count += sc.cells[outlet_end].count;
                            ++outlet_end;
                        }
                        while (od < sc.outlet_days.size() &&
                               (sc.outlet_days[od].day < d || (sc.outlet_days[od].day == d && sc.outlet_days[od].outlet < o))) {
                            ++od;
                        }
                        std::int64_t od_room = b.outlet_day_room(l, o, d);
                        if (od < sc.outlet_days.size() && sc.outlet_days[od].day == d && sc.outlet_days[od].outlet == o) {
                            od_room = std::min<std::int64_t>(od_room, sc.outlet_days[od].count);
                        }
                        const graph::Node outlet_parent =
                            od_room < outlet_count ? limit_node(day_parent, od_room) : day_parent;
                        for (; i < outlet_end; ++i) {
                            const int c = sc.cells[i].cell;
                            const auto& s0 = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(c)].slots.front())];
                            const std::int64_t v = value_micro(in, L, s0);
                            const int gn = g_node[static_cast<std::size_t>(c)];
                            const graph::Node target = gn >= 0 ? graph::nodeFromId(gn) : cell_target(c);
                            const graph::Arc a = add_arc(outlet_parent, target, sc.cells[i].count,
                                                         sc.cells[i].count * dur, -v, -((v + dur - 1) / dur));
                            line_arcs.push_back({a, l, c});
                        }
                    }
                }
            }
        }
        for (const int c : g_cells) {
            const auto cu = static_cast<std::size_t>(c);
            g_union[cu] = 0;
            g_lines[cu] = 0;
            g_sum[cu] = 0;
            g_dmax[cu] = 0;
            g_node[cu] = -1;
        }
        gi = ge;
    }

    bool mixed = false;
    for (std::size_t c = 0; c < n_cells; ++c) {
        if (cell_node[c] < 0) continue;
        std::int64_t cn = 0;
        std::int64_t cs = 0;
        for (const int s : cells[c].slots) {
            const auto su = static_cast<std::size_t>(s);
            if (d_max[su] == 0) continue;
            const std::int64_t rem = std::max(0, b.remaining_seconds(s));
            cn += std::min<std::int64_t>(rem / d_min[su], n_groups[su]);
            cs += std::min<std::int64_t>(rem / d_gcd[su] * d_gcd[su], static_cast<std::int64_t>(n_groups[su]) * d_max[su]);
            mixed = mixed || d_min[su] != d_max[su];
        }
        add_arc(graph::nodeFromId(cell_node[c]), sink, cn, cs, 0, 0);
    }
    add_arc(source, sink, supply_n, supply_s, 0, 0);  // what is not placed

    flow_result r;
    r.nodes = g.nodeNum();
    r.arcs = g.arcNum();
    if (supply_n == 0) return r;

    using simplex = lemon::NetworkSimplex<graph, std::int64_t, std::int64_t>;
    graph::ArcMap<std::int64_t> upper(g);
    graph::ArcMap<std::int64_t> cost(g);
    auto load = [&](const std::vector<std::int64_t>& u, const std::vector<std::int64_t>& k) {
        for (graph::ArcIt a(g); a != lemon::INVALID; ++a) {
            upper[a] = u[static_cast<std::size_t>(graph::id(a))];
            cost[a] = k[static_cast<std::size_t>(graph::id(a))];
        }
    };
    simplex ns(g);
    load(cap_n, cost_n);
    ns.upperMap(upper).costMap(cost).stSupply(source, sink, supply_n);
    if (ns.run() != simplex::OPTIMAL) return r;  // cannot happen: the bypass arc is always feasible
    r.value_micro = -ns.totalCost<std::int64_t>();
    if (mixed) {
        load(cap_s, cost_s);
        ns.resetParams();
        ns.upperMap(upper).costMap(cost).stSupply(source, sink, supply_s);
        if (ns.run() == simplex::OPTIMAL) r.value_micro = std::min(r.value_micro, -ns.totalCost<std::int64_t>());
    }
    for (const auto& la : line_arcs) {
        std::int64_t f = ns.flow(la.arc);
        if (mixed) {
            const std::int64_t dur = in.lines[static_cast<std::size_t>(la.line)].duration_s;
            f = (f + dur - 1) / dur;
        }
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
