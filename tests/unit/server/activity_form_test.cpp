// The activity form without a server: reading posted fields, checking them into an activity with
// each field's error, stored activities back into the form, and the rendered form (values kept,
// errors in Vietnamese, hostile text escaped).
#include "server/handlers/activity_form.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace activity_form_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::handlers::activity_form;
using loa::handlers::activity_form_from;
using loa::handlers::validate_activity_form;
namespace web = loa::web;

loa::core::campaign sample() {
    loa::core::campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người", "Anti-trafficking month"};
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.departments = {{"giao-duc", {"Sở Giáo dục và Đào tạo", "Education"}, {}},
                     {"cong-an", {"Công an thành phố", "Police"}, {}}};
    c.audiences = {{"phu-huynh", {"Phụ huynh", "Parents"}}, {"hoc-sinh", {"Học sinh", "Students"}}};
    return c;
}

activity_form weekly_form() {
    activity_form f;
    f.department = "giao-duc";
    f.kind = "school_session";
    f.title_vi = "  Buổi học ngoại khóa về an toàn  ";
    f.start_date = "2024-07-03";
    f.start_time = "08:00";
    f.end_date = "2024-07-03";
    f.end_time = "09:30";
    f.location_vi = "Trường THCS Lê Lợi";
    f.audiences = {"hoc-sinh", "phu-huynh", "hoc-sinh"};
    f.visibility = "internal";
    f.recurrence.repeat = "weekly";
    f.recurrence.weekdays = {"wed"};
    f.recurrence.ends = "count";
    f.recurrence.count = "4";
    return f;
}

loa::http::request page_request(const std::string& lang) {
    loa::http::request r;
    r.method = "GET";
    r.path = "/campaigns/hp-2024/activities/new";
    r.target = r.path;
    r.lang = lang;
    return r;
}

loa::http::principal editor(const std::string& department) {
    loa::http::principal p;
    p.user_id = 3;
    p.name = "Nguyễn Thị Hoa";
    p.role = "editor";
    p.department = department;
    p.csrf_token = "tok";
    return p;
}

TEST(ActivityForm, AValidFormGivesTheActivity) {
    const auto v = validate_activity_form(weekly_form(), sample());
    ASSERT_TRUE(v.errors.empty());
    const auto& a = v.value;
    EXPECT_EQ(a.department, "giao-duc");
    EXPECT_EQ(a.title.vi, "Buổi học ngoại khóa về an toàn");
    EXPECT_EQ(a.start, date::local_days{2024_y / date::July / 3} + 8h);
    EXPECT_EQ(a.end, date::local_days{2024_y / date::July / 3} + 9h + 30min);
    EXPECT_EQ(a.rrule, "FREQ=WEEKLY;BYDAY=WE;COUNT=4");
    EXPECT_EQ(a.audiences, (std::vector<std::string>{"hoc-sinh", "phu-huynh"}));
    EXPECT_EQ(a.vis, loa::core::visibility::internal);
    EXPECT_FALSE(a.all_day);
}

TEST(ActivityForm, AllDayEndsAfterItsLastDayAndAnEmptyEndDateIsTheSameDay) {
    auto f = weekly_form();
    f.recurrence = {};
    f.all_day = true;
    f.start_time = "";
    f.end_time = "garbage is ignored for all-day";
    f.end_date = "2024-07-05";
    auto v = validate_activity_form(f, sample());
    ASSERT_TRUE(v.errors.empty());
    EXPECT_EQ(v.value.start, date::local_days{2024_y / date::July / 3});
    EXPECT_EQ(v.value.end, date::local_days{2024_y / date::July / 6});

    f = weekly_form();
    f.end_date = "";
    v = validate_activity_form(f, sample());
    ASSERT_TRUE(v.errors.empty());
    EXPECT_EQ(v.value.end, date::local_days{2024_y / date::July / 3} + 9h + 30min);
}

