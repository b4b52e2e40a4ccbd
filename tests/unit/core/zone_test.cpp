// Tests of zone lookup, local↔UTC conversion across DST and ISO 8601 formatting/parsing (real tzdata).
#include "core/time/zone.hpp"

#include <algorithm>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

namespace {
namespace zone_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::find_zone;
using loa::core::format_iso8601;
using loa::core::parse_iso8601;
using loa::core::sys_seconds;
using loa::core::to_sys;

sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}
date::local_seconds local(date::year_month_day d, std::chrono::seconds tod) {
    return date::local_days{d} + tod;
}

TEST(zone, finds_known_zones) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    ASSERT_NE(hcm, nullptr);
    EXPECT_EQ(hcm->name(), "Asia/Ho_Chi_Minh");
    EXPECT_NE(find_zone("Europe/Berlin"), nullptr);
    EXPECT_NE(find_zone("UTC"), nullptr);
    // Asking twice gives the same object: callers may keep the pointer.
    EXPECT_EQ(find_zone("Asia/Ho_Chi_Minh"), hcm);
}

TEST(zone, unknown_or_empty_names_give_nullptr) {
    EXPECT_EQ(find_zone(""), nullptr);
    EXPECT_EQ(find_zone("Asia/Hai_Phong"), nullptr);
    EXPECT_EQ(find_zone("Giờ Việt Nam"), nullptr);
    EXPECT_EQ(find_zone("../../etc/passwd"), nullptr);
    EXPECT_EQ(find_zone(std::string_view("Asia/Ho_Chi_Minh\0x", 18)), nullptr);
}

TEST(zone, formats_with_offset_and_seconds) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    EXPECT_EQ(format_iso8601(utc(2024_y / 7 / 30, 12h), hcm), "2024-07-30T19:00:00+07:00");
    EXPECT_EQ(format_iso8601(utc(2024_y / 7 / 30, 17h + 30min + 5s), hcm), "2024-07-31T00:30:05+07:00");
    // UTC is written +00:00, never Z.
    EXPECT_EQ(format_iso8601(utc(2024_y / 1 / 1, 0s), find_zone("UTC")), "2024-01-01T00:00:00+00:00");
    EXPECT_EQ(format_iso8601(utc(2024_y / 1 / 1, 0s), nullptr), "2024-01-01T00:00:00+00:00");
}

TEST(zone, formats_negative_and_half_hour_offsets) {
    EXPECT_EQ(format_iso8601(utc(2024_y / 1 / 15, 12h), find_zone("America/New_York")),
              "2024-01-15T07:00:00-05:00");
    EXPECT_EQ(format_iso8601(utc(2024_y / 1 / 15, 12h), find_zone("Asia/Kolkata")),
              "2024-01-15T17:30:00+05:30");
}

TEST(zone, formats_berlin_summer_and_winter_offsets) {
    const auto* berlin = find_zone("Europe/Berlin");
    ASSERT_NE(berlin, nullptr);
    EXPECT_EQ(format_iso8601(utc(2024_y / 7 / 30, 10h), berlin), "2024-07-30T12:00:00+02:00");
    EXPECT_EQ(format_iso8601(utc(2024_y / 12 / 30, 10h), berlin), "2024-12-30T11:00:00+01:00");
}

