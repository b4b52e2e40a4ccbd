// The activity form without I/O: parse, check, and the template's data (values kept, errors beside fields).
#include "server/handlers/activity_form.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "core/domain/limits.hpp"
#include "core/text/unicode.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"

namespace loa::handlers {

namespace {

// core/domain/limits.hpp, as campaign files are held to; the messages below name the numbers.
constexpr std::size_t max_short_text = core::max_short_text_chars;
constexpr std::size_t max_long_text = core::max_long_text_chars;
static_assert(max_short_text == 200 && max_long_text == 5000, "the field errors below say 200 and 5000");

struct kind_entry {
    std::string_view kind;
    std::string_view label;  // msgid
};

// One label per core::activity_kinds entry, in the same order.
constexpr std::array<kind_entry, 16> kind_labels = {{
    {"press_conference", "Press conference"},
    {"school_session", "School session"},
    {"cultural_event", "Cultural event"},
    {"sports_event", "Sports event"},
    {"outreach", "Community outreach"},
    {"inspection", "Inspection"},
    {"broadcast", "Broadcast"},
    {"documentary", "Documentary"},
    {"debate", "Debate"},
    {"article", "Article"},
    {"social_post", "Social media post"},
    {"loudspeaker_bulletin", "Loudspeaker bulletin"},
    {"meeting", "Meeting"},
    {"training", "Training"},
    {"hotline", "Hotline"},
    {"other", "Other"},
}};

constexpr std::array<std::string_view, 7> form_days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::optional<int> digits(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    int v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// "HH:MM" (also "HH:MM:SS" with :00 seconds, which some browsers send) → minutes after midnight.
std::optional<std::chrono::minutes> parse_time(std::string_view s) {
    if (s.size() == 8 && s.substr(5) == ":00") s = s.substr(0, 5);
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    const auto h = digits(s.substr(0, 2)), m = digits(s.substr(3, 2));
    if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
    return std::chrono::hours{*h} + std::chrono::minutes{*m};
}

std::string date_text(core::calendar_date d) {
    return web::iso_date(d);
}

std::string time_text(core::local_time t) {
    const auto tod = t - date::floor<date::days>(t);
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d:%02d",
                  static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(tod).count()),
                  static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(tod).count() % 60));
    return buf.data();
}

void error(activity_field_errors& errors, const std::string& field, std::string msgid) {
    errors.try_emplace(field, scheduler::form_error{field, std::move(msgid), {}});
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

web::page_data option(const std::string& value, const std::string& label, bool selected) {
    web::page_data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", selected);
    return o;
}

// The form's fields in their order (the error summary follows it), each with the name the summary
// gives it (a msgid: the field's label as the form shows it, or its legend).
constexpr std::array<web::form_field_label, 26> form_fields = {{
    {"department", "Department"},
    {"kind", "Kind of activity"},
    {"title_vi", "Title in Vietnamese (required)"},
    {"title_en", "Title in English (optional)"},
    {"description_vi", "Description in Vietnamese"},
    {"description_en", "Description in English"},
    {"all_day", "All day"},
    {"start_date", "Start date"},
    {"start_time", "Start time"},
    {"end_date", "End date (or last day)"},
    {"end_time", "End time"},
    {"time_zone", "Time zone"},
    {"location_vi", "Place in Vietnamese"},
    {"location_en", "Place in English"},
    {"audiences", "Audiences"},
    {"visibility", "Who may see it"},
    {"repeat", "Repeats"},
    {"weekdays", "Every week on"},
    {"monthly_by", "Every month on"},
    {"month_week", "Week of the month"},
    {"month_weekday", "Day of the week"},
    {"month_day", "Day of the month (1–31)"},
    {"ends", "Ends"},
    {"until", "Last day"},
    {"count", "How many times in all"},
    {"advanced", "Advanced rule (RFC 5545 RRULE)"},
}};


}  // namespace

std::string kind_label(std::string_view kind, std::string_view lang) {
    for (const auto& k : kind_labels) {
        if (k.kind == kind) return web::tr(lang, k.label);
    }
    return std::string(kind);
}

