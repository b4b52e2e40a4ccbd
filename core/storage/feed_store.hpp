// What the media feeds read and the feed tokens (schema v6; docs/feeds.md). Functions take the
// caller's database; not thread-safe beyond that connection. Database failures throw
// SQLite::Exception; bad arguments std::invalid_argument naming the argument.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/stored_time.hpp"

namespace loa::core {

// ---- Feed tokens ------------------------------------------------------------------------------
// A token is "loa_ft_" + base64url (no padding) of 24 random bytes (libsodium): 192 bits. Only its
// SHA-256 is stored. Tokens belong to an outlet slug (the outlet in every campaign).

using token_hash = std::array<unsigned char, 32>;

[[nodiscard]] token_hash hash_feed_token(std::string_view token);

struct feed_token {
    std::int64_t id = 0;
    std::string outlet;  // slug
    std::string label;
    std::string created_at;  // UTC ISO 8601
    std::string created_by;  // "user:<login>" or "cli"
    std::optional<std::string> revoked_at;
    std::optional<std::string> last_used_at;
};

struct issued_token {
    std::int64_t id = 0;
    std::string token;  // shown once, never stored
};

// What is wrong with a token's label: it must be one line of text (no control characters) of at most
// feed_token_label_max characters (code points, as the form's maxlength counts Vietnamese text).
// The web form and `loa token add` both ask.
inline constexpr std::size_t feed_token_label_max = 200;
enum class token_label_problem { none, not_one_line, too_long };
[[nodiscard]] token_label_problem check_token_label(std::string_view label);

// A new token for `outlet` (a slug of some non-archived campaign's outlet; else
// std::invalid_argument "unknown outlet '<slug>'"). Audit: entity "feed_token", action "add"
// (never the token itself).
issued_token add_feed_token(database& db, std::string_view outlet, std::string_view label, const audit_actor& who);

// Tokens of one outlet (or of every outlet when `outlet` is empty), revoked ones included, by
// outlet then id.
[[nodiscard]] std::vector<feed_token> list_feed_tokens(database& db, std::string_view outlet = {});

// Revokes a token; false when there is no such token or it was already revoked. Audit: "revoke".
bool revoke_feed_token(database& db, std::int64_t id, const audit_actor& who);

// Every token not revoked, for the server's in-memory check (a request with a token runs no SQL).
struct live_token {
    std::int64_t id = 0;
    std::string outlet;
    token_hash hash{};
};
[[nodiscard]] std::vector<live_token> live_feed_tokens(database& db);

// The live token `token` of outlet `outlet`, or nullopt (unknown, revoked, or another outlet's).
[[nodiscard]] std::optional<live_token> find_feed_token(database& db, std::string_view outlet, std::string_view token);

// Records when tokens were last used (the server batches these, so a feed request writes nothing).
void record_token_use(database& db, const std::vector<std::pair<std::int64_t, std::string>>& id_and_utc_time);

// ---- What feeds read --------------------------------------------------------------------------

// True when some non-archived campaign has an outlet with this slug.
[[nodiscard]] bool outlet_exists(database& db, std::string_view outlet);

// One placement (or cancellation) on an outlet, as feeds show it.
struct schedule_row {
    std::int64_t placement_id = 0;
    std::string campaign;  // slug
    std::string message;   // code
    std::chrono::sys_seconds start{};
    int duration_s = 0;
    std::string daypart;
    double weight = 1.0;
    std::string state;  // planned | published | aired | missed | cancelled
    int sequence = 0;
    bool moved = false;  // a re-plan moved it at least once (placement_moves): not only its content changed
    std::chrono::sys_seconds updated{};  // placements.updated_at, or the cancellation's time
    // Planned or published, and withdrawn: its message lost its approval before it was due
    // (placements.withdrawn_at; core/storage/statement_helpers.hpp, follow_approval).
    bool withdrawn = false;
    // The approved version it went out with, kept when its message's approved content changed or
    // went after it was due (placements.content_version; message_store.hpp, keep_due_content);
    // nullopt: the message's approved content as it is now.
    std::optional<int> content_version;
    // A make-good: the missed placement it makes up for, and that one's start (placements.make_good_of).
    std::optional<std::int64_t> make_good_of;
    std::optional<std::chrono::sys_seconds> make_good_of_start;
};

// The placements and cancellations on outlet `outlet` (every non-archived campaign) starting in
// [from, to), and those a re-plan moved away from a start in [from, to) (placement_moves), at their
// start now, which may be outside; by start then placement id. A cancellation whose placement id is taken again never
// happens (ids are AUTOINCREMENT).
[[nodiscard]] std::vector<schedule_row> load_outlet_schedule(database& db, std::string_view outlet,
                                                             std::chrono::sys_seconds from,
                                                             std::chrono::sys_seconds to);

// Approval times of a campaign's approved messages (approved now: at their current version, or by
// the campaign file), in the campaign's order: code → (first approval, approval of the approved
// version), UTC ISO 8601. Messages from a campaign file that were never approved through the web
// have neither: nullopt; feeds then use the message row's created_at and updated_at (written by the
// import that first brought it and the last import that changed it: an import that changes nothing
// writes nothing, so these are stable).
struct approval_times {
    std::string message;  // code
    std::optional<std::string> first_approved_at;
    std::optional<std::string> approved_at;
    std::string created_at;  // messages.created_at
    std::string updated_at;  // messages.updated_at
};
[[nodiscard]] std::vector<approval_times> load_approval_times(database& db, std::string_view campaign);

// The campaigns (slugs) that have outlet `outlet` (both not archived), the latest period first
// (period end, then period start, descending; then slug): the first names the outlet for feeds.
[[nodiscard]] std::vector<std::string> outlet_campaigns(database& db, std::string_view outlet);

// When each message of the campaign (archived ones included) last changed: code → messages.updated_at
// (UTC ISO 8601), by code. An edit that takes an approval away, or an archive, is such a change.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> message_change_times(database& db,
                                                                                   std::string_view campaign);

// How many times each activity of the campaign was edited or cancelled in a form (audit rows of
// entity "activity", actions "edit" and "cancel"): code → count, by code; activities never changed
// in a form are absent. The events feed uses it as iCalendar's SEQUENCE.
[[nodiscard]] std::vector<std::pair<std::string, int>> activity_change_counts(database& db,
                                                                             std::string_view campaign);

// stored_utc_instant (reading the store's UTC instants) is declared in core/storage/stored_time.hpp.

}  // namespace loa::core
