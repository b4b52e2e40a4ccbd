// The min-cost-flow relaxation, solved with LEMON's NetworkSimplex component by component.
//
// The network, for what is left after the frozen placements and the make-goods:
//   source → line → [line-week] → [line-day] → [line-outlet-day] → [cell-department] → cell → sink,
// plus a source → sink arc of cost 0 (nothing has to be placed). A line reaches a cell ⟨outlet,
// date, daypart⟩ through one arc of cost −value_micro per airing; its capacity is how many of the
// cell's breaks the line may still use (usable, not holding it yet, room for its duration, no
// fixed airing of its department or within its gap), and no more than its minimum gap allows
// among them. The line's total, week, day and outlet-day limits are nodes of that capacity, made
// only where the limit is below the breaks beneath, below the least limit of the line's nodes
// above it, and more than one arc leaves them (otherwise the limit folds into the one arc, or
// cannot bind); an outlet-day also passes no more than the line's gap allows among that day's
// breaks. A cell passes at most Σ over its breaks of
// min(⌊remaining s / shortest duration⌋, departments that may use the break) (with department
// separation one airing per department; lines without a department, or without the rule, count
// one each). On small instances the lines of one department also reach a cell through a shared
// node passing at most the number of the cell's breaks any of them may use: there it tightens the
// bound by up to ~5 %, while on city-month instances it halves the simplex's speed for ~0.01 %.
//
// When some break may take lines of different lengths the same network is solved in seconds
// instead: every line arc's capacity × the line's duration, a break passing min(its remaining
// seconds rounded down to the durations' common divisor, departments × the longest duration),
// costs −⌈value / duration⌉ per second. Either way every plan that keeps the fixed placements is
// a flow of at least its value, so the optimum bounds it (the seconds model is the tighter one
// with mixed lengths, the airings model the exact one without). On small instances with mixed
// lengths a Lagrangian relaxation then tightens it: the airings model again, each cell's seconds
// priced in with a multiplier per cell (lagrange() below), the least bound of the rounds kept;
// and where lengths mix or departments are kept apart, a Lagrangian decomposition prices each
// break's own rules in (decompose() below: the network in airings plus a knapsack per break),
// whose best round also gives the repair three more starts (flow_result::priced_flows in two
// orders, break_sets).
//
// Lines that share no outlet never interact, so each connected component is its own network
// (a national instance is many regions: memory stays that of the largest).
#include "scheduler/planner/solver_flow.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

namespace loa::scheduler::planner::solver {
namespace {

using graph = lemon::SmartDigraph;
// Flows and capacities in int where the network's supply fits (nearly always: it halves the simplex's
// arrays of capacities and flows), in int64 otherwise; costs always in int64.
template <typename Value>
using simplex_of = lemon::NetworkSimplex<graph, Value, std::int64_t>;
constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min() / 2;
constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max() / 4;
constexpr int both_models_max_arcs = 20'000;
constexpr std::size_t department_nodes_max_slots = 5'000;
constexpr std::size_t lagrange_max_slots = 5'000;
constexpr int lagrange_rounds = 10;
constexpr int decompose_rounds = 30;
constexpr std::int64_t decompose_max_work = 5'000'000;  // knapsack steps per round (knapsack_work)
constexpr int knapsack_max_units = 4096;  // a longer break (in its lengths' common divisor) is not counted in units

struct cell_use {
    int cell;
    int count;
    int day;  // the cell's day, outlet and ISO week (the keys of the levels above it)
    int outlet;
    int week;
    int outlet_day = -1;  // index into line_scan::outlet_days of the cell's (day, outlet)
};

struct outlet_day_use {
    int day;
    int outlet;
    int count;  // most airings its gap allows among that day's usable breaks
};

struct line_scan {
    int line;
    std::vector<cell_use> cells;              // by (day, outlet, cell)
    std::vector<outlet_day_use> outlet_days;  // by (day, outlet)
};

// A line → cell arc. The leaves are the network's last arcs (leaf i is arc inner arcs + i); their
// capacity and cost in seconds follow from these and the line's duration, so they are not stored.
struct leaf {
    int from = 0;  // node ids
    int to = 0;
    int line = 0;
    int cell = 0;
    std::int64_t cap = 0;  // airings
    std::int64_t cost = 0;  // per airing: −value_micro
};

// The cells of one department group with a shared node (see add_group).
struct shared_cell {
    int cell;
    int breaks;    // how many of the cell's breaks any of the group's lines may use
    int duration;  // the group's longest line there
};

// One department group's scanned lines (all groups are scanned before any arc is made, so that
// the arrays can be sized once: growing them by doubling touched twice the memory).
struct group_scan {
    std::vector<line_scan> scans;
    std::vector<shared_cell> shared;
};

// Per break: durations of the lines that may use it, and how many groups may (one struct, as the
// scan of every (line, break) pair updates them together).
struct break_tally {
    int d_min = INT_MAX;
    int d_max = 0;
    int d_gcd = 0;
    int n_groups = 0;
    int stamp = -1;  // the last group counted
    // Where the instance has at most 64 lengths (always, in practice), the lengths seen as bits of
    // scratch::lengths instead: one OR per (line, break) in place of a min, a max and a gcd, which
    // finish_cells() derives from the bits once per break.
    std::uint64_t length_bits = 0;
};

// Per cell: the line being scanned (updated together for every pair, like break_tally).
struct cell_tally {
    int raw = 0;     // the line's usable breaks in the cell
    int capped = 0;  // of them, as many as its gap allows
    std::int64_t last_t = never;
};

// Working arrays over all slots and cells, reused by every component (each touches its own).
struct scratch {
    scratch(std::size_t slots, std::size_t cells)
        : brk(slots),
          line_cell(cells),
          g_union(cells, 0),
          g_lines(cells, 0),
          g_sum(cells, 0),
          g_dmax(cells, 0),
          g_node(cells, -1),
          cell_node(cells, -1) {}
    std::vector<break_tally> brk;
    std::vector<cell_tally> line_cell;
    // per cell: the department group being scanned (for its shared node)
    std::vector<int> g_union, g_lines;
    std::vector<std::int64_t> g_sum;
    std::vector<int> g_dmax, g_node;
    std::vector<int> cell_node;
    std::vector<int> first_slot;  // per cell: its first break (whose value the line's arc carries)
    // The instance's distinct lengths, ascending, and each line's bit among them (break_tally::
    // length_bits); both empty when there are more than 64.
    std::vector<int> lengths;
    std::vector<std::uint64_t> line_bit;
    // scan()'s buffers, reused line after line: the cells a line touches, and how many per day.
    std::vector<int> touched;
    std::vector<int> per_day;
};

class component {
public:
    component(const board& b, scratch& s)
        : b_(b),
          in_(b.in()),
          s_(s),
          department_nodes_(in_.separate_departments && b.breaks_in_play() <= department_nodes_max_slots) {
        source_ = add_node(std::numeric_limits<std::int64_t>::min());
        sink_ = add_node(std::numeric_limits<std::int64_t>::min());
    }

