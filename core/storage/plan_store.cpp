// Plan runs and placements in SQLite (schema v4): a run's placements stored in one transaction with
// its audit row, the campaign's placements and runs read back, and the placement state workflow.
#include "core/storage/plan_store.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/storage/dispatch_store.hpp"
#include "core/storage/audit_store.hpp"
#include "core/storage/statement_helpers.hpp"
#include "core/storage/message_sql.hpp"
#include "core/storage/stored_time.hpp"
#include "core/time/zone.hpp"

namespace loa::core {
namespace {

namespace json = boost::json;
using row_id = std::int64_t;

const std::string placement_columns =
    std::string("SELECT p.id, m.code, o.slug, p.start_utc, p.duration_s, p.daypart, p.weight, p.value, p.state, "
                "p.make_good_of, EXISTS (SELECT 1 FROM placements g WHERE g.make_good_of = p.id), p.plan_run_id, "
                "p.aired_at, p.note, p.sequence, ") +
    placement_withdrawn_sql + " FROM placements p JOIN messages m ON m.id = p.message_id JOIN outlets o ON o.id = p.outlet_id ";

stored_placement placement_row(SQLite::Statement& st) {
    stored_placement p;
    p.id = st.getColumn(0).getInt64();
    p.message = st.getColumn(1).getString();
    p.outlet = st.getColumn(2).getString();
    p.start = stored_utc_instant(st.getColumn(3).getString());
    p.duration_s = st.getColumn(4).getInt();
    p.daypart = st.getColumn(5).getString();
    p.weight = st.getColumn(6).getDouble();
    p.value = st.getColumn(7).getDouble();
    p.state = st.getColumn(8).getString();
    if (!st.getColumn(9).isNull()) p.make_good_of = st.getColumn(9).getInt64();
    p.made_good = st.getColumn(10).getInt() != 0;
    if (!st.getColumn(11).isNull()) p.plan_run_id = st.getColumn(11).getInt64();
    if (!st.getColumn(12).isNull()) p.aired_at = st.getColumn(12).getString();
    p.note = st.getColumn(13).getString();
    p.sequence = st.getColumn(14).getInt();
    p.withdrawn = st.getColumn(15).getInt() != 0;
    return p;
}

constexpr const char* run_columns =
    "SELECT r.id, c.slug, r.created_at, r.actor, r.range_from, r.range_to, r.as_of, r.objective, r.bound, "
    "r.gap, r.placed, r.wanted, r.report_json, r.kept, r.added, r.moved, r.cancelled "
    "FROM plan_runs r JOIN campaigns c ON c.id = r.campaign_id ";

plan_run run_row(SQLite::Statement& st) {
    plan_run r;
    r.id = st.getColumn(0).getInt64();
    r.campaign = st.getColumn(1).getString();
    r.created_at = st.getColumn(2).getString();
    r.actor = st.getColumn(3).getString();
    r.range_from = st.getColumn(4).getString();
    r.range_to = st.getColumn(5).getString();
    r.as_of = st.getColumn(6).getString();
    r.objective = st.getColumn(7).getDouble();
    r.bound = st.getColumn(8).getDouble();
    r.gap = st.getColumn(9).getDouble();
    r.placed = st.getColumn(10).getInt();
    r.wanted = st.getColumn(11).getInt();
    r.report_json = st.getColumn(12).getString();
    if (!st.getColumn(13).isNull()) {
        r.changes = plan_changes{st.getColumn(13).getInt(), st.getColumn(14).getInt(), st.getColumn(15).getInt(),
                                 st.getColumn(16).getInt()};
    }
    return r;
}

// Looks codes up once per run; archived messages and outlets included (a kept placement may name
// one), unknown ones are the caller's error.
class id_cache {
public:
    id_cache(SQLite::Database& db, row_id campaign_id, const char* sql, const char* what)
        : st_(db, sql), campaign_id_(campaign_id), what_(what) {}

