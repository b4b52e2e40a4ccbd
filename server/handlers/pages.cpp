// The web kit's pages: home, campaign overview, language switcher, static assets.
#include "server/handlers/pages.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <date/tz.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/user_store.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/campaigns.hpp"

namespace loa::handlers {

// As everywhere in handlers: coroutines only await named locals and hand over to plain functions
// (GCC 12 destroys temporaries of an awaited full-expression twice).

namespace {

std::vector<core::campaign_summary> all_campaigns(core::database& db) {
    return core::list_campaigns(db);
}

struct store_language {
    long long user_id;
    std::string lang;
    std::string actor;
    bool operator()(core::database& db) const {
        return core::set_language(db, user_id, lang, actor) == core::user_write::ok;
    }
};

http::response home_reply(const http::request& req, const std::vector<core::campaign_summary>& all) {
    if (all.size() == 1) return web::redirect("/campaigns/" + all.front().slug);
    web::page_list items;
    for (const auto& s : all) {
        web::page_data item;
        item.set("href", "/campaigns/" + s.slug);
        item.set("title", s.title.in(req.lang));
        item.set("theme", s.theme.in(req.lang));
        item.set("has_theme", !s.theme.in(req.lang).empty());
        item.set("period_start", web::format_date(s.period_start, req.lang));
        item.set("period_end", web::format_date(s.period_end, req.lang));
        items.push_back(item);
    }
    web::page_data d;
    d.set("title", web::tr(req.lang, "Campaigns"));
    d.set("has_campaigns", !items.empty());
    d.set("campaigns", items);
    return web::render_page(req, "campaigns", std::move(d));
}

// The campaign's "today": the date of the server's clock (settings::as_of) on the wall clock of its zone.
core::calendar_date today_in(const core::campaign& c, std::chrono::system_clock::time_point clock_now) {
    const auto now = date::floor<std::chrono::seconds>(clock_now);
    const date::time_zone* zone = core::find_zone(c.time_zone);
    const auto local = zone != nullptr ? zone->to_local(now) : date::local_seconds{now.time_since_epoch()};
    return date::year_month_day{date::floor<date::days>(local)};
}

http::response overview_reply(const http::request& req, const std::optional<core::campaign>& c,
                              std::chrono::system_clock::time_point now) {
    if (!c) return web::error_page(req, 404);
    return web::render_page(req, "overview", overview_data(*c, req, today_in(*c, now)));
}

std::string tel_href(std::string_view number) {
    std::string digits;
    for (const char ch : number)
        if ((ch >= '0' && ch <= '9') || ch == '+') digits.push_back(ch);
    return "tel:" + digits;
}

// The `next` of a switcher request, or "/" when it is missing or leads off the site.
std::string safe_next(const std::optional<std::string>& next) {
    if (next && web::is_local_path(*next)) return *next;
    return "/";
}

http::response language_reply(const std::optional<std::string>& to, const std::optional<std::string>& next) {
    http::response res = web::redirect(safe_next(next));
    if (to && web::is_supported_language(*to)) res.headers.emplace_back("Set-Cookie", language_cookie(*to));
    return res;
}

}  // namespace

std::string language_cookie(std::string_view lang) {
    // Not a secret, but nothing on the page needs to read it: HttpOnly all the same.
    if (lang.empty()) return "lang=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly";
    return "lang=" + std::string(lang) + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly";
}

web::page_data overview_data(const core::campaign& c, const http::request& req, core::calendar_date today) {
    const std::string& lang = req.lang;
    web::page_data d;
    const std::string base = "/campaigns/" + c.slug;
    d.set("campaign_slug", c.slug);
    d.set("title", c.title.in(lang));
    web::set_optional(d, "theme", c.theme.in(lang));
    web::set_optional(d, "description", c.description.in(lang));
    d.set("period_start", web::format_date(c.period_start, lang));
    d.set("period_end", web::format_date(c.period_end, lang));
    d.set("period_start_iso", web::iso_date(c.period_start));
    d.set("period_end_iso", web::iso_date(c.period_end));
    d.set("time_zone", c.time_zone);
    d.set("calendar_href", base + "/calendar");
    d.set("messages_href", base + "/messages");
    d.set("plan_href", base + "/plan");

    web::page_list key_dates;
    bool next_marked = false;
    for (const auto& k : c.key_dates) {
        web::page_data item;
        item.set("date", web::format_date_long(k.date, lang));
        item.set("date_iso", web::iso_date(k.date));
        item.set("name", k.name.in(lang));
        const bool is_next = !next_marked && date::sys_days{k.date} >= date::sys_days{today};
        next_marked = next_marked || is_next;
        item.set("is_next", is_next);
        item.set("is_past", date::sys_days{k.date} < date::sys_days{today});
        key_dates.push_back(item);
    }
    d.set("has_key_dates", !key_dates.empty());
    d.set("key_dates", key_dates);

    web::page_list hotlines;
    for (const auto& h : c.hotlines) {
        web::page_data item;
        item.set("number", h.number);
        item.set("tel", tel_href(h.number));
        item.set("name", h.name.in(lang));
        item.set("has_hours", !h.hours.empty());
        item.set("hours", h.hours);
        hotlines.push_back(item);
    }
    d.set("has_hotlines", !hotlines.empty());
    d.set("hotlines", hotlines);

    // What is pending, from the messages' states: the whole campaign, and the editor's department.
    const std::string mine = req.user && req.user->role == "editor" ? req.user->department : std::string{};
    long long submitted = 0, drafts = 0, approved = 0, rejected = 0;
    long long my_submitted = 0, my_drafts = 0, my_rejected = 0;
    for (const auto& m : c.messages) {
        const bool own = !mine.empty() && m.department == mine;
        if (m.state == "submitted") {
            ++submitted;
            my_submitted += own ? 1 : 0;
        } else if (m.state == "draft") {
            ++drafts;
            my_drafts += own ? 1 : 0;
        } else if (m.state == "approved") {
            ++approved;
        } else if (m.state == "rejected") {
            ++rejected;
            my_rejected += own ? 1 : 0;
        }
    }
    web::page_data pending;
    pending.set("submitted", web::format_integer(submitted, lang));
    pending.set("drafts", web::format_integer(drafts, lang));
    pending.set("approved", web::format_integer(approved, lang));
    pending.set("rejected", web::format_integer(rejected, lang));
    pending.set("submitted_href", base + "/messages?state=submitted");
    pending.set("drafts_href", base + "/messages?state=draft");
    pending.set("approved_href", base + "/messages?state=approved");
    pending.set("rejected_href", base + "/messages?state=rejected");
    pending.set("awaiting_you", app::allows(http::access::approver, req.user) && submitted > 0);
    pending.set("approvals_href", base + "/approvals");
    d.set("pending", pending);
    d.set("activity_count", web::format_integer(static_cast<long long>(c.activities.size()), lang));
    d.set("message_count", web::format_integer(static_cast<long long>(c.messages.size()), lang));

    web::page_list departments;
    for (const auto& dep : c.departments) {
        web::page_data item;
        item.set("code", dep.code);
        item.set("name", dep.name.in(lang));
        web::page_list duties;
        for (const auto& duty : dep.duties) duties.push_back(web::page_data("text", duty.in(lang)));
        item.set("has_duties", !duties.empty());
        item.set("duties", duties);
        const bool is_mine = dep.code == mine;
        item.set("is_mine", is_mine);
        long long activities = 0, messages = 0;
        for (const auto& a : c.activities) activities += a.department == dep.code ? 1 : 0;
        for (const auto& m : c.messages) messages += m.department == dep.code ? 1 : 0;
        item.set("activity_count", web::format_integer(activities, lang));
        item.set("message_count", web::format_integer(messages, lang));
        item.set("calendar_href", base + "/calendar?department=" + web::url_encode(dep.code));
        if (is_mine) {
            web::page_data my;
            my.set("name", dep.name.in(lang));
            my.set("submitted", web::format_integer(my_submitted, lang));
            my.set("drafts", web::format_integer(my_drafts, lang));
            my.set("rejected", web::format_integer(my_rejected, lang));
            my.set("calendar_href", base + "/calendar?department=" + web::url_encode(dep.code));
            my.set("messages_href", base + "/messages?department=" + web::url_encode(dep.code));
            d.set("my_department", my);
        }
        departments.push_back(item);
    }
    d.set("departments", departments);
    return d;
}

boost::asio::awaitable<http::response> get_home(http::request req, app::context& ctx) {
    std::vector<core::campaign_summary> all;
    all = co_await ctx.db.run(all_campaigns);
    http::response res = home_reply(req, all);
    co_return res;
}

boost::asio::awaitable<http::response> get_overview(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    std::optional<core::campaign> c;
    c = co_await find_campaign(ctx, slug);
    http::response res = overview_reply(req, c, ctx.clock.now());
    co_return res;
}

boost::asio::awaitable<http::response> get_language(http::request req, app::context&) {
    const std::optional<std::string> to = req.query_value("to");
    const std::optional<std::string> next = req.query_value("next");
    http::response res = language_reply(to, next);
    co_return res;
}

boost::asio::awaitable<http::response> post_language(http::request req, app::context& ctx) {
    const web::form f(req.body);
    const std::optional<std::string> to = f.find("to");
    const std::optional<std::string> next = f.find("next");
    if (req.user && to && web::is_supported_language(*to) && *to != req.user->language) {
        const store_language job{req.user->user_id, *to, req.user->name};
        bool stored = false;
        stored = co_await ctx.db.run(job);
        (void)stored;  // a user disabled meanwhile keeps the cookie only
    }
    http::response res = language_reply(to, next);
    co_return res;
}

boost::asio::awaitable<http::response> get_static(http::request req, app::context&) {
    const std::string name = req.param("name");
    std::optional<http::response> asset = web::static_asset(req, name);
    http::response res = asset ? std::move(*asset) : web::error_page(req, 404);
    co_return res;
}

boost::asio::awaitable<http::response> get_favicon(http::request req, app::context&) {
    // What browsers ask for when a page (a feed, a JSON answer) names no icon: the same SVG.
    std::optional<http::response> asset = web::static_asset(req, "favicon.svg");
    http::response res = asset ? std::move(*asset) : web::error_page(req, 404);
    co_return res;
}

}  // namespace loa::handlers
