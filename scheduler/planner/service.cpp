// Planning a stored campaign (load → instance → plan → validate → store) and the plan's JSON and
// table forms, shared by `loa plan` and the plan API.
#include "scheduler/planner/service.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <utility>

#include <date/tz.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/plan_store.hpp"
#include "core/storage/stored_time.hpp"
#include "core/text/unicode.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::planner {
namespace {

namespace json = boost::json;

// How many violations the error names (the log line has them all).
constexpr std::size_t violations_named = 3;

std::string date_text(day d) {
    return core::iso_date(date::year_month_day{d});
}

std::string date_text(core::calendar_date d) {
    return date_text(date::sys_days{d});
}

std::string utc_text(instant t) {
    return core::iso_utc(t);
}

// ---- Numbers without Boost.JSON's exponent spelling (1.5E0) ---------------------------------

// `v` rounded to `decimals` places, shortest fixed notation: 3, 0.25, 1234.5.
std::string number_text(double v, int decimals) {
    if (!std::isfinite(v)) return "0";
    const double scale = std::pow(10.0, decimals);
    double r = std::round(v * scale) / scale;
    if (r == 0) r = 0;  // no "-0"
    std::array<char, 64> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), r, std::chars_format::fixed);
    if (res.ec != std::errc{}) return "0";
    return {buf.data(), res.ptr};
}

// Rounds to `decimals` places; write_json prints the result in its shortest fixed form.
double rounded(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::isfinite(v) ? std::round(v * scale) / scale : 0.0;
}

// Boost.JSON's serializer, except doubles: written in fixed notation (Boost.JSON would write
// 1.5E0), at most 6 decimals, which every number of the plan has been rounded to.
void write_json(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& kv : v.get_object()) {
                if (!first) out += ',';
                first = false;
                out += json::serialize(json::string(kv.key()));
                out += ':';
                write_json(out, kv.value());
            }
            out += '}';
            break;
        }
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v.get_array()) {
                if (!first) out += ',';
                first = false;
                write_json(out, e);
            }
            out += ']';
            break;
        }
        case json::kind::double_:
            out += number_text(v.get_double(), 6);
            break;
        default:
            out += json::serialize(v);
            break;
    }
}

// ---- What a placement is, read off the instance ----------------------------------------------

struct placement_view {
    const order_line* line = nullptr;
    const outlet_info* outlet = nullptr;
    const slot* s = nullptr;             // nullptr for a frozen placement whose break is gone
    const daypart_info* part = nullptr;  // of the slot
    day date{};                          // where it airs (outlet-local)
    bool missed = false;                 // a stored placement the outlet reported missed
    bool withdrawn = false;              // kept, but its message was not approved when it was due (is_withdrawn)
    std::string state = "planned";       // the stored state of a kept placement; new ones are planned
    // A kept placement whose break is not in this run's inventory (outside the dates planned): its
    // daypart (part, when the outlet still has it), weight and value as stored.
    const existing_placement* stored = nullptr;
};

// The stored placements by id, built once per plan walked (a linear search per placement would be
// quadratic on a large campaign).
using existing_index = std::map<std::int64_t, const existing_placement*>;

existing_index index_existing(const instance& in) {
    existing_index index;
    for (const auto& e : in.existing) index.emplace(e.id, &e);
    return index;
}

placement_view view_of(const instance& in, const existing_index& stored, const placement& p) {
    placement_view v;
    v.line = &in.lines.at(static_cast<std::size_t>(p.line));
    v.outlet = &in.outlets.at(static_cast<std::size_t>(p.outlet));
    if (p.slot >= 0 && static_cast<std::size_t>(p.slot) < in.slots.size()) {
        v.s = &in.slots[static_cast<std::size_t>(p.slot)];
        v.date = v.s->date;
        if (v.s->daypart >= 0 && static_cast<std::size_t>(v.s->daypart) < v.outlet->dayparts.size()) {
            v.part = &v.outlet->dayparts[static_cast<std::size_t>(v.s->daypart)];
        }
    }
    if (p.existing_id) {
        if (const auto found = stored.find(*p.existing_id); found != stored.end()) {
            const existing_placement& e = *found->second;
            if (v.s == nullptr) {
                v.date = e.date;
                // Outside the dates planned, its break is in no inventory of this run: as stored.
                // (Inside them, a frozen placement whose break is gone stays without one.)
                if (e.date < in.first_day || e.date > in.last_day) {
                    v.stored = &e;
                    for (const auto& dp : v.outlet->dayparts)
                        if (dp.code == e.daypart) v.part = &dp;
                }
            }
            v.missed = e.state == "missed";
            v.withdrawn = is_withdrawn(e);
            v.state = e.state;
        }
    }
    return v;
}

