// Feed models for the renderer tests and the parser checks (tests/feeds/feed_samples.cpp): Vietnamese
// text with diacritics, hostile text, a moved and a cancelled placement, a missed one and its make-good, an outlet abroad whose zone
// has DST (Europe/Berlin, across the change of 27 October 2024), all-day and recurring activities.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

#include <date/date.h>

#include "scheduler/feeds/feed.hpp"

namespace loa::tests::feeds {

namespace f = loa::scheduler::feeds;
using namespace std::chrono_literals;

inline std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int h, int min = 0) {
    return std::chrono::sys_seconds{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min};
}

inline core::local_time wall(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return core::local_time{date::local_days{date::year{y} / date::month{m} / date::day{d}}} +
           std::chrono::hours{h} + std::chrono::minutes{min};
}

// Text nobody should trust: markup, a CDATA end, entities, quotes and control characters (U+0001,
// U+000B, U+007F, U+0085 and U+FFFE are not allowed in XML 1.0 or in iCalendar TEXT and must vanish).
inline const std::string hostile_title =
    "<script>alert(\"x\")</script> ]]> & 'nháy' \"kép\" \\ ; , \x01\x0b\x7f\xc2\x85\xef\xbf\xbe<b>đậm</b>";

// 200 Vietnamese letters with diacritics (two or three octets each) on one line: folding must never
// cut one in two.
inline std::string long_vietnamese_line() {
    const std::string word = "Điều";  // 4 characters
    std::string out;
    for (int i = 0; i < 40; ++i) out += word + "ệ";  // 5 characters each: 200
    return out;
}

inline const std::string anti_trafficking_vi =
    "Phòng, chống mua bán người — Hải Phòng 2024";
inline const std::string anti_trafficking_en = "Anti-trafficking campaign — Hai Phong 2024";

inline f::schedule_item base_item() {
    f::schedule_item it;
    it.campaign_slug = "haiphong-2024-anti-trafficking";
    it.campaign_title = {anti_trafficking_vi, anti_trafficking_en};
    it.department = "police";
    it.department_name = {"Công an thành phố Hải Phòng", "Hai Phong City Police"};
    it.audiences = {{"youth-16-30", {"Thanh niên 16–30 tuổi", "Young people aged 16–30"}}, {"parents", {"Phụ huynh", "Parents"}}};
    it.duration_s = 30;
    it.time_zone = "Asia/Ho_Chi_Minh";
    it.state = "planned";
    it.channel = "radio";
    return it;
}

// VOV Hải Phòng: four placements around Monday 29 July 2024.
inline f::outlet_feed haiphong_schedule() {
    f::outlet_feed feed;
    feed.outlet_slug = "vov-haiphong";
    feed.outlet_name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    feed.outlet_kind = "radio";
    feed.time_zone = "Asia/Ho_Chi_Minh";
    feed.languages = {"vi", "en"};
    feed.window_from = utc(2024, 7, 28, 5);
    feed.window_to = utc(2024, 8, 4, 5);
    feed.links = {"https://loa.example/feeds/outlets/vov-haiphong/schedule.atom",
                  "https://loa.example/campaigns/haiphong-2024-anti-trafficking", "https://loa.example"};

    f::schedule_item prime = base_item();
    prime.placement_id = 101;
    prime.message_code = "radio-spot-jobs";
    prime.message_title = {"Cảnh giác với lời mời việc nhẹ lương cao", "Beware of easy, well-paid job offers"};
    prime.start = utc(2024, 7, 29, 12);  // 19:00 in Hải Phòng
    prime.daypart = "evening-news";
    prime.daypart_name = {"Thời sự tối", "Evening news"};
    prime.prime = true;
    prime.updated = utc(2024, 7, 20, 3);
    prime.material = {{"vi", "Bạn nhận được lời mời việc nhẹ lương cao ở nước ngoài? Hãy gọi đường dây nóng 111 "
                             "trước khi đi. Đừng giao giấy tờ tùy thân cho người lạ."},
                      {"en", "Offered an easy, well-paid job abroad? Call the 111 hotline before you go."}};

    f::schedule_item moved = base_item();
    moved.placement_id = 102;
    moved.message_code = "radio-spot-hotline";
    moved.message_title = {"Đường dây nóng 111 — gọi ngay khi nghi ngờ", "Hotline 111 — call when in doubt"};
    moved.start = utc(2024, 7, 30, 0, 15);  // 07:15 Tuesday, moved there from Monday
    moved.daypart = "morning";
    moved.daypart_name = {"Buổi sáng", "Morning"};
    moved.sequence = 2;
    moved.moved = true;
    moved.updated = utc(2024, 7, 28, 9, 30);
    moved.material = {{"vi", "Gọi 111, miễn phí, 24/7."}, {"en", "Call 111, free, 24/7."}};

    f::schedule_item cancelled = base_item();
    cancelled.placement_id = 103;
    cancelled.message_code = "radio-spot-school";
    cancelled.message_title = {"Học sinh nói không với người lạ", "Pupils say no to strangers"};
    cancelled.start = utc(2024, 7, 30, 10);
    cancelled.state = "cancelled";
    cancelled.sequence = 1;
    cancelled.updated = utc(2024, 7, 28, 10);
    cancelled.material = {{"vi", "Nội dung đã rút."}};

    f::schedule_item hostile = base_item();
    hostile.placement_id = 104;
    hostile.message_code = "radio-spot-hostile";
    hostile.message_title = {hostile_title, ""};
    hostile.start = utc(2024, 7, 31, 13, 30);
    hostile.duration_s = 95;
    hostile.updated = utc(2024, 7, 27, 8);
    hostile.audiences.push_back({"lao-dong-tu-do", {"Người lao động; tự do, \"thời vụ\"", ""}});
    hostile.material = {{"vi", hostile_title + "\r\nDòng hai\rDòng ba\n" + long_vietnamese_line()},
                        {"en", "Line one\nLine <two> & ]]>"}};

    // A make-good for an airing the outlet reported missed (both in the window).
    f::schedule_item missed = base_item();
    missed.placement_id = 105;
    missed.message_code = "radio-spot-hotline";
    missed.message_title = moved.message_title;
    missed.start = utc(2024, 7, 31, 23, 30);  // 06:30 Thursday 1 August
    missed.state = "missed";
    missed.updated = utc(2024, 8, 1, 2);
    missed.material = moved.material;
    f::schedule_item make_good = missed;
    make_good.placement_id = 106;
    make_good.start = utc(2024, 8, 2, 0, 30);  // 07:30 Friday
    make_good.state = "planned";
    make_good.make_good_of = 105;
    make_good.make_good_of_start = missed.start;
    make_good.updated = utc(2024, 8, 1, 3);

    feed.items = {prime, moved, cancelled, hostile, missed, make_good};
    std::sort(feed.items.begin(), feed.items.end(),
              [](const auto& a, const auto& b) { return a.start < b.start || (a.start == b.start && a.placement_id < b.placement_id); });
    feed.updated = utc(2024, 8, 1, 3);  // the newest item's (the make-good)
    return feed;
}

