// IANA zone lookup, local↔UTC conversion and strict ISO 8601 parsing/formatting.
#include "core/time/zone.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
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

std::optional<skipped_span> skipped_by_clocks(date::local_seconds local, const date::time_zone* zone) {
    if (zone == nullptr) return std::nullopt;
    const auto info = zone->get_info(local);
    if (info.result != date::local_info::nonexistent) return std::nullopt;
    // The jump is at the end of the offset in force before it, read on either side's clock.
    const sys_seconds jump = info.first.end;
    return skipped_span{date::local_seconds{(jump + info.first.offset).time_since_epoch()},
                        date::local_seconds{(jump + info.second.offset).time_since_epoch()}};
}

skipped_words describe_skipped(const skipped_span& s, date::local_seconds t) {
    const date::local_days day = date::floor<date::days>(t);
    const auto text = [day](date::local_seconds x) {
        const auto minutes = date::floor<std::chrono::minutes>(x);
        return date::floor<date::days>(x) == day ? date::format("%H:%M", minutes) : date::format("%F %H:%M", minutes);
    };
    return {text(s.from), text(s.to), s.from > date::local_seconds{day}};
}

namespace {

// The fields of an ISO 8601 text as written, before any range check: "YYYY-MM-DD", then optionally
// "THH:MM", ":SS", a fraction ".d…" and "Z" or "±HH:MM".
struct iso_text {
    int year = 0, month = 0, day = 0;
    bool has_time = false;
    int hour = 0, minute = 0, second = 0;
    bool has_fraction = false;
    enum class zone_part { none, zulu, offset } zone = zone_part::none;
    bool negative = false;
    int offset_hours = 0, offset_minutes = 0;
};

std::optional<iso_text> read_iso(std::string_view text) {
    iso_text t;
    std::size_t pos = 0;
    if (!read_digits(text, pos, 4, t.year) || !read_char(text, pos, '-') || !read_digits(text, pos, 2, t.month) ||
        !read_char(text, pos, '-') || !read_digits(text, pos, 2, t.day)) {
        return std::nullopt;
    }
    if (pos == text.size()) return t;
    t.has_time = true;
    if (!read_char(text, pos, 'T') || !read_digits(text, pos, 2, t.hour) || !read_char(text, pos, ':') ||
        !read_digits(text, pos, 2, t.minute)) {
        return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!read_digits(text, pos, 2, t.second)) return std::nullopt;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            const std::size_t first = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
            if (pos == first) return std::nullopt;
            t.has_fraction = true;
        }
    }
    if (pos == text.size()) return t;
    if (text[pos] == 'Z') {
        t.zone = iso_text::zone_part::zulu;
        return pos + 1 == text.size() ? std::optional<iso_text>{t} : std::nullopt;
    }
    if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
    t.zone = iso_text::zone_part::offset;
    t.negative = text[pos] == '-';
    ++pos;
    if (!read_digits(text, pos, 2, t.offset_hours) || !read_char(text, pos, ':') ||
        !read_digits(text, pos, 2, t.offset_minutes) || pos != text.size()) {
        return std::nullopt;
    }
    return t;
}

date::year_month_day ymd_of(const iso_text& t) {
    return date::year_month_day{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                date::day{static_cast<unsigned>(t.day)}};
}

bool time_ok(const iso_text& t) { return t.hour <= 23 && t.minute <= 59 && t.second <= 59; }
bool offset_ok(const iso_text& t) { return t.offset_hours <= 23 && t.offset_minutes <= 59; }

std::string two_digits(int v) {
    std::string out(2, '0');
    out[0] = static_cast<char>('0' + v / 10 % 10);
    out[1] = static_cast<char>('0' + v % 10);
    return out;
}

}  // namespace

std::optional<date::year_month_day> iso_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text.front() < '0' || text.front() > '9') return std::nullopt;
    return typed_date(text);
}

