// The as-run parser: JSON (array or {"lines": [...]}) and RFC 4180 CSV (quotes, commas and line
// breaks inside quotes, CRLF, a byte order mark, columns in any order), Vietnamese notes, and every
// error with the line it is on and the field it names.
#include "scheduler/feeds/as_run_parse.hpp"

#include <string>

#include <date/date.h>
#include <gtest/gtest.h>

#include "core/text/json_error.hpp"

namespace {
namespace as_run_parse_test_cpp {

using namespace loa::scheduler::feeds;
using namespace std::chrono_literals;
using namespace date::literals;

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

TEST(AsRunInstant, NeedsAnOffset) {
    EXPECT_EQ(parse_instant("2024-07-29T19:00:00+07:00"), utc(2024_y / date::July / 29, 12h));
    EXPECT_EQ(parse_instant("2024-07-29T12:00:00Z"), utc(2024_y / date::July / 29, 12h));
    EXPECT_EQ(parse_instant("2024-07-29T19:00+07:00"), utc(2024_y / date::July / 29, 12h));
    EXPECT_EQ(parse_instant("2024-07-29T19:00:00.750+07:00"), utc(2024_y / date::July / 29, 12h));
    EXPECT_EQ(parse_instant("2024-03-10T03:30:00-04:00"), utc(2024_y / date::March / 10, 7h + 30min));
    EXPECT_FALSE(parse_instant("2024-07-29T19:00:00"));
    EXPECT_FALSE(parse_instant("2024-07-29 19:00+07:00"));
    EXPECT_FALSE(parse_instant("2024-07-29"));
    EXPECT_FALSE(parse_instant("2024-02-30T19:00:00Z"));
    EXPECT_FALSE(parse_instant("2024-07-29T19:00:00.+07:00"));
    EXPECT_FALSE(parse_instant("hôm qua"));
}

TEST(AsRunJson, ArrayOfLines) {
    const std::string body = R"([
  {"placement": 12, "status": "aired", "aired_at": "2024-07-29T19:00:05+07:00", "note": "Phát đúng giờ"},
  {"placement": "13", "status": "missed", "aired_at": "n/a", "note": "Mất điện ở trạm phát"},
  {"time": "2024-07-29T20:15:00+07:00", "message": "spot-111", "status": "partial",
   "aired_at": "2024-07-29T20:15:30+07:00", "note": "C\u1eaft 10 gia\u0302y cuo\u0302\u0301i"}
])";
    const auto r = parse_as_run(body, as_run_format::json);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 3u);
    for (const auto& i : r.items) ASSERT_TRUE(i.parsed) << i.reason;
    EXPECT_EQ(r.items[0].line, 2u);
    EXPECT_EQ(r.items[1].line, 3u);
    EXPECT_EQ(r.items[2].line, 4u);
    EXPECT_EQ(r.items[2].index, 3u);
    EXPECT_EQ(r.items[0].parsed->placement, 12);
    EXPECT_EQ(r.items[0].parsed->status, "aired");
    EXPECT_EQ(r.items[0].parsed->aired_at, utc(2024_y / date::July / 29, 12h + 5s));
    EXPECT_EQ(r.items[0].parsed->note, "Phát đúng giờ");
    EXPECT_EQ(r.items[1].parsed->placement, 13);
    EXPECT_FALSE(r.items[1].parsed->aired_at);  // ignored for missed, whatever it holds
    EXPECT_FALSE(r.items[2].parsed->placement);
    EXPECT_EQ(r.items[2].parsed->time, utc(2024_y / date::July / 29, 13h + 15min));
    EXPECT_EQ(r.items[2].parsed->message, "spot-111");
    EXPECT_EQ(r.items[2].parsed->status, "partial");
    EXPECT_EQ(r.items[2].parsed->note, "Cắt 10 giây cuối");  // sent decomposed (NFD), stored NFC
}

TEST(AsRunJson, ObjectWithLinesAndTheirBodyLines) {
    const std::string body =
        "{\"outlet\": \"ignored\", \"nested\": {\"a\": [1, {\"b\": \"]\"}]},\n"
        " \"lines\": [\n"
        "   {\"placement\": 1, \"status\": \"missed\"},\n"
        "\n"
        "   {\"placement\": 2,\n"
        "    \"status\": \"aired\"}\n"
        " ]}";
    const auto r = parse_as_run(body, as_run_format::json);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_TRUE(r.items[0].parsed);
    EXPECT_EQ(r.items[0].line, 3u);
    EXPECT_EQ(r.items[1].line, 5u);
    ASSERT_FALSE(r.items[1].parsed);
    EXPECT_EQ(r.items[1].where, "line 5 (element 2)");
    EXPECT_EQ(r.items[1].reason, "line 5 (element 2): aired_at: missing (required when the status is aired)");
}