    row_id operator()(const std::string& key) {
        if (auto it = ids_.find(key); it != ids_.end()) return it->second;
        st_.reset();
        st_.bind(1, campaign_id_);
        st_.bind(2, key);
        if (!st_.executeStep())
            throw std::invalid_argument(std::string("unknown ") + what_ + " '" + key + "'");
        const row_id id = st_.getColumn(0).getInt64();
        ids_.emplace(key, id);
        return id;
    }

private:
    SQLite::Statement st_;
    row_id campaign_id_;
    const char* what_;
    std::map<std::string, row_id> ids_;
};

bool transition_allowed(std::string_view from, std::string_view to) {
    if (from == "planned") return to == "published";
    if (from == "published") return to == "aired" || to == "missed";
    if (from == "aired") return to == "missed";
    if (from == "missed") return to == "aired";
    return false;
}

}  // namespace

std::vector<stored_placement> load_placements(database& db, std::string_view campaign_slug) {
    SQLite::Database& sql = db.sql();
    std::vector<stored_placement> out;
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return out;
    SQLite::Statement st(sql, std::string(placement_columns) +
                                  "WHERE p.campaign_id = ? ORDER BY p.start_utc, o.slug, m.code, p.id");
    st.bind(1, *campaign_id);
    while (st.executeStep()) out.push_back(placement_row(st));
    return out;
}

namespace {

// store_plan, or with who == nullptr only what it would change (nothing written: the transaction,
// which has read alone by then, is rolled back). Returns the run id (0 when nothing was written).
std::int64_t replace_plan(database& db, const plan_run& run, const std::vector<std::int64_t>& kept,
                          const std::vector<new_placement>& added, const audit_actor* who_or_none,
                          plan_changes* changes) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, who_or_none != nullptr ? SQLite::TransactionBehavior::IMMEDIATE
                                                       : SQLite::TransactionBehavior::DEFERRED);
    const auto campaign_id = active_campaign_id(sql, run.campaign);
    if (!campaign_id) throw std::invalid_argument("unknown campaign '" + run.campaign + "'");
    const std::string now = stored_utc_now();

    // A placement is matched to its replacement by what it is: the same message on the same outlet,
    // making good the same missed placement (or none).
    using match_key = std::tuple<row_id, row_id, std::optional<row_id>>;
    struct dropped {
        row_id id;
        std::string start;
        int duration_s;
        std::string daypart;
    };

    // Planned placements the new plan does not keep are moved or replaced; every other state is history.
    const std::set<row_id> keep(kept.begin(), kept.end());
    std::map<match_key, std::vector<dropped>> removed_by_key;
    std::size_t removed_count = 0;
    {
        SQLite::Statement st(sql,
                             "SELECT id, message_id, outlet_id, make_good_of, start_utc, duration_s, daypart "
                             "FROM placements WHERE campaign_id = ? AND state = 'planned' ORDER BY start_utc, id");
        st.bind(1, *campaign_id);
        while (st.executeStep()) {
            const row_id id = st.getColumn(0).getInt64();
            if (keep.contains(id)) continue;
            std::optional<row_id> make_good_of;
            if (!st.getColumn(3).isNull()) make_good_of = st.getColumn(3).getInt64();
            removed_by_key[{st.getColumn(1).getInt64(), st.getColumn(2).getInt64(), make_good_of}].push_back(
                {id, st.getColumn(4).getString(), st.getColumn(5).getInt(), st.getColumn(6).getString()});
            ++removed_count;
        }
    }

