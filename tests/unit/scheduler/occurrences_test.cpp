// Tests of recurrence expansion on a hand-built campaign with real tzdata: month ends, COUNT/UNTIL, DST.
#include "scheduler/calendar/occurrences.hpp"

#include <string>
#include <thread>
#include <vector>

#include <date/tz.h>
#include <gtest/gtest.h>

namespace {
namespace occurrences_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::activity;
using loa::core::campaign;
using loa::core::find_zone;
using loa::core::format_iso8601;
using loa::core::sys_seconds;
using loa::scheduler::expand_occurrences;
using loa::scheduler::occurrence;
using loa::scheduler::occurrence_query;

date::local_seconds at(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::local_days{d} + tod;
}
sys_seconds utc(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::sys_days{d} + tod;
}

activity make_activity(std::string id, std::string department, date::local_seconds start,
                       std::chrono::seconds duration, std::string rrule = {}) {
    activity a;
    a.id = std::move(id);
    a.department = std::move(department);
    a.kind = "press_conference";
    a.title = {"Họp báo định kỳ tháng về phòng, chống mua bán người", "Monthly press conference"};
    a.location = {"Trụ sở Ủy ban nhân dân thành phố Hải Phòng", ""};
    a.start = start;
    a.end = start + duration;
    a.rrule = std::move(rrule);
    return a;
}

campaign make_campaign() {
    campaign c;
    c.slug = "haiphong-2024-anti-trafficking";
    c.title = {"Chiến dịch phòng, chống mua bán người năm 2024", "2024 anti-trafficking campaign"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.period_start = 2024_y / 1 / 1;
    c.period_end = 2024_y / 12 / 31;
    return c;
}

occurrence_query window(sys_seconds from, sys_seconds to) {
    occurrence_query q;
    q.from = from;
    q.to = to;
    return q;
}

occurrence_query year_2024() {
    return window(utc(2023_y / 12 / 31), utc(2025_y / 1 / 1));
}

std::vector<std::string> starts(const std::vector<occurrence>& occ, const char* zone = "Asia/Ho_Chi_Minh") {
    std::vector<std::string> out;
    for (const auto& o : occ) out.push_back(format_iso8601(o.start, find_zone(zone)));
    return out;
}

TEST(occurrences, single_activity_without_rule) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("hop-bao-30-7", "police", at(2024_y / 7 / 30, 19h), 2h));
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 1u);
    EXPECT_EQ(occ[0].activity, &c.activities[0]);
    EXPECT_EQ(occ[0].activity->title.vi, "Họp báo định kỳ tháng về phòng, chống mua bán người");
    EXPECT_EQ(format_iso8601(occ[0].start, find_zone("Asia/Ho_Chi_Minh")), "2024-07-30T19:00:00+07:00");
    EXPECT_EQ(occ[0].start, utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(occ[0].end, utc(2024_y / 7 / 30, 14h));
}

TEST(occurrences, monthly_on_the_31st_skips_months_without_one) {
    auto c = make_campaign();
    c.activities.push_back(
        make_activity("tong-ket-thang", "police", at(2024_y / 1 / 31, 9h), 1h, "FREQ=MONTHLY;COUNT=7"));
    EXPECT_EQ(starts(expand_occurrences(c, year_2024())),
              (std::vector<std::string>{"2024-01-31T09:00:00+07:00", "2024-03-31T09:00:00+07:00",
                                        "2024-05-31T09:00:00+07:00", "2024-07-31T09:00:00+07:00",
                                        "2024-08-31T09:00:00+07:00", "2024-10-31T09:00:00+07:00",
                                        "2024-12-31T09:00:00+07:00"}));

    c.activities[0].rrule = "FREQ=MONTHLY;BYMONTHDAY=31";
    const auto first_half = expand_occurrences(c, window(utc(2024_y / 1 / 1), utc(2024_y / 7 / 1)));
    EXPECT_EQ(starts(first_half),
              (std::vector<std::string>{"2024-01-31T09:00:00+07:00", "2024-03-31T09:00:00+07:00",
                                        "2024-05-31T09:00:00+07:00"}));
}

