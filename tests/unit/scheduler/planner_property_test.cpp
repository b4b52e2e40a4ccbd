// Property tests of the planner on 200 generated instances (tests/support/instance_generator.hpp,
// family "small", with and without separation rules): the independent validator finds nothing in
// make_plan's or greedy_plan's plan, make_plan is never below the greedy baseline, the bound is
// never below the objective, without separation rules the plan reaches the bound (make-goods
// included: they are fixed by rule, in the bound too), the plan is the same when planned again,
// and every airing that was wanted and not placed has a reason.
#include "scheduler/planner/planner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "scheduler/planner/solver_board.hpp"
#include "scheduler/planner/validator.hpp"
#include "tests/support/instance_generator.hpp"

namespace {
namespace planner_property_test_cpp {

using namespace loa::scheduler::planner;

std::string violations(const std::vector<violation>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size() && i < 5; ++i) out += "\n  " + v[i].rule + ": " + v[i].detail;
    if (v.size() > 5) out += "\n  … and " + std::to_string(v.size() - 5) + " more";
    return out;
}

bool same_plan(const plan& a, const plan& b) {
    if (a.placements.size() != b.placements.size() || a.unplaced.size() != b.unplaced.size()) return false;
    for (std::size_t i = 0; i < a.placements.size(); ++i) {
        const auto& x = a.placements[i];
        const auto& y = b.placements[i];
        if (std::tie(x.line, x.outlet, x.slot, x.start, x.duration_s, x.frozen, x.existing_id, x.make_good_of) !=
            std::tie(y.line, y.outlet, y.slot, y.start, y.duration_s, y.frozen, y.existing_id, y.make_good_of)) {
            return false;
        }
    }
    for (std::size_t i = 0; i < a.unplaced.size(); ++i) {
        const auto& x = a.unplaced[i];
        const auto& y = b.unplaced[i];
        if (std::tie(x.line, x.outlet, x.airings, x.code, x.reason, x.date, x.daypart, x.blockers, x.make_good_of) !=
            std::tie(y.line, y.outlet, y.airings, y.code, y.reason, y.date, y.daypart, y.blockers, y.make_good_of)) {
            return false;
        }
    }
    return a.objective_micro == b.objective_micro && a.bound_micro == b.bound_micro;
}

// What every plan of an instance must be: make_plan's and greedy_plan's valid, make_plan's never
// below the greedy one's, its bound at or above its objective.
void expect_sound(const instance& in, const plan& p, const plan& g) {
    const auto vp = validate(in, p);
    EXPECT_TRUE(vp.empty()) << "make_plan:" << violations(vp);
    const auto vg = validate(in, g);
    EXPECT_TRUE(vg.empty()) << "greedy_plan:" << violations(vg);
    EXPECT_GE(p.objective_micro, g.objective_micro);
    EXPECT_GE(p.bound_micro, p.objective_micro);
}

class PlannerProperty : public ::testing::TestWithParam<bool> {};

TEST_P(PlannerProperty, ValidNeverBelowGreedyBoundAboveObjective) {
    const bool separation = GetParam();
    int plans = 0;
    int beat_greedy = 0;
    int exact = 0;
    int with_make_goods = 0;
    int greedy_stopped = 0;
    double worst_gap = 0;
    std::vector<double> gaps;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        SCOPED_TRACE("small seed " + std::to_string(seed) + (separation ? " with" : " without") +
                     " separation rules");
        const instance in = loa::testing::generate(loa::testing::family("small", seed, separation));
        const plan p = make_plan(in);
        const plan g = greedy_plan(in);
        expect_sound(in, p, g);
        EXPECT_EQ(g.bound_micro, g.objective_micro);
        // The greedy baseline runs unless the plan reaches the bound (then it cannot be worth
        // more), and runs to the end unless it cannot catch up with the plan.
        if (p.stats.greedy_value_micro) {
            EXPECT_EQ(*p.stats.greedy_value_micro, g.objective_micro);
            EXPECT_FALSE(p.stats.greedy_stopped);
        } else if (p.stats.greedy_stopped) {
            EXPECT_LE(g.objective_micro, p.objective_micro);
            ++greedy_stopped;
        } else {
            EXPECT_EQ(p.objective_micro, p.bound_micro);
        }
        if (p.stats.greedy_won) {
            EXPECT_EQ(p.objective_micro, g.objective_micro);
        }
        const bool make_goods = std::any_of(p.placements.begin(), p.placements.end(),
                                            [](const placement& x) { return x.make_good_of.has_value(); });
        if (!separation) {
            // Without what a flow cannot express the relaxation is exact and the repair loses
            // nothing; a make-good sits in its break by rule, in the relaxation as in the plan.
            EXPECT_EQ(p.bound_micro, p.objective_micro);
            EXPECT_EQ(p.stats.repair_dropped, 0);
            ++exact;
            with_make_goods += make_goods ? 1 : 0;
        }
        for (const auto& u : p.unplaced) {
            EXPECT_GT(u.airings, 0);
            EXPECT_FALSE(u.reason.empty());
            EXPECT_NE(std::string(reason_name(u.code)), "unknown");
            if (u.code == reason_code::capacity) {
                EXPECT_TRUE(u.date.has_value());
                EXPECT_GE(u.outlet, 0);
                EXPECT_FALSE(u.blockers.empty()) << u.reason;
            }
        }
        if (seed % 10 == 0) {
            EXPECT_TRUE(same_plan(p, make_plan(in)));
        }
        ++plans;
        beat_greedy += p.objective_micro > g.objective_micro ? 1 : 0;
        worst_gap = std::max(worst_gap, p.gap());
        gaps.push_back(p.gap());
    }
    EXPECT_EQ(plans, 100);
    if (!separation) {
        EXPECT_EQ(exact, 100);
        EXPECT_GE(with_make_goods, 10);  // make-goods are common enough to be checked
    }
    EXPECT_GT(beat_greedy, 50);  // the baseline is clearly beaten on most instances
    if (separation) {
        EXPECT_GT(greedy_stopped, 50);  // the early stop is the common case
    }
    std::sort(gaps.begin(), gaps.end());
    const double median_gap = (gaps[49] + gaps[50]) / 2;
    if (separation) {
        // Measured (2026-12-01, with the breaks' own rules in the bound and the ejection chains):
        // median 0.76 %, worst 2.60 %, 68 of 100 within 1 %. Before them: median 1.73 %, worst 3.88 %.
        EXPECT_LT(median_gap, 0.01);
        EXPECT_LT(worst_gap, 0.03);
    }
    RecordProperty("worst_gap", std::to_string(worst_gap));
    RecordProperty("median_gap", std::to_string(median_gap));
}

