// Campaign YAML decoding: the model a valid file gives, and every kind of error with its FILE:LINE:COL.
#include "core/config/campaign_loader.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace loa::core {
namespace {
namespace campaign_loader_test_cpp {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using date::days;
using date::local_days;

// A valid campaign of nine lines; tests append sections, so their lines start at 10.
const std::string header = R"(campaign:
  slug: hp-2024
  title: Chiến dịch phòng, chống mua bán người
  theme: Không để trẻ em nào bị bỏ lại phía sau
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
departments:
  - code: police
    name: Công an thành phố
)";

std::vector<std::string> errors_of(std::string_view yaml) {
    const auto r = load_campaign_text(yaml, "t.yaml");
    std::vector<std::string> out;
    for (const auto& d : r.errors) out.push_back(d.to_string());
    EXPECT_EQ(r.value.has_value(), r.errors.empty()) << "value is set exactly when there are no errors";
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

// Exactly one error, at `where` ("t.yaml:LINE:COL"), whose message contains `fragment`.
void expect_only(std::string_view yaml, const std::string& where, const std::string& fragment) {
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_EQ(errors[0].rfind(where + ": ", 0), 0U) << errors[0];
    EXPECT_NE(errors[0].find(fragment), std::string::npos) << errors[0];
}

// "t.yaml:LINE:COL" of the `nth` occurrence of `token` on line `line` of `yaml`, the column counted
// in characters: an oracle for positions that does not depend on yaml-cpp's marks.
std::string at(std::string_view yaml, int line, std::string_view token, int nth = 1) {
    std::size_t start = 0;
    for (int l = 1; l < line; ++l) start = yaml.find('\n', start) + 1;
    const std::string_view text = yaml.substr(start, yaml.find('\n', start) - start);
    std::size_t pos = std::string_view::npos;
    for (std::size_t from = 0; nth > 0; --nth, from = pos + 1) {
        pos = text.find(token, from);
        if (pos == std::string_view::npos) {
            ADD_FAILURE() << "no '" << token << "' on line " << line << ": " << text;
            return "?";
        }
    }
    int column = 1;
    for (std::size_t i = 0; i < pos; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    }
    return "t.yaml:" + std::to_string(line) + ":" + std::to_string(column);
}

campaign valid(std::string_view yaml) {
    auto r = load_campaign_text(yaml, "t.yaml");
    EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].to_string());
    return r.value.value_or(campaign{});
}

class temp_dir {
public:
    temp_dir() {
        std::string pattern = (fs::temp_directory_path() / "loa-loader-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    fs::path write(const std::string& name, std::string_view content) const {
        std::ofstream out(path_ / name, std::ios::binary);
        out << content;
        return path_ / name;
    }
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// --- A valid document ---------------------------------------------------------------------------

TEST(CampaignLoader, FullDocumentDecodesIntoTheModel) {
    const std::string yaml = R"(# yaml-language-server: $schema=schema.json
campaign:
  slug: haiphong-2024
  title: {vi: "Tháng hành động phòng, chống mua bán người", en: Anti-trafficking month}
  theme: {vi: Không để trẻ em nào bị bỏ lại phía sau, en: No child left behind}
  description: Kế hoạch 77/KH-UBND
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  key_dates:
    - {date: 2024-07-30, name: {vi: "Ngày toàn dân phòng, chống mua bán người", en: National day}, weight: 3}
    - {date: 2024-07-01, name: Khai mạc}
  audiences:
    - {code: children-under-16, name: {vi: Trẻ em dưới 16 tuổi, en: Children under 16}}
    - {code: parents, name: Cha mẹ}
  hotlines:
    - {number: 111, name: Tổng đài quốc gia bảo vệ trẻ em, hours: 24/7}
    - {number: "18001567", name: Đường dây nóng}
departments:
  - code: police
    name: {vi: Công an thành phố, en: City police}
    duties:
      - Chủ trì, điều tra các vụ mua bán người
      - {vi: Kiểm tra khu vực biên giới, en: Inspect border areas}
  - code: education
    name: Sở Giáo dục và Đào tạo
activities:
  - id: press-monthly
    department: police
    kind: press_conference
    title: {vi: Họp báo định kỳ, en: Monthly press conference}
    start: 2024-07-04T09:00
    end: "2024-07-04 10:30"
    rrule: FREQ=MONTHLY;BYDAY=1TH;COUNT=6
    location: Trụ sở UBND thành phố
    audiences: [parents]
  - id: border-inspection
    department: police
    kind: inspection
    title: Kiểm tra biên giới
    all_day: {start: 2024-07-10, end: 2024-07-12}
    time_zone: Asia/Bangkok
    visibility: internal
outlets:
  - slug: thp-tv
    name: Đài Phát thanh và Truyền hình Hải Phòng
    kind: tv
    department: education
    time_zone: Asia/Ho_Chi_Minh
    languages: [vi, en]
    lead_time_hours: 48
    dayparts:
      - {code: morning, name: Buổi sáng, days: weekdays, start: "06:00", end: "08:30", weight: 1.5}
      - {code: prime, name: {vi: Giờ vàng, en: Prime time}, days: [sat, sun], start: "19:00", end: "22:00", weight: 3}
      - {code: late, name: Đêm khuya, start: "22:00", end: "01:00"}
      - {code: all-day, name: Cả ngày, days: daily, start: "00:00", end: "24:00", weight: 0.5}
    break_clock:
      - {minute: 15, seconds: 60, dayparts: [prime, morning]}
      - {at: "19:45", seconds: 120}
  - slug: ward-speakers
    name: Loa phường
    kind: loudspeaker
    time_zone: Asia/Ho_Chi_Minh
messages:
  - id: call-111
    department: police
    title: Gọi 111
    text: {vi: "Hãy gọi 111 khi thấy trẻ em gặp nguy hiểm.", en: Call 111 when a child is in danger.}
    channels: [tv, loudspeaker, sms]
    duration_s: 30
    priority: 8
    flight: {start: 2024-07-01, end: 2024-07-31}
    airings: 40
    audiences: [parents, children-under-16]
    state: approved
  - id: defaults
    department: education
    text: Nội dung mặc định
    channels: [print]
    flight: {start: 2024-07-15, end: 2024-07-15}
)";
    const campaign c = valid(yaml);

    EXPECT_EQ(c.slug, "haiphong-2024");
    EXPECT_EQ(c.title, (localized{"Tháng hành động phòng, chống mua bán người", "Anti-trafficking month"}));
    EXPECT_EQ(c.theme.vi, "Không để trẻ em nào bị bỏ lại phía sau");
    EXPECT_EQ(c.theme.en, "No child left behind");
    EXPECT_EQ(c.description, (localized{"Kế hoạch 77/KH-UBND", ""}));
    EXPECT_EQ(c.period_start, date::year{2024} / 7 / 1);
    EXPECT_EQ(c.period_end, date::year{2024} / 7 / 31);
    EXPECT_EQ(c.time_zone, "Asia/Ho_Chi_Minh");
    ASSERT_EQ(c.key_dates.size(), 2U);
    EXPECT_EQ(c.key_dates[0].date, date::year{2024} / 7 / 30);
    EXPECT_EQ(c.key_dates[0].name.vi, "Ngày toàn dân phòng, chống mua bán người");
    EXPECT_DOUBLE_EQ(c.key_dates[0].weight, 3.0);
    EXPECT_DOUBLE_EQ(c.key_dates[1].weight, 1.0);
    ASSERT_EQ(c.audiences.size(), 2U);
    EXPECT_EQ(c.audiences[0], (audience{"children-under-16", {"Trẻ em dưới 16 tuổi", "Children under 16"}}));
    ASSERT_EQ(c.hotlines.size(), 2U);
    EXPECT_EQ(c.hotlines[0], (hotline{"111", {"Tổng đài quốc gia bảo vệ trẻ em", ""}, "24/7"}));
    EXPECT_EQ(c.hotlines[1].number, "18001567");
    EXPECT_EQ(c.hotlines[1].hours, "");

    ASSERT_EQ(c.departments.size(), 2U);
    EXPECT_EQ(c.departments[0].code, "police");
    EXPECT_EQ(c.departments[0].name.en, "City police");
    ASSERT_EQ(c.departments[0].duties.size(), 2U);
    EXPECT_EQ(c.departments[0].duties[0].vi, "Chủ trì, điều tra các vụ mua bán người");
    EXPECT_EQ(c.departments[0].duties[1], (localized{"Kiểm tra khu vực biên giới", "Inspect border areas"}));
    EXPECT_TRUE(c.departments[1].duties.empty());

    ASSERT_EQ(c.activities.size(), 2U);
    const activity& press = c.activities[0];
    EXPECT_EQ(press.id, "press-monthly");
    EXPECT_EQ(press.kind, "press_conference");
    EXPECT_FALSE(press.all_day);
    EXPECT_EQ(press.start, local_days{date::year{2024} / 7 / 4} + 9h);
    EXPECT_EQ(press.end, local_days{date::year{2024} / 7 / 4} + 10h + 30min);
    EXPECT_EQ(press.rrule, "FREQ=MONTHLY;BYDAY=1TH;COUNT=6");
    EXPECT_EQ(press.time_zone, "");
    EXPECT_EQ(press.location.vi, "Trụ sở UBND thành phố");
    EXPECT_EQ(press.audiences, std::vector<std::string>{"parents"});
    EXPECT_EQ(press.vis, visibility::public_);
    const activity& border = c.activities[1];
    EXPECT_TRUE(border.all_day);
    EXPECT_EQ(border.start, local_days{date::year{2024} / 7 / 10});
    EXPECT_EQ(border.end, local_days{date::year{2024} / 7 / 12} + days{1});
    EXPECT_EQ(border.time_zone, "Asia/Bangkok");
    EXPECT_EQ(border.vis, visibility::internal);
    EXPECT_EQ(border.rrule, "");

    ASSERT_EQ(c.outlets.size(), 2U);
    const outlet& tv = c.outlets[0];
    EXPECT_EQ(tv.slug, "thp-tv");
    EXPECT_EQ(tv.kind, "tv");
    EXPECT_EQ(tv.department, "education");
    EXPECT_EQ(tv.languages, (std::vector<std::string>{"vi", "en"}));
    EXPECT_EQ(tv.lead_time_hours, 48);
    ASSERT_EQ(tv.dayparts.size(), 4U);
    EXPECT_EQ(tv.dayparts[0], (daypart{"morning", {"Buổi sáng", ""}, 0x1f, 6h, 8h + 30min, 1.5}));
    EXPECT_EQ(tv.dayparts[1], (daypart{"prime", {"Giờ vàng", "Prime time"}, 0x60, 19h, 22h, 3.0}));
    EXPECT_EQ(tv.dayparts[2], (daypart{"late", {"Đêm khuya", ""}, 0x7f, 22h, 1h, 1.0}));
    EXPECT_EQ(tv.dayparts[3].end, 24h);
    EXPECT_EQ(tv.dayparts[3].weekdays, 0x7f);
    ASSERT_EQ(tv.break_clock.size(), 2U);
    EXPECT_EQ(tv.break_clock[0], (break_rule{15, std::nullopt, 60, {"prime", "morning"}}));
    EXPECT_EQ(tv.break_clock[1], (break_rule{std::nullopt, 19h + 45min, 120, {}}));
    const outlet& speakers = c.outlets[1];
    EXPECT_EQ(speakers.languages, std::vector<std::string>{"vi"});
    EXPECT_EQ(speakers.department, "");
    EXPECT_EQ(speakers.lead_time_hours, 0);
    EXPECT_TRUE(speakers.dayparts.empty());

    ASSERT_EQ(c.messages.size(), 2U);
    const message& call = c.messages[0];
    EXPECT_EQ(call.text, (localized{"Hãy gọi 111 khi thấy trẻ em gặp nguy hiểm.",
                                    "Call 111 when a child is in danger."}));
    EXPECT_EQ(call.title.vi, "Gọi 111");
    EXPECT_EQ(call.channels, (std::vector<std::string>{"tv", "loudspeaker", "sms"}));
    EXPECT_EQ(call.duration_s, 30);
    EXPECT_EQ(call.priority, 8);
    EXPECT_EQ(call.flight_start, date::year{2024} / 7 / 1);
    EXPECT_EQ(call.flight_end, date::year{2024} / 7 / 31);
    EXPECT_EQ(call.airings, 40);
    EXPECT_EQ(call.audiences, (std::vector<std::string>{"parents", "children-under-16"}));
    EXPECT_EQ(call.state, "approved");
    const message& defaults = c.messages[1];
    EXPECT_EQ(defaults.priority, 5);
    EXPECT_EQ(defaults.state, "draft");
    EXPECT_EQ(defaults.duration_s, 0);
    EXPECT_EQ(defaults.airings, 0);
    EXPECT_EQ(defaults.title, localized{});
}

TEST(CampaignLoader, VietnameseTextPassesThroughByteExact) {
    // Precomposed and decomposed forms are different bytes: neither may be normalised away.
    const std::string precomposed = "Tr\xe1\xba\xbb em";  // "Trẻ em", U+1EBB
    const std::string decomposed = "Tre\xcc\x89 em";      // "e" + U+0309 combining hook above
    const campaign c = valid(header + "    duties:\n      - \"" + precomposed + "\"\n      - " + decomposed +
                             "\n      - \"\\u0110\xc3\xa0 N\xe1\xba\xb5ng\"\n");
    ASSERT_EQ(c.departments[0].duties.size(), 3U);
    EXPECT_EQ(c.departments[0].duties[0].vi, precomposed);
    EXPECT_EQ(c.departments[0].duties[1].vi, decomposed);
    EXPECT_EQ(c.departments[0].duties[2].vi, "\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng");  // "Đà Nẵng"
    EXPECT_EQ(c.departments[0].name.vi, "Công an thành phố");
}

TEST(CampaignLoader, HeaderAloneIsValidWithEmptySections) {
    const campaign c = valid(header);
    EXPECT_EQ(c.slug, "hp-2024");
    EXPECT_EQ(c.departments.size(), 1U);
    EXPECT_TRUE(c.activities.empty());
    EXPECT_TRUE(c.outlets.empty());
    EXPECT_TRUE(c.messages.empty());
}

TEST(CampaignLoader, ByteOrderMarkAndWindowsLineEndingsAreAccepted) {
    std::string crlf;
    for (char ch : header) {
        if (ch == '\n') crlf += '\r';
        crlf += ch;
    }
    const campaign c = valid("\xEF\xBB\xBF" + crlf);
    EXPECT_EQ(c.title.vi, "Chiến dịch phòng, chống mua bán người");
    // Positions still count lines and characters.
    expect_only("\xEF\xBB\xBF" + crlf + "activities: 3\r\n", "t.yaml:10:13", "expected a list");
}

// --- Syntax ---------------------------------------------------------------------------------------

TEST(CampaignLoader, SyntaxErrorIsOneDiagnosticAtItsMark) {
    expect_only("campaign: [a, b\n", "t.yaml:2:1", "syntax error: end of sequence flow not found");
    expect_only("campaign:\n  slug: x\n title: y\n", "t.yaml:3:2", "syntax error: end of map not found");
}

TEST(CampaignLoader, AQuoteLeftOpenAtTheEndOfTheFileIsASyntaxError) {
    // yaml-cpp alone takes these as text ending at the end of the file ("Phòng ", "draft ").
    const std::string open_last = header + "    duties:\n      - \"Phòng\n";
    expect_only(open_last, "t.yaml:11:9", "this quoted text has no closing quote before the end of the file");
    expect_only(header + "    duties:\n      - 'Phòng\n", "t.yaml:11:9", "no closing quote");
    // Closed ones, with escaped and doubled quotes inside, multi-line and at the very end, stay fine.
    const campaign c = valid(header + "    duties:\n      - \"Ph\\\"ò\\\\ng\"\n      - 'it''s'\n      - \"a\n        b\"\n      - |\n        \"open\n");
    ASSERT_EQ(c.departments[0].duties.size(), 4U);
    EXPECT_EQ(c.departments[0].duties[0].vi, "Ph\"ò\\ng");
    EXPECT_EQ(c.departments[0].duties[1].vi, "it's");
    EXPECT_EQ(c.departments[0].duties[2].vi, "a b");
    EXPECT_EQ(c.departments[0].duties[3].vi, "\"open\n");
}

TEST(CampaignLoader, AQuoteLeftOpenMidFileIsNamedWhereItOpens) {
    // yaml-cpp reads on to the next quote and stops lines later; the error names the open quote.
    const std::string yaml = header + "    duties:\n      - \"Phòng\n      - Tuyên truyền\n"
                                      "  - code: bien-phong\n    name: \"Bộ đội biên phòng\"\n";
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_TRUE(errors[0].starts_with("t.yaml:11:9: syntax error: this quoted text runs on to line 14, where the "
                                      "file stops making sense ("))
        << errors[0];
    EXPECT_TRUE(errors[0].ends_with("): is its closing quote missing?")) << errors[0];
    // Single quotes too; a quote inside plain text or a comment, or a block scalar's lines, open nothing.
    const std::string single = header + "    duties:\n      - 'Phòng\n  - code: x\n    name: 'Bộ đội'\n";
    EXPECT_NE(joined(errors_of(single)).find("t.yaml:11:9: syntax error: this quoted text runs on"), std::string::npos)
        << joined(errors_of(single));
    const std::string not_quotes = header + "    duties:\n      - Cán bộ \"xã\n      - |\n        \"open\n"
                                            "      # \"note\n  - code: x\n   name: y\n";
    const auto other = errors_of(not_quotes);
    ASSERT_EQ(other.size(), 1U) << joined(other);
    EXPECT_EQ(other[0].find("runs on"), std::string::npos) << other[0];
}

TEST(CampaignLoader, AnAliasThatContainsItselfIsAnErrorNotALoop) {
    // `extra: *d` inside the list &d names that list again: the walks over the tree visit each
    // collection once (fuzz/corpus/campaign/regression-alias-loop.yaml took seconds before).
    const std::string yaml = "campaign:\n  slug: x\ndepartments: &d\n  - code: police\n    name: Công an\n"
                             "    extra: [*d, *d, *d]\n";
    const auto errors = errors_of(yaml);
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(joined(errors).find("t.yaml:6:5: unknown key 'extra' in department"), std::string::npos) << joined(errors);
}

TEST(CampaignLoader, ACommaThatSplitTextInBracesIsNamed) {
    const std::string yaml = header + "  - code: bien-phong\n    name: {vi: Bộ đội, biên phòng}\n";
    expect_only(yaml, "t.yaml:11:24",
                "unknown key 'biên phòng' in text 'name' (a comma inside {…} ends a value: quote text that has "
                "one, e.g. \"Công an, thành phố\")");
    // A misspelt key with an empty value keeps its spelling hint.
    const auto misspelt = errors_of(header + "  - code: bien-phong\n    name: {vi: Bộ đội biên phòng, eng: }\n");
    ASSERT_EQ(misspelt.size(), 1U) << joined(misspelt);
    EXPECT_NE(misspelt[0].find("'eng'"), std::string::npos) << misspelt[0];
    EXPECT_EQ(misspelt[0].find("a comma inside"), std::string::npos) << misspelt[0];
}

TEST(CampaignLoader, TabIndentationIsASyntaxErrorThatSaysSo) {
    expect_only("campaign:\n\tslug: x\n", "t.yaml:2:6", "tabs cannot indent YAML");
}

TEST(CampaignLoader, AColonInsideTextIsASyntaxErrorThatSaysWhatToDo) {
    const auto errors = errors_of(header + "activities:\n  - code: a\n    title: Họp báo: 30 tháng 7\n");
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_NE(errors[0].find("syntax error: illegal map value (text that holds ': ' must be quoted"), std::string::npos)
        << errors[0];
}

TEST(CampaignLoader, SecondDocumentIsReported) {
    expect_only(header + "---\ncampaign: {}\n", "t.yaml:10:1",
                "a campaign file holds one YAML document; this is a second one");
    expect_only(header + "---\n[unclosed\n", "t.yaml:12:1", "syntax error: end of sequence flow not found");
}

TEST(CampaignLoader, LeadingCommaDoesNotMakeYamlCppLoopForever) {
    // yaml-cpp 0.7's LoadAll allocates empty documents forever on these (found by the fuzzer).
    const auto start = std::chrono::steady_clock::now();
    expect_only(",", "t.yaml:1:1", "expected a map with 'campaign' and 'departments', got nothing");
    expect_only(header + "...\n,\n", "t.yaml:11:1", "this is a second one");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// --- Keys -----------------------------------------------------------------------------------------

TEST(CampaignLoader, UnknownKeySuggestsTheClosestAtEveryLevel) {
    expect_only(header + "activites: []\n", "t.yaml:10:1",
                "unknown key 'activites' in the campaign file (did you mean 'activities'?)");
    expect_only(header + "    dutys: []\n", "t.yaml:10:5",
                "unknown key 'dutys' in department (did you mean 'duties'?)");
    expect_only(header + "    colour: red\n", "t.yaml:10:5",
                "unknown key 'colour' in department (expected one of: code, name, duties)");
    const std::string doc = R"(campaign:
  slug: hp-2024
  titel: x
  title: {vi: Tiêu đề, eng: Title}
  theme: x
  period: {start: 2024-07-01, end: 2024-07-31, ends: 2024-08-01}
  time-zone: Asia/Ho_Chi_Minh
  time_zone: Asia/Ho_Chi_Minh
departments: []
)";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 4U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:3:3: unknown key 'titel' in 'campaign' (did you mean 'title'?)");
    EXPECT_EQ(errors[1], "t.yaml:4:24: unknown key 'eng' in text 'title' (did you mean 'en'?)");
    EXPECT_EQ(errors[1], at(doc, 4, "eng") + ": unknown key 'eng' in text 'title' (did you mean 'en'?)");
    EXPECT_EQ(errors[2], at(doc, 6, "ends") + ": unknown key 'ends' in 'period' (did you mean 'end'?)");
    EXPECT_EQ(errors[3], "t.yaml:7:3: unknown key 'time-zone' in 'campaign' (did you mean 'time_zone'?)");
}

