// loa import and loa export through the real binary (LOA_BINARY) on real SQLite files.
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/loa_process.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace {
namespace cli_store_test_cpp {

namespace fs = std::filesystem;

using loa::testing::temp_dir;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

using loa::test::run_result;

// build/loa with `args` (tests/integration/loa_process.hpp), its output kept in `dir`.
run_result loa(const temp_dir& dir, const std::vector<std::string>& args) {
    return loa::test::run_loa(dir.path(), args);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A small campaign in the documented format, Vietnamese with and without English.
const std::string campaign_yaml = R"(# Chiến dịch thử nghiệm
campaign:
  slug: thu-nghiem-2024
  title:
    vi: Tháng hành động phòng, chống mua bán người
    en: Anti-trafficking month
  theme: Không để trẻ em nào bị bỏ lại phía sau
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  key_dates:
    - date: 2024-07-30
      name: Ngày toàn dân phòng, chống mua bán người
      weight: 3
  audiences:
    - {code: tre-em, name: Trẻ em dưới 16 tuổi}
  hotlines:
    - {number: "111", name: Tổng đài bảo vệ trẻ em, hours: 24/7}
departments:
  - code: giao-duc
    name: {vi: Sở Giáo dục và Đào tạo, en: Department of Education}
    duties:
      - Tổ chức ngoại khóa cho học sinh
  - code: bao-chi
    name: Báo Hải Phòng
activities:
  - id: hop-bao
    department: bao-chi
    kind: press_conference
    title: Họp báo thường kỳ
    start: 2024-07-04T09:00
    end: 2024-07-04T10:30
    rrule: FREQ=MONTHLY;BYDAY=1TH;COUNT=6
  - id: ngoai-khoa
    department: giao-duc
    kind: school_session
    title: {vi: Buổi ngoại khóa, en: Extracurricular session}
    all_day: {start: 2024-07-15, end: 2024-07-17}
    audiences: [tre-em]
outlets:
  - slug: thp
    name: Truyền hình Hải Phòng
    kind: tv
    department: bao-chi
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: gio-vang, name: Giờ vàng, days: daily, start: "19:00", end: "22:00", weight: 10}
      - {code: dem, name: Đêm khuya, days: weekends, start: "22:00", end: "01:00", weight: 2}
    break_clock:
      - {minute: 0, seconds: 120}
      - {at: "19:45", seconds: 60, dayparts: [gio-vang]}
messages:
  - id: goi-111
    department: bao-chi
    text: {vi: Hãy gọi 111 khi thấy dấu hiệu mua bán người, en: Call 111}
    channels: [tv, sms]
    duration_s: 30
    priority: 8
    flight: {start: 2024-07-01, end: 2024-07-31}
    airings: 20
    audiences: [tre-em]
)";
// campaign, key date, audience, hotline, 2 departments, 2 activities, 1 outlet, 1 message
constexpr int items = 10;

std::string summary(int inserted, int updated, int unchanged, int archived) {
    return "imported 1 campaign: " + std::to_string(inserted) + " inserted, " + std::to_string(updated) +
           " updated, " + std::to_string(unchanged) + " unchanged, " + std::to_string(archived) +
           " archived\n";
}

TEST(CliStore, ImportThenImportAgainChangesNothing) {
    temp_dir dir;
    write_file(dir.file("c.yaml"), campaign_yaml);
    const std::string db = dir.file("loa.db").string();
    auto first = loa(dir, {"import", dir.file("c.yaml").string(), "--db", db});
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(first.out, summary(items, 0, 0, 0));
    auto second = loa(dir, {"import", "--db", db, dir.file("c.yaml").string()});
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(second.out, summary(0, 0, items, 0));
}

TEST(CliStore, ExportImportsBackToTheSameYaml) {
    temp_dir dir;
    write_file(dir.file("c.yaml"), campaign_yaml);
    const std::string db1 = dir.file("one.db").string();
    const std::string db2 = dir.file("two.db").string();
    ASSERT_EQ(loa(dir, {"import", dir.file("c.yaml").string(), "--db", db1}).status, 0);

    auto exported = loa(dir, {"export", "--db", db1, "--campaign", "thu-nghiem-2024"});
    ASSERT_EQ(exported.status, 0) << exported.err;
    EXPECT_TRUE(contains(exported.out, "Không để trẻ em nào bị bỏ lại phía sau")) << exported.out;
    EXPECT_TRUE(contains(exported.out, "start: \"19:00\""));

    auto to_file = loa(dir, {"export", "--db", db1, "--campaign", "thu-nghiem-2024", "--output",
                             dir.file("export.yaml").string()});
    ASSERT_EQ(to_file.status, 0) << to_file.err;
    EXPECT_EQ(to_file.out, "");
    EXPECT_EQ(read_file(dir.file("export.yaml")), exported.out);
    // Into a directory that does not exist: the error names the file asked for and why.
    auto nowhere = loa(dir, {"export", "--db", db1, "--campaign", "thu-nghiem-2024", "--output",
                             (dir.file("khong-co") / "export.yaml").string()});
    EXPECT_EQ(nowhere.status, 1);
    EXPECT_TRUE(contains(nowhere.err, "cannot write " + (dir.file("khong-co") / "export.yaml").string() +
                                          ": directory '" + dir.file("khong-co").string() + "' does not exist"))
        << nowhere.err;

    // The export, imported into the first database, is what is already there.
    auto same = loa(dir, {"import", dir.file("export.yaml").string(), "--db", db1});
    ASSERT_EQ(same.status, 0) << same.err;
    EXPECT_EQ(same.out, summary(0, 0, items, 0));

    // Into a fresh database, then exported again: the same bytes.
    auto second = loa(dir, {"import", dir.file("export.yaml").string(), "--db", db2});
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(second.out, summary(items, 0, 0, 0));
    auto again = loa(dir, {"export", "--db", db2, "--campaign", "thu-nghiem-2024"});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(again.out, exported.out);
}

TEST(CliStore, TheShippedCampaignRoundTripsThroughTwoDatabases) {
    const fs::path file = fs::path(LOA_SOURCE_DIR) / "campaigns" / "haiphong-2024-anti-trafficking.yaml";
    if (!fs::exists(file)) GTEST_SKIP() << file << " not present";
    temp_dir dir;
    const std::string db1 = dir.file("one.db").string();
    const std::string db2 = dir.file("two.db").string();
    auto imported = loa(dir, {"import", file.string(), "--db", db1});
    ASSERT_EQ(imported.status, 0) << imported.err;
    ASSERT_EQ(loa(dir, {"export", "--db", db1, "--campaign", "haiphong-2024-anti-trafficking", "--output",
                        dir.file("hp.yaml").string()})
                  .status,
              0);
    auto second = loa(dir, {"import", dir.file("hp.yaml").string(), "--db", db2});
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_EQ(second.out, imported.out);  // as many items inserted
    auto again = loa(dir, {"export", "--db", db2, "--campaign", "haiphong-2024-anti-trafficking"});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(again.out, read_file(dir.file("hp.yaml")));
}

TEST(CliStore, AnItemRemovedFromTheFileIsArchivedAndLeavesTheExport) {
    temp_dir dir;
    write_file(dir.file("c.yaml"), campaign_yaml);
    const std::string db = dir.file("loa.db").string();
    ASSERT_EQ(loa(dir, {"import", dir.file("c.yaml").string(), "--db", db}).status, 0);

    std::string shorter = campaign_yaml;
    const auto from = shorter.find("  - id: ngoai-khoa");
    const auto to = shorter.find("outlets:");
    ASSERT_NE(from, std::string::npos);
    shorter.erase(from, to - from);
    write_file(dir.file("c.yaml"), shorter);
    auto r = loa(dir, {"import", dir.file("c.yaml").string(), "--db", db});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, summary(0, 0, items - 1, 1));
    auto exported = loa(dir, {"export", "--db", db, "--campaign", "thu-nghiem-2024"});
    EXPECT_FALSE(contains(exported.out, "ngoai-khoa"));

    write_file(dir.file("c.yaml"), campaign_yaml);
    auto back = loa(dir, {"import", dir.file("c.yaml").string(), "--db", db});
    EXPECT_EQ(back.out, summary(0, 1, items - 1, 0));
    EXPECT_TRUE(
        contains(loa(dir, {"export", "--db", db, "--campaign", "thu-nghiem-2024"}).out, "ngoai-khoa"));
}

