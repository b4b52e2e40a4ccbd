// A rehearsal keeps one clock (record-keeping stays on the system clock): the real `loa serve --as-of 2024-07-29T18:00:00+07:00` over loopback
// with a real SQLite file and a real webhook receiver (tests/support/webhook_sink). The planner run
// from the page and the API starts from the server's clock (not the system's), so its placements and
// dispatches are ahead of the dispatcher, which runs on the same clock, and none is missed; a requeue
// and a "Retry now" are due on that clock, and the dispatcher then delivers them; "today" on the
// overview and calendar pages is the server's date.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <date/date.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/plan_store.hpp"
#include "core/time/zone.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"
#include "tests/support/webhook_sink.hpp"

namespace {
namespace rehearsal_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace core = loa::core;
using namespace std::chrono_literals;
using loa::test::http_reply;
using loa::test::web_user;
using loa::testing::webhook_sink;

constexpr const char* slug = "haiphong-2024-anti-trafficking";
constexpr const char* as_of_text = "2024-07-29T18:00:00+07:00";
// The same instant in UTC.
const std::chrono::sys_seconds as_of = std::chrono::sys_days{std::chrono::year{2024} / 7 / 29} + 11h;
// How far the server's clock may have run on since it started, for a slow machine.
constexpr auto ran_on = 10min;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// For failure messages: "2024-07-29T11:00:00.000Z".
std::string text(core::ms_time t) {
    return date::format("%FT%TZ", t);
}

std::chrono::sys_seconds instant_of(const std::string& iso) {
    const auto t = core::parse_iso8601(iso, nullptr);
    if (!t) throw std::runtime_error("not an ISO 8601 instant: " + iso);
    return *t;
}

class RehearsalTest : public ::testing::Test {
protected:
    RehearsalTest()
        : sink_({}, 2),
          server_("access_log: off\ndispatch_poll: 100ms\n", {"--as-of", as_of_text, "--dispatch-allow", "loopback"}) {
        core::database db(db_path());
        const core::campaign c = loa::test::shipped_campaign(slug);
        core::import_campaigns(db, {c});
        approver_ = loa::test::add_web_user(db, "Trần Văn Bình", "approver");
        // A receiver for every outlet kind; no plan yet, so nothing is queued.
        std::set<std::string> kinds;
        for (const auto& o : c.outlets) kinds.insert(o.kind);
        const core::ms_time added = std::chrono::floor<std::chrono::milliseconds>(as_of);
        for (const auto& k : kinds) {
            core::dispatch_target t;
            t.name = "sink-" + k;
            t.outlet_kind = k;
            t.url = sink_.url("/" + t.name);
            core::add_target(db, t, added, core::audit_actor{std::nullopt, "test"});
        }
    }

    ~RehearsalTest() override { loa::test::stop_served(server_); }

    fs::path db_path() const { return server_.dir().file("loa.db"); }

    http_reply send(const std::string& method, const std::string& target, const std::vector<std::string>& headers,
                    const std::string& body = {}) {
        // A run plans a month of Hai Phong's breaks: allow for a slow machine.
        return loa::test::send_request(server_.port(), method, target, headers, body, std::chrono::seconds(60));
    }

    http_reply post_api(const std::string& target, const std::string& body = {}) {
        return send("POST", target,
                    {"Accept: application/json", "Content-Type: application/json", "Cookie: " + approver_.cookie,
                     "X-CSRF-Token: " + approver_.csrf},
                    body);
    }

    http_reply post_form(const std::string& target, const loa::test::form_fields& fields) {
        loa::test::form_fields all{{"csrf_token", approver_.csrf}};
        all.insert(all.end(), fields.begin(), fields.end());
        return send("POST", target,
                    {"Accept: text/html", "Accept-Language: vi", "Cookie: " + approver_.cookie,
                     "Content-Type: application/x-www-form-urlencoded"},
                    loa::test::form_encode(all));
    }

    long long count(const std::string& sql) const {
        SQLite::Database db(db_path().string(), SQLite::OPEN_READONLY);
        db.exec("PRAGMA busy_timeout = 5000");
        return db.execAndGet(sql).getInt64();
    }

