// The CPLEX LP writer: the file's shape and names, which (line, break) pairs become variables, and,
// when CBC is installed, that CBC's optimum of the file equals the best plan the validator accepts,
// found by brute force on a tiny instance, and that CBC's solutions of generated instances are
// plans the validator accepts.
#include "scheduler/planner/lp_writer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/validator.hpp"
#include "tests/support/instance_generator.hpp"
#include "tests/support/plan_tally.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace lp_writer_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using namespace loa::scheduler::planner;

constexpr const char* cbc_path = "/usr/bin/cbc";

// Hai Phong (UTC+7): a TV and a radio over Mon 29 – Tue 30 July 2024, as of 29 July 00:00 local.
// Tight enough that every rule binds somewhere.
instance tiny() {
    instance in;
    in.first_day = date::sys_days{2024_y / date::July / 29};
    in.last_day = date::sys_days{2024_y / date::July / 30};
    in.now = date::sys_days{2024_y / date::July / 28} + 17h;
    outlet_info tv{"thp-tv", "tv", "Asia/Ho_Chi_Minh", 0, 0, {{"sang", 1.0, false}, {"toi", 3.0, true}}};
    outlet_info radio{"thp-radio", "radio", "Asia/Ho_Chi_Minh", 0, 0, {{"sang", 2.0, true}}};
    in.outlets = {tv, radio};
    struct spec {
        int outlet;
        int day;  // 0 = 29 July
        std::chrono::minutes local;
        int capacity;
        int daypart;
        double weight;
        bool blacked_out;
    };
    const std::vector<spec> specs = {
        {0, 0, 7h, 60, 0, 1.0, false},           // a
        {0, 0, 19h, 60, 1, 1.0, false},          // b
        {0, 0, 19h + 20min, 60, 1, 1.0, false},  // c: 20 min after b
        {0, 0, 20h, 45, 1, 1.0, false},          // d: exactly 60 min after b
        {0, 1, 7h, 60, 0, 2.0, true},            // e: blacked out (30 July, ×2)
        {0, 1, 19h, 60, 1, 2.0, false},          // f: holds a frozen 45 s
        {1, 0, 6h, 30, 0, 1.0, false},           // g
        {1, 1, 6h, 60, 0, 2.0, false},           // h
    };
    for (const spec& sp : specs) {
        slot s;
        s.outlet = sp.outlet;
        s.date = in.first_day + date::days{sp.day};
        s.local_start = date::local_days{s.date.time_since_epoch()} + sp.local;
        s.start = instant{s.local_start.time_since_epoch()} - 7h;
        s.capacity_s = sp.capacity;
        s.daypart = sp.daypart;
        s.date_weight = sp.weight;
        s.blacked_out = sp.blacked_out;
        in.slots.push_back(s);
    }
    auto line = [&](std::string code, std::string dept, int priority, int duration,
                    std::vector<int> outlets) {
        order_line l;
        l.message = std::move(code);
        l.department = std::move(dept);
        l.state = "approved";
        l.approved = true;
        l.priority = priority;
        l.duration_s = duration;
        l.outlets = std::move(outlets);
        l.flight_first = in.first_day;
        l.flight_last = in.last_day;
        return l;
    };
    order_line a = line("ptbl-a", "giao-duc", 5, 30, {0, 1});
    a.airings = 3;
    a.per_day = 2;
    a.min_gap_minutes = 60;
    order_line b = line("ptbl-b", "giao-duc", 4, 30, {0});
    b.airings = 2;
    b.max_per_outlet_per_day = 1;
    order_line c = line("ptbl-c", "y-te", 3, 45, {0, 1});
    c.per_week = 2;
    order_line d = line("ptbl-d", "van-hoa", 2, 15, {0, 1});
    d.airings = 4;
    d.dayparts = {"toi"};
    order_line e = line("ptbl-e", "cong-an", 9, 15, {0, 1});
    e.approved = false;
    e.state = "submitted";
    e.airings = 2;
    in.lines = {a, b, c, d, e};
    existing_placement frozen;
    frozen.id = 7;
    frozen.line = 2;
    frozen.outlet = 0;
    frozen.start = in.slots[5].start;
    frozen.date = in.slots[5].date;
    frozen.duration_s = 45;
    frozen.state = "published";
    in.existing = {frozen};
    return in;
}

