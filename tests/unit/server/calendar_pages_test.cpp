// The calendar pages without a server: query parameters, the page data (weeks, greyed days,
// markers as text, edit links by department) and hostile titles escaped in grid and agenda.
#include "server/handlers/calendar_pages.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace calendar_pages_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::handlers::calendar_page_data;
using loa::handlers::parse_calendar_page_query;
using loa::scheduler::calendar_view;
namespace web = loa::web;

using params = std::vector<std::pair<std::string, std::string>>;

loa::core::activity make(std::string id, std::string dept, std::string title, date::local_seconds start,
                         std::chrono::seconds duration, std::string location = {}) {
    loa::core::activity a;
    a.id = std::move(id);
    a.department = std::move(dept);
    a.kind = "outreach";
    a.title = {std::move(title), ""};
    a.start = start;
    a.end = start + duration;
    a.location = {std::move(location), ""};
    return a;
}

loa::core::campaign sample() {
    loa::core::campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", ""};
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.departments = {{"giao-duc", {"Sở Giáo dục và Đào tạo", "Education"}, {}},
                     {"cong-an", {"Công an thành phố", "Police"}, {}}};
    c.audiences = {{"phu-huynh", {"Phụ huynh", "Parents"}}};
    const auto day = date::local_days{2024_y / date::July / 10};
    c.activities = {
        make("hoc", "giao-duc", "<script>alert(1)</script>", day + 8h, 2h, "Nhà văn hóa quận Lê Chân"),
        make("noi-chuyen", "cong-an", "\"><img src=x onerror=alert(1)>", day + 9h, 2h,
             "nhà văn hoá quận Lê Chân")};
    c.activities[1].vis = loa::core::visibility::internal;
    return c;
}

loa::http::request page_request(const std::string& lang, const loa::http::principal& user) {
    loa::http::request r;
    r.method = "GET";
    r.path = "/campaigns/hp-2024/calendar";
    r.target = r.path;
    r.lang = lang;
    r.user = user;
    return r;
}

loa::http::principal user(const std::string& role, const std::string& department = "") {
    loa::http::principal p;
    p.user_id = 5;
    p.name = "Trần Văn Nam";
    p.role = role;
    p.department = department;
    p.csrf_token = "tok";
    return p;
}

std::string render(const loa::core::campaign& c, const params& query, const loa::http::principal& who,
                   const std::string& lang = "vi") {
    const auto q = parse_calendar_page_query(c, query, 2024_y / date::July / 10);
    if (!q) return "(invalid)";
    const auto page = loa::scheduler::build_calendar(c, q->request);
    const auto req = page_request(lang, who);
    return web::render_fragment(req, loa::handlers::calendar_template(page.view),
                                calendar_page_data(req, c, page, *q));
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

TEST(CalendarPages, QueryDefaultsAndChecks) {
    const auto c = sample();
    auto q = parse_calendar_page_query(c, {}, 2024_y / date::July / 20);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->request.view, calendar_view::month);
    EXPECT_EQ(q->request.date, 2024_y / date::July / 20);
    EXPECT_TRUE(q->request.with_conflicts);
    // Outside the campaign the calendar opens on its first day.
    q = parse_calendar_page_query(c, {}, 2025_y / date::January / 5);
    EXPECT_EQ(q->request.date, 2024_y / date::July / 1);
    q = parse_calendar_page_query(c,
                                  {{"view", "agenda"},
                                   {"date", "2024-08-02"},
                                   {"department", "cong-an"},
                                   {"kind", ""},
                                   {"audience", "phu-huynh"},
                                   {"utm", "x"}},
                                  2024_y / date::July / 20);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->request.view, calendar_view::agenda);
    EXPECT_EQ(q->request.date, 2024_y / date::August / 2);
    EXPECT_EQ(q->request.department, "cong-an");
    EXPECT_FALSE(q->request.with_conflicts);  // a department calendar
    for (const params& bad :
         {params{{"view", "year"}}, params{{"date", "2024-02-30"}}, params{{"department", "y-te"}},
          params{{"kind", "party"}}, params{{"audience", "ngu-dan"}}}) {
        EXPECT_FALSE(parse_calendar_page_query(c, bad, 2024_y / date::July / 20)) << bad[0].first;
    }
}

