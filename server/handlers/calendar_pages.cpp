// The calendar pages: load the campaign and its cancellations on the db thread, build the view
// (scheduler/calendar), shape it for the templates.
#include "server/handlers/calendar_pages.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>

#include "core/storage/activity_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/activity_form.hpp"

namespace loa::handlers {

namespace {

// Entries beyond this many per month page are cut (the page says so).
constexpr std::size_t max_page_occurrences = 3000;
constexpr std::size_t message_preview_length = 60;

struct calendar_source {
    std::optional<core::campaign> campaign;
    std::unordered_set<std::string> cancelled;
};

struct load_calendar_source {
    std::string slug;
    calendar_source operator()(core::database& db) const {
        calendar_source s;
        // One snapshot: the campaign and which of its activities are cancelled agree.
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::DEFERRED);
        s.campaign = core::load_campaign(db, slug);
        if (s.campaign) {
            if (auto list = core::list_activities(db, slug)) {
                for (const auto& a : *list) {
                    if (a.cancelled) s.cancelled.insert(a.item.id);
                }
            }
        }
        tx.commit();
        return s;
    }
};

// The campaign's "today" (the date shown by default): the server's clock (settings::as_of) in its zone.
core::calendar_date today_in(const core::campaign& c, std::chrono::system_clock::time_point clock_now) {
    const auto now = date::floor<std::chrono::seconds>(clock_now);
    const date::time_zone* zone = core::find_zone(c.time_zone);
    const auto offset = zone == nullptr ? std::chrono::seconds{0} : zone->get_info(now).offset;
    return core::calendar_date{date::floor<date::days>(now + offset)};
}

std::string department_name(const core::campaign& c, const std::string& code, std::string_view lang) {
    for (const auto& d : c.departments)
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

std::string activity_title(const core::campaign& c, const std::string& code, std::string_view lang) {
    for (const auto& a : c.activities)
        if (a.id == code) return a.title.in(lang);
    return code;
}

// The first characters of a text, cut at a character boundary, with "…" when cut.
std::string preview(std::string_view text, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (chars == max_chars) return std::string(text.substr(0, i)) + "…";
        ++chars;
    }
    return std::string(text);
}

std::chrono::minutes minutes_of_day(date::local_seconds t) {
    return std::chrono::duration_cast<std::chrono::minutes>(t - date::floor<date::days>(t));
}

struct page_links {
    std::string base;  // /campaigns/{slug}/calendar
    const scheduler::calendar_request* r = nullptr;

