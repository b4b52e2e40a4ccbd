// The webhook sender against a real receiver on loopback (HTTP, and HTTPS with a CA and certificates
// made at test time): signatures verified at the receiver, statuses, Retry-After, timeouts, refused
// addresses, certificate and host name checks.
#include "server/dispatch/webhook_client.hpp"
#include "server/handlers/dispatch_pages.hpp"
#include "scheduler/dispatch/retry_policy.hpp"

#include <gtest/gtest.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <fstream>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "scheduler/dispatch/retry_policy.hpp"
#include "scheduler/dispatch/signature.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace webhook_client_test_cpp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace sd = loa::scheduler::dispatch;
using tcp = asio::ip::tcp;
using loa::delivery::address_policy;
using loa::delivery::client_settings;
using loa::delivery::refused_address;
using loa::delivery::webhook_client;
using loa::delivery::webhook_request;
using namespace std::chrono_literals;

// ---- refused_address ---------------------------------------------------------------------------

TEST(AddressPolicy, PublicAddressesPass) {
    const address_policy none;
    for (const char* ip : {"8.8.8.8", "1.1.1.1", "203.162.4.191", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                           "100.128.0.1", "169.253.255.255", "223.255.255.255", "2001:4860:4860::8888",
                           "2404:6800:4005:80a::200e", "::ffff:8.8.8.8"}) {
        EXPECT_FALSE(refused_address(ip, none)) << ip;
    }
}

TEST(AddressPolicy, LoopbackPrivateAndLinkLocalNeedTheirSwitch) {
    struct range_case {
        const char* ip;
        const char* kind;
        bool address_policy::*allow;
    };
    const range_case cases[] = {
        {"127.0.0.1", "loopback", &address_policy::allow_loopback},
        {"127.255.255.254", "loopback", &address_policy::allow_loopback},
        {"::1", "loopback", &address_policy::allow_loopback},
        {"::ffff:127.0.0.1", "loopback", &address_policy::allow_loopback},
        {"10.0.0.1", "private", &address_policy::allow_private},
        {"10.255.255.255", "private", &address_policy::allow_private},
        {"172.16.0.1", "private", &address_policy::allow_private},
        {"172.31.255.255", "private", &address_policy::allow_private},
        {"192.168.1.10", "private", &address_policy::allow_private},
        {"100.64.0.1", "private", &address_policy::allow_private},
        {"100.127.255.255", "private", &address_policy::allow_private},
        {"fc00::1", "private", &address_policy::allow_private},
        {"fd12:3456:789a::1", "private", &address_policy::allow_private},
        {"fec0::1", "private", &address_policy::allow_private},
        {"::ffff:10.1.2.3", "private", &address_policy::allow_private},
        {"::ffff:192.168.0.1", "private", &address_policy::allow_private},
        {"64:ff9b::a00:1", "private", &address_policy::allow_private},  // NAT64 of 10.0.0.1
        {"169.254.169.254", "link-local", &address_policy::allow_link_local},  // cloud metadata
        {"169.254.0.1", "link-local", &address_policy::allow_link_local},
        {"fe80::1", "link-local", &address_policy::allow_link_local},
        {"febf::1", "link-local", &address_policy::allow_link_local},
        {"::ffff:169.254.169.254", "link-local", &address_policy::allow_link_local},
    };
    for (const auto& c : cases) {
        address_policy p;
        const auto why = refused_address(c.ip, p);
        ASSERT_TRUE(why) << c.ip;
        EXPECT_NE(why->find(c.kind), std::string::npos) << *why;
        EXPECT_NE(why->find(c.ip), std::string::npos) << *why;  // says which address
        p.*c.allow = true;
        EXPECT_FALSE(refused_address(c.ip, p)) << c.ip << " with its switch on";
        // Another switch does not open it.
        address_policy other;
        other.allow_loopback = other.allow_private = other.allow_link_local = true;
        other.*c.allow = false;
        EXPECT_TRUE(refused_address(c.ip, other)) << c.ip;
    }
}

TEST(AddressPolicy, SomeAddressesAreNeverTargets) {
    address_policy all;
    all.allow_loopback = all.allow_private = all.allow_link_local = true;
    for (const char* ip : {"0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1",
                           "::", "ff02::1", "ff05::1:3", "::ffff:0.0.0.0", "::ffff:224.0.0.251",
                           "::ffff:255.255.255.255"}) {
        EXPECT_TRUE(refused_address(ip, all)) << ip;
    }
}

