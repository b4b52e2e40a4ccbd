// greedy_plan: what broadcast traffic tools do — lines by priority, each airing into the first
// break in time order where every rule allows it. The baseline make_plan must never fall below.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/solver_board.hpp"

namespace loa::scheduler::planner {

namespace solver {

board greedy_board(board b) {
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
    for (const int l : order) {
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
                if (why == solver::block::none) b.place(l, s);
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
                if (why == solver::block::none) b.place(l, s);
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
    return b;
}

}  // namespace solver

plan greedy_plan(const instance& in) {
    plan p = solver::greedy_board(solver::board(in)).finish();
    p.bound_micro = p.objective_micro;
    p.stats.greedy_value_micro = p.objective_micro;
    return p;
}

}  // namespace loa::scheduler::planner
