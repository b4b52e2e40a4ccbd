// The message pages' pure part: the editor form (parse, validate, keep every typed value), channel
// previews, and the page data of the list, message, editor, approvals and audit pages. No I/O, no
// coroutines: the handlers in messages.cpp load, call these, and render. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/channels/message_renderer.hpp"
#include "core/domain/campaign.hpp"
#include "core/storage/audit_store.hpp"
#include "core/storage/message_store.hpp"
#include "server/http/exchange.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// The editor's fields exactly as typed (text fields as strings, so nothing is lost on an error).
struct message_form {
    std::string department;
    std::string title_vi;
    std::string title_en;
    std::string text_vi;
    std::string text_en;
    std::vector<std::string> channels;
    std::string duration_s = "0";
    std::string priority = "5";
    std::string flight_start;
    std::string flight_end;
    std::string airings = "0";
    // The planner's rules: an empty box or 0 is no limit; no daypart ticked is every daypart.
    std::string airings_per_day = "0";
    std::string airings_per_week = "0";
    std::string max_per_outlet_per_day = "0";
    std::string min_gap_minutes = "0";
    std::vector<std::string> dayparts;
    // The form held the rules (its hidden field "rules"): a page from before they were in the form
    // posts none, and keep_stored_rules puts the stored message's in.
    bool has_rules = true;
    std::vector<std::string> audiences;
    std::vector<std::string> outlets;
    std::string version;  // the version the form was based on (edit), '' for a new message
};

[[nodiscard]] message_form message_form_from(const web::form& f);
[[nodiscard]] message_form message_form_from(const core::message& m, int version);
// A page from before the form held the planner's rules posts none of them: the stored message's
// rules stand, in the form itself, so that the page shown again (an error, a conflict, a preview)
// holds them and saving that page keeps them. Does nothing when the form held them.
void keep_stored_rules(message_form& f, const core::message& stored);
// A new message's form: the user's department (editors), flight = the campaign's period.
[[nodiscard]] message_form new_message_form(const core::campaign& c, const http::principal& user);

// Field name → error msgid (English; translated when rendered).
using field_errors = std::map<std::string, std::string>;

struct validated_message {
    core::message value;  // meaningful when errors is empty; else the best effort (for previews)
    field_errors errors;
};

// Checks the form against the campaign and what `user` may do: Vietnamese text required; at least
// one known channel (each once); duration 0–86400; priority 1–10; flight dates that exist with end ≥
// start, inside the campaign's period unless they are the `stored` message's own (a file message's
// flight around a key date may reach past the period; an edit of its text must not be refused for
// it); airings 0–1000000; known department (an editor: only their own), audiences and outlets (of a
// kind among the channels); titles ≤ 200 and texts ≤ 5000 characters; the planner's rules: per day,
// per week and per outlet per day 0–1000000, a minimum gap of 0–527040 minutes (a leap year), as
// campaign files, and dayparts that an outlet the message can run on has.
[[nodiscard]] validated_message validate_message_form(const message_form& f, const core::campaign& c,
                                                      const http::principal& user,
                                                      const core::message* stored = nullptr);

// The form field a store error belongs to, and its msgid.
[[nodiscard]] std::pair<std::string, std::string> store_error_field(core::message_errc e);

// The templates/messages directory beside the web templates, loaded once (throws std::runtime_error
// naming the file on a broken template).
[[nodiscard]] const core::channel_templates& message_templates();

// "sms" → "SMS", "tv" → "TV", …, translated.
[[nodiscard]] std::string channel_label(std::string_view channel, std::string_view lang);
// An outlet's kind, in `lang`: as its channel, but a print outlet is a newspaper, not a press release.
[[nodiscard]] std::string outlet_kind_label(std::string_view kind, std::string_view lang);
[[nodiscard]] std::string state_label(std::string_view state, std::string_view lang);
// A placement's state (planned, published, aired, missed), translated.
[[nodiscard]] std::string placement_state_label(std::string_view state, std::string_view lang);
// What a message asks the planner for: its total, per day and per week, those that are set
// ("120 in total · 2 a day"), or "none" (core::asks_for_no_airings), in `lang`.
[[nodiscard]] std::string airings_wanted(const core::message& m, std::string_view lang);

