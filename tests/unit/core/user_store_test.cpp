// Users, sessions and login failures on real SQLite files, with the clock passed in (no sleeps).
#include "core/storage/user_store.hpp"

#include <filesystem>
#include <set>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/migrations.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace user_store_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;

using loa::testing::temp_dir;

// A fixed instant: 2024-07-30 08:00:00 UTC.
const sys_time t0 = sys_time(date::sys_days(2024_y / date::July / 30)) + 8h;

// A stand-in hash: the store keeps whatever string it is given (hashing is app::passwords' job).
const std::string some_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";

class user_store_test : public ::testing::Test {
protected:
    user_store_test() : db_(dir_.file("loa.db")) {}

    std::int64_t add(const std::string& name, const std::string& role, const std::string& department = "") {
        std::int64_t id = 0;
        EXPECT_EQ(create_user(db_, {name, some_hash, role, department, ""}, "(command line)", &id),
                  user_write::ok);
        return id;
    }
    int count(const std::string& sql) { return db_.sql().execAndGet(sql).getInt(); }

    temp_dir dir_;
    database db_;
    session_limits limits_;
};

TEST_F(user_store_test, creates_finds_and_lists_users) {
    const auto id = add("Nguyễn Thị Hương", "editor", "giao-duc");
    add("admin", "admin");
    ASSERT_GT(id, 0);
    const auto u = find_user(db_, "Nguyễn Thị Hương");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->id, id);
    EXPECT_EQ(u->role, "editor");
    EXPECT_EQ(u->department, "giao-duc");
    EXPECT_FALSE(u->disabled);
    EXPECT_EQ(u->created_at.size(), 24u);  // 2024-07-30T01:02:03.456Z
    const auto all = list_users(db_);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "admin");  // ordered by name, ASCII case folded: 'a' < 'N'
    EXPECT_EQ(all[1].name, "Nguyễn Thị Hương");
    EXPECT_TRUE(has_admin(db_));
}

TEST_F(user_store_test, names_compare_case_insensitively_for_ascii) {
    add("Admin", "admin");
    EXPECT_TRUE(find_user(db_, "admin"));
    EXPECT_EQ(create_user(db_, {"ADMIN", some_hash, "viewer", "", ""}, "x"), user_write::name_taken);
}

// Vietnamese names as keyboards type them: precomposed (NFC: Windows, most keyboards) or decomposed
// (NFD: macOS, some Vietnamese input methods), in capitals or not.
const std::string giao_nfc = "L\xC3\xAA Th\xE1\xBB\x8B Gi\xC3\xA1o";        // Lê Thị Giáo
const std::string giao_nfd = "Le\xCC\x82 Thi\xCC\xA3 Gia\xCC\x81o";
const std::string giao_caps = "L\xC3\x8A TH\xE1\xBB\x8A GI\xC3\x81O";       // LÊ THỊ GIÁO
const std::string duyet_nfc = "Ph\xE1\xBA\xA1m V\xC4\x83n Duy\xE1\xBB\x87t";  // Phạm Văn Duyệt
const std::string duyet_nfd = "Pha\xCC\xA3m Va\xCC\x86n Duye\xCC\xA3\xCC\x82t";

TEST_F(user_store_test, names_compare_in_nfc_and_unicode_case_folding) {
    ASSERT_NE(giao_nfc, giao_nfd);
    const auto id = add(giao_nfc, "editor", "giao-duc");
    for (const auto& typed : {giao_nfc, giao_nfd, giao_caps, std::string("LE\xCC\x82 THI\xCC\xA3 GIA\xCC\x81O")}) {
        SCOPED_TRACE(typed);
        const auto u = find_user(db_, typed);
        ASSERT_TRUE(u);
        EXPECT_EQ(u->id, id);
        EXPECT_EQ(u->name, giao_nfc);  // as stored, not as typed
        const auto login = find_login(db_, typed);
        ASSERT_TRUE(login);
        EXPECT_EQ(login->first.id, id);
        EXPECT_EQ(account_key(typed), account_key(giao_nfc));
    }
    EXPECT_FALSE(find_user(db_, "Le Thi Giao"));  // diacritics are letters, not decoration
    // A decomposed or capitalised copy of an existing name is that name: taken.
    EXPECT_EQ(create_user(db_, {giao_nfd, some_hash, "viewer", "", ""}, "x"), user_write::name_taken);
    EXPECT_EQ(create_user(db_, {giao_caps, some_hash, "viewer", "", ""}, "x"), user_write::name_taken);
    // A name typed decomposed is stored composed.
    const auto duyet = add(duyet_nfd, "viewer");
    EXPECT_EQ(find_user(db_, duyet_nfc)->id, duyet);
    EXPECT_EQ(find_user(db_, duyet_nfc)->name, duyet_nfc);
    EXPECT_EQ(create_user(db_, {duyet_nfc, some_hash, "viewer", "", ""}, "x"), user_write::name_taken);
    EXPECT_EQ(count("SELECT count(*) FROM users"), 2);
    // Changes by name reach the account whichever form names it.
    EXPECT_EQ(set_password_hash(db_, giao_caps, some_hash + "x", "(command line)"), user_write::ok);
    EXPECT_EQ(find_login(db_, giao_nfc)->second, some_hash + "x");
    EXPECT_EQ(disable_user(db_, duyet_nfd, "(command line)"), user_write::ok);
    EXPECT_TRUE(find_user(db_, duyet_nfc)->disabled);
    // Failed logins count against the account however its name was typed.
    record_login_failure(db_, giao_nfd, "192.0.2.7", t0);
    record_login_failure(db_, giao_caps, "192.0.2.7", t0);
    EXPECT_EQ(count_login_failures(db_, giao_nfc, "192.0.2.7", t0 - 1min).account, 2);
}

