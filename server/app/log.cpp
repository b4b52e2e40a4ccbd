// Log lines to stderr, one write each under a lock so threads never interleave.
#include "server/app/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace loa::app {

void log_line(std::string_view line) {
    static std::mutex mutex;
    std::string out;
    out.reserve(line.size() + 6);
    out += "loa: ";
    out += line;
    out += '\n';
    const std::lock_guard lock(mutex);
    std::fwrite(out.data(), 1, out.size(), stderr);
    std::fflush(stderr);
}

}  // namespace loa::app
