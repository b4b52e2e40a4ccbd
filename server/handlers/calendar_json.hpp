// The calendar resource without I/O: its query parameters, checked, and its occurrences as JSON.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <date/date.h>

#include "core/domain/campaign.hpp"
#include "core/time/zone.hpp"
#include "scheduler/calendar/occurrences.hpp"
#include "server/http/problem.hpp"

namespace loa::handlers {

// A query parameter the client got wrong and why, as problem+json lists it.
using http::invalid_param;

// The widest window one request may ask for, and the most occurrences it returns.
inline constexpr date::days max_calendar_window{400};
inline constexpr std::size_t max_calendar_occurrences = 5000;

// A checked calendar request: the window [from, to) and an optional department filter.
struct calendar_query {
    core::sys_seconds from{};
    core::sys_seconds to{};
    std::string department;  // empty = every department
};

using query_params = std::vector<std::pair<std::string, std::string>>;

// Checks the calendar's query parameters against campaign `c`:
//   department  a department code of the campaign;
//   from        "YYYY-MM-DD" (local midnight in the campaign's zone), "YYYY-MM-DDTHH:MM[:SS]"
//               (local) or with "Z"/"±HH:MM" (absolute); default: the first day of the campaign;
//   to          the same forms; a bare date is inclusive (the window ends at the next local
//               midnight); default: the end of the campaign's last day.
// An empty value counts as absent, so `?department=&from=&to=` is the whole campaign. Unknown
// and repeated parameters are errors: a misspelt filter must not silently widen the answer.
// from < to and the window is at most max_calendar_window. On failure returns every invalid
// parameter (name + reason). Throws std::runtime_error if the campaign's own zone is unknown
// (the store only holds validated campaigns, so that is a bug). Pure; thread-safe.
[[nodiscard]] boost::system::result<calendar_query, std::vector<invalid_param>> parse_calendar_query(
    const core::campaign& c, const query_params& params);

// What to ask scheduler::expand_occurrences for. The read API is public and unauthenticated,
// so internal activities (police inspections) are never included; access control for them is a
// later issue. One more than max_calendar_occurrences is asked for to detect truncation.
// The result refers to `q.department`: keep `q` alive while it is used.
[[nodiscard]] scheduler::occurrence_query to_occurrence_query(const calendar_query& q);

// One occurrence: activity id, department, kind, title, description, start, end (ISO 8601 with
// the offset of `zone`), all_day, location, audiences, visibility, recurring.
[[nodiscard]] boost::json::object occurrence_json(const scheduler::occurrence& o, const date::time_zone* zone);

// GET /api/v1/campaigns/{slug}/calendar: {campaign, time_zone, from, to, department,
// occurrences, truncated}, every time in the campaign's zone. At most max_calendar_occurrences
// are written; `truncated` says whether there were more. Pure; thread-safe.
[[nodiscard]] boost::json::object calendar_json(const core::campaign& c, const calendar_query& q,
                                                const std::vector<scheduler::occurrence>& occurrences);

// Parses, expands and renders in one go: the JSON body, or the invalid parameters.
[[nodiscard]] boost::system::result<boost::json::object, std::vector<invalid_param>> calendar_response(
    const core::campaign& c, const query_params& params);

}  // namespace loa::handlers
