// The store's text forms of dates and wall-clock times (stored_time.hpp).
#include "core/storage/stored_time.hpp"

#include <charconv>
#include <string>

#include <SQLiteCpp/Exception.h>

namespace loa::core {
namespace {

// The `n` digits at `pos` of `s`, or nullopt when they are not all there.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, v);
    if (ec != std::errc{} || end != s.data() + pos + n) return std::nullopt;
    return v;
}

[[noreturn]] void malformed(const char* what, std::string_view text) {
    throw SQLite::Exception("the database holds a malformed " + std::string(what) + ": '" + std::string(text) +
                            "'");
}

}  // namespace

std::string stored_date_text(calendar_date d) {
    return iso_date(d);
}

std::string stored_local_text(local_time t) {
    return iso_local(t);
}

std::optional<calendar_date> parse_stored_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (!y || !m || !d || *y < 0 || *m < 0 || *d < 0) return std::nullopt;
    const calendar_date out{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                            date::day{static_cast<unsigned>(*d)}};
    if (!out.ok()) return std::nullopt;
    return out;
}

calendar_date stored_date(std::string_view s) {
    const auto d = parse_stored_date(s);
    if (!d) malformed("date", s);
    return *d;
}

local_time stored_local(std::string_view s) {
    if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') malformed("local date-time", s);
    const auto day = parse_stored_date(s.substr(0, 10));
    const auto h = digits(s, 11, 2), m = digits(s, 14, 2), sec = digits(s, 17, 2);
    if (!day || !h || !m || !sec || *h < 0 || *m < 0 || *sec < 0) malformed("local date-time", s);
    return date::local_days{*day} + std::chrono::hours{*h} + std::chrono::minutes{*m} +
           std::chrono::seconds{*sec};
}

}  // namespace loa::core
