// The planner page's pure part without a server: the API body and the form (every bad field named),
// the report read back from plan_json's shape, placed vs wanted per department and outlet, the
// reasons built in Vietnamese from their codes (never the planner's English), the busiest day, the
// breaks of a day, and the rendered page (prime time as a badge, the form only for approvers).
#include "server/handlers/plan_pages.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace plan_pages_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
namespace handlers = loa::handlers;
namespace web = loa::web;

std::vector<std::string> names(const std::vector<loa::http::invalid_param>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.name);
    return out;
}

loa::core::campaign sample() {
    loa::core::campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", "Anti-trafficking month"};
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.departments = {{"education", {"Sở Giáo dục và Đào tạo", "Department of Education"}, {}},
                     {"police", {"Công an thành phố", "City police"}, {}}};
    loa::core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.dayparts = {{"day", {"Ban ngày", "Daytime"}, 0x7f, 6h, 18h, 1.0},
                   {"prime", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 3.0}};
    loa::core::outlet speaker;
    speaker.slug = "loa-le-chan";
    speaker.name = {"Loa truyền thanh phường Lê Chân", "Le Chan ward loudspeakers"};
    speaker.kind = "loudspeaker";
    speaker.time_zone = "Asia/Ho_Chi_Minh";
    speaker.dayparts = {{"morning", {"Buổi sáng", "Morning"}, 0x7f, 6h, 7h, 2.0}};
    c.outlets = {tv, speaker};
    loa::core::message police;
    police.id = "m-police";
    police.department = "police";
    police.title = {"Cảnh giác lời mời việc nhẹ lương cao", "Beware of easy jobs with high pay"};
    police.state = "approved";
    police.priority = 4;
    police.flight_start = 2024_y / date::July / 28;
    police.flight_end = 2024_y / date::July / 30;
    loa::core::message edu;
    edu.id = "m-edu";
    edu.department = "education";
    edu.title = {"<script>alert(1)</script>", ""};
    edu.state = "approved";
    edu.priority = 8;
    edu.flight_start = 2024_y / date::July / 28;
    edu.flight_end = 2024_y / date::July / 30;
    c.messages = {police, edu};
    return c;
}

// A report in plan_json's documented shape (what the service writes; "m-gone" is a message the
// campaign no longer has).
const char* report_json = R"({
  "campaign": "hp-2024", "as_of": "2024-07-01T00:00:00+07:00", "from": "2024-07-28", "to": "2024-07-30",
  "objective": 20, "bound": 20.5, "gap": 0.024390243902439025,
  "placements": [
    {"id": 7, "message": "m-police", "outlet": "thp-tv", "start": "2024-07-30T19:15:00+07:00", "duration_s": 30,
     "daypart": "prime", "weight": 3, "value": 9, "prime": true, "frozen": false},
    {"message": "m-edu", "outlet": "thp-tv", "start": "2024-07-30T19:15:00+07:00", "duration_s": 15,
     "daypart": "prime", "weight": 3, "value": 6, "prime": true, "frozen": false},
    {"message": "m-police", "outlet": "thp-tv", "start": "2024-07-30T10:15:00+07:00", "duration_s": 30,
     "daypart": "day", "weight": 1, "value": 3, "prime": false, "frozen": true},
    {"message": "m-edu", "outlet": "loa-le-chan", "start": "2024-07-29T06:00:00+07:00", "duration_s": 60,
     "daypart": "morning", "weight": 2, "value": 2, "prime": true, "frozen": false}
  ],
  "unplaced": [
    {"message": "m-police", "outlet": "thp-tv", "airings": 2, "code": "capacity", "date": "2024-07-30",
     "daypart": "prime", "detail": "higher_priority", "blockers": ["m-edu"],
     "reason": "ENGLISH: capacity on Hai Phong TV taken by higher-priority messages"},
    {"message": "m-edu", "outlet": null, "airings": 1, "code": "no_eligible_outlet", "blockers": [],
     "reason": "ENGLISH: no eligible outlet"},
    {"message": "m-gone", "outlet": "loa-le-chan", "airings": 1, "code": "not_approved", "blockers": [],
     "reason": "ENGLISH: not approved"}
  ],
  "asking_none": ["m-idle", "", 7],
  "summary": {"placed": 4, "wanted": 9, "prime": 3, "prime_share": 0.8,
              "departments": [{"department": "education", "placed": 2, "wanted": 3},
                              {"department": "police", "placed": 2, "wanted": 5},
                              {"department": "culture", "placed": 0, "wanted": 1}],
              "outlets": [{"outlet": "thp-tv", "placed": 3, "wanted": 5, "prime": 2},
                          {"outlet": "loa-le-chan", "placed": 1, "wanted": 2, "prime": 1}],
              "wanted_any_outlet": 2},
  "notes": ["A note only in English.",
            "The dates planned ended before today, so this is a rehearsal as of 2024-06-28T17:00:00Z: the first date 2024-07-28 minus the longest lead time of the outlets (48 h).",
            "The objective, bound and gap are those of the dates planned (2024-07-25 to 2024-07-31); 1260 placement(s) kept outside them are listed and counted with the daypart, weight and value stored with them."],
  "run_id": 12
})";

// The same report without the planner's summary: the page counts for itself.
loa::handlers::plan_report without_summary() {
    auto r = *loa::handlers::parse_plan_report(report_json);
    r.has_summary = false;
    r.departments.clear();
    r.outlets.clear();
    r.total = {};
    return r;
}

loa::http::principal user(const std::string& role) {
    loa::http::principal p;
    p.user_id = 3;
    p.name = "Phạm Văn Duyệt";
    p.role = role;
    p.csrf_token = "tok-123";
    return p;
}

