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
    const std::string_view m = method_label(method);
    const std::lock_guard lock(mutex_);
    auto r = routes_.find(route);
    if (r == routes_.end()) r = routes_.emplace(std::string(route), route_stats{}).first;
    ++r->second.requests[{m, status}];
    histogram& h = r->second.durations;
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
        // By route, method, then status (the maps' orders).
        for (const auto& [route, stats] : routes_) {
            const std::string r = escape_label(route);
            for (const auto& [key, n] : stats.requests) {
                const auto& [method, status] = key;
                out += "loa_http_requests_total{route=\"" + r + "\",method=\"";
                out += method;
                out += "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
            }
        }
        out += "# HELP loa_http_request_duration_seconds Time from a request's last byte to its response's last byte.\n";
        out += "# TYPE loa_http_request_duration_seconds histogram\n";
        for (const auto& [route, stats] : routes_) {
            const histogram& h = stats.durations;
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

std::string render_dispatch_metrics(const dispatch_metrics& d) {
    std::string out;
    out += "# HELP loa_dispatch_queue_depth Dispatches in the outbox, by state.\n";
    out += "# TYPE loa_dispatch_queue_depth gauge\n";
    for (const auto& [state, n] : d.by_state)
        out += "loa_dispatch_queue_depth{state=\"" + escape_label(state) + "\"} " + std::to_string(n) + "\n";
    out += "# HELP loa_dispatch_due Dispatches due now (pending or retrying, next attempt reached).\n";
    out += "# TYPE loa_dispatch_due gauge\n";
    out += "loa_dispatch_due " + std::to_string(d.due_now) + "\n";
    out += "# HELP loa_dispatch_oldest_due_seconds How long the oldest dispatch due now has waited (0: none).\n";
    out += "# TYPE loa_dispatch_oldest_due_seconds gauge\n";
    out += "loa_dispatch_oldest_due_seconds " + number(d.oldest_due_age_s.value_or(0.0)) + "\n";
    if (!d.running) return out;
    out += "# HELP loa_dispatch_outcomes_total Dispatch outcomes since start: attempts delivered, retried, dead,\n"
           "# disabled (410), and dispatches missed or cancelled before an attempt.\n";
    out += "# TYPE loa_dispatch_outcomes_total counter\n";
    for (const auto& [name, n] : {std::pair<const char*, std::int64_t>{"delivered", d.delivered},
                                  {"retry", d.retried},
                                  {"dead", d.dead},
                                  {"disabled", d.disabled},
                                  {"missed", d.missed},
                                  {"cancelled", d.cancelled}})
        out += std::string("loa_dispatch_outcomes_total{outcome=\"") + name + "\"} " + std::to_string(n) + "\n";
    out += "# HELP loa_dispatch_attempts_total Delivery attempts finished since start.\n";
    out += "# TYPE loa_dispatch_attempts_total counter\n";
    out += "loa_dispatch_attempts_total " + std::to_string(d.attempts) + "\n";
    out += "# HELP loa_dispatch_in_flight Delivery attempts on the wire now.\n";
    out += "# TYPE loa_dispatch_in_flight gauge\n";
    out += "loa_dispatch_in_flight " + std::to_string(d.in_flight) + "\n";
    out += "# HELP loa_dispatch_lateness_seconds Start of a first attempt minus its due time.\n";
    out += "# TYPE loa_dispatch_lateness_seconds histogram\n";
    for (std::size_t i = 0; i < d.lateness_bounds.size() && i < d.lateness_buckets.size(); ++i)
        out += "loa_dispatch_lateness_seconds_bucket{le=\"" + number(d.lateness_bounds[i]) + "\"} " +
               std::to_string(d.lateness_buckets[i]) + "\n";
    out += "loa_dispatch_lateness_seconds_bucket{le=\"+Inf\"} " + std::to_string(d.lateness_count) + "\n";
    out += "loa_dispatch_lateness_seconds_sum " + number(d.lateness_sum) + "\n";
    out += "loa_dispatch_lateness_seconds_count " + std::to_string(d.lateness_count) + "\n";
    return out;
}

}  // namespace loa::app
