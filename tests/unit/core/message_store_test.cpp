// The message store against real SQLite files: versions, the review workflow bound to a version,
// audit rows with before/after, history with user names, filters, and file imports.
#include "core/storage/message_store.hpp"

#include <algorithm>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "core/storage/audit_store.hpp"
#include "core/storage/campaign_store.hpp"

#include "tests/support/temp_dir.hpp"

namespace {
namespace message_store_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace date::literals;
using date::July;

using loa::testing::temp_dir;

constexpr const char* slug = "haiphong-2024";

campaign small_campaign() {
    campaign c;
    c.slug = slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.audiences = {{"tre-em-duoi-16", {"Trẻ em dưới 16 tuổi", "Children under 16"}},
                   {"phu-huynh", {"Phụ huynh", "Parents"}}};
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", ""}, "24/7"}};
    c.departments = {{"giao-duc", {"Sở Giáo dục và Đào tạo", ""}, {}},
                     {"bao-chi", {"Báo Hải Phòng", ""}, {}}};
    outlet radio;
    radio.slug = "vov-hai-phong";
    radio.name = {"Đài phát thanh Hải Phòng", ""};
    radio.kind = "radio";
    radio.time_zone = "Asia/Ho_Chi_Minh";
    radio.languages = {"vi"};
    c.outlets = {radio};
    message spot;
    spot.id = "spot-tu-file";
    spot.department = "bao-chi";
    spot.title = {"Thông điệp từ tệp", ""};
    spot.text = {"Hãy gọi 111 khi thấy dấu hiệu mua bán người.", ""};
    spot.channels = {"radio"};
    spot.duration_s = 30;
    spot.priority = 7;
    spot.flight_start = 2024_y / July / 1;
    spot.flight_end = 2024_y / July / 31;
    spot.airings = 10;
    spot.state = "approved";
    c.messages = {spot};
    return c;
}

message new_message() {
    message m;
    m.department = "giao-duc";
    m.title = {"Tin nhắn ngày 30/7", "30 July SMS"};
    m.text = {"Hải Phòng: hãy gọi 111 (miễn phí) khi thấy dấu hiệu mua bán người.", ""};
    m.channels = {"sms", "radio"};
    m.duration_s = 20;
    m.priority = 9;
    m.flight_start = 2024_y / July / 29;
    m.flight_end = 2024_y / July / 30;
    m.airings = 3;
    m.audiences = {"phu-huynh"};
    m.outlets = {"vov-hai-phong"};
    return m;
}

class MessageStore : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {small_campaign()});
        editor_ = {add_user("Nguyễn Thị Hoa", "editor", "giao-duc"), "Nguyễn Thị Hoa"};
        approver_ = {add_user("Trần Văn Bình", "approver", ""), "Trần Văn Bình"};
    }

    std::int64_t add_user(const std::string& name, const std::string& role, const std::string& department) {
        SQLite::Statement st(
            db_->sql(),
            "INSERT INTO users (name, password_hash, role, department, created_at, updated_at) "
            "VALUES (?, 'x', ?, ?, '2024-07-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z')");
        st.bind(1, name);
        st.bind(2, role);
        st.bind(3, department);
        st.exec();
        return db_->sql().getLastInsertRowid();
    }

    int count(const std::string& sql) { return db_->sql().execAndGet(sql).getInt(); }

    audit_page audits(const std::string& action) {
        audit_query q;
        q.entity = "message";
        q.action = action;
        return query_audit(db_->sql(), q);
    }

    temp_dir dir_;
    std::optional<database> db_;
    message_actor editor_;
    message_actor approver_;
};

