// What the city master calendar warns about: (a) two activities at the same venue at overlapping
// times, (b) two broadcasts on the same outlet at overlapping times, (c) messages of two or more
// departments for the same audience on the same day.
//
// The model links activities to no outlet, so (b) derives the outlet from the location: an
// activity of kind broadcast, documentary or debate is on outlet O when every word of its
// location (vi or en, folded to ASCII: "Kênh THP" → "kenh thp") is a word of one of O's names
// (vi, en, or the slug's words), and no other outlet of the campaign matches. A location naming no outlet, or
// several, gives no outlet. Messages have flights (days), not times, so (b) does not apply to them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/time/zone.hpp"
#include "scheduler/calendar/occurrences.hpp"

namespace loa::scheduler {

enum class conflict_kind {
    venue,     // (a) same location, overlapping times
    outlet,    // (b) same outlet, overlapping times
    audience,  // (c) two departments' messages, same audience, same day(s)
};

struct conflict {
    conflict_kind kind = conflict_kind::venue;
    // venue: the location as the first activity writes it (vi); outlet: the outlet's slug;
    // audience: the audience code.
    std::string subject;
    // The local days (campaign zone) the conflict covers: venue/outlet, the days of the overlap;
    // audience, a run of consecutive days with the same messages.
    core::calendar_date first_day{};
    core::calendar_date last_day{};
    std::vector<occurrence> occurrences;         // venue/outlet: the two overlapping occurrences
    std::vector<const core::message*> messages;  // audience: the messages, in campaign order
};

// Venue key: the location folded to ASCII words ("Nhà văn hoá – Quận Lê Chân" and "nhà văn hóa
// quận lê chân" are one venue); empty when there is no location. Pure.
[[nodiscard]] std::string venue_key(std::string_view location);

// The slug of the outlet `a` is on (rule above), or nullopt. Pure.
[[nodiscard]] std::optional<std::string> outlet_of(const core::campaign& c, const core::activity& a);

// Venue and outlet conflicts among `occurrences` (the caller leaves out cancelled activities),
// one per overlapping pair of different activities; a pair on one outlet is reported as an
// outlet conflict only. Ordered by start. At most `limit`. `zone` (the campaign's) gives the days.
// Pure; thread-safe.
[[nodiscard]] std::vector<conflict> find_activity_conflicts(const core::campaign& c,
                                                            const std::vector<occurrence>& occurrences,
                                                            const date::time_zone* zone,
                                                            std::size_t limit = 500);

// Audience conflicts on the days first..last: for each audience, the days on which messages of
// at least two departments whose flights cover the day name it (rejected messages left out),
// consecutive days with the same messages merged into one conflict. `audience` non-empty keeps
// only that audience. Ordered by first day, then audience order in the campaign. Pure.
[[nodiscard]] std::vector<conflict> find_audience_conflicts(const core::campaign& c,
                                                            core::calendar_date first,
                                                            core::calendar_date last,
                                                            std::string_view audience = {});

}  // namespace loa::scheduler
