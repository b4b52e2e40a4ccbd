// Decodes campaign YAML into core::campaign, reporting every problem as FILE:LINE:COL.
#include "core/config/campaign_loader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <system_error>
#include <unordered_set>
#include <utility>

#include <date/tz.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "core/domain/limits.hpp"
#include "core/text/unicode.hpp"
#include "core/time/rrule.hpp"
#include "core/time/zone.hpp"

namespace loa::core {
namespace {

namespace fs = std::filesystem;

// Real campaign files are tens of kilobytes. yaml-cpp needs roughly 250 bytes of memory per
// node, so a 1 MiB file of `[1,1,1,…]` already costs ~250 MB: that is the ceiling we accept.
constexpr std::size_t max_file_bytes = std::size_t{1024} * 1024;
// Past this many, more diagnostics only bury the first ones (and junk input would yield millions).
constexpr std::size_t max_errors = 200;
constexpr std::size_t max_encoding_errors = 10;
constexpr std::size_t max_code_length = 64;
// Upper bounds that only keep numbers sane (and inside an int): a day of seconds, a year of hours.
constexpr long long seconds_per_day = 86'400;
constexpr long long hours_per_leap_year = 8'784;
constexpr long long minutes_per_leap_year = hours_per_leap_year * 60;
constexpr long long max_airings = 1'000'000;
// A flight relative to a key date reaches at most a year either side of it.
constexpr long long max_flight_days = 366;

struct position {
    int line = 1;    // 1-based
    int column = 1;  // 1-based, in characters (code points), as editors count
};

std::string format_position(position p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

// Length of the well-formed UTF-8 sequence starting at `i`, or 0 when it is malformed
// (overlong forms, surrogates and code points past U+10FFFF are malformed too).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
    } else if (lead == 0xE0) {
        n = 3;
        lo = 0xA0;
    } else if (lead == 0xED) {
        n = 3;
        hi = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
        n = 3;
    } else if (lead == 0xF0) {
        n = 4;
        lo = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        n = 4;
    } else if (lead == 0xF4) {
        n = 4;
        hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    }
    return n;
}

std::string hex_byte(unsigned char b) {
    constexpr std::string_view digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 0x0F];
}

// Characters that print as nothing or as a plain space, named in messages: "police<U+00A0>".
const char* invisible_name(std::string_view seq) {
    static constexpr std::pair<std::string_view, const char*> names[] = {
        {"\xC2\xA0", "<U+00A0 no-break space>"},      {"\xC2\xAD", "<U+00AD soft hyphen>"},
        {"\xE2\x80\x8B", "<U+200B zero-width space>"}, {"\xE2\x80\x8C", "<U+200C zero-width non-joiner>"},
        {"\xE2\x80\x8D", "<U+200D zero-width joiner>"}, {"\xE2\x80\xAF", "<U+202F narrow no-break space>"},
        {"\xE2\x81\xA0", "<U+2060 word joiner>"},        {"\xEF\xBB\xBF", "<U+FEFF zero-width no-break space>"},
    };
    for (const auto& [bytes, name] : names)
        if (seq == bytes) return name;
    return nullptr;
}

// A value quoted for a message: long values are cut, control characters never reach a terminal.
std::string shown(std::string_view s) {
    constexpr std::size_t max_shown = 60;
    std::string out = "'";
    std::size_t i = 0;
    while (i < s.size()) {
        if (i >= max_shown) {
            out += "…";
            break;
        }
        const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(s, i));
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : hex_byte(c);
        } else if (const char* name = invisible_name(s.substr(i, n))) {
            out += name;  // a no-break or zero-width space is the culprit more often than not
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out + "'";
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up
// above `limit` so a megabyte-long key costs nothing.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (length_gap > limit) return limit + 1;
    std::vector<std::size_t> before(b.size() + 1);
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// The candidate closest to `word` when it is close enough to be a likely typo.
template <class Range>
std::optional<std::string> closest(std::string_view word, const Range& candidates, bool ignore_case = false) {
    const std::string w = ignore_case ? lower_ascii(word) : std::string(word);
    const std::size_t limit = w.size() <= 4 ? 1 : w.size() <= 8 ? 2 : 3;
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& candidate : candidates) {
        const std::string_view cand(candidate);
        if (cand == word) return std::nullopt;
        const std::string c = ignore_case ? lower_ascii(cand) : std::string(cand);
        std::size_t d = edit_distance(w, c, limit);
        // "monday" for "mon": a spelled-out name whose short form is a candidate.
        if (d > limit && c.size() >= 3 && w.size() > c.size() && w.starts_with(c)) d = limit;
        if (d < best_distance) {
            best_distance = d;
            best = std::string(cand);
        }
    }
    return best;
}

template <class Range>
std::string join(const Range& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += std::string_view(item);
    }
    return out;
}

// " (did you mean 'x'?)", or " (expected one of: a, b, c)" when nothing is close and the list is short.
template <class Range>
std::string hint(std::string_view word, const Range& candidates) {
    if (auto c = closest(word, candidates)) return " (did you mean '" + *c + "'?)";
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& c : candidates) ++n;
    if (n == 0 || n > 20) return "";
    return " (expected one of: " + join(candidates) + ")";
}

bool is_code(std::string_view s) {
    if (s.empty() || s.size() > max_code_length) return false;
    bool after_dash = true;  // a code neither starts nor ends with '-', nor has "--"
    for (char c : s) {
        if (c == '-') {
            if (after_dash) return false;
            after_dash = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            after_dash = false;
        } else {
            return false;
        }
    }
    return !after_dash;
}

// Reads exactly `n` ASCII digits of `s` at `pos`.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

enum class parse_status { ok, malformed, no_such_day };

parse_status parse_date(std::string_view s, calendar_date& out) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return parse_status::malformed;
    const auto y = digits(s, 0, 4);
    const auto m = digits(s, 5, 2);
    const auto d = digits(s, 8, 2);
    if (!y || !m || !d) return parse_status::malformed;
    const calendar_date ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                            date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return parse_status::no_such_day;
    out = ymd;
    return parse_status::ok;
}

// "HH:MM" → minutes after midnight; "24:00" only when `allow_24`.
std::optional<std::chrono::minutes> parse_time(std::string_view s, bool allow_24) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    const auto h = digits(s, 0, 2);
    const auto m = digits(s, 3, 2);
    if (!h || !m || *m > 59) return std::nullopt;
    if (*h > 23 && !(allow_24 && *h == 24 && *m == 0)) return std::nullopt;
    return std::chrono::minutes{*h * 60 + *m};
}

std::string format_date(calendar_date d) {
    std::string out = std::to_string(static_cast<int>(d.year()));
    const auto two = [](unsigned v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    while (out.size() < 4) out.insert(0, "0");
    return out + "-" + two(static_cast<unsigned>(d.month())) + "-" + two(static_cast<unsigned>(d.day()));
}

// ---------------------------------------------------------------------------------------------
// The decoder: walks only the positions the format defines, so anchors and aliases that point
// at large subtrees (alias bombs) are never expanded.

struct located {
    YAML::Node node;
    position at;
};

struct entry {
    std::string key;
    position key_at;
    located value;  // value.at is the key's position when the value is empty
};

struct reference {
    std::string code;
    position at;
};

class decoder {
public:
    decoder(std::string_view text, const std::string& file, diagnostics& errors)
        : text_(text), file_(file), errors_(errors) {
        // Continuation bytes before each block of 64 bytes, so that turning a byte column into a
        // character column costs O(64), not O(line length): a 1 MiB one-line flow document has
        // 100 000 nodes on one line.
        continuations_.reserve(text.size() / block + 1);
        std::uint32_t count = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (i % block == 0) continuations_.push_back(count);
            if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++count;
        }
        continuations_.push_back(count);
    }

    void error(position at, std::string message) {
        if (errors_.size() >= max_errors) {
            truncated_ = true;
            return;
        }
        errors_.push_back(diagnostic{file_, at.line, at.column, std::move(message)});
    }
    [[nodiscard]] bool truncated() const { return truncated_; }
    // No further diagnostic will be kept: skip the work of phrasing one (suggestions cost time).
    [[nodiscard]] bool full() const { return errors_.size() >= max_errors; }

    // yaml-cpp counts 0-based lines and columns in bytes; editors count characters from 1.
    [[nodiscard]] position at(const YAML::Mark& mark) const {
        if (mark.is_null() || mark.pos < 0 || mark.line < 0 || mark.column < 0) return {1, 1};
        const auto pos = static_cast<std::size_t>(mark.pos);
        const auto byte_column = static_cast<std::size_t>(mark.column);
        if (pos > text_.size() || byte_column > pos) return {mark.line + 1, mark.column + 1};
        const std::size_t chars =
            byte_column - (continuations_before(pos) - continuations_before(pos - byte_column));
        return {mark.line + 1, static_cast<int>(chars) + 1};
    }
    [[nodiscard]] position at(const YAML::Node& node) const { return at(node.Mark()); }
    // The position of byte `offset` of the text.
    [[nodiscard]] position at_offset(std::size_t offset) const {
        offset = std::min(offset, text_.size());
        const std::size_t nl = offset == 0 ? std::string_view::npos : text_.rfind('\n', offset - 1);
        const std::size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
        YAML::Mark m;
        m.pos = static_cast<int>(offset);
        m.line = static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(line_start), '\n'));
        m.column = static_cast<int>(offset - line_start);
        return at(m);
    }

    campaign decode_document(const YAML::Node& root);
    [[nodiscard]] position slug_at() const { return slug_at_; }

