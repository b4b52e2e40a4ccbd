// The planner through the real `loa serve` over loopback with a real SQLite file holding Hai Phong's
// campaign: POST /api/v1/campaigns/{slug}/plan by role (approver 200 with placements; editor and
// viewer 403; unknown campaign 404; bad bodies 422 naming the field; the session's CSRF header), and
// the "Run planner" page: Vietnamese and English, the form's CSRF token, a dry run that stores nothing,
// a stored run shown after the redirect, reasons in Vietnamese, the day schedule with prime time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/plan_store.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"

namespace {
namespace planner_pages_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
using loa::test::http_reply;

constexpr const char* slug = "haiphong-2024-anti-trafficking";
const std::string page = std::string("/campaigns/") + slug + "/plan";
const std::string api = std::string("/api/v1/campaigns/") + slug + "/plan";

using login = loa::test::web_user;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

// One server and database per test: every test starts from the imported campaign with no plan run,
// whichever order the tests run in (ctest runs each in its own process anyway).
class PlannerPagesTest : public ::testing::Test {
protected:
    PlannerPagesTest() : server_("access_log: off\n") {
        loa::core::database db(db_path());
        loa::core::import_campaigns(db, {loa::test::shipped_campaign(slug)});
        approver_ = loa::test::add_web_user(db, "Trần Văn Bình", "approver");
        admin_ = loa::test::add_web_user(db, "Quản trị viên", "admin");
        editor_ = loa::test::add_web_user(db, "Nguyễn Thị Hoa", "editor", "information");
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
    }

    ~PlannerPagesTest() override { loa::test::stop_served(server_); }

    fs::path db_path() const { return server_.dir().file("loa.db"); }

    // The campaign's stored plan runs, read from the database file itself.
    std::size_t stored_runs() const {
        loa::core::database db(db_path());
        return loa::core::list_plan_runs(db, slug, 1000).size();
    }

    http_reply send(const std::string& method, const std::string& target,
                    const std::vector<std::string>& headers, const std::string& body = {}) {
        // A run plans a month of Hai Phong's breaks: allow for a slow machine.
        return loa::test::send_request(server_.port(), method, target, headers, body, std::chrono::seconds(30));
    }

    // The API as a script with a session would call it: JSON, the session cookie and its CSRF header.
    http_reply post_api(const std::string& target, const login* who, const std::string& body,
                        bool with_csrf = true) {
        std::vector<std::string> h = {"Accept: application/json", "Content-Type: application/json"};
        if (who != nullptr) {
            h.push_back("Cookie: " + who->cookie);
            if (with_csrf) h.push_back("X-CSRF-Token: " + who->csrf);
        }
        return send("POST", target, h, body);
    }

    http_reply get_page(const std::string& target, const login& who, const std::string& lang = "vi") {
        return send("GET", target,
                    {"Accept: text/html", "Accept-Language: " + lang, "Cookie: " + who.cookie});
    }

    // The run form as a browser sends it (urlencoded; the fields here need no escaping).
    http_reply post_form(const login& who, const std::string& fields, bool with_token = true,
                         const std::string& lang = "vi") {
        const std::string body = (with_token ? "csrf_token=" + who.csrf + "&" : std::string()) + fields;
        return send("POST", page,
                    {"Accept: text/html", "Accept-Language: " + lang, "Cookie: " + who.cookie,
                     "Content-Type: application/x-www-form-urlencoded"},
                    body);
    }