TEST(zone, to_sys_plain_time) {
    EXPECT_EQ(to_sys(local(2024_y / 7 / 30, 19h), find_zone("Asia/Ho_Chi_Minh")), utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(to_sys(local(2024_y / 7 / 30, 19h), nullptr), utc(2024_y / 7 / 30, 19h));
}

TEST(zone, to_sys_moves_times_in_the_spring_forward_gap_forward) {
    const auto* berlin = find_zone("Europe/Berlin");
    // 31 March 2024: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
    const auto t = to_sys(local(2024_y / 3 / 31, 2h + 30min), berlin);
    EXPECT_EQ(t, utc(2024_y / 3 / 31, 1h + 30min));
    EXPECT_EQ(format_iso8601(t, berlin), "2024-03-31T03:30:00+02:00");
    // Just around the gap.
    EXPECT_EQ(to_sys(local(2024_y / 3 / 31, 1h + 59min), berlin), utc(2024_y / 3 / 31, 59min));
    EXPECT_EQ(to_sys(local(2024_y / 3 / 31, 3h), berlin), utc(2024_y / 3 / 31, 1h));
}

TEST(zone, to_sys_takes_the_earlier_instant_in_the_fall_back_overlap) {
    const auto* berlin = find_zone("Europe/Berlin");
    // 27 October 2024: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice.
    const auto t = to_sys(local(2024_y / 10 / 27, 2h + 30min), berlin);
    EXPECT_EQ(t, utc(2024_y / 10 / 27, 30min));
    EXPECT_EQ(format_iso8601(t, berlin), "2024-10-27T02:30:00+02:00");
    EXPECT_EQ(format_iso8601(t + 1h, berlin), "2024-10-27T02:30:00+01:00");
    EXPECT_EQ(to_sys(local(2024_y / 10 / 27, 3h), berlin), utc(2024_y / 10 / 27, 2h));
}

TEST(zone, skipped_by_clocks_names_the_gap_on_both_clocks) {
    using loa::core::skipped_by_clocks;
    const auto* berlin = find_zone("Europe/Berlin");
    const auto gap = skipped_by_clocks(local(2024_y / 3 / 31, 2h + 30min), berlin);
    ASSERT_TRUE(gap);
    EXPECT_EQ(gap->from, local(2024_y / 3 / 31, 2h));
    EXPECT_EQ(gap->to, local(2024_y / 3 / 31, 3h));
    // Its edges: 02:00 is skipped, 01:59 and 03:00 exist; a repeated hour is not skipped.
    EXPECT_TRUE(skipped_by_clocks(local(2024_y / 3 / 31, 2h), berlin));
    EXPECT_FALSE(skipped_by_clocks(local(2024_y / 3 / 31, 1h + 59min), berlin));
    EXPECT_FALSE(skipped_by_clocks(local(2024_y / 3 / 31, 3h), berlin));
    EXPECT_FALSE(skipped_by_clocks(local(2024_y / 10 / 27, 2h + 30min), berlin));
    // Lord Howe Island moves by half an hour: 02:00 → 02:30 on 6 October 2024.
    const auto half = skipped_by_clocks(local(2024_y / 10 / 6, 2h + 10min), find_zone("Australia/Lord_Howe"));
    ASSERT_TRUE(half);
    EXPECT_EQ(half->to - half->from, 30min);
    // Vietnam has no daylight saving; no zone, no gap.
    EXPECT_FALSE(skipped_by_clocks(local(2024_y / 3 / 31, 2h + 30min), find_zone("Asia/Ho_Chi_Minh")));
    EXPECT_FALSE(skipped_by_clocks(local(2024_y / 3 / 31, 2h + 30min), nullptr));
}

TEST(zone, describe_skipped_gives_dates_only_where_the_gap_leaves_the_day) {
    using loa::core::describe_skipped;
    using loa::core::skipped_by_clocks;
    const auto in = [](const char* zone, date::local_seconds t) {
        const auto gap = skipped_by_clocks(t, find_zone(zone));
        EXPECT_TRUE(gap) << zone;
        return gap ? describe_skipped(*gap, t) : loa::core::skipped_words{};
    };
    auto w = in("Europe/Berlin", local(2024_y / 3 / 31, 2h + 30min));
    EXPECT_EQ(w.from, "02:00");
    EXPECT_EQ(w.to, "03:00");
    EXPECT_TRUE(w.time_before);
    // Santiago jumps at midnight: nothing of that day comes before the gap.
    w = in("America/Santiago", local(2025_y / 9 / 7, 30min));
    EXPECT_EQ(w.from, "00:00");
    EXPECT_EQ(w.to, "01:00");
    EXPECT_FALSE(w.time_before);
    // Nuuk's skipped hour runs from 23:00 into the next day.
    w = in("America/Nuuk", local(2025_y / 3 / 29, 23h + 30min));
    EXPECT_EQ(w.from, "23:00");
    EXPECT_EQ(w.to, "2025-03-30 00:00");
    EXPECT_TRUE(w.time_before);
    // Samoa skipped 30 December 2011 whole.
    w = in("Pacific/Apia", local(2011_y / 12 / 30, 12h));
    EXPECT_EQ(w.from, "00:00");
    EXPECT_EQ(w.to, "2011-12-31 00:00");
    EXPECT_FALSE(w.time_before);
}

TEST(zone, zone_meant_forgives_case_and_spaces_and_knows_vietnam) {
    using loa::core::zone_meant;
    EXPECT_EQ(zone_meant("europe/london"), "Europe/London");
    EXPECT_EQ(zone_meant(" Asia/Ho Chi Minh "), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(zone_meant("AMERICA/NEW_YORK"), "America/New_York");
    EXPECT_EQ(zone_meant("Hà Nội"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(zone_meant("Asia/Hanoi"), "Asia/Ho_Chi_Minh");
    EXPECT_FALSE(zone_meant("Mars/Olympus_Mons"));
    EXPECT_FALSE(zone_meant(""));
}

TEST(zone, parse_date_only_is_local_midnight) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    EXPECT_EQ(parse_iso8601("2024-07-30", hcm), utc(2024_y / 7 / 29, 17h));
    EXPECT_EQ(parse_iso8601("2024-02-29", hcm), utc(2024_y / 2 / 28, 17h));
}

TEST(zone, parse_local_date_times) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    EXPECT_EQ(parse_iso8601("2024-07-30T19:00", hcm), utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(parse_iso8601("2024-07-30T19:00:45", hcm), utc(2024_y / 7 / 30, 12h + 45s));
    const auto* berlin = find_zone("Europe/Berlin");
    EXPECT_EQ(parse_iso8601("2024-03-31T02:30", berlin), utc(2024_y / 3 / 31, 1h + 30min));
}

TEST(zone, parse_absolute_date_times) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    EXPECT_EQ(parse_iso8601("2024-07-30T12:00:00Z", hcm), utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(parse_iso8601("2024-07-30T19:00:00+07:00", nullptr), utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(parse_iso8601("2024-07-30T07:00-05:00", hcm), utc(2024_y / 7 / 30, 12h));
    EXPECT_EQ(parse_iso8601("2024-07-30T17:30+05:30", hcm), utc(2024_y / 7 / 30, 12h));
    // Round trip with the formatter.
    const auto t = utc(2024_y / 10 / 27, 30min);
    EXPECT_EQ(parse_iso8601(format_iso8601(t, find_zone("Europe/Berlin")), hcm), t);
}

TEST(zone, parse_rejects_malformed_text) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    for (const char* bad : {"",
                            "2024",
                            "2024-07",
                            "2024-7-30",
                            "24-07-30",
                            "2024/07/30",
                            "2024-07-30T",
                            "2024-07-30T19",
                            "2024-07-30 19:00",
                            "2024-07-30T19:00:00 ",
                            " 2024-07-30",
                            "2024-07-30x",
                            "2024-07-30T19:00:00Zjunk",
                            "2024-07-30T19:00:00+0700",
                            "2024-07-30T19:00:00+07",
                            "2024-07-30T19:00:00.5Z",
                            "2024-07-30T24:00",
                            "2024-07-30T19:60",
                            "2024-07-30T19:00:60",
                            "2024-07-30T19:00+25:00",
                            "2024-07-30Z",
                            "hôm nay",
                            "2024-07-30T19:00:00z",
                            "2024-07-30t19:00"}) {
        EXPECT_EQ(parse_iso8601(bad, hcm), std::nullopt) << bad;
    }
}

TEST(zone, parse_rejects_impossible_calendar_dates) {
    const auto* hcm = find_zone("Asia/Ho_Chi_Minh");
    EXPECT_EQ(parse_iso8601("2024-02-30", hcm), std::nullopt);
    EXPECT_EQ(parse_iso8601("2023-02-29", hcm), std::nullopt);
    EXPECT_EQ(parse_iso8601("2024-13-01", hcm), std::nullopt);
    EXPECT_EQ(parse_iso8601("2024-00-10", hcm), std::nullopt);
    EXPECT_EQ(parse_iso8601("2024-04-31T10:00", hcm), std::nullopt);
    EXPECT_EQ(parse_iso8601("2024-06-00T10:00Z", hcm), std::nullopt);
}

TEST(zone, the_problem_of_a_well_shaped_text_that_names_no_date_or_time_is_said_in_words) {
    using loa::core::iso8601_problem;
    EXPECT_EQ(iso8601_problem("2024-02-30"), "2024-02-30 is not a date (February 2024 has 29 days)");
    EXPECT_EQ(iso8601_problem("2023-02-29T19:00:00+07:00"), "2023-02-29 is not a date (February 2023 has 28 days)");
    EXPECT_EQ(iso8601_problem("2024-04-31T10:00"), "2024-04-31 is not a date (April 2024 has 30 days)");
    EXPECT_EQ(iso8601_problem("2024-13-01"), "2024-13-01 is not a date (months go from 01 to 12)");
    EXPECT_EQ(iso8601_problem("2024-00-10"), "2024-00-10 is not a date (months go from 01 to 12)");
    EXPECT_EQ(iso8601_problem("2024-06-00T10:00Z"), "2024-06-00 is not a date (days start at 01)");
    EXPECT_EQ(iso8601_problem("2024-07-30T24:00"), "24:00 is not a time of day (hours go to 23)");
    EXPECT_EQ(iso8601_problem("2024-07-30T19:60+07:00"), "19:60 is not a time of day (minutes go to 59)");
    EXPECT_EQ(iso8601_problem("2024-07-30T19:00:60.250Z"), "19:00:60 is not a time of day (seconds go to 59)");
    EXPECT_EQ(iso8601_problem("2024-07-30T19:00+25:00"),
              "+25:00 is not an offset from UTC (hours go to 23, minutes to 59)");
    // Real dates and times, and texts in another shape, have no such problem: the caller's own
    // message names the shape it wants.
    for (const char* none : {"2024-02-29", "2024-07-30T19:00:00+07:00", "2024-07-30T19:00:00.5Z", "30/07/2024",
                             "2024-07-30 19:00", "2024-07-30T19:00:00+0700", "hôm nay", ""}) {
        EXPECT_EQ(iso8601_problem(none), std::nullopt) << none;
    }
}

}  // namespace zone_test_cpp
}  // namespace

namespace {
namespace zone_test_cpp {

TEST(ZoneSuggestions, OffsetsWrittenAsZoneNames) {
    using loa::core::offset_in_zone_name;
    EXPECT_EQ(offset_in_zone_name("UTC+7"), std::chrono::minutes{7 * 60});
    EXPECT_EQ(offset_in_zone_name("gmt + 07:00"), std::chrono::minutes{7 * 60});
    EXPECT_EQ(offset_in_zone_name("+0530"), std::chrono::minutes{5 * 60 + 30});
    EXPECT_EQ(offset_in_zone_name("UTC\u221203:30"), std::chrono::minutes{-(3 * 60 + 30)});
    EXPECT_EQ(offset_in_zone_name("-7"), std::chrono::minutes{-7 * 60});
    for (const char* no : {"UTC", "GMT", "Asia/Hanoi", "UTC+", "UTC+15", "+7:5", "+07:60", "+123", "UTC+7h", ""})
        EXPECT_FALSE(offset_in_zone_name(no)) << no;
    EXPECT_EQ(loa::core::utc_offset_text(std::chrono::minutes{7 * 60}), "UTC+07:00");
    EXPECT_EQ(loa::core::utc_offset_text(std::chrono::minutes{-210}), "UTC-03:30");
}

TEST(ZoneSuggestions, ZonesAtAStandardOffsetNeverHaveAnother) {
    const sys_seconds july = date::sys_days{2024_y / date::July / 30};
    const auto plus7 = loa::core::zones_with_standard_offset(std::chrono::hours{7}, july);
    ASSERT_FALSE(plus7.empty());
    EXPECT_EQ(plus7.front(), "Asia/Ho_Chi_Minh");
    EXPECT_NE(std::find(plus7.begin(), plus7.end(), "Asia/Bangkok"), plus7.end());
    for (const auto& name : plus7) {
        // No +07:00 zone keeps daylight saving: the offset in force is the standard one.
        EXPECT_EQ(find_zone(name)->get_info(july).offset, std::chrono::hours{7}) << name;
        EXPECT_FALSE(name.starts_with("Etc/")) << name;
    }
    // Berlin keeps +01:00 as its standard offset in summer (CEST is +02:00 with one hour saved).
    const auto plus1 = loa::core::zones_with_standard_offset(std::chrono::hours{1}, july);
    EXPECT_NE(std::find(plus1.begin(), plus1.end(), "Europe/Berlin"), plus1.end());
    EXPECT_EQ(std::find(plus1.begin(), plus1.end(), "Europe/Helsinki"), plus1.end());  // +02:00 (EEST +03:00)
    const auto plus2 = loa::core::zones_with_standard_offset(std::chrono::hours{2}, july);
    EXPECT_EQ(std::find(plus2.begin(), plus2.end(), "Europe/Berlin"), plus2.end());
    const auto minus5 = loa::core::zones_with_standard_offset(std::chrono::hours{-5}, july);
    EXPECT_NE(std::find(minus5.begin(), minus5.end(), "America/New_York"), minus5.end());
    EXPECT_EQ(loa::core::zones_with_standard_offset(std::chrono::hours{0}, july).front(), "UTC");
    EXPECT_TRUE(loa::core::zones_with_standard_offset(std::chrono::minutes{7 * 60 + 17}, july).empty());
}

TEST(ZoneSuggestions, VietnameseNamesForVietnamsZone) {
    for (const char* s : {"Asia/Hanoi", "Asia/Ha_Noi", "Hà Nội", "HA NOI", "Hải Phòng", "Hai Phong", "Asia/Haiphong",
                          "Sài Gòn", "TP.HCM", "Đà Nẵng", "Việt Nam", "ICT", "Indochina Time"})
        EXPECT_EQ(loa::core::vietnam_zone_alias(s), "Asia/Ho_Chi_Minh") << s;
    for (const char* s : {"Asia/Harbin", "Asia/Bangkok", "Bangkok", "Mars", ""})
        EXPECT_FALSE(loa::core::vietnam_zone_alias(s)) << s;
}

}  // namespace zone_test_cpp
}  // namespace

namespace zone_test_typed_date {

using namespace date::literals;

// Dates as people type them: what a date input sends, and how Vietnamese write a date.
TEST(zone, typed_dates_are_iso_or_day_month_year_and_exist) {
    using loa::core::iso_day;
    using loa::core::typed_date;
    EXPECT_EQ(typed_date("2024-07-30"), 2024_y / 7 / 30);
    EXPECT_EQ(typed_date(" 30/07/2024 "), 2024_y / 7 / 30);
    EXPECT_EQ(typed_date("3/7/2024"), 2024_y / 7 / 3);
    EXPECT_EQ(typed_date("29/02/2024"), 2024_y / 2 / 29);
    for (const char* no : {"2024-07-32", "31/6/2024", "29/02/2023", "2024-13-01", "30-07-2024", "07/30/2024",
                           "30/07/24", "30/07/2024x", "", "  ", "2024-7-30", "+202-07-30", "0000-01-01",
                           "030/07/2024", "30/007/2024", "30.07.2024"}) {
        EXPECT_FALSE(typed_date(no)) << no;
    }
    // The APIs take ISO 8601 alone, and nothing around it.
    EXPECT_EQ(iso_day("2024-07-30"), 2024_y / 7 / 30);
    for (const char* no : {"30/07/2024", " 2024-07-30", "2024-07-30 ", "2024-02-30"}) EXPECT_FALSE(iso_day(no)) << no;
}

}  // namespace zone_test_typed_date
