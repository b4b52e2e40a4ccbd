// SMS segment counts at the exact GSM-7/UCS-2 boundaries, spoken read time, social post length.
#include "core/channels/text_metrics.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {
namespace text_metrics_test_cpp {

using namespace loa::core;

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

TEST(SmsCount, EmptyTextNeedsNoSms) {
    const sms_count c = count_sms("");
    EXPECT_EQ(c.encoding, sms_encoding::gsm7);
    EXPECT_EQ(c.units, 0);
    EXPECT_EQ(c.segments, 0);
}

TEST(SmsCount, Gsm7SingleHolds160) {
    const sms_count c = count_sms(repeat("a", 160));
    EXPECT_EQ(c.encoding, sms_encoding::gsm7);
    EXPECT_EQ(c.units, 160);
    EXPECT_EQ(c.segments, 1);
    EXPECT_EQ(c.per_segment, 160);
    EXPECT_EQ(c.remaining, 0);
}

TEST(SmsCount, Gsm7At161IsTwoPartsOf153) {
    const sms_count c = count_sms(repeat("a", 161));
    EXPECT_EQ(c.segments, 2);
    EXPECT_EQ(c.per_segment, 153);
    EXPECT_EQ(c.remaining, 153 - 8);
}

TEST(SmsCount, Gsm7TwoPartsHold306ThenThree) {
    EXPECT_EQ(count_sms(repeat("a", 306)).segments, 2);
    EXPECT_EQ(count_sms(repeat("a", 306)).remaining, 0);
    EXPECT_EQ(count_sms(repeat("a", 307)).segments, 3);
}

TEST(SmsCount, ExtensionCharactersCountTwo) {
    for (const char* ext : {"€", "[", "]", "{", "}", "\\", "^", "~", "|"}) {
        const sms_count c = count_sms(ext);
        EXPECT_EQ(c.encoding, sms_encoding::gsm7) << ext;
        EXPECT_EQ(c.characters, 1) << ext;
        EXPECT_EQ(c.units, 2) << ext;
    }
    EXPECT_EQ(count_sms(repeat("a", 158) + "€").segments, 1);  // 160 septets
    EXPECT_EQ(count_sms(repeat("a", 159) + "€").segments, 2);  // 161 septets
    EXPECT_EQ(count_sms("[111]").units, 7);
}

TEST(SmsCount, EscapePairIsNeverSplitAcrossParts) {
    // 152 + 2 + 152 = 306 septets would fill two parts exactly, but the € cannot start at the last
    // septet of the first part: it moves, and the tail spills into a third part.
    const sms_count c = count_sms(repeat("a", 152) + "€" + repeat("a", 152));
    EXPECT_EQ(c.units, 306);
    EXPECT_EQ(c.segments, 3);
    EXPECT_EQ(c.remaining, 152);
}

TEST(SmsCount, Gsm7BasicSetBeyondAscii) {
    const sms_count c = count_sms("Café à Øresund: £5, ¥, §, ¿Qué?, ΔΣΩ, ñ, ü, è ì ò ù");
    EXPECT_EQ(c.encoding, sms_encoding::gsm7);
    EXPECT_EQ(c.units, c.characters);
}

TEST(SmsCount, BacktickIsNotGsm7) {
    EXPECT_EQ(count_sms("a`b").encoding, sms_encoding::ucs2);
}

TEST(SmsCount, VietnameseDiacriticsForceUcs2) {
    const sms_count c = count_sms("Gọi 111");
    EXPECT_EQ(c.encoding, sms_encoding::ucs2);
    EXPECT_EQ(c.characters, 7);
    EXPECT_EQ(c.units, 7);
    EXPECT_EQ(c.segments, 1);
    EXPECT_EQ(c.per_segment, 70);
    EXPECT_EQ(c.remaining, 63);
    // One letter with a circumflex is enough: ê is not in GSM-7 (é is).
    EXPECT_EQ(count_sms(repeat("a", 100) + "ê").encoding, sms_encoding::ucs2);
    EXPECT_EQ(count_sms("đ").encoding, sms_encoding::ucs2);
    EXPECT_EQ(count_sms("ư").encoding, sms_encoding::ucs2);
}

TEST(SmsCount, Ucs2SingleHolds70) {
    EXPECT_EQ(count_sms(repeat("ọ", 70)).segments, 1);
    EXPECT_EQ(count_sms(repeat("a", 69) + "ư").segments, 1);
    const sms_count c = count_sms(repeat("ọ", 71));
    EXPECT_EQ(c.segments, 2);
    EXPECT_EQ(c.per_segment, 67);
    EXPECT_EQ(c.remaining, 67 - 4);
}

TEST(SmsCount, Ucs2TwoPartsHold134ThenThree) {
    EXPECT_EQ(count_sms(repeat("ọ", 134)).segments, 2);
    EXPECT_EQ(count_sms(repeat("ọ", 134)).remaining, 0);
    EXPECT_EQ(count_sms(repeat("ọ", 135)).segments, 3);
}

TEST(SmsCount, CharactersBeyondTheBmpAreTwoCodeUnitsAndStayWhole) {
    const sms_count one = count_sms("😀");
    EXPECT_EQ(one.encoding, sms_encoding::ucs2);
    EXPECT_EQ(one.characters, 1);
    EXPECT_EQ(one.units, 2);
    // 66 + 2 + 3 = 71 units: the emoji does not fit the first part's last unit.
    const sms_count c = count_sms(repeat("ọ", 66) + "😀" + repeat("ọ", 3));
    EXPECT_EQ(c.units, 71);
    EXPECT_EQ(c.segments, 2);
    EXPECT_EQ(c.remaining, 67 - 5);
}

TEST(SmsCount, InvalidUtf8CountsAsReplacementCharacter) {
    const sms_count c = count_sms("ab\xff");
    EXPECT_EQ(c.encoding, sms_encoding::ucs2);
    EXPECT_EQ(c.characters, 3);
    EXPECT_EQ(count_sms("\xe1\xbb").characters, 2);                 // truncated sequence: one per byte
    EXPECT_EQ(count_sms("\xc0\xaf").encoding, sms_encoding::ucs2);  // overlong '/'
}

TEST(SmsCount, TheShippedVietnameseSmsNeedsTwoParts) {
    const std::string text =
        "Hải Phòng: 30/7 là Ngày toàn dân phòng, chống mua bán người. Thấy dấu hiệu mua bán người, "
        "hãy gọi 111 (miễn phí) hoặc 113.";
    const sms_count c = count_sms(text);
    EXPECT_EQ(c.encoding, sms_encoding::ucs2);
    EXPECT_EQ(c.units, c.characters);
    EXPECT_EQ(c.segments, (c.units + 66) / 67);
    EXPECT_GT(c.segments, 1);
}

TEST(ReadTime, VietnameseSyllablesAndDigits) {
    const read_time r = spoken_read_time("Gọi 111", "vi");
    EXPECT_EQ(r.words, 4);  // "gọi" + one word per digit
    EXPECT_EQ(r.words_per_minute, words_per_minute_vi);
    EXPECT_EQ(r.seconds, 2);  // 4 / 180 min = 1.33 s, rounded up
}

TEST(ReadTime, ExactMinuteAtTheRate) {
    EXPECT_EQ(spoken_read_time(repeat("một ", words_per_minute_vi), "vi").seconds, 60);
    EXPECT_EQ(spoken_read_time(repeat("một ", words_per_minute_vi + 1), "vi").seconds, 61);
    EXPECT_EQ(spoken_read_time(repeat("word ", words_per_minute_en), "en").seconds, 60);
}

TEST(ReadTime, PunctuationIsSilentAndNotesAreNotRead) {
    const read_time r =
        spoken_read_time("[Nhạc hiệu chiến dịch]\nHãy gọi – miễn phí – suốt ngày đêm.\n  [Kết]  ", "vi");
    EXPECT_EQ(r.words, 7);
    EXPECT_EQ(spoken_read_time("", "vi").seconds, 0);
    EXPECT_EQ(spoken_read_time("[Chỉ ghi chú]", "vi").words, 0);
}

TEST(SocialLength, VietnameseToneLettersWeighTwoOnX) {
    const social_length plain = count_social(repeat("a", 280));
    EXPECT_EQ(plain.weighted, 280);
    EXPECT_FALSE(plain.over());
    EXPECT_TRUE(count_social(repeat("a", 281)).over());
    const social_length vi = count_social("Gọi");  // "ọ" is U+1ECD
    EXPECT_EQ(vi.characters, 3);
    EXPECT_EQ(vi.weighted, 4);
    EXPECT_EQ(count_social("đư").weighted, 2);  // U+0111, U+01B0: Latin Extended-A/B weigh 1
}

}  // namespace text_metrics_test_cpp
}  // namespace
