// The message pages' pure part: form validation (every rule, department scope), the audit filters'
// dates in the campaign's zone, and the preview data the page shows.
#include "server/handlers/message_pages.hpp"
#include "core/storage/dispatch_store.hpp"

#include <map>
#include <string>
#include <tuple>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/time/zone.hpp"

namespace {
namespace message_pages_test_cpp {

using namespace loa;
using namespace loa::handlers;
using namespace date::literals;
using date::July;

core::campaign small_campaign() {
    core::campaign c;
    c.slug = "hp";
    c.title = {"Tháng hành động 2024", "Action month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", ""};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.audiences = {{"phu-huynh", {"Phụ huynh", "Parents"}}};
    c.hotlines = {{"111", {"Tổng đài 111", ""}, "24/7"}};
    c.departments = {{"thong-tin", {"Sở Thông tin", ""}, {}}, {"giao-duc", {"Sở Giáo dục", ""}, {}}};
    core::outlet radio;
    radio.slug = "dai-hai-phong";
    radio.name = {"Đài Hải Phòng", ""};
    radio.kind = "radio";
    radio.time_zone = "Asia/Ho_Chi_Minh";
    c.outlets = {radio};
    return c;
}

http::principal editor(const std::string& department) {
    http::principal p;
    p.user_id = 7;
    p.name = "Nguyễn Thị Hoa";
    p.role = "editor";
    p.department = department;
    return p;
}

message_form good_form() {
    message_form f;
    f.department = "thong-tin";
    f.title_vi = "Tin nhắn 30/7";
    f.text_vi = "Gọi 111 ngay khi thấy dấu hiệu mua bán người.";
    f.channels = {"sms", "radio", "sms"};
    f.duration_s = "20";
    f.priority = "9";
    f.flight_start = "2024-07-29";
    f.flight_end = "2024-07-30";
    f.airings = "3";
    f.audiences = {"phu-huynh"};
    f.outlets = {"dai-hai-phong"};
    return f;
}

TEST(MessageForm, AValidFormMakesTheMessage) {
    const auto v = validate_message_form(good_form(), small_campaign(), editor("thong-tin"));
    EXPECT_TRUE(v.errors.empty());
    EXPECT_EQ(v.value.channels, (std::vector<std::string>{"sms", "radio"}));  // each once
    EXPECT_EQ(v.value.duration_s, 20);
    EXPECT_EQ(v.value.priority, 9);
    EXPECT_EQ(v.value.flight_start, 2024_y / July / 29);
    EXPECT_EQ(v.value.airings, 3);
    EXPECT_EQ(v.value.text.vi, "Gọi 111 ngay khi thấy dấu hiệu mua bán người.");
}

TEST(MessageForm, EveryRuleNamesItsField) {
    message_form f = good_form();
    f.department = "";
    f.text_vi = " \n ";
    f.channels = {};
    f.duration_s = "-1";
    f.priority = "11";
    f.flight_start = "2024-02-30";
    f.flight_end = "31/06/2024";  // June has 30 days
    f.airings = "nhiều";
    f.audiences = {"ai-do"};
    f.outlets = {"khong-co"};
    const auto v = validate_message_form(f, small_campaign(), editor("thong-tin"));
    for (const char* field : {"department", "text_vi", "channels", "duration", "priority", "flight_start",
                              "flight_end", "airings", "audiences", "outlets"})
        EXPECT_TRUE(v.errors.contains(field)) << field;
    EXPECT_EQ(v.errors.at("text_vi"), "Enter the Vietnamese text.");
}

TEST(MessageForm, BoundariesAndOrder) {
    message_form f = good_form();
    f.priority = "1";
    f.duration_s = "0";
    f.airings = "0";
    f.flight_end = f.flight_start;
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.empty());
    f.priority = "0";
    f.flight_end = "2024-07-28";
    const auto v = validate_message_form(f, small_campaign(), editor("thong-tin"));
    EXPECT_EQ(v.errors.at("priority"), "Enter a priority from 1 (low) to 10 (high).");
    EXPECT_EQ(v.errors.at("flight_end"), "The last day must be on or after the first day.");
    // The flight lies within the campaign's period (1–31 July): a year typed wrong is caught here.
    f = good_form();
    f.flight_start = "2023-07-01";
    f.flight_end = "2025-07-30";
    const auto years = validate_message_form(f, small_campaign(), editor("thong-tin"));
    EXPECT_EQ(years.errors.at("flight_start"), "The first day must be within the campaign's period.");
    EXPECT_EQ(years.errors.at("flight_end"), "The last day must be within the campaign's period.");
    f.flight_start = "2024-07-01";
    f.flight_end = "2024-07-31";
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.empty());
    // A stored message whose flight (around a key date, in its file) reaches past the period: an
    // edit that leaves the flight as it is is not refused for it; a changed one is checked.
    loa::core::message stored;
    stored.flight_start = 2024_y / July / 27;
    stored.flight_end = 2024_y / date::August / 2;
    f.flight_start = "2024-07-27";
    f.flight_end = "2024-08-02";
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin"), &stored).errors.empty());
    f.flight_end = "2024-08-03";
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin"), &stored).errors.contains("flight_end"));
    f = good_form();
    f.channels = {"sms"};  // the radio outlet needs the radio channel
    EXPECT_EQ(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.at("outlets"),
              "Each outlet must be of one of the chosen channels.");
    f = good_form();
    f.channels = {"fax"};
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.contains("channels"));
    f = good_form();
    f.title_vi = std::string(200, 'a');
    f.title_vi.replace(0, 1, "ạ");  // 200 characters, 202 bytes: still fits
    EXPECT_FALSE(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.contains("title_vi"));
    f.title_vi += "b";
    EXPECT_TRUE(validate_message_form(f, small_campaign(), editor("thong-tin")).errors.contains("title_vi"));
}

