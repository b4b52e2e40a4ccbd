// The dispatch runner in simulated time (manual_clock: days pass without sleeping) against a real
// SQLite file and a real receiver over loopback: delivery with valid signatures, retries with
// backoff, Retry-After, 410 disabling the target, catch-up marking stale dispatches missed, and a
// message losing its approval before its slot.
#include "server/dispatch/runner.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/plan_store.hpp"
#include "scheduler/dispatch/signature.hpp"
#include "scheduler/planner/service.hpp"
#include "server/app/db_executor.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/support/webhook_sink.hpp"

namespace {
namespace runner_test_cpp {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace loa;
using namespace std::chrono_literals;
using namespace date::literals;
using date::July;
using core::ms_time;
using loa::testing::temp_dir;
using loa::testing::webhook_sink;

constexpr const char* slug = "haiphong-2024";

core::campaign campaign_with_one_outlet() {
    core::campaign c;
    c.slug = slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.departments = {{"truyen-thong", {"Sở Thông tin và Truyền thông", ""}, {}}};
    core::outlet radio;
    radio.slug = "thp-radio";
    radio.name = {"Phát thanh Hải Phòng", "Hai Phong Radio"};
    radio.kind = "radio";
    radio.time_zone = "Asia/Ho_Chi_Minh";
    radio.languages = {"vi"};
    radio.dayparts = {{"prime", {"Thời sự tối", "Evening news"}, 0x7f, 19h, 22h, 10.0}};
    radio.break_clock = {{15, std::nullopt, 120, {}}};
    c.outlets = {radio};
    core::message spot;
    spot.id = "spot-111";
    spot.department = "truyen-thong";
    spot.text = {"Hãy gọi 111 khi thấy dấu hiệu mua bán người.", "Call 111 when you see signs of trafficking."};
    spot.channels = {"radio"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = 2024_y / July / 1;
    spot.flight_end = 2024_y / July / 31;
    spot.airings = 10;
    spot.state = "approved";
    c.messages = {spot};
    return c;
}

// 19:15 + 15 min × i on 29 July 2024 in Hai Phong (UTC+7).
std::chrono::sys_seconds slot(int i) {
    return date::sys_days{2024_y / July / 29} + 12h + 15min + std::chrono::minutes(15 * i);
}

ms_time ms(std::chrono::sys_seconds t) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

// A receiver's answer to every request: `status` after `delay`.
loa::testing::sink_responder answering(int status, std::chrono::milliseconds delay = 0ms) {
    return [status, delay](const loa::testing::sink_request&, int) {
        loa::testing::sink_response r;
        r.status = status;
        r.delay = delay;
        return r;
    };
}

class Runner : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("loa.db");
        core::database db(path_);
        core::import_campaigns(db, {campaign_with_one_outlet()});
    }

    // Stores `n` placements of the spot at slot(0..n-1) and a target for the outlet at `url`.
    void seed(int n, const std::string& url, std::chrono::seconds grace = 900s) {
        core::database db(path_);
        core::plan_run run;
        run.campaign = slug;
        run.range_from = "2024-07-01";
        run.range_to = "2024-07-31";
        run.as_of = "2024-07-28T00:00:00Z";
        run.placed = n;
        run.wanted = n;
        run.report_json = "{}";
        std::vector<core::new_placement> added;
        for (int i = 0; i < n; ++i) {
            core::new_placement p;
            p.message = "spot-111";
            p.outlet = "thp-radio";
            p.start = slot(i);
            p.duration_s = 30;
            p.daypart = "prime";
            p.weight = 10;
            p.value = 80;
            added.push_back(p);
        }
        core::store_plan(db, run, {}, added, cli_);
        core::dispatch_target t;
        t.name = "thp-radio-automation";
        t.outlet = "thp-radio";
        t.url = url;
        t.secret = secret_;
        t.grace = grace;
        core::add_target(db, t, ms(slot(0)) - 1h, cli_);
    }

