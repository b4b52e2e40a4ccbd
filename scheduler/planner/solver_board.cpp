// The planner's working state: indexes over the inventory, the one feasibility check, frozen
// placements, make-good proposals, and the reasons for what was not placed.
#include "scheduler/planner/solver_board.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <numeric>

#include "core/time/iso8601.hpp"

namespace loa::scheduler::planner::solver {

namespace {

constexpr int unlimited = 1'000'000'000;

std::string plural(int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "a, b, c", "a, b, c, d and 3 more"
std::string name_list(const std::vector<std::string>& names, std::size_t shown = 4) {
    std::string out;
    const std::size_t n = std::min(names.size(), shown);
    for (std::size_t i = 0; i < n; ++i) out += (i > 0 ? ", " : "") + names[i];
    if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
    return out;
}

std::string hh_mm(date::local_seconds t) {
    const auto tod = t - date::floor<date::days>(t);
    const auto h = std::chrono::duration_cast<std::chrono::hours>(tod).count();
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(tod).count() % 60;
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d:%02d", static_cast<int>(h), static_cast<int>(m));
    return buf.data();
}

}  // namespace

std::string format_day(day d) {
    return core::iso_date(date::year_month_day{d});
}

board::board(const instance& in, bool make_goods) : in_(in) {
    days_ = std::max(0, static_cast<int>((in.last_day - in.first_day).count()) + 1);
    first_week_ = iso_week_key(in.first_day);
    weeks_ = days_ > 0 ? static_cast<int>(iso_week_key(in.last_day) - first_week_) + 1 : 0;
    week_of_day_.reserve(static_cast<std::size_t>(days_));
    for (int d = 0; d < days_; ++d) {
        week_of_day_.push_back(static_cast<int>(iso_week_key(in.first_day + date::days(d)) - first_week_));
    }
    const int n_outlets = static_cast<int>(in.outlets.size());
    const int n_slots = static_cast<int>(in.slots.size());
    const int n_lines = static_cast<int>(in.lines.size());

    for (const auto& l : in.lines) departments_.push_back(l.department);
    std::sort(departments_.begin(), departments_.end());
    departments_.erase(std::unique(departments_.begin(), departments_.end()), departments_.end());

    for (const auto& o : in.outlets) lead_limit_.push_back(in.now + std::chrono::hours(notice_hours(o)));

    // Slots by outlet, each outlet's by (date, start): a counting sort on the outlet, then a sort.
    outlet_begin_.assign(static_cast<std::size_t>(n_outlets) + 1, 0);
    for (const auto& s : in.slots) {
        if (s.outlet >= 0 && s.outlet < n_outlets) ++outlet_begin_[static_cast<std::size_t>(s.outlet) + 1];
    }
    std::partial_sum(outlet_begin_.begin(), outlet_begin_.end(), outlet_begin_.begin());
    by_date_.assign(static_cast<std::size_t>(outlet_begin_.back()), 0);
    {
        std::vector<int> fill(outlet_begin_.begin(), outlet_begin_.end() - 1);
        for (int s = 0; s < n_slots; ++s) {
            const int o = in.slots[static_cast<std::size_t>(s)].outlet;
            if (o >= 0 && o < n_outlets) by_date_[static_cast<std::size_t>(fill[static_cast<std::size_t>(o)]++)] = s;
        }
    }
    for (int o = 0; o < n_outlets; ++o) {
        std::sort(by_date_.begin() + outlet_begin_[static_cast<std::size_t>(o)],
                  by_date_.begin() + outlet_begin_[static_cast<std::size_t>(o) + 1], [&](int a, int b) {
                      const auto& x = in.slots[static_cast<std::size_t>(a)];
                      const auto& y = in.slots[static_cast<std::size_t>(b)];
                      if (x.date != y.date) return x.date < y.date;
                      if (x.start != y.start) return x.start < y.start;
                      return a < b;
                  });
    }
    by_date_day_.reserve(by_date_.size());
    for (const int s : by_date_) by_date_day_.push_back(day_of(s));

    // Cells: breaks of one outlet, date (in range), daypart and key-date weight, by start.
    cell_of_slot_.assign(static_cast<std::size_t>(n_slots), -1);
    outlet_cells_begin_.reserve(static_cast<std::size_t>(n_outlets) + 1);
    for (int o = 0; o < n_outlets; ++o) {
        outlet_cells_begin_.push_back(static_cast<int>(cells_.size()));
        const int b = outlet_begin_[static_cast<std::size_t>(o)];
        const int e = outlet_begin_[static_cast<std::size_t>(o) + 1];
        std::vector<int> group(by_date_.begin() + b, by_date_.begin() + e);
        group.erase(std::remove_if(group.begin(), group.end(),
                                   [&](int s) {
                                       const int d = day_of(s);
                                       const int dp = in.slots[static_cast<std::size_t>(s)].daypart;
                                       return d < 0 || d >= days_ || dp < 0 ||
                                              dp >= static_cast<int>(in.outlets[static_cast<std::size_t>(o)].dayparts.size());
                                   }),
                    group.end());
        std::stable_sort(group.begin(), group.end(), [&](int a, int c) {
            const auto& x = in.slots[static_cast<std::size_t>(a)];
            const auto& y = in.slots[static_cast<std::size_t>(c)];
            if (x.date != y.date) return x.date < y.date;
            if (x.daypart != y.daypart) return x.daypart < y.daypart;
            return x.date_weight < y.date_weight;
        });
        for (std::size_t i = 0; i < group.size(); ++i) {
            const auto& x = in.slots[static_cast<std::size_t>(group[i])];
            if (i == 0 || cells_.back().day != day_of(group[i]) || cells_.back().daypart != x.daypart ||
                cells_.back().date_weight != x.date_weight) {
                cells_.push_back(cell_info{o, day_of(group[i]), x.daypart, x.date_weight, {}});
            }
            cells_.back().slots.push_back(group[i]);
            cell_of_slot_[static_cast<std::size_t>(group[i])] = static_cast<int>(cells_.size()) - 1;
        }
    }
    outlet_cells_begin_.push_back(static_cast<int>(cells_.size()));

    // Lines.
    std::vector<std::string> messages;
    for (const auto& l : in.lines) messages.push_back(l.message);
    std::sort(messages.begin(), messages.end());
    messages.erase(std::unique(messages.begin(), messages.end()), messages.end());
    lines_.resize(static_cast<std::size_t>(n_lines));
    per_day_.resize(static_cast<std::size_t>(n_lines));
    per_week_.resize(static_cast<std::size_t>(n_lines));
    per_outlet_day_.resize(static_cast<std::size_t>(n_lines));
    times_.resize(static_cast<std::size_t>(n_lines));
    for (int l = 0; l < n_lines; ++l) {
        const auto& L = in.lines[static_cast<std::size_t>(l)];
        auto& li = lines_[static_cast<std::size_t>(l)];
        li.approved = L.approved;
        li.wanted = wanted_airings(L);
        if (li.approved) airings_wanted_ += static_cast<std::size_t>(std::max(0, li.wanted));
        li.lo = static_cast<int>((std::max(L.flight_first, in.first_day) - in.first_day).count());
        li.hi = static_cast<int>((std::min(L.flight_last, in.last_day) - in.first_day).count());
        li.message = static_cast<int>(std::lower_bound(messages.begin(), messages.end(), L.message) - messages.begin());
        li.department = static_cast<int>(std::lower_bound(departments_.begin(), departments_.end(), L.department) -
                                         departments_.begin());
        std::vector<int> os;
        for (const int o : L.outlets) {
            if (o >= 0 && o < n_outlets) os.push_back(o);
        }
        std::sort(os.begin(), os.end());
        os.erase(std::unique(os.begin(), os.end()), os.end());
        for (const int o : os) {
            line_outlet lo{o, {}};
            for (const auto& dp : in.outlets[static_cast<std::size_t>(o)].dayparts) {
                const bool ok = L.dayparts.empty() ||
                                std::find(L.dayparts.begin(), L.dayparts.end(), dp.code) != L.dayparts.end();
                lo.daypart_allowed.push_back(ok ? 1 : 0);
            }
            li.outlets.push_back(std::move(lo));
        }
        if (L.per_day > 0) per_day_[static_cast<std::size_t>(l)].assign(static_cast<std::size_t>(days_), 0);
        if (L.per_week > 0) per_week_[static_cast<std::size_t>(l)].assign(static_cast<std::size_t>(weeks_), 0);
    }

    rem_.reserve(in.slots.size());
    for (const auto& s : in.slots) rem_.push_back(s.capacity_s);
    in_break_.resize(in.slots.size());
    in_break_p_.resize(in.slots.size());
    total_.assign(static_cast<std::size_t>(n_lines), 0);

    // The breaks an approved line may reach: per outlet, those after its lead limit on the days of
    // the flights (within the dates planned) of the lines that may use it, each break once.
    std::vector<std::vector<std::pair<int, int>>> spans(static_cast<std::size_t>(n_outlets));
    for (const auto& li : lines_) {
        if (!li.approved || li.lo > li.hi) continue;
        for (const auto& lo : li.outlets) spans[static_cast<std::size_t>(lo.outlet)].emplace_back(li.lo, li.hi);
    }
    for (int o = 0; o < n_outlets; ++o) {
        auto& v = spans[static_cast<std::size_t>(o)];
        std::sort(v.begin(), v.end());
        for (std::size_t i = 0; i < v.size();) {
            int lo = v[i].first;
            int hi = v[i].second;
            for (++i; i < v.size() && v[i].first <= hi + 1; ++i) hi = std::max(hi, v[i].second);
            const auto [first, last] = outlet_days_after_lead(o, lo, hi);
            breaks_in_play_ += static_cast<std::size_t>(last - first);
        }
    }

    seed_existing(make_goods);
}

int board::week_index(int d) const {
    if (d >= 0 && d < days_) return week_of_day_[static_cast<std::size_t>(d)];
    return static_cast<int>(iso_week_key(in_.first_day + date::days(d)) - first_week_);
}

std::pair<int, int> board::outlet_cells(int o, int lo, int hi) const {
    const auto b = cells_.begin() + outlet_cells_begin_[static_cast<std::size_t>(o)];
    const auto e = cells_.begin() + outlet_cells_begin_[static_cast<std::size_t>(o) + 1];
    const auto first = std::lower_bound(b, e, lo, [](const cell_info& c, int d) { return c.day < d; });
    const auto last = std::upper_bound(first, e, hi, [](int d, const cell_info& c) { return d < c.day; });
    return {static_cast<int>(first - cells_.begin()), static_cast<int>(last - cells_.begin())};
}

std::pair<const int*, const int*> board::outlet_days(int o, int lo, int hi) const {
    const auto b = by_date_day_.begin() + outlet_begin_[static_cast<std::size_t>(o)];
    const auto e = by_date_day_.begin() + outlet_begin_[static_cast<std::size_t>(o) + 1];
    const auto first = std::lower_bound(b, e, lo);
    const auto last = std::upper_bound(first, e, hi);
    const int* base = by_date_.data();
    return {base + (first - by_date_day_.begin()), base + (last - by_date_day_.begin())};
}

std::pair<const int*, const int*> board::outlet_days_after_lead(int o, int lo, int hi) const {
    auto [first, last] = outlet_days(o, lo, hi);
    const instant lead = lead_limit_[static_cast<std::size_t>(o)];
    first = std::partition_point(first, last, [&](int s) { return in_.slots[static_cast<std::size_t>(s)].start < lead; });
    return {first, last};
}

bool board::usable(int l, int s) const {
    const auto& li = lines_[static_cast<std::size_t>(l)];
    if (!li.approved) return false;
    const int o = in_.slots[static_cast<std::size_t>(s)].outlet;
    const auto it = std::lower_bound(li.outlets.begin(), li.outlets.end(), o,
                                     [](const line_outlet& x, int v) { return x.outlet < v; });
    if (it == li.outlets.end() || it->outlet != o) return false;
    return usable_on(l, *it, s);
}

block board::check(int l, int s, bool ignore_room) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    const auto& S = in_.slots[static_cast<std::size_t>(s)];
    const auto& occ = in_break_[static_cast<std::size_t>(s)];
    const int msg = lines_[static_cast<std::size_t>(l)].message;
    for (const int x : occ) {
        if (x == l || lines_[static_cast<std::size_t>(x)].message == msg) return block::used;
    }
    if (total_[static_cast<std::size_t>(l)] >= lines_[static_cast<std::size_t>(l)].wanted) return block::total;
    const int d = day_of(s);
    if (L.per_day > 0 && per_day_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)] >= L.per_day) {
        return block::day;
    }
    if (L.per_week > 0 &&
        per_week_[static_cast<std::size_t>(l)][static_cast<std::size_t>(week_index(d))] >= L.per_week) {
        return block::week;
    }
    if (L.max_per_outlet_per_day > 0 && outlet_day_room(l, S.outlet, d) <= 0) return block::outlet_day;
    if (!ignore_room && rem_[static_cast<std::size_t>(s)] < L.duration_s) return block::room;
    if (L.min_gap_minutes > 0) {
        const std::int64_t t = S.start.time_since_epoch().count();
        const std::int64_t g = static_cast<std::int64_t>(L.min_gap_minutes) * 60;
        const auto& ts = times_[static_cast<std::size_t>(l)];
        const auto it = ts.lower_bound({S.outlet, t - g + 1});
        if (it != ts.end() && it->first == S.outlet && it->second < t + g) return block::gap;
    }
    if (in_.separate_departments && !L.department.empty()) {
        const int dep = lines_[static_cast<std::size_t>(l)].department;
        for (const int x : occ) {
            if (lines_[static_cast<std::size_t>(x)].department == dep) return block::department;
        }
    }
    return block::none;
}

