// The dispatch log through the real `loa serve` over loopback with a real SQLite file: Hai Phong's
// campaign planned with two targets configured, so the store made a dispatch per placement and
// target; a few are then claimed and completed (delivered, retrying, dead) and some missed with the
// store's own functions at a simulated 2024 clock. The server runs with `dispatch: off`, so nothing
// moves them but the requests under test. Checks the JSON API (filters, paging, 400 naming the
// parameter, 404, 409, roles, CSRF header) and the pages (Vietnamese and English, the approver's
// POST forms with their token, 303 and the flash, viewers read only).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/dispatch_store.hpp"
#include "scheduler/planner/service.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"

namespace {
namespace dispatch_pages_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace core = loa::core;
using loa::test::http_connection;
using loa::test::http_reply;

constexpr const char* slug = "haiphong-2024-anti-trafficking";

using login = loa::test::web_user;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The ids the fixture left in each state.
struct seeded {
    std::int64_t delivered = 0, retrying = 0, dead = 0, missed = 0, pending = 0;
    std::size_t total = 0;
};

class DispatchPagesTest : public ::testing::Test {
protected:
    DispatchPagesTest() : server_("access_log: off\ndispatch: off\n") {
        core::database db(db_path());
        core::import_campaigns(db, {loa::test::shipped_campaign(slug)});
        approver_ = loa::test::add_web_user(db, "Trần Văn Bình", "approver");
        editor_ = loa::test::add_web_user(db, "Nguyễn Thị Hoa", "editor", "information");
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
        seed(db);
    }

    ~DispatchPagesTest() override { loa::test::stop_served(server_); }

    fs::path db_path() const { return server_.dir().file("loa.db"); }

    // Two targets (one per outlet, one per kind), a stored plan (its placements get their dispatches
    // in the same transaction), then a 2024 clock moves some of them on through the store.
    void seed(core::database& db) {
        const core::audit_actor cli{std::nullopt, "test"};
        const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
        core::dispatch_target tv;
        tv.name = "thp-automation";
        tv.outlet = "thp-tv";
        tv.url = "https://automation.thp.example/hook";
        core::add_target(db, tv, now, cli);
        core::dispatch_target radio;
        radio.name = "radio-gateway";
        radio.outlet_kind = "radio";
        radio.url = "http://radio.example/hook";
        core::add_target(db, radio, now, cli);
        const auto run = loa::scheduler::planner::run_planner(db, slug, {}, cli);
        if (!run.ok()) throw std::runtime_error("the planner did not store a plan: " + run.error_detail);

        core::dispatch_filter all;
        all.limit = 1000;
        const auto rows = core::list_dispatches(db, all);
        if (rows.size() < 10) throw std::runtime_error("too few dispatches: " + std::to_string(rows.size()));
        ids_.total = rows.size();
        // The earliest due (the list is newest first): the simulated clock starts there.
        core::ms_time first = rows.back().due;
        for (const auto& r : rows) first = std::min(first, r.due);
        const core::ms_time t = first + std::chrono::minutes(1);
        auto claimed = core::claim_due(db, t, std::chrono::seconds(60), 3);
        // At least three due at the first minute: widen the clock until there are.
        for (int h = 1; claimed.size() < 3 && h < 200; ++h)
            for (auto& c : core::claim_due(db, t + std::chrono::hours(h), std::chrono::seconds(60),
                                           static_cast<int>(3 - claimed.size())))
                claimed.push_back(std::move(c));
        if (claimed.size() < 3) throw std::runtime_error("could not claim three dispatches");
        const auto record = [](const core::claimed_dispatch& c, std::optional<int> status, std::string error,
                               core::attempt_record::outcome o, core::ms_time at) {
            core::attempt_record r;
            r.dispatch_id = c.id;
            r.attempt = c.attempt;
            r.started = at;
            r.finished = at + std::chrono::milliseconds(37);
            r.status = status;
            r.error = std::move(error);
            r.body = "{}";
            r.result = o;
            r.next_attempt = at + std::chrono::minutes(5);
            return r;
        };
        const core::ms_time at = claimed[2].lease_until - std::chrono::seconds(60);
        const int applied = core::complete_attempts(
            db, {record(claimed[0], 204, "", core::attempt_record::outcome::delivered, at),
                 record(claimed[1], 503, "503 Service Unavailable", core::attempt_record::outcome::retry, at),
                 record(claimed[2], 400, "400 Bad Request: không hợp lệ", core::attempt_record::outcome::dead,
                        at)});
        if (applied != 3) throw std::runtime_error("completions not applied");
        ids_.delivered = claimed[0].id;
        ids_.retrying = claimed[1].id;
        ids_.dead = claimed[2].id;
        // Catch-up a day later: every pending row due more than its grace before is missed.
        core::mark_missed(db, at + std::chrono::hours(24));
        core::dispatch_filter f;
        f.state = "missed";
        f.limit = 1;
        const auto missed = core::list_dispatches(db, f);
        if (missed.empty()) throw std::runtime_error("nothing missed");
        ids_.missed = missed.front().id;
        f.state = "pending";
        const auto pending = core::list_dispatches(db, f);
        if (pending.empty()) throw std::runtime_error("nothing pending");
        ids_.pending = pending.front().id;
    }

