#include "core/text/json_error.hpp"

#include <boost/json/stream_parser.hpp>

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
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < at && i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0U) != 0x80U) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + ec.message();
}

}  // namespace loa::core
