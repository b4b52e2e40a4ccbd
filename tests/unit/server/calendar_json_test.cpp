// Calendar query checking, occurrence rendering and the expansion behind the calendar resource.
#include "server/handlers/calendar_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tests/support/api_campaign.hpp"

namespace loa::handlers {
namespace {
namespace calendar_json_test_cpp {

namespace json = boost::json;
using namespace date::literals;

const date::time_zone* hcm() { return core::find_zone("Asia/Ho_Chi_Minh"); }
std::string iso(core::sys_seconds t) { return core::format_iso8601(t, hcm()); }

// The query, failing the test with the complaints when it is rejected.
calendar_query accepted(const query_params& params) {
    const auto r = parse_calendar_query(testing::api_campaign(), params);
    if (!r) {
        std::string all;
        for (const auto& p : r.error()) all += p.name + ": " + p.reason + "\n";
        ADD_FAILURE() << "rejected:\n" << all;
        return {};
    }
    return *r;
}

std::vector<invalid_param> rejected(const query_params& params) {
    const auto r = parse_calendar_query(testing::api_campaign(), params);
    if (r) {
        ADD_FAILURE() << "accepted";
        return {};
    }
    return r.error();
}

TEST(CalendarQuery, DefaultsToTheCampaignPeriodInItsZone) {
    const auto q = accepted({});
    EXPECT_EQ(iso(q.from), "2024-07-01T00:00:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-08-01T00:00:00+07:00");
    EXPECT_EQ(q.department, "");
}

TEST(CalendarQuery, EmptyValuesCountAsAbsent) {
    const auto q = accepted({{"department", ""}, {"from", ""}, {"to", ""}});
    EXPECT_EQ(iso(q.from), "2024-07-01T00:00:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-08-01T00:00:00+07:00");
    EXPECT_EQ(q.department, "");
}

TEST(CalendarQuery, BareDatesAreLocalAndToIsInclusive) {
    const auto q = accepted({{"department", "education"}, {"from", "2024-07-10"}, {"to", "2024-07-10"}});
    EXPECT_EQ(q.department, "education");
    EXPECT_EQ(iso(q.from), "2024-07-10T00:00:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-07-11T00:00:00+07:00");
}

TEST(CalendarQuery, DateTimesWithAndWithoutOffsets) {
    auto q = accepted({{"from", "2024-07-10T08:30:00+07:00"}, {"to", "2024-07-10T12:00:00Z"}});
    EXPECT_EQ(iso(q.from), "2024-07-10T08:30:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-07-10T19:00:00+07:00");
    // Without an offset a date-time is wall-clock time in the campaign's zone, and `to` is exact.
    q = accepted({{"from", "2024-07-10T08:30"}, {"to", "2024-07-10T09:00"}});
    EXPECT_EQ(iso(q.from), "2024-07-10T08:30:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-07-10T09:00:00+07:00");
    // Milliseconds, as software writes them (and as as-run reports take them), are dropped.
    q = accepted({{"from", "2024-07-10T01:30:00.500Z"}, {"to", "2024-07-10T09:00:00.999+07:00"}});
    EXPECT_EQ(iso(q.from), "2024-07-10T08:30:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-07-10T09:00:00+07:00");
}

TEST(CalendarQuery, AnUnescapedPlusInTheOffsetIsReadBack) {
    // "?from=2024-07-10T08:30:00+07:00" decodes to a space where the "+" was.
    const auto q = accepted({{"from", "2024-07-10T08:30:00 07:00"}, {"to", "2024-07-10T09:30 07:00"}});
    EXPECT_EQ(iso(q.from), "2024-07-10T08:30:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-07-10T09:30:00+07:00");
    EXPECT_EQ(rejected({{"from", "2024-07-10T08:30:00 xx"}}).size(), 1U);
}

TEST(CalendarQuery, OneBoundKeepsTheOtherDefault) {
    const auto q = accepted({{"from", "2024-07-20"}});
    EXPECT_EQ(iso(q.from), "2024-07-20T00:00:00+07:00");
    EXPECT_EQ(iso(q.to), "2024-08-01T00:00:00+07:00");
}

TEST(CalendarQuery, UnknownDepartmentIsNamedWithTheKnownOnes) {
    const auto errors = rejected({{"department", "educaton"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "department");
    EXPECT_NE(errors[0].reason.find("'educaton'"), std::string::npos) << errors[0].reason;
    EXPECT_NE(errors[0].reason.find("education, police, culture"), std::string::npos) << errors[0].reason;
}

TEST(CalendarQuery, MalformedDatesAreNamed) {
    for (const char* bad : {"hôm qua", "2024-7-1", "20240701", "2024-07-01x"}) {
        const auto errors = rejected({{"from", bad}});
        ASSERT_EQ(errors.size(), 1U) << bad;
        EXPECT_EQ(errors[0].name, "from") << bad;
        EXPECT_NE(errors[0].reason.find("YYYY-MM-DD"), std::string::npos) << errors[0].reason;
    }
    // Written right but naming no day or time: said in words.
    const std::pair<const char*, const char*> impossible[] = {
        {"2024-13-01", "'2024-13-01': 2024-13-01 is not a date (months go from 01 to 12)"},
        {"2024-02-30", "'2024-02-30': 2024-02-30 is not a date (February 2024 has 29 days)"},
        {"2024-07-01T25:00", "'2024-07-01T25:00': 25:00 is not a time of day (hours go to 23)"},
        {"2024-07-01T08:00 25:00", "'2024-07-01T08:00 25:00': +25:00 is not an offset from UTC (hours go to 23, minutes to 59)"},
    };
    for (const auto& [bad, reason] : impossible) {
        const auto errors = rejected({{"from", bad}});
        ASSERT_EQ(errors.size(), 1U) << bad;
        EXPECT_EQ(errors[0].name, "from") << bad;
        EXPECT_EQ(errors[0].reason, reason);
    }
    const auto errors = rejected({{"to", "31/07/2024"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "to");
}

TEST(CalendarQuery, EmptyOrReversedWindowBlamesTo) {
    auto errors = rejected({{"from", "2024-07-20"}, {"to", "2024-07-10"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "to");
    EXPECT_NE(errors[0].reason.find("must be after from"), std::string::npos) << errors[0].reason;

    errors = rejected({{"from", "2024-07-10T08:00+07:00"}, {"to", "2024-07-10T08:00+07:00"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "to");
}

TEST(CalendarQuery, AFromAfterTheDefaultEndBlamesFrom) {
    const auto errors = rejected({{"from", "2024-09-01"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "from");
}

TEST(CalendarQuery, WindowIsBounded) {
    EXPECT_TRUE(parse_calendar_query(testing::api_campaign(), {{"from", "2024-01-01"}, {"to", "2025-02-03"}}));
    const auto errors = rejected({{"from", "2024-01-01"}, {"to", "2025-02-04"}});
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].name, "to");
    EXPECT_NE(errors[0].reason.find("400 days"), std::string::npos) << errors[0].reason;
}

TEST(CalendarQuery, RepeatedAndUnknownParametersAreErrors) {
    const auto errors =
        rejected({{"department", "education"}, {"department", "police"}, {"dept", "education"}, {"from", "x"}});
    ASSERT_EQ(errors.size(), 3U);
    EXPECT_EQ(errors[0].name, "department");
    EXPECT_EQ(errors[0].reason, "given more than once");
    EXPECT_EQ(errors[1].name, "dept");
    EXPECT_NE(errors[1].reason.find("unknown parameter"), std::string::npos);
    EXPECT_EQ(errors[2].name, "from");
}

TEST(CalendarQuery, PublicQueriesNeverIncludeInternalActivities) {
    calendar_query q;
    q.department = "police";
    const auto oq = to_occurrence_query(q);
    EXPECT_FALSE(oq.include_internal);
    EXPECT_EQ(oq.department, "police");
    EXPECT_GT(oq.limit, max_calendar_occurrences);
}

TEST(CalendarJson, OccurrencesInTheCampaignZone) {
    const auto c = testing::api_campaign();
    const auto q = accepted({{"department", "culture"}});
    const core::activity& press = c.activities[1];
    const core::activity& fair = c.activities[2];
    const std::vector<scheduler::occurrence> occ = {
        {&press, core::to_sys(press.start, hcm()), core::to_sys(press.end, hcm())},
        {&fair, core::to_sys(fair.start, hcm()), core::to_sys(fair.end, hcm())},
    };
    const auto body = calendar_json(c, q, occ);
    EXPECT_EQ(body.at("campaign"), "hp-test-2024");
    EXPECT_EQ(body.at("time_zone"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(body.at("from"), "2024-07-01T00:00:00+07:00");
    EXPECT_EQ(body.at("to"), "2024-08-01T00:00:00+07:00");
    EXPECT_EQ(body.at("department"), "culture");
    EXPECT_EQ(body.at("truncated"), false);
    const auto& items = body.at("occurrences").as_array();
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(json::serialize(items[0]),
              R"({"activity":"press-july","department":"culture","kind":"press_conference",)"
              R"("title":{"vi":"Họp báo tháng hành động","en":"Press conference"},)"
              R"("description":{"vi":"Công bố kế hoạch tháng bảy.","en":"The July plan."},)"
              R"("start":"2024-07-02T14:00:00+07:00","end":"2024-07-02T15:30:00+07:00","all_day":false,)"
              R"("location":null,"audiences":[],"visibility":"public","recurring":false})");
    EXPECT_EQ(items[1].at("all_day"), true);
    EXPECT_EQ(items[1].at("start"), "2024-07-30T00:00:00+07:00");
    EXPECT_EQ(items[1].at("end"), "2024-07-31T00:00:00+07:00");
    EXPECT_EQ(items[1].at("title").at("vi"), "Ngày hội văn hóa \"Nói không với mua bán người\"");

    EXPECT_TRUE(calendar_json(c, accepted({}), occ).at("department").is_null());
}

TEST(CalendarJson, MarksTruncation) {
    const auto c = testing::api_campaign();
    const core::activity& press = c.activities[1];
    const scheduler::occurrence one{&press, core::to_sys(press.start, hcm()), core::to_sys(press.end, hcm())};
    const auto q = accepted({});

    std::vector<scheduler::occurrence> occ(max_calendar_occurrences, one);
    auto body = calendar_json(c, q, occ);
    EXPECT_EQ(body.at("truncated"), false);
    EXPECT_EQ(body.at("occurrences").as_array().size(), max_calendar_occurrences);

    occ.push_back(one);
    body = calendar_json(c, q, occ);
    EXPECT_EQ(body.at("truncated"), true);
    EXPECT_EQ(body.at("occurrences").as_array().size(), max_calendar_occurrences);
}

TEST(CalendarResponse, ExpandsRecurringSchoolSessions) {
    const auto r = calendar_response(testing::api_campaign(), {{"department", "education"}});
    ASSERT_TRUE(r);
    const auto& items = r->at("occurrences").as_array();
    ASSERT_EQ(items.size(), 6U) << json::serialize(*r);
    const char* days[] = {"09", "11", "16", "18", "23", "25"};
    for (std::size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(items[i].at("activity"), "school-sessions");
        EXPECT_EQ(items[i].at("kind"), "school_session");
        EXPECT_EQ(items[i].at("recurring"), true);
        EXPECT_EQ(items[i].at("start").as_string(), std::string("2024-07-") + days[i] + "T08:00:00+07:00");
        EXPECT_EQ(items[i].at("end").as_string(), std::string("2024-07-") + days[i] + "T09:30:00+07:00");
        EXPECT_EQ(items[i].at("location").at("vi"), "Trường THCS Lê Lợi, quận Hồng Bàng");
        EXPECT_EQ(json::serialize(items[i].at("audiences")), R"(["children-under-16","parents"])");
    }
}

TEST(CalendarResponse, WindowCutsTheSeries) {
    const auto r = calendar_response(testing::api_campaign(),
                                     {{"department", "education"}, {"from", "2024-07-12"}, {"to", "2024-07-18"}});
    ASSERT_TRUE(r);
    const auto& items = r->at("occurrences").as_array();
    ASSERT_EQ(items.size(), 2U) << json::serialize(*r);
    EXPECT_EQ(items[0].at("start"), "2024-07-16T08:00:00+07:00");
    EXPECT_EQ(items[1].at("start"), "2024-07-18T08:00:00+07:00");
}

TEST(CalendarResponse, InternalInspectionsStayOutOfThePublicCalendar) {
    auto r = calendar_response(testing::api_campaign(), {});
    ASSERT_TRUE(r);
    const auto& items = r->at("occurrences").as_array();
    EXPECT_EQ(items.size(), 8U) << json::serialize(*r);  // 6 school sessions, the press conference, the fair
    for (const auto& o : items) {
        EXPECT_NE(o.at("activity"), "night-inspection");
        EXPECT_EQ(o.at("visibility"), "public");
    }
    r = calendar_response(testing::api_campaign(), {{"department", "police"}});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->at("occurrences").as_array().empty());
}

TEST(CalendarResponse, InvalidParametersComeBackInsteadOfABody) {
    const auto r = calendar_response(testing::api_campaign(), {{"to", "tháng bảy"}});
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().size(), 1U);
    EXPECT_EQ(r.error()[0].name, "to");
}

}  // namespace calendar_json_test_cpp
}  // namespace
}  // namespace loa::handlers
