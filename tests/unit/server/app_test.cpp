// Server wiring pieces: settings decoding (defaults, units, FILE:LINE:COL errors; the dispatcher's
// keys and --dispatch-allow), the metrics exposition (the dispatcher's too), and the db executor
// (result, exception, void, queue depth) on a real SQLite file.
#include "server/app/settings.hpp"

#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "server/app/db_executor.hpp"
#include "server/app/metrics.hpp"

namespace {
namespace app_test_cpp {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using loa::app::load_settings_text;

TEST(settings, defaults_are_the_documented_ones) {
    const loa::app::settings s;
    EXPECT_EQ(s.listen_host, "127.0.0.1");
    EXPECT_EQ(s.listen_port, 8080);
    EXPECT_EQ(s.threads, 2u);
    EXPECT_EQ(s.header_timeout, 10s);
    EXPECT_EQ(s.idle_timeout, 30s);
    EXPECT_EQ(s.header_limit, 8u * 1024);
    EXPECT_EQ(s.body_limit, 1024u * 1024);
    EXPECT_EQ(s.max_connections, 1024u);
    EXPECT_EQ(s.max_connections_per_address, 64u);
    EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
    EXPECT_EQ(s.shutdown_grace, 10s);
    EXPECT_TRUE(s.access_log);
}

TEST(settings, every_key_decodes) {
    auto r = load_settings_text(R"(# máy chủ thử nghiệm
listen: "[::1]:9090"
threads: 4
header_timeout: 1s
body_timeout: 500ms
write_timeout: 2m
idle_timeout: 15
header_limit: 16KiB
body_limit: 2MiB
max_connections: 10
max_connections_per_address: 0
trusted_proxies: [10.0.0.2, "::ffff:10.0.0.2", "[2001:DB8::7]", 10.0.0.3]
shutdown_grace: 3s
access_log: off
db_busy_timeout: 250ms
)",
                                "server.yaml");
    ASSERT_TRUE(r.errors.empty()) << r.errors[0].to_string();
    const auto& s = r.value;
    EXPECT_EQ(s.listen_host, "::1");
    EXPECT_EQ(s.listen_port, 9090);
    EXPECT_EQ(s.threads, 4u);
    EXPECT_EQ(s.header_timeout, 1s);
    EXPECT_EQ(s.body_timeout, 500ms);
    EXPECT_EQ(s.write_timeout, 120s);
    EXPECT_EQ(s.idle_timeout, 15s);
    EXPECT_EQ(s.header_limit, 16u * 1024);
    EXPECT_EQ(s.body_limit, 2u * 1024 * 1024);
    EXPECT_EQ(s.max_connections, 10u);
    EXPECT_EQ(s.max_connections_per_address, 0u);
    // Normalized (IPv4-mapped as IPv4, brackets off, lower case), each once.
    EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"10.0.0.2", "2001:db8::7", "10.0.0.3"}));
    EXPECT_EQ(s.shutdown_grace, 3s);
    EXPECT_FALSE(s.access_log);
    EXPECT_EQ(s.db_busy_timeout, 250ms);
}

TEST(settings, the_documented_example_file_loads_and_states_the_defaults) {
    auto r = loa::app::load_settings_file(LOA_SOURCE_DIR "/docs/server-config.example.yaml");
    ASSERT_TRUE(r.errors.empty()) << r.errors[0].to_string();
    const loa::app::settings d;
    EXPECT_EQ(r.value.listen_host, d.listen_host);
    EXPECT_EQ(r.value.listen_port, d.listen_port);
    EXPECT_EQ(r.value.threads, d.threads);
    EXPECT_EQ(r.value.header_timeout, d.header_timeout);
    EXPECT_EQ(r.value.body_timeout, d.body_timeout);
    EXPECT_EQ(r.value.write_timeout, d.write_timeout);
    EXPECT_EQ(r.value.idle_timeout, d.idle_timeout);
    EXPECT_EQ(r.value.header_limit, d.header_limit);
    EXPECT_EQ(r.value.body_limit, d.body_limit);
    EXPECT_EQ(r.value.max_connections, d.max_connections);
    EXPECT_EQ(r.value.max_connections_per_address, d.max_connections_per_address);
    EXPECT_EQ(r.value.trusted_proxies, d.trusted_proxies);
    EXPECT_EQ(r.value.shutdown_grace, d.shutdown_grace);
    EXPECT_EQ(r.value.access_log, d.access_log);
    EXPECT_EQ(r.value.db_busy_timeout, d.db_busy_timeout);
    EXPECT_EQ(r.value.dispatch, d.dispatch);
    EXPECT_EQ(r.value.dispatch_allow_loopback, d.dispatch_allow_loopback);
    EXPECT_EQ(r.value.dispatch_allow_private, d.dispatch_allow_private);
    EXPECT_EQ(r.value.dispatch_allow_link_local, d.dispatch_allow_link_local);
    EXPECT_EQ(r.value.dispatch_connect_timeout, d.dispatch_connect_timeout);
    EXPECT_EQ(r.value.dispatch_response_timeout, d.dispatch_response_timeout);
    EXPECT_EQ(r.value.dispatch_ca_file, d.dispatch_ca_file);
    EXPECT_EQ(r.value.dispatch_poll, d.dispatch_poll);
    EXPECT_EQ(r.value.dispatch_concurrency, d.dispatch_concurrency);
}

