// Channel templates (templates/messages/) rendered from a message and its campaign, as plain text.
#include "core/channels/message_renderer.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace date::literals;
using date::July;

const fs::path template_dir = fs::path(LOA_SOURCE_DIR) / "templates" / "messages";

channel_context hai_phong() {
    channel_context c;
    c.campaign_title = {"Hải Phòng hưởng ứng Ngày toàn dân phòng, chống mua bán người 30/7",
                        "Hai Phong: 30 July"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"},
                  {"113", {"Cảnh sát phản ứng nhanh", "Police emergency"}, "24/7"}};
    c.key_dates = {{2024_y / July / 29, {"Cao điểm trước Ngày 30/7", "Eve of 30 July"}, 2.0},
                   {2024_y / July / 30, {"Ngày toàn dân phòng, chống mua bán người", "National Day"}, 3.0}};
    return c;
}

message radio_message() {
    message m;
    m.id = "radio-hotline-111";
    m.department = "labour";
    m.title = {"Giới thiệu Tổng đài 111", "Hotline 111"};
    m.text = {"Tổng đài 111 luôn lắng nghe, miễn phí, cả ngày lẫn đêm. Hãy gọi 111.",
              "The 111 hotline is free and answers day and night. Call 111."};
    m.channels = {"radio", "sms", "social", "print"};
    m.duration_s = 10;
    m.priority = 8;
    m.flight_start = 2024_y / July / 1;
    m.flight_end = 2024_y / July / 31;
    return m;
}

TEST(ChannelTemplates, EveryChannelHasATemplate) {
    const channel_templates t(template_dir);
    for (const char* channel : channel_names) EXPECT_TRUE(t.has(channel)) << channel;
    EXPECT_FALSE(t.has("fax"));
    EXPECT_FALSE(t.render("fax", radio_message(), hai_phong(), "vi").has_value());
}

TEST(ChannelTemplates, SmsIsExactlyTheText) {
    const channel_templates t(template_dir);
    const message m = radio_message();
    EXPECT_EQ(t.render("sms", m, hai_phong(), "vi"), m.text.vi);
    EXPECT_EQ(t.render("sms", m, hai_phong(), "en"), m.text.en);
}

TEST(ChannelTemplates, EveryChannelRendersInBothLanguages) {
    const channel_templates t(template_dir);
    const message m = radio_message();
    for (const char* channel : channel_names) {
        for (const char* lang : {"vi", "en"}) {
            const auto out = t.render(channel, m, hai_phong(), lang);
            ASSERT_TRUE(out.has_value()) << channel;
            EXPECT_NE(out->find(lang == std::string("vi") ? m.text.vi : m.text.en), std::string::npos)
                << channel << " " << lang << ":\n"
                << *out;
            EXPECT_EQ(out->find("{{"), std::string::npos) << channel;
            EXPECT_NE(out->front(), '\n') << channel;
            EXPECT_NE(out->back(), '\n') << channel;
        }
    }
}

TEST(ChannelTemplates, RadioScriptNotesAreNotCountedInTheReadTime) {
    const channel_templates t(template_dir);
    const message m = radio_message();
    const auto script = t.render("radio", m, hai_phong(), "vi");
    ASSERT_TRUE(script);
    EXPECT_NE(script->find("[Kịch bản phát thanh: Giới thiệu Tổng đài 111 (10 giây)]"), std::string::npos)
        << *script;
    EXPECT_NE(script->find("ngày trọng điểm 30/07/2024"), std::string::npos) << *script;
    EXPECT_EQ(spoken_read_time(*script, "vi").words, spoken_read_time(m.text.vi, "vi").words);
}

TEST(ChannelTemplates, PressReleaseListsHotlinesAndTheKeyDate) {
    const channel_templates t(template_dir);
    const auto en = t.render("print", radio_message(), hai_phong(), "en");
    ASSERT_TRUE(en);
    EXPECT_NE(en->find("- 111: National child protection hotline (24/7)"), std::string::npos) << *en;
    EXPECT_NE(en->find("Key date: 30 July 2024 – National Day"), std::string::npos) << *en;
    EXPECT_NE(en->find("from 1 July 2024 to 31 July 2024"), std::string::npos) << *en;
}

