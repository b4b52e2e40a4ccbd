// The campaign store against real SQLite files: import, idempotence, archive/restore, rollback.
#include "core/storage/campaign_store.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/config/campaign_writer.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/stored_time.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace campaign_store_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::August;
using date::July;
using date::June;

using loa::testing::temp_dir;

local_time at(date::year_month_day d, std::chrono::minutes tod) {
    return local_time{date::local_days{d}} + tod;
}

// A campaign that uses every field the model has.
campaign rich_campaign() {
    campaign c;
    c.slug = "haiphong-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.description = {"Kế hoạch của Ủy ban nhân dân thành phố Hải Phòng", ""};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {{2024_y / July / 30,
                    {"Ngày thế giới phòng, chống mua bán người", "World Day against Trafficking"},
                    3.0},
                   {2024_y / July / 1, {"Khai mạc tháng hành động", ""}, 1.5}};
    c.audiences = {
        {"tre-em-duoi-16", {"Trẻ em dưới 16 tuổi", "Children under 16"}},
        {"phu-huynh", {"Phụ huynh", ""}},
        {"lao-dong-xuat-khau", {"Người lao động đi làm việc ở nước ngoài", "Workers going abroad"}}};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"},
                  {"18001567", {"Đường dây nóng phòng, chống mua bán người", ""}, ""}};
    c.departments = {{"cong-an",
                      {"Công an thành phố", "City police"},
                      {{"Chủ trì điều tra", "Lead investigations"}, {"Tuần tra biên giới", ""}}},
                     {"giao-duc",
                      {"Sở Giáo dục và Đào tạo", "Department of Education"},
                      {{"Tổ chức buổi học ngoại khóa", ""}}},
                     {"bao-chi", {"Báo Hải Phòng", ""}, {}}};

    activity press;
    press.id = "hop-bao-hang-thang";
    press.department = "cong-an";
    press.kind = "press_conference";
    press.title = {"Họp báo thường kỳ", "Monthly press conference"};
    press.description = {"Thông tin kết quả đấu tranh", "Results of the month"};
    press.start = at(2024_y / July / 4, 9h);
    press.end = at(2024_y / July / 4, 10h + 30min);
    press.rrule = "FREQ=MONTHLY;BYDAY=1TH;COUNT=6";
    press.location = {"Trụ sở Ủy ban nhân dân thành phố", "City hall"};
    press.audiences = {"phu-huynh", "tre-em-duoi-16"};
    activity school;
    school.id = "ngoai-khoa-thcs";
    school.department = "giao-duc";
    school.kind = "school_session";
    school.title = {"Buổi ngoại khóa cho học sinh THCS", ""};
    school.all_day = true;
    school.start = at(2024_y / July / 15, 0min);
    school.end = at(2024_y / July / 18, 0min);
    school.time_zone = "Asia/Ho_Chi_Minh";
    school.audiences = {"tre-em-duoi-16"};
    activity inspection;
    inspection.id = "kiem-tra-bien-gioi";
    inspection.department = "cong-an";
    inspection.kind = "inspection";
    inspection.title = {"Kiểm tra khu vực biên giới", "Border inspection"};
    inspection.start = at(2024_y / July / 20, 22h);
    inspection.end = at(2024_y / July / 21, 2h);
    inspection.time_zone = "Europe/Berlin";
    inspection.vis = visibility::internal;
    c.activities = {press, school, inspection};

    outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Truyền hình Hải Phòng", "Hai Phong Television"};
    tv.kind = "tv";
    tv.department = "bao-chi";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi", "en"};
    tv.lead_time_hours = 48;
    tv.dayparts = {{"sang", {"Buổi sáng", "Morning"}, 0x1f, 6h, 9h, 1.5},
                   {"gio-vang", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 3.0},
                   {"dem", {"Đêm khuya", ""}, 0x60, 22h + 30min, 1h, 0.5}};
    break_rule hourly;
    hourly.minute = 0;
    hourly.seconds = 120;
    break_rule daily;
    daily.at = 19h + 45min;
    daily.seconds = 60;
    daily.dayparts = {"gio-vang", "dem"};
    tv.break_clock = {hourly, daily};
    tv.freeze_hours = 24;
    tv.blackouts = {
        {at(2024_y / July / 27, 19h),
         at(2024_y / July / 27, 21h),
         {"Truyền hình trực tiếp lễ mít tinh hưởng ứng Ngày 30/7", "Live coverage of the 30 July rally"}},
        {at(2024_y / July / 31, 23h + 30min), at(2024_y / August / 1, 1h), {"Bảo trì máy phát", ""}}};
    outlet loudspeaker;
    loudspeaker.slug = "loa-phuong-le-chan";
    loudspeaker.name = {"Loa phường Lê Chân", ""};
    loudspeaker.kind = "loudspeaker";
    loudspeaker.time_zone = "Asia/Ho_Chi_Minh";
    loudspeaker.languages = {"vi"};
    loudspeaker.dayparts = {{"chieu", {"Buổi chiều", ""}, 0x15, 17h, 24h, 1.0}};
    c.outlets = {tv, loudspeaker};

    message spot;
    spot.id = "spot-30s";
    spot.department = "bao-chi";
    spot.title = {"Thông điệp 30 giây", ""};
    spot.text = {"Hãy gọi 111 khi phát hiện dấu hiệu mua bán người",
                 "Call 111 if you see signs of trafficking"};
    spot.channels = {"tv", "radio", "loudspeaker"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = 2024_y / July / 1;
    spot.flight_end = 2024_y / July / 31;
    spot.flight_relative = relative_flight{2024_y / July / 30, 29, 1};
    spot.airings = 40;
    spot.airings_per_day = 3;
    spot.airings_per_week = 15;
    spot.max_per_outlet_per_day = 2;
    spot.min_gap_minutes = 120;
    spot.dayparts = {"gio-vang", "sang"};
    spot.audiences = {"phu-huynh", "lao-dong-xuat-khau"};
    spot.outlets = {"thp-tv"};
    spot.state = "approved";
    message sms;
    sms.id = "tin-nhan";
    sms.department = "cong-an";
    sms.text = {"Cảnh giác với lời mời làm việc lương cao ở nước ngoài", ""};
    sms.channels = {"sms"};
    sms.priority = 5;
    sms.flight_start = 2024_y / July / 25;
    sms.flight_end = 2024_y / July / 30;
    c.messages = {spot, sms};
    c.planning.separate_departments = false;
    return c;
}

