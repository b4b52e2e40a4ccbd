// The media feeds over real HTTP (docs/feeds.md): `loa serve --as-of` a rehearsal of the bundled
// Hai Phong plan, a token from `loa token add`, every format read by real parsers
// (tests/feeds/check_feed.sh), validators and 304s, gzip, one 404 for every refusal, revocation and
// a re-plan seen within about a second, public campaign feeds, no token in the logs.
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <csignal>

#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"

namespace {
namespace feeds_test_cpp {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using loa::test::http_connection;
using loa::test::http_reply;

constexpr const char* campaign = "haiphong-2024-anti-trafficking";
constexpr const char* outlet = "thp-radio";
constexpr const char* as_of = "2024-07-28T00:00:00+07:00";

std::string last_line(const std::string& out) {
    std::string s = out;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    const auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// One request with the given extra header lines ("Name: value\r\n" each) on a fresh connection.
http_reply request(unsigned short port, const std::string& target, const std::string& headers = {},
                   const std::string& method = "GET") {
    http_connection c(port);
    EXPECT_TRUE(c.send(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                       "Connection: close\r\n\r\n"));
    auto r = c.read_reply(method == "HEAD");
    if (!r) throw std::runtime_error("no reply to " + method + " " + target);
    return *r;
}

// The instant of an HTTP Date header (IMF-fixdate, read with the C library's strptime, not the
// server's parser), or nullopt when it is not one.
std::optional<std::chrono::sys_seconds> imf_fixdate(const std::string& text) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr || *end != '\0' || text.size() != 29) return std::nullopt;
    return std::chrono::sys_seconds{std::chrono::seconds{timegm(&tm)}};
}

// The reply's headers without Date, after checking that Date is there once and says now (within a
// few seconds): two answers compared header by header may be a second apart.
std::vector<std::pair<std::string, std::string>> headers_but_date(const http_reply& r) {
    std::vector<std::pair<std::string, std::string>> out;
    int dates = 0;
    for (const auto& h : r.headers) {
        if (h.first != "date") {
            out.push_back(h);
            continue;
        }
        ++dates;
        const auto t = imf_fixdate(h.second);
        EXPECT_TRUE(t) << "Date: " << h.second;
        if (t) {
            const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            EXPECT_LE(*t, now) << h.second;
            EXPECT_GE(*t, now - std::chrono::seconds(10)) << h.second;
        }
    }
    EXPECT_EQ(dates, 1);
    return out;
}

std::string gunzip(const std::string& in) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) return "(inflateInit2 failed)";
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::string out;
    std::array<char, 16384> buf{};
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - z.avail_out);
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : "(not gzip)";
}

struct checked {
    int status = -1;
    std::string output;  // the parsers' JSON summary, or their complaint
};