    std::optional<core::dispatch_row> stored(std::int64_t id) const {
        core::database db(db_path());
        return core::find_dispatch(db, id);
    }

    long long audit_rows(const std::string& action, std::int64_t id) const {
        SQLite::Database db(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(
            db,
            "SELECT count(*) FROM audit_log WHERE entity = 'dispatch' AND action = ? AND entity_key = ? "
            "AND actor = 'Trần Văn Bình'");
        st.bind(1, action);
        st.bind(2, std::to_string(id));
        st.executeStep();
        return st.getColumn(0).getInt64();
    }

    http_reply send(const std::string& method, const std::string& target,
                    const std::vector<std::string>& headers, const std::string& body = {}) {
        http_connection c(server_.port());
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto& h : headers) req += h + "\r\n";
        if (method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n" + body;
        if (!c.send(req)) throw std::runtime_error("cannot send " + target);
        auto r = c.read_reply(method == "HEAD", std::chrono::seconds(20));
        if (!r) throw std::runtime_error("no reply to " + method + " " + target);
        return std::move(*r);
    }

    http_reply get_api(const std::string& target, const login* who) {
        std::vector<std::string> h = {"Accept: application/json"};
        if (who != nullptr) h.push_back("Cookie: " + who->cookie);
        return send("GET", target, h);
    }

    http_reply post_api(const std::string& target, const login* who, bool with_csrf = true) {
        std::vector<std::string> h = {"Accept: application/json"};
        if (who != nullptr) {
            h.push_back("Cookie: " + who->cookie);
            if (with_csrf) h.push_back("X-CSRF-Token: " + who->csrf);
        }
        return send("POST", target, h);
    }

    http_reply get_page(const std::string& target, const login* who, const std::string& lang = "vi") {
        std::vector<std::string> h = {"Accept: text/html", "Accept-Language: " + lang};
        if (who != nullptr) h.push_back("Cookie: " + who->cookie);
        return send("GET", target, h);
    }

    http_reply post_form(const std::string& target, const login& who, bool with_token = true) {
        return send("POST", target,
                    {"Accept: text/html", "Accept-Language: vi", "Cookie: " + who.cookie,
                     "Content-Type: application/x-www-form-urlencoded"},
                    with_token ? "csrf_token=" + who.csrf : std::string("x=1"));
    }

    static std::string id_path(const std::string& base, std::int64_t id, const std::string& tail = "") {
        return base + std::to_string(id) + tail;
    }

    loa::test::served server_;
    login approver_;
    login editor_;
    login viewer_;
    seeded ids_;
};

std::vector<std::string> invalid_names(const http_reply& r) {
    std::vector<std::string> out;
    const json::value v = json::parse(r.body);
    for (const auto& p : v.at("invalid-params").as_array()) out.emplace_back(p.at("name").as_string());
    return out;
}

bool iso_utc(const json::value& v) {
    if (!v.is_string()) return false;
    const std::string s(v.as_string());
    return s.size() >= 20 && s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
}

TEST_F(DispatchPagesTest, ApiListsWithFiltersAndPaging) {
    const auto all = get_api("/api/v1/dispatches", &viewer_);
    ASSERT_EQ(all.status, 200U) << all.body;
    EXPECT_EQ(all.header("content-type").value_or(""), "application/json");
    const json::value v = json::parse(all.body);
    const auto& list = v.at("dispatches").as_array();
    EXPECT_EQ(list.size(), std::min<std::size_t>(100, ids_.total));
    EXPECT_EQ(v.at("limit").as_int64(), 100);
    for (const auto& d : list) {
        EXPECT_TRUE(iso_utc(d.at("start"))) << d;
        EXPECT_TRUE(iso_utc(d.at("due"))) << d;
        EXPECT_EQ(d.at("campaign").as_string(), slug);
    }
    // Newest due first.
    for (std::size_t i = 1; i < list.size(); ++i)
        EXPECT_GE(std::string(list[i - 1].at("due").as_string()), std::string(list[i].at("due").as_string()));

    const auto delivered = json::parse(get_api("/api/v1/dispatches?state=delivered", &viewer_).body);
    ASSERT_EQ(delivered.at("dispatches").as_array().size(), 1U);
    const auto& d = delivered.at("dispatches").as_array()[0];
    EXPECT_EQ(d.at("id").as_int64(), ids_.delivered);
    EXPECT_TRUE(iso_utc(d.at("delivered")));
    EXPECT_EQ(d.at("last_status").as_int64(), 204);
    EXPECT_TRUE(d.at("next_attempt").is_null());

    // By target, by campaign (an unknown one matches nothing), and pages that join up.
    const auto radio =
        json::parse(get_api("/api/v1/dispatches?target=radio-gateway&limit=1000", &viewer_).body);
    for (const auto& r : radio.at("dispatches").as_array())
        EXPECT_EQ(r.at("target").as_string(), "radio-gateway");
    EXPECT_FALSE(radio.at("dispatches").as_array().empty());
    EXPECT_TRUE(json::parse(get_api("/api/v1/dispatches?campaign=khong-co", &viewer_).body)
                    .at("dispatches")
                    .as_array()
                    .empty());
    const auto p1 = json::parse(get_api("/api/v1/dispatches?limit=2", &viewer_).body);
    EXPECT_EQ(p1.at("next_offset").as_int64(), 2);
    const auto p2 = json::parse(get_api("/api/v1/dispatches?limit=2&offset=2", &viewer_).body);
    EXPECT_EQ(p2.at("dispatches").as_array()[0], list[2]);
    const auto last = json::parse(
        get_api("/api/v1/dispatches?limit=1&offset=" + std::to_string(ids_.total - 1), &viewer_).body);
    EXPECT_EQ(last.at("dispatches").as_array().size(), 1U);
    EXPECT_TRUE(last.at("next_offset").is_null());

    // Bad parameters: 400 problem+json naming each.
    const auto bad = get_api("/api/v1/dispatches?state=bogus&limit=0&offset=-3", &viewer_);
    ASSERT_EQ(bad.status, 400U) << bad.body;
    EXPECT_EQ(bad.header("content-type").value_or(""), "application/problem+json");
    EXPECT_EQ(invalid_names(bad), (std::vector<std::string>{"state", "limit", "offset"}));
    EXPECT_EQ(invalid_names(get_api("/api/v1/dispatches?limit=1001", &viewer_)),
              (std::vector<std::string>{"limit"}));
    // A name the list does not take, and one given twice, are named too (not silently ignored).
    const auto unknown = get_api("/api/v1/dispatches?status=dead&state=dead&state=missed", &viewer_);
    ASSERT_EQ(unknown.status, 400U) << unknown.body;
    EXPECT_EQ(invalid_names(unknown), (std::vector<std::string>{"status", "state"}));

    // A session is needed; every signed-in role reads.
    EXPECT_EQ(get_api("/api/v1/dispatches", nullptr).status, 401U);
    EXPECT_EQ(get_api("/api/v1/dispatches", &editor_).status, 200U);
}

TEST_F(DispatchPagesTest, ApiDetailHasEveryAttempt) {
    const auto r = get_api("/api/v1/dispatches/" + std::to_string(ids_.retrying), &viewer_);
    ASSERT_EQ(r.status, 200U) << r.body;
    const json::value v = json::parse(r.body);
    EXPECT_EQ(v.at("state").as_string(), "retrying");
    EXPECT_EQ(v.at("attempts").as_int64(), 1);
    EXPECT_TRUE(iso_utc(v.at("next_attempt")));
    const auto& log = v.at("attempt_log").as_array();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].at("status").as_int64(), 503);
    EXPECT_EQ(log[0].at("outcome").as_string(), "retry");
    EXPECT_EQ(log[0].at("error").as_string(), "503 Service Unavailable");
    EXPECT_TRUE(iso_utc(log[0].at("started")));