    // The calendar URL for `view` on `day`, keeping the filters.
    [[nodiscard]] std::string href(scheduler::calendar_view view, core::calendar_date day) const {
        std::string out = base + "?view=" + std::string(scheduler::calendar_view_name(view)) +
                          "&date=" + web::iso_date(day);
        for (const auto& [name, value] : {std::pair{"department", &r->department},
                                          std::pair{"kind", &r->kind}, std::pair{"audience", &r->audience}}) {
            if (!value->empty()) out += std::string("&") + name + "=" + web::url_encode(*value);
        }
        return out;
    }
};

web::page_data entry_data(const http::request& req, const core::campaign& c,
                          const scheduler::calendar_entry& e) {
    const std::string& lang = req.lang;
    const core::activity& a = *e.occ.activity;
    web::page_data d;
    d.set("title", a.title.in(lang));
    d.set("code", a.id);
    d.set("department", department_name(c, a.department, lang));
    d.set("kind", kind_label(a.kind, lang));
    d.set("location", a.location.in(lang));
    d.set("has_location", !a.location.vi.empty() || !a.location.en.empty());
    d.set("all_day", a.all_day);
    d.set("start", e.continued ? std::string("…") : web::format_time(minutes_of_day(e.local_start), lang));
    d.set("end", e.continues ? std::string("…") : web::format_time(minutes_of_day(e.local_end), lang));
    d.set("continued", e.continued);
    d.set("continues", e.continues);
    d.set("internal", e.internal);
    d.set("cancelled", e.cancelled);
    d.set("recurring", !a.rrule.empty());
    if (req.user && app::may_edit_department(*req.user, a.department)) {
        d.set("edit_href", "/campaigns/" + c.slug + "/activities/" + a.id + "/edit");
    }
    web::page_list marks;
    for (const std::size_t k : e.conflicts) {
        web::page_data m;
        m.set("number", std::to_string(k + 1));
        m.set("anchor", "conflict-" + std::to_string(k + 1));
        marks.push_back(m);
    }
    d.set("conflicts", marks);
    d.set("has_conflicts", !e.conflicts.empty());
    return d;
}

web::page_data day_data(const http::request& req, const core::campaign& c, const scheduler::calendar_day& day,
                        const page_links& links) {
    web::page_data d;
    d.set("iso", web::iso_date(day.date));
    d.set("number", std::to_string(static_cast<unsigned>(day.date.day())));
    d.set("label", web::format_date_long(day.date, req.lang));
    d.set("short_label", web::format_date(day.date, req.lang));
    d.set("outside", !day.in_range);
    d.set("day_href", links.href(scheduler::calendar_view::day, day.date));
    web::page_list entries;
    for (const auto& e : day.entries) entries.push_back(entry_data(req, c, e));
    d.set("entries", entries);
    d.set("has_entries", !day.entries.empty());
    web::page_list marks;
    for (const std::size_t k : day.conflicts) {
        web::page_data m;
        m.set("number", std::to_string(k + 1));
        m.set("anchor", "conflict-" + std::to_string(k + 1));
        marks.push_back(m);
    }
    d.set("conflicts", marks);
    d.set("has_conflicts", !day.conflicts.empty());
    d.set("conflict_count", std::to_string(day.conflicts.size()));
    if (!day.conflicts.empty())
        d.set("first_conflict", "conflict-" + std::to_string(day.conflicts.front() + 1));
    return d;
}

std::string days_label(core::calendar_date first, core::calendar_date last, std::string_view lang) {
    if (first == last) return web::format_date(first, lang);
    return web::format_date(first, lang) + " – " + web::format_date(last, lang);
}

// When an occurrence in the conflict list happens: an all-day one by its days, as everywhere else
// (it ends at midnight after its last day, in its own zone), any other by its start and end.
std::string occurrence_when(const scheduler::occurrence& o, const date::time_zone* campaign_zone,
                            std::string_view lang) {
    if (!o.activity->all_day)
        return web::format_datetime(o.start, campaign_zone, lang) + " – " +
               web::format_datetime(o.end, campaign_zone, lang);
    const date::time_zone* zone = campaign_zone;
    if (!o.activity->time_zone.empty())
        if (const date::time_zone* own = core::find_zone(o.activity->time_zone)) zone = own;
    const auto local_day = [zone](core::sys_seconds t) {
        const auto offset = zone == nullptr ? std::chrono::seconds{0} : zone->get_info(t).offset;
        return date::floor<date::days>(t + offset);
    };
    const date::sys_days first = local_day(o.start);
    const date::sys_days last = std::max(first, local_day(o.end) - date::days{1});
    return days_label(core::calendar_date{first}, core::calendar_date{last}, lang);
}

web::page_data conflict_data(const http::request& req, const core::campaign& c, const scheduler::conflict& cf,
                             std::size_t index, const date::time_zone* zone) {
    const std::string& lang = req.lang;
    web::page_data d;
    d.set("number", std::to_string(index + 1));
    d.set("anchor", "conflict-" + std::to_string(index + 1));
    d.set("days", days_label(cf.first_day, cf.last_day, lang));
    d.set("is_venue", cf.kind == scheduler::conflict_kind::venue);
    d.set("is_outlet", cf.kind == scheduler::conflict_kind::outlet);
    d.set("is_audience", cf.kind == scheduler::conflict_kind::audience);
    switch (cf.kind) {
        case scheduler::conflict_kind::venue:
            d.set("subject", cf.subject);
            break;
        case scheduler::conflict_kind::outlet:
            d.set("subject", outlet_name(c, cf.subject, lang));
            break;
        case scheduler::conflict_kind::audience:
            d.set("subject", audience_name(c, cf.subject, lang));
            break;
    }
    web::page_list items;
    for (const auto& o : cf.occurrences) {
        web::page_data item;
        item.set("title", o.activity->title.in(lang));
        item.set("department", department_name(c, o.activity->department, lang));
        item.set("when", occurrence_when(o, zone, lang));
        items.push_back(item);
    }
    for (const auto* m : cf.messages) {
        web::page_data item;
        item.set("title", m->title.in(lang).empty() ? preview(m->text.in(lang), message_preview_length)
                                                    : m->title.in(lang));
        item.set("department", department_name(c, m->department, lang));
        item.set("when", days_label(m->flight_start, m->flight_end, lang));
        items.push_back(item);
    }
    d.set("items", items);
    return d;
}

web::page_list filter_options(const std::vector<std::pair<std::string, std::string>>& values,
                              const std::string& chosen, const std::string& all_label) {
    web::page_list out;
    web::page_data all;
    all.set("value", "");
    all.set("label", all_label);
    all.set("selected", chosen.empty());
    out.push_back(all);
    for (const auto& [value, label] : values) {
        web::page_data o;
        o.set("value", value);
        o.set("label", label);
        o.set("selected", value == chosen);
        out.push_back(o);
    }
    return out;
}

std::string period_label(const scheduler::calendar_page& page, std::string_view lang) {
    switch (page.view) {
        case scheduler::calendar_view::month:
        case scheduler::calendar_view::agenda:
            // Vietnamese writes a month of a year "Tháng 7/2024" (as dates are dd/mm/yyyy); English
            // "July 2024".
            return web::month_name(page.date.month(), lang) + (lang == "en" ? " " : "/") +
                   std::to_string(static_cast<int>(page.date.year()));
        case scheduler::calendar_view::week:
            return days_label(page.first, page.last, lang);
        case scheduler::calendar_view::day:
            return web::format_date_long(page.date, lang);
    }
    return {};
}

bool may_create(const http::principal* user, const core::campaign& c) {
    if (user == nullptr) return false;
    return std::any_of(c.departments.begin(), c.departments.end(),
                       [&](const core::department& d) { return app::may_edit_department(*user, d.code); });
}

http::response calendar_reply(const http::request& req, calendar_source& src,
                              std::chrono::system_clock::time_point now) {
    if (!src.campaign) return web::error_page(req, 404);
    const core::campaign& c = *src.campaign;
    calendar_query_error error;
    auto q = parse_calendar_page_query(c, req.query, today_in(c, now), &error);
    if (!q) return web::error_page(req, 400, calendar_query_error_text(error, req.lang));
    q->request.cancelled = std::move(src.cancelled);
    q->request.limit = max_page_occurrences;
    // Expansion is bounded (six weeks at most, max_page_occurrences), as the JSON calendar's is.
    const scheduler::calendar_page page = scheduler::build_calendar(c, q->request);
    web::page_data data = calendar_page_data(req, c, page, *q);
    return web::render_page(req, calendar_template(page.view), std::move(data));
}

}  // namespace

