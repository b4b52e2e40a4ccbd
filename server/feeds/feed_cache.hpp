// The media feeds' server side (docs/feeds.md, "HTTP caching"): rendered bytes cached in memory with
// their validators, the HTTP rules that decide between 200 and 304 and between gzip and identity,
// and the feed tokens held in memory so that a feed request runs no SQL when nothing changed.
//
// A cache entry belongs to (kind, slug, file) and is fresh while the database's change generation
// (app::db_executor::generation) and the minute of the server's clock are the ones it was rendered
// at: the schedule window moves with time, and anything written may change a feed. A stale entry is
// rendered again on the db thread; when the new bytes are the same, the entry keeps its ETag and
// Last-Modified, so validators change if and only if the bytes do.
// Beast-free; thread-safe where said.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/storage/feed_store.hpp"
#include "scheduler/feeds/feed_source.hpp"
#include "server/feeds/redact.hpp"
#include "server/http/exchange.hpp"

namespace loa::feeds {

// ---- HTTP rules (pure) --------------------------------------------------------------------------

// A strong entity tag for `bytes`: "\"" + 32 hex digits of a BLAKE2b-128 hash + suffix + "\"".
// The gzip bytes get the identity bytes' tag with suffix "-gz".
[[nodiscard]] std::string strong_etag(std::string_view bytes, std::string_view suffix = {});

// RFC 9110 13.1.2 If-None-Match: true when the header value (a comma-separated list of entity tags,
// or "*") matches `etag` by the weak comparison (W/ prefixes ignored). A malformed list matches
// nothing after the first bad member.
[[nodiscard]] bool none_match_hit(std::string_view if_none_match, std::string_view etag);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the only form sent.
[[nodiscard]] std::string http_date(std::chrono::sys_seconds t);
// IMF-fixdate, and the obsolete RFC 850 and asctime forms RFC 9110 says to accept; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

// RFC 9110 13.2.2 for GET/HEAD: If-None-Match, when present, decides alone; otherwise a valid
// If-Modified-Since no earlier than `last_modified` means not modified. True = answer 304.
[[nodiscard]] bool not_modified(std::optional<std::string_view> if_none_match,
                                std::optional<std::string_view> if_modified_since, std::string_view etag,
                                std::chrono::sys_seconds last_modified);

// RFC 9110 12.5.3 Accept-Encoding: true when gzip (or x-gzip) is listed with q > 0, or "*" is with
// q > 0 and gzip is not listed with q=0. Absent or empty: false.
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);

// The gzip member (RFC 1952, zlib's deflate at level 1: a feed is gzipped at every cache miss, and level 1
// already shrinks feed XML about twentyfold) of `bytes`. Throws std::runtime_error when
// zlib fails (out of memory).
[[nodiscard]] std::string gzip(std::string_view bytes);

// ---- The cache ----------------------------------------------------------------------------------

// One rendered feed: both encodings and their validators. Immutable once shared.
struct rendered_feed {
    std::shared_ptr<const std::string> identity;
    std::shared_ptr<const std::string> gzipped;
    std::string etag;       // of identity
    std::string gzip_etag;  // of gzipped (the same tag with "-gz")
    std::string content_type;
    std::chrono::sys_seconds last_modified{};  // when these exact bytes were first rendered
    std::string last_modified_http;            // the same as an HTTP-date
    std::uint64_t generation = 0;              // the change generation it was rendered at
    std::int64_t minute = 0;                   // the minute of the server clock it is valid for
};

// The minute (since the epoch) of an instant: an entry rendered then is fresh until the next one.
[[nodiscard]] std::int64_t minute_of(std::chrono::system_clock::time_point t);

// The cache key of one feed file: kind "outlet" or "campaign".
[[nodiscard]] std::string cache_key(std::string_view kind, std::string_view slug, std::string_view file);
// The same key written into `into` (its storage reused).
void cache_key(std::string& into, std::string_view kind, std::string_view slug, std::string_view file);

class feed_cache {
public:
    explicit feed_cache(std::size_t max_entries = 1024) : max_entries_(max_entries == 0 ? 1 : max_entries) {}

    // The entry of `key` when it was rendered at `generation` and `minute`, else nullptr. Any
    // number of threads at once.
    [[nodiscard]] std::shared_ptr<const rendered_feed> fresh(const std::string& key, std::uint64_t generation,
                                                             std::int64_t minute) const;

