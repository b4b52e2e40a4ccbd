// A small campaign for the feed tests (feed_store, feed_source): a Hai Phong radio station carrying
// Vietnamese and English, a newspaper, and a Vietnamese-language radio in Berlin (so an outlet whose
// zone changes its offset on 27 October 2024), approved and draft messages, public, internal and
// recurring activities. Header-only: the core and scheduler test binaries both use it.
#pragma once

#include <chrono>
#include <string>

#include <date/date.h>

#include "core/domain/campaign.hpp"
#include "core/storage/plan_store.hpp"

namespace loa::testing {

inline constexpr const char* feed_slug = "haiphong-2024";

inline core::campaign feed_campaign() {
    using namespace std::chrono_literals;
    using namespace date::literals;
    core::campaign c;
    c.slug = feed_slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / date::October / 1;
    c.period_end = 2024_y / date::November / 15;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {{2024_y / date::October / 20, {"Ngày Phụ nữ Việt Nam", "Vietnamese Women's Day"}, 2.0}};
    c.audiences = {{"phu-huynh", {"Phụ huynh", "Parents"}}, {"hoc-sinh", {"Học sinh", "Pupils"}}};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"}};
    c.departments = {{"truyen-thong", {"Sở Thông tin và Truyền thông", "Department of Information"}, {}},
                     {"giao-duc", {"Sở Giáo dục và Đào tạo", "Department of Education"}, {}}};

    core::outlet radio;
    radio.slug = "vov-haiphong";
    radio.name = {"Đài Phát thanh Hải Phòng", "Hai Phong Radio"};
    radio.kind = "radio";
    radio.time_zone = "Asia/Ho_Chi_Minh";
    radio.languages = {"vi", "en"};
    radio.lead_time_hours = 48;
    radio.dayparts = {{"sang", {"Buổi sáng", "Morning"}, 0x7f, 6h, 9h, 3.0},
                      {"toi", {"Giờ vàng buổi tối", "Evening prime time"}, 0x7f, 19h, 22h, 10.0},
                      {"dem", {"Đêm khuya", "Late night"}, 0x7f, 22h, 2h, 1.0}};
    radio.break_clock = {{15, std::nullopt, 120, {}}};

    core::outlet paper;
    paper.slug = "bao-haiphong";
    paper.name = {"Báo Hải Phòng", "Hai Phong Newspaper"};
    paper.kind = "print";
    paper.time_zone = "Asia/Ho_Chi_Minh";
    paper.languages = {"vi"};
    paper.dayparts = {{"ban-ngay", {"Ban ngày", "Daytime"}, 0x7f, 6h, 18h, 1.0}};
    paper.break_clock = {{std::nullopt, 7h, 600, {}}};

    core::outlet berlin;
    berlin.slug = "radio-berlin-vn";
    berlin.name = {"Đài tiếng Việt tại Berlin", "Vietnamese radio in Berlin"};
    berlin.kind = "radio";
    berlin.time_zone = "Europe/Berlin";
    berlin.languages = {};  // none named: Vietnamese
    berlin.dayparts = {{"toi", {"Buổi tối", "Evening"}, 0x7f, 18h, 21h, 5.0},
                       {"trua", {"Buổi trưa", "Noon"}, 0x7f, 12h, 13h, 2.0}};
    berlin.break_clock = {{30, std::nullopt, 120, {}}};
    c.outlets = {radio, paper, berlin};

    core::message spot;
    spot.id = "spot-111";
    spot.department = "truyen-thong";
    spot.title = {"Gọi 111", "Call 111"};
    spot.text = {"Hãy gọi 111 khi thấy dấu hiệu mua bán người.", "Call 111 if you see signs of trafficking."};
    spot.channels = {"radio", "print"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = c.period_start;
    spot.flight_end = c.period_end;
    spot.airings = 10;
    spot.audiences = {"phu-huynh", "hoc-sinh"};
    spot.state = "approved";

    core::message school = spot;
    school.id = "truong-hoc";
    school.department = "giao-duc";
    school.title = {"Ở trường", ""};
    school.text = {"Không đi theo người lạ, kể cả khi được cho kẹo.", ""};
    school.channels = {"radio"};
    school.audiences = {"hoc-sinh"};

    core::message draft = spot;
    draft.id = "ban-nhap";
    draft.title = {"Bản nháp", ""};
    draft.text = {"Nội dung chưa duyệt.", ""};
    draft.state = "draft";
    c.messages = {spot, school, draft};

    core::activity press;
    press.id = "hop-bao";
    press.department = "truyen-thong";
    press.kind = "press_conference";
    press.title = {"Họp báo phát động tháng hành động", "Launch press conference"};
    press.description = {"Công bố kế hoạch; hỏi đáp với phóng viên.", ""};
    press.start = date::local_days{2024_y / date::October / 2} + 9h;
    press.end = date::local_days{2024_y / date::October / 2} + 10h + 30min;
    press.location = {"Nhà hát Thành phố, Hải Phòng", "Hai Phong Opera House"};
    press.audiences = {"phu-huynh"};

    core::activity weekly = press;
    weekly.id = "sinh-hoat-tuan";
    weekly.kind = "school_session";
    weekly.department = "giao-duc";
    weekly.title = {"Sinh hoạt dưới cờ hằng tuần", "Weekly school assembly"};
    weekly.start = date::local_days{2024_y / date::October / 7} + 7h;
    weekly.end = date::local_days{2024_y / date::October / 7} + 7h + 45min;
    weekly.rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=6";
    weekly.audiences = {"hoc-sinh"};

    core::activity abroad = press;
    abroad.id = "gap-go-berlin";
    abroad.kind = "outreach";
    abroad.title = {"Gặp gỡ cộng đồng tại Berlin", "Community meeting in Berlin"};
    abroad.time_zone = "Europe/Berlin";
    abroad.start = date::local_days{2024_y / date::October / 27} + 15h;
    abroad.end = date::local_days{2024_y / date::October / 27} + 17h;
    abroad.location = {"Đồng Xuân Center, Berlin", ""};

    core::activity internal = press;
    internal.id = "hop-noi-bo";
    internal.kind = "meeting";
    internal.title = {"Họp nội bộ ban chỉ đạo", "Steering committee meeting"};
    internal.vis = core::visibility::internal;

    core::activity fair = press;
    fair.id = "ngay-hoi";
    fair.kind = "cultural_event";
    fair.title = {"Ngày hội an toàn cho trẻ em", "Child safety fair"};
    fair.all_day = true;
    fair.start = date::local_days{2024_y / date::October / 20};
    fair.end = date::local_days{2024_y / date::October / 21};
    c.activities = {press, weekly, abroad, internal, fair};
    return c;
}

inline core::new_placement feed_placement(const std::string& message, const std::string& outlet,
                                          std::chrono::sys_seconds start, const std::string& daypart) {
    core::new_placement p;
    p.message = message;
    p.outlet = outlet;
    p.start = start;
    p.duration_s = 30;
    p.daypart = daypart;
    p.weight = 1.0;
    p.value = 8.0;
    return p;
}

inline core::plan_run feed_run() {
    core::plan_run r;
    r.campaign = feed_slug;
    r.range_from = "2024-10-01";
    r.range_to = "2024-11-15";
    r.as_of = "2024-09-25T00:00:00Z";
    r.report_json = "{}";
    return r;
}

}  // namespace loa::testing