private:
    // --- maps -------------------------------------------------------------------------------
    class map_view;

    // --- scalars ----------------------------------------------------------------------------
    static std::string describe(const YAML::Node& node) {
        if (node.IsMap()) return "a map";
        if (node.IsSequence()) return "a list";
        if (node.IsNull()) return "nothing";
        return shown(node.Scalar());
    }
    void expected(const located& v, std::string_view what, std::string_view key) {
        error(v.at,
              "expected " + std::string(what) + " for '" + std::string(key) + "', got " + describe(v.node));
    }
    // A quoted "30" is text to every YAML tool (and to the JSON Schema), so it is no number here either.
    bool number_scalar(const located& v, std::string_view what, std::string_view key) {
        if (!v.node.IsScalar()) {
            expected(v, what, key);
            return false;
        }
        if (v.node.Tag() == "!") {
            error(v.at, "expected " + std::string(what) + " for '" + std::string(key) + "', got the text " +
                            describe(v.node) + " (write numbers without quotes)");
            return false;
        }
        return true;
    }
    std::optional<std::string> scalar(const located& v, std::string_view what, std::string_view key) {
        if (!v.node.IsScalar()) {
            expected(v, what, key);
            return std::nullopt;
        }
        if (!free_of_controls(v, v.node.Scalar(), key)) return std::nullopt;
        return v.node.Scalar();
    }
    // Raw control bytes are refused when the file is read (check_encoding); these came from a
    // double-quoted escape ("\x1b", "\0", "\a"). Line breaks and tabs are text.
    bool free_of_controls(const located& v, const std::string& s, std::string_view key) {
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            if (forbidden_control(c)) {
                error(v.at, "control character " + hex_byte(c) + " in '" + std::string(key) +
                                "' (written as an escape) is not allowed");
                return false;
            }
        }
        return true;
    }
    // Vietnamese text, or {vi, en}; with max_chars > 0, each language at most that many code points.
    std::optional<localized> text(const located& v, std::string_view key, std::size_t max_chars = 0);
    bool within(const located& v, const std::string& s, std::string_view key, std::string_view lang, std::size_t max_chars);
    std::optional<std::string> code(const located& v, std::string_view key);
    std::optional<std::string> reference_code(const located& v, std::string_view key) {
        return scalar(v, "a code", key);
    }
    std::optional<long long> integer(const located& v, std::string_view key, long long lo, long long hi);
    std::optional<double> positive_number(const located& v, std::string_view key);
    std::optional<bool> boolean(const located& v, std::string_view key);
    std::optional<calendar_date> date_value(const located& v, std::string_view key);
    std::optional<std::chrono::minutes> time_value(const located& v, std::string_view key, bool allow_24);
    std::optional<local_time> date_time_value(const located& v, std::string_view key);
    // An error when `t` (read from v) falls in a stretch the clocks of zone `zone_name` skip
    // (false then).
    bool on_the_clock(const located& v, local_time t, const std::string& zone_name, std::string_view key);
    std::optional<std::string> zone(const located& v, std::string_view key);
    std::optional<std::string> enumeration(const located& v, std::string_view key, std::string_view noun,
                                           std::span<const char* const> names);
    // Calls `item` for each element when `v` is a list.
    template <class F>
    void each(const located& v, std::string_view key, F&& item) {
        if (!v.node.IsSequence()) {
            expected(v, "a list", key);
            return;
        }
        for (auto it = v.node.begin(); it != v.node.end(); ++it) {
            const YAML::Node element = *it;
            item(located{element, element.IsNull() ? v.at : at(element)});
        }
    }
    std::vector<std::string> code_list(const located& v, std::string_view key, std::vector<reference>& refs);
    std::optional<std::pair<calendar_date, calendar_date>> date_span(const entry& e);
    std::optional<std::pair<calendar_date, calendar_date>> span_of(const map_view& m,
                                                                   const std::string& what);

    // --- sections ---------------------------------------------------------------------------
    void decode_campaign(const entry& e, campaign& c);
    void decode_department(const located& v, campaign& c);
    void decode_activity(const located& v, campaign& c);
    void decode_outlet(const located& v, campaign& c);
    std::optional<daypart> decode_daypart(const located& v, std::map<std::string, position>& codes);
    std::optional<break_rule> decode_break(const located& v, std::vector<reference>& refs);
    std::optional<blackout> decode_blackout(const located& v, const std::string& zone_name);
    void decode_message(const located& v, campaign& c);
    void decode_flight(const entry& e, const campaign& c, message& msg);

    // Reports `code` when it is already in `seen`, else records it.
    void unique(std::map<std::string, position>& seen, const std::string& code, position at,
                std::string_view what) {
        auto [it, inserted] = seen.emplace(code, at);
        if (!inserted) {
            error(at, "duplicate " + std::string(what) + " " + shown(code) + " (first at " +
                          format_position(it->second) + ")");
        }
    }
    void check_references(const std::vector<reference>& refs, const std::map<std::string, position>& declared,
                          std::string_view noun, std::string_view where_declared,
                          std::optional<position> invalid_declaration);
    // A message may name only outlets whose kind is one of its channels.
    void check_outlet_channels(const campaign& c);
    // A message's dayparts must be dayparts of an outlet it can run on.
    void check_message_dayparts(const campaign& c);

    [[nodiscard]] std::size_t continuations_before(std::size_t pos) const {
        std::size_t count = continuations_[pos / block];
        for (std::size_t i = pos / block * block; i < pos; ++i) {
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++count;
        }
        return count;
    }

    static constexpr std::size_t block = 64;
    std::string_view text_;
    std::vector<std::uint32_t> continuations_;
    const std::string& file_;
    diagnostics& errors_;
    bool truncated_ = false;
    position slug_at_;

    std::map<std::string, position> departments_;
    std::map<std::string, position> audiences_;
    bool departments_listed_ = false;
    // Whether the file lists its audiences and outlets (or plainly has none): when the list's key
    // is misspelt or the list is broken, every reference to it would look wrong, and its own error
    // is enough.
    bool audiences_listed_ = false;
    bool outlets_listed_ = false;
    // Where a department code, audience code or outlet slug was itself invalid ("Police",
    // "police_dept"), the first of each kind: the references meant for it cannot match, so they
    // are told once per code.
    std::optional<position> bad_department_code_;
    std::optional<position> bad_audience_code_;
    std::optional<position> bad_outlet_slug_;
    // Whether the campaign lists its key dates (or plainly has none), and whether one of them has
    // no valid date: flights relative to a key date then do not each repeat that error.
    bool key_dates_listed_ = false;
    bool bad_key_date_ = false;
    std::vector<reference> department_refs_;
    std::vector<reference> audience_refs_;
    std::map<std::string, position> activity_ids_;
    std::map<std::string, position> outlet_slugs_;
    std::map<std::string, position> message_ids_;
    std::map<std::string, position> hotline_numbers_;
    std::vector<reference> outlet_refs_;
    struct outlet_use {
        reference ref;
        std::vector<std::string> channels;  // of the message that names the outlet
    };
    std::vector<outlet_use> outlet_uses_;
    struct daypart_use {
        reference ref;
        std::vector<std::string> channels;  // of the message that names the daypart
        std::vector<std::string> outlets;   // its outlets; empty = every outlet of its channels
    };
    std::vector<daypart_use> daypart_uses_;
};

// The entries of one YAML map in file order, with unknown and duplicate keys reported.
class decoder::map_view {
public:
    map_view(decoder& d, const located& v, std::string_view what,
             std::initializer_list<std::string_view> known)
        : d_(d), at_(v.at), what_(what) {
        if (!v.node.IsMap()) {
            d.error(v.at, "expected a map (" + std::string(what) + "), got " + describe(v.node));
            return;
        }
        ok_ = true;
        std::map<std::string, position, std::less<>> seen;
        for (auto it = v.node.begin(); it != v.node.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const position key_at = d.at(key);
            if (!key.IsScalar()) {
                d.error(key_at, "expected a key name in " + std::string(what) + ", got " + describe(key));
                continue;
            }
            const std::string& name = key.Scalar();
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                if (d.full()) {
                    d.truncated_ = true;
                    continue;
                }
                // {vi: Công an, thành phố}: the comma ended the text, and the rest became a key
                // without a value. Say so rather than only that the key is unknown, unless the key
                // looks like a misspelt one ({vi: X, eng: }): then the spelling is the better hint.
                const bool split_by_comma = !closest(name, known) && value.IsNull() &&
                                            v.node.Style() == YAML::EmitterStyle::Flow;
                unknown_ = true;
                unknown_keys_.push_back(name);
                d.error(key_at, "unknown key " + shown(name) + " in " + std::string(what) +
                                    (split_by_comma ? " (a comma inside {…} ends a value: quote text that has one, "
                                                      "e.g. \"Công an, thành phố\")"
                                                    : hint(name, known)));
                continue;
            }
            if (auto [first, inserted] = seen.emplace(name, key_at); !inserted) {
                d.error(key_at, "duplicate key " + shown(name) + " (first at " +
                                    format_position(first->second) + ")");
                continue;
            }
            const bool empty = value.IsNull() || value.Mark().is_null();
            entries_.push_back(entry{name, key_at, located{value, empty ? key_at : d.at(value)}});
        }
    }

    [[nodiscard]] bool ok() const { return ok_; }
    // Whether a key was not one of the known ones (a misspelt list name, say).
    [[nodiscard]] bool had_unknown_key() const { return unknown_; }
    // Whether an unknown key is a near spelling of `key` ("outlet" for "outlets").
    [[nodiscard]] bool had_misspelt(std::string_view key) const {
        return std::any_of(unknown_keys_.begin(), unknown_keys_.end(), [&](const std::string& k) {
            const std::string_view one[] = {key};
            return closest(k, one).has_value();
        });
    }
    [[nodiscard]] position at() const { return at_; }
    [[nodiscard]] const entry* find(std::string_view key) const {
        for (const auto& e : entries_) {
            if (e.key == key) return &e;
        }
        return nullptr;
    }
    // Missing keys are reported at the map itself: there is no better place to point at.
    void require(std::initializer_list<std::string_view> keys) const {
        if (!ok_) return;
        for (auto key : keys) {
            if (find(key) == nullptr) {
                d_.error(at_, "missing required key '" + std::string(key) + "' in " + std::string(what_));
            }
        }
    }

private:
    decoder& d_;
    position at_;
    std::string what_;
    bool ok_ = false;
    bool unknown_ = false;
    std::vector<std::string> unknown_keys_;
    std::vector<entry> entries_;
};

bool decoder::within(const located& v, const std::string& s, std::string_view key, std::string_view lang,
                     std::size_t max_chars) {
    if (max_chars == 0) return true;
    const std::size_t n = text_length(s);
    if (n <= max_chars) return true;
    error(v.at, "'" + std::string(key) + "' (" + std::string(lang) + ") is " + std::to_string(n) +
                    " characters long; at most " + std::to_string(max_chars) +
                    " are allowed (the web editor's limit)");
    return false;
}