    loa::test::served server_;
    login approver_;
    login admin_;
    login editor_;
    login viewer_;
};

// The invalid-params of a 422 problem, as "name" list.
std::vector<std::string> invalid_names(const http_reply& r) {
    std::vector<std::string> out;
    const json::value v = json::parse(r.body);
    for (const auto& p : v.at("invalid-params").as_array()) out.emplace_back(p.at("name").as_string());
    return out;
}

// A plan is made off the db thread: while a large dry run is being made (its planner queue at 1),
// /healthz and /metrics, which both wait for the db thread, answer. (Made on the db thread, a plan
// of a province's year held every page, feed and dispatch for its whole length.)
TEST_F(PlannerPagesTest, TheServerAnswersWhileAPlanIsMade) {
    loa::core::campaign big = loa::test::shipped_campaign(slug);
    big.slug = "haiphong-x24";
    const auto outlets = big.outlets;
    for (int k = 1; k < 24; ++k) {
        for (auto o : outlets) {
            o.slug += "-" + std::to_string(k);
            big.outlets.push_back(o);
        }
    }
    const auto messages = big.messages;
    for (int k = 1; k < 24; ++k) {
        for (auto m : messages) {
            m.id += "-" + std::to_string(k);
            m.outlets.clear();  // every outlet of its channels
            m.state = "approved";
            if (m.airings == 0) m.airings = 40;
            big.messages.push_back(m);
        }
    }
    {
        loa::core::database db(db_path());
        loa::core::import_campaigns(db, {big});
    }
    std::atomic<bool> done{false};
    unsigned status = 0;
    std::thread run([&] {
        const auto r = post_api("/api/v1/campaigns/haiphong-x24/plan", &approver_, R"({"dry_run": true})");
        status = r.status;
        done = true;
    });
    bool seen_planning = false;
    bool answered_meanwhile = false;
    while (!done) {
        const auto metrics = send("GET", "/metrics", {});
        EXPECT_EQ(metrics.status, 200U);  // (no ASSERT: the thread must be joined)
        if (metrics.status != 200U) break;
        if (contains(metrics.body, "\nloa_planner_queue_depth 1\n")) {
            seen_planning = true;
            const auto health = send("GET", "/healthz", {});
            EXPECT_EQ(health.status, 200U) << health.body;
            // Still planning after the db thread answered.
            if (contains(send("GET", "/metrics", {}).body, "\nloa_planner_queue_depth 1\n")) answered_meanwhile = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    run.join();
    EXPECT_EQ(status, 200U);
    EXPECT_TRUE(seen_planning) << "the dry run ended before /metrics saw it: make the campaign larger";
    EXPECT_TRUE(answered_meanwhile);
    EXPECT_TRUE(contains(send("GET", "/metrics", {}).body, "\nloa_planner_queue_depth 0\n"));
}

// Two approvers run the planner at once: both plans are stored, the second over the first, and
// neither ends in 409. (Made one after the other, work_pool::enter; without that the second would
// still be stored, planned again after the first, so this does not prove the turn is kept.)
TEST_F(PlannerPagesTest, TwoRunsAtOnceAreBothStored) {
    unsigned first = 0;
    unsigned second = 0;
    std::thread a([&] { first = post_api(api, &approver_, "").status; });
    std::thread b([&] { second = post_api(api, &admin_, "").status; });
    a.join();
    b.join();
    EXPECT_EQ(first, 200U);
    EXPECT_EQ(second, 200U);
    EXPECT_EQ(stored_runs(), 2U);
}

TEST_F(PlannerPagesTest, ApiAsApproverAnswersThePlanJsonAndStoresTheRun) {
    const auto dry = post_api(api, &approver_, R"({"dry_run": true})");
    ASSERT_EQ(dry.status, 200U) << dry.body;
    EXPECT_EQ(dry.header("content-type").value_or(""), "application/json");
    const json::value plan = json::parse(dry.body);
    EXPECT_EQ(plan.at("campaign").as_string(), slug);
    const auto& placements = plan.at("placements").as_array();
    ASSERT_GT(placements.size(), 100U);  // Hai Phong's month: hundreds of airings
    const auto& first = placements.front().as_object();
    for (const char* key :
         {"message", "outlet", "start", "duration_s", "daypart", "weight", "value", "prime"})
        EXPECT_TRUE(first.contains(key)) << key;
    EXPECT_GE(plan.at("bound").to_number<double>(), plan.at("objective").to_number<double>());
    EXPECT_FALSE(plan.at("unplaced").as_array().empty());  // the messages not approved, at least
    EXPECT_FALSE(plan.as_object().contains("run_id"));
    EXPECT_EQ(stored_runs(), 0U);

    // Without dry_run (and an empty body: every default) the run is stored; same plan, now with its id.
    const auto stored = post_api(api, &approver_, "");
    ASSERT_EQ(stored.status, 200U) << stored.body;
    const json::value kept = json::parse(stored.body);
    ASSERT_TRUE(kept.as_object().contains("run_id"));
    EXPECT_EQ(kept.at("placements").as_array().size(), placements.size());
    EXPECT_EQ(kept.at("objective"), plan.at("objective"));
    EXPECT_EQ(stored_runs(), 1U);
    loa::core::database db(db_path());
    const auto latest = loa::core::latest_plan_run(db, slug);
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->id, kept.at("run_id").as_int64());
    // The stored report is the answer (which alone also names the run it became, and what storing
    // it changed for the outlets: all new here).
    json::value report = json::parse(latest->report_json);
    report.as_object()["run_id"] = latest->id;
    const auto n = static_cast<std::int64_t>(placements.size());
    report.as_object()["changes"] = json::object{{"kept", 0}, {"added", n}, {"moved", 0}, {"cancelled", 0}};
    EXPECT_EQ(report, kept);
    EXPECT_EQ(latest->changes, (std::optional<loa::core::plan_changes>(loa::core::plan_changes{0, static_cast<int>(n), 0, 0})));
    EXPECT_EQ(latest->actor, "user:Trần Văn Bình");
    EXPECT_EQ(loa::core::load_placements(db, slug).size(), placements.size());

    // An admin may run it too, a range and an as-of in the campaign's zone.
    const auto ranged = post_api(api, &admin_,
                                 R"({"from": "2024-07-28", "to": "2024-07-30", "as_of": "2024-07-01T08:00",
                                     "dry_run": true})");
    ASSERT_EQ(ranged.status, 200U) << ranged.body;
    const json::value r = json::parse(ranged.body);
    EXPECT_EQ(r.at("from").as_string(), "2024-07-28");
    EXPECT_EQ(r.at("to").as_string(), "2024-07-30");
    EXPECT_EQ(r.at("as_of").as_string(), "2024-07-01T01:00:00Z");
    // What it placed is inside the range; the stored run's airings outside it are kept, frozen.
    std::size_t placed_now = 0;
    for (const auto& p : r.at("placements").as_array()) {
        if (p.at("frozen").as_bool()) continue;
        ++placed_now;
        const std::string start(p.at("start").as_string());
        EXPECT_GE(start.substr(0, 10), "2024-07-28") << start;
        EXPECT_LE(start.substr(0, 10), "2024-07-30") << start;
    }
    EXPECT_GT(placed_now, 0U);
}

TEST_F(PlannerPagesTest, ApiRefusesOtherRolesUnknownCampaignsAndBadBodies) {
    for (const login* who : {&editor_, &viewer_}) {
        const auto r = post_api(api, who, R"({"dry_run": true})");
        EXPECT_EQ(r.status, 403U) << r.body;
        EXPECT_EQ(r.header("content-type").value_or(""), "application/problem+json");
    }
    EXPECT_EQ(post_api(api, nullptr, R"({"dry_run": true})").status, 401U);
    // A session without its CSRF header is refused like every state-changing request.
    EXPECT_EQ(post_api(api, &approver_, R"({"dry_run": true})", false).status, 403U);

    const auto unknown = post_api("/api/v1/campaigns/khong-co/plan", &approver_, R"({"dry_run": true})");
    EXPECT_EQ(unknown.status, 404U);
    EXPECT_EQ(unknown.header("content-type").value_or(""), "application/problem+json");
    EXPECT_TRUE(contains(unknown.body, "There is no campaign 'khong-co'."));

    struct bad_case {
        const char* body;
        std::vector<std::string> names;
    };
    const std::vector<bad_case> cases = {
        {R"({"from": "2024-02-30"})", {"from"}}, {R"({"from": "2024-07-31", "to": "2024-07-01"})", {"to"}},
        {R"({"dry_run": "có"})", {"dry_run"}},   {R"({"as_of": "hôm nay"})", {"as_of"}},
        {R"({"dryrun": true})", {"dryrun"}},     {R"({"from": 20240701, "to": "2025-12-31"})", {"from"}},
        {"[\"2024-07-01\"]", {"body"}},          {"{\"from\": ", {"body"}},
    };
    for (const auto& c : cases) {
        const auto r = post_api(api, &approver_, c.body);
        EXPECT_EQ(r.status, 422U) << c.body << " → " << r.body;
        EXPECT_EQ(r.header("content-type").value_or(""), "application/problem+json") << c.body;
        EXPECT_EQ(invalid_names(r), c.names) << c.body << " → " << r.body;
    }
    // A range the planner cannot take (too long) names `to`.
    const auto long_range = post_api(api, &approver_, R"({"from": "2024-01-01", "to": "2026-01-01"})");
    EXPECT_EQ(long_range.status, 422U);
    EXPECT_EQ(invalid_names(long_range), std::vector<std::string>{"to"});
    EXPECT_EQ(stored_runs(), 0U);  // nothing refused was stored
}

TEST_F(PlannerPagesTest, ThePageInVietnameseAndEnglishBeforeAnyRun) {
    const auto vi = get_page(page, viewer_);
    ASSERT_EQ(vi.status, 200U) << vi.body;
    EXPECT_TRUE(contains(vi.body, "<h1>Lập kế hoạch phát sóng</h1>"));
    EXPECT_TRUE(contains(vi.body, "id=\"plan-none\""));
    EXPECT_TRUE(contains(vi.body, "Chỉ người phê duyệt mới được chạy lập kế hoạch."));
    EXPECT_FALSE(contains(vi.body, "id=\"plan-form\""));  // viewers read only
    EXPECT_TRUE(contains(vi.body, "href=\"" + page + "\" aria-current=\"page\">Kế hoạch phát sóng</a>"));

    const auto en = get_page(page, approver_, "en");
    ASSERT_EQ(en.status, 200U);
    EXPECT_TRUE(contains(en.body, "<html lang=\"en\">"));
    EXPECT_TRUE(contains(en.body, "<h1>Run planner</h1>"));
    EXPECT_TRUE(contains(en.body, "id=\"plan-form\""));
    EXPECT_TRUE(contains(en.body, "name=\"csrf_token\" value=\"" + approver_.csrf + "\""));
    // The proposed range: the approved messages' flights.
    EXPECT_TRUE(contains(en.body, "id=\"plan-from\" name=\"from\" value=\"2024-07-01\""));

    // The overview links to it.
    const auto overview = get_page(std::string("/campaigns/") + slug, editor_);
    EXPECT_TRUE(contains(overview.body, "id=\"overview-plan\" href=\"" + page + "\""));
    EXPECT_EQ(get_page("/campaigns/khong-co/plan", viewer_).status, 404U);
}

TEST_F(PlannerPagesTest, TheFormWithoutItsTokenOrByAnEditorIsRefused) {
    const auto no_token = post_form(approver_, "from=2024-07-01&to=2024-07-31", false);
    EXPECT_EQ(no_token.status, 403U);
    EXPECT_TRUE(contains(no_token.header("content-type").value_or(""), "text/html"));
    const auto wrong_token = send("POST", page,
                                  {"Accept: text/html", "Cookie: " + approver_.cookie,
                                   "Content-Type: application/x-www-form-urlencoded"},
                                  "csrf_token=" + viewer_.csrf + "&from=2024-07-01");
    EXPECT_EQ(wrong_token.status, 403U);
    EXPECT_EQ(post_form(editor_, "from=2024-07-01&to=2024-07-31").status, 403U);
    EXPECT_EQ(post_form(viewer_, "dry_run=1").status, 403U);
    EXPECT_EQ(stored_runs(), 0U);
}

TEST_F(PlannerPagesTest, AFormSentInAnotherEncodingIsRefusedAndStoresNothing) {
    // The token is valid and read from the multipart body, but the handler reads urlencoded forms:
    // "dry run" and the dates would read as missing, and the whole campaign be planned and stored.
    const std::string boundary = "loa-test-boundary";
    std::string body;
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"csrf_token", approver_.csrf}, {"from", "2024-07-28"}, {"to", "2024-07-30"}, {"dry_run", "1"}}) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    const auto multipart = send("POST", page,
                                {"Accept: text/html", "Cookie: " + approver_.cookie,
                                 "Content-Type: multipart/form-data; boundary=" + boundary},
                                body);
    EXPECT_EQ(multipart.status, 415U) << multipart.body;
    EXPECT_TRUE(contains(multipart.header("content-type").value_or(""), "text/html"));
    // A script with the header token and a JSON body gets the reason in problem+json.
    const auto json = send("POST", page,
                           {"Accept: application/json", "Cookie: " + approver_.cookie,
                            "X-CSRF-Token: " + approver_.csrf, "Content-Type: application/json"},
                           R"({"dry_run": true})");
    EXPECT_EQ(json.status, 415U) << json.body;
    EXPECT_TRUE(contains(json.body, "application/x-www-form-urlencoded")) << json.body;
    EXPECT_EQ(stored_runs(), 0U);
    loa::core::database db(db_path());
    EXPECT_TRUE(loa::core::load_placements(db, slug).empty());
    // The same fields urlencoded are a dry run.
    EXPECT_EQ(post_form(approver_, "from=2024-07-28&to=2024-07-30&dry_run=1").status, 200U);
    EXPECT_EQ(stored_runs(), 0U);
}

