// make_plan and greedy_plan on hand-built instances: each hard rule, seconds of mixed durations, a
// daypart across midnight, an outlet in Europe/Berlin across the 2024-10-27 DST change,
// determinism, the freeze horizon, make-goods, every reason with its sentence, the greedy baseline.
#include "scheduler/planner/planner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <tuple>
#include <vector>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "scheduler/planner/validator.hpp"
#include "tests/support/instance_generator.hpp"

namespace {
namespace planner_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using namespace loa::scheduler::planner;

using ymd = date::year_month_day;

constexpr ymd jul(unsigned d) { return 2024_y / date::July / date::day{d}; }
constexpr ymd aug(unsigned d) { return 2024_y / date::August / date::day{d}; }
constexpr ymd oct(unsigned d) { return 2024_y / date::October / date::day{d}; }

std::vector<daypart_info> tv_dayparts() { return {{"sang", 1.0, false}, {"prime", 3.0, true}}; }

// Builds an instance the way inventory.hpp does: breaks at outlet-local times converted with the
// outlet's IANA zone, dated by the local date they air on, sorted by (outlet, start).
struct builder {
    instance in;

    builder(ymd first, ymd last, instant now) {
        in.first_day = date::sys_days{first};
        in.last_day = date::sys_days{last};
        in.now = now;
    }

    int outlet(std::string slug, std::vector<daypart_info> dayparts = tv_dayparts(),
               std::string zone = "Asia/Ho_Chi_Minh", int lead = 0, int freeze = 0) {
        outlet_info o;
        o.slug = std::move(slug);
        o.kind = "tv";
        o.time_zone = std::move(zone);
        o.lead_time_hours = lead;
        o.freeze_hours = freeze;
        o.dayparts = std::move(dayparts);
        in.outlets.push_back(o);
        return static_cast<int>(in.outlets.size()) - 1;
    }

    // A break at local day d + time of day (which may pass 24 h: a daypart crossing midnight).
    void brk(int o, ymd d, std::chrono::minutes tod, int daypart, int capacity, double date_weight = 1.0,
             bool blacked_out = false) {
        slot s;
        s.outlet = o;
        s.local_start = date::local_days{d} + tod;
        const auto* zone = date::locate_zone(in.outlets[static_cast<std::size_t>(o)].time_zone);
        s.start = zone->to_sys(s.local_start, date::choose::earliest);
        s.date = date::sys_days{date::floor<date::days>(s.local_start).time_since_epoch()};
        s.capacity_s = capacity;
        s.daypart = daypart;
        s.date_weight = date_weight;
        s.blacked_out = blacked_out;
        in.slots.push_back(s);
    }

    int line(std::string code, std::string dept, int priority, int duration, std::vector<int> outlets, ymd first,
             ymd last, int airings) {
        order_line l;
        l.message = std::move(code);
        l.department = std::move(dept);
        l.state = "approved";
        l.approved = true;
        l.priority = priority;
        l.duration_s = duration;
        l.outlets = std::move(outlets);
        l.flight_first = date::sys_days{first};
        l.flight_last = date::sys_days{last};
        l.airings = airings;
        in.lines.push_back(l);
        return static_cast<int>(in.lines.size()) - 1;
    }

    order_line& at(int l) { return in.lines[static_cast<std::size_t>(l)]; }

    const instance& build() {
        std::stable_sort(in.slots.begin(), in.slots.end(), [](const slot& a, const slot& b) {
            return std::tie(a.outlet, a.start) < std::tie(b.outlet, b.start);
        });
        return in;
    }
};

// The slot of outlet o at local time d + tod, -1 when none.
int slot_at(const instance& in, int o, ymd d, std::chrono::minutes tod) {
    const auto local = date::local_days{d} + tod;
    for (std::size_t i = 0; i < in.slots.size(); ++i) {
        if (in.slots[i].outlet == o && in.slots[i].local_start == local) return static_cast<int>(i);
    }
    return -1;
}

// A stored airing of line l in outlet o's break at d + tod: `state`, 30 seconds unless told.
existing_placement stored_at(const instance& in, std::int64_t id, int l, int o, ymd d, std::chrono::minutes tod,
                             std::string state, int duration_s = 30) {
    existing_placement e;
    e.id = id;
    e.line = l;
    e.outlet = o;
    e.start = in.slots[static_cast<std::size_t>(slot_at(in, o, d, tod))].start;
    e.date = date::sys_days{d};
    e.duration_s = duration_s;
    e.state = std::move(state);
    return e;
}

// A stored 30-second airing of line l in outlet o's break at d + tod, reported missed.
existing_placement missed_at(const instance& in, std::int64_t id, int l, int o, ymd d, std::chrono::minutes tod) {
    return stored_at(in, id, l, o, d, tod, "missed");
}

// The plan's make-good proposal (the last one), nullptr when it has none.
const placement* make_good_in(const plan& p) {
    const placement* mg = nullptr;
    for (const auto& x : p.placements) {
        if (x.make_good_of) mg = &x;
    }
    return mg;
}

std::vector<placement> of_line(const plan& p, int l) {
    std::vector<placement> v;
    for (const auto& x : p.placements) {
        if (x.line == l) v.push_back(x);
    }
    return v;
}

int unplaced_total(const plan& p, int l) {
    int n = 0;
    for (const auto& u : p.unplaced) {
        if (u.line == l) n += u.airings;
    }
    return n;
}

const unplaced_airings* reason_of(const plan& p, int l) {
    for (const auto& u : p.unplaced) {
        if (u.line == l && u.code != reason_code::make_good_no_slot) return &u;
    }
    return nullptr;
}

void expect_valid(const instance& in, const plan& p) {
    const auto v = validate(in, p);
    for (const auto& x : v) ADD_FAILURE() << x.rule << ": " << x.detail;
    EXPECT_GE(p.bound_micro, p.objective_micro);
}

// Plans with make_plan and greedy_plan; both must pass the validator.
plan plan_checked(const instance& in) {
    const plan p = make_plan(in);
    expect_valid(in, p);
    const plan g = greedy_plan(in);
    expect_valid(in, g);
    EXPECT_GE(p.objective_micro, g.objective_micro);
    return p;
}

const instant hp_now = date::sys_days{jul(28)} + 17h;  // 29 July 00:00 in Hai Phong

// ---------------------------------------------------------------------------------------------
// Hard rules, one by one.

// value_micro's rounding (instance.hpp round_micro) is std::llround's, the one the validator and
// the LP writer also see: at the edges where x + 0.5 is not exact in a double, at every power of
// two, and on values made as airings' values are.
TEST(PlannerValue, RoundingIsLlroundsEverywhere) {
    std::vector<double> xs = {0.0, 0.25, 0.5, 1.5, 2.5, 0.49999999999999994, std::nextafter(0.5, 0.0),
                              std::nextafter(0.5, 1.0), 1.0 - 0x1p-53, -0.5, -1.5, -2.5, 3e15, 1e300};
    for (int k = -1; k <= 53; ++k) {
        const double p2 = std::ldexp(1.0, k);
        for (const double base : {p2, p2 - 0.5, p2 + 0.5}) {
            double x = base;
            for (int i = 0; i < 4; ++i) x = std::nextafter(x, 0.0);
            for (int i = 0; i < 9; ++i, x = std::nextafter(x, 1e308)) xs.push_back(x);
        }
    }
    std::uint64_t state = 88172645463325252ULL;  // xorshift64: a fixed sequence
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int i = 0; i < 200'000; ++i) {
        const double priority = static_cast<double>(1 + next() % 10);
        const double weight = static_cast<double>(next() % 1000) / 100.0;
        const double date_weight = static_cast<double>(next() % 500) / 100.0;
        xs.push_back(priority * weight * date_weight * 1e6);
        xs.push_back(static_cast<double>(next() % (1ULL << 40)) / 8.0);  // quarters and halves too
    }
    for (const double x : xs) {
        ASSERT_EQ(round_micro(x), static_cast<std::int64_t>(std::llround(x))) << std::hexfloat << x;
    }
}

TEST(PlannerRules, AMessageAtMostOncePerBreak) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 600);
    const int l = b.line("phong-chong-mua-ban-nguoi", "cong-an", 5, 30, {tv}, jul(30), jul(30), 3);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, l).size(), 1U);
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->airings, 2);
    EXPECT_EQ(u->code, reason_code::rule_limit);
    EXPECT_NE(u->reason.find("already airs in every break"), std::string::npos) << u->reason;
}

// A break whose daypart index names no daypart of its outlet (a hand-built snapshot: the inventory
// always gives one) is used by no step; the airings it cannot take are unplaced with a reason. The
// fill after the repair walks every break of a short line, these included (under ASan this once
// read before its array).
TEST(PlannerRules, ABreakOfNoDaypartIsNeverUsed) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 12h, -1, 600);
    b.brk(tv, jul(30), 19h, 1, 600);
    b.brk(tv, jul(30), 21h, 7, 600);
    const int l = b.line("phong-chong-mua-ban-nguoi", "cong-an", 5, 30, {tv}, jul(30), jul(30), 3);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto placed = of_line(p, l);
    ASSERT_EQ(placed.size(), 1U);
    EXPECT_EQ(placed.front().slot, slot_at(in, tv, jul(30), 19h));
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->airings, 2);
    EXPECT_FALSE(u->reason.empty());
}

