// The dispatch log's surfaces, pure part: the query parameters of the log and of the JSON API, the
// JSON of a dispatch and its attempts (ISO 8601 UTC), and the data of templates/web/dispatch.mustache
// (summary, filter form, table, paging) and dispatch_detail.mustache (one dispatch, every attempt,
// the approver's buttons). No I/O, no coroutines: server/handlers/dispatches.cpp loads on the db
// thread, then calls these. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "core/domain/campaign.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "server/http/exchange.hpp"
#include "server/http/problem.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// Rows per page of the log when the query names no limit, and per API answer.
inline constexpr int dispatch_page_size = 50;
inline constexpr int dispatch_api_limit = 100;
// The most one page or answer may hold (core::list_dispatches's own bound).
inline constexpr int dispatch_max_limit = 1000;

// ---- Parameters -------------------------------------------------------------------------------

// The first refused parameter as it was given, for the page's sentence.
struct dispatch_query_error {
    std::string parameter;
    std::string value;
};

struct dispatch_query {
    core::dispatch_filter filter;
    std::vector<http::invalid_param> errors;  // each bad parameter once, in query order; empty = fine
    std::optional<dispatch_query_error> first_error;  // set when `errors` is not empty
};

// How strictly the names of a query are read: the page's links and form send only the parameters
// below, so others are ignored there; an API client gets each unknown or repeated name as an error.
enum class query_names { lenient, strict };

// state (one of core::dispatch_states, or empty = any), target and campaign (free text, empty = any;
// at most 200 bytes), limit (a whole number 1–1000, else `default_limit`), offset (a whole number ≥ 0,
// else 0). lenient: the first value of each counts and other names are ignored; strict: an unknown
// name or a repeated one is an error too. A bad value is an error naming its parameter (the filter
// keeps the default for it).
[[nodiscard]] dispatch_query parse_dispatch_query(
    const std::vector<std::pair<std::string, std::string>>& query, int default_limit,
    query_names names = query_names::lenient);

// What the page says about a refused parameter, in `lang`: which one, the value given, and what is
// expected ("The state “dead2” is unknown: …").
[[nodiscard]] std::string dispatch_query_error_text(const dispatch_query_error& e, std::string_view lang);

// A dispatch id in a path: digits only, 1 … 2^63−1; nullopt otherwise ("0", "-1", "1e3", "12x").
[[nodiscard]] std::optional<std::int64_t> parse_dispatch_id(std::string_view text);

// What an operator may do in a state: retry now (pending, retrying), requeue (dead, missed,
// cancelled). core::retry_now and core::requeue_dispatch accept exactly these.
[[nodiscard]] bool may_retry(std::string_view state);
[[nodiscard]] bool may_requeue(std::string_view state);

// ---- JSON (GET/POST /api/v1/dispatches…) --------------------------------------------------------

// "2024-07-30T01:02:03.456Z" (outbox times keep their milliseconds).
[[nodiscard]] std::string utc_iso(core::ms_time t);
// "2024-07-30T01:02:03Z" (slot starts are whole seconds).
[[nodiscard]] std::string utc_iso(std::chrono::sys_seconds t);

// {"id", "webhook_id", "state", "target", "campaign", "message", "outlet", "start", "due",
//  "next_attempt" (pending/retrying only, else null), "delivered" (or null), "attempts",
//  "last_status" (or null), "last_error" (or null when empty)}.
[[nodiscard]] boost::json::object dispatch_json(const core::dispatch_row& r);
// dispatch_json plus "attempt_log": [{"attempt", "started", "finished", "status" (or null),
// "outcome", "error" (or null)}] in attempt order.
[[nodiscard]] boost::json::object dispatch_detail_json(const core::dispatch_row& r,
                                                       const std::vector<core::attempt_row>& attempts);
// {"dispatches": [...], "filter": {"state", "target", "campaign"} (null when any), "limit", "offset",
//  "next_offset" (offset + limit when there are more, else null)}.
[[nodiscard]] boost::json::object dispatch_list_json(const std::vector<core::dispatch_row>& rows,
                                                     const core::dispatch_filter& f, bool has_more);

// loa's own notes about a dispatch (the store's and the runner's, an attempt's error, and a
// placement's "not delivered to … within its grace period"), written in English where they are
// kept, said in `lang`; what a receiver or the network answered stays as it came, and a note not
// of loa's is returned as it is.
[[nodiscard]] std::string dispatch_note_text(const std::string& note, std::string_view lang);

// ---- Names shown on the pages ---------------------------------------------------------------------

// What the pages say instead of slugs and codes, for the campaigns of the rows shown.
struct outlet_names {
    core::localized name;
    std::string time_zone;  // IANA; '' when unknown (then times show in UTC)
};
struct campaign_names {
    core::localized title;
    std::map<std::string, outlet_names> outlets;      // by slug
    std::map<std::string, core::localized> messages;  // by code
};
using dispatch_names = std::map<std::string, campaign_names>;  // by campaign slug

[[nodiscard]] campaign_names names_of(const core::campaign& c);

// ---- Pages --------------------------------------------------------------------------------------

struct dispatch_log_view {
    core::outbox_status status;
    std::vector<core::dispatch_target> targets;     // every target (the disabled ones listed)
    std::vector<core::campaign_summary> campaigns;  // the filter's choices
    core::dispatch_filter filter;
    std::vector<core::dispatch_row> rows;
    bool has_more = false;  // a next page exists
    dispatch_names names;
};

// templates/web/dispatch.mustache's data: the summary (every state's count, due now, the oldest
// due in the campaigns' zone, targets and the disabled ones with their reasons, loa's own 410 reason
// in words with its time in that zone), the filter form with the current choices, the table (slot
// start in the outlet's zone, state as a badge with words) and the paging links.
[[nodiscard]] web::page_data dispatch_log_data(const dispatch_log_view& v, const http::request& req);

struct dispatch_detail_view {
    core::dispatch_row row;
    std::vector<core::attempt_row> attempts;
    dispatch_names names;
    std::string done;  // the ?done= flash after a POST: retried | requeued | refused
    // The server's clock (settings::as_of): a requeue after the slot has begun is said to be late.
    std::optional<core::sys_seconds> now;
    // Its target is disabled (a 410, or an operator): no button, a line saying to enable it first.
    bool target_disabled = false;
};

// templates/web/dispatch_detail.mustache's data: the dispatch, every attempt, and for approvers
// (app::allows(approver)) the button its state allows.
[[nodiscard]] web::page_data dispatch_detail_data(const dispatch_detail_view& v, const http::request& req);

// The state's words in `lang` ("Đã gửi" / "Delivered").
[[nodiscard]] std::string dispatch_state_label(std::string_view state, std::string_view lang);

}  // namespace loa::handlers