TEST_F(MessageStore, CreateIsAWebDraftAtVersionOneWithAnAuditRow) {
    const message_result r = create_message(*db_, slug, new_message(), editor_);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.item.id, "tin-nhan-ngay-30-7");
    EXPECT_EQ(r.value.item.state, "draft");
    EXPECT_EQ(r.value.version, 1);
    EXPECT_EQ(r.value.origin, "web");
    EXPECT_FALSE(r.value.approved_version);
    EXPECT_EQ(r.value.item.channels, (std::vector<std::string>{"sms", "radio"}));
    EXPECT_EQ(r.value.item.audiences, (std::vector<std::string>{"phu-huynh"}));
    EXPECT_EQ(r.value.item.outlets, (std::vector<std::string>{"vov-hai-phong"}));
    EXPECT_EQ(count("SELECT count(*) FROM message_versions"), 1);

    const audit_page a = audits("create");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].actor, "Nguyễn Thị Hoa");
    EXPECT_EQ(a.records[0].user_id, editor_.user_id);
    EXPECT_EQ(a.records[0].entity_key, "tin-nhan-ngay-30-7");
    EXPECT_EQ(a.records[0].campaign_slug, slug);
    EXPECT_FALSE(a.records[0].before_json);
    ASSERT_TRUE(a.records[0].after_json);
    EXPECT_NE(a.records[0].after_json->find("\"state\":\"draft\""), std::string::npos);
    EXPECT_NE(a.records[0].after_json->find("Hải Phòng: hãy gọi 111"), std::string::npos);

    // The same title again gets a fresh code.
    EXPECT_EQ(create_message(*db_, slug, new_message(), editor_).value.item.id, "tin-nhan-ngay-30-7-2");
}

TEST_F(MessageStore, BadReferencesWriteNothing) {
    message m = new_message();
    m.department = "khong-co";
    EXPECT_EQ(create_message(*db_, slug, m, editor_).error, message_errc::unknown_department);
    m = new_message();
    m.audiences = {"ai-do"};
    EXPECT_EQ(create_message(*db_, slug, m, editor_).error, message_errc::unknown_audience);
    m = new_message();
    m.channels = {"fax"};
    EXPECT_EQ(create_message(*db_, slug, m, editor_).error, message_errc::unknown_channel);
    m = new_message();
    m.outlets = {"khong-co"};
    EXPECT_EQ(create_message(*db_, slug, m, editor_).error, message_errc::unknown_outlet);
    m = new_message();
    m.channels = {"sms"};  // the radio outlet needs the radio channel
    EXPECT_EQ(create_message(*db_, slug, m, editor_).error, message_errc::outlet_channel);
    EXPECT_EQ(create_message(*db_, "khong-co", new_message(), editor_).error, message_errc::unknown_campaign);
    EXPECT_EQ(count("SELECT count(*) FROM messages"), 1);  // the file's
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), 0);
}

TEST_F(MessageStore, EditBumpsTheVersionAndKeepsEveryVersion) {
    const std::string code = create_message(*db_, slug, new_message(), editor_).value.item.id;
    message m = new_message();
    m.text.vi = "Hải Phòng: gọi ngay 111 – miễn phí, suốt ngày đêm.";
    const message_result r = update_message(*db_, slug, code, m, editor_, 1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.version, 2);
    EXPECT_EQ(r.value.item.text.vi, m.text.vi);
    EXPECT_EQ(r.value.item.id, code);

    // Saving the same content again changes nothing, also with its choices listed in another
    // order (a form lists its checkboxes in the campaign's order, a file in its writer's).
    const message_result same = update_message(*db_, slug, code, m, editor_, 2);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same.value.version, 2);
    EXPECT_EQ(audits("edit").total, 1);
    message reordered = m;
    std::reverse(reordered.channels.begin(), reordered.channels.end());
    ASSERT_NE(reordered.channels, m.channels);
    const message_result still = update_message(*db_, slug, code, reordered, editor_, 2);
    ASSERT_TRUE(still.ok());
    EXPECT_EQ(still.value.version, 2);
    EXPECT_EQ(still.value.item.channels, m.channels);  // the order stored stays
    EXPECT_EQ(audits("edit").total, 1);

    // A form based on version 1 is stale now.
    m.priority = 3;
    EXPECT_EQ(update_message(*db_, slug, code, m, editor_, 1).error, message_errc::stale_version);

    const auto h = find_message_history(*db_, slug, code);
    ASSERT_TRUE(h);
    ASSERT_EQ(h->versions.size(), 2u);
    EXPECT_EQ(h->versions[0].version, 2);
    EXPECT_EQ(h->versions[0].content.text.vi, "Hải Phòng: gọi ngay 111 – miễn phí, suốt ngày đêm.");
    EXPECT_EQ(h->versions[0].author, "Nguyễn Thị Hoa");
    EXPECT_EQ(h->versions[1].content.text.vi, new_message().text.vi);

    const audit_page e = audits("edit");
    ASSERT_EQ(e.records.size(), 1u);
    ASSERT_TRUE(e.records[0].before_json && e.records[0].after_json);
    EXPECT_NE(e.records[0].before_json->find("\"version\":1"), std::string::npos);
    EXPECT_NE(e.records[0].after_json->find("\"version\":2"), std::string::npos);
    EXPECT_NE(e.records[0].after_json->find("suốt ngày đêm"), std::string::npos);
}

