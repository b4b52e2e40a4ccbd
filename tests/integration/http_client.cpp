// The integration tests' HTTP client: POSIX sockets, poll() for timeouts, Content-Length framing.
#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace loa::test {

namespace {

using steady = std::chrono::steady_clock;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::optional<std::string> http_reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return std::nullopt;
}

http_connection::http_connection(unsigned short port, const char* from) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    if (from != nullptr) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        if (::inet_pton(AF_INET, from, &local.sin_addr) != 1 ||
            ::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
            const int e = errno;
            ::close(fd_);
            throw std::runtime_error(std::string("bind to ") + from + ": " + std::strerror(e));
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd_);
        throw std::runtime_error("connect: " + std::string(std::strerror(e)));
    }
}

http_connection::~http_connection() {
    if (fd_ >= 0) ::close(fd_);
}

bool http_connection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool http_connection::fill(steady::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        char chunk[16 * 1024];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }
}

std::optional<http_reply> http_connection::read_reply(bool head, std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline)) return std::nullopt;

    http_reply reply;
    const std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::size_t line_end = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, line_end);
    // "HTTP/1.1 200 OK"
    if (status_line.size() < 12 || status_line.compare(0, 7, "HTTP/1.") != 0) return std::nullopt;
    reply.version_minor = status_line[7] - '0';
    reply.status = static_cast<unsigned>(std::stoul(status_line.substr(9, 3)));
    while (line_end != std::string::npos) {
        const auto start = line_end + 2;
        line_end = head_text.find("\r\n", start);
        const std::string line = head_text.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        reply.headers.emplace_back(lower(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    // Interim responses (100 Continue) are returned as they are; the caller reads again.
    if (head || reply.status / 100 == 1 || reply.status == 204 || reply.status == 304) return reply;
    const auto length = reply.header("content-length");
    if (!length) return std::nullopt;  // the server always frames with Content-Length
    const auto n = static_cast<std::size_t>(std::stoull(*length));
    while (buffer_.size() < n)
        if (!fill(deadline)) return std::nullopt;
    reply.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return reply;
}

std::optional<std::chrono::milliseconds> http_connection::wait_closed(std::chrono::milliseconds timeout) {
    const auto start = steady::now();
    const auto deadline = start + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) return std::nullopt;
        char chunk[4096];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
    }
}

std::optional<http_reply> http_get(unsigned short port, const std::string& target, const std::string& method) {
    http_connection c(port);
    if (!c.send(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")) return std::nullopt;
    return c.read_reply(method == "HEAD");
}

}  // namespace loa::test
