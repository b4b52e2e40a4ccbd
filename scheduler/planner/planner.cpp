// make_plan: the min-cost-flow relaxation (solver_flow.hpp), the repair that puts its airings into
// concrete breaks, the fill and local search that follow, and the comparison with the greedy plan.
//
// Phases, each under every hard rule (solver_board.hpp's check):
//  1. the board keeps the frozen placements and proposes the make-goods (also for greedy_plan);
//  2. the relaxation (beside both) gives the bound, valid for every plan that keeps them, and
//     per line and cell how many airings to place;
//  3. repair: those airings into breaks (choose_break, then augment when a cell seems full);
//  4. fill: what is still wanted, best value first over every cell a line may use;
//  5. local search (only when the bound is not reached): ejecting cheaper airings, re-spacing
//     gap lines, relocating airings to better breaks and ejection chains for the lines still
//     short (small instances); then every short line takes its open breaks;
//  3–5 run from one start, on small instances two (both orders of the repair), or five where
//  the relaxation's decomposition ran (its flow in both orders, its breaks' best sets), and on a
//  re-plan of a stored plan first from the stored plan as it is; the first of the most valuable
//  results is kept (the stored plan on a tie);
//  6. settle: on a re-plan, airings that moved without gain go back to their stored breaks.
//  Finally the greedy baseline is run (unless the plan reaches the bound, or from the moment it
//  cannot catch up) and returned instead when it is worth more, so make_plan is never below it.
#include "scheduler/planner/planner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
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
// Buffers choose_break and augment reuse from call to call (they are called once per airing).
struct cell_scratch {
    std::vector<int> open;
    std::vector<int> prev;
    std::vector<int> mover;
    std::vector<int> queue;
};

int choose_break(const board& b, const solver::line_outlet& lo, int l, const solver::cell_info& c, cell_scratch& scratch) {
    const instance& in = b.in();
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    const int n = static_cast<int>(c.slots.size());
    const int start = (c.day + l + c.daypart) % n;
    std::vector<int>& open = scratch.open;
    open.clear();
    for (int i = 0; i < n; ++i) {
        const int s = c.slots[static_cast<std::size_t>((start + i) % n)];
        if (b.remaining_seconds(s) >= L.duration_s && b.usable_on(l, lo, s) && b.check(l, s) == block::none) {
            open.push_back(s);
        }
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
int augment(board& b, const solver::line_outlet& lo, int l, const solver::cell_info& c, cell_scratch& scratch) {
    const int dur = b.in().lines[static_cast<std::size_t>(l)].duration_s;
    const int n = static_cast<int>(c.slots.size());
    // A chain ends in a break with room for one more airing of this length: without one, none.
    if (std::none_of(c.slots.begin(), c.slots.end(), [&](int s) { return b.remaining_seconds(s) >= dur; })) return -1;
    std::vector<int>& prev = scratch.prev;
    prev.assign(static_cast<std::size_t>(n), -2);  // -2 unseen, -1 a break l may take
    std::vector<int>& mover = scratch.mover;
    mover.assign(static_cast<std::size_t>(n), -1);
    std::vector<int>& queue = scratch.queue;
    queue.clear();
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

// Airings as (line, break) placed as they are where every rule allows, most valuable first;
// returns how many did not fit. The decomposition's best sets, break by break (solver_flow.cpp:
// they ignore the lines' limits, which the decomposition only prices), or a re-plan's stored
// placements (which a change since may have made unusable: a message no longer approved, a
// blackout, a shorter flight).
int place_sets(board& b, const std::vector<std::pair<int, int>>& sets) {
    const instance& in = b.in();
    std::vector<std::pair<std::int64_t, std::pair<int, int>>> order;
    order.reserve(sets.size());
    for (const auto& [l, s] : sets) {
        order.push_back({-value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(s)]), {l, s}});
    }
    std::sort(order.begin(), order.end());
    int lost = 0;
    for (const auto& [v, ls] : order) {
        if (b.usable(ls.first, ls.second) && b.check(ls.first, ls.second) == solver::block::none) {
            b.place(ls.first, ls.second);
        } else {
            ++lost;
        }
    }
    return lost;
}

// The flow's airings into breaks, highest priority first; returns how many found no break.
// The orders the repair is tried in (the best result is kept): priority; value per second of
// break (short valuable spots first). On generated instances the second one wins now and then on
// small instances (by up to ~1 %) and never on city-sized ones, so only small ones try it; a
// third order (lines with a gap first) never won and was dropped.
enum class repair_order { priority, per_second };
constexpr std::size_t second_order_max_slots = 5'000;

int repair(board& b, std::vector<cell_flow> flows, repair_order order) {
    const instance& in = b.in();
    const auto& cells = b.cells();
    auto rank = [&](const cell_flow& f) -> std::int64_t {
        const auto& L = in.lines[static_cast<std::size_t>(f.line)];
        switch (order) {
            case repair_order::priority: return L.priority;
            case repair_order::per_second: {
                const auto& s0 = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(f.cell)].slots.front())];
                return value_micro(in, L, s0) / std::max(1, L.duration_s);
            }
        }
        return 0;
    };
    std::stable_sort(flows.begin(), flows.end(), [&](const cell_flow& x, const cell_flow& y) {
        const std::int64_t px = rank(x);
        const std::int64_t py = rank(y);
        if (px != py) return px > py;
        if (x.line != y.line) return x.line < y.line;
        const auto& a = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(x.cell)].slots.front())];
        const auto& c = in.slots[static_cast<std::size_t>(cells[static_cast<std::size_t>(y.cell)].slots.front())];
        if (a.start != c.start) return a.start < c.start;
        if (a.outlet != c.outlet) return a.outlet < c.outlet;
        return x.cell < y.cell;
    });
    int dropped = 0;
    cell_scratch scratch;
    for (const auto& f : flows) {
        const auto& c = cells[static_cast<std::size_t>(f.cell)];
        const auto* lo = outlet_entry(b, f.line, c.outlet);
        for (int k = 0; k < f.amount; ++k) {
            int s = lo != nullptr ? choose_break(b, *lo, f.line, c, scratch) : -1;
            if (s < 0 && lo != nullptr) s = augment(b, *lo, f.line, c, scratch);
            if (s < 0) {
                dropped += f.amount - k;
                break;
            }
            b.place(f.line, s);
        }
    }
    return dropped;
}

