// One connection: wait for a request, read its header then its body under deadlines and limits,
// dispatch it, write the response, log and count it; again while keep-alive holds.
#include "server/net/session.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "server/app/client_address.hpp"
#include "server/app/log.hpp"
#include "server/feeds/feed_cache.hpp"
#include "server/feeds/redact.hpp"
#include "server/http/beast_message.hpp"
#include "server/http/dispatch.hpp"
#include "server/http/problem.hpp"
#include "server/net/listener.hpp"
#include "server/web/render.hpp"

namespace loa::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Control characters in a log line would let a client forge log lines.
std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

struct exchange_record {
    std::string_view route = "unmatched";
    std::string method;  // empty when the request line never parsed
    std::string target;
    unsigned status = 0;
    std::size_t bytes = 0;  // body bytes sent
    steady::time_point start;
};

// Metrics for every answered request; an access-log line when enabled. Returns when it was done
// (the end of the exchange, from which the connection's idle time runs).
steady::time_point record(listener& owner, const exchange_record& r) {
    const steady::time_point end = steady::now();
    const auto elapsed = std::chrono::duration<double>(end - r.start).count();
    auto& ctx = owner.context();
    ctx.metrics.observe_request(r.route, r.method, r.status, elapsed);
    if (!ctx.config.access_log) return end;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", elapsed * 1000.0);
    app::log_line("access " + (r.method.empty() ? std::string("-") : printable(r.method)) + " " +
                  (r.target.empty() ? std::string("-") : printable(feeds::redact_token(r.target))) + " " + std::to_string(r.status) +
                  " " + std::to_string(r.bytes) + "B " + ms + "ms");
    return steady::now();  // writing the line may have taken a while
}

// Writes `res` under the write deadline. False when the connection failed.
asio::awaitable<bool> write(beast::tcp_stream& stream, http::beast_response& res, std::chrono::milliseconds timeout) {
    stream.expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, res, use_tuple);
    co_return !ec;
}

// The serialized head of the last answer from memory on this connection and what it was made of
// (http::response::head_owner, head_variant, and the version, keep-alive and HEAD of the request):
// a feed reader polling the same file on one connection gets the same head bytes again without
// headers built, Beast fields or serializing. The owner is watched, not held (a connection does not
// keep a feed's old bytes alive); a request pins it while it may name it, so its address cannot be
// another entry's meanwhile.
struct head_memo {
    std::weak_ptr<const void> owner;  // expired or empty: no head held
    unsigned variant = 0;
    unsigned version = 0;
    bool keep_alive = false;
    bool head = false;
    std::string bytes;
    std::size_t date_at = std::string::npos;  // where the Date header's value starts in `bytes`

    // The head this connection holds for a request of this version, keep-alive and method, its
    // owner being `pinned` (owner.lock(), held by the caller until the answer is written).
    [[nodiscard]] http::head_key key_for(const void* pinned, unsigned v, bool ka, bool h) const {
        if (pinned == nullptr || version != v || keep_alive != ka || head != h) return {};
        return {pinned, variant};
    }
};

