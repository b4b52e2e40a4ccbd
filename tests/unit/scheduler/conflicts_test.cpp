// Conflicts of the master calendar: same venue, same outlet (derived from the location), and two
// departments' messages for one audience on the same days.
#include "scheduler/calendar/conflicts.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "scheduler/calendar/calendar_view.hpp"

namespace {
namespace conflicts_test_cpp {

using namespace date::literals;
using namespace std::chrono_literals;
using loa::core::activity;
using loa::core::campaign;
using loa::core::message;
using loa::scheduler::conflict_kind;
using loa::scheduler::expand_occurrences;
using loa::scheduler::find_activity_conflicts;
using loa::scheduler::find_audience_conflicts;
using loa::scheduler::occurrence_query;
using loa::scheduler::outlet_of;

date::local_seconds at(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::local_days{d} + tod;
}

activity make(std::string id, std::string dept, std::string kind, date::local_seconds start,
              std::chrono::seconds duration, std::string location) {
    activity a;
    a.id = std::move(id);
    a.department = std::move(dept);
    a.kind = std::move(kind);
    a.title = {"Hoạt động " + a.id, ""};
    a.start = start;
    a.end = start + duration;
    a.location = {std::move(location), ""};
    return a;
}

message msg(std::string id, std::string dept, date::year_month_day from, date::year_month_day to,
            std::vector<std::string> audiences, std::string state = "approved") {
    message m;
    m.id = std::move(id);
    m.department = std::move(dept);
    m.text = {"Hãy gọi 111 khi nghi ngờ trẻ em bị mua bán", ""};
    m.channels = {"radio"};
    m.flight_start = from;
    m.flight_end = to;
    m.audiences = std::move(audiences);
    m.state = std::move(state);
    return m;
}

campaign base() {
    campaign c;
    c.slug = "hp-2024";
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.audiences = {{"phu-huynh", {"Phụ huynh", ""}}, {"hoc-sinh", {"Học sinh", ""}}};
    loa::core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Đài Phát thanh và Truyền hình Hải Phòng – kênh truyền hình THP", "Hai Phong TV (THP)"};
    tv.kind = "tv";
    loa::core::outlet radio;
    radio.slug = "thp-radio";
    radio.name = {"Đài Phát thanh và Truyền hình Hải Phòng – kênh phát thanh", "Hai Phong radio"};
    radio.kind = "radio";
    c.outlets = {tv, radio};
    return c;
}

std::vector<loa::scheduler::conflict> activity_conflicts(const campaign& c) {
    occurrence_query q;
    q.from = loa::core::to_sys(at(2024_y / date::July / 1), loa::core::find_zone(c.time_zone));
    q.to = q.from + date::days{31};
    const auto occ = expand_occurrences(c, q);
    return find_activity_conflicts(c, occ, loa::core::find_zone(c.time_zone));
}

TEST(Conflicts, SameVenueOverlappingIsAConflictWhateverTheSpelling) {
    campaign c = base();
    c.activities = {make("hoc", "giao-duc", "school_session", at(2024_y / date::July / 6, 8h), 2h,
                         "Nhà văn hóa quận Lê Chân"),
                    make("noi-chuyen", "cong-an", "outreach", at(2024_y / date::July / 6, 9h), 2h,
                         "  nhà văn hoá – Quận Lê Chân"),
                    make("sau-do", "lao-dong", "outreach", at(2024_y / date::July / 6, 11h), 1h,
                         "Nhà văn hóa quận Lê Chân"),
                    make("noi-khac", "lao-dong", "outreach", at(2024_y / date::July / 6, 8h), 1h,
                         "Nhà văn hóa quận Ngô Quyền")};
    const auto found = activity_conflicts(c);
    ASSERT_EQ(found.size(), 1U);  // back-to-back (10:00–11:00 then 11:00) is not an overlap
    EXPECT_EQ(found[0].kind, conflict_kind::venue);
    EXPECT_EQ(found[0].subject, "Nhà văn hóa quận Lê Chân");
    EXPECT_EQ(found[0].first_day, 2024_y / date::July / 6);
    ASSERT_EQ(found[0].occurrences.size(), 2U);
    EXPECT_EQ(found[0].occurrences[0].activity->id, "hoc");
    EXPECT_EQ(found[0].occurrences[1].activity->id, "noi-chuyen");
}

TEST(Conflicts, ActivitiesWithoutALocationNeverClash) {
    campaign c = base();
    c.activities = {make("a", "giao-duc", "outreach", at(2024_y / date::July / 6, 8h), 2h, ""),
                    make("b", "cong-an", "outreach", at(2024_y / date::July / 6, 8h), 2h, "")};
    EXPECT_TRUE(activity_conflicts(c).empty());
}

TEST(Conflicts, RepeatingActivitiesClashOnEachOverlappingDay) {
    campaign c = base();
    auto weekly = make("hang-tuan", "giao-duc", "school_session", at(2024_y / date::July / 1, 8h), 2h,
                       "Trường THCS Lê Lợi");
    weekly.rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=3";
    auto daily = make("hang-ngay", "cong-an", "outreach", at(2024_y / date::July / 8, 9h), 30min,
                      "Trường THCS Lê Lợi");
    daily.rrule = "FREQ=DAILY;COUNT=10";
    c.activities = {weekly, daily};
    const auto found = activity_conflicts(c);
    ASSERT_EQ(found.size(), 2U);  // Mondays 8 and 15 July
    EXPECT_EQ(found[0].first_day, 2024_y / date::July / 8);
    EXPECT_EQ(found[1].first_day, 2024_y / date::July / 15);
}

TEST(Conflicts, OutletIsDerivedFromTheLocationOfBroadcasts) {
    const campaign c = base();
    auto doc =
        make("phong-su", "truyen-thong", "documentary", at(2024_y / date::July / 27, 20h), 30min, "Kênh THP");
    EXPECT_EQ(outlet_of(c, doc), "thp-tv");
    doc.location = {"", "Hai Phong TV"};
    EXPECT_EQ(outlet_of(c, doc), "thp-tv");
    doc.location = {"", "THP"};  // the TV's name and the radio's slug both have it
    EXPECT_EQ(outlet_of(c, doc), std::nullopt);
    doc.location = {"Đài Phát thanh và Truyền hình Hải Phòng", ""};  // names both outlets
    EXPECT_EQ(outlet_of(c, doc), std::nullopt);
    doc.location = {"Trường quay THP", ""};  // a studio is a venue, not an outlet
    EXPECT_EQ(outlet_of(c, doc), std::nullopt);
    doc.location = {"Kênh THP", ""};
    doc.kind = "press_conference";  // only broadcast, documentary and debate air on an outlet
    EXPECT_EQ(outlet_of(c, doc), std::nullopt);
}

TEST(Conflicts, SameOutletOverlappingIsOneOutletConflict) {
    campaign c = base();
    c.activities = {
        make("truc-tiep", "truyen-thong", "broadcast", at(2024_y / date::July / 30, 20h), 2h, "Kênh THP"),
        make("toa-dam", "cong-an", "debate", at(2024_y / date::July / 30, 21h), 45min, "kênh thp"),
        make("phat-thanh", "lao-dong", "debate", at(2024_y / date::July / 30, 20h), 1h,
             "Đài PT&TH Hải Phòng – kênh phát thanh")};
    const auto found = activity_conflicts(c);
    ASSERT_EQ(found.size(), 1U);  // not also a venue conflict for the same pair
    EXPECT_EQ(found[0].kind, conflict_kind::outlet);
    EXPECT_EQ(found[0].subject, "thp-tv");
}

TEST(Conflicts, AnOverlapAcrossMidnightCoversBothDays) {
    campaign c = base();
    c.activities = {make("dem", "van-hoa", "cultural_event", at(2024_y / date::July / 30, 22h), 3h,
                         "Quảng trường Nhà hát lớn"),
                    make("muon", "cong-an", "outreach", at(2024_y / date::July / 30, 23h), 2h,
                         "Quảng trường Nhà hát lớn")};
    const auto found = activity_conflicts(c);
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0].first_day, 2024_y / date::July / 30);
    EXPECT_EQ(found[0].last_day, 2024_y / date::July / 31);
}