std::optional<calendar_page_query> parse_calendar_page_query(
    const core::campaign& c, const std::vector<std::pair<std::string, std::string>>& query,
    core::calendar_date today, calendar_query_error* error) {
    const auto refuse = [error](const std::string& name, const std::string& value) {
        if (error != nullptr) *error = {name, value};
        return std::nullopt;
    };
    calendar_page_query q;
    scheduler::calendar_request& r = q.request;
    const bool in_period = date::sys_days{c.period_start} <= date::sys_days{today} &&
                           date::sys_days{today} <= date::sys_days{c.period_end};
    r.date = in_period ? today : c.period_start;
    for (const auto& [name, value] : query) {
        if (value.empty()) continue;
        if (name == "view") {
            const auto v = scheduler::parse_calendar_view(value);
            if (!v) return refuse(name, value);
            r.view = *v;
        } else if (name == "date") {
            const auto d = core::typed_date(value);
            if (!d) return refuse(name, value);
            r.date = *d;
        } else if (name == "department") {
            if (std::none_of(c.departments.begin(), c.departments.end(),
                             [&](const core::department& d) { return d.code == value; }))
                return refuse(name, value);
            r.department = value;
        } else if (name == "kind") {
            if (std::none_of(std::begin(core::activity_kinds), std::end(core::activity_kinds),
                             [&](const char* k) { return value == k; }))
                return refuse(name, value);
            r.kind = value;
        } else if (name == "audience") {
            if (std::none_of(c.audiences.begin(), c.audiences.end(),
                             [&](const core::audience& a) { return a.code == value; }))
                return refuse(name, value);
            r.audience = value;
        } else if (name == "saved") {
            q.saved = value;
        } else if (name == "cancelled") {
            q.cancelled = value;
        }
    }
    r.with_conflicts = r.department.empty();
    return q;
}

std::string calendar_query_error_text(const calendar_query_error& e, std::string_view lang) {
    const std::vector<std::pair<std::string, std::string>> value{{"value", e.value}};
    if (e.parameter == "view")
        return web::tr(lang, "The view “{value}” is unknown: give view as month, week, day or agenda.", value);
    if (e.parameter == "date")
        return web::tr(lang, "The date “{value}” is not a day of the calendar: give one that exists, such as 2024-07-30.", value);
    if (e.parameter == "department")
        return web::tr(lang, "This campaign has no department “{value}”: choose one from the filter.", value);
    if (e.parameter == "kind")
        return web::tr(lang, "There is no kind of activity “{value}”: choose one from the filter.", value);
    if (e.parameter == "audience")
        return web::tr(lang, "This campaign has no audience “{value}”: choose one from the filter.", value);
    return {};
}

std::string calendar_template(scheduler::calendar_view v) {
    return v == scheduler::calendar_view::month ? "calendar_month" : "calendar_list";
}

