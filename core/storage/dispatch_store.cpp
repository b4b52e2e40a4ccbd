// The outbox in SQLite (schema v5): targets, dispatches written inside the transactions that make
// them due, claims with leases and per-target concurrency, completions, catch-up, operator actions.
#include "core/storage/dispatch_store.hpp"
#include "core/storage/message_sql.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <sodium.h>
#include <sqlite3.h>

#include "core/domain/campaign.hpp"
#include "core/time/iso8601.hpp"

namespace loa::core {
namespace {

namespace json = boost::json;
using row_id = std::int64_t;
using std::chrono::milliseconds;

// ---- Values as the schema stores them --------------------------------------------------------

std::int64_t ms_of(ms_time t) {
    return t.time_since_epoch().count();
}

ms_time time_of(std::int64_t ms) {
    return ms_time{milliseconds{ms}};
}

// The outbox is indexed by (target, state, next attempt) only (schema 11): a reader by state
// names every target, so that SQLite reads one index range per target instead of the table.
// Every row has a target (NOT NULL, a foreign key), so this selects the same rows.
constexpr const char* every_target = "WHERE target_id IN (SELECT id FROM dispatch_targets) ";

ms_time system_now() {
    return std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
}

// created_at/updated_at: UTC with milliseconds, like the audit log ("2024-07-29T12:20:00.040Z").
std::string utc_text(ms_time t) {
    return iso_utc_ms(t);
}

// placements.start_utc and updated_at: whole seconds ("2024-07-29T12:20:00Z").
std::string utc_seconds_text(ms_time t) {
    return iso_utc(std::chrono::floor<std::chrono::seconds>(t));
}

std::optional<int> optional_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt();
}

void bind_optional(SQLite::Statement& st, int index, const std::optional<int>& v) {
    if (v) {
        st.bind(index, *v);
    } else {
        st.bind(index);
    }
}

void ensure_sodium() {
    // sodium_init is thread-safe and idempotent; < 0 means no usable random source.
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

// "msg_" + 32 characters of lowercase base32 (RFC 4648 alphabet): 160 random bits.
std::string new_webhook_id() {
    ensure_sodium();
    std::array<unsigned char, 20> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out = "msg_";
    out.reserve(4 + 32);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const unsigned char b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(alphabet[(buffer >> (bits - 5)) & 31U]);
            bits -= 5;
        }
    }
    return out;
}

// ---- Argument checks -------------------------------------------------------------------------

[[noreturn]] void bad(std::string_view field, const std::string& what) {
    throw std::invalid_argument(std::string(field) + ": " + what);
}

bool has_control_or_space(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f;
    });
}

void check_url(const std::string& url) {
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = std::string_view(url).substr(8);
    } else if (url.starts_with("http://")) {
        rest = std::string_view(url).substr(7);
    } else {
        bad("url", "'" + url + "' is not an http:// or https:// URL");
    }
    // First, and not repeated in the message (nor in the ones below): the part before '@' is a secret.
    if (rest.substr(0, rest.find_first_of("/?#")).find('@') != std::string_view::npos)
        bad("url", "holds a user name or password (before '@'): leave them out, the receiver checks the "
                   "webhook-signature made with the target's secret");
    if (rest.empty() || rest.front() == '/' || rest.front() == ':' || rest.front() == '?')
        bad("url", "'" + url + "' names no host");
    if (has_control_or_space(url)) bad("url", "'" + url + "' contains spaces or control characters");
    if (url.size() > 2048) bad("url", "longer than 2048 characters");
}

void check_secret(const std::string& secret) {
    constexpr std::string_view prefix = "whsec_";
    if (!secret.starts_with(prefix)) bad("secret", "must start with 'whsec_' (Standard Webhooks)");
    const std::string_view b64 = std::string_view(secret).substr(prefix.size());
    std::array<unsigned char, 64> bytes{};
    std::size_t n = 0;
    const char* end = nullptr;
    ensure_sodium();
    if (sodium_base642bin(bytes.data(), bytes.size(), b64.data(), b64.size(), nullptr, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64.data() + b64.size()) {
        bad("secret", "after 'whsec_' must come base64 of 24 to 64 bytes");
    }
    if (n < 24) bad("secret", "is " + std::to_string(n) + " bytes; at least 24 are needed");
}

void check_target(dispatch_target& t) {
    if (t.name.empty()) bad("name", "a target needs a name");
    if (t.name.size() > 100) bad("name", "longer than 100 characters");
    if (std::any_of(t.name.begin(), t.name.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u < 0x20 || u == 0x7f;
        }))
        bad("name", "contains control characters");
    if (t.outlet.empty() == t.outlet_kind.empty())
        bad("outlet", "give either an outlet or an outlet kind, not both or neither");
    if (!t.outlet_kind.empty() &&
        std::find(std::begin(outlet_kinds), std::end(outlet_kinds), t.outlet_kind) == std::end(outlet_kinds))
        bad("outlet_kind", "unknown outlet kind '" + t.outlet_kind + "'");
    check_url(t.url);
    if (t.secret.empty()) {
        t.secret = new_webhook_secret();
    } else {
        check_secret(t.secret);
    }
    if (t.concurrency < 1 || t.concurrency > 256)
        bad("concurrency", std::to_string(t.concurrency) + " is outside 1–256");
    if (t.grace.count() < 0) bad("grace", "must not be negative");
    if (t.retry_window.count() < 0) bad("retry_window", "must not be negative");
    if (t.lead.count() < 0) bad("lead", "must not be negative");
}

// ---- Targets ---------------------------------------------------------------------------------

constexpr const char* target_columns =
    "SELECT t.id, t.name, COALESCE(o.slug, ''), COALESCE(t.outlet_kind, ''), t.url, t.secret, t.concurrency, "
    "t.grace_s, t.retry_window_s, t.lead_s, t.enabled, t.disabled_reason, t.created_at, t.updated_at "
    "FROM dispatch_targets t LEFT JOIN outlets o ON o.id = t.outlet_id ";

dispatch_target target_row(SQLite::Statement& st) {
    dispatch_target t;
    t.id = st.getColumn(0).getInt64();
    t.name = st.getColumn(1).getString();
    t.outlet = st.getColumn(2).getString();
    t.outlet_kind = st.getColumn(3).getString();
    t.url = st.getColumn(4).getString();
    t.secret = st.getColumn(5).getString();
    t.concurrency = st.getColumn(6).getInt();
    t.grace = std::chrono::seconds{st.getColumn(7).getInt64()};
    t.retry_window = std::chrono::seconds{st.getColumn(8).getInt64()};
    t.lead = std::chrono::seconds{st.getColumn(9).getInt64()};
    t.enabled = st.getColumn(10).getInt() != 0;
    t.disabled_reason = st.getColumn(11).getString();
    t.created_at = st.getColumn(12).getString();
    t.updated_at = st.getColumn(13).getString();
    return t;
}

std::optional<dispatch_target> active_target(SQLite::Database& sql, std::string_view name) {
    SQLite::Statement st(sql, std::string(target_columns) + "WHERE t.name = ? AND t.removed_at IS NULL");
    st.bind(1, std::string(name));
    if (!st.executeStep()) return std::nullopt;
    return target_row(st);
}

// What the audit log keeps of a target: never the secret.
std::string target_audit_json(const dispatch_target& t) {
    json::object o;
    o["name"] = t.name;
    o["outlet"] = t.outlet;
    o["outlet_kind"] = t.outlet_kind;
    o["url"] = t.url;
    o["concurrency"] = t.concurrency;
    o["grace_s"] = t.grace.count();
    o["retry_window_s"] = t.retry_window.count();
    o["lead_s"] = t.lead.count();
    o["enabled"] = t.enabled;
    o["disabled_reason"] = t.disabled_reason;
    return json::serialize(o);
}