TEST(CampaignLoader, AMisspeltListNameIsOneErrorNotOnePerReference) {
    // 'audience' for 'audiences': every message's audience would be unknown; only the key is named.
    const std::string doc = R"(campaign:
  slug: hp-2024
  title: Chiến dịch
  theme: Chủ đề
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  audience:
    - {code: parents, name: Phụ huynh}
departments:
  - code: police
    name: Công an thành phố
outlet:
  - slug: tv
    name: TV
    kind: tv
messages:
  - id: m1
    department: police
    text: Gọi 111
    channels: [tv]
    priority: 5
    flight: {start: 2024-07-01, end: 2024-07-31}
    audiences: [parents]
    outlets: [tv]
  - id: m2
    department: police
    text: Gọi 111
    channels: [tv]
    priority: 5
    flight: {start: 2024-07-01, end: 2024-07-31}
    audiences: [parents]
    outlets: [tv]
)";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 2U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:7:3: unknown key 'audience' in 'campaign' (did you mean 'audiences'?)");
    EXPECT_EQ(errors[1], "t.yaml:12:1: unknown key 'outlet' in the campaign file (did you mean 'outlets'?)");
    // With the lists plainly absent, the references are what is wrong.
    std::string without = doc;
    without.erase(without.find("  audience:\n"), std::string("  audience:\n    - {code: parents, name: Phụ huynh}\n").size());
    without.erase(without.find("outlet:\n"), std::string("outlet:\n  - slug: tv\n    name: TV\n    kind: tv\n").size());
    const auto refs = errors_of(without);
    EXPECT_GE(refs.size(), 4U) << joined(refs);
    EXPECT_NE(joined(refs).find("unknown audience 'parents'"), std::string::npos) << joined(refs);
    EXPECT_NE(joined(refs).find("unknown outlet 'tv'"), std::string::npos) << joined(refs);
}

TEST(CampaignLoader, UnknownKeyInDaypartBreakAndMessage) {
    const std::string doc = header + R"(outlets:
  - slug: tv
    name: TV
    kind: tv
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: prime, name: Giờ vàng, start: "19:00", end: "22:00", wieght: 3}
    break_clock:
      - {minute: 0, secs: 30}
messages:
  - {id: m, department: police, text: x, channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}, prority: 3}
)";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 4U) << joined(errors);
    EXPECT_EQ(errors[0],
              at(doc, 16, "wieght") + ": unknown key 'wieght' in daypart (did you mean 'weight'?)");
    EXPECT_EQ(errors[1], at(doc, 18, "{minute") + ": missing required key 'seconds' in break");
    EXPECT_EQ(errors[2],
              at(doc, 18, "secs") +
                  ": unknown key 'secs' in break (expected one of: minute, at, seconds, dayparts)");
    EXPECT_EQ(errors[3],
              at(doc, 20, "prority") + ": unknown key 'prority' in message (did you mean 'priority'?)");
}

TEST(CampaignLoader, DuplicateKeyInAMapIsReported) {
    expect_only(header + "    name: Công an\n", "t.yaml:10:5", "duplicate key 'name' (first at 9:5)");
    const std::string doc =
        header +
        "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, time_zone: Asia/Ho_Chi_Minh}\n";
    expect_only(doc, at(doc, 11, "time_zone", 2), "duplicate key 'time_zone' (first at 11:36)");
}