TEST(ActivityForm, EachWrongFieldHasItsError) {
    const auto errors_of = [](const activity_form& f) {
        std::vector<std::string> fields;
        for (const auto& [field, e] : validate_activity_form(f, sample()).errors) fields.push_back(field);
        return fields;
    };
    activity_form f = weekly_form();
    f.title_vi = "   ";
    f.department = "y-te";
    f.kind = "party";
    f.time_zone = "Asia/Ha_Noi";
    f.audiences = {"ngu-dan"};
    f.visibility = "secret";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"audiences", "department", "kind", "time_zone",
                                                      "title_vi", "visibility"}));
    f = weekly_form();
    f.start_date = "31/06/2024";
    f.end_time = "25:00";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"end_time", "start_date"}));
    f = weekly_form();
    f.end_time = "08:00";  // before the start
    EXPECT_EQ(errors_of(f), std::vector<std::string>{"end_time"});
    f.end_time = "08:00";
    f.end_date = "2024-07-04";  // the next day is fine
    EXPECT_TRUE(errors_of(f).empty());
    f = weekly_form();
    f.all_day = true;
    f.end_date = "2024-07-02";
    EXPECT_EQ(errors_of(f), std::vector<std::string>{"end_date"});
    f = weekly_form();
    f.recurrence.weekdays = {};
    f.recurrence.count = "0";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"count", "weekdays"}));
    f = weekly_form();
    f.title_vi = std::string(201, 'a');
    EXPECT_EQ(errors_of(f), std::vector<std::string>{"title_vi"});
    f.title_vi = "";
    for (int i = 0; i < 200; ++i) f.title_vi += "ệ";  // 200 characters, 600 bytes
    EXPECT_TRUE(errors_of(f).empty());
}

TEST(ActivityForm, StoredActivitiesRoundTripThroughTheForm) {
    const auto c = sample();
    auto timed = validate_activity_form(weekly_form(), c).value;
    auto all_day_form = weekly_form();
    all_day_form.all_day = true;
    all_day_form.end_date = "2024-07-04";
    auto all_day = validate_activity_form(all_day_form, c).value;
    auto advanced = timed;
    advanced.rrule = "FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;COUNT=24";
    advanced.time_zone = "Europe/Berlin";
    for (const auto& a : {timed, all_day, advanced}) {
        const auto back = validate_activity_form(activity_form_from(a), c);
        ASSERT_TRUE(back.errors.empty()) << a.rrule;
        EXPECT_EQ(back.value, a);
    }
    EXPECT_EQ(activity_form_from(advanced).recurrence.repeat, "advanced");
}

TEST(ActivityForm, PostedFieldsAreReadAsTyped) {
    const web::form posted(
        "department=giao-duc&kind=school_session&title_vi=Bu%E1%BB%95i+h%E1%BB%8Dc&start_date=2024-07-03"
        "&start_time=08%3A00&end_time=07%3A00&all_day=1&audiences=hoc-sinh&audiences=phu-huynh&repeat=weekly"
        "&weekdays=mon&weekdays=fri&ends=until&until=2024-07-31&advanced=FREQ%3DDAILY");
    const auto f = activity_form_from(posted);
    EXPECT_EQ(f.title_vi, "Buổi học");
    EXPECT_TRUE(f.all_day);
    EXPECT_EQ(f.end_time, "07:00");
    EXPECT_EQ(f.audiences, (std::vector<std::string>{"hoc-sinh", "phu-huynh"}));
    EXPECT_EQ(f.visibility, "public");
    EXPECT_EQ(f.recurrence.weekdays, (std::vector<std::string>{"mon", "fri"}));
    EXPECT_EQ(f.recurrence.until, "2024-07-31");
    EXPECT_EQ(f.recurrence.advanced, "FREQ=DAILY");
    // Invisible control characters pasted in are not kept (a campaign file may not hold them); a
    // one-line field sent with a line break has a space there.
    const auto pasted = activity_form_from(web::form(
        "title_vi=Bu%E1%BB%95i%07+h%E1%BB%8Dc%1B%0D%0Ah%C3%A8&location_vi=Nh%C3%A0%09v%C4%83n%7F+h%C3%B3a"
        "&description_vi=D%C3%B2ng+1%0BD%C3%B2ng+2%0D%0AD%C3%B2ng+3%00"));
    EXPECT_EQ(pasted.title_vi, "Buổi học hè");
    EXPECT_EQ(pasted.location_vi, "Nhà văn hóa");
    EXPECT_EQ(pasted.description_vi, "Dòng 1\nDòng 2\nDòng 3");
}