std::optional<localized> decoder::text(const located& v, std::string_view key, std::size_t max_chars) {
    localized out;
    if (v.node.IsScalar()) {
        if (!free_of_controls(v, v.node.Scalar(), key)) return std::nullopt;
        out.vi = v.node.Scalar();
        if (!within(v, out.vi, key, "vi", max_chars)) return std::nullopt;
    } else if (v.node.IsMap()) {
        const map_view m(*this, v, "text '" + std::string(key) + "'", {"vi", "en"});
        m.require({"vi"});
        bool ok = true;
        if (const auto* vi = m.find("vi")) {
            if (auto s = scalar(vi->value, "text", "vi")) {
                out.vi = *s;
                ok = within(vi->value, out.vi, key, "vi", max_chars);
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const auto* en = m.find("en")) {
            if (auto s = scalar(en->value, "text", "en")) {
                out.en = *s;
                ok = within(en->value, out.en, key, "en", max_chars) && ok;
            } else {
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
    } else {
        expected(v, "text or {vi, en}", key);
        return std::nullopt;
    }
    // Spaces alone (also no-break spaces) are no text: a title " " shows as nothing anywhere.
    std::string_view rest = out.vi;
    while (!rest.empty()) {
        if (rest.front() == ' ' || rest.front() == '\t' || rest.front() == '\r' || rest.front() == '\n') {
            rest.remove_prefix(1);
        } else if (rest.starts_with("\xC2\xA0")) {
            rest.remove_prefix(2);
        } else {
            break;
        }
    }
    if (rest.empty()) {
        error(v.at, "'" + std::string(key) + "' needs Vietnamese text (vi is " + (out.vi.empty() ? "empty" : "only spaces") + ")");
        return std::nullopt;
    }
    return out;
}

std::optional<std::string> decoder::code(const located& v, std::string_view key) {
    auto s = scalar(v, "a code", key);
    if (!s) return std::nullopt;
    if (!is_code(*s)) {
        error(v.at, "invalid " + std::string(key) + " " + shown(*s) +
                        ": use lower-case letters a-z, digits and single '-' between them, at most " +
                        std::to_string(max_code_length) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<long long> decoder::integer(const located& v, std::string_view key, long long lo,
                                          long long hi) {
    if (!number_scalar(v, "a whole number", key)) return std::nullopt;
    // "10.0" is a whole number too (JSON Schema's "integer" takes it; spreadsheets write it).
    std::string s = v.node.Scalar();
    if (const auto dot = s.find('.'); dot != std::string::npos && dot > 0 && dot + 1 < s.size() &&
                                      s.find_first_not_of('0', dot + 1) == std::string::npos) {
        s.erase(dot);
    }
    const std::string range = hi == std::numeric_limits<long long>::max()
                                  ? std::to_string(lo) + " or more"
                                  : "from " + std::to_string(lo) + " to " + std::to_string(hi);
    long long value = 0;
    const char* first = s.data();
    const char* last = s.data() + s.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    const bool digits_only =
        !s.empty() && end == last &&
        std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits_only) {
        expected(v, "a whole number", key);
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range || value < lo || value > hi) {
        error(v.at, "'" + std::string(key) + "' must be " + range + ", got " + shown(v.node.Scalar()));
        return std::nullopt;
    }
    return value;
}

std::optional<double> decoder::positive_number(const located& v, std::string_view key) {
    if (!number_scalar(v, "a number", key)) return std::nullopt;
    const std::string& s = v.node.Scalar();
    double value = 0;
    const bool starts_like_number =
        !s.empty() && (s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'));
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (!starts_like_number || end != s.data() + s.size() ||
        (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
        expected(v, "a number", key);
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range || !std::isfinite(value) || value <= 0) {
        error(v.at, "'" + std::string(key) + "' must be a number greater than 0, got " + shown(s));
        return std::nullopt;
    }
    return value;
}

// YAML 1.2's core schema spells booleans true/false (also True, TRUE, …); yes/no/on/off are YAML
// 1.1 and read as text by editors and the JSON Schema, so they are no booleans here either.
std::optional<bool> decoder::boolean(const located& v, std::string_view key) {
    if (!v.node.IsScalar()) {
        expected(v, "true or false", key);
        return std::nullopt;
    }
    if (v.node.Tag() == "!") {
        error(v.at, "expected true or false for '" + std::string(key) + "', got the text " +
                        describe(v.node) + " (write true or false without quotes)");
        return std::nullopt;
    }
    const std::string& s = v.node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    expected(v, "true or false", key);
    return std::nullopt;
}

std::optional<calendar_date> decoder::date_value(const located& v, std::string_view key) {
    auto s = scalar(v, "a date (YYYY-MM-DD)", key);
    if (!s) return std::nullopt;
    calendar_date d;
    switch (parse_date(*s, d)) {
        case parse_status::ok:
            return d;
        case parse_status::no_such_day:
            error(v.at, "bad date " + shown(*s) + " for '" + std::string(key) + "': no such day");
            return std::nullopt;
        case parse_status::malformed:
            break;
    }
    error(v.at, "bad date " + shown(*s) + " for '" + std::string(key) + "': expected YYYY-MM-DD");
    return std::nullopt;
}

std::optional<std::chrono::minutes> decoder::time_value(const located& v, std::string_view key,
                                                        bool allow_24) {
    auto s = scalar(v, "a time of day (\"HH:MM\")", key);
    if (!s) return std::nullopt;
    if (auto t = parse_time(*s, allow_24)) return t;
    error(v.at, "bad time " + shown(*s) + " for '" + std::string(key) +
                    "': expected \"HH:MM\" from 00:00 to " + (allow_24 ? "24:00" : "23:59"));
    return std::nullopt;
}

std::optional<local_time> decoder::date_time_value(const located& v, std::string_view key) {
    auto s = scalar(v, "a date-time (YYYY-MM-DDTHH:MM)", key);
    if (!s) return std::nullopt;
    calendar_date d;
    const std::string_view sv(*s);
    const auto status = sv.size() == 16 && (sv[10] == 'T' || sv[10] == ' ') ? parse_date(sv.substr(0, 10), d)
                                                                            : parse_status::malformed;
    const auto t = status == parse_status::ok ? parse_time(sv.substr(11), false) : std::nullopt;
    if (status == parse_status::no_such_day) {
        error(v.at, "bad date-time " + shown(*s) + " for '" + std::string(key) + "': no such day");
        return std::nullopt;
    }
    if (!t) {
        // The right shape with an hour or minute out of range: say that, not the shape again.
        const auto digit = [&sv](std::size_t i) { return sv[i] >= '0' && sv[i] <= '9'; };
        const bool shaped = status == parse_status::ok && digit(11) && digit(12) && sv[13] == ':' && digit(14) &&
                            digit(15);
        error(v.at, "bad date-time " + shown(*s) + " for '" + std::string(key) +
                        (shaped ? "': no such time of day (00:00 to 23:59)"
                                : "': expected YYYY-MM-DDTHH:MM (e.g. 2024-07-30T19:00)"));
        return std::nullopt;
    }
    return local_time{date::local_days{d}} + *t;
}

bool decoder::on_the_clock(const located& v, local_time t, const std::string& zone_name, std::string_view key) {
    const auto skipped = skipped_by_clocks(t, zone_name.empty() ? nullptr : find_zone(zone_name));
    if (!skipped) return true;
    const skipped_words w = describe_skipped(*skipped, t);
    error(v.at, "'" + std::string(key) + "' " + shown(v.node.Scalar()) + " does not exist in " + zone_name +
                    ": the clocks go forward from " + w.from + " to " + w.to + " there (daylight saving time); give " +
                    (w.time_before ? "a time before " + w.from + " or from " + w.to + " on" : "a time from " + w.to + " on"));
    return false;
}

// "KST", "CEST": two to five capital letters (tzdata's own such names, 'CET', 'EST', are zones and
// never reach here).
bool is_zone_abbreviation(std::string_view s) {
    return s.size() >= 2 && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The place of an abbreviation that names one zone where Vietnamese communities abroad listen
// (an ambiguous one such as 'CST', China or the US, names none). nullopt otherwise.
std::optional<std::string> abbreviation_place(std::string_view s) {
    static constexpr std::pair<std::string_view, std::string_view> places[] = {
        {"KST", "Asia/Seoul"},          {"JST", "Asia/Tokyo"},          {"HKT", "Asia/Hong_Kong"},
        {"SGT", "Asia/Singapore"},      {"PHT", "Asia/Manila"},         {"WIB", "Asia/Jakarta"},
        {"CEST", "Europe/Berlin"},      {"BST", "Europe/London"},       {"MSK", "Europe/Moscow"},
        {"AEST", "Australia/Sydney"},   {"AEDT", "Australia/Sydney"},   {"AWST", "Australia/Perth"},
        {"PST", "America/Los_Angeles"}, {"PDT", "America/Los_Angeles"}, {"EDT", "America/New_York"},
    };
    for (const auto& [abbr, place] : places)
        if (abbr == s) return std::string(place);
    return std::nullopt;
}

// Whether `zone`, the nearest spelling of `typed`, is plausibly the same place mistyped: the same
// region (case aside) and a place name at most one edit away (two from eight letters on). 'Asia/Osaka'
// is two edits from 'Asia/Dhaka', three hours off: no suggestion.
bool same_place_spelled(std::string_view typed, std::string_view zone) {
    const std::string t = lower_ascii(typed);
    const std::string z = lower_ascii(zone);
    const std::size_t ts = t.rfind('/');
    const std::size_t zs = z.rfind('/');
    if ((ts == std::string::npos) != (zs == std::string::npos)) return false;
    if (ts != std::string::npos && t.substr(0, ts) != z.substr(0, zs)) return false;
    const std::string_view tp = ts == std::string::npos ? std::string_view(t) : std::string_view(t).substr(ts + 1);
    const std::string_view zp = zs == std::string::npos ? std::string_view(z) : std::string_view(z).substr(zs + 1);
    const std::size_t limit = tp.size() >= 8 ? 2 : 1;
    return edit_distance(tp, zp, limit) <= limit;
}

// Names of the system tz database, for suggestions; empty when it cannot be read.
const std::vector<std::string>& zone_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        try {
            const auto& db = date::get_tzdb();
            for (const auto& z : db.zones) out.emplace_back(z.name());
        } catch (const std::exception&) {
            out.clear();
        }
        return out;
    }();
    return names;
}

// misleading_zone in words: "'Etc/GMT+7' is UTC-07:00 (…): name the place instead, e.g. …".
std::optional<std::string> misleading_zone_text(const std::string& name) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto why = misleading_zone(name, now);
    if (!why) return std::nullopt;
    if (why->machine_zone) {
        return "'" + name + "' is the server machine's own zone, not a place (expected an IANA name such as "
               "'Asia/Ho_Chi_Minh')";
    }
    std::string out = "'" + name + "' is " + utc_offset_text(why->offset) +
                      " (Etc/GMT names count the other way round): name the place instead";
    std::string examples;
    for (const auto& [zone, offset] : why->places) {
        examples += std::string(examples.empty() ? "" : ", ") + "'" + zone + "' for " + utc_offset_text(offset);
    }
    if (!examples.empty()) out += ", e.g. " + examples;
    return out;
}

std::optional<std::string> decoder::zone(const located& v, std::string_view key) {
    auto s = scalar(v, "a time zone name", key);
    if (!s) return std::nullopt;
    if (const auto why = misleading_zone_text(*s)) {
        error(v.at, "time zone " + *why);
        return std::nullopt;
    }
    if (find_zone(*s) != nullptr) return s;
    if (full()) {
        truncated_ = true;
        return std::nullopt;
    }
    // A suggestion is only ever a zone at the offset the person meant: an offset ("UTC+7") gets the
    // zones whose standard offset it is, a Vietnamese place or Indochina Time gets Vietnam's zone,
    // and only then is a near spelling offered ("Asia/Hanoi" is three letters from 'Asia/Harbin',
    // one hour off).
    std::string message = "unknown time zone " + shown(*s);
    if (const auto offset = offset_in_zone_name(*s)) {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto zones = zones_with_standard_offset(*offset, now);
        const std::string at = utc_offset_text(*offset);
        message += ": a time zone is an IANA name, not an offset";
        if (zones.empty()) {
            message += " (no zone is at " + at + " now)";
        } else {
            message += " (did you mean '" + zones.front() + "'?";
            if (zones.size() > 1) {
                message += " other zones at " + at + ":";
                const std::size_t shown_count = std::min<std::size_t>(zones.size(), 4);
                for (std::size_t i = 1; i < shown_count; ++i) message += (i == 1 ? " '" : ", '") + zones[i] + "'";
                if (zones.size() > shown_count) message += ", …";
            }
            message += ")";
        }
    } else if (const auto vietnam = vietnam_zone_alias(*s)) {
        message += " (did you mean '" + *vietnam + "'?)";
    } else if (is_zone_abbreviation(*s)) {
        // A near abbreviation is another place ('KST' is one letter from 'EST', 14 hours away).
        message += ": an abbreviation is not a time zone";
        if (const auto place = abbreviation_place(*s)) {
            message += " (did you mean '" + *place + "'?)";
        } else {
            message += "; name the place (e.g. 'Asia/Ho_Chi_Minh', 'Europe/Berlin')";
        }
    } else if (auto c = closest(*s, zone_names(), true); c && same_place_spelled(*s, *c)) {
        message += " (did you mean '" + *c + "'?)";
    } else {
        message += " (expected an IANA name such as 'Asia/Ho_Chi_Minh')";
    }
    error(v.at, std::move(message));
    return std::nullopt;
}

std::optional<std::string> decoder::enumeration(const located& v, std::string_view key, std::string_view noun,
                                                std::span<const char* const> names) {
    auto s = scalar(v, "one of " + join(names), key);
    if (!s) return std::nullopt;
    if (std::find(names.begin(), names.end(), std::string_view(*s)) != names.end()) return s;
    error(v.at, "unknown " + std::string(noun) + " " + shown(*s) + hint(*s, names));
    return std::nullopt;
}

std::vector<std::string> decoder::code_list(const located& v, std::string_view key,
                                            std::vector<reference>& refs) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    each(v, key, [&](const located& item) {
        auto s = reference_code(item, key);
        if (!s) return;
        if (!seen.insert(*s).second) {
            error(item.at, shown(*s) + " is listed twice in '" + std::string(key) + "'");
            return;
        }
        refs.push_back(reference{*s, item.at});
        out.push_back(std::move(*s));
    });
    return out;
}

std::optional<std::pair<calendar_date, calendar_date>> decoder::date_span(const entry& e) {
    const map_view m(*this, e.value, "'" + e.key + "'", {"start", "end"});
    return span_of(m, e.key);
}

// The `start` and `end` dates of `m` (the map of `what`), end not before start.
std::optional<std::pair<calendar_date, calendar_date>> decoder::span_of(const map_view& m,
                                                                        const std::string& what) {
    m.require({"start", "end"});
    const auto* s = m.find("start");
    const auto* f = m.find("end");
    auto start = s != nullptr ? date_value(s->value, "start") : std::nullopt;
    auto end = f != nullptr ? date_value(f->value, "end") : std::nullopt;
    if (!start || !end) return std::nullopt;
    if (*end < *start) {
        error(f->value.at, "'end' (" + format_date(*end) + ") is before 'start' (" + format_date(*start) +
                               ") in '" + what + "'");
        return std::nullopt;
    }
    return std::pair{*start, *end};
}

void decoder::check_references(const std::vector<reference>& refs,
                               const std::map<std::string, position>& declared, std::string_view noun,
                               std::string_view where_declared, std::optional<position> invalid_declaration) {
    std::vector<std::string_view> codes;
    codes.reserve(declared.size());
    for (const auto& [code, at] : declared) codes.push_back(code);
    // With an invalid declaration of this kind, the references with no near declared code were
    // most likely meant for it: they are told once per code, at the first, with how many there
    // are (one typo is not a page of errors). A near code still gets its "did you mean".
    std::map<std::string_view, std::size_t> uses;
    if (invalid_declaration) {
        for (const auto& r : refs)
            if (!declared.contains(r.code)) ++uses[r.code];
    }
    std::set<std::string_view> told;
    for (const auto& r : refs) {
        if (declared.contains(r.code)) continue;
        const auto near = closest(r.code, codes);
        if (invalid_declaration && !near && !told.insert(r.code).second) continue;
        if (full()) {
            truncated_ = true;
            return;
        }
        std::string message = "unknown " + std::string(noun) + " " + shown(r.code);
        if (near) {
            message += " (did you mean '" + *near + "'?)";
        } else if (invalid_declaration) {
            const std::size_t more = uses[r.code] - 1;
            if (more > 0) message += " (here and in " + std::to_string(more) + " more place" + (more == 1 ? "" : "s") + ")";
            message += ": the " + std::string(noun) + " code at " + format_position(*invalid_declaration) + " under " +
                       std::string(where_declared) + " is not valid; fix it to match";
        } else {
            message += " (declare it under " + std::string(where_declared) + ")";
        }
        error(r.at, std::move(message));
    }
}

campaign decoder::decode_document(const YAML::Node& root) {
    campaign c;
    const map_view top(*this, located{root, at(root)}, "the campaign file",
                       {"campaign", "departments", "activities", "outlets", "messages"});
    top.require({"campaign", "departments"});
    if (!top.ok()) return c;
    // Departments and audiences first: everything else refers to them, wherever they are in the file.
    if (const auto* e = top.find("campaign")) decode_campaign(*e, c);
    if (const auto* e = top.find("departments")) {
        departments_listed_ = e->value.node.IsSequence();
        each(e->value, "departments", [&](const located& item) { decode_department(item, c); });
    }
    if (const auto* e = top.find("activities")) {
        each(e->value, "activities", [&](const located& item) { decode_activity(item, c); });
    }
    if (const auto* e = top.find("outlets")) {
        outlets_listed_ = e->value.node.IsSequence();
        each(e->value, "outlets", [&](const located& item) { decode_outlet(item, c); });
    } else {
        outlets_listed_ = !top.had_unknown_key();
    }
    if (const auto* e = top.find("messages")) {
        each(e->value, "messages", [&](const located& item) { decode_message(item, c); });
    }
    // A broken department list would make every reference look wrong; its own error is enough.
    if (departments_listed_)
        check_references(department_refs_, departments_, "department", "'departments'", bad_department_code_);
    if (audiences_listed_)
        check_references(audience_refs_, audiences_, "audience", "'campaign.audiences'", bad_audience_code_);
    if (outlets_listed_) check_references(outlet_refs_, outlet_slugs_, "outlet", "'outlets'", bad_outlet_slug_);
    check_outlet_channels(c);
    check_message_dayparts(c);
    return c;
}

void decoder::decode_campaign(const entry& e, campaign& c) {
    const map_view m(*this, e.value, "'campaign'",
                     {"slug", "title", "theme", "description", "period", "time_zone", "key_dates",
                      "audiences", "hotlines", "planning"});
    m.require({"slug", "title", "theme", "period", "time_zone"});
    if (const auto* f = m.find("slug")) {
        slug_at_ = f->value.at;
        if (auto s = code(f->value, "slug")) c.slug = *s;
    }
    if (const auto* f = m.find("title")) {
        if (auto t = text(f->value, "title")) c.title = *t;
    }
    if (const auto* f = m.find("theme")) {
        if (auto t = text(f->value, "theme")) c.theme = *t;
    }
    if (const auto* f = m.find("description")) {
        if (auto t = text(f->value, "description")) c.description = *t;
    }
    if (const auto* f = m.find("period")) {
        if (auto p = date_span(*f)) std::tie(c.period_start, c.period_end) = *p;
    }
    if (const auto* f = m.find("time_zone")) {
        if (auto z = zone(f->value, "time_zone")) c.time_zone = *z;
    }
    key_dates_listed_ = m.find("key_dates") != nullptr ? m.find("key_dates")->value.node.IsSequence()
                                                       : !m.had_unknown_key();
    if (const auto* f = m.find("key_dates")) {
        std::map<std::string, position> seen;
        each(f->value, "key_dates", [&](const located& item) {
            const map_view k(*this, item, "key date", {"date", "name", "weight"});
            k.require({"date", "name"});
            key_date kd;
            bool dated = false;
            if (const auto* g = k.find("date")) {
                if (auto d = date_value(g->value, "date")) {
                    kd.date = *d;
                    dated = true;
                    unique(seen, format_date(*d), g->value.at, "key date");
                }
            }
            if (!dated) bad_key_date_ = true;
            if (const auto* g = k.find("name")) {
                if (auto t = text(g->value, "name")) kd.name = *t;
            }
            if (const auto* g = k.find("weight")) {
                if (auto w = positive_number(g->value, "weight")) kd.weight = *w;
            }
            if (k.ok() && dated) c.key_dates.push_back(std::move(kd));
        });
    }
    audiences_listed_ = m.find("audiences") != nullptr ? m.find("audiences")->value.node.IsSequence()
                                                       : !m.had_unknown_key();
    if (const auto* f = m.find("audiences")) {
        each(f->value, "audiences", [&](const located& item) {
            const map_view a(*this, item, "audience", {"code", "name"});
            a.require({"code", "name"});
            audience out;
            if (const auto* g = a.find("code")) {
                if (auto s = code(g->value, "code")) {
                    out.code = *s;
                    unique(audiences_, *s, g->value.at, "audience code");
                } else if (!bad_audience_code_) {
                    bad_audience_code_ = g->value.at;
                }
            }
            if (const auto* g = a.find("name")) {
                if (auto t = text(g->value, "name")) out.name = *t;
            }
            if (a.ok()) c.audiences.push_back(std::move(out));
        });
    }
    if (const auto* f = m.find("hotlines")) {
        each(f->value, "hotlines", [&](const located& item) {
            const map_view h(*this, item, "hotline", {"number", "name", "hours"});
            h.require({"number", "name"});
            hotline out;
            if (const auto* g = h.find("number")) {
                if (auto s = scalar(g->value, "a phone number", "number")) {
                    if (s->empty()) {
                        error(g->value.at, "'number' must not be empty");
                    } else {
                        unique(hotline_numbers_, *s, g->value.at, "hotline number");
                    }
                    out.number = *s;
                }
            }
            if (const auto* g = h.find("name")) {
                if (auto t = text(g->value, "name")) out.name = *t;
            }
            if (const auto* g = h.find("hours")) {
                if (auto s = scalar(g->value, "text", "hours")) out.hours = *s;
            }
            if (h.ok()) c.hotlines.push_back(std::move(out));
        });
    }
    if (const auto* f = m.find("planning")) {
        const map_view p(*this, f->value, "'planning'", {"separate_departments"});
        if (const auto* g = p.find("separate_departments")) {
            if (auto b = boolean(g->value, "separate_departments")) c.planning.separate_departments = *b;
        }
    }
}

void decoder::decode_department(const located& v, campaign& c) {
    const map_view m(*this, v, "department", {"code", "name", "duties"});
    m.require({"code", "name"});
    if (!m.ok()) return;
    department d;
    if (const auto* f = m.find("code")) {
        if (auto s = code(f->value, "code")) {
            d.code = *s;
            unique(departments_, *s, f->value.at, "department code");
        } else if (!bad_department_code_) {
            bad_department_code_ = f->value.at;
        }
    }
    if (const auto* f = m.find("name")) {
        if (auto t = text(f->value, "name")) d.name = *t;
    }
    if (const auto* f = m.find("duties")) {
        each(f->value, "duties", [&](const located& item) {
            if (auto t = text(item, "duties")) d.duties.push_back(std::move(*t));
        });
    }
    c.departments.push_back(std::move(d));
}

void decoder::decode_activity(const located& v, campaign& c) {
    const map_view m(*this, v, "activity",
                     {"id", "department", "kind", "title", "description", "start", "end", "all_day", "rrule",
                      "time_zone", "location", "audiences", "visibility"});
    m.require({"id", "department", "kind", "title"});
    if (!m.ok()) return;
    activity a;
    if (const auto* f = m.find("id")) {
        if (auto s = code(f->value, "id")) {
            a.id = *s;
            unique(activity_ids_, *s, f->value.at, "activity id");
        }
    }
    if (const auto* f = m.find("department")) {
        if (auto s = reference_code(f->value, "department")) {
            a.department = *s;
            department_refs_.push_back(reference{*s, f->value.at});
        }
    }
    if (const auto* f = m.find("kind")) {
        if (auto s = enumeration(f->value, "kind", "activity kind", activity_kinds)) a.kind = *s;
    }
    if (const auto* f = m.find("title")) {
        if (auto t = text(f->value, "title", max_short_text_chars)) a.title = *t;
    }
    if (const auto* f = m.find("description")) {
        if (auto t = text(f->value, "description", max_long_text_chars)) a.description = *t;
    }
    const auto* all_day = m.find("all_day");
    const auto* start = m.find("start");
    const auto* end = m.find("end");
    bool start_known = false;  // the rule is checked against the start when there is one
    bool start_read = false, end_read = false;  // date-times (not all_day) read from start and end
    if (all_day != nullptr && (start != nullptr || end != nullptr)) {
        error(all_day->key_at, "an activity has either 'all_day' or 'start'/'end', not both");
    } else if (all_day != nullptr) {
        a.all_day = true;
        if (auto span = date_span(*all_day)) {
            a.start = local_time{date::local_days{span->first}};
            a.end = local_time{date::local_days{span->second} + date::days{1}};
            start_known = true;
        }
    } else {
        if (start == nullptr) error(m.at(), "missing required key 'start' (or 'all_day') in activity");
        if (end == nullptr) error(m.at(), "missing required key 'end' (or 'all_day') in activity");
        auto s = start != nullptr ? date_time_value(start->value, "start") : std::nullopt;
        auto e = end != nullptr ? date_time_value(end->value, "end") : std::nullopt;
        if (s) a.start = *s;
        if (e) a.end = *e;
        start_known = s.has_value();
        start_read = s.has_value();
        end_read = e.has_value();
        if (s && e && *e <= *s) {
            error(end->value.at, "'end' must be after 'start' (" + start->value.node.Scalar() + ")");
        }
    }
    if (const auto* f = m.find("rrule")) {
        if (auto s = scalar(f->value, "an RRULE such as 'FREQ=MONTHLY;BYDAY=1TH;COUNT=6'", "rrule")) {
            // Checked against the start too: libical fills missing parts from DTSTART, so a rule
            // such as FREQ=YEARLY;BYMONTH=2 from 30 January never produces a date.
            if (auto why = start_known ? check_rrule(*s, a.start) : check_rrule(*s)) {
                error(f->value.at, "invalid rrule " + shown(*s) + ": " + *why);
            } else {
                a.rrule = *s;
            }
        }
    }
    bool zone_ok = true;
    if (const auto* f = m.find("time_zone")) {
        if (auto z = zone(f->value, "time_zone")) {
            a.time_zone = *z;
        } else {
            zone_ok = false;
        }
    }
    // A start or end the activity's clocks skip (its zone, else the campaign's) names no instant.
    if (zone_ok) {
        const std::string& clock = zone_of(a, c);
        if (start_read) on_the_clock(start->value, a.start, clock, "start");
        if (end_read) on_the_clock(end->value, a.end, clock, "end");
    }
    if (const auto* f = m.find("location")) {
        if (auto t = text(f->value, "location", max_short_text_chars)) a.location = *t;
    }
    if (const auto* f = m.find("audiences")) a.audiences = code_list(f->value, "audiences", audience_refs_);
    if (const auto* f = m.find("visibility")) {
        static constexpr std::array<const char*, 2> visibilities = {"public", "internal"};
        if (auto s = enumeration(f->value, "visibility", "visibility", visibilities)) {
            a.vis = *s == "internal" ? visibility::internal : visibility::public_;
        }
    }
    c.activities.push_back(std::move(a));
}

// Day names and the groups the format allows, as bits (bit 0 = Monday).
std::optional<std::uint8_t> weekday_bits(std::string_view token) {
    for (std::size_t i = 0; i < std::size(weekday_names); ++i) {
        if (token == weekday_names[i]) return static_cast<std::uint8_t>(1U << i);
    }
    if (token == "daily") return std::uint8_t{0x7f};
    if (token == "weekdays") return std::uint8_t{0x1f};
    if (token == "weekends") return std::uint8_t{0x60};
    return std::nullopt;
}

constexpr std::array<const char*, 10> day_tokens = {"mon", "tue", "wed",   "thu",      "fri",
                                                    "sat", "sun", "daily", "weekdays", "weekends"};

std::optional<daypart> decoder::decode_daypart(const located& v, std::map<std::string, position>& codes) {
    const map_view m(*this, v, "daypart", {"code", "name", "days", "start", "end", "weight"});
    m.require({"code", "name", "start", "end"});
    if (!m.ok()) return std::nullopt;
    daypart p;
    if (const auto* f = m.find("code")) {
        if (auto s = code(f->value, "code")) {
            p.code = *s;
            unique(codes, *s, f->value.at, "daypart code");
        }
    }
    if (const auto* f = m.find("name")) {
        if (auto t = text(f->value, "name")) p.name = *t;
    }
    if (const auto* f = m.find("days")) {
        const auto add = [&](const located& item) -> std::uint8_t {
            auto s = scalar(item, "a weekday", "days");
            if (!s) return 0;
            if (auto bits = weekday_bits(*s)) return *bits;
            error(item.at, "unknown weekday " + shown(*s) + hint(*s, day_tokens));
            return 0;
        };
        if (f->value.node.IsSequence()) {
            std::uint8_t bits = 0;
            if (f->value.node.size() == 0) error(f->value.at, "'days' needs at least one day");
            each(f->value, "days", [&](const located& item) { bits |= add(item); });
            p.weekdays = bits;
        } else if (f->value.node.IsScalar()) {
            p.weekdays = add(f->value);
        } else {
            expected(f->value, "a list of weekdays, 'daily', 'weekdays' or 'weekends'", "days");
        }
    }
    if (const auto* f = m.find("start")) {
        if (auto t = time_value(f->value, "start", false)) p.start = *t;
    }
    if (const auto* f = m.find("end")) {
        if (auto t = time_value(f->value, "end", true)) p.end = *t;
    }
    if (const auto* f = m.find("weight")) {
        if (auto w = positive_number(f->value, "weight")) p.weight = *w;
    }
    return p;
}

std::optional<break_rule> decoder::decode_break(const located& v, std::vector<reference>& refs) {
    const map_view m(*this, v, "break", {"minute", "at", "seconds", "dayparts"});
    m.require({"seconds"});
    if (!m.ok()) return std::nullopt;
    break_rule b;
    const auto* minute = m.find("minute");
    const auto* at_time = m.find("at");
    if (minute != nullptr && at_time != nullptr) {
        const entry* second =
            minute->key_at.line > at_time->key_at.line || (minute->key_at.line == at_time->key_at.line &&
                                                           minute->key_at.column > at_time->key_at.column)
                ? minute
                : at_time;
        error(second->key_at, "a break has either 'minute' (hourly) or 'at' (daily), not both");
    } else if (minute != nullptr) {
        if (auto n = integer(minute->value, "minute", 0, 59)) b.minute = static_cast<int>(*n);
    } else if (at_time != nullptr) {
        if (auto t = time_value(at_time->value, "at", false)) b.at = *t;
    } else {
        error(m.at(), "missing 'minute' (every hour at M past) or 'at' (once a day) in break");
    }
    if (const auto* f = m.find("seconds")) {
        if (auto n = integer(f->value, "seconds", 1, seconds_per_day)) b.seconds = static_cast<int>(*n);
    }
    if (const auto* f = m.find("dayparts")) b.dayparts = code_list(f->value, "dayparts", refs);
    return b;
}

std::optional<blackout> decoder::decode_blackout(const located& v, const std::string& zone_name) {
    const map_view m(*this, v, "blackout", {"start", "end", "reason"});
    m.require({"start", "end"});
    if (!m.ok()) return std::nullopt;
    const auto* start = m.find("start");
    const auto* end = m.find("end");
    auto s = start != nullptr ? date_time_value(start->value, "start") : std::nullopt;
    auto e = end != nullptr ? date_time_value(end->value, "end") : std::nullopt;
    blackout b;
    const bool start_exists = !s || on_the_clock(start->value, *s, zone_name, "start");
    const bool end_exists = !e || on_the_clock(end->value, *e, zone_name, "end");
    bool ok = s && e && start_exists && end_exists;
    if (ok && *e <= *s) {
        error(end->value.at, "'end' must be after 'start' (" + start->value.node.Scalar() + ") in blackout");
        ok = false;
    }
    if (const auto* f = m.find("reason")) {
        if (auto t = text(f->value, "reason")) {
            b.reason = *t;
        } else {
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    b.start = *s;
    b.end = *e;
    return b;
}

void decoder::decode_outlet(const located& v, campaign& c) {
    const map_view m(*this, v, "outlet",
                     {"slug", "name", "kind", "department", "time_zone", "languages", "lead_time_hours",
                      "freeze_hours", "dayparts", "break_clock", "blackouts"});
    m.require({"slug", "name", "kind", "time_zone"});
    if (!m.ok()) return;
    outlet o;
    if (const auto* f = m.find("slug")) {
        if (auto s = code(f->value, "slug")) {
            o.slug = *s;
            unique(outlet_slugs_, *s, f->value.at, "outlet slug");
        } else if (!bad_outlet_slug_) {
            bad_outlet_slug_ = f->value.at;
        }
    }
    if (const auto* f = m.find("name")) {
        if (auto t = text(f->value, "name")) o.name = *t;
    }
    if (const auto* f = m.find("kind")) {
        if (auto s = enumeration(f->value, "kind", "outlet kind", outlet_kinds)) o.kind = *s;
    }
    if (const auto* f = m.find("department")) {
        if (auto s = reference_code(f->value, "department")) {
            o.department = *s;
            department_refs_.push_back(reference{*s, f->value.at});
        }
    }
    if (const auto* f = m.find("time_zone")) {
        if (auto z = zone(f->value, "time_zone")) o.time_zone = *z;
    }
    o.languages = {"vi"};
    if (const auto* f = m.find("languages")) {
        static constexpr std::array<const char*, 2> languages = {"vi", "en"};
        std::vector<std::string> out;
        if (f->value.node.IsSequence() && f->value.node.size() == 0) {
            error(f->value.at, "'languages' needs at least one language");
        }
        each(f->value, "languages", [&](const located& item) {
            auto s = enumeration(item, "languages", "language", languages);
            if (!s) return;
            if (std::find(out.begin(), out.end(), *s) != out.end()) {
                error(item.at, shown(*s) + " is listed twice in 'languages'");
                return;
            }
            out.push_back(std::move(*s));
        });
        if (!out.empty()) o.languages = std::move(out);
    }
    if (const auto* f = m.find("lead_time_hours")) {
        if (auto n = integer(f->value, "lead_time_hours", 0, hours_per_leap_year))
            o.lead_time_hours = static_cast<int>(*n);
    }
    if (const auto* f = m.find("freeze_hours")) {
        if (auto n = integer(f->value, "freeze_hours", 0, hours_per_leap_year))
            o.freeze_hours = static_cast<int>(*n);
    }
    std::map<std::string, position> daypart_codes;
    if (const auto* f = m.find("dayparts")) {
        each(f->value, "dayparts", [&](const located& item) {
            if (auto p = decode_daypart(item, daypart_codes)) o.dayparts.push_back(std::move(*p));
        });
    }
    std::vector<reference> daypart_refs;
    if (const auto* f = m.find("break_clock")) {
        each(f->value, "break_clock", [&](const located& item) {
            if (auto b = decode_break(item, daypart_refs)) o.break_clock.push_back(std::move(*b));
        });
    }
    check_references(daypart_refs, daypart_codes, "daypart", "this outlet's 'dayparts'", std::nullopt);
    if (const auto* f = m.find("blackouts")) {
        each(f->value, "blackouts", [&](const located& item) {
            if (auto b = decode_blackout(item, o.time_zone)) o.blackouts.push_back(std::move(*b));
        });
    }
    c.outlets.push_back(std::move(o));
}

void decoder::check_outlet_channels(const campaign& c) {
    for (const auto& use : outlet_uses_) {
        auto o = std::find_if(c.outlets.begin(), c.outlets.end(),
                              [&](const outlet& x) { return x.slug == use.ref.code; });
        if (o == c.outlets.end()) continue;  // unknown outlets are reported by check_references
        if (std::find(use.channels.begin(), use.channels.end(), o->kind) == use.channels.end()) {
            error(use.ref.at, "outlet " + shown(o->slug) + " is a " + o->kind +
                                  " outlet, which is not among this message's 'channels'");
        }
    }
}

void decoder::check_message_dayparts(const campaign& c) {
    for (const auto& use : daypart_uses_) {
        // The outlets the message can run on: its own list, else every outlet of its channels.
        std::vector<std::string> codes;  // in file order, for stable suggestions
        bool any_outlet = false;
        for (const auto& o : c.outlets) {
            const bool eligible =
                use.outlets.empty()
                    ? std::find(use.channels.begin(), use.channels.end(), o.kind) != use.channels.end()
                    : std::find(use.outlets.begin(), use.outlets.end(), o.slug) != use.outlets.end();
            if (!eligible) continue;
            any_outlet = true;
            for (const auto& d : o.dayparts) {
                if (std::find(codes.begin(), codes.end(), d.code) == codes.end()) codes.push_back(d.code);
            }
        }
        if (std::find(codes.begin(), codes.end(), use.ref.code) != codes.end()) continue;
        if (full()) {
            truncated_ = true;
            return;
        }
        std::string message =
            "daypart " + shown(use.ref.code) + " is not a daypart of any outlet this message can run on";
        if (!any_outlet) {
            message += use.outlets.empty() ? " (no outlet is of one of its 'channels')"
                                           : " (none of its 'outlets' is declared)";
        } else if (codes.empty()) {
            message += " (none of those outlets has dayparts)";
        } else {
            message += hint(use.ref.code, codes);
        }
        error(use.ref.at, std::move(message));
    }
}

// `flight` is either {start, end} or {key_date, days_before, days_after}: a span around one of
// the campaign's key dates, resolved here into flight_start/flight_end (and kept as written).
void decoder::decode_flight(const entry& e, const campaign& c, message& msg) {
    const map_view m(*this, e.value, "'flight'", {"start", "end", "key_date", "days_before", "days_after"});
    if (!m.ok()) return;
    const auto* key = m.find("key_date");
    const auto* before = m.find("days_before");
    const auto* after = m.find("days_after");
    if (key == nullptr) {
        for (const auto* relative : {before, after}) {
            if (relative != nullptr) {
                error(relative->key_at,
                      "'" + relative->key + "' counts from 'key_date', which this flight does not have");
            }
        }
        if (auto span = span_of(m, "flight")) std::tie(msg.flight_start, msg.flight_end) = *span;
        return;
    }
    for (const auto* absolute : {m.find("start"), m.find("end")}) {
        if (absolute != nullptr) {
            error(absolute->key_at,
                  "a flight has either 'start'/'end' or 'key_date' with 'days_before'/"
                  "'days_after', not both");
        }
    }
    relative_flight rel;
    bool ok = true;
    if (auto d = date_value(key->value, "key_date")) {
        rel.key = *d;
        const bool known = std::any_of(c.key_dates.begin(), c.key_dates.end(),
                                       [&](const key_date& k) { return k.date == *d; });
        if (!known && (!key_dates_listed_ || bad_key_date_)) {
            // The misspelt or broken 'key_dates' (or 'campaign'), or the key date without a valid
            // date, has its own error; the flights around it would only repeat it.
            ok = false;
        } else if (!known) {
            std::vector<std::string> dates;
            dates.reserve(c.key_dates.size());
            for (const auto& k : c.key_dates) dates.push_back(format_date(k.date));
            // Every date is a few keystrokes from every other: suggest one only for a single typo
            // (2024-07-03 for 2024-07-30), else list them.
            const std::string wrote = format_date(*d);
            const auto typo = std::find_if(dates.begin(), dates.end(), [&](const std::string& k) {
                return edit_distance(wrote, k, 1) <= 1;
            });
            std::string message = "'key_date' " + wrote + " is not one of the campaign's key dates";
            if (dates.empty()) {
                message += " (declare it under 'campaign.key_dates')";
            } else if (typo != dates.end()) {
                message += " (did you mean '" + *typo + "'?)";
            } else if (dates.size() <= 20) {
                message += " (expected one of: " + join(dates) + ")";
            }
            error(key->value.at, std::move(message));
            ok = false;
        }
    } else {
        ok = false;
    }
    if (before != nullptr) {
        if (auto n = integer(before->value, "days_before", 0, max_flight_days)) {
            rel.days_before = static_cast<int>(*n);
        } else {
            ok = false;
        }
    }
    if (after != nullptr) {
        if (auto n = integer(after->value, "days_after", 0, max_flight_days)) {
            rel.days_after = static_cast<int>(*n);
        } else {
            ok = false;
        }
    }
    if (!ok) return;
    const date::sys_days day{rel.key};
    msg.flight_start = calendar_date{day - date::days{rel.days_before}};
    msg.flight_end = calendar_date{day + date::days{rel.days_after}};
    msg.flight_relative = rel;
}

void decoder::decode_message(const located& v, campaign& c) {
    const map_view m(*this, v, "message",
                     {"id", "department", "title", "text", "channels", "duration_s", "priority", "flight",
                      "airings", "airings_per_day", "airings_per_week", "max_per_outlet_per_day",
                      "min_gap_minutes", "dayparts", "audiences", "outlets", "state"});
    m.require({"id", "department", "text", "channels", "flight"});
    if (!m.ok()) return;
    message msg;
    msg.priority = 5;
    if (const auto* f = m.find("id")) {
        if (auto s = code(f->value, "id")) {
            msg.id = *s;
            unique(message_ids_, *s, f->value.at, "message id");
        }
    }
    if (const auto* f = m.find("department")) {
        if (auto s = reference_code(f->value, "department")) {
            msg.department = *s;
            department_refs_.push_back(reference{*s, f->value.at});
        }
    }
    if (const auto* f = m.find("title")) {
        if (auto t = text(f->value, "title", max_short_text_chars)) msg.title = *t;
    }
    if (const auto* f = m.find("text")) {
        if (auto t = text(f->value, "text", max_long_text_chars)) msg.text = *t;
    }
    // Whether the outlets the message can run on are known: not when its channels or outlets could
    // not be read or a key is misspelt ("outlet:"). Its dayparts are then not checked against
    // them; that error is enough.
    std::size_t target_errors = errors_.size();
    if (const auto* f = m.find("channels")) {
        if (f->value.node.IsSequence() && f->value.node.size() == 0) {
            error(f->value.at, "'channels' needs at least one channel");
        }
        each(f->value, "channels", [&](const located& item) {
            auto s = enumeration(item, "channels", "channel", channel_names);
            if (!s) return;
            if (std::find(msg.channels.begin(), msg.channels.end(), *s) != msg.channels.end()) {
                error(item.at, shown(*s) + " is listed twice in 'channels'");
                return;
            }
            msg.channels.push_back(std::move(*s));
        });
    }
    target_errors = errors_.size() - target_errors;
    if (const auto* f = m.find("duration_s")) {
        if (auto n = integer(f->value, "duration_s", 0, seconds_per_day))
            msg.duration_s = static_cast<int>(*n);
    }
    if (const auto* f = m.find("priority")) {
        if (auto n = integer(f->value, "priority", 1, 10)) msg.priority = static_cast<int>(*n);
    }
    if (const auto* f = m.find("flight")) decode_flight(*f, c, msg);
    if (const auto* f = m.find("airings")) {
        if (auto n = integer(f->value, "airings", 0, max_airings)) msg.airings = static_cast<int>(*n);
    }
    const std::pair<const char*, int message::*> limits[] = {
        {"airings_per_day", &message::airings_per_day},
        {"airings_per_week", &message::airings_per_week},
        {"max_per_outlet_per_day", &message::max_per_outlet_per_day},
    };
    for (const auto& [name, field] : limits) {
        if (const auto* f = m.find(name)) {
            if (auto n = integer(f->value, name, 0, max_airings)) msg.*field = static_cast<int>(*n);
        }
    }
    if (const auto* f = m.find("min_gap_minutes")) {
        if (auto n = integer(f->value, "min_gap_minutes", 0, minutes_per_leap_year))
            msg.min_gap_minutes = static_cast<int>(*n);
    }
    if (const auto* f = m.find("audiences")) msg.audiences = code_list(f->value, "audiences", audience_refs_);
    if (const auto* f = m.find("outlets")) {
        const std::size_t before = errors_.size();
        // An empty list would silently mean the opposite of what it looks like: every outlet.
        if (f->value.node.IsSequence() && f->value.node.size() == 0)
            error(f->value.at, "'outlets' lists no outlet: leave it out to run on every outlet of the message's channels");
        const std::size_t first = outlet_refs_.size();
        msg.outlets = code_list(f->value, "outlets", outlet_refs_);
        for (std::size_t i = first; i < outlet_refs_.size(); ++i) {
            outlet_uses_.push_back({outlet_refs_[i], msg.channels});
        }
        target_errors += errors_.size() - before;
    }
    // After channels and outlets: which outlets the message can run on decides its dayparts.
    if (const auto* f = m.find("dayparts")) {
        if (f->value.node.IsSequence() && f->value.node.size() == 0)
            error(f->value.at, "'dayparts' lists no daypart: leave it out to allow every daypart");
        std::vector<reference> refs;
        msg.dayparts = code_list(f->value, "dayparts", refs);
        if (target_errors == 0 && !m.had_misspelt("outlets") && !m.had_misspelt("channels")) {
            for (auto& r : refs) daypart_uses_.push_back({std::move(r), msg.channels, msg.outlets});
        }
    }
    if (const auto* f = m.find("state")) {
        if (auto s = enumeration(f->value, "state", "state", message_states)) msg.state = *s;
    }
    c.messages.push_back(std::move(msg));
}

// ---------------------------------------------------------------------------------------------
// Before yaml-cpp sees the bytes: they must be UTF-8 without control characters. This also keeps
// yaml-cpp from guessing UTF-16/32 from the first bytes of junk.
void check_encoding(std::string_view text, const std::string& file, diagnostics& errors) {
    // UTF-16 (what Notepad calls "Unicode"): its byte-order mark, or ASCII with a zero byte beside
    // each letter. One error says it, not one per byte.
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF") ||
        (text.size() >= 2 && (text[0] == '\0') != (text[1] == '\0'))) {
        errors.push_back(diagnostic{file, 1, 1,
                                    "the file is UTF-16 (\"Unicode\" in Notepad's Save as): campaign files must be "
                                    "saved as UTF-8"});
        return;
    }
    int line = 1;
    int column = 1;
    std::size_t found = 0;
    bool lone_cr = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t n = utf8_sequence_length(text, i);
        std::string problem;
        if (c == '\r' && !lone_cr && (i + 1 >= text.size() || text[i + 1] != '\n')) {
            // Said once: a file saved with old Mac line endings has one on every line.
            lone_cr = true;
            problem = "this line ends with a carriage return (CR) alone: save the file with LF or CRLF line endings";
        } else if (n == 0) {
            problem = "invalid UTF-8 (byte " + hex_byte(c) + "); campaign files must be saved as UTF-8";
        } else if (forbidden_control(c)) {
            problem = "control character " + hex_byte(c) + " is not allowed";
        }
        if (!problem.empty()) {
            if (++found <= max_encoding_errors)
                errors.push_back(diagnostic{file, line, column, std::move(problem)});
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += std::max<std::size_t>(n, 1);
    }
    if (found > max_encoding_errors) {
        errors.push_back(diagnostic{
            file, 0, 0,
            std::to_string(found - max_encoding_errors) + " more invalid bytes; is this a UTF-8 text file?"});
    }
}

struct loaded {
    load_result result;
    position slug_at;
};

// yaml-cpp's message for a too-deep document is just "bad file".
std::string syntax_message(const YAML::ParserException& e, std::string_view text, int line) {
    if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) {
        return "syntax error: the document is nested too deeply";
    }
    std::string message = "syntax error: " + e.msg;
    // yaml-cpp's words for the two most common slips in hand-written YAML.
    if (e.msg == "illegal map value") {
        message += " (text that holds ': ' must be quoted, e.g. \"Spot: 30 giây\"; and a key needs a space after "
                   "its ':', e.g. 'duration_s: 30')";
    }
    // Tabs are the most common cause of puzzling YAML errors: say so when the line has one.
    std::size_t start = 0;
    for (int l = 0; l < line && start != std::string_view::npos; ++l) {
        start = text.find('\n', start);
        if (start != std::string_view::npos) ++start;
    }
    if (start != std::string_view::npos) {
        const std::string_view rest = text.substr(start);
        const std::string_view this_line = rest.substr(0, rest.find('\n'));
        const std::string_view indent = this_line.substr(0, this_line.find_first_not_of(" \t"));
        if (indent.find('\t') != std::string_view::npos) message += " (tabs cannot indent YAML: use spaces)";
    }
    return message;
}

// The offset of the quote that closes the quoted scalar opened at text[open] ('"' or '\''), nullopt
// when none does: a double-quoted one skips its escapes, a single-quoted one its doubled quotes.
std::optional<std::size_t> closing_quote(std::string_view text, std::size_t open) {
    const char quote = text[open];
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i;  // an escape: the next character is part of the text
        } else if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                ++i;  // '' is a quote inside single-quoted text
                continue;
            }
            return i;
        }
    }
    return std::nullopt;
}

