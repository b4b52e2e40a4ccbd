// What every handler gets besides its request: the db executor, the metrics, the settings, the
// dispatcher, the server's clock and the feeds' cache.
// Namespace loa::app. Handlers take it by reference; it outlives every request. Beast-free.
#pragma once

#include <chrono>
#include <optional>

#include "server/app/db_executor.hpp"
#include "server/app/metrics.hpp"
#include "server/app/settings.hpp"

namespace loa::delivery {
class runner;  // server/dispatch/runner.hpp
}
namespace loa::feeds {
class feed_service;  // server/feeds/feed_cache.hpp
}

namespace loa::app {

class password_hasher;  // server/app/passwords.hpp
class work_pool;        // server/app/work_pool.hpp

// The server's clock (settings::as_of): the system clock, or one that started at `as_of` when the
// server started and runs on in real time (a rehearsal). It is the schedule's "now" for every
// handler and the dispatcher: what is today, due or past, what a plan starts from, what an approval
// queues, a requeue's next attempt. Security time (sessions, throttling, CSRF, token use) and the
// times written when someone acted (audit rows) stay on the system clock. A plain value; thread-safe
// to read.
class server_clock {
public:
    server_clock() = default;
    explicit server_clock(std::optional<std::chrono::sys_seconds> as_of)
        : offset_(as_of ? *as_of - std::chrono::system_clock::now() : std::chrono::system_clock::duration{}) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const noexcept {
        return at(std::chrono::system_clock::now());
    }
    // This clock's time when the system clock reads `real` (a reading already taken).
    [[nodiscard]] std::chrono::system_clock::time_point at(std::chrono::system_clock::time_point real) const noexcept {
        return real + offset_;
    }
    // How far this clock is ahead of the system clock (negative: behind).
    [[nodiscard]] std::chrono::system_clock::duration offset() const noexcept { return offset_; }

private:
    std::chrono::system_clock::duration offset_{};
};

struct context {
    db_executor& db;             // all SQLite access: co_await ctx.db.run(...)
    metrics_registry& metrics;  // thread-safe
    const settings& config;     // immutable while serving
    password_hasher* passwords = nullptr;  // argon2id off the io threads; set by app::server (login needs it)
    // The dispatch runner; set by app::server unless `dispatch: off`. A handler that made dispatches
    // due (a plan stored, a requeue) calls notify_dispatch() after its transaction committed.
    delivery::runner* dispatcher = nullptr;
    server_clock clock{};  // the server's time (as_of): the schedule's "now" (see server_clock)
    // The media feeds' cache and token check (server/feeds/feed_cache.hpp); set by app::server.
    feeds::feed_service* feeds = nullptr;
    // Where plans are made (make_plan and the validator), so that the db thread serves everyone else
    // meanwhile; set by app::server. The plan routes need it (server/handlers/plans.cpp).
    work_pool* planner = nullptr;
};

// dispatcher->notify() when there is a dispatcher. Thread-safe.
void notify_dispatch(const context& ctx) noexcept;

}  // namespace loa::app