TEST(CampaignLoader, MissingRequiredKeysAreReportedAtTheParentMap) {
    const auto errors = errors_of(R"(campaign:
  slug: hp
  title: x
  period: {start: 2024-07-01}
departments:
  - code: police
  - name: Không mã
)");
    ASSERT_EQ(errors.size(), 5U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:2:3: missing required key 'theme' in 'campaign'");
    EXPECT_EQ(errors[1], "t.yaml:2:3: missing required key 'time_zone' in 'campaign'");
    EXPECT_EQ(errors[2], "t.yaml:4:11: missing required key 'end' in 'period'");
    EXPECT_EQ(errors[3], "t.yaml:6:5: missing required key 'name' in department");
    EXPECT_EQ(errors[4], "t.yaml:7:5: missing required key 'code' in department");
    expect_only("departments: []\n", "t.yaml:1:1", "missing required key 'campaign' in the campaign file");
}

TEST(CampaignLoader, ActivityNeedsStartAndEndOrAllDay) {
    const std::string a = header + "activities:\n  - {id: a, department: police, kind: other, title: x";
    const auto errors = errors_of(a + "}\n");
    ASSERT_EQ(errors.size(), 2U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:11:5: missing required key 'start' (or 'all_day') in activity");
    EXPECT_EQ(errors[1], "t.yaml:11:5: missing required key 'end' (or 'all_day') in activity");
    expect_only(a + ", start: 2024-07-01T10:00}\n", "t.yaml:11:5",
                "missing required key 'end' (or 'all_day')");
    const std::string both =
        a +
        ", start: 2024-07-01T10:00, end: 2024-07-01T11:00, all_day: {start: 2024-07-01, end: 2024-07-01}}\n";
    expect_only(both, at(both, 11, "all_day"), "either 'all_day' or 'start'/'end', not both");
}

// --- Types ----------------------------------------------------------------------------------------

TEST(CampaignLoader, WrongTypesSayWhatWasExpected) {
    expect_only(header + "activities: {id: a}\n", "t.yaml:10:13",
                "expected a list for 'activities', got a map");
    expect_only(header + "    duties: Điều tra\n", "t.yaml:10:13",
                "expected a list for 'duties', got 'Điều tra'");
    expect_only(header + "  - police\n", "t.yaml:10:5", "expected a map (department), got 'police'");
    expect_only(header + "    duties: [[a]]\n", "t.yaml:10:14",
                "expected text or {vi, en} for 'duties', got a list");
    expect_only(header + "campaign: 3\n", "t.yaml:10:1", "duplicate key 'campaign'");
    const std::string title =
        "campaign: {slug: hp, title: [x], theme: x, period: {start: 2024-07-01, end: 2024-07-02}, "
        "time_zone: UTC}\ndepartments: []\n";
    expect_only(title, at(title, 1, "[x]"), "expected text or {vi, en} for 'title', got a list");
    const std::string outlet =
        header + "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: Asia/Ho_Chi_Minh, ";
    std::string doc = outlet + "lead_time_hours: soon}\n";
    expect_only(doc, at(doc, 11, "soon"), "expected a whole number for 'lead_time_hours', got 'soon'");
    doc = outlet + "lead_time_hours: 1.5}\n";
    expect_only(doc, at(doc, 11, "1.5"), "expected a whole number for 'lead_time_hours', got '1.5'");
    doc = outlet + "dayparts: [{code: p, name: P, start: \"19:00\", end: \"20:00\", weight: heavy}]}\n";
    expect_only(doc, at(doc, 11, "heavy"), "expected a number for 'weight', got 'heavy'");
    doc = outlet + "dayparts: {code: p}}\n";
    expect_only(doc, at(doc, 11, "{code"), "expected a list for 'dayparts', got a map");
}

TEST(CampaignLoader, QuotedNumberIsText) {
    const std::string doc = header +
                            "messages:\n  - {id: m, department: police, text: x, channels: [tv], "
                            "flight: {start: 2024-07-01, end: 2024-07-02}, priority: \"5\"}\n";
    expect_only(doc, at(doc, 11, "\"5\""),
                "expected a whole number for 'priority', got the text '5' (write numbers without quotes)");
}

TEST(CampaignLoader, TextMustHaveVietnamese) {
    expect_only(header + "    duties: [\"\"]\n", "t.yaml:10:14", "'duties' needs Vietnamese text");
    expect_only(header + "    duties: [{en: Investigate}]\n", "t.yaml:10:14",
                "missing required key 'vi' in text 'duties'");
    expect_only(header + "    duties: [{vi: \"\", en: Investigate}]\n", "t.yaml:10:14",
                "needs Vietnamese text (vi is empty)");
    expect_only(header + "    duties: [{vi: [a]}]\n", "t.yaml:10:19", "expected text for 'vi', got a list");
}

TEST(CampaignLoader, CodesMustBeLowerCaseAsciiWithDashes) {
    const std::string d = header + "  - {code: ";  // the code starts at column 12
    expect_only(d + "Giáo-dục, name: x}\n", "t.yaml:10:12",
                "invalid code 'Giáo-dục': use lower-case letters");
    expect_only(d + "-edu, name: x}\n", "t.yaml:10:12", "invalid code '-edu'");
    expect_only(d + "edu-, name: x}\n", "t.yaml:10:12", "invalid code 'edu-'");
    expect_only(d + "edu--x, name: x}\n", "t.yaml:10:12", "invalid code 'edu--x'");
    expect_only(d + "edu_x, name: x}\n", "t.yaml:10:12", "invalid code 'edu_x'");
    expect_only(d + std::string(65, 'a') + ", name: x}\n", "t.yaml:10:12", "at most 64 characters");
    valid(d + std::string(64, 'a') + ", name: x}\n");
    valid(d + "ubnd-2024, name: x}\n");
}

// --- Dates and times ------------------------------------------------------------------------------

TEST(CampaignLoader, BadDates) {
    const std::string c =
        "campaign:\n  slug: hp\n  title: x\n  theme: x\n  time_zone: UTC\n  period: {start: ";
    const std::string tail = "departments: []\n";
    // "  period: {start: " is 18 characters: the start date is at column 19.
    expect_only(c + "2024-02-30, end: 2024-03-01}\n" + tail, "t.yaml:6:19",
                "bad date '2024-02-30' for 'start': no such day");
    expect_only(c + "2024-7-1, end: 2024-07-31}\n" + tail, "t.yaml:6:19",
                "bad date '2024-7-1' for 'start': expected YYYY-MM-DD");
    expect_only(c + "2024-07-01, end: 2023-02-29}\n" + tail, "t.yaml:6:36",
                "bad date '2023-02-29' for 'end': no such day");
    expect_only(c + "2024-07-01, end: [2024]}\n" + tail, "t.yaml:6:36",
                "expected a date (YYYY-MM-DD) for 'end', got a list");
    expect_only(c + "20240701, end: 2024-07-31}\n" + tail, "t.yaml:6:19", "bad date '20240701'");
    valid(c + "2024-02-29, end: 2024-02-29}\n" + tail);
}

TEST(CampaignLoader, BadTimesOfDay) {
    const std::string o =
        header +
        "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, dayparts: [{code: p, name: P, ";
    std::string doc = o + "start: \"25:00\", end: \"22:00\"}]}\n";
    expect_only(doc, at(doc, 11, "\"25:00\""),
                "bad time '25:00' for 'start': expected \"HH:MM\" from 00:00 to 23:59");
    doc = o + "start: \"7:00\", end: \"22:00\"}]}\n";
    expect_only(doc, at(doc, 11, "\"7:00\""), "bad time '7:00' for 'start'");
    doc = o + "start: \"07:60\", end: \"22:00\"}]}\n";
    expect_only(doc, at(doc, 11, "\"07:60\""), "bad time '07:60' for 'start'");
    doc = o + "start: \"24:00\", end: \"22:00\"}]}\n";
    expect_only(doc, at(doc, 11, "\"24:00\""),
                "bad time '24:00' for 'start': expected \"HH:MM\" from 00:00 to 23:59");
    doc = o + "start: \"20:00\", end: \"24:01\"}]}\n";
    expect_only(doc, at(doc, 11, "\"24:01\""),
                "bad time '24:01' for 'end': expected \"HH:MM\" from 00:00 to 24:00");
    // Unquoted times are plain text to yaml-cpp; midnight is allowed as an end.
    EXPECT_EQ(valid(o + "start: 20:00, end: \"24:00\"}]}\n").outlets[0].dayparts[0].end,
              std::chrono::minutes(24 * 60));
}

TEST(CampaignLoader, BadDateTimes) {
    const std::string a =
        header + "activities:\n  - {id: a, department: police, kind: other, title: x, start: ";
    std::string doc = a + "2024-07-05T9:00, end: 2024-07-05T10:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-05T9:00"),
                "bad date-time '2024-07-05T9:00' for 'start': expected YYYY-MM-DDTHH:MM");
    doc = a + "2024-07-32T09:00, end: 2024-08-01T10:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-32"), "bad date-time '2024-07-32T09:00' for 'start': no such day");
    doc = a + "2024-07-05T09:00, end: 2024-07-05T24:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-05T24:00"),
                "bad date-time '2024-07-05T24:00' for 'end': no such time of day (00:00 to 23:59)");
    doc = a + "2024-07-01T25:00, end: 2024-07-05T10:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-01T25:00"),
                "bad date-time '2024-07-01T25:00' for 'start': no such time of day (00:00 to 23:59)");
    doc = a + "2024-07-05T09:61, end: 2024-07-05T10:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-05T09:61"), "no such time of day");
    doc = a + "2024-07-05T09:00:00, end: 2024-07-05T10:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-05T09:00:00"), "bad date-time '2024-07-05T09:00:00'");
    doc = a + "2024-07-05, end: 2024-07-06}\n";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 2U) << joined(errors);
    EXPECT_EQ(errors[0].rfind(at(doc, 11, "2024-07-05") + ": bad date-time '2024-07-05' for 'start'", 0), 0U)
        << errors[0];
    EXPECT_EQ(errors[1].rfind(at(doc, 11, "2024-07-06") + ": bad date-time '2024-07-06' for 'end'", 0), 0U)
        << errors[1];
}

TEST(CampaignLoader, EndBeforeStart) {
    const std::string a = header + "activities:\n  - {id: a, department: police, kind: other, title: x, ";
    std::string doc = a + "start: 2024-07-05T09:00, end: 2024-07-05T08:59}\n";
    expect_only(doc, at(doc, 11, "2024-07-05T08:59"), "'end' must be after 'start' (2024-07-05T09:00)");
    doc = a + "start: 2024-07-05T09:00, end: 2024-07-05 09:00}\n";
    expect_only(doc, at(doc, 11, "2024-07-05 09:00"), "'end' must be after 'start' (2024-07-05T09:00)");
    doc = a + "all_day: {start: 2024-07-05, end: 2024-07-04}}\n";
    expect_only(doc, at(doc, 11, "2024-07-04"),
                "'end' (2024-07-04) is before 'start' (2024-07-05) in 'all_day'");
    doc =
        "campaign: {slug: hp, title: x, theme: x, time_zone: UTC, period: {start: 2024-07-02, end: "
        "2024-07-01}}\n"
        "departments: []\n";
    expect_only(doc, at(doc, 1, "2024-07-01"),
                "'end' (2024-07-01) is before 'start' (2024-07-02) in 'period'");
    doc = header +
          "messages:\n  - {id: m, department: police, text: x, channels: [tv], "
          "flight: {start: 2024-07-10, end: 2024-07-09}}\n";
    expect_only(doc, at(doc, 11, "2024-07-09"),
                "'end' (2024-07-09) is before 'start' (2024-07-10) in 'flight'");
    // One-day all-day activities and flights are fine.
    valid(a + "all_day: {start: 2024-07-05, end: 2024-07-05}}\n");
}

// Vietnam's time written the ways people write it: the suggestion is always a zone at UTC+7, never
// the nearest spelling at another offset (Asia/Hanoi was answered with Asia/Harbin, UTC+8; UTC+7
// with UTC).
TEST(CampaignLoader, UnknownTimeZoneSuggestsAZoneAtTheOffsetMeant) {
    const std::string c =
        "campaign: {slug: hp, title: x, theme: x, period: {start: 2024-07-01, end: 2024-07-02}, time_zone: ";
    const std::string tail = "}\ndepartments: []\n";
    const std::string hcm = "(did you mean 'Asia/Ho_Chi_Minh'?";
    for (const char* typed : {"Asia/Hanoi", "Asia/Hai_Phong", "Asia/Haiphong", "Hanoi", "Hà Nội", "Hai Phong",
                              "Hải Phòng", "Sài Gòn", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Việt Nam", "ICT",
                              "Indochina Time", "UTC+7", "UTC +7", "utc+07:00", "GMT+7", "GMT+07", "+07:00",
                              "+0700"}) {
        SCOPED_TRACE(typed);
        const std::string value = std::string("\"") + typed + "\"";
        const auto errors = errors_of(c + value + tail);
        ASSERT_EQ(errors.size(), 1U) << joined(errors);
        EXPECT_EQ(errors[0].rfind("t.yaml:1:99: unknown time zone '", 0), 0U) << errors[0];
        EXPECT_NE(errors[0].find(hcm), std::string::npos) << errors[0];
        EXPECT_EQ(errors[0].find("Harbin"), std::string::npos) << errors[0];
        EXPECT_EQ(errors[0].find("'UTC'"), std::string::npos) << errors[0];
    }
    // Asia/Saigon is a tzdata name (a link to Asia/Ho_Chi_Minh): accepted as written.
    EXPECT_EQ(valid(c + "Asia/Saigon" + tail).time_zone, "Asia/Saigon");
    // An offset lists only zones whose standard offset it is, and says what a zone is.
    const auto plus7 = errors_of(c + "UTC+7" + tail);
    ASSERT_EQ(plus7.size(), 1U);
    EXPECT_EQ(plus7[0],
              "t.yaml:1:99: unknown time zone 'UTC+7': a time zone is an IANA name, not an offset (did you "
              "mean 'Asia/Ho_Chi_Minh'? other zones at UTC+07:00: 'Asia/Bangkok', 'Asia/Barnaul', "
              "'Asia/Hovd', …)");
    const auto minus5 = errors_of(c + "GMT-5" + tail);
    ASSERT_EQ(minus5.size(), 1U);
    EXPECT_NE(minus5[0].find("other zones at UTC-05:00"), std::string::npos) << minus5[0];
    EXPECT_EQ(minus5[0].find("Asia/Ho_Chi_Minh"), std::string::npos) << minus5[0];
    const auto none = errors_of(c + "UTC+7:17" + tail);
    ASSERT_EQ(none.size(), 1U);
    EXPECT_NE(none[0].find("(no zone is at UTC+07:17 now)"), std::string::npos) << none[0];
    // Plain typos keep their nearest spelling.
    expect_only(c + "Asia/Ho_Chi_Mihn" + tail, "t.yaml:1:99", "(did you mean 'Asia/Ho_Chi_Minh'?)");
}