    // Stores the bytes rendered at (generation, minute) at server time `now`. The same bytes as the
    // entry held keep its ETags, Last-Modified and gzip bytes (nothing is compressed again); other
    // bytes are gzipped (outside the lock) and get new validators with Last-Modified = now. An
    // entry already rendered at a later generation or minute is kept. Beyond max_entries the entry
    // stored longest ago goes. Thread-safe.
    std::shared_ptr<const rendered_feed> store(const std::string& key, std::string bytes,
                                               std::string content_type, std::uint64_t generation,
                                               std::int64_t minute, std::chrono::sys_seconds now);

    // Drops the entry of `key` (the feed is gone: unknown campaign, outlet with no campaign).
    void erase(const std::string& key);

    [[nodiscard]] std::size_t size() const;

    // The entry of `key` whatever it was rendered at, or nullptr.
    [[nodiscard]] std::shared_ptr<const rendered_feed> latest(const std::string& key) const;

    // One render per key at a time: true when the caller may render `key` now (end it with
    // end_render, also on failure); false while another render of it is under way — the caller then
    // serves latest() for the few milliseconds that takes, instead of queueing the same render on
    // the db thread (at every minute's turn, each waiting request would otherwise render it).
    [[nodiscard]] bool try_begin_render(const std::string& key);
    void end_render(const std::string& key);

private:
    struct slot {
        std::shared_ptr<const rendered_feed> feed;
        std::uint64_t stamp = 0;  // order of storing, for eviction
    };
    std::size_t max_entries_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, slot, std::less<>> entries_;  // guarded
    std::uint64_t next_stamp_ = 0;                      // guarded
    std::mutex rendering_mutex_;
    std::set<std::string, std::less<>> rendering_;  // keys being rendered; guarded by rendering_mutex_
};

// ---- Feed tokens in memory ----------------------------------------------------------------------

// The live feed tokens (core::live_feed_tokens) as of a change generation, and their last uses not
// yet written. Thread-safe.
class token_registry {
public:
    // True when the tokens were loaded at another generation than `generation` (or never).
    [[nodiscard]] bool stale(std::uint64_t generation) const;
    // Replaces the tokens with those read at `generation` (ignored when older than what is held).
    void replace(std::vector<core::live_token> tokens, std::uint64_t generation);

    // The id of the live token `token` of `outlet`, or nullopt. Hashes compared in constant time.
    [[nodiscard]] std::optional<std::int64_t> check(std::string_view outlet, std::string_view token) const;

    // Notes that token `id` was used at `utc` ("YYYY-MM-DDTHH:MM:SSZ").
    void note_use(std::int64_t id, std::string_view utc);
    // note_use, unless a write of the uses is due at `now` (take_uses(now, every) would return
    // them): then nothing is noted and the answer is false.
    [[nodiscard]] bool note_use_unless_due(std::int64_t id, std::string_view utc, std::chrono::steady_clock::time_point now,
                                           std::chrono::seconds every = std::chrono::seconds(60));
    // The uses to write, when `now` is at least `every` after the last take (or `force`), else
    // nothing; what is returned is forgotten here (write it with core::record_token_use).
    [[nodiscard]] std::vector<std::pair<std::int64_t, std::string>> take_uses(
        std::chrono::steady_clock::time_point now, std::chrono::seconds every = std::chrono::seconds(60),
        bool force = false);

private:
    mutable std::shared_mutex mutex_;
    std::vector<core::live_token> tokens_;     // guarded
    std::optional<std::uint64_t> generation_;  // guarded
    std::mutex uses_mutex_;
    std::map<std::int64_t, std::string> uses_;           // guarded by uses_mutex_
    std::chrono::steady_clock::time_point last_take_{};  // guarded by uses_mutex_
};

// ---- What the server holds ----------------------------------------------------------------------

// Counts of feed requests by outcome, for /metrics.
struct feed_counts {
    std::atomic<std::uint64_t> hit{0};           // 200 from a fresh entry
    std::atomic<std::uint64_t> miss{0};          // rendered (again) first
    std::atomic<std::uint64_t> not_modified{0};  // 304
    std::atomic<std::uint64_t> not_found{0};     // 404 (unknown feed, bad token)
    std::atomic<std::uint64_t> from_memory{0};   // of hit and not_modified: answered by answer_from_memory
};

