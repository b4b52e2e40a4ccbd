// The dispatch log's handlers: the page, one dispatch, the operator's retry and requeue, and the JSON
// API. Reading and changing the outbox run on the db thread; dispatch_pages shapes what comes back.
#include "server/handlers/dispatches.hpp"

#include <chrono>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/dispatch_pages.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"

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

// The server's clock (settings::as_of): what is due, and when a requeued or retried dispatch is
// attempted, are on the runner's clock, which is the same one in a rehearsal.
core::ms_time now_ms(const app::context& ctx) {
    return std::chrono::floor<std::chrono::milliseconds>(ctx.clock.now());
}

core::audit_actor actor_of(const http::request& req) {
    return {req.user->user_id, req.user->name};
}

// The names of the campaigns the rows belong to (each campaign loaded once).
dispatch_names names_for(core::database& db, const std::vector<core::dispatch_row>& rows) {
    std::set<std::string> slugs;
    for (const auto& r : rows) slugs.insert(r.campaign);
    dispatch_names out;
    for (const auto& slug : slugs)
        if (const auto c = core::load_campaign(db, slug)) out.emplace(slug, names_of(*c));
    return out;
}

// Whether a row exists after the page `f` (one more row asked for at the next offset).
bool more_after(core::database& db, const core::dispatch_filter& f) {
    if (f.offset > std::numeric_limits<int>::max() - f.limit) return false;
    core::dispatch_filter next = f;
    next.offset = f.offset + f.limit;
    next.limit = 1;
    return !core::list_dispatches(db, next).empty();
}

// ---- Jobs on the db thread -------------------------------------------------------------------

struct load_log {
    core::dispatch_filter filter;
    core::ms_time now;  // the server's clock
    dispatch_log_view operator()(core::database& db) const {
        dispatch_log_view v;
        v.status = core::dispatch_status(db, now);
        v.targets = core::list_targets(db);
        v.campaigns = core::list_campaigns(db);
        v.filter = filter;
        v.rows = core::list_dispatches(db, filter);
        v.has_more = more_after(db, filter);
        v.names = names_for(db, v.rows);
        return v;
    }
};

struct list_page {
    std::vector<core::dispatch_row> rows;
    bool has_more = false;
};

struct load_list {
    core::dispatch_filter filter;
    list_page operator()(core::database& db) const {
        list_page p;
        p.rows = core::list_dispatches(db, filter);
        p.has_more = more_after(db, filter);
        return p;
    }
};

struct one_dispatch {
    std::optional<core::dispatch_row> row;
    std::vector<core::attempt_row> attempts;
    dispatch_names names;
    bool target_disabled = false;  // (with names) its target is disabled: nothing is sent to it
};

struct load_one {
    std::int64_t id = 0;
    bool with_names = true;
    one_dispatch operator()(core::database& db) const {
        one_dispatch out;
        out.row = core::find_dispatch(db, id);
        if (!out.row) return out;
        out.attempts = core::list_attempts(db, id);
        if (with_names) {
            out.names = names_for(db, {*out.row});
            const auto t = core::find_target(db, out.row->target);
            out.target_disabled = t && !t->enabled;
        }
        return out;
    }
};

enum class action { retry, requeue };

struct operated {
    core::operator_outcome outcome;
    std::string state_before;  // the dispatch's state and target before (a refusal's detail)
    std::string target;
    one_dispatch now;          // the dispatch after the change
};

struct operate {
    std::int64_t id = 0;
    action what = action::retry;
    core::audit_actor who;
    core::ms_time now;  // the server's clock: the next attempt
    operated operator()(core::database& db) const {
        operated out;
        if (const auto before = core::find_dispatch(db, id)) {
            out.state_before = before->state;
            out.target = before->target;
        }
        out.outcome = what == action::retry ? core::retry_now(db, id, now, who)
                                            : core::requeue_dispatch(db, id, now, who);
        out.now = load_one{id, false}(db);
        return out;
    }
};

// ---- Replies -------------------------------------------------------------------------------------

http::response bad_request(std::vector<http::invalid_param> params) {
    return http::problem(400, http::status_title(400), "The request has invalid parameters.",
                         std::move(params));
}

http::response bad_id(const std::string& text) {
    return bad_request({{"id", "'" + text + "' is not a dispatch id (a whole number from 1)."}});
}

http::response dispatch_not_found(std::int64_t id) {
    return http::problem(404, http::status_title(404), "There is no dispatch " + std::to_string(id) + ".");
}

http::response refused_reply(action what, const operated& out) {
    using result = core::operator_outcome::result;
    std::string detail;
    if (out.outcome.value == result::target_disabled) {
        detail = "The dispatch's target " + out.target + " is disabled: enable it (loa target enable --name " +
                 out.target + ") before sending again.";
    } else if (out.outcome.value == result::target_removed) {
        detail = "The dispatch's target was removed: it cannot be sent again.";
    } else if (what == action::retry) {
        detail = "The dispatch is " + out.state_before +
                 "; only a pending or retrying dispatch can be retried now.";
    } else {
        detail = "The dispatch is " + out.state_before +
                 "; only a dead, missed or cancelled dispatch can be requeued.";
    }
    return http::problem(409, http::status_title(409), std::move(detail));
}

