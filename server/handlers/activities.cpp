// The activity routes: read the form, check it against the campaign (pure, activity_form), write
// through the activity store on the db thread, answer with a page or a redirect.
#include "server/handlers/activities.hpp"

#include <optional>
#include <string>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "core/storage/activity_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/activity_form.hpp"
#include "server/handlers/calendar_pages.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// As elsewhere: coroutines only await named locals and hand over to plain functions (GCC 12).

namespace {

// The campaign, and the activity {id} when one is asked for.
struct form_source {
    std::optional<core::campaign> campaign;
    std::optional<core::stored_activity> activity;
};

struct load_form_source {
    std::string slug;
    std::string code;  // '' = no activity
    form_source operator()(core::database& db) const {
        form_source s;
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::DEFERRED);
        s.campaign = core::load_campaign(db, slug);
        if (s.campaign && !code.empty()) s.activity = core::find_activity(db, slug, code);
        tx.commit();
        return s;
    }
};

// A write's outcome: refused (the user may not edit the activity's department as stored at the
// moment of writing), or the store's answer.
struct write_outcome {
    bool forbidden = false;
    core::activity_result result;
};

struct create_job {
    std::string slug;
    core::activity value;
    core::change_actor who;
    write_outcome operator()(core::database& db) const {
        return {false, core::create_activity(db, slug, value, who)};
    }
};

struct update_job {
    std::string slug;
    std::string code;
    core::activity value;
    core::change_actor who;
    http::principal user;
    std::string as_loaded;  // the form's fingerprint: a change made meanwhile is not overwritten
    write_outcome operator()(core::database& db) const {
        // The department is checked again on the db thread, next to the write, so a move of the
        // activity between loading the form and saving it cannot slip past the check.
        const auto current = core::find_activity(db, slug, code);
        if (current && !app::may_edit_department(user, current->item.department)) return {true, {}};
        return {false, core::update_activity(db, slug, code, value, who, as_loaded)};
    }
};

struct cancel_job {
    std::string slug;
    std::string code;
    core::change_actor who;
    http::principal user;
    write_outcome operator()(core::database& db) const {
        const auto current = core::find_activity(db, slug, code);
        if (current && !app::may_edit_department(user, current->item.department)) return {true, {}};
        return {false, core::cancel_activity(db, slug, code, who)};
    }
};

core::change_actor actor_of(const http::request& req) {
    return {req.user->user_id, req.user->name};
}

std::string start_day(const core::activity& a) {
    return web::iso_date(core::calendar_date{date::floor<date::days>(a.start)});
}

std::string calendar_href(const std::string& slug, const std::string& day, const std::string& flag,
                          const std::string& code) {
    return "/campaigns/" + slug + "/calendar?view=month&date=" + day + "&" + flag + "=" +
           web::url_encode(code);
}

bool may_create(const http::principal& user, const core::campaign& c) {
    for (const auto& d : c.departments)
        if (app::may_edit_department(user, d.code)) return true;
    return false;
}

http::response form_page(const http::request& req, const activity_form& f,
                         const activity_field_errors& errors, const activity_form_context& ctx,
                         unsigned status) {
    web::page_data data = activity_form_page(req, f, errors, ctx);
    // A form sent back with its errors answers a POST: the language switch fetches the empty form.
    const std::string base = "/campaigns/" + ctx.campaign->slug + "/activities/";
    if (!web::is_fetch(req))
        data.set("path_query", ctx.code.empty() ? base + "new" : base + ctx.code + "/edit");
    return web::render_page(req, "activity_form", std::move(data), status);
}

activity_form_context context_for(const http::request& req, const core::campaign& c,
                                  const core::stored_activity* stored) {
    activity_form_context ctx;
    ctx.campaign = &c;
    ctx.user = &*req.user;
    ctx.cancel_date = web::iso_date(c.period_start);
    if (stored != nullptr) {
        ctx.code = stored->item.id;
        ctx.origin = stored->origin;
        ctx.cancelled = stored->cancelled;
        ctx.cancel_date = start_day(stored->item);
    }
    return ctx;
}

// ---- GET new --------------------------------------------------------------------------------

