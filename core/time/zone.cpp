// IANA zone lookup, local↔UTC conversion and strict ISO 8601 parsing/formatting.
#include "core/time/zone.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <set>

#include <date/tz.h>

#include "core/text/ascii_fold.hpp"
#include "core/time/iso8601.hpp"

namespace loa::core {

namespace {

// Offsets of a null zone: callers that have no zone get UTC rather than a crash.
std::chrono::seconds offset_at(sys_seconds t, const date::time_zone* zone) {
    if (zone == nullptr) return std::chrono::seconds{0};
    return zone->get_info(t).offset;
}

// Reads exactly `n` ASCII digits at `pos`; advances `pos` on success.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > text.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    pos += n;
    return true;
}

bool read_char(std::string_view text, std::size_t& pos, char expected) {
    if (pos >= text.size() || text[pos] != expected) return false;
    ++pos;
    return true;
}

}  // namespace

const date::time_zone* find_zone(std::string_view name) noexcept {
    if (name.empty()) return nullptr;
    try {
        // locate_zone searches the in-memory list scanned from the OS tzdb, so odd names such as
        // "../etc" cannot reach the file system; it throws for names it does not know.
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;
    } catch (...) {
        return nullptr;
    }
}

std::string format_iso8601(sys_seconds t, const date::time_zone* zone) {
    return iso_with_offset(t, offset_at(t, zone));
}

sys_seconds to_sys(date::local_seconds local, const date::time_zone* zone) {
    if (zone == nullptr) return sys_seconds{local.time_since_epoch()};
    // `first` is the offset in force just before the local time: for a time in a spring-forward
    // gap, subtracting it lands the gap's length after the jump; for a time repeated by a
    // fall-back it gives the earlier of the two instants; otherwise it is the only offset.
    const auto info = zone->get_info(local);
    return sys_seconds{local.time_since_epoch() - info.first.offset};
}

std::optional<sys_seconds> parse_iso8601(std::string_view text, const date::time_zone* zone) {
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0;
    if (!read_digits(text, pos, 4, y) || !read_char(text, pos, '-') || !read_digits(text, pos, 2, mo) ||
        !read_char(text, pos, '-') || !read_digits(text, pos, 2, d)) {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    const date::local_seconds midnight{date::local_days{ymd}};

    if (pos == text.size()) return to_sys(midnight, zone);

    int h = 0, mi = 0, s = 0;
    if (!read_char(text, pos, 'T') || !read_digits(text, pos, 2, h) || !read_char(text, pos, ':') ||
        !read_digits(text, pos, 2, mi)) {
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_digits(text, pos, 2, s)) return std::nullopt;
    }
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
    const auto local = midnight + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};

    if (pos == text.size()) return to_sys(local, zone);

    if (text[pos] == 'Z') {
        if (pos + 1 != text.size()) return std::nullopt;
        return sys_seconds{local.time_since_epoch()};
    }
    if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
    const bool negative = text[pos] == '-';
    ++pos;
    int oh = 0, om = 0;
    if (!read_digits(text, pos, 2, oh) || !read_char(text, pos, ':') || !read_digits(text, pos, 2, om)) {
        return std::nullopt;
    }
    if (pos != text.size() || oh > 23 || om > 59) return std::nullopt;
    const std::chrono::seconds offset = std::chrono::hours{oh} + std::chrono::minutes{om};
    return sys_seconds{local.time_since_epoch() - (negative ? -offset : offset)};
}

// ---- Suggestions -------------------------------------------------------------------------------

