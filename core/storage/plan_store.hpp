// Placements and plan runs (schema v4). Functions take the caller's database; not thread-safe
// beyond that connection. Database failures throw SQLite::Exception.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

inline constexpr const char* placement_states[] = {"planned", "published", "aired", "missed"};

struct stored_placement {
    std::int64_t id = 0;
    std::string message;  // message code (archived messages included)
    std::string outlet;   // outlet slug
    std::chrono::sys_seconds start{};
    int duration_s = 0;
    std::string daypart;
    double weight = 1.0;
    double value = 0.0;
    std::string state = "planned";
    std::optional<std::int64_t> make_good_of;
    bool made_good = false;  // a placement names this one in make_good_of
    std::optional<std::int64_t> plan_run_id;
    std::optional<std::string> aired_at;  // UTC ISO 8601
    std::string note;
    int sequence = 0;  // 0, then +1 each time a re-plan moves it (iCalendar's SEQUENCE)
    // Planned or published, and withdrawn: its message lost its approval before it was due, which
    // cancels it for the outlet (placements.withdrawn_at; statement_helpers.hpp, follow_approval).
    bool withdrawn = false;
    friend bool operator==(const stored_placement&, const stored_placement&) = default;
};

// Every placement of the campaign (of every state), by (start, outlet, message); empty when the
// campaign does not exist.
[[nodiscard]] std::vector<stored_placement> load_placements(database& db, std::string_view campaign_slug);

struct new_placement {
    std::string message;  // code
    std::string outlet;   // slug
    std::chrono::sys_seconds start{};
    int duration_s = 0;
    std::string daypart;
    double weight = 1.0;
    double value = 0.0;
    std::optional<std::int64_t> make_good_of;
};

// What storing a run changed for the outlets.
struct plan_changes {
    int kept = 0;       // stored placements it kept as they were (frozen ones and history included; a
                        // kept one whose message lost its approval shows cancelled since it did)
    int added = 0;      // new placements
    int moved = 0;      // planned placements moved or changed: same id, a new start, length or daypart
                        // (sequence + 1; feeds show them updated)
    int cancelled = 0;  // planned placements it dropped (feeds show them cancelled)
    friend bool operator==(const plan_changes&, const plan_changes&) = default;
};

struct plan_run {
    std::int64_t id = 0;
    std::string campaign;  // slug
    std::string created_at;
    std::string actor;       // "user:<login>" or "cli"
    std::string range_from;  // YYYY-MM-DD
    std::string range_to;
    std::string as_of;  // UTC ISO 8601
    double objective = 0, bound = 0, gap = 0;
    int placed = 0, wanted = 0;
    std::string report_json;
    std::optional<plan_changes> changes;  // as read back; absent for runs stored before schema 16 (store_plan
                                          // takes them from its own pairing, not from here)
};

// Stores a run in one transaction, writing the plan_runs row (run.id and created_at are set here)
// and an audit row (entity "plan", action "run"). The campaign's placements in state planned whose id
// is not in `kept` are dropped, and `added` go in (state planned, plan_run_id = the new run):
//  - a dropped placement with the same (message, outlet, make_good_of) as an added one is MOVED in
//    place instead: it keeps its id (outlets quote it) and takes the added one's start, duration,
//    daypart, weight, value and run (a changed start also leaves a placement_moves row with the old
//    one, for the feeds' windows); when its start, duration or daypart changes, its sequence goes
//    up by one, updated_at is now, and its waiting dispatches (pending, retrying, in flight) are
//    made again for the new time. Per key, dropped and added ones pair up in start order (then id,
//    then the order of `added`);
//  - any other dropped placement is deleted, leaving a placement_cancellations row (where it was,
//    its sequence + 1, cancelled_at now) so that feeds show it cancelled;
//  - any other added placement is inserted (sequence 0).
// Returns the run id, and what it changed in `changes` when given (also stored with the run).
// Throws std::invalid_argument when a message code or outlet slug is unknown.
std::int64_t store_plan(database& db, const plan_run& run, const std::vector<std::int64_t>& kept,
                        const std::vector<new_placement>& added, const audit_actor& who,
                        plan_changes* changes = nullptr);
// What store_plan would change for the outlets, written nowhere (a dry run's preview). Throws as
// store_plan does.
[[nodiscard]] plan_changes preview_plan_changes(database& db, const plan_run& run, const std::vector<std::int64_t>& kept,
                                                const std::vector<new_placement>& added);

// The campaign's runs, newest first (at most `limit`); the latest one alone.
[[nodiscard]] std::vector<plan_run> list_plan_runs(database& db, std::string_view campaign_slug, int limit = 20);
[[nodiscard]] std::optional<plan_run> latest_plan_run(database& db, std::string_view campaign_slug);

// Moves a placement of the campaign to `state` (planned → published → aired | missed; missed and
// aired may be corrected into each other), recording aired_at and note. Returns false when no
// such placement or the transition is not allowed. Audit: entity "placement", action = state.
bool set_placement_state(database& db, std::string_view campaign_slug, std::int64_t id, std::string_view state,
                         std::optional<std::string> aired_at, std::string_view note, const audit_actor& who);

}  // namespace loa::core
