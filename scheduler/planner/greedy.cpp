// greedy_plan: what broadcast traffic tools do — lines by priority, each airing into the first
// break in time order where every rule allows it. The baseline make_plan must never fall below.
#include <algorithm>
#include <vector>

#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/solver_board.hpp"

namespace loa::scheduler::planner {

namespace solver {

board greedy_board(const instance& in) {
    board b(in);
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
    struct cursor {
        const int* next;
        const int* end;
        const solver::line_outlet* outlet;
    };
    auto later = [&](const cursor& x, const cursor& y) {
        const auto& a = in.slots[static_cast<std::size_t>(*x.next)];
        const auto& c = in.slots[static_cast<std::size_t>(*y.next)];
        if (a.start != c.start) return a.start > c.start;
        if (a.outlet != c.outlet) return a.outlet > c.outlet;
        return *x.next > *y.next;
    };
    std::vector<cursor> heap;
    for (const int l : order) {
        const auto& li = b.line(l);
        if (!li.approved || b.shortfall(l) <= 0) continue;
        heap.clear();
        for (const auto& lo : li.outlets) {
            const auto [first, last] = b.outlet_days(lo.outlet, li.lo, li.hi);
            if (first != last) heap.push_back({first, last, &lo});
        }
        std::make_heap(heap.begin(), heap.end(), later);
        while (!heap.empty() && b.shortfall(l) > 0) {
            std::pop_heap(heap.begin(), heap.end(), later);
            cursor& c = heap.back();
            const int s = *c.next;
            if (b.usable_on(l, *c.outlet, s) && b.check(l, s) == solver::block::none) b.place(l, s);
            if (++c.next == c.end) {
                heap.pop_back();
            } else {
                std::push_heap(heap.begin(), heap.end(), later);
            }
        }
    }
    return b;
}

}  // namespace solver

plan greedy_plan(const instance& in) {
    plan p = solver::greedy_board(in).finish();
    p.bound_micro = p.objective_micro;
    p.stats.greedy_value_micro = p.objective_micro;
    return p;
}

}  // namespace loa::scheduler::planner
