// The feeds' cache of rendered bytes, the HTTP validator and encoding rules, and the tokens in memory.
#include "server/feeds/feed_cache.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include <date/date.h>
#include <sodium.h>
#include <zlib.h>

#include "core/time/iso8601.hpp"

namespace loa::feeds {

namespace {

constexpr std::array<const char*, 7> weekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Digits only, exactly as many as given.
std::optional<int> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<unsigned> month_index(std::string_view m) {
    for (unsigned i = 0; i < months.size(); ++i)
        if (m == months[i]) return i + 1;
    return std::nullopt;
}

// "HH:MM:SS"
std::optional<std::chrono::seconds> clock_time(std::string_view s) {
    if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
    const auto h = digits(s.substr(0, 2));
    const auto m = digits(s.substr(3, 2));
    const auto sec = digits(s.substr(6, 2));
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
    return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(*sec);
}

std::optional<std::chrono::sys_seconds> instant(int y, unsigned mo, int d, std::chrono::seconds tod) {
    const date::year_month_day ymd{date::year{y}, date::month{mo}, date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days{ymd} + tod;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A query key as the request parser reads it: '+' is a space, %XX a byte.
std::string decode_key(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

// ---- HTTP rules ---------------------------------------------------------------------------------

std::string strong_etag(std::string_view bytes, std::string_view suffix) {
    std::array<unsigned char, 16> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                       nullptr, 0);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const unsigned char b : h) {
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    out += suffix;
    out += '"';
    return out;
}

bool none_match_hit(std::string_view if_none_match, std::string_view etag) {
    const std::string_view all = trim(if_none_match);
    if (all == "*") return true;
    // The opaque part of our own tag, without W/.
    std::size_t i = 0;
    while (i < all.size()) {
        // Skip separators and white space between members.
        while (i < all.size() && (is_ows(all[i]) || all[i] == ',')) ++i;
        if (i >= all.size()) break;
        if (all.compare(i, 2, "W/") == 0) i += 2;
        if (i >= all.size() || all[i] != '"') return false;
        const auto close = all.find('"', i + 1);
        if (close == std::string_view::npos) return false;
        const std::string_view tag = all.substr(i, close - i + 1);
        for (const char c : tag.substr(1, tag.size() - 2)) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x21 || u == 0x7f) return false;  // etagc = %x21 / %x23-7E / obs-text
        }
        if (tag == etag) return true;
        i = close + 1;
        while (i < all.size() && is_ows(all[i])) ++i;
        if (i < all.size() && all[i] != ',') return false;
    }
    return false;
}

std::string http_date(std::chrono::sys_seconds t) {
    const auto day = std::chrono::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::weekday wd{day};
    const date::hh_mm_ss<std::chrono::seconds> tod{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", weekdays[wd.c_encoding()],
                  static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(tod.hours().count()),
                  static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()));
    return buf;
}

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s) {
    s = trim(s);
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (s.size() == 29 && s[3] == ',' && s[4] == ' ' && s[7] == ' ' && s[11] == ' ' && s[16] == ' ' &&
        s[25] == ' ' && s.substr(26) == "GMT") {
        const auto d = digits(s.substr(5, 2));
        const auto m = month_index(s.substr(8, 3));
        const auto y = digits(s.substr(12, 4));
        const auto tod = clock_time(s.substr(17, 8));
        if (d && m && y && tod) return instant(*y, *m, *d, *tod);
        return std::nullopt;
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (s.size() == 24 && s[3] == ' ' && s[7] == ' ' && s[10] == ' ' && s[19] == ' ') {
        const auto m = month_index(s.substr(4, 3));
        const auto d = digits(trim(s.substr(8, 2)));
        const auto tod = clock_time(s.substr(11, 8));
        const auto y = digits(s.substr(20, 4));
        if (d && m && y && tod) return instant(*y, *m, *d, *tod);
        return std::nullopt;
    }
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (a two-digit year: RFC 9110's 50-year rule, taken
    // as 1950–2049).
    const auto comma = s.find(", ");
    if (comma != std::string_view::npos && s.size() == comma + 24 && s.substr(comma + 21) == "GMT") {
        const auto rest = s.substr(comma + 2);
        if (rest[2] != '-' || rest[6] != '-' || rest[9] != ' ' || rest[18] != ' ') return std::nullopt;
        const auto d = digits(rest.substr(0, 2));
        const auto m = month_index(rest.substr(3, 3));
        const auto yy = digits(rest.substr(7, 2));
        const auto tod = clock_time(rest.substr(10, 8));
        if (d && m && yy && tod) return instant(*yy < 50 ? 2000 + *yy : 1900 + *yy, *m, *d, *tod);
    }
    return std::nullopt;
}

bool not_modified(std::optional<std::string_view> if_none_match,
                  std::optional<std::string_view> if_modified_since, std::string_view etag,
                  std::chrono::sys_seconds last_modified) {
    if (if_none_match) return none_match_hit(*if_none_match, etag);
    if (if_modified_since) {
        if (const auto since = parse_http_date(*if_modified_since)) return last_modified <= *since;
    }
    return false;
}

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<double> gzip_q;
    std::optional<double> star_q;
    std::size_t from = 0;
    while (from <= accept_encoding.size()) {
        const auto comma = accept_encoding.find(',', from);
        const std::string_view member = accept_encoding.substr(
            from, comma == std::string_view::npos ? std::string_view::npos : comma - from);
        from = comma == std::string_view::npos ? accept_encoding.size() + 1 : comma + 1;
        const auto semi = member.find(';');
        const std::string_view coding = trim(member.substr(0, semi));
        if (coding.empty()) continue;
        double q = 1.0;
        if (semi != std::string_view::npos) {
            // Parameters: only q matters ("q=0", "q=0.5", "Q = 1.000" is not allowed: no spaces
            // around '=' in RFC 9110, but be lenient with OWS after ';').
            std::string_view params = member.substr(semi + 1);
            while (!params.empty()) {
                const auto next = params.find(';');
                const std::string_view p = trim(params.substr(0, next));
                params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
                if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                    const std::string_view v = trim(p.substr(2));
                    double value = 0;
                    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
                    q = (ec == std::errc{} && end == v.data() + v.size() && value >= 0 && value <= 1) ? value
                                                                                                      : 0.0;
                }
            }
        }
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            gzip_q = std::max(gzip_q.value_or(0.0), q);
        } else if (coding == "*") {
            star_q = q;
        }
    }
    if (gzip_q) return *gzip_q > 0;
    return star_q && *star_q > 0;
}

