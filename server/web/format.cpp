// Dates, times and numbers as people read them in Vietnamese and in English.
#include "server/web/render.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <date/tz.h>

#include "core/time/iso8601.hpp"

namespace loa::web {

namespace {

bool english(std::string_view lang) {
    return lang == "en";
}

// Indexed by ISO weekday - 1 (Monday first).
constexpr std::array<const char*, 7> vi_weekdays = {"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
                                                    "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
constexpr std::array<const char*, 7> vi_weekdays_short = {"T2", "T3", "T4", "T5", "T6", "T7", "CN"};
constexpr std::array<const char*, 7> en_weekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 7> en_weekdays_short = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 12> en_months = {"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};
constexpr std::array<const char*, 12> en_months_short = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string two_digits(unsigned v) {
    std::string s = std::to_string(v % 100);
    return s.size() == 1 ? "0" + s : s;
}

std::string year_text(date::year y) {
    return std::to_string(static_cast<int>(y));
}

// Groups the integer digits of `digits` (no sign) with `sep` every three from the right.
std::string group(std::string_view digits, char sep) {
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out.push_back(sep);
        out.push_back(digits[i]);
    }
    return out;
}

}  // namespace

std::string weekday_name(date::weekday wd, std::string_view lang, bool abbreviated) {
    if (!wd.ok()) return "?";
    const unsigned i = wd.iso_encoding() - 1;
    if (english(lang)) return abbreviated ? en_weekdays_short[i] : en_weekdays[i];
    return abbreviated ? vi_weekdays_short[i] : vi_weekdays[i];
}

std::string month_name(date::month m, std::string_view lang, bool abbreviated) {
    if (!m.ok()) return "?";
    const unsigned i = static_cast<unsigned>(m) - 1;
    if (english(lang)) return abbreviated ? en_months_short[i] : en_months[i];
    const std::string n = std::to_string(i + 1);
    return abbreviated ? "Th" + n : "Tháng " + n;
}

std::string iso_date(core::calendar_date d) {
    return core::iso_date(d);
}

std::string format_date(core::calendar_date d, std::string_view lang) {
    if (!d.ok()) return iso_date(d);
    if (english(lang))
        return std::to_string(static_cast<unsigned>(d.day())) + " " + month_name(d.month(), lang) + " " +
               year_text(d.year());
    return two_digits(static_cast<unsigned>(d.day())) + "/" + two_digits(static_cast<unsigned>(d.month())) +
           "/" + year_text(d.year());
}

std::string format_date_long(core::calendar_date d, std::string_view lang) {
    if (!d.ok()) return iso_date(d);
    return weekday_name(date::weekday{date::sys_days{d}}, lang) + ", " + format_date(d, lang);
}

std::string format_time(std::chrono::minutes since_midnight, std::string_view /*lang*/) {
    long long m = since_midnight.count() % 1440;
    if (m < 0) m += 1440;
    return two_digits(static_cast<unsigned>(m / 60)) + ":" + two_digits(static_cast<unsigned>(m % 60));
}

std::string format_local_datetime(core::local_time t, std::string_view lang) {
    const auto day = date::floor<date::days>(t);
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(t - day);
    const std::string d = format_date(date::year_month_day{day}, lang);
    return d + (english(lang) ? ", " : " ") + format_time(minutes, lang);
}

std::string format_datetime(core::sys_seconds t, const date::time_zone* zone, std::string_view lang) {
    if (zone == nullptr) return format_local_datetime(core::local_time{t.time_since_epoch()}, lang);
    return format_local_datetime(zone->to_local(t), lang);
}

std::string format_percent(double fraction, std::string_view lang, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return format_number(std::round(fraction * 100.0 * scale) / scale, lang, -1) + "%";
}

std::string format_number(double value, std::string_view lang, int decimals) {
    if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value < 0 ? "-∞" : "∞");
    const int precision = decimals < 0 ? 6 : (decimals > 12 ? 12 : decimals);
    std::array<char, 400> buf{};  // fixed notation of the largest double with 12 decimals fits
    const auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, precision);
    if (ec != std::errc{}) return "?";
    std::string_view text(buf.data(), static_cast<std::size_t>(end - buf.data()));
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    const std::string_view int_part = text.substr(0, dot);
    std::string frac(dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1));
    if (decimals < 0)
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
    // "-0" after rounding reads as a sign error.
    if (negative && int_part.find_first_not_of('0') == std::string_view::npos &&
        frac.find_first_not_of('0') == std::string::npos)
        negative = false;
    const bool en = english(lang);
    std::string out = negative ? "-" : "";
    out += group(int_part, en ? ',' : '.');
    if (!frac.empty()) {
        out.push_back(en ? '.' : ',');
        out += frac;
    }
    return out;
}

std::string format_integer(long long value, std::string_view lang) {
    const bool negative = value < 0;
    // Through unsigned so that the lowest value negates without overflow.
    const unsigned long long magnitude =
        negative ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
    return (negative ? "-" : "") + group(std::to_string(magnitude), english(lang) ? ',' : '.');
}

}  // namespace loa::web