std::string state_json(std::string_view state, std::int64_t next_attempt_ms) {
    json::object o;
    o["state"] = state;
    o["next_attempt_ms"] = next_attempt_ms;
    return json::serialize(o);
}

void audit(SQLite::Database& sql, const audit_actor& who, std::optional<row_id> campaign_id, std::string entity,
           std::string key, std::string action, std::optional<std::string> before, std::optional<std::string> after) {
    audit_entry e;
    e.user_id = who.user_id;
    e.actor = who.name;
    e.campaign_id = campaign_id;
    e.entity = std::move(entity);
    e.entity_key = std::move(key);
    e.action = std::move(action);
    e.before_json = std::move(before);
    e.after_json = std::move(after);
    record_audit(sql, e);
}

// The runner's own changes (catch-up, a target disabled by 410) are logged under this name.
audit_actor dispatcher_actor() {
    return audit_actor{std::nullopt, "dispatcher"};
}

// ---- Enqueueing ------------------------------------------------------------------------------

// One dispatch per (placement, matching enabled target). `now_ms`, when given, skips pairs whose due
// time + grace is already past (add_target, enable, re-approval: a stale slot is not sent);
// `only_target` limits the targets to one (add_target, enable).
int enqueue(SQLite::Database& sql, const std::vector<row_id>& placement_ids, std::optional<std::int64_t> now_ms,
            std::optional<row_id> only_target) {
    if (placement_ids.empty()) return 0;
    SQLite::Statement placement(
        sql, std::string("SELECT CAST(strftime('%s', p.start_utc) AS INTEGER), o.slug, o.kind, ") +
                 message_approved_sql +
                 ", p.state, p.withdrawn_at IS NOT NULL FROM placements p JOIN messages m ON m.id = p.message_id "
                 "JOIN outlets o ON o.id = p.outlet_id WHERE p.id = ?");
    // A target named for an outlet serves it in every campaign: the slug names the outlet.
    SQLite::Statement targets(sql,
                              "SELECT t.id, t.lead_s, t.grace_s FROM dispatch_targets t "
                              "LEFT JOIN outlets ot ON ot.id = t.outlet_id "
                              "WHERE t.enabled = 1 AND t.removed_at IS NULL AND (ot.slug = ?1 OR t.outlet_kind = ?2) "
                              "AND (?3 IS NULL OR t.id = ?3) ORDER BY t.id");
    // A cancelled pair comes back with a new webhook id: the approval that revives it may be of new
    // content, which a receiver deduplicating by id must not drop.
    SQLite::Statement upsert(
        sql,
        "INSERT INTO dispatches (webhook_id, placement_id, target_id, due_ms, state, next_attempt_ms, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'pending', ?4, ?5, ?5) "
        "ON CONFLICT (placement_id, target_id) DO UPDATE SET webhook_id = excluded.webhook_id, "
        "due_ms = excluded.due_ms, state = 'pending', next_attempt_ms = excluded.due_ms, lease_until_ms = NULL, "
        "last_error = '', updated_at = excluded.updated_at WHERE dispatches.state = 'cancelled'");
    struct match {
        row_id id;
        std::int64_t lead_ms, grace_ms;
    };
    std::map<std::pair<std::string, std::string>, std::vector<match>> by_outlet;
    const std::string now_text = utc_text(now_ms ? time_of(*now_ms) : system_now());
    int made = 0;
    for (const row_id id : placement_ids) {
        placement.bind(1, id);
        if (!placement.executeStep()) {
            placement.reset();
            continue;
        }
        const std::int64_t start_ms = placement.getColumn(0).getInt64() * 1000;
        std::pair<std::string, std::string> outlet{placement.getColumn(1).getString(),
                                                   placement.getColumn(2).getString()};
        const bool approved = placement.getColumn(3).getInt() != 0;
        const std::string state = placement.getColumn(4).getString();
        // Withdrawn: its message lost its approval before it was due, and the feeds say it is
        // cancelled, even once the message is approved again (statement_helpers.hpp, follow_approval).
        const bool withdrawn = placement.getColumn(5).getInt() != 0;
        placement.reset();
        if (!approved || withdrawn || (state != "planned" && state != "published")) continue;

        auto it = by_outlet.find(outlet);
        if (it == by_outlet.end()) {
            std::vector<match> found;
            targets.bind(1, outlet.first);
            targets.bind(2, outlet.second);
            if (only_target) {
                targets.bind(3, *only_target);
            } else {
                targets.bind(3);
            }
            while (targets.executeStep()) {
                found.push_back({targets.getColumn(0).getInt64(), targets.getColumn(1).getInt64() * 1000,
                                 targets.getColumn(2).getInt64() * 1000});
            }
            targets.reset();
            it = by_outlet.emplace(std::move(outlet), std::move(found)).first;
        }
        for (const match& t : it->second) {
            const std::int64_t due = start_ms - t.lead_ms;
            if (now_ms && due + t.grace_ms < *now_ms) continue;
            upsert.bind(1, new_webhook_id());
            upsert.bind(2, id);
            upsert.bind(3, t.id);
            upsert.bind(4, due);
            upsert.bind(5, now_text);
            made += upsert.exec();
            upsert.reset();
        }
    }
    return made;
}

// Placements an added or re-enabled target should deliver: planned or published, not withdrawn, of
// an approved message, due (start − lead) no earlier than now − grace.
int enqueue_for_target(SQLite::Database& sql, row_id target_id, ms_time now) {
    SQLite::Statement bounds(sql, "SELECT grace_s + lead_s FROM dispatch_targets WHERE id = ?");
    bounds.bind(1, target_id);
    if (!bounds.executeStep()) return 0;
    const std::int64_t slack_s = bounds.getColumn(0).getInt64();
    // The outlets it serves (every campaign's row of its outlet, or every outlet of its kind), then
    // their placements from a coarse bound on (start ≥ now − grace − lead, by the outlet's index);
    // enqueue() applies the exact one.
    SQLite::Statement outlets(sql,
                              "SELECT o.id FROM dispatch_targets t LEFT JOIN outlets ot ON ot.id = t.outlet_id "
                              "JOIN outlets o ON (o.slug = ot.slug OR o.kind = t.outlet_kind) WHERE t.id = ?");
    outlets.bind(1, target_id);
    SQLite::Statement placements(sql,
                                 std::string("SELECT p.id FROM placements p JOIN messages m ON m.id = p.message_id "
                                             "WHERE p.outlet_id = ? AND p.start_utc >= ? "
                                             "AND p.state IN ('planned', 'published') AND p.withdrawn_at IS NULL AND ") +
                                     message_approved_sql);
    const std::string from = utc_seconds_text(now - std::chrono::seconds{slack_s} - std::chrono::seconds{1});
    std::vector<row_id> ids;
    while (outlets.executeStep()) {
        placements.bind(1, outlets.getColumn(0).getInt64());
        placements.bind(2, from);
        while (placements.executeStep()) ids.push_back(placements.getColumn(0).getInt64());
        placements.reset();
    }
    std::sort(ids.begin(), ids.end());
    return enqueue(sql, ids, ms_of(now), target_id);
}

// The message's row id (archived ones too: their placements may still wait).
std::optional<row_id> message_row(SQLite::Database& sql, std::string_view campaign_slug, std::string_view code) {
    SQLite::Statement st(sql,
                         "SELECT m.id FROM messages m JOIN campaigns c ON c.id = m.campaign_id "
                         "WHERE c.slug = ? AND m.code = ?");
    st.bind(1, std::string(campaign_slug));
    st.bind(2, std::string(code));
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getInt64();
}

// ---- Catch-up --------------------------------------------------------------------------------

constexpr std::string_view missed_note_head = "not delivered to ";
constexpr std::string_view missed_note_tail = " within its grace period";

constexpr std::string_view missed_error_head = "not delivered within its grace period (";
constexpr std::string_view missed_error_tail = "): loa was down or the queue fell behind";