campaign small_campaign(const std::string& slug, calendar_date start) {
    campaign c;
    c.slug = slug;
    c.title = {"Chiến dịch " + slug, ""};
    c.theme = {"Phòng, chống mua bán người", ""};
    c.period_start = start;
    c.period_end = start;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.departments = {{"uy-ban", {"Ủy ban nhân dân", ""}, {}}};
    return c;
}

int items_in(const campaign& c) {
    return 1 + static_cast<int>(c.key_dates.size() + c.audiences.size() + c.hotlines.size() +
                                c.departments.size() + c.activities.size() + c.outlets.size() +
                                c.messages.size());
}

// Every item table's updated_at and archived flag, by table and row id.
std::map<std::string, std::string> row_states(database& db) {
    std::map<std::string, std::string> out;
    for (const char* table : {"campaigns", "key_dates", "audiences", "hotlines", "departments", "activities",
                              "outlets", "messages"}) {
        // Table names come from the list above, not from input.
        SQLite::Statement st(db.sql(),
                             std::string("SELECT id, archived, created_at, updated_at FROM ") + table);
        while (st.executeStep()) {
            out[std::string(table) + "#" + st.getColumn(0).getString()] = st.getColumn(1).getString() + " " +
                                                                          st.getColumn(2).getString() + " " +
                                                                          st.getColumn(3).getString();
        }
    }
    return out;
}

int count(database& db, const std::string& sql) {
    return db.sql().execAndGet(sql).getInt();
}

class CampaignStore : public ::testing::Test {
protected:
    temp_dir dir_;
    database db_{dir_.file("loa.db")};
};

TEST_F(CampaignStore, ImportThenLoadGivesTheInput) {
    const campaign c = rich_campaign();
    const import_stats s = import_campaigns(db_, {c});
    EXPECT_EQ(s.inserted, items_in(c));
    EXPECT_EQ(s.updated, 0);
    EXPECT_EQ(s.unchanged, 0);
    EXPECT_EQ(s.archived, 0);
    const auto loaded = load_campaign(db_, c.slug);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(*loaded, c);
    // Children really are rows of their own.
    EXPECT_EQ(count(db_, "SELECT count(*) FROM dayparts"), 4);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM break_rule_dayparts"), 2);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_channels"), 4);
    EXPECT_EQ(db_.sql()
                  .execAndGet("SELECT start_local FROM activities WHERE code = 'hop-bao-hang-thang'")
                  .getString(),
              "2024-07-04T09:00:00");
}

TEST_F(CampaignStore, LoadsWithKeptStatementsSeeEveryChange) {
    // load_campaign's reads come from the connection's statement cache: a second load reuses them,
    // and an import on the same connection between two loads is seen by the kept statements.
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    const std::size_t kept = db_.cached_statements();
    EXPECT_GT(kept, 0u);
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    EXPECT_EQ(db_.cached_statements(), kept);  // none prepared again

    campaign changed = c;
    changed.messages[0].text.vi = "Gọi ngay 111 — miễn phí, 24/7";
    changed.outlets[0].dayparts[1].end = 23h;
    changed.hotlines.pop_back();  // archived: the load leaves it out
    import_campaigns(db_, {changed});
    EXPECT_EQ(*load_campaign(db_, c.slug), changed);
    // A fresh connection (nothing kept) loads the same.
    database fresh(dir_.file("loa.db"));
    EXPECT_EQ(*load_campaign(fresh, c.slug), changed);
    EXPECT_FALSE(load_campaign(db_, "no-such-campaign"));
}

TEST_F(CampaignStore, ASecondImportWritesNothing) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    const auto before = row_states(db_);
    const int changes_before = db_.sql().getTotalChanges();
    const import_stats s = import_campaigns(db_, {c});
    EXPECT_EQ(s.inserted, 0);
    EXPECT_EQ(s.updated, 0);
    EXPECT_EQ(s.unchanged, items_in(c));
    EXPECT_EQ(s.archived, 0);
    EXPECT_EQ(row_states(db_), before);
    EXPECT_EQ(db_.sql().getTotalChanges(), changes_before);
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
}

