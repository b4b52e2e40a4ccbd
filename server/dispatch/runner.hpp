// The dispatch runner: an Asio timer loop that takes due dispatches from the outbox
// (core/storage/dispatch_store.hpp) and delivers them as signed webhooks (webhook_client.hpp).
//   - On start, expired leases are taken back (a crash left them in flight).
//   - Each turn, one job on the db executor: the attempts that ended since the last turn are
//     recorded and the due rows claimed (mark_missed, per-target concurrency, a lease) in one
//     transaction (core::complete_and_claim), then the body of each claimed dispatch is built
//     (scheduler/dispatch/payload.hpp; cancelled when its message is no longer approved) and
//     signed for the current second (an attempt that starts in another second, or whose claim could
//     not be signed, signs again).
//   - Each target has a lane: at most its concurrency of attempts on the wire, each its own
//     coroutine (a slow receiver holds only its own target's slots), and claimed rows ready behind
//     them (up to claim_depth × concurrency claimed in all): an attempt that ends starts the next
//     ready one at once and wakes the loop to record it and claim more. Rows claimed but not sent
//     (the runner stops, the target answered 410) are put back as they were (core::release_claims).
//   - The loop sleeps until the next due time (or `poll`, or notify()), on the injected clock: tests
//     use manual_clock and run simulated days without sleeping.
// Namespace loa::delivery. Beast only through webhook_client.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/channels/message_renderer.hpp"
#include "core/storage/dispatch_store.hpp"
#include "scheduler/dispatch/retry_policy.hpp"
#include "server/app/db_executor.hpp"
#include "server/dispatch/webhook_client.hpp"

namespace loa::app {
class metrics_registry;
}

namespace loa::delivery {

// The runner's time. now() is the outbox clock (called from the db thread too: thread-safe);
// sleep_until() returns at `t` or earlier when wake() is called (or the runner stops).
class clock_source {
public:
    virtual ~clock_source() = default;
    [[nodiscard]] virtual core::ms_time now() const = 0;
    virtual boost::asio::awaitable<void> sleep_until(core::ms_time t) = 0;
    virtual void wake() = 0;
};

// The system clock with a steady_timer.
[[nodiscard]] std::unique_ptr<clock_source> make_system_clock(boost::asio::any_io_executor ex);

// Simulated time for tests: sleep_until(t) sets now to t (when later) and returns at once, after
// letting other ready work on the executor run; set(t) and advance(d) move it by hand.
class manual_clock final : public clock_source {
public:
    explicit manual_clock(core::ms_time start) : now_ms_(start.time_since_epoch().count()) {}
    [[nodiscard]] core::ms_time now() const override;
    boost::asio::awaitable<void> sleep_until(core::ms_time t) override;
    void wake() override {}
    void set(core::ms_time t);
    void advance(std::chrono::milliseconds d);

private:
    std::atomic<std::int64_t> now_ms_{0};
};

struct runner_settings {
    // Longer than a row may wait ready behind its target's attempts plus its own attempt, with one
    // attempt to spare: server.cpp makes it (claim_depth + 1) × (client connect + response
    // timeouts), 5 × 15 s = 75 s with the defaults, and at least this.
    std::chrono::milliseconds lease{120'000};
    std::chrono::milliseconds poll{1'000};     // longest sleep when nothing is due
    int batch = 256;                           // dispatches claimed per turn
    int max_in_flight = 512;                   // claimed rows, over all targets
    // Rows claimed per slot of a target (core::claim_due's depth): 4 = three times as many held
    // ready as are on the wire, so that an attempt that ends is followed at once by the next,
    // without waiting for a turn of the db thread, even when that thread waits for a CPU
    // (bench/dispatch, 7 alternating runs: depth 2 delivered 0.87 of the bare loop's rate, 4 1.03,
    // 6 1.01; medians). The attempts on the wire never exceed the target's concurrency.
    int claim_depth = 4;
    scheduler::dispatch::backoff_settings backoff;
    std::uint64_t seed = 0;  // jitter's generator; 0 = from std::random_device
};

struct runner_counts {  // since start, for metrics and tests
    std::int64_t delivered = 0, retried = 0, dead = 0, disabled = 0, missed = 0, cancelled = 0;
    std::int64_t attempts = 0, in_flight = 0;
    std::int64_t turns = 0;     // the loop's jobs on the db thread (recording and claiming)
    std::int64_t recorded = 0;  // attempts whose outcome is written to the database
    // Lateness of first attempts (start of the attempt − due time), in seconds: a histogram with
    // these upper bounds (+Inf implied), its count and sum.
    static constexpr double lateness_bounds[] = {0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0};
    std::vector<std::uint64_t> lateness_buckets = std::vector<std::uint64_t>(std::size(lateness_bounds), 0);
    std::uint64_t lateness_count = 0;
    double lateness_sum = 0;
};

class runner {
public:
    runner(boost::asio::any_io_executor ex, app::db_executor& db, webhook_client& client, clock_source& clock,
           const core::channel_templates& templates, runner_settings s, app::metrics_registry* metrics = nullptr);
    ~runner();
    runner(const runner&) = delete;
    runner& operator=(const runner&) = delete;

    // Spawns the loop on the executor. Call once.
    void start();
    // Stops claiming; attempts in flight finish (or their leases expire). Thread-safe.
    void stop();
    // Something may have become due (a plan stored, a requeue): look now. Thread-safe.
    void notify();
    // Resolves when the loop has ended after stop().
    boost::asio::awaitable<void> stopped();

    [[nodiscard]] runner_counts counts() const;

    struct impl;  // runner.cpp's coroutines share it

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace loa::delivery
