// As-run bodies (JSON or RFC 4180 CSV) to lines, each with its line number and either what it says
// or a reason naming the field.
#include "scheduler/feeds/as_run_parse.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/text/json_error.hpp"
#include "core/text/unicode.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::feeds {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 6> field_names = {"placement", "time",   "message",
                                                         "aired_at",  "status", "note"};
constexpr std::string_view field_list = "placement, time, message, aired_at, status, note";
constexpr std::size_t max_note_bytes = 2000;
constexpr std::size_t max_message_bytes = 200;
constexpr std::size_t quoted_value_bytes = 60;

bool known_field(std::string_view name) {
    return std::find(field_names.begin(), field_names.end(), name) != field_names.end();
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Whitespace of any kind (line breaks too) around a note or a value is not part of it.
std::string_view trim_all(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

// A value quoted in a reason: at most a few dozen bytes, never cut inside a UTF-8 sequence.
std::string quoted(std::string_view value) {
    if (value.size() <= quoted_value_bytes) return "'" + std::string(value) + "'";
    std::size_t cut = quoted_value_bytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0u) == 0x80u) --cut;
    return "'" + std::string(value.substr(0, cut)) + "…'";
}

// A note as stored: NFC (an outlet's software may send decomposed text), line breaks as LF (CRLF
// and a lone CR alike), other control characters dropped; so a day resent from another system is
// still a duplicate, and no control character reaches a page or a CSV.
std::string clean_note(std::string_view note) {
    std::string out = core::lf_line_breaks(note);
    std::erase_if(out, [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
    });
    return core::to_nfc(out);
}

// What is wrong with a time that parse_instant refused: a date or time that does not exist, said
// in words ("2024-02-30 is not a date (February 2024 has 29 days)"), else the shape wanted.
std::string instant_problem(std::string_view field, std::string_view value) {
    const auto why = core::iso8601_problem(trim_all(value));
    return std::string(field) + ": " + quoted(value) +
           (why ? ": " + *why : " is not ISO 8601 with an offset (e.g. 2024-07-29T19:00:00+07:00)");
}

std::string with_thousands(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    const std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (i - lead) % 3 == 0 && i >= lead) out += ',';
        out += digits[i];
    }
    return out;
}

// The raw fields of one record: name → text (JSON numbers already written as text).
using raw_fields = std::map<std::string, std::string, std::less<>>;

// The fields of one record, checked. Returns the line or the list of problems ("field: why").
std::optional<as_run_line> check_fields(const raw_fields& f, std::vector<std::string>& problems) {
    as_run_line out;
    const auto get = [&f](std::string_view name) -> std::optional<std::string_view> {
        const auto it = f.find(name);
        if (it == f.end()) return std::nullopt;
        const std::string_view v = trim_all(it->second);
        if (v.empty()) return std::nullopt;
        return v;
    };
    for (const auto& [name, value] : f)
        if (!valid_utf8(value)) {
            problems.push_back(name +
                               ": not valid UTF-8 (a file in the Vietnamese Windows code page is read when sent with "
                               "charset=windows-1258 in its Content-Type)");
        }

    const auto status = get("status");
    if (!status) {
        problems.emplace_back("status: missing (aired, missed or partial)");
    } else {
        const std::string s = lower_ascii(*status);
        if (s == "aired" || s == "missed" || s == "partial") {
            out.status = s;
        } else {
            problems.push_back("status: " + quoted(*status) + " is not aired, missed or partial");
        }
    }

    if (const auto p = get("placement")) {
        std::int64_t id = 0;
        const auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), id);
        if (ec != std::errc{} || end != p->data() + p->size() || id < 1) {
            problems.push_back("placement: " + quoted(*p) + " is not a placement id (a whole number from 1)");
        } else {
            out.placement = id;
        }
    }
    const auto time = get("time");
    if (time) {
        if (const auto t = parse_instant(*time)) {
            out.time = *t;
        } else {
            problems.push_back(instant_problem("time", *time));
        }
    }
    const auto message = get("message");
    if (message) {
        if (message->size() > max_message_bytes) {
            problems.push_back("message: longer than " + std::to_string(max_message_bytes) + " bytes");
        } else {
            out.message = std::string(*message);
        }
    }
    if (!get("placement")) {
        if (!time && !message) {
            problems.emplace_back("placement: missing (give placement, or time and message)");
        } else if (!time) {
            problems.emplace_back("time: missing (a line without placement needs time and message)");
        } else if (!message) {
            problems.emplace_back("message: missing (a line without placement needs time and message)");
        }
    }

    const auto aired = get("aired_at");
    if (aired && out.status == "missed") {
        // Ignored for a missed airing (docs/feeds.md): whatever the outlet's software puts there.
    } else if (aired) {
        if (const auto t = parse_instant(*aired)) {
            out.aired_at = *t;
        } else {
            problems.push_back(instant_problem("aired_at", *aired));
        }
    } else if (out.status == "aired" || out.status == "partial") {
        problems.push_back("aired_at: missing (required when the status is " + out.status + ")");
    }

    if (const auto note = get("note")) {
        if (note->size() > max_note_bytes) {
            problems.push_back("note: longer than " + std::to_string(max_note_bytes) + " bytes");
        } else {
            out.note = clean_note(*note);
        }
    }
    if (!problems.empty()) return std::nullopt;
    return out;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