TEST(PlannerRules, CapacityInSecondsWithMixedDurations) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    b.in.separate_departments = false;
    const int big = b.line("spot-b", "d", 5, 45, {tv}, jul(30), jul(30), 1);
    const int a = b.line("spot-a", "d", 4, 30, {tv}, jul(30), jul(30), 1);
    const int c = b.line("spot-c", "d", 4, 30, {tv}, jul(30), jul(30), 1);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    // 30 + 30 fits the 60 s (value 4 + 4); 45 s of spot-b (5) would leave no room for another.
    EXPECT_EQ(of_line(p, a).size(), 1U);
    EXPECT_EQ(of_line(p, c).size(), 1U);
    EXPECT_TRUE(of_line(p, big).empty());
    EXPECT_EQ(p.objective_micro, 3 * (4 + 4) * 1'000'000LL);
    const auto* u = reason_of(p, big);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::capacity);
    EXPECT_EQ(u->reason, "1 airing not placed: prime time (prime) on thp-tv 2024-07-30 is full with messages spot-a, spot-c");
    EXPECT_EQ(u->blockers, (std::vector<int>{a, c}));
    // The greedy baseline puts spot-b (priority 5) in first and leaves 15 s unused.
    const plan g = greedy_plan(in);
    EXPECT_EQ(g.objective_micro, 3 * 5 * 1'000'000LL);
    EXPECT_GT(p.objective_micro, g.objective_micro);
    // One network, solved in airings and in seconds (and then priced by the Lagrangian rounds).
    EXPECT_EQ(p.stats.flow_components, 1);
    EXPECT_GE(p.stats.flow_simplex_runs, 2);
    EXPECT_EQ(p.stats.flow_largest_nodes, p.stats.flow_nodes);
    EXPECT_EQ(p.stats.flow_largest_arcs, p.stats.flow_arcs);
}

// Two 60 s breaks in one cell, lines of 45 s and 15 s: the cell's 120 s would take two airings of
// spot-a and two thirds of spot-d (value 5·2 + 4·⅔), but a break takes one 45 s airing and one of
// 15 s. The network alone claims at least that fraction; with each break's own rules priced in,
// the bound is the plan's value: proven optimal.
TEST(PlannerRules, TheBoundKnowsWhatOneBreakTakes) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    b.brk(tv, jul(30), 20h, 1, 60);
    b.in.separate_departments = false;
    const int a = b.line("spot-a", "cong-an", 5, 45, {tv}, jul(30), jul(30), 2);
    const int d = b.line("spot-d", "giao-duc", 4, 45, {tv}, jul(30), jul(30), 2);
    const int e = b.line("spot-e", "y-te", 1, 15, {tv}, jul(30), jul(30), 2);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, a).size(), 2U);
    EXPECT_TRUE(of_line(p, d).empty());
    EXPECT_EQ(of_line(p, e).size(), 2U);
    EXPECT_EQ(p.objective_micro, 3 * (2 * 5 + 2 * 1) * 1'000'000LL);
    EXPECT_EQ(p.bound_micro, p.objective_micro);
}

// Seconds that do not fit the simplex's int: two messages of nearly a day each (their lengths' common
// divisor is 1 s) in 14,400 breaks would put 2.49e9 s through the network. It is counted in 64 bits
// there, and every break takes both.
TEST(PlannerRules, SecondsBeyondAnIntAreCountedInSixtyFourBits) {
    builder b(jul(30), aug(18), hp_now);
    const int o = b.outlet("loa-phuong", {{"ca-ngay", 1.0, true}});
    for (int d = 0; d < 20; ++d) {
        const ymd day{date::sys_days{jul(30)} + date::days{d}};
        for (int m = 0; m < 24 * 60; m += 2) b.brk(o, day, std::chrono::minutes{m}, 0, 2 * 86'400);
    }
    b.in.separate_departments = false;
    const int x = b.line("thong-diep-dai-1", "cong-an", 3, 86'399, {o}, jul(30), aug(18), 20'000);
    const int y = b.line("thong-diep-dai-2", "bien-phong", 2, 86'398, {o}, jul(30), aug(18), 20'000);
    const auto& in = b.build();
    ASSERT_EQ(in.slots.size(), 14'400U);
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, x).size(), 14'400U);
    EXPECT_EQ(of_line(p, y).size(), 14'400U);
    EXPECT_EQ(p.objective_micro, 14'400LL * (3 + 2) * 1'000'000LL);
    EXPECT_EQ(p.bound_micro, p.objective_micro);
}

TEST(PlannerRules, LinesSharingNoOutletAreSolvedApart) {
    builder b(jul(30), jul(31), hp_now);
    const int tv = b.outlet("thp-tv");
    const int radio = b.outlet("thp-radio");
    for (const ymd d : {jul(30), jul(31)}) {
        b.brk(tv, d, 19h, 1, 60);
        b.brk(radio, d, 7h, 0, 60);
        b.brk(radio, d, 19h, 1, 60);
    }
    b.in.separate_departments = false;
    const int a = b.line("spot-a", "d", 5, 30, {tv}, jul(30), jul(31), 2);
    const int c = b.line("spot-c", "d", 4, 30, {radio}, jul(30), jul(31), 3);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, a).size(), 2U);
    EXPECT_EQ(of_line(p, c).size(), 3U);
    // One network per outlet group, each solved once (one length): the largest is the radio's.
    EXPECT_EQ(p.stats.flow_components, 2);
    EXPECT_EQ(p.stats.flow_simplex_runs, 2);
    EXPECT_LT(p.stats.flow_largest_nodes, p.stats.flow_nodes);
    EXPECT_LT(p.stats.flow_largest_arcs, p.stats.flow_arcs);
    EXPECT_GE(p.stats.flow_simplex_ms, 0.0);
    EXPECT_EQ(p.gap(), 0.0);
}

TEST(PlannerRules, PerDayLimit) {
    builder b(jul(30), aug(1), hp_now);
    const int tv = b.outlet("thp-tv");
    for (unsigned d = 30; d <= 32; ++d) {
        const ymd day = d <= 31 ? jul(d) : aug(d - 31);
        for (int h = 18; h <= 22; ++h) b.brk(tv, day, std::chrono::hours(h), 1, 120);
    }
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(30), aug(1), 0);
    b.at(l).per_day = 2;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    std::map<day, int> per_day;
    for (const auto& x : of_line(p, l)) ++per_day[in.slots[static_cast<std::size_t>(x.slot)].date];
    EXPECT_EQ(per_day.size(), 3U);
    for (const auto& [d, n] : per_day) EXPECT_EQ(n, 2) << date::format("%F", d);
    EXPECT_TRUE(p.unplaced.empty());
}

TEST(PlannerRules, PerWeekLimit) {
    // Fri 26 July – Sun 4 August: ISO weeks 22–28 July and 29 July – 4 August.
    builder b(jul(26), aug(4), date::sys_days{jul(25)});
    const int tv = b.outlet("thp-tv");
    for (int i = 0; i < 10; ++i) {
        const auto d = ymd{date::sys_days{jul(26)} + date::days(i)};
        b.brk(tv, d, 19h, 1, 120);
        b.brk(tv, d, 20h, 1, 120);
    }
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(26), aug(4), 0);
    b.at(l).per_week = 3;
    const auto& in = b.build();
    EXPECT_EQ(wanted_airings(in.lines[0]), 6);
    const plan p = plan_checked(in);
    std::map<long long, int> per_week;
    for (const auto& x : of_line(p, l)) ++per_week[iso_week_key(in.slots[static_cast<std::size_t>(x.slot)].date)];
    ASSERT_EQ(per_week.size(), 2U);
    for (const auto& [w, n] : per_week) EXPECT_EQ(n, 3);
}

TEST(PlannerRules, MaxPerOutletPerDay) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    const int radio = b.outlet("vov-hai-phong", {{"sang", 1.0, true}});
    for (int h = 6; h <= 11; ++h) b.brk(radio, jul(30), std::chrono::hours(h), 0, 120);
    for (int h = 18; h <= 22; ++h) b.brk(tv, jul(30), std::chrono::hours(h), 1, 120);
    const int l = b.line("spot", "d", 5, 30, {tv, radio}, jul(30), jul(30), 5);
    b.at(l).max_per_outlet_per_day = 2;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    std::map<int, int> per_outlet;
    for (const auto& x : of_line(p, l)) ++per_outlet[x.outlet];
    EXPECT_EQ(per_outlet[tv], 2);
    EXPECT_EQ(per_outlet[radio], 2);
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::rule_limit);
    EXPECT_EQ(u->airings, 1);
    EXPECT_NE(u->reason.find("2 airings per outlet a day"), std::string::npos) << u->reason;
    // Which limit, with its figure, for pages: only the one that is reached.
    EXPECT_EQ(u->limit_per_outlet_day, 2);
    EXPECT_EQ(u->limit_per_day, 0);
    EXPECT_EQ(u->limit_per_week, 0);
}

// A limit that one above already keeps gets no node of its own in the network: one airing a day
// under two per outlet and day makes the day's node enough.
TEST(PlannerRules, ALimitKeptByTheOneAboveAddsNoNode) {
    builder b(jul(30), jul(31), hp_now);
    const std::vector<daypart_info> three = {{"sang", 1.0, false}, {"trua", 2.0, false}, {"toi", 3.0, true}};
    const int tv = b.outlet("thp-tv", three);
    const int radio = b.outlet("vov-hai-phong", three);
    for (const ymd d : {jul(30), jul(31)}) {
        for (const int o : {tv, radio}) {
            for (int dp = 0; dp < 3; ++dp) b.brk(o, d, std::chrono::hours(7 + 6 * dp), dp, 60);
        }
    }
    const int l = b.line("ngay-the-gioi", "so-lao-dong", 5, 30, {tv, radio}, jul(30), jul(31), 10);
    b.at(l).per_day = 1;
    b.at(l).max_per_outlet_per_day = 2;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    ASSERT_EQ(of_line(p, l).size(), 2U);
    for (const auto& x : of_line(p, l)) EXPECT_EQ(in.slots[static_cast<std::size_t>(x.slot)].daypart, 2);
    EXPECT_EQ(p.objective_micro, 2 * 5 * 3 * 1'000'000LL);
    EXPECT_EQ(p.bound_micro, p.objective_micro);
    // Source, sink, 12 cells, the line's node (2 airings of the 12 breaks) and one per day; none
    // per outlet and day (2 per outlet and day cannot bind under 1 a day).
    EXPECT_EQ(p.stats.flow_nodes, 2 + 12 + 1 + 2);
}

