// The message pages through the real `loa serve` over loopback with a real SQLite file: write a
// message in Vietnamese, preview its SMS segments, submit, approve, see it in the audit log;
// validation keeps every value; department scope (403); hostile titles shown as text.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/message_store.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/integration/web_session.hpp"

namespace {
namespace message_pages_test_cpp {

using loa::test::http_reply;

constexpr const char* slug = "haiphong-2024-anti-trafficking";
const std::string base = std::string("/campaigns/") + slug;

using login = loa::test::web_user;
using loa::test::form_encode;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The value of the "?done=" redirect's path, e.g. /campaigns/x/messages/code from a Location.
std::string path_of(const std::string& location) {
    return location.substr(0, location.find('?'));
}

class MessagePagesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new loa::test::served("access_log: off\n");
        loa::core::database db(server_->dir().file("loa.db"));
        loa::core::import_campaigns(db, {loa::test::shipped_campaign(slug)});
        editor_ = loa::test::add_web_user(db, "Nguyễn Thị Hoa", "editor", "information");
        other_editor_ = loa::test::add_web_user(db, "Lê Văn Nam", "editor", "education");
        approver_ = loa::test::add_web_user(db, "Trần Văn Bình", "approver");
        viewer_ = loa::test::add_web_user(db, "Phạm Thu Trang", "viewer");
    }

    static void TearDownTestSuite() {
        loa::test::stop_served(*server_);
        delete server_;
        server_ = nullptr;
    }

    static http_reply send(const std::string& method, const std::string& target, const login* who,
                           const std::string& body = {}, const std::string& lang = "vi") {
        auto h = loa::test::page_headers(who, lang);
        if (method == "POST") h.emplace_back("Content-Type: application/x-www-form-urlencoded");
        return loa::test::send_request(server_->port(), method, target, h, body);
    }

    static http_reply get(const std::string& target, const login& who, const std::string& lang = "vi") {
        return send("GET", target, &who, {}, lang);
    }

    static http_reply post(const std::string& target, const login& who,
                           std::vector<std::pair<std::string, std::string>> fields,
                           const std::string& lang = "vi") {
        fields.insert(fields.begin(), {"csrf_token", who.csrf});
        return send("POST", target, &who, form_encode(fields), lang);
    }

    // A complete valid form for the information department.
    static std::vector<std::pair<std::string, std::string>> message_fields(const std::string& title,
                                                                           const std::string& text) {
        return {{"department", "information"},
                {"title_vi", title},
                {"title_en", ""},
                {"text_vi", text},
                {"text_en", ""},
                {"channels", "sms"},
                {"channels", "radio"},
                {"duration_s", "15"},
                {"priority", "8"},
                {"flight_start", "2024-07-28"},
                {"flight_end", "2024-07-30"},
                {"airings", "3"},
                {"audiences", "parents"},
                {"action", "save"}};
    }

    // Creates a message through the form and returns its page path.
    static std::string create(const std::string& title, const std::string& text) {
        const auto r = post(base + "/messages", editor_, message_fields(title, text));
        EXPECT_EQ(r.status, 303U) << r.body;
        const auto location = r.header("location");
        if (!location) throw std::runtime_error("no Location after creating " + title);
        return path_of(*location);
    }

    static inline loa::test::served* server_ = nullptr;
    static inline login editor_;
    static inline login other_editor_;
    static inline login approver_;
    static inline login viewer_;
};