TEST(ChannelTemplates, UntranslatedEnglishFallsBackToVietnamese) {
    const channel_templates t(template_dir);
    message m = radio_message();
    m.text.en.clear();
    EXPECT_EQ(t.render("sms", m, hai_phong(), "en"), m.text.vi);
}

TEST(ChannelTemplates, HostileTextIsInsertedLiterallyAndNotEscaped) {
    const channel_templates t(template_dir);
    message m = radio_message();
    m.title.vi = "\"><img src=x onerror=alert(1)>";
    m.text.vi = "<script>alert(1)</script> {{theme}} {{#hotlines}}x{{/hotlines}} & 'q'";
    EXPECT_EQ(t.render("sms", m, hai_phong(), "vi"), m.text.vi);
    const auto radio = t.render("radio", m, hai_phong(), "vi");
    ASSERT_TRUE(radio);
    EXPECT_NE(radio->find("[Kịch bản phát thanh: \"><img src=x onerror=alert(1)> (10 giây)]"),
              std::string::npos);
    EXPECT_EQ(radio->find("&lt;"), std::string::npos);
    EXPECT_EQ(radio->find("&amp;"), std::string::npos);
}

TEST(ChannelPreviews, EachChannelIsMeasuredByItsFit) {
    const channel_templates t(template_dir);
    const auto previews = preview_channels(t, radio_message(), hai_phong(), "vi");
    ASSERT_EQ(previews.size(), 4u);
    EXPECT_EQ(previews[0].channel, "radio");
    ASSERT_TRUE(previews[0].spoken);
    EXPECT_EQ(previews[0].spoken->words, 19);   // 13 syllables + "111" twice, read digit by digit
    EXPECT_EQ(previews[0].spoken->seconds, 7);  // 19 / 180 min = 6.33 s
    EXPECT_TRUE(previews[0].fits_duration());
    EXPECT_EQ(previews[1].channel, "sms");
    ASSERT_TRUE(previews[1].sms);
    EXPECT_EQ(previews[1].sms->encoding, sms_encoding::ucs2);
    EXPECT_EQ(previews[1].sms->units, 68);
    EXPECT_EQ(previews[1].sms->segments, 1);
    ASSERT_TRUE(previews[2].social);
    EXPECT_FALSE(previews[2].social->over());
    EXPECT_EQ(previews[3].fit, channel_fit::text);

    message long_one = radio_message();
    long_one.duration_s = 5;
    EXPECT_FALSE(preview_channels(t, long_one, hai_phong(), "vi")[0].fits_duration());
}

TEST(ChannelPreviews, KeyDateIsTheHeaviestInsideTheFlight) {
    const auto all = hai_phong().key_dates;
    message m = radio_message();
    EXPECT_EQ(key_date_for(m, all)->date, 2024_y / July / 30);
    m.flight_end = 2024_y / July / 29;
    EXPECT_EQ(key_date_for(m, all)->date, 2024_y / July / 29);
    m.flight_end = 2024_y / July / 28;
    EXPECT_FALSE(key_date_for(m, all).has_value());
}

TEST(ChannelTemplates, DatesInEachLanguage) {
    EXPECT_EQ(format_date(2024_y / July / 5, "vi"), "05/07/2024");
    EXPECT_EQ(format_date(2024_y / July / 5, "en"), "5 July 2024");
}

TEST(ChannelTemplates, ABrokenTemplateIsNamedWhenLoading) {
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / ("loa-templates-" + std::to_string(rd()));
    fs::create_directories(dir);
    std::ofstream(dir / "sms.mustache") << "{{#text}} unclosed";
    try {
        const channel_templates t(dir);
        ADD_FAILURE() << "a broken template loaded";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("sms.mustache"), std::string::npos) << e.what();
    }
    fs::remove_all(dir);
}

}  // namespace