loa::http::request page_request(const std::string& lang, const std::string& role) {
    loa::http::request r;
    r.method = "GET";
    r.path = "/campaigns/hp-2024/plan";
    r.target = r.path;
    r.lang = lang;
    r.user = user(role);
    return r;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

TEST(PlanApiBody, EmptyMeansDefaultsAndEveryFieldIsRead) {
    for (const char* body : {"", "  \r\n", "{}"}) {
        const auto p = handlers::parse_plan_api_body(body);
        EXPECT_TRUE(p.errors.empty()) << body;
        EXPECT_FALSE(p.options.run.from);
        EXPECT_FALSE(p.options.run.dry_run);
        EXPECT_FALSE(p.options.as_of);
    }
    const auto p = handlers::parse_plan_api_body(
        R"({"from": "2024-07-20", "to": "2024-07-31", "as_of": "2024-07-10T08:00:00+07:00", "dry_run": true})");
    ASSERT_TRUE(p.errors.empty()) << p.errors.front().name;
    EXPECT_EQ(p.options.run.from, 2024_y / date::July / 20);
    EXPECT_EQ(p.options.run.to, 2024_y / date::July / 31);
    EXPECT_TRUE(p.options.run.dry_run);
    EXPECT_EQ(p.options.as_of, "2024-07-10T08:00:00+07:00");
    const auto nulls =
        handlers::parse_plan_api_body(R"({"from": null, "to": null, "as_of": null, "dry_run": null})");
    EXPECT_TRUE(nulls.errors.empty());
}

TEST(PlanApiBody, EveryBadFieldIsNamed) {
    EXPECT_EQ(names(handlers::parse_plan_api_body("{\"from\": ").errors), std::vector<std::string>{"body"});
    const auto comma = handlers::parse_plan_api_body("{\"from\": \"2024-07-01\",\n \"dry_run\": true,\n}");
    ASSERT_EQ(comma.errors.size(), 1u);
    EXPECT_EQ(comma.errors[0].reason, "not valid JSON (line 3, column 1: syntax error)");
    EXPECT_EQ(names(handlers::parse_plan_api_body("[1, 2]").errors), std::vector<std::string>{"body"});
    EXPECT_EQ(names(handlers::parse_plan_api_body("\"2024-07-01\"").errors),
              std::vector<std::string>{"body"});
    // A key given twice: only the last value would be read (a dry run taken for a stored one).
    const auto twice = handlers::parse_plan_api_body("{\"dry_run\": false,\n \"dry_run\": true}");
    ASSERT_EQ(names(twice.errors), std::vector<std::string>{"dry_run"});
    EXPECT_EQ(twice.errors[0].reason, "is given twice (line 2, column 2): give it once");
    const auto many = handlers::parse_plan_api_body(
        R"({"from": "2024-02-30", "to": 20240731, "as_of": "hôm qua", "dry_run": "yes", "dryrun": true})");
    EXPECT_EQ(names(many.errors), (std::vector<std::string>{"from", "to", "as_of", "dry_run", "dryrun"}));
    for (const auto& e : many.errors) EXPECT_FALSE(e.reason.empty()) << e.name;
    // What is wrong, as loa plan says it: a date that cannot exist, a number where a string goes.
    EXPECT_EQ(many.errors[0].reason, "2024-02-30 is not a date (February 2024 has 29 days)");
    EXPECT_NE(many.errors[1].reason.find("must be a string"), std::string::npos) << many.errors[1].reason;
    const auto month = handlers::parse_plan_api_body(R"({"from": "2024-13-01"})");
    ASSERT_EQ(names(month.errors), std::vector<std::string>{"from"});
    EXPECT_NE(month.errors[0].reason.find("01 to 12"), std::string::npos) << month.errors[0].reason;
    // The range: to before from, and too long.
    const auto reversed = handlers::parse_plan_api_body(R"({"from": "2024-07-31", "to": "2024-07-01"})");
    EXPECT_EQ(names(reversed.errors), std::vector<std::string>{"to"});
    EXPECT_NE(reversed.errors.front().reason.find("2024-07-31"), std::string::npos);
    const auto long_range = handlers::parse_plan_api_body(R"({"from": "2024-01-01", "to": "2025-02-04"})");
    EXPECT_EQ(names(long_range.errors), std::vector<std::string>{"to"});
    // 400 days exactly is allowed.
    EXPECT_TRUE(
        handlers::parse_plan_api_body(R"({"from": "2024-01-01", "to": "2025-02-03"})").errors.empty());
}

TEST(PlanApiBody, AsOfWithoutOffsetIsTheCampaignsWallClock) {
    const auto* zone = loa::core::find_zone("Asia/Ho_Chi_Minh");
    const auto local = handlers::parse_as_of("2024-07-10T08:00", zone);
    const auto utc = handlers::parse_as_of("2024-07-10T01:00:00Z", zone);
    ASSERT_TRUE(local && utc);
    EXPECT_EQ(*local, *utc);
    EXPECT_FALSE(handlers::parse_as_of("10/07/2024", zone));
    EXPECT_EQ(handlers::parse_as_of("2024-07-10T01:00:00.250Z", zone), utc);  // milliseconds dropped
}

TEST(PlanForm, DatesAreCheckedAndKeptAsTyped) {
    web::form f(std::string("from=2024-07-28&to=2024-07-30&dry_run=1&outlet=thp-tv&date=2024-07-30"));
    const auto form = handlers::plan_form_from(f);
    EXPECT_TRUE(form.dry_run);
    EXPECT_EQ(form.outlet, "thp-tv");
    const auto ok = handlers::check_plan_form(form);
    EXPECT_TRUE(ok.errors.empty());
    EXPECT_EQ(ok.options.from, 2024_y / date::July / 28);
    EXPECT_TRUE(ok.options.dry_run);

    handlers::plan_form bad;
    bad.from = "2024-02-30";
    bad.to = "31/06/2024";
    const auto both = handlers::check_plan_form(bad);
    EXPECT_EQ(both.errors.size(), 2U);
    EXPECT_TRUE(both.errors.contains("from"));
    EXPECT_TRUE(both.errors.contains("to"));
    bad.from = "2024-07-30";
    bad.to = "2024-07-01";
    EXPECT_EQ(handlers::check_plan_form(bad).errors.at("to"),
              "The last day must not be before the first day.");
    // Empty dates: the planner's default range.
    const auto defaults = handlers::check_plan_form(handlers::plan_form{});
    EXPECT_TRUE(defaults.errors.empty());
    EXPECT_FALSE(defaults.options.from);
    EXPECT_FALSE(defaults.options.to);
    // The box's value: only one that says yes is a dry run.
    for (const char* no : {"dry_run=0", "dry_run=false", "dry_run=off", "dry_run=no", "dry_run=", "x=1"}) {
        EXPECT_FALSE(handlers::plan_form_from(web::form(std::string(no))).dry_run) << no;
    }
    for (const char* yes : {"dry_run=1", "dry_run=on", "dry_run=true"}) {
        EXPECT_TRUE(handlers::plan_form_from(web::form(std::string(yes))).dry_run) << yes;
    }
}

TEST(PlanReport, ReadsPlanJsonsShape) {
    const auto r = handlers::parse_plan_report(report_json);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->from, "2024-07-28");
    EXPECT_EQ(r->to, "2024-07-30");
    EXPECT_DOUBLE_EQ(r->objective, 20);
    EXPECT_DOUBLE_EQ(r->bound, 20.5);
    ASSERT_EQ(r->placements.size(), 4U);
    EXPECT_EQ(r->placements[0].date, "2024-07-30");
    EXPECT_EQ(r->placements[0].time, "19:15");
    EXPECT_TRUE(r->placements[0].prime);
    EXPECT_TRUE(r->placements[2].frozen);
    ASSERT_EQ(r->unplaced.size(), 3U);
    EXPECT_EQ(r->unplaced[0].blockers, std::vector<std::string>{"m-edu"});
    EXPECT_EQ(r->unplaced[1].outlet, "");
    EXPECT_EQ(r->asking_none, std::vector<std::string>{"m-idle"});
    EXPECT_EQ(r->run_id, 12);
    EXPECT_FALSE(r->changes.has_value());
    // A dry run's report says what storing it would change.
    const auto dry = handlers::parse_plan_report(
        R"({"from": "2024-07-28", "to": "2024-07-30", "changes": {"kept": 7, "added": 3, "moved": 2, "cancelled": 1}})");
    ASSERT_TRUE(dry);
    EXPECT_EQ(dry->changes, (std::optional<loa::core::plan_changes>(loa::core::plan_changes{7, 3, 2, 1})));
    // A run stored before the field existed has none.
    const auto older = handlers::parse_plan_report(R"({"from": "2024-07-28", "to": "2024-07-30", "placements": [], "unplaced": []})");
    ASSERT_TRUE(older);
    EXPECT_TRUE(older->asking_none.empty());
    EXPECT_FALSE(handlers::parse_plan_report("not json"));
    EXPECT_FALSE(handlers::parse_plan_report("[]"));
    // The limits reached and the outlet's notice, as the planner's JSON gives them.
    const auto limited = handlers::parse_plan_report(R"({"from": "2024-07-28", "to": "2024-07-30", "unplaced": [
        {"message": "m", "outlet": "o", "airings": 2, "code": "rule_limit", "limits": {"per_day": 3, "per_outlet_day": 1}},
        {"message": "m", "outlet": "o", "airings": 1, "code": "lead_time", "notice_hours": 48}]})");
    ASSERT_TRUE(limited);
    ASSERT_EQ(limited->unplaced.size(), 2U);
    EXPECT_EQ(limited->unplaced[0].limit_per_day, 3);
    EXPECT_EQ(limited->unplaced[0].limit_per_week, 0);
    EXPECT_EQ(limited->unplaced[0].limit_per_outlet_day, 1);
    EXPECT_EQ(limited->unplaced[1].notice_hours, 48);
    // What became of a placement: its state, a withdrawal, the miss a make-good stands for.
    const auto states = handlers::parse_plan_report(R"({"from": "2024-07-28", "to": "2024-07-30", "placements": [
        {"message": "m", "outlet": "o", "start": "2024-07-29T19:15:00+07:00", "state": "missed", "frozen": true},
        {"message": "m", "outlet": "o", "start": "2024-07-29T20:15:00+07:00", "state": "published", "withdrawn": true},
        {"message": "m", "outlet": "o", "start": "2024-07-30T19:15:00+07:00", "state": "planned", "make_good_of": 4102}]})");
    ASSERT_TRUE(states);
    ASSERT_EQ(states->placements.size(), 3U);
    EXPECT_EQ(states->placements[0].state, "missed");
    EXPECT_TRUE(states->placements[1].withdrawn);
    EXPECT_FALSE(states->placements[0].withdrawn);
    EXPECT_EQ(states->placements[2].make_good_of, 4102);
    EXPECT_EQ(states->placements[1].make_good_of, 0);
    // Messages placed more than they want now; entries that are not a surplus are left out.
    const auto over = handlers::parse_plan_report(R"({"from": "2024-07-28", "to": "2024-07-30", "over_wanted": [
        {"message": "m-police", "placed": 8, "wanted": 2}, {"message": "m-edu", "placed": 2, "wanted": 2}, 7]})");
    ASSERT_TRUE(over);
    ASSERT_EQ(over->over_wanted.size(), 1U);
    EXPECT_EQ(over->over_wanted[0].message, "m-police");
    EXPECT_EQ(over->over_wanted[0].placed, 8);
    EXPECT_EQ(over->over_wanted[0].wanted, 2);
}

