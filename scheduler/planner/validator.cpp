// Checks a plan against every hard rule on a code path of its own (validator.hpp lists the rules).
//
// Readings of the rules that the planner and the LP writer must share:
//  - A placement's date is its slot's date; a frozen placement without a slot takes its stored date.
//  - Missed placements did not air: they count toward no total, use no break capacity and take
//    part in no pair rule (their make-good proposal is an ordinary airing of the line, on the same
//    outlet, not before the missed one; the rule that picks its break is planner.hpp's
//    make_good_proposals). They still must be in the plan, unchanged, like every frozen placement.
//  - Min gap: two airings of one message on one outlet whose starts are less than
//    min_gap_minutes apart (start to start; exactly the gap is allowed).
//  - Department separation applies to messages with a non-empty department code.
//  - The objective is instance.hpp's: Σ value_micro over every placement that sits in a slot and is
//    an airing (a kept missed or withdrawn one is not).
#include "scheduler/planner/validator.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace loa::scheduler::planner {
namespace {

std::string utc(instant t) {
    return date::format("%FT%TZ", t);
}
std::string ymd(day d) {
    return date::format("%F", d);
}

// A placement as the checks read it, with what was resolved from its slot or stored placement.
struct item {
    std::size_t index = 0;  // into plan::placements
    int line = 0;
    int outlet = 0;
    int slot = -1;
    instant start{};
    day date{};
    int duration_s = 0;
    bool frozen = false;
    bool counts = true;  // false for a kept missed or withdrawn placement: not an airing (counts_as_airing)
};

class checker {
public:
    checker(const instance& in, const plan& p) : in_(in), p_(p) {}

    std::vector<violation> run() {
        index_existing();
        resolve_placements();
        check_frozen_present();
        check_make_goods();
        check_breaks();
        check_line_limits();
        check_min_gaps();
        check_objective_and_bound();
        check_unplaced();
        return std::move(out_);
    }

private:
    const instance& in_;
    const plan& p_;
    std::vector<violation> out_;
    std::map<std::int64_t, std::size_t> existing_by_id_;  // id → index into in_.existing
    std::vector<item> items_;                             // placements that resolved, in plan order

    void report(const char* rule, std::string detail) { out_.push_back({rule, std::move(detail)}); }

    [[nodiscard]] bool valid_line(int l) const {
        return l >= 0 && static_cast<std::size_t>(l) < in_.lines.size();
    }
    [[nodiscard]] bool valid_outlet(int o) const {
        return o >= 0 && static_cast<std::size_t>(o) < in_.outlets.size();
    }
    [[nodiscard]] const order_line& line(int l) const { return in_.lines[static_cast<std::size_t>(l)]; }
    [[nodiscard]] const outlet_info& outlet(int o) const { return in_.outlets[static_cast<std::size_t>(o)]; }
    [[nodiscard]] const slot& slot_at(int s) const { return in_.slots[static_cast<std::size_t>(s)]; }

    [[nodiscard]] std::string where(const item& it) const {
        return "message " + line(it.line).message + " on outlet " + outlet(it.outlet).slug + " at " +
               utc(it.start);
    }

    void index_existing() {
        for (std::size_t i = 0; i < in_.existing.size(); ++i) existing_by_id_.emplace(in_.existing[i].id, i);
    }