// Writes `answer` (an answer from memory: its body, if any, is shared; a 304 has none) under the
// write deadline, with the head `memo` holds when the answer reuses it, else with its own head, kept
// in `memo` when it names its owner. Sets `body_bytes` to the body bytes sent. False when the
// connection failed.
asio::awaitable<bool> write_from_memory(beast::tcp_stream& stream, http::response answer, head_memo& memo,
                                        unsigned version, bool keep_alive, bool head, std::size_t& body_bytes,
                                        std::chrono::milliseconds timeout, bool https) {
    const std::shared_ptr<const std::string> body = answer.shared_body;
    if (!answer.head_reused) {
        memo.owner.reset();
        const std::shared_ptr<const void> owner = answer.head_owner;
        const unsigned variant = answer.head_variant;
        auto res = http::to_beast(std::move(answer), version, keep_alive, head, https);
        std::ostringstream os;
        os << res.base();  // the head exactly as the serializer writes it (the same fields writer)
        memo.bytes = std::move(os).str();
        const std::size_t date = memo.bytes.find("\r\nDate: ");
        memo.date_at = date == std::string::npos ? date : date + 8;
        memo.owner = owner;
        memo.variant = variant;
        memo.version = version;
        memo.keep_alive = keep_alive;
        memo.head = head;
    } else if (memo.date_at != std::string::npos) {
        // The same head again, dated now: a cache reckons the answer's age from its Date.
        const std::string& now = feeds::http_date_now();
        if (memo.date_at + now.size() <= memo.bytes.size() && memo.bytes.compare(memo.date_at, now.size(), now) != 0)
            memo.bytes.replace(memo.date_at, now.size(), now);
    }
    body_bytes = head || !body ? 0 : body->size();
    std::array<asio::const_buffer, 2> buffers{asio::buffer(memo.bytes),
                                              body_bytes == 0 ? asio::const_buffer() : asio::buffer(*body)};
    const auto consume = [&buffers](std::size_t n) {
        for (auto& b : buffers) {
            const std::size_t k = std::min(n, b.size());
            b += k;
            n -= k;
        }
        return buffers[0].size() + buffers[1].size() != 0;  // more to write
    };
    // At most 64 kB per system call: each piece goes out at once, while one call with a whole feed
    // (156 kB in the benchmark) queued it all first and cost a quarter of the throughput on
    // loopback (docs/benchmarks.md, feeds).
    constexpr std::size_t piece = 64 * 1024;
    // What the socket takes now (a 304, most or all of a 200), up to four pieces, is written at
    // once, without an asynchronous operation or a timer (the socket is non-blocking: run_session
    // sets it); the rest leaves the thread to other connections between pieces.
    beast::error_code ec;
    for (int pieces = 0; pieces < 4; ++pieces) {
        const std::size_t n = stream.socket().write_some(beast::buffers_prefix(piece, buffers), ec);
        if (!consume(n)) co_return !ec;
        if (ec || n == 0) break;
    }
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) co_return false;
    // The rest as the socket takes it, under one deadline.
    stream.expires_after(timeout);
    for (;;) {
        auto [write_ec, n] = co_await stream.async_write_some(beast::buffers_prefix(piece, buffers), use_tuple);
        if (write_ec) co_return false;
        if (!consume(n)) co_return true;
    }
}

// After an error response that ends the connection: a client still sending would get a reset that
// may destroy the response in flight, so read and drop what it sends for a short while.
asio::awaitable<void> linger(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::milliseconds(500));
    char sink[16 * 1024];
    for (std::size_t total = 0; total < 1024 * 1024;) {
        auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
        if (read_ec) break;
        total += n;
    }
}

// What a failed read means for the client: a status to answer with, or 0 to just close.
unsigned status_for_read_error(const beast::error_code& ec) {
    if (ec == bhttp::error::header_limit) return 431;
    if (ec == bhttp::error::body_limit) return 413;
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
    // Every other parse error of the HTTP category is a malformed request.
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) return 400;
    return 0;  // timeout, reset, cancelled by shutdown: nobody to answer
}

// The answer to an unreadable request: a browser that posted an over-size form gets the 413 page
// in its language (web::error_response), anything else problem+json.
http::response read_error_response(const bhttp::request_parser<bhttp::string_body>& parser, unsigned status,
                                   std::uint64_t body_limit) {
    std::string detail = status == 400 ? "The request is not valid HTTP."
                         : status == 413
                             ? "The request body is larger than the " + std::to_string(body_limit) +
                                   " bytes this server accepts."
                             : "";
    // A Content-Length over the limit stops the parser right after the fields: they are there.
    const bool have_fields = parser.is_header_done() || status == 413;
    if (!have_fields || status == 400) return http::problem(status, http::status_title(status), detail);
    const auto& h = parser.get();
    http::request req;
    req.method = std::string(h.method_string());
    req.target = std::string(h.target());
    req.path = req.target.substr(0, req.target.find('?'));
    for (const auto& [name, field] : {std::pair{"accept", bhttp::field::accept},
                                      std::pair{"accept-language", bhttp::field::accept_language},
                                      std::pair{"cookie", bhttp::field::cookie}}) {
        const auto [first, last] = h.equal_range(field);
        for (auto it = first; it != last; ++it) req.headers.emplace_back(name, std::string(it->value()));
    }
    return web::error_response(std::move(req), status, std::move(detail));
}

}  // namespace

