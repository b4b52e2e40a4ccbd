// Accounts, server-side sessions and login failures in the store. Functions take the caller's
// database (one connection per thread; none is thread-safe beyond that) and, where time matters, the
// current time as a parameter, so expiry is tested without sleeping. Database failures throw
// SQLite::Exception. Every statement is prepared with bound values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

using sys_time = std::chrono::system_clock::time_point;

struct user_record {
    std::int64_t id = 0;
    std::string name;
    std::string role;        // admin | approver | editor | viewer
    std::string department;  // department code (editors), else ''
    std::string language;    // '', 'vi' or 'en'
    bool disabled = false;
    std::string created_at;  // UTC ISO 8601
    std::string updated_at;
};

struct new_user {
    std::string name;
    std::string password_hash;  // an argon2id string from app::hash_password; never the password
    std::string role;
    std::string department;  // required for editors
    std::string language;    // '', 'vi' or 'en'
};

enum class user_write { ok, name_taken, invalid, not_found };

// What the audit log keeps of a user (before_json/after_json of entity "user"): role, department,
// language and whether it is disabled; never the password hash.
[[nodiscard]] std::string user_json(std::string_view role, std::string_view department, std::string_view language,
                                    bool disabled);

// Every change below writes an audit_log row (entity "user", key = the user's name; before/after
// hold role, department, language and disabled — never the hash) in the change's transaction.
// `actor` is the name shown in the log: a user's name for changes made in the web forms (its id is
// recorded too), or e.g. "(command line)" for the CLI.

// Names are stored in Unicode NFC and compared by their caseless key (core::caseless_key: NFC, then
// Unicode case folding), kept in users.name_key: "Lê Thị Giáo" typed precomposed or decomposed (macOS,
// some Vietnamese input methods) and "LÊ THỊ GIÁO" are one name. Every function below that takes a
// name finds the user that way.

// Validates and inserts `u` in one transaction, with its name in NFC. `invalid` when the name is empty,
// longer than 64 bytes (in NFC), not UTF-8, has control characters, starts or ends with a space or
// starts with '(', the role is unknown, an editor has no department or the language is not '', 'vi' or
// 'en'; `name_taken` when a user of that name exists. `id`, when given, receives the new id.
user_write create_user(database& db, const new_user& u, std::string_view actor, std::int64_t* id = nullptr);

// Every user, disabled ones too, ordered by name.
[[nodiscard]] std::vector<user_record> list_users(database& db);

// The user of that name (by caseless key), disabled or not.
[[nodiscard]] std::optional<user_record> find_user(database& db, std::string_view name);

// The stored argon2id hash of an enabled user; nullopt for unknown or disabled users.
[[nodiscard]] std::optional<std::pair<user_record, std::string>> find_login(database& db,
                                                                            std::string_view name);

// True when at least one enabled admin exists.
[[nodiscard]] bool has_admin(database& db);

// Marks the user disabled and deletes all of its sessions (one transaction, audited).
user_write disable_user(database& db, std::string_view name, std::string_view actor);

// Replaces the user's password hash and ends its sessions (audited; the hash is not logged).
user_write set_password_hash(database& db, std::string_view name, const std::string& password_hash,
                             std::string_view actor);

// Replaces the user's password hash with `new_hash` when it is still `checked_hash` (the one a login
// just verified), without ending sessions or an audit row: the password is the same, only its hash is
// remade (a hash of a decomposed password from before passwords were normalized, see
// app::password_match). False when the hash changed meanwhile or the user is gone.
bool replace_password_hash(database& db, std::int64_t user_id, const std::string& checked_hash,
                           const std::string& new_hash);

// Sets the preferred language ('', 'vi', 'en'; else `invalid`), audited (nothing is written when it
// does not change).
user_write set_language(database& db, std::int64_t user_id, std::string_view language,
                        std::string_view actor);

// The codes of every active department in every stored campaign, sorted, without repeats (to check
// an editor's department).
[[nodiscard]] std::vector<std::string> known_department_codes(database& db);

// ---- Sessions --------------------------------------------------------------------------------

