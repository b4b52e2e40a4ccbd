// The accept loop, the connection limit and graceful shutdown.
#include "server/net/listener.hpp"

#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "server/app/auth.hpp"
#include "server/app/client_address.hpp"
#include "server/app/log.hpp"
#include "server/net/session.hpp"

namespace loa::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Beyond max_connections: a short 503 instead of a silent reset, then close.
asio::awaitable<void> refuse(beast::tcp_stream stream, std::chrono::milliseconds write_timeout) {
    static constexpr std::string_view busy =
        "HTTP/1.1 503 Service Unavailable\r\nServer: loa\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n";
    stream.expires_after(write_timeout);
    co_await asio::async_write(stream, asio::buffer(busy), use_tuple);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

// A session's end, or an exception escaping it (a bug): logged, never fatal for the server.
void session_done(std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        app::log_line(std::string("error: connection: ") + ex.what());
    } catch (...) {
        app::log_line("error: connection: unknown exception");
    }
}

}  // namespace

listener::listener(asio::io_context& ioc, std::vector<asio::io_context*> workers, const tcp::endpoint& at,
                   app::context& ctx, std::span<const http::route> routes)
    : workers_(workers.empty() ? std::vector<asio::io_context*>{&ioc} : std::move(workers)),
      strand_(asio::make_strand(ioc)),
      acceptor_(strand_),
      ctx_(ctx),
      routes_(routes),
      memory_routes_(routes),
      drained_(strand_) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    local_ = acceptor_.local_endpoint();
}

void listener::start() { asio::co_spawn(strand_, accept_loop(), session_done); }

asio::awaitable<void> listener::accept_loop() {
    const auto& cfg = ctx_.config;
    while (acceptor_.is_open()) {
        // The next io context in turn: one thread runs it, so the session never runs on two
        // threads at once (no strand needed), and a connection stays on its thread. (Named, not a
        // temporary: GCC 12 mishandles class temporaries in co_await expressions.)
        const asio::any_io_executor conn_executor = workers_[next_worker_++ % workers_.size()]->get_executor();
        auto [ec, socket] = co_await acceptor_.async_accept(conn_executor, use_tuple);
        if (ec == asio::error::operation_aborted || stopping()) break;
        if (ec) {
            // E.g. out of file descriptors: say so, breathe, go on.
            app::log_line("accept: " + ec.message());
            asio::steady_timer pause(strand_, std::chrono::milliseconds(100));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        // Responses go out as soon as they are written: a response's last segment is not held back
        // (Nagle) waiting for the client's acknowledgement of the ones before it.
        beast::error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        // One client may hold only so many of the connections (slow senders must not take them
        // all); a trusted proxy's carry many clients and are not counted.
        std::string counted_as;
        if (cfg.max_connections_per_address > 0) {
            beast::error_code peer_ec;
            const auto peer = socket.remote_endpoint(peer_ec);
            if (!peer_ec && !app::is_trusted_proxy(peer.address().to_string(), cfg.trusted_proxies))
                counted_as = app::throttle_address(peer.address().to_string());
        }
        beast::tcp_stream stream(std::move(socket));
        std::shared_ptr<connection> conn;
        {
            const std::lock_guard lock(mutex_);
            const auto held = counted_as.empty() ? per_address_.end() : per_address_.find(counted_as);
            const bool room_for_peer = held == per_address_.end() || held->second < cfg.max_connections_per_address;
            if (open_.size() < cfg.max_connections && room_for_peer) {
                conn = std::make_shared<connection>(std::move(stream));
                conn->counted_as = counted_as;
                if (!counted_as.empty()) ++per_address_[counted_as];
                open_.insert(conn);
            }
        }
        if (!conn) {
            auto ex = stream.get_executor();
            asio::co_spawn(ex, refuse(std::move(stream), cfg.write_timeout), session_done);
            continue;
        }
        ctx_.metrics.connection_opened();
        asio::co_spawn(conn->stream.get_executor(), run_session(conn, *this), session_done);
    }
}

void listener::release(const std::shared_ptr<connection>& conn) {
    bool last = false;
    {
        const std::lock_guard lock(mutex_);
        if (open_.erase(conn) == 0) return;
        if (!conn->counted_as.empty()) {
            const auto it = per_address_.find(conn->counted_as);
            if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
        }
        last = open_.empty() && stopping();
    }
    ctx_.metrics.connection_closed();
    // Wake shutdown(): the timer belongs to the listener's strand.
    if (last) asio::post(strand_, [this] { drained_.cancel(); });
}

void listener::close_all(bool only_idle) {
    std::vector<std::shared_ptr<connection>> conns;
    {
        const std::lock_guard lock(mutex_);
        conns.assign(open_.begin(), open_.end());
    }
    for (auto& c : conns) {
        // On the connection's own io context (one thread), where `idle` and the stream may be touched.
        asio::post(c->stream.get_executor(), [c, only_idle] {
            if (only_idle && !c->idle) return;
            c->stream.close();
        });
    }
}

asio::awaitable<void> listener::shutdown(std::chrono::milliseconds grace) {
    // Stop accepting; sessions see stopping() and answer their current request with Connection: close.
    stopping_.store(true, std::memory_order_release);
    beast::error_code ec;
    acceptor_.close(ec);
    close_all(true);

    const auto empty = [this] {
        const std::lock_guard lock(mutex_);
        return open_.empty();
    };
    // release() cancels drained_ on this strand when the last connection goes; checking emptiness
    // here, on the same strand, before waiting, means no wake-up is lost.
    drained_.expires_after(grace);
    if (!empty()) {
        auto [wait_ec] = co_await drained_.async_wait(use_tuple);
        if (!wait_ec && !empty()) {
            app::log_line("shutdown: grace period over, closing the remaining connections");
            close_all(false);
            // A closed stream makes every pending operation fail at once; allow a moment for that.
            drained_.expires_after(std::chrono::seconds(1));
            if (!empty()) co_await drained_.async_wait(use_tuple);
        }
    }
}

}  // namespace loa::net
