// Vietnamese (and Latin) text folded to plain lower-case ASCII words: for generated codes and for
// comparing names people type in slightly different ways ("Nhà văn hóa" / "nhà văn hoá").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loa::core {

// `utf8` in lower-case ASCII: letters lose their diacritics (ắ → a, đ → d, also decomposed
// input), every run of other characters (spaces, punctuation, symbols, other scripts) becomes one
// space, no space at either end. "  Nhà Văn hoá – Quận Lê Chân! " → "nha van hoa quan le chan".
// Invalid UTF-8 bytes count as separators. Pure; thread-safe.
[[nodiscard]] std::string fold_to_ascii(std::string_view utf8);

// A code (lower-case ASCII letters, digits and single '-', as campaign codes are) made from
// `utf8`, at most `max_length` characters and never ending in '-': "Họp báo định kỳ" →
// "hop-bao-dinh-ky". Empty when the text has no letter or digit. Pure; thread-safe.
[[nodiscard]] std::string code_from_text(std::string_view utf8, std::size_t max_length = 48);

}  // namespace loa::core
