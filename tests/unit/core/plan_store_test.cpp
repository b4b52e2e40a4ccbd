// The plan store against real SQLite files: runs with their placements and audit rows, re-plans that
// keep what they are told to and every non-planned placement, rollback on unknown codes, archived
// messages, and the placement state workflow with make-good links.
#include "core/storage/plan_store.hpp"

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::July;

using loa::testing::temp_dir;

constexpr const char* slug = "haiphong-2024";

campaign small_campaign(bool with_sms_message = true) {
    campaign c;
    c.slug = slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.departments = {{"truyen-thong", {"Sở Thông tin và Truyền thông", ""}, {}},
                     {"giao-duc", {"Sở Giáo dục và Đào tạo", ""}, {}}};
    outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Truyền hình Hải Phòng", ""};
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi"};
    tv.dayparts = {{"prime", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 10.0}};
    tv.break_clock = {{15, std::nullopt, 120, {}}};
    outlet radio = tv;
    radio.slug = "thp-radio";
    radio.name = {"Phát thanh Hải Phòng", ""};
    radio.kind = "radio";
    c.outlets = {tv, radio};
    message spot;
    spot.id = "spot-111";
    spot.department = "truyen-thong";
    spot.text = {"Hãy gọi 111 khi thấy dấu hiệu mua bán người.", ""};
    spot.channels = {"tv", "radio"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = 2024_y / July / 1;
    spot.flight_end = 2024_y / July / 31;
    spot.airings = 10;
    spot.state = "approved";
    message school = spot;
    school.id = "truong-hoc";
    school.department = "giao-duc";
    school.text = {"Không đi theo người lạ, kể cả khi được cho kẹo.", ""};
    c.messages = {spot, school};
    if (!with_sms_message) c.messages.pop_back();
    return c;
}

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

new_placement at(const std::string& message, const std::string& outlet, std::chrono::sys_seconds start) {
    new_placement p;
    p.message = message;
    p.outlet = outlet;
    p.start = start;
    p.duration_s = 30;
    p.daypart = "prime";
    p.weight = 10.0;
    p.value = 80.0;
    return p;
}

plan_run run_of(double objective, int placed, int wanted) {
    plan_run r;
    r.campaign = slug;
    r.range_from = "2024-07-01";
    r.range_to = "2024-07-31";
    r.as_of = "2024-06-25T00:00:00Z";
    r.objective = objective;
    r.bound = objective + 10;
    r.gap = 10 / (objective + 10);
    r.placed = placed;
    r.wanted = wanted;
    r.report_json = R"({"objective":1})";
    return r;
}

class PlanStore : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {small_campaign()});
    }

    int count(const std::string& sql) { return db_->sql().execAndGet(sql).getInt(); }

    temp_dir dir_;
    std::optional<database> db_;
    audit_actor cli_{std::nullopt, "cli"};
};

TEST_F(PlanStore, EmptyForUnknownCampaignAndBeforeAnyRun) {
    EXPECT_TRUE(load_placements(*db_, "khong-co").empty());
    EXPECT_TRUE(load_placements(*db_, slug).empty());
    EXPECT_TRUE(list_plan_runs(*db_, slug).empty());
    EXPECT_FALSE(latest_plan_run(*db_, slug).has_value());
    EXPECT_FALSE(latest_plan_run(*db_, "khong-co").has_value());
}