// The greedy run's early stop (greedy.cpp) rests on a bound of what the lines still to place can
// add: at every step, what is placed plus that bound must be at least where the run ends. Asking
// for more than one micro-unit below the end must never stop it, and must give that end; asking
// for the end itself may stop it.
TEST(PlannerPropertyExtra, GreedyStopsOnlyWhenItCannotWin) {
    int stopped_at_its_own_value = 0;
    std::vector<std::tuple<std::string, std::uint64_t, bool>> instances;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        instances.emplace_back("small", seed, seed % 2 == 0);
    }
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        instances.emplace_back("city-week", seed, true);
        instances.emplace_back("city-week", seed, false);
    }
    for (const auto& [name, seed, separation] : instances) {
        SCOPED_TRACE(name + " seed " + std::to_string(seed) + (separation ? " with" : " without") +
                     " separation rules");
        const instance in = loa::testing::generate(loa::testing::family(name, seed, separation));
        const std::int64_t g = greedy_plan(in).objective_micro;
        const auto just_below = solver::greedy_value(solver::board(in), g - 1);
        ASSERT_TRUE(just_below.has_value());
        EXPECT_EQ(*just_below, g);
        const auto at = solver::greedy_value(solver::board(in), g);
        if (at) {
            EXPECT_EQ(*at, g);
        } else {
            ++stopped_at_its_own_value;
        }
        // Far above anything it can reach, it stops before it starts.
        EXPECT_FALSE(solver::greedy_value(solver::board(in), std::numeric_limits<std::int64_t>::max() / 2).has_value());
    }
    // The bound is not so loose that it never stops: the last lines of a run add little.
    EXPECT_GT(stopped_at_its_own_value, 0);
}