TEST_F(MessageStore, ApprovalIsBoundToTheVersionApproved) {
    const std::string code = create_message(*db_, slug, new_message(), editor_).value.item.id;
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 1).ok());
    // Approving a version other than the one submitted fails.
    EXPECT_EQ(approve_message(*db_, slug, code, approver_, 2, "").error, message_errc::stale_version);
    const message_result a = approve_message(*db_, slug, code, approver_, 1, "Đồng ý phát.");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.value.item.state, "approved");
    EXPECT_EQ(a.value.approved_version, 1);
    EXPECT_TRUE(a.value.approved());
    ASSERT_TRUE(approved_message(*db_, slug, code));
    EXPECT_EQ(approved_message(*db_, slug, code)->text.vi, new_message().text.vi);

    // Editing the approved message makes version 2, a draft: nothing is approved any more.
    message m = new_message();
    m.text.vi = "Nội dung đã sửa sau khi duyệt.";
    const message_result edited = update_message(*db_, slug, code, m, editor_, 1);
    ASSERT_TRUE(edited.ok());
    EXPECT_EQ(edited.value.item.state, "draft");
    EXPECT_EQ(edited.value.version, 2);
    EXPECT_EQ(edited.value.approved_version, 1);  // history: version 1 was approved
    EXPECT_FALSE(edited.value.approved());
    EXPECT_FALSE(approved_message(*db_, slug, code));

    // Submit and approve version 2.
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 2).ok());
    ASSERT_TRUE(approve_message(*db_, slug, code, approver_, 2, "").ok());
    EXPECT_EQ(approved_message(*db_, slug, code)->text.vi, "Nội dung đã sửa sau khi duyệt.");

    const auto h = find_message_history(*db_, slug, code);
    ASSERT_TRUE(h);
    ASSERT_EQ(h->reviews.size(), 5u);
    EXPECT_EQ(h->reviews[0].action, "approve");
    EXPECT_EQ(h->reviews[0].version, 2);
    EXPECT_EQ(h->reviews[2].action, "reopen");
    EXPECT_EQ(h->reviews[2].reviewer, "Nguyễn Thị Hoa");
    EXPECT_EQ(h->reviews[3].action, "approve");
    EXPECT_EQ(h->reviews[3].comment, "Đồng ý phát.");
    EXPECT_EQ(h->reviews[3].reviewer, "Trần Văn Bình");
    EXPECT_EQ(h->reviews[3].version, 1);
}

TEST_F(MessageStore, TransitionsOnlyFromTheirStates) {
    const std::string code = create_message(*db_, slug, new_message(), editor_).value.item.id;
    EXPECT_EQ(approve_message(*db_, slug, code, approver_, 1, "").error, message_errc::wrong_state);
    EXPECT_EQ(reject_message(*db_, slug, code, approver_, 1, "Chưa được").error, message_errc::wrong_state);
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_).ok());
    EXPECT_EQ(submit_message(*db_, slug, code, editor_).error, message_errc::wrong_state);
    EXPECT_EQ(submit_message(*db_, slug, "khong-co", editor_).error, message_errc::not_found);
    EXPECT_EQ(audits("submit").total, 1);
}

