// The planner service: the JSON promised to users (shape, ISO 8601 starts with the outlet's offset,
// numbers without exponents, the summary), the table's columns with Vietnamese text, and
// run_planner on a real SQLite file (errors, dry run, stored run, rehearsal, frozen placements).
#include "scheduler/planner/service.hpp"

#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <SQLiteCpp/Database.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/plan_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace service_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace core = loa::core;
using namespace loa::scheduler::planner;
using namespace date::literals;
using namespace std::chrono_literals;

using loa::testing::temp_dir;

instant utc(date::year_month_day d, std::chrono::seconds tod = 0s) {
    return date::sys_days{d} + tod;
}

core::campaign small_campaign() {
    core::campaign c;
    c.slug = "haiphong-2024";
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / 7 / 1;
    c.period_end = 2024_y / 7 / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.key_dates = {{2024_y / 7 / 30, {"Ngày toàn dân phòng, chống mua bán người", ""}, 3.0}};
    c.departments = {{"truyen-thong", {"Sở Thông tin và Truyền thông", ""}, {}},
                     {"giao-duc", {"Sở Giáo dục và Đào tạo", ""}, {}}};
    core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Truyền hình Hải Phòng", ""};
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.languages = {"vi"};
    tv.lead_time_hours = 24;
    tv.dayparts = {{"day", {"Ban ngày", "Daytime"}, 0x7f, 11h, 13h, 2.5},
                   {"prime", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 10.0}};
    tv.break_clock = {{15, std::nullopt, 60, {}}};
    core::outlet berlin = tv;
    berlin.slug = "radio-viet-berlin";
    berlin.name = {"Đài phát thanh cộng đồng người Việt Berlin", ""};
    berlin.kind = "radio";
    berlin.time_zone = "Europe/Berlin";
    berlin.lead_time_hours = 48;
    c.outlets = {tv, berlin};
    core::message spot;
    spot.id = "goi-111";
    spot.department = "truyen-thong";
    spot.text = {"Hãy gọi 111 khi thấy dấu hiệu mua bán người.", ""};
    spot.channels = {"tv", "radio"};
    spot.duration_s = 30;
    spot.priority = 8;
    spot.flight_start = 2024_y / 7 / 29;
    spot.flight_end = 2024_y / 7 / 30;
    spot.airings = 4;
    spot.state = "approved";
    core::message school = spot;
    school.id = "thông-điệp-trường-học";  // codes are ASCII in files; the table must not assume it
    school.department = "giao-duc";
    school.channels = {"tv"};
    school.priority = 5;
    school.airings = 2;
    core::message sms = spot;
    sms.id = "tin-nhan";
    sms.channels = {"sms"};
    sms.airings = 1;
    c.messages = {spot, school, sms};
    return c;
}

int slot_index(const instance& in, int outlet, instant t) {
    for (std::size_t i = 0; i < in.slots.size(); ++i) {
        if (in.slots[i].outlet == outlet && in.slots[i].start == t) return static_cast<int>(i);
    }
    return -1;
}

// A plan made by hand (the service does not care who made it).
run_result hand_made() {
    run_result r;
    r.campaign = small_campaign();
    r.range = {2024_y / 7 / 29, 2024_y / 7 / 30};
    r.as_of = utc(2024_y / 7 / 20);
    r.inst = build_instance(r.campaign, {}, r.as_of, r.range);
    auto place = [&](int line, int outlet, instant t) {
        placement p;
        p.line = line;
        p.outlet = outlet;
        p.slot = slot_index(r.inst, outlet, t);
        EXPECT_GE(p.slot, 0);
        p.start = t;
        p.duration_s = 30;
        r.result.placements.push_back(p);
        r.result.objective_micro += value_micro(r.inst, r.inst.lines[static_cast<std::size_t>(line)],
                                                r.inst.slots[static_cast<std::size_t>(p.slot)]);
    };
    place(0, 0, utc(2024_y / 7 / 30, 12h + 15min));  // 19:15 in Hai Phong on the key date: 8 × 10 × 3
    place(0, 0, utc(2024_y / 7 / 29, 5h + 15min));   // 12:15 in Hai Phong: 8 × 2.5 × 1 (not prime)
    place(0, 1, utc(2024_y / 7 / 30, 17h + 15min));  // 19:15 in Berlin (CEST): 8 × 10 × 3
    place(1, 0, utc(2024_y / 7 / 30, 13h + 15min));  // 20:15 in Hai Phong: 5 × 10 × 3
    r.result.bound_micro = r.result.objective_micro + 12'345'678;
    unplaced_airings u;
    u.line = 0;
    u.outlet = 1;
    u.airings = 1;
    u.code = reason_code::capacity;
    u.reason = "the breaks of radio-viet-berlin on 2024-07-29 in prime were taken by thông-điệp-trường-học";
    u.date = date::sys_days{2024_y / 7 / 29};
    u.daypart = 1;
    u.blockers = {1};
    r.result.unplaced.push_back(u);
    unplaced_airings none;
    none.line = 2;
    none.outlet = -1;
    none.airings = 1;
    none.code = reason_code::no_eligible_outlet;
    none.reason = "no outlet carries its channels (sms)";
    r.result.unplaced.push_back(none);
    r.notes = {"Một ghi chú bằng tiếng Việt."};
    return r;
}