    // Field agreement and the rules of a single placement; builds items_.
    void resolve_placements() {
        std::map<std::int64_t, int> seen_ids;
        for (std::size_t i = 0; i < p_.placements.size(); ++i) {
            const placement& pl = p_.placements[i];
            const std::string which = "placement #" + std::to_string(i);
            if (!valid_line(pl.line) || !valid_outlet(pl.outlet)) {
                report("placement", which + " names line " + std::to_string(pl.line) + " and outlet " +
                                        std::to_string(pl.outlet) + ", which the instance does not have");
                continue;
            }
            item it{i, pl.line, pl.outlet, pl.slot, pl.start, {}, pl.duration_s, pl.frozen, true};
            const existing_placement* stored = nullptr;
            if (pl.existing_id) {
                if (++seen_ids[*pl.existing_id] == 2) {
                    report("existing", "stored placement " + std::to_string(*pl.existing_id) +
                                           " appears more than once in the plan");
                }
                auto found = existing_by_id_.find(*pl.existing_id);
                if (found == existing_by_id_.end()) {
                    report("existing", which + " (" + where(it) + ") names stored placement " +
                                           std::to_string(*pl.existing_id) + ", which does not exist");
                } else {
                    stored = &in_.existing[found->second];
                }
            }
            if (stored) {
                if (stored->line != pl.line || stored->outlet != pl.outlet || stored->start != pl.start ||
                    stored->duration_s != pl.duration_s) {
                    report("existing", "stored placement " + std::to_string(stored->id) + " (" +
                                           line(stored->line).message + " on " + outlet(stored->outlet).slug +
                                           " at " + utc(stored->start) + ") was changed to " + where(it));
                }
                const bool should_freeze = is_frozen(in_, *stored);
                if (should_freeze != pl.frozen) {
                    report("frozen", "stored placement " + std::to_string(stored->id) + " (" + where(it) +
                                         ") is " +
                                         (should_freeze ? "frozen but the plan treats it as movable"
                                                        : "movable but the plan marks it frozen"));
                }
                it.frozen = should_freeze;
                it.counts = counts_as_airing(*stored);
                it.date = stored->date;
            } else if (pl.frozen) {
                report("frozen", which + " (" + where(it) + ") is marked frozen but is no stored placement");
                it.frozen = false;  // judge it as the new placement it is
            }

            const bool slot_in_range = pl.slot >= 0 && static_cast<std::size_t>(pl.slot) < in_.slots.size();
            // A placement in no break (or in a break it disagrees with) still counts as placed; it
            // takes part in no break rule.
            if (!slot_in_range) {
                it.slot = -1;
                if (!(pl.slot == -1 && it.frozen)) {
                    report("slot", where(it) + " sits in no break (slot " + std::to_string(pl.slot) + ")");
                    items_.push_back(it);
                    continue;
                }
            } else {
                const slot& s = slot_at(pl.slot);
                if (!stored) it.date = s.date;
                if (s.outlet != pl.outlet || s.start != pl.start) {
                    report("slot", where(it) + " names the break of " + outlet(s.outlet).slug + " at " +
                                       utc(s.start));
                    it.slot = -1;
                    items_.push_back(it);
                    continue;
                }
                it.date = s.date;
            }

            if (!it.frozen) check_new_placement(it);
            items_.push_back(it);
        }
    }

    // The rules of one placement the planner chose (not frozen): break, line and outlet agree.
    void check_new_placement(const item& it) {
        const order_line& l = line(it.line);
        const slot& s = slot_at(it.slot);
        const outlet_info& o = outlet(it.outlet);
        if (it.duration_s != l.duration_s) {
            report("duration", where(it) + " lasts " + std::to_string(it.duration_s) + " s, the message " +
                                   std::to_string(l.duration_s) + " s");
        }
        if (s.blacked_out) report("blackout", where(it) + " is inside a blackout of the outlet");
        if (!l.approved) report("approved", where(it) + ": the message is not approved (" + l.state + ")");
        if (std::find(l.outlets.begin(), l.outlets.end(), it.outlet) == l.outlets.end()) {
            report("eligible", where(it) + ": the outlet is not eligible for the message");
        }
        if (s.date < l.flight_first || s.date > l.flight_last) {
            report("flight", where(it) + ": " + ymd(s.date) + " is outside the flight " +
                                 ymd(l.flight_first) + " to " + ymd(l.flight_last));
        }
        if (s.date < in_.first_day || s.date > in_.last_day) {
            report("range", where(it) + ": " + ymd(s.date) + " is outside the dates planned " +
                                ymd(in_.first_day) + " to " + ymd(in_.last_day));
        }
        if (!l.dayparts.empty()) {
            const bool valid_daypart =
                s.daypart >= 0 && static_cast<std::size_t>(s.daypart) < o.dayparts.size();
            const std::string code =
                valid_daypart ? o.dayparts[static_cast<std::size_t>(s.daypart)].code : "?";
            if (std::find(l.dayparts.begin(), l.dayparts.end(), code) == l.dayparts.end()) {
                report("daypart", where(it) + ": daypart " + code + " is not one the message allows");
            }
        }
        // Nothing new within the lead time, nor within the freeze horizon (a locked playout log).
        const int closed_h = std::max(o.lead_time_hours, o.freeze_hours);
        if (it.start < in_.now + std::chrono::hours(closed_h)) {
            report("lead_time", where(it) + " starts before now + the outlet's lead time or freeze horizon of " +
                                    std::to_string(closed_h) + " h (now is " + utc(in_.now) + ")");
        }
    }