TEST(PlannerRules, MinGapOnOneOutletAcrossMidnight) {
    builder b(jul(30), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", {{"khuya", 1.0, true}});
    // Every 30 minutes from 21:00 to 01:00 (the last two on 31 July).
    for (int m = 0; m <= 240; m += 30) b.brk(tv, jul(30), 21h + std::chrono::minutes(m), 0, 120);
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(30), jul(31), 9);
    b.at(l).min_gap_minutes = 60;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    auto v = of_line(p, l);
    ASSERT_EQ(v.size(), 5U);  // 21:00, 22:00, 23:00, 00:00, 01:00 at best
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_GE(v[i].start - v[i - 1].start, 60min);
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::separation);
    EXPECT_NE(u->reason.find("within 60 minutes of its other airings on thp-tv"), std::string::npos) << u->reason;
}

// Its own limit is the reason when it closes breaks and the breaks a separation rule closed could
// not take even the airings missing: one break within the gap does not explain twenty airings.
TEST(PlannerRules, ALimitThatLeavesMostAiringsOutIsTheReasonNotOneBreakWithinTheGap) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", {{"toi", 1.0, true}});
    b.brk(tv, jul(29), 19h, 0, 120);
    b.brk(tv, jul(29), 19h + 30min, 0, 120);  // within the gap of the 19:00 airing
    for (const auto d : {jul(30), jul(31)}) {
        b.brk(tv, d, 19h, 0, 120);
        b.brk(tv, d, 21h, 0, 120);
        b.brk(tv, d, 23h, 0, 120);  // closed by the limit of 2 a day
    }
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), jul(31), 25);
    b.at(l).min_gap_minutes = 60;
    b.at(l).max_per_outlet_per_day = 2;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    ASSERT_EQ(of_line(p, l).size(), 5U);  // one on 29 July, two on each of the others
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->airings, 20);
    EXPECT_EQ(u->code, reason_code::rule_limit) << u->reason;
    EXPECT_EQ(u->limit_per_outlet_day, 2);
    EXPECT_EQ(u->closed_by_others, 1);  // for the page
    EXPECT_NE(u->reason.find("; of the other breaks there it already airs in 1, and 1 is full or closed by a separation rule"), std::string::npos)
        << u->reason;
}

TEST(PlannerRules, DepartmentSeparation) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 120);
    const int a = b.line("giao-duc-1", "giao-duc", 6, 30, {tv}, jul(30), jul(30), 1);
    const int c = b.line("giao-duc-2", "giao-duc", 5, 30, {tv}, jul(30), jul(30), 1);
    const int other = b.line("y-te-1", "y-te", 4, 30, {tv}, jul(30), jul(30), 1);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, a).size(), 1U);
    EXPECT_TRUE(of_line(p, c).empty());
    EXPECT_EQ(of_line(p, other).size(), 1U);
    const auto* u = reason_of(p, c);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::separation);
    EXPECT_EQ(u->reason,
              "1 airing not placed: the breaks with room in prime time (prime) on thp-tv 2024-07-30 already carry "
              "giao-duc-1 of the same department (giao-duc), and one message per department airs in a break");
    EXPECT_EQ(u->blockers, (std::vector<int>{a}));

    instance off = in;
    off.separate_departments = false;
    const plan q = plan_checked(off);
    EXPECT_EQ(q.placements.size(), 3U);
    EXPECT_TRUE(q.unplaced.empty());
}

TEST(PlannerRules, TotalAiringsAndBestValueFirst) {
    builder b(jul(30), jul(31), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 7h, 0, 120);
    b.brk(tv, jul(30), 19h, 1, 120);
    b.brk(tv, jul(31), 7h, 0, 120, 3.0);
    b.brk(tv, jul(31), 19h, 1, 120, 3.0);  // key date ×3 and prime ×3
    const int l = b.line("spot", "d", 2, 30, {tv}, jul(30), jul(31), 2);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto v = of_line(p, l);
    ASSERT_EQ(v.size(), 2U);
    // The two most valuable: 31 July prime (18) and 31 July morning (6) beat 30 July prime (6)? They tie
    // at 6, so the value is 2 × (9 + 3) either way.
    EXPECT_EQ(p.objective_micro, 2 * (9 + 3) * 1'000'000LL);
    EXPECT_EQ(v[0].slot == slot_at(in, tv, jul(31), 19h) || v[1].slot == slot_at(in, tv, jul(31), 19h), true);
    EXPECT_EQ(p.bound_micro, p.objective_micro);
}

TEST(PlannerRules, ApprovalEligibilityDaypartsFlightBlackoutLeadTime) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 24);
    const int radio = b.outlet("vov-hai-phong", {{"sang", 1.0, true}});
    b.brk(tv, jul(29), 19h, 1, 120);              // before the lead time
    b.brk(tv, jul(30), 7h, 0, 120);               // not an allowed daypart
    b.brk(tv, jul(30), 19h, 1, 120, 1.0, true);   // blacked out
    b.brk(tv, jul(31), 19h, 1, 120);              // outside the flight
    b.brk(tv, jul(30), 20h, 1, 120);              // the one usable break
    b.brk(radio, jul(30), 7h, 0, 120);            // not an eligible outlet
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), jul(30), 5);
    b.at(l).dayparts = {"prime"};
    const int draft = b.line("nhap", "d", 9, 30, {tv, radio}, jul(29), jul(31), 2);
    b.at(draft).approved = false;
    b.at(draft).state = "draft";
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto v = of_line(p, l);
    ASSERT_EQ(v.size(), 1U);
    EXPECT_EQ(v[0].slot, slot_at(in, tv, jul(30), 20h));
    EXPECT_TRUE(of_line(p, draft).empty());
}

TEST(PlannerRules, DegenerateInstances) {
    const instance empty;
    const plan p = plan_checked(empty);
    EXPECT_TRUE(p.placements.empty());
    EXPECT_TRUE(p.unplaced.empty());
    EXPECT_EQ(p.objective_micro, 0);
    EXPECT_EQ(p.bound_micro, 0);

    // A line of no length fits any break, still once per break; dates planned backwards plan nothing.
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    b.brk(tv, jul(30), 20h, 1, 60);
    const int zero = b.line("khong-giay", "a", 5, 0, {tv}, jul(30), jul(30), 3);
    const int full = b.line("day-du", "b", 4, 60, {tv}, jul(30), jul(30), 2);
    const auto& in = b.build();
    const plan q = plan_checked(in);
    EXPECT_EQ(of_line(q, zero).size(), 2U);
    EXPECT_EQ(of_line(q, full).size(), 2U);
    // Posting slots that only lines of no length may use (a social outlet's): they count in the
    // network too, so the bound holds the posts placed there.
    builder sb(jul(30), jul(30), hp_now);
    const int social = sb.outlet("fanpage-cong-an-hai-phong", {{"toi", 2.0, true}});
    sb.brk(social, jul(30), 19h, 0, 0);
    sb.brk(social, jul(30), 21h, 0, 0);
    const int post = sb.line("bai-dang", "cong-an", 5, 0, {social}, jul(30), jul(30), 2);
    const plan sp = plan_checked(sb.build());
    EXPECT_EQ(of_line(sp, post).size(), 2U);
    EXPECT_EQ(sp.objective_micro, 2 * 5 * 2 * 1'000'000LL);
    EXPECT_EQ(sp.bound_micro, sp.objective_micro);
    instance backwards = in;
    std::swap(backwards.first_day, backwards.last_day);
    backwards.first_day += date::days(1);
    const plan r = plan_checked(backwards);
    EXPECT_TRUE(r.placements.empty());
    EXPECT_EQ(unplaced_total(r, full), 2);
}

// ---------------------------------------------------------------------------------------------
// Time: dayparts across midnight, DST.

