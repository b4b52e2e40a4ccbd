// From a campaign (and the placements already stored) to the planner's instance: concrete breaks
// of every outlet from its dayparts and break clock, in its IANA zone; order lines from messages.
//
// Breaks: for each outlet-local date D of the range (and the day before, for dayparts that cross
// midnight), each daypart whose weekdays include the weekday of the day it STARTS on, each break
// rule: hourly rules give a break at HH:minute for every hour inside the daypart window, daily rules
// one at `at` when inside it; a rule naming dayparts applies only in those. A break's date is the
// local date it airs on (a 00:15 break of a 22:00–00:30 daypart airs on the next date). When several
// dayparts contain the same break time, the highest weight wins (then the first listed). Local times
// skipped by a DST change give no break; repeated ones (fall back) give one, at the earlier instant.
// A break inside a blackout is kept with blacked_out = true (the planner reports it as the reason).
// Key dates weight the breaks airing on that date. Prime dayparts: those with the outlet's highest
// weight.
//
// Lines: one per active message (approved or not, so reasons can say "not approved"), plus a
// non-approved line (state "archived") for each message that has stored placements but is no longer
// in the campaign. Eligible outlets: those whose kind is one of the message's channels, limited to
// message::outlets when that list is not empty. Flight dates come from the message (already
// resolved when it was relative to a key date).
#pragma once

#include <optional>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/plan_store.hpp"
#include "scheduler/planner/instance.hpp"

namespace loa::scheduler::planner {

struct plan_range {
    core::calendar_date from{};
    core::calendar_date to{};
};

// The dates a plan covers by default: the first to the last day of the approved messages' flights,
// the campaign period when it has none.
[[nodiscard]] plan_range default_range(const core::campaign& c);

// Existing placements refer to messages and outlets by code/slug; ones naming an outlet the
// campaign no longer has are skipped (they cannot be re-planned and hold no break).
[[nodiscard]] instance build_instance(const core::campaign& c, const std::vector<core::stored_placement>& existing,
                                      instant now, const plan_range& range);

}  // namespace loa::scheduler::planner
