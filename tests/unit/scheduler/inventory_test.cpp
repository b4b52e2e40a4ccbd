// The planner's inventory with real tzdata: Hai Phong's breaks from the shipped campaign file (a late
// daypart crossing midnight, key-date weights, prime flags), a Berlin outlet across both 2024 DST
// changes, blackouts, break rules limited to dayparts, eligible outlets, stored placements and
// archived messages, and the default range.
#include "scheduler/planner/inventory.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/time/zone.hpp"

namespace {
namespace inventory_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::find_zone;
using loa::core::format_iso8601;
namespace core = loa::core;
namespace planner = loa::scheduler::planner;

constexpr const char* hai_phong = "Asia/Ho_Chi_Minh";

planner::instant utc(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::sys_days{d} + tod;
}

const core::campaign& shipped() {
    static const core::campaign c = [] {
        auto r = core::load_campaign_file(LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml");
        if (!r.value) throw std::runtime_error("the shipped campaign does not load");
        return *r.value;
    }();
    return c;
}

int outlet_of(const planner::instance& in, const std::string& slug) {
    for (std::size_t i = 0; i < in.outlets.size(); ++i) {
        if (in.outlets[i].slug == slug) return static_cast<int>(i);
    }
    return -1;
}

// The outlet's breaks as "local time with offset daypart" lines, in slot order.
std::vector<std::string> breaks(const planner::instance& in, const std::string& slug) {
    const int o = outlet_of(in, slug);
    std::vector<std::string> out;
    const auto* zone = find_zone(in.outlets.at(static_cast<std::size_t>(o)).time_zone);
    for (const auto& s : in.slots) {
        if (s.outlet != o) continue;
        out.push_back(
            format_iso8601(s.start, zone) + " " +
            in.outlets[static_cast<std::size_t>(o)].dayparts[static_cast<std::size_t>(s.daypart)].code);
    }
    return out;
}

const planner::slot* slot_at(const planner::instance& in, const std::string& slug, planner::instant t) {
    const int o = outlet_of(in, slug);
    for (const auto& s : in.slots) {
        if (s.outlet == o && s.start == t) return &s;
    }
    return nullptr;
}

planner::plan_range days(date::year_month_day from, date::year_month_day to) {
    return {from, to};
}

TEST(inventory, hai_phong_tv_day_with_the_late_daypart_crossing_midnight) {
    const auto in =
        planner::build_instance(shipped(), {}, utc(2024_y / 7 / 1), days(2024_y / 7 / 30, 2024_y / 7 / 30));
    const auto tv = breaks(in, "thp-tv");
    // 00:15 belongs to the 22:00–00:30 daypart that started on the 29th; it airs on the 30th.
    const std::vector<std::string> expected = {
        "2024-07-30T00:15:00+07:00 late",          "2024-07-30T06:15:00+07:00 morning",
        "2024-07-30T06:45:00+07:00 morning",       "2024-07-30T07:15:00+07:00 morning",
        "2024-07-30T07:45:00+07:00 morning",       "2024-07-30T11:15:00+07:00 midday",
        "2024-07-30T11:45:00+07:00 midday",        "2024-07-30T12:15:00+07:00 midday",
        "2024-07-30T12:45:00+07:00 midday",        "2024-07-30T17:15:00+07:00 early-evening",
        "2024-07-30T17:45:00+07:00 early-evening", "2024-07-30T18:15:00+07:00 early-evening",
        "2024-07-30T18:45:00+07:00 early-evening", "2024-07-30T19:15:00+07:00 prime",
        "2024-07-30T19:45:00+07:00 prime",         "2024-07-30T20:15:00+07:00 prime",
        "2024-07-30T20:45:00+07:00 prime",         "2024-07-30T21:15:00+07:00 prime",
        "2024-07-30T21:45:00+07:00 prime",         "2024-07-30T22:15:00+07:00 late",
        "2024-07-30T22:45:00+07:00 late",          "2024-07-30T23:15:00+07:00 late",
        "2024-07-30T23:45:00+07:00 late",
    };
    EXPECT_EQ(tv, expected);

    // The 00:15 break: its instant, date, capacity and weights.
    const auto* s = slot_at(in, "thp-tv", utc(2024_y / 7 / 29, 17h + 15min));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->date, date::sys_days{2024_y / 7 / 30});
    EXPECT_EQ(s->local_start, date::local_days{2024_y / 7 / 30} + 15min);
    EXPECT_EQ(s->capacity_s, 120);
    EXPECT_DOUBLE_EQ(s->date_weight, 3.0);  // 30 July
    EXPECT_FALSE(s->blacked_out);

    // Prime time is the highest weight: only "prime" on the TV channel, "morning-drive" on radio.
    const auto& tv_info = in.outlets[static_cast<std::size_t>(outlet_of(in, "thp-tv"))];
    for (const auto& dp : tv_info.dayparts) EXPECT_EQ(dp.prime, dp.code == "prime") << dp.code;
    const auto& radio = in.outlets[static_cast<std::size_t>(outlet_of(in, "thp-radio"))];
    for (const auto& dp : radio.dayparts) EXPECT_EQ(dp.prime, dp.code == "morning-drive") << dp.code;
    EXPECT_EQ(tv_info.time_zone, hai_phong);
    EXPECT_EQ(tv_info.lead_time_hours, 72);
}

TEST(inventory, key_dates_weight_the_date_a_break_airs_on) {
    const auto in =
        planner::build_instance(shipped(), {}, utc(2024_y / 7 / 1), days(2024_y / 7 / 27, 2024_y / 7 / 31));
    // 00:15 on the 30th (from the 29th's late daypart) weighs as the 30th; 00:15 on the 31st as a
    // plain day, though its daypart began on the 30th.
    EXPECT_DOUBLE_EQ(slot_at(in, "thp-tv", utc(2024_y / 7 / 29, 17h + 15min))->date_weight, 3.0);
    EXPECT_DOUBLE_EQ(slot_at(in, "thp-tv", utc(2024_y / 7 / 30, 17h + 15min))->date_weight, 1.0);
    EXPECT_DOUBLE_EQ(slot_at(in, "thp-tv", utc(2024_y / 7 / 28, 12h + 15min))->date_weight, 1.5);
    EXPECT_DOUBLE_EQ(slot_at(in, "thp-tv", utc(2024_y / 7 / 29, 12h + 15min))->date_weight, 2.0);
    EXPECT_DOUBLE_EQ(slot_at(in, "thp-tv", utc(2024_y / 7 / 27, 12h + 15min))->date_weight, 1.0);
    // The first day's 00:15 comes from the day before the range; nothing before the range is a slot.
    EXPECT_NE(slot_at(in, "thp-tv", utc(2024_y / 7 / 26, 17h + 15min)), nullptr);
    for (const auto& s : in.slots) {
        EXPECT_GE(s.date, date::sys_days{2024_y / 7 / 27});
        EXPECT_LE(s.date, date::sys_days{2024_y / 7 / 31});
    }
    EXPECT_EQ(in.first_day, date::sys_days{2024_y / 7 / 27});
    EXPECT_EQ(in.last_day, date::sys_days{2024_y / 7 / 31});
}

TEST(inventory, slots_sorted_unique_and_daily_rules_limited_to_their_dayparts) {
    const auto in =
        planner::build_instance(shipped(), {}, utc(2024_y / 7 / 1), days(2024_y / 7 / 1, 2024_y / 7 / 31));
    for (std::size_t i = 1; i < in.slots.size(); ++i) {
        const auto& a = in.slots[i - 1];
        const auto& b = in.slots[i];
        EXPECT_TRUE(a.outlet < b.outlet || (a.outlet == b.outlet && a.start < b.start)) << i;
    }
    // The online paper: one featured slot per daypart, at its own time.
    const std::vector<std::string> online_first_day = {"2024-07-01T06:30:00+07:00 morning",
                                                       "2024-07-01T12:00:00+07:00 lunch",
                                                       "2024-07-01T20:00:00+07:00 evening"};
    auto online = breaks(in, "bao-hai-phong-online");
    ASSERT_EQ(online.size(), 31u * 3u);
    online.resize(3);
    EXPECT_EQ(online, online_first_day);
    // Print has no break clock, so no breaks.
    EXPECT_TRUE(breaks(in, "bao-hai-phong-print").empty());
    // Kiến An: the morning daypart runs on weekdays only (6 July 2024 was a Saturday).
    const auto kien_an = breaks(in, "loa-kien-an");
    EXPECT_NE(std::find(kien_an.begin(), kien_an.end(), "2024-07-05T06:00:00+07:00 morning"), kien_an.end());
    EXPECT_EQ(std::find(kien_an.begin(), kien_an.end(), "2024-07-06T06:00:00+07:00 morning"), kien_an.end());
    EXPECT_NE(std::find(kien_an.begin(), kien_an.end(), "2024-07-06T17:00:00+07:00 afternoon"),
              kien_an.end());
    EXPECT_EQ(in.now, utc(2024_y / 7 / 1));
    EXPECT_TRUE(in.separate_departments);
}

// A Vietnamese community radio in Berlin, across the 2024 DST changes.
core::campaign berlin_campaign() {
    core::campaign c;
    c.slug = "viet-berlin-2024";
    c.title = {"Phòng, chống mua bán người – cộng đồng người Việt tại Berlin", ""};
    c.theme = {"Không để ai bị bỏ lại phía sau", ""};
    c.period_start = 2024_y / 3 / 1;
    c.period_end = 2024_y / 10 / 31;
    c.time_zone = "Europe/Berlin";
    c.departments = {{"cong-dong", {"Hội người Việt tại Berlin", ""}, {}}};
    core::outlet radio;
    radio.slug = "radio-viet-berlin";
    radio.name = {"Đài phát thanh cộng đồng người Việt Berlin", ""};
    radio.kind = "radio";
    radio.department = "cong-dong";
    radio.time_zone = "Europe/Berlin";
    radio.languages = {"vi", "en"};
    radio.dayparts = {{"night", {"Đêm khuya", "Late night"}, 0x7f, 22h, 4h, 1.0},
                      {"prime", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 10.0}};
    radio.break_clock = {{30, std::nullopt, 60, {}}};
    c.outlets = {radio};
    return c;
}

TEST(inventory, berlin_spring_forward_skips_the_missing_hour) {
    const auto in = planner::build_instance(berlin_campaign(), {}, utc(2024_y / 3 / 1),
                                            days(2024_y / 3 / 31, 2024_y / 3 / 31));
    // 31 March 2024: 02:00 CET became 03:00 CEST, so 02:30 never happened.
    const std::vector<std::string> expected = {
        "2024-03-31T00:30:00+01:00 night", "2024-03-31T01:30:00+01:00 night",
        "2024-03-31T03:30:00+02:00 night", "2024-03-31T19:30:00+02:00 prime",
        "2024-03-31T20:30:00+02:00 prime", "2024-03-31T21:30:00+02:00 prime",
        "2024-03-31T22:30:00+02:00 night", "2024-03-31T23:30:00+02:00 night",
    };
    EXPECT_EQ(breaks(in, "radio-viet-berlin"), expected);
    // The UTC instants: 01:30 CET = 00:30Z, 03:30 CEST = 01:30Z, 19:30 CEST = 17:30Z.
    EXPECT_NE(slot_at(in, "radio-viet-berlin", utc(2024_y / 3 / 31, 30min)), nullptr);
    EXPECT_NE(slot_at(in, "radio-viet-berlin", utc(2024_y / 3 / 31, 1h + 30min)), nullptr);
    EXPECT_NE(slot_at(in, "radio-viet-berlin", utc(2024_y / 3 / 31, 17h + 30min)), nullptr);
    EXPECT_EQ(in.slots.size(), expected.size());
}

TEST(inventory, berlin_fall_back_gives_the_repeated_time_once_at_the_earlier_instant) {
    const auto in = planner::build_instance(berlin_campaign(), {}, utc(2024_y / 10 / 1),
                                            days(2024_y / 10 / 26, 2024_y / 10 / 27));
    // 27 October 2024: 03:00 CEST became 02:00 CET; 02:30 happened twice and is one break.
    const std::vector<std::string> expected = {
        "2024-10-26T00:30:00+02:00 night", "2024-10-26T01:30:00+02:00 night",
        "2024-10-26T02:30:00+02:00 night", "2024-10-26T03:30:00+02:00 night",
        "2024-10-26T19:30:00+02:00 prime", "2024-10-26T20:30:00+02:00 prime",
        "2024-10-26T21:30:00+02:00 prime", "2024-10-26T22:30:00+02:00 night",
        "2024-10-26T23:30:00+02:00 night", "2024-10-27T00:30:00+02:00 night",
        "2024-10-27T01:30:00+02:00 night", "2024-10-27T02:30:00+02:00 night",
        "2024-10-27T03:30:00+01:00 night", "2024-10-27T19:30:00+01:00 prime",
        "2024-10-27T20:30:00+01:00 prime", "2024-10-27T21:30:00+01:00 prime",
        "2024-10-27T22:30:00+01:00 night", "2024-10-27T23:30:00+01:00 night",
    };
    EXPECT_EQ(breaks(in, "radio-viet-berlin"), expected);
    const auto* repeated = slot_at(in, "radio-viet-berlin", utc(2024_y / 10 / 27, 30min));  // the CEST 02:30
    ASSERT_NE(repeated, nullptr);
    EXPECT_EQ(repeated->local_start, date::local_days{2024_y / 10 / 27} + 2h + 30min);
    EXPECT_EQ(repeated->date, date::sys_days{2024_y / 10 / 27});
    EXPECT_EQ(slot_at(in, "radio-viet-berlin", utc(2024_y / 10 / 27, 1h + 30min)), nullptr);  // no CET 02:30
    // 19:30 CET is 18:30Z after the change, 17:30Z the day before.
    EXPECT_NE(slot_at(in, "radio-viet-berlin", utc(2024_y / 10 / 27, 18h + 30min)), nullptr);
    EXPECT_NE(slot_at(in, "radio-viet-berlin", utc(2024_y / 10 / 26, 17h + 30min)), nullptr);
    // Prime: the 10-weight daypart only.
    EXPECT_FALSE(in.outlets[0].dayparts[0].prime);
    EXPECT_TRUE(in.outlets[0].dayparts[1].prime);
}

TEST(inventory, blackouts_flag_their_breaks_in_the_outlets_zone) {
    auto c = berlin_campaign();
    // A live broadcast of a community event, 19:00–21:00 Berlin time (end exclusive), and a
    // transmitter outage across the October fall-back hour.
    c.outlets[0].blackouts = {
        {date::local_days{2024_y / 10 / 26} + 19h,
         date::local_days{2024_y / 10 / 26} + 21h,
         {"Truyền hình trực tiếp Tết Trung thu", "Live: Mid-Autumn festival"}},
        {date::local_days{2024_y / 10 / 27} + 2h,
         date::local_days{2024_y / 10 / 27} + 3h,
         {"Bảo trì máy phát", ""}},
    };
    const auto in =
        planner::build_instance(c, {}, utc(2024_y / 10 / 1), days(2024_y / 10 / 26, 2024_y / 10 / 27));
    std::vector<std::string> dark;
    const auto* zone = find_zone("Europe/Berlin");
    for (const auto& s : in.slots) {
        if (s.blacked_out) dark.push_back(format_iso8601(s.start, zone));
    }
    const std::vector<std::string> expected = {"2024-10-26T19:30:00+02:00", "2024-10-26T20:30:00+02:00",
                                               "2024-10-27T02:30:00+02:00"};
    EXPECT_EQ(dark, expected);
    EXPECT_EQ(in.slots.size(), 18u);  // flagged, not removed
}

TEST(inventory, overlapping_dayparts_take_the_highest_weight_and_rules_their_dayparts) {
    auto c = berlin_campaign();
    auto& o = c.outlets[0];
    // The evening news sits inside prime time and weighs more; a long daily break only in the news.
    o.dayparts.push_back({"news", {"Thời sự", "News"}, 0x7f, 20h, 20h + 45min, 12.0});
    o.break_clock.push_back({std::nullopt, 20h + 30min, 180, {"news"}});
    o.break_clock.push_back({std::nullopt, 12h, 90, {"news"}});  // outside the news: no break
    const auto in =
        planner::build_instance(c, {}, utc(2024_y / 7 / 1), days(2024_y / 7 / 30, 2024_y / 7 / 30));
    const auto* s = slot_at(in, "radio-viet-berlin", utc(2024_y / 7 / 30, 18h + 30min));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(in.outlets[0].dayparts[static_cast<std::size_t>(s->daypart)].code, "news");
    EXPECT_EQ(s->capacity_s, 180);  // the longest of the two rules at 20:30
    EXPECT_EQ(slot_at(in, "radio-viet-berlin", utc(2024_y / 7 / 30, 10h)), nullptr);
    EXPECT_TRUE(in.outlets[0].dayparts[2].prime);
    EXPECT_FALSE(in.outlets[0].dayparts[1].prime);
}

TEST(inventory, lines_with_eligible_outlets_by_channel_and_outlet_list) {
    const auto& c = shipped();
    const auto in = planner::build_instance(c, {}, utc(2024_y / 7 / 1), planner::default_range(c));
    ASSERT_EQ(in.lines.size(), c.messages.size());
    for (std::size_t i = 0; i < c.messages.size(); ++i) {
        const auto& m = c.messages[i];
        const auto& l = in.lines[i];
        EXPECT_EQ(l.message, m.id);
        EXPECT_EQ(l.department, m.department);
        EXPECT_EQ(l.approved, m.state == "approved");
        EXPECT_EQ(l.priority, m.priority);
        EXPECT_EQ(l.duration_s, m.duration_s);
        EXPECT_EQ(l.flight_first, date::sys_days{m.flight_start});
        EXPECT_EQ(l.flight_last, date::sys_days{m.flight_end});
        for (std::size_t o = 0; o < c.outlets.size(); ++o) {
            const bool by_channel =
                std::find(m.channels.begin(), m.channels.end(), c.outlets[o].kind) != m.channels.end();
            const bool listed = m.outlets.empty() || std::find(m.outlets.begin(), m.outlets.end(),
                                                               c.outlets[o].slug) != m.outlets.end();
            const bool eligible =
                std::find(l.outlets.begin(), l.outlets.end(), static_cast<int>(o)) != l.outlets.end();
            EXPECT_EQ(eligible, by_channel && listed) << m.id << " on " << c.outlets[o].slug;
        }
        EXPECT_TRUE(std::is_sorted(l.outlets.begin(), l.outlets.end()));
    }
}

TEST(inventory, eligible_outlets_and_rules_of_a_hand_built_message) {
    auto c = berlin_campaign();
    auto tv = c.outlets[0];
    tv.slug = "tv-viet-berlin";
    tv.kind = "tv";
    auto radio2 = c.outlets[0];
    radio2.slug = "radio-hamburg";
    c.outlets = {c.outlets[0], tv, radio2};
    core::message m;
    m.id = "goi-111";
    m.department = "cong-dong";
    m.text = {"Gặp khó khăn ở nước ngoài? Hãy gọi đường dây nóng bảo hộ công dân.", ""};
    m.channels = {"radio", "sms"};
    m.outlets = {"radio-hamburg", "tv-viet-berlin"};
    m.duration_s = 45;
    m.priority = 6;
    m.flight_start = 2024_y / 10 / 20;
    m.flight_end = 2024_y / 10 / 31;
    m.airings_per_day = 2;
    m.airings_per_week = 9;
    m.max_per_outlet_per_day = 1;
    m.min_gap_minutes = 90;
    m.dayparts = {"prime"};
    m.state = "submitted";
    core::message sms = m;
    sms.id = "tin-nhan";
    sms.channels = {"sms"};
    sms.outlets = {};
    c.messages = {m, sms};
    const auto in =
        planner::build_instance(c, {}, utc(2024_y / 10 / 1), days(2024_y / 10 / 20, 2024_y / 10 / 31));
    ASSERT_EQ(in.lines.size(), 2u);
    const auto& l = in.lines[0];
    EXPECT_EQ(l.outlets, std::vector<int>{2});  // a radio on its list; the TV is listed but not a channel
    EXPECT_FALSE(l.approved);
    EXPECT_EQ(l.state, "submitted");
    EXPECT_EQ(l.per_day, 2);
    EXPECT_EQ(l.per_week, 9);
    EXPECT_EQ(l.max_per_outlet_per_day, 1);
    EXPECT_EQ(l.min_gap_minutes, 90);
    EXPECT_EQ(l.dayparts, std::vector<std::string>{"prime"});
    // 2 a day over 12 days (24) is less than 9 a week over the 3 ISO weeks touched (27).
    EXPECT_EQ(planner::wanted_airings(l), 24);
    EXPECT_TRUE(in.lines[1].outlets.empty());  // SMS has no outlet
}

TEST(inventory, stored_placements_and_archived_messages) {
    auto c = berlin_campaign();
    core::message m;
    m.id = "goi-111";
    m.department = "cong-dong";
    m.text = {"Hãy gọi đường dây nóng bảo hộ công dân.", ""};
    m.channels = {"radio"};
    m.duration_s = 30;
    m.priority = 7;
    m.flight_start = 2024_y / 10 / 20;
    m.flight_end = 2024_y / 10 / 31;
    m.airings = 10;
    m.state = "approved";
    c.messages = {m};

    std::vector<core::stored_placement> stored(3);
    // 23:30Z on the 26th is 01:30 CEST on the 27th in Berlin: its date is the 27th.
    stored[0].id = 11;
    stored[0].message = "goi-111";
    stored[0].outlet = "radio-viet-berlin";
    stored[0].start = utc(2024_y / 10 / 26, 23h + 30min);
    stored[0].duration_s = 30;
    stored[0].state = "published";
    stored[0].make_good_of = 12;  // published, so frozen: 12 stays made good
    // A message the campaign file no longer has, aired; its value was priority 4 × weight 10.
    stored[1].id = 12;
    stored[1].message = "thong-diep-cu";
    stored[1].outlet = "radio-viet-berlin";
    stored[1].start = utc(2024_y / 10 / 25, 17h + 30min);
    stored[1].duration_s = 20;
    stored[1].weight = 10;
    stored[1].value = 40;
    stored[1].state = "missed";
    stored[1].made_good = true;
    // An outlet the campaign no longer has: skipped.
    stored[2] = stored[0];
    stored[2].id = 13;
    stored[2].outlet = "radio-da-dong-cua";

    const auto in =
        planner::build_instance(c, stored, utc(2024_y / 10 / 1), days(2024_y / 10 / 20, 2024_y / 10 / 31));
    ASSERT_EQ(in.existing.size(), 2u);
    EXPECT_EQ(in.existing[0].id, 11);
    EXPECT_EQ(in.existing[0].line, 0);
    EXPECT_EQ(in.existing[0].outlet, 0);
    EXPECT_EQ(in.existing[0].date, date::sys_days{2024_y / 10 / 27});
    EXPECT_EQ(in.existing[0].state, "published");
    EXPECT_EQ(in.existing[0].duration_s, 30);

    ASSERT_EQ(in.lines.size(), 2u);
    const auto& archived = in.lines[1];
    EXPECT_EQ(in.existing[1].line, 1);
    EXPECT_TRUE(in.existing[1].made_good);
    EXPECT_EQ(archived.message, "thong-diep-cu");
    EXPECT_EQ(archived.state, "archived");
    EXPECT_FALSE(archived.approved);
    EXPECT_EQ(archived.priority, 4);
    EXPECT_EQ(archived.duration_s, 20);
    EXPECT_EQ(archived.outlets, std::vector<int>{0});
    EXPECT_EQ(archived.flight_first, date::sys_days{2024_y / 10 / 25});
    EXPECT_EQ(planner::wanted_airings(archived), 0);  // nothing wanted, so nothing is reported unplaced
}

TEST(inventory, a_missed_airing_whose_make_good_is_still_movable_needs_a_new_proposal) {
    auto c = berlin_campaign();
    core::message m;
    m.id = "goi-111";
    m.department = "cong-dong";
    m.text = {"Hãy gọi đường dây nóng bảo hộ công dân.", ""};
    m.channels = {"radio"};
    m.duration_s = 30;
    m.flight_start = 2024_y / 10 / 20;
    m.flight_end = 2024_y / 10 / 31;
    m.airings = 10;
    m.state = "approved";
    c.messages = {m};

    std::vector<core::stored_placement> stored(2);
    stored[0].id = 21;
    stored[0].message = "goi-111";
    stored[0].outlet = "radio-viet-berlin";
    stored[0].start = utc(2024_y / 10 / 21, 6h);
    stored[0].duration_s = 30;
    stored[0].state = "missed";
    stored[0].made_good = true;
    // Its make-good is planned for the 30th, far beyond the lead time as of the 22nd: a re-plan may
    // move it, so the missed airing is not counted as made good.
    stored[1] = stored[0];
    stored[1].id = 22;
    stored[1].start = utc(2024_y / 10 / 30, 6h);
    stored[1].state = "planned";
    stored[1].made_good = false;
    stored[1].make_good_of = 21;

    auto in = planner::build_instance(c, stored, utc(2024_y / 10 / 22), days(2024_y / 10 / 20, 2024_y / 10 / 31));
    ASSERT_EQ(in.existing.size(), 2u);
    EXPECT_FALSE(in.existing[0].made_good);

    // Once the make-good is published it is frozen, and the missed airing is made good.
    stored[1].state = "published";
    in = planner::build_instance(c, stored, utc(2024_y / 10 / 22), days(2024_y / 10 / 20, 2024_y / 10 / 31));
    EXPECT_TRUE(in.existing[0].made_good);
}

TEST(inventory, default_range_is_the_approved_flights_else_the_period) {
    const auto& c = shipped();
    const auto r = planner::default_range(c);
    date::sys_days first = date::sys_days::max();
    date::sys_days last = date::sys_days::min();
    for (const auto& m : c.messages) {
        if (m.state != "approved") continue;
        first = std::min(first, date::sys_days{m.flight_start});
        last = std::max(last, date::sys_days{m.flight_end});
    }
    ASSERT_NE(first, date::sys_days::max());
    EXPECT_EQ(date::sys_days{r.from}, first);
    EXPECT_EQ(date::sys_days{r.to}, last);

    auto draft = berlin_campaign();
    core::message m;
    m.id = "nhap";
    m.flight_start = 2024_y / 5 / 1;
    m.flight_end = 2024_y / 5 / 2;
    m.state = "draft";
    draft.messages = {m};
    const auto period = planner::default_range(draft);
    EXPECT_EQ(period.from, 2024_y / 3 / 1);
    EXPECT_EQ(period.to, 2024_y / 10 / 31);
    m.state = "approved";
    core::message later = m;
    later.id = "sau";
    later.flight_start = 2024_y / 6 / 10;
    later.flight_end = 2024_y / 6 / 20;
    draft.messages = {later, m};
    const auto flights = planner::default_range(draft);
    EXPECT_EQ(flights.from, 2024_y / 5 / 1);
    EXPECT_EQ(flights.to, 2024_y / 6 / 20);
}

TEST(inventory, an_empty_range_has_no_slots) {
    const auto in =
        planner::build_instance(shipped(), {}, utc(2024_y / 7 / 1), days(2024_y / 7 / 31, 2024_y / 7 / 1));
    EXPECT_TRUE(in.slots.empty());
    EXPECT_EQ(in.outlets.size(), shipped().outlets.size());
}

}  // namespace inventory_test_cpp
}  // namespace
