// Activity writes from the web forms, each with its audit row in one BEGIN IMMEDIATE transaction.
#include "core/storage/activity_store.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <sodium.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/statement_helpers.hpp"
#include "core/storage/stored_time.hpp"
#include "core/text/ascii_fold.hpp"

namespace loa::core {

namespace {

using row_id = std::int64_t;

// Codes are at most 64 characters (docs/campaign-format.md); the title part leaves room for "-NNN".
constexpr std::size_t max_code_base = 56;
constexpr const char* fallback_code = "activity";

// ---- Values as the schema stores them (dates and times: core/storage/stored_time.hpp) ----------

const char* visibility_text(visibility v) {
    return v == visibility::internal ? "internal" : "public";
}

// ---- JSON for the audit log ---------------------------------------------------------------------

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    std::array<char, 8> buf{};
                    std::snprintf(buf.data(), buf.size(), "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf.data();
                } else {
                    out += c;  // UTF-8 passes through as it is
                }
        }
    }
    out += '"';
}

class json_object_writer {
public:
    json_object_writer() { out_ = "{"; }
    void field(std::string_view name, std::string_view value) {
        key(name);
        append_json_string(out_, value);
    }
    // Not an overload of field(): a const char* would pick bool over string_view.
    void flag(std::string_view name, bool value) {
        key(name);
        out_ += value ? "true" : "false";
    }
    void field(std::string_view name, const localized& value) {
        key(name);
        out_ += "{\"vi\":";
        append_json_string(out_, value.vi);
        out_ += ",\"en\":";
        append_json_string(out_, value.en);
        out_ += '}';
    }
    void field(std::string_view name, const std::vector<std::string>& values) {
        key(name);
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) out_ += ',';
            append_json_string(out_, values[i]);
        }
        out_ += ']';
    }
    std::string finish() && {
        out_ += '}';
        return std::move(out_);
    }

private:
    void key(std::string_view name) {
        if (out_.size() > 1) out_ += ',';
        append_json_string(out_, name);
        out_ += ':';
    }
    std::string out_;
};

// ---- Reading ------------------------------------------------------------------------------------

constexpr const char* activity_columns =
    "SELECT a.id, a.code, d.code, a.kind, a.title_vi, a.title_en, a.description_vi, a.description_en, "
    "a.all_day, a.start_local, a.end_local, a.rrule, a.time_zone, a.location_vi, a.location_en, "
    "a.visibility, a.origin, a.cancelled, a.updated_at "
    "FROM activities a JOIN departments d ON d.id = a.department_id ";

stored_activity activity_from_row(SQLite::Statement& st) {
    const auto text = [&](int col) { return st.getColumn(col).getString(); };
    stored_activity s;
    activity& a = s.item;
    a.id = text(1);
    a.department = text(2);
    a.kind = text(3);
    a.title = {text(4), text(5)};
    a.description = {text(6), text(7)};
    a.all_day = st.getColumn(8).getInt() != 0;
    a.start = stored_local(text(9));
    a.end = stored_local(text(10));
    a.rrule = text(11);
    a.time_zone = text(12);
    a.location = {text(13), text(14)};
    a.vis = text(15) == "internal" ? visibility::internal : visibility::public_;
    s.origin = text(16);
    s.cancelled = st.getColumn(17).getInt() != 0;
    s.updated_at = text(18);
    return s;
}

// Fills the audiences of the activities whose row ids are in `rows`.
void read_audiences(SQLite::Database& db, row_id campaign_id,
                    std::unordered_map<row_id, stored_activity*>& rows) {
    SQLite::Statement st(
        db,
        "SELECT c.activity_id, au.code FROM activity_audiences c "
        "JOIN activities p ON p.id = c.activity_id JOIN audiences au ON au.id = c.audience_id "
        "WHERE p.campaign_id = ? ORDER BY c.activity_id, c.position");
    st.bind(1, campaign_id);
    while (st.executeStep()) {
        auto it = rows.find(st.getColumn(0).getInt64());
        if (it != rows.end()) it->second->item.audiences.push_back(st.getColumn(1).getString());
    }
}

