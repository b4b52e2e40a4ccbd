// iCalendar (RFC 5545) written with libical: libical builds the components, escapes TEXT values and
// gives the VTIMEZONE of each IANA zone (from the system tzdata, truncated to the years the feed
// needs, its TZID renamed to the plain IANA name). Two things loa does itself, on libical's output:
//   - CATEGORIES: libical escapes neither ',' nor ';' inside a category, so the names carry private
//     placeholders (U+E000, U+E001) that become "\," and "\;" after serialisation;
//   - folding: the output is unfolded and folded again at 75 octets, never inside a UTF-8 sequence,
//     so the guarantee does not depend on libical's folding rules.
#include "scheduler/feeds/feed.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

#include <date/tz.h>
#include <libical/ical.h>

#include "core/time/zone.hpp"
#include "scheduler/feeds/feed_text.hpp"

namespace loa::scheduler::feeds {

namespace {

constexpr const char* prodid = "-//loa//loa feeds 1//VI";
constexpr std::string_view comma_mark = "\xEE\x80\x80";      // U+E000
constexpr std::string_view semicolon_mark = "\xEE\x80\x81";  // U+E001

struct component_free {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using component_ptr = std::unique_ptr<icalcomponent, component_free>;

// libical's built-in zone table is filled lazily and shared: one lock around every use of it.
std::mutex& libical_zones_mutex() {
    static std::mutex m;
    return m;
}

void configure_libical_once() {
    static std::once_flag once;
    std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

// Text for libical: cleaned, and without the placeholders used for CATEGORIES.
std::string ics_text(std::string_view s) {
    std::string out = text::clean(s);
    for (const auto mark : {comma_mark, semicolon_mark}) {
        for (auto p = out.find(mark); p != std::string::npos; p = out.find(mark, p)) out.erase(p, mark.size());
    }
    return out;
}

// Text for a property whose value libical does not escape fully (CATEGORIES, X-WR-*: it doubles
// backslashes and writes newlines as \n, but leaves ',' and ';'): those two as placeholders, and
// with `one_line`, line breaks as spaces.
std::string marked_text(std::string_view value, bool one_line) {
    std::string out;
    for (const char c : ics_text(value)) {
        if (c == ',') {
            out += comma_mark;
        } else if (c == ';') {
            out += semicolon_mark;
        } else if (c == '\n' && one_line) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

icaltimetype utc_time(std::chrono::sys_seconds t) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                         icaltimezone_get_utc_timezone());
}

icaltimetype wall_time(date::local_seconds t) {
    const auto d = date::floor<date::days>(t);
    const date::year_month_day ymd{d};
    const date::hh_mm_ss<std::chrono::seconds> tod{t - d};
    icaltimetype out = icaltime_null_time();
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    out.hour = static_cast<int>(tod.hours().count());
    out.minute = static_cast<int>(tod.minutes().count());
    out.second = static_cast<int>(tod.seconds().count());
    out.is_date = 0;
    return out;
}

icaltimetype date_value(date::local_seconds t) {
    const date::year_month_day ymd{date::floor<date::days>(t)};
    icaltimetype out = icaltime_null_date();
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    return out;
}

// The RRULE's UNTIL as RFC 5545 3.3.10 wants it beside this DTSTART: a DATE for an all-day event,
// else a UTC time (DTSTART has a TZID). The activity form writes a date ("until 30 July"), which
// loa's own expansion (scheduler/calendar/occurrences.cpp) takes to the end of that day in the
// activity's zone, and a floating time is the zone's wall clock there too: calendar apps read it
// the same way only when it is written in UTC (a bare date beside a TZID start drops the last day's
// occurrence in some of them).
icaltimetype until_for_ics(const icaltimetype& until, bool all_day, const date::time_zone* zone) {
    const auto day = date::local_days{date::year{until.year} / until.month / until.day};
    date::local_seconds local = day + std::chrono::hours{24} - std::chrono::seconds{1};
    if (!until.is_date) {
        const auto wall = day + std::chrono::hours{until.hour} + std::chrono::minutes{until.minute} +
                          std::chrono::seconds{until.second};
        if (until.zone == nullptr) {
            local = wall;
        } else {
            // libical gives a UTC zone to a value ending in Z, the only zoned form RRULE allows.
            if (!all_day) return until;
            const date::sys_seconds instant{wall.time_since_epoch()};
            local = zone == nullptr ? date::local_seconds{instant.time_since_epoch()} : zone->to_local(instant);
        }
    }
    if (all_day) return date_value(local);
    return utc_time(core::to_sys(local, zone));
}

// libical reads the system TZif files with 32-bit times and adds an observance at 2038-01-19
// 03:14:07 UTC that changes nothing (Asia/Ho_Chi_Minh: +0700 → +0700). Observances after the first
// that neither change the offset nor recur are dropped.
void drop_non_changes(icalcomponent* vtz) {
    std::vector<icalcomponent*> observances;
    for (auto kind : {ICAL_XSTANDARD_COMPONENT, ICAL_XDAYLIGHT_COMPONENT}) {
        for (icalcomponent* c = icalcomponent_get_first_component(vtz, kind); c != nullptr;
             c = icalcomponent_get_next_component(vtz, kind)) {
            observances.push_back(c);
        }
    }
    const auto start_of = [](icalcomponent* c) { return icalcomponent_get_dtstart(c); };
    icalcomponent* first = nullptr;
    for (icalcomponent* c : observances) {
        if (first == nullptr || icaltime_compare(start_of(c), start_of(first)) < 0) first = c;
    }
    for (icalcomponent* c : observances) {
        if (c == first) continue;
        icalproperty* from = icalcomponent_get_first_property(c, ICAL_TZOFFSETFROM_PROPERTY);
        icalproperty* to = icalcomponent_get_first_property(c, ICAL_TZOFFSETTO_PROPERTY);
        const bool recurs = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) != nullptr ||
                            icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY) != nullptr;
        if (from != nullptr && to != nullptr && !recurs &&
            icalproperty_get_tzoffsetfrom(from) == icalproperty_get_tzoffsetto(to)) {
            icalcomponent_remove_component(vtz, c);
            icalcomponent_free(c);
        }
    }
}

// The zones of one calendar: each zone's VTIMEZONE (from `from`, UTC, on) once, and how to write a
// time in it. A zone libical has no VTIMEZONE for (UTC and its aliases) gets its times in UTC.
class zones {
public:
    explicit zones(std::chrono::sys_seconds from) : from_(from) {}