TEST_F(MessagePagesTest, WriteInVietnamesePreviewSubmitApproveAndAudit) {
    const std::string text = "Gọi 111 ngay khi thấy dấu hiệu mua bán người.";
    const auto form = get(base + "/messages/new", editor_);
    ASSERT_EQ(form.status, 200U) << form.body;
    EXPECT_TRUE(contains(form.body, "id=\"message-text-vi\""));
    EXPECT_TRUE(contains(form.body, "<option value=\"information\" selected>"));
    EXPECT_FALSE(contains(form.body, "<option value=\"education\""));  // editors see their department only

    // Preview: the form comes back with the previews and the UCS-2 segment count, nothing saved.
    auto fields = message_fields("Tin nhắn 30/7", text);
    fields.back() = {"action", "preview"};
    const auto preview = post(base + "/messages", editor_, fields);
    ASSERT_EQ(preview.status, 200U) << preview.body;
    EXPECT_TRUE(contains(preview.body, "id=\"preview-vi-sms-count\"")) << preview.body;
    EXPECT_TRUE(contains(preview.body, "1 tin SMS · UCS-2 · 45 ký tự, 70 ký tự mỗi tin")) << preview.body;
    EXPECT_TRUE(contains(preview.body, "id=\"preview-vi-radio-time\""));
    EXPECT_TRUE(contains(preview.body, ">Gọi 111 ngay khi thấy dấu hiệu mua bán người.</textarea>"));
    EXPECT_TRUE(contains(preview.body, "value=\"Tin nhắn 30/7\""));

    // Save, then the message page shows the same count and the draft state.
    const std::string page = create("Tin nhắn 30/7", text);
    EXPECT_EQ(page, base + "/messages/tin-nhan-30-7");
    auto shown = get(page + "?done=created", editor_);
    ASSERT_EQ(shown.status, 200U) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Thông điệp đã được lưu thành bản nháp."));
    EXPECT_TRUE(contains(shown.body, ">Bản nháp</span>"));
    EXPECT_TRUE(contains(shown.body, "1 tin SMS · UCS-2 · 45 ký tự, 70 ký tự mỗi tin"));
    EXPECT_TRUE(contains(shown.body, "id=\"message-submit\""));
    EXPECT_FALSE(contains(shown.body, "id=\"message-approve\""));  // editors do not approve

    // Submit.
    auto r = post(page + "/submit", editor_, {{"version", "1"}});
    ASSERT_EQ(r.status, 303U) << r.body;
    EXPECT_EQ(r.header("location"), page + "?done=submitted");

    // The approver's queue has it; approve version 1 from there.
    const auto queue = get(base + "/approvals", approver_);
    ASSERT_EQ(queue.status, 200U) << queue.body;
    EXPECT_TRUE(contains(queue.body, "id=\"approval-tin-nhan-30-7\""));
    EXPECT_TRUE(contains(queue.body, "do Nguyễn Thị Hoa gửi"));
    r = post(page + "/approve", approver_, {{"version", "1"}, {"comment", "Đồng ý."}, {"next", "approvals"}});
    ASSERT_EQ(r.status, 303U) << r.body;
    EXPECT_EQ(r.header("location"), base + "/approvals?done=approved");
    shown = get(page, viewer_);
    EXPECT_TRUE(contains(shown.body, ">Đã phê duyệt</span>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Phiên bản 1 đã được phê duyệt."));
    EXPECT_TRUE(contains(shown.body, "Đồng ý."));
    EXPECT_FALSE(contains(shown.body, "id=\"message-edit\""));  // viewers only read

    // The audit log shows who did what.
    const auto audit = get("/audit?entity=message", approver_);
    ASSERT_EQ(audit.status, 200U) << audit.body;
    // In the page's language, in the table and in the filter (whose values stay the stored codes).
    for (const char* action : {"<td>Tạo mới</td>", "<td>Đã gửi phê duyệt</td>", "<td>Đã phê duyệt</td>",
                               "<option value=\"approve\">Đã phê duyệt</option>"})
        EXPECT_TRUE(contains(audit.body, action)) << action;
    EXPECT_FALSE(contains(audit.body, "<td>approve</td>"));
    EXPECT_TRUE(contains(audit.body, "href=\"" + page + "\""));
    const auto approvals_only =
        get(base + "/audit?action=approve&actor=" + std::string("Tr%E1%BA%A7n%20V%C4%83n%20B%C3%ACnh"),
            approver_);
    ASSERT_EQ(approvals_only.status, 200U);
    EXPECT_TRUE(contains(approvals_only.body, "Số thay đổi: 1")) << approvals_only.body;
    EXPECT_TRUE(contains(approvals_only.body, "Trần Văn Bình"));
    EXPECT_EQ(get("/audit", editor_).status, 403U);  // editors do not read the log

    // Editing the approved message returns it to draft: approval is bound to the version. The form
    // says so, and that its airings from then on are cancelled until it is approved again.
    const auto form_page = get(page + "/edit", editor_);
    ASSERT_EQ(form_page.status, 200U) << form_page.body;
    EXPECT_TRUE(contains(form_page.body, "Cho đến khi được phê duyệt lại, các lượt phát từ lúc lưu trở đi bị hủy"))
        << form_page.body;
    auto edit = message_fields("Tin nhắn 30/7", text + " Miễn phí.");
    edit.push_back({"version", "1"});
    r = post(page + "/edit", editor_, edit);
    ASSERT_EQ(r.status, 303U) << r.body;
    shown = get(page, editor_);
    EXPECT_TRUE(contains(shown.body, ">Bản nháp</span>"));
    EXPECT_TRUE(contains(shown.body, "Phiên bản 1 đã được phê duyệt; phiên bản hiện tại 2 thì chưa."));
    EXPECT_TRUE(contains(shown.body, "Trở về bản nháp do được sửa"));
    // A draft's form says nothing of cancelled airings (none goes out).
    EXPECT_FALSE(contains(get(page + "/edit", editor_).body, "các lượt phát từ lúc lưu trở đi bị hủy"));
}