TEST(plan_service, json_has_the_promised_shape) {
    const run_result r = hand_made();
    const std::string text = plan_json(r);
    // Boost.JSON would spell 240.0 as 2.4E2; the plan's numbers are plain decimals.
    EXPECT_EQ(text.find("E0"), std::string::npos) << text;
    EXPECT_EQ(text.find("E1"), std::string::npos) << text;
    EXPECT_EQ(text.find("E2"), std::string::npos) << text;
    const json::object doc = json::parse(text).as_object();

    EXPECT_EQ(doc.at("campaign").as_string(), "haiphong-2024");
    EXPECT_EQ(doc.at("as_of").as_string(), "2024-07-20T00:00:00Z");
    EXPECT_EQ(doc.at("from").as_string(), "2024-07-29");
    EXPECT_EQ(doc.at("to").as_string(), "2024-07-30");
    // 240 + 20 + 240 + 150
    EXPECT_DOUBLE_EQ(doc.at("objective").to_number<double>(), 650.0);
    EXPECT_NE(text.find(R"("objective":650,)"), std::string::npos) << text;
    EXPECT_DOUBLE_EQ(doc.at("bound").to_number<double>(), 662.345678);
    EXPECT_NE(text.find(R"("bound":662.345678,)"), std::string::npos);
    EXPECT_NEAR(doc.at("gap").to_number<double>(), 12.345678 / 662.345678, 1e-6);

    const auto& placements = doc.at("placements").as_array();
    ASSERT_EQ(placements.size(), 4u);
    const auto& first = placements[0].as_object();
    EXPECT_FALSE(first.contains("id"));
    EXPECT_EQ(first.at("message").as_string(), "goi-111");
    EXPECT_EQ(first.at("outlet").as_string(), "thp-tv");
    EXPECT_EQ(first.at("start").as_string(), "2024-07-30T19:15:00+07:00");
    EXPECT_EQ(first.at("duration_s").as_int64(), 30);
    EXPECT_EQ(first.at("daypart").as_string(), "prime");
    EXPECT_DOUBLE_EQ(first.at("weight").to_number<double>(), 30.0);
    EXPECT_DOUBLE_EQ(first.at("value").to_number<double>(), 240.0);
    EXPECT_TRUE(first.at("prime").as_bool());
    EXPECT_FALSE(first.at("frozen").as_bool());
    EXPECT_EQ(first.at("state").as_string(), "planned");
    EXPECT_FALSE(first.contains("make_good_of"));
    const auto& midday = placements[1].as_object();
    EXPECT_EQ(midday.at("start").as_string(), "2024-07-29T12:15:00+07:00");
    EXPECT_EQ(midday.at("daypart").as_string(), "day");
    EXPECT_DOUBLE_EQ(midday.at("weight").to_number<double>(), 2.5);
    EXPECT_NE(text.find(R"("weight":2.5,)"), std::string::npos);
    EXPECT_FALSE(midday.at("prime").as_bool());
    // Berlin's placement in Berlin's summer offset.
    EXPECT_EQ(placements[2].as_object().at("start").as_string(), "2024-07-30T19:15:00+02:00");

    const auto& unplaced = doc.at("unplaced").as_array();
    ASSERT_EQ(unplaced.size(), 2u);
    const auto& cap = unplaced[0].as_object();
    EXPECT_EQ(cap.at("message").as_string(), "goi-111");
    EXPECT_EQ(cap.at("outlet").as_string(), "radio-viet-berlin");
    EXPECT_EQ(cap.at("airings").as_int64(), 1);
    EXPECT_EQ(cap.at("code").as_string(), "capacity");
    EXPECT_EQ(cap.at("date").as_string(), "2024-07-29");
    EXPECT_EQ(cap.at("daypart").as_string(), "prime");
    ASSERT_EQ(cap.at("blockers").as_array().size(), 1u);
    EXPECT_EQ(cap.at("blockers").as_array()[0].as_string(), "thông-điệp-trường-học");
    EXPECT_NE(std::string(cap.at("reason").as_string()).find("thông-điệp-trường-học"), std::string::npos);
    const auto& sms = unplaced[1].as_object();
    EXPECT_TRUE(sms.at("outlet").is_null());
    EXPECT_FALSE(sms.contains("date"));
    EXPECT_FALSE(sms.contains("daypart"));
    EXPECT_EQ(sms.at("code").as_string(), "no_eligible_outlet");
    EXPECT_TRUE(sms.at("blockers").as_array().empty());

    const auto& summary = doc.at("summary").as_object();
    EXPECT_EQ(summary.at("placed").as_int64(), 4);
    EXPECT_EQ(summary.at("wanted").as_int64(), 4 + 2 + 1);
    EXPECT_EQ(summary.at("prime").as_int64(), 3);
    // Weighted by priority: (8 + 8 + 5) of (8 + 8 + 8 + 5).
    EXPECT_DOUBLE_EQ(summary.at("prime_share").to_number<double>(), 0.724138);  // 21 / 29, to six places (as the CLI and the page both round it)
    const auto& departments = summary.at("departments").as_array();
    ASSERT_EQ(departments.size(), 2u);
    EXPECT_EQ(departments[0].as_object().at("department").as_string(), "truyen-thong");
    EXPECT_EQ(departments[0].as_object().at("placed").as_int64(), 3);
    EXPECT_EQ(departments[0].as_object().at("wanted").as_int64(), 5);
    EXPECT_EQ(departments[1].as_object().at("placed").as_int64(), 1);
    EXPECT_EQ(departments[1].as_object().at("wanted").as_int64(), 2);
    const auto& outlets = summary.at("outlets").as_array();
    ASSERT_EQ(outlets.size(), 2u);
    EXPECT_EQ(outlets[0].as_object().at("outlet").as_string(), "thp-tv");
    EXPECT_EQ(outlets[0].as_object().at("placed").as_int64(), 3);
    EXPECT_EQ(outlets[0].as_object().at("wanted").as_int64(), 3);
    EXPECT_EQ(outlets[0].as_object().at("prime").as_int64(), 2);
    EXPECT_EQ(outlets[1].as_object().at("placed").as_int64(), 1);
    // goi-111 may air on either outlet: its unplaced airing is wanted of neither in particular,
    // though its reason names Berlin's breaks as the example.
    EXPECT_EQ(outlets[1].as_object().at("wanted").as_int64(), 1);
    EXPECT_EQ(summary.at("wanted_any_outlet").as_int64(), 1);

    ASSERT_EQ(doc.at("notes").as_array().size(), 1u);
    EXPECT_EQ(doc.at("notes").as_array()[0].as_string(), "Một ghi chú bằng tiếng Việt.");
    EXPECT_FALSE(doc.contains("run_id"));

    run_result stored = r;
    stored.run_id = 7;
    EXPECT_EQ(json::parse(plan_json(stored)).as_object().at("run_id").as_int64(), 7);
}