double weight_of(const placement_view& v) {
    if (v.s == nullptr) return v.stored != nullptr ? v.stored->weight : 0.0;
    return v.part != nullptr ? v.part->weight * v.s->date_weight : 0.0;
}

std::int64_t value_of(const instance& in, const placement_view& v) {
    if (v.s == nullptr) return v.stored != nullptr ? std::llround(v.stored->value * 1e6) : 0;
    return value_micro(in, *v.line, *v.s);
}

// Placed vs wanted as the validator counts them: every placement of a line that is not a missed
// one counts (frozen ones too), but for one withdrawn (is_withdrawn); wanted is wanted_airings().
struct tally {
    long long placed = 0;
    long long wanted = 0;
    long long prime = 0;
};

// A message placed more than it wants now: placements kept from before (frozen ones, and those
// outside the dates planned, which a run never changes) after its airings were cut.
struct over_wanted {
    int line = 0;
    long long placed = 0;
    long long wanted = 0;
};

struct summary {
    tally total;
    std::vector<over_wanted> over;             // by line
    std::map<std::string, tally> departments;  // by code; "" for archived messages
    std::vector<tally> outlets;                // by outlet index
    // Unplaced airings of messages that may air on several outlets: wanted of none of them in
    // particular (an unplaced entry names one outlet as the example of its reason).
    long long wanted_any_outlet = 0;
    // Priority-weighted share of airings in prime time, to six places: the one figure the JSON stores
    // and the CLI shows, and the page shows the stored one, so all round the same number (with four
    // places stored and the CLI rounding the exact share, the page said 77.4 % where the CLI said 77.3 %).
    double prime_share = 0;
};

summary summarize(const instance& in, const plan& p) {
    summary s;
    s.outlets.resize(in.outlets.size());
    std::vector<long long> placed(in.lines.size(), 0);
    double prime_weight = 0;
    double all_weight = 0;
    const existing_index stored = index_existing(in);
    for (const auto& pl : p.placements) {
        const placement_view v = view_of(in, stored, pl);
        if (v.missed || v.withdrawn) continue;
        ++placed[static_cast<std::size_t>(pl.line)];
        tally& o = s.outlets[static_cast<std::size_t>(pl.outlet)];
        ++o.placed;
        // Kept placements outside the dates planned count as they were stored (their daypart).
        if (v.s == nullptr && v.stored == nullptr) continue;
        const bool prime = v.part != nullptr && v.part->prime;
        all_weight += v.line->priority;
        if (prime) {
            prime_weight += v.line->priority;
            ++o.prime;
            ++s.total.prime;
        }
    }
    for (std::size_t l = 0; l < in.lines.size(); ++l) {
        const order_line& line = in.lines[l];
        const long long wanted = wanted_airings(line);
        tally& d = s.departments[line.department];
        d.placed += placed[l];
        d.wanted += wanted;
        s.total.placed += placed[l];
        s.total.wanted += wanted;
        // An archived message wants nothing: its kept placements are history, not a surplus.
        if (line.state != "archived" && placed[l] > wanted) {
            s.over.push_back({static_cast<int>(l), placed[l], wanted});
        }
    }
    for (auto& o : s.outlets) o.wanted = o.placed;
    for (const auto& u : p.unplaced) {
        // Not approved: wanted of no outlet (as before); a make-good: of the missed airing's outlet.
        bool several = false;
        if (u.code != reason_code::not_approved && u.code != reason_code::make_good_no_slot && u.line >= 0 &&
            static_cast<std::size_t>(u.line) < in.lines.size()) {
            std::vector<int> outlets = in.lines[static_cast<std::size_t>(u.line)].outlets;
            std::sort(outlets.begin(), outlets.end());
            several = std::unique(outlets.begin(), outlets.end()) - outlets.begin() > 1;
        }
        if (several) {
            s.wanted_any_outlet += u.airings;
        } else if (u.outlet >= 0 && static_cast<std::size_t>(u.outlet) < s.outlets.size()) {
            s.outlets[static_cast<std::size_t>(u.outlet)].wanted += u.airings;
        }
    }
    s.prime_share = all_weight > 0 ? rounded(prime_weight / all_weight, 6) : 0.0;
    return s;
}

