// Password hashing: argon2id through libsodium's crypto_pwhash_str with the OWASP parameters
// (m = 19 MiB, t = 2, p = 1), run on a small thread pool of its own — never on an io thread nor on the
// db thread — and awaited like db_executor::run.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace loa::app {

// OWASP Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 lane (libsodium's
// crypto_pwhash_str always uses one lane). The hash string records them: "$argon2id$v=19$m=19456,t=2,p=1$…".
inline constexpr std::size_t password_memlimit = 19u * 1024u * 1024u;
inline constexpr unsigned long long password_opslimit = 2;

// Passwords are at least this many characters (Unicode code points) and at most this many bytes
// (a longer "password" is a denial-of-service attempt, not a password).
inline constexpr std::size_t password_min_chars = 12;
inline constexpr std::size_t password_max_bytes = 1024;

// Passwords are hashed and checked in Unicode NFC (core::to_nfc): "Mật khẩu" typed precomposed or
// decomposed (macOS, some Vietnamese input methods) is one password. They are never case-folded.

// Why a password is not acceptable: nullopt when it is, else "too_short" (fewer code points than
// password_min_chars once in NFC), "too_long" or "not_utf8".
[[nodiscard]] std::optional<std::string> check_new_password(std::string_view password);

// Blocking: the argon2id string of `password` in NFC. Throws std::runtime_error when libsodium cannot
// allocate the memory. Thread-safe. Call it through password_hasher on a server.
[[nodiscard]] std::string hash_password(std::string_view password);

// How a password matched a stored hash.
enum class password_match {
    no,
    yes,
    // Only as typed, not in NFC: a hash made before loa normalized passwords, from a password typed
    // decomposed. The caller should store hash_password(password) in its place (then the same
    // password typed either way matches).
    yes_needs_rehash,
};

// Blocking: whether `password` matches `hash` (a crypto_pwhash_str string): its NFC form first, then,
// when that differs and fails, the bytes as typed. `no` for malformed hashes. Thread-safe.
[[nodiscard]] password_match match_password(const std::string& hash, std::string_view password);
// match_password(...) != password_match::no.
[[nodiscard]] bool verify_password(const std::string& hash, std::string_view password);
// Blocking: the same work as a failed match_password against a fixed hash (one or two argon2id runs),
// for unknown or disabled users, so that the answer takes as long whether or not a name exists.
// Thread-safe.
void dummy_verify(std::string_view password);

// A small pool (default 2 threads: two hashes cost 38 MiB at most at a time; more wait in the queue)
// where hashing runs. Thread-safe. Call shutdown() (or destroy it) after the io_context has stopped.
class password_hasher {
public:
    explicit password_hasher(std::size_t threads = 2) : pool_(threads) {}
    ~password_hasher() { shutdown(); }
    password_hasher(const password_hasher&) = delete;
    password_hasher& operator=(const password_hasher&) = delete;

    // The awaited forms of hash_password / verify_password / dummy_verify: the work runs on the pool
    // and the caller resumes on its own executor. Parameters are by value (coroutine frames own them).
    boost::asio::awaitable<std::string> hash(std::string password);
    boost::asio::awaitable<bool> verify(std::string hash, std::string password);
    boost::asio::awaitable<password_match> match(std::string hash, std::string password);
    boost::asio::awaitable<void> verify_dummy(std::string password);

    // How many hash computations (hash, verify, dummy) the pool has started: tests use it to prove
    // that a throttled login never reached argon2.
    [[nodiscard]] std::size_t started() const noexcept { return started_.load(); }

    // Waits for queued work and joins the threads. Idempotent.
    void shutdown();

private:
    struct job_state {
        int kind = 0;  // 0 hash, 1 verify, 2 dummy
        std::string hash;
        std::string password;
        std::string result_hash;
        password_match result_match = password_match::no;
        std::exception_ptr error;
    };
    struct initiate_job {
        password_hasher* self;
        job_state* state;
        template <class Handler>
        void operator()(Handler handler) const {
            auto home = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                            boost::asio::execution::outstanding_work.tracked);
            boost::asio::post(self->pool_, [s = self, st = state, h = std::move(handler), home]() mutable {
                s->run_job(*st);
                boost::asio::dispatch(home, std::move(h));
            });
        }
    };
    boost::asio::awaitable<void> run(job_state& state);
    void run_job(job_state& state) noexcept;

    boost::asio::thread_pool pool_;
    std::atomic<std::size_t> started_{0};
    std::atomic<bool> shut_down_{false};
};

}  // namespace loa::app
