// The YAML writer: what it writes reads back through the loader as the same campaign, and reads well.
#include "core/config/campaign_writer.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"

namespace {
namespace campaign_writer_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using date::August;
using date::July;

local_time at(date::year_month_day d, std::chrono::minutes tod) {
    return local_time{date::local_days{d}} + tod;
}

// Every field of the model, both languages and Vietnamese only, texts YAML could misread.
campaign rich_campaign() {
    campaign c;
    c.slug = "haiphong-2024-anti-trafficking";
    c.title = {"Tháng hành động phòng, chống mua bán người năm 2024", "Anti-trafficking action month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.description = {"Kế hoạch số 77: tuyên truyền #1 – \"an toàn\"\nDòng thứ hai", ""};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {
        {2024_y / July / 30, {"Ngày toàn quốc phòng, chống mua bán người", "National Day against TIP"}, 3.0},
        {2024_y / July / 1, {"Khai mạc", ""}, 1.0},
        {2024_y / July / 15, {"Giữa tháng", ""}, 0.1}};
    c.audiences = {{"tre-em-duoi-16", {"Trẻ em dưới 16 tuổi", "Children under 16"}},
                   {"phu-huynh", {"Phụ huynh", ""}},
                   {"cu-dan-bien-gioi", {"Cư dân khu vực biên giới", "Border residents"}}};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"},
                  {"1800 1567", {"yes", ""}, ""},
                  {"0225.3842.111", {"null", "true"}, "07:30"}};
    c.departments = {
        {"cong-an",
         {"Công an thành phố", "City police"},
         {{"Chủ trì, phối hợp điều tra", "Lead investigations"}, {"Tuần tra: biên giới & cảng", ""}}},
        {"giao-duc", {"Sở Giáo dục và Đào tạo", "Department of Education"}, {}},
        {"bao-chi", {"Báo và Đài Phát thanh – Truyền hình", ""}, {{"  Đăng bài  ", ""}}}};

    activity press;
    press.id = "hop-bao-hang-thang";
    press.department = "cong-an";
    press.kind = "press_conference";
    press.title = {"Họp báo thường kỳ", "Monthly press conference"};
    press.description = {"Thông tin kết quả", "Results"};
    press.start = at(2024_y / July / 4, 9h);
    press.end = at(2024_y / July / 4, 10h + 30min);
    press.rrule = "FREQ=MONTHLY;BYDAY=1TH;COUNT=6";
    press.location = {"Trụ sở Ủy ban nhân dân thành phố", "City hall"};
    press.audiences = {"phu-huynh", "tre-em-duoi-16"};
    activity school;
    school.id = "ngoai-khoa-thcs";
    school.department = "giao-duc";
    school.kind = "school_session";
    school.title = {"Buổi ngoại khóa THCS", ""};
    school.all_day = true;
    school.start = at(2024_y / July / 15, 0min);
    school.end = at(2024_y / July / 18, 0min);
    school.time_zone = "Asia/Ho_Chi_Minh";
    activity inspection;
    inspection.id = "kiem-tra-bien-gioi";
    inspection.department = "cong-an";
    inspection.kind = "inspection";
    inspection.title = {"Kiểm tra đêm", ""};
    inspection.start = at(2024_y / July / 31, 22h);
    inspection.end = at(2024_y / August / 1, 2h);
    inspection.time_zone = "Europe/Berlin";
    inspection.location = {"Cửa khẩu", ""};
    inspection.audiences = {"cu-dan-bien-gioi"};
    inspection.vis = visibility::internal;
    c.activities = {press, school, inspection};

