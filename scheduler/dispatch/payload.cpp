// The webhook body of a placement falling due: Boost.JSON objects built in a fixed key order, the
// content rendered per language by the channel templates with the placement's outlet and slot.
#include "scheduler/dispatch/payload.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <vector>

#include <date/date.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::dispatch {
namespace {

namespace json = boost::json;

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

// The parts of a body that depend only on the campaign, the message and the outlet:
//   "campaign":{…},"message":{…},"outlet":{…}
// (the members of "data" between "webhook_id" and "slot", without the surrounding commas).
std::string fixed_members(const payload_inputs& in) {
    const core::outlet& o = in.outlet;
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

    std::string out = "\"campaign\":";
    out += json::serialize(campaign);
    out += ",\"message\":";
    out += json::serialize(message);
    out += ",\"outlet\":";
    out += json::serialize(outlet);
    return out;
}

// The parts that depend on the slot too: "slot":{…},"content":[…].
std::string slot_members(const core::channel_templates& templates, const payload_inputs& in,
                         const core::channel_context& ctx, const date::time_zone* zone) {
    const core::outlet& o = in.outlet;
    const core::claimed_dispatch& d = in.dispatch;
    const std::string& channel = o.kind;
    json::object slot;
    slot.emplace("start", core::format_iso8601(d.start, zone));
    slot.emplace("start_utc", core::iso_utc(d.start));
    slot.emplace("duration_s", d.duration_s);
    if (d.daypart.empty())
        slot.emplace("daypart", nullptr);
    else
        slot.emplace("daypart", d.daypart);

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
    std::string out = "\"slot\":";
    out += json::serialize(slot);
    out += ",\"content\":";
    out += json::serialize(content);
    return out;
}

// The zone of the outlet, after checking that its channel has a template.
const date::time_zone* checked_zone(const core::channel_templates& templates, const core::outlet& o) {
    if (!templates.has(o.kind))
        throw std::runtime_error("no channel template for '" + o.kind + "' (outlet " + o.slug + ")");
    const date::time_zone* zone = core::find_zone(o.time_zone);
    if (zone == nullptr)
        throw std::runtime_error("unknown time zone '" + o.time_zone + "' of outlet " + o.slug);
    return zone;
}

// The whole body from its parts: what json::serialize gives for the documented object, key order
// included (Boost.JSON writes no whitespace).
std::string assemble(const core::claimed_dispatch& d, core::ms_time now, std::string_view fixed,
                     std::string_view slot_and_content) {
    std::string out;
    out.reserve(fixed.size() + slot_and_content.size() + d.webhook_id.size() + 128);
    out += "{\"type\":\"placement.due\",\"timestamp\":\"";
    out += core::iso_utc(std::chrono::floor<std::chrono::seconds>(now));
    out += "\",\"data\":{\"placement_id\":";
    out += std::to_string(d.placement_id);
    out += ",\"webhook_id\":";
    out += json::serialize(json::string_view(d.webhook_id));
    out += ',';
    out += fixed;
    out += ',';
    out += slot_and_content;
    out += "}}";
    return out;
}

}  // namespace

std::string build_payload(const core::channel_templates& templates, const payload_inputs& in,
                          core::ms_time now) {
    const date::time_zone* zone = checked_zone(templates, in.outlet);
    const core::channel_context ctx = core::channel_context_of(in.campaign);
    return assemble(in.dispatch, now, fixed_members(in), slot_members(templates, in, ctx, zone));
}

std::optional<std::string> payload_source::body_for(core::database& db, const core::claimed_dispatch& d,
                                                    core::ms_time now, std::size_t* shared_tail) {
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

    // What depends only on (campaign, message, outlet) is built once per batch; what depends on
    // the slot too once per distinct slot (start, duration, daypart); per dispatch only the
    // timestamp, the placement id and the webhook id are written.
    const payload_inputs in{*c, *known->second.message, known->second.version, *o, d};
    auto parts_key = std::make_tuple(d.campaign, d.message, d.outlet);
    auto parts = parts_.find(parts_key);
    if (parts == parts_.end()) {
        body_parts p;
        p.zone = checked_zone(templates_, *o);
        p.context = core::channel_context_of(*c);
        p.fixed = fixed_members(in);
        parts = parts_.emplace(std::move(parts_key), std::move(p)).first;
    }
    body_parts& p = parts->second;
    auto slot_key = std::make_tuple(d.start, d.duration_s, d.daypart);
    auto slot = p.slots.find(slot_key);
    if (slot == p.slots.end()) {
        if (p.slots.size() >= max_slots_kept) p.slots.clear();
        slot = p.slots.emplace(std::move(slot_key), slot_members(templates_, in, p.context, p.zone)).first;
    }
    // assemble's last bytes: ',' fixed ',' slot_and_content "}}".
    if (shared_tail != nullptr) *shared_tail = p.fixed.size() + slot->second.size() + 4;
    return assemble(d, now, p.fixed, slot->second);
}

}  // namespace loa::scheduler::dispatch
