// As-run reports over HTTP and the compliance page and CSV. An upload is read on the io thread
// (scheduler/feeds/as_run_parse), then ONE db job checks the outlet's token and applies the lines
// (core/storage/as_run_store); the compliance page and CSV are one db job each.
#include "server/handlers/as_run.hpp"
#include "server/handlers/dispatch_pages.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/date.h>
#include <date/tz.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/storage/as_run_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/text/unicode.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"
#include "scheduler/feeds/as_run_parse.hpp"
#include "server/feeds/feed_cache.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/message_pages.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"

// GCC 12 at -O2 reports -Wmismatched-new-delete on some of these coroutines' frames: a false
// positive with Asio's awaitable frame allocator (GCC bug 109224, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace loa::handlers {

// As everywhere in handlers: the coroutines only await NAMED jobs and assign the result to a local
// declared before (GCC 12 destroys temporaries of an awaited full-expression twice).

namespace {

namespace json = boost::json;
namespace sf = scheduler::feeds;

// The server's clock (settings as_of: a rehearsal runs as-run and compliance at the feeds' time).
std::chrono::sys_seconds now_utc(const app::context& ctx) {
    return std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
}

std::string utc_text(std::chrono::sys_seconds t) {
    return core::iso_utc(t);
}

// ---- The upload -------------------------------------------------------------------------------

// The token a request presents: ?token=, else Authorization: Bearer (as the feeds read it).
std::string presented_token(const http::request& req) {
    const std::optional<std::string> query = req.query_value("token");
    const std::optional<std::string> authorization = req.header("authorization");
    return std::string(feeds::presented_token(query, authorization));
}

// What the Content-Type says of the body: its format (application/json or text/csv; nullopt for
// anything else) and its charset (the `charset` parameter; UTF-8 when it names none).
enum class body_charset { utf8, windows_1258, other };
struct body_type {
    std::optional<sf::as_run_format> format;
    body_charset charset = body_charset::utf8;
    std::string charset_name;  // as given (in lower case), for the refusal
};

body_type body_type_of(const http::request& req) {
    body_type out;
    const auto ct = req.header("content-type");
    if (!ct) return out;
    std::string lower(*ct);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto trimmed = [](std::string_view v) {
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
        return v;
    };
    const std::string_view all(lower);
    const std::string_view type = trimmed(all.substr(0, all.find(';')));
    if (type == "application/json") out.format = sf::as_run_format::json;
    if (type == "text/csv") out.format = sf::as_run_format::csv;
    for (std::size_t semi = all.find(';'); semi != std::string_view::npos; semi = all.find(';', semi + 1)) {
        const std::string_view param = trimmed(all.substr(semi + 1, all.find(';', semi + 1) - semi - 1));
        if (!param.starts_with("charset=")) continue;
        std::string_view value = param.substr(8);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        out.charset_name = value;
        if (value == "utf-8" || value == "utf8") {
            out.charset = body_charset::utf8;
        } else if (value == "windows-1258" || value == "cp1258" || value == "x-cp1258") {
            out.charset = body_charset::windows_1258;
        } else {
            out.charset = body_charset::other;
        }
        break;
    }
    return out;
}

// Every refusal of the token (no outlet of that slug, no token, a bad, revoked or other outlet's
// token) is this one answer, so that a guess learns nothing.
http::response outlet_not_found() {
    auto res = http::problem(404, http::status_title(404),
                             "There is no such outlet, or the token is not valid for it.");
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
}

core::as_run_input input_of(const sf::as_run_item& item) {
    core::as_run_input in;
    in.where = item.where;
    const sf::as_run_line& l = *item.parsed;
    in.placement = l.placement;
    in.time = l.time;
    in.message = l.message;
    in.status = l.status;
    in.aired_at = l.aired_at;
    in.note = l.note;
    return in;
}

struct upload_outcome {
    bool authorized = false;
    sf::as_run_parse_result parsed;                 // read only once the token is good
    std::vector<core::as_run_line_result> results;  // one per parsed line, in order
};

// The whole upload on the db thread: the token first (a request without a good one costs a lookup,
// never a parse), then the body is read (bounded by the server's body_limit and as_run_max_lines:
// milliseconds) and its good lines applied in one transaction.
struct upload_job {
    std::string outlet;
    std::string token;
    std::optional<sf::as_run_format> format;  // nullopt: not JSON nor CSV, only the token is checked
    body_charset charset = body_charset::utf8;  // other: only the token is checked
    std::string body;
    std::chrono::sys_seconds now{};       // the schedule's (a rehearsal's) clock: what lines are checked against
    std::chrono::sys_seconds recorded{};  // the system clock: the token's last use, the times written
    upload_outcome operator()(core::database& db) const {
        upload_outcome out;
        if (token.empty()) return out;
        const auto live = core::find_feed_token(db, outlet, token);
        if (!live) return out;
        out.authorized = true;
        core::record_token_use(db, {{live->id, utc_text(recorded)}});
        if (!format || charset == body_charset::other) return out;
        if (charset == body_charset::windows_1258) {
            std::size_t bad = 0;
            const auto utf8 = core::windows1258_to_utf8(body, &bad);
            if (!utf8) {
                out.parsed.readable = false;
                char byte[8];
                std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(body[bad])));
                out.parsed.error = "The body is not windows-1258: byte " + std::to_string(bad) + " (" + byte +
                                   ") is no character of that code page.";
                return out;
            }
            out.parsed = sf::parse_as_run(*utf8, *format);
        } else {
            out.parsed = sf::parse_as_run(body, *format);
        }
        if (!out.parsed.readable) return out;
        std::vector<core::as_run_input> lines;
        for (const auto& item : out.parsed.items)
            if (item.parsed) lines.push_back(input_of(item));
        const core::audit_actor who{std::nullopt,
                                    "outlet " + outlet + " (feed token " + std::to_string(live->id) + ")"};
        out.results = core::apply_as_run(db, outlet, lines, live->id, now, recorded, who);
        return out;
    }
};

