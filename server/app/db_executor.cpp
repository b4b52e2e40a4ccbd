// The db thread: the connection is opened, used and closed there and nowhere else.
#include "server/app/db_executor.hpp"

#include <future>

namespace loa::app {

namespace {

std::unique_ptr<core::database> open(std::filesystem::path path, core::database_settings settings) {
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
}

db_executor::~db_executor() { shutdown(); }

void db_executor::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    // Queued after every job already posted, so the connection closes last, on its own thread.
    asio::post(pool_, [this] { db_.reset(); });
    pool_.join();
}

}  // namespace loa::app