// A message left at the form's 0 airings is never planned: the form says so under the field, and
// the approvers' queue and the message page name it, in Vietnamese and English; a message that asks
// for airings shows what it asks for and no notice.
TEST_F(MessagePagesTest, AMessageAskingForNoAiringsIsNamedBeforeAndAfterApproval) {
    const auto form = get(base + "/messages/new", editor_);
    ASSERT_EQ(form.status, 200U) << form.body;
    EXPECT_TRUE(contains(form.body, "aria-describedby=\"message-airings-hint\"")) << form.body;
    EXPECT_TRUE(contains(form.body, "Bộ lập kế hoạch không xếp lượt nào cho thông điệp không yêu cầu lượt phát."));

    auto none = message_fields("Loa phường không lượt", "Cảnh giác với lời mời việc làm lương cao ở nước ngoài.");
    none[11] = {"airings", "0"};
    ASSERT_EQ(none[11].first, "airings");
    auto r = post(base + "/messages", editor_, none);
    ASSERT_EQ(r.status, 303U) << r.body;
    const std::string page = path_of(*r.header("location"));
    const std::string code = page.substr(page.rfind('/') + 1);
    const std::string some_page = create("Loa phường ba lượt", "Gọi 111 khi nghi ngờ mua bán người.");
    const std::string some = some_page.substr(some_page.rfind('/') + 1);
    ASSERT_EQ(post(page + "/submit", editor_, {{"version", "1"}}).status, 303U);
    ASSERT_EQ(post(some_page + "/submit", editor_, {{"version", "1"}}).status, 303U);

    auto queue = get(base + "/approvals", approver_);
    ASSERT_EQ(queue.status, 200U) << queue.body;
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + code + "-airings\">không có</span>")) << queue.body;
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + code + "-asks-none\"")) << queue.body;
    EXPECT_TRUE(contains(queue.body, "sau khi phê duyệt, bộ lập kế hoạch sẽ không xếp lượt nào cho nó"));
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + some + "-airings\">3 lượt tổng cộng</span>")) << queue.body;
    EXPECT_FALSE(contains(queue.body, "id=\"approval-" + some + "-asks-none\""));
    queue = get(base + "/approvals", approver_, "en");
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + code + "-airings\">none</span>")) << queue.body;
    EXPECT_TRUE(contains(queue.body, "once approved, the planner places none of it")) << queue.body;
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + some + "-airings\">3 in total</span>"));

    ASSERT_EQ(post(page + "/approve", approver_, {{"version", "1"}, {"comment", ""}}).status, 303U);
    auto shown = get(page, viewer_);
    ASSERT_EQ(shown.status, 200U) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-airings\">không có</dd>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-asks-none\"")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Thông điệp này không yêu cầu lượt phát nào"));
    shown = get(page, viewer_, "en");
    EXPECT_TRUE(contains(shown.body, "This message asks for no airings, so the planner places none of it.")) << shown.body;
    shown = get(some_page, viewer_, "en");
    EXPECT_TRUE(contains(shown.body, "id=\"message-airings\">3 in total</dd>")) << shown.body;
    EXPECT_FALSE(contains(shown.body, "id=\"message-asks-none\""));
}

