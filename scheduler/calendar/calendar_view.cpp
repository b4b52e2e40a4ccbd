// Calendar pages: day ranges per view, occurrences placed on the local days they touch, conflicts marked.
#include "scheduler/calendar/calendar_view.hpp"

#include <algorithm>
#include <utility>

#include <date/tz.h>

namespace loa::scheduler {

namespace {

using date::local_days;
using date::sys_days;

date::local_seconds to_local(core::sys_seconds t, const date::time_zone* zone) {
    const auto offset = zone == nullptr ? std::chrono::seconds{0} : zone->get_info(t).offset;
    return date::local_seconds{t.time_since_epoch() + offset};
}

core::calendar_date add_days(core::calendar_date d, int n) {
    return core::calendar_date{sys_days{d} + date::days{n}};
}

core::calendar_date monday_of(core::calendar_date d) {
    const date::weekday wd{sys_days{d}};
    return add_days(d, -static_cast<int>(wd.iso_encoding() - 1));
}

core::calendar_date first_of_month(core::calendar_date d) {
    return d.year() / d.month() / 1;
}

core::calendar_date last_of_month(core::calendar_date d) {
    return core::calendar_date{d.year() / d.month() / date::last};
}

bool has_audience(const core::activity& a, std::string_view code) {
    return std::find(a.audiences.begin(), a.audiences.end(), code) != a.audiences.end();
}

bool same_occurrence(const occurrence& a, const occurrence& b) {
    return a.activity == b.activity && a.start == b.start;
}

}  // namespace

std::optional<calendar_view> parse_calendar_view(std::string_view name) noexcept {
    if (name == "month") return calendar_view::month;
    if (name == "week") return calendar_view::week;
    if (name == "day") return calendar_view::day;
    if (name == "agenda") return calendar_view::agenda;
    return std::nullopt;
}

std::string_view calendar_view_name(calendar_view v) noexcept {
    switch (v) {
        case calendar_view::month:
            return "month";
        case calendar_view::week:
            return "week";
        case calendar_view::day:
            return "day";
        case calendar_view::agenda:
            return "agenda";
    }
    return "month";
}

day_range view_range(calendar_view view, core::calendar_date d) {
    switch (view) {
        case calendar_view::month: {
            const core::calendar_date last = last_of_month(d);
            const date::weekday last_wd{sys_days{last}};
            return {monday_of(first_of_month(d)),
                    add_days(last, static_cast<int>(7 - last_wd.iso_encoding()))};
        }
        case calendar_view::week: {
            const core::calendar_date monday = monday_of(d);
            return {monday, add_days(monday, 6)};
        }
        case calendar_view::day:
            return {d, d};
        case calendar_view::agenda:
            return {first_of_month(d), last_of_month(d)};
    }
    return {d, d};
}

calendar_page build_calendar(const core::campaign& c, const calendar_request& r) {
    calendar_page page;
    page.view = r.view;
    page.date = r.date;
    const auto [first, last] = view_range(r.view, r.date);
    page.first = first;
    page.last = last;
    switch (r.view) {
        case calendar_view::month:
        case calendar_view::agenda: {
            const date::year_month ym = r.date.year() / r.date.month();
            page.prev = (ym - date::months{1}) / 1;
            page.next = (ym + date::months{1}) / 1;
            break;
        }
        case calendar_view::week:
            page.prev = add_days(r.date, -7);
            page.next = add_days(r.date, 7);
            break;
        case calendar_view::day:
            page.prev = add_days(r.date, -1);
            page.next = add_days(r.date, 1);
            break;
    }

    const date::time_zone* zone = core::find_zone(c.time_zone);
    occurrence_query q;
    q.from = core::to_sys(date::local_seconds{local_days{first}}, zone);
    q.to = core::to_sys(date::local_seconds{local_days{last} + date::days{1}}, zone);
    q.department = r.department;
    q.include_internal = true;
    q.limit = r.limit + 1;
    std::vector<occurrence> all = expand_occurrences(c, q);
    std::vector<occurrence> shown;
    for (const auto& o : all) {
        if (!r.kind.empty() && o.activity->kind != r.kind) continue;
        if (!r.audience.empty() && !has_audience(*o.activity, r.audience)) continue;
        shown.push_back(o);
    }
    if (shown.size() > r.limit) {
        page.truncated = true;
        shown.resize(r.limit);
    }

    if (r.with_conflicts) {
        std::vector<occurrence> live;
        for (const auto& o : shown) {
            if (!r.cancelled.contains(o.activity->id)) live.push_back(o);
        }
        page.conflicts = find_activity_conflicts(c, live, zone);
        auto audience = find_audience_conflicts(c, first, last, r.audience);
        page.conflicts.insert(page.conflicts.end(), std::make_move_iterator(audience.begin()),
                              std::make_move_iterator(audience.end()));
        std::stable_sort(page.conflicts.begin(), page.conflicts.end(),
                         [](const conflict& a, const conflict& b) {
                             return sys_days{a.first_day} < sys_days{b.first_day};
                         });
    }

    for (sys_days day{first}; day <= sys_days{last}; day += date::days{1}) {
        calendar_day cd;
        cd.date = core::calendar_date{day};
        cd.in_range = r.view != calendar_view::month || cd.date.month() == r.date.month();
        const local_days local{day.time_since_epoch()};
        const core::sys_seconds day_start = core::to_sys(date::local_seconds{local}, zone);
        const core::sys_seconds day_end = core::to_sys(date::local_seconds{local + date::days{1}}, zone);
        for (const auto& o : shown) {
            if (o.start >= day_end) continue;
            const bool touches = o.end > day_start || (o.end == o.start && o.start >= day_start);
            if (!touches) continue;
            calendar_entry e;
            e.occ = o;
            e.local_start = to_local(o.start, zone);
            e.local_end = to_local(o.end, zone);
            e.continued = o.start < day_start;
            e.continues = o.end > day_end;
            e.cancelled = r.cancelled.contains(o.activity->id);
            e.internal = o.activity->vis == core::visibility::internal;
            for (std::size_t k = 0; k < page.conflicts.size(); ++k) {
                const auto& occs = page.conflicts[k].occurrences;
                if (std::any_of(occs.begin(), occs.end(),
                                [&](const occurrence& x) { return same_occurrence(x, o); }))
                    e.conflicts.push_back(k);
            }
            cd.entries.push_back(std::move(e));
        }
        for (std::size_t k = 0; k < page.conflicts.size(); ++k) {
            const auto& cf = page.conflicts[k];
            if (sys_days{cf.first_day} <= day && day <= sys_days{cf.last_day}) cd.conflicts.push_back(k);
        }
        if (r.view == calendar_view::agenda && cd.entries.empty() && cd.conflicts.empty()) continue;
        page.days.push_back(std::move(cd));
    }
    return page;
}

}  // namespace loa::scheduler