TEST(AddressPolicy, GarbageIsNotAnAddress) {
    const address_policy none;
    for (const char* ip : {"", "localhost", "256.1.1.1", "1.2.3", "::g", "hooks.example.vn"}) {
        const auto why = refused_address(ip, none);
        ASSERT_TRUE(why) << ip;
        EXPECT_NE(why->find("not an IP address"), std::string::npos) << *why;
    }
}

// ---- a real receiver ---------------------------------------------------------------------------

namespace {

constexpr const char* secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct seen_request {
    std::string method, target, host, content_type, user_agent, id, timestamp, signature, body, server_name;
};

struct behaviour {
    unsigned status = 200;
    std::string retry_after;
    std::string body = R"({"ok":true})";
    bool never_answer = false;  // reads the request, then nothing
    bool silent = false;        // accepts the connection, then nothing at all (not even TLS)
};

behaviour answering(unsigned status, std::string retry_after = "", std::string body = R"({"ok":true})") {
    behaviour b;
    b.status = status;
    b.retry_after = std::move(retry_after);
    b.body = std::move(body);
    return b;
}

// Everything the receiver's coroutines share; they hold it by shared_ptr, so it outlives the test
// body when the io_context is destroyed with a session still waiting.
struct receiver_state {
    explicit receiver_state(asio::io_context& ioc) : acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
    tcp::acceptor acceptor;
    behaviour how;
    std::shared_ptr<ssl::context> tls;  // null: plain HTTP
    std::mutex mutex;  // guards seen: sessions may run on several threads
    std::vector<seen_request> seen;
};

template <class Stream>
asio::awaitable<void> answer(Stream& stream, std::shared_ptr<receiver_state> st, std::string server_name) {
    beast::flat_buffer buffer;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(1 << 20);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec) co_return;
    const auto& rq = parser.get();
    seen_request s;
    s.method = std::string(rq.method_string());
    s.target = std::string(rq.target());
    s.host = std::string(rq[bhttp::field::host]);
    s.content_type = std::string(rq[bhttp::field::content_type]);
    s.user_agent = std::string(rq[bhttp::field::user_agent]);
    s.id = std::string(rq["webhook-id"]);
    s.timestamp = std::string(rq["webhook-timestamp"]);
    s.signature = std::string(rq["webhook-signature"]);
    s.body = rq.body();
    s.server_name = std::move(server_name);
    {
        const std::lock_guard lock(st->mutex);
        st->seen.push_back(std::move(s));
    }

    if (st->how.never_answer) {
        asio::steady_timer forever(co_await asio::this_coro::executor, 1h);
        co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(st->how.status), 11};
    res.set(bhttp::field::content_type, "application/json");
    if (!st->how.retry_after.empty()) res.set(bhttp::field::retry_after, st->how.retry_after);
    res.body() = st->how.body;
    res.keep_alive(false);
    res.prepare_payload();
    co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> serve_plain(tcp::socket socket, std::shared_ptr<receiver_state> st) {
    beast::tcp_stream stream(std::move(socket));
    co_await answer(stream, st, "");
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> serve_tls(tcp::socket socket, std::shared_ptr<receiver_state> st) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *st->tls);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    co_await answer(stream, st, sni != nullptr ? sni : "");
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> hold(tcp::socket socket, std::shared_ptr<receiver_state> st) {
    asio::steady_timer forever(socket.get_executor(), 1h);
    co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)st;
}

asio::awaitable<void> accept_loop(std::shared_ptr<receiver_state> st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        if (st->how.silent)
            asio::co_spawn(st->acceptor.get_executor(), hold(std::move(socket), st), asio::detached);
        else if (st->tls)
            asio::co_spawn(st->acceptor.get_executor(), serve_tls(std::move(socket), st), asio::detached);
        else
            asio::co_spawn(st->acceptor.get_executor(), serve_plain(std::move(socket), st), asio::detached);
    }
}

std::shared_ptr<receiver_state> start_receiver(asio::io_context& ioc, behaviour how,
                                               std::shared_ptr<ssl::context> tls = nullptr) {
    auto st = std::make_shared<receiver_state>(ioc);
    st->how = std::move(how);
    st->tls = std::move(tls);
    asio::co_spawn(ioc, accept_loop(st), asio::detached);
    return st;
}