// An approved message left at 0 airings (the message form's default) is neither placed nor
// unplaced: the JSON and the table name it, so that it is not missing without a word.
TEST(plan_service, approved_messages_asking_for_no_airings_are_named) {
    run_result r = hand_made();
    EXPECT_TRUE(json::parse(plan_json(r)).as_object().at("asking_none").as_array().empty());
    EXPECT_EQ(plan_table(r).find("asking for no airings"), std::string::npos);

    r.inst.lines[1].airings = 0;  // thông-điệp-trường-học, approved
    r.inst.lines[2].airings = 0;  // tin-nhan, approved too
    r.inst.lines[2].approved = false;  // … but not any more: not listed
    const auto none = json::parse(plan_json(r)).as_object().at("asking_none").as_array();
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0].as_string(), "thông-điệp-trường-học");
    const std::string table = plan_table(r);
    const auto at = table.find("Approved messages asking for no airings");
    ASSERT_NE(at, std::string::npos) << table;
    EXPECT_NE(table.find("\n  thông-điệp-trường-học\n", at), std::string::npos) << table;

    // A line that asks per day or per week asks for something.
    r.inst.lines[1].per_week = 2;
    EXPECT_TRUE(json::parse(plan_json(r)).as_object().at("asking_none").as_array().empty());
}

