// What every feed format says the same way: cleaned text, the words in the feed's language, times
// in the outlet's zone, stable ids and the category schemes. The format files (atom_rss, json_feed,
// ics) only put these pieces into their syntax. Pure functions; nothing here reads a clock.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/feeds/feed.hpp"

namespace date {
class time_zone;
}

namespace loa::scheduler::feeds::text {

// `s` as valid UTF-8 that every format can carry: invalid sequences become U+FFFD; CR LF and CR
// become LF; control characters other than TAB and LF (C0, DEL, C1), U+FFFE/U+FFFF and the other
// characters XML 1.0 forbids are dropped.
[[nodiscard]] std::string clean(std::string_view s);

// clean(s) with & < > " ' as XML character references (fit for element text and attribute values).
[[nodiscard]] std::string xml(std::string_view s);
// xml(s) appended to `out` (the same bytes, without a string of its own).
void append_xml(std::string& out, std::string_view s);

// The feed's language: the outlet's first language, "vi" when it has none.
[[nodiscard]] std::string feed_language(const outlet_feed& f);

// The zone named `name`; throws std::runtime_error for a name the tz database does not know.
[[nodiscard]] const date::time_zone* zone_or_throw(std::string_view name);

// Times. rfc3339: 2024-07-29T19:00:00+07:00 (in `zone`) or 2024-07-29T12:00:00Z (zone null);
// rfc822: Mon, 29 Jul 2024 19:00:00 +0700 (RSS); air_time: "19:00 thứ Hai 29/07/2024" in vi,
// "19:00 Monday 29/07/2024" in en.
[[nodiscard]] std::string rfc3339(std::chrono::sys_seconds t, const date::time_zone* zone);
[[nodiscard]] std::string rfc822(std::chrono::sys_seconds t, const date::time_zone* zone);
[[nodiscard]] std::string air_time(std::chrono::sys_seconds t, const date::time_zone* zone,
                                   std::string_view lang);
// "dd/mm/yyyy".
[[nodiscard]] std::string day(core::calendar_date d);

// Durations: "1 phút 30 giây" / "1 min 30 s"; ISO 8601 "PT1M30S".
[[nodiscard]] std::string duration(int seconds, std::string_view lang);
[[nodiscard]] std::string iso_duration(int seconds);

// A word of the interface in `lang` ("vi" or "en"; anything else reads as vi).
[[nodiscard]] std::string_view word(std::string_view key, std::string_view lang);

// Ids. The authority is the host of links.base ("localhost" when it has none or is an address).
//   feed:      tag:HOST,2024:loa/outlets/SLUG/schedule, tag:HOST,2024:loa/campaigns/SLUG/news
//   placement: tag:HOST,2024:loa/placements/ID/CAMPAIGN — the ICS UID is placement-ID.CAMPAIGN@HOST
//   news:      tag:HOST,2024:loa/campaigns/SLUG/messages/CODE
//   activity:  UID activity-ID.CAMPAIGN@HOST
[[nodiscard]] std::string host_of(const feed_links& links);
[[nodiscard]] std::string outlet_feed_id(const outlet_feed& f);
[[nodiscard]] std::string news_feed_id(const campaign_news& f);
[[nodiscard]] std::string placement_id(const feed_links& links, const schedule_item& it);
[[nodiscard]] std::string placement_uid(const feed_links& links, const schedule_item& it);
// The UID of another placement of the same campaign (a make-good's RELATED-TO: the missed one).
[[nodiscard]] std::string placement_uid(const feed_links& links, std::int64_t placement_id,
                                        std::string_view campaign_slug);
[[nodiscard]] std::string news_id(const campaign_news& f, const news_item& it);
[[nodiscard]] std::string activity_uid(const campaign_events& f, const event_item& it);

// Categories of an entry: term (a code, or the name when there is none), label (in the feed's
// language) and scheme (BASE/feeds/schemes/campaign|department|audience).
struct category {
    std::string term, label, scheme;
};
[[nodiscard]] std::vector<category> categories(const feed_links& links, const schedule_item& it,
                                               std::string_view lang);
[[nodiscard]] std::vector<category> categories(const campaign_news& f, const news_item& it,
                                               std::string_view lang);

// Titles and texts of a feed and of its entries, in `lang` (not escaped: the formats escape).
[[nodiscard]] std::string outlet_feed_title(const outlet_feed& f, std::string_view lang);
[[nodiscard]] std::string outlet_feed_subtitle(const outlet_feed& f, std::string_view lang);
[[nodiscard]] std::string news_feed_title(const campaign_news& f, std::string_view lang);
// "19:00 thứ Hai 29/07/2024 · <message title> · Giờ vàng"; "[ĐÃ HỦY] " before a cancelled one,
// "[ĐÃ DỜI] " before a moved one (moved), "[CẬP NHẬT] " before one changed otherwise (sequence > 0:
// new content approved, the approval regained).
[[nodiscard]] std::string item_title(const schedule_item& it, std::string_view lang);
// A few lines: air time with offset and zone, duration, state (and the new time of a moved item,
// that the time of an updated one is unchanged, the cancellation of a cancelled one).
[[nodiscard]] std::string item_summary(const schedule_item& it, std::string_view lang);
// The summary, the campaign, message, department and audiences, then every language's material.
[[nodiscard]] std::string item_content(const schedule_item& it, std::string_view lang);
// item_content before its clean(), with `summary` (item_summary's) at its head: for a format that
// cleans while it escapes (text::xml, append_xml), which then gives the same bytes as from
// item_content, with one pass of cleaning instead of two.
[[nodiscard]] std::string item_content_uncleaned(const schedule_item& it, std::string_view lang,
                                                 std::string_view summary);
[[nodiscard]] std::string news_content(const news_item& it, std::string_view lang);
[[nodiscard]] std::string news_summary(const news_item& it, std::string_view lang);
// events.ics: the title (vi) with "[ĐÃ HỦY] " when cancelled, and a description with both languages.
[[nodiscard]] std::string event_summary(const event_item& it);
[[nodiscard]] std::string event_description(const event_item& it);
[[nodiscard]] std::string event_location(const event_item& it);

}  // namespace loa::scheduler::feeds::text
