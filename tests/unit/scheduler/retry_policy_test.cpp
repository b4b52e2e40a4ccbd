// The retry policy: full-jitter bounds, Retry-After in both forms and garbage, and decide() per status.
#include "scheduler/dispatch/retry_policy.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {
namespace retry_policy_test_cpp {

namespace sd = loa::scheduler::dispatch;
using loa::core::ms_time;
using outcome = loa::core::attempt_record::outcome;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// 2026-11-29 04:00:00 UTC, a Sunday.
const ms_time now = ms_time(std::chrono::sys_days(std::chrono::year(2026) / 11 / 29).time_since_epoch() + 4h);

sd::attempt_result http(int status, std::string retry_after = "") {
    sd::attempt_result r;
    r.status = status;
    r.retry_after = std::move(retry_after);
    return r;
}

sd::attempt_result no_response(std::string error, bool permanent = false) {
    sd::attempt_result r;
    r.error = std::move(error);
    r.permanent_error = permanent;
    return r;
}

constexpr std::chrono::seconds three_days = 72h;

}  // namespace

TEST(Backoff, FullJitterStaysWithinTheDoublingCeiling) {
    const sd::backoff_settings s;  // base 5 s, cap 1 h
    std::mt19937_64 gen(20261129);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int attempt = 1; attempt <= 40; ++attempt) {
        const milliseconds ceiling = std::min(milliseconds(5'000LL << std::min(attempt - 1, 20)), milliseconds(3'600'000));
        milliseconds lo = ceiling, hi = 0ms;
        for (int i = 0; i < 2'000; ++i) {
            const milliseconds d = sd::backoff_delay(s, attempt, u(gen));
            ASSERT_GE(d, 0ms);
            ASSERT_LE(d, ceiling) << "attempt " << attempt;
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        // Full jitter really spreads over the whole range, not just near the ceiling.
        EXPECT_LT(lo, ceiling / 20) << "attempt " << attempt;
        EXPECT_GT(hi, ceiling * 19 / 20) << "attempt " << attempt;
    }
}

TEST(Backoff, EndsOfTheUniformInputAndHugeAttempts) {
    const sd::backoff_settings s;
    EXPECT_EQ(sd::backoff_delay(s, 1, 0.0), 0ms);
    EXPECT_EQ(sd::backoff_delay(s, 1, 0.999999999), 5'000ms);
    EXPECT_EQ(sd::backoff_delay(s, 2, 0.5), 5'000ms);
    EXPECT_EQ(sd::backoff_delay(s, 3, 0.999999999), 20'000ms);
    EXPECT_EQ(sd::backoff_delay(s, 1'000'000, 0.999999999), 3'600'000ms);  // no overflow
    EXPECT_EQ(sd::backoff_delay(s, 0, 0.999999999), 5'000ms);              // treated as the first
    EXPECT_EQ(sd::backoff_delay(s, 1, 1.0), 5'000ms);                      // out of range, clamped
    EXPECT_EQ(sd::backoff_delay(s, 1, -3.0), 0ms);
}

TEST(RetryAfter, DelaySeconds) {
    EXPECT_EQ(sd::parse_retry_after("120", now), 120'000ms);
    EXPECT_EQ(sd::parse_retry_after("0", now), 0ms);
    EXPECT_EQ(sd::parse_retry_after(" 7 ", now), 7'000ms);
    // Absurd but valid: saturates instead of overflowing (decide() caps it).
    const auto huge = sd::parse_retry_after("99999999999999999999999999", now);
    ASSERT_TRUE(huge);
    EXPECT_GT(*huge, milliseconds(24h * 365 * 10));
}

TEST(RetryAfter, ImfFixdate) {
    EXPECT_EQ(sd::parse_retry_after("Sun, 29 Nov 2026 04:02:00 GMT", now), 120'000ms);
    EXPECT_EQ(sd::parse_retry_after("Mon, 30 Nov 2026 04:00:00 GMT", now), milliseconds(24h));
    // In the past: retry now.
    EXPECT_EQ(sd::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), 0ms);
    // A leap second is accepted.
    EXPECT_EQ(sd::parse_retry_after("Thu, 31 Dec 2026 23:59:60 GMT", now),
              sd::parse_retry_after("Thu, 31 Dec 2026 23:59:59 GMT", now));
}

TEST(RetryAfter, ObsoleteRfc850AndAsctimeForms) {
    EXPECT_EQ(sd::parse_retry_after("Sunday, 29-Nov-26 04:02:00 GMT", now), 120'000ms);
    // RFC 9110 §5.6.7: "94" is 1994, not 2094 (more than 50 years ahead), so in the past.
    EXPECT_EQ(sd::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), 0ms);
    EXPECT_EQ(sd::parse_retry_after("Sun Nov 29 04:02:00 2026", now), 120'000ms);
    EXPECT_EQ(sd::parse_retry_after("Tue Dec  1 04:00:00 2026", now), milliseconds(48h));
    EXPECT_EQ(sd::parse_retry_after("Sun Nov  6 08:49:37 1994", now), 0ms);
}

TEST(RetryAfter, GarbageIsNotUnderstood) {
    for (const char* bad : {"", "   ", "-5", "1.5", "120s", "soon", "0x10", "+3",
                            "Sun, 29 Nov 2026 04:02:00 UTC",    // only GMT
                            "Sun, 29 Nov 2026 04:02 GMT",       // seconds missing
                            "Sun, 31 Nov 2026 04:02:00 GMT",    // no 31 November
                            "Sun, 29 Nov 2026 24:00:00 GMT",    // hour 24
                            "Sun, 29 Nov 26 04:02:00 GMT",      // two-digit year in IMF-fixdate
                            "Sunday, 29-Nov-2026 04:02:00 GMT", // four-digit year in RFC 850
                            "Sun Nov 6 08:49:37 1994",          // asctime pads the day with a space
                            "Sun, 29 Nov 2026 04:02:00 GMT trailing", "Chủ nhật, 29 Nov 2026 04:02:00 GMT",
                            "Sun, 29 Thg 2026 04:02:00 GMT"}) {
        EXPECT_FALSE(sd::parse_retry_after(bad, now)) << '"' << bad << '"';
    }
}

TEST(Decide, TwoHundredsAreDelivered) {
    for (const int status : {200, 201, 202, 204, 299}) {
        const auto d = sd::decide(http(status), 1, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.result, outcome::delivered) << status;
        EXPECT_EQ(d.why, "HTTP " + std::to_string(status));
    }
}

TEST(Decide, GoneDisablesTheTarget) {
    const auto d = sd::decide(http(410), 3, now, now, three_days, {}, 0.5);
    EXPECT_EQ(d.result, outcome::disabled);
    EXPECT_NE(d.why.find("410"), std::string::npos);
}

TEST(Decide, TooManyRequestsAndUnavailableHonourRetryAfter) {
    for (const int status : {429, 503}) {
        auto d = sd::decide(http(status, "120"), 1, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.result, outcome::retry);
        EXPECT_EQ(d.next_attempt, now + 120s);
        EXPECT_EQ(d.why, "HTTP " + std::to_string(status) + ", Retry-After 2 min");

        d = sd::decide(http(status, "Sun, 29 Nov 2026 05:00:00 GMT"), 1, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.next_attempt, now + 1h);

        // Garbage: the ordinary backoff, and the log says why.
        d = sd::decide(http(status, "bientôt"), 2, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.result, outcome::retry);
        EXPECT_EQ(d.next_attempt, now + sd::backoff_delay({}, 2, 0.5));
        EXPECT_NE(d.why.find("not understood"), std::string::npos);

        // None: backoff.
        d = sd::decide(http(status), 1, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.next_attempt, now + sd::backoff_delay({}, 1, 0.5));
    }
    // Clipped to retry_after_cap (1 day by default).
    const auto d = sd::decide(http(503, "864000"), 1, now, now, three_days, {}, 0.5);
    EXPECT_EQ(d.result, outcome::retry);
    EXPECT_EQ(d.next_attempt, now + 24h);
    EXPECT_NE(d.why.find("capped"), std::string::npos);
    // Retry-After on a 500 is not a promise the policy reads: backoff.
    EXPECT_EQ(sd::decide(http(500, "5"), 1, now, now, three_days, {}, 0.0).next_attempt, now);
}

TEST(Decide, OtherClientErrorsAreDeadButTimeoutAndTooEarlyRetry) {
    for (const int status : {400, 401, 403, 404, 405, 413, 415, 422, 451}) {
        const auto d = sd::decide(http(status), 1, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.result, outcome::dead) << status;
    }
    for (const int status : {408, 425}) {
        const auto d = sd::decide(http(status), 4, now, now, three_days, {}, 0.5);
        EXPECT_EQ(d.result, outcome::retry) << status;
        EXPECT_EQ(d.next_attempt, now + sd::backoff_delay({}, 4, 0.5));
    }
}

TEST(Decide, ServerErrorsRedirectsAndNoResponseRetry) {
    for (const int status : {500, 502, 504, 599, 301, 307}) {
        const auto d = sd::decide(http(status), 2, now, now, three_days, {}, 0.25);
        EXPECT_EQ(d.result, outcome::retry) << status;
        EXPECT_EQ(d.next_attempt, now + sd::backoff_delay({}, 2, 0.25));
        EXPECT_TRUE(d.why.starts_with("HTTP " + std::to_string(status) + ", retry in ")) << d.why;
    }
    const auto d = sd::decide(no_response("connect to hooks.example.vn:443 timed out after 5 s"), 1, now, now,
                              three_days, {}, 0.5);
    EXPECT_EQ(d.result, outcome::retry);
    EXPECT_EQ(d.why, "connect to hooks.example.vn:443 timed out after 5 s, retry in 2.5 s");
}

TEST(Decide, PermanentErrorsAreDeadAtOnce) {
    const auto d = sd::decide(no_response("10.0.0.7 is a private address", true), 1, now, now, three_days, {}, 0.5);
    EXPECT_EQ(d.result, outcome::dead);
    EXPECT_NE(d.why.find("10.0.0.7"), std::string::npos);
}

TEST(Decide, NoRetryAfterTheWindow) {
    const ms_time due = now - 72h + 3s;  // 3 s of the window left
    EXPECT_EQ(sd::decide(http(500), 1, now, due, three_days, {}, 0.5).result, outcome::retry);  // 2.5 s
    const auto d = sd::decide(http(500), 1, now, due, three_days, {}, 0.9);                   // 4.5 s
    EXPECT_EQ(d.result, outcome::dead);
    EXPECT_NE(d.why.find("retry window of 3 days over"), std::string::npos) << d.why;
    // A Retry-After beyond the window is dead too, not a retry that would never happen.
    EXPECT_EQ(sd::decide(http(429, "60"), 1, now, due, three_days, {}, 0.0).result, outcome::dead);
    // Success is success, however late.
    EXPECT_EQ(sd::decide(http(200), 30, now, due - 240h, three_days, {}, 0.5).result, outcome::delivered);
}

}  // namespace retry_policy_test_cpp
}  // namespace
