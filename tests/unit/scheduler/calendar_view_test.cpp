// Calendar pages on hand-built campaigns with real tzdata: Monday-first month grids, month and year
// boundaries, midnight crossing, a DST zone, filters, cancelled and internal activities, conflicts.
#include "scheduler/calendar/calendar_view.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace calendar_view_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::activity;
using loa::core::calendar_date;
using loa::core::campaign;
using loa::scheduler::build_calendar;
using loa::scheduler::calendar_day;
using loa::scheduler::calendar_page;
using loa::scheduler::calendar_request;
using loa::scheduler::calendar_view;
using loa::scheduler::conflict_kind;
using loa::scheduler::view_range;

date::local_seconds at(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::local_days{d} + tod;
}

activity make(std::string id, std::string dept, date::local_seconds start, std::chrono::seconds duration,
              std::string rrule = {}) {
    activity a;
    a.id = std::move(id);
    a.department = std::move(dept);
    a.kind = "school_session";
    a.title = {"Buổi học ngoại khóa về phòng, chống mua bán người", ""};
    a.start = start;
    a.end = start + duration;
    a.rrule = std::move(rrule);
    return a;
}

campaign base(std::string zone = "Asia/Ho_Chi_Minh") {
    campaign c;
    c.slug = "hp-2024";
    c.title = {"Tháng hành động", ""};
    c.time_zone = std::move(zone);
    c.period_start = 2024_y / date::July / 1;
    c.period_end = 2024_y / date::July / 31;
    c.departments = {{"giao-duc", {"Sở Giáo dục", ""}, {}}, {"cong-an", {"Công an", ""}, {}}};
    c.audiences = {{"phu-huynh", {"Phụ huynh", ""}}, {"hoc-sinh", {"Học sinh", ""}}};
    return c;
}

const calendar_day* day_of(const calendar_page& p, calendar_date d) {
    for (const auto& day : p.days)
        if (day.date == d) return &day;
    return nullptr;
}

calendar_request request(calendar_view v, calendar_date d) {
    calendar_request r;
    r.view = v;
    r.date = d;
    return r;
}

TEST(CalendarView, MonthGridStartsOnMondayAndGreysNeighbouringDays) {
    // July 2024 starts on a Monday and ends on a Wednesday.
    auto range = view_range(calendar_view::month, 2024_y / date::July / 17);
    EXPECT_EQ(range.first, 2024_y / date::July / 1);
    EXPECT_EQ(range.last, 2024_y / date::August / 4);
    // September 2024 starts on a Sunday: the grid begins on Monday 26 August.
    range = view_range(calendar_view::month, 2024_y / date::September / 30);
    EXPECT_EQ(range.first, 2024_y / date::August / 26);
    EXPECT_EQ(range.last, 2024_y / date::October / 6);
    // February 2021 fills exactly four weeks.
    range = view_range(calendar_view::month, 2021_y / date::February / 10);
    EXPECT_EQ(range.first, 2021_y / date::February / 1);
    EXPECT_EQ(range.last, 2021_y / date::February / 28);

    const auto page = build_calendar(base(), request(calendar_view::month, 2024_y / date::September / 30));
    ASSERT_EQ(page.days.size() % 7, 0U);
    ASSERT_EQ(page.days.size(), 42U);
    EXPECT_EQ(date::weekday{date::sys_days{page.days[0].date}}, date::Monday);
    EXPECT_FALSE(page.days[5].in_range);  // Saturday 31 August
    EXPECT_TRUE(page.days[6].in_range);   // Sunday 1 September
    EXPECT_FALSE(page.days.back().in_range);
}

TEST(CalendarView, PreviousAndNextCrossYearBoundaries) {
    auto page = build_calendar(base(), request(calendar_view::month, 2024_y / date::December / 31));
    EXPECT_EQ(page.next, 2025_y / date::January / 1);
    EXPECT_EQ(page.prev, 2024_y / date::November / 1);
    page = build_calendar(base(), request(calendar_view::week, 2025_y / date::January / 2));
    EXPECT_EQ(page.first, 2024_y / date::December / 30);
    EXPECT_EQ(page.last, 2025_y / date::January / 5);
    EXPECT_EQ(page.prev, 2024_y / date::December / 26);
    EXPECT_EQ(page.next, 2025_y / date::January / 9);
    page = build_calendar(base(), request(calendar_view::day, 2024_y / date::March / 1));
    EXPECT_EQ(page.prev, 2024_y / date::February / 29);
    ASSERT_EQ(page.days.size(), 1U);
}

