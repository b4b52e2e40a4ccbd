// How text people type is compared: Unicode NFC and case folding of UTF-8 (ICU, through Boost.Locale),
// so that "Lê Thị Giáo" typed precomposed (Windows, most keyboards) or decomposed (macOS, some
// Vietnamese input methods), in capitals or not, is one name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace loa::core {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
// Pure; thread-safe.
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

// The well-formed UTF-8 sequence at s[i] (i < s.size()): its code point and its length in bytes;
// length 0 when there is none there (a stray continuation byte, a truncated sequence, an overlong
// form, a surrogate, past U+10FFFF). Pure.
struct utf8_char {
    char32_t code_point = 0;
    std::size_t length = 0;
};
[[nodiscard]] utf8_char utf8_at(std::string_view s, std::size_t i) noexcept;

// `s` with every byte that does not belong to a well-formed UTF-8 sequence replaced by U+FFFD, so
// that no page, message or log line carries broken text (what a browser shows for it too). Pure.
[[nodiscard]] std::string valid_utf8(std::string s);

// How many code points (characters, as a form's maxlength counts Vietnamese text) `utf8` has: its
// bytes that do not continue a UTF-8 sequence. Pure.
[[nodiscard]] std::size_t code_points(std::string_view utf8) noexcept;

// `text` with every line break as LF: CRLF (what browsers send from a textarea, what Windows
// software writes) and a lone CR are one LF each, so a break counts once and the same text sent
// from two systems is the same bytes. Pure.
[[nodiscard]] std::string lf_line_breaks(std::string_view text);

// A control character no text in loa holds (a campaign file refuses it, raw or as an escape;
// `export` could not write it back): every C0 one but tab, line feed and carriage return, and DEL.
[[nodiscard]] constexpr bool forbidden_control(unsigned char c) noexcept {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

// What a person typed or pasted into a form, without the control characters that show as nothing
// (what word processors and terminals put on the clipboard: 0x07, 0x1B, DEL, …). With
// `line_breaks`, text of several lines: a vertical tab or form feed (Word's manual line and page
// breaks) is a line break; without, one line (what a text input holds): line breaks and tabs are
// spaces, as browsers make them. Pure.
[[nodiscard]] std::string typed_text(std::string_view text, bool line_breaks);

// `utf8` in Normalization Form C (composed: "e" + U+0302 + U+0301 → "ế"). Text that is not valid
// UTF-8 comes back unchanged. Thread-safe.
[[nodiscard]] std::string to_nfc(std::string_view utf8);

// `bytes` in Windows-1258 (the Vietnamese Windows code page: what older radio automation and
// spreadsheets on Vietnamese Windows write) as UTF-8 in NFC (the code page writes most tones as
// combining marks: "giơ" + U+0300 → "giờ"). nullopt when a byte is not a character of it (0x81,
// 0x8A, …), with `bad_offset` set to the first such byte's offset. Thread-safe.
[[nodiscard]] std::optional<std::string> windows1258_to_utf8(std::string_view bytes, std::size_t* bad_offset = nullptr);

// The key by which two names are the same name: NFC, Unicode full case folding, NFC again
// ("LÊ THỊ GIÁO", "Lê Thị Giáo" and its decomposed form all give "lê thị giáo"; "Straße" gives
// "strasse"). Invalid UTF-8 comes back with only ASCII letters lowered. Thread-safe.
[[nodiscard]] std::string caseless_key(std::string_view utf8);

}  // namespace loa::core
