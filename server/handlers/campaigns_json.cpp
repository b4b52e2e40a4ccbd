// Campaign, department and outlet resources as JSON values.
#include "server/handlers/campaigns_json.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "core/time/iso8601.hpp"

namespace loa::handlers {

namespace json = boost::json;

namespace {

json::array string_array(const std::vector<std::string>& items) {
    json::array out;
    out.reserve(items.size());
    for (const auto& s : items) out.emplace_back(s);
    return out;
}

json::value string_or_null(const std::string& s) {
    if (s.empty()) return nullptr;
    return json::value(s);
}

json::object period_json(core::calendar_date start, core::calendar_date end) {
    return {{"start", format_date(start)}, {"end", format_date(end)}};
}

json::array weekdays_json(std::uint8_t bits) {
    json::array out;
    for (unsigned i = 0; i < std::size(core::weekday_names); ++i)
        if ((bits >> i) & 1U) out.emplace_back(core::weekday_names[i]);
    return out;
}

json::object daypart_json(const core::daypart& d) {
    return {
        {"code", d.code},
        {"name", localized_json(d.name)},
        {"days", weekdays_json(d.weekdays)},
        {"start", format_time_of_day(d.start)},
        {"end", format_time_of_day(d.end)},
        // The model's rule (docs/campaign-format.md): an end at or before the start is the next day.
        {"crosses_midnight", d.end <= d.start},
        {"weight", number_json(d.weight)},
    };
}

// A wall-clock date-time as the campaign file writes it, "YYYY-MM-DDTHH:MM" (":SS" only when set).
std::string format_local_time(core::local_time t) {
    const auto day = date::floor<date::days>(t);
    const date::hh_mm_ss tod{t - day};
    std::string out =
        format_date(core::calendar_date{day}) + "T" +
        format_time_of_day(std::chrono::duration_cast<std::chrono::minutes>(tod.hours() + tod.minutes()));
    if (tod.seconds().count() != 0) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(tod.seconds().count()));
        out += buf;
    }
    return out;
}

json::object blackout_json(const core::blackout& b) {
    return {
        {"start", format_local_time(b.start)},
        {"end", format_local_time(b.end)},
        {"reason", optional_localized_json(b.reason)},
    };
}

json::object break_rule_json(const core::break_rule& b) {
    json::object out;
    out["minute"] = b.minute ? json::value(*b.minute) : json::value(nullptr);
    out["at"] = b.at ? json::value(format_time_of_day(*b.at)) : json::value(nullptr);
    out["seconds"] = b.seconds;
    out["dayparts"] = string_array(b.dayparts);
    return out;
}

}  // namespace

json::value localized_json(const core::localized& text) {
    return json::object{{"vi", text.vi}, {"en", string_or_null(text.en)}};
}

json::value optional_localized_json(const core::localized& text) {
    if (text.vi.empty() && text.en.empty()) return nullptr;
    return localized_json(text);
}

std::string format_date(core::calendar_date d) {
    return core::iso_date(d);
}

std::string format_time_of_day(std::chrono::minutes m) {
    const auto total = m.count();
    char buf[48];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
    return buf;
}

json::value number_json(double x) {
    // Boost.JSON writes every double in exponent form (3E0); weights are mostly whole numbers
    // and read better as 3.
    if (std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 9.0e15)
        return json::value(static_cast<std::int64_t>(x));
    return json::value(x);
}

json::object campaign_links(const std::string& slug) {
    const std::string self = "/api/v1/campaigns/" + slug;
    return {
        {"self", self},
        {"departments", self + "/departments"},
        {"outlets", self + "/outlets"},
        {"calendar", self + "/calendar"},
    };
}

json::object campaign_summary_json(const core::campaign_summary& s) {
    return {
        {"slug", s.slug},
        {"title", localized_json(s.title)},
        {"theme", localized_json(s.theme)},
        {"period", period_json(s.period_start, s.period_end)},
        {"time_zone", s.time_zone},
        {"links", campaign_links(s.slug)},
    };
}

