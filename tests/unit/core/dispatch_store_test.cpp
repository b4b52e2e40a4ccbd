// The outbox against real SQLite files: dispatches written with the plan that makes them due (and
// not when it fails), outlet and kind targets, targets added after the plan, claims in due order
// within each target's concurrency, leases taken back, catch-up marking rows and placements missed,
// every completion outcome, operator requeue and retry, cancel and revive with message approval,
// the log, argument errors, and an informal timing of a 256-row claim and completion.
#include "core/storage/dispatch_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <iostream>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/migrations.hpp"
#include "core/storage/plan_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace dispatch_store_test_cpp {

using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::July;
using loa::testing::temp_dir;

constexpr const char* slug = "haiphong-2024";

// A small Hai Phong campaign: a TV and a radio outlet, two messages approved in the file.
campaign small_campaign() {
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
    spot.title = {"Gọi 111", ""};
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
    school.title = {"Trường học an toàn", ""};
    school.text = {"Không đi theo người lạ, kể cả khi được cho kẹo.", ""};
    c.messages = {spot, school};
    return c;
}

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

ms_time ms(std::chrono::sys_seconds t) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
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

plan_run a_run() {
    plan_run r;
    r.campaign = slug;
    r.range_from = "2024-07-01";
    r.range_to = "2024-07-31";
    r.as_of = "2024-06-25T00:00:00Z";
    r.report_json = "{}";
    return r;
}

dispatch_target outlet_target(const std::string& name, const std::string& outlet_slug) {
    dispatch_target t;
    t.name = name;
    t.outlet = outlet_slug;
    t.url = "https://automation.thp.example/hooks/loa";
    t.secret = new_webhook_secret();
    return t;
}

dispatch_target kind_target(const std::string& name, const std::string& kind) {
    dispatch_target t;
    t.name = name;
    t.outlet_kind = kind;
    t.url = "http://127.0.0.1:8081/phat-thanh";
    return t;  // secret left empty: add_target makes one
}

// 19:15 in Hai Phong (UTC+7) is 12:15 UTC; placements on the 29th–31st.
const auto t29 = utc(2024_y / July / 29, 12h + 15min);
const auto t30 = utc(2024_y / July / 30, 12h + 15min);
const auto t31 = utc(2024_y / July / 31, 12h + 15min);
const ms_time before_all = ms(utc(2024_y / July / 20, 0s));

class DispatchStore : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {small_campaign()});
    }

    std::int64_t count(const std::string& sql) { return db_->sql().execAndGet(sql).getInt64(); }

    std::string text(const std::string& sql) { return db_->sql().execAndGet(sql).getString(); }

    std::vector<std::int64_t> plan(const std::vector<new_placement>& added, const std::vector<std::int64_t>& kept = {}) {
        store_plan(*db_, a_run(), kept, added, cli_);
        std::vector<std::int64_t> ids;
        for (const auto& p : load_placements(*db_, slug)) ids.push_back(p.id);
        return ids;
    }

    std::string placement_state(std::int64_t id) {
        for (const auto& p : load_placements(*db_, slug))
            if (p.id == id) return p.state;
        return "";
    }

    stored_placement placement(std::int64_t id) {
        for (const auto& p : load_placements(*db_, slug))
            if (p.id == id) return p;
        throw std::runtime_error("no placement " + std::to_string(id));
    }

    std::vector<dispatch_row> all(const std::string& state = "") {
        dispatch_filter f;
        f.state = state;
        f.limit = 1000;
        return list_dispatches(*db_, f);
    }

    // A TV target for thp-tv (2 at a time) and a radio target by kind (3 at a time); five TV and
    // five radio placements a minute apart from t29 (radio 30 s later), and one TV placement at t31.
    // Returns the TV target.
    dispatch_target two_targets_and_eleven_placements() {
        dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
        tv.concurrency = 2;
        add_target(*db_, tv, before_all, cli_);
        dispatch_target radio = kind_target("moi-dai-phat-thanh", "radio");
        radio.concurrency = 3;
        add_target(*db_, radio, before_all, cli_);
        std::vector<new_placement> added;
        for (int i = 0; i < 5; ++i) {
            added.push_back(at("spot-111", "thp-tv", t29 + std::chrono::minutes(i)));
            added.push_back(at("truong-hoc", "thp-radio", t29 + std::chrono::minutes(i) + 30s));
        }
        added.push_back(at("spot-111", "thp-tv", t31));  // not due yet
        plan(added);
        return tv;
    }

    attempt_record success(const claimed_dispatch& c, ms_time started) {
        attempt_record r;
        r.dispatch_id = c.id;
        r.attempt = c.attempt;
        r.started = started;
        r.finished = started + 40ms;
        r.status = 200;
        r.body = R"({"message":"spot-111","text":"Hãy gọi 111 khi thấy dấu hiệu mua bán người."})";
        return r;
    }

    temp_dir dir_;
    std::optional<database> db_;
    audit_actor cli_{std::nullopt, "cli"};
    audit_actor approver_{std::nullopt, "Nguyễn Thị Hương"};
};

TEST_F(DispatchStore, SecretsAndWebhookIdsHaveTheirFormats) {
    const std::string s1 = new_webhook_secret();
    const std::string s2 = new_webhook_secret();
    ASSERT_TRUE(s1.starts_with("whsec_")) << s1;
    EXPECT_NE(s1, s2);
    std::vector<unsigned char> bin(64);
    std::size_t n = 0;
    ASSERT_EQ(sodium_base642bin(bin.data(), bin.size(), s1.data() + 6, s1.size() - 6, nullptr, &n, nullptr,
                                sodium_base64_VARIANT_ORIGINAL),
              0);
    EXPECT_EQ(n, 32u);

    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30), at("truong-hoc", "thp-tv", t31)});
    const auto rows = all();
    ASSERT_EQ(rows.size(), 3u);
    const std::regex id_form("msg_[a-z2-7]{32}");
    std::set<std::string> ids;
    for (const auto& r : rows) {
        EXPECT_TRUE(std::regex_match(r.webhook_id, id_form)) << r.webhook_id;
        ids.insert(r.webhook_id);
    }
    EXPECT_EQ(ids.size(), 3u);
}

TEST_F(DispatchStore, StorePlanEnqueuesForOutletAndKindTargets) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.lead = 600s;
    add_target(*db_, tv, before_all, cli_);
    add_target(*db_, kind_target("moi-dai-phat-thanh", "radio"), before_all, cli_);
    add_target(*db_, kind_target("moi-kenh-truyen-hinh", "tv"), before_all, cli_);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches"), 0);

    plan({at("spot-111", "thp-tv", t30), at("truong-hoc", "thp-radio", t29)});
    const auto rows = all();
    ASSERT_EQ(rows.size(), 3u);  // the TV placement twice (outlet and kind), the radio one once
    std::multiset<std::string> pairs;
    for (const auto& r : rows) {
        pairs.insert(r.target + " " + r.outlet + " " + r.message);
        EXPECT_EQ(r.state, "pending");
        EXPECT_EQ(r.campaign, slug);
        EXPECT_EQ(r.attempts, 0);
        EXPECT_EQ(r.next_attempt, r.due);
        if (r.target == "thp-tv-tu-dong") {
            EXPECT_EQ(r.due, ms(t30) - 600s);  // the target's lead
        } else {
            EXPECT_EQ(r.due, ms(r.start));
        }
    }
    EXPECT_EQ(pairs, (std::multiset<std::string>{"thp-tv-tu-dong thp-tv spot-111", "moi-kenh-truyen-hinh thp-tv spot-111",
                                                 "moi-dai-phat-thanh thp-radio truong-hoc"}));
    // Newest due first.
    EXPECT_EQ(rows.back().outlet, "thp-radio");
}

TEST_F(DispatchStore, AFailingStorePlanLeavesNoDispatch) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    EXPECT_THROW(store_plan(*db_, a_run(), {}, {at("spot-111", "thp-tv", t30), at("spot-111", "khong-co", t31)}, cli_),
                 std::invalid_argument);
    EXPECT_EQ(count("SELECT count(*) FROM placements"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches"), 0);
}

TEST_F(DispatchStore, AReplanTakesTheReplacedPlacementsDispatchesAlong) {
    EXPECT_EQ(count("PRAGMA foreign_keys"), 1);
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    const auto first = plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30)});
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches"), 2);
    // Keep the first, replace the second with one on the 31st.
    const auto second = plan({at("truong-hoc", "thp-tv", t31)}, {first[0]});
    ASSERT_EQ(second.size(), 2u);
    const auto rows = all();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].start, t31);
    EXPECT_EQ(rows[1].start, t29);
}