struct lp_text {
    std::string text;
    lp_size size;
};

lp_text write(const instance& in) {
    std::ostringstream out;
    const lp_size n = write_lp(out, in);
    return {out.str(), n};
}

// Variable names of the Binaries section.
std::vector<std::string> binaries(const std::string& lp) {
    const auto from = lp.find("\nBinaries\n");
    const auto to = lp.find("\nEnd\n");
    std::istringstream in(lp.substr(from + 10, to - from - 10));
    std::vector<std::string> v;
    for (std::string name; in >> name;) v.push_back(name);
    return v;
}

std::int64_t constant_micro(const std::string& lp) {
    const auto at = lp.find("\\ constant_micro: ");
    return std::stoll(lp.substr(at + 18));
}

placement frozen_placement(const instance& in, const existing_placement& e) {
    placement p;
    p.line = e.line;
    p.outlet = e.outlet;
    p.start = e.start;
    p.duration_s = e.duration_s;
    p.frozen = true;
    p.existing_id = e.id;
    for (std::size_t s = 0; s < in.slots.size(); ++s) {
        if (in.slots[s].outlet == e.outlet && in.slots[s].start == e.start) p.slot = static_cast<int>(s);
    }
    return p;
}

placement airing(const instance& in, int l, int s) {
    placement p;
    p.line = l;
    p.slot = s;
    p.outlet = in.slots[static_cast<std::size_t>(s)].outlet;
    p.start = in.slots[static_cast<std::size_t>(s)].start;
    p.duration_s = in.lines[static_cast<std::size_t>(l)].duration_s;
    return p;
}

// The frozen placements plus `chosen`, with a consistent objective and unplaced list.
plan plan_of(const instance& in, const std::vector<placement>& chosen) {
    plan p;
    std::set<std::int64_t> not_counted;  // missed, or withdrawn (instance.hpp counts_as_airing)
    for (const existing_placement& e : in.existing) {
        if (!counts_as_airing(e)) not_counted.insert(e.id);
        if (is_frozen(in, e)) p.placements.push_back(frozen_placement(in, e));
    }
    p.placements.insert(p.placements.end(), chosen.begin(), chosen.end());
    loa::testing::tally_plan(in, p, not_counted);
    return p;
}

// Every plan the validator accepts, by depth-first search over all (approved or not, line,
// eligible outlet's break) pairs; the rules are monotone, so a rejected set is never extended.
std::int64_t brute_force_best(const instance& in, std::int64_t& valid_plans) {
    std::vector<std::pair<int, int>> pairs;
    for (std::size_t l = 0; l < in.lines.size(); ++l) {
        for (std::size_t s = 0; s < in.slots.size(); ++s) {
            const auto& outlets = in.lines[l].outlets;
            if (std::find(outlets.begin(), outlets.end(), in.slots[s].outlet) != outlets.end()) {
                pairs.emplace_back(static_cast<int>(l), static_cast<int>(s));
            }
        }
    }
    std::vector<placement> chosen;
    std::int64_t best = -1;
    valid_plans = 0;
    auto dfs = [&](auto&& self, std::size_t i) -> void {
        if (i == pairs.size()) {
            ++valid_plans;
            best = std::max(best, plan_of(in, chosen).objective_micro);
            return;
        }
        self(self, i + 1);
        chosen.push_back(airing(in, pairs[i].first, pairs[i].second));
        if (validate(in, plan_of(in, chosen)).empty()) self(self, i + 1);
        chosen.pop_back();
    };
    dfs(dfs, 0);
    return best;
}