std::string gzip(std::string_view bytes) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
    // Deflated through a small buffer appended to the output, rather than into an output string of
    // deflateBound's size zero-filled first (a feed compresses about twentyfold: most of that fill
    // was never written).
    std::string out;
    out.reserve(bytes.size() / 8 + 64);
    std::array<unsigned char, 16 * 1024> chunk;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    int rc = Z_OK;
    do {
        z.next_out = chunk.data();
        z.avail_out = static_cast<uInt>(chunk.size());
        rc = deflate(&z, Z_FINISH);
        if (rc != Z_OK && rc != Z_STREAM_END) break;  // with fresh room every turn, nothing else is progress
        out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - z.avail_out);
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
    return out;
}

std::string redact_token(std::string_view target) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, q + 1));
    std::string_view rest = target.substr(q + 1);
    bool first = true;
    while (true) {
        const auto amp = rest.find('&');
        const std::string_view param = rest.substr(0, amp);
        if (!first) out += '&';
        first = false;
        const auto eq = param.find('=');
        if (decode_key(param.substr(0, eq)) == "token") {
            out += param.substr(0, eq);
            out += "=REDACTED";
        } else {
            out += param;
        }
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

// ---- The cache ----------------------------------------------------------------------------------

std::int64_t minute_of(std::chrono::system_clock::time_point t) {
    return std::chrono::floor<std::chrono::minutes>(t).time_since_epoch().count();
}

void cache_key(std::string& into, std::string_view kind, std::string_view slug, std::string_view file) {
    into.clear();
    into.reserve(kind.size() + slug.size() + file.size() + 2);
    into += kind;
    into += '/';
    into += slug;
    into += '/';
    into += file;
}

std::string cache_key(std::string_view kind, std::string_view slug, std::string_view file) {
    std::string k;
    cache_key(k, kind, slug, file);
    return k;
}

std::shared_ptr<const rendered_feed> feed_cache::fresh(const std::string& key, std::uint64_t generation,
                                                       std::int64_t minute) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    const auto& f = it->second.feed;
    if (f->generation != generation || f->minute != minute) return nullptr;
    return f;
}