// Where a walk over one outlet's cells [c, last) of a line goes on after a break of day `day`
// refused the line with `why`: past the rest of that day when the line's limit per day or per
// outlet and day closed it, past the rest of its ISO week for the limit per week, else at c.
int past_closed(const board& b, int c, int last, int day, block why) {
    const auto& cells = b.cells();
    if (why == block::day || why == block::outlet_day) {
        while (c < last && cells[static_cast<std::size_t>(c)].day == day) ++c;
    } else if (why == block::week) {
        const int w = b.week_index(day);
        while (c < last && b.week_index(cells[static_cast<std::size_t>(c)].day) == w) ++c;
    }
    return c;
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
        int day;  // the cell's, for the order without looking it up
        int outlet;
    };
    std::vector<candidate> candidates;
    // The order below is (value descending, line, day, outlet, cell). Candidates come line by line,
    // so each line's are put in (day, cell) order as they come (a day's cells of one outlet are
    // numbered in a row, outlet after outlet, so that is (day, outlet, cell)), and a stable sort by
    // value follows: far fewer comparisons of five fields than one sort of all.
    auto by_day = [](const candidate& x, const candidate& y) { return x.day != y.day ? x.day < y.day : x.cell < y.cell; };
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        const auto& li = b.line(l);
        if (!li.approved || b.shortfall(l) <= 0) continue;
        const auto& L = in.lines[static_cast<std::size_t>(l)];
        const std::size_t line_first = candidates.size();
        for (const auto& lo : li.outlets) {
            // Cell by cell (all of a cell's breaks are of one daypart and worth the same): the
            // first break that takes the line makes the cell a candidate; a break closed by the
            // line's limit on its day, outlet-day or week closes the cells there too (nothing is
            // placed while the candidates are collected).
            const auto [first, last] = b.outlet_cells(lo.outlet, li.lo, li.hi);
            for (int c = first; c < last;) {
                const auto& ci = cells[static_cast<std::size_t>(c)];
                ++c;
                if (!lo.allows(ci.daypart)) continue;
                block why = block::room;
                int taken = -1;
                for (const int s : ci.slots) {
                    if (b.remaining_seconds(s) < L.duration_s || !b.usable_on(l, lo, s)) continue;
                    why = b.check(l, s);
                    if (why == block::none) {
                        taken = s;
                        break;
                    }
                    if (why == block::day || why == block::outlet_day || why == block::week) break;
                }
                if (taken >= 0) {
                    candidates.push_back({value_micro(in, L, in.slots[static_cast<std::size_t>(taken)]), l, c - 1, ci.day, ci.outlet});
                } else {
                    c = past_closed(b, c, last, ci.day, why);
                }
            }
        }
        std::sort(candidates.begin() + static_cast<std::ptrdiff_t>(line_first), candidates.end(), by_day);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const candidate& x, const candidate& y) { return x.value > y.value; });
    cell_scratch scratch;
    for (const auto& cand : candidates) {
        const auto& c = cells[static_cast<std::size_t>(cand.cell)];
        const auto* lo = outlet_entry(b, cand.line, c.outlet);
        if (lo == nullptr) continue;
        while (b.shortfall(cand.line) > 0) {
            int s = choose_break(b, *lo, cand.line, c, scratch);
            if (s < 0) s = augment(b, *lo, cand.line, c, scratch);
            if (s < 0) break;
            b.place(cand.line, s);
        }
    }
}

