// The dispatch log's surfaces, pure part: query parameters, the API's JSON, and the page data of
// dispatch.mustache and dispatch_detail.mustache.
#include "server/handlers/dispatch_pages.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <optional>

#include <date/date.h>
#include <date/tz.h>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"
#include "server/app/permissions.hpp"

namespace loa::handlers {
namespace {

namespace json = boost::json;

// The longest target name or campaign slug a filter takes (both are short keys).
constexpr std::size_t max_filter_bytes = 200;

// A whole number in [low, high] written in plain digits; nullopt otherwise.
std::optional<long long> whole_number(std::string_view text, long long low, long long high) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    for (const char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < low || v > high) return std::nullopt;
    return v;
}

bool known_state(std::string_view s) {
    return std::find(std::begin(core::dispatch_states), std::end(core::dispatch_states), s) !=
           std::end(core::dispatch_states);
}

std::string state_list() {
    std::string out;
    for (const char* s : core::dispatch_states) {
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}

json::value optional_number(const std::optional<int>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value optional_text(const std::string& s) {
    return s.empty() ? json::value(nullptr) : json::value(s);
}

bool waits(std::string_view state) {
    return state == "pending" || state == "retrying";
}

// ---- Names ----------------------------------------------------------------------------------------

const campaign_names* campaign_of(const dispatch_names& n, const std::string& slug) {
    const auto it = n.find(slug);
    return it == n.end() ? nullptr : &it->second;
}

std::string campaign_title(const dispatch_names& n, const std::string& slug, std::string_view lang) {
    const campaign_names* c = campaign_of(n, slug);
    return c == nullptr || c->title.in(lang).empty() ? slug : c->title.in(lang);
}

std::string message_title(const dispatch_names& n, const core::dispatch_row& r, std::string_view lang) {
    const campaign_names* c = campaign_of(n, r.campaign);
    if (c == nullptr) return r.message;
    const auto it = c->messages.find(r.message);
    return it == c->messages.end() || it->second.in(lang).empty() ? r.message : it->second.in(lang);
}

const outlet_names* outlet_of(const dispatch_names& n, const core::dispatch_row& r) {
    const campaign_names* c = campaign_of(n, r.campaign);
    if (c == nullptr) return nullptr;
    const auto it = c->outlets.find(r.outlet);
    return it == c->outlets.end() ? nullptr : &it->second;
}

std::string outlet_name(const dispatch_names& n, const core::dispatch_row& r, std::string_view lang) {
    const outlet_names* o = outlet_of(n, r);
    return o == nullptr || o->name.in(lang).empty() ? r.outlet : o->name.in(lang);
}

// The outlet's zone, or nullptr (UTC) when the outlet or its zone is unknown.
const date::time_zone* zone_of(const dispatch_names& n, const core::dispatch_row& r) {
    const outlet_names* o = outlet_of(n, r);
    return o == nullptr || o->time_zone.empty() ? nullptr : core::find_zone(o->time_zone);
}

// ---- Times on the pages -------------------------------------------------------------------------

core::sys_seconds seconds_of(core::ms_time t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

// "UTC+07:00" (or "UTC" in UTC itself).
std::string offset_label(core::sys_seconds t, const date::time_zone* zone) {
    if (zone == nullptr) return "UTC";
    const auto off = std::chrono::duration_cast<std::chrono::minutes>(zone->get_info(t).offset).count();
    if (off == 0) return "UTC";
    const long long a = off < 0 ? -off : off;
    std::string out = off < 0 ? "UTC-" : "UTC+";
    const auto two = [](long long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    out += two(a / 60) + ":" + two(a % 60);
    return out;
}

// {key} = "30/07/2024 19:00 UTC+07:00", {key}_iso = ISO 8601 with the offset.
void set_time(web::page_data& d, const std::string& key, core::sys_seconds t, const date::time_zone* zone,
              std::string_view lang) {
    d.set(key, web::format_datetime(t, zone, lang) + " " + offset_label(t, zone));
    d.set(key + "_iso", zone == nullptr ? utc_iso(t) : core::format_iso8601(t, zone));
}

std::string status_text(const std::optional<int>& status) {
    return status ? std::to_string(*status) : std::string();
}

// The kinds of address webhook_client.cpp refuses ("10.0.0.5 is a private address"), in words.
std::optional<std::string> address_kind_text(std::string_view kind, std::string_view lang) {
    static constexpr std::pair<std::string_view, std::string_view> kinds[] = {
        {"a private", "a private address"},
        {"a loopback", "a loopback address (this machine)"},
        {"a link-local", "a link-local address"},
        {"a multicast", "a multicast address"},
        {"the broadcast", "the broadcast address"},
        {"the unspecified", "the unspecified address"},
        {"a reserved (240.0.0.0/4)", "a reserved address (240.0.0.0/4)"},
        {"a \"this network\" (0.0.0.0/8)", "a “this network” address (0.0.0.0/8)"},
    };
    for (const auto& [stored, msgid] : kinds)
        if (kind == stored) return web::tr(lang, msgid);
    return std::nullopt;
}

// webhook_client.cpp's refusal of an address (loa's words, never sent anywhere):
// "refused WHERE: 10.0.0.5 is a private address, refused unless private addresses are allowed" or
// "refused WHERE: HOST resolves to 10.0.0.5, a private address, never a webhook target", and
// retry_policy's " (not retried)" after it.
std::optional<std::string> address_refusal_text(std::string_view e, std::string_view lang) {
    constexpr std::string_view head = "refused ";
    constexpr std::string_view tail = " (not retried)";
    if (!e.starts_with(head) || !e.ends_with(tail)) return std::nullopt;
    e = e.substr(head.size(), e.size() - head.size() - tail.size());
    const auto colon = e.find(": ");
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string where(e.substr(0, colon));
    std::string_view rest = e.substr(colon + 2);
    std::string host;
    std::string address;
    constexpr std::string_view resolves = " resolves to ";
    if (const auto r = rest.find(resolves); r != std::string_view::npos) {
        host = std::string(rest.substr(0, r));
        rest = rest.substr(r + resolves.size());
        const auto comma = rest.find(", ");
        if (comma == std::string_view::npos) return std::nullopt;
        address = std::string(rest.substr(0, comma));
        rest = rest.substr(comma + 2);
    } else {
        const auto is = rest.find(" is ");
        if (is == std::string_view::npos) return std::nullopt;
        address = std::string(rest.substr(0, is));
        rest = rest.substr(is + 4);
    }
    constexpr std::string_view never = " address, never a webhook target";
    constexpr std::string_view unless = " address, refused unless ";
    constexpr std::string_view allowed = " addresses are allowed";
    std::string kind;
    std::string why;
    if (rest.ends_with(never)) {
        kind = std::string(rest.substr(0, rest.size() - never.size()));
        why = web::tr(lang, "never a webhook target");
    } else if (const auto u = rest.find(unless); u != std::string_view::npos && rest.ends_with(allowed)) {
        kind = std::string(rest.substr(0, u));
        // The word the settings take ("link-local" is written link_local there).
        std::string allow(rest.substr(u + unless.size(), rest.size() - u - unless.size() - allowed.size()));
        std::replace(allow.begin(), allow.end(), '-', '_');
        why = web::tr(lang, "sent only when the server's settings allow them (dispatch_allow: {allow})",
                      {{"allow", allow}});
    } else {
        return std::nullopt;
    }
    const auto kind_text = address_kind_text(kind, lang);
    if (!kind_text) return std::nullopt;
    if (host.empty()) {
        return web::tr(lang, "Not sent to {where}: {address} is {kind}, {why}. Not retried.",
                       {{"where", where}, {"address", address}, {"kind", *kind_text}, {"why", why}});
    }
    return web::tr(lang, "Not sent to {where}: {host} resolves to {address}, {kind}, {why}. Not retried.",
                   {{"where", where}, {"host", host}, {"address", address}, {"kind", *kind_text}, {"why", why}});
}

}  // namespace

std::string dispatch_note_text(const std::string& error, std::string_view lang) {
    if (const auto target = core::missed_by_dispatcher_target(error))
        return web::tr(lang, "loa's dispatcher: not delivered to {target} within its grace period", {{"target", *target}});
    if (const auto grace_s = core::missed_error_grace(error)) {
        // In the page's words, in the unit the stored note used.
        const core::grace_amount g = core::grace_in_units(*grace_s);
        const char* msgid = g.unit == "h" ? "{n} h" : g.unit == "min" ? "{n} min" : "{n} s";
        const std::string grace = web::tr(lang, msgid, {{"n", std::to_string(g.n)}});
        return web::tr(
            lang, "Not delivered within its grace period ({grace}): loa was down or the queue fell behind.",
            {{"grace", grace}});
    }
    if (error == "target removed") return web::tr(lang, "The target was removed.");
    constexpr std::string_view removed_prefix = "target removed; last attempt: ";
    if (error.starts_with(removed_prefix))
        return web::tr(lang, "The target was removed; last attempt: {error}",
                       {{"error", error.substr(removed_prefix.size())}});
    constexpr std::string_view edited_prefix = "message no longer approved: edited to version ";
    if (error.starts_with(edited_prefix))
        return web::tr(lang, "The message is no longer approved: edited to version {version}.",
                       {{"version", error.substr(edited_prefix.size())}});
    if (error == "message no longer approved, or its outlet is gone")
        return web::tr(lang, "The message is no longer approved, or its outlet is gone.");
    // The runner could not build the body: the outlet's zone is unknown here (message_renderer.cpp),
    // else what it says stays as it is.
    constexpr std::string_view unbuilt = "body not built: ";
    constexpr std::string_view zone_head = "unknown time zone '";
    constexpr std::string_view zone_tail = "' of the outlet";
    if (error.starts_with(unbuilt)) {
        const std::string_view what = std::string_view(error).substr(unbuilt.size());
        if (what.starts_with(zone_head) && what.ends_with(zone_tail) && what.size() > zone_head.size() + zone_tail.size())
            return web::tr(lang, "Not sent: this server's time zone database does not know the outlet's zone {zone}.",
                           {{"zone", std::string(what.substr(zone_head.size(),
                                                             what.size() - zone_head.size() - zone_tail.size()))}});
        return web::tr(lang, "Not sent: the webhook body could not be built ({what}).", {{"what", std::string(what)}});
    }
    if (auto refused = address_refusal_text(error, lang)) return std::move(*refused);
    // The retry policy's decisions (scheduler/dispatch/retry_policy.cpp): the answer as it came
    // ("HTTP 500", a network error), then loa's words about it.
    constexpr std::string_view gone_suffix = " Gone: the receiver asked for no more webhooks; target disabled";
    if (error.ends_with(gone_suffix) && error.size() > gone_suffix.size())
        return web::tr(lang, "{answer} Gone: the receiver asked for no more webhooks; the target is disabled.",
                       {{"answer", error.substr(0, error.size() - gone_suffix.size())}});
    constexpr std::string_view refused_suffix = ": the receiver refuses this webhook; retrying would send the same";
    if (error.ends_with(refused_suffix) && error.size() > refused_suffix.size())
        return web::tr(lang, "{answer}: the receiver refuses this webhook; retrying would send the same.",
                       {{"answer", error.substr(0, error.size() - refused_suffix.size())}});
    const auto duration = [&](std::string d) {
        // human() in retry_policy.cpp: "850 ms", "4.7 s", "12 min", "1.5 h", "3 days"; Vietnamese
        // writes a decimal comma.
        if (lang == "vi") std::replace(d.begin(), d.end(), '.', ',');
        if (d.ends_with(" days")) return web::tr(lang, "{n} days", {{"n", d.substr(0, d.size() - 5)}});
        return d;
    };
    constexpr std::string_view retry_mid = ", retry in ";
    constexpr std::string_view window_mid = "; retry window of ";
    constexpr std::string_view window_end = " over";
    if (const auto at = error.rfind(window_mid);
        at != std::string::npos && at > 0 && error.ends_with(window_end) &&
        error.size() > at + window_mid.size() + window_end.size())
        // The delay it would have waited is moot: no retry follows.
        return web::tr(lang, "{answer}; the retry window of {window} is over.",
                       {{"answer", error.substr(0, std::min(at, error.rfind(retry_mid, at)))},
                        {"window", duration(error.substr(at + window_mid.size(),
                                                         error.size() - at - window_mid.size() - window_end.size()))}});
    if (const auto at = error.rfind(retry_mid);
        at != std::string::npos && at > 0 && error.find(';', at) == std::string::npos &&
        error.size() > at + retry_mid.size())
        return web::tr(lang, "{answer}, retried in {delay}",
                       {{"answer", error.substr(0, at)}, {"delay", duration(error.substr(at + retry_mid.size()))}});
    return error;
}

namespace {

// The reason the store gives a target a 410 disabled ("410 Gone from <url> at 2024-07-30T05:00:00Z",
// core/storage/dispatch_store.cpp) said in the page's language, its time shown as the page shows
// times; any other reason (an operator's own, from `loa target disable`) stays as it was written.
std::string disabled_reason_text(const std::string& reason, const date::time_zone* zone,
                                 std::string_view lang) {
    constexpr std::string_view from = " from ";
    constexpr std::string_view at = " at ";
    const auto from_pos = reason.find(from);
    const auto at_pos = reason.rfind(at);
    if (from_pos == std::string::npos || at_pos == std::string::npos || at_pos <= from_pos + from.size())
        return reason;
    const std::string answer = reason.substr(0, from_pos);
    const bool gone = answer == "gone" || (answer.size() == 8 && answer.ends_with(" Gone") &&
                                           whole_number(answer.substr(0, 3), 100, 599).has_value());
    const std::string when = reason.substr(at_pos + at.size());
    // Only the store's own form: seconds and Z, nothing after.
    const auto t =
        when.size() == 20 && when.back() == 'Z' ? core::parse_iso8601(when, nullptr) : std::nullopt;
    if (!gone || !t) return reason;
    return web::tr(lang, "The receiver at {url} answered {answer} on {time}: nothing more is sent to it.",
                   {{"url", reason.substr(from_pos + from.size(), at_pos - from_pos - from.size())},
                    {"answer", answer == "gone" ? std::string("Gone") : answer},
                    {"time", web::format_datetime(*t, zone, lang) + " " + offset_label(*t, zone)}});
}

// The zone of the summary's times, which belong to no outlet: the campaigns' (the first one's when
// they differ; in practice they are all Hai Phong's), as on the audit log; UTC without a campaign.
const date::time_zone* summary_zone(const std::vector<core::campaign_summary>& campaigns) {
    for (const auto& c : campaigns)
        if (const date::time_zone* zone = core::find_zone(c.time_zone)) return zone;
    return nullptr;
}

std::string outcome_label(std::string_view outcome, std::string_view lang) {
    if (outcome == "delivered") return web::tr(lang, "Delivered");
    if (outcome == "retry") return web::tr(lang, "Will be retried");
    if (outcome == "dead") return web::tr(lang, "Given up");
    if (outcome == "disabled") return web::tr(lang, "Target disabled (410 Gone)");
    if (outcome == "lease_expired") return web::tr(lang, "Interrupted (loa stopped during the attempt)");
    return std::string(outcome);
}

// The badge's modifier: alarming states on the accent colour, the others muted. Words always show.
bool alarming(std::string_view state) {
    return state == "dead" || state == "missed" || state == "retrying";
}

// The common row fields of the table and of the detail page.
void set_row(web::page_data& d, const core::dispatch_row& r, const dispatch_names& n, std::string_view lang) {
    const date::time_zone* zone = zone_of(n, r);
    d.set("id", std::to_string(r.id));
    d.set("href", "/dispatch/" + std::to_string(r.id));
    d.set("webhook_id", r.webhook_id);
    d.set("state", r.state);
    d.set("state_label", dispatch_state_label(r.state, lang));
    d.set("state_alarming", alarming(r.state));
    d.set("campaign", campaign_title(n, r.campaign, lang));
    d.set("campaign_slug", r.campaign);
    d.set("message", message_title(n, r, lang));
    d.set("message_code", r.message);
    d.set("outlet", outlet_name(n, r, lang));
    d.set("outlet_slug", r.outlet);
    d.set("target", r.target);
    set_time(d, "start", r.start, zone, lang);
    set_time(d, "due", seconds_of(r.due), zone, lang);
    d.set("attempts", web::format_integer(r.attempts, lang));
    const bool has_next = waits(r.state);
    d.set("has_next_attempt", has_next);
    if (has_next) {
        set_time(d, "next_attempt", seconds_of(r.next_attempt), zone, lang);
    } else {
        d.set("next_attempt", std::string("—"));
        d.set("next_attempt_iso", std::string());
    }
    d.set("has_delivered", r.delivered.has_value());
    if (r.delivered) {
        set_time(d, "delivered", seconds_of(*r.delivered), zone, lang);
    } else {
        d.set("delivered", std::string());
        d.set("delivered_iso", std::string());
    }
    d.set("has_last_status", r.last_status.has_value());
    d.set("last_status", status_text(r.last_status));
    d.set("has_last_error", !r.last_error.empty());
    d.set("last_error", dispatch_note_text(r.last_error, lang));
    d.set("has_last", r.last_status.has_value() || !r.last_error.empty());
}

// /dispatch with the filter and the given offset (the limit only when not the page default).
std::string log_href(const core::dispatch_filter& f, int offset) {
    std::string q;
    const auto add = [&q](std::string_view name, const std::string& value) {
        q += q.empty() ? "?" : "&";
        q += std::string(name) + "=" + web::url_encode(value);
    };
    if (!f.state.empty()) add("state", f.state);
    if (!f.target.empty()) add("target", f.target);
    if (!f.campaign.empty()) add("campaign", f.campaign);
    if (f.limit != dispatch_page_size) add("limit", std::to_string(f.limit));
    if (offset > 0) add("offset", std::to_string(offset));
    return "/dispatch" + q;
}

web::page_data option(const std::string& value, const std::string& label, bool selected) {
    web::page_data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", selected);
    return o;
}

std::string done_text(std::string_view done, std::string_view lang) {
    if (done == "retried") return web::tr(lang, "The dispatch will be attempted now.");
    if (done == "requeued") return web::tr(lang, "The dispatch is back in the queue, due now.");
    if (done == "refused")
        return web::tr(lang, "Nothing was changed: the dispatch's state no longer allows this.");
    if (done == "target_disabled")
        return web::tr(lang, "Nothing was changed: the dispatch's target is disabled. Enable it first.");
    return {};
}

}  // namespace

// ---- Parameters -------------------------------------------------------------------------------------

dispatch_query parse_dispatch_query(const std::vector<std::pair<std::string, std::string>>& query,
                                    int default_limit, query_names names) {
    dispatch_query out;
    out.filter.limit = default_limit;
    std::vector<std::string> seen;
    std::vector<std::string> repeated;
    for (const auto& [name, value] : query) {
        const std::size_t errors_before = out.errors.size();
        const bool known =
            name == "state" || name == "target" || name == "campaign" || name == "limit" || name == "offset";
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            // One complaint per name, however often it is repeated.
            if (names == query_names::strict && known &&
                std::find(repeated.begin(), repeated.end(), name) == repeated.end()) {
                repeated.push_back(name);
                out.errors.push_back({name, "given more than once."});
                if (!out.first_error) out.first_error = dispatch_query_error{name, value};
            }
            continue;
        }
        seen.push_back(name);
        if (!known) {
            if (names == query_names::strict) {
                out.errors.push_back(
                    {name,
                     "unknown parameter (this resource takes state, target, campaign, limit and offset)."});
                if (!out.first_error) out.first_error = dispatch_query_error{name, value};
            }
            continue;
        }
        if (name == "state") {
            if (value.empty() || known_state(value)) {
                out.filter.state = value;
            } else {
                out.errors.push_back(
                    {"state", "'" + value + "' is not a dispatch state (" + state_list() + ")."});
            }
        } else if (name == "target" || name == "campaign") {
            if (value.size() > max_filter_bytes) {
                out.errors.push_back({name, "longer than " + std::to_string(max_filter_bytes) + " bytes."});
            } else {
                (name == "target" ? out.filter.target : out.filter.campaign) = value;
            }
        } else if (name == "limit") {
            if (value.empty()) continue;
            if (const auto v = whole_number(value, 1, dispatch_max_limit)) {
                out.filter.limit = static_cast<int>(*v);
            } else {
                out.errors.push_back({"limit", "'" + value + "' is not a whole number from 1 to " +
                                                   std::to_string(dispatch_max_limit) + "."});
            }
        } else if (name == "offset") {
            if (value.empty()) continue;
            if (const auto v = whole_number(value, 0, std::numeric_limits<int>::max())) {
                out.filter.offset = static_cast<int>(*v);
            } else {
                out.errors.push_back({"offset", "'" + value + "' is not a whole number of 0 or more."});
            }
        }
        if (out.errors.size() > errors_before && !out.first_error)
            out.first_error = dispatch_query_error{name, value};
    }
    return out;
}

std::string dispatch_query_error_text(const dispatch_query_error& e, std::string_view lang) {
    const std::vector<std::pair<std::string, std::string>> args{
        {"parameter", e.parameter},
        {"value", e.value},
        {"states", state_list()},
        {"max",
         std::to_string(e.parameter == "limit" ? dispatch_max_limit : static_cast<int>(max_filter_bytes))}};
    if (e.parameter == "state")
        return web::tr(
            lang,
            "The state “{value}” is unknown: give state as one of {states}, or choose one from the filter.",
            args);
    if (e.parameter == "target" || e.parameter == "campaign")
        return web::tr(
            lang, "The value of {parameter} is longer than {max} bytes: choose one from the filter.", args);
    if (e.parameter == "limit")
        return web::tr(lang, "The limit “{value}” is not a whole number from 1 to {max}.", args);
    if (e.parameter == "offset")
        return web::tr(lang, "The offset “{value}” is not a whole number of 0 or more.", args);
    return {};
}

std::optional<std::int64_t> parse_dispatch_id(std::string_view text) {
    const auto v = whole_number(text, 1, std::numeric_limits<long long>::max());
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
}

bool may_retry(std::string_view state) {
    return state == "pending" || state == "retrying";
}

bool may_requeue(std::string_view state) {
    return state == "dead" || state == "missed" || state == "cancelled";
}

// ---- JSON ---------------------------------------------------------------------------------------------

std::string utc_iso(core::ms_time t) {
    return core::iso_utc_ms(t);
}

std::string utc_iso(std::chrono::sys_seconds t) {
    return core::iso_utc(t);
}

json::object dispatch_json(const core::dispatch_row& r) {
    json::object o;
    o["id"] = r.id;
    o["webhook_id"] = r.webhook_id;
    o["state"] = r.state;
    o["target"] = r.target;
    o["campaign"] = r.campaign;
    o["message"] = r.message;
    o["outlet"] = r.outlet;
    o["start"] = utc_iso(r.start);
    o["due"] = utc_iso(r.due);
    o["next_attempt"] = waits(r.state) ? json::value(utc_iso(r.next_attempt)) : json::value(nullptr);
    o["delivered"] = r.delivered ? json::value(utc_iso(*r.delivered)) : json::value(nullptr);
    o["attempts"] = r.attempts;
    o["last_status"] = optional_number(r.last_status);
    o["last_error"] = optional_text(r.last_error);
    return o;
}

json::object dispatch_detail_json(const core::dispatch_row& r,
                                  const std::vector<core::attempt_row>& attempts) {
    json::object o = dispatch_json(r);
    json::array log;
    for (const auto& a : attempts) {
        json::object e;
        e["attempt"] = a.attempt;
        e["started"] = utc_iso(a.started);
        e["finished"] = utc_iso(a.finished);
        e["status"] = optional_number(a.status);
        e["outcome"] = a.outcome;
        e["error"] = optional_text(a.error);
        log.emplace_back(std::move(e));
    }
    o["attempt_log"] = std::move(log);
    return o;
}

json::object dispatch_list_json(const std::vector<core::dispatch_row>& rows, const core::dispatch_filter& f,
                                bool has_more) {
    json::array list;
    for (const auto& r : rows) list.emplace_back(dispatch_json(r));
    json::object filter;
    filter["state"] = optional_text(f.state);
    filter["target"] = optional_text(f.target);
    filter["campaign"] = optional_text(f.campaign);
    json::object o;
    o["dispatches"] = std::move(list);
    o["filter"] = std::move(filter);
    o["limit"] = f.limit;
    o["offset"] = f.offset;
    o["next_offset"] =
        has_more ? json::value(static_cast<std::int64_t>(f.offset) + f.limit) : json::value(nullptr);
    return o;
}

// ---- Names ----------------------------------------------------------------------------------------------

campaign_names names_of(const core::campaign& c) {
    campaign_names n;
    n.title = c.title;
    for (const auto& o : c.outlets) n.outlets[o.slug] = outlet_names{o.name, o.time_zone};
    for (const auto& m : c.messages) n.messages[m.id] = m.title;
    return n;
}

std::string dispatch_state_label(std::string_view state, std::string_view lang) {
    if (state == "pending") return web::tr(lang, "Waiting");
    if (state == "in_flight") return web::tr(lang, "Sending");
    if (state == "delivered") return web::tr(lang, "Delivered");
    if (state == "retrying") return web::tr(lang, "Retrying");
    if (state == "dead") return web::tr(lang, "Failed");
    if (state == "missed") return web::tr(lang, "Missed");
    if (state == "cancelled") return web::tr(lang, "Cancelled");
    return std::string(state);
}

// ---- Pages ------------------------------------------------------------------------------------------------

web::page_data dispatch_log_data(const dispatch_log_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    web::page_data d;
    d.set("title", web::tr(lang, "Dispatch log"));

    // The summary: every state with its count (a link to the log filtered by it).
    web::page_list states;
    std::int64_t total = 0;
    for (const auto& [state, count] : v.status.by_state) {
        web::page_data s;
        s.set("state", state);
        s.set("label", dispatch_state_label(state, lang));
        s.set("count", web::format_integer(count, lang));
        s.set("alarming", alarming(state) && count > 0);
        core::dispatch_filter only;
        only.state = state;
        only.limit = dispatch_page_size;
        s.set("href", log_href(only, 0));
        states.push_back(s);
        total += count;
    }
    d.set("states", states);
    d.set("total", web::format_integer(total, lang));
    d.set("due_now", web::format_integer(v.status.due_now, lang));
    d.set("has_oldest_due", v.status.oldest_due.has_value());
    const date::time_zone* zone = summary_zone(v.campaigns);
    if (v.status.oldest_due) set_time(d, "oldest_due", seconds_of(*v.status.oldest_due), zone, lang);
    d.set("targets_count", web::format_integer(v.status.targets, lang));
    d.set("targets_disabled_count", web::format_integer(v.status.targets_disabled, lang));
    web::page_list disabled;
    for (const auto& t : v.targets) {
        if (t.enabled) continue;
        web::page_data item;
        item.set("name", t.name);
        item.set("has_reason", !t.disabled_reason.empty());
        item.set("reason", disabled_reason_text(t.disabled_reason, zone, lang));
        disabled.push_back(item);
    }
    d.set("disabled_targets", disabled);
    d.set("has_disabled_targets", !disabled.empty());
    d.set("has_targets", v.status.targets > 0);

    // The filter form, with the current choices selected (a value no longer offered stays offered).
    web::page_list state_options;
    state_options.push_back(option("", web::tr(lang, "Any state"), v.filter.state.empty()));
    for (const char* s : core::dispatch_states)
        state_options.push_back(option(s, dispatch_state_label(s, lang), v.filter.state == s));
    d.set("state_options", state_options);
    web::page_list target_options;
    target_options.push_back(option("", web::tr(lang, "Any target"), v.filter.target.empty()));
    bool target_listed = v.filter.target.empty();
    for (const auto& t : v.targets) {
        target_options.push_back(option(t.name, t.name, v.filter.target == t.name));
        target_listed = target_listed || v.filter.target == t.name;
    }
    if (!target_listed) target_options.push_back(option(v.filter.target, v.filter.target, true));
    d.set("target_options", target_options);
    web::page_list campaign_options;
    campaign_options.push_back(option("", web::tr(lang, "Any campaign"), v.filter.campaign.empty()));
    bool campaign_listed = v.filter.campaign.empty();
    for (const auto& c : v.campaigns) {
        const std::string label = c.title.in(lang).empty() ? c.slug : c.title.in(lang);
        campaign_options.push_back(option(c.slug, label, v.filter.campaign == c.slug));
        campaign_listed = campaign_listed || v.filter.campaign == c.slug;
    }
    if (!campaign_listed) campaign_options.push_back(option(v.filter.campaign, v.filter.campaign, true));
    d.set("campaign_options", campaign_options);
    d.set("limit", std::to_string(v.filter.limit));
    d.set("has_custom_limit", v.filter.limit != dispatch_page_size);
    d.set("filtered", !v.filter.state.empty() || !v.filter.target.empty() || !v.filter.campaign.empty());

    // The table.
    web::page_list rows;
    for (const auto& r : v.rows) {
        web::page_data item;
        set_row(item, r, v.names, lang);
        rows.push_back(item);
    }
    d.set("rows", rows);
    d.set("has_rows", !rows.empty());
    if (!v.rows.empty()) {
        d.set("first", web::format_integer(static_cast<long long>(v.filter.offset) + 1, lang));
        d.set("last",
              web::format_integer(
                  static_cast<long long>(v.filter.offset) + static_cast<long long>(v.rows.size()), lang));
    }

    // Paging.
    const bool has_prev = v.filter.offset > 0;
    d.set("has_prev", has_prev);
    d.set("has_next", v.has_more);
    d.set("has_paging", has_prev || v.has_more);
    if (has_prev) d.set("prev_href", log_href(v.filter, std::max(0, v.filter.offset - v.filter.limit)));
    if (v.has_more) d.set("next_href", log_href(v.filter, v.filter.offset + v.filter.limit));
    return d;
}

web::page_data dispatch_detail_data(const dispatch_detail_view& v, const http::request& req) {
    const std::string& lang = req.lang;
    const core::dispatch_row& r = v.row;
    web::page_data d;
    d.set("title", web::tr(lang, "Dispatch {id}", {{"id", std::to_string(r.id)}}));
    set_row(d, r, v.names, lang);
    d.set("zone", [&] {
        const outlet_names* o = outlet_of(v.names, r);
        return o == nullptr || o->time_zone.empty() ? std::string("UTC") : o->time_zone;
    }());
    web::set_optional(d, "flash", done_text(v.done, lang));
    d.set("flash_refused", v.done == "refused");

    // The buttons: approvers only (the routes refuse anyone else), each where the state allows it.
    const bool approver = app::allows(http::access::approver, req.user);
    // A disabled target's dispatch gets no button (the store refuses both), but the way out.
    const bool sendable = !v.target_disabled;
    const bool actionable = approver && (may_retry(r.state) || may_requeue(r.state));
    const date::time_zone* zone = zone_of(v.names, r);
    d.set("can_retry", approver && sendable && may_retry(r.state));
    d.set("can_requeue", approver && sendable && may_requeue(r.state));
    d.set("has_actions", actionable);
    d.set("target_disabled", actionable && !sendable);
    if (actionable && !sendable)
        d.set("target_disabled_text",
              web::tr(lang, "Its target {target} is disabled: nothing is sent to it. Enable it first (loa target enable --name {target}).",
                      {{"target", r.target}}));
    d.set("retry_action", "/dispatch/" + std::to_string(r.id) + "/retry");
    d.set("requeue_action", "/dispatch/" + std::to_string(r.id) + "/requeue");
    // Requeued after its slot began, the message reaches the receiver late: the slot cannot be
    // aired any more, and the placement stays as it is (a missed one may get a make-good).
    if (approver && sendable && may_requeue(r.state) && v.now && *v.now >= r.start) {
        d.set("requeue_late", true);
        d.set("requeue_late_text",
              web::tr(lang,
                      // One literal: the catalog test reads msgids as written.
                      "Its slot ({time}) has already begun: requeued now, it reaches the receiver late and cannot air in that slot. A missed placement may already have a make-good from the planner.",
                      {{"time", web::format_datetime(r.start, zone, lang) + " " + offset_label(r.start, zone)}}));
    }

    web::page_list attempts;
    for (const auto& a : v.attempts) {
        web::page_data item;
        item.set("attempt", web::format_integer(a.attempt, lang));
        set_time(item, "started", seconds_of(a.started), zone, lang);
        set_time(item, "finished", seconds_of(a.finished), zone, lang);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(a.finished - a.started).count();
        item.set("took", web::format_integer(ms, lang) + " ms");
        item.set("has_status", a.status.has_value());
        item.set("status", status_text(a.status));
        item.set("outcome", a.outcome);
        item.set("outcome_label", outcome_label(a.outcome, lang));
        item.set("has_error", !a.error.empty());
        item.set("error", dispatch_note_text(a.error, lang));
        attempts.push_back(item);
    }
    d.set("attempt_rows", attempts);
    d.set("has_attempt_rows", !attempts.empty());
    d.set("back_href", "/dispatch");
    return d;
}

}  // namespace loa::handlers