// Column where `needle` starts in `line`, counted in code points.
std::size_t column_of(const std::string& line, const std::string& needle) {
    const auto pos = line.find(needle);
    if (pos == std::string::npos) return std::string::npos;
    std::size_t n = 0;
    for (std::size_t i = 0; i < pos; ++i) {
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
}

TEST(plan_service, table_columns_line_up_in_code_points) {
    const std::string table = plan_table(hand_made());
    std::istringstream in(table);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);

    // The header names the objective, bound and gap.
    EXPECT_NE(table.find("Objective 650, bound 662.35, gap 1.86 %"), std::string::npos) << table;
    EXPECT_NE(table.find("Placed 4 of 7 airings wanted"), std::string::npos) << table;
    EXPECT_NE(table.find("(not placed, any of several)       -       1      -"), std::string::npos) << table;
    EXPECT_NE(table.find("prime-time share 72.4 %"), std::string::npos) << table;
    EXPECT_NE(table.find("Note: Một ghi chú bằng tiếng Việt."), std::string::npos);

    // 30 July on thp-tv: the Vietnamese code and the ASCII one put "30 s" in the same column.
    std::size_t ascii = std::string::npos;
    std::size_t vietnamese = std::string::npos;
    for (const auto& l : lines) {
        if (l.find("19:15") != std::string::npos && l.find("goi-111") != std::string::npos &&
            ascii == std::string::npos)
            ascii = column_of(l, "30 s");
        if (l.find("20:15") != std::string::npos && l.find("thông-điệp-trường-học") != std::string::npos)
            vietnamese = column_of(l, "30 s");
    }
    ASSERT_NE(ascii, std::string::npos) << table;
    EXPECT_EQ(ascii, vietnamese) << table;

    // The unplaced table: the reason column starts at one column on every row.
    std::vector<std::size_t> reasons;
    for (const auto& l : lines) {
        if (l.find("goi-111") != std::string::npos && l.find("the breaks of") != std::string::npos)
            reasons.push_back(column_of(l, "the breaks of"));
        if (l.find("tin-nhan") != std::string::npos) reasons.push_back(column_of(l, "no outlet"));
    }
    ASSERT_EQ(reasons.size(), 2u) << table;
    EXPECT_EQ(reasons[0], reasons[1]) << table;
    for (const auto& l : lines) EXPECT_TRUE(l.empty() || l.back() != ' ') << "trailing spaces: '" << l << "'";
}

class plan_service_db : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        core::import_campaigns(*db_, {small_campaign()});
    }
    temp_dir dir_;
    std::optional<core::database> db_;
    core::audit_actor cli_{std::nullopt, "cli"};
};

TEST_F(plan_service_db, unknown_campaign_and_bad_ranges) {
    run_options opt;
    auto r = run_planner(*db_, "khong-co", opt, cli_);
    EXPECT_EQ(r.error, run_errc::unknown_campaign);
    EXPECT_NE(r.error_detail.find("khong-co"), std::string::npos);

    opt.from = 2024_y / 7 / 31;
    opt.to = 2024_y / 7 / 1;
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    EXPECT_EQ(r.error, run_errc::bad_range);
    EXPECT_NE(r.error_detail.find("2024-07-31"), std::string::npos) << r.error_detail;

    // --from alone after the default last date (the flights end on 30 July).
    opt.to.reset();
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    EXPECT_EQ(r.error, run_errc::bad_range);

    opt.from = 2020_y / 1 / 1;
    opt.to = 2024_y / 12 / 31;
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    EXPECT_EQ(r.error, run_errc::bad_range);
    EXPECT_NE(r.error_detail.find("days"), std::string::npos);
    EXPECT_TRUE(core::list_plan_runs(*db_, "haiphong-2024").empty());
}

TEST_F(plan_service_db, the_callers_clock_is_now_and_no_rehearsal) {
    // The server's clock in a rehearsal (loa serve --as-of): the evening before the first day. The
    // run plans from it, not from the system clock (long after the campaign: a rehearsal).
    run_options opt;
    opt.dry_run = true;
    opt.now = utc(2024_y / 7 / 28, 11h);
    auto r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_EQ(r.as_of, utc(2024_y / 7 / 28, 11h));
    EXPECT_TRUE(r.notes.empty());
    for (const auto& p : r.result.placements) EXPECT_GT(p.start, *opt.now);
    // A named as-of wins over the clock.
    opt.as_of = utc(2024_y / 7 / 20, 1h);
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_EQ(r.as_of, utc(2024_y / 7 / 20, 1h));
    // The clock past the dates planned: the rehearsal, as without a clock.
    opt.as_of.reset();
    opt.now = utc(2024_y / 8 / 15, 0h);
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_EQ(r.as_of, utc(2024_y / 7 / 28, 17h) - 48h);
    EXPECT_EQ(r.notes.size(), 1u);
}

