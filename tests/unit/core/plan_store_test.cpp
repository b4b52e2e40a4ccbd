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
#include "core/storage/dispatch_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace plan_store_test_cpp {

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
    // Previewed first (a dry run): the same counts, nothing written.
    const int runs_before = count("SELECT COUNT(*) FROM plan_runs");
    const int audit_before = count("SELECT COUNT(*) FROM audit_log");
    const auto as_stored = load_placements(*db_, slug);
    const plan_changes preview = preview_plan_changes(*db_, run_of(160, 3, 20), {before[1].id},
                                                      {at("truong-hoc", "thp-radio", utc(d, 12h + 15min))});
    EXPECT_EQ(count("SELECT COUNT(*) FROM plan_runs"), runs_before);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audit_before);
    EXPECT_EQ(load_placements(*db_, slug), as_stored);
    plan_changes changes;
    const std::int64_t second = store_plan(*db_, run_of(160, 3, 20), {before[1].id},
                                           {at("truong-hoc", "thp-radio", utc(d, 12h + 15min))}, cli_, &changes);
    EXPECT_EQ(preview, changes);
    EXPECT_GT(second, first);
    // What it changed for the outlets, returned and stored with the run.
    EXPECT_EQ(changes, (plan_changes{1, 1, 0, 1}));
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
    EXPECT_EQ(runs[0].changes, std::optional<plan_changes>(changes));
    EXPECT_EQ(runs[1].changes, (std::optional<plan_changes>(plan_changes{0, 3, 0, 0})));
    // A run stored before schema 16 counted nothing: no changes to show.
    db_->sql().exec("UPDATE plan_runs SET kept = NULL, added = NULL, moved = NULL, cancelled = NULL WHERE id = " +
                    std::to_string(first));
    EXPECT_FALSE(list_plan_runs(*db_, slug)[1].changes.has_value());
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

// ---- Re-plans that move placements (schema v6) --------------------------------------------------

struct cancellation {
    std::int64_t placement_id = 0;
    std::string message, outlet, start, daypart;
    int sequence = 0;
    std::string cancelled_at;
};

class PlanStoreMoves : public PlanStore {
protected:
    std::vector<cancellation> cancellations() {
        SQLite::Statement st(db_->sql(),
                             "SELECT x.placement_id, m.code, o.slug, x.start_utc, x.daypart, x.sequence, x.cancelled_at "
                             "FROM placement_cancellations x JOIN messages m ON m.id = x.message_id "
                             "JOIN outlets o ON o.id = x.outlet_id ORDER BY x.placement_id");
        std::vector<cancellation> out;
        while (st.executeStep()) {
            out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                           st.getColumn(3).getString(), st.getColumn(4).getString(), st.getColumn(5).getInt(),
                           st.getColumn(6).getString()});
        }
        return out;
    }

    stored_placement by_id(std::int64_t id) {
        for (const auto& p : load_placements(*db_, slug))
            if (p.id == id) return p;
        throw std::runtime_error("no placement " + std::to_string(id));
    }

    std::string updated_at(std::int64_t id) {
        SQLite::Statement st(db_->sql(), "SELECT updated_at FROM placements WHERE id = ?");
        st.bind(1, id);
        if (!st.executeStep()) return "";
        return st.getColumn(0).getString();
    }
};

