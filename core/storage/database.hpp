// The SQLite store: one connection, opened read-write (created when absent), WAL, foreign keys,
// busy timeout, schema migrated to the newest version on open. Not thread-safe: one database
// object per thread (the server keeps its one on a dedicated executor).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace loa::core {

struct database_settings {
    std::chrono::milliseconds busy_timeout{5000};  // how long a writer waits for a lock
    // The connection is used by one thread only, one call at a time (the server's db thread): SQLite
    // then takes no lock of its own at every call (SQLITE_OPEN_NOMUTEX). Using such a connection
    // from two threads at once is undefined.
    bool one_thread = false;
};

class database;

// A prepared statement lent by database::cached: reset and without bindings when lent, reset,
// its bindings cleared and given back to the database's cache when the lease ends. Must not
// outlive the database that lent it.
class statement_lease {
public:
    statement_lease(statement_lease&& other) noexcept;
    statement_lease& operator=(statement_lease&&) = delete;
    statement_lease(const statement_lease&) = delete;
    statement_lease& operator=(const statement_lease&) = delete;
    ~statement_lease();

    [[nodiscard]] SQLite::Statement& operator*() const noexcept { return *st_; }
    [[nodiscard]] SQLite::Statement* operator->() const noexcept { return st_.get(); }

private:
    friend class database;
    statement_lease(database& db, const std::string* sql, std::unique_ptr<SQLite::Statement> st) noexcept;

    database* db_;
    const std::string* sql_;  // the cache's key (stable: node-based map)
    std::unique_ptr<SQLite::Statement> st_;
};

// Why `path` is not an existing loa database that a command may open (opening migrates, so it
// would create a file, or write loa's tables into another program's): no file there ("no
// database at '…' (run loa import first)"), a file SQLite cannot read, or a SQLite database loa
// did not make (no schema version of loa's). nullopt when it is one, of any schema version. Reads
// the file only (opened read-only).
[[nodiscard]] std::optional<std::string> existing_database_problem(const std::filesystem::path& path);

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

    // The statement for `sql`, prepared once per connection and kept (SQLite re-prepares it by
    // itself after a schema change). The lease gives it back reset, bindings cleared. Asking for
    // the same SQL while a lease on it is still held (nested use) gets a second statement, so two
    // leases never share one. For read paths that step and drop their statement within one call;
    // a statement whose last step failed is not kept. Name the columns (no SELECT *): SQLiteCpp
    // keeps the column count it saw when the statement was first prepared. Throws
    // SQLite::Exception as preparing does.
    [[nodiscard]] statement_lease cached(std::string_view sql);
    // How many prepared statements the cache holds (not counting the lent ones); for tests.
    [[nodiscard]] std::size_t cached_statements() const noexcept;

private:
    friend class statement_lease;
    void give_back(const std::string* sql, std::unique_ptr<SQLite::Statement> st) noexcept;

    struct sql_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unique_ptr<SQLite::Database> db_;
    // Declared after db_: finalized before the connection closes.
    std::unordered_map<std::string, std::vector<std::unique_ptr<SQLite::Statement>>, sql_hash,
                       std::equal_to<>>
        statements_;
};

// Where a read shared by a write path and a read path prepares its statement: per use on a bare
// connection (e.g. a writer's reads inside its transaction), or from the database's cache.
struct statement_source {
    statement_source(SQLite::Database& d) : sql(&d) {}           // NOLINT(google-explicit-constructor)
    statement_source(database& d) : sql(&d.sql()), cache(&d) {}  // NOLINT(google-explicit-constructor)
    SQLite::Database* sql;
    database* cache = nullptr;
};

// A statement prepared from a statement_source: lent by the cache, or owned for this use.
class read_statement {
public:
    read_statement(statement_source from, std::string_view sql);
    read_statement(const read_statement&) = delete;
    read_statement& operator=(const read_statement&) = delete;
    ~read_statement();
    [[nodiscard]] SQLite::Statement& operator*() const noexcept { return lease_ ? **lease_ : *own_; }
    [[nodiscard]] SQLite::Statement* operator->() const noexcept { return &**this; }

private:
    std::optional<statement_lease> lease_;
    std::unique_ptr<SQLite::Statement> own_;
};

// A stamp that differs from an earlier one of the same connection whenever the database may have
// changed in between: rows written through this connection (sqlite3_total_changes64) or a commit
// by any other connection (PRAGMA data_version). Take it on the connection's thread, before the
// reads it labels: what was read after a stamp is current for as long as the stamp stays equal.
// (The dispatch runner and the feed source keep what they read by it.)
struct change_stamp {
    std::int64_t own = -1, others = -1;
    bool operator==(const change_stamp&) const = default;
};
[[nodiscard]] change_stamp take_change_stamp(database& db);

}  // namespace loa::core
