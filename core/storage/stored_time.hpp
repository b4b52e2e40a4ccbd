// Times as the store writes and reads them, one spelling for every store:
// - instants: UTC, whole seconds, "YYYY-MM-DDTHH:MM:SSZ" (so that text order is time order);
//   user_store keeps its own millisecond form for sessions and the audit log;
// - calendar dates "YYYY-MM-DD" and wall-clock times "YYYY-MM-DDTHH:MM:SS" (no zone: the row's
//   zone column says where), as the campaign, activity and message stores keep them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "core/domain/campaign.hpp"
#include "core/time/iso8601.hpp"

namespace loa::core {

[[nodiscard]] inline std::string stored_utc_text(std::chrono::sys_seconds t) {
    return iso_utc(t);
}

// The current time, as stored.
[[nodiscard]] inline std::string stored_utc_now() {
    return stored_utc_text(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// A UTC instant as the store writes it ("YYYY-MM-DDTHH:MM:SSZ", or with milliseconds as the audit
// log and reviews have it), to whole seconds (fractions dropped). Throws SQLite::Exception for
// anything else (a corrupt database). (core/storage/feed_store.cpp)
[[nodiscard]] std::chrono::sys_seconds stored_utc_instant(std::string_view text);

// "YYYY-MM-DD".
[[nodiscard]] std::string stored_date_text(calendar_date d);

// "YYYY-MM-DDTHH:MM:SS".
[[nodiscard]] std::string stored_local_text(local_time t);

// The date in `text` ("YYYY-MM-DD"), or nullopt when it is not one (a form or file value).
[[nodiscard]] std::optional<calendar_date> parse_stored_date(std::string_view text);

// The same for a value read from the database: anything else is a corrupt database, and throws
// SQLite::Exception naming the value.
[[nodiscard]] calendar_date stored_date(std::string_view text);
[[nodiscard]] local_time stored_local(std::string_view text);

}  // namespace loa::core
