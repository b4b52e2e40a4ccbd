// Standard Webhooks signatures (https://www.standardwebhooks.com/, "Symmetric" scheme):
//   signed content = webhook-id + "." + webhook-timestamp + "." + body
//   webhook-signature = "v1," + base64(HMAC-SHA256(key, signed content))
// where key = base64-decode(secret without its "whsec_" prefix). Pure; libsodium's HMAC-SHA256.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loa::scheduler::dispatch {

// The key bytes of a "whsec_…" secret; nullopt when the prefix is missing or the base64 is invalid.
[[nodiscard]] std::optional<std::string> secret_key(std::string_view secret);

// "v1,<base64>". Throws std::invalid_argument when the secret is malformed.
[[nodiscard]] std::string sign(std::string_view secret, std::string_view webhook_id, std::int64_t timestamp_s,
                               std::string_view body);

// The receiver's side, used by tests and the local sink: whether any "v1,…" entry of a
// space-separated signature header matches (constant-time comparison), and the timestamp is within
// `tolerance_s` of `now_s`.
[[nodiscard]] bool verify(std::string_view secret, std::string_view webhook_id, std::string_view timestamp,
                          std::string_view body, std::string_view signature_header, std::int64_t now_s,
                          std::int64_t tolerance_s = 300);

}  // namespace loa::scheduler::dispatch