TEST(occurrences, last_friday_of_the_month) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("giao-ban-cuoi-thang", "police", at(2024_y / 1 / 26, 14h), 90min,
                                         "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6"));
    EXPECT_EQ(starts(expand_occurrences(c, year_2024())),
              (std::vector<std::string>{"2024-01-26T14:00:00+07:00", "2024-02-23T14:00:00+07:00",
                                        "2024-03-29T14:00:00+07:00", "2024-04-26T14:00:00+07:00",
                                        "2024-05-31T14:00:00+07:00", "2024-06-28T14:00:00+07:00"}));
}

TEST(occurrences, count_counts_from_dtstart_not_from_the_window) {
    auto c = make_campaign();
    c.activities.push_back(
        make_activity("sinh-hoat-truong", "education", at(2024_y / 7 / 1, 8h), 45min, "FREQ=WEEKLY;COUNT=3"));
    EXPECT_EQ(expand_occurrences(c, year_2024()).size(), 3u);
    // The window starts after the second occurrence: only the third is left.
    EXPECT_EQ(starts(expand_occurrences(c, window(utc(2024_y / 7 / 10), utc(2024_y / 12 / 1)))),
              (std::vector<std::string>{"2024-07-15T08:00:00+07:00"}));
}

TEST(occurrences, until_as_a_date_keeps_the_occurrence_on_that_day) {
    auto c = make_campaign();
    c.activities.push_back(
        make_activity("phat-thanh", "media", at(2024_y / 7 / 1, 19h), 30min, "FREQ=DAILY;UNTIL=20240705"));
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 5u);
    EXPECT_EQ(format_iso8601(occ.back().start, find_zone("Asia/Ho_Chi_Minh")), "2024-07-05T19:00:00+07:00");
}

TEST(occurrences, until_as_a_local_date_time_is_inclusive) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("phat-thanh", "media", at(2024_y / 7 / 1, 19h), 30min,
                                         "FREQ=DAILY;UNTIL=20240705T190000"));
    EXPECT_EQ(expand_occurrences(c, year_2024()).size(), 5u);
    c.activities[0].rrule = "FREQ=DAILY;UNTIL=20240705T185959";
    EXPECT_EQ(expand_occurrences(c, year_2024()).size(), 4u);
}

TEST(occurrences, until_in_utc_is_an_instant) {
    auto c = make_campaign();
    // 19:00 in Hai Phong is 12:00 UTC.
    c.activities.push_back(make_activity("phat-thanh", "media", at(2024_y / 7 / 1, 19h), 30min,
                                         "FREQ=DAILY;UNTIL=20240705T120000Z"));
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 5u);
    EXPECT_EQ(occ.back().start, utc(2024_y / 7 / 5, 12h));
    c.activities[0].rrule = "FREQ=DAILY;UNTIL=20240705T115959Z";
    EXPECT_EQ(expand_occurrences(c, year_2024()).size(), 4u);
}

TEST(occurrences, weekly_in_berlin_keeps_wall_clock_time_across_dst) {
    auto c = make_campaign();
    auto spring =
        make_activity("berlin-spring", "media", at(2024_y / 3 / 17, 10h), 1h, "FREQ=WEEKLY;COUNT=4");
    spring.time_zone = "Europe/Berlin";
    auto autumn =
        make_activity("berlin-autumn", "media", at(2024_y / 10 / 20, 10h), 1h, "FREQ=WEEKLY;COUNT=2");
    autumn.time_zone = "Europe/Berlin";
    c.activities = {spring, autumn};
    const auto occ = expand_occurrences(c, year_2024());
    EXPECT_EQ(starts(occ, "Europe/Berlin"),
              (std::vector<std::string>{"2024-03-17T10:00:00+01:00", "2024-03-24T10:00:00+01:00",
                                        "2024-03-31T10:00:00+02:00", "2024-04-07T10:00:00+02:00",
                                        "2024-10-20T10:00:00+02:00", "2024-10-27T10:00:00+01:00"}));
    ASSERT_EQ(occ.size(), 6u);
    EXPECT_EQ(occ[1].start, utc(2024_y / 3 / 24, 9h));
    EXPECT_EQ(occ[2].start, utc(2024_y / 3 / 31, 8h));
    EXPECT_EQ(occ[2].end - occ[2].start, 1h);
    EXPECT_EQ(occ[4].start, utc(2024_y / 10 / 20, 8h));
    EXPECT_EQ(occ[5].start, utc(2024_y / 10 / 27, 9h));
}