    // The pending dispatches, earliest due first.
    std::vector<core::dispatch_row> pending() const {
        core::database db(db_path());
        core::dispatch_filter f;
        f.state = "pending";
        f.limit = 10000;
        auto rows = core::list_dispatches(db, f);
        std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
            return a.due != b.due ? a.due < b.due : a.id < b.id;
        });
        return rows;
    }

    std::optional<core::dispatch_row> stored(std::int64_t id) const {
        core::database db(db_path());
        return core::find_dispatch(db, id);
    }

    // Waits until the dispatch is delivered; its last state.
    std::string wait_delivered(std::int64_t id, std::chrono::seconds limit) const {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        std::string state;
        for (;;) {
            const auto row = stored(id);
            state = row ? row->state : "gone";
            if (state == "delivered" || std::chrono::steady_clock::now() > deadline) return state;
            std::this_thread::sleep_for(50ms);
        }
    }

    // The stored plan: its as-of on the server's clock, every placement and dispatch ahead of it,
    // and, after the dispatcher has had many turns, nothing missed.
    void expect_plan_on_the_servers_clock() {
        core::database db(db_path());
        const auto runs = core::list_plan_runs(db, slug, 10);
        ASSERT_EQ(runs.size(), 1u);
        const auto run_as_of = instant_of(runs.front().as_of);
        EXPECT_GE(run_as_of, as_of) << runs.front().as_of;
        EXPECT_LT(run_as_of, as_of + ran_on) << runs.front().as_of;
        const auto placements = core::load_placements(db, slug);
        ASSERT_GT(placements.size(), 10u);
        for (const auto& p : placements) EXPECT_GT(p.start, run_as_of) << p.id << " " << p.state;
        const auto rows = pending();
        ASSERT_GT(rows.size(), 10u);
        for (const auto& r : rows) EXPECT_GT(r.due, run_as_of) << r.id << " due " << text(r.due);
        std::this_thread::sleep_for(1500ms);  // 15 polls of the dispatcher
        EXPECT_EQ(count("SELECT COUNT(*) FROM dispatches WHERE state = 'missed'"), 0);
        EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'missed'"), 0);
    }

    webhook_sink sink_;
    loa::test::served server_;
    web_user approver_;
};

TEST_F(RehearsalTest, ThePlannerPageRunsFromTheServersClockAndNothingIsMissed) {
    const http_reply r = post_form(std::string("/campaigns/") + slug + "/plan", {{"from", ""}, {"to", ""}});
    ASSERT_EQ(r.status, 303u) << r.body;
    EXPECT_TRUE(contains(r.header("location").value_or(""), "done=stored"));
    expect_plan_on_the_servers_clock();

    // The page says the run's time: the rehearsed evening, not a date before the campaign.
    const http_reply page = send("GET", std::string("/campaigns/") + slug + "/plan",
                                 {"Accept: text/html", "Accept-Language: vi", "Cookie: " + approver_.cookie});
    ASSERT_EQ(page.status, 200u);
    EXPECT_TRUE(contains(page.body, "29/07/2024")) << page.body;
    EXPECT_FALSE(contains(page.body, "27/06/2024"));
}

TEST_F(RehearsalTest, TheApiRunsFromTheServersClockWithoutARehearsalNote) {
    const http_reply dry = post_api(std::string("/api/v1/campaigns/") + slug + "/plan", R"({"dry_run": true})");
    ASSERT_EQ(dry.status, 200u) << dry.body;
    const json::value doc = json::parse(dry.body);
    const auto dry_as_of = instant_of(std::string(doc.at("as_of").as_string()));
    EXPECT_GE(dry_as_of, as_of) << doc.at("as_of");
    EXPECT_LT(dry_as_of, as_of + ran_on) << doc.at("as_of");
    EXPECT_TRUE(doc.at("notes").as_array().empty()) << doc.at("notes");

    const http_reply r = post_api(std::string("/api/v1/campaigns/") + slug + "/plan");
    ASSERT_EQ(r.status, 200u) << r.body;
    expect_plan_on_the_servers_clock();
}