TEST(PlanSummary, CountedFromPlacementsAndUnplacedWithoutTheReportsSummary) {
    const auto c = sample();
    const auto s = handlers::summarize(without_summary(), c);
    ASSERT_EQ(s.departments.size(), 3U);  // the campaign's order, then the message it no longer has
    EXPECT_EQ(s.departments[0].key, "education");
    EXPECT_EQ(s.departments[0].placed, 2);
    EXPECT_EQ(s.departments[0].wanted, 3);
    EXPECT_EQ(s.departments[0].prime, 2);
    EXPECT_EQ(s.departments[1].key, "police");
    EXPECT_EQ(s.departments[1].placed, 2);
    EXPECT_EQ(s.departments[1].wanted, 4);
    EXPECT_EQ(s.departments[1].prime, 1);
    EXPECT_EQ(s.departments[2].key, "");
    EXPECT_EQ(s.departments[2].wanted, 1);
    ASSERT_EQ(s.outlets.size(), 3U);
    EXPECT_EQ(s.outlets[0].key, "thp-tv");
    EXPECT_EQ(s.outlets[0].placed, 3);
    EXPECT_EQ(s.outlets[0].wanted, 5);
    EXPECT_EQ(s.outlets[1].key, "loa-le-chan");
    EXPECT_EQ(s.outlets[1].wanted, 2);
    EXPECT_EQ(s.outlets[2].key, "");  // the entry without an outlet, last
    EXPECT_EQ(s.total.placed, 4);
    EXPECT_EQ(s.total.wanted, 8);
    EXPECT_EQ(s.total.prime, 3);
    // Priority × day weight (value ÷ daypart weight): 3 + 2 + 1 in prime of 3 + 2 + 3 + 1.
    EXPECT_DOUBLE_EQ(s.prime_share, 6.0 / 9.0);
}

TEST(PlanSummary, ThePlannersOwnCountsWinWhenTheReportHasThem) {
    const auto c = sample();
    const auto r = *handlers::parse_plan_report(report_json);
    ASSERT_TRUE(r.has_summary);
    const auto s = handlers::summarize(r, c);
    ASSERT_EQ(s.departments.size(), 3U);
    EXPECT_EQ(s.departments[1].key, "police");
    EXPECT_EQ(s.departments[1].wanted, 5);
    EXPECT_EQ(s.departments[1].prime, 1);        // counted from the placements
    EXPECT_EQ(s.departments[2].key, "culture");  // an archived message's department, after the campaign's
    ASSERT_EQ(s.outlets.size(), 2U);
    EXPECT_EQ(s.outlets[0].prime, 2);
    EXPECT_EQ(s.total.wanted, 9);
    EXPECT_EQ(s.wanted_any_outlet, 2);
    EXPECT_DOUBLE_EQ(s.prime_share, 0.8);
}

// A missed airing or a withdrawn one is not placed: its department's prime airings leave it out,
// as the planner's own counts do (prime never above placed).
TEST(PlanSummary, MissedAndWithdrawnAiringsAreNotPrimeAiringsOfTheirDepartment) {
    const auto c = sample();
    const auto r = *handlers::parse_plan_report(report_json);
    const auto before = handlers::summarize(r, c);
    auto changed = r;
    int withdrawn = 0;
    for (auto& p : changed.placements) {
        if (p.prime && withdrawn == 0) {
            p.withdrawn = true;
            ++withdrawn;
        } else if (p.prime && withdrawn == 1) {
            p.state = "missed";
            ++withdrawn;
        }
    }
    ASSERT_EQ(withdrawn, 2);
    const auto after = handlers::summarize(changed, c);
    long long prime_before = 0;
    long long prime_after = 0;
    for (const auto& d : before.departments) prime_before += d.prime;
    for (const auto& d : after.departments) prime_after += d.prime;
    EXPECT_EQ(prime_after, prime_before - 2);
}

TEST(PlanSummary, EveryOutletOfTheCampaignHasItsRowADepartmentOnlyWithAirings) {
    auto c = sample();
    loa::core::outlet print;
    print.slug = "bao-hai-phong-print";
    print.name = {"Báo Hải Phòng (bản in)", "Hai Phong newspaper (print)"};
    print.kind = "print";
    print.time_zone = "Asia/Ho_Chi_Minh";
    c.outlets.insert(c.outlets.begin() + 1, print);  // nothing planned nor wanted there
    c.departments.push_back({"culture-sports", {"Sở Văn hóa và Thể thao", "Department of Culture and Sports"}, {}});
    for (const auto& r : {*handlers::parse_plan_report(report_json), without_summary()}) {
        const auto s = handlers::summarize(r, c);
        ASSERT_GE(s.outlets.size(), 3U);
        EXPECT_EQ(s.outlets[0].key, "thp-tv");
        EXPECT_EQ(s.outlets[1].key, "bao-hai-phong-print");  // in the campaign's order, 0 of 0
        EXPECT_EQ(s.outlets[1].placed, 0);
        EXPECT_EQ(s.outlets[1].wanted, 0);
        EXPECT_EQ(s.outlets[2].key, "loa-le-chan");
        for (const auto& d : s.departments) EXPECT_NE(d.key, "culture-sports");
    }
}

