// Strict RRULE checking: our own RFC 5545 grammar check first (libical is lenient), then libical.
#include "core/time/rrule.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <mutex>
#include <vector>

#include <date/date.h>
#include <libical/ical.h>

namespace loa::core {

namespace {

constexpr std::size_t max_rrule_length = 1000;

constexpr std::array<std::string_view, 14> part_names = {
    "FREQ",       "UNTIL",     "COUNT",    "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR",
    "BYDAY",      "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"};
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

// True when some month of `months` (all months when empty) has one of `month_days` (negative
// days count from the month's end). Answers cheaply what libical finds out by iterating for
// thousands of years, e.g. for FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30.
bool some_month_has_day(const std::vector<int>& months, const std::vector<int>& month_days) {
    constexpr std::array<int, 12> longest = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; ++m) {
        if (!months.empty() && std::find(months.begin(), months.end(), m) == months.end()) continue;
        for (const int d : month_days) {
            if ((d < 0 ? -d : d) <= longest[static_cast<std::size_t>(m - 1)]) return true;
        }
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
    if (std::find(weekday_codes.begin(), weekday_codes.end(), code) != weekday_codes.end()) return std::nullopt;
    return std::string(name) + ": unknown weekday " + quoted(code) + suggestion(code, weekday_codes) +
           "; use MO, TU, WE, TH, FR, SA or SU";
}

// BYDAY items are [+|-][ordinal]weekday, e.g. MO, 1TH, -1FR.
std::optional<std::string> check_byday(std::string_view value, bool& has_ordinal) {
    for (const auto item : split(value, ',')) {
        if (item.size() < 2) return "BYDAY: unknown weekday " + quoted(item) + "; use MO, TU, WE, TH, FR, SA or SU";
        const auto day = item.substr(item.size() - 2);
        const auto ordinal = item.substr(0, item.size() - 2);
        if (auto err = check_weekday("BYDAY", day)) return err;
        if (!ordinal.empty()) {
            int n = 0;
            if (!parse_int(ordinal, true, 2, n) || n == 0 || n > 53 || n < -53) {
                return "BYDAY: " + quoted(item) + " needs an ordinal from 1 to 53 (or -1 to -53) before the weekday";
            }
            has_ordinal = true;
        }
    }
    return std::nullopt;
}

// UNTIL is a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, optionally ending in Z).
std::optional<std::string> check_until(std::string_view value) {
    const std::string bad = "UNTIL " + quoted(value) + " is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])";
    int y = 0, m = 0, d = 0;
    if (value.size() < 8 || !parse_int(value.substr(0, 4), false, 4, y) || !parse_int(value.substr(4, 2), false, 2, m) ||
        !parse_int(value.substr(6, 2), false, 2, d)) {
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
std::optional<std::string> check_grammar(const std::string& rule) {
    std::vector<std::string_view> seen;
    std::string_view freq;
    bool has_count = false, has_until = false, byday_ordinal = false, has_other_by = false, has_setpos = false;
    bool has_byweekno = false, has_byyearday = false, has_bymonthday = false;
    std::vector<int> months, month_days;

    for (const auto part : split(rule, ';')) {
        if (part.empty()) return std::string("empty part: two ';' in a row, or a ';' at the start or end");
        const auto eq = part.find('=');
        if (eq == std::string_view::npos) return "part " + quoted(part) + " is not NAME=VALUE";
        const auto name = part.substr(0, eq);
        const auto value = part.substr(eq + 1);
        if (std::find(part_names.begin(), part_names.end(), name) == part_names.end()) {
            return "unknown part " + quoted(name) + suggestion(name, part_names);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) return std::string(name) + " appears twice";
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
        } else if (name == "COUNT") {
            if (!parse_int(value, false, 6, n) || n < 1) return "COUNT " + quoted(value) + " is not a whole number from 1 to 999999";
            has_count = true;
        } else if (name == "INTERVAL") {
            if (!parse_int(value, false, 4, n) || n < 1) return "INTERVAL " + quoted(value) + " is not a whole number from 1 to 9999";
        } else if (name == "UNTIL") {
            err = check_until(value);
            has_until = true;
        } else if (name == "WKST") {
            err = check_weekday("WKST", value);
        } else if (name == "BYDAY") {
            err = check_byday(value, byday_ordinal);
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
            month_days = numbers(value);
        } else if (name == "BYYEARDAY") {
            err = check_number_list(name, value, 1, 366, true);
            has_other_by = has_byyearday = true;
        } else if (name == "BYWEEKNO") {
            err = check_number_list(name, value, 1, 53, true);
            has_other_by = has_byweekno = true;
        } else if (name == "BYMONTH") {
            err = check_number_list(name, value, 1, 12, false);
            has_other_by = true;
            months = numbers(value);
        } else if (name == "BYSETPOS") {
            err = check_number_list(name, value, 1, 366, true);
            has_setpos = true;
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
    if (has_byyearday && (freq == "DAILY" || freq == "WEEKLY" || freq == "MONTHLY")) {
        return "BYYEARDAY cannot be used with FREQ=" + std::string(freq);
    }
    if (has_bymonthday && freq == "WEEKLY") return std::string("BYMONTHDAY cannot be used with FREQ=WEEKLY");
    if (has_setpos && !has_other_by) return std::string("BYSETPOS needs another BY... part to select from");
    if (has_bymonthday && !some_month_has_day(months, month_days)) {
        return std::string("the rule never produces a date: no month in BYMONTH has that BYMONTHDAY");
    }
    return std::nullopt;
}

// Makes sure a Debian build compiled with fatal errors cannot abort the process on bad input.
void configure_libical_once() {
    static std::once_flag once;
    std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

// What libical itself says: the rule parses, and an iterator can be built from it (this catches
// combinations libical does not implement and rules that never match a date, e.g. 30 February).
// libical keeps icalerrno per thread (pthread key) and its iterators share no state, so no lock
// is needed.
std::optional<std::string> check_with_libical(const std::string& rule) {
    configure_libical_once();
    icalerror_clear_errno();
    struct icalrecurrencetype rt = icalrecurrencetype_from_string(rule.c_str());
    const bool parsed = rt.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR;
    std::optional<std::string> result;
    if (!parsed) {
        result = "not a valid recurrence rule";
    } else {
        // The iterator fails on rules that match no date for thousands of years; UNTIL and COUNT
        // are irrelevant to that question.
        rt.count = 0;
        rt.until = icaltime_null_time();
        struct icaltimetype dtstart = icaltime_null_time();
        dtstart.year = 2024;
        dtstart.month = 1;
        dtstart.day = 1;
        dtstart.hour = 9;
        icalrecur_iterator* it = icalrecur_iterator_new(rt, dtstart);
        if (it == nullptr) {
            result = icalerrno == ICAL_UNIMPLEMENTED_ERROR
                         ? "this combination of BY... parts is not supported"
                         : "the rule never produces a date (e.g. a day that no month has)";
        } else {
            icalrecur_iterator_free(it);
        }
    }
    if (rt.rscale != nullptr) icalmemory_free_buffer(rt.rscale);
    icalerror_clear_errno();
    return result;
}

}  // namespace

std::optional<std::string> check_rrule(std::string_view rrule) {
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
    if (upper.starts_with("RRULE:")) return std::string("remove the 'RRULE:' prefix; write only the value, e.g. FREQ=MONTHLY");

    if (auto err = check_grammar(upper)) return err;
    return check_with_libical(upper);
}

}  // namespace loa::core