// Previews of `m` in Vietnamese and (when translated) English: the `previews` list for the
// _message_previews partial.
[[nodiscard]] web::page_list preview_data(const core::message& m, const core::campaign& c,
                                          std::string_view lang);

// ---- Pages ---------------------------------------------------------------------------------------

// The editor (templates/web/message_form.mustache). `existing`: the message being edited (nullopt =
// new). `errors` and `conflict` (someone saved meanwhile) are shown next to the fields / at the top;
// `with_previews` adds the channel previews of the typed content.
struct form_view {
    const core::campaign* campaign = nullptr;
    const core::stored_message* existing = nullptr;
    message_form form;
    field_errors errors;
    bool conflict = false;
    bool with_previews = false;
};
[[nodiscard]] web::page_data message_form_data(const form_view& v, const http::request& req);

// The first value of the message list's filter that the filter form does not offer, as given.
struct message_filter_error {
    std::string parameter;  // department | state | channel | audience
    std::string value;
};

// Checks the list's filter (department, state, channel, audience; absent = any) against what the
// form offers for `c`: nullopt when every value is one of its choices, else the first that is not
// (a stale link or a typed address), for a 400 instead of an empty list. Pure.
[[nodiscard]] std::optional<message_filter_error> check_message_filter(const core::campaign& c,
                                                                       const core::message_filter& f);

// What was wrong and what is expected, in `lang`, naming the parameter: for the 400 page.
[[nodiscard]] std::string message_filter_error_text(const message_filter_error& e, std::string_view lang);

[[nodiscard]] web::page_data message_list_data(const core::campaign& c,
                                               const std::vector<core::stored_message>& list,
                                               const core::message_filter& filter, const http::request& req);

// The message page (templates/web/message_detail.mustache). `review_error`/`review_comment`: a
// refused approve/reject shown next to the comment field with the comment kept; `done`: the ?done=
// flash (submitted, approved, rejected, saved, created).
struct detail_view {
    const core::campaign* campaign = nullptr;
    const core::stored_message* message = nullptr;
    const core::message_history* history = nullptr;
    std::string review_error;  // msgid
    std::string review_comment;
    std::string error;  // msgid of a refused submit/approve/reject (stale version, wrong state)
    std::string done;
};
[[nodiscard]] web::page_data message_detail_data(const detail_view& v, const http::request& req);

struct queued_message {
    core::stored_message message;
    std::string submitted_by;  // '' when unknown
    std::string submitted_at;  // UTC ISO 8601, '' when unknown
};
[[nodiscard]] web::page_data approvals_data(const core::campaign& c, const std::vector<queued_message>& queue,
                                            const http::request& req, std::string_view done);

// The audit page's filters from the query string, and the store query they make (`zone`: the zone
// the dates are typed in; `campaign_slug` '' = every campaign). Page size 50.
struct audit_filters {
    std::string entity;
    std::string action;
    std::string actor;
    std::string from;  // YYYY-MM-DD as typed ('' = none)
    std::string to;
    int page = 1;
    field_errors errors;
};
inline constexpr int audit_page_size = 50;
[[nodiscard]] audit_filters audit_filters_from(const http::request& req);
[[nodiscard]] core::audit_query audit_query_for(const audit_filters& f, const std::string& campaign_slug,
                                                const date::time_zone* zone);

struct audit_view {
    const core::audit_page* page = nullptr;
    audit_filters filters;
    std::vector<std::string> entities;
    std::vector<std::string> actions;
    std::vector<std::string> actors;
    std::string campaign_slug;  // '' for the log of every campaign
    std::string campaign_title;
    const date::time_zone* zone = nullptr;  // times shown in this zone (null = UTC)
};
[[nodiscard]] web::page_data audit_data(const audit_view& v, const http::request& req);

}  // namespace loa::handlers
