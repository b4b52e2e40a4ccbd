// SMS segments (GSM 03.38 / UCS-2), spoken read time and social post length of UTF-8 text.
#include "core/channels/text_metrics.hpp"

#include <array>
#include <vector>

namespace loa::core {
namespace {

constexpr char32_t replacement = 0xFFFD;

// The GSM 03.38 default alphabet outside ASCII (ASCII is handled below).
constexpr std::array<char32_t, 39> gsm7_basic_non_ascii = {
    0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x00D8, 0x00F8, 0x00C5, 0x00E5, 0x0394,
    0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3, 0x0398, 0x039E, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
    0x00A4, 0x00A1, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7, 0x00BF, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

// Septets a character takes in GSM-7: 1 (basic set), 2 (extension table, sent as ESC + code),
// 0 when it has no GSM-7 form at all.
int gsm7_septets(char32_t c) noexcept {
    switch (c) {
        case U'\f':
        case U'^':
        case U'{':
        case U'}':
        case U'\\':
        case U'[':
        case U']':
        case U'~':
        case U'|':
        case 0x20AC:  // €
            return 2;
        case U'\n':
        case U'\r':
            return 1;
        case U'`':  // the one printable ASCII character GSM-7 lacks
            return 0;
        default:
            break;
    }
    if (c >= 0x20 && c < 0x7F) return 1;
    for (char32_t g : gsm7_basic_non_ascii)
        if (g == c) return 1;
    return 0;
}

// Parts needed for characters of the given sizes: one part when they fit `single`, else greedy
// parts of `part` units where no character is split. Returns {segments, units used in the last}.
std::pair<int, int> pack(const std::vector<int>& sizes, int total, int single, int part) {
    if (total == 0) return {0, 0};
    if (total <= single) return {1, total};
    int segments = 1;
    int used = 0;
    for (int s : sizes) {
        if (used + s > part) {
            ++segments;
            used = 0;
        }
        used += s;
    }
    return {segments, used};
}

bool is_space(char32_t c) noexcept {
    return c == U' ' || (c >= U'\t' && c <= U'\r') || c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_digit(char32_t c) noexcept {
    return c >= U'0' && c <= U'9';
}

// Letters of the scripts loa's texts use: ASCII letters, Latin-1 and Latin Extended letters (the
// Vietnamese ones included), combining marks and other scripts; not punctuation or symbols.
bool is_letter(char32_t c) noexcept {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return true;
    if (c < 0xC0) return false;
    if (c == 0xD7 || c == 0xF7) return false;      // × ÷
    if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows
    if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
    if (c == replacement || (c >= 0xFE00 && c <= 0xFE0F)) return false;
    return true;
}

// Weight of a code point in X's length: 1 in these ranges, 2 elsewhere (twitter-text v3 config).
int x_weight(char32_t c) noexcept {
    if (c <= 0x10FF) return 1;
    if (c >= 0x2000 && c <= 0x200D) return 1;
    if (c >= 0x2010 && c <= 0x201F) return 1;
    if (c >= 0x2032 && c <= 0x2037) return 1;
    return 2;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Words of one line, counted as spoken_read_time documents.
int spoken_words(std::string_view line) {
    int words = 0;
    bool letters = false;  // the current token has a letter
    std::size_t pos = 0;
    while (pos < line.size()) {
        const char32_t c = next_code_point(line, pos);
        if (is_space(c)) {
            if (letters) ++words;
            letters = false;
        } else if (is_digit(c)) {
            ++words;
        } else if (is_letter(c)) {
            letters = true;
        }
    }
    if (letters) ++words;
    return words;
}

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& pos) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        ++pos;
        return replacement;
    }
    if (pos + static_cast<std::size_t>(len) > s.size()) {
        ++pos;
        return replacement;
    }
    for (int i = 1; i < len; ++i) {
        const unsigned char b = byte(pos + static_cast<std::size_t>(i));
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return replacement;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++pos;
        return replacement;
    }
    pos += static_cast<std::size_t>(len);
    return cp;
}

sms_count count_sms(std::string_view utf8) {
    std::vector<char32_t> chars;
    chars.reserve(utf8.size());
    for (std::size_t pos = 0; pos < utf8.size();) chars.push_back(next_code_point(utf8, pos));

    bool gsm7 = true;
    for (char32_t c : chars) {
        if (gsm7_septets(c) == 0) {
            gsm7 = false;
            break;
        }
    }
    std::vector<int> sizes;
    sizes.reserve(chars.size());
    int total = 0;
    for (char32_t c : chars) {
        const int s = gsm7 ? gsm7_septets(c) : (c > 0xFFFF ? 2 : 1);
        sizes.push_back(s);
        total += s;
    }

    sms_count out;
    out.encoding = gsm7 ? sms_encoding::gsm7 : sms_encoding::ucs2;
    out.characters = static_cast<int>(chars.size());
    out.units = total;
    const int single = gsm7 ? gsm7_single : ucs2_single;
    const int part = gsm7 ? gsm7_part : ucs2_part;
    const auto [segments, last] = pack(sizes, total, single, part);
    out.segments = segments;
    out.per_segment = segments <= 1 ? single : part;
    out.remaining = out.per_segment - last;
    return out;
}

int words_per_minute(std::string_view lang) noexcept {
    return lang == "vi" ? words_per_minute_vi : words_per_minute_en;
}

read_time spoken_read_time(std::string_view utf8, std::string_view lang) {
    read_time out;
    out.words_per_minute = words_per_minute(lang);
    std::size_t start = 0;
    while (start <= utf8.size()) {
        std::size_t end = utf8.find('\n', start);
        if (end == std::string_view::npos) end = utf8.size();
        const std::string_view line = trim(utf8.substr(start, end - start));
        const bool note = line.size() >= 2 && line.front() == '[' && line.back() == ']';
        if (!note) out.words += spoken_words(line);
        start = end + 1;
    }
    out.seconds = (out.words * 60 + out.words_per_minute - 1) / out.words_per_minute;
    return out;
}

social_length count_social(std::string_view utf8) {
    social_length out;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const char32_t c = next_code_point(utf8, pos);
        ++out.characters;
        out.weighted += x_weight(c);
    }
    return out;
}

}  // namespace loa::core