    const auto unknown = get_api("/api/v1/dispatches/999999", &viewer_);
    EXPECT_EQ(unknown.status, 404U);
    EXPECT_EQ(unknown.header("content-type").value_or(""), "application/problem+json");
    const auto malformed = get_api("/api/v1/dispatches/abc", &viewer_);
    EXPECT_EQ(malformed.status, 400U);
    EXPECT_EQ(invalid_names(malformed), (std::vector<std::string>{"id"}));
    EXPECT_EQ(get_api("/api/v1/dispatches/1", nullptr).status, 401U);
}

TEST_F(DispatchPagesTest, ApiRetryAndRequeueForApproversOnly) {
    const std::string base = "/api/v1/dispatches/";
    // Viewers and editors may not; nor an approver without the session's CSRF header.
    EXPECT_EQ(post_api(id_path(base, ids_.dead, "/requeue"), &viewer_).status, 403U);
    EXPECT_EQ(post_api(id_path(base, ids_.dead, "/requeue"), &editor_).status, 403U);
    EXPECT_EQ(post_api(id_path(base, ids_.dead, "/requeue"), &approver_, false).status, 403U);
    EXPECT_EQ(post_api(id_path(base, ids_.dead, "/requeue"), nullptr).status, 401U);
    EXPECT_EQ(stored(ids_.dead)->state, "dead");

    // Requeue a dead one: pending, due now, attempts kept, audited under the approver's name.
    const auto before = std::chrono::system_clock::now();
    const auto requeued = post_api(id_path(base, ids_.dead, "/requeue"), &approver_);
    ASSERT_EQ(requeued.status, 200U) << requeued.body;
    const json::value q = json::parse(requeued.body);
    EXPECT_EQ(q.at("state").as_string(), "pending");
    EXPECT_EQ(q.at("attempts").as_int64(), 1);
    EXPECT_EQ(q.at("attempt_log").as_array().size(), 1U);
    const auto row = stored(ids_.dead);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, "pending");
    EXPECT_GE(row->next_attempt, std::chrono::floor<std::chrono::milliseconds>(before));
    EXPECT_EQ(audit_rows("requeue", ids_.dead), 1);
    // Again: the state no longer allows it.
    const auto again = post_api(id_path(base, ids_.dead, "/requeue"), &approver_);
    EXPECT_EQ(again.status, 409U);
    EXPECT_TRUE(contains(json::parse(again.body).at("detail").as_string().c_str(), "pending"));

    // Not while its target is disabled (it would be sent nothing, only counted as due): 409, and
    // the detail says what to do.
    const std::string missed_target = stored(ids_.missed)->target;
    const auto enable = [&](bool on) {
        core::database db(db_path());
        ASSERT_TRUE(core::set_target_enabled(db, missed_target, on, on ? "" : "bảo trì",
                                             core::audit_actor{std::nullopt, "cli"}));
    };
    enable(false);
    const auto off = post_api(id_path(base, ids_.missed, "/requeue"), &approver_);
    EXPECT_EQ(off.status, 409U);
    EXPECT_TRUE(contains(json::parse(off.body).at("detail").as_string().c_str(),
                         "target " + missed_target + " is disabled: enable it"))
        << off.body;
    EXPECT_EQ(stored(ids_.missed)->state, "missed");
    enable(true);

    // A missed one too.
    EXPECT_EQ(post_api(id_path(base, ids_.missed, "/requeue"), &approver_).status, 200U);
    EXPECT_EQ(stored(ids_.missed)->state, "pending");

    // Retry now: a retrying one is due now; a delivered one cannot be retried (409), nor requeued.
    const auto retried = post_api(id_path(base, ids_.retrying, "/retry"), &approver_);
    ASSERT_EQ(retried.status, 200U) << retried.body;
    EXPECT_EQ(json::parse(retried.body).at("state").as_string(), "retrying");
    EXPECT_GE(stored(ids_.retrying)->next_attempt, std::chrono::floor<std::chrono::milliseconds>(before));
    EXPECT_EQ(audit_rows("retry", ids_.retrying), 1);
    EXPECT_EQ(post_api(id_path(base, ids_.delivered, "/retry"), &approver_).status, 409U);
    EXPECT_EQ(post_api(id_path(base, ids_.delivered, "/requeue"), &approver_).status, 409U);
    EXPECT_EQ(post_api(id_path(base, ids_.pending, "/requeue"), &approver_).status, 409U);
    EXPECT_EQ(stored(ids_.delivered)->state, "delivered");

    // Unknown and malformed ids.
    EXPECT_EQ(post_api(base + "999999/retry", &approver_).status, 404U);
    EXPECT_EQ(post_api(base + "x/retry", &approver_).status, 400U);
    // GET on an action is not a route (405 with Allow).
    const auto wrong = get_api(id_path(base, ids_.dead, "/retry"), &approver_);
    EXPECT_EQ(wrong.status, 405U);
    EXPECT_EQ(wrong.header("allow").value_or(""), "POST");
}