// tests/feeds/check_feed.sh on `text` written to DIR/name.
checked check_feed(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path file = dir / name;
    std::ofstream(file, std::ios::binary) << text;
    const std::string cmd = "bash " LOA_SOURCE_DIR "/tests/feeds/check_feed.sh '" + file.string() + "' 2>&1";
    checked out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.output.append(buf.data(), n);
    const int st = ::pclose(p);
    out.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

class feeds_e2e : public ::testing::Test {
protected:
    void SetUp() override {
        // The database is made before the server starts (import and the plan as of 20 July).
        const auto db = dir_.file("loa.db").string();
        auto r = loa({"import", LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml", "--db", db});
        ASSERT_EQ(r.status, 0) << r.err;
        r = loa({"plan", "--db", db, "--campaign", campaign, "--as-of", "2024-07-20T08:00:00+07:00"});
        ASSERT_EQ(r.status, 0) << r.err << r.out;
        r = loa({"token", "add", "--db", db, "--outlet", outlet, "--label", "Phần mềm phát sóng"});
        ASSERT_EQ(r.status, 0) << r.err;
        token_ = last_line(r.out);
        ASSERT_TRUE(token_.starts_with("loa_ft_")) << r.out;
        db_ = db;
    }

    loa::test::run_result loa(const std::vector<std::string>& args) {
        return loa::test::run_loa(dir_.path(), args);
    }

    std::string feed(const std::string& file) const {
        return std::string("/feeds/outlets/") + outlet + "/" + file + "?token=" + token_;
    }

    loa::test::temp_dir dir_;
    std::string db_;
    std::string token_;
};

// `loa serve` on our database: served() makes its own directory, so run the binary here instead.
class server_on {
public:
    server_on(const fs::path& dir, const std::string& db, std::vector<std::string> extra,
              const std::string& extra_config = "") {
        const auto config = dir / "server.yaml";
        std::ofstream(config) << "dispatch: off\npublic_url: https://loa.example/\n" << extra_config;
        std::vector<std::string> args{"serve",    "--db",         db, "--listen", "127.0.0.1:0",
                                      "--config", config.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        process_.emplace(args, dir / "serve.log");
        const auto line = process_->read_line();
        if (!line) throw std::runtime_error("no listening line: " + process_->stderr_text());
        port_ = static_cast<unsigned short>(std::stoul(line->substr(line->rfind(':') + 1)));
    }
    ~server_on() {
        if (process_ && process_->running()) {
            process_->signal(SIGTERM);
            (void)process_->wait(10s);
        }
    }
    [[nodiscard]] unsigned short port() const { return port_; }
    loa::test::loa_process& process() { return *process_; }

private:
    std::optional<loa::test::loa_process> process_;
    unsigned short port_ = 0;
};

// `serve --as-of` without an offset reads it on the campaigns' clock (Hai Phong's), as `loa plan` and
// `loa import` do: the same feed as with the offset written out. (It was read as UTC, seven hours
// later, so the same text rehearsed another instant in serve than in plan.)
TEST_F(feeds_e2e, an_as_of_without_an_offset_is_the_campaigns_wall_clock) {
    std::string with_offset;
    {
        server_on srv(dir_.path(), db_, {"--as-of", as_of});
        const auto r = request(srv.port(), feed("schedule.json"));
        ASSERT_EQ(r.status, 200u) << r.body;
        with_offset = r.body;
    }
    server_on srv(dir_.path(), db_, {"--as-of", "2024-07-28T00:00"});
    const auto r = request(srv.port(), feed("schedule.json"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body, with_offset);
}

TEST_F(feeds_e2e, every_format_reads_cleanly_with_vietnamese_text_and_validators_give_304) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    const struct {
        const char* file;
        const char* type;
    } formats[] = {{"schedule.atom", "application/atom+xml"},
                   {"schedule.rss", "application/rss+xml"},
                   {"schedule.json", "application/feed+json"},
                   {"schedule.ics", "text/calendar"}};
    for (const auto& f : formats) {
        SCOPED_TRACE(f.file);
        const auto r = request(srv.port(), feed(f.file));
        ASSERT_EQ(r.status, 200u) << r.body;
        EXPECT_TRUE(r.header("content-type").value_or("").starts_with(f.type));
        EXPECT_EQ(r.header("cache-control"), "private, max-age=60");
        EXPECT_TRUE(contains(r.header("vary").value_or(""), "Accept-Encoding"));
        EXPECT_FALSE(r.header("content-encoding"));
        // The feed is about the rehearsal's day (as of 28 July 2024), in Vietnamese, and its links
        // are the public URL's, never with the token.
        EXPECT_TRUE(contains(r.body, "2024-07-28") || contains(r.body, "20240728")) << r.body.substr(0, 2000);
        EXPECT_TRUE(contains(r.body, "Hải Phòng") || contains(r.body, "H\\u1ea3i Ph\\u00f2ng"))
            << r.body.substr(0, 2000);
        EXPECT_FALSE(contains(r.body, token_));
        if (std::string(f.file) != "schedule.ics") {
            EXPECT_TRUE(contains(r.body, "https://loa.example/feeds/outlets/thp-radio/"))
                << r.body.substr(0, 2000);
        }
        const auto c = check_feed(dir_.path(), f.file, r.body);
        EXPECT_EQ(c.status, 0) << c.output;
        EXPECT_TRUE(contains(c.output, "\"count\"")) << c.output;

        // The same bytes again: the same strong ETag and Last-Modified.
        const auto etag = r.header("etag").value_or("");
        const auto lm = r.header("last-modified").value_or("");
        ASSERT_TRUE(etag.size() > 2 && etag.front() == '"' && etag.back() == '"') << etag;
        ASSERT_FALSE(lm.empty());
        const auto again = request(srv.port(), feed(f.file));
        EXPECT_EQ(again.body, r.body);
        EXPECT_EQ(again.header("etag"), etag);
        EXPECT_EQ(again.header("last-modified"), lm);

        // If-None-Match (in a list, or weak) → 304 with the same validators and Cache-Control, no body.
        for (const std::string& inm :
             std::vector<std::string>{etag, "\"nope\", " + etag, "W/" + etag, std::string("*")}) {
            const auto nm = request(srv.port(), feed(f.file), "If-None-Match: " + inm + "\r\n");
            EXPECT_EQ(nm.status, 304u) << inm;
            EXPECT_EQ(nm.header("etag"), etag);
            EXPECT_EQ(nm.header("last-modified"), lm);
            EXPECT_EQ(nm.header("cache-control"), "private, max-age=60");
            EXPECT_TRUE(nm.body.empty());
        }
        // If-Modified-Since → 304; a non-matching If-None-Match wins over it → 200.
        EXPECT_EQ(request(srv.port(), feed(f.file), "If-Modified-Since: " + lm + "\r\n").status, 304u);
        EXPECT_EQ(
            request(srv.port(), feed(f.file), "If-None-Match: \"other\"\r\nIf-Modified-Since: " + lm + "\r\n")
                .status,
            200u);
        EXPECT_EQ(
            request(srv.port(), feed(f.file), "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n").status,
            200u);

        // gzip when accepted: the same bytes once decoded, its own ETag; q=0 refuses it.
        const auto gz = request(srv.port(), feed(f.file), "Accept-Encoding: br, gzip;q=0.8\r\n");
        ASSERT_EQ(gz.status, 200u);
        EXPECT_EQ(gz.header("content-encoding"), "gzip");
        EXPECT_EQ(gunzip(gz.body), r.body);
        EXPECT_NE(gz.header("etag"), etag);
        EXPECT_EQ(
            request(srv.port(), feed(f.file),
                    "If-None-Match: " + gz.header("etag").value_or("") + "\r\nAccept-Encoding: gzip\r\n")
                .status,
            304u);
        const auto no_gz = request(srv.port(), feed(f.file), "Accept-Encoding: gzip;q=0, br\r\n");
        EXPECT_FALSE(no_gz.header("content-encoding"));
        EXPECT_EQ(no_gz.body, r.body);

        // HEAD: the GET's headers and length, no body.
        const auto head = request(srv.port(), feed(f.file), {}, "HEAD");
        EXPECT_EQ(head.status, 200u);
        EXPECT_EQ(head.header("content-length"), std::to_string(r.body.size()));
        EXPECT_EQ(head.header("etag"), etag);
        EXPECT_TRUE(head.body.empty());
    }
    // Authorization: Bearer works as well as ?token=.
    const auto bearer = request(srv.port(), std::string("/feeds/outlets/") + outlet + "/schedule.atom",
                                "Authorization: Bearer " + token_ + "\r\n");
    EXPECT_EQ(bearer.status, 200u);

    // The token never reaches the log.
    srv.process().signal(SIGTERM);
    ASSERT_EQ(srv.process().wait(10s), 0);
    const std::string log = srv.process().stderr_text();
    EXPECT_TRUE(contains(log, "token=REDACTED")) << log.substr(0, 2000);
    EXPECT_FALSE(contains(log, token_)) << log.substr(0, 2000);
}

TEST_F(feeds_e2e, every_refusal_is_the_same_404_and_a_revoked_token_is_refused_within_a_second) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    const std::string base = std::string("/feeds/outlets/") + outlet + "/";
    ASSERT_EQ(request(srv.port(), feed("schedule.ics")).status, 200u);

    const auto reference = request(srv.port(), base + "schedule.ics");  // no token
    ASSERT_EQ(reference.status, 404u);
    const auto same_404 = [&](const http_reply& r, const std::string& what) {
        EXPECT_EQ(r.status, 404u) << what;
        EXPECT_EQ(r.body, reference.body) << what;
        EXPECT_EQ(headers_but_date(r), headers_but_date(reference)) << what;
    };
    same_404(request(srv.port(), base + "schedule.ics?token=loa_ft_wrong"), "bad token");
    same_404(request(srv.port(), "/feeds/outlets/khong-ton-tai/schedule.ics?token=" + token_),
             "unknown outlet");
    same_404(request(srv.port(), base + "schedule.pdf?token=" + token_), "unknown file");
    same_404(request(srv.port(), base + "schedule.ics", "Authorization: Bearer loa_ft_wrong\r\n"),
             "bad bearer");

    // Another outlet's token does not open this outlet.
    auto r = loa({"token", "add", "--db", db_, "--outlet", "thp-tv"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string tv_token = last_line(r.out);
    same_404(request(srv.port(), base + "schedule.ics?token=" + tv_token), "another outlet's token");
    // ... but opens its own once the server has seen it (another process wrote it).
    const auto tv_deadline = std::chrono::steady_clock::now() + 3s;
    unsigned tv_status = 0;
    while (std::chrono::steady_clock::now() < tv_deadline &&
           (tv_status =
                request(srv.port(), "/feeds/outlets/thp-tv/schedule.atom?token=" + tv_token).status) != 200)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(tv_status, 200u);

    // Revoked from the shell: refused within about a second, with the same 404.
    r = loa({"token", "list", "--db", db_, "--outlet", outlet, "--format", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto id_at = r.out.find("\"id\":");
    ASSERT_NE(id_at, std::string::npos) << r.out;
    const std::string id = std::to_string(std::stol(r.out.substr(r.out.find_first_of("0123456789", id_at))));
    r = loa({"token", "revoke", "--db", db_, "--id", id});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto start = std::chrono::steady_clock::now();
    http_reply after;
    do {
        after = request(srv.port(), feed("schedule.ics"));
    } while (after.status == 200 && std::chrono::steady_clock::now() - start < 5s &&
             (std::this_thread::sleep_for(20ms), true));
    same_404(after, "revoked token");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(feeds_e2e, a_replan_that_moves_or_drops_placements_shows_within_a_second) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    const auto before_ics = request(srv.port(), feed("schedule.ics"));
    const auto before_atom = request(srv.port(), feed("schedule.atom"));
    ASSERT_EQ(before_ics.status, 200u);
    ASSERT_TRUE(contains(before_ics.body, "DTSTART"))
        << "no placement in the window: " << before_ics.body.substr(0, 1500);
    EXPECT_FALSE(contains(before_ics.body, "STATUS:CANCELLED"));

    // The radio goes off air for the whole of 28 July: the campaign file says so, it is imported
    // again and re-planned (as of 20 July, before every freeze), from the shell.
    std::ifstream in(LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml");
    std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string clock = "      - {minute: 0, seconds: 60}\n      - {minute: 30, seconds: 60}\n";
    const auto radio = yaml.find("  - slug: thp-radio");
    const auto at = yaml.find(clock, radio);
    ASSERT_NE(at, std::string::npos);
    yaml.insert(at + clock.size(),
                "    blackouts:\n"
                "      - start: \"2024-07-28T00:00\"\n"
                "        end: \"2024-07-29T00:00\"\n"
                "        reason: {vi: Bảo trì máy phát, en: Transmitter maintenance}\n");
    const auto file = dir_.path() / "haiphong-blackout.yaml";
    std::ofstream(file) << yaml;
    auto r = loa({"import", file.string(), "--db", db_});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa({"plan", "--db", db_, "--campaign", campaign, "--as-of", "2024-07-20T08:00:00+07:00"});
    ASSERT_EQ(r.status, 0) << r.err << r.out;

    const auto start = std::chrono::steady_clock::now();
    http_reply after;
    do {
        after = request(srv.port(), feed("schedule.ics"));
    } while (after.body == before_ics.body && std::chrono::steady_clock::now() - start < 5s &&
             (std::this_thread::sleep_for(20ms), true));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    ASSERT_NE(after.body, before_ics.body);
    EXPECT_NE(after.header("etag"), before_ics.header("etag"));
    // What aired on 28 July is cancelled or moved (SEQUENCE above 0).
    EXPECT_TRUE(contains(after.body, "STATUS:CANCELLED") || contains(after.body, "SEQUENCE:1"))
        << after.body.substr(0, 3000);
    const auto c = check_feed(dir_.path(), "after.ics", after.body);
    EXPECT_EQ(c.status, 0) << c.output;
    EXPECT_TRUE(contains(c.output, "CANCELLED") || contains(c.output, "\"sequence\": 1")) << c.output;

    // The Atom feed changed too; the old ETag no longer gives 304.
    const auto atom = request(srv.port(), feed("schedule.atom"),
                              "If-None-Match: " + before_atom.header("etag").value_or("") + "\r\n");
    EXPECT_EQ(atom.status, 200u);
    EXPECT_NE(atom.body, before_atom.body);
    EXPECT_EQ(check_feed(dir_.path(), "after.atom", atom.body).status, 0);
}

// A re-plan with nothing new (the same plan asked for again, and as of two days later) leaves every
// placement where it was, so every feed keeps its bytes: an automation polling with its ETag still
// gets 304, and a calendar sees no SEQUENCE move.
TEST_F(feeds_e2e, a_replan_with_nothing_new_leaves_every_feed_as_it_was) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    std::vector<std::pair<std::string, std::string>> etags;
    for (const char* f : {"schedule.ics", "schedule.atom", "schedule.rss", "schedule.json"}) {
        const auto r = request(srv.port(), feed(f));
        ASSERT_EQ(r.status, 200u) << f;
        etags.emplace_back(f, r.header("etag").value_or(""));
    }
    for (const char* at : {"2024-07-20T08:00:00+07:00", "2024-07-22T08:00:00+07:00"}) {
        const auto r = loa({"plan", "--db", db_, "--campaign", campaign, "--as-of", at});
        ASSERT_EQ(r.status, 0) << r.err << r.out;
        EXPECT_TRUE(contains(r.err, " kept, 0 new, 0 moved, 0 cancelled)")) << r.err;
    }
    // Longer than the feeds take to show a change (a_replan_that_moves_or_drops_placements_…).
    std::this_thread::sleep_for(1500ms);
    for (const auto& [f, etag] : etags) {
        const auto r = request(srv.port(), feed(f), "If-None-Match: " + etag + "\r\n");
        EXPECT_EQ(r.status, 304u) << f << ": " << r.body.substr(0, 800);
    }
}

TEST_F(feeds_e2e, campaign_feeds_are_public_and_cacheable) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    const std::string base = std::string("/feeds/campaigns/") + campaign + "/";
    for (const char* file : {"news.atom", "news.rss", "news.json", "events.ics"}) {
        SCOPED_TRACE(file);
        const auto r = request(srv.port(), base + file);
        ASSERT_EQ(r.status, 200u) << r.body;
        EXPECT_EQ(r.header("cache-control"), "public, max-age=300");
        EXPECT_EQ(r.header("vary"), "Accept-Encoding");
        const auto c = check_feed(dir_.path(), file, r.body);
        EXPECT_EQ(c.status, 0) << c.output;
        EXPECT_TRUE(contains(r.body, "Hải Phòng") || contains(r.body, "H\\u1ea3i Ph\\u00f2ng"))
            << r.body.substr(0, 1500);
        EXPECT_EQ(request(srv.port(), base + file, "If-None-Match: " + r.header("etag").value_or("") + "\r\n")
                      .status,
                  304u);
    }
    EXPECT_EQ(request(srv.port(), "/feeds/campaigns/khong-co/news.atom").status, 404u);
    EXPECT_EQ(request(srv.port(), base + "news.xml").status, 404u);
    // /metrics counts the feed requests by outcome.
    const auto m = request(srv.port(), "/metrics");
    EXPECT_TRUE(contains(m.body, "loa_feed_requests_total{outcome=\"not_modified\"}"))
        << m.body.substr(0, 500);
}

// A feed answered from memory (a GET/HEAD with no cookie whose bytes are fresh) is the answer the
// ordinary way gives (the same request with an unrelated cookie goes through dispatch): status,
// headers in order and body, on keep-alive connections (the second answer of a connection reuses
// the head it wrote), with one access-log line each (token redacted) and the same metrics.
// loa_feed_answers_from_memory_total from /metrics.
std::uint64_t from_memory(unsigned short port) {
    const auto m = loa::test::http_get(port, "/metrics");
    const std::string name = "\nloa_feed_answers_from_memory_total ";
    if (!m) throw std::runtime_error("no /metrics");
    const auto at = m->body.find(name);
    if (at == std::string::npos) throw std::runtime_error("no " + name.substr(1) + "in /metrics");
    return std::stoull(m->body.substr(at + name.size()));
}

TEST_F(feeds_e2e, answers_from_memory_are_the_answers_of_the_ordinary_way) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    ASSERT_EQ(request(srv.port(), feed("schedule.atom")).status, 200u);  // rendered: now in memory
    const auto plain = request(srv.port(), feed("schedule.atom"));
    const auto gz = request(srv.port(), feed("schedule.atom"), "Accept-Encoding: gzip\r\n");
    const std::string etag = plain.header("etag").value_or("");
    const std::string gz_etag = gz.header("etag").value_or("");
    const std::string lm = plain.header("last-modified").value_or("");
    ASSERT_FALSE(etag.empty());
    const std::string path = std::string("/feeds/outlets/") + outlet + "/schedule.atom";
    const std::string news = std::string("/feeds/campaigns/") + campaign + "/news.atom";
    ASSERT_EQ(request(srv.port(), news).status, 200u);

    struct variant {
        std::string method, target, headers;
    };
    const std::vector<variant> variants = {
        {"GET", feed("schedule.atom"), ""},
        {"GET", feed("schedule.atom"), "Accept-Encoding: gzip\r\n"},
        {"GET", feed("schedule.atom"), "If-None-Match: " + etag + "\r\n"},
        {"GET", feed("schedule.atom"), "Accept-Encoding: gzip\r\nIf-None-Match: " + gz_etag + "\r\n"},
        {"GET", feed("schedule.atom"), "If-Modified-Since: " + lm + "\r\n"},
        {"GET", feed("schedule.atom"), "If-None-Match: \"no\"\r\nIf-Modified-Since: " + lm + "\r\n"},
        {"HEAD", feed("schedule.atom"), ""},
        {"HEAD", feed("schedule.atom"), "If-None-Match: " + etag + "\r\n"},
        {"GET", path, "Authorization: Bearer " + token_ + "\r\n"},
        {"GET", path + "?token=loa_ft_wrong", ""},
        {"GET", news, ""},
        {"GET", news, "If-None-Match: *\r\n"},
    };
    for (const auto& v : variants) {
        SCOPED_TRACE(v.method + " " + v.target + " " + v.headers);
        const bool head = v.method == "HEAD";
        // Two requests on one connection each way.
        const auto twice = [&](const std::string& extra) {
            http_connection c(srv.port());
            std::vector<http_reply> out;
            for (int i = 0; i < 2; ++i) {
                EXPECT_TRUE(c.send(v.method + " " + v.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + v.headers + extra +
                                   "\r\n"));
                auto r = c.read_reply(head);
                if (!r) throw std::runtime_error("no reply");
                out.push_back(*r);
            }
            return out;
        };
        // The answers without a cookie come from memory (the counter says so), except a refusal;
        // a request with a cookie always goes the ordinary way.
        const std::uint64_t before = from_memory(srv.port());
        const auto fast = twice("");
        const std::uint64_t between = from_memory(srv.port());
        const auto slow = twice("Cookie: unrelated=1\r\n");
        EXPECT_EQ(between - before, contains(v.target, "loa_ft_wrong") ? 0u : 2u);
        EXPECT_EQ(from_memory(srv.port()), between);
        for (std::size_t i = 0; i < 2; ++i) {
            EXPECT_EQ(fast[i].status, slow[i].status);
            EXPECT_EQ(headers_but_date(fast[i]), headers_but_date(slow[i]));
            EXPECT_EQ(fast[i].body, slow[i].body);
        }
    }
    // Every request counted by its route pattern, and logged once with the token redacted.
    const auto m = request(srv.port(), "/metrics");
    EXPECT_TRUE(contains(m.body, "route=\"/feeds/outlets/{slug}/{file}\",method=\"GET\",status=\"304\""))
        << m.body.substr(0, 3000);
    srv.process().signal(SIGTERM);
    ASSERT_EQ(srv.process().wait(10s), 0);
    const std::string log = srv.process().stderr_text();
    EXPECT_FALSE(contains(log, token_));
    std::size_t lines_304 = 0;
    for (std::size_t at = 0; (at = log.find("access GET " + path + "?token=REDACTED 304", at)) != std::string::npos; ++at)
        ++lines_304;
    EXPECT_EQ(lines_304, 12u) << log.substr(0, 3000);  // 3 GET variants answered 304 × 2 requests × 2 ways
}

// One connection asking for different answers in turn (identity and gzip, 200 and 304, GET and
// HEAD, HTTP/1.0 with keep-alive, another feed): each answer from memory is the ordinary way's,
// whatever head the connection wrote before it.
TEST_F(feeds_e2e, one_connection_asking_for_different_answers_gets_each_as_the_ordinary_way_gives_it) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    ASSERT_EQ(request(srv.port(), feed("schedule.atom")).status, 200u);  // rendered: now in memory
    const std::string etag = request(srv.port(), feed("schedule.atom")).header("etag").value_or("");
    const std::string gz_etag =
        request(srv.port(), feed("schedule.atom"), "Accept-Encoding: gzip\r\n").header("etag").value_or("");
    ASSERT_FALSE(etag.empty());
    ASSERT_FALSE(gz_etag.empty());
    const std::string news = std::string("/feeds/campaigns/") + campaign + "/news.atom";
    ASSERT_EQ(request(srv.port(), news).status, 200u);

    struct ask {
        std::string request_line, headers;
        bool head = false;
    };
    const std::string atom = feed("schedule.atom");
    const std::vector<ask> asks = {
        {"GET " + atom + " HTTP/1.1", ""},
        {"GET " + atom + " HTTP/1.1", "Accept-Encoding: gzip\r\n"},
        {"GET " + atom + " HTTP/1.1", "If-None-Match: " + etag + "\r\n"},
        {"GET " + atom + " HTTP/1.1", "Accept-Encoding: gzip\r\nIf-None-Match: " + gz_etag + "\r\n"},
        {"HEAD " + atom + " HTTP/1.1", "", true},
        {"GET " + atom + " HTTP/1.0", "Connection: keep-alive\r\n"},
        {"GET " + news + " HTTP/1.1", ""},
        {"GET " + news + " HTTP/1.1", "If-None-Match: *\r\n"},
    };
    const auto send = [](http_connection& c, const ask& a, const std::string& extra) {
        return c.send(a.request_line + "\r\nHost: 127.0.0.1\r\n" + a.headers + extra + "\r\n");
    };
    // The ordinary way's answers (a cookie keeps a request from memory), one connection each.
    std::vector<http_reply> expected;
    for (const auto& a : asks) {
        http_connection c(srv.port());
        ASSERT_TRUE(send(c, a, "Cookie: unrelated=1\r\n"));
        const auto r = c.read_reply(a.head);
        ASSERT_TRUE(r);
        expected.push_back(*r);
    }
    ASSERT_EQ(expected[1].header("content-encoding").value_or(""), "gzip");
    ASSERT_EQ(expected[2].status, 304u);
    ASSERT_EQ(expected[7].status, 304u);

    const std::vector<std::size_t> order = {0, 0, 1, 0, 2, 2, 3, 1, 4, 0, 4, 5, 5, 0, 6, 7, 6, 0, 2, 3, 3};
    const std::uint64_t before = from_memory(srv.port());
    http_connection c(srv.port());
    for (std::size_t n = 0; n < order.size(); ++n) {
        const auto& a = asks[order[n]];
        SCOPED_TRACE(std::to_string(n) + ": " + a.request_line + " " + a.headers);
        ASSERT_TRUE(send(c, a, ""));
        const auto r = c.read_reply(a.head);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, expected[order[n]].status);
        EXPECT_EQ(headers_but_date(*r), headers_but_date(expected[order[n]]));
        EXPECT_EQ(r->body, expected[order[n]].body);
    }
    EXPECT_EQ(from_memory(srv.port()) - before, order.size());
}

// Every answer carries Date (RFC 9110 6.6.1), the ordinary way's and those from memory; a head a
// connection reuses is dated again: the second answer, a second later, says the later time.
TEST_F(feeds_e2e, every_answer_is_dated_now_also_a_reused_head) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    for (const char* target : {"/healthz", "/feeds/khong-co.atom"}) {
        const auto r = request(srv.port(), target);
        SCOPED_TRACE(target);
        (void)headers_but_date(r);
    }
    ASSERT_EQ(request(srv.port(), feed("schedule.atom")).status, 200u);  // rendered: now in memory
    http_connection c(srv.port());
    const std::string get = "GET " + feed("schedule.atom") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_TRUE(c.send(get));
    const auto first = c.read_reply();
    ASSERT_TRUE(first);
    const auto first_date = imf_fixdate(first->header("date").value_or(""));
    ASSERT_TRUE(first_date);
    // Into the next second (the server's clock is this machine's).
    while (std::chrono::system_clock::now() < *first_date + std::chrono::seconds(1)) std::this_thread::sleep_for(20ms);
    const std::uint64_t before = from_memory(srv.port());
    ASSERT_TRUE(c.send(get));
    const auto second = c.read_reply();
    ASSERT_TRUE(second);
    EXPECT_EQ(from_memory(srv.port()) - before, 1u);  // answered from memory, with the reused head
    const auto second_date = imf_fixdate(second->header("date").value_or(""));
    ASSERT_TRUE(second_date);
    EXPECT_GT(*second_date, *first_date);
    EXPECT_EQ(headers_but_date(*second), headers_but_date(*first));
    EXPECT_EQ(second->body, first->body);
}

// A keep-alive connection waiting after an answer from memory is closed after the idle timeout,
// counted from that answer, as after any other.
TEST_F(feeds_e2e, a_connection_idle_after_an_answer_from_memory_closes_after_the_idle_timeout) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of}, "idle_timeout: 1s\n");
    ASSERT_EQ(request(srv.port(), feed("schedule.atom")).status, 200u);  // rendered: now in memory
    const std::uint64_t before = from_memory(srv.port());
    http_connection c(srv.port());
    ASSERT_TRUE(c.send("GET " + feed("schedule.atom") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const auto reply = c.read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200u);
    EXPECT_EQ(from_memory(srv.port()) - before, 1u);
    const auto closed = c.wait_closed(3s);
    ASSERT_TRUE(closed);
    EXPECT_GE(*closed, 900ms);
    EXPECT_LE(*closed, 1800ms);
}