constexpr std::pair<std::int64_t, std::string_view> grace_units[] = {{3600, "h"}, {60, "min"}, {1, "s"}};

// "15 min", "2 h", "90 s": the grace as missed_error writes it.
std::string grace_text(std::int64_t grace_s) {
    const grace_amount g = grace_in_units(grace_s);
    return std::to_string(g.n) + " " + std::string(g.unit);
}

// mark_missed without its own transaction (claim_due runs it inside its one). The two reads of
// every turn come from the connection's statement cache.
int mark_missed_in(database& db, ms_time now) {
    SQLite::Database& sql = db.sql();
    const std::int64_t now_ms = ms_of(now);
    // Every target, enabled or not: a pending row of a disabled target is just as undelivered.
    const statement_lease targets_lease =
        db.cached("SELECT id, name, grace_s FROM dispatch_targets WHERE removed_at IS NULL");
    const statement_lease stale_lease = db.cached(
        "SELECT id, placement_id FROM dispatches WHERE target_id = ? AND state = 'pending' AND next_attempt_ms < ?");
    SQLite::Statement& targets = *targets_lease;
    SQLite::Statement& stale = *stale_lease;
    // The statements that move rows are prepared only when some row is stale (claim_due runs this
    // on every claim, and nearly always nothing is).
    struct movers {
        SQLite::Statement miss, placement, place_missed;
        explicit movers(SQLite::Database& db)
            : miss(db,
                   "UPDATE dispatches SET state = 'missed', last_error = ?, lease_until_ms = NULL, "
                   "updated_at = ? WHERE id = ?"),
              placement(db,
                        // Only a planned placement: a published one was delivered to another
                        // of its outlet's receivers, which has it (and the outlet airs it).
                        "SELECT campaign_id, state, aired_at, note FROM placements WHERE id = ? AND state = 'planned'"),
              place_missed(db, "UPDATE placements SET state = 'missed', note = ?, updated_at = ? WHERE id = ?") {}
    };
    std::optional<movers> prepared;
    const std::string now_text = utc_text(now);
    const std::string placement_now = utc_seconds_text(now);
    const audit_actor who = dispatcher_actor();
    int missed = 0;
    while (targets.executeStep()) {
        const row_id target_id = targets.getColumn(0).getInt64();
        const std::string name = targets.getColumn(1).getString();
        const std::int64_t grace_s = targets.getColumn(2).getInt64();
        stale.bind(1, target_id);
        stale.bind(2, now_ms - grace_s * 1000);
        std::vector<std::pair<row_id, row_id>> rows;
        while (stale.executeStep()) rows.emplace_back(stale.getColumn(0).getInt64(), stale.getColumn(1).getInt64());
        stale.reset();
        if (rows.empty()) continue;
        if (!prepared) prepared.emplace(sql);
        SQLite::Statement& miss = prepared->miss;
        SQLite::Statement& placement = prepared->placement;
        SQLite::Statement& place_missed = prepared->place_missed;
        for (const auto& [id, placement_id] : rows) {
            miss.bind(1, missed_error(grace_s));
            miss.bind(2, now_text);
            miss.bind(3, id);
            missed += miss.exec();
            miss.reset();

            placement.bind(1, placement_id);
            if (placement.executeStep()) {
                const row_id campaign_id = placement.getColumn(0).getInt64();
                const std::string before_state = placement.getColumn(1).getString();
                std::optional<std::string> aired;
                if (!placement.getColumn(2).isNull()) aired = placement.getColumn(2).getString();
                const std::string before_note = placement.getColumn(3).getString();
                placement.reset();
                const std::string note = missed_by_dispatcher_note(name);
                place_missed.bind(1, note);
                place_missed.bind(2, placement_now);
                place_missed.bind(3, placement_id);
                place_missed.exec();
                place_missed.reset();
                audit(sql, who, campaign_id, "placement", std::to_string(placement_id), "missed",
                      placement_audit_json(before_state, aired, before_note), placement_audit_json("missed", aired, note));
            } else {
                placement.reset();
            }
        }
    }
    return missed;
}

// ---- Claims --------------------------------------------------------------------------------

class name_cache {
public:
    name_cache(database& db, const char* query) : st_(db.cached(query)) {}
    const std::string& operator()(row_id id) {
        if (auto it = names_.find(id); it != names_.end()) return it->second;
        st_->bind(1, id);
        std::string name = st_->executeStep() ? st_->getColumn(0).getString() : std::string();
        st_->reset();
        return names_.emplace(id, std::move(name)).first->second;
    }

private:
    statement_lease st_;
    std::map<row_id, std::string> names_;
};

// ---- Completions -----------------------------------------------------------------------------

const char* outcome_name(attempt_record::outcome o) {
    switch (o) {
        case attempt_record::outcome::delivered: return "delivered";
        case attempt_record::outcome::retry: return "retry";
        case attempt_record::outcome::dead: return "dead";
        case attempt_record::outcome::disabled: return "disabled";
    }
    throw std::invalid_argument("result: unknown outcome");
}

// The statements of a batch of completions, from the connection's statement cache (prepared
// once per connection, not per batch).
class completer {
public:
    explicit completer(database& db)
        : sql_(db.sql()),
          // Only a row still in flight with this attempt number moves; a retry for a target
          // removed meanwhile is cancelled instead.
          find_lease_(db.cached(
                "SELECT d.target_id, d.placement_id, t.removed_at IS NOT NULL FROM dispatches d "
                "JOIN dispatch_targets t ON t.id = d.target_id WHERE d.id = ? AND d.state = 'in_flight' AND d.attempts = ?")),
          update_lease_(db.cached(
                  "UPDATE dispatches SET state = ?1, lease_until_ms = NULL, last_status = ?2, last_error = ?3, "
                  "sent_body = ?4, sent_body_part = ?9, delivered_ms = CASE WHEN ?1 = 'delivered' THEN ?5 ELSE delivered_ms END, "
                  "next_attempt_ms = CASE WHEN ?1 = 'retrying' THEN ?6 ELSE next_attempt_ms END, updated_at = ?7 "
                  "WHERE id = ?8")),
          attempt_lease_(db.cached(
                   "INSERT INTO dispatch_attempts (dispatch_id, attempt, started_ms, finished_ms, status, error, outcome) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")),
          publish_lease_(db.cached("UPDATE placements SET state = 'published', updated_at = ? WHERE id = ? AND state = 'planned'")),
          db_(db),
          now_text_(utc_text(system_now())) {}