TEST_F(DispatchPagesTest, LogPageInBothLanguages) {
    const auto vi = get_page("/dispatch", &viewer_);
    ASSERT_EQ(vi.status, 200U) << vi.body;
    EXPECT_TRUE(contains(vi.header("content-type").value_or(""), "text/html"));
    EXPECT_TRUE(contains(vi.body, "<html lang=\"vi\">"));
    EXPECT_TRUE(contains(vi.body, "<h1>Nhật ký gửi tin</h1>"));
    EXPECT_TRUE(contains(vi.body, "<option value=\"thp-automation\">thp-automation</option>"));
    EXPECT_TRUE(
        contains(vi.body, "<td>Hải Phòng hưởng ứng Ngày Thế giới"));  // the campaign's title, not its slug
    EXPECT_TRUE(contains(vi.body, "UTC+07:00"));                      // slot starts in the outlet's zone
    EXPECT_TRUE(contains(vi.body, "id=\"dispatch-row-" + std::to_string(ids_.delivered) + "\"") ||
                ids_.total > 50);
    EXPECT_TRUE(contains(vi.body, "id=\"dispatch-next\""));  // more than one page
    EXPECT_TRUE(contains(vi.body, "Đã gửi"));

    const auto en = get_page("/dispatch?state=dead&campaign=" + std::string(slug), &viewer_, "en");
    ASSERT_EQ(en.status, 200U) << en.body;
    EXPECT_TRUE(contains(en.body, "<h1>Dispatch log</h1>"));
    EXPECT_TRUE(contains(en.body, "id=\"dispatch-row-" + std::to_string(ids_.dead) + "\""));
    EXPECT_TRUE(contains(en.body, "400 Bad Request: không hợp lệ"));
    EXPECT_TRUE(contains(en.body, ">Failed</span>"));
    EXPECT_FALSE(contains(en.body, "id=\"dispatch-row-" + std::to_string(ids_.delivered) + "\""));

    const auto bogus = get_page("/dispatch?state=bogus", &viewer_);
    EXPECT_EQ(bogus.status, 400U);
    EXPECT_TRUE(contains(bogus.body, "Không có trạng thái “bogus”: hãy cho state là một trong"))
        << bogus.body;
    const auto anonymous = get_page("/dispatch", nullptr);
    EXPECT_EQ(anonymous.status, 303U);
    EXPECT_EQ(anonymous.header("location").value_or(""), "/login?next=%2Fdispatch");
}