TEST(CampaignLoader, UnknownTimeZone) {
    const std::string c =
        "campaign: {slug: hp, title: x, theme: x, period: {start: 2024-07-01, end: 2024-07-02}, time_zone: ";
    const std::string tail = "}\ndepartments: []\n";
    // The zone is at column 99, right after the prefix.
    ASSERT_EQ(c.size(), 98U);
    expect_only(c + "Asia/Ho_Chi_Min" + tail, "t.yaml:1:99",
                "unknown time zone 'Asia/Ho_Chi_Min' (did you mean 'Asia/Ho_Chi_Minh'?)");
    expect_only(c + "asia/ho_chi_minh" + tail, "t.yaml:1:99", "(did you mean 'Asia/Ho_Chi_Minh'?)");
    expect_only(c + "Hải Phòng" + tail, "t.yaml:1:99",
                "unknown time zone 'Hải Phòng' (did you mean 'Asia/Ho_Chi_Minh'?)");
    expect_only(c + "Sao Hỏa" + tail, "t.yaml:1:99",
                "unknown time zone 'Sao Hỏa' (expected an IANA name");
    // Never a zone at another offset: an abbreviation gets its place or none ('KST' is one letter
    // from 'EST'), and a place two edits from another one gets no suggestion ('Asia/Osaka' is two
    // from 'Asia/Dhaka', three hours off).
    expect_only(c + "KST" + tail, "t.yaml:1:99",
                "unknown time zone 'KST': an abbreviation is not a time zone (did you mean 'Asia/Seoul'?)");
    expect_only(c + "QXT" + tail, "t.yaml:1:99",
                "unknown time zone 'QXT': an abbreviation is not a time zone; name the place");
    const auto osaka = errors_of(c + "Asia/Osaka" + tail);
    ASSERT_EQ(osaka.size(), 1U);
    EXPECT_EQ(osaka[0].find("Dhaka"), std::string::npos) << osaka[0];
    EXPECT_NE(osaka[0].find("(expected an IANA name such as 'Asia/Ho_Chi_Minh')"), std::string::npos) << osaka[0];
    expect_only(c + "Europe/Berln" + tail, "t.yaml:1:99", "(did you mean 'Europe/Berlin'?)");
    const std::string doc = header +
                            "activities:\n  - {id: a, department: police, kind: other, title: x, "
                            "time_zone: Mars/Olympus, all_day: {start: 2024-07-05, end: 2024-07-05}}\n";
    expect_only(doc, at(doc, 11, "Mars"), "unknown time zone 'Mars/Olympus'");
    EXPECT_EQ(valid(c + "Europe/Berlin" + tail).time_zone, "Europe/Berlin");
}

TEST(CampaignLoader, InvalidRruleGivesTheExplanation) {
    const std::string a = header +
                          "activities:\n  - {id: a, department: police, kind: other, title: x, "
                          "start: 2024-07-04T09:00, end: 2024-07-04T10:00, rrule: ";
    std::string doc = a + "\"FREQ=SOMETIMES\"}\n";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    // The explanation itself is check_rrule's; it must follow the value.
    EXPECT_EQ(errors[0].rfind(at(doc, 11, "\"FREQ") + ": invalid rrule 'FREQ=SOMETIMES': ", 0), 0U)
        << errors[0];
    EXPECT_GT(errors[0].size(), (at(doc, 11, "\"FREQ") + ": invalid rrule 'FREQ=SOMETIMES': ").size());
    doc = a + "\"BYDAY=MO\"}\n";
    expect_only(doc, at(doc, 11, "\"BYDAY"), "invalid rrule 'BYDAY=MO': ");
    doc = a + "[FREQ=DAILY]}\n";
    expect_only(doc, at(doc, 11, "[FREQ"),
                "expected an RRULE such as 'FREQ=MONTHLY;BYDAY=1TH;COUNT=6' for 'rrule'");
    EXPECT_EQ(valid(a + "\"FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20240731T000000\"}\n").activities[0].rrule,
              "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20240731T000000");
}

// --- References and duplicates --------------------------------------------------------------------

TEST(CampaignLoader, ReferencesToUnknownDepartmentAudienceDaypart) {
    // Departments come last on purpose: references are resolved after the whole file is read.
    const std::string doc = R"(campaign:
  slug: hp
  title: x
  theme: x
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: UTC
  audiences: [{code: parents, name: Cha mẹ}]
activities:
  - {id: a, department: educaton, kind: other, title: x, audiences: [parent, parents], all_day: {start: 2024-07-01, end: 2024-07-01}}
outlets:
  - slug: tv
    name: TV
    kind: tv
    department: finance
    time_zone: UTC
    dayparts: [{code: prime, name: P, start: "19:00", end: "22:00"}]
    break_clock: [{minute: 0, seconds: 30, dayparts: [prime, prme]}]
messages:
  - {id: m, department: police, text: x, channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}, audiences: [students]}
departments:
  - {code: education, name: Giáo dục}
  - {code: police, name: Công an}
)";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 5U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:9:25: unknown department 'educaton' (did you mean 'education'?)");
    EXPECT_EQ(errors[0],
              at(doc, 9, "educaton") + ": unknown department 'educaton' (did you mean 'education'?)");
    EXPECT_EQ(errors[1], at(doc, 9, "parent,") + ": unknown audience 'parent' (did you mean 'parents'?)");
    EXPECT_EQ(errors[2], "t.yaml:14:17: unknown department 'finance' (declare it under 'departments')");
    EXPECT_EQ(errors[3], at(doc, 17, "prme") + ": unknown daypart 'prme' (did you mean 'prime'?)");
    EXPECT_EQ(errors[4], at(doc, 19, "students") +
                             ": unknown audience 'students' (declare it under 'campaign.audiences')");
}

TEST(CampaignLoader, ControlCharactersWrittenAsEscapesAreRefusedToo) {
    // Raw control bytes are refused when the file is read; "\x1b" in double quotes is the same
    // character (it would reach feeds, where XML forbids it, and terminals).
    const auto errors = errors_of(header + "activities:\n  - code: a\n    title: \"T\\x1b[31mRED\"\n");
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(joined(errors).find("t.yaml:12:12: control character 0x1B in 'title' (written as an escape) is not "
                                  "allowed"),
              std::string::npos)
        << joined(errors);
    // A line break or a tab written as an escape is text.
    const auto ok = errors_of(header + "activities:\n  - code: a\n    title: \"Dòng một\\nDòng\\thai\"\n");
    EXPECT_EQ(joined(ok).find("control character"), std::string::npos) << joined(ok);
}

TEST(CampaignLoader, InvisibleCharactersAreNamedInMessages) {
    // A no-break space typed after a code (a word processor's habit) prints as a plain space.
    const auto errors = errors_of(header + "messages:\n  - {id: m, department: \"police\u00a0\", text: x, "
                                           "channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}}\n");
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_NE(errors[0].find("unknown department 'police<U+00A0 no-break space>'"), std::string::npos) << errors[0];
    const auto zero_width = errors_of(header + "messages:\n  - {id: m, department: \"\u200bpolice\", text: x, "
                                               "channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}}\n");
    ASSERT_EQ(zero_width.size(), 1U) << joined(zero_width);
    EXPECT_NE(zero_width[0].find("'<U+200B zero-width space>police'"), std::string::npos) << zero_width[0];
}

TEST(CampaignLoader, DuplicateCodesNameTheFirst) {
    const std::string doc = R"(campaign:
  slug: hp
  title: x
  theme: x
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: UTC
  audiences: [{code: parents, name: Cha mẹ}, {code: parents, name: Phụ huynh}]
  key_dates: [{date: 2024-07-30, name: a}, {date: 2024-07-30, name: b}]
departments:
  - {code: police, name: Công an}
  - {code: police, name: Công an quận}
activities:
  - {id: a, department: police, kind: other, title: x, all_day: {start: 2024-07-01, end: 2024-07-01}}
  - {id: a, department: police, kind: other, title: y, all_day: {start: 2024-07-01, end: 2024-07-01}}
outlets:
  - {slug: tv, name: TV, kind: tv, time_zone: UTC, dayparts: [{code: p, name: P, start: "06:00", end: "07:00"}, {code: p, name: Q, start: "08:00", end: "09:00"}]}
  - {slug: tv, name: TV 2, kind: tv, time_zone: UTC}
messages:
  - {id: m, department: police, text: x, channels: [tv, tv], flight: {start: 2024-07-01, end: 2024-07-02}}
  - {id: m, department: police, text: y, channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}}
)";
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 8U) << joined(errors);
    const auto first = [&](int line, std::string_view token, int nth = 1) {
        return at(doc, line, token, nth).substr(7);
    };
    EXPECT_EQ(errors[0], at(doc, 7, "parents", 2) + ": duplicate audience code 'parents' (first at " +
                             first(7, "parents") + ")");
    EXPECT_EQ(errors[0], "t.yaml:7:53: duplicate audience code 'parents' (first at 7:22)");
    EXPECT_EQ(errors[1], at(doc, 8, "2024", 2) + ": duplicate key date '2024-07-30' (first at " +
                             first(8, "2024") + ")");
    EXPECT_EQ(errors[2], "t.yaml:11:12: duplicate department code 'police' (first at 10:12)");
    EXPECT_EQ(errors[3], "t.yaml:14:10: duplicate activity id 'a' (first at 13:10)");
    EXPECT_EQ(errors[4],
              at(doc, 16, "p,", 2) + ": duplicate daypart code 'p' (first at " + first(16, "p,") + ")");
    EXPECT_EQ(errors[5], "t.yaml:17:12: duplicate outlet slug 'tv' (first at 16:12)");
    EXPECT_EQ(errors[6], at(doc, 19, "tv]") + ": 'tv' is listed twice in 'channels'");
    EXPECT_EQ(errors[7], "t.yaml:20:10: duplicate message id 'm' (first at 19:10)");
}

TEST(CampaignLoader, CampaignSlugDuplicatedAcrossFilesNamesTheOtherFile) {
    const temp_dir dir;
    const auto a = dir.write("a.yaml", header);
    const auto b = dir.write("b.yaml", "# the same campaign again\n" + header);
    const auto c = dir.write("c.yaml", "campaign:\n  slug: other\n" + header.substr(header.find("  title")));
    const auto r = load_campaign_files({a, b, c});
    ASSERT_EQ(r.errors.size(), 1U);
    EXPECT_EQ(r.errors[0].to_string(),
              b.string() + ":3:9: campaign slug 'hp-2024' is already used by " + a.string() + ":2:9");
    EXPECT_TRUE(r.campaigns.empty());

    // The same file under another spelling is one file (a glob and a name, "./a.yaml"), kept
    // in order; a path that names no file stays, for its own error.
    const fs::path a_again = a.parent_path() / "." / a.filename();
    const fs::path missing = a.parent_path() / "missing.yaml";
    EXPECT_EQ(distinct_files({a, c, a_again, missing, a}), (std::vector<fs::path>{a, c, missing}));

    const auto ok = load_campaign_files({a, c});
    EXPECT_TRUE(ok.errors.empty());
    ASSERT_EQ(ok.campaigns.size(), 2U);
    EXPECT_EQ(ok.campaigns[0].slug, "hp-2024");
    EXPECT_EQ(ok.campaigns[1].slug, "other");

    // An invalid file keeps every campaign out, and its errors come in file order.
    const auto bad = dir.write("bad.yaml", header + "colour: red\n");
    const auto mixed = load_campaign_files({bad, a, dir.path() / "missing.yaml"});
    ASSERT_EQ(mixed.errors.size(), 2U);
    EXPECT_EQ(mixed.errors[0].file, bad.string());
    EXPECT_EQ(mixed.errors[1].file, (dir.path() / "missing.yaml").string());
    EXPECT_TRUE(mixed.campaigns.empty());
}

// --- Ranges and enumerations -----------------------------------------------------------------------

