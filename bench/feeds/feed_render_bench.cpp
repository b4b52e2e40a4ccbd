// What a feed cache miss costs: the outlet's schedule read from SQLite and rendered by the channel
// templates (scheduler::feeds::feed_source), the Atom bytes written (render_atom) and gzipped once
// (the server's loa::feeds::gzip), timed together over many runs on one core. bench/feeds/run.sh runs it on the benchmark
// campaign's 100-entry feed.
//
// Usage: feed_render_bench --db PATH --outlet SLUG --now ISO8601 [--runs N]
// Prints one line of key=value pairs per kind of miss (miss=minute: nothing was written since the
// last run, first_run_ms: the cold first render; miss=db_changed: a row was written before every run): entries, bytes,
// gzip_bytes, runs, p50_ms, p99_ms, max_ms (wall clock), then cpu_p50_ms and cpu_p99_ms: the same
// runs' CPU time on this thread (what the wall clock shows without the time other processes took
// the core; the machine the benchmark runs on is shared).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "core/channels/message_renderer.hpp"
#include "core/storage/database.hpp"
#include "core/time/zone.hpp"
#include "scheduler/feeds/feed.hpp"
#include "scheduler/feeds/feed_source.hpp"
#include "server/feeds/feed_cache.hpp"

namespace {

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
    if (!args.contains("--db") || !args.contains("--outlet") || !args.contains("--now")) {
        std::cerr << "usage: feed_render_bench --db PATH --outlet SLUG --now ISO8601 [--runs N]\n";
        return 2;
    }
    const int runs = args.contains("--runs") ? std::atoi(args["--runs"].c_str()) : 1000;
    const auto now = loa::core::parse_iso8601(args["--now"], nullptr);
    if (!now || runs < 1) {
        std::cerr << "feed_render_bench: --now must be ISO 8601 with an offset, --runs >= 1\n";
        return 2;
    }
    try {
        loa::core::database db(args["--db"]);
        const loa::core::channel_templates templates(std::string(LOA_SOURCE_DIR) + "/templates/messages");
        const loa::scheduler::feeds::feed_source source(templates);
        const loa::scheduler::feeds::feed_links links{
            "http://127.0.0.1:8080/feeds/outlets/" + args["--outlet"] + "/schedule.atom",
            "http://127.0.0.1:8080/", "http://127.0.0.1:8080"};

        // Two kinds of miss, each `runs` times: the clock's minute moved (nothing was written: the
        // campaigns and contents read are kept), and the database changed (a write before every
        // run: the campaign and contents are read again; the rendered materials are
        // kept while the message, campaign and slot they were rendered from are the same). The very
        // first run renders every material (cold).
        std::size_t entries = 0, bytes = 0, gz_bytes = 0;
        double cold_ms = 0;
        for (const bool moves : {false, true}) {
            std::vector<double> ms, cpu_ms;
            ms.reserve(static_cast<std::size_t>(runs));
            cpu_ms.reserve(static_cast<std::size_t>(runs));
            for (int r = 0; r < runs; ++r) {
                // A real write (untimed): the connection's change stamp moves, as after an edit.
                if (moves) db.sql().exec("UPDATE campaigns SET updated_at = updated_at");
                const double c0 = thread_cpu_ms();
                const auto t0 = std::chrono::steady_clock::now();
                const auto feed = source.outlet_schedule(db, args["--outlet"], *now, links, true);
                if (!feed) {
                    std::cerr << "feed_render_bench: no outlet '" << args["--outlet"] << "'\n";
                    return 1;
                }
                const std::string atom = loa::scheduler::feeds::render_atom(*feed);
                const std::string gz = loa::feeds::gzip(atom);
                const auto t1 = std::chrono::steady_clock::now();
                ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                cpu_ms.push_back(thread_cpu_ms() - c0);
                if (!moves && r == 0) cold_ms = ms.back();
                entries = feed->items.size();
                bytes = atom.size();
                gz_bytes = gz.size();
            }
            std::cout << (moves ? "miss=db_changed" : "miss=minute") << " entries=" << entries << " bytes=" << bytes
                      << " gzip_bytes=" << gz_bytes << " runs=" << runs << " p50_ms=" << percentile(ms, 0.50)
                      << " p99_ms=" << percentile(ms, 0.99) << " max_ms=" << *std::max_element(ms.begin(), ms.end());
            if (!moves) std::cout << " first_run_ms=" << cold_ms;
            std::cout << " cpu_p50_ms=" << percentile(cpu_ms, 0.50) << " cpu_p99_ms=" << percentile(cpu_ms, 0.99);
            std::cout << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "feed_render_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