TEST_F(MessageStore, RejectNeedsACommentAndEditingReturnsToDraft) {
    const std::string code = create_message(*db_, slug, new_message(), editor_).value.item.id;
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 1).ok());
    EXPECT_EQ(reject_message(*db_, slug, code, approver_, 1, "  \n ").error, message_errc::comment_required);
    const message_result r = reject_message(*db_, slug, code, approver_, 1, "Thiếu số đường dây nóng 113.");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.item.state, "rejected");
    EXPECT_FALSE(r.value.approved_version);
    EXPECT_EQ(submit_message(*db_, slug, code, editor_).error, message_errc::wrong_state);

    const audit_page a = audits("reject");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].actor, "Trần Văn Bình");
    EXPECT_NE(a.records[0].before_json->find("\"state\":\"submitted\""), std::string::npos);
    EXPECT_NE(a.records[0].after_json->find("\"state\":\"rejected\""), std::string::npos);

    message m = new_message();
    m.text.vi += " Hoặc gọi 113.";
    const message_result edited = update_message(*db_, slug, code, m, editor_);
    ASSERT_TRUE(edited.ok());
    EXPECT_EQ(edited.value.item.state, "draft");
    EXPECT_TRUE(submit_message(*db_, slug, code, editor_, 2).ok());
    const auto h = find_message_history(*db_, slug, code);
    EXPECT_EQ(h->reviews[2].action, "reject");
    EXPECT_EQ(h->reviews[2].comment, "Thiếu số đường dây nóng 113.");
}

TEST_F(MessageStore, FileMessagesKeepTheirFirstVersionWhenEdited) {
    auto file = find_message(*db_, slug, "spot-tu-file");
    ASSERT_TRUE(file);
    EXPECT_EQ(file->origin, "file");
    EXPECT_TRUE(file->approved());  // approved by the file
    EXPECT_TRUE(approved_message(*db_, slug, "spot-tu-file"));

    message m = file->item;
    m.duration_s = 45;
    const message_result r = update_message(*db_, slug, "spot-tu-file", m, editor_, 1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.version, 2);
    EXPECT_EQ(r.value.origin, "web");
    EXPECT_EQ(r.value.item.state, "draft");
    EXPECT_FALSE(approved_message(*db_, slug, "spot-tu-file"));
    const auto h = find_message_history(*db_, slug, "spot-tu-file");
    ASSERT_EQ(h->versions.size(), 2u);
    EXPECT_EQ(h->versions[1].version, 1);
    EXPECT_EQ(h->versions[1].content.duration_s, 30);
    EXPECT_EQ(h->versions[1].author, "");

    // A later import of the file leaves the edited message alone (documented in campaign-format.md).
    const import_stats s = import_campaigns(*db_, {small_campaign()});
    EXPECT_EQ(s.updated, 0);
    EXPECT_EQ(find_message(*db_, slug, "spot-tu-file")->item.duration_s, 45);
    EXPECT_EQ(find_message(*db_, slug, "spot-tu-file")->item.state, "draft");
}