// Where a syntax error at byte `error_at` most likely began: a quoted scalar opened before it that
// runs on over line breaks to the error's line or past it (a closing quote left out mid-file: yaml-cpp
// reads on to the next quote and reports a puzzling error lines later). A light scan, not YAML:
// comments and block scalars (| and >) are skipped, and a quote opens text only where a value may
// start (after ': ', '- ', '[', '{', ',' or first on its line). nullopt when there is none. Pure.
std::optional<std::size_t> quote_run_on(std::string_view text, std::size_t error_at) {
    error_at = std::min(error_at, text.size());
    const std::size_t before = error_at == 0 ? std::string_view::npos : text.rfind('\n', error_at - 1);
    const std::size_t error_line_start = before == std::string_view::npos ? 0 : before + 1;
    const auto end_of_line = [&](std::size_t at) { return std::min(text.find('\n', at), text.size()); };
    std::optional<std::size_t> found;
    std::size_t block_indent = std::string_view::npos;  // inside a block scalar: lines indented more
    std::size_t i = 0;                                   // a line's start
    while (i < error_at) {
        std::size_t line_end = end_of_line(i);
        const std::size_t first = std::min(text.find_first_not_of(' ', i), text.size());
        const std::size_t indent = first - i;
        if (block_indent != std::string_view::npos) {
            if (first >= line_end || indent > block_indent) {
                i = line_end + 1;
                continue;
            }
            block_indent = std::string_view::npos;
        }
        char last = 0;  // the last character outside quotes on this line, spaces skipped
        std::size_t j = first;
        std::size_t content_end = line_end;  // before a comment
        while (j < line_end && j < error_at) {
            const char c = text[j];
            if (c == '#' && (j == first || text[j - 1] == ' ')) {
                content_end = j;
                break;
            }
            const bool value_may_start =
                last == 0 || last == ':' || last == '-' || last == '[' || last == '{' || last == ',' || last == '?';
            if ((c == '"' || c == '\'') && value_may_start) {
                const std::size_t open = j;
                const auto close = closing_quote(text, open);
                const bool closed = close.has_value();
                const std::size_t end = close.value_or(text.size());
                j = end;
                if (end > line_end) {  // it ran on over line breaks
                    if (end >= error_line_start || !closed) found = open;
                    line_end = end_of_line(end);
                }
                if (!closed || end >= error_at) return found;
                ++j;
                last = c;
                continue;
            }
            if (c != ' ') last = c;
            ++j;
        }
        // A block scalar's header ends its line ("text: |", "- >-"): the lines after it are text.
        std::string_view head = text.substr(i, std::min(content_end, line_end) - i);
        while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
        while (!head.empty() && (head.back() == '-' || head.back() == '+' || (head.back() >= '1' && head.back() <= '9')))
            head.remove_suffix(1);
        if (head.size() >= 2 && (head.back() == '|' || head.back() == '>') &&
            (head[head.size() - 2] == ' ' || head[head.size() - 2] == '-'))
            block_indent = indent;
        i = line_end + 1;
    }
    return found;
}