TEST(PlannerTime, DaypartCrossingMidnightAirsOnTheNextDate) {
    builder b(jul(30), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", {{"khuya", 2.0, true}});  // 22:00–01:00
    b.brk(tv, jul(30), 22h + 30min, 0, 120);
    b.brk(tv, jul(30), 24h + 30min, 0, 120);  // 00:30 on 31 July
    const int only31 = b.line("ngay-31", "a", 5, 30, {tv}, jul(31), jul(31), 0);
    b.at(only31).per_day = 1;
    const int both = b.line("hai-ngay", "b", 4, 30, {tv}, jul(30), jul(31), 0);
    b.at(both).per_day = 1;
    const auto& in = b.build();
    const int late = slot_at(in, tv, jul(30), 24h + 30min);
    ASSERT_GE(late, 0);
    EXPECT_EQ(in.slots[static_cast<std::size_t>(late)].date, date::sys_days{jul(31)});
    const plan p = plan_checked(in);
    const auto a = of_line(p, only31);
    ASSERT_EQ(a.size(), 1U);
    EXPECT_EQ(a[0].slot, late);
    EXPECT_EQ(a[0].start, date::sys_days{jul(30)} + 17h + 30min);  // 00:30 +07 is 17:30 UTC the day before
    EXPECT_EQ(of_line(p, both).size(), 2U);  // one on each date, two hours apart
    EXPECT_TRUE(p.unplaced.empty());
}

TEST(PlannerTime, BerlinOutletAcrossTheOctoberDstChange) {
    // 19:00 in Berlin is 17:00 UTC on Saturday 26 October (CEST) and 18:00 UTC from Sunday 27
    // October (CET): 25 hours between the first two breaks, 24 between the next two.
    builder b(oct(26), oct(28), date::sys_days{oct(20)});
    const int tv = b.outlet("dw-berlin", {{"abend", 3.0, true}}, "Europe/Berlin");
    for (unsigned d = 26; d <= 28; ++d) b.brk(tv, oct(d), 19h, 0, 120);
    const int l = b.line("kampagne", "d", 5, 30, {tv}, oct(26), oct(28), 3);
    b.at(l).min_gap_minutes = 25 * 60;
    const auto& in = b.build();
    EXPECT_EQ(in.slots[0].start, date::sys_days{oct(26)} + 17h);
    EXPECT_EQ(in.slots[1].start, date::sys_days{oct(27)} + 18h);
    EXPECT_EQ(in.slots[2].start, date::sys_days{oct(28)} + 18h);
    const plan p = plan_checked(in);
    const auto v = of_line(p, l);
    ASSERT_EQ(v.size(), 2U);  // 26 and 27 (exactly 25 h) or 26 and 28; never 27 and 28
    EXPECT_EQ(v[0].start, date::sys_days{oct(26)} + 17h);
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_GE(v[i].start - v[i - 1].start, 25h);
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::separation);
    EXPECT_NE(u->reason.find("dw-berlin"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// A mid-size instance for determinism and the bound.

instance mid_instance() {
    builder b(jul(25), aug(3), date::sys_days{jul(24)});
    const std::vector<std::string> depts = {"cong-an", "giao-duc", "y-te", "phu-nu"};
    std::vector<int> outlets;
    for (int o = 0; o < 4; ++o) {
        outlets.push_back(b.outlet("outlet-" + std::to_string(o), tv_dayparts()));
    }
    for (int i = 0; i < 10; ++i) {
        const auto d = ymd{date::sys_days{jul(25)} + date::days(i)};
        const double w = d == jul(30) ? 3.0 : 1.0;
        for (const int o : outlets) {
            for (int h = 6; h <= 8; ++h) b.brk(o, d, std::chrono::hours(h) + std::chrono::minutes(10 * o), 0, 60 + 15 * o, w);
            for (int m = 0; m < 180; m += 30) b.brk(o, d, 19h + std::chrono::minutes(m), 1, 60 + 30 * (o % 2), w);
        }
    }
    for (int i = 0; i < 24; ++i) {
        const std::vector<int> os = {i % 4, (i + 1) % 4};
        const auto first = ymd{date::sys_days{jul(25)} + date::days(i % 4)};
        const auto last = ymd{date::sys_days{jul(30)} + date::days(i % 5)};
        const int l = b.line("msg-" + std::to_string(i), depts[static_cast<std::size_t>(i) % depts.size()],
                             1 + (i * 7) % 10, i % 3 == 0 ? 15 : 30, os, first, last, 6 + i % 9);
        if (i % 4 == 1) b.at(l).per_day = 2;
        if (i % 5 == 2) b.at(l).min_gap_minutes = 90;
        if (i % 6 == 3) b.at(l).max_per_outlet_per_day = 1;
        if (i % 7 == 4) b.at(l).dayparts = {"prime"};
    }
    return b.build();
}

bool same(const plan& a, const plan& b) {
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
    return a.objective_micro == b.objective_micro && a.bound_micro == b.bound_micro &&
           a.stats.flow_nodes == b.stats.flow_nodes && a.stats.flow_arcs == b.stats.flow_arcs &&
           a.stats.flow_components == b.stats.flow_components &&
           a.stats.flow_simplex_runs == b.stats.flow_simplex_runs &&
           a.stats.flow_largest_nodes == b.stats.flow_largest_nodes &&
           a.stats.flow_largest_arcs == b.stats.flow_largest_arcs &&
           a.stats.flow_value_micro == b.stats.flow_value_micro &&
           a.stats.greedy_value_micro == b.stats.greedy_value_micro && a.stats.greedy_won == b.stats.greedy_won &&
           a.stats.repair_dropped == b.stats.repair_dropped;
}

TEST(Planner, DeterministicPlan) {
    const instance in = mid_instance();
    const plan a = make_plan(in);
    const plan b = make_plan(in);
    EXPECT_TRUE(same(a, b));
    EXPECT_GT(a.placements.size(), 50U);
    // A copy with the lines' outlet lists and the slots in the same order gives the same plan too.
    const instance copy = in;
    EXPECT_TRUE(same(a, make_plan(copy)));
    const plan g1 = greedy_plan(in);
    EXPECT_TRUE(same(g1, greedy_plan(in)));
}

TEST(Planner, BoundAboveObjectiveAndGapSmall) {
    const instance in = mid_instance();
    const plan p = plan_checked(in);
    EXPECT_GE(p.bound_micro, p.objective_micro);
    EXPECT_LT(p.gap(), 0.05) << p.objective() << " vs bound " << p.bound() << " greedy " << p.stats.greedy_value_micro.value_or(-1)
                             << " dropped " << p.stats.repair_dropped;
    EXPECT_GT(p.stats.flow_arcs, 0);
    EXPECT_GT(p.stats.flow_nodes, 0);
    EXPECT_EQ(p.bound_micro, p.stats.flow_value_micro);  // nothing frozen here
    // Every line short of what it wants says why, and the sums agree.
    for (int l = 0; l < static_cast<int>(in.lines.size()); ++l) {
        const int placed = static_cast<int>(of_line(p, l).size());
        EXPECT_EQ(unplaced_total(p, l), std::max(0, wanted_airings(in.lines[static_cast<std::size_t>(l)]) - placed));
    }
}

// Dates planned far beyond every flight add breaks no line can reach: the plan is the one of the
// flights' own dates, with every step that the size of the problem allows (a small instance's 454
// breaks, not the 5,448 it would count with eleven more weeks of breaks no line may use).
TEST(Planner, DatesPlannedBeyondTheFlightsChangeNothing) {
    const instance in = loa::testing::generate(loa::testing::family("small", 10, true));
    instance wide = in;
    for (int k = 1; k <= 11; ++k) {
        const date::days shift{7 * k + 30};
        for (const slot& s : in.slots) {
            slot t = s;
            t.date += shift;
            t.start += shift;
            t.local_start += shift;
            wide.slots.push_back(t);
        }
    }
    wide.last_day = in.last_day + date::days{7 * 11 + 30 + 7};
    std::stable_sort(wide.slots.begin(), wide.slots.end(), [](const slot& a, const slot& b) {
        return std::tie(a.outlet, a.start) < std::tie(b.outlet, b.start);
    });
    ASSERT_GT(wide.slots.size(), 5'000U);
    const plan p = plan_checked(in);
    const plan q = plan_checked(wide);
    EXPECT_EQ(q.objective_micro, p.objective_micro);
    EXPECT_EQ(q.bound_micro, p.bound_micro);
    EXPECT_EQ(q.placements.size(), p.placements.size());
}

TEST(Planner, RotatesTheBreakAcrossDays) {
    builder b(jul(25), jul(31), date::sys_days{jul(24)});
    const int tv = b.outlet("thp-tv");
    for (int i = 0; i < 7; ++i) {
        const auto d = ymd{date::sys_days{jul(25)} + date::days(i)};
        for (int m = 0; m < 120; m += 15) b.brk(tv, d, 19h + std::chrono::minutes(m), 1, 120);
    }
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(25), jul(31), 0);
    b.at(l).per_day = 1;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    std::set<std::chrono::seconds> minutes;
    for (const auto& x : of_line(p, l)) {
        const auto& s = in.slots[static_cast<std::size_t>(x.slot)];
        minutes.insert(s.local_start - date::floor<date::days>(s.local_start));
    }
    EXPECT_EQ(of_line(p, l).size(), 7U);
    EXPECT_GE(minutes.size(), 5U);  // not always the same minute
}

// ---------------------------------------------------------------------------------------------
// Stored placements: freeze horizon, kept ids, make-goods.

TEST(PlannerExisting, FreezeHorizonKeepsAndReplans) {
    builder b(jul(29), aug(6), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 0, 48);
    b.brk(tv, jul(30), 19h, 1, 60);  // inside the 48 h horizon
    b.brk(tv, aug(5), 7h, 0, 60);
    b.brk(tv, aug(5), 19h, 1, 60);
    b.brk(tv, aug(5), 20h, 1, 60);
    b.brk(tv, aug(6), 19h, 1, 60);
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), aug(6), 3);
    const int m = b.line("spot-2", "e", 4, 30, {tv}, jul(29), aug(6), 1);
    const auto& in0 = b.build();
    instance in = in0;
    auto stored = [&](std::int64_t id, int line, ymd d, std::chrono::minutes tod) {
        in.existing.push_back(stored_at(in, id, line, tv, d, tod, "planned"));
    };
    stored(11, l, jul(30), 19h);  // frozen by the horizon
    stored(12, l, aug(5), 19h);   // movable, and where the plan would put it anyway
    stored(13, m, aug(5), 7h);    // movable, in a poorer break: moves to prime time
    const plan p = plan_checked(in);
    std::map<std::int64_t, placement> by_id;
    for (const auto& x : p.placements) {
        if (x.existing_id) by_id[*x.existing_id] = x;
    }
    ASSERT_TRUE(by_id.count(11));
    EXPECT_TRUE(by_id[11].frozen);
    EXPECT_EQ(by_id[11].slot, slot_at(in, tv, jul(30), 19h));
    ASSERT_TRUE(by_id.count(12));
    EXPECT_FALSE(by_id[12].frozen);
    EXPECT_EQ(by_id[12].slot, slot_at(in, tv, aug(5), 19h));
    EXPECT_FALSE(by_id.count(13));
    const auto mv = of_line(p, m);
    ASSERT_EQ(mv.size(), 1U);
    EXPECT_TRUE(in.outlets[0].dayparts[static_cast<std::size_t>(in.slots[static_cast<std::size_t>(mv[0].slot)].daypart)].prime);
    EXPECT_EQ(of_line(p, l).size(), 3U);

    // Published placements are frozen wherever they are, and hold their break.
    in.existing[2].state = "published";
    const plan q = plan_checked(in);
    bool kept = false;
    for (const auto& x : q.placements) kept = kept || (x.existing_id == 13 && x.frozen);
    EXPECT_TRUE(kept);
    EXPECT_EQ(of_line(q, m).size(), 1U);

    // Its message edited back to a draft, the frozen placements still to go out keep their break,
    // but they will not air (cancelled for the outlet): not placed, the line's airings unplaced as
    // not approved, and no one else's break taken by what moved away.
    in.lines[static_cast<std::size_t>(l)].approved = false;
    in.lines[static_cast<std::size_t>(l)].state = "draft";
    // As the store withdraws them when the edit is made (now): those still to go out.
    for (auto& e : in.existing)
        e.withdrawn = e.line == l && e.start >= in.now && (e.state == "planned" || e.state == "published");
    const plan r = plan_checked(in);
    bool frozen_kept = false;
    for (const auto& x : r.placements) frozen_kept = frozen_kept || (x.existing_id == 11 && x.frozen);
    EXPECT_TRUE(frozen_kept);
    const auto* u = reason_of(r, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::not_approved);
    EXPECT_EQ(u->airings, 3);  // the frozen one does not count: it will not air
}

// Approved again after it lost its approval, a message's placements withdrawn meanwhile stay so (the
// outlet was told they are cancelled): a frozen one holds its break but counts toward none of the
// message's airings or limits, and one still ahead of the plan's "now" (a plan as of a time before
// the new approval) is not taken up again but dropped; the plan places new airings instead.
TEST(PlannerExisting, AWithdrawnPlacementNeitherCountsNorComesBack) {
    builder b(aug(1), aug(4), hp_now);
    const int tv = b.outlet("thp-tv");
    for (unsigned d = 1; d <= 4; ++d) {
        b.brk(tv, aug(d), 19h, 1, 60);
        b.brk(tv, aug(d), 20h, 1, 60);
    }
    const int l = b.line("tiếng-nói", "police", 5, 30, {tv}, aug(1), aug(4), 4);
    b.at(l).per_day = 1;
    instance in = b.build();
    existing_placement held = stored_at(in, 21, l, tv, aug(1), 19h, "published");
    held.withdrawn = true;
    existing_placement ahead = stored_at(in, 22, l, tv, aug(2), 19h, "planned");
    ahead.withdrawn = true;
    in.existing = {held, ahead};
    ASSERT_TRUE(is_frozen(in, held));
    ASSERT_FALSE(is_frozen(in, ahead));
    const plan p = plan_checked(in);
    std::map<day, int> fresh;
    bool held_kept = false;
    for (const auto& x : of_line(p, l)) {
        EXPECT_NE(x.existing_id, std::optional<std::int64_t>{22});
        if (x.existing_id == 21) held_kept = x.frozen;
        if (!x.existing_id) ++fresh[in.slots[static_cast<std::size_t>(x.slot)].date];
    }
    EXPECT_TRUE(held_kept);
    ASSERT_EQ(fresh.size(), 4U);  // one a day, 1 August included: the withdrawn airing is not one
    for (const auto& [d, n] : fresh) EXPECT_EQ(n, 1) << date::format("%F", d);
    EXPECT_EQ(unplaced_total(p, l), 0);
    // 1 August's new airing is at 20:00: 19:00 is held.
    bool at_20 = false;
    for (const auto& x : of_line(p, l)) at_20 = at_20 || (!x.existing_id && x.slot == slot_at(in, tv, aug(1), 20h));
    EXPECT_TRUE(at_20);
    // Nor is it in the objective: that is the four new airings' value alone.
    std::int64_t airings = 0;
    for (const auto& x : of_line(p, l)) {
        if (!x.existing_id) airings += value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(x.slot)]);
    }
    EXPECT_EQ(p.objective_micro, airings);
}