TEST_F(CampaignStore, ItemsCreatedInTheWebFormsAreNotArchivedByAFileImport) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    // An activity and a message that came from the web forms, not from the file.
    db_.sql().exec("UPDATE activities SET origin = 'web' WHERE code = 'ngoai-khoa-thcs'");
    db_.sql().exec("UPDATE messages SET origin = 'web' WHERE code = 'tin-nhan'");
    campaign without = c;
    without.activities.erase(without.activities.begin() + 1);  // ngoai-khoa-thcs
    without.messages.pop_back();                               // tin-nhan
    const import_stats s = import_campaigns(db_, {without});
    EXPECT_EQ(s.archived, 0);
    EXPECT_EQ(count(db_, "SELECT archived FROM activities WHERE code = 'ngoai-khoa-thcs'"), 0);
    EXPECT_EQ(count(db_, "SELECT archived FROM messages WHERE code = 'tin-nhan'"), 0);
    EXPECT_EQ(load_campaign(db_, c.slug)->messages.size(), c.messages.size());
}

TEST_F(CampaignStore, AnUnchangedFileAfterAWebEditChangesNothing) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    // The first message and the first activity were edited in the web forms.
    db_.sql().exec("UPDATE messages SET origin = 'web' WHERE code = 'spot-30s'");
    db_.sql().exec("UPDATE activities SET origin = 'web' WHERE code = '" + c.activities.front().id + "'");
    const auto before = row_states(db_);
    const import_stats s = import_campaigns(db_, {c});
    EXPECT_EQ(s.updated, 0);  // the items after them keep their places in the file
    EXPECT_EQ(s.inserted, 0);
    EXPECT_EQ(s.archived, 0);
    EXPECT_EQ(row_states(db_), before);
}

TEST_F(CampaignStore, AFileCannotTakeAwayWhatAWebItemRefersTo) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    // spot-30s was edited in the web forms: the file no longer controls it.
    db_.sql().exec("UPDATE messages SET origin = 'web' WHERE code = 'spot-30s'");
    const auto before = row_states(db_);
    campaign without = c;
    without.messages.erase(without.messages.begin());  // spot-30s
    without.key_dates.clear();                          // its flight's key date, 30 July
    std::erase_if(without.audiences, [](const audience& a) { return a.code == "lao-dong-xuat-khau"; });
    for (auto& a : without.activities) std::erase(a.audiences, std::string("lao-dong-xuat-khau"));
    try {
        import_campaigns(db_, {without});
        ADD_FAILURE() << "imported";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("message 'spot-30s' (made or edited in the web forms) is for audience "
                            "'lao-dong-xuat-khau', which the file no longer has"),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("has its flight around key date 2024-07-30"), std::string::npos) << what;
        EXPECT_NE(what.find("Keep it in the file, or change or cancel those items in the web forms first"),
                  std::string::npos)
            << what;
    }
    EXPECT_EQ(row_states(db_), before);  // nothing written
    // Its outlet list holds only thp-tv: a daypart it names must stay on thp-tv (another outlet
    // having it is not enough), and thp-tv must stay of one of its channels.
    campaign moved = c;
    moved.messages.erase(moved.messages.begin());
    std::erase_if(moved.outlets[0].dayparts, [](const daypart& d) { return d.code == "sang"; });
    moved.outlets[1].dayparts.push_back(c.outlets[0].dayparts[0]);  // "sang" now on the loudspeakers only
    moved.outlets[0].kind = "online";
    try {
        import_campaigns(db_, {moved});
        ADD_FAILURE() << "imported";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("may air in daypart 'sang', which no outlet it can run on has any more"),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("is limited to outlet 'thp-tv', whose kind the file has changed"), std::string::npos)
            << what;
    }
    EXPECT_EQ(row_states(db_), before);
    // Without taking them away, the same file imports.
    campaign keeping = c;
    keeping.messages.erase(keeping.messages.begin());
    EXPECT_NO_THROW(import_campaigns(db_, {keeping}));
}

TEST_F(CampaignStore, MessageOutletsAreStoredAsRows) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_outlets"), 1);
    EXPECT_EQ(load_campaign(db_, c.slug)->messages.front().outlets, std::vector<std::string>{"thp-tv"});
}

TEST_F(CampaignStore, ARemovedItemIsArchivedAndRestoredWhenItReturns) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    campaign without = c;
    without.activities.erase(without.activities.begin() + 1);  // ngoai-khoa-thcs
    without.outlets.pop_back();                                // loa-phuong-le-chan
    without.hotlines.pop_back();

    const import_stats s = import_campaigns(db_, {without});
    EXPECT_EQ(s.archived, 3);
    EXPECT_EQ(s.inserted, 0);
    // The inspection moved from position 2 to 1: a real change of the stored order.
    EXPECT_EQ(s.updated, 1);
    EXPECT_EQ(*load_campaign(db_, c.slug), without);
    // Kept, not deleted, with its children.
    EXPECT_EQ(count(db_, "SELECT archived FROM activities WHERE code = 'ngoai-khoa-thcs'"), 1);
    EXPECT_EQ(count(db_,
                    "SELECT count(*) FROM activity_audiences a JOIN activities b ON b.id = a.activity_id "
                    "WHERE b.code = 'ngoai-khoa-thcs'"),
              1);
    EXPECT_EQ(count(db_, "SELECT archived FROM outlets WHERE slug = 'loa-phuong-le-chan'"), 1);

    // Importing the shorter file again archives nothing more.
    const import_stats again = import_campaigns(db_, {without});
    EXPECT_EQ(again.archived, 0);
    EXPECT_EQ(again.updated, 0);
    EXPECT_EQ(again.unchanged, items_in(without));

    const import_stats back = import_campaigns(db_, {c});
    EXPECT_EQ(back.inserted, 0);
    EXPECT_EQ(back.updated, 4);  // three restored, the inspection back at position 2
    EXPECT_EQ(back.archived, 0);
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM activities"), 3);
    EXPECT_EQ(count(db_, "SELECT archived FROM activities WHERE code = 'ngoai-khoa-thcs'"), 0);
}