TEST(CalendarPages, RefusedParameterIsNamedWithTheExpectedForm) {
    const auto c = sample();
    loa::handlers::calendar_query_error e;
    EXPECT_FALSE(parse_calendar_page_query(c, {{"view", "month"}, {"date", "2024-13-01"}},
                                           2024_y / date::July / 20, &e));
    EXPECT_EQ(e.parameter, "date");
    EXPECT_EQ(e.value, "2024-13-01");
    EXPECT_EQ(loa::handlers::calendar_query_error_text(e, "vi"),
              "“2024-13-01” không phải là một ngày có thật: hãy cho date là một ngày có thật, ví dụ 30/07/2024 hoặc 2024-07-30.");
    EXPECT_EQ(loa::handlers::calendar_query_error_text(e, "en"),
              "The date “2024-13-01” is not a day of the calendar: give one that exists, such as 2024-07-30.");
    for (const params& bad : {params{{"view", "year"}}, params{{"department", "y-te"}}, params{{"kind", "party"}},
                              params{{"audience", "ngu-dan"}}}) {
        e = {};
        EXPECT_FALSE(parse_calendar_page_query(c, bad, 2024_y / date::July / 20, &e));
        EXPECT_EQ(e.parameter, bad[0].first);
        const std::string vi = loa::handlers::calendar_query_error_text(e, "vi");
        EXPECT_NE(vi.find("“" + bad[0].second + "”"), std::string::npos) << vi;
        EXPECT_NE(vi, loa::handlers::calendar_query_error_text(e, "en"));  // translated
    }
}

TEST(CalendarPages, StepLinksSayWhatTheyMoveBy) {
    const auto c = sample();
    const auto admin = user("admin");
    const std::string month = render(c, {{"date", "2024-07-10"}}, admin);
    EXPECT_NE(month.find("← Tháng trước</a>"), std::string::npos);
    EXPECT_NE(month.find(">Tháng sau →</a>"), std::string::npos);
    EXPECT_EQ(month.find("Sắp tới"), std::string::npos);
    const std::string week = render(c, {{"view", "week"}, {"date", "2024-07-10"}}, admin);
    EXPECT_NE(week.find(">Tuần sau →</a>"), std::string::npos);
    const std::string day = render(c, {{"view", "day"}, {"date", "2024-07-10"}}, admin, "en");
    EXPECT_NE(day.find("← Previous day</a>"), std::string::npos);
    EXPECT_NE(day.find(">Next day →</a>"), std::string::npos);
    // The month grid's scroll container is reachable with the keyboard and named.
    EXPECT_NE(month.find("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\""), std::string::npos);
}

TEST(CalendarPages, MonthGridHasWeeksGreyedDaysAndMarkersAsText) {
    const std::string html = render(sample(), {{"date", "2024-07-10"}}, user("admin"));
    EXPECT_EQ(count(html, "<tr>"), 6U);        // the header row and five weeks (1 July – 4 August)
    EXPECT_EQ(count(html, "is-outside"), 4U);  // 1–4 August
    EXPECT_NE(html.find("id=\"day-2024-07-01\""), std::string::npos);
    EXPECT_NE(html.find("Nội bộ"), std::string::npos);         // internal, as text
    EXPECT_NE(html.find("⚠ Trùng lặp 1"), std::string::npos);  // the venue conflict, as text
    // The day's own marker counts its conflicts, in words that do not read as a conflict's number.
    EXPECT_NE(html.find("⚠ Số trùng lặp trong ngày: "), std::string::npos);
    EXPECT_EQ(html.find("⚠ Trùng lặp: "), std::string::npos);
    EXPECT_NE(html.find("href=\"#conflict-1\""), std::string::npos);
    EXPECT_NE(html.find("id=\"conflict-1\""), std::string::npos);
    EXPECT_NE(html.find("cùng địa điểm, cùng thời gian"), std::string::npos);
    EXPECT_NE(html.find("id=\"calendar-period\"><strong>Tháng 7/2024</strong>"), std::string::npos) << html;
    EXPECT_EQ(html.find("Tháng 7 2024"), std::string::npos);
    const std::string en =
        render(sample(), {{"view", "agenda"}, {"date", "2024-07-10"}}, user("admin"), "en");
    EXPECT_NE(en.find(">July 2024<"), std::string::npos) << en;
    EXPECT_NE(html.find("date=2024-06-01"), std::string::npos);  // previous month
    EXPECT_NE(html.find("date=2024-08-01"), std::string::npos);  // next month
}

TEST(CalendarPages, AllDayActivitiesInTheConflictListShowTheirDays) {
    auto c = sample();
    c.activities.clear();
    const auto day = date::local_days{2024_y / date::July / 30};
    auto fair = make("hoi-cho", "giao-duc", "Ngày hội", day, 24h, "Quảng trường Nhà hát lớn");
    fair.all_day = true;
    auto walk = make("di-bo", "cong-an", "Đi bộ", day - date::days{1}, 48h, "Quảng trường Nhà hát lớn");
    walk.all_day = true;
    auto talk = make("noi-chuyen", "cong-an", "Nói chuyện", day + 19h, 2h, "Quảng trường Nhà hát lớn");
    c.activities = {fair, walk, talk};
    const std::string vi = render(c, {{"date", "2024-07-30"}}, user("admin"));
    EXPECT_NE(vi.find("Ngày hội <span class=\"muted\">— Sở Giáo dục và Đào tạo, 30/07/2024</span>"),
              std::string::npos)
        << vi;
    EXPECT_NE(vi.find("Đi bộ <span class=\"muted\">— Công an thành phố, 29/07/2024 – 30/07/2024</span>"),
              std::string::npos);
    EXPECT_EQ(vi.find("31/07/2024 00:00"), std::string::npos);
    // An activity with times keeps them.
    EXPECT_NE(vi.find("30/07/2024 19:00 – 30/07/2024 21:00"), std::string::npos);
    const std::string en = render(c, {{"date", "2024-07-30"}}, user("admin"), "en");
    EXPECT_NE(en.find("— Education, 30 July 2024</span>"), std::string::npos) << en;
}

