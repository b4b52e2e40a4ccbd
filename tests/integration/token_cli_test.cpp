// loa token through the real binary (LOA_BINARY) on a real SQLite file with the shipped Hai Phong
// campaign: a new token as the last line of output and never stored, the list as a table and as
// JSON without tokens, revocation, and errors that name what is wrong.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "tests/integration/loa_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace token_cli_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;

using loa::test::run_result;
using loa::testing::temp_dir;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string last_line(const std::string& out) {
    std::string s = out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    const auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class token_cli : public ::testing::Test {
protected:
    void SetUp() override {
        const auto r = loa({"import", LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml", "--db", db()});
        ASSERT_EQ(r.status, 0) << r.err;
    }

    run_result loa(const std::vector<std::string>& args) { return loa::test::run_loa(dir_.path(), args); }

    [[nodiscard]] std::string db() const { return dir_.file("loa.db").string(); }

    temp_dir dir_;
};

TEST_F(token_cli, add_prints_the_token_last_and_stores_only_its_hash) {
    const auto r = loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--label", "Phần mềm phát sóng tự động"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string token = last_line(r.out);
    EXPECT_TRUE(std::regex_match(token, std::regex("loa_ft_[A-Za-z0-9_-]{32}"))) << r.out;
    EXPECT_TRUE(contains(r.out, "token 1 added for outlet thp-radio (Phần mềm phát sóng tự động)")) << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;

    // The token is nowhere in the database files (the hash is; the WAL included).
    for (const char* suffix : {"", "-wal"}) {
        const fs::path p = db() + suffix;
        if (!fs::exists(p)) continue;
        EXPECT_FALSE(contains(read_bytes(p), token.substr(7))) << p;
    }
    {
        SQLite::Database d(db(), SQLite::OPEN_READONLY);
        EXPECT_EQ(d.execAndGet("SELECT length(token_hash) FROM feed_tokens WHERE id = 1").getInt(), 32);
        EXPECT_EQ(d.execAndGet("SELECT created_by FROM feed_tokens WHERE id = 1").getString(), "cli");
        EXPECT_EQ(d.execAndGet("SELECT count(*) FROM audit_log WHERE entity = 'feed_token' AND action = 'add'").getInt(), 1);
    }

    // Two tokens for the same outlet are different.
    const auto again = loa({"token", "add", "--db", db(), "--outlet", "thp-radio"});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_NE(last_line(again.out), token);
}

TEST_F(token_cli, list_shows_tokens_without_the_tokens_and_revoke_ends_one) {
    const auto a = loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--label", "Lịch phát sóng"});
    const auto b = loa({"token", "add", "--db", db(), "--outlet", "thp-tv"});
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err;

    auto table = loa({"token", "list", "--db", db()});
    ASSERT_EQ(table.status, 0) << table.err;
    EXPECT_TRUE(contains(table.out, "ID  OUTLET     LABEL           CREATED")) << table.out;
    EXPECT_TRUE(contains(table.out, "Lịch phát sóng")) << table.out;
    EXPECT_TRUE(contains(table.out, "never")) << table.out;
    EXPECT_FALSE(contains(table.out, last_line(a.out)));
    EXPECT_FALSE(contains(table.out, last_line(b.out)));
    EXPECT_FALSE(contains(table.out, "loa_ft_"));

    auto one = loa({"token", "list", "--db", db(), "--outlet", "thp-tv", "--format", "json"});
    ASSERT_EQ(one.status, 0) << one.err;
    const json::array arr = json::parse(one.out).as_array();
    ASSERT_EQ(arr.size(), 1u);
    const json::object& t = arr[0].as_object();
    EXPECT_EQ(t.at("id").as_int64(), 2);
    EXPECT_EQ(t.at("outlet").as_string(), "thp-tv");
    EXPECT_EQ(t.at("label").as_string(), "");
    EXPECT_TRUE(t.at("revoked_at").is_null());
    EXPECT_TRUE(t.at("last_used_at").is_null());
    EXPECT_TRUE(t.contains("created_at"));
    EXPECT_FALSE(contains(one.out, "loa_ft_"));

    const auto revoked = loa({"token", "revoke", "--db", db(), "--id", "1"});
    ASSERT_EQ(revoked.status, 0) << revoked.err;
    EXPECT_EQ(revoked.out, "token 1 revoked\n");
    const auto twice = loa({"token", "revoke", "--db", db(), "--id", "1"});
    EXPECT_EQ(twice.status, 1);
    EXPECT_TRUE(contains(twice.err, "no live token 1")) << twice.err;
    const auto unknown = loa({"token", "revoke", "--db", db(), "--id", "99"});
    EXPECT_EQ(unknown.status, 1);

    auto all = loa({"token", "list", "--db", db(), "--format", "json"});
    ASSERT_EQ(all.status, 0) << all.err;
    const json::array both = json::parse(all.out).as_array();
    ASSERT_EQ(both.size(), 2u);
    // By outlet: thp-radio (revoked) before thp-tv.
    EXPECT_EQ(both[0].as_object().at("outlet").as_string(), "thp-radio");
    EXPECT_TRUE(both[0].as_object().at("revoked_at").is_string());
    EXPECT_TRUE(both[1].as_object().at("revoked_at").is_null());

    const auto none = loa({"token", "list", "--db", db(), "--outlet", "loa-le-chan"});
    ASSERT_EQ(none.status, 0);
    EXPECT_EQ(none.out, "no feed tokens for outlet loa-le-chan (add one with loa token add)\n");
}

TEST_F(token_cli, errors_name_what_is_wrong) {
    auto r = loa({"token", "add", "--db", db(), "--outlet", "dai-khong-co"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "unknown outlet 'dai-khong-co'")) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;

    r = loa({"token", "add", "--db", db()});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "--outlet is required")) << r.err;

    // The label as the web form takes it: one line, at most 200 characters (Vietnamese counted as
    // people see it); nothing is added otherwise.
    r = loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--label", "dòng một\ndòng hai"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--label: must be one line of text")) << r.err;
    std::string long_label;
    for (int i = 0; i < 201; ++i) long_label += "ệ";
    r = loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--label", long_label});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--label: at most 200 characters")) << r.err;
    long_label.resize(long_label.size() - std::string("ệ").size());
    EXPECT_EQ(loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--label", long_label}).status, 0);
    EXPECT_TRUE(contains(loa({"token", "list", "--db", db()}).out, "thp-radio"));

    r = loa({"token", "add", "--db", dir_.file("khong-co.db").string(), "--outlet", "thp-radio"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "no database at")) << r.err;
    EXPECT_FALSE(fs::exists(dir_.file("khong-co.db")));
    // A directory named as the database: said so, not "no database".
    r = loa({"token", "list", "--db", dir_.path().string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "is a directory, not a database file")) << r.err;

    r = loa({"token", "revoke", "--db", db(), "--id", "mot"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--id: expected a token id")) << r.err;

    r = loa({"token", "list", "--db", db(), "--format", "xml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "--format")) << r.err;

    r = loa({"token", "rotate", "--db", db()});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "unknown action 'rotate'")) << r.err;

    r = loa({"token", "add", "--db", db(), "--outlet", "thp-radio", "--secret", "x"});
    EXPECT_EQ(r.status, 2);

    r = loa({"token"});
    EXPECT_EQ(r.status, 2);

    r = loa({"token", "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(contains(r.out, "usage: loa token add --db PATH --outlet SLUG [--label TEXT]")) << r.out;
    EXPECT_TRUE(contains(r.out, "last line"));
    r = loa({"token", "list", "--help"});
    EXPECT_EQ(r.status, 0);
}

}  // namespace token_cli_test_cpp
}  // namespace
