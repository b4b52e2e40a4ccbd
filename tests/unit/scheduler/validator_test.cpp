// The independent plan validator: one hand-built instance, a correct plan that passes, and for each
// hard rule a copy of that plan that breaks exactly that rule and is reported under its key.
#include "scheduler/planner/validator.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <date/tz.h>

#include "core/time/zone.hpp"
#include "tests/support/instance_generator.hpp"

namespace {
namespace validator_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using namespace loa::scheduler::planner;

// Hai Phong time: UTC+7, no DST.
constexpr auto hp_offset = 7h;

struct fixture {
    instance in;
    std::map<std::string, int> slot_index;  // named breaks → index in in.slots
    std::map<std::string, int> line_index;

    [[nodiscard]] int s(const std::string& name) const { return slot_index.at(name); }
    [[nodiscard]] int l(const std::string& code) const { return line_index.at(code); }
    [[nodiscard]] const slot& sl(const std::string& name) const {
        return in.slots[static_cast<std::size_t>(s(name))];
    }
};

struct slot_spec {
    std::string name;
    int outlet;
    date::local_seconds local;
    int capacity_s;
    int daypart;
    double date_weight = 1.0;
    bool blacked_out = false;
};

date::local_seconds hp(date::year_month_day d, std::chrono::minutes tod) {
    return date::local_days{d} + tod;
}

order_line make_line(std::string code, std::string dept, int priority, int duration, std::vector<int> outlets,
                     date::year_month_day first, date::year_month_day last) {
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
    return l;
}

// Two Hai Phong outlets, planned Mon 29 July – Tue 6 August 2024 (two ISO weeks), as of the start
// of 29 July local time; the TV needs 24 h lead time and freezes 30 h (its log is locked until
// 30 July 06:00: nothing new before then).
fixture make_fixture() {
    fixture f;
    instance& in = f.in;
    in.first_day = date::sys_days{2024_y / date::July / 29};
    in.last_day = date::sys_days{2024_y / date::August / 6};
    in.now = date::sys_days{2024_y / date::July / 28} + 17h;  // 29 July 00:00 in Hai Phong

    outlet_info tv;
    tv.slug = "thp-tv";
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.lead_time_hours = 24;
    tv.freeze_hours = 30;
    tv.dayparts = {{"sang", 1.0, false}, {"thoi-su", 3.0, true}};
    outlet_info radio;
    radio.slug = "thp-radio";
    radio.kind = "radio";
    radio.time_zone = "Asia/Ho_Chi_Minh";
    radio.dayparts = {{"sang", 2.0, true}};
    in.outlets = {tv, radio};

    const auto jul = [](unsigned d) { return 2024_y / date::July / date::day{d}; };
    const auto aug = [](unsigned d) { return 2024_y / date::August / date::day{d}; };
    std::vector<slot_spec> specs = {
        {"s0", 0, hp(jul(29), 19h + 10min), 60, 1},             // before the lead time
        {"s0b", 0, hp(jul(29), 20h + 10min), 60, 1},            // before the lead time
        {"s0c", 0, hp(jul(30), 5h + 10min), 90, 0, 3.0},        // after the lead time, inside the freeze
        {"s1", 0, hp(jul(30), 7h + 10min), 60, 0, 3.0},         // 30 July: key date ×3
        {"s1b", 0, hp(jul(30), 9h + 10min), 60, 0, 3.0},        //
        {"s2", 0, hp(jul(30), 19h + 10min), 60, 1, 3.0},        //
        {"s3", 0, hp(jul(30), 19h + 40min), 60, 1, 3.0},        // 30 min after s2
        {"s4", 0, hp(jul(30), 20h + 10min), 60, 1, 3.0},        // 60 min after s2
        {"s4b", 0, hp(jul(30), 21h + 10min), 60, 1, 3.0},       // 60 min after s4
        {"s5", 0, hp(jul(31), 19h + 10min), 60, 1, 1.0, true},  // blacked out
        {"s5b", 0, hp(jul(31), 7h + 10min), 60, 0},             //
        {"s6", 0, hp(aug(1), 19h + 10min), 60, 1},              //
        {"s7", 0, hp(aug(5), 19h + 10min), 60, 1},              // second ISO week
        {"s8", 0, hp(aug(8), 19h + 10min), 60, 1},              // after the dates planned
        {"rp", 1, hp(jul(29), 6h + 15min), 90, 0},              // in the past
        {"r0", 1, hp(jul(30), 6h + 15min), 90, 0, 3.0},         //
        {"r1", 1, hp(jul(31), 6h + 15min), 180, 0},             //
        {"r2", 1, hp(aug(1), 6h + 15min), 90, 0},               //
    };
    std::sort(specs.begin(), specs.end(), [](const slot_spec& a, const slot_spec& b) {
        return std::tie(a.outlet, a.local) < std::tie(b.outlet, b.local);
    });
    for (const slot_spec& sp : specs) {
        slot s;
        s.outlet = sp.outlet;
        s.local_start = sp.local;
        s.start = instant{sp.local.time_since_epoch()} - hp_offset;
        s.date = date::floor<date::days>(date::sys_seconds{sp.local.time_since_epoch()});
        s.capacity_s = sp.capacity_s;
        s.daypart = sp.daypart;
        s.date_weight = sp.date_weight;
        s.blacked_out = sp.blacked_out;
        f.slot_index[sp.name] = static_cast<int>(in.slots.size());
        in.slots.push_back(s);
    }

    order_line l0 = make_line("pt-01", "education", 5, 30, {0, 1}, jul(29), aug(10));
    l0.airings = 10;
    l0.per_day = 3;
    l0.min_gap_minutes = 60;
    order_line l1 = make_line("pt-02", "education", 3, 30, {0}, jul(29), aug(10));
    l1.airings = 10;
    order_line l2 = make_line("pt-03", "health", 4, 30, {0}, jul(29), aug(10));
    l2.state = "submitted";
    l2.approved = false;
    l2.airings = 5;
    order_line l3 = make_line("pt-04", "police", 4, 20, {0}, jul(30), jul(31));
    l3.airings = 3;
    l3.max_per_outlet_per_day = 1;
    l3.dayparts = {"thoi-su"};
    order_line l4 = make_line("pt-05", "culture", 2, 45, {0, 1}, jul(29), aug(10));
    l4.per_week = 3;  // two ISO weeks: 6 wanted
    order_line l5 = make_line("pt-06", "labour", 1, 30, {1}, jul(29), aug(6));
    l5.airings = 2;
    in.lines = {l0, l1, l2, l3, l4, l5};
    for (std::size_t i = 0; i < in.lines.size(); ++i) f.line_index[in.lines[i].message] = static_cast<int>(i);

    auto stored = [&](std::int64_t id, const std::string& line, const std::string& sname, std::string state) {
        const slot& s = f.sl(sname);
        existing_placement e;
        e.id = id;
        e.line = f.l(line);
        e.outlet = s.outlet;
        e.start = s.start;
        e.date = s.date;
        e.duration_s = in.lines[static_cast<std::size_t>(e.line)].duration_s;
        e.state = std::move(state);
        return e;
    };
    in.existing = {
        stored(101, "pt-01", "s0", "aired"),    // frozen
        stored(102, "pt-06", "rp", "missed"),   // frozen, did not air
        stored(103, "pt-02", "s6", "planned"),  // after the freeze horizon: movable
        stored(104, "pt-05", "s2", "published"),  // sent to the outlet: frozen
        stored(107, "pt-02", "s0c", "planned"),   // inside the freeze horizon: frozen
    };
    return f;
}

placement frozen_of(const instance& in, std::int64_t id) {
    for (const existing_placement& e : in.existing) {
        if (e.id != id) continue;
        placement p;
        p.line = e.line;
        p.outlet = e.outlet;
        p.start = e.start;
        p.duration_s = e.duration_s;
        p.frozen = is_frozen(in, e);
        p.existing_id = e.id;
        const auto it = std::lower_bound(in.slots.begin(), in.slots.end(), e,
                                         [](const slot& s, const existing_placement& x) {
                                             return std::tie(s.outlet, s.start) < std::tie(x.outlet, x.start);
                                         });
        p.slot = it != in.slots.end() && it->outlet == e.outlet && it->start == e.start
                     ? static_cast<int>(it - in.slots.begin())
                     : -1;
        return p;
    }
    throw std::logic_error("no such stored placement");
}

placement frozen_of(const fixture& f, std::int64_t id) {
    return frozen_of(f.in, id);
}

placement airing(const fixture& f, const std::string& line, const std::string& sname) {
    const slot& s = f.sl(sname);
    placement p;
    p.line = f.l(line);
    p.outlet = s.outlet;
    p.slot = f.s(sname);
    p.start = s.start;
    p.duration_s = f.in.lines[static_cast<std::size_t>(p.line)].duration_s;
    return p;
}

// A plan of these placements with a consistent objective, bound and unplaced list (missed and
// withdrawn placements are no airings: not placed, not in the objective).
plan finish(const instance& in, std::vector<placement> ps) {
    plan p;
    std::vector<int> placed(in.lines.size(), 0);
    for (const placement& pl : ps) {
        if (pl.line < 0 || static_cast<std::size_t>(pl.line) >= in.lines.size()) continue;
        bool missed = false;
        for (const existing_placement& e : in.existing) {
            if (pl.existing_id && *pl.existing_id == e.id && !counts_as_airing(e)) missed = true;
        }
        if (missed) continue;
        if (pl.slot >= 0 && static_cast<std::size_t>(pl.slot) < in.slots.size()) {
            p.objective_micro += value_micro(in, in.lines[static_cast<std::size_t>(pl.line)],
                                             in.slots[static_cast<std::size_t>(pl.slot)]);
        }
        ++placed[static_cast<std::size_t>(pl.line)];
    }
    for (std::size_t l = 0; l < in.lines.size(); ++l) {
        const int n = wanted_airings(in.lines[l]) - placed[l];
        if (n > 0) {
            unplaced_airings u;
            u.line = static_cast<int>(l);
            u.airings = n;
            u.code = in.lines[l].approved ? reason_code::capacity : reason_code::not_approved;
            p.unplaced.push_back(u);
        }
    }
    p.bound_micro = p.objective_micro + 1'000'000;
    p.placements = std::move(ps);
    return p;
}

plan finish(const fixture& f, std::vector<placement> ps) {
    return finish(f.in, std::move(ps));
}

std::vector<placement> good_placements(const fixture& f) {
    placement make_good = airing(f, "pt-06", "r1");
    make_good.make_good_of = 102;
    placement kept = frozen_of(f, 103);
    return {
        frozen_of(f, 101),        frozen_of(f, 102),        frozen_of(f, 104),        kept,  //
        airing(f, "pt-01", "s4"), airing(f, "pt-01", "r0"), airing(f, "pt-04", "s3"), frozen_of(f, 107),
        make_good,  // last
    };
}

std::set<std::string> rules(const std::vector<violation>& v) {
    std::set<std::string> r;
    for (const violation& x : v) r.insert(x.rule);
    return r;
}

std::set<std::string> with(const fixture& f, std::vector<placement> extra) {
    std::vector<placement> ps = good_placements(f);
    ps.insert(ps.end(), extra.begin(), extra.end());
    return rules(validate(f.in, finish(f, ps)));
}

using rule_set = std::set<std::string>;

TEST(Validator, CorrectPlanHasNoViolations) {
    const fixture f = make_fixture();
    const auto v = validate(f.in, finish(f, good_placements(f)));
    for (const violation& x : v) ADD_FAILURE() << x.rule << ": " << x.detail;
    EXPECT_TRUE(v.empty());
}

TEST(Validator, FixtureReadsAsIntended) {
    const fixture f = make_fixture();
    EXPECT_TRUE(is_frozen(f.in, f.in.existing[0]));   // aired
    EXPECT_TRUE(is_frozen(f.in, f.in.existing[1]));   // missed
    EXPECT_FALSE(is_frozen(f.in, f.in.existing[2]));  // planned, after the horizon
    EXPECT_TRUE(is_frozen(f.in, f.in.existing[3]));   // published
    EXPECT_TRUE(is_frozen(f.in, f.in.existing[4]));   // planned, inside the horizon
    EXPECT_EQ(wanted_airings(f.in.lines[4]), 6);
    EXPECT_EQ(f.sl("s1").start, date::sys_days{2024_y / date::July / 30} + 10min);
}

TEST(Validator, UnknownLineIsReported) {
    const fixture f = make_fixture();
    placement p = airing(f, "pt-01", "s1");
    p.line = 99;
    EXPECT_EQ(with(f, {p}), rule_set{"placement"});
}

TEST(Validator, PlacementMustAgreeWithItsBreak) {
    const fixture f = make_fixture();
    placement p = airing(f, "pt-01", "s1");
    p.start += 1min;
    EXPECT_EQ(with(f, {p}), rule_set{"slot"});
    placement q = airing(f, "pt-05", "s1");
    q.outlet = 1;
    EXPECT_EQ(with(f, {q}), rule_set{"slot"});
    placement r = airing(f, "pt-01", "s1");
    r.slot = -1;  // only a frozen placement may sit in no break
    EXPECT_EQ(with(f, {r}), rule_set{"slot"});
}

TEST(Validator, DurationMustBeTheMessages) {
    const fixture f = make_fixture();
    placement p = airing(f, "pt-01", "s1");
    p.duration_s = 25;
    EXPECT_EQ(with(f, {p}), rule_set{"duration"});
}

TEST(Validator, BlackedOutBreak) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-01", "s5")}), rule_set{"blackout"});
}