TEST(CampaignLoader, ValuesOutOfRange) {
    const std::string m = header +
                          "messages:\n  - {id: m, department: police, text: x, channels: [tv], "
                          "flight: {start: 2024-07-01, end: 2024-07-02}, ";
    const std::string o = header + "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, ";
    const std::string p = o + "dayparts: [{code: p, name: P, start: \"06:00\", end: \"07:00\", weight: ";
    struct range_case {
        std::string doc;
        std::string token;
        std::string message;
    };
    const range_case cases[] = {
        {m + "priority: 11}\n", "11}", "'priority' must be from 1 to 10, got '11'"},
        {m + "priority: 0}\n", "0}", "'priority' must be from 1 to 10, got '0'"},
        {m + "duration_s: -5}\n", "-5", "'duration_s' must be from 0 to 86400, got '-5'"},
        {m + "airings: 123456789012345678901234567890}\n", "1234", "'airings' must be from 0 to 1000000"},
        {o + "lead_time_hours: -1}\n", "-1", "'lead_time_hours' must be from 0 to 8784, got '-1'"},
        {o + "break_clock: [{minute: 60, seconds: 30}]}\n", "60", "'minute' must be from 0 to 59, got '60'"},
        {o + "break_clock: [{minute: -1, seconds: 30}]}\n", "-1", "'minute' must be from 0 to 59, got '-1'"},
        {o + "break_clock: [{minute: 0, seconds: 0}]}\n", "0}", "'seconds' must be from 1 to 86400, got '0'"},
        {p + "0}]}\n", "0}", "'weight' must be a number greater than 0, got '0'"},
        {p + "-0.5}]}\n", "-0.5", "'weight' must be a number greater than 0, got '-0.5'"},
        {p + "1e999}]}\n", "1e999", "'weight' must be a number greater than 0, got '1e999'"},
        {p + "inf}]}\n", "inf", "expected a number for 'weight', got 'inf'"},
        {p + "nan}]}\n", "nan", "expected a number for 'weight', got 'nan'"},
        {p + ".inf}]}\n", ".inf", "expected a number for 'weight', got '.inf'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        expect_only(c.doc, at(c.doc, 11, c.token), c.message);
    }
    const std::string k =
        "campaign: {slug: hp, title: x, theme: x, time_zone: UTC, period: {start: 2024-07-01, "
        "end: 2024-07-02}, key_dates: [{date: 2024-07-01, name: x, weight: -3}]}\ndepartments: []\n";
    expect_only(k, at(k, 1, "-3"), "'weight' must be a number greater than 0, got '-3'");
    EXPECT_DOUBLE_EQ(valid(p + "0.25}]}\n").outlets[0].dayparts[0].weight, 0.25);
}

TEST(CampaignLoader, EnumerationsSuggestTheClosest) {
    const std::string a = header +
                          "activities:\n  - {id: a, department: police, title: x, "
                          "all_day: {start: 2024-07-01, end: 2024-07-01}, ";
    const std::string o = header + "outlets:\n  - {slug: tv, name: TV, time_zone: UTC, ";
    const std::string d =
        o + "kind: tv, dayparts: [{code: p, name: P, start: \"06:00\", end: \"07:00\", days: ";
    const std::string m = header +
                          "messages:\n  - {id: m, department: police, text: x, "
                          "flight: {start: 2024-07-01, end: 2024-07-02}, ";
    struct enum_case {
        std::string doc;
        std::string token;
        std::string message;
    };
    const enum_case cases[] = {
        {a + "kind: press-conference}\n", "press-",
         "unknown activity kind 'press-conference' (did you mean 'press_conference'?)"},
        {a + "kind: other, visibility: privat}\n", "privat",
         "unknown visibility 'privat' (expected one of: public, internal)"},
        {o + "kind: televison}\n", "televison",
         "unknown outlet kind 'televison' (expected one of: tv, radio, print"},
        {o + "kind: radoi}\n", "radoi", "unknown outlet kind 'radoi' (did you mean 'radio'?)"},
        {o + "kind: tv, languages: [vi, eng]}\n", "eng", "unknown language 'eng' (did you mean 'en'?)"},
        {o + "kind: tv, languages: [vi, vi]}\n", "vi]", "'vi' is listed twice in 'languages'"},
        {o + "kind: tv, languages: []}\n", "[]", "'languages' needs at least one language"},
        {d + "[mon, thur]}]}\n", "thur", "unknown weekday 'thur' (did you mean 'thu'?)"},
        {d + "monday}]}\n", "monday", "unknown weekday 'monday' (did you mean 'mon'?)"},
        {d + "[]}]}\n", "[]", "'days' needs at least one day"},
        {d + "{mon: 1}}]}\n", "{mon",
         "expected a list of weekdays, 'daily', 'weekdays' or 'weekends' for 'days'"},
        {m + "channels: [tv, facebook]}\n", "facebook",
         "unknown channel 'facebook' (expected one of: tv, radio,"},
        {m + "channels: [sm]}\n", "sm]", "unknown channel 'sm' (did you mean 'sms'?)"},
        {m + "channels: []}\n", "[]", "'channels' needs at least one channel"},
        {m + "channels: tv}\n", "tv}", "expected a list for 'channels', got 'tv'"},
        {m + "channels: [tv], state: aproved}\n", "aproved",
         "unknown state 'aproved' (did you mean 'approved'?)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        expect_only(c.doc, at(c.doc, 11, c.token), c.message);
    }
}

TEST(CampaignLoader, WeekdayGroupsMapToBits) {
    const std::string o = header +
                          "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, dayparts: [{code: p, "
                          "name: P, start: \"06:00\", end: \"07:00\", days: ";
    EXPECT_EQ(valid(o + "[mon, wed, sun]}]}\n").outlets[0].dayparts[0].weekdays, 0b1000101);
    EXPECT_EQ(valid(o + "weekends}]}\n").outlets[0].dayparts[0].weekdays, 0b1100000);
    EXPECT_EQ(valid(o + "[weekdays, sat]}]}\n").outlets[0].dayparts[0].weekdays, 0b0111111);
    EXPECT_EQ(valid(o + "daily}]}\n").outlets[0].dayparts[0].weekdays, 0b1111111);
    EXPECT_EQ(valid(o + "fri}]}\n").outlets[0].dayparts[0].weekdays, 0b0010000);
}

TEST(CampaignLoader, BreakNeedsExactlyOneOfMinuteAndAt) {
    const std::string o =
        header + "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, break_clock: [";
    std::string doc = o + "{seconds: 30}]}\n";
    expect_only(doc, at(doc, 11, "{seconds"),
                "missing 'minute' (every hour at M past) or 'at' (once a day) in break");
    doc = o + "{minute: 5, at: \"19:00\", seconds: 30}]}\n";
    expect_only(doc, at(doc, 11, "at:"), "a break has either 'minute' (hourly) or 'at' (daily), not both");
    doc = o + "{at: \"24:00\", seconds: 30}]}\n";
    expect_only(doc, at(doc, 11, "\"24:00\""), "bad time '24:00' for 'at'");
}

// --- Several errors, positions, encodings ------------------------------------------------------------

TEST(CampaignLoader, EveryErrorOfAFileIsReportedInFileOrder) {
    const auto errors = errors_of(R"(messages:
  - {id: m, department: nobody, text: x, channels: [tv], flight: {start: 2024-07-01, end: 2024-07-02}}
campaign:
  slug: hp
  title: x
  theme: x
  period: {start: 2024-07-01, end: 2024-13-01}
  time_zone: Asia/Hanoi
  colour: red
departments:
  - {code: police, name: Công an, duties: 3}
activities:
  - {id: A, department: police, kind: other, title: x, all_day: {start: 2024-07-01, end: 2024-07-01}}
)");
    ASSERT_EQ(errors.size(), 6U) << joined(errors);
    EXPECT_EQ(errors[0], "t.yaml:2:25: unknown department 'nobody' (declare it under 'departments')");
    EXPECT_EQ(errors[1], "t.yaml:7:36: bad date '2024-13-01' for 'end': no such day");
    EXPECT_EQ(errors[2].rfind("t.yaml:8:14: unknown time zone 'Asia/Hanoi'", 0), 0U) << errors[2];
    EXPECT_EQ(errors[3].rfind("t.yaml:9:3: unknown key 'colour' in 'campaign'", 0), 0U) << errors[3];
    EXPECT_EQ(errors[4], "t.yaml:11:43: expected a list for 'duties', got '3'");
    EXPECT_EQ(errors[5].rfind("t.yaml:13:10: invalid id 'A'", 0), 0U) << errors[5];
}

TEST(CampaignLoader, ColumnsCountCharactersNotBytes) {
    // "  - {name: Công an thành phố, code: " is 36 characters (43 bytes): the code is at column 37.
    const std::string doc = header + "  - {name: Công an thành phố, code: Police}\n";
    expect_only(doc, "t.yaml:10:37", "invalid code 'Police'");
    expect_only(doc, at(doc, 10, "Police"), "invalid code 'Police'");
}

TEST(CampaignLoader, InvalidUtf8IsADiagnosticWithItsPosition) {
    expect_only(header + "    duties: [\"Tr\xff em\"]\n", "t.yaml:10:17", "invalid UTF-8 (byte 0xFF)");
    // A truncated sequence, an overlong form and a UTF-16 surrogate.
    const auto errors = errors_of(header + "    duties: [\"a\xe1\xba\", \"\xc0\xaf\", \"\xed\xa0\x80\"]\n");
    ASSERT_GE(errors.size(), 3U) << joined(errors);
    EXPECT_EQ(errors[0].rfind("t.yaml:10:16: invalid UTF-8 (byte 0xE1)", 0), 0U) << errors[0];
    EXPECT_NE(joined(errors).find("(byte 0xC0)"), std::string::npos);
    EXPECT_NE(joined(errors).find("(byte 0xED)"), std::string::npos);
    expect_only(header + "    duties: [\"a\x01\"]\n", "t.yaml:10:16",
                "control character 0x01 is not allowed");
    expect_only(std::string("campaign:\0", 10), "t.yaml:1:10", "control character 0x00");
    // Vietnamese before a bad byte still counts as characters.
    expect_only(header + "    duties: [\"Trẻ em\xff\"]\n", "t.yaml:10:21", "invalid UTF-8 (byte 0xFF)");
}

TEST(CampaignLoader, FileErrors) {
    const temp_dir dir;
    const auto missing = load_campaign_file(dir.path() / "nope.yaml");
    ASSERT_EQ(missing.errors.size(), 1U);
    EXPECT_EQ(missing.errors[0].line, 0);
    EXPECT_EQ(missing.errors[0].to_string(),
              (dir.path() / "nope.yaml").string() + ": cannot read the file: No such file or directory");
    const auto directory = load_campaign_file(dir.path());
    ASSERT_EQ(directory.errors.size(), 1U);
    EXPECT_NE(directory.errors[0].message.find("it is a directory"), std::string::npos);

    const auto big = dir.write("big.yaml", "# " + std::string(2 * 1024 * 1024, 'x') + "\n" + header);
    const auto too_large = load_campaign_file(big);
    ASSERT_EQ(too_large.errors.size(), 1U);
    EXPECT_NE(too_large.errors[0].message.find("file is too large"), std::string::npos);
    ASSERT_EQ(load_campaign_text(std::string(2 * 1024 * 1024, ' '), "t.yaml").errors.size(), 1U);

    const auto fine = load_campaign_file(dir.write("fine.yaml", header));
    EXPECT_TRUE(fine.errors.empty());
    ASSERT_TRUE(fine.value);
    EXPECT_EQ(fine.value->departments[0].name.vi, "Công an thành phố");
}

// --- Robustness: never a crash, never a hang -----------------------------------------------------------

TEST(CampaignLoader, EmptyAndScalarDocuments) {
    expect_only("", "t.yaml:1:1", "the file is empty");
    expect_only("# nothing but a comment\n\n", "t.yaml:1:1", "the file is empty");
    expect_only("---\n", "t.yaml:1:1", "the file is empty");
    expect_only("hello", "t.yaml:1:1", "expected a map (the campaign file), got 'hello'");
    expect_only("- campaign\n", "t.yaml:1:1", "expected a map (the campaign file), got a list");
    expect_only("42\n", "t.yaml:1:1", "got '42'");
    expect_only("~\n", "t.yaml:1:1", "expected a map with 'campaign' and 'departments', got nothing");
}

TEST(CampaignLoader, BinaryJunkIsReportedBriefly) {
    std::string junk;
    std::uint32_t x = 12345;
    for (int i = 0; i < 10000; ++i) {
        x = x * 1103515245U + 12345U;
        junk += static_cast<char>(x >> 24);
    }
    const auto r = load_campaign_text(junk, "junk.bin");
    EXPECT_FALSE(r.value);
    ASSERT_FALSE(r.errors.empty());
    EXPECT_LE(r.errors.size(), 11U);
    EXPECT_NE(r.errors.back().message.find("is this a UTF-8 text file?"), std::string::npos);
}

TEST(CampaignLoader, DeepNestingIsRejectedWithoutOverflowingTheStack) {
    const auto only_too_deep = [](const std::string& yaml) {
        const auto errors = errors_of(yaml);
        ASSERT_EQ(errors.size(), 1U) << joined(errors);
        EXPECT_NE(errors[0].find(": syntax error: the document is nested too deeply"), std::string::npos)
            << errors[0];
    };
    only_too_deep(std::string(100000, '['));
    only_too_deep(std::string(100000, '{'));
    std::string dashes;
    std::string maps;
    for (int i = 0; i < 100000; ++i) {
        dashes += "- ";
        maps += "{a: ";
    }
    only_too_deep(dashes + "x\n");
    only_too_deep(maps);
    // Nesting that the format never asks for is just the wrong type, not a walk into the depths.
    expect_only(header + "    duties: " + std::string(400, '[') + std::string(400, ']') + "\n",
                "t.yaml:10:14", "expected text or {vi, en} for 'duties', got a list");
}

TEST(CampaignLoader, AliasBombIsNotExpanded) {
    std::string yaml = header + "    duties: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 20; ++i) {
        yaml += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int k = 0; k < 10; ++k) yaml += std::string(k == 0 ? "" : ", ") + "*a" + std::to_string(i - 1);
        yaml += "]\n";
    }
    yaml += "activities: *a19\n";
    const auto start = std::chrono::steady_clock::now();
    const auto errors = errors_of(yaml);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    ASSERT_EQ(errors.size(), 29U) << joined(errors);  // 19 unknown keys, 10 activities that are lists
}