http::response new_form_reply(const http::request& req, const form_source& src) {
    if (!src.campaign) return web::error_page(req, 404);
    if (!may_create(*req.user, *src.campaign)) return web::error_page(req, 403);
    std::optional<core::calendar_date> day;
    const auto q = req.query_value("date");
    if (q && !q->empty()) {
        // The calendar's "add on this day" link: a day that does not exist is said, as the calendar says it.
        day = core::typed_date(*q);
        if (!day) return web::error_page(req, 400, calendar_query_error_text({"date", *q}, req.lang));
    }
    const activity_form f = new_activity_form(*src.campaign, *req.user, day);
    activity_form_context ctx = context_for(req, *src.campaign, nullptr);
    if (day) ctx.cancel_date = web::iso_date(*day);  // "Back to the calendar": the month of that day
    return form_page(req, f, {}, ctx, 200);
}

// ---- POST new -------------------------------------------------------------------------------

struct create_plan {
    std::optional<http::response> reply;  // set: answer this and write nothing
    core::activity value;
};

create_plan plan_create(const http::request& req, const form_source& src, const activity_form& f) {
    create_plan plan;
    if (!src.campaign) {
        plan.reply = web::error_page(req, 404);
        return plan;
    }
    const auto v = validate_activity_form(f, *src.campaign);
    if (!v.errors.contains("department") && !app::may_edit_department(*req.user, v.value.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    if (!v.errors.empty()) {
        plan.reply = form_page(req, f, v.errors, context_for(req, *src.campaign, nullptr), 422);
        return plan;
    }
    plan.value = v.value;
    return plan;
}

http::response created_reply(const http::request& req, const form_source& src, const activity_form& f,
                             const write_outcome& out) {
    const core::activity_result& r = out.result;
    if (r.ok())
        return web::redirect(
            calendar_href(src.campaign->slug, start_day(r.value.item), "saved", r.value.item.id));
    if (r.error == core::activity_errc::unknown_campaign) return web::error_page(req, 404);
    activity_field_errors errors;
    if (const auto field = store_error_field(r.error)) {
        errors.emplace(field->first, scheduler::form_error{field->first, field->second, {}});
    }
    return form_page(req, f, errors, context_for(req, *src.campaign, nullptr), 422);
}

// ---- GET edit -------------------------------------------------------------------------------

http::response edit_form_reply(const http::request& req, const form_source& src) {
    if (!src.campaign || !src.activity) return web::error_page(req, 404);
    if (!app::may_edit_department(*req.user, src.activity->item.department)) return web::error_page(req, 403);
    activity_form f = activity_form_from(src.activity->item);
    f.fingerprint = core::activity_fingerprint(*src.activity);
    return form_page(req, f, {}, context_for(req, *src.campaign, &*src.activity), 200);
}

// ---- POST edit ------------------------------------------------------------------------------

struct update_plan {
    std::optional<http::response> reply;
    core::activity value;
};

update_plan plan_update(const http::request& req, const form_source& src, const activity_form& f) {
    update_plan plan;
    if (!src.campaign || !src.activity) {
        plan.reply = web::error_page(req, 404);
        return plan;
    }
    if (!app::may_edit_department(*req.user, src.activity->item.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    if (src.activity->cancelled) {
        plan.reply = web::error_page(req, 409);
        return plan;
    }
    const auto v = validate_activity_form(f, *src.campaign);
    if (!v.errors.contains("department") && !app::may_edit_department(*req.user, v.value.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    if (!v.errors.empty()) {
        plan.reply = form_page(req, f, v.errors, context_for(req, *src.campaign, &*src.activity), 422);
        return plan;
    }
    plan.value = v.value;
    return plan;
}

http::response updated_reply(const http::request& req, const form_source& src, const activity_form& f,
                             const write_outcome& out) {
    if (out.forbidden) return web::error_page(req, 403);
    const core::activity_result& r = out.result;
    if (r.ok())
        return web::redirect(
            calendar_href(src.campaign->slug, start_day(r.value.item), "saved", r.value.item.id));
    switch (r.error) {
        case core::activity_errc::unknown_campaign:
        case core::activity_errc::not_found:
            return web::error_page(req, 404);
        case core::activity_errc::already_cancelled:
            return web::error_page(req, 409);
        case core::activity_errc::changed_meanwhile: {
            // What was typed stays; the form now carries the activity as it is, so sending it
            // again (after a look at the other change) replaces that one knowingly.
            activity_form again = f;
            again.fingerprint = core::activity_fingerprint(r.value);
            activity_field_errors errors;
            errors.emplace("activity-form",
                           scheduler::form_error{"activity-form",
                                                 "This activity was saved again while you were editing it (by someone else, or by you in another tab or window). What you typed is kept below: look at the activity in another tab, then send the form again to replace that version.",
                                                 {}});
            return form_page(req, again, errors, context_for(req, *src.campaign, &r.value), 409);
        }
        default:
            break;
    }
    activity_field_errors errors;
    if (const auto field = store_error_field(r.error)) {
        errors.emplace(field->first, scheduler::form_error{field->first, field->second, {}});
    }
    return form_page(req, f, errors, context_for(req, *src.campaign, &*src.activity), 422);
}

// ---- POST cancel ----------------------------------------------------------------------------

std::optional<http::response> refuse_cancel(const http::request& req, const form_source& src) {
    if (!src.campaign || !src.activity) return web::error_page(req, 404);
    if (!app::may_edit_department(*req.user, src.activity->item.department)) return web::error_page(req, 403);
    if (src.activity->cancelled) return web::error_page(req, 409);
    return std::nullopt;
}

http::response cancelled_reply(const http::request& req, const form_source& src, const write_outcome& out) {
    if (out.forbidden) return web::error_page(req, 403);
    const core::activity_result& r = out.result;
    if (r.ok())
        return web::redirect(
            calendar_href(src.campaign->slug, start_day(r.value.item), "cancelled", r.value.item.id));
    if (r.error == core::activity_errc::already_cancelled) return web::error_page(req, 409);
    return web::error_page(req, 404);
}

}  // namespace

boost::asio::awaitable<http::response> get_new_activity(http::request req, app::context& ctx) {
    const load_form_source job{req.param("slug"), ""};
    form_source src;
    src = co_await ctx.db.run(job);
    http::response res = new_form_reply(req, src);
    co_return res;
}

boost::asio::awaitable<http::response> post_new_activity(http::request req, app::context& ctx) {
    const web::form posted(req.body);
    const activity_form f = activity_form_from(posted);
    const load_form_source load{req.param("slug"), ""};
    form_source src;
    src = co_await ctx.db.run(load);
    create_plan plan = plan_create(req, src, f);
    if (plan.reply) {
        http::response early = std::move(*plan.reply);
        co_return early;
    }
    const create_job job{src.campaign->slug, std::move(plan.value), actor_of(req)};
    write_outcome out;
    out = co_await ctx.db.run(job);
    http::response res = created_reply(req, src, f, out);
    co_return res;
}

boost::asio::awaitable<http::response> get_edit_activity(http::request req, app::context& ctx) {
    const load_form_source job{req.param("slug"), req.param("id")};
    form_source src;
    src = co_await ctx.db.run(job);
    http::response res = edit_form_reply(req, src);
    co_return res;
}

boost::asio::awaitable<http::response> post_edit_activity(http::request req, app::context& ctx) {
    const web::form posted(req.body);
    const activity_form f = activity_form_from(posted);
    const load_form_source load{req.param("slug"), req.param("id")};
    form_source src;
    src = co_await ctx.db.run(load);
    update_plan plan = plan_update(req, src, f);
    if (plan.reply) {
        http::response early = std::move(*plan.reply);
        co_return early;
    }
    const update_job job{src.campaign->slug, src.activity->item.id, std::move(plan.value), actor_of(req),
                         *req.user, f.fingerprint};
    write_outcome out;
    out = co_await ctx.db.run(job);
    http::response res = updated_reply(req, src, f, out);
    co_return res;
}

boost::asio::awaitable<http::response> post_cancel_activity(http::request req, app::context& ctx) {
    const load_form_source load{req.param("slug"), req.param("id")};
    form_source src;
    src = co_await ctx.db.run(load);
    std::optional<http::response> refused = refuse_cancel(req, src);
    if (refused) {
        http::response early = std::move(*refused);
        co_return early;
    }
    const cancel_job job{src.campaign->slug, src.activity->item.id, actor_of(req), *req.user};
    write_outcome out;
    out = co_await ctx.db.run(job);
    http::response res = cancelled_reply(req, src, out);
    co_return res;
}

}  // namespace loa::handlers
