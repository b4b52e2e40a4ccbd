// Activity writes from the forms against real SQLite files: codes, audit rows, cancel, and imports
// that leave web items alone.
#include "core/storage/activity_store.hpp"

#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "core/storage/campaign_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace activity_store_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::July;

using loa::testing::temp_dir;

local_time at(date::year_month_day d, std::chrono::minutes tod) {
    return local_time{date::local_days{d}} + tod;
}

campaign file_campaign() {
    campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", ""};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", ""};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.audiences = {{"phu-huynh", {"Phụ huynh", "Parents"}}, {"hoc-sinh", {"Học sinh", ""}}};
    c.departments = {{"cong-an", {"Công an thành phố", "City police"}, {}},
                     {"giao-duc", {"Sở Giáo dục và Đào tạo", ""}, {}}};
    activity press;
    press.id = "hop-bao";
    press.department = "cong-an";
    press.kind = "press_conference";
    press.title = {"Họp báo định kỳ", "Monthly press conference"};
    press.start = at(2024_y / July / 4, 9h);
    press.end = at(2024_y / July / 4, 10h + 30min);
    press.rrule = "FREQ=MONTHLY;BYDAY=1TH;COUNT=6";
    press.location = {"Trụ sở Công an thành phố", ""};
    press.audiences = {"phu-huynh"};
    c.activities = {press};
    return c;
}

activity weekly_session() {
    activity a;
    a.department = "giao-duc";
    a.kind = "school_session";
    a.title = {"Buổi học ngoại khóa về an toàn", "Safety lesson"};
    a.description = {"Dành cho học sinh \"lớp 6\"\nvà phụ huynh", ""};
    a.start = at(2024_y / July / 3, 8h);
    a.end = at(2024_y / July / 3, 9h + 30min);
    a.rrule = "FREQ=WEEKLY;BYDAY=WE;COUNT=4";
    a.location = {"Nhà văn hóa quận Lê Chân", ""};
    a.audiences = {"hoc-sinh", "phu-huynh"};
    a.vis = visibility::internal;
    return a;
}

const change_actor editor{42, "Nguyễn Thị Hoa"};

struct audit_row {
    std::string actor, entity, entity_key, action;
    bool has_before = false, has_after = false;
    std::string before, after;
    long long user_id = 0;
};

std::vector<audit_row> audit_rows(const fs::path& file) {
    SQLite::Database db(file.string());
    SQLite::Statement st(
        db,
        "SELECT actor, entity, entity_key, action, before_json, after_json, COALESCE(user_id, 0) "
        "FROM audit_log ORDER BY id");
    std::vector<audit_row> out;
    while (st.executeStep()) {
        audit_row r;
        r.actor = st.getColumn(0).getString();
        r.entity = st.getColumn(1).getString();
        r.entity_key = st.getColumn(2).getString();
        r.action = st.getColumn(3).getString();
        r.has_before = !st.getColumn(4).isNull();
        r.has_after = !st.getColumn(5).isNull();
        r.before = st.getColumn(4).getString();
        r.after = st.getColumn(5).getString();
        r.user_id = st.getColumn(6).getInt64();
        out.push_back(r);
    }
    return out;
}

class ActivityStore : public ::testing::Test {
protected:
    void SetUp() override {
        database db(path());
        import_campaigns(db, {file_campaign()});
        // The audit log refers to users by id: the two who make changes below.
        db.sql().exec(
            "INSERT INTO users (id, name, password_hash, role, department, created_at, updated_at) VALUES "
            "(42, 'Nguyễn Thị Hoa', 'x', 'editor', 'giao-duc', '2024-07-01T00:00:00Z', "
            "'2024-07-01T00:00:00Z'), "
            "(7, 'Trần Văn Nam', 'x', 'admin', '', '2024-07-01T00:00:00Z', '2024-07-01T00:00:00Z')");
    }
    [[nodiscard]] fs::path path() const { return dir_.file("loa.db"); }
    temp_dir dir_;
};

TEST_F(ActivityStore, CreateStoresAWebActivityWithACodeFromTheTitle) {
    database db(path());
    const auto r = create_activity(db, "hp-2024", weekly_session(), editor);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.item.id, "buoi-hoc-ngoai-khoa-ve-an-toan");
    EXPECT_EQ(r.value.origin, "web");
    EXPECT_FALSE(r.value.cancelled);

    // What the store gives back, and what load_campaign (the API, export) sees.
    auto expected = weekly_session();
    expected.id = r.value.item.id;
    EXPECT_EQ(r.value.item, expected);
    const auto c = load_campaign(db, "hp-2024");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->activities.size(), 2U);
    EXPECT_EQ(c->activities[1], expected);
}

