// A small pool of threads for long pure work (a plan of a province's year takes seconds), so that
// neither an io thread nor the db thread waits for it; awaited like db_executor::run.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <type_traits>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include "server/app/pool_job.hpp"

namespace loa::app {

class work_pool {
public:
    explicit work_pool(std::size_t threads = 1) : pool_(threads) {}
    ~work_pool() { shutdown(); }
    work_pool(const work_pool&) = delete;
    work_pool& operator=(const work_pool&) = delete;

    // Runs job() on the pool; the caller resumes on its own executor with job's result, or with
    // job's exception rethrown. Thread-safe. The job is a NAMED object that outlives the co_await,
    // never a temporary (GCC 12: see db_executor::run); it must touch nothing another thread uses.
    template <class F>
    boost::asio::awaitable<std::invoke_result_t<F&>> run(F& job) {
        using result_t = std::invoke_result_t<F&>;
        outcome<result_t> out;
        co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void()>(
            initiate_run<F, result_t>{this, &job, &out}, boost::asio::use_awaitable);
        if (out.error) std::rethrow_exception(out.error);
        if constexpr (!std::is_void_v<result_t>) co_return std::move(*out.value);
    }
    template <class F>
        requires(!std::is_lvalue_reference_v<F>)
    void run(F&& temporary_job) = delete;  // name the job

    // One caller at a time through a section that spans several awaits (a plan: prepared on the db
    // thread, made here, stored on the db thread), in the order they came: co_await enter(), and
    // leave() on every way out (a turn object does). Later callers wait without holding anything, so
    // a queue of plans holds one instance in memory, and two plans never invalidate each other.
    boost::asio::awaitable<void> enter() {
        co_await gate_.async_send(boost::system::error_code{}, boost::asio::use_awaitable);
    }
    void leave() {
        (void)gate_.try_receive([](boost::system::error_code) {});
    }
    struct turn {
        explicit turn(work_pool* p) : pool(p) {}
        work_pool* pool;
        turn(const turn&) = delete;
        turn& operator=(const turn&) = delete;
        ~turn() { pool->leave(); }
    };

    // Jobs queued or running (for /metrics and tests). Thread-safe.
    [[nodiscard]] std::size_t queue_depth() const noexcept { return depth_.load(std::memory_order_relaxed); }

    // Waits for queued work and joins the threads. Idempotent. Call it after the io_context has stopped.
    void shutdown() {
        if (!shut_down_.exchange(true)) pool_.join();
    }

private:
    template <class R>
    using outcome = detail::job_outcome<R>;

    template <class F, class R>
    struct initiate_run {
        work_pool* self;
        F* job;
        outcome<R>* out;

        template <class Handler>
        void operator()(Handler handler) const {
            self->depth_.fetch_add(1, std::memory_order_relaxed);
            detail::run_then_resume(self->pool_, std::move(handler), [s = self, job = job, out = out] {
                detail::capture(*out, [&] { return (*job)(); });
                s->depth_.fetch_sub(1, std::memory_order_relaxed);
            });
        }
    };

    boost::asio::thread_pool pool_;
    // Capacity 1: a send completes at once when empty (the turn is taken) and waits while full.
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> gate_{pool_.get_executor(), 1};
    std::atomic<std::size_t> depth_{0};
    std::atomic<bool> shut_down_{false};
};

}  // namespace loa::app
