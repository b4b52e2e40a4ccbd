// The webhook body: every documented field, byte-identical for the same inputs, Vietnamese and
// hostile text through JSON, and only ever the approved content (a real SQLite file).
#include "scheduler/dispatch/payload.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace payload_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace sd = loa::scheduler::dispatch;
using namespace loa::core;
using namespace date::literals;
using date::July;
using namespace std::chrono_literals;

const fs::path template_dir = fs::path(LOA_SOURCE_DIR) / "templates" / "messages";
constexpr const char* slug = "haiphong-2024";

// 2024-07-29 12:00:00 UTC: 19:00 on Monday in Hai Phong.
const std::chrono::sys_seconds monday_19h = date::sys_days{2024_y / July / 29} + 12h;
// When the runner builds the body: 11:59:30.250 UTC the same day.
const ms_time built_at =
    ms_time(date::sys_days{2024_y / July / 29}.time_since_epoch() + 11h + 59min + 30s + 250ms);

outlet thp_radio() {
    outlet o;
    o.slug = "thp-radio";
    o.name = {"Đài Phát thanh và Truyền hình Hải Phòng", "Hai Phong Radio and Television"};
    o.kind = "radio";
    o.time_zone = "Asia/Ho_Chi_Minh";
    o.languages = {"vi", "en"};
    o.dayparts = {{"news", {"Thời sự tối", "Evening news"}, 0x7f, 19h, 20h, 10}};
    return o;
}

outlet zalo_page() {
    outlet o;
    o.slug = "zalo-hai-phong";
    o.name = {"Trang Zalo Hải Phòng", ""};
    o.kind = "social";
    o.time_zone = "Asia/Ho_Chi_Minh";
    o.languages = {"vi"};
    return o;
}

message file_spot() {
    message m;
    m.id = "spot-111";
    m.department = "lao-dong";
    m.title = {"Giới thiệu Tổng đài 111", "Hotline 111"};
    m.text = {"Tổng đài 111 luôn lắng nghe, miễn phí, cả ngày lẫn đêm. Hãy gọi 111.",
              "The 111 hotline is free and answers day and night. Call 111."};
    m.channels = {"radio", "social"};
    m.duration_s = 30;
    m.priority = 8;
    m.flight_start = 2024_y / July / 1;
    m.flight_end = 2024_y / July / 31;
    m.airings = 20;
    m.state = "approved";  // approved in the campaign file
    return m;
}

campaign hai_phong() {
    campaign c;
    c.slug = slug;
    c.title = {"Tháng hành động phòng, chống mua bán người 2024", "Anti-trafficking month 2024"};
    c.theme = {"Không để trẻ em nào bị bỏ lại phía sau", "No child left behind"};
    c.period_start = 2024_y / July / 1;
    c.period_end = 2024_y / July / 31;
    c.time_zone = "Asia/Ho_Chi_Minh";
    c.hotlines = {{"111", {"Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline"}, "24/7"}};
    c.key_dates = {{2024_y / July / 30, {"Ngày toàn dân phòng, chống mua bán người", "National Day"}, 3.0}};
    c.departments = {{"lao-dong", {"Sở Lao động – Thương binh và Xã hội", ""}, {}}};
    c.outlets = {thp_radio(), zalo_page()};
    c.messages = {file_spot()};
    return c;
}

claimed_dispatch due(const std::string& message_code, const std::string& outlet_slug) {
    claimed_dispatch d;
    d.id = 7;
    d.webhook_id = "msg_2kq7xw4j5n6p3r8t9v2b4c6d8f0h2j4l";
    d.attempt = 1;
    d.target_id = 3;
    d.target_name = "thp-automation";
    d.url = "https://playout.thp.example/loa";
    d.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    d.placement_id = 123;
    d.campaign = slug;
    d.message = message_code;
    d.outlet = outlet_slug;
    d.start = monday_19h;
    d.due = ms_time(monday_19h);
    d.duration_s = 30;
    d.daypart = outlet_slug == "thp-radio" ? "news" : "";
    d.placement_state = "planned";
    return d;
}

