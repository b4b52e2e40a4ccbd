// feed_samples DIR: writes the sample feeds of tests/feeds/sample_models.hpp into DIR for the
// parser checks (check_feed.sh): schedule.{atom,rss,json,ics} (Hải Phòng: moved, cancelled, missed, make-good and
// hostile placements), schedule-berlin.{atom,rss,json,ics} (an outlet abroad, across a DST change),
// news.{atom,rss,json} and events.ics (all-day, recurring, cancelled, Europe/Berlin).
// feed_samples --time N: renders a 100-entry schedule N times in each format and prints the p50 and
// p99 render time (a cache miss, for docs/feeds.md and the 5 ms target).
#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <cstdlib>
#include <vector>

#include "scheduler/feeds/feed.hpp"
#include "tests/feeds/sample_models.hpp"

namespace {

namespace fs = std::filesystem;
namespace feeds = loa::scheduler::feeds;

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) throw std::runtime_error("cannot write " + (dir / name).string());
    std::cout << (dir / name).string() << '\n';
}

// The same feed with its self link naming the format's file.
template <class Feed>
Feed with_self(Feed f, const std::string& ext) {
    const auto dot = f.links.self.rfind('.');
    if (dot != std::string::npos) f.links.self = f.links.self.substr(0, dot + 1) + ext;
    return f;
}

void schedule(const fs::path& dir, const std::string& stem, const feeds::outlet_feed& f) {
    write(dir, stem + ".atom", feeds::render_atom(with_self(f, "atom")));
    write(dir, stem + ".rss", feeds::render_rss(with_self(f, "rss")));
    write(dir, stem + ".json", feeds::render_json_feed(with_self(f, "json")));
    write(dir, stem + ".ics", feeds::render_ics(with_self(f, "ics")));
}

feeds::outlet_feed hundred_entries() {
    auto f = loa::tests::feeds::haiphong_schedule();
    const auto sample = f.items;
    f.items.clear();
    for (int i = 0; i < 100; ++i) {
        auto it = sample[static_cast<std::size_t>(i) % sample.size()];
        it.placement_id = 1000 + i;
        it.start += std::chrono::hours{i};
        f.items.push_back(it);
    }
    return f;
}

template <class Render>
void time_format(const char* name, int runs, Render render) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        bytes = render().size();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double q) { return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))]; };
    std::cout << name << ": 100 entries, " << bytes << " bytes, p50 " << at(0.5) << " ms, p99 " << at(0.99)
              << " ms (" << runs << " runs)\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string{argv[1]} == "--time") {
        const int runs = std::max(1, std::atoi(argv[2]));
        const auto f = hundred_entries();
        time_format("atom", runs, [&] { return feeds::render_atom(f); });
        time_format("rss", runs, [&] { return feeds::render_rss(f); });
        time_format("json", runs, [&] { return feeds::render_json_feed(f); });
        time_format("ics", runs, [&] { return feeds::render_ics(f); });
        return 0;
    }
    if (argc != 2) {
        std::cerr << "usage: feed_samples DIR | feed_samples --time N\n";
        return 2;
    }
    try {
        const fs::path dir = argv[1];
        fs::create_directories(dir);
        namespace s = loa::tests::feeds;
        schedule(dir, "schedule", s::haiphong_schedule());
        schedule(dir, "schedule-berlin", s::berlin_schedule());
        const auto news = s::haiphong_news();
        write(dir, "news.atom", feeds::render_atom(with_self(news, "atom")));
        write(dir, "news.rss", feeds::render_rss(with_self(news, "rss")));
        write(dir, "news.json", feeds::render_json_feed(with_self(news, "json")));
        write(dir, "events.ics", feeds::render_ics(s::haiphong_events()));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "feed_samples: " << e.what() << '\n';
        return 1;
    }
}
