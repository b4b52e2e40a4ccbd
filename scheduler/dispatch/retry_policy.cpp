// The retry policy: full-jitter backoff, Retry-After (both RFC 9110 forms) and the outcome of an attempt.
#include "scheduler/dispatch/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace loa::scheduler::dispatch {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// Delays are kept below this so that now + delay never overflows (about 31 years).
constexpr std::int64_t max_delay_s = 1'000'000'000;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A left-to-right reader over an HTTP-date; every step fails on anything unexpected.
struct cursor {
    std::string_view s;

    bool literal(std::string_view lit) {
        if (!s.starts_with(lit)) return false;
        s.remove_prefix(lit.size());
        return true;
    }
    // Exactly `n` digits.
    std::optional<int> digits(std::size_t n) {
        if (s.size() < n) return std::nullopt;
        int v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        s.remove_prefix(n);
        return v;
    }
    // One of `names`, returning its index.
    template <std::size_t N>
    std::optional<int> one_of(const std::array<std::string_view, N>& names) {
        for (std::size_t i = 0; i < N; ++i)
            if (literal(names[i])) return static_cast<int>(i);
        return std::nullopt;
    }
};

constexpr std::array<std::string_view, 7> short_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
// Longest first where one is a prefix of another is not needed: no full name prefixes another.
constexpr std::array<std::string_view, 7> long_days{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "hh:mm:ss" (second 60 is a leap second, read as 59 so the date stays valid).
std::optional<std::chrono::seconds> time_of_day(cursor& c) {
    const auto h = c.digits(2);
    if (!h || !c.literal(":")) return std::nullopt;
    const auto m = c.digits(2);
    if (!m || !c.literal(":")) return std::nullopt;
    const auto sec = c.digits(2);
    if (!sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
    return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(std::min(*sec, 59));
}

std::optional<core::ms_time> make_time(int year, int month0, int day, std::chrono::seconds tod) {
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month0 + 1)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) return std::nullopt;
    return core::ms_time(std::chrono::sys_days(ymd).time_since_epoch() + tod);
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<core::ms_time> imf_fixdate(cursor c) {
    if (!c.one_of(short_days) || !c.literal(", ")) return std::nullopt;
    const auto day = c.digits(2);
    if (!day || !c.literal(" ")) return std::nullopt;
    const auto mon = c.one_of(months);
    if (!mon || !c.literal(" ")) return std::nullopt;
    const auto year = c.digits(4);
    if (!year || !c.literal(" ")) return std::nullopt;
    const auto tod = time_of_day(c);
    if (!tod || !c.literal(" GMT") || !c.s.empty()) return std::nullopt;
    return make_time(*year, *mon, *day, *tod);
}

// Obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". A two-digit year more than 50 years ahead of
// `now` is the most recent past year with those digits (RFC 9110 §5.6.7).
std::optional<core::ms_time> rfc850_date(cursor c, core::ms_time now) {
    if (!c.one_of(long_days) || !c.literal(", ")) return std::nullopt;
    const auto day = c.digits(2);
    if (!day || !c.literal("-")) return std::nullopt;
    const auto mon = c.one_of(months);
    if (!mon || !c.literal("-")) return std::nullopt;
    const auto yy = c.digits(2);
    if (!yy || !c.literal(" ")) return std::nullopt;
    const auto tod = time_of_day(c);
    if (!tod || !c.literal(" GMT") || !c.s.empty()) return std::nullopt;
    const int now_year = static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
    int year = now_year / 100 * 100 + *yy;
    if (year > now_year + 50) year -= 100;
    return make_time(year, *mon, *day, *tod);
}

// Obsolete asctime: "Sun Nov  6 08:49:37 1994" (a one-digit day is padded with a space).
std::optional<core::ms_time> asctime_date(cursor c) {
    if (!c.one_of(short_days) || !c.literal(" ")) return std::nullopt;
    const auto mon = c.one_of(months);
    if (!mon || !c.literal(" ")) return std::nullopt;
    std::optional<int> day;
    if (c.literal(" "))
        day = c.digits(1);
    else
        day = c.digits(2);
    if (!day || !c.literal(" ")) return std::nullopt;
    const auto tod = time_of_day(c);
    if (!tod || !c.literal(" ")) return std::nullopt;
    const auto year = c.digits(4);
    if (!year || !c.s.empty()) return std::nullopt;
    return make_time(*year, *mon, *day, *tod);
}

// "4.2 s", "5 min", "3 days": a delay as people read it in the dispatch log.
std::string human(milliseconds d) {
    char buf[64];
    const double ms = static_cast<double>(d.count());
    if (d < 1s)
        std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(d.count()));
    else if (d < 120s)
        std::snprintf(buf, sizeof buf, "%.1f s", ms / 1e3);
    else if (d < 120min)
        std::snprintf(buf, sizeof buf, "%.0f min", ms / 60e3);
    else if (d < 48h)
        std::snprintf(buf, sizeof buf, "%.1f h", ms / 3600e3);
    else
        std::snprintf(buf, sizeof buf, "%.1f days", ms / 86400e3);
    std::string out = buf;
    // "3.0 days" reads as "3 days".
    if (const auto pos = out.find(".0 "); pos != std::string::npos) out.erase(pos, 2);
    return out;
}

