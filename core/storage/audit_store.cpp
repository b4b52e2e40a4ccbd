// The audit log store: append inside the caller's transaction; filtered, paginated reads.
#include "core/storage/audit_store.hpp"

#include <algorithm>
#include <chrono>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>
#include <date/date.h>

#include "core/storage/statement_helpers.hpp"
#include "core/time/iso8601.hpp"

namespace loa::core {
namespace {

std::optional<std::string> optional_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

std::optional<std::int64_t> optional_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

// A bare date as the upper bound means "through the end of that day": every stored `at` of that
// day ("YYYY-MM-DDTHH:MM:SS.mmmZ") sorts before "YYYY-MM-DDT99".
std::optional<std::string> upper_bound_text(const std::optional<std::string>& to) {
    if (!to) return std::nullopt;
    if (to->size() == 10) return *to + "T99";
    return to;
}

// One statement for every filter combination: an unset filter binds NULL and its test is true,
// so no SQL text is ever assembled from input.
constexpr const char* where_clause = R"sql(
 WHERE (?1 IS NULL OR a.entity = ?1)
   AND (?2 IS NULL OR a.entity_key = ?2)
   AND (?3 IS NULL OR a.action = ?3)
   AND (?4 IS NULL OR a.actor = ?4 COLLATE NOCASE
        OR (lower(?4) IN ('cli', '(command line)') AND a.actor IN ('cli', '(command line)')))
   AND (?5 IS NULL OR a.user_id = ?5)
   AND (?6 IS NULL OR a.campaign_id = ?6)
   AND (?7 IS NULL OR a.at >= ?7)
   AND (?8 IS NULL OR a.at <= ?8)
   AND (?9 IS NULL OR c.slug = ?9)
)sql";

constexpr const char* from_clause = " FROM audit_log a LEFT JOIN campaigns c ON c.id = a.campaign_id";

void bind_filters(SQLite::Statement& st, const audit_query& q) {
    bind_optional(st, 1, q.entity);
    bind_optional(st, 2, q.entity_key);
    bind_optional(st, 3, q.action);
    bind_optional(st, 4, q.actor);
    bind_optional(st, 5, q.user_id);
    bind_optional(st, 6, q.campaign_id);
    bind_optional(st, 7, q.from);
    bind_optional(st, 8, upper_bound_text(q.to));
    bind_optional(st, 9, q.campaign_slug);
}

std::vector<std::string> distinct_column(SQLite::Database& db, const char* sql) {
    std::vector<std::string> out;
    SQLite::Statement st(db, sql);
    while (st.executeStep()) out.push_back(st.getColumn(0).getString());
    return out;
}

}  // namespace

std::string audit_now_utc() {
    return iso_utc_ms(date::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

void record_change(SQLite::Database& db, const audit_actor& who, std::int64_t campaign_id, std::string entity,
                   std::string key, std::string action, std::optional<std::string> before,
                   std::optional<std::string> after) {
    audit_entry e;
    e.user_id = who.user_id;
    e.actor = who.name;
    e.campaign_id = campaign_id;
    e.entity = std::move(entity);
    e.entity_key = std::move(key);
    e.action = std::move(action);
    e.before_json = std::move(before);
    e.after_json = std::move(after);
    record_audit(db, e);
}

std::string placement_audit_json(const std::string& state, const std::optional<std::string>& aired_at,
                                 const std::string& note) {
    boost::json::object o;
    o["state"] = state;
    o["aired_at"] = aired_at ? boost::json::value(*aired_at) : boost::json::value(nullptr);
    o["note"] = note;
    return boost::json::serialize(o);
}

void record_audit(SQLite::Database& db, const audit_entry& e) {
    SQLite::Statement st(
        db,
        "INSERT INTO audit_log (at, user_id, actor, campaign_id, entity, entity_key, action, "
        "before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, audit_now_utc());
    bind_optional(st, 2, e.user_id);
    st.bind(3, e.actor);
    bind_optional(st, 4, e.campaign_id);
    st.bind(5, e.entity);
    st.bind(6, e.entity_key);
    st.bind(7, e.action);
    bind_optional(st, 8, e.before_json);
    bind_optional(st, 9, e.after_json);
    st.exec();
}

audit_page query_audit(SQLite::Database& db, const audit_query& q) {
    audit_page page;
    {
        SQLite::Statement count(db, std::string("SELECT count(*)") + from_clause + where_clause);
        bind_filters(count, q);
        if (count.executeStep()) page.total = count.getColumn(0).getInt64();
    }
    SQLite::Statement st(db, std::string("SELECT a.id, a.at, a.user_id, a.actor, a.campaign_id, "
                                         "coalesce(c.slug, ''), a.entity, a.entity_key, a.action, "
                                         "a.before_json, a.after_json") +
                                 from_clause + where_clause +
                                 " ORDER BY a.at DESC, a.id DESC LIMIT ?10 OFFSET ?11");
    bind_filters(st, q);
    st.bind(10, std::clamp(q.limit, 1, 1000));
    st.bind(11, std::max(q.offset, 0));
    while (st.executeStep()) {
        audit_record r;
        r.id = st.getColumn(0).getInt64();
        r.at = st.getColumn(1).getString();
        r.user_id = optional_int(st.getColumn(2));
        r.actor = st.getColumn(3).getString();
        r.campaign_id = optional_int(st.getColumn(4));
        r.campaign_slug = st.getColumn(5).getString();
        r.entity = st.getColumn(6).getString();
        r.entity_key = st.getColumn(7).getString();
        r.action = st.getColumn(8).getString();
        r.before_json = optional_text(st.getColumn(9));
        r.after_json = optional_text(st.getColumn(10));
        page.records.push_back(std::move(r));
    }
    return page;
}

std::vector<std::string> audit_entities(SQLite::Database& db) {
    return distinct_column(db, "SELECT DISTINCT entity FROM audit_log ORDER BY entity");
}

std::vector<std::string> audit_actions(SQLite::Database& db) {
    return distinct_column(db, "SELECT DISTINCT action FROM audit_log ORDER BY action");
}

std::vector<std::string> audit_actors(SQLite::Database& db) {
    // The commands write themselves as "cli" or "(command line)": one actor, listed as "cli".
    return distinct_column(db,
                           "SELECT DISTINCT CASE actor WHEN '(command line)' THEN 'cli' ELSE actor END AS who "
                           "FROM audit_log ORDER BY who");
}

}  // namespace loa::core
