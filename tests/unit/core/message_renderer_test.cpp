// Channel templates (templates/messages/) rendered from a message and its campaign, as plain text.
#include "core/channels/message_renderer.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace {
namespace message_renderer_test_cpp {

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
    const loa::testing::temp_dir dir;
    std::ofstream(dir.file("sms.mustache")) << "{{#text}} unclosed";
    try {
        const channel_templates t(dir.path());
        ADD_FAILURE() << "a broken template loaded";
    } catch (const template_error& e) {
        EXPECT_NE(std::string(e.what()).find("sms.mustache:1:1: Mustache syntax: unclosed section"),
                  std::string::npos)
            << e.what();
    }
}

// ---- Template checks -------------------------------------------------------------------------

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

// The problems of `source` as "file:line:col: message" lines.
std::vector<std::string> problems_of(const std::string& source) {
    std::vector<std::string> out;
    for (const diagnostic& d : check_channel_template(source, "t.mustache")) out.push_back(d.to_string());
    return out;
}

TEST(TemplateChecks, EveryShippedTemplatePasses) {
    for (const char* channel : channel_names) {
        std::ifstream in(template_dir / (std::string(channel) + ".mustache"), std::ios::binary);
        const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ASSERT_FALSE(source.empty()) << channel;
        EXPECT_TRUE(check_channel_template(source, channel).empty()) << channel;
    }
}

TEST(TemplateChecks, EveryDocumentedVariableIsAccepted) {
    std::string source;
    for (const char* v : channel_template_variables) source += std::string("{{") + v + "}}\n";
    source += "{{#hotlines}}{{number}}{{name}}{{hours}}{{/hotlines}}{{#hotline}}{{hours}}{{/hotline}}\n";
    source += "{{#key_date}}{{date}} {{name}} {{text}}{{/key_date}}{{hotline.number}}{{key_date.date}}\n";
    source += "{{{text}}} {{& title}} {{! a comment: {{nonsense}} is not a tag here }}\n";
    EXPECT_TRUE(problems_of(source).empty()) << ::testing::PrintToString(problems_of(source));
}

TEST(TemplateChecks, UnknownVariableIsLocatedWithASuggestion) {
    EXPECT_EQ(problems_of("{{title}}\n  [{{titel}}]"),
              std::vector<std::string>{"t.mustache:2:4: unknown variable 'titel' (did you mean 'title'?)"});
    EXPECT_EQ(
        problems_of("{{slot_tiem}}"),
        std::vector<std::string>{"t.mustache:1:1: unknown variable 'slot_tiem' (did you mean 'slot_time'?)"});
    EXPECT_EQ(
        problems_of("{{outlet}}"),
        std::vector<std::string>{"t.mustache:1:1: unknown variable 'outlet' (did you mean 'outlet_name'?)"});
    // Columns count characters, not bytes: "Phát " is 5.
    EXPECT_EQ(problems_of("Phát {{giờ}}"),
              std::vector<std::string>{"t.mustache:1:6: unknown variable 'giờ'"});
}

TEST(TemplateChecks, NamesAreCheckedInsideSectionsAndInvertedSections) {
    // number exists only inside a hotline; date only inside key_date.
    EXPECT_EQ(problems_of("{{number}}").size(), 1u);
    EXPECT_EQ(problems_of("{{#hotlines}}\n{{numbr}}\n{{/hotlines}}"),
              std::vector<std::string>{"t.mustache:2:1: unknown variable 'numbr' (did you mean 'number'?)"});
    EXPECT_EQ(problems_of("{{#vi}}{{#key_date}}{{nam}}{{/key_date}}{{/vi}}"),
              std::vector<std::string>{"t.mustache:1:21: unknown variable 'nam' (did you mean 'name'?)"});
    EXPECT_EQ(problems_of("{{^has_slot}}{{flight_strat}}{{/has_slot}}"),
              std::vector<std::string>{
                  "t.mustache:1:14: unknown variable 'flight_strat' (did you mean 'flight_start'?)"});
    // An inverted section renders when the value is absent: its fields are not in scope.
    EXPECT_EQ(problems_of("{{^key_date}}{{date}}{{/key_date}}").size(), 1u);
    // Section names themselves are checked, and a dotted name must exist all the way.
    EXPECT_EQ(problems_of("{{#slots}}x{{/slots}}").size(), 1u);
    EXPECT_EQ(problems_of("{{hotline.numbr}}").size(), 1u);
    EXPECT_EQ(problems_of("{{text.length}}").size(), 1u);
    EXPECT_EQ(problems_of("{{.}}").size(), 1u);
    // Every problem of a template is reported, not only the first.
    EXPECT_EQ(problems_of("{{a}}\n{{b}}\n{{#hotlines}}{{c}}{{/hotlines}}").size(), 3u);
}