TEST(Validator, MessageNotApproved) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-03", "s1")}), rule_set{"approved"});
}

TEST(Validator, OutletNotEligible) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-02", "r1")}), rule_set{"eligible"});
}

TEST(Validator, OutsideTheFlight) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-04", "s6")}), rule_set{"flight"});
}

TEST(Validator, OutsideTheDatesPlanned) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-01", "s8")}), rule_set{"range"});
}

TEST(Validator, DaypartNotAllowed) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-04", "s5b")}), rule_set{"daypart"});
}

TEST(Validator, BeforeTheLeadTime) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-01", "s0b")}), rule_set{"lead_time"});
    // After the lead time but inside the freeze horizon: the outlet's log is locked there.
    EXPECT_EQ(with(f, {airing(f, "pt-05", "s0c")}), rule_set{"lead_time"});
    placement later = airing(f, "pt-05", "s1");
    EXPECT_TRUE(with(f, {later}).empty());
}

TEST(Validator, FrozenPlacementMissing) {
    const fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps.erase(ps.begin());  // 101, aired
    EXPECT_EQ(rules(validate(f.in, finish(f, ps))), rule_set{"frozen"});
    // A movable stored placement may be dropped.
    std::vector<placement> qs = good_placements(f);
    qs.erase(qs.begin() + 3);  // 103, planned after the horizon
    EXPECT_TRUE(validate(f.in, finish(f, qs)).empty());
}

