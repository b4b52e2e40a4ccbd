// What every handler gets besides its request: the db executor, the metrics, the settings and the
// dispatcher.
// Namespace loa::app. Handlers take it by reference; it outlives every request. Beast-free.
#pragma once

#include "server/app/db_executor.hpp"
#include "server/app/metrics.hpp"
#include "server/app/settings.hpp"

namespace loa::delivery {
class runner;  // server/dispatch/runner.hpp
}

namespace loa::app {

class password_hasher;  // server/app/passwords.hpp

struct context {
    db_executor& db;             // all SQLite access: co_await ctx.db.run(...)
    metrics_registry& metrics;  // thread-safe
    const settings& config;     // immutable while serving
    password_hasher* passwords = nullptr;  // argon2id off the io threads; set by app::server (login needs it)
    // The dispatch runner; set by app::server unless `dispatch: off`. A handler that made dispatches
    // due (a plan stored, a requeue) calls notify_dispatch() after its transaction committed.
    delivery::runner* dispatcher = nullptr;
};

// dispatcher->notify() when there is a dispatcher. Thread-safe.
void notify_dispatch(const context& ctx) noexcept;

}  // namespace loa::app
