// The audit log: who changed what and when, written inside the caller's transaction, and queried with
// filters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace loa::core {

// Who makes a change: the signed-in user, or the command line (no user id). Shared by every store
// that writes audit rows.
struct audit_actor {
    std::optional<std::int64_t> user_id;  // nullopt for the command line
    std::string name;                     // shown in the log
};

// One change. `before_json`/`after_json` are JSON documents (the caller serializes; nullopt = none,
// e.g. no "before" for a create). `entity` names the kind of row ("message", "activity", "user", …)
// and `entity_key` its stable key (code, slug, name). `actor` is the user's name as shown in the log
// (kept even if the user is later renamed or removed); `user_id` is nullopt for the CLI or imports.
struct audit_entry {
    std::optional<std::int64_t> user_id;
    std::string actor;
    std::optional<std::int64_t> campaign_id;
    std::string entity;
    std::string entity_key;
    std::string action;  // "create", "edit", "submit", "approve", "reject", "cancel", …
    std::optional<std::string> before_json;
    std::optional<std::string> after_json;
};

// Appends `e` with `at` = now (UTC, ISO 8601 with milliseconds, "2024-07-30T01:02:03.456Z").
// Call it INSIDE the transaction that makes the change, so the row and the change commit or roll back
// together; it opens no transaction itself. Throws SQLite::Exception on database failure.
// Not thread-safe beyond the connection it is given.
void record_audit(SQLite::Database& db, const audit_entry& e);

// record_audit() for a change of `entity` `key` of a campaign by `who` (same rules).
void record_change(SQLite::Database& db, const audit_actor& who, std::int64_t campaign_id, std::string entity,
                   std::string key, std::string action, std::optional<std::string> before,
                   std::optional<std::string> after);

// What the audit log keeps of a placement in a change of its state ({"state", "aired_at" (null
// when it has not aired), "note"}): one shape for the planner's, the dispatcher's and the as-run
// reports' changes, so that the log compares them field by field.
[[nodiscard]] std::string placement_audit_json(const std::string& state, const std::optional<std::string>& aired_at,
                                               const std::string& note);

struct audit_record {
    std::int64_t id = 0;
    std::string at;  // UTC ISO 8601
    std::optional<std::int64_t> user_id;
    std::string actor;
    std::optional<std::int64_t> campaign_id;
    std::string campaign_slug;  // '' when none
    std::string entity;
    std::string entity_key;
    std::string action;
    std::optional<std::string> before_json;
    std::optional<std::string> after_json;
};

// Every filter is optional; set ones combine with AND. `from`/`to` compare with `at` as text:
// a date "YYYY-MM-DD" or a full UTC timestamp; `to` given as a bare date includes that whole day.
// `actor` matches the actor name exactly (case-insensitive).
struct audit_query {
    std::optional<std::string> entity;
    std::optional<std::string> entity_key;
    std::optional<std::string> action;
    std::optional<std::string> actor;
    std::optional<std::int64_t> user_id;
    std::optional<std::int64_t> campaign_id;
    std::optional<std::string> campaign_slug;
    std::optional<std::string> from;
    std::optional<std::string> to;
    int limit = 50;  // clamped to 1..1000
    int offset = 0;  // clamped to >= 0
};

struct audit_page {
    std::vector<audit_record> records;  // newest first (at, then id, descending)
    std::int64_t total = 0;             // rows matching the filters, ignoring limit/offset
};

// Reads the log. Throws SQLite::Exception on database failure. Not thread-safe beyond the connection.
[[nodiscard]] audit_page query_audit(SQLite::Database& db, const audit_query& q);

// Distinct values present in the log, sorted, for filter drop-downs.
[[nodiscard]] std::vector<std::string> audit_entities(SQLite::Database& db);
[[nodiscard]] std::vector<std::string> audit_actions(SQLite::Database& db);
// The commands' two spellings of themselves, "cli" and "(command line)", are one actor: listed as
// "cli", and a filter on either finds both.
[[nodiscard]] std::vector<std::string> audit_actors(SQLite::Database& db);

// The current time as stored in `at` (UTC, ISO 8601 with milliseconds).
[[nodiscard]] std::string audit_now_utc();

}  // namespace loa::core