    id_cache message_id(sql, *campaign_id, "SELECT id FROM messages WHERE campaign_id = ? AND code = ?",
                        "message");
    id_cache outlet_id(sql, *campaign_id, "SELECT id FROM outlets WHERE campaign_id = ? AND slug = ?",
                       "outlet");
    // The added placements of each key in start order (then their order in `added`), paired with the
    // dropped ones of the same key in start order (then id): the i-th dropped moves to the i-th added.
    std::map<match_key, std::vector<std::size_t>> added_by_key;
    std::vector<row_id> added_message(added.size()), added_outlet(added.size());
    for (std::size_t k = 0; k < added.size(); ++k) {
        added_message[k] = message_id(added[k].message);
        added_outlet[k] = outlet_id(added[k].outlet);
        added_by_key[{added_message[k], added_outlet[k], added[k].make_good_of}].push_back(k);
    }
    std::vector<std::optional<row_id>> moved_to(added.size());  // added index → the placement it moves
    std::vector<const dropped*> cancelled;
    for (auto& [key, drops] : removed_by_key) {
        auto it = added_by_key.find(key);
        std::size_t paired = 0;
        if (it != added_by_key.end()) {
            auto& adds = it->second;
            std::stable_sort(adds.begin(), adds.end(),
                             [&](std::size_t a, std::size_t b) { return added[a].start < added[b].start; });
            paired = std::min(adds.size(), drops.size());
            for (std::size_t j = 0; j < paired; ++j) moved_to[adds[j]] = drops[j].id;
        }
        for (std::size_t j = paired; j < drops.size(); ++j) cancelled.push_back(&drops[j]);
    }
    std::sort(cancelled.begin(), cancelled.end(), [](const dropped* a, const dropped* b) { return a->id < b->id; });

    std::map<row_id, const dropped*> dropped_by_id;
    for (const auto& [key, drops] : removed_by_key)
        for (const dropped& d : drops) dropped_by_id.emplace(d.id, &d);
    // Whether the added placement k that a dropped one becomes changes what its outlet sees: when,
    // how long or in which daypart it airs (a new version of it: its sequence goes up). Else it is
    // kept as it was, whatever its weight or value.
    auto changes_airing = [&](std::size_t k) {
        const dropped& d = *dropped_by_id.at(*moved_to[k]);
        return d.start != stored_utc_text(added[k].start) || d.duration_s != added[k].duration_s ||
               d.daypart != added[k].daypart;
    };
    plan_changes done;
    done.kept = static_cast<int>(kept.size());
    done.cancelled = static_cast<int>(cancelled.size());
    for (std::size_t k = 0; k < added.size(); ++k) {
        if (!moved_to[k]) {
            ++done.added;
        } else {
            ++(changes_airing(k) ? done.moved : done.kept);
        }
    }
    if (changes != nullptr) *changes = done;
    if (who_or_none == nullptr) return 0;
    const audit_actor& who = *who_or_none;