    bool operator()(const attempt_record& r) {
        SQLite::Statement& find = *find_lease_;
        SQLite::Statement& update = *update_lease_;
        SQLite::Statement& insert = *attempt_lease_;
        SQLite::Statement& publish = *publish_lease_;
        const char* outcome = outcome_name(r.result);
        // Only a row still in flight with this attempt number moves.
        find.bind(1, r.dispatch_id);
        find.bind(2, r.attempt);
        if (!find.executeStep()) {
            find.reset();
            return false;
        }
        const row_id target_id = find.getColumn(0).getInt64();
        const row_id placement_id = find.getColumn(1).getInt64();
        const bool target_removed = find.getColumn(2).getInt() != 0;
        find.reset();

        const char* state = "dead";
        std::string error = r.error;
        switch (r.result) {
            case attempt_record::outcome::delivered: state = "delivered"; break;
            case attempt_record::outcome::retry:
                // A removed target gets no more attempts.
                state = target_removed ? "cancelled" : "retrying";
                if (target_removed) error = "target removed; last attempt: " + r.error;
                break;
            case attempt_record::outcome::dead:
            case attempt_record::outcome::disabled: break;
        }
        update.bind(1, state);
        bind_optional(update, 2, r.status);
        update.bind(3, error);
        // The part many dispatches send alike is stored once; the row keeps the rest.
        const std::optional<row_id> part = shared_part(r);
        if (part) {
            const std::size_t head = r.body.size() - r.shared_tail;
            update.bind(4, r.body.substr(0, head));  // (bound as text: copied)
            update.bind(9, *part);
        } else {
            update.bind(4, r.body);
            update.bind(9);
        }
        update.bind(5, ms_of(r.finished));
        update.bind(6, ms_of(r.next_attempt));
        update.bind(7, now_text_);
        update.bind(8, r.dispatch_id);
        update.exec();
        update.reset();

        insert.bind(1, r.dispatch_id);
        insert.bind(2, r.attempt);
        insert.bind(3, ms_of(r.started));
        insert.bind(4, ms_of(r.finished));
        bind_optional(insert, 5, r.status);
        insert.bind(6, r.error);
        insert.bind(7, outcome);
        insert.exec();
        insert.reset();

        if (r.result == attempt_record::outcome::delivered) {
            // Published once some receiver has it; a placement already published, aired or missed stays.
            publish.bind(1, utc_seconds_text(r.finished));
            publish.bind(2, placement_id);
            publish.exec();
            publish.reset();
        } else if (r.result == attempt_record::outcome::disabled) {
            disable(target_id, r);
        }
        return true;
    }

private:
    // The id of the stored part for r's shared tail (stored now if new), or nullopt when the whole
    // body is to be kept in the row: no shared tail, a split inside a UTF-8 sequence, or (never
    // expected) another text under the same hash. The parts of this transaction are remembered (a
    // batch nearly always sends one part over and over); a rolled-back one is forgotten with the
    // completer.
    std::optional<row_id> shared_part(const attempt_record& r) {
        if (r.shared_tail == 0 || r.shared_tail > r.body.size()) return std::nullopt;
        const std::size_t head = r.body.size() - r.shared_tail;
        if ((static_cast<unsigned char>(r.body[head]) & 0xC0U) == 0x80U) return std::nullopt;
        const std::string_view tail = std::string_view(r.body).substr(head);
        for (auto it = parts_.rbegin(); it != parts_.rend(); ++it)
            if (it->first == tail) return it->second;
        ensure_sodium();
        std::array<unsigned char, 32> hash{};
        crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(tail.data()), tail.size(),
                           nullptr, 0);
        std::optional<row_id> id;
        {
            const statement_lease find = db_.cached("SELECT id, text FROM dispatch_body_parts WHERE hash = ?");
            find->bind(1, hash.data(), static_cast<int>(hash.size()));
            if (find->executeStep()) {
                if (find->getColumn(1).getString() != tail) return std::nullopt;
                id = find->getColumn(0).getInt64();
            }
        }
        if (!id) {
            const statement_lease insert = db_.cached("INSERT INTO dispatch_body_parts (hash, text) VALUES (?, ?)");
            insert->bind(1, hash.data(), static_cast<int>(hash.size()));
            insert->bind(2, std::string(tail));  // text, copied by SQLite
            insert->exec();
            id = sql_.getLastInsertRowid();
        }
        if (parts_.size() >= 16) parts_.erase(parts_.begin());
        parts_.emplace_back(std::string(tail), *id);
        return id;
    }

    void disable(row_id target_id, const attempt_record& r) {
        SQLite::Statement find(sql_, "SELECT name, url FROM dispatch_targets WHERE id = ? AND enabled = 1");
        find.bind(1, target_id);
        if (!find.executeStep()) return;  // already disabled (an earlier 410 of the batch, or by hand)
        const std::string name = find.getColumn(0).getString();
        // The receiver by its origin only: the reason is shown to every viewer of the dispatch log,
        // and a webhook URL's path, query or user part often carries a secret of its own.
        const std::string url = url_origin(find.getColumn(1).getString());
        const std::string reason = (r.status ? std::to_string(*r.status) + " Gone" : std::string("gone")) +
                                   " from " + url + " at " + utc_seconds_text(r.finished);
        SQLite::Statement st(sql_,
                             "UPDATE dispatch_targets SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?");
        st.bind(1, reason);
        st.bind(2, now_text_);
        st.bind(3, target_id);
        st.exec();
        json::object before;
        before["enabled"] = true;
        json::object after;
        after["enabled"] = false;
        after["disabled_reason"] = reason;
        audit(sql_, dispatcher_actor(), std::nullopt, "dispatch_target", name, "disable", json::serialize(before),
              json::serialize(after));
    }

    SQLite::Database& sql_;
    statement_lease find_lease_, update_lease_, attempt_lease_, publish_lease_;
    database& db_;
    std::vector<std::pair<std::string, row_id>> parts_;  // shared parts of this transaction
    std::string now_text_;
};

// ---- Reading the log -------------------------------------------------------------------------

constexpr const char* dispatch_columns =
    "SELECT d.id, d.webhook_id, d.state, t.name, c.slug, m.code, o.slug, CAST(strftime('%s', p.start_utc) AS INTEGER), "
    "d.due_ms, "
    "d.next_attempt_ms, d.delivered_ms, d.attempts, d.last_status, d.last_error "
    "FROM dispatches d JOIN dispatch_targets t ON t.id = d.target_id JOIN placements p ON p.id = d.placement_id "
    "JOIN campaigns c ON c.id = p.campaign_id JOIN messages m ON m.id = p.message_id "
    "JOIN outlets o ON o.id = p.outlet_id ";

dispatch_row dispatch_of(SQLite::Statement& st) {
    dispatch_row d;
    d.id = st.getColumn(0).getInt64();
    d.webhook_id = st.getColumn(1).getString();
    d.state = st.getColumn(2).getString();
    d.target = st.getColumn(3).getString();
    d.campaign = st.getColumn(4).getString();
    d.message = st.getColumn(5).getString();
    d.outlet = st.getColumn(6).getString();
    d.start = std::chrono::sys_seconds{std::chrono::seconds{st.getColumn(7).getInt64()}};
    d.due = time_of(st.getColumn(8).getInt64());
    d.next_attempt = time_of(st.getColumn(9).getInt64());
    if (!st.getColumn(10).isNull()) d.delivered = time_of(st.getColumn(10).getInt64());
    d.attempts = st.getColumn(11).getInt();
    d.last_status = optional_int(st.getColumn(12));
    d.last_error = st.getColumn(13).getString();
    return d;
}

// The campaign of a dispatch (for its audit row) and its state, when it exists.
struct dispatch_facts {
    row_id campaign_id = 0;
    std::string state;
    std::int64_t next_attempt_ms = 0;
    bool target_removed = false;
    bool target_enabled = true;
};

std::optional<dispatch_facts> facts(SQLite::Database& sql, std::int64_t id) {
    SQLite::Statement st(sql,
                         "SELECT p.campaign_id, d.state, d.next_attempt_ms, t.removed_at IS NOT NULL, t.enabled = 1 "
                         "FROM dispatches d "
                         "JOIN placements p ON p.id = d.placement_id JOIN dispatch_targets t ON t.id = d.target_id "
                         "WHERE d.id = ?");
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    return dispatch_facts{st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getInt64(),
                          st.getColumn(3).getInt() != 0, st.getColumn(4).getInt() != 0};
}

// An operator's change of one dispatch: from one of `from` to `to`, next attempt now.
operator_outcome operator_move(database& db, std::int64_t id, ms_time now, const audit_actor& who,
                               std::initializer_list<std::string_view> from, const char* to, const char* action) {
    using result = operator_outcome::result;
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto before = facts(sql, id);
    if (!before) return {result::no_dispatch};
    if (std::find(from.begin(), from.end(), before->state) == from.end()) return {result::wrong_state};
    if (before->target_removed) return {result::target_removed};
    if (!before->target_enabled) return {result::target_disabled};
    const std::string new_state = to != nullptr ? std::string(to) : before->state;
    SQLite::Statement st(sql,
                         "UPDATE dispatches SET state = ?, next_attempt_ms = ?, lease_until_ms = NULL, updated_at = ? "
                         "WHERE id = ?");
    st.bind(1, new_state);
    st.bind(2, ms_of(now));
    st.bind(3, utc_text(now));
    st.bind(4, id);
    st.exec();
    audit(sql, who, before->campaign_id, "dispatch", std::to_string(id), action,
          state_json(before->state, before->next_attempt_ms), state_json(new_state, ms_of(now)));
    tx.commit();
    return {result::moved};
}

}  // namespace

