// Opens the SQLite file with loa's connection settings and brings its schema up to date; keeps the
// prepared statements of the read paths per connection.
#include "core/storage/database.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <mutex>

#include "core/storage/migrations.hpp"

namespace loa::core {

namespace {

// Process-wide settings, before SQLite initializes (the first connection): no memory statistics
// (loa reads none, and keeping them takes a global mutex on every allocation SQLite makes). When
// something opened SQLite first, sqlite3_config refuses (SQLITE_MISUSE) and the defaults stay:
// slower, not wrong.
void configure_sqlite_once() {
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

std::unique_ptr<SQLite::Database> open_file(const std::filesystem::path& path, const database_settings& settings) {
    configure_sqlite_once();
    return std::make_unique<SQLite::Database>(
        path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | (settings.one_thread ? SQLite::OPEN_NOMUTEX : 0));
}

}  // namespace

std::optional<std::string> existing_database_problem(const std::filesystem::path& path) {
    const std::string name = "'" + path.string() + "'";
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return name + " is a directory, not a database file";
    if (!std::filesystem::is_regular_file(path, ec)) return "no database at " + name + " (run loa import first)";
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
        if (db.execAndGet("PRAGMA user_version").getInt() > 0) return std::nullopt;
        const bool has_tables = db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt() > 0;
        return has_tables ? name + " is a SQLite database that loa did not make (it has no loa schema version)"
                          : name + " is empty, not a loa database (run loa import first)";
    } catch (const SQLite::Exception& e) {
        return name + " is not a SQLite database loa can read (" + e.what() + ")";
    }
}

database::database(const std::filesystem::path& path, database_settings settings) : db_(open_file(path, settings)) {
    // The busy timeout first: the pragmas below may already have to wait for another writer.
    db_->setBusyTimeout(static_cast<int>(settings.busy_timeout.count()));
    // WAL lets the server's readers run while an import writes; NORMAL is durable enough in WAL
    // mode (a power cut may lose the last commits, never corrupt the file).
    db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = NORMAL");
    // Off by default in SQLite, per connection, and a no-op inside a transaction: set it here.
    db_->exec("PRAGMA foreign_keys = ON");
    migrate(*db_);
}

database::~database() = default;  // statements_ (declared after db_) are finalized first

int database::schema_version() const {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

statement_lease database::cached(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.try_emplace(std::string(sql)).first;
    std::vector<std::unique_ptr<SQLite::Statement>>& idle = it->second;
    if (!idle.empty()) {
        std::unique_ptr<SQLite::Statement> st = std::move(idle.back());
        idle.pop_back();
        return {*this, &it->first, std::move(st)};
    }
    // None idle (first use, or the only one is lent: nested use): prepare another.
    return {*this, &it->first, std::make_unique<SQLite::Statement>(*db_, it->first)};
}

std::size_t database::cached_statements() const noexcept {
    std::size_t n = 0;
    for (const auto& [sql, idle] : statements_) n += idle.size();
    return n;
}

void database::give_back(const std::string* sql, std::unique_ptr<SQLite::Statement> st) noexcept {
    // A failed last step leaves its error in sqlite3_reset's result: such a statement is dropped
    // (finalized) rather than kept.
    if (st->tryReset() != SQLITE_OK) return;
    try {
        st->clearBindings();  // sqlite3_clear_bindings cannot fail; SQLiteCpp's check throws
        auto it = statements_.find(std::string_view(*sql));
        if (it != statements_.end()) it->second.push_back(std::move(st));
    } catch (...) {
        // Out of memory while keeping it (or bindings not cleared): it is finalized instead.
    }
}

statement_lease::statement_lease(database& db, const std::string* sql,
                                 std::unique_ptr<SQLite::Statement> st) noexcept
    : db_(&db), sql_(sql), st_(std::move(st)) {}

statement_lease::statement_lease(statement_lease&& other) noexcept
    : db_(other.db_), sql_(other.sql_), st_(std::move(other.st_)) {}

statement_lease::~statement_lease() {
    if (st_) db_->give_back(sql_, std::move(st_));
}

read_statement::read_statement(statement_source from, std::string_view sql) {
    if (from.cache != nullptr) {
        lease_.emplace(from.cache->cached(sql));
    } else {
        own_ = std::make_unique<SQLite::Statement>(*from.sql, std::string(sql));
    }
}

read_statement::~read_statement() = default;

change_stamp take_change_stamp(database& db) {
    SQLite::Database& sql = db.sql();
    change_stamp s;
    s.own = sqlite3_total_changes64(sql.getHandle());
    // Taken at every feed miss and twice per dispatcher turn: prepared once, from the cache.
    const statement_lease version = db.cached("PRAGMA data_version");
    version->executeStep();
    s.others = version->getColumn(0).getInt64();
    return s;
}

}  // namespace loa::core