TEST(UnplacedReasons, SentencesAreBuiltFromTheCodeInEachLanguage) {
    const auto c = sample();
    const auto r = *handlers::parse_plan_report(report_json);
    const std::string vi = handlers::unplaced_sentence(r.unplaced[0], c, "vi");
    EXPECT_EQ(
        vi,
        "Các điểm phát trên Đài Phát thanh và Truyền hình Hải Phòng ngày 30/07/2024, khung giờ “Giờ vàng” đã "
        "dành cho thông điệp có mức ưu tiên cao hơn: “<script>alert(1)</script>”.");
    const std::string en = handlers::unplaced_sentence(r.unplaced[0], c, "en");
    EXPECT_EQ(
        en,
        "The breaks on Hai Phong Radio and Television on 30 July 2024 in the daypart “Prime time” are taken "
        "by higher-priority messages: “<script>alert(1)</script>”.");
    // Blockers of no higher priority (the planner says which): full, not "higher-priority".
    handlers::report_unplaced same_priority = r.unplaced[0];
    same_priority.detail.clear();
    EXPECT_EQ(handlers::unplaced_sentence(same_priority, c, "en"),
              "The breaks on Hai Phong Radio and Television on 30 July 2024 in the daypart “Prime time” are full "
              "with other messages: “<script>alert(1)</script>”.");
    EXPECT_EQ(handlers::unplaced_sentence(same_priority, c, "vi"),
              "Các điểm phát trên Đài Phát thanh và Truyền hình Hải Phòng ngày 30/07/2024, khung giờ “Giờ vàng” đã "
              "kín với các thông điệp khác: “<script>alert(1)</script>”.");
    // The cell named is one example: how many others it could use are full too is said as well.
    handlers::report_unplaced more = same_priority;
    more.others_full = 16;
    EXPECT_EQ(handlers::unplaced_sentence(more, c, "vi"),
              "Các điểm phát trên Đài Phát thanh và Truyền hình Hải Phòng ngày 30/07/2024, khung giờ “Giờ vàng” đã "
              "kín với các thông điệp khác: “<script>alert(1)</script>” (và 16 khung giờ khác mà thông điệp có thể "
              "dùng trên các cơ quan phát của nó cũng đã kín).");
    // Its own limits the greater part, some breaks full or separated too: said after the limits.
    handlers::report_unplaced own_limit;
    own_limit.message = "m-police";
    own_limit.outlet = "thp-tv";
    own_limit.airings = 20;
    own_limit.code = "rule_limit";
    own_limit.limit_per_outlet_day = 2;
    own_limit.closed_by_others = 3;
    EXPECT_EQ(handlers::unplaced_sentence(own_limit, c, "en"),
              "Its own limits are reached wherever it could still air on Hai Phong Radio and Television: 2 a day on "
              "one outlet (3 other breaks it could use are full or closed by a separation rule).");
    EXPECT_NE(handlers::unplaced_sentence(own_limit, c, "vi").find("(3 điểm phát khác mà thông điệp có thể dùng đã kín"),
              std::string::npos);
    more.others_full = 1;
    EXPECT_NE(handlers::unplaced_sentence(more, c, "en").find("” (and 1 other daypart it could use on its outlets is full too)."),
              std::string::npos);
    // A flight cut by the dates planned is said after the cause.
    auto longer = c;
    longer.messages[0].flight_end = 2024_y / date::August / 15;
    EXPECT_EQ(handlers::unplaced_sentence(r.unplaced[0], longer, "en", r.from, r.to),
              "The breaks on Hai Phong Radio and Television on 30 July 2024 in the daypart “Prime time” are taken "
              "by higher-priority messages: “<script>alert(1)</script>”. Its flight, 28 July 2024 to 15 August "
              "2024, reaches beyond the dates planned (28 July 2024 to 30 July 2024).");
    EXPECT_EQ(handlers::unplaced_sentence(r.unplaced[0], c, "en", r.from, r.to), en);  // within them
    // A report that carries the flight it was planned with says that one, whatever the message's
    // flight is now (edited since the run): here the run's flight was the longer one.
    handlers::report_unplaced carried = r.unplaced[0];
    carried.flight_first = "2024-07-28";
    carried.flight_last = "2024-08-15";
    EXPECT_EQ(handlers::unplaced_sentence(carried, c, "en", r.from, r.to),
              handlers::unplaced_sentence(r.unplaced[0], longer, "en", r.from, r.to));
    carried.flight_last = "2024-07-30";
    EXPECT_EQ(handlers::unplaced_sentence(carried, longer, "en", r.from, r.to), en);
    // Separation: the messages of the same department, or the message's own minimum gap.
    handlers::report_unplaced sep = r.unplaced[0];
    sep.code = "separation";
    EXPECT_EQ(handlers::unplaced_sentence(sep, c, "vi"),
              "Các điểm phát còn chỗ trên Đài Phát thanh và Truyền hình Hải Phòng ngày 30/07/2024, khung giờ “Giờ "
              "vàng” đã có “<script>alert(1)</script>” của cùng đơn vị, mà mỗi điểm phát chỉ phát một thông điệp "
              "của một đơn vị.");
    sep.blockers.clear();
    auto gapped = c;
    gapped.messages[0].min_gap_minutes = 90;
    EXPECT_EQ(handlers::unplaced_sentence(sep, gapped, "en"),
              "The breaks with room on Hai Phong Radio and Television on 30 July 2024 in the daypart “Prime time” "
              "are within its minimum gap (90 min) of its other airings.");
    // The gap the run was planned with, when the report carries it (60 min then, 90 min now).
    sep.min_gap_minutes = 60;
    EXPECT_EQ(handlers::unplaced_sentence(sep, gapped, "vi"),
              "Các điểm phát còn chỗ trên Đài Phát thanh và Truyền hình Hải Phòng ngày 30/07/2024, khung giờ “Giờ "
              "vàng” nằm trong khoảng cách tối thiểu (60 phút) so với các lượt phát khác của thông điệp.");
    EXPECT_EQ(handlers::unplaced_sentence(r.unplaced[1], c, "vi"),
              "Không có cơ quan phát nào thuộc các kênh của thông điệp.");
    EXPECT_EQ(handlers::unplaced_sentence(r.unplaced[2], c, "vi"),
              "Thông điệp chưa được phê duyệt nên chưa được xếp lịch.");
    // No place at all: the placeholder leaves no double space.
    handlers::report_unplaced bare;
    bare.code = "blackout";
    EXPECT_EQ(handlers::unplaced_sentence(bare, c, "vi"),
              "Mọi điểm phát đều nằm trong thời gian tạm ngừng phát.");
    bare.code = "separation";
    bare.outlet = "loa-le-chan";
    EXPECT_EQ(
        handlers::unplaced_sentence(bare, c, "en"),
        "The minimum gap or the one-department-per-break rule leaves no break on Le Chan ward loudspeakers.");
    // The cases one code covers: a message longer than every break, one that airs in every break.
    handlers::report_unplaced cases;
    cases.outlet = "loa-le-chan";
    cases.code = "no_slot_in_flight";
    cases.detail = "too_long";
    cases.longest_s = 60;
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "vi"),
              "Không có điểm phát nào trên Loa truyền thanh phường Lê Chân trong các khung giờ được phép đủ dài cho "
              "thông điệp "
              "(điểm dài nhất chỉ 60 giây).");
    cases.code = "rule_limit";
    cases.detail = "every_break";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "en"),
              "It already airs in every break it can use on Le Chan ward loudspeakers: one airing a break.");
    cases.code = "no_slot_in_flight";
    cases.detail = "outside_dates";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "vi"),
              "Thời gian phát của thông điệp nằm ngoài các ngày được lập kế hoạch.");
    // Breaks already over (a plan as of a later day) are not "too soon".
    cases.code = "lead_time";
    cases.detail = "past";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "vi"),
              "Các điểm phát trên Loa truyền thanh phường Lê Chân đã qua rồi.");
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "en"), "The breaks on Le Chan ward loudspeakers are over already.");
    // Days over, then its own limits: the days lost are said first, with the last of them.
    cases.code = "rule_limit";
    cases.detail = "after_past";
    cases.date = "2024-07-21";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "vi"),
              "Các điểm phát trên Loa truyền thanh phường Lê Chân đến hết 21/07/2024 đã qua rồi, và từ sau đó giới hạn "
              "của chính thông điệp (mỗi ngày, mỗi tuần, mỗi cơ quan phát mỗi ngày, một lượt mỗi điểm phát) không cho "
              "phép thêm lượt phát.");
    cases.outlet.clear();  // several outlets
    cases.detail = "after_lead_time";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "en"),
              "Its breaks until 21 July 2024 are too soon for the outlet's lead time or freeze horizon, and after that "
              "its own limits (per day, per week, per outlet and day, one airing a break) allow no more airings.");
    cases.detail = "after_past_and_lead_time";
    EXPECT_EQ(handlers::unplaced_sentence(cases, c, "vi"),
              "Các điểm phát đến hết 21/07/2024 đã qua hoặc quá gần, nằm trong thời gian chuẩn bị hoặc thời gian khóa "
              "lịch của cơ quan phát, và từ sau đó giới hạn của chính thông điệp (mỗi ngày, mỗi tuần, mỗi cơ quan phát "
              "mỗi ngày, một lượt mỗi điểm phát) không cho phép thêm lượt phát.");
    // Which of its limits, with their figures (reports since 2026-12-03): the one to raise.
    {
        auto limited = cases;  // no outlet named (several outlets), days lost until 21 July
        limited.outlet = "loa-le-chan";
        limited.detail.clear();
        limited.date.clear();
        limited.limit_per_day = 2;
        EXPECT_EQ(handlers::unplaced_sentence(limited, c, "en"),
                  "Its own limits are reached wherever it could still air on Le Chan ward loudspeakers: 2 a day over "
                  "all outlets.");
        limited.limit_per_week = 10;
        limited.limit_per_outlet_day = 1;
        EXPECT_EQ(handlers::unplaced_sentence(limited, c, "vi"),
                  "Thông điệp đã đạt giới hạn riêng của nó ở mọi điểm phát còn dùng được trên Loa truyền thanh phường "
                  "Lê Chân: 2 lượt mỗi ngày trên tất cả cơ quan phát; 10 lượt mỗi tuần (thứ Hai đến Chủ nhật) trên "
                  "tất cả cơ quan phát; 1 lượt mỗi ngày trên một cơ quan phát.");
        // After days lost: those first; the date is theirs, not where the limits bind.
        limited.limit_per_day = 0;
        limited.limit_per_outlet_day = 0;
        limited.detail = "after_past";
        limited.date = "2024-07-21";
        EXPECT_EQ(handlers::unplaced_sentence(limited, c, "en"),
                  "Its breaks until 21 July 2024 are over already. After that: its own limits are reached wherever "
                  "it could still air on Le Chan ward loudspeakers: 10 a week (Monday to Sunday) over all outlets.");
        limited.detail = "after_lead_time";
        EXPECT_EQ(handlers::unplaced_sentence(limited, c, "vi").rfind(
                      "Các điểm phát của thông điệp đến hết 21/07/2024 quá gần, nằm trong thời gian chuẩn bị hoặc thời "
                      "gian khóa lịch của cơ quan phát. Từ sau đó: thông điệp đã đạt giới hạn riêng",
                      0),
                  0U)
            << handlers::unplaced_sentence(limited, c, "vi");
    }
    // Too soon or over: every break it could use until the last of them, and the outlet's notice
    // as a length (true whenever the page is read), when the report carries them.
    {
        handlers::report_unplaced soon;
        soon.outlet = "loa-le-chan";
        soon.code = "lead_time";
        soon.date = "2024-07-31";
        soon.daypart = "morning";
        soon.notice_hours = 48;
        EXPECT_EQ(handlers::unplaced_sentence(soon, c, "en"),
                  "Its breaks on Le Chan ward loudspeakers until 31 July 2024 are too soon: the outlet needs 48 hours' "
                  "notice (its lead time or freeze horizon).");
        soon.notice_hours = 1;
        EXPECT_EQ(handlers::unplaced_sentence(soon, c, "vi"),
                  "Các điểm phát trên Loa truyền thanh phường Lê Chân đến hết 31/07/2024 quá gần: cơ quan phát cần được "
                  "báo trước 1 giờ (thời gian chuẩn bị hoặc thời gian khóa lịch).");
        soon.notice_hours = 0;
        soon.detail = "past";
        EXPECT_EQ(handlers::unplaced_sentence(soon, c, "en"),
                  "Its breaks on Le Chan ward loudspeakers until 31 July 2024 are over already.");
        soon.detail.clear();  // a report stored before the field: as before
        EXPECT_EQ(handlers::unplaced_sentence(soon, c, "en"),
                  "The breaks on Le Chan ward loudspeakers on 31 July 2024 in the daypart “Morning” are too soon for "
                  "the outlet's lead time or freeze horizon.");
    }
    // No limit of its own binds after days lost: it airs in every break left, said as such.
    {
        handlers::report_unplaced every;
        every.outlet = "loa-le-chan";
        every.code = "rule_limit";
        every.detail = "after_lead_time";
        every.date = "2024-07-21";
        every.every_break = true;
        EXPECT_EQ(handlers::unplaced_sentence(every, c, "en"),
                  "Its breaks until 21 July 2024 are too soon for the outlet's lead time or freeze horizon. After "
                  "that: it already airs in every break it can use on Le Chan ward loudspeakers: one airing a break.");
        every.every_break = false;  // stored before 2026-12-03: the general sentence
        EXPECT_NE(handlers::unplaced_sentence(every, c, "en").find("its own limits (per day"), std::string::npos);
    }
    // A make-good refused for the message's or the outlet's sake says so.
    {
        handlers::report_unplaced mg;
        mg.outlet = "loa-le-chan";
        mg.code = "make_good_no_slot";
        mg.detail = "not_approved";
        EXPECT_EQ(handlers::unplaced_sentence(mg, c, "vi"),
                  "Lượt phát bị lỡ trên Loa truyền thanh phường Lê Chân không được bù: thông điệp hiện chưa được phê "
                  "duyệt.");
        mg.detail = "not_eligible";
        EXPECT_EQ(handlers::unplaced_sentence(mg, c, "en"),
                  "A missed airing on Le Chan ward loudspeakers gets no make-good: the outlet no longer carries the "
                  "message.");
        mg.detail = "own_airings";
        EXPECT_EQ(handlers::unplaced_sentence(mg, c, "vi"),
                  "Lượt phát bị lỡ trên Loa truyền thanh phường Lê Chân không được bù: mọi điểm phát thông điệp còn "
                  "dùng được đều đã có một lượt phát của chính nó trong kế hoạch, hoặc bị đóng bởi giới hạn của nó "
                  "khi tính cả các lượt đó.");
        mg.detail.clear();
        EXPECT_EQ(handlers::unplaced_sentence(mg, c, "en"),
                  "A missed airing found no break for its make-good on Le Chan ward loudspeakers.");
        // Which missed airing, where the run says it.
        mg.make_good_of = 73;
        EXPECT_EQ(handlers::unplaced_sentence(mg, c, "en"),
                  "A missed airing found no break for its make-good on Le Chan ward loudspeakers (missed airing #73).");
        EXPECT_TRUE(handlers::unplaced_sentence(mg, c, "vi").ends_with(" (lượt phát bị lỡ #73)."))
            << handlers::unplaced_sentence(mg, c, "vi");
    }
    cases.date.clear();
    // Full breaks after days already over: the days lost first, in both languages.
    {
        auto full = r.unplaced[0];  // capacity, higher_priority, on thp-tv 30 July in prime time
        full.lost = "past";
        full.lost_until = "2024-07-28";
        const std::string lost_en = handlers::unplaced_sentence(full, c, "en");
        EXPECT_EQ(lost_en.rfind("Its breaks until 28 July 2024 are over already. After that: ", 0), 0U) << lost_en;
        EXPECT_NE(lost_en.find("taken by higher-priority messages"), std::string::npos) << lost_en;
        const std::string lost_vi = handlers::unplaced_sentence(full, c, "vi");
        EXPECT_EQ(lost_vi.rfind("Các điểm phát của thông điệp đến hết 28/07/2024 đã qua rồi. Từ sau đó: ", 0), 0U)
            << lost_vi;
        full.lost = "lead_time";
        EXPECT_NE(handlers::unplaced_sentence(full, c, "vi").find("quá gần"), std::string::npos);
        full.lost_until.clear();  // a report stored before the field: as before
        EXPECT_EQ(handlers::unplaced_sentence(full, c, "en").find("Its breaks until"), std::string::npos);
    }
    // A code this page does not know: the planner's sentence in English, a generic one in Vietnamese.
    bare.code = "something_new";
    bare.reason = "A new reason.";
    EXPECT_EQ(handlers::unplaced_sentence(bare, c, "en"), "A new reason.");
    EXPECT_EQ(handlers::unplaced_sentence(bare, c, "vi"),
              "Bộ lập kế hoạch không xếp được các lượt phát này.");
    // Many blockers: five named, the rest counted.
    bare.code = "capacity";
    bare.blockers = {"a", "b", "c", "d", "e", "f", "g"};
    EXPECT_NE(handlers::unplaced_sentence(bare, c, "vi").find("“e” và 2 thông điệp khác."),
              std::string::npos);
}

