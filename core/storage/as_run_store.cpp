// As-run lines applied to placements in one transaction, and the per-outlet, per-day compliance
// they add up to.
#include "core/storage/as_run_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <date/tz.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/storage/audit_store.hpp"
#include "core/storage/statement_helpers.hpp"
#include "core/storage/message_sql.hpp"
#include "core/storage/stored_time.hpp"
#include "core/time/zone.hpp"

namespace loa::core {
namespace {

namespace json = boost::json;
using row_id = std::int64_t;

// A placement as an as-run line needs it.
struct target_placement {
    row_id id = 0;
    row_id campaign_id = 0;
    bool archived = false;
    std::string outlet;
    std::string message;
    std::chrono::sys_seconds start{};
    std::string state;
    std::optional<std::string> aired_at;
    std::string note;
    const date::time_zone* zone = nullptr;  // the placement's outlet's, as its feed shows it
};

constexpr const char* target_columns =
    "SELECT p.id, p.campaign_id, c.archived, o.slug, m.code, p.start_utc, p.state, p.aired_at, p.note, "
    "o.time_zone "
    "FROM placements p JOIN campaigns c ON c.id = p.campaign_id JOIN outlets o ON o.id = p.outlet_id "
    "JOIN messages m ON m.id = p.message_id ";

target_placement read_target(SQLite::Statement& st) {
    target_placement t;
    t.id = st.getColumn(0).getInt64();
    t.campaign_id = st.getColumn(1).getInt64();
    t.archived = st.getColumn(2).getInt() != 0;
    t.outlet = st.getColumn(3).getString();
    t.message = st.getColumn(4).getString();
    t.start = stored_utc_instant(st.getColumn(5).getString());
    t.state = st.getColumn(6).getString();
    if (!st.getColumn(7).isNull()) t.aired_at = st.getColumn(7).getString();
    t.note = st.getColumn(8).getString();
    t.zone = find_zone(st.getColumn(9).getString());
    return t;
}

std::string after_json(const std::string& state, const std::optional<std::string>& aired_at,
                       const std::string& note, std::string_view outlet, std::string_view status,
                       std::optional<row_id> token_id) {
    json::object o;
    o["state"] = state;
    o["aired_at"] = aired_at ? json::value(*aired_at) : json::value(nullptr);
    o["note"] = note;
    o["as_run"] = std::string(status);
    o["outlet"] = std::string(outlet);
    o["token"] = token_id ? json::value(*token_id) : json::value(nullptr);
    return json::serialize(o);
}

std::string hours_text(std::chrono::seconds s) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(s).count();
    if (minutes % 60 == 0) return std::to_string(minutes / 60) + (minutes == 60 ? " hour" : " hours");
    return std::to_string(minutes) + " minutes";
}

// The outlet's time zone (of its first campaign not archived; an outlet keeps its zone across
// campaigns), for the times a reason names: the station reads them on its own clock, as its feeds
// show them. nullptr (UTC) when the outlet is not found.
const date::time_zone* outlet_zone(SQLite::Database& sql, std::string_view outlet) {
    SQLite::Statement q(sql,
                        "SELECT o.time_zone FROM outlets o JOIN campaigns c ON c.id = o.campaign_id "
                        "WHERE o.slug = ? AND c.archived = 0 AND o.archived = 0 ORDER BY o.id LIMIT 1");
    q.bind(1, std::string(outlet));
    return q.executeStep() ? find_zone(q.getColumn(0).getString()) : nullptr;
}

// The statements an upload reuses for every line.
class applier {
public:
    applier(SQLite::Database& sql, std::string_view outlet, std::optional<row_id> token_id,
            std::chrono::sys_seconds now, std::chrono::sys_seconds recorded_at, const audit_actor& who)
        : sql_(sql),
          outlet_(outlet),
          zone_(outlet_zone(sql, outlet)),
          token_id_(token_id),
          now_(now),
          recorded_text_(stored_utc_text(recorded_at)),
          who_(who),
          by_id_(sql, std::string(target_columns) + "WHERE p.id = ?"),
          by_time_(
              sql,
              std::string(target_columns) +
                  "WHERE o.slug = ? AND m.code = ? AND p.start_utc = ? AND c.archived = 0 ORDER BY p.id"),
          insert_(sql,
                  "INSERT INTO as_run_lines (placement_id, outlet_slug, status, aired_at, note, received_at, "
                  "token_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)"),
          latest_(sql,
                  "SELECT status, aired_at, note FROM as_run_lines WHERE placement_id = ? ORDER BY id DESC LIMIT 1"),
          latest_from_(sql,
                       "SELECT status, aired_at, note FROM as_run_lines WHERE placement_id = ? AND token_id IS ? "
                       "ORDER BY id DESC LIMIT 1"),
          update_(sql,
                  "UPDATE placements SET state = ?, aired_at = ?, note = ?, updated_at = ? WHERE id = ?"),
          // (Only this outlet's, in a campaign not archived: another outlet's times are not its business.)
          cancelled_(sql,
                     "SELECT x.start_utc FROM placement_cancellations x JOIN outlets o ON o.id = x.outlet_id "
                     "JOIN campaigns c ON c.id = x.campaign_id WHERE x.placement_id = ? AND o.slug = ? "
                     "AND c.archived = 0") {}