    // Adds the lines (sorted by department group, then index) and solves.
    void solve(const std::vector<int>& lines, int& group_id, flow_result& out) {
        if (department_nodes_) {
            scan_then_emit(lines, group_id);
        } else {
            scan_and_emit(lines, group_id);
        }
        finish_cells();
        if (supply_ == 0) return;
        run(out);
    }

private:
    const board& b_;
    const instance& in_;
    scratch& s_;
    graph g_;
    std::vector<std::int64_t> node_key_;
    std::vector<int> arc_u_, arc_v_;
    std::vector<int> real_;  // the graph's id of each node
    int source_ = 0;
    int sink_ = 0;
    // per inner arc (every arc but the leaves, all of cost 0), by id: capacity in airings, seconds
    std::vector<std::int64_t> cap_n_, cap_s_;
    std::vector<leaf> leaves_;
    std::array<std::vector<std::size_t>, 4> starts_;
    std::vector<int> cells_used_;        // sorted once the cells are finished
    std::vector<std::int64_t> cell_s_;   // per cells_used_ entry: the seconds it may take
    std::vector<int> cell_nodes_;        // and its node
    std::int64_t supply_ = 0;
    std::int64_t supply_s_ = 0;
    bool mixed_ = false;
    bool zero_length_ = false;
    bool department_nodes_ = false;
    std::int64_t unit_ = 0;  // seconds per flow unit in the seconds model

    [[nodiscard]] int group_of(int l) const {
        const bool shared = in_.separate_departments && !in_.lines[static_cast<std::size_t>(l)].department.empty();
        return shared ? b_.line(l).department : -1;
    }
    [[nodiscard]] int duration(int l) const { return in_.lines[static_cast<std::size_t>(l)].duration_s; }

    // Nodes and arcs are collected first and put into the graph by build(): nodes in the order of
    // their key (the day they are about, then the outlet), so that the network simplex's walks
    // over a subtree (its potential updates, most of its time) touch nearby memory.
    int add_node(std::int64_t key) {
        node_key_.push_back(key);
        return static_cast<int>(node_key_.size()) - 1;
    }
    [[nodiscard]] std::int64_t cell_key(int c) const {
        const auto& ci = b_.cells()[static_cast<std::size_t>(c)];
        return static_cast<std::int64_t>(ci.day) * 65536 + ci.outlet;
    }
    void add_arc(int u, int v, std::int64_t cap, std::int64_t cap_s) {
        arc_u_.push_back(u);
        arc_v_.push_back(v);
        cap_n_.push_back(cap);
        cap_s_.push_back(cap_s);
    }
    [[nodiscard]] int arc_count() const { return static_cast<int>(arc_u_.size() + leaves_.size()); }
    [[nodiscard]] static graph::Arc arc(int a) { return graph::arcFromId(a); }
    [[nodiscard]] graph::Arc leaf_arc(std::size_t i) const { return arc(static_cast<int>(arc_u_.size() + i)); }
    [[nodiscard]] graph::Node node(int n) const {
        return graph::nodeFromId(real_[static_cast<std::size_t>(n)]);
    }
    void build() {
        const std::size_t n = node_key_.size();
        real_.assign(n, 0);
        std::vector<int> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
            return node_key_[static_cast<std::size_t>(x)] < node_key_[static_cast<std::size_t>(y)];
        });
        g_.reserveNode(static_cast<int>(n));
        g_.reserveArc(arc_count());
        for (const int x : order) real_[static_cast<std::size_t>(x)] = graph::id(g_.addNode());
        // Arcs keep the order they were made in: the inner arcs (ids are indexes of cap_n_ and
        // cap_s_), then the leaves.
        for (std::size_t a = 0; a < arc_u_.size(); ++a) g_.addArc(node(arc_u_[a]), node(arc_v_[a]));
        for (const auto& lf : leaves_) g_.addArc(node(lf.from), node(lf.to));
    }
    int cell_node(int c) {
        auto& n = s_.cell_node[static_cast<std::size_t>(c)];
        if (n < 0) {
            n = add_node(cell_key(c));
            cells_used_.push_back(c);
        }
        return n;
    }

