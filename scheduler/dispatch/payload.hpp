// The JSON body of a webhook: one placement falling due, with the approved content rendered for the
// outlet's channel by the same channel templates that serve the editor's preview and the feeds.
// Shape (Standard Webhooks' {type, timestamp, data}; docs/dispatch.md lists every field):
//   {"type": "placement.due", "timestamp": "2024-07-29T12:00:00Z",
//    "data": {"placement_id": 123, "webhook_id": "msg_…",
//             "campaign": {"slug", "title": {"vi", "en"}},
//             "message": {"code", "version", "department", "priority", "duration_s"},
//             "outlet": {"slug", "name": {"vi", "en"}, "kind", "time_zone"},
//             "slot": {"start": "2024-07-29T19:00:00+07:00", "start_utc", "duration_s", "daypart" (code or null)},
//             "content": [{"lang": "vi", "channel": "radio", "text": "…"}, …]}}
// content holds one entry per language the outlet carries (its first language first).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/channels/message_renderer.hpp"
#include "core/domain/campaign.hpp"
#include "core/storage/database.hpp"
#include "core/storage/dispatch_store.hpp"

namespace date {
class time_zone;
}

namespace loa::scheduler::dispatch {

struct payload_inputs {
    const core::campaign& campaign;
    const core::message& message;  // the approved content (never a later, unapproved edit)
    int message_version = 0;       // the approved version (0 for a file message)
    const core::outlet& outlet;
    const core::claimed_dispatch& dispatch;
};

// Pure: the body, byte for byte the same for the same inputs and `now` (timestamp: `now` in whole
// seconds). Throws std::runtime_error when the outlet's channel has no template or its zone is unknown.
[[nodiscard]] std::string build_payload(const core::channel_templates& templates, const payload_inputs& in,
                                        core::ms_time now);

// Loads what build_payload needs from the store, keeping each campaign and each message's approved
// content it loads until clear(). The runner clears it at the start of every claim job; a job runs
// alone on the database connection, so a batch sends every message as approved when it was claimed.
// Bodies are built from parts kept with the approved content (and forgotten with it): the
// campaign, message and outlet objects once per (campaign, message, outlet), the slot and the
// rendered content once per distinct slot (start, duration, daypart); per dispatch only the
// timestamp, placement id and webhook id are written. The result is byte for byte build_payload's.
class payload_source {
public:
    explicit payload_source(const core::channel_templates& templates) : templates_(templates) {}

    // The body for d, or nullopt when its message is not approved or its outlet is gone (the
    // caller cancels the dispatch then). `shared_tail` (when given) receives how many bytes at the
    // body's end are the same for every dispatch of this slot (all but the timestamp, placement id
    // and webhook id: core::attempt_record::shared_tail).
    [[nodiscard]] std::optional<std::string> body_for(core::database& db, const core::claimed_dispatch& d,
                                                      core::ms_time now, std::size_t* shared_tail = nullptr);
    void clear() {
        campaigns_.clear();
        messages_.clear();
        parts_.clear();
    }
    // Forgets the approved contents (and the bodies' parts built from them) only; the campaigns stay.
    void forget_messages() {
        messages_.clear();
        parts_.clear();
    }

private:
    struct approved_content {
        std::optional<core::message> message;  // nullopt: not approved (or gone)
        int version = 0;
    };
    struct body_parts {
        const date::time_zone* zone = nullptr;
        core::channel_context context;
        std::string fixed;  // "campaign":{…},"message":{…},"outlet":{…}
        // (start, duration_s, daypart) → "slot":{…},"content":[…]
        std::map<std::tuple<std::chrono::sys_seconds, int, std::string>, std::string> slots;
    };
    static constexpr std::size_t max_slots_kept = 4096;  // per part, so a huge batch stays bounded
    const core::channel_templates& templates_;
    std::map<std::string, std::optional<core::campaign>, std::less<>> campaigns_;
    std::map<std::pair<std::string, std::string>, approved_content> messages_;  // (campaign, code)
    std::map<std::tuple<std::string, std::string, std::string>, body_parts> parts_;  // (campaign, code, outlet)
};

}  // namespace loa::scheduler::dispatch