// One post() on the io_context, run until it is done (receivers still waiting are left behind).
sd::attempt_result run_post(asio::io_context& ioc, webhook_client& client, webhook_request req) {
    std::optional<sd::attempt_result> out;
    std::exception_ptr error;
    asio::co_spawn(ioc, client.post(std::move(req)), [&](std::exception_ptr e, sd::attempt_result r) {
        error = e;
        out = std::move(r);
        ioc.stop();
    });
    ioc.restart();
    ioc.run();
    if (error) std::rethrow_exception(error);
    if (!out) throw std::runtime_error("post() did not complete");
    return *out;
}

const std::string vietnamese_body =
    R"({"campaign":"hai-phong-soi-2026","text":"Tiêm vắc-xin sởi miễn phí cho trẻ từ 9 tháng đến 5 tuổi tại trạm y tế phường Lê Chân, 7 giờ sáng thứ Bảy."})";

webhook_request signed_request(const std::string& url, std::int64_t now_s) {
    webhook_request r;
    r.url = url;
    r.webhook_id = "dsp_01JDX4Q8ZKHAIPHONG";
    r.timestamp_s = now_s;
    r.body = vietnamese_body;
    r.signature = sd::sign(secret, r.webhook_id, r.timestamp_s, r.body);
    return r;
}

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

client_settings loopback_settings() {
    client_settings s;
    s.connect_timeout = 2'000ms;
    s.response_timeout = 2'000ms;
    s.addresses.allow_loopback = true;
    return s;
}

std::string url_of(const receiver_state& st, const std::string& scheme = "http", const std::string& host = "127.0.0.1",
                   const std::string& path = "/hooks/loa?k=1") {
    return scheme + "://" + host + ":" + std::to_string(st.acceptor.local_endpoint().port()) + path;
}

}  // namespace

TEST(WebhookClient, DeliversASignedPostTheReceiverVerifies) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {});
    webhook_client client(ioc.get_executor(), loopback_settings());
    const std::int64_t t = now_s();
    const auto r = run_post(ioc, client, signed_request(url_of(*rx), t));

    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 200);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.response_body, R"({"ok":true})");
    ASSERT_EQ(rx->seen.size(), 1u);
    const auto& s = rx->seen[0];
    EXPECT_EQ(s.method, "POST");
    EXPECT_EQ(s.target, "/hooks/loa?k=1");
    EXPECT_EQ(s.host, "127.0.0.1:" + std::to_string(rx->acceptor.local_endpoint().port()));
    EXPECT_EQ(s.content_type, "application/json");
    EXPECT_EQ(s.user_agent, "loa-dispatcher/1");
    EXPECT_EQ(s.id, "dsp_01JDX4Q8ZKHAIPHONG");
    EXPECT_EQ(s.timestamp, std::to_string(t));
    EXPECT_EQ(s.body, vietnamese_body);  // byte for byte, diacritics included
    // The receiver's own check, as a Standard Webhooks consumer does it.
    EXPECT_TRUE(sd::verify(secret, s.id, s.timestamp, s.body, s.signature, now_s()));
    EXPECT_FALSE(sd::verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", s.id, s.timestamp, s.body, s.signature, now_s()));
    EXPECT_EQ(sd::decide(r, 1, {}, {}, 72h, {}, 0.5).result, loa::core::attempt_record::outcome::delivered);
}

namespace {

// One worker of the concurrency test: `count` signed posts one after another.
asio::awaitable<void> post_sequence(webhook_client* client, std::string url, int worker, int count,
                                    std::atomic<int>* delivered) {
    for (int i = 0; i < count; ++i) {
        webhook_request r = signed_request(url, now_s());
        r.webhook_id = "dsp_" + std::to_string(worker) + "_" + std::to_string(i);
        r.signature = sd::sign(secret, r.webhook_id, r.timestamp_s, r.body);
        const auto result = co_await client->post(std::move(r));
        if (result.status == 200) ++*delivered;
    }
}

}  // namespace