TEST(occurrences, weekly_start_inside_the_spring_gap_moves_forward) {
    auto c = make_campaign();
    auto night =
        make_activity("ban-tin-dem", "media", at(2024_y / 3 / 24, 2h + 30min), 1h, "FREQ=WEEKLY;COUNT=3");
    night.time_zone = "Europe/Berlin";
    c.activities = {night};
    EXPECT_EQ(starts(expand_occurrences(c, year_2024()), "Europe/Berlin"),
              (std::vector<std::string>{"2024-03-24T02:30:00+01:00", "2024-03-31T03:30:00+02:00",
                                        "2024-04-07T02:30:00+02:00"}));
}

TEST(occurrences, activity_crossing_midnight) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("tuan-tra-dem", "border_guard", at(2024_y / 7 / 29, 22h), 3h + 30min,
                                         "FREQ=DAILY;COUNT=2"));
    // The window opens at midnight local: the first night is still going on, so it is included.
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    const auto occ = expand_occurrences(
        c, window(loa::core::to_sys(at(2024_y / 7 / 30), hcm), loa::core::to_sys(at(2024_y / 7 / 31), hcm)));
    ASSERT_EQ(occ.size(), 2u);
    EXPECT_EQ(format_iso8601(occ[0].start, hcm), "2024-07-29T22:00:00+07:00");
    EXPECT_EQ(format_iso8601(occ[0].end, hcm), "2024-07-30T01:30:00+07:00");
    EXPECT_EQ(format_iso8601(occ[1].end, hcm), "2024-07-31T01:30:00+07:00");
}

TEST(occurrences, window_uses_half_open_overlap) {
    auto c = make_campaign();
    // Daily 10:00–11:00 local = 03:00–04:00 UTC.
    c.activities.push_back(
        make_activity("loa-phuong", "wards", at(2024_y / 7 / 1, 10h), 1h, "FREQ=DAILY;COUNT=10"));
    // Ends exactly at `from`: excluded. Starts exactly at `to`: excluded.
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 2, 4h), utc(2024_y / 7 / 3, 3h))).size(), 0u);
    // One second more on either side lets one in.
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 2, 4h) - 1s, utc(2024_y / 7 / 3, 3h))).size(),
              1u);
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 2, 4h), utc(2024_y / 7 / 3, 3h) + 1s)).size(),
              1u);
    // Partly overlapping the window counts.
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 2, 3h + 30min), utc(2024_y / 7 / 2, 3h + 40min)))
                  .size(),
              1u);
    // An empty or reversed window has nothing.
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 2), utc(2024_y / 7 / 2))).size(), 0u);
    EXPECT_EQ(expand_occurrences(c, window(utc(2024_y / 7 / 3), utc(2024_y / 7 / 2))).size(), 0u);
}

TEST(occurrences, filters_by_department_and_visibility) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("sinh-hoat-thcs", "education", at(2024_y / 7 / 8, 8h), 45min));
    auto inspection = make_activity("kiem-tra-bien-gioi", "border_guard", at(2024_y / 7 / 9, 8h), 4h);
    inspection.vis = loa::core::visibility::internal;
    inspection.title = {"Kiểm tra liên ngành khu vực biên giới", ""};
    c.activities.push_back(inspection);
    c.activities.push_back(make_activity("hop-bao", "police", at(2024_y / 7 / 30, 19h), 2h));

    EXPECT_EQ(expand_occurrences(c, year_2024()).size(), 3u);

    auto q = year_2024();
    q.department = "education";
    auto occ = expand_occurrences(c, q);
    ASSERT_EQ(occ.size(), 1u);
    EXPECT_EQ(occ[0].activity->id, "sinh-hoat-thcs");

    q.department = "border_guard";
    EXPECT_EQ(expand_occurrences(c, q).size(), 1u);
    q.include_internal = false;
    EXPECT_EQ(expand_occurrences(c, q).size(), 0u);

    q.department = {};
    occ = expand_occurrences(c, q);
    ASSERT_EQ(occ.size(), 2u);
    for (const auto& o : occ) EXPECT_NE(o.activity->vis, loa::core::visibility::internal);
}

