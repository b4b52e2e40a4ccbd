#include "core/text/json_error.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/parse.hpp>
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
    return json_position(text, at) + ": " + ec.message();
}

std::string json_position(std::string_view text, std::size_t offset) {
    const std::string_view before = text.substr(0, std::min(offset, text.size()));
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t last_break = before.rfind('\n');
    const std::size_t column =
        code_points(last_break == std::string_view::npos ? before : before.substr(last_break + 1)) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

namespace {

// A walk over valid JSON text (what the parser accepted: no need to check its grammar again).
class json_walk {
public:
    json_walk(std::string_view text, std::string_view member) : t_(text), member_(member) {}

    json_layout run() {
        value(true, true);
        return std::move(out_);
    }

private:
    void ws() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\r' || t_[i_] == '\n')) ++i_;
    }
    // At an opening quote: past the string; its raw content.
    std::string_view string() {
        const std::size_t start = ++i_;
        while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
        const std::string_view raw = t_.substr(start, std::min(i_, t_.size()) - start);
        ++i_;
        return raw;
    }
    // One value; `elements`: when it is an array, where each of its elements starts is recorded.
    void value(bool elements, bool top = false) {
        ws();
        if (i_ >= t_.size()) return;
        const char c = t_[i_];
        if (c == '{') {
            object(top);
        } else if (c == '[') {
            ++i_;
            ws();
            while (i_ < t_.size() && t_[i_] != ']') {
                if (elements) out_.elements.push_back(i_);
                value(false);
                ws();
                if (i_ < t_.size() && t_[i_] == ',') ++i_;
                ws();
            }
            ++i_;
        } else if (c == '"') {
            string();
        } else {
            while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != ']' && t_[i_] != '}' && t_[i_] != ' ' &&
                   t_[i_] != '\t' && t_[i_] != '\r' && t_[i_] != '\n') {
                ++i_;
            }
        }
    }
    // A key as Boost.JSON reads it: "\u0061" and "a" are one key. Escapes are rare in keys, so
    // only those are decoded (by Boost.JSON itself), into storage that outlives the object's walk.
    std::string_view decoded(std::string_view raw) {
        if (raw.find('\\') == std::string_view::npos) return raw;
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse("\"" + std::string(raw) + "\"", ec);
        if (ec || !v.is_string()) return raw;
        return decoded_.emplace_back(v.get_string().c_str(), v.get_string().size());
    }
    void object(bool top) {
        const std::size_t start = i_++;
        std::unordered_set<std::string_view> seen;  // an object may hold a great many keys
        ws();
        while (i_ < t_.size() && t_[i_] == '"') {
            const std::size_t at = i_;
            const std::string_view raw = string();
            const std::string_view key = decoded(raw);
            if (!seen.insert(key).second) out_.repeated.push_back({start, at, std::string(raw)});
            ws();
            ++i_;  // ':'
            value(top && !member_.empty() && key == member_);
            ws();
            if (i_ < t_.size() && t_[i_] == ',') ++i_;
            ws();
        }
        ++i_;  // '}'
    }

    std::string_view t_;
    std::string_view member_;
    std::size_t i_ = 0;
    json_layout out_;
    std::deque<std::string> decoded_;  // (a deque: its strings do not move as it grows)
};

}  // namespace

json_layout json_layout_of(std::string_view text, std::string_view member) {
    return json_walk(text, member).run();
}

std::vector<repeated_json_key> json_repeated_keys(std::string_view text) {
    return json_layout_of(text).repeated;
}

}  // namespace loa::core
