// The real `loa serve` over loopback sockets with a real SQLite file: routes, limits, keep-alive,
// deadlines, metrics, the access log and graceful shutdown.
#include <signal.h>

#include <chrono>
#include <regex>
#include <memory>
#include <vector>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "loa_process.hpp"

namespace {
namespace server_test_cpp {

using namespace std::chrono_literals;
using loa::test::http_connection;
using loa::test::http_get;
using loa::test::served;

// Short deadlines so that the timeout tests take about a second each.
const std::string test_config = R"(# cấu hình máy chủ cho kiểm thử tích hợp — integration-test settings
threads: 2
header_timeout: 1s
body_timeout: 2s
write_timeout: 2s
idle_timeout: 1s
header_limit: 8KiB
body_limit: 64KiB
max_connections: 64
shutdown_grace: 2s
access_log: on
)";

std::string get_request(const std::string& target, const std::string& method = "GET") {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

TEST(server, prints_one_listening_line_with_the_real_port) {
    served s(test_config);
    EXPECT_TRUE(std::regex_match(s.listening_line(), std::regex(R"(loa: listening on http://127\.0\.0\.1:[0-9]+)")))
        << s.listening_line();
    EXPECT_NE(s.port(), 0);
    EXPECT_TRUE(std::filesystem::exists(s.dir().file("loa.db")));  // created on first start
}

TEST(server, healthz_answers_ok_json) {
    served s(test_config);
    const auto r = http_get(s.port(), "/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
    EXPECT_EQ(r->header("content-type"), "application/json");
    EXPECT_EQ(r->header("server"), "loa");
}

TEST(server, unknown_path_is_404_problem_json) {
    served s(test_config);
    const auto r = http_get(s.port(), "/kh%C3%B4ng-c%C3%B3");  // "/không-có"
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404u);
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
    EXPECT_NE(r->body.find(R"("status":404)"), std::string::npos);
    EXPECT_NE(r->body.find("không-có"), std::string::npos) << r->body;  // the decoded path
}

TEST(server, wrong_method_is_405_with_allow) {
    served s(test_config);
    const auto r = http_get(s.port(), "/healthz", "DELETE");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405u);
    EXPECT_EQ(r->header("allow"), "GET, HEAD");
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
}

TEST(server, head_has_the_get_headers_and_no_body) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send(get_request("/healthz")));
    const auto get = c.read_reply();
    ASSERT_TRUE(get);
    // A body after HEAD would be read as the start of the next response: ask for both at once.
    ASSERT_TRUE(c.send(get_request("/healthz", "HEAD") + get_request("/healthz")));
    const auto head = c.read_reply(true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200u);
    EXPECT_EQ(head->header("content-length"), get->header("content-length"));
    EXPECT_EQ(head->header("content-type"), get->header("content-type"));
    const auto after = c.read_reply();
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 200u);
    EXPECT_EQ(after->body, R"({"status":"ok"})");
}

TEST(server, keep_alive_serves_two_requests_on_one_connection) {
    served s(test_config);
    http_connection c(s.port());
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(c.send(get_request("/healthz")));
        const auto r = c.read_reply();
        ASSERT_TRUE(r) << "request " << i;
        EXPECT_EQ(r->status, 200u);
        EXPECT_NE(r->header("connection"), "close");
    }
}

TEST(server, http10_and_connection_close_end_the_connection) {
    served s(test_config);
    {
        http_connection c(s.port());
        ASSERT_TRUE(c.send("GET /healthz HTTP/1.0\r\n\r\n"));
        const auto r = c.read_reply();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->version_minor, 0);
        EXPECT_EQ(r->status, 200u);
        EXPECT_TRUE(c.wait_closed(1s));
    }
    {
        http_connection c(s.port());
        ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        const auto r = c.read_reply();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header("connection"), "close");
        EXPECT_TRUE(c.wait_closed(1s));
    }
}

