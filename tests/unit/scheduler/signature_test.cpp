// Standard Webhooks signatures: the spec's published test vector, rotation lists, tampering, clock skew.
#include "scheduler/dispatch/signature.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {
namespace signature_test_cpp {

namespace sd = loa::scheduler::dispatch;

namespace {

// The test vector published with the Standard Webhooks reference libraries
// (github.com/standard-webhooks/standard-webhooks, libraries/go/webhook_test.go TestWebhookSign and
// libraries/python/tests/test_webhooks.py test_sign_function): same key, id, timestamp, payload and
// expected signature in every language's tests.
constexpr const char* vector_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* vector_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t vector_ts = 1614265330;
constexpr const char* vector_body = R"({"test": 2432232314})";
constexpr const char* vector_signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

}  // namespace

TEST(Signature, MatchesTheStandardWebhooksTestVector) {
    EXPECT_EQ(sd::sign(vector_secret, vector_id, vector_ts, vector_body), vector_signature);
}

TEST(Signature, VerifiesTheTestVectorWithinTolerance) {
    EXPECT_TRUE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, vector_signature, vector_ts));
    EXPECT_TRUE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, vector_signature, vector_ts + 300));
    EXPECT_TRUE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, vector_signature, vector_ts - 300));
    // Replays: too old, and from the future.
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, vector_signature, vector_ts + 301));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, vector_signature, vector_ts - 301));
}

TEST(Signature, RefusesTamperedIdTimestampBodyOrSignature) {
    const std::int64_t now = vector_ts;
    EXPECT_FALSE(sd::verify(vector_secret, "msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330", vector_body,
                            vector_signature, now));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265331", vector_body, vector_signature, now));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", R"({"test": 2432232315})", vector_signature, now));
    // The last base64 character changed (the libraries' "invalid signature" case).
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body,
                            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", now));
    // Same bytes under another version tag are not a v1 signature.
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body,
                            "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", now));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, "", now));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, "v1,", now));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, "v1,@@@@", now));
    // Another key.
    EXPECT_FALSE(sd::verify("whsec_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", vector_id, "1614265330", vector_body,
                            vector_signature, now));
}

TEST(Signature, AnyEntryOfASpaceSeparatedListMayMatch) {
    // Secret rotation: the libraries' multi-signature case, the valid one third of four.
    const std::string header = std::string("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                                           "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ") +
                               vector_signature + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    EXPECT_TRUE(sd::verify(vector_secret, vector_id, "1614265330", vector_body, header, vector_ts));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330", vector_body,
                            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x", vector_ts));
}

TEST(Signature, TimestampMustBeDigits) {
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "hello", vector_body, vector_signature, vector_ts));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "", vector_body, vector_signature, vector_ts));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "-1614265330", vector_body, vector_signature, vector_ts));
    EXPECT_FALSE(sd::verify(vector_secret, vector_id, "1614265330.0", vector_body, vector_signature, vector_ts));
}

TEST(Signature, SecretNeedsPrefixAndBase64) {
    const auto key = sd::secret_key(vector_secret);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->size(), 24u);  // the spec's minimum key length
    EXPECT_FALSE(sd::secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    EXPECT_FALSE(sd::secret_key("whsec_"));
    EXPECT_FALSE(sd::secret_key("whsec_not base64!"));
    EXPECT_FALSE(sd::secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS-"));  // URL-safe alphabet
    EXPECT_THROW((void)sd::sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", vector_id, vector_ts, vector_body),
                 std::invalid_argument);
    EXPECT_FALSE(sd::verify("whsec_%%%", vector_id, "1614265330", vector_body, vector_signature, vector_ts));
    // Padded and unpadded base64 give the same key.
    EXPECT_EQ(sd::secret_key("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
              sd::secret_key("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
}

TEST(Signature, VietnameseBodyRoundTrips) {
    // The body is signed byte for byte as sent: UTF-8 diacritics included.
    const std::string body = R"({"text":"Tiêm phòng sởi cho trẻ dưới 5 tuổi tại trạm y tế phường Lê Chân"})";
    const std::string sig = sd::sign(vector_secret, "dsp_42", 1'780'000'000, body);
    EXPECT_TRUE(sig.starts_with("v1,"));
    EXPECT_EQ(sig.size(), 3u + 44u);  // base64 of 32 bytes
    EXPECT_TRUE(sd::verify(vector_secret, "dsp_42", "1780000000", body, sig, 1'780'000'010));
    std::string nfd = body;
    nfd.replace(nfd.find("sởi"), std::string("sởi").size(), "sơ\xcc\x89i");  // the same word, decomposed
    EXPECT_FALSE(sd::verify(vector_secret, "dsp_42", "1780000000", nfd, sig, 1'780'000'010));
}

}  // namespace signature_test_cpp
}  // namespace
