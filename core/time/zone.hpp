// IANA time zones (system tzdata through Howard Hinnant's date/tz) and ISO 8601 formatting.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace date {
class time_zone;
}

namespace loa::core {

using sys_seconds = date::sys_seconds;

// The zone named `name`, or nullptr when the system tz database has no such zone.
// Thread-safe after the first call.
[[nodiscard]] const date::time_zone* find_zone(std::string_view name) noexcept;

// `t` as ISO 8601 local time with the zone's offset, e.g. 2024-07-30T19:00:00+07:00.
[[nodiscard]] std::string format_iso8601(sys_seconds t, const date::time_zone* zone);

// Local wall-clock time to an instant. Times skipped by a DST jump move forward by the gap;
// ambiguous times take the earlier instant.
[[nodiscard]] sys_seconds to_sys(date::local_seconds local, const date::time_zone* zone);

// The stretch of local time the clocks skip when `local` falls in one (a spring-forward gap: in
// America/New_York on 2025-03-09, 02:00 to 03:00); nullopt when `local` exists in `zone` (or zone is
// nullptr). A wall-clock time given for a single event there names no instant: to_sys would move
// it by the gap, so people are told instead. Thread-safe.
struct skipped_span {
    date::local_seconds from, to;
};
[[nodiscard]] std::optional<skipped_span> skipped_by_clocks(date::local_seconds local, const date::time_zone* zone);
// What to tell people about a time `t` in span `s`: its ends as read beside t's date ("02:00" and
// "03:00" when both fall on that date, each with its date otherwise: "2025-03-29 23:00" and
// "2025-03-30 00:00"), and whether some time of that date comes before the span (not when it
// begins at the date's midnight, as where the clocks jump at 00:00).
struct skipped_words {
    std::string from, to;
    bool time_before;
};
[[nodiscard]] skipped_words describe_skipped(const skipped_span& s, date::local_seconds t);

// Parses ISO 8601: "YYYY-MM-DD" (local midnight in `zone`), "YYYY-MM-DDTHH:MM[:SS]" (local in
// `zone`) or with "Z"/"+HH:MM" offset (absolute). nullopt when malformed.
[[nodiscard]] std::optional<sys_seconds> parse_iso8601(std::string_view text, const date::time_zone* zone);
// The same with a fraction of a second allowed and dropped ("2024-07-20T08:00:00.500Z" is 08:00:00):
// the instants the APIs read, which outlets' software writes with milliseconds.
[[nodiscard]] std::optional<sys_seconds> parse_iso8601_instant(std::string_view text, const date::time_zone* zone);

// Whether an ISO 8601 date or time says its offset ("Z" or "±HH:MM" after the time): without one,
// parse_iso8601 reads it on the zone it is given.
[[nodiscard]] bool iso8601_has_offset(std::string_view text);

// "YYYY-MM-DD" naming a day that exists, nothing around it (what the APIs take); else nullopt.
[[nodiscard]] std::optional<date::year_month_day> iso_day(std::string_view text);

// A calendar date as people type it into a form or a page's address: "YYYY-MM-DD" (what date inputs
// send) or "D/M/YYYY" (as it is written in Vietnamese: 30/07/2024, 3/7/2024), blanks around it
// ignored; nullopt unless it names a day that exists (2024-07-32 and 31/6/2024 do not). Pure;
// thread-safe.
[[nodiscard]] std::optional<date::year_month_day> typed_date(std::string_view text);

// Why `text`, written in parse_iso8601's shape (a fraction of a second allowed), names no date or
// time, in words for an error message: "2024-02-30 is not a date (February 2024 has 29 days)",
// "24:00 is not a time of day (hours go to 23)", "+25:00 is not an offset from UTC (…)".
// nullopt when the text is not in that shape at all (the caller says which shape it wants) or
// names a real date and time. Pure; thread-safe.
[[nodiscard]] std::optional<std::string> iso8601_problem(std::string_view text);

// ---- Suggestions for a zone name that does not exist ----------------------------------------

// The offset from UTC when `text` is an offset written where a zone name belongs: "UTC+7",
// "GMT+07:00", "UTC −7", "+07:00", "+0700", "+7" (case and spaces ignored; hours up to 14,
// minutes up to 59). nullopt for anything else, "UTC" and "GMT" included (those are zones).
// Pure; thread-safe.
[[nodiscard]] std::optional<std::chrono::minutes> offset_in_zone_name(std::string_view text);

// "UTC+07:00", "UTC-03:30", "UTC+00:00".
[[nodiscard]] std::string utc_offset_text(std::chrono::minutes offset);

// The Area/City zones whose standard offset (without daylight saving) at `at` is `offset`, sorted
// by name, with the zone a person in loa most likely means first (Asia/Ho_Chi_Minh for +07:00,
// UTC for +00:00). Etc/ and Antarctic zones and the old names outside an area are left out.
// Empty when none is, or when the tz database cannot be read. Thread-safe after the first call.
[[nodiscard]] std::vector<std::string> zones_with_standard_offset(std::chrono::minutes offset, sys_seconds at);

// "Asia/Ho_Chi_Minh" when `text` names Vietnam's time in a way tzdata does not: a Vietnamese city
// with or without diacritics or an Asia/ prefix ("Asia/Hanoi", "Hà Nội", "Hai Phong", "Sài Gòn",
// "Đà Nẵng"), the country ("Việt Nam") or Indochina Time ("ICT", "Indochina Time"); else nullopt.
// Pure; thread-safe.
[[nodiscard]] std::optional<std::string> vietnam_zone_alias(std::string_view text);

// The zone a person most likely meant by a name tzdata does not have, for a form's hint: the zone
// spelt the same but for case, spaces for '_' and the spaces around it ("europe/london",
// " Asia/Ho Chi Minh"), else vietnam_zone_alias; nullopt when neither. Thread-safe.
[[nodiscard]] std::optional<std::string> zone_meant(std::string_view text);

// Why a name tzdata knows is still no zone to keep a campaign, an outlet or an activity in:
//  - the server machine's own zone ("localtime", "posixrules", "Factory"), which is no place;
//  - Etc/GMT±N, whose sign is POSIX's, the other way round ('Etc/GMT+7' is UTC−07:00): a campaign
//    in Hai Phong written with it would run fourteen hours off.
// nullopt for any other name (unknown names included: find_zone says those). Thread-safe.
struct misleading_zone_name {
    bool machine_zone = false;
    std::chrono::minutes offset{0};  // Etc/GMT±N: the offset the name has (its sign seems to say -offset)
    // A place at offset, then one at -offset (what the sign seems to say), where there is one
    // (zones_with_standard_offset's first): {"Asia/Ho_Chi_Minh", +07:00}.
    std::vector<std::pair<std::string, std::chrono::minutes>> places;
};
[[nodiscard]] std::optional<misleading_zone_name> misleading_zone(std::string_view name, sys_seconds now);

}  // namespace loa::core
