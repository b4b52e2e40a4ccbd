// Folding Vietnamese text to ASCII words and codes: tone marks, đ, decomposed input, separators.
#include "core/text/ascii_fold.hpp"

#include <gtest/gtest.h>

namespace {
namespace ascii_fold_test_cpp {

using loa::core::code_from_text;
using loa::core::fold_to_ascii;

TEST(AsciiFold, DropsVietnameseDiacriticsAndCase) {
    EXPECT_EQ(fold_to_ascii("Họp báo định kỳ"), "hop bao dinh ky");
    EXPECT_EQ(fold_to_ascii("ĐÊM VĂN NGHỆ Ở QUẬN LÊ CHÂN"), "dem van nghe o quan le chan");
    EXPECT_EQ(fold_to_ascii("Phòng, chống mua bán người"), "phong chong mua ban nguoi");
    EXPECT_EQ(fold_to_ascii("Trường học Bạch Long Vĩ"), "truong hoc bach long vi");
}

TEST(AsciiFold, ToneMarkPlacementAndDecomposedTextFoldAlike) {
    // "hóa" and "hoá" are both in use; NFD input carries the marks as combining characters.
    EXPECT_EQ(fold_to_ascii("Nhà văn hóa"), fold_to_ascii("nhà  văn hoá"));
    EXPECT_EQ(fold_to_ascii("Nha\xcc\x80 va\xcc\x86n ho\xcc\x81"
                            "a"),
              "nha van hoa");
}

TEST(AsciiFold, CollapsesSeparatorsAndTrims) {
    EXPECT_EQ(fold_to_ascii("  Trụ sở – UBND   (tầng 2)!  "), "tru so ubnd tang 2");
    EXPECT_EQ(fold_to_ascii("<script>alert(1)</script>"), "script alert 1 script");
    EXPECT_EQ(fold_to_ascii(""), "");
    EXPECT_EQ(fold_to_ascii("—…"), "");
}

TEST(AsciiFold, InvalidUtf8BytesAreSeparators) {
    EXPECT_EQ(fold_to_ascii("ab\xff"
                            "cd\xc3"),
              "ab cd");
    EXPECT_EQ(fold_to_ascii("\xe1\xba"), "");
}

TEST(AsciiFold, CodesAreLowerCaseWordsJoinedByHyphens) {
    EXPECT_EQ(code_from_text("Họp báo định kỳ"), "hop-bao-dinh-ky");
    EXPECT_EQ(code_from_text("\"><img src=x onerror=alert(1)>"), "img-src-x-onerror-alert-1");
    EXPECT_EQ(code_from_text("!!!"), "");
    EXPECT_EQ(code_from_text("漢字"), "");
}

TEST(AsciiFold, LongCodesAreCutAtAWordBoundary) {
    const std::string code =
        code_from_text("Tuyên truyền phòng chống mua bán người tại các trường trung học", 30);
    EXPECT_LE(code.size(), 30U);
    EXPECT_EQ(code, "tuyen-truyen-phong-chong-mua");
    EXPECT_EQ(code_from_text("abcdefghijklmnopqrstuvwxyz", 10), "abcdefghij");
}

}  // namespace ascii_fold_test_cpp
}  // namespace
