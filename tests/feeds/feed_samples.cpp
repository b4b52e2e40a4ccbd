// feed_samples DIR: writes the sample feeds of tests/feeds/sample_models.hpp into DIR for the
// parser checks (check_feed.sh): schedule.{atom,rss,json,ics} (Hải Phòng: moved, cancelled and
// hostile placements), schedule-berlin.{atom,rss,json,ics} (an outlet abroad, across a DST change),
// news.{atom,rss,json} and events.ics (all-day, recurring, cancelled, Europe/Berlin).
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

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

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: feed_samples DIR\n";
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
