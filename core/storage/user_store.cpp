// Users, sessions and login failures on SQLite: prepared statements, one transaction per change.
#include "core/storage/user_store.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/date.h>
#include <sodium.h>

#include "core/storage/audit_store.hpp"
#include "core/text/unicode.hpp"
#include "core/time/iso8601.hpp"

namespace loa::core {

namespace {

void ensure_sodium() {
    // sodium_init is thread-safe and idempotent; < 0 means no usable random source.
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

bool valid_role(std::string_view r) {
    return r == "admin" || r == "approver" || r == "editor" || r == "viewer";
}
bool valid_language(std::string_view l) {
    return l.empty() || l == "vi" || l == "en";
}

// `n` in NFC (as create_user stores it).
bool valid_name(std::string_view n) {
    if (n.empty() || n.size() > 64 || !is_valid_utf8(n)) return false;
    for (const char c : n) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return false;
    }
    // "(command line)" and the like are the audit log's non-user actors.
    return n.front() != ' ' && n.back() != ' ' && n.front() != '(';
}

constexpr const char* user_columns = "id, name, role, department, language, disabled, created_at, updated_at";

user_record read_user(SQLite::Statement& st) {
    user_record u;
    u.id = st.getColumn(0).getInt64();
    u.name = st.getColumn(1).getString();
    u.role = st.getColumn(2).getString();
    u.department = st.getColumn(3).getString();
    u.language = st.getColumn(4).getString();
    u.disabled = st.getColumn(5).getInt() != 0;
    u.created_at = st.getColumn(6).getString();
    u.updated_at = st.getColumn(7).getString();
    return u;
}

// Names are found by their caseless key (NFC, Unicode case folding): "LÊ THỊ GIÁO" and a decomposed
// "Lê Thị Giáo" find "Lê Thị Giáo".
std::optional<std::int64_t> user_id_by_name(SQLite::Database& db, std::string_view name) {
    SQLite::Statement st(db, "SELECT id FROM users WHERE name_key = ?");
    st.bind(1, caseless_key(name));
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getInt64();
}

int delete_sessions_of(SQLite::Database& db, std::int64_t user_id) {
    SQLite::Statement st(db, "DELETE FROM sessions WHERE user_id = ?");
    st.bind(1, user_id);
    return st.exec();
}

std::string now_text() {
    return utc_text(std::chrono::system_clock::now());
}

// Appends the audit row of a change to user `name` (inside the caller's transaction). The actor's
// user id is recorded when `actor` names a user (web changes), else none (the command line).
void audit_user(SQLite::Database& db, std::string_view actor, std::string_view name, std::string_view action,
                std::optional<std::string> before, std::optional<std::string> after) {
    audit_entry e;
    e.user_id = user_id_by_name(db, actor);
    e.actor = std::string(actor);
    e.entity = "user";
    e.entity_key = std::string(name);
    e.action = std::string(action);
    e.before_json = std::move(before);
    e.after_json = std::move(after);
    record_audit(db, e);
}

}  // namespace

namespace {

void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            static constexpr std::string_view hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace

std::string user_json(std::string_view role, std::string_view department, std::string_view language,
                      bool disabled) {
    std::string j = "{\"role\":";
    json_string(j, role);
    j += ",\"department\":";
    json_string(j, department);
    j += ",\"language\":";
    json_string(j, language);
    j += ",\"disabled\":";
    j += disabled ? "true" : "false";
    j += "}";
    return j;
}

std::string utc_text(sys_time t) {
    return iso_utc_ms(date::floor<std::chrono::milliseconds>(t));
}

std::string session_id_hash(std::string_view id) {
    ensure_sodium();
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(id.data()), id.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return {hex.data()};
}

std::string random_token(std::size_t n) {
    ensure_sodium();
    std::vector<unsigned char> bytes(n);
    randombytes_buf(bytes.data(), bytes.size());
    const std::size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    std::string out(len, '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(len - 1);  // the encoded length counts the terminating NUL
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

// ---- Users -------------------------------------------------------------------------------------

user_write create_user(database& db, const new_user& u, std::string_view actor, std::int64_t* id) {
    const std::string name = to_nfc(u.name);
    if (!valid_name(name) || !valid_role(u.role) || !valid_language(u.language)) return user_write::invalid;
    if (u.role == "editor" && u.department.empty()) return user_write::invalid;
    if (u.password_hash.empty()) return user_write::invalid;
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    if (user_id_by_name(sql, name)) return user_write::name_taken;
    const std::string now = now_text();
    SQLite::Statement st(sql,
                         "INSERT INTO users (name, name_key, password_hash, role, department, language, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, name);
    st.bind(2, caseless_key(name));
    st.bind(3, u.password_hash);
    st.bind(4, u.role);
    st.bind(5, u.department);
    st.bind(6, u.language);
    st.bind(7, now);
    st.bind(8, now);
    st.exec();
    const std::int64_t new_id = sql.getLastInsertRowid();
    audit_user(sql, actor, name, "create", std::nullopt,
               user_json(u.role, u.department, u.language, false));
    tx.commit();
    if (id) *id = new_id;
    return user_write::ok;
}

std::vector<user_record> list_users(database& db) {
    SQLite::Statement st(db.sql(), std::string("SELECT ") + user_columns + " FROM users ORDER BY name, id");
    std::vector<user_record> out;
    while (st.executeStep()) out.push_back(read_user(st));
    return out;
}

std::optional<user_record> find_user(database& db, std::string_view name) {
    SQLite::Statement st(db.sql(), std::string("SELECT ") + user_columns + " FROM users WHERE name_key = ?");
    st.bind(1, caseless_key(name));
    if (!st.executeStep()) return std::nullopt;
    return read_user(st);
}

std::optional<std::pair<user_record, std::string>> find_login(database& db, std::string_view name) {
    SQLite::Statement st(db.sql(), std::string("SELECT ") + user_columns +
                                       ", password_hash FROM users WHERE name_key = ? AND disabled = 0");
    st.bind(1, caseless_key(name));
    if (!st.executeStep()) return std::nullopt;
    user_record u = read_user(st);
    std::string hash = st.getColumn(8).getString();
    return std::make_pair(std::move(u), std::move(hash));
}

bool has_admin(database& db) {
    SQLite::Statement st(db.sql(), "SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1");
    return st.executeStep();
}

user_write disable_user(database& db, std::string_view name, std::string_view actor) {
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto before = find_user(db, name);
    if (!before) return user_write::not_found;
    SQLite::Statement st(sql, "UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?");
    st.bind(1, now_text());
    st.bind(2, before->id);
    st.exec();
    delete_sessions_of(sql, before->id);
    audit_user(sql, actor, before->name, "disable",
               user_json(before->role, before->department, before->language, before->disabled),
               user_json(before->role, before->department, before->language, true));
    tx.commit();
    return user_write::ok;
}

user_write set_password_hash(database& db, std::string_view name, const std::string& password_hash,
                             std::string_view actor) {
    if (password_hash.empty()) return user_write::invalid;
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto user = find_user(db, name);
    if (!user) return user_write::not_found;
    SQLite::Statement st(sql, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
    st.bind(1, password_hash);
    st.bind(2, now_text());
    st.bind(3, user->id);
    st.exec();
    delete_sessions_of(sql, user->id);
    audit_user(sql, actor, user->name, "password", std::nullopt, std::nullopt);
    tx.commit();
    return user_write::ok;
}

bool replace_password_hash(database& db, std::int64_t user_id, const std::string& checked_hash,
                           const std::string& new_hash) {
    if (new_hash.empty()) return false;
    SQLite::Statement st(db.sql(), "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
    st.bind(1, new_hash);
    st.bind(2, user_id);
    st.bind(3, checked_hash);
    return st.exec() > 0;
}

user_write set_language(database& db, std::int64_t user_id, std::string_view language,
                        std::string_view actor) {
    if (!valid_language(language)) return user_write::invalid;
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement get(sql, std::string("SELECT ") + user_columns + " FROM users WHERE id = ?");
    get.bind(1, user_id);
    if (!get.executeStep()) return user_write::not_found;
    const user_record before = read_user(get);
    get.reset();
    if (before.language == language) return user_write::ok;  // nothing changes, nothing to log
    SQLite::Statement st(sql, "UPDATE users SET language = ?, updated_at = ? WHERE id = ?");
    st.bind(1, std::string(language));
    st.bind(2, now_text());
    st.bind(3, user_id);
    st.exec();
    audit_user(sql, actor, before.name, "language",
               user_json(before.role, before.department, before.language, before.disabled),
               user_json(before.role, before.department, language, before.disabled));
    tx.commit();
    return user_write::ok;
}

std::vector<std::string> known_department_codes(database& db) {
    SQLite::Statement st(db.sql(),
                         "SELECT DISTINCT d.code FROM departments d JOIN campaigns c ON c.id = d.campaign_id "
                         "WHERE d.archived = 0 AND c.archived = 0 ORDER BY d.code");
    std::vector<std::string> out;
    while (st.executeStep()) out.push_back(st.getColumn(0).getString());
    return out;
}

// ---- Sessions ----------------------------------------------------------------------------------

new_session create_session(database& db, std::int64_t user_id, sys_time now, const session_limits& limits,
                           std::optional<std::string_view> replaces) {
    new_session s{random_token(32), random_token(32)};
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    if (replaces) {
        SQLite::Statement del(sql, "DELETE FROM sessions WHERE id_hash = ?");
        del.bind(1, session_id_hash(*replaces));
        del.exec();
    }
    const std::string at = utc_text(now);
    SQLite::Statement st(
        sql,
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, session_id_hash(s.id));
    st.bind(2, user_id);
    st.bind(3, s.csrf_token);
    st.bind(4, at);
    st.bind(5, at);
    st.bind(6, utc_text(now + limits.absolute));
    st.exec();
    tx.commit();
    return s;
}

std::optional<session_user> find_session(database& db, std::string_view id, sys_time now,
                                         const session_limits& limits) {
    if (id.empty() || id.size() > 128) return std::nullopt;
    auto& sql = db.sql();
    const std::string hash = session_id_hash(id);
    SQLite::Statement st(sql,
                         "SELECT u.id, u.name, u.role, u.department, u.language, u.disabled, u.created_at, "
                         "u.updated_at, s.csrf_token, s.last_seen_at, s.expires_at "
                         "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?");
    st.bind(1, hash);
    if (!st.executeStep()) return std::nullopt;
    session_user out{read_user(st), st.getColumn(8).getString(), {}};
    const std::string last_seen = st.getColumn(9).getString();
    const std::string expires = st.getColumn(10).getString();
    st.reset();

    const std::string now_s = utc_text(now);
    const bool expired = expires <= now_s || last_seen <= utc_text(now - limits.idle) || out.user.disabled;
    if (expired) {
        SQLite::Statement del(sql, "DELETE FROM sessions WHERE id_hash = ?");
        del.bind(1, hash);
        del.exec();
        return std::nullopt;
    }
    if (last_seen <= utc_text(now - limits.touch_every)) {
        SQLite::Statement touch(sql, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?");
        touch.bind(1, now_s);
        touch.bind(2, hash);
        touch.exec();
    }
    if (!out.user.department.empty()) {
        // Active departments of active campaigns first, then the latest campaign. Every signed-in
        // request reads it: from the statement cache.
        const statement_lease dep = db.cached(
            "SELECT d.name_vi, d.name_en FROM departments d "
            "JOIN campaigns c ON c.id = d.campaign_id WHERE d.code = ? "
            "ORDER BY (d.archived OR c.archived), c.period_end DESC, c.id DESC LIMIT 1");
        dep->bind(1, out.user.department);
        if (dep->executeStep()) {
            out.department_name = {dep->getColumn(0).getString(), dep->getColumn(1).getString()};
        }
    }
    return out;
}

bool delete_session(database& db, std::string_view id) {
    SQLite::Statement st(db.sql(), "DELETE FROM sessions WHERE id_hash = ?");
    st.bind(1, session_id_hash(id));
    return st.exec() > 0;
}

int delete_user_sessions(database& db, std::int64_t user_id) {
    return delete_sessions_of(db.sql(), user_id);
}

int purge_expired_sessions(database& db, sys_time now, const session_limits& limits) {
    SQLite::Statement st(db.sql(), "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?");
    st.bind(1, utc_text(now));
    st.bind(2, utc_text(now - limits.idle));
    return st.exec();
}

// ---- Login failures ----------------------------------------------------------------------------

std::string account_key(std::string_view name) {
    return "account:" + caseless_key(name);
}

std::string address_key(std::string_view address) {
    return "address:" + std::string(address);
}

std::string account_at_address_key(std::string_view name, std::string_view address) {
    return account_key(name) + "\t" + address_key(address);
}

login_failure_rows record_login_failure(database& db, std::string_view name, std::string_view address, sys_time now) {
    auto& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement st(sql, "INSERT INTO login_failures (key, at) VALUES (?, ?)");
    const std::string at = utc_text(now);
    login_failure_rows rows;
    st.bind(1, account_key(name));
    st.bind(2, at);
    st.exec();
    rows.account = sql.getLastInsertRowid();
    st.reset();
    st.bind(1, address_key(address));
    st.bind(2, at);
    st.exec();
    rows.address = sql.getLastInsertRowid();
    st.reset();
    st.bind(1, account_at_address_key(name, address));
    st.bind(2, at);
    st.exec();
    rows.account_at_address = sql.getLastInsertRowid();
    tx.commit();
    return rows;
}

void forget_login_failure(database& db, const login_failure_rows& rows) {
    SQLite::Statement st(db.sql(), "DELETE FROM login_failures WHERE rowid IN (?, ?, ?)");
    st.bind(1, rows.account);
    st.bind(2, rows.address);
    st.bind(3, rows.account_at_address);
    st.exec();
}

namespace {

int count_key(SQLite::Database& sql, const std::string& key, const std::string& since) {
    SQLite::Statement st(sql, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?");
    st.bind(1, key);
    st.bind(2, since);
    st.executeStep();
    return st.getColumn(0).getInt();
}

}  // namespace

failure_counts count_login_failures(database& db, std::string_view name, std::string_view address,
                                    sys_time since) {
    const std::string s = utc_text(since);
    return failure_counts{count_key(db.sql(), account_key(name), s), count_key(db.sql(), address_key(address), s),
                          count_key(db.sql(), account_at_address_key(name, address), s)};
}

std::optional<sys_time> oldest_login_failure(database& db, std::string_view key, sys_time since, int skip) {
    // SQLite reads the stored "…Z" timestamps itself; whole seconds are enough for Retry-After.
    SQLite::Statement st(
        db.sql(),
        "SELECT CAST(strftime('%s', at) AS INTEGER) FROM login_failures WHERE key = ? AND at >= ? "
        "ORDER BY at LIMIT 1 OFFSET ?");
    st.bind(1, std::string(key));
    st.bind(2, utc_text(since));
    st.bind(3, skip < 0 ? 0 : skip);
    if (!st.executeStep() || st.getColumn(0).isNull()) return std::nullopt;
    return sys_time(std::chrono::seconds(st.getColumn(0).getInt64()));
}

void clear_account_failures(database& db, std::string_view name) {
    // The account's own key, and every "<account>\t<address>" key: the range [key + tab, key + LF).
    SQLite::Statement st(db.sql(), "DELETE FROM login_failures WHERE key = ?1 OR (key >= ?2 AND key < ?3)");
    const std::string key = account_key(name);
    st.bind(1, key);
    st.bind(2, key + "\t");
    st.bind(3, key + "\n");
    st.exec();
}

int purge_login_failures(database& db, sys_time before) {
    SQLite::Statement st(db.sql(), "DELETE FROM login_failures WHERE at < ?");
    st.bind(1, utc_text(before));
    return st.exec();
}

}  // namespace loa::core
