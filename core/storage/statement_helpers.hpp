// Small pieces every store repeats around SQLiteCpp statements: the id of an active campaign by its
// slug, binding an optional value (NULL when empty), raising placements' SEQUENCE and withdrawing them (or bringing them back); and the order of
// codes chosen in a form. Internal to core/storage.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/storage/database.hpp"
#include "core/storage/message_sql.hpp"

namespace loa::core {

// The row id of the campaign `slug` unless it is unknown or archived. Runs on the caller's
// connection (and inside its transaction, if one is open); from the statement cache when given a
// core::database.
[[nodiscard]] inline std::optional<std::int64_t> active_campaign_id(statement_source from, std::string_view slug) {
    const read_statement st(from, "SELECT id FROM campaigns WHERE slug = ? AND archived = 0");
    st->bind(1, std::string(slug));
    if (!st->executeStep()) return std::nullopt;
    return st->getColumn(0).getInt64();
}

// `given` in the order of `stored` when both hold the same codes. A form lists its checkboxes in its
// own order (the campaign's), a file in the writer's: the order says nothing, so saving the same
// choices again is no change, writes no version and no audit row, and keeps the stored order.
inline void keep_stored_order(std::vector<std::string>& given, const std::vector<std::string>& stored) {
    if (given == stored || given.size() != stored.size()) return;
    std::vector<std::string> a = given;
    std::vector<std::string> b = stored;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a == b) given = stored;
}

// Binds `v` at `index`, or NULL when it is empty.
template <class T>
void bind_optional(SQLite::Statement& st, int index, const std::optional<T>& v) {
    if (v) {
        st.bind(index, *v);
    } else {
        st.bind(index);
    }
}

// New text of a message while it stays approved changes what its placements still to go out (from
// `due_from` on, the schedule's clock as stored text) say in the feeds: their iCalendar SEQUENCE goes
// up, in the same transaction, so subscribers never see it go down. Those due before are left as
// they were: the change is not news about them.
inline void bump_placements(SQLite::Database& sql, std::int64_t message_row, const std::string& now,
                            const std::string& due_from) {
    SQLite::Statement st(sql,
                         "UPDATE placements SET sequence = sequence + 1, updated_at = ?, content_version = NULL "
                         "WHERE message_id = ? AND (state = 'planned' OR state = 'published') AND start_utc >= ?");
    st.bind(1, now);
    st.bind(2, message_row);
    st.bind(3, due_from);
    st.exec();
}

// A message that gained or lost its approval (in a form or by a file import; call it after the
// message's row holds its new state): its placements still to go out are shown again or cancelled
// in the feeds, and the SEQUENCE of those from `due_from` on goes up (bump_placements).
//
// Withdrawal follows the approval from `due_from` on (the schedule's clock as stored text: the
// server's, which a rehearsal sets back): the planned and published placements that start then or
// later are withdrawn (withdrawn_at = due_from) while the message is not approved, and no longer
// once it is again. Those that started before keep what they were: an airing that was due while
// the message was approved stays due (its outlet may still report it), and one that came due
// withdrawn stays cancelled (nothing was sent for it).
// Returns how many placements it withdrew or brought back.
inline int follow_approval(SQLite::Database& sql, std::int64_t message_row, const std::string& now,
                           const std::string& due_from) {
    bump_placements(sql, message_row, now, due_from);
    const std::string approved = std::string("EXISTS (SELECT 1 FROM messages m WHERE m.id = placements.message_id AND ") +
                                 message_approved_sql + ")";
    SQLite::Statement w(sql, "UPDATE placements SET withdrawn_at = CASE WHEN " + approved + " THEN NULL ELSE ?1 END "
                             "WHERE message_id = ?2 AND (state = 'planned' OR state = 'published') "
                             "AND start_utc >= ?1 AND (withdrawn_at IS NULL) <> (" + approved + ")");
    w.bind(1, due_from);
    w.bind(2, message_row);
    return w.exec();
}

// A message's lists (channels, audiences, outlets, dayparts), replaced whole: each list's rows are
// deleted and written again in the order given (its `position`). The statements are prepared once
// and reused for every message written through the same writer (a file import writes many).
class message_lists_writer {
public:
    explicit message_lists_writer(SQLite::Database& sql)
        : channels_(sql, "message_channels", "channel"),
          audiences_(sql, "message_audiences", "audience_id"),
          outlets_(sql, "message_outlets", "outlet_id"),
          dayparts_(sql, "message_dayparts", "daypart_code") {}

    void write(std::int64_t message_row, const std::vector<std::string>& channels,
               const std::vector<std::int64_t>& audience_rows, const std::vector<std::int64_t>& outlet_rows,
               const std::vector<std::string>& dayparts) {
        channels_.replace(message_row, channels);
        audiences_.replace(message_row, audience_rows);
        outlets_.replace(message_row, outlet_rows);
        dayparts_.replace(message_row, dayparts);
    }

private:
    // One list table: (message_id, position, <column>). The table and column names are this
    // class's own literals, never input.
    struct list_table {
        list_table(SQLite::Database& sql, const std::string& table, const std::string& column)
            : del(sql, "DELETE FROM " + table + " WHERE message_id = ?"),
              ins(sql, "INSERT INTO " + table + " (message_id, position, " + column + ") VALUES (?, ?, ?)") {}
        template <class T>
        void replace(std::int64_t message_row, const std::vector<T>& values) {
            del.reset();
            del.bind(1, message_row);
            del.exec();
            for (std::size_t i = 0; i < values.size(); ++i) {
                ins.reset();
                ins.bind(1, message_row);
                ins.bind(2, static_cast<int>(i));
                ins.bind(3, values[i]);
                ins.exec();
            }
        }
        SQLite::Statement del;
        SQLite::Statement ins;
    };
    list_table channels_, audiences_, outlets_, dayparts_;
};

// Whether each message of the campaign is approved now (message_approved_sql), by row id: taken
// before and after a file import, to find the messages whose approval it changed.
inline std::vector<std::pair<std::int64_t, bool>> approvals_of(SQLite::Database& sql, std::int64_t campaign_row) {
    SQLite::Statement st(sql, std::string("SELECT m.id, ") + message_approved_sql +
                                  " FROM messages m WHERE m.campaign_id = ? ORDER BY m.id");
    st.bind(1, campaign_row);
    std::vector<std::pair<std::int64_t, bool>> out;
    while (st.executeStep()) out.emplace_back(st.getColumn(0).getInt64(), st.getColumn(1).getInt() != 0);
    return out;
}

}  // namespace loa::core