TEST_F(CampaignStore, AChangedItemIsUpdatedAndOnlyIt) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    const auto before = row_states(db_);
    const std::string created =
        db_.sql().execAndGet("SELECT created_at FROM messages WHERE code = 'spot-30s'").getString();

    campaign changed = c;
    changed.messages[0].text.vi = "Gọi ngay 111 — miễn phí, 24/7";
    changed.messages[0].channels = {"radio"};
    changed.outlets[0].dayparts[1].end = 23h;  // a child changes: the outlet is updated
    changed.outlets[0].break_clock[1].dayparts = {"dem"};

    const import_stats s = import_campaigns(db_, {changed});
    EXPECT_EQ(s.updated, 2);
    EXPECT_EQ(s.inserted, 0);
    EXPECT_EQ(s.archived, 0);
    EXPECT_EQ(s.unchanged, items_in(c) - 2);
    EXPECT_EQ(*load_campaign(db_, c.slug), changed);

    const auto after = row_states(db_);
    int differing = 0;
    for (const auto& [row, state] : after) {
        if (before.at(row) != state) ++differing;
    }
    EXPECT_EQ(differing, 2);
    EXPECT_EQ(db_.sql().execAndGet("SELECT created_at FROM messages WHERE code = 'spot-30s'").getString(),
              created);
    // The replaced children leave no orphans.
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_channels"), 2);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM dayparts"), 4);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM break_rule_dayparts"), 1);
}

// The events feed's SEQUENCE counts an activity's recorded edits: a file import that changes one
// (or brings it back from the archive) records an edit by "import"; a move in the list does not.
TEST_F(CampaignStore, AnActivityChangedByAnImportCountsAsAnEditOfItsEvent) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    auto edits = [&](const std::string& code) {
        for (const auto& [key, n] : activity_change_counts(db_, c.slug))
            if (key == code) return n;
        return 0;
    };
    EXPECT_EQ(edits("hop-bao-hang-thang"), 0);

    campaign changed = c;
    changed.activities[0].title.vi = "Họp báo tháng: đường dây nóng 111 — đổi giờ";
    changed.activities[0].start += 1h;
    changed.activities[0].end += 1h;
    import_campaigns(db_, {changed});
    EXPECT_EQ(edits("hop-bao-hang-thang"), 1);
    EXPECT_EQ(edits("ngoai-khoa-thcs"), 0);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM audit_log WHERE entity = 'activity' AND actor = 'import' "
                         "AND entity_key = 'hop-bao-hang-thang' AND action = 'edit'"),
              1);

    import_campaigns(db_, {changed});  // the same file again changes nothing
    EXPECT_EQ(edits("hop-bao-hang-thang"), 1);

    campaign reordered = changed;
    std::swap(reordered.activities[0], reordered.activities[2]);
    import_campaigns(db_, {reordered});  // only the order moves: no new version of any event
    EXPECT_EQ(edits("hop-bao-hang-thang"), 1);
    EXPECT_EQ(edits("kiem-tra-bien-gioi"), 0);

    campaign without = reordered;
    without.activities.erase(without.activities.begin() + 1);  // ngoai-khoa-thcs archived
    import_campaigns(db_, {without});
    import_campaigns(db_, {reordered});  // and restored: it comes back as a new version
    EXPECT_EQ(edits("ngoai-khoa-thcs"), 1);
}

// The one text form of dates and wall-clock times every store uses (core/storage/stored_time.hpp).
TEST(StoredTime, DatesAndWallClockTimesRoundTripAndAnythingElseIsRefused) {
    EXPECT_EQ(stored_date_text(2024_y / July / 30), "2024-07-30");
    EXPECT_EQ(stored_local_text(at(2024_y / July / 30, 19h + 5min) + 7s), "2024-07-30T19:05:07");
    EXPECT_EQ(stored_date("2024-02-29"), 2024_y / date::February / 29);
    EXPECT_EQ(stored_local("2024-07-31T00:15:00"), at(2024_y / July / 31, 15min));
    EXPECT_EQ(parse_stored_date("2023-02-29"), std::nullopt);  // not a day
    EXPECT_EQ(parse_stored_date("2024-7-30"), std::nullopt);
    EXPECT_EQ(parse_stored_date("-024-07-30"), std::nullopt);
    EXPECT_EQ(parse_stored_date("30/07/2024"), std::nullopt);
    EXPECT_THROW((void)stored_date("2024-13-01"), SQLite::Exception);
    EXPECT_THROW((void)stored_local("2024-07-30 19:05:07"), SQLite::Exception);
    EXPECT_THROW((void)stored_local("2024-07-30T19:0x:07"), SQLite::Exception);
    EXPECT_THROW((void)stored_local(""), SQLite::Exception);
}