TEST(AsRunJson, EveryErrorNamesItsElementAndField) {
    const std::string body = R"([
{"placement": 0, "status": "aired", "aired_at": "2024-07-29T19:00:00+07:00"},
{"placement": 5, "status": "played", "aired_at": "2024-07-29T19:00:00+07:00"},
{"placement": 5, "status": "aired", "aired_at": "2024-07-29 19:00"},
{"status": "missed"},
{"time": "2024-07-29T19:00:00+07:00", "status": "missed"},
{"placement": 5, "status": "missed", "aried_at": "x"},
"not an object",
{"placement": 5.5, "status": "missed"},
{"placement": 5, "status": "missed", "note": 7}
])";
    const auto r = parse_as_run(body, as_run_format::json);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 9u);
    for (const auto& i : r.items) EXPECT_FALSE(i.parsed) << i.line;
    EXPECT_EQ(r.items[0].reason,
              "line 2 (element 1): placement: '0' is not a placement id (a whole number from 1)");
    EXPECT_EQ(r.items[1].reason, "line 3 (element 2): status: 'played' is not aired, missed or partial");
    EXPECT_EQ(r.items[2].reason,
              "line 4 (element 3): aired_at: '2024-07-29 19:00' is not ISO 8601 with an offset (e.g. "
              "2024-07-29T19:00:00+07:00)");
    EXPECT_EQ(r.items[3].reason,
              "line 5 (element 4): placement: missing (give placement, or time and message)");
    EXPECT_EQ(r.items[4].reason,
              "line 6 (element 5): message: missing (a line without placement needs time and message)");
    EXPECT_EQ(
        r.items[5].reason,
        "line 7 (element 6): 'aried_at' is not a field (placement, time, message, aired_at, status, note)");
    EXPECT_EQ(
        r.items[6].reason,
        "line 8 (element 7): not an object with the fields placement, time, message, aired_at, status, note");
    EXPECT_EQ(r.items[7].reason,
              "line 9 (element 8): placement: '5.5' is not a placement id (a whole number from 1)");
    EXPECT_EQ(r.items[8].reason, "line 10 (element 9): note: not a string");
}

TEST(AsRunJson, AFieldGivenTwiceIsRefusedNotHalfRead) {
    // JSON parsers keep one of the two values (Boost.JSON the last): the line says two things.
    const std::string body = R"({"station": "VOV", "lines": [
  {"placement": 5, "status": "aired", "aired_at": "2024-07-29T19:00:00+07:00", "status": "missed"},
  {"placement": 6, "status": "missed", "note": "Mất điện", "note\u0020": "x"},
  {"placement": 7, "status": "aired", "aired_at": "2024-07-29T19:00:00+07:00", "note": {"note": 1, "note": 2}}
]})";
    const auto r = parse_as_run(body, as_run_format::json);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_FALSE(r.items[0].parsed);
    EXPECT_EQ(r.items[0].reason, "line 2 (element 1): 'status' is given twice (one value per field)");
    // Another key (with a space) is another field; a repeat inside a value is that value's business.
    EXPECT_EQ(r.items[1].reason, "line 3 (element 2): 'note ' is not a field (placement, time, message, "
                                 "aired_at, status, note)");
    EXPECT_EQ(r.items[2].reason, "line 4 (element 3): note: not a string");
}

// The lines given twice at the top: one of the two lists would be applied and the other lost.
TEST(AsRunJson, ABodyNamingItsLinesTwiceIsRefused) {
    const std::string body = "{\"lines\": [{\"placement\": 356, \"status\": \"missed\"}],\n"
                             " \"lines\": [{\"placement\": 357, \"status\": \"missed\"}]}";
    const auto r = parse_as_run(body, as_run_format::json);
    EXPECT_FALSE(r.readable);
    EXPECT_EQ(r.error, "The body names 'lines' twice (line 2, column 2): give each member once.");
    // A key of a line's own value, or an array of lines, is not the body's.
    EXPECT_TRUE(parse_as_run("[{\"placement\": 1, \"status\": \"missed\", \"note\": \"x\"}]", as_run_format::json)
                    .readable);
}