TEST(DaySchedule, TheBusiestDayUnlessOneIsAskedFor) {
    const auto c = sample();
    const auto r = *handlers::parse_plan_report(report_json);
    auto d = handlers::choose_day(r, c, "", "");
    EXPECT_EQ(d.outlet, "thp-tv");
    EXPECT_EQ(d.date, "2024-07-30");
    d = handlers::choose_day(r, c, "loa-le-chan", "");
    EXPECT_EQ(d.outlet, "loa-le-chan");
    EXPECT_EQ(d.date, "2024-07-29");
    d = handlers::choose_day(r, c, "loa-le-chan", "2024-07-28");
    EXPECT_EQ(d.date, "2024-07-28");  // asked for, even with nothing placed
    // Typed the Vietnamese way: the same day, written as the report writes dates (its placements
    // are matched by that text).
    d = handlers::choose_day(r, c, "loa-le-chan", "29/07/2024");
    EXPECT_EQ(d.date, "2024-07-29");
    d = handlers::choose_day(r, c, "", "30/7/2024");
    EXPECT_EQ(d.outlet, "thp-tv");
    EXPECT_EQ(d.date, "2024-07-30");
    d = handlers::choose_day(r, c, "no-such-outlet", "2024-13-01");
    EXPECT_EQ(d.outlet, "thp-tv");
    EXPECT_EQ(d.date, "2024-07-30");
    // Only among the dates planned: the same placements in a report of 2025's first days (a dry
    // run of other dates lists the stored ones too) give its first day, not a day of 2024.
    auto later = r;
    later.from = "2025-01-01";
    later.to = "2025-01-05";
    d = handlers::choose_day(later, c, "", "");
    EXPECT_EQ(d.outlet, "thp-tv");
    EXPECT_EQ(d.date, "2025-01-01");
    later.from = "2024-07-29";
    later.to = "2024-07-29";
    d = handlers::choose_day(later, c, "", "");
    EXPECT_EQ(d.outlet, "loa-le-chan");
    EXPECT_EQ(d.date, "2024-07-29");
    handlers::plan_report empty;
    empty.from = "2024-07-01";
    d = handlers::choose_day(empty, c, "", "");
    EXPECT_EQ(d.outlet, "thp-tv");
    EXPECT_EQ(d.date, "2024-07-01");
}