TEST(occurrences, limit_keeps_the_earliest) {
    auto c = make_campaign();
    c.activities.push_back(
        make_activity("b-phat-thanh", "media", at(2024_y / 1 / 1, 19h), 30min, "FREQ=DAILY"));
    c.activities.push_back(
        make_activity("a-loa-phuong", "wards", at(2024_y / 1 / 1, 6h), 15min, "FREQ=HOURLY"));
    auto q = year_2024();
    q.limit = 5;
    const auto occ = expand_occurrences(c, q);
    ASSERT_EQ(occ.size(), 5u);
    EXPECT_EQ(format_iso8601(occ.front().start, find_zone("Asia/Ho_Chi_Minh")), "2024-01-01T06:00:00+07:00");
    EXPECT_EQ(format_iso8601(occ.back().start, find_zone("Asia/Ho_Chi_Minh")), "2024-01-01T10:00:00+07:00");

    // An unbounded hourly rule over two years stops at the default limit.
    const auto all = expand_occurrences(c, window(utc(2024_y / 1 / 1), utc(2026_y / 1 / 1)));
    EXPECT_EQ(all.size(), occurrence_query{}.limit);
}

TEST(occurrences, sorted_by_start_then_activity_id) {
    auto c = make_campaign();
    c.activities.push_back(make_activity("c-van-nghe", "culture", at(2024_y / 7 / 30, 20h), 2h));
    c.activities.push_back(make_activity("b-bong-da", "sports", at(2024_y / 7 / 30, 8h), 2h));
    c.activities.push_back(make_activity("a-mit-tinh", "culture", at(2024_y / 7 / 30, 8h), 2h));
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 3u);
    EXPECT_EQ(occ[0].activity->id, "a-mit-tinh");
    EXPECT_EQ(occ[1].activity->id, "b-bong-da");
    EXPECT_EQ(occ[2].activity->id, "c-van-nghe");
}

TEST(occurrences, all_day_activities_run_between_local_midnights) {
    auto c = make_campaign();
    auto fair = make_activity("ngay-hoi", "culture", at(2024_y / 3 / 30), 48h);
    fair.all_day = true;
    fair.time_zone = "Europe/Berlin";
    auto day = make_activity("ngay-the-gioi", "culture", at(2024_y / 7 / 30), 24h, "FREQ=YEARLY;COUNT=2");
    day.all_day = true;
    c.activities = {fair, day};
    const auto occ = expand_occurrences(c, window(utc(2024_y / 1 / 1), utc(2026_y / 1 / 1)));
    ASSERT_EQ(occ.size(), 3u);
    // 30 March to 1 April in Berlin: the clocks go forward in between.
    EXPECT_EQ(format_iso8601(occ[0].start, find_zone("Europe/Berlin")), "2024-03-30T00:00:00+01:00");
    EXPECT_EQ(format_iso8601(occ[0].end, find_zone("Europe/Berlin")), "2024-04-01T00:00:00+02:00");
    EXPECT_EQ(occ[0].end - occ[0].start, 47h);
    EXPECT_EQ(format_iso8601(occ[1].start, find_zone("Asia/Ho_Chi_Minh")), "2024-07-30T00:00:00+07:00");
    EXPECT_EQ(format_iso8601(occ[2].end, find_zone("Asia/Ho_Chi_Minh")), "2025-07-31T00:00:00+07:00");
}

TEST(occurrences, invalid_rule_or_zone_falls_back_safely) {
    auto c = make_campaign();
    auto typo = make_activity("hop-bao", "police", at(2024_y / 7 / 30, 19h), 2h, "FREQ=MONTLY");
    typo.time_zone = "Asia/Hai_Phong";  // not a zone: the campaign's is used
    c.activities = {typo};
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 1u);
    EXPECT_EQ(occ[0].start, utc(2024_y / 7 / 30, 12h));
}