TEST(WebhookClient, ManyConcurrentPostsFromTwoThreads) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {});
    webhook_client client(ioc.get_executor(), loopback_settings());
    constexpr int workers = 16, each = 40;
    std::atomic<int> delivered{0}, finished{0}, failed{0};
    const auto start = std::chrono::steady_clock::now();
    for (int w = 0; w < workers; ++w) {
        asio::co_spawn(ioc, post_sequence(&client, url_of(*rx), w, each, &delivered), [&](std::exception_ptr e) {
            if (e) ++failed;
            if (++finished == workers) ioc.stop();
        });
    }
    std::thread second([&ioc] { ioc.run(); });
    ioc.run();
    second.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    EXPECT_EQ(failed, 0);
    EXPECT_EQ(delivered, workers * each);
    const std::lock_guard lock(rx->mutex);
    ASSERT_EQ(rx->seen.size(), static_cast<std::size_t>(workers * each));
    std::set<std::string> ids;
    for (const auto& seen : rx->seen) {
        ids.insert(seen.id);
        EXPECT_TRUE(sd::verify(secret, seen.id, seen.timestamp, seen.body, seen.signature, now_s())) << seen.id;
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(workers * each));
    // Not a benchmark (bench/dispatch is): one new connection per post, receiver in the same process.
    std::printf("[ measured ] %d posts over loopback HTTP, %d at a time, 2 threads: %.0f ms, %.0f posts/s\n",
                workers * each, workers, seconds * 1e3, workers * each / seconds);
}

TEST(WebhookClient, ServerErrorIsAStatusNotAnError) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, answering(500, "", R"({"error":"lỗi cơ sở dữ liệu"})"));
    webhook_client client(ioc.get_executor(), loopback_settings());
    const auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 500);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.response_body, R"({"error":"lỗi cơ sở dữ liệu"})");
    EXPECT_EQ(sd::decide(r, 1, {}, {}, 72h, {}, 0.5).result, loa::core::attempt_record::outcome::retry);
}

TEST(WebhookClient, RetryAfterComesBackWith429And503) {
    asio::io_context ioc;
    webhook_client client(ioc.get_executor(), loopback_settings());
    const loa::core::ms_time at{std::chrono::sys_days(std::chrono::year(2026) / 11 / 29).time_since_epoch()};

    auto rx429 = start_receiver(ioc, answering(429, "120"));
    const auto r429 = run_post(ioc, client, signed_request(url_of(*rx429), now_s()));
    ASSERT_TRUE(r429.status) << r429.error;
    EXPECT_EQ(*r429.status, 429);
    EXPECT_EQ(r429.retry_after, "120");
    const auto d429 = sd::decide(r429, 1, at, at, 72h, {}, 0.5);
    EXPECT_EQ(d429.result, loa::core::attempt_record::outcome::retry);
    EXPECT_EQ(d429.next_attempt, at + 120s);

    auto rx503 = start_receiver(ioc, answering(503, "Sun, 29 Nov 2026 00:05:00 GMT"));
    const auto r503 = run_post(ioc, client, signed_request(url_of(*rx503), now_s()));
    ASSERT_TRUE(r503.status) << r503.error;
    EXPECT_EQ(*r503.status, 503);
    EXPECT_EQ(r503.retry_after, "Sun, 29 Nov 2026 00:05:00 GMT");
    EXPECT_EQ(sd::decide(r503, 1, at, at, 72h, {}, 0.5).next_attempt, at + 5min);
}

TEST(WebhookClient, GoneDisablesTheTarget) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, answering(410));
    webhook_client client(ioc.get_executor(), loopback_settings());
    const auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 410);
    EXPECT_EQ(sd::decide(r, 1, {}, {}, 72h, {}, 0.5).result, loa::core::attempt_record::outcome::disabled);
}

TEST(WebhookClient, LargeAnswerIsCutToTheLimitAndStillCounts) {
    asio::io_context ioc;
    std::string big;
    for (int i = 0; i < 20'000; ++i) big += "Đã nhận. ";  // ~200 KB
    auto rx = start_receiver(ioc, answering(200, "", big));
    auto s = loopback_settings();
    s.max_response_body = 1'000;
    webhook_client client(ioc.get_executor(), s);
    const auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 200);
    EXPECT_EQ(r.response_body, big.substr(0, 1'000));
}

TEST(WebhookClient, ReceiverThatNeverAnswersTimesOutOnTime) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, [] { behaviour b; b.never_answer = true; return b; }());
    auto s = loopback_settings();
    s.response_timeout = 200ms;
    webhook_client client(ioc.get_executor(), s);
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(r.status);
    EXPECT_FALSE(r.permanent_error);
    EXPECT_NE(r.error.find("did not answer within the response timeout of 200 ms"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(rx->acceptor.local_endpoint().port())), std::string::npos);
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 1'500ms);
    EXPECT_EQ(rx->seen.size(), 1u);  // the request did arrive
}