    // The usable breaks of one line: per cell, per outlet-day, and the per-break tallies.
    // Into `sc`, whose arrays are reused.
    void scan(int l, int group_id, std::vector<int>& group_cells, line_scan& sc) {
        const auto& L = in_.lines[static_cast<std::size_t>(l)];
        const auto& li = b_.line(l);
        const std::int64_t gap = static_cast<std::int64_t>(L.min_gap_minutes) * 60;
        sc.line = l;
        sc.cells.clear();
        sc.outlet_days.clear();
        auto& touched = s_.touched;
        touched.clear();
        if (!li.approved) return;
        // A line with no airing yet, in a break with nothing in it and room for it, passes
        // check_fresh() (its own rules need an occupant, or too little room, to block it).
        const bool fresh = b_.total(l) == 0;
        const bool wants = li.wanted > 0;
        const std::uint64_t bit = s_.line_bit.empty() ? 0 : s_.line_bit[static_cast<std::size_t>(l)];
        for (const auto& lo : li.outlets) {
            // Dates and lead time hold for the whole range: usable_in_range checks the rest.
            const auto [first, last] = b_.outlet_days_after_lead(lo.outlet, li.lo, li.hi);
            int cur_day = INT_MIN;
            std::int64_t od_last = never;
            for (const int* p = first; p != last; ++p) {
                const int s = *p;
                if (!b_.usable_in_range(L.duration_s, lo, s)) continue;
                if (fresh) {
                    const bool open = wants && b_.occupants(s).empty() && b_.remaining_seconds(s) >= L.duration_s;
                    if (!open && b_.check_fresh(l, s) != block::none) continue;
                } else if (b_.check(l, s) != block::none) {
                    continue;
                }
                const auto su = static_cast<std::size_t>(s);
                const int d = b_.day_of(s);
                const std::int64_t t = in_.slots[su].start.time_since_epoch().count();
                if (d != cur_day) {
                    sc.outlet_days.push_back({d, lo.outlet, 0});
                    cur_day = d;
                    od_last = never;
                }
                if (t - od_last >= gap) {
                    ++sc.outlet_days.back().count;
                    od_last = t;
                }
                const int c = b_.cell_of(s);
                const auto cu = static_cast<std::size_t>(c);
                auto& lc = s_.line_cell[cu];
                if (lc.raw++ == 0) {
                    touched.push_back(c);
                    lc.last_t = never;
                    lc.capped = 0;
                }
                if (t - lc.last_t >= gap) {
                    ++lc.capped;
                    lc.last_t = t;
                }
                auto& bt = s_.brk[su];
                if (bit != 0) {
                    bt.length_bits |= bit;
                } else {
                    bt.d_min = std::min(bt.d_min, L.duration_s);
                    bt.d_max = std::max(bt.d_max, L.duration_s);
                    if (bt.d_gcd != L.duration_s) bt.d_gcd = std::gcd(bt.d_gcd, L.duration_s);
                }
                if (bt.stamp != group_id) {
                    bt.stamp = group_id;
                    ++bt.n_groups;
                    if (s_.g_union[cu]++ == 0) group_cells.push_back(c);
                }
            }
        }
        // By (day, outlet, cell): counted by day (the line's days lo..hi), keeping the order of
        // the outlets (ascending) and, within an outlet's day, of the breaks; then an insertion
        // sort puts a day's cells of one outlet in order (cells go by daypart, breaks by start:
        // nearly always the same order already).
        const auto& cells = b_.cells();
        auto& per_day = s_.per_day;
        per_day.assign(static_cast<std::size_t>(li.hi - li.lo + 2), 0);
        for (const int c : touched) ++per_day[static_cast<std::size_t>(cells[static_cast<std::size_t>(c)].day - li.lo + 1)];
        for (std::size_t k = 1; k < per_day.size(); ++k) per_day[k] += per_day[k - 1];
        sc.cells.resize(touched.size());
        for (const int c : touched) {
            const auto& ci = cells[static_cast<std::size_t>(c)];
            sc.cells[static_cast<std::size_t>(per_day[static_cast<std::size_t>(ci.day - li.lo)]++)] = {c, 0, ci.day, ci.outlet, 0};
        }
        auto before = [](const cell_use& a, const cell_use& c) {
            if (a.day != c.day) return a.day < c.day;
            if (a.outlet != c.outlet) return a.outlet < c.outlet;
            return a.cell < c.cell;
        };
        for (std::size_t k = 1; k < sc.cells.size(); ++k) {
            const cell_use x = sc.cells[k];
            std::size_t j = k;
            for (; j > 0 && before(x, sc.cells[j - 1]); --j) sc.cells[j] = sc.cells[j - 1];
            sc.cells[j] = x;
        }
        for (std::size_t k = 0; k < sc.cells.size(); ++k) {
            auto& cu_ = sc.cells[k];
            cu_.week = k > 0 && sc.cells[k - 1].day == cu_.day ? sc.cells[k - 1].week : b_.week_index(cu_.day);
            const int c = cu_.cell;
            const auto cu = static_cast<std::size_t>(c);
            cu_.count = s_.line_cell[cu].capped;
            ++s_.g_lines[cu];
            s_.g_sum[cu] += cu_.count;
            s_.g_dmax[cu] = std::max(s_.g_dmax[cu], L.duration_s);
            s_.line_cell[cu].raw = 0;
        }
        std::sort(sc.outlet_days.begin(), sc.outlet_days.end(), [](const outlet_day_use& x, const outlet_day_use& y) {
            return x.day != y.day ? x.day < y.day : x.outlet < y.outlet;
        });
        // Both in (day, outlet) order, and every cell's outlet-day is there (its breaks made it).
        std::size_t od = 0;
        for (auto& cu_ : sc.cells) {
            while (sc.outlet_days[od].day != cu_.day || sc.outlet_days[od].outlet != cu_.outlet) ++od;
            cu_.outlet_day = static_cast<int>(od);
        }
    }

    // With shared nodes (small instances): a department's lines are all scanned before its shared
    // nodes are known, and all groups before any arc is made, so that the arrays are sized once
    // (growing them by doubling touched twice the memory).
    void scan_then_emit(const std::vector<int>& lines, int& group_id) {
        std::vector<group_scan> groups;
        std::size_t gi = 0;
        std::size_t cells = 0;
        while (gi < lines.size()) {
            const std::size_t ge = group_end(lines, gi);
            groups.push_back(scan_group(lines, gi, ge, ++group_id));
            for (const auto& sc : groups.back().scans) cells += sc.cells.size();
            gi = ge;
        }
        std::size_t shared = 0;
        for (const auto& g : groups) shared += g.shared.size();
        reserve(cells, shared);
        for (const auto& g : groups) add_group(g);
    }

    // Without shared nodes nothing of a line's arcs waits for the lines after it: each line is
    // emitted as soon as it is scanned, from one buffer (its cells never go to fresh memory), in
    // the order scan_then_emit() would emit them, so the network is the same. The arrays are
    // reserved for as many leaves as the lines' outlets have cells on their dates, which the scan
    // can only lower (the pages of a reservation are not touched until they are written).
    void scan_and_emit(const std::vector<int>& lines, int& group_id) {
        std::size_t cells = 0;
        for (const int l : lines) {
            const auto& li = b_.line(l);
            for (const auto& lo : li.outlets) {
                const auto [first, last] = b_.outlet_cells(lo.outlet, li.lo, li.hi);
                cells += static_cast<std::size_t>(last - first);
            }
        }
        reserve(cells, 0);
        line_scan sc;
        std::vector<int> group_cells;
        std::size_t gi = 0;
        while (gi < lines.size()) {
            const std::size_t ge = group_end(lines, gi);
            ++group_id;
            for (std::size_t k = gi; k < ge; ++k) {
                scan(lines[k], group_id, group_cells, sc);
                if (!sc.cells.empty()) emit_line(sc);
            }
            end_group(group_cells, nullptr);
            gi = ge;
        }
    }

