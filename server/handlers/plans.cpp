// The planner's handlers: the API run and the "Run planner" page. Loading and storing run on the
// db thread, the plan itself on the server's planner thread (ctx.planner), one plan at a time;
// plan_pages shapes what comes back.
#include "server/handlers/plans.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/storage/campaign_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/plan_store.hpp"
#include "core/time/zone.hpp"
#include "scheduler/planner/inventory.hpp"
#include "scheduler/planner/service.hpp"
#include "server/handlers/activity_form.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/plan_pages.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"
#include "server/app/work_pool.hpp"

// GCC 12 at -O2 reports -Wmismatched-new-delete on some of these coroutines' frames: a false
// positive with Asio's awaitable frame allocator (GCC bug 109224, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace loa::handlers {

// As everywhere in handlers: the coroutines only await NAMED jobs and assign the result to a local
// declared before (GCC 12 destroys temporaries of an awaited full-expression twice); everything
// else happens in the plain functions they call.

namespace {

namespace planner = scheduler::planner;

// The server's clock (settings::as_of): in a rehearsal a plan starts from the rehearsed instant,
// so that its placements are ahead of the dispatcher, which runs on the same clock.
planner::instant now_utc(const app::context& ctx) {
    return std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
}

core::audit_actor actor_of(const http::request& req) {
    return {req.user->user_id, req.user->name};
}

// The breaks of the chosen day, from the campaign's inventory of that one date.
std::vector<schedule_break> day_breaks(const core::campaign& c, const day_choice& day, planner::instant now) {
    const auto d = core::typed_date(day.date);
    if (day.outlet.empty() || !d) return {};
    const planner::instance in = planner::build_instance(c, {}, now, planner::plan_range{*d, *d});
    return breaks_of(in, day.outlet, *d);
}

// ---- Jobs on the db thread -------------------------------------------------------------------

struct api_outcome {
    planner::run_errc error = planner::run_errc::ok;
    std::string detail;
    std::string json;  // plan_json when ok
};

// The API's "as_of" on the campaign's wall clock when it has no offset (nullopt: no such campaign;
// the run then says so).
struct resolve_as_of_job {
    std::string slug;
    std::string text;
    std::optional<std::optional<planner::instant>> operator()(core::database& db) const {
        const auto c = core::load_campaign(db, slug);
        if (!c) return std::nullopt;
        return parse_as_of(text, core::find_zone(c->time_zone));
    }
};

// The three steps of planner::run_planner, each where it belongs: loading and storing on the db
// thread, the plan itself (make_plan and the validator: seconds on a province's year) on
// ctx.planner, so that the db thread serves the feeds, the pages and the dispatcher meanwhile.
// Prepared and planned again while the campaign changes under it (a message approved, a
// placement published meanwhile), as run_planner does.
struct prepare_job {
    std::string slug;
    planner::run_options options;
    planner::run_result operator()(core::database& db) const { return planner::prepare_run(db, slug, options); }
};
struct plan_job {
    planner::run_result* r;
    void operator()() const { planner::plan_prepared(*r); }
};
struct store_job {
    planner::run_result* r;
    core::audit_actor who;
    void operator()(core::database& db) const { planner::store_prepared(db, *r, who); }
};
struct json_job {
    const planner::run_result* r;
    std::string operator()() const { return planner::plan_json(*r); }
};

// The server's planner pool (app::server sets it; a context without one serves no plan).
app::work_pool& planner_pool(const app::context& ctx) {
    if (ctx.planner == nullptr) throw std::logic_error("planner: this server has no planner pool");
    return *ctx.planner;
}

boost::asio::awaitable<planner::run_result> run_planner_off_db(app::context& ctx, std::string slug,
                                                              planner::run_options options, core::audit_actor who) {
    planner::run_result r;
    // One plan at a time from its reading to its storing (others wait their turn here).
    app::work_pool& pool = planner_pool(ctx);
    co_await pool.enter();
    const app::work_pool::turn my_turn(&pool);
    for (int attempt = 0; attempt < planner::max_plan_attempts; ++attempt) {
        options.now = now_utc(ctx);  // lead times and freeze horizons from when it is read (again)
        const prepare_job prepare{slug, options};
        r = co_await ctx.db.run(prepare);
        const plan_job plan{&r};
        co_await pool.run(plan);
        const store_job store{&r, who};
        co_await ctx.db.run(store);
        if (r.error != planner::run_errc::changed) break;
    }
    co_return r;
}

boost::asio::awaitable<std::string> plan_json_off_io(app::context& ctx, const planner::run_result& r) {
    const json_job job{&r};
    std::string out;
    out = co_await planner_pool(ctx).run(job);
    co_return out;
}

// What the page shows: the campaign, the default range, and the latest stored run (or a dry run).
struct page_load {
    std::optional<core::campaign> campaign;
    planner::plan_range range{};
    std::optional<core::plan_run> run;
    std::optional<plan_report> report;
    day_choice day;
    std::vector<schedule_break> breaks;
    planner::run_errc error = planner::run_errc::ok;  // of a run from the form
    std::string detail;
};

struct load_page {
    std::string slug;
    std::string outlet;  // the schedule's choice ('' = the busiest)
    std::string date;
    planner::instant now;  // the server's clock
    page_load operator()(core::database& db) const {
        page_load out;
        out.campaign = core::load_campaign(db, slug);
        if (!out.campaign) return out;
        out.range = planner::default_range(*out.campaign);
        out.run = core::latest_plan_run(db, slug);
        if (out.run) out.report = parse_plan_report(out.run->report_json);
        if (out.report) {
            out.day = choose_day(*out.report, *out.campaign, outlet, date);
            out.breaks = day_breaks(*out.campaign, out.day, now);
            // The run is history; what became of its airings since is not: the day shows it (the
            // outlet's stored placements of those hours only).
            if (const auto span = day_starts(*out.report, out.day)) {
                overlay_current(*out.report, out.day, slug,
                                core::load_outlet_schedule(db, out.day.outlet, span->first,
                                                           span->second + std::chrono::seconds{1}));
            }
        }
        return out;
    }
};

// A dry run from the form, shaped for the page: its report (its JSON, read back) and its chosen
// day's breaks from the run's own inventory. No I/O: the run holds its campaign.
struct dry_run_page_job {
    const planner::run_result* r;
    std::string outlet;
    std::string date;
    page_load operator()() const {
        page_load out;
        out.campaign = r->campaign;
        out.range = planner::default_range(*out.campaign);
        out.report = parse_plan_report(planner::plan_json(*r));
        if (out.report) {
            out.day = choose_day(*out.report, *out.campaign, outlet, date);
            const auto d = core::typed_date(out.day.date);
            if (d) out.breaks = breaks_of(r->inst, out.day.outlet, *d);
        }
        return out;
    }
};

// ---- Replies ---------------------------------------------------------------------------------

http::response unprocessable(std::vector<http::invalid_param> params) {
    return http::problem(422, http::status_title(422), "The plan request has invalid fields.",
                         std::move(params));
}

// The field a refused range belongs to: `to` when it was given, else `from`.
std::string range_field(const planner::run_options& o) {
    return o.to || !o.from ? "to" : "from";
}

// What the API and the page say when the campaign changed under every attempt (English msgid).
constexpr const char* kept_changing =
    "The campaign changed while it was being planned, every time it was tried; nothing was stored. Run the planner again.";

http::response api_reply(const api_outcome& out, const std::string& slug, const planner::run_options& run) {
    switch (out.error) {
        case planner::run_errc::ok: {
            http::response res;
            res.body = out.json;
            return res;
        }
        case planner::run_errc::unknown_campaign:
            return campaign_not_found(slug);
        case planner::run_errc::bad_range:
            return unprocessable({{range_field(run), out.detail}});
        case planner::run_errc::changed:
            return http::problem(409, http::status_title(409), kept_changing);
        case planner::run_errc::invalid_plan:
            break;
    }
    // A plan the validator rejects is a bug of the planner: nothing was stored; the log says what.
    throw std::runtime_error("planner: the plan failed validation: " + out.detail);
}

plan_form form_for_page(const page_load& loaded) {
    plan_form f;
    f.from = web::iso_date(loaded.range.from);
    f.to = web::iso_date(loaded.range.to);
    return f;
}

http::response page_reply(const http::request& req, const page_load& loaded, plan_form form,
                          plan_field_errors errors, bool dry_run, unsigned status) {
    if (!loaded.campaign) return web::error_page(req, 404);
    plan_view v;
    v.campaign = &*loaded.campaign;
    v.report = loaded.report ? &*loaded.report : nullptr;
    v.dry_run = dry_run && loaded.report;
    v.stored = !v.dry_run && loaded.run && loaded.report ? &*loaded.run : nullptr;
    v.form = std::move(form);
    v.errors = std::move(errors);
    v.done = req.query_value("done").value_or("");
    v.day = loaded.day;
    v.breaks = loaded.breaks;
    web::page_data data = plan_page_data(v, req);
    // After a refused POST (the run form with its errors) the language switch fetches the page.
    if (!web::is_fetch(req)) data.set("path_query", "/campaigns/" + v.campaign->slug + "/plan");
    return web::render_page(req, "plan", std::move(data), status);
}

}  // namespace

