// As-run reports over real HTTP (docs/feeds.md, "As-run reports and compliance"): `loa serve` on a
// real SQLite file with the shipped Hai Phong campaign planned (a 2024 rehearsal, so every placement
// is in the past), a token from `loa token add`. An upload with good and bad lines keeps the good
// ones and names the bad ones by line; the same upload twice counts once; JSON with a Bearer token;
// one 404 for an unknown outlet and a bad or revoked token; 415 and 400; a session without its CSRF
// token is refused; the compliance page (both languages, escaped) and its CSV (BOM, attachment,
// formula cells guarded) show the result, and the missed placement's make-good once the planner ran.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <date/date.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/time/zone.hpp"
#include "scheduler/planner/service.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"

namespace {
namespace as_run_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace core = loa::core;
using loa::test::http_connection;
using loa::test::http_reply;

constexpr const char* slug = "haiphong-2024-anti-trafficking";
// The radio's Vietnamese name is made hostile: markup for the page, a formula for the CSV.
constexpr const char* hostile_name = "=HYPERLINK(\"http://x.example\") <b>Đài</b>";

using login = loa::test::web_user;

struct placement_row {
    std::int64_t id = 0;
    std::string start;  // UTC text as stored
    std::string message;
};

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string plus_seconds(const std::string& utc, int seconds) {
    // core's parser: date::parse trips GCC 12's -Wmaybe-uninitialized at -O2.
    const auto t = loa::core::parse_iso8601(utc, nullptr);
    if (!t) throw std::runtime_error("not a stored UTC instant: " + utc);
    return date::format("%FT%TZ", *t + std::chrono::seconds(seconds));
}

class AsRunTest : public ::testing::Test {
protected:
    AsRunTest() : server_("access_log: off\ndispatch: off\n") {
        auto shipped =
            core::load_campaign_file(fs::path(LOA_SOURCE_DIR) / "campaigns" / (std::string(slug) + ".yaml"));
        if (!shipped.value) throw std::runtime_error("the shipped campaign does not load");
        for (auto& o : shipped.value->outlets)
            if (o.slug == "thp-radio") o.name.vi = hostile_name;
        core::database db(db_path());
        core::import_campaigns(db, {*shipped.value});
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
        const auto run = loa::scheduler::planner::run_planner(db, slug, {}, {std::nullopt, "test"});
        if (!run.ok()) throw std::runtime_error("the planner did not store a plan: " + run.error_detail);
        tv_ = placements(db, "thp-tv");
        radio_ = placements(db, "thp-radio");
        if (tv_.size() < 4 || radio_.empty()) throw std::runtime_error("too few placements");
        const auto added = loa::test::run_loa(
            server_.dir().path(), {"token", "add", "--db", db_path().string(), "--outlet", "thp-tv"});
        if (added.status != 0) throw std::runtime_error("loa token add failed: " + added.err);
        std::string out = added.out;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        token_ = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
    }

    ~AsRunTest() override {
        server_.process().signal(SIGTERM);
        EXPECT_EQ(server_.process().wait(std::chrono::seconds(10)), 0) << server_.process().stderr_text();
    }

    fs::path db_path() const { return server_.dir().file("loa.db"); }

    static std::vector<placement_row> placements(core::database& db, const std::string& outlet) {
        SQLite::Statement st(
            db.sql(),
            "SELECT p.id, p.start_utc, m.code FROM placements p JOIN outlets o ON o.id = p.outlet_id "
            "JOIN messages m ON m.id = p.message_id WHERE o.slug = ? ORDER BY p.start_utc, p.id");
        st.bind(1, outlet);
        std::vector<placement_row> out;
        while (st.executeStep())
            out.push_back(
                {st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getString()});
        return out;
    }

    std::string placement_state(std::int64_t id) {
        SQLite::Database db(db_path().string());
        SQLite::Statement st(db, "SELECT state FROM placements WHERE id = ?");
        st.bind(1, id);
        if (!st.executeStep()) return "none";
        return st.getColumn(0).getString();
    }

    http_reply send(const std::string& method, const std::string& target,
                    const std::vector<std::string>& headers, const std::string& body = {}) {
        http_connection c(server_.port());
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto& h : headers) req += h + "\r\n";
        if (method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n" + body;
        if (!c.send(req)) throw std::runtime_error("cannot send " + target);
        auto r = c.read_reply(method == "HEAD", std::chrono::seconds(20));
        if (!r) throw std::runtime_error("no reply to " + method + " " + target);
        return std::move(*r);
    }