std::string start_text(const outlet_info& o, instant t) {
    return core::format_iso8601(t, core::find_zone(o.time_zone));
}

// ---- Running ---------------------------------------------------------------------------------

std::string violations_text(const std::vector<violation>& vs, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < vs.size() && i < limit; ++i) {
        if (i > 0) out += "; ";
        out += vs[i].rule + ": " + vs[i].detail;
    }
    if (vs.size() > limit) out += "; and " + std::to_string(vs.size() - limit) + " more";
    return out;
}

instant system_now() {
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Local midnight of `d` in the campaign's zone.
instant midnight(const core::campaign& c, date::sys_days d) {
    return core::to_sys(date::local_seconds{d.time_since_epoch()}, core::find_zone(c.time_zone));
}

// The approved messages that ask for no airings at all (no total, per day or per week), in the
// campaign's order.
std::vector<std::string> asking_for_none(const instance& in) {
    std::vector<std::string> out;
    for (const order_line& l : in.lines) {
        if (l.approved && asks_for_nothing(l)) out.push_back(l.message);
    }
    return out;
}

constexpr std::string_view rehearsal_head = "The dates planned ended before today, ";
constexpr std::string_view kept_head = "The objective, bound and gap are those of the dates planned (";
constexpr std::string_view kept_tail =
    " placement(s) kept outside them are listed and counted with the daypart, weight and value stored with them.";

}  // namespace

bool is_rehearsal_note(std::string_view note) {
    return note.starts_with(rehearsal_head);
}

std::string kept_outside_note(const std::string& from, const std::string& to, long long count) {
    return std::string(kept_head) + from + " to " + to + "); " + std::to_string(count) + std::string(kept_tail);
}

std::optional<kept_outside_values> read_kept_outside_note(std::string_view note) {
    if (!note.starts_with(kept_head) || !note.ends_with(kept_tail)) return std::nullopt;
    const std::string_view rest = note.substr(kept_head.size(), note.size() - kept_head.size() - kept_tail.size());
    // "FROM to TO); N", the dates as date_text writes them
    const auto to = rest.find(" to ");
    const auto close = rest.find("); ");
    if (to == std::string_view::npos || close == std::string_view::npos || close < to) return std::nullopt;
    const std::string_view from_text = rest.substr(0, to);
    const std::string_view to_text = rest.substr(to + 4, close - to - 4);
    if (!core::parse_stored_date(from_text) || !core::parse_stored_date(to_text)) return std::nullopt;
    kept_outside_values v;
    v.from = std::string(from_text);
    v.to = std::string(to_text);
    const std::string_view digits = rest.substr(close + 3);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v.count);
    if (ec != std::errc{} || end != digits.data() + digits.size() || v.count < 0) return std::nullopt;
    return v;
}