TEST(CampaignLoader, HugeNumbersAreOutOfRangeNotUndefined) {
    const std::string m = header +
                          "messages:\n  - {id: m, department: police, text: x, channels: [tv], "
                          "flight: {start: 2024-07-01, end: 2024-07-02}, priority: ";
    std::string doc = m + std::string(400, '9') + "}\n";
    expect_only(doc, at(doc, 11, "999"), "'priority' must be from 1 to 10, got '99999");
    doc = m + "-" + std::string(400, '9') + "}\n";
    expect_only(doc, at(doc, 11, "-999"), "'priority' must be from 1 to 10, got '-9999");
    doc = m + "0x10}\n";
    expect_only(doc, at(doc, 11, "0x10"), "expected a whole number for 'priority', got '0x10'");
    const std::string o = header + "outlets:\n  - {slug: tv, name: TV, kind: tv, time_zone: UTC, ";
    doc = o + "dayparts: [{code: p, name: P, start: \"06:00\", end: \"07:00\", weight: 1" +
          std::string(400, '0') + "}]}\n";
    expect_only(doc, at(doc, 11, "1000"), "'weight' must be a number greater than 0, got '1000");
    doc = o + "lead_time_hours: 99999999999999999999999999}\n";
    expect_only(doc, at(doc, 11, "9999"), "'lead_time_hours' must be from 0 to 8784");
}

// Both were quadratic once: a character column counted from the start of a 1 MB line for each of
// 36 000 nodes, and a "did you mean" over every department for each of thousands of bad references.
TEST(CampaignLoader, BigInputsStayLinear) {
    const std::string campaign_line =
        "campaign: {slug: hp, title: x, theme: x, period: {start: 2024-07-01, end: 2024-07-31}, time_zone: "
        "UTC}\n";
    std::string one_line = campaign_line + "departments: [";
    for (int i = 0; i < 36000; ++i)
        one_line += (i == 0 ? "" : ", ") + std::string("{code: d") + std::to_string(i) + ", name: Sở}";
    one_line += "]\n";
    ASSERT_LT(one_line.size(), 1024U * 1024U);
    // A guard against quadratic behaviour (which takes many minutes here), not a performance
    // figure: the bound is far above the ~2 s a Debug build takes on a loaded two-core machine.
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(valid(one_line).departments.size(), 36000U);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));

    std::string refs = campaign_line + "departments:\n";
    for (int i = 0; i < 12000; ++i) refs += "  - {code: d" + std::to_string(10000 + i) + ", name: x}\n";
    refs += "activities:\n";
    for (int i = 0; i < 5000; ++i) {
        refs += "  - {id: a" + std::to_string(i) + ", department: e" + std::to_string(10000 + i) +
                ", kind: other, title: x, all_day: {start: 2024-07-01, end: 2024-07-01}}\n";
    }
    ASSERT_LT(refs.size(), 1024U * 1024U);
    start = std::chrono::steady_clock::now();
    const auto errors = errors_of(refs);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
    ASSERT_EQ(errors.size(), 201U);
    EXPECT_EQ(errors[0].rfind("t.yaml:12004:", 0), 0U) << errors[0];
    EXPECT_NE(errors[0].find("unknown department 'e10000' (did you mean 'd10000'?)"), std::string::npos)
        << errors[0];
}

TEST(CampaignLoader, LongValuesAreCutInMessages) {
    const auto errors = errors_of(header + "  - {code: " + std::string(5000, 'Z') + ", name: x}\n");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_LT(errors[0].size(), 300U);
    EXPECT_NE(errors[0].find("…'"), std::string::npos);
}

TEST(CampaignLoader, TooManyErrorsAreCapped) {
    std::string yaml = header;
    for (int i = 0; i < 1000; ++i) yaml += "  - {code: d" + std::to_string(i) + ", nam: x}\n";
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 201U);
    EXPECT_EQ(errors.back(), "t.yaml: too many errors; only the first 200 are shown");
}

}  // namespace campaign_loader_test_cpp
}  // namespace
}  // namespace loa::core

namespace loa::core {
namespace {
namespace campaign_loader_test_cpp {

// --- Messages limited to outlets, hotline numbers, rules checked against their start -----------

const std::string with_outlet = header + R"(outlets:
  - slug: berlin-radio
    name: Đài cộng đồng Berlin
    kind: radio
    time_zone: Europe/Berlin
messages:
  - id: abroad
    department: police
    text: Gọi đường dây nóng bảo hộ công dân
    channels: [radio, sms]
    flight: {start: 2024-07-15, end: 2024-08-02}
)";

TEST(CampaignLoader, MessageOutletsAreDecoded) {
    const auto c = valid(with_outlet + "    outlets: [berlin-radio]\n");
    ASSERT_EQ(c.messages.size(), 1U);
    EXPECT_EQ(c.messages[0].outlets, std::vector<std::string>{"berlin-radio"});
}

TEST(CampaignLoader, UnknownOutletInAMessageIsReportedWithASuggestion) {
    const std::string yaml = with_outlet + "    outlets: [berlin-radoi]\n";
    expect_only(yaml, at(yaml, 21, "berlin-radoi"), "unknown outlet 'berlin-radoi' (did you mean 'berlin-radio'?)");
}

TEST(CampaignLoader, MessageOutletMustBeOfOneOfItsChannels) {
    std::string yaml = with_outlet + "    outlets: [berlin-radio]\n";
    yaml.replace(yaml.find("channels: [radio, sms]"), 22, "channels: [tv, sms]");
    expect_only(yaml, at(yaml, 21, "berlin-radio"), "is a radio outlet, which is not among this message's 'channels'");
}

TEST(CampaignLoader, DuplicateHotlineNumberIsReported) {
    const std::string yaml = R"(campaign:
  slug: hp-2024
  title: Chiến dịch
  theme: Chủ đề
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  hotlines:
    - {number: "111", name: Tổng đài quốc gia bảo vệ trẻ em}
    - {number: "111", name: Trùng số}
departments:
  - code: police
    name: Công an thành phố
)";
    expect_only(yaml, at(yaml, 9, "\"111\""), "duplicate hotline number '111' (first at 8:");
}

TEST(CampaignLoader, RruleIsCheckedAgainstTheActivityStart) {
    // Valid on its own, but from 30 January a yearly rule in February never produces a date.
    const std::string yaml = header + R"(activities:
  - id: never
    department: police
    kind: meeting
    title: Họp
    start: 2024-01-30T09:00
    end: 2024-01-30T10:00
    rrule: FREQ=YEARLY;BYMONTH=2
)";
    expect_only(yaml, at(yaml, 17, "FREQ"), "invalid rrule");
}

}  // namespace campaign_loader_test_cpp
}  // namespace
}  // namespace loa::core

namespace loa::core {
namespace {
namespace campaign_loader_test_cpp {

// --- The planner's rules: department separation, freeze horizon, blackouts, limits, dayparts,
// flights relative to a key date ------------------------------------------------------------------

// A campaign with two key dates, a TV channel and a ward loudspeaker network; the tests add keys to
// the campaign (`campaign_extra`, after key_dates), the TV outlet (`tv_extra`) and its one message.
std::string planner_doc(const std::string& campaign_extra, const std::string& tv_extra,
                        const std::string& message_extra) {
    return R"(campaign:
  slug: hp-2024
  title: Chiến dịch phòng, chống mua bán người
  theme: Không để trẻ em nào bị bỏ lại phía sau
  period: {start: 2024-07-01, end: 2024-08-02}
  time_zone: Asia/Ho_Chi_Minh
  key_dates:
    - {date: 2024-07-28, name: Cao điểm trước Ngày 30/7, weight: 1.5}
    - {date: 2024-07-30, name: "Ngày toàn dân phòng, chống mua bán người", weight: 3}
)" + campaign_extra +
           R"(departments:
  - code: media
    name: Báo và Đài Phát thanh – Truyền hình
outlets:
  - slug: thp-tv
    name: Truyền hình Hải Phòng
    kind: tv
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: early-evening, name: Chiều tối, start: "17:00", end: "19:00", weight: 6}
      - {code: prime, name: Giờ vàng, start: "19:00", end: "22:00", weight: 10}
)" + tv_extra +
           R"(  - slug: loa-le-chan
    name: Loa phường Lê Chân
    kind: loudspeaker
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: morning, name: Buổi sáng, start: "05:30", end: "06:30", weight: 8}
messages:
  - id: tv-spot
    department: media
    text: Không để trẻ em nào bị bỏ lại phía sau. Gọi 111.
)" + message_extra;
}

// A message's keys besides id, department and text.
std::string message_keys(const std::string& keys) {
    return planner_doc("", "", keys);
}

