// argon2id hashing (parameters in the hash string), verification, the password rule and the pool
// that runs hashing off the caller's thread.
#include "server/app/passwords.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <sodium.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace {
namespace passwords_test_cpp {

namespace asio = boost::asio;

TEST(passwords, hash_records_argon2id_with_the_owasp_parameters) {
    const std::string h = loa::app::hash_password("mật khẩu của Hương 2024");
    EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << h;
}

TEST(passwords, verify_accepts_the_password_and_nothing_else) {
    const std::string pw = "Phòng chống mua bán người!";
    const std::string h = loa::app::hash_password(pw);
    EXPECT_TRUE(loa::app::verify_password(h, pw));
    EXPECT_FALSE(loa::app::verify_password(h, "Phong chong mua ban nguoi!"));  // diacritics matter
    EXPECT_FALSE(loa::app::verify_password(h, pw + " "));
    EXPECT_FALSE(loa::app::verify_password(h, ""));
}

TEST(passwords, the_same_password_hashes_differently_each_time) {
    EXPECT_NE(loa::app::hash_password("một mật khẩu dài"), loa::app::hash_password("một mật khẩu dài"));
}

TEST(passwords, malformed_hashes_never_verify) {
    EXPECT_FALSE(loa::app::verify_password("", "x"));
    EXPECT_FALSE(loa::app::verify_password("plain text", "plain text"));
    EXPECT_FALSE(loa::app::verify_password(std::string(200, '$'), "x"));
}

TEST(passwords, dummy_verification_costs_about_as_much_as_a_real_one) {
    const std::string h = loa::app::hash_password("a real password here");
    loa::app::dummy_verify("warm up");  // makes the dummy hash once
    // The fastest of three runs each, so that a busy machine does not decide the outcome.
    using clock = std::chrono::steady_clock;
    auto real = clock::duration::max();
    auto dummy = clock::duration::max();
    for (int i = 0; i < 3; ++i) {
        const auto t1 = clock::now();
        (void)loa::app::verify_password(h, "a wrong password");
        const auto t2 = clock::now();
        loa::app::dummy_verify("a wrong password");
        const auto t3 = clock::now();
        real = std::min(real, t2 - t1);
        dummy = std::min(dummy, t3 - t2);
    }
    // Same parameters, so the same order of time.
    EXPECT_GT(dummy * 3, real);
    EXPECT_GT(real * 3, dummy);
}

TEST(passwords, new_password_rule_counts_characters_not_bytes) {
    EXPECT_EQ(loa::app::check_new_password("ngắn quá"), "too_short");
    EXPECT_EQ(loa::app::check_new_password("12345678901"), "too_short");
    EXPECT_FALSE(loa::app::check_new_password("123456789012"));
    // 12 characters, 24+ bytes: Vietnamese letters count once.
    EXPECT_FALSE(loa::app::check_new_password("đường hầm ẩn"));
    EXPECT_EQ(loa::app::check_new_password("ờờờờờờờờờờờ"), "too_short");  // 11 characters, 33 bytes
    EXPECT_EQ(loa::app::check_new_password(std::string(1025, 'a')), "too_long");
    EXPECT_EQ(loa::app::check_new_password("abcdefghijk\xff"), "not_utf8");
    EXPECT_EQ(loa::app::check_new_password("abcdefghijk\xe1\xba"), "not_utf8");  // cut sequence
}

// "Mật khẩu Hải Phòng" precomposed (NFC: Windows, most keyboards) and decomposed (NFD: macOS, some
// Vietnamese input methods): the same password to the person typing it.
const std::string pw_nfc = "M\xE1\xBA\xAD\x74 kh\xE1\xBA\xA9u H\xE1\xBA\xA3i Ph\xC3\xB2ng";
const std::string pw_nfd = "Ma\xCC\x82\xCC\xA3t kha\xCC\x82\xCC\x89u Ha\xCC\x89i Pho\xCC\x80ng";

TEST(passwords, precomposed_and_decomposed_forms_are_one_password) {
    ASSERT_NE(pw_nfc, pw_nfd);
    const std::string from_nfd = loa::app::hash_password(pw_nfd);
    const std::string from_nfc = loa::app::hash_password(pw_nfc);
    EXPECT_EQ(loa::app::match_password(from_nfd, pw_nfc), loa::app::password_match::yes);
    EXPECT_EQ(loa::app::match_password(from_nfd, pw_nfd), loa::app::password_match::yes);
    EXPECT_EQ(loa::app::match_password(from_nfc, pw_nfd), loa::app::password_match::yes);
    // Never case-folded: capitals are other letters in a password.
    EXPECT_EQ(loa::app::match_password(from_nfc, "M\xE1\xBA\xAC\x54 KH\xE1\xBA\xA8U H\xE1\xBA\xA2I PH\xC3\x92NG"),
              loa::app::password_match::no);
    // The length rule counts the characters a person sees: 12 in NFC, more code points in NFD.
    const std::string twelve_nfd = "\x64\xC6\xB0o\xCC\x9B\xCC\x80ng ha\xCC\x82\xCC\x80m a\xCC\x82\xCC\x89n";  // "dường hầm ẩn"
    EXPECT_FALSE(loa::app::check_new_password(twelve_nfd));
    EXPECT_EQ(loa::app::check_new_password("o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80"
                                           "o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80"
                                           "o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80o\xCC\x9B\xCC\x80"),
              "too_short");  // 11 × "ờ" decomposed: 33 code points, 11 characters
}

TEST(passwords, a_hash_made_from_decomposed_bytes_before_normalization_still_matches) {
    // What loa stored before it normalized: argon2id over the bytes as typed.
    ASSERT_GE(sodium_init(), 0);
    std::string legacy(crypto_pwhash_STRBYTES, '\0');
    ASSERT_EQ(crypto_pwhash_str_alg(legacy.data(), pw_nfd.data(), pw_nfd.size(), loa::app::password_opslimit,
                                    loa::app::password_memlimit, crypto_pwhash_ALG_ARGON2ID13),
              0);
    legacy.resize(legacy.find('\0'));
    EXPECT_EQ(loa::app::match_password(legacy, pw_nfd), loa::app::password_match::yes_needs_rehash);
    EXPECT_TRUE(loa::app::verify_password(legacy, pw_nfd));
    // Typed precomposed it cannot match (the stored hash is of other bytes) until it is rehashed.
    EXPECT_EQ(loa::app::match_password(legacy, pw_nfc), loa::app::password_match::no);
    EXPECT_EQ(loa::app::match_password(legacy, "sai"), loa::app::password_match::no);
    const std::string rehashed = loa::app::hash_password(pw_nfd);
    EXPECT_EQ(loa::app::match_password(rehashed, pw_nfc), loa::app::password_match::yes);
}

asio::awaitable<bool> hash_then_verify(loa::app::password_hasher& pool, std::string pw,
                                       std::thread::id* ran_on) {
    std::string h;
    h = co_await pool.hash(pw);
    *ran_on = std::this_thread::get_id();  // back on the caller's thread
    bool ok = false;
    ok = co_await pool.verify(h, pw);
    bool wrong = true;
    wrong = co_await pool.verify(h, "khác hẳn");
    co_await pool.verify_dummy(pw);
    co_return ok && !wrong;
}

TEST(password_hasher, runs_on_its_pool_and_resumes_the_caller) {
    loa::app::password_hasher pool(1);
    asio::io_context ioc;
    std::thread::id resumed_on;
    auto f = asio::co_spawn(ioc, hash_then_verify(pool, "mật khẩu đủ dài 12", &resumed_on), asio::use_future);
    ioc.run();
    EXPECT_TRUE(f.get());
    EXPECT_EQ(resumed_on, std::this_thread::get_id());
    EXPECT_EQ(pool.started(), 4u);
    pool.shutdown();
    pool.shutdown();  // idempotent
}

}  // namespace passwords_test_cpp
}  // namespace
