// The exact integer model of a plan in CPLEX LP format, for CBC (`cbc FILE solve solu OUT`).
//
// Variables: x_<line>_<slot>, binary, one per (approved line, slot) pair the line may use: an
// eligible outlet's break, not blacked out, dated inside the flight and the dates planned, in an
// allowed daypart, starting at or after now + the outlet's lead time, with room for the line's
// duration beside the frozen airings, not beside a frozen airing of the same message or (with
// separation) of its department, not within the min gap of a frozen airing of it on that outlet.
// Constraints (each written only when it can bind):
//   cap_<slot>                   Σ duration·x <= capacity − frozen seconds of the break
//   tot_<line>                   Σ x <= wanted_airings − frozen airings of the line
//   day_<line>_<yyyymmdd>        Σ x <= per_day − frozen airings that date
//   wk_<line>_<week key>         Σ x <= per_week − frozen airings that ISO week
//   od_<line>_<outlet>_<yyyymmdd> Σ x <= max_per_outlet_per_day − frozen ones
//   gap_<line>_<outlet>_<slot>   Σ x <= 1 over the breaks starting in [start of slot, + min gap)
//                                (one clique per sliding window: two starts closer than the gap)
//   dep_<slot>_<n>               Σ x <= 1 over one department's lines in the break
//   msg_<slot>_<n>               Σ x <= 1 over lines of one message code in the break
//   mg_<line>_<slot>             x >= 1: a make-good proposal (below), in the break its rule gives
// Objective: maximise Σ value_micro(line, slot)·x. Frozen placements are constants; their value
// (`constant_micro` in a comment line) is not in CBC's optimum, so loa's objective is comparable
// as objective − constant_micro. Missed placements are left out entirely: they did not air, so
// they hold no capacity and count toward no limit (validator.cpp reads them the same way). Their
// value in a break is noted as `missed_micro` (neither is it in loa's objective: instance.hpp).
// A withdrawn one holds its break's seconds and rules but is no airing either, nor in the constant. A missed airing's make-good is part of the problem: it goes to the
// next suitable break by rule (planner.hpp make_good_proposals, the same proposals every plan of
// loa starts from), so the model fixes its variable to 1 (mg_ rows) and CBC's optimum includes its
// value, as loa's objective does.
#include "scheduler/planner/lp_writer.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "scheduler/planner/planner.hpp"