http::response upload_reply(const sf::as_run_parse_result& parsed, const upload_outcome& out) {
    json::array lines;
    std::int64_t applied = 0, duplicates = 0, rejected = 0;
    std::size_t next = 0;
    for (const auto& item : parsed.items) {
        json::object o;
        o["line"] = item.line;
        if (item.parsed) {
            const core::as_run_line_result& r = out.results.at(next++);
            o["outcome"] = core::to_string(r.outcome);
            o["placement"] = r.placement ? json::value(*r.placement) : json::value(nullptr);
            o["reason"] = r.reason.empty() ? json::value(nullptr) : json::value(r.reason);
            if (r.outcome == core::as_run_outcome::applied) ++applied;
            if (r.outcome == core::as_run_outcome::duplicate) ++duplicates;
            if (r.outcome == core::as_run_outcome::rejected) ++rejected;
        } else {
            o["outcome"] = "rejected";
            o["placement"] = nullptr;
            o["reason"] = item.reason;
            ++rejected;
        }
        lines.emplace_back(std::move(o));
    }
    json::object body;
    body["applied"] = applied;
    body["duplicates"] = duplicates;
    body["rejected"] = rejected;
    body["lines"] = std::move(lines);
    auto res = json_response(body);
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
}

// ---- Compliance: filters ----------------------------------------------------------------------

std::string iso_date(date::year_month_day d) {
    return core::iso_date(d);
}

struct compliance_query {
    core::compliance_filter filter;
    std::string from_text, to_text;                           // as given (shown back in the form)
    std::vector<std::pair<std::string, std::string>> errors;  // field → English msgid
};

