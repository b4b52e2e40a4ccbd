// Accepts connections, each handed to one of the io contexts (one thread runs each, so a session is
// never on two threads at once and needs no strand), in turn; keeps the set of open connections for
// the connection limit and for graceful shutdown.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "server/app/context.hpp"
#include "server/http/dispatch.hpp"
#include "server/http/router.hpp"
#include "server/net/connection.hpp"

namespace loa::net {

class listener {
public:
    // Binds and listens at once (throws boost::system::system_error when the address is taken or
    // invalid), so the caller can print the real port before serving.
    // `ioc` runs the listener; the connections go to `workers` in turn (ioc among them or not; at
    // least one; each run by one thread, and all outliving the listener's connections).
    listener(boost::asio::io_context& ioc, std::vector<boost::asio::io_context*> workers,
             const boost::asio::ip::tcp::endpoint& at, app::context& ctx, std::span<const http::route> routes);

    [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const { return local_; }

    // Starts the accept loop on the listener's strand.
    void start();

    // Graceful stop, on the listener's strand: stop accepting; close connections waiting between
    // requests; let in-flight requests finish (their responses say Connection: close) until `grace`
    // has passed; then close what is left. Completes when no connection is open (or, if a
    // connection does not notice its closing, shortly after).
    boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

    // For sessions.
    [[nodiscard]] app::context& context() noexcept { return ctx_; }
    [[nodiscard]] std::span<const http::route> routes() const noexcept { return routes_; }
    [[nodiscard]] const http::memory_routes& memory_routes() const noexcept { return memory_routes_; }
    [[nodiscard]] bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }
    void release(const std::shared_ptr<connection>& conn);

    [[nodiscard]] boost::asio::strand<boost::asio::io_context::executor_type> strand() const { return strand_; }

private:
    boost::asio::awaitable<void> accept_loop();
    void close_all(bool only_idle);

    std::vector<boost::asio::io_context*> workers_;
    std::size_t next_worker_ = 0;  // used on strand_ only
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::ip::tcp::acceptor acceptor_;  // used on strand_ only
    boost::asio::ip::tcp::endpoint local_;
    app::context& ctx_;
    std::span<const http::route> routes_;
    http::memory_routes memory_routes_;  // of routes_

    std::atomic<bool> stopping_{false};
    boost::asio::steady_timer drained_;  // on strand_; cancelled when the last connection goes

    std::mutex mutex_;
    std::unordered_set<std::shared_ptr<connection>> open_;  // guarded by mutex_
    std::unordered_map<std::string, std::size_t> per_address_;  // open connections by client address; mutex_
};

}  // namespace loa::net
