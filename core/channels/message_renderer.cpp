// Channel templates: load templates/messages/*.mustache once, render a message as plain text per channel.
#include "core/channels/message_renderer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <span>
#include <sstream>
#include <stdexcept>

#include <date/tz.h>
#include <kainjow/mustache.hpp>

#include "core/channels/text_metrics.hpp"
#include "core/time/zone.hpp"

namespace loa::core {
namespace {

namespace mus = kainjow::mustache;

constexpr std::array<const char*, 12> month_names_en = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

constexpr std::array<const char*, 7> weekday_names_vi = {"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư",
                                                         "thứ Năm",  "thứ Sáu", "thứ Bảy"};
constexpr std::array<const char*, 7> weekday_names_en = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                         "Thursday", "Friday", "Saturday"};

std::optional<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
}

// ---- Checking a template ---------------------------------------------------------------------

// A name a tag may use and, for an object or a list of objects, the names inside it.
struct field {
    std::string_view name;
    std::span<const field> children;
};

constexpr std::array<field, 3> hotline_fields = {{{"number", {}}, {"name", {}}, {"hours", {}}}};
constexpr std::array<field, 2> key_date_fields = {{{"date", {}}, {"name", {}}}};

// The variables of the outermost scope: channel_template_variables, with what objects hold.
const std::vector<field>& top_fields() {
    static const std::vector<field> fields = [] {
        std::vector<field> out;
        for (const char* name : channel_template_variables) {
            const std::string_view n = name;
            if (n == "hotline" || n == "hotlines")
                out.push_back({n, hotline_fields});
            else if (n == "key_date")
                out.push_back({n, key_date_fields});
            else
                out.push_back({n, {}});
        }
        return out;
    }();
    return fields;
}

