// Message writes from the web forms (versions, review workflow), each with its audit row in one
// BEGIN IMMEDIATE transaction, and the reads the message pages need.
#include "core/storage/message_store.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/storage/audit_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/statement_helpers.hpp"
#include "core/storage/stored_time.hpp"
#include "core/text/ascii_fold.hpp"
#include "core/text/unicode.hpp"

namespace loa::core {
namespace {

namespace json = boost::json;
using row_id = std::int64_t;

// Codes are at most 64 characters (docs/campaign-format.md); the base leaves room for "-NNN".
constexpr std::size_t max_code_base = 56;
constexpr const char* fallback_code = "message";

// ---- Values as the schema stores them (dates: core/storage/stored_time.hpp) -------------------

// True when `r` gives exactly the days start..end.
bool resolves_to(const relative_flight& r, calendar_date start, calendar_date end) {
    const date::sys_days key{r.key};
    return calendar_date{key - date::days{r.days_before}} == start &&
           calendar_date{key + date::days{r.days_after}} == end;
}

// A flight given relative to a key date (campaign files only) stays so while the message's flight is
// still the days it gives; an edit of the dates makes the flight plain dates.
void keep_relative_flight(message& m, const message& from) {
    m.flight_relative =
        from.flight_relative && resolves_to(*from.flight_relative, m.flight_start, m.flight_end)
            ? from.flight_relative
            : std::nullopt;
}

// The planner's rules of a message (per-day/per-week limits, spacing, dayparts) are part of what is
// approved, and of each version written since the form edits them; `m` takes them, and the relative
// flight, from `from` (the message's row, for an approved version's content).
void keep_planner_rules(message& m, const message& from) {
    m.airings_per_day = from.airings_per_day;
    m.airings_per_week = from.airings_per_week;
    m.max_per_outlet_per_day = from.max_per_outlet_per_day;
    m.min_gap_minutes = from.min_gap_minutes;
    m.dayparts = from.dayparts;
    keep_relative_flight(m, from);
}

// ---- Reading ---------------------------------------------------------------------------------

struct located_message {
    row_id id = 0;
    row_id campaign_id = 0;
    stored_message value;
};

constexpr const char* message_columns =
    "SELECT m.id, m.campaign_id, m.code, d.code, m.title_vi, m.title_en, m.text_vi, m.text_en, m.duration_s, "
    "m.priority, m.flight_start, m.flight_end, m.airings, m.state, m.version, m.approved_version, m.origin, "
    "m.created_at, m.updated_at, m.airings_per_day, m.airings_per_week, m.max_per_outlet_per_day, "
    "m.min_gap_minutes, m.flight_key_date, m.flight_days_before, m.flight_days_after "
    "FROM messages m JOIN departments d ON d.id = m.department_id ";

// One message by its code (its children are read by read_message).
const std::string message_by_code =
    std::string(message_columns) + "WHERE m.campaign_id = ? AND m.code = ? AND m.archived = 0";
// The same for a message its campaign file no longer has (codes are never given again).
const std::string archived_message_by_code =
    std::string(message_columns) + "WHERE m.campaign_id = ? AND m.code = ? AND m.archived = 1";

located_message message_row(SQLite::Statement& st) {
    located_message r;
    r.id = st.getColumn(0).getInt64();
    r.campaign_id = st.getColumn(1).getInt64();
    message& m = r.value.item;
    m.id = st.getColumn(2).getString();
    m.department = st.getColumn(3).getString();
    m.title = {st.getColumn(4).getString(), st.getColumn(5).getString()};
    m.text = {st.getColumn(6).getString(), st.getColumn(7).getString()};
    m.duration_s = st.getColumn(8).getInt();
    m.priority = st.getColumn(9).getInt();
    m.flight_start = stored_date(st.getColumn(10).getString());
    m.flight_end = stored_date(st.getColumn(11).getString());
    m.airings = st.getColumn(12).getInt();
    m.state = st.getColumn(13).getString();
    r.value.version = st.getColumn(14).getInt();
    if (!st.getColumn(15).isNull()) r.value.approved_version = st.getColumn(15).getInt();
    r.value.origin = st.getColumn(16).getString();
    r.value.created_at = st.getColumn(17).getString();
    r.value.updated_at = st.getColumn(18).getString();
    m.airings_per_day = st.getColumn(19).getInt();
    m.airings_per_week = st.getColumn(20).getInt();
    m.max_per_outlet_per_day = st.getColumn(21).getInt();
    m.min_gap_minutes = st.getColumn(22).getInt();
    if (const std::string key = st.getColumn(23).getString(); !key.empty()) {
        m.flight_relative =
            relative_flight{stored_date(key), st.getColumn(24).getInt(), st.getColumn(25).getInt()};
    }
    return r;
}

// Fills the channels, audiences, outlets and dayparts of the messages in `rows` (by row id) from the
// campaign's children.
void read_children(SQLite::Database& db, row_id campaign_id, std::vector<located_message>& rows) {
    std::unordered_map<row_id, message*> by_id;
    for (auto& r : rows) by_id.emplace(r.id, &r.value.item);
    // One child list per query: (message id, value) in the message's order.
    const auto fill = [&](const char* sql, std::vector<std::string> message::*list) {
        SQLite::Statement st(db, sql);
        st.bind(1, campaign_id);
        while (st.executeStep()) {
            auto it = by_id.find(st.getColumn(0).getInt64());
            if (it != by_id.end()) (it->second->*list).push_back(st.getColumn(1).getString());
        }
    };
    fill("SELECT c.message_id, c.channel FROM message_channels c JOIN messages p ON p.id = "
         "c.message_id WHERE p.campaign_id = ? ORDER BY c.message_id, c.position",
         &message::channels);
    fill("SELECT c.message_id, a.code FROM message_audiences c JOIN messages p ON p.id = "
         "c.message_id JOIN audiences a ON a.id = c.audience_id WHERE p.campaign_id = ? "
         "ORDER BY c.message_id, c.position",
         &message::audiences);
    fill("SELECT c.message_id, o.slug FROM message_outlets c JOIN messages p ON p.id = "
         "c.message_id JOIN outlets o ON o.id = c.outlet_id WHERE p.campaign_id = ? "
         "ORDER BY c.message_id, c.position",
         &message::outlets);
    fill("SELECT c.message_id, c.daypart_code FROM message_dayparts c JOIN messages p ON "
         "p.id = c.message_id WHERE p.campaign_id = ? ORDER BY c.message_id, c.position",
         &message::dayparts);
}

std::optional<located_message> read_message(statement_source db, row_id campaign_id, std::string_view code,
                                             bool archived = false) {
    const read_statement lease(db, archived ? archived_message_by_code : message_by_code);
    SQLite::Statement& st = *lease;
    st.bind(1, campaign_id);
    st.bind(2, std::string(code));
    if (!st.executeStep()) return std::nullopt;
    std::vector<located_message> rows{message_row(st)};
    // One message's children: bounded by the statement's message id.
    const read_statement ch_lease(
        db, "SELECT channel FROM message_channels WHERE message_id = ? ORDER BY position");
    SQLite::Statement& ch = *ch_lease;
    ch.bind(1, rows[0].id);
    while (ch.executeStep()) rows[0].value.item.channels.push_back(ch.getColumn(0).getString());
    const read_statement au_lease(
        db,
        "SELECT a.code FROM message_audiences c JOIN audiences a ON a.id = c.audience_id "
        "WHERE c.message_id = ? ORDER BY c.position");
    SQLite::Statement& au = *au_lease;
    au.bind(1, rows[0].id);
    while (au.executeStep()) rows[0].value.item.audiences.push_back(au.getColumn(0).getString());
    const read_statement ou_lease(db,
                                  "SELECT o.slug FROM message_outlets c JOIN outlets o ON o.id = c.outlet_id "
                                  "WHERE c.message_id = ? ORDER BY c.position");
    SQLite::Statement& ou = *ou_lease;
    ou.bind(1, rows[0].id);
    while (ou.executeStep()) rows[0].value.item.outlets.push_back(ou.getColumn(0).getString());
    const read_statement dp_lease(
        db, "SELECT daypart_code FROM message_dayparts WHERE message_id = ? ORDER BY position");
    SQLite::Statement& dp = *dp_lease;
    dp.bind(1, rows[0].id);
    while (dp.executeStep()) rows[0].value.item.dayparts.push_back(dp.getColumn(0).getString());
    return std::move(rows[0]);
}

// One active message by its row id (for callers that hold the id: an import, a placement's message).
std::optional<located_message> read_message_by_id(SQLite::Database& sql, row_id id) {
    SQLite::Statement where(sql, "SELECT campaign_id, code FROM messages WHERE id = ?");
    where.bind(1, id);
    if (!where.executeStep()) return std::nullopt;
    return read_message(sql, where.getColumn(0).getInt64(), where.getColumn(1).getString());
}

// ---- Writing ---------------------------------------------------------------------------------

std::optional<row_id> department_id(SQLite::Database& db, row_id campaign_id, const std::string& code) {
    SQLite::Statement st(db,
                         "SELECT id FROM departments WHERE campaign_id = ? AND code = ? AND archived = 0");
    st.bind(1, campaign_id);
    st.bind(2, code);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getInt64();
}

std::optional<row_id> audience_id(SQLite::Database& db, row_id campaign_id, const std::string& code) {
    SQLite::Statement st(db, "SELECT id FROM audiences WHERE campaign_id = ? AND code = ? AND archived = 0");
    st.bind(1, campaign_id);
    st.bind(2, code);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getInt64();
}

// An active outlet's row id and kind.
std::optional<std::pair<row_id, std::string>> outlet_of(SQLite::Database& db, row_id campaign_id,
                                                        const std::string& slug) {
    SQLite::Statement st(db,
                         "SELECT id, kind FROM outlets WHERE campaign_id = ? AND slug = ? AND archived = 0");
    st.bind(1, campaign_id);
    st.bind(2, slug);
    if (!st.executeStep()) return std::nullopt;
    return std::pair{st.getColumn(0).getInt64(), st.getColumn(1).getString()};
}

// Whether `code` is a daypart of an active outlet `m` can run on (may_run_on), as campaign files are
// checked.
bool daypart_reachable(SQLite::Database& db, row_id campaign_id, const message& m, const std::string& code) {
    SQLite::Statement st(db,
                         "SELECT o.slug, o.kind FROM dayparts d JOIN outlets o ON o.id = d.outlet_id "
                         "WHERE o.campaign_id = ? AND o.archived = 0 AND d.code = ?");
    st.bind(1, campaign_id);
    st.bind(2, code);
    while (st.executeStep()) {
        if (may_run_on(m, st.getColumn(0).getString(), st.getColumn(1).getString())) return true;
    }
    return false;
}

bool known_channel(const std::string& c) {
    return std::any_of(std::begin(channel_names), std::end(channel_names),
                       [&](const char* n) { return c == n; });
}

// References of `m` resolved to row ids, or the first one that does not resolve.
struct references {
    message_errc error = message_errc::ok;
    row_id department = 0;
    std::vector<row_id> audiences;
    std::vector<row_id> outlets;
};

references resolve(SQLite::Database& db, row_id campaign_id, const message& m) {
    references r;
    for (const auto& c : m.channels) {
        if (!known_channel(c)) {
            r.error = message_errc::unknown_channel;
            return r;
        }
    }
    auto dept = department_id(db, campaign_id, m.department);
    if (!dept) {
        r.error = message_errc::unknown_department;
        return r;
    }
    r.department = *dept;
    for (const auto& code : m.audiences) {
        auto a = audience_id(db, campaign_id, code);
        if (!a) {
            r.error = message_errc::unknown_audience;
            return r;
        }
        r.audiences.push_back(*a);
    }
    for (const auto& slug : m.outlets) {
        auto o = outlet_of(db, campaign_id, slug);
        if (!o) {
            r.error = message_errc::unknown_outlet;
            return r;
        }
        if (std::find(m.channels.begin(), m.channels.end(), o->second) == m.channels.end()) {
            r.error = message_errc::outlet_channel;
            return r;
        }
        r.outlets.push_back(o->first);
    }
    for (const auto& code : m.dayparts) {
        if (!daypart_reachable(db, campaign_id, m, code)) {
            r.error = message_errc::unknown_daypart;
            return r;
        }
    }
    return r;
}

void write_children(SQLite::Database& db, row_id id, const message& m, const references& refs) {
    message_lists_writer(db).write(id, m.channels, refs.audiences, refs.outlets, m.dayparts);
}

// Binds the planner's rules of `m` from parameter `i` on (7 values, as planner_columns lists them).
constexpr const char* planner_columns =
    "airings_per_day, airings_per_week, max_per_outlet_per_day, min_gap_minutes, flight_key_date, "
    "flight_days_before, flight_days_after";

void bind_planner_rules(SQLite::Statement& st, int& i, const message& m) {
    st.bind(++i, m.airings_per_day);
    st.bind(++i, m.airings_per_week);
    st.bind(++i, m.max_per_outlet_per_day);
    st.bind(++i, m.min_gap_minutes);
    st.bind(++i, m.flight_relative ? stored_date_text(m.flight_relative->key) : std::string());
    st.bind(++i, m.flight_relative ? m.flight_relative->days_before : 0);
    st.bind(++i, m.flight_relative ? m.flight_relative->days_after : 0);
}

bool code_taken(SQLite::Database& db, row_id campaign_id, const std::string& code) {
    // "new" names the editor page in /campaigns/{slug}/messages/new: a message so named is unreachable.
    if (code == "new") return true;
    SQLite::Statement st(db, "SELECT 1 FROM messages WHERE campaign_id = ? AND code = ?");
    st.bind(1, campaign_id);
    st.bind(2, code);
    return st.executeStep();
}

std::string unique_code(SQLite::Database& db, row_id campaign_id, const message& m) {
    std::string base = code_from_text(m.title.vi, max_code_base);
    if (base.empty()) base = code_from_text(m.text.vi, max_code_base);
    if (base.empty()) base = fallback_code;
    if (!code_taken(db, campaign_id, base)) return base;
    for (int n = 2;; ++n) {
        std::string candidate = base + "-" + std::to_string(n);
        if (!code_taken(db, campaign_id, candidate)) return candidate;
    }
}

void write_version(SQLite::Database& db, row_id message_id, int version, const message& content,
                   std::optional<std::int64_t> user_id, const std::string& at) {
    SQLite::Statement st(
        db,
        "INSERT INTO message_versions (message_id, version, content_json, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?)");
    st.bind(1, message_id);
    st.bind(2, version);
    st.bind(3, message_content_json(content));
    if (user_id) {
        st.bind(4, *user_id);
    } else {
        st.bind(4);
    }
    st.bind(5, at);
    st.exec();
}

// The content stored for a version, as its JSON; nullopt when it has no row.
std::optional<std::string> version_json(SQLite::Database& db, row_id message_id, int version) {
    SQLite::Statement st(db, "SELECT content_json FROM message_versions WHERE message_id = ? AND version = ?");
    st.bind(1, message_id);
    st.bind(2, version);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
}

void write_review(SQLite::Database& db, row_id message_id, int version, const message_actor& who,
                  const char* action, std::string_view comment, const std::string& at) {
    SQLite::Statement st(db,
                         "INSERT INTO message_reviews (message_id, version, user_id, action, comment, at) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, message_id);
    st.bind(2, version);
    if (who.user_id) {
        st.bind(3, *who.user_id);
    } else {
        st.bind(3);
    }
    st.bind(4, action);
    st.bind(5, std::string(comment));
    st.bind(6, at);
    st.exec();
}

message_result failure(message_errc e) {
    message_result r;
    r.error = e;
    return r;
}

message_result success(stored_message s) {
    message_result r;
    r.value = std::move(s);
    return r;
}

// The content fields only: what a version is made of.
bool same_content(const message& a, const message& b) {
    return a.department == b.department && a.title == b.title && a.text == b.text &&
           a.channels == b.channels && a.duration_s == b.duration_s && a.priority == b.priority &&
           a.flight_start == b.flight_start && a.flight_end == b.flight_end && a.airings == b.airings &&
           a.audiences == b.audiences && a.outlets == b.outlets;
}

// The version whose row holds `m`'s content as it is now: its own number, with the row written
// when it has none (a message from a file: its first version has no row); when its row holds other
// content (the file was imported again since that row was written, under the same number), that
// content becomes the next version (other planner's rules too, where the row recorded them: rows
// from before did not).
int version_of_content(SQLite::Database& db, row_id message_id, const stored_message& m) {
    const auto stored = version_json(db, message_id, m.version);
    if (!stored) {
        write_version(db, message_id, m.version, m.item, std::nullopt, m.updated_at);
        return m.version;
    }
    bool rules_recorded = false;
    const auto content = message_from_content_json(*stored, &rules_recorded);
    if (content && same_content(*content, m.item) && (!rules_recorded || same_planner_rules(*content, m.item)))
        return m.version;
    const int next = m.version + 1;
    write_version(db, message_id, next, m.item, std::nullopt, m.updated_at);
    SQLite::Statement bump(db, "UPDATE messages SET version = ? WHERE id = ?");
    bump.bind(1, next);
    bump.bind(2, message_id);
    bump.exec();
    return next;
}

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// The schedule's clock: the caller's (a rehearsing server's), else the system clock.
ms_time schedule_time(std::optional<ms_time> given) {
    return given ? *given : std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// `t` as placements' start_utc is stored, to compare with it (follow_approval).
std::string due_text(ms_time t) {
    return stored_utc_text(std::chrono::floor<std::chrono::seconds>(t));
}

// A state change of one message: from one of `from` to `to`, checked against `version`.
message_result transition(database& db, std::string_view slug, std::string_view code,
                          const message_actor& who, std::optional<int> version,
                          std::initializer_list<std::string_view> from, const char* to, const char* action,
                          std::string_view comment, std::optional<ms_time> schedule_now = std::nullopt) {
    if (code_points(comment) > max_review_comment_chars) return failure(message_errc::comment_too_long);
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, slug);
    if (!campaign_id) return failure(message_errc::unknown_campaign);
    auto before = read_message(sql, *campaign_id, code);
    if (!before) return failure(message_errc::not_found);
    if (version && *version != before->value.version) return failure(message_errc::stale_version);
    if (std::find(from.begin(), from.end(), before->value.item.state) == from.end())
        return failure(message_errc::wrong_state);

    const std::string now = audit_now_utc();
    const bool approving = std::string_view(to) == "approved";
    // The approval is bound to the content the approver saw, which goes out as its version's row
    // (version_of_content: a file's message may have none yet, or content of its own since).
    const int reviewed = approving ? version_of_content(sql, before->id, before->value) : before->value.version;
    SQLite::Statement upd(sql,
                          "UPDATE messages SET state = ?, approved_version = CASE WHEN ? THEN version "
                          "ELSE approved_version END, updated_at = ? WHERE id = ?");
    upd.bind(1, to);
    upd.bind(2, approving ? 1 : 0);
    upd.bind(3, now);
    upd.bind(4, before->id);
    upd.exec();
    write_review(sql, before->id, reviewed, who, action, comment, now);
    // Approved content is due to go out: its placements still ahead get their dispatches now, in
    // this transaction.
    if (approving) {
        // Brought back first: what is still withdrawn gets no dispatch.
        const ms_time due = schedule_time(schedule_now);
        follow_approval(sql, before->id, now, due_text(due));
        enqueue_message(db, slug, code, due);
    }
    auto after = read_message(sql, *campaign_id, code);
    record_change(sql, who, *campaign_id, "message", after->value.item.id, action, message_audit_json(before->value),
          message_audit_json(after->value));
    tx.commit();
    return success(std::move(after->value));
}

json::array string_array(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

json::object localized_json(const localized& l) {
    return json::object{{"vi", l.vi}, {"en", l.en}};
}

json::object rules_object(const message& m) {
    return json::object{{"airings_per_day", m.airings_per_day},
                        {"airings_per_week", m.airings_per_week},
                        {"max_per_outlet_per_day", m.max_per_outlet_per_day},
                        {"min_gap_minutes", m.min_gap_minutes},
                        {"dayparts", string_array(m.dayparts)}};
}

// The content of a version: what the form edits but the planner's rules (rules_object), which a
// version holds as one object and the audit log as fields of their own (naming the one that changed).
json::object content_object(const message& m) {
    json::object o;
    o["code"] = m.id;
    o["department"] = m.department;
    o["title"] = localized_json(m.title);
    o["text"] = localized_json(m.text);
    o["channels"] = string_array(m.channels);
    o["duration_s"] = m.duration_s;
    o["priority"] = m.priority;
    o["flight_start"] = stored_date_text(m.flight_start);
    o["flight_end"] = stored_date_text(m.flight_end);
    o["airings"] = m.airings;
    o["audiences"] = string_array(m.audiences);
    o["outlets"] = string_array(m.outlets);
    return o;
}

}  // namespace

std::string message_content_json(const message& m) {
    json::object o = content_object(m);
    o["rules"] = rules_object(m);
    return json::serialize(o);
}

std::string message_audit_json(const stored_message& s) {
    json::object o = content_object(s.item);
    for (auto& kv : rules_object(s.item)) o[kv.key()] = std::move(kv.value());
    o["state"] = s.item.state;
    o["version"] = s.version;
    if (s.approved_version) {
        o["approved_version"] = *s.approved_version;
    } else {
        o["approved_version"] = nullptr;
    }
    o["origin"] = s.origin;
    return json::serialize(o);
}

std::optional<message> message_from_content_json(std::string_view text, bool* rules_recorded) {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const json::object& o = v.get_object();
    const auto str = [&](const char* key) -> std::optional<std::string> {
        const json::value* f = o.if_contains(key);
        if (f == nullptr || !f->is_string()) return std::nullopt;
        return std::string(f->get_string());
    };
    const auto integer = [&](const char* key) -> std::optional<int> {
        const json::value* f = o.if_contains(key);
        if (f == nullptr || !f->is_int64()) return std::nullopt;
        return static_cast<int>(f->get_int64());
    };
    const auto loc = [&](const char* key) -> std::optional<localized> {
        const json::value* f = o.if_contains(key);
        if (f == nullptr || !f->is_object()) return std::nullopt;
        const json::value* vi = f->get_object().if_contains("vi");
        const json::value* en = f->get_object().if_contains("en");
        if (vi == nullptr || en == nullptr || !vi->is_string() || !en->is_string()) return std::nullopt;
        return localized{std::string(vi->get_string()), std::string(en->get_string())};
    };
    const auto list = [&](const char* key) -> std::optional<std::vector<std::string>> {
        const json::value* f = o.if_contains(key);
        if (f == nullptr || !f->is_array()) return std::nullopt;
        std::vector<std::string> out;
        for (const auto& e : f->get_array()) {
            if (!e.is_string()) return std::nullopt;
            out.emplace_back(e.get_string());
        }
        return out;
    };
    auto code = str("code");
    auto department = str("department");
    auto title = loc("title");
    auto body = loc("text");
    auto channels = list("channels");
    auto duration = integer("duration_s");
    auto priority = integer("priority");
    auto start_text = str("flight_start");
    auto end_text = str("flight_end");
    auto airings = integer("airings");
    auto audiences = list("audiences");
    // Versions written before messages could name outlets have none.
    auto outlets = o.contains("outlets")
                       ? list("outlets")
                       : std::optional<std::vector<std::string>>(std::vector<std::string>{});
    if (!code || !department || !title || !body || !channels || !duration || !priority || !start_text ||
        !end_text || !airings || !audiences || !outlets)
        return std::nullopt;
    auto start = parse_stored_date(*start_text);
    auto end = parse_stored_date(*end_text);
    if (!start || !end) return std::nullopt;
    message m;
    m.id = std::move(*code);
    m.department = std::move(*department);
    m.title = std::move(*title);
    m.text = std::move(*body);
    m.channels = std::move(*channels);
    m.duration_s = *duration;
    m.priority = *priority;
    m.flight_start = *start;
    m.flight_end = *end;
    m.airings = *airings;
    m.audiences = std::move(*audiences);
    m.outlets = std::move(*outlets);
    m.state.clear();
    // Versions written before the form edited the planner's rules have none: the rules stay at
    // their defaults, and rules_recorded says they are unknown.
    const json::value* rules = o.if_contains("rules");
    if (rules_recorded != nullptr) *rules_recorded = rules != nullptr;
    if (rules != nullptr) {
        if (!rules->is_object()) return std::nullopt;
        const json::object& r = rules->get_object();
        const std::pair<const char*, int message::*> counts[] = {
            {"airings_per_day", &message::airings_per_day},
            {"airings_per_week", &message::airings_per_week},
            {"max_per_outlet_per_day", &message::max_per_outlet_per_day},
            {"min_gap_minutes", &message::min_gap_minutes},
        };
        for (const auto& [key, field] : counts) {
            const json::value* f = r.if_contains(key);
            if (f == nullptr || !f->is_int64()) return std::nullopt;
            m.*field = static_cast<int>(f->get_int64());
        }
        const json::value* dayparts = r.if_contains("dayparts");
        if (dayparts == nullptr || !dayparts->is_array()) return std::nullopt;
        for (const auto& e : dayparts->get_array()) {
            if (!e.is_string()) return std::nullopt;
            m.dayparts.emplace_back(e.get_string());
        }
    }
    return m;
}

message_result create_message(database& db, std::string_view campaign_slug, message m,
                              const message_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return failure(message_errc::unknown_campaign);
    const references refs = resolve(sql, *campaign_id, m);
    if (refs.error != message_errc::ok) return failure(refs.error);

    m.id = unique_code(sql, *campaign_id, m);
    m.state = "draft";
    if (m.flight_relative && !resolves_to(*m.flight_relative, m.flight_start, m.flight_end))
        m.flight_relative.reset();
    SQLite::Statement pos(sql, "SELECT COALESCE(MAX(position), -1) + 1 FROM messages WHERE campaign_id = ?");
    pos.bind(1, *campaign_id);
    pos.executeStep();
    const int position = pos.getColumn(0).getInt();
    const std::string now = audit_now_utc();

    SQLite::Statement ins(
        sql,
        std::string("INSERT INTO messages (campaign_id, code, department_id, title_vi, title_en, text_vi, "
                    "text_en, duration_s, priority, flight_start, flight_end, airings, state, position, "
                    "archived, created_at, updated_at, version, approved_version, origin, ") +
            planner_columns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, 0, ?, ?, 1, NULL, 'web', "
            "?, ?, ?, ?, ?, ?, ?)");
    int i = 0;
    ins.bind(++i, *campaign_id);
    ins.bind(++i, m.id);
    ins.bind(++i, refs.department);
    ins.bind(++i, m.title.vi);
    ins.bind(++i, m.title.en);
    ins.bind(++i, m.text.vi);
    ins.bind(++i, m.text.en);
    ins.bind(++i, m.duration_s);
    ins.bind(++i, m.priority);
    ins.bind(++i, stored_date_text(m.flight_start));
    ins.bind(++i, stored_date_text(m.flight_end));
    ins.bind(++i, m.airings);
    ins.bind(++i, position);
    ins.bind(++i, now);
    ins.bind(++i, now);
    bind_planner_rules(ins, i, m);
    ins.exec();
    const row_id id = sql.getLastInsertRowid();
    write_children(sql, id, m, refs);
    write_version(sql, id, 1, m, who.user_id, now);

    auto created = read_message(sql, *campaign_id, m.id);
    record_change(sql, who, *campaign_id, "message", m.id, "create", std::nullopt, message_audit_json(created->value));
    tx.commit();
    return success(std::move(created->value));
}

message_result update_message(database& db, std::string_view campaign_slug, std::string_view code, message m,
                              const message_actor& who, std::optional<int> based_on_version,
                              std::optional<ms_time> schedule_now) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return failure(message_errc::unknown_campaign);
    auto before = read_message(sql, *campaign_id, code);
    if (!before) return failure(message_errc::not_found);
    if (based_on_version && *based_on_version != before->value.version)
        return failure(message_errc::stale_version);
    keep_stored_order(m.audiences, before->value.item.audiences);
    keep_stored_order(m.channels, before->value.item.channels);
    keep_stored_order(m.outlets, before->value.item.outlets);
    const references refs = resolve(sql, *campaign_id, m);
    if (refs.error != message_errc::ok) return failure(refs.error);
    keep_stored_order(m.dayparts, before->value.item.dayparts);
    m.id = before->value.item.id;
    keep_relative_flight(m, before->value.item);
    if (same_content(m, before->value.item) && same_planner_rules(m, before->value.item))
        return success(std::move(before->value));

    const std::string now = audit_now_utc();
    const std::string due_from = due_text(schedule_time(schedule_now));
    // The airings already due keep the approved content they went out with (which may make the
    // content of a file's message a version of its own first).
    if (keep_due_content(sql, before->id, due_from) > 0) before = read_message(sql, *campaign_id, code);
    // The content the edit replaces has a row (a file's message may have none yet), so the history
    // shows what the edit changed.
    const int old_version = version_of_content(sql, before->id, before->value);
    const int new_version = old_version + 1;
    const bool reopened = before->value.item.state != "draft";
    // The flight's key date is kept only while the flight is still the days it gives
    // (keep_relative_flight).
    SQLite::Statement upd(sql,
                          "UPDATE messages SET department_id = ?, title_vi = ?, title_en = ?, text_vi = ?, "
                          "text_en = ?, duration_s = ?, priority = ?, flight_start = ?, flight_end = ?, "
                          "airings = ?, state = 'draft', version = ?, origin = 'web', updated_at = ?, "
                          "airings_per_day = ?, airings_per_week = ?, max_per_outlet_per_day = ?, "
                          "min_gap_minutes = ?, flight_key_date = ?, flight_days_before = ?, flight_days_after = ? "
                          "WHERE id = ?");
    int i = 0;
    upd.bind(++i, refs.department);
    upd.bind(++i, m.title.vi);
    upd.bind(++i, m.title.en);
    upd.bind(++i, m.text.vi);
    upd.bind(++i, m.text.en);
    upd.bind(++i, m.duration_s);
    upd.bind(++i, m.priority);
    upd.bind(++i, stored_date_text(m.flight_start));
    upd.bind(++i, stored_date_text(m.flight_end));
    upd.bind(++i, m.airings);
    upd.bind(++i, new_version);
    upd.bind(++i, now);
    bind_planner_rules(upd, i, m);
    upd.bind(++i, before->id);
    upd.exec();
    write_children(sql, before->id, m, refs);
    write_version(sql, before->id, new_version, m, who.user_id, now);
    if (reopened) write_review(sql, before->id, new_version, who, "reopen", "", now);
    // Approved by its file, that version's row (just written) is the approved content from now on:
    // the message's page says so, and its airings due before the edit show it in the feeds.
    if (before->value.approved() && !before->value.approved_version) {
        SQLite::Statement mark(sql, "UPDATE messages SET approved_version = ? WHERE id = ?");
        mark.bind(1, old_version);
        mark.bind(2, before->id);
        mark.exec();
    }
    // The approval is gone with the edit: what was waiting to go out must not.
    if (before->value.approved()) {
        cancel_message_dispatches(db, campaign_slug, code,
                                  "message no longer approved: edited to version " + std::to_string(new_version));
        follow_approval(sql, before->id, now, due_from);
    }

    auto after = read_message(sql, *campaign_id, code);
    record_change(sql, who, *campaign_id, "message", after->value.item.id, "edit", message_audit_json(before->value),
          message_audit_json(after->value));
    tx.commit();
    return success(std::move(after->value));
}

message_result submit_message(database& db, std::string_view campaign_slug, std::string_view code,
                              const message_actor& who, std::optional<int> version,
                              std::string_view comment) {
    return transition(db, campaign_slug, code, who, version, {"draft"}, "submitted", "submit", comment);
}

message_result approve_message(database& db, std::string_view campaign_slug, std::string_view code,
                               const message_actor& who, int version, std::string_view comment,
                               std::optional<ms_time> now) {
    return transition(db, campaign_slug, code, who, version, {"submitted"}, "approved", "approve", comment, now);
}

message_result reject_message(database& db, std::string_view campaign_slug, std::string_view code,
                              const message_actor& who, int version, std::string_view comment) {
    if (blank(comment)) return failure(message_errc::comment_required);
    return transition(db, campaign_slug, code, who, version, {"submitted"}, "rejected", "reject", comment);
}

std::optional<stored_message> find_message(database& db, std::string_view campaign_slug,
                                           std::string_view code) {
    SQLite::Database& sql = db.sql();
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    auto found = read_message(sql, *campaign_id, code);
    if (!found) return std::nullopt;
    return std::move(found->value);
}

std::optional<stored_message> find_archived_message(database& db, std::string_view campaign_slug,
                                                    std::string_view code) {
    SQLite::Database& sql = db.sql();
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    auto found = read_message(sql, *campaign_id, code, true);
    if (!found) return std::nullopt;
    return std::move(found->value);
}

std::optional<std::vector<stored_message>> list_messages(database& db, std::string_view campaign_slug,
                                                         const message_filter& filter) {
    SQLite::Database& sql = db.sql();
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    SQLite::Statement st(sql,
                         std::string(message_columns) +
                             "WHERE m.campaign_id = ?1 AND m.archived = 0 "
                             "AND (?2 IS NULL OR d.code = ?2) AND (?3 IS NULL OR m.state = ?3) "
                             "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM message_channels c "
                             "WHERE c.message_id = m.id AND c.channel = ?4)) "
                             "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM message_audiences c JOIN audiences a "
                             "ON a.id = c.audience_id WHERE c.message_id = m.id AND a.code = ?5)) "
                             "ORDER BY m.position, m.id");
    st.bind(1, *campaign_id);
    const auto bind_opt = [&](int index, const std::optional<std::string>& v) {
        if (v) {
            st.bind(index, *v);
        } else {
            st.bind(index);
        }
    };
    bind_opt(2, filter.department);
    bind_opt(3, filter.state);
    bind_opt(4, filter.channel);
    bind_opt(5, filter.audience);
    std::vector<located_message> rows;
    while (st.executeStep()) rows.push_back(message_row(st));
    read_children(sql, *campaign_id, rows);
    std::vector<stored_message> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(std::move(r.value));
    return out;
}

std::optional<message_history> find_message_history(database& db, std::string_view campaign_slug,
                                                    std::string_view code) {
    SQLite::Database& sql = db.sql();
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    auto found = read_message(sql, *campaign_id, code);
    if (!found) return std::nullopt;
    message_history h;
    SQLite::Statement vs(sql,
                         "SELECT v.version, v.content_json, COALESCE(u.name, ''), v.created_at "
                         "FROM message_versions v LEFT JOIN users u ON u.id = v.created_by "
                         "WHERE v.message_id = ? ORDER BY v.version DESC");
    vs.bind(1, found->id);
    while (vs.executeStep()) {
        message_version_record r;
        r.version = vs.getColumn(0).getInt();
        auto content = message_from_content_json(vs.getColumn(1).getString(), &r.rules_recorded);
        if (!content) throw SQLite::Exception("the database holds malformed message version content");
        r.content = std::move(*content);
        r.author = vs.getColumn(2).getString();
        r.created_at = vs.getColumn(3).getString();
        h.versions.push_back(std::move(r));
    }
    SQLite::Statement rs(sql,
                         "SELECT r.version, r.action, r.comment, COALESCE(u.name, ''), r.at "
                         "FROM message_reviews r LEFT JOIN users u ON u.id = r.user_id "
                         "WHERE r.message_id = ? ORDER BY r.at DESC, r.id DESC");
    rs.bind(1, found->id);
    while (rs.executeStep()) {
        message_review_record r;
        r.version = rs.getColumn(0).getInt();
        r.action = rs.getColumn(1).getString();
        r.comment = rs.getColumn(2).getString();
        r.reviewer = rs.getColumn(3).getString();
        r.at = rs.getColumn(4).getString();
        h.reviews.push_back(std::move(r));
    }
    return h;
}

std::optional<message> approved_message(database& db, std::string_view campaign_slug, std::string_view code) {
    // A read path (the feeds read it for every message of a schedule): statements from the cache.
    const std::optional<row_id> campaign_id = active_campaign_id(db, campaign_slug);
    if (!campaign_id) return std::nullopt;
    auto found = read_message(db, *campaign_id, code);
    if (!found || !found->value.approved()) return std::nullopt;
    if (!found->value.approved_version) return std::move(found->value.item);  // approved in the file
    const statement_lease lease =
        db.cached("SELECT content_json FROM message_versions WHERE message_id = ? AND version = ?");
    SQLite::Statement& st = *lease;
    st.bind(1, found->id);
    st.bind(2, *found->value.approved_version);
    if (!st.executeStep()) {
        // Approved before approvals kept the version of a file's message: the version approved is
        // still the message's own (an edit makes a new one and takes the approval away; so does an
        // import that changes the file's content, which makes the message submitted again).
        if (*found->value.approved_version == found->value.version) return std::move(found->value.item);
        return std::nullopt;
    }
    auto content = message_from_content_json(st.getColumn(0).getString());
    if (!content) throw SQLite::Exception("the database holds malformed message version content");
    content->state = "approved";
    keep_planner_rules(*content, found->value.item);
    return content;
}

int keep_due_content(SQLite::Database& sql, std::int64_t message_id, const std::string& due_from) {
    // Only what would be stamped: most calls find nothing (an import calls this for every approved
    // message, and airings come due one by one).
    SQLite::Statement due(sql,
                          "SELECT 1 FROM placements WHERE message_id = ? AND content_version IS NULL AND "
                          "withdrawn_at IS NULL AND start_utc < ? LIMIT 1");
    due.bind(1, message_id);
    due.bind(2, due_from);
    if (!due.executeStep()) return 0;
    const auto m = read_message_by_id(sql, message_id);
    if (!m || !m->value.approved()) return 0;
    // Approved in a form: its approved version, whose row is the approved content (written when it
    // was approved, or, for a file's message approved before approvals kept it, the content itself);
    // never a new number, which would take the approval away. Approved by its file: the content
    // itself (version_of_content; an import that replaced it made it a version of its own then,
    // record_imported_content).
    int version = 0;
    if (m->value.approved_version) {
        version = *m->value.approved_version;
        if (!version_json(sql, message_id, version))
            write_version(sql, message_id, version, m->value.item, std::nullopt, m->value.updated_at);
    } else {
        version = version_of_content(sql, message_id, m->value);
    }
    // The item keeps its time of change: what the feeds said of it (the later of its own change and
    // the approval of the content it showed) is now its own (the kept content carries no time).
    const std::string approved_at =
        "COALESCE((SELECT max(r.at) FROM message_reviews r WHERE r.message_id = ?2 AND r.action = 'approve' "
        "AND r.version = ?1), (SELECT m.updated_at FROM messages m WHERE m.id = ?2))";
    SQLite::Statement keep(sql,
                           "UPDATE placements SET content_version = ?1, updated_at = max(updated_at, " + approved_at +
                               ") WHERE message_id = ?2 AND content_version IS NULL AND withdrawn_at IS NULL "
                               "AND start_utc < ?3");
    keep.bind(1, version);
    keep.bind(2, message_id);
    keep.bind(3, due_from);
    return keep.exec();
}

void record_imported_content(SQLite::Database& sql, std::int64_t message_id) {
    const auto m = read_message_by_id(sql, message_id);
    // No row yet: the content is its version's, written when something needs it.
    if (!m || !version_json(sql, message_id, m->value.version)) return;
    (void)version_of_content(sql, message_id, m->value);
}

std::optional<message> message_version(database& db, std::string_view campaign_slug, std::string_view code,
                                       int version) {
    const statement_lease lease = db.cached(
        "SELECT v.content_json FROM message_versions v JOIN messages m ON m.id = v.message_id "
        "JOIN campaigns c ON c.id = m.campaign_id WHERE c.slug = ? AND m.code = ? AND v.version = ?");
    SQLite::Statement& st = *lease;
    st.bind(1, std::string(campaign_slug));
    st.bind(2, std::string(code));
    st.bind(3, version);
    if (!st.executeStep()) return std::nullopt;
    auto content = message_from_content_json(st.getColumn(0).getString());
    if (!content) throw SQLite::Exception("the database holds malformed message version content");
    content->state = "approved";
    return content;
}

}  // namespace loa::core