TEST_F(DispatchStore, PlacementsOfMessagesNotApprovedGetNoDispatch) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    auto m = find_message(*db_, slug, "truong-hoc");
    ASSERT_TRUE(m);
    m->item.text.vi = "Không đi theo người lạ. Gọi 111 nếu cần giúp đỡ.";
    ASSERT_TRUE(update_message(*db_, slug, "truong-hoc", m->item, cli_).ok());
    plan({at("truong-hoc", "thp-tv", t30), at("spot-111", "thp-tv", t31)});
    const auto rows = all();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].message, "spot-111");
}

TEST_F(DispatchStore, AddingATargetEnqueuesThePlacementsStillAhead) {
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30), at("truong-hoc", "thp-radio", t31)});
    EXPECT_EQ(count("SELECT count(*) FROM dispatches"), 0);
    // Now is 12:20 on the 29th: the 12:15 slot is within the 15-minute grace, still worth sending.
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    add_target(*db_, tv, ms(t29 + 5min), cli_);
    EXPECT_EQ(all().size(), 2u);
    // Another added at 12:31 on the 29th (past that grace) gets only the 30th.
    tv.name = "thp-tv-du-phong";
    add_target(*db_, tv, ms(t29 + 16min), cli_);
    dispatch_filter f;
    f.target = "thp-tv-du-phong";
    const auto rows = list_dispatches(*db_, f);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].start, t30);

    // A target added disabled gets nothing until it is enabled; then the placements still ahead.
    dispatch_target radio = kind_target("moi-dai-phat-thanh", "radio");
    radio.enabled = false;
    add_target(*db_, radio, before_all, cli_);
    f.target = radio.name;
    EXPECT_TRUE(list_dispatches(*db_, f).empty());
    ASSERT_TRUE(set_target_enabled(*db_, radio.name, true, "", cli_));
    // (enabling uses the wall clock: the July 2024 slot is long past, so nothing)
    EXPECT_TRUE(list_dispatches(*db_, f).empty());
    EXPECT_FALSE(set_target_enabled(*db_, "khong-co", true, "", cli_));

    audit_query q;
    q.entity = "dispatch_target";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 4);
    EXPECT_EQ(audit.records[0].action, "enable");
    EXPECT_EQ(audit.records[3].action, "add");
    ASSERT_TRUE(audit.records[3].after_json);
    EXPECT_NE(audit.records[3].after_json->find(R"("enqueued":2)"), std::string::npos) << *audit.records[3].after_json;
    // The secret never reaches the log.
    for (const auto& r : audit.records) {
        EXPECT_EQ(r.after_json.value_or("").find("whsec_"), std::string::npos);
        EXPECT_EQ(r.before_json.value_or("").find("whsec_"), std::string::npos);
    }
}

TEST_F(DispatchStore, TargetsAreListedFoundAndKeepTheirSettings) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.concurrency = 8;
    tv.grace = 300s;
    tv.retry_window = 86400s;
    tv.lead = 1800s;
    const auto id = add_target(*db_, tv, before_all, cli_);
    add_target(*db_, kind_target("moi-dai-phat-thanh", "radio"), before_all, cli_);
    const auto targets = list_targets(*db_);
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_EQ(targets[0].name, "moi-dai-phat-thanh");
    EXPECT_EQ(targets[0].outlet_kind, "radio");
    EXPECT_EQ(targets[0].outlet, "");
    EXPECT_TRUE(targets[0].secret.starts_with("whsec_"));
    const auto found = find_target(*db_, "thp-tv-tu-dong");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->outlet, "thp-tv");
    EXPECT_EQ(found->url, tv.url);
    EXPECT_EQ(found->secret, tv.secret);
    EXPECT_EQ(found->concurrency, 8);
    EXPECT_EQ(found->grace, 300s);
    EXPECT_EQ(found->retry_window, 86400s);
    EXPECT_EQ(found->lead, 1800s);
    EXPECT_TRUE(found->enabled);
    EXPECT_FALSE(find_target(*db_, "khong-co"));

    ASSERT_TRUE(set_target_enabled(*db_, tv.name, false, "bảo trì hệ thống", cli_));
    EXPECT_FALSE(find_target(*db_, tv.name)->enabled);
    EXPECT_EQ(find_target(*db_, tv.name)->disabled_reason, "bảo trì hệ thống");
    ASSERT_TRUE(set_target_enabled(*db_, tv.name, true, "", cli_));
    EXPECT_EQ(find_target(*db_, tv.name)->disabled_reason, "");
}

TEST_F(DispatchStore, BadArgumentsNameTheField) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    const auto field_of = [&](dispatch_target t) -> std::string {
        try {
            add_target(*db_, std::move(t), before_all, cli_);
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            return what.substr(0, what.find(':'));
        }
        return "(accepted)";
    };
    dispatch_target t = outlet_target("moi", "thp-tv");
    auto with = [&](auto change) {
        dispatch_target c = t;
        change(c);
        return field_of(c);
    };
    EXPECT_EQ(with([](auto& c) { c.name = ""; }), "name");
    EXPECT_EQ(with([](auto& c) { c.name = "thp-tv-tu-dong"; }), "name");  // duplicate
    EXPECT_EQ(with([](auto& c) { c.outlet_kind = "tv"; }), "outlet");    // both
    EXPECT_EQ(with([](auto& c) { c.outlet = ""; }), "outlet");           // neither
    EXPECT_EQ(with([](auto& c) { c.outlet = "dai-khong-co"; }), "outlet");
    EXPECT_EQ(with([](auto& c) {
                  c.outlet = "";
                  c.outlet_kind = "truyen-hinh";
              }),
              "outlet_kind");
    EXPECT_EQ(with([](auto& c) { c.url = "ftp://thp.example/"; }), "url");
    EXPECT_EQ(with([](auto& c) { c.url = "https:///khong-co-may-chu"; }), "url");
    EXPECT_EQ(with([](auto& c) { c.url = "https://thp.example/có dấu cách"; }), "url");
    // A user name or password in the URL: refused, and the refusal does not repeat it.
    try {
        dispatch_target c = t;
        c.url = "http://nguoi-dung:mat-khau@thp.example/hook";
        add_target(*db_, c, before_all, cli_);
        ADD_FAILURE() << "accepted a URL with a password";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).substr(0, 4), "url:") << e.what();
        EXPECT_EQ(std::string(e.what()).find("mat-khau"), std::string::npos) << e.what();
    }
    EXPECT_EQ(with([](auto& c) {
                  c.name = "at-in-query";
                  c.url = "https://thp.example/hook?from=a@b";
              }),
              "(accepted)");  // an '@' after the host is no user part
    EXPECT_EQ(with([](auto& c) { c.secret = "bí-mật"; }), "secret");
    EXPECT_EQ(with([](auto& c) { c.secret = "whsec_c2hvcnQ="; }), "secret");  // 5 bytes
    EXPECT_EQ(with([](auto& c) { c.secret = "whsec_not base64!"; }), "secret");
    EXPECT_EQ(with([](auto& c) { c.concurrency = 0; }), "concurrency");
    EXPECT_EQ(with([](auto& c) { c.concurrency = 257; }), "concurrency");
    EXPECT_EQ(with([](auto& c) { c.grace = -1s; }), "grace");
    EXPECT_EQ(with([](auto& c) { c.retry_window = -1s; }), "retry_window");
    EXPECT_EQ(with([](auto& c) { c.lead = -1s; }), "lead");
    EXPECT_EQ(with([](auto&) {}), "(accepted)");
    EXPECT_EQ(list_targets(*db_).size(), 3u);

    EXPECT_THROW((void)claim_due(*db_, before_all, 60s, 0), std::invalid_argument);
    EXPECT_THROW((void)claim_due(*db_, before_all, 0ms, 10), std::invalid_argument);
    dispatch_filter f;
    f.state = "dang-gui";
    try {
        (void)list_dispatches(*db_, f);
        ADD_FAILURE() << "an unknown state was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_TRUE(std::string(e.what()).starts_with("state:")) << e.what();
    }
    f.state = "";
    f.limit = 0;  // clamped, like the audit log's paging
    f.offset = -5;
    EXPECT_NO_THROW((void)list_dispatches(*db_, f));
}