asio::awaitable<void> run_session(std::shared_ptr<connection> conn, listener& owner) {
    auto& stream = conn->stream;
    const auto& cfg = owner.context().config;
    beast::flat_buffer buffer;
    // The peer's address, for login throttling (per address) and logs.
    std::string peer;
    {
        beast::error_code ep_ec;
        const auto ep = stream.socket().remote_endpoint(ep_ec);
        if (!ep_ec) peer = ep.address().to_string();
    }
    // The first request's header deadline runs from the accept: a client that connects and says
    // nothing is cut off like one that talks too slowly.
    const steady::time_point accepted = steady::now();
    steady::time_point header_deadline = accepted + cfg.header_timeout;
    steady::time_point last_answered = accepted;  // when the last exchange on this connection ended
    head_memo memo;
    // Synchronous operations on the socket (write_from_memory's first write) never wait: they
    // say would_block instead. Asynchronous operations are unaffected.
    {
        beast::error_code nb_ec;
        stream.socket().non_blocking(true, nb_ec);
    }

    for (bool first = true;; first = false) {
        // Between requests: wait for the next request's first byte under the idle deadline. Only
        // here is the connection idle, i.e. may shutdown close it at once.
        if (buffer.size() == 0) {
            if (owner.stopping()) break;
            stream.expires_at(first ? header_deadline : last_answered + cfg.idle_timeout);
            conn->idle = true;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            conn->idle = false;
            if (ec) break;  // idle timeout, client gone, or shutdown
            buffer.commit(n);
        }
        // The request began now: its header deadline, and (when it needs no more reading) the start
        // of its latency.
        const steady::time_point began = steady::now();
        if (!first) header_deadline = began + cfg.header_timeout;
        bool waited = false;  // read more after `began`

        // A fresh parser per request, with the configured limits.
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(cfg.header_limit, UINT32_MAX)));
        parser.body_limit(cfg.body_limit);
        exchange_record rec;

        // A header already in the buffer whole (the usual case: it came with the first bytes read
        // while idle) is parsed here, as async_read_header would parse it, without an asynchronous
        // operation; the rest of a header not all there is read under the header deadline.
        beast::error_code header_ec;
        if (buffer.size() != 0) {
            buffer.consume(parser.put(buffer.data(), header_ec));
            if (header_ec == bhttp::error::need_more) header_ec = {};
        }
        if (!header_ec && !parser.is_header_done()) {
            stream.expires_at(header_deadline);
            auto [read_header_ec, header_n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
            header_ec = read_header_ec;
            waited = true;
        }
        if (parser.is_header_done() || header_ec == bhttp::error::body_limit) {
            rec.method = std::string(parser.get().method_string());
            if (cfg.access_log) rec.target = std::string(parser.get().target());  // only the log shows it
        }
        bool expect_continue = false;
        if (!header_ec) {
            expect_continue = beast::iequals(parser.get()[bhttp::field::expect], "100-continue");
        }

        // Read the body (if any) under the body deadline; a client waiting for 100 Continue gets it.
        beast::error_code read_ec = header_ec;
        if (!read_ec && !parser.is_done()) {
            if (expect_continue) {
                bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
                stream.expires_after(cfg.write_timeout);
                auto [cont_ec, cont_n] = co_await bhttp::async_write(stream, go_on, use_tuple);
                if (cont_ec) break;
            }
            stream.expires_after(cfg.body_timeout);
            auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            read_ec = body_ec;
            waited = true;
        }

        rec.start = waited ? steady::now() : began;  // latency: from the request's last byte read
        if (read_ec) {
            // A request we cannot read: answer if the client can use an answer, then close.
            rec.status = status_for_read_error(read_ec);
            if (rec.status == 0) break;
            auto res = http::to_beast(read_error_response(parser, rec.status, cfg.body_limit),
                                      parser.is_header_done() ? parser.get().version() : 11, false, false,
                                      cfg.behind_tls);
            rec.bytes = res.body().size();
            if (co_await write(stream, res, cfg.write_timeout)) {
                record(owner, rec);
                co_await linger(stream);
            }
            break;
        }

        const unsigned version = parser.get().version();
        const bool keep_alive = parser.get().keep_alive();
        const bool head = parser.get().method() == bhttp::verb::head;
        http::response answer;
        // A feed whose answer is in memory (a GET or HEAD without cookies): answered from the
        // header as it was read, the same answer dispatch would give, without copying the request.
        std::optional<http::dispatched> from_memory;
        // Whether the connection goes on after an answer from memory: decided before it, since a
        // reused head (head_memo) already says so.
        const bool memory_again = keep_alive && !owner.stopping();
        std::shared_ptr<const void> pinned;  // the owner of the head the connection holds, if any
        if (const auto& h = parser.get(); head || h.method() == bhttp::verb::get) {
            // The fields it needs, the first of each name, in one pass over the header.
            http::plain_get get;
            bool cookie = false;
            for (const auto& f : h) {
                std::optional<std::string_view>* into = nullptr;
                switch (f.name()) {
                    case bhttp::field::authorization: into = &get.authorization; break;
                    case bhttp::field::if_none_match: into = &get.if_none_match; break;
                    case bhttp::field::if_modified_since: into = &get.if_modified_since; break;
                    case bhttp::field::accept_encoding: into = &get.accept_encoding; break;
                    case bhttp::field::cookie: cookie = true; break;
                    default: break;
                }
                if (cookie) break;  // the ordinary way answers it
                if (into != nullptr && !*into) *into = std::string_view(f.value().data(), f.value().size());
            }
            if (!cookie) {
                get.target = std::string_view(h.target().data(), h.target().size());
                get.read_at = rec.start;
                pinned = memo.owner.lock();
                get.known_head = memo.key_for(pinned.get(), version, memory_again, head);
                from_memory = http::dispatch_from_memory(owner.memory_routes(), get, owner.context());
            }
        }
        if (from_memory && from_memory->res.body.empty()) {
            // Written with the head this connection wrote last time, when it is the same.
            rec.route = from_memory->route;
            rec.status = from_memory->res.status;
            const bool written = co_await write_from_memory(stream, std::move(from_memory->res), memo, version,
                                                            memory_again, head, rec.bytes, cfg.write_timeout,
                                                            cfg.behind_tls);
            last_answered = record(owner, rec);
            if (!written || !memory_again) break;
            continue;
        }
        if (from_memory) {
            answer = std::move(from_memory->res);
            rec.route = from_memory->route;
        } else if (auto req = http::from_beast(parser.release())) {
            // Dispatch: routing, the handler, the one catch boundary.
            // Behind a trusted proxy, the client it names (login throttling counts by it).
            std::string forwarded;
            for (const auto& [name, value] : req->headers)
                if (name == "x-forwarded-for") forwarded += (forwarded.empty() ? "" : ", ") + value;
            req->remote_address = app::client_address(peer, forwarded, cfg.trusted_proxies);
            auto out = co_await http::dispatch(owner.routes(), std::move(*req), owner.context());
            answer = std::move(out.res);
            rec.route = out.route;
        } else {
            answer = http::problem(400, "Bad Request", "The request target is not a valid path and query.");
        }
        rec.status = answer.status;

        // Write the response; a server that is stopping says so with Connection: close.
        const bool again = keep_alive && !owner.stopping();
        auto res = http::to_beast(std::move(answer), version, again, head, cfg.behind_tls);
        rec.bytes = res.body().size();
        const bool written = co_await write(stream, res, cfg.write_timeout);
        last_answered = record(owner, rec);
        if (!written || !again) break;
    }

    // Send a FIN: the client reads the end of the stream rather than a reset.
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.close();
    owner.release(conn);
}

}  // namespace loa::net