    const std::string actor = !run.actor.empty() ? run.actor : (who.user_id ? "user:" + who.name : "cli");
    SQLite::Statement ins_run(
        sql,
        "INSERT INTO plan_runs (campaign_id, created_at, actor, range_from, range_to, as_of, "
        "objective, bound, gap, placed, wanted, report_json, kept, added, moved, cancelled) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int i = 0;
    ins_run.bind(++i, *campaign_id);
    ins_run.bind(++i, now);
    ins_run.bind(++i, actor);
    ins_run.bind(++i, run.range_from);
    ins_run.bind(++i, run.range_to);
    ins_run.bind(++i, run.as_of);
    ins_run.bind(++i, run.objective);
    ins_run.bind(++i, run.bound);
    ins_run.bind(++i, run.gap);
    ins_run.bind(++i, run.placed);
    ins_run.bind(++i, run.wanted);
    ins_run.bind(++i, run.report_json);
    ins_run.bind(++i, done.kept);
    ins_run.bind(++i, done.added);
    ins_run.bind(++i, done.moved);
    ins_run.bind(++i, done.cancelled);
    ins_run.exec();
    const row_id run_id = sql.getLastInsertRowid();

    {
        // A dropped placement that nothing replaces is remembered where it was, so that feeds show it
        // cancelled (a make-good as a make-good: the cancellation keeps its make_good_of); a make-good
        // proposal that is itself dropped no longer names the missed placement.
        SQLite::Statement remember(
            sql,
            "INSERT INTO placement_cancellations (placement_id, campaign_id, message_id, outlet_id, start_utc, "
            "duration_s, daypart, weight, sequence, cancelled_at, make_good_of) "
            "SELECT id, campaign_id, message_id, outlet_id, start_utc, duration_s, daypart, weight, sequence + 1, ?, "
            "make_good_of FROM placements WHERE id = ?");
        SQLite::Statement unlink(sql, "UPDATE placements SET make_good_of = NULL WHERE make_good_of = ?");
        SQLite::Statement del(sql, "DELETE FROM placements WHERE id = ?");
        for (const dropped* d : cancelled) {
            remember.bind(1, now);
            remember.bind(2, d->id);
            remember.exec();
            remember.reset();
            unlink.bind(1, d->id);
            unlink.exec();
            unlink.reset();
            del.bind(1, d->id);
            del.exec();
            del.reset();
        }
    }

    SQLite::Statement own(sql, "SELECT 1 FROM placements WHERE id = ? AND campaign_id = ?");
    SQLite::Statement ins(
        sql,
        "INSERT INTO placements (campaign_id, message_id, outlet_id, start_utc, duration_s, "
        "daypart, weight, value, state, make_good_of, plan_run_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?)");
    // A move that changes when (or in which daypart) it airs is a new version of the placement; one
    // that changes only its weight or value is not.
    SQLite::Statement move(
        sql,
        "UPDATE placements SET start_utc = ?1, duration_s = ?2, daypart = ?3, weight = ?4, value = ?5, "
        "plan_run_id = ?6, updated_at = CASE WHEN ?8 THEN ?7 ELSE updated_at END, "
        "sequence = sequence + ?8, content_version = CASE WHEN ?8 THEN NULL ELSE content_version END "
        "WHERE id = ?9");
    // Its waiting dispatches are made again for the new time (a cancelled one comes back pending
    // through enqueue_placements; delivered, dead and missed ones are history and stay).
    SQLite::Statement unsend(
        sql, "DELETE FROM dispatches WHERE placement_id = ? AND state IN ('pending', 'retrying', 'in_flight')");
    // Where it was: the outlet's feeds keep listing it while that time is in their window.
    SQLite::Statement moved_from(
        sql, "INSERT OR IGNORE INTO placement_moves (placement_id, outlet_id, from_utc, moved_at) VALUES (?, ?, ?, ?)");
    std::vector<row_id> enqueue_ids;
    enqueue_ids.reserve(added.size());
    for (std::size_t k = 0; k < added.size(); ++k) {
        const new_placement& p = added[k];
        if (p.make_good_of) {
            own.bind(1, *p.make_good_of);
            own.bind(2, *campaign_id);
            const bool found = own.executeStep();
            own.reset();
            if (!found) {
                throw std::invalid_argument("make-good of unknown placement " +
                                            std::to_string(*p.make_good_of));
            }
        }
        const std::string start = stored_utc_text(p.start);
        if (moved_to[k]) {
            const dropped& d = *dropped_by_id.at(*moved_to[k]);
            const bool changed = changes_airing(k);
            i = 0;
            move.bind(++i, start);
            move.bind(++i, p.duration_s);
            move.bind(++i, p.daypart);
            move.bind(++i, p.weight);
            move.bind(++i, p.value);
            move.bind(++i, run_id);
            move.bind(++i, now);
            move.bind(++i, changed ? 1 : 0);
            move.bind(++i, d.id);
            move.exec();
            move.reset();
            if (d.start != start) {
                moved_from.bind(1, d.id);
                moved_from.bind(2, added_outlet[k]);
                moved_from.bind(3, d.start);
                moved_from.bind(4, now);
                moved_from.exec();
                moved_from.reset();
            }
            if (changed) {
                unsend.bind(1, d.id);
                unsend.exec();
                unsend.reset();
                enqueue_ids.push_back(d.id);
            }
            continue;
        }
        i = 0;
        ins.bind(++i, *campaign_id);
        ins.bind(++i, added_message[k]);
        ins.bind(++i, added_outlet[k]);
        ins.bind(++i, start);
        ins.bind(++i, p.duration_s);
        ins.bind(++i, p.daypart);
        ins.bind(++i, p.weight);
        ins.bind(++i, p.value);
        bind_optional(ins, ++i, p.make_good_of);
        ins.bind(++i, run_id);
        ins.bind(++i, now);
        ins.bind(++i, now);
        ins.exec();
        ins.reset();
        enqueue_ids.push_back(sql.getLastInsertRowid());
    }
    // The outbox rows of the new and moved placements commit with them (docs/dispatch.md); the
    // deleted ones' went with them (ON DELETE CASCADE).
    enqueue_placements(db, enqueue_ids);

    json::object after;
    after["run"] = run_id;
    after["from"] = run.range_from;
    after["to"] = run.range_to;
    after["as_of"] = run.as_of;
    after["placed"] = run.placed;
    after["wanted"] = run.wanted;
    // Micro-units keep the audit JSON free of floating-point spellings.
    after["objective_micro"] = std::llround(run.objective * 1e6);
    after["bound_micro"] = std::llround(run.bound * 1e6);
    // What it changed for the outlets, as the run's row says (plan_changes).
    after["kept"] = done.kept;
    after["added"] = done.added;
    after["removed"] = static_cast<std::int64_t>(removed_count);
    after["moved"] = done.moved;
    after["cancelled"] = done.cancelled;
    record_change(sql, who, *campaign_id, "plan", std::to_string(run_id), "run", std::nullopt,
                  json::serialize(after));
    tx.commit();
    return run_id;
}

}  // namespace