struct found_activity {
    row_id id = 0;
    stored_activity value;
};

std::optional<found_activity> read_one(SQLite::Database& db, row_id campaign_id, std::string_view code) {
    SQLite::Statement st(
        db, std::string(activity_columns) + "WHERE a.campaign_id = ? AND a.code = ? AND a.archived = 0");
    st.bind(1, campaign_id);
    st.bind(2, std::string(code));
    if (!st.executeStep()) return std::nullopt;
    found_activity f{st.getColumn(0).getInt64(), activity_from_row(st)};
    SQLite::Statement aud(
        db,
        "SELECT au.code FROM activity_audiences c JOIN audiences au ON au.id = c.audience_id "
        "WHERE c.activity_id = ? ORDER BY c.position");
    aud.bind(1, f.id);
    while (aud.executeStep()) f.value.item.audiences.push_back(aud.getColumn(0).getString());
    return f;
}

// ---- Writing ------------------------------------------------------------------------------------

// The row ids of what `a` refers to, or the reason it cannot be stored.
struct references {
    activity_errc error = activity_errc::ok;
    row_id department_id = 0;
    std::vector<row_id> audience_ids;
};

references resolve_references(SQLite::Database& db, row_id campaign_id, const activity& a) {
    references r;
    SQLite::Statement dept(db,
                           "SELECT id FROM departments WHERE campaign_id = ? AND code = ? AND archived = 0");
    dept.bind(1, campaign_id);
    dept.bind(2, a.department);
    if (!dept.executeStep()) {
        r.error = activity_errc::unknown_department;
        return r;
    }
    r.department_id = dept.getColumn(0).getInt64();
    SQLite::Statement aud(db, "SELECT id FROM audiences WHERE campaign_id = ? AND code = ? AND archived = 0");
    for (const auto& code : a.audiences) {
        aud.reset();
        aud.bind(1, campaign_id);
        aud.bind(2, code);
        if (!aud.executeStep()) {
            r.error = activity_errc::unknown_audience;
            return r;
        }
        r.audience_ids.push_back(aud.getColumn(0).getInt64());
    }
    return r;
}

void write_audiences(SQLite::Database& db, row_id activity_id, const std::vector<row_id>& audience_ids) {
    SQLite::Statement del(db, "DELETE FROM activity_audiences WHERE activity_id = ?");
    del.bind(1, activity_id);
    del.exec();
    SQLite::Statement ins(
        db, "INSERT INTO activity_audiences (activity_id, position, audience_id) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < audience_ids.size(); ++i) {
        ins.reset();
        ins.bind(1, activity_id);
        ins.bind(2, static_cast<int>(i));
        ins.bind(3, audience_ids[i]);
        ins.exec();
    }
}

bool code_taken(SQLite::Database& db, row_id campaign_id, const std::string& code) {
    SQLite::Statement st(db, "SELECT 1 FROM activities WHERE campaign_id = ? AND code = ?");
    st.bind(1, campaign_id);
    st.bind(2, code);
    return st.executeStep();
}

// A code nobody in the campaign has used: the title's, then with -2, -3, … appended.
std::string unique_code(SQLite::Database& db, row_id campaign_id, const localized& title) {
    std::string base = code_from_text(title.vi, max_code_base);
    if (base.empty()) base = code_from_text(title.en, max_code_base);
    if (base.empty()) base = fallback_code;
    if (!code_taken(db, campaign_id, base)) return base;
    for (int n = 2;; ++n) {
        std::string candidate = base + "-" + std::to_string(n);
        if (!code_taken(db, campaign_id, candidate)) return candidate;
    }
}

activity_result failure(activity_errc e) {
    activity_result r;
    r.error = e;
    return r;
}

activity_result success(stored_activity s) {
    activity_result r;
    r.value = std::move(s);
    return r;
}

}  // namespace