    as_run_line_result apply(const as_run_input& line) {
        as_run_line_result r;
        const auto reject = [&](std::string why) {
            r.outcome = as_run_outcome::rejected;
            r.reason = line.where + ": " + std::move(why);
            return r;
        };
        if (line.status != "aired" && line.status != "missed" && line.status != "partial")
            return reject("status: '" + line.status + "' is not aired, missed or partial");

        // The placement: by id, else by its start and message on this outlet.
        std::optional<target_placement> t;
        if (line.placement) {
            r.placement = line.placement;
            by_id_.bind(1, *line.placement);
            if (by_id_.executeStep()) t = read_target(by_id_);
            by_id_.reset();
            if (!t) {
                // One a re-plan dropped is no longer on any schedule: say so, not "does not exist".
                cancelled_.bind(1, *line.placement);
                cancelled_.bind(2, outlet_);
                const bool was_cancelled = cancelled_.executeStep();
                const std::string where =
                    was_cancelled ? shown(stored_utc_instant(cancelled_.getColumn(0).getString())) : std::string();
                cancelled_.reset();
                if (was_cancelled)
                    return reject("placement " + std::to_string(*line.placement) +
                                  " was cancelled by a re-plan (it was at " + where + ")");
                return reject("placement " + std::to_string(*line.placement) + " does not exist");
            }
            if (t->outlet != outlet_)
                return reject("placement " + std::to_string(t->id) +
                              " is on another outlet's schedule, not on '" + outlet_ + "'");
            if (t->archived)
                return reject("placement " + std::to_string(t->id) + " belongs to an archived campaign");
            if (line.time && *line.time != t->start)
                return reject("time: placement " + std::to_string(t->id) + " starts at " + shown(t->start, t->zone) +
                              ", not " + shown(*line.time, t->zone));
            if (!line.message.empty() && line.message != t->message)
                return reject("message: placement " + std::to_string(t->id) + " carries '" + t->message +
                              "', not '" + line.message + "'");
        } else {
            if (!line.time || line.message.empty())
                return reject("placement: missing (give placement, or time and message)");
            by_time_.bind(1, outlet_);
            by_time_.bind(2, line.message);
            by_time_.bind(3, stored_utc_text(*line.time));
            std::vector<target_placement> found;
            while (by_time_.executeStep()) found.push_back(read_target(by_time_));
            by_time_.reset();
            if (found.empty())
                return reject("no placement of message '" + line.message + "' starts at " + shown(*line.time) +
                              " on '" + outlet_ + "'");
            if (found.size() > 1)
                return reject(std::to_string(found.size()) + " placements of message '" + line.message +
                              "' start at " + shown(*line.time) + "; give the placement id");
            t = std::move(found.front());
            r.placement = t->id;
        }

        // Is the report possible now?
        if (t->start > now_)
            return reject("placement " + std::to_string(t->id) + " starts at " + shown(t->start, t->zone) +
                          ", after now: report it once it has aired or been missed");
        const bool aired = line.status != "missed";
        std::optional<std::string> aired_text;
        if (aired) {
            if (!line.aired_at)
                return reject("aired_at: missing (required when the status is " + line.status + ")");
            const auto distance =
                *line.aired_at > t->start ? *line.aired_at - t->start : t->start - *line.aired_at;
            if (distance > as_run_tolerance)
                return reject("aired_at: " + shown(*line.aired_at, t->zone) + " is more than " +
                              hours_text(as_run_tolerance) + " from the placement's start " + shown(t->start, t->zone));
            if (*line.aired_at > now_ + as_run_clock_skew)
                return reject("aired_at: " + shown(*line.aired_at, t->zone) + " is in the future");
            aired_text = stored_utc_text(*line.aired_at);
        }

        // A line that repeats the placement's latest line, or the latest line from the same token,
        // changes nothing: an automation resending its day, also after someone else corrected one of
        // its lines since. One that repeats only an older line is a correction back, and applies.
        const auto repeats = [&](SQLite::Statement& q) {
            const bool same = q.executeStep() && q.getColumn(0).getString() == line.status &&
                              q.getColumn(1).getString() == aired_text.value_or(std::string()) &&
                              q.getColumn(2).getString() == line.note;
            q.reset();
            return same;
        };
        latest_.bind(1, t->id);
        latest_from_.bind(1, t->id);
        if (token_id_) {
            latest_from_.bind(2, *token_id_);
        } else {
            latest_from_.bind(2);
        }
        if (repeats(latest_) || repeats(latest_from_)) {
            r.outcome = as_run_outcome::duplicate;
            return r;
        }
        insert_.bind(1, t->id);
        insert_.bind(2, outlet_);
        insert_.bind(3, line.status);
        insert_.bind(4, aired_text.value_or(std::string()));
        insert_.bind(5, line.note);
        insert_.bind(6, recorded_text_);
        if (token_id_) {
            insert_.bind(7, *token_id_);
        } else {
            insert_.bind(7);
        }
        insert_.exec();
        insert_.reset();

        const std::string state = aired ? "aired" : "missed";
        std::string note = line.note;
        if (line.status == "partial") note = note.empty() ? "partial" : "partial: " + note;
        if (state != t->state || aired_text != t->aired_at || note != t->note) {
            update_.bind(1, state);
            if (aired_text) {
                update_.bind(2, *aired_text);
            } else {
                update_.bind(2);
            }
            update_.bind(3, note);
            update_.bind(4, recorded_text_);
            update_.bind(5, t->id);
            update_.exec();
            update_.reset();
            record_change(sql_, who_, t->campaign_id, "placement", std::to_string(t->id),
                          "as-run " + line.status, placement_audit_json(t->state, t->aired_at, t->note),
                          after_json(state, aired_text, note, outlet_, line.status, token_id_));
        }
        r.outcome = as_run_outcome::applied;
        return r;
    }

private:
    // A time in a reason, on the outlet's clock with its offset (2024-07-29T19:15:00+07:00): the
    // placement's outlet's when a placement is known, else the outlet's.
    [[nodiscard]] std::string shown(std::chrono::sys_seconds t, const date::time_zone* zone = nullptr) const {
        return format_iso8601(t, zone != nullptr ? zone : zone_);
    }

