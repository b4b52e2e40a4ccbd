// The dispatcher's durable outbox (schema v5): targets, dispatches and their attempts. Every state
// change is one SQLite transaction; the runner (server/dispatch/runner.hpp) only ever moves a row
// through these functions, so a crash at any point leaves a row in a state these functions recover
// from (an expired lease is taken back on start). Not thread-safe beyond the caller's connection.
// Database failures throw SQLite::Exception; bad arguments std::invalid_argument.
//
// Lifecycle of a dispatch (docs/dispatch.md):
//   pending ──claim──▶ in_flight ──2xx──▶ delivered            (placement planned → published)
//      ▲                  │ ├──retryable failure──▶ retrying ──claim──▶ in_flight …
//      │                  │ ├──retry window over / 4xx──▶ dead  (shown for an operator to requeue)
//      │                  │ └──410 Gone──▶ dead, target disabled
//      │             lease expired (crash) ──take back──▶ retrying
//   pending whose next attempt + grace is past before it is claimed ──▶ missed (placement → missed)
//   any not final ──message no longer approved / placement replaced──▶ cancelled
//   dead | missed | cancelled ──requeue (operator)──▶ pending, due now
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

// Outbox clock: milliseconds since 1970-01-01 UTC.
using ms_time = std::chrono::sys_time<std::chrono::milliseconds>;

inline constexpr const char* dispatch_states[] = {"pending", "in_flight", "delivered", "retrying",
                                                  "dead",    "missed",    "cancelled"};

struct dispatch_target {
    std::int64_t id = 0;
    std::string name;         // unique among targets not removed, e.g. "vtv-haiphong-automation"
    std::string outlet;       // outlet slug (the outlet in every campaign), or "" when outlet_kind is set
    std::string outlet_kind;  // one of outlet_kinds, or "" when outlet is set
    std::string url;          // http:// or https://
    std::string secret;       // "whsec_" + base64 of 24–64 random bytes (Standard Webhooks); "" to
                              // add_target: a new one is made (new_webhook_secret)
    int concurrency = 4;      // at most this many attempts in flight to this target
    std::chrono::seconds grace{900};            // a first attempt later than due + grace → missed
    std::chrono::seconds retry_window{259200};  // after due + this, a failing dispatch is dead (3 days)
    std::chrono::seconds lead{0};               // deliver this long before the placement's start
    bool enabled = true;
    std::string disabled_reason;  // e.g. "410 Gone from https://… at 2024-07-29T01:00:00Z"
    std::string created_at, updated_at;
};

// A new secret: "whsec_" + base64 of 32 random bytes (libsodium's generator).
[[nodiscard]] std::string new_webhook_secret();

// Adds a target and, in the same transaction, a pending dispatch for every placement of a
// matching outlet that is still planned or published and whose due time (start − lead) is not yet
// past `now` by more than the grace. Throws std::invalid_argument naming the field: unknown outlet,
// unknown kind, both or neither of outlet/outlet_kind, a URL that is not http(s), a malformed
// secret, a duplicate name, concurrency outside 1–256. Returns the id. Audit: "dispatch_target" "add".
std::int64_t add_target(database& db, dispatch_target t, ms_time now, const audit_actor& who);
[[nodiscard]] std::vector<dispatch_target> list_targets(database& db);  // by name
[[nodiscard]] std::optional<dispatch_target> find_target(database& db, std::string_view name);
// Removes a target: it is kept, disabled, for the log (removed_at; no longer listed or found, its
// name free again); its pending and retrying dispatches become cancelled; one in flight finishes
// its attempt (a retry it would need becomes cancelled). Returns false when unknown. Audit "remove".
// Targets are never deleted, so neither are their dispatches.
bool remove_target(database& db, std::string_view name, const audit_actor& who);
// Enables (clearing the reason) or disables a target. Returns false when unknown. Audit "enable" /
// "disable". Enabling a disabled target enqueues, like add_target (now = the system clock), the
// placements still ahead that plans stored meanwhile gave it no dispatch for.
bool set_target_enabled(database& db, std::string_view name, bool enabled, std::string_view reason,
                        const audit_actor& who);