TEST(MessageForm, WhatACampaignFileMayHoldSavesUnchanged) {
    // The loader and the editor share their limits (core/domain/limits.hpp): a message imported at
    // the longest a file allows is saved again as it is. Vietnamese, so that bytes and characters
    // differ ("Phòng chống " is 12 characters, 15 bytes).
    std::string title;
    for (int i = 0; i < 16; ++i) title += "Phòng chống ";
    title += "mua bán!";  // 200 characters
    std::string text;
    for (int i = 0; i < 555; ++i) text += "Gọi 111. ";
    text += "Gọi 1";  // 5000 characters
    const std::string yaml = "campaign:\n  slug: hp\n  title: Tháng hành động\n  theme: Không để ai bị bỏ lại\n"
                             "  period: {start: 2024-07-01, end: 2024-07-31}\n  time_zone: Asia/Ho_Chi_Minh\n"
                             "departments:\n  - code: thong-tin\n    name: Sở Thông tin\n"
                             "outlets:\n  - slug: dai-hai-phong\n    name: Đài Hải Phòng\n    kind: radio\n    time_zone: Asia/Ho_Chi_Minh\n"
                             "messages:\n  - id: m1\n    department: thong-tin\n"
                             "    title: {vi: \"" + title + "\", en: \"" + std::string(200, 'T') + "\"}\n"
                             "    text: {vi: \"" + text + "\", en: \"" + std::string(5000, 'x') + "\"}\n"
                             "    channels: [radio]\n    duration_s: 30\n    airings: 4\n"
                             "    flight: {start: 2024-07-29, end: 2024-07-30}\n";
    const auto loaded = core::load_campaign_text(yaml, "hp.yaml");
    ASSERT_TRUE(loaded.value.has_value()) << (loaded.errors.empty() ? "" : loaded.errors.front().to_string());
    const core::campaign& c = *loaded.value;
    ASSERT_EQ(c.messages.size(), 1U);
    http::principal approver = editor("");
    approver.role = "approver";
    const auto v = validate_message_form(message_form_from(c.messages.front(), 1), c, approver);
    EXPECT_TRUE(v.errors.empty()) << v.errors.begin()->first << ": " << v.errors.begin()->second;
    // One character more is refused by both.
    const auto longer = core::load_campaign_text(yaml.substr(0, yaml.find("mua bán!")) + "mua bán!!" +
                                                     yaml.substr(yaml.find("mua bán!") + std::string("mua bán!").size()),
                                                 "hp.yaml");
    ASSERT_EQ(longer.errors.size(), 1U);
    EXPECT_NE(longer.errors.front().to_string().find("'title' (vi) is 201 characters long"), std::string::npos)
        << longer.errors.front().to_string();
    message_form f = message_form_from(c.messages.front(), 1);
    f.title_vi += "!";
    EXPECT_TRUE(validate_message_form(f, c, approver).errors.contains("title_vi"));
}

TEST(MessageForm, EditorsWriteForTheirOwnDepartmentOnly) {
    const auto v = validate_message_form(good_form(), small_campaign(), editor("giao-duc"));
    EXPECT_EQ(v.errors.at("department"), "You can only write messages for your own department.");
    http::principal approver = editor("");
    approver.role = "approver";
    EXPECT_TRUE(validate_message_form(good_form(), small_campaign(), approver).errors.empty());
}

TEST(MessageForm, RoundTripsAStoredMessage) {
    const auto v = validate_message_form(good_form(), small_campaign(), editor("thong-tin"));
    const message_form back = message_form_from(v.value, 3);
    EXPECT_EQ(back.version, "3");
    EXPECT_EQ(back.flight_start, "2024-07-29");
    EXPECT_EQ(back.channels, (std::vector<std::string>{"sms", "radio"}));
    const web::form posted("department=thong-tin&text_vi=G%E1%BB%8Di+111&channels=sms&channels=tv&version=2");
    const message_form parsed = message_form_from(posted);
    EXPECT_EQ(parsed.text_vi, "Gọi 111");
    EXPECT_EQ(parsed.channels, (std::vector<std::string>{"sms", "tv"}));
    EXPECT_EQ(parsed.version, "2");
}