    void check_frozen_present() {
        std::set<std::int64_t> present;
        for (const placement& pl : p_.placements) {
            if (pl.existing_id) present.insert(*pl.existing_id);
        }
        for (const existing_placement& e : in_.existing) {
            if (!valid_line(e.line) || !valid_outlet(e.outlet)) continue;
            if (is_frozen(in_, e) && !present.contains(e.id)) {
                report("frozen", "frozen stored placement " + std::to_string(e.id) + " (" +
                                     line(e.line).message + " on " + outlet(e.outlet).slug + " at " +
                                     utc(e.start) + ", " + e.state + ") is missing from the plan");
            }
        }
    }

    void check_make_goods() {
        std::map<std::int64_t, int> uses;
        for (const item& it : items_) {
            const placement& pl = p_.placements[it.index];
            if (!pl.make_good_of || it.frozen) continue;
            const auto found = existing_by_id_.find(*pl.make_good_of);
            if (found == existing_by_id_.end()) {
                report("make_good", where(it) + " makes good stored placement " +
                                        std::to_string(*pl.make_good_of) + ", which does not exist");
                continue;
            }
            const existing_placement& e = in_.existing[found->second];
            if (e.state != "missed") {
                report("make_good", where(it) + " makes good stored placement " + std::to_string(e.id) +
                                        ", which is " + e.state + ", not missed");
            }
            if (e.made_good) {
                report("make_good", where(it) + " makes good stored placement " + std::to_string(e.id) +
                                        ", which was already made good");
            }
            if (e.line != it.line) {
                report("make_good", where(it) + " makes good stored placement " + std::to_string(e.id) +
                                        " of another message");
            }
            // The rule's next suitable break: on the same outlet, after the missed airing.
            if (e.line == it.line && e.state == "missed" && (e.outlet != it.outlet || it.start <= e.start)) {
                report("make_good", where(it) + " makes good stored placement " + std::to_string(e.id) +
                                        " (" + outlet(e.outlet).slug + " at " + utc(e.start) +
                                        "), but a make-good airs on the same outlet, after it");
            }
            if (++uses[e.id] == 2) {
                report("make_good",
                       "stored placement " + std::to_string(e.id) + " is made good more than once");
            }
        }
    }

    // Groups the airing items by key (items sorted by key, then plan order) and calls f on each.
    template <typename Key, typename Filter, typename F>
    void for_groups(Key key, Filter keep, F f) const {
        std::vector<const item*> v;
        for (const item& it : items_) {
            if (it.counts && keep(it)) v.push_back(&it);
        }
        std::stable_sort(v.begin(), v.end(), [&](const item* a, const item* b) { return key(*a) < key(*b); });
        std::size_t i = 0;
        while (i < v.size()) {
            std::size_t j = i + 1;
            while (j < v.size() && !(key(*v[i]) < key(*v[j]))) ++j;
            f(std::vector<const item*>(v.begin() + static_cast<std::ptrdiff_t>(i),
                                       v.begin() + static_cast<std::ptrdiff_t>(j)));
            i = j;
        }
    }

