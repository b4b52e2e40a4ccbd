// Prometheus text exposition (format 0.0.4) of the server's counters, histogram and gauges.
#include "server/app/metrics.hpp"

#include <array>
#include <cstdio>

namespace loa::app {

namespace {

// Methods outside this set are counted as "other": a client must not be able to grow the label set.
std::string_view method_label(std::string_view method) {
    static constexpr std::array<std::string_view, 9> known = {"GET",    "HEAD",    "POST",  "PUT",  "DELETE",
                                                               "PATCH", "OPTIONS", "TRACE", "CONNECT"};
    for (auto m : known)
        if (m == method) return m;
    return "other";
}

// Label values are route patterns and method names, but escape anyway as the format demands.
std::string escape_label(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

void metrics_registry::observe_request(std::string_view route, std::string_view method, unsigned status,
                                       double seconds) {
    const std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), std::string(method_label(method)), status}];
    auto& h = durations_[std::string(route)];
    for (std::size_t i = 0; i < std::size(duration_buckets); ++i)
        if (seconds <= duration_buckets[i]) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

std::string metrics_registry::render(std::size_t db_queue_depth) const {
    std::string out;
    out += "# HELP loa_http_requests_total HTTP requests answered, by route pattern, method and status.\n";
    out += "# TYPE loa_http_requests_total counter\n";
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [key, n] : requests_) {
            const auto& [route, method, status] = key;
            out += "loa_http_requests_total{route=\"" + escape_label(route) + "\",method=\"" + method +
                   "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
        }
        out += "# HELP loa_http_request_duration_seconds Time from a request's last byte to its response's last byte.\n";
        out += "# TYPE loa_http_request_duration_seconds histogram\n";
        for (const auto& [route, h] : durations_) {
            const std::string r = escape_label(route);
            for (std::size_t i = 0; i < std::size(duration_buckets); ++i) {
                out += "loa_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" +
                       number(duration_buckets[i]) + "\"} " + std::to_string(h.counts[i]) + "\n";
            }
            out += "loa_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " +
                   std::to_string(h.count) + "\n";
            out += "loa_http_request_duration_seconds_sum{route=\"" + r + "\"} " + number(h.sum) + "\n";
            out += "loa_http_request_duration_seconds_count{route=\"" + r + "\"} " + std::to_string(h.count) + "\n";
        }
    }
    out += "# HELP loa_http_open_connections Client connections open now.\n";
    out += "# TYPE loa_http_open_connections gauge\n";
    out += "loa_http_open_connections " + std::to_string(open_connections()) + "\n";
    out += "# HELP loa_db_queue_depth Database jobs queued or running on the db thread.\n";
    out += "# TYPE loa_db_queue_depth gauge\n";
    out += "loa_db_queue_depth " + std::to_string(db_queue_depth) + "\n";
    return out;
}

}  // namespace loa::app
