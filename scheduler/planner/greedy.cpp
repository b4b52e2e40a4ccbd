// greedy_plan: what broadcast traffic tools do — lines by priority, each airing into the first
// break in time order where every rule allows it. The baseline make_plan must never fall below.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <cstdint>
#include <vector>

#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/solver_board.hpp"

namespace loa::scheduler::planner {

namespace solver {

namespace {

// Per line, at least what the greedy run can add for it: its airings still wanted, each at the
// most a break of its can be worth on its day (its outlets, dayparts and key dates), and no more
// on a day than its limit per day, one per break of those dayparts, and its limit per outlet and
// day on each outlet with such a break; no more in an ISO week than its limit per week. Days by
// value, most valuable first, take what those limits let them (the best under such nested limits).
// Sums over lines from the end of `order` (one more entry, 0): suffix[i] bounds what lines
// order[i..] add together.
std::vector<std::int64_t> suffix_bounds(const board& b, const std::vector<int>& order) {
    const instance& in = b.in();
    const auto& cells = b.cells();
    std::vector<std::int64_t> suffix(order.size() + 1, 0);
    struct day_bound {
        double value = 0;   // the most one airing can be worth on the day
        std::int64_t breaks = 0;  // breaks of the dayparts the line may use
        int outlets = 0;    // outlets with such a break
        int last_outlet = -1;
    };
    std::vector<day_bound> days(static_cast<std::size_t>(std::max(0, b.days())));
    std::vector<std::int64_t> week_left(static_cast<std::size_t>(std::max(0, b.weeks())));
    std::vector<std::pair<double, int>> by_value;  // (value, day)
    for (std::size_t i = order.size(); i-- > 0;) {
        const int l = order[i];
        const auto& li = b.line(l);
        const auto& L = in.lines[static_cast<std::size_t>(l)];
        const int want = li.approved ? b.shortfall(l) : 0;
        double ub = 0;
        if (want > 0 && li.lo <= li.hi) {
            for (int d = li.lo; d <= li.hi; ++d) days[static_cast<std::size_t>(d)] = day_bound{};
            for (const auto& lo : li.outlets) {
                const auto& dayparts = in.outlets[static_cast<std::size_t>(lo.outlet)].dayparts;
                const auto [first, last] = b.outlet_cells(lo.outlet, li.lo, li.hi);
                for (int c = first; c < last; ++c) {
                    const auto& ci = cells[static_cast<std::size_t>(c)];
                    if (!lo.allows(ci.daypart)) continue;
                    const auto dp = static_cast<std::size_t>(ci.daypart);
                    auto& x = days[static_cast<std::size_t>(ci.day)];
                    x.value = std::max(x.value, dayparts[dp].weight * ci.date_weight);
                    x.breaks += static_cast<std::int64_t>(ci.slots.size());
                    if (x.last_outlet != lo.outlet) {
                        x.last_outlet = lo.outlet;
                        ++x.outlets;
                    }
                }
            }
            by_value.clear();
            for (int d = li.lo; d <= li.hi; ++d) {
                if (days[static_cast<std::size_t>(d)].value > 0) by_value.emplace_back(days[static_cast<std::size_t>(d)].value, d);
            }
            std::sort(by_value.begin(), by_value.end(), std::greater<>());
            if (L.per_week > 0) {
                for (int w = b.week_index(li.lo); w <= b.week_index(li.hi); ++w) week_left[static_cast<std::size_t>(w)] = L.per_week;
            }
            std::int64_t left = want;
            for (const auto& [v, d] : by_value) {
                if (left <= 0) break;
                const auto& x = days[static_cast<std::size_t>(d)];
                std::int64_t n = std::min(left, x.breaks);
                if (L.per_day > 0) n = std::min<std::int64_t>(n, L.per_day);
                if (L.max_per_outlet_per_day > 0) n = std::min<std::int64_t>(n, static_cast<std::int64_t>(L.max_per_outlet_per_day) * x.outlets);
                std::int64_t* week = L.per_week > 0 ? &week_left[static_cast<std::size_t>(b.week_index(d))] : nullptr;
                if (week != nullptr) n = std::min(n, *week);
                if (n <= 0) continue;
                ub += static_cast<double>(n) * v;
                left -= n;
                if (week != nullptr) *week -= n;
            }
            // value_micro rounds each airing: half a micro-unit each at most, and a margin for
            // the sum in double.
            ub = ub * L.priority * 1e6 * (1 + 1e-9) + 0.5 * want + 1;
        }
        suffix[i] = suffix[i + 1] + static_cast<std::int64_t>(std::ceil(ub));
    }
    return suffix;
}

// Lines by priority, each airing into the first break in time order where every rule allows it.
// With `limit`, stops (and returns false) as soon as what the lines not yet placed could add at
// their best cannot take the objective above *limit.
bool run_greedy(board& b, const std::int64_t* limit) {
    const instance& in = b.in();
    std::vector<int> order(in.lines.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        const auto& a = in.lines[static_cast<std::size_t>(x)];
        const auto& c = in.lines[static_cast<std::size_t>(y)];
        if (a.priority != c.priority) return a.priority > c.priority;
        return a.message < c.message;
    });
    // Each line walks its outlets' breaks merged in time order (then outlet, then break), taking
    // every one the rules allow until it has what it wants.
    // Each cursor keeps the key of its next break, start × outlets + outlet, so that the heap
    // compares one number without looking the break up. The order is the same: start, then outlet
    // (a line's outlets are unique, so two cursors never tie; the key does not overflow while
    // |start| in seconds × outlets stays below 9.2e18, e.g. a million outlets until year 250,000).
    const auto outlets = static_cast<std::int64_t>(in.outlets.size());
    struct cursor {
        std::int64_t key;
        const int* next;
        const int* end;
        const solver::line_outlet* entry;
    };
    auto key_of = [&](int s, int outlet) {
        return in.slots[static_cast<std::size_t>(s)].start.time_since_epoch().count() * outlets + outlet;
    };
    auto later = [](const cursor& x, const cursor& y) { return x.key > y.key; };
    std::vector<cursor> heap;
    std::vector<std::int64_t> suffix;
    std::int64_t value = 0;
    if (limit != nullptr) {
        suffix = suffix_bounds(b, order);
        value = b.objective();
    }
    auto place = [&](int l, int s) {
        b.place(l, s);
        if (limit != nullptr) value += value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(s)]);
    };
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (limit != nullptr && value + suffix[i] <= *limit) return false;
        const int l = order[i];
        const auto& li = b.line(l);
        if (!li.approved || b.shortfall(l) <= 0) continue;
        heap.clear();
        for (const auto& lo : li.outlets) {
            const auto [first, last] = b.outlet_days(lo.outlet, li.lo, li.hi);
            if (first != last) heap.push_back({key_of(*first, lo.outlet), first, last, &lo});
        }
        if (heap.size() == 1) {
            // One outlet: its breaks are in time order already.
            const cursor& c = heap.front();
            for (const int* p = c.next; p != c.end && b.shortfall(l) > 0;) {
                const int s = *p;
                if (!b.usable_on(l, *c.entry, s)) {
                    ++p;
                    continue;
                }
                const solver::block why = b.check(l, s);
                if (why == solver::block::none) place(l, s);
                p = b.past_closed(p, c.end, why);
            }
            continue;
        }
        std::make_heap(heap.begin(), heap.end(), later);
        while (!heap.empty() && b.shortfall(l) > 0) {
            std::pop_heap(heap.begin(), heap.end(), later);
            cursor& c = heap.back();
            const int s = *c.next;
            if (!b.usable_on(l, *c.entry, s)) {
                ++c.next;
            } else {
                const solver::block why = b.check(l, s);
                if (why == solver::block::none) place(l, s);
                c.next = b.past_closed(c.next, c.end, why);
            }
            if (c.next == c.end) {
                heap.pop_back();
            } else {
                c.key = key_of(*c.next, c.entry->outlet);
                std::push_heap(heap.begin(), heap.end(), later);
            }
        }
    }
    return true;
}

}  // namespace

board greedy_board(board b) {
    run_greedy(b, nullptr);
    return b;
}

std::optional<std::int64_t> greedy_value(board b, std::int64_t limit) {
    if (!run_greedy(b, &limit)) return std::nullopt;
    return b.objective();
}

}  // namespace solver

plan greedy_plan(const instance& in) {
    plan p = solver::greedy_board(solver::board(in)).finish();
    p.bound_micro = p.objective_micro;
    p.stats.greedy_value_micro = p.objective_micro;
    return p;
}

}  // namespace loa::scheduler::planner