// Answers from memory on one connection whatever the requests' timing: many pipelined in one write
// (the header is parsed from the bytes already read; the answers are more than the socket takes at
// once, so a write waits for the client to read), and a header that comes in two pieces. Each
// answer is the ordinary way's (the same request with a cookie on a keep-alive connection).
TEST_F(feeds_e2e, pipelined_and_split_requests_get_the_answers_of_the_ordinary_way_from_memory) {
    server_on srv(dir_.path(), db_, {"--as-of", as_of});
    ASSERT_EQ(request(srv.port(), feed("schedule.atom")).status, 200u);  // rendered: now in memory
    const std::string etag = request(srv.port(), feed("schedule.atom")).header("etag").value_or("");
    ASSERT_FALSE(etag.empty());
    const std::string get = "GET " + feed("schedule.atom") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    const std::string conditional = get + "If-None-Match: " + etag + "\r\n";
    std::vector<http_reply> expected;
    {
        http_connection slow(srv.port());
        for (const auto& r : {get, conditional}) {
            ASSERT_TRUE(slow.send(r + "Cookie: unrelated=1\r\n\r\n"));
            const auto reply = slow.read_reply();
            ASSERT_TRUE(reply);
            expected.push_back(*reply);
        }
    }
    ASSERT_EQ(expected[0].status, 200u);
    ASSERT_EQ(expected[1].status, 304u);
    const auto same = [&expected](const http_reply& r, std::size_t which) {
        EXPECT_EQ(r.status, expected[which].status);
        EXPECT_EQ(headers_but_date(r), headers_but_date(expected[which]));
        EXPECT_EQ(r.body, expected[which].body);
    };

    const std::uint64_t before = from_memory(srv.port());
    constexpr int pairs = 40;
    {
        http_connection c(srv.port());
        std::string all;
        for (int i = 0; i < pairs; ++i) all += get + "\r\n" + conditional + "\r\n";
        ASSERT_TRUE(c.send(all));
        std::this_thread::sleep_for(300ms);  // the server fills the socket and waits
        for (int i = 0; i < 2 * pairs; ++i) {
            SCOPED_TRACE("pipelined answer " + std::to_string(i));
            const auto r = c.read_reply();
            ASSERT_TRUE(r);
            same(*r, static_cast<std::size_t>(i % 2));
        }
        // A header in two pieces: its first part is parsed, the rest read, then the same answer.
        for (std::size_t which = 0; which < 2; ++which) {
            const std::string whole = (which == 0 ? get : conditional) + "\r\n";
            const std::size_t cut = whole.size() / 2;
            ASSERT_TRUE(c.send(whole.substr(0, cut)));
            std::this_thread::sleep_for(100ms);
            ASSERT_TRUE(c.send(whole.substr(cut)));
            const auto r = c.read_reply();
            ASSERT_TRUE(r);
            same(*r, which);
        }
    }
    EXPECT_EQ(from_memory(srv.port()) - before, static_cast<std::uint64_t>(2 * pairs + 2));
}

}  // namespace feeds_test_cpp
}  // namespace