TEST(MessageListFilter, AValueTheFormDoesNotOfferIsNamedInThePagesLanguage) {
    const core::campaign c = small_campaign();
    core::message_filter f;
    EXPECT_FALSE(check_message_filter(c, f).has_value());
    f.department = "giao-duc";
    f.state = "approved";
    f.channel = "sms";
    f.audience = "phu-huynh";
    EXPECT_FALSE(check_message_filter(c, f).has_value());
    // A stale link: the first value not offered, in the filter's order.
    f.state = "published";
    f.audience = "hoc-sinh";
    auto bad = check_message_filter(c, f);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(bad->parameter, "state");
    EXPECT_EQ(bad->value, "published");
    EXPECT_EQ(message_filter_error_text(*bad, "vi"),
              "Không có trạng thái thông điệp “published”: hãy chọn một trạng thái trong bộ lọc.");
    EXPECT_EQ(message_filter_error_text(*bad, "en"),
              "There is no message state “published”: choose one from the filter.");
    f.state.reset();
    bad = check_message_filter(c, f);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(bad->parameter, "audience");
    EXPECT_EQ(message_filter_error_text(*bad, "vi"),
              "Chiến dịch này không có đối tượng “hoc-sinh”: hãy chọn một đối tượng trong bộ lọc.");
    core::message_filter channel;
    channel.channel = "fax";
    bad = check_message_filter(c, channel);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(message_filter_error_text(*bad, "vi"), "Không có kênh “fax”: hãy chọn một kênh trong bộ lọc.");
    core::message_filter department;
    department.department = "Giao-duc";  // codes are exact
    bad = check_message_filter(c, department);
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(message_filter_error_text(*bad, "en"),
              "This campaign has no department “Giao-duc”: choose one from the filter.");
}

TEST(AuditFilters, DatesAreDaysInTheCampaignsZone) {
    audit_filters f;
    f.from = "2024-07-30";
    f.to = "2024-07-30";
    f.action = "approve";
    const auto q = audit_query_for(f, "hp", core::find_zone("Asia/Ho_Chi_Minh"));
    EXPECT_EQ(q.from, "2024-07-29T17:00:00.000Z");  // midnight in Hai Phong (UTC+7)
    EXPECT_EQ(q.to, "2024-07-30T16:59:59.999Z");
    EXPECT_EQ(q.action, "approve");
    EXPECT_EQ(q.campaign_slug, "hp");
    EXPECT_FALSE(q.entity.has_value());
    EXPECT_EQ(q.limit, audit_page_size);
    f.page = 3;
    EXPECT_EQ(audit_query_for(f, "", nullptr).offset, 2 * audit_page_size);
    EXPECT_FALSE(audit_query_for(f, "", nullptr).campaign_slug.has_value());
}

TEST(AuditFilters, BadDatesAreFieldErrors) {
    http::request req;
    req.query = {{"from", "2024-13-01"}, {"to", "2024-07-01"}, {"page", "x"}};
    auto f = audit_filters_from(req);
    EXPECT_TRUE(f.errors.contains("from"));
    EXPECT_EQ(f.page, 1);
    req.query = {{"from", "2024-07-02"}, {"to", "2024-07-01"}};
    f = audit_filters_from(req);
    EXPECT_EQ(f.errors.at("to"), "The last day must be on or after the first day.");
}

// An audit row of the tests below, at 08:02 in Hai Phong on 30 July 2024.
core::audit_record audit_row(std::int64_t id, std::string actor, std::string entity, std::string key,
                             std::string action) {
    core::audit_record r;
    r.id = id;
    r.at = "2024-07-30T01:02:03.456Z";
    r.actor = std::move(actor);
    r.entity = std::move(entity);
    r.entity_key = std::move(key);
    r.action = std::move(action);
    return r;
}

// The change column of row `row` of the audit page: field name → (before, after), as shown.
using shown_changes = std::map<std::string, std::pair<std::string, std::string>>;
shown_changes changes_of(const audit_view& v, const http::request& req, std::size_t row = 0) {
    shown_changes got;
    const web::page_data d = audit_data(v, req);
    for (const auto& c : d.get("rows")->list_value().at(row).get("changes")->list_value())
        got[c.get("field")->string_value()] = {c.get("before")->string_value(), c.get("after")->string_value()};
    return got;
}

