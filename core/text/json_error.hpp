// Where a JSON text stops being JSON, for error messages that point at it (an API body with a
// trailing comma, say): "line 3, column 18: syntax error". Boost.JSON's own parser, fed the text
// through its stream interface, says how far it read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loa::core {

// "line L, column C: WHAT" (1-based; the column in characters, UTF-8 counted as one each) where
// `text` stops being one JSON value, or "" when it is one. Pure; thread-safe.
[[nodiscard]] std::string json_error_at(std::string_view text);

// "line L, column C" of byte `offset` in `text` (1-based; the column in characters).
[[nodiscard]] std::string json_position(std::string_view text, std::size_t offset);

// A key that an object names again (Boost.JSON keeps only the last value of a key given twice, so
// {"dry_run": false, "dry_run": true} would be read as a dry run without a word).
struct repeated_json_key {
    std::size_t object = 0;  // byte offset of the '{' of the object naming it again
    std::size_t at = 0;      // byte offset of the repetition (its opening quote)
    std::string key;         // as written between the quotes (escapes left as they are)
};
// Every repetition in `text`, which must be one valid JSON value (json_error_at(text) == ""), in
// the order of the text; keys are compared as they decode ("\u0061" is "a"). Pure; thread-safe.
[[nodiscard]] std::vector<repeated_json_key> json_repeated_keys(std::string_view text);

// What Boost.JSON's tree does not keep, in one walk over `text` (one valid JSON value): the keys
// given again (json_repeated_keys), and the byte offsets where the elements of the top-level array
// start, or, when the text is an object, those of its member `member` when that is an array (the
// as-run body's "lines"), so that errors can name a body's lines.
struct json_layout {
    std::vector<repeated_json_key> repeated;
    std::vector<std::size_t> elements;
};
[[nodiscard]] json_layout json_layout_of(std::string_view text, std::string_view member = {});

}  // namespace loa::core