activity_form activity_form_from(const web::form& f) {
    activity_form a;
    a.department = f.get("department");
    a.kind = f.get("kind");
    a.title_vi = f.words("title_vi");
    a.title_en = f.words("title_en");
    a.description_vi = f.text("description_vi");
    a.description_en = f.text("description_en");
    a.fingerprint = f.get("fingerprint");
    a.all_day = f.has("all_day");
    a.start_date = f.get("start_date");
    a.start_time = f.get("start_time");
    a.end_date = f.get("end_date");
    a.end_time = f.get("end_time");
    a.time_zone = f.get("time_zone");
    a.location_vi = f.words("location_vi");
    a.location_en = f.words("location_en");
    a.audiences = f.all("audiences");
    a.visibility = f.find("visibility").value_or("public");
    scheduler::recurrence_form& r = a.recurrence;
    r.repeat = f.find("repeat").value_or("none");
    r.weekdays = f.all("weekdays");
    r.monthly_by = f.find("monthly_by").value_or("weekday");
    r.month_week = f.find("month_week").value_or("1");
    r.month_weekday = f.find("month_weekday").value_or("mon");
    r.month_day = f.find("month_day").value_or("1");
    r.ends = f.find("ends").value_or("never");
    r.until = f.get("until");
    r.count = f.get("count");
    r.advanced = f.get("advanced");
    return a;
}

activity_form activity_form_from(const core::activity& a) {
    activity_form f;
    f.department = a.department;
    f.kind = a.kind;
    f.title_vi = a.title.vi;
    f.title_en = a.title.en;
    f.description_vi = a.description.vi;
    f.description_en = a.description.en;
    f.all_day = a.all_day;
    f.start_date = date_text(core::calendar_date{date::floor<date::days>(a.start)});
    if (a.all_day) {
        // The model ends an all-day activity at 00:00 after its last day; the form shows the last day.
        f.end_date = date_text(core::calendar_date{date::floor<date::days>(a.end) - date::days{1}});
    } else {
        f.start_time = time_text(a.start);
        f.end_date = date_text(core::calendar_date{date::floor<date::days>(a.end)});
        f.end_time = time_text(a.end);
    }
    f.time_zone = a.time_zone;
    f.location_vi = a.location.vi;
    f.location_en = a.location.en;
    f.audiences = a.audiences;
    f.visibility = a.vis == core::visibility::internal ? "internal" : "public";
    f.recurrence = scheduler::parse_rrule_for_form(a.rrule, a.start);
    return f;
}

activity_form new_activity_form(const core::campaign& c, const http::principal& user,
                                std::optional<core::calendar_date> day) {
    activity_form f;
    if (user.role == "editor") {
        f.department = user.department;
    } else if (!c.departments.empty()) {
        f.department = c.departments.front().code;
    }
    f.kind = "outreach";
    const core::calendar_date d = day.value_or(c.period_start);
    f.start_date = date_text(d);
    f.end_date = date_text(d);
    f.start_time = "08:00";
    f.end_time = "09:00";
    return f;
}