TEST(Validator, FrozenPlacementMoved) {
    const fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps[2].slot = f.s("s1");  // 104 moved to the morning
    ps[2].start = f.sl("s1").start;
    EXPECT_EQ(rules(validate(f.in, finish(f, ps))), rule_set{"existing"});
}

TEST(Validator, FrozenFlagMustMatchTheStoredState) {
    const fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps[3].frozen = true;  // 103 is movable
    EXPECT_EQ(rules(validate(f.in, finish(f, ps))), rule_set{"frozen"});
    std::vector<placement> qs = good_placements(f);
    qs[2].frozen = false;  // 104 is published
    EXPECT_EQ(rules(validate(f.in, finish(f, qs))), rule_set{"frozen"});
    std::vector<placement> rs = good_placements(f);
    rs[7].frozen = false;  // 107 is inside the freeze horizon
    EXPECT_EQ(rules(validate(f.in, finish(f, rs))), rule_set{"frozen"});
    placement invented = airing(f, "pt-01", "s1");
    invented.frozen = true;
    EXPECT_EQ(with(f, {invented}), rule_set{"frozen"});
}

TEST(Validator, StoredPlacementTwice) {
    const fixture f = make_fixture();
    placement twice = frozen_of(f, 103);
    EXPECT_EQ(with(f, {twice}), (rule_set{"existing", "once_per_break"}));
    placement elsewhere = airing(f, "pt-02", "s7");  // same id, another break
    elsewhere.existing_id = 103;
    EXPECT_EQ(with(f, {elsewhere}), rule_set{"existing"});
    placement unknown = airing(f, "pt-02", "s7");
    unknown.existing_id = 999;
    EXPECT_EQ(with(f, {unknown}), rule_set{"existing"});
}

