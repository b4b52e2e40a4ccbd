// Diacritic folding by table: the precomposed Latin letters Vietnamese uses, decoded once.
#include "core/text/ascii_fold.hpp"

#include <array>
#include <unordered_map>
#include <utility>

namespace loa::core {

namespace {

// Decodes one UTF-8 sequence at `pos`; returns the code point and advances `pos`, or returns
// 0xFFFFFFFF (and advances one byte) for a malformed sequence.
char32_t next_code_point(std::string_view s, std::size_t& pos) {
    constexpr char32_t bad = 0xFFFFFFFF;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(pos);
    std::size_t length = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        ++pos;
        return bad;
    }
    if (pos + length > s.size()) {
        ++pos;
        return bad;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) {
            ++pos;
            return bad;
        }
        cp = (cp << 6) | (byte(pos + i) & 0x3F);
    }
    pos += length;
    return cp;
}

// Base letter of each precomposed letter, by code point. Written as UTF-8 strings so that the
// table reads like the alphabet it covers.
const std::unordered_map<char32_t, char>& letter_table() {
    static const std::unordered_map<char32_t, char> table = [] {
        constexpr std::array<std::pair<char, std::string_view>, 13> groups = {{
            {'a', "àáảãạăằắẳẵặâầấẩẫậäåāą"},
            {'e', "èéẻẽẹêềếểễệëēęě"},
            {'i', "ìíỉĩịîïī"},
            {'o', "òóỏõọôồốổỗộơờớởỡợöøō"},
            {'u', "ùúủũụưừứửữựûüūů"},
            {'y', "ỳýỷỹỵÿ"},
            {'d', "đ"},
            {'c', "çčć"},
            {'n', "ñňń"},
            {'s', "šś"},
            {'z', "žźż"},
            {'r', "ř"},
            {'l', "ł"},
        }};
        constexpr std::array<std::pair<char, std::string_view>, 13> upper_groups = {{
            {'a', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅĀĄ"},
            {'e', "ÈÉẺẼẸÊỀẾỂỄỆËĒĘĚ"},
            {'i', "ÌÍỈĨỊÎÏĪ"},
            {'o', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖØŌ"},
            {'u', "ÙÚỦŨỤƯỪỨỬỮỰÛÜŪŮ"},
            {'y', "ỲÝỶỸỴŸ"},
            {'d', "ĐÐ"},
            {'c', "ÇČĆ"},
            {'n', "ÑŇŃ"},
            {'s', "ŠŚ"},
            {'z', "ŽŹŻ"},
            {'r', "Ř"},
            {'l', "Ł"},
        }};
        std::unordered_map<char32_t, char> out;
        for (const auto& list : {groups, upper_groups}) {
            for (const auto& [base, letters] : list) {
                for (std::size_t pos = 0; pos < letters.size();)
                    out.emplace(next_code_point(letters, pos), base);
            }
        }
        return out;
    }();
    return table;
}

// Combining marks: decomposed text ("a" + U+0301) folds like precomposed text.
bool is_combining_mark(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF);
}

}  // namespace

std::string fold_to_ascii(std::string_view utf8) {
    const auto& table = letter_table();
    std::string out;
    out.reserve(utf8.size());
    bool pending_space = false;
    for (std::size_t pos = 0; pos < utf8.size();) {
        const char32_t cp = next_code_point(utf8, pos);
        char c = 0;
        if (cp < 0x80) {
            const auto ascii = static_cast<char>(cp);
            if (ascii >= 'A' && ascii <= 'Z') {
                c = static_cast<char>(ascii - 'A' + 'a');
            } else if ((ascii >= 'a' && ascii <= 'z') || (ascii >= '0' && ascii <= '9')) {
                c = ascii;
            }
        } else if (is_combining_mark(cp)) {
            continue;  // belongs to the letter before it
        } else if (auto it = table.find(cp); it != table.end()) {
            c = it->second;
        }
        if (c == 0) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

std::string code_from_text(std::string_view utf8, std::size_t max_length) {
    std::string code = fold_to_ascii(utf8);
    for (char& c : code) {
        if (c == ' ') c = '-';
    }
    if (code.size() > max_length) {
        // Cut at a word boundary when there is one, so codes do not end in half a word.
        const auto cut = code.rfind('-', max_length);
        code.resize(cut != std::string::npos && cut > 0 ? cut : max_length);
    }
    while (!code.empty() && code.back() == '-') code.pop_back();
    return code;
}

}  // namespace loa::core
