// Instants as the store writes and reads them: UTC, whole seconds, "YYYY-MM-DDTHH:MM:SSZ" (so that
// text order is time order). One spelling for plan_store, feed_store and as_run_store.
// (user_store keeps its own millisecond form for sessions and the audit log.)
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>

namespace loa::core {

[[nodiscard]] inline std::string stored_utc_text(std::chrono::sys_seconds t) {
    return date::format("%FT%TZ", t);
}

// The current time, as stored.
[[nodiscard]] inline std::string stored_utc_now() {
    return stored_utc_text(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// A UTC instant as the store writes it ("YYYY-MM-DDTHH:MM:SSZ", or with milliseconds as the audit
// log and reviews have it), to whole seconds (fractions dropped). Throws SQLite::Exception for
// anything else (a corrupt database). (core/storage/feed_store.cpp)
[[nodiscard]] std::chrono::sys_seconds stored_utc_instant(std::string_view text);

}  // namespace loa::core
