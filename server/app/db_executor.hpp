// The one thread that owns the SQLite connection. Every database access in the server goes through
// run(): the work runs on the db thread and the calling coroutine resumes on its own executor
// (its connection's strand), so no io thread ever blocks on SQLite.
#pragma once

#include <atomic>
#include <cstddef>
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
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/storage/database.hpp"

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

    // Runs f(db) on the db thread; the caller resumes on its own executor with f's result, or with
    // f's exception rethrown. Thread-safe. f must not keep references to the database.
    //   auto rows = co_await ctx.db.run([slug](core::database& db) { return load(db, slug); });
    template <class F>
    asio::awaitable<std::invoke_result_t<F, core::database&>> run(F f) {
        using result_t = std::invoke_result_t<F, core::database&>;
        if constexpr (std::is_void_v<result_t>) {
            co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
                initiate_run{this}, asio::use_awaitable, std::move(f));
        } else {
            // optional: the completion needs a value even when f throws, and result_t may have no
            // default constructor.
            std::optional<result_t> r =
                co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                              void(std::exception_ptr, std::optional<result_t>)>(
                    initiate_run{this}, asio::use_awaitable, std::move(f));
            co_return std::move(*r);
        }
    }

    // Jobs queued or running on the db thread right now (for /metrics). Thread-safe.
    [[nodiscard]] std::size_t queue_depth() const noexcept { return depth_.load(std::memory_order_relaxed); }

    // Waits for queued work, closes the database on its thread and joins it. Idempotent; called by
    // the destructor. Call it after the io_context has stopped.
    void shutdown();

private:
    struct initiate_run {
        db_executor* self;

        template <class Handler, class F>
        void operator()(Handler handler, F f) const {
            using result_t = std::invoke_result_t<F, core::database&>;
            // Keep the caller's executor (its io_context) alive while the job is away.
            auto home = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
            self->depth_.fetch_add(1, std::memory_order_relaxed);
            asio::post(self->pool_, [s = self, h = std::move(handler), f = std::move(f), home]() mutable {
                std::exception_ptr error;
                if constexpr (std::is_void_v<result_t>) {
                    try {
                        f(*s->db_);
                    } catch (...) {
                        error = std::current_exception();
                    }
                    s->depth_.fetch_sub(1, std::memory_order_relaxed);
                    asio::dispatch(home, [h = std::move(h), error]() mutable { std::move(h)(error); });
                } else {
                    std::optional<result_t> value;
                    try {
                        value.emplace(f(*s->db_));
                    } catch (...) {
                        error = std::current_exception();
                    }
                    s->depth_.fetch_sub(1, std::memory_order_relaxed);
                    asio::dispatch(home, [h = std::move(h), error, v = std::move(value)]() mutable {
                        std::move(h)(error, std::move(v));
                    });
                }
            });
        }
    };

    asio::thread_pool pool_{1};
    std::unique_ptr<core::database> db_;  // touched only on the db thread
    std::atomic<std::size_t> depth_{0};
    bool shut_down_ = false;
};

}  // namespace loa::app