run_result prepare_run(core::database& db, const std::string& campaign_slug, const run_options& opt) {
    run_result r;
    // Before the reads it labels (store_prepared compares it).
    r.stamp = core::take_change_stamp(db);
    auto c = core::load_campaign(db, campaign_slug);
    if (!c) {
        r.error = run_errc::unknown_campaign;
        r.error_detail = "no campaign '" + campaign_slug + "'";
        return r;
    }
    r.campaign = std::move(*c);

    r.range = default_range(r.campaign);
    if (opt.from) r.range.from = *opt.from;
    if (opt.to) r.range.to = *opt.to;
    if (!r.range.from.ok() || !r.range.to.ok()) {
        r.error = run_errc::bad_range;
        r.error_detail = "the dates planned are not calendar dates";
        return r;
    }
    const date::sys_days first{r.range.from};
    const date::sys_days last{r.range.to};
    if (first > last) {
        r.error = run_errc::bad_range;
        // Say which end was not given, and where its date came from.
        r.error_detail =
            "the first date " + date_text(first) +
            (opt.from ? "" : " (not given: the first day of the approved messages' flights, or of the campaign)") +
            " is after the last date " + date_text(last) +
            (opt.to ? "" : " (not given: the last day of the approved messages' flights, or of the campaign)");
        return r;
    }
    if ((last - first).count() + 1 > max_plan_days) {
        r.error = run_errc::bad_range;
        r.error_detail = "the dates " + date_text(first) + " to " + date_text(last) + " span " +
                         std::to_string((last - first).count() + 1) + " days; at most " +
                         std::to_string(max_plan_days) + " are planned at once";
        return r;
    }

    if (opt.as_of) {
        r.as_of = *opt.as_of;
    } else {
        r.as_of = opt.now ? *opt.now : system_now();
        // Over: the dates planned, the approved flights and the campaign's period have all ended. A
        // past range of a campaign still running is planned from now (all of it is frozen): a
        // rehearsal there would move airings already due and add airings in the past, which no
        // outlet was told about and whose absence compliance would then count against it.
        date::sys_days campaign_last = last;
        for (const core::calendar_date d : {default_range(r.campaign).to, r.campaign.period_end}) {
            if (d.ok()) campaign_last = std::max(campaign_last, date::sys_days{d});
        }
        if (r.as_of >= midnight(r.campaign, campaign_last + date::days{1})) {
            // A campaign already over: plan it as it would have been planned before it began.
            int lead = 0;
            for (const auto& o : r.campaign.outlets) lead = std::max({lead, o.lead_time_hours, o.freeze_hours});
            r.as_of = midnight(r.campaign, first) - std::chrono::hours(lead);
            r.notes.push_back(std::string(rehearsal_head) + "so this is a rehearsal as of " +
                              utc_text(r.as_of) + ": the first date " + date_text(first) +
                              " minus the longest lead time or freeze horizon of the outlets (" + std::to_string(lead) +
                              " h).");
        }
    }

    r.stored = core::load_placements(db, campaign_slug);
    r.inst = build_instance(r.campaign, r.stored, r.as_of, r.range);
    r.dry_run = opt.dry_run;
    return r;
}

