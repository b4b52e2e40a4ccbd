// The webhook body of a placement falling due: Boost.JSON objects built in a fixed key order, the
// content rendered per language by the channel templates with the placement's outlet and slot.
#include "scheduler/dispatch/payload.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::dispatch {
namespace {

namespace json = boost::json;

// "2024-07-29T12:00:00Z": whole seconds, UTC.
std::string utc_iso8601(std::chrono::sys_seconds t) {
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> tod{t - day};
    std::array<char, 32> buf{};
    const int n =
        std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                      static_cast<int>(tod.seconds().count()));
    return {buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

// {"vi": …, "en": …}; an untranslated English falls back to the Vietnamese.
json::object localized_json(const core::localized& text) {
    json::object o;
    o.emplace("vi", text.vi);
    o.emplace("en", text.in("en"));
    return o;
}

// The outlet's languages in its order, each once; Vietnamese when it names none.
std::vector<std::string> languages_of(const core::outlet& o) {
    std::vector<std::string> out;
    for (const std::string& lang : o.languages) {
        if (std::find(out.begin(), out.end(), lang) == out.end()) out.push_back(lang);
    }
    if (out.empty()) out.emplace_back("vi");
    return out;
}

}  // namespace

std::string build_payload(const core::channel_templates& templates, const payload_inputs& in,
                          core::ms_time now) {
    const core::outlet& o = in.outlet;
    const core::claimed_dispatch& d = in.dispatch;
    const std::string& channel = o.kind;
    if (!templates.has(channel))
        throw std::runtime_error("no channel template for '" + channel + "' (outlet " + o.slug + ")");
    const date::time_zone* zone = core::find_zone(o.time_zone);
    if (zone == nullptr)
        throw std::runtime_error("unknown time zone '" + o.time_zone + "' of outlet " + o.slug);

    json::object campaign;
    campaign.emplace("slug", in.campaign.slug);
    campaign.emplace("title", localized_json(in.campaign.title));

    json::object message;
    message.emplace("code", in.message.id);
    message.emplace("version", in.message_version);
    message.emplace("department", in.message.department);
    message.emplace("priority", in.message.priority);
    message.emplace("duration_s", in.message.duration_s);

    json::object outlet;
    outlet.emplace("slug", o.slug);
    outlet.emplace("name", localized_json(o.name));
    outlet.emplace("kind", o.kind);
    outlet.emplace("time_zone", o.time_zone);

    json::object slot;
    slot.emplace("start", core::format_iso8601(d.start, zone));
    slot.emplace("start_utc", utc_iso8601(d.start));
    slot.emplace("duration_s", d.duration_s);
    if (d.daypart.empty())
        slot.emplace("daypart", nullptr);
    else
        slot.emplace("daypart", d.daypart);

    const core::channel_context ctx = core::channel_context_of(in.campaign);
    const core::slot_context at = core::slot_context_of(o, d.start, d.duration_s, d.daypart);
    json::array content;
    for (const std::string& lang : languages_of(o)) {
        auto text = templates.render(channel, in.message, ctx, lang, at);
        if (!text) throw std::runtime_error("no channel template for '" + channel + "'");
        json::object entry;
        entry.emplace("lang", lang);
        entry.emplace("channel", channel);
        entry.emplace("text", std::move(*text));
        content.emplace_back(std::move(entry));
    }

    json::object data;
    data.emplace("placement_id", d.placement_id);
    data.emplace("webhook_id", d.webhook_id);
    data.emplace("campaign", std::move(campaign));
    data.emplace("message", std::move(message));
    data.emplace("outlet", std::move(outlet));
    data.emplace("slot", std::move(slot));
    data.emplace("content", std::move(content));

    json::object root;
    root.emplace("type", "placement.due");
    root.emplace("timestamp", utc_iso8601(std::chrono::floor<std::chrono::seconds>(now)));
    root.emplace("data", std::move(data));
    return json::serialize(root);
}

std::optional<std::string> payload_source::body_for(core::database& db, const core::claimed_dispatch& d,
                                                    core::ms_time now) {
    auto cached = campaigns_.find(d.campaign);
    if (cached == campaigns_.end())
        cached = campaigns_.emplace(d.campaign, core::load_campaign(db, d.campaign)).first;
    const std::optional<core::campaign>& c = cached->second;
    if (!c) return std::nullopt;  // the campaign is gone

    const auto o = std::find_if(c->outlets.begin(), c->outlets.end(),
                                [&](const core::outlet& x) { return x.slug == d.outlet; });
    if (o == c->outlets.end()) return std::nullopt;  // the outlet is gone (archived)

    // The approved content (never the campaign's current copy, which may be a later edit) and the
    // version an approver approved (0: approved in the file), read once per batch.
    auto key = std::make_pair(d.campaign, d.message);
    auto known = messages_.find(key);
    if (known == messages_.end()) {
        approved_content a;
        a.message = core::approved_message(db, d.campaign, d.message);
        if (a.message) {
            const std::optional<core::stored_message> stored = core::find_message(db, d.campaign, d.message);
            if (stored) a.version = stored->approved_version.value_or(0);
            else a.message.reset();
        }
        known = messages_.emplace(std::move(key), std::move(a)).first;
    }
    if (!known->second.message) return std::nullopt;

    const payload_inputs in{*c, *known->second.message, known->second.version, *o, d};
    return build_payload(templates_, in, now);
}

}  // namespace loa::scheduler::dispatch
