// The as-run store against real SQLite files: lines applied, duplicates counted once, corrections
// (a later line wins), every rejection with its reason, audit rows, and the compliance numbers per
// outlet and local day (across midnight in Hai Phong, and across a DST change in Berlin).
#include "core/storage/as_run_store.hpp"

#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/plan_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace as_run_store_test_cpp {

using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::July;
using date::October;

using loa::testing::temp_dir;

constexpr const char* slug = "haiphong-2024";

campaign test_campaign() {
    campaign c;
    c.slug = slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.departments = {{"truyen-thong", {"Sở Thông tin và Truyền thông", ""}, {}}};
    outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Truyền hình Hải Phòng", ""};
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi"};
    tv.dayparts = {{"prime", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 10.0},
                   {"late", {"Đêm khuya", "Late night"}, 0x7f, 22h, 2h, 3.0}};
    tv.break_clock = {{15, std::nullopt, 120, {}}};
    outlet radio = tv;
    radio.slug = "thp-radio";
    radio.name = {"Phát thanh Hải Phòng", ""};
    radio.kind = "radio";
    outlet berlin = tv;
    berlin.slug = "vov-berlin";
    berlin.name = {"Đài tiếng nói Việt Nam tại Berlin", "VOV Berlin"};
    berlin.kind = "radio";
    berlin.time_zone = "Europe/Berlin";
    c.outlets = {tv, radio, berlin};
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
    c.messages = {spot};
    return c;
}

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

new_placement at(const std::string& outlet, std::chrono::sys_seconds start,
                 const std::string& daypart = "prime",
                 std::optional<std::int64_t> make_good_of = std::nullopt) {
    new_placement p;
    p.message = "spot-111";
    p.outlet = outlet;
    p.start = start;
    p.duration_s = 30;
    p.daypart = daypart;
    p.weight = daypart == "prime" ? 10.0 : 3.0;
    p.value = 80.0;
    p.make_good_of = make_good_of;
    return p;
}

plan_run a_run() {
    plan_run r;
    r.campaign = slug;
    r.range_from = "2024-07-01";
    r.range_to = "2024-07-31";
    r.as_of = "2024-06-25T00:00:00Z";
    r.report_json = "{}";
    return r;
}

as_run_input by_id(std::int64_t id, std::string status, std::optional<std::chrono::sys_seconds> aired_at = {},
                   std::string note = {}) {
    as_run_input in;
    in.where = "line " + std::to_string(id);
    in.placement = id;
    in.status = std::move(status);
    in.aired_at = aired_at;
    in.note = std::move(note);
    return in;
}

// 19:15 in Hai Phong (UTC+7) is 12:15 UTC.
const auto tv_29 = utc(2024_y / July / 29, 12h + 15min);
const auto tv_30 = utc(2024_y / July / 30, 12h + 15min);
const auto now = utc(2024_y / date::August / 15, 0s);

class AsRunStore : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {test_campaign()});
    }

    // Stores placements and returns their ids in the order given.
    std::vector<std::int64_t> place(const std::vector<new_placement>& ps) {
        store_plan(*db_, a_run(), {}, ps, cli_);
        std::vector<std::int64_t> ids;
        for (const auto& p : ps) {
            SQLite::Statement st(db_->sql(),
                                 "SELECT p.id FROM placements p JOIN outlets o ON o.id = p.outlet_id "
                                 "WHERE o.slug = ? AND p.start_utc = ?");
            st.bind(1, p.outlet);
            st.bind(2, date::format("%FT%TZ", p.start));
            EXPECT_TRUE(st.executeStep());
            ids.push_back(st.getColumn(0).getInt64());
        }
        return ids;
    }

    std::optional<stored_placement> placement(std::int64_t id) {
        for (auto& p : load_placements(*db_, slug))
            if (p.id == id) return p;
        return std::nullopt;
    }

    int count(const std::string& sql) { return db_->sql().execAndGet(sql).getInt(); }

    std::vector<as_run_line_result> apply(const std::string& outlet, const std::vector<as_run_input>& lines,
                                          std::chrono::sys_seconds when = now) {
        return apply_as_run(*db_, outlet, lines, std::nullopt, when, when, outlet_actor_);
    }

    temp_dir dir_;
    std::optional<database> db_;
    audit_actor cli_{std::nullopt, "cli"};
    audit_actor outlet_actor_{std::nullopt, "as-run thp-tv"};
};