TEST(DaySchedule, BreaksOfOneOutletAndDateInTimeOrder) {
    namespace planner = loa::scheduler::planner;
    planner::instance in;
    in.outlets = {{"thp-tv", "tv", "Asia/Ho_Chi_Minh", 0, 0, {{"day", 1, false}, {"prime", 3, true}}},
                  {"other", "radio", "Asia/Ho_Chi_Minh", 0, 0, {{"day", 1, false}}}};
    const auto add = [&](int outlet, date::local_seconds local, int daypart, bool blackout) {
        planner::slot s;
        s.outlet = outlet;
        s.local_start = local;
        s.start = planner::instant{local.time_since_epoch() - 7h};
        s.date = planner::day{date::floor<date::days>(local).time_since_epoch()};
        s.capacity_s = 60;
        s.daypart = daypart;
        s.blacked_out = blackout;
        in.slots.push_back(s);
    };
    const auto july30 = date::local_days{2024_y / date::July / 30};
    add(0, july30 + 19h + 15min, 1, false);
    add(0, july30 + 10h + 15min, 0, true);
    add(0, july30 - 24h + 19h, 1, false);  // the day before
    add(1, july30 + 8h, 0, false);         // another outlet
    const auto b = handlers::breaks_of(in, "thp-tv", 2024_y / date::July / 30);
    ASSERT_EQ(b.size(), 2U);
    EXPECT_EQ(b[0].time, "10:15");
    EXPECT_EQ(b[0].daypart, "day");
    EXPECT_TRUE(b[0].blacked_out);
    EXPECT_FALSE(b[0].prime);
    EXPECT_EQ(b[1].time, "19:15");
    EXPECT_TRUE(b[1].prime);
    EXPECT_EQ(b[1].capacity_s, 60);
    EXPECT_TRUE(handlers::breaks_of(in, "nowhere", 2024_y / date::July / 30).empty());
}

std::string render(const std::string& lang, const std::string& role, bool dry_run = false,
                   const std::vector<std::pair<std::string, std::string>>& query = {}, bool counted = true,
                   const handlers::plan_report* report = nullptr) {
    static const auto c = sample();
    static const auto sample_report = *handlers::parse_plan_report(report_json);
    const auto& r = report != nullptr ? *report : sample_report;
    static const loa::core::plan_run run = [] {
        loa::core::plan_run x;
        x.id = 12;
        x.created_at = "2024-07-01T02:30:00.000Z";
        x.actor = "user:Phạm Văn Duyệt";
        x.changes = loa::core::plan_changes{1260, 12, 3, 1};
        return x;
    }();
    // A run stored before schema 16: its changes were not counted.
    static const loa::core::plan_run uncounted = [] {
        loa::core::plan_run x = run;
        x.changes.reset();
        return x;
    }();
    handlers::plan_view v;
    v.campaign = &c;
    v.report = &r;
    v.dry_run = dry_run;
    v.stored = dry_run ? nullptr : counted ? &run : &uncounted;
    v.form.from = "2024-07-28";
    v.form.to = "2024-07-30";
    auto req = page_request(lang, role);
    req.query = query;
    // As plans.cpp does: the day asked for in the query when choose_day can use it.
    v.day = handlers::choose_day(r, c, req.query_value("outlet").value_or(""), req.query_value("date").value_or(""));
    const auto t = [](int h, int m) {
        const date::sys_seconds at =
            date::sys_days{2024_y / date::July / 30} + std::chrono::hours(h - 7) + std::chrono::minutes(m);
        return at.time_since_epoch().count();
    };
    v.breaks = {{t(10, 15), "10:15", 60, "day", false, false},
                {t(19, 15), "19:15", 60, "prime", true, false},
                {t(20, 15), "20:15", 60, "prime", true, false}};
    return web::render_fragment(req, "plan", handlers::plan_page_data(v, req));
}

