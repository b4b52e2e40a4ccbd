// IANA time zones (system tzdata through Howard Hinnant's date/tz) and ISO 8601 formatting.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

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

// Parses ISO 8601: "YYYY-MM-DD" (local midnight in `zone`), "YYYY-MM-DDTHH:MM[:SS]" (local in
// `zone`) or with "Z"/"+HH:MM" offset (absolute). nullopt when malformed.
[[nodiscard]] std::optional<sys_seconds> parse_iso8601(std::string_view text, const date::time_zone* zone);

}  // namespace loa::core
