// Fills the feed models (feed.hpp) from the store: the outlet's placements in its window, each
// message's approved content rendered by the channel templates for the outlet's channel and
// languages (the same renderer as the editor's preview and the dispatcher), the campaign's public
// messages and public activities. Reads on the caller's connection (the server's db thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/channels/message_renderer.hpp"
#include "core/storage/database.hpp"
#include "scheduler/feeds/feed.hpp"

namespace loa::scheduler::feeds {

// The schedule window at `now`: [now − 24 h, now + the outlet's lead time) — with at least 24 h
// ahead, so that an outlet with lead time 0 still sees its next day.
struct schedule_window {
    std::chrono::sys_seconds from{}, to{};
};
[[nodiscard]] schedule_window window_for(std::chrono::sys_seconds now, int lead_time_hours);

// What a cache miss need not do again (docs/feeds.md, "How the server keeps it cheap"):
// - the rendered materials: a channel-template render is kept, keyed by everything it reads — the
//   channel, the language, the slot (outlet name, kind, zone, start, duration, daypart name) — and
//   compared by value with the message content and the campaign's channel context it was rendered
//   from, so an edit of either renders again; at most `max_materials` are kept (all are dropped
//   when full);
// - with `keep_reads`: the campaigns, approval times and approved contents read through a
//   connection, for as long as its change stamp (core::take_change_stamp, taken here before the
//   reads: this connection's writes and every other connection's commits) stays what it was. The
//   stamp is the source's own, taken on the reading thread, so no caller can label a read with a
//   state the database has already left.
// The memo is shared by copies and guarded by a mutex: a feed_source may be used from any thread.
class feed_source {
public:
    explicit feed_source(const core::channel_templates& templates, std::size_t max_materials = 4096);

    // The schedule of outlet `slug` at `now` (every non-archived campaign it appears in; its name,
    // kind, zone, languages and lead time from the campaign with the latest period), or nullopt
    // when no campaign has that outlet. Only approved content is rendered: a placement whose
    // message is not approved (any more) shows as cancelled. `keep_reads`: see above; without it
    // every campaign and content is read again.
    [[nodiscard]] std::optional<outlet_feed> outlet_schedule(core::database& db, std::string_view slug,
                                                             std::chrono::sys_seconds now, const feed_links& links,
                                                             bool keep_reads = false) const;

    // How many rendered materials the memo holds (tests, metrics).
    [[nodiscard]] std::size_t memo_materials() const;

    // How many times outlet_schedule started from nothing read (tests: whether kept reads were used).
    [[nodiscard]] std::size_t fresh_reads() const;

    // The campaign's approved messages with a public channel (print: the press release; else
    // online; else social), or nullopt for an unknown campaign.
    [[nodiscard]] std::optional<campaign_news> news(core::database& db, std::string_view campaign,
                                                    const feed_links& links) const;

    // The campaign's public activities (cancelled ones as cancelled), or nullopt for an unknown
    // campaign.
    [[nodiscard]] std::optional<campaign_events> events(core::database& db, std::string_view campaign,
                                                        const feed_links& links) const;

    struct memo;  // feed_source.cpp

private:
    const core::channel_templates& templates_;
    std::shared_ptr<memo> memo_;
};

}  // namespace loa::scheduler::feeds