TEST(PlanPage, FiguresSummariesReasonsAndTheScheduleInVietnamese) {
    const std::string html = render("vi", "approver");
    EXPECT_NE(html.find("<h1>Lập kế hoạch phát sóng</h1>"), std::string::npos);
    EXPECT_NE(html.find("id=\"plan-placed\">4 / 9 (44,4%)<"), std::string::npos) << html;
    EXPECT_NE(html.find("id=\"plan-prime-share\">80%<"), std::string::npos);
    EXPECT_NE(html.find("id=\"plan-prime-count\">3 (75%)<"), std::string::npos);
    EXPECT_NE(html.find("id=\"plan-gap\">2,44%<"), std::string::npos);
    EXPECT_NE(html.find("id=\"plan-bound\">20,5<"), std::string::npos);
    EXPECT_NE(html.find("Lần chạy 12, lưu lúc 01/07/2024 09:30, người chạy: Phạm Văn Duyệt."),
              std::string::npos);
    // What storing it changed for the outlets.
    EXPECT_NE(html.find("<p id=\"plan-changes\">Đối với các cơ quan phát, lần chạy này giữ nguyên 1.260 lượt phát, thêm "
                        "12, dời hoặc đổi 3 và hủy 1; nguồn tin của họ hiển thị rõ các lượt bị dời, bị đổi và bị hủy.</p>"),
              std::string::npos)
        << html;
    // Per department and outlet, with the campaign's names.
    EXPECT_NE(html.find("<th scope=\"row\">Công an thành phố</th><td>2</td><td>5</td><td>40%</td><td>1</td>"),
              std::string::npos);
    EXPECT_NE(html.find("id=\"plan-department-culture\""), std::string::npos);
    // Unplaced airings of messages that may air on several outlets: a row of their own.
    EXPECT_NE(html.find("<tr id=\"plan-outlet-any\"><th scope=\"row\">Chưa xếp, có thể phát trên một trong nhiều cơ "
                        "quan</th><td>—</td><td>2</td>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("href=\"/campaigns/hp-2024/plan?outlet=loa-le-chan#schedule-heading\""),
              std::string::npos);
    // Reasons in Vietnamese, never the planner's English; titles escaped.
    EXPECT_NE(
        html.find("đã dành cho thông điệp có mức ưu tiên cao hơn: “&lt;script&gt;alert(1)&lt;/script&gt;”"),
        std::string::npos);
    EXPECT_EQ(html.find("ENGLISH"), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_EQ(html.find("A note only in English."), std::string::npos);
    // The count above the reasons is their rows' sum (2 + 1 + 1), not wanted − placed (9 − 4), which
    // placements kept from before can make larger, smaller or negative.
    EXPECT_NE(html.find("<caption>Số lượt phát mong muốn nhưng chưa xếp được: 4</caption>"), std::string::npos);
    EXPECT_NE(
        html.find("<li>Những ngày được lập kế hoạch đã qua: đây là lần chạy diễn tập, tính tại thời điểm "
                  "01/07/2024 00:00.</li>"),
        std::string::npos);
    // The note on placements kept outside the dates planned, with its numbers, in Vietnamese.
    EXPECT_NE(html.find("<li>Mục tiêu, cận trên và khoảng cách là của các ngày được lập kế hoạch (25/07/2024 đến "
                        "31/07/2024); 1.260 lượt phát được giữ lại ngoài khoảng đó"),
              std::string::npos);
    // The day schedule: three breaks in time order, prime ones marked with a badge and a class.
    const auto at1015 = html.find("<th scope=\"row\">10:15</th>");
    const auto at1915 = html.find("<th scope=\"row\">19:15</th>");
    const auto at2015 = html.find("<th scope=\"row\">20:15</th>");
    ASSERT_NE(at1015, std::string::npos);
    EXPECT_LT(at1015, at1915);
    EXPECT_LT(at1915, at2015);
    EXPECT_EQ(count(html, "plan-break is-prime"), 2U);
    EXPECT_EQ(count(html, "<strong class=\"badge badge--prime\">Giờ vàng</strong>"), 2U);
    // The daypart is called what the badge says: the badge alone names it, not "Giờ vàng Giờ vàng".
    EXPECT_EQ(count(html, "<td><strong class=\"badge badge--prime\">Giờ vàng</strong></td>"), 2U);
    EXPECT_EQ(count(html, "Giờ vàng <strong"), 0U);
    EXPECT_NE(html.find("<td>Ban ngày</td>"), std::string::npos);
    EXPECT_NE(html.find("45/60 giây"), std::string::npos);  // two messages share the 19:15 break
    EXPECT_NE(html.find("còn trống"), std::string::npos);   // 20:15 is free
    EXPECT_NE(html.find("Giữ nguyên"), std::string::npos);  // the frozen 10:15 airing
    EXPECT_NE(html.find("Thứ Ba, 30/07/2024: đã xếp 3 lượt phát"), std::string::npos);
    EXPECT_NE(html.find("date=2024-07-29#schedule-heading\" rel=\"prev\""), std::string::npos);
    // The run form, with its token, for an approver.
    EXPECT_NE(html.find("id=\"plan-form\""), std::string::npos);
    EXPECT_NE(html.find("name=\"csrf_token\" value=\"tok-123\""), std::string::npos);
    EXPECT_NE(html.find("<caption>"), std::string::npos);
    EXPECT_EQ(html.find("<th>"), std::string::npos);  // every header cell has a scope
}

// The day schedule says what became of each airing, as the CLI's table does: a missed one holds no
// break and is not placed, a withdrawn one keeps its break but is cancelled and not placed, a
// make-good names the miss it stands for.
TEST(PlanPage, TheDayScheduleSaysWhatBecameOfEachAiring) {
    auto r = *handlers::parse_plan_report(report_json);
    ASSERT_EQ(r.placements.size(), 4U);
    EXPECT_EQ(r.placements[0].state, "");  // read from a report without the field
    r.placements[0].state = "aired";  // 19:15, 30 s
    r.placements[0].frozen = true;
    r.placements[1].withdrawn = true;  // 19:15, 15 s
    r.placements[2].state = "missed";  // 10:15, 30 s, frozen
    auto make_good = r.placements[1];
    make_good.withdrawn = false;
    make_good.start = "2024-07-30T20:15:00+07:00";
    make_good.time = "20:15";
    make_good.make_good_of = 7;
    r.placements.push_back(make_good);
    const std::string html = render("en", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}, true, &r);
    EXPECT_NE(html.find(": 2 airings placed."), std::string::npos) << html;  // the aired one and the make-good
    {
        auto one = r;
        one.placements.pop_back();  // the aired one alone: said in the singular
        const std::string single = render("en", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}, true, &one);
        EXPECT_NE(single.find(": 1 airing placed. Times in Asia/Ho_Chi_Minh."), std::string::npos) << single;
    }
    EXPECT_NE(html.find("<td>0 of 60 s</td>"), std::string::npos);   // 10:15: the missed airing holds nothing
    EXPECT_NE(html.find("<td>45 of 60 s</td>"), std::string::npos);  // 19:15: the withdrawn one keeps its break
    EXPECT_EQ(count(html, "<span class=\"badge badge--muted\">Missed</span>"), 1U);
    EXPECT_EQ(count(html, "<span class=\"badge badge--muted\">Aired</span>"), 1U);
    EXPECT_EQ(count(html, "Cancelled: its message lost its approval before this airing"), 1U);
    EXPECT_EQ(count(html, "<span class=\"badge badge--muted\">Make-good of #7</span>"), 1U);
    EXPECT_EQ(count(html, ">Kept<"), 0U);  // each frozen one says its state instead
    const std::string vi = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}, true, &r);
    EXPECT_NE(vi.find(">Bị lỡ<"), std::string::npos);
    EXPECT_NE(vi.find(">Đã phát<"), std::string::npos);
    EXPECT_NE(vi.find("Đã hủy: thông điệp không còn được phê duyệt từ trước giờ phát này"), std::string::npos);
    EXPECT_NE(vi.find("Phát bù cho lượt #7"), std::string::npos);
}

// A message placed more than it wants now (kept from before, after its airings were cut) is said
// among the notes, in both languages, with its title.
// A stored run's day shows what became of its airings since: withdrawn, aired, missed. Other days,
// and airings no longer stored, stay as the run had them.
TEST(PlanPage, AStoredRunsDayShowsWhatBecameOfItsAiringsSince) {
    auto r = *handlers::parse_plan_report(report_json);
    const auto at = [](std::string_view iso) { return *loa::core::parse_iso8601_instant(iso, nullptr); };
    std::vector<loa::core::schedule_row> now(5);
    for (auto& row : now) {
        row.campaign = "hp-2024";
        row.state = "planned";
    }
    now[0].message = "m-police";  // 19:15: withdrawn since
    now[0].start = at("2024-07-30T12:15:00Z");
    now[0].withdrawn = true;
    now[1].message = "m-police";  // 10:15: reported aired since
    now[1].start = at("2024-07-30T03:15:00Z");
    now[1].state = "aired";
    now[2].message = "m-edu";  // another day: not shown, so not touched
    now[2].start = at("2024-07-28T23:00:00Z");
    now[2].state = "missed";
    now[3].message = "m-edu";  // 19:15, still planned
    now[3].start = at("2024-07-30T12:15:00Z");
    now[4] = now[0];  // another campaign's placement at the same time: not this run's
    now[4].campaign = "other-2024";
    now[4].message = "m-edu";
    now[4].withdrawn = true;
    const auto span = handlers::day_starts(r, {"thp-tv", "2024-07-30"});
    ASSERT_TRUE(span);
    EXPECT_EQ(span->first, at("2024-07-30T03:15:00Z"));
    EXPECT_EQ(span->second, at("2024-07-30T12:15:00Z"));
    handlers::overlay_current(r, {"thp-tv", "2024-07-30"}, "hp-2024", now);
    ASSERT_EQ(r.placements.size(), 4U);
    EXPECT_TRUE(r.placements[0].withdrawn);
    EXPECT_EQ(r.placements[0].state, "");
    EXPECT_FALSE(r.placements[1].withdrawn);
    EXPECT_EQ(r.placements[1].state, "");
    EXPECT_EQ(r.placements[2].state, "aired");
    EXPECT_EQ(r.placements[3].state, "");  // loa-le-chan on the 29th: another day
    const std::string html = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}, false, &r);
    EXPECT_NE(html.find("Đã hủy: thông điệp không còn được phê duyệt từ trước giờ phát này"), std::string::npos);
    EXPECT_NE(html.find("Các trạng thái đã phát, bị lỡ và đã hủy là trạng thái hiện tại"), std::string::npos);
    // A dry run is of now already: no such note.
    const std::string dry = render("vi", "approver", true, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}, false, &r);
    EXPECT_EQ(dry.find("schedule-states-now"), std::string::npos);
}

TEST(PlanPage, AMessagePlacedMoreThanItWantsNowIsSaid) {
    auto r = *handlers::parse_plan_report(report_json);
    r.over_wanted.push_back({"m-police", 8, 2});
    const std::string en = render("en", "viewer", false, {}, true, &r);
    EXPECT_NE(en.find("is placed 8 times, more than the 2 it wants now: the rest are kept from before"),
              std::string::npos)
        << en;
    const std::string vi = render("vi", "viewer", false, {}, true, &r);
    EXPECT_NE(vi.find("đang được xếp 8 lượt, nhiều hơn 2 lượt mà thông điệp cần hiện nay"), std::string::npos);
    EXPECT_EQ(render("vi", "viewer").find("nhiều hơn"), std::string::npos);  // none without a surplus
}

