// application/x-www-form-urlencoded bodies and query strings, and percent-encoding for URLs.
#include "server/web/render.hpp"

#include "core/text/unicode.hpp"

namespace loa::web {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode_component(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(c);  // a malformed escape stays as typed
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> ambiguous_parameter(const form_fields& query, std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
        const std::string* first = nullptr;
        for (const auto& [k, v] : query) {
            if (k != name) continue;
            if (first == nullptr) {
                first = &v;
            } else if (v != *first) {
                return std::string(name);
            }
        }
    }
    return std::nullopt;
}

http::response ambiguous_parameter_page(const http::request& req, const std::string& name) {
    return error_page(req, 400,
                      tr(req.lang, "The parameter “{name}” is given more than once, with different values: give it once.",
                         {{"name", name}}));
}

form_fields parse_form(std::string_view body) {
    form_fields fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        std::string name = core::valid_utf8(decode_component(pair.substr(0, eq)));
        if (name.empty()) continue;
        std::string value =
            eq == std::string_view::npos ? std::string{} : core::valid_utf8(decode_component(pair.substr(eq + 1)));
        fields.emplace_back(std::move(name), std::move(value));
    }
    return fields;
}

std::optional<std::string> form::find(std::string_view name) const {
    for (const auto& [k, v] : fields_)
        if (k == name) return v;
    return std::nullopt;
}

std::string form::text(std::string_view name) const {
    return core::to_nfc(core::typed_text(core::lf_line_breaks(get(name)), true));
}

std::string form::words(std::string_view name) const {
    return core::to_nfc(core::typed_text(core::lf_line_breaks(get(name)), false));
}

std::string form::get(std::string_view name) const {
    return find(name).value_or(std::string{});
}

std::vector<std::string> form::all(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [k, v] : fields_)
        if (k == name) values.push_back(v);
    return values;
}

std::string url_encode(std::string_view text) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                                u == '-' || u == '.' || u == '_' || u == '~';
        if (unreserved) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 0x0Fu]);
        }
    }
    return out;
}

}  // namespace loa::web
