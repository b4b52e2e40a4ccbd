// Atom (RFC 4287) and RSS 2.0: the same entries in two XML dialects. Every text goes through
// text::xml (escaped, characters XML 1.0 forbids dropped); RSS descriptions are HTML by custom, so
// their text is escaped for HTML first and then for XML.
#include "scheduler/feeds/feed.hpp"

#include <string_view>

#include "scheduler/feeds/feed_text.hpp"

namespace loa::scheduler::feeds {

namespace {

// loa's extension elements (air time, duration, daypart…) live in this namespace.
constexpr std::string_view loa_ns = "urn:loa:feeds:1";
constexpr std::string_view generator_name = "loa";

void element(std::string& out, std::string_view indent, std::string_view name, std::string_view value) {
    out += indent;
    out += '<';
    out += name;
    out += '>';
    text::append_xml(out, value);
    out += "</";
    out += name;
    out += ">\n";
}

void text_element(std::string& out, std::string_view indent, std::string_view name, std::string_view value) {
    out += indent;
    out += '<';
    out += name;
    out += " type=\"text\">";
    text::append_xml(out, value);
    out += "</";
    out += name;
    out += ">\n";
}

void link(std::string& out, std::string_view indent, std::string_view rel, std::string_view type,
          std::string_view href) {
    if (href.empty()) return;
    out += indent;
    out += "<link rel=\"";
    text::append_xml(out, rel);
    out += "\" type=\"";
    text::append_xml(out, type);
    out += "\" href=\"";
    text::append_xml(out, href);
    out += "\"/>\n";
}

void atom_categories(std::string& out, const std::vector<text::category>& cats) {
    for (const auto& c : cats) {
        if (c.term.empty()) continue;
        out += "    <category term=\"";
        text::append_xml(out, c.term);
        out += "\" scheme=\"";
        text::append_xml(out, c.scheme);
        out += "\" label=\"";
        text::append_xml(out, c.label);
        out += "\"/>\n";
    }
}

void rss_categories(std::string& out, const std::vector<text::category>& cats) {
    for (const auto& c : cats) {
        if (c.label.empty()) continue;
        out += "      <category domain=\"" + text::xml(c.scheme) + "\">" + text::xml(c.label) + "</category>\n";
    }
}

// Plain text as HTML (RSS <description>): escaped, line breaks kept.
std::string as_html(std::string_view plain) {
    const std::string c = text::clean(plain);
    std::string out;
    for (const char ch : c) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\n': out += "<br>\n"; break;
            default: out += ch;
        }
    }
    return out;
}

void schedule_extensions(std::string& out, std::string_view indent, const schedule_item& it,
                         const date::time_zone* zone) {
    element(out, indent, "loa:placement", std::to_string(it.placement_id));
    element(out, indent, "loa:start", text::rfc3339(it.start, zone));
    element(out, indent, "loa:timeZone", it.time_zone);
    element(out, indent, "loa:duration", text::iso_duration(it.duration_s));
    if (!it.daypart.empty()) element(out, indent, "loa:daypart", it.daypart);
    element(out, indent, "loa:prime", it.prime ? "true" : "false");
    element(out, indent, "loa:state", it.state);
    element(out, indent, "loa:sequence", std::to_string(it.sequence));
}

std::string atom_head(std::string_view lang) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:loa=\"";
    out += loa_ns;
    out += "\" xml:lang=\"" + text::xml(lang) + "\">\n";
    return out;
}

void atom_feed_common(std::string& out, const feed_links& links, std::string_view author) {
    link(out, "  ", "self", "application/atom+xml", links.self);
    link(out, "  ", "alternate", "text/html", links.html);
    out += "  <author>\n";
    element(out, "    ", "name", author);
    if (!links.base.empty()) element(out, "    ", "uri", links.base);
    out += "  </author>\n";
    out += "  <generator";
    if (!links.base.empty()) out += " uri=\"" + text::xml(links.base) + "\"";
    out += ">";
    out += generator_name;
    out += "</generator>\n";
}

std::string rss_head(std::string_view title, std::string_view description, std::string_view lang,
                     std::string_view build_date, const feed_links& links) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    out += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:loa=\"";
    out += loa_ns;
    out += "\">\n  <channel>\n";
    element(out, "    ", "title", title);
    element(out, "    ", "link", links.html.empty() ? links.base : links.html);
    element(out, "    ", "description", description);
    element(out, "    ", "language", lang);
    element(out, "    ", "lastBuildDate", build_date);
    element(out, "    ", "generator", generator_name);
    element(out, "    ", "docs", "https://www.rssboard.org/rss-specification");
    if (!links.self.empty()) {
        out += "    <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"" + text::xml(links.self) + "\"/>\n";
    }
    return out;
}

constexpr std::string_view rss_tail = "  </channel>\n</rss>\n";

}  // namespace