// (The schema CHECKs the shape; a day that does not exist gets past it.)
TEST_F(CampaignStore, ACorruptStoredDateIsAnErrorNamingTheValue) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    db_.sql().exec("UPDATE activities SET start_local = '2024-02-30T08:00:00' WHERE code = 'hop-bao-hang-thang'");
    try {
        (void)load_campaign(db_, c.slug);
        ADD_FAILURE() << "a corrupt value loaded";
    } catch (const SQLite::Exception& e) {
        EXPECT_NE(std::string(e.what()).find("'2024-02-30T08:00:00'"), std::string::npos) << e.what();
    }
}

TEST_F(CampaignStore, ARenamedKeyArchivesTheOldItemAndInsertsANewOne) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    campaign renamed = c;
    renamed.departments[2].code = "bao-hai-phong";
    renamed.outlets[0].department = "bao-hai-phong";
    renamed.messages[0].department = "bao-hai-phong";
    const import_stats s = import_campaigns(db_, {renamed});
    EXPECT_EQ(s.inserted, 1);
    EXPECT_EQ(s.archived, 1);
    EXPECT_EQ(s.updated, 2);  // the outlet and the message now point at the new department
    EXPECT_EQ(*load_campaign(db_, c.slug), renamed);
}

TEST_F(CampaignStore, AFailingImportRollsBackEverything) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    const auto before = row_states(db_);

    campaign changed = c;
    changed.title.vi = "Tiêu đề đã đổi";
    changed.messages.pop_back();
    campaign broken = small_campaign("chien-dich-loi", 2024_y / June / 1);
    message bad;
    bad.id = "uu-tien-sai";
    bad.department = "uy-ban";
    bad.text = {"Ưu tiên ngoài khoảng 1–10", ""};
    bad.channels = {"sms"};
    bad.priority = 11;  // violates CHECK (priority BETWEEN 1 AND 10)
    bad.flight_start = bad.flight_end = 2024_y / June / 1;
    broken.messages = {bad};

    EXPECT_THROW(import_campaigns(db_, {changed, broken}), SQLite::Exception);
    EXPECT_EQ(row_states(db_), before);
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    EXPECT_FALSE(load_campaign(db_, "chien-dich-loi"));
    EXPECT_EQ(count(db_, "SELECT count(*) FROM campaigns"), 1);
    // The connection is usable afterwards (no transaction left open).
    EXPECT_EQ(import_campaigns(db_, {c}).unchanged, items_in(c));
}

TEST_F(CampaignStore, AFailingFirstImportLeavesAnEmptyStore) {
    campaign c = rich_campaign();
    c.activities[0].end = c.activities[0].start;  // violates CHECK (end_local > start_local)
    EXPECT_THROW(import_campaigns(db_, {c}), SQLite::Exception);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM campaigns"), 0);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM departments"), 0);
    EXPECT_TRUE(list_campaigns(db_).empty());
}

TEST_F(CampaignStore, InconsistentInputIsRefusedAndNothingWritten) {
    campaign dup = rich_campaign();
    dup.activities.push_back(dup.activities[0]);
    EXPECT_THROW(import_campaigns(db_, {dup}), std::invalid_argument);
    campaign unknown = rich_campaign();
    unknown.messages[0].department = "khong-co";
    EXPECT_THROW(import_campaigns(db_, {unknown}), std::invalid_argument);
    campaign twice = rich_campaign();
    EXPECT_THROW(import_campaigns(db_, {twice, twice}), std::invalid_argument);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM campaigns"), 0);
}

TEST_F(CampaignStore, CampaignsAbsentFromAnImportAreLeftAlone) {
    const campaign a = small_campaign("chien-dich-a", 2024_y / July / 1);
    const campaign b = small_campaign("chien-dich-b", 2024_y / June / 1);
    import_campaigns(db_, {a, b});
    campaign a2 = a;
    a2.departments.clear();
    const import_stats s = import_campaigns(db_, {a2});
    EXPECT_EQ(s.archived, 1);
    EXPECT_EQ(*load_campaign(db_, "chien-dich-b"), b);
    EXPECT_EQ(*load_campaign(db_, "chien-dich-a"), a2);
}

TEST_F(CampaignStore, ListsActiveCampaignsByPeriodThenSlug) {
    import_campaigns(
        db_, {small_campaign("b-thang-7", 2024_y / July / 1), small_campaign("a-thang-7", 2024_y / July / 1),
              small_campaign("c-thang-6", 2024_y / June / 1)});
    const auto list = list_campaigns(db_);
    ASSERT_EQ(list.size(), 3U);
    EXPECT_EQ(list[0].slug, "c-thang-6");
    EXPECT_EQ(list[1].slug, "a-thang-7");
    EXPECT_EQ(list[2].slug, "b-thang-7");
    EXPECT_EQ(list[1].title.vi, "Chiến dịch a-thang-7");
    EXPECT_EQ(list[1].period_start, 2024_y / July / 1);
    EXPECT_EQ(list[1].time_zone, "Asia/Ho_Chi_Minh");
    db_.sql().exec("UPDATE campaigns SET archived = 1 WHERE slug = 'a-thang-7'");
    EXPECT_EQ(list_campaigns(db_).size(), 2U);
    EXPECT_FALSE(load_campaign(db_, "a-thang-7"));
}