TEST(JsonRepeatedKeys, EveryObjectAtItsOffset) {
    using loa::core::json_repeated_keys;
    EXPECT_TRUE(json_repeated_keys(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})").empty());
    const std::string text = R"({"tên": 1, "x": {"k": "}\"", "k": [1, {"k": 0}]}, "tên": 2, "tên": 3})";
    const auto r = json_repeated_keys(text);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].key, "k");
    EXPECT_EQ(r[0].object, text.find("{\"k\""));
    EXPECT_EQ(r[0].at, text.find("\"k\": ["));
    EXPECT_EQ(r[1].key, "tên");
    EXPECT_EQ(r[1].object, 0u);
    EXPECT_EQ(r[2].key, "tên");
    EXPECT_EQ(loa::core::json_position(text, r[1].at), "line 1, column 51");  // "ê" is one column
    EXPECT_TRUE(json_repeated_keys("[1, \"a\", null, true, 2.5e3]").empty());
    EXPECT_TRUE(json_repeated_keys("{}").empty());
    // Where the elements of the top-level array, or of the named member's, start: nowhere deeper.
    using loa::core::json_layout_of;
    EXPECT_EQ(json_layout_of(" [1, {\"lines\": [2]}, \"]\"]", "lines").elements, (std::vector<std::size_t>{2, 5, 21}));
    const std::string body = "{\"x\": [9], \"lines\": [ {\"a\": [1]} , 3 ], \"y\": {\"lines\": [4]}}";
    EXPECT_EQ(json_layout_of(body, "lines").elements, (std::vector<std::size_t>{body.find("{\"a\""), body.find("3 ]")}));
    EXPECT_TRUE(json_layout_of(body).elements.empty());
    EXPECT_TRUE(json_layout_of("{\"lines\": 3}", "lines").elements.empty());
    // A key written with escapes is the key it decodes to, as Boost.JSON reads it.
    const std::string escaped = R"({"dry_run": false, "dry\u005frun": true, "t\u00ean": 1, "tên": 2, "a\"b": 0})";
    const auto e = json_repeated_keys(escaped);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].key, "dry\\u005frun");  // as written
    EXPECT_EQ(e[0].at, escaped.find("\"dry\\u"));
    EXPECT_EQ(e[1].key, "tên");
    // The named member found when its name is escaped too.
    EXPECT_EQ(json_layout_of(R"({"l\u0069nes": [1, 2]})", "lines").elements.size(), 2u);
}

TEST(AsRunJson, UnreadableBodies) {
    for (const std::string body :
         {"", "   ", "{", "[1, 2", "{\"lines\": 3}", "\"aired\"", "{\"rows\": []}"}) {
        const auto r = parse_as_run(body, as_run_format::json);
        EXPECT_FALSE(r.readable) << body;
        EXPECT_FALSE(r.error.empty()) << body;
    }
    // Invalid UTF-8 inside a JSON string: JSON is UTF-8, so the body is not JSON.
    EXPECT_FALSE(parse_as_run("[{\"placement\": 1, \"status\": \"missed\", \"note\": \"\xC3\x28\"}]",
                              as_run_format::json)
                     .readable);
    const auto empty = parse_as_run("[]", as_run_format::json);
    EXPECT_TRUE(empty.readable);
    EXPECT_TRUE(empty.items.empty());
    // Where it stops being JSON: a trailing comma on line 3 (the column counts "ả" as one).
    const auto comma = parse_as_run("[\n {\"placement\": 1, \"status\": \"missed\", \"note\": \"Mất điện\"},\n]",
                                    as_run_format::json);
    EXPECT_FALSE(comma.readable);
    EXPECT_EQ(comma.error, "The body is not JSON (line 3, column 1: syntax error).");
}

TEST(JsonErrorAt, NamesTheLineAndColumnWhereTheTextStopsBeingJson) {
    using loa::core::json_error_at;
    EXPECT_EQ(json_error_at("[1, 2]"), "");
    EXPECT_EQ(json_error_at(" {\"tên\": \"Hải\"} \n"), "");
    EXPECT_EQ(json_error_at("[1, 2,]"), "line 1, column 7: syntax error");
    EXPECT_EQ(json_error_at("{\"tên\": \"Hải\" \"x\"}"), "line 1, column 15: syntax error");
    EXPECT_EQ(json_error_at("{\"a\": 1,\n \"b\": }"), "line 2, column 7: syntax error");
    EXPECT_EQ(json_error_at("[1]\n  [2]"), "line 2, column 3: extra data");
    EXPECT_EQ(json_error_at("[1,"), "line 1, column 4: incomplete JSON");
    EXPECT_EQ(json_error_at(""), "line 1, column 1: incomplete JSON");
}