// "t.yaml:LINE:COL" of the `nth` occurrence of `token` anywhere in `yaml` (columns in characters).
std::string first(std::string_view yaml, std::string_view token, int nth = 1) {
    std::size_t pos = std::string_view::npos;
    for (std::size_t from = 0; nth > 0; --nth, from = pos + 1) {
        pos = yaml.find(token, from);
        if (pos == std::string_view::npos) {
            ADD_FAILURE() << "no '" << token << "' in the document";
            return "?";
        }
    }
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < pos; ++i) {
        if (yaml[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    int column = 1;
    for (std::size_t i = line_start; i < pos; ++i) {
        if ((static_cast<unsigned char>(yaml[i]) & 0xC0) != 0x80) ++column;
    }
    return "t.yaml:" + std::to_string(line) + ":" + std::to_string(column);
}

TEST(CampaignLoaderPlanner, EveryRuleDecodesIntoTheModel) {
    const std::string yaml = planner_doc("  planning: {separate_departments: false}\n",
                                         R"(    freeze_hours: 24
    blackouts:
      - start: "2024-07-27T19:00"
        end: "2024-07-27T21:00"
        reason: {vi: "Truyền hình trực tiếp chương trình nghệ thuật, không phát quảng cáo", en: Live coverage}
      - {start: 2024-08-01 23:30, end: 2024-08-02T00:15}
)",
                                         R"(    channels: [tv]
    duration_s: 30
    flight: {key_date: 2024-07-30, days_before: 7, days_after: 3}
    airings: 40
    airings_per_day: 4
    airings_per_week: 20
    max_per_outlet_per_day: 2
    min_gap_minutes: 90
    dayparts: [prime, early-evening]
)");
    const campaign c = valid(yaml);
    EXPECT_FALSE(c.planning.separate_departments);
    ASSERT_EQ(c.outlets.size(), 2U);
    const outlet& tv = c.outlets[0];
    EXPECT_EQ(tv.freeze_hours, 24);
    ASSERT_EQ(tv.blackouts.size(), 2U);
    EXPECT_EQ(tv.blackouts[0].start, local_days{date::year{2024} / 7 / 27} + 19h);
    EXPECT_EQ(tv.blackouts[0].end, local_days{date::year{2024} / 7 / 27} + 21h);
    EXPECT_EQ(
        tv.blackouts[0].reason,
        (localized{"Truyền hình trực tiếp chương trình nghệ thuật, không phát quảng cáo", "Live coverage"}));
    EXPECT_EQ(tv.blackouts[1].start, local_days{date::year{2024} / 8 / 1} + 23h + 30min);
    EXPECT_EQ(tv.blackouts[1].end, local_days{date::year{2024} / 8 / 2} + 15min);
    EXPECT_EQ(tv.blackouts[1].reason, localized{});
    EXPECT_EQ(c.outlets[1].freeze_hours, 0);
    EXPECT_TRUE(c.outlets[1].blackouts.empty());

    ASSERT_EQ(c.messages.size(), 1U);
    const message& m = c.messages[0];
    EXPECT_EQ(m.flight_start, date::year{2024} / 7 / 23);
    EXPECT_EQ(m.flight_end, date::year{2024} / 8 / 2);
    ASSERT_TRUE(m.flight_relative.has_value());
    EXPECT_EQ(*m.flight_relative, (relative_flight{date::year{2024} / 7 / 30, 7, 3}));
    EXPECT_EQ(m.airings, 40);
    EXPECT_EQ(m.airings_per_day, 4);
    EXPECT_EQ(m.airings_per_week, 20);
    EXPECT_EQ(m.max_per_outlet_per_day, 2);
    EXPECT_EQ(m.min_gap_minutes, 90);
    EXPECT_EQ(m.dayparts, (std::vector<std::string>{"prime", "early-evening"}));
}

TEST(CampaignLoaderPlanner, AbsentRulesTakeTheirDefaults) {
    const campaign c =
        valid(message_keys("    channels: [tv]\n    flight: {start: 2024-07-01, end: 2024-07-31}\n"));
    EXPECT_TRUE(c.planning.separate_departments);
    EXPECT_EQ(c.outlets[0].freeze_hours, 0);
    EXPECT_TRUE(c.outlets[0].blackouts.empty());
    const message& m = c.messages[0];
    EXPECT_FALSE(m.flight_relative.has_value());
    EXPECT_EQ(m.airings, 0);
    EXPECT_EQ(m.airings_per_day, 0);
    EXPECT_EQ(m.airings_per_week, 0);
    EXPECT_EQ(m.max_per_outlet_per_day, 0);
    EXPECT_EQ(m.min_gap_minutes, 0);
    EXPECT_TRUE(m.dayparts.empty());
    // Explicitly true, and a flight of one day relative to a key date with both counts left out.
    const campaign d = valid(planner_doc("  planning: {separate_departments: true}\n", "",
                                         "    channels: [tv]\n    flight: {key_date: 2024-07-28}\n"));
    EXPECT_TRUE(d.planning.separate_departments);
    EXPECT_EQ(d.messages[0].flight_start, date::year{2024} / 7 / 28);
    EXPECT_EQ(d.messages[0].flight_end, date::year{2024} / 7 / 28);
    EXPECT_EQ(d.messages[0].flight_relative, (relative_flight{date::year{2024} / 7 / 28, 0, 0}));
}

TEST(CampaignLoaderPlanner, PlanningErrors) {
    struct error_case {
        std::string campaign_extra;
        std::string token;
        std::string message;
    };
    const error_case cases[] = {
        {"  planning: {separate_departments: yes}\n", "yes",
         "expected true or false for 'separate_departments', got 'yes'"},
        {"  planning: {separate_departments: \"false\"}\n", "\"false\"",
         "expected true or false for 'separate_departments', got the text 'false' (write true or false "
         "without quotes)"},
        {"  planning: {separate_department: false}\n", "separate_department",
         "unknown key 'separate_department' in 'planning' (did you mean 'separate_departments'?)"},
        {"  planning: [separate_departments]\n", "[separate", "expected a map ('planning'), got a list"},
        {"  planing: {separate_departments: false}\n", "planing",
         "unknown key 'planing' in 'campaign' (did you mean 'planning'?)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const std::string yaml = planner_doc(
            c.campaign_extra, "", "    channels: [tv]\n    flight: {start: 2024-07-01, end: 2024-07-02}\n");
        expect_only(yaml, first(yaml, c.token), c.message);
    }
}

TEST(CampaignLoaderPlanner, OutletRuleErrors) {
    struct error_case {
        std::string tv_extra;
        std::string token;
        int nth;
        std::string message;
    };
    const error_case cases[] = {
        {"    freeze_hours: -1\n", "-1", 1, "'freeze_hours' must be from 0 to 8784, got '-1'"},
        {"    freeze_hours: 9000\n", "9000", 1, "'freeze_hours' must be from 0 to 8784, got '9000'"},
        {"    freeze_hours: một ngày\n", "một", 1,
         "expected a whole number for 'freeze_hours', got 'một ngày'"},
        {"    freze_hours: 24\n", "freze_hours", 1,
         "unknown key 'freze_hours' in outlet (did you mean 'freeze_hours'?)"},
        {"    blackouts: {start: \"2024-07-27T19:00\", end: \"2024-07-27T21:00\"}\n", "{start: \"2024", 1,
         "expected a list for 'blackouts', got a map"},
        {"    blackouts:\n      - {start: \"2024-07-27T21:00\", end: \"2024-07-27T21:00\"}\n",
         "\"2024-07-27T21:00\"", 2, "'end' must be after 'start' (2024-07-27T21:00) in blackout"},
        {"    blackouts:\n      - {start: \"2024-07-27T21:00\", end: \"2024-07-27T19:00\"}\n",
         "\"2024-07-27T19:00\"", 1, "'end' must be after 'start' (2024-07-27T21:00) in blackout"},
        {"    blackouts:\n      - {start: \"2024-07-27T19:00\", end: \"2024-07-27 25:00\"}\n",
         "\"2024-07-27 25", 1, "bad date-time '2024-07-27 25:00' for 'end': no such time of day (00:00 to 23:59)"},
        {"    blackouts:\n      - {start: 2024-07-27, end: \"2024-07-28T00:00\"}\n", "2024-07-27,", 1,
         "bad date-time '2024-07-27' for 'start'"},
        {"    blackouts:\n      - {start: \"2024-07-27T19:00\"}\n", "{start: \"2024", 1,
         "missing required key 'end' in blackout"},
        {"    blackouts:\n      - {start: \"2024-07-27T19:00\", end: \"2024-07-27T21:00\", reson: Bão}\n",
         "reson", 1, "unknown key 'reson' in blackout (did you mean 'reason'?)"},
        {"    blackouts:\n      - {start: \"2024-07-27T19:00\", end: \"2024-07-27T21:00\", reason: {en: "
         "Storm}}\n",
         "{en", 1, "missing required key 'vi' in text 'reason'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const std::string yaml = planner_doc(
            "", c.tv_extra, "    channels: [tv]\n    flight: {start: 2024-07-01, end: 2024-07-02}\n");
        expect_only(yaml, first(yaml, c.token, c.nth), c.message);
    }
}

TEST(CampaignLoaderPlanner, MessageLimitErrors) {
    const std::string base = "    channels: [tv]\n    flight: {start: 2024-07-01, end: 2024-07-31}\n";
    struct error_case {
        std::string keys;
        std::string token;
        std::string message;
    };
    const error_case cases[] = {
        {"    airings_per_day: -1\n", "-1", "'airings_per_day' must be from 0 to 1000000, got '-1'"},
        {"    airings_per_week: \"3\"\n", "\"3\"",
         "expected a whole number for 'airings_per_week', got the text '3' (write numbers without quotes)"},
        {"    max_per_outlet_per_day: hai\n", "hai",
         "expected a whole number for 'max_per_outlet_per_day', got 'hai'"},
        {"    min_gap_minutes: 2.5\n", "2.5", "expected a whole number for 'min_gap_minutes', got '2.5'"},
        {"    min_gap_minutes: 600000\n", "600000",
         "'min_gap_minutes' must be from 0 to 527040, got '600000'"},
        {"    min_gap_minute: 60\n", "min_gap_minute",
         "unknown key 'min_gap_minute' in message (did you mean 'min_gap_minutes'?)"},
        {"    airings_per_dya: 2\n", "airings_per_dya",
         "unknown key 'airings_per_dya' in message (did you mean 'airings_per_day'?)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const std::string yaml = message_keys(base + c.keys);
        expect_only(yaml, first(yaml, c.token), c.message);
    }
}

TEST(CampaignLoaderPlanner, FlightRelativeToAKeyDateErrors) {
    struct error_case {
        std::string flight;
        std::string token;
        std::string message;
    };
    const error_case cases[] = {
        {"{key_date: 2024-07-31, days_before: 7}", "2024-07-31",
         "'key_date' 2024-07-31 is not one of the campaign's key dates (did you mean '2024-07-30'?)"},
        {"{key_date: 2024-12-25}", "2024-12-25",
         "'key_date' 2024-12-25 is not one of the campaign's key dates (expected one of: 2024-07-28, "
         "2024-07-30)"},
        {"{key_date: 2024-07-32}", "2024-07-32", "bad date '2024-07-32' for 'key_date': no such day"},
        {"{key_date: 2024-07-30, days_before: -7}", "-7", "'days_before' must be from 0 to 366, got '-7'"},
        {"{key_date: 2024-07-30, days_after: 400}", "400", "'days_after' must be from 0 to 366, got '400'"},
        {"{key_date: 2024-07-30, days_after: ba}", "ba}",
         "expected a whole number for 'days_after', got 'ba'"},
        {"{key_date: 2024-07-30, start: 2024-07-23}", "start: 2024-07-23",
         "a flight has either 'start'/'end' or 'key_date' with 'days_before'/'days_after', not both"},
        {"{start: 2024-07-23, end: 2024-08-02, days_after: 3}", "days_after",
         "'days_after' counts from 'key_date', which this flight does not have"},
        {"{start: 2024-07-23, end: 2024-08-02, days_befor: 3}",
         "days_befor:", "unknown key 'days_befor' in 'flight' (did you mean 'days_before'?)"},
        {"{key_dat: 2024-07-30, start: 2024-07-23, end: 2024-08-02}",
         "key_dat:", "unknown key 'key_dat' in 'flight' (did you mean 'key_date'?)"},
        {"{start: 2024-08-02, end: 2024-07-23}", "2024-07-23",
         "'end' (2024-07-23) is before 'start' (2024-08-02) in 'flight'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const std::string yaml = message_keys("    channels: [tv]\n    flight: " + c.flight + "\n");
        expect_only(yaml, first(yaml, c.token), c.message);
    }
    // Missing dates name what is missing, at the flight's map.
    const std::string missing = message_keys("    channels: [tv]\n    flight: {days_before: 3}\n");
    const auto errors = errors_of(missing);
    ASSERT_EQ(errors.size(), 3U) << joined(errors);
    EXPECT_EQ(errors[0], first(missing, "{days_before") + ": missing required key 'start' in 'flight'");
    EXPECT_EQ(errors[1], first(missing, "{days_before") + ": missing required key 'end' in 'flight'");
    EXPECT_EQ(errors[2], first(missing, "days_before") +
                             ": 'days_before' counts from 'key_date', which this flight does not have");
}

TEST(CampaignLoaderPlanner, KeyDateOfAFlightNeedsKeyDatesInTheCampaign) {
    const std::string yaml = header + R"(messages:
  - id: m
    department: police
    text: Gọi 111
    channels: [sms]
    flight: {key_date: 2024-07-30, days_before: 1}
)";
    expect_only(yaml, first(yaml, "2024-07-30"),
                "'key_date' 2024-07-30 is not one of the campaign's key dates (declare it under "
                "'campaign.key_dates')");
}

TEST(CampaignLoaderPlanner, MessageDaypartsMustBeOfAnOutletItCanRunOn) {
    const std::string flight = "    flight: {start: 2024-07-01, end: 2024-07-31}\n";
    struct error_case {
        std::string keys;
        std::string token;
        std::string message;
    };
    const error_case cases[] = {
        {"    channels: [tv]\n    dayparts: [prme]\n", "prme",
         "daypart 'prme' is not a daypart of any outlet this message can run on (did you mean 'prime'?)"},
        // The loudspeakers' morning is not the TV's.
        {"    channels: [tv]\n    dayparts: [prime, morning]\n", "morning]",
         "daypart 'morning' is not a daypart of any outlet this message can run on (expected one of: "
         "early-evening, prime)"},
        // Limited to the loudspeakers by its outlets, though TV is among its channels.
        {"    channels: [tv, loudspeaker]\n    outlets: [loa-le-chan]\n    dayparts: [prime]\n", "prime]",
         "daypart 'prime' is not a daypart of any outlet this message can run on (expected one of: morning)"},
        {"    channels: [sms]\n    dayparts: [prime]\n", "prime]",
         "daypart 'prime' is not a daypart of any outlet this message can run on (no outlet is of one of its "
         "'channels')"},
        {"    channels: [tv]\n    dayparts: [prime, prime]\n", "prime]",
         "'prime' is listed twice in 'dayparts'"},
        {"    channels: [tv]\n    dayparts: prime\n", "prime\n",
         "expected a list for 'dayparts', got 'prime'"},
        {"    channels: [tv]\n    daypart: [prime]\n",
         "daypart:", "unknown key 'daypart' in message (did you mean 'dayparts'?)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        const std::string yaml = message_keys(c.keys + flight);
        expect_only(yaml, first(yaml, c.token), c.message);
    }
    // Both kinds of outlet among its channels: either's dayparts.
    const campaign both =
        valid(message_keys("    channels: [tv, loudspeaker]\n    dayparts: [morning, prime]\n" + flight));
    EXPECT_EQ(both.messages[0].dayparts, (std::vector<std::string>{"morning", "prime"}));
}

TEST(CampaignLoaderPlanner, MessageDaypartsAreCheckedAgainstOutletsDeclaredLaterInTheFile) {
    const std::string yaml = header + R"(messages:
  - id: spot
    department: police
    text: Gọi 111
    channels: [radio]
    flight: {start: 2024-07-01, end: 2024-07-31}
    dayparts: [morning-drive, nigth]
outlets:
  - slug: thp-radio
    name: Phát thanh Hải Phòng
    kind: radio
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: morning-drive, name: Sáng sớm, start: "05:30", end: "08:00", weight: 8}
      - {code: night, name: Buổi tối, start: "21:00", end: "23:00", weight: 2}
)";
    expect_only(
        yaml, first(yaml, "nigth"),
        "daypart 'nigth' is not a daypart of any outlet this message can run on (did you mean 'night'?)");
}

// --- One mistake, one error (reviewed as a campaign author would make them) ---------------------

const std::string two_messages = header + R"(messages:
  - id: m1
    department: police
    text: Gọi 111
    channels: [radio]
    flight: {start: 2024-07-15, end: 2024-07-20}
  - id: m2
    department: police
    text: Gọi 111
    channels: [radio]
    flight: {start: 2024-07-15, end: 2024-07-20}
)";

TEST(CampaignLoader, AnInvalidDepartmentCodeIsOneErrorAndItsReferencesOneMore) {
    std::string yaml = two_messages;
    yaml.replace(yaml.find("  - code: police"), 16, "  - code: Police");
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 2U) << joined(errors);
    EXPECT_NE(errors[0].find("invalid code 'Police'"), std::string::npos) << errors[0];
    EXPECT_EQ(errors[1].rfind(at(yaml, 12, "police") + ": ", 0), 0U) << errors[1];
    EXPECT_NE(errors[1].find("unknown department 'police' (here and in 1 more place): the department code at 8:11 "
                             "under 'departments' is not valid; fix it to match"),
              std::string::npos)
        << errors[1];
    // A reference near a valid code still gets its own "did you mean".
    std::string two = yaml;
    two.insert(two.find("messages:"), "  - code: health\n    name: Sở Y tế\n");
    two.replace(two.rfind("department: police"), 18, "department: helth");
    const auto both = errors_of(two);
    ASSERT_EQ(both.size(), 3U) << joined(both);
    EXPECT_NE(joined(both).find("unknown department 'helth' (did you mean 'health'?)"), std::string::npos) << joined(both);
    EXPECT_NE(joined(both).find("unknown department 'police': the department code at 8:11"), std::string::npos)
        << joined(both);
}