struct cbc_result {
    std::string status;  // first word(s) of the solution file, e.g. "Optimal"
    double objective = 0;
    std::vector<std::pair<int, int>> chosen;  // (line, slot) with x = 1
};

cbc_result run_cbc(const std::string& lp, const std::string& stem) {
    const loa::testing::temp_dir tmp;  // removed with CBC's files when this returns
    const auto& dir = tmp.path();
    const auto file = dir / (stem + ".lp");
    const auto sol = dir / (stem + ".sol");
    std::ofstream(file) << lp;
    std::filesystem::remove(sol);
    const std::string cmd = std::string(cbc_path) + " " + file.string() + " sec 60 solve solu " +
                            sol.string() + " > " + (dir / (stem + ".log")).string() + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(sol);
    cbc_result r;
    std::string first;
    std::getline(in, first);
    r.status = first.substr(0, first.find(" - "));
    const auto at = first.find("objective value ");
    if (at != std::string::npos) r.objective = std::stod(first.substr(at + 16));
    for (std::string row; std::getline(in, row);) {
        std::istringstream cols(row);
        std::string idx;
        std::string name;
        double value = 0;
        cols >> idx;
        if (idx.starts_with("**")) cols >> idx;
        cols >> name >> value;
        if (name.starts_with("x_") && value > 0.5) {
            const auto us = name.find('_', 2);
            r.chosen.emplace_back(std::stoi(name.substr(2, us - 2)), std::stoi(name.substr(us + 1)));
        }
    }
    return r;
}

TEST(LpWriter, SectionsInOrderAndNamesCbcAccepts) {
    const lp_text lp = write(tiny());
    std::vector<std::size_t> at;
    for (const char* section :
         {"\nMaximize\n obj:", "\nSubject To\n", "\nBounds\n", "\nBinaries\n", "\nEnd\n"}) {
        at.push_back(lp.text.find(section));
        ASSERT_NE(at.back(), std::string::npos) << section;
    }
    EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
    const std::regex name(R"(^[A-Za-z][A-Za-z0-9_]{0,254}$)");
    const auto vars = binaries(lp.text);
    EXPECT_EQ(static_cast<std::int64_t>(vars.size()), lp.size.variables);
    for (const std::string& v : vars) EXPECT_TRUE(std::regex_match(v, name)) << v;
    // Every row name: " name:" at the start of a line in Subject To.
    const std::string rows = lp.text.substr(at[1] + 12, at[2] - at[1] - 12);
    std::istringstream in(rows);
    std::int64_t row_count = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.find(':') == std::string::npos) continue;
        ++row_count;
        EXPECT_TRUE(std::regex_match(line.substr(1, line.find(':') - 1), name)) << line;
    }
    EXPECT_EQ(row_count, lp.size.constraints);
    for (std::istringstream all(lp.text); !all.eof();) {
        std::string line;
        std::getline(all, line);
        EXPECT_LE(line.size(), 255U) << line;
    }
}

TEST(LpWriter, OnlyPairsTheLineMayUseBecomeVariables) {
    const instance in = tiny();
    const auto vars = binaries(write(in).text);
    const std::set<std::string> v(vars.begin(), vars.end());
    EXPECT_TRUE(v.contains("x_0_0"));   // ptbl-a, TV morning
    EXPECT_FALSE(v.contains("x_0_4"));  // blacked out
    EXPECT_FALSE(v.contains("x_0_5"));  // 15 s left beside the frozen 45 s
    EXPECT_TRUE(v.contains("x_3_5"));   // ptbl-d's 15 s fit there
    EXPECT_FALSE(v.contains("x_3_0"));  // ptbl-d: prime time only
    EXPECT_FALSE(v.contains("x_1_6"));  // ptbl-b: TV only
    EXPECT_FALSE(v.contains("x_2_5"));  // ptbl-c is frozen in that break already
    for (const std::string& name : vars) EXPECT_FALSE(name.starts_with("x_4_")) << "not approved: " << name;
    // The frozen published airing of ptbl-c at 30 July 19:00 (×3 prime, ×2 key date): 3 × 3 × 2.
    EXPECT_EQ(constant_micro(write(in).text), 18'000'000);
}