http::response operate_api_reply(action what, const operated& out, std::int64_t id) {
    if (out.outcome.value == core::operator_outcome::result::no_dispatch) return dispatch_not_found(id);
    if (!out.outcome) return refused_reply(what, out);
    if (!out.now.row) return dispatch_not_found(id);
    return json_response(dispatch_detail_json(*out.now.row, out.now.attempts));
}

http::response operate_page_reply(const http::request& req, const operated& out, std::int64_t id,
                                  action what) {
    using result = core::operator_outcome::result;
    if (out.outcome.value == result::no_dispatch) return web::error_page(req, 404);
    const char* done = out.outcome.value == result::target_disabled ? "target_disabled"
                       : !out.outcome                               ? "refused"
                       : what == action::retry                      ? "retried"
                                                                    : "requeued";
    return web::redirect("/dispatch/" + std::to_string(id) + "?done=" + done);
}

boost::asio::awaitable<http::response> operate_page(http::request req, app::context& ctx, action what) {
    http::response res;
    const auto id = parse_dispatch_id(req.param("id"));
    if (!id) {
        res = web::error_page(req, 404);
        co_return res;
    }
    const operate job{*id, what, actor_of(req), now_ms(ctx)};
    operated out;
    out = co_await ctx.db.run(job);
    // The runner wakes up for a dispatch that is due now (after the transaction committed).
    if (out.outcome) app::notify_dispatch(ctx);
    res = operate_page_reply(req, out, *id, what);
    co_return res;
}

boost::asio::awaitable<http::response> operate_api(http::request req, app::context& ctx, action what) {
    http::response res;
    const auto id = parse_dispatch_id(req.param("id"));
    if (!id) {
        res = bad_id(req.param("id"));
        co_return res;
    }
    const operate job{*id, what, actor_of(req), now_ms(ctx)};
    operated out;
    out = co_await ctx.db.run(job);
    if (out.outcome) app::notify_dispatch(ctx);
    res = operate_api_reply(what, out, *id);
    co_return res;
}

}  // namespace

boost::asio::awaitable<http::response> get_dispatch_page(http::request req, app::context& ctx) {
    http::response res;
    const dispatch_query q = parse_dispatch_query(req.query, dispatch_page_size);
    if (q.first_error) {
        res = web::error_page(req, 400, dispatch_query_error_text(*q.first_error, req.lang));
        co_return res;
    }
    const load_log job{q.filter, now_ms(ctx)};
    dispatch_log_view v;
    v = co_await ctx.db.run(job);
    res = web::render_page(req, "dispatch", dispatch_log_data(v, req));
    co_return res;
}

boost::asio::awaitable<http::response> get_dispatch_detail_page(http::request req, app::context& ctx) {
    http::response res;
    const auto id = parse_dispatch_id(req.param("id"));
    if (!id) {
        res = web::error_page(req, 404);
        co_return res;
    }
    const load_one job{*id, true};
    one_dispatch one;
    one = co_await ctx.db.run(job);
    if (!one.row) {
        res = web::error_page(req, 404);
        co_return res;
    }
    dispatch_detail_view v;
    v.row = std::move(*one.row);
    v.attempts = std::move(one.attempts);
    v.names = std::move(one.names);
    v.done = req.query_value("done").value_or("");
    v.now = std::chrono::floor<std::chrono::seconds>(ctx.clock.now());
    v.target_disabled = one.target_disabled;
    res = web::render_page(req, "dispatch_detail", dispatch_detail_data(v, req));
    co_return res;
}

boost::asio::awaitable<http::response> post_dispatch_retry(http::request req, app::context& ctx) {
    return operate_page(std::move(req), ctx, action::retry);
}

boost::asio::awaitable<http::response> post_dispatch_requeue(http::request req, app::context& ctx) {
    return operate_page(std::move(req), ctx, action::requeue);
}

boost::asio::awaitable<http::response> list_dispatches_api(http::request req, app::context& ctx) {
    http::response res;
    const dispatch_query q = parse_dispatch_query(req.query, dispatch_api_limit, query_names::strict);
    if (!q.errors.empty()) {
        res = bad_request(q.errors);
        co_return res;
    }
    const load_list job{q.filter};
    list_page page;
    page = co_await ctx.db.run(job);
    res = json_response(dispatch_list_json(page.rows, q.filter, page.has_more));
    co_return res;
}

boost::asio::awaitable<http::response> get_dispatch_api(http::request req, app::context& ctx) {
    http::response res;
    const auto id = parse_dispatch_id(req.param("id"));
    if (!id) {
        res = bad_id(req.param("id"));
        co_return res;
    }
    const load_one job{*id, false};
    one_dispatch one;
    one = co_await ctx.db.run(job);
    res = one.row ? json_response(dispatch_detail_json(*one.row, one.attempts)) : dispatch_not_found(*id);
    co_return res;
}

boost::asio::awaitable<http::response> post_dispatch_retry_api(http::request req, app::context& ctx) {
    return operate_api(std::move(req), ctx, action::retry);
}

boost::asio::awaitable<http::response> post_dispatch_requeue_api(http::request req, app::context& ctx) {
    return operate_api(std::move(req), ctx, action::requeue);
}

}  // namespace loa::handlers
