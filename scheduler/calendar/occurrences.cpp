// Recurrence expansion: libical iterates wall-clock (floating) starts; date/tz turns each into an instant.
#include "scheduler/calendar/occurrences.hpp"

#include <algorithm>
#include <string>

#include <date/tz.h>
#include <libical/ical.h>

#include "core/time/rrule.hpp"

namespace loa::scheduler {

namespace {

using core::sys_seconds;
using date::local_seconds;

// Protects a request against rules that produce occurrences for centuries before the window.
constexpr std::size_t max_iterations = 200000;

icaltimetype to_ical(local_seconds t) {
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> tod{t - day};
    icaltimetype r = icaltime_null_time();
    r.year = static_cast<int>(ymd.year());
    r.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    r.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    r.hour = static_cast<int>(tod.hours().count());
    r.minute = static_cast<int>(tod.minutes().count());
    r.second = static_cast<int>(tod.seconds().count());
    r.is_date = 0;
    r.zone = nullptr;  // floating: DST is applied by us, per occurrence
    return r;
}

std::chrono::seconds time_of_day(const icaltimetype& t) {
    return std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} + std::chrono::seconds{t.second};
}

date::local_days day_of(const icaltimetype& t) {
    return date::local_days{date::year{t.year} / date::month{static_cast<unsigned>(t.month)} /
                            date::day{static_cast<unsigned>(t.day)}};
}

local_seconds to_local(sys_seconds t, const date::time_zone* zone) {
    const auto offset = zone == nullptr ? std::chrono::seconds{0} : zone->get_info(t).offset;
    return local_seconds{t.time_since_epoch() + offset};
}

// UNTIL as a floating local time comparable with floating occurrences. RFC 5545: a date UNTIL
// keeps every occurrence on that day; a UTC date-time is an instant, seen on the activity's
// wall clock; a local date-time is already on that clock.
local_seconds until_as_local(const icaltimetype& until, const date::time_zone* zone) {
    if (until.is_date) return local_seconds{day_of(until)} + std::chrono::hours{24} - std::chrono::seconds{1};
    if (until.zone != nullptr) {
        // libical gives a UTC zone to values that end in Z (the only zoned form RRULE allows).
        const sys_seconds instant{(day_of(until) + time_of_day(until)).time_since_epoch()};
        return to_local(instant, zone);
    }
    return day_of(until) + time_of_day(until);
}

bool overlaps(sys_seconds start, sys_seconds end, const occurrence_query& q) {
    if (start >= q.to) return false;
    // An instantaneous activity has no end after its start; keep it when it starts in the window.
    return end > q.from || (end == start && start >= q.from);
}

class expander {
public:
    expander(const core::activity& act, const date::time_zone* zone, const occurrence_query& q,
             std::vector<occurrence>& out)
        : act_(act),
          zone_(zone),
          q_(q),
          out_(out),
          duration_(std::max(act.end - act.start, local_seconds::duration{0})) {}

    void run() {
        if (act_.rrule.empty() || core::check_rrule(act_.rrule, act_.start).has_value() || !expand_rule()) {
            // No rule, or one that validation should have stopped: DTSTART is the one sure occurrence.
            add(act_.start);
        }
    }

private:
    // Returns false when libical could not start iterating, before anything was added.
    bool expand_rule() {
        std::string upper = act_.rrule;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
        icalerror_clear_errno();
        icalrecurrencetype rule = icalrecurrencetype_from_string(upper.c_str());
        if (rule.freq == ICAL_NO_RECURRENCE) {
            icalerror_clear_errno();
            return false;
        }

        // No occurrence starting after the window matters, so UNTIL is pulled in to just past it
        // (a day of margin covers any UTC offset); this also bounds libical's inner search loops
        // for rules that rarely match. COUNT still counts from DTSTART, so it is unaffected.
        const local_seconds cap = to_local(q_.to, zone_) + date::days{2};
        local_seconds until = cap;
        if (!icaltime_is_null_time(rule.until)) until = std::min(until, until_as_local(rule.until, zone_));
        rule.until = to_ical(until);

        icalrecur_iterator* it = icalrecur_iterator_new(rule, to_ical(skip_ahead(rule)));
        if (it == nullptr) {
            if (rule.rscale != nullptr) icalmemory_free_buffer(rule.rscale);
            icalerror_clear_errno();
            return false;
        }
        std::size_t added = 0;
        for (std::size_t i = 0; i < max_iterations && added < q_.limit; ++i) {
            const icaltimetype next = icalrecur_iterator_next(it);
            if (icaltime_is_null_time(next)) break;
            const local_seconds local_start = day_of(next) + time_of_day(next);
            if (to_sys(local_start) >= q_.to) break;
            if (add(local_start)) ++added;
        }
        icalrecur_iterator_free(it);
        if (rule.rscale != nullptr) icalmemory_free_buffer(rule.rscale);
        icalerror_clear_errno();
        return true;
    }