TEST_F(ActivityStore, CodesStayUniqueInTheCampaign) {
    database db(path());
    auto a = weekly_session();
    const auto first = create_activity(db, "hp-2024", a, editor);
    const auto second = create_activity(db, "hp-2024", a, editor);
    a.title = {"Họp báo", ""};  // the file already has "hop-bao"
    const auto third = create_activity(db, "hp-2024", a, editor);
    a.title = {"!!!", ""};
    const auto fourth = create_activity(db, "hp-2024", a, editor);
    ASSERT_TRUE(first.ok() && second.ok() && third.ok() && fourth.ok());
    EXPECT_EQ(first.value.item.id, "buoi-hoc-ngoai-khoa-ve-an-toan");
    EXPECT_EQ(second.value.item.id, "buoi-hoc-ngoai-khoa-ve-an-toan-2");
    EXPECT_EQ(third.value.item.id, "hop-bao-2");
    EXPECT_EQ(fourth.value.item.id, "activity");
}

TEST_F(ActivityStore, CreateWritesOneAuditRowWithTheActivityAsJson) {
    {
        database db(path());
        ASSERT_TRUE(create_activity(db, "hp-2024", weekly_session(), editor).ok());
    }
    const auto rows = audit_rows(path());
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].actor, "Nguyễn Thị Hoa");
    EXPECT_EQ(rows[0].user_id, 42);
    EXPECT_EQ(rows[0].entity, "activity");
    EXPECT_EQ(rows[0].entity_key, "buoi-hoc-ngoai-khoa-ve-an-toan");
    EXPECT_EQ(rows[0].action, "create");
    EXPECT_FALSE(rows[0].has_before);
    ASSERT_TRUE(rows[0].has_after);
    EXPECT_NE(rows[0].after.find(R"("title":{"vi":"Buổi học ngoại khóa về an toàn","en":"Safety lesson"})"),
              std::string::npos)
        << rows[0].after;
    EXPECT_NE(rows[0].after.find(R"("description":{"vi":"Dành cho học sinh \"lớp 6\"\nvà phụ huynh")"),
              std::string::npos)
        << rows[0].after;
    EXPECT_NE(rows[0].after.find(R"("start":"2024-07-03T08:00:00")"), std::string::npos);
    EXPECT_NE(rows[0].after.find(R"("audiences":["hoc-sinh","phu-huynh"])"), std::string::npos);
    EXPECT_NE(rows[0].after.find(R"("visibility":"internal")"), std::string::npos);
    EXPECT_NE(rows[0].after.find(R"("cancelled":false)"), std::string::npos);
}

TEST_F(ActivityStore, UnknownReferencesWriteNothing) {
    database db(path());
    auto a = weekly_session();
    a.department = "y-te";
    EXPECT_EQ(create_activity(db, "hp-2024", a, editor).error, activity_errc::unknown_department);
    a = weekly_session();
    a.audiences = {"hoc-sinh", "ngu-dan"};
    EXPECT_EQ(create_activity(db, "hp-2024", a, editor).error, activity_errc::unknown_audience);
    EXPECT_EQ(create_activity(db, "khong-co", weekly_session(), editor).error,
              activity_errc::unknown_campaign);
    EXPECT_EQ(list_activities(db, "hp-2024")->size(), 1U);
    EXPECT_TRUE(audit_rows(path()).empty());
}

TEST_F(ActivityStore, EditReplacesTheFieldsAndRecordsBeforeAndAfter) {
    database db(path());
    const auto created = create_activity(db, "hp-2024", weekly_session(), editor);
    ASSERT_TRUE(created.ok());
    auto changed = weekly_session();
    changed.title = {"Buổi học kỹ năng tự bảo vệ", ""};
    changed.end = at(2024_y / July / 3, 10h);
    changed.audiences = {"phu-huynh"};
    changed.rrule = "";
    const auto r = update_activity(db, "hp-2024", created.value.item.id, changed, editor);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.item.id, created.value.item.id);  // the code never changes
    EXPECT_EQ(r.value.item.title.vi, "Buổi học kỹ năng tự bảo vệ");
    EXPECT_EQ(r.value.item.audiences, std::vector<std::string>{"phu-huynh"});
    EXPECT_EQ(r.value.item.rrule, "");
    EXPECT_EQ(find_activity(db, "hp-2024", created.value.item.id)->item, r.value.item);

    const auto rows = audit_rows(path());
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[1].action, "edit");
    EXPECT_NE(rows[1].before.find("Buổi học ngoại khóa về an toàn"), std::string::npos);
    EXPECT_NE(rows[1].after.find("Buổi học kỹ năng tự bảo vệ"), std::string::npos);
    EXPECT_NE(rows[1].before.find(R"("end":"2024-07-03T09:30:00")"), std::string::npos);
    EXPECT_NE(rows[1].after.find(R"("end":"2024-07-03T10:00:00")"), std::string::npos);
}