TEST(AuditPage, PagesKeepTheFiltersAndChangesListTheFieldsThatDiffer) {
    core::audit_page page;
    page.total = 120;
    core::audit_record r = audit_row(9, "Trần Văn Bình", "message", "tin-nhan", "approve");
    r.campaign_slug = "hp";
    r.before_json = R"({"state":"submitted","version":1,"title":{"vi":"<b>","en":""}})";
    r.after_json = R"({"state":"approved","version":1,"title":{"vi":"<b>","en":""}})";
    page.records.push_back(r);
    audit_view v;
    v.page = &page;
    v.filters.page = 2;
    v.filters.actor = "Trần Văn Bình";
    v.campaign_slug = "hp";
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    req.lang = "vi";
    const web::page_data d = audit_data(v, req);
    EXPECT_EQ(d.get("pages")->string_value(), "3");
    EXPECT_TRUE(d.get("has_prev")->is_true());
    EXPECT_TRUE(d.get("has_next")->is_true());
    EXPECT_EQ(d.get("next_href")->string_value(),
              "/campaigns/hp/audit?page=3&actor=Tr%E1%BA%A7n%20V%C4%83n%20B%C3%ACnh");
    const auto& row = d.get("rows")->list_value().at(0);
    EXPECT_EQ(row.get("at")->string_value(), "30/07/2024 08:02");  // shown in Hai Phong's time
    EXPECT_EQ(row.get("link")->string_value(), "/campaigns/hp/messages/tin-nhan");
    const auto& changes = row.get("changes")->list_value();
    ASSERT_EQ(changes.size(), 1u);  // only the state differs
    EXPECT_EQ(changes[0].get("field")->string_value(), "Trạng thái");  // the field's name, not its key
    EXPECT_EQ(changes[0].get("before")->string_value(), "Chờ duyệt");  // the state's name too
    EXPECT_EQ(changes[0].get("after")->string_value(), "Đã phê duyệt");
}

// The change column names each field in the page's language (a receiver's name is not a login
// name), shows flags as yes/no, and keeps a key it does not know as stored.
TEST(AuditPage, ChangedFieldsAreNamedInThePagesLanguage) {
    core::audit_page page;
    page.total = 1;
    core::audit_record r = audit_row(1, "dispatcher", "dispatch_target", "loa-le-chan", "disable");
    r.before_json = R"({"name":"a","enabled":true,"approved_version":1,"grace_s":900,"future_field":1})";
    r.after_json = R"({"name":"b","enabled":false,"approved_version":3,"grace_s":600,"future_field":2})";
    page.records.push_back(r);
    audit_view v;
    v.page = &page;
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    req.lang = "vi";
    shown_changes got = changes_of(v, req);
    EXPECT_EQ(got.at("Phiên bản đã duyệt"), (std::pair<std::string, std::string>{"1", "3"}));
    EXPECT_EQ(got.at("Bật"), (std::pair<std::string, std::string>{"Có", "Không"}));
    EXPECT_EQ(got.at("Thời gian cho phép (giây)"), (std::pair<std::string, std::string>{"900", "600"}));
    EXPECT_EQ(got.at("Tên nơi nhận tin"), (std::pair<std::string, std::string>{"a", "b"}));
    EXPECT_TRUE(got.contains("future_field"));
    EXPECT_EQ(got.size(), 5u);
    req.lang = "en";
    got = changes_of(v, req);
    EXPECT_EQ(got.at("Enabled"), (std::pair<std::string, std::string>{"Yes", "No"}));
    EXPECT_TRUE(got.contains("Approved version"));
}

// What was changed and how is said in the page's language; the filters keep the stored codes as
// their values; a code the page does not know is shown as stored.
TEST(AuditPage, EntitiesAndActionsInThePagesLanguage) {
    core::audit_page page;
    page.total = 2;
    page.records = {audit_row(1, "(cli)", "placement", "42", "as-run partial"),
                    audit_row(2, "(cli)", "something_new", "42", "frobnicate")};
    audit_view v;
    v.page = &page;
    v.entities = {"message", "placement", "something_new"};
    v.actions = {"approve", "as-run partial", "frobnicate"};
    v.filters.action = "approve";
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    for (const auto& [lang, placement, partial, message, approve] :
         {std::tuple{"vi", "Lượt phát", "Báo cáo phát sóng: phát một phần", "Thông điệp", "Đã phê duyệt"},
          std::tuple{"en", "Placement", "As-run: partly aired", "Message", "Approved"}}) {
        req.lang = lang;
        const web::page_data d = audit_data(v, req);
        const auto& rows = d.get("rows")->list_value();
        EXPECT_EQ(rows.at(0).get("entity")->string_value(), placement) << lang;
        EXPECT_EQ(rows.at(0).get("action")->string_value(), partial) << lang;
        EXPECT_EQ(rows.at(1).get("entity")->string_value(), "something_new") << lang;
        EXPECT_EQ(rows.at(1).get("action")->string_value(), "frobnicate") << lang;
        const auto& entities = d.get("entities")->list_value();
        EXPECT_EQ(entities.at(0).get("value")->string_value(), "message");
        EXPECT_EQ(entities.at(0).get("label")->string_value(), message) << lang;
        const auto& actions = d.get("actions")->list_value();
        EXPECT_EQ(actions.at(0).get("value")->string_value(), "approve");
        EXPECT_EQ(actions.at(0).get("label")->string_value(), approve) << lang;
        EXPECT_TRUE(actions.at(0).get("selected")->is_true());
    }
}