// The one item said of every line past the limit: they are neither read nor listed one by one (a
// body of a megabyte could otherwise hold half a million tiny lines, each an item with strings).
std::string beyond_limit(std::size_t max_lines, std::size_t beyond) {
    return "beyond the " + with_thousands(max_lines) + " lines one upload may carry; send the rest (" +
           with_thousands(beyond) + (beyond == 1 ? " line" : " lines") + " from here on) in another upload";
}

// ---- JSON ---------------------------------------------------------------------------------------

// The 1-based line of each offset (offsets ascending), in one pass over the text.
std::vector<std::size_t> lines_at(std::string_view text, const std::vector<std::size_t>& offsets) {
    std::vector<std::size_t> out;
    out.reserve(offsets.size());
    std::size_t line = 1;
    std::size_t pos = 0;
    for (const std::size_t offset : offsets) {
        const std::size_t end = std::min(offset, text.size());
        for (; pos < end; ++pos)
            if (text[pos] == '\n') ++line;
        out.push_back(line);
    }
    return out;
}

as_run_parse_result parse_json(std::string_view body, std::size_t max_lines) {
    as_run_parse_result out;
    boost::system::error_code ec;
    const json::value doc = json::parse(body, ec);
    if (ec) {
        out.readable = false;
        out.error = "The body is not JSON (" + core::json_error_at(body) + ").";
        return out;
    }
    // Keys given twice: Boost.JSON keeps the last value alone, so one of the two would be lost unseen
    // ({"lines": [...], "lines": [...]} would apply only the second list).
    // Where each line starts (for its line number) and the keys given twice, in one walk.
    const core::json_layout layout = core::json_layout_of(body, "lines");
    const std::vector<core::repeated_json_key>& repeats = layout.repeated;
    if (doc.is_object()) {
        const std::size_t top = body.find('{');
        for (const auto& r : repeats) {
            if (r.object != top) continue;
            out.readable = false;
            out.error = "The body names " + quoted(r.key) + " twice (" + core::json_position(body, r.at) +
                        "): give each member once.";
            return out;
        }
    }
    const json::array* lines = nullptr;
    if (doc.is_array()) {
        lines = &doc.get_array();
    } else if (doc.is_object()) {
        const auto* member = doc.get_object().if_contains("lines");
        if (member != nullptr && member->is_array()) lines = &member->get_array();
    }
    if (lines == nullptr) {
        out.readable = false;
        out.error = "The body is neither an array of lines nor an object with a \"lines\" array.";
        return out;
    }
    const std::vector<std::size_t>& offsets = layout.elements;
    const bool have_offsets = offsets.size() == lines->size();
    const std::vector<std::size_t> body_lines =
        have_offsets ? lines_at(body, offsets) : std::vector<std::size_t>{};
    std::size_t index = 0;
    for (const json::value& element : *lines) {
        ++index;
        as_run_item item;
        item.index = index;
        item.line = have_offsets ? body_lines[index - 1] : index;
        item.where = have_offsets
                         ? "line " + std::to_string(item.line) + " (element " + std::to_string(index) + ")"
                         : "element " + std::to_string(index);
        const std::string where = item.where + ": ";
        if (index > max_lines) {
            if (index == max_lines + 1) {
                item.reason = where;  // finished below, when the count is known
                out.items.push_back(std::move(item));
            }
            continue;
        }
        if (!element.is_object()) {
            item.reason = where + "not an object with the fields " + std::string(field_list);
            out.items.push_back(std::move(item));
            continue;
        }
        raw_fields fields;
        std::vector<std::string> problems;
        if (have_offsets) {
            const auto twice = std::find_if(repeats.begin(), repeats.end(), [&](const core::repeated_json_key& r) {
                return r.object == offsets[index - 1];
            });
            if (twice != repeats.end()) problems.push_back(quoted(twice->key) + " is given twice (one value per field)");
        }
        for (const auto& kv : element.get_object()) {
            const std::string name(kv.key());
            if (!known_field(name)) {
                problems.push_back(quoted(name) + " is not a field (" + std::string(field_list) + ")");
                continue;
            }
            const json::value& v = kv.value();
            if (v.is_null()) continue;
            if (v.is_string()) {
                fields[name] = std::string(v.get_string());
            } else if (name == "placement" && v.is_int64()) {
                fields[name] = std::to_string(v.get_int64());
            } else if (name == "placement" && v.is_uint64()) {
                fields[name] = std::to_string(v.get_uint64());
            } else if (name == "placement" && v.is_double()) {
                std::array<char, 32> buf{};
                const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v.get_double());
                fields[name] = std::string(buf.data(), res.ptr);  // 5.5: named in the reason as written
            } else if (name == "placement") {
                fields[name] = json::serialize(v);
            } else {
                problems.push_back(name + (name == "placement" ? ": not a whole number" : ": not a string"));
            }
        }
        std::vector<std::string> field_problems;
        auto parsed = check_fields(fields, field_problems);
        problems.insert(problems.end(), field_problems.begin(), field_problems.end());
        if (problems.empty() && parsed) {
            item.parsed = std::move(parsed);
        } else {
            item.reason = where + join(problems);
        }
        out.items.push_back(std::move(item));
    }
    if (index > max_lines) out.items.back().reason += beyond_limit(max_lines, index - max_lines);
    return out;
}