    static bool any_movable(const std::vector<const item*>& g) {
        return std::any_of(g.begin(), g.end(), [](const item* it) { return !it->frozen; });
    }

    // Per break: capacity in seconds, a message at most once, department separation.
    void check_breaks() {
        for_groups([](const item& it) { return it.slot; }, [](const item& it) { return it.slot >= 0; },
                   [&](const std::vector<const item*>& g) {
                       const slot& s = slot_at(g.front()->slot);
                       // Only for a violation: formatting the time for every break took more than
                       // the checks themselves (~10,000 breaks a month in a city).
                       const auto at = [&] { return "the break of " + outlet(s.outlet).slug + " at " + utc(s.start); };
                       long long seconds = 0;
                       for (const item* it : g) seconds += it->duration_s;
                       if (seconds > s.capacity_s && any_movable(g)) {
                           report("capacity", at() + " holds " + std::to_string(seconds) +
                                                  " s of airings, more than its " +
                                                  std::to_string(s.capacity_s) + " s");
                       }
                       for (std::size_t a = 0; a < g.size(); ++a) {
                           for (std::size_t b = a + 1; b < g.size(); ++b) {
                               if (g[a]->frozen && g[b]->frozen) continue;
                               const order_line& la = line(g[a]->line);
                               const order_line& lb = line(g[b]->line);
                               if (g[a]->line == g[b]->line || la.message == lb.message) {
                                   report("once_per_break", at() + " holds message " + la.message + " twice");
                               } else if (in_.separate_departments && !la.department.empty() &&
                                          la.department == lb.department) {
                                   report("department", at() + " holds messages " + la.message + " and " +
                                                            lb.message + " of the same department " +
                                                            la.department);
                               }
                           }
                       }
                   });
    }

    // Per line: total, per date, per ISO week, per outlet and date.
    void check_line_limits() {
        auto all = [](const item&) { return true; };
        for_groups([](const item& it) { return it.line; }, all,
                   [&](const std::vector<const item*>& g) {
                       const order_line& l = line(g.front()->line);
                       const long long wanted = wanted_airings(l);
                       if (static_cast<long long>(g.size()) > wanted && any_movable(g)) {
                           report("total", "message " + l.message + " has " + std::to_string(g.size()) +
                                               " airings, " + std::to_string(wanted) + " wanted");
                       }
                   });
        for_groups([](const item& it) { return std::make_pair(it.line, it.date); }, all,
                   [&](const std::vector<const item*>& g) {
                       const order_line& l = line(g.front()->line);
                       if (l.per_day > 0 && static_cast<long long>(g.size()) > l.per_day && any_movable(g)) {
                           report("per_day", "message " + l.message + " has " + std::to_string(g.size()) +
                                                 " airings on " + ymd(g.front()->date) + ", at most " +
                                                 std::to_string(l.per_day) + " a day");
                       }
                   });
        for_groups(
            [](const item& it) { return std::make_pair(it.line, iso_week_key(it.date)); }, all,
            [&](const std::vector<const item*>& g) {
                const order_line& l = line(g.front()->line);
                if (l.per_week > 0 && static_cast<long long>(g.size()) > l.per_week && any_movable(g)) {
                    report("per_week", "message " + l.message + " has " + std::to_string(g.size()) +
                                           " airings in the week of " + ymd(g.front()->date) + ", at most " +
                                           std::to_string(l.per_week) + " a week");
                }
            });
        for_groups([](const item& it) { return std::make_tuple(it.line, it.outlet, it.date); }, all,
                   [&](const std::vector<const item*>& g) {
                       const order_line& l = line(g.front()->line);
                       if (l.max_per_outlet_per_day > 0 &&
                           static_cast<long long>(g.size()) > l.max_per_outlet_per_day && any_movable(g)) {
                           report("per_outlet_day", "message " + l.message + " has " +
                                                        std::to_string(g.size()) + " airings on " +
                                                        outlet(g.front()->outlet).slug + " on " +
                                                        ymd(g.front()->date) + ", at most " +
                                                        std::to_string(l.max_per_outlet_per_day));
                       }
                   });
    }

