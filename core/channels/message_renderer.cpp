// Channel templates: load templates/messages/*.mustache once, render a message as plain text per channel.
#include "core/channels/message_renderer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <kainjow/mustache.hpp>

namespace loa::core {
namespace {

namespace mus = kainjow::mustache;

constexpr std::array<const char*, 12> month_names_en = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error(p.string() + ": cannot read the channel template");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw std::runtime_error(p.string() + ": cannot read the channel template");
    return ss.str();
}

// Removes blank space at both ends, so templates may be laid out freely.
std::string trimmed(const std::string& s) {
    const auto not_space = [](unsigned char c) { return c != ' ' && c != '\n' && c != '\r' && c != '\t'; };
    const auto first = std::find_if(s.begin(), s.end(), not_space);
    const auto last = std::find_if(s.rbegin(), s.rend(), not_space).base();
    return first < last ? std::string(first, last) : std::string();
}

mus::data hotline_data(const hotline& h, std::string_view lang) {
    mus::data d;
    d.set("number", h.number);
    d.set("name", h.name.in(lang));
    d.set("hours", h.hours);
    return d;
}

mus::data message_data(const message& m, const channel_context& ctx, std::string_view lang) {
    mus::data d;
    d.set("vi", mus::data(lang != "en"));
    d.set("en", mus::data(lang == "en"));
    d.set("code", m.id);
    d.set("title", m.title.in(lang));
    d.set("text", m.text.in(lang));
    d.set("duration_s", std::to_string(m.duration_s));
    d.set("has_duration", mus::data(m.duration_s > 0));
    d.set("priority", std::to_string(m.priority));
    d.set("airings", std::to_string(m.airings));
    d.set("flight_start", format_date(m.flight_start, lang));
    d.set("flight_end", format_date(m.flight_end, lang));
    d.set("campaign_title", ctx.campaign_title.in(lang));
    d.set("theme", ctx.theme.in(lang));
    mus::data hotlines{mus::data::type::list};
    for (const hotline& h : ctx.hotlines) hotlines.push_back(hotline_data(h, lang));
    d.set("hotlines", hotlines);
    if (!ctx.hotlines.empty()) d.set("hotline", hotline_data(ctx.hotlines.front(), lang));
    if (auto k = key_date_for(m, ctx.key_dates)) {
        mus::data kd;
        kd.set("date", format_date(k->date, lang));
        kd.set("name", k->name.in(lang));
        d.set("key_date", kd);
    }
    return d;
}

}  // namespace

channel_context channel_context_of(const campaign& c) {
    return channel_context{c.title, c.theme, c.hotlines, c.key_dates};
}

std::optional<key_date> key_date_for(const message& m, const std::vector<key_date>& key_dates) {
    std::optional<key_date> best;
    for (const key_date& k : key_dates) {
        if (k.date < m.flight_start || k.date > m.flight_end) continue;
        if (!best || k.weight > best->weight || (k.weight == best->weight && k.date < best->date)) best = k;
    }
    return best;
}

channel_fit fit_of(std::string_view channel) noexcept {
    if (channel == "sms") return channel_fit::sms;
    if (channel == "radio" || channel == "tv" || channel == "loudspeaker" || channel == "school")
        return channel_fit::spoken;
    if (channel == "social") return channel_fit::social;
    return channel_fit::text;
}

std::string format_date(calendar_date d, std::string_view lang) {
    std::array<char, 48> buf{};
    const unsigned day = static_cast<unsigned>(d.day());
    const unsigned month = static_cast<unsigned>(d.month());
    const int year = static_cast<int>(d.year());
    if (lang == "en") {
        const char* name = month >= 1 && month <= 12 ? month_names_en[month - 1] : "?";
        std::snprintf(buf.data(), buf.size(), "%u %s %04d", day, name, year);
    } else {
        std::snprintf(buf.data(), buf.size(), "%02u/%02u/%04d", day, month, year);
    }
    return buf.data();
}

channel_templates::channel_templates(const std::filesystem::path& dir) {
    for (const char* channel : channel_names) {
        const std::filesystem::path file = dir / (std::string(channel) + ".mustache");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) continue;
        std::string source = read_file(file);
        const mus::mustache parsed{source};
        if (!parsed.is_valid()) throw std::runtime_error(file.string() + ": " + parsed.error_message());
        sources_.emplace(channel, std::move(source));
    }
}

bool channel_templates::has(std::string_view channel) const {
    return sources_.find(channel) != sources_.end();
}

std::optional<std::string> channel_templates::render(std::string_view channel, const message& m,
                                                     const channel_context& ctx,
                                                     std::string_view lang) const {
    const auto it = sources_.find(channel);
    if (it == sources_.end()) return std::nullopt;
    mus::mustache tmpl{it->second};
    // Channels carry plain text; escaping is the page's business when it shows a preview.
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    const std::string out = tmpl.render(message_data(m, ctx, lang));
    if (!tmpl.is_valid())
        throw std::runtime_error("channel template " + it->first + ": " + tmpl.error_message());
    return trimmed(out);
}

std::vector<channel_preview> preview_channels(const channel_templates& templates, const message& m,
                                              const channel_context& ctx, std::string_view lang) {
    std::vector<channel_preview> out;
    for (const std::string& channel : m.channels) {
        auto text = templates.render(channel, m, ctx, lang);
        if (!text) continue;
        channel_preview p;
        p.channel = channel;
        p.lang = std::string(lang);
        p.fit = fit_of(channel);
        p.duration_s = m.duration_s;
        switch (p.fit) {
            case channel_fit::sms:
                p.sms = count_sms(*text);
                break;
            case channel_fit::spoken:
                p.spoken = spoken_read_time(*text, lang);
                break;
            case channel_fit::social:
                p.social = count_social(*text);
                break;
            case channel_fit::text:
                break;
        }
        p.text = std::move(*text);
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace loa::core
