// The dispatch runner: one loop coroutine and one coroutine per attempt, all on one strand, with
// the database work on the db executor (one job per turn: the ended attempts' records, the claim
// and the bodies; after the loop has ended, completions in batches of their own).
#include "server/dispatch/runner.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scheduler/dispatch/payload.hpp"
#include "scheduler/dispatch/signature.hpp"
#include "server/app/log.hpp"

namespace loa::delivery {

namespace asio = boost::asio;
using core::ms_time;
using std::chrono::milliseconds;

namespace {

// A timer that a sleeper waits on and another thread may cancel: shared so that a cancel posted
// just as the wait ends never touches a destroyed timer.
class wakeable_sleep {
public:
    asio::awaitable<void> until(std::chrono::steady_clock::duration d) {
        auto ex = co_await asio::this_coro::executor;
        auto timer = std::make_shared<asio::steady_timer>(ex, d);
        {
            std::lock_guard lock(mutex_);
            if (woken_) {
                woken_ = false;
                co_return;
            }
            current_ = timer;
        }
        // Also when the frame is destroyed unresumed (the io_context stopped mid-sleep), so that a
        // later wake() never posts to a timer of an io_context that is gone.
        const clear_on_exit clear{this};
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    }

    void wake() {
        std::lock_guard lock(mutex_);
        woken_ = true;
        if (auto t = current_) asio::post(t->get_executor(), [t] { t->cancel(); });
    }

private:
    struct clear_on_exit {
        wakeable_sleep* self;
        ~clear_on_exit() {
            std::lock_guard lock(self->mutex_);
            self->current_.reset();
            self->woken_ = false;
        }
    };