TEST(Validator, MessageTwiceInOneBreak) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-05", "r1"), airing(f, "pt-05", "r1")}), rule_set{"once_per_break"});
}

TEST(Validator, BreakCapacityInSeconds) {
    const fixture f = make_fixture();
    // s2 holds the frozen 45 s of pt-05; 30 s more exceed its 60 s.
    EXPECT_EQ(with(f, {airing(f, "pt-02", "s2")}), rule_set{"capacity"});
    // r0 holds pt-01 (30 s) of 90 s: 30 s more fit, 75 s more do not.
    EXPECT_TRUE(with(f, {airing(f, "pt-06", "r0")}).empty());
    EXPECT_EQ(with(f, {airing(f, "pt-06", "r0"), airing(f, "pt-05", "r0")}), rule_set{"capacity"});
}

TEST(Validator, ExactlyFullBreakIsFine) {
    fixture f = make_fixture();
    f.in.separate_departments = false;
    EXPECT_TRUE(with(f, {airing(f, "pt-01", "s1"), airing(f, "pt-02", "s1")}).empty());  // 30 + 30 of 60 s
}

TEST(Validator, TotalAboveTheWantedAirings) {
    const fixture f = make_fixture();
    // pt-06 wants 2: the make-good and one more are fine (the missed airing does not count)...
    EXPECT_TRUE(with(f, {airing(f, "pt-06", "r0")}).empty());
    // ...a third is not.
    EXPECT_EQ(with(f, {airing(f, "pt-06", "r0"), airing(f, "pt-06", "r2")}), rule_set{"total"});
}

