// Route matching: segment by segment, "{name}" captures one non-empty segment.
#include "server/http/router.hpp"

#include <map>
#include <span>
#include <vector>

namespace loa::http {

std::vector<std::string_view> path_segments(std::string_view path) {
    std::vector<std::string_view> out;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    for (;;) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_capture(std::string_view seg) { return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}'; }

namespace {

// The segment of `pattern` (its leading '/' removed) that starts at `pos`; `next` is where the
// following one starts, or npos after the last.
std::string_view segment_at(std::string_view pattern, std::size_t pos, std::size_t& next) {
    const auto slash = pattern.find('/', pos);
    next = slash == std::string_view::npos ? std::string_view::npos : slash + 1;
    return pattern.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
}

std::string_view without_slash(std::string_view pattern) {
    if (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
    return pattern;
}

// The "{name}" segments of a pattern that matches `path`, by name.
std::map<std::string, std::string> captures(std::string_view pattern, std::span<const std::string_view> path) {
    pattern = without_slash(pattern);
    std::map<std::string, std::string> found;
    std::size_t i = 0;
    for (std::size_t pos = 0; pos != std::string_view::npos; ++i) {
        std::size_t next = 0;
        const std::string_view seg = segment_at(pattern, pos, next);
        if (is_capture(seg)) found.emplace(std::string(seg.substr(1, seg.size() - 2)), std::string(path[i]));
        pos = next;
    }
    return found;
}

void add_allowed(std::string& allow, std::string_view method) {
    // Avoid duplicates when two rows share a method for the same path.
    std::string_view rest = allow;
    while (!rest.empty()) {
        const auto comma = rest.find(", ");
        if (rest.substr(0, comma) == method) return;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 2);
    }
    if (!allow.empty()) allow += ", ";
    allow += method;
}

}  // namespace

bool pattern_matches(std::string_view pattern, std::span<const std::string_view> path) {
    pattern = without_slash(pattern);
    std::size_t count = 0;
    for (std::size_t pos = 0; pos != std::string_view::npos; ++count) {
        std::size_t next = 0;
        const std::string_view seg = segment_at(pattern, pos, next);
        if (count >= path.size()) return false;
        if (is_capture(seg) ? path[count].empty() : seg != path[count]) return false;
        pos = next;
    }
    return count == path.size();
}

const route* find_route(std::span<const route> table, std::string_view method,
                        std::span<const std::string_view> path) {
    if (method == "HEAD") method = "GET";
    for (const auto& r : table)
        if (r.method == method && pattern_matches(r.pattern, path)) return &r;
    return nullptr;
}

match_result match(std::span<const route> table, request& req) {
    const auto path = path_segments(req.path);
    // HEAD is GET without a body: it matches GET routes.
    const std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);

    match_result result;
    for (const auto& r : table) {
        if (!pattern_matches(r.pattern, path)) continue;
        if (r.method == method) {
            req.params = captures(r.pattern, path);
            return {match_kind::matched, &r, {}};
        }
        add_allowed(result.allow, r.method);
        if (r.method == "GET") add_allowed(result.allow, "HEAD");
    }
    result.kind = result.allow.empty() ? match_kind::not_found : match_kind::method_not_allowed;
    return result;
}

}  // namespace loa::http