// ---- Public functions ------------------------------------------------------------------------

std::string url_origin(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url.substr(0, url.find_first_of("/?#")));
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    return std::string(url.substr(0, scheme_end + 3)) + std::string(authority);
}

std::string new_webhook_secret() {
    ensure_sodium();
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::string b64(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.resize(b64.find('\0'));
    return "whsec_" + b64;
}

std::int64_t add_target(database& db, dispatch_target t, ms_time now, const audit_actor& who) {
    check_target(t);
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    std::optional<row_id> outlet_id;
    if (!t.outlet.empty()) {
        // The slug names the outlet across campaigns: any active row of it stands for all.
        SQLite::Statement st(sql,
                             "SELECT o.id FROM outlets o JOIN campaigns c ON c.id = o.campaign_id "
                             "WHERE o.slug = ? AND o.archived = 0 ORDER BY c.archived, o.id LIMIT 1");
        st.bind(1, t.outlet);
        if (!st.executeStep()) bad("outlet", "unknown outlet '" + t.outlet + "'");
        outlet_id = st.getColumn(0).getInt64();
    }
    if (active_target(sql, t.name)) bad("name", "a target named '" + t.name + "' exists already");

    const std::string now_text = utc_text(now);
    SQLite::Statement ins(sql,
                          "INSERT INTO dispatch_targets (name, outlet_id, outlet_kind, url, secret, concurrency, grace_s, "
                          "retry_window_s, lead_s, enabled, disabled_reason, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int i = 0;
    ins.bind(++i, t.name);
    if (outlet_id) {
        ins.bind(++i, *outlet_id);
    } else {
        ins.bind(++i);
    }
    if (!t.outlet_kind.empty()) {
        ins.bind(++i, t.outlet_kind);
    } else {
        ins.bind(++i);
    }
    ins.bind(++i, t.url);
    ins.bind(++i, t.secret);
    ins.bind(++i, t.concurrency);
    ins.bind(++i, static_cast<std::int64_t>(t.grace.count()));
    ins.bind(++i, static_cast<std::int64_t>(t.retry_window.count()));
    ins.bind(++i, static_cast<std::int64_t>(t.lead.count()));
    ins.bind(++i, t.enabled ? 1 : 0);
    ins.bind(++i, t.enabled ? std::string() : t.disabled_reason);
    ins.bind(++i, now_text);
    ins.bind(++i, now_text);
    ins.exec();
    const row_id id = sql.getLastInsertRowid();
    const int enqueued = t.enabled ? enqueue_for_target(sql, id, now) : 0;

    if (!t.enabled) t.disabled_reason.clear();
    json::value after = json::parse(target_audit_json(t));
    after.as_object()["enqueued"] = enqueued;
    audit(sql, who, std::nullopt, "dispatch_target", t.name, "add", std::nullopt, json::serialize(after));
    tx.commit();
    return id;
}

std::vector<dispatch_target> list_targets(database& db) {
    SQLite::Statement st(db.sql(), std::string(target_columns) + "WHERE t.removed_at IS NULL ORDER BY t.name");
    std::vector<dispatch_target> out;
    while (st.executeStep()) out.push_back(target_row(st));
    return out;
}

std::optional<dispatch_target> find_target(database& db, std::string_view name) {
    return active_target(db.sql(), name);
}

bool remove_target(database& db, std::string_view name, const audit_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto t = active_target(sql, name);
    if (!t) return false;
    const std::string now_text = utc_text(system_now());
    // In-flight rows finish their attempt (complete_attempt records it, and cancels a retry).
    SQLite::Statement cancel(sql,
                             "UPDATE dispatches SET state = 'cancelled', last_error = 'target removed', updated_at = ? "
                             "WHERE target_id = ? AND state IN ('pending', 'retrying')");
    cancel.bind(1, now_text);
    cancel.bind(2, t->id);
    const int cancelled = cancel.exec();
    SQLite::Statement st(sql,
                         "UPDATE dispatch_targets SET enabled = 0, disabled_reason = 'removed', removed_at = ?, "
                         "updated_at = ? WHERE id = ?");
    st.bind(1, now_text);
    st.bind(2, now_text);
    st.bind(3, t->id);
    st.exec();
    json::object after;
    after["removed"] = true;
    after["cancelled"] = cancelled;
    audit(sql, who, std::nullopt, "dispatch_target", t->name, "remove", target_audit_json(*t),
          json::serialize(after));
    tx.commit();
    return true;
}

bool set_target_enabled(database& db, std::string_view name, bool enabled, std::string_view reason,
                        const audit_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    auto t = active_target(sql, name);
    if (!t) return false;
    const dispatch_target before = *t;
    const ms_time now = system_now();
    t->enabled = enabled;
    t->disabled_reason = enabled ? std::string() : std::string(reason);
    SQLite::Statement st(sql,
                         "UPDATE dispatch_targets SET enabled = ?, disabled_reason = ?, updated_at = ? WHERE id = ?");
    st.bind(1, enabled ? 1 : 0);
    st.bind(2, t->disabled_reason);
    st.bind(3, utc_text(now));
    st.bind(4, t->id);
    st.exec();
    // While disabled, new plans made no dispatches for it: catch up with the placements still ahead.
    json::value after = json::parse(target_audit_json(*t));
    if (enabled && !before.enabled) after.as_object()["enqueued"] = enqueue_for_target(sql, t->id, now);
    audit(sql, who, std::nullopt, "dispatch_target", t->name, enabled ? "enable" : "disable",
          target_audit_json(before), json::serialize(after));
    tx.commit();
    return true;
}

int enqueue_placements(database& db, const std::vector<std::int64_t>& placement_ids) {
    return enqueue(db.sql(), placement_ids, std::nullopt, std::nullopt);
}

int enqueue_message(database& db, std::string_view campaign_slug, std::string_view message_code, ms_time now) {
    SQLite::Database& sql = db.sql();
    const auto message_id = message_row(sql, campaign_slug, message_code);
    if (!message_id) return 0;
    SQLite::Statement st(sql,
                         "SELECT id FROM placements WHERE message_id = ? AND state = 'planned' AND start_utc >= ? "
                         "ORDER BY id");
    st.bind(1, *message_id);
    st.bind(2, utc_seconds_text(now));
    std::vector<row_id> ids;
    while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
    return enqueue(sql, ids, ms_of(now), std::nullopt);
}

int cancel_message_dispatches(database& db, std::string_view campaign_slug, std::string_view message_code,
                              std::string_view why) {
    SQLite::Database& sql = db.sql();
    const auto message_id = message_row(sql, campaign_slug, message_code);
    if (!message_id) return 0;
    // "+state": through the message's placements (placement_id index), not every waiting row.
    SQLite::Statement st(sql,
                         "UPDATE dispatches SET state = 'cancelled', last_error = ?, updated_at = ? "
                         "WHERE +state IN ('pending', 'retrying') "
                         "AND placement_id IN (SELECT id FROM placements WHERE message_id = ?)");
    st.bind(1, std::string(why));
    st.bind(2, utc_text(system_now()));
    st.bind(3, *message_id);
    return st.exec();
}

std::string missed_by_dispatcher_note(std::string_view target_name) {
    return std::string(missed_note_head) + std::string(target_name) + std::string(missed_note_tail);
}

grace_amount grace_in_units(std::int64_t grace_s) {
    for (const auto& [size, unit] : grace_units)
        if (grace_s > 0 && grace_s % size == 0) return {grace_s / size, unit};
    return {grace_s, "s"};
}

std::string missed_error(std::int64_t grace_s) {
    return std::string(missed_error_head) + grace_text(grace_s) + std::string(missed_error_tail);
}

std::optional<std::int64_t> missed_error_grace(std::string_view error) {
    if (error.size() <= missed_error_head.size() + missed_error_tail.size() || !error.starts_with(missed_error_head) ||
        !error.ends_with(missed_error_tail))
        return std::nullopt;
    const std::string_view grace =
        error.substr(missed_error_head.size(), error.size() - missed_error_head.size() - missed_error_tail.size());
    for (const auto& [size, unit] : grace_units) {
        if (grace.size() <= unit.size() || !grace.ends_with(unit) || grace[grace.size() - unit.size() - 1] != ' ')
            continue;
        const std::string_view digits = grace.substr(0, grace.size() - unit.size() - 1);
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc{} || end != digits.data() + digits.size() || n < 0 ||
            n > std::numeric_limits<std::int64_t>::max() / size)
            return std::nullopt;
        return n * size;
    }
    return std::nullopt;
}

std::optional<std::string> missed_by_dispatcher_target(std::string_view note) {
    if (note.size() <= missed_note_head.size() + missed_note_tail.size() || !note.starts_with(missed_note_head) ||
        !note.ends_with(missed_note_tail))
        return std::nullopt;
    return std::string(note.substr(missed_note_head.size(), note.size() - missed_note_head.size() - missed_note_tail.size()));
}

int take_back_expired_leases(database& db, ms_time now) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(sql,
                           std::string("SELECT id, attempts, next_attempt_ms, lease_until_ms FROM dispatches ") +
                               every_target + "AND state = 'in_flight' AND lease_until_ms < ?");
    find.bind(1, ms_of(now));
    struct lost {
        row_id id;
        int attempt;
        std::int64_t started, lease_until;
    };
    std::vector<lost> rows;
    while (find.executeStep()) {
        rows.push_back({find.getColumn(0).getInt64(), find.getColumn(1).getInt(), find.getColumn(2).getInt64(),
                        find.getColumn(3).getInt64()});
    }
    constexpr const char* why = "lease expired: no result was recorded (loa stopped during the attempt)";
    SQLite::Statement attempt(sql,
                              "INSERT INTO dispatch_attempts (dispatch_id, attempt, started_ms, finished_ms, status, "
                              "error, outcome) VALUES (?, ?, ?, ?, NULL, ?, 'lease_expired')");
    // next_attempt_ms still holds the lost attempt's start (claim_due set it): due at once.
    SQLite::Statement back(sql,
                           "UPDATE dispatches SET state = 'retrying', lease_until_ms = NULL, last_status = NULL, "
                           "last_error = ?, updated_at = ? WHERE id = ?");
    const std::string now_text = utc_text(std::min(now, system_now()));
    for (const lost& r : rows) {
        attempt.bind(1, r.id);
        attempt.bind(2, std::max(r.attempt, 1));
        attempt.bind(3, r.started);
        attempt.bind(4, std::min(r.lease_until, ms_of(now)));
        attempt.bind(5, why);
        attempt.exec();
        attempt.reset();
        back.bind(1, why);
        back.bind(2, now_text);
        back.bind(3, r.id);
        back.exec();
        back.reset();
    }
    tx.commit();
    return static_cast<int>(rows.size());
}

