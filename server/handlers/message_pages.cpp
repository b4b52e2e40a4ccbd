// The message pages' data: the editor form (parse, validate, keep what was typed), channel
// previews, the list, the message with its history, the approvals queue and the audit log.
#include "server/handlers/message_pages.hpp"

#include <algorithm>
#include <functional>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include <date/tz.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/domain/limits.hpp"
#include "core/text/unicode.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/dispatch_pages.hpp"

namespace loa::handlers {
namespace {

// core/domain/limits.hpp, as campaign files are held to; the messages below name the numbers.
constexpr std::size_t max_title_chars = core::max_short_text_chars;
constexpr std::size_t max_text_chars = core::max_long_text_chars;
static_assert(max_title_chars == 200 && max_text_chars == 5000, "the field errors below say 200 and 5000");
constexpr int max_duration_s = 86400;
constexpr int max_airings = 1000000;
constexpr int max_gap_minutes = 366 * 24 * 60;  // a leap year, as campaign files

// ---- Parsing what was typed ------------------------------------------------------------------

std::string trimmed(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

// A whole number in [lo, hi], digits only (an optional leading '-' so that "-1" is out of range
// rather than malformed); nullopt otherwise.
std::optional<int> parse_int(std::string_view text, int lo, int hi) {
    const std::string t = trimmed(text);
    if (t.empty() || t.size() > 9) return std::nullopt;
    int v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
    if (v < lo || v > hi) return std::nullopt;
    return v;
}

// A limit of the planner's: a whole number in [0, hi], an empty box meaning 0 (no limit).
std::optional<int> parse_limit(std::string_view text, int hi) {
    if (trimmed(text).empty()) return 0;
    return parse_int(text, 0, hi);
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

// Values kept in the order given, each once.
std::vector<std::string> unique_values(const std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (const auto& x : v)
        if (!x.empty() && !contains(out, x)) out.push_back(x);
    return out;
}

// "2024-07-30T01:02:03.456Z" → the instant (milliseconds dropped); nullopt when malformed.
std::optional<core::sys_seconds> parse_stored_time(const std::string& at) {
    if (at.size() < 19) return std::nullopt;
    return core::parse_iso8601(at.substr(0, 19) + "Z", nullptr);
}

std::string shown_time(const std::string& at, const date::time_zone* zone, std::string_view lang) {
    const auto t = parse_stored_time(at);
    return t ? web::format_datetime(*t, zone, lang) : at;
}

const std::string& name_of(const std::vector<core::department>& all, const std::string& code,
                           std::string_view lang) {
    for (const auto& d : all)
        if (d.code == code) return d.name.in(lang);
    return code;
}

std::string audience_name(const core::campaign& c, const std::string& code, std::string_view lang) {
    for (const auto& a : c.audiences)
        if (a.code == code) return a.name.in(lang);
    return code;
}

std::string outlet_name(const core::campaign& c, const std::string& slug, std::string_view lang) {
    for (const auto& o : c.outlets)
        if (o.slug == slug) return o.name.in(lang);
    return slug;
}

std::string joined(const std::vector<std::string>& v, std::string_view separator = ", ") {
    std::string out;
    for (const auto& x : v) {
        if (!out.empty()) out += separator;
        out += x;
    }
    return out;
}

// Text as lines for a template that writes {{line}}<br>: escaped by the template, line breaks kept.
web::page_list lines_of(std::string_view text) {
    web::page_list out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(start, end - start));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        web::page_data item;
        item.set("line", line);
        out.push_back(item);
        start = end + 1;
    }
    return out;
}

std::string campaign_base(const core::campaign& c) {
    return "/campaigns/" + c.slug;
}

// The message being edited or previewed as far as it can be read, for previews of invalid input.
core::message best_effort(const message_form& f, const core::campaign& c) {
    core::message m;
    m.department = f.department;
    m.title = {f.title_vi, f.title_en};
    m.text = {f.text_vi, f.text_en};
    m.channels = unique_values(f.channels);
    m.duration_s = parse_int(f.duration_s, 0, max_duration_s).value_or(0);
    m.priority = parse_int(f.priority, 1, 10).value_or(5);
    m.flight_start = core::typed_date(f.flight_start).value_or(c.period_start);
    m.flight_end = core::typed_date(f.flight_end).value_or(c.period_end);
    m.airings = parse_int(f.airings, 0, max_airings).value_or(0);
    m.airings_per_day = parse_limit(f.airings_per_day, max_airings).value_or(0);
    m.airings_per_week = parse_limit(f.airings_per_week, max_airings).value_or(0);
    m.max_per_outlet_per_day = parse_limit(f.max_per_outlet_per_day, max_airings).value_or(0);
    m.min_gap_minutes = parse_limit(f.min_gap_minutes, max_gap_minutes).value_or(0);
    m.dayparts = unique_values(f.dayparts);
    m.audiences = unique_values(f.audiences);
    m.outlets = unique_values(f.outlets);
    return m;
}

// The dayparts of the outlets `m` can run on (core::may_run_on), or of every outlet when `m` is
// null: in the campaign's order, each code once, as the first outlet that has it names it.
std::vector<const core::daypart*> dayparts_of(const core::campaign& c, const core::message* m) {
    std::vector<const core::daypart*> out;
    for (const auto& o : c.outlets) {
        if (m != nullptr && !core::may_run_on(*m, o.slug, o.kind)) continue;
        for (const auto& d : o.dayparts) {
            if (std::none_of(out.begin(), out.end(), [&](const core::daypart* x) { return x->code == d.code; }))
                out.push_back(&d);
        }
    }
    return out;
}

// The form's fields in their order (templates/web/message_form.mustache: the error summary follows
// it), each with the name the summary gives it; unknown ones (version) come last.
constexpr web::form_field_label form_fields[] = {
    {"department", "Department"},
    {"title_vi", "Title in Vietnamese"},
    {"title_en", "Title in English"},
    {"text_vi", "Text in Vietnamese"},
    {"text_en", "Text in English"},
    {"channels", "Channels"},
    {"duration", "Duration"},
    {"priority", "Priority"},
    {"flight_start", "First day of the flight"},
    {"flight_end", "Last day of the flight"},
    {"airings", "Airings wanted in total"},
    {"airings_per_day", "Airings a day"},
    {"airings_per_week", "Airings a week"},
    {"max_per_outlet_per_day", "At most a day on one outlet"},
    {"min_gap_minutes", "Minimum gap"},
    {"dayparts", "Dayparts"},
    {"audiences", "Audiences"},
    {"outlets", "Outlets"},
};

void set_errors(web::page_data& d, const field_errors& errors, std::string_view lang) {
    std::vector<std::pair<std::string, std::string>> in_form_order(errors.begin(), errors.end());
    std::stable_sort(in_form_order.begin(), in_form_order.end(), [](const auto& a, const auto& b) {
        return web::field_order(form_fields, a.first) < web::field_order(form_fields, b.first);
    });
    web::page_list summary;
    for (const auto& [field, msgid] : in_form_order) {
        const std::string text = web::tr(lang, msgid);
        d.set("err_" + field, text);
        web::page_data item;
        std::string id = "message-" + field;
        std::replace(id.begin(), id.end(), '_', '-');
        item.set("field_id", id);
        item.set("message", web::summary_message(lang, form_fields, field, text));
        summary.push_back(item);
    }
    d.set("has_errors", !errors.empty());
    d.set("error_summary", summary);
}

// Where and when daypart `code` is, on the outlets `m` may run on (every outlet when null), since two
// outlets' dayparts may share a name: "Radio 21:00–23:00; Online 19:00–23:00", each kind and time once.
std::string daypart_where(const core::campaign& c, const std::string& code, const core::message* m,
                          const std::string& lang) {
    std::vector<std::string> where;
    for (const auto& o : c.outlets) {
        if (m != nullptr && !core::may_run_on(*m, o.slug, o.kind)) continue;
        for (const auto& part : o.dayparts) {
            if (part.code != code) continue;
            std::string w = outlet_kind_label(o.kind, lang) + " " + web::format_time(part.start, lang) + "–" +
                            web::format_time(part.end, lang);
            if (!contains(where, w)) where.push_back(std::move(w));
        }
    }
    return joined(where, "; ");
}

// The rules of `m` the planner keeps beyond its airings (those are in airings_wanted): "dayparts"
// (names), "max_per_outlet_per_day" and "min_gap", each left out when not set, and "has_rules"
// when one is (the detail page and the approvers' queue).
void set_planner_rules(web::page_data& d, const core::campaign& c, const core::message& m, const std::string& lang) {
    std::vector<std::string> daypart_names;
    const auto all_dayparts = dayparts_of(c, nullptr);
    for (const auto& code : m.dayparts) {
        const auto dp = std::find_if(all_dayparts.begin(), all_dayparts.end(),
                                     [&](const core::daypart* x) { return x->code == code; });
        std::string name = dp == all_dayparts.end() || (*dp)->name.in(lang).empty() ? code : (*dp)->name.in(lang);
        if (const std::string where = daypart_where(c, code, &m, lang); !where.empty()) name += " (" + where + ")";
        daypart_names.push_back(std::move(name));
    }
    web::set_optional(d, "dayparts", joined(daypart_names));
    web::set_optional(d, "max_per_outlet_per_day",
                      m.max_per_outlet_per_day > 0 ? web::format_integer(m.max_per_outlet_per_day, lang) : std::string());
    web::set_optional(d, "min_gap",
                      m.min_gap_minutes > 0
                          ? web::tr(lang, "{n} min", {{"n", web::format_integer(m.min_gap_minutes, lang)}})
                          : std::string());
    d.set("has_rules", !m.dayparts.empty() || m.max_per_outlet_per_day > 0 || m.min_gap_minutes > 0);
}

// The fields whose content differs between two versions, as translated labels; the planner's rules
// only when both versions hold them (`rules_known`).
std::vector<std::string> changed_fields(const core::message& before, const core::message& after,
                                        bool rules_known, std::string_view lang) {
    std::vector<std::string> out;
    const auto add = [&](bool changed, const char* msgid) {
        if (changed) out.push_back(web::tr(lang, msgid));
    };
    add(before.department != after.department, "Department");
    add(before.title.vi != after.title.vi, "Title (Vietnamese)");
    add(before.title.en != after.title.en, "Title (English)");
    add(before.text.vi != after.text.vi, "Text (Vietnamese)");
    add(before.text.en != after.text.en, "Text (English)");
    add(before.channels != after.channels, "Channels");
    add(before.duration_s != after.duration_s, "Duration (seconds)");
    add(before.priority != after.priority, "Priority");
    add(before.flight_start != after.flight_start || before.flight_end != after.flight_end, "Flight");
    add(before.airings != after.airings, "Airings wanted");
    add(before.audiences != after.audiences, "Audiences");
    add(before.outlets != after.outlets, "Outlets");
    add(rules_known && !core::same_planner_rules(before, after), "Scheduling rules");
    return out;
}

std::string review_label(std::string_view action, std::string_view lang) {
    if (action == "submit") return web::tr(lang, "Submitted for approval");
    if (action == "approve") return web::tr(lang, "Approved");
    if (action == "reject") return web::tr(lang, "Rejected");
    if (action == "reopen") return web::tr(lang, "Returned to draft by an edit");
    return web::tr(lang, "Comment");
}

std::string done_text(std::string_view done, std::string_view lang) {
    if (done == "created") return web::tr(lang, "The message was saved as a draft.");
    if (done == "saved") return web::tr(lang, "Your changes were saved as a new version.");
    if (done == "unchanged") return web::tr(lang, "Nothing had changed: no new version was made.");
    if (done == "submitted") return web::tr(lang, "The message was submitted for approval.");
    if (done == "approved") return web::tr(lang, "The message was approved.");
    if (done == "rejected") return web::tr(lang, "The message was returned with your comment.");
    return {};
}

web::page_list state_options(const std::optional<std::string>& selected, std::string_view lang) {
    web::page_list out;
    for (const char* s : core::message_states) {
        web::page_data item;
        item.set("value", s);
        item.set("label", state_label(s, lang));
        item.set("selected", selected && *selected == s);
        out.push_back(item);
    }
    return out;
}

}  // namespace

std::string airings_wanted(const core::message& m, std::string_view lang) {
    std::vector<std::string> parts;
    auto part = [&](int n, std::string_view msgid) {
        if (n > 0) parts.push_back(web::tr(lang, msgid, {{"n", web::format_integer(n, lang)}}));
    };
    part(m.airings, "{n} in total");
    part(m.airings_per_day, "{n} a day");
    part(m.airings_per_week, "{n} a week");
    if (parts.empty()) return web::tr(lang, "none");
    return joined(parts, " · ");
}

// ---- Forms -----------------------------------------------------------------------------------

message_form message_form_from(const web::form& f) {
    message_form out;
    out.department = f.get("department");
    out.title_vi = f.words("title_vi");
    out.title_en = f.words("title_en");
    out.text_vi = f.text("text_vi");
    out.text_en = f.text("text_en");
    out.channels = f.all("channels");
    out.duration_s = f.get("duration_s");
    out.priority = f.get("priority");
    out.flight_start = f.get("flight_start");
    out.flight_end = f.get("flight_end");
    out.airings = f.get("airings");
    out.has_rules = f.has("rules");
    out.airings_per_day = f.get("airings_per_day");
    out.airings_per_week = f.get("airings_per_week");
    out.max_per_outlet_per_day = f.get("max_per_outlet_per_day");
    out.min_gap_minutes = f.get("min_gap_minutes");
    out.dayparts = f.all("dayparts");
    out.audiences = f.all("audiences");
    out.outlets = f.all("outlets");
    out.version = f.get("version");
    return out;
}

message_form message_form_from(const core::message& m, int version) {
    message_form out;
    out.department = m.department;
    out.title_vi = m.title.vi;
    out.title_en = m.title.en;
    out.text_vi = m.text.vi;
    out.text_en = m.text.en;
    out.channels = m.channels;
    out.duration_s = std::to_string(m.duration_s);
    out.priority = std::to_string(m.priority);
    out.flight_start = web::iso_date(m.flight_start);
    out.flight_end = web::iso_date(m.flight_end);
    out.airings = std::to_string(m.airings);
    out.airings_per_day = std::to_string(m.airings_per_day);
    out.airings_per_week = std::to_string(m.airings_per_week);
    out.max_per_outlet_per_day = std::to_string(m.max_per_outlet_per_day);
    out.min_gap_minutes = std::to_string(m.min_gap_minutes);
    out.dayparts = m.dayparts;
    out.audiences = m.audiences;
    out.outlets = m.outlets;
    out.version = std::to_string(version);
    return out;
}

void keep_stored_rules(message_form& f, const core::message& stored) {
    if (f.has_rules) return;
    const message_form was = message_form_from(stored, 0);
    f.airings_per_day = was.airings_per_day;
    f.airings_per_week = was.airings_per_week;
    f.max_per_outlet_per_day = was.max_per_outlet_per_day;
    f.min_gap_minutes = was.min_gap_minutes;
    f.dayparts = was.dayparts;
    f.has_rules = true;
}

message_form new_message_form(const core::campaign& c, const http::principal& user) {
    message_form out;
    if (user.role == "editor") out.department = user.department;
    out.flight_start = web::iso_date(c.period_start);
    out.flight_end = web::iso_date(c.period_end);
    return out;
}

validated_message validate_message_form(const message_form& f, const core::campaign& c,
                                        const http::principal& user, const core::message* stored) {
    validated_message out;
    field_errors& e = out.errors;
    out.value = best_effort(f, c);
    core::message& m = out.value;

    const bool known_department =
        std::any_of(c.departments.begin(), c.departments.end(),
                    [&](const core::department& d) { return d.code == f.department; });
    if (f.department.empty() || !known_department) {
        e["department"] = "Choose a department.";
    } else if (!app::may_edit_department(user, f.department)) {
        e["department"] = "You can only write messages for your own department.";
    }
    if (core::text_length(f.title_vi) > max_title_chars)
        e["title_vi"] = "The title is too long (200 characters at most).";
    if (core::text_length(f.title_en) > max_title_chars)
        e["title_en"] = "The title is too long (200 characters at most).";
    if (trimmed(f.text_vi).empty()) {
        e["text_vi"] = "Enter the Vietnamese text.";
    } else if (core::text_length(f.text_vi) > max_text_chars) {
        e["text_vi"] = "The text is too long (5000 characters at most).";
    }
    if (core::text_length(f.text_en) > max_text_chars)
        e["text_en"] = "The text is too long (5000 characters at most).";

    if (m.channels.empty()) {
        e["channels"] = "Choose at least one channel.";
    } else if (!std::all_of(m.channels.begin(), m.channels.end(), [](const std::string& ch) {
                   return std::any_of(std::begin(core::channel_names), std::end(core::channel_names),
                                      [&](const char* n) { return ch == n; });
               })) {
        e["channels"] = "Choose channels from the list.";
    }
    if (!parse_int(f.duration_s, 0, max_duration_s))
        e["duration"] = "Enter the duration in whole seconds, from 0 to 86400.";
    if (!parse_int(f.priority, 1, 10)) e["priority"] = "Enter a priority from 1 (low) to 10 (high).";
    const auto start = core::typed_date(f.flight_start);
    const auto end = core::typed_date(f.flight_end);
    // The stored message's own flight stands as it is (see the header).
    const bool flight_as_stored =
        stored != nullptr && start && end && *start == stored->flight_start && *end == stored->flight_end;
    if (!start) {
        e["flight_start"] = "Enter a date that exists, such as 2024-07-30.";
    } else if (!flight_as_stored && (*start < c.period_start || *start > c.period_end)) {
        // (A year typed wrong would otherwise make the planner's proposed dates span years.)
        e["flight_start"] = "The first day must be within the campaign's period.";
    }
    if (!end) {
        e["flight_end"] = "Enter a date that exists, such as 2024-07-30.";
    } else if (start && *end < *start) {
        e["flight_end"] = "The last day must be on or after the first day.";
    } else if (!flight_as_stored && (*end < c.period_start || *end > c.period_end)) {
        e["flight_end"] = "The last day must be within the campaign's period.";
    }
    if (!parse_int(f.airings, 0, max_airings))
        e["airings"] = "Enter the airings wanted as a whole number from 0 to 1000000.";
    const std::pair<const std::string*, const char*> limits[] = {
        {&f.airings_per_day, "airings_per_day"},
        {&f.airings_per_week, "airings_per_week"},
        {&f.max_per_outlet_per_day, "max_per_outlet_per_day"},
    };
    for (const auto& [value, field] : limits) {
        if (!parse_limit(*value, max_airings))
            e[field] = "Enter a whole number from 0 to 1000000, or leave it empty for no limit.";
    }
    if (!parse_limit(f.min_gap_minutes, max_gap_minutes))
        e["min_gap_minutes"] =
            "Enter the minutes as a whole number from 0 to 527040 (a year), or leave it empty for no gap.";
    const auto reachable = dayparts_of(c, &m);
    for (const auto& code : m.dayparts) {
        if (std::none_of(reachable.begin(), reachable.end(),
                         [&](const core::daypart* d) { return d->code == code; })) {
            e["dayparts"] = "Choose dayparts that an outlet of the chosen channels or outlets has.";
            break;
        }
    }
    for (const auto& a : m.audiences) {
        if (std::none_of(c.audiences.begin(), c.audiences.end(),
                         [&](const core::audience& x) { return x.code == a; })) {
            e["audiences"] = "Choose audiences from the list.";
            break;
        }
    }
    for (const auto& slug : m.outlets) {
        const auto o = std::find_if(c.outlets.begin(), c.outlets.end(),
                                    [&](const core::outlet& x) { return x.slug == slug; });
        if (o == c.outlets.end()) {
            e["outlets"] = "Choose outlets from the list.";
            break;
        }
        if (!contains(m.channels, o->kind)) {
            e["outlets"] = "Each outlet must be of one of the chosen channels.";
            break;
        }
    }
    return out;
}

std::pair<std::string, std::string> store_error_field(core::message_errc e) {
    switch (e) {
        case core::message_errc::unknown_department:
            return {"department", "Choose a department."};
        case core::message_errc::unknown_audience:
            return {"audiences", "Choose audiences from the list."};
        case core::message_errc::unknown_channel:
            return {"channels", "Choose channels from the list."};
        case core::message_errc::unknown_outlet:
            return {"outlets", "Choose outlets from the list."};
        case core::message_errc::outlet_channel:
            return {"outlets", "Each outlet must be of one of the chosen channels."};
        case core::message_errc::unknown_daypart:
            return {"dayparts", "Choose dayparts that an outlet of the chosen channels or outlets has."};
        case core::message_errc::comment_required:
            return {"comment", "Write a comment saying what to change."};
        case core::message_errc::comment_too_long:
            return {"comment", "The comment is too long (2000 characters at most)."};
        case core::message_errc::stale_version:
            return {"version",
                    "Someone changed this message meanwhile. Check the current version and try again."};
        case core::message_errc::wrong_state:
            return {"version", "This message is no longer in a state that allows this."};
        default:
            return {"version", "The message could not be saved."};
    }
}

// ---- Channels --------------------------------------------------------------------------------

const core::channel_templates& message_templates() {
    static const core::channel_templates loaded(web::default_paths().templates_dir.parent_path() /
                                                "messages");
    return loaded;
}

std::string channel_label(std::string_view channel, std::string_view lang) {
    if (channel == "sms") return web::tr(lang, "SMS");
    if (channel == "tv") return web::tr(lang, "Television");
    if (channel == "radio") return web::tr(lang, "Radio");
    if (channel == "loudspeaker") return web::tr(lang, "Loudspeaker");
    if (channel == "social") return web::tr(lang, "Social media");
    if (channel == "print") return web::tr(lang, "Press release");
    if (channel == "online") return web::tr(lang, "Online");
    if (channel == "school") return web::tr(lang, "School notice");
    if (channel == "email") return web::tr(lang, "E-mail");
    return std::string(channel);
}

std::string outlet_kind_label(std::string_view kind, std::string_view lang) {
    if (kind == "print") return web::tr(lang, "Print newspaper");
    return channel_label(kind, lang);
}

std::string state_label(std::string_view state, std::string_view lang) {
    if (state == "draft") return web::tr(lang, "Draft");
    if (state == "submitted") return web::tr(lang, "Submitted");
    if (state == "approved") return web::tr(lang, "Approved");
    if (state == "rejected") return web::tr(lang, "Rejected");
    return std::string(state);
}

std::string placement_state_label(std::string_view state, std::string_view lang) {
    if (state == "planned") return web::tr(lang, "planned");
    if (state == "published") return web::tr(lang, "published");
    if (state == "aired") return web::tr(lang, "aired");
    if (state == "missed") return web::tr(lang, "missed");
    return std::string(state);
}

web::page_list preview_data(const core::message& m, const core::campaign& c, std::string_view lang) {
    const core::channel_context ctx = core::channel_context_of(c);
    web::page_list out;
    for (const char* text_lang : {"vi", "en"}) {
        if (std::string_view(text_lang) == "en" && m.text.en.empty()) continue;
        web::page_list items;
        for (const core::channel_preview& p :
             core::preview_channels(message_templates(), m, ctx, text_lang)) {
            web::page_data item;
            item.set("channel", p.channel);
            item.set("channel_label", channel_label(p.channel, lang));
            item.set("id", std::string("preview-") + text_lang + "-" + p.channel);
            item.set("lines", lines_of(p.text));
            const bool sms = p.sms.has_value();
            item.set("is_sms", sms);
            item.set("sms_encoding", sms && p.sms->encoding == core::sms_encoding::ucs2 ? "UCS-2" : "GSM-7");
            item.set("is_ucs2", sms && p.sms->encoding == core::sms_encoding::ucs2);
            item.set("sms_units", web::format_integer(sms ? p.sms->units : 0, lang));
            item.set("sms_characters", web::format_integer(sms ? p.sms->characters : 0, lang));
            item.set("sms_segments", web::format_integer(sms ? p.sms->segments : 0, lang));
            item.set("sms_per_segment", web::format_integer(sms ? p.sms->per_segment : 0, lang));
            item.set("sms_remaining", web::format_integer(sms ? p.sms->remaining : 0, lang));
            item.set("sms_multipart", sms && p.sms->segments > 1);
            const bool spoken = p.spoken.has_value();
            item.set("is_spoken", spoken);
            item.set("spoken_words", web::format_integer(spoken ? p.spoken->words : 0, lang));
            item.set("spoken_seconds", web::format_integer(spoken ? p.spoken->seconds : 0, lang));
            item.set("spoken_rate", web::format_integer(spoken ? p.spoken->words_per_minute : 0, lang));
            item.set("has_duration", p.duration_s > 0);
            item.set("duration", web::format_integer(p.duration_s, lang));
            item.set("fits", p.fits_duration());
            item.set("too_long", !p.fits_duration());
            const bool social = p.social.has_value();
            item.set("is_social", social);
            item.set("social_weighted", web::format_integer(social ? p.social->weighted : 0, lang));
            item.set("social_limit", web::format_integer(social ? p.social->limit : 0, lang));
            item.set("social_over", social && p.social->over());
            items.push_back(item);
        }
        web::page_data group;
        group.set("text_lang", text_lang);
        group.set("lang_label",
                  web::tr(lang, std::string_view(text_lang) == "vi" ? "In Vietnamese" : "In English"));
        group.set("items", items);
        group.set("has_items", !items.empty());
        out.push_back(group);
    }
    return out;
}

// ---- Pages -----------------------------------------------------------------------------------

web::page_data message_form_data(const form_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    const core::campaign& c = *v.campaign;
    const message_form& f = v.form;
    const http::principal& user = *req.user;
    web::page_data d;
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("messages_href", campaign_base(c) + "/messages");
    const bool is_new = v.existing == nullptr;
    d.set("is_new", is_new);
    if (is_new) {
        d.set("title", web::tr(lang, "New message"));
        d.set("action", campaign_base(c) + "/messages");
        d.set("cancel_href", campaign_base(c) + "/messages");
    } else {
        const core::message& m = v.existing->item;
        d.set("title", web::tr(lang, "Edit message"));
        d.set("code", m.id);
        d.set("message_title", m.title.in(lang).empty() ? m.id : m.title.in(lang));
        d.set("action", campaign_base(c) + "/messages/" + m.id + "/edit");
        d.set("cancel_href", campaign_base(c) + "/messages/" + m.id);
        d.set("current_version", std::to_string(v.existing->version));
        d.set("state_label", state_label(m.state, lang));
        d.set("reopens", m.state != "draft");
        d.set("withdraws", v.existing->approved());
    }
    d.set("version", f.version);
    d.set("conflict", v.conflict);

    web::page_list departments;
    for (const auto& dep : c.departments) {
        if (!app::may_edit_department(user, dep.code)) continue;
        web::page_data item;
        item.set("code", dep.code);
        item.set("name", dep.name.in(lang));
        item.set("selected", dep.code == f.department);
        departments.push_back(item);
    }
    d.set("departments", departments);
    d.set("title_vi", f.title_vi);
    d.set("title_en", f.title_en);
    // The inputs' maxlength: core/domain/limits.hpp, as the checks above and campaign files.
    d.set("max_title", std::to_string(max_title_chars));
    d.set("max_text", std::to_string(max_text_chars));
    d.set("text_vi", f.text_vi);
    d.set("text_en", f.text_en);
    d.set("duration_s", f.duration_s);
    d.set("priority", f.priority);
    d.set("flight_start", f.flight_start);
    d.set("flight_end", f.flight_end);
    d.set("airings", f.airings);
    d.set("airings_per_day", f.airings_per_day);
    d.set("airings_per_week", f.airings_per_week);
    d.set("max_per_outlet_per_day", f.max_per_outlet_per_day);
    d.set("min_gap_minutes", f.min_gap_minutes);
    d.set("max_gap_minutes", std::to_string(max_gap_minutes));
    web::page_list dayparts;
    std::vector<std::string> offered;
    const auto add_daypart = [&](const std::string& code, const std::string& name, const std::string& where) {
        web::page_data item;
        item.set("code", code);
        item.set("name", name);
        item.set("where", where);
        item.set("has_where", !where.empty());
        item.set("checked", contains(f.dayparts, code));
        dayparts.push_back(item);
        offered.push_back(code);
    };
    for (const core::daypart* dp : dayparts_of(c, nullptr))
        add_daypart(dp->code, dp->name.in(lang).empty() ? dp->code : dp->name.in(lang), daypart_where(c, dp->code, nullptr, lang));
    // A chosen code that no outlet has (any more) stays in the list, ticked, to be seen and unticked.
    for (const auto& code : unique_values(f.dayparts))
        if (!contains(offered, code)) add_daypart(code, code, {});
    d.set("dayparts", dayparts);
    d.set("has_dayparts", !dayparts.empty());
    d.set("period_start", web::iso_date(c.period_start));
    d.set("period_end", web::iso_date(c.period_end));

    web::page_list channels;
    for (const char* ch : core::channel_names) {
        web::page_data item;
        item.set("value", ch);
        item.set("label", channel_label(ch, lang));
        item.set("checked", contains(f.channels, ch));
        channels.push_back(item);
    }
    d.set("channels", channels);
    web::page_list audiences;
    for (const auto& a : c.audiences) {
        web::page_data item;
        item.set("code", a.code);
        item.set("name", a.name.in(lang));
        item.set("checked", contains(f.audiences, a.code));
        audiences.push_back(item);
    }
    d.set("audiences", audiences);
    d.set("has_audiences", !audiences.empty());
    web::page_list outlets;
    for (const auto& o : c.outlets) {
        web::page_data item;
        item.set("slug", o.slug);
        item.set("name", o.name.in(lang));
        item.set("kind_label", outlet_kind_label(o.kind, lang));
        item.set("checked", contains(f.outlets, o.slug));
        outlets.push_back(item);
    }
    d.set("outlets", outlets);
    d.set("has_outlets", !outlets.empty());

    set_errors(d, v.errors, lang);
    d.set("with_previews", v.with_previews);
    if (v.with_previews) d.set("previews", preview_data(best_effort(f, c), c, lang));
    return d;
}

std::optional<message_filter_error> check_message_filter(const core::campaign& c,
                                                         const core::message_filter& f) {
    const auto offered = [](const auto& choices, const std::string& value, auto key) {
        return std::any_of(std::begin(choices), std::end(choices),
                           [&](const auto& x) { return key(x) == value; });
    };
    const auto code = [](const auto& x) -> const std::string& { return x.code; };
    const auto name = [](const char* x) { return std::string_view(x); };
    if (f.department && !offered(c.departments, *f.department, code))
        return message_filter_error{"department", *f.department};
    if (f.state && !offered(core::message_states, *f.state, name))
        return message_filter_error{"state", *f.state};
    if (f.channel && !offered(core::channel_names, *f.channel, name))
        return message_filter_error{"channel", *f.channel};
    if (f.audience && !offered(c.audiences, *f.audience, code))
        return message_filter_error{"audience", *f.audience};
    return std::nullopt;
}

std::string message_filter_error_text(const message_filter_error& e, std::string_view lang) {
    const std::vector<std::pair<std::string, std::string>> value{{"value", e.value}};
    if (e.parameter == "department")
        return web::tr(lang, "This campaign has no department “{value}”: choose one from the filter.", value);
    if (e.parameter == "state")
        return web::tr(lang, "There is no message state “{value}”: choose one from the filter.", value);
    if (e.parameter == "channel")
        return web::tr(lang, "There is no channel “{value}”: choose one from the filter.", value);
    if (e.parameter == "audience")
        return web::tr(lang, "This campaign has no audience “{value}”: choose one from the filter.", value);
    return {};
}

web::page_data message_list_data(const core::campaign& c, const std::vector<core::stored_message>& list,
                                 const core::message_filter& filter, const http::request& req) {
    const std::string& lang = req.lang;
    web::page_data d;
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("title", web::tr(lang, "Messages"));
    d.set("action", campaign_base(c) + "/messages");
    d.set("may_create", app::allows(http::access::editor, req.user));
    d.set("new_href", campaign_base(c) + "/messages/new");
    d.set("is_approver", app::allows(http::access::approver, req.user));
    d.set("approvals_href", campaign_base(c) + "/approvals");

    web::page_list departments;
    for (const auto& dep : c.departments) {
        web::page_data item;
        item.set("value", dep.code);
        item.set("label", dep.name.in(lang));
        item.set("selected", filter.department && *filter.department == dep.code);
        departments.push_back(item);
    }
    d.set("departments", departments);
    d.set("states", state_options(filter.state, lang));
    web::page_list channels;
    for (const char* ch : core::channel_names) {
        web::page_data item;
        item.set("value", ch);
        item.set("label", channel_label(ch, lang));
        item.set("selected", filter.channel && *filter.channel == ch);
        channels.push_back(item);
    }
    d.set("channels", channels);
    web::page_list audiences;
    for (const auto& a : c.audiences) {
        web::page_data item;
        item.set("value", a.code);
        item.set("label", a.name.in(lang));
        item.set("selected", filter.audience && *filter.audience == a.code);
        audiences.push_back(item);
    }
    d.set("audiences", audiences);
    d.set("filtered", filter.department || filter.state || filter.channel || filter.audience);

    web::page_list rows;
    for (const auto& s : list) {
        const core::message& m = s.item;
        web::page_data row;
        row.set("code", m.id);
        row.set("href", campaign_base(c) + "/messages/" + m.id);
        row.set("title", m.title.in(lang).empty() ? m.id : m.title.in(lang));
        row.set("department", name_of(c.departments, m.department, lang));
        row.set("state", m.state);
        row.set("state_label", state_label(m.state, lang));
        std::vector<std::string> labels;
        for (const auto& ch : m.channels) labels.push_back(channel_label(ch, lang));
        row.set("channels", joined(labels));
        row.set("flight_start", web::format_date(m.flight_start, lang));
        row.set("flight_end", web::format_date(m.flight_end, lang));
        row.set("flight_start_iso", web::iso_date(m.flight_start));
        row.set("flight_end_iso", web::iso_date(m.flight_end));
        row.set("priority", std::to_string(m.priority));
        row.set("version", std::to_string(s.version));
        rows.push_back(row);
    }
    d.set("rows", rows);
    d.set("has_rows", !rows.empty());
    d.set("count", web::format_integer(static_cast<long long>(rows.size()), lang));
    return d;
}

web::page_data message_detail_data(const detail_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    const core::campaign& c = *v.campaign;
    const core::stored_message& s = *v.message;
    const core::message& m = s.item;
    const date::time_zone* zone = core::find_zone(c.time_zone);
    web::page_data d;
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("messages_href", campaign_base(c) + "/messages");
    const std::string href = campaign_base(c) + "/messages/" + m.id;
    d.set("title", m.title.in(lang).empty() ? m.id : m.title.in(lang));
    d.set("code", m.id);
    d.set("state", m.state);
    d.set("state_label", state_label(m.state, lang));
    d.set("version", std::to_string(s.version));
    d.set("is_approved", s.approved());
    d.set("has_approved_version", s.approved_version.has_value() && !s.approved());
    d.set("approved_version", s.approved_version ? std::to_string(*s.approved_version) : std::string());
    d.set("is_web", s.origin == "web");
    d.set("department", name_of(c.departments, m.department, lang));
    std::vector<std::string> channel_labels;
    for (const auto& ch : m.channels) channel_labels.push_back(channel_label(ch, lang));
    d.set("channels", joined(channel_labels));
    d.set("duration", web::format_integer(m.duration_s, lang));
    d.set("has_duration", m.duration_s > 0);
    d.set("priority", std::to_string(m.priority));
    d.set("flight_start", web::format_date(m.flight_start, lang));
    d.set("flight_end", web::format_date(m.flight_end, lang));
    d.set("flight_start_iso", web::iso_date(m.flight_start));
    d.set("flight_end_iso", web::iso_date(m.flight_end));
    d.set("airings", airings_wanted(m, lang));
    d.set("asks_for_no_airings", core::asks_for_no_airings(m));
    set_planner_rules(d, c, m, lang);
    std::vector<std::string> audience_names;
    for (const auto& a : m.audiences) audience_names.push_back(audience_name(c, a, lang));
    web::set_optional(d, "audiences", joined(audience_names));
    std::vector<std::string> outlet_names;
    for (const auto& o : m.outlets) outlet_names.push_back(outlet_name(c, o, lang));
    web::set_optional(d, "outlets", joined(outlet_names));
    d.set("title_vi", m.title.vi);
    d.set("title_en", m.title.en);
    d.set("text_vi_lines", lines_of(m.text.vi));
    d.set("has_text_en", !m.text.en.empty());
    d.set("text_en_lines", lines_of(m.text.en));
    d.set("previews", preview_data(m, c, lang));

    const http::principal* user = req.user ? &*req.user : nullptr;
    const bool may_edit = user != nullptr && app::may_edit_department(*user, m.department);
    d.set("may_edit", may_edit);
    d.set("edit_href", href + "/edit");
    d.set("may_submit", may_edit && m.state == "draft");
    d.set("submit_action", href + "/submit");
    const bool may_review = app::allows(http::access::approver, req.user) && m.state == "submitted";
    d.set("may_review", may_review);
    d.set("approve_action", href + "/approve");
    d.set("reject_action", href + "/reject");
    d.set("comment", v.review_comment);
    web::set_optional(d, "err_comment",
                      v.review_error.empty() ? std::string() : web::tr(lang, v.review_error));
    web::set_optional(d, "error_message", v.error.empty() ? std::string() : web::tr(lang, v.error));
    d.set("has_actions", may_edit || may_review);
    web::set_optional(d, "flash", done_text(v.done, lang));

    web::page_list versions;
    web::page_list reviews;
    if (v.history != nullptr) {
        const auto& vs = v.history->versions;
        for (std::size_t i = 0; i < vs.size(); ++i) {
            const auto& ver = vs[i];
            web::page_data item;
            item.set("version", std::to_string(ver.version));
            item.set("author", ver.author);
            item.set("has_author", !ver.author.empty());
            item.set("at", shown_time(ver.created_at, zone, lang));
            item.set("at_iso", ver.created_at);
            item.set("is_current", ver.version == s.version);
            item.set("is_approved_version", s.approved_version && *s.approved_version == ver.version);
            // Versions are newest first: the one after this in the list is its predecessor.
            const std::string changes = i + 1 < vs.size()
                                            ? joined(changed_fields(vs[i + 1].content, ver.content,
                                                                 vs[i + 1].rules_recorded && ver.rules_recorded, lang))
                                            : std::string();
            item.set("changes", changes);
            item.set("has_changes", !changes.empty());
            item.set("text_vi", ver.content.text.vi);
            versions.push_back(item);
        }
        for (const auto& r : v.history->reviews) {
            web::page_data item;
            item.set("action", r.action);
            item.set("action_label", review_label(r.action, lang));
            item.set("version", std::to_string(r.version));
            item.set("reviewer", r.reviewer);
            item.set("has_reviewer", !r.reviewer.empty());
            item.set("at", shown_time(r.at, zone, lang));
            item.set("at_iso", r.at);
            item.set("comment", r.comment);
            item.set("has_comment", !r.comment.empty());
            reviews.push_back(item);
        }
    }
    d.set("versions", versions);
    d.set("has_versions", !versions.empty());
    d.set("reviews", reviews);
    d.set("has_reviews", !reviews.empty());
    return d;
}

web::page_data approvals_data(const core::campaign& c, const std::vector<queued_message>& queue,
                              const http::request& req, std::string_view done) {
    const std::string& lang = req.lang;
    const date::time_zone* zone = core::find_zone(c.time_zone);
    web::page_data d;
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("title", web::tr(lang, "Approvals"));
    d.set("messages_href", campaign_base(c) + "/messages");
    web::set_optional(d, "flash", done_text(done, lang));
    web::page_list items;
    for (const auto& q : queue) {
        const core::message& m = q.message.item;
        const std::string href = campaign_base(c) + "/messages/" + m.id;
        web::page_data item;
        item.set("code", m.id);
        item.set("href", href);
        item.set("title", m.title.in(lang).empty() ? m.id : m.title.in(lang));
        item.set("department", name_of(c.departments, m.department, lang));
        item.set("version", std::to_string(q.message.version));
        item.set("submitted_by", q.submitted_by);
        item.set("has_submitted_by", !q.submitted_by.empty());
        item.set("submitted_at",
                 q.submitted_at.empty() ? std::string() : shown_time(q.submitted_at, zone, lang));
        item.set("has_submitted_at", !q.submitted_at.empty());
        std::vector<std::string> labels;
        for (const auto& ch : m.channels) labels.push_back(channel_label(ch, lang));
        item.set("channels", joined(labels));
        item.set("flight_start", web::format_date(m.flight_start, lang));
        item.set("flight_end", web::format_date(m.flight_end, lang));
        item.set("text_vi_lines", lines_of(m.text.vi));
        item.set("airings", airings_wanted(m, lang));
        item.set("asks_for_no_airings", core::asks_for_no_airings(m));
        set_planner_rules(item, c, m, lang);
        item.set("approve_action", href + "/approve");
        item.set("reject_action", href + "/reject");
        items.push_back(item);
    }
    d.set("items", items);
    d.set("has_items", !items.empty());
    d.set("count", web::format_integer(static_cast<long long>(items.size()), lang));
    return d;
}

// ---- Audit log -------------------------------------------------------------------------------

audit_filters audit_filters_from(const http::request& req) {
    audit_filters f;
    f.entity = trimmed(req.query_value("entity").value_or(""));
    f.action = trimmed(req.query_value("action").value_or(""));
    f.actor = trimmed(req.query_value("actor").value_or(""));
    f.from = trimmed(req.query_value("from").value_or(""));
    f.to = trimmed(req.query_value("to").value_or(""));
    f.page = parse_int(req.query_value("page").value_or("1"), 1, 1000000).value_or(1);
    // Dates as the date inputs show them back (YYYY-MM-DD), however they were typed.
    for (auto [text, field] : {std::pair{&f.from, "from"}, std::pair{&f.to, "to"}}) {
        if (text->empty()) continue;
        if (const auto d = core::typed_date(*text)) {
            *text = web::iso_date(*d);
        } else {
            f.errors[field] = "Enter a date that exists, such as 2024-07-30.";
        }
    }
    if (f.errors.empty() && !f.from.empty() && !f.to.empty() && *core::typed_date(f.to) < *core::typed_date(f.from))
        f.errors["to"] = "The last day must be on or after the first day.";
    return f;
}

core::audit_query audit_query_for(const audit_filters& f, const std::string& campaign_slug,
                                  const date::time_zone* zone) {
    core::audit_query q;
    if (!f.entity.empty()) q.entity = f.entity;
    if (!f.action.empty()) q.action = f.action;
    if (!f.actor.empty()) q.actor = f.actor;
    if (!campaign_slug.empty()) q.campaign_slug = campaign_slug;
    const auto utc_text = [](date::sys_time<std::chrono::milliseconds> t) {
        return core::iso_utc_ms(t);
    };
    // Dates are typed in the page's zone: from its local midnight to the end of the last day.
    if (const auto from = core::typed_date(f.from); from && f.errors.empty()) {
        const auto start = core::to_sys(date::local_seconds{date::local_days{*from}}, zone);
        q.from = utc_text(date::sys_time<std::chrono::milliseconds>{start});
    }
    if (const auto to = core::typed_date(f.to); to && f.errors.empty()) {
        const auto next = core::to_sys(date::local_seconds{date::local_days{*to} + date::days{1}}, zone);
        q.to = utc_text(date::sys_time<std::chrono::milliseconds>{next} - std::chrono::milliseconds{1});
    }
    q.limit = audit_page_size;
    q.offset = (f.page - 1) * audit_page_size;
    return q;
}

namespace {

// What a field of an audit row's JSON (core/storage: activity_audit_json, message_audit_json,
// target_audit_json, placement_audit_json, token_audit_json, user_json) is called in the page's
// language; a key not known here is shown as it is stored.
std::string audit_field_label(const std::string& entity, const std::string& key, std::string_view lang) {
    static const std::map<std::string, std::string_view, std::less<>> labels = {
        {"id", "Code"},
        {"code", "Code"},
        {"department", "Department"},
        {"kind", "Kind"},
        {"title", "Title"},
        {"description", "Description"},
        {"all_day", "All day"},
        {"start", "Start"},
        {"end", "End"},
        {"rrule", "Repeats"},
        {"time_zone", "Time zone"},
        {"location", "Place"},
        {"audiences", "Audiences"},
        {"visibility", "Who may see it"},
        {"origin", "Origin"},
        {"cancelled", "Cancelled"},
        {"text", "Text"},
        {"channels", "Channels"},
        {"duration_s", "Duration (seconds)"},
        {"priority", "Priority"},
        {"flight_start", "First day of the flight"},
        {"flight_end", "Last day of the flight"},
        {"airings", "Airings wanted in total"},
        {"airings_per_day", "Airings a day"},
        {"airings_per_week", "Airings a week"},
        {"max_per_outlet_per_day", "At most a day on one outlet"},
        {"min_gap_minutes", "Minimum gap (minutes)"},
        {"dayparts", "Dayparts"},
        {"outlets", "Outlets"},
        {"state", "State"},
        {"version", "Version"},
        {"approved_version", "Approved version"},
        {"outlet", "Outlet"},
        {"outlet_kind", "Kind of outlet"},
        {"url", "Address (URL)"},
        {"concurrency", "Concurrency"},
        {"grace_s", "Grace period (seconds)"},
        {"retry_window_s", "Retry window (seconds)"},
        {"lead_s", "Lead time (seconds)"},
        {"enabled", "Enabled"},
        {"disabled_reason", "Why disabled"},
        {"next_attempt_ms", "Next attempt"},
        {"aired_at", "Aired at"},
        {"note", "Note"},
        {"as_run", "As-run report"},
        {"token", "Feed token"},
        {"removed", "Removed"},
        {"label", "Label"},
        {"created_by", "Created by"},
        {"revoked_at", "Revoked"},
        {"role", "Role"},
        {"language", "Language"},
        {"disabled", "Disabled"},
    };
    // A planner run's figures (core/storage/plan_store.cpp store_plan).
    static const std::map<std::string, std::string_view, std::less<>> plan_labels = {
        {"run", "Run"},
        {"from", "First day planned"},
        {"to", "Last day planned"},
        {"as_of", "Planned as of"},
        {"placed", "Airings placed"},
        {"wanted", "Airings wanted"},
        {"objective_micro", "Objective (value placed)"},
        {"bound_micro", "Upper bound"},
        {"kept", "Placements kept"},
        {"added", "Placements added"},
        {"removed", "Placements not kept (moved or cancelled)"},
        {"moved", "Placements moved or changed"},
        {"cancelled", "Placements cancelled"},
    };
    if (entity == "plan") {
        if (const auto p = plan_labels.find(key); p != plan_labels.end()) return web::tr(lang, p->second);
    }
    if (key == "name" && entity == "dispatch_target") return web::tr(lang, "Receiver name");
    if (key == "enqueued" && entity == "dispatch_target") return web::tr(lang, "Dispatches queued");
    const auto it = labels.find(key);
    return it == labels.end() ? key : web::tr(lang, it->second);
}

// The fields that differ between the before and after JSON objects, each named in the page's
// language; values as stored (strings bare, yes/no for flags, other values as compact JSON).
web::page_list json_changes(const std::string& entity, const std::optional<std::string>& before,
                            const std::optional<std::string>& after, std::string_view lang) {
    web::page_list out;
    boost::system::error_code ec;
    boost::json::value b =
        before ? boost::json::parse(*before, ec) : boost::json::value(boost::json::object());
    if (ec || !b.is_object()) return out;
    boost::json::value a = after ? boost::json::parse(*after, ec) : boost::json::value(boost::json::object());
    if (ec || !a.is_object()) return out;
    std::set<std::string> keys;
    for (const auto& kv : b.get_object()) keys.insert(std::string(kv.key()));
    for (const auto& kv : a.get_object()) keys.insert(std::string(kv.key()));
    const auto shown = [&entity, lang](const boost::json::object& o, const std::string& k) -> std::string {
        const boost::json::value* v = o.if_contains(k);
        if (v == nullptr || v->is_null()) return "—";
        if (v->is_string()) {
            const std::string text(v->get_string());
            if (k == "state") return entity == "message" ? state_label(text, lang) : placement_state_label(text, lang);
            if (k == "note") return dispatch_note_text(text, lang);  // loa's own notes translated
            return text;
        }
        if (v->is_bool()) return web::tr(lang, v->get_bool() ? "Yes" : "No");
        if (v->is_object()) {
            // A text in both languages (a title): the page's, else the Vietnamese.
            const auto& obj = v->get_object();
            const auto* own = obj.if_contains(lang);
            const auto* vi = obj.if_contains("vi");
            if (own != nullptr && own->is_string() && !own->get_string().empty()) return std::string(own->get_string());
            if (vi != nullptr && vi->is_string()) return std::string(vi->get_string());
        }
        // A list of codes (channels, audiences, dayparts, outlets): one after another, a channel by
        // its name; an empty list as nothing.
        if (v->is_array() && std::all_of(v->get_array().begin(), v->get_array().end(),
                                         [](const boost::json::value& x) { return x.is_string(); })) {
            std::string text;
            for (const auto& x : v->get_array()) {
                const std::string code(x.get_string());
                if (!text.empty()) text += ", ";
                text += k == "channels" ? channel_label(code, lang) : code;
            }
            return text.empty() ? "—" : text;
        }
        if (entity == "plan" && (k == "objective_micro" || k == "bound_micro") && v->is_int64()) {
            return web::format_number(static_cast<double>(v->get_int64()) / 1e6, lang);
        }
        // Counts as numbers are written on the page (1.260); ids and versions as they are.
        static const std::set<std::string, std::less<>> counts = {"placed", "wanted", "kept", "added", "removed",
                                                                  "moved", "cancelled", "enqueued"};
        if (v->is_int64() && counts.contains(k)) return web::format_integer(v->get_int64(), lang);
        return boost::json::serialize(*v);
    };
    for (const auto& k : keys) {
        const std::string bv = shown(b.get_object(), k);
        const std::string av = shown(a.get_object(), k);
        if (bv == av) continue;
        web::page_data item;
        item.set("field", audit_field_label(entity, k, lang));
        item.set("before", bv);
        item.set("after", av);
        out.push_back(item);
    }
    return out;
}

web::page_list options(const std::vector<std::string>& values, const std::string& selected,
                       const std::function<std::string(const std::string&)>& label =
                           [](const std::string& v) { return v; }) {
    web::page_list out;
    for (const auto& v : values) {
        web::page_data item;
        item.set("value", v);
        item.set("label", label(v));
        item.set("selected", v == selected);
        out.push_back(item);
    }
    return out;
}

// What the audit log's entity and action codes (core/storage: record_change, audit_user, …) say
// in the page's language; a code not known here is shown as it is stored.
std::string audit_entity_label(const std::string& code, std::string_view lang) {
    if (code == "activity") return web::tr(lang, "Activity");
    if (code == "message") return web::tr(lang, "Message");
    if (code == "placement") return web::tr(lang, "Placement");
    if (code == "plan") return web::tr(lang, "Planner run");
    if (code == "dispatch") return web::tr(lang, "Dispatch");
    if (code == "dispatch_target") return web::tr(lang, "Receiver");
    if (code == "feed_token") return web::tr(lang, "Feed token");
    if (code == "user") return web::tr(lang, "Account");
    return code;
}

std::string audit_action_label(const std::string& code, std::string_view lang) {
    // Two actions, two labels: the action filter would otherwise offer "Added" twice.
    if (code == "create") return web::tr(lang, "Created (new)");
    if (code == "add") return web::tr(lang, "Added");
    if (code == "edit") return web::tr(lang, "Edited");
    if (code == "cancel") return web::tr(lang, "Cancelled");
    if (code == "submit") return web::tr(lang, "Submitted for approval");
    if (code == "approve") return web::tr(lang, "Approved");
    if (code == "reject") return web::tr(lang, "Returned with comment");
    if (code == "run") return web::tr(lang, "Run");
    if (code == "planned") return web::tr(lang, "planned");
    if (code == "published") return web::tr(lang, "published");
    if (code == "aired") return web::tr(lang, "aired");
    if (code == "missed") return web::tr(lang, "missed");
    if (code == "as-run aired") return web::tr(lang, "As-run: aired");
    if (code == "as-run missed") return web::tr(lang, "As-run: missed");
    if (code == "as-run partial") return web::tr(lang, "As-run: partly aired");
    if (code == "retry") return web::tr(lang, "Retried now");
    if (code == "requeue") return web::tr(lang, "Requeued");
    if (code == "remove") return web::tr(lang, "Removed");
    if (code == "enable") return web::tr(lang, "Enabled");
    if (code == "disable") return web::tr(lang, "Disabled");
    if (code == "revoke") return web::tr(lang, "Revoked");
    if (code == "password") return web::tr(lang, "Password changed");
    if (code == "language") return web::tr(lang, "Language changed");
    return code;
}

std::string audit_link(const std::string& base, const audit_filters& f, int page) {
    std::string q = "?page=" + std::to_string(page);
    const auto add = [&](const char* name, const std::string& v) {
        if (!v.empty()) q += std::string("&") + name + "=" + web::url_encode(v);
    };
    add("entity", f.entity);
    add("action", f.action);
    add("actor", f.actor);
    add("from", f.from);
    add("to", f.to);
    return base + q;
}

}  // namespace

// Who made a change, as the log names them: people by name; the command line (written "cli" or
// "(command line)" by the commands) and loa's dispatcher (core/storage/dispatch_store.cpp: it marks
// placements missed and disables targets that answer 410) in the page's language.
std::string audit_actor_label(const std::string& actor, std::string_view lang) {
    if (actor == "cli" || actor == "(command line)") return web::tr(lang, "the command line");
    if (actor == "dispatcher") return web::tr(lang, "loa's dispatcher");
    // An outlet's as-run report, as server/handlers/as_run.cpp names its sender.
    constexpr std::string_view outlet_head = "outlet ";
    constexpr std::string_view token_head = " (feed token ";
    if (actor.starts_with(outlet_head) && actor.ends_with(")")) {
        const auto at = actor.find(token_head);
        if (at != std::string::npos && at > outlet_head.size()) {
            const std::string outlet = actor.substr(outlet_head.size(), at - outlet_head.size());
            const std::string token = actor.substr(at + token_head.size(), actor.size() - 1 - at - token_head.size());
            return web::tr(lang, "outlet {outlet} (feed token {token})", {{"outlet", outlet}, {"token", token}});
        }
    }
    return actor;
}

web::page_data audit_data(const audit_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    web::page_data d;
    const std::string base = v.campaign_slug.empty() ? "/audit" : "/campaigns/" + v.campaign_slug + "/audit";
    if (!v.campaign_slug.empty()) {
        d.set("campaign_slug", v.campaign_slug);
        d.set("campaign_title", v.campaign_title);
    }
    d.set("is_campaign", !v.campaign_slug.empty());
    d.set("title", web::tr(lang, "Audit log"));
    d.set("action", base);
    d.set("zone", v.zone != nullptr ? v.zone->name() : std::string("UTC"));
    d.set("entities", options(v.entities, v.filters.entity,
                              [&lang](const std::string& c) { return audit_entity_label(c, lang); }));
    d.set("actions", options(v.actions, v.filters.action,
                             [&lang](const std::string& c) { return audit_action_label(c, lang); }));
    d.set("actors", options(v.actors, v.filters.actor,
                            [&lang](const std::string& c) { return audit_actor_label(c, lang); }));
    d.set("from", v.filters.from);
    d.set("to", v.filters.to);
    web::set_optional(d, "err_from",
                      v.filters.errors.contains("from") ? web::tr(lang, v.filters.errors.at("from")) : "");
    web::set_optional(d, "err_to",
                      v.filters.errors.contains("to") ? web::tr(lang, v.filters.errors.at("to")) : "");
    d.set("has_errors", !v.filters.errors.empty());

    web::page_list rows;
    std::int64_t total = 0;
    if (v.page != nullptr) {
        total = v.page->total;
        for (const auto& r : v.page->records) {
            web::page_data row;
            row.set("id", std::to_string(r.id));
            row.set("at", shown_time(r.at, v.zone, lang));
            row.set("at_iso", r.at);
            row.set("actor", audit_actor_label(r.actor, lang));
            row.set("entity", audit_entity_label(r.entity, lang));
            row.set("entity_key", r.entity_key);
            row.set("action", audit_action_label(r.action, lang));
            row.set("campaign", r.campaign_slug);
            const bool message_link = r.entity == "message" && !r.campaign_slug.empty();
            row.set("has_link", message_link);
            row.set("link", message_link ? "/campaigns/" + r.campaign_slug + "/messages/" + r.entity_key
                                         : std::string());
            const web::page_list changes = json_changes(r.entity, r.before_json, r.after_json, lang);
            row.set("changes", changes);
            row.set("has_changes", !changes.empty());
            row.set("before_json", r.before_json.value_or(""));
            row.set("after_json", r.after_json.value_or(""));
            row.set("has_before", r.before_json.has_value());
            row.set("has_after", r.after_json.has_value());
            rows.push_back(row);
        }
    }
    d.set("rows", rows);
    d.set("has_rows", !rows.empty());
    d.set("total", web::format_integer(total, lang));
    const int pages = static_cast<int>((total + audit_page_size - 1) / audit_page_size);
    const int page = v.filters.page;
    d.set("page", std::to_string(page));
    d.set("pages", std::to_string(std::max(pages, 1)));
    d.set("has_prev", page > 1);
    d.set("prev_href", audit_link(base, v.filters, std::max(page - 1, 1)));
    d.set("has_next", page < pages);
    d.set("next_href", audit_link(base, v.filters, page + 1));
    return d;
}

}  // namespace loa::handlers