    http_reply upload(const std::string& outlet, const std::string& query_token,
                      const std::string& content_type, const std::string& body,
                      std::vector<std::string> headers = {}) {
        std::string target = "/api/v1/outlets/" + outlet + "/as-run";
        if (!query_token.empty()) target += "?token=" + query_token;
        headers.push_back("Content-Type: " + content_type);
        return send("POST", target, headers, body);
    }

    http_reply page(const std::string& target, const std::string& lang) {
        return send("GET", target,
                    {"Accept: text/html", "Accept-Language: " + lang, "Cookie: " + viewer_.cookie});
    }

    // The CSV of the fixture: two good lines (aired with a Vietnamese note, missed with a hostile
    // one) and three bad ones (a time without offset, the radio's placement, aired 5 hours off).
    std::string mixed_csv() const {
        std::string b = "\xEF\xBB\xBFplacement,status,aired_at,note\r\n";
        b += std::to_string(tv_[0].id) + ",aired," + plus_seconds(tv_[0].start, 12) +
             ",\"Phát đúng giờ, đủ 30 giây\"\r\n";
        b += std::to_string(tv_[1].id) + ",missed,,\"Mất điện <script>alert(1)</script>\"\r\n";
        b += std::to_string(tv_[2].id) + ",aired,2024-07-29 19:00,\r\n";
        b += std::to_string(radio_[0].id) + ",missed,,\r\n";
        b += std::to_string(tv_[3].id) + ",aired," + plus_seconds(tv_[3].start, 5 * 3600) + ",\r\n";
        return b;
    }

    loa::test::served server_;
    login viewer_;
    std::vector<placement_row> tv_, radio_;
    std::string token_;
};

TEST_F(AsRunTest, MixedUploadKeepsTheGoodLinesAndNamesTheBadOnes) {
    ASSERT_TRUE(token_.starts_with("loa_ft_")) << token_;
    const auto r = upload("thp-tv", token_, "text/csv; charset=utf-8", mixed_csv());
    ASSERT_EQ(r.status, 200u) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(o.at("applied").as_int64(), 2);
    EXPECT_EQ(o.at("duplicates").as_int64(), 0);
    EXPECT_EQ(o.at("rejected").as_int64(), 3);
    const json::array& lines = o.at("lines").as_array();
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0].at("line").as_int64(), 2);
    EXPECT_EQ(lines[0].at("outcome").as_string(), "applied");
    EXPECT_EQ(lines[0].at("placement").as_int64(), tv_[0].id);
    EXPECT_TRUE(lines[0].at("reason").is_null());
    EXPECT_EQ(lines[1].at("outcome").as_string(), "applied");
    EXPECT_EQ(lines[2].at("outcome").as_string(), "rejected");
    EXPECT_EQ(lines[2].at("reason").as_string(),
              "line 4: aired_at: '2024-07-29 19:00' is not ISO 8601 with an offset (e.g. "
              "2024-07-29T19:00:00+07:00)");
    EXPECT_EQ(lines[3].at("line").as_int64(), 5);
    EXPECT_TRUE(
        contains(std::string(lines[3].at("reason").as_string()),
                 "line 5: placement " + std::to_string(radio_[0].id) + " is on another outlet's schedule"))
        << lines[3].at("reason").as_string();
    EXPECT_TRUE(contains(std::string(lines[4].at("reason").as_string()), "line 6: aired_at: ")) << lines[4];
    EXPECT_TRUE(contains(std::string(lines[4].at("reason").as_string()), "more than 2 hours")) << lines[4];
    EXPECT_EQ(placement_state(tv_[0].id), "aired");
    EXPECT_EQ(placement_state(tv_[1].id), "missed");
    EXPECT_NE(placement_state(tv_[2].id), "aired");
    EXPECT_NE(placement_state(radio_[0].id), "missed");

    // The same upload again: nothing new, the same lines refused.
    const auto again = upload("thp-tv", token_, "text/csv", mixed_csv());
    ASSERT_EQ(again.status, 200u) << again.body;
    const json::object a = json::parse(again.body).as_object();
    EXPECT_EQ(a.at("applied").as_int64(), 0);
    EXPECT_EQ(a.at("duplicates").as_int64(), 2);
    EXPECT_EQ(a.at("rejected").as_int64(), 3);
    SQLite::Database db(db_path().string());
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM as_run_lines").getInt(), 2);
    // The token's use is recorded.
    EXPECT_FALSE(db.execAndGet("SELECT last_used_at FROM feed_tokens").isNull());

    // JSON with the token as a Bearer header: a correction of the missed one (a later line wins).
    const std::string body = "{\"lines\": [{\"placement\": " + std::to_string(tv_[1].id) +
                             ", \"status\": \"partial\", \"aired_at\": \"" + plus_seconds(tv_[1].start, 40) +
                             "\", \"note\": \"Cắt 10 giây cuối\"}]}";
    const auto j = upload("thp-tv", "", "application/json", body, {"Authorization: Bearer " + token_});
    ASSERT_EQ(j.status, 200u) << j.body;
    EXPECT_EQ(json::parse(j.body).at("applied").as_int64(), 1);
    EXPECT_EQ(placement_state(tv_[1].id), "aired");
}