const int* board::past_closed(const int* p, const int* end, block why) const {
    const int d = day_of(*p);
    ++p;
    if (why == block::day || why == block::outlet_day) {
        while (p != end && day_of(*p) == d) ++p;
    } else if (why == block::week) {
        const int w = week_index(d);
        while (p != end && week_index(day_of(*p)) == w) ++p;
    }
    return p;
}

int board::shortfall(int l) const {
    const auto i = static_cast<std::size_t>(l);
    return std::max(0, lines_[i].wanted - total_[i]);
}

int board::day_room(int l, int d) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    if (L.per_day <= 0) return unlimited;
    return L.per_day - per_day_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)];
}

int board::week_room(int l, int d) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    if (L.per_week <= 0) return unlimited;
    return L.per_week - per_week_[static_cast<std::size_t>(l)][static_cast<std::size_t>(week_index(d))];
}

int board::outlet_day_room(int l, int o, int d) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    if (L.max_per_outlet_per_day <= 0) return unlimited;
    const auto& m = per_outlet_day_[static_cast<std::size_t>(l)];
    const auto it = m.find((static_cast<std::int64_t>(o) << 32) | static_cast<std::uint32_t>(d));
    return L.max_per_outlet_per_day - (it == m.end() ? 0 : it->second);
}