TEST_F(ActivityStore, AnEditFromAFormLoadedBeforeAnotherChangeIsRefused) {
    database db(path());
    const auto created = create_activity(db, "hp-2024", weekly_session(), editor);
    ASSERT_TRUE(created.ok());
    const std::string loaded = activity_fingerprint(created.value);
    EXPECT_EQ(loaded.size(), 32U);
    auto place = weekly_session();
    place.location = {"Phòng họp số 3", ""};
    const auto saved = update_activity(db, "hp-2024", created.value.item.id, place, editor, loaded);
    ASSERT_TRUE(saved.ok());
    EXPECT_NE(activity_fingerprint(saved.value), loaded);
    auto title = weekly_session();
    title.title = {"Buổi học kỹ năng tự bảo vệ", ""};
    const auto stale = update_activity(db, "hp-2024", created.value.item.id, title, editor, loaded);
    EXPECT_EQ(stale.error, activity_errc::changed_meanwhile);
    EXPECT_EQ(stale.value.item.location.vi, "Phòng họp số 3");  // the activity as it is now
    EXPECT_EQ(find_activity(db, "hp-2024", created.value.item.id)->item.location.vi, "Phòng họp số 3");
    EXPECT_EQ(audit_rows(path()).size(), 2U);  // create, the first edit
    // With the current fingerprint, or none, the edit goes through.
    EXPECT_TRUE(update_activity(db, "hp-2024", created.value.item.id, title, editor,
                                activity_fingerprint(stale.value)).ok());
}

TEST_F(ActivityStore, SavingUnchangedWritesNothing) {
    database db(path());
    const auto file_item = find_activity(db, "hp-2024", "hop-bao");
    ASSERT_TRUE(file_item);
    const auto r = update_activity(db, "hp-2024", "hop-bao", file_item->item, editor);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.origin, "file");
    EXPECT_TRUE(audit_rows(path()).empty());
    // The same audiences in the form's order (the campaign's) are no change either.
    activity two = file_item->item;
    two.audiences = {"hoc-sinh", "phu-huynh"};
    ASSERT_TRUE(update_activity(db, "hp-2024", "hop-bao", two, editor).ok());
    ASSERT_EQ(audit_rows(path()).size(), 1U);
    activity reordered = two;
    reordered.audiences = {"phu-huynh", "hoc-sinh"};
    const auto same = update_activity(db, "hp-2024", "hop-bao", reordered, editor);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same.value.item.audiences, two.audiences);
    EXPECT_EQ(audit_rows(path()).size(), 1U);
}

TEST_F(ActivityStore, EditOfUnknownActivityIsNotFound) {
    database db(path());
    EXPECT_EQ(update_activity(db, "hp-2024", "khong-co", weekly_session(), editor).error,
              activity_errc::not_found);
    EXPECT_EQ(cancel_activity(db, "hp-2024", "khong-co", editor).error, activity_errc::not_found);
    EXPECT_FALSE(find_activity(db, "hp-2024", "khong-co"));
    EXPECT_FALSE(list_activities(db, "khong-co"));
}

TEST_F(ActivityStore, CancelKeepsTheActivityMarkedAndAudited) {
    database db(path());
    const auto created = create_activity(db, "hp-2024", weekly_session(), editor);
    const std::string code = created.value.item.id;
    const auto r = cancel_activity(db, "hp-2024", code, {7, "Trần Văn Nam"});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value.cancelled);
    const auto all = list_activities(db, "hp-2024");
    ASSERT_EQ(all->size(), 2U);
    EXPECT_TRUE((*all)[1].cancelled);
    EXPECT_FALSE((*all)[0].cancelled);

    // Cancelled once: a second cancel and an edit are refused and write nothing.
    EXPECT_EQ(cancel_activity(db, "hp-2024", code, editor).error, activity_errc::already_cancelled);
    EXPECT_EQ(update_activity(db, "hp-2024", code, weekly_session(), editor).error,
              activity_errc::already_cancelled);
    const auto rows = audit_rows(path());
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[1].action, "cancel");
    EXPECT_EQ(rows[1].actor, "Trần Văn Nam");
    EXPECT_NE(rows[1].before.find(R"("cancelled":false)"), std::string::npos);
    EXPECT_NE(rows[1].after.find(R"("cancelled":true)"), std::string::npos);
}

TEST_F(ActivityStore, ImportNeverArchivesWebActivities) {
    database db(path());
    const auto created = create_activity(db, "hp-2024", weekly_session(), editor);
    ASSERT_TRUE(created.ok());
    // The file drops its own activity: that one is archived, the web one stays.
    campaign c = file_campaign();
    c.activities.clear();
    const auto stats = import_campaigns(db, {c});
    EXPECT_EQ(stats.archived, 1);
    const auto all = list_activities(db, "hp-2024");
    ASSERT_EQ(all->size(), 1U);
    EXPECT_EQ((*all)[0].item.id, created.value.item.id);
    EXPECT_EQ((*all)[0].origin, "web");
}