TEST_F(PlannerPagesTest, ADryRunShowsItsResultAndStoresNothing) {
    const auto r = post_form(approver_, "from=&to=&dry_run=1");
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(stored_runs(), 0U);
    loa::core::database db(db_path());
    EXPECT_TRUE(loa::core::load_placements(db, slug).empty());
    EXPECT_TRUE(contains(r.body, "Kết quả chạy thử (chưa lưu)"));
    EXPECT_TRUE(contains(r.body, "id=\"plan-dry-run-notice\""));
    EXPECT_TRUE(contains(
        r.body,
        "id=\"plan-dry-run\" name=\"dry_run\" value=\"1\" aria-describedby=\"plan-dry-run-hint\" checked"));
    // The figures and summaries.
    EXPECT_TRUE(contains(r.body, "id=\"plan-placed\">"));
    EXPECT_TRUE(contains(r.body, "id=\"plan-department-labour\""));
    EXPECT_TRUE(contains(r.body, "id=\"plan-outlet-thp-tv\""));
    // Reasons built in Vietnamese, never the planner's English sentence.
    // With its state, as the message pages name it: what is to be done.
    EXPECT_TRUE(contains(r.body, "Thông điệp chưa được phê duyệt (trạng thái: Bản nháp) nên chưa được xếp lịch.")) << r.body;
    EXPECT_TRUE(contains(r.body, "Thông điệp chưa được phê duyệt (trạng thái: Chờ duyệt) nên chưa được xếp lịch."));
    EXPECT_FALSE(contains(r.body, "airings not placed"));
    EXPECT_FALSE(contains(r.body, "is not approved"));
    // The busiest outlet's busiest day, breaks in time order, prime time as a badge.
    EXPECT_TRUE(contains(r.body, "id=\"plan-schedule\""));
    EXPECT_GT(count(r.body, "<strong class=\"badge badge--prime\">Giờ vàng</strong>"), 0U);
    EXPECT_EQ(count(r.body, "plan-break is-prime"), count(r.body, "badge--prime\">"));

    // Another day of the dry run: the chooser posts the run again; still nothing stored.
    const auto other = post_form(approver_, "dry_run=1&outlet=thp-tv&date=2024-07-30");
    ASSERT_EQ(other.status, 200U);
    EXPECT_TRUE(contains(other.body, "Hải Phòng – kênh truyền hình THP, Thứ Ba, 30/07/2024: đã xếp"))
        << other.body;
    EXPECT_EQ(stored_runs(), 0U);
    // An outlet's name in the table posts the run again with that outlet alone: its busiest day.
    const auto outlet_only = post_form(approver_, "dry_run=1&outlet=thp-tv");
    ASSERT_EQ(outlet_only.status, 200U);
    EXPECT_TRUE(contains(outlet_only.body, "<caption>Đài Phát thanh và Truyền hình Hải Phòng – kênh truyền hình THP, ")) << outlet_only.body;
    EXPECT_EQ(stored_runs(), 0U);
}