TEST(settings, trusted_proxies_are_addresses_or_none) {
    auto none = load_settings_text("trusted_proxies: none\n", "s.yaml");
    ASSERT_TRUE(none.errors.empty());
    EXPECT_TRUE(none.value.trusted_proxies.empty());
    auto empty = load_settings_text("trusted_proxies: []\n", "s.yaml");
    ASSERT_TRUE(empty.errors.empty());
    EXPECT_TRUE(empty.value.trusted_proxies.empty());
    auto bad = load_settings_text("trusted_proxies: [127.0.0.1, proxy.local]\n", "s.yaml");
    ASSERT_EQ(bad.errors.size(), 1u);
    EXPECT_EQ(bad.errors[0].to_string(),
              "s.yaml:1:30: trusted_proxies: expected IP addresses such as 127.0.0.1, got 'proxy.local'");
}

TEST(settings, empty_file_keeps_defaults) {
    auto r = load_settings_text("", "empty.yaml");
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.value.threads, 2u);
}

TEST(settings, unknown_key_has_position_and_suggestion) {
    auto r = load_settings_text("threads: 2\nheader_timout: 5s\n", "cfg/server.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].to_string(),
              "cfg/server.yaml:2:1: unknown key 'header_timout' (did you mean 'header_timeout'?)");
}

TEST(settings, a_key_given_twice_is_refused_where_it_is_given_again) {
    // Not the last one silently winning: which of two values was meant is the writer's to say.
    auto r = load_settings_text("header_timeout: 5s\nthreads: 2\nheader_timeout: 50s\nthreads: 2\n",
                                "cfg/server.yaml");
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].to_string(), "cfg/server.yaml:3:1: duplicate key 'header_timeout' (first at 1:1)");
    EXPECT_EQ(r.errors[1].to_string(), "cfg/server.yaml:4:1: duplicate key 'threads' (first at 2:1)");
}

TEST(settings, every_bad_value_is_reported_with_its_position) {
    auto r = load_settings_text("threads: nhiều\nbody_limit: 1 TB\nidle_timeout: [1, 2]\nlisten: localhost\n"
                                "access_log: maybe\n",
                                "s.yaml");
    ASSERT_EQ(r.errors.size(), 5u);
    EXPECT_EQ(r.errors[0].line, 1);
    EXPECT_EQ(r.errors[0].column, 10);
    EXPECT_NE(r.errors[0].message.find("threads"), std::string::npos);
    EXPECT_EQ(r.errors[1].line, 2);
    EXPECT_EQ(r.errors[2].line, 3);
    EXPECT_EQ(r.errors[3].line, 4);
    EXPECT_EQ(r.errors[4].line, 5);
}