// A report in the Vietnamese Windows code page (what older radio automation writes): read with
// charset=windows-1258, its note stored as UTF-8 in NFC; without the charset the note's line is
// refused with the hint; a byte that is no character of the code page, or another charset, is
// refused as a whole.
TEST_F(AsRunTest, AWindows1258ReportIsReadWhenItSaysSo) {
    // "Đã phát đúng giờ" as iconv -t CP1258 writes it (tones as combining marks: a + 0xDE, ơ + 0xCC).
    const std::string note_1258 = "\xD0\x61\xDE ph\xE1t \xF0\xFAng gi\xF5\xCC";
    const std::string csv = "placement,status,aired_at,note\r\n" + std::to_string(tv_[0].id) + ",aired," +
                            plus_seconds(tv_[0].start, 3) + "," + note_1258 + "\r\n";

    auto r = upload("thp-tv", token_, "text/csv", csv);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto o = json::parse(r.body).as_object();
    EXPECT_EQ(o.at("applied").as_int64(), 0);
    EXPECT_TRUE(contains(std::string(o.at("lines").as_array()[0].at("reason").as_string()),
                         "note: not valid UTF-8 (a file in the Vietnamese Windows code page is read when sent with "
                         "charset=windows-1258"))
        << r.body;

    r = upload("thp-tv", token_, "text/csv; charset=\"Windows-1258\"", csv);
    ASSERT_EQ(r.status, 200u) << r.body;
    o = json::parse(r.body).as_object();
    EXPECT_EQ(o.at("applied").as_int64(), 1) << r.body;
    EXPECT_EQ(placement_state(tv_[0].id), "aired");
    SQLite::Database db(db_path().string());
    EXPECT_EQ(db.execAndGet("SELECT note FROM as_run_lines").getString(), "Đã phát đúng giờ");

    r = upload("thp-tv", token_, "text/csv; charset=windows-1258", csv + "\x81\r\n");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_TRUE(contains(r.body, "is not windows-1258: byte " + std::to_string(csv.size()) + " (0x81)")) << r.body;

    r = upload("thp-tv", token_, "text/csv; charset=iso-8859-1", csv);
    EXPECT_EQ(r.status, 415u) << r.body;
    EXPECT_TRUE(contains(r.body, "The charset 'iso-8859-1' is not read")) << r.body;
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM as_run_lines").getInt(), 1);
}

