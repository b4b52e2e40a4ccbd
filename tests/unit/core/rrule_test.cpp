// Tests of RRULE checking: valid rules pass, typos and RFC 5545 violations get a short explanation.
#include "core/time/rrule.hpp"

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace rrule_test_cpp {

using loa::core::check_rrule;

// The explanation for `rule`, or "" when it is accepted.
std::string why(std::string_view rule) {
    return check_rrule(rule).value_or("");
}

TEST(rrule, accepts_valid_rules) {
    for (const char* good :
         {"FREQ=MONTHLY;BYDAY=1TH;COUNT=6", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=DAILY",
          "FREQ=HOURLY;INTERVAL=2", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY;BYDAY=-1FR",
          "FREQ=MONTHLY;BYDAY=+2SA", "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=30", "FREQ=WEEKLY;UNTIL=20240731",
          "FREQ=WEEKLY;UNTIL=20240731T235959Z", "FREQ=WEEKLY;UNTIL=20240731T170000",
          "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH",
          "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "FREQ=YEARLY;BYYEARDAY=1,-1",
          "FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0,30", "freq=monthly;byday=1th", "FREQ=MONTHLY;BYMONTHDAY=-1"}) {
        EXPECT_EQ(check_rrule(good), std::nullopt) << good << ": " << why(good);
    }
}

TEST(rrule, rejects_empty_and_prefixed_rules) {
    EXPECT_NE(why(""), "");
    EXPECT_NE(why("RRULE:FREQ=DAILY").find("RRULE:"), std::string::npos);
    EXPECT_NE(why("rrule:FREQ=DAILY"), "");
}

TEST(rrule, explains_a_misspelt_frequency) {
    const auto msg = why("FREQ=MONTLY;BYDAY=1TH");
    EXPECT_NE(msg.find("MONTLY"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'MONTHLY'"), std::string::npos) << msg;
}

TEST(rrule, explains_unknown_parts_and_weekdays) {
    EXPECT_NE(why("FREQ=WEEKLY;BYDAYS=MO").find("did you mean 'BYDAY'"), std::string::npos);
    EXPECT_NE(why("FREQ=WEEKLY;BYDAY=XX").find("weekday"), std::string::npos);
    EXPECT_NE(why("FREQ=WEEKLY;BYDAY=MON"), "");
    EXPECT_NE(why("FREQ=WEEKLY;BYDAY=T2"), "");
    EXPECT_NE(why("FREQ=WEEKLY;WKST=XX"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYDAY=0FR"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYDAY=255SU"), "");
}

TEST(rrule, rejects_bad_count_interval_and_until) {
    EXPECT_NE(why("FREQ=DAILY;COUNT=abc").find("COUNT"), std::string::npos);
    EXPECT_NE(why("FREQ=DAILY;COUNT=5abc"), "");
    EXPECT_NE(why("FREQ=DAILY;COUNT=0"), "");
    EXPECT_NE(why("FREQ=DAILY;COUNT=-3"), "");
    EXPECT_NE(why("FREQ=DAILY;COUNT="), "");
    EXPECT_NE(why("FREQ=DAILY;INTERVAL=0"), "");
    EXPECT_NE(why("FREQ=DAILY;INTERVAL=99999999999"), "");
    EXPECT_NE(why("FREQ=DAILY;UNTIL=20240230"), "");
    EXPECT_NE(why("FREQ=DAILY;UNTIL=2024-07-31"), "");
    EXPECT_NE(why("FREQ=DAILY;UNTIL=20240731T250000Z"), "");
    EXPECT_NE(why("FREQ=DAILY;UNTIL=20240731T1200"), "");
}

TEST(rrule, rejects_count_with_until) {
    const auto msg = why("FREQ=DAILY;COUNT=3;UNTIL=20240731");
    EXPECT_NE(msg.find("COUNT and UNTIL"), std::string::npos) << msg;
}

TEST(rrule, rejects_structural_mistakes) {
    EXPECT_NE(why("BYDAY=MO").find("FREQ"), std::string::npos);  // no FREQ
    EXPECT_NE(why("FREQ=DAILY;FREQ=WEEKLY"), "");
    EXPECT_NE(why("FREQ=DAILY;"), "");
    EXPECT_NE(why(";FREQ=DAILY"), "");
    EXPECT_NE(why("FREQ=DAILY;;COUNT=2"), "");
    EXPECT_NE(why("FREQ"), "");
    EXPECT_NE(why("FREQ=DAILY COUNT=2"), "");
    EXPECT_NE(why("FREQ=DAILY\nCOUNT=2"), "");
    EXPECT_NE(why(std::string_view("FREQ=DAILY\0;COUNT=x", 19)), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYMONTHDAY=32"), "");
    EXPECT_NE(why("FREQ=YEARLY;BYMONTH=13"), "");
    EXPECT_NE(why("FREQ=YEARLY;BYMONTH=1L"), "");
    EXPECT_NE(why("FREQ=DAILY;BYHOUR=24"), "");
    EXPECT_NE(why("FREQ=DAILY;RSCALE=GREGORIAN"), "");
    EXPECT_NE(why("FREQ=Hàng tháng"), "");
}

TEST(rrule, enforces_rfc5545_part_combinations) {
    EXPECT_NE(why("FREQ=WEEKLY;BYDAY=1MO"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYWEEKNO=3"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYYEARDAY=100"), "");
    EXPECT_NE(why("FREQ=WEEKLY;BYMONTHDAY=1"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYSETPOS=1"), "");
    EXPECT_NE(why("FREQ=MINUTELY").find("hourly"), std::string::npos);
    EXPECT_NE(why("FREQ=SECONDLY"), "");
}

TEST(rrule, rejects_rules_that_never_match) {
    EXPECT_NE(why("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31"), "");
    EXPECT_NE(why("FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=-31"), "");
    // Only leap years have 29 February, but they exist.
    EXPECT_EQ(check_rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=MONTHLY;BYMONTH=2,4;BYMONTHDAY=30"), std::nullopt);
}

TEST(rrule, rejects_rules_whose_sets_are_always_empty) {
    EXPECT_NE(why("FREQ=MONTHLY;BYDAY=6MO"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=-1"), "");
    EXPECT_NE(why("FREQ=MONTHLY;BYMONTHDAY=29;BYSETPOS=2"), "");
    EXPECT_NE(why("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6;BYDAY=MO"), "");
    EXPECT_NE(why("FREQ=YEARLY;BYYEARDAY=367"), "");
    // Rare but real: five Mondays in a month, a Friday the 13th, 53 Mondays in a year, day 366.
    for (const char* rare :
         {"FREQ=MONTHLY;BYDAY=5MO", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "FREQ=YEARLY;BYDAY=53MO",
          "FREQ=YEARLY;BYMONTH=2;BYDAY=5MO", "FREQ=YEARLY;BYYEARDAY=366", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
          "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=9", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"}) {
        EXPECT_EQ(check_rrule(rare), std::nullopt) << rare << ": " << why(rare);
    }
}

// libical alone searches until the year 20000 before it gives up on these (seconds each).
TEST(rrule, rejects_never_matching_rules_quickly) {
    const auto begin = std::chrono::steady_clock::now();
    for (const char* never :
         {"FREQ=MONTHLY;BYDAY=53SU;COUNT=3", "FREQ=MONTHLY;BYDAY=1MO,-2TU;WKST=SU;BYMONTHDAY=-1",
          "WKST=SU;BYMONTHDAY=31;BYSETPOS=366;FREQ=MONTHLY", "BYSETPOS=366;BYDAY=-1FR;FREQ=YEARLY",
          "FREQ=MONTHLY;BYSETPOS=366;BYDAY=5MO;BYSECOND=60",
          "BYDAY=MO,TU;BYSETPOS=-1;BYMONTH=2;BYWEEKNO=-1;FREQ=YEARLY",
          "FREQ=YEARLY;BYHOUR=23;BYMONTH=2;BYSETPOS=366;BYMONTHDAY=-1"}) {
        EXPECT_NE(why(never), "") << never;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
}

TEST(rrule, checks_the_rule_against_its_start) {
    using namespace date::literals;
    const auto at = [](date::year_month_day d) { return date::local_days{d} + std::chrono::hours{9}; };
    // libical takes the missing day from DTSTART: there is no 30 February.
    EXPECT_NE(check_rrule("FREQ=YEARLY;BYMONTH=2", at(2024_y / 1 / 30)), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=YEARLY;BYMONTH=2", at(2024_y / 1 / 15)), std::nullopt);
    // … and the missing month: April has no 31st.
    EXPECT_NE(check_rrule("FREQ=YEARLY;BYMONTHDAY=31", at(2024_y / 4 / 10)), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=YEARLY;BYMONTHDAY=31", at(2024_y / 5 / 10)), std::nullopt);
    // INTERVAL keeps every 12th month, always an April here.
    EXPECT_NE(check_rrule("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", at(2024_y / 4 / 30)), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", at(2024_y / 1 / 31)), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=MONTHLY;INTERVAL=9999;BYDAY=-1FR", at(2024_y / 1 / 26)), std::nullopt);
    EXPECT_EQ(check_rrule("FREQ=MONTHLY;BYDAY=1TH;COUNT=6", at(2024_y / 7 / 4)), std::nullopt);
    // Still every check of the one-argument form.
    EXPECT_NE(check_rrule("FREQ=MONTLY", at(2024_y / 7 / 4)), std::nullopt);
    // Beyond the years libical iterates.
    EXPECT_NE(check_rrule("FREQ=DAILY", at(3000_y / 1 / 1)), std::nullopt);
}

TEST(rrule, rejects_overlong_rules) {
    std::string rule = "FREQ=DAILY;BYHOUR=1";
    while (rule.size() < 2000) rule += ",1";
    EXPECT_NE(why(rule), "");
}

TEST(rrule, survives_random_bytes) {
    std::mt19937 rng(20240730);
    const std::string alphabet = "FREQ=DAILYWEKMONTHBYSPCUNI;,=-+0123456789TZ\x01\xff ";
    std::uniform_int_distribution<std::size_t> len(0, 60);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int i = 0; i < 20000; ++i) {
        std::string s = i % 2 ? "FREQ=MONTHLY;" : "";
        for (std::size_t n = len(rng); n > 0; --n) s.push_back(alphabet[pick(rng)]);
        (void)check_rrule(s);
    }
    SUCCEED();
}

TEST(rrule, is_thread_safe) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t, &failures] {
            for (int i = 0; i < 200; ++i) {
                const bool good_ok = !check_rrule("FREQ=MONTHLY;BYDAY=1TH;COUNT=6").has_value();
                const bool bad_caught =
                    check_rrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;BYDAY=XX").has_value();
                const bool libical_bad = check_rrule("FREQ=MONTHLY;BYSETPOS=1").has_value();
                if (!good_ok || !bad_caught || !libical_bad) ++failures[static_cast<std::size_t>(t)];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace rrule_test_cpp
}  // namespace