TEST_F(CampaignStore, LoadsInsideTheCallersTransaction) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    SQLite::Transaction tx(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    EXPECT_FALSE(load_campaign(db_, "khong-ton-tai"));
    tx.commit();
    // And on its own again afterwards (no transaction left open).
    EXPECT_EQ(*load_campaign(db_, c.slug), c);
    EXPECT_NE(sqlite3_get_autocommit(db_.sql().getHandle()), 0);
}

TEST_F(CampaignStore, AnUnknownSlugLoadsNothing) {
    EXPECT_FALSE(load_campaign(db_, "khong-ton-tai"));
}

TEST_F(CampaignStore, ReorderingItemsKeepsTheNewOrder) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    campaign reordered = c;
    std::swap(reordered.messages[0], reordered.messages[1]);
    std::swap(reordered.departments[0], reordered.departments[2]);
    const import_stats s = import_campaigns(db_, {reordered});
    EXPECT_EQ(s.updated, 4);
    EXPECT_EQ(*load_campaign(db_, c.slug), reordered);
}

TEST_F(CampaignStore, SurvivesReopeningTheFile) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    database other(dir_.file("loa.db"));
    EXPECT_EQ(*load_campaign(other, c.slug), c);
    EXPECT_EQ(import_campaigns(other, {c}).unchanged, items_in(c));
}

// --- The planner's rules ---------------------------------------------------------------------------

TEST_F(CampaignStore, PlannerRulesAreStoredInTheirColumnsAndRows) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    EXPECT_EQ(count(db_, "SELECT separate_departments FROM campaigns"), 0);
    EXPECT_EQ(count(db_, "SELECT freeze_hours FROM outlets WHERE slug = 'thp-tv'"), 24);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM outlet_blackouts"), 2);
    EXPECT_EQ(db_.sql().execAndGet("SELECT end_local FROM outlet_blackouts WHERE position = 1").getString(),
              "2024-08-01T01:00:00");
    EXPECT_EQ(db_.sql().execAndGet("SELECT reason_vi FROM outlet_blackouts WHERE position = 0").getString(),
              "Truyền hình trực tiếp lễ mít tinh hưởng ứng Ngày 30/7");
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_dayparts"), 2);
    EXPECT_EQ(
        db_.sql().execAndGet("SELECT flight_key_date FROM messages WHERE code = 'spot-30s'").getString(),
        "2024-07-30");
    EXPECT_EQ(count(db_, "SELECT flight_days_before FROM messages WHERE code = 'spot-30s'"), 29);
    EXPECT_EQ(count(db_, "SELECT min_gap_minutes FROM messages WHERE code = 'spot-30s'"), 120);
    // A flight given as dates has no key date.
    EXPECT_EQ(
        db_.sql().execAndGet("SELECT flight_key_date FROM messages WHERE code = 'tin-nhan'").getString(), "");
    const auto loaded = load_campaign(db_, c.slug);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(loaded->planning.separate_departments);
    EXPECT_EQ(loaded->outlets[0].blackouts, c.outlets[0].blackouts);
    EXPECT_EQ(loaded->messages[0].flight_relative, c.messages[0].flight_relative);
    EXPECT_EQ(loaded->messages[0].dayparts, (std::vector<std::string>{"gio-vang", "sang"}));
    EXPECT_FALSE(loaded->messages[1].flight_relative);
}

// Each rule's change is a change of its item (and only of it); importing the same again writes nothing.
TEST_F(CampaignStore, AChangeOfEachPlannerRuleIsDetected) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    struct change {
        const char* what;
        void (*apply)(campaign&);
    };
    const change changes[] = {
        {"separate_departments", [](campaign& x) { x.planning.separate_departments = true; }},
        {"freeze_hours", [](campaign& x) { x.outlets[0].freeze_hours = 12; }},
        {"blackout end",
         [](campaign& x) { x.outlets[0].blackouts[0].end = at(2024_y / July / 27, 21h + 30min); }},
        {"blackout start",
         [](campaign& x) { x.outlets[0].blackouts[1].start = at(2024_y / July / 31, 23h); }},
        {"blackout reason",
         [](campaign& x) { x.outlets[0].blackouts[1].reason.en = "Transmitter maintenance"; }},
        {"blackout removed", [](campaign& x) { x.outlets[0].blackouts.pop_back(); }},
        {"blackout added",
         [](campaign& x) {
             x.outlets[1].blackouts = {{at(2024_y / July / 20, 5h),
                                        at(2024_y / July / 21, 18h),
                                        {"Bão số 2: loa dành cho tin cảnh báo", "Typhoon warnings only"}}};
         }},
        {"airings_per_day", [](campaign& x) { x.messages[0].airings_per_day = 4; }},
        {"airings_per_week", [](campaign& x) { x.messages[0].airings_per_week = 0; }},
        {"max_per_outlet_per_day", [](campaign& x) { x.messages[0].max_per_outlet_per_day = 1; }},
        {"min_gap_minutes", [](campaign& x) { x.messages[0].min_gap_minutes = 90; }},
        {"dayparts", [](campaign& x) { x.messages[0].dayparts = {"gio-vang"}; }},
        {"dayparts order",
         [](campaign& x) {
             x.messages[0].dayparts = {"sang", "gio-vang"};
         }},
        {"relative flight",
         [](campaign& x) {
             x.messages[0].flight_relative->days_before = 7;
             x.messages[0].flight_start = 2024_y / July / 23;
         }},
        {"flight given as dates", [](campaign& x) { x.messages[0].flight_relative.reset(); }},
        {"flight given as a key date",
         [](campaign& x) {
             x.messages[1].flight_relative = relative_flight{2024_y / July / 30, 5, 0};
         }},
    };
    for (const auto& ch : changes) {
        SCOPED_TRACE(ch.what);
        campaign changed = c;
        ch.apply(changed);
        ASSERT_NE(changed, c);
        const import_stats s = import_campaigns(db_, {changed});
        EXPECT_EQ(s.updated, 1);
        EXPECT_EQ(s.inserted, 0);
        EXPECT_EQ(s.archived, 0);
        EXPECT_EQ(s.unchanged, items_in(c) - 1);
        EXPECT_EQ(*load_campaign(db_, c.slug), changed);
        const import_stats again = import_campaigns(db_, {changed});
        EXPECT_EQ(again.updated, 0);
        EXPECT_EQ(again.unchanged, items_in(c));
        // And back.
        EXPECT_EQ(import_campaigns(db_, {c}).updated, 1);
        EXPECT_EQ(*load_campaign(db_, c.slug), c);
    }
    // The replaced children leave no orphans.
    EXPECT_EQ(count(db_, "SELECT count(*) FROM outlet_blackouts"), 2);
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_dayparts"), 2);
}