int mark_missed(database& db, ms_time now) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const int n = mark_missed_in(db, now);
    tx.commit();
    return n;
}

namespace {

// The earliest waiting row of a target in one state (the (target, state, next attempt) index).
constexpr const char* first_waiting_sql =
    "SELECT next_attempt_ms FROM dispatches WHERE target_id = ? AND state = ? ORDER BY next_attempt_ms LIMIT 1";

// Lowers `best` to the earliest due time (ms) of target `target`'s waiting rows (pending or
// retrying), by first_waiting_sql; shared by the claim's next-due answer and next_due.
void earliest_waiting(SQLite::Statement& first, row_id target, std::optional<std::int64_t>& best) {
    for (const char* state : {"pending", "retrying"}) {
        first.bind(1, target);
        first.bind(2, state);
        if (first.executeStep()) {
            const std::int64_t at = first.getColumn(0).getInt64();
            if (!best || at < *best) best = at;
        }
        first.reset();
    }
}

// claim_due inside the caller's transaction; its statements come from the connection's cache.
// When `next` is given it receives what next_due would answer once the claim is done (the targets'
// free slots are known here already: only those with slots left are looked at).
std::vector<claimed_dispatch> claim_due_in(database& db, ms_time now, std::chrono::milliseconds lease, int limit,
                                           int* missed, std::optional<ms_time>* next, int depth) {
    const int missed_now = mark_missed_in(db, now);
    if (missed != nullptr) *missed = missed_now;
    const std::int64_t now_ms = ms_of(now);

    struct target_room {
        row_id id;
        int room;
        std::string name, url, secret;
        std::int64_t retry_window_s;
        int concurrency;
    };
    std::vector<target_room> targets;
    {
        const statement_lease lease_of_rooms =
            db.cached("SELECT t.id, ?1 * t.concurrency - (SELECT count(*) FROM dispatches d "
                      "WHERE d.target_id = t.id AND d.state = 'in_flight'), t.name, t.url, t.secret, "
                      "t.retry_window_s, t.concurrency FROM dispatch_targets t WHERE t.enabled = 1");
        SQLite::Statement& st = *lease_of_rooms;
        st.bind(1, depth);
        while (st.executeStep()) {
            const int room = st.getColumn(1).getInt();
            if (room <= 0) continue;
            targets.push_back({st.getColumn(0).getInt64(), room, st.getColumn(2).getString(),
                               st.getColumn(3).getString(), st.getColumn(4).getString(), st.getColumn(5).getInt64(),
                               st.getColumn(6).getInt()});
        }
        st.reset();
    }
    // Per target, the earliest due rows of each state (two ordered index ranges, no sort), at most
    // its free slots; then the earliest of all, at most `limit`. Each with what the runner needs of
    // it and of its placement, read by the same query (the claim changes none of it but the
    // attempt count, which becomes attempts + 1).
    struct candidate {
        std::int64_t next_ms = 0;
        row_id id = 0;
        std::string webhook_id;
        int attempts = 0;
        std::int64_t due_ms = 0;
        row_id placement_id = 0;
        bool placement_found = false;
        std::int64_t start_s = 0;
        int duration_s = 0;
        std::string daypart, placement_state;
        row_id campaign_id = 0, message_id = 0, outlet_id = 0;
        row_id target_id = 0;
        bool retrying = false;
        bool held = false;  // beyond the target's free slots on the wire: it would wait, ready
    };
    const auto by_time = [](const candidate& a, const candidate& b) {
        return std::tie(a.next_ms, a.id) < std::tie(b.next_ms, b.id);
    };
    std::vector<candidate> chosen;
    {
        const statement_lease due_lease = db.cached(
            "SELECT d.next_attempt_ms, d.id, d.webhook_id, d.attempts, d.due_ms, d.placement_id, p.id IS NOT NULL, "
            "CAST(strftime('%s', p.start_utc) AS INTEGER), p.duration_s, p.daypart, p.state, p.campaign_id, "
            "p.message_id, p.outlet_id FROM dispatches d LEFT JOIN placements p ON p.id = d.placement_id "
            "WHERE d.target_id = ? AND d.state = ? AND d.next_attempt_ms <= ? ORDER BY d.next_attempt_ms, d.id LIMIT ?");
        SQLite::Statement& due = *due_lease;
        std::vector<candidate> mine;
        for (const target_room& t : targets) {
            mine.clear();
            const int take = std::min(t.room, limit);
            for (const char* state : {"pending", "retrying"}) {
                due.bind(1, t.id);
                due.bind(2, state);
                due.bind(3, now_ms);
                due.bind(4, take);
                while (due.executeStep()) {
                    candidate c;
                    c.next_ms = due.getColumn(0).getInt64();
                    c.id = due.getColumn(1).getInt64();
                    c.webhook_id = due.getColumn(2).getString();
                    c.attempts = due.getColumn(3).getInt();
                    c.due_ms = due.getColumn(4).getInt64();
                    c.placement_id = due.getColumn(5).getInt64();
                    c.placement_found = due.getColumn(6).getInt() != 0;
                    c.start_s = due.getColumn(7).getInt64();
                    c.duration_s = due.getColumn(8).getInt();
                    c.daypart = due.getColumn(9).getString();
                    c.placement_state = due.getColumn(10).getString();
                    c.campaign_id = due.getColumn(11).getInt64();
                    c.message_id = due.getColumn(12).getInt64();
                    c.outlet_id = due.getColumn(13).getInt64();
                    c.target_id = t.id;
                    c.retrying = std::string_view(state) == "retrying";
                    mine.push_back(std::move(c));
                }
                due.reset();
            }
            std::sort(mine.begin(), mine.end(), by_time);
            if (mine.size() > static_cast<std::size_t>(take)) mine.resize(static_cast<std::size_t>(take));
            // The target's rows in flight beyond its concurrency are held ready (depth > 1): the
            // first rows up to its free slots on the wire go out at once, the rest would wait.
            const int in_flight_now = depth * t.concurrency - t.room;
            const int wire_free = std::max(0, t.concurrency - in_flight_now);
            for (std::size_t i = 0; i < mine.size(); ++i) mine[i].held = static_cast<int>(i) >= wire_free;
            std::move(mine.begin(), mine.end(), std::back_inserter(chosen));
        }
        // When `limit` cuts, rows that go on the wire come first, so that one target's rows held
        // ready never take the turn of another target's free slot; then the earliest.
        std::sort(chosen.begin(), chosen.end(), [&](const candidate& a, const candidate& b) {
            if (a.held != b.held) return !a.held;
            return by_time(a, b);
        });
        if (chosen.size() > static_cast<std::size_t>(limit)) chosen.resize(static_cast<std::size_t>(limit));
        std::sort(chosen.begin(), chosen.end(), by_time);
    }

    // next_attempt_ms becomes the attempt's start: take_back_expired_leases reads it from there.
    const statement_lease claim_lease =
        db.cached("UPDATE dispatches SET state = 'in_flight', lease_until_ms = ?1, attempts = attempts + 1, "
                  "next_attempt_ms = ?2, first_attempt_ms = COALESCE(first_attempt_ms, ?2), updated_at = ?3 "
                  "WHERE id = ?4");
    SQLite::Statement& claim = *claim_lease;
    // (Not UPDATE … RETURNING: SQLite builds an ephemeral table per execution for it. What the
    // runner needs was read with the candidates.)
    // Names by id, looked up once per claim: a batch shares a few campaigns, messages and outlets.
    name_cache campaigns(db, "SELECT slug FROM campaigns WHERE id = ?");
    name_cache messages(db, "SELECT code FROM messages WHERE id = ?");
    name_cache outlets(db, "SELECT slug FROM outlets WHERE id = ?");
    const std::string now_text = utc_text(now);
    std::vector<claimed_dispatch> out;
    out.reserve(chosen.size());
    for (candidate& c : chosen) {
        if (!c.placement_found) throw SQLite::Exception("a dispatch names a placement that does not exist");
        claimed_dispatch d;
        d.id = c.id;
        claim.bind(1, now_ms + lease.count());
        claim.bind(2, now_ms);
        claim.bind(3, now_text);
        claim.bind(4, c.id);
        if (claim.exec() != 1) throw SQLite::Exception("a claimed dispatch vanished inside its transaction");
        claim.reset();
        d.webhook_id = std::move(c.webhook_id);
        d.attempt = c.attempts + 1;
        d.due = time_of(c.due_ms);
        d.lease_until = time_of(now_ms + lease.count());
        d.target_id = c.target_id;
        d.placement_id = c.placement_id;
        const auto t = std::find_if(targets.begin(), targets.end(),
                                    [&](const target_room& x) { return x.id == d.target_id; });
        --t->room;
        d.target_name = t->name;
        d.url = t->url;
        d.secret = t->secret;
        d.retry_window = std::chrono::seconds{t->retry_window_s};
        d.concurrency = t->concurrency;
        d.was_retrying = c.retrying;
        d.waiting_since = time_of(c.next_ms);
        d.start = std::chrono::sys_seconds{std::chrono::seconds{c.start_s}};
        d.duration_s = c.duration_s;
        d.daypart = std::move(c.daypart);
        d.placement_state = std::move(c.placement_state);
        const row_id campaign_id = c.campaign_id;
        const row_id message_id = c.message_id;
        const row_id outlet_id = c.outlet_id;
        d.campaign = campaigns(campaign_id);
        d.message = messages(message_id);
        d.outlet = outlets(outlet_id);
        out.push_back(std::move(d));
    }
    if (next != nullptr) {
        // next_due: a target with every slot now in flight is skipped (it has nothing due until an
        // attempt ends); the others' earliest waiting row (the claimed ones are in flight now).
        next->reset();
        const statement_lease first = db.cached(first_waiting_sql);
        std::optional<std::int64_t> best;
        for (const target_room& t : targets)
            if (t.room > 0) earliest_waiting(*first, t.id, best);
        if (best) *next = time_of(*best);
    }
    return out;
}

}  // namespace

