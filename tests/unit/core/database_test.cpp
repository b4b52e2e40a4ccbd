// The SQLite connection: schema migration through user_version, pragmas, lock waits, version guard.
#include "core/storage/database.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/storage/migrations.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace database_test_cpp {

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

// Brings a bare connection to schema `version` as that loa wrote it (the steps up to it, in order).
void migrate_to(SQLite::Database& raw, int version) {
    for (const auto& m : loa::core::migrations()) {
        if (m.version > version) break;
        raw.exec(std::string(m.sql));
        if (m.after != nullptr) m.after(raw);
        raw.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
}

// Version 9 rewrites placements.state's CHECK from an IN list to an OR chain in the stored schema
// (the same rule, nothing on disk changes): rows stay, the file stays sound, the rule still holds.
TEST(Database, PlacementsStateCheckBecomesAnOrChainAndStillHolds) {
    temp_dir dir;
    const auto path = dir.file("v8.db");
    {
        // A database as loa wrote it at version 8, with one placement (foreign keys off: a bare row).
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate_to(raw, 8);
        raw.exec("INSERT INTO placements (id, campaign_id, message_id, outlet_id, start_utc, duration_s, daypart, "
                 "weight, value, state, created_at, updated_at) VALUES (7, 1, 1, 1, '2024-07-30T12:15:00Z', 30, "
                 "'prime', 10, 80, 'published', 'x', 'x')");
        EXPECT_NE(raw.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'placements'").getString().find(
                      "CHECK (state IN ('planned', 'published', 'aired', 'missed'))"),
                  std::string::npos);
    }
    {
        database db(path);
        EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
        const std::string sql = db.sql().execAndGet("SELECT sql FROM sqlite_master WHERE name = 'placements'").getString();
        EXPECT_EQ(sql.find("state IN ("), std::string::npos) << sql;
        EXPECT_NE(sql.find("CHECK (state = 'planned' OR state = 'published' OR state = 'aired' OR state = 'missed')"),
                  std::string::npos)
            << sql;
        EXPECT_NE(sql.find("sequence INTEGER NOT NULL DEFAULT 0"), std::string::npos);  // the rest as it was
        EXPECT_EQ(db.sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
        EXPECT_EQ(db.sql().execAndGet("SELECT state FROM placements WHERE id = 7").getString(), "published");
        EXPECT_THROW(db.sql().exec("UPDATE placements SET state = 'phát' WHERE id = 7"), SQLite::Exception);
        EXPECT_EQ(db.sql().exec("UPDATE placements SET state = 'aired' WHERE id = 7"), 1);
    }
    // Another connection reads the rewritten schema too.
    database again(path);
    EXPECT_THROW(again.sql().exec("UPDATE placements SET state = 'published ' WHERE id = 7"), SQLite::Exception);
    EXPECT_EQ(again.sql().execAndGet("SELECT state FROM placements WHERE id = 7").getString(), "aired");
}

// Version 10 copies as_run_lines without its unique key: the rows stay as they were, a line may now
// repeat an older one, and the file stays sound.
TEST(Database, AsRunLinesLoseTheirUniqueKeyAndKeepTheirRows) {
    temp_dir dir;
    const auto path = dir.file("v9.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate_to(raw, 9);
        // Bare rows (foreign keys are off on this connection): the placement the lines are about.
        raw.exec("INSERT INTO placements (id, campaign_id, message_id, outlet_id, start_utc, duration_s, daypart, "
                 "weight, value, state, created_at, updated_at) VALUES (7, 1, 1, 1, '2024-07-30T12:15:00Z', 30, "
                 "'prime', 10, 80, 'aired', 'x', 'x')");
        raw.exec("INSERT INTO as_run_lines (id, placement_id, outlet_slug, status, aired_at, note, received_at) "
                 "VALUES (3, 7, 'thp-tv', 'aired', '2024-07-30T12:15:08Z', 'Đã phát', '2024-07-30T12:20:00Z'), "
                 "(5, 7, 'thp-tv', 'missed', '', 'Nhầm', '2024-07-30T12:30:00Z')");
        EXPECT_THROW(raw.exec("INSERT INTO as_run_lines (placement_id, outlet_slug, status, aired_at, note, "
                              "received_at) VALUES (7, 'thp-tv', 'aired', '2024-07-30T12:15:08Z', 'Đã phát', 'x')"),
                     SQLite::Exception);
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
    EXPECT_EQ(db.sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(db.sql().execAndGet("SELECT group_concat(id || ':' || status || ':' || note, ',') FROM "
                                  "(SELECT * FROM as_run_lines ORDER BY id)").getString(),
              "3:aired:Đã phát,5:missed:Nhầm");
    EXPECT_EQ(db.sql().exec("INSERT INTO as_run_lines (placement_id, outlet_slug, status, aired_at, note, received_at) "
                            "VALUES (7, 'thp-tv', 'aired', '2024-07-30T12:15:08Z', 'Đã phát', 'x')"),
              1);
    EXPECT_THROW(db.sql().exec("INSERT INTO as_run_lines (placement_id, outlet_slug, status, received_at) "
                               "VALUES (7, 'thp-tv', 'phát', 'x')"),
                 SQLite::Exception);
    EXPECT_EQ(db.sql().execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'as_run_lines' AND type = 'index' "
                                  "AND name IN ('as_run_lines_outlet', 'as_run_lines_placement')").getInt(),
              2);
}

// Version 13 rewrites the reasons of targets disabled by a 410 to name the receiver's origin only;
// an operator's own reason, and a reason already so, stay as they were.
TEST(Database, GoneReasonsKeepOnlyTheReceiversOrigin) {
    temp_dir dir;
    const auto path = dir.file("v12.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate_to(raw, 12);
        raw.exec("INSERT INTO dispatch_targets (id, name, outlet_kind, url, secret, enabled, disabled_reason, "
                 "created_at, updated_at) VALUES "
                 "(1, 'a', 'tv', 'https://u:p@hooks.example:8443/t/BI-MAT?k=1', 'whsec_x', 0, "
                 "'410 Gone from https://u:p@hooks.example:8443/t/BI-MAT?k=1 at 2024-07-29T01:00:00Z', 'x', 'x'), "
                 "(2, 'b', 'radio', 'http://r.example/hook', 'whsec_x', 0, "
                 "'gone from http://r.example/hook?token=abc at 2024-07-29T02:00:00Z', 'x', 'x'), "
                 "(3, 'c', 'radio', 'http://r.example/hook', 'whsec_x', 0, "
                 "'bảo trì from the studio at night', 'x', 'x'), "
                 "(4, 'd', 'radio', 'http://r.example/hook', 'whsec_x', 0, "
                 "'410 Gone from http://r.example at 2024-07-29T03:00:00Z', 'x', 'x')");
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
    EXPECT_EQ(db.sql().execAndGet("SELECT group_concat(disabled_reason, '|') FROM "
                                  "(SELECT disabled_reason FROM dispatch_targets ORDER BY id)").getString(),
              "410 Gone from https://hooks.example:8443 at 2024-07-29T01:00:00Z|"
              "gone from http://r.example at 2024-07-29T02:00:00Z|"
              "bảo trì from the studio at night|"
              "410 Gone from http://r.example at 2024-07-29T03:00:00Z");
}

// Version 17 records when a placement was withdrawn. Before it every placement still to go out
// whose message was not approved showed cancelled: those keep that (from their last change), and
// nothing else is withdrawn.
TEST(Database, PlacementsOfMessagesNotApprovedStayWithdrawn) {
    temp_dir dir;
    const auto path = dir.file("v16.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate_to(raw, 16);
        // Bare rows (foreign keys are off on this connection): message 1 approved by its file, 2 a
        // draft again after an edit, 3 approved in a form at its current version.
        raw.exec("INSERT INTO messages (id, campaign_id, code, department_id, text_vi, flight_start, flight_end, "
                 "state, position, created_at, updated_at, version, approved_version, origin) VALUES "
                 "(1, 1, 'goi-111', 1, 'Gọi 111', '2024-07-01', '2024-07-31', 'approved', 0, 'x', 'x', 1, NULL, 'file'), "
                 "(2, 1, 'canh-giac', 1, 'Cảnh giác', '2024-07-01', '2024-07-31', 'draft', 1, 'x', 'x', 3, 2, 'web'), "
                 "(3, 1, 'truong-hoc', 1, 'Trường học', '2024-07-01', '2024-07-31', 'approved', 2, 'x', 'x', 2, 2, 'web')");
        raw.exec("INSERT INTO placements (id, campaign_id, message_id, outlet_id, start_utc, duration_s, daypart, "
                 "weight, value, state, created_at, updated_at) VALUES "
                 "(1, 1, 1, 1, '2024-07-30T12:15:00Z', 30, 'prime', 10, 80, 'planned', 'x', '2024-07-20T01:00:00Z'), "
                 "(2, 1, 2, 1, '2024-07-30T12:15:00Z', 30, 'prime', 10, 80, 'published', 'x', '2024-07-21T02:00:00Z'), "
                 "(3, 1, 2, 1, '2024-07-29T12:15:00Z', 30, 'prime', 10, 80, 'aired', 'x', '2024-07-29T13:00:00Z'), "
                 "(4, 1, 3, 1, '2024-07-30T13:15:00Z', 30, 'prime', 10, 80, 'planned', 'x', '2024-07-22T03:00:00Z')");
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
    EXPECT_EQ(db.sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(db.sql().execAndGet("SELECT group_concat(id || ':' || COALESCE(withdrawn_at, '-'), ',') FROM "
                                  "(SELECT * FROM placements ORDER BY id)").getString(),
              "1:-,2:2024-07-21T02:00:00Z,3:-,4:-");
}

// Version 15 rewrites recorded bad-URL errors so that they no longer repeat the URL (every viewer of
// the dispatch log sees them); other errors stay as they were.
TEST(Database, BadUrlErrorsNoLongerRepeatTheUrl) {
    temp_dir dir;
    const auto path = dir.file("v14.db");
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        migrate_to(raw, 14);
        raw.exec("INSERT INTO dispatches (id, webhook_id, placement_id, target_id, due_ms, state, next_attempt_ms, "
                 "last_error, created_at, updated_at) VALUES "
                 "(1, 'msg_1', 1, 1, 0, 'dead', 0, "
                 "'bad URL \"http://u:pw@h.example/BI-MAT?k=1\": user names and passwords do not belong in the URL', "
                 "'x', 'x'), "
                 "(2, 'msg_2', 2, 1, 0, 'retrying', 0, 'HTTP 500 from h.example:80', 'x', 'x'), "
                 "(3, 'msg_3', 3, 1, 0, 'cancelled', 0, "
                 "'target removed; last attempt: bad URL \"ftp://h.example/x\": the scheme must be http or https', "
                 "'x', 'x')");
        raw.exec("INSERT INTO dispatch_attempts (dispatch_id, attempt, started_ms, finished_ms, error, outcome) VALUES "
                 "(1, 1, 0, 0, 'bad URL \"http://u:pw@h.example/BI-MAT?k=1\": user names and passwords do not "
                 "belong in the URL', 'dead')");
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), loa::core::latest_schema_version());
    EXPECT_EQ(db.sql().execAndGet("SELECT group_concat(last_error, '|') FROM "
                                  "(SELECT last_error FROM dispatches ORDER BY id)").getString(),
              "bad URL: user names and passwords do not belong in the URL|"
              "HTTP 500 from h.example:80|"
              "target removed; last attempt: bad URL: the scheme must be http or https");
    EXPECT_EQ(db.sql().execAndGet("SELECT error FROM dispatch_attempts").getString(),
              "bad URL: user names and passwords do not belong in the URL");
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

// ---- The statement cache ---------------------------------------------------------------------

void fill_numbers(database& db) {
    db.sql().exec("CREATE TABLE numbers (x INTEGER PRIMARY KEY)");
    db.sql().exec("INSERT INTO numbers (x) VALUES (1), (2), (3)");
}

std::vector<long long> rows_of(SQLite::Statement& st) {
    std::vector<long long> out;
    while (st.executeStep()) out.push_back(st.getColumn(0).getInt64());
    return out;
}

constexpr const char* at_least = "SELECT x FROM numbers WHERE x >= ? ORDER BY x";

TEST(DatabaseStatementCache, AStatementIsPreparedOnceAndComesBackResetWithoutBindings) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    fill_numbers(db);
    const SQLite::Statement* first = nullptr;
    {
        const auto st = db.cached(at_least);
        first = &*st;
        st->bind(1, 2);
        ASSERT_TRUE(st->executeStep());  // stepped once, left mid-way
        EXPECT_EQ(st->getColumn(0).getInt64(), 2);
    }
    EXPECT_EQ(db.cached_statements(), 1u);
    {
        const auto st = db.cached(std::string(at_least));  // equal text, another string
        EXPECT_EQ(&*st, first);
        EXPECT_TRUE(rows_of(*st).empty());  // the binding was cleared: x >= NULL matches nothing
    }
    {
        const auto st = db.cached(at_least);
        EXPECT_EQ(&*st, first);
        st->bind(1, 1);
        EXPECT_EQ(rows_of(*st), (std::vector<long long>{1, 2, 3}));  // from the first row again
    }
}

TEST(DatabaseStatementCache, NestedUseOfTheSameSqlGetsASeparateStatement) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    fill_numbers(db);
    std::vector<std::pair<long long, long long>> pairs;
    {
        const auto outer = db.cached(at_least);
        outer->bind(1, 2);
        while (outer->executeStep()) {
            const auto inner = db.cached(at_least);
            EXPECT_NE(&*inner, &*outer);
            inner->bind(1, outer->getColumn(0).getInt64());
            while (inner->executeStep())
                pairs.emplace_back(outer->getColumn(0).getInt64(), inner->getColumn(0).getInt64());
        }
    }
    EXPECT_EQ(pairs, (std::vector<std::pair<long long, long long>>{{2, 2}, {2, 3}, {3, 3}}));
    EXPECT_EQ(db.cached_statements(), 2u);  // both kept, both idle
}

TEST(DatabaseStatementCache, ResultsEqualThoseOfAStatementPreparedForOneUse) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    fill_numbers(db);
    for (int from : {0, 1, 2, 3, 4, 2, 0}) {
        SQLite::Statement plain(db.sql(), at_least);
        plain.bind(1, from);
        const auto cached = db.cached(at_least);
        cached->bind(1, from);
        EXPECT_EQ(rows_of(*cached), rows_of(plain)) << from;
    }
    // A write between two uses is seen by the kept statement.
    db.sql().exec("INSERT INTO numbers (x) VALUES (10)");
    const auto cached = db.cached(at_least);
    cached->bind(1, 3);
    EXPECT_EQ(rows_of(*cached), (std::vector<long long>{3, 10}));
}

TEST(DatabaseStatementCache, KeptStatementsHoldNoLockAndFollowSchemaChanges) {
    temp_dir dir;
    const auto path = dir.file("loa.db");
    database db(path);
    fill_numbers(db);
    {
        const auto st = db.cached("SELECT x FROM numbers ORDER BY x");
        ASSERT_TRUE(st->executeStep());  // left mid-way; the lease resets it
    }
    // No statement of the connection is left running (none holds a read transaction open) ...
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.sql().getHandle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(db.sql().getHandle(), s)) {
        EXPECT_EQ(sqlite3_stmt_busy(s), 0) << sqlite3_sql(s);
    }
    EXPECT_EQ(db.cached_statements(), 1u);
    // ... and the schema can change under the kept statement: SQLite prepares it again by itself.
    db.sql().exec("ALTER TABLE numbers ADD COLUMN y INTEGER NOT NULL DEFAULT 7");
    db.sql().exec("CREATE INDEX numbers_y ON numbers (y)");
    db.sql().exec("INSERT INTO numbers (x, y) VALUES (0, 1)");
    const auto st = db.cached("SELECT x FROM numbers ORDER BY x");
    EXPECT_EQ(rows_of(*st), (std::vector<long long>{0, 1, 2, 3}));
    EXPECT_EQ(db.cached_statements(), 0u);  // the one kept is lent again, not prepared anew
}

TEST(DatabaseStatementCache, AStatementWhoseStepFailedIsNotKept) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    fill_numbers(db);
    {
        const auto ins = db.cached("INSERT INTO numbers (x) VALUES (?)");
        ins->bind(1, 2);  // taken
        EXPECT_THROW(ins->exec(), SQLite::Exception);
    }
    EXPECT_EQ(db.cached_statements(), 0u);
    const auto ins = db.cached("INSERT INTO numbers (x) VALUES (?)");
    ins->bind(1, 5);
    EXPECT_EQ(ins->exec(), 1);
}

}  // namespace database_test_cpp
}  // namespace
