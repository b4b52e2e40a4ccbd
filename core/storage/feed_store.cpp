// Feed tokens and what the media feeds read, in SQLite (schema v6). Prepared statements only; every
// write is one transaction with its audit row.
#include "core/storage/feed_store.hpp"
#include "core/storage/message_sql.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json/object.hpp>

#include "core/text/unicode.hpp"
#include <boost/json/serialize.hpp>
#include <openssl/evp.h>
#include <sodium.h>

#include "core/time/zone.hpp"

namespace loa::core {
namespace {

namespace json = boost::json;

constexpr std::string_view token_prefix = "loa_ft_";
constexpr std::size_t token_random_bytes = 24;

void ensure_sodium() {
    // sodium_init is thread-safe and idempotent; < 0 means no usable random source.
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string actor_of(const audit_actor& who) {
    return who.user_id ? "user:" + who.name : std::string("cli");
}

void bind_hash(SQLite::Statement& st, int index, const token_hash& h) {
    st.bind(index, h.data(), static_cast<int>(h.size()));
}

token_hash hash_column(const SQLite::Column& c) {
    token_hash h{};
    if (c.getBytes() != static_cast<int>(h.size()))
        throw SQLite::Exception("the database holds a feed token hash that is not 32 bytes");
    const auto* p = static_cast<const unsigned char*>(c.getBlob());
    std::copy(p, p + h.size(), h.begin());
    return h;
}

std::optional<std::string> optional_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

std::string token_audit_json(const std::string& outlet, const std::string& label, const std::string& created_by,
                             const std::optional<std::string>& revoked_at) {
    json::object o;
    o["outlet"] = outlet;
    o["label"] = label;
    o["created_by"] = created_by;
    if (revoked_at) o["revoked_at"] = *revoked_at;
    return json::serialize(o);
}

}  // namespace

std::chrono::sys_seconds stored_utc_instant(std::string_view s) {
    // "YYYY-MM-DDTHH:MM:SS" then "Z", or ".fff…Z" (the audit log's and the reviews' form).
    std::optional<sys_seconds> t;
    if (s.size() >= 20 && s.back() == 'Z' && (s.size() == 20 || s[19] == '.'))
        t = parse_iso8601(std::string(s.substr(0, 19)) + "Z", nullptr);
    if (!t) throw SQLite::Exception("the database holds a malformed UTC instant: '" + std::string(s) + "'");
    return *t;
}

token_hash hash_feed_token(std::string_view token) {
    // OpenSSL's SHA-256, which uses the CPU's SHA instructions where it has them (libsodium's is
    // portable C, twice the time): every feed request hashes its token. The algorithm is fetched
    // once, and each thread keeps one digest context.
    static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> sha256(EVP_MD_fetch(nullptr, "SHA2-256", nullptr),
                                                                        &EVP_MD_free);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    token_hash h{};
    unsigned int size = 0;
    if (sha256 && ctx && EVP_DigestInit_ex2(ctx.get(), sha256.get(), nullptr) == 1 &&
        EVP_DigestUpdate(ctx.get(), token.data(), token.size()) == 1 &&
        EVP_DigestFinal_ex(ctx.get(), h.data(), &size) == 1 && size == h.size())
        return h;
    // OpenSSL without SHA-256 (an odd provider configuration) or out of memory: the same hash from
    // libsodium.
    ensure_sodium();
    crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return h;
}

token_label_problem check_token_label(std::string_view label) {
    for (const unsigned char c : label)
        if (c < 0x20 || c == 0x7f) return token_label_problem::not_one_line;
    if (code_points(label) > feed_token_label_max) return token_label_problem::too_long;
    return token_label_problem::none;
}

issued_token add_feed_token(database& db, std::string_view outlet, std::string_view label,
                            const audit_actor& who) {
    ensure_sodium();
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    if (outlet.empty() || !outlet_exists(db, outlet))
        throw std::invalid_argument("unknown outlet '" + std::string(outlet) + "'");

    unsigned char bytes[token_random_bytes];
    randombytes_buf(bytes, sizeof bytes);
    char b64[sodium_base64_ENCODED_LEN(token_random_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    issued_token out;
    out.token = std::string(token_prefix) + b64;
    sodium_memzero(b64, sizeof b64);

    const std::string slug(outlet);
    const std::string text(label);
    const std::string created_by = actor_of(who);
    SQLite::Statement ins(sql,
                          "INSERT INTO feed_tokens (outlet_slug, token_hash, label, created_at, created_by) "
                          "VALUES (?, ?, ?, ?, ?)");
    ins.bind(1, slug);
    bind_hash(ins, 2, hash_feed_token(out.token));
    ins.bind(3, text);
    ins.bind(4, stored_utc_now());
    ins.bind(5, created_by);
    ins.exec();
    out.id = sql.getLastInsertRowid();

    // The audit row names the token by id; the token itself is never written anywhere.
    record_audit(sql, audit_entry{who.user_id, who.name, std::nullopt, "feed_token", std::to_string(out.id), "add",
                                  std::nullopt, token_audit_json(slug, text, created_by, std::nullopt)});
    tx.commit();
    return out;
}

std::vector<feed_token> list_feed_tokens(database& db, std::string_view outlet) {
    statement_lease lease = db.cached(
        "SELECT id, outlet_slug, label, created_at, created_by, revoked_at, last_used_at "
        "FROM feed_tokens WHERE ?1 = '' OR outlet_slug = ?1 ORDER BY outlet_slug, id");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(outlet));
    std::vector<feed_token> out;
    while (st.executeStep()) {
        feed_token t;
        t.id = st.getColumn(0).getInt64();
        t.outlet = st.getColumn(1).getString();
        t.label = st.getColumn(2).getString();
        t.created_at = st.getColumn(3).getString();
        t.created_by = st.getColumn(4).getString();
        t.revoked_at = optional_text(st.getColumn(5));
        t.last_used_at = optional_text(st.getColumn(6));
        out.push_back(std::move(t));
    }
    return out;
}

bool revoke_feed_token(database& db, std::int64_t id, const audit_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(sql, "SELECT outlet_slug, label, created_by FROM feed_tokens "
                                "WHERE id = ? AND revoked_at IS NULL");
    find.bind(1, id);
    if (!find.executeStep()) return false;
    const std::string outlet = find.getColumn(0).getString();
    const std::string label = find.getColumn(1).getString();
    const std::string created_by = find.getColumn(2).getString();
    const std::string now = stored_utc_now();
    SQLite::Statement upd(sql, "UPDATE feed_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    upd.bind(1, now);
    upd.bind(2, id);
    if (upd.exec() != 1) return false;
    record_audit(sql, audit_entry{who.user_id, who.name, std::nullopt, "feed_token", std::to_string(id), "revoke",
                                  token_audit_json(outlet, label, created_by, std::nullopt),
                                  token_audit_json(outlet, label, created_by, now)});
    tx.commit();
    return true;
}

std::vector<live_token> live_feed_tokens(database& db) {
    statement_lease lease = db.cached(
        "SELECT id, outlet_slug, token_hash FROM feed_tokens WHERE revoked_at IS NULL "
        "ORDER BY outlet_slug, id");
    SQLite::Statement& st = *lease;
    std::vector<live_token> out;
    while (st.executeStep()) {
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getString(), hash_column(st.getColumn(2))});
    }
    return out;
}

std::optional<live_token> find_feed_token(database& db, std::string_view outlet, std::string_view token) {
    if (outlet.empty() || !token.starts_with(token_prefix)) return std::nullopt;
    const token_hash h = hash_feed_token(token);
    statement_lease lease = db.cached(
        "SELECT id, outlet_slug FROM feed_tokens "
        "WHERE token_hash = ? AND outlet_slug = ? AND revoked_at IS NULL");
    SQLite::Statement& st = *lease;
    bind_hash(st, 1, h);
    st.bind(2, std::string(outlet));
    if (!st.executeStep()) return std::nullopt;
    return live_token{st.getColumn(0).getInt64(), st.getColumn(1).getString(), h};
}

void record_token_use(database& db, const std::vector<std::pair<std::int64_t, std::string>>& id_and_utc_time) {
    if (id_and_utc_time.empty()) return;
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    // Batches may arrive out of order: a use never moves last_used_at back.
    SQLite::Statement upd(sql,
                          "UPDATE feed_tokens SET last_used_at = ?1 "
                          "WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)");
    for (const auto& [id, at] : id_and_utc_time) {
        upd.bind(1, at);
        upd.bind(2, id);
        upd.exec();
        upd.reset();
    }
    tx.commit();
}

bool outlet_exists(database& db, std::string_view outlet) {
    statement_lease lease = db.cached(
        "SELECT 1 FROM outlets o JOIN campaigns c ON c.id = o.campaign_id "
        "WHERE o.slug = ? AND o.archived = 0 AND c.archived = 0 LIMIT 1");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(outlet));
    return st.executeStep();
}

std::vector<schedule_row> load_outlet_schedule(database& db, std::string_view outlet, std::chrono::sys_seconds from,
                                               std::chrono::sys_seconds to) {
    // Text order is time order for "YYYY-MM-DDTHH:MM:SSZ". The placements and cancellations whose
    // time is in the window, and those a re-plan moved away from a time in it (at their time now,
    // which may be outside: a subscriber who saw the old time must learn of the move); UNION
    // removes what two branches both give. Read through the (outlet, time) indexes.
    statement_lease lease = db.cached(
        "WITH moved AS (SELECT v.placement_id AS id FROM placement_moves v "
        "  WHERE v.outlet_id IN (SELECT id FROM outlets WHERE slug = ?1) AND v.from_utc >= ?2 AND v.from_utc < ?3), "
        "now_at AS (SELECT p.* FROM placements p JOIN outlets o ON o.id = p.outlet_id "
        "  WHERE o.slug = ?1 AND p.start_utc >= ?2 AND p.start_utc < ?3 "
        "  UNION SELECT p.* FROM placements p WHERE p.id IN moved), "
        "dropped AS (SELECT x.* FROM placement_cancellations x JOIN outlets o ON o.id = x.outlet_id "
        "  WHERE o.slug = ?1 AND x.start_utc >= ?2 AND x.start_utc < ?3 "
        "  UNION SELECT x.* FROM placement_cancellations x WHERE x.placement_id IN moved) "
        "SELECT p.id, c.slug, m.code, p.start_utc, p.duration_s, p.daypart, p.weight, p.state, p.sequence, "
        "p.updated_at, EXISTS (SELECT 1 FROM placement_moves v WHERE v.placement_id = p.id), " +
            std::string(placement_withdrawn_sql) +
            ", p.content_version, p.make_good_of, "
            "(SELECT g.start_utc FROM placements g WHERE g.id = p.make_good_of) "
        "FROM now_at p JOIN outlets o ON o.id = p.outlet_id "
        "JOIN campaigns c ON c.id = p.campaign_id JOIN messages m ON m.id = p.message_id "
        "WHERE o.archived = 0 AND c.archived = 0 "
        "UNION ALL "
        "SELECT x.placement_id, c.slug, m.code, x.start_utc, x.duration_s, x.daypart, x.weight, 'cancelled', "
        "x.sequence, x.cancelled_at, EXISTS (SELECT 1 FROM placement_moves v WHERE v.placement_id = x.placement_id), "
        "0, NULL, x.make_good_of, (SELECT g.start_utc FROM placements g WHERE g.id = x.make_good_of) "
        "FROM dropped x JOIN outlets o ON o.id = x.outlet_id "
        "JOIN campaigns c ON c.id = x.campaign_id JOIN messages m ON m.id = x.message_id "
        "WHERE o.archived = 0 AND c.archived = 0 "
        "ORDER BY 4, 1");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(outlet));
    st.bind(2, stored_utc_text(from));
    st.bind(3, stored_utc_text(to));
    std::vector<schedule_row> out;
    while (st.executeStep()) {
        schedule_row r;
        r.placement_id = st.getColumn(0).getInt64();
        r.campaign = st.getColumn(1).getString();
        r.message = st.getColumn(2).getString();
        r.start = stored_utc_instant(st.getColumn(3).getString());
        r.duration_s = st.getColumn(4).getInt();
        r.daypart = st.getColumn(5).getString();
        r.weight = st.getColumn(6).getDouble();
        r.state = st.getColumn(7).getString();
        r.sequence = st.getColumn(8).getInt();
        r.updated = stored_utc_instant(st.getColumn(9).getString());
        r.moved = st.getColumn(10).getInt() != 0;
        r.withdrawn = st.getColumn(11).getInt() != 0;
        if (!st.getColumn(12).isNull()) r.content_version = st.getColumn(12).getInt();
        if (!st.getColumn(13).isNull()) r.make_good_of = st.getColumn(13).getInt64();
        if (!st.getColumn(14).isNull()) r.make_good_of_start = stored_utc_instant(st.getColumn(14).getString());
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<approval_times> load_approval_times(database& db, std::string_view campaign) {
    // Approved now: approved in a form at the current version, or approved by the campaign file.
    // The approval of the approved version is its latest "approve" review at that version.
    statement_lease lease = db.cached(
        "SELECT m.code, "
        "(SELECT min(r.at) FROM message_reviews r WHERE r.message_id = m.id AND r.action = 'approve'), "
        "(SELECT max(r.at) FROM message_reviews r WHERE r.message_id = m.id AND r.action = 'approve' "
        " AND r.version = m.approved_version), m.created_at, m.updated_at "
        "FROM messages m JOIN campaigns c ON c.id = m.campaign_id "
        "WHERE c.slug = ? AND c.archived = 0 AND " +
            std::string(message_approved_sql) + " "
        "ORDER BY m.position, m.code");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(campaign));
    std::vector<approval_times> out;
    while (st.executeStep()) {
        approval_times a;
        a.message = st.getColumn(0).getString();
        a.first_approved_at = optional_text(st.getColumn(1));
        a.approved_at = optional_text(st.getColumn(2));
        a.created_at = st.getColumn(3).getString();
        a.updated_at = st.getColumn(4).getString();
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<std::string> outlet_campaigns(database& db, std::string_view outlet) {
    statement_lease lease = db.cached(
        "SELECT c.slug FROM outlets o JOIN campaigns c ON c.id = o.campaign_id "
        "WHERE o.slug = ? AND o.archived = 0 AND c.archived = 0 "
        "ORDER BY c.period_end DESC, c.period_start DESC, c.slug");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(outlet));
    std::vector<std::string> out;
    while (st.executeStep()) out.push_back(st.getColumn(0).getString());
    return out;
}

std::vector<std::pair<std::string, std::string>> message_change_times(database& db, std::string_view campaign) {
    statement_lease lease = db.cached(
        "SELECT m.code, m.updated_at FROM messages m JOIN campaigns c ON c.id = m.campaign_id "
        "WHERE c.slug = ? ORDER BY m.code");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(campaign));
    std::vector<std::pair<std::string, std::string>> out;
    while (st.executeStep()) out.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
    return out;
}

std::vector<std::pair<std::string, int>> activity_change_counts(database& db, std::string_view campaign) {
    statement_lease lease = db.cached(
        "SELECT a.entity_key, count(*) FROM audit_log a JOIN campaigns c ON c.id = a.campaign_id "
        "WHERE c.slug = ? AND a.entity = 'activity' AND a.action IN ('edit', 'cancel') "
        "GROUP BY a.entity_key ORDER BY a.entity_key");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(campaign));
    std::vector<std::pair<std::string, int>> out;
    while (st.executeStep()) out.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getInt());
    return out;
}

}  // namespace loa::core