void board::hold(int l, int s, int duration_s) {
    if (s < 0) return;
    rem_[static_cast<std::size_t>(s)] -= duration_s;
    in_break_[static_cast<std::size_t>(s)].push_back(l);
    in_break_p_[static_cast<std::size_t>(s)].push_back(static_cast<int>(placements_.size()));
}

void board::count(int l, int o, day date, instant start, int s, int duration_s) {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    ++total_[static_cast<std::size_t>(l)];
    hold(l, s, duration_s);
    const int d = static_cast<int>((date - in_.first_day).count());
    if (L.per_day > 0 && d >= 0 && d < days_) ++per_day_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)];
    if (L.per_week > 0) {
        const long long w = iso_week_key(date) - first_week_;
        if (w >= 0 && w < weeks_) ++per_week_[static_cast<std::size_t>(l)][static_cast<std::size_t>(w)];
    }
    if (L.max_per_outlet_per_day > 0 && d >= 0 && d < days_) {
        ++per_outlet_day_[static_cast<std::size_t>(l)][(static_cast<std::int64_t>(o) << 32) | static_cast<std::uint32_t>(d)];
    }
    if (L.min_gap_minutes > 0) times_[static_cast<std::size_t>(l)].emplace(o, start.time_since_epoch().count());
}

block board::check_fresh(int l, int s) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    const auto& li = lines_[static_cast<std::size_t>(l)];
    const bool separate = in_.separate_departments && !L.department.empty();
    for (const int x : in_break_[static_cast<std::size_t>(s)]) {
        const auto& lx = lines_[static_cast<std::size_t>(x)];
        if (x == l || lx.message == li.message) return block::used;
    }
    if (li.wanted <= 0) return block::total;
    if (rem_[static_cast<std::size_t>(s)] < L.duration_s) return block::room;
    if (separate) {
        for (const int x : in_break_[static_cast<std::size_t>(s)]) {
            if (lines_[static_cast<std::size_t>(x)].department == li.department) return block::department;
        }
    }
    return block::none;
}

std::vector<std::pair<int, int>> board::stored_breaks() const {
    std::vector<std::pair<int, int>> out;
    out.reserve(replan_.size());
    for (const auto& [k, id] : replan_) out.emplace_back(static_cast<int>(k >> 32), static_cast<int>(static_cast<std::uint32_t>(k)));
    return out;
}

bool board::movable(int p) const {
    const auto& x = placements_[static_cast<std::size_t>(p)];
    return !x.frozen && !x.make_good_of && x.slot >= 0;
}

block board::check_move(int p, int to, bool ignore_room) const {
    const auto& x = placements_[static_cast<std::size_t>(p)];
    const int l = x.line;
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    const auto& S = in_.slots[static_cast<std::size_t>(to)];
    const auto& occ = in_break_[static_cast<std::size_t>(to)];
    const int msg = lines_[static_cast<std::size_t>(l)].message;
    for (const int y : occ) {
        if (y == l || lines_[static_cast<std::size_t>(y)].message == msg) return block::used;
    }
    if (!ignore_room && rem_[static_cast<std::size_t>(to)] < L.duration_s) return block::room;
    if (L.min_gap_minutes > 0) {
        const std::int64_t t = S.start.time_since_epoch().count();
        const std::int64_t g = static_cast<std::int64_t>(L.min_gap_minutes) * 60;
        const std::int64_t own = x.start.time_since_epoch().count();
        const auto& ts = times_[static_cast<std::size_t>(l)];
        for (auto it = ts.lower_bound({S.outlet, t - g + 1}); it != ts.end() && it->first == S.outlet && it->second < t + g;
             ++it) {
            if (!(x.outlet == S.outlet && it->second == own)) return block::gap;
        }
    }
    if (in_.separate_departments && !L.department.empty()) {
        const int dep = lines_[static_cast<std::size_t>(l)].department;
        for (const int y : occ) {
            if (lines_[static_cast<std::size_t>(y)].department == dep) return block::department;
        }
    }
    return block::none;
}

