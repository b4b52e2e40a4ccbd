// NFC and case folding with Boost.Locale's ICU backend (Debian builds Boost.Locale with ICU).
#include "core/text/unicode.hpp"

#include <locale>

#include <boost/locale/conversion.hpp>
#include <boost/locale/encoding.hpp>
#include <boost/locale/generator.hpp>
#include <boost/locale/localization_backend.hpp>

namespace loa::core {

namespace {

// One ICU locale for the process: normalization and full case folding are the same in every
// language (Turkish dotless i is not applied), so the locale's name does not matter. Its facets are
// immutable, hence safe to use from every thread.
const std::locale& icu_locale() {
    static const std::locale loc = [] {
        boost::locale::localization_backend_manager backends = boost::locale::localization_backend_manager::global();
        backends.select("icu");
        boost::locale::generator gen(backends);
        return gen("en_US.UTF-8");
    }();
    return loc;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool all_ascii(std::string_view s) noexcept {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

std::size_t code_points(std::string_view utf8) noexcept {
    std::size_t n = 0;
    for (const char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
    return n;
}

utf8_char utf8_at(std::string_view s, std::size_t i) noexcept {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) return {b, 1};
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b & 0xE0) == 0xC0) {
        n = 1, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        n = 2, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        n = 3, cp = b & 0x07, min = 0x10000;
    } else {
        return {};
    }
    if (i + n >= s.size()) return {};  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, n + 1};
}

bool is_valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_at(s, i).length;
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string valid_utf8(std::string s) {
    std::size_t i = 0;
    for (std::size_t n; i < s.size() && (n = utf8_at(s, i).length) != 0;) i += n;
    if (i == s.size()) return s;  // the common case: valid, no copy
    std::string out(s, 0, i);
    while (i < s.size()) {
        const std::size_t n = utf8_at(s, i).length;
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

std::string lf_line_breaks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string typed_text(std::string_view text, bool line_breaks) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\v' || c == '\f') {
            out += line_breaks ? '\n' : ' ';
        } else if (forbidden_control(c)) {
            continue;
        } else if (!line_breaks && (c == '\n' || c == '\r' || c == '\t')) {
            out += ' ';
        } else {
            out += ch;
        }
    }
    return out;
}

std::string to_nfc(std::string_view utf8) {
    // ASCII is its own NFC: most names and passwords never reach ICU.
    if (all_ascii(utf8) || !is_valid_utf8(utf8)) return std::string(utf8);
    return boost::locale::normalize(utf8.data(), utf8.data() + utf8.size(), boost::locale::norm_nfc,
                                    icu_locale());
}

std::optional<std::string> windows1258_to_utf8(std::string_view bytes, std::size_t* bad_offset) {
    if (all_ascii(bytes)) return std::string(bytes);  // the code page's lower half is ASCII
    const auto convert = [](std::string_view b) -> std::optional<std::string> {
        try {
            return boost::locale::conv::to_utf<char>(b.data(), b.data() + b.size(), "windows-1258",
                                                     boost::locale::conv::stop);
        } catch (const boost::locale::conv::conversion_error&) {
            return std::nullopt;
        }
    };
    if (auto utf8 = convert(bytes)) return to_nfc(*utf8);
    // One byte is one character in this code page: the first byte that is none is the culprit.
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (static_cast<unsigned char>(bytes[i]) >= 0x80 && !convert(bytes.substr(i, 1))) {
            if (bad_offset != nullptr) *bad_offset = i;
            break;
        }
    }
    return std::nullopt;
}

std::string caseless_key(std::string_view utf8) {
    if (all_ascii(utf8) || !is_valid_utf8(utf8)) return lower_ascii(utf8);
    const std::string folded = boost::locale::fold_case(to_nfc(utf8), icu_locale());
    return boost::locale::normalize(folded, boost::locale::norm_nfc, icu_locale());
}

}  // namespace loa::core