TEST(settings, syntax_error_is_one_positioned_diagnostic) {
    auto r = load_settings_text("threads: [2\n", "bad.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_GT(r.errors[0].line, 0);
    EXPECT_EQ(r.errors[0].file, "bad.yaml");
}

TEST(settings, not_a_mapping) {
    auto r = load_settings_text("- threads\n", "list.yaml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 1);
}

TEST(settings, units) {
    EXPECT_EQ(loa::app::parse_duration("10s"), 10s);
    EXPECT_EQ(loa::app::parse_duration("10"), 10s);
    EXPECT_EQ(loa::app::parse_duration("750ms"), 750ms);
    EXPECT_EQ(loa::app::parse_duration("2h"), 2h);
    EXPECT_FALSE(loa::app::parse_duration("-1s"));
    EXPECT_FALSE(loa::app::parse_duration("s"));
    EXPECT_FALSE(loa::app::parse_duration("10 days"));
    EXPECT_EQ(loa::app::parse_size("8KiB"), 8192u);
    EXPECT_EQ(loa::app::parse_size("512"), 512u);
    EXPECT_FALSE(loa::app::parse_size("1.5MiB"));
}

TEST(settings, listen_forms) {
    loa::app::settings s;
    EXPECT_FALSE(loa::app::set_listen(s, "0.0.0.0:0"));
    EXPECT_EQ(s.listen_host, "0.0.0.0");
    EXPECT_EQ(s.listen_port, 0);
    EXPECT_TRUE(loa::app::set_listen(s, "127.0.0.1:65536"));
    EXPECT_TRUE(loa::app::set_listen(s, ":80"));
    EXPECT_TRUE(loa::app::set_listen(s, "[::1]"));
}

TEST(settings, dispatcher_defaults_are_the_documented_ones) {
    const loa::app::settings s;
    EXPECT_TRUE(s.dispatch);
    EXPECT_FALSE(s.dispatch_allow_loopback);
    EXPECT_FALSE(s.dispatch_allow_private);
    EXPECT_FALSE(s.dispatch_allow_link_local);
    EXPECT_EQ(s.dispatch_connect_timeout, 5s);
    EXPECT_EQ(s.dispatch_response_timeout, 10s);
    EXPECT_EQ(s.dispatch_ca_file, "");
    EXPECT_EQ(s.dispatch_poll, 500ms);
    EXPECT_EQ(s.dispatch_concurrency, 512u);
}

TEST(settings, every_dispatcher_key_decodes) {
    auto r = load_settings_text(R"(# bộ gửi webhook
dispatch: off
dispatch_allow: [loopback, link_local]
dispatch_connect_timeout: 2s
dispatch_response_timeout: 1m
dispatch_ca_file: /etc/loa/chứng-chỉ.pem
dispatch_poll: 250ms
dispatch_concurrency: 64
)",
                                "server.yaml");
    ASSERT_TRUE(r.errors.empty()) << r.errors[0].to_string();
    const auto& s = r.value;
    EXPECT_FALSE(s.dispatch);
    EXPECT_TRUE(s.dispatch_allow_loopback);
    EXPECT_FALSE(s.dispatch_allow_private);
    EXPECT_TRUE(s.dispatch_allow_link_local);
    EXPECT_EQ(s.dispatch_connect_timeout, 2s);
    EXPECT_EQ(s.dispatch_response_timeout, 60s);
    EXPECT_EQ(s.dispatch_ca_file, "/etc/loa/chứng-chỉ.pem");
    EXPECT_EQ(s.dispatch_poll, 250ms);
    EXPECT_EQ(s.dispatch_concurrency, 64u);
}

TEST(settings, dispatch_allow_takes_one_word_a_list_or_none) {
    auto one = load_settings_text("dispatch_allow: private\n", "s.yaml");
    ASSERT_TRUE(one.errors.empty());
    EXPECT_TRUE(one.value.dispatch_allow_private);
    EXPECT_FALSE(one.value.dispatch_allow_loopback);

    loa::app::settings allowing;
    allowing.dispatch_allow_loopback = true;
    for (const char* text : {"dispatch_allow: none\n", "dispatch_allow: []\n", "dispatch_allow:\n"}) {
        auto none = load_settings_text(text, "s.yaml", allowing);
        ASSERT_TRUE(none.errors.empty()) << text;
        EXPECT_FALSE(none.value.dispatch_allow_loopback) << text;
    }
}

TEST(settings, bad_dispatcher_values_are_reported_with_their_position) {
    auto r = load_settings_text("dispatch: maybe\n"
                                "dispatch_allow: [loopback, internet]\n"
                                "dispatch_connect_timeout: 0s\n"
                                "dispatch_response_timeout: mười giây\n"
                                "dispatch_poll: [1]\n"
                                "dispatch_concurrency: 0\n"
                                "dispatch_allow: {a: 1}\n"
                                "dispatch_alow: loopback\n",
                                "cfg/server.yaml");
    ASSERT_EQ(r.errors.size(), 8u);
    EXPECT_EQ(r.errors[0].to_string(), "cfg/server.yaml:1:11: dispatch: expected on or off, got 'maybe'");
    EXPECT_EQ(r.errors[1].to_string(),
              "cfg/server.yaml:2:28: dispatch_allow: unknown address range 'internet' (expected loopback, private, "
              "link_local or none)");
    EXPECT_EQ(r.errors[2].line, 3);
    EXPECT_NE(r.errors[2].message.find("above zero"), std::string::npos);
    EXPECT_EQ(r.errors[3].line, 4);
    EXPECT_EQ(r.errors[4].line, 5);
    EXPECT_EQ(r.errors[5].line, 6);
    EXPECT_NE(r.errors[5].message.find("dispatch_concurrency"), std::string::npos);
    EXPECT_EQ(r.errors[6].line, 7);
    EXPECT_EQ(r.errors[7].to_string(),
              "cfg/server.yaml:8:1: unknown key 'dispatch_alow' (did you mean 'dispatch_allow'?)");
}

TEST(settings, dispatch_allow_flag_forms) {
    loa::app::settings s;
    EXPECT_FALSE(loa::app::set_dispatch_allow(s, "loopback"));
    EXPECT_TRUE(s.dispatch_allow_loopback);
    EXPECT_FALSE(loa::app::set_dispatch_allow(s, "private, link_local"));
    EXPECT_FALSE(s.dispatch_allow_loopback);  // the flag replaces the file's list
    EXPECT_TRUE(s.dispatch_allow_private);
    EXPECT_TRUE(s.dispatch_allow_link_local);
    EXPECT_FALSE(loa::app::set_dispatch_allow(s, "none"));
    EXPECT_FALSE(s.dispatch_allow_private || s.dispatch_allow_link_local);

    const auto e = loa::app::set_dispatch_allow(s, "loopback,lan");
    ASSERT_TRUE(e);
    EXPECT_NE(e->find("'lan'"), std::string::npos);
    EXPECT_FALSE(s.dispatch_allow_loopback);  // unchanged on error
    EXPECT_TRUE(loa::app::set_dispatch_allow(s, ""));
    EXPECT_TRUE(loa::app::set_dispatch_allow(s, "loopback,"));
}

TEST(metrics, dispatcher_exposition) {
    loa::app::dispatch_metrics d;
    d.by_state = {{"pending", 3}, {"in_flight", 1}, {"delivered", 40}};
    d.due_now = 2;
    d.oldest_due_age_s = 1.5;
    auto text = loa::app::render_dispatch_metrics(d);
    EXPECT_NE(text.find("# TYPE loa_dispatch_queue_depth gauge\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_queue_depth{state=\"delivered\"} 40\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_due 2\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_oldest_due_seconds 1.5\n"), std::string::npos);
    EXPECT_EQ(text.find("loa_dispatch_outcomes_total"), std::string::npos);  // no runner: no counts

    static constexpr double bounds[] = {0.1, 1.0};
    d.running = true;
    d.delivered = 7;
    d.retried = 2;
    d.attempts = 9;
    d.lateness_bounds = bounds;
    d.lateness_buckets = {5, 6};
    d.lateness_count = 7;
    d.lateness_sum = 3.25;
    text = loa::app::render_dispatch_metrics(d);
    EXPECT_NE(text.find("loa_dispatch_outcomes_total{outcome=\"delivered\"} 7\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_outcomes_total{outcome=\"retry\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_attempts_total 9\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE loa_dispatch_lateness_seconds histogram\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_lateness_seconds_bucket{le=\"0.1\"} 5\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_lateness_seconds_bucket{le=\"1\"} 6\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_lateness_seconds_bucket{le=\"+Inf\"} 7\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_lateness_seconds_sum 3.25\n"), std::string::npos);
    EXPECT_NE(text.find("loa_dispatch_lateness_seconds_count 7\n"), std::string::npos);
}

TEST(metrics, exposition_has_counters_histogram_and_gauges) {
    loa::app::metrics_registry m;
    m.observe_request("/api/v1/campaigns/{slug}", "GET", 200, 0.003);
    m.observe_request("/api/v1/campaigns/{slug}", "GET", 200, 0.2);
    m.observe_request("unmatched", "BREW", 404, 0.0001);
    m.connection_opened();
    m.connection_opened();
    m.connection_closed();
    const auto text = m.render(3);
    EXPECT_NE(text.find("# TYPE loa_http_requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("loa_http_requests_total{route=\"/api/v1/campaigns/{slug}\",method=\"GET\",status=\"200\"} 2\n"),
              std::string::npos);
    // Unknown methods do not grow the label set.
    EXPECT_NE(text.find("loa_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("# TYPE loa_http_request_duration_seconds histogram\n"), std::string::npos);
    EXPECT_NE(text.find("loa_http_request_duration_seconds_bucket{route=\"/api/v1/campaigns/{slug}\",le=\"0.001\"} 0\n"),
              std::string::npos);
    EXPECT_NE(text.find("loa_http_request_duration_seconds_bucket{route=\"/api/v1/campaigns/{slug}\",le=\"0.005\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("loa_http_request_duration_seconds_bucket{route=\"/api/v1/campaigns/{slug}\",le=\"+Inf\"} 2\n"),
              std::string::npos);
    EXPECT_NE(text.find("loa_http_request_duration_seconds_count{route=\"/api/v1/campaigns/{slug}\"} 2\n"),
              std::string::npos);
    EXPECT_NE(text.find("loa_http_request_duration_seconds_sum{route=\"/api/v1/campaigns/{slug}\"} 0.203\n"),
              std::string::npos);
    EXPECT_NE(text.find("loa_http_open_connections 1\n"), std::string::npos);
    EXPECT_NE(text.find("loa_db_queue_depth 3\n"), std::string::npos);
}

TEST(metrics, exposition_orders_series_by_route_method_and_status) {
    loa::app::metrics_registry m;
    m.observe_request("/b", "POST", 201, 0.002);
    m.observe_request("/a", "GET", 404, 0.02);
    m.observe_request("/b", "GET", 200, 0.0005);
    m.observe_request("/a", "GET", 200, 0.001);
    m.observe_request("/b", "BREW", 200, 3.0);
    m.observe_request("/a", "GET", 200, 0.5);
    m.observe_request("/q\"\\", "GET", 200, 0.5);
    const auto text = m.render(0);
    EXPECT_NE(text.find("loa_http_requests_total{route=\"/a\",method=\"GET\",status=\"200\"} 2\n"
                        "loa_http_requests_total{route=\"/a\",method=\"GET\",status=\"404\"} 1\n"
                        "loa_http_requests_total{route=\"/b\",method=\"GET\",status=\"200\"} 1\n"
                        "loa_http_requests_total{route=\"/b\",method=\"POST\",status=\"201\"} 1\n"
                        "loa_http_requests_total{route=\"/b\",method=\"other\",status=\"200\"} 1\n"
                        "loa_http_requests_total{route=\"/q\\\"\\\\\",method=\"GET\",status=\"200\"} 1\n"
                        "# HELP loa_http_request_duration_seconds"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("loa_http_request_duration_seconds_count{route=\"/a\"} 3\n"
                        "loa_http_request_duration_seconds_bucket{route=\"/b\",le=\"0.001\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("loa_http_request_duration_seconds_bucket{route=\"/b\",le=\"10\"} 3\n"
                        "loa_http_request_duration_seconds_bucket{route=\"/b\",le=\"+Inf\"} 3\n"
                        "loa_http_request_duration_seconds_sum{route=\"/b\"} 3.0025\n"
                        "loa_http_request_duration_seconds_count{route=\"/b\"} 3\n"),
              std::string::npos)
        << text;
}

TEST(metrics, concurrent_recording_loses_nothing) {
    loa::app::metrics_registry m;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&m] {
            for (int i = 0; i < 1000; ++i) m.observe_request("/healthz", "GET", 200, 0.0005);
        });
    for (auto& t : threads) t.join();
    EXPECT_NE(m.render(0).find("status=\"200\"} 4000\n"), std::string::npos);
}

// db_executor on a real file.
class db_executor_test : public ::testing::Test {
protected:
    db_executor_test() : dir_(fs::temp_directory_path() / ("loa-dbx-test-" + std::to_string(std::random_device{}()))) {
        fs::create_directories(dir_);
    }
    ~db_executor_test() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
};

std::thread::id db_thread_id(loa::core::database&) { return std::this_thread::get_id(); }

asio::awaitable<std::pair<std::thread::id, std::thread::id>> hop(loa::app::db_executor& db) {
    const auto there = co_await db.run(db_thread_id);
    co_return std::pair{there, std::this_thread::get_id()};
}

TEST_F(db_executor_test, runs_on_its_own_thread_and_resumes_on_the_callers) {
    loa::app::db_executor db(dir_ / "loa.db", {});
    asio::io_context ioc;
    auto f = asio::co_spawn(asio::make_strand(ioc), hop(db), asio::use_future);
    ioc.run();
    const auto [there, back] = f.get();
    EXPECT_NE(there, std::this_thread::get_id());
    EXPECT_EQ(back, std::this_thread::get_id());
    EXPECT_TRUE(fs::exists(dir_ / "loa.db"));
}

struct no_default {
    explicit no_default(std::string v) : value(std::move(v)) {}
    std::string value;
};

no_default write_and_read(loa::core::database& db) {
    db.sql().exec("CREATE TABLE IF NOT EXISTS t(v TEXT)");
    db.sql().exec("INSERT INTO t VALUES ('Không để trẻ em nào bị bỏ lại phía sau')");
    return no_default(db.sql().execAndGet("SELECT v FROM t").getString());
}

void fail(loa::core::database&) { throw std::runtime_error("disk on fire"); }

asio::awaitable<std::string> use(loa::app::db_executor& db) {
    const auto v = co_await db.run(write_and_read);
    std::string what;
    try {
        co_await db.run(fail);
    } catch (const std::runtime_error& e) {
        what = e.what();
    }
    co_return v.value + "|" + what;
}

TEST_F(db_executor_test, returns_values_without_default_constructor_and_rethrows) {
    loa::app::db_executor db(dir_ / "loa.db", {});
    asio::io_context ioc;
    auto f = asio::co_spawn(ioc, use(db), asio::use_future);
    ioc.run();
    EXPECT_EQ(f.get(), "Không để trẻ em nào bị bỏ lại phía sau|disk on fire");
    EXPECT_EQ(db.queue_depth(), 0u);
}

void sleep_a_bit(loa::core::database&) { std::this_thread::sleep_for(50ms); }

asio::awaitable<void> slow(loa::app::db_executor& db) { co_await db.run(sleep_a_bit); }

TEST_F(db_executor_test, queue_depth_counts_waiting_jobs) {
    loa::app::db_executor db(dir_ / "loa.db", {});
    asio::io_context ioc;
    for (int i = 0; i < 3; ++i) asio::co_spawn(ioc, slow(db), asio::detached);
    ioc.poll();  // every coroutine has queued its job
    EXPECT_EQ(db.queue_depth(), 3u);
    ioc.run();
    EXPECT_EQ(db.queue_depth(), 0u);
}

// Named job objects with strings, short (in-place) and long (on the heap), const and not. (A
// temporary job does not compile: GCC 12 corrupts class temporaries in co_await expressions.)
struct echo_job {
    std::string short_text;
    std::string long_text;
    std::string operator()(loa::core::database& db) const {
        return db.sql().execAndGet("SELECT 'ok'").getString() + ":" + short_text + ":" + long_text;
    }
};

asio::awaitable<std::string> echo_twice(loa::app::db_executor& db, std::string long_text) {
    const echo_job job{"hải-phòng", long_text};
    std::string first;
    first = co_await db.run(job);
    echo_job other{"x", long_text};
    std::string second;
    second = co_await db.run(other);
    std::string both = first + "|" + second;
    co_return both;
}

template <class Job>
concept accepts_temporary_job = requires(loa::app::db_executor& db) { db.run(Job{}); };
static_assert(!accepts_temporary_job<echo_job>, "a temporary job must not compile");

TEST_F(db_executor_test, job_objects_with_strings_survive_the_trip) {
    loa::app::db_executor db(dir_ / "loa.db", {});
    asio::io_context ioc;
    const std::string long_text(100, 'a');
    auto f = asio::co_spawn(asio::make_strand(ioc), echo_twice(db, long_text), asio::use_future);
    ioc.run();
    EXPECT_EQ(f.get(), "ok:hải-phòng:" + long_text + "|ok:x:" + long_text);
}

TEST_F(db_executor_test, open_failure_throws) {
    EXPECT_ANY_THROW(loa::app::db_executor(dir_ / "no-such-dir" / "loa.db", {}));
}

}  // namespace app_test_cpp
}  // namespace