std::shared_ptr<const rendered_feed> feed_cache::store(const std::string& key, std::string bytes,
                                                       std::string content_type, std::uint64_t generation,
                                                       std::int64_t minute, std::chrono::sys_seconds now) {
    const std::string etag = strong_etag(bytes);
    std::shared_ptr<const rendered_feed> before;
    {
        std::shared_lock lock(mutex_);
        if (const auto it = entries_.find(key); it != entries_.end()) before = it->second.feed;
    }
    auto next = std::make_shared<rendered_feed>();
    next->generation = generation;
    next->minute = minute;
    next->content_type = std::move(content_type);
    if (before && before->etag == etag && *before->identity == bytes) {
        // The same bytes: the same validators and gzip bytes.
        next->identity = before->identity;
        next->gzipped = before->gzipped;
        next->etag = before->etag;
        next->gzip_etag = before->gzip_etag;
        next->last_modified = before->last_modified;
        next->last_modified_http = before->last_modified_http;
    } else {
        next->gzipped = std::make_shared<const std::string>(gzip(bytes));
        next->identity = std::make_shared<const std::string>(std::move(bytes));
        next->etag = etag;
        next->gzip_etag = etag.substr(0, etag.size() - 1) + "-gz\"";
        // New bytes get a Last-Modified later than the bytes they replace, even within the same
        // second (HTTP dates have whole seconds): If-Modified-Since must never call them unchanged.
        next->last_modified = before && now <= before->last_modified ? before->last_modified + std::chrono::seconds(1) : now;
        next->last_modified_http = http_date(next->last_modified);
    }

    std::unique_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        const auto& held = *it->second.feed;
        // Another request rendered it later meanwhile: keep that one.
        if (held.generation > generation || (held.generation == generation && held.minute > minute))
            return it->second.feed;
        it->second = slot{next, next_stamp_++};
        return next;
    }
    if (entries_.size() >= max_entries_) {
        const auto oldest =
            std::min_element(entries_.begin(), entries_.end(),
                             [](const auto& a, const auto& b) { return a.second.stamp < b.second.stamp; });
        entries_.erase(oldest);
    }
    entries_.emplace(key, slot{next, next_stamp_++});
    return next;
}

void feed_cache::erase(const std::string& key) {
    std::unique_lock lock(mutex_);
    entries_.erase(key);
}

std::shared_ptr<const rendered_feed> feed_cache::latest(const std::string& key) const {
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second.feed;
}

bool feed_cache::try_begin_render(const std::string& key) {
    std::lock_guard lock(rendering_mutex_);
    return rendering_.insert(key).second;
}

void feed_cache::end_render(const std::string& key) {
    std::lock_guard lock(rendering_mutex_);
    rendering_.erase(key);
}

std::size_t feed_cache::size() const {
    std::shared_lock lock(mutex_);
    return entries_.size();
}

// ---- Tokens -------------------------------------------------------------------------------------

bool token_registry::stale(std::uint64_t generation) const {
    std::shared_lock lock(mutex_);
    return generation_ != generation;
}

void token_registry::replace(std::vector<core::live_token> tokens, std::uint64_t generation) {
    std::unique_lock lock(mutex_);
    if (generation_ && *generation_ > generation) return;
    tokens_ = std::move(tokens);
    generation_ = generation;
}

std::optional<std::int64_t> token_registry::check(std::string_view outlet, std::string_view token) const {
    if (token.empty() || outlet.empty()) return std::nullopt;
    const core::token_hash h = core::hash_feed_token(token);
    std::shared_lock lock(mutex_);
    for (const auto& t : tokens_) {
        if (t.outlet != outlet) continue;
        if (sodium_memcmp(t.hash.data(), h.data(), h.size()) == 0) return t.id;
    }
    return std::nullopt;
}