TEST_F(RehearsalTest, AnEditThatEndsTheApprovalWithdrawsOnTheServersClock) {
    // The edit form takes a planned message's approval away: its placements still ahead on the
    // server's clock are withdrawn at that clock's time (the rehearsed evening, not today), so the
    // feeds show them cancelled, and airings due before that time would stay due.
    const http_reply plan = post_api(std::string("/api/v1/campaigns/") + slug + "/plan");
    ASSERT_EQ(plan.status, 200u) << plan.body;
    const std::string code = [&] {
        SQLite::Database db(db_path().string(), SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT m.code FROM placements p JOIN messages m ON m.id = p.message_id "
                             "GROUP BY m.id ORDER BY COUNT(*) DESC, m.code LIMIT 1")
            .getString();
    }();
    std::optional<core::stored_message> m;
    {
        core::database db(db_path());
        m = core::find_message(db, slug, code);
    }
    ASSERT_TRUE(m);
    loa::test::form_fields fields{{"department", m->item.department},
                                  {"title_vi", m->item.title.vi},
                                  {"title_en", m->item.title.en},
                                  {"text_vi", m->item.text.vi + " Gọi ngay 111!"},
                                  {"text_en", m->item.text.en},
                                  {"duration_s", std::to_string(m->item.duration_s)},
                                  {"priority", std::to_string(m->item.priority)},
                                  {"flight_start", date::format("%F", date::sys_days{m->item.flight_start})},
                                  {"flight_end", date::format("%F", date::sys_days{m->item.flight_end})},
                                  {"airings", std::to_string(m->item.airings)},
                                  {"version", std::to_string(m->version)},
                                  {"action", "save"}};
    for (const auto& c : m->item.channels) fields.emplace_back("channels", c);
    for (const auto& a : m->item.audiences) fields.emplace_back("audiences", a);
    for (const auto& o : m->item.outlets) fields.emplace_back("outlets", o);
    const http_reply edited = post_form(std::string("/campaigns/") + slug + "/messages/" + code + "/edit", fields);
    ASSERT_EQ(edited.status, 303u) << edited.body.substr(0, 3000);
    const std::string of_message = "FROM placements p JOIN messages m ON m.id = p.message_id WHERE m.code = '" + code + "'";
    ASSERT_GT(count("SELECT COUNT(*) " + of_message), 0);
    EXPECT_EQ(count("SELECT COUNT(*) " + of_message + " AND p.withdrawn_at IS NULL"), 0);
    const std::string from = date::format("%FT%TZ", as_of);
    const std::string to = date::format("%FT%TZ", as_of + ran_on);
    EXPECT_EQ(count("SELECT COUNT(*) " + of_message + " AND (p.withdrawn_at < '" + from + "' OR p.withdrawn_at >= '" +
                    to + "')"),
              0);
    // The planner's page shows the stored run's day with those airings cancelled now.
    std::string outlet;
    std::string day;
    {
        SQLite::Database db(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(db, "SELECT o.slug, date(p.start_utc, '+7 hours') FROM placements p "
                                 "JOIN outlets o ON o.id = p.outlet_id JOIN messages m ON m.id = p.message_id "
                                 "WHERE m.code = ? ORDER BY p.start_utc LIMIT 1");
        st.bind(1, code);
        ASSERT_TRUE(st.executeStep());
        outlet = st.getColumn(0).getString();
        day = st.getColumn(1).getString();
    }
    const http_reply page = send("GET", std::string("/campaigns/") + slug + "/plan?outlet=" + outlet + "&date=" + day,
                                 {"Accept: text/html", "Accept-Language: en", "Cookie: " + approver_.cookie});
    ASSERT_EQ(page.status, 200u);
    EXPECT_TRUE(contains(page.body, "Cancelled: its message lost its approval before this airing")) << outlet << " " << day;
    EXPECT_TRUE(contains(page.body, "id=\"schedule-states-now\""));
}

TEST_F(RehearsalTest, ARequeueAndARetryAreDueOnTheServersClockAndTheDispatcherDeliversThem) {
    const http_reply plan = post_api(std::string("/api/v1/campaigns/") + slug + "/plan");
    ASSERT_EQ(plan.status, 200u) << plan.body;
    auto rows = pending();
    ASSERT_GE(rows.size(), 2u);
    const core::dispatch_row dead = rows[0];
    const core::dispatch_row waiting = rows[1];
    ASSERT_GT(waiting.due, std::chrono::floor<std::chrono::milliseconds>(as_of + ran_on))
        << "the second dispatch is due too soon to show that a retry moved it: " << text(waiting.due);
    {
        // The first dispatch fails for good, as the store records it at its due time.
        core::database db(db_path());
        const auto claimed = core::claim_due(db, dead.due, 60s, 1);
        ASSERT_EQ(claimed.size(), 1u);
        ASSERT_EQ(claimed[0].id, dead.id);
        core::attempt_record a;
        a.dispatch_id = dead.id;
        a.attempt = claimed[0].attempt;
        a.started = dead.due;
        a.finished = dead.due + 40ms;
        a.status = 400;
        a.error = "400 Bad Request";
        a.body = "{}";
        a.result = core::attempt_record::outcome::dead;
        ASSERT_EQ(core::complete_attempts(db, {a}), 1);
    }
    ASSERT_EQ(stored(dead.id)->state, "dead");

    // Requeue through the API: due now on the server's clock, then delivered.
    const http_reply requeued = post_api("/api/v1/dispatches/" + std::to_string(dead.id) + "/requeue");
    ASSERT_EQ(requeued.status, 200u) << requeued.body;
    {
        const auto row = stored(dead.id);
        ASSERT_TRUE(row);
        EXPECT_GE(row->next_attempt, std::chrono::floor<std::chrono::milliseconds>(as_of)) << text(row->next_attempt);
        EXPECT_LT(row->next_attempt, std::chrono::floor<std::chrono::milliseconds>(as_of + ran_on))
            << text(row->next_attempt);
    }
    EXPECT_EQ(wait_delivered(dead.id, 20s), "delivered") << server_.process().stderr_text();

    // "Retry now" from the dispatch's page on a dispatch due days ahead: attempted at once.
    const http_reply retried = post_form("/dispatch/" + std::to_string(waiting.id) + "/retry", {});
    ASSERT_EQ(retried.status, 303u) << retried.body;
    EXPECT_EQ(wait_delivered(waiting.id, 20s), "delivered") << server_.process().stderr_text();
    {
        const auto row = stored(waiting.id);
        ASSERT_TRUE(row);
        EXPECT_LT(row->next_attempt, std::chrono::floor<std::chrono::milliseconds>(as_of + ran_on))
            << text(row->next_attempt);
    }

    std::set<std::string> received;
    for (const auto& q : sink_.requests()) received.insert(q.webhook_id);
    EXPECT_TRUE(received.contains(dead.webhook_id));
    EXPECT_TRUE(received.contains(waiting.webhook_id));
}

TEST_F(RehearsalTest, AsRunIsCheckedOnTheServersClockAndRecordedOnTheSystemClock) {
    // A placement that aired an hour before the rehearsed evening, and a token of its outlet.
    std::string token;
    std::int64_t placement = 0;
    {
        core::database db(db_path());
        core::plan_run run;
        run.campaign = slug;
        run.as_of = "2024-07-29T08:00:00Z";
        run.report_json = "{}";
        core::new_placement p;
        p.message = "radio-hotline-111";
        p.outlet = "thp-radio";
        p.start = as_of - 1h;
        p.duration_s = 30;
        p.daypart = "prime";
        core::store_plan(db, run, {}, {p}, core::audit_actor{std::nullopt, "test"});
        placement = core::load_placements(db, slug).front().id;
        token = core::add_feed_token(db, "thp-radio", "tự động hóa", core::audit_actor{std::nullopt, "test"}).token;
    }
    const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string body = R"([{"placement": )" + std::to_string(placement) +
                             R"(, "status": "aired", "aired_at": "2024-07-29T17:00:10+07:00", "note": "Phát đúng giờ"}])";
    const http_reply r = send("POST", "/api/v1/outlets/thp-radio/as-run?token=" + token,
                              {"Content-Type: application/json"}, body);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_TRUE(contains(r.body, R"("applied":1)")) << r.body;
    // Stored as "YYYY-MM-DDTHH:MM:SSZ": text order is time order.
    const std::string since = date::format("%FT%TZ", before);
    EXPECT_EQ(count("SELECT COUNT(*) FROM as_run_lines WHERE received_at >= '" + since + "'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM placements WHERE state = 'aired' AND updated_at >= '" + since + "'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM feed_tokens WHERE last_used_at >= '" + since + "'"), 1);
}

TEST_F(RehearsalTest, TodayOnThePagesIsTheServersDate) {
    const std::vector<std::string> headers{"Accept: text/html", "Accept-Language: vi", "Cookie: " + approver_.cookie};
    // The overview's key dates: 28 July is past, 29 July (today on the server's clock) is next.
    const http_reply overview = send("GET", std::string("/campaigns/") + slug, headers);
    ASSERT_EQ(overview.status, 200u);
    EXPECT_TRUE(contains(overview.body, R"(<li class="is-past"><time datetime="2024-07-28">)")) << overview.body;
    EXPECT_TRUE(contains(overview.body, R"(<li class="is-next"><time datetime="2024-07-29">)")) << overview.body;
    // The calendar's day view without a date shows the server's today.
    const http_reply day = send("GET", std::string("/campaigns/") + slug + "/calendar?view=day", headers);
    ASSERT_EQ(day.status, 200u);
    EXPECT_TRUE(contains(day.body, R"(<input type="hidden" name="date" value="2024-07-29">)")) << day.body;
    EXPECT_TRUE(contains(day.body, R"(id="day-2024-07-29")")) << day.body;
}

}  // namespace rehearsal_test_cpp
}  // namespace
