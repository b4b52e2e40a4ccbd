// What happens after one delivery attempt: delivered, retried later (exponential backoff with full
// jitter, honouring Retry-After on 429/503), dead, or dead with the target disabled (410 Gone).
// Pure functions; the random source is passed in so tests can bound and repeat it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/storage/dispatch_store.hpp"

namespace loa::scheduler::dispatch {

struct backoff_settings {
    std::chrono::milliseconds base{5'000};   // cap of the first retry's delay
    std::chrono::milliseconds cap{3'600'000};  // no single delay above this (1 h)
    std::chrono::milliseconds retry_after_cap{86'400'000};  // Retry-After values above this are clipped (1 day)
};

// Full jitter: a delay drawn uniformly from [0, min(cap, base × 2^(attempt−1))], attempt ≥ 1 being
// the attempt that just failed. `uniform01` is a number in [0, 1) from the caller's generator.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const backoff_settings& s, int attempt, double uniform01);

// Retry-After (RFC 9110 §10.2.3): delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT", also the two obsolete forms), relative to `now`. nullopt when malformed; a date in
// the past is a zero delay.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, core::ms_time now);

// What one attempt returned, as the webhook client saw it.
struct attempt_result {
    std::optional<int> status;      // nullopt: no response (connect/TLS/timeout/refused address)
    std::string error;              // "" when a response came; else for people: "connect timeout after 5 s"
    std::string retry_after;        // the Retry-After header, "" when absent
    bool permanent_error = false;   // no response, and retrying cannot help (address refused by policy,
                                    // bad URL): dead at once
    std::string response_body;      // the start of the response body (at most the client's
                                    // max_response_body bytes), for the log; not used by decide()
};

struct decision {
    core::attempt_record::outcome result = core::attempt_record::outcome::delivered;
    core::ms_time next_attempt{};  // for retry
    std::string why;               // for the log: "HTTP 503, Retry-After 120 s"
};

// 2xx → delivered. 410 → disabled (the target is gone). 429/503 with a valid Retry-After → retry at
// now + that (capped), else backoff. Other 4xx except 408/425/429 → dead (the receiver refuses this
// body; retrying sends the same). 408, 425, 5xx, no response → retry with backoff. Any retry whose
// time would fall after due + retry_window → dead ("retry window of 3 days over").
[[nodiscard]] decision decide(const attempt_result& r, int attempt, core::ms_time now, core::ms_time due,
                              std::chrono::seconds retry_window, const backoff_settings& s, double uniform01);

}  // namespace loa::scheduler::dispatch
