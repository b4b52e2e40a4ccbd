// Campaigns in SQLite: import by stable keys (write only what changed, archive what is gone) and read back.
#include "core/storage/campaign_store.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/statement_helpers.hpp"
#include "core/storage/stored_time.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"

namespace loa::core {
namespace {

using row_id = std::int64_t;

// ---------------------------------------------------------------------------------------------
// Values as the schema stores them.

void bind_one(SQLite::Statement& st, int i, const std::string& v) {
    st.bind(i, v);
}
void bind_one(SQLite::Statement& st, int i, const char* v) {
    st.bind(i, v);
}
void bind_one(SQLite::Statement& st, int i, int v) {
    st.bind(i, static_cast<std::int32_t>(v));
}
void bind_one(SQLite::Statement& st, int i, bool v) {
    st.bind(i, static_cast<std::int32_t>(v ? 1 : 0));
}
void bind_one(SQLite::Statement& st, int i, row_id v) {
    st.bind(i, v);
}
void bind_one(SQLite::Statement& st, int i, double v) {
    st.bind(i, v);
}
void bind_one(SQLite::Statement& st, int i, const std::optional<int>& v) {
    if (v) {
        st.bind(i, static_cast<std::int32_t>(*v));
    } else {
        st.bind(i);
    }
}
void bind_one(SQLite::Statement& st, int i, const std::optional<row_id>& v) {
    if (v) {
        st.bind(i, *v);
    } else {
        st.bind(i);
    }
}

// Runs a prepared statement again with new values (bound, never spliced into the SQL); returns the
// number of rows it changed.
template <typename... V>
int run(SQLite::Statement& st, const V&... values) {
    st.reset();
    int i = 0;
    (bind_one(st, ++i, values), ...);
    return st.exec();
}

// Binds values for a query whose rows the caller then steps through.
template <typename... V>
void bind_all(SQLite::Statement& st, const V&... values) {
    st.reset();
    int i = 0;
    (bind_one(st, ++i, values), ...);
}

// created_at / updated_at: UTC, ISO 8601, milliseconds.
std::string now_utc() {
    return iso_utc_ms(date::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

std::string text(SQLite::Statement& st, int col) {
    return st.getColumn(col).getString();
}
int integer(SQLite::Statement& st, int col) {
    return st.getColumn(col).getInt();
}
row_id id_at(SQLite::Statement& st, int col) {
    return st.getColumn(col).getInt64();
}
localized localized_at(SQLite::Statement& st, int col) {
    return {text(st, col), text(st, col + 1)};
}

// ---------------------------------------------------------------------------------------------
// Reading: every item of a campaign (archived ones too), in position order, with its children.

template <typename T>
struct stored {
    row_id id = 0;
    int position = 0;
    bool archived = false;
    T item;
};

// Reads the parents with `parent_sql` (columns: id, position, archived, then the item's own) and
// fills each item through `fill(item, statement)`.
template <typename T, typename Fill>
std::vector<stored<T>> read_items(statement_source db, const char* parent_sql, row_id campaign_id,
                                  Fill fill) {
    std::vector<stored<T>> out;
    read_statement lease(db, parent_sql);
    SQLite::Statement& st = *lease;
    bind_all(st, campaign_id);
    while (st.executeStep()) {
        stored<T> s;
        s.id = id_at(st, 0);
        s.position = integer(st, 1);
        s.archived = integer(st, 2) != 0;
        fill(s.item, st);
        out.push_back(std::move(s));
    }
    return out;
}

// Reads children with `child_sql` (first column: the parent's id, rows in child position order)
// and hands each to `add(parent_item, statement)`.
template <typename T, typename Add>
void read_children(statement_source db, const char* child_sql, row_id campaign_id,
                   std::vector<stored<T>>& parents, Add add) {
    std::unordered_map<row_id, T*> by_id;
    for (auto& p : parents) by_id.emplace(p.id, &p.item);
    read_statement lease(db, child_sql);
    SQLite::Statement& st = *lease;
    bind_all(st, campaign_id);
    while (st.executeStep()) {
        auto it = by_id.find(id_at(st, 0));
        if (it != by_id.end()) add(*it->second, st);
    }
}

std::vector<stored<key_date>> read_key_dates(statement_source db, row_id campaign_id) {
    return read_items<key_date>(
        db,
        "SELECT id, position, archived, date, name_vi, name_en, weight FROM key_dates "
        "WHERE campaign_id = ? ORDER BY position, id",
        campaign_id, [](key_date& k, SQLite::Statement& st) {
            k.date = stored_date(text(st, 3));
            k.name = localized_at(st, 4);
            k.weight = st.getColumn(6).getDouble();
        });
}

std::vector<stored<audience>> read_audiences(statement_source db, row_id campaign_id) {
    return read_items<audience>(db,
                                "SELECT id, position, archived, code, name_vi, name_en FROM audiences "
                                "WHERE campaign_id = ? ORDER BY position, id",
                                campaign_id, [](audience& a, SQLite::Statement& st) {
                                    a.code = text(st, 3);
                                    a.name = localized_at(st, 4);
                                });
}

std::vector<stored<hotline>> read_hotlines(statement_source db, row_id campaign_id) {
    return read_items<hotline>(db,
                               "SELECT id, position, archived, number, name_vi, name_en, hours FROM hotlines "
                               "WHERE campaign_id = ? ORDER BY position, id",
                               campaign_id, [](hotline& h, SQLite::Statement& st) {
                                   h.number = text(st, 3);
                                   h.name = localized_at(st, 4);
                                   h.hours = text(st, 6);
                               });
}

std::vector<stored<department>> read_departments(statement_source db, row_id campaign_id) {
    auto out =
        read_items<department>(db,
                               "SELECT id, position, archived, code, name_vi, name_en FROM departments "
                               "WHERE campaign_id = ? ORDER BY position, id",
                               campaign_id, [](department& d, SQLite::Statement& st) {
                                   d.code = text(st, 3);
                                   d.name = localized_at(st, 4);
                               });
    read_children(db,
                  "SELECT c.department_id, c.text_vi, c.text_en FROM department_duties c "
                  "JOIN departments p ON p.id = c.department_id WHERE p.campaign_id = ? "
                  "ORDER BY c.department_id, c.position",
                  campaign_id, out,
                  [](department& d, SQLite::Statement& st) { d.duties.push_back(localized_at(st, 1)); });
    return out;
}

std::vector<stored<activity>> read_activities(statement_source db, row_id campaign_id) {
    auto out = read_items<activity>(
        db,
        "SELECT a.id, a.position, a.archived, a.code, d.code, a.kind, a.title_vi, a.title_en, "
        "a.description_vi, "
        "a.description_en, a.all_day, a.start_local, a.end_local, a.rrule, a.time_zone, a.location_vi, "
        "a.location_en, a.visibility "
        "FROM activities a JOIN departments d ON d.id = a.department_id "
        "WHERE a.campaign_id = ? ORDER BY a.position, a.id",
        campaign_id, [](activity& a, SQLite::Statement& st) {
            a.id = text(st, 3);
            a.department = text(st, 4);
            a.kind = text(st, 5);
            a.title = localized_at(st, 6);
            a.description = localized_at(st, 8);
            a.all_day = integer(st, 10) != 0;
            a.start = stored_local(text(st, 11));
            a.end = stored_local(text(st, 12));
            a.rrule = text(st, 13);
            a.time_zone = text(st, 14);
            a.location = localized_at(st, 15);
            a.vis = text(st, 17) == "internal" ? visibility::internal : visibility::public_;
        });
    read_children(db,
                  "SELECT c.activity_id, au.code FROM activity_audiences c "
                  "JOIN activities p ON p.id = c.activity_id JOIN audiences au ON au.id = c.audience_id "
                  "WHERE p.campaign_id = ? ORDER BY c.activity_id, c.position",
                  campaign_id, out,
                  [](activity& a, SQLite::Statement& st) { a.audiences.push_back(text(st, 1)); });
    return out;
}

std::vector<stored<outlet>> read_outlets(statement_source db, row_id campaign_id) {
    auto out =
        read_items<outlet>(db,
                           "SELECT o.id, o.position, o.archived, o.slug, o.name_vi, o.name_en, o.kind, "
                           "COALESCE(d.code, ''), o.time_zone, o.lead_time_hours, o.freeze_hours "
                           "FROM outlets o LEFT JOIN departments d ON d.id = o.department_id "
                           "WHERE o.campaign_id = ? ORDER BY o.position, o.id",
                           campaign_id, [](outlet& o, SQLite::Statement& st) {
                               o.slug = text(st, 3);
                               o.name = localized_at(st, 4);
                               o.kind = text(st, 6);
                               o.department = text(st, 7);
                               o.time_zone = text(st, 8);
                               o.lead_time_hours = integer(st, 9);
                               o.freeze_hours = integer(st, 10);
                           });
    read_children(db,
                  "SELECT c.outlet_id, c.language FROM outlet_languages c "
                  "JOIN outlets p ON p.id = c.outlet_id WHERE p.campaign_id = ? "
                  "ORDER BY c.outlet_id, c.position",
                  campaign_id, out,
                  [](outlet& o, SQLite::Statement& st) { o.languages.push_back(text(st, 1)); });
    read_children(
        db,
        "SELECT c.outlet_id, c.code, c.name_vi, c.name_en, c.weekdays, c.start_minute, c.end_minute, "
        "c.weight FROM dayparts c JOIN outlets p ON p.id = c.outlet_id WHERE p.campaign_id = ? "
        "ORDER BY c.outlet_id, c.position",
        campaign_id, out, [](outlet& o, SQLite::Statement& st) {
            daypart d;
            d.code = text(st, 1);
            d.name = localized_at(st, 2);
            d.weekdays = static_cast<std::uint8_t>(integer(st, 4));
            d.start = std::chrono::minutes{integer(st, 5)};
            d.end = std::chrono::minutes{integer(st, 6)};
            d.weight = st.getColumn(7).getDouble();
            o.dayparts.push_back(std::move(d));
        });
    // Break rules with their daypart codes: one row per (rule, daypart), or one row with a NULL
    // code for a rule that applies to every daypart.
    read_children(db,
                  "SELECT c.outlet_id, c.id, c.minute, c.at_minute, c.seconds, dp.code "
                  "FROM break_rules c JOIN outlets p ON p.id = c.outlet_id "
                  "LEFT JOIN break_rule_dayparts bd ON bd.break_rule_id = c.id "
                  "LEFT JOIN dayparts dp ON dp.id = bd.daypart_id "
                  "WHERE p.campaign_id = ? ORDER BY c.outlet_id, c.position, bd.position",
                  campaign_id, out, [last_rule = row_id{-1}](outlet& o, SQLite::Statement& st) mutable {
                      const row_id rule_id = id_at(st, 1);
                      if (rule_id != last_rule) {
                          last_rule = rule_id;
                          break_rule r;
                          if (!st.getColumn(2).isNull()) r.minute = integer(st, 2);
                          if (!st.getColumn(3).isNull()) r.at = std::chrono::minutes{integer(st, 3)};
                          r.seconds = integer(st, 4);
                          o.break_clock.push_back(std::move(r));
                      }
                      if (!st.getColumn(5).isNull()) o.break_clock.back().dayparts.push_back(text(st, 5));
                  });
    read_children(db,
                  "SELECT c.outlet_id, c.start_local, c.end_local, c.reason_vi, c.reason_en "
                  "FROM outlet_blackouts c JOIN outlets p ON p.id = c.outlet_id WHERE p.campaign_id = ? "
                  "ORDER BY c.outlet_id, c.position",
                  campaign_id, out, [](outlet& o, SQLite::Statement& st) {
                      blackout b;
                      b.start = stored_local(text(st, 1));
                      b.end = stored_local(text(st, 2));
                      b.reason = localized_at(st, 3);
                      o.blackouts.push_back(std::move(b));
                  });
    return out;
}

std::vector<stored<message>> read_messages(statement_source db, row_id campaign_id) {
    auto out = read_items<message>(
        db,
        "SELECT m.id, m.position, m.archived, m.code, d.code, m.title_vi, m.title_en, m.text_vi, m.text_en, "
        "m.duration_s, m.priority, m.flight_start, m.flight_end, m.airings, m.state, "
        "m.airings_per_day, m.airings_per_week, m.max_per_outlet_per_day, m.min_gap_minutes, "
        "m.flight_key_date, m.flight_days_before, m.flight_days_after "
        "FROM messages m JOIN departments d ON d.id = m.department_id "
        "WHERE m.campaign_id = ? ORDER BY m.position, m.id",
        campaign_id, [](message& m, SQLite::Statement& st) {
            m.id = text(st, 3);
            m.department = text(st, 4);
            m.title = localized_at(st, 5);
            m.text = localized_at(st, 7);
            m.duration_s = integer(st, 9);
            m.priority = integer(st, 10);
            m.flight_start = stored_date(text(st, 11));
            m.flight_end = stored_date(text(st, 12));
            m.airings = integer(st, 13);
            m.state = text(st, 14);
            m.airings_per_day = integer(st, 15);
            m.airings_per_week = integer(st, 16);
            m.max_per_outlet_per_day = integer(st, 17);
            m.min_gap_minutes = integer(st, 18);
            if (const std::string key = text(st, 19); !key.empty()) {
                m.flight_relative = relative_flight{stored_date(key), integer(st, 20), integer(st, 21)};
            }
        });
    read_children(db,
                  "SELECT c.message_id, c.channel FROM message_channels c "
                  "JOIN messages p ON p.id = c.message_id WHERE p.campaign_id = ? "
                  "ORDER BY c.message_id, c.position",
                  campaign_id, out,
                  [](message& m, SQLite::Statement& st) { m.channels.push_back(text(st, 1)); });
    read_children(db,
                  "SELECT c.message_id, au.code FROM message_audiences c "
                  "JOIN messages p ON p.id = c.message_id JOIN audiences au ON au.id = c.audience_id "
                  "WHERE p.campaign_id = ? ORDER BY c.message_id, c.position",
                  campaign_id, out,
                  [](message& m, SQLite::Statement& st) { m.audiences.push_back(text(st, 1)); });
    read_children(db,
                  "SELECT c.message_id, o.slug FROM message_outlets c "
                  "JOIN messages p ON p.id = c.message_id JOIN outlets o ON o.id = c.outlet_id "
                  "WHERE p.campaign_id = ? ORDER BY c.message_id, c.position",
                  campaign_id, out,
                  [](message& m, SQLite::Statement& st) { m.outlets.push_back(text(st, 1)); });
    read_children(db,
                  "SELECT c.message_id, c.daypart_code FROM message_dayparts c "
                  "JOIN messages p ON p.id = c.message_id WHERE p.campaign_id = ? "
                  "ORDER BY c.message_id, c.position",
                  campaign_id, out,
                  [](message& m, SQLite::Statement& st) { m.dayparts.push_back(text(st, 1)); });
    return out;
}

// The campaign's own fields (no items), with its row id and archived flag.
struct stored_campaign {
    row_id id = 0;
    bool archived = false;
    campaign head;
};

std::optional<stored_campaign> read_campaign_head(statement_source db, std::string_view slug) {
    read_statement lease(db,
                         "SELECT id, archived, slug, title_vi, title_en, theme_vi, theme_en, description_vi, "
                         "description_en, period_start, period_end, time_zone, separate_departments "
                         "FROM campaigns WHERE slug = ?");
    SQLite::Statement& st = *lease;
    bind_all(st, std::string(slug));
    if (!st.executeStep()) return std::nullopt;
    stored_campaign out;
    out.id = id_at(st, 0);
    out.archived = integer(st, 1) != 0;
    out.head.slug = text(st, 2);
    out.head.title = localized_at(st, 3);
    out.head.theme = localized_at(st, 5);
    out.head.description = localized_at(st, 7);
    out.head.period_start = stored_date(text(st, 9));
    out.head.period_end = stored_date(text(st, 10));
    out.head.time_zone = text(st, 11);
    out.head.planning.separate_departments = integer(st, 12) != 0;
    return out;
}

template <typename T>
std::vector<T> active(std::vector<stored<T>>&& rows) {
    std::vector<T> out;
    for (auto& r : rows) {
        if (!r.archived) out.push_back(std::move(r.item));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Writing.

// The campaign's own fields, without its item lists.
campaign head_of(const campaign& c) {
    campaign h;
    h.slug = c.slug;
    h.title = c.title;
    h.theme = c.theme;
    h.description = c.description;
    h.period_start = c.period_start;
    h.period_end = c.period_end;
    h.time_zone = c.time_zone;
    h.planning = c.planning;
    return h;
}

// Imports one campaign inside the caller's transaction.
class campaign_importer {
public:
    // `due_from`: the schedule's clock, as placements store their start (follow_approval).
    campaign_importer(SQLite::Database& db, std::string now, std::string due_from, import_stats& stats)
        : db_(db), now_(std::move(now)), due_from_(std::move(due_from)), stats_(stats) {}

    void import(const campaign& c) {
        slug_ = c.slug;
        upsert_campaign(c);
        audience_ids_ = sync_audiences(c.audiences);
        department_ids_ = sync_departments(c.departments);
        sync_key_dates(c.key_dates);
        sync_hotlines(c.hotlines);
        sync_activities(c.activities);
        outlet_ids_ = sync_outlets(c.outlets);
        // The messages whose approval the file changes (a state, an archived message, one brought
        // back): their placements from the schedule's clock on are withdrawn or brought back.
        // Only those: the others' withdrawals are what their own changes decided.
        const auto before = approvals_of(db_, campaign_id_);
        // The airings already due keep the approved content they went out with, whatever the
        // file now says of their message.
        for (const auto& [id, approved] : before) {
            if (approved) keep_due_content(db_, id, due_from_);
        }
        sync_messages(c.messages);
        const auto after = approvals_of(db_, campaign_id_);
        std::size_t i = 0;
        for (const auto& [id, approved] : after) {
            while (i < before.size() && before[i].first < id) ++i;
            if (i < before.size() && before[i].first == id && before[i].second != approved) {
                ++stats_.approvals_changed;
                (approved ? stats_.placements_restored : stats_.placements_withdrawn) +=
                    follow_approval(db_, id, now_, due_from_);
            }
        }
        check_web_references();
    }

private:
    using id_map = std::unordered_map<std::string, row_id>;

    [[noreturn]] void invalid(const std::string& what) const {
        throw std::invalid_argument("campaign '" + slug_ + "': " + what);
    }

    // Items made or edited in the web forms are not the file's: the file cannot change them, so it
    // must not take away what they refer to (a department, audience, key date, outlet or daypart),
    // or the stored campaign would export as a file that does not load. Every such reference is
    // named; nothing is imported.
    void check_web_references() const {
        static constexpr const char* checks[][2] = {
            {"SELECT m.code, d.code FROM messages m JOIN departments d ON d.id = m.department_id "
             "WHERE m.campaign_id = ? AND m.origin = 'web' AND m.archived = 0 AND d.archived = 1 ORDER BY m.position",
             "message '%1' (made or edited in the web forms) belongs to department '%2', which the file no longer has"},
            {"SELECT m.code, a.code FROM messages m JOIN message_audiences x ON x.message_id = m.id "
             "JOIN audiences a ON a.id = x.audience_id "
             "WHERE m.campaign_id = ? AND m.origin = 'web' AND m.archived = 0 AND a.archived = 1 ORDER BY m.position",
             "message '%1' (made or edited in the web forms) is for audience '%2', which the file no longer has"},
            {"SELECT m.code, o.slug FROM messages m JOIN message_outlets x ON x.message_id = m.id "
             "JOIN outlets o ON o.id = x.outlet_id "
             "WHERE m.campaign_id = ? AND m.origin = 'web' AND m.archived = 0 AND o.archived = 1 ORDER BY m.position",
             "message '%1' (made or edited in the web forms) is limited to outlet '%2', which the file no longer has"},
            {"SELECT m.code, m.flight_key_date FROM messages m WHERE m.campaign_id = ?1 AND m.origin = 'web' "
             "AND m.archived = 0 AND m.flight_key_date <> '' AND NOT EXISTS (SELECT 1 FROM key_dates k "
             "WHERE k.campaign_id = ?1 AND k.date = m.flight_key_date AND k.archived = 0) ORDER BY m.position",
             "message '%1' (made or edited in the web forms) has its flight around key date %2, which the file no "
             "longer has"},
            // The outlets a message can run on, as the loader counts them: its own list, else every
            // outlet of its channels.
            {"SELECT m.code, x.daypart_code FROM messages m JOIN message_dayparts x ON x.message_id = m.id "
             "WHERE m.campaign_id = ?1 AND m.origin = 'web' AND m.archived = 0 AND NOT EXISTS (SELECT 1 FROM "
             "dayparts p JOIN outlets o ON o.id = p.outlet_id WHERE o.campaign_id = ?1 AND o.archived = 0 "
             "AND p.code = x.daypart_code AND CASE WHEN EXISTS (SELECT 1 FROM message_outlets y WHERE "
             "y.message_id = m.id) THEN o.id IN (SELECT y.outlet_id FROM message_outlets y WHERE y.message_id = "
             "m.id) ELSE o.kind IN (SELECT k.channel FROM message_channels k WHERE k.message_id = m.id) END) "
             "ORDER BY m.position",
             "message '%1' (made or edited in the web forms) may air in daypart '%2', which no outlet it can run "
             "on has any more"},
            {"SELECT m.code, o.slug FROM messages m JOIN message_outlets y ON y.message_id = m.id "
             "JOIN outlets o ON o.id = y.outlet_id WHERE m.campaign_id = ? AND m.origin = 'web' AND m.archived = 0 "
             "AND o.archived = 0 AND o.kind NOT IN (SELECT k.channel FROM message_channels k WHERE k.message_id = "
             "m.id) ORDER BY m.position",
             "message '%1' (made or edited in the web forms) is limited to outlet '%2', whose kind the file has "
             "changed to one that is not among the message's channels"},
            {"SELECT a.code, d.code FROM activities a JOIN departments d ON d.id = a.department_id "
             "WHERE a.campaign_id = ? AND a.origin = 'web' AND a.archived = 0 AND d.archived = 1 ORDER BY a.position",
             "activity '%1' (made or edited in the web forms) belongs to department '%2', which the file no longer "
             "has"},
            {"SELECT a.code, u.code FROM activities a JOIN activity_audiences x ON x.activity_id = a.id "
             "JOIN audiences u ON u.id = x.audience_id "
             "WHERE a.campaign_id = ? AND a.origin = 'web' AND a.archived = 0 AND u.archived = 1 ORDER BY a.position",
             "activity '%1' (made or edited in the web forms) is for audience '%2', which the file no longer has"},
        };
        std::vector<std::string> found;
        for (const auto& [sql, text] : checks) {
            SQLite::Statement st(db_, sql);
            st.bind(1, campaign_id_);
            while (st.executeStep()) {
                std::string line = text;
                line.replace(line.find("%1"), 2, st.getColumn(0).getString());
                line.replace(line.find("%2"), 2, st.getColumn(1).getString());
                found.push_back(std::move(line));
            }
        }
        // A timed web activity on the campaign's clock (no zone of its own) at a wall-clock time the
        // file's zone skips (a daylight-saving night) names no instant, and would not load again.
        {
            SQLite::Statement st(db_,
                                 "SELECT a.code, a.start_local, a.end_local, c.time_zone FROM activities a "
                                 "JOIN campaigns c ON c.id = a.campaign_id WHERE a.campaign_id = ? AND a.origin = 'web' "
                                 "AND a.archived = 0 AND a.all_day = 0 AND a.time_zone = '' ORDER BY a.position");
            st.bind(1, campaign_id_);
            while (st.executeStep()) {
                const std::string zone_name = st.getColumn(3).getString();
                const date::time_zone* zone = find_zone(zone_name);
                for (const int column : {1, 2}) {
                    const std::string local = st.getColumn(column).getString();
                    if (!skipped_by_clocks(stored_local(local), zone)) continue;
                    found.push_back("activity '" + st.getColumn(0).getString() +
                                    "' (made or edited in the web forms) " + (column == 1 ? "starts" : "ends") +
                                    " at " + local.substr(0, 16) + ", a time the file's zone " + zone_name +
                                    " skips (daylight saving time)");
                    break;
                }
            }
        }
        if (found.empty()) return;
        std::string all;
        for (std::size_t i = 0; i < found.size() && i < 20; ++i) all += (i ? "; " : "") + found[i];
        if (found.size() > 20) all += "; and " + std::to_string(found.size() - 20) + " more";
        invalid(all + ". Keep it in the file, or change or cancel those items in the web forms first");
    }

    row_id department_id(const std::string& code, const std::string& where) const {
        auto it = department_ids_.find(code);
        if (it == department_ids_.end()) invalid(where + " refers to unknown department '" + code + "'");
        return it->second;
    }

    row_id outlet_id(const std::string& slug, const std::string& where) const {
        auto it = outlet_ids_.find(slug);
        if (it == outlet_ids_.end()) invalid(where + " refers to unknown outlet '" + slug + "'");
        return it->second;
    }

    row_id audience_id(const std::string& code, const std::string& where) const {
        auto it = audience_ids_.find(code);
        if (it == audience_ids_.end()) invalid(where + " refers to unknown audience '" + code + "'");
        return it->second;
    }

    void upsert_campaign(const campaign& c) {
        const campaign head = head_of(c);
        auto existing = read_campaign_head(db_, c.slug);
        if (!existing) {
            SQLite::Statement st(db_,
                                 "INSERT INTO campaigns (slug, title_vi, title_en, theme_vi, theme_en, "
                                 "description_vi, description_en, period_start, period_end, time_zone, "
                                 "separate_departments, archived, created_at, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
            run(st, c.slug, c.title.vi, c.title.en, c.theme.vi, c.theme.en, c.description.vi,
                c.description.en, stored_date_text(c.period_start), stored_date_text(c.period_end), c.time_zone,
                c.planning.separate_departments, now_, now_);
            campaign_id_ = db_.getLastInsertRowid();
            ++stats_.inserted;
            return;
        }
        campaign_id_ = existing->id;
        if (existing->head == head && !existing->archived) {
            ++stats_.unchanged;
            return;
        }
        SQLite::Statement st(db_,
                             "UPDATE campaigns SET title_vi = ?, title_en = ?, theme_vi = ?, theme_en = ?, "
                             "description_vi = ?, description_en = ?, period_start = ?, period_end = ?, "
                             "time_zone = ?, separate_departments = ?, archived = 0, updated_at = ? "
                             "WHERE id = ?");
        run(st, c.title.vi, c.title.en, c.theme.vi, c.theme.en, c.description.vi, c.description.en,
            stored_date_text(c.period_start), stored_date_text(c.period_end), c.time_zone, c.planning.separate_departments,
            now_, campaign_id_);
        ++stats_.updated;
    }

    // The common part of every item list: match incoming items to stored ones by key, write only
    // what differs (content, position or archived flag), archive stored items that are gone.
    // `insert(item, position)` returns the new row id; `update(id, item, position)` rewrites the
    // row (un-archiving it) and its children. Returns key → row id of the incoming items.
    // `positions`, when given, holds each incoming item's place in the file (the file's list may
    // hold items the forms own, left out of `incoming`: the others keep their places).
    template <typename T, typename Key, typename Insert, typename Update>
    id_map sync(const char* what, const char* archive_sql, const std::vector<stored<T>>& existing,
                const std::vector<T>& incoming, Key key_of, Insert insert, Update update,
                const std::vector<int>* positions = nullptr) {
        std::unordered_map<std::string, const stored<T>*> by_key;
        for (const auto& s : existing) by_key.emplace(key_of(s.item), &s);

        id_map ids;
        for (std::size_t i = 0; i < incoming.size(); ++i) {
            const T& item = incoming[i];
            const int position = positions != nullptr ? (*positions)[i] : static_cast<int>(i);
            std::string key = key_of(item);
            if (ids.contains(key)) invalid(std::string("two ") + what + " with the key '" + key + "'");
            auto it = by_key.find(key);
            if (it == by_key.end()) {
                ids.emplace(std::move(key), insert(item, position));
                ++stats_.inserted;
                continue;
            }
            const stored<T>& old = *it->second;
            ids.emplace(std::move(key), old.id);
            if (old.item == item && old.position == position && !old.archived) {
                ++stats_.unchanged;
            } else {
                update(old.id, item, position);
                ++stats_.updated;
            }
        }

        SQLite::Statement archive(db_, archive_sql);
        for (const auto& s : existing) {
            if (s.archived || ids.contains(key_of(s.item))) continue;
            // Items created in the web forms (origin 'web') are not the file's to archive.
            if (run(archive, now_, s.id) > 0) ++stats_.archived;
        }
        return ids;
    }

    id_map sync_audiences(const std::vector<audience>& items) {
        SQLite::Statement ins(
            db_,
            "INSERT INTO audiences (campaign_id, code, name_vi, name_en, position, archived, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(db_,
                              "UPDATE audiences SET name_vi = ?, name_en = ?, position = ?, archived = 0, "
                              "updated_at = ? WHERE id = ?");
        return sync(
            "audiences", "UPDATE audiences SET archived = 1, updated_at = ? WHERE id = ?",
            read_audiences(db_, campaign_id_), items, [](const audience& a) { return a.code; },
            [&](const audience& a, int pos) {
                run(ins, campaign_id_, a.code, a.name.vi, a.name.en, pos, now_, now_);
                return db_.getLastInsertRowid();
            },
            [&](row_id id, const audience& a, int pos) { run(upd, a.name.vi, a.name.en, pos, now_, id); });
    }

    id_map sync_departments(const std::vector<department>& items) {
        SQLite::Statement ins(
            db_,
            "INSERT INTO departments (campaign_id, code, name_vi, name_en, position, archived, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(db_,
                              "UPDATE departments SET name_vi = ?, name_en = ?, position = ?, archived = 0, "
                              "updated_at = ? WHERE id = ?");
        SQLite::Statement del_duties(db_, "DELETE FROM department_duties WHERE department_id = ?");
        SQLite::Statement ins_duty(
            db_,
            "INSERT INTO department_duties (department_id, position, text_vi, text_en) "
            "VALUES (?, ?, ?, ?)");
        auto write_duties = [&](row_id id, const department& d) {
            run(del_duties, id);
            for (std::size_t i = 0; i < d.duties.size(); ++i) {
                run(ins_duty, id, static_cast<int>(i), d.duties[i].vi, d.duties[i].en);
            }
        };
        return sync(
            "departments", "UPDATE departments SET archived = 1, updated_at = ? WHERE id = ?",
            read_departments(db_, campaign_id_), items, [](const department& d) { return d.code; },
            [&](const department& d, int pos) {
                run(ins, campaign_id_, d.code, d.name.vi, d.name.en, pos, now_, now_);
                const row_id id = db_.getLastInsertRowid();
                write_duties(id, d);
                return id;
            },
            [&](row_id id, const department& d, int pos) {
                run(upd, d.name.vi, d.name.en, pos, now_, id);
                write_duties(id, d);
            });
    }

    void sync_key_dates(const std::vector<key_date>& items) {
        SQLite::Statement ins(db_,
                              "INSERT INTO key_dates (campaign_id, date, name_vi, name_en, weight, position, "
                              "archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(db_,
                              "UPDATE key_dates SET name_vi = ?, name_en = ?, weight = ?, position = ?, "
                              "archived = 0, updated_at = ? WHERE id = ?");
        sync(
            "key dates", "UPDATE key_dates SET archived = 1, updated_at = ? WHERE id = ?",
            read_key_dates(db_, campaign_id_), items, [](const key_date& k) { return stored_date_text(k.date); },
            [&](const key_date& k, int pos) {
                run(ins, campaign_id_, stored_date_text(k.date), k.name.vi, k.name.en, k.weight, pos, now_, now_);
                return db_.getLastInsertRowid();
            },
            [&](row_id id, const key_date& k, int pos) {
                run(upd, k.name.vi, k.name.en, k.weight, pos, now_, id);
            });
    }

    void sync_hotlines(const std::vector<hotline>& items) {
        SQLite::Statement ins(db_,
                              "INSERT INTO hotlines (campaign_id, number, name_vi, name_en, hours, position, "
                              "archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(db_,
                              "UPDATE hotlines SET name_vi = ?, name_en = ?, hours = ?, position = ?, "
                              "archived = 0, updated_at = ? WHERE id = ?");
        sync(
            "hotlines", "UPDATE hotlines SET archived = 1, updated_at = ? WHERE id = ?",
            read_hotlines(db_, campaign_id_), items, [](const hotline& h) { return h.number; },
            [&](const hotline& h, int pos) {
                run(ins, campaign_id_, h.number, h.name.vi, h.name.en, h.hours, pos, now_, now_);
                return db_.getLastInsertRowid();
            },
            [&](row_id id, const hotline& h, int pos) {
                run(upd, h.name.vi, h.name.en, h.hours, pos, now_, id);
            });
    }

    void sync_activities(const std::vector<activity>& items) {
        SQLite::Statement ins(
            db_,
            "INSERT INTO activities (campaign_id, code, department_id, kind, title_vi, title_en, "
            "description_vi, description_en, all_day, start_local, end_local, time_zone, rrule, "
            "location_vi, location_en, visibility, position, archived, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(
            db_,
            "UPDATE activities SET department_id = ?, kind = ?, title_vi = ?, title_en = ?, "
            "description_vi = ?, description_en = ?, all_day = ?, start_local = ?, "
            "end_local = ?, time_zone = ?, rrule = ?, location_vi = ?, location_en = ?, "
            "visibility = ?, position = ?, archived = 0, updated_at = ? WHERE id = ?");
        SQLite::Statement del_aud(db_, "DELETE FROM activity_audiences WHERE activity_id = ?");
        SQLite::Statement ins_aud(db_,
                                  "INSERT INTO activity_audiences (activity_id, position, audience_id) "
                                  "VALUES (?, ?, ?)");
        auto write_audiences = [&](row_id id, const activity& a) {
            run(del_aud, id);
            for (std::size_t i = 0; i < a.audiences.size(); ++i) {
                run(ins_aud, id, static_cast<int>(i), audience_id(a.audiences[i], "activity '" + a.id + "'"));
            }
        };
        auto vis = [](const activity& a) { return a.vis == visibility::internal ? "internal" : "public"; };
        // Activities created or edited in the web forms (origin 'web') belong to the forms: the
        // file's version of one is not applied (it counts as unchanged), nor is it archived.
        std::unordered_set<std::string> web_codes;
        SQLite::Statement web(db_, "SELECT code FROM activities WHERE campaign_id = ? AND origin = 'web'");
        bind_all(web, campaign_id_);
        while (web.executeStep()) web_codes.insert(text(web, 0));
        std::vector<activity> from_file;
        std::vector<int> file_positions;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const activity& a = items[i];
            if (web_codes.contains(a.id)) {
                ++stats_.unchanged;
            } else {
                from_file.push_back(a);
                file_positions.push_back(static_cast<int>(i));
            }
        }
        // A changed or restored activity is a new version of its event: the edit is recorded (by
        // "import") so that the events feed raises its iCalendar SEQUENCE, as a web-form edit does.
        const std::vector<stored<activity>> stored_activities = read_activities(db_, campaign_id_);
        std::unordered_map<row_id, const stored<activity>*> stored_by_id;
        for (const auto& s : stored_activities) stored_by_id.emplace(s.id, &s);
        const audit_actor importer_actor{std::nullopt, "import"};
        sync(
            "activities", "UPDATE activities SET archived = 1, updated_at = ? WHERE id = ? AND origin = 'file'",
            stored_activities, from_file, [](const activity& a) { return a.id; },
            [&](const activity& a, int pos) {
                run(ins, campaign_id_, a.id, department_id(a.department, "activity '" + a.id + "'"), a.kind,
                    a.title.vi, a.title.en, a.description.vi, a.description.en, a.all_day,
                    stored_local_text(a.start), stored_local_text(a.end), a.time_zone, a.rrule, a.location.vi,
                    a.location.en, vis(a), pos, now_, now_);
                const row_id id = db_.getLastInsertRowid();
                write_audiences(id, a);
                return id;
            },
            [&](row_id id, const activity& a, int pos) {
                run(upd, department_id(a.department, "activity '" + a.id + "'"), a.kind, a.title.vi,
                    a.title.en, a.description.vi, a.description.en, a.all_day, stored_local_text(a.start),
                    stored_local_text(a.end), a.time_zone, a.rrule, a.location.vi, a.location.en, vis(a), pos, now_,
                    id);
                write_audiences(id, a);
                const stored<activity>& old = *stored_by_id.at(id);
                if (!(old.item == a) || old.archived) {
                    record_change(db_, importer_actor, campaign_id_, "activity", a.id, "edit", std::nullopt,
                                  std::nullopt);
                }
            },
            &file_positions);
    }

    id_map sync_outlets(const std::vector<outlet>& items) {
        SQLite::Statement ins(
            db_,
            "INSERT INTO outlets (campaign_id, slug, name_vi, name_en, kind, department_id, "
            "time_zone, lead_time_hours, freeze_hours, position, archived, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(
            db_,
            "UPDATE outlets SET name_vi = ?, name_en = ?, kind = ?, department_id = ?, "
            "time_zone = ?, lead_time_hours = ?, freeze_hours = ?, position = ?, archived = 0, "
            "updated_at = ? WHERE id = ?");
        // Break rules first: their daypart links go with them, then the dayparts themselves.
        SQLite::Statement del_rules(db_, "DELETE FROM break_rules WHERE outlet_id = ?");
        SQLite::Statement del_dayparts(db_, "DELETE FROM dayparts WHERE outlet_id = ?");
        SQLite::Statement del_langs(db_, "DELETE FROM outlet_languages WHERE outlet_id = ?");
        SQLite::Statement ins_lang(
            db_, "INSERT INTO outlet_languages (outlet_id, position, language) VALUES (?, ?, ?)");
        SQLite::Statement ins_daypart(
            db_,
            "INSERT INTO dayparts (outlet_id, position, code, name_vi, name_en, weekdays, "
            "start_minute, end_minute, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        SQLite::Statement ins_rule(
            db_,
            "INSERT INTO break_rules (outlet_id, position, minute, at_minute, seconds) "
            "VALUES (?, ?, ?, ?, ?)");
        SQLite::Statement ins_rule_daypart(
            db_,
            "INSERT INTO break_rule_dayparts (break_rule_id, position, daypart_id) "
            "VALUES (?, ?, ?)");
        SQLite::Statement del_blackouts(db_, "DELETE FROM outlet_blackouts WHERE outlet_id = ?");
        SQLite::Statement ins_blackout(
            db_,
            "INSERT INTO outlet_blackouts (outlet_id, position, start_local, end_local, reason_vi, "
            "reason_en) VALUES (?, ?, ?, ?, ?, ?)");
        auto write_children = [&](row_id id, const outlet& o) {
            run(del_rules, id);
            run(del_dayparts, id);
            run(del_langs, id);
            run(del_blackouts, id);
            for (std::size_t i = 0; i < o.blackouts.size(); ++i) {
                const blackout& b = o.blackouts[i];
                if (b.end <= b.start)
                    invalid("outlet '" + o.slug + "' has a blackout that ends before it starts");
                run(ins_blackout, id, static_cast<int>(i), stored_local_text(b.start), stored_local_text(b.end),
                    b.reason.vi, b.reason.en);
            }
            const std::string where = "outlet '" + o.slug + "'";
            for (std::size_t i = 0; i < o.languages.size(); ++i)
                run(ins_lang, id, static_cast<int>(i), o.languages[i]);
            id_map daypart_ids;
            for (std::size_t i = 0; i < o.dayparts.size(); ++i) {
                const daypart& d = o.dayparts[i];
                if (daypart_ids.contains(d.code)) invalid(where + " has two dayparts '" + d.code + "'");
                run(ins_daypart, id, static_cast<int>(i), d.code, d.name.vi, d.name.en,
                    static_cast<int>(d.weekdays), static_cast<int>(d.start.count()),
                    static_cast<int>(d.end.count()), d.weight);
                daypart_ids.emplace(d.code, db_.getLastInsertRowid());
            }
            for (std::size_t i = 0; i < o.break_clock.size(); ++i) {
                const break_rule& r = o.break_clock[i];
                std::optional<int> at;
                if (r.at) at = static_cast<int>(r.at->count());
                run(ins_rule, id, static_cast<int>(i), r.minute, at, r.seconds);
                const row_id rule_id = db_.getLastInsertRowid();
                for (std::size_t j = 0; j < r.dayparts.size(); ++j) {
                    auto dp = daypart_ids.find(r.dayparts[j]);
                    if (dp == daypart_ids.end()) {
                        invalid(where + " has a break refering to unknown daypart '" + r.dayparts[j] + "'");
                    }
                    run(ins_rule_daypart, rule_id, static_cast<int>(j), dp->second);
                }
            }
        };
        auto dept = [&](const outlet& o) -> std::optional<row_id> {
            if (o.department.empty()) return std::nullopt;
            return department_id(o.department, "outlet '" + o.slug + "'");
        };
        return sync(
            "outlets", "UPDATE outlets SET archived = 1, updated_at = ? WHERE id = ?",
            read_outlets(db_, campaign_id_), items, [](const outlet& o) { return o.slug; },
            [&](const outlet& o, int pos) {
                run(ins, campaign_id_, o.slug, o.name.vi, o.name.en, o.kind, dept(o), o.time_zone,
                    o.lead_time_hours, o.freeze_hours, pos, now_, now_);
                const row_id id = db_.getLastInsertRowid();
                write_children(id, o);
                return id;
            },
            [&](row_id id, const outlet& o, int pos) {
                run(upd, o.name.vi, o.name.en, o.kind, dept(o), o.time_zone, o.lead_time_hours,
                    o.freeze_hours, pos, now_, id);
                write_children(id, o);
            });
    }

    void sync_messages(const std::vector<message>& items) {
        SQLite::Statement ins(
            db_,
            "INSERT INTO messages (campaign_id, code, department_id, title_vi, title_en, "
            "text_vi, text_en, duration_s, priority, flight_start, flight_end, airings, state, "
            "airings_per_day, airings_per_week, max_per_outlet_per_day, min_gap_minutes, "
            "flight_key_date, flight_days_before, flight_days_after, "
            "position, archived, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
        SQLite::Statement upd(
            db_,
            "UPDATE messages SET department_id = ?, title_vi = ?, title_en = ?, text_vi = ?, "
            "text_en = ?, duration_s = ?, priority = ?, flight_start = ?, flight_end = ?, "
            "airings = ?, state = ?, airings_per_day = ?, airings_per_week = ?, "
            "max_per_outlet_per_day = ?, min_gap_minutes = ?, flight_key_date = ?, "
            "flight_days_before = ?, flight_days_after = ?, position = ?, archived = 0, updated_at = ?, "
            "approved_version = NULL WHERE id = ?");
        // approved_version = NULL: the file's state now says whether its content is approved (an
        // approval given in the form was bound to content the file may have replaced; the form
        // binds the next one to what it shows then).
        SQLite::Statement was(db_, "SELECT state, title_vi, title_en, text_vi, text_en FROM messages WHERE id = ?");
        message_lists_writer lists(db_);
        auto write_children = [&](row_id id, const message& m) {
            const std::string where = "message '" + m.id + "'";
            std::vector<row_id> audiences;
            for (const auto& code : m.audiences) audiences.push_back(audience_id(code, where));
            std::vector<row_id> outlets;
            for (const auto& slug : m.outlets) outlets.push_back(outlet_id(slug, where));
            for (const auto& code : m.dayparts) {
                if (code.empty()) invalid(where + " has an empty daypart code");
            }
            lists.write(id, m.channels, audiences, outlets, m.dayparts);
        };
        // The flight as given: '' and 0 days when it was given as dates.
        auto key_date_of = [](const message& m) {
            return m.flight_relative ? stored_date_text(m.flight_relative->key) : std::string();
        };
        auto days_before = [](const message& m) {
            return m.flight_relative ? m.flight_relative->days_before : 0;
        };
        auto days_after = [](const message& m) {
            return m.flight_relative ? m.flight_relative->days_after : 0;
        };
        // Messages created or edited in the web forms (origin 'web') belong to the forms, as
        // activities do: the file's version (content and state) is not applied, nor archived.
        std::unordered_set<std::string> web_codes;
        SQLite::Statement web(db_, "SELECT code FROM messages WHERE campaign_id = ? AND origin = 'web'");
        bind_all(web, campaign_id_);
        while (web.executeStep()) web_codes.insert(text(web, 0));
        std::vector<message> from_file;
        std::vector<int> file_positions;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const message& m = items[i];
            if (web_codes.contains(m.id)) {
                ++stats_.unchanged;
            } else {
                from_file.push_back(m);
                file_positions.push_back(static_cast<int>(i));
            }
        }
        sync(
            "messages", "UPDATE messages SET archived = 1, updated_at = ? WHERE id = ? AND origin = 'file'",
            read_messages(db_, campaign_id_), from_file, [](const message& m) { return m.id; },
            [&](const message& m, int pos) {
                run(ins, campaign_id_, m.id, department_id(m.department, "message '" + m.id + "'"),
                    m.title.vi, m.title.en, m.text.vi, m.text.en, m.duration_s, m.priority,
                    stored_date_text(m.flight_start), stored_date_text(m.flight_end), m.airings, m.state, m.airings_per_day,
                    m.airings_per_week, m.max_per_outlet_per_day, m.min_gap_minutes, key_date_of(m),
                    days_before(m), days_after(m), pos, now_, now_);
                const row_id id = db_.getLastInsertRowid();
                write_children(id, m);
                return id;
            },
            [&](row_id id, const message& m, int pos) {
                // New text while approved: the placements' SEQUENCE goes up, as when a form does
                // the same. (Gaining or losing the approval: import(), after every message.)
                bind_all(was, id);
                const bool changes_feeds =
                    was.executeStep() && text(was, 0) == "approved" && m.state == "approved" &&
                    (text(was, 1) != m.title.vi || text(was, 2) != m.title.en || text(was, 3) != m.text.vi ||
                     text(was, 4) != m.text.en);
                was.reset();
                run(upd, department_id(m.department, "message '" + m.id + "'"), m.title.vi, m.title.en,
                    m.text.vi, m.text.en, m.duration_s, m.priority, stored_date_text(m.flight_start),
                    stored_date_text(m.flight_end), m.airings, m.state, m.airings_per_day, m.airings_per_week,
                    m.max_per_outlet_per_day, m.min_gap_minutes, key_date_of(m), days_before(m),
                    days_after(m), pos, now_, id);
                if (changes_feeds) bump_placements(db_, id, now_, due_from_);
                write_children(id, m);
                record_imported_content(db_, id);
            },
            &file_positions);
    }

    SQLite::Database& db_;
    std::string now_;
    std::string due_from_;
    import_stats& stats_;
    std::string slug_;
    row_id campaign_id_ = 0;
    id_map audience_ids_;
    id_map department_ids_;
    id_map outlet_ids_;
};

}  // namespace

import_stats import_campaigns(database& db, const std::vector<campaign>& campaigns,
                              std::optional<std::chrono::sys_seconds> as_of) {
    import_stats stats;
    std::unordered_set<std::string> seen;
    for (const auto& c : campaigns) {
        if (!seen.insert(c.slug).second) throw std::invalid_argument("campaign '" + c.slug + "' given twice");
    }
    // BEGIN IMMEDIATE: take the write lock now rather than fail half-way on an upgrade from a read lock.
    SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
    const auto due = as_of ? *as_of : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    campaign_importer importer(db.sql(), now_utc(), stored_utc_text(due), stats);
    for (const auto& c : campaigns) importer.import(c);
    tx.commit();
    return stats;
}

std::optional<campaign> load_campaign(database& db, std::string_view slug) {
    SQLite::Database& sql = db.sql();
    // One read transaction: the items come from one snapshot even while an import commits. Inside
    // the caller's own transaction that one already gives the snapshot (BEGIN cannot nest).
    std::optional<SQLite::Transaction> snapshot;
    if (sqlite3_get_autocommit(sql.getHandle()) != 0)
        snapshot.emplace(sql, SQLite::TransactionBehavior::DEFERRED);
    auto head = read_campaign_head(db, slug);
    if (!head || head->archived) return std::nullopt;
    campaign c = std::move(head->head);
    c.key_dates = active(read_key_dates(db, head->id));
    c.audiences = active(read_audiences(db, head->id));
    c.hotlines = active(read_hotlines(db, head->id));
    c.departments = active(read_departments(db, head->id));
    c.activities = active(read_activities(db, head->id));
    c.outlets = active(read_outlets(db, head->id));
    c.messages = active(read_messages(db, head->id));
    if (snapshot) snapshot->commit();
    return c;
}

std::vector<campaign_summary> list_campaigns(database& db) {
    SQLite::Statement st(
        db.sql(),
        "SELECT slug, title_vi, title_en, theme_vi, theme_en, period_start, period_end, time_zone "
        "FROM campaigns WHERE archived = 0 ORDER BY period_start, slug");
    std::vector<campaign_summary> out;
    while (st.executeStep()) {
        campaign_summary s;
        s.slug = text(st, 0);
        s.title = localized_at(st, 1);
        s.theme = localized_at(st, 3);
        s.period_start = stored_date(text(st, 5));
        s.period_end = stored_date(text(st, 6));
        s.time_zone = text(st, 7);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace loa::core