TEST_F(PlanStoreMoves, AMovedPlacementKeepsItsIdAndCountsTheMove) {
    const auto d = 2024_y / July / 20;
    const std::int64_t first = store_plan(
        *db_, run_of(160, 2, 20), {},
        {at("spot-111", "thp-tv", utc(d, 12h + 15min)), at("spot-111", "thp-tv", utc(d, 13h + 15min))}, cli_);
    const auto before = load_placements(*db_, slug);
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0].sequence, 0);
    EXPECT_EQ(before[1].sequence, 0);
    // Make the first placement's updated_at recognisably old.
    db_->sql().exec("UPDATE placements SET updated_at = '2024-07-01T00:00:00Z'");

    // The new plan keeps neither and wants spot-111 on thp-tv at 14:15 and 12:15 (listed out of
    // order): the earliest dropped (12:15) pairs with the earliest added (12:15, unchanged), the
    // 13:15 one moves to 14:15.
    auto moved = at("spot-111", "thp-tv", utc(d, 14h + 15min));
    moved.duration_s = 20;
    moved.value = 90.0;
    plan_changes changes;
    const std::int64_t second = store_plan(*db_, run_of(170, 2, 20), {},
                                           {moved, at("spot-111", "thp-tv", utc(d, 12h + 15min))}, cli_, &changes);
    // For the outlets: the 12:15 one is kept as it was, the other moved.
    EXPECT_EQ(changes, (plan_changes{1, 0, 1, 0}));
    const auto after = load_placements(*db_, slug);
    ASSERT_EQ(after.size(), 2u);
    const stored_placement same = by_id(before[0].id);
    EXPECT_EQ(same.start, utc(d, 12h + 15min));
    EXPECT_EQ(same.sequence, 0);                 // nothing an outlet sees changed
    EXPECT_EQ(same.plan_run_id, second);         // but the new run owns it
    EXPECT_EQ(updated_at(same.id), "2024-07-01T00:00:00Z");
    const stored_placement m = by_id(before[1].id);
    EXPECT_EQ(m.start, utc(d, 14h + 15min));
    EXPECT_EQ(m.duration_s, 20);
    EXPECT_EQ(m.value, 90.0);
    EXPECT_EQ(m.sequence, 1);
    EXPECT_EQ(m.state, "planned");
    EXPECT_EQ(m.plan_run_id, second);
    EXPECT_NE(updated_at(m.id), "2024-07-01T00:00:00Z");
    EXPECT_GT(second, first);
    EXPECT_TRUE(cancellations().empty());

    // Moved again: sequence 2. The audit row counts the moves.
    store_plan(*db_, run_of(170, 2, 20), {same.id}, {at("spot-111", "thp-tv", utc(d, 15h + 15min))}, cli_);
    EXPECT_EQ(by_id(m.id).sequence, 2);
    EXPECT_EQ(by_id(m.id).start, utc(d, 15h + 15min));
    audit_query q;
    q.entity = "plan";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_GE(audit.total, 1);
    EXPECT_NE(audit.records[0].after_json->find(R"("moved":1)"), std::string::npos) << *audit.records[0].after_json;
    EXPECT_NE(audit.records[0].after_json->find(R"("cancelled":0)"), std::string::npos);
}

TEST_F(PlanStoreMoves, ADroppedPlacementLeavesACancellation) {
    const auto d = 2024_y / July / 21;
    store_plan(*db_, run_of(160, 3, 20), {},
               {at("spot-111", "thp-tv", utc(d, 12h + 15min)), at("truong-hoc", "thp-tv", utc(d, 13h + 15min)),
                at("spot-111", "thp-radio", utc(d, 14h + 15min))},
               cli_);
    const auto before = load_placements(*db_, slug);
    ASSERT_EQ(before.size(), 3u);
    // truong-hoc is moved once first, so that its cancellation carries sequence 2.
    store_plan(*db_, run_of(160, 3, 20), {before[0].id, before[2].id},
               {at("truong-hoc", "thp-tv", utc(d, 13h + 45min))}, cli_);
    ASSERT_EQ(by_id(before[1].id).sequence, 1);

    // Now the radio spot and truong-hoc are dropped; a spot on thp-tv is added — another outlet than
    // the radio spot's, so no move: a new placement.
    store_plan(*db_, run_of(80, 2, 20), {before[0].id}, {at("spot-111", "thp-tv", utc(d, 16h + 15min))}, cli_);
    const auto after = load_placements(*db_, slug);
    ASSERT_EQ(after.size(), 2u);
    std::set<std::int64_t> ids;
    for (const auto& p : after) ids.insert(p.id);
    EXPECT_TRUE(ids.contains(before[0].id));
    EXPECT_FALSE(ids.contains(before[1].id));
    EXPECT_FALSE(ids.contains(before[2].id));

    const auto gone = cancellations();
    ASSERT_EQ(gone.size(), 2u);
    EXPECT_EQ(gone[0].placement_id, before[1].id);
    EXPECT_EQ(gone[0].message, "truong-hoc");
    EXPECT_EQ(gone[0].outlet, "thp-tv");
    EXPECT_EQ(gone[0].start, "2024-07-21T13:45:00Z");  // where it was last
    EXPECT_EQ(gone[0].daypart, "prime");
    EXPECT_EQ(gone[0].sequence, 2);
    EXPECT_EQ(gone[1].placement_id, before[2].id);
    EXPECT_EQ(gone[1].outlet, "thp-radio");
    EXPECT_EQ(gone[1].sequence, 1);
    EXPECT_FALSE(gone[1].cancelled_at.empty());

    // A placement that is published is history: a re-plan neither moves nor cancels it.
    ASSERT_TRUE(set_placement_state(*db_, slug, before[0].id, "published", std::nullopt, "", cli_));
    store_plan(*db_, run_of(0, 0, 20), {}, {at("spot-111", "thp-tv", utc(d, 17h + 15min))}, cli_);
    EXPECT_EQ(by_id(before[0].id).start, utc(d, 12h + 15min));
    EXPECT_EQ(by_id(before[0].id).sequence, 0);
    // The 16:15 one moved to 17:15 (same message and outlet).
    EXPECT_EQ(cancellations().size(), 2u);
    EXPECT_EQ(load_placements(*db_, slug).size(), 2u);
}