TEST(AuditPage, TheCommandLineIsNamedAndAddAndCreateAreTwoChoices) {
    core::audit_page page;
    page.total = 2;
    page.records = {audit_row(1, "cli", "dispatch_target", "loa-le-chan", "add"),
                    audit_row(2, "(command line)", "user", "hoa", "create")};
    audit_view v;
    v.page = &page;
    v.actions = {"add", "create"};
    v.actors = {"(command line)", "Nguyễn Thị Hoa", "cli"};
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    req.lang = "vi";
    const web::page_data d = audit_data(v, req);
    const auto& rows = d.get("rows")->list_value();
    EXPECT_EQ(rows.at(0).get("actor")->string_value(), "dòng lệnh");
    EXPECT_EQ(rows.at(1).get("actor")->string_value(), "dòng lệnh");
    const auto& actions = d.get("actions")->list_value();
    EXPECT_EQ(actions.at(0).get("label")->string_value(), "Thêm mới");
    EXPECT_EQ(actions.at(1).get("label")->string_value(), "Tạo mới");
    const auto& actors = d.get("actors")->list_value();
    EXPECT_EQ(actors.at(0).get("label")->string_value(), "dòng lệnh");
    EXPECT_EQ(actors.at(0).get("value")->string_value(), "(command line)");  // the filter still matches
    EXPECT_EQ(actors.at(1).get("label")->string_value(), "Nguyễn Thị Hoa");
}

// A planner run's figures are named (not the stored keys), the value and bound in units, not
// millionths; a placement's state, a title in both languages and an empty value as people read
// them; an outlet's as-run report as its sender.
TEST(AuditPage, PlanRunsStatesTitlesAndOutletsAreSaidInThePagesLanguage) {
    core::audit_page page;
    page.total = 3;
    core::audit_record run = audit_row(1, "Phạm Văn Duyệt", "plan", "12", "run");
    run.after_json = R"({"run":12,"from":"2024-07-25","to":"2024-07-31","as_of":"2024-07-24T17:00:00Z",)"
                     R"("placed":1260,"wanted":1300,"objective_micro":12345600000,"bound_micro":12500000000,)"
                     R"("kept":3,"added":1257,"removed":0,"moved":0,"cancelled":2})";
    core::audit_record aired = audit_row(2, "outlet thp-radio (feed token 4)", "placement", "356", "as-run aired");
    aired.before_json = R"({"state":"published","aired_at":null})";
    aired.after_json = R"({"state":"aired","aired_at":"2024-07-29T12:00:05Z"})";
    core::audit_record edit = audit_row(3, "Nguyễn Thị Hoa", "activity", "hop-bao", "edit");
    edit.before_json = R"({"title":{"vi":"Họp báo","en":"Press briefing"},"approved_version":null,)"
                       R"("channels":["radio"],"dayparts":[]})";
    edit.after_json = R"({"title":{"vi":"Họp báo chiến dịch","en":""},"approved_version":1,)"
                      R"("channels":["radio","online"],"dayparts":["prime","early-evening"]})";
    page.records = {run, aired, edit};
    audit_view v;
    v.page = &page;
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    req.lang = "vi";
    shown_changes got;
    const auto changes = [&](std::size_t row) {
        got = changes_of(v, req, row);
        return audit_data(v, req).get("rows")->list_value().at(row).get("actor")->string_value();
    };
    changes(0);
    EXPECT_EQ(got.at("Mục tiêu (giá trị đã xếp)").second, "12.345,6");
    EXPECT_EQ(got.at("Cận trên").second, "12.500");
    EXPECT_EQ(got.at("Lượt phát bị hủy").second, "2");
    EXPECT_EQ(got.at("Số lượt phát đã xếp").second, "1.260");
    EXPECT_EQ(got.at("Chạy").second, "12");  // an id, not a count
    for (const auto& [field, values] : got) EXPECT_EQ(field.find('_'), std::string::npos) << field;
    EXPECT_EQ(changes(1), "cơ quan phát thp-radio (mã truy cập nguồn tin số 4)");
    EXPECT_EQ(got.at("Trạng thái"), (std::pair<std::string, std::string>{"đã gửi lịch", "đã phát"}));
    EXPECT_EQ(got.at("Phát lúc").first, "—");
    changes(2);
    EXPECT_EQ(got.at("Tiêu đề"), (std::pair<std::string, std::string>{"Họp báo", "Họp báo chiến dịch"}));
    EXPECT_EQ(got.at("Phiên bản đã duyệt").first, "—");
    // Lists of codes one after another, not as JSON; channels by their names.
    EXPECT_EQ(got.at("Kênh"), (std::pair<std::string, std::string>{"Phát thanh", "Phát thanh, Báo điện tử"}));
    EXPECT_EQ(got.at("Khung giờ"), (std::pair<std::string, std::string>{"—", "prime, early-evening"}));
    req.lang = "en";
    EXPECT_EQ(changes(1), "outlet thp-radio (feed token 4)");
    changes(2);
    EXPECT_EQ(got.at("Title"), (std::pair<std::string, std::string>{"Press briefing", "Họp báo chiến dịch"}));
    EXPECT_EQ(got.at("Channels"), (std::pair<std::string, std::string>{"Radio", "Radio, Online"}));
    changes(0);
    EXPECT_EQ(got.at("Objective (value placed)").second, "12,345.6");
}

