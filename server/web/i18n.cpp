// Translation through gettext catalogs (Boost.Locale), and the choice of a request's language.
#include "server/web/render.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <memory>
#include <stdexcept>

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>

#include "server/web/detail.hpp"

namespace loa::web {

namespace {

// The catalog areas, one .po file each under locale/vi/ (owned by the engineer of that area).
constexpr std::array<const char*, 8> areas = {"web", "auth", "calendar", "messages", "planner", "dispatch", "feeds", "compliance"};

struct catalogs {
    std::locale vi;
    std::vector<int> domain_ids;  // of the areas whose .mo file exists
};

// Swapped whole by load_catalogs; readers take a snapshot, so a lookup never sees half a load.
std::atomic<std::shared_ptr<const catalogs>> loaded_catalogs;

std::shared_ptr<const catalogs> current_catalogs() {
    ensure_loaded();
    return loaded_catalogs.load();
}

// The Vietnamese of `msgid` from the first area that has it, or nullptr.
const char* lookup_vi(const catalogs& c, const std::string& msgid) {
    if (c.domain_ids.empty() || msgid.empty()) return nullptr;
    const auto& facet = std::use_facet<boost::locale::message_format<char>>(c.vi);
    for (const int id : c.domain_ids) {
        const char* s = facet.get(id, nullptr, msgid.c_str());
        // msgfmt drops untranslated entries, but a "" translation would still be no translation.
        if (s != nullptr && *s != '\0') return s;
    }
    return nullptr;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The quality of one Accept-Language entry's parameters (";q=0.8"), 1 when absent, -1 when malformed.
double quality(std::string_view params) {
    double q = 1.0;
    while (!params.empty()) {
        const auto semi = params.find(';');
        const std::string_view p = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            const std::string_view v = trim(p.substr(2));
            double parsed = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
            if (ec != std::errc{} || end != v.data() + v.size() || parsed < 0 || parsed > 1) return -1;
            q = parsed;
        }
    }
    return q;
}

// The best supported language of an Accept-Language header, or "" when none is acceptable.
std::string from_accept_language(std::string_view header) {
    std::string best;
    double best_q = 0;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const std::string_view entry = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto semi = entry.find(';');
        const std::string tag = lower(trim(entry.substr(0, semi)));
        const double q = semi == std::string_view::npos ? 1.0 : quality(entry.substr(semi + 1));
        const std::string primary = tag.substr(0, tag.find('-'));
        // Ties keep the earlier entry, as the header lists preferences in order.
        if (is_supported_language(primary) && q > best_q) {
            best = primary;
            best_q = q;
        }
    }
    return best;
}

}  // namespace

namespace detail {

void load_catalogs(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw std::runtime_error("translation catalogs: no directory " + dir.string() +
                                 " (the build compiles locale/vi/*.po into <build>/locale)");
    boost::locale::generator gen;
    gen.add_messages_path(dir.string());
    std::vector<std::string> present;
    for (const char* area : areas) {
        if (std::filesystem::exists(dir / "vi" / "LC_MESSAGES" / (std::string(area) + ".mo"), ec)) {
            gen.add_messages_domain(area);
            present.emplace_back(area);
        }
    }
    auto c = std::make_shared<catalogs>();
    c->vi = gen("vi_VN.UTF-8");
    if (!present.empty()) {
        const auto& facet = std::use_facet<boost::locale::message_format<char>>(c->vi);
        for (const auto& area : present) c->domain_ids.push_back(facet.domain(area));
    }
    loaded_catalogs.store(std::move(c));
}

std::string collapse_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (const char ch : text) {
        if (is_space(ch)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(ch);
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char ch : text) {
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out.push_back(ch);
        }
    }
    return out;
}

}  // namespace detail

bool is_supported_language(std::string_view lang) {
    return lang == "vi" || lang == "en";
}

std::string tr(std::string_view lang, std::string_view msgid) {
    std::string id = detail::collapse_space(msgid);
    if (lang != "vi") return id;
    const auto c = current_catalogs();
    if (!c) return id;
    if (const char* s = lookup_vi(*c, id)) return s;
    return id;
}

std::size_t field_order(std::span<const form_field_label> fields, std::string_view field) {
    const auto it =
        std::find_if(fields.begin(), fields.end(), [&](const form_field_label& f) { return f.field == field; });
    return static_cast<std::size_t>(it - fields.begin());
}

std::string summary_message(std::string_view lang, std::span<const form_field_label> fields, std::string_view field,
                            const std::string& message) {
    const std::size_t at = field_order(fields, field);
    if (at == fields.size()) return message;
    return tr(lang, "{field}: {error}", {{"field", tr(lang, fields[at].label)}, {"error", message}});
}

std::string tr(std::string_view lang, std::string_view msgid,
               const std::vector<std::pair<std::string, std::string>>& args) {
    const std::string text = tr(lang, msgid);
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            const auto close = text.find('}', i + 1);
            if (close != std::string::npos) {
                const std::string_view name(text.data() + i + 1, close - i - 1);
                const auto it =
                    std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
                if (it != args.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

bool has_translation(std::string_view lang, std::string_view msgid) {
    if (lang == "en") return true;
    if (lang != "vi") return false;
    const auto c = current_catalogs();
    return c && lookup_vi(*c, detail::collapse_space(msgid)) != nullptr;
}

std::vector<std::string> template_msgids(std::string_view source) {
    std::vector<std::string> ids;
    constexpr std::string_view open = "{{#t}}";
    constexpr std::string_view close = "{{/t}}";
    std::size_t pos = 0;
    while ((pos = source.find(open, pos)) != std::string_view::npos) {
        const std::size_t start = pos + open.size();
        const std::size_t end = source.find(close, start);
        if (end == std::string_view::npos) break;
        ids.push_back(detail::collapse_space(source.substr(start, end - start)));
        pos = end + close.size();
    }
    return ids;
}

std::optional<std::string> cookie(const http::request& req, std::string_view name) {
    for (const auto& [k, v] : req.headers) {
        if (k != "cookie") continue;
        std::string_view rest = v;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            const std::string_view pair = trim(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            if (trim(pair.substr(0, eq)) != name) continue;
            std::string_view value = trim(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return std::string(value);
        }
    }
    return std::nullopt;
}

std::string choose_language(const http::request& req) {
    if (req.user && is_supported_language(req.user->language)) return req.user->language;
    if (const auto c = cookie(req, "lang"); c && is_supported_language(*c)) return *c;
    if (const auto h = req.header("accept-language")) {
        std::string best = from_accept_language(*h);
        if (!best.empty()) return best;
    }
    return "vi";
}

bool is_local_path(std::string_view target) {
    if (target.empty() || target.front() != '/') return false;
    if (target.size() >= 2 && (target[1] == '/' || target[1] == '\\')) return false;
    // Browsers treat '\' as '/', and control characters can split headers or be stripped into "//".
    return std::none_of(target.begin(), target.end(), [](char ch) {
        const auto u = static_cast<unsigned char>(ch);
        return u < 0x20 || u == 0x7f || ch == '\\';
    });
}

}  // namespace loa::web