// Parse events are ignored: only where documents start matters.
class document_counter : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents_ == 2) second_ = mark;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

    [[nodiscard]] int documents() const { return documents_; }
    [[nodiscard]] const YAML::Mark& second() const { return second_; }

private:
    int documents_ = 0;
    YAML::Mark second_;
};

struct second_document_found {
    position at;
    bool syntax_error = false;
    std::string message;
};

// Where a second YAML document starts (or the syntax error that follows the first), if any.
// Not YAML::LoadAll: yaml-cpp 0.7 loops forever, allocating, on a document that starts with ','
// (found by the fuzzer), because the parser then returns empty documents without consuming input.
// Asking for exactly two documents keeps that bounded.
std::optional<second_document_found> second_document(const std::string& text, const decoder& d,
                                                     std::string_view view) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    document_counter counter;
    try {
        if (!parser.HandleNextDocument(counter) || !parser.HandleNextDocument(counter)) return std::nullopt;
    } catch (const YAML::ParserException& e) {
        return second_document_found{d.at(e.mark), true, syntax_message(e, view, e.mark.line)};
    }
    if (counter.documents() < 2) return std::nullopt;
    return second_document_found{d.at(counter.second()), false, {}};
}

// The quoted scalar (by its opening quote's mark) whose closing quote never comes: yaml-cpp 0.7
// takes a double- or single-quoted scalar that runs to the end of the file as ending there (with a
// line break turned into a space), where every other YAML tool reports an error; mid-file it is a
// syntax error already. Walks the tree without recursion (nesting is bounded only by the file).
std::optional<YAML::Mark> unterminated_quote(const YAML::Node& root, std::string_view text) {
    std::vector<YAML::Node> todo{root};
    std::size_t visited = 0;
    // An alias is the node it names, at the same mark: each map and sequence is walked once, so a
    // file whose aliases nest or loop (`a: &d [*d]`) costs its size, not a million visits.
    std::unordered_set<int> expanded;
    while (!todo.empty() && visited++ < 1'000'000) {
        const YAML::Node node = todo.back();
        todo.pop_back();
        if ((node.IsMap() || node.IsSequence()) && !node.Mark().is_null() && !expanded.insert(node.Mark().pos).second)
            continue;
        if (node.IsMap()) {
            for (const auto& kv : node) {
                todo.push_back(kv.first);
                todo.push_back(kv.second);
            }
            continue;
        }
        if (node.IsSequence()) {
            for (const auto& item : node) todo.push_back(item);
            continue;
        }
        if (!node.IsScalar() || node.Tag() != "!") continue;  // plain scalars have the tag "?"
        const YAML::Mark mark = node.Mark();
        if (mark.is_null() || mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) continue;
        const char quote = text[static_cast<std::size_t>(mark.pos)];
        if (quote != '"' && quote != '\'') continue;  // a block scalar (| or >)
        if (!closing_quote(text, static_cast<std::size_t>(mark.pos))) return mark;
    }
    return std::nullopt;
}

