// argon2id hashing and verification (libsodium) and the pool they run on.
#include "server/app/passwords.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>

#include "core/text/unicode.hpp"

namespace loa::app {

namespace {

void ensure_sodium() {
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

// A hash of a random password, made once, for dummy_verify: same parameters as real hashes, so the
// verification costs the same.
const std::string& dummy_hash() {
    static const std::string h = [] {
        ensure_sodium();
        std::array<unsigned char, 24> random{};
        randombytes_buf(random.data(), random.size());
        return hash_password(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
    }();
    return h;
}

// Well-formed UTF-8 (no overlong forms of 2-byte sequences, no bytes above U+10FFFF's lead).
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t trail = 0;
        if (c < 0x80) {
            trail = 0;
        } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
            trail = 1;
        } else if ((c & 0xF0) == 0xE0) {
            trail = 2;
        } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
            trail = 3;
        } else {
            return false;
        }
        if (s.size() - i <= trail) return false;
        for (std::size_t k = 1; k <= trail; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += trail + 1;
    }
    return true;
}

}  // namespace

std::optional<std::string> check_new_password(std::string_view password) {
    if (password.size() > password_max_bytes) return "too_long";
    if (!valid_utf8(password)) return "not_utf8";
    if (core::code_points(core::to_nfc(password)) < password_min_chars) return "too_short";
    return std::nullopt;
}

std::string hash_password(std::string_view password) {
    ensure_sodium();
    const std::string nfc = core::to_nfc(password);
    std::array<char, crypto_pwhash_STRBYTES> out{};
    const int rc = crypto_pwhash_str_alg(out.data(), nfc.data(), nfc.size(), password_opslimit, password_memlimit,
                                         crypto_pwhash_ALG_ARGON2ID13);
    if (rc != 0) throw std::runtime_error("argon2id: out of memory");
    return {out.data()};
}

namespace {

bool verify_bytes(const std::string& hash, std::string_view password) {
    ensure_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace

password_match match_password(const std::string& hash, std::string_view password) {
    std::string nfc = core::to_nfc(password);
    const bool ok = verify_bytes(hash, nfc);
    const bool same = nfc == password;
    sodium_memzero(nfc.data(), nfc.size());
    if (ok) return password_match::yes;
    if (!same && verify_bytes(hash, password)) return password_match::yes_needs_rehash;
    return password_match::no;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return match_password(hash, password) != password_match::no;
}

void dummy_verify(std::string_view password) {
    (void)match_password(dummy_hash(), password);
}

void password_hasher::run_job(job_state& state) noexcept {
    started_.fetch_add(1);
    try {
        switch (state.kind) {
            case 0:
                state.result_hash = hash_password(state.password);
                break;
            case 1:
                state.result_match = match_password(state.hash, state.password);
                break;
            default:
                dummy_verify(state.password);
                break;
        }
    } catch (...) {
        state.error = std::current_exception();
    }
    sodium_memzero(state.password.data(), state.password.size());
}

boost::asio::awaitable<void> password_hasher::run(job_state& state) {
    co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void()>(
        initiate_job{this, &state}, boost::asio::use_awaitable);
    if (state.error) std::rethrow_exception(state.error);
}

boost::asio::awaitable<std::string> password_hasher::hash(std::string password) {
    job_state state;
    state.kind = 0;
    state.password = std::move(password);
    co_await run(state);
    std::string out = std::move(state.result_hash);
    co_return out;
}

boost::asio::awaitable<bool> password_hasher::verify(std::string hash, std::string password) {
    const password_match m = co_await match(std::move(hash), std::move(password));
    co_return m != password_match::no;
}

boost::asio::awaitable<password_match> password_hasher::match(std::string hash, std::string password) {
    job_state state;
    state.kind = 1;
    state.hash = std::move(hash);
    state.password = std::move(password);
    co_await run(state);
    const password_match m = state.result_match;
    co_return m;
}

boost::asio::awaitable<void> password_hasher::verify_dummy(std::string password) {
    job_state state;
    state.kind = 2;
    state.password = std::move(password);
    co_await run(state);
}

void password_hasher::shutdown() {
    if (shut_down_.exchange(true)) return;
    pool_.join();
}

}  // namespace loa::app