// A stored placement the plan could keep at no cost stays where it is, whichever of two breaks of
// equal value it was stored in: the relaxation would choose one of them by its own tie-breaks, and
// a re-plan with only a few stored placements among many new airings does not try the stored plan
// as a whole (settle() in planner.cpp brings the airing back).
TEST(PlannerExisting, AStoredPlacementStaysInItsBreakWhenNothingIsGainedByMovingIt) {
    for (const int day : {5, 6}) {
        SCOPED_TRACE("stored on " + std::to_string(day) + " August");
        builder b(aug(1), aug(6), hp_now);
        const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 0, 0);
        for (int d = 1; d <= 6; ++d) b.brk(tv, aug(static_cast<unsigned>(d)), 19h, 1, 60);
        const int a = b.line("tiếng-nói", "police", 5, 30, {tv}, aug(5), aug(6), 1);
        const int many = b.line("bản-tin", "education", 5, 30, {tv}, aug(1), aug(4), 4);
        instance in = b.build();
        const int s = slot_at(in, tv, aug(static_cast<unsigned>(day)), 19h);
        const existing_placement e = stored_at(in, 40 + day, a, tv, aug(static_cast<unsigned>(day)), 19h, "planned");
        in.existing.push_back(e);
        const plan p = plan_checked(in);
        const auto mine = of_line(p, a);
        ASSERT_EQ(mine.size(), 1U);
        EXPECT_EQ(mine[0].slot, s);
        EXPECT_EQ(mine[0].existing_id, std::optional<std::int64_t>(40 + day));
        EXPECT_EQ(of_line(p, many).size(), 4U);
        EXPECT_EQ(p.objective_micro, p.bound_micro);

        // Its stored break taken since by a message that fills it: it airs in the other one, anew.
        builder b2(aug(1), aug(6), hp_now);
        const int tv2 = b2.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 0, 0);
        for (int d = 1; d <= 6; ++d) b2.brk(tv2, aug(static_cast<unsigned>(d)), 19h, 1, 60);
        const int a2 = b2.line("tiếng-nói", "police", 5, 30, {tv2}, aug(5), aug(6), 1);
        b2.line("bản-tin", "education", 5, 30, {tv2}, aug(1), aug(4), 4);
        const int full = b2.line("phóng-sự", "culture", 9, 60, {tv2}, aug(static_cast<unsigned>(day)),
                                 aug(static_cast<unsigned>(day)), 1);
        instance in2 = b2.build();
        in2.existing.push_back(e);
        const plan q = plan_checked(in2);
        const auto a2s = of_line(q, a2);
        ASSERT_EQ(a2s.size(), 1U);
        EXPECT_EQ(a2s[0].slot, slot_at(in2, tv2, aug(static_cast<unsigned>(11 - day)), 19h));
        EXPECT_FALSE(a2s[0].existing_id.has_value());
        EXPECT_EQ(of_line(q, full).size(), 1U);
        EXPECT_EQ(q.objective_micro, q.bound_micro);
    }
}

// A stored placement whose message changed its length since cannot be kept as it was (the stored
// row says 30 s): the message airs anew, in the same break if it is still the best, and the plan
// is valid (it was refused as "changed" when the row kept its id).
TEST(PlannerExisting, AStoredPlacementOfAMessageWhoseLengthChangedAirsAnew) {
    builder b(aug(5), aug(6), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 0, 0);
    b.brk(tv, aug(5), 19h, 1, 60);
    const int l = b.line("tiếng-nói", "police", 5, 45, {tv}, aug(5), aug(6), 1);
    instance in = b.build();
    const int s = slot_at(in, tv, aug(5), 19h);
    in.existing.push_back(stored_at(in, 77, l, tv, aug(5), 19h, "planned"));  // 30 s as stored
    const plan p = plan_checked(in);
    const auto mine = of_line(p, l);
    ASSERT_EQ(mine.size(), 1U);
    EXPECT_EQ(mine[0].slot, s);
    EXPECT_EQ(mine[0].duration_s, 45);
    EXPECT_FALSE(mine[0].existing_id.has_value());
}

// The freeze horizon closes the outlet's log: nothing new goes in before it, even after the lead
// time, and the airings that only fit there are unplaced for it.
TEST(PlannerExisting, NothingNewInsideTheFreezeHorizon) {
    builder b(jul(29), aug(6), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 12, 48);
    b.brk(tv, jul(30), 19h, 1, 60);  // after the 12 h lead time, inside the 48 h horizon
    b.brk(tv, aug(5), 19h, 1, 60);
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), aug(6), 2);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto placed = of_line(p, l);
    ASSERT_EQ(placed.size(), 1U);
    EXPECT_EQ(placed[0].slot, slot_at(in, tv, aug(5), 19h));
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::rule_limit) << u->reason;  // it airs in every break it may still use
    // With a lead time as long as the horizon, the same.
    instance longer = in;
    longer.outlets[0].lead_time_hours = 48;
    EXPECT_EQ(of_line(plan_checked(longer), l).size(), 1U);
    // Without a freeze horizon the break after the lead time is open.
    instance open = in;
    open.outlets[0].freeze_hours = 0;
    EXPECT_EQ(of_line(plan_checked(open), l).size(), 2U);
}

TEST(PlannerExisting, MakeGoodInTheNextSlotOfTheSameDaypart) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 2);
    b.brk(tv, jul(28), 19h, 1, 60);  // where it was missed (before the dates planned)
    b.brk(tv, jul(29), 1h, 0, 60);   // before the lead time
    b.brk(tv, jul(29), 8h, 0, 60);   // earlier, but another daypart
    b.brk(tv, jul(29), 19h, 1, 60);  // the make-good
    b.brk(tv, jul(30), 19h, 1, 60);
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(28), jul(31), 2);
    const auto& in0 = b.build();
    instance in = in0;
    existing_placement e = missed_at(in, 21, l, tv, jul(28), 19h);
    in.existing.push_back(e);
    existing_placement aired = e;
    aired.id = 20;
    aired.state = "aired";
    aired.start -= 24h;
    aired.date -= date::days(1);
    in.existing.push_back(aired);
    const plan p = plan_checked(in);
    const placement* mg = make_good_in(p);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(*mg->make_good_of, 21);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(29), 19h));
    EXPECT_FALSE(mg->frozen);
    // wanted 2 = the aired one + the make-good: nothing else is added.
    int counted = 0;
    for (const auto& x : of_line(p, l)) counted += x.existing_id == 21 ? 0 : 1;
    EXPECT_EQ(counted, 2);
    EXPECT_TRUE(p.unplaced.empty());
}