TEST_F(PlanStore, StoresARunWithItsPlacementsAndAnAuditRow) {
    // 19:15 in Hai Phong (UTC+7) is 12:15 UTC.
    const auto t1 = utc(2024_y / July / 30, 12h + 15min);
    const auto t2 = utc(2024_y / July / 29, 13h + 15min);
    const std::int64_t id =
        store_plan(*db_, run_of(160, 2, 20), {},
                   {at("spot-111", "thp-tv", t1), at("truong-hoc", "thp-radio", t2)}, cli_);
    EXPECT_GT(id, 0);

    const auto placements = load_placements(*db_, slug);
    ASSERT_EQ(placements.size(), 2u);
    // Ordered by start: the 29 July one first.
    EXPECT_EQ(placements[0].message, "truong-hoc");
    EXPECT_EQ(placements[0].outlet, "thp-radio");
    EXPECT_EQ(placements[0].start, t2);
    EXPECT_EQ(placements[1].message, "spot-111");
    EXPECT_EQ(placements[1].outlet, "thp-tv");
    EXPECT_EQ(placements[1].start, t1);
    EXPECT_EQ(placements[1].duration_s, 30);
    EXPECT_EQ(placements[1].daypart, "prime");
    EXPECT_DOUBLE_EQ(placements[1].weight, 10.0);
    EXPECT_DOUBLE_EQ(placements[1].value, 80.0);
    EXPECT_EQ(placements[1].state, "planned");
    EXPECT_EQ(placements[1].plan_run_id, id);
    EXPECT_FALSE(placements[1].make_good_of.has_value());
    EXPECT_FALSE(placements[1].made_good);
    EXPECT_FALSE(placements[1].aired_at.has_value());

    // Instants are stored as UTC text with whole seconds, so that text order is time order.
    SQLite::Statement st(db_->sql(), "SELECT start_utc, created_at FROM placements ORDER BY start_utc");
    ASSERT_TRUE(st.executeStep());
    EXPECT_EQ(st.getColumn(0).getString(), "2024-07-29T13:15:00Z");
    const std::string created = st.getColumn(1).getString();
    ASSERT_EQ(created.size(), 20u) << created;
    EXPECT_EQ(created[10], 'T');
    EXPECT_EQ(created.back(), 'Z');

    const auto run = latest_plan_run(*db_, slug);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->id, id);
    EXPECT_EQ(run->campaign, slug);
    EXPECT_EQ(run->actor, "cli");
    EXPECT_EQ(run->range_from, "2024-07-01");
    EXPECT_EQ(run->range_to, "2024-07-31");
    EXPECT_EQ(run->as_of, "2024-06-25T00:00:00Z");
    EXPECT_DOUBLE_EQ(run->objective, 160);
    EXPECT_DOUBLE_EQ(run->bound, 170);
    EXPECT_EQ(run->placed, 2);
    EXPECT_EQ(run->wanted, 20);
    EXPECT_EQ(run->report_json, R"({"objective":1})");
    EXPECT_EQ(run->created_at.size(), 20u);

    audit_query q;
    q.entity = "plan";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 1);
    EXPECT_EQ(audit.records[0].action, "run");
    EXPECT_EQ(audit.records[0].entity_key, std::to_string(id));
    EXPECT_EQ(audit.records[0].actor, "cli");
    ASSERT_TRUE(audit.records[0].after_json.has_value());
    EXPECT_NE(audit.records[0].after_json->find(R"("added":2)"), std::string::npos)
        << *audit.records[0].after_json;
    EXPECT_NE(audit.records[0].after_json->find(R"("objective_micro":160000000)"), std::string::npos);
}

TEST_F(PlanStore, ActorOfAUserRun) {
    SQLite::Statement add(db_->sql(),
                          "INSERT INTO users (name, password_hash, role, department, created_at, updated_at) "
                          "VALUES ('Trần Văn Bình', 'x', 'approver', '', '2024-07-01T00:00:00.000Z', "
                          "'2024-07-01T00:00:00.000Z')");
    add.exec();
    const audit_actor approver{db_->sql().getLastInsertRowid(), "Trần Văn Bình"};
    store_plan(*db_, run_of(0, 0, 0), {}, {}, approver);
    const auto run = latest_plan_run(*db_, slug);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->actor, "user:Trần Văn Bình");
}

TEST_F(PlanStore, ReplanReplacesOnlyPlannedPlacementsNotKept) {
    const auto d = 2024_y / July / 20;
    const std::int64_t first = store_plan(
        *db_, run_of(240, 3, 20), {},
        {at("spot-111", "thp-tv", utc(d, 12h + 15min)), at("spot-111", "thp-tv", utc(d, 13h + 15min)),
         at("spot-111", "thp-tv", utc(d, 14h + 15min))},
        cli_);
    auto before = load_placements(*db_, slug);
    ASSERT_EQ(before.size(), 3u);
    // The first has been sent to the outlet: not planned any more, so never replaced.
    ASSERT_TRUE(set_placement_state(*db_, slug, before[0].id, "published", std::nullopt, "", cli_));

    // The new plan keeps the second, drops the third, adds one.
    const std::int64_t second = store_plan(*db_, run_of(160, 3, 20), {before[1].id},
                                           {at("truong-hoc", "thp-radio", utc(d, 12h + 15min))}, cli_);
    EXPECT_GT(second, first);
    const auto after = load_placements(*db_, slug);
    ASSERT_EQ(after.size(), 3u);
    std::set<std::int64_t> ids;
    for (const auto& p : after) {
        ids.insert(p.id);
        // (SQLite may give the new row the deleted one's id: compare by content.)
        EXPECT_FALSE(p.message == "spot-111" && p.start == before[2].start)
            << "the dropped placement is still there";
    }
    EXPECT_TRUE(ids.contains(before[0].id));
    EXPECT_TRUE(ids.contains(before[1].id));
    for (const auto& p : after) {
        if (p.id == before[0].id) {
            EXPECT_EQ(p.state, "published");
            EXPECT_EQ(p.plan_run_id, first);
        } else if (p.id == before[1].id) {
            EXPECT_EQ(p.plan_run_id, first);  // kept as it was
        } else {
            EXPECT_EQ(p.message, "truong-hoc");
            EXPECT_EQ(p.plan_run_id, second);
        }
    }

    const auto runs = list_plan_runs(*db_, slug);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].id, second);  // newest first
    EXPECT_EQ(runs[1].id, first);
    EXPECT_EQ(list_plan_runs(*db_, slug, 1).size(), 1u);
    EXPECT_TRUE(list_plan_runs(*db_, slug, 0).empty());
}

