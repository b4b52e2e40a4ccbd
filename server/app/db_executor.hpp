// The one thread that owns the SQLite connection. Every database access in the server goes through
// run(): the work runs on the db thread and the calling coroutine resumes on its own executor
// (its connection's io context), so no io thread ever blocks on SQLite.
//
// It also keeps the change generation: a number that moves whenever the database may have changed
// (a job wrote through this connection, or another process wrote the file), so caches of what was
// read (the media feeds, the feed tokens) know when to read again without running SQL to ask.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/storage/database.hpp"
#include "server/app/pool_job.hpp"

namespace loa::app {

namespace asio = boost::asio;

class db_executor {
public:
    // Opens (creates, migrates) the database on the db thread and waits for it. Throws what
    // core::database throws (SQLite::Exception) when the file cannot be opened or migrated.
    db_executor(const std::filesystem::path& path, core::database_settings settings);
    // Runs what is queued, closes the connection on its thread, joins the thread.
    ~db_executor();
    db_executor(const db_executor&) = delete;
    db_executor& operator=(const db_executor&) = delete;

    // Runs job(db) on the db thread; the caller resumes on its own executor with job's result, or
    // with job's exception rethrown. Thread-safe. The job must not keep references to the database.
    //
    // The job is a NAMED object (or a function) that outlives the co_await, never a temporary:
    //   const load_one job{slug};
    //   result = co_await ctx.db.run(job);
    // GCC 12 bit-copies class-type temporaries of a co_await full-expression into the coroutine
    // frame, so a temporary job holding a std::string is freed through a dangling pointer. Passing
    // a temporary is therefore a compile error (the deleted overload below).
    template <class F>
    asio::awaitable<std::invoke_result_t<F&, core::database&>> run(F& job) {
        using result_t = std::invoke_result_t<F&, core::database&>;
        // The outcome stays in this frame, which waits until the job is done; only pointers
        // travel through Asio.
        outcome<result_t> out;
        co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
            initiate_run<F, result_t>{this, &job, &out}, asio::use_awaitable);
        if (out.error) std::rethrow_exception(out.error);
        if constexpr (!std::is_void_v<result_t>) co_return std::move(*out.value);
    }
    template <class F>
        requires(!std::is_lvalue_reference_v<F>)
    void run(F&& temporary_job) = delete;  // see above: name the job

    // The change generation: moves after a job that changed rows through this connection
    // (sqlite3_total_changes64 moved) and, within about a second, after another connection changed
    // the file (`loa import`, `loa plan`, `loa token` from a shell: PRAGMA data_version, polled on
    // the db thread). A job type that declares `static constexpr bool keeps_generation = true;`
    // writes nothing a cache depends on (e.g. when feed tokens were last used) and moves nothing.
    // Thread-safe; runs no SQL.
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

    // Jobs queued or running on the db thread right now (for /metrics). Thread-safe.
    [[nodiscard]] std::size_t queue_depth() const noexcept { return depth_.load(std::memory_order_relaxed); }

    // Waits for queued work, closes the database on its thread and joins it. Idempotent; called by
    // the destructor. Call it after the io_context has stopped.
    void shutdown();

private:
    template <class R>
    using outcome = detail::job_outcome<R>;

    template <class F, class R>
    struct initiate_run {
        db_executor* self;
        F* job;
        outcome<R>* out;

        template <class Handler>
        void operator()(Handler handler) const {
            self->depth_.fetch_add(1, std::memory_order_relaxed);
            detail::run_then_resume(self->pool_, std::move(handler), [s = self, job = job, out = out] {
                detail::capture(*out, [&] { return (*job)(*s->db_); });
                // Before the caller resumes, so that what it does next sees the new generation.
                s->after_job(keeps_generation_v<F>);
                s->depth_.fetch_sub(1, std::memory_order_relaxed);
            });
        }
    };

    template <class F>
    static constexpr bool keeps_generation_v = [] {
        if constexpr (requires { F::keeps_generation; }) return static_cast<bool>(F::keeps_generation);
        else return false;
    }();

    // On the db thread: moves the generation when the connection's total changes moved (unless the
    // job keeps it; the count is taken in either case).
    void after_job(bool keeps_generation) noexcept;
    // On the db thread, every second: PRAGMA data_version (changes by other connections).
    void poll_data_version();
    void schedule_poll();

    asio::thread_pool pool_{1};
    std::unique_ptr<core::database> db_;  // touched only on the db thread
    std::atomic<std::size_t> depth_{0};
    std::atomic<std::uint64_t> generation_{1};
    // Db thread only:
    std::int64_t total_changes_ = 0;
    std::int64_t data_version_ = 0;
    bool stopping_ = false;
    std::unique_ptr<asio::steady_timer> poll_timer_;
    bool shut_down_ = false;
};

}  // namespace loa::app