TEST(AsRunCsv, QuotingCrlfBomAndColumnsInAnyOrder) {
    const std::string body =
        "\xEF\xBB\xBF"
        "Status,aired_at,Placement,note\r\n"
        "aired,2024-07-29T19:00:05+07:00,12,\"Phát đúng giờ, đủ 30 giây\"\r\n"
        "missed,,13,\"Mất điện\r\nở trạm phát \"\"Đồ Sơn\"\"\"\r\n"
        "\r\n"
        "partial,2024-07-29T20:15:30+07:00,14,Cắt 10 giây cuối\r\n";
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 3u);
    for (const auto& i : r.items) ASSERT_TRUE(i.parsed) << i.reason;
    EXPECT_EQ(r.items[0].line, 2u);
    EXPECT_EQ(r.items[1].line, 3u);
    EXPECT_EQ(r.items[2].line, 6u);  // the quoted line break counts, the blank line too
    EXPECT_EQ(r.items[2].index, 3u);
    EXPECT_EQ(r.items[0].parsed->placement, 12);
    EXPECT_EQ(r.items[0].parsed->note, "Phát đúng giờ, đủ 30 giây");
    EXPECT_EQ(r.items[1].parsed->status, "missed");
    EXPECT_EQ(r.items[1].parsed->note, "Mất điện\nở trạm phát \"Đồ Sơn\"");  // the quoted CRLF kept as LF
    EXPECT_EQ(r.items[2].parsed->status, "partial");
    EXPECT_EQ(r.items[2].parsed->aired_at, utc(2024_y / date::July / 29, 13h + 15min + 30s));
}

TEST(AsRunCsv, LfOnlyAndTimePlusMessage) {
    const std::string body =
        "time,message,status,aired_at\n"
        "2024-07-29T19:00:00+07:00,spot-111,aired,2024-07-29T19:01:00+07:00\n"
        "2024-07-29T20:00:00+07:00,truong-hoc,missed,";  // no final line break
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 2u);
    ASSERT_TRUE(r.items[0].parsed) << r.items[0].reason;
    ASSERT_TRUE(r.items[1].parsed) << r.items[1].reason;
    EXPECT_EQ(r.items[0].parsed->time, utc(2024_y / date::July / 29, 12h));
    EXPECT_EQ(r.items[0].parsed->message, "spot-111");
    EXPECT_EQ(r.items[1].parsed->message, "truong-hoc");
    EXPECT_EQ(r.items[1].line, 3u);
}

TEST(AsRunJson, NotesKeepOneKindOfLineBreakAndNoControlCharacters) {
    // The same note from three systems: LF, CRLF, a lone CR; one with a NUL and a BEL in it.
    const std::string body = R"([
        {"placement": 12, "status": "missed", "note": "Mất điện\nTrạm 1"},
        {"placement": 13, "status": "missed", "note": "Mất điện\r\nTrạm 1"},
        {"placement": 14, "status": "missed", "note": "Mất điện\rTrạm 1"},
        {"placement": 15, "status": "missed", "note": "Mất\u0000 điện\u0007\tTrạm 1"}])";
    const auto r = parse_as_run(body, as_run_format::json);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 4u);
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_TRUE(r.items[i].parsed) << r.items[i].reason;
        EXPECT_EQ(r.items[i].parsed->note, "Mất điện\nTrạm 1") << i;
    }
    ASSERT_TRUE(r.items[3].parsed) << r.items[3].reason;
    EXPECT_EQ(r.items[3].parsed->note, "Mất điện\tTrạm 1");
}

