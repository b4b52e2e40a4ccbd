// The test receiver: an acceptor coroutine and one coroutine per connection on a multi-threaded
// io_context; requests are recorded under a mutex and answered as the responder says.
#include "tests/support/webhook_sink.hpp"

#include <map>
#include <thread>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace loa::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct webhook_sink::impl {
    sink_responder responder;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::vector<std::thread> threads;
    unsigned short port = 0;

    mutable std::mutex mutex;
    mutable std::condition_variable arrived;
    std::vector<sink_request> seen;         // guarded
    std::map<std::string, int> per_id;      // guarded
};

namespace {

std::string header(const http::request<http::string_body>& req, std::string_view name) {
    auto it = req.find(name);
    return it == req.end() ? std::string() : std::string(it->value());
}

// The coroutines use the sink's state through a plain pointer: the io_context they live in belongs
// to that state, and a shared_ptr in their frames would keep both alive for ever (the destructor
// stops and joins the threads before the state goes, and the frames go with the io_context).
asio::awaitable<void> serve_connection(webhook_sink::impl* m, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        stream.expires_after(std::chrono::seconds(30));
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        auto req = parser.release();
        sink_request r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        r.webhook_id = header(req, "webhook-id");
        r.webhook_timestamp = header(req, "webhook-timestamp");
        r.webhook_signature = header(req, "webhook-signature");
        r.content_type = header(req, "content-type");
        r.body = req.body();
        r.received = std::chrono::system_clock::now();
        int nth = 0;
        {
            std::lock_guard lock(m->mutex);
            nth = ++m->per_id[r.webhook_id];
        }
        sink_response answer = m->responder ? m->responder(r, nth) : sink_response{};
        {
            std::lock_guard lock(m->mutex);
            m->seen.push_back(std::move(r));
        }
        m->arrived.notify_all();
        if (answer.delay.count() > 0) {
            asio::steady_timer t(stream.get_executor(), answer.delay);
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        if (answer.close_without_answer) co_return;
        http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
        res.set(http::field::content_type, "text/plain");
        if (!answer.retry_after.empty()) res.set(http::field::retry_after, answer.retry_after);
        res.body() = "ok";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        stream.expires_after(std::chrono::seconds(30));
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (wec || !res.keep_alive()) co_return;
    }
}

asio::awaitable<void> accept_loop(webhook_sink::impl* m) {
    for (;;) {
        auto [ec, socket] =
            co_await m->acceptor.async_accept(asio::make_strand(m->ioc), asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !m->acceptor.is_open()) co_return;
        if (ec) continue;
        asio::co_spawn(socket.get_executor(), serve_connection(m, std::move(socket)), asio::detached);
    }
}

}  // namespace

webhook_sink::webhook_sink(sink_responder responder, unsigned threads) : impl_(std::make_shared<impl>()) {
    impl_->responder = std::move(responder);
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    impl_->port = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->ioc, accept_loop(impl_.get()), asio::detached);
    for (unsigned i = 0; i < std::max(1u, threads); ++i) impl_->threads.emplace_back([m = impl_.get()] { m->ioc.run(); });
}

webhook_sink::~webhook_sink() {
    impl_->ioc.stop();
    for (auto& t : impl_->threads) t.join();
}

unsigned short webhook_sink::port() const noexcept {
    return impl_->port;
}

std::string webhook_sink::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
}

std::vector<sink_request> webhook_sink::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen;
}

std::size_t webhook_sink::count() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen.size();
}

bool webhook_sink::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->seen.size() >= n; });
}

}  // namespace loa::testing
