// The store's schema history: numbered migration steps applied in order through PRAGMA user_version.
#pragma once

#include <span>
#include <string_view>

namespace SQLite {
class Database;
}

namespace loa::core {

struct migration {
    int version;            // PRAGMA user_version once the step is applied
    std::string_view name;  // for error messages
    std::string_view sql;   // one or more statements, no values from outside
    // Run after `sql` in the same transaction, for what SQL cannot compute (e.g. Unicode keys).
    void (*after)(SQLite::Database&) = nullptr;
};

// Every step, oldest first; the last one's version is the schema this binary writes.
[[nodiscard]] std::span<const migration> migrations() noexcept;
[[nodiscard]] int latest_schema_version() noexcept;

// Applies the steps newer than the database's user_version, each in its own transaction (a failing
// step leaves the database at the previous version). Throws SQLite::Exception when a step fails or
// when the database was written by a newer loa (its version is unknown here). Not thread-safe.
void migrate(SQLite::Database& db);

}  // namespace loa::core