TEST(Validator, PerDayLimit) {
    const fixture f = make_fixture();
    // pt-01 already airs at s4 and r0 on 30 July; at most 3 a day.
    EXPECT_TRUE(with(f, {airing(f, "pt-01", "s1")}).empty());
    EXPECT_EQ(with(f, {airing(f, "pt-01", "s1"), airing(f, "pt-01", "s1b")}), rule_set{"per_day"});
}

TEST(Validator, PerWeekLimit) {
    const fixture f = make_fixture();
    // pt-05: frozen at s2 (week 1); at most 3 a week.
    EXPECT_TRUE(
        with(f, {airing(f, "pt-05", "r0"), airing(f, "pt-05", "r1"), airing(f, "pt-05", "s7")}).empty());
    EXPECT_EQ(with(f, {airing(f, "pt-05", "r0"), airing(f, "pt-05", "r1"), airing(f, "pt-05", "r2")}),
              rule_set{"per_week"});
}

TEST(Validator, PerOutletPerDayLimit) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-04", "s4")}), rule_set{"per_outlet_day"});
}

TEST(Validator, MinGapBetweenAiringsOfAMessageOnAnOutlet) {
    const fixture f = make_fixture();
    EXPECT_EQ(with(f, {airing(f, "pt-01", "s3")}), rule_set{"min_gap"});  // 30 min before s4
    EXPECT_TRUE(with(f, {airing(f, "pt-01", "s4b")}).empty());            // exactly 60 min after s4
    // Another outlet is another gap: r0 at 06:15 and s1 at 07:10.
    EXPECT_TRUE(with(f, {airing(f, "pt-01", "s1")}).empty());
}

TEST(Validator, DepartmentSeparation) {
    fixture f = make_fixture();
    // pt-01 airs at s4; pt-02 is of the same department.
    const auto v = validate(f.in, finish(f, [&] {
                                auto ps = good_placements(f);
                                ps.push_back(airing(f, "pt-02", "s4"));
                                return ps;
                            }()));
    EXPECT_EQ(rules(v), rule_set{"department"});
    ASSERT_EQ(v.size(), 1U);
    EXPECT_NE(v[0].detail.find("thp-tv"), std::string::npos) << v[0].detail;
    EXPECT_NE(v[0].detail.find("pt-01"), std::string::npos) << v[0].detail;
    EXPECT_NE(v[0].detail.find("education"), std::string::npos) << v[0].detail;
    f.in.separate_departments = false;
    EXPECT_TRUE(with(f, {airing(f, "pt-02", "s4")}).empty());
}

TEST(Validator, ObjectiveMustBeTheRecomputedSum) {
    const fixture f = make_fixture();
    plan p = finish(f, good_placements(f));
    p.objective_micro += 1;
    EXPECT_EQ(rules(validate(f.in, p)), rule_set{"objective"});
}

TEST(Validator, BoundBelowTheObjective) {
    const fixture f = make_fixture();
    plan p = finish(f, good_placements(f));
    p.bound_micro = p.objective_micro - 1;
    EXPECT_EQ(rules(validate(f.in, p)), rule_set{"bound"});
    p.bound_micro = p.objective_micro;  // a proven optimum
    EXPECT_TRUE(validate(f.in, p).empty());
}