// A rehearsal whose as-of is before the miss: the missed break is still ahead, but the make-good
// goes to the next break after it.
TEST(PlannerExisting, MakeGoodComesAfterTheMissedBreakEvenWhenThatBreakIsAhead) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 2);
    b.brk(tv, jul(30), 19h, 1, 60);  // where it was missed, ahead of the as-of
    b.brk(tv, jul(31), 19h, 1, 60);  // the make-good
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), jul(31), 1);
    const auto& in0 = b.build();
    instance in = in0;
    existing_placement e = missed_at(in, 41, l, tv, jul(30), 19h);
    in.existing.push_back(e);
    const plan p = plan_checked(in);
    const placement* mg = make_good_in(p);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(*mg->make_good_of, 41);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(31), 19h));
    EXPECT_FALSE(mg->existing_id);
    // The missed airing did not air: the objective is the make-good's value alone.
    EXPECT_EQ(p.objective_micro, value_micro(in, in.lines[static_cast<std::size_t>(l)], in.slots[static_cast<std::size_t>(mg->slot)]));

    // A plain airing of the message stored (planned, movable) in that break, and the message wants
    // one airing: it has it without a make-good. The stored airing keeps its break and its id (a
    // make-good there would only cancel it for the outlet and air the same message in its place).
    existing_placement planned = e;
    planned.id = 42;
    planned.state = "planned";
    planned.start = in.slots[static_cast<std::size_t>(slot_at(in, tv, jul(31), 19h))].start;
    planned.date = date::sys_days{jul(31)};
    in.existing.push_back(planned);
    const plan q = plan_checked(in);
    EXPECT_EQ(make_good_in(q), nullptr);
    const auto kept = std::find_if(q.placements.begin(), q.placements.end(),
                                   [](const placement& x) { return x.existing_id == 42; });
    ASSERT_NE(kept, q.placements.end());
    EXPECT_EQ(kept->slot, slot_at(in, tv, jul(31), 19h));
    EXPECT_TRUE(q.unplaced.empty());
}

// A make-good is an airing more (issue found in use: it took the break of a planned airing of the
// same message, or the last airing its day allowed, and the re-plan cancelled that one, so the missed
// airing was never made up). Two a day at most on the outlet, four wanted over 30–31 July, one missed on 29 July:
// the stored plan's three airings stay, and the make-good goes where a fourth fits.
TEST(PlannerExisting, AMakeGoodIsAnAiringMoreBesideThePlannedOnes) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 2);
    b.brk(tv, jul(29), 19h, 1, 60);  // where it was missed
    b.brk(tv, jul(30), 19h, 1, 60);
    b.brk(tv, jul(30), 20h, 1, 60);
    b.brk(tv, jul(31), 19h, 1, 60);
    b.brk(tv, jul(31), 20h, 1, 60);
    const int l = b.line("spot", "d", 5, 30, {tv}, jul(29), jul(31), 4);
    instance in = b.build();
    in.lines[static_cast<std::size_t>(l)].max_per_outlet_per_day = 2;
    in.now = in.slots[static_cast<std::size_t>(slot_at(in, tv, jul(29), 19h))].start + 1h;
    in.existing.push_back(missed_at(in, 41, l, tv, jul(29), 19h));
    std::int64_t id = 50;
    for (const auto& [d, h] : std::vector<std::pair<ymd, std::chrono::hours>>{{jul(30), 19h}, {jul(30), 20h}, {jul(31), 19h}}) {
        existing_placement x = in.existing.front();
        x.id = id++;
        x.state = "planned";
        x.start = in.slots[static_cast<std::size_t>(slot_at(in, tv, d, h))].start;
        x.date = date::sys_days{d};
        in.existing.push_back(x);
    }
    const plan p = plan_checked(in);
    const placement* mg = make_good_in(p);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(*mg->make_good_of, 41);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(31), 20h));  // 30 July already has its two
    for (std::int64_t k = 50; k < 53; ++k) {
        EXPECT_TRUE(std::any_of(p.placements.begin(), p.placements.end(),
                                [&](const placement& x) { return x.existing_id == k; }))
            << "stored airing " << k << " was cancelled";
    }
    EXPECT_TRUE(p.unplaced.empty());

    // The fourth break planned too, and five wanted: every break after the miss holds an airing of
    // the message, so no make-good, and the reason says its own airings took the breaks.
    existing_placement x = in.existing.back();
    x.id = id++;
    x.start = in.slots[static_cast<std::size_t>(slot_at(in, tv, jul(31), 20h))].start;
    in.existing.push_back(x);
    in.lines[static_cast<std::size_t>(l)].airings = 5;
    const plan q = plan_checked(in);
    EXPECT_EQ(make_good_in(q), nullptr);
    ASSERT_EQ(q.unplaced.size(), 1u);
    EXPECT_EQ(q.unplaced[0].code, reason_code::make_good_no_slot);
    EXPECT_EQ(q.unplaced[0].detail, "own_airings");
    EXPECT_EQ(q.unplaced[0].make_good_of, 41);
    EXPECT_NE(q.unplaced[0].reason.find("holds one of its own airings already planned (4 airings after the miss there)"),
              std::string::npos)
        << q.unplaced[0].reason;
    EXPECT_EQ(of_line(q, l).size(), 5u);  // the four stored and the missed one, kept
}

// A make-good goes where there is room first (found in use: it took the next break of its daypart
// from another message's planned airing, which the re-plan then moved or cancelled, so the outlet saw
// a make-good and a spot it had been sent go). Two 30-second breaks in prime time on 30 July, the
// first holding the other message's stored airing: the make-good takes the second, and the stored
// airing keeps its break and its id. Only when no break has room beside the plan does it take one the
// re-plan must clear (the second part: the second break full as well).
TEST(PlannerExisting, AMakeGoodTakesRoomBeforeAnotherMessagesAiring) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv", tv_dayparts(), "Asia/Ho_Chi_Minh", 2);
    b.brk(tv, jul(29), 19h, 1, 30);  // where it was missed
    b.brk(tv, jul(30), 19h, 1, 30);
    b.brk(tv, jul(30), 20h, 1, 30);
    b.brk(tv, jul(31), 8h, 0, 30);
    const int spot = b.line("spot", "d", 5, 30, {tv}, jul(29), jul(31), 1);
    const int other = b.line("other", "e", 9, 30, {tv}, jul(29), jul(31), 1);
    instance in = b.build();
    in.now = in.slots[static_cast<std::size_t>(slot_at(in, tv, jul(29), 19h))].start + 1h;
    in.existing.push_back(missed_at(in, 41, spot, tv, jul(29), 19h));
    in.existing.push_back(stored_at(in, 60, other, tv, jul(30), 19h, "planned"));
    const plan p = plan_checked(in);
    const placement* mg = make_good_in(p);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(30), 20h));
    const auto kept = std::find_if(p.placements.begin(), p.placements.end(),
                                   [](const placement& x) { return x.existing_id == 60; });
    ASSERT_NE(kept, p.placements.end());
    EXPECT_EQ(kept->slot, slot_at(in, tv, jul(30), 19h));

    // The other message's airing in the second break too: the room left is in another daypart (31 July
    // 08:00), which a make-good takes before clearing a break of its own daypart.
    in.existing.push_back(stored_at(in, 61, other, tv, jul(30), 20h, "planned"));
    in.lines[static_cast<std::size_t>(other)].airings = 2;
    const plan q = plan_checked(in);
    mg = make_good_in(q);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(31), 8h));

    // And there as well: no room beside the plan anywhere, so the make-good takes the first break of
    // its daypart, and the re-plan moves or drops what was there.
    in.existing.push_back(stored_at(in, 62, other, tv, jul(31), 8h, "planned"));
    in.lines[static_cast<std::size_t>(other)].airings = 3;
    const plan r = plan_checked(in);
    mg = make_good_in(r);
    ASSERT_NE(mg, nullptr);
    EXPECT_EQ(mg->slot, slot_at(in, tv, jul(30), 19h));
}

TEST(PlannerExisting, MakeGoodWithoutASlot) {
    builder b(jul(29), jul(31), hp_now);
    const int tv = b.outlet("thp-tv");
    const int radio = b.outlet("vov-hai-phong", {{"sang", 1.0, true}});
    b.brk(tv, jul(28), 19h, 1, 60);
    b.brk(tv, jul(30), 19h, 1, 60, 1.0, true);  // the only later break is blacked out
    b.brk(radio, jul(30), 7h, 0, 60);
    const int l = b.line("spot", "d", 5, 30, {tv, radio}, jul(28), jul(31), 3);
    const auto& in0 = b.build();
    instance in = in0;
    existing_placement e = missed_at(in, 31, l, tv, jul(28), 19h);
    in.existing.push_back(e);
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, l).size(), 2U);  // the missed one (kept as it is) and the radio airing
    int mg_entries = 0;
    for (const auto& u : p.unplaced) {
        if (u.code != reason_code::make_good_no_slot) continue;
        ++mg_entries;
        EXPECT_EQ(u.make_good_of, 31);
        EXPECT_EQ(u.airings, 1);
        EXPECT_EQ(u.outlet, tv);
        EXPECT_NE(u.reason.find("placement 31"), std::string::npos) << u.reason;
        EXPECT_NE(u.reason.find("thp-tv"), std::string::npos) << u.reason;
        EXPECT_NE(u.reason.find("2024-07-28"), std::string::npos) << u.reason;
        EXPECT_NE(u.reason.find("prime"), std::string::npos) << u.reason;
        EXPECT_EQ(u.detail, "");  // no break had room: the page says that
    }
    EXPECT_EQ(mg_entries, 1);
    EXPECT_EQ(unplaced_total(p, l), 2);  // wanted 3, 1 placed (the radio airing)
    // Its message back in draft: the page says why, from `detail`, not "no break".
    in.lines[static_cast<std::size_t>(l)].approved = false;
    in.lines[static_cast<std::size_t>(l)].state = "draft";
    const plan q = plan_checked(in);
    mg_entries = 0;
    for (const auto& u : q.unplaced) {
        if (u.code != reason_code::make_good_no_slot) continue;
        ++mg_entries;
        EXPECT_EQ(u.detail, "not_approved");
        EXPECT_NE(u.reason.find("not approved"), std::string::npos) << u.reason;
    }
    EXPECT_EQ(mg_entries, 1);
}

