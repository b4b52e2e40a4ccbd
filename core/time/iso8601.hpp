// ISO 8601 text of dates and times, written digit by digit: these run for every stored row and
// every feed entry, where snprintf's format parsing or date::format's stream showed in profiles.
// Numbers are padded as printf's "%04d"/"%02d" would: a year before 0 or after 9999 keeps its sign
// and digits ("-001", "10000").
// Pure; thread-safe.
#pragma once

#include <chrono>
#include <string>

#include <date/date.h>

namespace loa::core {

// "2024-07-30".
[[nodiscard]] std::string iso_date(date::year_month_day d);

// "2024-07-30T19:00:00": a wall-clock time, no zone.
[[nodiscard]] std::string iso_local(date::local_seconds t);

// "2024-07-30T12:00:00Z": an instant in UTC, whole seconds (a finer time is cut, not rounded).
[[nodiscard]] std::string iso_utc(std::chrono::sys_seconds t);

// "2024-07-30T12:00:00.040Z": an instant in UTC with milliseconds.
[[nodiscard]] std::string iso_utc_ms(std::chrono::sys_time<std::chrono::milliseconds> t);

// "2024-07-30T19:00:00+07:00": the local time `offset` from UTC, with that offset ("-03:30" west
// of Greenwich, "+00:00" at it; an offset's seconds, as some zones had before 1900, are left out of
// the offset written, not of the time).
[[nodiscard]] std::string iso_with_offset(std::chrono::sys_seconds t, std::chrono::seconds offset);

}  // namespace loa::core
