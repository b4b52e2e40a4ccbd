// The message pages' handlers: load on the db thread, decide and shape with message_pages, render.
#include "server/handlers/messages.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"
#include "server/handlers/message_pages.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// As everywhere in handlers: the coroutines only await NAMED jobs and assign the result to a local
// declared before (GCC 12 destroys temporaries of an awaited full-expression twice); everything
// else happens in the plain functions they call.

namespace {

// ---- Jobs on the db thread -------------------------------------------------------------------

struct list_load {
    std::optional<core::campaign> campaign;
    std::vector<core::stored_message> messages;
};

struct load_list {
    std::string slug;
    core::message_filter filter;
    list_load operator()(core::database& db) const {
        list_load out;
        out.campaign = core::load_campaign(db, slug);
        if (!out.campaign) return out;
        auto list = core::list_messages(db, slug, filter);
        if (list) out.messages = std::move(*list);
        return out;
    }
};

struct load_campaign_only {
    std::string slug;
    std::optional<core::campaign> operator()(core::database& db) const {
        return core::load_campaign(db, slug);
    }
};

struct message_load {
    std::optional<core::campaign> campaign;
    std::optional<core::stored_message> message;
    std::optional<core::message_history> history;
};

struct load_message {
    std::string slug;
    std::string code;
    message_load operator()(core::database& db) const {
        message_load out;
        out.campaign = core::load_campaign(db, slug);
        if (!out.campaign) return out;
        out.message = core::find_message(db, slug, code);
        if (out.message) out.history = core::find_message_history(db, slug, code);
        return out;
    }
};

enum class write_kind { none, create, update, submit, approve, reject };

// One store write; `kind` none = nothing to write (the reply is already decided).
struct write_job {
    write_kind kind = write_kind::none;
    std::string slug;
    std::string code;
    core::message content;
    core::message_actor who;
    std::optional<int> version;
    std::string comment;
    // The server's clock (settings::as_of): an approval queues the dispatches of the placements
    // still ahead of it, as the dispatcher sees time; an edit that ends the approval withdraws
    // the placements still ahead of it.
    std::chrono::sys_time<std::chrono::milliseconds> now{};
    core::message_result operator()(core::database& db) const {
        switch (kind) {
            case write_kind::create:
                return core::create_message(db, slug, content, who);
            case write_kind::update:
                return core::update_message(db, slug, code, content, who, version, now);
            case write_kind::submit:
                return core::submit_message(db, slug, code, who, version, comment);
            case write_kind::approve:
                return core::approve_message(db, slug, code, who, version.value_or(0), comment, now);
            case write_kind::reject:
                return core::reject_message(db, slug, code, who, version.value_or(0), comment);
            case write_kind::none:
                break;
        }
        return {};
    }
};

struct queue_load {
    std::optional<core::campaign> campaign;
    std::vector<queued_message> queue;
};

struct load_queue {
    std::string slug;
    queue_load operator()(core::database& db) const {
        queue_load out;
        out.campaign = core::load_campaign(db, slug);
        if (!out.campaign) return out;
        core::message_filter f;
        f.state = "submitted";
        auto list = core::list_messages(db, slug, f);
        if (!list) return out;
        for (auto& m : *list) {
            queued_message q;
            if (auto h = core::find_message_history(db, slug, m.item.id)) {
                for (const auto& r : h->reviews) {  // newest first: the latest submission
                    if (r.action != "submit") continue;
                    q.submitted_by = r.reviewer;
                    q.submitted_at = r.at;
                    break;
                }
            }
            q.message = std::move(m);
            out.queue.push_back(std::move(q));
        }
        // Oldest submission first: the queue is worked through in order.
        std::stable_sort(
            out.queue.begin(), out.queue.end(),
            [](const queued_message& a, const queued_message& b) { return a.submitted_at < b.submitted_at; });
        return out;
    }
};

struct audit_load {
    bool campaign_found = true;
    std::string campaign_title_vi;
    std::string campaign_title_en;
    std::string time_zone;
    core::audit_page page;
    std::vector<std::string> entities;
    std::vector<std::string> actions;
    std::vector<std::string> actors;
};

struct load_audit {
    std::string slug;  // '' = every campaign
    audit_filters filters;
    audit_load operator()(core::database& db) const {
        audit_load out;
        if (!slug.empty()) {
            auto c = core::load_campaign(db, slug);
            if (!c) {
                out.campaign_found = false;
                return out;
            }
            out.campaign_title_vi = c->title.vi;
            out.campaign_title_en = c->title.en;
            out.time_zone = c->time_zone;
        } else {
            // Every campaign's log, shown in the first campaign's zone (Hai Phong's, in practice).
            const auto all = core::list_campaigns(db);
            if (!all.empty()) out.time_zone = all.front().time_zone;
        }
        const core::audit_query q = audit_query_for(filters, slug, core::find_zone(out.time_zone));
        if (filters.errors.empty()) out.page = core::query_audit(db.sql(), q);
        out.entities = core::audit_entities(db.sql());
        out.actions = core::audit_actions(db.sql());
        out.actors = core::audit_actors(db.sql());
        return out;
    }
};

// ---- Replies ---------------------------------------------------------------------------------

std::string message_href(const std::string& slug, const std::string& code) {
    return "/campaigns/" + slug + "/messages/" + code;
}

core::message_filter filter_from(const http::request& req) {
    core::message_filter f;
    const auto pick = [&](const char* name) -> std::optional<std::string> {
        auto v = req.query_value(name);
        if (!v || v->empty()) return std::nullopt;
        return v;
    };
    f.department = pick("department");
    f.state = pick("state");
    f.channel = pick("channel");
    f.audience = pick("audience");
    return f;
}

http::response list_reply(const http::request& req, const list_load& loaded,
                          const core::message_filter& filter) {
    if (!loaded.campaign) return web::error_page(req, 404);
    // A value the filter does not offer (a stale link) is refused rather than listing nothing.
    if (const auto bad = check_message_filter(*loaded.campaign, filter))
        return web::error_page(req, 400, message_filter_error_text(*bad, req.lang));
    return web::render_page(req, "message_list",
                            message_list_data(*loaded.campaign, loaded.messages, filter, req));
}

http::response form_reply(const http::request& req, const form_view& view, unsigned status) {
    web::page_data data = message_form_data(view, req);
    // A form sent back with its errors answers a POST: the language switch fetches the form instead.
    if (!web::is_fetch(req)) {
        const std::string base = "/campaigns/" + view.campaign->slug + "/messages/";
        data.set("path_query",
                 view.existing == nullptr ? base + "new" : base + view.existing->item.id + "/edit");
    }
    return web::render_page(req, "message_form", std::move(data), status);
}

http::response new_form_reply(const http::request& req, const std::optional<core::campaign>& c) {
    if (!c) return web::error_page(req, 404);
    form_view view;
    view.campaign = &*c;
    view.form = new_message_form(*c, *req.user);
    return form_reply(req, view, 200);
}

// What a POST of the editor decided before writing: a reply (preview, errors, refusal), or a write.
struct form_plan {
    std::optional<http::response> reply;
    write_job job;
    message_form form;
};

bool wants_preview(const web::form& f) {
    return f.get("action") == "preview";
}

// POST new / edit: 404, 403, preview (200), invalid (422), conflict (409), or the write to do.
form_plan plan_form(const http::request& req, const std::optional<core::campaign>& c,
                    const core::stored_message* existing, bool editing) {
    form_plan plan;
    if (!c || (editing && existing == nullptr)) {
        plan.reply = web::error_page(req, 404);
        return plan;
    }
    const http::principal& user = *req.user;
    if (existing != nullptr && !app::may_edit_department(user, existing->item.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    const web::form posted(req.body);
    plan.form = message_form_from(posted);
    if (existing != nullptr) keep_stored_rules(plan.form, existing->item);
    const bool known_department =
        std::any_of(c->departments.begin(), c->departments.end(),
                    [&](const core::department& d) { return d.code == plan.form.department; });
    // A department the user may not write for is refused outright (the form never offers it).
    if (known_department && !app::may_edit_department(user, plan.form.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    form_view view;
    view.campaign = &*c;
    view.existing = existing;
    view.form = plan.form;
    if (wants_preview(posted)) {
        view.with_previews = true;
        view.errors = validate_message_form(plan.form, *c, user, existing != nullptr ? &existing->item : nullptr).errors;
        plan.reply = form_reply(req, view, 200);
        return plan;
    }
    if (existing != nullptr && plan.form.version != std::to_string(existing->version)) {
        // Someone saved meanwhile: keep what was typed, base it on the current version now.
        view.conflict = true;
        view.form.version = std::to_string(existing->version);
        view.with_previews = true;
        plan.reply = form_reply(req, view, 409);
        return plan;
    }
    validated_message v = validate_message_form(plan.form, *c, user, existing != nullptr ? &existing->item : nullptr);
    if (!v.errors.empty()) {
        view.errors = std::move(v.errors);
        plan.reply = form_reply(req, view, 422);
        return plan;
    }
    plan.job.kind = editing ? write_kind::update : write_kind::create;
    plan.job.slug = c->slug;
    plan.job.content = std::move(v.value);
    plan.job.who = {user.user_id, user.name};
    if (editing) {
        plan.job.code = existing->item.id;
        plan.job.version = existing->version;
    }
    return plan;
}

// After the write of a POST new / edit.
http::response form_result_reply(const http::request& req, const core::campaign& c,
                                 const core::stored_message* existing, const form_plan& plan,
                                 const core::message_result& r) {
    if (r.ok()) {
        const std::string done =
            existing == nullptr ? "created" : (r.value.version == existing->version ? "unchanged" : "saved");
        return web::redirect(message_href(c.slug, r.value.item.id) + "?done=" + done);
    }
    if (r.error == core::message_errc::not_found) return web::error_page(req, 404);
    form_view view;
    view.campaign = &c;
    view.existing = existing;
    view.form = plan.form;
    if (r.error == core::message_errc::stale_version) {
        view.conflict = true;
        view.with_previews = true;
        return form_reply(req, view, 409);
    }
    auto [field, msgid] = store_error_field(r.error);
    view.errors[field] = msgid;
    return form_reply(req, view, 422);
}

http::response preview_reply(const http::request& req, const std::optional<core::campaign>& c) {
    if (!c) return web::error_page(req, 404);
    const web::form posted(req.body);
    const message_form f = message_form_from(posted);
    const validated_message v = validate_message_form(f, *c, *req.user);
    web::page_data d;
    d.set("previews", preview_data(v.value, *c, req.lang));
    http::response res;
    res.content_type = "text/html; charset=utf-8";
    res.body = web::render_fragment(req, "_message_previews", std::move(d));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
}

http::response detail_reply(const http::request& req, const message_load& loaded, detail_view view,
                            unsigned status) {
    if (!loaded.campaign || !loaded.message) return web::error_page(req, 404);
    view.campaign = &*loaded.campaign;
    view.message = &*loaded.message;
    view.history = loaded.history ? &*loaded.history : nullptr;
    web::page_data data = message_detail_data(view, req);
    // After a refused submit, approve or reject (POSTs) the language switch fetches the message.
    if (!web::is_fetch(req))
        data.set("path_query", message_href(loaded.campaign->slug, loaded.message->item.id));
    return web::render_page(req, "message_detail", std::move(data), status);
}

http::response edit_form_reply(const http::request& req, const message_load& loaded) {
    if (!loaded.campaign || !loaded.message) return web::error_page(req, 404);
    if (!app::may_edit_department(*req.user, loaded.message->item.department))
        return web::error_page(req, 403);
    form_view view;
    view.campaign = &*loaded.campaign;
    view.existing = &*loaded.message;
    view.form = message_form_from(loaded.message->item, loaded.message->version);
    view.with_previews = true;
    return form_reply(req, view, 200);
}

// Submit / approve / reject: what to write, or the reply when nothing may be written.
struct action_plan {
    std::optional<http::response> reply;
    write_job job;
};

std::optional<int> version_field(const web::form& f) {
    const std::string v = f.get("version");
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoi(v);
}

action_plan plan_action(const http::request& req, const message_load& loaded, write_kind kind) {
    action_plan plan;
    if (!loaded.campaign || !loaded.message) {
        plan.reply = web::error_page(req, 404);
        return plan;
    }
    const http::principal& user = *req.user;
    if (kind == write_kind::submit && !app::may_edit_department(user, loaded.message->item.department)) {
        plan.reply = web::error_page(req, 403);
        return plan;
    }
    const web::form posted(req.body);
    plan.job.kind = kind;
    plan.job.slug = loaded.campaign->slug;
    plan.job.code = loaded.message->item.id;
    plan.job.who = {user.user_id, user.name};
    plan.job.comment = posted.text("comment");
    plan.job.version = version_field(posted);
    // Approve and reject are bound to the version the approver saw: the form must say which.
    if (kind != write_kind::submit && !plan.job.version) plan.job.version = 0;
    return plan;
}

const char* done_of(write_kind kind) {
    switch (kind) {
        case write_kind::submit:
            return "submitted";
        case write_kind::approve:
            return "approved";
        case write_kind::reject:
            return "rejected";
        default:
            return "saved";
    }
}

http::response action_result_reply(const http::request& req, const message_load& loaded, const write_job& job,
                                   const core::message_result& r) {
    if (r.ok()) {
        const web::form posted(req.body);
        if (job.kind != write_kind::submit && posted.get("next") == "approvals")
            return web::redirect("/campaigns/" + job.slug + "/approvals?done=" + done_of(job.kind));
        return web::redirect(message_href(job.slug, job.code) + "?done=" + done_of(job.kind));
    }
    if (r.error == core::message_errc::not_found || r.error == core::message_errc::unknown_campaign)
        return web::error_page(req, 404);
    detail_view view;
    if (r.error == core::message_errc::comment_required || r.error == core::message_errc::comment_too_long) {
        view.review_error = store_error_field(r.error).second;
        view.review_comment = job.comment;
        return detail_reply(req, loaded, std::move(view), 422);
    }
    view.error = store_error_field(r.error).second;
    view.review_comment = job.comment;
    return detail_reply(req, loaded, std::move(view), 409);
}

http::response approvals_reply(const http::request& req, const queue_load& loaded) {
    if (!loaded.campaign) return web::error_page(req, 404);
    const std::string done = req.query_value("done").value_or("");
    return web::render_page(req, "approvals", approvals_data(*loaded.campaign, loaded.queue, req, done));
}

http::response audit_reply(const http::request& req, const audit_load& loaded, const load_audit& job) {
    if (!loaded.campaign_found) return web::error_page(req, 404);
    audit_view view;
    view.page = &loaded.page;
    view.filters = job.filters;
    view.entities = loaded.entities;
    view.actions = loaded.actions;
    view.actors = loaded.actors;
    view.campaign_slug = job.slug;
    view.campaign_title = req.lang == "en" && !loaded.campaign_title_en.empty() ? loaded.campaign_title_en
                                                                                : loaded.campaign_title_vi;
    view.zone = core::find_zone(loaded.time_zone);
    const unsigned status = job.filters.errors.empty() ? 200 : 422;
    return web::render_page(req, "audit", audit_data(view, req), status);
}

// The POST new / edit flow shared by both: plan, write when the plan says so, reply.
boost::asio::awaitable<http::response> save_form(http::request req, app::context& ctx, bool editing) {
    const load_message load{req.param("slug"), editing ? req.param("id") : std::string()};
    message_load loaded;
    loaded = co_await ctx.db.run(load);
    const core::stored_message* existing = loaded.message ? &*loaded.message : nullptr;
    form_plan plan = plan_form(req, loaded.campaign, editing ? existing : nullptr, editing);
    http::response res;
    if (plan.reply) {
        res = std::move(*plan.reply);
        co_return res;
    }
    plan.job.now = std::chrono::floor<std::chrono::milliseconds>(ctx.clock.now());
    core::message_result result;
    result = co_await ctx.db.run(plan.job);
    res = form_result_reply(req, *loaded.campaign, editing ? existing : nullptr, plan, result);
    co_return res;
}

boost::asio::awaitable<http::response> run_action(http::request req, app::context& ctx, write_kind kind) {
    const load_message load{req.param("slug"), req.param("id")};
    message_load loaded;
    loaded = co_await ctx.db.run(load);
    action_plan plan = plan_action(req, loaded, kind);
    http::response res;
    if (plan.reply) {
        res = std::move(*plan.reply);
        co_return res;
    }
    plan.job.now = std::chrono::floor<std::chrono::milliseconds>(ctx.clock.now());
    core::message_result result;
    result = co_await ctx.db.run(plan.job);
    // An approval queued its placements' dispatches in its transaction: the dispatcher looks now.
    if (result.ok() && kind == write_kind::approve) app::notify_dispatch(ctx);
    if (!result.ok()) {
        // Show the message as it is now, next to why the action was refused.
        loaded = co_await ctx.db.run(load);
    }
    res = action_result_reply(req, loaded, plan.job, result);
    co_return res;
}

}  // namespace

boost::asio::awaitable<http::response> get_messages_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = web::ambiguous_parameter(req.query, {"department", "state", "channel", "audience"});
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const load_list job{req.param("slug"), filter_from(req)};
    list_load loaded;
    loaded = co_await ctx.db.run(job);
    http::response res = list_reply(req, loaded, job.filter);
    co_return res;
}

boost::asio::awaitable<http::response> get_new_message_page(http::request req, app::context& ctx) {
    const load_campaign_only job{req.param("slug")};
    std::optional<core::campaign> c;
    c = co_await ctx.db.run(job);
    http::response res = new_form_reply(req, c);
    co_return res;
}

boost::asio::awaitable<http::response> post_new_message(http::request req, app::context& ctx) {
    http::response res;
    res = co_await save_form(std::move(req), ctx, false);
    co_return res;
}

boost::asio::awaitable<http::response> post_message_preview(http::request req, app::context& ctx) {
    const load_campaign_only job{req.param("slug")};
    std::optional<core::campaign> c;
    c = co_await ctx.db.run(job);
    http::response res = preview_reply(req, c);
    co_return res;
}

boost::asio::awaitable<http::response> get_message_page(http::request req, app::context& ctx) {
    const load_message job{req.param("slug"), req.param("id")};
    message_load loaded;
    loaded = co_await ctx.db.run(job);
    detail_view view;
    view.done = req.query_value("done").value_or("");
    http::response res = detail_reply(req, loaded, std::move(view), 200);
    co_return res;
}

boost::asio::awaitable<http::response> get_edit_message_page(http::request req, app::context& ctx) {
    const load_message job{req.param("slug"), req.param("id")};
    message_load loaded;
    loaded = co_await ctx.db.run(job);
    http::response res = edit_form_reply(req, loaded);
    co_return res;
}

boost::asio::awaitable<http::response> post_edit_message(http::request req, app::context& ctx) {
    http::response res;
    res = co_await save_form(std::move(req), ctx, true);
    co_return res;
}

boost::asio::awaitable<http::response> post_submit_message(http::request req, app::context& ctx) {
    http::response res;
    res = co_await run_action(std::move(req), ctx, write_kind::submit);
    co_return res;
}

boost::asio::awaitable<http::response> post_approve_message(http::request req, app::context& ctx) {
    http::response res;
    res = co_await run_action(std::move(req), ctx, write_kind::approve);
    co_return res;
}

boost::asio::awaitable<http::response> post_reject_message(http::request req, app::context& ctx) {
    http::response res;
    res = co_await run_action(std::move(req), ctx, write_kind::reject);
    co_return res;
}

boost::asio::awaitable<http::response> get_approvals_page(http::request req, app::context& ctx) {
    const load_queue job{req.param("slug")};
    queue_load loaded;
    loaded = co_await ctx.db.run(job);
    http::response res = approvals_reply(req, loaded);
    co_return res;
}

namespace {

// The audit log's filters given twice with different values (each is read once).
std::optional<std::string> ambiguous_audit_parameter(const http::request& req) {
    return web::ambiguous_parameter(req.query, {"entity", "action", "actor", "from", "to", "page"});
}

}  // namespace

boost::asio::awaitable<http::response> get_audit_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = ambiguous_audit_parameter(req);
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const load_audit job{std::string(), audit_filters_from(req)};
    audit_load loaded;
    loaded = co_await ctx.db.run(job);
    http::response res = audit_reply(req, loaded, job);
    co_return res;
}

boost::asio::awaitable<http::response> get_campaign_audit_page(http::request req, app::context& ctx) {
    const std::optional<std::string> twice = ambiguous_audit_parameter(req);
    if (twice) {
        http::response refused = web::ambiguous_parameter_page(req, *twice);
        co_return refused;
    }
    const load_audit job{req.param("slug"), audit_filters_from(req)};
    audit_load loaded;
    loaded = co_await ctx.db.run(job);
    http::response res = audit_reply(req, loaded, job);
    co_return res;
}

}  // namespace loa::handlers
