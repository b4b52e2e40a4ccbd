// The db thread: the connection is opened, used and closed there and nowhere else.
#include "server/app/db_executor.hpp"

#include <chrono>
#include <future>

#include <sqlite3.h>
#include <SQLiteCpp/Database.h>

#include "server/app/log.hpp"

namespace loa::app {

namespace {

std::unique_ptr<core::database> open(std::filesystem::path path, core::database_settings settings) {
    // Only this thread uses the connection: no SQLite lock per call.
    settings.one_thread = true;
    return std::make_unique<core::database>(path, settings);
}

}  // namespace

db_executor::db_executor(const std::filesystem::path& path, core::database_settings settings) {
    // Open on the db thread (SQLite connections belong to the thread that uses them) and wait:
    // serving makes no sense without a database, and the caller wants the open error.
    std::packaged_task<std::unique_ptr<core::database>()> task(
        [path, settings] { return open(path, settings); });
    auto opened = task.get_future();
    asio::post(pool_, std::move(task));
    try {
        db_ = opened.get();
    } catch (...) {
        pool_.join();
        throw;
    }
    // The baselines of change detection, then the poll, all on the db thread.
    std::packaged_task<void()> start([this] {
        total_changes_ = sqlite3_total_changes64(db_->sql().getHandle());
        data_version_ = db_->sql().execAndGet("PRAGMA data_version").getInt64();
        poll_timer_ = std::make_unique<asio::steady_timer>(pool_.get_executor());
        schedule_poll();
    });
    auto started = start.get_future();
    asio::post(pool_, std::move(start));
    started.get();
}

void db_executor::after_job(bool keeps_generation) noexcept {
    if (!db_) return;
    const std::int64_t total = sqlite3_total_changes64(db_->sql().getHandle());
    if (total == total_changes_) return;
    total_changes_ = total;
    if (!keeps_generation) generation_.fetch_add(1, std::memory_order_acq_rel);
}

void db_executor::schedule_poll() {
    poll_timer_->expires_after(std::chrono::seconds(1));
    poll_timer_->async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping_) return;
        poll_data_version();
        schedule_poll();
    });
}

void db_executor::poll_data_version() {
    try {
        const std::int64_t v = db_->sql().execAndGet("PRAGMA data_version").getInt64();
        if (v != data_version_) {
            data_version_ = v;
            generation_.fetch_add(1, std::memory_order_acq_rel);
        }
    } catch (const std::exception& e) {
        // A busy or failing database: count it as a change (caches read again) and try next time.
        generation_.fetch_add(1, std::memory_order_acq_rel);
        log_line(std::string("db: data_version: ") + e.what());
    }
}

db_executor::~db_executor() { shutdown(); }

void db_executor::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    // Queued after every job already posted, so the connection closes last, on its own thread.
    asio::post(pool_, [this] {
        stopping_ = true;
        if (poll_timer_) poll_timer_->cancel();
        db_.reset();
    });
    pool_.join();
}

}  // namespace loa::app
