// Calendar query checking and occurrence rendering (docs/api.md, "calendar").
#include "server/handlers/calendar_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <date/tz.h>

#include "core/time/zone.hpp"
#include "server/handlers/campaigns_json.hpp"

namespace loa::handlers {

namespace json = boost::json;

namespace {

constexpr std::string_view known_params[] = {"department", "from", "to"};

bool is_known(std::string_view name) {
    return std::find(std::begin(known_params), std::end(known_params), name) != std::end(known_params);
}

// In a query string "+" means a space, so an offset typed unescaped (…T08:00+07:00) arrives as
// "…T08:00 07:00": a space after the date is read as the sign it was.
std::string plus_for_space(std::string_view text) {
    std::string fixed(text);
    if (const auto space = fixed.rfind(' '); space != std::string::npos && space > 10) fixed[space] = '+';
    return fixed;
}

// A point in time from a `from`/`to` value. A bare date means the start of that day, or for an
// inclusive end (`to`) the start of the next one.
std::optional<core::sys_seconds> parse_bound(std::string_view text, const date::time_zone* zone,
                                             bool inclusive_end) {
    if (const auto day = core::iso_day(text)) {
        auto midnight = date::local_days{*day};
        if (inclusive_end) midnight += date::days{1};
        return core::to_sys(date::local_seconds{midnight}, zone);
    }
    // Only date-times from here: a bare date that failed above (2024-02-30) must not sneak in.
    if (text.size() <= 10) return std::nullopt;
    return core::parse_iso8601_instant(plus_for_space(text), zone);
}

// The error of a `from`/`to` value parse_bound refused: a date or time that does not exist is said
// in words (2024-02-30: February 2024 has 29 days), anything else gets the forms wanted.
std::string bound_problem(std::string_view text, const char* forms) {
    if (const auto why = core::iso8601_problem(plus_for_space(text))) return "'" + std::string(text) + "': " + *why;
    return "'" + std::string(text) + "' is not a date: " + forms;
}

std::string department_list(const core::campaign& c) {
    std::string out;
    for (const auto& d : c.departments) {
        if (!out.empty()) out += ", ";
        out += d.code;
    }
    return out;
}

const char* visibility_name(core::visibility v) {
    return v == core::visibility::internal ? "internal" : "public";
}

}  // namespace

boost::system::result<calendar_query, std::vector<invalid_param>> parse_calendar_query(
    const core::campaign& c, const query_params& params) {
    const date::time_zone* zone = core::find_zone(c.time_zone);
    if (zone == nullptr) throw std::runtime_error("campaign '" + c.slug + "' has an unknown time zone");

    std::vector<invalid_param> invalid;
    auto complain = [&](std::string name, std::string reason) {
        // One complaint per parameter: the first is the one worth fixing.
        for (const auto& p : invalid)
            if (p.name == name) return;
        invalid.push_back({std::move(name), std::move(reason)});
    };

    std::optional<std::string> department, from_text, to_text;
    for (const auto& [name, value] : params) {
        if (!is_known(name)) {
            complain(name, "unknown parameter (this resource takes department, from and to)");
            continue;
        }
        auto& slot = name == "department" ? department : name == "from" ? from_text : to_text;
        if (slot) {
            complain(name, "given more than once");
            continue;
        }
        slot = value;
    }
    // An empty value is the same as leaving the parameter out (forms send empty fields).
    for (auto* slot : {&department, &from_text, &to_text})
        if (slot->has_value() && (*slot)->empty()) slot->reset();

    calendar_query q;
    if (department) {
        const bool known = std::any_of(c.departments.begin(), c.departments.end(),
                                       [&](const core::department& d) { return d.code == *department; });
        if (known)
            q.department = *department;
        else
            complain("department", "unknown department '" + *department + "' (this campaign has: " +
                                       department_list(c) + ")");
    }

    const auto campaign_start = core::to_sys(date::local_seconds{date::local_days{c.period_start}}, zone);
    const auto campaign_end =
        core::to_sys(date::local_seconds{date::local_days{c.period_end} + date::days{1}}, zone);
    constexpr const char* forms = "expected YYYY-MM-DD or an ISO 8601 date-time such as 2024-07-01T08:00:00+07:00";

    std::optional<core::sys_seconds> from = campaign_start;
    std::optional<core::sys_seconds> to = campaign_end;
    if (from_text) {
        from = parse_bound(*from_text, zone, false);
        if (!from) complain("from", bound_problem(*from_text, forms));
    }
    if (to_text) {
        to = parse_bound(*to_text, zone, true);
        if (!to) complain("to", bound_problem(*to_text, forms));
    }
    if (from && to) {
        // Blame a bound the client chose: `to` when given, else `from`.
        const std::string culprit = to_text ? "to" : "from";
        if (*to <= *from) {
            complain(culprit, "the window is empty: to (" + core::format_iso8601(*to, zone) +
                                  ") must be after from (" + core::format_iso8601(*from, zone) + ")");
        } else if (*to - *from > max_calendar_window) {
            complain(culprit, "the window from " + core::format_iso8601(*from, zone) + " to " +
                                  core::format_iso8601(*to, zone) + " is longer than " +
                                  std::to_string(max_calendar_window.count()) + " days");
        }
        q.from = *from;
        q.to = *to;
    }

    if (!invalid.empty()) return invalid;
    return q;
}

scheduler::occurrence_query to_occurrence_query(const calendar_query& q) {
    scheduler::occurrence_query oq;
    oq.from = q.from;
    oq.to = q.to;
    oq.department = q.department;
    // Public, unauthenticated API: never show internal activities (e.g. police inspections).
    oq.include_internal = false;
    oq.limit = max_calendar_occurrences + 1;
    return oq;
}

json::object occurrence_json(const scheduler::occurrence& o, const date::time_zone* zone) {
    const core::activity& a = *o.activity;
    json::array audiences;
    for (const auto& code : a.audiences) audiences.emplace_back(code);
    return {
        {"activity", a.id},
        {"department", a.department},
        {"kind", a.kind},
        {"title", localized_json(a.title)},
        {"description", optional_localized_json(a.description)},
        {"start", core::format_iso8601(o.start, zone)},
        {"end", core::format_iso8601(o.end, zone)},
        {"all_day", a.all_day},
        {"location", optional_localized_json(a.location)},
        {"audiences", std::move(audiences)},
        {"visibility", visibility_name(a.vis)},
        {"recurring", !a.rrule.empty()},
    };
}

json::object calendar_json(const core::campaign& c, const calendar_query& q,
                           const std::vector<scheduler::occurrence>& occurrences) {
    const date::time_zone* zone = core::find_zone(c.time_zone);
    if (zone == nullptr) throw std::runtime_error("campaign '" + c.slug + "' has an unknown time zone");

    const std::size_t n = std::min(occurrences.size(), max_calendar_occurrences);
    json::array items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.emplace_back(occurrence_json(occurrences[i], zone));

    return {
        {"campaign", c.slug},
        {"time_zone", c.time_zone},
        {"from", core::format_iso8601(q.from, zone)},
        {"to", core::format_iso8601(q.to, zone)},
        {"department", q.department.empty() ? json::value(nullptr) : json::value(q.department)},
        {"occurrences", std::move(items)},
        {"truncated", occurrences.size() > max_calendar_occurrences},
    };
}

boost::system::result<json::object, std::vector<invalid_param>> calendar_response(const core::campaign& c,
                                                                                  const query_params& params) {
    auto q = parse_calendar_query(c, params);
    if (!q) return q.error();
    const auto occurrences = scheduler::expand_occurrences(c, to_occurrence_query(*q));
    return calendar_json(c, *q, occurrences);
}

}  // namespace loa::handlers
