// The recurrence builder both ways: fields → RRULE (checked by core::check_rrule) and RRULE → fields.
#include "scheduler/calendar/recurrence_builder.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace recurrence_builder_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::scheduler::build_rrule;
using loa::scheduler::parse_rrule_for_form;
using loa::scheduler::recurrence_form;

// Thursday 4 July 2024, 09:00.
const date::local_seconds thursday = date::local_days{2024_y / date::July / 4} + 9h;

recurrence_form weekly(std::vector<std::string> days) {
    recurrence_form f;
    f.repeat = "weekly";
    f.weekdays = std::move(days);
    return f;
}

std::string field_of_first_error(const recurrence_form& f) {
    const auto r = build_rrule(f, thursday);
    return r.errors.empty() ? std::string("(none)") : r.errors.front().field;
}

TEST(RecurrenceBuilder, NoneIsAnEmptyRule) {
    const auto r = build_rrule(recurrence_form{}, thursday);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.rrule, "");
    EXPECT_EQ(parse_rrule_for_form(""), recurrence_form{});
}

TEST(RecurrenceBuilder, WeeklyOnChosenDaysInWeekOrder) {
    auto f = weekly({"thu", "mon"});
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=WEEKLY;BYDAY=MO,TH");
    f.ends = "count";
    f.count = "10";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10");
    f.ends = "until";
    f.until = "2024-07-31";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20240731");
}

TEST(RecurrenceBuilder, MonthlyOnTheNthOrLastWeekday) {
    recurrence_form f;
    f.repeat = "monthly";
    f.monthly_by = "weekday";
    f.month_week = "1";
    f.month_weekday = "thu";
    f.ends = "count";
    f.count = "6";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=MONTHLY;BYDAY=1TH;COUNT=6");
    f.month_week = "-1";
    f.month_weekday = "fri";
    f.ends = "never";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=MONTHLY;BYDAY=-1FR");
}

TEST(RecurrenceBuilder, MonthlyOnADateAndDaily) {
    recurrence_form f;
    f.repeat = "monthly";
    f.monthly_by = "date";
    f.month_day = "15";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=MONTHLY;BYMONTHDAY=15");
    f = {};
    f.repeat = "daily";
    f.ends = "count";
    f.count = "3";
    EXPECT_EQ(build_rrule(f, thursday).rrule, "FREQ=DAILY;COUNT=3");
}

TEST(RecurrenceBuilder, EachWrongFieldIsNamed) {
    EXPECT_EQ(field_of_first_error(weekly({})), "weekdays");
    EXPECT_EQ(field_of_first_error(weekly({"thứ hai"})), "weekdays");
    auto f = weekly({"mon"});
    f.ends = "count";
    for (const char* bad : {"", "0", "1000", "-3", "2.5", "mười"}) {
        f.count = bad;
        EXPECT_EQ(field_of_first_error(f), "count") << bad;
    }
    f.ends = "until";
    for (const char* bad : {"", "31.07.2024", "31/06/2024", "2024-02-30", "2024-7-31"}) {
        f.until = bad;
        EXPECT_EQ(field_of_first_error(f), "until") << bad;
    }
    f.until = "31/07/2024";  // as it is written in Vietnamese
    EXPECT_EQ(field_of_first_error(f), "(none)");
    f.until = "2024-07-03";  // the day before the start
    EXPECT_EQ(field_of_first_error(f), "until");
    f.until = "2024-07-04";  // the start's own day is fine
    EXPECT_TRUE(build_rrule(f, thursday).ok());
    f.ends = "sometime";
    EXPECT_EQ(field_of_first_error(f), "ends");

    recurrence_form m;
    m.repeat = "monthly";
    m.month_week = "5";
    EXPECT_EQ(field_of_first_error(m), "month_week");
    m.month_week = "2";
    m.month_weekday = "xyz";
    EXPECT_EQ(field_of_first_error(m), "month_weekday");
    m.monthly_by = "date";
    m.month_day = "32";
    EXPECT_EQ(field_of_first_error(m), "month_day");
    m.monthly_by = "yearly";
    EXPECT_EQ(field_of_first_error(m), "monthly_by");
    m.repeat = "hourly";
    EXPECT_EQ(field_of_first_error(m), "repeat");
}

TEST(RecurrenceBuilder, AllErrorsAtOnce) {
    auto f = weekly({});
    f.ends = "count";
    f.count = "x";
    const auto r = build_rrule(f, thursday);
    ASSERT_EQ(r.errors.size(), 2U);
    EXPECT_EQ(r.errors[0].field, "weekdays");
    EXPECT_EQ(r.errors[1].field, "count");
}

TEST(RecurrenceBuilder, AdvancedRulesAreCheckedAsTyped) {
    recurrence_form f;
    f.repeat = "advanced";
    f.advanced = "  RRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;COUNT=24 ";
    auto r = build_rrule(f, thursday);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.rrule, "FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;COUNT=24");

    f.advanced = "FREQ=MONTLY;BYDAY=1TH";
    r = build_rrule(f, thursday);
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].field, "advanced");
    ASSERT_EQ(r.errors[0].args.size(), 1U);
    EXPECT_NE(r.errors[0].args[0].second.find("MONTHLY"), std::string::npos) << r.errors[0].args[0].second;
    // The sentence is a msgid the page translates; only RFC 5545's own detail stays in English.
    EXPECT_EQ(
        r.errors[0].msgid,
        "The rule does not follow RFC 5545, for example FREQ=MONTHLY;BYDAY=1TH;COUNT=6 (technical detail, "
        "in English: {reason}).");

    f.advanced = " ";
    EXPECT_EQ(field_of_first_error(f), "advanced");
}