TEST(Conflicts, TwoDepartmentsMessagesForOneAudienceOnTheSameDays) {
    campaign c = base();
    c.messages = {
        msg("loa-phuong", "quan-huyen", 2024_y / date::July / 10, 2024_y / date::July / 20, {"phu-huynh"}),
        msg("truyen-hinh", "truyen-thong", 2024_y / date::July / 15, 2024_y / date::July / 25,
            {"phu-huynh", "hoc-sinh"}),
        msg("truong-hoc", "truyen-thong", 2024_y / date::July / 1, 2024_y / date::July / 31, {"hoc-sinh"}),
        msg("bi-tu-choi", "cong-an", 2024_y / date::July / 1, 2024_y / date::July / 31, {"hoc-sinh"},
            "rejected")};
    const auto found = find_audience_conflicts(c, 2024_y / date::July / 1, 2024_y / date::July / 31);
    // phu-huynh: two departments from 15 to 20 July; hoc-sinh: one department only (the other
    // message is rejected).
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0].kind, conflict_kind::audience);
    EXPECT_EQ(found[0].subject, "phu-huynh");
    EXPECT_EQ(found[0].first_day, 2024_y / date::July / 15);
    EXPECT_EQ(found[0].last_day, 2024_y / date::July / 20);
    ASSERT_EQ(found[0].messages.size(), 2U);
    EXPECT_EQ(found[0].messages[0]->id, "loa-phuong");

    // The same department twice is no conflict; a window clips the run.
    c.messages[1].department = "quan-huyen";
    EXPECT_TRUE(
        find_audience_conflicts(c, 2024_y / date::July / 1, 2024_y / date::July / 31, "phu-huynh").empty());
    c.messages[1].department = "truyen-thong";
    const auto clipped = find_audience_conflicts(c, 2024_y / date::July / 18, 2024_y / date::July / 24);
    ASSERT_EQ(clipped.size(), 1U);
    EXPECT_EQ(clipped[0].first_day, 2024_y / date::July / 18);
    EXPECT_EQ(clipped[0].last_day, 2024_y / date::July / 20);
    EXPECT_TRUE(
        find_audience_conflicts(c, 2024_y / date::July / 1, 2024_y / date::July / 31, "hoc-sinh").empty());
}

