// The server as one object: settings → db executor, metrics, io_context, listener, signals, and the
// dispatcher (webhook client, system clock, runner). Used by `loa serve` and by in-process tests.
// Beast-free (the wiring lives in server.cpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "server/app/settings.hpp"

namespace loa::app {

class server {
public:
    // Opens the database (on its thread; created and migrated when absent), binds the listening
    // socket and, unless `dispatch: off`, makes the dispatcher with the channel templates of
    // handlers::message_templates(). Throws on failure (SQLite::Exception,
    // boost::system::system_error, core::template_error for a broken channel template).
    server(settings config, const std::filesystem::path& db_path);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // The bound address as a URL, e.g. "http://127.0.0.1:43817" (the real port when 0 was asked).
    [[nodiscard]] std::string url() const;
    [[nodiscard]] unsigned short port() const;

    // Serves and dispatches on `threads` io threads (the calling one included) until SIGINT/SIGTERM
    // or stop(), then shuts down gracefully: stop accepting and claiming, in-flight requests and
    // delivery attempts finish within shutdown_grace, the io_context stops, the db thread is
    // joined. Call once.
    void run();

    // Begins the graceful shutdown, as a signal would. Thread-safe.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace loa::app
