// Campaigns in the store: import (upsert by stable keys, archive what a file no longer has),
// read back, list. Functions take the caller's database; none is thread-safe beyond that.
// Database failures throw SQLite::Exception (infrastructure), never silently lose data.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

struct import_stats {
    int inserted = 0;   // items new to the store (campaigns, departments, activities, outlets, messages, …)
    int updated = 0;    // items whose stored content changed
    int unchanged = 0;  // items already stored exactly so
    int archived = 0;   // items the files no longer contain (kept, marked archived)
    // Messages whose approval the files gave or took away (a state, an archived message, one back),
    // and their placements from the schedule's clock on that this withdrew or brought back.
    int approvals_changed = 0;
    int placements_withdrawn = 0;
    int placements_restored = 0;
};

// Upserts every campaign in one transaction (all or nothing). Importing the same campaigns
// twice changes nothing (second run: only `unchanged`). Items missing from a campaign are
// archived; an archived item that comes back is restored. A message that gains or loses its
// approval brings back or withdraws its placements that start at or after `as_of` (the schedule's
// clock: a rehearsal's; the system clock when not given), as the web forms do.
import_stats import_campaigns(database& db, const std::vector<campaign>& campaigns,
                              std::optional<std::chrono::sys_seconds> as_of = std::nullopt);

// The campaign with its active (not archived) items, in a stable order; nullopt when unknown.
[[nodiscard]] std::optional<campaign> load_campaign(database& db, std::string_view slug);

struct campaign_summary {
    std::string slug;
    localized title;
    localized theme;
    calendar_date period_start{};
    calendar_date period_end{};
    std::string time_zone;
};

// Every active campaign, ordered by period start then slug.
[[nodiscard]] std::vector<campaign_summary> list_campaigns(database& db);

}  // namespace loa::core