void token_registry::note_use(std::int64_t id, std::string_view utc) {
    std::lock_guard lock(uses_mutex_);
    uses_[id].assign(utc);  // the same text's storage again, most of the time: no allocation
}

std::vector<std::pair<std::int64_t, std::string>> token_registry::take_uses(
    std::chrono::steady_clock::time_point now, std::chrono::seconds every, bool force) {
    std::lock_guard lock(uses_mutex_);
    if (uses_.empty() || (!force && now - last_take_ < every)) return {};
    last_take_ = now;
    std::vector<std::pair<std::int64_t, std::string>> out(uses_.begin(), uses_.end());
    uses_.clear();
    return out;
}

bool token_registry::note_use_unless_due(std::int64_t id, std::string_view utc, std::chrono::steady_clock::time_point now,
                                         std::chrono::seconds every) {
    std::lock_guard lock(uses_mutex_);
    if (now - last_take_ >= every) return false;
    uses_[id].assign(utc);
    return true;
}

std::string feed_service::render_metrics() const {
    std::string out =
        "# HELP loa_feed_requests_total Media feed requests by outcome: hit (200 from the cache), miss "
        "(rendered first), not_modified (304), not_found (404).\n"
        "# TYPE loa_feed_requests_total counter\n";
    const auto line = [&out](const char* outcome, const std::atomic<std::uint64_t>& n) {
        out += "loa_feed_requests_total{outcome=\"";
        out += outcome;
        out += "\"} " + std::to_string(n.load(std::memory_order_relaxed)) + "\n";
    };
    line("hit", counts.hit);
    line("miss", counts.miss);
    line("not_modified", counts.not_modified);
    line("not_found", counts.not_found);
    out +=
        "# HELP loa_feed_answers_from_memory_total Feed requests (hits and 304s) answered straight from "
        "the request's header, without the ordinary request path.\n"
        "# TYPE loa_feed_answers_from_memory_total counter\n"
        "loa_feed_answers_from_memory_total " +
        std::to_string(counts.from_memory.load(std::memory_order_relaxed)) + "\n";
    out +=
        "# HELP loa_feed_cache_entries Rendered feed files held in memory.\n"
        "# TYPE loa_feed_cache_entries gauge\n"
        "loa_feed_cache_entries " +
        std::to_string(cache.size()) + "\n";
    return out;
}

}  // namespace loa::feeds

