// GET /metrics: the registry's exposition plus the db queue depth sampled now, and the dispatcher's:
// the outbox by state (one grouped count on the db thread) and the runner's counts since start.
#include "server/handlers/metrics.hpp"

#include <chrono>
#include <iterator>
#include <string>

#include "core/storage/dispatch_store.hpp"
#include "server/dispatch/runner.hpp"
#include "server/app/work_pool.hpp"
#include "server/feeds/feed_cache.hpp"

namespace loa::handlers {

namespace {

struct outbox_job {
    core::ms_time now;
    core::outbox_status operator()(core::database& db) const { return core::dispatch_status(db, now); }
};

app::dispatch_metrics dispatch_figures(const core::outbox_status& st, core::ms_time now,
                                       const delivery::runner* runner) {
    app::dispatch_metrics d;
    d.by_state = st.by_state;
    d.due_now = st.due_now;
    if (st.oldest_due) d.oldest_due_age_s = std::chrono::duration<double>(now - *st.oldest_due).count();
    if (runner == nullptr) return d;
    const delivery::runner_counts c = runner->counts();
    d.running = true;
    d.delivered = c.delivered;
    d.retried = c.retried;
    d.dead = c.dead;
    d.disabled = c.disabled;
    d.missed = c.missed;
    d.cancelled = c.cancelled;
    d.attempts = c.attempts;
    d.in_flight = c.in_flight;
    d.lateness_bounds = std::span<const double>(std::begin(delivery::runner_counts::lateness_bounds),
                                                std::end(delivery::runner_counts::lateness_bounds));
    d.lateness_buckets = c.lateness_buckets;
    d.lateness_count = c.lateness_count;
    d.lateness_sum = c.lateness_sum;
    return d;
}

}  // namespace

boost::asio::awaitable<http::response> get_metrics(http::request, app::context& ctx) {
    // What is due and how late the oldest is are on the server's clock (the runner's; settings::as_of).
    const outbox_job job{std::chrono::floor<std::chrono::milliseconds>(ctx.clock.now())};
    core::outbox_status st;
    st = co_await ctx.db.run(job);
    http::response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = ctx.metrics.render(ctx.db.queue_depth()) + app::render_dispatch_metrics(dispatch_figures(st, job.now, ctx.dispatcher));
    if (ctx.feeds != nullptr) res.body += ctx.feeds->render_metrics();  // the media feeds' outcomes
    if (ctx.planner != nullptr) {
        res.body += "# HELP loa_planner_queue_depth Plans (and their reports) queued or being made, off the db thread.\n"
                    "# TYPE loa_planner_queue_depth gauge\n"
                    "loa_planner_queue_depth " + std::to_string(ctx.planner->queue_depth()) + "\n";
    }
    res.headers.emplace_back("Cache-Control", "no-store");
    co_return res;
}

}  // namespace loa::handlers