    outlet tv;
    tv.slug = "thp";
    tv.name = {"Truyền hình Hải Phòng", "Hai Phong Television"};
    tv.kind = "tv";
    tv.department = "bao-chi";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi", "en"};
    tv.lead_time_hours = 48;
    tv.dayparts = {{"sang", {"Buổi sáng", "Morning"}, 0x1f, 6h, 9h, 1.5},
                   {"gio-vang", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 3.0},
                   {"dem", {"Đêm khuya", ""}, 0x60, 22h + 30min, 1h, 0.25},
                   {"trua", {"Buổi trưa", ""}, 0x15, 11h, 24h, 1.0}};
    break_rule hourly;
    hourly.minute = 0;
    hourly.seconds = 120;
    break_rule daily;
    daily.at = 19h + 45min;
    daily.seconds = 60;
    daily.dayparts = {"gio-vang", "dem"};
    tv.break_clock = {hourly, daily};
    tv.freeze_hours = 24;
    // A live broadcast, and a night that crosses midnight without a reason.
    tv.blackouts = {
        {at(2024_y / July / 27, 19h),
         at(2024_y / July / 27, 21h),
         {"Truyền hình trực tiếp lễ mít tinh, không phát quảng cáo", "Live coverage of the rally"}},
        {at(2024_y / July / 31, 23h + 30min), at(2024_y / August / 1, 0h + 15min), {}}};
    outlet loudspeaker;
    loudspeaker.slug = "loa-phuong-le-chan";
    loudspeaker.name = {"Loa truyền thanh phường Lê Chân", ""};
    loudspeaker.kind = "loudspeaker";
    loudspeaker.time_zone = "Asia/Ho_Chi_Minh";
    loudspeaker.languages = {"vi"};
    outlet english;
    english.slug = "en-online";
    english.name = {"Trang tin tiếng Anh", "English news site"};
    english.kind = "online";
    english.time_zone = "Asia/Ho_Chi_Minh";
    english.languages = {"en"};
    c.outlets = {tv, loudspeaker, english};