// "https://hooks.example:8443" of "https://user:pw@hooks.example:8443/t/abc?k=1": scheme, host and
// port, without the user part, path, query or fragment. A 410's disabled reason names a receiver so
// (every viewer of the dispatch log sees it, and a webhook URL's path or query may hold a secret).
[[nodiscard]] std::string url_origin(std::string_view url);

// Inside the caller's transaction (store_plan, approve_message): for each placement id, one pending
// dispatch per enabled target of its outlet or its outlet's kind, due at start − lead, unless the
// pair already has one (a cancelled one is made pending again, with a new webhook id: the approval
// that revives it may be of new content). Placements whose message is not approved (at its current
// version), and aired or missed placements, are skipped. Returns how many dispatches were created
// or revived.
int enqueue_placements(database& db, const std::vector<std::int64_t>& placement_ids);
// Inside the caller's transaction: every planned placement of the message (by campaign and code)
// that starts at or after `now` (the second a re-approval brings placements back from) gets its dispatches (enqueue_placements), except pairs whose due time +
// grace is already past. approve_message calls it with the system clock.
int enqueue_message(database& db, std::string_view campaign_slug, std::string_view message_code, ms_time now);
// Inside the caller's transaction: the message's dispatches that are pending or retrying become
// cancelled ("message no longer approved").
int cancel_message_dispatches(database& db, std::string_view campaign_slug, std::string_view message_code,
                              std::string_view why);

// What the runner needs to send one attempt.
struct claimed_dispatch {
    std::int64_t id = 0;
    std::string webhook_id;
    int attempt = 1;  // 1 for the first attempt
    ms_time due{};
    ms_time lease_until{};
    // the target
    std::int64_t target_id = 0;
    std::string target_name, url, secret;
    std::chrono::seconds retry_window{259200};
    // the placement
    std::int64_t placement_id = 0;
    std::string campaign;  // slug
    std::string message;   // code
    std::string outlet;    // slug
    std::chrono::sys_seconds start{};
    int duration_s = 0;
    std::string daypart;
    std::string placement_state;
    // The target's concurrency (attempts at once: the runner starts no more), and what
    // release_claims puts back: the row's state and next attempt time before the claim.
    int concurrency = 1;
    bool was_retrying = false;
    ms_time waiting_since{};
};

// Start-up recovery: every in_flight row whose lease ended before `now` becomes retrying, due at
// once (its next attempt time stays the lost attempt's start, which claim_due set; so a `now` far
// ahead, to take back every lease, is fine). Its attempt is recorded with outcome lease_expired.
// Returns how many.
int take_back_expired_leases(database& db, ms_time now);

// The note a placement gets when the dispatcher marks it missed (mark_missed below), and the
// target read back from such a note (nullopt for any other note, e.g. an outlet's as-run words):
// one definition, so that pages can say the note in their language and as loa's.
[[nodiscard]] std::string missed_by_dispatcher_note(std::string_view target_name);
[[nodiscard]] std::optional<std::string> missed_by_dispatcher_target(std::string_view note);
// Likewise the dispatch's own last_error when mark_missed moves it ("not delivered within its grace
// period (15 min): …"), and the grace in seconds read back from it (nullopt for any other error).
[[nodiscard]] std::string missed_error(std::int64_t grace_s);
[[nodiscard]] std::optional<std::int64_t> missed_error_grace(std::string_view error);
// A grace period in its largest whole unit, as missed_error names it (and a page should):
// 7200 s → {2, "h"}, 900 s → {15, "min"}, 90 s → {90, "s"}.
struct grace_amount {
    std::int64_t n = 0;
    std::string_view unit;  // "h", "min" or "s"
};
[[nodiscard]] grace_amount grace_in_units(std::int64_t grace_s);

