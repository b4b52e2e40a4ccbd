// The public JSON shapes of campaigns, departments and outlets.
#include "server/handlers/campaigns_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tests/support/api_campaign.hpp"

namespace loa::handlers {
namespace {
namespace campaigns_json_test_cpp {

namespace json = boost::json;
using namespace date::literals;

TEST(CampaignsJson, LocalizedTextHasNullEnglishWhenUntranslated) {
    EXPECT_EQ(json::serialize(localized_json({"Giờ vàng", "Prime time"})), R"({"vi":"Giờ vàng","en":"Prime time"})");
    EXPECT_EQ(json::serialize(localized_json({"Đêm khuya", ""})), R"({"vi":"Đêm khuya","en":null})");
    EXPECT_TRUE(optional_localized_json({}).is_null());
    EXPECT_TRUE(optional_localized_json({"Hải Phòng", ""}).is_object());
}

TEST(CampaignsJson, DatesTimesAndNumbersAreWrittenPlainly) {
    EXPECT_EQ(format_date(2024_y / date::July / 3), "2024-07-03");
    EXPECT_EQ(format_time_of_day(std::chrono::minutes{19 * 60 + 5}), "19:05");
    EXPECT_EQ(format_time_of_day(std::chrono::minutes{0}), "00:00");
    EXPECT_EQ(format_time_of_day(std::chrono::minutes{24 * 60}), "24:00");
    EXPECT_EQ(json::serialize(number_json(3.0)), "3");
    EXPECT_TRUE(number_json(1.5).is_double());
}

TEST(CampaignsJson, SummaryAndListCarryLinks) {
    core::campaign_summary s{"hp-test-2024", {"Chiến dịch", "Campaign"}, {"Không để trẻ em nào bị bỏ lại phía sau", ""},
                             2024_y / date::July / 1, 2024_y / date::July / 31, "Asia/Ho_Chi_Minh"};
    const auto list = campaign_list_json({s});
    const auto& items = list.at("campaigns").as_array();
    ASSERT_EQ(items.size(), 1U);
    const auto& item = items[0].as_object();
    EXPECT_EQ(item.at("slug"), "hp-test-2024");
    EXPECT_EQ(item.at("theme").at("vi"), "Không để trẻ em nào bị bỏ lại phía sau");
    EXPECT_TRUE(item.at("theme").at("en").is_null());
    EXPECT_EQ(item.at("period").at("start"), "2024-07-01");
    EXPECT_EQ(item.at("period").at("end"), "2024-07-31");
    EXPECT_EQ(item.at("time_zone"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(item.at("links").at("calendar"), "/api/v1/campaigns/hp-test-2024/calendar");
    EXPECT_EQ(json::serialize(campaign_list_json({})), R"({"campaigns":[]})");
}

TEST(CampaignsJson, DetailHasKeyDatesAudiencesHotlinesAndPublicCounts) {
    const auto c = testing::api_campaign();
    const auto d = campaign_detail_json(c);
    EXPECT_EQ(d.at("slug"), "hp-test-2024");
    EXPECT_EQ(d.at("title").at("en"), "Hai Phong anti-trafficking campaign 2024");
    EXPECT_EQ(d.at("description").at("vi"), "Tháng hành động phòng, chống mua bán người.");
    EXPECT_TRUE(d.at("description").at("en").is_null());

    const auto& key_dates = d.at("key_dates").as_array();
    ASSERT_EQ(key_dates.size(), 2U);
    EXPECT_EQ(key_dates[0].at("date"), "2024-07-30");
    EXPECT_EQ(key_dates[0].at("weight"), 3);
    EXPECT_EQ(key_dates[1].at("weight").as_double(), 1.5);
    EXPECT_EQ(key_dates[0].at("name").at("vi"), "Ngày Thế giới phòng, chống mua bán người");

    EXPECT_EQ(d.at("audiences").as_array().size(), 3U);
    EXPECT_EQ(d.at("audiences").at(0).at("code"), "children-under-16");
    const auto& hotlines = d.at("hotlines").as_array();
    EXPECT_EQ(hotlines[0].at("number"), "111");
    EXPECT_EQ(hotlines[0].at("hours"), "24/7");
    EXPECT_TRUE(hotlines[1].at("hours").is_null());

    // Four activities, one of them an internal police inspection the public API does not count.
    EXPECT_EQ(d.at("counts").at("activities"), 3);
    EXPECT_EQ(d.at("counts").at("departments"), 3);
    EXPECT_EQ(d.at("counts").at("outlets"), 2);
    EXPECT_EQ(d.at("counts").at("messages"), 1);
    EXPECT_EQ(d.at("links").at("self"), "/api/v1/campaigns/hp-test-2024");
}

TEST(CampaignsJson, SerializationKeepsUtf8AsIs) {
    const auto text = json::serialize(campaign_detail_json(testing::api_campaign()));
    EXPECT_NE(text.find("\"Không để trẻ em nào bị bỏ lại phía sau\""), std::string::npos) << text;
    EXPECT_EQ(text.find("\\u"), std::string::npos) << text;
}

TEST(CampaignsJson, DepartmentsWithDuties) {
    const auto d = departments_json(testing::api_campaign());
    EXPECT_EQ(d.at("campaign"), "hp-test-2024");
    const auto& items = d.at("departments").as_array();
    ASSERT_EQ(items.size(), 3U);
    EXPECT_EQ(items[0].at("code"), "education");
    EXPECT_EQ(items[0].at("name").at("vi"), "Sở Giáo dục và Đào tạo");
    EXPECT_EQ(items[0].at("duties").at(0).at("en"), "Hold awareness sessions in schools");
    EXPECT_EQ(items[1].at("duties").as_array().size(), 2U);
    EXPECT_TRUE(items[1].at("duties").at(0).at("en").is_null());
    EXPECT_TRUE(items[2].at("duties").as_array().empty());
    EXPECT_TRUE(items[2].at("name").at("en").is_null());
}

TEST(CampaignsJson, OutletsWithDaypartsAndBreakClock) {
    const auto o = outlets_json(testing::api_campaign());
    EXPECT_EQ(o.at("campaign"), "hp-test-2024");
    const auto& items = o.at("outlets").as_array();
    ASSERT_EQ(items.size(), 2U);

    const auto& tv = items[0].as_object();
    EXPECT_EQ(tv.at("slug"), "thp-tv");
    EXPECT_EQ(tv.at("kind"), "tv");
    EXPECT_EQ(tv.at("department"), "culture");
    EXPECT_EQ(tv.at("time_zone"), "Asia/Ho_Chi_Minh");
    EXPECT_EQ(json::serialize(tv.at("languages")), R"(["vi"])");
    EXPECT_EQ(tv.at("lead_time_hours"), 48);

    const auto& prime = tv.at("dayparts").at(0);
    EXPECT_EQ(prime.at("code"), "prime");
    EXPECT_EQ(json::serialize(prime.at("days")), R"(["mon","tue","wed","thu","fri","sat","sun"])");
    EXPECT_EQ(prime.at("start"), "19:00");
    EXPECT_EQ(prime.at("end"), "22:00");
    EXPECT_EQ(prime.at("crosses_midnight"), false);
    EXPECT_EQ(prime.at("weight"), 3);

    const auto& late = tv.at("dayparts").at(1);
    EXPECT_EQ(json::serialize(late.at("days")), R"(["sat","sun"])");
    EXPECT_EQ(late.at("start"), "22:00");
    EXPECT_EQ(late.at("end"), "01:00");
    EXPECT_EQ(late.at("crosses_midnight"), true);
    EXPECT_EQ(late.at("weight").as_double(), 1.5);

    const auto& clock = tv.at("break_clock").as_array();
    ASSERT_EQ(clock.size(), 2U);
    EXPECT_EQ(json::serialize(clock[0]), R"({"minute":15,"at":null,"seconds":60,"dayparts":["prime"]})");
    EXPECT_EQ(json::serialize(clock[1]), R"({"minute":null,"at":"19:45","seconds":90,"dayparts":[]})");

    const auto& speakers = items[1].as_object();
    EXPECT_TRUE(speakers.at("department").is_null());
    EXPECT_EQ(speakers.at("lead_time_hours"), 0);
    EXPECT_EQ(json::serialize(speakers.at("dayparts").at(0).at("days")), R"(["mon","tue","wed","thu","fri"])");
    EXPECT_EQ(speakers.at("dayparts").at(0).at("end"), "24:00");
    EXPECT_EQ(speakers.at("dayparts").at(0).at("crosses_midnight"), false);
    EXPECT_TRUE(speakers.at("break_clock").as_array().empty());
}

}  // namespace campaigns_json_test_cpp
}  // namespace
}  // namespace loa::handlers
