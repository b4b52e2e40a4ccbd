// The webhook sender: resolve, check every address, connect, TLS, POST, read a bounded answer.
#include "server/dispatch/webhook_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

namespace loa::delivery {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using scheduler::dispatch::attempt_result;
using steady = std::chrono::steady_clock;

namespace {

// Past max_response_body the answer is read and thrown away, but not forever: after this many
// bytes in all the attempt stops reading (the status is known; the connection is closed anyway).
constexpr std::uint64_t discard_limit = 8 * 1024 * 1024;
constexpr std::uint32_t response_header_limit = 16 * 1024;

// ---- the address policy ----------------------------------------------------------------------

std::string refusal(const std::string& shown, const char* kind, const char* allow_hint) {
    std::string why = shown + " is " + kind + " address";
    if (allow_hint != nullptr)
        why += std::string(", refused unless ") + allow_hint + " addresses are allowed";
    else
        why += ", never a webhook target";
    return why;
}

std::optional<std::string> check_v4(const asio::ip::address_v4& a, const std::string& shown, const address_policy& p) {
    const std::uint32_t u = a.to_uint();
    const auto in = [u](std::uint32_t net, int bits) { return (u >> (32 - bits)) == (net >> (32 - bits)); };
    if (in(0x00000000, 8)) return refusal(shown, "a \"this network\" (0.0.0.0/8)", nullptr);
    if (u == 0xFFFFFFFFu) return refusal(shown, "the broadcast", nullptr);
    if (in(0xE0000000, 4)) return refusal(shown, "a multicast", nullptr);
    if (in(0xF0000000, 4)) return refusal(shown, "a reserved (240.0.0.0/4)", nullptr);
    if (in(0x7F000000, 8) && !p.allow_loopback) return refusal(shown, "a loopback", "loopback");
    if ((in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10)) && !p.allow_private)
        return refusal(shown, "a private", "private");
    if (in(0xA9FE0000, 16) && !p.allow_link_local) return refusal(shown, "a link-local", "link-local");
    return std::nullopt;
}

std::optional<std::string> check(const asio::ip::address& a, const address_policy& p) {
    const std::string shown = a.to_string();
    if (a.is_v4()) return check_v4(a.to_v4(), shown, p);
    const asio::ip::address_v6 v6 = a.to_v6();
    const auto b = v6.to_bytes();
    // IPv4 carried inside IPv6 is judged as the IPv4 address it reaches: mapped (::ffff:a.b.c.d),
    // the deprecated compatible form (::a.b.c.d) and the NAT64 well-known prefix (64:ff9b::/96).
    const auto embedded = [&b] {
        return asio::ip::address_v4(asio::ip::address_v4::bytes_type{b[12], b[13], b[14], b[15]});
    };
    const bool first_ten_zero = std::all_of(b.begin(), b.begin() + 10, [](unsigned char c) { return c == 0; });
    if (v6.is_v4_mapped()) return check_v4(embedded(), shown + " (IPv4-mapped " + embedded().to_string() + ")", p);
    if (v6.is_unspecified()) return refusal(shown, "the unspecified", nullptr);
    if (v6.is_loopback()) {
        if (p.allow_loopback) return std::nullopt;
        return refusal(shown, "a loopback", "loopback");
    }
    if (first_ten_zero && b[10] == 0 && b[11] == 0)
        return check_v4(embedded(), shown + " (IPv4-compatible " + embedded().to_string() + ")", p);
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
        std::all_of(b.begin() + 4, b.begin() + 12, [](unsigned char c) { return c == 0; }))
        return check_v4(embedded(), shown + " (NAT64 " + embedded().to_string() + ")", p);
    if (v6.is_multicast()) return refusal(shown, "a multicast", nullptr);
    // fc00::/7 unique local, fec0::/10 the old site-local.
    if (((b[0] & 0xFE) == 0xFC || v6.is_site_local()) && !p.allow_private) return refusal(shown, "a private", "private");
    if (v6.is_link_local() && !p.allow_link_local) return refusal(shown, "a link-local", "link-local");
    return std::nullopt;
}

// ---- where to send ---------------------------------------------------------------------------

