// The JSON read API end to end: `loa serve` on 127.0.0.1:0, a real SQLite file, real sockets.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/support/api_campaign.hpp"

namespace {
namespace api_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
using loa::test::http_connection;
using loa::test::http_reply;

constexpr const char* shipped_slug = "haiphong-2024-anti-trafficking";

std::string request_bytes(const std::string& method, const std::string& target) {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: api_test\r\n\r\n";
}

// The suite's server: the loa binary serving one SQLite file that holds the hand-built campaign
// and the shipped Hai Phong campaign; started once for all tests.
class ApiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new loa::test::served("access_log: off\n");
        std::vector<loa::core::campaign> campaigns{loa::testing::api_campaign()};
        auto shipped = loa::core::load_campaign_file(fs::path(LOA_SOURCE_DIR) / "campaigns" /
                                                     (std::string(shipped_slug) + ".yaml"));
        for (const auto& e : shipped.errors) shipped_errors_ += e.to_string() + "\n";
        if (shipped.value) campaigns.push_back(std::move(*shipped.value));
        // Imported while the server runs, as `loa import` would: the API reads the store per request.
        loa::core::database db(server_->dir().file("loa.db"));
        loa::core::import_campaigns(db, campaigns);
    }

    static void TearDownTestSuite() {
        // A clean exit (graceful shutdown, db thread joined) is part of serving these routes.
        server_->process().signal(SIGTERM);
        EXPECT_EQ(server_->process().wait(std::chrono::seconds(10)), 0) << server_->process().stderr_text();
        delete server_;
        server_ = nullptr;
    }

    static unsigned short port() { return server_->port(); }

    static http_reply get(const std::string& target, const std::string& method = "GET") {
        auto r = loa::test::http_get(port(), target, method);
        if (!r) throw std::runtime_error("no reply to " + method + " " + target);
        return std::move(*r);
    }

    // A 400 problem whose invalid-params name exactly `param` (once).
    static void expect_bad_param(const std::string& target, const std::string& param) {
        SCOPED_TRACE(target);
        const auto r = get(target);
        EXPECT_EQ(r.status, 400U) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        const auto body = json::parse(r.body);
        EXPECT_EQ(body.at("status"), 400);
        const auto& params = body.at("invalid-params").as_array();
        ASSERT_EQ(params.size(), 1U) << r.body;
        EXPECT_EQ(params[0].at("name"), json::value(param)) << r.body;
        EXPECT_FALSE(params[0].at("reason").as_string().empty());
    }

    static inline std::string shipped_errors_;
    static inline loa::test::served* server_ = nullptr;
};

TEST_F(ApiTest, ListsEveryCampaign) {
    const auto r = get("/api/v1/campaigns");
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    const auto parsed = json::parse(r.body);
    const auto& items = parsed.at("campaigns").as_array();
    std::vector<std::string> slugs;
    for (const auto& c : items) slugs.emplace_back(c.at("slug").as_string());
    EXPECT_NE(std::find(slugs.begin(), slugs.end(), "hp-test-2024"), slugs.end()) << r.body;
    for (const auto& c : items) {
        if (c.at("slug") != "hp-test-2024") continue;
        EXPECT_EQ(c.at("theme").at("vi"), "Không để trẻ em nào bị bỏ lại phía sau");
        EXPECT_EQ(c.at("period").at("start"), "2024-07-01");
        EXPECT_EQ(c.at("links").at("calendar"), "/api/v1/campaigns/hp-test-2024/calendar");
    }
    // Vietnamese text travels as UTF-8, not as \u escapes.
    EXPECT_NE(r.body.find("Không để trẻ em nào bị bỏ lại phía sau"), std::string::npos);
}

