// The activity form's pure part: the fields exactly as typed, read from a posted form or from a
// stored activity, checked into a core::activity with each field's error, and the page data of
// templates/web/activity_form.mustache. No I/O; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/activity_store.hpp"
#include "scheduler/calendar/recurrence_builder.hpp"
#include "server/http/exchange.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// The form's fields as typed (text, so nothing is lost when the form comes back with errors).
// Names are the inputs' names.
struct activity_form {
    std::string department;
    std::string kind;
    std::string title_vi;
    std::string title_en;
    std::string description_vi;
    std::string description_en;
    bool all_day = false;
    std::string start_date;  // YYYY-MM-DD
    std::string start_time;  // HH:MM (ignored when all_day)
    std::string end_date;
    std::string end_time;
    std::string time_zone;  // '' = the campaign's
    std::string location_vi;
    std::string location_en;
    std::vector<std::string> audiences;
    std::string visibility = "public";
    scheduler::recurrence_form recurrence;
    // The stored activity's core::activity_fingerprint when the edit form was filled (a hidden
    // field, sent back unchanged), so a save notices a change made meanwhile; '' for a new one.
    std::string fingerprint;
};

// The posted form (application/x-www-form-urlencoded body).
[[nodiscard]] activity_form activity_form_from(const web::form& f);
// A stored activity in the form (its RRULE through the recurrence builder; an all-day activity's
// end date is its last day).
[[nodiscard]] activity_form activity_form_from(const core::activity& a);
// A new activity's form: the editor's department, the day `date` (else the campaign's first day),
// 08:00–09:00, public.
[[nodiscard]] activity_form new_activity_form(const core::campaign& c, const http::principal& user,
                                              std::optional<core::calendar_date> date);

// Field name → what is wrong (English msgid, translated when rendered).
using activity_field_errors = std::map<std::string, scheduler::form_error>;

struct validated_activity {
    core::activity value;  // meaningful when errors is empty (value.id is left empty)
    activity_field_errors errors;
};

// Checks the form against the campaign: a known department; a kind of core::activity_kinds; the
// Vietnamese title (≤ 200 characters; other texts ≤ 200, descriptions ≤ 5000); dates that exist
// and times HH:MM; the end after the start (all day: last day ≥ first day); a known time zone or
// none; declared audiences; public or internal; the recurrence (scheduler::build_rrule, against the
// start). Whether the user may write to the department is the caller's check. Pure.
[[nodiscard]] validated_activity validate_activity_form(const activity_form& f, const core::campaign& c);

// The field a store error belongs to, with its msgid; nullopt for errors that are not the form's.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> store_error_field(core::activity_errc e);

// What the template needs beside the form.
struct activity_form_context {
    const core::campaign* campaign = nullptr;
    const http::principal* user = nullptr;
    std::string code;         // the activity's code when editing, else ''
    std::string origin;       // "file" | "web" when editing
    bool cancelled = false;   // editing a cancelled activity: shown read-only
    std::string cancel_date;  // YYYY-MM-DD the calendar link after saving goes back to
};

// The page data for templates/web/activity_form.mustache: title, action URL, every value, the
// department/kind/audience/weekday options with their selected state, the recurrence fields and
// each field's translated error (errors.<field>), an error summary. Pure.
[[nodiscard]] web::page_data activity_form_page(const http::request& req, const activity_form& f,
                                                const activity_field_errors& errors,
                                                const activity_form_context& ctx);


// The translated label of an activity kind ("press_conference" → "Press conference" / "Họp báo").
[[nodiscard]] std::string kind_label(std::string_view kind, std::string_view lang);

}  // namespace loa::handlers
