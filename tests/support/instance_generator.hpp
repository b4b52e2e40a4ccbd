// Random but reproducible planner instances, for the property tests and bench/planner. The same
// (family, seed) always gives the same instance.
#pragma once

#include <cstdint>
#include <string>

#include "scheduler/planner/instance.hpp"

namespace loa::testing {

struct generator_options {
    int outlets = 5;
    int lines = 20;
    int days = 7;
    std::uint64_t seed = 1;
    bool separation_rules = true;  // min gaps, mixed durations in a break, department separation;
                                   // false = only what a flow expresses exactly (one duration per
                                   // outlet, breaks of one capacity per daypart, no gaps, no
                                   // department separation)
    bool with_dst = true;           // some outlets in Europe/Berlin, planned across a DST change
    bool with_existing = true;      // some stored placements, frozen and not, and missed ones
    int max_breaks_per_hour = 2;
};

// city-month: ~40 outlets (incl. ward loudspeakers), ~500 lines, 31 days.
// city-week: city-month's outlets for 7 days, 380 lines (as many airings wanted per break as city-month,
// on fewer than 5,000 breaks, so every step of the small instances runs; not in the benchmark's table).
// province-year: 100 outlets, 5,000 lines, 365 days.
// national-month: 2,500 outlets, 30,000 lines, 30 days.
// small: 8 outlets, 48 lines, 7 days, one break an hour: sized for CBC (650–2,000 variables).
[[nodiscard]] generator_options family(const std::string& name, std::uint64_t seed, bool separation_rules);

[[nodiscard]] scheduler::planner::instance generate(const generator_options& o);

}  // namespace loa::testing