TEST_F(DispatchPagesTest, DetailPageFormsRedirectWithAFlash) {
    const std::string page = "/dispatch/" + std::to_string(ids_.dead);
    // A viewer reads the attempts, without any form.
    const auto read = get_page(page, &viewer_);
    ASSERT_EQ(read.status, 200U) << read.body;
    EXPECT_TRUE(contains(read.body, "<h1>Lượt gửi " + std::to_string(ids_.dead) + "</h1>"));
    EXPECT_TRUE(contains(read.body, "400 Bad Request: không hợp lệ"));
    EXPECT_FALSE(contains(read.body, "dispatch-requeue-form"));
    EXPECT_EQ(post_form(page + "/requeue", viewer_).status, 403U);

    // The approver sees "Đưa lại vào hàng đợi" with the session's token.
    const auto mine = get_page(page, &approver_);
    ASSERT_EQ(mine.status, 200U);
    EXPECT_TRUE(contains(mine.body, "action=\"" + page + "/requeue\""));
    EXPECT_TRUE(contains(mine.body, "value=\"" + approver_.csrf + "\""));
    EXPECT_TRUE(contains(mine.body, "Đưa lại vào hàng đợi</button>"));
    EXPECT_FALSE(contains(mine.body, "dispatch-retry-form"));
    // Without the token: refused, nothing changes.
    EXPECT_EQ(post_form(page + "/requeue", approver_, false).status, 403U);
    EXPECT_EQ(stored(ids_.dead)->state, "dead");

    const auto done = post_form(page + "/requeue", approver_);
    EXPECT_EQ(done.status, 303U);
    EXPECT_EQ(done.header("location").value_or(""), page + "?done=requeued");
    EXPECT_EQ(stored(ids_.dead)->state, "pending");
    const auto after = get_page(page + "?done=requeued", &approver_);
    EXPECT_TRUE(contains(after.body, "Lượt gửi đã được đưa lại vào hàng đợi và đến hạn ngay."));
    EXPECT_TRUE(contains(after.body, "Thử lại ngay</button>"));  // pending now: retry offered
    // The same form sent twice: the second is refused with a flash, not an error.
    const auto twice = post_form(page + "/requeue", approver_);
    EXPECT_EQ(twice.status, 303U);
    EXPECT_EQ(twice.header("location").value_or(""), page + "?done=refused");

    const auto retried = post_form(page + "/retry", approver_);
    EXPECT_EQ(retried.header("location").value_or(""), page + "?done=retried");
    EXPECT_EQ(audit_rows("retry", ids_.dead), 1);

    EXPECT_EQ(get_page("/dispatch/999999", &viewer_).status, 404U);
    EXPECT_EQ(get_page("/dispatch/abc", &viewer_).status, 404U);
    EXPECT_EQ(post_form("/dispatch/999999/retry", approver_).status, 404U);
}

}  // namespace dispatch_pages_test_cpp
}  // namespace
