// The server as one object: settings → db executor, metrics, io_context, listener, signals. Used by
// `loa serve` and by in-process tests. Beast-free (the wiring lives in server.cpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "server/app/settings.hpp"

namespace loa::app {

class server {
public:
    // Opens the database (on its thread; created and migrated when absent) and binds the listening
    // socket. Throws on failure (SQLite::Exception, boost::system::system_error).
    server(settings config, const std::filesystem::path& db_path);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // The bound address as a URL, e.g. "http://127.0.0.1:43817" (the real port when 0 was asked).
    [[nodiscard]] std::string url() const;
    [[nodiscard]] unsigned short port() const;

    // Serves on `threads` io threads (the calling one included) until SIGINT/SIGTERM or stop(),
    // then shuts down gracefully: stop accepting, in-flight requests finish within shutdown_grace,
    // the io_context stops, the db thread is joined. Call once.
    void run();

    // Begins the graceful shutdown, as a signal would. Thread-safe.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace loa::app