TEST(TemplateChecks, PartialsAndDelimiterChangesAreRefused) {
    EXPECT_EQ(
        problems_of("x\n{{> header}}"),
        std::vector<std::string>{"t.mustache:2:1: partials are not allowed in channel templates ('header')"});
    EXPECT_EQ(
        problems_of("{{=<% %>=}}<% text %>"),
        std::vector<std::string>{"t.mustache:1:1: set-delimiter tags are not allowed in channel templates"});
}

TEST(TemplateChecks, SyntaxErrorsAsKainjowReportsThemWithTheLine) {
    EXPECT_EQ(problems_of("a\nb {{title"),
              std::vector<std::string>{"t.mustache:2:3: Mustache syntax: unclosed tag"});
    EXPECT_EQ(problems_of("{{text}}\n{{/vi}}"),
              std::vector<std::string>{"t.mustache:2:1: Mustache syntax: unopened section \"vi\""});
    EXPECT_EQ(problems_of("{{#vi}}\n{{#en}}\n{{/vi}}"),
              std::vector<std::string>{"t.mustache:1:1: Mustache syntax: unclosed section \"vi\""});
}

// The shipped channel templates copied into `dir` (every channel needs one), for a test to
// change some of them.
void shipped_templates_in(const loa::testing::temp_dir& dir) {
    for (const char* channel : channel_names) {
        fs::copy_file(template_dir / (std::string(channel) + ".mustache"), dir.file(std::string(channel) + ".mustache"));
    }
}

TEST(TemplateChecks, TheLoaderCollectsEveryProblemOfEveryTemplateAndLoadsNone) {
    const loa::testing::temp_dir dir;
    shipped_templates_in(dir);
    write(dir.file("sms.mustache"), "{{text}}\n{{hotline_number}}\n");
    write(dir.file("radio.mustache"), "{{#vi}}\n[{{tilte}}]\n{{/vi}}\n{{> footer}}\n");
    write(dir.file("social.mustache"), "{{text}}\n{{#hotline}}☎ {{number}}\n");
    write(dir.file("print.mustache"), "{{title}}\n\n{{text}}\n");  // fine
    try {
        const channel_templates t(dir.path());
        ADD_FAILURE() << "broken templates loaded";
    } catch (const template_error& e) {
        const auto& p = e.problems();
        ASSERT_EQ(p.size(), 4u) << e.what();
        // In channel_names order: radio, social, sms.
        EXPECT_EQ(p[0].to_string(), dir.file("radio.mustache").string() +
                                        ":2:2: unknown variable 'tilte' (did you mean 'title'?)");
        EXPECT_EQ(p[1].to_string(), dir.file("radio.mustache").string() +
                                        ":4:1: partials are not allowed in channel templates ('footer')");
        EXPECT_EQ(p[2].to_string(), dir.file("social.mustache").string() +
                                        ":2:1: Mustache syntax: unclosed section \"hotline\"");
        EXPECT_EQ(p[3].line, 2);
        EXPECT_NE(p[3].message.find("unknown variable 'hotline_number'"), std::string::npos);
        const std::string what = e.what();
        EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 3) << what;
    }
    // Fixed, they load.
    write(dir.file("sms.mustache"), "{{text}}\n{{hotline.number}}\n");
    write(dir.file("radio.mustache"), "{{#vi}}\n[{{title}}]\n{{/vi}}\n{{text}}\n");
    write(dir.file("social.mustache"), "{{text}}\n{{#hotline}}☎ {{number}}{{/hotline}}\n");
    const channel_templates t(dir.path());
    EXPECT_TRUE(t.has("sms") && t.has("radio") && t.has("social") && t.has("print"));
    EXPECT_EQ(t.render("sms", radio_message(), hai_phong(), "vi"), radio_message().text.vi + "\n111");
}