// Only blank lines, comments and document markers: what people call an empty file.
bool blank(std::string_view text) {
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const std::size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        line.remove_prefix(first);
        if (line.starts_with('#') || line.starts_with("---") || line.starts_with("...")) continue;
        return false;
    }
    return true;
}

loaded load_text(std::string_view yaml_text, const std::string& file_name) {
    loaded out;
    diagnostics& errors = out.result.errors;
    if (yaml_text.size() > max_file_bytes) {
        errors.push_back(diagnostic{file_name, 0, 0,
                                    "file is too large (" + std::to_string(yaml_text.size()) +
                                        " bytes; a campaign file may have at most " +
                                        std::to_string(max_file_bytes) + ")"});
        return out;
    }
    // yaml-cpp skips a byte-order mark itself, but then its byte offsets no longer match ours.
    if (yaml_text.starts_with("\xEF\xBB\xBF")) yaml_text.remove_prefix(3);
    check_encoding(yaml_text, file_name, errors);
    if (!errors.empty()) return out;

    decoder d(yaml_text, file_name, errors);
    try {
        const std::string text(yaml_text);
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::ParserException& e) {
            const position p = d.at(e.mark);
            if (e.mark.pos >= 0) {
                if (const auto open = quote_run_on(yaml_text, static_cast<std::size_t>(e.mark.pos))) {
                    // Said where the fix is: the reader only stopped where the next quote confused it.
                    const position q = d.at_offset(*open);
                    errors.push_back(diagnostic{
                        file_name, q.line, q.column,
                        "syntax error: this quoted text runs on to line " + std::to_string(p.line) +
                            ", where the file stops making sense (" + e.msg + " at " + std::to_string(p.line) + ":" +
                            std::to_string(p.column) + "): is its closing quote missing?"});
                    return out;
                }
            }
            errors.push_back(
                diagnostic{file_name, p.line, p.column, syntax_message(e, yaml_text, e.mark.line)});
            return out;
        }
        if (root.IsNull()) {
            d.error(position{}, blank(yaml_text)
                                    ? "the file is empty: expected a map with 'campaign' and 'departments'"
                                    : "expected a map with 'campaign' and 'departments', got nothing");
            return out;
        }
        if (const auto open = unterminated_quote(root, yaml_text)) {
            const position p = d.at(*open);
            errors.push_back(diagnostic{file_name, p.line, p.column,
                                        "syntax error: this quoted text has no closing quote before the end of "
                                        "the file"});
            return out;
        }
        if (auto second = second_document(text, d, yaml_text)) {
            if (second->syntax_error) {
                errors.push_back(diagnostic{file_name, second->at.line, second->at.column, second->message});
            } else {
                d.error(second->at, "a campaign file holds one YAML document; this is a second one");
            }
        }
        campaign c = d.decode_document(root);
        out.slug_at = d.slug_at();
        std::stable_sort(errors.begin(), errors.end(), [](const diagnostic& a, const diagnostic& b) {
            return std::pair{a.line, a.column} < std::pair{b.line, b.column};
        });
        if (d.truncated()) {
            errors.push_back(
                diagnostic{file_name, 0, 0,
                           "too many errors; only the first " + std::to_string(max_errors) + " are shown"});
        }
        if (errors.empty()) out.result.value = std::move(c);
    } catch (const YAML::Exception& e) {
        // The walker only asks for what exists, so this means a yaml-cpp surprise: still no crash.
        errors.push_back(diagnostic{file_name, 0, 0, std::string("cannot read the YAML: ") + e.what()});
        out.result.value.reset();
    } catch (const std::bad_alloc&) {
        errors.push_back(diagnostic{file_name, 0, 0, "out of memory while reading the file"});
        out.result.value.reset();
    }
    return out;
}

