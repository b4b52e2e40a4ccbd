// Wiring: one io_context run by `threads` threads, the listener, the signal set and the shutdown
// sequence; the db executor's thread beside them.
#include "server/app/server.hpp"

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/app/context.hpp"
#include "server/app/log.hpp"
#include "server/app/passwords.hpp"
#include "server/handlers/routes.hpp"
#include "server/net/listener.hpp"

namespace loa::app {

namespace asio = boost::asio;

struct server::impl {
    impl(settings s, const std::filesystem::path& db_path)
        : config(std::move(s)),
          db(db_path, core::database_settings{config.db_busy_timeout}),
          ctx{db, metrics, config, &passwords},
          ioc(static_cast<int>(config.threads)),
          signals(ioc, SIGINT, SIGTERM),
          front(ioc, asio::ip::tcp::endpoint(asio::ip::make_address(config.listen_host), config.listen_port), ctx,
                handlers::routes()) {}

    settings config;
    db_executor db;
    metrics_registry metrics;
    password_hasher passwords;
    context ctx;
    asio::io_context ioc;  // declared after what its pending handlers refer to
    asio::signal_set signals;
    net::listener front;
    std::atomic<bool> stop_requested{false};
};

namespace {

// Waits for a signal (or stop(), which cancels the wait), then runs the graceful shutdown and stops
// the io_context.
asio::awaitable<void> wait_and_shut_down(asio::signal_set& signals, const std::atomic<bool>& stop_requested,
                                         net::listener& front, std::chrono::milliseconds grace,
                                         asio::io_context& ioc) {
    // stop() before this point: no wait (its cancel may have run before the wait began).
    if (!stop_requested.load()) {
        auto [ec, signo] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!ec) log_line("signal " + std::to_string(signo) + ": shutting down");
    }
    co_await front.shutdown(grace);
    ioc.stop();
}

}  // namespace

server::server(settings config, const std::filesystem::path& db_path)
    : impl_(std::make_unique<impl>(std::move(config), db_path)) {}

server::~server() = default;

std::string server::url() const {
    const auto ep = impl_->front.local_endpoint();
    const auto a = ep.address();
    const std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
    return "http://" + host + ":" + std::to_string(ep.port());
}

unsigned short server::port() const { return impl_->front.local_endpoint().port(); }

void server::run() {
    auto& m = *impl_;
    m.front.start();
    asio::co_spawn(m.front.strand(),
                   wait_and_shut_down(m.signals, m.stop_requested, m.front, m.config.shutdown_grace, m.ioc), asio::detached);

    std::vector<std::thread> extra;
    for (unsigned i = 1; i < m.config.threads; ++i) extra.emplace_back([&m] { m.ioc.run(); });
    m.ioc.run();
    for (auto& t : extra) t.join();

    // Every io thread has returned: nothing can queue database or hashing work any more.
    m.passwords.shutdown();
    m.db.shutdown();
}

void server::stop() {
    auto& m = *impl_;
    m.stop_requested.store(true);
    // The signal set belongs to the io_context; cancel it from one of its threads.
    asio::post(m.front.strand(), [&m] { m.signals.cancel(); });
}

}  // namespace loa::app