struct target {
    bool tls = false;
    std::string host;         // for DNS, SNI and the certificate check: "hooks.example.vn", "::1"
    std::string port;         // "443"
    unsigned short port_number = 0;
    std::string host_header;  // "hooks.example.vn", "[::1]:8443"
    std::string path;         // "/hooks/loa?x=1"
    bool host_is_ip = false;
    [[nodiscard]] std::string where() const {
        return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
    }
};

// The reasons do not repeat the URL: they are recorded as the attempt's error, which every viewer
// of the dispatch log sees, and its user part, path or query may hold a secret.
std::variant<target, std::string> parse_target(const std::string& url) {
    const auto u = boost::urls::parse_absolute_uri(url);
    if (!u) return "bad URL: " + u.error().message();
    target t;
    const std::string scheme = u->scheme();
    if (scheme == "https")
        t.tls = true;
    else if (scheme != "http")
        return "bad URL: the scheme must be http or https";
    if (!u->has_authority() || u->encoded_host().empty()) return "bad URL: no host";
    if (u->has_userinfo()) return "bad URL: user names and passwords do not belong in the URL";
    switch (u->host_type()) {
    case boost::urls::host_type::name: t.host = u->host(); break;
    case boost::urls::host_type::ipv4: t.host = u->host_address(); t.host_is_ip = true; break;
    case boost::urls::host_type::ipv6: t.host = u->host_address(); t.host_is_ip = true; break;
    default: return "bad URL: unsupported host";
    }
    // DNS names are case-insensitive; certificates and SNI want them plain.
    std::transform(t.host.begin(), t.host.end(), t.host.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    const bool default_port = !u->has_port() || u->port().empty();
    t.port = default_port ? (t.tls ? "443" : "80") : std::string(u->port());
    t.port_number = default_port ? (t.tls ? 443 : 80) : 0;
    if (!default_port) {
        const std::string_view port = u->port();
        unsigned long n = 0;
        for (const char c : port) n = n * 10 + static_cast<unsigned long>(c - '0');  // the grammar allows digits only
        if (port.size() > 5 || n == 0 || n > 65535) return "bad URL: port " + std::string(port) + " out of range";
        t.port_number = static_cast<unsigned short>(n);
    }
    t.host_header = std::string(u->encoded_host_and_port());
    if (default_port) t.host_header = std::string(u->encoded_host());
    t.path = std::string(u->encoded_path());
    if (t.path.empty()) t.path = "/";
    if (u->has_query()) t.path += "?" + std::string(u->encoded_query());
    return t;
}

bool header_safe(std::string_view v) {
    return std::none_of(v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::string duration_text(std::chrono::milliseconds d) {
    char buf[32];
    if (d.count() % 1000 == 0)
        std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
    else
        std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(d.count()));
    return buf;
}

attempt_result failure(std::string error, bool permanent = false) {
    attempt_result r;
    r.error = std::move(error);
    r.permanent_error = permanent;
    return r;
}

// Host name verification (asio's, RFC 6125 through X509_check_host / X509_check_ip_asc) that also
// leaves a reason in the verify result, so a mismatch reads "hostname mismatch" rather than "ok".
struct checked_host_name {
    ssl::host_name_verification check;
    bool operator()(bool preverified, ssl::verify_context& ctx) const {
        const bool ok = check(preverified, ctx);
        if (!ok && preverified && X509_STORE_CTX_get_error(ctx.native_handle()) == X509_V_OK)
            X509_STORE_CTX_set_error(ctx.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
        return ok;
    }
};

// Resolving has no deadline of its own (getaddrinfo cannot be interrupted): the lookup runs
// against a timer, and when the timer wins the lookup is left to finish into this shared state.
struct resolve_wait {
    explicit resolve_wait(const asio::any_io_executor& ex) : resolver(ex), wake(ex) {}
    tcp::resolver resolver;
    asio::steady_timer wake;
    boost::system::error_code ec;
    tcp::resolver::results_type results;
    bool done = false;
};

}  // namespace

std::optional<std::string> refused_address(const std::string& ip, const address_policy& p) {
    boost::system::error_code ec;
    const asio::ip::address a = asio::ip::make_address(ip, ec);
    if (ec) return "\"" + ip + "\" is not an IP address";
    return check(a, p);
}

namespace {

// What every attempt shares: the settings and one TLS context (safe to use from many threads
// once configured).
struct client_core {
    client_core(asio::any_io_executor e, client_settings st) : ex(std::move(e)), s(std::move(st)), tls(ssl::context::tls_client) {
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        boost::system::error_code ec;
        if (s.ca_file.empty()) {
            tls.set_default_verify_paths(ec);
            if (ec) throw std::runtime_error("the system CA store could not be loaded: " + ec.message());
        } else {
            tls.load_verify_file(s.ca_file, ec);
            if (ec) throw std::runtime_error("CA file " + s.ca_file + " could not be loaded: " + ec.message());
        }
        tls.set_verify_mode(ssl::verify_peer);
    }
    asio::any_io_executor ex;
    client_settings s;
    ssl::context tls;
};

// SNI. OpenSSL's SSL_set_tlsext_host_name is a macro with a C cast inside.
bool set_server_name(SSL* native, const std::string& host) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
    return SSL_set_tlsext_host_name(native, host.c_str()) == 1;
#pragma GCC diagnostic pop
}

// The TLS failure as people can act on it: the certificate check's own reason when there is one.
std::string tls_error_text(SSL* native, const boost::system::error_code& ec) {
    const long verify = SSL_get_verify_result(native);
    if (verify != X509_V_OK) return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
    return ec.message();
}

// Write the request and read the answer under the response deadline; the status is kept as soon
// as the header is in, so a body that stalls or runs long does not hide it.
template <class Stream>
asio::awaitable<attempt_result> exchange(Stream& stream, const client_core& im, const target& t,
                                         const webhook_request& req) {
    bhttp::request<bhttp::string_body> rq{bhttp::verb::post, t.path, 11};
    rq.set(bhttp::field::host, t.host_header);
    rq.set(bhttp::field::user_agent, im.s.user_agent);
    rq.set(bhttp::field::content_type, "application/json");
    rq.set(bhttp::field::accept, "*/*");
    rq.set("webhook-id", req.webhook_id);
    rq.set("webhook-timestamp", std::to_string(req.timestamp_s));
    rq.set("webhook-signature", req.signature);
    rq.keep_alive(false);  // one connection per attempt
    rq.body() = req.body;
    rq.prepare_payload();

    // Send, under the response deadline.
    beast::get_lowest_layer(stream).expires_after(im.s.response_timeout);
    {
        auto [ec, n] = co_await bhttp::async_write(stream, rq, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec == beast::error::timeout)
            co_return failure("sending to " + t.where() + " timed out (response timeout " +
                              duration_text(im.s.response_timeout) + ")");
        if (ec) co_return failure("sending to " + t.where() + " failed: " + ec.message());
    }

    // The header, then the body in chunks: the first max_response_body bytes kept, more discarded.
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.header_limit(response_header_limit);
    parser.body_limit(boost::none);
    {
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec == beast::error::timeout)
            co_return failure(t.where() + " did not answer within the response timeout of " +
                              duration_text(im.s.response_timeout));
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset)
            co_return failure(t.where() + " closed the connection without answering");
        if (ec) co_return failure("reading the answer from " + t.where() + " failed: " + ec.message());
    }
    attempt_result r;
    r.status = static_cast<int>(parser.get().result_int());
    if (const auto it = parser.get().find(bhttp::field::retry_after); it != parser.get().end())
        r.retry_after = std::string(it->value());

    std::array<char, 8192> chunk;
    std::uint64_t total = 0;
    while (!parser.is_done() && total < discard_limit) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec == bhttp::error::need_buffer) ec = {};
        const std::size_t got = chunk.size() - parser.get().body().size;
        total += got;
        const std::size_t room = im.s.max_response_body - std::min(im.s.max_response_body, r.response_body.size());
        r.response_body.append(chunk.data(), std::min(got, room));
        if (ec) {
            // The status came; a body that stalls or breaks off does not change what it said.
            break;
        }
    }
    co_return r;
}

