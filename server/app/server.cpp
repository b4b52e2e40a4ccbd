// Wiring: `threads` io contexts, one thread each (the first also runs the listener, the dispatch
// runner and the signal set; connections go to all of them in turn), and the shutdown sequence;
// the db executor's thread beside them.
#include "server/app/server.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/app/context.hpp"
#include "server/app/log.hpp"
#include "server/app/passwords.hpp"
#include "server/app/work_pool.hpp"
#include "server/dispatch/runner.hpp"
#include "server/dispatch/webhook_client.hpp"
#include "server/feeds/feed_cache.hpp"
#include "server/handlers/message_pages.hpp"
#include "server/handlers/routes.hpp"
#include "server/net/listener.hpp"

namespace loa::app {

namespace asio = boost::asio;

namespace {

// The io contexts after the first, one per further io thread; each is run by one thread only.
std::vector<std::unique_ptr<asio::io_context>> more_contexts(unsigned threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (unsigned i = 1; i < threads; ++i) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
}

std::vector<asio::io_context*> all_contexts(asio::io_context& first,
                                            const std::vector<std::unique_ptr<asio::io_context>>& more) {
    std::vector<asio::io_context*> out{&first};
    for (const auto& c : more) out.push_back(c.get());
    return out;
}

delivery::client_settings client_settings_of(const settings& s) {
    delivery::client_settings c;
    c.connect_timeout = s.dispatch_connect_timeout;
    c.response_timeout = s.dispatch_response_timeout;
    c.ca_file = s.dispatch_ca_file;
    c.addresses.allow_loopback = s.dispatch_allow_loopback;
    c.addresses.allow_private = s.dispatch_allow_private;
    c.addresses.allow_link_local = s.dispatch_allow_link_local;
    return c;
}

delivery::runner_settings runner_settings_of(const settings& s) {
    delivery::runner_settings r;
    r.poll = s.dispatch_poll;
    r.max_in_flight = static_cast<int>(s.dispatch_concurrency);
    r.batch = std::min(r.batch, r.max_in_flight);
    // A lease outlives a row held ready behind claim_depth − 1 of the longest attempts plus its own
    // attempt, with one more to spare, so a row in flight is never taken back while its attempt may
    // still be answered.
    r.lease = std::max(r.lease, (r.claim_depth + 1) * (s.dispatch_connect_timeout + s.dispatch_response_timeout));
    return r;
}

// The runner's clock when the server runs as of another instant (settings::as_of): the system
// clock moved by a fixed offset, sleeping on the system clock's timer.
class offset_clock final : public delivery::clock_source {
public:
    offset_clock(std::unique_ptr<delivery::clock_source> system, std::chrono::system_clock::duration offset)
        : system_(std::move(system)), offset_(std::chrono::duration_cast<std::chrono::milliseconds>(offset)) {}
    [[nodiscard]] core::ms_time now() const override { return system_->now() + offset_; }
    asio::awaitable<void> sleep_until(core::ms_time t) override { return system_->sleep_until(t - offset_); }
    void wake() override { system_->wake(); }

private:
    std::unique_ptr<delivery::clock_source> system_;
    std::chrono::milliseconds offset_;
};

}  // namespace

struct server::impl {
    impl(settings s, const std::filesystem::path& db_path)
        : config(std::move(s)),
          db(db_path, core::database_settings{config.db_busy_timeout}),
          ctx{db, metrics, config, &passwords, nullptr, server_clock{}, nullptr, &planner},
          more(more_contexts(config.threads)),
          ioc(1),
          signals(ioc, SIGINT, SIGTERM),
          front(ioc, all_contexts(ioc, more),
                asio::ip::tcp::endpoint(asio::ip::make_address(config.listen_host), config.listen_port), ctx,
                handlers::routes()) {
        // Feed links name the real port when none was configured (port 0 picks one at bind).
        if (config.public_url.empty()) {
            const auto ep = front.local_endpoint();
            const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
            config.public_url = "http://" + host + ":" + std::to_string(ep.port());
        }
        ctx.clock = server_clock(config.as_of);
        // The feeds render messages with the same channel templates as the previews.
        feeds.emplace(handlers::message_templates());
        ctx.feeds = &*feeds;
        if (config.dispatch) {
            // The same channel templates as the message previews (loaded once; throws
            // core::template_error on a broken one), so what was approved is what goes out.
            const core::channel_templates& templates = handlers::message_templates();
            client.emplace(ioc.get_executor(), client_settings_of(config));
            clock = delivery::make_system_clock(ioc.get_executor());
            if (config.as_of) clock = std::make_unique<offset_clock>(std::move(clock), ctx.clock.offset());
            dispatcher.emplace(ioc.get_executor(), db, *client, *clock, templates, runner_settings_of(config), &metrics);
            ctx.dispatcher = &*dispatcher;
        }
    }

