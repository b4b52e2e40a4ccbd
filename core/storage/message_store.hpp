// Messages written from the web forms — create, edit (every content change is a new version),
// submit, approve, reject — each in one transaction with its audit_log row; reads for the message
// pages (list, one message, approval queue, history of versions and reviews). Functions take the
// caller's database; not thread-safe beyond that connection. Database failures throw
// SQLite::Exception (infrastructure); expected failures are returned as message_errc.
//
// Approval is bound to a version: approving stores approved_version = version, and any later edit
// of the content makes a new version and returns the message to draft, so only content an approver
// saw ever counts as approved (approved_message()).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

using message_actor = audit_actor;  // one actor type for every store (core/storage/audit_store.hpp)

// A message as the store holds it.
struct stored_message {
    message item;                         // item.id is the code; item.state the current state
    int version = 1;                      // bumped by every content change
    std::optional<int> approved_version;  // the version an approver approved (web approvals)
    std::string origin;                   // "file" or "web" (created or edited in a form)
    std::string created_at;               // UTC ISO 8601
    std::string updated_at;

    // True when the current content is approved: approved in a form at this very version, or marked
    // approved by the campaign file (file messages carry no approved_version).
    [[nodiscard]] bool approved() const noexcept {
        return item.state == "approved" &&
               (approved_version ? *approved_version == version : origin == "file");
    }
};

enum class message_errc {
    ok,
    unknown_campaign,    // no active campaign with that slug
    not_found,           // no active message with that code in the campaign
    unknown_department,  // item.department is not an active department of the campaign
    unknown_audience,    // an audience code is not an active audience of the campaign
    unknown_channel,     // a channel is not one of channel_names
    unknown_outlet,      // an outlet slug is not an active outlet of the campaign
    outlet_channel,      // an outlet's kind is not one of the message's channels
    unknown_daypart,     // a daypart code is not a daypart of any outlet the message can run on
    stale_version,       // the message changed since the form or review page was shown
    wrong_state,         // the transition is not allowed from the current state
    comment_required,    // a rejection needs a comment
    comment_too_long,    // a review comment longer than max_review_comment_chars
};

// The longest review comment (submit, approve, reject), in characters (code points).
inline constexpr std::size_t max_review_comment_chars = 2000;

// What a write returns: the message after the change, or why nothing was written.
struct message_result {
    message_errc error = message_errc::ok;
    stored_message value;  // meaningful when ok()
    [[nodiscard]] bool ok() const noexcept { return error == message_errc::ok; }
};

// Creates `m` in the campaign: origin 'web', state draft, version 1 (a message_versions row with the
// content), at the end of the campaign's order. m.id and m.state are ignored: the code is made from
// the Vietnamese title (else the text; "message" when neither has a letter), with "-2", "-3", …
// appended when any message of the campaign (archived ones too) has it; "new" is never used (it is
// the editor's URL). The caller validates the
// values (the schema's CHECKs back it up); the store checks references. Audit: entity "message",
// action "create", after = message_audit_json.
[[nodiscard]] message_result create_message(database& db, std::string_view campaign_slug, message m,
                                            const message_actor& who);

// Replaces the content of message `code` with `m`'s (m.id and m.state are ignored). When the content
// differs: version + 1, a message_versions row with the new content (and one for the old version
// first if it has none, e.g. a message from a file), origin 'web' (later imports leave it alone),
// and a submitted, approved or rejected message returns to draft (a "reopen" review row records
// it). Unchanged content writes nothing and returns the message as it is. `based_on_version`, when
// given, must be the current version (else stale_version: someone else saved meanwhile).
// A message approved by its file keeps that approval as the version the edit keeps (approved_version:
// "Version n was approved"). An approved message losing its approval withdraws its placements that start at or after `now`
// (the schedule's clock, as for approve_message; the system clock when not given): the feeds show
// them cancelled. Those before stay due. Audit: action "edit", before/after.
[[nodiscard]] message_result update_message(
        database& db, std::string_view campaign_slug, std::string_view code, message m, const message_actor& who,
        std::optional<int> based_on_version = std::nullopt,
        std::optional<std::chrono::sys_time<std::chrono::milliseconds>> now = std::nullopt);

// draft → submitted (a "submit" review row with `comment`, may be empty). wrong_state otherwise.
[[nodiscard]] message_result submit_message(database& db, std::string_view campaign_slug,
                                            std::string_view code, const message_actor& who,
                                            std::optional<int> version = std::nullopt,
                                            std::string_view comment = {});

