// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), serialised by Boost.JSON. The schedule's
// machine-readable facts are in the extension object `_loa` of each item (and of the feed).
#include "scheduler/feeds/feed.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time/iso8601.hpp"
#include "scheduler/feeds/feed_text.hpp"

namespace loa::scheduler::feeds {

namespace {

namespace json = boost::json;

constexpr const char* version = "https://jsonfeed.org/version/1.1";

json::object head(std::string_view title, const feed_links& links, std::string_view lang, std::string_view author) {
    json::object o;
    o["version"] = version;
    o["title"] = text::clean(title);
    if (!links.html.empty()) o["home_page_url"] = text::clean(links.html);
    if (!links.self.empty()) o["feed_url"] = text::clean(links.self);
    o["language"] = text::clean(lang);
    json::object a;
    a["name"] = text::clean(author);
    if (!links.base.empty()) a["url"] = text::clean(links.base);
    o["authors"] = json::array{std::move(a)};
    return o;
}

json::array tags(const std::vector<text::category>& cats) {
    json::array out;
    for (const auto& c : cats) {
        if (!c.label.empty()) out.emplace_back(c.label);
    }
    return out;
}

}  // namespace

std::string render_json_feed(const outlet_feed& f) {
    const std::string lang = text::feed_language(f);
    const date::time_zone* zone = text::zone_or_throw(f.time_zone);
    json::object o =
        head(text::outlet_feed_title(f, lang), f.links, lang, f.outlet_name.in(lang).empty() ? f.outlet_slug : f.outlet_name.in(lang));
    o["description"] = text::outlet_feed_subtitle(f, lang);
    json::array items;
    for (const auto& it : f.items) {
        const date::time_zone* iz = text::zone_or_throw(it.time_zone);
        json::object i;
        i["id"] = text::placement_id(f.links, it);
        if (!f.links.html.empty()) i["url"] = text::clean(f.links.html);
        i["title"] = text::item_title(it, lang);
        i["content_text"] = text::item_content(it, lang);
        i["summary"] = text::item_summary(it, lang);
        i["date_published"] = text::rfc3339(it.start, iz);
        i["date_modified"] = text::rfc3339(it.updated, iz);
        i["tags"] = tags(text::categories(f.links, it, lang));
        json::object x;
        x["placement_id"] = it.placement_id;
        x["start"] = text::rfc3339(it.start, iz);
        x["end"] = text::rfc3339(it.start + std::chrono::seconds{it.duration_s}, iz);
        x["time_zone"] = text::clean(it.time_zone);
        x["duration_s"] = it.duration_s;
        x["daypart"] = text::clean(it.daypart);
        x["prime"] = it.prime;
        x["state"] = text::clean(it.state);
        x["sequence"] = it.sequence;
        x["moved"] = it.moved;
        if (it.make_good_of) x["make_good_of"] = *it.make_good_of;
        x["campaign"] = text::clean(it.campaign_slug);
        x["message"] = text::clean(it.message_code);
        x["department"] = text::clean(it.department);
        x["channel"] = text::clean(it.channel);
        i["_loa"] = std::move(x);
        items.emplace_back(std::move(i));
    }
    o["items"] = std::move(items);
    json::object fx;
    fx["outlet"] = text::clean(f.outlet_slug);
    fx["time_zone"] = text::clean(f.time_zone);
    fx["updated"] = text::rfc3339(f.updated, zone);
    o["_loa"] = std::move(fx);
    return json::serialize(o) + "\n";
}

std::string render_json_feed(const campaign_news& f) {
    const std::string lang = "vi";
    json::object o = head(text::news_feed_title(f, lang), f.links, lang,
                          f.title.in(lang).empty() ? f.campaign_slug : f.title.in(lang));
    if (!f.theme.in(lang).empty()) o["description"] = text::clean(f.theme.in(lang));
    json::array items;
    for (const auto& it : f.items) {
        json::object i;
        i["id"] = text::news_id(f, it);
        if (!f.links.html.empty()) i["url"] = text::clean(f.links.html);
        i["title"] = text::clean(it.title.in(lang).empty() ? it.message_code : it.title.in(lang));
        i["content_text"] = text::news_content(it, lang);
        i["summary"] = text::news_summary(it, lang);
        i["date_published"] = text::rfc3339(it.published, nullptr);
        i["date_modified"] = text::rfc3339(it.updated, nullptr);
        i["tags"] = tags(text::categories(f, it, lang));
        json::object x;
        x["campaign"] = text::clean(f.campaign_slug);
        x["message"] = text::clean(it.message_code);
        x["department"] = text::clean(it.department);
        x["channel"] = text::clean(it.channel);
        x["flight_start"] = core::iso_date(it.flight_start);
        x["flight_end"] = core::iso_date(it.flight_end);
        i["_loa"] = std::move(x);
        items.emplace_back(std::move(i));
    }
    o["items"] = std::move(items);
    json::object fx;
    fx["campaign"] = text::clean(f.campaign_slug);
    fx["updated"] = text::rfc3339(f.updated, nullptr);
    o["_loa"] = std::move(fx);
    return json::serialize(o) + "\n";
}

}  // namespace loa::scheduler::feeds