validated_activity validate_activity_form(const activity_form& f, const core::campaign& c) {
    validated_activity out;
    activity_field_errors& errors = out.errors;
    core::activity& a = out.value;

    a.department = trim(f.department);
    if (std::none_of(c.departments.begin(), c.departments.end(),
                     [&](const core::department& d) { return d.code == a.department; })) {
        error(errors, "department", "Choose the department.");
    }
    a.kind = trim(f.kind);
    if (std::none_of(kind_labels.begin(), kind_labels.end(),
                     [&](const kind_entry& k) { return k.kind == a.kind; })) {
        error(errors, "kind", "Choose the kind of activity.");
    }

    a.title = {trim(f.title_vi), trim(f.title_en)};
    if (a.title.vi.empty()) error(errors, "title_vi", "Enter the title in Vietnamese.");
    a.description = {trim(f.description_vi), trim(f.description_en)};
    a.location = {trim(f.location_vi), trim(f.location_en)};
    for (const auto& [field, text, limit] : {std::tuple{"title_vi", &a.title.vi, max_short_text},
                                             std::tuple{"title_en", &a.title.en, max_short_text},
                                             std::tuple{"description_vi", &a.description.vi, max_long_text},
                                             std::tuple{"description_en", &a.description.en, max_long_text},
                                             std::tuple{"location_vi", &a.location.vi, max_short_text},
                                             std::tuple{"location_en", &a.location.en, max_short_text}}) {
        if (core::text_length(*text) > limit) {
            error(errors, field,
                  limit == max_short_text ? "Use at most 200 characters." : "Use at most 5000 characters.");
        }
    }

    a.time_zone = trim(f.time_zone);
    // The names a campaign file refuses are refused here too: what is saved, `loa export` writes.
    const auto misleading = a.time_zone.empty()
                                ? std::nullopt
                                : core::misleading_zone(a.time_zone, date::floor<std::chrono::seconds>(
                                                                         std::chrono::system_clock::now()));
    if (misleading && misleading->machine_zone) {
        errors.try_emplace("time_zone",
                           scheduler::form_error{"time_zone",
                                                 "{typed} is the server machine's own zone, not a place. Enter a "
                                                 "place's zone such as Asia/Ho_Chi_Minh, or leave it empty.",
                                                 {{"typed", a.time_zone}}});
    } else if (misleading) {
        // Vietnam's zone when it is either offset (who writes Etc/GMT-7 here means it), else the
        // place at the offset the sign seemed to say.
        const auto& places = misleading->places;
        auto meant = std::find_if(places.begin(), places.end(),
                                  [](const auto& p) { return p.first == "Asia/Ho_Chi_Minh"; });
        if (meant == places.end()) {
            meant = std::find_if(places.begin(), places.end(),
                                 [&](const auto& p) { return p.second == -misleading->offset; });
        }
        if (meant == places.end()) meant = places.begin();
        const std::string example = meant == places.end()
                                        ? std::string("Asia/Ho_Chi_Minh (UTC+07:00)")
                                        : meant->first + " (" + core::utc_offset_text(meant->second) + ")";
        errors.try_emplace("time_zone", scheduler::form_error{"time_zone",
                                                              "{typed} is {offset}: Etc/GMT names count the other "
                                                              "way round. Enter the place instead, such as {zone}.",
                                                              {{"typed", a.time_zone},
                                                               {"offset", core::utc_offset_text(misleading->offset)},
                                                               {"zone", example}}});
    } else if (!a.time_zone.empty() && core::find_zone(a.time_zone) == nullptr) {
        if (const auto meant = core::zone_meant(a.time_zone)) {
            errors.try_emplace("time_zone", scheduler::form_error{"time_zone",
                                                                  "There is no time zone {typed}: did you mean {zone}?",
                                                                  {{"typed", a.time_zone}, {"zone", *meant}}});
        } else {
            error(errors, "time_zone", "Enter a time zone such as Asia/Ho_Chi_Minh, or leave it empty.");
        }
    }

    // When: dates that exist, times of day, the end after the start.
    a.all_day = f.all_day;
    const auto start_day = core::typed_date(f.start_date);
    const std::string end_date_text = trim(f.end_date).empty() ? trim(f.start_date) : trim(f.end_date);
    const auto end_day = core::typed_date(end_date_text);
    if (!start_day) error(errors, "start_date", "Enter a start date that exists, such as 2024-07-30.");
    if (!end_day) error(errors, "end_date", "Enter an end date that exists, such as 2024-07-30.");
    std::optional<core::local_time> start;
    if (a.all_day) {
        if (start_day) start = core::local_time{date::local_days{*start_day}};
        if (start_day && end_day) {
            if (date::local_days{*end_day} < date::local_days{*start_day}) {
                error(errors, "end_date", "The last day must not be before the first day.");
            } else {
                a.start = *start;
                a.end = core::local_time{date::local_days{*end_day} + date::days{1}};
            }
        }
    } else {
        const auto start_tod = parse_time(trim(f.start_time));
        const auto end_tod = parse_time(trim(f.end_time));
        if (!start_tod) error(errors, "start_time", "Enter the start time (HH:MM, 24-hour).");
        if (!end_tod) error(errors, "end_time", "Enter the end time (HH:MM, 24-hour).");
        if (start_day && start_tod) start = core::local_time{date::local_days{*start_day}} + *start_tod;
        // A wall-clock time the clocks skip (a spring-forward night abroad) names no instant.
        const std::string& clock = core::zone_of(a, c);
        const date::time_zone* zone = core::find_zone(clock);
        const auto skipped = [&](const char* field, core::local_time t) {
            const auto gap = core::skipped_by_clocks(t, zone);
            if (!gap) return false;
            const core::skipped_words w = core::describe_skipped(*gap, t);
            std::string msgid =
                w.time_before
                    ? "This time does not exist in {zone} on that day: the clocks go forward from {from} to {to} (daylight saving time). Choose a time before {from} or from {to} on."
                    : "This time does not exist in {zone} on that day: the clocks go forward from {from} to {to} (daylight saving time). Choose a time from {to} on.";
            errors.try_emplace(field, scheduler::form_error{field, std::move(msgid),
                                                            {{"zone", clock}, {"from", w.from}, {"to", w.to}}});
            return true;
        };
        const bool start_skipped = start && skipped("start_time", *start);
        if (start && end_day && end_tod) {
            const core::local_time end = core::local_time{date::local_days{*end_day}} + *end_tod;
            if (skipped("end_time", end) || start_skipped) {
                // (said above)
            } else if (end <= *start) {
                error(errors, "end_time", "The end must be after the start.");
            } else {
                a.start = *start;
                a.end = end;
            }
        }
    }

    for (const auto& code : f.audiences) {
        if (std::none_of(c.audiences.begin(), c.audiences.end(),
                         [&](const core::audience& x) { return x.code == code; })) {
            error(errors, "audiences", "Choose audiences from the list.");
        } else if (!contains(a.audiences, code)) {
            a.audiences.push_back(code);
        }
    }
    if (f.visibility == "public") {
        a.vis = core::visibility::public_;
    } else if (f.visibility == "internal") {
        a.vis = core::visibility::internal;
    } else {
        error(errors, "visibility", "Choose public or internal.");
    }

    const auto rule = scheduler::build_rrule(f.recurrence, start);
    for (const auto& e : rule.errors) errors.try_emplace(e.field, e);
    a.rrule = rule.rrule;
    return out;
}