TEST_F(AsRunTest, OneNotFoundForUnknownOutletsAndBadOrRevokedTokens) {
    const std::string csv = "placement,status\n" + std::to_string(tv_[1].id) + ",missed\n";
    const auto unknown = upload("khong-co-dai-nay", token_, "text/csv", csv);
    const auto bad = upload("thp-tv", "loa_ft_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "text/csv", csv);
    const auto none = upload("thp-tv", "", "text/csv", csv);
    const auto other = upload("thp-radio", token_, "text/csv", csv);
    for (const auto* r : {&unknown, &bad, &none, &other}) {
        EXPECT_EQ(r->status, 404u) << r->body;
        EXPECT_EQ(r->body, unknown.body);
        EXPECT_EQ(r->header("content-type"), "application/problem+json");
    }
    // Bad content type and unreadable bodies are told apart only with a good token.
    EXPECT_EQ(upload("thp-tv", token_, "text/plain", csv).status, 415u);
    EXPECT_EQ(upload("thp-tv", "bad", "text/plain", csv).status, 404u);
    const auto not_json = upload("thp-tv", token_, "application/json", "{\"lines\": ");
    EXPECT_EQ(not_json.status, 400u) << not_json.body;
    EXPECT_EQ(upload("thp-tv", token_, "text/csv", "placement,trang_thai\n1,missed\n").status, 400u);
    EXPECT_EQ(placement_state(tv_[1].id), "planned");

    // A browser session cannot use the route without its CSRF token (and has no feed token anyway).
    const auto csrf =
        upload("thp-tv", token_, "text/csv", csv, {"Cookie: " + viewer_.cookie, "Accept: application/json"});
    EXPECT_EQ(csrf.status, 403u) << csrf.body;

    // Revoked: the same 404.
    std::int64_t id = 0;
    {
        SQLite::Database db(db_path().string());
        id = db.execAndGet("SELECT id FROM feed_tokens WHERE outlet_slug = 'thp-tv'").getInt64();
    }
    const auto revoked = loa::test::run_loa(
        server_.dir().path(), {"token", "revoke", "--db", db_path().string(), "--id", std::to_string(id)});
    ASSERT_EQ(revoked.status, 0) << revoked.err;
    const auto after = upload("thp-tv", token_, "text/csv", csv);
    EXPECT_EQ(after.status, 404u);
    EXPECT_EQ(after.body, unknown.body);
    EXPECT_EQ(placement_state(tv_[1].id), "planned");
}

TEST_F(AsRunTest, ADispatcherNoteIsLoasInThePagesLanguage) {
    // A placement the dispatcher marked missed (its delivery was past its grace period): the note
    // is loa's, in the page's language, not shown as the outlet's own words.
    {
        SQLite::Database db(db_path().string(), SQLite::OPEN_READWRITE);
        SQLite::Statement st(db, "UPDATE placements SET state = 'missed', "
                                 "note = 'not delivered to thp-tv-tu-dong within its grace period' WHERE id = ?");
        st.bind(1, tv_[3].id);
        ASSERT_EQ(st.exec(), 1);
    }
    const auto vi = page(std::string("/campaigns/") + slug + "/compliance?outlet=thp-tv", "vi");
    ASSERT_EQ(vi.status, 200u);
    EXPECT_TRUE(contains(vi.body, "Phần mềm loa: không gửi được tới thp-tv-tu-dong trong thời gian cho phép"));
    EXPECT_FALSE(contains(vi.body, "not delivered to"));
    EXPECT_TRUE(contains(vi.body, "<th scope=\"col\">Ghi chú</th>"));
    const auto en = page(std::string("/campaigns/") + slug + "/compliance?outlet=thp-tv", "en");
    EXPECT_TRUE(contains(en.body, "dispatcher: not delivered to thp-tv-tu-dong within its grace period")) << en.body;
}

TEST_F(AsRunTest, CompliancePageAndCsvShowTheResult) {
    ASSERT_EQ(upload("thp-tv", token_, "text/csv", mixed_csv()).status, 200u);

    const auto vi = page(std::string("/campaigns/") + slug + "/compliance?outlet=thp-tv", "vi");
    ASSERT_EQ(vi.status, 200u) << vi.body;
    EXPECT_TRUE(contains(vi.body, "Tình hình phát sóng"));
    EXPECT_TRUE(contains(vi.body, "<dd data-count=\"aired\">1</dd>")) << vi.body;
    EXPECT_TRUE(contains(vi.body, "<dd data-count=\"missed\">1 "));
    EXPECT_TRUE(contains(vi.body, "id=\"compliance-missed-" + std::to_string(tv_[1].id) + "\""));
    EXPECT_TRUE(contains(vi.body, "Sẽ được đề xuất ở lần lập kế hoạch tiếp theo"));
    EXPECT_TRUE(contains(vi.body, "Mất điện &lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_FALSE(contains(vi.body, "<script>alert(1)"));
    EXPECT_FALSE(contains(vi.body, "id=\"compliance-thp-radio\""));  // filtered to the TV
    // The prime-time share names its base: the prime-time placements due so far, not all of them.
    EXPECT_TRUE(contains(vi.body, " lượt đã đến giờ)</span></dd>")) << vi.body;
    // Percentages as every page writes them ("62,5%", no space), or "—" when nothing is due yet.
    std::size_t percents = 0;
    for (std::size_t at = vi.body.find("data-count=\"prime_percent\">"); at != std::string::npos;
         at = vi.body.find("data-count=\"prime_percent\">", at + 1)) {
        const std::size_t from = vi.body.find('>', at) + 1;
        const std::string shown = vi.body.substr(from, vi.body.find_first_of(" <", from) - from);
        EXPECT_TRUE(shown == "—" || (shown.size() > 1 && shown.back() == '%')) << shown;
        ++percents;
    }
    EXPECT_GE(percents, 2U);  // the summary and at least one day

    const auto all = page(std::string("/campaigns/") + slug + "/compliance", "en");
    ASSERT_EQ(all.status, 200u);
    EXPECT_TRUE(contains(all.body, "<h1>Compliance</h1>"));
    EXPECT_TRUE(contains(all.body, "Proposed at the next plan run"));
    EXPECT_TRUE(contains(all.body, "id=\"compliance-thp-radio\""));
    const auto vi_all = page(std::string("/campaigns/") + slug + "/compliance", "vi");
    EXPECT_TRUE(contains(vi_all.body, "=HYPERLINK(&quot;http://x.example&quot;) &lt;b&gt;Đài&lt;/b&gt;"))
        << vi_all.body.size();
    EXPECT_FALSE(contains(vi_all.body, "<b>Đài</b>"));

    // A bad filter: 400 with the field named, in the page's language.
    const auto bad = page(std::string("/campaigns/") + slug + "/compliance?from=29.07.2024", "vi");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_TRUE(contains(bad.body, "Hãy nhập một ngày đầu có thật, ví dụ 30/07/2024 hoặc 2024-07-30."));
    EXPECT_EQ(page(std::string("/campaigns/khong-co/compliance"), "vi").status, 404u);
    EXPECT_EQ(send("GET", std::string("/campaigns/") + slug + "/compliance", {"Accept: text/html"}).status,
              303u);

    // The CSV: BOM, attachment, a row per outlet and day, the formula cell guarded.
    const auto csv = page(std::string("/campaigns/") + slug + "/compliance.csv", "vi");
    ASSERT_EQ(csv.status, 200u);
    EXPECT_TRUE(contains(csv.header("content-type").value_or(""), "text/csv"));
    EXPECT_TRUE(contains(csv.header("content-disposition").value_or(""),
                         "attachment; filename=\"compliance-" + std::string(slug)));
    ASSERT_TRUE(
        csv.body.starts_with("\xEF\xBB\xBF"
                             "campaign,outlet,outlet_name,time_zone,date,planned,aired,"));
    EXPECT_TRUE(contains(
        csv.body, ",thp-radio,\"'=HYPERLINK(\"\"http://x.example\"\") <b>Đài</b>\",Asia/Ho_Chi_Minh,"));
    // The TV's totals over its rows: one aired, one missed.
    int aired = 0, missed = 0;
    std::istringstream lines(csv.body);
    std::string line;
    while (std::getline(lines, line)) {
        if (!contains(line, std::string(slug) + ",thp-tv,")) continue;
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream cs(line);
        while (std::getline(cs, cell, ',')) cells.push_back(cell);
        ASSERT_GE(cells.size(), 9u) << line;
        aired += std::stoi(cells[6]);
        missed += std::stoi(cells[8]);
    }
    EXPECT_EQ(aired, 1);
    EXPECT_EQ(missed, 1);

    // The planner's next run proposes a make-good for the missed placement; the page shows it.
    {
        core::database db(db_path());
        const auto run = loa::scheduler::planner::run_planner(db, slug, {}, {std::nullopt, "test"});
        ASSERT_TRUE(run.ok()) << run.error_detail;
    }
    const auto later = page(std::string("/campaigns/") + slug + "/compliance?outlet=thp-tv", "en");
    ASSERT_EQ(later.status, 200u);
    const auto row = later.body.find("id=\"compliance-missed-" + std::to_string(tv_[1].id) + "\"");
    ASSERT_NE(row, std::string::npos);
    const std::string cell = later.body.substr(row, later.body.find("</tr>", row) - row);
    EXPECT_TRUE(contains(cell, "Placement ")) << cell;
    EXPECT_FALSE(contains(cell, "Proposed at the next plan run")) << cell;
}

TEST_F(AsRunTest, BodyAboveTheServersLimitIs413) {
    http_connection c(server_.port());
    ASSERT_TRUE(c.send("POST /api/v1/outlets/thp-tv/as-run?token=" + token_ +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                       "Content-Length: 2000000\r\n\r\nplacement,status\r\n"));
    const auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413u);
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
}

}  // namespace as_run_test_cpp
}  // namespace