loaded load_file(const fs::path& path) {
    const std::string name = path.string();
    loaded out;
    const auto fail = [&](std::string message) {
        out.result.errors.push_back(diagnostic{name, 0, 0, std::move(message)});
        return out;
    };
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec) return fail("cannot read the file: " + ec.message());
    if (fs::is_directory(status)) return fail("cannot read the file: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot read the file: " + std::error_code(errno, std::generic_category()).message());
    // Read at most one byte past the limit: enough to know the file is too large, whatever it is.
    std::string text(max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return fail("cannot read the file: read error");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) {
        return fail("file is too large (more than " + std::to_string(max_file_bytes) +
                    " bytes; a campaign file may have at most that)");
    }
    return load_text(text, name);
}

}  // namespace

load_result load_campaign_text(std::string_view yaml_text, const std::string& file_name) {
    return load_text(yaml_text, file_name).result;
}

load_result load_campaign_file(const std::filesystem::path& path) {
    return load_file(path).result;
}

std::vector<std::filesystem::path> distinct_files(const std::vector<std::filesystem::path>& paths) {
    std::vector<std::filesystem::path> out;
    for (const auto& p : paths) {
        const bool repeated = std::any_of(out.begin(), out.end(), [&](const std::filesystem::path& q) {
            std::error_code ec;
            const bool same = std::filesystem::equivalent(p, q, ec);
            return !ec && same;
        });
        if (!repeated) out.push_back(p);
    }
    return out;
}

load_many_result load_campaign_files(const std::vector<std::filesystem::path>& paths) {
    load_many_result out;
    std::vector<campaign> campaigns;
    struct first_use {
        std::string file;
        position at;
    };
    std::map<std::string, first_use> slugs;
    for (const auto& path : paths) {
        loaded l = load_file(path);
        if (l.result.value) {
            const std::string& slug = l.result.value->slug;
            auto [it, inserted] = slugs.emplace(slug, first_use{path.string(), l.slug_at});
            if (!inserted) {
                l.result.errors.push_back(diagnostic{path.string(), l.slug_at.line, l.slug_at.column,
                                                     "campaign slug " + shown(slug) + " is already used by " +
                                                         it->second.file + ":" +
                                                         format_position(it->second.at)});
                l.result.value.reset();
            } else {
                campaigns.push_back(std::move(*l.result.value));
            }
        }
        out.errors.insert(out.errors.end(), l.result.errors.begin(), l.result.errors.end());
    }
    if (out.errors.empty()) out.campaigns = std::move(campaigns);
    return out;
}

}  // namespace loa::core
