// The dispatch log's pure part without a server: the query parameters (every bad one named), ids in
// paths, which state allows which action, the API's JSON (ISO 8601 UTC, nulls), and the rendered
// pages: the summary with disabled targets, the filter form, the table with the slot start in the
// outlet's zone and the state in words, paging links, the detail with every attempt, the buttons
// only for approvers and only where the state allows them, hostile text escaped.
#include "server/handlers/dispatch_pages.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

namespace {
namespace dispatch_pages_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
namespace handlers = loa::handlers;
namespace web = loa::web;
namespace core = loa::core;
using query = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> names(const std::vector<loa::http::invalid_param>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.name);
    return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

// 2024-07-30 at hh:mm:ss in Hai Phong (UTC+7), as an outbox time.
core::ms_time hp(int h, int m, int s = 0, int ms = 0) {
    return core::ms_time{date::sys_days{2024_y / date::July / 30}} + std::chrono::hours(h - 7) +
           std::chrono::minutes(m) + std::chrono::seconds(s) + std::chrono::milliseconds(ms);
}

core::dispatch_row row(std::int64_t id, const std::string& state) {
    core::dispatch_row r;
    r.id = id;
    r.webhook_id = "msg_2Yf3kQ" + std::to_string(id);
    r.state = state;
    r.target = "thp-automation";
    r.campaign = "hp-2024";
    r.message = "m-police";
    r.outlet = "thp-tv";
    r.start = date::sys_days{2024_y / date::July / 30} + 12h + 15min;  // 19:15 in Hai Phong
    r.due = hp(19, 15);
    r.next_attempt = hp(19, 20, 5, 250);
    r.attempts = 2;
    r.last_status = 503;
    r.last_error = "503 Service Unavailable from https://automation.thp.vn/hook";
    return r;
}

handlers::dispatch_names sample_names() {
    core::campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", "Anti-trafficking month"};
    core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    tv.time_zone = "Asia/Ho_Chi_Minh";
    c.outlets = {tv};
    core::message m;
    m.id = "m-police";
    m.title = {"Cảnh giác lời mời việc nhẹ lương cao", "Beware of easy jobs with high pay"};
    c.messages = {m};
    handlers::dispatch_names n;
    n.emplace(c.slug, handlers::names_of(c));
    return n;
}

loa::http::request page_request(const std::string& lang, const std::string& role) {
    loa::http::request r;
    r.method = "GET";
    r.path = "/dispatch";
    r.target = r.path;
    r.lang = lang;
    loa::http::principal p;
    p.user_id = 3;
    p.name = "Phạm Văn Duyệt";
    p.role = role;
    p.csrf_token = "tok-123";
    r.user = p;
    return r;
}

// ---- Parameters ----------------------------------------------------------------------------------

TEST(DispatchQuery, DefaultsWhenNothingIsGiven) {
    const auto q = handlers::parse_dispatch_query({}, handlers::dispatch_page_size);
    EXPECT_TRUE(q.errors.empty());
    EXPECT_EQ(q.filter.state, "");
    EXPECT_EQ(q.filter.target, "");
    EXPECT_EQ(q.filter.campaign, "");
    EXPECT_EQ(q.filter.limit, 50);
    EXPECT_EQ(q.filter.offset, 0);
    EXPECT_EQ(handlers::parse_dispatch_query({}, handlers::dispatch_api_limit).filter.limit, 100);
}

TEST(DispatchQuery, EveryParameterIsRead) {
    const auto q = handlers::parse_dispatch_query({{"state", "dead"},
                                                   {"target", "thp-automation"},
                                                   {"campaign", "haiphong-2024-anti-trafficking"},
                                                   {"limit", "1000"},
                                                   {"offset", "40"},
                                                   {"lang", "en"}},
                                                  50);
    EXPECT_TRUE(q.errors.empty());
    EXPECT_EQ(q.filter.state, "dead");
    EXPECT_EQ(q.filter.target, "thp-automation");
    EXPECT_EQ(q.filter.campaign, "haiphong-2024-anti-trafficking");
    EXPECT_EQ(q.filter.limit, 1000);
    EXPECT_EQ(q.filter.offset, 40);
    // Every state of the store is a state here; empty values mean "any" or the default.
    for (const char* s : core::dispatch_states)
        EXPECT_TRUE(handlers::parse_dispatch_query({{"state", s}}, 50).errors.empty()) << s;
    const auto empty = handlers::parse_dispatch_query({{"state", ""}, {"limit", ""}, {"offset", ""}}, 50);
    EXPECT_TRUE(empty.errors.empty());
    EXPECT_EQ(empty.filter.limit, 50);
    // The first value of a repeated parameter counts.
    const auto twice = handlers::parse_dispatch_query({{"state", "missed"}, {"state", "nonsense"}}, 50);
    EXPECT_TRUE(twice.errors.empty());
    EXPECT_EQ(twice.filter.state, "missed");
}

TEST(DispatchQuery, EveryBadParameterIsNamed) {
    const auto q = handlers::parse_dispatch_query(
        {{"state", "đã gửi"}, {"limit", "0"}, {"offset", "-1"}, {"target", std::string(201, 'x')}}, 50);
    EXPECT_EQ(names(q.errors), (std::vector<std::string>{"state", "limit", "offset", "target"}));
    EXPECT_TRUE(contains(q.errors[0].reason, "'đã gửi'"));
    EXPECT_TRUE(contains(q.errors[0].reason, "pending, in_flight, delivered"));
    // The filter keeps the defaults for what was refused.
    EXPECT_EQ(q.filter.state, "");
    EXPECT_EQ(q.filter.limit, 50);
    EXPECT_EQ(q.filter.offset, 0);
    for (const char* bad : {"1001", "abc", "1e3", "+5", " 5", "5 ", "99999999999999999999"})
        EXPECT_EQ(names(handlers::parse_dispatch_query({{"limit", bad}}, 50).errors),
                  (std::vector<std::string>{"limit"}))
            << bad;
    for (const char* bad : {"x", "2147483648", "1.5"})
        EXPECT_EQ(names(handlers::parse_dispatch_query({{"offset", bad}}, 50).errors),
                  (std::vector<std::string>{"offset"}))
            << bad;
    EXPECT_EQ(names(handlers::parse_dispatch_query({{"campaign", std::string(201, 'c')}}, 50).errors),
              (std::vector<std::string>{"campaign"}));
    EXPECT_EQ(names(handlers::parse_dispatch_query({{"state", "DEAD"}}, 50).errors),
              (std::vector<std::string>{"state"}));
}

TEST(DispatchQuery, TheApiNamesUnknownAndRepeatedParameters) {
    const query given{{"status", "dead"},   {"state", "missed"}, {"state", "dead"},
                      {"state", "pending"}, {"limit", "5"},      {"status", "x"}};
    const auto api = handlers::parse_dispatch_query(given, 100, handlers::query_names::strict);
    EXPECT_EQ(names(api.errors), (std::vector<std::string>{"status", "state"}));
    EXPECT_TRUE(contains(api.errors[0].reason, "unknown parameter")) << api.errors[0].reason;
    EXPECT_TRUE(contains(api.errors[1].reason, "more than once")) << api.errors[1].reason;
    ASSERT_TRUE(api.first_error.has_value());
    EXPECT_EQ(api.first_error->parameter, "status");
    // The page's links send only its own names: there, the rest is ignored as before.
    const auto page = handlers::parse_dispatch_query(given, 50);
    EXPECT_TRUE(page.errors.empty());
    EXPECT_FALSE(page.first_error.has_value());
    EXPECT_EQ(page.filter.state, "missed");
    EXPECT_EQ(page.filter.limit, 5);
    EXPECT_TRUE(handlers::parse_dispatch_query({{"state", "dead"}, {"offset", "10"}}, 100,
                                               handlers::query_names::strict)
                    .errors.empty());
}

TEST(DispatchQuery, ThePageSaysWhichParameterIsWrongInItsLanguage) {
    const auto q = handlers::parse_dispatch_query({{"limit", "5"}, {"state", "chết"}, {"offset", "-1"}}, 50);
    ASSERT_TRUE(q.first_error.has_value());
    EXPECT_EQ(q.first_error->parameter, "state");
    EXPECT_EQ(q.first_error->value, "chết");
    EXPECT_EQ(
        handlers::dispatch_query_error_text(*q.first_error, "vi"),
        "Không có trạng thái “chết”: hãy cho state là một trong pending, in_flight, delivered, retrying, "
        "dead, missed, cancelled, hoặc chọn một trạng thái trong bộ lọc.");
    EXPECT_EQ(
        handlers::dispatch_query_error_text(*q.first_error, "en"),
        "The state “chết” is unknown: give state as one of pending, in_flight, delivered, retrying, dead, "
        "missed, cancelled, or choose one from the filter.");
    const auto limit = handlers::parse_dispatch_query({{"limit", "5000"}}, 50);
    ASSERT_TRUE(limit.first_error.has_value());
    EXPECT_EQ(handlers::dispatch_query_error_text(*limit.first_error, "vi"),
              "“5000” không phải là một số nguyên từ 1 đến 1000: hãy cho limit trong khoảng đó.");
    const auto offset = handlers::parse_dispatch_query({{"offset", "x"}}, 50);
    ASSERT_TRUE(offset.first_error.has_value());
    EXPECT_EQ(handlers::dispatch_query_error_text(*offset.first_error, "en"),
              "The offset “x” is not a whole number of 0 or more.");
    const auto target = handlers::parse_dispatch_query({{"target", std::string(201, 't')}}, 50);
    ASSERT_TRUE(target.first_error.has_value());
    EXPECT_EQ(handlers::dispatch_query_error_text(*target.first_error, "vi"),
              "Giá trị của target dài hơn 200 byte: hãy chọn một giá trị trong bộ lọc.");
}

TEST(DispatchId, DigitsFromOneOnly) {
    EXPECT_EQ(handlers::parse_dispatch_id("1"), 1);
    EXPECT_EQ(handlers::parse_dispatch_id("9223372036854775807"), 9223372036854775807LL);
    for (const char* bad : {"", "0", "-1", "1e3", "12x", "9223372036854775808", " 1", "１"})
        EXPECT_FALSE(handlers::parse_dispatch_id(bad).has_value()) << bad;
}

TEST(DispatchActions, WhichStateAllowsWhat) {
    for (const char* s : core::dispatch_states) {
        const std::string st = s;
        EXPECT_EQ(handlers::may_retry(st), st == "pending" || st == "retrying") << st;
        EXPECT_EQ(handlers::may_requeue(st), st == "dead" || st == "missed" || st == "cancelled") << st;
    }
}

// ---- JSON ---------------------------------------------------------------------------------------------

TEST(DispatchJson, TimesInUtcAndNullsForWhatIsAbsent) {
    const auto retrying = handlers::dispatch_json(row(7, "retrying"));
    EXPECT_EQ(
        boost::json::serialize(retrying),
        R"({"id":7,"webhook_id":"msg_2Yf3kQ7","state":"retrying","target":"thp-automation",)"
        R"("campaign":"hp-2024","message":"m-police","outlet":"thp-tv","start":"2024-07-30T12:15:00Z",)"
        R"("due":"2024-07-30T12:15:00.000Z","next_attempt":"2024-07-30T12:20:05.250Z","delivered":null,)"
        R"("attempts":2,"last_status":503,)"
        R"("last_error":"503 Service Unavailable from https://automation.thp.vn/hook"})");
    auto d = row(8, "delivered");
    d.delivered = hp(19, 15, 0, 120);
    d.last_status = 204;
    d.last_error.clear();
    const auto delivered = handlers::dispatch_json(d);
    EXPECT_TRUE(delivered.at("next_attempt").is_null());  // a final state has no next attempt
    EXPECT_EQ(delivered.at("delivered").as_string(), "2024-07-30T12:15:00.120Z");
    EXPECT_TRUE(delivered.at("last_error").is_null());
    auto fresh = row(9, "pending");
    fresh.attempts = 0;
    fresh.last_status.reset();
    fresh.last_error.clear();
    const auto pending = handlers::dispatch_json(fresh);
    EXPECT_TRUE(pending.at("last_status").is_null());
    EXPECT_EQ(pending.at("next_attempt").as_string(), "2024-07-30T12:20:05.250Z");
}

TEST(DispatchJson, DetailHasEveryAttemptAndListSaysWhereToGoOn) {
    core::attempt_row a1{1, hp(19, 15), hp(19, 15, 10), std::nullopt, "connection refused", "retry"};
    core::attempt_row a2{2, hp(19, 16), hp(19, 16, 0, 42), 503, "503 Service Unavailable", "retry"};
    const auto detail = handlers::dispatch_detail_json(row(7, "retrying"), {a1, a2});
    const auto& log = detail.at("attempt_log").as_array();
    ASSERT_EQ(log.size(), 2U);
    EXPECT_EQ(boost::json::serialize(log[0]),
              R"({"attempt":1,"started":"2024-07-30T12:15:00.000Z","finished":"2024-07-30T12:15:10.000Z",)"
              R"("status":null,"outcome":"retry","error":"connection refused"})");
    EXPECT_EQ(log[1].at("status").as_int64(), 503);
    EXPECT_EQ(detail.at("attempts").as_int64(), 2);

    core::dispatch_filter f;
    f.state = "retrying";
    f.limit = 2;
    f.offset = 4;
    const auto more = handlers::dispatch_list_json({row(7, "retrying"), row(6, "retrying")}, f, true);
    EXPECT_EQ(more.at("dispatches").as_array().size(), 2U);
    EXPECT_EQ(more.at("next_offset").as_int64(), 6);
    EXPECT_EQ(boost::json::serialize(more.at("filter")),
              R"({"state":"retrying","target":null,"campaign":null})");
    EXPECT_EQ(more.at("limit").as_int64(), 2);
    EXPECT_EQ(more.at("offset").as_int64(), 4);
    EXPECT_TRUE(handlers::dispatch_list_json({}, f, false).at("next_offset").is_null());
}

// ---- Pages ----------------------------------------------------------------------------------------------

handlers::dispatch_log_view log_view() {
    handlers::dispatch_log_view v;
    v.status.by_state = {{"pending", 3}, {"in_flight", 1}, {"delivered", 1204}, {"retrying", 2},
                         {"dead", 1},    {"missed", 0},    {"cancelled", 0}};
    v.status.due_now = 2;
    v.status.oldest_due = hp(19, 15);
    v.status.targets = 2;
    v.status.targets_disabled = 1;
    core::dispatch_target ok;
    ok.name = "thp-automation";
    core::dispatch_target gone;
    gone.name = "sms-gateway";
    gone.enabled = false;
    gone.disabled_reason = "410 Gone from https://sms.example.vn/hook at 2024-07-29T01:00:00Z";
    v.targets = {gone, ok};
    core::campaign_summary cs;
    cs.slug = "hp-2024";
    cs.title = {"Tháng hành động phòng, chống mua bán người", "Anti-trafficking month"};
    cs.time_zone = "Asia/Ho_Chi_Minh";
    v.campaigns = {cs};
    v.filter.limit = handlers::dispatch_page_size;
    v.rows = {row(7, "retrying"), row(5, "delivered")};
    v.rows[1].delivered = hp(19, 15, 0, 80);
    v.rows[1].last_status = 204;
    v.rows[1].last_error.clear();
    v.names = sample_names();
    return v;
}

TEST(DispatchLogPage, SummaryFilterAndTableInVietnamese) {
    const auto req = page_request("vi", "viewer");
    const std::string html =
        web::render_fragment(req, "dispatch", handlers::dispatch_log_data(log_view(), req));
    EXPECT_TRUE(contains(html, "<h1>Nhật ký gửi tin</h1>")) << html;
    // Summary: every state with its words and count; due now; the oldest due in the campaigns' zone
    // (as the table's times); disabled targets with loa's own reason in words and the page's times.
    EXPECT_TRUE(contains(
        html,
        R"(<div id="dispatch-count-delivered"><dt><a href="/dispatch?state=delivered">Đã gửi</a></dt><dd>1.204</dd></div>)"))
        << html;
    EXPECT_TRUE(contains(
        html,
        R"(id="dispatch-count-dead"><dt><a href="/dispatch?state=dead">Thất bại</a></dt><dd>1 <span class="badge">cần xử lý</span>)"));
    EXPECT_FALSE(contains(
        html,
        R"(id="dispatch-count-missed"><dt><a href="/dispatch?state=missed">Bị lỡ</a></dt><dd>0 <span)"));
    EXPECT_TRUE(contains(html, "<dd>1.211</dd>"));  // all dispatches
    EXPECT_TRUE(contains(
        html,
        R"(<dd><time datetime="2024-07-30T19:15:00+07:00">30/07/2024 19:15 UTC+07:00</time></dd></div>)"))
        << html;
    EXPECT_FALSE(contains(html, "UTC</time>"));
    EXPECT_TRUE(
        contains(html,
                 "<li><strong>sms-gateway</strong>: Điểm nhận tại https://sms.example.vn/hook đã trả lời "
                 "410 Gone lúc 29/07/2024 08:00 UTC+07:00: không gửi gì đến đó nữa.</li>"))
        << html;
    EXPECT_FALSE(contains(html, "<li><strong>thp-automation</strong>"));
    EXPECT_FALSE(contains(html, "dispatch-no-targets"));
    // The filter form: every state in words, the targets and campaigns to choose from.
    EXPECT_TRUE(contains(html, R"(<option value="" selected>Mọi trạng thái</option>)"));
    EXPECT_TRUE(contains(html, R"(<option value="missed">Bị lỡ</option>)"));
    EXPECT_TRUE(contains(html, R"(<option value="sms-gateway">sms-gateway</option>)"));
    EXPECT_TRUE(
        contains(html, R"(<option value="hp-2024">Tháng hành động phòng, chống mua bán người</option>)"));
    EXPECT_FALSE(contains(html, "dispatch-filter-clear"));
    // The table: names instead of codes, the slot start in the outlet's zone, the state as words.
    EXPECT_EQ(count(html, "<tr id=\"dispatch-row-"), 2U);
    EXPECT_TRUE(contains(html, R"(<a href="/dispatch/7" aria-label="Lượt gửi 7">7</a>)"));
    EXPECT_TRUE(contains(html, "<td>Cảnh giác lời mời việc nhẹ lương cao<br>"));
    EXPECT_TRUE(contains(html, "<td>Đài Phát thanh và Truyền hình Hải Phòng</td>"));
    EXPECT_TRUE(
        contains(html, R"(<time datetime="2024-07-30T19:15:00+07:00">30/07/2024 19:15 UTC+07:00</time>)"));
    EXPECT_TRUE(
        contains(html, R"(<span class="badge dispatch-state dispatch-state--retrying">Đang thử lại</span>)"));
    EXPECT_TRUE(contains(
        html, R"(<span class="badge dispatch-state dispatch-state--delivered badge--muted">Đã gửi</span>)"));
    EXPECT_TRUE(
        contains(html, "HTTP 503</span> 503 Service Unavailable from https://automation.thp.vn/hook"));
    EXPECT_TRUE(
        contains(html, R"(<time datetime="2024-07-30T19:20:05+07:00">30/07/2024 19:20 UTC+07:00</time>)"));
    EXPECT_TRUE(contains(html, "Lượt gửi 1–2, hạn gửi muộn nhất trước."));
    // One page only: no paging.
    EXPECT_FALSE(contains(html, "dispatch-pager"));
}

TEST(DispatchLogPage, EnglishFiltersPagingAndEmptyStates) {
    auto v = log_view();
    v.filter.state = "retrying";
    v.filter.target = "gone-since-yesterday";  // not configured any more: still offered, selected
    v.filter.limit = 2;
    v.filter.offset = 2;
    v.has_more = true;
    const auto req = page_request("en", "approver");
    const std::string html = web::render_fragment(req, "dispatch", handlers::dispatch_log_data(v, req));
    EXPECT_TRUE(contains(html, "<h1>Dispatch log</h1>"));
    EXPECT_TRUE(contains(html, R"(<option value="retrying" selected>Retrying</option>)"));
    EXPECT_TRUE(
        contains(html, R"(<option value="gone-since-yesterday" selected>gone-since-yesterday</option>)"));
    EXPECT_TRUE(contains(html, R"(<input type="hidden" name="limit" value="2">)"));
    EXPECT_TRUE(contains(html, R"(id="dispatch-filter-clear")"));
    EXPECT_TRUE(contains(html, "Dispatches 3–4, the latest due first."));
    EXPECT_TRUE(contains(html, "<td>Hai Phong Radio and Television</td>"));
    EXPECT_TRUE(contains(html, "30 July 2024, 19:15 UTC+07:00"));
    EXPECT_TRUE(
        contains(html,
                 "<li><strong>sms-gateway</strong>: The receiver at https://sms.example.vn/hook answered "
                 "410 Gone on 29 July 2024, 08:00 UTC+07:00: nothing more is sent to it.</li>"))
        << html;
    // Paging keeps the filter.
    EXPECT_TRUE(contains(
        html, R"(href="/dispatch?state=retrying&amp;target=gone-since-yesterday&amp;limit=2" rel="prev")"))
        << html;
    EXPECT_TRUE(contains(
        html,
        R"(href="/dispatch?state=retrying&amp;target=gone-since-yesterday&amp;limit=2&amp;offset=4" rel="next")"));

    v.rows.clear();
    v.has_more = false;
    v.filter.offset = 0;
    const std::string none = web::render_fragment(req, "dispatch", handlers::dispatch_log_data(v, req));
    EXPECT_TRUE(contains(none, "No dispatch matches these filters."));
    EXPECT_FALSE(contains(none, "dispatch-table"));
    auto empty = handlers::dispatch_log_view{};
    empty.status.by_state = {{"pending", 0}};
    empty.filter.limit = handlers::dispatch_page_size;
    const std::string nothing =
        web::render_fragment(req, "dispatch", handlers::dispatch_log_data(empty, req));
    EXPECT_TRUE(contains(nothing, "There are no dispatches yet."));
    EXPECT_TRUE(contains(nothing, R"(id="dispatch-no-targets")"));
    EXPECT_TRUE(contains(nothing, "<dd>—</dd>"));  // no oldest due
}

TEST(DispatchLogPage, DisabledReasonsOfOperatorsStayAsWrittenAndTimesWithoutACampaignInUtc) {
    auto v = log_view();
    v.campaigns.clear();
    v.targets[0].disabled_reason = "bảo trì đến thứ Hai (anh Tuấn)";
    core::dispatch_target odd;
    odd.name = "odd";
    odd.enabled = false;
    odd.disabled_reason = "410 Gone from https://x.example at yesterday";  // not the store's form
    v.targets.push_back(odd);
    const auto req = page_request("vi", "viewer");
    const std::string html = web::render_fragment(req, "dispatch", handlers::dispatch_log_data(v, req));
    EXPECT_TRUE(contains(html, "<li><strong>sms-gateway</strong>: bảo trì đến thứ Hai (anh Tuấn)</li>"))
        << html;
    EXPECT_TRUE(
        contains(html, "<li><strong>odd</strong>: 410 Gone from https://x.example at yesterday</li>"));
    EXPECT_TRUE(contains(html, R"(<time datetime="2024-07-30T12:15:00Z">30/07/2024 12:15 UTC</time>)"));
}

handlers::dispatch_detail_view detail_view(const std::string& state) {
    handlers::dispatch_detail_view v;
    v.row = row(7, state);
    v.attempts = {{1, hp(19, 15), hp(19, 15, 10), std::nullopt, "connection refused", "retry"},
                  {2, hp(19, 16), hp(19, 16, 0, 42), 503, "503 Service Unavailable", "retry"}};
    v.names = sample_names();
    return v;
}

TEST(DispatchDetailPage, EveryAttemptAndTheApproversButtons) {
    const auto req = page_request("vi", "approver");
    const std::string html = web::render_fragment(
        req, "dispatch_detail", handlers::dispatch_detail_data(detail_view("retrying"), req));
    EXPECT_TRUE(contains(html, "<h1>Lượt gửi 7</h1>"));
    EXPECT_EQ(count(html, "<tr class=\"dispatch-attempt\""), 2U);
    EXPECT_TRUE(contains(html, "connection refused"));
    EXPECT_TRUE(contains(html, "<td>42 ms</td>"));
    EXPECT_TRUE(contains(html, "<td>Sẽ gửi lại</td>"));
    EXPECT_TRUE(contains(html, "(Asia/Ho_Chi_Minh)"));
    // Retrying: "Retry now" as a POST form with the token; no requeue.
    EXPECT_TRUE(
        contains(html, R"(<form method="post" action="/dispatch/7/retry" id="dispatch-retry-form">)"));
    EXPECT_TRUE(contains(html, R"(<input type="hidden" name="csrf_token" value="tok-123">)"));
    EXPECT_TRUE(contains(html, ">Thử lại ngay</button>"));
    EXPECT_FALSE(contains(html, "dispatch-requeue-form"));

    const std::string dead = web::render_fragment(req, "dispatch_detail",
                                                  handlers::dispatch_detail_data(detail_view("dead"), req));
    EXPECT_TRUE(contains(dead, R"(action="/dispatch/7/requeue")"));
    EXPECT_TRUE(contains(dead, ">Đưa lại vào hàng đợi</button>"));
    EXPECT_FALSE(contains(dead, "dispatch-retry-form"));
    EXPECT_FALSE(contains(dead, "dispatch-requeue-late"));  // no clock given: nothing said
    // Once its slot has begun, the page says a requeue now reaches the receiver late.
    auto late = detail_view("missed");
    late.now = late.row.start + std::chrono::hours(2);
    const std::string after = web::render_fragment(req, "dispatch_detail", handlers::dispatch_detail_data(late, req));
    EXPECT_TRUE(contains(after, R"(<p class="notice" id="dispatch-requeue-late">Khung giờ của lượt gửi ()"))
        << after;
    EXPECT_TRUE(contains(after, "nơi nhận sẽ nhận muộn"));
    late.now = late.row.start - std::chrono::minutes(5);
    EXPECT_FALSE(contains(web::render_fragment(req, "dispatch_detail", handlers::dispatch_detail_data(late, req)),
                          "dispatch-requeue-late"));
    // Its target disabled: no button, and the way out said instead.
    auto off = detail_view("dead");
    off.target_disabled = true;
    const std::string disabled =
        web::render_fragment(req, "dispatch_detail", handlers::dispatch_detail_data(off, req));
    EXPECT_FALSE(contains(disabled, "dispatch-requeue-form"));
    EXPECT_TRUE(contains(disabled, R"(<p class="notice" id="dispatch-target-disabled">Nơi nhận thp-automation)"))
        << disabled;
    EXPECT_TRUE(contains(disabled, "loa target enable --name thp-automation"));

    // Delivered and in flight: no action at all.
    for (const char* s : {"delivered", "in_flight"}) {
        const std::string none =
            web::render_fragment(req, "dispatch_detail", handlers::dispatch_detail_data(detail_view(s), req));
        EXPECT_FALSE(contains(none, "dispatch-actions")) << s;
    }
    // Viewers and editors read only.
    for (const char* role : {"viewer", "editor"}) {
        const auto r = page_request("en", role);
        const std::string read = web::render_fragment(r, "dispatch_detail",
                                                      handlers::dispatch_detail_data(detail_view("dead"), r));
        EXPECT_FALSE(contains(read, "<form")) << role;
        EXPECT_TRUE(contains(read, "<h1>Dispatch 7</h1>")) << role;
    }
}

TEST(DispatchDetailPage, FlashAfterAnActionAndHostileTextEscaped) {
    auto v = detail_view("pending");
    v.done = "retried";
    const auto en = page_request("en", "admin");
    auto d = handlers::dispatch_detail_data(v, en);
    ASSERT_NE(d.get("flash"), nullptr);
    EXPECT_EQ(d.get("flash")->string_value(), "The dispatch will be attempted now.");
    v.done = "requeued";
    EXPECT_EQ(handlers::dispatch_detail_data(v, page_request("vi", "admin")).get("flash")->string_value(),
              "Lượt gửi đã được đưa lại vào hàng đợi và đến hạn ngay.");
    v.done = "refused";
    const std::string refused =
        web::render_fragment(en, "dispatch_detail", handlers::dispatch_detail_data(v, en));
    EXPECT_TRUE(contains(refused, R"(id="dispatch-refused")"));
    v.done = "<b>nonsense</b>";
    EXPECT_EQ(handlers::dispatch_detail_data(v, en).get("flash"), nullptr);

    // What a receiver answered and what people typed are text, never markup.
    auto h = detail_view("dead");
    h.row.last_error = "<script>alert(1)</script>";
    h.attempts[1].error = "\"><img src=x onerror=alert(1)>";
    h.row.target = "<i>t</i>";
    const std::string html =
        web::render_fragment(en, "dispatch_detail", handlers::dispatch_detail_data(h, en));
    EXPECT_FALSE(contains(html, "<script>alert(1)"));
    EXPECT_FALSE(contains(html, "<img src=x"));
    EXPECT_FALSE(contains(html, "<i>t</i>"));
    EXPECT_TRUE(contains(html, "&lt;i&gt;t&lt;/i&gt;"));
    auto lv = log_view();
    lv.rows[0].last_error = "<script>alert(1)</script>";
    const std::string table = web::render_fragment(en, "dispatch", handlers::dispatch_log_data(lv, en));
    EXPECT_FALSE(contains(table, "<script>alert(1)"));
    EXPECT_TRUE(contains(table, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(DispatchLogPage, LoasOwnNotesInThePagesLanguageReceiversAnswersAsTheyCame) {
    auto v = log_view();
    v.rows[0].state = "missed";
    v.rows[0].last_status.reset();
    v.rows[0].last_error = core::missed_error(900);  // as mark_missed writes it
    v.rows[1].state = "cancelled";
    v.rows[1].last_error = "message no longer approved: edited to version 3";
    const auto vi = page_request("vi", "viewer");
    const std::string html = web::render_fragment(vi, "dispatch", handlers::dispatch_log_data(v, vi));
    EXPECT_TRUE(contains(
        html, "Không gửi được trong thời gian cho phép (15 phút): phần mềm loa đã ngừng chạy hoặc hàng đợi bị chậm."))
        << html;
    EXPECT_TRUE(contains(html, "Thông điệp không còn được phê duyệt: đã sửa thành phiên bản 3."));
    const auto en = page_request("en", "viewer");
    const std::string english = web::render_fragment(en, "dispatch", handlers::dispatch_log_data(v, en));
    EXPECT_TRUE(contains(
        english, "Not delivered within its grace period (15 min): loa was down or the queue fell behind."));
    // Hours and seconds in the page's words too.
    v.rows[0].last_error = core::missed_error(7200);
    EXPECT_TRUE(contains(web::render_fragment(vi, "dispatch", handlers::dispatch_log_data(v, vi)),
                         "Không gửi được trong thời gian cho phép (2 giờ)"));
    v.rows[0].last_error = core::missed_error(90);
    EXPECT_TRUE(contains(web::render_fragment(vi, "dispatch", handlers::dispatch_log_data(v, vi)),
                         "Không gửi được trong thời gian cho phép (90 giây)"));
    // The retry policy's words after the answer ("HTTP 500" stays as it came).
    const auto said = [&](const std::string& stored, const loa::http::request& r) {
        auto w = log_view();
        w.rows[0].last_error = stored;
        return web::render_fragment(r, "dispatch", handlers::dispatch_log_data(w, r));
    };
    EXPECT_TRUE(contains(said("HTTP 500, retry in 4.7 s", vi), "HTTP 500, sẽ thử lại sau 4,7 s"));
    EXPECT_TRUE(contains(said("HTTP 500, retry in 4.7 s", en), "HTTP 500, retried in 4.7 s"));
    EXPECT_TRUE(contains(said("HTTP 500, retry in 2.5 days", vi), "HTTP 500, sẽ thử lại sau 2,5 ngày"));
    // The retry window over: no retry follows, so the delay it would have waited is left out.
    const std::string window_over = said("HTTP 500, retry in 2 h; retry window of 3 days over", vi);
    EXPECT_TRUE(contains(window_over, "HTTP 500; đã hết thời hạn thử lại 3 ngày.")) << window_over;
    EXPECT_FALSE(contains(window_over, "retry in 2 h")) << window_over;
    EXPECT_TRUE(contains(said("HTTP 500, retry in 2 h; retry window of 3 days over", en),
                         "HTTP 500; the retry window of 3 days is over."));
    EXPECT_TRUE(contains(said("HTTP 410 Gone: the receiver asked for no more webhooks; target disabled", vi),
                         "HTTP 410 Gone: nơi nhận yêu cầu không gửi thêm webhook; nơi nhận đã bị tắt."));
    EXPECT_TRUE(contains(said("HTTP 422: the receiver refuses this webhook; retrying would send the same", vi),
                         "HTTP 422: nơi nhận từ chối webhook này; gửi lại cũng sẽ gửi đúng nội dung đó."));
    // A receiver's answer is not loa's to translate.
    auto d = detail_view("retrying");
    const std::string detail =
        web::render_fragment(vi, "dispatch_detail", handlers::dispatch_detail_data(d, vi));
    EXPECT_TRUE(contains(detail, "<td>503 Service Unavailable</td>"));
    // The API keeps the stored text.
    EXPECT_EQ(handlers::dispatch_json(v.rows[0]).at("last_error").as_string(), v.rows[0].last_error);
    // A body the runner could not build (the outlet's zone unknown here), and a placement the
    // dispatcher marked missed (its note, as the compliance page and the audit show it).
    EXPECT_EQ(handlers::dispatch_note_text("body not built: unknown time zone 'Mars/Olympus' of the outlet", "vi"),
              "Không gửi: cơ sở dữ liệu múi giờ của máy chủ này không có múi giờ Mars/Olympus của cơ quan phát.");
    EXPECT_EQ(handlers::dispatch_note_text("body not built: something else", "en"),
              "Not sent: the webhook body could not be built (something else).");
    EXPECT_EQ(handlers::dispatch_note_text(core::missed_by_dispatcher_note("thp-automation"), "vi"),
              web::tr("vi", "loa's dispatcher: not delivered to {target} within its grace period",
                      {{"target", "thp-automation"}}));
    EXPECT_NE(handlers::dispatch_note_text(core::missed_by_dispatcher_note("thp-automation"), "vi"),
              core::missed_by_dispatcher_note("thp-automation"));
    // An outlet's own note, and a refusal loa did not write, stay as they are.
    for (const char* theirs : {"Mất điện 19:00–19:30", "refused by the operator"})
        EXPECT_EQ(handlers::dispatch_note_text(theirs, "vi"), theirs);
}

TEST(DispatchDetailPage, TheLastResultSaysWhyWhenNoAttemptDoes) {
    // Missed without an attempt (loa was down past the grace period): the reason is on the page.
    auto v = detail_view("missed");
    v.attempts.clear();
    v.row.attempts = 0;
    v.row.last_status.reset();
    v.row.last_error = core::missed_error(900);
    const auto vi = page_request("vi", "viewer");
    const std::string html = web::render_fragment(vi, "dispatch_detail", handlers::dispatch_detail_data(v, vi));
    EXPECT_TRUE(contains(html, "id=\"dispatch-no-attempts\""));
    EXPECT_TRUE(contains(html, "<dd id=\"dispatch-last\"> Không gửi được trong thời gian cho phép (15 phút)")) << html;
    v = detail_view("dead");
    v.row.last_status = 422;
    v.row.last_error = "HTTP 422: the receiver refuses this webhook; retrying would send the same";
    const std::string dead = web::render_fragment(vi, "dispatch_detail", handlers::dispatch_detail_data(v, vi));
    EXPECT_TRUE(contains(dead, "<dd id=\"dispatch-last\"><span class=\"dispatch-status\">HTTP 422</span> HTTP 422: nơi "
                               "nhận từ chối webhook này"))
        << dead;
    v = detail_view("pending");
    v.attempts.clear();
    v.row.last_status.reset();
    v.row.last_error.clear();
    EXPECT_TRUE(contains(web::render_fragment(vi, "dispatch_detail", handlers::dispatch_detail_data(v, vi)),
                         "<dd id=\"dispatch-last\">—</dd>"));
}

TEST(DispatchStateLabel, EveryStateHasWordsInBothLanguages) {
    for (const char* s : core::dispatch_states) {
        const std::string vi = handlers::dispatch_state_label(s, "vi");
        const std::string en = handlers::dispatch_state_label(s, "en");
        EXPECT_NE(vi, en) << s;
        EXPECT_NE(en, s) << s;
        EXPECT_TRUE(web::has_translation("vi", en)) << en;
    }
}

}  // namespace dispatch_pages_test_cpp
}  // namespace
