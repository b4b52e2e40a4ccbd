// The server's log: whole lines to stderr, never interleaved between threads. Thread-safe.
#pragma once

#include <string_view>

namespace loa::app {

// Writes "loa: <line>\n" to stderr in one call.
void log_line(std::string_view line);

}  // namespace loa::app