TEST_F(DispatchStore, ClaimsInDueOrderWithinEachTargetsConcurrency) {
    const dispatch_target tv = two_targets_and_eleven_placements();
    ASSERT_EQ(next_due(*db_), ms(t29));

    // At 12:30 (within every grace): 2 of TV, 3 of radio, earliest first, interleaved by due time.
    const ms_time now = ms(t29 + 15min);
    const auto claimed = claim_due(*db_, now, 120s, 100);
    ASSERT_EQ(claimed.size(), 5u);
    std::vector<std::string> order;
    for (const auto& c : claimed) order.push_back(c.target_name + "@" + std::to_string((c.start - t29).count()));
    EXPECT_EQ(order, (std::vector<std::string>{"thp-tv-tu-dong@0", "moi-dai-phat-thanh@30", "thp-tv-tu-dong@60",
                                               "moi-dai-phat-thanh@90", "moi-dai-phat-thanh@150"}));
    const auto& first = claimed[0];
    EXPECT_EQ(first.attempt, 1);
    EXPECT_EQ(first.due, ms(t29));
    EXPECT_EQ(first.lease_until, now + 120s);
    EXPECT_EQ(first.url, tv.url);
    EXPECT_EQ(first.secret, tv.secret);
    EXPECT_EQ(first.retry_window, 259200s);
    EXPECT_EQ(first.campaign, slug);
    EXPECT_EQ(first.message, "spot-111");
    EXPECT_EQ(first.outlet, "thp-tv");
    EXPECT_EQ(first.duration_s, 30);
    EXPECT_EQ(first.daypart, "prime");
    EXPECT_EQ(first.placement_state, "planned");
    EXPECT_TRUE(first.webhook_id.starts_with("msg_"));
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'in_flight'"), 5);

    // Every slot is taken: nothing more until one finishes.
    EXPECT_TRUE(claim_due(*db_, now, 120s, 100).empty());
    ASSERT_TRUE(complete_attempt(*db_, success(first, now)));
    const auto next = claim_due(*db_, now + 1s, 120s, 100);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].target_name, "thp-tv-tu-dong");
    EXPECT_EQ(next[0].start, t29 + 2min);

    // The limit holds across targets.
    for (const auto& c : claimed) complete_attempt(*db_, success(c, now + 2s));
    complete_attempt(*db_, success(next[0], now + 2s));
    EXPECT_EQ(claim_due(*db_, now + 3s, 120s, 1).size(), 1u);
}

TEST_F(DispatchStore, ExpiredLeasesAreTakenBackAndTheWebhookIdStays) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    plan({at("spot-111", "thp-tv", t30)});
    const ms_time now = ms(t30);
    const auto claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(take_back_expired_leases(*db_, now + 59s), 0);
    EXPECT_EQ(take_back_expired_leases(*db_, now + 61s), 1);
    const auto row = find_dispatch(*db_, claimed[0].id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, "retrying");
    EXPECT_EQ(row->next_attempt, now);  // due at once
    const auto attempts = list_attempts(*db_, claimed[0].id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].outcome, "lease_expired");
    EXPECT_EQ(attempts[0].attempt, 1);
    EXPECT_EQ(attempts[0].started, now);
    EXPECT_FALSE(attempts[0].status);

    // The attempt that lost its lease can no longer complete (nor leave a body part that nothing
    // refers to); the next one has the same webhook id.
    attempt_record late = success(claimed[0], now + 62s);
    late.shared_tail = late.body.size() - 1;
    EXPECT_FALSE(complete_attempt(*db_, late));
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_body_parts"), 0);
    const auto again = claim_due(*db_, now + 62s, 60s, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempt, 2);
    EXPECT_EQ(again[0].webhook_id, claimed[0].webhook_id);
    // A take-back far ahead (as on start) takes every lease; retrying rows are never missed.
    EXPECT_EQ(take_back_expired_leases(*db_, ms_time{std::chrono::milliseconds{INT64_MAX / 2}}), 1);
    EXPECT_EQ(mark_missed(*db_, now + 24h), 0);
    EXPECT_EQ(claim_due(*db_, now + 24h, 60s, 10).size(), 1u);
}

TEST_F(DispatchStore, StaleRowsAreMissedAndTheirPlacementsOfferedForAMakeGood) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.grace = 600s;
    add_target(*db_, tv, before_all, cli_);
    const auto ids = plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30)});
    // loa was down from before the 29th's slot until 12:26 (11 minutes after it, grace 10).
    EXPECT_EQ(mark_missed(*db_, ms(t29 + 10min)), 0);
    const auto claimed = claim_due(*db_, ms(t29 + 11min), 60s, 10);
    EXPECT_TRUE(claimed.empty());
    const auto missed = all("missed");
    ASSERT_EQ(missed.size(), 1u);
    EXPECT_EQ(missed[0].start, t29);
    EXPECT_NE(missed[0].last_error.find("grace period (10 min)"), std::string::npos) << missed[0].last_error;
    const auto p = placement(ids[0]);
    EXPECT_EQ(p.state, "missed");
    EXPECT_EQ(p.note, "not delivered to thp-tv-tu-dong within its grace period");
    EXPECT_EQ(placement_state(ids[1]), "planned");
    EXPECT_EQ(all("pending").size(), 1u);

    audit_query q;
    q.entity = "placement";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 1);
    EXPECT_EQ(audit.records[0].action, "missed");
    EXPECT_EQ(audit.records[0].actor, "dispatcher");
    EXPECT_EQ(audit.records[0].campaign_slug, slug);

    // A placement another receiver of its outlet already has stays published when this one's row
    // goes stale: the outlet has it and airs it, no make-good.
    dispatch_target backup = outlet_target("thp-tv-du-phong", "thp-tv");
    backup.grace = 600s;
    add_target(*db_, backup, ms(t30 - 1h), cli_);
    const auto first = claim_due(*db_, ms(t30), 60s, 10);
    ASSERT_EQ(first.size(), 2u);
    const auto main_row = first[0].target_name == "thp-tv-tu-dong" ? first[0] : first[1];
    const auto backup_row = first[0].target_name == "thp-tv-tu-dong" ? first[1] : first[0];
    ASSERT_TRUE(complete_attempt(*db_, success(main_row, ms(t30))));
    release_claims(*db_, {backup_row});
    EXPECT_EQ(placement_state(ids[1]), "published");
    EXPECT_EQ(mark_missed(*db_, ms(t30 + 11min)), 1);  // the backup's row
    EXPECT_EQ(placement_state(ids[1]), "published");

    // The planner sees a missed placement it can make good.
    const auto make_good = plan({[&] {
                                    auto n = at("spot-111", "thp-tv", t31);
                                    n.make_good_of = ids[0];
                                    return n;
                                }()},
                                {ids[1]});
    EXPECT_EQ(make_good.size(), 3u);
    EXPECT_TRUE(placement(ids[0]).made_good);
}