class Payload : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {hai_phong()});
    }

    loa::testing::temp_dir dir_;
    std::optional<database> db_;
    const channel_templates templates_{template_dir};
    const audit_actor editor_{std::nullopt, "Nguyễn Thị Hoa"};
    const audit_actor approver_{std::nullopt, "Trần Văn Bình"};
};

TEST_F(Payload, EveryDocumentedField) {
    sd::payload_source source(templates_);
    const auto body = source.body_for(*db_, due("spot-111", "thp-radio"), built_at);
    ASSERT_TRUE(body);
    const json::value v = json::parse(*body);
    EXPECT_EQ(v.at("type"), "placement.due");
    EXPECT_EQ(v.at("timestamp"), "2024-07-29T11:59:30Z");  // whole seconds, as webhook-timestamp
    const json::object& data = v.at("data").as_object();
    EXPECT_EQ(data.at("placement_id"), 123);
    EXPECT_EQ(data.at("webhook_id"), "msg_2kq7xw4j5n6p3r8t9v2b4c6d8f0h2j4l");
    EXPECT_EQ(data.at("campaign").at("slug"), slug);
    EXPECT_EQ(data.at("campaign").at("title").at("vi"), "Tháng hành động phòng, chống mua bán người 2024");
    EXPECT_EQ(data.at("campaign").at("title").at("en"), "Anti-trafficking month 2024");
    const json::object& m = data.at("message").as_object();
    EXPECT_EQ(m.at("code"), "spot-111");
    EXPECT_EQ(m.at("version"), 0);  // approved in the campaign file
    EXPECT_EQ(m.at("department"), "lao-dong");
    EXPECT_EQ(m.at("priority"), 8);
    EXPECT_EQ(m.at("duration_s"), 30);
    const json::object& o = data.at("outlet").as_object();
    EXPECT_EQ(o.at("slug"), "thp-radio");
    EXPECT_EQ(o.at("name").at("vi"), "Đài Phát thanh và Truyền hình Hải Phòng");
    EXPECT_EQ(o.at("kind"), "radio");
    EXPECT_EQ(o.at("time_zone"), "Asia/Ho_Chi_Minh");
    const json::object& s = data.at("slot").as_object();
    EXPECT_EQ(s.at("start"), "2024-07-29T19:00:00+07:00");
    EXPECT_EQ(s.at("start_utc"), "2024-07-29T12:00:00Z");
    EXPECT_EQ(s.at("duration_s"), 30);
    EXPECT_EQ(s.at("daypart"), "news");
    // One entry per language the outlet carries, its first language first, rendered with the slot.
    const json::array& content = data.at("content").as_array();
    ASSERT_EQ(content.size(), 2u);
    EXPECT_EQ(content[0].at("lang"), "vi");
    EXPECT_EQ(content[0].at("channel"), "radio");
    const std::string vi(content[0].at("text").as_string());
    EXPECT_NE(
        vi.find(
            "[Phát lúc 19:00 thứ Hai 29/07/2024 — Thời sự tối — Đài Phát thanh và Truyền hình Hải Phòng]"),
        std::string::npos)
        << vi;
    EXPECT_NE(vi.find(file_spot().text.vi), std::string::npos) << vi;
    EXPECT_EQ(content[1].at("lang"), "en");
    const std::string en(content[1].at("text").as_string());
    EXPECT_NE(
        en.find("[On air at 19:00 on Monday 29 July 2024 — Evening news — Hai Phong Radio and Television]"),
        std::string::npos)
        << en;
    // The text is exactly what the same renderer gives the preview and the feeds for this slot.
    const campaign c = *load_campaign(*db_, slug);
    EXPECT_EQ(vi, templates_.render("radio", file_spot(), channel_context_of(c), "vi",
                                    slot_context_of(thp_radio(), monday_19h, 30, "news")));
}