    settings config;
    db_executor db;
    metrics_registry metrics;
    password_hasher passwords;
    // Plans off the db thread, one at a time (work_pool::enter); the second thread writes a finished
    // plan's reply while the next plan is made.
    work_pool planner{2};
    std::optional<feeds::feed_service> feeds;  // the media feeds' cache and tokens
    // The dispatcher's client and clock: emplaced once ioc exists, but declared before it, so the
    // coroutines that ioc's destruction frees still find them.
    std::optional<delivery::webhook_client> client;
    std::unique_ptr<delivery::clock_source> clock;
    context ctx;
    // The further io threads' contexts (connections only), declared before ioc: an accept still
    // pending on ioc at its destruction holds a socket of one of them.
    std::vector<std::unique_ptr<asio::io_context>> more;
    asio::io_context ioc;  // declared after what its pending handlers refer to
    // The runner, though, is declared after ioc, so destroyed before it: it owns a strand of ioc's,
    // and a strand must go while ioc's strand service exists (its destructor locks the service).
    // Coroutines still holding the runner's state free it while ioc shuts down, services alive.
    std::optional<delivery::runner> dispatcher;
    asio::signal_set signals;
    net::listener front;
    std::atomic<bool> stop_requested{false};
};

namespace {

asio::awaitable<void> wait_dispatcher(delivery::runner* r) {
    co_await r->stopped();
}

// Waits for a signal (or stop(), which cancels the wait), then runs the graceful shutdown and stops
// the io_context: no new requests and no new deliveries; requests and delivery attempts under way
// may finish within `grace` (an attempt cut off is left in flight, and its lease brings it back on
// the next start).
asio::awaitable<void> wait_and_shut_down(asio::signal_set& signals, const std::atomic<bool>& stop_requested,
                                         net::listener& front, delivery::runner* dispatcher,
                                         std::chrono::milliseconds grace, asio::io_context& ioc,
                                         const std::vector<std::unique_ptr<asio::io_context>>& more) {
    // stop() before this point: no wait (its cancel may have run before the wait began).
    if (!stop_requested.load()) {
        auto [ec, signo] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!ec) log_line("signal " + std::to_string(signo) + ": shutting down");
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    if (dispatcher != nullptr) dispatcher->stop();
    co_await front.shutdown(grace);
    if (dispatcher != nullptr) {
        auto done = std::make_shared<std::atomic<bool>>(false);
        asio::co_spawn(ioc, wait_dispatcher(dispatcher), [done](const std::exception_ptr&) { done->store(true); });
        asio::steady_timer tick(co_await asio::this_coro::executor);
        while (!done->load() && std::chrono::steady_clock::now() < deadline) {
            tick.expires_after(std::chrono::milliseconds(10));
            co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        if (!done->load()) log_line("dispatch: shutdown_grace over with deliveries in flight; their leases bring them back");
    }
    for (const auto& c : more) c->stop();
    ioc.stop();
}

}  // namespace

void notify_dispatch(const context& ctx) noexcept {
    if (ctx.dispatcher != nullptr) ctx.dispatcher->notify();
}

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
    if (m.dispatcher) m.dispatcher->start();
    delivery::runner* dispatcher = m.dispatcher ? &*m.dispatcher : nullptr;
    asio::co_spawn(m.front.strand(),
                   wait_and_shut_down(m.signals, m.stop_requested, m.front, dispatcher, m.config.shutdown_grace, m.ioc, m.more),
                   asio::detached);

    std::vector<std::thread> extra;
    // Each further context is kept running while it has no connection, until the shutdown stops it.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep;
    for (const auto& c : m.more) {
        keep.push_back(asio::make_work_guard(*c));
        extra.emplace_back([c = c.get()] { c->run(); });
    }
    m.ioc.run();
    for (auto& t : extra) t.join();

    // Every io thread has returned: nothing can queue database or hashing work any more.
    m.passwords.shutdown();
    m.planner.shutdown();
    m.db.shutdown();
}

void server::stop() {
    auto& m = *impl_;
    m.stop_requested.store(true);
    // The signal set belongs to the io_context; cancel it from one of its threads.
    asio::post(m.front.strand(), [&m] { m.signals.cancel(); });
}

}  // namespace loa::app