json::object campaign_list_json(const std::vector<core::campaign_summary>& list) {
    json::array items;
    items.reserve(list.size());
    for (const auto& s : list) items.emplace_back(campaign_summary_json(s));
    return {{"campaigns", std::move(items)}};
}

json::object campaign_detail_json(const core::campaign& c) {
    json::array key_dates;
    for (const auto& k : c.key_dates)
        key_dates.emplace_back(json::object{
            {"date", format_date(k.date)}, {"name", localized_json(k.name)}, {"weight", number_json(k.weight)}});

    json::array audiences;
    for (const auto& a : c.audiences)
        audiences.emplace_back(json::object{{"code", a.code}, {"name", localized_json(a.name)}});

    json::array hotlines;
    for (const auto& h : c.hotlines)
        hotlines.emplace_back(
            json::object{{"number", h.number}, {"name", localized_json(h.name)}, {"hours", string_or_null(h.hours)}});

    // The read API is public: internal activities (police inspections) are neither listed nor
    // counted, so the count matches what the calendar can show.
    std::int64_t public_activities = 0;
    for (const auto& a : c.activities)
        if (a.vis == core::visibility::public_) ++public_activities;

    return {
        {"slug", c.slug},
        {"title", localized_json(c.title)},
        {"theme", localized_json(c.theme)},
        {"description", optional_localized_json(c.description)},
        {"period", period_json(c.period_start, c.period_end)},
        {"time_zone", c.time_zone},
        {"key_dates", std::move(key_dates)},
        {"audiences", std::move(audiences)},
        {"hotlines", std::move(hotlines)},
        {"planning", {{"separate_departments", c.planning.separate_departments}}},
        {"counts",
         {
             {"departments", static_cast<std::int64_t>(c.departments.size())},
             {"activities", public_activities},
             {"outlets", static_cast<std::int64_t>(c.outlets.size())},
             {"messages", static_cast<std::int64_t>(c.messages.size())},
         }},
        {"links", campaign_links(c.slug)},
    };
}

json::object department_json(const core::department& d) {
    json::array duties;
    duties.reserve(d.duties.size());
    for (const auto& duty : d.duties) duties.push_back(localized_json(duty));
    return {{"code", d.code}, {"name", localized_json(d.name)}, {"duties", std::move(duties)}};
}

json::object departments_json(const core::campaign& c) {
    json::array items;
    items.reserve(c.departments.size());
    for (const auto& d : c.departments) items.emplace_back(department_json(d));
    return {{"campaign", c.slug}, {"departments", std::move(items)}};
}

json::object outlet_json(const core::outlet& o) {
    json::array dayparts;
    for (const auto& d : o.dayparts) dayparts.emplace_back(daypart_json(d));
    json::array clock;
    for (const auto& b : o.break_clock) clock.emplace_back(break_rule_json(b));
    json::array blackouts;
    for (const auto& b : o.blackouts) blackouts.emplace_back(blackout_json(b));
    return {
        {"slug", o.slug},
        {"name", localized_json(o.name)},
        {"kind", o.kind},
        {"department", string_or_null(o.department)},
        {"time_zone", o.time_zone},
        {"languages", string_array(o.languages)},
        {"lead_time_hours", o.lead_time_hours},
        {"freeze_hours", o.freeze_hours},
        {"dayparts", std::move(dayparts)},
        {"break_clock", std::move(clock)},
        {"blackouts", std::move(blackouts)},
    };
}

json::object outlets_json(const core::campaign& c) {
    json::array items;
    items.reserve(c.outlets.size());
    for (const auto& o : c.outlets) items.emplace_back(outlet_json(o));
    return {{"campaign", c.slug}, {"outlets", std::move(items)}};
}

}  // namespace loa::handlers
