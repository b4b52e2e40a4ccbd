// The campaign model: plain, immutable-after-load value types shared by every part of loa.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

namespace loa::core {

// A wall-clock time in some IANA zone (the zone is kept beside it, never inside).
using local_time = date::local_seconds;
// A calendar date without a zone.
using calendar_date = date::year_month_day;

// Text in the users' languages. Vietnamese is required wherever text is; English is optional
// (empty means "not translated": readers fall back to Vietnamese).
struct localized {
    std::string vi;
    std::string en;

    // The text in `lang` ("vi" or "en"), falling back to Vietnamese.
    [[nodiscard]] const std::string& in(std::string_view lang) const {
        return (lang == "en" && !en.empty()) ? en : vi;
    }
    friend bool operator==(const localized&, const localized&) = default;
};

enum class visibility { public_, internal };

// Names used in YAML and the API for each enumeration. Kept here so that the loader, the
// writer, the store and the API agree on one spelling.
inline constexpr const char* activity_kinds[] = {
    "press_conference", "school_session", "cultural_event", "sports_event",
    "outreach",         "inspection",     "broadcast",      "documentary",
    "debate",           "article",        "social_post",    "loudspeaker_bulletin",
    "meeting",          "training",       "hotline",        "other"};
inline constexpr const char* outlet_kinds[] = {"tv",     "radio",       "print", "online",
                                               "social", "loudspeaker", "school"};
// A message's channels: every outlet kind, plus direct channels that have no outlet.
inline constexpr const char* channel_names[] = {"tv",          "radio",  "print", "online", "social",
                                                "loudspeaker", "school", "sms",   "email"};
inline constexpr const char* weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
inline constexpr const char* message_states[] = {"draft", "submitted", "approved", "rejected"};

struct key_date {
    calendar_date date;
    localized name;
    double weight = 1.0;  // multiplies the value of an airing on that day (30 July: 3)
    friend bool operator==(const key_date&, const key_date&) = default;
};

struct audience {
    std::string code;  // e.g. children-under-16
    localized name;
    friend bool operator==(const audience&, const audience&) = default;
};

struct hotline {
    std::string number;  // as dialled, e.g. "111"
    localized name;
    std::string hours;  // free text, e.g. "24/7"; empty when unknown
    friend bool operator==(const hotline&, const hotline&) = default;
};

struct department {
    std::string code;  // stable key, e.g. education
    localized name;
    std::vector<localized> duties;  // what the plan asks of it
    friend bool operator==(const department&, const department&) = default;
};

struct activity {
    std::string id;          // stable key within the campaign
    std::string department;  // department code
    std::string kind;        // one of activity_kinds
    localized title;
    localized description;  // optional
    bool all_day = false;
    // Start and end as wall-clock times in `time_zone` (or the campaign's zone when empty).
    // All-day activities start at 00:00 of the first day and end at 00:00 after the last day.
    local_time start{};
    local_time end{};
    std::string rrule;      // RFC 5545 RRULE value without the "RRULE:" prefix; empty = once
    std::string time_zone;  // IANA zone; empty = the campaign's
    localized location;     // optional
    std::vector<std::string> audiences;  // audience codes
    visibility vis = visibility::public_;
    friend bool operator==(const activity&, const activity&) = default;
};

struct daypart {
    std::string code;  // e.g. prime
    localized name;
    std::uint8_t weekdays = 0x7f;  // bit 0 = Monday … bit 6 = Sunday
    std::chrono::minutes start{};  // minutes after local midnight
    std::chrono::minutes end{};    // end <= start means the daypart crosses midnight
    double weight = 1.0;           // prime time is the highest
    friend bool operator==(const daypart&, const daypart&) = default;
};

// One line of an outlet's break clock: where breaks fall and how many seconds each holds.
// Either every hour at `minute` past the hour, or every day at `at`; a break exists only
// inside a daypart (restricted to `dayparts` when that list is not empty).
struct break_rule {
    std::optional<int> minute;              // 0–59: hourly
    std::optional<std::chrono::minutes> at;  // daily, minutes after local midnight
    int seconds = 0;                        // capacity of each break
    std::vector<std::string> dayparts;      // daypart codes; empty = all
    friend bool operator==(const break_rule&, const break_rule&) = default;
};

// A period when an outlet carries no campaign material (a live event, a national mourning day, a
// transmitter outage), as wall-clock times in the outlet's zone; `end` is exclusive.
struct blackout {
    local_time start{};
    local_time end{};
    localized reason;  // optional
    friend bool operator==(const blackout&, const blackout&) = default;
};

struct outlet {
    std::string slug;  // stable key, names the media outlet across campaigns
    localized name;
    std::string kind;        // one of outlet_kinds
    std::string department;  // owning department code; empty when independent
    std::string time_zone;   // IANA zone
    std::vector<std::string> languages;  // languages it carries, e.g. {"vi"} or {"vi","en"}
    int lead_time_hours = 0;             // how far ahead it needs its schedule
    std::vector<daypart> dayparts;
    std::vector<break_rule> break_clock;
    std::vector<blackout> blackouts;
    // Placements starting within this many hours from now are frozen: a re-plan never moves them
    // (nor ones already published, aired or missed). 0 = only the lead time protects them.
    int freeze_hours = 0;
    friend bool operator==(const outlet&, const outlet&) = default;
};

// A flight given relative to a key date: "7 days before to 3 days after 30 July". The loader
// resolves it into message::flight_start/flight_end; the writer writes it back in this form.
struct relative_flight {
    calendar_date key{};  // one of the campaign's key dates
    int days_before = 0;  // >= 0
    int days_after = 0;   // >= 0
    friend bool operator==(const relative_flight&, const relative_flight&) = default;
};

struct message {
    std::string id;          // stable key within the campaign
    std::string department;  // owning department code
    localized title;         // short internal title (optional)
    localized text;          // what is said/published
    std::vector<std::string> channels;  // channel_names
    int duration_s = 0;                 // spoken/aired length; 0 for print/online
    int priority = 1;                   // 1 (low) … 10 (high)
    calendar_date flight_start{};       // first and last day it may run (the date where it airs, in the outlet's zone)
    calendar_date flight_end{};
    std::optional<relative_flight> flight_relative;  // set when the file gave the flight this way
    int airings = 0;  // airings wanted in total; 0 = no total (then per_day/per_week set the demand)
    // Scheduling rules for the planner (0 / empty = no limit). Every "day" of an airing is the date
    // where it airs, in its outlet's zone; weeks are ISO weeks (Monday to Sunday) of those dates.
    int airings_per_day = 0;           // at most (and wanted) this many a day over all outlets
    int airings_per_week = 0;          // at most (and wanted) this many an ISO week
    std::vector<std::string> dayparts;  // daypart codes it may run in; empty = any daypart
    int max_per_outlet_per_day = 0;    // at most this many airings on one outlet in one day
    int min_gap_minutes = 0;           // between two airings of it on one outlet
    std::vector<std::string> audiences;
    std::vector<std::string> outlets;  // outlet slugs it may run on; empty = every outlet of its channels
    std::string state = "draft";       // one of message_states
    friend bool operator==(const message&, const message&) = default;
};

// Whether a message asks for no airings at all (no total, per day or per week: the message form's
// default of 0). The planner places none of it and names it apart (its order lines' rule,
// scheduler/planner/instance.hpp asks_for_nothing, is the same).
[[nodiscard]] inline bool asks_for_no_airings(const message& m) {
    return m.airings == 0 && m.airings_per_day == 0 && m.airings_per_week == 0;
}

// Whether `m` may run on outlet ⟨slug, kind⟩: the outlet's kind is one of its channels and, when it
// names outlets, the outlet is one of them (the planner's order lines, the dayparts a message may name).
[[nodiscard]] inline bool may_run_on(const message& m, const std::string& slug, const std::string& kind) {
    const auto has = [](const std::vector<std::string>& v, const std::string& x) {
        for (const auto& e : v)
            if (e == x) return true;
        return false;
    };
    return has(m.channels, kind) && (m.outlets.empty() || has(m.outlets, slug));
}

// Whether two messages ask the planner the same (per day and week, per outlet and day, gap, dayparts).
[[nodiscard]] inline bool same_planner_rules(const message& a, const message& b) {
    return a.airings_per_day == b.airings_per_day && a.airings_per_week == b.airings_per_week &&
           a.max_per_outlet_per_day == b.max_per_outlet_per_day && a.min_gap_minutes == b.min_gap_minutes &&
           a.dayparts == b.dayparts;
}

// Campaign-wide rules for the planner.
struct planning_rules {
    // No two messages of the same department in one break (a break is one voice, not two
    // announcements from the same office back to back).
    bool separate_departments = true;
    friend bool operator==(const planning_rules&, const planning_rules&) = default;
};

struct campaign {
    std::string slug;
    localized title;
    localized theme;
    localized description;  // optional
    calendar_date period_start{};
    calendar_date period_end{};
    std::string time_zone;  // IANA zone
    std::vector<key_date> key_dates;
    std::vector<audience> audiences;
    std::vector<hotline> hotlines;
    std::vector<department> departments;
    std::vector<activity> activities;
    std::vector<outlet> outlets;
    std::vector<message> messages;
    planning_rules planning;
    friend bool operator==(const campaign&, const campaign&) = default;
};

// The zone an activity's wall-clock times are in: its own, else its campaign's.
[[nodiscard]] inline const std::string& zone_of(const activity& a, const campaign& c) {
    return a.time_zone.empty() ? c.time_zone : a.time_zone;
}

}  // namespace loa::core
