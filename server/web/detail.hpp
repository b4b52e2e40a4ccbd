// Internals shared by the web kit's translation units (not for handlers): catalog loading and the
// white-space rule of msgids.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace loa::web::detail {

// Loads every <dir>/vi/LC_MESSAGES/<area>.mo of the known areas (a missing file is skipped; a
// missing directory throws std::runtime_error). Replaces the catalogs loaded before.
void load_catalogs(const std::filesystem::path& dir);

// `text` with runs of ASCII white space collapsed to one space, trimmed.
[[nodiscard]] std::string collapse_space(std::string_view text);

// HTML-escapes & < > " ' (as the templates' {{ }} do).
[[nodiscard]] std::string html_escape(std::string_view text);

// The msgids the kit translates from C++ tables (error pages, navigation, role names), for the
// test that every msgid has a Vietnamese translation.
[[nodiscard]] std::vector<std::string_view> builtin_msgids();

}  // namespace loa::web::detail