    // Registers `name` (throws std::runtime_error for an unknown zone).
    void use(const std::string& name) {
        (void)text::zone_or_throw(name);
        if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(name);
    }

    void add_vtimezones(icalcomponent* cal) {
        for (const auto& name : names_) {
            component_ptr vtz = vtimezone(name);
            if (vtz) {
                with_vtimezone_.insert(name);
                icalcomponent_add_component(cal, vtz.release());
            }
        }
    }

    // `prop` (a DTSTART/DTEND made from `local`) in zone `name`: TZID=name, or UTC when the zone
    // has no VTIMEZONE.
    icalproperty* at(icalproperty* (*make)(icaltimetype), date::local_seconds local, const std::string& name) const {
        if (with_vtimezone_.count(name) != 0) {
            icalproperty* p = make(wall_time(local));
            icalproperty_add_parameter(p, icalparameter_new_tzid(name.c_str()));
            return p;
        }
        const date::time_zone* z = text::zone_or_throw(name);
        return make(utc_time(z->to_sys(local, date::choose::earliest)));
    }

    // An instant `t` in zone `name`: its wall time with TZID, unless that wall time is the second
    // of a repeated hour (a DST fall-back), which RFC 5545 reads as the first: then in UTC.
    icalproperty* at_instant(icalproperty* (*make)(icaltimetype), std::chrono::sys_seconds t,
                             const std::string& name) const {
        const date::time_zone* z = text::zone_or_throw(name);
        const date::local_seconds local = z->to_local(t);
        if (z->to_sys(local, date::choose::earliest) != t) return make(utc_time(t));
        return at(make, local, name);
    }

private:
    component_ptr vtimezone(const std::string& name) const {
        std::lock_guard lock(libical_zones_mutex());
        icaltimezone* zone = icaltimezone_get_builtin_timezone(name.c_str());
        if (zone == nullptr) {
            // date/tz knows the zone (use() checked) but libical does not: write UTC times.
            return nullptr;
        }
        icalcomponent* builtin = icaltimezone_get_component(zone);
        if (builtin == nullptr) return nullptr;
        component_ptr vtz{icalcomponent_new_clone(builtin)};
        // From 1 January of the first year the calendar needs (a day earlier, for the zone's offset).
        const auto y = date::year_month_day{date::floor<date::days>(from_ - std::chrono::hours{24})}.year();
        const auto jan1 = std::chrono::sys_seconds{date::sys_days{y / date::January / 1}};
        icaltimezone_truncate_vtimezone(vtz.get(), utc_time(jan1), icaltime_null_time(), 0);
        drop_non_changes(vtz.get());
        if (icalproperty* tzid = icalcomponent_get_first_property(vtz.get(), ICAL_TZID_PROPERTY)) {
            icalproperty_set_tzid(tzid, name.c_str());
        }
        return vtz;
    }