// Catch-up after downtime: pending rows whose next_attempt_ms + grace is before `now` (loa was down
// or the queue fell behind) become missed instead of sending a stale message, and their placements
// still planned (not yet delivered to any receiver: a published one stays) become missed with the note "not delivered to <target> within its grace
// period" and an audit row (actor "dispatcher"), so the planner proposes a make-good. Rows of
// disabled targets count too. Retrying rows are not missed: they are retried until the retry window
// ends. Returns how many.
int mark_missed(database& db, ms_time now);

// One transaction: mark_missed(now), then up to `limit` rows in state pending or retrying with
// next_attempt_ms <= now, of enabled targets, earliest first (then id), never more in flight per
// target than `depth` × its concurrency, become in_flight with lease_until = now + lease and
// attempts + 1 (next_attempt_ms becomes now: the attempt's start). The runner claims with depth 4
// (runner_settings::claim_depth): the attempts on the wire and three times as many held ready to
// start the moment one ends (it never has more than the concurrency on the wire). std::invalid_argument when limit < 1, lease <= 0 or depth < 1.
// When `missed` is given, it receives mark_missed's count; when `next` is given, what
// next_due(depth) would answer right after the claim (found from the free slots the claim counted).
[[nodiscard]] std::vector<claimed_dispatch> claim_due(database& db, ms_time now, std::chrono::milliseconds lease,
                                                      int limit, int* missed = nullptr,
                                                      std::optional<ms_time>* next = nullptr, int depth = 1);

// What the runner re-reads for the rows it holds ready when others wrote to the database: each
// target's id, whether it may be sent to (enabled, not removed) and its concurrency; and every row
// in flight as (id, attempt), by id (a ready row missing from it was deleted by a re-plan, say).
struct target_state {
    std::int64_t id = 0;
    bool usable = false;
    int concurrency = 1;
};
[[nodiscard]] std::vector<target_state> target_states(database& db);
[[nodiscard]] std::vector<std::pair<std::int64_t, int>> in_flight_rows(database& db);

// The runner, for claimed rows it did not send (it is stopping, or their target was disabled):
// each row still in flight with that attempt number gets back its state, attempt count and next
// attempt time from before the claim (its first attempt time is cleared when it had no attempt
// before), or becomes cancelled when its target was removed meanwhile. No attempt is recorded:
// none was made. One transaction; returns how many rows moved.
int release_claims(database& db, const std::vector<claimed_dispatch>& rows);

// The outcome of one attempt, as the retry policy decided it (scheduler/dispatch/retry_policy.hpp).
struct attempt_record {
    std::int64_t dispatch_id = 0;
    int attempt = 1;
    ms_time started{}, finished{};
    std::optional<int> status;  // HTTP status; nullopt when there was no response
    std::string error;          // "" on success; else what went wrong, for people
    std::string body;           // the body sent (as signed)
    // How many bytes at the end of `body` many dispatches send alike (the runner: all but the
    // timestamp, placement id and webhook id). That part is stored once (dispatch_body_parts) and
    // the row keeps the rest and a reference to it: sent_body gives the whole body back, byte for
    // byte. 0: the whole body is kept in the row.
    std::size_t shared_tail = 0;
    enum class outcome { delivered, retry, dead, disabled } result = outcome::delivered;
    ms_time next_attempt{};  // for retry
};

// Records the attempt and moves the row (only when it is still in_flight with this attempt number;
// returns false otherwise, e.g. after a re-plan deleted it): delivered (its placement planned →
// published; published, aired or missed ones stay), retrying at next_attempt (cancelled when the
// target was removed meanwhile), dead, or dead with the target disabled (410; the reason names the
// status, URL and time; audit "dispatch_target" "disable" by "dispatcher").
bool complete_attempt(database& db, const attempt_record& r);
// Many at once, one transaction (the runner batches completions). Returns how many applied.
int complete_attempts(database& db, const std::vector<attempt_record>& rs);