asio::awaitable<attempt_result> attempt(client_core* im, webhook_request req) {
    const auto parsed = parse_target(req.url);
    if (const auto* bad = std::get_if<std::string>(&parsed)) co_return failure(*bad, true);
    const target t = std::get<target>(parsed);
    if (!header_safe(req.webhook_id) || !header_safe(req.signature) || req.webhook_id.empty())
        co_return failure("webhook-id or signature for " + t.where() + " is empty or has a line break", true);

    const auto ex = co_await asio::this_coro::executor;
    const auto deadline = steady::now() + im->s.connect_timeout;
    const std::string connect_limit = "connect timeout " + duration_text(im->s.connect_timeout);

    // Resolve, against the connect deadline. An IP address needs no lookup (nor a trip through
    // the resolver's thread).
    std::vector<tcp::endpoint> endpoints;
    boost::system::error_code literal_ec;
    const asio::ip::address literal = t.host_is_ip ? asio::ip::make_address(t.host, literal_ec) : asio::ip::address{};
    if (t.host_is_ip && !literal_ec) {
        endpoints.emplace_back(literal, t.port_number);
    } else {
        auto rw = std::make_shared<resolve_wait>(ex);
        rw->wake.expires_at(deadline);
        rw->resolver.async_resolve(t.host, t.port,
                                   [rw](const boost::system::error_code& ec, tcp::resolver::results_type res) {
                                       rw->ec = ec;
                                       rw->results = std::move(res);
                                       rw->done = true;
                                       rw->wake.cancel();
                                   });
        co_await rw->wake.async_wait(asio::as_tuple(asio::use_awaitable));
        if (!rw->done) {
            rw->resolver.cancel();
            co_return failure("resolving " + t.host + " timed out (" + connect_limit + ")");
        }
        if (rw->ec) co_return failure("resolving " + t.host + " failed: " + rw->ec.message());
        for (const auto& entry : rw->results) endpoints.push_back(entry.endpoint());
    }

    // Every address, before any connection: a name that also resolves to an inside address is
    // refused whole, so the choice of address cannot be steered into the server's network.
    for (const auto& endpoint : endpoints) {
        if (auto why = check(endpoint.address(), im->s.addresses)) {
            if (t.host_is_ip) co_return failure("refused " + t.where() + ": " + *why, true);
            // "10.0.0.5 is a private address, …" → "… resolves to 10.0.0.5, a private address, …"
            if (const auto is = why->find(" is "); is != std::string::npos) why->replace(is, 4, ", ");
            co_return failure("refused " + t.where() + ": " + t.host + " resolves to " + *why, true);
        }
    }

    // Connect, under what is left of the connect deadline.
    beast::tcp_stream tcp_stream(ex);
    tcp_stream.expires_at(deadline);
    {
        auto [ec, ep] = co_await tcp_stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
        (void)ep;
        if (ec == beast::error::timeout) co_return failure("connecting to " + t.where() + " timed out (" + connect_limit + ")");
        if (ec) co_return failure("connecting to " + t.where() + " failed: " + ec.message());
    }
    if (!t.tls) co_return co_await exchange(tcp_stream, *im, t, req);

    // TLS: SNI for names, the chain and the host name verified, still under the connect deadline.
    beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp_stream), im->tls);
    if (!t.host_is_ip && !set_server_name(tls.native_handle(), t.host))
        co_return failure("TLS with " + t.where() + ": the server name could not be set", true);
    tls.set_verify_mode(ssl::verify_peer);
    tls.set_verify_callback(checked_host_name{ssl::host_name_verification(t.host)});
    beast::get_lowest_layer(tls).expires_at(deadline);
    {
        auto [ec] = co_await tls.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
        if (ec == beast::error::timeout)
            co_return failure("TLS handshake with " + t.where() + " timed out (" + connect_limit + ")");
        if (ec) co_return failure("TLS handshake with " + t.where() + " failed: " + tls_error_text(tls.native_handle(), ec));
    }
    // No close_notify exchange afterwards: the whole answer has been read (or given up on), and
    // waiting for the peer's half of a TLS shutdown would only hold the slot longer.
    co_return co_await exchange(tls, *im, t, req);
}

}  // namespace

struct webhook_client::impl : client_core {
    using client_core::client_core;
};

webhook_client::webhook_client(asio::any_io_executor ex, client_settings s)
    : impl_(std::make_unique<impl>(std::move(ex), std::move(s))) {}

webhook_client::~webhook_client() = default;

const client_settings& webhook_client::settings() const noexcept { return impl_->s; }

asio::awaitable<attempt_result> webhook_client::post(webhook_request req) {
    // Each attempt on a strand of the client's executor, whatever executor the caller is on: the
    // resolver's completion and the coroutine never run at the same time.
    auto strand = asio::make_strand(impl_->ex);
    co_return co_await asio::co_spawn(strand, attempt(impl_.get(), std::move(req)), asio::use_awaitable);
}

}  // namespace loa::delivery
