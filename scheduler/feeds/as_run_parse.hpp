// As-run reports as outlets send them (docs/feeds.md, "As-run reports and compliance"), pure: a JSON
// or CSV body in, one parsed line or one reason per line out. No I/O, no clock; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loa::scheduler::feeds {

// The most lines one upload may carry; lines after it are rejected, each saying so.
inline constexpr std::size_t as_run_max_lines = 10'000;

enum class as_run_format { json, csv };

// What one line reports. Either `placement` (the id feeds show) or `time` + `message` (the
// placement's scheduled start and message code) names the placement; `aired_at` is present for
// aired and partial, and for missed only when the outlet gave it (it is then ignored).
struct as_run_line {
    std::optional<std::int64_t> placement;
    std::optional<std::chrono::sys_seconds> time;
    std::string message;
    std::string status;  // aired | missed | partial
    std::optional<std::chrono::sys_seconds> aired_at;
    std::string note;  // trimmed; may be empty
};

// One line of the body: its number and either what it says or why it cannot be read. `line` is the
// physical line (1-based) where the record starts: for CSV the record's first line, for JSON the
// line of the element's opening brace. `index` is the record's position among the records
// (1-based: CSV data rows after the header, JSON array elements). `reason` is a whole sentence
// naming the line and the field: "line 4: aired_at: '2024-07-29 19:00' is not ISO 8601 with an
// offset (e.g. 2024-07-29T19:00:00+07:00)".
struct as_run_item {
    std::size_t line = 0;
    std::size_t index = 0;
    std::string where;  // how reasons name it: "line 4" (CSV), "line 7 (element 3)" or "element 3" (JSON)
    std::optional<as_run_line> parsed;
    std::string reason;  // empty when parsed
};

struct as_run_parse_result {
    bool readable = true;  // false: the body as a whole cannot be read; `error` says why
    std::string error;
    std::vector<as_run_item> items;  // in body order
};

// Parses an upload. JSON: an array of objects, or an object whose "lines" member is one. CSV (RFC
// 4180: quoted fields with commas, quotes and line breaks, CRLF or LF, a UTF-8 byte order mark
// ignored): a header row naming the columns (placement, time, message, aired_at, status, note; any
// order, case-insensitive, unknown columns refused) then one record per line; blank lines are
// skipped. Times are ISO 8601 with "Z" or an offset; fractions of a second are dropped. Text must be
// UTF-8. Unreadable as a whole (readable = false): not JSON / not an array of lines, invalid UTF-8
// in CSV, a CSV without a usable header, an unterminated quote. At most `max_lines` records are
// parsed; every later one is rejected with the limit in its reason.
[[nodiscard]] as_run_parse_result parse_as_run(std::string_view body, as_run_format format,
                                               std::size_t max_lines = as_run_max_lines);

// Parses an instant "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)"; nullopt for anything else (a time
// without an offset included). Exposed for tests and the handlers.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_instant(std::string_view text);

}  // namespace loa::scheduler::feeds