// Tokens just made in the admin page, each held to be shown once on the page its POST redirects to
// (POST → 303 → GET /admin/feeds?created=KEY): reloading that page neither shows it again nor sends
// the form again (which made another live token nobody held). Held under a random key, for the user
// who made it, at most 10 minutes and 256 at once. Thread-safe.
class fresh_tokens {
public:
    struct entry {
        std::string outlet, label, token;
    };
    // The key to take it back with.
    [[nodiscard]] std::string put(long long user_id, entry e, std::chrono::steady_clock::time_point now);
    // The entry, once: nullopt when the key is unknown, taken, expired or another user's.
    [[nodiscard]] std::optional<entry> take(std::string_view key, long long user_id,
                                            std::chrono::steady_clock::time_point now);

private:
    struct held {
        long long user_id = 0;
        entry e;
        std::chrono::steady_clock::time_point until;
    };
    std::mutex mutex_;
    std::map<std::string, held, std::less<>> held_;
};

// The cache, the tokens and the feed source, made once by app::server.
class feed_service {
public:
    explicit feed_service(const core::channel_templates& templates, std::size_t max_entries = 1024)
        : source(templates), cache(max_entries) {}

    scheduler::feeds::feed_source source;
    feed_cache cache;
    token_registry tokens;
    fresh_tokens fresh;
    feed_counts counts;

    // loa_feed_requests_total{outcome} and loa_feed_cache_entries, Prometheus text.
    [[nodiscard]] std::string render_metrics() const;
};

// ---- Answers ------------------------------------------------------------------------------------

enum class feed_kind { outlet, campaign };

// The token a schedule request presents: the first `token` query value when there is one (even
// empty), else the Authorization header's Bearer credentials (scheme in any of the spellings
// "Bearer", "bearer", "BEARER"; spaces around trimmed), else "".
[[nodiscard]] std::string_view presented_token(std::optional<std::string_view> query_token,
                                               std::optional<std::string_view> authorization);

// The answer to a GET of a feed file from its rendered `entry`: 304 when If-None-Match (or else
// If-Modified-Since) matches the validators of the encoding Accept-Encoding picks, else 200 with
// those bytes (shared, not copied); ETag, Last-Modified, Cache-Control and Vary either way. Counts
// it in `counts` (not_modified, else miss when `rendered`, else hit). The response's head_owner is
// the entry; when `known` names the head this answer would have, its headers are not built
// (http::response::head_reused).
[[nodiscard]] http::response answer(const std::shared_ptr<const rendered_feed>& entry, feed_kind kind,
                                    std::string_view accept_encoding, std::optional<std::string_view> if_none_match,
                                    std::optional<std::string_view> if_modified_since, bool rendered,
                                    feed_counts& counts, http::head_key known = {});

// What a feed request that memory alone may answer says (views into the caller's request).
struct memory_request {
    feed_kind kind = feed_kind::outlet;
    std::string_view slug;
    std::string_view file;
    std::optional<std::string_view> query_token;  // the first `token` query value
    std::optional<std::string_view> authorization, if_none_match, if_modified_since, accept_encoding;
    http::head_key known_head;  // the head the connection holds (http::response::head_reused)
};

// The answer from memory alone, exactly as the handlers (server/handlers/feeds.cpp) give it, when
// nothing needs the database: the entry is fresh at (generation, minute) and, for an outlet, the
// tokens were read at `generation`, the token presented is a live one of the outlet (its use is
// noted at `utc_now`) and no write of token uses is due at `steady_now`. nullopt otherwise (also
// for every refusal): the caller then goes the handlers' way. Thread-safe.
[[nodiscard]] std::optional<http::response> answer_from_memory(feed_service& svc, const memory_request& r,
                                                               std::uint64_t generation, std::int64_t minute,
                                                               std::chrono::steady_clock::time_point steady_now,
                                                               const std::string& utc_now);

// The current UTC second as "YYYY-MM-DDTHH:MM:SSZ" (made once a second per thread); `now` is a
// reading of the system clock already taken.
[[nodiscard]] const std::string& utc_now_text();
[[nodiscard]] const std::string& utc_now_text(std::chrono::system_clock::time_point now);

// The current second as an HTTP date (http_date), written once per second per thread: every
// response's Date header (RFC 9110 6.6.1).
[[nodiscard]] const std::string& http_date_now();

}  // namespace loa::feeds