TEST(ActivityForm, TheFormComesBackWithValuesAndVietnameseErrors) {
    const auto c = sample();
    activity_form f = weekly_form();
    f.title_vi = "";
    f.title_en = "<script>alert(1)</script>";
    f.location_vi = "\"><img src=x onerror=alert(1)>";
    f.end_time = "07:00";
    const auto v = validate_activity_form(f, c);
    const auto req = page_request("vi");
    const auto user = editor("giao-duc");
    loa::handlers::activity_form_context ctx;
    ctx.campaign = &c;
    ctx.user = &user;
    const std::string html =
        web::render_fragment(req, "activity_form", loa::handlers::activity_form_page(req, f, v.errors, ctx));
    EXPECT_NE(html.find("Hãy nhập tên hoạt động bằng tiếng Việt."), std::string::npos);
    EXPECT_NE(html.find("Thời điểm kết thúc phải sau thời điểm bắt đầu."), std::string::npos);
    EXPECT_NE(html.find("id=\"title_vi-error\""), std::string::npos);
    EXPECT_NE(html.find("value=\"07:00\""), std::string::npos);  // what was typed, not a default
    EXPECT_NE(html.find("value=\"2024-07-03\""), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
    EXPECT_EQ(html.find("<img src=x"), std::string::npos);
    // An editor is offered only their own department.
    EXPECT_NE(html.find("Sở Giáo dục và Đào tạo"), std::string::npos);
    EXPECT_EQ(html.find("Công an thành phố"), std::string::npos);
    // The summary lists the errors in the order of the form: title before the end time.
    EXPECT_LT(html.find("href=\"#title_vi\""), html.find("href=\"#end_time\""));
    // Each named by its field's label, since the summary is away from the fields.
    EXPECT_NE(html.find("href=\"#title_vi\">Tên hoạt động bằng tiếng Việt (bắt buộc): Hãy nhập tên hoạt động bằng tiếng "
                        "Việt.</a>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("href=\"#end_time\">Giờ kết thúc: Thời điểm kết thúc phải sau thời điểm bắt đầu.</a>"),
              std::string::npos);
}

TEST(ActivityForm, ATimeTheClocksSkipIsAFieldErrorNamingTheGap) {
    // A meeting of the foreign affairs department abroad, on the night London's clocks go from
    // 01:00 to 02:00 (the activity's own zone; the campaign's, Vietnam's, has no such night).
    auto c = sample();
    c.period_start = 2025_y / date::March / 1;
    activity_form f = weekly_form();
    f.recurrence = {};
    f.time_zone = "Europe/London";
    f.start_date = f.end_date = "2025-03-30";
    f.start_time = "01:30";
    f.end_time = "03:00";
    auto v = validate_activity_form(f, c);
    ASSERT_EQ(v.errors.size(), 1U) << (v.errors.empty() ? std::string("no error") : v.errors.begin()->first);
    const auto& e = v.errors.at("start_time");
    EXPECT_EQ(e.args, (std::vector<std::pair<std::string, std::string>>{
                          {"zone", "Europe/London"}, {"from", "01:00"}, {"to", "02:00"}}));
    const auto req = page_request("vi");
    const auto user = editor("giao-duc");
    loa::handlers::activity_form_context ctx;
    ctx.campaign = &c;
    ctx.user = &user;
    std::string html = web::render_fragment(req, "activity_form", loa::handlers::activity_form_page(req, f, v.errors, ctx));
    EXPECT_NE(html.find("Giờ này không tồn tại ở múi giờ Europe/London vào ngày đó: khi chuyển sang giờ mùa hè, đồng hồ "
                        "nhảy từ 01:00 lên 02:00. Hãy chọn giờ trước 01:00 hoặc từ 02:00 trở đi."),
              std::string::npos);
    const auto en = page_request("en");
    html = web::render_fragment(en, "activity_form", loa::handlers::activity_form_page(en, f, v.errors, ctx));
    EXPECT_NE(html.find("This time does not exist in Europe/London on that day: the clocks go forward from 01:00 to "
                        "02:00 (daylight saving time). Choose a time before 01:00 or from 02:00 on."),
              std::string::npos);
    // The end in the gap is named on its own field; times around it are fine.
    f.start_time = "00:30";
    f.end_time = "01:45";
    v = validate_activity_form(f, c);
    ASSERT_EQ(v.errors.size(), 1U);
    EXPECT_TRUE(v.errors.contains("end_time"));
    f.end_time = "02:00";
    EXPECT_TRUE(validate_activity_form(f, c).errors.empty());
    // Without its own zone the campaign's applies: Vietnam skips nothing.
    f.time_zone = "";
    f.end_time = "01:45";
    EXPECT_TRUE(validate_activity_form(f, c).errors.empty());
}

TEST(ActivityForm, AZoneSpeltInOtherCaseGetsTheZoneMeant) {
    activity_form f = weekly_form();
    f.time_zone = "europe/london";
    auto v = validate_activity_form(f, sample());
    ASSERT_TRUE(v.errors.contains("time_zone"));
    EXPECT_EQ(v.errors.at("time_zone").msgid, "There is no time zone {typed}: did you mean {zone}?");
    EXPECT_EQ(web::tr("vi", v.errors.at("time_zone").msgid, v.errors.at("time_zone").args),
              "Không có múi giờ europe/london: có phải ý bạn là Europe/London?");
    f.time_zone = "Sao Hỏa";
    v = validate_activity_form(f, sample());
    EXPECT_EQ(v.errors.at("time_zone").msgid, "Enter a time zone such as Asia/Ho_Chi_Minh, or leave it empty.");
}

TEST(ActivityForm, ZonesACampaignFileRefusesAreRefusedWithThePlaceMeant) {
    // What the form saves, `loa export` writes and `loa import` reads back: the same zones are refused.
    activity_form f = weekly_form();
    f.time_zone = "Etc/GMT-7";
    auto v = validate_activity_form(f, sample());
    ASSERT_TRUE(v.errors.contains("time_zone"));
    EXPECT_EQ(web::tr("en", v.errors.at("time_zone").msgid, v.errors.at("time_zone").args),
              "Etc/GMT-7 is UTC+07:00: Etc/GMT names count the other way round. Enter the place instead, such as "
              "Asia/Ho_Chi_Minh (UTC+07:00).");
    f.time_zone = "Etc/GMT+7";  // a person here meant Vietnam by it as well
    v = validate_activity_form(f, sample());
    EXPECT_EQ(web::tr("vi", v.errors.at("time_zone").msgid, v.errors.at("time_zone").args),
              "Etc/GMT+7 là UTC-07:00: tên Etc/GMT mang dấu ngược lại với độ lệch thật. Hãy nhập tên nơi chốn, ví dụ "
              "Asia/Ho_Chi_Minh (UTC+07:00).");
    f.time_zone = "Etc/GMT-1";  // else the place the sign seems to say
    v = validate_activity_form(f, sample());
    const std::string said = web::tr("en", v.errors.at("time_zone").msgid, v.errors.at("time_zone").args);
    EXPECT_TRUE(said.starts_with("Etc/GMT-1 is UTC+01:00: ")) << said;
    EXPECT_TRUE(said.ends_with(" (UTC-01:00).")) << said;
    for (const auto& [typed, name] : {std::pair{"localtime", "localtime"}, std::pair{" localtime ", "localtime"},
                                      std::pair{"posixrules", "posixrules"}, std::pair{"Factory", "Factory"}}) {
        f.time_zone = typed;
        v = validate_activity_form(f, sample());
        ASSERT_TRUE(v.errors.contains("time_zone")) << typed;
        EXPECT_EQ(web::tr("vi", v.errors.at("time_zone").msgid, v.errors.at("time_zone").args),
                  std::string(name) +
                      " là múi giờ riêng của máy chủ, không phải của một nơi nào. Hãy nhập múi giờ của một nơi, ví dụ "
                      "Asia/Ho_Chi_Minh, hoặc để trống.");
    }
    // UTC itself (Etc/GMT) and real places stay fine.
    for (const char* fine : {"Etc/GMT", "Etc/UTC", "UTC", "Europe/Berlin"}) {
        f.time_zone = fine;
        EXPECT_FALSE(validate_activity_form(f, sample()).errors.contains("time_zone")) << fine;
    }
}

TEST(ActivityForm, KindsHaveTranslatedLabels) {
    EXPECT_EQ(loa::handlers::kind_label("press_conference", "en"), "Press conference");
    EXPECT_EQ(loa::handlers::kind_label("press_conference", "vi"), "Họp báo");
    EXPECT_EQ(loa::handlers::kind_label("unknown_kind", "vi"), "unknown_kind");
}

}  // namespace activity_form_test_cpp
}  // namespace