// ---------------------------------------------------------------------------------------------
// Reasons.

TEST(PlannerReasons, Names) {
    EXPECT_STREQ(reason_name(reason_code::not_approved), "not_approved");
    EXPECT_STREQ(reason_name(reason_code::no_eligible_outlet), "no_eligible_outlet");
    EXPECT_STREQ(reason_name(reason_code::no_slot_in_flight), "no_slot_in_flight");
    EXPECT_STREQ(reason_name(reason_code::blackout), "blackout");
    EXPECT_STREQ(reason_name(reason_code::lead_time), "lead_time");
    EXPECT_STREQ(reason_name(reason_code::rule_limit), "rule_limit");
    EXPECT_STREQ(reason_name(reason_code::separation), "separation");
    EXPECT_STREQ(reason_name(reason_code::capacity), "capacity");
    EXPECT_STREQ(reason_name(reason_code::make_good_no_slot), "make_good_no_slot");
}

TEST(PlannerReasons, CapacityNamesTheCellAndTheHigherPriorityMessages) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    const int a = b.line("tv-spot-a", "cong-an", 9, 30, {tv}, jul(30), jul(30), 1);
    const int c = b.line("tv-spot-b", "giao-duc", 8, 30, {tv}, jul(30), jul(30), 1);
    const int low = b.line("tv-spot-c", "y-te", 2, 30, {tv}, jul(30), jul(30), 3);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto* u = reason_of(p, low);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::capacity);
    EXPECT_EQ(u->airings, 3);
    EXPECT_EQ(u->outlet, tv);
    EXPECT_EQ(u->date, date::sys_days{jul(30)});
    EXPECT_EQ(u->daypart, 1);
    EXPECT_EQ(u->blockers, (std::vector<int>{a, c}));
    EXPECT_EQ(u->reason,
              "3 airings not placed: prime time (prime) on thp-tv 2024-07-30 is full with higher-priority messages "
              "tv-spot-a, tv-spot-b");
    EXPECT_EQ(u->detail, "higher_priority");  // what the page says it with
    // One of the messages holding the break is of the same priority: full, not "higher-priority".
    instance same = in;
    same.lines[static_cast<std::size_t>(low)].priority = 8;
    const plan q = plan_checked(same);
    const auto* v = reason_of(q, low) != nullptr ? reason_of(q, low) : reason_of(q, c);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->code, reason_code::capacity);
    EXPECT_TRUE(v->detail.empty()) << v->reason;
    EXPECT_NE(v->reason.find(" is full with messages "), std::string::npos) << v->reason;
}

// The limits named are those that alone close a break: raising one of them would open it. One
// a day and one a week, breaks on Saturday and Sunday of the first week only: the airing on one
// day leaves the other day's break closed by the week's limit alone, while its own day is closed
// by both. The day's limit is not what stops it, so it is not named (it was, before 2026-12-03).
TEST(PlannerReasons, TheLimitsNamedAreThoseThatAloneCloseABreak) {
    builder b(jul(22), aug(4), date::sys_days{jul(20)} + 0h);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(27), 20h, 1, 60);
    b.brk(tv, jul(28), 20h, 1, 60);
    const int l = b.line("tv-spot-a", "cong-an", 9, 30, {tv}, jul(22), aug(4), 0);
    b.at(l).per_day = 1;
    b.at(l).per_week = 1;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, l).size(), 1U);
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::rule_limit);
    EXPECT_EQ(u->limit_per_week, 1);
    EXPECT_EQ(u->limit_per_day, 0);
    EXPECT_FALSE(u->every_break);
    EXPECT_NE(u->reason.find("its limit of 1 airing an ISO week is reached"), std::string::npos) << u->reason;
    // Both close every break left (two breaks on each day, one airing each day, two a week): raising
    // either alone opens none, so both are named.
    builder b2(jul(22), aug(4), date::sys_days{jul(20)} + 0h);
    const int tv2 = b2.outlet("thp-tv");
    for (const auto d : {jul(27), jul(28)}) {
        b2.brk(tv2, d, 19h, 1, 60);
        b2.brk(tv2, d, 20h, 1, 60);
    }
    const int l2 = b2.line("tv-spot-a", "cong-an", 9, 30, {tv2}, jul(22), aug(4), 0);
    b2.at(l2).per_day = 1;
    b2.at(l2).per_week = 2;
    const plan q = plan_checked(b2.build());
    EXPECT_EQ(of_line(q, l2).size(), 2U);
    const auto* v = reason_of(q, l2);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->limit_per_day, 1);
    EXPECT_EQ(v->limit_per_week, 2);
}

// Planned as of a later day (a rehearsal, or a page opened after the campaign): breaks already
// over are not "too soon for the lead time".
TEST(PlannerReasons, BreaksAlreadyOverAreSaidToBeOver) {
    builder b(jul(30), jul(30), date::sys_days{aug(2)} + 0h);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    const int late = b.line("tv-spot-a", "cong-an", 9, 30, {tv}, jul(30), jul(30), 1);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto* u = reason_of(p, late);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::lead_time);
    EXPECT_EQ(u->detail, "past");
    EXPECT_EQ(u->reason, "1 airing not placed: the only break it could use on thp-tv from 2024-07-30 to 2024-07-30 is "
                         "over already (prime time (prime) on thp-tv 2024-07-30 at 19:00)");
    EXPECT_EQ(u->notice_hours, 0);  // over, not too soon: no lead time to name
}

// Planned as of a day inside the flight: the days before are over, and on the days after its own
// limit of one airing a day is reached. The days lost are said first, not only the limit, which a
// person would otherwise try to raise (the shortfall is mostly the days past).
TEST(PlannerReasons, DaysAlreadyOverAreSaidBeforeTheLimitThatBindsAfter) {
    builder b(jul(28), jul(31), date::sys_days{jul(29)} + 12h);  // 29 July 19:00 in Hai Phong
    const int tv = b.outlet("thp-tv");
    for (const auto d : {jul(28), jul(29), jul(30), jul(31)}) {
        b.brk(tv, d, 8h, 0, 60);
        b.brk(tv, d, 20h, 1, 60);
    }
    const int l = b.line("tv-spot-a", "cong-an", 9, 30, {tv}, jul(28), jul(31), 4);
    b.at(l).per_day = 1;
    const auto& in = b.build();
    const plan p = plan_checked(in);
    EXPECT_EQ(of_line(p, l).size(), 3U);  // 29 at 20:00, 30 and 31
    const auto* u = reason_of(p, l);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::rule_limit);
    EXPECT_EQ(u->detail, "after_past");
    ASSERT_TRUE(u->date);
    EXPECT_EQ(*u->date, date::sys_days{jul(29)});
    EXPECT_EQ(u->reason, "1 airing not placed: the breaks it could use until 2024-07-29 are over already, and after "
                         "that its limit of 1 airing a day is reached wherever it could still air on thp-tv until "
                         "2024-07-31");
    EXPECT_EQ(u->limit_per_day, 1);
    EXPECT_EQ(u->limit_per_outlet_day, 0);
    EXPECT_EQ(u->notice_hours, 0);
}

// Planned as of `now`: thp-tv's one 60 s break at 20:00 on 28–31 July, which tv-spot-a (priority
// 9, 60 s, four airings) fills; tv-spot-c (priority 2, 30 s, four airings) finds them full.
struct full_breaks_case {
    plan p;
    int high = 0;
    int low = 0;
};
full_breaks_case full_breaks_as_of(instant now) {
    builder b(jul(28), jul(31), now);
    const int tv = b.outlet("thp-tv");
    for (const auto d : {jul(28), jul(29), jul(30), jul(31)}) b.brk(tv, d, 20h, 1, 60);
    full_breaks_case out;
    out.high = b.line("tv-spot-a", "cong-an", 9, 60, {tv}, jul(28), jul(31), 4);
    out.low = b.line("tv-spot-c", "y-te", 2, 30, {tv}, jul(28), jul(31), 4);
    out.p = plan_checked(b.build());
    return out;
}

// Planned as of a day inside the flight, with the breaks after it full: the days lost are said
// before the full breaks, as for a limit (above), and carried in `lost` / `lost_until` for pages.
TEST(PlannerReasons, DaysAlreadyOverAreSaidBeforeTheFullBreaksAfter) {
    const auto x = full_breaks_as_of(date::sys_days{jul(29)} + 12h);  // 29 July 19:00 in Hai Phong
    EXPECT_EQ(of_line(x.p, x.high).size(), 3U);  // 29, 30 and 31 at 20:00
    EXPECT_TRUE(of_line(x.p, x.low).empty());
    const auto* u = reason_of(x.p, x.low);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::capacity);
    EXPECT_EQ(u->detail, "higher_priority");
    EXPECT_EQ(u->lost, "past");
    ASSERT_TRUE(u->lost_until);
    EXPECT_EQ(*u->lost_until, date::sys_days{jul(28)});
    EXPECT_EQ(u->reason, "4 airings not placed: the breaks it could use until 2024-07-28 are over already, and after "
                         "that prime time (prime) on thp-tv 2024-07-29 is full with higher-priority messages tv-spot-a "
                         "(and 2 other dayparts it could use on its outlets are full too)");
    EXPECT_EQ(u->others_full, 2);  // for the page, which says it in its own words
    // Nothing lost before the first day: neither field, nor the words.
    const auto y = full_breaks_as_of(date::sys_days{jul(20)} + 0h);
    const auto* v = reason_of(y.p, y.low);
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->code, reason_code::capacity);
    EXPECT_TRUE(v->lost.empty());
    EXPECT_FALSE(v->lost_until);
    EXPECT_EQ(v->reason.find("over already"), std::string::npos) << v->reason;
}