// The best break (by value, then time) that l may take now among all it could use, or -1: of the
// most valuable ones, the first of its first outlet (its outlets ascending, each one's breaks by
// date and start). Cell by cell (a cell's breaks are worth the same): a cell worth less than the
// best so far, or as much but not earlier, is passed without asking the rules; a break closed by
// the line's limit on its day, outlet-day or week closes the cells there too.
int best_open_break(const board& b, int l) {
    const instance& in = b.in();
    const auto& cells = b.cells();
    const auto& li = b.line(l);
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    int best = -1;
    int best_outlet = -1;
    std::int64_t best_value = 0;
    for (const auto& lo : li.outlets) {
        const auto [first, last] = b.outlet_cells(lo.outlet, li.lo, li.hi);
        for (int c = first; c < last;) {
            const auto& ci = cells[static_cast<std::size_t>(c)];
            ++c;
            if (!lo.allows(ci.daypart)) continue;
            const std::int64_t v = value_micro(in, L, in.slots[static_cast<std::size_t>(ci.slots.front())]);
            // Only a break before the best one (same value, same outlet) may still take its place.
            const bool tie = best >= 0 && v == best_value;
            if (best >= 0 && (v < best_value || (tie && best_outlet != lo.outlet))) continue;
            const auto best_start = best >= 0 ? in.slots[static_cast<std::size_t>(best)].start : instant{};
            block why = block::room;
            for (const int s : ci.slots) {
                if (tie && in.slots[static_cast<std::size_t>(s)].start >= best_start) break;
                if (!b.usable_on(l, lo, s)) continue;
                why = b.check(l, s);
                if (why == block::none) {
                    best = s;
                    best_outlet = lo.outlet;
                    best_value = v;
                    break;
                }
                if (why == block::day || why == block::outlet_day || why == block::week) break;
            }
            c = past_closed(b, c, last, ci.day, why);
        }
    }
    return best;
}

// The airings to take out of break s so that l fits: every one of l's department (when the
// campaign keeps departments apart; all must be movable) and the cheapest set of the other
// movable ones that makes room (the 6 cheapest are enough to choose from), costing less than
// `limit` in all. nullopt when no set does. `movable(q)`: whether placement q may be taken out.
template <typename Movable>
std::optional<std::vector<int>> room_for(const board& b, int l, int s, std::int64_t limit, Movable movable) {
    const instance& in = b.in();
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    const auto& S = in.slots[static_cast<std::size_t>(s)];
    const bool separate = in.separate_departments && !L.department.empty();
    std::vector<int> must;
    std::vector<int> may;
    for (const int q : b.placed_in(s)) {
        const auto& pq = b.placement_at(q);
        if (separate && in.lines[static_cast<std::size_t>(pq.line)].department == L.department) {
            if (!movable(q)) return std::nullopt;
            must.push_back(q);
        } else if (movable(q)) {
            may.push_back(q);
        }
    }
    const int need = L.duration_s;
    auto value_of = [&](int q) { return value_micro(in, in.lines[static_cast<std::size_t>(b.placement_at(q).line)], S); };
    std::stable_sort(may.begin(), may.end(), [&](int x, int y) { return value_of(x) < value_of(y); });
    if (may.size() > 6) may.resize(6);
    std::int64_t base = 0;
    int room = b.remaining_seconds(s);
    for (const int q : must) {
        base += value_of(q);
        room += b.placement_at(q).duration_s;
    }
    std::int64_t best_cost = -1;
    unsigned best_mask = 0;
    const auto n = static_cast<unsigned>(may.size());
    for (unsigned mask = 0; mask < (1U << n); ++mask) {
        std::int64_t cost = base;
        int r = room;
        for (unsigned i = 0; i < n; ++i) {
            if ((mask >> i & 1U) == 0) continue;
            cost += value_of(may[i]);
            r += b.placement_at(may[i]).duration_s;
        }
        if (r >= need && cost < limit && (best_cost < 0 || cost < best_cost)) {
            best_cost = cost;
            best_mask = mask;
        }
    }
    if (best_cost < 0) return std::nullopt;
    std::vector<int> out = must;
    for (unsigned i = 0; i < n; ++i) {
        if ((best_mask >> i & 1U) != 0) out.push_back(may[i]);
    }
    return out;
}

// Puts l into break s by taking out movable airings there worth less in all (the cheapest set
// that makes room and clears its department), then gives each of them its best open break
// elsewhere. Returns whether it did: the objective then grew by more than 0.
bool insert_by_ejection(board& b, int l, int s) {
    const instance& in = b.in();
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    const block why = b.check(l, s, true);
    if (why != block::none && why != block::department) return false;
    const std::int64_t gain = value_micro(in, L, in.slots[static_cast<std::size_t>(s)]);
    const auto out = room_for(b, l, s, gain, [&](int q) { return b.movable(q); });
    if (!out) return false;
    std::vector<int> out_lines;
    for (const int q : *out) {
        out_lines.push_back(b.placement_at(q).line);
        b.remove(q);
    }
    if (b.check(l, s) != block::none) return false;  // cannot happen: room and department are clear now
    b.place(l, s);
    for (const int m : out_lines) {
        const int t = best_open_break(b, m);
        if (t >= 0) b.place(m, t);
    }
    return true;
}