TEST_F(plan_service_db, a_past_range_of_a_running_campaign_is_planned_from_now) {
    // Stored as of three days before the flights (29–30 July; the longest lead time is 48 h), then
    // planned again at noon on 31 July: the flights are over but the campaign runs to the end of the
    // day. Not a rehearsal as of before 29 July, which would move airings already due and add ones in
    // the past: every airing is kept where it is, frozen, and none is added.
    run_options opt;
    opt.now = utc(2024_y / 7 / 26, 11h);
    auto r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    const auto stored = core::load_placements(*db_, "haiphong-2024");
    ASSERT_FALSE(stored.empty());

    opt.now = utc(2024_y / 7 / 31, 5h);
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_EQ(r.as_of, *opt.now);
    for (const auto& n : r.notes) EXPECT_FALSE(is_rehearsal_note(n)) << n;
    EXPECT_EQ(r.result.placements.size(), stored.size());
    for (const auto& p : r.result.placements) EXPECT_TRUE(p.frozen) << p.line << " " << p.slot;
    const auto again = core::load_placements(*db_, "haiphong-2024");
    ASSERT_EQ(again.size(), stored.size());
    for (std::size_t i = 0; i < stored.size(); ++i) {
        EXPECT_EQ(again[i].id, stored[i].id);
        EXPECT_EQ(again[i].start, stored[i].start);
        EXPECT_EQ(again[i].state, stored[i].state);
    }

    // Once the campaign's period is over as well, the same run is a rehearsal again.
    opt.now = utc(2024_y / 8 / 1, 0h);
    opt.dry_run = true;
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    ASSERT_FALSE(r.notes.empty());
    EXPECT_TRUE(is_rehearsal_note(r.notes[0])) << r.notes[0];
}