// A Vietnamese-language programme abroad: Europe/Berlin, English first, airings either side of the
// end of summer time (Sunday 27 October 2024, 03:00 CEST → 02:00 CET).
inline f::outlet_feed berlin_schedule() {
    f::outlet_feed feed;
    feed.outlet_slug = "vtv4-europe";
    feed.outlet_name = {"VTV4 châu Âu", "VTV4 Europe"};
    feed.outlet_kind = "tv";
    feed.time_zone = "Europe/Berlin";
    feed.languages = {"en", "vi"};
    feed.window_from = utc(2024, 10, 25, 22);
    feed.window_to = utc(2024, 11, 1, 22);
    feed.links = {"https://loa.example/feeds/outlets/vtv4-europe/schedule.atom",
                  "https://loa.example/campaigns/haiphong-2024-anti-trafficking", "https://loa.example"};
    f::schedule_item summer = base_item();
    summer.placement_id = 201;
    summer.message_code = "tv-spot-abroad";
    summer.message_title = {"Người Việt ở nước ngoài: cảnh giác với môi giới", "Vietnamese abroad: beware of brokers"};
    summer.time_zone = "Europe/Berlin";
    summer.start = utc(2024, 10, 26, 18);  // 20:00 CEST (+02:00)
    summer.channel = "tv";
    summer.updated = utc(2024, 10, 20, 9);
    summer.material = {{"en", "Vietnamese abroad: call +84 111 if a broker keeps your passport."},
                       {"vi", "Người Việt ở nước ngoài: gọi +84 111 nếu môi giới giữ hộ chiếu của bạn."}};
    f::schedule_item winter = summer;
    winter.placement_id = 202;
    winter.start = utc(2024, 10, 27, 19);  // 20:00 CET (+01:00)
    feed.items = {summer, winter};
    feed.updated = utc(2024, 10, 20, 9);
    return feed;
}

inline f::campaign_news haiphong_news() {
    f::campaign_news news;
    news.campaign_slug = "haiphong-2024-anti-trafficking";
    news.title = {anti_trafficking_vi, anti_trafficking_en};
    news.theme = {"Không để ai bị mua bán", "Leave no one to traffickers"};
    news.links = {"https://loa.example/feeds/campaigns/haiphong-2024-anti-trafficking/news.atom",
                  "https://loa.example/campaigns/haiphong-2024-anti-trafficking", "https://loa.example"};
    f::news_item press;
    press.message_code = "press-release-launch";
    press.title = {"Thông cáo báo chí: phát động tháng hành động phòng, chống mua bán người",
                   "Press release: the month of action against trafficking begins"};
    press.department = "police";
    press.department_name = {"Công an thành phố Hải Phòng", "Hai Phong City Police"};
    press.audiences = {{"press", {"Báo chí", "Press"}}};
    press.channel = "print";
    press.content = {{"vi", "Ngày 30/7, Ủy ban nhân dân thành phố Hải Phòng phát động tháng hành động."},
                     {"en", "On 30 July, the Hai Phong People's Committee launches the month of action."}};
    press.flight_start = date::year{2024} / 7 / 25;
    press.flight_end = date::year{2024} / 8 / 30;
    press.published = utc(2024, 7, 20, 2);
    press.updated = utc(2024, 7, 22, 4);
    f::news_item hostile;
    hostile.message_code = "online-hostile";
    hostile.title = {hostile_title, ""};
    hostile.department = "education";
    hostile.department_name = {"Sở Giáo dục và Đào tạo", "Department of Education and Training"};
    hostile.channel = "online";
    hostile.content = {{"vi", hostile_title + "\n" + long_vietnamese_line()}};
    hostile.flight_start = date::year{2024} / 7 / 28;
    hostile.flight_end = date::year{2024} / 8 / 5;
    hostile.published = utc(2024, 7, 21, 2);
    hostile.updated = utc(2024, 7, 21, 2);
    news.items = {press, hostile};  // newest `updated` first
    news.updated = utc(2024, 7, 22, 4);
    return news;
}