TEST(occurrences, rule_that_never_matches_from_its_start_gives_only_the_start) {
    auto c = make_campaign();
    // No 30 February: libical alone would search until the year 20000.
    c.activities.push_back(
        make_activity("thang-hai", "police", at(2024_y / 1 / 30, 9h), 1h, "FREQ=YEARLY;BYMONTH=2"));
    const auto occ = expand_occurrences(c, year_2024());
    ASSERT_EQ(occ.size(), 1u);
    EXPECT_EQ(format_iso8601(occ[0].start, find_zone("Asia/Ho_Chi_Minh")), "2024-01-30T09:00:00+07:00");
}

TEST(occurrences, far_windows_and_rare_rules_terminate) {
    auto c = make_campaign();
    // Only leap years have a 29 February; the window is decades after DTSTART.
    c.activities.push_back(make_activity("nam-nhuan", "police", at(2000_y / 2 / 29, 9h), 1h,
                                         "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"));
    c.activities.push_back(make_activity("moi-gio", "wards", at(2000_y / 1 / 1, 0h), 10min,
                                         "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29"));
    const auto occ = expand_occurrences(c, window(utc(2028_y / 1 / 1), utc(2029_y / 1 / 1)));
    ASSERT_EQ(occ.size(), 25u);
    EXPECT_EQ(occ[0].activity->id, "moi-gio");
    EXPECT_EQ(format_iso8601(occ[0].start, find_zone("Asia/Ho_Chi_Minh")), "2028-02-29T00:00:00+07:00");
}

// Expanding a late window of a long series gives what the full series has in that window.
TEST(occurrences, late_windows_match_the_full_series) {
    struct rule_case {
        const char* rrule;
        std::chrono::seconds time_of_day;
    };
    for (const auto& rc :
         {rule_case{"FREQ=DAILY;BYHOUR=8,20", 19h},
          rule_case{"FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,30", 7h + 30min},
          rule_case{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", 9h}, rule_case{"FREQ=DAILY;INTERVAL=3", 23h},
          rule_case{"FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA", 10h},
          rule_case{"FREQ=MONTHLY;BYDAY=-1FR", 14h}}) {
        auto c = make_campaign();
        auto a = make_activity("chuoi-dai", "media", at(2021_y / 1 / 7, rc.time_of_day), 150min, rc.rrule);
        a.time_zone = "Europe/Berlin";
        c.activities = {a};
        const auto from = utc(2024_y / 3 / 29, 13h);
        const auto to = utc(2024_y / 4 / 20, 5h);
        const auto late = expand_occurrences(c, window(from, to));
        std::vector<occurrence> expected;
        auto full = window(utc(2021_y / 1 / 1), to);
        full.limit = 100000;
        for (const auto& o : expand_occurrences(c, full)) {
            if (o.end > from) expected.push_back(o);
        }
        ASSERT_FALSE(expected.empty()) << rc.rrule;
        ASSERT_EQ(late.size(), expected.size()) << rc.rrule;
        for (std::size_t i = 0; i < late.size(); ++i) {
            EXPECT_EQ(late[i].start, expected[i].start) << rc.rrule << " #" << i;
            EXPECT_EQ(late[i].end, expected[i].end) << rc.rrule << " #" << i;
        }
    }
}

TEST(occurrences, is_pure_and_thread_safe) {
    auto c = make_campaign();
    c.activities.push_back(
        make_activity("a", "police", at(2024_y / 1 / 26, 14h), 1h, "FREQ=MONTHLY;BYDAY=-1FR"));
    auto berlin = make_activity("b", "media", at(2024_y / 3 / 3, 10h), 1h, "FREQ=WEEKLY;UNTIL=20241231");
    berlin.time_zone = "Europe/Berlin";
    c.activities.push_back(berlin);
    const auto expected = starts(expand_occurrences(c, year_2024()));
    ASSERT_EQ(expected.size(), 12u + 44u);
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                if (starts(expand_occurrences(c, year_2024())) != expected) ++mismatches[t];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace occurrences_test_cpp
}  // namespace