void board::move(int p, int to) {
    auto& x = placements_[static_cast<std::size_t>(p)];
    const auto from = static_cast<std::size_t>(x.slot);
    auto& lines_from = in_break_[from];
    auto& ps_from = in_break_p_[from];
    for (std::size_t i = 0; i < ps_from.size(); ++i) {
        if (ps_from[i] == p) {
            ps_from.erase(ps_from.begin() + static_cast<std::ptrdiff_t>(i));
            lines_from.erase(lines_from.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    }
    rem_[from] += x.duration_s;
    const auto& S = in_.slots[static_cast<std::size_t>(to)];
    if (in_.lines[static_cast<std::size_t>(x.line)].min_gap_minutes > 0) {
        auto& ts = times_[static_cast<std::size_t>(x.line)];
        ts.erase({x.outlet, x.start.time_since_epoch().count()});
        ts.emplace(S.outlet, S.start.time_since_epoch().count());
    }
    rem_[static_cast<std::size_t>(to)] -= x.duration_s;
    in_break_[static_cast<std::size_t>(to)].push_back(x.line);
    in_break_p_[static_cast<std::size_t>(to)].push_back(p);
    x.slot = to;
    x.start = S.start;
}

void board::remove(int p) {
    auto& x = placements_[static_cast<std::size_t>(p)];
    const int l = x.line;
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    const auto s = static_cast<std::size_t>(x.slot);
    auto& lines_in = in_break_[s];
    auto& ps_in = in_break_p_[s];
    for (std::size_t i = 0; i < ps_in.size(); ++i) {
        if (ps_in[i] == p) {
            ps_in.erase(ps_in.begin() + static_cast<std::ptrdiff_t>(i));
            lines_in.erase(lines_in.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    }
    rem_[s] += x.duration_s;
    --total_[static_cast<std::size_t>(l)];
    const int d = day_of(x.slot);
    if (L.per_day > 0) --per_day_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)];
    if (L.per_week > 0) --per_week_[static_cast<std::size_t>(l)][static_cast<std::size_t>(week_index(d))];
    if (L.max_per_outlet_per_day > 0) {
        --per_outlet_day_[static_cast<std::size_t>(l)][(static_cast<std::int64_t>(x.outlet) << 32) | static_cast<std::uint32_t>(d)];
    }
    if (L.min_gap_minutes > 0) times_[static_cast<std::size_t>(l)].erase({x.outlet, x.start.time_since_epoch().count()});
    if (removed_.size() < placements_.size()) removed_.resize(placements_.size(), 0);
    removed_[static_cast<std::size_t>(p)] = 1;
    x.slot = -1;
}

int board::find_slot(int o, instant start) const {
    // instance::slots is sorted by (outlet, start).
    const auto it = std::lower_bound(in_.slots.begin(), in_.slots.end(), std::make_pair(o, start),
                                     [](const slot& s, const std::pair<int, instant>& v) {
                                         return s.outlet != v.first ? s.outlet < v.first : s.start < v.second;
                                     });
    if (it == in_.slots.end() || it->outlet != o || it->start != start) return -1;
    return static_cast<int>(it - in_.slots.begin());
}

int board::place(int l, int s, std::optional<std::int64_t> make_good_of) {
    const auto& S = in_.slots[static_cast<std::size_t>(s)];
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    placement p;
    p.line = l;
    p.outlet = S.outlet;
    p.slot = s;
    p.start = S.start;
    p.duration_s = L.duration_s;
    p.make_good_of = make_good_of;
    count(l, S.outlet, S.date, S.start, s, L.duration_s);
    if (make_good_of) fixed_value_ += value_micro(in_, L, S);
    // Room for every airing wanted at once (a copied board starts with none to spare), up to four
    // per break: growing by doubling copied the array a dozen times, each time into memory never
    // touched before.
    if (placements_.size() == placements_.capacity()) {
        placements_.reserve(std::max(2 * placements_.size(),
                                     placements_.size() + std::min(airings_wanted_, 4 * in_.slots.size())));
    }
    placements_.push_back(p);
    return static_cast<int>(placements_.size()) - 1;
}

void board::seed_existing(bool make_goods) {
    std::vector<int> missed;
    const int n_lines = static_cast<int>(in_.lines.size());
    const int n_outlets = static_cast<int>(in_.outlets.size());
    for (int i = 0; i < static_cast<int>(in_.existing.size()); ++i) {
        const auto& e = in_.existing[static_cast<std::size_t>(i)];
        if (e.line < 0 || e.line >= n_lines || e.outlet < 0 || e.outlet >= n_outlets) continue;
        const int s = find_slot(e.outlet, e.start);
        if (e.state == "missed") {
            // Kept in the plan as it is (instance.hpp: missed placements are frozen), but it did not
            // air: it holds no capacity and counts toward no limit or rule.
            placement p;
            p.line = e.line;
            p.outlet = e.outlet;
            p.slot = s;
            p.start = e.start;
            p.duration_s = e.duration_s;
            p.frozen = true;
            p.existing_id = e.id;
            // Not an airing: no part of the objective (counts_as_airing).
            if (s >= 0) uncounted_value_ += value_micro(in_, in_.lines[static_cast<std::size_t>(e.line)], in_.slots[static_cast<std::size_t>(s)]);
            placements_.push_back(p);
            if (!e.made_good) missed.push_back(i);
            continue;
        }
        if (is_frozen(in_, e)) {
            placement p;
            p.line = e.line;
            p.outlet = e.outlet;
            p.slot = s;
            p.start = e.start;
            p.duration_s = e.duration_s;
            p.frozen = true;
            p.existing_id = e.id;
            // A withdrawn one will not air: it holds its break, but counts toward none of its
            // line's totals, limits or gaps (as the validator judges it).
            const std::int64_t v =
                s >= 0 ? value_micro(in_, in_.lines[static_cast<std::size_t>(e.line)], in_.slots[static_cast<std::size_t>(s)]) : 0;
            if (is_withdrawn(e)) {
                hold(e.line, s, e.duration_s);
                uncounted_value_ += v;  // nor in the objective
            } else {
                count(e.line, e.outlet, e.date, e.start, s, e.duration_s);
                fixed_value_ += v;
            }
            placements_.push_back(p);
        } else if (s >= 0 && e.duration_s == in_.lines[static_cast<std::size_t>(e.line)].duration_s &&
                   !is_withdrawn(e)) {
            // (A message whose length changed since airs anew: its stored row cannot be kept as it was.
            // A withdrawn one, ahead of a plan as of a time before its message was approved again,
            // is not taken up again either: its outlet was told it is cancelled, so it is dropped.)
            replan_.emplace(key(e.line, s), e.id);
        }
    }
    if (make_goods) propose_make_goods(missed);
}

void board::propose_make_goods(const std::vector<int>& missed_in) {
    std::vector<int> missed = missed_in;
    std::sort(missed.begin(), missed.end(), [&](int a, int b) {
        const auto& x = in_.existing[static_cast<std::size_t>(a)];
        const auto& y = in_.existing[static_cast<std::size_t>(b)];
        if (x.start != y.start) return x.start < y.start;
        if (x.id != y.id) return x.id < y.id;
        return a < b;
    });
    // The stored airings of each line that a re-plan starts from (replan_: still planned, in a break,
    // its length unchanged), by line. A make-good goes beside them, under the line's rules with them
    // counted: were it to take the break of one of them, or the last airing a day or a week allows,
    // the re-plan would cancel that one, and the missed airing would not be made up at all.
    // (A make-good stored by an earlier run and not frozen is not one of them: it is proposed again.)
    std::set<std::int64_t> stored_make_goods;
    for (const auto& e : in_.existing) {
        if (e.make_good_of) stored_make_goods.insert(e.id);
    }
    std::vector<std::vector<int>> planned(in_.lines.size());
    for (const auto& [k, id] : replan_) {
        if (!stored_make_goods.contains(id)) {
            planned[static_cast<std::size_t>(k >> 32)].push_back(static_cast<int>(k & 0xffffffff));
        }
    }
    // The next suitable break for the make-good of missed placement `e` on the board as it is: on its
    // outlet after it and after the lead time (in a rehearsal whose as-of is before the miss, its own
    // break is still ahead: not a make-good), its own daypart preferred; -1 when none, or when its
    // message is not approved or the outlet no longer carries it.
    const auto next_break = [&](const existing_placement& e) {
        const auto& li = lines_[static_cast<std::size_t>(e.line)];
        const auto it = std::lower_bound(li.outlets.begin(), li.outlets.end(), e.outlet,
                                         [](const line_outlet& x, int v) { return x.outlet < v; });
        if (!li.approved || it == li.outlets.end() || it->outlet != e.outlet) return -1;
        const auto& dayparts = in_.outlets[static_cast<std::size_t>(e.outlet)].dayparts;
        const int ms = find_slot(e.outlet, e.start);
        const std::string code =
            ms >= 0 ? dayparts[static_cast<std::size_t>(in_.slots[static_cast<std::size_t>(ms)].daypart)].code
                    : std::string{};
        const instant lead = lead_limit_[static_cast<std::size_t>(e.outlet)];
        int best_same = -1;
        int best_any = -1;
        const auto [b, en] = outlet_days(e.outlet, li.lo, li.hi);
        for (const int* p = b; p != en; ++p) {
            const int s = *p;
            const auto& S = in_.slots[static_cast<std::size_t>(s)];
            if (S.start <= e.start || S.start < lead || !usable_on(e.line, *it, s) || check(e.line, s) != block::none) {
                continue;
            }
            auto earlier = [&](int cur) { return cur < 0 || S.start < in_.slots[static_cast<std::size_t>(cur)].start; };
            if (earlier(best_any)) best_any = s;
            if (!code.empty() && dayparts[static_cast<std::size_t>(S.daypart)].code == code && earlier(best_same)) {
                best_same = s;
            }
        }
        return best_same >= 0 ? best_same : best_any;
    };
    // Takes off the board what was placed after `mark` for a while (stored planned airings, while a
    // break is chosen beside them): placed last, so the board drops them whole, as it was before.
    const auto drop_from = [&](std::size_t mark, std::size_t removed_mark) {
        for (std::size_t p = placements_.size(); p-- > mark;) remove(static_cast<int>(p));
        placements_.resize(mark);
        removed_.resize(removed_mark);
    };

    // First, a break that moves nothing: beside every stored planned airing on the missed airings'
    // outlets (and their messages' own anywhere), with the make-goods chosen before it. An outlet
    // expects a make-good in room it has, not in place of another spot it was sent.
    std::vector<int> free_break(in_.existing.size(), -1);
    {
        std::vector<char> outlet_missed(in_.outlets.size(), 0);
        std::vector<char> line_missed(in_.lines.size(), 0);
        for (const int i : missed) {
            const auto& e = in_.existing[static_cast<std::size_t>(i)];
            outlet_missed[static_cast<std::size_t>(e.outlet)] = 1;
            line_missed[static_cast<std::size_t>(e.line)] = 1;
        }
        const std::size_t mark = placements_.size();
        const std::size_t removed_mark = removed_.size();
        for (const auto& [k, id] : replan_) {
            const int l = static_cast<int>(k >> 32);
            const int s = static_cast<int>(k & 0xffffffff);
            const bool near = outlet_missed[static_cast<std::size_t>(in_.slots[static_cast<std::size_t>(s)].outlet)] != 0;
            if (stored_make_goods.contains(id) || (!near && line_missed[static_cast<std::size_t>(l)] == 0)) continue;
            if (usable(l, s) && check(l, s) == block::none) place(l, s);
        }
        for (const int i : missed) {
            const auto& e = in_.existing[static_cast<std::size_t>(i)];
            const int s = next_break(e);
            if (s < 0) continue;
            free_break[static_cast<std::size_t>(i)] = s;
            place(e.line, s);  // for the make-goods after it
        }
        drop_from(mark, removed_mark);
        // (A break that took it with more on the board takes it with less.)
        for (const int i : missed) {
            const int s = free_break[static_cast<std::size_t>(i)];
            if (s >= 0) place(in_.existing[static_cast<std::size_t>(i)].line, s, in_.existing[static_cast<std::size_t>(i)].id);
        }
    }

    // Then the others: beside the message's own planned airings only (the re-plan moves the others).
    for (const int i : missed) {
        if (free_break[static_cast<std::size_t>(i)] >= 0) continue;
        const auto& e = in_.existing[static_cast<std::size_t>(i)];
        const auto& L = in_.lines[static_cast<std::size_t>(e.line)];
        const auto& li = lines_[static_cast<std::size_t>(e.line)];
        const auto& slug = in_.outlets[static_cast<std::size_t>(e.outlet)].slug;
        if (!li.approved) {
            make_good_failures_.push_back(
                {i, "message " + L.message + " is not approved (it is " + L.state + ")", "not_approved"});
            continue;
        }
        if (total_[static_cast<std::size_t>(e.line)] >= li.wanted) {
            make_good_failures_.push_back(
                {i, "its " + plural(li.wanted, "wanted airing is", "wanted airings are") + " already placed", "all_placed"});
            continue;
        }
        const auto it = std::lower_bound(li.outlets.begin(), li.outlets.end(), e.outlet,
                                         [](const line_outlet& x, int v) { return x.outlet < v; });
        if (it == li.outlets.end() || it->outlet != e.outlet) {
            make_good_failures_.push_back({i, slug + " is no longer an eligible outlet for it", "not_eligible"});
            continue;
        }
        // The line's planned airings on the board while the break is chosen, then taken off again
        // (the re-plan decides where they go).
        const std::size_t mark = placements_.size();
        const std::size_t removed_mark = removed_.size();
        int after = 0;  // of them, on the missed airing's outlet after it
        for (const int s : planned[static_cast<std::size_t>(e.line)]) {
            if (!usable(e.line, s) || check(e.line, s) != block::none) continue;  // the re-plan drops it
            place(e.line, s);
            const auto& S = in_.slots[static_cast<std::size_t>(s)];
            if (S.outlet == e.outlet && S.start > e.start) ++after;
        }
        const bool all_planned = total_[static_cast<std::size_t>(e.line)] >= li.wanted;
        const int chosen = next_break(e);
        drop_from(mark, removed_mark);
        const std::string from_to = format_day(std::max(e.date, in_.first_day + date::days(li.lo))) + " to " +
                                    format_day(in_.first_day + date::days(li.hi));
        if (chosen >= 0) {
            place(e.line, chosen, e.id);
        } else if (next_break(e) < 0) {
            make_good_failures_.push_back(
                {i, "no break on " + slug + " from " + from_to +
                        " that it may use (its dayparts, outside blackouts and the lead time) has room for it under its rules",
                 ""});
        } else if (all_planned) {
            // Only its own airings closed the breaks, and with them it has all it wants.
            make_good_failures_.push_back(
                {i, "its " + plural(li.wanted, "wanted airing is", "wanted airings are") + " already placed or planned",
                 "all_placed"});
        } else {
            make_good_failures_.push_back(
                {i, "every break on " + slug + " from " + from_to +
                        " that it may use holds one of its own airings already planned (" +
                        plural(after, "airing", "airings") +
                        " after the miss there) or is closed by its limits with them counted",
                 "own_airings"});
        }
    }
}

std::int64_t board::objective() const {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < placements_.size(); ++i) {
        const auto& x = placements_[i];
        if (x.slot < 0 || (i < removed_.size() && removed_[i] != 0)) continue;
        sum += value_micro(in_, in_.lines[static_cast<std::size_t>(x.line)], in_.slots[static_cast<std::size_t>(x.slot)]);
    }
    return sum - uncounted_value_;  // the kept placements that are no airings (never removed)
}

plan board::finish() const {
    // The placements in the order of their keys (outlet, start, line, frozen first, stored id;
    // then the order they were made in, as a stable sort would leave them), sorted as small keys
    // and gathered once: a province's year has hundreds of thousands.
    struct sort_key {
        int outlet;
        int line;
        std::int64_t start;
        std::int64_t existing;  // the stored id it keeps (0 when none: has_existing)
        std::uint32_t index;
        bool thawed;  // not frozen: after the frozen ones
        bool has_existing;
    };
    std::vector<sort_key> keys;
    keys.reserve(placements_.size());
    std::set<std::int64_t> claimed;
    std::int64_t objective = 0;
    for (std::size_t i = 0; i < placements_.size(); ++i) {
        if (i < removed_.size() && removed_[i] != 0) continue;
        const placement& x = placements_[i];
        std::optional<std::int64_t> id = x.existing_id;
        // A make-good is stored as a new placement naming the missed one (store_plan keeps a stored
        // placement as it is: taking over a plain airing's id there would lose the link, and the
        // next run would propose the make-good again).
        if (!x.frozen && x.slot >= 0 && !x.make_good_of) {
            const auto it = replan_.find(key(x.line, x.slot));
            if (it != replan_.end() && claimed.insert(it->second).second) id = it->second;
        }
        keys.push_back({x.outlet, x.line, x.start.time_since_epoch().count(), id.value_or(0),
                        static_cast<std::uint32_t>(i), !x.frozen, id.has_value()});
        if (x.slot >= 0) {
            objective += value_micro(in_, in_.lines[static_cast<std::size_t>(x.line)], in_.slots[static_cast<std::size_t>(x.slot)]);
        }
    }
    std::sort(keys.begin(), keys.end(), [](const sort_key& a, const sort_key& b) {
        if (a.outlet != b.outlet) return a.outlet < b.outlet;
        if (a.start != b.start) return a.start < b.start;
        if (a.line != b.line) return a.line < b.line;
        if (a.thawed != b.thawed) return b.thawed;
        if (a.existing != b.existing) return a.existing < b.existing;
        return a.index < b.index;
    });
    plan p;
    p.placements.reserve(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (k + 8 < keys.size()) __builtin_prefetch(&placements_[keys[k + 8].index]);
        p.placements.push_back(placements_[keys[k].index]);
        auto& id = p.placements.back().existing_id;
        id = keys[k].has_existing ? std::optional<std::int64_t>(keys[k].existing) : std::nullopt;
    }
    p.objective_micro = objective - uncounted_value_;  // as objective() counts
    p.bound_micro = p.objective_micro;
    p.unplaced = explain();
    return p;
}

std::vector<unplaced_airings> board::explain() const {
    std::vector<unplaced_airings> out;
    std::vector<std::vector<const make_good_failure*>> failures(in_.lines.size());
    for (const auto& f : make_good_failures_) {
        failures[static_cast<std::size_t>(in_.existing[static_cast<std::size_t>(f.existing)].line)].push_back(&f);
    }
    for (int l = 0; l < static_cast<int>(in_.lines.size()); ++l) {
        int left = shortfall(l);
        for (const auto* f : failures[static_cast<std::size_t>(l)]) {
            const auto& e = in_.existing[static_cast<std::size_t>(f->existing)];
            const auto& o = in_.outlets[static_cast<std::size_t>(e.outlet)];
            unplaced_airings u;
            u.line = l;
            u.outlet = e.outlet;
            u.airings = std::min(1, left);
            left -= u.airings;
            if (u.airings == 0) continue;  // the line has all it wants even without this make-good
            u.code = reason_code::make_good_no_slot;
            u.date = e.date;
            u.make_good_of = e.id;
            u.detail = f->detail;
            const int ms = find_slot(e.outlet, e.start);
            std::string where = o.slug + " " + format_day(e.date);
            if (ms >= 0) {
                u.daypart = in_.slots[static_cast<std::size_t>(ms)].daypart;
                const auto& dp = o.dayparts[static_cast<std::size_t>(u.daypart)];
                where = (dp.prime ? "prime time (" + dp.code + ")" : "daypart " + dp.code) + " on " + where;
            } else {
                where += " at " + hh_mm(date::local_seconds{e.start.time_since_epoch()}) + " UTC";
            }
            u.reason = "the missed airing (placement " + std::to_string(e.id) + ") in " + where +
                       " has no make-good: " + f->why;
            out.push_back(std::move(u));
        }
        if (left > 0) out.push_back(explain_line(l, left));
    }
    std::stable_sort(out.begin(), out.end(), [](const unplaced_airings& a, const unplaced_airings& b) {
        return a.line != b.line ? a.line < b.line : a.outlet < b.outlet;
    });
    return out;
}

unplaced_airings board::explain_line(int l, int n) const {
    const auto& L = in_.lines[static_cast<std::size_t>(l)];
    const auto& li = lines_[static_cast<std::size_t>(l)];
    unplaced_airings u;
    u.line = l;
    u.airings = n;
    const std::string head = plural(n, "airing", "airings") + " not placed: ";
    auto dp_desc = [&](int o, int dp) {
        const auto& d = in_.outlets[static_cast<std::size_t>(o)].dayparts[static_cast<std::size_t>(dp)];
        return d.prime ? "prime time (" + d.code + ")" : "daypart " + d.code;
    };
    auto at_cell = [&](int s) {
        const auto& S = in_.slots[static_cast<std::size_t>(s)];
        u.outlet = S.outlet;
        u.date = S.date;
        u.daypart = S.daypart;
    };
    auto slug = [&](int o) { return in_.outlets[static_cast<std::size_t>(o)].slug; };

    if (!L.approved) {
        u.code = reason_code::not_approved;
        u.reason = head + "message " + L.message + " is not approved (it is " + L.state + ")";
        return u;
    }
    if (li.outlets.empty()) {
        u.code = reason_code::no_eligible_outlet;
        u.reason = head + "no outlet is eligible for message " + L.message + " (none of its channels or listed outlets)";
        return u;
    }
    if (li.outlets.size() == 1) u.outlet = li.outlets.front().outlet;
    const std::string span = format_day(in_.first_day + date::days(li.lo)) + " to " +
                             format_day(in_.first_day + date::days(li.hi));
    std::vector<std::string> slugs;
    for (const auto& lo : li.outlets) slugs.push_back(slug(lo.outlet));
    const std::string outlets = name_list(slugs);
    if (li.lo > li.hi) {
        u.code = reason_code::no_slot_in_flight;
        u.detail = "outside_dates";
        u.reason = head + "its flight " + format_day(L.flight_first) + " to " + format_day(L.flight_last) +
                   " is outside the dates planned (" + format_day(in_.first_day) + " to " + format_day(in_.last_day) + ")";
        return u;
    }

    // Narrow the breaks step by step, remembering one witness for the sentence.
    int n_daypart = 0;
    int n_fit = 0;
    int n_open = 0;
    int first_blackout = -1;
    // Per outlet (in the line's outlet order, each once), its latest break before the lead time.
    std::vector<std::pair<int, int>> last_early_of;
    bool any_past = false;  // of the breaks before the lead time, one is over already
    int longest = 0;
    std::vector<int> usable_slots;
    for (const auto& lo : li.outlets) {
        const auto [b, e] = outlet_days(lo.outlet, li.lo, li.hi);
        for (const int* p = b; p != e; ++p) {
            const int s = *p;
            const auto& S = in_.slots[static_cast<std::size_t>(s)];
            if (!lo.allows(S.daypart)) continue;
            ++n_daypart;
            longest = std::max(longest, S.capacity_s);
            if (S.capacity_s < L.duration_s) continue;
            ++n_fit;
            if (S.blacked_out) {
                if (first_blackout < 0 || S.start < in_.slots[static_cast<std::size_t>(first_blackout)].start) {
                    first_blackout = s;
                }
                continue;
            }
            ++n_open;
            if (S.start < lead_limit_[static_cast<std::size_t>(S.outlet)]) {
                if (last_early_of.empty() || last_early_of.back().first != S.outlet) last_early_of.emplace_back(S.outlet, s);
                if (S.start > in_.slots[static_cast<std::size_t>(last_early_of.back().second)].start) {
                    last_early_of.back().second = s;
                }
                if (S.start <= in_.now) any_past = true;
                continue;
            }
            usable_slots.push_back(s);
        }
    }
    // The latest of them all (the first outlet's on a tie, as the outlets come in order).
    int last_early = -1;
    for (const auto& [o, x] : last_early_of) {
        if (last_early < 0 || in_.slots[static_cast<std::size_t>(x)].start > in_.slots[static_cast<std::size_t>(last_early)].start) {
            last_early = x;
        }
    }
    std::string dayparts_text = "any daypart";
    if (!L.dayparts.empty()) {
        dayparts_text = "its dayparts (";
        for (std::size_t i = 0; i < L.dayparts.size(); ++i) dayparts_text += (i ? ", " : "") + L.dayparts[i];
        dayparts_text += ")";
    }
    if (n_daypart == 0) {
        u.code = reason_code::no_slot_in_flight;
        u.reason = head + "there is no break in " + dayparts_text + " on " + outlets + " from " + span;
        return u;
    }
    if (n_fit == 0) {
        u.code = reason_code::no_slot_in_flight;
        u.detail = "too_long";
        u.longest_s = longest;
        u.reason = head + "no break in " + dayparts_text + " on " + outlets + " from " + span + " is long enough for its " +
                   std::to_string(L.duration_s) + " s (the longest holds " + std::to_string(longest) + " s)";
        return u;
    }
    if (n_open == 0) {
        u.code = reason_code::blackout;
        at_cell(first_blackout);
        const auto& S = in_.slots[static_cast<std::size_t>(first_blackout)];
        const std::string witness = dp_desc(S.outlet, S.daypart) + " on " + slug(S.outlet) + " " +
                                    format_day(S.date) + " at " + hh_mm(S.local_start);
        u.reason = head + (n_fit == 1 ? "the only break in " : "all " + plural(n_fit, "break", "breaks") + " in ") +
                   dayparts_text + " on " + outlets + " from " + span +
                   (n_fit == 1 ? " is in a blackout (" + witness + ")" : " are in blackouts (the first: " + witness + ")");
        return u;
    }
    if (usable_slots.empty()) {
        u.code = reason_code::lead_time;
        at_cell(last_early);
        const auto& S = in_.slots[static_cast<std::size_t>(last_early)];
        // Even the latest of them is over already (a plan as of a later day): not "too soon".
        if (S.start <= in_.now) u.detail = "past";
        const auto& o = in_.outlets[static_cast<std::size_t>(S.outlet)];
        // The latest of them, as the witness.
        const std::string last = dp_desc(S.outlet, S.daypart) + " on " + o.slug + " " + format_day(S.date) + " at " +
                                 hh_mm(S.local_start);
        u.reason = head +
                   (n_open == 1 ? "the only break it could use" : "all " + plural(n_open, "break", "breaks") + " it could use") +
                   " on " + outlets + " from " + span;
        if (u.detail == "past") {
            u.reason += (n_open == 1 ? " is over already (" : " are over already (the last: ") + last + ")";
        } else {
            u.notice_hours = notice_hours(o);
            u.reason += (n_open == 1 ? " starts before the lead time or freeze horizon ("
                                     : " start before the lead time or freeze horizon (the last: ") +
                        last + ", while " + o.slug + " takes nothing new within " +
                        plural(notice_hours(o), "hour", "hours") + " of now)";
        }
        return u;
    }

    // The rules that depend on what is placed.
    int n_used = 0;
    int n_day = 0;
    int n_week = 0;
    int n_outlet_day = 0;
    int best_room = -1;  // best-value break that was full
    int best_sep = -1;   // best-value break with room that a separation rule closed
    int n_closed_by_others = 0;  // breaks full, or closed by a separation rule
    int n_closed_by_limits = 0;  // breaks it does not air in that its own limits close
    int n_room_cells = 0;
    std::vector<int> room_cells;
    auto better = [&](int s, int cur) {
        if (cur < 0) return true;
        const auto vs = value_micro(in_, L, in_.slots[static_cast<std::size_t>(s)]);
        const auto vc = value_micro(in_, L, in_.slots[static_cast<std::size_t>(cur)]);
        if (vs != vc) return vs > vc;
        const auto& a = in_.slots[static_cast<std::size_t>(s)];
        const auto& c = in_.slots[static_cast<std::size_t>(cur)];
        if (a.date != c.date) return a.date < c.date;
        if (a.outlet != c.outlet) return a.outlet < c.outlet;
        return a.start < c.start;
    };
    // The line's own limits that close a break, counted where one alone closes it (raising that
    // one would open the break) and where several do together (raising one alone would not): the
    // limits named are those that alone close some break, else all that close any. A break the
    // line airs in already is counted under a limit that also closes it, as the more telling.
    std::array<int, 3> alone{};     // per day, per week, per outlet and day
    std::array<int, 3> together{};
    for (const int s : usable_slots) {
        block why = check(l, s);
        if (why == block::used || why == block::day || why == block::week || why == block::outlet_day) {
            const int d = day_of(s);
            const std::array<bool, 3> closes = {day_room(l, d) <= 0, week_room(l, d) <= 0,
                                                outlet_day_room(l, in_.slots[static_cast<std::size_t>(s)].outlet, d) <= 0};
            const auto n_closing = std::count(closes.begin(), closes.end(), true);
            for (std::size_t k = 0; k < closes.size(); ++k) {
                if (closes[k]) ++(n_closing == 1 ? alone : together)[k];
            }
            if (n_closing > 0 && why != block::used) ++n_closed_by_limits;
            if (n_closing == 0) ++n_used;
            continue;
        }
        switch (why) {
            case block::used:  // counted above
            case block::total:
            case block::day:
            case block::week:
            case block::outlet_day: break;
            case block::room:
                room_cells.push_back(cell_of(s));
                if (better(s, best_room)) best_room = s;
                ++n_closed_by_others;
                break;
            case block::gap:
            case block::department:
                if (better(s, best_sep)) best_sep = s;
                ++n_closed_by_others;
                break;
            case block::none: break;  // cannot happen after planning; treated as a limit below
        }
    }
    const bool any_alone = alone[0] + alone[1] + alone[2] > 0;
    n_day = any_alone ? alone[0] : together[0];
    n_week = any_alone ? alone[1] : together[1];
    n_outlet_day = any_alone ? alone[2] : together[2];
    std::sort(room_cells.begin(), room_cells.end());
    n_room_cells = static_cast<int>(std::unique(room_cells.begin(), room_cells.end()) - room_cells.begin());

    // A flight cut by the dates planned (--from/--to) holds airings no break of these dates can take:
    // said after whichever cause is named, since it may be most of the shortfall.
    const std::string beyond_dates_planned =
        L.flight_first < in_.first_day || L.flight_last > in_.last_day
            ? "; its flight " + format_day(L.flight_first) + " to " + format_day(L.flight_last) +
                  " reaches beyond the dates planned (" + format_day(in_.first_day) + " to " +
                  format_day(in_.last_day) + ")"
            : std::string();

    // Its breaks up to some day were over already or too soon: what binds on the days after (its
    // own limits, full breaks, a separation rule) is only part of the story, and the days lost are
    // likely most of the shortfall. Said first, whichever cause follows.
    std::string lost;
    std::string lost_kind;
    const auto say_lost = [&](int witness) {
        const auto& S = in_.slots[static_cast<std::size_t>(witness)];
        const bool all_over = S.start <= in_.now;
        lost_kind = all_over ? "past" : any_past ? "past_and_lead_time" : "lead_time";
        lost = "the breaks it could use until " + format_day(S.date) +
               (all_over   ? " are over already"
                : any_past ? " are over already or too soon for the lead time or freeze horizon"
                           : " are too soon for the lead time or freeze horizon") +
               ", and after that ";
    };
    if (last_early >= 0) say_lost(last_early);
    // capacity and separation carry it in their own fields (their `date` is the full cell's), said
    // of the outlet they name where its breaks were lost too (outlets' lead times differ: "until
    // 31 July …, and after that 30 July is full" would not read).
    const auto lost_before = [&](int outlet) {
        if (lost.empty()) return;
        int witness = last_early;
        for (const auto& [o, x] : last_early_of) {
            if (o == outlet) witness = x;
        }
        say_lost(witness);
        u.lost = lost_kind;
        u.lost_until = in_.slots[static_cast<std::size_t>(witness)].date;
    };

    // Its own limits are the cause when nothing else closes a break, and also when they close at
    // least as many breaks it does not air in as are full or closed by a separation rule, and those
    // could not take even the airings missing (one airing a break): the full or separated ones are
    // then the lesser part (a message wanting 80 airings at 4 a day, one break of a day within its
    // gap, is short because of its limit, not of its gap).
    const bool limits_bind = n_closed_by_limits > 0 && n_closed_by_limits >= n_closed_by_others;
    if ((best_room < 0 && best_sep < 0) || (limits_bind && n_closed_by_others < u.airings)) {
        u.code = reason_code::rule_limit;
        u.closed_by_others = n_closed_by_others;
        if (last_early >= 0) {
            u.detail = "after_" + lost_kind;
            u.date = in_.slots[static_cast<std::size_t>(last_early)].date;
        }
        const std::string limits_span =
            lost.empty() ? "from " + span : "until " + format_day(in_.first_day + date::days(li.hi));
        if (n_day > 0) u.limit_per_day = L.per_day;
        if (n_week > 0) u.limit_per_week = L.per_week;
        if (n_outlet_day > 0) u.limit_per_outlet_day = L.max_per_outlet_per_day;
        std::vector<std::string> limits;
        if (n_day > 0) limits.push_back(plural(L.per_day, "airing", "airings") + " a day");
        if (n_week > 0) limits.push_back(plural(L.per_week, "airing", "airings") + " an ISO week");
        if (n_outlet_day > 0) limits.push_back(plural(L.max_per_outlet_per_day, "airing", "airings") + " per outlet a day");
        std::string text;
        if (!limits.empty()) {
            text = (limits.size() == 1 ? "its limit of " : "its limits of ") + name_list(limits, 3) +
                   " are reached wherever it could still air on " + outlets + " " + limits_span;
            if (limits.size() == 1) text.replace(text.find(" are reached"), 12, " is reached");
            if (n_used > 0 && n_closed_by_others == 0) {
                text += ", and it already airs in every other break there";
            } else if (n_used > 0) {
                text += "; of the other breaks there it already airs in " + std::to_string(n_used) + ", and " +
                        std::to_string(n_closed_by_others) + (n_closed_by_others == 1 ? " is" : " are") +
                        " full or closed by a separation rule";
            } else if (n_closed_by_others > 0) {
                text += "; " + plural(n_closed_by_others, "other break", "other breaks") + " it could use " +
                        (n_closed_by_others == 1 ? "is" : "are") + " full or closed by a separation rule";
            }
        } else {
            if (u.detail.empty()) u.detail = "every_break";
            u.every_break = true;
            text = "it already airs in every break it can use on " + outlets + " " + limits_span + " (" +
                   plural(n_used, "break", "breaks") + ", one airing a break)";
        }
        u.reason = head + lost + text + beyond_dates_planned;
        return u;
    }

    if (best_room >= 0) {
        u.code = reason_code::capacity;
        at_cell(best_room);
        const auto& c = cells_[static_cast<std::size_t>(cell_of(best_room))];
        std::vector<int> blockers;
        for (const int s : c.slots) {
            for (const int x : in_break_[static_cast<std::size_t>(s)]) {
                if (x != l) blockers.push_back(x);
            }
        }
        std::sort(blockers.begin(), blockers.end());
        blockers.erase(std::unique(blockers.begin(), blockers.end()), blockers.end());
        std::stable_sort(blockers.begin(), blockers.end(), [&](int a, int b) {
            return in_.lines[static_cast<std::size_t>(a)].priority > in_.lines[static_cast<std::size_t>(b)].priority;
        });
        bool all_higher = !blockers.empty();
        std::vector<std::string> names;
        for (const int x : blockers) {
            names.push_back(in_.lines[static_cast<std::size_t>(x)].message);
            if (in_.lines[static_cast<std::size_t>(x)].priority <= L.priority) all_higher = false;
        }
        u.blockers = blockers;
        if (all_higher) u.detail = "higher_priority";
        lost_before(c.outlet);
        u.reason = head + lost + dp_desc(c.outlet, c.daypart) + " on " + slug(c.outlet) + " " +
                   format_day(in_.first_day + date::days(c.day)) + " is full with " +
                   (all_higher ? "higher-priority messages " : "messages ") + name_list(names, 6);
        if (n_room_cells > 1) {
            u.others_full = n_room_cells - 1;
            u.reason += " (and " + plural(n_room_cells - 1, "other daypart", "other dayparts") +
                        " it could use on its outlets are full too)";
        }
        u.reason += beyond_dates_planned;
        return u;
    }

    u.code = reason_code::separation;
    at_cell(best_sep);
    lost_before(in_.slots[static_cast<std::size_t>(best_sep)].outlet);
    const auto& S = in_.slots[static_cast<std::size_t>(best_sep)];
    const auto& c = cells_[static_cast<std::size_t>(cell_of(best_sep))];
    const std::string where = dp_desc(S.outlet, S.daypart) + " on " + slug(S.outlet) + " " + format_day(S.date);
    if (check(l, best_sep) == block::department) {
        std::vector<int> blockers;
        for (const int s : c.slots) {
            for (const int x : in_break_[static_cast<std::size_t>(s)]) {
                if (x != l && lines_[static_cast<std::size_t>(x)].department == li.department) blockers.push_back(x);
            }
        }
        std::sort(blockers.begin(), blockers.end());
        blockers.erase(std::unique(blockers.begin(), blockers.end()), blockers.end());
        std::stable_sort(blockers.begin(), blockers.end(), [&](int a, int b) {
            return in_.lines[static_cast<std::size_t>(a)].priority > in_.lines[static_cast<std::size_t>(b)].priority;
        });
        std::vector<std::string> names;
        for (const int x : blockers) names.push_back(in_.lines[static_cast<std::size_t>(x)].message);
        u.blockers = blockers;
        u.reason = head + lost + "the breaks with room in " + where + " already carry " + name_list(names, 6) +
                   " of the same department (" + L.department + "), and one message per department airs in a break";
    } else {
        u.reason = head + lost + "the breaks with room in " + where + " are within " +
                   plural(L.min_gap_minutes, "minute", "minutes") + " of its other airings on " + slug(S.outlet) +
                   " (its minimum gap)";
    }
    u.reason += beyond_dates_planned;
    return u;
}

}  // namespace loa::scheduler::planner::solver