std::string status_text(const attempt_result& r) {
    if (r.status) return "HTTP " + std::to_string(*r.status);
    return r.error.empty() ? std::string("no response") : r.error;
}

}  // namespace

milliseconds backoff_delay(const backoff_settings& s, int attempt, double uniform01) {
    const milliseconds cap = std::max(s.cap, 0ms);
    // base × 2^(attempt−1), doubling until it reaches the cap so nothing overflows.
    milliseconds ceiling = std::min(std::max(s.base, 0ms), cap);
    for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling = std::min(ceiling * 2, cap);
    if (!(uniform01 >= 0.0)) uniform01 = 0.0;  // also NaN
    if (uniform01 >= 1.0) uniform01 = std::nextafter(1.0, 0.0);
    // Uniform over the whole milliseconds 0 … ceiling, both ends included.
    const auto pick = static_cast<milliseconds::rep>(std::floor(uniform01 * static_cast<double>(ceiling.count() + 1)));
    return milliseconds(std::min(pick, ceiling.count()));
}

std::optional<milliseconds> parse_retry_after(std::string_view value, core::ms_time now) {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // delay-seconds; absurdly long values saturate (the caller caps them anyway).
        std::int64_t seconds = 0;
        for (const char c : value) {
            seconds = seconds * 10 + (c - '0');
            if (seconds > max_delay_s) {
                seconds = max_delay_s;
                break;
            }
        }
        return std::chrono::seconds(seconds);
    }
    std::optional<core::ms_time> at = imf_fixdate(cursor{value});
    if (!at) at = rfc850_date(cursor{value}, now);
    if (!at) at = asctime_date(cursor{value});
    if (!at) return std::nullopt;
    if (*at <= now) return 0ms;
    return std::min(milliseconds(*at - now), milliseconds(std::chrono::seconds(max_delay_s)));
}

decision decide(const attempt_result& r, int attempt, core::ms_time now, core::ms_time due,
                std::chrono::seconds retry_window, const backoff_settings& s, double uniform01) {
    using outcome = core::attempt_record::outcome;
    decision d;
    const std::string what = status_text(r);

    if (r.status && *r.status >= 200 && *r.status <= 299) {
        d.result = outcome::delivered;
        d.why = what;
        return d;
    }
    if (r.status && *r.status == 410) {
        d.result = outcome::disabled;
        d.why = what + " Gone: the receiver asked for no more webhooks; target disabled";
        return d;
    }
    if (r.status && *r.status >= 400 && *r.status <= 499 && *r.status != 408 && *r.status != 425 &&
        *r.status != 429) {
        d.result = outcome::dead;
        d.why = what + ": the receiver refuses this webhook; retrying would send the same";
        return d;
    }
    if (!r.status && r.permanent_error) {
        d.result = outcome::dead;
        d.why = what + " (not retried)";
        return d;
    }

    // Everything else is worth another try: 408, 425, 429, 5xx, 1xx/3xx (a redirect is not
    // followed: the target's URL should be fixed), and no response at all.
    milliseconds delay{};
    std::string why_delay;
    if (r.status && (*r.status == 429 || *r.status == 503) && !r.retry_after.empty()) {
        if (const auto ra = parse_retry_after(r.retry_after, now)) {
            delay = std::min(*ra, s.retry_after_cap);
            why_delay = ", Retry-After " + human(*ra);
            if (*ra > s.retry_after_cap) why_delay += " (capped at " + human(s.retry_after_cap) + ")";
        } else {
            why_delay = ", Retry-After \"" + r.retry_after + "\" not understood";
        }
    }
    if (why_delay.empty() || why_delay.ends_with("not understood")) {
        delay = backoff_delay(s, attempt, uniform01);
        why_delay += ", retry in " + human(delay);
    }

    const core::ms_time next = now + delay;
    const core::ms_time window_end = due + milliseconds(retry_window);
    if (next > window_end) {
        d.result = outcome::dead;
        d.why = what + why_delay + "; retry window of " + human(milliseconds(retry_window)) + " over";
        return d;
    }
    d.result = outcome::retry;
    d.next_attempt = next;
    d.why = what + why_delay;
    return d;
}

}  // namespace loa::scheduler::dispatch