TEST(Conflicts, ARunSplitsWhenTheMessagesChange) {
    campaign c = base();
    c.messages = {msg("a", "quan-huyen", 2024_y / date::July / 1, 2024_y / date::July / 10, {"phu-huynh"}),
                  msg("b", "truyen-thong", 2024_y / date::July / 1, 2024_y / date::July / 10, {"phu-huynh"}),
                  msg("c", "cong-an", 2024_y / date::July / 6, 2024_y / date::July / 10, {"phu-huynh"})};
    const auto found = find_audience_conflicts(c, 2024_y / date::July / 1, 2024_y / date::July / 31);
    ASSERT_EQ(found.size(), 2U);
    EXPECT_EQ(found[0].last_day, 2024_y / date::July / 5);
    EXPECT_EQ(found[1].first_day, 2024_y / date::July / 6);
    EXPECT_EQ(found[1].messages.size(), 3U);
}

TEST(Conflicts, TheShippedCampaignsMasterCalendar) {
    const auto loaded =
        loa::core::load_campaign_file(LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml");
    ASSERT_TRUE(loaded.value);
    const campaign& c = *loaded.value;
    for (const auto& a : c.activities) {
        if (a.id == "media-thp-documentary" || a.id == "media-performance-night-live") {
            EXPECT_EQ(outlet_of(c, a), "thp-tv") << a.id;
        }
        if (a.id == "media-thp-debate") {
            EXPECT_EQ(outlet_of(c, a), std::nullopt);  // in the studio
        }
    }
    loa::scheduler::calendar_request r;
    r.date = 2024_y / date::July / 1;
    r.with_conflicts = true;
    const auto page = loa::scheduler::build_calendar(c, r);
    EXPECT_FALSE(page.truncated);
    // Several departments address the general public through most of July.
    const bool public_clash = std::any_of(page.conflicts.begin(), page.conflicts.end(), [](const auto& cf) {
        return cf.kind == conflict_kind::audience && cf.subject == "general-public";
    });
    EXPECT_TRUE(public_clash);
}

}  // namespace conflicts_test_cpp
}  // namespace
