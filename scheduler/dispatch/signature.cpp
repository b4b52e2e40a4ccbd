// Standard Webhooks "v1" signatures: HMAC-SHA256 over id.timestamp.body with libsodium.
#include "scheduler/dispatch/signature.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace loa::scheduler::dispatch {
namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::string_view v1_prefix = "v1,";
using mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

void require_sodium() {
    // sodium_init is thread-safe and idempotent; < 0 means no usable random source.
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

// Base64 (RFC 4648 alphabet) to bytes: padded as the spec's secrets are, or unpadded as some
// receivers print them. nullopt on anything else (URL-safe alphabet, stray characters).
std::optional<std::string> base64_decode(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
        std::size_t len = 0;
        const char* end = nullptr;
        if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                              nullptr, &len, &end, variant) == 0 &&
            end == text.data() + text.size()) {
            out.resize(len);
            return out;
        }
    }
    return std::nullopt;
}

std::string base64_encode(const unsigned char* data, std::size_t size) {
    const std::size_t cap = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
    std::string out(cap, '\0');
    sodium_bin2base64(out.data(), cap, data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(cap - 1);  // the terminating NUL
    return out;
}

// HMAC-SHA256 with a key of any length (the one-shot crypto_auth_hmacsha256 wants exactly 32
// bytes; Standard Webhooks keys are 24 to 64).
mac hmac(std::string_view key, std::string_view id, std::string_view timestamp, std::string_view body) {
    require_sodium();
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    const auto feed = [&st](std::string_view part) {
        crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(part.data()), part.size());
    };
    feed(id);
    feed(".");
    feed(timestamp);
    feed(".");
    feed(body);
    mac out{};
    crypto_auth_hmacsha256_final(&st, out.data());
    sodium_memzero(&st, sizeof st);
    return out;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<std::string> secret_key(std::string_view secret) {
    if (!secret.starts_with(secret_prefix)) return std::nullopt;
    auto key = base64_decode(secret.substr(secret_prefix.size()));
    if (!key || key->empty()) return std::nullopt;
    return key;
}

std::string sign(std::string_view secret, std::string_view webhook_id, std::int64_t timestamp_s,
                 std::string_view body) {
    const auto key = secret_key(secret);
    if (!key) throw std::invalid_argument("webhook secret is not \"whsec_\" followed by base64");
    const std::string ts = std::to_string(timestamp_s);
    const mac m = hmac(*key, webhook_id, ts, body);
    return std::string(v1_prefix) + base64_encode(m.data(), m.size());
}

bool verify(std::string_view secret, std::string_view webhook_id, std::string_view timestamp, std::string_view body,
            std::string_view signature_header, std::int64_t now_s, std::int64_t tolerance_s) {
    const auto key = secret_key(secret);
    const auto ts = parse_timestamp(timestamp);
    if (!key || !ts || webhook_id.empty()) return false;
    if (*ts < now_s - tolerance_s || *ts > now_s + tolerance_s) return false;
    const mac expected = hmac(*key, webhook_id, timestamp, body);

    bool match = false;
    // Space-separated "version,base64" entries; other versions (v1a, v2) are skipped, not errors.
    while (!signature_header.empty()) {
        const std::size_t space = signature_header.find(' ');
        const std::string_view entry = signature_header.substr(0, space);
        signature_header = space == std::string_view::npos ? std::string_view{} : signature_header.substr(space + 1);
        if (!entry.starts_with(v1_prefix)) continue;
        const auto given = base64_decode(entry.substr(v1_prefix.size()));
        if (!given || given->size() != expected.size()) continue;
        // Constant time in the bytes compared; every entry is checked so timing says nothing
        // about which one matched.
        if (sodium_memcmp(given->data(), expected.data(), expected.size()) == 0) match = true;
    }
    return match;
}

}  // namespace loa::scheduler::dispatch