TEST_F(ActivityStore, AnImportCannotMoveAWebActivityIntoTimeTheClocksSkip) {
    database db(path());
    // A web activity on the campaign's clock at 01:30 on 30 March 2025 (Vietnam: a normal night).
    auto night = weekly_session();
    night.rrule = "";
    night.start = at(2025_y / date::March / 30, 1h + 30min);
    night.end = at(2025_y / date::March / 30, 3h);
    const auto created = create_activity(db, "hp-2024", night, editor);
    ASSERT_TRUE(created.ok());
    // A file that moves the campaign to London, where 01:00-02:00 that night does not exist.
    campaign c = file_campaign();
    c.time_zone = "Europe/London";
    try {
        (void)import_campaigns(db, {c});
        ADD_FAILURE() << "imported";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("activity '" + created.value.item.id +
                                             "' (made or edited in the web forms) starts at 2025-03-30T01:30, a time "
                                             "the file's zone Europe/London skips (daylight saving time)"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(load_campaign(db, "hp-2024")->time_zone, "Asia/Ho_Chi_Minh");  // nothing imported
    // With its own zone the activity keeps its clock, whatever the campaign's.
    night.time_zone = "Asia/Ho_Chi_Minh";
    ASSERT_TRUE(update_activity(db, "hp-2024", created.value.item.id, night, editor).ok());
    EXPECT_NO_THROW((void)import_campaigns(db, {c}));
}

TEST_F(ActivityStore, AFileActivityEditedOnTheWebIsLeftByLaterImports) {
    database db(path());
    auto changed = find_activity(db, "hp-2024", "hop-bao")->item;
    changed.location = {"Hội trường Ủy ban nhân dân thành phố", ""};
    const auto r = update_activity(db, "hp-2024", "hop-bao", changed, editor);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.origin, "web");

    // Importing the unchanged file does not put the old location back …
    const auto again = import_campaigns(db, {file_campaign()});
    EXPECT_EQ(again.updated, 0);
    EXPECT_EQ(again.archived, 0);
    EXPECT_EQ(find_activity(db, "hp-2024", "hop-bao")->item.location.vi,
              "Hội trường Ủy ban nhân dân thành phố");
    // … and a file without it does not archive it.
    campaign without = file_campaign();
    without.activities.clear();
    EXPECT_EQ(import_campaigns(db, {without}).archived, 0);
    EXPECT_TRUE(find_activity(db, "hp-2024", "hop-bao"));
}

TEST_F(ActivityStore, ACancelledFileActivityStaysCancelledAfterImport) {
    database db(path());
    ASSERT_TRUE(cancel_activity(db, "hp-2024", "hop-bao", editor).ok());
    campaign c = file_campaign();
    c.activities[0].title = {"Họp báo định kỳ tháng", ""};
    import_campaigns(db, {c});
    const auto a = find_activity(db, "hp-2024", "hop-bao");
    EXPECT_TRUE(a->cancelled);
    EXPECT_EQ(a->item.title.vi, "Họp báo định kỳ tháng");
}

TEST_F(ActivityStore, ListKeepsTheCampaignOrderWithWebItemsLast) {
    database db(path());
    ASSERT_TRUE(create_activity(db, "hp-2024", weekly_session(), editor).ok());
    const auto all = list_activities(db, "hp-2024");
    ASSERT_EQ(all->size(), 2U);
    EXPECT_EQ((*all)[0].item.id, "hop-bao");
    EXPECT_EQ((*all)[0].origin, "file");
    EXPECT_EQ((*all)[0].item.audiences, std::vector<std::string>{"phu-huynh"});
    EXPECT_EQ((*all)[1].item.audiences, (std::vector<std::string>{"hoc-sinh", "phu-huynh"}));
    EXPECT_FALSE((*all)[1].updated_at.empty());
}

TEST_F(ActivityStore, AFailedAuditWriteRollsBackTheChange) {
    {
        // A trigger that makes every audit insert fail stands in for a full disk mid-transaction.
        SQLite::Database raw(path().string(), SQLite::OPEN_READWRITE);
        raw.exec(
            "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); "
            "END");
    }
    database db(path());
    EXPECT_ANY_THROW((void)create_activity(db, "hp-2024", weekly_session(), editor));
    EXPECT_ANY_THROW((void)cancel_activity(db, "hp-2024", "hop-bao", editor));
    const auto all = list_activities(db, "hp-2024");
    ASSERT_EQ(all->size(), 1U);
    EXPECT_FALSE((*all)[0].cancelled);
}

}  // namespace activity_store_test_cpp
}  // namespace