// The runner's turn, one transaction: complete_attempts(finished), then (when limit > 0) what
// claim_due(now, lease, limit) does, with the slots the finished attempts freed. Nothing is
// claimed unless everything commits. `missed`, `next` (when given, and limit > 0) and `depth` as
// claim_due's.
[[nodiscard]] std::vector<claimed_dispatch> complete_and_claim(database& db, const std::vector<attempt_record>& finished,
                                                               ms_time now, std::chrono::milliseconds lease, int limit,
                                                               int* missed = nullptr,
                                                               std::optional<ms_time>* next = nullptr,
                                                               int depth = 1);

// change_stamp and take_change_stamp (what the runner keeps its reads by) are in database.hpp.

// The runner, for a claimed row whose body cannot be built (message no longer approved, outlet
// gone): in_flight → cancelled with `why` as last_error. Returns false when not in flight.
bool cancel_dispatch(database& db, std::int64_t id, std::string_view why);

// What an operator's requeue or retry did: moved, or why not (in this order: no such dispatch; a
// state the action does not take; its target removed; its target disabled, which is sent nothing
// and would only leave the row waiting until its grace ran out). True when moved.
struct operator_outcome {
    enum class result { moved, no_dispatch, wrong_state, target_removed, target_disabled };
    result value = result::moved;
    explicit operator bool() const noexcept { return value == result::moved; }
};

// Operator: a dead, missed or cancelled dispatch becomes pending, due now (attempt count kept;
// its placement's state is left alone). Audit "dispatch" "requeue" (before/after state).
operator_outcome requeue_dispatch(database& db, std::int64_t id, ms_time now, const audit_actor& who);
// Operator: a retrying or pending dispatch is attempted now. Audit "dispatch" "retry".
operator_outcome retry_now(database& db, std::int64_t id, ms_time now, const audit_actor& who);

// The earliest next_attempt_ms of a pending or retrying row of an enabled target that has a free
// slot (fewer rows in flight than `depth` × its concurrency, as claim_due counts), if any.
[[nodiscard]] std::optional<ms_time> next_due(database& db, int depth = 1);

struct dispatch_row {
    std::int64_t id = 0;
    std::string webhook_id, state, target, campaign, message, outlet;
    std::chrono::sys_seconds start{};
    ms_time due{}, next_attempt{};
    std::optional<ms_time> delivered;
    int attempts = 0;
    std::optional<int> last_status;
    std::string last_error;
};
struct dispatch_filter {
    std::string state;     // "" = any
    std::string target;    // target name, "" = any
    std::string campaign;  // slug, "" = any
    int limit = 100, offset = 0;
};
// Newest due first. std::invalid_argument ("state: …") for a state not in dispatch_states; limit
// is clamped to 1–1000 and offset to >= 0 (as audit_query); an unknown target or campaign matches
// nothing.
[[nodiscard]] std::vector<dispatch_row> list_dispatches(database& db, const dispatch_filter& f);
[[nodiscard]] std::optional<dispatch_row> find_dispatch(database& db, std::int64_t id);

struct attempt_row {
    int attempt = 0;
    ms_time started{}, finished{};
    std::optional<int> status;
    std::string error, outcome;
};
[[nodiscard]] std::vector<attempt_row> list_attempts(database& db, std::int64_t dispatch_id);

// The body of the dispatch's last attempt, exactly as it was signed and sent; nullopt when it has
// had no recorded attempt (or there is no such dispatch). (In SQL: the view dispatch_sent_bodies.)
[[nodiscard]] std::optional<std::string> sent_body(database& db, std::int64_t dispatch_id);

struct outbox_status {
    std::vector<std::pair<std::string, std::int64_t>> by_state;  // every state of dispatch_states, in order
    std::int64_t due_now = 0;                                     // pending/retrying, next_attempt <= now, enabled target
    std::optional<ms_time> oldest_due;                            // among those
    std::int64_t targets = 0, targets_disabled = 0;
};
[[nodiscard]] outbox_status dispatch_status(database& db, ms_time now);

}  // namespace loa::core