TEST_F(DispatchStore, EveryCompletionOutcome) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    // A URL that carries secrets of its own: the 410's reason, shown to every viewer, names the origin.
    tv.url = "https://automation.thp.example:8443/hooks/loa?khoa=bi-mat#x";
    tv.concurrency = 10;
    add_target(*db_, tv, before_all, cli_);
    const auto ids = plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t29 + 1min),
                           at("spot-111", "thp-tv", t29 + 2min), at("spot-111", "thp-tv", t29 + 3min),
                           at("truong-hoc", "thp-tv", t29 + 4min)});
    ASSERT_TRUE(set_placement_state(*db_, slug, ids[4], "published", std::nullopt, "", cli_));
    ASSERT_TRUE(set_placement_state(*db_, slug, ids[4], "aired", "2024-07-29T12:19:30Z", "", cli_));
    const ms_time now = ms(t29 + 5min);
    auto claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 5u);
    const auto by_placement = [&](std::int64_t pid) {
        return *std::find_if(claimed.begin(), claimed.end(), [&](const auto& c) { return c.placement_id == pid; });
    };

    // Delivered: the placement planned → published.
    attempt_record ok = success(by_placement(ids[0]), now);
    ASSERT_TRUE(complete_attempt(*db_, ok));
    auto row = *find_dispatch(*db_, by_placement(ids[0]).id);
    EXPECT_EQ(row.state, "delivered");
    EXPECT_EQ(row.delivered, now + 40ms);
    EXPECT_EQ(row.last_status, 200);
    EXPECT_EQ(placement_state(ids[0]), "published");
    EXPECT_EQ(sent_body(*db_, row.id), ok.body);
    EXPECT_EQ(count("SELECT first_attempt_ms FROM dispatches WHERE id = " + std::to_string(row.id)),
              now.time_since_epoch().count());
    // Completing it twice does nothing.
    EXPECT_FALSE(complete_attempt(*db_, ok));

    // Delivered to an aired placement: it stays aired.
    ASSERT_TRUE(complete_attempt(*db_, success(by_placement(ids[4]), now)));
    EXPECT_EQ(placement_state(ids[4]), "aired");

    // Retry: retrying at the decided time, then claimed again as attempt 2.
    attempt_record retry = success(by_placement(ids[1]), now);
    retry.result = attempt_record::outcome::retry;
    retry.status = 503;
    retry.error = "HTTP 503, Retry-After 120 s";
    retry.next_attempt = now + 120s;
    ASSERT_TRUE(complete_attempt(*db_, retry));
    row = *find_dispatch(*db_, retry.dispatch_id);
    EXPECT_EQ(row.state, "retrying");
    EXPECT_EQ(row.next_attempt, now + 120s);
    EXPECT_EQ(row.last_error, "HTTP 503, Retry-After 120 s");
    EXPECT_EQ(placement_state(ids[1]), "planned");

    // Dead: a 400 the receiver will not take.
    attempt_record dead = success(by_placement(ids[2]), now);
    dead.result = attempt_record::outcome::dead;
    dead.status = 400;
    dead.error = "HTTP 400: trường 'text' quá dài";
    ASSERT_TRUE(complete_attempt(*db_, dead));
    EXPECT_EQ(find_dispatch(*db_, dead.dispatch_id)->state, "dead");

    // 410: dead and the target disabled, with its reason; its other rows wait.
    attempt_record gone = success(by_placement(ids[3]), now);
    gone.result = attempt_record::outcome::disabled;
    gone.status = 410;
    gone.error = "HTTP 410";
    EXPECT_EQ(complete_attempts(*db_, {gone, retry}), 1);  // the retry was already recorded
    EXPECT_EQ(find_dispatch(*db_, gone.dispatch_id)->state, "dead");
    const auto t = find_target(*db_, tv.name);
    EXPECT_FALSE(t->enabled);
    EXPECT_EQ(t->disabled_reason, "410 Gone from https://automation.thp.example:8443 at 2024-07-29T12:20:00Z");
    EXPECT_TRUE(claim_due(*db_, now + 121s, 60s, 10).empty());
    EXPECT_FALSE(next_due(*db_));

    const auto attempts = list_attempts(*db_, gone.dispatch_id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].outcome, "disabled");
    EXPECT_EQ(attempts[0].status, 410);
    EXPECT_EQ(attempts[0].started, now);
    EXPECT_EQ(attempts[0].finished, now + 40ms);

    audit_query q;
    q.entity = "dispatch_target";
    q.action = "disable";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 1);
    EXPECT_EQ(audit.records[0].actor, "dispatcher");

    // Enabled again, the retry goes out as attempt 2.
    ASSERT_TRUE(set_target_enabled(*db_, tv.name, true, "", cli_));
    claimed = claim_due(*db_, now + 121s, 60s, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].attempt, 2);
    EXPECT_EQ(claimed[0].id, retry.dispatch_id);

    // A claimed row whose body cannot be built is cancelled by the runner.
    EXPECT_TRUE(cancel_dispatch(*db_, claimed[0].id, "tin nhắn không còn được duyệt"));
    EXPECT_FALSE(cancel_dispatch(*db_, claimed[0].id, "again"));
    EXPECT_EQ(find_dispatch(*db_, claimed[0].id)->last_error, "tin nhắn không còn được duyệt");
}

TEST_F(DispatchStore, OperatorsRequeueAndRetry) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30)});
    const ms_time now = ms(t29);
    const auto claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 1u);
    attempt_record dead = success(claimed[0], now);
    dead.result = attempt_record::outcome::dead;
    dead.status = 422;
    ASSERT_TRUE(complete_attempt(*db_, dead));

    const ms_time later = now + 2h;
    const auto pending = all("pending");
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_FALSE(requeue_dispatch(*db_, pending[0].id, later, approver_));  // not dead/missed/cancelled
    EXPECT_FALSE(requeue_dispatch(*db_, 999999, later, approver_));
    ASSERT_TRUE(requeue_dispatch(*db_, claimed[0].id, later, approver_));
    auto row = *find_dispatch(*db_, claimed[0].id);
    EXPECT_EQ(row.state, "pending");
    EXPECT_EQ(row.next_attempt, later);
    EXPECT_EQ(row.attempts, 1);  // kept
    const auto again = claim_due(*db_, later, 60s, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempt, 2);

    // Not while the target is disabled: it would be sent nothing, only counted as due.
    EXPECT_EQ(dispatch_status(*db_, ms(t30)).due_now, 1);
    ASSERT_TRUE(set_target_enabled(*db_, "thp-tv-tu-dong", false, "bảo trì", cli_));
    using result = operator_outcome::result;
    EXPECT_EQ(retry_now(*db_, pending[0].id, later, approver_).value, result::target_disabled);
    // The state is said first: a row in flight is refused for its state, whatever its target.
    EXPECT_EQ(retry_now(*db_, again[0].id, later, approver_).value, result::wrong_state);
    EXPECT_EQ(requeue_dispatch(*db_, 999999, later, approver_).value, result::no_dispatch);
    EXPECT_EQ(dispatch_status(*db_, ms(t30)).due_now, 0);
    ASSERT_TRUE(set_target_enabled(*db_, "thp-tv-tu-dong", true, "", cli_));

    // Retry now: the 30th's pending row is attempted at once.
    EXPECT_FALSE(retry_now(*db_, again[0].id, later, approver_));  // in flight
    ASSERT_TRUE(retry_now(*db_, pending[0].id, later, approver_));
    EXPECT_EQ(find_dispatch(*db_, pending[0].id)->next_attempt, later);
    EXPECT_EQ(next_due(*db_), later);

    audit_query q;
    q.entity = "dispatch";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 2);
    EXPECT_EQ(audit.records[0].action, "retry");
    EXPECT_EQ(audit.records[1].action, "requeue");
    EXPECT_EQ(audit.records[1].actor, "Nguyễn Thị Hương");
    EXPECT_EQ(audit.records[1].entity_key, std::to_string(claimed[0].id));
    EXPECT_EQ(audit.records[1].campaign_slug, slug);
}

TEST_F(DispatchStore, ApprovalLossCancelsAndReapprovalRevives) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    // Slots far ahead of the wall clock, so that re-approval (which uses it) finds them ahead.
    const auto future = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + 24h * 30;
    plan({at("spot-111", "thp-tv", future), at("spot-111", "thp-tv", future + 1h),
          at("truong-hoc", "thp-tv", future + 2h)});
    const auto in_flight = claim_due(*db_, ms(future), 60s, 1);
    ASSERT_EQ(in_flight.size(), 1u);
    const auto before = all("pending");
    ASSERT_EQ(before.size(), 2u);

    // An edit takes the approval away: what waits is cancelled; what is in flight finishes.
    auto m = find_message(*db_, slug, "spot-111");
    ASSERT_TRUE(m);
    m->item.text.vi = "Hãy gọi ngay 111 khi thấy dấu hiệu mua bán người.";
    const auto edited = update_message(*db_, slug, "spot-111", m->item, cli_);
    ASSERT_TRUE(edited.ok());
    const auto cancelled = all("cancelled");
    ASSERT_EQ(cancelled.size(), 1u);
    EXPECT_EQ(cancelled[0].message, "spot-111");
    EXPECT_EQ(cancelled[0].last_error, "message no longer approved: edited to version 2");
    EXPECT_EQ(find_dispatch(*db_, in_flight[0].id)->state, "in_flight");
    EXPECT_EQ(all("pending").size(), 1u);  // truong-hoc's

    // Submitted and approved again: the cancelled row is pending again, with a new webhook id.
    ASSERT_TRUE(submit_message(*db_, slug, "spot-111", cli_, 2).ok());
    EXPECT_EQ(all("cancelled").size(), 1u);
    ASSERT_TRUE(approve_message(*db_, slug, "spot-111", approver_, 2, "Đồng ý").ok());
    EXPECT_TRUE(all("cancelled").empty());
    const auto revived = find_dispatch(*db_, cancelled[0].id);
    ASSERT_TRUE(revived);
    EXPECT_EQ(revived->state, "pending");
    EXPECT_EQ(revived->last_error, "");
    EXPECT_NE(revived->webhook_id, cancelled[0].webhook_id);
    EXPECT_EQ(all("pending").size(), 2u);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches"), 3);  // no duplicates
}