TEST(AuditPage, TheDispatcherIsNamedInThePagesLanguage) {
    core::audit_page page;
    page.total = 1;
    page.records = {audit_row(1, "dispatcher", "dispatch_target", "loa-le-chan", "disable")};
    audit_view v;
    v.page = &page;
    v.actions = {"disable"};
    v.actors = {"dispatcher"};
    v.zone = core::find_zone("Asia/Ho_Chi_Minh");
    http::request req;
    req.lang = "vi";
    web::page_data d = audit_data(v, req);
    EXPECT_EQ(d.get("rows")->list_value().at(0).get("actor")->string_value(), "bộ gửi tin của phần mềm loa");
    EXPECT_EQ(d.get("actors")->list_value().at(0).get("label")->string_value(), "bộ gửi tin của phần mềm loa");
    EXPECT_EQ(d.get("actors")->list_value().at(0).get("value")->string_value(), "dispatcher");
    req.lang = "en";
    d = audit_data(v, req);
    EXPECT_EQ(d.get("rows")->list_value().at(0).get("actor")->string_value(), "loa's dispatcher");
    // A placement it marked missed: its note in the page's language too.
    core::audit_record missed = audit_row(2, "dispatcher", "placement", "356", "missed");
    missed.before_json = R"({"state":"published","aired_at":null,"note":""})";
    missed.after_json = R"({"state":"missed","aired_at":null,"note":")" +
                        core::missed_by_dispatcher_note("thp-automation") + R"("})";
    page.records = {missed};
    req.lang = "vi";
    const shown_changes got = changes_of(v, req, 0);
    EXPECT_EQ(got.at("Ghi chú").second, web::tr("vi", "loa's dispatcher: not delivered to {target} within its grace period",
                                                {{"target", "thp-automation"}}));
    EXPECT_EQ(got.at("Ghi chú").second.find("within its grace period"), std::string::npos);
}

TEST(MessagePreviews, VietnameseAndEnglishWithTheirCounts) {
    auto v = validate_message_form(good_form(), small_campaign(), editor("thong-tin"));
    v.value.text.en = "Call 111 [free]";
    const web::page_list groups = preview_data(v.value, small_campaign(), "vi");
    ASSERT_EQ(groups.size(), 2u);
    const auto* items = groups[0].get("items");
    ASSERT_NE(items, nullptr);
    ASSERT_TRUE(items->is_list());
    const auto& sms = items->list_value().at(0);
    EXPECT_EQ(sms.get("channel")->string_value(), "sms");
    EXPECT_EQ(sms.get("sms_encoding")->string_value(), "UCS-2");
    EXPECT_EQ(sms.get("sms_units")->string_value(), "45");
    EXPECT_EQ(sms.get("sms_segments")->string_value(), "1");
    const auto& en_sms = groups[1].get("items")->list_value().at(0);
    EXPECT_EQ(en_sms.get("sms_encoding")->string_value(), "GSM-7");
    EXPECT_EQ(en_sms.get("sms_units")->string_value(), "17");  // [ and ] count two each
    const auto& radio = items->list_value().at(1);
    EXPECT_TRUE(radio.get("is_spoken")->is_true());
    EXPECT_TRUE(radio.get("fits")->is_true());

    v.value.text.en.clear();
    EXPECT_EQ(preview_data(v.value, small_campaign(), "vi").size(),
              1u);  // no English preview when untranslated
}

TEST(MessageDetail, AiringsWantedNamesTheTotalTheDayAndTheWeekThatAreSet) {
    core::message m;
    EXPECT_TRUE(core::asks_for_no_airings(m));
    EXPECT_EQ(airings_wanted(m, "vi"), "không có");
    EXPECT_EQ(airings_wanted(m, "en"), "none");
    m.airings_per_day = 2;
    m.airings_per_week = 10;
    EXPECT_FALSE(core::asks_for_no_airings(m));
    EXPECT_EQ(airings_wanted(m, "vi"), "2 lượt mỗi ngày · 10 lượt mỗi tuần");
    EXPECT_EQ(airings_wanted(m, "en"), "2 a day · 10 a week");
    m.airings = 1200;
    m.airings_per_week = 0;
    EXPECT_EQ(airings_wanted(m, "en"), "1,200 in total · 2 a day");
    m.airings_per_day = 0;
    EXPECT_EQ(airings_wanted(m, "vi"), "1.200 lượt tổng cộng");
}