TEST(TemplateChecks, AMissingTemplateStopsTheLoadNamingItsFile) {
    // Without it every dispatch to outlets of that kind would be cancelled, and their feeds empty.
    const loa::testing::temp_dir dir;
    shipped_templates_in(dir);
    fs::remove(dir.file("tv.mustache"));
    fs::remove(dir.file("sms.mustache"));
    try {
        const channel_templates t(dir.path());
        ADD_FAILURE() << "templates loaded without tv and sms";
    } catch (const template_error& e) {
        std::vector<std::string> said;
        for (const diagnostic& d : e.problems()) said.push_back(d.to_string());
        ASSERT_EQ(said.size(), 2u) << e.what();
        for (const std::string channel : {"tv", "sms"}) {
            EXPECT_EQ(std::count_if(said.begin(), said.end(),
                                    [&](const std::string& p) {
                                        return p.starts_with(dir.file(channel + ".mustache").string()) &&
                                               p.find("missing: every channel needs its template (the text of '" +
                                                      channel + "' messages and slots comes from it)") !=
                                                   std::string::npos;
                                    }),
                      1)
                << e.what();
        }
    }
}

// ---- The slot ----------------------------------------------------------------------------------

outlet thp_radio() {
    outlet o;
    o.slug = "thp-radio";
    o.name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    o.kind = "radio";
    o.time_zone = "Asia/Ho_Chi_Minh";
    o.languages = {"vi", "en"};
    o.dayparts = {
        {"news", {"Thời sự tối", "Evening news"}, 0x7f, std::chrono::hours(19), std::chrono::hours(20), 10},
        {"late", {"Đêm muộn", "Late night"}, 0x7f, std::chrono::hours(22), std::chrono::minutes(30), 2}};
    return o;
}

// 2024-07-29 19:00 in Hai Phong (UTC+7), a Monday.
std::chrono::sys_seconds monday_19h() {
    return date::sys_days{2024_y / July / 29} + std::chrono::hours(12);
}

TEST(ChannelSlot, RadioScriptSaysWhenAndWhereItAirs) {
    const channel_templates t(template_dir);
    const message m = radio_message();
    const slot_context slot = slot_context_of(thp_radio(), monday_19h(), 10, "news");
    const auto vi = t.render("radio", m, hai_phong(), "vi", slot);
    ASSERT_TRUE(vi);
    EXPECT_NE(
        vi->find(
            "[Phát lúc 19:00 thứ Hai 29/07/2024 — Thời sự tối — Đài Phát thanh và Truyền hình Hải Phòng]"),
        std::string::npos)
        << *vi;
    const auto en = t.render("radio", m, hai_phong(), "en", slot);
    ASSERT_TRUE(en);
    EXPECT_NE(
        en->find("[On air at 19:00 on Monday 29 July 2024 — Evening news — Hai Phong Radio and Television]"),
        std::string::npos)
        << *en;
    // The header is a production note: the read time is the message's alone.
    EXPECT_EQ(spoken_read_time(*vi, "vi").words, spoken_read_time(m.text.vi, "vi").words);
    // Without a slot (the editor's preview) there is no such line.
    const auto preview = t.render("radio", m, hai_phong(), "vi");
    ASSERT_TRUE(preview);
    EXPECT_EQ(preview->find("Phát lúc"), std::string::npos) << *preview;
    EXPECT_EQ(preview->find("\n\n"), std::string::npos) << *preview;
}