namespace loa::scheduler::planner {
namespace {

std::string ymd_digits(day d) {
    return date::format("%Y%m%d", d);
}

struct variable {
    int line = 0;
    int slot = 0;
    std::int64_t value = 0;
    std::string name;
};

// What the frozen placements (not missed) already use.
struct frozen_use {
    std::vector<int> seconds;                            // per slot
    std::map<int, std::set<std::string>> depts_in_slot;  // slot → department codes
    std::map<int, std::set<std::string>> msgs_in_slot;   // slot → message codes
    std::vector<int> total;                              // per line
    std::map<std::pair<int, day>, int> per_day;
    std::map<std::pair<int, long long>, int> per_week;
    std::map<std::tuple<int, int, day>, int> per_outlet_day;
    std::map<std::pair<int, int>, std::vector<instant>> starts;  // (line, outlet) → starts
    std::int64_t value = 0;
    std::int64_t missed_value = 0;
};

int find_slot(const instance& in, int outlet, instant start) {
    const auto it = std::lower_bound(in.slots.begin(), in.slots.end(), std::make_pair(outlet, start),
                                     [](const slot& s, const std::pair<int, instant>& k) {
                                         return std::tie(s.outlet, s.start) < std::tie(k.first, k.second);
                                     });
    if (it == in.slots.end() || it->outlet != outlet || it->start != start) return -1;
    return static_cast<int>(it - in.slots.begin());
}

frozen_use frozen_usage(const instance& in) {
    frozen_use f;
    f.seconds.assign(in.slots.size(), 0);
    f.total.assign(in.lines.size(), 0);
    for (const existing_placement& e : in.existing) {
        if (e.line < 0 || static_cast<std::size_t>(e.line) >= in.lines.size() || e.outlet < 0 ||
            static_cast<std::size_t>(e.outlet) >= in.outlets.size() || !is_frozen(in, e)) {
            continue;
        }
        const order_line& l = in.lines[static_cast<std::size_t>(e.line)];
        const int s = find_slot(in, e.outlet, e.start);
        if (e.state == "missed") {
            if (s >= 0) f.missed_value += value_micro(in, l, in.slots[static_cast<std::size_t>(s)]);
            continue;
        }
        if (s >= 0) {
            f.seconds[static_cast<std::size_t>(s)] += e.duration_s;
            if (!l.department.empty()) f.depts_in_slot[s].insert(l.department);
            f.msgs_in_slot[s].insert(l.message);
        }
        // A withdrawn one holds its break, but it will not air: none of its line's counts, and no
        // part of the objective.
        if (is_withdrawn(e)) continue;
        if (s >= 0) f.value += value_micro(in, l, in.slots[static_cast<std::size_t>(s)]);
        ++f.total[static_cast<std::size_t>(e.line)];
        ++f.per_day[{e.line, e.date}];
        ++f.per_week[{e.line, iso_week_key(e.date)}];
        ++f.per_outlet_day[{e.line, e.outlet, e.date}];
        f.starts[{e.line, e.outlet}].push_back(e.start);
    }
    return f;
}

template <typename Map, typename Key>
int used(const Map& m, const Key& k) {
    const auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
}

// Whether line l may air in slot s at all (the per-pair conditions of the header comment).
bool usable(const instance& in, const frozen_use& f, int l, int s) {
    const order_line& L = in.lines[static_cast<std::size_t>(l)];
    const slot& S = in.slots[static_cast<std::size_t>(s)];
    const outlet_info& O = in.outlets[static_cast<std::size_t>(S.outlet)];
    if (S.blacked_out) return false;
    if (S.date < L.flight_first || S.date > L.flight_last || S.date < in.first_day || S.date > in.last_day) {
        return false;
    }
    if (!L.dayparts.empty()) {
        if (S.daypart < 0 || static_cast<std::size_t>(S.daypart) >= O.dayparts.size()) return false;
        const std::string& code = O.dayparts[static_cast<std::size_t>(S.daypart)].code;
        if (std::find(L.dayparts.begin(), L.dayparts.end(), code) == L.dayparts.end()) return false;
    }
    if (S.start < in.now + std::chrono::hours(notice_hours(O))) return false;
    if (S.capacity_s - f.seconds[static_cast<std::size_t>(s)] < L.duration_s) return false;
    if (const auto it = f.msgs_in_slot.find(s);
        it != f.msgs_in_slot.end() && it->second.contains(L.message)) {
        return false;
    }
    if (in.separate_departments && !L.department.empty()) {
        if (const auto it = f.depts_in_slot.find(s);
            it != f.depts_in_slot.end() && it->second.contains(L.department)) {
            return false;
        }
    }
    if (L.per_day > 0 && used(f.per_day, std::make_pair(l, S.date)) >= L.per_day) return false;
    if (L.per_week > 0 && used(f.per_week, std::make_pair(l, iso_week_key(S.date))) >= L.per_week)
        return false;
    if (L.max_per_outlet_per_day > 0 &&
        used(f.per_outlet_day, std::make_tuple(l, S.outlet, S.date)) >= L.max_per_outlet_per_day) {
        return false;
    }
    if (L.min_gap_minutes > 0) {
        if (const auto it = f.starts.find({l, S.outlet}); it != f.starts.end()) {
            const auto gap = std::chrono::minutes(L.min_gap_minutes);
            for (const instant t : it->second) {
                if (S.start - t < gap && t - S.start < gap) return false;
            }
        }
    }
    return true;
}

// Writes `name: a x + b y ... <= rhs` wrapped every few terms (CPLEX LP lines stay short).
class lp_out {
public:
    explicit lp_out(std::ostream& out) : out_(out) {}

    template <typename Terms>
    void row(const std::string& name, const Terms& terms, long long rhs) {
        out_ << ' ' << name << ':';
        write_terms(terms);
        out_ << " <= " << rhs << '\n';
        ++rows_;
    }

    template <typename Terms>
    void write_terms(const Terms& terms) {
        int n = 0;
        for (const auto& [coef, var] : terms) {
            if (n > 0 && n % 8 == 0) out_ << "\n ";
            out_ << (n == 0 ? " " : " + ") << coef << ' ' << *var;
            ++n;
        }
    }

    // `name: 1 var >= 1`
    void fix(const std::string& name, const std::string& var) {
        out_ << ' ' << name << ": 1 " << var << " >= 1\n";
        ++rows_;
    }