std::int64_t store_plan(database& db, const plan_run& run, const std::vector<std::int64_t>& kept,
                        const std::vector<new_placement>& added, const audit_actor& who, plan_changes* changes) {
    return replace_plan(db, run, kept, added, &who, changes);
}

plan_changes preview_plan_changes(database& db, const plan_run& run, const std::vector<std::int64_t>& kept,
                                  const std::vector<new_placement>& added) {
    plan_changes out;
    replace_plan(db, run, kept, added, nullptr, &out);
    return out;
}

std::vector<plan_run> list_plan_runs(database& db, std::string_view campaign_slug, int limit) {
    SQLite::Database& sql = db.sql();
    std::vector<plan_run> out;
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id || limit <= 0) return out;
    SQLite::Statement st(sql,
                         std::string(run_columns) + "WHERE r.campaign_id = ? ORDER BY r.id DESC LIMIT ?");
    st.bind(1, *campaign_id);
    st.bind(2, limit);
    while (st.executeStep()) out.push_back(run_row(st));
    return out;
}

std::optional<plan_run> latest_plan_run(database& db, std::string_view campaign_slug) {
    auto runs = list_plan_runs(db, campaign_slug, 1);
    if (runs.empty()) return std::nullopt;
    return std::move(runs.front());
}

bool set_placement_state(database& db, std::string_view campaign_slug, std::int64_t id,
                         std::string_view state, std::optional<std::string> aired_at, std::string_view note,
                         const audit_actor& who) {
    SQLite::Database& sql = db.sql();
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    const auto campaign_id = active_campaign_id(sql, campaign_slug);
    if (!campaign_id) return false;
    SQLite::Statement st(sql,
                         "SELECT state, aired_at, note FROM placements WHERE id = ? AND campaign_id = ?");
    st.bind(1, id);
    st.bind(2, *campaign_id);
    if (!st.executeStep()) return false;
    const std::string before_state = st.getColumn(0).getString();
    std::optional<std::string> before_aired;
    if (!st.getColumn(1).isNull()) before_aired = st.getColumn(1).getString();
    const std::string before_note = st.getColumn(2).getString();
    if (!transition_allowed(before_state, state)) return false;

    const std::string new_state(state);
    const std::string new_note(note);
    SQLite::Statement upd(
        sql, "UPDATE placements SET state = ?, aired_at = ?, note = ?, updated_at = ? WHERE id = ?");
    upd.bind(1, new_state);
    bind_optional(upd, 2, aired_at);
    upd.bind(3, new_note);
    upd.bind(4, stored_utc_now());
    upd.bind(5, id);
    upd.exec();
    record_change(sql, who, *campaign_id, "placement", std::to_string(id), new_state,
                  placement_audit_json(before_state, before_aired, before_note),
                  placement_audit_json(new_state, aired_at, new_note));
    tx.commit();
    return true;
}

}  // namespace loa::core