TEST_F(DispatchStore, ReapprovalQueuesWhatIsAheadOfTheCallersClock) {
    // 2024 slots, long past on the wall clock: re-approved without a clock (the system's), they stay
    // cancelled; a rehearsing server (loa serve --as-of) approves as of its own clock, before them,
    // and they are queued again.
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30)});
    ASSERT_EQ(all("pending").size(), 2u);
    auto m = find_message(*db_, slug, "spot-111");
    ASSERT_TRUE(m);
    m->item.text.vi = "Hãy gọi ngay 111 khi thấy dấu hiệu mua bán người.";
    ASSERT_TRUE(update_message(*db_, slug, "spot-111", m->item, cli_).ok());
    ASSERT_EQ(all("cancelled").size(), 2u);
    ASSERT_TRUE(submit_message(*db_, slug, "spot-111", cli_, 2).ok());
    ASSERT_TRUE(approve_message(*db_, slug, "spot-111", approver_, 2, "Đồng ý").ok());
    EXPECT_TRUE(all("pending").empty());
    EXPECT_EQ(all("cancelled").size(), 2u);

    m->item.text.vi = "Gọi ngay 111 khi thấy dấu hiệu mua bán người.";
    ASSERT_TRUE(update_message(*db_, slug, "spot-111", m->item, cli_).ok());
    ASSERT_TRUE(submit_message(*db_, slug, "spot-111", cli_, 3).ok());
    ASSERT_TRUE(approve_message(*db_, slug, "spot-111", approver_, 3, "Đồng ý", ms(t29) - 1h).ok());
    EXPECT_EQ(all("pending").size(), 2u);
    EXPECT_TRUE(all("cancelled").empty());
}

TEST_F(DispatchStore, ARemovedTargetKeepsItsLog) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    add_target(*db_, tv, before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t30)});
    const auto claimed = claim_due(*db_, ms(t29), 60s, 10);
    ASSERT_EQ(claimed.size(), 1u);
    ASSERT_TRUE(remove_target(*db_, tv.name, cli_));
    EXPECT_FALSE(remove_target(*db_, tv.name, cli_));
    EXPECT_FALSE(find_target(*db_, tv.name));
    EXPECT_TRUE(list_targets(*db_).empty());
    EXPECT_EQ(all("cancelled").size(), 1u);
    // The attempt in flight finishes; a retry it would need is cancelled.
    attempt_record retry = success(claimed[0], ms(t29));
    retry.result = attempt_record::outcome::retry;
    retry.status = 500;
    retry.error = "HTTP 500";
    retry.next_attempt = ms(t29) + 10s;
    ASSERT_TRUE(complete_attempt(*db_, retry));
    const auto row = find_dispatch(*db_, claimed[0].id);
    EXPECT_EQ(row->state, "cancelled");
    EXPECT_EQ(row->last_error, "target removed; last attempt: HTTP 500");
    EXPECT_EQ(row->target, tv.name);
    EXPECT_EQ(list_attempts(*db_, claimed[0].id).size(), 1u);
    EXPECT_FALSE(requeue_dispatch(*db_, claimed[0].id, ms(t30), cli_));
    // The name is free again.
    add_target(*db_, tv, ms(t29 + 1h), cli_);
    EXPECT_EQ(list_targets(*db_).size(), 1u);
    EXPECT_EQ(all("pending").size(), 1u);  // the 30th, for the new target
}

TEST_F(DispatchStore, LogFiltersAndStatus) {
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);
    add_target(*db_, kind_target("moi-dai-phat-thanh", "radio"), before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-radio", t29 + 1min), at("truong-hoc", "thp-tv", t30)});
    const ms_time now = ms(t29 + 2min);
    const auto claimed = claim_due(*db_, now, 60s, 1);
    ASSERT_EQ(claimed.size(), 1u);
    ASSERT_TRUE(complete_attempt(*db_, success(claimed[0], now)));

    dispatch_filter f;
    f.target = "moi-dai-phat-thanh";
    ASSERT_EQ(list_dispatches(*db_, f).size(), 1u);
    f.target = "";
    f.state = "delivered";
    const auto delivered = list_dispatches(*db_, f);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0].outlet, "thp-tv");
    f.state = "";
    f.campaign = "khong-co";
    EXPECT_TRUE(list_dispatches(*db_, f).empty());
    f.campaign = slug;
    f.limit = 2;
    f.offset = 1;
    const auto page = list_dispatches(*db_, f);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].start, t29 + 1min);
    EXPECT_EQ(page[1].start, t29);
    EXPECT_FALSE(find_dispatch(*db_, 424242));
    EXPECT_TRUE(list_attempts(*db_, 424242).empty());

    const auto s = dispatch_status(*db_, now);
    ASSERT_EQ(s.by_state.size(), std::size(dispatch_states));
    EXPECT_EQ(s.by_state[0], (std::pair<std::string, std::int64_t>{"pending", 2}));
    EXPECT_EQ(s.by_state[2], (std::pair<std::string, std::int64_t>{"delivered", 1}));
    EXPECT_EQ(s.due_now, 1);  // the radio one; the 30th is not due
    EXPECT_EQ(s.oldest_due, ms(t29 + 1min));
    EXPECT_EQ(s.targets, 2);
    EXPECT_EQ(s.targets_disabled, 0);
}

// Not a benchmark (no assertion on time): the numbers show whether a batch of 256 stays within a
// few milliseconds, for the dispatcher's ≥ 2,000 deliveries/s.
TEST_F(DispatchStore, OneTransactionRecordsTheFinishedAttemptsThenClaimsTheirSlots) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.concurrency = 2;
    add_target(*db_, tv, before_all, cli_);
    std::vector<new_placement> added;
    for (int i = 0; i < 5; ++i) added.push_back(at("spot-111", "thp-tv", t29 + std::chrono::minutes(i)));
    plan(added);
    const ms_time now = ms(t29 + 15min);

    // Nothing finished yet: a plain claim, within the concurrency.
    int missed = -1;
    const auto first = complete_and_claim(*db_, {}, now, 120s, 100, &missed);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(missed, 0);
    // Both finish: recorded, and their two slots claimed by the same call.
    const auto second = complete_and_claim(*db_, {success(first[0], now), success(first[1], now)}, now + 1s, 120s, 100);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].start, t29 + 2min);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'delivered'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_attempts WHERE outcome = 'delivered'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'in_flight'"), 2);
    // Limit 0: only the records.
    EXPECT_TRUE(complete_and_claim(*db_, {success(second[0], now + 2s)}, now + 2s, 120s, 0).empty());
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'delivered'"), 3);
    // A record that fails (an outcome the store does not know) rolls the whole turn back: nothing is
    // recorded and nothing claimed.
    attempt_record broken = success(second[1], now + 3s);
    broken.result = static_cast<attempt_record::outcome>(99);
    const auto in_flight_before = count("SELECT count(*) FROM dispatches WHERE state = 'in_flight'");
    EXPECT_ANY_THROW((void)complete_and_claim(*db_, {broken}, now + 3s, 120s, 100));
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'in_flight'"), in_flight_before);
    EXPECT_THROW((void)complete_and_claim(*db_, {}, now, 120s, -1), std::invalid_argument);
}

TEST_F(DispatchStore, TheClaimAnswersWhatNextDueWouldAfterIt) {
    // Folded into the claim (one query less per turn): it must agree with next_due in every state
    // a turn can leave: targets full, targets with room and rows due now, only later rows, retrying
    // rows, nothing left.
    (void)two_targets_and_eleven_placements();

    ms_time now = ms(t29 + 15min);
    std::vector<claimed_dispatch> in_flight;
    int turns = 0;
    for (const int limit : {1, 100, 2, 1, 100, 100, 100, 100}) {
        // The finished attempts: the first one retries (two minutes on), the others are delivered.
        std::vector<attempt_record> done;
        for (std::size_t i = 0; i < in_flight.size(); ++i) {
            attempt_record r = success(in_flight[i], now);
            if (i == 0 && in_flight[i].attempt == 1) {
                r.result = attempt_record::outcome::retry;
                r.status = 503;
                r.error = "HTTP 503";
                r.next_attempt = now + 2min;
            }
            done.push_back(r);
        }
        std::optional<ms_time> next = ms(t30);  // overwritten, also with nullopt
        in_flight = complete_and_claim(*db_, done, now, 120s, limit, nullptr, &next);
        EXPECT_EQ(next, next_due(*db_)) << "turn " << turns << ", limit " << limit;
        ++turns;
        now += 1min;
    }
    // At the end only the 31st is left (and nothing in flight): the claim says so too.
    std::optional<ms_time> next;
    std::vector<attempt_record> done;
    for (const auto& c : in_flight) done.push_back(success(c, now));
    EXPECT_TRUE(complete_and_claim(*db_, done, now, 120s, 100, nullptr, &next).empty());
    EXPECT_EQ(next, ms(t31));
    EXPECT_EQ(next, next_due(*db_));
    // claim_due answers it as well.
    std::optional<ms_time> from_claim_due;
    EXPECT_TRUE(claim_due(*db_, now, 120s, 5, nullptr, &from_claim_due).empty());
    EXPECT_EQ(from_claim_due, ms(t31));
}