// The planner's rules are typed in the form, shown on the page and in the editor, stored where the
// planner reads them, and a change of a rule alone is a new version that needs approving again.
TEST_F(MessagePagesTest, ThePlannersRulesAreTypedShownAndApprovedWithTheMessage) {
    const auto form = get(base + "/messages/new", editor_);
    ASSERT_EQ(form.status, 200U) << form.body;
    EXPECT_TRUE(contains(form.body, "id=\"message-min-gap-minutes\"")) << form.body;
    EXPECT_TRUE(contains(form.body, "value=\"morning-drive\"> Sáng sớm <span class=\"muted\">(Phát thanh 05:30–08:00)</span>")) << form.body;

    // A bad figure and a daypart of no outlet the message can run on (the online paper's evening,
    // for a message on SMS and radio) come back as field errors, with what was typed.
    auto fields = message_fields("Đài phát thanh buổi sáng", "Gọi 111 khi nghi ngờ mua bán người.");
    fields.pop_back();  // action
    fields.insert(fields.end(), {{"rules", "1"},
                                 {"airings_per_day", "2"},
                                 {"airings_per_week", ""},
                                 {"max_per_outlet_per_day", "1"},
                                 {"min_gap_minutes", "một giờ"},
                                 {"dayparts", "morning-drive"},
                                 {"dayparts", "evening"},
                                 {"action", "save"}});
    auto r = post(base + "/messages", editor_, fields);
    ASSERT_EQ(r.status, 422U) << r.body;
    EXPECT_TRUE(contains(r.body, "id=\"message-min-gap-minutes-error\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "Nhập số phút là một số nguyên từ 0 đến 527040")) << r.body;
    EXPECT_TRUE(contains(r.body, "id=\"message-dayparts-error\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "value=\"một giờ\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "value=\"morning-drive\" checked")) << r.body;

    for (auto& [k, v] : fields) {
        if (k == "min_gap_minutes") v = "180";
    }
    fields.erase(std::find(fields.begin(), fields.end(), std::pair<std::string, std::string>{"dayparts", "evening"}));
    r = post(base + "/messages", editor_, fields);
    ASSERT_EQ(r.status, 303U) << r.body;
    const std::string page = path_of(*r.header("location"));
    const std::string code = page.substr(page.rfind('/') + 1);
    auto shown = get(page, viewer_);
    ASSERT_EQ(shown.status, 200U) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-airings\">3 lượt tổng cộng · 2 lượt mỗi ngày</dd>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-dayparts\">Sáng sớm (Phát thanh 05:30–08:00)</dd>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-max-per-outlet\">1</dd>"));
    EXPECT_TRUE(contains(shown.body, "id=\"message-min-gap\">180 phút</dd>"));
    shown = get(page, viewer_, "en");
    EXPECT_TRUE(contains(shown.body, "id=\"message-dayparts\">Morning drive (Radio 05:30–08:00)</dd>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-min-gap\">180 min</dd>"));
    const auto editor_page = get(page + "/edit", editor_);
    ASSERT_EQ(editor_page.status, 200U);
    EXPECT_TRUE(contains(editor_page.body, "name=\"min_gap_minutes\" value=\"180\"")) << editor_page.body;
    EXPECT_TRUE(contains(editor_page.body, "value=\"morning-drive\" checked"));

    // Approved, then only the gap changed: version 2, a draft again, and the history names it.
    ASSERT_EQ(post(page + "/submit", editor_, {{"version", "1"}}).status, 303U);
    // The approvers see the rules they approve with the message.
    const auto queue = get(base + "/approvals", approver_);
    ASSERT_EQ(queue.status, 200U) << queue.body;
    EXPECT_TRUE(contains(queue.body, "id=\"approval-" + code + "-rules\"><dt>Khung giờ</dt><dd>Sáng sớm (Phát thanh 05:30–08:00)</dd>"))
        << queue.body;
    EXPECT_TRUE(contains(queue.body, "<dd>180 phút</dd></dl>")) << queue.body;
    ASSERT_EQ(post(page + "/approve", approver_, {{"version", "1"}, {"comment", ""}}).status, 303U);
    for (auto& [k, v] : fields) {
        if (k == "min_gap_minutes") v = "240";
    }
    fields.insert(fields.end() - 1, {"version", "1"});
    r = post(page + "/edit", editor_, fields);
    ASSERT_EQ(r.status, 303U) << r.body;
    shown = get(page, editor_);
    EXPECT_TRUE(contains(shown.body, ">Bản nháp</span>")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "Quy tắc xếp lịch")) << shown.body;
    EXPECT_TRUE(contains(shown.body, "id=\"message-min-gap\">240 phút</dd>"));

    // A page from before the form held the rules posts none of them: when it comes back with an
    // error, it shows the stored rules, so that saving it as shown keeps them.
    auto old_page = message_fields("Đài phát thanh buổi sáng", "Gọi 111 khi nghi ngờ mua bán người.");
    for (auto& [k, v] : old_page) {
        if (k == "priority") v = "11";
    }
    old_page.insert(old_page.end() - 1, {"version", "2"});
    r = post(page + "/edit", editor_, old_page);
    ASSERT_EQ(r.status, 422U) << r.body;
    EXPECT_TRUE(contains(r.body, "name=\"rules\" value=\"1\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "name=\"min_gap_minutes\" value=\"240\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "name=\"airings_per_day\" value=\"2\"")) << r.body;
    EXPECT_TRUE(contains(r.body, "value=\"morning-drive\" checked")) << r.body;
    for (auto& [k, v] : old_page) {
        if (k == "priority") v = "8";
    }
    old_page.insert(old_page.end() - 1, {{"rules", "1"},
                                         {"airings_per_day", "2"},
                                         {"airings_per_week", "0"},
                                         {"max_per_outlet_per_day", "1"},
                                         {"min_gap_minutes", "240"},
                                         {"dayparts", "morning-drive"}});
    r = post(page + "/edit", editor_, old_page);
    ASSERT_EQ(r.status, 303U) << r.body;

    // Stored where the planner reads them.
    loa::core::database db(server_->dir().file("loa.db"));
    const auto c = loa::core::load_campaign(db, slug);
    ASSERT_TRUE(c);
    const auto m = std::find_if(c->messages.begin(), c->messages.end(), [&](const auto& x) { return x.id == code; });
    ASSERT_NE(m, c->messages.end());
    EXPECT_EQ(m->airings_per_day, 2);
    EXPECT_EQ(m->max_per_outlet_per_day, 1);
    EXPECT_EQ(m->min_gap_minutes, 240);
    EXPECT_EQ(m->dayparts, std::vector<std::string>{"morning-drive"});
    EXPECT_EQ(m->state, "draft");
}