    std::chrono::sys_seconds from_;
    std::vector<std::string> names_;
    std::set<std::string> with_vtimezone_;
};

component_ptr new_calendar(const std::string& name, const std::string& description, const std::string& zone) {
    component_ptr cal{icalcomponent_new(ICAL_VCALENDAR_COMPONENT)};
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid(prodid));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
    const auto x = [&](const char* prop, const std::string& value) {
        icalproperty* p = icalproperty_new_x(marked_text(value, false).c_str());
        icalproperty_set_x_name(p, prop);
        icalcomponent_add_property(cal.get(), p);
    };
    x("X-WR-CALNAME", name);
    if (!description.empty()) x("X-WR-CALDESC", description);
    if (!zone.empty()) x("X-WR-TIMEZONE", zone);
    x("X-PUBLISHED-TTL", "PT1H");
    if (icalproperty* p = icalproperty_new_from_string("REFRESH-INTERVAL;VALUE=DURATION:PT1H")) {
        icalcomponent_add_property(cal.get(), p);
    }
    return cal;
}

void add_text(icalcomponent* ev, icalproperty* (*make)(const char*), const std::string& value) {
    if (value.empty()) return;
    icalcomponent_add_property(ev, make(ics_text(value).c_str()));
}

void add_categories(icalcomponent* ev, const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) {
        const std::string v = marked_text(n, true);
        if (v.empty()) continue;
        if (!list.empty()) list += ',';
        list += v;
    }
    if (!list.empty()) icalcomponent_add_property(ev, icalproperty_new_categories(list.c_str()));
}

// One pass (replacing in place would move the rest of the calendar once per fold).
void replace_all(std::string& s, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, i)) {
        out.append(s, i, p - i);
        out += to;
        i = p + from.size();
    }
    out.append(s, i, std::string::npos);
    s = std::move(out);
}

// Content lines of at most 75 octets (CRLF not counted), continuation lines starting with a space,
// never breaking inside a UTF-8 sequence.
std::string fold(std::string_view unfolded) {
    std::string out;
    out.reserve(unfolded.size() + unfolded.size() / 32);
    std::size_t start = 0;
    while (start < unfolded.size()) {
        auto end = unfolded.find("\r\n", start);
        if (end == std::string_view::npos) end = unfolded.size();
        std::string_view line = unfolded.substr(start, end - start);
        bool first = true;
        while (true) {
            const std::size_t room = first ? 75 : 74;
            if (!first) out += ' ';
            if (line.size() <= room) {
                out += line;
                break;
            }
            std::size_t cut = room;
            while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
            out += line.substr(0, cut);
            out += "\r\n";
            line.remove_prefix(cut);
            first = false;
        }
        out += "\r\n";
        start = end + 2;
    }
    return out;
}

std::string serialise(icalcomponent* cal) {
    char* raw = icalcomponent_as_ical_string_r(cal);
    if (raw == nullptr) throw std::runtime_error("feeds: libical could not serialise the calendar");
    std::string s{raw};
    std::free(raw);  // NOLINT(cppcoreguidelines-no-malloc): libical's _r functions return malloc'd memory
    // Unfold libical's folding, put the escaped CATEGORIES separators in, fold again.
    replace_all(s, "\r\n ", "");
    replace_all(s, "\r\n\t", "");
    replace_all(s, comma_mark, "\\,");
    replace_all(s, semicolon_mark, "\\;");
    return fold(s);
}

std::chrono::sys_seconds first_instant(std::chrono::sys_seconds fallback, const std::vector<schedule_item>& items) {
    std::chrono::sys_seconds m = fallback;
    for (const auto& it : items) m = std::min(m, it.start);
    return m;
}

}  // namespace

