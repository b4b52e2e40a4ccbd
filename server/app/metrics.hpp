// Server metrics in the Prometheus text format 0.0.4: requests by route pattern, method and status;
// a latency histogram by route; open connections; db queue depth; the dispatcher's outbox and
// deliveries. Thread-safe: any io thread may record while another renders.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loa::app {

// The dispatcher's figures at one moment: the outbox read through the db executor, the runner's
// counts since start (docs/dispatch.md, "Operating it").
struct dispatch_metrics {
    std::vector<std::pair<std::string, std::int64_t>> by_state;  // every state, in order
    std::int64_t due_now = 0;
    std::optional<double> oldest_due_age_s;  // seconds since the oldest due one fell due
    bool running = false;                    // a runner exists (dispatch: on); the rest is its counts
    std::int64_t delivered = 0, retried = 0, dead = 0, disabled = 0, missed = 0, cancelled = 0;
    std::int64_t attempts = 0, in_flight = 0;
    std::span<const double> lateness_bounds;
    std::vector<std::uint64_t> lateness_buckets;  // per bound, cumulative (≤ bound), as Prometheus wants
    std::uint64_t lateness_count = 0;
    double lateness_sum = 0;
};

// The dispatcher's part of the exposition: loa_dispatch_queue_depth{state}, loa_dispatch_due,
// loa_dispatch_oldest_due_seconds and, when running, loa_dispatch_outcomes_total{outcome},
// loa_dispatch_attempts_total, loa_dispatch_in_flight and the loa_dispatch_lateness_seconds
// histogram. Pure.
[[nodiscard]] std::string render_dispatch_metrics(const dispatch_metrics& d);

class metrics_registry {
public:
    // Upper bounds (seconds) of the latency histogram buckets; +Inf is implied.
    static constexpr double duration_buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                  0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

    // One finished request. `route` is the route pattern ("/api/v1/campaigns/{slug}") or
    // "unmatched", so label cardinality stays bounded; unknown methods are counted as "other".
    void observe_request(std::string_view route, std::string_view method, unsigned status, double seconds);

    void connection_opened() noexcept { open_connections_.fetch_add(1, std::memory_order_relaxed); }
    void connection_closed() noexcept { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t open_connections() const noexcept {
        return open_connections_.load(std::memory_order_relaxed);
    }

    // The whole exposition text; `db_queue_depth` comes from db_executor::queue_depth().
    [[nodiscard]] std::string render(std::size_t db_queue_depth) const;

private:
    struct histogram {
        std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(std::size(duration_buckets), 0);
        std::uint64_t count = 0;
        double sum = 0;
    };

    // Everything counted for one route pattern. The method label is a view of a static string
    // (method_label's), so a request whose route, method and status were seen before allocates
    // nothing: the maps are searched by views and only a new label set inserts a node.
    struct route_stats {
        std::map<std::pair<std::string_view, unsigned>, std::uint64_t> requests;  // (method, status)
        histogram durations;
    };

    mutable std::mutex mutex_;
    std::map<std::string, route_stats, std::less<>> routes_;  // guarded
    std::atomic<std::int64_t> open_connections_{0};
};

}  // namespace loa::app