std::optional<std::pair<std::string, std::string>> store_error_field(core::activity_errc e) {
    switch (e) {
        case core::activity_errc::unknown_department:
            return std::pair{"department", "Choose the department."};
        case core::activity_errc::unknown_audience:
            return std::pair{"audiences", "Choose audiences from the list."};
        default:
            return std::nullopt;
    }
}

web::page_data activity_form_page(const http::request& req, const activity_form& f,
                                  const activity_field_errors& errors, const activity_form_context& ctx) {
    const std::string& lang = req.lang;
    const core::campaign& c = *ctx.campaign;
    web::page_data d;
    const bool editing = !ctx.code.empty();
    const std::string base = "/campaigns/" + c.slug;
    d.set("title", web::tr(lang, editing ? "Edit activity" : "New activity"));
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("editing", editing);
    d.set("code", ctx.code);
    d.set("action", editing ? base + "/activities/" + ctx.code + "/edit" : base + "/activities");
    d.set("cancel_action", base + "/activities/" + ctx.code + "/cancel");
    d.set("calendar_href", base + "/calendar?view=month&date=" + ctx.cancel_date);
    d.set("from_file", editing && ctx.origin == "file");
    d.set("cancelled", ctx.cancelled);
    d.set("may_cancel", editing && !ctx.cancelled);
    d.set("campaign_zone", c.time_zone);
    // The inputs' maxlength: core/domain/limits.hpp, as the checks above and campaign files.
    d.set("max_short", std::to_string(max_short_text));
    d.set("max_long", std::to_string(max_long_text));

    // Every value as typed.
    for (const auto& [name, value] :
         {std::pair{"title_vi", &f.title_vi}, std::pair{"title_en", &f.title_en},
          std::pair{"description_vi", &f.description_vi}, std::pair{"description_en", &f.description_en},
          std::pair{"start_date", &f.start_date}, std::pair{"start_time", &f.start_time},
          std::pair{"end_date", &f.end_date}, std::pair{"end_time", &f.end_time},
          std::pair{"time_zone", &f.time_zone}, std::pair{"location_vi", &f.location_vi},
          std::pair{"location_en", &f.location_en}, std::pair{"until", &f.recurrence.until},
          std::pair{"count", &f.recurrence.count}, std::pair{"advanced", &f.recurrence.advanced},
          std::pair{"month_day", &f.recurrence.month_day}}) {
        d.set(name, *value);
    }
    d.set("all_day", f.all_day);
    d.set("is_public", f.visibility != "internal");
    d.set("is_internal", f.visibility == "internal");

    web::page_list departments;
    bool department_listed = false;
    for (const auto& dep : c.departments) {
        if (ctx.user != nullptr && !app::may_edit_department(*ctx.user, dep.code)) continue;
        department_listed = department_listed || dep.code == f.department;
        departments.push_back(option(dep.code, dep.name.in(lang), dep.code == f.department));
    }
    if (!department_listed && !f.department.empty()) {
        // A value the list does not offer still comes back, so nothing typed is lost.
        departments.push_back(option(f.department, f.department, true));
    }
    d.set("departments", departments);

    web::page_list kinds;
    for (const auto& k : kind_labels) {
        kinds.push_back(option(std::string(k.kind), web::tr(lang, k.label), k.kind == f.kind));
    }
    d.set("kinds", kinds);

    web::page_list audiences;
    for (const auto& a : c.audiences) {
        web::page_data o = option(a.code, a.name.in(lang), contains(f.audiences, a.code));
        o.set("id", "audience-" + a.code);
        audiences.push_back(o);
    }
    d.set("audiences", audiences);
    d.set("has_audiences", !c.audiences.empty());

    // The recurrence builder.
    const scheduler::recurrence_form& r = f.recurrence;
    web::page_list repeats;
    for (const auto& [value, label] :
         {std::pair{"none", "Does not repeat"}, std::pair{"daily", "Every day"},
          std::pair{"weekly", "Every week on the days chosen below"}, std::pair{"monthly", "Every month"},
          std::pair{"advanced", "Another rule (advanced)"}}) {
        web::page_data o = option(value, web::tr(lang, label), r.repeat == value);
        o.set("id", std::string("repeat-") + value);
        repeats.push_back(o);
    }
    d.set("repeats", repeats);
    d.set("repeat_advanced", r.repeat == "advanced");
    web::page_list weekdays;
    web::page_list month_weekdays;
    for (std::size_t i = 0; i < form_days.size(); ++i) {
        const std::string value(form_days[i]);
        const std::string label = web::weekday_name(date::weekday{static_cast<unsigned>((i + 1) % 7)}, lang);
        web::page_data o = option(value, label, contains(r.weekdays, value));
        o.set("id", "weekday-" + value);
        weekdays.push_back(o);
        month_weekdays.push_back(option(value, label, r.month_weekday == value));
    }
    d.set("weekdays", weekdays);
    d.set("month_weekdays", month_weekdays);
    web::page_list month_weeks;
    for (const auto& [value, label] :
         {std::pair{"1", "first"}, std::pair{"2", "second"}, std::pair{"3", "third"},
          std::pair{"4", "fourth"}, std::pair{"-1", "last"}}) {
        month_weeks.push_back(option(value, web::tr(lang, label), r.month_week == value));
    }
    d.set("month_weeks", month_weeks);
    d.set("monthly_by_weekday", r.monthly_by != "date");
    d.set("monthly_by_date", r.monthly_by == "date");
    d.set("ends_never", r.ends != "until" && r.ends != "count");
    d.set("ends_until", r.ends == "until");
    d.set("ends_count", r.ends == "count");

    web::set_optional(d, "fingerprint", f.fingerprint);

    // Errors beside their fields, and a summary at the top linking to each.
    web::page_data field_errors;
    web::page_list summary;
    for (const auto& [field, e] : errors) field_errors.set(field, web::tr(lang, e.msgid, e.args));
    // The summary in the order of the form, each linking to its field.
    std::vector<const scheduler::form_error*> ordered;
    for (const auto& [field, e] : errors) ordered.push_back(&e);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
        return web::field_order(form_fields, a->field) < web::field_order(form_fields, b->field);
    });
    for (const auto* e : ordered) {
        web::page_data item;
        item.set("field", e->field);
        item.set("message", web::summary_message(lang, form_fields, e->field, web::tr(lang, e->msgid, e->args)));
        summary.push_back(item);
    }
    d.set("errors", field_errors);
    d.set("error_summary", summary);
    d.set("has_errors", !errors.empty());
    return d;
}

}  // namespace loa::handlers