TEST(server, body_over_the_limit_is_413_then_close) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1048576\r\n\r\n{\"văn bản\": \""));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413u);
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
    // The problem says what the limit is, so that a client knows how much it may send.
    EXPECT_NE(r->body.find("larger than the 65536 bytes this server accepts"), std::string::npos) << r->body;
    EXPECT_TRUE(c.wait_closed(2s));
}

TEST(server, chunked_body_over_the_limit_is_413) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk(16 * 1024, 'x');
    for (int i = 0; i < 5; ++i) c.send("4000\r\n" + chunk + "\r\n");  // 80 KiB > 64 KiB
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413u);
    EXPECT_TRUE(c.wait_closed(2s));
}

TEST(server, headers_over_the_limit_are_431_then_close) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Ghi-Chu: " + std::string(10 * 1024, 'a') + "\r\n\r\n"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431u);
    EXPECT_TRUE(c.wait_closed(2s));
}

TEST(server, garbage_is_400_then_close) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send("XIN CHÀO\x01 thế giới\r\n\r\n"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.wait_closed(2s));
    // The server is unharmed.
    EXPECT_EQ(http_get(s.port(), "/healthz")->status, 200u);
}

TEST(server, expect_100_continue_gets_an_interim_response) {
    served s(test_config);
    http_connection c(s.port());
    ASSERT_TRUE(c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
    const auto interim = c.read_reply();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100u);
    ASSERT_TRUE(c.send("{}"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405u);
}

TEST(server, slow_headers_are_cut_off_at_the_header_deadline) {
    served s(test_config);  // header_timeout: 1s
    http_connection c(s.port());
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\n"));
    // One header line every 200 ms: each arrives in time, the whole header never does.
    std::optional<std::chrono::milliseconds> closed;
    for (int i = 0; i < 15 && !closed; ++i) {
        c.send("X-Cham-" + std::to_string(i) + ": chậm\r\n");
        closed = c.wait_closed(200ms);
    }
    ASSERT_TRUE(closed) << "still open after 3 s";
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_GE(took, 900ms);
    EXPECT_LE(took, 1800ms);
    std::cerr << "slow client cut off after " << took.count() << " ms\n";
}

TEST(server, silent_connection_is_cut_off_at_the_header_deadline) {
    served s(test_config);
    http_connection c(s.port());
    const auto closed = c.wait_closed(3s);
    ASSERT_TRUE(closed);
    EXPECT_GE(*closed, 900ms);
    EXPECT_LE(*closed, 1800ms);
}

TEST(server, idle_keep_alive_connection_closes_after_the_idle_timeout) {
    served s(test_config);  // idle_timeout: 1s
    http_connection c(s.port());
    ASSERT_TRUE(c.send(get_request("/healthz")));
    ASSERT_TRUE(c.read_reply());
    const auto closed = c.wait_closed(3s);
    ASSERT_TRUE(closed);
    EXPECT_GE(*closed, 900ms);
    EXPECT_LE(*closed, 1800ms);
    std::cerr << "idle connection closed after " << closed->count() << " ms\n";
}

TEST(server, connections_beyond_the_limit_get_503) {
    served s(R"(max_connections: 2
header_timeout: 2s
)");
    http_connection a(s.port());
    http_connection b(s.port());
    // Both are registered once the server has answered on them.
    ASSERT_TRUE(a.send(get_request("/healthz")));
    ASSERT_TRUE(a.read_reply());
    ASSERT_TRUE(b.send(get_request("/healthz")));
    ASSERT_TRUE(b.read_reply());
    http_connection third(s.port());
    const auto r = third.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503u);
    EXPECT_TRUE(third.wait_closed(1s));
    // The two admitted connections still work.
    ASSERT_TRUE(a.send(get_request("/healthz")));
    EXPECT_EQ(a.read_reply()->status, 200u);
}