std::string activity_audit_json(const stored_activity& s) {
    const activity& a = s.item;
    json_object_writer w;
    w.field("id", a.id);
    w.field("department", a.department);
    w.field("kind", a.kind);
    w.field("title", a.title);
    w.field("description", a.description);
    w.flag("all_day", a.all_day);
    w.field("start", stored_local_text(a.start));
    w.field("end", stored_local_text(a.end));
    w.field("rrule", a.rrule);
    w.field("time_zone", a.time_zone);
    w.field("location", a.location);
    w.field("audiences", a.audiences);
    w.field("visibility", visibility_text(a.vis));
    w.field("origin", s.origin);
    w.flag("cancelled", s.cancelled);
    return std::move(w).finish();
}

activity_result create_activity(database& db, std::string_view campaign_slug, activity a,
                                const change_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return failure(activity_errc::unknown_campaign);
    const references refs = resolve_references(sql, *campaign_id, a);
    if (refs.error != activity_errc::ok) return failure(refs.error);

    a.id = unique_code(sql, *campaign_id, a.title);
    SQLite::Statement pos(sql,
                          "SELECT COALESCE(MAX(position), -1) + 1 FROM activities WHERE campaign_id = ?");
    pos.bind(1, *campaign_id);
    pos.executeStep();
    const int position = pos.getColumn(0).getInt();

    const std::string now = audit_now_utc();
    SQLite::Statement ins(
        sql,
        "INSERT INTO activities (campaign_id, code, department_id, kind, title_vi, title_en, "
        "description_vi, description_en, all_day, start_local, end_local, time_zone, rrule, "
        "location_vi, location_en, visibility, position, archived, created_at, updated_at, "
        "origin, cancelled) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'web', 0)");
    int i = 0;
    ins.bind(++i, *campaign_id);
    ins.bind(++i, a.id);
    ins.bind(++i, refs.department_id);
    ins.bind(++i, a.kind);
    ins.bind(++i, a.title.vi);
    ins.bind(++i, a.title.en);
    ins.bind(++i, a.description.vi);
    ins.bind(++i, a.description.en);
    ins.bind(++i, a.all_day ? 1 : 0);
    ins.bind(++i, stored_local_text(a.start));
    ins.bind(++i, stored_local_text(a.end));
    ins.bind(++i, a.time_zone);
    ins.bind(++i, a.rrule);
    ins.bind(++i, a.location.vi);
    ins.bind(++i, a.location.en);
    ins.bind(++i, visibility_text(a.vis));
    ins.bind(++i, position);
    ins.bind(++i, now);
    ins.bind(++i, now);
    ins.exec();
    write_audiences(sql, sql.getLastInsertRowid(), refs.audience_ids);

    auto created = read_one(sql, *campaign_id, a.id);
    if (!created) throw SQLite::Exception("activity '" + a.id + "' vanished inside its own transaction");
    record_change(sql, who, *campaign_id, "activity", a.id, "create", std::nullopt, activity_audit_json(created->value));
    tx.commit();
    return success(std::move(created->value));
}

std::string activity_fingerprint(const stored_activity& a) {
    const std::string json = activity_audit_json(a);
    std::array<unsigned char, 16> hash{};
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(json.data()), json.size(),
                       nullptr, 0);
    std::array<char, 2 * 16 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return hex.data();
}