TEST_F(MessagePagesTest, InvalidFormComesBackWithEveryValueAndErrorsInTheUsersLanguage) {
    const std::vector<std::pair<std::string, std::string>> bad = {{"department", "information"},
                                                                  {"title_vi", "Thông điệp thiếu nội dung"},
                                                                  {"text_vi", "   "},
                                                                  {"text_en", "English text stays"},
                                                                  {"duration_s", "-5"},
                                                                  {"priority", "11"},
                                                                  {"flight_start", "2024-07-30"},
                                                                  {"flight_end", "2024-07-01"},
                                                                  {"airings", "nhiều"},
                                                                  {"audiences", "no-such-audience"},
                                                                  {"action", "save"}};
    const auto vi = post(base + "/messages", editor_, bad);
    ASSERT_EQ(vi.status, 422U) << vi.body;
    EXPECT_TRUE(contains(vi.body, "value=\"Thông điệp thiếu nội dung\""));
    EXPECT_TRUE(contains(vi.body, ">English text stays</textarea>"));
    EXPECT_TRUE(contains(vi.body, "value=\"-5\""));
    EXPECT_TRUE(contains(vi.body, "value=\"11\""));
    EXPECT_TRUE(contains(vi.body, "value=\"nhiều\""));
    EXPECT_TRUE(contains(vi.body, "value=\"2024-07-01\""));
    EXPECT_TRUE(contains(vi.body, "id=\"message-text-vi-error\">Hãy nhập nội dung tiếng Việt.</p>"));
    EXPECT_TRUE(contains(vi.body, "id=\"message-channels-error\">Hãy chọn ít nhất một kênh.</p>"));
    EXPECT_TRUE(contains(vi.body, "id=\"message-duration-error\">"));
    EXPECT_TRUE(contains(vi.body,
                         "id=\"message-priority-error\">Hãy nhập mức ưu tiên từ 1 (thấp) đến 10 (cao).</p>"));
    EXPECT_TRUE(
        contains(vi.body, "id=\"message-flight-end-error\">Ngày cuối phải bằng hoặc sau ngày đầu.</p>"));
    EXPECT_TRUE(contains(vi.body, "id=\"message-airings-error\">"));
    EXPECT_TRUE(contains(vi.body, "id=\"message-audiences-error\">"));
    EXPECT_TRUE(contains(vi.body, "aria-invalid=\"true\""));
    // The summary lists the errors in the order of the form's fields, not of their names.
    std::vector<std::size_t> at;
    for (const char* id : {"#message-text-vi\"", "#message-channels\"", "#message-duration\"",
                           "#message-priority\"", "#message-flight-end\"", "#message-airings\"",
                           "#message-audiences\""})
        at.push_back(vi.body.find(std::string("href=\"") + id));
    for (std::size_t i = 0; i < at.size(); ++i) ASSERT_NE(at[i], std::string::npos) << i;
    EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
    // Out of its place beside the field, each message in the summary says which field it is about.
    EXPECT_TRUE(contains(vi.body, "href=\"#message-text-vi\">Nội dung bằng tiếng Việt: Hãy nhập nội dung tiếng Việt.</a>"))
        << vi.body;
    EXPECT_TRUE(contains(vi.body,
                         "href=\"#message-flight-end\">Ngày cuối thời gian phát: Ngày cuối phải bằng hoặc sau ngày đầu.</a>"));

    const auto en = post(base + "/messages", editor_, bad, "en");
    ASSERT_EQ(en.status, 422U);
    EXPECT_TRUE(contains(en.body, "id=\"message-text-vi-error\">Enter the Vietnamese text.</p>")) << en.body;
    EXPECT_TRUE(contains(en.body, "href=\"#message-text-vi\">Text in Vietnamese: Enter the Vietnamese text.</a>"));

    // Nothing was stored.
    const auto list = get(base + "/messages?department=information&state=draft", editor_);
    EXPECT_EQ(list.status, 200U);
    EXPECT_FALSE(contains(list.body, "Thông điệp thiếu nội dung"));
    // A filter value the list does not offer (a stale link) is a 400 naming it, not an empty list.
    const auto stale = get(base + "/messages?state=published", editor_);
    EXPECT_EQ(stale.status, 400U);
    EXPECT_TRUE(contains(stale.body, "Không có trạng thái thông điệp “published”")) << stale.body;
}