// Line and column (1-based; the column counts code points) of byte `offset` in `source`.
diagnostic located(std::string_view source, std::size_t offset, const std::string& file,
                   std::string message) {
    offset = std::min(offset, source.size());
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (source[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    int column = 1;
    for (std::size_t pos = line_start; pos < offset;) {
        (void)next_code_point(source, pos);
        ++column;
    }
    return diagnostic{file, line, column, std::move(message)};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// " (did you mean 'x'?)" for the closest name in scope, when one is close.
std::string suggestion(std::string_view name, const std::vector<std::span<const field>>& scopes) {
    std::string_view best;
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
        for (const field& f : *scope) {
            const std::size_t d = edit_distance(name, f.name);
            if (d < best_distance) {
                best = f.name;
                best_distance = d;
            }
        }
    }
    // Else a name that starts with it ("outlet" → "outlet_name").
    for (auto scope = scopes.rbegin(); best.empty() && scope != scopes.rend(); ++scope) {
        for (const field& f : *scope) {
            if (f.name.size() > name.size() && f.name.substr(0, name.size()) == name) {
                best = f.name;
                break;
            }
        }
    }
    return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

// The field `name` ("a" or "a.b") names in the scopes, innermost first as Mustache looks it up.
const field* resolve(std::string_view name, const std::vector<std::span<const field>>& scopes) {
    const std::size_t dot = name.find('.');
    const std::string_view head = name.substr(0, dot);
    for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
        for (const field& f : *scope) {
            if (f.name != head) continue;
            if (dot == std::string_view::npos) return &f;
            // Dotted: the rest must name a field inside this one.
            std::vector<std::span<const field>> inner{f.children};
            return f.children.empty() ? nullptr : resolve(name.substr(dot + 1), inner);
        }
    }
    return nullptr;
}

std::string_view trim_view(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// kainjow's messages end " at <byte offset>"; the offset becomes line:column and the rest the
// message ("Unclosed section \"text\"" → "unclosed section \"text\"").
diagnostic syntax_problem(std::string_view source, const std::string& file, const std::string& error) {
    std::string message = error;
    std::size_t offset = 0;
    const std::size_t at = error.rfind(" at ");
    bool has_offset = false;
    if (at != std::string::npos && at + 4 < error.size()) {
        const std::string digits = error.substr(at + 4);
        if (digits.find_first_not_of("0123456789") == std::string::npos) {
            offset = static_cast<std::size_t>(std::stoull(digits));
            message = error.substr(0, at);
            has_offset = true;
        }
    }
    if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z')
        message[0] = static_cast<char>(message[0] - 'A' + 'a');
    if (!has_offset) return diagnostic{file, 0, 0, "Mustache syntax: " + message};
    return located(source, offset, file, "Mustache syntax: " + message);
}

}  // namespace

diagnostics check_channel_template(std::string_view source, const std::string& file_name) {
    const std::string text(source);
    const mus::mustache parsed{text};
    if (!parsed.is_valid()) return {syntax_problem(source, file_name, parsed.error_message())};

    // kainjow keeps its parse tree private, so the tags are read again here the way its parser
    // reads them: "{{" … "}}", or "{{{" … "}}}" for an unescaped variable, contents trimmed, the
    // first character telling the kind. The syntax is known to be valid at this point.
    diagnostics out;
    std::vector<std::span<const field>> scopes{top_fields()};
    std::size_t pos = 0;
    while ((pos = source.find("{{", pos)) != std::string_view::npos) {
        const std::size_t start = pos;
        const bool triple = pos + 2 < source.size() && source[pos + 2] == '{';
        const std::string_view close = triple ? "}}}" : "}}";
        const std::size_t open_len = triple ? 3 : 2;
        const std::size_t end = source.find(close, pos + open_len);
        if (end == std::string_view::npos) break;  // kainjow would have said so
        pos = end + close.size();
        std::string_view contents = trim_view(source.substr(start + open_len, end - start - open_len));
        char kind = 0;  // 0: variable
        if (!triple && !contents.empty() &&
            std::string_view("#^/>&!=").find(contents.front()) != std::string_view::npos) {
            kind = contents.front();
            contents = trim_view(contents.substr(1));
        }
        switch (kind) {
            case '!':
                continue;
            case '>':
                out.push_back(located(
                    source, start, file_name,
                    "partials are not allowed in channel templates ('" + std::string(contents) + "')"));
                continue;
            case '=':
                // Later tags use other delimiters, which this reading does not follow: stop here.
                out.push_back(located(source, start, file_name,
                                      "set-delimiter tags are not allowed in channel templates"));
                return out;
            case '/':
                if (scopes.size() > 1) scopes.pop_back();
                continue;
            default:
                break;
        }
        const field* f = contents == "." ? nullptr : resolve(contents, scopes);
        if (f == nullptr) {
            out.push_back(
                located(source, start, file_name,
                        "unknown variable '" + std::string(contents) + "'" + suggestion(contents, scopes)));
        }
        // A section over an object or a list opens its names; an inverted section renders only when
        // the value is absent, false or empty, so it opens none.
        if (kind == '#') scopes.push_back(f != nullptr ? f->children : std::span<const field>{});
        if (kind == '^') scopes.push_back(std::span<const field>{});
    }
    return out;
}

namespace {

std::string joined(const diagnostics& problems) {
    std::string out;
    for (const diagnostic& d : problems) {
        if (!out.empty()) out += '\n';
        out += d.to_string();
    }
    return out;
}

}  // namespace

template_error::template_error(diagnostics problems)
    : std::runtime_error(joined(problems)), problems_(std::move(problems)) {}

namespace {

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
    if (!h.hours.empty()) d.set("hours", h.hours);  // absent, so {{#hours}} is false
    return d;
}

void set_slot(mus::data& d, const slot_context& slot, std::string_view lang) {
    const date::time_zone* zone = find_zone(slot.time_zone);
    if (zone == nullptr) throw std::runtime_error("unknown time zone '" + slot.time_zone + "' of the outlet");
    const date::local_seconds local = zone->to_local(slot.start);
    const date::local_days day = date::floor<date::days>(local);
    const date::hh_mm_ss<std::chrono::seconds> tod{local - day};
    std::array<char, 8> hhmm{};
    std::snprintf(hhmm.data(), hhmm.size(), "%02d:%02d", static_cast<int>(tod.hours().count()),
                  static_cast<int>(tod.minutes().count()));
    d.set("has_slot", mus::data(true));
    d.set("outlet_name", slot.outlet_name.in(lang));
    d.set("outlet_kind", slot.outlet_kind);
    d.set("slot_date", format_date(date::year_month_day{day}, lang));
    d.set("slot_time", std::string(hhmm.data()));
    d.set("slot_weekday", format_weekday(date::weekday{day}, lang));
    if (!slot.daypart.in(lang).empty()) d.set("daypart", slot.daypart.in(lang));
    d.set("slot_duration_s", std::to_string(slot.duration_s));
}

mus::data message_data(const message& m, const channel_context& ctx, std::string_view lang,
                       const std::optional<slot_context>& slot) {
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
    if (slot) set_slot(d, *slot, lang);
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

slot_context slot_context_of(const outlet& o, std::chrono::sys_seconds start, int duration_s,
                             std::string_view daypart_code) {
    slot_context s;
    s.outlet_name = o.name;
    s.outlet_kind = o.kind;
    s.time_zone = o.time_zone;
    s.start = start;
    s.duration_s = duration_s;
    for (const daypart& p : o.dayparts) {
        if (!daypart_code.empty() && p.code == daypart_code) s.daypart = p.name;
    }
    return s;
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

std::string format_weekday(date::weekday w, std::string_view lang) {
    const unsigned i = w.c_encoding();
    if (i > 6) return "?";
    return lang == "en" ? weekday_names_en[i] : weekday_names_vi[i];
}

struct channel_templates::parsed_pool {
    std::mutex mutex;
    std::map<std::string, std::vector<std::unique_ptr<mus::mustache>>, std::less<>> idle;
};

channel_templates::channel_templates(const std::filesystem::path& dir) : pool_(std::make_shared<parsed_pool>()) {
    diagnostics problems;
    for (const char* channel : channel_names) {
        const std::filesystem::path file = dir / (std::string(channel) + ".mustache");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) {
            // Without it nothing could be sent to or shown for that channel's outlets (every
            // dispatch cancelled, "body not built"), so a server must not start that way.
            problems.push_back(diagnostic{file.string(), 0, 0,
                                          "missing: every channel needs its template (the text of '" +
                                              std::string(channel) + "' messages and slots comes from it)"});
            continue;
        }
        auto source = read_file(file);
        if (!source) {
            problems.push_back(diagnostic{file.string(), 0, 0, "cannot read the channel template"});
            continue;
        }
        diagnostics found = check_channel_template(*source, file.string());
        if (!found.empty()) {
            problems.insert(problems.end(), found.begin(), found.end());
            continue;
        }
        sources_.emplace(channel, std::move(*source));
    }
    if (!problems.empty()) throw template_error(std::move(problems));
}

bool channel_templates::has(std::string_view channel) const {
    return sources_.find(channel) != sources_.end();
}

std::optional<std::string> channel_templates::render(std::string_view channel, const message& m,
                                                     const channel_context& ctx, std::string_view lang,
                                                     const std::optional<slot_context>& slot) const {
    const auto it = sources_.find(channel);
    if (it == sources_.end()) return std::nullopt;
    std::unique_ptr<mus::mustache> tmpl;
    if (pool_) {
        const std::lock_guard lock(pool_->mutex);
        if (auto idle = pool_->idle.find(channel); idle != pool_->idle.end() && !idle->second.empty()) {
            tmpl = std::move(idle->second.back());
            idle->second.pop_back();
        }
    }
    if (!tmpl) {
        tmpl = std::make_unique<mus::mustache>(it->second);
        // Channels carry plain text; escaping is the page's business when it shows a preview.
        tmpl->set_custom_escape([](const std::string& s) { return s; });
    }
    const std::string out = tmpl->render(message_data(m, ctx, lang, slot));
    if (!tmpl->is_valid())
        throw std::runtime_error("channel template " + it->first + ": " + tmpl->error_message());
    if (pool_) {
        const std::lock_guard lock(pool_->mutex);
        pool_->idle[it->first].push_back(std::move(tmpl));
    }
    return trimmed(out);
}

std::vector<channel_preview> preview_channels(const channel_templates& templates, const message& m,
                                              const channel_context& ctx, std::string_view lang,
                                              const std::optional<slot_context>& slot) {
    std::vector<channel_preview> out;
    for (const std::string& channel : m.channels) {
        auto text = templates.render(channel, m, ctx, lang, slot);
        if (!text) continue;
        channel_preview p;
        p.channel = channel;
        p.lang = std::string(lang);
        p.fit = fit_of(channel);
        p.duration_s = slot && slot->duration_s > 0 ? slot->duration_s : m.duration_s;
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