TEST_F(PlanStore, UnknownCodesStoreNothing) {
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(2024_y / July / 2, 12h + 15min))},
               cli_);
    const int runs = count("SELECT COUNT(*) FROM plan_runs");
    const int audit = count("SELECT COUNT(*) FROM audit_log");

    EXPECT_THROW(
        store_plan(*db_, run_of(0, 0, 10), {}, {at("khong-co", "thp-tv", utc(2024_y / July / 3, 12h))}, cli_),
        std::invalid_argument);
    EXPECT_THROW(
        store_plan(*db_, run_of(0, 0, 10), {}, {at("spot-111", "vtv1", utc(2024_y / July / 3, 12h))}, cli_),
        std::invalid_argument);
    auto mg = at("spot-111", "thp-tv", utc(2024_y / July / 3, 12h));
    mg.make_good_of = 999;
    EXPECT_THROW(store_plan(*db_, run_of(0, 0, 10), {}, {mg}, cli_), std::invalid_argument);
    plan_run other = run_of(0, 0, 0);
    other.campaign = "khong-co";
    EXPECT_THROW(store_plan(*db_, other, {}, {}, cli_), std::invalid_argument);

    // The failed runs deleted nothing (the first run's placement was not kept by them) and added nothing.
    EXPECT_EQ(count("SELECT COUNT(*) FROM plan_runs"), runs);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audit);
    ASSERT_EQ(load_placements(*db_, slug).size(), 1u);
}

TEST_F(PlanStore, PlacementsOfArchivedMessagesStillLoad) {
    store_plan(*db_, run_of(80, 1, 10), {},
               {at("truong-hoc", "thp-radio", utc(2024_y / July / 2, 12h + 15min))}, cli_);
    const auto id = load_placements(*db_, slug).at(0).id;
    ASSERT_TRUE(set_placement_state(*db_, slug, id, "published", std::nullopt, "", cli_));
    // The file no longer has the message: it is archived, its published placement stays.
    import_campaigns(*db_, {small_campaign(false)});
    const auto placements = load_placements(*db_, slug);
    ASSERT_EQ(placements.size(), 1u);
    EXPECT_EQ(placements[0].message, "truong-hoc");
    EXPECT_EQ(placements[0].state, "published");
}

TEST_F(PlanStore, StateWorkflowAndMakeGood) {
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(2024_y / July / 2, 12h + 15min))},
               cli_);
    const auto id = load_placements(*db_, slug).at(0).id;

    // Only planned → published → aired | missed, and aired ⇄ missed corrections.
    EXPECT_FALSE(set_placement_state(*db_, slug, id, "aired", std::nullopt, "", cli_));
    EXPECT_FALSE(set_placement_state(*db_, slug, id, "phát sóng", std::nullopt, "", cli_));
    EXPECT_FALSE(set_placement_state(*db_, slug, id + 100, "published", std::nullopt, "", cli_));
    EXPECT_FALSE(set_placement_state(*db_, "khong-co", id, "published", std::nullopt, "", cli_));
    EXPECT_TRUE(set_placement_state(*db_, slug, id, "published", std::nullopt, "", cli_));
    EXPECT_FALSE(set_placement_state(*db_, slug, id, "planned", std::nullopt, "", cli_));
    EXPECT_TRUE(set_placement_state(*db_, slug, id, "aired", std::string("2024-07-02T12:16:10Z"), "", cli_));
    auto p = load_placements(*db_, slug).at(0);
    EXPECT_EQ(p.state, "aired");
    EXPECT_EQ(p.aired_at, std::string("2024-07-02T12:16:10Z"));
    EXPECT_TRUE(set_placement_state(*db_, slug, id, "missed", std::nullopt, "Mất sóng do giông bão", cli_));
    p = load_placements(*db_, slug).at(0);
    EXPECT_EQ(p.state, "missed");
    EXPECT_FALSE(p.aired_at.has_value());
    EXPECT_EQ(p.note, "Mất sóng do giông bão");
    EXPECT_FALSE(p.made_good);

    audit_query q;
    q.entity = "placement";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 3);
    EXPECT_EQ(audit.records[0].action, "missed");
    EXPECT_EQ(audit.records[0].entity_key, std::to_string(id));
    ASSERT_TRUE(audit.records[0].before_json.has_value());
    EXPECT_NE(audit.records[0].before_json->find(R"("state":"aired")"), std::string::npos);
    EXPECT_NE(audit.records[0].after_json->find("Mất sóng do giông bão"), std::string::npos);

    // A make-good proposal names it; the missed placement is then made good, and it survives the
    // re-plan (it is not planned) while the proposal is replaced by the next run.
    auto mg = at("spot-111", "thp-tv", utc(2024_y / July / 3, 12h + 15min));
    mg.make_good_of = id;
    store_plan(*db_, run_of(80, 1, 10), {}, {mg}, cli_);
    auto all = load_placements(*db_, slug);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[0].made_good);
    EXPECT_EQ(all[1].make_good_of, id);
    store_plan(*db_, run_of(0, 0, 10), {}, {}, cli_);
    all = load_placements(*db_, slug);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, id);
    EXPECT_FALSE(all[0].made_good);
}

}  // namespace