TEST(AsRunCsv, ASemicolonOrTabSeparatedFileIsToldWhatSeparatesItsColumns) {
    const auto semi = parse_as_run("placement;status;aired_at\n12;missed;\n", as_run_format::csv);
    EXPECT_FALSE(semi.readable);
    EXPECT_NE(semi.error.find("The columns look separated by semicolons: loa reads commas"), std::string::npos)
        << semi.error;
    const auto tabs = parse_as_run("placement\tstatus\n12\tmissed\n", as_run_format::csv);
    EXPECT_FALSE(tabs.readable);
    EXPECT_NE(tabs.error.find("separated by tabs"), std::string::npos) << tabs.error;
    const auto other = parse_as_run("placement,stat\n12,missed\n", as_run_format::csv);
    EXPECT_FALSE(other.readable);
    EXPECT_EQ(other.error.find("separated by"), std::string::npos) << other.error;
}

TEST(AsRunCsv, ADateOrTimeThatDoesNotExistIsSaidInWords) {
    const std::string body =
        "placement,status,aired_at\n"
        "12,aired,2024-02-30T19:00:00+07:00\n"
        "13,aired, 2024-07-29T24:00:00.500+07:00\n"
        "14,aired,2024-07-29T19:00:00+25:00\n";
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_EQ(r.items[0].reason,
              "line 2: aired_at: '2024-02-30T19:00:00+07:00': 2024-02-30 is not a date (February 2024 has 29 days)");
    EXPECT_EQ(r.items[1].reason,
              "line 3: aired_at: '2024-07-29T24:00:00.500+07:00': 24:00:00 is not a time of day (hours go to 23)");
    EXPECT_EQ(r.items[2].reason, "line 4: aired_at: '2024-07-29T19:00:00+25:00': +25:00 is not an offset from UTC "
                                 "(hours go to 23, minutes to 59)");
}

TEST(AsRunCsv, EachBadRecordNamesItsLine) {
    const std::string body =
        "placement,status,aired_at,note\n"
        "12,aired,2024-07-29 19:00,\n"                              // line 2
        "abc,missed,,\n"                                            // line 3
        "14,aired,,\"ghi chú\"\n"                                   // line 4
        "15,missed,,\"a\"b\n"                                       // line 5
        "16,missed,,x,extra\n"                                      // line 6
        "17,missed,,,,\n"                                           // line 7: trailing empty cells are fine
        "18,AIRED,2024-07-29T19:00:00+07:00,\"dài\nnhiều dòng\"\n"  // lines 8-9
        "19,gone,,\n";                                              // line 10
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 8u);
    EXPECT_EQ(r.items[0].reason,
              "line 2: aired_at: '2024-07-29 19:00' is not ISO 8601 with an offset (e.g. "
              "2024-07-29T19:00:00+07:00)");
    EXPECT_EQ(r.items[1].reason, "line 3: placement: 'abc' is not a placement id (a whole number from 1)");
    EXPECT_EQ(r.items[2].reason, "line 4: aired_at: missing (required when the status is aired)");
    EXPECT_EQ(r.items[3].reason,
              "line 5: text at column 15, after a closing quote (write a quote inside a quoted field as \"\")");
    EXPECT_EQ(r.items[4].reason, "line 6: has 5 fields, the header 4");
    EXPECT_TRUE(r.items[5].parsed) << r.items[5].reason;
    ASSERT_TRUE(r.items[6].parsed) << r.items[6].reason;
    EXPECT_EQ(r.items[6].line, 8u);
    EXPECT_EQ(r.items[6].parsed->status, "aired");
    EXPECT_EQ(r.items[6].parsed->note, "dài\nnhiều dòng");
    EXPECT_EQ(r.items[7].line, 10u);
    EXPECT_EQ(r.items[7].reason, "line 10: status: 'gone' is not aired, missed or partial");
}

TEST(AsRunCsv, InvalidUtf8IsRejectedPerLine) {
    const std::string body = "placement,status,note\n1,missed,\"ok\"\n2,missed,\"\xC3\x28\"\n";
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_TRUE(r.items[0].parsed);
    EXPECT_EQ(r.items[1].reason,
              "line 3: note: not valid UTF-8 (a file in the Vietnamese Windows code page is read when sent with "
              "charset=windows-1258 in its Content-Type)");
}