std::vector<claimed_dispatch> claim_due(database& db, ms_time now, std::chrono::milliseconds lease, int limit,
                                        int* missed, std::optional<ms_time>* next, int depth) {
    if (limit < 1) bad("limit", "must be at least 1");
    if (lease.count() <= 0) bad("lease", "must be positive");
    if (depth < 1) bad("depth", "must be at least 1");
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    auto out = claim_due_in(db, now, lease, limit, missed, next, depth);
    tx.commit();
    return out;
}

std::vector<claimed_dispatch> complete_and_claim(database& db, const std::vector<attempt_record>& finished,
                                                 ms_time now, std::chrono::milliseconds lease, int limit,
                                                 int* missed, std::optional<ms_time>* next, int depth) {
    if (limit < 0) bad("limit", "must not be negative");
    if (lease.count() <= 0) bad("lease", "must be positive");
    if (depth < 1) bad("depth", "must be at least 1");
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    if (!finished.empty()) {
        completer complete(db);
        for (const attempt_record& r : finished) complete(r);
    }
    std::vector<claimed_dispatch> out;
    if (limit > 0) out = claim_due_in(db, now, lease, limit, missed, next, depth);
    tx.commit();
    return out;
}

bool complete_attempt(database& db, const attempt_record& r) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    completer complete(db);
    const bool applied = complete(r);
    tx.commit();
    return applied;
}

int complete_attempts(database& db, const std::vector<attempt_record>& rs) {
    if (rs.empty()) return 0;
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    completer complete(db);
    int applied = 0;
    for (const attempt_record& r : rs) applied += complete(r) ? 1 : 0;
    tx.commit();
    return applied;
}

std::vector<target_state> target_states(database& db) {
    const statement_lease lease =
        db.cached("SELECT id, enabled = 1 AND removed_at IS NULL, concurrency FROM dispatch_targets");
    SQLite::Statement& st = *lease;
    std::vector<target_state> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getInt() != 0, st.getColumn(2).getInt()});
    st.reset();
    return out;
}