    // Consecutive airings suffice: a too-close pair with a movable member has a too-close
    // consecutive pair with that member.
    void check_min_gaps() {
        std::vector<const item*> v;
        for (const item& it : items_) {
            if (it.counts && line(it.line).min_gap_minutes > 0) v.push_back(&it);
        }
        std::stable_sort(v.begin(), v.end(), [](const item* a, const item* b) {
            return std::tie(a->line, a->outlet, a->start) < std::tie(b->line, b->outlet, b->start);
        });
        for (std::size_t i = 1; i < v.size(); ++i) {
            const item& a = *v[i - 1];
            const item& b = *v[i];
            if (a.line != b.line || a.outlet != b.outlet || (a.frozen && b.frozen)) continue;
            const auto gap = std::chrono::minutes(line(a.line).min_gap_minutes);
            if (b.start - a.start < gap) {
                report("min_gap", "message " + line(a.line).message + " airs on " + outlet(a.outlet).slug +
                                      " at " + utc(a.start) + " and " + utc(b.start) + ", less than " +
                                      std::to_string(line(a.line).min_gap_minutes) + " min apart");
            }
        }
    }

    void check_objective_and_bound() {
        std::vector<bool> airing(p_.placements.size(), true);
        for (const item& it : items_) airing[it.index] = it.counts;
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < p_.placements.size(); ++i) {
            const placement& pl = p_.placements[i];
            if (!airing[i] || pl.slot < 0 || static_cast<std::size_t>(pl.slot) >= in_.slots.size() ||
                !valid_line(pl.line))
                continue;
            sum += value_micro(in_, line(pl.line), slot_at(pl.slot));
        }
        if (sum != p_.objective_micro) {
            report("objective", "the plan states an objective of " + std::to_string(p_.objective_micro) +
                                    " micro-units; its placements are worth " + std::to_string(sum));
        }
        if (p_.bound_micro < p_.objective_micro) {
            report("bound", "the bound " + std::to_string(p_.bound_micro) + " is below the objective " +
                                std::to_string(p_.objective_micro));
        }
    }

    void check_unplaced() {
        std::vector<long long> placed(in_.lines.size(), 0);
        std::vector<long long> unplaced(in_.lines.size(), 0);
        for (const item& it : items_) {
            if (it.counts) ++placed[static_cast<std::size_t>(it.line)];
        }
        for (const unplaced_airings& u : p_.unplaced) {
            if (!valid_line(u.line) || u.airings <= 0) {
                report("unplaced", "an unplaced entry names line " + std::to_string(u.line) + " with " +
                                       std::to_string(u.airings) + " airings");
                continue;
            }
            unplaced[static_cast<std::size_t>(u.line)] += u.airings;
        }
        for (std::size_t l = 0; l < in_.lines.size(); ++l) {
            const long long expected = std::max<long long>(0, wanted_airings(in_.lines[l]) - placed[l]);
            if (unplaced[l] != expected) {
                report("unplaced", "message " + in_.lines[l].message + ": " + std::to_string(unplaced[l]) +
                                       " airings reported unplaced, " + std::to_string(expected) +
                                       " expected (" + std::to_string(wanted_airings(in_.lines[l])) +
                                       " wanted, " + std::to_string(placed[l]) + " placed)");
            }
        }
    }
};

}  // namespace

std::vector<violation> validate(const instance& in, const plan& p) {
    return checker(in, p).run();
}

}  // namespace loa::scheduler::planner
