// Reproducible random planner instances: a splitmix64 generator of our own (std::random
// distributions differ across standard libraries), outlets in regions of up to 40 (TV, radio,
// online, social and ward loudspeakers), breaks from daypart windows in each outlet's zone through
// date/tz (a daypart crosses midnight; Europe/Berlin outlets are planned across a DST change),
// key-date weights, blackouts, lead times and stored placements in every state.
#include "tests/support/instance_generator.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include <date/tz.h>

#include "core/time/zone.hpp"

namespace loa::testing {
namespace {

using namespace scheduler::planner;
using namespace std::chrono_literals;

// splitmix64 (Steele, Lea, Flood 2014): the same numbers on every platform.
class rng {
public:
    explicit rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform enough in [lo, hi] (modulo bias is irrelevant here, determinism is what matters).
    int between(int lo, int hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool percent(int p) { return static_cast<int>(next() % 100) < p; }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[static_cast<std::size_t>(next() % v.size())];
    }

private:
    std::uint64_t state_;
};

constexpr unsigned all_days = 0x7F;  // bit 0 = Monday … bit 6 = Sunday
constexpr unsigned mon_fri = 0x1F;
constexpr unsigned mon_sat = 0x3F;

struct daypart_spec {
    const char* code;
    int from_min;  // local minutes after midnight of the day it starts on
    int to_min;    // may exceed 1440: the daypart crosses midnight
    double weight;
    unsigned weekdays;
};

struct kind_spec {
    const char* kind;
    int duration_s;  // the one duration of this kind's messages without separation rules
    int lead_time_hours;
    int freeze_hours;
    std::vector<daypart_spec> dayparts;
};

// Dayparts do not overlap within a kind, so every break belongs to exactly one.
const std::vector<kind_spec>& kinds() {
    static const std::vector<kind_spec> k = {
        {"tv",
         30,
         48,
         48,
         {{"sang", 6 * 60, 9 * 60, 1.5, all_days},
          {"trua", 11 * 60, 13 * 60, 1.2, mon_fri},
          {"toi", 19 * 60, 22 * 60, 3.0, all_days},
          {"khuya", 22 * 60, 24 * 60 + 30, 1.0, all_days}}},  // 22:00–00:30
        {"radio",
         20,
         24,
         24,
         {{"sang", 5 * 60, 8 * 60, 2.5, all_days},
          {"trua", 11 * 60, 13 * 60, 1.2, all_days},
          {"chieu", 16 * 60 + 30, 18 * 60 + 30, 2.0, mon_fri},
          {"dem", 23 * 60, 27 * 60, 0.8, all_days}}},  // 23:00–03:00: through the DST hour in Berlin
        {"loudspeaker",
         60,
         12,
         12,
         {{"sang", 5 * 60 + 30, 6 * 60 + 30, 2.0, mon_sat}, {"chieu", 17 * 60, 18 * 60, 2.0, mon_sat}}},
        {"online",
         15,
         0,
         0,
         {{"sang", 7 * 60, 9 * 60, 1.0, all_days}, {"toi", 20 * 60, 23 * 60, 2.0, all_days}}},
        {"social",
         15,
         0,
         0,
         {{"trua", 11 * 60, 13 * 60, 1.0, all_days}, {"toi", 19 * 60, 23 * 60, 2.0, all_days}}},
    };
    return k;
}

const kind_spec& kind_of(std::string_view name) {
    for (const kind_spec& k : kinds()) {
        if (name == k.kind) return k;
    }
    throw std::logic_error("unknown kind");
}

// The kind of the i-th outlet of a region: a mix in the first twelve, then ward loudspeakers
// with a radio now and then.
const char* kind_at(int i) {
    static constexpr std::array<const char*, 12> head = {"tv", "radio", "loudspeaker", "online",
                                                         "tv", "radio", "social",      "radio",
                                                         "tv", "radio", "online",      "social"};
    if (i < static_cast<int>(head.size())) return head[static_cast<std::size_t>(i)];
    return i % 7 == 0 ? "radio" : "loudspeaker";
}

const std::vector<std::string>& departments() {
    static const std::vector<std::string> d = {"giao-duc",   "y-te",      "cong-an", "lao-dong",
                                               "van-hoa",    "tu-phap",   "doan-tn", "phu-nu",
                                               "bien-phong", "thong-tin", "xa-hoi",  "mat-tran"};
    return d;
}

constexpr int region_size = 40;

unsigned weekday_bit(day d) {
    return 1U << (date::weekday{d}.iso_encoding() - 1);
}

struct outlet_plan {
    const kind_spec* kind = nullptr;
    std::vector<int> capacity_by_daypart;  // without separation rules: one capacity per daypart
};

// Every break of one outlet, in start order.
void add_breaks(instance& in, int outlet, const outlet_plan& op, const generator_options& o, rng& r,
                const std::map<day, double>& key_dates, const std::set<std::pair<day, int>>& blackouts) {
    const date::time_zone* zone = core::find_zone(in.outlets[static_cast<std::size_t>(outlet)].time_zone);
    if (zone == nullptr) throw std::runtime_error("time zone missing from the system tz database");
    const int per_hour = std::max(1, o.max_breaks_per_hour);
    std::vector<slot> made;
    for (day d = in.first_day - date::days{1}; d <= in.last_day; d += date::days{1}) {
        for (std::size_t dp = 0; dp < op.kind->dayparts.size(); ++dp) {
            const daypart_spec& spec = op.kind->dayparts[dp];
            if ((spec.weekdays & weekday_bit(d)) == 0) continue;
            for (int hour_start = (spec.from_min / 60) * 60; hour_start < spec.to_min; hour_start += 60) {
                for (int k = 0; k < per_hour; ++k) {
                    const int minute = hour_start + 5 + k * 60 / per_hour;
                    if (minute < spec.from_min || minute >= spec.to_min) continue;
                    const date::local_seconds local =
                        date::local_days{d.time_since_epoch()} + std::chrono::minutes(minute);
                    const day airs = day{date::floor<date::days>(local).time_since_epoch()};
                    if (airs < in.first_day || airs > in.last_day) continue;
                    const date::local_info info = zone->get_info(local);
                    if (info.result == date::local_info::nonexistent) continue;  // skipped by DST
                    slot s;
                    s.outlet = outlet;
                    s.local_start = local;
                    s.start = instant{local.time_since_epoch()} - info.first.offset;  // earlier if repeated
                    s.date = airs;
                    s.daypart = static_cast<int>(dp);
                    s.capacity_s = o.separation_rules ? 30 * r.between(2, 6)  // 60–180 s
                                                      : op.capacity_by_daypart[dp];
                    const auto kd = key_dates.find(airs);
                    s.date_weight = kd == key_dates.end() ? 1.0 : kd->second;
                    s.blacked_out =
                        blackouts.contains({airs, static_cast<int>(dp)}) || blackouts.contains({airs, -1});
                    made.push_back(s);
                }
            }
        }
    }
    std::sort(made.begin(), made.end(), [](const slot& a, const slot& b) { return a.start < b.start; });
    for (const slot& s : made) {
        if (!in.slots.empty() && in.slots.back().outlet == outlet && in.slots.back().start == s.start)
            continue;
        in.slots.push_back(s);
    }
}

}  // namespace

generator_options family(const std::string& name, std::uint64_t seed, bool separation_rules) {
    generator_options o;
    o.seed = seed;
    o.separation_rules = separation_rules;
    if (name == "small") {
        o.outlets = 8;
        o.lines = 48;
        o.days = 7;
        o.max_breaks_per_hour = 1;
    } else if (name == "city-week") {
        o.outlets = 40;
        o.lines = 380;
        o.days = 7;
    } else if (name == "city-month") {
        o.outlets = 40;
        o.lines = 500;
        o.days = 31;
    } else if (name == "province-year") {
        o.outlets = 100;
        o.lines = 5000;
        o.days = 365;
    } else if (name == "national-month") {
        o.outlets = 2500;
        o.lines = 30000;
        o.days = 30;
    } else {
        throw std::invalid_argument("unknown instance family '" + name +
                                    "' (small, city-week, city-month, province-year, national-month)");
    }
    return o;
}

instance generate(const generator_options& o) {
    // Mix the options into the seed so that families with the same seed differ.
    rng r(o.seed * 0x2545F4914F6CDD1DULL + static_cast<std::uint64_t>(o.outlets) * 1000003ULL +
          static_cast<std::uint64_t>(o.lines) * 7919ULL + static_cast<std::uint64_t>(o.days) +
          (o.separation_rules ? 17ULL : 0ULL));
    instance in;
    in.separate_departments = o.separation_rules;
    // Centred on the last Sunday of October 2024 (Berlin leaves summer time at 03:00 local).
    const day dst_change = date::sys_days{date::year{2024} / date::October / 27};
    in.first_day = dst_change - date::days{o.days / 2};
    in.last_day = in.first_day + date::days{std::max(1, o.days) - 1};
    in.now = instant{in.first_day.time_since_epoch()} + 30h;  // the second day, 06:00 UTC

    // Key dates: per month a ×3 day (like 30 July) and a ×2 day.
    std::map<day, double> key_dates;
    for (int m = 0; m * 30 < o.days; ++m) {
        const int span = std::min(30, o.days - m * 30);
        key_dates[in.first_day + date::days{m * 30 + r.between(0, span - 1)}] = 3.0;
        key_dates.emplace(in.first_day + date::days{m * 30 + r.between(0, span - 1)}, 2.0);
    }

    // Outlets, region by region.
    const int regions = std::max(1, (o.outlets + region_size - 1) / region_size);
    std::vector<outlet_plan> plans;
    std::vector<int> region_of;
    for (int i = 0; i < o.outlets; ++i) {
        const int region = i / region_size;
        const kind_spec& k = kind_of(kind_at(i % region_size));
        outlet_info info;
        info.slug = "r" + std::to_string(region) + "-" + k.kind + "-" + std::to_string(i);
        info.kind = k.kind;
        info.time_zone = o.with_dst && (i == 1 || i % 50 == 49) ? "Europe/Berlin" : "Asia/Ho_Chi_Minh";
        info.lead_time_hours = k.lead_time_hours;
        info.freeze_hours = k.freeze_hours;
        double top = 0;
        for (const daypart_spec& dp : k.dayparts) top = std::max(top, dp.weight);
        for (const daypart_spec& dp : k.dayparts)
            info.dayparts.push_back({dp.code, dp.weight, dp.weight == top});
        outlet_plan op;
        op.kind = &k;
        for (std::size_t dp = 0; dp < k.dayparts.size(); ++dp) {
            op.capacity_by_daypart.push_back(k.duration_s * r.between(1, 4));
        }
        in.outlets.push_back(info);
        plans.push_back(op);
        region_of.push_back(region);
    }
    for (int i = 0; i < o.outlets; ++i) {
        // Blackouts: some outlets lose a daypart on one date, a few a whole date.
        std::set<std::pair<day, int>> blackouts;
        if (r.percent(20)) {
            const int dp =
                r.between(0, static_cast<int>(plans[static_cast<std::size_t>(i)].kind->dayparts.size()) - 1);
            blackouts.insert({in.first_day + date::days{r.between(0, o.days - 1)}, dp});
        }
        if (r.percent(5)) blackouts.insert({in.first_day + date::days{r.between(0, o.days - 1)}, -1});
        add_breaks(in, i, plans[static_cast<std::size_t>(i)], o, r, key_dates, blackouts);
    }

    // Outlets by region and kind, for eligibility.
    std::vector<std::map<std::string, std::vector<int>>> by_kind(static_cast<std::size_t>(regions));
    for (int i = 0; i < o.outlets; ++i) {
        by_kind[static_cast<std::size_t>(region_of[static_cast<std::size_t>(i)])]
               [in.outlets[static_cast<std::size_t>(i)].kind]
                   .push_back(i);
    }

    static const std::vector<int> durations = {15, 20, 30, 45, 60};
    static const std::vector<int> gaps = {30, 60, 120, 240};
    static const std::vector<std::string> other_states = {"draft", "submitted", "rejected", "archived"};
    for (int i = 0; i < o.lines; ++i) {
        order_line l;
        char code[16];
        std::snprintf(code, sizeof code, "M%05d", i);
        l.message = code;
        l.department = r.pick(departments());
        l.approved = r.percent(90);
        l.state = l.approved ? "approved" : r.pick(other_states);
        l.priority = r.between(1, 10);
        const int region = r.between(0, regions - 1);
        const auto& region_kinds = by_kind[static_cast<std::size_t>(region)];
        std::vector<std::string> kinds_here;
        for (const auto& [k, v] : region_kinds) kinds_here.push_back(k);
        std::set<std::string> chosen;
        const int n_kinds = o.separation_rules ? r.between(1, 3) : 1;
        for (int k = 0; k < n_kinds; ++k) chosen.insert(r.pick(kinds_here));
        for (const std::string& k : chosen) {
            std::vector<int> v = region_kinds.at(k);
            // A message's outlet list: a few wards' loudspeakers rather than all of them.
            while (v.size() > 8) v.erase(v.begin() + static_cast<std::ptrdiff_t>(r.next() % v.size()));
            l.outlets.insert(l.outlets.end(), v.begin(), v.end());
        }
        if (r.percent(1)) l.outlets.clear();  // no eligible outlet
        std::sort(l.outlets.begin(), l.outlets.end());
        l.duration_s = o.separation_rules ? r.pick(durations) : kind_of(*chosen.begin()).duration_s;

        const int len = o.days <= 31 ? r.between(3, o.days) : r.between(14, 90);
        l.flight_first = in.first_day + date::days{r.between(-3, std::max(-3, o.days - len))};
        l.flight_last = l.flight_first + date::days{len - 1};
        const int style = r.between(0, 99);
        if (style < 50) {
            l.airings = std::min(100, r.between(std::max(2, len / 2), 2 * len));
        } else if (style < 75) {
            l.per_day = r.between(1, 3);
        } else if (style < 90) {
            l.per_week = r.between(2, 10);
        } else {
            l.airings = std::min(100, r.between(std::max(2, len / 2), 2 * len));
            l.per_day = r.between(1, 3);
        }
        if (r.percent(o.separation_rules ? 40 : 30)) l.max_per_outlet_per_day = r.between(1, 3);
        if (o.separation_rules && r.percent(50)) l.min_gap_minutes = r.pick(gaps);
        if (r.percent(30) && !l.outlets.empty()) {
            // Allowed dayparts: the prime one of its first outlet, sometimes with one more.
            const outlet_info& first = in.outlets[static_cast<std::size_t>(l.outlets.front())];
            for (const daypart_info& dp : first.dayparts) {
                if (dp.prime) l.dayparts.push_back(dp.code);
            }
            const std::string& extra = first
                                           .dayparts[static_cast<std::size_t>(
                                               r.between(0, static_cast<int>(first.dayparts.size()) - 1))]
                                           .code;
            if (std::find(l.dayparts.begin(), l.dayparts.end(), extra) == l.dayparts.end() && r.percent(50)) {
                l.dayparts.push_back(extra);
            }
        }
        in.lines.push_back(std::move(l));
    }

    if (o.with_existing && !in.slots.empty()) {
        // Outlet → its slots' index range (slots are sorted by outlet, start).
        std::vector<std::pair<int, int>> range(static_cast<std::size_t>(o.outlets), {0, 0});
        for (std::size_t s = in.slots.size(); s-- > 0;)
            range[static_cast<std::size_t>(in.slots[s].outlet)].first = static_cast<int>(s);
        for (std::size_t s = 0; s < in.slots.size(); ++s) {
            range[static_cast<std::size_t>(in.slots[s].outlet)].second = static_cast<int>(s) + 1;
        }
        std::vector<int> used(in.slots.size(), 0);
        std::set<std::pair<int, int>> line_in_slot;
        const int wanted = std::max(6, o.lines / 20);
        std::int64_t id = 1000;
        for (int attempt = 0; attempt < wanted * 10 && static_cast<int>(in.existing.size()) < wanted;
             ++attempt) {
            const int li = r.between(0, o.lines - 1);
            const order_line& l = in.lines[static_cast<std::size_t>(li)];
            if (l.outlets.empty()) continue;
            const int out = r.pick(l.outlets);
            const auto [lo, hi] = range[static_cast<std::size_t>(out)];
            if (hi <= lo) continue;
            // Half of them early in the plan (around "now"), the rest anywhere.
            const int span = hi - lo;
            const int si =
                lo + (r.percent(50) ? r.between(0, std::max(0, span / o.days * 3)) : r.between(0, span - 1));
            if (si >= hi) continue;
            const slot& s = in.slots[static_cast<std::size_t>(si)];
            if (s.date < l.flight_first || s.date > l.flight_last || s.blacked_out) continue;
            if (used[static_cast<std::size_t>(si)] + l.duration_s > s.capacity_s ||
                line_in_slot.contains({li, si})) {
                continue;
            }
            existing_placement e;
            e.id = id++;
            e.line = li;
            e.outlet = out;
            e.start = s.start;
            e.date = s.date;
            e.duration_s = l.duration_s;
            if (s.start < in.now) {
                const int p = r.between(0, 99);
                e.state = p < 55 ? "aired" : p < 85 ? "missed" : "published";
                e.made_good = e.state == "missed" && r.percent(20);
            } else {
                e.state = r.percent(30) ? "published" : "planned";
            }
            // A message not approved lost its approval at "now" at the latest: what was still ahead
            // then is withdrawn (as the store records it), what was due before stays due.
            e.withdrawn = !l.approved && (e.state == "planned" || e.state == "published") && s.start >= in.now;
            if (e.state != "missed") used[static_cast<std::size_t>(si)] += l.duration_s;
            line_in_slot.insert({li, si});
            in.existing.push_back(std::move(e));
        }
    }
    return in;
}

}  // namespace loa::testing