TEST_F(DispatchStore, ADeeperClaimHoldsRowsReadyBehindEachTargetsConcurrency) {
    (void)two_targets_and_eleven_placements();  // TV 2 at a time, radio 3 at a time
    const ms_time now = ms(t29 + 15min);
    // Depth 2: twice each target's concurrency (TV has 5 due, radio 5), and each row says how many
    // of them may be on the wire at once.
    std::optional<ms_time> next = ms(t29);
    const auto claimed = claim_due(*db_, now, 120s, 100, nullptr, &next, 2);
    ASSERT_EQ(claimed.size(), 4u + 5u);
    int tv = 0, radio = 0;
    for (const auto& c : claimed) {
        if (c.target_name == "thp-tv-tu-dong") {
            ++tv;
            EXPECT_EQ(c.concurrency, 2);
        } else {
            ++radio;
            EXPECT_EQ(c.concurrency, 3);
        }
    }
    EXPECT_EQ(tv, 4);
    EXPECT_EQ(radio, 5);
    // TV's fifth row waits (the target is full at depth 2, as next_due at depth 2 says); at
    // depth 1 both targets are full.
    EXPECT_EQ(next, std::nullopt);
    EXPECT_EQ(next, next_due(*db_, 2));
    EXPECT_EQ(next_due(*db_, 1), std::nullopt);
    EXPECT_TRUE(claim_due(*db_, now, 120s, 100, nullptr, nullptr, 2).empty());
    EXPECT_THROW((void)claim_due(*db_, now, 120s, 100, nullptr, nullptr, 0), std::invalid_argument);
    EXPECT_THROW((void)next_due(*db_, 0), std::invalid_argument);
}

TEST_F(DispatchStore, RowsHeldReadyNeverTakeAnotherTargetsFreeSlot) {
    (void)two_targets_and_eleven_placements();  // TV 2 at a time, radio 3 at a time
    const ms_time now = ms(t29 + 15min);
    // A limit of 5 at depth 2: every free slot on the wire (2 TV, 3 radio) before any row held
    // ready, although TV's third row (12:02) is due before radio's third (12:02:30).
    const auto claimed = claim_due(*db_, now, 120s, 5, nullptr, nullptr, 2);
    std::vector<std::string> order;
    for (const auto& c : claimed) order.push_back(c.target_name + "@" + std::to_string((c.start - t29).count()));
    EXPECT_EQ(order, (std::vector<std::string>{"thp-tv-tu-dong@0", "moi-dai-phat-thanh@30", "thp-tv-tu-dong@60",
                                               "moi-dai-phat-thanh@90", "moi-dai-phat-thanh@150"}));
    // Then the rows held ready, earliest first.
    const auto held = claim_due(*db_, now, 120s, 3, nullptr, nullptr, 2);
    order.clear();
    for (const auto& c : held) order.push_back(c.target_name + "@" + std::to_string((c.start - t29).count()));
    EXPECT_EQ(order, (std::vector<std::string>{"thp-tv-tu-dong@120", "thp-tv-tu-dong@180", "moi-dai-phat-thanh@210"}));
}

TEST_F(DispatchStore, WhatTheRunnerRereadsForItsReadyRows) {
    (void)two_targets_and_eleven_placements();
    const ms_time now = ms(t29 + 15min);
    const auto claimed = claim_due(*db_, now, 120s, 3, nullptr, nullptr, 2);
    ASSERT_EQ(claimed.size(), 3u);
    // Every row in flight, by id, with its attempt number.
    std::vector<std::pair<std::int64_t, int>> rows;
    for (const auto& c : claimed) rows.emplace_back(c.id, c.attempt);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(in_flight_rows(*db_), rows);
    // One completed: no longer in flight.
    ASSERT_TRUE(complete_attempt(*db_, success(claimed[0], now)));
    rows.erase(std::find(rows.begin(), rows.end(), std::pair<std::int64_t, int>{claimed[0].id, claimed[0].attempt}));
    EXPECT_EQ(in_flight_rows(*db_), rows);

    ASSERT_TRUE(set_target_enabled(*db_, "thp-tv-tu-dong", false, "bảo trì", cli_));
    db_->sql().exec("UPDATE dispatch_targets SET concurrency = 7 WHERE name = 'moi-dai-phat-thanh'");
    const auto states = target_states(*db_);
    ASSERT_EQ(states.size(), 2u);
    for (const auto& t : states) {
        const auto name = db_->sql().execAndGet("SELECT name FROM dispatch_targets WHERE id = " + std::to_string(t.id)).getString();
        if (name == "thp-tv-tu-dong") {
            EXPECT_FALSE(t.usable);
            EXPECT_EQ(t.concurrency, 2);
        } else {
            EXPECT_TRUE(t.usable);
            EXPECT_EQ(t.concurrency, 7);
        }
    }
    ASSERT_TRUE(remove_target(*db_, "moi-dai-phat-thanh", cli_));
    for (const auto& t : target_states(*db_)) EXPECT_FALSE(t.usable) << t.id;
}

TEST_F(DispatchStore, ReleasedClaimsGoBackAsTheyWereWithNoAttemptRecorded) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.concurrency = 1;
    add_target(*db_, tv, before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t29 + 1min), at("spot-111", "thp-tv", t29 + 2min)});
    // The first fails and waits for its retry; then all three are claimed.
    ms_time now = ms(t29 + 5min);
    auto first = claim_due(*db_, now, 120s, 10);
    ASSERT_EQ(first.size(), 1u);
    attempt_record failed = success(first[0], now);
    failed.result = attempt_record::outcome::retry;
    failed.status = 503;
    failed.error = "HTTP 503";
    failed.next_attempt = now + 1min;
    ASSERT_TRUE(complete_attempt(*db_, failed));
    const auto before = all();
    now = ms(t29 + 7min);  // within the 15-minute grace of all three
    const auto claimed = claim_due(*db_, now, 120s, 10, nullptr, nullptr, 3);
    ASSERT_EQ(claimed.size(), 3u);
    // Due order: the two never tried (12:01, 12:02), then the retry (12:06).
    ASSERT_EQ(claimed[2].id, first[0].id);
    EXPECT_TRUE(claimed[2].was_retrying);
    EXPECT_EQ(claimed[2].attempt, 2);
    EXPECT_FALSE(claimed[0].was_retrying);
    EXPECT_EQ(claimed[0].attempt, 1);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE first_attempt_ms IS NOT NULL"), 3);

    // The retry is sent and delivered; the other two go back unsent.
    ASSERT_TRUE(complete_attempt(*db_, success(claimed[2], now)));
    EXPECT_EQ(release_claims(*db_, {claimed[0], claimed[1]}), 2);
    for (const auto& row : all()) {
        if (row.id == claimed[2].id) {
            EXPECT_EQ(row.state, "delivered");
            continue;
        }
        const auto was = std::find_if(before.begin(), before.end(), [&](const dispatch_row& b) { return b.id == row.id; });
        ASSERT_NE(was, before.end());
        EXPECT_EQ(row.state, was->state);
        EXPECT_EQ(row.attempts, was->attempts);
        EXPECT_EQ(row.next_attempt, was->next_attempt);
        EXPECT_TRUE(list_attempts(*db_, row.id).empty());
    }
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE first_attempt_ms IS NOT NULL"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE lease_until_ms IS NOT NULL"), 0);
    // Only rows still in flight with that attempt move: a second release changes nothing.
    EXPECT_EQ(release_claims(*db_, {claimed[0], claimed[1]}), 0);
    EXPECT_EQ(release_claims(*db_, {}), 0);

    // A retrying row goes back to retrying, at its retry time.
    const auto retry_row = claim_due(*db_, now + 1s, 120s, 1);
    ASSERT_EQ(retry_row.size(), 1u);
    ASSERT_EQ(retry_row[0].id, claimed[0].id);
    attempt_record again = success(retry_row[0], now + 1s);
    again.result = attempt_record::outcome::retry;
    again.status = 503;
    again.next_attempt = now + 10min;
    ASSERT_TRUE(complete_attempt(*db_, again));
    const auto later = claim_due(*db_, now + 11min, 120s, 1);
    ASSERT_EQ(later.size(), 1u);
    ASSERT_EQ(later[0].id, claimed[0].id);
    EXPECT_TRUE(later[0].was_retrying);
    EXPECT_EQ(release_claims(*db_, later), 1);
    const auto row = find_dispatch(*db_, later[0].id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, "retrying");
    EXPECT_EQ(row->attempts, 1);
    EXPECT_EQ(row->next_attempt, now + 10min);

    // Claimed rows of a target removed meanwhile are cancelled instead.
    const auto last = claim_due(*db_, now + 12min, 120s, 1);
    ASSERT_EQ(last.size(), 1u);
    ASSERT_TRUE(remove_target(*db_, "thp-tv-tu-dong", cli_));
    EXPECT_EQ(release_claims(*db_, last), 1);
    const auto gone = find_dispatch(*db_, last[0].id);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->state, "cancelled");
    EXPECT_NE(gone->last_error.find("target removed"), std::string::npos);
}