TEST(server, one_client_address_holds_at_most_its_share_of_the_connections) {
    // 127.0.0.2 and .3 stand for two clients; 127.0.0.1 is a trusted proxy (the default), whose
    // connections carry many clients and are not counted.
    served s(R"(max_connections_per_address: 2
header_timeout: 2s
)");
    const auto healthy = [&](http_connection& c) {
        if (!c.send(get_request("/healthz"))) return false;
        const auto r = c.read_reply();
        return r && r->status == 200u;
    };
    auto a = std::make_unique<http_connection>(s.port(), "127.0.0.2");
    http_connection b(s.port(), "127.0.0.2");
    ASSERT_TRUE(healthy(*a));
    ASSERT_TRUE(healthy(b));
    http_connection third(s.port(), "127.0.0.2");
    const auto r = third.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503u);
    EXPECT_TRUE(third.wait_closed(1s));
    http_connection other(s.port(), "127.0.0.3");
    EXPECT_TRUE(healthy(other));
    std::vector<std::unique_ptr<http_connection>> proxied;
    for (int i = 0; i < 4; ++i) {
        proxied.push_back(std::make_unique<http_connection>(s.port()));
        EXPECT_TRUE(healthy(*proxied.back())) << i;
    }
    // One of the two closes: the address may connect again (once the server has seen the close).
    a.reset();
    bool again = false;
    for (int i = 0; i < 40 && !again; ++i) {
        http_connection next(s.port(), "127.0.0.2");
        again = healthy(next);
        if (!again) std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(again);
}