// For a line with a minimum gap still short: on each outlet-day where it airs, takes its own new
// airings out and puts it back into that day's breaks earliest first (what fits the most under a
// gap); keeps the result when it is worth more, else restores the airings exactly.
void respace(board& b, int l) {
    const instance& in = b.in();
    const auto& L = in.lines[static_cast<std::size_t>(l)];
    const auto& li = b.line(l);
    for (const auto& lo : li.outlets) {
        for (int d = li.lo; d <= li.hi && b.shortfall(l) > 0; ++d) {
            const auto [first, last] = b.outlet_days(lo.outlet, d, d);
            if (first == last) continue;
            std::vector<int> mine;  // placements of l there
            for (const int* p = first; p != last; ++p) {
                for (const int q : b.placed_in(*p)) {
                    if (b.placement_at(q).line == l && b.movable(q)) mine.push_back(q);
                }
            }
            if (mine.empty()) continue;
            std::int64_t before = 0;
            std::vector<int> old_slots;
            for (const int q : mine) {
                old_slots.push_back(b.placement_at(q).slot);
                before += value_micro(in, L, in.slots[static_cast<std::size_t>(old_slots.back())]);
            }
            for (const int q : mine) b.remove(q);
            std::vector<int> by_time(first, last);
            std::sort(by_time.begin(), by_time.end(), [&](int x, int y) {
                return in.slots[static_cast<std::size_t>(x)].start < in.slots[static_cast<std::size_t>(y)].start;
            });
            std::vector<int> added;
            std::int64_t after = 0;
            for (const int s : by_time) {
                if (b.shortfall(l) <= 0) break;
                if (!b.usable_on(l, lo, s) || b.check(l, s) != block::none) continue;
                added.push_back(b.place(l, s));
                after += value_micro(in, L, in.slots[static_cast<std::size_t>(s)]);
            }
            if (after > before) continue;
            for (const int q : added) b.remove(q);
            for (const int s : old_slots) b.place(l, s);
        }
    }
}

// The approved lines still short of what they want, highest priority first (then by index).
std::vector<int> short_lines_by_priority(const board& b) {
    const instance& in = b.in();
    std::vector<int> order;
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        if (b.line(l).approved && b.shortfall(l) > 0) order.push_back(l);
    }
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        return in.lines[static_cast<std::size_t>(x)].priority > in.lines[static_cast<std::size_t>(y)].priority;
    });
    return order;
}

// Local search after the fill: each line still short, highest priority first, tries its breaks
// best value first, taking the place of cheaper airings (each move raises the objective, so it
// ends; a budget of attempts keeps large instances in time).
void eject(board& b) {
    const instance& in = b.in();
    const std::vector<int> order = short_lines_by_priority(b);
    std::int64_t budget = 4 * static_cast<std::int64_t>(b.breaks_in_play()) + 100'000;
    std::vector<std::pair<std::int64_t, int>> breaks;
    for (const int l : order) {
        const auto& li = b.line(l);
        const auto& L = in.lines[static_cast<std::size_t>(l)];
        breaks.clear();
        for (const auto& lo : li.outlets) {
            // Cell by cell: a cell's breaks are worth the same (its outlet, date, daypart and
            // key-date weight), and a daypart the line may not use is passed whole.
            const auto [first, last] = b.outlet_cells(lo.outlet, li.lo, li.hi);
            for (int c = first; c < last; ++c) {
                const auto& ci = b.cells()[static_cast<std::size_t>(c)];
                if (!lo.allows(ci.daypart)) continue;
                const std::int64_t value = value_micro(in, L, in.slots[static_cast<std::size_t>(ci.slots.front())]);
                for (const int s : ci.slots) {
                    if (b.usable_on(l, lo, s)) breaks.emplace_back(-value, s);
                }
            }
        }
        // The most valuable ones are where ejecting pays; a line that fits nowhere stops early.
        const std::size_t tried = std::min<std::size_t>(breaks.size(), 8 * static_cast<std::size_t>(b.shortfall(l)) + 64);
        std::partial_sort(breaks.begin(), breaks.begin() + static_cast<std::ptrdiff_t>(tried), breaks.end());
        breaks.resize(tried);
        if (L.min_gap_minutes > 0) respace(b, l);
        for (const auto& [v, s] : breaks) {
            if (b.shortfall(l) <= 0 || budget <= 0) break;
            --budget;
            const block why = b.check(l, s);
            if (why == block::none) {
                b.place(l, s);
            } else if (why == block::room || why == block::department) {
                insert_by_ejection(b, l, s);
            }
        }
    }
}

// The changes of one trial move, so that a move that does not pay is undone exactly.
struct trial_moves {
    board& b;
    std::int64_t delta = 0;                   // objective change so far
    std::vector<int> added;                   // placements made
    std::vector<std::pair<int, int>> taken;  // (line, break) of the placements removed