TEST_F(DispatchStore, TheBodyAsSentIsKeptAsItsHeadAndASharedPartStoredOnce) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.concurrency = 10;
    add_target(*db_, tv, before_all, cli_);
    const auto ids = plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t29 + 1min),
                           at("spot-111", "thp-tv", t29 + 2min), at("spot-111", "thp-tv", t29 + 3min),
                           at("spot-111", "thp-tv", t29 + 4min), at("spot-111", "thp-tv", t29 + 5min)});
    const ms_time now = ms(t29 + 6min);
    const auto claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 6u);
    for (const auto& c : claimed) EXPECT_FALSE(sent_body(*db_, c.id));  // no attempt yet
    const std::string tail = R"(,"content":[{"lang":"vi","text":"Hãy gọi 111 khi thấy dấu hiệu mua bán người."}]}})";
    const auto with_head = [&](const claimed_dispatch& c, const std::string& rest) {
        attempt_record r = success(c, now);
        r.body = R"({"timestamp":"2024-07-29T12:21:00Z","webhook_id":")" + c.webhook_id + "\"" + rest;
        r.shared_tail = rest.size();
        return r;
    };
    // Two in one transaction, one in another: one part, found again by its hash.
    const attempt_record a = with_head(claimed[0], tail);
    const attempt_record b = with_head(claimed[1], tail);
    ASSERT_EQ(complete_attempts(*db_, {a, b}), 2);
    const attempt_record c = with_head(claimed[2], tail);
    ASSERT_TRUE(complete_attempt(*db_, c));
    for (const attempt_record* r : {&a, &b, &c}) {
        EXPECT_EQ(sent_body(*db_, r->dispatch_id), r->body);
        const std::string id = std::to_string(r->dispatch_id);
        EXPECT_EQ(text("SELECT body FROM dispatch_sent_bodies WHERE id = " + id), r->body);
        // The row holds only the head.
        EXPECT_EQ(count("SELECT length(CAST(sent_body AS BLOB)) FROM dispatches WHERE id = " + id),
                  static_cast<std::int64_t>(r->body.size() - tail.size()));
    }
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_body_parts"), 1);
    // Another shared part is another row.
    const attempt_record d = with_head(claimed[3], R"(,"content":[{"lang":"vi","text":"Gọi 111."}]}})");
    ASSERT_TRUE(complete_attempt(*db_, d));
    EXPECT_EQ(sent_body(*db_, d.dispatch_id), d.body);
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_body_parts"), 2);
    // No shared tail, or a split inside a UTF-8 character ("ọ" is three bytes): the whole body in the row.
    attempt_record whole = with_head(claimed[4], tail);
    whole.shared_tail = 0;
    attempt_record split = with_head(claimed[5], tail);
    split.shared_tail = tail.size() - std::string(R"(,"content":[{"lang":"vi","text":"Hãy g)").size() - 1;
    ASSERT_EQ(static_cast<unsigned char>(split.body[split.body.size() - split.shared_tail]) & 0xC0U, 0x80U);
    ASSERT_EQ(complete_attempts(*db_, {whole, split}), 2);
    for (const attempt_record* r : {&whole, &split}) {
        EXPECT_EQ(sent_body(*db_, r->dispatch_id), r->body);
        const std::string id = std::to_string(r->dispatch_id);
        EXPECT_EQ(text("SELECT sent_body FROM dispatches WHERE id = " + id), r->body);
        EXPECT_EQ(count("SELECT sent_body_part IS NULL FROM dispatches WHERE id = " + id), 1);
    }
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_body_parts"), 2);
}

TEST_F(DispatchStore, TheBodyAsSentIsTheLastAttemptsAndARolledBackPartIsNotReused) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    add_target(*db_, tv, before_all, cli_);
    plan({at("spot-111", "thp-tv", t29), at("spot-111", "thp-tv", t29 + 1min)});
    ms_time now = ms(t29 + 2min);
    auto claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 2u);
    attempt_record first = success(claimed[0], now);
    first.body = R"({"attempt":1,"shared":"một"})";
    first.shared_tail = std::string(R"(,"shared":"một"})").size();
    first.result = attempt_record::outcome::retry;
    first.status = 500;
    first.error = "HTTP 500";
    first.next_attempt = now + 10s;
    // A turn that fails after storing a new part rolls it back; the next turn stores it again.
    attempt_record broken = success(claimed[1], now);
    broken.result = static_cast<attempt_record::outcome>(99);
    EXPECT_ANY_THROW((void)complete_and_claim(*db_, {first, broken}, now, 60s, 10));
    EXPECT_EQ(count("SELECT count(*) FROM dispatch_body_parts"), 0);
    ASSERT_EQ(complete_attempts(*db_, {first}), 1);
    EXPECT_EQ(sent_body(*db_, first.dispatch_id), first.body);
    now += 20s;
    claimed = claim_due(*db_, now, 60s, 10);
    ASSERT_EQ(claimed.size(), 1u);  // the other one's attempt is still in flight
    const claimed_dispatch again = claimed[0];
    ASSERT_EQ(again.id, first.dispatch_id);
    ASSERT_EQ(again.attempt, 2);
    attempt_record second = success(again, now);
    second.body = R"({"attempt":2,"shared":"hai"})";
    second.shared_tail = std::string(R"(,"shared":"hai"})").size();
    ASSERT_TRUE(complete_attempt(*db_, second));
    EXPECT_EQ(sent_body(*db_, first.dispatch_id), second.body);
    EXPECT_FALSE(sent_body(*db_, 424242));
}

TEST_F(DispatchStore, ADatabaseOfSchema6KeepsItsSentBodiesWhenUpgraded) {
    temp_dir old_dir;
    const auto path = old_dir.file("old.db");
    const std::string body = R"({"type":"placement.due","data":{"text":"Hãy gọi 111"}})";
    {
        // A database as loa wrote it before version 7 (foreign keys off: a bare dispatch row).
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const auto& m : migrations()) {
            if (m.version > 6) break;
            raw.exec(std::string(m.sql));
            raw.exec("PRAGMA user_version = " + std::to_string(m.version));
        }
        SQLite::Statement ins(raw,
                              "INSERT INTO dispatches (webhook_id, placement_id, target_id, due_ms, state, "
                              "next_attempt_ms, attempts, sent_body, created_at, updated_at) "
                              "VALUES ('msg_old', 1, 1, 0, 'delivered', 0, 1, ?, 'x', 'x')");
        ins.bind(1, body);
        ins.exec();
    }
    database upgraded(path);
    EXPECT_EQ(upgraded.schema_version(), latest_schema_version());
    const std::int64_t id = upgraded.sql().execAndGet("SELECT id FROM dispatches WHERE webhook_id = 'msg_old'").getInt64();
    EXPECT_EQ(sent_body(upgraded, id), body);
    EXPECT_EQ(upgraded.sql().execAndGet("SELECT body FROM dispatch_sent_bodies WHERE id = " + std::to_string(id)).getString(),
              body);
}

TEST_F(DispatchStore, TheChangeStampMovesWithEveryWriteOfThisOrAnotherConnection) {
    const change_stamp a = take_change_stamp(*db_);
    EXPECT_EQ(take_change_stamp(*db_), a);  // reading changes nothing
    (void)list_dispatches(*db_, {});
    EXPECT_EQ(take_change_stamp(*db_), a);
    add_target(*db_, outlet_target("thp-tv-tu-dong", "thp-tv"), before_all, cli_);  // this connection
    const change_stamp b = take_change_stamp(*db_);
    EXPECT_NE(b, a);
    {
        SQLite::Database other(dir_.file("loa.db").string(), SQLite::OPEN_READWRITE);  // another one
        other.exec("UPDATE messages SET text_vi = text_vi || ' ' WHERE id = (SELECT min(id) FROM messages)");
    }
    EXPECT_NE(take_change_stamp(*db_), b);
}

