// The media feeds over HTTP and the admin page of feed tokens.
//
// A feed request: the token (outlet feeds) is checked against the tokens held in memory, then the
// rendered bytes come from the cache (server/feeds/feed_cache.hpp) while the database's change
// generation and the minute of the server clock are the ones they were rendered at; otherwise the
// feed is read and rendered on the db thread first. Validators and gzip are decided here; nothing
// of the answer depends on who asks except the encoding (Vary says so).
#include "server/handlers/feeds.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <date/date.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/text/unicode.hpp"
#include "core/time/zone.hpp"
#include "server/app/log.hpp"
#include "server/feeds/feed_cache.hpp"
#include "server/web/render.hpp"

// GCC 12 at -O2 reports -Wmismatched-new-delete on some of these coroutines' frames: a false
// positive with Asio's awaitable frame allocator (GCC bug 109224, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace loa::handlers {

namespace {

namespace sf = scheduler::feeds;

// Every refusal of an outlet feed (unknown outlet, file, missing, bad or revoked token) is this one
// answer, byte for byte, so that a guess learns nothing.
http::response feed_not_found(app::context& ctx) {
    if (ctx.feeds != nullptr) ctx.feeds->counts.not_found.fetch_add(1, std::memory_order_relaxed);
    http::response res;
    res.status = 404;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "Not found.\n";
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
}

using feeds::feed_kind;

// The renderer of one file name, or nullptr.
struct file_format {
    const char* file;
    const char* media_type;
};
constexpr file_format outlet_files[] = {
    {"schedule.atom", sf::atom_media_type},
    {"schedule.rss", sf::rss_media_type},
    {"schedule.json", sf::json_feed_media_type},
    {"schedule.ics", sf::ics_media_type},
};
constexpr file_format campaign_files[] = {
    {"news.atom", sf::atom_media_type},
    {"news.rss", sf::rss_media_type},
    {"news.json", sf::json_feed_media_type},
    {"events.ics", sf::ics_media_type},
};

const file_format* find_format(feed_kind kind, std::string_view file) {
    const auto& list = kind == feed_kind::outlet ? outlet_files : campaign_files;
    for (const auto& f : list)
        if (file == f.file) return &f;
    return nullptr;
}

// Renders one feed file on the db thread: nullopt when the outlet or campaign is unknown.
struct render_job {
    const sf::feed_source* source = nullptr;
    feed_kind kind = feed_kind::outlet;
    std::string slug;
    std::string file;
    std::chrono::sys_seconds now{};
    sf::feed_links links;

