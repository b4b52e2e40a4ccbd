// The planner's surfaces, pure part: the API body and the page form (parse and check), the plan
// report (the JSON of scheduler::planner::plan_json, read back with Boost.JSON), its summary per
// department and outlet, the translated reason of every unplaced entry, one outlet's day schedule,
// and the data of templates/web/plan.mustache. No I/O, no coroutines: server/handlers/plans.cpp
// loads and runs on the db thread, then calls these. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/feed_store.hpp"
#include "scheduler/planner/instance.hpp"
#include "scheduler/planner/service.hpp"
#include "server/http/exchange.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// The longest range one run may plan, in days (from and to included): the planner's own limit.
using scheduler::planner::max_plan_days;

// ---- POST /api/v1/campaigns/{slug}/plan ---------------------------------------------------------

// The body's options. `as_of` is kept as text: a time without an offset is read in the campaign's
// zone, known only once the campaign is loaded (parse_as_of).
struct plan_api_options {
    scheduler::planner::run_options run;  // from, to, dry_run (as_of unset)
    std::optional<std::string> as_of;
};

struct plan_api_parse {
    plan_api_options options;
    std::vector<http::invalid_param> errors;  // every bad field, in body order; empty = fine
};

// An empty body (or only white space) means every default. Otherwise a JSON object whose keys are
// among "from", "to" ("YYYY-MM-DD" that exists, or null), "as_of" (ISO 8601 string, or null) and
// "dry_run" (true/false, or null); from ≤ to; at most max_plan_days days. A body that is not JSON
// or not an object is one error named "body"; an unknown key is an error named after it.
[[nodiscard]] plan_api_parse parse_plan_api_body(std::string_view body);

// `text` as an instant: ISO 8601 with an offset or Z, or a local date/time in `zone`; nullopt when
// malformed.
[[nodiscard]] std::optional<scheduler::planner::instant> parse_as_of(std::string_view text,
                                                                     const date::time_zone* zone);

// ---- The page form ------------------------------------------------------------------------------

// Field name → error msgid (English; translated when rendered).
using plan_field_errors = std::map<std::string, std::string>;

// The run form as typed (dates as text so that nothing is lost on an error), and the day of the
// schedule to show (the dry run's "Show" posts the form again with these).
struct plan_form {
    std::string from;  // YYYY-MM-DD or '' (the default range)
    std::string to;
    bool dry_run = false;
    std::string outlet;  // the schedule's outlet slug, '' = the busiest
    std::string date;    // the schedule's date, '' = the busiest
};

[[nodiscard]] plan_form plan_form_from(const web::form& f);

struct plan_form_check {
    scheduler::planner::run_options options;
    plan_field_errors errors;  // "from" / "to"
};
// Dates that exist, to ≥ from, at most max_plan_days days.
[[nodiscard]] plan_form_check check_plan_form(const plan_form& f);

// ---- The report ---------------------------------------------------------------------------------

struct report_placement {
    std::string message;
    std::string outlet;
    std::string start;  // ISO 8601 with the outlet's offset, as in the JSON
    std::string date;   // its outlet-local date, YYYY-MM-DD
    std::string time;   // its outlet-local time, HH:MM
    int duration_s = 0;
    std::string daypart;
    double weight = 0;
    double value = 0;
    bool prime = false;
    bool frozen = false;
    // planned | published | aired | missed ('' in reports stored before the field: read as
    // planned). A missed one holds no break; a withdrawn one keeps its break but is cancelled for
    // the outlet (its message lost its approval before it); neither counts as placed.
    std::string state;
    bool withdrawn = false;
    long long make_good_of = 0;  // the missed placement's id, for a make-good proposal; 0 otherwise
};

struct report_unplaced {
    std::string message;
    std::string outlet;  // '' when none applies
    int airings = 0;
    std::string code;    // scheduler::planner::reason_name
    std::string detail;  // unplaced_airings::detail ('' in reports stored before it)
    int longest_s = 0;   // with detail "too_long"
    std::string reason;  // the planner's English sentence (not shown on Vietnamese pages)
    std::string date;    // YYYY-MM-DD or ''
    std::string daypart;
    std::vector<std::string> blockers;  // message codes
    // The message's flight and minimum gap the plan was made with ('' and 0 in reports stored
    // before 2026-12-02: the page then reads the campaign's current ones).
    std::string flight_first;  // YYYY-MM-DD
    std::string flight_last;
    int min_gap_minutes = 0;  // with code "separation"
    // unplaced_airings::lost and lost_until (capacity, separation): its breaks until that day were
    // over already or too soon ('' in reports stored before 2026-12-03).
    std::string lost;
    std::string lost_until;  // YYYY-MM-DD
    int others_full = 0;     // unplaced_airings::others_full (capacity); 0 in runs stored before 2026-12-03
    int closed_by_others = 0;  // unplaced_airings::closed_by_others (rule_limit); likewise
    // unplaced_airings::limit_per_* (rule_limit: the limits reached, 0 for the others) and
    // notice_hours (lead_time); 0 in reports stored before 2026-12-03 (the page then says it
    // without the figures).
    int limit_per_day = 0;
    int limit_per_week = 0;
    int limit_per_outlet_day = 0;
    int notice_hours = 0;
    bool every_break = false;  // unplaced_airings::every_break (rule_limit, also after days lost)
    // make_good_no_slot: the missed placement's id (0 in runs stored before 2026-12-03).
    long long make_good_of = 0;
};

// Placed and wanted airings of one department or outlet.
struct placed_wanted {
    std::string key;  // department code / outlet slug; '' = none (an outlet-less unplaced entry)
    long long placed = 0;
    long long wanted = 0;
    long long prime = 0;  // placed in prime time
};