// submitted → approved at `version`, which must be the current one (the version the approver saw;
// else stale_version); approved_version = version. A review row with the comment (may be empty).
// The message's planned placements that start after `now` get their dispatches (enqueue_message),
// and those withdrawn from `now` on are no longer (follow_approval):
// `now` is the schedule's clock (the server's, settings::as_of, in a rehearsal); the system clock
// when not given.
[[nodiscard]] message_result approve_message(
        database& db, std::string_view campaign_slug, std::string_view code, const message_actor& who, int version,
        std::string_view comment,
        std::optional<std::chrono::sys_time<std::chrono::milliseconds>> now = std::nullopt);

// submitted → rejected at `version` (else stale_version), with a comment that is not blank (else
// comment_required).
[[nodiscard]] message_result reject_message(database& db, std::string_view campaign_slug,
                                            std::string_view code, const message_actor& who, int version,
                                            std::string_view comment);

// The active message `code` of the active campaign, or nullopt.
[[nodiscard]] std::optional<stored_message> find_message(database& db, std::string_view campaign_slug,
                                                         std::string_view code);

// The message `code` of the active campaign when it is archived (its file no longer has it), as it
// was then; nullopt otherwise. What the feeds show for its airings kept from before.
[[nodiscard]] std::optional<stored_message> find_archived_message(database& db, std::string_view campaign_slug,
                                                                  std::string_view code);

struct message_filter {
    std::optional<std::string> department;  // department code
    std::optional<std::string> state;       // one of message_states
    std::optional<std::string> channel;     // one of channel_names
    std::optional<std::string> audience;    // audience code
};

// The campaign's active messages that pass `filter`, in the campaign's order; nullopt when the
// campaign is unknown or archived.
[[nodiscard]] std::optional<std::vector<stored_message>> list_messages(database& db,
                                                                       std::string_view campaign_slug,
                                                                       const message_filter& filter = {});

struct message_version_record {
    int version = 0;
    message content;         // as saved at that version (content.state is not recorded: "")
    bool rules_recorded = false;  // the version holds the planner's rules (versions before they were
                                  // edited in the form hold none: content has the defaults)
    std::string author;      // user name, '' for the command line or a file
    std::string created_at;  // UTC ISO 8601
};

struct message_review_record {
    int version = 0;
    std::string action;  // submit | approve | reject | comment | reopen
    std::string comment;
    std::string reviewer;  // user name, '' when none
    std::string at;        // UTC ISO 8601
};

struct message_history {
    std::vector<message_version_record> versions;  // newest first
    std::vector<message_review_record> reviews;    // newest first
};

// The versions and reviews of message `code`; nullopt when it does not exist.
[[nodiscard]] std::optional<message_history> find_message_history(database& db,
                                                                  std::string_view campaign_slug,
                                                                  std::string_view code);

// The content that is approved — the approved version's, never a later edit's — or nullopt when the
// message is not approved (or does not exist).
[[nodiscard]] std::optional<message> approved_message(database& db, std::string_view campaign_slug,
                                                      std::string_view code);

// The airings of message `message_id` that came due before `due_from` (the schedule's clock, as
// placements store their start) keep the content they went out with: while the message is approved,
// its placements due then, not withdrawn and not yet stamped, get content_version = its approved
// version, whose message_versions row is written when it has none (a message approved by its file;
// content a file import replaced since that row was written becomes the next version, as an
// approval does it). Call it before anything replaces or takes away the approved content: an edit,
// a file import. Returns how many placements it stamped.
int keep_due_content(SQLite::Database& sql, std::int64_t message_id, const std::string& due_from);

// A file import replaced the content of message `message_id` (a file's message): when its version
// has a row, content other than that row's is the next version (a row of its own, no user), so that
// the number moves when the content does (an open form then says someone changed it) and never
// later, when nothing changes.
void record_imported_content(SQLite::Database& sql, std::int64_t message_id);

// Version `version` of message `code` as message_versions holds it, as approved content (what an
// airing stamped with it went out with; keep_due_content), archived messages too; nullopt when
// there is no such row.
[[nodiscard]] std::optional<message> message_version(database& db, std::string_view campaign_slug,
                                                     std::string_view code, int version);

// The content as message_versions stores it: a JSON object with code, department, title {vi,en},
// text {vi,en}, channels, duration_s, priority, flight_start, flight_end ("YYYY-MM-DD"), airings,
// audiences, outlets, and rules {airings_per_day, airings_per_week, max_per_outlet_per_day,
// min_gap_minutes, dayparts}.
[[nodiscard]] std::string message_content_json(const message& m);
// The inverse; nullopt when `json` is not such an object. An object without rules (written before
// they were part of a version) reads as the defaults, and *rules_recorded (when given) says false.
[[nodiscard]] std::optional<message> message_from_content_json(std::string_view json,
                                                              bool* rules_recorded = nullptr);

// The message as the audit log stores it: the content (the rules as fields of their own) plus state,
// version, approved_version, origin.
[[nodiscard]] std::string message_audit_json(const stored_message& m);

}  // namespace loa::core
