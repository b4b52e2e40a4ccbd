// A small hand-built campaign (Vietnamese text, a recurring school session, an internal
// inspection, an all-day event, outlets crossing midnight) shared by the JSON API tests.
#pragma once

#include <chrono>
#include <string>

#include <date/date.h>

#include "core/domain/campaign.hpp"

namespace loa::testing {

inline core::local_time at(date::year_month_day day, int hour, int minute = 0) {
    return core::local_time{date::local_days{day}} + std::chrono::hours{hour} + std::chrono::minutes{minute};
}

// Campaign "hp-test-2024" in Asia/Ho_Chi_Minh (+07:00, no DST), 1–31 July 2024.
inline core::campaign api_campaign() {
    using namespace date::literals;
    using std::chrono::minutes;
    core::campaign c;
    c.slug = "hp-test-2024";
    c.title = {"Chiến dịch phòng, chống mua bán người Hải Phòng 2024", "Hai Phong anti-trafficking campaign 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.description = {"Tháng hành động phòng, chống mua bán người.", ""};
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {
        {2024_y / date::July / 30, {"Ngày Thế giới phòng, chống mua bán người", "World Day against Trafficking in Persons"}, 3.0},
        {2024_y / date::July / 1, {"Khai mạc tháng hành động", ""}, 1.5},
    };
    c.audiences = {
        {"children-under-16", {"Trẻ em dưới 16 tuổi", "Children under 16"}},
        {"parents", {"Cha mẹ học sinh", "Parents"}},
        {"border-residents", {"Cư dân vùng biên", ""}},
    };
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"},
                  {"113", {"Cảnh sát", "Police"}, ""}};
    c.departments = {
        {"education", {"Sở Giáo dục và Đào tạo", "Department of Education and Training"},
         {{"Tổ chức tuyên truyền trong trường học", "Hold awareness sessions in schools"}}},
        {"police", {"Công an thành phố", "City Police"},
         {{"Kiểm tra cơ sở kinh doanh dịch vụ nhạy cảm", ""}, {"Tiếp nhận tố giác", "Receive reports"}}},
        {"culture", {"Sở Văn hóa và Thể thao", ""}, {}},
    };

    core::activity school;
    school.id = "school-sessions";
    school.department = "education";
    school.kind = "school_session";
    school.title = {"Buổi ngoại khóa phòng, chống mua bán người", "School session on trafficking"};
    school.start = at(2024_y / date::July / 9, 8);
    school.end = at(2024_y / date::July / 9, 9, 30);
    school.rrule = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6";  // 9, 11, 16, 18, 23, 25 July
    school.location = {"Trường THCS Lê Lợi, quận Hồng Bàng", ""};
    school.audiences = {"children-under-16", "parents"};

    core::activity press;
    press.id = "press-july";
    press.department = "culture";
    press.kind = "press_conference";
    press.title = {"Họp báo tháng hành động", "Press conference"};
    press.description = {"Công bố kế hoạch tháng bảy.", "The July plan."};
    press.start = at(2024_y / date::July / 2, 14);
    press.end = at(2024_y / date::July / 2, 15, 30);

    core::activity fair;
    fair.id = "festival-30-7";
    fair.department = "culture";
    fair.kind = "cultural_event";
    fair.title = {"Ngày hội văn hóa \"Nói không với mua bán người\"", ""};
    fair.all_day = true;
    fair.start = at(2024_y / date::July / 30, 0);
    fair.end = at(2024_y / date::July / 31, 0);

    core::activity raid;
    raid.id = "night-inspection";
    raid.department = "police";
    raid.kind = "inspection";
    raid.title = {"Kiểm tra quán karaoke", "Karaoke bar inspection"};
    raid.start = at(2024_y / date::July / 12, 22);
    raid.end = at(2024_y / date::July / 12, 23, 30);
    raid.vis = core::visibility::internal;

    c.activities = {school, press, fair, raid};

    core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    tv.kind = "tv";
    tv.department = "culture";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi"};
    tv.lead_time_hours = 48;
    tv.dayparts = {
        {"prime", {"Giờ vàng", "Prime time"}, 0x7f, minutes{19 * 60}, minutes{22 * 60}, 3.0},
        {"late", {"Đêm khuya", ""}, 0x60, minutes{22 * 60}, minutes{60}, 1.5},  // sat, sun
    };
    tv.break_clock = {
        {15, std::nullopt, 60, {"prime"}},
        {std::nullopt, minutes{19 * 60 + 45}, 90, {}},
    };

    core::outlet speakers;
    speakers.slug = "loa-phuong";
    speakers.name = {"Hệ thống loa phường", ""};
    speakers.kind = "loudspeaker";
    speakers.time_zone = "Asia/Ho_Chi_Minh";
    speakers.languages = {"vi"};
    speakers.dayparts = {{"morning", {"Buổi sáng", "Morning"}, 0x1f, minutes{6 * 60}, minutes{24 * 60}, 1.0}};

    c.outlets = {tv, speakers};

    core::message m;
    m.id = "hotline-111";
    m.department = "police";
    m.title = {"Đường dây nóng", ""};
    m.text = {"Gọi 111 nếu nghi ngờ có mua bán người.", "Call 111 if you suspect trafficking."};
    m.channels = {"tv", "loudspeaker"};
    m.duration_s = 30;
    m.priority = 8;
    m.flight_start = 2024_y / date::July / 1;
    m.flight_end = 2024_y / date::July / 31;
    m.airings = 20;
    m.audiences = {"parents"};
    c.messages = {m};
    return c;
}

}  // namespace loa::testing
