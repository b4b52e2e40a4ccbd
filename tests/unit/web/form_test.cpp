// Form parsing: application/x-www-form-urlencoded as browsers send it, and what they should not.
#include "server/web/render.hpp"

#include <gtest/gtest.h>

namespace {
namespace form_test_cpp {

using loa::web::form;
using loa::web::form_fields;
using loa::web::parse_form;

TEST(ParseForm, PlusIsSpaceAndPercentIsAByte) {
    const form_fields f = parse_form("title=H%E1%BB%8Dp+b%C3%A1o+ch%C3%AD&x=a%2Bb%26c%3Dd");
    ASSERT_EQ(f.size(), 2U);
    EXPECT_EQ(f[0].first, "title");
    EXPECT_EQ(f[0].second, "Họp báo chí");
    EXPECT_EQ(f[1].second, "a+b&c=d");
}

TEST(ParseForm, Utf8AsTypedInVietnamese) {
    const form f("text_vi=Kh%C3%B4ng+mua+b%C3%A1n+ng%C6%B0%E1%BB%9Di%21&lang=vi");
    EXPECT_EQ(f.get("text_vi"), "Không mua bán người!");
    EXPECT_EQ(f.get("lang"), "vi");
}

TEST(ParseForm, DecomposedVietnameseArrivesComposed) {
    // "Gọi 111" as some input methods send it: ọ as o + a combining dot below (U+0323).
    const form f("text_vi=Go%CC%A3i+111&title_vi=a%CC%86&password=a%CC%86");
    EXPECT_EQ(f.text("text_vi"), "Gọi 111");  // ọ: U+1ECD, one code point
    EXPECT_EQ(f.words("title_vi"), "ă");
    // get() keeps the bytes as sent (a password is compared as typed).
    EXPECT_EQ(f.get("password"), "a\xCC\x86");
}

TEST(ParseForm, RepeatedKeysKeepOrderForCheckboxes) {
    const form f("audience=students&channel=sms&audience=parents&audience=teachers");
    EXPECT_EQ(f.all("audience"), (std::vector<std::string>{"students", "parents", "teachers"}));
    EXPECT_EQ(f.get("audience"), "students");
    EXPECT_EQ(f.all("missing"), std::vector<std::string>{});
}

// A page reads one value of each filter: two different ones are named, the same one twice is not.
TEST(ParseForm, AParameterGivenTwiceWithDifferentValuesIsNamed) {
    using loa::web::ambiguous_parameter;
    EXPECT_EQ(ambiguous_parameter(parse_form("outlet=thp-radio&outlet=thp-tv&date=2024-07-30"), {"date", "outlet"}),
              "outlet");
    EXPECT_FALSE(ambiguous_parameter(parse_form("outlet=thp-tv&outlet=thp-tv"), {"outlet"}));
    EXPECT_FALSE(ambiguous_parameter(parse_form("x=1&x=2&outlet=a"), {"outlet"}));  // not the page's
    EXPECT_EQ(ambiguous_parameter(parse_form("from=1&to=2&to=3&from=4"), {"from", "to"}), "from");  // in the list's order
}

TEST(ParseForm, MissingAndEmptyValues) {
    const form f("a=&b&=orphan&&c=1");
    EXPECT_TRUE(f.has("a"));
    EXPECT_EQ(f.get("a"), "");
    EXPECT_TRUE(f.has("b"));
    EXPECT_EQ(f.get("b"), "");
    EXPECT_FALSE(f.has(""));  // an empty name is dropped
    EXPECT_EQ(f.get("c"), "1");
    EXPECT_FALSE(f.find("nope").has_value());
    EXPECT_EQ(f.get("nope"), "");
    EXPECT_EQ(f.fields().size(), 3U);
}

TEST(ParseForm, MalformedEscapesStayLiteral) {
    const form f("a=100%25&b=%G1&c=%4&d=%&e=%%41");
    EXPECT_EQ(f.get("a"), "100%");
    EXPECT_EQ(f.get("b"), "%G1");
    EXPECT_EQ(f.get("c"), "%4");
    EXPECT_EQ(f.get("d"), "%");
    EXPECT_EQ(f.get("e"), "%A");
}

TEST(ParseForm, InvalidUtf8BecomesReplacementCharacter) {
    // A lone continuation byte, a truncated sequence, an overlong '/', an encoded surrogate.
    const form f("a=%80x&b=%E1%BB&c=%C0%AF&d=%ED%A0%80&e=t%C3%A9");
    EXPECT_EQ(f.get("a"), "\xEF\xBF\xBDx");
    EXPECT_EQ(f.get("b"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(f.get("c"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(f.get("d"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(f.get("e"), "té");
}

TEST(ParseForm, EqualsSignsInsideValues) {
    const form f("q=a=b=c");
    EXPECT_EQ(f.get("q"), "a=b=c");
}

TEST(UrlEncode, KeepsUnreservedAndEncodesTheRest) {
    EXPECT_EQ(loa::web::url_encode("/campaigns/hp-2024?x=1 2&y=ư"),
              "%2Fcampaigns%2Fhp-2024%3Fx%3D1%202%26y%3D%C6%B0");
    EXPECT_EQ(loa::web::url_encode("A-z_0.9~"), "A-z_0.9~");
    // Round trip through the parser.
    EXPECT_EQ(form("n=" + loa::web::url_encode("Sở Giáo dục & Đào tạo + 100%")).get("n"),
              "Sở Giáo dục & Đào tạo + 100%");
}

}  // namespace form_test_cpp
}  // namespace

namespace {
namespace form_test_cpp {

TEST(FormText, TextareaLineBreaksAreOneLfEach) {
    // What a browser sends for "Cần sửa:\n1. Thêm số 113." typed in a textarea: CRLF.
    const loa::web::form f("comment=C%E1%BA%A7n+s%E1%BB%ADa%3A%0D%0A1.+Th%C3%AAm+s%E1%BB%91+113.%0D%0A%0Dx");
    EXPECT_EQ(f.text("comment"), "Cần sửa:\n1. Thêm số 113.\n\nx");
    EXPECT_EQ(f.get("comment"), "Cần sửa:\r\n1. Thêm số 113.\r\n\rx");
    EXPECT_EQ(f.text("none"), "");
}

}  // namespace form_test_cpp
}  // namespace