    SQLite::Database& sql_;
    std::string outlet_;
    const date::time_zone* zone_;
    std::optional<row_id> token_id_;
    std::chrono::sys_seconds now_;
    std::string recorded_text_;
    const audit_actor& who_;
    SQLite::Statement by_id_;
    SQLite::Statement by_time_;
    SQLite::Statement insert_;
    SQLite::Statement latest_;
    SQLite::Statement latest_from_;
    SQLite::Statement update_;
    SQLite::Statement cancelled_;
};

}  // namespace

const char* to_string(as_run_outcome o) noexcept {
    switch (o) {
        case as_run_outcome::applied:
            return "applied";
        case as_run_outcome::duplicate:
            return "duplicate";
        case as_run_outcome::rejected:
            return "rejected";
    }
    return "rejected";
}

std::vector<as_run_line_result> apply_as_run(database& db, std::string_view outlet,
                                             const std::vector<as_run_input>& lines,
                                             std::optional<std::int64_t> token_id,
                                             std::chrono::sys_seconds now, std::chrono::sys_seconds recorded_at,
                                             const audit_actor& who) {
    SQLite::Database& sql = db.sql();
    std::vector<as_run_line_result> out;
    out.reserve(lines.size());
    SQLite::Transaction tx(sql, SQLite::TransactionBehavior::IMMEDIATE);
    applier a(sql, outlet, token_id, now, recorded_at, who);
    for (const auto& line : lines) out.push_back(a.apply(line));
    tx.commit();
    return out;
}

// ---- Compliance -----------------------------------------------------------------------------