    std::int64_t value(int l, int s) const {
        return value_micro(b.in(), b.in().lines[static_cast<std::size_t>(l)], b.in().slots[static_cast<std::size_t>(s)]);
    }
    void place(int l, int s) {
        added.push_back(b.place(l, s));
        delta += value(l, s);
    }
    void remove(int q) {
        const auto& x = b.placement_at(q);
        taken.emplace_back(x.line, x.slot);
        delta -= value(x.line, x.slot);
        b.remove(q);
    }
    struct mark {
        std::size_t added = 0;
        std::size_t taken = 0;
        std::int64_t delta = 0;
    };
    [[nodiscard]] mark here() const { return {added.size(), taken.size(), delta}; }
    // Whether placement q was made by this trial (a trial takes out only what it found).
    [[nodiscard]] bool made(int q) const { return std::find(added.begin(), added.end(), q) != added.end(); }
    // Back to how the board was at m (as undo() below, for what came after m).
    void back_to(const mark& m) {
        while (added.size() > m.added) {
            b.remove(added.back());
            added.pop_back();
        }
        for (std::size_t i = m.taken; i < taken.size(); ++i) b.place(taken[i].first, taken[i].second);
        taken.resize(m.taken);
        delta = m.delta;
    }
    // The moves so far stay: the next trial starts from here.
    void keep() {
        added.clear();
        taken.clear();
        delta = 0;
    }
    // Back to the board as it was: the placements made go, the ones removed return to their
    // breaks (which the rules allowed before, and allow again once the new ones are gone).
    void undo() {
        for (auto it = added.rbegin(); it != added.rend(); ++it) b.remove(*it);
        for (const auto& [l, s] : taken) b.place(l, s);
        added.clear();
        taken.clear();
        delta = 0;
    }
};

// Each line's usable breaks, most valuable first (ties in the order best_open_break scans them),
// built when first asked for; up to a budget of entries, past which a line gets none and its
// callers scan instead.
class sorted_breaks {
public:
    sorted_breaks(const board& b, std::size_t budget) : b_(b), lists_(b.in().lines.size()), done_(lists_.size(), 0), budget_(budget) {}

    // nullptr when over budget.
    const std::vector<std::pair<std::int64_t, int>>* of(int l) {
        const auto lu = static_cast<std::size_t>(l);
        if (done_[lu] == 0) {
            done_[lu] = 1;
            const instance& in = b_.in();
            const auto& li = b_.line(l);
            auto& v = lists_[lu];
            for (const auto& lo : li.outlets) {
                const auto [first, last] = b_.outlet_days(lo.outlet, li.lo, li.hi);
                for (const int* p = first; p != last; ++p) {
                    if (b_.usable_on(l, lo, *p)) {
                        v.emplace_back(-value_micro(in, in.lines[lu], in.slots[static_cast<std::size_t>(*p)]), *p);
                    }
                }
            }
            if (v.size() > budget_) {
                v = {};
                done_[lu] = 2;
            } else {
                budget_ -= v.size();
                std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            }
        }
        return done_[lu] == 1 ? &lists_[lu] : nullptr;
    }

    // best_open_break(b, l), by walking l's list to the first break it may take now.
    int best_open(int l) {
        const auto* v = of(l);
        if (v == nullptr) return best_open_break(b_, l);
        for (const auto& [neg, s] : *v) {
            if (b_.check(l, s) == block::none) return s;
        }
        return -1;
    }

private:
    const board& b_;
    std::vector<std::vector<std::pair<std::int64_t, int>>> lists_;
    std::vector<char> done_;  // 0 not built, 1 built, 2 over budget
    std::size_t budget_;
};

// An ejection chain: puts l into `to` by taking out the cheapest movable set there that makes
// room and clears l's department (none of them made by this trial), then gives each airing taken
// out its best open break, or, while `depth` lasts, a chain of its own into one of its more
// valuable breaks when that chain is worth more. Returns false when no such set exists (the
// caller then undoes what it did); the caller keeps the whole chain only when the objective grew.
// Every call, the nested ones too, takes one from `budget`; none starts when it is spent.
bool chain_in(trial_moves& t, sorted_breaks& sorted, int l, int to, int depth, std::int64_t& budget) {
    if (budget <= 0) return false;
    --budget;
    board& b = t.b;
    const block why = b.check(l, to, true);
    if (why != block::none && why != block::department) return false;
    if (b.check(l, to) == block::none) {
        t.place(l, to);
        return true;
    }
    const auto out = room_for(b, l, to, std::numeric_limits<std::int64_t>::max(),
                              [&](int x) { return b.movable(x) && !t.made(x); });
    if (!out) return false;
    std::vector<int> lines;
    for (const int x : *out) {
        lines.push_back(b.placement_at(x).line);
        t.remove(x);
    }
    if (b.check(l, to) != block::none) return false;  // cannot happen: room and department are clear (caller undoes)
    t.place(l, to);
    for (const int m : lines) {
        const int o = sorted.best_open(m);
        const std::int64_t at_o = o >= 0 ? t.value(m, o) : 0;
        bool chained = false;
        const auto* targets = depth > 0 ? sorted.of(m) : nullptr;
        if (targets != nullptr) {
            int tried = 0;
            for (const auto& [neg, s2] : *targets) {
                if (-neg <= at_o || tried >= 4) break;
                if (s2 == to) continue;
                ++tried;
                const trial_moves::mark before = t.here();
                if (chain_in(t, sorted, m, s2, depth - 1, budget) && t.delta - before.delta > at_o) {
                    chained = true;
                    break;
                }
                t.back_to(before);
            }
        }
        if (!chained && o >= 0) t.place(m, o);
    }
    return true;
}