TEST_F(plan_service_db, dry_run_stored_run_rehearsal_and_frozen_placements) {
    // No --as-of and a campaign long over: a rehearsal as of the first day (29 July, the approved
    // flights) at Hai Phong midnight minus the longest lead time (48 h).
    run_options opt;
    opt.dry_run = true;
    auto r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_EQ(r.as_of, utc(2024_y / 7 / 28, 17h) - 48h);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("rehearsal"), std::string::npos);
    EXPECT_FALSE(r.run_id.has_value());
    EXPECT_FALSE(r.result.placements.empty());
    EXPECT_TRUE(validate(r.inst, r.result).empty());
    EXPECT_TRUE(core::load_placements(*db_, "haiphong-2024").empty());
    EXPECT_TRUE(core::list_plan_runs(*db_, "haiphong-2024").empty());

    opt.dry_run = false;
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    ASSERT_TRUE(r.run_id.has_value());
    const auto stored = core::load_placements(*db_, "haiphong-2024");
    EXPECT_EQ(stored.size(), r.result.placements.size());
    const auto run = core::latest_plan_run(*db_, "haiphong-2024");
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->id, *r.run_id);
    EXPECT_EQ(run->actor, "cli");
    EXPECT_EQ(run->range_from, "2024-07-29");
    EXPECT_EQ(run->range_to, "2024-07-30");
    EXPECT_EQ(run->as_of, "2024-07-26T17:00:00Z");
    EXPECT_EQ(run->wanted, 7);
    EXPECT_DOUBLE_EQ(run->objective, r.result.objective());
    EXPECT_EQ(json::parse(run->report_json).as_object().at("placements").as_array().size(), stored.size());

    // Published placements are frozen: a second run keeps every one of them, unchanged.
    for (const auto& p : stored) {
        ASSERT_TRUE(
            core::set_placement_state(*db_, "haiphong-2024", p.id, "published", std::nullopt, "", cli_));
    }
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    int frozen = 0;
    for (const auto& p : r.result.placements) frozen += p.frozen ? 1 : 0;
    EXPECT_EQ(frozen, static_cast<int>(stored.size()));
    const auto again = core::load_placements(*db_, "haiphong-2024");
    for (const auto& p : stored) {
        EXPECT_TRUE(std::any_of(again.begin(), again.end(), [&](const auto& q) {
            return q.id == p.id && q.start == p.start && q.state == "published";
        }));
    }

    // Planning one day of the two: the other day's placements are kept, and shown and summed with
    // the daypart, weight and value stored with them (not as "-", ×0), so the prime-time figures
    // count the same placements as "placed".
    run_options one_day = opt;
    one_day.dry_run = true;
    one_day.from = 2024_y / 7 / 29;
    one_day.to = 2024_y / 7 / 29;
    const auto part = run_planner(*db_, "haiphong-2024", one_day, cli_);
    ASSERT_TRUE(part.ok()) << part.error_detail;
    ASSERT_EQ(part.notes.size(), 2u) << ::testing::PrintToString(part.notes);
    EXPECT_NE(part.notes[1].find("placement(s) kept outside them are listed and counted with the daypart"),
              std::string::npos)
        << part.notes[1];
    // Both notes read back by the planner's own definitions (what the page says in Vietnamese).
    EXPECT_TRUE(is_rehearsal_note(part.notes[0])) << part.notes[0];
    const auto kept = read_kept_outside_note(part.notes[1]);
    ASSERT_TRUE(kept) << part.notes[1];
    EXPECT_EQ(kept->from, "2024-07-29");
    EXPECT_EQ(kept->to, "2024-07-29");
    EXPECT_GT(kept->count, 0);
    const json::object whole = json::parse(plan_json(r)).as_object();
    const json::object narrow = json::parse(plan_json(part)).as_object();
    const auto& placements = narrow.at("placements").as_array();
    ASSERT_EQ(placements.size(), stored.size());
    double sum = 0;
    for (const auto& v : placements) {
        const auto& pl = v.as_object();
        EXPECT_TRUE(pl.at("daypart").is_string()) << boost::json::serialize(pl);
        EXPECT_GT(pl.at("weight").to_number<double>(), 0) << boost::json::serialize(pl);
        sum += pl.at("value").to_number<double>();
    }
    EXPECT_NEAR(sum, whole.at("objective").to_number<double>(), 1e-6);
    EXPECT_EQ(narrow.at("summary").as_object().at("prime_share"), whole.at("summary").as_object().at("prime_share"));

    // A frozen placement inside the dates planned whose break is gone (moved by hand to 7 minutes
    // past its break) is not "kept outside them": no note, no stored daypart lent to it.
    db_->sql().exec("UPDATE placements SET start_utc = strftime('%Y-%m-%dT%H:%M:%SZ', start_utc, '+7 minutes') "
                    "WHERE id = " + std::to_string(stored.front().id));
    run_options full = opt;
    full.dry_run = true;
    const auto moved = run_planner(*db_, "haiphong-2024", full, cli_);
    ASSERT_TRUE(moved.ok()) << moved.error_detail;
    EXPECT_EQ(moved.notes.size(), 1u) << ::testing::PrintToString(moved.notes);
    bool found = false;
    const json::value moved_json = json::parse(plan_json(moved));  // (named: the loop reads into it)
    for (const auto& v : moved_json.as_object().at("placements").as_array()) {
        if (v.as_object().at("id").as_int64() != stored.front().id) continue;
        found = true;
        EXPECT_TRUE(v.as_object().at("daypart").is_null()) << boost::json::serialize(v);
    }
    EXPECT_TRUE(found);
}