TEST_F(ApiTest, CampaignDetail) {
    const auto r = get("/api/v1/campaigns/hp-test-2024");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto c = json::parse(r.body);
    EXPECT_EQ(c.at("title").at("vi"), "Chiến dịch phòng, chống mua bán người Hải Phòng 2024");
    EXPECT_EQ(c.at("time_zone"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(c.at("period").at("end"), "2024-07-31");
    EXPECT_EQ(c.at("key_dates").at(0).at("date"), "2024-07-30");
    EXPECT_EQ(c.at("key_dates").at(0).at("weight"), 3);
    EXPECT_EQ(c.at("hotlines").at(0).at("number"), "111");
    EXPECT_EQ(c.at("audiences").as_array().size(), 3U);
    EXPECT_EQ(c.at("counts").at("departments"), 3);
    EXPECT_EQ(c.at("counts").at("activities"), 3);  // the internal inspection is not counted
    EXPECT_EQ(c.at("counts").at("outlets"), 2);
    EXPECT_EQ(c.at("counts").at("messages"), 1);
}

TEST_F(ApiTest, Departments) {
    const auto r = get("/api/v1/campaigns/hp-test-2024/departments");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto body = json::parse(r.body);
    EXPECT_EQ(body.at("campaign"), "hp-test-2024");
    const auto& items = body.at("departments").as_array();
    ASSERT_EQ(items.size(), 3U);
    EXPECT_EQ(items[0].at("code"), "education");
    EXPECT_EQ(items[0].at("name").at("vi"), "Sở Giáo dục và Đào tạo");
    EXPECT_EQ(items[1].at("duties").at(0).at("vi"), "Kiểm tra cơ sở kinh doanh dịch vụ nhạy cảm");
    EXPECT_TRUE(items[1].at("duties").at(0).at("en").is_null());
}

TEST_F(ApiTest, Outlets) {
    const auto r = get("/api/v1/campaigns/hp-test-2024/outlets");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto parsed = json::parse(r.body);
    const auto& items = parsed.at("outlets").as_array();
    ASSERT_EQ(items.size(), 2U);
    const auto& tv = items[0];
    EXPECT_EQ(tv.at("slug"), "thp-tv");
    EXPECT_EQ(tv.at("name").at("vi"), "Đài Phát thanh và Truyền hình Hải Phòng");
    EXPECT_EQ(tv.at("lead_time_hours"), 48);
    EXPECT_EQ(tv.at("dayparts").at(1).at("start"), "22:00");
    EXPECT_EQ(tv.at("dayparts").at(1).at("end"), "01:00");
    EXPECT_EQ(tv.at("dayparts").at(1).at("crosses_midnight"), true);
    EXPECT_EQ(json::serialize(tv.at("dayparts").at(1).at("days")), R"(["sat","sun"])");
    EXPECT_EQ(json::serialize(tv.at("break_clock").at(0)), R"({"minute":15,"at":null,"seconds":60,"dayparts":["prime"]})");
    EXPECT_TRUE(items[1].at("department").is_null());
}

TEST_F(ApiTest, UnknownCampaignIs404Problem) {
    for (const std::string suffix : {"", "/departments", "/outlets", "/calendar", "/calendar?department=education"}) {
        SCOPED_TRACE(suffix);
        // "không-có", percent-encoded: the path is decoded before matching.
        const auto r = get("/api/v1/campaigns/kh%C3%B4ng-c%C3%B3" + suffix);
        EXPECT_EQ(r.status, 404U) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        const auto body = json::parse(r.body);
        EXPECT_EQ(body.at("status"), 404);
        EXPECT_NE(std::string(body.at("detail").as_string()).find("không-có"), std::string::npos) << r.body;
    }
}

TEST_F(ApiTest, CalendarExpandsRecurringActivitiesWithOffsets) {
    const auto r = get("/api/v1/campaigns/hp-test-2024/calendar?department=education");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto body = json::parse(r.body);
    EXPECT_EQ(body.at("campaign"), "hp-test-2024");
    EXPECT_EQ(body.at("time_zone"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(body.at("from"), "2024-07-01T00:00:00+07:00");
    EXPECT_EQ(body.at("to"), "2024-08-01T00:00:00+07:00");
    EXPECT_EQ(body.at("department"), "education");
    EXPECT_EQ(body.at("truncated"), false);
    const auto& items = body.at("occurrences").as_array();
    ASSERT_EQ(items.size(), 6U) << r.body;
    const char* days[] = {"09", "11", "16", "18", "23", "25"};
    for (std::size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(items[i].at("activity"), "school-sessions");
        EXPECT_EQ(items[i].at("recurring"), true);
        EXPECT_EQ(items[i].at("start").as_string(), std::string("2024-07-") + days[i] + "T08:00:00+07:00");
        EXPECT_EQ(items[i].at("end").as_string(), std::string("2024-07-") + days[i] + "T09:30:00+07:00");
        EXPECT_EQ(items[i].at("title").at("vi"), "Buổi ngoại khóa phòng, chống mua bán người");
    }
}

TEST_F(ApiTest, CalendarWindowWithDatesAndOffsets) {
    // Bare dates: `to` is inclusive.
    auto r = get("/api/v1/campaigns/hp-test-2024/calendar?department=education&from=2024-07-16&to=2024-07-18");
    ASSERT_EQ(r.status, 200U) << r.body;
    auto body = json::parse(r.body);
    EXPECT_EQ(body.at("to"), "2024-07-19T00:00:00+07:00");
    EXPECT_EQ(body.at("occurrences").as_array().size(), 2U) << r.body;

    // An escaped offset, and one typed raw ("+" arrives as a space) — both mean +07:00.
    for (const std::string from : {"2024-07-16T09:00:00%2B07:00", "2024-07-16T09:00:00+07:00", "2024-07-16T02:00:00Z"}) {
        SCOPED_TRACE(from);
        r = get("/api/v1/campaigns/hp-test-2024/calendar?department=education&from=" + from + "&to=2024-07-18T08:00");
        ASSERT_EQ(r.status, 200U) << r.body;
        body = json::parse(r.body);
        EXPECT_EQ(body.at("from"), "2024-07-16T09:00:00+07:00");
        EXPECT_EQ(body.at("to"), "2024-07-18T08:00:00+07:00");
        // The 16th's session (08:00–09:30) still runs at 09:00; the 18th's starts at the window's end.
        const auto& items = body.at("occurrences").as_array();
        ASSERT_EQ(items.size(), 1U) << r.body;
        EXPECT_EQ(items[0].at("start"), "2024-07-16T08:00:00+07:00");
    }
}

TEST_F(ApiTest, CalendarLeavesOutInternalActivities) {
    auto r = get("/api/v1/campaigns/hp-test-2024/calendar");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto parsed = json::parse(r.body);
    const auto& items = parsed.at("occurrences").as_array();
    EXPECT_EQ(items.size(), 8U) << r.body;
    EXPECT_EQ(r.body.find("night-inspection"), std::string::npos);
    EXPECT_EQ(r.body.find("karaoke"), std::string::npos);
    EXPECT_TRUE(json::parse(r.body).at("department").is_null());

    r = get("/api/v1/campaigns/hp-test-2024/calendar?department=police");
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_TRUE(json::parse(r.body).at("occurrences").as_array().empty());
}

TEST_F(ApiTest, CalendarAllDayAndEmptyParameters) {
    const auto r = get("/api/v1/campaigns/hp-test-2024/calendar?department=&from=&to=2024-07-30");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto parsed = json::parse(r.body);
    const auto& items = parsed.at("occurrences").as_array();
    ASSERT_FALSE(items.empty());
    const auto& fair = items.back();
    EXPECT_EQ(fair.at("activity"), "festival-30-7");
    EXPECT_EQ(fair.at("all_day"), true);
    EXPECT_EQ(fair.at("start"), "2024-07-30T00:00:00+07:00");
    EXPECT_EQ(fair.at("end"), "2024-07-31T00:00:00+07:00");
}

TEST_F(ApiTest, CalendarBadParametersAre400ProblemsNamingThem) {
    const std::string base = "/api/v1/campaigns/hp-test-2024/calendar";
    expect_bad_param(base + "?department=educaton", "department");
    expect_bad_param(base + "?department=gi%C3%A1o-d%E1%BB%A5c", "department");
    expect_bad_param(base + "?from=2024-02-30", "from");
    expect_bad_param(base + "?from=h%C3%B4m-qua", "from");
    expect_bad_param(base + "?to=31/07/2024", "to");
    expect_bad_param(base + "?from=2024-07-20&to=2024-07-10", "to");
    expect_bad_param(base + "?from=2024-09-01", "from");
    expect_bad_param(base + "?from=2024-01-01&to=2025-12-31", "to");
    expect_bad_param(base + "?department=education&department=police", "department");
    expect_bad_param(base + "?dept=education", "dept");

    // Every bad parameter at once, not just the first.
    const auto r = get(base + "?department=x&from=y&to=z");
    ASSERT_EQ(r.status, 400U);
    EXPECT_EQ(json::parse(r.body).at("invalid-params").as_array().size(), 3U) << r.body;
}

TEST_F(ApiTest, HeadAnswersLikeGetWithoutABody) {
    for (const std::string target : {"/api/v1/campaigns", "/api/v1/campaigns/hp-test-2024",
                                     "/api/v1/campaigns/hp-test-2024/outlets",
                                     "/api/v1/campaigns/hp-test-2024/calendar?department=education",
                                     "/api/v1/campaigns/none"}) {
        SCOPED_TRACE(target);
        http_connection c(port());
        ASSERT_TRUE(c.send(request_bytes("GET", target)));
        const auto g = c.read_reply();
        ASSERT_TRUE(g);
        // A body after HEAD would be read as the start of the next response: ask for both at once.
        ASSERT_TRUE(c.send(request_bytes("HEAD", target) + request_bytes("GET", target)));
        const auto h = c.read_reply(true);
        ASSERT_TRUE(h);
        EXPECT_EQ(h->status, g->status);
        EXPECT_EQ(h->header("content-type"), g->header("content-type"));
        EXPECT_EQ(h->header("content-length"), std::to_string(g->body.size()));
        const auto after = c.read_reply();
        ASSERT_TRUE(after);
        EXPECT_EQ(after->body, g->body);
    }
}

TEST_F(ApiTest, OtherMethodsAre405WithAllow) {
    const auto r = get("/api/v1/campaigns/hp-test-2024/calendar", "POST");
    EXPECT_EQ(r.status, 405U);
    EXPECT_EQ(r.header("allow"), "GET, HEAD");
}

// The issue's done-criterion on the shipped campaign: the education department's calendar lists
// the school sessions of July 2024.
TEST_F(ApiTest, ShippedCampaignListsJulySchoolSessions) {
    ASSERT_TRUE(shipped_errors_.empty()) << shipped_errors_;
    const auto r = get(std::string("/api/v1/campaigns/") + shipped_slug + "/calendar?department=education");
    ASSERT_EQ(r.status, 200U) << r.body;
    const auto parsed = json::parse(r.body);
    const auto& items = parsed.at("occurrences").as_array();
    std::map<std::string, int> sessions;  // school_session activity → occurrences
    for (const auto& o : items) {
        EXPECT_EQ(o.at("department"), "education");
        EXPECT_EQ(o.at("visibility"), "public");
        const std::string start(o.at("start").as_string());
        EXPECT_EQ(start.substr(0, 8), "2024-07-") << start;
        EXPECT_EQ(start.substr(start.size() - 6), "+07:00") << start;
        if (o.at("kind") == "school_session") ++sessions[std::string(o.at("activity").as_string())];
    }
    EXPECT_GE(sessions.size(), 2U) << r.body;
    int recurring = 0;
    for (const auto& [id, n] : sessions)
        if (n > 1) ++recurring;
    EXPECT_GE(recurring, 1) << "no weekly school session was expanded: " << r.body;
}

}  // namespace api_test_cpp
}  // namespace