activity_result update_activity(database& db, std::string_view campaign_slug, std::string_view code,
                                activity a, const change_actor& who, std::string_view as_loaded) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return failure(activity_errc::unknown_campaign);
    auto before = read_one(sql, *campaign_id, code);
    if (!before) return failure(activity_errc::not_found);
    if (before->value.cancelled) return failure(activity_errc::already_cancelled);
    if (!as_loaded.empty() && as_loaded != activity_fingerprint(before->value)) {
        activity_result r;
        r.error = activity_errc::changed_meanwhile;
        r.value = std::move(before->value);
        return r;
    }
    keep_stored_order(a.audiences, before->value.item.audiences);
    const references refs = resolve_references(sql, *campaign_id, a);
    if (refs.error != activity_errc::ok) return failure(refs.error);

    a.id = before->value.item.id;
    // Saving the form unchanged writes nothing: no new audit row, a file item stays a file item.
    if (a == before->value.item) return success(std::move(before->value));

    SQLite::Statement upd(
        sql,
        "UPDATE activities SET department_id = ?, kind = ?, title_vi = ?, title_en = ?, "
        "description_vi = ?, description_en = ?, all_day = ?, start_local = ?, end_local = ?, "
        "time_zone = ?, rrule = ?, location_vi = ?, location_en = ?, visibility = ?, "
        "origin = 'web', updated_at = ? WHERE id = ?");
    int i = 0;
    upd.bind(++i, refs.department_id);
    upd.bind(++i, a.kind);
    upd.bind(++i, a.title.vi);
    upd.bind(++i, a.title.en);
    upd.bind(++i, a.description.vi);
    upd.bind(++i, a.description.en);
    upd.bind(++i, a.all_day ? 1 : 0);
    upd.bind(++i, stored_local_text(a.start));
    upd.bind(++i, stored_local_text(a.end));
    upd.bind(++i, a.time_zone);
    upd.bind(++i, a.rrule);
    upd.bind(++i, a.location.vi);
    upd.bind(++i, a.location.en);
    upd.bind(++i, visibility_text(a.vis));
    upd.bind(++i, audit_now_utc());
    upd.bind(++i, before->id);
    upd.exec();
    write_audiences(sql, before->id, refs.audience_ids);

    auto after = read_one(sql, *campaign_id, code);
    if (!after) throw SQLite::Exception("activity '" + a.id + "' vanished inside its own transaction");
    record_change(sql, who, *campaign_id, "activity", a.id, "edit", activity_audit_json(before->value),
          activity_audit_json(after->value));
    tx.commit();
    return success(std::move(after->value));
}

activity_result cancel_activity(database& db, std::string_view campaign_slug, std::string_view code,
                                const change_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return failure(activity_errc::unknown_campaign);
    auto before = read_one(sql, *campaign_id, code);
    if (!before) return failure(activity_errc::not_found);
    if (before->value.cancelled) return failure(activity_errc::already_cancelled);

    SQLite::Statement upd(sql, "UPDATE activities SET cancelled = 1, updated_at = ? WHERE id = ?");
    upd.bind(1, audit_now_utc());
    upd.bind(2, before->id);
    upd.exec();

    auto after = read_one(sql, *campaign_id, code);
    if (!after)
        throw SQLite::Exception("activity '" + std::string(code) + "' vanished inside its own transaction");
    record_change(sql, who, *campaign_id, "activity", after->value.item.id, "cancel", activity_audit_json(before->value),
          activity_audit_json(after->value));
    tx.commit();
    return success(std::move(after->value));
}

std::optional<stored_activity> find_activity(database& db, std::string_view campaign_slug,
                                             std::string_view code) {
    SQLite::Database& sql = db.sql();
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    auto found = read_one(sql, *campaign_id, code);
    if (!found) return std::nullopt;
    return std::move(found->value);
}

std::optional<std::vector<stored_activity>> list_activities(database& db, std::string_view campaign_slug) {
    SQLite::Database& sql = db.sql();
    // One snapshot for the rows and their audiences (BEGIN cannot nest inside a caller's transaction).
    std::optional<SQLite::Transaction> snapshot;
    if (sqlite3_get_autocommit(sql.getHandle()) != 0)
        snapshot.emplace(sql, SQLite::TransactionBehavior::DEFERRED);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return std::nullopt;
    std::vector<stored_activity> out;
    std::vector<row_id> ids;
    SQLite::Statement st(sql, std::string(activity_columns) +
                                  "WHERE a.campaign_id = ? AND a.archived = 0 ORDER BY a.position, a.id");
    st.bind(1, *campaign_id);
    while (st.executeStep()) {
        ids.push_back(st.getColumn(0).getInt64());
        out.push_back(activity_from_row(st));
    }
    std::unordered_map<row_id, stored_activity*> by_id;
    for (std::size_t i = 0; i < out.size(); ++i) by_id.emplace(ids[i], &out[i]);
    read_audiences(sql, *campaign_id, by_id);
    if (snapshot) snapshot->commit();
    return out;
}

}  // namespace loa::core