TEST(CliStore, AnInvalidFileIsReportedAndNothingIsWritten) {
    temp_dir dir;
    write_file(dir.file("good.yaml"), campaign_yaml);
    std::string bad = campaign_yaml;
    bad.replace(bad.find("department: giao-duc"), std::string("department: giao-duc").size(),
                "department: giao-dux");
    write_file(dir.file("bad.yaml"), bad);

    // A fresh database is not even created.
    auto fresh = loa(dir, {"import", dir.file("bad.yaml").string(), "--db", dir.file("new.db").string()});
    EXPECT_EQ(fresh.status, 1);
    EXPECT_FALSE(fs::exists(dir.file("new.db")));

    const std::string db = dir.file("loa.db").string();
    ASSERT_EQ(loa(dir, {"import", dir.file("good.yaml").string(), "--db", db}).status, 0);
    const std::string before = read_file(db);
    const auto mtime = fs::last_write_time(db);
    // The good file changed too: with a bad file beside it, neither is imported.
    std::string changed = campaign_yaml;
    changed.replace(changed.find("Họp báo thường kỳ"), std::string("Họp báo thường kỳ").size(),
                    "Họp báo tháng");
    write_file(dir.file("good.yaml"), changed);
    auto r = loa(dir, {"import", dir.file("good.yaml").string(), dir.file("bad.yaml").string(), "--db", db});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    // FILE:LINE:COL: message, pointing at the misspelt department.
    const std::string where = dir.file("bad.yaml").string() + ":";
    EXPECT_TRUE(contains(r.err, where)) << r.err;
    EXPECT_TRUE(contains(r.err, "giao-dux")) << r.err;
    EXPECT_TRUE(contains(r.err, "nothing imported")) << r.err;
    EXPECT_EQ(read_file(db), before);
    EXPECT_EQ(fs::last_write_time(db), mtime);
    auto exported = loa(dir, {"export", "--db", db, "--campaign", "thu-nghiem-2024"});
    EXPECT_TRUE(contains(exported.out, "Họp báo thường kỳ"));
}