TEST(CampaignLoader, AKeyDateWithoutAValidDateIsNotRepeatedByTheFlightsAroundIt) {
    const std::string yaml = R"(campaign:
  slug: hp-2024
  title: Chiến dịch
  theme: Chủ đề
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
  key_dates:
    - {date: 2024-7-30, name: Ngày toàn dân}
departments:
  - code: police
    name: Công an thành phố
messages:
  - id: m1
    department: police
    text: Gọi 111
    channels: [radio]
    flight: {key_date: 2024-07-30, days_before: 3, days_after: 1}
)";
    // One error, the key date's own: the flight around it does not repeat it (nor name 0004-00-00).
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_EQ(errors[0].rfind(at(yaml, 8, "2024-7-30") + ": ", 0), 0U) << errors[0];
    // A misspelt 'key_dates' is its own error; the flight does not add "declare it".
    std::string misspelt = yaml;
    misspelt.replace(misspelt.find("  key_dates:"), 12, "  keydates:");
    misspelt.replace(misspelt.find("{date: 2024-7-30"), 16, "{date: 2024-07-30");
    const auto one = errors_of(misspelt);
    ASSERT_EQ(one.size(), 1U) << joined(one);
    EXPECT_NE(one[0].find("keydates"), std::string::npos) << one[0];
}

TEST(CampaignLoader, AChannelTypoDoesNotAlsoBlameTheMessagesDayparts) {
    const std::string yaml = header + R"(outlets:
  - slug: thp-radio
    name: Đài Hải Phòng
    kind: radio
    time_zone: Asia/Ho_Chi_Minh
    dayparts:
      - {code: prime, name: Giờ vàng, days: daily, start: "19:00", end: "22:00", weight: 10}
messages:
  - id: m1
    department: police
    text: Gọi 111
    channels: [Radio]
    flight: {start: 2024-07-15, end: 2024-07-20}
    dayparts: [prime]
)";
    const auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_EQ(errors[0].rfind(at(yaml, 21, "Radio") + ": ", 0), 0U) << errors[0];
    // Misspelling 'outlets' likewise gives the unknown key alone.
    std::string outlet = yaml;
    outlet.replace(outlet.find("channels: [Radio]"), 17, "channels: [radio]");
    outlet += "    outlet: [thp-radio]\n";
    const auto one = errors_of(outlet);
    ASSERT_EQ(one.size(), 1U) << joined(one);
    EXPECT_NE(one[0].find("outlet"), std::string::npos) << one[0];
}

TEST(CampaignLoader, AnEmptyOutletOrDaypartListIsAnErrorNotEveryOutlet) {
    expect_only(two_messages + "    outlets: []\n", at(two_messages + "    outlets: []\n", 21, "[]"),
                "'outlets' lists no outlet: leave it out to run on every outlet of the message's channels");
    expect_only(two_messages + "    dayparts: []\n", at(two_messages + "    dayparts: []\n", 21, "[]"),
                "'dayparts' lists no daypart: leave it out to allow every daypart");
}

TEST(CampaignLoader, AWholeNumberMayBeWrittenWithPointZero) {
    const auto c = valid(two_messages + "    priority: 10.0\n    duration_s: 30.00\n");
    ASSERT_EQ(c.messages.size(), 2U);
    EXPECT_EQ(c.messages[1].priority, 10);
    EXPECT_EQ(c.messages[1].duration_s, 30);
    expect_only(two_messages + "    priority: 9.5\n", at(two_messages + "    priority: 9.5\n", 21, "9.5"),
                "a whole number");
    expect_only(two_messages + "    priority: 11.0\n", at(two_messages + "    priority: 11.0\n", 21, "11.0"),
                "'priority' must be from 1 to 10, got '11.0'");
}

TEST(CampaignLoader, ZonesThatAreNoPlaceOrRunTheOtherWayAreRefused) {
    std::string yaml = header;
    yaml.replace(yaml.find("Asia/Ho_Chi_Minh"), 16, "Etc/GMT+7");
    auto errors = errors_of(yaml);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_NE(errors[0].find("time zone 'Etc/GMT+7' is UTC-07:00 (Etc/GMT names count the other way round): name the "
                             "place instead, e.g. '"),
              std::string::npos)
        << errors[0];
    EXPECT_NE(errors[0].find("'Asia/Ho_Chi_Minh' for UTC+07:00"), std::string::npos) << errors[0];
    yaml = header;
    yaml.replace(yaml.find("Asia/Ho_Chi_Minh"), 16, "Etc/GMT-7");
    expect_only(yaml, at(yaml, 6, "Etc/GMT-7"), "time zone 'Etc/GMT-7' is UTC+07:00 (Etc/GMT names count the other "
                                                "way round): name the place instead, e.g. 'Asia/Ho_Chi_Minh' for UTC+07:00");
    // Names tzdata does not have are unknown zones, whatever their digits.
    for (const char* none : {"Etc/GMT+15", "Etc/GMT+-7", "Etc/GMT+99999999"}) {
        yaml = header;
        yaml.replace(yaml.find("Asia/Ho_Chi_Minh"), 16, none);
        expect_only(yaml, at(yaml, 6, none), std::string("unknown time zone '") + none + "'");
    }
    yaml = header;
    yaml.replace(yaml.find("Asia/Ho_Chi_Minh"), 16, "localtime");
    expect_only(yaml, at(yaml, 6, "localtime"), "time zone 'localtime' is the server machine's own zone, not a place");
    yaml = header;
    yaml.replace(yaml.find("Asia/Ho_Chi_Minh"), 16, "Etc/GMT");
    valid(yaml);  // UTC itself is a fine zone
}

TEST(CampaignLoader, TextOfSpacesAloneIsNoText) {
    std::string yaml = two_messages;
    yaml.replace(yaml.rfind("text: Gọi 111"), std::string("text: Gọi 111").size(), "text: {vi: \" \xC2\xA0\"}");
    expect_only(yaml, at(yaml, 18, "{vi"), "'text' needs Vietnamese text (vi is only spaces)");
}

TEST(CampaignLoader, TextsAreHeldToTheWebEditorsLimitsInCharactersNotBytes) {
    // "Phòng chống " is 12 characters and 15 bytes: the limit counts characters, as the editor does.
    std::string title;
    while (title.size() < 2000) title += "Phòng chống ";
    const auto first = [](const std::string& s, std::size_t chars) {  // the first `chars` characters
        std::size_t i = 0;
        for (std::size_t n = 0; i < s.size() && n <= chars; ++i)
            if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > chars) break;
        return s.substr(0, i);
    };
    const std::string m2_text = "text: Gọi 111";
    std::string yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "title: \"" + first(title, 200) + "\"\n    " + m2_text);
    valid(yaml);  // 200 characters: what the editor takes
    yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "title: \"" + first(title, 201) + "\"\n    " + m2_text);
    expect_only(yaml, at(yaml, 18, "\"P"), "'title' (vi) is 201 characters long; at most 200 are allowed");
    // In {vi, en} the language that is too long is named, at its own place.
    yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "title: {vi: Gọi 111, en: \"" + first(title, 230) + "\"}\n    " + m2_text);
    expect_only(yaml, at(yaml, 18, "\"P"), "'title' (en) is 230 characters long; at most 200");
    // Counted as people see them: a letter typed with a separate accent (as pasted from some
    // systems) is one character, and a line break at the end (a YAML block's) is none.
    std::string decomposed;
    for (int i = 0; i < 200; ++i) decomposed += "o\xCC\x81";  // ó as o + combining acute: 2 code points
    yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "title: \"" + decomposed + "\\n\"\n    " + m2_text);
    valid(yaml);
    // A message's text: 5,000 characters.
    std::string text;
    while (text.size() < 70000) text += title;
    yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "text: \"" + first(text, 5000) + "\"");
    valid(yaml);
    yaml = two_messages;
    yaml.replace(yaml.rfind(m2_text), m2_text.size(), "text: \"" + first(text, 5001) + "\"");
    expect_only(yaml, at(yaml, 18, "\"P"), "'text' (vi) is 5001 characters long; at most 5000");
    // An activity's title, location (200) and description (5,000).
    const std::string activity = header + "activities:\n  - id: a1\n    department: police\n    kind: meeting\n"
                                          "    title: Họp\n    start: 2024-07-30T09:00\n    end: 2024-07-30T10:00\n";
    valid(activity);
    for (const auto& [key, chars] : {std::pair{"title", 201}, std::pair{"location", 201}, std::pair{"description", 5001}}) {
        yaml = activity;
        const std::string line = std::string("    ") + key + ": \"" + first(text, static_cast<std::size_t>(chars)) + "\"\n";
        if (std::string(key) == "title") {
            yaml.replace(yaml.find("    title: Họp\n"), std::string("    title: Họp\n").size(), line);
        } else {
            yaml += line;
        }
        const int at_line = std::string(key) == "title" ? 14 : 17;
        expect_only(yaml, at(yaml, at_line, "\"P"),
                    "'" + std::string(key) + "' (vi) is " + std::to_string(chars) + " characters long");
    }
}

TEST(CampaignLoader, ATimeTheClocksSkipIsRefusedWithTheGap) {
    // An activity abroad (its own zone) at 02:30 on the night New York's clocks go from 02:00 to
    // 03:00: that wall-clock time never happens, and stored it would become a zero-length event.
    const std::string activity = header + "activities:\n  - id: a1\n    department: police\n    kind: meeting\n"
                                          "    title: Họp\n    start: 2025-03-09T01:30\n    end: 2025-03-09T02:30\n"
                                          "    time_zone: America/New_York\n";
    expect_only(activity, at(activity, 16, "2025"),
                "'end' '2025-03-09T02:30' does not exist in America/New_York: the clocks go forward from 02:00 to "
                "03:00 there (daylight saving time); give a time before 02:00 or from 03:00 on");
    std::string yaml = activity;
    yaml.replace(yaml.find("T02:30"), 6, "T03:30");
    valid(yaml);  // 01:30 to 03:30 on that night: one hour of real time
    // The campaign's zone when the activity has none (Vietnam: no daylight saving, nothing skipped).
    yaml = activity;
    yaml.replace(yaml.find("    time_zone: America/New_York\n"), std::string("    time_zone: America/New_York\n").size(), "");
    valid(yaml);
    // An outlet's blackout, in the outlet's zone.
    const std::string outlet = header + "outlets:\n  - slug: bbc-vietnamese\n    name: BBC Tiếng Việt\n    kind: radio\n"
                                        "    time_zone: Europe/London\n    blackouts:\n"
                                        "      - {start: 2024-03-31T01:15, end: 2024-03-31T04:00}\n";
    expect_only(outlet, at(outlet, 16, "2024"),
                "'start' '2024-03-31T01:15' does not exist in Europe/London: the clocks go forward from 01:00 to "
                "02:00 there");
    // Where the clocks jump at midnight there is no earlier time that day to offer; where the
    // skipped hour begins the day before, its ends are given with their dates.
    std::string santiago = activity;
    santiago.replace(santiago.find("America/New_York"), 16, "America/Santiago");
    santiago.replace(santiago.find("2025-03-09T01:30"), 16, "2025-09-06T22:00");
    santiago.replace(santiago.find("2025-03-09T02:30"), 16, "2025-09-07T00:30");
    expect_only(santiago, at(santiago, 16, "2025"),
                "'end' '2025-09-07T00:30' does not exist in America/Santiago: the clocks go forward from 00:00 to "
                "01:00 there (daylight saving time); give a time from 01:00 on");
    std::string nuuk = activity;
    nuuk.replace(nuuk.find("America/New_York"), 16, "America/Nuuk");
    nuuk.replace(nuuk.find("2025-03-09T01:30"), 16, "2025-03-29T23:30");
    nuuk.replace(nuuk.find("2025-03-09T02:30"), 16, "2025-03-30T01:00");
    expect_only(nuuk, at(nuuk, 15, "2025"),
                "'start' '2025-03-29T23:30' does not exist in America/Nuuk: the clocks go forward from 23:00 to "
                "2025-03-30 00:00 there (daylight saving time); give a time before 23:00 or from 2025-03-30 00:00 on");
}

TEST(CampaignLoader, Utf16AndOldMacLineEndingsAreNamedOnce) {
    // What Notepad's "Unicode" writes: a byte-order mark and a zero byte beside each letter.
    std::string utf16 = "\xFF\xFE";
    for (const char ch : header) {
        utf16 += ch;
        utf16 += '\0';
    }
    auto errors = errors_of(utf16);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    EXPECT_NE(errors[0].find("the file is UTF-16"), std::string::npos) << errors[0];
    std::string without_mark = utf16.substr(2);
    errors = errors_of(without_mark);
    ASSERT_EQ(errors.size(), 1U) << joined(errors);
    // Lines ended by CR alone: one error on the first line, not "the file is empty".
    std::string mac = "# Chiến dịch\n" + header;
    for (auto& ch : mac)
        if (ch == '\n') ch = '\r';
    expect_only(mac, "t.yaml:1:13", "carriage return (CR) alone");
}

}  // namespace campaign_loader_test_cpp
}  // namespace
}  // namespace loa::core