    // Every scanned cell is one leaf; a line's inner nodes (each with two children or more) are
    // fewer than its cells; a cell has one arc to the sink; a shared node one arc.
    void reserve(std::size_t cells, std::size_t shared) {
        leaves_.reserve(cells);
        const std::size_t inner = 2 * cells + shared + 1;
        arc_u_.reserve(inner);
        arc_v_.reserve(inner);
        cap_n_.reserve(inner);
        cap_s_.reserve(inner);
        node_key_.reserve(2 * cells + shared + 2);
    }

    // The end of the department group of lines that starts at gi (a line without one is its own).
    [[nodiscard]] std::size_t group_end(const std::vector<int>& lines, std::size_t gi) const {
        std::size_t ge = gi + 1;
        const int grp = group_of(lines[gi]);
        if (grp >= 0) {
            while (ge < lines.size() && group_of(lines[ge]) == grp) ++ge;
        }
        return ge;
    }

    group_scan scan_group(const std::vector<int>& lines, std::size_t gi, std::size_t ge, int group_id) {
        group_scan g;
        std::vector<int> group_cells;
        for (std::size_t k = gi; k < ge; ++k) {
            line_scan sc;
            scan(lines[k], group_id, group_cells, sc);
            if (!sc.cells.empty()) g.scans.push_back(std::move(sc));
        }
        end_group(group_cells, &g.shared);
        return g;
    }

    // After a department group's lines are scanned: its shared nodes, where its lines could together
    // take more than the breaks (when `shared` is given), and the group's tallies cleared.
    void end_group(std::vector<int>& group_cells, std::vector<shared_cell>* shared) {
        for (const int c : group_cells) {
            const auto cu = static_cast<std::size_t>(c);
            if (shared != nullptr && department_nodes_ && s_.g_lines[cu] >= 2 && s_.g_sum[cu] > s_.g_union[cu]) {
                shared->push_back({c, s_.g_union[cu], s_.g_dmax[cu]});
            }
            s_.g_union[cu] = 0;
            s_.g_lines[cu] = 0;
            s_.g_sum[cu] = 0;
            s_.g_dmax[cu] = 0;
        }
        group_cells.clear();
    }

    void add_group(const group_scan& g) {
        for (const auto& x : g.shared) {
            auto& gn = s_.g_node[static_cast<std::size_t>(x.cell)];
            gn = add_node(cell_key(x.cell));
            add_arc(gn, cell_node(x.cell), x.breaks, static_cast<std::int64_t>(x.breaks) * x.duration);
        }
        for (const auto& sc : g.scans) emit_line(sc);
        for (const auto& x : g.shared) s_.g_node[static_cast<std::size_t>(x.cell)] = -1;
    }

    // Levels below a line: 1 week, 2 day, 3 outlet-day, 4 cell.
    [[nodiscard]] static long long key(const line_scan& sc, int level, std::size_t i) {
        const auto& c = sc.cells[i];
        switch (level) {
            case 1: return c.week;
            case 2: return c.day;
            case 3: return static_cast<long long>(c.day) * 1'000'000 + c.outlet;
            default: return c.cell;
        }
    }

    [[nodiscard]] std::int64_t room(const line_scan& sc, int level, std::size_t i) const {
        const int l = sc.line;
        const auto& c = sc.cells[i];
        switch (level) {
            case 1: return std::min<std::int64_t>(unlimited, b_.week_room(l, c.day));
            case 2: return std::min<std::int64_t>(unlimited, b_.day_room(l, c.day));
            case 3: {
                const std::int64_t r = std::min<std::int64_t>(unlimited, b_.outlet_day_room(l, c.outlet, c.day));
                return std::min<std::int64_t>(r, sc.outlet_days[static_cast<std::size_t>(c.outlet_day)].count);
            }
            default: return sc.cells[i].count;
        }
    }