TEST_F(PlannerPagesTest, AStoredRunShowsAfterTheRedirectInBothLanguages) {
    const auto r = post_form(approver_, "from=2024-07-01&to=2024-08-02");
    ASSERT_EQ(r.status, 303U) << r.body;
    EXPECT_EQ(r.header("location"), page + "?done=stored");
    ASSERT_EQ(stored_runs(), 1U);
    loa::core::database db(db_path());
    const auto run = loa::core::latest_plan_run(db, slug);
    ASSERT_TRUE(run);
    EXPECT_FALSE(loa::core::load_placements(db, slug).empty());

    const auto shown = get_page(page + "?done=stored", approver_);
    ASSERT_EQ(shown.status, 200U);
    EXPECT_TRUE(contains(shown.body, "Đã lập và lưu kế hoạch."));
    EXPECT_TRUE(contains(shown.body, "Kế hoạch đã lưu gần nhất"));
    EXPECT_TRUE(contains(shown.body, "Lần chạy " + std::to_string(run->id) + ", lưu lúc "));
    EXPECT_TRUE(contains(shown.body, "người chạy: Trần Văn Bình."));
    EXPECT_TRUE(contains(shown.body, "Ngày được lập kế hoạch: 01/07/2024 – 02/08/2024."));
    EXPECT_TRUE(contains(shown.body, "Thông điệp chưa được phê duyệt (trạng thái: Bản nháp) nên chưa được xếp lịch."));
    EXPECT_TRUE(contains(shown.body, "đây là lần chạy diễn tập"));  // the campaign is over: a rehearsal

    // A viewer reads the same stored plan; one outlet's day by its links.
    const auto day = get_page(page + "?outlet=thp-radio&date=2024-07-30", viewer_);
    ASSERT_EQ(day.status, 200U);
    EXPECT_TRUE(contains(day.body, "Kế hoạch đã lưu gần nhất"));
    EXPECT_FALSE(contains(day.body, "id=\"plan-form\""));
    EXPECT_TRUE(contains(day.body, "<option value=\"thp-radio\" selected>"));
    EXPECT_TRUE(contains(day.body, ", Thứ Ba, 30/07/2024: đã xếp "));
    EXPECT_TRUE(contains(day.body, "date=2024-07-29#schedule-heading\" rel=\"prev\""));

    // An outlet the campaign does not have, or a date that is not one (a stale bookmark): 400, and
    // the page says so and shows the busiest day instead.
    const auto stale = get_page(page + "?outlet=dai-cu&date=2024-07-30", viewer_);
    EXPECT_EQ(stale.status, 400U);
    EXPECT_TRUE(contains(stale.body, "Chiến dịch này không có cơ quan phát “dai-cu”")) << stale.body;
    EXPECT_TRUE(contains(stale.body, "Kế hoạch đã lưu gần nhất"));
    const auto not_a_date = get_page(page + "?outlet=thp-radio&date=30-07-2024", viewer_, "en");
    EXPECT_EQ(not_a_date.status, 400U);
    EXPECT_TRUE(contains(not_a_date.body, "“30-07-2024” is not a day of the calendar: give one that exists, such as 2024-07-30."))
        << not_a_date.body;

    const auto en = get_page(page, viewer_, "en");
    ASSERT_EQ(en.status, 200U);
    EXPECT_TRUE(contains(en.body, "Latest stored plan"));
    EXPECT_TRUE(contains(en.body, "The message is not approved (its state: Draft), so it is not scheduled."));
    EXPECT_TRUE(contains(en.body, "<strong class=\"badge badge--prime\">Prime time</strong>"));
    EXPECT_FALSE(contains(en.body, "Giờ vàng</strong>"));
}