    message spot;
    spot.id = "spot-30s";
    spot.department = "bao-chi";
    spot.title = {"Thông điệp 30 giây", "30-second spot"};
    spot.text = {"Hãy gọi 111 khi phát hiện dấu hiệu mua bán người",
                 "Call 111 if you see signs of trafficking"};
    spot.channels = {"tv", "radio", "loudspeaker"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = 2024_y / July / 1;
    spot.flight_end = 2024_y / July / 31;
    spot.flight_relative = relative_flight{2024_y / July / 30, 29, 1};
    spot.airings = 40;
    spot.airings_per_day = 4;
    spot.max_per_outlet_per_day = 2;
    spot.min_gap_minutes = 90;
    spot.dayparts = {"gio-vang", "sang"};
    spot.audiences = {"phu-huynh"};
    spot.outlets = {"thp"};
    spot.state = "approved";
    message sms;
    sms.id = "tin-nhan";
    sms.department = "cong-an";
    sms.text = {"Cảnh giác: lời mời 'việc nhẹ lương cao'", ""};
    sms.channels = {"sms"};
    sms.priority = 5;
    sms.flight_start = 2024_y / July / 25;
    sms.flight_end = 2024_y / July / 30;
    sms.airings_per_week = 3;
    c.messages = {spot, sms};
    c.planning.separate_departments = false;
    return c;
}

campaign minimal_campaign() {
    campaign c;
    c.slug = "toi-thieu";
    c.title = {"Chiến dịch tối thiểu", ""};
    c.theme = {"Chủ đề", ""};
    c.period_start = c.period_end = 2024_y / July / 30;
    c.time_zone = "Asia/Ho_Chi_Minh";
    return c;
}

// Loads `yaml` and fails the test with the loader's diagnostics when it does not load.
campaign reload(const std::string& yaml) {
    const load_result r = load_campaign_text(yaml, "written.yaml");
    std::string errors;
    for (const auto& d : r.errors) errors += d.to_string() + "\n";
    EXPECT_TRUE(r.value) << errors << "---\n" << yaml;
    return r.value.value_or(campaign{});
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(CampaignWriter, ARichCampaignRoundTrips) {
    const campaign c = rich_campaign();
    const std::string yaml = write_campaign_yaml(c);
    EXPECT_EQ(reload(yaml), c) << yaml;
    // Writing what was read gives the same bytes.
    EXPECT_EQ(write_campaign_yaml(reload(yaml)), yaml);
}

TEST(CampaignWriter, AMinimalCampaignRoundTrips) {
    const campaign c = minimal_campaign();
    const std::string yaml = write_campaign_yaml(c);
    EXPECT_EQ(reload(yaml), c) << yaml;
    EXPECT_FALSE(contains(yaml, "activities"));
    EXPECT_FALSE(contains(yaml, "description"));
}

TEST(CampaignWriter, VietnameseIsWrittenAsUtf8NotEscaped) {
    const std::string yaml = write_campaign_yaml(rich_campaign());
    EXPECT_TRUE(contains(yaml, "Không để trẻ em nào bị bỏ lại phía sau")) << yaml;
    EXPECT_TRUE(contains(yaml, "Truyền hình Hải Phòng"));
    EXPECT_FALSE(contains(yaml, "\\u"));
    EXPECT_FALSE(contains(yaml, "\\x"));
}

TEST(CampaignWriter, ReadsLikeAHandWrittenFile) {
    const std::string yaml = write_campaign_yaml(rich_campaign());
    EXPECT_EQ(yaml.rfind("# yaml-language-server: $schema=schema.json\n", 0), 0U);
    // Block style, keys in the documented order.
    EXPECT_TRUE(contains(yaml, "campaign:\n  slug: haiphong-2024-anti-trafficking\n")) << yaml;
    EXPECT_LT(yaml.find("\ndepartments:"), yaml.find("\nactivities:"));
    EXPECT_LT(yaml.find("\nactivities:"), yaml.find("\noutlets:"));
    EXPECT_LT(yaml.find("\noutlets:"), yaml.find("\nmessages:"));
    // Times quoted, dates and date-times plain.
    EXPECT_TRUE(contains(yaml, "start: \"19:00\""));
    EXPECT_TRUE(contains(yaml, "end: \"24:00\""));
    EXPECT_TRUE(contains(yaml, "at: \"19:45\""));
    EXPECT_TRUE(contains(yaml, "start: 2024-07-04T09:00"));
    EXPECT_TRUE(contains(yaml, "period: {start: 2024-07-01, end: 2024-07-31}"));
    // All-day activities as inclusive days.
    EXPECT_TRUE(contains(yaml, "all_day: {start: 2024-07-15, end: 2024-07-17}"));
    // Text: a plain string without English, {vi, en} with it.
    EXPECT_TRUE(contains(yaml, "name: Phụ huynh\n"));
    EXPECT_TRUE(contains(yaml, "vi: Trẻ em dưới 16 tuổi\n"));
    EXPECT_TRUE(contains(yaml, "en: Children under 16\n"));
    // Day groups by name, other sets as lists; code lists on one line.
    EXPECT_TRUE(contains(yaml, "days: weekdays"));
    EXPECT_TRUE(contains(yaml, "days: daily"));
    EXPECT_TRUE(contains(yaml, "days: weekends"));
    EXPECT_TRUE(contains(yaml, "days: [mon, wed, fri]"));
    EXPECT_TRUE(contains(yaml, "channels: [tv, radio, loudspeaker]"));
    // Scalars another YAML reader would type are quoted.
    EXPECT_TRUE(contains(yaml, "number: \"111\""));
    EXPECT_TRUE(contains(yaml, "name: \"yes\""));
    EXPECT_TRUE(contains(yaml, "hours: \"07:30\""));
    EXPECT_TRUE(contains(yaml, "weight: 0.25"));
    // The planner's rules, each where the format puts it.
    EXPECT_TRUE(contains(yaml, "  planning: {separate_departments: false}\n"));
    EXPECT_TRUE(contains(yaml, "    freeze_hours: 24\n"));
    EXPECT_TRUE(contains(yaml,
                         "    blackouts:\n      - start: 2024-07-27T19:00\n        end: 2024-07-27T21:00\n"
                         "        reason:\n          vi: Truyền hình trực tiếp lễ mít tinh"));
    EXPECT_TRUE(contains(yaml, "      - start: 2024-07-31T23:30\n        end: 2024-08-01T00:15\n"));
    EXPECT_TRUE(contains(yaml, "    flight: {key_date: 2024-07-30, days_before: 29, days_after: 1}\n"));
    EXPECT_TRUE(contains(yaml, "    airings_per_day: 4\n"));
    EXPECT_TRUE(contains(yaml, "    airings_per_week: 3\n"));
    EXPECT_TRUE(contains(yaml, "    max_per_outlet_per_day: 2\n"));
    EXPECT_TRUE(contains(yaml, "    min_gap_minutes: 90\n"));
    EXPECT_TRUE(contains(yaml, "\n    dayparts: [gio-vang, sang]\n"));
}

TEST(CampaignWriter, DefaultsAreLeftOut) {
    const std::string yaml = write_campaign_yaml(rich_campaign());
    EXPECT_FALSE(contains(yaml, "priority: 5"));
    EXPECT_TRUE(contains(yaml, "priority: 8"));
    EXPECT_FALSE(contains(yaml, "state: draft"));
    EXPECT_TRUE(contains(yaml, "state: approved"));
    EXPECT_FALSE(contains(yaml, "visibility: public"));
    EXPECT_TRUE(contains(yaml, "visibility: internal"));
    EXPECT_FALSE(contains(yaml, "languages: [vi]"));
    EXPECT_TRUE(contains(yaml, "languages: [vi, en]"));
    EXPECT_TRUE(contains(yaml, "languages: [en]"));
    EXPECT_FALSE(contains(yaml, "lead_time_hours: 0"));
    EXPECT_FALSE(contains(yaml, "weight: 1\n"));
    EXPECT_FALSE(contains(yaml, "airings: 0"));
    EXPECT_FALSE(contains(yaml, "duration_s: 0"));
    // The planner's rules at their defaults (departments separated, no freeze, no limits).
    campaign plain = rich_campaign();
    plain.planning = {};
    plain.outlets[0].freeze_hours = 0;
    plain.outlets[0].blackouts.clear();
    for (auto& m : plain.messages) {
        m.flight_relative.reset();
        m.airings_per_day = m.airings_per_week = m.max_per_outlet_per_day = m.min_gap_minutes = 0;
        m.dayparts.clear();
    }
    const std::string written = write_campaign_yaml(plain);
    for (const char* key : {"planning", "separate_departments", "freeze_hours", "blackouts",
                            "key_date:", "days_before", "airings_per_day", "airings_per_week",
                            "max_per_outlet_per_day", "min_gap_minutes", "\n    dayparts: ["}) {
        EXPECT_FALSE(contains(written, key)) << key << "\n" << written;
    }
    EXPECT_TRUE(contains(written, "flight: {start: 2024-07-01, end: 2024-07-31}"));
    EXPECT_EQ(reload(written), plain);
}

// A relative flight whose days were changed since (a web edit of the dates) is written as dates:
// the file must give the days the message has.
TEST(CampaignWriter, ARelativeFlightThatNoLongerMatchesItsDaysIsWrittenAsDates) {
    campaign c = rich_campaign();
    c.messages[0].flight_end = 2024_y / July / 20;
    const std::string yaml = write_campaign_yaml(c);
    EXPECT_TRUE(contains(yaml, "flight: {start: 2024-07-01, end: 2024-07-20}")) << yaml;
    EXPECT_FALSE(contains(yaml, "key_date:"));
    const campaign back = reload(yaml);
    EXPECT_EQ(back.messages[0].flight_start, 2024_y / July / 1);
    EXPECT_EQ(back.messages[0].flight_end, 2024_y / July / 20);
    EXPECT_FALSE(back.messages[0].flight_relative.has_value());
}

// Every shipped campaign survives a write and a read: the export of real data imports back.
TEST(CampaignWriter, ShippedCampaignsRoundTrip) {
    const fs::path dir = fs::path(LOA_SOURCE_DIR) / "campaigns";
    if (!fs::is_directory(dir)) GTEST_SKIP() << "no campaigns/ directory";
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".yaml") continue;
        const load_result original = load_campaign_file(entry.path());
        if (!original.value) continue;  // the data suite reports invalid shipped files
        const std::string yaml = write_campaign_yaml(*original.value);
        EXPECT_EQ(reload(yaml), *original.value) << entry.path();
        ++checked;
    }
    if (checked == 0) GTEST_SKIP() << "no loadable campaign file";
}

}  // namespace campaign_writer_test_cpp
}  // namespace