    std::optional<std::string> operator()(core::database& db) const {
        if (kind == feed_kind::outlet) {
            // The source keeps what it reads by the connection's own change stamp, taken on this
            // thread: the generation read before the job was queued may be older than the
            // database a queued write leaves (docs/feeds.md).
            const auto f = source->outlet_schedule(db, slug, now, links, true);
            if (!f) return std::nullopt;
            if (file == "schedule.atom") return sf::render_atom(*f);
            if (file == "schedule.rss") return sf::render_rss(*f);
            if (file == "schedule.json") return sf::render_json_feed(*f);
            return sf::render_ics(*f);
        }
        if (file == "events.ics") {
            const auto f = source->events(db, slug, links);
            if (!f) return std::nullopt;
            return sf::render_ics(*f);
        }
        const auto f = source->news(db, slug, links);
        if (!f) return std::nullopt;
        if (file == "news.atom") return sf::render_atom(*f);
        if (file == "news.rss") return sf::render_rss(*f);
        return sf::render_json_feed(*f);
    }
};

struct load_tokens_job {
    std::vector<core::live_token> operator()(core::database& db) const { return core::live_feed_tokens(db); }
};

// When tokens were last used: nothing a feed shows depends on it, so it moves no generation.
struct record_uses_job {
    static constexpr bool keeps_generation = true;
    std::vector<std::pair<std::int64_t, std::string>> uses;
    void operator()(core::database& db) const { core::record_token_use(db, uses); }
};

// The token a request presents: ?token=, else Authorization: Bearer.
std::string presented_token(const http::request& req) {
    const std::optional<std::string> query = req.query_value("token");
    const std::optional<std::string> authorization = req.header("authorization");
    return std::string(feeds::presented_token(query, authorization));
}

// Writes the noted token uses when a minute has passed since the last write (or `force`).
boost::asio::awaitable<void> flush_token_uses(app::context& ctx, bool force) {
    record_uses_job job{
        ctx.feeds->tokens.take_uses(std::chrono::steady_clock::now(), std::chrono::seconds(60), force)};
    if (job.uses.empty()) co_return;
    // Bookkeeping must not fail the feed request it rides on (another process may hold the write
    // lock past the busy timeout): the uses go back to be written with the next batch.
    bool written = false;
    try {
        co_await ctx.db.run(job);
        written = true;
    } catch (const std::exception& e) {
        app::log_line(std::string("feeds: recording feed token uses failed, kept for the next try: ") + e.what());
    }
    if (!written)
        for (auto& [id, at] : job.uses) ctx.feeds->tokens.note_use(id, std::move(at));
}

// The right to render one key (feed_cache::try_begin_render), given back however the render ends.
struct render_turn {
    render_turn(feeds::feed_cache& c, std::string k)
        : cache(c), key(std::move(k)), mine(c.try_begin_render(key)) {}
    ~render_turn() {
        if (mine) cache.end_render(key);
    }
    render_turn(const render_turn&) = delete;
    render_turn& operator=(const render_turn&) = delete;
    feeds::feed_cache& cache;
    std::string key;
    bool mine;
};

boost::asio::awaitable<http::response> serve_feed(http::request req, app::context& ctx, feed_kind kind,
                                                  const file_format* format) {
    auto& svc = *ctx.feeds;
    const std::string& slug = req.param("slug");
    const std::string key =
        feeds::cache_key(kind == feed_kind::outlet ? "outlet" : "campaign", slug, format->file);
    // Read the generation before rendering: a change made while rendering leaves the entry stale.
    const std::uint64_t generation = ctx.db.generation();
    const auto now = ctx.clock.now();
    const std::int64_t minute = feeds::minute_of(now);

    std::shared_ptr<const feeds::rendered_feed> entry = svc.cache.fresh(key, generation, minute);
    bool rendered = false;
    // Another request is rendering this file: serve what it replaces until the new bytes are in.
    std::optional<render_turn> turn;
    if (!entry) {
        turn.emplace(svc.cache, key);
        if (!turn->mine) {
            entry = svc.cache.latest(key);
            turn.reset();
        }
    }
    if (!entry) {
        const std::string base = app::public_base_url(ctx.config);
        const std::string prefix = kind == feed_kind::outlet ? "/feeds/outlets/" : "/feeds/campaigns/";
        render_job job;
        job.source = &svc.source;
        job.kind = kind;
        job.slug = slug;
        job.file = format->file;
        job.now = std::chrono::floor<std::chrono::minutes>(now);
        job.links.base = base;
        job.links.self = base + prefix + web::url_encode(slug) + "/" + format->file;
        job.links.html =
            kind == feed_kind::outlet ? base + "/" : base + "/campaigns/" + web::url_encode(slug);
        std::optional<std::string> bytes;
        bytes = co_await ctx.db.run(job);
        if (!bytes) {
            svc.cache.erase(key);
            co_return feed_not_found(ctx);
        }
        entry = svc.cache.store(key, std::move(*bytes), format->media_type, generation, minute,
                                std::chrono::floor<std::chrono::seconds>(now));
        rendered = true;
    }

    const std::optional<std::string> accept_encoding = req.header("accept-encoding");
    const std::optional<std::string> if_none_match = req.header("if-none-match");
    const std::optional<std::string> if_modified_since = req.header("if-modified-since");
    http::response res = feeds::answer(entry, kind, accept_encoding.value_or(""), if_none_match, if_modified_since,
                                       rendered, svc.counts);
    co_return res;
}

}  // namespace