TEST(RecurrenceBuilder, ARuleThatNeverHappensFromTheStartIsRefused) {
    recurrence_form f;
    f.repeat = "advanced";
    f.advanced = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30";
    auto r = build_rrule(f, thursday);
    ASSERT_EQ(r.errors.size(), 1U);
    // Said in the page's words (a msgid without English arguments), not core's English reason.
    const std::string never =
        "The repetition never falls on a real day from the activity's start (like 30 February, or a 6th "
        "Monday).";
    EXPECT_EQ(r.errors[0].msgid, never);
    EXPECT_TRUE(r.errors[0].args.empty());
    // From the start date: February from an activity on the 30th.
    f.advanced = "FREQ=YEARLY;BYMONTH=2";
    r = build_rrule(f, date::local_days{2024_y / date::January / 30} + std::chrono::hours{9});
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].msgid, never);
    EXPECT_TRUE(r.errors[0].args.empty());
    // A start libical cannot take, from the builder's own fields.
    recurrence_form daily;
    daily.repeat = "daily";
    r = build_rrule(daily, date::local_days{date::year{2600} / 1 / 1});
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].field, "repeat");
    EXPECT_EQ(r.errors[0].msgid, "A repetition needs a start date between the years 1 and 2582.");
    EXPECT_TRUE(r.errors[0].args.empty());
}

TEST(RecurrenceBuilder, ParsesWhatTheBuilderExpresses) {
    auto f = parse_rrule_for_form("FREQ=WEEKLY;BYDAY=TH,MO;COUNT=10");
    EXPECT_EQ(f.repeat, "weekly");
    EXPECT_EQ(f.weekdays, (std::vector<std::string>{"mon", "thu"}));
    EXPECT_EQ(f.ends, "count");
    EXPECT_EQ(f.count, "10");

    f = parse_rrule_for_form("freq=monthly;byday=-1fr;until=20240930");
    EXPECT_EQ(f.repeat, "monthly");
    EXPECT_EQ(f.monthly_by, "weekday");
    EXPECT_EQ(f.month_week, "-1");
    EXPECT_EQ(f.month_weekday, "fri");
    EXPECT_EQ(f.ends, "until");
    EXPECT_EQ(f.until, "2024-09-30");

    f = parse_rrule_for_form("FREQ=MONTHLY;BYMONTHDAY=15;INTERVAL=1");
    EXPECT_EQ(f.monthly_by, "date");
    EXPECT_EQ(f.month_day, "15");

    // Plain weekly and monthly rules take their day from the start.
    f = parse_rrule_for_form("FREQ=WEEKLY;COUNT=4", thursday);
    EXPECT_EQ(f.weekdays, std::vector<std::string>{"thu"});
    f = parse_rrule_for_form("FREQ=MONTHLY", thursday);
    EXPECT_EQ(f.monthly_by, "date");
    EXPECT_EQ(f.month_day, "4");
}

TEST(RecurrenceBuilder, WhatTheBuilderCannotExpressIsAdvanced) {
    for (const char* rule :
         {"FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;COUNT=24", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=YEARLY",
          "FREQ=MONTHLY;BYDAY=5SU", "FREQ=MONTHLY;BYDAY=1MO,3MO", "FREQ=MONTHLY;BYDAY=MO",
          "FREQ=WEEKLY;BYDAY=1MO", "FREQ=WEEKLY;UNTIL=20240731T235959Z", "FREQ=MONTHLY;BYMONTHDAY=-1",
          "FREQ=WEEKLY;BYDAY=MO;WKST=SU", "FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "FREQ=DAILY;", "COUNT=3",
          "FREQ=WEEKLY", "FREQ=MONTHLY"}) {
        const auto f = parse_rrule_for_form(rule);
        EXPECT_EQ(f.repeat, "advanced") << rule;
        EXPECT_EQ(f.advanced, rule);
    }
}

TEST(RecurrenceBuilder, RoundTripsFromRules) {
    for (const char* rule :
         {"FREQ=DAILY", "FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10",
          "FREQ=WEEKLY;BYDAY=TU,SA;COUNT=9", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;UNTIL=20240802",
          "FREQ=MONTHLY;BYDAY=4TH;COUNT=6", "FREQ=MONTHLY;BYDAY=-1SU",
          "FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20241231", "FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;COUNT=24"}) {
        const auto r = build_rrule(parse_rrule_for_form(rule, thursday), thursday);
        EXPECT_TRUE(r.ok()) << rule;
        EXPECT_EQ(r.rrule, rule);
    }
}

TEST(RecurrenceBuilder, RoundTripsFromForms) {
    std::vector<recurrence_form> forms;
    forms.push_back(weekly({"wed"}));
    auto f = weekly({"mon", "wed", "fri"});
    f.ends = "until";
    f.until = "2024-08-02";
    forms.push_back(f);
    recurrence_form m;
    m.repeat = "monthly";
    m.month_week = "3";
    m.month_weekday = "sat";
    m.ends = "count";
    m.count = "4";
    forms.push_back(m);
    m.monthly_by = "date";
    m.month_day = "28";
    m.month_week = "1";
    m.month_weekday = "mon";
    forms.push_back(m);
    for (const auto& form : forms) {
        const auto r = build_rrule(form, thursday);
        ASSERT_TRUE(r.ok()) << r.rrule;
        EXPECT_EQ(parse_rrule_for_form(r.rrule), form) << r.rrule;
    }
}

}  // namespace recurrence_builder_test_cpp
}  // namespace