std::vector<std::pair<std::int64_t, int>> in_flight_rows(database& db) {
    // Each target's in_flight range of the (target, state, next attempt) index.
    const statement_lease lease =
        db.cached(std::string("SELECT id, attempts FROM dispatches ") + every_target + "AND state = 'in_flight' ORDER BY id");
    SQLite::Statement& st = *lease;
    std::vector<std::pair<std::int64_t, int>> out;
    while (st.executeStep()) out.emplace_back(st.getColumn(0).getInt64(), st.getColumn(1).getInt());
    st.reset();
    return out;
}

int release_claims(database& db, const std::vector<claimed_dispatch>& rows) {
    if (rows.empty()) return 0;
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    // ?1 state before the claim, ?2 its next attempt time, ?5 the claimed attempt number.
    const statement_lease lease = db.cached(
        "UPDATE dispatches SET "
        "state = CASE WHEN (SELECT removed_at IS NOT NULL FROM dispatch_targets t WHERE t.id = target_id) "
        "THEN 'cancelled' ELSE ?1 END, "
        "last_error = CASE WHEN (SELECT removed_at IS NOT NULL FROM dispatch_targets t WHERE t.id = target_id) "
        "THEN 'target removed before the attempt was sent' ELSE last_error END, "
        "attempts = attempts - 1, next_attempt_ms = ?2, lease_until_ms = NULL, "
        "first_attempt_ms = CASE WHEN attempts = 1 THEN NULL ELSE first_attempt_ms END, updated_at = ?3 "
        "WHERE id = ?4 AND state = 'in_flight' AND attempts = ?5");
    SQLite::Statement& back = *lease;
    const std::string now_text = utc_text(system_now());
    int moved = 0;
    for (const claimed_dispatch& c : rows) {
        back.bind(1, c.was_retrying ? "retrying" : "pending");
        back.bind(2, ms_of(c.waiting_since));
        back.bind(3, now_text);
        back.bind(4, c.id);
        back.bind(5, c.attempt);
        moved += back.exec();
        back.reset();
    }
    tx.commit();
    return moved;
}

bool cancel_dispatch(database& db, std::int64_t id, std::string_view why) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement st(sql,
                         "UPDATE dispatches SET state = 'cancelled', lease_until_ms = NULL, last_error = ?, "
                         "updated_at = ? WHERE id = ? AND state = 'in_flight'");
    st.bind(1, std::string(why));
    st.bind(2, utc_text(system_now()));
    st.bind(3, id);
    const bool done = st.exec() == 1;
    tx.commit();
    return done;
}

operator_outcome requeue_dispatch(database& db, std::int64_t id, ms_time now, const audit_actor& who) {
    return operator_move(db, id, now, who, {"dead", "missed", "cancelled"}, "pending", "requeue");
}

operator_outcome retry_now(database& db, std::int64_t id, ms_time now, const audit_actor& who) {
    return operator_move(db, id, now, who, {"pending", "retrying"}, nullptr, "retry");
}

std::optional<ms_time> next_due(database& db, int depth) {
    if (depth < 1) bad("depth", "must be at least 1");
    // A target with every slot in flight has nothing due until an attempt ends (the runner looks
    // again then): counting its rows would make the runner spin on a due time it cannot claim.
    const statement_lease targets_lease =
        db.cached("SELECT t.id FROM dispatch_targets t WHERE t.enabled = 1 AND ?1 * t.concurrency > "
                  "(SELECT count(*) FROM dispatches d WHERE d.target_id = t.id AND d.state = 'in_flight')");
    const statement_lease first = db.cached(first_waiting_sql);
    SQLite::Statement& targets = *targets_lease;
    targets.bind(1, depth);
    std::optional<std::int64_t> best;
    while (targets.executeStep()) earliest_waiting(*first, targets.getColumn(0).getInt64(), best);
    targets.reset();
    if (!best) return std::nullopt;
    return time_of(*best);
}

std::vector<dispatch_row> list_dispatches(database& db, const dispatch_filter& f) {
    if (!f.state.empty() &&
        std::find(std::begin(dispatch_states), std::end(dispatch_states), f.state) == std::end(dispatch_states))
        bad("state", "unknown dispatch state '" + f.state + "'");
    // Like the audit log: paging values are clamped, not refused.
    const int limit = std::clamp(f.limit, 1, 1000);
    const int offset = std::max(f.offset, 0);
    SQLite::Statement st(db.sql(), std::string(dispatch_columns) +
                                       "WHERE (?1 = '' OR d.state = ?1) AND (?2 = '' OR t.name = ?2) "
                                       "AND (?3 = '' OR c.slug = ?3) ORDER BY d.due_ms DESC, d.id DESC LIMIT ?4 OFFSET ?5");
    st.bind(1, f.state);
    st.bind(2, f.target);
    st.bind(3, f.campaign);
    st.bind(4, limit);
    st.bind(5, offset);
    std::vector<dispatch_row> out;
    while (st.executeStep()) out.push_back(dispatch_of(st));
    return out;
}

std::optional<dispatch_row> find_dispatch(database& db, std::int64_t id) {
    SQLite::Statement st(db.sql(), std::string(dispatch_columns) + "WHERE d.id = ?");
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    return dispatch_of(st);
}

std::vector<attempt_row> list_attempts(database& db, std::int64_t dispatch_id) {
    SQLite::Statement st(db.sql(),
                         "SELECT attempt, started_ms, finished_ms, status, error, outcome FROM dispatch_attempts "
                         "WHERE dispatch_id = ? ORDER BY attempt");
    st.bind(1, dispatch_id);
    std::vector<attempt_row> out;
    while (st.executeStep()) {
        attempt_row a;
        a.attempt = st.getColumn(0).getInt();
        a.started = time_of(st.getColumn(1).getInt64());
        a.finished = time_of(st.getColumn(2).getInt64());
        a.status = optional_int(st.getColumn(3));
        a.error = st.getColumn(4).getString();
        a.outcome = st.getColumn(5).getString();
        out.push_back(std::move(a));
    }
    return out;
}

std::optional<std::string> sent_body(database& db, std::int64_t dispatch_id) {
    // The view (schema 7) is the one definition of the body as sent: the row's head and its shared
    // part; NULL when nothing was sent.
    const statement_lease st = db.cached("SELECT body FROM dispatch_sent_bodies WHERE id = ?");
    st->bind(1, dispatch_id);
    if (!st->executeStep() || st->getColumn(0).isNull()) return std::nullopt;
    return st->getColumn(0).getString();
}

outbox_status dispatch_status(database& db, ms_time now) {
    SQLite::Database& sql = db.sql();
    outbox_status s;
    SQLite::Statement count(sql, std::string("SELECT count(*) FROM dispatches ") + every_target + "AND state = ?");
    for (const char* state : dispatch_states) {
        count.bind(1, state);
        count.executeStep();
        s.by_state.emplace_back(state, count.getColumn(0).getInt64());
        count.reset();
    }
    SQLite::Statement due(sql,
                          // Due: waiting for an enabled target (a disabled one is sent nothing).
                          "SELECT count(*), min(next_attempt_ms) FROM dispatches "
                          "WHERE target_id IN (SELECT id FROM dispatch_targets WHERE enabled = 1) "
                          "AND state IN ('pending', 'retrying') AND next_attempt_ms <= ?");
    due.bind(1, ms_of(now));
    due.executeStep();
    s.due_now = due.getColumn(0).getInt64();
    if (!due.getColumn(1).isNull()) s.oldest_due = time_of(due.getColumn(1).getInt64());
    SQLite::Statement targets(sql,
                              "SELECT count(*), COALESCE(sum(enabled = 0), 0) FROM dispatch_targets "
                              "WHERE removed_at IS NULL");
    targets.executeStep();
    s.targets = targets.getColumn(0).getInt64();
    s.targets_disabled = targets.getColumn(1).getInt64();
    return s;
}

}  // namespace loa::core