TEST(CalendarView, WeeklyActivityLandsOnItsDaysInTheGrid) {
    campaign c = base();
    c.activities = {make("hoc-thu-tu", "giao-duc", at(2024_y / date::July / 3, 8h), 90min,
                         "FREQ=WEEKLY;BYDAY=WE;COUNT=4")};
    const auto page = build_calendar(c, request(calendar_view::month, 2024_y / date::July / 1));
    std::vector<calendar_date> with_entries;
    for (const auto& d : page.days) {
        if (!d.entries.empty()) with_entries.push_back(d.date);
    }
    EXPECT_EQ(with_entries, (std::vector<calendar_date>{2024_y / date::July / 3, 2024_y / date::July / 10,
                                                        2024_y / date::July / 17, 2024_y / date::July / 24}));
    const auto& e = day_of(page, 2024_y / date::July / 10)->entries.at(0);
    EXPECT_EQ(e.local_start, at(2024_y / date::July / 10, 8h));
    EXPECT_EQ(e.local_end, at(2024_y / date::July / 10, 9h + 30min));
    EXPECT_FALSE(e.continued);
    EXPECT_FALSE(e.continues);
}

TEST(CalendarView, AnOccurrenceCrossingMidnightIsOnBothDays) {
    campaign c = base();
    c.activities = {make("dem-van-nghe", "giao-duc", at(2024_y / date::July / 30, 22h), 3h),
                    make("ket-thuc-nua-dem", "giao-duc", at(2024_y / date::July / 30, 23h), 1h)};
    const auto page = build_calendar(c, request(calendar_view::week, 2024_y / date::July / 30));
    const auto* tue = day_of(page, 2024_y / date::July / 30);
    const auto* wed = day_of(page, 2024_y / date::July / 31);
    ASSERT_EQ(tue->entries.size(), 2U);
    EXPECT_TRUE(tue->entries[0].continues);
    EXPECT_FALSE(tue->entries[1].continues);  // ends at 00:00 exactly: not on Wednesday
    ASSERT_EQ(wed->entries.size(), 1U);
    EXPECT_EQ(wed->entries[0].occ.activity->id, "dem-van-nghe");
    EXPECT_TRUE(wed->entries[0].continued);
    EXPECT_FALSE(wed->entries[0].continues);
}

TEST(CalendarView, AllDayActivitiesCoverTheirDays) {
    campaign c = base();
    activity a = make("trien-lam", "giao-duc", at(2024_y / date::July / 8), 72h);
    a.all_day = true;
    c.activities = {a};
    const auto page = build_calendar(c, request(calendar_view::week, 2024_y / date::July / 8));
    EXPECT_EQ(page.days[0].entries.size(), 1U);
    EXPECT_EQ(page.days[2].entries.size(), 1U);
    EXPECT_TRUE(page.days[3].entries.empty());
}

TEST(CalendarView, DaysFollowTheCampaignZoneAcrossDst) {
    // Europe/Berlin leaves summer time on Sunday 27 October 2024 (a 25-hour day).
    campaign c = base("Europe/Berlin");
    c.activities = {
        make("toi-thu-bay", "giao-duc", at(2024_y / date::October / 26, 23h + 30min), 1h),
        make("hang-ngay", "giao-duc", at(2024_y / date::October / 25, 9h), 1h, "FREQ=DAILY;COUNT=4")};
    const auto page = build_calendar(c, request(calendar_view::month, 2024_y / date::October / 27));
    const auto* sat = day_of(page, 2024_y / date::October / 26);
    const auto* sun = day_of(page, 2024_y / date::October / 27);
    const auto* mon = day_of(page, 2024_y / date::October / 28);
    ASSERT_TRUE(sat && sun && mon);
    ASSERT_EQ(mon->entries.size(), 1U);
    ASSERT_EQ(sat->entries.size(), 2U);
    ASSERT_EQ(sun->entries.size(), 2U);
    // 09:00 local every day on both sides of the change.
    for (const auto* d : {sat, sun, mon}) {
        const auto& daily =
            d->entries.back().occ.activity->id == "hang-ngay" ? d->entries.back() : d->entries.front();
        EXPECT_EQ(daily.local_start - date::floor<date::days>(daily.local_start), 9h);
    }
    // The Saturday 23:30 event runs into Sunday 00:30 local.
    EXPECT_EQ(sun->entries[0].occ.activity->id, "toi-thu-bay");
    EXPECT_TRUE(sun->entries[0].continued);
}

TEST(CalendarView, AnActivityInAnotherZoneIsShownInTheCampaignsZone) {
    campaign c = base();
    activity a = make("giao-luu-berlin", "cong-an", at(2024_y / date::July / 15, 19h), 1h);
    a.time_zone = "Europe/Berlin";  // 19:00 in Berlin (UTC+2) is 00:00 the next day in Hai Phong
    c.activities = {a};
    const auto page = build_calendar(c, request(calendar_view::week, 2024_y / date::July / 15));
    EXPECT_TRUE(day_of(page, 2024_y / date::July / 15)->entries.empty());
    const auto& e = day_of(page, 2024_y / date::July / 16)->entries.at(0);
    EXPECT_EQ(e.local_start, at(2024_y / date::July / 16, 0h));
}

