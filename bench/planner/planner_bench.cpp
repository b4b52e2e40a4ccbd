// bench/planner: one generated instance per run — the greedy baseline and make_plan timed on the
// steady clock, both plans (and CBC's, when it runs) checked by the validator (exit 2 on any
// violation), optionally the LP written and solved by CBC; one TSV row on stdout. `--summary FILE`
// turns the rows of a whole run into the Markdown tables of docs/benchmarks.md. bench/planner/run.sh
// drives it.
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scheduler/planner/lp_writer.hpp"
#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/validator.hpp"
#include "tests/support/instance_generator.hpp"
#include "tests/support/plan_tally.hpp"

namespace {

using namespace loa::scheduler::planner;
using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

int usage() {
    std::cerr << "usage: planner_bench --family NAME --seed N --rules sep|nosep [--cbc SECONDS] "
                 "[--cbc-max-vars N]\n"
                 "                     [--work DIR]\n"
                 "       planner_bench --header\n"
                 "       planner_bench --summary FILE.tsv\n";
    return 64;
}

// The value of the frozen airings in breaks (kept missed and withdrawn placements are no airings,
// as in instance.hpp's objective): what neither the planner nor CBC decides.
std::int64_t frozen_value(const instance& in, const plan& p) {
    std::set<std::int64_t> not_airings;
    for (const existing_placement& e : in.existing) {
        if (!counts_as_airing(e)) not_airings.insert(e.id);
    }
    std::int64_t v = 0;
    for (const placement& x : p.placements) {
        if (x.frozen && x.slot >= 0 && !(x.existing_id && not_airings.contains(*x.existing_id))) {
            v += value_micro(in, in.lines[static_cast<std::size_t>(x.line)],
                             in.slots[static_cast<std::size_t>(x.slot)]);
        }
    }
    return v;
}

// Weighted prime-time share of the airings a plan decides (not frozen): Σ priority over those in
// one of their outlet's prime dayparts / Σ priority over all of them, in percent.
double prime_share(const instance& in, const plan& p) {
    double prime = 0;
    double all = 0;
    for (const placement& x : p.placements) {
        if (x.frozen || x.slot < 0) continue;
        const slot& s = in.slots[static_cast<std::size_t>(x.slot)];
        const double w = in.lines[static_cast<std::size_t>(x.line)].priority;
        all += w;
        if (in.outlets[static_cast<std::size_t>(s.outlet)]
                .dayparts[static_cast<std::size_t>(s.daypart)]
                .prime) {
            prime += w;
        }
    }
    return all > 0 ? 100.0 * prime / all : 0.0;
}

int decided(const plan& p) {
    return static_cast<int>(std::count_if(p.placements.begin(), p.placements.end(),
                                          [](const placement& x) { return !x.frozen; }));
}

bool check(const char* what, const instance& in, const plan& p) {
    const auto v = validate(in, p);
    for (std::size_t i = 0; i < v.size() && i < 20; ++i) {
        std::cerr << "planner_bench: " << what << " plan breaks " << v[i].rule << ": " << v[i].detail << '\n';
    }
    if (!v.empty()) std::cerr << "planner_bench: " << v.size() << " violations in the " << what << " plan\n";
    return v.empty();
}

int find_slot(const instance& in, int outlet, instant start) {
    const auto it = std::lower_bound(in.slots.begin(), in.slots.end(), std::make_pair(outlet, start),
                                     [](const slot& s, const std::pair<int, instant>& k) {
                                         return s.outlet != k.first ? s.outlet < k.first : s.start < k.second;
                                     });
    if (it == in.slots.end() || it->outlet != outlet || it->start != start) return -1;
    return static_cast<int>(it - in.slots.begin());
}

// CBC's solution as a plan (the frozen placements, its chosen pairs, consistent sums), so that
// the validator checks it like any other.
plan plan_from_cbc(const instance& in, const std::vector<std::pair<int, int>>& chosen) {
    plan p;
    std::set<std::int64_t> missed;
    for (const existing_placement& e : in.existing) {
        if (!is_frozen(in, e)) continue;
        if (!counts_as_airing(e)) missed.insert(e.id);  // kept, not an airing
        placement x;
        x.line = e.line;
        x.outlet = e.outlet;
        x.slot = find_slot(in, e.outlet, e.start);
        x.start = e.start;
        x.duration_s = e.duration_s;
        x.frozen = true;
        x.existing_id = e.id;
        p.placements.push_back(x);
    }
    for (const auto& [l, s] : chosen) {
        placement x;
        x.line = l;
        x.slot = s;
        x.outlet = in.slots[static_cast<std::size_t>(s)].outlet;
        x.start = in.slots[static_cast<std::size_t>(s)].start;
        x.duration_s = in.lines[static_cast<std::size_t>(l)].duration_s;
        p.placements.push_back(x);
    }
    loa::testing::tally_plan(in, p, missed);
    return p;
}

struct cbc_run {
    std::string status = "-";  // "optimal", "time limit", "failed"
    std::int64_t objective_micro = 0;
    double seconds = 0;
    std::vector<std::pair<int, int>> chosen;
};

cbc_run run_cbc(const std::filesystem::path& lp, const std::filesystem::path& work, int seconds) {
    const auto sol = work / "cbc.sol";
    const auto log = work / "cbc.log";
    std::filesystem::remove(sol);
    // CBC's own limit (`sec`, CPU seconds) is not checked during its root heuristics (a city-month
    // instance with separation ran 20 minutes past it), so timeout(1) ends it a minute later.
    const std::string cmd = "timeout -k 10 " + std::to_string(seconds + 60) + " cbc " + lp.string() +
                            " sec " + std::to_string(seconds) + " solve solu " + sol.string() + " > " +
                            log.string() + " 2>&1";
    cbc_run r;
    const auto t = clock_type::now();
    const int rc = std::system(cmd.c_str());
    r.seconds = ms_since(t) / 1000.0;
    std::ifstream in(sol);
    std::string first;
    if (!std::getline(in, first)) {
        r.status =
            WIFEXITED(rc) && (WEXITSTATUS(rc) == 124 || WEXITSTATUS(rc) == 137) ? "no result" : "failed";
        return r;
    }
    // Stopped before any integer solution, CBC writes its continuous relaxation: not a plan.
    if (first.find("no integer solution") != std::string::npos) {
        r.status = "no result";
        return r;
    }
    r.status = first.starts_with("Optimal")   ? "optimal"
               : first.starts_with("Stopped") ? "time limit"
                                              : "other";
    const auto at = first.find("objective value ");
    if (at != std::string::npos) r.objective_micro = std::llround(std::stod(first.substr(at + 16)));
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

const char* columns =
    "family\trules\tseed\toutlets\tbreaks\tlines\twanted\tgreedy_ms\tplan_ms\tflow_ms\trepair_ms\tgreedy_"
    "obj\tplan_obj\t"
    "bound\tgap_pct\tgreedy_prime_pct\tplan_prime_pct\tgreedy_placed\tplan_placed\tgreedy_won\trss_mib\tlp_"
    "vars\tlp_rows\t"
    "lp_ms\tcbc_status\tcbc_s\tcbc_obj\tplan_decided_obj\tcbc_plan_obj\tmake_goods\tvalidated";

int run_one(const std::string& fam, std::uint64_t seed, bool sep, int cbc_seconds, long long cbc_max_vars,
            const std::filesystem::path& work) {
    const instance in = loa::testing::generate(loa::testing::family(fam, seed, sep));

    auto t = clock_type::now();
    const plan greedy = greedy_plan(in);
    const double greedy_ms = ms_since(t);
    t = clock_type::now();
    timespec cpu0{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    const plan best = make_plan(in);
    const double plan_ms = ms_since(t);
    timespec cpu1{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    const double plan_cpu_ms = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) * 1e3 +
                               static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec) / 1e6;
    if (const char* dump = std::getenv("LOA_DUMP_PLAN")) {
        // LOA_DUMP_PLAN=FILE: loa's airings (not frozen) named as the LP's variables, one per line,
        // to compare with CBC's solution (LOA_KEEP_LP=1 keeps model.lp beside cbc.sol in --work).
        if (std::FILE* f = std::fopen(dump, "w")) {
            for (const auto& x : best.placements) {
                if (!x.frozen && x.slot >= 0) std::fprintf(f, "x_%d_%d\n", x.line, x.slot);
            }
            std::fclose(f);
        }
    }
    if (!check("greedy", in, greedy) || !check("loa", in, best)) return 2;
    if (std::getenv("LOA_PLANNER_STATS") != nullptr) {
        // LOA_PLANNER_STATS=1: what make_plan spent and built, for profiling (its process CPU time
        // is less disturbed by other work on a shared machine than the wall time).
        std::fprintf(stderr,
                     "plan %.1f ms (cpu %.1f ms); flow: %d nodes, %d arcs, %.1f ms (network simplex %.1f ms, "
                     "%d runs, %d components, largest %d nodes %d arcs); repair %.1f ms; board %.1f ms; greedy "
                     "%.1f ms; finish %.1f ms; dropped %d; obj %lld bound %lld\n",
                     plan_ms, plan_cpu_ms, best.stats.flow_nodes, best.stats.flow_arcs, best.stats.flow_ms,
                     best.stats.flow_simplex_ms, best.stats.flow_simplex_runs, best.stats.flow_components,
                     best.stats.flow_largest_nodes, best.stats.flow_largest_arcs,
                     best.stats.repair_ms, best.stats.board_ms, best.stats.greedy_ms, best.stats.finish_ms,
                     best.stats.repair_dropped,
                     static_cast<long long>(best.objective_micro), static_cast<long long>(best.bound_micro));
    }

    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: KiB

    long long wanted = 0;
    for (const order_line& l : in.lines) {
        if (l.approved) wanted += wanted_airings(l);
    }
    std::int64_t lp_vars = -1;
    std::int64_t lp_rows = -1;
    double lp_ms = 0;
    cbc_run cbc;
    std::int64_t cbc_plan_obj = 0;  // CBC's plan with the frozen placements, as loa's objective counts
    if (cbc_seconds > 0) {
        std::filesystem::create_directories(work);
        const auto lp = work / "model.lp";
        t = clock_type::now();
        {
            std::ofstream out(lp);
            const lp_size n = write_lp(out, in);
            lp_vars = n.variables;
            lp_rows = n.constraints;
        }
        lp_ms = ms_since(t);
        if (lp_vars <= cbc_max_vars) {
            cbc = run_cbc(lp, work, cbc_seconds);
            if (cbc.status == "optimal" || cbc.status == "time limit") {
                const plan from_cbc = plan_from_cbc(in, cbc.chosen);
                if (!check("CBC", in, from_cbc)) return 2;
                cbc_plan_obj = from_cbc.objective_micro;
            }
        } else {
            cbc.status = "skipped";
        }
        if (std::getenv("LOA_KEEP_LP") == nullptr) std::filesystem::remove(lp);
    }
    const std::int64_t decided_obj = best.objective_micro - frozen_value(in, best);
    std::printf(
        "%s\t%s\t%llu\t%zu\t%zu\t%zu\t%lld\t%.2f\t%.2f\t%.2f\t%.2f\t%lld\t%lld\t%lld\t%.4f\t%.2f\t%.2f\t%d\t%"
        "d\t%d\t%.1f\t"
        "%lld\t%lld\t%.0f\t%s\t%.2f\t%lld\t%lld\t%lld\t%d\tyes\n",
        fam.c_str(), sep ? "sep" : "nosep", static_cast<unsigned long long>(seed), in.outlets.size(),
        in.slots.size(), in.lines.size(), wanted, greedy_ms, plan_ms, best.stats.flow_ms,
        best.stats.repair_ms, static_cast<long long>(greedy.objective_micro),
        static_cast<long long>(best.objective_micro), static_cast<long long>(best.bound_micro),
        100.0 * best.gap(), prime_share(in, greedy), prime_share(in, best), decided(greedy), decided(best),
        best.stats.greedy_won ? 1 : 0, rss_mib, static_cast<long long>(lp_vars),
        static_cast<long long>(lp_rows), lp_ms, cbc.status.c_str(), cbc.seconds,
        static_cast<long long>(cbc.objective_micro), static_cast<long long>(decided_obj),
        static_cast<long long>(cbc_plan_obj),
        static_cast<int>(std::count_if(best.placements.begin(), best.placements.end(),
                                       [](const placement& x) { return x.make_good_of.has_value(); })));
    return 0;
}

// ---- summary ----

using row = std::map<std::string, std::string>;

std::vector<row> read_rows(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::string> head;
    std::vector<row> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream s(line);
        for (std::string c; std::getline(s, c, '\t');) cells.push_back(c);
        if (cells.empty()) continue;
        if (cells[0] == "family") {
            head = cells;
            continue;
        }
        row r;
        for (std::size_t i = 0; i < head.size() && i < cells.size(); ++i) r[head[i]] = cells[i];
        rows.push_back(r);
    }
    return rows;
}

double num(const row& r, const std::string& k) {
    return std::stod(r.at(k));
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string fmt(const char* f, double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, x);
    return buf;
}

bool cbc_solved(const row& r) {
    return r.at("cbc_status") == "optimal" || r.at("cbc_status") == "time limit";
}

std::string ratio_text(const row& r) {
    const double ratio = num(r, "cbc_s") * 1000.0 / std::max(0.001, num(r, "plan_ms"));
    if (r.at("cbc_status") == "optimal") return fmt("%.0f×", ratio);
    if (r.at("cbc_status") == "no result" || r.at("cbc_status") == "time limit") return fmt("> %.0f×", ratio);
    return "–";
}

// loa's decided objective against CBC's optimum, in percent of CBC's ("=" when equal).
std::string versus_cbc(const row& r) {
    if (!cbc_solved(r)) return "–";
    const long long loa = std::llround(num(r, "plan_decided_obj"));
    const long long cbc = std::llround(num(r, "cbc_obj"));
    if (loa == cbc) return "=";
    return fmt("%+.3f", cbc != 0 ? 100.0 * static_cast<double>(loa - cbc) / static_cast<double>(cbc) : 0.0);
}

double points(const row& r) {
    return num(r, "plan_prime_pct") - num(r, "greedy_prime_pct");
}

int summary(const std::string& file) {
    const std::vector<row> rows = read_rows(file);
    if (rows.empty()) {
        std::cerr << "planner_bench: no rows in " << file << '\n';
        return 1;
    }
    std::cout
        << "Every instance (one process each; objectives in units of priority × daypart weight × key-date "
           "weight per airing):\n\n"
           "| family | rules | seed | breaks | lines | make-goods | greedy ms | loa ms | greedy obj | loa "
           "obj "
           "| bound | gap % | prime greedy % | prime loa % | points | CBC | CBC s | loa vs CBC % | bound ≥ "
           "CBC "
           "plan | CBC time / loa time | RSS MiB |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
           "| --- | --- | --- | --- | --- |\n";
    for (const row& r : rows) {
        const bool solved = cbc_solved(r);
        const std::string bound_ok =
            !solved ? "–" : (num(r, "bound") >= num(r, "cbc_plan_obj") ? "yes" : "**no**");
        std::cout << "| " << r.at("family") << " | " << r.at("rules") << " | " << r.at("seed") << " | "
                  << r.at("breaks") << " | " << r.at("lines") << " | " << r.at("make_goods") << " | "
                  << fmt("%.1f", num(r, "greedy_ms")) << " | " << fmt("%.1f", num(r, "plan_ms")) << " | "
                  << fmt("%.1f", num(r, "greedy_obj") / 1e6) << " | " << fmt("%.1f", num(r, "plan_obj") / 1e6)
                  << " | " << fmt("%.1f", num(r, "bound") / 1e6) << " | " << fmt("%.3f", num(r, "gap_pct"))
                  << " | " << fmt("%.1f", num(r, "greedy_prime_pct")) << " | "
                  << fmt("%.1f", num(r, "plan_prime_pct")) << " | " << fmt("%+.1f", points(r)) << " | "
                  << r.at("cbc_status") << " | "
                  << (r.at("cbc_status") == "-" ? "–" : fmt("%.2f", num(r, "cbc_s"))) << " | "
                  << versus_cbc(r) << " | " << bound_ok << " | " << ratio_text(r) << " | "
                  << fmt("%.0f", num(r, "rss_mib")) << " |\n";
    }

    std::cout
        << "\nPer family and rules:\n\n"
           "| family | rules | instances | loa ms median | loa ms max | gap % median | gap % max | points "
           "median | CBC optimal | loa = CBC | loa vs CBC % worst | CBC time / loa time median | RSS MiB max "
           "|\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    std::vector<std::pair<std::string, std::string>> groups;
    for (const row& r : rows) {
        const auto g = std::make_pair(r.at("family"), r.at("rules"));
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    for (const auto& [fam, rules] : groups) {
        std::vector<double> ms, gap, pts, ratio;
        double rss = 0;
        double worst = 0;
        int optimal = 0;
        int equal = 0;
        for (const row& r : rows) {
            if (r.at("family") != fam || r.at("rules") != rules) continue;
            ms.push_back(num(r, "plan_ms"));
            gap.push_back(num(r, "gap_pct"));
            pts.push_back(points(r));
            rss = std::max(rss, num(r, "rss_mib"));
            if (r.at("cbc_status") != "optimal") continue;
            ++optimal;
            const double d = num(r, "plan_decided_obj") - num(r, "cbc_obj");
            if (std::llround(d) == 0) ++equal;
            worst = std::min(worst, 100.0 * d / std::max(1.0, num(r, "cbc_obj")));
            ratio.push_back(num(r, "cbc_s") * 1000.0 / std::max(0.001, num(r, "plan_ms")));
        }
        std::cout << "| " << fam << " | " << rules << " | " << ms.size() << " | " << fmt("%.1f", median(ms))
                  << " | " << fmt("%.1f", *std::max_element(ms.begin(), ms.end())) << " | "
                  << fmt("%.3f", median(gap)) << " | "
                  << fmt("%.3f", *std::max_element(gap.begin(), gap.end())) << " | "
                  << fmt("%+.1f", median(pts)) << " | " << optimal << " | "
                  << (optimal ? std::to_string(equal) + " of " + std::to_string(optimal) : std::string("–"))
                  << " | " << (optimal ? fmt("%+.3f", worst) : std::string("–")) << " | "
                  << (ratio.empty() ? std::string("–") : fmt("%.0f×", median(ratio))) << " | "
                  << fmt("%.0f", rss) << " |\n";
    }

    // The targets of issue 4 §5 against what this run measured.
    auto select = [&](auto pred) {
        std::vector<const row*> v;
        for (const row& r : rows) {
            if (pred(r)) v.push_back(&r);
        }
        return v;
    };
    auto verdict = [](bool met) { return met ? "met" : "**missed**"; };
    std::cout << "\nTargets (issue 4 §5):\n\n| target | measured | |\n| --- | --- | --- |\n";
    {
        const auto v =
            select([](const row& r) { return r.at("rules") == "nosep" && r.at("cbc_status") == "optimal"; });
        const auto not_run =
            select([](const row& r) { return r.at("rules") == "nosep" && r.at("cbc_status") == "-"; });
        const auto unsolved = select([](const row& r) {
            return r.at("rules") == "nosep" && r.at("cbc_status") != "-" && r.at("cbc_status") != "optimal";
        });
        int equal = 0;
        int below_with_make_goods = 0;
        for (const row* r : v) {
            const bool same = std::llround(num(*r, "plan_decided_obj") - num(*r, "cbc_obj")) == 0;
            equal += same ? 1 : 0;
            below_with_make_goods += !same && num(*r, "make_goods") > 0 ? 1 : 0;
        }
        std::cout << "| objective equal to CBC's optimum on every instance without separation rules | "
                  << equal << " of " << v.size() << " instances CBC solved to optimality (of the "
                  << v.size() - equal << " others, " << below_with_make_goods
                  << " have make-goods placed by rule); CBC not run on " << not_run.size()
                  << " (LP not written for province-year and national-month), no optimum on "
                  << unsolved.size() << " | " << verdict(!v.empty() && equal == static_cast<int>(v.size()))
                  << " |\n";
    }
    {
        const auto v = select([](const row& r) { return r.at("rules") == "sep"; });
        std::vector<double> gaps;
        for (const row* r : v) gaps.push_back(num(*r, "gap_pct"));
        const double worst = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
        const auto within = std::count_if(gaps.begin(), gaps.end(), [](double g) { return g <= 1.0; });
        std::cout << "| ≤ 1 % gap to the bound with separation rules | worst " << fmt("%.3f", worst)
                  << " %, median " << fmt("%.3f", median(gaps)) << " %; " << within << " of " << gaps.size()
                  << " instances within 1 % | " << verdict(!gaps.empty() && worst <= 1.0) << " |\n";
    }
    {
        std::vector<double> pts;
        for (const row& r : rows) pts.push_back(points(r));
        std::cout << "| ≥ 5 points more weighted prime time than greedy on the median instance | median "
                  << fmt("%+.1f", median(pts)) << " points (min "
                  << fmt("%+.1f", *std::min_element(pts.begin(), pts.end())) << ", max "
                  << fmt("%+.1f", *std::max_element(pts.begin(), pts.end())) << ") over " << pts.size()
                  << " instances | " << verdict(median(pts) >= 5.0) << " |\n";
    }
    {
        const auto v = select([](const row& r) { return r.at("cbc_status") == "optimal"; });
        const auto unsolved = select([](const row& r) {
            return r.at("cbc_status") == "no result" || r.at("cbc_status") == "time limit";
        });
        std::vector<double> ratio;
        for (const row* r : v)
            ratio.push_back(num(*r, "cbc_s") * 1000.0 / std::max(0.001, num(*r, "plan_ms")));
        const double least = ratio.empty() ? 0 : *std::min_element(ratio.begin(), ratio.end());
        std::cout << "| ≥ 20× faster than CBC | slowest ratio " << fmt("%.0f×", least) << ", median "
                  << fmt("%.0f×", median(ratio)) << " over " << v.size() << " instances CBC solved; "
                  << unsolved.size() << " instances where CBC had no proven optimum in its time | "
                  << verdict(!ratio.empty() && least >= 20.0) << " |\n";
    }
    auto time_target = [&](const char* fam, double limit_ms, const char* label) {
        const auto v = select([&](const row& r) { return r.at("family") == fam; });
        if (v.empty()) return;
        std::vector<double> ms;
        for (const row* r : v) ms.push_back(num(*r, "plan_ms"));
        const double worst = *std::max_element(ms.begin(), ms.end());
        std::cout << "| " << label << " | max " << fmt("%.1f", worst) << " ms, median "
                  << fmt("%.1f", median(ms)) << " ms over " << v.size() << " instances | "
                  << verdict(worst <= limit_ms) << " |\n";
    };
    time_target("city-month", 100, "city-month ≤ 100 ms on one core");
    time_target("province-year", 2000, "province-year ≤ 2 s on one core");
    {
        const auto v = select([](const row& r) { return r.at("family") == "national-month"; });
        if (!v.empty()) {
            double rss = 0;
            for (const row* r : v) rss = std::max(rss, num(*r, "rss_mib"));
            std::cout << "| national-month within 2 GiB | max RSS " << fmt("%.0f", rss)
                      << " MiB (whole process: "
                      << "generator, greedy, planner, validator) | " << verdict(rss <= 2048) << " |\n";
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string fam;
    std::uint64_t seed = 1;
    bool sep = true;
    int cbc_seconds = 0;
    long long cbc_max_vars = 200000;
    std::filesystem::path work = std::filesystem::temp_directory_path() / "loa-planner-bench";
    try {
        for (std::size_t i = 0; i < args.size(); ++i) {
            auto value = [&]() -> const std::string& {
                if (i + 1 >= args.size()) throw std::invalid_argument(args[i] + " needs a value");
                return args[++i];
            };
            if (args[i] == "--header") {
                std::cout << columns << '\n';
                return 0;
            } else if (args[i] == "--summary") {
                return summary(value());
            } else if (args[i] == "--family") {
                fam = value();
            } else if (args[i] == "--seed") {
                seed = std::stoull(value());
            } else if (args[i] == "--rules") {
                const std::string& v = value();
                if (v != "sep" && v != "nosep") throw std::invalid_argument("--rules is sep or nosep");
                sep = v == "sep";
            } else if (args[i] == "--cbc") {
                cbc_seconds = std::stoi(value());
            } else if (args[i] == "--cbc-max-vars") {
                cbc_max_vars = std::stoll(value());
            } else if (args[i] == "--work") {
                work = value();
            } else {
                return usage();
            }
        }
        if (fam.empty()) return usage();
        return run_one(fam, seed, sep, cbc_seconds, cbc_max_vars, work);
    } catch (const std::exception& e) {
        std::cerr << "planner_bench: " << e.what() << '\n';
        return 64;
    }
}