TEST_F(MessagePagesTest, EditorsStayInTheirDepartment) {
    const std::string page =
        create("Thông điệp của Sở Thông tin", "Hãy cảnh giác với lời mời việc nhẹ lương cao.");
    EXPECT_EQ(get(page + "/edit", other_editor_).status, 403U);
    auto edit = message_fields("Sửa trái phép", "Nội dung khác");
    edit.push_back({"version", "1"});
    EXPECT_EQ(post(page + "/edit", other_editor_, edit).status, 403U);
    EXPECT_EQ(post(page + "/submit", other_editor_, {{"version", "1"}}).status, 403U);
    // Writing for another department, even by hand-made form, is refused.
    EXPECT_EQ(
        post(base + "/messages", other_editor_, message_fields("Không phải của tôi", "Nội dung")).status,
        403U);
    // Viewers write nothing; editors approve nothing.
    EXPECT_EQ(post(base + "/messages", viewer_, message_fields("Người xem", "Nội dung")).status, 403U);
    EXPECT_EQ(post(page + "/approve", editor_, {{"version", "1"}}).status, 403U);
    EXPECT_EQ(get(base + "/approvals", editor_).status, 403U);
    // The page itself is readable by everyone signed in.
    EXPECT_EQ(get(page, other_editor_).status, 200U);
    EXPECT_EQ(get(page + "/edit", editor_).status, 200U);
}

TEST_F(MessagePagesTest, RejectNeedsACommentThatTheHistoryShows) {
    const std::string page = create("Cần sửa", "Nội dung cần được góp ý.");
    ASSERT_EQ(post(page + "/submit", editor_, {{"version", "1"}}).status, 303U);
    const auto refused = post(page + "/reject", approver_, {{"version", "1"}, {"comment", "  "}});
    ASSERT_EQ(refused.status, 422U) << refused.body;
    EXPECT_TRUE(
        contains(refused.body, "id=\"message-comment-error\">Hãy ghi ý kiến cho biết cần sửa gì.</p>"));
    // The summary that takes the focus, as on every form sent back with errors.
    EXPECT_TRUE(contains(refused.body, "id=\"message-review-errors\"")) << refused.body;
    // A comment has a limit, like every other text.
    std::string long_comment;
    for (int i = 0; i < 2001; ++i) long_comment += "ý";
    const auto too_long = post(page + "/reject", approver_, {{"version", "1"}, {"comment", long_comment}});
    ASSERT_EQ(too_long.status, 422U) << too_long.body;
    EXPECT_TRUE(contains(too_long.body, "Ý kiến quá dài (tối đa 2000 ký tự).")) << too_long.body;
    const auto r = post(page + "/reject", approver_,
                        {{"version", "1"}, {"comment", "Cần sửa:\n1. Thêm số 113 của công an."}});
    ASSERT_EQ(r.status, 303U) << r.body;
    const auto shown = get(page, editor_);
    EXPECT_TRUE(contains(shown.body, ">Bị trả lại</span>"));
    // Its line breaks are kept.
    EXPECT_TRUE(contains(shown.body, "<blockquote class=\"review-comment keep-lines\">Cần sửa:\n1. Thêm số 113 của "
                                     "công an.</blockquote>"))
        << shown.body;
    // Approving a version other than the current one is refused.
    EXPECT_EQ(post(page + "/approve", approver_, {{"version", "1"}}).status, 409U);
}