void plan_prepared(run_result& r) {
    if (!r.ok()) return;
    r.result = make_plan(r.inst);
    {
        long long outside = 0;
        for (const auto& e : r.inst.existing)
            if (e.date < r.inst.first_day || e.date > r.inst.last_day) ++outside;
        if (outside > 0) {
            r.notes.push_back(kept_outside_note(date_text(date::sys_days{r.range.from}),
                                                date_text(date::sys_days{r.range.to}), outside));
        }
    }

    const auto violations = validate(r.inst, r.result);
    if (!violations.empty()) {
        r.error = run_errc::invalid_plan;
        r.error_detail = std::to_string(violations.size()) + " hard rule" +
                         (violations.size() == 1 ? "" : "s") +
                         " broken: " + violations_text(violations, violations_named);
        // One write, so that the line is not interleaved with other threads' output.
        std::cerr << ("loa: planner: refused the plan of " + r.campaign.slug + " (as of " + utc_text(r.as_of) +
                      "): " + violations_text(violations, violations.size()) + "\n")
                  << std::flush;
        return;
    }
    // A dry run too: store_prepared previews what storing it would change for the outlets.
    const date::sys_days first{r.range.from};
    const date::sys_days last{r.range.to};
    r.kept.clear();
    r.added.clear();
    for (const auto& p : r.result.placements) {
        if (p.existing_id) {
            r.kept.push_back(*p.existing_id);
            continue;
        }
        const placement_view v = view_of(r.inst, {}, p);  // a new placement: no stored one
        core::new_placement n;
        n.message = v.line->message;
        n.outlet = v.outlet->slug;
        n.start = p.start;
        n.duration_s = p.duration_s;
        n.daypart = v.part != nullptr ? v.part->code : "";
        n.weight = weight_of(v);
        n.value = static_cast<double>(value_of(r.inst, v)) / 1e6;
        n.make_good_of = p.make_good_of;
        r.added.push_back(std::move(n));
    }
    core::plan_run& run = r.to_store;
    run = {};
    run.campaign = r.campaign.slug;
    if (r.dry_run) return;  // the preview needs no more
    const summary s = summarize(r.inst, r.result);
    run.range_from = date_text(first);
    run.range_to = date_text(last);
    run.as_of = utc_text(r.as_of);
    run.objective = r.result.objective();
    run.bound = r.result.bound();
    run.gap = r.result.gap();
    run.placed = static_cast<int>(s.total.placed);
    run.wanted = static_cast<int>(std::min<long long>(s.total.wanted, 2'000'000'000));
    run.report_json = plan_json(r);
}

bool same_for_the_plan(const std::vector<core::stored_placement>& read, const std::vector<core::stored_placement>& now) {
    if (read.size() != now.size()) return false;
    for (std::size_t k = 0; k < read.size(); ++k) {
        const auto& a = read[k];
        core::stored_placement b = now[k];
        // What an outlet's as-run report writes: a published airing reported aired, or an aired
        // one's time or note corrected. Either way it is frozen and holds its break (instance.hpp
        // is_frozen, the validator counts it), so the plan is still valid and still complete. A
        // placement reported missed is not: it holds its break no more and wants a make-good.
        const bool reported = (a.state == "published" || a.state == "aired") && b.state == "aired";
        if (reported) {
            b.state = a.state;
            b.aired_at = a.aired_at;
            b.note = a.note;
        }
        if (!(a == b)) return false;
    }
    return true;
}

void store_prepared(core::database& db, run_result& r, const core::audit_actor& who) {
    if (!r.ok()) return;
    if (r.dry_run) {
        // What storing it would change for the outlets, against the placements stored now (a
        // message or outlet gone meanwhile: no preview, the plan is still shown).
        try {
            r.changes = core::preview_plan_changes(db, r.to_store, r.kept, r.added);
        } catch (const std::invalid_argument&) {
            r.changes.reset();
        }
        return;
    }
    const std::string& campaign_slug = r.campaign.slug;
    // Nothing written anywhere since prepare_run read: the same data. Otherwise compare what it read
    // (most writes, a session's or an audit row, leave a campaign as it was; as-run reports of
    // airings leave the plan valid: same_for_the_plan). Everything stored was
    // made by plan_prepared, so that only the comparison and the write happen here, back to back.
    if (core::take_change_stamp(db) != r.stamp) {
        const auto now_campaign = core::load_campaign(db, campaign_slug);
        if (!now_campaign || !(*now_campaign == r.campaign) ||
            !same_for_the_plan(r.stored, core::load_placements(db, campaign_slug))) {
            r.error = run_errc::changed;
            r.error_detail = "the campaign or its placements changed while it was being planned";
            return;
        }
    }
    r.to_store.actor = who.user_id ? "user:" + who.name : "cli";
    core::plan_changes changes;
    r.run_id = core::store_plan(db, r.to_store, r.kept, r.added, who, &changes);
    r.changes = changes;
}

run_result run_planner(core::database& db, const std::string& campaign_slug, const run_options& opt,
                       const core::audit_actor& who) {
    run_result r;
    for (int attempt = 0; attempt < max_plan_attempts; ++attempt) {
        r = prepare_run(db, campaign_slug, opt);
        plan_prepared(r);
        store_prepared(db, r, who);
        if (r.error != run_errc::changed) break;
    }
    return r;
}

std::string plan_json(const run_result& r) {
    const instance& in = r.inst;
    const plan& p = r.result;
    json::object root;
    root["campaign"] = r.campaign.slug;
    root["as_of"] = utc_text(r.as_of);
    root["from"] = date_text(r.range.from);
    root["to"] = date_text(r.range.to);
    root["objective"] = static_cast<double>(p.objective_micro) / 1e6;
    root["bound"] = static_cast<double>(p.bound_micro) / 1e6;
    root["gap"] = rounded(p.gap(), 6);

    json::array placements;
    const existing_index stored = index_existing(in);
    for (const auto& pl : p.placements) {
        const placement_view v = view_of(in, stored, pl);
        json::object o;
        if (pl.existing_id) o["id"] = *pl.existing_id;
        o["message"] = v.line->message;
        o["outlet"] = v.outlet->slug;
        o["start"] = start_text(*v.outlet, pl.start);
        o["duration_s"] = pl.duration_s;
        o["daypart"] = v.part != nullptr ? json::value(v.part->code) : json::value(nullptr);
        o["weight"] = rounded(weight_of(v), 4);
        o["value"] = static_cast<double>(value_of(in, v)) / 1e6;
        o["prime"] = v.part != nullptr && v.part->prime;
        o["frozen"] = pl.frozen;
        o["state"] = v.state;
        // Kept in its break but cancelled for the outlet: its message was not approved when it was due.
        if (v.withdrawn) o["withdrawn"] = true;
        if (pl.make_good_of) o["make_good_of"] = *pl.make_good_of;
        placements.push_back(std::move(o));
    }
    root["placements"] = std::move(placements);

    json::array unplaced;
    for (const auto& u : p.unplaced) {
        const order_line& line = in.lines.at(static_cast<std::size_t>(u.line));
        const outlet_info* outlet = u.outlet >= 0 && static_cast<std::size_t>(u.outlet) < in.outlets.size()
                                        ? &in.outlets[static_cast<std::size_t>(u.outlet)]
                                        : nullptr;
        json::object o;
        o["message"] = line.message;
        o["outlet"] = outlet != nullptr ? json::value(outlet->slug) : json::value(nullptr);
        o["airings"] = u.airings;
        o["reason"] = u.reason;
        o["code"] = reason_name(u.code);
        if (!u.detail.empty()) o["detail"] = u.detail;
        if (u.detail == "too_long") o["longest_s"] = u.longest_s;
        if (u.date) o["date"] = date_text(*u.date);
        if (u.limit_per_day > 0 || u.limit_per_week > 0 || u.limit_per_outlet_day > 0) {
            json::object limits;
            if (u.limit_per_day > 0) limits["per_day"] = u.limit_per_day;
            if (u.limit_per_week > 0) limits["per_week"] = u.limit_per_week;
            if (u.limit_per_outlet_day > 0) limits["per_outlet_day"] = u.limit_per_outlet_day;
            o["limits"] = std::move(limits);
        }
        if (u.notice_hours > 0) o["notice_hours"] = u.notice_hours;
        if (u.every_break) o["every_break"] = true;
        if (u.others_full > 0) o["others_full"] = u.others_full;
        if (u.closed_by_others > 0) o["closed_by_others"] = u.closed_by_others;
        if (u.make_good_of) o["make_good_of"] = *u.make_good_of;
        if (!u.lost.empty() && u.lost_until) {
            o["lost"] = u.lost;
            o["lost_until"] = date_text(*u.lost_until);
        }
        // What the plan was made with, for pages that say it later (the message may change since).
        if (line.flight_first <= line.flight_last) {
            o["flight"] = json::object{{"first", date_text(line.flight_first)}, {"last", date_text(line.flight_last)}};
        }
        if (u.code == reason_code::separation && line.min_gap_minutes > 0) o["min_gap_minutes"] = line.min_gap_minutes;
        if (outlet != nullptr && u.daypart >= 0 &&
            static_cast<std::size_t>(u.daypart) < outlet->dayparts.size()) {
            o["daypart"] = outlet->dayparts[static_cast<std::size_t>(u.daypart)].code;
        }
        json::array blockers;
        for (const int b : u.blockers) {
            if (b >= 0 && static_cast<std::size_t>(b) < in.lines.size())
                blockers.push_back(json::value(in.lines[static_cast<std::size_t>(b)].message));
        }
        o["blockers"] = std::move(blockers);
        unplaced.push_back(std::move(o));
    }
    root["unplaced"] = std::move(unplaced);

    // Approved messages that ask for no airings: nothing is planned for them and nothing is
    // unplaced, so without this list a message whose airings were left at 0 would be missing
    // from the plan without a word.
    json::array asking_none;
    for (const std::string& code : asking_for_none(in)) asking_none.push_back(json::value(code));
    root["asking_none"] = std::move(asking_none);

    const summary s = summarize(in, p);
    json::object sum;
    sum["placed"] = s.total.placed;
    sum["wanted"] = s.total.wanted;
    sum["prime"] = s.total.prime;
    sum["prime_share"] = s.prime_share;  // six places (summary::prime_share)
    json::array departments;
    // In the campaign's order, then any department only archived messages name.
    std::vector<std::string> order;
    for (const auto& d : r.campaign.departments) order.push_back(d.code);
    for (const auto& [code, t] : s.departments) {
        if (std::find(order.begin(), order.end(), code) == order.end()) order.push_back(code);
    }
    for (const auto& code : order) {
        const auto it = s.departments.find(code);
        if (it == s.departments.end()) continue;
        json::object d;
        d["department"] = code;
        d["placed"] = it->second.placed;
        d["wanted"] = it->second.wanted;
        departments.push_back(std::move(d));
    }
    sum["departments"] = std::move(departments);
    json::array outlets;
    for (std::size_t i = 0; i < in.outlets.size(); ++i) {
        json::object o;
        o["outlet"] = in.outlets[i].slug;
        o["placed"] = s.outlets[i].placed;
        o["wanted"] = s.outlets[i].wanted;
        o["prime"] = s.outlets[i].prime;
        outlets.push_back(std::move(o));
    }
    sum["outlets"] = std::move(outlets);
    sum["wanted_any_outlet"] = s.wanted_any_outlet;
    root["summary"] = std::move(sum);
    json::array over;
    for (const auto& x : s.over) {
        over.push_back(json::object{{"message", in.lines[static_cast<std::size_t>(x.line)].message},
                                    {"placed", x.placed},
                                    {"wanted", x.wanted}});
    }
    root["over_wanted"] = std::move(over);

    json::array notes;
    for (const auto& n : r.notes) notes.push_back(json::value(n));
    root["notes"] = std::move(notes);
    if (r.run_id) root["run_id"] = *r.run_id;
    // Stored: what it changed for the outlets; a dry run: what storing it would change.
    if (r.changes) {
        root["changes"] = json::object{{"kept", r.changes->kept},
                                       {"added", r.changes->added},
                                       {"moved", r.changes->moved},
                                       {"cancelled", r.changes->cancelled}};
    }

    std::string out;
    write_json(out, root);
    return out;
}

// ---- The table -------------------------------------------------------------------------------

namespace {

// Terminal width of UTF-8 text by code points (Vietnamese letters are one column each, however
// many bytes they take).
std::size_t width(std::string_view s) {
    return core::code_points(s);
}

std::string pad(std::string_view s, std::size_t w) {
    std::string out(s);
    const std::size_t have = width(s);
    if (have < w) out.append(w - have, ' ');
    return out;
}

std::string pad_left(std::string_view s, std::size_t w) {
    const std::size_t have = width(s);
    std::string out = have < w ? std::string(w - have, ' ') : std::string();
    out += s;
    return out;
}

// Rows of cells printed in columns; `right` marks right-aligned (numeric) columns.
class table {
public:
    explicit table(std::vector<bool> right) : right_(std::move(right)) {}
    void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

    void print(std::ostringstream& out, std::string_view indent) const {
        std::vector<std::size_t> w(right_.size(), 0);
        for (const auto& r : rows_) {
            for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
        }
        for (const auto& r : rows_) {
            std::string line(indent);
            for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) {
                if (i > 0) line += "  ";
                // The last column is not padded (no trailing spaces).
                line += right_[i] ? pad_left(r[i], w[i]) : (i + 1 == r.size() ? r[i] : pad(r[i], w[i]));
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out << line << "\n";
        }
    }

private:
    std::vector<bool> right_;
    std::vector<std::vector<std::string>> rows_;
};

std::string percent(double share) {
    return number_text(share * 100.0, 1) + " %";
}

}  // namespace

std::string plan_table(const run_result& r) {
    const instance& in = r.inst;
    const plan& p = r.result;
    const summary s = summarize(in, p);
    std::ostringstream out;

    out << "Plan of " << r.campaign.slug << ": " << date_text(r.range.from) << " to " << date_text(r.range.to)
        << ", as of " << utc_text(r.as_of) << "\n";
    out << "Objective " << number_text(p.objective(), 2) << ", bound " << number_text(p.bound(), 2)
        << ", gap " << number_text(p.gap() * 100.0, 2) << " %\n";
    out << "Placed " << s.total.placed << " of " << s.total.wanted << " airings wanted; " << s.total.prime
        << " in prime time, prime-time share " << percent(s.prime_share)
        << " (weighted by priority)\n";
    if (r.run_id) {
        out << "Stored as plan run " << *r.run_id;
        if (r.changes) {
            out << ": " << r.changes->kept << " kept as they were, " << r.changes->added << " new, " << r.changes->moved
                << " moved or changed, " << r.changes->cancelled << " cancelled";
        }
        out << "\n";
    } else if (r.changes) {
        out << "Not stored (dry run); stored, it would keep " << r.changes->kept << " as they are, add "
            << r.changes->added << ", move or change " << r.changes->moved << " and cancel " << r.changes->cancelled
            << "\n";
    }
    for (const auto& n : r.notes) out << "Note: " << n << "\n";
    for (const auto& x : s.over) {
        out << "Note: " << in.lines[static_cast<std::size_t>(x.line)].message << " is placed " << x.placed
            << " times, more than the " << x.wanted
            << " it wants now: the rest are kept from before (frozen, or outside the dates planned, which a run "
               "does not change); planning their dates again drops the planned ones\n";
    }

    out << "\n";
    table deps({false, true, true});
    deps.row({"Department", "Placed", "Wanted"});
    std::vector<std::string> order;
    for (const auto& d : r.campaign.departments) order.push_back(d.code);
    for (const auto& [code, t] : s.departments) {
        if (std::find(order.begin(), order.end(), code) == order.end()) order.push_back(code);
    }
    for (const auto& code : order) {
        const auto it = s.departments.find(code);
        if (it == s.departments.end()) continue;
        deps.row({code.empty() ? "(archived)" : code, std::to_string(it->second.placed),
                  std::to_string(it->second.wanted)});
    }
    deps.print(out, "");

    out << "\n";
    table outs({false, true, true, true});
    outs.row({"Outlet", "Placed", "Wanted", "Prime"});
    for (std::size_t i = 0; i < in.outlets.size(); ++i) {
        outs.row({in.outlets[i].slug, std::to_string(s.outlets[i].placed),
                  std::to_string(s.outlets[i].wanted), std::to_string(s.outlets[i].prime)});
    }
    if (s.wanted_any_outlet > 0) outs.row({"(not placed, any of several)", "-", std::to_string(s.wanted_any_outlet), "-"});
    outs.print(out, "");

    out << "\nPlacements (local time of each outlet; * = prime time; ×n = the airing's weight, its daypart's\n"
           "weight × its key date's)\n";
    if (p.placements.empty()) out << "  none\n";
    // By outlet, then time (the planner sorts them so; a plan from elsewhere may not be).
    std::vector<const placement*> sorted;
    for (const auto& pl : p.placements) sorted.push_back(&pl);
    std::stable_sort(sorted.begin(), sorted.end(), [](const placement* a, const placement* b) {
        return std::tie(a->outlet, a->start, a->line) < std::tie(b->outlet, b->start, b->line);
    });
    std::optional<table> rows;
    std::string current_date;
    const existing_index stored = index_existing(in);
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const placement& pl = *sorted[i];
        const placement_view v = view_of(in, stored, pl);
        if (i == 0 || sorted[i - 1]->outlet != pl.outlet) {
            if (rows) rows->print(out, "    ");
            rows.emplace(std::vector<bool>{false, false, false, false, true, true, false});
            current_date.clear();
            out << "  " << v.outlet->slug << " (" << v.outlet->time_zone << ")\n";
        }
        const std::string start = start_text(*v.outlet, pl.start);  // 2024-07-30T19:15:00+07:00
        const std::string date = start.substr(0, 10);
        std::string flags;
        if (pl.frozen) flags += "frozen";
        if (v.missed) flags += flags.empty() ? "missed" : ", missed";
        if (v.withdrawn) flags += flags.empty() ? "withdrawn (approval lost before it)" : ", withdrawn (approval lost before it)";
        if (pl.make_good_of) {
            flags += (flags.empty() ? "" : ", ") + std::string("make-good of #") +
                     std::to_string(*pl.make_good_of);
        }
        const std::string part = v.part != nullptr ? v.part->code + (v.part->prime ? " *" : "") : "-";
        rows->row({date == current_date ? "" : date, start.substr(11, 5), part, v.line->message,
                   std::to_string(pl.duration_s) + " s", "×" + number_text(weight_of(v), 2), flags});
        current_date = date;
    }
    if (rows) rows->print(out, "    ");

    out << "\nUnplaced airings\n";
    if (p.unplaced.empty()) {
        out << "  none\n";
    } else {
        table un({false, false, true, false});
        un.row({"Message", "Outlet", "Airings", "Reason"});
        for (const auto& u : p.unplaced) {
            const std::string outlet = u.outlet >= 0 && static_cast<std::size_t>(u.outlet) < in.outlets.size()
                                           ? in.outlets[static_cast<std::size_t>(u.outlet)].slug
                                           : "-";
            un.row({in.lines.at(static_cast<std::size_t>(u.line)).message, outlet, std::to_string(u.airings),
                    u.reason});
        }
        un.print(out, "  ");
    }
    if (const auto none = asking_for_none(in); !none.empty()) {
        out << "\nApproved messages asking for no airings (nothing new is planned for them; setting the airings wanted\n"
               "returns a message to draft, to be approved again before the next run)\n";
        for (const std::string& code : none) out << "  " << code << "\n";
    }
    return out.str();
}

}  // namespace loa::scheduler::planner