TEST(CliStore, ImportIntoAMissingDirectoryIsAClearError) {
    temp_dir dir;
    write_file(dir.file("c.yaml"), campaign_yaml);
    auto r = loa(dir, {"import", dir.file("c.yaml").string(), "--db", dir.file("khong-co/loa.db").string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "does not exist")) << r.err;
    EXPECT_FALSE(fs::exists(dir.file("khong-co")));
}

TEST(CliStore, ExportErrors) {
    temp_dir dir;
    const std::string missing = dir.file("missing.db").string();
    auto no_db = loa(dir, {"export", "--db", missing, "--campaign", "thu-nghiem-2024"});
    EXPECT_EQ(no_db.status, 1);
    EXPECT_TRUE(contains(no_db.err, "no database")) << no_db.err;
    EXPECT_FALSE(fs::exists(missing));

    write_file(dir.file("c.yaml"), campaign_yaml);
    const std::string db = dir.file("loa.db").string();
    ASSERT_EQ(loa(dir, {"import", dir.file("c.yaml").string(), "--db", db}).status, 0);
    auto unknown = loa(dir, {"export", "--db", db, "--campaign", "khong-co"});
    EXPECT_EQ(unknown.status, 1);
    EXPECT_EQ(unknown.out, "");
    EXPECT_TRUE(contains(unknown.err, "no campaign 'khong-co'")) << unknown.err;
    EXPECT_TRUE(contains(unknown.err, "thu-nghiem-2024")) << unknown.err;  // what there is
}

TEST(CliStore, HelpAndUsageErrors) {
    temp_dir dir;
    for (const char* cmd : {"import", "export"}) {
        auto help = loa(dir, {cmd, "--help"});
        EXPECT_EQ(help.status, 0) << cmd;
        EXPECT_TRUE(contains(help.out, std::string("usage: loa ") + cmd)) << help.out;
        auto unknown = loa(dir, {cmd, "--bogus"});
        EXPECT_EQ(unknown.status, 2) << cmd;
        EXPECT_TRUE(contains(unknown.err, "--bogus")) << unknown.err;
    }
    EXPECT_EQ(loa(dir, {"import", "c.yaml"}).status, 2);                           // no --db
    EXPECT_EQ(loa(dir, {"import", "--db", dir.file("x.db").string()}).status, 2);  // no file
    EXPECT_EQ(loa(dir, {"import", "c.yaml", "--db"}).status, 2);                   // --db without value
    EXPECT_EQ(loa(dir, {"export", "--db", dir.file("x.db").string()}).status, 2);  // no --campaign
    EXPECT_EQ(loa(dir, {"export", "--campaign", "x"}).status, 2);                  // no --db
    EXPECT_EQ(loa(dir, {"export", "--db", "x.db", "--campaign", "x", "extra"}).status, 2);
    EXPECT_FALSE(fs::exists(dir.file("x.db")));
}

}  // namespace cli_store_test_cpp
}  // namespace
