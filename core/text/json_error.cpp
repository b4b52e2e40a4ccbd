#include "core/text/json_error.hpp"

#include <algorithm>

#include <boost/json/stream_parser.hpp>

#include "core/text/unicode.hpp"

namespace loa::core {

std::string json_error_at(std::string_view text) {
    boost::json::stream_parser p;
    boost::system::error_code ec;
    std::size_t at = p.write(text.data(), text.size(), ec);  // on an error: where it was found
    if (!ec) {
        p.finish(ec);  // the text ended inside a value
        if (!ec) return {};
        at = text.size();
    }
    at = std::min(at, text.size());
    const std::string_view before = text.substr(0, at);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t last_break = before.rfind('\n');
    const std::size_t column =
        code_points(last_break == std::string_view::npos ? before : before.substr(last_break + 1)) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + ec.message();
}

}  // namespace loa::core
