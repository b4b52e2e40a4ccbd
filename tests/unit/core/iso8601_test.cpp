// Tests of the hand-written ISO 8601 text (core/time/iso8601.hpp) against Howard Hinnant's
// date::format and printf, which wrote these before.
#include "core/time/iso8601.hpp"

#include <cstdio>
#include <random>
#include <string>

#include <date/date.h>
#include <gtest/gtest.h>

namespace {
namespace iso8601_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::iso_date;
using loa::core::iso_local;
using loa::core::iso_utc;
using loa::core::iso_utc_ms;
using loa::core::iso_with_offset;
using ms_time = std::chrono::sys_time<std::chrono::milliseconds>;

TEST(iso8601, writes_the_examples_of_its_header) {
    EXPECT_EQ(iso_date(2024_y / 7 / 30), "2024-07-30");
    EXPECT_EQ(iso_local(date::local_days{2024_y / 7 / 30} + 19h), "2024-07-30T19:00:00");
    EXPECT_EQ(iso_utc(date::sys_days{2024_y / 7 / 30} + 12h), "2024-07-30T12:00:00Z");
    EXPECT_EQ(iso_utc_ms(ms_time{date::sys_days{2024_y / 7 / 29} + 12h + 20min + 40ms}), "2024-07-29T12:20:00.040Z");
    EXPECT_EQ(iso_with_offset(date::sys_days{2024_y / 7 / 30} + 12h, 7h), "2024-07-30T19:00:00+07:00");
}

TEST(iso8601, offsets_west_zero_and_with_minutes) {
    const auto t = date::sys_days{2024_y / 3 / 31} + 1h + 30min;
    EXPECT_EQ(iso_with_offset(t, -3h - 30min), "2024-03-30T22:00:00-03:30");
    EXPECT_EQ(iso_with_offset(t, 0s), "2024-03-31T01:30:00+00:00");
    EXPECT_EQ(iso_with_offset(t, 5h + 45min), "2024-03-31T07:15:00+05:45");
    // Local mean time of Saigon before 1906 (+7:06:40): the time keeps the seconds, the offset not.
    EXPECT_EQ(iso_with_offset(date::sys_days{1900_y / 1 / 1}, 7h + 6min + 40s), "1900-01-01T07:06:40+07:06");
}

TEST(iso8601, midnight_ends_of_day_and_leap_days) {
    EXPECT_EQ(iso_utc(date::sys_days{2024_y / 2 / 29} + 23h + 59min + 59s), "2024-02-29T23:59:59Z");
    EXPECT_EQ(iso_utc(date::sys_days{2025_y / 1 / 1}), "2025-01-01T00:00:00Z");
    EXPECT_EQ(iso_utc_ms(ms_time{date::sys_days{2025_y / 1 / 1}} - 1ms), "2024-12-31T23:59:59.999Z");
    // Whole seconds: a finer time is cut, not rounded up to the next second.
    EXPECT_EQ(iso_utc(std::chrono::floor<std::chrono::seconds>(ms_time{date::sys_days{2025_y / 1 / 1}} - 1ms)),
              "2024-12-31T23:59:59Z");
}

TEST(iso8601, years_outside_four_digits_as_printf_writes_them) {
    const auto printf_date = [](date::year_month_day d) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                      static_cast<unsigned>(d.day()));
        return std::string(buf);
    };
    for (const auto d : {date::year{-1} / 1 / 1, date::year{0} / 12 / 31, date::year{999} / 1 / 9,
                         date::year{10000} / 1 / 1, date::year{32767} / 12 / 31})
        EXPECT_EQ(iso_date(d), printf_date(d));
    // Not a real date (a form's value before it is checked): written as printf would, not cut.
    const date::year_month_day odd{date::year{2024}, date::month{13}, date::day{200}};
    EXPECT_EQ(iso_date(odd), printf_date(odd));
}

TEST(iso8601, agrees_with_date_format_on_random_instants) {
    std::mt19937_64 rng(20240730);
    // 1900-01-01 to 2200-01-01, in milliseconds.
    const std::int64_t lo = (date::sys_days{1900_y / 1 / 1}.time_since_epoch() / 1ms);
    const std::int64_t hi = (date::sys_days{2200_y / 1 / 1}.time_since_epoch() / 1ms);
    std::uniform_int_distribution<std::int64_t> pick(lo, hi);
    for (int i = 0; i < 20000; ++i) {
        const ms_time t{std::chrono::milliseconds{pick(rng)}};
        const auto s = std::chrono::floor<std::chrono::seconds>(t);
        ASSERT_EQ(iso_utc_ms(t), date::format("%FT%TZ", t));
        ASSERT_EQ(iso_utc(s), date::format("%FT%TZ", s));
        ASSERT_EQ(iso_local(date::local_seconds{s.time_since_epoch()}), date::format("%FT%T", s));
        ASSERT_EQ(iso_date(date::year_month_day{std::chrono::floor<date::days>(s)}), date::format("%F", s));
    }
}

}  // namespace iso8601_test_cpp
}  // namespace