struct plan_report {
    std::string from;  // YYYY-MM-DD
    std::string to;
    std::string as_of;  // ISO 8601
    double objective = 0;
    double bound = 0;
    double gap = 0;  // a fraction: 0.01 = 1 %
    std::vector<report_placement> placements;
    std::vector<report_unplaced> unplaced;
    std::vector<std::string> asking_none;  // approved message codes that ask for no airings
    std::vector<std::string> notes;
    // Messages placed more than they want now (placements kept from before, after their airings
    // were cut): the JSON's over_wanted, empty in runs stored before 2026-12-03.
    struct surplus {
        std::string message;
        long long placed = 0;
        long long wanted = 0;
    };
    std::vector<surplus> over_wanted;
    std::optional<std::int64_t> run_id;
    // plan_json's "changes": a dry run's, what storing it would change for the outlets.
    std::optional<core::plan_changes> changes;
    // plan_json's "summary" (the planner's own counts), when the report has one.
    bool has_summary = false;
    placed_wanted total;                     // placed, wanted, prime
    double prime_share = 0;                  // of the placed airings' priority, the share in prime time
    std::vector<placed_wanted> departments;  // placed, wanted
    std::vector<placed_wanted> outlets;      // placed, wanted, prime
    // Unplaced airings of messages that may air on several outlets (in no outlet's wanted); 0 in
    // runs stored before 2026-12-03, which counted them in the wanted of the outlet their reason named.
    long long wanted_any_outlet = 0;
};

// The report from plan_json's text; nullopt when it is not a JSON object of that shape (missing
// numbers count as 0, missing lists as empty).
[[nodiscard]] std::optional<plan_report> parse_plan_report(std::string_view json);

struct plan_summary {
    std::vector<placed_wanted> departments;  // the campaign's order; unknown codes after, by code
    std::vector<placed_wanted> outlets;      // the campaign's order; unknown slugs, then '' last
    long long wanted_any_outlet = 0;         // plan_report's
    placed_wanted total;
    double prime_share = 0;  // weighted by priority
};

// The report's own summary when it has one (prime per department counted from the placements);
// else counted here: wanted = placed + unplaced airings, messages attributed to departments
// through the campaign (a message it no longer has: ''), prime share weighted by value ÷ weight.
[[nodiscard]] plan_summary summarize(const plan_report& r, const core::campaign& c);

// One sentence saying why `u` was not placed, in `lang`, built from its code, outlet, date, daypart
// and blockers (names and priorities from the campaign), and whether the message's flight reaches
// beyond the dates planned `from`–`to` (YYYY-MM-DD; not said when empty); never the planner's
// English `reason` unless lang is "en" and the code is unknown.
[[nodiscard]] std::string unplaced_sentence(const report_unplaced& u, const core::campaign& c,
                                            std::string_view lang, std::string_view from = {},
                                            std::string_view to = {});

// ---- The day schedule ---------------------------------------------------------------------------

struct schedule_break {
    std::int64_t start_utc = 0;  // seconds since the epoch
    std::string time;            // outlet-local HH:MM
    int capacity_s = 0;
    std::string daypart;  // code
    bool prime = false;
    bool blacked_out = false;
};

// The breaks of `outlet_slug` airing on `d` (outlet-local), in time order.
[[nodiscard]] std::vector<schedule_break> breaks_of(const scheduler::planner::instance& in,
                                                    std::string_view outlet_slug, core::calendar_date d);

struct day_choice {
    std::string outlet;  // slug; '' when the report has no placement and the campaign no outlet
    std::string date;    // YYYY-MM-DD; '' likewise
};

// The outlet and date asked for when they are valid (an outlet of the campaign, a date that
// exists), else the ⟨outlet, date⟩ with the most placements (ties: the campaign's outlet order,
// then the earlier date); with no placement, the first outlet on the report's first day.
[[nodiscard]] day_choice choose_day(const plan_report& r, const core::campaign& c, std::string_view outlet,
                                    std::string_view date);
// Whether an outlet or date that was asked for (not empty) cannot be shown: an outlet the campaign
// does not have, or text that is not a date. The page of a stored plan then shows another day, says
// why, and answers 400 (as the calendar does for its parameters).
[[nodiscard]] bool day_asked_is_unknown(const core::campaign& c, std::string_view outlet, std::string_view date);

// ---- The page -----------------------------------------------------------------------------------

struct plan_view {
    const core::campaign* campaign = nullptr;
    const plan_report* report = nullptr;     // nullptr: no run yet
    bool dry_run = false;                    // the report is a dry run's (not stored)
    const core::plan_run* stored = nullptr;  // the stored run the report is (created_at, actor)
    plan_form form;                          // the run form's values
    plan_field_errors errors;
    std::string done;  // the ?done= flash after a stored run ("stored")
    day_choice day;
    std::vector<schedule_break> breaks;  // of day.outlet on day.date
};

// The first and last start of the report's airings on `day`; nullopt when it has none there.
[[nodiscard]] std::optional<std::pair<std::chrono::sys_seconds, std::chrono::sys_seconds>> day_starts(
        const plan_report& r, const day_choice& day);

// A stored run's airings on `day` as they are now (`now`: the outlet's stored placements around
// then, core::load_outlet_schedule): reported aired or missed since, published since, or withdrawn
// since (their message lost its approval before them). Matched by campaign, message and start; one
// no longer stored is left as the run had it.
void overlay_current(plan_report& r, const day_choice& day, std::string_view campaign,
                     const std::vector<core::schedule_row>& now);

// templates/web/plan.mustache's data: the run form (approvers and admins only), the report's
// figures, the summaries, the unplaced reasons, the day schedule and its chooser.
[[nodiscard]] web::page_data plan_page_data(const plan_view& v, const http::request& req);

}  // namespace loa::handlers