TEST_F(Payload, ByteForByteAsDocumentedKeyOrderIncluded) {
    sd::payload_source source(templates_);
    const auto body = source.body_for(*db_, due("spot-111", "zalo-hai-phong"), built_at);
    ASSERT_TRUE(body);
    EXPECT_EQ(
        *body,
        R"({"type":"placement.due","timestamp":"2024-07-29T11:59:30Z","data":{"placement_id":123,)"
        R"("webhook_id":"msg_2kq7xw4j5n6p3r8t9v2b4c6d8f0h2j4l","campaign":{"slug":"haiphong-2024",)"
        R"("title":{"vi":"Tháng hành động phòng, chống mua bán người 2024","en":"Anti-trafficking month 2024"}},)"
        R"("message":{"code":"spot-111","version":0,"department":"lao-dong","priority":8,"duration_s":30},)"
        R"("outlet":{"slug":"zalo-hai-phong","name":{"vi":"Trang Zalo Hải Phòng","en":"Trang Zalo Hải Phòng"},)"
        R"("kind":"social","time_zone":"Asia/Ho_Chi_Minh"},)"
        R"("slot":{"start":"2024-07-29T19:00:00+07:00","start_utc":"2024-07-29T12:00:00Z","duration_s":30,)"
        R"("daypart":null},)"
        R"("content":[{"lang":"vi","channel":"social","text":"Tổng đài 111 luôn lắng nghe, miễn phí, cả ngày )"
        R"(lẫn đêm. Hãy gọi 111.\n\n☎ 111 – Tổng đài quốc gia bảo vệ trẻ em"}]}})");
}

TEST_F(Payload, DeterministicForTheSameInputs) {
    sd::payload_source source(templates_);
    const claimed_dispatch d = due("spot-111", "thp-radio");
    const auto first = source.body_for(*db_, d, built_at);
    source.clear();
    const auto second = source.body_for(*db_, d, built_at);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(*first, *second);

    // build_payload on its own, twice, and from a second database holding the same campaign.
    const campaign c = *load_campaign(*db_, slug);
    const message m = *approved_message(*db_, slug, "spot-111");
    const sd::payload_inputs in{c, m, 0, c.outlets.front(), d};
    EXPECT_EQ(sd::build_payload(templates_, in, built_at), sd::build_payload(templates_, in, built_at));
    EXPECT_EQ(sd::build_payload(templates_, in, built_at), *first);
    database other(dir_.file("other.db"));
    import_campaigns(other, {hai_phong()});
    EXPECT_EQ(sd::payload_source(templates_).body_for(other, d, built_at), first);

    // A retry a minute later differs in the timestamp only.
    std::string later = *source.body_for(*db_, d, built_at + 60s);
    const std::string stamp = R"("timestamp":"2024-07-29T12:00:30Z")";
    ASSERT_NE(later.find(stamp), std::string::npos);
    later.replace(later.find(stamp), stamp.size(), R"("timestamp":"2024-07-29T11:59:30Z")");
    EXPECT_EQ(later, *first);
}

TEST_F(Payload, ABatchOfManySlotsGivesEachDispatchItsOwnBody) {
    // One source (the runner's batch: parts kept per message and outlet, and per slot) gives every
    // dispatch the bytes a fresh source gives it alone: its own placement, webhook id, slot, daypart
    // and rendered text, also when slots repeat and when outlets alternate.
    sd::payload_source batch(templates_);
    std::vector<std::string> seen;
    for (int i = 0; i < 12; ++i) {
        claimed_dispatch d = due("spot-111", i % 3 == 2 ? "zalo-hai-phong" : "thp-radio");
        d.id = 100 + i;
        d.placement_id = 1000 + i;
        d.webhook_id = "msg_batch_" + std::to_string(i) + (i == 5 ? "\"q\\" : "");
        d.start = monday_19h + std::chrono::hours(24 * (i % 4)) + std::chrono::minutes(i % 2 == 0 ? 0 : 30);
        d.duration_s = i % 4 == 3 ? 45 : 30;
        if (i % 5 == 4) d.daypart = "";
        const ms_time at = built_at + std::chrono::seconds(i);
        const auto body = batch.body_for(*db_, d, at);
        const auto alone = sd::payload_source(templates_).body_for(*db_, d, at);
        ASSERT_TRUE(body && alone);
        EXPECT_EQ(*body, *alone) << i;
        const json::value v = json::parse(*body);
        EXPECT_EQ(v.at("data").at("placement_id"), 1000 + i);
        EXPECT_EQ(std::string(v.at("data").at("webhook_id").as_string()), d.webhook_id);
        EXPECT_EQ(v.at("data").at("slot").at("duration_s"), d.duration_s);
        seen.push_back(*body);
    }
    // The same dispatch again in the same batch: the same bytes.
    claimed_dispatch d = due("spot-111", "thp-radio");
    d.start = monday_19h + 24h;
    EXPECT_EQ(batch.body_for(*db_, d, built_at), sd::payload_source(templates_).body_for(*db_, d, built_at));
}

