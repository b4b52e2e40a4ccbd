#include "core/time/iso8601.hpp"

#include <array>

namespace loa::core {

namespace {

// Writes `v` at `p` as printf's "%0*lld" with `width` would (at least `width` digits, zero-padded,
// a minus sign counted in the width); returns the end.
char* digits(char* p, long long v, int width) {
    if (v < 0) {
        *p++ = '-';
        return digits(p, -v, width - 1);
    }
    int n = 1;
    for (long long r = v / 10; r != 0; r /= 10) ++n;
    if (n < width) n = width;
    for (int i = n - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

char* put_date(char* p, date::year_month_day d) {
    p = digits(p, static_cast<int>(d.year()), 4);
    *p++ = '-';
    p = digits(p, static_cast<unsigned>(d.month()), 2);
    *p++ = '-';
    return digits(p, static_cast<unsigned>(d.day()), 2);
}

// "YYYY-MM-DDTHH:MM:SS" of a time counted from 1970-01-01 00:00 (UTC or local: the same digits).
template <class Clock>
char* put_date_time(char* p, std::chrono::time_point<Clock, std::chrono::seconds> t) {
    const auto day = std::chrono::floor<date::days>(t);
    const auto s = (t - day).count();  // 0 … 86399
    p = put_date(p, date::year_month_day{day});
    *p++ = 'T';
    p = digits(p, s / 3600, 2);
    *p++ = ':';
    p = digits(p, s / 60 % 60, 2);
    *p++ = ':';
    return digits(p, s % 60, 2);
}

using buffer = std::array<char, 48>;

std::string text(const buffer& b, const char* end) {
    return {b.data(), static_cast<std::size_t>(end - b.data())};
}

}  // namespace

std::string iso_date(date::year_month_day d) {
    buffer b{};
    return text(b, put_date(b.data(), d));
}

std::string iso_local(date::local_seconds t) {
    buffer b{};
    return text(b, put_date_time(b.data(), t));
}

std::string iso_utc(std::chrono::sys_seconds t) {
    buffer b{};
    char* p = put_date_time(b.data(), t);
    *p++ = 'Z';
    return text(b, p);
}

std::string iso_utc_ms(std::chrono::sys_time<std::chrono::milliseconds> t) {
    const auto s = std::chrono::floor<std::chrono::seconds>(t);
    buffer b{};
    char* p = put_date_time(b.data(), s);
    *p++ = '.';
    p = digits(p, (t - s).count(), 3);
    *p++ = 'Z';
    return text(b, p);
}

std::string iso_with_offset(std::chrono::sys_seconds t, std::chrono::seconds offset) {
    buffer b{};
    char* p = put_date_time(b.data(), date::local_seconds{t.time_since_epoch() + offset});
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
    *p++ = m < 0 ? '-' : '+';
    const auto a = m < 0 ? -m : m;
    p = digits(p, a / 60, 2);
    *p++ = ':';
    p = digits(p, a % 60, 2);
    return text(b, p);
}

}  // namespace loa::core