TEST(server, metrics_count_requests_by_route_pattern) {
    served s(test_config);
    ASSERT_TRUE(http_get(s.port(), "/healthz"));
    ASSERT_TRUE(http_get(s.port(), "/healthz"));
    ASSERT_TRUE(http_get(s.port(), "/khong-co-gi"));
    ASSERT_TRUE(http_get(s.port(), "/api/v1/campaigns/chien-dich-1"));
    ASSERT_TRUE(http_get(s.port(), "/api/v1/campaigns/chien-dich-2"));
    http_connection open(s.port());  // counted in the gauge while /metrics is read
    ASSERT_TRUE(open.send(get_request("/metrics")));
    const auto r = open.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const auto& m = r->body;
    EXPECT_NE(m.find("loa_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("loa_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
              std::string::npos);
    // Two slugs, one series: the label is the pattern.
    EXPECT_NE(m.find("route=\"/api/v1/campaigns/{slug}\",method=\"GET\""), std::string::npos);
    EXPECT_EQ(m.find("chien-dich"), std::string::npos);
    EXPECT_NE(m.find("loa_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"),
              std::string::npos);
    EXPECT_NE(m.find("loa_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"), std::string::npos);
    EXPECT_NE(m.find("loa_http_request_duration_seconds_sum{route=\"/healthz\"} "), std::string::npos);
    EXPECT_NE(m.find("# TYPE loa_http_open_connections gauge\nloa_http_open_connections "), std::string::npos);
    EXPECT_EQ(m.find("loa_http_open_connections 0\n"), std::string::npos);
    EXPECT_NE(m.find("loa_db_queue_depth 0\n"), std::string::npos);
}

TEST(server, access_log_has_one_line_per_request) {
    served s(test_config);
    ASSERT_TRUE(http_get(s.port(), "/healthz"));
    ASSERT_TRUE(http_get(s.port(), "/khong-co", "HEAD"));
    s.process().signal(SIGTERM);
    ASSERT_EQ(s.process().wait(5s), 0);
    const auto log = s.process().stderr_text();
    EXPECT_TRUE(std::regex_search(log, std::regex(R"(access GET /healthz 200 15B [0-9.]+ms\n)"))) << log;
    EXPECT_TRUE(std::regex_search(log, std::regex(R"(access HEAD /khong-co 404 0B [0-9.]+ms\n)"))) << log;
}

TEST(shutdown, sigterm_lets_an_in_flight_request_finish_and_exits_0) {
    served s(test_config);
    http_connection c(s.port());
    // A request under way: its header is half sent when the signal comes.
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    std::this_thread::sleep_for(100ms);
    const auto signalled = std::chrono::steady_clock::now();
    s.process().signal(SIGTERM);
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(s.process().running());
    // New connections are refused once the listener has stopped.
    EXPECT_ANY_THROW(http_connection refused(s.port()));
    ASSERT_TRUE(c.send("\r\n"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(s.process().wait(3s), 0);
    std::cerr << "exited "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - signalled).count()
              << " ms after SIGTERM\n";
}

TEST(shutdown, sigint_closes_idle_keep_alive_connections_at_once) {
    served s(R"(idle_timeout: 30s
shutdown_grace: 5s
)");
    http_connection c(s.port());
    ASSERT_TRUE(c.send(get_request("/healthz")));
    ASSERT_TRUE(c.read_reply());
    const auto start = std::chrono::steady_clock::now();
    s.process().signal(SIGINT);
    const auto closed = c.wait_closed(2s);
    ASSERT_TRUE(closed);
    EXPECT_LE(*closed, 500ms);
    // No in-flight request: the server does not wait out the 5 s grace.
    EXPECT_EQ(s.process().wait(2s), 0);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_LE(took, 1000ms);
    std::cerr << "idle connection closed after " << closed->count() << " ms, exit after " << took.count() << " ms\n";
}

TEST(shutdown, grace_period_bounds_a_request_that_never_finishes) {
    served s(R"(header_timeout: 30s
shutdown_grace: 1s
)");
    http_connection c(s.port());
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    s.process().signal(SIGTERM);
    EXPECT_TRUE(c.wait_closed(3s));
    EXPECT_EQ(s.process().wait(3s), 0);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_GE(took, 900ms);
    EXPECT_LE(took, 2500ms);
    std::cerr << "stuck request: exit after " << took.count() << " ms (grace 1 s)\n";
}

TEST(serve_cli, help_exits_0) {
    loa::test::temp_dir dir;
    loa::test::loa_process p({"serve", "--help"}, dir.file("err"));
    const auto line = p.read_line();
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("usage: loa serve"), std::string::npos);
    EXPECT_EQ(p.wait(5s), 0);
}

TEST(serve_cli, unknown_config_key_is_reported_with_its_position_and_exits_1) {
    loa::test::temp_dir dir;
    const auto cfg = dir.write("máy-chủ.yaml", "threads: 2\nidle_timeot: 5s\n");
    loa::test::loa_process p({"serve", "--db", dir.file("loa.db").string(), "--config", cfg.string()},
                             dir.file("err"));
    EXPECT_EQ(p.wait(5s), 1);
    EXPECT_NE(p.stderr_text().find(cfg.string() + ":2:1: unknown key 'idle_timeot' (did you mean 'idle_timeout'?)"),
              std::string::npos)
        << p.stderr_text();
}

TEST(serve_cli, missing_db_is_a_usage_error) {
    loa::test::temp_dir dir;
    loa::test::loa_process p({"serve", "--listen", "127.0.0.1:0"}, dir.file("err"));
    EXPECT_EQ(p.wait(5s), 2);
}

TEST(serve_cli, flags_override_the_config_file) {
    // The file asks for a fixed port; --listen 127.0.0.1:0 wins.
    served s("listen: 127.0.0.1:1\nthreads: 1\n", {"--threads", "3"});
    EXPECT_NE(s.port(), 1);
    EXPECT_EQ(http_get(s.port(), "/healthz")->status, 200u);
}

TEST(serve_cli, address_in_use_fails_cleanly) {
    served first(test_config);
    loa::test::temp_dir dir;
    loa::test::loa_process p({"serve", "--db", dir.file("loa.db").string(), "--listen",
                              "127.0.0.1:" + std::to_string(first.port())},
                             dir.file("err"));
    EXPECT_EQ(p.wait(5s), 3);
    EXPECT_NE(p.stderr_text().find("cannot listen"), std::string::npos) << p.stderr_text();
}

}  // namespace server_test_cpp
}  // namespace