TEST(LpWriter, LeadTimeAndSeparationRemovePairs) {
    instance in = tiny();
    in.outlets[0].lead_time_hours = 12;  // from 29 July 12:00 local
    in.separate_departments = false;
    const auto vars = binaries(write(in).text);
    const std::set<std::string> v(vars.begin(), vars.end());
    EXPECT_FALSE(v.contains("x_0_0"));  // 29 July 07:00
    EXPECT_TRUE(v.contains("x_0_1"));   // 29 July 19:00
    EXPECT_EQ(write(in).text.find(" dep_"), std::string::npos);
    in.separate_departments = true;
    EXPECT_NE(write(in).text.find(" dep_"), std::string::npos);
}

// Rows of one kind, each as the set of its variables.
std::vector<std::set<std::string>> rows_named(const std::string& lp, const std::string& prefix) {
    std::vector<std::set<std::string>> rows;
    std::istringstream in(
        lp.substr(lp.find("\nSubject To\n"), lp.find("\nBounds\n") - lp.find("\nSubject To\n")));
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line.find(':') != std::string::npos) {
            inside = line.starts_with(" " + prefix);
            if (inside) rows.emplace_back();
        }
        if (!inside) continue;
        std::istringstream words(line.substr(line.find(':') + 1));
        for (std::string w; words >> w;) {
            if (w.starts_with("x_")) rows.back().insert(w);
        }
    }
    return rows;
}

TEST(LpWriter, MinGapIsOneCliquePerWindowStartToStart) {
    const instance in = tiny();
    const auto gaps = rows_named(write(in).text, "gap_0_0_");  // ptbl-a on the TV, 60 min
    // 19:00 and 19:20 conflict; 19:00 and 20:00 are exactly 60 min apart and do not; 07:00 is alone.
    ASSERT_EQ(gaps.size(), 2U);
    EXPECT_EQ(gaps[0], (std::set<std::string>{"x_0_1", "x_0_2"}));
    EXPECT_EQ(gaps[1], (std::set<std::string>{"x_0_2", "x_0_3"}));
    const auto deps = rows_named(write(in).text, "dep_");
    EXPECT_FALSE(deps.empty());
    for (const auto& row : deps) EXPECT_EQ(row.size(), 2U);  // ptbl-a and ptbl-b (giao-duc) in one break
}

TEST(LpWriter, EmptyModelIsStillAFileCbcReads) {
    instance in = tiny();
    for (order_line& l : in.lines) l.approved = false;
    const lp_text lp = write(in);
    EXPECT_EQ(lp.size.variables, 0);
    EXPECT_NE(lp.text.find(" none = 0"), std::string::npos);
    if (!std::filesystem::exists(cbc_path)) GTEST_SKIP() << "cbc is not installed (Debian coinor-cbc)";
    const cbc_result r = run_cbc(lp.text, "loa-lp-empty");
    EXPECT_EQ(r.status, "Optimal");
    EXPECT_EQ(r.objective, 0.0);
}

TEST(LpWriter, CbcOptimumEqualsTheBruteForceOptimumOfValidPlans) {
    const instance in = tiny();
    std::int64_t valid_plans = 0;
    const std::int64_t best = brute_force_best(in, valid_plans);
    EXPECT_GT(valid_plans, 1000);  // the search explored something
    // The planner's bound (the relaxation with each break's own rules priced in) is never below
    // the best valid plan.
    const plan planned = make_plan(in);
    EXPECT_GE(planned.bound_micro, best);
    EXPECT_LE(planned.objective_micro, best);
    const lp_text lp = write(in);
    const std::int64_t constant = constant_micro(lp.text);
    if (!std::filesystem::exists(cbc_path)) GTEST_SKIP() << "cbc is not installed (Debian coinor-cbc)";
    const cbc_result r = run_cbc(lp.text, "loa-lp-tiny");
    ASSERT_EQ(r.status, "Optimal");
    EXPECT_EQ(std::llround(r.objective) + constant, best);
    std::vector<placement> chosen;
    for (const auto& [l, s] : r.chosen) chosen.push_back(airing(in, l, s));
    const plan p = plan_of(in, chosen);
    for (const violation& v : validate(in, p)) ADD_FAILURE() << v.rule << ": " << v.detail;
    EXPECT_EQ(p.objective_micro, best);
}

