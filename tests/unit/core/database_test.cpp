// The SQLite connection: schema migration through user_version, pragmas, lock waits, version guard.
#include "core/storage/database.hpp"

#include <chrono>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "core/storage/migrations.hpp"

#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using loa::core::database;

// A fresh directory per test, removed afterwards.
using loa::testing::temp_dir;

const char* const v1_tables[] = {
    "campaigns",         "key_dates",   "audiences",           "hotlines", "departments",
    "department_duties", "activities",  "activity_audiences",  "outlets",  "outlet_languages",
    "dayparts",          "break_rules", "break_rule_dayparts", "messages", "message_channels",
    "message_audiences"};

std::string schema_text(SQLite::Database& db) {
    SQLite::Statement st(
        db, "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name");
    std::string out;
    while (st.executeStep()) out += st.getColumn(0).getString() + "\n";
    return out;
}

TEST(Database, MigrationCreatesTheSchemaAndSetsUserVersion) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    ASSERT_FALSE(fs::exists(path));
    database db(path);
    EXPECT_TRUE(fs::exists(path));
    EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
    EXPECT_GE(db.schema_version(), 1);
    for (const char* table : v1_tables) EXPECT_TRUE(db.sql().tableExists(table)) << table;
    EXPECT_EQ(db.sql().execAndGet("PRAGMA user_version").getInt(), loa::core::latest_schema_version());
}

TEST(Database, ReopeningIsANoOp) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    std::string before;
    {
        database db(path);
        db.sql().exec(
            "INSERT INTO campaigns (slug, title_vi, theme_vi, period_start, period_end, time_zone, "
            "created_at, "
            "updated_at) VALUES ('hp-2024', 'Tháng hành động phòng, chống mua bán người', 'Không để trẻ em "
            "nào "
            "bị bỏ lại phía sau', '2024-07-01', '2024-07-31', 'Asia/Ho_Chi_Minh', "
            "'2024-07-01T00:00:00.000Z', "
            "'2024-07-01T00:00:00.000Z')");
        before = schema_text(db.sql());
    }
    database again(path);
    EXPECT_EQ(again.schema_version(), loa::core::latest_schema_version());
    EXPECT_EQ(schema_text(again.sql()), before);
    EXPECT_EQ(again.sql().execAndGet("SELECT title_vi FROM campaigns WHERE slug = 'hp-2024'").getString(),
              "Tháng hành động phòng, chống mua bán người");
}

TEST(Database, WalForeignKeysAndSynchronousAreReallyOn) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    EXPECT_EQ(db.sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(db.sql().execAndGet("PRAGMA foreign_keys").getInt(), 1);
    EXPECT_EQ(db.sql().execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
    // Not only the pragma: a row pointing at no campaign is refused.
    EXPECT_THROW(
        db.sql().exec("INSERT INTO audiences (campaign_id, code, name_vi, position, created_at, updated_at) "
                      "VALUES (4242, 'tre-em', 'Trẻ em', 0, 'x', 'x')"),
        SQLite::Exception);
    EXPECT_TRUE(fs::exists(dir.file("loa.db-wal")));
}

TEST(Database, CheckConstraintsGuardTheData) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    // End before start.
    EXPECT_THROW(
        db.sql().exec("INSERT INTO campaigns (slug, title_vi, theme_vi, period_start, period_end, "
                      "time_zone, created_at, updated_at) VALUES ('x', 'Tiêu đề', 'Chủ đề', '2024-07-31', "
                      "'2024-07-01', 'Asia/Ho_Chi_Minh', 'x', 'x')"),
        SQLite::Exception);
    // STRICT: text in an integer column.
    EXPECT_THROW(
        db.sql().exec("INSERT INTO campaigns (slug, title_vi, theme_vi, period_start, period_end, "
                      "time_zone, archived, created_at, updated_at) VALUES ('x', 'Tiêu đề', 'Chủ đề', "
                      "'2024-07-01', '2024-07-31', 'Asia/Ho_Chi_Minh', 'không', 'x', 'x')"),
        SQLite::Exception);
}

TEST(Database, BusyTimeoutMakesAWriterWaitThenFail) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    database holder(path);
    database waiter(path, loa::core::database_settings{std::chrono::milliseconds{300}});
    SQLite::Transaction lock(holder.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(SQLite::Transaction(waiter.sql(), SQLite::TransactionBehavior::IMMEDIATE),
                 SQLite::Exception);
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(waited, std::chrono::milliseconds{250});
    EXPECT_LT(waited, std::chrono::seconds{5});
}

TEST(Database, ADatabaseFromANewerLoaIsRefused) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 99");
    }
    try {
        database db(path);
        FAIL() << "opened a database of schema version 99";
    } catch (const SQLite::Exception& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
    }
}

TEST(Database, AFailingMigrationStepLeavesTheOldVersion) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    {
        // A stray table where step 1 creates one: the step fails half-way.
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE outlets (x INTEGER)");
    }
    EXPECT_THROW(database db(path), SQLite::Exception);
    SQLite::Database raw(path.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), 0);
    // The tables the step created before it failed were rolled back with it.
    EXPECT_FALSE(raw.tableExists("campaigns"));
    EXPECT_FALSE(raw.tableExists("departments"));
}

TEST(Database, AMissingDirectoryIsAnError) {
    temp_dir dir;
    EXPECT_THROW(database db(dir.file("no-such-dir") / "loa.db"), SQLite::Exception);
    EXPECT_FALSE(fs::exists(dir.file("no-such-dir")));
}

TEST(Database, MigrationsAreNumberedInOrder) {
    int expected = 1;
    for (const auto& m : loa::core::migrations()) {
        EXPECT_EQ(m.version, expected) << m.name;
        ++expected;
    }
}

}  // namespace
