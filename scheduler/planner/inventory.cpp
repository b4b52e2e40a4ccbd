// A campaign and its stored placements to the planner's instance: concrete breaks per outlet-local
// date in each outlet's IANA zone (date/tz), order lines from messages (inventory.hpp is the spec).
#include "scheduler/planner/inventory.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include <date/tz.h>

#include "core/time/zone.hpp"

namespace loa::scheduler::planner {
namespace {

using date::local_days;
using date::local_seconds;
using std::chrono::hours;
using std::chrono::minutes;

day to_day(core::calendar_date d) {
    return date::sys_days{d};
}

day local_date_of(local_seconds t) {
    return day{date::floor<date::days>(t).time_since_epoch()};
}

// A break time found by the clock before the zone is applied: the daypart it belongs to and what
// the rule gives it.
struct candidate {
    int daypart = 0;
    int capacity_s = 0;
};

bool rule_applies(const core::break_rule& rule, const core::daypart& dp) {
    return rule.dayparts.empty() ||
           std::find(rule.dayparts.begin(), rule.dayparts.end(), dp.code) != rule.dayparts.end();
}

bool weekday_on(const core::daypart& dp, local_days d) {
    const unsigned iso = date::weekday{d}.iso_encoding();  // 1 = Monday … 7 = Sunday
    return (dp.weekdays & (1u << (iso - 1))) != 0;
}

// Adds `t` as a break of daypart `index`: when several dayparts contain the same time the highest
// weight wins (then the first listed); when several rules give the same time the longest break wins.
void offer(std::map<local_seconds, candidate>& out, local_seconds t, int index, int capacity,
           const core::outlet& o) {
    auto [it, inserted] = out.try_emplace(t, candidate{index, capacity});
    if (inserted) return;
    candidate& c = it->second;
    const double w_old = o.dayparts[static_cast<std::size_t>(c.daypart)].weight;
    const double w_new = o.dayparts[static_cast<std::size_t>(index)].weight;
    if (w_new > w_old || (w_new == w_old && index < c.daypart)) c.daypart = index;
    c.capacity_s = std::max(c.capacity_s, capacity);
}

// The breaks of one outlet on the local dates [first, last], by local wall-clock time.
std::map<local_seconds, candidate> clock_breaks(const core::outlet& o, local_days first, local_days last) {
    std::map<local_seconds, candidate> out;
    // The day before the range too: a daypart crossing midnight airs its last breaks on `first`.
    for (local_days d = first - date::days{1}; d <= last; d += date::days{1}) {
        for (std::size_t i = 0; i < o.dayparts.size(); ++i) {
            const core::daypart& dp = o.dayparts[i];
            if (!weekday_on(dp, d)) continue;
            const local_seconds from = d + dp.start;
            const local_seconds to = dp.end <= dp.start ? d + date::days{1} + dp.end : d + dp.end;
            for (const core::break_rule& rule : o.break_clock) {
                if (!rule_applies(rule, dp) || rule.seconds <= 0) continue;
                if (rule.minute) {
                    local_seconds t = date::floor<hours>(from) + minutes{*rule.minute};
                    if (t < from) t += hours{1};
                    for (; t < to; t += hours{1}) offer(out, t, static_cast<int>(i), rule.seconds, o);
                } else if (rule.at) {
                    for (const local_seconds t :
                         {local_seconds{d + *rule.at}, local_seconds{d + date::days{1} + *rule.at}}) {
                        if (t >= from && t < to) offer(out, t, static_cast<int>(i), rule.seconds, o);
                    }
                }
            }
        }
    }
    return out;
}

outlet_info outlet_of(const core::outlet& o) {
    outlet_info info;
    info.slug = o.slug;
    info.kind = o.kind;
    info.time_zone = o.time_zone;
    info.lead_time_hours = o.lead_time_hours;
    info.freeze_hours = o.freeze_hours;
    double top = 0;
    for (const auto& dp : o.dayparts) top = std::max(top, dp.weight);
    for (const auto& dp : o.dayparts) info.dayparts.push_back({dp.code, dp.weight, dp.weight == top});
    return info;
}

void add_slots(instance& in, int index, const core::outlet& o, const std::map<day, double>& date_weights,
               const plan_range& range) {
    const date::time_zone* zone = core::find_zone(o.time_zone);
    const local_days first{to_day(range.from).time_since_epoch()};
    const local_days last{to_day(range.to).time_since_epoch()};

    std::vector<std::pair<instant, instant>> blackouts;
    for (const auto& b : o.blackouts)
        blackouts.emplace_back(core::to_sys(b.start, zone), core::to_sys(b.end, zone));

    const std::size_t begin = in.slots.size();
    for (const auto& [local, c] : clock_breaks(o, first, last)) {
        const day date = local_date_of(local);
        if (date < to_day(range.from) || date > to_day(range.to)) continue;
        instant start{local.time_since_epoch()};
        if (zone != nullptr) {
            const date::local_info info = zone->get_info(local);
            // Skipped by a spring-forward: no such wall-clock time, no break.
            if (info.result == date::local_info::nonexistent) continue;
            // Repeated by a fall-back: once, at the earlier instant (the offset before the change).
            start = instant{local.time_since_epoch() - info.first.offset};
        }
        slot s;
        s.outlet = index;
        s.start = start;
        s.local_start = local;
        s.date = date;
        s.capacity_s = c.capacity_s;
        s.daypart = c.daypart;
        if (auto w = date_weights.find(date); w != date_weights.end()) s.date_weight = w->second;
        s.blacked_out = std::any_of(blackouts.begin(), blackouts.end(),
                                    [&](const auto& b) { return start >= b.first && start < b.second; });
        in.slots.push_back(s);
    }
    // Wall-clock order is instant order except across a fall-back.
    std::stable_sort(in.slots.begin() + static_cast<std::ptrdiff_t>(begin), in.slots.end(),
                     [](const slot& a, const slot& b) { return a.start < b.start; });
}

int outlet_index(const instance& in, const std::string& slug) {
    for (std::size_t i = 0; i < in.outlets.size(); ++i) {
        if (in.outlets[i].slug == slug) return static_cast<int>(i);
    }
    return -1;
}

order_line line_of(const core::message& m, const core::campaign& c) {
    order_line l;
    l.message = m.id;
    l.department = m.department;
    l.state = m.state;
    l.approved = m.state == "approved";
    l.priority = m.priority;
    l.duration_s = m.duration_s;
    for (std::size_t i = 0; i < c.outlets.size(); ++i) {
        const core::outlet& o = c.outlets[i];
        if (core::may_run_on(m, o.slug, o.kind)) l.outlets.push_back(static_cast<int>(i));
    }
    l.flight_first = to_day(m.flight_start);
    l.flight_last = to_day(m.flight_end);
    l.airings = m.airings;
    l.per_day = m.airings_per_day;
    l.per_week = m.airings_per_week;
    l.max_per_outlet_per_day = m.max_per_outlet_per_day;
    l.min_gap_minutes = m.min_gap_minutes;
    l.dayparts = m.dayparts;
    return l;
}

}  // namespace

plan_range default_range(const core::campaign& c) {
    std::optional<plan_range> r;
    for (const auto& m : c.messages) {
        if (m.state != "approved") continue;
        if (!r) {
            r = plan_range{m.flight_start, m.flight_end};
            continue;
        }
        r->from = std::min(to_day(r->from), to_day(m.flight_start));
        r->to = std::max(to_day(r->to), to_day(m.flight_end));
    }
    return r ? *r : plan_range{c.period_start, c.period_end};
}

instance build_instance(const core::campaign& c, const std::vector<core::stored_placement>& existing,
                        instant now, const plan_range& range) {
    instance in;
    in.now = now;
    in.first_day = to_day(range.from);
    in.last_day = to_day(range.to);
    in.separate_departments = c.planning.separate_departments;

    std::map<day, double> date_weights;
    for (const auto& k : c.key_dates) date_weights[to_day(k.date)] = k.weight;

    for (const auto& o : c.outlets) in.outlets.push_back(outlet_of(o));
    if (in.first_day <= in.last_day) {
        for (std::size_t i = 0; i < c.outlets.size(); ++i)
            add_slots(in, static_cast<int>(i), c.outlets[i], date_weights, range);
    }

    std::map<std::string, int> line_of_message;
    for (const auto& m : c.messages) {
        line_of_message.emplace(m.id, static_cast<int>(in.lines.size()));
        in.lines.push_back(line_of(m, c));
    }

    for (const auto& p : existing) {
        const int outlet = outlet_index(in, p.outlet);
        if (outlet < 0) continue;
        const date::time_zone* zone = core::find_zone(in.outlets[static_cast<std::size_t>(outlet)].time_zone);
        const auto offset = zone != nullptr ? zone->get_info(p.start).offset : std::chrono::seconds{0};
        const day date = local_date_of(local_seconds{p.start.time_since_epoch() + offset});

        auto [it, added] = line_of_message.try_emplace(p.message, static_cast<int>(in.lines.size()));
        if (added) {
            // A message no longer in the campaign: a line that is never placed, so that its stored
            // placements can be kept (published, aired, missed) and valued as they were.
            order_line l;
            l.message = p.message;
            l.state = "archived";
            l.approved = false;
            l.priority =
                p.weight > 0 ? std::clamp(static_cast<int>(std::lround(p.value / p.weight)), 1, 10) : 1;
            l.duration_s = p.duration_s;
            l.flight_first = date;
            l.flight_last = date;
            in.lines.push_back(std::move(l));
        }
        order_line& line = in.lines[static_cast<std::size_t>(it->second)];
        if (line.state == "archived") {
            line.flight_first = std::min(line.flight_first, date);
            line.flight_last = std::max(line.flight_last, date);
            if (std::find(line.outlets.begin(), line.outlets.end(), outlet) == line.outlets.end()) {
                line.outlets.insert(std::upper_bound(line.outlets.begin(), line.outlets.end(), outlet),
                                    outlet);
            }
        }

        existing_placement e;
        e.id = p.id;
        e.line = it->second;
        e.outlet = outlet;
        e.start = p.start;
        e.date = date;
        e.duration_s = p.duration_s;
        e.state = p.state;
        e.made_good = p.made_good;
        e.make_good_of = p.make_good_of;
        e.withdrawn = p.withdrawn;
        e.daypart = p.daypart;
        e.weight = p.weight;
        e.value = p.value;
        in.existing.push_back(std::move(e));
    }

    // A missed placement counts as made good only while its make-good is frozen: a make-good that
    // is still planned may be moved or dropped by this run, and then the missed airing needs a new
    // proposal (which the planner puts in the next suitable slot again).
    std::map<std::int64_t, std::size_t> index_of_id;
    for (std::size_t i = 0; i < in.existing.size(); ++i) index_of_id.emplace(in.existing[i].id, i);
    std::set<std::int64_t> frozen_make_good_of;
    for (const auto& p : existing) {
        if (!p.make_good_of) continue;
        const auto found = index_of_id.find(p.id);
        if (found != index_of_id.end() && is_frozen(in, in.existing[found->second]))
            frozen_make_good_of.insert(*p.make_good_of);
    }
    for (auto& e : in.existing)
        if (e.made_good) e.made_good = frozen_make_good_of.contains(e.id);
    return in;
}

}  // namespace loa::scheduler::planner
