// The SQLite store: one connection, opened read-write (created when absent), WAL, foreign keys,
// busy timeout, schema migrated to the newest version on open. Not thread-safe: one database
// object per thread (the server keeps its one on a dedicated executor).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

namespace SQLite {
class Database;
}

namespace loa::core {

struct database_settings {
    std::chrono::milliseconds busy_timeout{5000};  // how long a writer waits for a lock
};

class database {
public:
    // Throws SQLite::Exception (infrastructure failure) when the file cannot be opened or migrated.
    explicit database(const std::filesystem::path& path, database_settings settings = {});
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    [[nodiscard]] SQLite::Database& sql() noexcept { return *db_; }
    // PRAGMA user_version after migration.
    [[nodiscard]] int schema_version() const;

private:
    std::unique_ptr<SQLite::Database> db_;
};

}  // namespace loa::core