TEST_F(user_store_test, rejects_names_that_are_not_utf8) {
    EXPECT_EQ(create_user(db_, {"L\xEA", some_hash, "viewer", "", ""}, "x"), user_write::invalid);  // Latin-1 ê
    EXPECT_EQ(create_user(db_, {"a\xCC", some_hash, "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(count("SELECT count(*) FROM users"), 0);
}

TEST_F(user_store_test, a_password_hash_is_replaced_only_over_the_one_checked) {
    const auto id = add("lan", "viewer");
    const auto s = create_session(db_, id, t0, limits_);
    EXPECT_FALSE(replace_password_hash(db_, id, "another", "new"));  // changed meanwhile: kept
    EXPECT_EQ(find_login(db_, "lan")->second, some_hash);
    EXPECT_TRUE(replace_password_hash(db_, id, some_hash, some_hash + "2"));
    EXPECT_EQ(find_login(db_, "lan")->second, some_hash + "2");
    EXPECT_TRUE(find_session(db_, s.id, t0 + 1min, limits_));  // the same password: sessions stay
}

// A database written before names were keyed (schema 7): existing users still sign in by any form of
// their name; names that become one name keep one account (the enabled one created first) and the
// others are disabled, their sessions ended, with an audit row.
TEST(user_store_upgrade, schema_7_users_get_caseless_keys_and_look_alike_accounts_are_disabled) {
    temp_dir dir;
    const auto path = dir.file("old.db");
    const std::string tran_lower = "tr\xE1\xBA\xA7n b\xC3\xACnh";  // trần bình
    const std::string tran_upper = "TR\xE1\xBA\xA6N B\xC3\x8CNH";  // TRẦN BÌNH (NOCASE saw two names)
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const auto& m : migrations()) {
            if (m.version > 7) break;
            raw.exec(std::string(m.sql));
            raw.exec("PRAGMA user_version = " + std::to_string(m.version));
        }
        SQLite::Statement ins(raw,
                              "INSERT INTO users (id, name, password_hash, role, disabled, created_at, updated_at) "
                              "VALUES (?, ?, 'h', 'viewer', ?, 'x', 'x')");
        const auto user = [&](int id, const std::string& name, int disabled) {
            ins.bind(1, id);
            ins.bind(2, name);
            ins.bind(3, disabled);
            ins.exec();
            ins.reset();
        };
        user(1, giao_nfd, 0);    // created from a Mac: stored decomposed
        user(2, duyet_nfc, 0);   // the real account
        user(3, duyet_nfd, 0);   // its look-alike, made by `loa user add` with a decomposed name
        user(4, tran_lower, 1);  // disabled long ago
        user(5, tran_upper, 0);  // the one in use
        user(6, "admin", 0);
        raw.exec(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES "
            "('s2', 2, 't', 'x', 'x', 'x'), ('s3', 3, 't', 'x', 'x', 'x')");
    }
    database db(path);
    EXPECT_EQ(db.schema_version(), latest_schema_version());
    const auto id_of = [&](const std::string& name) { return find_user(db, name) ? find_user(db, name)->id : -1; };
    // Lê Thị Giáo signs in with either form of her name; her name is now stored composed.
    EXPECT_EQ(id_of(giao_nfc), 1);
    EXPECT_EQ(id_of(giao_caps), 1);
    ASSERT_TRUE(find_login(db, giao_nfc));
    EXPECT_EQ(find_user(db, giao_nfd)->name, giao_nfc);
    // The first Phạm Văn Duyệt keeps the name; the look-alike is disabled and signed out.
    EXPECT_EQ(id_of(duyet_nfd), 2);
    EXPECT_EQ(find_login(db, duyet_nfd)->first.id, 2);
    EXPECT_EQ(db.sql().execAndGet("SELECT disabled FROM users WHERE id = 3").getInt(), 1);
    EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM sessions WHERE user_id = 3").getInt(), 0);
    EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM sessions WHERE user_id = 2").getInt(), 1);
    // The enabled TRẦN BÌNH keeps the name over the disabled older one.
    EXPECT_EQ(id_of(tran_lower), 5);
    EXPECT_EQ(db.sql().execAndGet("SELECT disabled FROM users WHERE id = 4").getInt(), 1);
    EXPECT_EQ(id_of("ADMIN"), 6);
    // One audit row: the account the upgrade disabled.
    audit_query q;
    q.entity = "user";
    const auto page = query_audit(db.sql(), q);
    ASSERT_EQ(page.total, 1);
    EXPECT_EQ(page.records[0].actor, "(upgrade)");
    EXPECT_EQ(page.records[0].action, "disable");
    EXPECT_EQ(page.records[0].entity_key, duyet_nfd);
    EXPECT_NE(page.records[0].after_json.value_or("").find("\"disabled\":true"), std::string::npos);
    // The name stays taken in every form.
    EXPECT_EQ(create_user(db, {duyet_nfd, some_hash, "viewer", "", ""}, "x"), user_write::name_taken);
    EXPECT_EQ(create_user(db, {"Tr\xE1\xBA\xA7n B\xC3\xACnh", some_hash, "viewer", "", ""}, "x"),
              user_write::name_taken);
    EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM users WHERE name_key IS NULL").getInt(), 2);
}

TEST_F(user_store_test, rejects_invalid_users) {
    EXPECT_EQ(create_user(db_, {"", some_hash, "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {"a\nb", some_hash, "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {" lan", some_hash, "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {"(command line)", some_hash, "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {std::string(65, 'a'), some_hash, "viewer", "", ""}, "x"),
              user_write::invalid);
    EXPECT_EQ(create_user(db_, {"lan", some_hash, "root", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {"lan", some_hash, "editor", "", ""}, "x"),
              user_write::invalid);  // no department
    EXPECT_EQ(create_user(db_, {"lan", some_hash, "viewer", "", "fr"}, "x"), user_write::invalid);
    EXPECT_EQ(create_user(db_, {"lan", "", "viewer", "", ""}, "x"), user_write::invalid);
    EXPECT_EQ(count("SELECT count(*) FROM users"), 0);
    EXPECT_FALSE(has_admin(db_));
}

TEST_F(user_store_test, changes_are_audited_without_the_hash) {
    add("Trần Văn Nam", "viewer");
    const auto id = find_user(db_, "Trần Văn Nam")->id;
    EXPECT_EQ(set_language(db_, id, "en", "Trần Văn Nam"), user_write::ok);
    EXPECT_EQ(set_language(db_, id, "en", "Trần Văn Nam"), user_write::ok);  // unchanged: no row
    EXPECT_EQ(set_password_hash(db_, "Trần Văn Nam", some_hash + "x", "(command line)"), user_write::ok);
    EXPECT_EQ(disable_user(db_, "Trần Văn Nam", "(command line)"), user_write::ok);
    audit_query q;
    q.entity = "user";
    const auto page = query_audit(db_.sql(), q);
    ASSERT_EQ(page.total, 4);
    std::set<std::string> actions;
    for (const auto& r : page.records) {
        actions.insert(r.action);
        EXPECT_EQ(r.entity_key, "Trần Văn Nam");
        EXPECT_EQ(r.before_json.value_or("").find("argon2"), std::string::npos);
        EXPECT_EQ(r.after_json.value_or("").find("argon2"), std::string::npos);
        if (r.action == "language") {
            EXPECT_EQ(r.user_id, id);  // a web change: the actor is a user
            EXPECT_NE(r.after_json->find("\"language\":\"en\""), std::string::npos);
        } else {
            EXPECT_FALSE(r.user_id);  // the command line
        }
    }
    EXPECT_EQ(actions, (std::set<std::string>{"create", "language", "password", "disable"}));
}

TEST_F(user_store_test, find_login_skips_disabled_users) {
    add("lan", "viewer");
    ASSERT_TRUE(find_login(db_, "lan"));
    EXPECT_EQ(find_login(db_, "lan")->second, some_hash);
    EXPECT_EQ(disable_user(db_, "lan", "x"), user_write::ok);
    EXPECT_FALSE(find_login(db_, "lan"));
    EXPECT_TRUE(find_user(db_, "lan")->disabled);
    EXPECT_EQ(disable_user(db_, "nobody", "x"), user_write::not_found);
}

TEST_F(user_store_test, session_ids_are_random_and_only_their_hash_is_stored) {
    const auto id = add("lan", "viewer");
    const auto a = create_session(db_, id, t0, limits_);
    const auto b = create_session(db_, id, t0, limits_);
    EXPECT_EQ(a.id.size(), 43u);  // 32 bytes, base64url: 256 bits
    EXPECT_NE(a.id, b.id);
    EXPECT_NE(a.csrf_token, b.csrf_token);
    EXPECT_NE(a.id, a.csrf_token);
    SQLite::Statement st(db_.sql(), "SELECT id_hash FROM sessions");
    std::set<std::string> stored;
    while (st.executeStep()) stored.insert(st.getColumn(0).getString());
    EXPECT_EQ(stored, (std::set<std::string>{session_id_hash(a.id), session_id_hash(b.id)}));
    EXPECT_FALSE(stored.contains(a.id));
    EXPECT_EQ(session_id_hash(a.id).size(), 64u);
    // SHA-256 of "abc"
    EXPECT_EQ(session_id_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(user_store_test, a_session_finds_its_user_and_csrf_token) {
    const auto id = add("Hương", "editor", "giao-duc");
    const auto s = create_session(db_, id, t0, limits_);
    const auto found = find_session(db_, s.id, t0 + 1min, limits_);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user.name, "Hương");
    EXPECT_EQ(found->user.department, "giao-duc");
    EXPECT_EQ(found->csrf_token, s.csrf_token);
    EXPECT_FALSE(find_session(db_, s.id + "x", t0, limits_));
    EXPECT_FALSE(find_session(db_, "", t0, limits_));
}

TEST_F(user_store_test, idle_timeout_ends_a_session_and_use_keeps_it_alive) {
    const auto id = add("lan", "viewer");
    const auto s = create_session(db_, id, t0, limits_);
    // Used every 20 minutes: alive after an hour (each use moves last_seen_at).
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(find_session(db_, s.id, t0 + i * 20min, limits_)) << i;
    // Then 30 minutes of silence: gone, and deleted.
    EXPECT_FALSE(find_session(db_, s.id, t0 + 60min + 30min, limits_));
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(user_store_test, idle_just_under_the_limit_is_still_alive) {
    const auto id = add("lan", "viewer");
    const auto s = create_session(db_, id, t0, limits_);
    EXPECT_TRUE(find_session(db_, s.id, t0 + 29min + 59s, limits_));
}

TEST_F(user_store_test, absolute_timeout_ends_a_session_in_use) {
    const auto id = add("lan", "viewer");
    const auto s = create_session(db_, id, t0, limits_);
    for (auto t = t0 + 10min; t < t0 + 8h; t += 10min) ASSERT_TRUE(find_session(db_, s.id, t, limits_));
    EXPECT_FALSE(find_session(db_, s.id, t0 + 8h, limits_));
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(user_store_test, last_seen_is_written_at_most_once_a_minute) {
    const auto id = add("lan", "viewer");
    const auto s = create_session(db_, id, t0, limits_);
    const auto last_seen = [&] {
        return db_.sql().execAndGet("SELECT last_seen_at FROM sessions").getString();
    };
    ASSERT_TRUE(find_session(db_, s.id, t0 + 30s, limits_));
    EXPECT_EQ(last_seen(), utc_text(t0));
    ASSERT_TRUE(find_session(db_, s.id, t0 + 61s, limits_));
    EXPECT_EQ(last_seen(), utc_text(t0 + 61s));
    ASSERT_TRUE(find_session(db_, s.id, t0 + 90s, limits_));
    EXPECT_EQ(last_seen(), utc_text(t0 + 61s));
}

TEST_F(user_store_test, login_rotates_the_session_the_browser_had) {
    const auto id = add("lan", "viewer");
    const auto before = create_session(db_, id, t0, limits_);
    const auto after = create_session(db_, id, t0 + 1min, limits_, before.id);
    EXPECT_FALSE(find_session(db_, before.id, t0 + 2min, limits_));
    EXPECT_TRUE(find_session(db_, after.id, t0 + 2min, limits_));
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 1);
}

TEST_F(user_store_test, logout_deletes_only_that_session) {
    const auto id = add("lan", "viewer");
    const auto phone = create_session(db_, id, t0, limits_);
    const auto laptop = create_session(db_, id, t0, limits_);
    EXPECT_TRUE(delete_session(db_, phone.id));
    EXPECT_FALSE(delete_session(db_, phone.id));
    EXPECT_FALSE(find_session(db_, phone.id, t0, limits_));
    EXPECT_TRUE(find_session(db_, laptop.id, t0, limits_));
}

TEST_F(user_store_test, disabling_or_a_new_password_ends_every_session) {
    const auto id = add("lan", "viewer");
    const auto a = create_session(db_, id, t0, limits_);
    ASSERT_EQ(set_password_hash(db_, "lan", some_hash + "2", "lan"), user_write::ok);
    EXPECT_FALSE(find_session(db_, a.id, t0, limits_));
    const auto b = create_session(db_, id, t0, limits_);
    ASSERT_EQ(disable_user(db_, "lan", "(command line)"), user_write::ok);
    EXPECT_FALSE(find_session(db_, b.id, t0, limits_));
    EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(user_store_test, purge_removes_idle_and_old_sessions_only) {
    const auto id = add("lan", "viewer");
    (void)create_session(db_, id, t0, limits_);  // idle at t0 + 2h
    const auto fresh = create_session(db_, id, t0 + 2h, limits_);
    EXPECT_EQ(delete_user_sessions(db_, id + 1000), 0);
    EXPECT_EQ(purge_expired_sessions(db_, t0 + 2h, limits_), 1);
    EXPECT_TRUE(find_session(db_, fresh.id, t0 + 2h, limits_));
    EXPECT_EQ(delete_user_sessions(db_, id), 1);
}

TEST_F(user_store_test, login_failures_count_per_account_and_address_in_a_window) {
    record_login_failure(db_, "Admin", "192.0.2.7", t0);
    record_login_failure(db_, "admin", "192.0.2.7", t0 + 5min);
    record_login_failure(db_, "lan", "192.0.2.7", t0 + 6min);
    record_login_failure(db_, "admin", "198.51.100.1", t0 + 7min);
    auto c = count_login_failures(db_, "ADMIN", "192.0.2.7", t0 - 1min);
    EXPECT_EQ(c.account, 3);  // names fold ASCII case
    EXPECT_EQ(c.address, 3);
    EXPECT_EQ(c.account_at_address, 2);  // not the one from 198.51.100.1
    EXPECT_EQ(count_login_failures(db_, "admin", "198.51.100.1", t0 - 1min).account_at_address, 1);
    c = count_login_failures(db_, "admin", "192.0.2.7", t0 + 1min);  // the first fell out of the window
    EXPECT_EQ(c.account, 2);
    EXPECT_EQ(c.address, 2);
    EXPECT_EQ(oldest_login_failure(db_, account_key("admin"), t0 - 1min),
              date::floor<std::chrono::seconds>(t0));
    EXPECT_EQ(oldest_login_failure(db_, account_key("admin"), t0 - 1min, 1),
              date::floor<std::chrono::seconds>(t0 + 5min));
    EXPECT_FALSE(oldest_login_failure(db_, account_key("nobody"), t0 - 1min));

    clear_account_failures(db_, "admin");
    c = count_login_failures(db_, "admin", "192.0.2.7", t0 - 1min);
    EXPECT_EQ(c.account, 0);
    EXPECT_EQ(c.account_at_address, 0);  // from every address
    EXPECT_EQ(count_login_failures(db_, "admin", "198.51.100.1", t0 - 1min).account_at_address, 0);
    EXPECT_EQ(c.address, 3);                             // a success does not clear the address
    EXPECT_EQ(count_login_failures(db_, "lan", "192.0.2.7", t0 - 1min).account_at_address, 1);  // nor others
    EXPECT_EQ(purge_login_failures(db_, t0 + 6min), 2);  // the address rows of t0 and t0 + 5 min
    // Left: the address rows of t0 + 6 and 7 min, and lan's two.
    EXPECT_EQ(count("SELECT count(*) FROM login_failures"), 4);
}

TEST_F(user_store_test, known_department_codes_come_from_stored_campaigns) {
    EXPECT_TRUE(known_department_codes(db_).empty());
    campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", ""};
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.departments = {{"giao-duc", {"Sở Giáo dục và Đào tạo", ""}, {}},
                     {"cong-an", {"Công an thành phố", ""}, {}}};
    import_campaigns(db_, {c});
    EXPECT_EQ(known_department_codes(db_), (std::vector<std::string>{"cong-an", "giao-duc"}));
}

TEST(user_store, random_tokens_are_base64url) {
    const auto t = random_token(16);
    EXPECT_EQ(t.size(), 22u);
    for (const char ch : t)
        EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') << t;
}

}  // namespace user_store_test_cpp
}  // namespace