boost::asio::awaitable<http::response> post_plan_api(http::request req, app::context& ctx) {
    plan_api_parse parsed = parse_plan_api_body(req.body);
    http::response res;
    if (!parsed.errors.empty()) {
        res = unprocessable(std::move(parsed.errors));
        co_return res;
    }
    const std::string slug = req.param("slug");
    planner::run_options run = parsed.options.run;  // `now` is set by run_planner_off_db
    api_outcome out;
    if (parsed.options.as_of) {
        const resolve_as_of_job resolve{slug, *parsed.options.as_of};
        std::optional<std::optional<planner::instant>> as_of;
        as_of = co_await ctx.db.run(resolve);
        if (!as_of) {
            res = campaign_not_found(slug);
            co_return res;
        }
        run.as_of = *as_of;
    }
    const core::audit_actor who = actor_of(req);
    planner::run_result r;
    r = co_await run_planner_off_db(ctx, slug, run, who);
    out.error = r.error;
    out.detail = r.error_detail;
    if (r.ok()) {
        std::string json;
        json = co_await plan_json_off_io(ctx, r);
        out.json = std::move(json);
    }
    // A stored plan wrote its dispatches in its transaction: the dispatcher looks now.
    if (out.error == planner::run_errc::ok && !run.dry_run) app::notify_dispatch(ctx);
    res = api_reply(out, slug, run);
    co_return res;
}