// A radio with prime time and mornings, a television with a late daypart: the dayparts a message may
// name are those of the outlets it can run on.
core::campaign campaign_with_dayparts() {
    using namespace std::chrono_literals;
    core::campaign c = small_campaign();
    c.outlets[0].dayparts = {{"gio-vang", {"Giờ vàng", "Prime time"}, 0x7f, 19h, 22h, 10.0},
                             {"sang", {"Buổi sáng", "Morning"}, 0x7f, 6h, 9h, 2.0}};
    core::outlet tv;
    tv.slug = "thp-tv";
    tv.name = {"Truyền hình Hải Phòng", ""};
    tv.kind = "tv";
    tv.time_zone = "Asia/Ho_Chi_Minh";
    tv.dayparts = {{"khuya", {"Đêm khuya", "Late night"}, 0x7f, 22h, 30min, 3.0},
                   {"gio-vang", {"Giờ vàng TV", "TV prime time"}, 0x7f, 20h, 22h, 10.0}};
    c.outlets.push_back(tv);
    return c;
}

TEST(MessageForm, ThePlannersRulesAreCheckedAndAnEmptyBoxIsNoLimit) {
    const core::campaign c = campaign_with_dayparts();
    message_form f = good_form();
    f.airings_per_day = "2";
    f.airings_per_week = " ";
    f.max_per_outlet_per_day = "";
    f.min_gap_minutes = "90";
    f.dayparts = {"gio-vang", "sang", "gio-vang"};
    auto v = validate_message_form(f, c, editor("thong-tin"));
    EXPECT_TRUE(v.errors.empty()) << v.errors.begin()->first;
    EXPECT_EQ(v.value.airings_per_day, 2);
    EXPECT_EQ(v.value.airings_per_week, 0);
    EXPECT_EQ(v.value.max_per_outlet_per_day, 0);
    EXPECT_EQ(v.value.min_gap_minutes, 90);
    EXPECT_EQ(v.value.dayparts, (std::vector<std::string>{"gio-vang", "sang"}));  // each once
    // The limits campaign files have: a leap year of minutes is the longest gap.
    f.min_gap_minutes = "527040";
    EXPECT_TRUE(validate_message_form(f, c, editor("thong-tin")).errors.empty());
    f.airings_per_day = "-1";
    f.airings_per_week = "1000001";
    f.max_per_outlet_per_day = "hai";
    f.min_gap_minutes = "527041";
    v = validate_message_form(f, c, editor("thong-tin"));
    EXPECT_EQ(v.errors.at("airings_per_day"), "Enter a whole number from 0 to 1000000, or leave it empty for no limit.");
    EXPECT_TRUE(v.errors.contains("airings_per_week"));
    EXPECT_TRUE(v.errors.contains("max_per_outlet_per_day"));
    EXPECT_EQ(v.errors.at("min_gap_minutes"),
              "Enter the minutes as a whole number from 0 to 527040 (a year), or leave it empty for no gap.");
    EXPECT_EQ(v.errors.size(), 4U);
    // The television's late daypart is not the radio's: a message on the radio only may not name it.
    f = good_form();
    f.dayparts = {"khuya"};
    EXPECT_EQ(validate_message_form(f, c, editor("thong-tin")).errors.at("dayparts"),
              "Choose dayparts that an outlet of the chosen channels or outlets has.");
    f.channels = {"sms", "radio", "tv"};
    f.outlets = {};
    EXPECT_TRUE(validate_message_form(f, c, editor("thong-tin")).errors.empty());
    f.outlets = {"dai-hai-phong"};  // named outlets narrow it again
    EXPECT_TRUE(validate_message_form(f, c, editor("thong-tin")).errors.contains("dayparts"));
}

TEST(MessageForm, APageWithoutTheRulesKeepsTheStoredOnes) {
    const core::campaign c = campaign_with_dayparts();
    core::message stored;
    stored.flight_start = 2024_y / July / 29;
    stored.flight_end = 2024_y / July / 30;
    stored.airings_per_day = 3;
    stored.min_gap_minutes = 120;
    stored.dayparts = {"sang"};
    // A page rendered before the form held the rules posts none of them (and no "rules" field).
    const web::form old_page("department=thong-tin&text_vi=G%E1%BB%8Di+111&channels=radio&duration_s=20&priority=5"
                             "&flight_start=2024-07-29&flight_end=2024-07-30&airings=3&version=2");
    message_form parsed = message_form_from(old_page);
    EXPECT_FALSE(parsed.has_rules);
    keep_stored_rules(parsed, stored);
    // In the form itself, so that the page shown again (an error, a preview) holds them.
    EXPECT_TRUE(parsed.has_rules);
    EXPECT_EQ(parsed.airings_per_day, "3");
    EXPECT_EQ(parsed.min_gap_minutes, "120");
    EXPECT_EQ(parsed.dayparts, std::vector<std::string>{"sang"});
    const auto kept = validate_message_form(parsed, c, editor("thong-tin"), &stored);
    EXPECT_TRUE(kept.errors.empty()) << kept.errors.begin()->first;
    EXPECT_EQ(kept.value.airings_per_day, 3);
    EXPECT_EQ(kept.value.min_gap_minutes, 120);
    EXPECT_EQ(kept.value.dayparts, std::vector<std::string>{"sang"});
    // Today's form sends them: empty boxes and no daypart ticked clear them.
    const web::form page("department=thong-tin&text_vi=G%E1%BB%8Di+111&channels=radio&duration_s=20&priority=5"
                         "&flight_start=2024-07-29&flight_end=2024-07-30&airings=3&rules=1&airings_per_day="
                         "&airings_per_week=&max_per_outlet_per_day=&min_gap_minutes=&version=2");
    message_form typed = message_form_from(page);
    keep_stored_rules(typed, stored);  // nothing to keep: the page held them
    EXPECT_TRUE(typed.dayparts.empty());
    const auto cleared = validate_message_form(typed, c, editor("thong-tin"), &stored);
    EXPECT_TRUE(cleared.errors.empty());
    EXPECT_EQ(cleared.value.airings_per_day, 0);
    EXPECT_EQ(cleared.value.min_gap_minutes, 0);
    EXPECT_TRUE(cleared.value.dayparts.empty());
}