TEST_F(Payload, TheSharedTailIsAllButTheTimestampPlacementAndWebhookId) {
    // What the store keeps once for many dispatches (core::attempt_record::shared_tail): the same
    // bytes for every dispatch of a slot; the head before it holds what differs.
    sd::payload_source source(templates_);
    claimed_dispatch a = due("spot-111", "thp-radio");
    a.placement_id = 501;
    a.webhook_id = "msg_first";
    claimed_dispatch b = a;
    b.placement_id = 502;
    b.webhook_id = "msg_second";
    std::size_t tail_a = 0, tail_b = 0, tail_c = 0;
    const auto body_a = source.body_for(*db_, a, built_at, &tail_a);
    const auto body_b = source.body_for(*db_, b, built_at + 61s, &tail_b);
    ASSERT_TRUE(body_a && body_b);
    ASSERT_GT(tail_a, 0u);
    ASSERT_LT(tail_a, body_a->size());
    EXPECT_EQ(tail_a, tail_b);
    EXPECT_EQ(body_a->substr(body_a->size() - tail_a), body_b->substr(body_b->size() - tail_b));
    const std::string head_a = body_a->substr(0, body_a->size() - tail_a);
    EXPECT_TRUE(head_a.ends_with("\"msg_first\"")) << head_a;
    EXPECT_NE(head_a.find("501"), std::string::npos);
    EXPECT_EQ(head_a, body_a->substr(0, head_a.size()));
    EXPECT_EQ((*body_a)[head_a.size()], ',');
    // Another slot: another tail.
    claimed_dispatch c = a;
    c.start = a.start + 24h;
    const auto body_c = source.body_for(*db_, c, built_at, &tail_c);
    ASSERT_TRUE(body_c);
    EXPECT_NE(body_c->substr(body_c->size() - tail_c), body_a->substr(body_a->size() - tail_a));
}

TEST_F(Payload, VietnameseAndHostileTextSurviveJson) {
    campaign c = hai_phong();
    message m = file_spot();
    m.text.vi = "Gọi \"111\" \\ ngay!\t</script><b>&amp;</b> {{theme}} {{> p}}\nDòng hai – ☎ 😀\x01";
    m.department = "lao-dong";
    c.messages = {m};
    c.outlets.front().name.vi = "Đài \"THP\" {{outlet_name}}";
    import_campaigns(*db_, {c});
    const auto body = sd::payload_source(templates_).body_for(*db_, due("spot-111", "thp-radio"), built_at);
    ASSERT_TRUE(body);
    // UTF-8 stays UTF-8 (not \u escapes); what JSON must escape is escaped.
    EXPECT_NE(body->find("Dòng hai – ☎ 😀"), std::string::npos);
    EXPECT_NE(body->find(R"(Gọi \"111\" \\ ngay!\t</script><b>&amp;</b> {{theme}} {{> p}}\nDòng)"),
              std::string::npos);
    EXPECT_NE(body->find(R"(\u0001)"), std::string::npos);
    const json::value v = json::parse(*body);
    const std::string vi(v.at("data").at("content").at(0).at("text").as_string());
    EXPECT_NE(vi.find(m.text.vi), std::string::npos) << vi;
    EXPECT_NE(vi.find("— Đài \"THP\" {{outlet_name}}]"), std::string::npos) << vi;
    EXPECT_EQ(v.at("data").at("outlet").at("name").at("vi"), "Đài \"THP\" {{outlet_name}}");
}