TEST(ChannelSlot, LocalTimeInTheOutletsZoneAcrossMidnight) {
    const channel_templates t(template_dir);
    // 17:30 UTC on Sunday 28 July is 00:30 on Monday 29 July in Hai Phong; no daypart given.
    const auto sunday_utc =
        date::sys_days{2024_y / July / 28} + std::chrono::hours(17) + std::chrono::minutes(30);
    const auto out = t.render("loudspeaker", radio_message(), hai_phong(), "vi",
                              slot_context_of(thp_radio(), sunday_utc, 10, ""));
    ASSERT_TRUE(out);
    EXPECT_NE(out->find("[Phát lúc 00:30 thứ Hai 29/07/2024 — Đài Phát thanh"), std::string::npos) << *out;
    // The same instant in Berlin (UTC+2 in summer) is 19:30 on Sunday.
    outlet berlin = thp_radio();
    berlin.time_zone = "Europe/Berlin";
    const auto en = t.render("school", radio_message(), hai_phong(), "en",
                             slot_context_of(berlin, sunday_utc, 10, "late"));
    ASSERT_TRUE(en);
    EXPECT_NE(en->find("[Read at 19:30 on Sunday 28 July 2024 — Late night — "), std::string::npos) << *en;
}

TEST(ChannelSlot, NoStrayBlankLinesWithOrWithoutASlot) {
    const channel_templates t(template_dir);
    const auto slot = slot_context_of(thp_radio(), monday_19h(), 10, "news");
    for (const char* channel : channel_names) {
        for (const char* lang : {"vi", "en"}) {
            for (const bool with_slot : {false, true}) {
                const auto out = t.render(channel, radio_message(), hai_phong(), lang,
                                          with_slot ? std::optional<slot_context>(slot) : std::nullopt);
                ASSERT_TRUE(out);
                EXPECT_EQ(out->find("\n\n\n"), std::string::npos) << channel << " " << lang << ":\n" << *out;
                // Spoken scripts are one block of lines.
                if (fit_of(channel) == channel_fit::spoken) {
                    EXPECT_EQ(out->find("\n\n"), std::string::npos) << channel << " " << lang << ":\n"
                                                                    << *out;
                }
            }
        }
    }
}

TEST(ChannelSlot, EveryVariableHasAValueWithASlotAndSlotOnesAreAbsentWithout) {
    const loa::testing::temp_dir dir;
    shipped_templates_in(dir);
    std::string source;
    for (const char* v : channel_template_variables) {
        const std::string n = v;
        if (n == "hotline" || n == "hotlines" || n == "key_date") continue;
        // Booleans show as "[+]".
        const bool flag = n == "vi" || n == "en" || n == "has_duration" || n == "has_slot";
        source += n + "=[{{#" + n + "}}" + (flag ? "+" : "{{" + n + "}}") + "{{/" + n + "}}]\n";
    }
    write(dir.file("radio.mustache"), source);
    const channel_templates t(dir.path());
    const auto with = t.render("radio", radio_message(), hai_phong(), "vi",
                               slot_context_of(thp_radio(), monday_19h(), 12, "news"));
    ASSERT_TRUE(with);
    EXPECT_EQ(std::count(with->begin(), with->end(), ']') - 1, std::count(with->begin(), with->end(), '\n'))
        << *with;
    std::size_t empty = 0;
    for (std::size_t at = with->find("=[]"); at != std::string::npos; at = with->find("=[]", at + 1)) ++empty;
    EXPECT_EQ(empty, 1u) << *with;
    EXPECT_NE(with->find("outlet_kind=[radio]"), std::string::npos) << *with;
    EXPECT_NE(with->find("slot_duration_s=[12]"), std::string::npos) << *with;
    EXPECT_NE(with->find("slot_weekday=[thứ Hai]"), std::string::npos) << *with;
    EXPECT_NE(with->find("vi=[+]\nen=[]\n"), std::string::npos) << *with;  // en: the one false flag
    const auto without = t.render("radio", radio_message(), hai_phong(), "vi");
    ASSERT_TRUE(without);
    for (const char* v : {"has_slot", "outlet_name", "outlet_kind", "slot_date", "slot_time", "slot_weekday",
                          "daypart", "slot_duration_s"})
        EXPECT_NE(without->find(std::string(v) + "=[]"), std::string::npos) << v << "\n" << *without;
    EXPECT_NE(without->find("title=[Giới thiệu Tổng đài 111]"), std::string::npos) << *without;
}