TEST(MessageForm, TheEditorOffersEveryDaypartOnceAndKeepsAChosenOneNoOutletHas) {
    const core::campaign c = campaign_with_dayparts();
    core::message m;
    m.department = "thong-tin";
    m.channels = {"radio"};
    m.min_gap_minutes = 45;
    m.dayparts = {"gio-vang", "da-xoa"};
    form_view v;
    v.campaign = &c;
    v.form = message_form_from(m, 1);
    http::request req;
    req.lang = "en";
    req.user = editor("thong-tin");
    const web::page_data d = message_form_data(v, req);
    EXPECT_EQ(d.get("min_gap_minutes")->string_value(), "45");
    const auto& dayparts = d.get("dayparts")->list_value();
    ASSERT_EQ(dayparts.size(), 4U);  // gio-vang once (named by the radio, the first outlet), sang, khuya, da-xoa
    EXPECT_EQ(dayparts[0].get("code")->string_value(), "gio-vang");
    EXPECT_EQ(dayparts[0].get("name")->string_value(), "Prime time");
    // Two outlets' prime times share the code: where and when each is.
    EXPECT_EQ(dayparts[0].get("where")->string_value(), "Radio 19:00–22:00; Television 20:00–22:00");
    EXPECT_EQ(dayparts[2].get("where")->string_value(), "Television 22:00–00:30");
    EXPECT_FALSE(dayparts[3].get("has_where")->is_true());
    EXPECT_TRUE(dayparts[0].get("checked")->is_true());
    EXPECT_EQ(dayparts[2].get("code")->string_value(), "khuya");
    EXPECT_FALSE(dayparts[2].get("checked")->is_true());
    EXPECT_EQ(dayparts[3].get("code")->string_value(), "da-xoa");
    EXPECT_TRUE(dayparts[3].get("checked")->is_true());
}

TEST(MessageDetail, ThePlannersRulesAreShownInThePagesLanguage) {
    const core::campaign c = campaign_with_dayparts();
    core::stored_message s;
    s.item.id = "tin-nhan";
    s.item.department = "thong-tin";
    s.item.text = {"Gọi 111", ""};
    s.item.channels = {"radio"};
    s.item.flight_start = 2024_y / July / 29;
    s.item.flight_end = 2024_y / July / 30;
    s.item.airings = 1200;
    s.item.max_per_outlet_per_day = 2;
    s.item.min_gap_minutes = 1500;
    s.item.dayparts = {"gio-vang", "sang"};
    s.version = 3;
    // Three versions: the first from before versions held the rules, then a change of the text,
    // then a change of a rule.
    core::message_history h;
    core::message_version_record v3;
    v3.version = 3;
    v3.content = s.item;
    v3.rules_recorded = true;
    core::message_version_record v2 = v3;
    v2.version = 2;
    v2.content.min_gap_minutes = 60;
    core::message_version_record v1 = v2;
    v1.version = 1;
    v1.content.text.vi = "Gọi 112";
    v1.content.min_gap_minutes = 0;
    v1.content.max_per_outlet_per_day = 0;
    v1.content.dayparts = {};
    v1.rules_recorded = false;
    h.versions = {v3, v2, v1};
    detail_view view;
    view.campaign = &c;
    view.message = &s;
    view.history = &h;
    http::request req;
    req.lang = "vi";
    req.user = editor("thong-tin");
    const web::page_data d = message_detail_data(view, req);
    // Each with where and when it is on the outlets the message may run on.
    EXPECT_EQ(d.get("dayparts")->string_value(), "Giờ vàng (Phát thanh 19:00–22:00), Buổi sáng (Phát thanh 06:00–09:00)");
    EXPECT_EQ(d.get("max_per_outlet_per_day")->string_value(), "2");
    EXPECT_EQ(d.get("min_gap")->string_value(), "1.500 phút");
    const auto& versions = d.get("versions")->list_value();
    ASSERT_EQ(versions.size(), 3U);
    EXPECT_EQ(versions[0].get("changes")->string_value(), "Quy tắc xếp lịch");
    EXPECT_EQ(versions[1].get("changes")->string_value(), "Nội dung (tiếng Việt)");
}

}  // namespace message_pages_test_cpp
}  // namespace