compliance_query parse_query(const http::request& req) {
    compliance_query q;
    q.filter.outlet = req.query_value("outlet").value_or("");
    if (q.filter.outlet.size() > 200) {
        q.errors.emplace_back("outlet", "Choose an outlet of this campaign.");
        q.filter.outlet.clear();
    }
    q.from_text = req.query_value("from").value_or("");
    q.to_text = req.query_value("to").value_or("");
    if (!q.from_text.empty()) {
        q.filter.from = core::typed_date(q.from_text);
        if (!q.filter.from) q.errors.emplace_back("from", "Give a first day that exists, such as 2024-07-30.");
        else q.from_text = iso_date(*q.filter.from);  // what the date input shows back
    }
    if (!q.to_text.empty()) {
        q.filter.to = core::typed_date(q.to_text);
        if (!q.filter.to) q.errors.emplace_back("to", "Give a last day that exists, such as 2024-07-31.");
        else q.to_text = iso_date(*q.filter.to);
    }
    if (q.filter.from && q.filter.to && *q.filter.to < *q.filter.from)
        q.errors.emplace_back("to", "The last day is before the first day.");
    return q;
}

struct compliance_view {
    std::optional<core::campaign> campaign;
    core::compliance_report report;
    std::chrono::sys_seconds now{};
};

struct compliance_job {
    std::string slug;
    core::compliance_filter filter;
    std::chrono::sys_seconds now{};
    compliance_view operator()(core::database& db) const {
        compliance_view v;
        v.now = now;
        v.campaign = core::load_campaign(db, slug);
        if (!v.campaign) return v;
        v.report = core::load_compliance(db, slug, filter, v.now);
        return v;
    }
};

const core::outlet* outlet_in(const core::campaign& c, const std::string& slug) {
    for (const auto& o : c.outlets)
        if (o.slug == slug) return &o;
    return nullptr;
}

std::string outlet_name(const core::campaign& c, const std::string& slug, std::string_view lang) {
    const core::outlet* o = outlet_in(c, slug);
    return o == nullptr || o->name.in(lang).empty() ? slug : o->name.in(lang);
}

const date::time_zone* outlet_zone(const core::campaign& c, const std::string& slug) {
    const core::outlet* o = outlet_in(c, slug);
    return o == nullptr ? core::find_zone(c.time_zone) : core::find_zone(o->time_zone);
}

std::string message_title(const core::campaign& c, const std::string& code, std::string_view lang) {
    for (const auto& m : c.messages)
        if (m.id == code) return m.title.in(lang).empty() ? code : m.title.in(lang);
    return code;
}

// The share (0 to 1) of the prime-time placements due so far (started or reported) that aired,
// nullopt when none is: a day still to come has no share yet, not 0 %.
std::optional<double> prime_share(int prime_due, int prime_aired) {
    if (prime_due <= 0) return std::nullopt;
    return static_cast<double>(prime_aired) / prime_due;
}

core::compliance_day total_of(const std::vector<const core::compliance_day*>& days) {
    core::compliance_day t;
    for (const auto* d : days) {
        t.planned += d->planned;
        t.aired += d->aired;
        t.partial += d->partial;
        t.missed += d->missed;
        t.not_reported += d->not_reported;
        t.upcoming += d->upcoming;
        t.prime += d->prime;
        t.prime_aired += d->prime_aired;
        t.prime_due += d->prime_due;
    }
    return t;
}

// The query string of the filter (for the CSV link).
std::string filter_query(const core::compliance_filter& f) {
    std::string q;
    const auto add = [&q](std::string_view name, const std::string& value) {
        q += q.empty() ? "?" : "&";
        q += std::string(name) + "=" + web::url_encode(value);
    };
    if (!f.outlet.empty()) add("outlet", f.outlet);
    if (f.from) add("from", iso_date(*f.from));
    if (f.to) add("to", iso_date(*f.to));
    return q;
}