TEST_F(Payload, OnlyTheApprovedContentIsEverSent) {
    // A message written in the editor, approved at version 1.
    message m = file_spot();
    m.title = {"Tin nhắn ngày 30/7", ""};
    m.text = {"Phiên bản 1: hãy gọi 111 khi thấy dấu hiệu mua bán người.", ""};
    const message_result created = create_message(*db_, slug, m, editor_);
    ASSERT_TRUE(created.ok());
    const std::string code = created.value.item.id;
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 1).ok());
    ASSERT_TRUE(approve_message(*db_, slug, code, approver_, 1, "Đồng ý.").ok());

    // Each batch forgets the approved contents it read (forget_messages, as clear() does for the
    // runner); the campaign copy here stays as first read.
    sd::payload_source source(templates_);
    const claimed_dispatch d = due(code, "thp-radio");
    auto body = source.body_for(*db_, d, built_at);
    ASSERT_TRUE(body);
    EXPECT_NE(body->find("Phiên bản 1"), std::string::npos);
    EXPECT_NE(body->find(R"("version":1)"), std::string::npos);

    // Edited after approval: version 2 is a draft. Nothing goes out (the runner cancels the dispatch),
    // and above all not the unapproved text.
    m.text.vi = "Phiên bản 2 CHƯA DUYỆT.";
    ASSERT_TRUE(update_message(*db_, slug, code, m, editor_, 1).ok());
    source.forget_messages();
    EXPECT_FALSE(source.body_for(*db_, d, built_at));
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 2).ok());
    EXPECT_FALSE(source.body_for(*db_, d, built_at));  // submitted is not approved either
    const auto history = find_message_history(*db_, slug, code);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->versions.front().content.text.vi, "Phiên bản 2 CHƯA DUYỆT.");

    // Approved at version 2: now version 2 goes out, although the cached campaign still holds the
    // copy read while version 1 was current.
    ASSERT_TRUE(approve_message(*db_, slug, code, approver_, 2, "").ok());
    source.forget_messages();
    body = source.body_for(*db_, d, built_at);
    ASSERT_TRUE(body);
    EXPECT_NE(body->find("Phiên bản 2 CHƯA DUYỆT."), std::string::npos);
    EXPECT_EQ(body->find("Phiên bản 1"), std::string::npos);
    EXPECT_NE(body->find(R"("version":2)"), std::string::npos);

    // Rejected after a further edit: nothing again.
    m.text.vi = "Phiên bản 3.";
    ASSERT_TRUE(update_message(*db_, slug, code, m, editor_, 2).ok());
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 3).ok());
    ASSERT_TRUE(reject_message(*db_, slug, code, approver_, 3, "Sai số điện thoại.").ok());
    source.forget_messages();
    EXPECT_FALSE(source.body_for(*db_, d, built_at));
}

TEST_F(Payload, ABatchReadsEachMessagesApprovedContentOnce) {
    message m = file_spot();
    m.title = {"Tin nhắn theo lô", ""};
    m.text = {"Lô 1: hãy gọi 111.", ""};
    const message_result created = create_message(*db_, slug, m, editor_);
    ASSERT_TRUE(created.ok());
    const std::string code = created.value.item.id;
    ASSERT_TRUE(submit_message(*db_, slug, code, editor_, 1).ok());
    ASSERT_TRUE(approve_message(*db_, slug, code, approver_, 1, "").ok());
    sd::payload_source source(templates_);
    const claimed_dispatch d = due(code, "thp-radio");
    ASSERT_TRUE(source.body_for(*db_, d, built_at));
    // An edit between two calls of one batch is not seen by that batch (in the runner no edit can
    // come between them: the batch is one job on the one connection); the next batch sees it.
    m.text.vi = "Lô 2 chưa duyệt.";
    ASSERT_TRUE(update_message(*db_, slug, code, m, editor_, 1).ok());
    EXPECT_TRUE(source.body_for(*db_, d, built_at));
    source.clear();
    EXPECT_FALSE(source.body_for(*db_, d, built_at));
}

