// IANA zone lookup, local↔UTC conversion and strict ISO 8601 parsing/formatting.
#include "core/time/zone.hpp"

#include <array>
#include <cstdio>
#include <exception>

#include <date/tz.h>

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
    const auto offset = offset_at(t, zone);
    const auto local = date::local_seconds{t.time_since_epoch() + offset};
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> tod{local - day};

    const auto off_minutes = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
    const char sign = off_minutes < 0 ? '-' : '+';
    const long long abs_minutes = off_minutes < 0 ? -off_minutes : off_minutes;

    std::array<char, 64> buf{};
    const int n = std::snprintf(
        buf.data(), buf.size(), "%04d-%02u-%02uT%02lld:%02lld:%02lld%c%02lld:%02lld",
        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
        static_cast<long long>(tod.hours().count()), static_cast<long long>(tod.minutes().count()),
        static_cast<long long>(tod.seconds().count()), sign, abs_minutes / 60, abs_minutes % 60);
    return {buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
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

}  // namespace loa::core