TEST_F(DispatchStore, ClaimAndCompleteABatchOf256) {
    dispatch_target tv = outlet_target("thp-tv-tu-dong", "thp-tv");
    tv.concurrency = 256;
    tv.grace = 86400s;  // the backlog is hours late here: not missed
    add_target(*db_, tv, before_all, cli_);
    for (int k = 0; k < 3; ++k) {
        dispatch_target other = kind_target("phat-thanh-" + std::to_string(k), "radio");
        other.concurrency = 64;
        other.grace = 86400s;
        add_target(*db_, other, before_all, cli_);
    }
    std::vector<new_placement> added;
    for (int i = 0; i < 4096; ++i) {
        added.push_back(at(i % 2 == 0 ? "spot-111" : "truong-hoc", i % 4 == 0 ? "thp-radio" : "thp-tv",
                           t29 + std::chrono::seconds(i)));
    }
    // Not yet due: a backlog the claim must not wade through.
    for (int i = 0; i < 4096; ++i) added.push_back(at("spot-111", "thp-tv", t31 + std::chrono::seconds(i)));
    const auto t_plan = std::chrono::steady_clock::now();
    store_plan(*db_, a_run(), {}, added, cli_);
    const auto plan_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_plan).count();
    ASSERT_EQ(count("SELECT count(*) FROM dispatches"), 3072 + 1024 * 3 + 4096);

    const ms_time now = ms(t29 + 4096s);
    // Wall time and this thread's CPU time: the machine may be shared, and CPU time says what the
    // store itself costs.
    const auto cpu_ms = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
    };
    const auto wall_ms = [] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
    std::string claim_rounds;
    double claim_wall = 0, claim_cpu = 0, complete_wall = 0, complete_cpu = 0, worst_claim = 0, worst_complete = 0;
    int rounds = 0;
    for (; rounds < 8; ++rounds) {
        const double w0 = wall_ms(), c0 = cpu_ms();
        const auto claimed = claim_due(*db_, now + std::chrono::seconds(rounds), 120s, 256);
        const double w1 = wall_ms(), c1 = cpu_ms();
        ASSERT_EQ(claimed.size(), 256u);
        std::vector<attempt_record> done;
        for (const auto& c : claimed) done.push_back(success(c, now));
        const double w2 = wall_ms(), c2 = cpu_ms();
        ASSERT_EQ(complete_attempts(*db_, done), 256);
        const double w3 = wall_ms(), c3 = cpu_ms();
        claim_wall += w1 - w0;
        claim_rounds += " " + std::to_string(static_cast<int>(w1 - w0));
        claim_cpu += c1 - c0;
        complete_wall += w3 - w2;
        complete_cpu += c3 - c2;
        worst_claim = std::max(worst_claim, w1 - w0);
        worst_complete = std::max(worst_complete, w3 - w2);
    }
    std::cout << "[ timing ] store_plan of " << added.size() << " placements with their dispatches: " << plan_ms
              << " ms\n"
              << "[ timing ] claim 256: wall mean " << claim_wall / rounds << " ms (worst " << worst_claim
              << "), cpu mean " << claim_cpu / rounds << " ms; wall by round (ms):" << claim_rounds << "\n"
              << "[ timing ] complete 256: wall mean " << complete_wall / rounds << " ms (worst " << worst_complete
              << "), cpu mean " << complete_cpu / rounds << " ms\n";
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE state = 'delivered'"), 256 * rounds);

    // The hot statements use the per-target index, not a scan of the table.
    SQLite::Statement plan_of(db_->sql(),
                              "EXPLAIN QUERY PLAN SELECT next_attempt_ms, id FROM dispatches WHERE target_id = 1 "
                              "AND state = 'pending' AND next_attempt_ms <= 5 ORDER BY next_attempt_ms, id LIMIT 256");
    std::string detail;
    while (plan_of.executeStep()) detail += plan_of.getColumn(3).getString() + "; ";
    EXPECT_NE(detail.find("INDEX dispatches_target"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("TEMP B-TREE"), std::string::npos) << detail;

    // Nor do the readers by state (schema 11 has no (state, …) index): every statement that names
    // the outbox and stepped through a full scan, watched as it ends, is explained, and the only
    // tables it scans are the targets'. (The log's page is not among them: it reads the due-time
    // index in order.)
    struct scans {
        std::set<std::string> sql;
        static int seen(unsigned, void* self, void* p, void*) {
            auto* stmt = static_cast<sqlite3_stmt*>(p);
            const char* text = sqlite3_sql(stmt);
            if (text != nullptr && std::string_view(text).find("dispatches") != std::string_view::npos &&
                sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1) > 0)
                static_cast<scans*>(self)->sql.emplace(text);
            return 0;
        }
    } watched;
    sqlite3_trace_v2(db_->sql().getHandle(), SQLITE_TRACE_PROFILE, &scans::seen, &watched);
    const outbox_status st = dispatch_status(*db_, now);
    EXPECT_EQ(std::find_if(st.by_state.begin(), st.by_state.end(), [](const auto& s) { return s.first == "delivered"; })
                  ->second,
              256 * rounds);
    const auto claimed = claim_due(*db_, now + 10s, 120s, 3);
    ASSERT_EQ(claimed.size(), 3u);
    EXPECT_EQ(in_flight_rows(*db_).size(), 3u);
    (void)next_due(*db_);
    EXPECT_EQ(take_back_expired_leases(*db_, now + 1h), 3);
    // The watch sees a scan of the outbox (without the index, through "+state").
    EXPECT_EQ(count("SELECT count(*) FROM dispatches WHERE +state = 'in_flight'"), 0);
    sqlite3_trace_v2(db_->sql().getHandle(), 0, nullptr, nullptr);
    std::vector<std::string> outbox_scans;
    for (const std::string& sql : watched.sql) {
        SQLite::Statement explain(db_->sql(), "EXPLAIN QUERY PLAN " + sql);
        while (explain.executeStep()) {
            const std::string step = explain.getColumn(3).getString();
            if (step.rfind("SCAN ", 0) == 0 && step != "SCAN t" && step.rfind("SCAN t ", 0) != 0 &&
                step.rfind("SCAN dispatch_targets", 0) != 0)
                outbox_scans.push_back(step + " in: " + sql);
        }
    }
    ASSERT_EQ(outbox_scans.size(), 1u) << ::testing::PrintToString(outbox_scans);
    EXPECT_NE(outbox_scans[0].find("WHERE +state = 'in_flight'"), std::string::npos) << outbox_scans[0];
}

TEST(DispatcherNote, ReadsBackItsTargetAndNothingElse) {
    EXPECT_EQ(missed_by_dispatcher_target(missed_by_dispatcher_note("loa-le-chan-tu-dong")), "loa-le-chan-tu-dong");
    EXPECT_FALSE(missed_by_dispatcher_target("Mất điện ở trạm phát"));
    EXPECT_FALSE(missed_by_dispatcher_target("not delivered to  within its grace period"));
}

// The missed dispatch's error names its grace in the largest whole unit, and gives it back in seconds.
TEST(DispatcherNote, MissedErrorGivesBackItsGrace) {
    EXPECT_EQ(missed_error(900), "not delivered within its grace period (15 min): loa was down or the queue fell behind");
    EXPECT_EQ(missed_error(7200), "not delivered within its grace period (2 h): loa was down or the queue fell behind");
    EXPECT_EQ(grace_in_units(5400).n, 90);
    EXPECT_EQ(grace_in_units(5400).unit, "min");
    EXPECT_EQ(grace_in_units(0).unit, "s");
    for (const std::int64_t s : {0, 1, 59, 60, 90, 900, 3600, 5400, 7200, 86400 * 3})
        EXPECT_EQ(missed_error_grace(missed_error(s)), s) << missed_error(s);
    EXPECT_FALSE(missed_error_grace("HTTP 500 Internal Server Error"));
    EXPECT_FALSE(missed_error_grace("not delivered within its grace period (): loa was down or the queue fell behind"));
    EXPECT_FALSE(missed_error_grace("not delivered within its grace period (15 phút): loa was down or the queue fell behind"));
    EXPECT_FALSE(missed_error_grace("not delivered within its grace period (x min): loa was down or the queue fell behind"));
    EXPECT_FALSE(missed_error_grace("not delivered within its grace period (15min): loa was down or the queue fell behind"));
    EXPECT_FALSE(missed_error_grace("not delivered within its grace period (99999999999999999999 h): loa was down or the queue fell behind"));
}

}  // namespace dispatch_store_test_cpp
}  // namespace