// "UTC+07:00" (or "UTC").
std::string offset_label(std::chrono::sys_seconds t, const date::time_zone* zone) {
    if (zone == nullptr) return "UTC";
    const auto off = std::chrono::duration_cast<std::chrono::minutes>(zone->get_info(t).offset).count();
    if (off == 0) return "UTC";
    const long long a = off < 0 ? -off : off;
    const auto two = [](long long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    return std::string(off < 0 ? "UTC-" : "UTC+") + two(a / 60) + ":" + two(a % 60);
}

void set_time(web::page_data& d, const std::string& key, std::chrono::sys_seconds t,
              const date::time_zone* zone, std::string_view lang) {
    d.set(key, web::format_datetime(t, zone, lang) + " " + offset_label(t, zone));
    d.set(key + "_iso", zone == nullptr ? utc_text(t) : core::format_iso8601(t, zone));
}

void set_counts(web::page_data& d, const core::compliance_day& c, std::string_view lang) {
    d.set("planned", web::format_integer(c.planned, lang));
    d.set("aired", web::format_integer(c.aired, lang));
    d.set("partial", web::format_integer(c.partial, lang));
    d.set("missed", web::format_integer(c.missed, lang));
    d.set("not_reported", web::format_integer(c.not_reported, lang));
    d.set("upcoming", web::format_integer(c.upcoming, lang));
    d.set("prime", web::format_integer(c.prime, lang));
    d.set("prime_aired", web::format_integer(c.prime_aired, lang));
    d.set("prime_due", web::format_integer(c.prime_due, lang));  // the share's base (the summary says so)
    const auto share = prime_share(c.prime_due, c.prime_aired);
    d.set("prime_percent", share ? web::format_percent(*share, lang) : std::string("—"));
    d.set("has_missed", c.missed > 0);
    d.set("has_not_reported", c.not_reported > 0);
}

web::page_data option(const std::string& value, const std::string& label, bool selected) {
    web::page_data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", selected);
    return o;
}

web::page_data page_data_of(const http::request& req, const compliance_view& v, const compliance_query& q) {
    const std::string& lang = req.lang;
    const core::campaign& c = *v.campaign;
    const std::string title = c.title.in(lang).empty() ? c.slug : c.title.in(lang);
    web::page_data d;
    d.set("title", web::tr(lang, "Compliance"));
    d.set("campaign", title);
    d.set("campaign_slug", c.slug);
    const std::string base = "/campaigns/" + c.slug;
    d.set("action", base + "/compliance");
    d.set("csv_href", base + "/compliance.csv" + filter_query(q.filter));
    d.set("plan_href", base + "/plan");

    // The filter form.
    web::page_list outlets;
    outlets.push_back(option("", web::tr(lang, "Every outlet"), q.filter.outlet.empty()));
    for (const auto& o : c.outlets)
        outlets.push_back(option(o.slug, outlet_name(c, o.slug, lang), q.filter.outlet == o.slug));
    d.set("outlet_options", outlets);
    d.set("from", q.from_text);
    d.set("to", q.to_text);
    d.set("filtered", !q.filter.outlet.empty() || q.filter.from || q.filter.to);
    web::page_list errors;
    for (const auto& [field, msgid] : q.errors) {
        web::page_data e;
        e.set("field", field);
        e.set("text", web::tr(lang, msgid));
        errors.push_back(e);
    }
    d.set("errors", errors);
    d.set("has_errors", !errors.empty());
    const auto field_error = [&](const std::string& field) {
        for (const auto& [f, msgid] : q.errors)
            if (f == field) return web::tr(lang, msgid);
        return std::string();
    };
    web::set_optional(d, "from_error", field_error("from"));
    web::set_optional(d, "to_error", field_error("to"));

    // One section per outlet with placements (or missed ones) in the range, in the file's order.
    web::page_list sections;
    for (const auto& slug : v.report.outlet_order) {
        std::vector<const core::compliance_day*> days;
        for (const auto& day : v.report.days)
            if (day.outlet == slug) days.push_back(&day);
        std::vector<const core::missed_placement*> missed;
        for (const auto& m : v.report.missed)
            if (m.outlet == slug) missed.push_back(&m);
        if (days.empty() && missed.empty()) continue;
        const date::time_zone* zone = outlet_zone(c, slug);
        web::page_data s;
        s.set("slug", slug);
        s.set("name", outlet_name(c, slug, lang));
        const core::outlet* o = outlet_in(c, slug);
        s.set("zone", o == nullptr ? c.time_zone : o->time_zone);
        web::page_data summary;
        set_counts(summary, total_of(days), lang);
        s.set("summary", summary);
        web::page_list rows;
        for (const auto* day : days) {
            web::page_data r;
            r.set("date", web::format_date_long(day->day, lang));
            r.set("date_iso", iso_date(day->day));
            set_counts(r, *day, lang);
            rows.push_back(r);
        }
        s.set("days", rows);
        web::page_list missed_rows;
        for (const auto* m : missed) {
            web::page_data r;
            r.set("id", std::to_string(m->id));
            r.set("message", message_title(c, m->message, lang));
            r.set("message_code", m->message);
            set_time(r, "start", m->start, zone, lang);
            r.set("has_note", !m->note.empty());
            r.set("note", dispatch_note_text(m->note, lang));  // the outlet's words, or loa's dispatcher's
            r.set("has_make_good", m->make_good.has_value());
            if (m->make_good) {
                set_time(r, "make_good", m->make_good->start, zone, lang);
                r.set("make_good_id", std::to_string(m->make_good->id));
                r.set("make_good_state", placement_state_label(m->make_good->state, lang));
            } else {
                r.set("make_good", std::string());
                r.set("make_good_iso", std::string());
                r.set("make_good_id", std::string());
                r.set("make_good_state", std::string());
            }
            missed_rows.push_back(r);
        }
        s.set("missed_rows", missed_rows);
        s.set("has_missed_rows", !missed_rows.empty());
        sections.push_back(s);
    }
    d.set("outlets", sections);
    d.set("has_outlets", !sections.empty());
    return d;
}

// ---- Compliance: CSV --------------------------------------------------------------------------

// One CSV cell: a cell a spreadsheet would read as a formula (= + - @, tab, CR) starts with ';
// cells with commas, quotes or line breaks are quoted.
std::string csv_cell(std::string_view text) {
    std::string v(text);
    if (!v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (const char ch : v) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

// A share as the CSV's percent: one decimal, a dot; empty when there is none.
std::string percent_text(std::optional<double> share) {
    if (!share) return {};
    std::array<char, 32> buf{};
    const auto res =
        std::to_chars(buf.data(), buf.data() + buf.size(), *share * 100.0, std::chars_format::fixed, 1);
    return std::string(buf.data(), res.ptr);
}

std::string csv_of(const compliance_view& v, std::string_view lang) {
    const core::campaign& c = *v.campaign;
    std::string out = "\xEF\xBB\xBF";  // so that spreadsheet programs read UTF-8 (Vietnamese)
    out +=
        "campaign,outlet,outlet_name,time_zone,date,planned,aired,partial,missed,not_reported,upcoming,"
        "prime_time,prime_time_aired,prime_time_aired_percent\r\n";
    for (const auto& slug : v.report.outlet_order) {
        const core::outlet* o = outlet_in(c, slug);
        for (const auto& d : v.report.days) {
            if (d.outlet != slug) continue;
            const std::vector<std::string> cells = {
                c.slug,
                slug,
                outlet_name(c, slug, lang),
                o == nullptr ? c.time_zone : o->time_zone,
                iso_date(d.day),
                std::to_string(d.planned),
                std::to_string(d.aired),
                std::to_string(d.partial),
                std::to_string(d.missed),
                std::to_string(d.not_reported),
                std::to_string(d.upcoming),
                std::to_string(d.prime),
                std::to_string(d.prime_aired),
                percent_text(prime_share(d.prime_due, d.prime_aired)),
            };
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (i != 0) out += ',';
                out += csv_cell(cells[i]);
            }
            out += "\r\n";
        }
    }
    return out;
}

// A file name of plain letters, digits, '-' and '.'.
std::string safe_file_part(std::string_view s) {
    std::string out;
    for (const char ch : s)
        out += (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '.') ? ch : '-';
    return out;
}

}  // namespace

boost::asio::awaitable<http::response> post_as_run(http::request req, app::context& ctx) {
    upload_job job;
    job.outlet = req.param("slug");
    job.token = presented_token(req);
    const body_type type = body_type_of(req);
    job.format = type.format;
    job.charset = type.charset;
    job.body = std::move(req.body);
    job.now = now_utc(ctx);
    job.recorded = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    upload_outcome out;
    out = co_await ctx.db.run(job);
    http::response res;
    if (!out.authorized) {
        res = outlet_not_found();
    } else if (!job.format) {
        res = http::problem(415, http::status_title(415),
                            "Send the as-run lines as application/json or text/csv (see docs/feeds.md).");
    } else if (type.charset == body_charset::other) {
        res = http::problem(415, http::status_title(415),
                            "The charset '" + type.charset_name +
                                "' is not read: send UTF-8, or windows-1258 (the Vietnamese Windows code page) "
                                "with charset=windows-1258 (see docs/feeds.md).");
    } else if (!out.parsed.readable) {
        res = http::problem(400, http::status_title(400), out.parsed.error);
    } else {
        res = upload_reply(out.parsed, out);
    }
    co_return res;
}

boost::asio::awaitable<http::response> get_compliance_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = web::ambiguous_parameter(req.query, {"outlet", "from", "to"});
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const compliance_query q = parse_query(req);
    const compliance_job job{req.param("slug"), q.filter, now_utc(ctx)};
    compliance_view v;
    v = co_await ctx.db.run(job);
    http::response res;
    if (!v.campaign) {
        res = web::error_page(req, 404);
        co_return res;
    }
    compliance_query shown = q;
    if (!q.filter.outlet.empty() && outlet_in(*v.campaign, q.filter.outlet) == nullptr)
        shown.errors.emplace_back("outlet", "Choose an outlet of this campaign.");
    res = web::render_page(req, "compliance", page_data_of(req, v, shown), shown.errors.empty() ? 200 : 400);
    co_return res;
}