// Relocation: a placed airing moves to a more valuable break of its line, where the cheapest
// movable airings that make room (and clear its department) step out and take their best open
// break elsewhere (the one just left included). Kept only when the objective grows; each kept
// move raises it, so the search ends, and a budget of attempts bounds the work (and up to 32
// breaks per airing: 8 closed less, 64 no more). On the small generated instances with
// separation rules it closes more than half of what loa missed of CBC's optimum (1.5 % → 0.7 %
// on average); on city-month ones only ~1 in 1,000 attempts pays (+0.07 % for 5,000 attempts,
// +0.16 % for 64,000 at twice the planner's time), so only instances up to relocate_max_slots
// breaks run it.
constexpr std::size_t relocate_max_slots = 5'000;
// Rounds of searching the best plan again from its own airings (make_plan), at most.
constexpr int max_polish_rounds = 20;
void relocate(board& b, sorted_breaks& sorted, std::int64_t budget) {
    const instance& in = b.in();
    std::vector<std::pair<int, int>> airings;  // (line, break) of the movable placements
    for (int s = 0; s < static_cast<int>(in.slots.size()); ++s) {
        for (const int q : b.placed_in(s)) {
            if (b.movable(q)) airings.emplace_back(b.placement_at(q).line, s);
        }
    }
    // Highest priority first, then by line and time: the most valuable lines choose first.
    std::stable_sort(airings.begin(), airings.end(), [&](const auto& x, const auto& y) {
        const int px = in.lines[static_cast<std::size_t>(x.first)].priority;
        const int py = in.lines[static_cast<std::size_t>(y.first)].priority;
        if (px != py) return px > py;
        return x < y;
    });
    trial_moves t{b, 0, {}, {}};
    for (const auto& [l, s] : airings) {
        if (budget <= 0) break;
        // The placement of l in s (an undone trial puts it back under a new index).
        auto find_q = [&, l = l, s = s] {
            int found = -1;
            for (const int x : b.placed_in(s)) {
                if (b.placement_at(x).line == l && b.movable(x)) found = x;
            }
            return found;
        };
        int q = find_q();
        if (q < 0) continue;  // moved by an earlier relocation
        const auto* targets = sorted.of(l);
        if (targets == nullptr) continue;
        const std::int64_t v = t.value(l, s);
        int tried = 0;
        for (const auto& [neg, to] : *targets) {
            if (-neg <= v || tried >= 32 || budget <= 0) break;
            if (to == s) continue;
            ++tried;  // chain_in takes one from the budget
            t.remove(q);
            // Where it does not fit: the cheapest set there steps out and takes its best open break
            // elsewhere (the one just left included), tried even when what steps out is worth
            // more than the gain: it may win that back elsewhere, and the move is kept only if
            // the sum grows.
            if (!chain_in(t, sorted, l, to, 0, budget)) {
                t.undo();
                q = find_q();
                continue;
            }
            if (t.delta > 0) {
                // Kept: the line that moved may still be short elsewhere (nothing else changed).
                t.keep();
                break;
            }
            t.undo();
            q = find_q();
        }
    }
}

// Chains for the lines still short (small instances): each tries its most valuable breaks that
// are taken (up to 32 per line), through an ejection chain two airings deep; a chain is kept only
// when the objective grows, so the search ends, and a budget of chain_in calls (every link of
// every chain) bounds the work.
void chain_fill(board& b, sorted_breaks& sorted, std::int64_t budget) {
    const std::vector<int> order = short_lines_by_priority(b);
    trial_moves t{b, 0, {}, {}};
    for (const int l : order) {
        const auto* targets = sorted.of(l);
        if (targets == nullptr) continue;
        int tried = 0;
        for (const auto& [neg, s] : *targets) {
            if (b.shortfall(l) <= 0 || budget <= 0 || tried >= 32) break;
            const block why = b.check(l, s);
            if (why == block::none) {
                b.place(l, s);
                continue;
            }
            if (why != block::room && why != block::department) continue;
            ++tried;  // chain_in takes one from the budget per link
            if (chain_in(t, sorted, l, s, 2, budget) && t.delta > 0) {
                t.keep();
            } else {
                t.undo();
            }
        }
    }
}

// Last pass: every line still short takes its best open break until it has none. Placing only
// closes breaks, so afterwards no short line has a break it could take (what the reasons rely on).
void close_open(board& b) {
    for (int l = 0; l < static_cast<int>(b.in().lines.size()); ++l) {
        if (!b.line(l).approved) continue;
        while (b.shortfall(l) > 0) {
            const int s = best_open_break(b, l);
            if (s < 0) break;
            b.place(l, s);
        }
    }
}