    std::mutex mutex_;
    bool woken_ = false;
    std::shared_ptr<asio::steady_timer> current_;
};

class system_clock_source final : public clock_source {
public:
    [[nodiscard]] ms_time now() const override {
        return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
    }
    asio::awaitable<void> sleep_until(ms_time t) override {
        const auto left = t - now();
        if (left <= milliseconds::zero()) co_return;
        co_await sleep_.until(left);
    }
    void wake() override { sleep_.wake(); }

private:
    wakeable_sleep sleep_;
};

}  // namespace

std::unique_ptr<clock_source> make_system_clock(asio::any_io_executor) {
    return std::make_unique<system_clock_source>();
}

ms_time manual_clock::now() const {
    return ms_time{milliseconds{now_ms_.load()}};
}

asio::awaitable<void> manual_clock::sleep_until(ms_time t) {
    std::int64_t want = t.time_since_epoch().count();
    std::int64_t cur = now_ms_.load();
    while (want > cur && !now_ms_.compare_exchange_weak(cur, want)) {
    }
    // Let whatever else is ready on the executor run first (completions, other attempts).
    auto ex = co_await asio::this_coro::executor;
    co_await asio::post(ex, asio::use_awaitable);
}

void manual_clock::set(ms_time t) {
    now_ms_.store(t.time_since_epoch().count());
}

void manual_clock::advance(milliseconds d) {
    now_ms_.fetch_add(d.count());
}

struct outgoing {
    core::claimed_dispatch claim;
    std::string body;
    std::size_t shared_tail = 0;  // core::attempt_record::shared_tail
    // The webhook-signature for webhook-timestamp `signed_s`, made where the body is built (the db
    // thread) so that the network thread does not: an attempt that starts in that second sends it
    // as it is, one that starts in another second signs again. Empty when the secret could not
    // sign (the attempt tries again and records why).
    std::string signature;
    std::int64_t signed_s = -1;
};

namespace {

// The seconds of an instant, as webhook-timestamp counts them.
std::int64_t unix_seconds(ms_time t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

struct runner::impl : std::enable_shared_from_this<impl> {
    impl(asio::any_io_executor ex_, app::db_executor& db_, webhook_client& client_, clock_source& clock_,
         const core::channel_templates& templates, runner_settings s_, app::metrics_registry* metrics_)
        : strand(asio::make_strand(ex_)),
          db(db_),
          client(client_),
          clock(clock_),
          s(std::move(s_)),
          payloads(templates),
          rng(s.seed != 0 ? s.seed : std::random_device{}()),
          metrics(metrics_) {}

    asio::strand<asio::any_io_executor> strand;
    app::db_executor& db;
    webhook_client& client;
    clock_source& clock;
    runner_settings s;
    scheduler::dispatch::payload_source payloads;  // used only inside db jobs, one at a time
    std::chrono::steady_clock::time_point campaigns_read{};  // when payloads last loaded campaigns (db jobs only)
    core::change_stamp stamp;  // the database's at the end of the last claim job (db jobs only)
    std::mt19937_64 rng;                             // strand only
    app::metrics_registry* metrics;

    // Strand only.
    std::int64_t in_flight = 0;  // claimed rows: on the wire, ready in a lane, or ended and not yet recorded
    std::vector<core::attempt_record> completions;
    // Per target: its attempts on the wire (at most `limit`, its concurrency) and the claimed rows
    // ready to follow them.
    struct lane {
        int active = 0;
        int limit = 1;
        std::deque<outgoing> ready;
        // The target answered 410 (and is disabled from the next turn on): rows that reach the lane
        // are put back, not sent, until a turn that began after it finds the target usable again.
        bool gone = false;
        std::uint64_t gone_turn = 0;
    };
    std::uint64_t turns = 0;  // turns begun
    std::map<std::int64_t, lane> lanes;
    std::vector<core::claimed_dispatch> releases;  // claimed, not to be sent: put back by the next job
    bool flushing = false;
    bool loop_done = false;
    bool waiting_for_capacity = false;  // the loop waits on `capacity`: a completion wakes it
    wakeable_sleep capacity;  // woken when an attempt ends while the loop waits for room

    std::atomic<bool> stopping{false};
    std::atomic<bool> notified{false};

    mutable std::mutex counts_mutex;
    runner_counts totals;  // guarded by counts_mutex

    template <class F>
    void count(F&& f) {
        std::lock_guard lock(counts_mutex);
        f(totals);
    }
};

namespace {

struct claim_result {
    std::vector<outgoing> items;
    int missed = 0;
    int cancelled = 0;
    std::optional<ms_time> next;
    // Why the ended attempts' records failed, when they did (whether they were committed is the
    // job's `committed` flag, which survives the job throwing later).
    std::string record_error;
    // Others wrote to the database since the last turn: the targets and the ready rows, re-read.
    bool reread = false;
    std::vector<core::target_state> targets;
    std::vector<std::pair<std::int64_t, int>> in_flight;  // every row in flight (id, attempt), by id
    std::vector<core::claimed_dispatch> not_put_back;  // release_claims failed: try again
};

// Claimed rows not to be sent go back as they were (in the next job).
void release(const std::shared_ptr<runner::impl>& m, std::deque<outgoing>& ready) {
    for (auto& o : ready) m->releases.push_back(std::move(o.claim));
    ready.clear();
}

// core::release_claims inside a db job; a failure is logged (the rows stay in flight until their
// leases bring them back on the next start).
bool put_back(core::database& db, const std::vector<core::claimed_dispatch>& rows) {
    if (rows.empty()) return true;
    try {
        core::release_claims(db, rows);
        return true;
    } catch (const std::exception& e) {
        app::log_line("dispatch: putting back " + std::to_string(rows.size()) + " claimed row(s) failed: " + e.what());
        return false;
    }
}

asio::awaitable<void> flush_completions(std::shared_ptr<runner::impl> m) {
    m->flushing = true;
    while (!m->completions.empty() || !m->releases.empty()) {
        std::vector<core::attempt_record> batch;
        batch.swap(m->completions);
        std::vector<core::claimed_dispatch> back;
        back.swap(m->releases);
        // Rows not put back here stay in flight in the database until the next start takes their
        // leases back (the loop has ended: no later turn would try again).
        const auto job = [&batch, &back](core::database& db) {
            (void)put_back(db, back);
            return core::complete_attempts(db, batch);
        };
        bool recorded = false;
        try {
            co_await m->db.run(job);
            recorded = true;
        } catch (const std::exception& e) {
            // The rows stay in flight; their leases bring them back on the next start.
            app::log_line(std::string("dispatch: recording ") + std::to_string(batch.size()) +
                          " attempt(s) failed: " + e.what());
        }
        m->in_flight -= static_cast<std::int64_t>(batch.size() + back.size());
        if (recorded) {
            m->count([n = batch.size()](runner_counts& c) { c.recorded += static_cast<std::int64_t>(n); });
            // Once recorded: the targets have free slots again (next_due skipped a full target's
            // rows), and a retry may be due before the loop's current sleep ends.
            m->clock.wake();
        }
        m->capacity.wake();
    }
    m->flushing = false;
}

// A finished attempt: the loop records it in its next turn's job, together with that turn's claim
// (one hop to the db thread for both), and is woken for it when it waits for capacity; once the
// loop has ended, flush_completions records it on its own. Completions are not held back to record
// more of them per turn: that saved the db thread ~5 µs per delivery (18 against 23 µs at e5c29ad),
// but the lanes ran dry while a late turn claimed, and 11–17 % fewer were delivered per second
// (docs/benchmarks.md).
void record(const std::shared_ptr<runner::impl>& m, core::attempt_record r) {
    m->completions.push_back(std::move(r));
    if (m->loop_done) {
        if (!m->flushing) asio::co_spawn(m->strand, flush_completions(m), asio::detached);
    } else if (m->waiting_for_capacity) {
        m->capacity.wake();
    }
    // Otherwise the loop is in a turn: it takes the completions before it waits again.
}

// The loop waits on `capacity` (an attempt's completion, notify() or stop() wakes it).
asio::awaitable<void> wait_for_capacity(std::shared_ptr<runner::impl> m, std::chrono::steady_clock::duration d) {
    m->waiting_for_capacity = true;
    struct clear_flag {
        runner::impl* self;
        ~clear_flag() { self->waiting_for_capacity = false; }
    } const clear{m.get()};
    co_await m->capacity.until(d);
}

asio::awaitable<void> run_attempt(std::shared_ptr<runner::impl> m, outgoing o);

// Starts the target's ready rows while it has free slots (none once the runner stops: they are
// put back when the loop ends).
void start_ready(const std::shared_ptr<runner::impl>& m, runner::impl::lane& l) {
    while (l.active < l.limit && !l.ready.empty() && !l.gone && !m->stopping.load()) {
        outgoing o = std::move(l.ready.front());
        l.ready.pop_front();
        ++l.active;
        m->count([](runner_counts& c) { ++c.in_flight; });
        asio::co_spawn(m->strand, run_attempt(m, std::move(o)), asio::detached);
    }
}

asio::awaitable<void> run_attempt(std::shared_ptr<runner::impl> m, outgoing o) {
    const ms_time started = m->clock.now();
    const std::int64_t target = o.claim.target_id;
    if (o.claim.attempt == 1) {
        const double late = std::max(0.0, std::chrono::duration<double>(started - o.claim.due).count());
        m->count([late](runner_counts& c) {
            for (std::size_t i = 0; i < std::size(runner_counts::lateness_bounds); ++i)
                if (late <= runner_counts::lateness_bounds[i]) ++c.lateness_buckets[i];
            ++c.lateness_count;
            c.lateness_sum += late;
        });
    }
    webhook_request req;
    req.url = std::move(o.claim.url);
    req.webhook_id = std::move(o.claim.webhook_id);
    req.timestamp_s = unix_seconds(started);
    req.body = std::move(o.body);
    scheduler::dispatch::attempt_result result;
    try {
        // Signed on the db thread for this second, or now for it.
        req.signature = o.signed_s == req.timestamp_s && !o.signature.empty()
                            ? std::move(o.signature)
                            : scheduler::dispatch::sign(o.claim.secret, req.webhook_id, req.timestamp_s, req.body);
        result = co_await m->client.post(req);
    } catch (const std::exception& e) {
        result.status.reset();
        result.error = std::string("not sent: ") + e.what();
        result.permanent_error = true;  // a malformed secret or URL does not heal by waiting
    }
    const ms_time finished = m->clock.now();
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto d = scheduler::dispatch::decide(result, o.claim.attempt, finished, o.claim.due, o.claim.retry_window,
                                               m->s.backoff, unit(m->rng));
    core::attempt_record r;
    r.dispatch_id = o.claim.id;
    r.attempt = o.claim.attempt;
    r.started = started;
    r.finished = finished;
    r.status = result.status;
    r.error = result.error.empty() ? (d.result == core::attempt_record::outcome::delivered ? "" : d.why) : result.error;
    r.body = std::move(req.body);
    r.shared_tail = o.shared_tail;
    r.result = d.result;
    r.next_attempt = d.next_attempt;
    m->count([&](runner_counts& c) {
        ++c.attempts;
        switch (d.result) {
            case core::attempt_record::outcome::delivered: ++c.delivered; break;
            case core::attempt_record::outcome::retry: ++c.retried; break;
            case core::attempt_record::outcome::dead: ++c.dead; break;
            case core::attempt_record::outcome::disabled: ++c.disabled; break;
        }
        --c.in_flight;
    });
    if (d.result == core::attempt_record::outcome::disabled)
        app::log_line("dispatch: target " + o.claim.target_name + " disabled: " + d.why);
    // Still counted in flight until the completion is recorded: until then the database holds the
    // row in flight, and the loop must neither claim past the target's concurrency nor believe
    // nothing is under way (simulated time would run ahead).
    const bool disabled = d.result == core::attempt_record::outcome::disabled;
    record(m, std::move(r));
    // The slot goes to the target's next ready row; a disabled target's ready rows go back.
    runner::impl::lane& l = m->lanes[target];
    --l.active;
    if (disabled) {
        l.gone = true;
        l.gone_turn = m->turns;
        release(m, l.ready);  // recorded with the completion above (the next turn, or the flush record() started)
    } else {
        start_ready(m, l);
    }
}

asio::awaitable<void> run_loop(std::shared_ptr<runner::impl> m) {
    {
        // A fresh runner holds no attempt: every row still in flight belonged to a process that is
        // gone (one runner per database), so its lease is over now.
        const auto job = [](core::database& db) {
            return core::take_back_expired_leases(db, ms_time{milliseconds{std::numeric_limits<std::int64_t>::max() / 2}});
        };
        try {
            const int taken = co_await m->db.run(job);
            if (taken > 0) app::log_line("dispatch: took back " + std::to_string(taken) + " attempt(s) left in flight");
        } catch (const std::exception& e) {
            app::log_line(std::string("dispatch: taking back leases failed: ") + e.what());
        }
    }
    while (!m->stopping.load()) {
        m->notified.store(false);
        const ms_time now = m->clock.now();
        // The attempts that ended since the last turn: recorded by this turn's job, before its claim,
        // so their slots count as free for it.
        std::vector<core::attempt_record> done;
        done.swap(m->completions);
        std::vector<core::claimed_dispatch> back;
        back.swap(m->releases);
        const auto recording = static_cast<std::int64_t>(done.size() + back.size());
        const std::uint64_t turn = ++m->turns;
        const int room = static_cast<int>(
            std::min<std::int64_t>(m->s.batch, m->s.max_in_flight - (m->in_flight - recording)));
        claim_result got;
        if (room > 0 || recording > 0) {
            const milliseconds lease = m->s.lease;
            const int depth = m->s.claim_depth;
            auto* payloads = &m->payloads;
            auto* campaigns_read = &m->campaigns_read;
            const auto* finished = &done;
            const auto* given_back = &back;
            auto* stamp = &m->stamp;
            const clock_source* clock = &m->clock;
            // Set by the job once the ended attempts' records are committed (read after it returns,
            // also when it throws later, in the claim).
            bool records_committed = done.empty();
            auto* committed = &records_committed;
            const auto job = [now, lease, depth, room, payloads, campaigns_read, stamp, clock, finished,
                              given_back, committed](core::database& db) {
                claim_result out;
                // Whether anything was written since the end of the last turn (by anyone).
                const core::change_stamp at_start = core::take_change_stamp(db);
                const bool unchanged = at_start == *stamp;
                if (!put_back(db, *given_back)) out.not_put_back = *given_back;
                std::vector<core::claimed_dispatch> claimed;
                try {
                    // One transaction: the finished attempts, then the claim.
                    // The next due time comes with the claim (what next_due would answer after it).
                    claimed = core::complete_and_claim(db, *finished, now, lease, std::max(room, 0), &out.missed,
                                                       &out.next, depth);
                    *committed = true;
                } catch (const std::exception&) {
                    if (finished->empty()) throw;
                    // Rolled back: the two on their own, so that a failing claim does not lose the
                    // attempts' records, nor a failing record the claim. Unrecorded rows stay in
                    // flight (their leases bring them back on the next start).
                    try {
                        core::complete_attempts(db, *finished);
                        *committed = true;
                    } catch (const std::exception& e) {
                        out.record_error = e.what();
                    }
                    if (room > 0) claimed = core::claim_due(db, now, lease, room, &out.missed, &out.next, depth);
                }
                // The approved contents (and the bodies' parts built from them) are kept while
                // nothing at all is written to the database but the runner's own turns; the
                // campaigns (outlets, hotlines: what an import changes) at most a second, since
                // loading one is the dearest part of a small batch.
                const auto real_now = std::chrono::steady_clock::now();
                if (real_now - *campaigns_read >= std::chrono::seconds(1)) {
                    payloads->clear();
                    *campaigns_read = real_now;
                } else if (!unchanged) {
                    payloads->forget_messages();
                }
                for (auto& c : claimed) {
                    std::optional<std::string> body;
                    std::size_t shared_tail = 0;
                    std::string why = "message no longer approved, or its outlet is gone";
                    try {
                        body = payloads->body_for(db, c, now, &shared_tail);
                    } catch (const std::exception& e) {
                        why = std::string("body not built: ") + e.what();
                    }
                    if (!body) {
                        core::cancel_dispatch(db, c.id, why);
                        ++out.cancelled;
                        continue;
                    }
                    outgoing o;
                    o.claim = std::move(c);
                    o.body = std::move(*body);
                    o.shared_tail = shared_tail;
                    o.signed_s = unix_seconds(clock->now());
                    try {
                        o.signature = scheduler::dispatch::sign(o.claim.secret, o.claim.webhook_id, o.signed_s, o.body);
                    } catch (const std::exception&) {
                        // Left unsigned: the attempt signs again and records why it could not.
                    }
                    out.items.push_back(std::move(o));
                }
                // A cancelled claim freed its target's slot after the claim counted them: ask again.
                if (room > 0 && out.cancelled > 0) out.next = core::next_due(db, depth);
                // Others wrote: the rows held ready are checked against the targets (disabled,
                // removed, concurrency changed) and the rows in flight (a re-plan deletes some).
                if (!unchanged) {
                    out.reread = true;
                    out.targets = core::target_states(db);
                    out.in_flight = core::in_flight_rows(db);
                }
                // What this turn wrote is the runner's own: the next turn keeps what was read. Other
                // connections' commits are counted from the turn's start, not its end: one that
                // lands while this turn reads (an import in another process, say) must still make
                // the next turn read again.
                *stamp = core::change_stamp{core::take_change_stamp(db).own, at_start.others};
                return out;
            };
            m->count([](runner_counts& c) { ++c.turns; });
            try {
                got = co_await m->db.run(job);
            } catch (const std::exception& e) {
                app::log_line(std::string("dispatch: claiming failed: ") + e.what());
                got = {};
                got.next = now + m->s.poll;
            }
            if (!records_committed)
                app::log_line("dispatch: recording " + std::to_string(done.size()) + " attempt(s) failed" +
                              (got.record_error.empty() ? std::string() : ": " + got.record_error));
            else if (!done.empty())
                m->count([n = done.size()](runner_counts& c) { c.recorded += static_cast<std::int64_t>(n); });
            m->in_flight -= recording;
            if (!got.not_put_back.empty()) {
                m->in_flight += static_cast<std::int64_t>(got.not_put_back.size());
                for (auto& c : got.not_put_back) m->releases.push_back(std::move(c));
            }
            if (got.reread) {
                for (const core::target_state& t : got.targets) {
                    const auto it = m->lanes.find(t.id);
                    if (it == m->lanes.end()) continue;
                    runner::impl::lane& l = it->second;
                    l.limit = std::max(t.concurrency, 1);
                    if (!t.usable) {
                        release(m, l.ready);
                    } else if (l.gone && turn > l.gone_turn) {
                        l.gone = false;  // enabled again since its 410
                    }
                }
                // A ready row the database no longer holds in flight with its attempt is not sent.
                for (auto& [target, l] : m->lanes) {
                    const auto gone_from_db = [&](const outgoing& o) {
                        return !std::binary_search(got.in_flight.begin(), got.in_flight.end(),
                                                   std::pair<std::int64_t, int>{o.claim.id, o.claim.attempt});
                    };
                    const auto before = l.ready.size();
                    l.ready.erase(std::remove_if(l.ready.begin(), l.ready.end(), gone_from_db), l.ready.end());
                    m->in_flight -= static_cast<std::int64_t>(before - l.ready.size());
                }
            }
        }
        if (got.missed > 0 || got.cancelled > 0)
            m->count([&](runner_counts& c) {
                c.missed += got.missed;
                c.cancelled += got.cancelled;
            });
        const bool full_batch = room > 0 && static_cast<int>(got.items.size()) + got.cancelled >= room;
        for (auto& o : got.items) {
            ++m->in_flight;
            runner::impl::lane& l = m->lanes[o.claim.target_id];
            l.limit = std::max(o.claim.concurrency, 1);
            if (l.gone) {
                m->releases.push_back(std::move(o.claim));  // claimed before its 410 was recorded
                continue;
            }
            l.ready.push_back(std::move(o));
        }
        // Each lane (one per target) starts what its free slots allow: the rows just claimed, and
        // more where a re-read raised the limit.
        for (auto& [target, l] : m->lanes) start_ready(m, l);
        if (m->stopping.load()) break;
        if (!m->completions.empty() || !m->releases.empty()) {
            // Attempts ended during this turn, or rows to put back: record them (and claim the
            // slots they free) now.
            co_await asio::post(m->strand, asio::use_awaitable);
            continue;
        }
        if (m->in_flight >= m->s.max_in_flight) {
            // Saturated: wait for an attempt to end, not for the clock (simulated time must not run
            // ahead of attempts still on the wire).
            co_await wait_for_capacity(m, m->s.poll);
            continue;
        }
        if (full_batch || m->notified.load()) {
            // More may be due right now; let the attempts start first.
            co_await asio::post(m->strand, asio::use_awaitable);
            continue;
        }
        if (m->in_flight > 0 && got.next && *got.next <= now) {
            // Due rows are left only because their targets are at their concurrency: wait for an
            // attempt to end (at most `poll`) instead of claiming again at once, which spun the
            // db thread on empty claims and claimed one row (one campaign load) per turn.
            co_await wait_for_capacity(m, m->s.poll);
            continue;
        }
        ms_time wake = m->clock.now() + m->s.poll;
        if (got.next && *got.next < wake) wake = *got.next;
        if (m->in_flight > 0) {
            // Attempts on the wire: look again when one ends (a full target's next row may then be
            // claimed) or at the next due time, whichever comes first. This waits on the real
            // clock, so simulated time never runs ahead of attempts still under way.
            const auto left = wake - m->clock.now();
            if (left > milliseconds::zero()) co_await wait_for_capacity(m, left);
        } else {
            co_await m->clock.sleep_until(wake);
        }
    }
    m->loop_done = true;
    // Rows claimed but not started go back as they were.
    for (auto& [target, l] : m->lanes) release(m, l.ready);
    // What ended during the last turn, and what ends from now on, is recorded on its own.
    if ((!m->completions.empty() || !m->releases.empty()) && !m->flushing)
        asio::co_spawn(m->strand, flush_completions(m), asio::detached);
}

}  // namespace

runner::runner(asio::any_io_executor ex, app::db_executor& db, webhook_client& client, clock_source& clock,
               const core::channel_templates& templates, runner_settings s, app::metrics_registry* metrics)
    : impl_(std::make_shared<impl>(std::move(ex), db, client, clock, templates, std::move(s), metrics)) {}

runner::~runner() {
    stop();
}

void runner::start() {
    asio::co_spawn(impl_->strand, run_loop(impl_), asio::detached);
}

void runner::stop() {
    impl_->stopping.store(true);
    impl_->clock.wake();
    impl_->capacity.wake();
}

void runner::notify() {
    impl_->notified.store(true);
    impl_->clock.wake();
    impl_->capacity.wake();
}

namespace {

asio::awaitable<void> wait_idle(std::shared_ptr<runner::impl> m) {
    asio::steady_timer t(m->strand);
    while (!(m->loop_done && m->in_flight == 0 && !m->flushing && m->completions.empty() && m->releases.empty())) {
        t.expires_after(milliseconds(5));
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

}  // namespace

asio::awaitable<void> runner::stopped() {
    // The state is the strand's: look at it from there.
    co_await asio::co_spawn(impl_->strand, wait_idle(impl_), asio::use_awaitable);
}

runner_counts runner::counts() const {
    std::lock_guard lock(impl_->counts_mutex);
    return impl_->totals;
}

}  // namespace loa::delivery