TEST(ChannelSlot, PressReleaseNamesThePublicationDayInsteadOfTheFlight) {
    const channel_templates t(template_dir);
    outlet paper = thp_radio();
    paper.kind = "print";
    paper.name = {"Báo Hải Phòng", "Hai Phong newspaper"};
    const auto vi =
        t.render("print", radio_message(), hai_phong(), "vi", slot_context_of(paper, monday_19h(), 0, ""));
    ASSERT_TRUE(vi);
    EXPECT_NE(vi->find("Đăng ngày 29/07/2024 trên Báo Hải Phòng."), std::string::npos) << *vi;
    EXPECT_EQ(vi->find("Đăng từ"), std::string::npos) << *vi;
    const auto preview = t.render("print", radio_message(), hai_phong(), "vi");
    EXPECT_NE(preview->find("Đăng từ 01/07/2024 đến 31/07/2024."), std::string::npos) << *preview;
}

TEST(ChannelSlot, UnknownZoneIsAnError) {
    const channel_templates t(template_dir);
    outlet o = thp_radio();
    o.time_zone = "Asia/Hai_Phong";
    EXPECT_THROW(
        (void)t.render("radio", radio_message(), hai_phong(), "vi", slot_context_of(o, monday_19h(), 10, "")),
        std::runtime_error);
}

TEST(ChannelSlot, WeekdaysInBothLanguages) {
    EXPECT_EQ(format_weekday(date::Sunday, "vi"), "Chủ nhật");
    EXPECT_EQ(format_weekday(date::Wednesday, "vi"), "thứ Tư");
    EXPECT_EQ(format_weekday(date::Saturday, "vi"), "thứ Bảy");
    EXPECT_EQ(format_weekday(date::Saturday, "en"), "Saturday");
}

// ---- Channel checks on rendered, real Vietnamese ------------------------------------------------

TEST(ChannelChecks, VietnameseSmsIsUcs2At70And67) {
    const channel_templates t(template_dir);
    message m = radio_message();
    // 70 characters with diacritics: one SMS.
    m.text.vi = "Gọi ngay 111 khi thấy trẻ em bị dụ dỗ đi làm xa. Miễn phí, cả ngày đêm";
    ASSERT_EQ(count_sms(m.text.vi).characters, 70);
    auto p = preview_channels(t, m, hai_phong(), "vi");
    ASSERT_TRUE(p[1].sms);
    EXPECT_EQ(p[1].sms->encoding, sms_encoding::ucs2);
    EXPECT_EQ(p[1].sms->segments, 1);
    EXPECT_EQ(p[1].sms->remaining, 0);
    // One more character: two parts of 67.
    m.text.vi += "!";
    p = preview_channels(t, m, hai_phong(), "vi");
    EXPECT_EQ(p[1].sms->segments, 2);
    EXPECT_EQ(p[1].sms->per_segment, 67);
    EXPECT_EQ(p[1].sms->remaining, 2 * 67 - 71);
    // The same length without diacritics is GSM-7: 160 in one.
    m.text.vi = "Goi ngay 111 khi thay tre em bi du do di lam xa. Mien phi, ca ngay dem";
    p = preview_channels(t, m, hai_phong(), "vi");
    EXPECT_EQ(p[1].sms->encoding, sms_encoding::gsm7);
    EXPECT_EQ(p[1].sms->per_segment, 160);
    // One tone mark anywhere switches the whole message to UCS-2 (the "ẻ" of "trẻ").
    m.text.vi = std::string(150, 'a') + " trẻ";
    p = preview_channels(t, m, hai_phong(), "vi");
    EXPECT_EQ(p[1].sms->encoding, sms_encoding::ucs2);
    EXPECT_EQ(p[1].sms->segments, 3);  // 155 units: 67 + 67 + 21
}