// A message submitted in its file and approved in the form: what goes out (feeds, webhooks) is the
// content approved, and the history keeps that version.
TEST_F(MessageStore, AFileMessageApprovedInTheFormGoesOutAsApproved) {
    campaign c = small_campaign();
    c.messages[0].state = "submitted";
    import_campaigns(*db_, {c});
    ASSERT_EQ(find_message(*db_, slug, "spot-tu-file")->item.state, "submitted");
    EXPECT_FALSE(approved_message(*db_, slug, "spot-tu-file"));
    ASSERT_TRUE(approve_message(*db_, slug, "spot-tu-file", approver_, 1, "Đồng ý phát").ok());
    const auto out = approved_message(*db_, slug, "spot-tu-file");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->text.vi, "Hãy gọi 111 khi thấy dấu hiệu mua bán người.");
    EXPECT_EQ(out->state, "approved");
    const auto h = find_message_history(*db_, slug, "spot-tu-file");
    ASSERT_EQ(h->versions.size(), 1u);
    EXPECT_EQ(h->versions[0].version, 1);
    EXPECT_EQ(h->versions[0].content.text.vi, "Hãy gọi 111 khi thấy dấu hiệu mua bán người.");

    // The file corrected and imported again, submitted again: what the approver sees and approves
    // next is what goes out, as the next version (the first one's row keeps the first text). The
    // import made it the next version: an approval of what a page showed before it is stale.
    c.messages[0].text.vi = "Hãy gọi 111 ngay khi thấy dấu hiệu mua bán người.";
    import_campaigns(*db_, {c});
    EXPECT_FALSE(approved_message(*db_, slug, "spot-tu-file"));  // submitted, as the file says
    EXPECT_EQ(approve_message(*db_, slug, "spot-tu-file", approver_, 1, "").error, message_errc::stale_version);
    ASSERT_TRUE(approve_message(*db_, slug, "spot-tu-file", approver_, 2, "").ok());
    const auto corrected = approved_message(*db_, slug, "spot-tu-file");
    ASSERT_TRUE(corrected);
    EXPECT_EQ(corrected->text.vi, "Hãy gọi 111 ngay khi thấy dấu hiệu mua bán người.");
    EXPECT_EQ(find_message(*db_, slug, "spot-tu-file")->version, 2);
    const auto h2 = find_message_history(*db_, slug, "spot-tu-file");
    ASSERT_EQ(h2->versions.size(), 2u);
    EXPECT_EQ(h2->versions[1].content.text.vi, "Hãy gọi 111 khi thấy dấu hiệu mua bán người.");
    // Only a planner's rule changed in the file, submitted again: the approval is of the next
    // version too, whose row holds the rule (the one before keeps the earlier rules).
    c.messages[0].min_gap_minutes = 120;
    import_campaigns(*db_, {c});
    ASSERT_EQ(find_message(*db_, slug, "spot-tu-file")->item.state, "submitted");
    ASSERT_TRUE(approve_message(*db_, slug, "spot-tu-file", approver_, 3, "").ok());
    const auto ruled = find_message(*db_, slug, "spot-tu-file");
    EXPECT_EQ(ruled->version, 3);
    EXPECT_EQ(ruled->approved_version, 3);
    const auto h3 = find_message_history(*db_, slug, "spot-tu-file");
    ASSERT_EQ(h3->versions.size(), 3u);
    EXPECT_EQ(h3->versions[0].version, 3);  // newest first
    EXPECT_TRUE(h3->versions[0].rules_recorded);
    EXPECT_EQ(h3->versions[0].content.min_gap_minutes, 120);
    EXPECT_EQ(h3->versions[1].content.min_gap_minutes, 0);
    // Approved in the file itself, with new text: that text goes out.
    c.messages[0].state = "approved";
    c.messages[0].text.vi = "Gọi 111 (miễn phí) khi thấy dấu hiệu mua bán người.";
    import_campaigns(*db_, {c});
    const auto from_file = approved_message(*db_, slug, "spot-tu-file");
    ASSERT_TRUE(from_file);
    EXPECT_EQ(from_file->text.vi, "Gọi 111 (miễn phí) khi thấy dấu hiệu mua bán người.");

    // A database where such an approval was stored without the version's row (before it was kept):
    // the version approved is the message's own, and it still goes out.
    c.messages[0].state = "submitted";
    import_campaigns(*db_, {c});
    // (The file's new text was a version of its own: the fourth.)
    ASSERT_TRUE(approve_message(*db_, slug, "spot-tu-file", approver_, 4, "").ok());
    db_->sql().exec("DELETE FROM message_versions");
    const auto still = approved_message(*db_, slug, "spot-tu-file");
    ASSERT_TRUE(still);
    EXPECT_EQ(still->text.vi, "Gọi 111 (miễn phí) khi thấy dấu hiệu mua bán người.");
}

TEST_F(MessageStore, ListFilters) {
    ASSERT_TRUE(create_message(*db_, slug, new_message(), editor_).ok());
    auto all = list_messages(*db_, slug);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].item.id, "spot-tu-file");
    EXPECT_EQ((*all)[1].item.outlets, (std::vector<std::string>{"vov-hai-phong"}));
    message_filter f;
    f.department = "giao-duc";
    EXPECT_EQ(list_messages(*db_, slug, f)->size(), 1u);
    f = {};
    f.state = "approved";
    EXPECT_EQ(list_messages(*db_, slug, f)->front().item.id, "spot-tu-file");
    f = {};
    f.channel = "sms";
    EXPECT_EQ(list_messages(*db_, slug, f)->size(), 1u);
    f = {};
    f.audience = "phu-huynh";
    EXPECT_EQ(list_messages(*db_, slug, f)->size(), 1u);
    EXPECT_FALSE(list_messages(*db_, "khong-co"));
}