std::string render_atom(const outlet_feed& f) {
    const std::string lang = text::feed_language(f);
    const date::time_zone* zone = text::zone_or_throw(f.time_zone);
    std::string out = atom_head(lang);
    out.reserve(4096 + f.items.size() * 4096);  // an entry is about 3 kB: one allocation, no regrowth
    element(out, "  ", "id", text::outlet_feed_id(f));
    text_element(out, "  ", "title", text::outlet_feed_title(f, lang));
    text_element(out, "  ", "subtitle", text::outlet_feed_subtitle(f, lang));
    element(out, "  ", "updated", text::rfc3339(f.updated, zone));
    atom_feed_common(out, f.links, f.outlet_name.in(lang).empty() ? f.outlet_slug : f.outlet_name.in(lang));
    for (const auto& it : f.items) {
        const date::time_zone* iz = text::zone_or_throw(it.time_zone);
        out += "  <entry>\n";
        element(out, "    ", "id", text::placement_id(f.links, it));
        text_element(out, "    ", "title", text::item_title(it, lang));
        element(out, "    ", "updated", text::rfc3339(it.updated, iz));
        element(out, "    ", "published", text::rfc3339(it.start, iz));
        link(out, "    ", "alternate", "text/html", f.links.html);
        atom_categories(out, text::categories(f.links, it, lang));
        // The content (the summary at its head) is cleaned once, by text_element's escaping.
        const std::string summary = text::item_summary(it, lang);
        text_element(out, "    ", "summary", summary);
        text_element(out, "    ", "content", text::item_content_uncleaned(it, lang, summary));
        schedule_extensions(out, "    ", it, iz);
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    return out;
}

std::string render_rss(const outlet_feed& f) {
    const std::string lang = text::feed_language(f);
    const date::time_zone* zone = text::zone_or_throw(f.time_zone);
    std::string out = rss_head(text::outlet_feed_title(f, lang), text::outlet_feed_subtitle(f, lang), lang,
                               text::rfc822(f.updated, zone), f.links);
    for (const auto& it : f.items) {
        const date::time_zone* iz = text::zone_or_throw(it.time_zone);
        out += "    <item>\n";
        element(out, "      ", "title", text::item_title(it, lang));
        if (!f.links.html.empty()) element(out, "      ", "link", f.links.html);
        element(out, "      ", "description", as_html(text::item_content(it, lang)));
        out += "      <guid isPermaLink=\"false\">" + text::xml(text::placement_id(f.links, it)) + "</guid>\n";
        element(out, "      ", "pubDate", text::rfc822(it.start, iz));
        element(out, "      ", "atom:updated", text::rfc3339(it.updated, iz));
        rss_categories(out, text::categories(f.links, it, lang));
        schedule_extensions(out, "      ", it, iz);
        out += "    </item>\n";
    }
    out += rss_tail;
    return out;
}

std::string render_atom(const campaign_news& f) {
    const std::string lang = "vi";
    std::string out = atom_head(lang);
    element(out, "  ", "id", text::news_feed_id(f));
    text_element(out, "  ", "title", text::news_feed_title(f, lang));
    if (!f.theme.in(lang).empty()) text_element(out, "  ", "subtitle", f.theme.in(lang));
    element(out, "  ", "updated", text::rfc3339(f.updated, nullptr));
    atom_feed_common(out, f.links, f.title.in(lang).empty() ? f.campaign_slug : f.title.in(lang));
    for (const auto& it : f.items) {
        out += "  <entry>\n";
        element(out, "    ", "id", text::news_id(f, it));
        text_element(out, "    ", "title", it.title.in(lang).empty() ? it.message_code : it.title.in(lang));
        element(out, "    ", "updated", text::rfc3339(it.updated, nullptr));
        element(out, "    ", "published", text::rfc3339(it.published, nullptr));
        link(out, "    ", "alternate", "text/html", f.links.html);
        atom_categories(out, text::categories(f, it, lang));
        text_element(out, "    ", "summary", text::news_summary(it, lang));
        text_element(out, "    ", "content", text::news_content(it, lang));
        element(out, "    ", "loa:message", it.message_code);
        element(out, "    ", "loa:channel", it.channel);
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    return out;
}

std::string render_rss(const campaign_news& f) {
    const std::string lang = "vi";
    std::string out = rss_head(text::news_feed_title(f, lang),
                               f.theme.in(lang).empty() ? text::news_feed_title(f, lang) : f.theme.in(lang), lang,
                               text::rfc822(f.updated, nullptr), f.links);
    for (const auto& it : f.items) {
        out += "    <item>\n";
        element(out, "      ", "title", it.title.in(lang).empty() ? it.message_code : it.title.in(lang));
        if (!f.links.html.empty()) element(out, "      ", "link", f.links.html);
        element(out, "      ", "description", as_html(text::news_content(it, lang)));
        out += "      <guid isPermaLink=\"false\">" + text::xml(text::news_id(f, it)) + "</guid>\n";
        element(out, "      ", "pubDate", text::rfc822(it.published, nullptr));
        element(out, "      ", "atom:updated", text::rfc3339(it.updated, nullptr));
        rss_categories(out, text::categories(f, it, lang));
        element(out, "      ", "loa:message", it.message_code);
        out += "    </item>\n";
    }
    out += rss_tail;
    return out;
}

}  // namespace loa::scheduler::feeds