    // A DTSTART moved forward by whole periods of the rule, to just before the window. Without it
    // an hourly or daily rule that started years earlier walks every period in between, and with
    // ICU behind libical's calendar arithmetic that costs seconds. Only fixed-length periods
    // (floating hours, days, weeks) move the grid exactly; COUNT needs every occurrence from the
    // real DTSTART. Occurrences of the original series that precede the moved DTSTART end before
    // the window, so nothing visible changes.
    local_seconds skip_ahead(const icalrecurrencetype& rule) const {
        std::chrono::seconds period{0};
        if (rule.freq == ICAL_HOURLY_RECURRENCE) period = std::chrono::hours{1};
        if (rule.freq == ICAL_DAILY_RECURRENCE) period = date::days{1};
        if (rule.freq == ICAL_WEEKLY_RECURRENCE) period = date::weeks{1};
        period *= std::max<int>(rule.interval, 1);
        const local_seconds needed_from = to_local(q_.from, zone_) - duration_ - date::days{2};
        if (rule.count != 0 || period.count() == 0 || needed_from <= act_.start) return act_.start;
        return act_.start + ((needed_from - act_.start) / period) * period;
    }

    sys_seconds to_sys(local_seconds t) const { return core::to_sys(t, zone_); }

    bool add(local_seconds local_start) {
        const sys_seconds start = to_sys(local_start);
        const sys_seconds end = to_sys(local_start + duration_);
        if (!overlaps(start, end, q_)) return false;
        out_.push_back(occurrence{&act_, start, std::max(start, end)});
        return true;
    }

    const core::activity& act_;
    const date::time_zone* zone_;
    const occurrence_query& q_;
    std::vector<occurrence>& out_;
    local_seconds::duration duration_;
};

}  // namespace

std::vector<occurrence> expand_occurrences(const core::campaign& c, const occurrence_query& q) {
    std::vector<occurrence> out;
    if (q.limit == 0 || q.to <= q.from) return out;

    // An unknown zone (validation reports it) falls back to the campaign's, then to UTC.
    const date::time_zone* campaign_zone = core::find_zone(c.time_zone);
    for (const auto& act : c.activities) {
        if (!q.department.empty() && act.department != q.department) continue;
        if (!q.include_internal && act.vis == core::visibility::internal) continue;
        const date::time_zone* zone = campaign_zone;
        if (!act.time_zone.empty()) {
            if (const auto* own = core::find_zone(act.time_zone)) zone = own;
        }
        // Each activity yields its occurrences in order and stops at q.limit, so the earliest
        // q.limit overall are among what is collected here.
        expander(act, zone, q, out).run();
    }

    std::stable_sort(out.begin(), out.end(), [](const occurrence& a, const occurrence& b) {
        if (a.start != b.start) return a.start < b.start;
        return a.activity->id < b.activity->id;
    });
    if (out.size() > q.limit) out.resize(q.limit);
    return out;
}

}  // namespace loa::scheduler