TEST_F(MessageStore, ContentJsonRoundTrips) {
    message m = new_message();
    m.id = "ma-\"la\"";
    m.title.vi = "<script>alert(1)</script>";
    const auto back = message_from_content_json(message_content_json(m));
    ASSERT_TRUE(back);
    m.state.clear();
    EXPECT_EQ(*back, m);
    EXPECT_FALSE(message_from_content_json("{\"code\": 1}"));
    EXPECT_FALSE(message_from_content_json("not json"));
}

TEST_F(MessageStore, AuditQueryFiltersAndPages) {
    const std::string code = create_message(*db_, slug, new_message(), editor_).value.item.id;
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_).ok());
    ASSERT_TRUE(approve_message(*db_, slug, code, approver_, 1, "").ok());

    audit_query q;
    EXPECT_EQ(query_audit(db_->sql(), q).total, 3);
    EXPECT_EQ(query_audit(db_->sql(), q).records[0].action, "approve");  // newest first
    q.actor = "trần văn bình";  // ASCII letters compare case-insensitively
    EXPECT_EQ(query_audit(db_->sql(), q).total, 1);
    q.actor = "TRẦN VĂN BÌNH";  // SQLite's NOCASE folds ASCII only: Ầ is not ầ
    EXPECT_EQ(query_audit(db_->sql(), q).total, 0);
    q.actor = "Trần Văn Bình";
    EXPECT_EQ(query_audit(db_->sql(), q).total, 1);
    q = {};
    q.user_id = editor_.user_id;
    EXPECT_EQ(query_audit(db_->sql(), q).total, 2);
    q = {};
    q.limit = 1;
    q.offset = 1;
    const audit_page page = query_audit(db_->sql(), q);
    EXPECT_EQ(page.total, 3);
    ASSERT_EQ(page.records.size(), 1u);
    EXPECT_EQ(page.records[0].action, "submit");
    q = {};
    const std::string today = audit_now_utc().substr(0, 10);
    q.from = today;
    q.to = today;
    EXPECT_EQ(query_audit(db_->sql(), q).total, 3);
    q.to = "2000-01-01";
    EXPECT_EQ(query_audit(db_->sql(), q).total, 0);
    q = {};
    q.campaign_slug = slug;
    EXPECT_EQ(query_audit(db_->sql(), q).total, 3);
    q.campaign_slug = "khong-co";
    EXPECT_EQ(query_audit(db_->sql(), q).total, 0);
    EXPECT_EQ(audit_entities(db_->sql()), (std::vector<std::string>{"message"}));
    EXPECT_EQ(audit_actors(db_->sql()), (std::vector<std::string>{"Nguyễn Thị Hoa", "Trần Văn Bình"}));
    EXPECT_EQ(audit_actions(db_->sql()), (std::vector<std::string>{"approve", "create", "submit"}));
}

TEST(AuditStore, RowsRollBackWithTheirTransaction) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    {
        SQLite::Transaction tx(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
        audit_entry e;
        e.actor = "loa import";
        e.entity = "campaign";
        e.entity_key = "x";
        e.action = "import";
        record_audit(db.sql(), e);
        // no commit
    }
    EXPECT_EQ(query_audit(db.sql(), {}).total, 0);
}

// The commands write themselves two ways; the log lists them as one actor and finds both.
TEST(AuditStore, TheCommandLineIsOneActor) {
    temp_dir dir;
    database db(dir.file("loa.db"));
    for (const char* actor : {"cli", "(command line)", "Nguyễn Thị Hoa"}) {
        audit_entry e;
        e.actor = actor;
        e.entity = "user";
        e.entity_key = actor;
        e.action = "create";
        record_audit(db.sql(), e);
    }
    EXPECT_EQ(audit_actors(db.sql()), (std::vector<std::string>{"Nguyễn Thị Hoa", "cli"}));
    for (const char* actor : {"cli", "(command line)", "CLI", "(Command Line)"}) {
        audit_query q;
        q.actor = actor;
        EXPECT_EQ(query_audit(db.sql(), q).total, 2) << actor;
    }
    audit_query hoa;
    hoa.actor = "Nguyễn Thị Hoa";
    EXPECT_EQ(query_audit(db.sql(), hoa).total, 1);
}

}  // namespace message_store_test_cpp
}  // namespace