TEST_F(CampaignStore, ExportOfAnImportReadsBackTheSameRules) {
    const campaign c = rich_campaign();
    import_campaigns(db_, {c});
    const std::string yaml = write_campaign_yaml(*load_campaign(db_, c.slug));
    EXPECT_NE(yaml.find("flight: {key_date: 2024-07-30, days_before: 29, days_after: 1}"), std::string::npos)
        << yaml;
    EXPECT_NE(yaml.find("planning: {separate_departments: false}"), std::string::npos);
    EXPECT_NE(yaml.find("min_gap_minutes: 120"), std::string::npos);
}

// The web editor shows the planner's rules and sends them back: an edit keeps them unless it changes
// them, and a change of a rule alone is an edit (a new version, to be approved again).
class CampaignStoreWebEdit : public CampaignStore {
protected:
    void SetUp() override { import_campaigns(db_, {rich_campaign()}); }

    // What the message form sends: the content and the planner's rules (the relative flight is the
    // file's: the form sends the dates).
    static message form_of(const message& m) {
        message f;
        f.department = m.department;
        f.title = m.title;
        f.text = m.text;
        f.channels = m.channels;
        f.duration_s = m.duration_s;
        f.priority = m.priority;
        f.flight_start = m.flight_start;
        f.flight_end = m.flight_end;
        f.airings = m.airings;
        f.audiences = m.audiences;
        f.outlets = m.outlets;
        f.airings_per_day = m.airings_per_day;
        f.airings_per_week = m.airings_per_week;
        f.max_per_outlet_per_day = m.max_per_outlet_per_day;
        f.min_gap_minutes = m.min_gap_minutes;
        f.dayparts = m.dayparts;
        return f;
    }

    static void expect_rules_of(const message& got, const message& want) {
        EXPECT_EQ(got.airings_per_day, want.airings_per_day);
        EXPECT_EQ(got.airings_per_week, want.airings_per_week);
        EXPECT_EQ(got.max_per_outlet_per_day, want.max_per_outlet_per_day);
        EXPECT_EQ(got.min_gap_minutes, want.min_gap_minutes);
        EXPECT_EQ(got.dayparts, want.dayparts);
        EXPECT_EQ(got.flight_relative, want.flight_relative);
    }

    const std::string slug_ = "haiphong-2024";
    const message spot_ = rich_campaign().messages[0];
    const message_actor editor_{std::nullopt, "Nguyễn Thị Hoa"};
};

TEST_F(CampaignStoreWebEdit, AnEditOfTheTextKeepsEveryRule) {
    message form = form_of(spot_);
    form.text.vi = "Hãy gọi ngay 111 — miễn phí, suốt ngày đêm";
    const message_result r = update_message(db_, slug_, "spot-30s", form, editor_);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.version, 2);
    expect_rules_of(r.value.item, spot_);
    expect_rules_of(find_message(db_, slug_, "spot-30s")->item, spot_);
    expect_rules_of(list_messages(db_, slug_)->front().item, spot_);
    const message loaded = load_campaign(db_, slug_)->messages[0];
    expect_rules_of(loaded, spot_);
    EXPECT_EQ(loaded.text.vi, "Hãy gọi ngay 111 — miễn phí, suốt ngày đêm");
    EXPECT_EQ(count(db_, "SELECT count(*) FROM message_dayparts"), 2);
    // Approved again in the workflow, the approved content carries the rules too.
    ASSERT_TRUE(submit_message(db_, slug_, "spot-30s", editor_).ok());
    ASSERT_TRUE(approve_message(db_, slug_, "spot-30s", editor_, 2, "").ok());
    const auto approved = approved_message(db_, slug_, "spot-30s");
    ASSERT_TRUE(approved);
    expect_rules_of(*approved, spot_);
    EXPECT_EQ(approved->text.vi, "Hãy gọi ngay 111 — miễn phí, suốt ngày đêm");
}