TEST(Validator, UnplacedMustAddUpToWantedMinusPlaced) {
    const fixture f = make_fixture();
    plan p = finish(f, good_placements(f));
    const int l2 = f.l("pt-03");
    std::erase_if(p.unplaced, [&](const unplaced_airings& u) { return u.line == l2; });
    EXPECT_EQ(rules(validate(f.in, p)), rule_set{"unplaced"});
    plan q = finish(f, good_placements(f));
    q.unplaced.front().airings += 1;
    EXPECT_EQ(rules(validate(f.in, q)), rule_set{"unplaced"});
    // Split over two entries is fine.
    plan r = finish(f, good_placements(f));
    ASSERT_GE(r.unplaced.front().airings, 2);
    unplaced_airings half = r.unplaced.front();
    half.airings = 1;
    r.unplaced.front().airings -= 1;
    r.unplaced.push_back(half);
    EXPECT_TRUE(validate(f.in, r).empty());
}

TEST(Validator, MakeGoodMustReplaceAMissedAiringOfItsMessage) {
    const fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps.back().make_good_of = 101;  // aired, and of pt-01
    const auto v = validate(f.in, finish(f, ps));
    EXPECT_EQ(rules(v), rule_set{"make_good"});
    EXPECT_EQ(v.size(), 2U);
    placement second = airing(f, "pt-06", "r0");
    second.make_good_of = 102;
    EXPECT_EQ(with(f, {second}), rule_set{"make_good"});
}

TEST(Validator, MakeGoodAirsOnTheMissedAiringsOutletNotBeforeIt) {
    fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps.back() = airing(f, "pt-06", "s1");  // on the TV outlet: pt-06 is not eligible there either
    ps.back().make_good_of = 102;
    auto v = validate(f.in, finish(f, ps));
    EXPECT_EQ(rules(v), (rule_set{"eligible", "make_good"}));
    EXPECT_EQ(v.size(), 2U);
    // 102 was missed at rp (29 July, 06:15, radio): r0, a day later on the radio, is accepted
    // (which break the rule picks is planner.hpp's make_good_proposals; not checked here).
    ps.back() = airing(f, "pt-06", "r0");
    ps.back().make_good_of = 102;
    v = validate(f.in, finish(f, ps));
    for (const violation& x : v) ADD_FAILURE() << x.rule << ": " << x.detail;
    // In the missed break itself: not after it.
    f.in.now = f.sl("rp").start - std::chrono::hours(24);  // a rehearsal from before the miss
    ps.back() = airing(f, "pt-06", "rp");
    ps.back().make_good_of = 102;
    v = validate(f.in, finish(f, ps));
    EXPECT_TRUE(rules(v).contains("make_good")) << ::testing::PrintToString(rules(v));
    bool said = false;
    for (const violation& x : v) said = said || x.detail.find("on the same outlet, after it") != std::string::npos;
    EXPECT_TRUE(said);
}

TEST(Validator, SumsAndPairsOfFrozenPlacementsAloneAreNotReported) {
    fixture f = make_fixture();
    // Published before the rules changed: pt-02 beside pt-05's 45 s in the 60 s break s2, and pt-01
    // twice on 29 July 5 minutes apart (its gap is 60 min).
    existing_placement e;
    e.id = 105;
    e.line = f.l("pt-02");
    e.outlet = 0;
    e.start = f.sl("s2").start;
    e.date = f.sl("s2").date;
    e.duration_s = 30;
    e.state = "published";
    existing_placement g = f.in.existing[0];
    g.id = 106;
    g.start += 5min;  // no break there any more
    f.in.existing.push_back(e);
    f.in.existing.push_back(g);
    std::vector<placement> ps = good_placements(f);
    ps.push_back(frozen_of(f, 105));
    ps.push_back(frozen_of(f, 106));
    ASSERT_EQ(ps.back().slot, -1);
    const auto v = validate(f.in, finish(f, ps));
    for (const violation& x : v) ADD_FAILURE() << x.rule << ": " << x.detail;
    // A new airing beside them is judged with them.
    EXPECT_EQ(with(f, {frozen_of(f, 105), frozen_of(f, 106), airing(f, "pt-01", "s0b")}),
              (rule_set{"lead_time", "min_gap"}));
}

TEST(Validator, ReportsAreDeterministic) {
    const fixture f = make_fixture();
    std::vector<placement> ps = good_placements(f);
    ps.push_back(airing(f, "pt-02", "s2"));
    ps.push_back(airing(f, "pt-03", "s5"));
    const plan p = finish(f, ps);
    const auto a = validate(f.in, p);
    const auto b = validate(f.in, p);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].rule, b[i].rule);
        EXPECT_EQ(a[i].detail, b[i].detail);
    }
    EXPECT_EQ(rules(a), (rule_set{"capacity", "blackout", "approved"}));
}