// ---- CSV ----------------------------------------------------------------------------------------

struct csv_record {
    std::size_t line = 0;  // physical line of its start
    std::vector<std::string> fields;
    std::string error;  // a quoting error: the record cannot be read
};

// The column (1-based, in characters) of byte `pos` on its physical line.
std::size_t column_of(std::string_view text, std::size_t pos) {
    std::size_t start = 0;
    if (pos > 0) {
        const std::size_t before = text.find_last_of("\r\n", pos - 1);
        if (before != std::string_view::npos) start = before + 1;
    }
    return core::code_points(text.substr(start, pos - start)) + 1;
}

// RFC 4180 records with their starting lines. A quoted field may hold commas, quotes ("") and line
// breaks; CRLF, LF and a lone CR end a record. Text after a closing quote makes that record an
// error. So does a stray quote (never closed, or "closed" lines later by another field's quote):
// that record ends at the end of the quote's line, and the lines after it are read again as records
// of their own, so that one typo does not swallow the rest of a report.
std::vector<csv_record> csv_records(std::string_view text) {
    std::vector<csv_record> out;
    std::size_t i = 0;
    std::size_t line = 1;
    while (i < text.size()) {
        csv_record rec;
        rec.line = line;
        bool end_of_record = false;
        while (!end_of_record) {
            std::string field;
            // Leading blanks before an opening quote are tolerated.
            std::size_t j = i;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
            if (j < text.size() && text[j] == '"') {
                const std::size_t opened = j;
                const std::size_t opened_line = line;
                i = j + 1;
                bool closed = false;
                while (i < text.size()) {
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
                    field += c;
                    ++i;
                }
                // A quote that is never closed, or whose closing quote lies on a later line and is
                // followed by more text, is taken to be a typo on its own line, not a field that
                // runs on: the record ends at the end of that line, and the lines after it are read
                // again as records of their own.
                bool stray = !closed;
                if (closed) {
                    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
                    if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                        if (line != opened_line) {
                            stray = true;
                        } else {
                            if (rec.error.empty())
                                rec.error = "text at column " + std::to_string(column_of(text, i)) +
                                            ", after a closing quote (write a quote inside a quoted field as \"\")";
                            while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') ++i;
                        }
                    }
                }
                if (stray) {
                    rec.error = "the quote at column " + std::to_string(column_of(text, opened)) +
                                " opens a field that is not closed on its line (write a quote inside a quoted "
                                "field as \"\")";
                    const std::size_t eol = text.find_first_of("\r\n", opened);
                    line = opened_line;
                    if (eol == std::string_view::npos) {
                        i = text.size();
                    } else {
                        i = eol + (text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n' ? 2 : 1);
                        ++line;
                    }
                    break;  // the record ends here, with its error
                }
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                    field += text[i++];
                field = std::string(trim(field));
            }
            rec.fields.push_back(std::move(field));
            if (i >= text.size()) {
                end_of_record = true;
            } else if (text[i] == ',') {
                ++i;
            } else {
                if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
                ++i;
                ++line;
                end_of_record = true;
            }
        }
        out.push_back(std::move(rec));
    }
    return out;
}

bool blank(const csv_record& r) {
    return r.error.empty() &&
           std::all_of(r.fields.begin(), r.fields.end(), [](const std::string& f) { return f.empty(); });
}

