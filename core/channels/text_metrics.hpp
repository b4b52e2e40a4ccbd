// How a message's text fits its channels: SMS encoding and segments, spoken read time, social post
// length. Pure functions over UTF-8 text; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace loa::core {

enum class sms_encoding { gsm7, ucs2 };

// GSM 03.38: a single SMS holds 160 GSM-7 septets or 70 UCS-2 code units; a concatenated SMS loses
// room to its user data header, leaving 153 septets or 67 code units per part.
inline constexpr int gsm7_single = 160;
inline constexpr int gsm7_part = 153;
inline constexpr int ucs2_single = 70;
inline constexpr int ucs2_part = 67;

struct sms_count {
    sms_encoding encoding = sms_encoding::gsm7;
    int characters = 0;   // Unicode code points
    int units = 0;        // GSM-7 septets (extension characters count 2) or UTF-16 code units
    int segments = 0;     // SMS parts needed; 0 for empty text
    int per_segment = 0;  // room in each part: 160/153 (GSM-7) or 70/67 (UCS-2)
    int remaining = 0;    // units still free in the last part
};

// Counts `utf8` as a phone would send it. GSM-7 when every character is in the GSM 03.38 basic set
// or its extension table (^ { } \ [ ] ~ | € and form feed count 2 septets each), otherwise UCS-2
// (UTF-16 code units: a character beyond the BMP counts 2). Vietnamese letters with tone marks
// (ạ, ọ, ư, đ, …) are not in GSM-7, so Vietnamese text with diacritics is UCS-2. Concatenated parts
// never split an escape pair or a surrogate pair (the character moves to the next part), as phones do.
// Text is counted as given (no Unicode normalization: a decomposed "ọ" is two code units).
// Invalid UTF-8 bytes count as U+FFFD (forcing UCS-2).
[[nodiscard]] sms_count count_sms(std::string_view utf8);

// Speaking rates for spoken channels (radio, TV, loudspeaker), per language, in words per minute.
// Vietnamese is written one syllable per space-separated token, so its "words" are syllables.
// See docs/messages.md for the reasoning behind the figures.
inline constexpr int words_per_minute_vi = 180;
inline constexpr int words_per_minute_en = 150;

[[nodiscard]] int words_per_minute(std::string_view lang) noexcept;

struct read_time {
    int words = 0;             // spoken words (Vietnamese: syllables); digits count one each
    int words_per_minute = 0;  // the rate used
    int seconds = 0;           // words at that rate, rounded up
};

// The read-aloud time of `utf8` in `lang` ("vi", else English rates). Words are whitespace-separated
// tokens with at least one letter; each digit counts as a word of its own, because hotline numbers
// are read digit by digit ("111" = "một một một"). Tokens of punctuation alone ("–") are silent.
// Whole lines in square brackets ("[Nhạc nền]") are production notes and are not read.
[[nodiscard]] read_time spoken_read_time(std::string_view utf8, std::string_view lang);

// The strictest common social post limit (X, formerly Twitter): 280 weighted characters, where code
// points up to U+10FF and some punctuation count 1 and everything else counts 2 — Vietnamese
// precomposed letters with tone marks (U+1E00–U+1EFF, e.g. "ọ", "ế") therefore count 2. A post that
// fits here fits Facebook and Zalo too.
inline constexpr int social_limit = 280;

struct social_length {
    int characters = 0;  // Unicode code points
    int weighted = 0;    // X's weighted length
    int limit = social_limit;
    [[nodiscard]] bool over() const noexcept { return weighted > limit; }
};

[[nodiscard]] social_length count_social(std::string_view utf8);

// Decodes one code point of `utf8` at `pos` and advances `pos`; invalid or truncated sequences,
// overlong forms and surrogates give U+FFFD and advance by one byte.
[[nodiscard]] char32_t next_code_point(std::string_view utf8, std::size_t& pos) noexcept;

}  // namespace loa::core