TEST_F(MessagePagesTest, AFormBasedOnAnOldVersionKeepsWhatWasTyped) {
    const std::string page = create("Hai người cùng sửa", "Phiên bản đầu.");
    auto first = message_fields("Hai người cùng sửa", "Sửa lần một.");
    first.push_back({"version", "1"});
    ASSERT_EQ(post(page + "/edit", editor_, first).status, 303U);
    auto second = message_fields("Hai người cùng sửa", "Sửa lần hai, dựa trên bản cũ.");
    second.push_back({"version", "1"});
    const auto r = post(page + "/edit", editor_, second);
    ASSERT_EQ(r.status, 409U) << r.body;
    EXPECT_TRUE(contains(r.body, "id=\"message-conflict\""));
    EXPECT_TRUE(contains(r.body, ">Sửa lần hai, dựa trên bản cũ.</textarea>"));
    EXPECT_TRUE(contains(r.body, "name=\"version\" value=\"2\""));
}

TEST_F(MessagePagesTest, HostileTitlesAndTextAreShownAsText) {
    const std::string script = "<script>alert(1)</script>";
    const std::string img = "\"><img src=x onerror=alert(1)>";
    const std::string page = create(script, img + " Gọi 111.");
    const std::string other = create(img, script);
    ASSERT_EQ(post(page + "/submit", editor_, {{"version", "1"}}).status, 303U);
    for (const std::string& target : {page, other, base + "/messages", base + "/approvals", page + "/edit",
                                     std::string("/audit"), base + "/audit"}) {
        const auto r = get(target, target.ends_with("/edit") ? editor_ : approver_);
        SCOPED_TRACE(target);
        ASSERT_EQ(r.status, 200U) << r.body;
        EXPECT_FALSE(contains(r.body, script));
        EXPECT_FALSE(contains(r.body, "<img src=x"));
        EXPECT_TRUE(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;")) << r.body;
    }
}

TEST_F(MessagePagesTest, LivePreviewFragmentAndItsScript) {
    // The fragment /static/messages.js swaps in while typing: the same previews as the Preview button.
    auto fields = message_fields("Xem trước", "Gọi 111 ngay khi thấy dấu hiệu mua bán người.");
    fields.back() = {"action", "preview"};
    const auto r = post(base + "/messages/preview", editor_, fields);
    ASSERT_EQ(r.status, 200U) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.body.find_first_not_of(" \n"), r.body.find("<div class=\"previews\" id=\"message-previews\""))
        << r.body;
    EXPECT_TRUE(contains(r.body, "1 tin SMS · UCS-2 · 45 ký tự, 70 ký tự mỗi tin"));
    EXPECT_FALSE(contains(r.body, "<html"));
    const auto js = send("GET", "/static/messages.js", nullptr);
    EXPECT_EQ(js.status, 200U);
    EXPECT_TRUE(contains(js.body, "message-previews"));
    EXPECT_TRUE(contains(get(base + "/messages/new", editor_).body, "<script src=\"/static/messages.js?v="));
}

TEST_F(MessagePagesTest, PostsWithoutTheCsrfTokenAreRefused) {
    const std::string page = create("Kiểm tra CSRF", "Nội dung.");
    const auto r = send("POST", page + "/submit", &editor_, form_encode({{"version", "1"}}));
    EXPECT_EQ(r.status, 403U);
    EXPECT_TRUE(contains(get(page, editor_).body, ">Bản nháp</span>"));
}

}  // namespace message_pages_test_cpp
}  // namespace
