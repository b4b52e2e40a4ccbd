// How long the texts people write may be, in Unicode code points: the same for a campaign file
// (core/config/campaign_loader) as for the web forms that edit what it imported
// (server/handlers/message_pages, activity_form), so that nothing imported is refused when it is
// next saved unchanged.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/text/unicode.hpp"

namespace loa::core {

// A message's title, an activity's title and location (each language).
inline constexpr std::size_t max_short_text_chars = 200;
// A message's text, an activity's description (each language).
inline constexpr std::size_t max_long_text_chars = 5000;

// How long a text is against these limits: its characters as people see them (in Unicode NFC, so
// a letter typed with a separate accent, as some systems paste it, counts once), without the
// spaces and line breaks at its end (a YAML block ends with one; a textarea may).
[[nodiscard]] inline std::size_t text_length(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
    return code_points(to_nfc(s));
}

}  // namespace loa::core