TEST(WebhookClient, ConnectionRefusedSaysWhere) {
    asio::io_context ioc;
    unsigned short port = 0;
    {
        tcp::acceptor closed(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port = closed.local_endpoint().port();
    }
    webhook_client client(ioc.get_executor(), loopback_settings());
    const auto r = run_post(ioc, client, signed_request("http://127.0.0.1:" + std::to_string(port) + "/", now_s()));
    EXPECT_FALSE(r.status);
    EXPECT_FALSE(r.permanent_error);  // the receiver may come back
    EXPECT_NE(r.error.find("connecting to 127.0.0.1:" + std::to_string(port) + " failed"), std::string::npos) << r.error;
}

TEST(WebhookClient, LoopbackIsRefusedUnlessAllowed) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {});
    client_settings s = loopback_settings();
    s.addresses.allow_loopback = false;
    webhook_client client(ioc.get_executor(), s);

    auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    EXPECT_FALSE(r.status);
    EXPECT_TRUE(r.permanent_error);
    EXPECT_NE(r.error.find("127.0.0.1 is a loopback address"), std::string::npos) << r.error;

    // By name: every address "localhost" resolves to is checked, none is connected to.
    r = run_post(ioc, client, signed_request(url_of(*rx, "http", "localhost"), now_s()));
    EXPECT_TRUE(r.permanent_error);
    EXPECT_NE(r.error.find("localhost resolves to"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("loopback"), std::string::npos) << r.error;

    r = run_post(ioc, client, signed_request(url_of(*rx, "http", "[::ffff:127.0.0.1]"), now_s()));
    EXPECT_TRUE(r.permanent_error);
    EXPECT_NE(r.error.find("IPv4-mapped 127.0.0.1"), std::string::npos) << r.error;
    EXPECT_TRUE(rx->seen.empty());
}

TEST(WebhookClient, ARefusedAddressIsSaidInThePagesLanguage) {
    // The note the log keeps (the client's error, the retry policy's decision) as the dispatch
    // pages and the audit show it.
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {});
    client_settings s = loopback_settings();
    s.addresses.allow_loopback = false;
    webhook_client client(ioc.get_executor(), s);
    const std::string port = std::to_string(rx->acceptor.local_endpoint().port());
    const auto kept = [](const loa::scheduler::dispatch::attempt_result& r) {
        const loa::core::ms_time now{std::chrono::milliseconds{1'722'297'600'000}};
        return loa::scheduler::dispatch::decide(r, 1, now, now, std::chrono::hours{72}, {}, 0.5).why;
    };
    auto r = run_post(ioc, client, signed_request(url_of(*rx), now_s()));
    EXPECT_EQ(loa::handlers::dispatch_note_text(kept(r), "vi"),
              "Không gửi tới 127.0.0.1:" + port +
                  ": 127.0.0.1 là địa chỉ loopback (chính máy này), chỉ gửi được khi cấu hình máy chủ cho phép "
                  "(dispatch_allow: loopback). Không thử lại.");
    EXPECT_EQ(loa::handlers::dispatch_note_text(kept(r), "en"),
              "Not sent to 127.0.0.1:" + port +
                  ": 127.0.0.1 is a loopback address (this machine), sent only when the server's settings allow "
                  "them (dispatch_allow: loopback). Not retried.");
    r = run_post(ioc, client, signed_request(url_of(*rx, "http", "localhost"), now_s()));
    const std::string by_name = loa::handlers::dispatch_note_text(kept(r), "vi");
    EXPECT_TRUE(by_name.starts_with("Không gửi tới localhost:" + port + ": localhost trỏ tới ")) << by_name;
    EXPECT_TRUE(by_name.ends_with(", địa chỉ loopback (chính máy này), chỉ gửi được khi cấu hình máy chủ cho phép "
                                  "(dispatch_allow: loopback). Không thử lại."))
        << by_name;
    // Addresses never allowed.
    r = run_post(ioc, client, signed_request("http://0.0.0.0:" + port + "/", now_s()));
    EXPECT_EQ(loa::handlers::dispatch_note_text(kept(r), "en"),
              "Not sent to 0.0.0.0:" + port +
                  ": 0.0.0.0 is a “this network” address (0.0.0.0/8), never a webhook target. Not retried.");
    EXPECT_TRUE(rx->seen.empty());
}