// The generated instances (tests/support/instance_generator.cpp) that the property tests and
// bench/planner use: reproducible, well formed, and a plan of only their frozen placements is valid.

bool same(const instance& a, const instance& b) {
    if (a.slots.size() != b.slots.size() || a.lines.size() != b.lines.size() ||
        a.existing.size() != b.existing.size() || a.now != b.now) {
        return false;
    }
    for (std::size_t i = 0; i < a.slots.size(); ++i) {
        const slot& x = a.slots[i];
        const slot& y = b.slots[i];
        if (x.outlet != y.outlet || x.start != y.start || x.capacity_s != y.capacity_s ||
            x.daypart != y.daypart || x.date_weight != y.date_weight || x.blacked_out != y.blacked_out) {
            return false;
        }
    }
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
        const order_line& x = a.lines[i];
        const order_line& y = b.lines[i];
        if (x.message != y.message || x.outlets != y.outlets || x.duration_s != y.duration_s ||
            x.priority != y.priority || x.airings != y.airings || x.per_day != y.per_day ||
            x.flight_first != y.flight_first || x.min_gap_minutes != y.min_gap_minutes ||
            x.dayparts != y.dayparts) {
            return false;
        }
    }
    for (std::size_t i = 0; i < a.existing.size(); ++i) {
        if (a.existing[i].start != b.existing[i].start || a.existing[i].state != b.existing[i].state ||
            a.existing[i].line != b.existing[i].line) {
            return false;
        }
    }
    return true;
}

TEST(InstanceGenerator, SameSeedSameInstanceOtherSeedAnother) {
    const auto a = loa::testing::generate(loa::testing::family("city-month", 7, true));
    const auto b = loa::testing::generate(loa::testing::family("city-month", 7, true));
    const auto c = loa::testing::generate(loa::testing::family("city-month", 8, true));
    EXPECT_TRUE(same(a, b));
    EXPECT_FALSE(same(a, c));
    EXPECT_EQ(a.outlets.size(), 40U);
    EXPECT_EQ(a.lines.size(), 500U);
    EXPECT_EQ((a.last_day - a.first_day).count(), 30);
    EXPECT_THROW((void)loa::testing::family("galaxy-week", 1, true), std::invalid_argument);
}

TEST(InstanceGenerator, BreaksSortedUniqueAndOnTheirOutletsClock) {
    for (const bool sep : {false, true}) {
        const auto in = loa::testing::generate(loa::testing::family("small", 3, sep));
        ASSERT_FALSE(in.slots.empty());
        bool crosses_midnight = false;
        for (std::size_t i = 0; i < in.slots.size(); ++i) {
            const slot& s = in.slots[i];
            if (i > 0) {
                EXPECT_TRUE(std::tie(in.slots[i - 1].outlet, in.slots[i - 1].start) <
                            std::tie(s.outlet, s.start));
            }
            const auto* zone = loa::core::find_zone(in.outlets[static_cast<std::size_t>(s.outlet)].time_zone);
            EXPECT_EQ(s.local_start.time_since_epoch(),
                      s.start.time_since_epoch() + zone->get_info(s.start).offset);
            EXPECT_EQ(s.date.time_since_epoch(), date::floor<date::days>(s.local_start).time_since_epoch());
            EXPECT_GE(s.date, in.first_day);
            EXPECT_LE(s.date, in.last_day);
            const auto& dp =
                in.outlets[static_cast<std::size_t>(s.outlet)].dayparts[static_cast<std::size_t>(s.daypart)];
            const auto tod = s.local_start - date::floor<date::days>(s.local_start);
            if ((dp.code == "khuya" || dp.code == "dem") && tod < 4h) crosses_midnight = true;
        }
        EXPECT_TRUE(crosses_midnight);
    }
}

