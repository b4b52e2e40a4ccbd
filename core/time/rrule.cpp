// Strict RRULE checking: our own RFC 5545 grammar check first (libical is lenient), then libical.
#include "core/time/rrule.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include <date/date.h>
#include <libical/ical.h>

namespace loa::core {

namespace {

constexpr std::size_t max_rrule_length = 1000;
constexpr std::string_view never_message = rrule_never_occurs;

constexpr std::array<std::string_view, 14> part_names = {
    "FREQ",  "UNTIL",      "COUNT",     "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR",
    "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH",  "BYSETPOS", "WKST"};
constexpr std::array<std::string_view, 7> freq_names = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY",
                                                        "WEEKLY",   "MONTHLY",  "YEARLY"};
constexpr std::array<std::string_view, 7> weekday_codes = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

// Quotes user text in a message, cut short so one explanation stays one short line.
std::string quoted(std::string_view s) {
    constexpr std::size_t max_len = 30;
    std::string out = "'";
    out.append(s.substr(0, max_len));
    if (s.size() > max_len) out += "...";
    out += "'";
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// " (did you mean 'X'?)" when one candidate is close to `word`, else "".
template <std::size_t N>
std::string suggestion(std::string_view word, const std::array<std::string_view, N>& candidates) {
    if (word.size() > 20) return {};
    std::string_view best;
    std::size_t best_distance = 3;
    for (const auto candidate : candidates) {
        const auto d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best.empty() ? std::string{} : " (did you mean '" + std::string(best) + "'?)";
}

// A whole number of at most `max_digits` digits, with a sign when `allow_sign`.
bool parse_int(std::string_view s, bool allow_sign, std::size_t max_digits, int& out) {
    bool negative = false;
    if (allow_sign && !s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > max_digits) return false;
    int value = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = negative ? -value : value;
    return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto at = s.find(sep, start);
        if (at == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, at - start));
        start = at + 1;
    }
}

// The numbers of a list that check_number_list accepted.
std::vector<int> numbers(std::string_view value) {
    std::vector<int> out;
    for (const auto item : split(value, ',')) {
        int v = 0;
        if (parse_int(item, true, 3, v)) out.push_back(v);
    }
    return out;
}

// A rule as our grammar pass read it. Weekdays are 0 = SU … 6 = SA, as date::weekday counts.
struct recur {
    std::string_view freq;
    int interval = 1;
    int wkst = 1;
    std::vector<int> months, month_days, year_days, week_nos, set_pos;
    std::vector<std::pair<int, int>> days;  // (ordinal or 0, weekday)
};

bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

// True when `day` (1-based in a period of `length` days) is one of `list` (negative = from the end).
bool matches_position(const std::vector<int>& list, int day, int length) {
    for (const int v : list) {
        if (v == day || (v < 0 && length + v + 1 == day)) return true;
    }
    return false;
}

// RFC 5545 week numbers: weeks start on WKST and week 1 holds at least four days of the year.
date::sys_days week_one_start(date::year year, int wkst) {
    const date::sys_days jan4{year / 1 / 4};
    const int back = (static_cast<int>(date::weekday{jan4}.c_encoding()) - wkst + 7) % 7;
    return jan4 - date::days{back};
}

// The lists that decide one period's set, with libical's defaults from DTSTART filled in.
struct period_rules {
    std::vector<int> base_months;      // YEARLY: months of the base set (empty = all)
    std::vector<int> base_month_days;  // days of the month in the base set (empty = all)
};

// How many days one period (a month for MONTHLY, a year for YEARLY) of the rule selects, before
// BYSETPOS; follows RFC 5545's expand/limit table the way libical applies it.
int days_selected(const recur& r, const period_rules& p, date::year y, unsigned first_month,
                  unsigned last_month) {
    const bool yearly = r.freq == "YEARLY";
    const int year_length = y.is_leap() ? 366 : 365;
    const bool limiting = !r.year_days.empty() || !r.month_days.empty();
    const bool ordinals_in_month = !yearly || !r.months.empty();

    // Week starts of week 1 around `y`, for BYWEEKNO.
    std::array<date::sys_days, 4> week_one{};
    if (!r.week_nos.empty()) {
        for (int i = 0; i < 4; ++i)
            week_one[static_cast<std::size_t>(i)] = week_one_start(y + date::years{i - 1}, r.wkst);
    }
    const date::sys_days jan1{y / 1 / 1};

    int count = 0;
    for (unsigned m = first_month; m <= last_month; ++m) {
        const int month = static_cast<int>(m);
        if (!yearly && !r.months.empty() && !contains(r.months, month)) continue;  // BYMONTH limits MONTHLY
        const date::sys_days month_first{y / date::month{m} / 1};
        const int month_length =
            static_cast<int>(static_cast<unsigned>((y / date::month{m} / date::last).day()));
        const int first_weekday = static_cast<int>(date::weekday{month_first}.c_encoding());
        const int month_offset = static_cast<int>((month_first - jan1).count());
        const bool in_base_months = p.base_months.empty() || contains(p.base_months, month);
        const bool in_byday_months = r.months.empty() || contains(r.months, month);

        for (int d = 1; d <= month_length; ++d) {
            const int doy = month_offset + d;
            bool base = false;
            if (yearly && !r.year_days.empty()) {
                base = matches_position(r.year_days, doy, year_length);
            } else if (!(yearly && !r.week_nos.empty())) {
                base = in_base_months &&
                       (p.base_month_days.empty() || matches_position(p.base_month_days, d, month_length));
            }
            if (r.days.empty()) {
                count += base ? 1 : 0;
                continue;
            }
            // BYDAY narrows the base set when BYYEARDAY or BYMONTHDAY was given, else replaces it.
            if ((limiting && !base) || (yearly && !in_byday_months)) continue;
            const int weekday = (first_weekday + d - 1) % 7;
            if (!r.week_nos.empty()) {
                const date::sys_days day = jan1 + date::days{doy - 1};
                const date::sys_days week_start = day - date::days{(weekday - r.wkst + 7) % 7};
                std::size_t wy = 1;  // index of the week-year in week_one
                if (week_start >= week_one[2])
                    wy = 2;
                else if (week_start < week_one[1])
                    wy = 0;
                const int week = static_cast<int>((week_start - week_one[wy]).count() / 7) + 1;
                const int weeks = static_cast<int>((week_one[wy + 1] - week_one[wy]).count() / 7);
                if (!matches_position(r.week_nos, week, weeks)) continue;
            }
            const int forward = ordinals_in_month ? (d - 1) / 7 + 1 : (doy - 1) / 7 + 1;
            const int backward = ordinals_in_month ? (month_length - d) / 7 + 1 : (year_length - doy) / 7 + 1;
            for (const auto& [ordinal, wd] : r.days) {
                if (wd == weekday && (ordinal == 0 || ordinal == forward || -ordinal == backward)) {
                    ++count;
                    break;
                }
            }
        }
    }
    return count;
}

bool selects_something(const recur& r, const period_rules& p, date::year y, unsigned first_month,
                       unsigned last_month) {
    const int n = days_selected(r, p, y, first_month, last_month);
    if (r.set_pos.empty()) return n > 0;
    for (const int pos : r.set_pos) {
        if ((pos > 0 && pos <= n) || (pos < 0 && -pos <= n)) return true;
    }
    return false;
}

// Whether a MONTHLY or YEARLY rule ever produces a date. With `start`, libical's defaults from
// DTSTART apply and only periods reachable with INTERVAL count; without it, any DTSTART may
// follow, so every period counts and nothing is defaulted. libical itself searches until the
// year 20000 before giving up (seconds of work), so this answers first. The Gregorian calendar
// repeats every 400 years (4800 months), which bounds the search.
bool produces_a_date(const recur& r, std::optional<date::year_month_day> start) {
    if (r.freq != "MONTHLY" && r.freq != "YEARLY") return true;
    if (!r.set_pos.empty()) {
        // A period holds at most 31 or 366 days: a position beyond that never exists.
        const int most = r.freq == "MONTHLY" ? 31 : 366;
        if (std::none_of(r.set_pos.begin(), r.set_pos.end(),
                         [most](int pos) { return pos <= most && -pos <= most; })) {
            return false;
        }
    }

    period_rules p;
    p.base_months = r.freq == "YEARLY" ? r.months : std::vector<int>{};
    p.base_month_days = r.month_days;
    if (start) {
        const int start_day = static_cast<int>(static_cast<unsigned>(start->day()));
        const int start_month = static_cast<int>(static_cast<unsigned>(start->month()));
        if (p.base_month_days.empty()) p.base_month_days = {start_day};
        if (r.freq == "YEARLY" && p.base_months.empty()) p.base_months = {start_month};
    }
    const long long step = start ? std::max(r.interval, 1) : 1;
    const date::year_month first = start ? start->year() / start->month() : date::year{2000} / 1;

    if (r.freq == "MONTHLY") {
        for (long long k = 0; k < 4800; ++k) {
            const date::year_month ym = first + date::months{(k * step) % 4800};
            const auto m = static_cast<unsigned>(ym.month());
            if (selects_something(r, p, ym.year(), m, m)) return true;
        }
        return false;
    }
    for (long long k = 0; k < 400; ++k) {
        if (selects_something(r, p, first.year() + date::years{(k * step) % 400}, 1, 12)) return true;
    }
    return false;
}

// A comma-separated list of numbers in [min, max]; `signed_values` also allows [-max, -min].
std::optional<std::string> check_number_list(std::string_view name, std::string_view value, int min, int max,
                                             bool signed_values) {
    for (const auto item : split(value, ',')) {
        int v = 0;
        const bool in_range = parse_int(item, signed_values, 3, v) &&
                              ((v >= min && v <= max) || (signed_values && v <= -min && v >= -max));
        if (!in_range) {
            std::string range = std::to_string(min) + " to " + std::to_string(max);
            if (signed_values) range += " (or negative, counting from the end)";
            return std::string(name) + " value " + quoted(item) + " is not a number from " + range;
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_weekday(std::string_view name, std::string_view code) {
    if (std::find(weekday_codes.begin(), weekday_codes.end(), code) != weekday_codes.end())
        return std::nullopt;
    return std::string(name) + ": unknown weekday " + quoted(code) + suggestion(code, weekday_codes) +
           "; use MO, TU, WE, TH, FR, SA or SU";
}

// BYDAY items are [+|-][ordinal]weekday, e.g. MO, 1TH, -1FR.
std::optional<std::string> check_byday(std::string_view value, bool& has_ordinal, recur& r) {
    for (const auto item : split(value, ',')) {
        if (item.size() < 2)
            return "BYDAY: unknown weekday " + quoted(item) + "; use MO, TU, WE, TH, FR, SA or SU";
        const auto day = item.substr(item.size() - 2);
        const auto ordinal = item.substr(0, item.size() - 2);
        if (auto err = check_weekday("BYDAY", day)) return err;
        int n = 0;
        if (!ordinal.empty()) {
            if (!parse_int(ordinal, true, 2, n) || n == 0 || n > 53 || n < -53) {
                return "BYDAY: " + quoted(item) +
                       " needs an ordinal from 1 to 53 (or -1 to -53) before the weekday";
            }
            has_ordinal = true;
        }
        const auto wd = std::find(weekday_codes.begin(), weekday_codes.end(), day) - weekday_codes.begin();
        r.days.emplace_back(n, static_cast<int>(wd));
    }
    return std::nullopt;
}

// UNTIL is a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, optionally ending in Z).
std::optional<std::string> check_until(std::string_view value) {
    const std::string bad =
        "UNTIL " + quoted(value) + " is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])";
    int y = 0, m = 0, d = 0;
    if (value.size() < 8 || !parse_int(value.substr(0, 4), false, 4, y) ||
        !parse_int(value.substr(4, 2), false, 2, m) || !parse_int(value.substr(6, 2), false, 2, d)) {
        return bad;
    }
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || y < 1900) return "UNTIL " + quoted(value) + " is not a real calendar date";
    auto rest = value.substr(8);
    if (rest.empty()) return std::nullopt;
    if (rest.back() == 'Z') rest.remove_suffix(1);
    int hh = 0, mm = 0, ss = 0;
    if (rest.size() != 7 || rest[0] != 'T' || !parse_int(rest.substr(1, 2), false, 2, hh) ||
        !parse_int(rest.substr(3, 2), false, 2, mm) || !parse_int(rest.substr(5, 2), false, 2, ss)) {
        return bad;
    }
    if (hh > 23 || mm > 59 || ss > 59) return "UNTIL " + quoted(value) + " has an impossible time of day";
    return std::nullopt;
}

// Our own pass over the RFC 5545 RECUR grammar; libical accepts "COUNT=5abc", out-of-range
// ordinals and more, and it reads only up to the first NUL byte.
std::optional<std::string> check_grammar(const std::string& rule, recur& r) {
    std::vector<std::string_view> seen;
    std::string_view freq;
    bool has_count = false, has_until = false, byday_ordinal = false, has_other_by = false,
         has_setpos = false;
    bool has_byweekno = false, has_byyearday = false, has_bymonthday = false;

    for (const auto part : split(rule, ';')) {
        if (part.empty()) return std::string("empty part: two ';' in a row, or a ';' at the start or end");
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) return "part " + quoted(part) + " is not NAME=VALUE";
        const auto name = part.substr(0, eq);
        const auto value = part.substr(eq + 1);
        if (std::find(part_names.begin(), part_names.end(), name) == part_names.end()) {
            return "unknown part " + quoted(name) + suggestion(name, part_names);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            return std::string(name) + " appears twice";
        seen.push_back(name);
        if (value.empty()) return std::string(name) + " has no value";

        std::optional<std::string> err;
        int n = 0;
        if (name == "FREQ") {
            if (std::find(freq_names.begin(), freq_names.end(), value) == freq_names.end()) {
                return "unknown frequency " + quoted(value) + suggestion(value, freq_names) +
                       "; use HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY";
            }
            freq = value;
            r.freq = value;
        } else if (name == "COUNT") {
            if (!parse_int(value, false, 6, n) || n < 1)
                return "COUNT " + quoted(value) + " is not a whole number from 1 to 999999";
            has_count = true;
        } else if (name == "INTERVAL") {
            if (!parse_int(value, false, 4, n) || n < 1)
                return "INTERVAL " + quoted(value) + " is not a whole number from 1 to 9999";
            r.interval = n;
        } else if (name == "UNTIL") {
            err = check_until(value);
            has_until = true;
        } else if (name == "WKST") {
            err = check_weekday("WKST", value);
            if (!err)
                r.wkst = static_cast<int>(std::find(weekday_codes.begin(), weekday_codes.end(), value) -
                                          weekday_codes.begin());
        } else if (name == "BYDAY") {
            err = check_byday(value, byday_ordinal, r);
            has_other_by = true;
        } else if (name == "BYSECOND") {
            err = check_number_list(name, value, 0, 60, false);
            has_other_by = true;
        } else if (name == "BYMINUTE") {
            err = check_number_list(name, value, 0, 59, false);
            has_other_by = true;
        } else if (name == "BYHOUR") {
            err = check_number_list(name, value, 0, 23, false);
            has_other_by = true;
        } else if (name == "BYMONTHDAY") {
            err = check_number_list(name, value, 1, 31, true);
            has_other_by = has_bymonthday = true;
            r.month_days = numbers(value);
        } else if (name == "BYYEARDAY") {
            err = check_number_list(name, value, 1, 366, true);
            has_other_by = has_byyearday = true;
            r.year_days = numbers(value);
        } else if (name == "BYWEEKNO") {
            err = check_number_list(name, value, 1, 53, true);
            has_other_by = has_byweekno = true;
            r.week_nos = numbers(value);
        } else if (name == "BYMONTH") {
            err = check_number_list(name, value, 1, 12, false);
            has_other_by = true;
            r.months = numbers(value);
        } else if (name == "BYSETPOS") {
            err = check_number_list(name, value, 1, 366, true);
            has_setpos = true;
            r.set_pos = numbers(value);
        }
        if (err) return err;
    }

    if (freq.empty()) return std::string("FREQ is missing, e.g. FREQ=MONTHLY");
    // Activities are calendar events; sub-hourly rules would also let one activity expand into
    // millions of occurrences.
    if (freq == "SECONDLY" || freq == "MINUTELY") {
        return "FREQ=" + std::string(freq) + " is not supported: activities repeat at most hourly";
    }
    if (has_count && has_until) return std::string("COUNT and UNTIL cannot be used together; keep one");
    if (byday_ordinal && freq != "MONTHLY" && freq != "YEARLY") {
        return std::string("BYDAY with a number (e.g. 1TH, -1FR) needs FREQ=MONTHLY or FREQ=YEARLY");
    }
    if (byday_ordinal && freq == "YEARLY" && has_byweekno) {
        return std::string("BYDAY with a number cannot be combined with BYWEEKNO");
    }
    if (has_byweekno && freq != "YEARLY") return std::string("BYWEEKNO needs FREQ=YEARLY");
    // libical places BYWEEKNO without BYDAY by DTSTART's weekday and fails for many starts.
    if (has_byweekno && r.days.empty()) return std::string("BYWEEKNO needs BYDAY, e.g. BYWEEKNO=20;BYDAY=MO");
    if (has_byyearday && (freq == "DAILY" || freq == "WEEKLY" || freq == "MONTHLY")) {
        return "BYYEARDAY cannot be used with FREQ=" + std::string(freq);
    }
    if (has_bymonthday && freq == "WEEKLY") return std::string("BYMONTHDAY cannot be used with FREQ=WEEKLY");
    if (has_setpos && !has_other_by) return std::string("BYSETPOS needs another BY... part to select from");
    if (has_bymonthday && r.freq != "MONTHLY" && r.freq != "YEARLY") {
        // Limits on a finer rule: checked the same way, as a monthly rule over every month.
        recur as_monthly = r;
        as_monthly.freq = "MONTHLY";
        as_monthly.days.clear();
        as_monthly.set_pos.clear();
        if (!produces_a_date(as_monthly, std::nullopt)) return std::string(never_message);
    }
    if (!produces_a_date(r, std::nullopt)) return std::string(never_message);
    return std::nullopt;
}

// Makes sure a Debian build compiled with fatal errors cannot abort the process on bad input.
void configure_libical_once() {
    static std::once_flag once;
    std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

// What libical itself says: the rule parses, and an iterator can be built from it from `dtstart`
// (this catches combinations libical does not implement). Callers first make sure the rule
// produces a date from `dtstart`, since libical searches for one until the year 20000.
// libical keeps icalerrno per thread (a pthread key) and its iterators share no state, so no
// lock is needed.
std::optional<std::string> check_with_libical(const std::string& rule, date::local_seconds dtstart,
                                              bool build_iterator) {
    configure_libical_once();
    icalerror_clear_errno();
    struct icalrecurrencetype rt = icalrecurrencetype_from_string(rule.c_str());
    const bool parsed = rt.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR;
    std::optional<std::string> result;
    if (!parsed) {
        result = "not a valid recurrence rule";
    } else if (build_iterator) {
        // COUNT and UNTIL do not change whether libical can iterate the rule.
        rt.count = 0;
        rt.until = icaltime_null_time();
        const auto day = date::floor<date::days>(dtstart);
        const date::year_month_day ymd{day};
        const date::hh_mm_ss<std::chrono::seconds> tod{dtstart - day};
        struct icaltimetype start = icaltime_null_time();
        start.year = static_cast<int>(ymd.year());
        start.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
        start.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
        start.hour = static_cast<int>(tod.hours().count());
        start.minute = static_cast<int>(tod.minutes().count());
        start.second = static_cast<int>(tod.seconds().count());
        icalrecur_iterator* it = icalrecur_iterator_new(rt, start);
        if (it == nullptr) {
            result = icalerrno == ICAL_UNIMPLEMENTED_ERROR
                         ? std::string("this combination of BY... parts is not supported")
                         : std::string(never_message);
        } else {
            icalrecur_iterator_free(it);
        }
    }
    if (rt.rscale != nullptr) icalmemory_free_buffer(rt.rscale);
    icalerror_clear_errno();
    return result;
}

std::optional<std::string> check(std::string_view rrule, std::optional<date::local_seconds> dtstart) {
    if (rrule.empty()) return std::string("the RRULE is empty");
    if (rrule.size() > max_rrule_length) return std::string("the RRULE is too long");

    std::string upper;
    upper.reserve(rrule.size());
    for (std::size_t i = 0; i < rrule.size(); ++i) {
        const auto c = static_cast<unsigned char>(rrule[i]);
        if (c <= 0x20 || c >= 0x7f) {
            return "unexpected " + std::string(c == ' ' ? "space" : "character") + " at position " +
                   std::to_string(i + 1);
        }
        // RFC 5545 names and values are case-insensitive.
        upper.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
    }
    if (upper.starts_with("RRULE:"))
        return std::string("remove the 'RRULE:' prefix; write only the value, e.g. FREQ=MONTHLY");

    recur r;
    if (auto err = check_grammar(upper, r)) return err;

    // libical's limits on DTSTART (years 0 to 2582).
    const date::year_month_day probe_day{date::year{2024} / 1 / 1};
    date::local_seconds start = date::local_days{probe_day} + std::chrono::hours{9};
    if (dtstart) {
        const date::year_month_day ymd{date::floor<date::days>(*dtstart)};
        if (ymd.year() < date::year{1} || ymd.year() > date::year{2582}) {
            return std::string(rrule_start_out_of_range);
        }
        if (!produces_a_date(r, ymd)) {
            return std::string(rrule_never_occurs_from_start);
        }
        start = *dtstart;
    }
    // Without a real start, libical is asked with a sample one; when the rule needs a start it
    // does not have (FREQ=YEARLY;BYMONTH=2 from 30 January), only the parse is checked.
    const bool can_iterate = dtstart.has_value() || produces_a_date(r, probe_day);
    return check_with_libical(upper, start, can_iterate);
}

}  // namespace

std::optional<std::string> check_rrule(std::string_view rrule) {
    return check(rrule, std::nullopt);
}

std::optional<std::string> check_rrule(std::string_view rrule, date::local_seconds dtstart) {
    return check(rrule, dtstart);
}

}  // namespace loa::core