namespace loa::feeds {

std::string_view presented_token(std::optional<std::string_view> query_token,
                                 std::optional<std::string_view> authorization) {
    if (query_token) return *query_token;
    if (authorization) {
        std::string_view v = *authorization;
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        // The scheme is case-insensitive (RFC 9110 11.1): "Bearer", "bearer", "BeArEr".
        const auto is_bearer = [](std::string_view scheme) {
            constexpr std::string_view bearer = "bearer ";
            return std::equal(scheme.begin(), scheme.end(), bearer.begin(), bearer.end(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            });
        };
        if (v.size() > 7 && is_bearer(v.substr(0, 7))) {
            v.remove_prefix(7);
            while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            return v;
        }
    }
    return {};
}

http::response answer(const std::shared_ptr<const rendered_feed>& entry_ptr, feed_kind kind,
                      std::string_view accept_encoding, std::optional<std::string_view> if_none_match,
                      std::optional<std::string_view> if_modified_since, bool rendered, feed_counts& counts,
                      http::head_key known) {
    const rendered_feed& entry = *entry_ptr;
    const bool gz = accepts_gzip(accept_encoding);
    const std::string& etag = gz ? entry.gzip_etag : entry.etag;
    const bool nm = not_modified(if_none_match, if_modified_since, etag, entry.last_modified);
    (nm ? counts.not_modified : rendered ? counts.miss : counts.hit).fetch_add(1, std::memory_order_relaxed);
    http::response res;
    res.status = nm ? 304 : 200;
    if (!nm) res.shared_body = gz ? entry.gzipped : entry.identity;
    // Everything else in the head follows from the entry, the kind, the encoding and the status.
    res.head_owner = entry_ptr;
    res.head_variant = (kind == feed_kind::outlet ? 1U : 0U) | (gz ? 2U : 0U) | (nm ? 4U : 0U);
    if (known.owner == entry_ptr.get() && known.variant == res.head_variant) {
        res.head_reused = true;
        res.content_type.clear();
        return res;
    }
    res.headers.reserve(5);
    res.headers.emplace_back("ETag", etag);
    res.headers.emplace_back("Last-Modified", entry.last_modified_http);
    res.headers.emplace_back("Cache-Control", kind == feed_kind::outlet ? "private, max-age=60" : "public, max-age=300");
    res.headers.emplace_back("Vary", kind == feed_kind::outlet ? "Accept-Encoding, Authorization" : "Accept-Encoding");
    if (nm) {
        res.content_type.clear();
        return res;
    }
    res.content_type = entry.content_type;
    if (gz) res.headers.emplace_back("Content-Encoding", "gzip");
    return res;
}

std::optional<http::response> answer_from_memory(feed_service& svc, const memory_request& r, std::uint64_t generation,
                                                  std::int64_t minute, std::chrono::steady_clock::time_point steady_now,
                                                  const std::string& utc_now) {
    if (r.slug.empty() || r.file.empty()) return std::nullopt;
    // Only files that were rendered have entries: an unknown file name finds none.
    // The key in a buffer of this thread's, reused: no allocation per request.
    thread_local std::string key;
    cache_key(key, r.kind == feed_kind::outlet ? "outlet" : "campaign", r.slug, r.file);
    std::shared_ptr<const rendered_feed> entry = svc.cache.fresh(key, generation, minute);
    if (!entry) return std::nullopt;
    if (r.kind == feed_kind::outlet) {
        const std::string_view token = presented_token(r.query_token, r.authorization);
        if (token.empty() || svc.tokens.stale(generation)) return std::nullopt;
        const auto id = svc.tokens.check(r.slug, token);
        if (!id || !svc.tokens.note_use_unless_due(*id, utc_now, steady_now)) return std::nullopt;
    }
    auto res = answer(entry, r.kind, r.accept_encoding.value_or(""), r.if_none_match, r.if_modified_since, false,
                      svc.counts, r.known_head);
    svc.counts.from_memory.fetch_add(1, std::memory_order_relaxed);
    return res;
}

const std::string& http_date_now() {
    thread_local std::chrono::sys_seconds second{};
    thread_local std::string text;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (text.empty() || now != second) {
        second = now;
        text = http_date(now);
    }
    return text;
}

const std::string& utc_now_text() { return utc_now_text(std::chrono::system_clock::now()); }

const std::string& utc_now_text(std::chrono::system_clock::time_point real_now) {
    thread_local std::chrono::sys_seconds second{};
    thread_local std::string text;
    const auto now = std::chrono::floor<std::chrono::seconds>(real_now);
    if (text.empty() || now != second) {
        second = now;
        text = core::iso_utc(now);
    }
    return text;
}

// ---- Tokens just made ----------------------------------------------------------------------------

std::string fresh_tokens::put(long long user_id, entry e, std::chrono::steady_clock::time_point now) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium has no random source");
    std::array<unsigned char, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    std::string key(hex.data());
    std::lock_guard lock(mutex_);
    std::erase_if(held_, [&](const auto& kv) { return kv.second.until <= now; });
    if (held_.size() >= 256) {
        // The one that expires first goes (it was made first).
        const auto first = std::min_element(held_.begin(), held_.end(), [](const auto& a, const auto& b) {
            return a.second.until < b.second.until;
        });
        held_.erase(first);
    }
    held_.emplace(key, held{user_id, std::move(e), now + std::chrono::minutes(10)});
    return key;
}

std::optional<fresh_tokens::entry> fresh_tokens::take(std::string_view key, long long user_id,
                                                      std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = held_.find(key);
    if (it == held_.end() || it->second.user_id != user_id) return std::nullopt;
    std::optional<entry> out;
    if (it->second.until > now) out = std::move(it->second.e);
    held_.erase(it);
    return out;
}

}  // namespace loa::feeds
