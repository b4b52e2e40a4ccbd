// Opens the SQLite file with loa's connection settings and brings its schema up to date.
#include "core/storage/database.hpp"

#include <SQLiteCpp/Database.h>

#include "core/storage/migrations.hpp"

namespace loa::core {

database::database(const std::filesystem::path& path, database_settings settings)
    : db_(std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)) {
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

database::~database() = default;

int database::schema_version() const {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

}  // namespace loa::core
