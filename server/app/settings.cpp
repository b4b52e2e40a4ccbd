// Server settings from YAML: every key optional, unknown keys and bad values reported as FILE:LINE:COL.
#include "server/app/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "core/time/zone.hpp"
#include "server/app/client_address.hpp"

namespace loa::app {

namespace {

constexpr std::array<std::string_view, 24> known_keys = {
    "listen",        "threads",          "header_timeout",           "body_timeout",
    "write_timeout", "idle_timeout",     "header_limit",             "body_limit",
    "max_connections", "max_connections_per_address",                "trusted_proxies",
    "shutdown_grace", "access_log",      "db_busy_timeout",
    "behind_tls",    "dispatch",         "dispatch_allow",           "dispatch_connect_timeout",
    "dispatch_response_timeout",         "dispatch_ca_file",         "dispatch_poll",
    "dispatch_concurrency",              "as_of",                    "public_url"};

// dispatch_allow names address ranges: loopback, private, link_local ("none" alone clears them).
// Sets the flag of one; false when the word names none.
bool allow_range(settings& s, std::string_view word) {
    if (word == "loopback") s.dispatch_allow_loopback = true;
    else if (word == "private") s.dispatch_allow_private = true;
    else if (word == "link_local") s.dispatch_allow_link_local = true;
    else return false;
    return true;
}

std::string unknown_range_message(std::string_view word) {
    return "unknown address range '" + std::string(word) + "' (expected loopback, private, link_local or none)";
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string unknown_key_message(const std::string& key) {
    std::string message = "unknown key '" + key + "'";
    std::string_view best;
    std::size_t best_distance = 3;  // farther than this is not a typo
    for (auto k : known_keys) {
        const auto d = edit_distance(key, k);
        if (d < best_distance) {
            best = k;
            best_distance = d;
        }
    }
    if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
    return message;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
    std::uint64_t v = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return v;
}

// Splits "500ms" into 500 and "ms".
std::optional<std::pair<std::uint64_t, std::string>> number_and_unit(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    auto n = parse_unsigned(std::string_view(text).substr(0, i));
    if (!n) return std::nullopt;
    std::string unit = text.substr(i);
    // Allow "10 s" as well as "10s".
    unit.erase(0, unit.find_first_not_of(' '));
    return std::pair{*n, unit};
}

class decoder {
public:
    decoder(std::string file, settings& out, core::diagnostics& errors)
        : file_(std::move(file)), out_(out), errors_(errors) {}

    void decode(const YAML::Node& root) {
        if (!root || root.IsNull()) return;  // an empty file: all defaults
        if (!root.IsMap()) {
            error(root, "settings must be a mapping of key: value");
            return;
        }
        // A key given twice is refused, as in a campaign file: which of two timeouts someone meant,
        // loa cannot know (yaml-cpp would keep both and the last would win).
        std::map<std::string, YAML::Mark, std::less<>> seen;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const std::string name = key.IsScalar() ? key.Scalar() : std::string();
            if (key.IsScalar()) {
                if (const auto [first, fresh] = seen.emplace(name, key.Mark()); !fresh) {
                    error(key, "duplicate key '" + name + "' (first at " + std::to_string(first->second.line + 1) +
                                   ":" + std::to_string(first->second.column + 1) + ")");
                    continue;
                }
            }
            if (name == "listen") {
                if (auto s = scalar(value, name))
                    if (auto e = set_listen(out_, *s)) error(value, name + ": " + *e);
            } else if (name == "threads") {
                if (auto n = count(value, name, 1, 256)) out_.threads = static_cast<unsigned>(*n);
            } else if (name == "max_connections") {
                if (auto n = count(value, name, 1, 1'000'000)) out_.max_connections = *n;
            } else if (name == "max_connections_per_address") {
                if (auto n = count(value, name, 0, 1'000'000)) out_.max_connections_per_address = *n;
            } else if (name == "trusted_proxies") {
                proxy_list(value);
            } else if (name == "header_timeout") {
                duration(value, name, out_.header_timeout);
            } else if (name == "body_timeout") {
                duration(value, name, out_.body_timeout);
            } else if (name == "write_timeout") {
                duration(value, name, out_.write_timeout);
            } else if (name == "idle_timeout") {
                duration(value, name, out_.idle_timeout);
            } else if (name == "shutdown_grace") {
                duration(value, name, out_.shutdown_grace);
            } else if (name == "db_busy_timeout") {
                duration(value, name, out_.db_busy_timeout);
            } else if (name == "header_limit") {
                size(value, name, out_.header_limit);
            } else if (name == "body_limit") {
                size(value, name, out_.body_limit);
            } else if (name == "access_log") {
                if (auto s = scalar(value, name)) {
                    if (*s == "on" || *s == "true" || *s == "yes") {
                        out_.access_log = true;
                    } else if (*s == "off" || *s == "false" || *s == "no") {
                        out_.access_log = false;
                    } else {
                        error(value, "access_log: expected on or off, got '" + *s + "'");
                    }
                }
            } else if (name == "behind_tls") {
                if (auto s = scalar(value, name)) {
                    if (*s == "true" || *s == "yes" || *s == "on") {
                        out_.behind_tls = true;
                    } else if (*s == "false" || *s == "no" || *s == "off") {
                        out_.behind_tls = false;
                    } else {
                        error(value, "behind_tls: expected true or false, got '" + *s + "'");
                    }
                }
            } else if (name == "dispatch") {
                if (auto s = scalar(value, name)) {
                    if (*s == "on" || *s == "true" || *s == "yes") {
                        out_.dispatch = true;
                    } else if (*s == "off" || *s == "false" || *s == "no") {
                        out_.dispatch = false;
                    } else {
                        error(value, "dispatch: expected on or off, got '" + *s + "'");
                    }
                }
            } else if (name == "dispatch_allow") {
                allow_list(value);
            } else if (name == "dispatch_connect_timeout") {
                positive_duration(value, name, out_.dispatch_connect_timeout);
            } else if (name == "dispatch_response_timeout") {
                positive_duration(value, name, out_.dispatch_response_timeout);
            } else if (name == "dispatch_poll") {
                positive_duration(value, name, out_.dispatch_poll);
            } else if (name == "dispatch_ca_file") {
                if (auto s = scalar(value, name)) out_.dispatch_ca_file = *s;
            } else if (name == "dispatch_concurrency") {
                if (auto n = count(value, name, 1, 65'536)) out_.dispatch_concurrency = static_cast<unsigned>(*n);
            } else if (name == "as_of") {
                if (auto s = scalar(value, name))
                    if (auto e = set_as_of(out_, *s)) error(value, name + ": " + *e);
            } else if (name == "public_url") {
                if (auto s = scalar(value, name))
                    if (auto e = set_public_url(out_, *s)) error(value, name + ": " + *e);
            } else {
                error(key, unknown_key_message(name));
            }
        }
    }

private:
    void error(const YAML::Node& at, std::string message) {
        const auto mark = at.Mark();
        errors_.push_back({file_, mark.line + 1, mark.column + 1, std::move(message)});
    }

    std::optional<std::string> scalar(const YAML::Node& value, const std::string& name) {
        if (!value.IsScalar()) {
            error(value, name + ": expected a single value");
            return std::nullopt;
        }
        return value.Scalar();
    }

    std::optional<std::size_t> count(const YAML::Node& value, const std::string& name, std::size_t min,
                                     std::size_t max) {
        auto s = scalar(value, name);
        if (!s) return std::nullopt;
        auto n = parse_unsigned(*s);
        if (!n || *n < min || *n > max) {
            error(value, name + ": expected a whole number from " + std::to_string(min) + " to " +
                             std::to_string(max) + ", got '" + *s + "'");
            return std::nullopt;
        }
        return static_cast<std::size_t>(*n);
    }

    void duration(const YAML::Node& value, const std::string& name, std::chrono::milliseconds& into) {
        auto s = scalar(value, name);
        if (!s) return;
        if (auto d = parse_duration(*s)) {
            into = *d;
        } else {
            error(value, name + ": expected a duration such as 10s, 500ms or 2m, got '" + *s + "'");
        }
    }

    void positive_duration(const YAML::Node& value, const std::string& name, std::chrono::milliseconds& into) {
        auto s = scalar(value, name);
        if (!s) return;
        if (auto d = parse_duration(*s); d && d->count() > 0) {
            into = *d;
        } else {
            error(value, name + ": expected a duration above zero such as 10s, 500ms or 2m, got '" + *s + "'");
        }
    }

    // trusted_proxies: [127.0.0.1, "::1"], a single address, or none / [] (trust no peer).
    void proxy_list(const YAML::Node& value) {
        out_.trusted_proxies.clear();
        if (value.IsNull()) return;
        const auto add = [&](const YAML::Node& item) {
            const std::string a = item.IsScalar() ? normalized_address(item.Scalar()) : std::string();
            if (a.empty()) {
                error(item, "trusted_proxies: expected IP addresses such as 127.0.0.1, got '" +
                                (item.IsScalar() ? item.Scalar() : std::string("a list or mapping")) + "'");
            } else if (std::find(out_.trusted_proxies.begin(), out_.trusted_proxies.end(), a) ==
                       out_.trusted_proxies.end()) {
                out_.trusted_proxies.push_back(a);
            }
        };
        if (value.IsScalar()) {
            if (value.Scalar() != "none") add(value);
            return;
        }
        if (!value.IsSequence()) {
            error(value, "trusted_proxies: expected a list of IP addresses such as [127.0.0.1]");
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) add(value[i]);
    }

    // dispatch_allow: [loopback, private], a single word, or none / [] (refuse all three).
    void allow_list(const YAML::Node& value) {
        out_.dispatch_allow_loopback = out_.dispatch_allow_private = out_.dispatch_allow_link_local = false;
        if (value.IsNull()) return;
        if (value.IsScalar()) {
            if (value.Scalar() == "none") return;
            if (!allow_range(out_, value.Scalar())) error(value, "dispatch_allow: " + unknown_range_message(value.Scalar()));
            return;
        }
        if (!value.IsSequence()) {
            error(value, "dispatch_allow: expected a list such as [loopback, private]");
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            const YAML::Node item = value[i];
            if (!item.IsScalar()) {
                error(item, "dispatch_allow: expected loopback, private or link_local");
            } else if (!allow_range(out_, item.Scalar())) {
                error(item, "dispatch_allow: " + unknown_range_message(item.Scalar()));
            }
        }
    }

    void size(const YAML::Node& value, const std::string& name, std::size_t& into) {
        auto s = scalar(value, name);
        if (!s) return;
        if (auto n = parse_size(*s); n && *n > 0) {
            into = *n;
        } else {
            error(value, name + ": expected a size such as 8KiB, 1MiB or 4096, got '" + *s + "'");
        }
    }

    std::string file_;
    settings& out_;
    core::diagnostics& errors_;
};

}  // namespace

std::optional<std::string> set_listen(settings& s, const std::string& host_port) {
    std::string host;
    std::string port;
    if (!host_port.empty() && host_port.front() == '[') {
        const auto close = host_port.find(']');
        if (close == std::string::npos || close + 1 >= host_port.size() || host_port[close + 1] != ':')
            return "expected [IPv6]:PORT, got '" + host_port + "'";
        host = host_port.substr(1, close - 1);
        port = host_port.substr(close + 2);
    } else {
        const auto colon = host_port.rfind(':');
        if (colon == std::string::npos) return "expected HOST:PORT, got '" + host_port + "'";
        host = host_port.substr(0, colon);
        port = host_port.substr(colon + 1);
    }
    auto p = parse_unsigned(port);
    if (host.empty() || !p || *p > 65535) return "expected HOST:PORT with a port from 0 to 65535, got '" + host_port + "'";
    s.listen_host = host;
    s.listen_port = static_cast<unsigned short>(*p);
    return std::nullopt;
}

std::string public_base_url(const settings& s) {
    if (!s.public_url.empty()) return s.public_url;
    const bool v6 = s.listen_host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + s.listen_host + "]" : s.listen_host) + ":" + std::to_string(s.listen_port);
}

std::optional<std::string> set_as_of(settings& s, const std::string& iso8601) {
    const std::string text = trim(iso8601);
    const auto t = core::parse_iso8601(text, core::find_zone("UTC"));
    if (!t) {
        if (const auto why = core::iso8601_problem(text)) return "'" + iso8601 + "' names no real instant: " + *why;
        return "expected an ISO 8601 instant such as 2024-07-28T00:00:00+07:00, got '" + iso8601 + "'";
    }
    if (core::iso8601_has_offset(text)) {
        s.as_of = *t;
        s.as_of_wall.clear();
    } else {
        s.as_of.reset();
        s.as_of_wall = text;
    }
    return std::nullopt;
}

std::optional<std::string> resolve_as_of(settings& s, const std::vector<std::string>& zones) {
    if (s.as_of_wall.empty()) return std::nullopt;
    std::vector<std::string> distinct = zones;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::string listed;
    for (const auto& z : distinct) listed += (listed.empty() ? "" : ", ") + z;
    // The example: the same wall time on the first campaign's clock (Hai Phong's when there is none).
    const std::string zone_name = distinct.empty() ? std::string("Asia/Ho_Chi_Minh") : distinct.front();
    const date::time_zone* first_zone = core::find_zone(zone_name);
    const auto on_first = first_zone != nullptr ? core::parse_iso8601(s.as_of_wall, first_zone) : std::nullopt;
    const auto example = on_first ? "e.g. " + core::format_iso8601(*on_first, first_zone) + " on " + zone_name + "'s clock"
                                  : std::string("e.g. +07:00");
    if (distinct.size() != 1) {
        return "'" + s.as_of_wall + "' has no offset, and " +
               (distinct.empty() ? std::string("the database has no campaign whose clock it could be read on")
                                 : "the campaigns' zones differ (" + listed + ")") +
               ": give it with its offset (" + example + ") or Z";
    }
    const date::time_zone* zone = core::find_zone(distinct.front());
    const auto t = zone != nullptr ? core::parse_iso8601(s.as_of_wall, zone) : std::nullopt;
    if (!t) return "'" + s.as_of_wall + "' cannot be read on the campaigns' clock (" + distinct.front() + ")";
    s.as_of = *t;
    s.as_of_wall.clear();
    return std::nullopt;
}

std::optional<std::string> set_public_url(settings& s, const std::string& url) {
    std::string u = trim(url);
    if (u.empty()) {  // the default: the listening address
        s.public_url.clear();
        return std::nullopt;
    }
    while (!u.empty() && u.back() == '/') u.pop_back();
    const std::string_view v(u);
    const std::size_t scheme = v.starts_with("https://") ? 8 : v.starts_with("http://") ? 7 : 0;
    const bool bad = scheme == 0 || v.size() == scheme || v.find_first_of("?#\"\\<> \t") != std::string_view::npos ||
                     std::any_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (bad) return "expected http:// or https:// and a host, e.g. https://loa.example, got '" + url + "'";
    s.public_url = u;
    return std::nullopt;
}

std::optional<std::string> set_dispatch_allow(settings& s, const std::string& list) {
    settings out = s;
    out.dispatch_allow_loopback = out.dispatch_allow_private = out.dispatch_allow_link_local = false;
    const std::string all = trim(list);
    if (all == "none") {
        s = out;
        return std::nullopt;
    }
    std::size_t from = 0;
    for (;;) {
        const auto comma = all.find(',', from);
        const std::string word = trim(std::string_view(all).substr(from, comma == std::string::npos ? std::string::npos : comma - from));
        if (!allow_range(out, word)) return unknown_range_message(word);
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    s = out;
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
    auto nu = number_and_unit(text);
    if (!nu) return std::nullopt;
    const auto [n, unit] = *nu;
    constexpr std::uint64_t max_ms = 24ULL * 3600 * 1000;  // a day: beyond is a typo
    std::uint64_t factor = 0;
    if (unit.empty() || unit == "s") factor = 1000;
    else if (unit == "ms") factor = 1;
    else if (unit == "m" || unit == "min") factor = 60'000;
    else if (unit == "h") factor = 3'600'000;
    else return std::nullopt;
    if (n > max_ms / factor) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(n * factor));
}

std::optional<std::size_t> parse_size(const std::string& text) {
    auto nu = number_and_unit(text);
    if (!nu) return std::nullopt;
    const auto [n, unit] = *nu;
    std::uint64_t factor = 0;
    if (unit.empty() || unit == "B") factor = 1;
    else if (unit == "KiB" || unit == "KB" || unit == "k") factor = 1024;
    else if (unit == "MiB" || unit == "MB" || unit == "M") factor = 1024 * 1024;
    else if (unit == "GiB" || unit == "GB" || unit == "G") factor = 1024ULL * 1024 * 1024;
    else return std::nullopt;
    if (n > (std::uint64_t{1} << 40) / factor) return std::nullopt;
    return static_cast<std::size_t>(n * factor);
}

settings_result load_settings_text(const std::string& yaml_text, const std::string& file_name, settings defaults) {
    settings_result result{std::move(defaults), {}};
    try {
        const YAML::Node root = YAML::Load(yaml_text);
        decoder(file_name, result.value, result.errors).decode(root);
    } catch (const YAML::Exception& e) {
        result.errors.push_back({file_name, e.mark.line + 1, e.mark.column + 1, e.msg});
    }
    return result;
}

settings_result load_settings_file(const std::filesystem::path& path, settings defaults) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {std::move(defaults), {{path.string(), 0, 0, "cannot read the file"}}};
    std::ostringstream text;
    text << in.rdbuf();
    return load_settings_text(text.str(), path.string(), std::move(defaults));
}

}  // namespace loa::app
