// Conflict detection for the master calendar: sweeps over occurrences grouped by venue and outlet,
// and a day-by-day pass over message flights.
#include "scheduler/calendar/conflicts.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <date/tz.h>

#include "core/text/ascii_fold.hpp"

namespace loa::scheduler {

namespace {

std::vector<std::string> words(std::string_view folded) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < folded.size()) {
        const auto end = std::min(folded.find(' ', start), folded.size());
        out.emplace_back(folded.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool all_in(const std::vector<std::string>& needles, const std::set<std::string>& hay) {
    if (needles.empty()) return false;
    return std::all_of(needles.begin(), needles.end(), [&](const std::string& w) { return hay.contains(w); });
}

bool is_broadcast_kind(std::string_view kind) {
    return kind == "broadcast" || kind == "documentary" || kind == "debate";
}

core::calendar_date local_day(core::sys_seconds t, const date::time_zone* zone) {
    const auto offset = zone == nullptr ? std::chrono::seconds{0} : zone->get_info(t).offset;
    return core::calendar_date{date::floor<date::days>(date::local_seconds{t.time_since_epoch() + offset})};
}

// The last local day an interval [start, end) touches (an end at midnight belongs to the day before).
core::calendar_date last_local_day(core::sys_seconds start, core::sys_seconds end,
                                   const date::time_zone* zone) {
    if (end <= start) return local_day(start, zone);
    return local_day(end - std::chrono::seconds{1}, zone);
}

struct keyed {
    std::string key;
    bool outlet = false;
    const occurrence* occ = nullptr;
};

// Pairs of different activities overlapping in time within one group (sorted by start).
void sweep(const std::vector<const occurrence*>& group, conflict_kind kind, const std::string& subject,
           const date::time_zone* zone, std::size_t limit, std::vector<conflict>& out,
           const std::map<const core::activity*, std::optional<std::string>>* outlets) {
    for (std::size_t i = 0; i < group.size() && out.size() < limit; ++i) {
        for (std::size_t j = i + 1; j < group.size() && out.size() < limit; ++j) {
            const occurrence& a = *group[i];
            const occurrence& b = *group[j];
            if (b.start >= a.end) break;  // sorted by start: nothing later overlaps a
            if (a.activity == b.activity) continue;
            // A venue pair that shares an outlet was already reported as an outlet conflict.
            if (outlets != nullptr) {
                const auto& oa = outlets->at(a.activity);
                const auto& ob = outlets->at(b.activity);
                if (oa && ob && *oa == *ob) continue;
            }
            conflict c;
            c.kind = kind;
            c.subject = subject;
            const core::sys_seconds from = std::max(a.start, b.start);
            const core::sys_seconds to = std::min(a.end, b.end);
            c.first_day = local_day(from, zone);
            c.last_day = last_local_day(from, to, zone);
            c.occurrences = {a, b};
            out.push_back(std::move(c));
        }
    }
}

}  // namespace

std::string venue_key(std::string_view location) {
    return core::fold_to_ascii(location);
}

std::optional<std::string> outlet_of(const core::campaign& c, const core::activity& a) {
    if (!is_broadcast_kind(a.kind)) return std::nullopt;
    const auto vi = words(core::fold_to_ascii(a.location.vi));
    const auto en = words(core::fold_to_ascii(a.location.en));
    if (vi.empty() && en.empty()) return std::nullopt;
    std::optional<std::string> found;
    for (const auto& o : c.outlets) {
        // Each name on its own: "Kênh THP" must fit the vi name, not words gathered from several.
        bool match = false;
        for (const auto* name : {&o.name.vi, &o.name.en, &o.slug}) {
            const auto list = words(core::fold_to_ascii(*name));
            const std::set<std::string> set(list.begin(), list.end());
            match = match || all_in(vi, set) || all_in(en, set);
        }
        if (match) {
            if (found) return std::nullopt;  // ambiguous: names no one outlet
            found = o.slug;
        }
    }
    return found;
}

std::vector<conflict> find_activity_conflicts(const core::campaign& c,
                                              const std::vector<occurrence>& occurrences,
                                              const date::time_zone* zone, std::size_t limit) {
    std::map<const core::activity*, std::optional<std::string>> outlets;
    std::map<std::string, std::vector<const occurrence*>> by_venue;
    std::map<std::string, std::vector<const occurrence*>> by_outlet;
    std::map<std::string, std::string> venue_text;  // key → the location as first written
    for (const auto& o : occurrences) {
        auto [it, inserted] = outlets.try_emplace(o.activity);
        if (inserted) it->second = outlet_of(c, *o.activity);
        if (it->second) by_outlet[*it->second].push_back(&o);
        std::string key = venue_key(o.activity->location.vi);
        if (key.empty()) key = venue_key(o.activity->location.en);
        if (key.empty()) continue;
        venue_text.try_emplace(
            key, o.activity->location.vi.empty() ? o.activity->location.en : o.activity->location.vi);
        by_venue[key].push_back(&o);
    }
    const auto by_start = [](const occurrence* a, const occurrence* b) {
        if (a->start != b->start) return a->start < b->start;
        return a->activity->id < b->activity->id;
    };
    std::vector<conflict> out;
    for (auto& [slug, group] : by_outlet) {
        std::sort(group.begin(), group.end(), by_start);
        sweep(group, conflict_kind::outlet, slug, zone, limit, out, nullptr);
    }
    for (auto& [key, group] : by_venue) {
        std::sort(group.begin(), group.end(), by_start);
        sweep(group, conflict_kind::venue, venue_text[key], zone, limit, out, &outlets);
    }
    std::stable_sort(out.begin(), out.end(), [](const conflict& a, const conflict& b) {
        const auto sa = std::max(a.occurrences[0].start, a.occurrences[1].start);
        const auto sb = std::max(b.occurrences[0].start, b.occurrences[1].start);
        return sa < sb;
    });
    return out;
}

std::vector<conflict> find_audience_conflicts(const core::campaign& c, core::calendar_date first,
                                              core::calendar_date last, std::string_view audience) {
    std::vector<conflict> out;
    if (!first.ok() || !last.ok() || date::sys_days{last} < date::sys_days{first}) return out;
    // Audiences in campaign order, then any a message names that the campaign does not declare.
    std::vector<std::string> codes;
    for (const auto& a : c.audiences) codes.push_back(a.code);
    for (const auto& m : c.messages) {
        for (const auto& code : m.audiences) {
            if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
        }
    }
    for (const auto& code : codes) {
        if (!audience.empty() && code != audience) continue;
        std::optional<conflict> open;  // the run being extended day by day
        for (date::sys_days day{first}; day <= date::sys_days{last}; day += date::days{1}) {
            const core::calendar_date d{day};
            std::vector<const core::message*> on_day;
            std::set<std::string> departments;
            for (const auto& m : c.messages) {
                if (m.state == "rejected") continue;
                if (date::sys_days{m.flight_start} > day || date::sys_days{m.flight_end} < day) continue;
                if (std::find(m.audiences.begin(), m.audiences.end(), code) == m.audiences.end()) continue;
                on_day.push_back(&m);
                departments.insert(m.department);
            }
            const bool clash = departments.size() >= 2;
            if (open && clash && open->messages == on_day) {
                open->last_day = d;
                continue;
            }
            if (open) out.push_back(std::move(*open));
            open.reset();
            if (clash) {
                conflict cf;
                cf.kind = conflict_kind::audience;
                cf.subject = code;
                cf.first_day = d;
                cf.last_day = d;
                cf.messages = std::move(on_day);
                open = std::move(cf);
            }
        }
        if (open) out.push_back(std::move(*open));
    }
    std::stable_sort(out.begin(), out.end(), [](const conflict& a, const conflict& b) {
        return date::sys_days{a.first_day} < date::sys_days{b.first_day};
    });
    return out;
}

}  // namespace loa::scheduler