// A message's airings cut after its placements were stored: a run over part of its dates keeps the
// others (it never changes what lies outside the dates planned), so it stays placed more than it
// wants now. The JSON's over_wanted and the table say so; planning all its dates drops the surplus.
TEST_F(plan_service_db, a_message_placed_more_than_it_wants_now_is_named) {
    run_options opt;
    opt.as_of = utc(2024_y / 7 / 20, 0h);
    ASSERT_TRUE(run_planner(*db_, "haiphong-2024", opt, cli_).ok());
    auto cut = small_campaign();
    for (auto& m : cut.messages) {
        if (m.id == "goi-111") m.airings = 1;
    }
    core::import_campaigns(*db_, {cut});
    // Planning its first day keeps what it has on the last (of its 4 airings, 3 are on 30 July).
    opt.dry_run = true;
    opt.from = opt.to = 2024_y / 7 / 29;
    const auto part = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(part.ok()) << part.error_detail;
    const json::object o = json::parse(plan_json(part)).as_object();
    long long placed = 0;
    for (const auto& v : o.at("placements").as_array()) placed += v.as_object().at("message") == "goi-111" ? 1 : 0;
    ASSERT_GE(placed, 2) << "the last day should keep more than the 1 airing it wants now";
    const auto& over = o.at("over_wanted").as_array();
    ASSERT_EQ(over.size(), 1u) << json::serialize(o.at("over_wanted"));
    EXPECT_EQ(over[0].as_object().at("message").as_string(), "goi-111");
    EXPECT_EQ(over[0].as_object().at("placed").to_number<long long>(), placed);
    EXPECT_EQ(over[0].as_object().at("wanted").to_number<long long>(), 1);
    EXPECT_NE(plan_table(part).find("Note: goi-111 is placed " + std::to_string(placed) +
                                    " times, more than the 1 it wants now"),
              std::string::npos)
        << plan_table(part);
    // All its dates: the planned ones beyond what it wants are dropped.
    opt.from.reset();
    opt.to.reset();
    const auto whole = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(whole.ok()) << whole.error_detail;
    EXPECT_TRUE(json::parse(plan_json(whole)).as_object().at("over_wanted").as_array().empty());
}

