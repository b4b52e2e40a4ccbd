// Tests of NFC and caseless keys on Vietnamese names typed the ways keyboards type them.
#include "core/text/unicode.hpp"

#include <gtest/gtest.h>

namespace {
namespace unicode_test_cpp {

using loa::core::caseless_key;
using loa::core::is_valid_utf8;
using loa::core::to_nfc;

// "Lê Thị Giáo" precomposed (NFC) and decomposed (NFD: base letters + combining marks, as macOS
// and some Vietnamese input methods send it).
const std::string giao_nfc = "L\xC3\xAA Th\xE1\xBB\x8B Gi\xC3\xA1o";
const std::string giao_nfd = "Le\xCC\x82 Thi\xCC\xA3 Gia\xCC\x81o";

TEST(Unicode, DecomposedVietnameseComposesToNfc) {
    ASSERT_NE(giao_nfc, giao_nfd);
    EXPECT_EQ(to_nfc(giao_nfd), giao_nfc);
    EXPECT_EQ(to_nfc(giao_nfc), giao_nfc);
    // Two marks on one letter (circumflex and acute: "ế"; horn and dot below: "ợ"), in either order
    // of canonical equivalence.
    EXPECT_EQ(to_nfc("e\xCC\x82\xCC\x81"), "\xE1\xBA\xBF");
    EXPECT_EQ(to_nfc("o\xCC\x9B\xCC\xA3"), "\xE1\xBB\xA3");
    EXPECT_EQ(to_nfc("o\xCC\xA3\xCC\x9B"), "\xE1\xBB\xA3");
    EXPECT_EQ(to_nfc("admin"), "admin");
    EXPECT_EQ(to_nfc(""), "");
}

TEST(Unicode, CaselessKeyFoldsVietnameseCapitals) {
    const std::string key = caseless_key(giao_nfc);
    EXPECT_EQ(key, "l\xC3\xAA th\xE1\xBB\x8B gi\xC3\xA1o");
    EXPECT_EQ(caseless_key(giao_nfd), key);
    EXPECT_EQ(caseless_key("L\xC3\x8A TH\xE1\xBB\x8A GI\xC3\x81O"), key);  // LÊ THỊ GIÁO
    EXPECT_EQ(caseless_key("LE\xCC\x82 THI\xCC\xA3 GIA\xCC\x81O"), key);   // the same, decomposed
    EXPECT_EQ(caseless_key("\xC4\x90\xE1\xBB\x97 V\xC4\x83n \xC4\x90\xE1\xBB\xA9\x63"),
              caseless_key("\xC4\x91\xE1\xBB\x97 v\xC4\x83n \xC4\x91\xE1\xBB\xA9\x63"));  // Đỗ Văn Đức
    EXPECT_EQ(caseless_key("Admin"), "admin");
    EXPECT_EQ(caseless_key("Stra\xC3\x9F\x65"), "strasse");
    // Different letters stay different: a, ă, â; o, ô, ơ; the tone marks.
    EXPECT_NE(caseless_key("Tam"), caseless_key("T\xC3\xA2m"));
    EXPECT_NE(caseless_key("L\xC3\xAA"), caseless_key("L\xE1\xBB\x87"));
}

TEST(Unicode, InvalidUtf8IsLeftAsIs) {
    EXPECT_TRUE(is_valid_utf8(giao_nfc));
    EXPECT_TRUE(is_valid_utf8(giao_nfd));
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
    for (const char* bad : {"a\xFF", "\xC3", "\xE1\xBB", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80"})
        EXPECT_FALSE(is_valid_utf8(bad)) << bad;
    EXPECT_EQ(to_nfc("A\xFF"), "A\xFF");
    EXPECT_EQ(caseless_key("A\xFF"), "a\xFF");
}

TEST(Unicode, BrokenBytesBecomeReplacementCharacters) {
    using loa::core::valid_utf8;
    EXPECT_EQ(valid_utf8(giao_nfc), giao_nfc);
    EXPECT_EQ(valid_utf8(giao_nfd), giao_nfd);
    EXPECT_EQ(valid_utf8(""), "");
    EXPECT_EQ(valid_utf8("H\xE1\xBA\xA3i \xFFPh\xC3"), "H\xE1\xBA\xA3i \xEF\xBF\xBDPh\xEF\xBF\xBD");  // "Hải �Ph�"
    EXPECT_EQ(valid_utf8("\xC3\x28"), "\xEF\xBF\xBD(");                  // a lead byte without its continuation
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate: one per byte
    for (const char* bad : {"a\xFF", "\xC3", "\xE1\xBB", "\xC0\xAF", "\xF4\x90\x80\x80", "\x80"})
        EXPECT_TRUE(is_valid_utf8(valid_utf8(bad))) << bad;
}

TEST(Unicode, Windows1258BecomesUtf8InNfc) {
    using loa::core::windows1258_to_utf8;
    // "Đã phát đúng giờ" as iconv -t CP1258 writes it: tones as combining marks (a + 0xDE, ơ + 0xCC).
    const auto text = windows1258_to_utf8("\xD0\x61\xDE ph\xE1t \xF0\xFAng gi\xF5\xCC");
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(*text, "Đã phát đúng giờ");
    EXPECT_EQ(*text, loa::core::to_nfc(*text));
    EXPECT_EQ(windows1258_to_utf8("aired,12:00"), "aired,12:00");
    EXPECT_EQ(windows1258_to_utf8(""), "");
    std::size_t bad = 99;
    EXPECT_FALSE(windows1258_to_utf8("H\xE1i \x81", &bad).has_value());
    EXPECT_EQ(bad, 4u);
}

}  // namespace unicode_test_cpp
}  // namespace

TEST(Unicode, TypedTextKeepsWhatPeopleSeeWithoutInvisibleControls) {
    // Pasted from a terminal or a word processor: a bell, an escape, DEL and NUL show as nothing.
    EXPECT_EQ(loa::core::typed_text(std::string("Tu\x07y\x1B\x7Fên truy\0ền", 19), true), "Tuyên truyền");
    // Word's manual line break (VT) and page break (FF) are line breaks in text of several lines.
    EXPECT_EQ(loa::core::typed_text("Dòng 1\vDòng 2\fDòng 3\n\tthụt", true), "Dòng 1\nDòng 2\nDòng 3\n\tthụt");
    // In one line, line breaks and tabs are spaces (as a browser's text input makes them).
    EXPECT_EQ(loa::core::typed_text("Hải\nPhòng\r\tngày\v30", false), "Hải Phòng  ngày 30");
    for (int c = 0; c < 0x80; ++c) {
        const std::string one(1, static_cast<char>(c));
        for (const bool lines : {true, false}) {
            for (const char kept : loa::core::typed_text(one, lines))
                EXPECT_FALSE(loa::core::forbidden_control(static_cast<unsigned char>(kept))) << c;
        }
    }
}
