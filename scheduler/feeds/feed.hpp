// The media feeds as pure functions: a feed model (what a feed says) in, the exact bytes of one
// format out. No I/O, no clock: the same model gives the same bytes, so the server can cache them
// and give them a strong ETag. The models are filled from the store by feed_source.hpp.
//
// Formats (docs/feeds.md):
//   Atom (RFC 4287), RSS 2.0, JSON Feed 1.1 — an outlet's schedule and a campaign's news;
//   iCalendar (RFC 5545, written with libical) — an outlet's schedule and a campaign's public events.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/campaign.hpp"

namespace loa::scheduler::feeds {

// Text in one language ("vi" or "en"), as the channel carries it (plain text, not escaped).
struct text_part {
    std::string lang;
    std::string text;
    friend bool operator==(const text_part&, const text_part&) = default;
};

// Links every feed carries; absolute URLs without any token.
struct feed_links {
    std::string self;  // this feed, e.g. https://loa.example/feeds/outlets/vov-haiphong/schedule.atom
    std::string html;  // the page people read, e.g. https://loa.example/campaigns/haiphong-…
    std::string base;  // the server's public base URL, e.g. https://loa.example (no trailing slash)
    friend bool operator==(const feed_links&, const feed_links&) = default;
};

// One placement on an outlet's schedule (or one a re-plan dropped: state "cancelled").
struct schedule_item {
    std::int64_t placement_id = 0;  // stable: entry id / UID are built from it
    std::string campaign_slug;
    core::localized campaign_title;
    std::string message_code;
    core::localized message_title;
    std::string department;  // code
    core::localized department_name;
    std::vector<core::audience> audiences;  // code and name, in the message's order
    std::chrono::sys_seconds start{};        // UTC instant; shown in time_zone
    int duration_s = 0;
    std::string time_zone;  // the outlet's IANA zone
    std::string daypart;    // code, "" when none
    core::localized daypart_name;
    bool prime = false;     // the daypart is the outlet's highest-weighted one
    std::string state;      // planned | published | aired | missed | cancelled
    int sequence = 0;       // 0, then +1 on every change (a move, new content approved, the approval lost
                            // or regained); a cancelled item has the last sequence + 1
    bool moved = false;     // a re-plan moved it at least once: its time is not the first one sent
    // A make-good: the missed placement it makes up for (its id and start), shown in the title
    // ([PHÁT BÙ] / [MAKE-GOOD]) and text, as _loa.make_good_of (JSON Feed) and RELATED-TO (iCalendar).
    std::optional<std::int64_t> make_good_of;
    std::optional<std::chrono::sys_seconds> make_good_of_start;
    std::chrono::sys_seconds updated{};  // last change of this item (UTC)
    std::string channel;                 // the outlet's kind, whose template rendered `material`
    std::vector<text_part> material;     // one per outlet language, the outlet's first language first
    friend bool operator==(const schedule_item&, const schedule_item&) = default;
};

// An outlet's schedule: placements from 24 h before the feed's instant to its lead time ahead.
struct outlet_feed {
    std::string outlet_slug;
    core::localized outlet_name;
    std::string outlet_kind;
    std::string time_zone;
    std::vector<std::string> languages;  // the outlet's; the feed's language is the first ("vi" if none)
    std::chrono::sys_seconds window_from{}, window_to{};
    std::vector<schedule_item> items;  // by start, then placement id
    // The newest `updated` of the items, at least the UTC day window_from falls in (so the bytes
    // depend only on the model, never on a clock, and do not change every minute).
    std::chrono::sys_seconds updated{};
    feed_links links;
    friend bool operator==(const outlet_feed&, const outlet_feed&) = default;
};

// One approved public message of a campaign (news feed entry).
struct news_item {
    std::string message_code;
    core::localized title;
    std::string department;
    core::localized department_name;
    std::vector<core::audience> audiences;  // code and name
    std::string channel;              // the template that rendered `content`: print, online or social
    std::vector<text_part> content;   // vi then en (en only when it differs from the vi fallback)
    core::calendar_date flight_start{}, flight_end{};
    std::chrono::sys_seconds published{};  // when it was (first) approved, UTC
    std::chrono::sys_seconds updated{};    // when its approved version was approved, UTC
    friend bool operator==(const news_item&, const news_item&) = default;
};

struct campaign_news {
    std::string campaign_slug;
    core::localized title;
    core::localized theme;
    std::vector<news_item> items;  // newest `updated` first, then code
    std::chrono::sys_seconds updated{};  // newest item's; the campaign's first day at 00:00 UTC when none
    feed_links links;
    friend bool operator==(const campaign_news&, const campaign_news&) = default;
};

// One public activity of a campaign (events.ics); internal activities never reach a model.
struct event_item {
    std::string activity_id;
    core::localized title;
    core::localized description;
    core::localized location;
    std::string department;
    core::localized department_name;
    std::vector<core::audience> audiences;  // code and name
    bool all_day = false;
    core::local_time start{};  // wall clock in time_zone (all-day: 00:00 of the first day)
    core::local_time end{};    // all-day: 00:00 after the last day
    std::string time_zone;     // IANA zone (the activity's, else the campaign's)
    std::string rrule;         // RFC 5545 RRULE value, "" = once
    bool cancelled = false;    // STATUS:CANCELLED
    int sequence = 0;
    std::chrono::sys_seconds updated{};  // DTSTAMP / LAST-MODIFIED
    friend bool operator==(const event_item&, const event_item&) = default;
};

struct campaign_events {
    std::string campaign_slug;
    core::localized title;
    std::string time_zone;  // the campaign's
    std::vector<event_item> items;  // by start, then id
    feed_links links;
    friend bool operator==(const campaign_events&, const campaign_events&) = default;
};

// The bytes of each format. Text is UTF-8; anything the model holds (hostile text included) is
// escaped for the format. Atom/RSS: XML 1.0 (characters XML forbids are dropped). ICS: CRLF, lines
// folded at 75 octets without splitting a UTF-8 sequence, TEXT escaped, UID, DTSTAMP in UTC,
// VERSION, PRODID, a VTIMEZONE for every zone used; a moved item has its SEQUENCE, a cancelled one
// STATUS:CANCELLED. Throws std::runtime_error only for an unknown time zone.
[[nodiscard]] std::string render_atom(const outlet_feed& f);
[[nodiscard]] std::string render_rss(const outlet_feed& f);
[[nodiscard]] std::string render_json_feed(const outlet_feed& f);
[[nodiscard]] std::string render_ics(const outlet_feed& f);

[[nodiscard]] std::string render_atom(const campaign_news& f);
[[nodiscard]] std::string render_rss(const campaign_news& f);
[[nodiscard]] std::string render_json_feed(const campaign_news& f);

[[nodiscard]] std::string render_ics(const campaign_events& f);

// Media types served with each format.
inline constexpr const char* atom_media_type = "application/atom+xml; charset=utf-8";
inline constexpr const char* rss_media_type = "application/rss+xml; charset=utf-8";
inline constexpr const char* json_feed_media_type = "application/feed+json; charset=utf-8";
inline constexpr const char* ics_media_type = "text/calendar; charset=utf-8";

}  // namespace loa::scheduler::feeds
