// Planning a stored campaign: load it and its placements, build the instance, plan, validate, and
// (unless a dry run) store the run. Shared by `loa plan` and POST /api/v1/campaigns/{slug}/plan, so
// both give the same plan and the same JSON. Also the plan's two printed forms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/plan_store.hpp"
#include "scheduler/planner/instance.hpp"
#include "scheduler/planner/inventory.hpp"
#include "scheduler/planner/planner.hpp"
#include "scheduler/planner/validator.hpp"

namespace loa::scheduler::planner {

struct run_options {
    std::optional<core::calendar_date> from;  // default_range() when not given
    std::optional<core::calendar_date> to;
    // "Now" for lead times and freeze horizons, when the caller names one (the API's "as_of").
    // Else the clock's `now`; when that is past the end of the range, of the approved flights and of
    // the campaign's period (a campaign already over), the run plans as a rehearsal as of the range's first day minus the longest lead time or freeze
    // horizon of the outlets, and says so in `notes`.
    std::optional<instant> as_of;
    // The caller's clock: the server's (settings::as_of, a rehearsal) in `loa serve`. The system
    // clock when not given (`loa plan`, tests).
    std::optional<instant> now;
    bool dry_run = false;  // the options' (prepare_run copies it)
};

// `changed`: the campaign or its placements changed between prepare_run and store_prepared (a
// message approved, a placement published or reported missed meanwhile), so the plan was not stored;
// run_planner then plans again, and a caller of the three steps does the same.
enum class run_errc { ok, unknown_campaign, bad_range, invalid_plan, changed };

struct run_result {
    run_errc error = run_errc::ok;
    std::string error_detail;  // for bad_range / invalid_plan (the validator's first violations)
    core::campaign campaign;
    instance inst;
    plan result;
    plan_range range;
    instant as_of{};
    std::vector<std::string> notes;      // English, e.g. the rehearsal note
    std::optional<std::int64_t> run_id;  // when stored
    // Stored: what it changed for the outlets; a dry run: what storing it would change (absent when
    // that could not be worked out).
    std::optional<core::plan_changes> changes;
    // What prepare_run read (store_prepared stores only while the database still holds the same).
    std::vector<core::stored_placement> stored;
    core::change_stamp stamp;
    // What store_prepared writes, made by plan_prepared off the connection's thread (not for a dry
    // run): the stored placements kept, the new ones, the run's row with its JSON report.
    bool dry_run = false;
    std::vector<std::int64_t> kept;
    std::vector<core::new_placement> added;
    core::plan_run to_store;
    [[nodiscard]] bool ok() const noexcept { return error == run_errc::ok; }
};

// The notes a run carries (English sentences, stored with its report), read back by one
// definition beside the one that writes them, so that pages can say them in their own language.
[[nodiscard]] bool is_rehearsal_note(std::string_view note);
// "The objective, bound and gap are those of the dates planned (FROM to TO); N placement(s) kept
// outside them are listed …": its dates (YYYY-MM-DD) and N.
struct kept_outside_values {
    std::string from, to;
    long long count = 0;
};
[[nodiscard]] std::string kept_outside_note(const std::string& from, const std::string& to, long long count);
[[nodiscard]] std::optional<kept_outside_values> read_kept_outside_note(std::string_view note);

// Runs on the caller's connection (the db thread in the server): prepare_run, plan_prepared and
// store_prepared in turn, prepared and planned again (up to max_plan_attempts in all) while the
// campaign keeps changing under it; then run_errc::changed.
[[nodiscard]] run_result run_planner(core::database& db, const std::string& campaign_slug, const run_options& opt,
                                     const core::audit_actor& who);

// The same three steps for a caller that plans off its connection's thread (`loa serve`: a plan of
// a province's year takes seconds, during which the db thread serves everyone else).
//  - prepare_run, on the connection: checks the options, loads the campaign and its placements and
//    builds the instance (run_errc::unknown_campaign or bad_range, else ok);
//  - plan_prepared, anywhere (no I/O; touches only `r`): make_plan and the validator
//    (run_errc::invalid_plan when the validator refuses the plan);
//  - store_prepared, on the connection: unless a dry run, stores the plan when the campaign and its
//    placements are still what prepare_run read (as-run reports of airings aside: same_for_the_plan),
//    else sets run_errc::changed and stores nothing.
[[nodiscard]] run_result prepare_run(core::database& db, const std::string& campaign_slug, const run_options& opt);
void plan_prepared(run_result& r);
void store_prepared(core::database& db, run_result& r, const core::audit_actor& who);
inline constexpr int max_plan_attempts = 3;

// The longest range one run may plan, in days (first and last included), on every surface (loa plan,
// the API, the page): a year and some weeks. Longer is a typing mistake (a year typed wrong), not a
// plan anyone wants.
inline constexpr int max_plan_days = 400;
// Whether the placements stored `now` leave a plan made from `read` (both load_placements of one
// campaign) valid and complete: the same placements, but for published or aired ones reported aired
// (state, aired_at, note), which hold their breaks either way. store_prepared's comparison.
[[nodiscard]] bool same_for_the_plan(const std::vector<core::stored_placement>& read,
                                     const std::vector<core::stored_placement>& now);

// The JSON promised to users (docs/planner.md):
// {"campaign", "as_of", "from", "to", "objective", "bound", "gap", "placements": [{"id"?, "message",
//  "outlet", "start" (ISO 8601 with the outlet's offset), "duration_s", "daypart", "weight", "value",
//  "prime", "frozen", "make_good_of"?}...], "unplaced": [{"message", "outlet" (null when none),
//  "airings", "reason", "code", "date"?, "daypart"?, "blockers": [...]}...], "summary": {...},
//  "notes": [...], "run_id"?}
[[nodiscard]] std::string plan_json(const run_result& r);

// A fixed-width table for people at a terminal: summary, then placements per outlet and day, then
// the unplaced with reasons.
[[nodiscard]] std::string plan_table(const run_result& r);

}  // namespace loa::scheduler::planner