TEST(WebhookClient, BadUrlsArePermanent) {
    asio::io_context ioc;
    webhook_client client(ioc.get_executor(), loopback_settings());
    for (const char* url : {"ftp://hooks.example.vn/x", "hooks.example.vn/x", "http:///x", "http://user:pw@hooks.example.vn/",
                            "http://hooks.example.vn:99999/", "http://hooks.example.vn:0/", ""}) {
        const auto r = run_post(ioc, client, signed_request(url, now_s()));
        EXPECT_FALSE(r.status) << url;
        EXPECT_TRUE(r.permanent_error) << url;
        EXPECT_NE(r.error.find("bad URL"), std::string::npos) << url << ": " << r.error;
        // Every viewer of the dispatch log sees the error: it does not repeat the URL.
        EXPECT_EQ(r.error.find("user:pw"), std::string::npos) << r.error;
        EXPECT_EQ(r.error.find("hooks.example.vn"), std::string::npos) << r.error;
    }
}

// ---- HTTPS with certificates made now ----------------------------------------------------------

namespace {

struct pkey_free {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct x509_free {
    void operator()(X509* x) const { X509_free(x); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;

pkey_ptr make_key() {
    pkey_ptr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!k) throw std::runtime_error("EC key generation failed");
    return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error(std::string("bad extension ") + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by issuer (nullptr: self-signed). `sans` like "DNS:localhost,IP:127.0.0.1".
x509_ptr make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                   const char* sans, long serial) {
    x509_ptr x(X509_new());
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 24 * 3600);
    X509_set_pubkey(x.get(), key);
    X509_NAME* name = X509_get_subject_name(x.get());
    const std::string cn = common_name;
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("loa test – Hải Phòng"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509* signer = issuer != nullptr ? issuer : x.get();
    X509_set_issuer_name(x.get(), X509_get_subject_name(signer));
    if (ca) {
        add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(x.get(), signer, NID_key_usage, "critical,digitalSignature");
        add_ext(x.get(), signer, NID_ext_key_usage, "serverAuth");
    }
    if (sans != nullptr) add_ext(x.get(), signer, NID_subject_alt_name, sans);
    add_ext(x.get(), signer, NID_subject_key_identifier, "hash");
    if (X509_sign(x.get(), issuer_key, EVP_sha256()) == 0) throw std::runtime_error("signing failed");
    return x;
}

std::string pem_of(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long len = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data, without its C cast
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

std::string pem_of(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long len = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data, without its C cast
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

std::shared_ptr<ssl::context> server_context(X509* cert, EVP_PKEY* key) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    const std::string cert_pem = pem_of(cert), key_pem = pem_of(key);
    ctx->use_certificate(asio::buffer(cert_pem), ssl::context::pem);
    ctx->use_private_key(asio::buffer(key_pem), ssl::context::pem);
    return ctx;
}

// A test CA (its PEM in a file, as an operator would give one) and certificates it signs.
class Https : public ::testing::Test {
protected:
    void SetUp() override {
        ca_key_ = make_key();
        ca_ = make_cert(ca_key_.get(), "loa test CA", nullptr, ca_key_.get(), true, nullptr, 1);
        ca_file_ = dir_.file("ca.pem").string();
        std::ofstream(ca_file_) << pem_of(ca_.get());
        server_key_ = make_key();
    }
    client_settings settings() const {
        client_settings s = loopback_settings();
        s.ca_file = ca_file_;
        return s;
    }
    std::shared_ptr<ssl::context> signed_by_ca(const char* sans) {
        const x509_ptr cert = make_cert(server_key_.get(), "receiver", ca_.get(), ca_key_.get(), false, sans, 2);
        return server_context(cert.get(), server_key_.get());
    }

    loa::testing::temp_dir dir_;
    pkey_ptr ca_key_, server_key_;
    x509_ptr ca_;
    std::string ca_file_;
};

}  // namespace

TEST_F(Https, DeliversOverTlsWithTheNameAndChainVerified) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {}, signed_by_ca("DNS:localhost,IP:127.0.0.1"));
    webhook_client client(ioc.get_executor(), settings());

    auto r = run_post(ioc, client, signed_request(url_of(*rx, "https", "localhost"), now_s()));
    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 200);
    ASSERT_EQ(rx->seen.size(), 1u);
    EXPECT_EQ(rx->seen[0].server_name, "localhost");  // SNI
    EXPECT_TRUE(sd::verify(secret, rx->seen[0].id, rx->seen[0].timestamp, rx->seen[0].body, rx->seen[0].signature,
                           now_s()));