TEST(CalendarPages, HostileTitlesAreTextInGridAndAgenda) {
    for (const char* view : {"month", "agenda", "week", "day"}) {
        const std::string html = render(sample(), {{"view", view}, {"date", "2024-07-10"}}, user("viewer"));
        EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << view;
        EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos) << view;
        EXPECT_EQ(html.find("<script>alert"), std::string::npos) << view;
        EXPECT_EQ(html.find("<img src=x"), std::string::npos) << view;
    }
}

TEST(CalendarPages, EditLinksOnlyForWhatTheUserMayEdit) {
    const auto c = sample();
    const std::string edu = render(c, {{"view", "day"}, {"date", "2024-07-10"}}, user("editor", "giao-duc"));
    EXPECT_NE(edu.find("/campaigns/hp-2024/activities/hoc/edit"), std::string::npos);
    EXPECT_EQ(edu.find("/campaigns/hp-2024/activities/noi-chuyen/edit"), std::string::npos);
    EXPECT_NE(edu.find("/campaigns/hp-2024/activities/new?date=2024-07-10"), std::string::npos);
    const std::string viewer = render(c, {{"view", "day"}, {"date", "2024-07-10"}}, user("viewer"));
    EXPECT_EQ(viewer.find("/edit"), std::string::npos);
    EXPECT_EQ(viewer.find("activities/new"), std::string::npos);
}

TEST(CalendarPages, DepartmentCalendarShowsNoConflictsAndTheFlashNamesTheActivity) {
    const std::string html =
        render(sample(), {{"department", "giao-duc"}, {"saved", "hoc"}, {"date", "2024-07-10"}},
               user("admin"), "en");
    EXPECT_EQ(html.find("conflict-1"), std::string::npos);
    EXPECT_EQ(html.find("noi-chuyen"), std::string::npos);
    EXPECT_NE(html.find("Calendar of Education"), std::string::npos);
    // The filters stay in the navigation links.
    EXPECT_NE(html.find("view=week&amp;date=2024-07-10&amp;department=giao-duc"), std::string::npos);
}

TEST(CalendarPages, CancelledActivitiesAreMarked) {
    const auto c = sample();
    auto q =
        parse_calendar_page_query(c, {{"view", "day"}, {"date", "2024-07-10"}}, 2024_y / date::July / 10);
    q->request.cancelled = {"hoc"};
    const auto page = loa::scheduler::build_calendar(c, q->request);
    const auto req = page_request("en", user("admin"));
    const std::string html = web::render_fragment(req, "calendar_list", calendar_page_data(req, c, page, *q));
    EXPECT_NE(html.find("is-cancelled"), std::string::npos);
    EXPECT_NE(html.find("Cancelled"), std::string::npos);
    EXPECT_NE(html.find("No conflicts in this period."), std::string::npos);
}

TEST(CalendarPages, EveryTextOfTheCalendarTemplatesHasAVietnameseTranslation) {
    web::ensure_loaded();
    for (const char* name : {"calendar_month", "calendar_list", "_calendar_toolbar", "_calendar_entry",
                             "_calendar_conflicts", "activity_form"}) {
        std::ifstream in(std::string(LOA_SOURCE_DIR) + "/templates/web/" + name + ".mustache");
        ASSERT_TRUE(in) << name;
        std::stringstream source;
        source << in.rdbuf();
        const auto ids = web::template_msgids(source.str());
        EXPECT_FALSE(ids.empty()) << name;
        for (const auto& id : ids) EXPECT_TRUE(web::has_translation("vi", id)) << name << ": " << id;
    }
    // And the texts the handlers and the recurrence builder produce.
    for (const char* id :
         {"City master calendar", "Calendar of {department}", "Choose at least one day of the week.",
          "The repetition never falls on a real day from the activity's start (like 30 February, or a 6th "
          "Monday).",
          "A repetition needs a start date between the years 1 and 2582.",
          "The rule does not follow RFC 5545, for example FREQ=MONTHLY;BYDAY=1TH;COUNT=6 (technical detail, "
          "in "
          "English: {reason}).",
          "These repetition settings cannot be used: choose others.", "Enter the title in Vietnamese.",
          "Loudspeaker bulletin", "Another rule (advanced)", "All audiences"}) {
        EXPECT_TRUE(web::has_translation("vi", id)) << id;
    }
}

}  // namespace calendar_pages_test_cpp
}  // namespace
