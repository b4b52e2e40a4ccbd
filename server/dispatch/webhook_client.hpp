// The webhook sender: one HTTP POST of a JSON body over HTTP or HTTPS with the Beast client
// (OpenSSL; the system CA store; the certificate chain and the host name verified; SNI), with
// Standard Webhooks headers, a connect timeout and a response timeout. Every address the host
// resolves to is checked against the address policy before connecting (loopback, private and
// link-local ranges refused unless allowed), so a target cannot reach into the server's network.
// One connection per attempt (no pooling yet). Thread-safe: post() may be called from any thread;
// the work runs on the executor given.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "scheduler/dispatch/retry_policy.hpp"

namespace loa::delivery {

struct address_policy {
    bool allow_loopback = false;    // 127.0.0.0/8, ::1
    bool allow_private = false;     // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7
    bool allow_link_local = false;  // 169.254/16, fe80::/10
    // Always refused: 0.0.0.0/8, multicast, broadcast, ::, and IPv4-mapped forms of refused ranges.
};

// Whether `ip` (textual IPv4 or IPv6) may be connected to under `p`; the reason when not.
[[nodiscard]] std::optional<std::string> refused_address(const std::string& ip, const address_policy& p);

struct client_settings {
    std::chrono::milliseconds connect_timeout{5'000};   // resolve + TCP connect + TLS handshake
    std::chrono::milliseconds response_timeout{10'000}; // write request + read whole response
    std::size_t max_response_body = 64 * 1024;          // more is read and discarded, not kept
    address_policy addresses;
    std::string ca_file;  // "" = the system CA store (/etc/ssl/certs); tests pass their own CA
    std::string user_agent = "loa-dispatcher/1";
};

struct webhook_request {
    std::string url;  // http(s)://host[:port]/path?query
    std::string webhook_id;
    std::int64_t timestamp_s = 0;  // webhook-timestamp (seconds since 1970)
    std::string signature;         // webhook-signature, "v1,…"
    std::string body;              // application/json
};

class webhook_client {
public:
    webhook_client(boost::asio::any_io_executor ex, client_settings s);
    ~webhook_client();
    webhook_client(const webhook_client&) = delete;
    webhook_client& operator=(const webhook_client&) = delete;

    // One attempt. Never throws for network or HTTP failures: they come back in the result (status
    // set when any HTTP response arrived; error says what went wrong and where, e.g.
    // "TLS handshake with hooks.example.org:443 failed: certificate verify failed").
    boost::asio::awaitable<scheduler::dispatch::attempt_result> post(webhook_request req);

    [[nodiscard]] const client_settings& settings() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace loa::delivery