    // By IP address: checked against the certificate's IP entry, no SNI (not allowed for addresses).
    r = run_post(ioc, client, signed_request(url_of(*rx, "https", "127.0.0.1"), now_s()));
    ASSERT_TRUE(r.status) << r.error;
    EXPECT_EQ(*r.status, 200);
    ASSERT_EQ(rx->seen.size(), 2u);
    EXPECT_EQ(rx->seen[1].server_name, "");
}

TEST_F(Https, WrongHostNameIsRefused) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {}, signed_by_ca("DNS:hooks.example.vn"));
    webhook_client client(ioc.get_executor(), settings());
    const auto r = run_post(ioc, client, signed_request(url_of(*rx, "https", "localhost"), now_s()));
    EXPECT_FALSE(r.status);
    EXPECT_FALSE(r.permanent_error);  // a certificate can be fixed; retried within the window
    const std::string where = "localhost:" + std::to_string(rx->acceptor.local_endpoint().port());
    EXPECT_NE(r.error.find("TLS handshake with " + where + " failed: certificate verify failed: hostname mismatch"),
              std::string::npos)
        << r.error;
    EXPECT_TRUE(rx->seen.empty());
}

TEST_F(Https, UntrustedCertificateIsRefused) {
    asio::io_context ioc;
    // Self-signed for the right names, but by nobody the client trusts.
    const pkey_ptr key = make_key();
    const x509_ptr self = make_cert(key.get(), "localhost", nullptr, key.get(), false, "DNS:localhost,IP:127.0.0.1", 7);
    auto rx = start_receiver(ioc, {}, server_context(self.get(), key.get()));
    webhook_client client(ioc.get_executor(), settings());
    const auto r = run_post(ioc, client, signed_request(url_of(*rx, "https", "127.0.0.1"), now_s()));
    EXPECT_FALSE(r.status);
    EXPECT_NE(r.error.find("TLS handshake with 127.0.0.1:"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("certificate verify failed: self-signed certificate"), std::string::npos) << r.error;
    EXPECT_TRUE(rx->seen.empty());

    // The same receiver with the system CA store: not trusted either.
    client_settings system = loopback_settings();
    webhook_client system_client(ioc.get_executor(), system);
    const auto r2 = run_post(ioc, system_client, signed_request(url_of(*rx, "https", "127.0.0.1"), now_s()));
    EXPECT_FALSE(r2.status);
    EXPECT_NE(r2.error.find("certificate verify failed"), std::string::npos) << r2.error;
}

TEST_F(Https, PlainHttpReceiverBehindAnHttpsUrlFailsCleanly) {
    asio::io_context ioc;
    auto rx = start_receiver(ioc, {});
    auto s = settings();
    s.connect_timeout = 500ms;
    webhook_client client(ioc.get_executor(), s);
    const auto r = run_post(ioc, client, signed_request(url_of(*rx, "https"), now_s()));
    EXPECT_FALSE(r.status);
    EXPECT_NE(r.error.find("TLS handshake with 127.0.0.1:"), std::string::npos) << r.error;
}

TEST_F(Https, HandshakeThatNeverCompletesHitsTheConnectTimeout) {
    asio::io_context ioc;
    behaviour silent;
    silent.silent = true;
    auto rx = start_receiver(ioc, silent, signed_by_ca("DNS:localhost,IP:127.0.0.1"));
    auto s = settings();
    s.connect_timeout = 200ms;
    webhook_client client(ioc.get_executor(), s);
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_post(ioc, client, signed_request(url_of(*rx, "https"), now_s()));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(r.status);
    EXPECT_FALSE(r.permanent_error);
    EXPECT_NE(r.error.find("TLS handshake with 127.0.0.1:" + std::to_string(rx->acceptor.local_endpoint().port()) +
                           " timed out (connect timeout 200 ms)"),
              std::string::npos)
        << r.error;
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 1'500ms);
}

TEST(WebhookClientSettings, MissingCaFileIsReportedAtConstruction) {
    asio::io_context ioc;
    client_settings s;
    s.ca_file = "/nonexistent/loa-ca.pem";
    try {
        webhook_client client(ioc.get_executor(), s);
        FAIL() << "no error for a missing CA file";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/loa-ca.pem"), std::string::npos) << e.what();
    }
}

}  // namespace webhook_client_test_cpp
}  // namespace
