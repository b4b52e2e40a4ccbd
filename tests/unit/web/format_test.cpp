// Dates, times and numbers in Vietnamese and English.
#include "server/web/render.hpp"

#include <gtest/gtest.h>

#include <date/tz.h>

#include "core/time/zone.hpp"

namespace {
namespace format_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
namespace web = loa::web;

TEST(FormatDate, VietnameseIsDayMonthYear) {
    EXPECT_EQ(web::format_date(2024_y / 7 / 30, "vi"), "30/07/2024");
    EXPECT_EQ(web::format_date(2024_y / 1 / 5, "vi"), "05/01/2024");
    EXPECT_EQ(web::format_date_long(2024_y / 7 / 30, "vi"), "Thứ Ba, 30/07/2024");
    EXPECT_EQ(web::format_date_long(2024_y / 7 / 28, "vi"), "Chủ nhật, 28/07/2024");
}

TEST(FormatDate, EnglishSpellsTheMonth) {
    EXPECT_EQ(web::format_date(2024_y / 7 / 30, "en"), "30 July 2024");
    EXPECT_EQ(web::format_date(2024_y / 1 / 5, "en"), "5 January 2024");
    EXPECT_EQ(web::format_date_long(2024_y / 7 / 30, "en"), "Tuesday, 30 July 2024");
}

TEST(FormatDate, InvalidDateFallsBackToIso) {
    EXPECT_EQ(web::format_date(2024_y / 2 / 30, "vi"), "2024-02-30");
    EXPECT_EQ(web::iso_date(2024_y / 7 / 1), "2024-07-01");
}

TEST(FormatTime, TwentyFourHourInBoth) {
    EXPECT_EQ(web::format_time(19h, "vi"), "19:00");
    EXPECT_EQ(web::format_time(7h + 5min, "en"), "07:05");
    EXPECT_EQ(web::format_time(24h + 30min, "vi"), "00:30");
    EXPECT_EQ(web::format_time(-30min, "vi"), "23:30");
}

TEST(FormatDatetime, InTheCampaignZone) {
    const auto* hcm = loa::core::find_zone("Asia/Ho_Chi_Minh");
    ASSERT_NE(hcm, nullptr);
    // 12:00 UTC is 19:00 in Hai Phong (UTC+7).
    const loa::core::sys_seconds t = date::sys_days{2024_y / 7 / 30} + 12h;
    EXPECT_EQ(web::format_datetime(t, hcm, "vi"), "30/07/2024 19:00");
    EXPECT_EQ(web::format_datetime(t, hcm, "en"), "30 July 2024, 19:00");
    // 20:00 UTC crosses midnight there.
    EXPECT_EQ(web::format_datetime(t + 8h, hcm, "vi"), "31/07/2024 03:00");
    EXPECT_EQ(web::format_datetime(t, nullptr, "vi"), "30/07/2024 12:00");
    const loa::core::local_time local = date::local_days{2024_y / 7 / 30} + 8h + 15min;
    EXPECT_EQ(web::format_local_datetime(local, "vi"), "30/07/2024 08:15");
}

TEST(FormatNumber, SeparatorsPerLanguage) {
    EXPECT_EQ(web::format_number(1234.5, "vi"), "1.234,5");
    EXPECT_EQ(web::format_number(1234.5, "en"), "1,234.5");
    EXPECT_EQ(web::format_number(1234567.891, "vi", 2), "1.234.567,89");
    EXPECT_EQ(web::format_number(1234567.891, "en", 2), "1,234,567.89");
    EXPECT_EQ(web::format_number(999, "vi"), "999");
    EXPECT_EQ(web::format_number(1000, "vi"), "1.000");
    EXPECT_EQ(web::format_number(-1234.25, "en"), "-1,234.25");
    EXPECT_EQ(web::format_number(0.5, "vi", 0), "0");  // round half to even, as printf does
    EXPECT_EQ(web::format_number(-0.0001, "vi", 2), "0,00");
    EXPECT_EQ(web::format_number(3.0, "en", 1), "3.0");
}

TEST(FormatNumber, PercentagesAreWrittenAlikeOnEveryPage) {
    EXPECT_EQ(web::format_percent(0.625, "vi"), "62,5%");
    EXPECT_EQ(web::format_percent(0.625, "en"), "62.5%");
    EXPECT_EQ(web::format_percent(1.0, "vi"), "100%");
    EXPECT_EQ(web::format_percent(0.0, "en"), "0%");
    EXPECT_EQ(web::format_percent(2.0 / 3.0, "en"), "66.7%");
    EXPECT_EQ(web::format_percent(0.024449, "vi", 2), "2,44%");
}

TEST(FormatNumber, Integers) {
    EXPECT_EQ(web::format_integer(0, "vi"), "0");
    EXPECT_EQ(web::format_integer(1234567, "vi"), "1.234.567");
    EXPECT_EQ(web::format_integer(1234567, "en"), "1,234,567");
    EXPECT_EQ(web::format_integer(-1000, "en"), "-1,000");
    EXPECT_EQ(web::format_integer(std::numeric_limits<long long>::min(), "en"), "-9,223,372,036,854,775,808");
}

TEST(Names, WeekdaysAndMonths) {
    EXPECT_EQ(web::weekday_name(date::Monday, "vi"), "Thứ Hai");
    EXPECT_EQ(web::weekday_name(date::Sunday, "vi", true), "CN");
    EXPECT_EQ(web::weekday_name(date::Saturday, "vi", true), "T7");
    EXPECT_EQ(web::weekday_name(date::Wednesday, "en"), "Wednesday");
    EXPECT_EQ(web::weekday_name(date::Wednesday, "en", true), "Wed");
    EXPECT_EQ(web::month_name(date::July, "vi"), "Tháng 7");
    EXPECT_EQ(web::month_name(date::December, "vi", true), "Th12");
    EXPECT_EQ(web::month_name(date::July, "en"), "July");
    EXPECT_EQ(web::month_name(date::September, "en", true), "Sep");
}

}  // namespace format_test_cpp
}  // namespace