    // Runs the runner from `start` until `done` holds or `limit` of real time passes; returns the
    // runner's counts.
    delivery::runner_counts run_until(ms_time start, const std::function<bool()>& done,
                                      std::chrono::milliseconds limit = 20s) {
        asio::io_context ioc;
        auto guard = asio::make_work_guard(ioc);
        std::thread io([&] { ioc.run(); });
        delivery::runner_counts counts;
        {
            app::db_executor db(path_, {});
            delivery::client_settings cs;
            cs.addresses.allow_loopback = true;
            cs.connect_timeout = 2s;
            cs.response_timeout = 2s;
            delivery::webhook_client client(ioc.get_executor(), cs);
            clock_.emplace(start);
            const core::channel_templates templates(fs::path(LOA_SOURCE_DIR) / "templates" / "messages");
            delivery::runner_settings rs = settings_;
            rs.seed = 42;
            rs.poll = 60s;  // simulated: a minute per idle turn
            delivery::runner r(ioc.get_executor(), db, client, *clock_, templates, rs);
            runner_ = &r;
            r.start();
            const auto until = std::chrono::steady_clock::now() + limit;
            done_held_ = false;
            while (!(done_held_ = done()) && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(50ms);
            r.stop();
            asio::co_spawn(ioc, r.stopped(), asio::use_future).get();
            counts = r.counts();
            runner_ = nullptr;
        }
        guard.reset();
        ioc.stop();
        io.join();
        return counts;
    }

    // Three placements due at once for one target that takes one attempt at a time: with a slow
    // `sink`, the first goes on the wire and the other two are held ready behind it (the runner
    // claims up to claim_depth = 4 rows per slot).
    void three_due_one_at_a_time(webhook_sink& sink) {
        seed(3, sink.url(), 2h);
        set_concurrency(1);
    }
    // One attempt on the wire and two rows held ready behind it.
    bool one_sent_two_ready(const webhook_sink& sink) {
        return sink.count() >= 1 && count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'") == 3;
    }

    // Four placements due at once for a target taking one attempt at a time (each answered after
    // the sink's delay): the first on the wire, three held ready. What the database and the
    // receiver showed when the first completion was found recorded (polled every 50 ms).
    struct first_record {
        std::size_t requests = 0;    // the receiver's requests by then
        std::int64_t delivered = 0;  // dispatches recorded as delivered
    };
    first_record seen_at_first_record(webhook_sink& sink) {
        seed(4, sink.url(), 2h);
        set_concurrency(1);
        first_record seen;
        run_until(ms(slot(3)), [&] {
            const std::int64_t delivered = count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'");
            if (delivered >= 1 && seen.delivered == 0) seen = {sink.count(), delivered};
            return delivered == 4;
        });
        return seen;
    }

    // Every target's concurrency (attempts at once).
    void set_concurrency(int n) {
        core::database db(path_);
        db.sql().exec("UPDATE dispatch_targets SET concurrency = " + std::to_string(n));
    }

    std::int64_t count(const std::string& sql) {
        SQLite::Database db(path_.string());
        return db.execAndGet(sql).getInt64();
    }

    temp_dir dir_;
    fs::path path_;
    std::optional<delivery::manual_clock> clock_;
    delivery::runner_settings settings_;  // run_until's, but for its seed and poll
    delivery::runner* runner_ = nullptr;  // while run_until runs (its `done` may notify it)
    bool done_held_ = false;              // whether run_until's `done` held before its limit
    core::audit_actor cli_{std::nullopt, "cli"};
    std::string secret_ = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
};

TEST_F(Runner, DeliversEveryDuePlacementSignedWithTheApprovedText) {
    webhook_sink sink;
    seed(4, sink.url());
    const auto counts =
        run_until(ms(slot(0)) - 10min, [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 4; });
    EXPECT_EQ(counts.delivered, 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'"), 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'published'"), 4);
    const auto got = sink.requests();
    ASSERT_EQ(got.size(), 4u);
    std::set<std::string> ids;
    for (const auto& r : got) {
        ids.insert(r.webhook_id);
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.content_type.substr(0, 16), "application/json");
        // The timestamp is the simulated clock's: the slot's day, not today.
        const std::int64_t ts = std::stoll(r.webhook_timestamp);
        EXPECT_TRUE(scheduler::dispatch::verify(secret_, r.webhook_id, r.webhook_timestamp, r.body, r.webhook_signature,
                                                ts));
        EXPECT_NE(r.body.find("Hãy gọi 111 khi thấy dấu hiệu mua bán người."), std::string::npos) << r.body;
        // Sent at its due time in simulated time, never before.
        EXPECT_GE(ts, std::chrono::duration_cast<std::chrono::seconds>(slot(0).time_since_epoch()).count());
        EXPECT_LE(ts, std::chrono::duration_cast<std::chrono::seconds>(slot(3).time_since_epoch()).count() + 1);
    }
    EXPECT_EQ(ids.size(), 4u);
    EXPECT_EQ(counts.lateness_count, 4u);
}

TEST_F(Runner, RetriesServerErrorsWithBackoffUntilDelivered) {
    webhook_sink sink([](const loa::testing::sink_request&, int nth) {
        loa::testing::sink_response r;
        r.status = nth < 3 ? 500 : 200;
        return r;
    });
    seed(1, sink.url());
    const auto counts =
        run_until(ms(slot(0)), [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 1; });
    EXPECT_EQ(counts.delivered, 1);
    EXPECT_EQ(counts.retried, 2);
    const auto got = sink.requests();
    ASSERT_EQ(got.size(), 3u);
    // The same webhook-id on every attempt, so the receiver can deduplicate.
    EXPECT_EQ(got[0].webhook_id, got[2].webhook_id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 3);
    EXPECT_EQ(count("SELECT attempts FROM dispatches"), 3);
}

TEST_F(Runner, HonoursRetryAfterInSimulatedTime) {
    webhook_sink sink([](const loa::testing::sink_request&, int nth) {
        loa::testing::sink_response r;
        if (nth == 1) {
            r.status = 503;
            r.retry_after = "7200";
        }
        return r;
    });
    seed(1, sink.url());
    run_until(ms(slot(0)), [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 1; });
    const auto got = sink.requests();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_GE(std::stoll(got[1].webhook_timestamp) - std::stoll(got[0].webhook_timestamp), 7200);
}

TEST_F(Runner, GoneDisablesTheTargetAndStopsSendingToIt) {
    webhook_sink sink([](const loa::testing::sink_request&, int) {
        loa::testing::sink_response r;
        r.status = 410;
        return r;
    });
    seed(3, sink.url());
    const auto counts = run_until(ms(slot(0)) - 1min, [&] {
        return count("SELECT COUNT(*) FROM dispatch_targets WHERE enabled = 0") == 1 &&
               count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'") == 0;
    });
    EXPECT_GE(counts.disabled, 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_targets WHERE enabled = 0 AND disabled_reason LIKE '%410%'"), 1);
    // Whatever was still waiting is not attempted once the target is gone.
    EXPECT_EQ(sink.count(), static_cast<std::size_t>(counts.attempts));
    EXPECT_LT(sink.count(), 3u);
}

TEST_F(Runner, MarksStaleDispatchesMissedAfterDowntimeInsteadOfSending) {
    webhook_sink sink;
    seed(2, sink.url(), 15min);
    // loa comes back two hours after both slots.
    const auto counts =
        run_until(ms(slot(1)) + 2h, [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'missed'") == 2; });
    EXPECT_EQ(counts.missed, 2);
    EXPECT_EQ(sink.count(), 0u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'missed'"), 2);
}

TEST_F(Runner, ASlowReceiverHoldsUpOnlyItsOwnTarget) {
    // The outlet's own target answers after 1.5 s, one attempt at a time; a second target for
    // every radio outlet answers at once. Both get each placement.
    webhook_sink slow([](const loa::testing::sink_request&, int) {
        loa::testing::sink_response r;
        r.delay = 1500ms;
        return r;
    });
    webhook_sink fast;
    seed(4, slow.url(), 1h);
    {
        core::database db(path_);
        core::dispatch_target t;
        t.name = "radio-publisher";
        t.outlet_kind = "radio";
        t.url = fast.url();
        t.secret = secret_;
        t.grace = 1h;
        core::add_target(db, t, ms(slot(0)) - 1h, cli_);
        db.sql().exec("UPDATE dispatch_targets SET concurrency = 1 WHERE name = 'thp-radio-automation'");
    }
    const auto started = std::chrono::steady_clock::now();
    // All four are due at once (simulated time cannot pass while an attempt is on the wire).
    run_until(ms(slot(3)), [&] { return fast.count() >= 4; });
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(fast.count(), 4u);
    // The fast target did not wait for the slow one's four answers (6 s).
    EXPECT_LT(took, 3s);
    EXPECT_LE(slow.count(), 2u);
}

// The runner claims up to four times a target's concurrency and holds the extra rows ready: the
// receiver still never has more than the concurrency at once. (With at most two answered 200 ms
// after they arrive, any third request arrives at least 200 ms after the first of the three.)
TEST_F(Runner, ReadyRowsNeverPutMoreThanTheConcurrencyOnTheWire) {
    webhook_sink sink(answering(200, 200ms));
    seed(6, sink.url(), 2h);
    set_concurrency(2);
    run_until(ms(slot(5)), [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 6; });
    auto got = sink.requests();
    ASSERT_EQ(got.size(), 6u);
    std::sort(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.received < b.received; });
    for (std::size_t i = 0; i + 2 < got.size(); ++i)
        EXPECT_GE(got[i + 2].received - got[i].received, 190ms) << "requests " << i << " to " << i + 2;
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 6);
}

// Each ended attempt is recorded by the next turn, while rows are still ready behind it: the first
// delivery is in the database before the third request (each answer takes 800 ms, so the database
// is looked at about 15 times in between).
TEST_F(Runner, EachEndedAttemptIsRecordedAtOnce) {
    webhook_sink sink(answering(200, 800ms));
    const auto seen = seen_at_first_record(sink);
    ASSERT_TRUE(done_held_);
    EXPECT_EQ(seen.delivered, 1);
    EXPECT_LE(seen.requests, 2u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 4);
}

// A row is signed where its body is built, for that second; one that waits ready into a later second
// is signed again for the second it goes out in. Here each answer moves the clock 5 s on, so the
// second and third rows leave 5 and 10 s after they were claimed: their timestamps say so, and
// their signatures hold for them.
TEST_F(Runner, ARowSentInALaterSecondIsSignedForIt) {
    webhook_sink sink([this](const loa::testing::sink_request&, int) {
        clock_->advance(5s);
        loa::testing::sink_response r;
        r.status = 200;
        return r;
    });
    three_due_one_at_a_time(sink);
    run_until(ms(slot(2)), [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 3; });
    ASSERT_TRUE(done_held_);
    auto got = sink.requests();
    ASSERT_EQ(got.size(), 3u);
    std::sort(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.received < b.received; });
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::int64_t ts = std::stoll(got[i].webhook_timestamp);
        if (i > 0) {
            EXPECT_GE(ts, std::stoll(got[i - 1].webhook_timestamp) + 5) << "request " << i;
        }
        EXPECT_TRUE(scheduler::dispatch::verify(secret_, got[i].webhook_id, got[i].webhook_timestamp, got[i].body,
                                                got[i].webhook_signature, ts))
            << "request " << i;
    }
}

// Rows claimed but not yet sent when the runner stops go back as they were: not in flight, no
// attempt recorded, sent by the next runner.
TEST_F(Runner, RowsReadyWhenTheRunnerStopsArePutBackUnsent) {
    webhook_sink sink(answering(200, 1500ms));
    three_due_one_at_a_time(sink);
    // Stopped while the first request waits for its answer and the others are held ready: the first
    // finishes, the others are put back.
    run_until(ms(slot(2)), [&] { return one_sent_two_ready(sink); });
    ASSERT_TRUE(done_held_);
    EXPECT_EQ(sink.count(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'pending' AND attempts = 0 AND "
                    "first_attempt_ms IS NULL AND lease_until_ms IS NULL"),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 1);
    // The next runner sends them.
    run_until(ms(slot(2)), [&] { return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 3; });
    EXPECT_EQ(sink.count(), 3u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts WHERE outcome = 'lease_expired'"), 0);
}

// A 410 disables the target: its ready rows are not sent but put back (a disabled target's rows
// wait, and are missed after their grace, as before they were claimed).
TEST_F(Runner, ATargetGoneLeavesItsReadyRowsUnsent) {
    webhook_sink sink(answering(410));
    seed(3, sink.url(), 2h);
    set_concurrency(1);
    run_until(ms(slot(2)), [&] {
        return count("SELECT COUNT(*) FROM dispatch_targets WHERE enabled = 0") == 1 &&
               count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'") == 0;
    });
    ASSERT_TRUE(done_held_);
    EXPECT_EQ(sink.count(), 1u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'dead'"), 1);
    // Simulated time runs on once nothing is in flight, so they may be past their grace already.
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state IN ('pending', 'missed') AND attempts = 0"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 1);
}

// An operator disables the target while rows wait ready behind a slow attempt: they are not
// sent when the slot frees, but put back (the turn that notify() starts re-reads the targets).
TEST_F(Runner, ReadyRowsOfATargetDisabledMeanwhileAreNotSent) {
    webhook_sink sink(answering(200, 1500ms));
    three_due_one_at_a_time(sink);
    bool disabled = false;
    run_until(ms(slot(2)), [&] {
        if (!disabled && one_sent_two_ready(sink)) {
            core::database db(path_);
            EXPECT_TRUE(core::set_target_enabled(db, "thp-radio-automation", false, "tạm dừng", cli_));
            disabled = true;
            runner_->notify();
        }
        return disabled && count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 1 &&
               count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'") == 0;
    });
    ASSERT_TRUE(done_held_);
    EXPECT_EQ(sink.count(), 1u);
    // Put back unsent (simulated time runs on once nothing is in flight: maybe past their grace).
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state IN ('pending', 'missed') AND attempts = 0"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatch_attempts"), 1);
}

// A re-plan deletes a dispatch that waits ready (as store_plan does for a moved placement): it is
// not sent; the others are.
TEST_F(Runner, AReadyRowThatARePlanDeletedIsNotSent) {
    webhook_sink sink(answering(200, 1500ms));
    three_due_one_at_a_time(sink);
    std::string deleted;
    run_until(ms(slot(2)), [&] {
        if (deleted.empty() && one_sent_two_ready(sink)) {
            // The ready one: in flight, but not the one the receiver is answering.
            SQLite::Database db(path_.string(), SQLite::OPEN_READWRITE);
            SQLite::Statement q(db, "SELECT id, webhook_id FROM dispatches WHERE state = 'in_flight' AND webhook_id <> ?");
            q.bind(1, sink.requests().front().webhook_id);
            if (q.executeStep()) {
                deleted = q.getColumn(1).getString();
                db.exec("DELETE FROM dispatches WHERE id = " + std::to_string(q.getColumn(0).getInt64()));
                runner_->notify();
            }
        }
        return !deleted.empty() && count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == 2;
    });
    ASSERT_TRUE(done_held_);
    ASSERT_EQ(sink.count(), 2u);
    for (const auto& r : sink.requests()) EXPECT_NE(r.webhook_id, deleted);
    EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'in_flight'"), 0);
}

// The bundled Hai Phong campaign end to end in simulated time: its stored plan goes out, every
// placement to the receiver of its outlet's kind, each at its time, signed.
TEST_F(Runner, HaiPhongPlanGoesOutAtItsTimes) {
    webhook_sink sink;
    ms_time as_of{};
    {
        core::database db(path_);
        auto loaded = core::load_campaign_files({fs::path(LOA_SOURCE_DIR) / "campaigns" /
                                                 "haiphong-2024-anti-trafficking.yaml"});
        ASSERT_TRUE(loaded.errors.empty());
        core::import_campaigns(db, loaded.campaigns);
        const auto run = scheduler::planner::run_planner(db, "haiphong-2024-anti-trafficking", {}, cli_);
        ASSERT_TRUE(run.ok()) << run.error_detail;
        ASSERT_GT(run.result.placements.size(), 300u);
        as_of = std::chrono::time_point_cast<std::chrono::milliseconds>(run.as_of);
        for (const char* kind : core::outlet_kinds) {
            core::dispatch_target t;
            t.name = std::string("hp-") + kind;
            t.outlet_kind = kind;
            t.url = sink.url("/" + std::string(kind));
            t.secret = secret_;
            core::add_target(db, t, as_of, cli_);
        }
    }
    const std::int64_t due = count("SELECT COUNT(*) FROM dispatches");
    ASSERT_EQ(due, count("SELECT COUNT(*) FROM placements WHERE state = 'planned'"));
    const auto counts = run_until(as_of, [&] {
        return count("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'") == due;
    }, 60s);
    EXPECT_EQ(counts.delivered, due);
    EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'published'"), due);
    // Each at its time: the signed timestamp is the due second (simulated time jumps to it), and
    // no first attempt was later than 50 ms in simulated time.
    EXPECT_EQ(counts.lateness_buckets[0], static_cast<std::uint64_t>(due));
    SQLite::Database db(path_.string());
    SQLite::Statement q(db, "SELECT due_ms / 1000, t.outlet_kind FROM dispatches d "
                            "JOIN dispatch_targets t ON t.id = d.target_id WHERE d.webhook_id = ?");
    const auto got = sink.requests();
    ASSERT_EQ(got.size(), static_cast<std::size_t>(due));
    for (const auto& r : got) {
        q.bind(1, r.webhook_id);
        ASSERT_TRUE(q.executeStep()) << r.webhook_id;
        EXPECT_EQ(std::stoll(r.webhook_timestamp), q.getColumn(0).getInt64()) << r.webhook_id;
        EXPECT_EQ(r.target, "/" + q.getColumn(1).getString());
        q.reset();
        EXPECT_TRUE(scheduler::dispatch::verify(secret_, r.webhook_id, r.webhook_timestamp, r.body, r.webhook_signature,
                                                std::stoll(r.webhook_timestamp)));
    }
}

}  // namespace runner_test_cpp
}  // namespace
