// Durations and counts as the dispatch subcommands take and print them: "90s", "15m", "2h", "3d",
// or a plain number of seconds. Pure; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loa::cli {

// "90s", "15m", "2h", "3d" or "600" (seconds); at most 366 days. nullopt when malformed.
[[nodiscard]] std::optional<std::chrono::seconds> parse_cli_duration(std::string_view text);
// The largest whole unit: 900 s → "15m", 259200 s → "3d", 90 s → "90s", 0 → "0s".
[[nodiscard]] std::string format_cli_duration(std::chrono::seconds d);
// Digits only, at most 18 of them. nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> parse_count(std::string_view text);

}  // namespace loa::cli