    // Arcs for cells [i, j) of the line at `level`, entering from `parent` with at most `pending`
    // (this level's own limit), below nodes that pass at most `above` (the least of theirs). A
    // level whose limit is not below `above` needs no node: the one above already keeps it (a
    // line of one airing per day under a limit of two per outlet and day, say).
    void emit(const line_scan& sc, int level, std::size_t i, std::size_t j, int parent, std::int64_t pending,
              std::int64_t above) {
        if (level == 4) {
            const int c = sc.cells[i].cell;
            const int gn = s_.g_node[static_cast<std::size_t>(c)];
            const int target = gn >= 0 ? gn : cell_node(c);
            const auto& s0 = in_.slots[static_cast<std::size_t>(s_.first_slot[static_cast<std::size_t>(c)])];
            leaves_.push_back({parent, target, sc.line, c, std::min<std::int64_t>(pending, sc.cells[i].count),
                               -value_micro(in_, in_.lines[static_cast<std::size_t>(sc.line)], s0)});
            return;
        }
        // The children at the next level (a buffer per level: the recursion goes one level down).
        auto& starts = starts_[static_cast<std::size_t>(level)];
        starts.clear();
        for (std::size_t k = i; k < j; ++k) {
            if (k == i || key(sc, level + 1, k) != key(sc, level + 1, k - 1)) starts.push_back(k);
        }
        starts.push_back(j);
        if (starts.size() == 2) {
            emit(sc, level + 1, i, j, parent, std::min(pending, room(sc, level + 1, i)), above);
            return;
        }
        std::int64_t total = 0;
        for (std::size_t k = i; k < j; ++k) total += sc.cells[k].count;
        int node = parent;
        if (pending < total && pending < above) {
            // Keyed by its first day (and an outlet-day by its outlet too), like the cells.
            node = add_node(static_cast<std::int64_t>(sc.cells[i].day) * 65536 + (level == 3 ? sc.cells[i].outlet : 0));
            add_arc(parent, node, pending, pending * duration(sc.line));
        }
        for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
            emit(sc, level + 1, starts[k], starts[k + 1], node, room(sc, level + 1, starts[k]),
                 node == parent ? above : pending);
        }
    }

    void emit_line(const line_scan& sc) {
        std::int64_t reachable = 0;
        for (const auto& cu : sc.cells) reachable += cu.count;
        const std::int64_t cap = std::min<std::int64_t>(b_.shortfall(sc.line), reachable);
        supply_ += cap;
        supply_s_ += cap * duration(sc.line);
        emit(sc, 0, 0, sc.cells.size(), source_, cap, unlimited);
    }

    void finish_cells() {
        std::sort(cells_used_.begin(), cells_used_.end());
        for (const int c : cells_used_) {
            std::int64_t cn = 0;
            std::int64_t cs = 0;
            for (const int s : b_.cells()[static_cast<std::size_t>(c)].slots) {
                auto& bt = s_.brk[static_cast<std::size_t>(s)];
                if (bt.n_groups == 0) continue;  // no line may use it (d_max is 0 for lines of no length too)
                if (bt.length_bits != 0) {
                    const std::uint64_t m = bt.length_bits;
                    bt.d_min = s_.lengths[static_cast<std::size_t>(std::countr_zero(m))];
                    bt.d_max = s_.lengths[static_cast<std::size_t>(63 - std::countl_zero(m))];
                    bt.d_gcd = 0;
                    for (std::uint64_t r = m; r != 0; r &= r - 1) {
                        bt.d_gcd = std::gcd(bt.d_gcd, s_.lengths[static_cast<std::size_t>(std::countr_zero(r))]);
                    }
                }
                const std::int64_t rem = std::max(0, b_.remaining_seconds(s));
                if (bt.d_min <= 0) {
                    // A line of no length: only the one-per-department count limits the break
                    // (and the seconds model cannot express it, so it is not used).
                    cn += bt.n_groups;
                    zero_length_ = true;
                    continue;
                }
                cn += std::min<std::int64_t>(rem / bt.d_min, bt.n_groups);
                cs += std::min<std::int64_t>(rem / bt.d_gcd * bt.d_gcd, static_cast<std::int64_t>(bt.n_groups) * bt.d_max);
                mixed_ = mixed_ || bt.d_min != bt.d_max;
            }
            cell_nodes_.push_back(s_.cell_node[static_cast<std::size_t>(c)]);
            add_arc(s_.cell_node[static_cast<std::size_t>(c)], sink_, cn, cs);
            cell_s_.push_back(cs);
            s_.cell_node[static_cast<std::size_t>(c)] = -1;
        }
        add_arc(source_, sink_, supply_, supply_s_);  // what is not placed
    }

    // An arc's capacity and cost in one of the two models (what the network simplex is given).
    [[nodiscard]] std::int64_t arc_cap(int a, bool seconds) const {
        const auto au = static_cast<std::size_t>(a);
        if (au < cap_n_.size()) return seconds ? cap_s_[au] / unit_ : cap_n_[au];
        const auto& lf = leaves_[au - cap_n_.size()];
        return seconds ? lf.cap * std::max(1, duration(lf.line)) / unit_ : lf.cap;
    }
    // `priced`: the leaves' costs in airings as lagrange() prices the cells in (nullptr: their own).
    [[nodiscard]] std::int64_t arc_cost(int a, bool seconds, const std::vector<std::int64_t>* priced) const {
        const auto au = static_cast<std::size_t>(a);
        if (au < cap_n_.size()) return 0;
        const std::size_t i = au - cap_n_.size();
        const auto& lf = leaves_[i];
        if (!seconds) return priced != nullptr ? (*priced)[i] : lf.cost;
        // Per unit of `unit_` seconds, rounded up so that the model still bounds every plan.
        const std::int64_t dur = std::max(1, duration(lf.line));
        return -((-lf.cost * unit_ + dur - 1) / dur);
    }
    // Read by the network simplex when it is given the capacities and costs (no copy of them). No
    // arc carries more than the supply (the network has no cycle), and the supply is below the
    // largest value the simplex counts flows in (run() chooses it so), so a capacity above that
    // value is lowered to it without changing anything (the simplex takes it as no limit).
    template <typename simplex>
    struct arc_view {
        using Key = graph::Arc;
        using Value = std::int64_t;
        const component* c;
        bool seconds;
        bool cost;
        const std::vector<std::int64_t>* priced;
        Value operator[](Key a) const {
            if (cost) return c->arc_cost(graph::id(a), seconds, priced);
            return std::min<Value>(c->arc_cap(graph::id(a), seconds),
                                   std::numeric_limits<typename simplex::Value>::max());
        }
    };

    void run(flow_result& out) {
        // The seconds model counts in the lengths' common divisor (every capacity is a multiple).
        if (zero_length_) mixed_ = false;
        for (const auto& lf : leaves_) unit_ = std::gcd(unit_, static_cast<std::int64_t>(std::max(1, duration(lf.line))));
        unit_ = std::max<std::int64_t>(1, unit_);
        build();
        // Flows in int while the supply stays below the largest int (arc_view).
        if (std::max(supply_, mixed_ ? supply_s_ / unit_ : 0) < std::numeric_limits<int>::max()) {
            run_with<simplex_of<int>>(out);
        } else {
            run_with<simplex_of<std::int64_t>>(out);
        }
    }

    template <typename simplex>
    void run_with(flow_result& out) {
        simplex ns(g_);
        // In airings; with mixed lengths in seconds (its solution guides the repair), after one in
        // airings only where that is cheap: it is the tighter bound now and then on small
        // networks, hardly ever on large ones.
        std::int64_t value = std::numeric_limits<std::int64_t>::max();
        if (!mixed_ || arc_count() <= both_models_max_arcs) value = solve_model(ns, false, out);
        if (mixed_) value = std::min(value, solve_model(ns, true, out));
        out.value_micro += value;
        out.nodes += g_.nodeNum();
        out.arcs += g_.arcNum();
        out.largest_nodes = std::max(out.largest_nodes, g_.nodeNum());
        out.largest_arcs = std::max(out.largest_arcs, g_.arcNum());
        const std::size_t first_flow = out.flows.size();
        for (std::size_t i = 0; i < leaves_.size(); ++i) {
            const auto& lf = leaves_[i];
            std::int64_t f = ns.flow(leaf_arc(i));
            if (mixed_) {
                const std::int64_t dur = std::max(1, duration(lf.line));
                f = (f * unit_ + dur - 1) / dur;
            }
            if (f > 0) out.flows.push_back({lf.line, lf.cell, static_cast<int>(f)});
        }
        // After the flows are read: the repair follows the seconds model's solution.
        // Small networks are then priced further (each round solves the network once more):
        // with mixed lengths each cell's seconds (lagrange()), and where lengths mix or
        // departments are kept apart each break's own rules (decompose()). The least bound counts.
        const bool small = b_.breaks_in_play() <= lagrange_max_slots && arc_count() <= both_models_max_arcs;
        std::int64_t priced = std::numeric_limits<std::int64_t>::max();
        if (small && (mixed_ || in_.separate_departments)) {
            // Both start from each cell's price in the model just solved: the potential difference
            // across its arc to the sink, what one more unit there is worth.
            std::vector<int> leaf_cell(leaves_.size());
            for (std::size_t i = 0; i < leaves_.size(); ++i) {
                leaf_cell[i] = static_cast<int>(
                    std::lower_bound(cells_used_.begin(), cells_used_.end(), leaves_[i].cell) - cells_used_.begin());
            }
            std::vector<std::int64_t> cell_price(cells_used_.size());
            for (std::size_t c = 0; c < cell_price.size(); ++c) {
                cell_price[c] =
                    std::max<std::int64_t>(0, ns.potential(node(sink_)) - ns.potential(node(cell_nodes_[c])));
            }
            // Per leaf, per airing.
            std::vector<double> mu(leaves_.size(), 0);
            for (std::size_t i = 0; i < leaves_.size(); ++i) {
                const std::int64_t units = mixed_ ? std::max(1, duration(leaves_[i].line)) / unit_ : 1;
                mu[i] = static_cast<double>(cell_price[static_cast<std::size_t>(leaf_cell[i])] * units);
            }
            std::int64_t bound = value;
            if (mixed_) bound = std::min(bound, lagrange(ns, bound, out, leaf_cell, cell_price, mu));
            priced = decompose(ns, std::move(mu), out);
            out.value_micro -= value - std::min(bound, priced);
        }
        // The decomposition's starts (when another component has them) take the flow of a component
        // it did not run on.
        if (priced == std::numeric_limits<std::int64_t>::max()) {
            for (std::size_t i = first_flow; i < out.flows.size(); ++i) out.priced_flows.push_back(out.flows[i]);
        }
    }

    // The breaks' own rules (Lagrangian decomposition). A plan's airings x_i on leaf i are both a
    // flow of the airings model and, break by break, a set that fits the break: its seconds, one
    // airing per department, one per line. So for any prices μ_i its value Σ v_i·x_i is at most
    //   F(μ) = the airings model's optimum with leaf costs −v_i + μ_i
    // plus
    //   K(μ) = Σ over breaks of the best set that fits the break, each airing worth μ_i.
    // The network lets fractions of airings fill a cell's seconds; K does not.
    struct candidate {
        int slot;
        int group;  // one airing per group per break: the department, or the line alone
        int duration;
        int leaf;
    };
    [[nodiscard]] std::vector<candidate> break_candidates() const {
        std::vector<candidate> cands;
        const auto& cells = b_.cells();
        for (std::size_t i = 0; i < leaves_.size(); ++i) {
            const auto& lf = leaves_[i];
            const int grp = group_of(lf.line);
            for (const int s : cells[static_cast<std::size_t>(lf.cell)].slots) {
                if (b_.usable(lf.line, s) && b_.check(lf.line, s) == block::none) {
                    cands.push_back({s, grp >= 0 ? grp : -2 - lf.line, duration(lf.line), static_cast<int>(i)});
                }
            }
        }
        std::sort(cands.begin(), cands.end(), [](const candidate& x, const candidate& c) {
            return std::tie(x.slot, x.group, x.leaf) < std::tie(c.slot, c.group, c.leaf);
        });
        return cands;
    }
    // K(μ): per break a knapsack over its groups (in the lengths' common divisor); `taken` gets
    // how many airings of each leaf the best sets hold.
    std::int64_t knapsacks(const std::vector<candidate>& cands, const std::vector<std::int64_t>& worth,
                           std::vector<std::int64_t>& taken, std::vector<std::pair<int, int>>* picks = nullptr) const {
        std::int64_t total = 0;
        std::fill(taken.begin(), taken.end(), 0);
        auto take = [&](std::size_t k) {
            const candidate& cd = cands[k];
            ++taken[static_cast<std::size_t>(cd.leaf)];
            if (picks != nullptr) picks->emplace_back(leaves_[static_cast<std::size_t>(cd.leaf)].line, cd.slot);
        };
        std::vector<std::int64_t> dp, next;
        std::vector<std::int32_t> pick;  // per group of the break × capacity: the candidate taken
        for (std::size_t i = 0; i < cands.size();) {
            std::size_t j = i;
            int g = 0;
            while (j < cands.size() && cands[j].slot == cands[i].slot) {
                if (worth[static_cast<std::size_t>(cands[j].leaf)] > 0) g = std::gcd(g, cands[j].duration);
                ++j;
            }
            const int rem = std::max(0, b_.remaining_seconds(cands[i].slot));
            if (g > 0 && rem / g > knapsack_max_units) {
                // Too long a break to count in units: the best airing of each group, length aside.
                for (std::size_t k = i; k < j;) {
                    std::int64_t top = 0;
                    int at = -1;
                    const int grp = cands[k].group;
                    for (; k < j && cands[k].group == grp; ++k) {
                        if (worth[static_cast<std::size_t>(cands[k].leaf)] > top) {
                            top = worth[static_cast<std::size_t>(cands[k].leaf)];
                            at = static_cast<int>(k);
                        }
                    }
                    total += top;
                    if (at >= 0) take(static_cast<std::size_t>(at));
                }
                i = j;
                continue;
            }
            // Lines of no length weigh nothing (g = 0 when all of them are: no unit is needed).
            const int capu = g > 0 ? rem / g : 0;
            const auto width = static_cast<std::size_t>(capu) + 1;
            dp.assign(width, 0);
            pick.clear();
            std::size_t groups = 0;
            for (std::size_t k = i; k < j; ++groups) {
                next = dp;
                pick.resize(pick.size() + width, -1);
                std::int32_t* row = pick.data() + groups * width;
                const int grp = cands[k].group;
                for (; k < j && cands[k].group == grp; ++k) {
                    const std::int64_t w = worth[static_cast<std::size_t>(cands[k].leaf)];
                    if (w <= 0) continue;
                    const int wt = g > 0 ? cands[k].duration / g : 0;
                    for (int c = capu; c >= wt; --c) {
                        const std::int64_t v = dp[static_cast<std::size_t>(c - wt)] + w;
                        if (v > next[static_cast<std::size_t>(c)]) {
                            next[static_cast<std::size_t>(c)] = v;
                            row[c] = static_cast<std::int32_t>(k);
                        }
                    }
                }
                dp.swap(next);
            }
            total += dp[static_cast<std::size_t>(capu)];
            int c = capu;
            for (std::size_t q = groups; q-- > 0;) {
                const int k = pick[q * width + static_cast<std::size_t>(c)];
                if (k < 0) continue;
                take(static_cast<std::size_t>(k));
                c -= g > 0 ? cands[static_cast<std::size_t>(k)].duration / g : 0;
            }
            i = j;
        }
        return total;
    }
    // An upper limit of one round's knapsack work: per break, its candidates × its capacity in
    // units of all its candidates' lengths' common divisor (a round divides by at least that).
    [[nodiscard]] std::int64_t knapsack_work(const std::vector<candidate>& cands) const {
        std::int64_t work = 0;
        for (std::size_t i = 0; i < cands.size();) {
            std::size_t j = i;
            int g = 0;
            while (j < cands.size() && cands[j].slot == cands[i].slot) g = std::gcd(g, cands[j++].duration);
            const int rem = std::max(0, b_.remaining_seconds(cands[i].slot));
            work += static_cast<std::int64_t>(j - i) * ((g > 0 ? std::min(rem / g, knapsack_max_units) : 0) + 1);
            i = j;
        }
        return work;
    }
    // Subgradient rounds on μ (per leaf, from `mu`): Polyak's rule toward 3 % below the best bound,
    // along a deflected direction (the subgradient, what the flow puts on a leaf less what the
    // breaks' best sets take, plus 0.7 of the direction before: it zigzags less); θ halves when 3
    // rounds bring nothing. (Against 2 % and 0.5, over small seeds 1–100 with separation rules:
    // the bounds' sum 0.08 % lower, the plans' 0.03 % higher, within 1 % of the bound on 83 instead
    // of 68.) Returns the least F(μ) + K(μ) seen (the
    // largest int64 when the knapsacks would cost too much to run).
    template <typename simplex>
    std::int64_t decompose(simplex& ns, std::vector<double> mu, flow_result& out) {
        const std::vector<candidate> cands = break_candidates();
        // Breaks of many candidates and seconds counted one by one (a 7 s and a 15 s spot in
        // long breaks) could make the rounds cost more than the plan: then no rounds.
        if (knapsack_work(cands) > decompose_max_work) return std::numeric_limits<std::int64_t>::max();
        const std::size_t n = leaves_.size();
        std::vector<std::int64_t> priced(n), worth(n), taken(n);
        std::vector<double> dir(n, 0.0);
        std::int64_t best = std::numeric_limits<std::int64_t>::max();
        double theta = 1.0;
        int stale = 0;
        std::vector<cell_flow> best_flow;
        std::vector<std::pair<int, int>> picks, best_sets;
        for (int round = 0; round < decompose_rounds; ++round) {
            for (std::size_t i = 0; i < n; ++i) {
                worth[i] = std::llround(mu[i]);
                priced[i] = leaves_[i].cost + worth[i];
            }
            picks.clear();
            const std::int64_t value = solve_model(ns, false, out, &priced) + knapsacks(cands, worth, taken, &picks);
            if (value < best) {
                best = value;
                stale = 0;
                best_sets = picks;
                best_flow.clear();
                for (std::size_t i = 0; i < n; ++i) {
                    const auto f = static_cast<int>(ns.flow(leaf_arc(i)));
                    if (f > 0) best_flow.push_back({leaves_[i].line, leaves_[i].cell, f});
                }
            } else if (++stale >= 3) {
                theta /= 2;
                stale = 0;
            }
            double norm = 0;
            bool agree = true;
            for (std::size_t i = 0; i < n; ++i) {
                const auto g = static_cast<double>(static_cast<std::int64_t>(ns.flow(leaf_arc(i))) - taken[i]);
                agree = agree && g == 0;
                dir[i] = g + 0.7 * dir[i];
                norm += dir[i] * dir[i];
            }
            if (agree || norm == 0) break;  // the flow's airings fit the breaks: F + K is their value
            const double step = theta * (static_cast<double>(value) - 0.97 * static_cast<double>(best)) / norm;
            for (std::size_t i = 0; i < n; ++i) mu[i] = std::max(0.0, mu[i] + step * dir[i]);
        }
        out.decomposed = true;
        out.priced_flows.insert(out.priced_flows.end(), best_flow.begin(), best_flow.end());
        out.break_sets.insert(out.break_sets.end(), best_sets.begin(), best_sets.end());
        return best;
    }

    // The airings model with each cell's seconds (what the seconds model limits) priced in
    // instead of dropped: for multipliers λ_c ≥ 0 (micro-units per second, integers), an airing
    // of a line of d seconds in cell c costs −value + λ_c·d, and the optimum plus Σ λ_c · seconds_c
    // bounds every plan (its airings in c take at most seconds_c, so what they pay back is at most
    // that). λ starts at the seconds model's prices, then takes subgradient steps (Polyak's rule
    // toward 2 % below the best bound, halved when 3 rounds bring nothing); returns the least
    // bound seen, `start` when none is lower. On the small generated instances with separation
    // rules it takes the bound from 1.56 % above CBC's optimum to 1.0 % on average (one round
    // does 1.09 %; 30 rounds from λ = 0 did 1.02 %). `leaf_cell`: each leaf's index in cells_used_;
    // `cell_price`: each cell's price in the seconds model; `best_mu` gets, per leaf, λ_c·d of the
    // best round when one is lower than `start` (where decompose() then starts).
    template <typename simplex>
    std::int64_t lagrange(simplex& ns, std::int64_t start, flow_result& out, const std::vector<int>& leaf_cell,
                          const std::vector<std::int64_t>& cell_price, std::vector<double>& best_mu) {
        // Started from the seconds model's own prices (ns holds its optimum), per second.
        std::vector<std::int64_t> lambda(cells_used_.size(), 0);
        for (std::size_t c = 0; c < lambda.size(); ++c) lambda[c] = cell_price[c] / unit_;
        std::vector<std::int64_t> used(cells_used_.size(), 0);
        std::int64_t best = start;
        double theta = 1.0;
        int stale = 0;
        std::vector<std::int64_t> priced(leaves_.size());
        for (int round = 0; round < lagrange_rounds; ++round) {
            std::int64_t paid = 0;
            for (std::size_t i = 0; i < leaves_.size(); ++i) {
                const auto& lf = leaves_[i];
                priced[i] = lf.cost + lambda[static_cast<std::size_t>(leaf_cell[i])] * std::max(1, duration(lf.line));
            }
            for (std::size_t c = 0; c < lambda.size(); ++c) paid += lambda[c] * cell_s_[c];
            const std::int64_t value = solve_model(ns, false, out, &priced) + paid;
            if (value < best) {
                best = value;
                stale = 0;
                for (std::size_t i = 0; i < leaves_.size(); ++i) best_mu[i] = static_cast<double>(priced[i] - leaves_[i].cost);
            } else if (++stale >= 3) {
                theta /= 2;
                stale = 0;
            }
            // Subgradient: seconds the flow put into each cell beyond what it may take.
            std::fill(used.begin(), used.end(), 0);
            for (std::size_t i = 0; i < leaves_.size(); ++i) {
                const auto& lf = leaves_[i];
                used[static_cast<std::size_t>(leaf_cell[i])] +=
                    static_cast<std::int64_t>(ns.flow(leaf_arc(i))) * std::max(1, duration(lf.line));
            }
            double norm = 0;
            for (std::size_t c = 0; c < lambda.size(); ++c) {
                const double g = static_cast<double>(used[c] - cell_s_[c]);
                if (lambda[c] > 0 || g > 0) norm += g * g;
            }
            if (norm == 0) break;  // no cell over its seconds: this λ's bound is the best it gets
            const double step = theta * (static_cast<double>(value) - 0.98 * static_cast<double>(best)) / norm;
            for (std::size_t c = 0; c < lambda.size(); ++c) {
                const double g = static_cast<double>(used[c] - cell_s_[c]);
                lambda[c] = std::max<std::int64_t>(0, lambda[c] + std::llround(step * g));
            }
        }
        return best;
    }

    // One network simplex run; returns the optimum's value.
    template <typename simplex>
    std::int64_t solve_model(simplex& ns, bool seconds, flow_result& out,
                             const std::vector<std::int64_t>* priced = nullptr) {
        ns.resetParams();
        ns.upperMap(arc_view<simplex>{this, seconds, false, priced})
            .costMap(arc_view<simplex>{this, seconds, true, priced})
            .stSupply(node(source_), node(sink_), seconds ? supply_s_ / unit_ : supply_);
        ++out.rounds;
        // The bypass arc makes every network feasible and its costs are finite, so the simplex always
        // ends OPTIMAL. Were it ever not to, no bound could be claimed and the planner's skipping of
        // the greedy baseline at the bound would rest on nothing: fail loudly instead (the CLI and the
        // API answer an internal error; nothing is stored).
        const auto t0 = std::chrono::steady_clock::now();
        // The pivot rule by size. On small networks (a few hundred nodes, solved some 40 times by
        // the Lagrangian and decomposition rounds) the first eligible arc is cheapest: over small
        // seeds 1–100 with separation rules make_plan took 18 % less time than with the candidate
        // list (706 against 865 ms in all), bounds 0.001 % lower, plans 0.02 % lower, within 1 % of
        // the bound 80 instead of 83, worst gap 2.26 % instead of 2.32 % (another optimal flow
        // starts the rounds and the repair elsewhere). On large ones the candidate list is fastest
        // (docs/planner.md, "Where the time goes").
        const auto rule = arc_count() <= both_models_max_arcs ? simplex::FIRST_ELIGIBLE : simplex::CANDIDATE_LIST;
        const auto status = ns.run(rule);
        out.simplex_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (status != simplex::OPTIMAL) {
            throw std::logic_error("planner: the network simplex ended without an optimum (status " +
                                   std::to_string(static_cast<int>(status)) + ")");
        }
        return -ns.template totalCost<std::int64_t>();
    }
};