as_run_parse_result parse_csv(std::string_view body, std::size_t max_lines) {
    as_run_parse_result out;
    std::vector<csv_record> records = csv_records(body);
    auto it = std::find_if(records.begin(), records.end(), [](const csv_record& r) { return !blank(r); });
    if (it == records.end()) {
        out.readable = false;
        out.error = "The CSV has no header row (expected columns: " + std::string(field_list) + ").";
        return out;
    }
    const csv_record& header = *it;
    const std::string at_line = "line " + std::to_string(header.line) + ": ";
    if (!header.error.empty()) {
        out.readable = false;
        out.error = "The CSV header cannot be read: " + at_line + header.error + ".";
        return out;
    }
    // Spreadsheets often end the header with empty cells (a trailing comma): those are no columns.
    std::vector<std::string> header_cells = header.fields;
    while (!header_cells.empty() && trim_all(header_cells.back()).empty()) header_cells.pop_back();
    std::vector<std::string> columns;
    for (const auto& raw : header_cells) {
        const std::string name = lower_ascii(trim_all(raw));
        if (!known_field(name)) {
            out.readable = false;
            out.error = "The CSV header names an unknown column: " + at_line + quoted(raw) + " (expected " +
                        std::string(field_list) + ").";
            // A spreadsheet saved with its locale's separator: say which one it used.
            for (const auto& [sep, sep_name] : {std::pair{';', "semicolons"}, std::pair{'\t', "tabs"}}) {
                if (name.find(sep) != std::string::npos) {
                    out.error += std::string(" The columns look separated by ") + sep_name +
                                 ": loa reads commas (in Excel: Save As \"CSV UTF-8 (Comma delimited)\").";
                    break;
                }
            }
            return out;
        }
        if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
            out.readable = false;
            out.error = "The CSV header names column '" + name + "' twice (" + at_line + "…).";
            return out;
        }
        columns.push_back(name);
    }
    const auto has = [&columns](std::string_view n) {
        return std::find(columns.begin(), columns.end(), n) != columns.end();
    };
    if (!has("status") || (!has("placement") && (!has("time") || !has("message")))) {
        out.readable = false;
        out.error = "The CSV header needs a status column and either placement or time and message (" +
                    at_line + "found: " + join(columns) + ").";
        return out;
    }

    std::size_t index = 0;
    for (++it; it != records.end(); ++it) {
        const csv_record& r = *it;
        if (blank(r)) continue;
        ++index;
        as_run_item item;
        item.line = r.line;
        item.index = index;
        item.where = "line " + std::to_string(r.line);
        const std::string where = item.where + ": ";
        if (index > max_lines) {
            if (index > max_lines + 1) continue;
            item.reason = where;  // finished below, when the count is known
        } else if (!r.error.empty()) {
            item.reason = where + r.error;
        } else {
            std::vector<std::string> problems;
            std::size_t used = r.fields.size();
            while (used > columns.size() && r.fields[used - 1].empty()) --used;  // trailing empty cells
            if (used > columns.size()) {
                problems.push_back("has " + std::to_string(r.fields.size()) + " fields, the header " +
                                   std::to_string(columns.size()));
            }
            raw_fields fields;
            for (std::size_t k = 0; k < columns.size() && k < r.fields.size(); ++k)
                fields[columns[k]] = r.fields[k];
            std::vector<std::string> field_problems;
            auto parsed = check_fields(fields, field_problems);
            problems.insert(problems.end(), field_problems.begin(), field_problems.end());
            if (problems.empty() && parsed) {
                item.parsed = std::move(parsed);
            } else {
                item.reason = where + join(problems);
            }
        }
        out.items.push_back(std::move(item));
    }
    if (index > max_lines) out.items.back().reason += beyond_limit(max_lines, index - max_lines);
    return out;
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_instant(std::string_view text) {
    text = trim_all(text);
    // "YYYY-MM-DDTHH:MM" at least, then an offset: Z or ±HH:MM.
    if (text.size() < 17 || text[10] != 'T') return std::nullopt;
    const bool zulu = text.back() == 'Z';
    const bool offset =
        text.size() >= 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') && text[text.size() - 3] == ':';
    if (!zulu && !offset) return std::nullopt;
    // Fractions of a second ("19:00:00.250+07:00") are dropped: placements are whole seconds.
    return core::parse_iso8601_instant(text, nullptr);
}

as_run_parse_result parse_as_run(std::string_view body, as_run_format format, std::size_t max_lines) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (body.starts_with(bom)) body.remove_prefix(bom.size());
    if (trim_all(body).empty()) {
        as_run_parse_result out;
        out.readable = false;
        out.error = "The body is empty.";
        return out;
    }
    return format == as_run_format::json ? parse_json(body, max_lines) : parse_csv(body, max_lines);
}

}  // namespace loa::scheduler::feeds