// Mixed lengths and minimum gaps without the department rule: plans that fall short of the bound
// run the greedy baseline after the plan is made (as with the department rule), and are still
// never below it.
TEST(PlannerPropertyExtra, GreedyRunAfterThePlanWhenItFallsShortOfTheBound) {
    int short_of_bound = 0;
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        SCOPED_TRACE("small seed " + std::to_string(seed));
        instance in = loa::testing::generate(loa::testing::family("small", seed, true));
        in.separate_departments = false;
        const plan p = make_plan(in);
        const plan g = greedy_plan(in);
        EXPECT_TRUE(validate(in, p).empty());
        EXPECT_GE(p.objective_micro, g.objective_micro);
        if (p.objective_micro < p.bound_micro) {
            ++short_of_bound;
            ASSERT_TRUE(p.stats.greedy_value_micro.has_value() || p.stats.greedy_stopped);
            if (p.stats.greedy_value_micro) {
                EXPECT_EQ(*p.stats.greedy_value_micro, g.objective_micro);
            }
        } else {
            EXPECT_FALSE(p.stats.greedy_value_micro.has_value());
            EXPECT_FALSE(p.stats.greedy_stopped);
        }
    }
    EXPECT_GT(short_of_bound, 0);  // the path is taken
}

// Posts of no length, as online articles and social posts are: the messages that may go only to
// online and social outlets take 0 s, and those outlets' posting slots hold 0 s (only such posts
// fit). Valid, never below greedy, the bound above the objective; without separation rules the
// plan still reaches the bound.
TEST(PlannerPropertyExtra, PostsOfNoLengthInSlotsOfNoSeconds) {
    for (const bool separation : {false, true}) {
        int posts = 0;  // new 0-second airings placed (not stored ones, not make-goods)
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            SCOPED_TRACE("small seed " + std::to_string(seed) + (separation ? " with" : " without") +
                         " separation rules");
            instance in = loa::testing::generate(loa::testing::family("small", seed, separation));
            auto posting = [&](int o) {
                const auto& k = in.outlets[static_cast<std::size_t>(o)].kind;
                return k == "online" || k == "social";
            };
            for (auto& s : in.slots) {
                if (posting(s.outlet)) s.capacity_s = 0;
            }
            for (auto& l : in.lines) {
                if (!l.outlets.empty() && std::all_of(l.outlets.begin(), l.outlets.end(), posting)) l.duration_s = 0;
            }
            // What was stored keeps its message's length (a longer one in a posting slot is dropped).
            for (auto& e : in.existing) e.duration_s = in.lines[static_cast<std::size_t>(e.line)].duration_s;
            std::erase_if(in.existing, [&](const existing_placement& e) { return posting(e.outlet) && e.duration_s > 0; });
            const plan p = make_plan(in);
            const plan g = greedy_plan(in);
            expect_sound(in, p, g);
            if (!separation) {
                EXPECT_EQ(p.bound_micro, p.objective_micro);
            }
            for (const auto& x : p.placements) {
                posts += x.duration_s == 0 && !x.frozen && !x.make_good_of && !x.existing_id ? 1 : 0;
            }
        }
        // Measured: 2,731 without separation rules, 1,373 with them.
        EXPECT_GT(posts, 500) << (separation ? "with" : "without") << " separation rules";
    }
}

// Freeze horizons longer than the lead times (the generated outlets' are equal): nothing new goes
// in before now + the longer of the two, which the validator checks on both plans; the rest holds as
// on the instances as generated, and the horizon costs some instances airings they had.
TEST(PlannerPropertyExtra, FreezeHorizonsLongerThanTheLeadTimes) {
    for (const bool separation : {false, true}) {
        int bitten = 0;
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            SCOPED_TRACE("small seed " + std::to_string(seed) + (separation ? " with" : " without") +
                         " separation rules");
            const instance as_generated = loa::testing::generate(loa::testing::family("small", seed, separation));
            instance in = as_generated;
            for (std::size_t o = 0; o < in.outlets.size(); ++o)
                in.outlets[o].freeze_hours = in.outlets[o].lead_time_hours + 24 + 12 * static_cast<int>(o % 3);
            const plan p = make_plan(in);
            const plan g = greedy_plan(in);
            expect_sound(in, p, g);
            if (!separation) {
                EXPECT_EQ(p.bound_micro, p.objective_micro);
            }
            bitten += p.bound_micro < make_plan(as_generated).bound_micro ? 1 : 0;
        }
        // Measured: all 30 of each (the bound falls wherever the horizon closes breaks a line could use).
        EXPECT_GT(bitten, 10) << (separation ? "with" : "without") << " separation rules";
    }
}