TEST_F(PlanStoreMoves, AMakeGoodMovesOnlyAsTheMakeGoodOfTheSamePlacement) {
    store_plan(*db_, run_of(80, 2, 10), {},
               {at("spot-111", "thp-tv", utc(2024_y / July / 2, 12h + 15min)),
                at("spot-111", "thp-tv", utc(2024_y / July / 2, 13h + 15min))},
               cli_);
    const auto two = load_placements(*db_, slug);
    ASSERT_EQ(two.size(), 2u);
    for (const auto& p : two) {
        ASSERT_TRUE(set_placement_state(*db_, slug, p.id, "published", std::nullopt, "", cli_));
        ASSERT_TRUE(set_placement_state(*db_, slug, p.id, "missed", std::nullopt, "Mất điện", cli_));
    }
    auto mg = at("spot-111", "thp-tv", utc(2024_y / July / 3, 12h + 15min));
    mg.make_good_of = two[0].id;
    store_plan(*db_, run_of(80, 1, 10), {}, {mg}, cli_);
    std::int64_t proposal = 0;
    for (const auto& p : load_placements(*db_, slug))
        if (p.make_good_of) proposal = p.id;
    ASSERT_NE(proposal, 0);

    // The next plan makes good the same placement a day later: the proposal moves, still linked.
    mg.start = utc(2024_y / July / 4, 12h + 15min);
    store_plan(*db_, run_of(80, 1, 10), {}, {mg}, cli_);
    auto p = by_id(proposal);
    EXPECT_EQ(p.start, mg.start);
    EXPECT_EQ(p.make_good_of, two[0].id);
    EXPECT_EQ(p.sequence, 1);
    EXPECT_TRUE(by_id(two[0].id).made_good);

    // A plan that makes good the OTHER missed placement does not move it: the proposal is
    // cancelled (and no longer names the first), a new one is made.
    auto other = mg;
    other.make_good_of = two[1].id;
    store_plan(*db_, run_of(80, 1, 10), {}, {other}, cli_);
    EXPECT_THROW(by_id(proposal), std::runtime_error);
    EXPECT_FALSE(by_id(two[0].id).made_good);
    EXPECT_TRUE(by_id(two[1].id).made_good);
    const auto gone = cancellations();
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0].placement_id, proposal);
    EXPECT_EQ(gone[0].sequence, 2);
}

TEST_F(PlanStoreMoves, AMovedPlacementsDispatchesFollowTheNewTime) {
    dispatch_target tv;
    tv.name = "thp-tv-tu-dong";
    tv.outlet = "thp-tv";
    tv.url = "https://automation.thp.example/hooks/loa";
    tv.lead = std::chrono::seconds(600);
    add_target(*db_, tv, ms_time{}, cli_);
    const auto d = 2024_y / July / 22;
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(d, 12h + 15min))}, cli_);
    const auto id = load_placements(*db_, slug).at(0).id;
    dispatch_filter f;
    auto rows = list_dispatches(*db_, f);
    ASSERT_EQ(rows.size(), 1u);
    const std::string first_webhook = rows[0].webhook_id;
    EXPECT_EQ(rows[0].due, ms_time(utc(d, 12h + 5min)));

    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(d, 14h + 15min))}, cli_);
    rows = list_dispatches(*db_, f);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].state, "pending");
    EXPECT_EQ(rows[0].start, utc(d, 14h + 15min));
    EXPECT_EQ(rows[0].due, ms_time(utc(d, 14h + 5min)));  // start − the target's 10 minutes
    EXPECT_EQ(rows[0].next_attempt, rows[0].due);
    EXPECT_NE(rows[0].webhook_id, first_webhook);  // new content for the receiver: a new id
    EXPECT_EQ(load_placements(*db_, slug).at(0).id, id);

    // A move that changes nothing the outlet sees leaves its dispatch alone.
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(d, 14h + 15min))}, cli_);
    rows = list_dispatches(*db_, f);
    ASSERT_EQ(rows.size(), 1u);
    const std::string kept_webhook = rows[0].webhook_id;
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(d, 14h + 15min))}, cli_);
    EXPECT_EQ(list_dispatches(*db_, f).at(0).webhook_id, kept_webhook);
    EXPECT_EQ(load_placements(*db_, slug).at(0).sequence, 1);

    // A cancelled dispatch (approval lost, then regained) comes back at the new time when moved.
    db_->sql().exec("UPDATE dispatches SET state = 'cancelled'");
    store_plan(*db_, run_of(80, 1, 10), {}, {at("spot-111", "thp-tv", utc(d, 15h + 15min))}, cli_);
    rows = list_dispatches(*db_, f);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].state, "pending");
    EXPECT_EQ(rows[0].due, ms_time(utc(d, 15h + 5min)));
}

}  // namespace plan_store_test_cpp
}  // namespace