// A flight the dates planned cut (--from/--to) is named after the cause, whichever it is: the
// airings it wants beyond those dates have no break here at all.
TEST(PlannerReasons, AFlightCutByTheDatesPlannedIsNamedAfterAFullBreak) {
    builder b(jul(30), jul(30), hp_now);
    const int tv = b.outlet("thp-tv");
    b.brk(tv, jul(30), 19h, 1, 60);
    b.line("tv-spot-a", "cong-an", 9, 60, {tv}, jul(30), jul(30), 1);
    const int low = b.line("tv-spot-c", "y-te", 2, 30, {tv}, jul(30), aug(2), 4);
    const auto& in = b.build();
    const plan p = plan_checked(in);
    const auto* u = reason_of(p, low);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->code, reason_code::capacity);
    EXPECT_EQ(u->reason,
              "4 airings not placed: prime time (prime) on thp-tv 2024-07-30 is full with higher-priority messages "
              "tv-spot-a; its flight 2024-07-30 to 2024-08-02 reaches beyond the dates planned (2024-07-30 to "
              "2024-07-30)");
}

TEST(PlannerReasons, EachCodeWithItsSentence) {
    builder b(jul(30), jul(31), hp_now);
    const int tv = b.outlet("thp-tv");
    const int far = b.outlet("loa-phuong-le-chan", {{"sang", 1.0, true}}, "Asia/Ho_Chi_Minh", 72);
    const int dark = b.outlet("thp-radio", {{"sang", 1.0, true}});
    b.brk(tv, jul(30), 7h, 0, 60);
    b.brk(tv, jul(30), 19h, 1, 60);
    b.brk(tv, jul(31), 19h, 1, 60);
    b.brk(far, jul(31), 6h + 30min, 0, 60);
    b.brk(dark, jul(30), 6h, 0, 60, 1.0, true);
    b.brk(dark, jul(31), 6h, 0, 60, 1.0, true);

    const int draft = b.line("ban-nhap", "a", 5, 30, {tv}, jul(30), jul(31), 2);
    b.at(draft).approved = false;
    b.at(draft).state = "draft";
    const int no_wanted = b.line("khong-can", "a", 5, 30, {tv}, jul(30), jul(31), 0);
    b.at(no_wanted).approved = false;
    b.at(no_wanted).state = "rejected";
    const int nowhere = b.line("khong-kenh", "b", 5, 30, {}, jul(30), jul(31), 2);
    const int out_of_flight = b.line("het-han", "c", 5, 30, {tv}, aug(10), aug(12), 2);
    const int no_daypart = b.line("chi-toi", "d", 5, 30, {dark}, jul(30), jul(31), 1);
    b.at(no_daypart).dayparts = {"prime"};
    const int too_long = b.line("qua-dai", "e", 5, 90, {tv}, jul(30), jul(31), 1);
    const int blacked = b.line("mat-dien", "f", 5, 30, {dark}, jul(30), jul(31), 2);
    const int early = b.line("gap", "g", 5, 30, {far}, jul(30), jul(31), 1);
    const int limited = b.line("moi-ngay-mot", "h", 1, 15, {tv}, jul(30), aug(4), 0);
    b.at(limited).per_day = 1;
    const int everywhere = b.line("moi-diem", "i", 9, 15, {tv}, jul(30), jul(31), 10);
    b.at(limited).dayparts = {"prime"};
    const auto& in = b.build();
    const plan p = plan_checked(in);

    auto expect = [&](int l, reason_code code, int airings, const std::string& sentence) {
        const auto* u = reason_of(p, l);
        ASSERT_NE(u, nullptr) << in.lines[static_cast<std::size_t>(l)].message;
        EXPECT_EQ(u->code, code) << u->reason;
        EXPECT_EQ(u->airings, airings) << u->reason;
        EXPECT_EQ(u->reason, sentence);
    };
    expect(draft, reason_code::not_approved, 2, "2 airings not placed: message ban-nhap is not approved (it is draft)");
    EXPECT_EQ(reason_of(p, no_wanted), nullptr);
    expect(nowhere, reason_code::no_eligible_outlet, 2,
           "2 airings not placed: no outlet is eligible for message khong-kenh (none of its channels or listed outlets)");
    expect(out_of_flight, reason_code::no_slot_in_flight, 2,
           "2 airings not placed: its flight 2024-08-10 to 2024-08-12 is outside the dates planned (2024-07-30 to "
           "2024-07-31)");
    expect(no_daypart, reason_code::no_slot_in_flight, 1,
           "1 airing not placed: there is no break in its dayparts (prime) on thp-radio from 2024-07-30 to 2024-07-31");
    expect(too_long, reason_code::no_slot_in_flight, 1,
           "1 airing not placed: no break in any daypart on thp-tv from 2024-07-30 to 2024-07-31 is long enough for "
           "its 90 s (the longest holds 60 s)");
    // The cases one code covers, for pages that say them in words.
    EXPECT_EQ(reason_of(p, out_of_flight)->detail, "outside_dates");
    EXPECT_EQ(reason_of(p, no_daypart)->detail, "");
    EXPECT_EQ(reason_of(p, too_long)->detail, "too_long");
    EXPECT_EQ(reason_of(p, too_long)->longest_s, 60);
    // No limit of its own binds: one airing a break, in each of the three.
    ASSERT_NE(reason_of(p, everywhere), nullptr);
    EXPECT_EQ(reason_of(p, everywhere)->code, reason_code::rule_limit) << reason_of(p, everywhere)->reason;
    EXPECT_EQ(reason_of(p, everywhere)->airings, 7);
    EXPECT_EQ(reason_of(p, everywhere)->detail, "every_break");
    EXPECT_EQ(reason_of(p, everywhere)->limit_per_day + reason_of(p, everywhere)->limit_per_week +
                  reason_of(p, everywhere)->limit_per_outlet_day,
              0);
    expect(blacked, reason_code::blackout, 2,
           "2 airings not placed: all 2 breaks in any daypart on thp-radio from 2024-07-30 to 2024-07-31 are in "
           "blackouts (the first: prime time (sang) on thp-radio 2024-07-30 at 06:00)");
    expect(early, reason_code::lead_time, 1,
           "1 airing not placed: the only break it could use on loa-phuong-le-chan from 2024-07-30 to 2024-07-31 "
           "starts before the lead time or freeze horizon (prime time (sang) on loa-phuong-le-chan 2024-07-31 at "
           "06:30, while loa-phuong-le-chan takes nothing new within 72 hours of now)");
    expect(limited, reason_code::rule_limit, 4,
           "4 airings not placed: its limit of 1 airing a day is reached wherever it could still air on thp-tv from "
           "2024-07-30 to 2024-07-31; its flight 2024-07-30 to 2024-08-04 reaches beyond the dates planned "
           "(2024-07-30 to 2024-07-31)");
    const auto* e = reason_of(p, early);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->notice_hours, 72);  // for pages: how far ahead the outlet closes
    EXPECT_EQ(reason_of(p, limited)->limit_per_day, 1);
    EXPECT_EQ(e->outlet, far);
    EXPECT_EQ(e->date, date::sys_days{jul(31)});
}

// ---------------------------------------------------------------------------------------------
// The greedy baseline.

TEST(PlannerGreedy, FirstFitFillsPrimeTimeBadlyAndThePlannerDoesBetter) {
    // Morning breaks come first in the day: first fit gives them to the important message and lets
    // the minor one take prime time.
    builder b(jul(30), aug(1), hp_now);
    const int tv = b.outlet("thp-tv");
    for (unsigned d = 30; d <= 32; ++d) {
        const ymd day = d <= 31 ? jul(d) : aug(d - 31);
        b.brk(tv, day, 7h, 0, 30);
        b.brk(tv, day, 19h, 1, 30);
    }
    const int important = b.line("quan-trong", "a", 10, 30, {tv}, jul(30), aug(1), 3);
    b.at(important).per_day = 1;
    const int minor = b.line("phu", "b", 2, 30, {tv}, jul(30), aug(1), 3);
    b.at(minor).per_day = 1;
    const auto& in = b.build();
    const plan g = greedy_plan(in);
    expect_valid(in, g);
    EXPECT_EQ(g.objective_micro, 3 * (10 * 1 + 2 * 3) * 1'000'000LL);
    EXPECT_EQ(g.bound_micro, g.objective_micro);
    const plan p = plan_checked(in);
    EXPECT_EQ(p.objective_micro, 3 * (10 * 3 + 2 * 1) * 1'000'000LL);
    EXPECT_EQ(p.bound_micro, p.objective_micro);
    EXPECT_FALSE(p.stats.greedy_won);
    // The plan reaches the bound: nothing can be worth more, so the greedy baseline is not run.
    EXPECT_FALSE(p.stats.greedy_value_micro.has_value());
    EXPECT_FALSE(p.stats.greedy_stopped);
    for (const auto& x : of_line(p, important)) {
        EXPECT_EQ(in.slots[static_cast<std::size_t>(x.slot)].daypart, 1);
    }
    EXPECT_EQ(of_line(p, minor).size(), 3U);

    // Without department separation the plan is the same, and reaches the bound too.
    instance off = in;
    off.separate_departments = false;
    const plan q = plan_checked(off);
    EXPECT_EQ(q.objective_micro, p.objective_micro);
    EXPECT_EQ(q.bound_micro, q.objective_micro);
    EXPECT_FALSE(q.stats.greedy_value_micro.has_value());
    EXPECT_FALSE(q.stats.greedy_won);
}

}  // namespace planner_test_cpp
}  // namespace
