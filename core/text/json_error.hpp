// Where a JSON text stops being JSON, for error messages that point at it (an API body with a
// trailing comma, say): "line 3, column 18: syntax error". Boost.JSON's own parser, fed the text
// through its stream interface, says how far it read.
#pragma once

#include <string>
#include <string_view>

namespace loa::core {

// "line L, column C: WHAT" (1-based; the column in characters, UTF-8 counted as one each) where
// `text` stops being one JSON value, or "" when it is one. Pure; thread-safe.
[[nodiscard]] std::string json_error_at(std::string_view text);

}  // namespace loa::core
