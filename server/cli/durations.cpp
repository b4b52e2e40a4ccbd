// Durations and counts of the dispatch subcommands.
#include "server/cli/durations.hpp"

#include <charconv>

namespace loa::cli {

std::optional<std::int64_t> parse_count(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<std::chrono::seconds> parse_cli_duration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const auto n = parse_count(text.substr(0, digits));
    if (!n) return std::nullopt;
    const std::string_view unit = text.substr(digits);
    std::int64_t factor = 0;
    if (unit.empty() || unit == "s") factor = 1;
    else if (unit == "m" || unit == "min") factor = 60;
    else if (unit == "h") factor = 3600;
    else if (unit == "d") factor = 86400;
    else return std::nullopt;
    constexpr std::int64_t max_s = 366LL * 86400;
    if (*n > max_s / factor) return std::nullopt;
    return std::chrono::seconds(*n * factor);
}

std::string format_cli_duration(std::chrono::seconds d) {
    const std::int64_t s = d.count();
    if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
    if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
    if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
    return std::to_string(s) + "s";
}

}  // namespace loa::cli
