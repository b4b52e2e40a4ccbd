// The server's settings: documented defaults (docs/server-config.md), decoded from a YAML file and
// overridden by command-line flags. A plain value, copied freely; immutable once the server runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace loa::app {

struct settings {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 8080;  // 0 = an ephemeral port, printed once listening
    unsigned threads = 2;               // io threads; the db has its own

    std::chrono::milliseconds header_timeout{10'000};  // from a request's first byte to its last header
    std::chrono::milliseconds body_timeout{30'000};    // reading the body
    std::chrono::milliseconds write_timeout{30'000};   // writing one response
    std::chrono::milliseconds idle_timeout{30'000};    // keep-alive: waiting for the next request
    std::size_t header_limit = 8 * 1024;               // larger headers → 431
    std::size_t body_limit = 1024 * 1024;              // larger bodies → 413
    std::size_t max_connections = 1024;                // beyond: 503 and close
    // Open connections from one client address (IPv6: one /64) at most, beyond: 503 and close; a
    // trusted proxy's connections are not counted (they carry many clients). 0 = no limit.
    std::size_t max_connections_per_address = 64;
    // Peers whose X-Forwarded-For names the client (a TLS proxy on the same host, by default):
    // login throttling counts by that client. Normalized addresses (client_address.hpp).
    std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
    std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests may finish within this
    bool access_log = true;                            // one stderr line per request
    std::chrono::milliseconds db_busy_timeout{5'000};  // SQLite busy timeout
    bool behind_tls = false;  // served to browsers over HTTPS (a TLS proxy): Secure, __Host- cookies

    // The dispatcher (docs/dispatch.md): due placements pushed to their targets as signed webhooks.
    bool dispatch = true;  // off: nothing is sent; the outbox keeps filling and waits
    // Receiver addresses refused unless allowed (a target must not reach into loa's own network).
    bool dispatch_allow_loopback = false;    // 127.0.0.0/8, ::1
    bool dispatch_allow_private = false;     // 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7
    bool dispatch_allow_link_local = false;  // 169.254/16, fe80::/10
    std::chrono::milliseconds dispatch_connect_timeout{5'000};    // resolve + TCP connect + TLS handshake
    std::chrono::milliseconds dispatch_response_timeout{10'000};  // write the request + read the response
    std::string dispatch_ca_file;                                 // "" = the system CA store
    std::chrono::milliseconds dispatch_poll{500};                 // longest sleep of the runner's loop
    unsigned dispatch_concurrency = 512;                          // claimed dispatches (on the wire or ready), all targets

    // The media feeds (docs/feeds.md).
    // The server's clock starts at this instant and runs on in real time (a rehearsal of a past or
    // future schedule); nullopt = the system clock. Feeds and the dispatcher read it.
    std::optional<std::chrono::sys_seconds> as_of;
    // An as-of given without an offset ("2024-07-29T12:00"): read on the campaigns' clock once the
    // database is open (resolve_as_of), as `loa plan` and `loa import` read theirs; "" when none.
    std::string as_of_wall;
    // The base URL people reach loa at ("https://loa.example", no trailing slash), used for the
    // absolute links in feeds and the subscribe URLs; "" = http://<listen address>.
    std::string public_url;
};

// The base URL of `s`: public_url, else http://listen_host:listen_port (IPv6 in brackets).
[[nodiscard]] std::string public_base_url(const settings& s);

// Parses an ISO 8601 instant with an offset or Z ("2024-07-28T00:00:00+07:00") into s.as_of; a
// date or time without one is checked and kept in s.as_of_wall for resolve_as_of. Returns an error
// message, or nullopt.
[[nodiscard]] std::optional<std::string> set_as_of(settings& s, const std::string& iso8601);

// Reads s.as_of_wall (if any) on the clock of the campaigns in the database, `zones` (their IANA
// zones): when they share one, into s.as_of. With none, or several, the time must say its offset:
// returns the error message.
[[nodiscard]] std::optional<std::string> resolve_as_of(settings& s, const std::vector<std::string>& zones);

// Checks and sets s.public_url: http:// or https:// followed by a host, no query or fragment; a
// trailing '/' is dropped; "" restores the default. Returns an error message, or nullopt.
[[nodiscard]] std::optional<std::string> set_public_url(settings& s, const std::string& url);

// Parses the dispatch_allow list given as one word or a comma-separated list ("loopback",
// "loopback,private", "none") into `s`'s dispatch_allow_* flags (replacing them). Returns an error
// message naming the unknown word, or nullopt.
[[nodiscard]] std::optional<std::string> set_dispatch_allow(settings& s, const std::string& list);

// Parses "HOST:PORT" ("[::1]:8080" for IPv6) into `s`. Returns an error message, or nullopt.
[[nodiscard]] std::optional<std::string> set_listen(settings& s, const std::string& host_port);

// Parses "10s", "500ms", "2m" or a plain number of seconds. nullopt when malformed.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

// Parses "8KiB", "1MiB", "512" (bytes), "64KB" (= KiB). nullopt when malformed.
[[nodiscard]] std::optional<std::size_t> parse_size(const std::string& text);

struct settings_result {
    settings value;             // defaults overridden by the file; meaningful only without errors
    core::diagnostics errors;  // FILE:LINE:COL for each unknown key, bad value, wrong type
};

// Decodes a YAML settings text (every key optional, unknown keys rejected) on top of `defaults`.
// Never throws on bad input. Thread-safe.
[[nodiscard]] settings_result load_settings_text(const std::string& yaml_text, const std::string& file_name,
                                                 settings defaults = {});
// Reads and decodes a file; an unreadable file is one diagnostic.
[[nodiscard]] settings_result load_settings_file(const std::filesystem::path& path, settings defaults = {});

}  // namespace loa::app
