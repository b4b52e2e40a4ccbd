// A problem found in a user's input, located as FILE:LINE:COL (1-based) for people and editors.
#pragma once

#include <string>
#include <vector>

namespace loa::core {

struct diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 when the problem concerns the whole file
    int column = 0;  // 1-based
    std::string message;

    // "FILE:LINE:COL: message" (or "FILE: message" without a position).
    [[nodiscard]] std::string to_string() const;
};

using diagnostics = std::vector<diagnostic>;

}  // namespace loa::core