web::page_data calendar_page_data(const http::request& req, const core::campaign& c,
                                  const scheduler::calendar_page& page, const calendar_page_query& q) {
    const std::string& lang = req.lang;
    const scheduler::calendar_request& r = q.request;
    const page_links links{"/campaigns/" + c.slug + "/calendar", &r};
    const date::time_zone* zone = core::find_zone(c.time_zone);

    web::page_data d;
    const bool master = r.department.empty();
    d.set("title", master ? web::tr(lang, "City master calendar")
                          : web::tr(lang, "Calendar of {department}",
                                    {{"department", department_name(c, r.department, lang)}}));
    d.set("campaign_slug", c.slug);
    d.set("campaign_title", c.title.in(lang));
    d.set("calendar_path", links.base);
    d.set("is_master", master);
    d.set("time_zone", c.time_zone);
    d.set("period", period_label(page, lang));
    d.set("view", std::string(scheduler::calendar_view_name(page.view)));
    d.set("date", web::iso_date(page.date));
    d.set("prev_href", links.href(page.view, page.prev));
    d.set("next_href", links.href(page.view, page.next));
    // The step says what it moves by (month and agenda: a month; week; day).
    if (page.view == scheduler::calendar_view::week) {
        d.set("prev_label", web::tr(lang, "Previous week"));
        d.set("next_label", web::tr(lang, "Next week"));
    } else if (page.view == scheduler::calendar_view::day) {
        d.set("prev_label", web::tr(lang, "Previous day"));
        d.set("next_label", web::tr(lang, "Next day"));
    } else {
        d.set("prev_label", web::tr(lang, "Previous month"));
        d.set("next_label", web::tr(lang, "Next month"));
    }
    d.set("truncated", page.truncated);
    if (may_create(req.user ? &*req.user : nullptr, c)) {
        d.set("new_href", "/campaigns/" + c.slug + "/activities/new?date=" + web::iso_date(page.date));
    }
    if (!q.saved.empty()) {
        d.set("flash", web::tr(lang, "The activity “{title}” was saved.",
                               {{"title", activity_title(c, q.saved, lang)}}));
    } else if (!q.cancelled.empty()) {
        d.set("flash", web::tr(lang, "The activity “{title}” was cancelled.",
                               {{"title", activity_title(c, q.cancelled, lang)}}));
    }

    web::page_list views;
    for (const auto& [v, label] :
         {std::pair{scheduler::calendar_view::month, "Month"},
          std::pair{scheduler::calendar_view::week, "Week"}, std::pair{scheduler::calendar_view::day, "Day"},
          std::pair{scheduler::calendar_view::agenda, "Agenda"}}) {
        web::page_data item;
        item.set("label", web::tr(lang, label));
        item.set("href", links.href(v, page.date));
        item.set("current", v == page.view);
        item.set("id", "view-" + std::string(scheduler::calendar_view_name(v)));
        views.push_back(item);
    }
    d.set("views", views);

    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& dep : c.departments) values.emplace_back(dep.code, dep.name.in(lang));
    d.set("department_options", filter_options(values, r.department, web::tr(lang, "All departments")));
    values.clear();
    for (const char* k : core::activity_kinds) values.emplace_back(k, kind_label(k, lang));
    d.set("kind_options", filter_options(values, r.kind, web::tr(lang, "All kinds")));
    values.clear();
    for (const auto& a : c.audiences) values.emplace_back(a.code, a.name.in(lang));
    d.set("audience_options", filter_options(values, r.audience, web::tr(lang, "All audiences")));

    if (page.view == scheduler::calendar_view::month) {
        web::page_list headers;
        for (unsigned i = 1; i <= 7; ++i) {
            const date::weekday wd{i % 7};
            web::page_data h;
            h.set("short", web::weekday_name(wd, lang, true));
            h.set("long", web::weekday_name(wd, lang));
            headers.push_back(h);
        }
        d.set("weekday_headers", headers);
        web::page_list weeks;
        for (std::size_t w = 0; w + 7 <= page.days.size(); w += 7) {
            web::page_list days;
            for (std::size_t i = w; i < w + 7; ++i) days.push_back(day_data(req, c, page.days[i], links));
            web::page_data week;
            week.set("days", days);
            weeks.push_back(week);
        }
        d.set("weeks", weeks);
    } else {
        web::page_list days;
        for (const auto& day : page.days) days.push_back(day_data(req, c, day, links));
        d.set("days", days);
        d.set("has_days", !page.days.empty());
    }

    web::page_list conflicts;
    for (std::size_t k = 0; k < page.conflicts.size(); ++k)
        conflicts.push_back(conflict_data(req, c, page.conflicts[k], k, zone));
    d.set("conflicts", conflicts);
    d.set("has_conflicts", !page.conflicts.empty());
    d.set("conflict_total", std::to_string(page.conflicts.size()));
    return d;
}

boost::asio::awaitable<http::response> get_calendar_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = web::ambiguous_parameter(req.query, {"view", "date", "department", "kind", "audience"});
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const load_calendar_source job{req.param("slug")};
    calendar_source src;
    src = co_await ctx.db.run(job);
    http::response res = calendar_reply(req, src, ctx.clock.now());
    co_return res;
}

}  // namespace loa::handlers
