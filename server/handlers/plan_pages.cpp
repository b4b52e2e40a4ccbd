// The planner's surfaces, pure part: API body and page form, the report read back from plan_json,
// summaries, translated reasons, the day schedule, and the page data of plan.mustache.
#include "server/handlers/plan_pages.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <tuple>
#include <utility>

#include <date/tz.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/text/ascii_fold.hpp"
#include "core/text/json_error.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/activity_form.hpp"
#include "server/handlers/message_pages.hpp"

namespace loa::handlers {
namespace {

namespace json = boost::json;

// ---- Small helpers --------------------------------------------------------------------------------

std::string trimmed(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

// Days from `from` to `to`, both included (0 or less when to < from).
long long days_inclusive(core::calendar_date from, core::calendar_date to) {
    return (date::sys_days{to} - date::sys_days{from}).count() + 1;
}

const json::value* member(const json::object& o, std::string_view key) {
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
}

std::string string_of(const json::object& o, std::string_view key) {
    const json::value* v = member(o, key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

double number_of(const json::object& o, std::string_view key) {
    const json::value* v = member(o, key);
    if (v == nullptr) return 0;
    if (v->is_double()) return v->as_double();
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_uint64()) return static_cast<double>(v->as_uint64());
    return 0;
}

int int_of(const json::object& o, std::string_view key) {
    return static_cast<int>(std::llround(number_of(o, key)));
}

bool bool_of(const json::object& o, std::string_view key) {
    const json::value* v = member(o, key);
    return v != nullptr && v->is_bool() && v->as_bool();
}

const core::message* find_message(const core::campaign& c, std::string_view code) {
    for (const auto& m : c.messages)
        if (m.id == code) return &m;
    return nullptr;
}

const core::outlet* find_outlet(const core::campaign& c, std::string_view slug) {
    for (const auto& o : c.outlets)
        if (o.slug == slug) return &o;
    return nullptr;
}

std::string message_title(const core::campaign& c, const std::string& code, std::string_view lang) {
    const core::message* m = find_message(c, code);
    if (m == nullptr || m->title.in(lang).empty()) return code;
    return m->title.in(lang);
}

std::string outlet_name(const core::campaign& c, const std::string& slug, std::string_view lang) {
    const core::outlet* o = find_outlet(c, slug);
    return o == nullptr ? slug : o->name.in(lang);
}

std::string department_name(const core::campaign& c, const std::string& code, std::string_view lang) {
    for (const auto& d : c.departments)
        if (d.code == code) return d.name.in(lang);
    return code;
}

std::string daypart_name(const core::campaign& c, const std::string& outlet, const std::string& code,
                         std::string_view lang) {
    if (const core::outlet* o = find_outlet(c, outlet)) {
        for (const auto& d : o->dayparts)
            if (d.code == code && !d.name.in(lang).empty()) return d.name.in(lang);
    }
    return code;
}

std::string shown_date(const std::string& iso, std::string_view lang) {
    const auto d = core::typed_date(iso);
    return d ? web::format_date(*d, lang) : iso;
}


std::string amount(double value, std::string_view lang) {
    return web::format_number(std::round(value * 100.0) / 100.0, lang, -1);
}

// Collapses the spaces an empty placeholder leaves ("  ", " .", " :").
std::string tidy(std::string s) {
    for (std::size_t at = s.find("  "); at != std::string::npos; at = s.find("  ")) s.erase(at, 1);
    for (const char* p : {" .", " :", " ,"}) {
        for (std::size_t at = s.find(p); at != std::string::npos; at = s.find(p)) s.erase(at, 1);
    }
    return trimmed(s);
}

// "2024-07-30T01:02:03.456Z" (or "2024-07-30 01:02:03") → the instant; nullopt when malformed.
std::optional<core::sys_seconds> parse_stored_time(const std::string& at) {
    if (at.size() < 19) return std::nullopt;
    std::string t = at.substr(0, 19);
    t[10] = 'T';
    return core::parse_iso8601(t + "Z", nullptr);
}

}  // namespace

// ---- The API body -------------------------------------------------------------------------------

plan_api_parse parse_plan_api_body(std::string_view body) {
    plan_api_parse out;
    if (trimmed(body).empty()) return out;
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec) {
        out.errors.push_back({"body", "not valid JSON (" + core::json_error_at(body) + ")"});
        return out;
    }
    if (!v.is_object()) {
        out.errors.push_back(
            {"body", "must be a JSON object such as {\"from\": \"2024-07-01\", \"dry_run\": true}"});
        return out;
    }
    // A key given twice keeps only its last value in the parsed object: say so rather than guess.
    const std::size_t top = body.find('{');
    for (const auto& r : core::json_repeated_keys(body)) {
        if (r.object == top) out.errors.push_back({r.key, "is given twice (" + core::json_position(body, r.at) + "): give it once"});
    }
    if (!out.errors.empty()) return out;
    std::optional<core::calendar_date> from;
    std::optional<core::calendar_date> to;
    for (const auto& [key, value] : v.as_object()) {
        const std::string name(key);
        if (name == "from" || name == "to") {
            if (value.is_null()) continue;
            if (!value.is_string()) {
                out.errors.push_back({name, "must be a string: a date written YYYY-MM-DD, such as \"2024-07-01\" (or null)"});
                continue;
            }
            const std::optional<core::calendar_date> d = core::iso_day(value.as_string());
            if (!d) {
                // What is wrong with it where that can be said (a month 13, 30 February), as loa plan does.
                const auto why = core::iso8601_problem(value.as_string());
                out.errors.push_back({name, why ? *why
                                                : "must be a date that exists, written YYYY-MM-DD (or null)"});
                continue;
            }
            (name == "from" ? from : to) = d;
        } else if (name == "as_of") {
            if (value.is_null()) continue;
            if (!value.is_string() || !parse_as_of(value.as_string(), nullptr)) {
                const auto why = value.is_string() ? core::iso8601_problem(value.as_string()) : std::nullopt;
                out.errors.push_back({name, why ? "names no real date or time: " + *why
                                                : "must be an ISO 8601 date or time, e.g. 2024-07-20T08:00:00+07:00 (or null)"});
                continue;
            }
            out.options.as_of = std::string(value.as_string());
        } else if (name == "dry_run") {
            if (value.is_null()) continue;
            if (!value.is_bool()) {
                out.errors.push_back({name, "must be true or false"});
                continue;
            }
            out.options.run.dry_run = value.as_bool();
        } else {
            out.errors.push_back({name, "unknown field (the body may have: from, to, as_of, dry_run)"});
        }
    }
    if (from && to) {
        const long long days = days_inclusive(*from, *to);
        if (days < 1) {
            out.errors.push_back({"to", "must not be before from (" + web::iso_date(*from) + ")"});
        } else if (days > max_plan_days) {
            out.errors.push_back({"to", "the range is " + std::to_string(days) + " days; at most " +
                                            std::to_string(max_plan_days) + " are planned at once"});
        }
    }
    out.options.run.from = from;
    out.options.run.to = to;
    return out;
}

std::optional<scheduler::planner::instant> parse_as_of(std::string_view text, const date::time_zone* zone) {
    return core::parse_iso8601_instant(trimmed(text), zone);
}

// ---- The page form ------------------------------------------------------------------------------

plan_form plan_form_from(const web::form& f) {
    plan_form out;
    out.from = trimmed(f.get("from"));
    out.to = trimmed(f.get("to"));
    // The box sends "1" when ticked and nothing otherwise; a hand-made request's "0", "false",
    // "off" or "no" is no dry run either (it stores, as the box left unticked does).
    const std::string dry = trimmed(f.get("dry_run"));
    out.dry_run = !(dry.empty() || dry == "0" || dry == "false" || dry == "off" || dry == "no");
    out.outlet = trimmed(f.get("outlet"));
    out.date = trimmed(f.get("date"));
    return out;
}

plan_form_check check_plan_form(const plan_form& f) {
    plan_form_check out;
    out.options.dry_run = f.dry_run;
    if (!f.from.empty()) {
        out.options.from = core::typed_date(f.from);
        if (!out.options.from) out.errors["from"] = "Enter a date that exists, for example 2024-07-01.";
    }
    if (!f.to.empty()) {
        out.options.to = core::typed_date(f.to);
        if (!out.options.to) out.errors["to"] = "Enter a date that exists, for example 2024-07-31.";
    }
    if (out.options.from && out.options.to) {
        const long long days = days_inclusive(*out.options.from, *out.options.to);
        if (days < 1) {
            out.errors["to"] = "The last day must not be before the first day.";
        } else if (days > max_plan_days) {
            static_assert(max_plan_days == 400, "the message (and its translation) says 400");
            out.errors["to"] = "At most 400 days can be planned at once.";
        }
    }
    return out;
}

// ---- The report ---------------------------------------------------------------------------------

std::optional<plan_report> parse_plan_report(std::string_view text) {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.as_object();
    plan_report r;
    r.from = string_of(o, "from");
    r.to = string_of(o, "to");
    r.as_of = string_of(o, "as_of");
    r.objective = number_of(o, "objective");
    r.bound = number_of(o, "bound");
    r.gap = number_of(o, "gap");
    if (const json::value* id = member(o, "run_id"); id != nullptr && id->is_int64())
        r.run_id = id->as_int64();
    if (const json::value* c = member(o, "changes"); c != nullptr && c->is_object()) {
        const json::object& co = c->as_object();
        r.changes = core::plan_changes{int_of(co, "kept"), int_of(co, "added"), int_of(co, "moved"),
                                       int_of(co, "cancelled")};
    }
    if (const json::value* list = member(o, "placements"); list != nullptr && list->is_array()) {
        for (const auto& item : list->as_array()) {
            if (!item.is_object()) continue;
            const json::object& p = item.as_object();
            report_placement x;
            x.message = string_of(p, "message");
            x.outlet = string_of(p, "outlet");
            x.start = string_of(p, "start");
            if (x.start.size() >= 16) {
                x.date = x.start.substr(0, 10);
                x.time = x.start.substr(11, 5);
            }
            x.duration_s = int_of(p, "duration_s");
            x.daypart = string_of(p, "daypart");
            x.weight = number_of(p, "weight");
            x.value = number_of(p, "value");
            x.prime = bool_of(p, "prime");
            x.frozen = bool_of(p, "frozen");
            x.state = string_of(p, "state");
            x.withdrawn = bool_of(p, "withdrawn");
            x.make_good_of = std::llround(number_of(p, "make_good_of"));
            r.placements.push_back(std::move(x));
        }
    }
    if (const json::value* list = member(o, "unplaced"); list != nullptr && list->is_array()) {
        for (const auto& item : list->as_array()) {
            if (!item.is_object()) continue;
            const json::object& u = item.as_object();
            report_unplaced x;
            x.message = string_of(u, "message");
            x.outlet = string_of(u, "outlet");
            x.airings = int_of(u, "airings");
            x.code = string_of(u, "code");
            x.detail = string_of(u, "detail");
            x.longest_s = int_of(u, "longest_s");
            x.reason = string_of(u, "reason");
            x.date = string_of(u, "date");
            x.daypart = string_of(u, "daypart");
            if (const json::value* f = member(u, "flight"); f != nullptr && f->is_object()) {
                x.flight_first = string_of(f->as_object(), "first");
                x.flight_last = string_of(f->as_object(), "last");
            }
            x.min_gap_minutes = int_of(u, "min_gap_minutes");
            x.lost = string_of(u, "lost");
            x.lost_until = string_of(u, "lost_until");
            x.others_full = int_of(u, "others_full");
            x.closed_by_others = int_of(u, "closed_by_others");
            if (const json::value* l = member(u, "limits"); l != nullptr && l->is_object()) {
                x.limit_per_day = int_of(l->as_object(), "per_day");
                x.limit_per_week = int_of(l->as_object(), "per_week");
                x.limit_per_outlet_day = int_of(l->as_object(), "per_outlet_day");
            }
            x.notice_hours = int_of(u, "notice_hours");
            x.every_break = bool_of(u, "every_break");
            x.make_good_of = std::llround(number_of(u, "make_good_of"));
            if (const json::value* b = member(u, "blockers"); b != nullptr && b->is_array()) {
                for (const auto& one : b->as_array()) {
                    if (one.is_string()) {
                        x.blockers.emplace_back(one.as_string());
                    } else if (one.is_object()) {
                        const std::string code = string_of(one.as_object(), "message");
                        if (!code.empty()) x.blockers.push_back(code);
                    }
                }
            }
            r.unplaced.push_back(std::move(x));
        }
    }
    if (const json::value* list = member(o, "asking_none"); list != nullptr && list->is_array()) {
        for (const auto& one : list->as_array()) {
            if (one.is_string() && !one.as_string().empty()) r.asking_none.emplace_back(one.as_string());
        }
    }
    if (const json::value* sum = member(o, "summary"); sum != nullptr && sum->is_object()) {
        const json::object& so = sum->as_object();
        r.has_summary = member(so, "placed") != nullptr;
        r.total.placed = std::llround(number_of(so, "placed"));
        r.total.wanted = std::llround(number_of(so, "wanted"));
        r.total.prime = std::llround(number_of(so, "prime"));
        r.prime_share = number_of(so, "prime_share");
        r.wanted_any_outlet = std::llround(number_of(so, "wanted_any_outlet"));
        const auto tallies = [&](std::string_view list_key, std::string_view key_name,
                                 std::vector<placed_wanted>& into) {
            const json::value* list = member(so, list_key);
            if (list == nullptr || !list->is_array()) return;
            for (const auto& item : list->as_array()) {
                if (!item.is_object()) continue;
                placed_wanted x;
                x.key = string_of(item.as_object(), key_name);
                x.placed = std::llround(number_of(item.as_object(), "placed"));
                x.wanted = std::llround(number_of(item.as_object(), "wanted"));
                x.prime = std::llround(number_of(item.as_object(), "prime"));
                into.push_back(std::move(x));
            }
        };
        tallies("departments", "department", r.departments);
        tallies("outlets", "outlet", r.outlets);
    }
    if (const json::value* list = member(o, "over_wanted"); list != nullptr && list->is_array()) {
        for (const auto& item : list->as_array()) {
            if (!item.is_object()) continue;
            plan_report::surplus x;
            x.message = string_of(item.as_object(), "message");
            x.placed = std::llround(number_of(item.as_object(), "placed"));
            x.wanted = std::llround(number_of(item.as_object(), "wanted"));
            if (!x.message.empty() && x.placed > x.wanted) r.over_wanted.push_back(std::move(x));
        }
    }
    if (const json::value* list = member(o, "notes"); list != nullptr && list->is_array()) {
        for (const auto& n : list->as_array())
            if (n.is_string()) r.notes.emplace_back(n.as_string());
    }
    return r;
}

std::optional<std::pair<std::chrono::sys_seconds, std::chrono::sys_seconds>> day_starts(const plan_report& r,
                                                                                         const day_choice& day) {
    std::optional<std::pair<std::chrono::sys_seconds, std::chrono::sys_seconds>> span;
    for (const auto& p : r.placements) {
        if (p.outlet != day.outlet || p.date != day.date) continue;
        const auto t = core::parse_iso8601_instant(p.start, nullptr);
        if (!t) continue;
        span = span ? std::pair{std::min(span->first, *t), std::max(span->second, *t)} : std::pair{*t, *t};
    }
    return span;
}

void overlay_current(plan_report& r, const day_choice& day, std::string_view campaign,
                     const std::vector<core::schedule_row>& now) {
    using key = std::pair<std::string_view, std::chrono::sys_seconds>;  // message, start
    std::map<key, const core::schedule_row*> by_key;
    for (const auto& row : now) {
        if (row.campaign == campaign && row.state != "cancelled") by_key.emplace(key{row.message, row.start}, &row);
    }
    for (auto& p : r.placements) {
        if (p.outlet != day.outlet || p.date != day.date) continue;
        const auto start = core::parse_iso8601_instant(p.start, nullptr);
        if (!start) continue;
        const auto it = by_key.find(key{p.message, *start});
        if (it == by_key.end()) continue;
        const core::schedule_row& s = *it->second;
        p.withdrawn = s.withdrawn;
        if (s.state == "aired" || s.state == "missed" || s.state == "published") p.state = s.state;
    }
}

plan_summary summarize(const plan_report& r, const core::campaign& c) {
    plan_summary s;
    std::map<std::string, placed_wanted> by_department;
    std::map<std::string, placed_wanted> by_outlet;
    const auto department_of = [&](const std::string& message) {
        const core::message* m = find_message(c, message);
        return m == nullptr ? std::string() : m->department;
    };
    // Prime-time share weighted by priority × day weight (value ÷ daypart weight), when counted here.
    double weight = 0;
    double prime_weight = 0;
    for (const auto& p : r.placements) {
        // As the planner's summary counts: a missed airing or a withdrawn one is not placed.
        if (p.state == "missed" || p.withdrawn) continue;
        for (placed_wanted* x : {&by_department[department_of(p.message)], &by_outlet[p.outlet], &s.total}) {
            ++x->placed;
            ++x->wanted;
            if (p.prime) ++x->prime;
        }
        const double w = p.weight > 0 ? p.value / p.weight : 0;
        weight += w;
        if (p.prime) prime_weight += w;
    }
    for (const auto& u : r.unplaced) {
        by_department[department_of(u.message)].wanted += u.airings;
        by_outlet[u.outlet].wanted += u.airings;
        s.total.wanted += u.airings;
    }
    s.prime_share = weight > 0 ? prime_weight / weight : 0;
    if (r.has_summary) {
        // The planner's own counts win (they know the departments of archived messages and leave
        // missed airings out); only the prime airings per department are counted here.
        const auto primes = by_department;
        by_department.clear();
        for (const auto& d : r.departments) {
            placed_wanted x = d;
            const auto it = primes.find(d.key);
            x.prime = it == primes.end() ? 0 : it->second.prime;
            by_department[d.key] = x;
        }
        by_outlet.clear();
        for (const auto& o : r.outlets) by_outlet[o.key] = o;
        s.wanted_any_outlet = r.wanted_any_outlet;
        s.total = r.total;
        s.prime_share = r.prime_share;
    }
    // The campaign's order first, then what it no longer has (by code), then '' (none) last. Every
    // outlet of the campaign has its row, as in `loa plan`'s table (one with nothing wanted says
    // so: a newspaper without a break clock, say); a department only when it has airings.
    const auto take = [](std::map<std::string, placed_wanted>& from, const std::string& key,
                         std::vector<placed_wanted>& into, bool even_empty) {
        const auto it = from.find(key);
        if (it == from.end()) {
            if (even_empty) into.push_back(placed_wanted{.key = key});
            return;
        }
        it->second.key = key;
        if (even_empty || it->second.placed > 0 || it->second.wanted > 0) into.push_back(it->second);
        from.erase(it);
    };
    for (const auto& d : c.departments) take(by_department, d.code, s.departments, false);
    for (const auto& o : c.outlets) take(by_outlet, o.slug, s.outlets, true);
    for (auto* rest : {&by_department, &by_outlet}) {
        auto& into = rest == &by_department ? s.departments : s.outlets;
        for (auto& [key, x] : *rest) {
            if (key.empty() || (x.placed == 0 && x.wanted == 0)) continue;
            x.key = key;
            into.push_back(x);
        }
        take(*rest, std::string(), into, false);
    }
    return s;
}

std::string unplaced_sentence(const report_unplaced& u, const core::campaign& c, std::string_view lang,
                              std::string_view from, std::string_view to) {
    const std::string outlet = u.outlet.empty() ? std::string() : outlet_name(c, u.outlet, lang);
    const std::string day = u.date.empty() ? std::string() : shown_date(u.date, lang);
    const std::string part = u.daypart.empty() ? std::string() : daypart_name(c, u.outlet, u.daypart, lang);
    std::string where;
    if (!outlet.empty() && !day.empty() && !part.empty()) {
        where = web::tr(lang, "on {outlet} on {date} in the daypart “{daypart}”",
                        {{"outlet", outlet}, {"date", day}, {"daypart", part}});
    } else if (!outlet.empty() && !day.empty()) {
        where = web::tr(lang, "on {outlet} on {date}", {{"outlet", outlet}, {"date", day}});
    } else if (!outlet.empty() && !part.empty()) {
        where =
            web::tr(lang, "on {outlet} in the daypart “{daypart}”", {{"outlet", outlet}, {"daypart", part}});
    } else if (!outlet.empty()) {
        where = web::tr(lang, "on {outlet}", {{"outlet", outlet}});
    } else if (!day.empty()) {
        where = web::tr(lang, "on {date}", {{"date", day}});
    }
    // The outlet alone, where the entry's date is not where the rule binds (the last day lost).
    const std::string on_outlet = outlet.empty() ? std::string() : web::tr(lang, "on {outlet}", {{"outlet", outlet}});
    std::string blockers;
    constexpr std::size_t shown_blockers = 5;
    for (std::size_t i = 0; i < u.blockers.size() && i < shown_blockers; ++i) {
        if (i > 0) blockers += ", ";
        blockers += "“" + message_title(c, u.blockers[i], lang) + "”";
    }
    if (u.blockers.size() > shown_blockers) {
        blockers +=
            " " + web::tr(lang, "and {n} more", {{"n", std::to_string(u.blockers.size() - shown_blockers)}});
    }
    // The limits of its own that were reached (rule_limit), each with its figure.
    std::string limits;
    const auto add_limit = [&](int n, std::string text) {
        if (n <= 0) return;
        if (!limits.empty()) limits += "; ";
        limits += text;
    };
    const auto n_of = [&](int n) { return std::vector<std::pair<std::string, std::string>>{{"n", web::format_integer(n, lang)}}; };
    add_limit(u.limit_per_day, web::tr(lang, "{n} a day over all outlets", n_of(u.limit_per_day)));
    add_limit(u.limit_per_week, web::tr(lang, "{n} a week (Monday to Sunday) over all outlets", n_of(u.limit_per_week)));
    add_limit(u.limit_per_outlet_day, web::tr(lang, "{n} a day on one outlet", n_of(u.limit_per_outlet_day)));
    // "Its breaks until {date} were over already / too soon. After that: ", said before the cause
    // that binds on the days after (`kind`: past, lead_time, past_and_lead_time).
    const auto lost_first = [&](std::string_view kind, const std::string& shown) {
        const std::vector<std::pair<std::string, std::string>> until = {{"date", shown}};
        // (Each msgid as tr's own literal: the translation coverage test reads them there.)
        const std::string first =
            kind == "past" ? web::tr(lang, "Its breaks until {date} are over already.", until)
            : kind == "lead_time"
                ? web::tr(lang, "Its breaks until {date} are too soon for the outlet's lead time or freeze horizon.", until)
                : web::tr(lang, "Its breaks until {date} are over already or too soon for the outlet's lead time or freeze horizon.", until);
        return first + " " + web::tr(lang, "After that:") + " ";
    };
    // What follows "After that:" goes on in lower case (its sentences start with a capital: a Latin
    // letter, or Đ in Vietnamese).
    const auto after_that = [&](std::string_view kind, const std::string& shown, std::string rest) {
        if (!rest.empty() && rest[0] >= 'A' && rest[0] <= 'Z') {
            rest[0] = static_cast<char>(rest[0] - 'A' + 'a');
        } else if (rest.starts_with("\xC4\x90")) {  // Đ → đ
            rest[1] = '\x91';
        }
        return lost_first(kind, shown) + rest;
    };
    const core::message* self = find_message(c, u.message);
    std::string s;
    const std::vector<std::pair<std::string, std::string>> at = {{"where", where}};
    if (u.code == "not_approved" && self != nullptr && self->state != "approved" && !self->state.empty()) {
        // Its state as the message pages name it (draft, submitted, rejected): what is to be done.
        // (A message approved since the run was made says only what the run found.)
        s = web::tr(lang, "The message is not approved (its state: {state}), so it is not scheduled.",
                    {{"state", state_label(self->state, lang)}});
    } else if (u.code == "not_approved") {
        s = web::tr(lang, "The message is not approved, so it is not scheduled.");
    } else if (u.code == "no_eligible_outlet") {
        s = web::tr(lang, "No outlet carries the message's channels.");
    } else if (u.code == "no_slot_in_flight" && u.detail == "outside_dates") {
        s = web::tr(lang, "Its flight lies outside the dates planned.");
    } else if (u.code == "no_slot_in_flight" && u.detail == "too_long") {
        s = web::tr(lang, "No break {where} in its allowed dayparts is long enough for it (the longest holds {longest}).",
                    {{"where", where}, {"longest", web::tr(lang, "{n} s", {{"n", std::to_string(u.longest_s)}})}});
    } else if (u.code == "no_slot_in_flight") {
        s = web::tr(lang, "There is no break {where} in its allowed dayparts within its flight.", at);
    } else if (u.code == "blackout") {
        s = web::tr(lang, "Every break {where} falls in a blackout period.", at);
    } else if (u.code == "lead_time" && !day.empty() && (u.detail == "past" || u.notice_hours > 0)) {
        // Every break it could use, until the date of the last of them (not only that daypart on
        // that day). The notice is said as a length, true whenever the page is read.
        const std::vector<std::pair<std::string, std::string>> until = {
            {"where", on_outlet}, {"date", day}, {"n", web::format_integer(u.notice_hours, lang)}};
        s = u.detail == "past" ? web::tr(lang, "Its breaks {where} until {date} are over already.", until)
            : u.notice_hours == 1
                ? web::tr(lang, "Its breaks {where} until {date} are too soon: the outlet needs 1 hour's notice (its lead time or freeze horizon).", until)
                : web::tr(lang, "Its breaks {where} until {date} are too soon: the outlet needs {n} hours' notice (its lead time or freeze horizon).", until);
    } else if (u.code == "lead_time" && u.detail == "past") {
        s = web::tr(lang, "The breaks {where} are over already.", at);
    } else if (u.code == "lead_time") {
        s = web::tr(lang, "The breaks {where} are too soon for the outlet's lead time or freeze horizon.",
                    at);
    } else if (u.code == "rule_limit" && (!limits.empty() || (u.every_break && u.detail.starts_with("after_")))) {
        // Which of its limits, with their figures, as the message form names them: the one to
        // raise. Breaks lost first (over already, too soon) are said before, as for capacity.
        // Its date, if any, is the last day lost, not where the limits bind: {where} names the outlet only.
        s = limits.empty()
                ? web::tr(lang, "It already airs in every break it can use {where}: one airing a break.", {{"where", on_outlet}})
                : web::tr(lang, "Its own limits are reached wherever it could still air {where}: {limits}.",
                          {{"where", on_outlet}, {"limits", limits}});
        if (u.detail.starts_with("after_")) s = after_that(u.detail.substr(6), day, s);
    } else if (u.code == "rule_limit" && u.detail.starts_with("after_")) {
        // A report stored before 2026-12-03 (no limits named). The date is the last day lost, not
        // where the limits bind: said apart from {where}.
        // (Each msgid as tr's own literal: the translation coverage test reads them there.)
        const std::vector<std::pair<std::string, std::string>> lost = {{"where", on_outlet}, {"date", day}};
        s = u.detail == "after_past"
                ? web::tr(lang, "Its breaks {where} until {date} are over already, and after that its own limits (per day, per week, per outlet and day, one airing a break) allow no more airings.", lost)
            : u.detail == "after_lead_time"
                ? web::tr(lang, "Its breaks {where} until {date} are too soon for the outlet's lead time or freeze horizon, and after that its own limits (per day, per week, per outlet and day, one airing a break) allow no more airings.", lost)
                : web::tr(lang, "Its breaks {where} until {date} are over already or too soon for the outlet's lead time or freeze horizon, and after that its own limits (per day, per week, per outlet and day, one airing a break) allow no more airings.", lost);
    } else if (u.code == "rule_limit" && u.detail == "every_break") {
        s = web::tr(lang, "It already airs in every break it can use {where}: one airing a break.", at);
    } else if (u.code == "rule_limit") {
        s = web::tr(lang,
                    "Its own limits (per day, per week, per outlet and day) allow no more airings {where}.",
                    at);
    } else if (u.code == "separation" && !blockers.empty()) {
        // The planner names the messages of the same department only when that rule is the one.
        s = web::tr(lang, "The breaks with room {where} already carry {blockers} of the same department, and a break airs one message of a department.",
                    {{"where", where}, {"blockers", blockers}});
    } else if (const int gap = u.min_gap_minutes > 0 ? u.min_gap_minutes : self != nullptr ? self->min_gap_minutes : 0;
               u.code == "separation" && gap > 0) {
        s = web::tr(lang, "The breaks with room {where} are within its minimum gap ({gap}) of its other airings.",
                    {{"where", where}, {"gap", web::tr(lang, "{n} min", {{"n", web::format_integer(gap, lang)}})}});
    } else if (u.code == "separation") {
        s = web::tr(lang, "The minimum gap or the one-department-per-break rule leaves no break {where}.",
                    at);
    } else if (u.code == "capacity" && !blockers.empty() && u.detail == "higher_priority") {
        s = web::tr(lang, "The breaks {where} are taken by higher-priority messages: {blockers}.",
                    {{"where", where}, {"blockers", blockers}});
    } else if (u.code == "capacity" && !blockers.empty()) {
        s = web::tr(lang, "The breaks {where} are full with other messages: {blockers}.",
                    {{"where", where}, {"blockers", blockers}});
    } else if (u.code == "capacity") {
        s = web::tr(lang, "The breaks {where} are full.", at);
    } else if (u.code == "make_good_no_slot" && u.detail == "not_approved") {
        s = web::tr(lang, "A missed airing {where} gets no make-good: the message is not approved now.", at);
    } else if (u.code == "make_good_no_slot" && u.detail == "not_eligible") {
        s = web::tr(lang, "A missed airing {where} gets no make-good: the outlet no longer carries the message.", at);
    } else if (u.code == "make_good_no_slot" && u.detail == "own_airings") {
        s = web::tr(lang, "A missed airing {where} gets no make-good: every break the message could still use holds one of its own airings already planned, or its limits close it beside them.", at);
    } else if (u.code == "make_good_no_slot") {
        s = web::tr(lang, "A missed airing found no break for its make-good {where}.", at);
    } else if (lang == "en" && !u.reason.empty()) {
        s = u.reason;
    } else {
        s = web::tr(lang, "The planner could not place these airings.");
    }
    // A clause in brackets before the sentence's full stop. (Each msgid as tr's own literal: the
    // translation coverage test reads them there.)
    const auto before_stop = [&](const std::string& clause) {
        if (s.empty() || s.back() != '.') return;
        s.pop_back();
        s += " " + clause;
    };
    // The cell named is one example: the others it could use are full too.
    if (u.code == "capacity" && u.others_full > 0) {
        before_stop(u.others_full == 1
                        ? web::tr(lang, "(and 1 other daypart it could use on its outlets is full too).")
                        : web::tr(lang, "(and {n} other dayparts it could use on its outlets are full too).",
                                  n_of(u.others_full)));
    }
    // Which missed airing (two on one day and daypart are told apart), as the day schedule names it.
    if (u.code == "make_good_no_slot" && u.make_good_of > 0) {
        before_stop(web::tr(lang, "(missed airing #{id}).", {{"id", std::to_string(u.make_good_of)}}));
    }
    // Its own limits are the greater part: the breaks full or closed by a separation rule are said too.
    if (u.code == "rule_limit" && u.closed_by_others > 0) {
        before_stop(u.closed_by_others == 1
                        ? web::tr(lang, "(1 other break it could use is full or closed by a separation rule).")
                        : web::tr(lang, "({n} other breaks it could use are full or closed by a separation rule).",
                                  n_of(u.closed_by_others)));
    }
    // Its breaks until a day were over already or too soon: said first, as the planner does, since
    // those airings may be most of the shortfall that the full breaks after would not explain.
    if ((u.code == "capacity" || u.code == "separation") && !u.lost_until.empty()) {
        s = after_that(u.lost, shown_date(u.lost_until, lang), s);
    }
    // A flight cut by the dates planned holds airings no break of these dates can take: said after
    // the cause named, as the planner does, since it may be most of the shortfall.
    const bool known = !u.flight_first.empty() && !u.flight_last.empty();
    if ((known || self != nullptr) && !from.empty() && !to.empty() &&
        (u.code == "rule_limit" || u.code == "capacity" || u.code == "separation" || u.code == "lead_time")) {
        const std::string first = known ? u.flight_first : web::iso_date(self->flight_start);
        const std::string last = known ? u.flight_last : web::iso_date(self->flight_end);
        if (first < from || last > to) {
            s += " " + web::tr(lang, "Its flight, {first} to {last}, reaches beyond the dates planned ({from} to {to}).",
                               {{"first", shown_date(first, lang)},
                                {"last", shown_date(last, lang)},
                                {"from", shown_date(std::string(from), lang)},
                                {"to", shown_date(std::string(to), lang)}});
        }
    }
    return tidy(std::move(s));
}

// ---- The day schedule ---------------------------------------------------------------------------

std::vector<schedule_break> breaks_of(const scheduler::planner::instance& in, std::string_view outlet_slug,
                                      core::calendar_date d) {
    std::vector<schedule_break> out;
    int index = -1;
    for (std::size_t i = 0; i < in.outlets.size(); ++i)
        if (in.outlets[i].slug == outlet_slug) index = static_cast<int>(i);
    if (index < 0) return out;
    const auto day = date::sys_days{d};
    const auto& o = in.outlets[static_cast<std::size_t>(index)];
    for (const auto& s : in.slots) {
        if (s.outlet != index || s.date != day) continue;
        schedule_break b;
        b.start_utc = s.start.time_since_epoch().count();
        const auto since_midnight = std::chrono::duration_cast<std::chrono::minutes>(
            s.local_start - date::floor<date::days>(s.local_start));
        b.time = web::format_time(since_midnight, "en");
        b.capacity_s = s.capacity_s;
        if (s.daypart >= 0 && static_cast<std::size_t>(s.daypart) < o.dayparts.size()) {
            b.daypart = o.dayparts[static_cast<std::size_t>(s.daypart)].code;
            b.prime = o.dayparts[static_cast<std::size_t>(s.daypart)].prime;
        }
        b.blacked_out = s.blacked_out;
        out.push_back(std::move(b));
    }
    std::stable_sort(out.begin(), out.end(), [](const schedule_break& a, const schedule_break& b) {
        return a.start_utc < b.start_utc;
    });
    return out;
}

bool day_asked_is_unknown(const core::campaign& c, std::string_view outlet, std::string_view date) {
    return (!outlet.empty() && find_outlet(c, outlet) == nullptr) || (!date.empty() && !core::typed_date(date));
}

day_choice choose_day(const plan_report& r, const core::campaign& c, std::string_view outlet,
                      std::string_view date) {
    const bool outlet_ok = !outlet.empty() && find_outlet(c, outlet) != nullptr;
    // As the report writes dates (YYYY-MM-DD), however it was typed (30/07/2024 too).
    const auto typed = date.empty() ? std::nullopt : core::typed_date(date);
    const bool date_ok = typed.has_value();
    const std::string iso = date_ok ? web::iso_date(*typed) : std::string();
    date = iso.empty() ? date : std::string_view(iso);
    day_choice out;
    if (outlet_ok && date_ok) return {std::string(outlet), iso};
    // Placements per ⟨outlet rank, date⟩ among those matching what was given.
    std::map<std::pair<std::size_t, std::string>, int> count;
    const auto rank = [&](const std::string& slug) {
        for (std::size_t i = 0; i < c.outlets.size(); ++i)
            if (c.outlets[i].slug == slug) return i;
        return c.outlets.size();
    };
    for (const auto& p : r.placements) {
        if (outlet_ok && p.outlet != outlet) continue;
        if (date_ok && p.date != date) continue;
        // Only the dates planned: a placement kept from an earlier run outside them (a dry run of
        // other dates shows the stored ones too) is no day to open, and the page's date field
        // takes no date outside them.
        if ((!r.from.empty() && p.date < r.from) || (!r.to.empty() && p.date > r.to)) continue;
        ++count[{rank(p.outlet), p.date}];
    }
    const std::pair<std::size_t, std::string>* best = nullptr;
    int most = 0;
    for (const auto& [key, n] : count) {
        // Ties: the campaign's outlet order, then the earlier date (the map's order).
        if (n > most && key.first < c.outlets.size()) {
            most = n;
            best = &key;
        }
    }
    if (best != nullptr) return {c.outlets[best->first].slug, best->second};
    out.outlet =
        outlet_ok ? std::string(outlet) : (c.outlets.empty() ? std::string() : c.outlets.front().slug);
    out.date = date_ok ? std::string(date) : r.from;
    if (out.outlet.empty()) out.date.clear();
    return out;
}

// ---- The page -----------------------------------------------------------------------------------

namespace {

// `dry_run`: an outlet's day schedule is the dry run's, which only posting it again shows (a link
// would show the stored plan): its name is a button of the form plan-outlet-dry instead.
web::page_list summary_rows(const std::vector<placed_wanted>& rows, const core::campaign& c, bool outlets,
                            const std::string& base, std::string_view lang, bool dry_run = false) {
    web::page_list out;
    for (const auto& x : rows) {
        web::page_data item;
        std::string name;
        if (x.key.empty()) {
            name = outlets ? web::tr(lang, "No outlet") : web::tr(lang, "Messages no longer in the campaign");
        } else {
            name = outlets ? outlet_name(c, x.key, lang) : department_name(c, x.key, lang);
        }
        item.set("name", name);
        item.set("key", x.key.empty() ? std::string("none") : x.key);
        item.set("placed", web::format_integer(x.placed, lang));
        item.set("wanted", web::format_integer(x.wanted, lang));
        item.set("share",
                 x.wanted > 0 ? web::format_percent(static_cast<double>(x.placed) / x.wanted, lang) : std::string("—"));
        item.set("prime", web::format_integer(x.prime, lang));
        const bool known = outlets && !x.key.empty() && find_outlet(c, x.key) != nullptr;
        const bool link = known && !dry_run;
        item.set("has_href", link);
        item.set("dry_button", known && dry_run);
        item.set("href",
                 link ? base + "?outlet=" + web::url_encode(x.key) + "#schedule-heading" : std::string());
        out.push_back(item);
    }
    return out;
}

void set_errors(web::page_data& d, const plan_field_errors& errors, std::string_view lang) {
    web::page_list summary;
    for (const auto& [field, msgid] : errors) {
        const std::string text = web::tr(lang, msgid);
        d.set("err_" + field, text);
        web::page_data item;
        item.set("field_id", "plan-" + field);
        static constexpr web::form_field_label fields[] = {{"from", "First day"}, {"to", "Last day"}};
        item.set("message", web::summary_message(lang, fields, field, text));
        summary.push_back(item);
    }
    d.set("has_errors", !errors.empty());
    d.set("error_summary", summary);
}

// The day schedule: breaks of the day with what was placed in them; placements whose break the
// outlet no longer has get a row of their own. In time order.
web::page_list schedule_rows(const plan_view& v, const core::campaign& c, std::string_view lang,
                             int& placed_count) {
    struct row {
        std::int64_t at = 0;
        std::string time;
        std::string daypart;
        bool prime = false;
        bool blacked_out = false;
        std::optional<int> capacity_s;
        std::vector<const report_placement*> placed;
    };
    std::vector<row> rows;
    for (const auto& b : v.breaks) {
        row r;
        r.at = b.start_utc;
        r.time = b.time;
        r.daypart = b.daypart;
        r.prime = b.prime;
        r.blacked_out = b.blacked_out;
        r.capacity_s = b.capacity_s;
        rows.push_back(std::move(r));
    }
    placed_count = 0;
    for (const auto& p : v.report->placements) {
        if (p.outlet != v.day.outlet || p.date != v.day.date) continue;
        // As the planner's summary counts: a missed airing or a withdrawn one is not placed.
        if (p.state != "missed" && !p.withdrawn) ++placed_count;
        const auto t = core::parse_iso8601(p.start, nullptr);
        const std::int64_t at = t ? t->time_since_epoch().count() : 0;
        auto it =
            std::find_if(rows.begin(), rows.end(), [&](const row& r) { return r.at == at && r.capacity_s; });
        if (it == rows.end()) {
            row r;
            r.at = at;
            r.time = p.time;
            r.daypart = p.daypart;
            r.prime = p.prime;
            rows.push_back(std::move(r));
            it = rows.end() - 1;
        }
        it->placed.push_back(&p);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.at < b.at; });