TEST(PlanPage, AnUnknownOutletOrABadDateIsSaidNotSilentlyReplaced) {
    const std::string asked = render("vi", "viewer", false, {{"outlet", "nope"}, {"date", "2024-07-30"}});
    const auto notice = asked.find("id=\"schedule-notice\"");
    ASSERT_NE(notice, std::string::npos) << asked;
    EXPECT_NE(asked.find("Chiến dịch này không có cơ quan phát “nope”", notice), std::string::npos);
    EXPECT_NE(asked.find("Đang hiển thị thay vào đó: ", notice), std::string::npos);
    const std::string bad_date = render("en", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-13-01"}});
    EXPECT_NE(bad_date.find("“2024-13-01” is not a day of the calendar: give one that exists, such as 2024-07-30."), std::string::npos);
    // A valid choice, or none, says nothing.
    EXPECT_EQ(render("vi", "viewer").find("schedule-notice"), std::string::npos);
    EXPECT_EQ(render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}}).find("schedule-notice"),
              std::string::npos);
}

TEST(PlanPage, ADayOutsideTheDatesPlannedIsSaidSoWithALinkBackIntoThem) {
    // The stored run planned 28–30 July. A day after it: said in Vietnamese, one link, to 30 July.
    const std::string after = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2030-01-01"}});
    const auto notice = after.find("id=\"schedule-outside\"");
    ASSERT_NE(notice, std::string::npos) << after;
    EXPECT_NE(after.find("nằm ngoài các ngày được lập kế hoạch", notice), std::string::npos);
    EXPECT_NE(after.find("date=2024-07-30#schedule-heading\" rel=\"prev\">← Ngày cuối được lập kế hoạch</a>"),
              std::string::npos);
    EXPECT_EQ(after.find("rel=\"next\""), std::string::npos);
    EXPECT_EQ(after.find("date=2029-12-31"), std::string::npos);
    // A day before it, in English: one link, to 28 July.
    const std::string before = render("en", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-01"}});
    EXPECT_NE(before.find("is outside the dates planned"), std::string::npos) << before;
    EXPECT_NE(before.find("date=2024-07-28#schedule-heading\" rel=\"next\">First day planned →</a>"), std::string::npos);
    EXPECT_EQ(before.find("rel=\"prev\""), std::string::npos);
    // A day inside it says nothing of the kind.
    EXPECT_EQ(render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-29"}}).find("schedule-outside"),
              std::string::npos);
}

TEST(PlanPage, TheDayLinksStayWithinThePlannedRange) {
    // The stored run planned 28–30 July: its last day has no "next day", its first no "previous".
    const std::string last = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-30"}});
    EXPECT_NE(last.find("date=2024-07-29#schedule-heading\" rel=\"prev\""), std::string::npos) << last;
    EXPECT_EQ(last.find("rel=\"next\""), std::string::npos);
    const std::string first = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-28"}});
    EXPECT_EQ(first.find("rel=\"prev\""), std::string::npos);
    EXPECT_NE(first.find("date=2024-07-29#schedule-heading\" rel=\"next\""), std::string::npos) << first;
    const std::string middle = render("vi", "viewer", false, {{"outlet", "thp-tv"}, {"date", "2024-07-29"}});
    EXPECT_NE(middle.find("date=2024-07-28#schedule-heading\" rel=\"prev\""), std::string::npos);
    EXPECT_NE(middle.find("date=2024-07-30#schedule-heading\" rel=\"next\""), std::string::npos);
}

TEST(PlanPage, EnglishViewersAndDryRuns) {
    const std::string en = render("en", "viewer");
    EXPECT_NE(en.find("<h1>Run planner</h1>"), std::string::npos);
    EXPECT_NE(en.find("id=\"plan-gap\">2.44%<"), std::string::npos);
    EXPECT_NE(en.find("<td><strong class=\"badge badge--prime\">Prime time</strong></td>"), std::string::npos);
    EXPECT_EQ(en.find("Prime time <strong"), std::string::npos);
    EXPECT_NE(en.find("A note only in English."), std::string::npos);
    EXPECT_NE(en.find("those of the dates planned (25 July 2024 to 31 July 2024); 1,260 placement(s) kept outside"),
              std::string::npos);
    EXPECT_NE(en.find("in the daypart “Prime time” are taken by higher-priority messages"), std::string::npos);
    EXPECT_EQ(en.find("id=\"plan-form\""), std::string::npos);  // a viewer reads only
    EXPECT_NE(en.find("id=\"plan-approvers-only\""), std::string::npos);
    EXPECT_EQ(en.find("Giờ vàng"), std::string::npos);
    EXPECT_NE(en.find("For the outlets, this run&apos;s placements: 1,260 kept as they were, 12 added, 3 moved or changed, "
                      "1 cancelled; their feeds show the moved, changed and cancelled ones as such."),
              std::string::npos);

    const std::string dry = render("vi", "admin", true);
    EXPECT_NE(dry.find("id=\"plan-dry-run-notice\""), std::string::npos);
    EXPECT_EQ(dry.find("id=\"plan-stored\""), std::string::npos);
    EXPECT_EQ(dry.find("id=\"plan-changes\""), std::string::npos);
    const std::string uncounted = render("en", "viewer", false, {}, false);
    // A dry run whose report says what storing it would change.
    {
        const auto c = sample();
        auto r = *handlers::parse_plan_report(report_json);
        r.changes = loa::core::plan_changes{300, 20, 4, 2};
        handlers::plan_view v;
        v.campaign = &c;
        v.report = &r;
        v.dry_run = true;
        for (const std::string lang : {"vi", "en"}) {
            const auto req = page_request(lang, "approver");
            const std::string html = web::render_fragment(req, "plan", handlers::plan_page_data(v, req));
            EXPECT_NE(html.find(lang == "vi" ? "<p id=\"plan-changes\">Nếu lưu, lần chạy này sẽ giữ nguyên 300 lượt phát của "
                                               "các cơ quan phát, thêm 20, dời hoặc đổi 4 và hủy 2.</p>"
                                             : "<p id=\"plan-changes\">Stored, this run&apos;s placements for the outlets would be: "
                                               "300 kept as they are, 20 added, 4 moved or changed, 2 cancelled.</p>"),
                      std::string::npos)
                << html;
        }
    }
    EXPECT_NE(uncounted.find("id=\"plan-stored\""), std::string::npos);
    EXPECT_EQ(uncounted.find("id=\"plan-changes\""), std::string::npos);
    // The dry run's day chooser posts the run again (with the token), it has no links to follow.
    EXPECT_NE(dry.find("<form class=\"calendar-filters\" method=\"post\""), std::string::npos);
    EXPECT_NE(dry.find("name=\"dry_run\" value=\"1\""), std::string::npos);
    EXPECT_EQ(dry.find("id=\"schedule-prev\""), std::string::npos);
    // Its outlets' names post it again for their day too: a link would show the stored plan.
    EXPECT_EQ(dry.find("plan?outlet="), std::string::npos) << dry;
    EXPECT_NE(dry.find("<button type=\"submit\" form=\"plan-outlet-dry\" name=\"outlet\" value=\"thp-tv\""),
              std::string::npos);
    EXPECT_NE(dry.find("<form method=\"post\" action=\"/campaigns/hp-2024/plan#schedule-heading\" id=\"plan-outlet-dry\">"),
              std::string::npos);
}

TEST(PlanPage, NoRunYetAndFieldErrors) {
    const auto c = sample();
    handlers::plan_view v;
    v.campaign = &c;
    v.form.from = "2024-07-30";
    v.form.to = "2024-07-01";
    v.errors["to"] = "The last day must not be before the first day.";
    const auto req = page_request("vi", "approver");
    const std::string html = web::render_fragment(req, "plan", handlers::plan_page_data(v, req));
    EXPECT_NE(html.find("id=\"plan-none\""), std::string::npos);
    EXPECT_NE(html.find("id=\"plan-to-error\">Ngày cuối không được trước ngày đầu.<"), std::string::npos);
    EXPECT_NE(html.find("href=\"#plan-to\""), std::string::npos);
    EXPECT_NE(html.find("value=\"2024-07-01\""), std::string::npos);  // kept as typed
    EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
    // Typed day first, as Vietnamese writes it: back in the date input as YYYY-MM-DD (the only form
    // it shows); what names no day stays as typed.
    v.form.from = "30/07/2024";
    v.form.to = "31/06/2024";
    const std::string again = web::render_fragment(req, "plan", handlers::plan_page_data(v, req));
    EXPECT_NE(again.find("value=\"2024-07-30\""), std::string::npos) << again;
    EXPECT_NE(again.find("value=\"31/06/2024\""), std::string::npos);
}

}  // namespace plan_pages_test_cpp
}  // namespace