// CBC's optimal plans are valid, worth what CBC says, and never above loa's bound (with separation
// rules the bound prices each break's rules in: seeds 1–4 exercise it, departments and mixed lengths).
TEST(LpWriter, CbcSolutionsOfGeneratedInstancesAreValidPlans) {
    if (!std::filesystem::exists(cbc_path)) GTEST_SKIP() << "cbc is not installed (Debian coinor-cbc)";
    for (const bool sep : {false, true}) {
        for (std::uint64_t seed = 1; seed <= (sep ? 4U : 2U); ++seed) {
            const instance in = loa::testing::generate(loa::testing::family("small", seed, sep));
            const lp_text lp = write(in);
            ASSERT_GT(lp.size.variables, 100);
            const cbc_result r = run_cbc(lp.text, "loa-lp-small");
            ASSERT_EQ(r.status, "Optimal") << "seed " << seed;
            std::vector<placement> chosen;
            for (const auto& [l, s] : r.chosen) chosen.push_back(airing(in, l, s));
            const plan p = plan_of(in, chosen);
            for (const violation& v : validate(in, p)) {
                ADD_FAILURE() << "seed " << seed << " sep " << sep << ": " << v.rule << ": " << v.detail;
            }
            // Kept missed and withdrawn placements are in neither objective (nor in the constant).
            EXPECT_EQ(std::llround(r.objective) + constant_micro(lp.text), p.objective_micro);
            EXPECT_GE(make_plan(in).bound_micro, p.objective_micro) << "seed " << seed << " sep " << sep;
        }
    }
}

// A make-good goes to the next suitable break by rule, in loa's plans and in the model alike (its
// variable fixed to 1): without separation rules loa's objective is CBC's optimum, also on the
// generated instances that have make-goods (seed 1 has one; seeds 6–8 too).
TEST(LpWriter, MakeGoodsAreFixedSoLoaEqualsCbcWithoutSeparation) {
    if (!std::filesystem::exists(cbc_path)) GTEST_SKIP() << "cbc is not installed (Debian coinor-cbc)";
    int with_make_goods = 0;
    for (const std::uint64_t seed : {1, 6, 8}) {
        const instance in = loa::testing::generate(loa::testing::family("small", seed, false));
        const plan p = make_plan(in);
        const auto proposals = make_good_proposals(in);
        const std::size_t in_plan = static_cast<std::size_t>(std::count_if(
            p.placements.begin(), p.placements.end(), [](const placement& x) { return x.make_good_of.has_value(); }));
        EXPECT_EQ(proposals.size(), in_plan) << "seed " << seed;
        with_make_goods += proposals.empty() ? 0 : 1;
        const lp_text lp = write(in);
        for (const placement& x : proposals) {
            EXPECT_NE(lp.text.find(" mg_" + std::to_string(x.line) + "_" + std::to_string(x.slot) + ": 1 x_"),
                      std::string::npos)
                << "seed " << seed;
        }
        const cbc_result r = run_cbc(lp.text, "loa-lp-make-good");
        ASSERT_EQ(r.status, "Optimal") << "seed " << seed;
        EXPECT_EQ(std::llround(r.objective) + constant_micro(lp.text), p.objective_micro) << "seed " << seed;
        EXPECT_EQ(p.bound_micro, p.objective_micro) << "seed " << seed;
    }
    EXPECT_EQ(with_make_goods, 3);
}

}  // namespace lp_writer_test_cpp
}  // namespace