TEST_F(AsRunStore, AppliesAiredMissedAndPartial) {
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30), at("thp-tv", tv_30 + 1h)});
    const auto r = apply("thp-tv", {by_id(ids[0], "aired", tv_29 + 20s, "Phát đúng giờ"),
                                    by_id(ids[1], "missed", {}, "Mất điện"),
                                    by_id(ids[2], "partial", tv_30 + 1h + 5s, "Cắt 10 giây cuối")});
    ASSERT_EQ(r.size(), 3u);
    for (const auto& l : r) EXPECT_EQ(l.outcome, as_run_outcome::applied) << l.reason;
    EXPECT_EQ(r[1].placement, ids[1]);

    const auto aired = placement(ids[0]);
    EXPECT_EQ(aired->state, "aired");
    EXPECT_EQ(aired->aired_at, "2024-07-29T12:15:20Z");
    EXPECT_EQ(aired->note, "Phát đúng giờ");
    const auto missed = placement(ids[1]);
    EXPECT_EQ(missed->state, "missed");
    EXPECT_FALSE(missed->aired_at);
    EXPECT_EQ(missed->note, "Mất điện");
    const auto partial = placement(ids[2]);
    EXPECT_EQ(partial->state, "aired");
    EXPECT_EQ(partial->note, "partial: Cắt 10 giây cuối");

    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines WHERE status = 'missed' AND aired_at = ''"), 1);
    audit_query q;
    q.entity = "placement";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 3);
    bool saw_partial = false;
    for (const auto& rec : audit.records) {
        EXPECT_EQ(rec.actor, "as-run thp-tv");
        ASSERT_TRUE(rec.before_json);
        EXPECT_NE(rec.before_json->find("\"planned\""), std::string::npos);
        saw_partial =
            saw_partial || (rec.action == "as-run partial" && rec.entity_key == std::to_string(ids[2]));
    }
    EXPECT_TRUE(saw_partial);
}

TEST_F(AsRunStore, ARehearsalChecksOnItsClockAndRecordsOnTheSystemClock) {
    // A rehearsing server's clock is 30 July 2024; the system clock is later. A line is checked
    // against the first (aired before it, not after) and written with the second, so that times of
    // change never go back behind the plan's.
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30 + 1h)});
    const auto rehearsal = utc(2024_y / July / 30, 5h);
    const auto system = utc(2026_y / date::November / 30, 4h);
    const auto r = apply_as_run(*db_, "thp-tv", {by_id(ids[0], "aired", tv_29 + 20s), by_id(ids[1], "missed")},
                                std::nullopt, rehearsal, system, outlet_actor_);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].outcome, as_run_outcome::applied) << r[0].reason;
    EXPECT_EQ(r[1].outcome, as_run_outcome::rejected);  // starts after the rehearsal's now
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines WHERE received_at = '2026-11-30T04:00:00Z'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'aired' AND updated_at = '2026-11-30T04:00:00Z'"),
              1);
}

TEST_F(AsRunStore, ALineForACancelledPlacementSaysItWasCancelled) {
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30)});
    store_plan(*db_, a_run(), {ids[0]}, {}, cli_);  // a re-plan drops the second
    const auto r = apply("thp-tv", {by_id(ids[1], "aired", tv_30 + 5s)});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].outcome, as_run_outcome::rejected);
    EXPECT_EQ(r[0].reason, "line " + std::to_string(ids[1]) + ": placement " + std::to_string(ids[1]) +
                               " was cancelled by a re-plan (it was at 2024-07-30T19:15:00+07:00)");
}