// A refused compliance CSV: a browser following the page's link gets the reasons in the page
// language, as the page gives them; other clients get problem+json in English, as every API error is.
http::response refused_csv(const http::request& req, const std::vector<std::pair<std::string, std::string>>& errors) {
    const auto accept = req.header("accept");
    if (accept && accept->find("text/html") != std::string::npos) {
        std::string detail;
        for (const auto& [field, msgid] : errors) {
            if (!detail.empty()) detail += " ";
            detail += web::tr(req.lang, msgid);
        }
        return web::error_page(req, 400, detail);
    }
    std::vector<http::invalid_param> params;
    for (const auto& [field, msgid] : errors) params.push_back({field, msgid});
    return http::problem(400, http::status_title(400), "The filter has invalid parameters.", std::move(params));
}

boost::asio::awaitable<http::response> get_compliance_csv(http::request req, app::context& ctx) {
    http::response res;
    const std::optional<std::string> twice = web::ambiguous_parameter(req.query, {"outlet", "from", "to"});
    if (twice) {
        res = refused_csv(req, {{*twice, "Give each filter once."}});
        co_return res;
    }
    const compliance_query q = parse_query(req);
    if (!q.errors.empty()) {
        res = refused_csv(req, q.errors);
        co_return res;
    }
    const compliance_job job{req.param("slug"), q.filter, now_utc(ctx)};
    compliance_view v;
    v = co_await ctx.db.run(job);
    if (!v.campaign) {
        res = web::error_page(req, 404);
        co_return res;
    }
    // An outlet the campaign does not have is refused as the page refuses it, not answered with
    // an empty file.
    if (!q.filter.outlet.empty() && outlet_in(*v.campaign, q.filter.outlet) == nullptr) {
        res = refused_csv(req, {{"outlet", "Choose an outlet of this campaign."}});
        co_return res;
    }
    res.status = 200;
    res.content_type = "text/csv; charset=utf-8";
    res.body = csv_of(v, req.lang);
    std::string name = "compliance-" + safe_file_part(v.campaign->slug);
    if (!q.filter.outlet.empty()) name += "-" + safe_file_part(q.filter.outlet);
    if (q.filter.from) name += "-from-" + iso_date(*q.filter.from);
    if (q.filter.to) name += "-to-" + iso_date(*q.filter.to);
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    co_return res;
}

}  // namespace loa::handlers