// The plan p of `in` stored as it would be (its new placements and make-goods as planned rows),
// as the next run, as of `now`, reads it back: a missed placement counts as made good only while
// its make-good is frozen (inventory.cpp). (A stored placement the plan did not keep frozen is
// replaced by the plan's, as the store does.)
instance stored(const instance& in, const plan& p, instant now) {
    instance out = in;
    out.now = now;
    out.existing.clear();
    for (const auto& e : in.existing) {
        if (is_frozen(in, e)) out.existing.push_back(e);
    }
    std::int64_t id = 1'000'000;
    for (const auto& x : p.placements) {
        if (x.frozen || x.slot < 0) continue;
        const auto& S = in.slots[static_cast<std::size_t>(x.slot)];
        existing_placement e;
        e.id = x.existing_id.value_or(++id);
        e.line = x.line;
        e.outlet = x.outlet;
        e.start = x.start;
        e.date = S.date;
        e.duration_s = x.duration_s;
        e.state = "planned";
        e.make_good_of = x.make_good_of;
        out.existing.push_back(e);
        if (x.make_good_of && is_frozen(out, e)) {
            for (auto& m : out.existing) {
                if (m.id == *x.make_good_of) m.made_good = true;
            }
        }
    }
    return out;
}

// A re-plan keeps the stored plan where nothing new calls for a change: planned again at once, or
// as of three days later (what is inside the lead times then is frozen, the rest still movable),
// the plan is valid, never worth less than the stored one, and, when it is worth the same, every
// stored placement is in it with its id (nothing moved, nothing cancelled, nothing new).
TEST(PlannerPropertyExtra, ARePlanWithNothingNewKeepsTheStoredPlan) {
    for (const bool separation : {false, true}) {
        int kept_whole = 0;
        int replans = 0;
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            const instance in = loa::testing::generate(loa::testing::family("small", seed, separation));
            const plan p = make_plan(in);
            for (const int days_later : {0, 3}) {
                SCOPED_TRACE("small seed " + std::to_string(seed) + (separation ? " with" : " without") +
                             " separation rules, re-planned " + std::to_string(days_later) + " days later");
                const instance next = stored(in, p, in.now + std::chrono::days(days_later));
                const plan q = make_plan(next);
                expect_sound(next, q, greedy_plan(next));
                EXPECT_GE(q.objective_micro, p.objective_micro);
                ++replans;
                if (q.objective_micro != p.objective_micro) continue;
                int fresh = 0;
                for (const auto& x : q.placements) {
                    if (!x.make_good_of) {
                        fresh += x.existing_id ? 0 : 1;
                        continue;
                    }
                    // A make-good is proposed again while its stored row is not frozen (and stored
                    // as the same row when it is where it was: store_plan pairs them): the same break.
                    const bool same = std::any_of(p.placements.begin(), p.placements.end(), [&](const placement& y) {
                        return y.make_good_of == x.make_good_of && y.slot == x.slot;
                    });
                    fresh += same ? 0 : 1;
                }
                EXPECT_EQ(fresh, 0);
                EXPECT_EQ(q.placements.size(), p.placements.size());
                kept_whole += fresh == 0 ? 1 : 0;
            }
        }
        // Measured (2026-12-03): 60 of 60 without separation rules, 56 of 60 with them (the others
        // found a plan worth more). Before the plan was searched again from its own airings until
        // that gained nothing: 46 of 60 with them. Before a re-plan started from the stored plan:
        // 29 and 10, and some re-plans were worth less than the plan they replaced.
        EXPECT_EQ(replans, 60);
        EXPECT_GE(kept_whole, separation ? 54 : 58) << (separation ? "with" : "without") << " separation rules";
    }
}

INSTANTIATE_TEST_SUITE_P(Small, PlannerProperty, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                             return i.param ? std::string("WithSeparationRules") : std::string("WithoutSeparationRules");
                         });

}  // namespace planner_property_test_cpp
}  // namespace