    [[nodiscard]] std::int64_t rows() const { return rows_; }

private:
    std::ostream& out_;
    std::int64_t rows_ = 0;
};

using terms = std::vector<std::pair<long long, const std::string*>>;

}  // namespace

lp_size write_lp(std::ostream& out, const instance& in) {
    const frozen_use f = frozen_usage(in);

    // Slots of each outlet: [first, last) in instance::slots (sorted by outlet, start).
    std::vector<std::pair<int, int>> outlet_slots(in.outlets.size(), {0, 0});
    for (std::size_t o = 0; o < in.outlets.size(); ++o) {
        const int first =
            static_cast<int>(std::lower_bound(in.slots.begin(), in.slots.end(), static_cast<int>(o),
                                              [](const slot& s, int k) { return s.outlet < k; }) -
                             in.slots.begin());
        const int last =
            static_cast<int>(std::upper_bound(in.slots.begin(), in.slots.end(), static_cast<int>(o),
                                              [](int k, const slot& s) { return k < s.outlet; }) -
                             in.slots.begin());
        outlet_slots[o] = {first, last};
    }

    // The make-good proposals (each usable beside the frozen placements, as its rule checked that
    // and more; taken as variables even if not, so that the model holds them).
    std::set<std::pair<int, int>> make_goods;
    for (const placement& p : make_good_proposals(in)) make_goods.emplace(p.line, p.slot);

    // Variables, in (line, outlet, start) order.
    std::vector<variable> vars;
    for (std::size_t li = 0; li < in.lines.size(); ++li) {
        const order_line& L = in.lines[li];
        const int l = static_cast<int>(li);
        if (!L.approved || wanted_airings(L) - f.total[li] <= 0) continue;
        std::vector<int> outlets = L.outlets;
        std::sort(outlets.begin(), outlets.end());
        outlets.erase(std::unique(outlets.begin(), outlets.end()), outlets.end());
        for (const int o : outlets) {
            if (o < 0 || static_cast<std::size_t>(o) >= in.outlets.size()) continue;
            const auto [first, last] = outlet_slots[static_cast<std::size_t>(o)];
            for (int s = first; s < last; ++s) {
                if (!usable(in, f, l, s) && !make_goods.contains({l, s})) continue;
                vars.push_back({l, s, value_micro(in, L, in.slots[static_cast<std::size_t>(s)]),
                                "x_" + std::to_string(l) + "_" + std::to_string(s)});
            }
        }
    }

    out << "\\ loa planner: the exact integer model (scheduler/planner/lp_writer.cpp), objective in "
           "micro-units\n";
    out << "\\ constant_micro: " << f.value
        << " (frozen placements that aired, are published or sit inside the freeze horizon; not in the "
           "optimum)\n";
    out << "\\ missed_micro: " << f.missed_value << " (missed placements in a break; not modelled)\n";
    out << "Maximize\n obj:";
    lp_out w(out);
    if (vars.empty()) {
        static const std::string none = "none";
        w.write_terms(terms{{0, &none}});
    } else {
        terms t;
        t.reserve(vars.size());
        for (const variable& v : vars) t.emplace_back(v.value, &v.name);
        w.write_terms(t);
    }
    out << "\nSubject To\n";

    // Groups variables by a key and writes `name(key): Σ coef·x <= rhs(key)` where it can bind.
    auto constrain = [&](auto key_of, auto keep, auto coef_of, auto name_of, auto rhs_of) {
        std::vector<const variable*> v;
        for (const variable& x : vars) {
            if (keep(x)) v.push_back(&x);
        }
        std::stable_sort(v.begin(), v.end(),
                         [&](const variable* a, const variable* b) { return key_of(*a) < key_of(*b); });
        std::size_t i = 0;
        while (i < v.size()) {
            std::size_t j = i + 1;
            while (j < v.size() && !(key_of(*v[i]) < key_of(*v[j]))) ++j;
            const long long rhs = std::max(0LL, static_cast<long long>(rhs_of(*v[i])));
            terms t;
            long long most = 0;
            for (std::size_t k = i; k < j; ++k) {
                t.emplace_back(coef_of(*v[k]), &v[k]->name);
                most += coef_of(*v[k]);
            }
            if (most > rhs) w.row(name_of(*v[i]), t, rhs);
            i = j;
        }
    };
    const auto& lines = in.lines;
    const auto& slots = in.slots;
    auto L = [&](const variable& x) -> const order_line& { return lines[static_cast<std::size_t>(x.line)]; };
    auto S = [&](const variable& x) -> const slot& { return slots[static_cast<std::size_t>(x.slot)]; };
    auto all = [](const variable&) { return true; };
    auto one = [](const variable&) { return 1LL; };

    constrain(
        [](const variable& x) { return x.slot; }, all,
        [&](const variable& x) { return static_cast<long long>(L(x).duration_s); },
        [](const variable& x) { return "cap_" + std::to_string(x.slot); },
        [&](const variable& x) { return S(x).capacity_s - f.seconds[static_cast<std::size_t>(x.slot)]; });
    constrain(
        [](const variable& x) { return x.line; }, all, one,
        [](const variable& x) { return "tot_" + std::to_string(x.line); },
        [&](const variable& x) { return wanted_airings(L(x)) - f.total[static_cast<std::size_t>(x.line)]; });
    constrain(
        [&](const variable& x) { return std::make_pair(x.line, S(x).date); },
        [&](const variable& x) { return L(x).per_day > 0; }, one,
        [&](const variable& x) { return "day_" + std::to_string(x.line) + "_" + ymd_digits(S(x).date); },
        [&](const variable& x) { return L(x).per_day - used(f.per_day, std::make_pair(x.line, S(x).date)); });
    constrain([&](const variable& x) { return std::make_pair(x.line, iso_week_key(S(x).date)); },
              [&](const variable& x) { return L(x).per_week > 0; }, one,
              [&](const variable& x) {
                  return "wk_" + std::to_string(x.line) + "_" + std::to_string(iso_week_key(S(x).date));
              },
              [&](const variable& x) {
                  return L(x).per_week - used(f.per_week, std::make_pair(x.line, iso_week_key(S(x).date)));
              });
    constrain([&](const variable& x) { return std::make_tuple(x.line, S(x).outlet, S(x).date); },
              [&](const variable& x) { return L(x).max_per_outlet_per_day > 0; }, one,
              [&](const variable& x) {
                  return "od_" + std::to_string(x.line) + "_" + std::to_string(S(x).outlet) + "_" +
                         ymd_digits(S(x).date);
              },
              [&](const variable& x) {
                  return L(x).max_per_outlet_per_day -
                         used(f.per_outlet_day, std::make_tuple(x.line, S(x).outlet, S(x).date));
              });

    // Min gap: the variables of a (line, outlet) are consecutive and in start order. A window is
    // written unless the previous one already contains it.
    for (std::size_t a = 0; a < vars.size();) {
        std::size_t b = a + 1;
        while (b < vars.size() && vars[b].line == vars[a].line && S(vars[b]).outlet == S(vars[a]).outlet) ++b;
        const int gap_min = L(vars[a]).min_gap_minutes;
        if (gap_min > 0) {
            const auto gap = std::chrono::minutes(gap_min);
            std::size_t prev_end = a;
            std::size_t end = a;
            for (std::size_t i = a; i < b; ++i) {
                end = std::max(end, i + 1);
                while (end < b && S(vars[end]).start - S(vars[i]).start < gap) ++end;
                if (end - i >= 2 && end > prev_end) {
                    terms t;
                    for (std::size_t k = i; k < end; ++k) t.emplace_back(1, &vars[k].name);
                    w.row("gap_" + std::to_string(vars[i].line) + "_" + std::to_string(S(vars[i]).outlet) +
                              "_" + std::to_string(vars[i].slot),
                          t, 1);
                }
                prev_end = std::max(prev_end, end);
            }
        }
        a = b;
    }

    // Department separation and one airing of a message per break.
    std::map<std::string, int> dept_number;
    std::map<std::string, int> msg_number;
    for (const variable& x : vars) {
        dept_number.emplace(L(x).department, 0);
        msg_number.emplace(L(x).message, 0);
    }
    int n = 0;
    for (auto& [k, v] : dept_number) v = n++;
    n = 0;
    for (auto& [k, v] : msg_number) v = n++;
    if (in.separate_departments) {
        constrain([&](const variable& x) { return std::make_pair(x.slot, dept_number.at(L(x).department)); },
                  [&](const variable& x) { return !L(x).department.empty(); }, one,
                  [&](const variable& x) {
                      return "dep_" + std::to_string(x.slot) + "_" +
                             std::to_string(dept_number.at(L(x).department));
                  },
                  [](const variable&) { return 1; });
    }
    constrain([&](const variable& x) { return std::make_pair(x.slot, msg_number.at(L(x).message)); }, all,
              one,
              [&](const variable& x) {
                  return "msg_" + std::to_string(x.slot) + "_" + std::to_string(msg_number.at(L(x).message));
              },
              [](const variable&) { return 1; });

    for (const variable& x : vars) {
        if (make_goods.contains({x.line, x.slot})) w.fix("mg_" + std::to_string(x.line) + "_" + std::to_string(x.slot), x.name);
    }

    out << "Bounds\n";
    if (vars.empty()) out << " none = 0\n";
    out << "Binaries\n";
    for (std::size_t i = 0; i < vars.size(); ++i) {
        out << (i % 8 == 0 ? (i == 0 ? " " : "\n ") : " ") << vars[i].name;
    }
    if (!vars.empty()) out << '\n';
    out << "End\n";
    return {static_cast<std::int64_t>(vars.size()), w.rows()};
}

}  // namespace loa::scheduler::planner