// A re-plan moves as little as it can. An airing the plan put where its line had no stored
// placement goes back to a stored break of its line that the plan left without it, when that break
// is worth at least as much and every rule allows: the objective never falls, and the stored row
// keeps its id and its time (the outlet's feeds see no move). An airing on the same outlet is tried
// first (a moved row becomes a kept one), then one on another (a moved row and a cancelled one
// become one kept); on the same date first (where a limit of the day or the gap binds, only an
// airing there makes room); the cheapest first. Rounds until nothing moves: each move takes an airing out of a break
// no stored placement of its line held, so a stored break once held stays held, and a move may
// free room that another stored placement wants back.
// Returns whether anything moved.
bool settle(board& b, const std::vector<std::pair<int, int>>& stored) {
    const instance& in = b.in();
    auto value = [&](int l, int s) {
        return value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(s)]);
    };
    constexpr int tries_per_break = 8;  // airings of the line tried for one stored break
    std::map<int, std::vector<int>> loose;  // line → its movable placements outside its stored breaks
    for (int p = 0; p < b.placement_count(); ++p) {
        if (!b.movable(p)) continue;
        const auto& x = b.placement_at(p);
        if (!b.had_existing(x.line, x.slot)) loose[x.line].push_back(p);
    }
    bool any = false;
    for (bool moved = !loose.empty(); moved;) {
        moved = false;
        for (const auto& [l, s] : stored) {
            const auto it = loose.find(l);
            if (it == loose.end() || it->second.empty() || !b.usable(l, s)) continue;
            // What taking an airing of l out of another break cannot change: the break's own rules
            // (l or its message there already, its room, a message of l's department there), which
            // are what check_fresh() tests (the line's limits cannot bind a line with no airing).
            if (b.check_fresh(l, s) != block::none) continue;
            const std::int64_t v = value(l, s);
            const auto& S = in.slots[static_cast<std::size_t>(s)];
            std::vector<std::tuple<bool, bool, std::int64_t, int>> order;
            for (const int p : it->second) {
                const auto& x = b.placement_at(p);
                if (x.slot < 0) continue;
                const std::int64_t w = value(l, x.slot);
                if (w <= v) order.emplace_back(x.outlet != S.outlet, in.slots[static_cast<std::size_t>(x.slot)].date != S.date, w, p);
            }
            std::sort(order.begin(), order.end());
            if (order.size() > tries_per_break) order.resize(tries_per_break);
            for (const auto& [other, another_day, w, p] : order) {
                const int from = b.placement_at(p).slot;
                b.remove(p);
                auto& mine = it->second;
                mine.erase(std::find(mine.begin(), mine.end(), p));
                if (b.check(l, s) == block::none) {
                    b.place(l, s);
                    moved = true;
                    any = true;
                    break;
                }
                mine.push_back(b.place(l, from));  // back where it was: nothing else changed
            }
        }
    }
    return any;
}

}  // namespace

std::vector<placement> make_good_proposals(const instance& in) {
    const board b(in);
    std::vector<placement> out;
    for (const auto& x : b.finish().placements) {
        if (x.make_good_of && !x.frozen && x.slot >= 0) out.push_back(x);
    }
    return out;
}