std::optional<date::year_month_day> typed_date(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    // A run of 1..max digits at the front of `text`, taken off it.
    const auto number = [&](std::size_t min, std::size_t max) -> std::optional<int> {
        std::size_t n = 0;
        int v = 0;
        while (n < text.size() && n < max && text[n] >= '0' && text[n] <= '9') v = v * 10 + (text[n++] - '0');
        if (n < min) return std::nullopt;
        text.remove_prefix(n);
        return v;
    };
    const auto separator = [&](char c) {
        if (text.empty() || text.front() != c) return false;
        text.remove_prefix(1);
        return true;
    };
    std::optional<int> y, m, d;
    if (text.size() == 10 && text[4] == '-') {
        y = number(4, 4);
        if (!separator('-')) return std::nullopt;
        m = number(2, 2);
        if (!separator('-')) return std::nullopt;
        d = number(2, 2);
    } else {
        d = number(1, 2);
        if (!separator('/')) return std::nullopt;
        m = number(1, 2);
        if (!separator('/')) return std::nullopt;
        y = number(4, 4);
    }
    if (!y || !m || !d || !text.empty() || *y < 1) return std::nullopt;
    const date::year_month_day out{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    if (!out.ok()) return std::nullopt;
    return out;
}

namespace {

// A text read_iso accepted, to its instant (a fraction of a second, when there is one, left out).
std::optional<sys_seconds> instant_of(const iso_text* t, const date::time_zone* zone) {
    const auto ymd = ymd_of(*t);
    if (!ymd.ok()) return std::nullopt;
    const date::local_seconds midnight{date::local_days{ymd}};
    if (!t->has_time) return to_sys(midnight, zone);
    if (!time_ok(*t)) return std::nullopt;
    const auto local =
        midnight + std::chrono::hours{t->hour} + std::chrono::minutes{t->minute} + std::chrono::seconds{t->second};
    switch (t->zone) {
        case iso_text::zone_part::none: return to_sys(local, zone);
        case iso_text::zone_part::zulu: return sys_seconds{local.time_since_epoch()};
        case iso_text::zone_part::offset: break;
    }
    if (!offset_ok(*t)) return std::nullopt;
    const std::chrono::seconds offset = std::chrono::hours{t->offset_hours} + std::chrono::minutes{t->offset_minutes};
    return sys_seconds{local.time_since_epoch() - (t->negative ? -offset : offset)};
}

}  // namespace

std::optional<sys_seconds> parse_iso8601(std::string_view text, const date::time_zone* zone) {
    const auto t = read_iso(text);
    if (!t || t->has_fraction) return std::nullopt;
    return instant_of(&*t, zone);
}

std::optional<sys_seconds> parse_iso8601_instant(std::string_view text, const date::time_zone* zone) {
    const auto t = read_iso(text);
    if (!t) return std::nullopt;
    return instant_of(&*t, zone);
}

bool iso8601_has_offset(std::string_view text) {
    const auto clock = text.find('T');
    return clock != std::string_view::npos && text.find_first_of("Zz+-", clock) != std::string_view::npos;
}

std::optional<std::string> iso8601_problem(std::string_view text) {
    static constexpr std::array<const char*, 12> months{"January", "February", "March",     "April",
                                                        "May",     "June",     "July",      "August",
                                                        "September", "October", "November", "December"};
    const auto t = read_iso(text);
    if (!t) return std::nullopt;
    const std::string date_text = std::string(text.substr(0, 10));
    if (t->month < 1 || t->month > 12) {
        return date_text + " is not a date (months go from 01 to 12)";
    }
    if (t->day < 1) return date_text + " is not a date (days start at 01)";
    const auto ymd = ymd_of(*t);
    if (!ymd.ok()) {
        const auto last = date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}}.day();
        return date_text + " is not a date (" + months[static_cast<std::size_t>(t->month - 1)] + " " +
               std::to_string(t->year) + " has " + std::to_string(static_cast<unsigned>(last)) + " days)";
    }
    if (t->has_time && !time_ok(*t)) {
        const bool with_seconds = text.size() > 16 && text[16] == ':';
        const std::string time_text(text.substr(11, with_seconds ? 8 : 5));
        const char* which = t->hour > 23 ? "(hours go to 23)" : t->minute > 59 ? "(minutes go to 59)" : "(seconds go to 59)";
        return time_text + " is not a time of day " + which;
    }
    if (t->zone == iso_text::zone_part::offset && !offset_ok(*t)) {
        return std::string(t->negative ? "-" : "+") + two_digits(t->offset_hours) + ":" + two_digits(t->offset_minutes) +
               " is not an offset from UTC (hours go to 23, minutes to 59)";
    }
    return std::nullopt;
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

std::optional<std::string> zone_meant(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    const auto folded = [](std::string_view s) {
        std::string out(s);
        for (char& ch : out) ch = ch == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return out;
    };
    const std::string wanted = folded(text);
    if (!wanted.empty()) {
        try {
            const auto& db = date::get_tzdb();
            for (const auto& z : db.zones)
                if (folded(z.name()) == wanted) return z.name();
        } catch (const std::exception&) {
        }
    }
    return vietnam_zone_alias(text);
}

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

std::optional<misleading_zone_name> misleading_zone(std::string_view name, sys_seconds now) {
    if (name == "localtime" || name == "posixrules" || name == "Factory") return misleading_zone_name{true, {}, {}};
    constexpr std::string_view etc = "Etc/GMT";
    if (name.size() <= etc.size() + 1 || !name.starts_with(etc) || (name[etc.size()] != '+' && name[etc.size()] != '-') ||
        find_zone(name) == nullptr)  // (only real ones: at most 14 hours, digits only)
        return std::nullopt;
    int hours = 0;
    const char* first = name.data() + etc.size() + 1;
    const char* last = name.data() + name.size();
    const auto [end, ec] = std::from_chars(first, last, hours);
    if (ec != std::errc{} || end != last || hours <= 0 || hours > 14) return std::nullopt;
    misleading_zone_name out;
    out.offset = std::chrono::minutes{(name[etc.size()] == '+' ? -60 : 60) * hours};
    for (const auto offset : {out.offset, -out.offset}) {
        const auto zones = zones_with_standard_offset(offset, now);
        if (!zones.empty()) out.places.emplace_back(zones.front(), offset);
    }
    return out;
}

}  // namespace loa::core