TEST(AsRunCsv, UnclosedQuoteRejectsItsLineAndKeepsTheOthers) {
    // One stray quote in line 3 of a longer report: that line is refused with the quote's column
    // (in characters, after the blanks a quoted field may start with), and every line after it is
    // still read.
    const std::string body =
        "placement,status,note\n1,missed,ok\n2,missed,  \"Mất điện\n3,missed,x\r\n\"4\",missed,\"a\nb\"\n5,missed,y";
    const auto r = parse_as_run(body, as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 5u);
    EXPECT_TRUE(r.items[0].parsed);
    EXPECT_EQ(r.items[1].reason,
              "line 3: the quote at column 12 opens a field that is not closed on its line (write a quote "
              "inside a quoted field as \"\")");
    ASSERT_TRUE(r.items[2].parsed) << r.items[2].reason;
    EXPECT_EQ(r.items[2].line, 4u);
    EXPECT_EQ(r.items[2].parsed->note, "x");
    ASSERT_TRUE(r.items[3].parsed) << r.items[3].reason;  // a closed quote may still span lines
    EXPECT_EQ(r.items[3].line, 5u);
    EXPECT_EQ(r.items[3].parsed->note, "a\nb");
    ASSERT_TRUE(r.items[4].parsed) << r.items[4].reason;
    EXPECT_EQ(r.items[4].line, 7u);
    // At the last line, without a line break after it.
    const auto last = parse_as_run("placement,status,note\n1,missed,\"open", as_run_format::csv);
    ASSERT_EQ(last.items.size(), 1u);
    EXPECT_EQ(last.items[0].reason,
              "line 2: the quote at column 10 opens a field that is not closed on its line (write a quote "
              "inside a quoted field as \"\")");
}

TEST(AsRunCsv, EmptyCellsAtTheEndOfTheHeaderAreNoColumns) {
    const auto r = parse_as_run("placement,status,note,,\r\n1,missed,x,,\r\n2,missed,\r\n", as_run_format::csv);
    ASSERT_TRUE(r.readable) << r.error;
    ASSERT_EQ(r.items.size(), 2u);
    EXPECT_TRUE(r.items[0].parsed) << r.items[0].reason;
    EXPECT_TRUE(r.items[1].parsed) << r.items[1].reason;
    // An empty cell between named ones is still refused: which column would it be?
    EXPECT_FALSE(parse_as_run("placement,,status\n1,,missed\n", as_run_format::csv).readable);
}

TEST(AsRunCsv, HeaderProblemsMakeTheBodyUnreadable) {
    EXPECT_FALSE(parse_as_run("\xEF\xBB\xBF\r\n\r\n", as_run_format::csv).readable);
    const auto unknown = parse_as_run("placement,status,ngày\n1,missed,x\n", as_run_format::csv);
    EXPECT_FALSE(unknown.readable);
    EXPECT_NE(unknown.error.find("'ngày'"), std::string::npos) << unknown.error;
    EXPECT_FALSE(parse_as_run("placement,status,status\n", as_run_format::csv).readable);
    EXPECT_FALSE(parse_as_run("placement,aired_at\n1,2024-07-29T19:00:00Z\n", as_run_format::csv).readable);
    EXPECT_FALSE(parse_as_run("time,status\n", as_run_format::csv).readable);
    const auto header_only = parse_as_run("placement,status\r\n", as_run_format::csv);
    EXPECT_TRUE(header_only.readable);
    EXPECT_TRUE(header_only.items.empty());
}

TEST(AsRunLimits, LinesBeyondTheLimitAreRejectedWithIt) {
    std::string csv = "placement,status\n";
    for (int i = 1; i <= 5; ++i) csv += std::to_string(i) + ",missed\n";
    const auto r = parse_as_run(csv, as_run_format::csv, 3);
    ASSERT_EQ(r.items.size(), 4u);  // the lines past the limit are one item, not one each
    EXPECT_TRUE(r.items[2].parsed);
    EXPECT_FALSE(r.items[3].parsed);
    EXPECT_EQ(r.items[3].reason,
              "line 5: beyond the 3 lines one upload may carry; send the rest (2 lines from here on) in "
              "another upload");
    std::string json = "[";
    for (int i = 1; i <= 10'001; ++i)
        json += std::string(i > 1 ? "," : "") + "{\"placement\":1,\"status\":\"missed\"}";
    json += "]";
    const auto big = parse_as_run(json, as_run_format::json);
    ASSERT_EQ(big.items.size(), 10'001u);
    EXPECT_TRUE(big.items[9'999].parsed);
    EXPECT_EQ(big.items[10'000].reason,
              "line 1 (element 10001): beyond the 10,000 lines one upload may carry; send the rest (1 line "
              "from here on) in another upload");
}

}  // namespace as_run_parse_test_cpp
}  // namespace
