// A deliberately small, blocking HTTP/1.1 client over POSIX sockets for the integration tests: it
// shares no code with the server, sends exactly the bytes a test gives it, and reads with timeouts.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loa::test {

struct http_reply {
    int version_minor = 1;
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;

    // The first header named `name` (lower-case), or nullopt.
    [[nodiscard]] std::optional<std::string> header(const std::string& name) const;
};

class http_connection {
public:
    // Connects to 127.0.0.1:port, from `from` (another loopback address such as "127.0.0.2", to
    // stand for another client) when given; throws std::runtime_error when it cannot.
    explicit http_connection(unsigned short port, const char* from = nullptr);
    ~http_connection();
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    // Sends all of `bytes`; false when the peer has gone.
    bool send(const std::string& bytes);

    // Reads one response (Content-Length framed; `head` = no body expected). nullopt when the
    // connection closed or `timeout` passed first.
    std::optional<http_reply> read_reply(bool head = false,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Waits until the server closes the connection (EOF or reset) and returns how long that took,
    // or nullopt if it stays open for `timeout`. Data received meanwhile is discarded.
    std::optional<std::chrono::milliseconds> wait_closed(std::chrono::milliseconds timeout);

    // Bytes received but not consumed by read_reply (e.g. a body where none was expected).
    [[nodiscard]] const std::string& pending() const { return buffer_; }

private:
    // Reads more into buffer_; false on EOF, error or timeout.
    bool fill(std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    std::string buffer_;
};

// One request on a fresh connection with "Connection: close".
std::optional<http_reply> http_get(unsigned short port, const std::string& target, const std::string& method = "GET");

}  // namespace loa::test