boost::asio::awaitable<http::response> get_plan_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = web::ambiguous_parameter(req.query, {"outlet", "date"});
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const load_page job{req.param("slug"), req.query_value("outlet").value_or(""),
                        req.query_value("date").value_or(""), now_utc(ctx)};
    page_load loaded;
    loaded = co_await ctx.db.run(job);
    // An outlet the campaign does not have, or a date that is not one, is a bad request (as on the
    // calendar): the page still comes, showing another day and saying why. (Without a stored plan
    // the page shows no day, so there is nothing to say and nothing wrong.)
    const bool bad = loaded.campaign && loaded.report && day_asked_is_unknown(*loaded.campaign, job.outlet, job.date);
    http::response res = page_reply(req, loaded, form_for_page(loaded), {}, false, bad ? 400 : 200);
    co_return res;
}

boost::asio::awaitable<http::response> post_plan_page(http::request req, app::context& ctx) {
    const plan_form form = plan_form_from(web::form(req.body));
    const plan_form_check checked = check_plan_form(form);
    const load_page reload{req.param("slug"), form.outlet, form.date, now_utc(ctx)};
    page_load loaded;
    http::response res;
    if (!checked.errors.empty()) {
        loaded = co_await ctx.db.run(reload);
        res = page_reply(req, loaded, form, checked.errors, false, 422);
        co_return res;
    }
    planner::run_options options = checked.options;  // `now` is set by run_planner_off_db
    const std::string slug = req.param("slug");
    const core::audit_actor who = actor_of(req);
    planner::run_result r;
    r = co_await run_planner_off_db(ctx, slug, options, who);
    if (form.dry_run && r.ok()) {
        // Shaping the dry run's report for the page (its JSON, read back) is as large as the plan.
        const dry_run_page_job shape{&r, form.outlet, form.date};
        loaded = co_await planner_pool(ctx).run(shape);
    } else {
        loaded.error = r.error;
        loaded.detail = r.error_detail;
    }
    if (loaded.error == planner::run_errc::unknown_campaign) {
        res = web::error_page(req, 404);
    } else if (loaded.error == planner::run_errc::changed) {
        res = web::error_page(req, 409, web::tr(req.lang, kept_changing));
    } else if (loaded.error == planner::run_errc::invalid_plan) {
        throw std::runtime_error("planner: the plan failed validation: " + loaded.detail);
    } else if (loaded.error == planner::run_errc::bad_range) {
        loaded = co_await ctx.db.run(reload);
        plan_field_errors errors;
        errors[range_field(checked.options)] = "The planner cannot plan these dates.";
        res = page_reply(req, loaded, form, std::move(errors), false, 422);
    } else if (!form.dry_run) {
        app::notify_dispatch(ctx);
        res = web::redirect("/campaigns/" + req.param("slug") + "/plan?done=stored");
    } else {
        res = page_reply(req, loaded, form, {}, true, 200);
    }
    co_return res;
}

}  // namespace loa::handlers