TEST_F(AsRunStore, TheSameLineTwiceCountsOnce) {
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30)});
    const std::vector<as_run_input> upload = {by_id(ids[0], "aired", tv_29, "Đã phát"),
                                              by_id(ids[1], "missed"), by_id(ids[1], "missed")};
    const auto first = apply("thp-tv", upload);
    EXPECT_EQ(first[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(first[1].outcome, as_run_outcome::applied);
    EXPECT_EQ(first[2].outcome, as_run_outcome::duplicate);
    const int audits = count("SELECT COUNT(*) FROM audit_log WHERE entity = 'placement'");
    const auto second = apply("thp-tv", upload);
    for (const auto& l : second) EXPECT_EQ(l.outcome, as_run_outcome::duplicate) << l.reason;
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'placement'"), audits);
    EXPECT_EQ(placement(ids[0])->state, "aired");
    EXPECT_EQ(placement(ids[1])->state, "missed");
}

TEST_F(AsRunStore, CorrectionsLaterLineWins) {
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30)});
    // In one upload: aired, then corrected to missed.
    auto r = apply("thp-tv",
                   {by_id(ids[0], "aired", tv_29 + 10s), by_id(ids[0], "missed", {}, "Nhầm: không phát")});
    EXPECT_EQ(r[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(r[1].outcome, as_run_outcome::applied);
    EXPECT_EQ(placement(ids[0])->state, "missed");
    EXPECT_FALSE(placement(ids[0])->aired_at);
    // A later upload corrects it back to aired, with another time.
    r = apply("thp-tv", {by_id(ids[0], "aired", tv_29 + 1min, "Phát muộn 1 phút")});
    EXPECT_EQ(r[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(placement(ids[0])->state, "aired");
    EXPECT_EQ(placement(ids[0])->aired_at, "2024-07-29T12:16:00Z");
    EXPECT_EQ(placement(ids[0])->note, "Phát muộn 1 phút");
    // A published placement goes straight to missed too.
    ASSERT_TRUE(set_placement_state(*db_, slug, ids[1], "published", std::nullopt, "", cli_));
    r = apply("thp-tv", {by_id(ids[1], "missed")});
    EXPECT_EQ(r[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(placement(ids[1])->state, "missed");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'placement' AND action LIKE 'as-run%'"),
              4);
}

TEST_F(AsRunStore, ACorrectionBackToAnEarlierReportApplies) {
    const auto ids = place({at("thp-tv", tv_29)});
    const auto aired = by_id(ids[0], "aired", tv_29 + 8s, "Đã phát");
    EXPECT_EQ(apply("thp-tv", {aired})[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(apply("thp-tv", {by_id(ids[0], "missed", {}, "Nhầm")})[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(placement(ids[0])->state, "missed");
    // The first report again, word for word: the outlet corrects itself back, and it applies.
    EXPECT_EQ(apply("thp-tv", {aired})[0].outcome, as_run_outcome::applied);
    EXPECT_EQ(placement(ids[0])->state, "aired");
    EXPECT_EQ(placement(ids[0])->note, "Đã phát");
    // Sent once more, it repeats the latest line: a duplicate.
    EXPECT_EQ(apply("thp-tv", {aired})[0].outcome, as_run_outcome::duplicate);
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'placement' AND action LIKE 'as-run%'"), 3);
}

// An automation resending its day after someone else (another token) corrected one of its lines:
// its line repeats its own latest, so it changes nothing, and the correction stands.
TEST_F(AsRunStore, AResentDayDoesNotUndoAnotherTokensCorrection) {
    const auto ids = place({at("thp-tv", tv_29)});
    const auto automation = add_feed_token(*db_, "thp-tv", "Tự động hóa phát sóng", cli_).id;
    const auto desk = add_feed_token(*db_, "thp-tv", "Bàn điều phối", cli_).id;
    const auto send = [&](std::int64_t token, const as_run_input& line) {
        return apply_as_run(*db_, "thp-tv", {line}, token, now, now, outlet_actor_)[0].outcome;
    };
    const auto aired = by_id(ids[0], "aired", tv_29 + 8s, "Đã phát");
    EXPECT_EQ(send(automation, aired), as_run_outcome::applied);
    EXPECT_EQ(send(desk, by_id(ids[0], "missed", {}, "Thực ra mất điện")), as_run_outcome::applied);
    EXPECT_EQ(send(automation, aired), as_run_outcome::duplicate);
    EXPECT_EQ(placement(ids[0])->state, "missed");
    // The automation correcting itself back still applies.
    EXPECT_EQ(send(automation, by_id(ids[0], "missed", {}, "Nhầm")), as_run_outcome::applied);
    EXPECT_EQ(send(automation, aired), as_run_outcome::applied);
    EXPECT_EQ(placement(ids[0])->state, "aired");
}

TEST_F(AsRunStore, RejectionsNameTheLineAndWhy) {
    const auto ids = place(
        {at("thp-tv", tv_29), at("thp-radio", tv_29), at("thp-tv", utc(2024_y / date::August / 20, 12h))});
    as_run_input by_time;
    by_time.where = "line 7";
    by_time.time = tv_29;
    by_time.message = "spot-111";
    by_time.status = "aired";
    by_time.aired_at = tv_29 + 30s;
    as_run_input wrong_time = by_time;
    wrong_time.where = "line 8";
    wrong_time.time = tv_29 + 1h;
    as_run_input wrong_message = by_time;
    wrong_message.where = "line 9";
    wrong_message.message = "khong-co";
    as_run_input id_and_other_time = by_id(ids[0], "missed");
    id_and_other_time.time = tv_29 + 15min;

    const auto r = apply("thp-tv", {
                                       by_id(999'999, "missed"),                 // 0 unknown
                                       by_id(ids[1], "missed"),                  // 1 the radio's
                                       by_id(ids[0], "aired", tv_29 + 2h + 1s),  // 2 too far
                                       by_id(ids[0], "aired", tv_29 - 3h),       // 3 too early
                                       by_id(ids[2], "missed"),                  // 4 future
                                       by_time,                                  // 5 applied
                                       wrong_time,                               // 6 no match
                                       wrong_message,                            // 7 no match
                                       id_and_other_time,                        // 8 inconsistent
                                       by_id(ids[0], "aired"),                   // 9 no aired_at
                                   });
    ASSERT_EQ(r.size(), 10u);
    EXPECT_EQ(r[0].reason, "line 999999: placement 999999 does not exist");
    EXPECT_EQ(r[1].reason, "line " + std::to_string(ids[1]) + ": placement " + std::to_string(ids[1]) +
                               " is on another outlet's schedule, not on 'thp-tv'");
    EXPECT_EQ(r[2].reason,
              "line " + std::to_string(ids[0]) +
                  ": aired_at: 2024-07-29T21:15:01+07:00 is more than 2 hours from the placement's start "
                  "2024-07-29T19:15:00+07:00");
    EXPECT_EQ(r[3].outcome, as_run_outcome::rejected);
    EXPECT_EQ(r[4].reason,
              "line " + std::to_string(ids[2]) + ": placement " + std::to_string(ids[2]) +
                  " starts at 2024-08-20T19:00:00+07:00, after now: report it once it has aired or been missed");
    EXPECT_EQ(r[5].outcome, as_run_outcome::applied) << r[5].reason;
    EXPECT_EQ(r[5].placement, ids[0]);
    EXPECT_EQ(r[6].reason,
              "line 8: no placement of message 'spot-111' starts at 2024-07-29T20:15:00+07:00 on 'thp-tv'");
    EXPECT_EQ(r[7].reason,
              "line 9: no placement of message 'khong-co' starts at 2024-07-29T19:15:00+07:00 on 'thp-tv'");
    EXPECT_EQ(r[8].reason, "line " + std::to_string(ids[0]) + ": time: placement " + std::to_string(ids[0]) +
                               " starts at 2024-07-29T19:15:00+07:00, not 2024-07-29T19:30:00+07:00");
    EXPECT_EQ(r[9].outcome, as_run_outcome::rejected);
    // An outlet abroad reads the times on its own clock, with its summer-time offset.
    as_run_input berlin = wrong_message;
    berlin.where = "line 3";
    const auto b = apply("vov-berlin", {berlin});
    EXPECT_EQ(b[0].reason, "line 3: no placement of message 'khong-co' starts at 2024-07-29T14:15:00+02:00 on 'vov-berlin'");
    for (std::size_t i = 0; i < r.size(); ++i)
        if (i != 5) {
            EXPECT_EQ(r[i].outcome, as_run_outcome::rejected) << i;
        }
    // Only the good line changed anything.
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines"), 1);
    EXPECT_EQ(placement(ids[1])->state, "planned");
    EXPECT_EQ(placement(ids[2])->state, "planned");
    EXPECT_EQ(placement(ids[0])->state, "aired");
    // An aired_at in the future (beyond the clock skew allowed) is refused.
    const auto r2 = apply("thp-tv", {by_id(ids[0], "aired", tv_29 + 10min)}, tv_29 + 1min);
    EXPECT_EQ(r2[0].reason,
              "line " + std::to_string(ids[0]) + ": aired_at: 2024-07-29T19:25:00+07:00 is in the future");
}

TEST_F(AsRunStore, ComplianceAcrossMidnightInTheOutletsZone) {
    // Hai Phong, UTC+7: 23:30 on the 29th and 00:30 on the 30th are the same UTC day (the 29th).
    const auto before_midnight = utc(2024_y / July / 29, 16h + 30min);
    const auto after_midnight = utc(2024_y / July / 29, 17h + 30min);
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", before_midnight, "late"),
                            at("thp-tv", after_midnight, "late"), at("thp-tv", tv_30),
                            at("thp-tv", tv_30 + 30min), at("thp-tv", tv_30 + 1h), at("thp-radio", tv_29)});
    const auto r =
        apply("thp-tv",
              {by_id(ids[0], "aired", tv_29), by_id(ids[1], "missed"), by_id(ids[2], "aired", after_midnight),
               by_id(ids[3], "partial", tv_30 + 5s), by_id(ids[4], "aired", tv_30 + 30min)},
              tv_30 + 45min);
    for (const auto& l : r) ASSERT_EQ(l.outcome, as_run_outcome::applied) << l.reason;

    const auto report = load_compliance(*db_, slug, {}, tv_30 + 45min);
    ASSERT_TRUE(report.found);
    EXPECT_EQ(report.outlet_order, (std::vector<std::string>{"thp-tv", "thp-radio", "vov-berlin"}));
    ASSERT_EQ(report.days.size(), 3u);
    const compliance_day& d29 = report.days[0];
    EXPECT_EQ(d29.outlet, "thp-tv");
    EXPECT_EQ(d29.day, 2024_y / July / 29);
    EXPECT_EQ(d29.planned, 2);
    EXPECT_EQ(d29.aired, 1);
    EXPECT_EQ(d29.missed, 1);
    EXPECT_EQ(d29.prime, 1);
    EXPECT_EQ(d29.prime_aired, 1);
    const compliance_day& d30 = report.days[1];
    EXPECT_EQ(d30.day, 2024_y / July / 30);
    EXPECT_EQ(d30.planned, 4);  // 00:30 (late), 19:15, 19:45, 20:15
    EXPECT_EQ(d30.aired, 2);
    EXPECT_EQ(d30.partial, 1);
    EXPECT_EQ(d30.missed, 0);
    EXPECT_EQ(d30.not_reported, 0);
    EXPECT_EQ(d30.upcoming, 1);  // 20:15 is after now (19:45 + 15 min)
    EXPECT_EQ(d30.prime, 3);
    EXPECT_EQ(d30.prime_aired, 1);  // the partial one does not count
    EXPECT_EQ(d30.prime_due, 2);    // 20:15 is still to come: the share is of the two due
    EXPECT_EQ(d29.prime_due, 1);
    // The same day seen the day before: only what was reported counts as due, not what is still to
    // come (a day with nothing reported shows "—", not 0 %).
    const auto eve = load_compliance(*db_, slug, {}, tv_29 - 1h);
    bool saw = false;
    for (const auto& d : eve.days) {
        if (d.outlet != "thp-tv" || d.day != 2024_y / July / 30) continue;
        saw = true;
        EXPECT_EQ(d.prime, 3);
        EXPECT_EQ(d.prime_due, 2);
    }
    EXPECT_TRUE(saw);
    const compliance_day& radio = report.days[2];
    EXPECT_EQ(radio.outlet, "thp-radio");
    EXPECT_EQ(radio.planned, 1);
    EXPECT_EQ(radio.not_reported, 1);

    // The missed placement, with no make-good yet; then one proposed by a plan run.
    ASSERT_EQ(report.missed.size(), 1u);
    EXPECT_EQ(report.missed[0].id, ids[1]);
    EXPECT_FALSE(report.missed[0].make_good);
    store_plan(*db_, a_run(), {}, {at("thp-tv", tv_30 + 2h + 45min, "late", ids[1])}, cli_);
    const auto with_mg = load_compliance(*db_, slug, {}, tv_30 + 45min);
    ASSERT_EQ(with_mg.missed.size(), 1u);
    ASSERT_TRUE(with_mg.missed[0].make_good);
    EXPECT_EQ(with_mg.missed[0].make_good->start, tv_30 + 2h + 45min);
    EXPECT_EQ(with_mg.missed[0].make_good->state, "planned");

    // Filters: one outlet, a date range.
    compliance_filter only;
    only.outlet = "thp-tv";
    only.from = 2024_y / July / 30;
    only.to = 2024_y / July / 30;
    const auto filtered = load_compliance(*db_, slug, only, tv_30 + 45min);
    ASSERT_EQ(filtered.days.size(), 1u);
    EXPECT_EQ(filtered.days[0].day, 2024_y / July / 30);
    EXPECT_TRUE(filtered.missed.empty());  // the missed one was on the 29th
    EXPECT_FALSE(load_compliance(*db_, "khong-co", {}, now).found);
}

TEST_F(AsRunStore, ComplianceLeavesOutWhatAMessageNoLongerApprovedWillNotAir) {
    // Edited after its approval (at 20:15 in Hai Phong on the 29th, on the schedule's clock), the
    // message is a draft again: its placements still to go out are cancelled for the outlet (its
    // feeds say so), so they are not expected of it; what it reported aired still counts, and the
    // airing that was due at 19:45, before the edit, is still expected (not reported yet).
    const auto edited_at = tv_29 + 1h;
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_29 + 30min), at("thp-tv", tv_30),
                            at("thp-tv", tv_30 + 1h)});
    ASSERT_EQ(apply("thp-tv", {by_id(ids[0], "aired", tv_29)}, edited_at)[0].outcome, as_run_outcome::applied);
    const auto before = load_compliance(*db_, slug, {}, edited_at);
    int planned = 0;
    for (const auto& d : before.days) planned += d.planned;
    EXPECT_EQ(planned, 4);
    auto m = find_message(*db_, slug, "spot-111");
    ASSERT_TRUE(m);
    m->item.text.vi += " Gọi ngay!";
    ASSERT_TRUE(update_message(*db_, slug, "spot-111", m->item, message_actor{std::nullopt, "Lê Văn Nam"},
                               std::nullopt, std::chrono::sys_time<std::chrono::milliseconds>{edited_at})
                    .ok());
    const auto after = load_compliance(*db_, slug, {}, edited_at);
    ASSERT_EQ(after.days.size(), 1u);
    EXPECT_EQ(after.days[0].day, 2024_y / July / 29);
    EXPECT_EQ(after.days[0].planned, 2);
    EXPECT_EQ(after.days[0].aired, 1);
    EXPECT_EQ(after.days[0].not_reported, 1);
    EXPECT_EQ(after.days[0].upcoming, 0);
}

TEST_F(AsRunStore, AnApprovalRegainedBringsBackOnlyWhatIsStillAhead) {
    // Approval lost at 20:15 on the 29th, given again at 20:15 on the 30th (schedule's clock): the
    // airing due at 19:15 on the 30th came due withdrawn (nothing was sent) and stays cancelled;
    // the one at 21:15 that evening is expected again; the one before the edit never stopped being.
    using ms = std::chrono::sys_time<std::chrono::milliseconds>;
    const auto lost = tv_29 + 1h;
    const auto regained = tv_30 + 1h;
    const auto ids = place({at("thp-tv", tv_29), at("thp-tv", tv_30), at("thp-tv", tv_30 + 2h)});
    auto m = find_message(*db_, slug, "spot-111");
    ASSERT_TRUE(m);
    const message_actor officer{std::nullopt, "Lê Văn Nam"};
    m->item.text.vi += " Gọi ngay!";
    const auto edited = update_message(*db_, slug, "spot-111", m->item, officer, std::nullopt, ms{lost});
    ASSERT_TRUE(edited.ok());
    const auto withdrawn = [&] {
        std::vector<bool> out;
        for (const auto& p : load_placements(*db_, slug)) out.push_back(p.withdrawn);
        return out;
    };
    EXPECT_EQ(withdrawn(), (std::vector<bool>{false, true, true}));
    ASSERT_TRUE(submit_message(*db_, slug, "spot-111", officer, edited.value.version).ok());
    ASSERT_TRUE(approve_message(*db_, slug, "spot-111", message_actor{std::nullopt, "Trần Thị Hoa"},
                                edited.value.version, "", ms{regained})
                    .ok());
    EXPECT_EQ(withdrawn(), (std::vector<bool>{false, true, false}));
    // The campaign file imported again, on a clock set before all this: it changes no message's
    // approval (the message is the forms' now), so it changes no withdrawal.
    import_campaigns(*db_, {test_campaign()}, tv_29 - 1h);
    EXPECT_EQ(withdrawn(), (std::vector<bool>{false, true, false}));
    const auto report = load_compliance(*db_, slug, {}, regained);
    ASSERT_EQ(report.days.size(), 2u);
    EXPECT_EQ(report.days[0].planned, 1);  // the 29th: due before the edit, not reported
    EXPECT_EQ(report.days[0].not_reported, 1);
    EXPECT_EQ(report.days[1].planned, 1);  // the 30th: only the one still ahead at the approval
    EXPECT_EQ(report.days[1].upcoming, 1);

    // A receiver added a minute after the new approval, with a grace of two hours, would still be
    // in time for the 19:15 airing, but the outlet was told it is cancelled: only the one ahead
    // gets a dispatch.
    dispatch_target t;
    t.name = "thp-tv-automation";
    t.outlet = "thp-tv";
    t.url = "https://playout.example/hook";
    t.grace = 2h;
    add_target(*db_, t, ms{regained + 1min}, audit_actor{std::nullopt, "test"});
    dispatch_filter all;
    all.limit = 100;
    std::vector<std::chrono::sys_seconds> sent_for;
    for (const auto& d : list_dispatches(*db_, all)) sent_for.push_back(d.start);
    EXPECT_EQ(sent_for, (std::vector<std::chrono::sys_seconds>{tv_30 + 2h}));
    EXPECT_EQ(ids.size(), 3u);
}

TEST_F(AsRunStore, ComplianceOfAnOutletAbroadAcrossADstChange) {
    // Berlin leaves summer time at 03:00 CEST on 27 October 2024 (UTC+2 → UTC+1). 22:30 UTC is
    // 00:30 on the 27th the day before and 23:30 on the 27th that evening: both local days are the 27th.
    const auto sat = utc(2024_y / October / 26, 22h + 30min);  // 27th 00:30 CEST
    const auto sun = utc(2024_y / October / 27, 22h + 30min);  // 27th 23:30 CET
    const auto mon = utc(2024_y / October / 27, 23h + 30min);  // 28th 00:30 CET
    const auto ids =
        place({at("vov-berlin", sat, "late"), at("vov-berlin", sun, "late"), at("vov-berlin", mon, "late")});
    const auto r =
        apply("vov-berlin",
              {by_id(ids[0], "aired", sat), by_id(ids[1], "aired", sun + 1min), by_id(ids[2], "missed")},
              utc(2024_y / October / 29, 0s));
    for (const auto& l : r) ASSERT_EQ(l.outcome, as_run_outcome::applied) << l.reason;
    compliance_filter berlin;
    berlin.outlet = "vov-berlin";
    const auto report = load_compliance(*db_, slug, berlin, utc(2024_y / October / 29, 0s));
    ASSERT_EQ(report.days.size(), 2u);
    EXPECT_EQ(report.days[0].day, 2024_y / October / 27);
    EXPECT_EQ(report.days[0].planned, 2);
    EXPECT_EQ(report.days[0].aired, 2);
    EXPECT_EQ(report.days[0].prime, 0);  // "late" is not the outlet's highest weight
    EXPECT_EQ(report.days[1].day, 2024_y / October / 28);
    EXPECT_EQ(report.days[1].missed, 1);
}

}  // namespace as_run_store_test_cpp
}  // namespace
