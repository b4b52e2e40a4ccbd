// How long the texts people write may be, in Unicode code points: the same for a campaign file
// (core/config/campaign_loader) as for the web forms that edit what it imported
// (server/handlers/message_pages, activity_form), so that nothing imported is refused when it is
// next saved unchanged.
#pragma once

#include <cstddef>

namespace loa::core {

// A message's title, an activity's title and location (each language).
inline constexpr std::size_t max_short_text_chars = 200;
// A message's text, an activity's description (each language).
inline constexpr std::size_t max_long_text_chars = 5000;

}  // namespace loa::core
