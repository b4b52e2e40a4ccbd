// Formatting of diagnostics.
#include "core/diagnostic.hpp"

namespace loa::core {

std::string diagnostic::to_string() const {
    if (line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace loa::core