std::optional<std::chrono::minutes> offset_in_zone_name(std::string_view text) {
    // Spaces are dropped and letters lowered; U+2212 MINUS SIGN (what word processors type) is '-'.
    std::string t;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t') continue;
        if (text.substr(i, 3) == "\xE2\x88\x92") {
            t += '-';
            i += 2;
            continue;
        }
        t += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string_view rest(t);
    if (rest.starts_with("utc") || rest.starts_with("gmt")) rest.remove_prefix(3);
    if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
    const bool negative = rest[0] == '-';
    rest.remove_prefix(1);
    std::size_t pos = 0;
    int hours = 0;
    int minutes = 0;
    const auto digits = [&] {
        std::size_t n = 0;
        while (pos + n < rest.size() && rest[pos + n] >= '0' && rest[pos + n] <= '9') ++n;
        return n;
    }();
    if (digits == 1 || digits == 2) {
        if (!read_digits(rest, pos, digits, hours)) return std::nullopt;
        if (pos < rest.size() && !(read_char(rest, pos, ':') && read_digits(rest, pos, 2, minutes)))
            return std::nullopt;
    } else if (digits == 4) {  // "+0700"
        if (!read_digits(rest, pos, 2, hours) || !read_digits(rest, pos, 2, minutes)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (pos != rest.size() || hours > 14 || minutes > 59) return std::nullopt;
    const std::chrono::minutes offset = std::chrono::hours{hours} + std::chrono::minutes{minutes};
    return negative ? -offset : offset;
}

std::string utc_offset_text(std::chrono::minutes offset) {
    const long long m = offset.count();
    const long long a = m < 0 ? -m : m;
    std::array<char, 16> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "UTC%c%02lld:%02lld", m < 0 ? '-' : '+', a / 60, a % 60);
    return {buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

namespace {

// The zone's offset outside daylight saving around `at`. The OS tzdb tells only whether a period is
// daylight saving (its `save` is then 1 minute, not the real amount), so a saving period's standard
// offset is the one of the next period without saving (else the previous one).
std::chrono::minutes standard_offset(const date::time_zone& z, sys_seconds at) {
    date::sys_info info = z.get_info(at);
    for (int i = 0; i < 4 && info.save != std::chrono::minutes{0} && info.end != sys_seconds::max(); ++i)
        info = z.get_info(info.end);
    for (int i = 0; i < 4 && info.save != std::chrono::minutes{0} && info.begin != sys_seconds::min(); ++i)
        info = z.get_info(info.begin - std::chrono::seconds{1});
    return std::chrono::duration_cast<std::chrono::minutes>(info.offset);
}

}  // namespace

std::vector<std::string> zones_with_standard_offset(std::chrono::minutes offset, sys_seconds at) {
    std::vector<std::string> out;
    std::string first;
    if (offset == std::chrono::hours{7}) first = "Asia/Ho_Chi_Minh";
    if (offset == std::chrono::minutes{0}) first = "UTC";
    try {
        for (const auto& z : date::get_tzdb().zones) {
            const std::string& name = z.name();
            if (name == first) continue;
            if (name.find('/') == std::string::npos || name.starts_with("Etc/") ||
                name.starts_with("Antarctica/") || name.starts_with("posix/") || name.starts_with("right/"))
                continue;
            if (standard_offset(z, at) == offset) out.push_back(name);
        }
    } catch (const std::exception&) {
        out.clear();
    }
    std::sort(out.begin(), out.end());
    if (!first.empty() && find_zone(first) != nullptr) out.insert(out.begin(), first);
    return out;
}

std::optional<std::string> vietnam_zone_alias(std::string_view text) {
    // Folded to ASCII without separators: "Asia/Hai_Phong", "Hải Phòng" and "haiphong" all read
    // "haiphong"; an "Asia" in front is dropped.
    std::string key;
    for (const char c : fold_to_ascii(text))
        if (c != ' ') key += c;
    if (key.starts_with("asia") && key.size() > 4) key.erase(0, 4);
    static const std::set<std::string, std::less<>> names = {
        // Indochina Time and the country
        "ict", "indochinatime", "indochina", "vietnam", "vn", "vietnamtime",
        // cities people write as a zone ("Asia/Hanoi" is not in tzdata; Asia/Saigon is, as a link)
        "hanoi", "haiphong", "danang", "hue", "cantho", "nhatrang", "vungtau", "halong", "quangninh",
        "saigon", "hochiminh", "hochiminhcity", "thanhphohochiminh", "tphochiminh", "tphcm", "hcm", "hcmc"};
    if (names.contains(key)) return "Asia/Ho_Chi_Minh";
    return std::nullopt;
}

}  // namespace loa::core