    web::page_list out;
    for (const auto& r : rows) {
        web::page_data item;
        item.set("time", r.time);
        const std::string daypart =
            r.daypart.empty() ? std::string("—") : daypart_name(c, v.day.outlet, r.daypart, lang);
        item.set("daypart", daypart);
        item.set("prime", r.prime);
        // A daypart called what the badge says (the bundled campaign's "Giờ vàng" / "Prime time")
        // is shown by the badge alone, not as "Prime time Prime time".
        item.set("daypart_is_badge",
                 r.prime && core::fold_to_ascii(daypart) == core::fold_to_ascii(web::tr(lang, "Prime time")));
        item.set("blacked_out", r.blacked_out);
        int used = 0;
        web::page_list placed;
        for (const report_placement* p : r.placed) {
            if (p->state != "missed") used += p->duration_s;  // a missed airing holds no break
            web::page_data x;
            x.set("title", message_title(c, p->message, lang));
            x.set("code", p->message);
            const core::message* m = find_message(c, p->message);
            x.set("department", m == nullptr ? std::string() : department_name(c, m->department, lang));
            x.set("has_department", m != nullptr);
            x.set("duration", web::tr(lang, "{n} s", {{"n", web::format_integer(p->duration_s, lang)}}));
            x.set("value", amount(p->value, lang));
            // What became of it, as the CLI's table says: its state once it left "planned", a
            // cancellation, the miss a make-good stands for; "Kept" for a frozen one otherwise.
            // (Each msgid as tr's own literal: the translation coverage test reads them there.)
            const std::string state = p->state == "published" ? web::tr(lang, "Published")
                                      : p->state == "aired"   ? web::tr(lang, "Aired")
                                      : p->state == "missed"  ? web::tr(lang, "Missed")
                                                              : std::string();
            x.set("state", state);
            x.set("has_state", !state.empty());
            x.set("withdrawn", p->withdrawn);
            x.set("has_make_good", p->make_good_of > 0);
            if (p->make_good_of > 0) {
                x.set("make_good", web::tr(lang, "Make-good of #{id}", {{"id", std::to_string(p->make_good_of)}}));
            }
            x.set("frozen", p->frozen && state.empty() && !p->withdrawn);
            placed.push_back(x);
        }
        item.set("placements", placed);
        item.set("has_placements", !placed.empty());
        item.set("fill", r.capacity_s
                             ? web::tr(lang, "{used} of {capacity} s",
                                       {{"used", web::format_integer(used, lang)},
                                        {"capacity", web::format_integer(*r.capacity_s, lang)}})
                             : web::tr(lang, "{used} s", {{"used", web::format_integer(used, lang)}}));
        out.push_back(item);
    }
    return out;
}

}  // namespace

web::page_data plan_page_data(const plan_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    const core::campaign& c = *v.campaign;
    const date::time_zone* zone = core::find_zone(c.time_zone);
    const std::string base = "/campaigns/" + c.slug + "/plan";
    web::page_data d;
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("title", web::tr(lang, "Run planner"));
    d.set("action", base);
    d.set("time_zone", c.time_zone);

    // The run form (approvers only; everyone else reads).
    const bool can_run = app::allows(http::access::approver, req.user);
    d.set("can_run", can_run);
    // A date typed day first (30/07/2024) goes back into the date input as YYYY-MM-DD, the only
    // form it shows.
    const auto as_typed = [](const std::string& t) {
        const auto day = core::typed_date(t);
        return day ? web::iso_date(*day) : t;
    };
    d.set("from", as_typed(v.form.from));
    d.set("to", as_typed(v.form.to));
    d.set("dry_run_checked", v.form.dry_run);
    set_errors(d, v.errors, lang);
    if (v.done == "stored") d.set("flash", web::tr(lang, "The plan was made and stored."));

    d.set("has_report", v.report != nullptr);
    if (v.report == nullptr) return d;
    const plan_report& r = *v.report;

    // What the report is: a dry run, or the stored run (when and by whom).
    d.set("is_dry_run", v.dry_run);
    d.set("is_stored", v.stored != nullptr);
    if (v.stored != nullptr) {
        const auto at = parse_stored_time(v.stored->created_at);
        d.set("stored_at", at ? web::format_datetime(*at, zone, lang) : v.stored->created_at);
        d.set("stored_at_iso", at ? core::format_iso8601(*at, zone) : v.stored->created_at);
        const std::string& actor = v.stored->actor;
        d.set("stored_by", actor.starts_with("user:") ? actor.substr(5)
                           : actor == "cli"           ? web::tr(lang, "the command line")
                                                      : actor);
        d.set("run_id", std::to_string(v.stored->id));
        // What storing it changed for the outlets (runs stored before these were counted: nothing).
        if (const auto& done = v.stored->changes) {
            d.set("changes", web::tr(lang, "For the outlets, this run's placements: {kept} kept as they were, {added} added, {moved} moved or changed, {cancelled} cancelled; their feeds show the moved, changed and cancelled ones as such.",
                                     {{"kept", web::format_integer(done->kept, lang)},
                                      {"added", web::format_integer(done->added, lang)},
                                      {"moved", web::format_integer(done->moved, lang)},
                                      {"cancelled", web::format_integer(done->cancelled, lang)}}));
        }
    }
    // A dry run: what storing it would change for the outlets.
    if (v.dry_run && r.changes) {
        const core::plan_changes& would = *r.changes;
        d.set("changes", web::tr(lang, "Stored, this run's placements for the outlets would be: {kept} kept as they are, {added} added, {moved} moved or changed, {cancelled} cancelled.",
                                 {{"kept", web::format_integer(would.kept, lang)},
                                  {"added", web::format_integer(would.added, lang)},
                                  {"moved", web::format_integer(would.moved, lang)},
                                  {"cancelled", web::format_integer(would.cancelled, lang)}}));
    }
    d.set("range_from", shown_date(r.from, lang));
    d.set("range_to", shown_date(r.to, lang));
    d.set("range_from_iso", r.from);
    d.set("range_to_iso", r.to);
    const auto as_of = core::parse_iso8601(r.as_of, nullptr);
    d.set("as_of", as_of ? web::format_datetime(*as_of, zone, lang) : r.as_of);
    d.set("as_of_iso", r.as_of);
    web::page_list notes;
    for (const auto& n : r.notes) {
        // The planner's notes are English sentences with values in them. The rehearsal note (a
        // campaign already over) and the note on placements kept outside the dates planned are said
        // again here in the page's language (read back by the planner's own definitions); other
        // notes show only where they can be read.
        std::string text;
        if (scheduler::planner::is_rehearsal_note(n)) {
            text = web::tr(lang, "The dates planned are over: this is a rehearsal, planned as of {as_of}.",
                           {{"as_of", as_of ? web::format_datetime(*as_of, zone, lang) : r.as_of}});
        } else if (const auto kept = scheduler::planner::read_kept_outside_note(n)) {
            text = web::tr(lang,
                           "The objective, bound and gap are those of the dates planned ({from} to {to}); {count} placement(s) kept outside them are listed and counted with the daypart, weight and value stored with them.",
                           {{"from", shown_date(kept->from, lang)},
                            {"to", shown_date(kept->to, lang)},
                            {"count", web::format_integer(kept->count, lang)}});
        } else if (lang == "en" || web::has_translation(lang, n)) {
            text = web::tr(lang, n);
        } else {
            continue;
        }
        web::page_data item;
        item.set("text", text);
        notes.push_back(item);
    }
    for (const auto& x : r.over_wanted) {
        web::page_data item;
        item.set("text", web::tr(lang, "“{message}” is placed {placed} times, more than the {wanted} it wants now: the rest are kept from before (frozen, or outside the dates planned, which a run does not change). Planning their dates again drops those still only planned.",
                                 {{"message", message_title(c, x.message, lang)},
                                  {"placed", web::format_integer(x.placed, lang)},
                                  {"wanted", web::format_integer(x.wanted, lang)}}));
        notes.push_back(item);
    }
    d.set("has_notes", !notes.empty());
    d.set("notes", notes);

    // The figures.
    const plan_summary s = summarize(r, c);
    d.set("objective", amount(r.objective, lang));
    d.set("bound", amount(r.bound, lang));
    d.set("gap", web::format_percent(r.gap, lang, 2));
    d.set("placed", web::format_integer(s.total.placed, lang));
    d.set("wanted", web::format_integer(s.total.wanted, lang));
    d.set("placed_share", s.total.wanted > 0
                              ? web::format_percent(static_cast<double>(s.total.placed) / s.total.wanted, lang)
                              : std::string("—"));
    d.set("prime_count", web::format_integer(s.total.prime, lang));
    d.set("prime_share_weighted", s.total.placed > 0 ? web::format_percent(s.prime_share, lang) : std::string("—"));
    d.set("prime_share_count", s.total.placed > 0
                                   ? web::format_percent(static_cast<double>(s.total.prime) / s.total.placed, lang)
                                   : std::string("—"));
    const web::page_list departments = summary_rows(s.departments, c, false, base, lang);
    const web::page_list outlets = summary_rows(s.outlets, c, true, base, lang, v.dry_run);
    d.set("departments", departments);
    d.set("has_departments", !departments.empty());
    d.set("outlets", outlets);
    d.set("has_outlets", !outlets.empty());
    d.set("has_wanted_any_outlet", s.wanted_any_outlet > 0);
    d.set("wanted_any_outlet", web::format_integer(s.wanted_any_outlet, lang));

    // The unplaced, with reasons.
    web::page_list unplaced;
    for (const auto& u : r.unplaced) {
        web::page_data item;
        item.set("message", message_title(c, u.message, lang));
        item.set("code", u.message);
        item.set("outlet", u.outlet.empty() ? std::string("—") : outlet_name(c, u.outlet, lang));
        item.set("airings", web::format_integer(u.airings, lang));
        item.set("reason", unplaced_sentence(u, c, lang, r.from, r.to));
        item.set("reason_code", u.code.empty() ? std::string("unknown") : u.code);
        unplaced.push_back(item);
    }
    d.set("unplaced", unplaced);
    d.set("has_unplaced", !unplaced.empty());
    // Approved messages asking for no airings, each linked to its page (its airings, and the edit
    // button for those who may edit it).
    web::page_list asking_none;
    for (const auto& code : r.asking_none) {
        web::page_data item;
        item.set("title", message_title(c, code, lang));
        item.set("code", code);
        item.set("has_href", find_message(c, code) != nullptr);
        item.set("href", "/campaigns/" + c.slug + "/messages/" + web::url_encode(code));
        asking_none.push_back(item);
    }
    d.set("asking_none", asking_none);
    d.set("has_asking_none", !asking_none.empty());
    // The rows' own sum: wanted − placed differs where placements kept from before (outside the
    // dates planned, or of a message whose airings were cut since) exceed what is wanted now.
    long long unplaced_sum = 0;
    for (const auto& u : r.unplaced) unplaced_sum += std::max(0, u.airings);
    d.set("unplaced_airings", web::format_integer(unplaced_sum, lang));

    // The day schedule and its chooser.
    d.set("has_schedule", !v.day.outlet.empty() && !v.day.date.empty());
    d.set("schedule_states_now", !v.dry_run && v.stored != nullptr);
    d.set("schedule_outlet", v.day.outlet);
    d.set("schedule_date", v.day.date);
    web::page_list outlet_options;
    for (const auto& o : c.outlets) {
        web::page_data item;
        item.set("value", o.slug);
        item.set("label", o.name.in(lang));
        item.set("selected", o.slug == v.day.outlet);
        outlet_options.push_back(item);
    }
    d.set("outlet_options", outlet_options);
    // An outlet or date asked for that choose_day could not use: say so rather than silently
    // showing another day (the page's GET query; a dry run's "Show" posts them in the form).
    const std::string asked_outlet = req.method == "POST" ? v.form.outlet : req.query_value("outlet").value_or("");
    const std::string asked_date = req.method == "POST" ? v.form.date : req.query_value("date").value_or("");
    std::string schedule_notice;
    if (!asked_outlet.empty() && find_outlet(c, asked_outlet) == nullptr)
        schedule_notice = web::tr(lang, "This campaign has no outlet “{outlet}”: choose one from the list.",
                                  {{"outlet", asked_outlet}});
    if (!asked_date.empty() && !core::typed_date(asked_date)) {
        if (!schedule_notice.empty()) schedule_notice += " ";
        schedule_notice += web::tr(lang, "“{date}” is not a day of the calendar: give one that exists, such as 2024-07-30.",
                                   {{"date", asked_date}});
    }
    web::set_optional(d, "schedule_notice", schedule_notice);
    if (!v.day.outlet.empty() && !v.day.date.empty()) {
        const core::outlet* o = find_outlet(c, v.day.outlet);
        d.set("schedule_outlet_name", outlet_name(c, v.day.outlet, lang));
        d.set("schedule_zone", o == nullptr ? c.time_zone : o->time_zone);
        const auto day = core::typed_date(v.day.date);
        d.set("schedule_day", day ? web::format_date_long(*day, lang) : v.day.date);
        int placed_count = 0;
        const web::page_list rows = schedule_rows(v, c, lang, placed_count);
        d.set("schedule_rows", rows);
        d.set("has_schedule_rows", !rows.empty());
        d.set("schedule_count", web::format_integer(placed_count, lang));
        // One airing is said in the singular (English; Vietnamese has one form for both).
        d.set("schedule_caption",
              web::tr(lang,
                      placed_count == 1 ? "{outlet}, {day}: 1 airing placed. Times in {zone}."
                                        : "{outlet}, {day}: {count} airings placed. Times in {zone}.",
                      {{"outlet", outlet_name(c, v.day.outlet, lang)},
                       {"day", day ? web::format_date_long(*day, lang) : v.day.date},
                       {"count", web::format_integer(placed_count, lang)},
                       {"zone", o == nullptr ? c.time_zone : o->time_zone}}));
        // A day outside the dates planned was not planned at all: its breaks show as free because
        // nothing was placed there, which the page says rather than let it pass for room.
        const auto first = core::typed_date(r.from);
        const auto last = core::typed_date(r.to);
        const bool before_range = day && first && date::sys_days{*day} < date::sys_days{*first};
        const bool after_range = day && last && date::sys_days{*day} > date::sys_days{*last};
        if ((before_range || after_range) && first && last) {
            // What shows there is only what was kept from earlier runs (frozen placements stay in
            // the plan); a dry run shows only the breaks of the dates it planned.
            const std::vector<std::pair<std::string, std::string>> params{{"date", web::format_date_long(*day, lang)},
                                                                          {"from", shown_date(r.from, lang)},
                                                                          {"to", shown_date(r.to, lang)}};
            d.set("schedule_outside_notice",
                  placed_count == 0 && !v.dry_run
                      ? web::tr(lang, "{date} is outside the dates planned ({from} to {to}): nothing was planned on it, so its breaks show as free.", params)
                      : web::tr(lang, "{date} is outside the dates planned ({from} to {to}): it was not planned, and only what was kept from before shows on it.", params));
        }
        // Previous and next day within the planned range (stored runs: links; a dry run is not
        // stored, so it has none). The first and last days of the range have only one of them; a
        // day outside the range has one, to the range's nearest end.
        bool has_prev = false;
        bool has_next = false;
        if (day && !v.dry_run) {
            auto prev = core::calendar_date{date::sys_days{*day} - date::days{1}};
            auto next = core::calendar_date{date::sys_days{*day} + date::days{1}};
            if (after_range) prev = *last;
            if (before_range) next = *first;
            const std::string q = "?outlet=" + web::url_encode(v.day.outlet) + "&date=";
            has_prev = !before_range && (!first || date::sys_days{prev} >= date::sys_days{*first});
            has_next = !after_range && (!last || date::sys_days{next} <= date::sys_days{*last});
            if (has_prev) d.set("prev_href", base + q + web::iso_date(prev) + "#schedule-heading");
            if (has_next) d.set("next_href", base + q + web::iso_date(next) + "#schedule-heading");
        }
        // From a day outside the range the one link goes to the range's nearest end, and says so.
        d.set("prev_is_range_end", after_range);
        d.set("next_is_range_end", before_range);
        d.set("has_prev_day", has_prev);
        d.set("has_next_day", has_next);
        d.set("has_day_links", has_prev || has_next);
    }
    return d;
}

}  // namespace loa::handlers