TEST(ChannelChecks, SpokenReadTimeAgainstTheSlot) {
    const channel_templates t(template_dir);
    const message m = radio_message();  // 19 spoken words: 7 s at 180 a minute
    auto p = preview_channels(t, m, hai_phong(), "vi", slot_context_of(thp_radio(), monday_19h(), 6, "news"));
    ASSERT_TRUE(p[0].spoken);
    EXPECT_EQ(p[0].spoken->seconds, 7);
    EXPECT_EQ(p[0].duration_s, 6);
    EXPECT_FALSE(p[0].fits_duration());
    p = preview_channels(t, m, hai_phong(), "vi", slot_context_of(thp_radio(), monday_19h(), 7, "news"));
    EXPECT_TRUE(p[0].fits_duration());
    // English is read slower: 150 a minute.
    p = preview_channels(t, m, hai_phong(), "en", slot_context_of(thp_radio(), monday_19h(), 30, "news"));
    EXPECT_EQ(p[0].spoken->words_per_minute, 150);
    EXPECT_TRUE(p[0].fits_duration());
}

TEST(ChannelChecks, SocialLengthCountsVietnameseToneMarksDouble) {
    const channel_templates t(template_dir);
    message m = radio_message();
    m.text.vi = "Hãy gọi 111";  // ã (U+00E3) counts 1, ọ (U+1ECD) counts 2
    channel_context one_hotline = hai_phong();
    one_hotline.hotlines.resize(1);
    auto p = preview_channels(t, m, one_hotline, "vi");
    ASSERT_TRUE(p[2].social);
    const std::string expected = "Hãy gọi 111\n\n☎ 111 – Tổng đài quốc gia bảo vệ trẻ em";
    EXPECT_EQ(p[2].text, expected);
    EXPECT_EQ(p[2].social->characters, count_social(expected).characters);
    EXPECT_EQ(count_social("Hãy gọi 111").weighted, 12);
    // 140 "ộ" weigh 280: the limit exactly, with no hotline; one more is over.
    m.text.vi.clear();
    for (int i = 0; i < 140; ++i) m.text.vi += "ộ";
    channel_context none = hai_phong();
    none.hotlines.clear();
    p = preview_channels(t, m, none, "vi");
    EXPECT_EQ(p[2].social->weighted, 280);
    EXPECT_FALSE(p[2].social->over());
    m.text.vi += "ộ";
    EXPECT_TRUE(preview_channels(t, m, none, "vi")[2].social->over());
}

TEST(ChannelChecks, HostileContentStaysLiteralWithASlot) {
    const channel_templates t(template_dir);
    message m = radio_message();
    m.title.vi = "{{text}} <b>Tiêu đề</b>";
    m.text.vi = "{{> partial}} {{=<% %>=}} <% text %> {{{theme}}} {{&hotline}} <script>x</script> &amp; \"'";
    outlet o = thp_radio();
    o.name.vi = "{{#hotlines}}Đài{{/hotlines}} & <i>loa</i>";
    channel_context ctx = hai_phong();
    ctx.theme.vi = "{{code}}";
    for (const char* channel :
         {"radio", "tv", "loudspeaker", "school", "print", "online", "social", "sms", "email"}) {
        const auto out = t.render(channel, m, ctx, "vi", slot_context_of(o, monday_19h(), 10, "news"));
        ASSERT_TRUE(out) << channel;
        EXPECT_NE(out->find(m.text.vi), std::string::npos) << channel << ":\n" << *out;
        EXPECT_EQ(out->find("&lt;"), std::string::npos) << channel;
        EXPECT_EQ(out->find("&amp;amp;"), std::string::npos) << channel;
        EXPECT_EQ(out->find("radio-hotline-111"), std::string::npos) << channel;  // {{code}} not expanded
    }
    const auto radio = t.render("radio", m, ctx, "vi", slot_context_of(o, monday_19h(), 10, "news"));
    EXPECT_NE(radio->find("[Kịch bản phát thanh: {{text}} <b>Tiêu đề</b> (10 giây)]"), std::string::npos)
        << *radio;
    EXPECT_NE(radio->find("— {{#hotlines}}Đài{{/hotlines}} & <i>loa</i>]"), std::string::npos) << *radio;
    EXPECT_NE(radio->find("[Nhạc hiệu kết – chủ đề: {{code}}]"), std::string::npos) << *radio;
}

}  // namespace message_renderer_test_cpp
}  // namespace