boost::asio::awaitable<http::response> get_outlet_feed(http::request req, app::context& ctx) {
    if (ctx.feeds == nullptr) co_return feed_not_found(ctx);
    const file_format* format = find_format(feed_kind::outlet, req.param("file"));
    const std::string token = presented_token(req);
    if (format == nullptr || token.empty()) co_return feed_not_found(ctx);

    // The tokens in memory, read again only when the database changed.
    auto& svc = *ctx.feeds;
    const std::uint64_t generation = ctx.db.generation();
    if (svc.tokens.stale(generation)) {
        const load_tokens_job job;
        std::vector<core::live_token> live;
        live = co_await ctx.db.run(job);
        svc.tokens.replace(std::move(live), generation);
    }
    const auto id = svc.tokens.check(req.param("slug"), token);
    if (!id) co_return feed_not_found(ctx);
    svc.tokens.note_use(*id, feeds::utc_now_text());
    co_await flush_token_uses(ctx, false);

    http::response res;
    res = co_await serve_feed(std::move(req), ctx, feed_kind::outlet, format);
    co_return res;
}

boost::asio::awaitable<http::response> get_campaign_feed(http::request req, app::context& ctx) {
    if (ctx.feeds == nullptr) co_return feed_not_found(ctx);
    const file_format* format = find_format(feed_kind::campaign, req.param("file"));
    if (format == nullptr) co_return feed_not_found(ctx);
    http::response res;
    res = co_await serve_feed(std::move(req), ctx, feed_kind::campaign, format);
    co_return res;
}

// ---- The admin page -----------------------------------------------------------------------------