TEST_F(CampaignStoreWebEdit, AnEditOfTheFlightDaysMakesTheFlightPlainDates) {
    message form = form_of(spot_);
    form.flight_start = 2024_y / July / 15;
    const message_result r = update_message(db_, slug_, "spot-30s", form, editor_);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value.item.flight_relative);
    EXPECT_EQ(r.value.item.min_gap_minutes, spot_.min_gap_minutes);
    EXPECT_EQ(r.value.item.dayparts, spot_.dayparts);
    const campaign loaded = *load_campaign(db_, slug_);
    EXPECT_FALSE(loaded.messages[0].flight_relative);
    EXPECT_EQ(loaded.messages[0].flight_start, 2024_y / July / 15);
    const std::string yaml = write_campaign_yaml(loaded);
    EXPECT_NE(yaml.find("flight: {start: 2024-07-15, end: 2024-07-31}"), std::string::npos) << yaml;
}

TEST_F(CampaignStoreWebEdit, AFileImportLeavesTheRulesOfAnEditedMessageAlone) {
    message form = form_of(spot_);
    form.priority = 9;
    ASSERT_TRUE(update_message(db_, slug_, "spot-30s", form, editor_).ok());
    campaign file = rich_campaign();
    file.messages[0].min_gap_minutes = 30;
    file.messages[0].dayparts = {"sang"};
    const std::string updated_at =
        db_.sql().execAndGet("SELECT updated_at FROM messages WHERE code = 'spot-30s'").getString();
    import_campaigns(db_, {file});
    EXPECT_EQ(db_.sql().execAndGet("SELECT updated_at FROM messages WHERE code = 'spot-30s'").getString(),
              updated_at);
    const message loaded = load_campaign(db_, slug_)->messages[0];
    expect_rules_of(loaded, spot_);
    EXPECT_EQ(loaded.priority, 9);
}

TEST_F(CampaignStoreWebEdit, AChangeOfARuleAloneIsANewVersionToApproveAgain) {
    ASSERT_EQ(spot_.state, "approved");  // in the file
    // The same rules again, dayparts ticked in another order: nothing changed.
    message same = form_of(spot_);
    std::reverse(same.dayparts.begin(), same.dayparts.end());
    const message_result unchanged = update_message(db_, slug_, "spot-30s", same, editor_);
    ASSERT_TRUE(unchanged.ok());
    EXPECT_EQ(unchanged.value.item.state, "approved");
    EXPECT_EQ(unchanged.value.item.dayparts, spot_.dayparts);
    const int version = unchanged.value.version;

    message form = form_of(spot_);
    form.min_gap_minutes = 240;
    form.dayparts = {"gio-vang"};
    form.airings_per_day = 0;
    const message_result r = update_message(db_, slug_, "spot-30s", form, editor_);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.version, version + 1);
    EXPECT_EQ(r.value.item.state, "draft");
    EXPECT_EQ(r.value.item.min_gap_minutes, 240);
    EXPECT_EQ(r.value.item.dayparts, std::vector<std::string>{"gio-vang"});
    EXPECT_EQ(r.value.item.airings_per_day, 0);
    EXPECT_EQ(r.value.item.flight_relative, spot_.flight_relative);  // the dates did not change
    const message loaded = load_campaign(db_, slug_)->messages[0];
    EXPECT_EQ(loaded.min_gap_minutes, 240);
    EXPECT_EQ(loaded.dayparts, std::vector<std::string>{"gio-vang"});
    EXPECT_FALSE(approved_message(db_, slug_, "spot-30s"));
    // The version holds the rules it was saved with; the one before it too, as the file gave them.
    const auto history = find_message_history(db_, slug_, "spot-30s");
    ASSERT_TRUE(history);
    ASSERT_GE(history->versions.size(), 2U);
    EXPECT_TRUE(history->versions[0].rules_recorded);
    EXPECT_EQ(history->versions[0].content.min_gap_minutes, 240);
    EXPECT_TRUE(history->versions[1].rules_recorded);
    EXPECT_EQ(history->versions[1].content.min_gap_minutes, spot_.min_gap_minutes);
    EXPECT_EQ(history->versions[1].content.dayparts, spot_.dayparts);
}

TEST_F(CampaignStoreWebEdit, ADaypartNoOutletOfTheMessageHasIsRefused) {
    message form = form_of(spot_);
    form.dayparts = {"gio-vang", "khong-co"};
    EXPECT_EQ(update_message(db_, slug_, "spot-30s", form, editor_).error, message_errc::unknown_daypart);
    message created = form_of(spot_);
    created.title = {"Thông điệp mới", ""};
    created.dayparts = {"khong-co"};
    EXPECT_EQ(create_message(db_, slug_, created, editor_).error, message_errc::unknown_daypart);
    // Nothing was written.
    EXPECT_EQ(load_campaign(db_, slug_)->messages[0].dayparts, spot_.dayparts);
    EXPECT_EQ(load_campaign(db_, slug_)->messages.size(), rich_campaign().messages.size());
}

TEST_F(CampaignStoreWebEdit, AMessageCreatedWithRulesStoresThem) {
    message m = form_of(spot_);
    m.title = {"Thông điệp mới", ""};
    m.airings_per_day = 2;
    m.min_gap_minutes = 45;
    m.dayparts = {"gio-vang"};
    m.flight_relative = relative_flight{2024_y / July / 30, 29, 1};
    const message_result r = create_message(db_, slug_, m, editor_);
    ASSERT_TRUE(r.ok());
    expect_rules_of(r.value.item, m);
    expect_rules_of(load_campaign(db_, slug_)->messages.back(), m);
}

}  // namespace campaign_store_test_cpp
}  // namespace