// The server's way (plans made off the db thread): what changed between prepare_run and
// store_prepared decides. A write that leaves the campaign and its placements as they were
// (another campaign imported) stores the plan; a placement published meanwhile, or a message
// changed, stores nothing and says so; run_planner prepares again and stores.
TEST_F(plan_service_db, a_plan_is_stored_only_while_what_it_read_still_holds) {
    run_options opt;
    opt.as_of = utc(2024_y / 7 / 20);
    auto r = prepare_run(*db_, "haiphong-2024", opt);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    core::campaign other = small_campaign();
    other.slug = "quang-ninh-2024";
    core::import_campaigns(*db_, {other});  // a write, but not to this campaign
    plan_prepared(r);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    store_prepared(*db_, r, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    ASSERT_TRUE(r.run_id.has_value());
    auto stored = core::load_placements(*db_, "haiphong-2024");
    ASSERT_FALSE(stored.empty());
    const auto runs_before = core::list_plan_runs(*db_, "haiphong-2024").size();

    // A placement published while the next plan is being made: that plan is not stored.
    r = prepare_run(*db_, "haiphong-2024", opt);
    plan_prepared(r);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(core::set_placement_state(*db_, "haiphong-2024", stored.front().id, "published", std::nullopt, "",
                                          cli_));
    store_prepared(*db_, r, cli_);
    EXPECT_EQ(r.error, run_errc::changed);
    EXPECT_NE(r.error_detail.find("changed while it was being planned"), std::string::npos) << r.error_detail;
    EXPECT_FALSE(r.run_id.has_value());
    EXPECT_EQ(core::list_plan_runs(*db_, "haiphong-2024").size(), runs_before);
    const auto after = core::load_placements(*db_, "haiphong-2024");
    EXPECT_EQ(after.size(), stored.size());
    EXPECT_EQ(after.front().state, "published");

    // A message changed (from its campaign file) meanwhile: not stored either.
    r = prepare_run(*db_, "haiphong-2024", opt);
    plan_prepared(r);
    core::campaign changed = small_campaign();
    changed.messages[0].priority = 9;
    core::import_campaigns(*db_, {changed});
    store_prepared(*db_, r, cli_);
    EXPECT_EQ(r.error, run_errc::changed);
    EXPECT_EQ(core::list_plan_runs(*db_, "haiphong-2024").size(), runs_before);

    // run_planner prepares, plans and stores in one go: the published placement is kept.
    r = run_planner(*db_, "haiphong-2024", opt, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    ASSERT_TRUE(r.run_id.has_value());
    EXPECT_EQ(core::list_plan_runs(*db_, "haiphong-2024").size(), runs_before + 1);
    bool kept = false;
    for (const auto& p : core::load_placements(*db_, "haiphong-2024")) kept = kept || (p.id == stored.front().id && p.state == "published");
    EXPECT_TRUE(kept);

    // The published placement reported aired meanwhile (an outlet's as-run report): it holds its
    // break either way, so the plan is stored, and the placement stays aired.
    const auto runs_now = core::list_plan_runs(*db_, "haiphong-2024").size();
    r = prepare_run(*db_, "haiphong-2024", opt);
    plan_prepared(r);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(core::set_placement_state(*db_, "haiphong-2024", stored.front().id, "aired",
                                          std::string("2024-07-20T12:00:00Z"), "Phát đúng giờ", cli_));
    store_prepared(*db_, r, cli_);
    ASSERT_TRUE(r.ok()) << r.error_detail;
    EXPECT_TRUE(r.run_id.has_value());
    EXPECT_EQ(core::list_plan_runs(*db_, "haiphong-2024").size(), runs_now + 1);
    std::optional<core::stored_placement> aired;
    for (const auto& p : core::load_placements(*db_, "haiphong-2024"))
        if (p.id == stored.front().id) aired = p;
    ASSERT_TRUE(aired.has_value());
    EXPECT_EQ(aired->state, "aired");
    EXPECT_EQ(aired->note, "Phát đúng giờ");

    // Reported missed meanwhile: it no longer holds its break and wants a make-good, which the plan
    // made before has not: not stored.
    r = prepare_run(*db_, "haiphong-2024", opt);
    plan_prepared(r);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(core::set_placement_state(*db_, "haiphong-2024", stored.front().id, "missed", std::nullopt,
                                          "Mất điện", cli_));
    store_prepared(*db_, r, cli_);
    EXPECT_EQ(r.error, run_errc::changed);
    EXPECT_EQ(core::list_plan_runs(*db_, "haiphong-2024").size(), runs_now + 1);

    // A dry run stores nothing and needs nothing to hold.
    opt.dry_run = true;
    r = prepare_run(*db_, "haiphong-2024", opt);
    plan_prepared(r);
    core::import_campaigns(*db_, {small_campaign()});
    store_prepared(*db_, r, cli_);
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.run_id.has_value());
}

// What an as-run report writes leaves a plan valid; anything else that moves a placement's hold on
// its break does not.
TEST(plan_service, only_airings_reported_aired_leave_a_plan_as_it_was) {
    core::stored_placement p;
    p.id = 7;
    p.message = "PSA-01";
    p.outlet = "thp-tv";
    p.start = std::chrono::sys_seconds{std::chrono::seconds{1722340800}};
    p.duration_s = 30;
    p.state = "published";
    const std::vector<core::stored_placement> read{p};
    auto with = [&](auto change) {
        auto now = read;
        change(now.front());
        return same_for_the_plan(read, now);
    };
    EXPECT_TRUE(same_for_the_plan(read, read));
    EXPECT_TRUE(with([](auto& q) {
        q.state = "aired";
        q.aired_at = "2024-07-30T12:00:05Z";
        q.note = "Đã phát";
    }));
    EXPECT_FALSE(with([](auto& q) { q.state = "missed"; }));
    EXPECT_FALSE(with([](auto& q) {
        q.state = "aired";
        q.start += std::chrono::minutes(15);
    }));
    EXPECT_FALSE(with([](auto& q) { q.note = "sửa tay"; }));  // still published: not a report
    EXPECT_FALSE(same_for_the_plan(read, {}));
    auto planned = read;
    planned.front().state = "planned";
    auto published = planned;
    published.front().state = "published";
    EXPECT_FALSE(same_for_the_plan(planned, published));
    auto missed = read;
    missed.front().state = "missed";
    auto aired = missed;
    aired.front().state = "aired";
    EXPECT_FALSE(same_for_the_plan(missed, aired));  // it takes its break again
    auto corrected = aired;
    corrected.front().note = "giờ phát sửa lại";
    corrected.front().aired_at = "2024-07-30T12:01:00Z";
    EXPECT_TRUE(same_for_the_plan(aired, corrected));
}

// The kept-outside note reads back what it was written with, and nothing else.
TEST(PlannerNotes, KeptOutsideNoteReadsBackItsDatesAndCount) {
    const auto v = read_kept_outside_note(kept_outside_note("2024-07-25", "2024-07-31", 1260));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->from, "2024-07-25");
    EXPECT_EQ(v->to, "2024-07-31");
    EXPECT_EQ(v->count, 1260);
    EXPECT_FALSE(read_kept_outside_note("A note only in English."));
    EXPECT_FALSE(read_kept_outside_note(kept_outside_note("25/07/2024", "2024-07-31", 3)));
    std::string no_count = kept_outside_note("2024-07-25", "2024-07-31", 7);
    no_count.replace(no_count.find("); 7 ") + 3, 1, "x");
    EXPECT_FALSE(read_kept_outside_note(no_count)) << no_count;
    EXPECT_FALSE(is_rehearsal_note(kept_outside_note("2024-07-25", "2024-07-31", 1)));
}

}  // namespace service_test_cpp
}  // namespace