// An approved message whose airings were left at 0 (the message form's default) is neither placed
// nor unplaced: the page names it, in both languages, with a link to the message where the airings
// are set; the API's JSON lists it.
TEST_F(PlannerPagesTest, AnApprovedMessageAskingForNoAiringsIsNamedWithALinkToIt) {
    {
        loa::core::database db(db_path());
        SQLite::Statement st(db.sql(),
                             "UPDATE messages SET airings = 0, airings_per_day = 0, airings_per_week = 0 "
                             "WHERE code = 'notice-service-businesses'");
        ASSERT_EQ(st.exec(), 1);
    }
    const auto vi = post_form(approver_, "from=&to=&dry_run=1");
    ASSERT_EQ(vi.status, 200U) << vi.body;
    EXPECT_TRUE(contains(vi.body, "id=\"plan-asking-none\""));
    EXPECT_TRUE(contains(vi.body, "Các thông điệp sau đây đã được phê duyệt nhưng không yêu cầu lượt phát nào"));
    EXPECT_TRUE(contains(vi.body, "<li data-message=\"notice-service-businesses\"><a href=\"/campaigns/" +
                                      std::string(slug) + "/messages/notice-service-businesses\">"))
        << vi.body;
    const auto en = post_form(approver_, "from=&to=&dry_run=1", true, "en");
    ASSERT_EQ(en.status, 200U);
    EXPECT_TRUE(contains(en.body, "These approved messages ask for no airings, so nothing new is planned for them."));
    EXPECT_TRUE(contains(en.body, "it returns to draft and must be approved again before the next run"));
    EXPECT_EQ(count(en.body, "<li data-message=\""), 1U);

    const auto api_reply = post_api(api, &approver_, R"({"dry_run": true})");
    ASSERT_EQ(api_reply.status, 200U) << api_reply.body;
    const auto none = json::parse(api_reply.body).at("asking_none").as_array();
    ASSERT_EQ(none.size(), 1U);
    EXPECT_EQ(none[0].as_string(), "notice-service-businesses");
}

TEST_F(PlannerPagesTest, BadDatesComeBackWithTheErrorNextToTheField) {
    const auto r = post_form(approver_, "from=2024-07-31&to=2024-07-01&dry_run=1");
    ASSERT_EQ(r.status, 422U) << r.body;
    EXPECT_TRUE(contains(r.body, "id=\"plan-to-error\">Ngày cuối không được trước ngày đầu.<"));
    EXPECT_TRUE(contains(r.body, "value=\"2024-07-31\""));  // kept as typed
    const auto en = post_form(approver_, "from=2024-02-30&to=2024-07-01", true, "en");
    ASSERT_EQ(en.status, 422U);
    EXPECT_TRUE(
        contains(en.body, "id=\"plan-from-error\">Enter a date that exists, for example 2024-07-01.<"));
    // The summary names the field each message is about.
    EXPECT_TRUE(contains(r.body, ">Ngày cuối: Ngày cuối không được trước ngày đầu.</a>")) << r.body;
    EXPECT_TRUE(contains(en.body, ">First day: Enter a date that exists, for example 2024-07-01.</a>")) << en.body;
    EXPECT_EQ(stored_runs(), 0U);
}

}  // namespace planner_pages_test_cpp
}  // namespace