struct session_limits {
    std::chrono::seconds idle{30 * 60};          // unused this long → expired
    std::chrono::seconds absolute{8 * 60 * 60};  // after login this long → expired, used or not
    std::chrono::seconds touch_every{60};        // last_seen_at is written at most this often
};

// A new session as the client gets it: `id` is the cookie value (32 random bytes from libsodium,
// base64url, 43 characters); the store keeps only its SHA-256. `csrf_token` is the synchronizer token
// (32 random bytes, base64url).
struct new_session {
    std::string id;
    std::string csrf_token;
};

struct session_user {
    user_record user;
    std::string csrf_token;
    // The name of the user's department, for pages: from the latest active campaign that has a
    // department of that code, else from an archived one; empty when no campaign has it (or the user
    // has no department); its English name is empty when the campaign gives none.
    localized department_name;
};

// Creates a session for `user_id` at `now`. When `replaces` is given (the cookie the browser sent at
// login), that session is deleted in the same transaction: a session id is never carried across a
// login (rotation), so a planted id is worthless.
[[nodiscard]] new_session create_session(database& db, std::int64_t user_id, sys_time now,
                                         const session_limits& limits,
                                         std::optional<std::string_view> replaces = std::nullopt);

// The session's user when `id` names a live session of an enabled user at `now`: not idle for
// `limits.idle` and younger than `limits.absolute`. A session found expired is deleted. last_seen_at
// is updated when it is older than `limits.touch_every`.
[[nodiscard]] std::optional<session_user> find_session(database& db, std::string_view id, sys_time now,
                                                       const session_limits& limits);

// Deletes the session (logout); false when there was none.
bool delete_session(database& db, std::string_view id);

// Deletes every session of the user; returns how many.
int delete_user_sessions(database& db, std::int64_t user_id);

// Deletes every session expired at `now`; returns how many.
int purge_expired_sessions(database& db, sys_time now, const session_limits& limits);

// ---- Login failures (throttling) -------------------------------------------------------------

// The throttling keys: "account:<the name's caseless key>", "address:<address>", and for the
// account from one address both, joined by a tab.
[[nodiscard]] std::string account_key(std::string_view name);
[[nodiscard]] std::string address_key(std::string_view address);
[[nodiscard]] std::string account_at_address_key(std::string_view name, std::string_view address);

// Records one failed login for the account, the address, and the account from that address at
// `now`: the three rows' ids.
struct login_failure_rows {
    std::int64_t account = 0;
    std::int64_t address = 0;
    std::int64_t account_at_address = 0;
};
login_failure_rows record_login_failure(database& db, std::string_view name, std::string_view address, sys_time now);
// Deletes the three rows of one recorded failure (an attempt counted before its password was
// checked, which then matched).
void forget_login_failure(database& db, const login_failure_rows& rows);

struct failure_counts {
    int account = 0;             // from every address
    int address = 0;             // of every account
    int account_at_address = 0;  // of the account from this address
};

// Failures for the account, for the address, and for the account from the address at or after
// `since`.
[[nodiscard]] failure_counts count_login_failures(database& db, std::string_view name,
                                                  std::string_view address, sys_time since);

// The failure at or after `since` for `key` that has `skip` older ones in the window (skip = 0: the
// oldest), to whole seconds, so the caller can say when the count drops below a limit.
[[nodiscard]] std::optional<sys_time> oldest_login_failure(database& db, std::string_view key, sys_time since,
                                                           int skip = 0);

// Forgets the account's failures, from every address (after a successful login; the address's
// own stay).
void clear_account_failures(database& db, std::string_view name);

// Deletes failures older than `before`; returns how many.
int purge_login_failures(database& db, sys_time before);

// `t` as stored: UTC ISO 8601 with milliseconds, "2024-07-30T01:02:03.456Z" (fixed width, so text
// order is time order).
[[nodiscard]] std::string utc_text(sys_time t);

// SHA-256 of a session id as stored (lower-case hex).
[[nodiscard]] std::string session_id_hash(std::string_view id);

// `n` random bytes from libsodium as base64url without padding.
[[nodiscard]] std::string random_token(std::size_t n = 32);

}  // namespace loa::core
