// Fills the feed models (feed.hpp) from the store: the outlet's placements in its window, each
// message's approved content rendered by the channel templates for the outlet's channel and
// languages (the same renderer as the editor's preview and the dispatcher), the campaign's public
// messages and public activities. Reads on the caller's connection (the server's db thread).
#pragma once

#include <chrono>
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

class feed_source {
public:
    explicit feed_source(const core::channel_templates& templates) : templates_(templates) {}

    // The schedule of outlet `slug` at `now` (every non-archived campaign it appears in; its name,
    // kind, zone, languages and lead time from the campaign with the latest period), or nullopt
    // when no campaign has that outlet. Only approved content is rendered: a placement whose
    // message is not approved (any more) shows as cancelled.
    [[nodiscard]] std::optional<outlet_feed> outlet_schedule(core::database& db, std::string_view slug,
                                                             std::chrono::sys_seconds now,
                                                             const feed_links& links) const;

    // The campaign's approved messages with a public channel (print: the press release; else
    // online; else social), or nullopt for an unknown campaign.
    [[nodiscard]] std::optional<campaign_news> news(core::database& db, std::string_view campaign,
                                                    const feed_links& links) const;

    // The campaign's public activities (cancelled ones as cancelled), or nullopt for an unknown
    // campaign.
    [[nodiscard]] std::optional<campaign_events> events(core::database& db, std::string_view campaign,
                                                        const feed_links& links) const;

private:
    const core::channel_templates& templates_;
};

}  // namespace loa::scheduler::feeds