TEST(InstanceGenerator, BerlinOutletAcrossTheEndOfSummerTime) {
    const auto in = loa::testing::generate(loa::testing::family("small", 1, true));
    ASSERT_EQ(in.outlets[1].time_zone, "Europe/Berlin");
    const day change = date::sys_days{2024_y / date::October / 27};
    ASSERT_GE(change, in.first_day);
    ASSERT_LE(change, in.last_day);
    // The 23:00–03:00 daypart: 02:05 local happens twice on 27 October; one break, at the earlier
    // instant (00:05 UTC, summer time), one hour after 01:05 local (23:05 UTC).
    std::vector<instant> night;
    for (const slot& s : in.slots) {
        if (s.outlet == 1 && s.date == change &&
            s.local_start - date::local_days{change.time_since_epoch()} < 4h) {
            night.push_back(s.start);
        }
    }
    ASSERT_EQ(night.size(), 3U);  // 00:05, 01:05, 02:05 local
    EXPECT_EQ(night[1], date::sys_days{2024_y / date::October / 26} + 23h + 5min);
    EXPECT_EQ(night[2], date::sys_days{change} + 5min);
    // 11:05 local is 09:05 UTC the day before the change and 10:05 UTC the day after.
    auto at_local = [&](day d, std::chrono::minutes tod) {
        for (const slot& s : in.slots) {
            if (s.outlet == 1 && s.local_start == date::local_days{d.time_since_epoch()} + tod)
                return s.start;
        }
        return instant{};
    };
    EXPECT_EQ(at_local(change - date::days{1}, 11h + 5min),
              date::sys_days{change} - date::days{1} + 9h + 5min);
    EXPECT_EQ(at_local(change + date::days{1}, 11h + 5min),
              date::sys_days{change} + date::days{1} + 10h + 5min);
}

TEST(InstanceGenerator, WithoutSeparationRulesTheFlowIsExact) {
    const auto in = loa::testing::generate(loa::testing::family("city-month", 2, false));
    EXPECT_FALSE(in.separate_departments);
    std::map<int, int> duration_of_outlet;
    for (const order_line& l : in.lines) {
        EXPECT_EQ(l.min_gap_minutes, 0) << l.message;
        for (const int o : l.outlets) {
            const auto [it, fresh] = duration_of_outlet.emplace(o, l.duration_s);
            EXPECT_EQ(it->second, l.duration_s) << "outlet " << o << " " << l.message;
        }
    }
    std::map<std::pair<int, int>, int> capacity_of_daypart;
    for (const slot& s : in.slots) {
        const auto [it, fresh] =
            capacity_of_daypart.emplace(std::make_pair(s.outlet, s.daypart), s.capacity_s);
        EXPECT_EQ(it->second, s.capacity_s);
    }
}

TEST(InstanceGenerator, KeyDatesBlackoutsLeadTimesAndStoredPlacements) {
    const auto in = loa::testing::generate(loa::testing::family("city-month", 1, true));
    std::set<double> weights;
    int blacked = 0;
    for (const slot& s : in.slots) {
        weights.insert(s.date_weight);
        blacked += s.blacked_out ? 1 : 0;
    }
    EXPECT_EQ(weights, (std::set<double>{1.0, 2.0, 3.0}));
    EXPECT_GT(blacked, 0);
    EXPECT_TRUE(std::any_of(in.outlets.begin(), in.outlets.end(),
                            [](const outlet_info& o) { return o.lead_time_hours > 0; }));
    std::set<std::string> states;
    bool frozen = false;
    bool movable = false;
    for (const existing_placement& e : in.existing) {
        states.insert(e.state);
        (is_frozen(in, e) ? frozen : movable) = true;
    }
    EXPECT_TRUE(frozen);
    EXPECT_TRUE(movable);
    EXPECT_TRUE(states.contains("planned"));
    EXPECT_TRUE(states.contains("published"));
    const auto none = loa::testing::generate([] {
        auto o = loa::testing::family("city-month", 1, true);
        o.with_existing = false;
        return o;
    }());
    EXPECT_TRUE(none.existing.empty());
}

TEST(InstanceGenerator, PlanOfOnlyTheFrozenPlacementsIsValid) {
    for (const char* fam : {"small", "city-month"}) {
        for (const bool sep : {false, true}) {
            for (std::uint64_t seed = 1; seed <= 3; ++seed) {
                const auto in = loa::testing::generate(loa::testing::family(fam, seed, sep));
                std::vector<placement> ps;
                for (const existing_placement& e : in.existing) {
                    if (is_frozen(in, e)) ps.push_back(frozen_of(in, e.id));
                }
                const auto v = validate(in, finish(in, ps));
                for (const violation& x : v)
                    ADD_FAILURE() << fam << " " << seed << " " << x.rule << ": " << x.detail;
            }
        }
    }
}

}  // namespace validator_test_cpp
}  // namespace