int find(std::vector<int>& parent, int x) {
    while (parent[static_cast<std::size_t>(x)] != x) {
        parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
        x = parent[static_cast<std::size_t>(x)];
    }
    return x;
}

}  // namespace

flow_result solve_flow(const board& b) {
    const instance& in = b.in();
    flow_result out;

    // Lines that may still get airings, grouped into components by shared outlets.
    std::vector<int> parent(in.outlets.size());
    std::iota(parent.begin(), parent.end(), 0);
    std::vector<int> lines;
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        const auto& li = b.line(l);
        if (!li.approved || b.shortfall(l) <= 0 || li.outlets.empty() || li.lo > li.hi) continue;
        lines.push_back(l);
        for (const auto& lo : li.outlets) {
            const int x = find(parent, li.outlets.front().outlet);
            const int y = find(parent, lo.outlet);
            if (x != y) parent[static_cast<std::size_t>(std::max(x, y))] = std::min(x, y);
        }
    }
    std::vector<int> root_index(in.outlets.size(), -1);
    std::vector<std::vector<int>> comps;
    for (const int l : lines) {
        const int r = find(parent, b.line(l).outlets.front().outlet);
        auto& ri = root_index[static_cast<std::size_t>(r)];
        if (ri < 0) {
            ri = static_cast<int>(comps.size());
            comps.emplace_back();
        }
        comps[static_cast<std::size_t>(ri)].push_back(l);
    }

    scratch s(in.slots.size(), b.cells().size());
    s.first_slot.reserve(b.cells().size());
    for (const auto& c : b.cells()) s.first_slot.push_back(c.slots.front());
    for (const auto& L : in.lines) s.lengths.push_back(L.duration_s);
    std::sort(s.lengths.begin(), s.lengths.end());
    s.lengths.erase(std::unique(s.lengths.begin(), s.lengths.end()), s.lengths.end());
    if (s.lengths.size() <= 64) {
        for (const auto& L : in.lines) {
            const auto at = std::lower_bound(s.lengths.begin(), s.lengths.end(), L.duration_s) - s.lengths.begin();
            s.line_bit.push_back(std::uint64_t{1} << at);
        }
    } else {
        s.lengths.clear();
    }
    int group_id = 0;
    for (auto& comp : comps) {
        std::stable_sort(comp.begin(), comp.end(), [&](int x, int y) {
            auto grp = [&](int l) {
                return in.separate_departments && !in.lines[static_cast<std::size_t>(l)].department.empty()
                           ? b.line(l).department
                           : -1;
            };
            return grp(x) < grp(y);
        });
        component c(b, s);
        c.solve(comp, group_id, out);
        ++out.components;
    }
    return out;
}

}  // namespace loa::scheduler::planner::solver