inline f::campaign_events haiphong_events() {
    f::campaign_events ev;
    ev.campaign_slug = "haiphong-2024-anti-trafficking";
    ev.title = {anti_trafficking_vi, anti_trafficking_en};
    ev.time_zone = "Asia/Ho_Chi_Minh";
    ev.links = {"https://loa.example/feeds/campaigns/haiphong-2024-anti-trafficking/events.ics",
                "https://loa.example/campaigns/haiphong-2024-anti-trafficking", "https://loa.example"};
    f::event_item press;
    press.activity_id = "press-conference-launch";
    press.title = {"Họp báo phát động tháng hành động", "Press conference: launch"};
    press.description = {"Lãnh đạo thành phố trả lời câu hỏi của báo chí.", "City leaders answer the press."};
    press.location = {"Hội trường Ủy ban nhân dân thành phố, số 18 Hoàng Diệu; quận Hồng Bàng", "City Hall"};
    press.department = "police";
    press.department_name = {"Công an thành phố Hải Phòng", "Hai Phong City Police"};
    press.audiences = {{"press", {"Báo chí", "Press"}}};
    press.start = wall(2024, 7, 30, 9);
    press.end = wall(2024, 7, 30, 11);
    press.time_zone = "Asia/Ho_Chi_Minh";
    press.updated = utc(2024, 7, 20, 2);

    f::event_item day = press;
    day.activity_id = "world-day";
    day.title = {"Ngày thế giới phòng, chống mua bán người", "World Day against Trafficking in Persons"};
    day.description = {"Cả ngày: treo băng rôn, phát tờ rơi.", "All day: banners and leaflets."};
    day.location = {"Toàn thành phố", "City-wide"};
    day.all_day = true;
    day.start = wall(2024, 7, 30);
    day.end = wall(2024, 7, 31);

    f::event_item school = press;
    school.activity_id = "school-sessions";
    school.title = {"Buổi ngoại khóa ở trường THPT Ngô Quyền", "Sessions at Ngo Quyen high school"};
    school.description = {"Hai buổi mỗi tuần, thứ Ba và thứ Năm.", "Twice a week."};
    school.location = {"Trường THPT Ngô Quyền, phố Lạch Tray", ""};
    school.department = "education";
    school.department_name = {"Sở Giáo dục và Đào tạo", "Department of Education and Training"};
    school.audiences = {{"pupils", {"Học sinh", "Pupils"}}};
    school.start = wall(2024, 7, 30, 14);
    school.end = wall(2024, 7, 30, 15, 30);
    school.rrule = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8";

    f::event_item cancelled = press;
    cancelled.activity_id = "concert";
    cancelled.title = {"Đêm nhạc “Hãy lên tiếng”", "Concert “Speak up”"};
    cancelled.start = wall(2024, 8, 2, 19, 30);
    cancelled.end = wall(2024, 8, 2, 22);
    cancelled.cancelled = true;
    cancelled.sequence = 3;
    cancelled.updated = utc(2024, 7, 29, 8);

    f::event_item berlin = press;
    berlin.activity_id = "berlin-community";
    berlin.title = {"Gặp gỡ cộng đồng người Việt tại Berlin", "Meeting the Vietnamese community in Berlin"};
    berlin.description = {hostile_title + "\n" + long_vietnamese_line(), ""};
    berlin.location = {"Đồng Xuân Center, Herzbergstraße 128–139, Berlin", ""};
    berlin.time_zone = "Europe/Berlin";
    berlin.start = wall(2024, 10, 19, 18);
    berlin.end = wall(2024, 10, 19, 20);
    berlin.rrule = "FREQ=WEEKLY;COUNT=3";  // 19 Oct (CEST), 26 Oct (CEST), 2 Nov (CET)

    ev.items = {press, day, school, cancelled, berlin};
    std::sort(ev.items.begin(), ev.items.end(), [](const auto& a, const auto& b) {
        return a.start < b.start || (a.start == b.start && a.activity_id < b.activity_id);
    });
    return ev;
}

}  // namespace loa::tests::feeds
