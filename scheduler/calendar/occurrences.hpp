// Turns a campaign's activities into concrete occurrences: recurrences (RRULE, via libical)
// expanded in each activity's zone, so DST and month ends fall where people expect.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler {

struct occurrence {
    const core::activity* activity = nullptr;  // points into the campaign passed in
    core::sys_seconds start{};
    core::sys_seconds end{};
};

struct occurrence_query {
    core::sys_seconds from{};  // occurrences ending after `from` …
    core::sys_seconds to{};    // … and starting before `to`
    std::string_view department;  // empty = all departments
    bool include_internal = true; // false drops visibility: internal
    std::size_t limit = 10000;    // at most this many (protects against unbounded rules)
};

// Occurrences overlapping [from, to), sorted by start, then activity id. Pure; thread-safe.
[[nodiscard]] std::vector<occurrence> expand_occurrences(const core::campaign& c, const occurrence_query& q);

}  // namespace loa::scheduler