std::string render_ics(const outlet_feed& f) {
    configure_libical_once();
    const std::string lang = text::feed_language(f);
    (void)text::zone_or_throw(f.time_zone);
    zones zs{first_instant(f.window_from, f.items)};
    for (const auto& it : f.items) zs.use(it.time_zone);

    component_ptr cal = new_calendar(text::outlet_feed_title(f, lang), text::outlet_feed_subtitle(f, lang), f.time_zone);
    zs.add_vtimezones(cal.get());
    for (const auto& it : f.items) {
        icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(ics_text(text::placement_uid(f.links, it)).c_str()));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(it.updated)));
        icalcomponent_add_property(ev, zs.at_instant(icalproperty_new_dtstart, it.start, it.time_zone));
        icalcomponent_add_property(
            ev, zs.at_instant(icalproperty_new_dtend, it.start + std::chrono::seconds{it.duration_s}, it.time_zone));
        add_text(ev, icalproperty_new_summary, text::item_title(it, lang));
        add_text(ev, icalproperty_new_description, text::item_content(it, lang));
        std::vector<std::string> cats;
        for (const auto& c : text::categories(f.links, it, lang)) cats.push_back(c.label);
        add_categories(ev, cats);
        icalcomponent_add_property(ev, icalproperty_new_sequence(it.sequence));
        icalcomponent_add_property(
            ev, icalproperty_new_status(it.state == "cancelled" ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
        if (it.make_good_of) {
            // A make-good names the missed airing it makes up for (RFC 5545 RELATED-TO, by its UID).
            icalproperty* rel = icalproperty_new_relatedto(
                ics_text(text::placement_uid(f.links, *it.make_good_of, it.campaign_slug)).c_str());
            icalproperty_add_parameter(rel, icalparameter_new_reltype(ICAL_RELTYPE_SIBLING));
            icalcomponent_add_property(ev, rel);
        }
        icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_time(it.updated)));
        add_text(ev, icalproperty_new_url, f.links.html);
        // An airing does not make the subscriber busy.
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        icalcomponent_add_component(cal.get(), ev);
    }
    return serialise(cal.get());
}

std::string render_ics(const campaign_events& f) {
    configure_libical_once();
    std::chrono::sys_seconds from = std::chrono::sys_seconds::max();
    for (const auto& it : f.items) {
        from = std::min(from, std::chrono::sys_seconds{it.start.time_since_epoch()});
    }
    if (f.items.empty()) from = std::chrono::sys_seconds{};
    zones zs{from};
    for (const auto& it : f.items) {
        if (!it.all_day) zs.use(it.time_zone);
    }
    const std::string title = f.title.vi.empty() ? f.campaign_slug : f.title.vi;
    component_ptr cal = new_calendar("Lịch hoạt động · " + title, title, f.time_zone);
    zs.add_vtimezones(cal.get());
    for (const auto& it : f.items) {
        icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(ics_text(text::activity_uid(f, it)).c_str()));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(it.updated)));
        if (it.all_day) {
            icalcomponent_add_property(ev, icalproperty_new_dtstart(date_value(it.start)));
            icalcomponent_add_property(ev, icalproperty_new_dtend(date_value(it.end)));
        } else {
            icalcomponent_add_property(ev, zs.at(icalproperty_new_dtstart, it.start, it.time_zone));
            icalcomponent_add_property(ev, zs.at(icalproperty_new_dtend, it.end, it.time_zone));
        }
        if (!it.rrule.empty()) {
            icalerror_clear_errno();
            icalrecurrencetype rt = icalrecurrencetype_from_string(it.rrule.c_str());
            if (rt.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR) {
                if (!icaltime_is_null_time(rt.until))
                    rt.until = until_for_ics(rt.until, it.all_day, core::find_zone(it.time_zone));
                icalcomponent_add_property(ev, icalproperty_new_rrule(rt));
            }
            icalerror_clear_errno();
        }
        add_text(ev, icalproperty_new_summary, text::event_summary(it));
        add_text(ev, icalproperty_new_description, text::event_description(it));
        add_text(ev, icalproperty_new_location, text::event_location(it));
        std::vector<std::string> cats;
        if (!it.department_name.vi.empty()) cats.push_back(it.department_name.vi);
        for (const auto& a : it.audiences) cats.push_back(a.name.vi);
        add_categories(ev, cats);
        icalcomponent_add_property(ev, icalproperty_new_sequence(it.sequence));
        icalcomponent_add_property(ev, icalproperty_new_status(it.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
        icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_time(it.updated)));
        add_text(ev, icalproperty_new_url, f.links.html);
        icalcomponent_add_component(cal.get(), ev);
    }
    return serialise(cal.get());
}

}  // namespace loa::scheduler::feeds