plan make_plan(const instance& in) {
    // The board with the frozen placements and the make-goods is built once and copied for the
    // greedy run and each repair (building it sorts the whole inventory; a copy does not).
    const auto tb = clock_type::now();
    std::optional<board> fresh(std::in_place, in);
    const double board_ms = ms_since(tb);
    const auto t0 = clock_type::now();
    // The relaxation is solved beside the frozen placements and the make-goods: a make-good goes
    // to its break by rule (make_good_proposals), so every plan of this instance holds it, the
    // LP writer's exact model included. Its flows guide the repair on a copy of the same board.
    const solver::flow_result flow = solver::solve_flow(*fresh);
    const std::int64_t fixed = fresh->fixed_value();
    const double flow_ms = ms_since(t0);

    const auto t1 = clock_type::now();
    std::optional<board> best;
    int dropped = 0;
    const std::int64_t bound = fixed + flow.value_micro;
    // The trials, each a repair and what follows it: the flow's airings in each order, then on
    // small networks the decomposition's (solver_flow.cpp): its best round's flow in each order,
    // and its breaks' best sets placed as they are.
    // A re-plan of a stored plan (its placements still to be planned, where they are still
    // usable, are at least half of what the flow places) first tries that plan itself, its
    // placements where every rule still allows them; a later start replaces it only when worth
    // more, so a re-plan with nothing new keeps the stored plan and is never worth less than it.
    // A few stored placements among many new airings are no plan to keep (the benchmark's
    // instances: one more trial would cost a third of a city's plan); there, as after every
    // re-plan, settle() brings back to their stored breaks the airings that moved without gain.
    struct trial_start {
        repair_order order;
        const std::vector<solver::cell_flow>* flows;  // nullptr: `sets` placed as they are
        const std::vector<std::pair<int, int>>* sets = nullptr;
    };
    std::vector<std::pair<int, int>> stored = fresh->stored_breaks();
    std::erase_if(stored, [&](const std::pair<int, int>& x) { return !fresh->usable(x.first, x.second); });
    std::int64_t flow_airings = 0;
    for (const auto& f : flow.flows) flow_airings += f.amount;
    std::vector<trial_start> starts;
    if (!stored.empty() && 2 * static_cast<std::int64_t>(stored.size()) >= flow_airings) {
        starts.push_back({repair_order::priority, nullptr, &stored});
    }
    starts.push_back({repair_order::priority, &flow.flows});
    const std::size_t size = fresh->breaks_in_play();
    if (size <= second_order_max_slots) {
        starts.push_back({repair_order::per_second, &flow.flows});
        if (flow.decomposed) {
            starts.push_back({repair_order::priority, &flow.priced_flows});
            starts.push_back({repair_order::per_second, &flow.priced_flows});
            starts.push_back({repair_order::priority, nullptr, &flow.break_sets});
        }
    }
    // The local searches after a start (each has a work limit, and each starts from what the one
    // before left).
    const auto search = [&](board& trial) {
        improve(trial);
        if (trial.objective() < bound) {
            eject(trial);
            improve(trial);  // what the ejections opened
            if (size <= relocate_max_slots) {
                // Both walk each line's breaks by value, which only the instance decides: one
                // list per line serves both.
                sorted_breaks sorted(trial, 4 * size + 1'000'000);
                relocate(trial, sorted, 4 * static_cast<std::int64_t>(size) + 20'000);
                improve(trial);
                chain_fill(trial, sorted, 4 * static_cast<std::int64_t>(size) + 20'000);
                improve(trial);
            }
        }
        close_open(trial);
    };
    // On small instances the best plan is searched again from its own airings until that gains
    // nothing (below): a board to start those from is kept.
    const bool polish = size <= relocate_max_slots;
    std::optional<board> blank;
    if (polish) blank.emplace(*fresh);
    for (std::size_t k = 0; k < starts.size(); ++k) {
        // A copy of the fresh board, the last time the board itself: three boards live at once
        // only on instances small enough for a second trial (four with `blank`, on those small
        // enough to polish; a national one's memory allows two).
        board trial = k + 1 < starts.size() ? board(*fresh) : std::move(*fresh);
        if (k + 1 == starts.size()) fresh.reset();
        const int lost = starts[k].flows != nullptr ? repair(trial, *starts[k].flows, starts[k].order)
                                                    : place_sets(trial, *starts[k].sets);
        search(trial);
        if (!best || trial.objective() > best->objective()) {
            best.emplace(std::move(trial));
            dropped = starts[k].sets == &stored ? 0 : lost;  // the flow's airings only
        }
        if (best->objective() >= bound) break;  // optimal: the relaxation's value is reached
    }
    // The searches from the best plan's own airings find more now and then (their work limits,
    // and moves that only another start opens): a re-plan that starts from a stored plan found
    // it, so that every re-plan with nothing new gained a little and moved airings in the feeds.
    // Searched again until a round gains nothing, the plan is one such a re-plan keeps.
    for (int round = 0; polish && round < max_polish_rounds && best->objective() < bound; ++round) {
        std::vector<std::pair<int, int>> own;
        for (int q = 0; q < best->placement_count(); ++q) {
            if (best->movable(q)) own.emplace_back(best->placement_at(q).line, best->placement_at(q).slot);
        }
        board trial(*blank);
        place_sets(trial, own);
        search(trial);
        if (trial.objective() <= best->objective()) break;
        best.emplace(std::move(trial));
        dropped = 0;  // (repair_dropped: of the flow's airings, which this start did not place)
    }
    blank.reset();
    // A break settle() left may take an airing a line still lacks.
    if (!stored.empty() && settle(*best, stored)) close_open(*best);
    const double repair_ms = ms_since(t1);

    const auto tf = clock_type::now();
    plan p = best->finish();
    const double finish_ms = ms_since(tf);
    best.reset();  // a board less while the greedy one is built
    // The greedy baseline, once the plan is made. Only its value is needed, unless it wins: then
    // it is made again (the same, as it is deterministic) and finished, reasons and all (as costly
    // as the greedy run itself). It is not needed at all when the plan reaches the bound (nothing
    // is worth more), as every plan does without separation rules; and it stops as soon as the
    // lines it has still to place could not take it above the plan even at their best
    // (greedy.cpp), which with separation rules is about halfway on the generated instances.
    std::optional<std::int64_t> greedy_value;
    bool greedy_stopped = false;
    double greedy_ms = 0;
    if (p.objective_micro < bound) {
        const auto tg = clock_type::now();
        greedy_value = solver::greedy_value(board(in), p.objective_micro);
        greedy_stopped = !greedy_value;
        greedy_ms = ms_since(tg);
    }
    // Valid for every plan that keeps the frozen placements and the make-goods: their value is
    // fixed (kept missed and withdrawn ones are no airings and count in neither), and the rest is a
    // flow of the relaxation.
    p.bound_micro = fixed + flow.value_micro;
    p.stats.flow_nodes = flow.nodes;
    p.stats.flow_arcs = flow.arcs;
    p.stats.flow_components = flow.components;
    p.stats.flow_simplex_runs = flow.rounds;
    p.stats.flow_largest_nodes = flow.largest_nodes;
    p.stats.flow_largest_arcs = flow.largest_arcs;
    p.stats.flow_simplex_ms = flow.simplex_ms;
    p.stats.flow_ms = flow_ms;
    p.stats.repair_ms = repair_ms;
    p.stats.board_ms = board_ms;
    p.stats.greedy_ms = greedy_ms;
    p.stats.finish_ms = finish_ms;
    p.stats.flow_value_micro = flow.value_micro;
    p.stats.greedy_value_micro = greedy_value;
    p.stats.greedy_stopped = greedy_stopped;
    p.stats.repair_dropped = dropped;
    if (greedy_value && *greedy_value > p.objective_micro) {
        plan greedy = greedy_plan(in);
        greedy.bound_micro = p.bound_micro;
        greedy.stats = p.stats;
        greedy.stats.greedy_won = true;
        return greedy;
    }
    return p;
}

}  // namespace loa::scheduler::planner
