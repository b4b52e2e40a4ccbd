// What db_executor::run and work_pool::run share: the hop of a job to a pool's thread and back to
// the awaiting coroutine's own executor, and the job's result or exception carried between them.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

namespace loa::app::detail {

// A job's result (optional: R may have no default constructor) or its exception.
template <class R>
struct job_outcome {
    std::optional<R> value;
    std::exception_ptr error;
};
template <class R>
    requires std::is_void_v<R>
struct job_outcome<R> {
    std::exception_ptr error;
};

// Calls call() and keeps what it returns, or what it throws, in `out`.
template <class R, class Call>
void capture(job_outcome<R>& out, Call&& call) noexcept {
    try {
        if constexpr (std::is_void_v<R>) {
            call();
        } else {
            out.value.emplace(call());
        }
    } catch (...) {
        out.error = std::current_exception();
    }
}

// Runs work() on `pool`, then resumes `handler` on its own executor (its connection's io context),
// which is kept alive while the work is away.
template <class Pool, class Handler, class Work>
void run_then_resume(Pool& pool, Handler handler, Work work) {
    auto home = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                    boost::asio::execution::outstanding_work.tracked);
    boost::asio::post(pool, [h = std::move(handler), home, work = std::move(work)]() mutable {
        work();
        boost::asio::dispatch(home, std::move(h));
    });
}

}  // namespace loa::app::detail