TEST_F(Payload, AFileMessageSendsTheFilesApprovedContent) {
    campaign c = hai_phong();
    c.messages.front().text.vi = "Nội dung mới trong tệp, đã duyệt trong tệp.";
    import_campaigns(*db_, {c});
    const auto body = sd::payload_source(templates_).body_for(*db_, due("spot-111", "thp-radio"), built_at);
    ASSERT_TRUE(body);
    EXPECT_NE(body->find("Nội dung mới trong tệp, đã duyệt trong tệp."), std::string::npos);

    // Marked draft in the file: no longer approved.
    c.messages.front().state = "draft";
    import_campaigns(*db_, {c});
    EXPECT_FALSE(sd::payload_source(templates_).body_for(*db_, due("spot-111", "thp-radio"), built_at));
}

TEST_F(Payload, NothingWhenTheOutletCampaignOrMessageIsGone) {
    sd::payload_source source(templates_);
    ASSERT_TRUE(source.body_for(*db_, due("spot-111", "zalo-hai-phong"), built_at));
    campaign c = hai_phong();
    c.outlets = {thp_radio()};  // the Zalo page is archived
    import_campaigns(*db_, {c});
    // The batch keeps the campaign it read; the next batch (after clear) sees the outlet gone.
    EXPECT_TRUE(source.body_for(*db_, due("spot-111", "zalo-hai-phong"), built_at));
    source.clear();
    EXPECT_FALSE(source.body_for(*db_, due("spot-111", "zalo-hai-phong"), built_at));
    EXPECT_TRUE(source.body_for(*db_, due("spot-111", "thp-radio"), built_at));

    EXPECT_FALSE(source.body_for(*db_, due("khong-co", "thp-radio"), built_at));
    claimed_dispatch other = due("spot-111", "thp-radio");
    other.campaign = "chien-dich-khac";
    EXPECT_FALSE(source.body_for(*db_, other, built_at));
}

TEST_F(Payload, SlotStartInTheOutletsOwnOffset) {
    campaign c = *load_campaign(*db_, slug);
    c.outlets.front().time_zone = "Europe/Berlin";
    const message m = *approved_message(*db_, slug, "spot-111");
    const claimed_dispatch d = due("spot-111", "thp-radio");
    const json::value v =
        json::parse(sd::build_payload(templates_, {c, m, 0, c.outlets.front(), d}, built_at));
    EXPECT_EQ(v.at("data").at("slot").at("start"), "2024-07-29T14:00:00+02:00");
    EXPECT_EQ(v.at("data").at("slot").at("start_utc"), "2024-07-29T12:00:00Z");
    const std::string en(v.at("data").at("content").at(1).at("text").as_string());
    EXPECT_NE(en.find("[On air at 14:00 on Monday 29 July 2024"), std::string::npos) << en;
}

TEST_F(Payload, AChannelWithoutATemplateOrAnUnknownZoneIsAnError) {
    const campaign c = *load_campaign(*db_, slug);
    const message m = *approved_message(*db_, slug, "spot-111");
    const claimed_dispatch d = due("spot-111", "thp-radio");
    const channel_templates none;
    EXPECT_THROW((void)sd::build_payload(none, {c, m, 0, c.outlets.front(), d}, built_at),
                 std::runtime_error);
    outlet broken = c.outlets.front();
    broken.time_zone = "Asia/Hai_Phong";
    EXPECT_THROW((void)sd::build_payload(templates_, {c, m, 0, broken, d}, built_at), std::runtime_error);
}

}  // namespace payload_test_cpp
}  // namespace