compliance_report load_compliance(database& db, std::string_view campaign_slug,
                                  const compliance_filter& filter, std::chrono::sys_seconds now) {
    SQLite::Database& sql = db.sql();
    compliance_report out;
    const std::optional<row_id> found = active_campaign_id(sql, campaign_slug);
    if (!found) return out;
    out.found = true;
    const row_id campaign_id = *found;

    // The outlets with their zones and prime weights (the highest daypart weight).
    struct outlet_info {
        const date::time_zone* zone = nullptr;
        std::optional<double> prime_weight;
        std::size_t order = 0;
    };
    std::map<row_id, outlet_info> outlets;
    std::map<std::string, row_id> outlet_ids;
    {
        SQLite::Statement st(sql,
                             "SELECT o.id, o.slug, o.time_zone, (SELECT MAX(d.weight) FROM dayparts d WHERE "
                             "d.outlet_id = o.id) "
                             "FROM outlets o WHERE o.campaign_id = ? ORDER BY o.archived, o.position, o.id");
        st.bind(1, campaign_id);
        while (st.executeStep()) {
            outlet_info info;
            info.zone = find_zone(st.getColumn(2).getString());
            if (!st.getColumn(3).isNull()) info.prime_weight = st.getColumn(3).getDouble();
            info.order = out.outlet_order.size();
            const row_id id = st.getColumn(0).getInt64();
            outlets.emplace(id, info);
            outlet_ids.emplace(st.getColumn(1).getString(), id);
            out.outlet_order.push_back(st.getColumn(1).getString());
        }
    }

    // Every placement with its daypart's own weight and the status of its outlet's last as-run line.
    SQLite::Statement st(
        sql,
        "SELECT p.id, p.outlet_id, o.slug, m.code, p.start_utc, p.state, p.note, "
        "(SELECT d.weight FROM dayparts d WHERE d.outlet_id = p.outlet_id AND d.code = p.daypart), "
        "(SELECT a.status FROM as_run_lines a WHERE a.placement_id = p.id ORDER BY a.id DESC LIMIT 1), "
        "(SELECT g.id FROM placements g WHERE g.make_good_of = p.id ORDER BY g.id DESC LIMIT 1), " +
            std::string(placement_withdrawn_sql) +
            " FROM placements p JOIN outlets o ON o.id = p.outlet_id JOIN messages m ON m.id = p.message_id "
            "WHERE p.campaign_id = ? ORDER BY p.start_utc, p.id");
    st.bind(1, campaign_id);
    std::map<std::pair<std::size_t, date::sys_days>, compliance_day> days;
    std::vector<std::pair<missed_placement, std::optional<row_id>>> missed;
    while (st.executeStep()) {
        const row_id outlet_id = st.getColumn(1).getInt64();
        const std::string slug = st.getColumn(2).getString();
        if (!filter.outlet.empty() && slug != filter.outlet) continue;
        const auto info_it = outlets.find(outlet_id);
        if (info_it == outlets.end()) continue;
        const outlet_info& info = info_it->second;
        const auto start = stored_utc_instant(st.getColumn(4).getString());
        const date::sys_days local_day =
            info.zone == nullptr
                ? date::floor<date::days>(start)
                : date::sys_days{date::floor<date::days>(info.zone->to_local(start)).time_since_epoch()};
        const date::year_month_day ymd{local_day};
        if (filter.from && ymd < *filter.from) continue;
        if (filter.to && ymd > *filter.to) continue;

        const std::string state = st.getColumn(5).getString();
        // A placement whose message lost its approval before it was due is cancelled for the
        // outlet (the feeds say so, the dispatcher sends nothing): not expected of it, so not
        // counted. What it reported anyway still counts. One that was due before is still expected.
        if (st.getColumn(10).getInt() != 0) continue;

        compliance_day& d = days[{info.order, local_day}];
        d.outlet = slug;
        d.day = ymd;
        ++d.planned;
        const std::string last_status =
            st.getColumn(8).isNull() ? std::string() : st.getColumn(8).getString();
        const bool prime = info.prime_weight && !st.getColumn(7).isNull() &&
                           st.getColumn(7).getDouble() >= *info.prime_weight;
        const bool full = state == "aired" && last_status != "partial";
        if (state == "aired") {
            ++(full ? d.aired : d.partial);
        } else if (state == "missed") {
            ++d.missed;
        } else if (start < now) {
            ++d.not_reported;
        } else {
            ++d.upcoming;
        }
        if (prime) {
            ++d.prime;
            if (full) ++d.prime_aired;
            if (state == "aired" || state == "missed" || start < now) ++d.prime_due;
        }
        if (state == "missed") {
            missed_placement m;
            m.id = st.getColumn(0).getInt64();
            m.outlet = slug;
            m.message = st.getColumn(3).getString();
            m.start = start;
            m.note = st.getColumn(6).getString();
            std::optional<row_id> mg;
            if (!st.getColumn(9).isNull()) mg = st.getColumn(9).getInt64();
            missed.emplace_back(std::move(m), mg);
        }
    }
    for (auto& [key, d] : days) out.days.push_back(std::move(d));

    SQLite::Statement mg(sql, "SELECT start_utc, state FROM placements WHERE id = ?");
    for (auto& [m, mg_id] : missed) {
        if (mg_id) {
            mg.bind(1, *mg_id);
            if (mg.executeStep())
                m.make_good = make_good_ref{*mg_id, stored_utc_instant(mg.getColumn(0).getString()),
                                            mg.getColumn(1).getString()};
            mg.reset();
        }
        out.missed.push_back(std::move(m));
    }
    return out;
}

}  // namespace loa::core