namespace {

struct tokens_view {
    std::vector<std::pair<std::string, core::localized>> outlets;  // slug, name; by slug
    std::vector<core::feed_token> tokens;
};

// Every outlet of every non-archived campaign (its name from the campaign with the latest period)
// and every token.
tokens_view load_tokens_view(core::database& db) {
    tokens_view v;
    std::map<std::string, core::localized> outlets;
    for (const auto& c : core::list_campaigns(db)) {  // by period start: later ones overwrite names
        if (const auto full = core::load_campaign(db, c.slug))
            for (const auto& o : full->outlets) outlets[o.slug] = o.name;
    }
    v.outlets.assign(outlets.begin(), outlets.end());
    v.tokens = core::list_feed_tokens(db);
    return v;
}

struct page_job {
    std::vector<std::pair<std::int64_t, std::string>> uses;  // written first, so "last used" is current
    static constexpr bool keeps_generation = true;           // only token uses are written
    tokens_view operator()(core::database& db) const {
        if (!uses.empty()) core::record_token_use(db, uses);
        return load_tokens_view(db);
    }
};

struct add_job {
    std::string outlet;
    std::string label;
    core::audit_actor who;
    core::issued_token operator()(core::database& db) const {
        return core::add_feed_token(db, outlet, label, who);
    }
};

struct revoke_job {
    std::int64_t id = 0;
    core::audit_actor who;
    bool operator()(core::database& db) const { return core::revoke_feed_token(db, id, who); }
};

std::string name_in(const core::localized& l, const std::string& lang) {
    return l.in(lang);
}

// A stored UTC time ("2024-07-28T01:02:03Z") shown in Viet Nam's zone, or as stored when it does
// not parse.
std::string show_time(const std::string& utc, const std::string& lang) {
    const auto* zone = core::find_zone("Asia/Ho_Chi_Minh");
    if (const auto t = core::parse_iso8601(utc, core::find_zone("UTC")))
        return web::format_datetime(*t, zone, lang);
    return utc;
}

struct new_token_info {
    std::string outlet;
    std::string label;
    std::string token;
};

struct form_state {
    std::string outlet;
    std::string label;
    std::string error_outlet;
    std::string error_label;
};

http::response tokens_page(const http::request& req, const app::context& ctx, const tokens_view& v,
                           const std::optional<new_token_info>& fresh, const form_state& form,
                           const std::string& flash, unsigned status) {
    const std::string& lang = req.lang;
    web::page_data d;
    d.set("title", web::tr(lang, "Feed tokens"));
    web::set_optional(d, "flash", flash);

    std::map<std::string, std::string> names;
    web::page_list outlets;
    for (const auto& [slug, name] : v.outlets) {
        names[slug] = name_in(name, lang);
        web::page_data o;
        o.set("slug", slug);
        o.set("name", names[slug]);
        o.set("selected", slug == form.outlet);
        outlets.push_back(o);
    }
    d.set("outlets", outlets);
    d.set("has_outlets", !v.outlets.empty());

    // Groups: each outlet with its tokens, outlets without tokens too.
    std::set<std::string> slugs;
    for (const auto& [slug, name] : v.outlets) slugs.insert(slug);
    for (const auto& t : v.tokens) slugs.insert(t.outlet);
    web::page_list groups;
    for (const auto& slug : slugs) {
        web::page_data g;
        g.set("slug", slug);
        const auto n = names.find(slug);
        g.set("name", n != names.end() ? n->second : slug);
        g.set("known", n != names.end());
        web::page_list rows;
        for (const auto& t : v.tokens) {
            if (t.outlet != slug) continue;
            web::page_data r;
            r.set("id", std::to_string(t.id));
            r.set("label", t.label.empty() ? web::tr(lang, "(no label)") : t.label);
            r.set("created", show_time(t.created_at, lang));
            // Stored as "cli" or "user:<name>" (core::feed_token); shown as who it was.
            const bool by_cli = t.created_by == "cli";
            const bool by_user = t.created_by.rfind("user:", 0) == 0;
            r.set("created_by_cli", by_cli);
            r.set("created_by", by_user ? t.created_by.substr(5) : t.created_by);
            r.set("last_used", t.last_used_at ? show_time(*t.last_used_at, lang) : web::tr(lang, "never"));
            r.set("revoked", t.revoked_at.has_value());
            r.set("revoked_at", t.revoked_at ? show_time(*t.revoked_at, lang) : std::string());
            rows.push_back(r);
        }
        g.set("has_tokens", !rows.empty());
        g.set("tokens", rows);
        groups.push_back(g);
    }
    d.set("groups", groups);
    d.set("has_groups", !slugs.empty());

    if (fresh) {
        const std::string base = app::public_base_url(ctx.config);
        const std::string path = "/feeds/outlets/" + web::url_encode(fresh->outlet) + "/schedule.";
        const std::string q = "?token=" + web::url_encode(fresh->token);
        web::page_data f;
        f.set("token", fresh->token);
        f.set("outlet", fresh->outlet);
        const auto n = names.find(fresh->outlet);
        f.set("outlet_name", n != names.end() ? n->second : fresh->outlet);
        f.set("label", fresh->label);
        f.set("atom_url", base + path + "atom" + q);
        f.set("rss_url", base + path + "rss" + q);
        f.set("json_url", base + path + "json" + q);
        // webcal:// is the same address with the scheme calendar apps subscribe to.
        const auto colon = base.find("://");
        f.set("webcal_url", "webcal" + base.substr(colon) + path + "ics" + q);
        f.set("ics_url", base + path + "ics" + q);
        f.set("ics_is_https", base.rfind("https:", 0) == 0);
        d.set("fresh", f);
    }
    web::set_optional(d, "form_outlet", form.outlet);
    d.set("form_label", form.label);
    web::set_optional(d, "error_outlet", form.error_outlet);
    web::set_optional(d, "error_label", form.error_label);
    d.set("has_errors", !form.error_outlet.empty() || !form.error_label.empty());
    // After POST /admin/feeds/tokens the language switch fetches this page, not the POST's address.
    if (!web::is_fetch(req)) d.set("path_query", "/admin/feeds");
    http::response res = web::render_page(req, "feed_tokens", std::move(d), status);
    return res;
}

std::optional<std::int64_t> id_param(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

}  // namespace

boost::asio::awaitable<http::response> get_feed_tokens_page(http::request req, app::context& ctx) {
    page_job job;
    if (ctx.feeds != nullptr)
        job.uses =
            ctx.feeds->tokens.take_uses(std::chrono::steady_clock::now(), std::chrono::seconds(60), true);
    tokens_view v;
    v = co_await ctx.db.run(job);
    std::string flash;
    std::optional<new_token_info> fresh;
    if (req.query_value("revoked"))
        flash = web::tr(req.lang, "The token has been revoked. Feed readers using it now get 404.");
    if (const auto created = req.query_value("created"); created && ctx.feeds != nullptr) {
        // The token the POST before the redirect made: shown this once.
        if (auto e = ctx.feeds->fresh.take(*created, req.user->user_id, std::chrono::steady_clock::now())) {
            fresh = new_token_info{std::move(e->outlet), std::move(e->label), std::move(e->token)};
            flash = web::tr(req.lang, "The token has been created.");
        } else {
            // (One literal: the catalog check reads msgids from the source.)
            flash = web::tr(
                req.lang,
                "The new token was shown once and is not kept. If it was not copied, revoke it and create another.");
        }
    }
    http::response res = tokens_page(req, ctx, v, fresh, {}, flash, 200);
    co_return res;
}

boost::asio::awaitable<http::response> post_feed_token(http::request req, app::context& ctx) {
    const web::form f(req.body);
    form_state form;
    form.outlet = f.get("outlet");
    form.label = f.get("label");
    const std::string& lang = req.lang;

    page_job view_job;
    tokens_view v;
    v = co_await ctx.db.run(view_job);

    const bool known = std::any_of(v.outlets.begin(), v.outlets.end(),
                                   [&](const auto& o) { return o.first == form.outlet; });
    if (form.outlet.empty())
        form.error_outlet = web::tr(lang, "Choose the outlet the token is for.");
    else if (!known)
        form.error_outlet = web::tr(lang, "No campaign has this outlet.");
    switch (core::check_token_label(form.label)) {
        case core::token_label_problem::not_one_line:
            form.error_label = web::tr(lang, "The label must be one line of text.");
            break;
        case core::token_label_problem::too_long:
            form.error_label = web::tr(lang, "The label is too long (at most 200 characters).");
            break;
        case core::token_label_problem::none: break;
    }
    if (!form.error_outlet.empty() || !form.error_label.empty()) {
        http::response res = tokens_page(req, ctx, v, std::nullopt, form, {}, 422);
        co_return res;
    }

    add_job job{form.outlet, form.label, core::audit_actor{req.user->user_id, req.user->name}};
    core::issued_token issued;
    try {
        issued = co_await ctx.db.run(job);
    } catch (const std::invalid_argument&) {
        // The outlet went away between the two jobs (an import archived it).
        form.error_outlet = web::tr(lang, "No campaign has this outlet.");
        http::response res = tokens_page(req, ctx, v, std::nullopt, form, {}, 422);
        co_return res;
    }
    if (ctx.feeds != nullptr) {
        // Post/redirect/get: a reload of the page that shows the token sends no form again.
        const std::string key = ctx.feeds->fresh.put(req.user->user_id, {form.outlet, form.label, issued.token},
                                                     std::chrono::steady_clock::now());
        co_return web::redirect("/admin/feeds?created=" + key);
    }
    v = co_await ctx.db.run(view_job);
    const new_token_info fresh{form.outlet, form.label, issued.token};
    http::response res =
        tokens_page(req, ctx, v, fresh, {}, web::tr(lang, "The token has been created."), 200);
    co_return res;
}

boost::asio::awaitable<http::response> post_revoke_feed_token(http::request req, app::context& ctx) {
    const auto id = id_param(req.param("id"));
    if (!id) co_return web::error_page(req, 404);
    revoke_job job{*id, core::audit_actor{req.user->user_id, req.user->name}};
    bool revoked = false;
    revoked = co_await ctx.db.run(job);
    if (!revoked) co_return web::error_page(req, 404);
    co_return web::redirect("/admin/feeds?revoked=" + std::to_string(*id));
}

}  // namespace loa::handlers