TEST(CalendarView, FiltersByDepartmentKindAndAudience) {
    campaign c = base();
    activity a = make("hoc", "giao-duc", at(2024_y / date::July / 2, 8h), 1h);
    a.audiences = {"hoc-sinh"};
    activity b = make("tuan-tra", "cong-an", at(2024_y / date::July / 2, 9h), 1h);
    b.kind = "inspection";
    b.audiences = {"phu-huynh"};
    c.activities = {a, b};
    auto count = [&](calendar_request r) {
        std::size_t n = 0;
        for (const auto& d : build_calendar(c, r).days) n += d.entries.size();
        return n;
    };
    auto r = request(calendar_view::day, 2024_y / date::July / 2);
    EXPECT_EQ(count(r), 2U);
    r.department = "cong-an";
    EXPECT_EQ(count(r), 1U);
    r.department = "";
    r.kind = "school_session";
    EXPECT_EQ(count(r), 1U);
    r.kind = "";
    r.audience = "phu-huynh";
    EXPECT_EQ(count(r), 1U);
    r.audience = "ngu-dan";
    EXPECT_EQ(count(r), 0U);
}

TEST(CalendarView, CancelledAndInternalActivitiesAreShownMarked) {
    campaign c = base();
    activity a = make("huy", "giao-duc", at(2024_y / date::July / 2, 8h), 1h);
    a.location = {"Nhà văn hóa quận Lê Chân", ""};
    activity b = make("noi-bo", "cong-an", at(2024_y / date::July / 2, 8h + 30min), 1h);
    b.location = {"nhà văn hoá Quận Lê Chân", ""};
    b.vis = loa::core::visibility::internal;
    c.activities = {a, b};
    auto r = request(calendar_view::day, 2024_y / date::July / 2);
    r.with_conflicts = true;
    auto page = build_calendar(c, r);
    ASSERT_EQ(page.days[0].entries.size(), 2U);
    EXPECT_FALSE(page.days[0].entries[1].cancelled);
    EXPECT_TRUE(page.days[0].entries[1].internal);
    ASSERT_EQ(page.conflicts.size(), 1U);  // same venue, overlapping
    EXPECT_EQ(page.days[0].entries[0].conflicts, std::vector<std::size_t>{0});
    EXPECT_EQ(page.days[0].entries[1].conflicts, std::vector<std::size_t>{0});
    EXPECT_EQ(page.days[0].conflicts, std::vector<std::size_t>{0});

    r.cancelled = {"huy"};
    page = build_calendar(c, r);
    EXPECT_TRUE(page.days[0].entries[0].cancelled);
    EXPECT_TRUE(page.conflicts.empty());  // a cancelled activity conflicts with nothing
}

TEST(CalendarView, AgendaListsOnlyDaysWithSomething) {
    campaign c = base();
    c.activities = {make("hoc-thu-tu", "giao-duc", at(2024_y / date::July / 3, 8h), 90min,
                         "FREQ=WEEKLY;BYDAY=WE;COUNT=2")};
    const auto page = build_calendar(c, request(calendar_view::agenda, 2024_y / date::July / 20));
    EXPECT_EQ(page.first, 2024_y / date::July / 1);
    EXPECT_EQ(page.last, 2024_y / date::July / 31);
    ASSERT_EQ(page.days.size(), 2U);
    EXPECT_EQ(page.days[1].date, 2024_y / date::July / 10);
    EXPECT_EQ(page.next, 2024_y / date::August / 1);
}

TEST(CalendarView, ManyOccurrencesAreCutAtTheLimit) {
    campaign c = base();
    c.activities = {make("moi-gio", "giao-duc", at(2024_y / date::July / 1), 30min, "FREQ=HOURLY")};
    auto r = request(calendar_view::month, 2024_y / date::July / 1);
    r.limit = 100;
    const auto page = build_calendar(c, r);
    EXPECT_TRUE(page.truncated);
    std::size_t n = 0;
    for (const auto& d : page.days) n += d.entries.size();
    EXPECT_EQ(n, 100U);
}

TEST(CalendarView, ParsesViewNames) {
    EXPECT_EQ(loa::scheduler::parse_calendar_view("agenda"), calendar_view::agenda);
    EXPECT_EQ(loa::scheduler::parse_calendar_view("Month"), std::nullopt);
    EXPECT_EQ(loa::scheduler::calendar_view_name(calendar_view::week), "week");
}

}  // namespace calendar_view_test_cpp
}  // namespace
