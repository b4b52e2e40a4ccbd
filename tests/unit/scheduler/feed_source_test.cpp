// The feed models filled from a real SQLite store and the shipped channel templates: an outlet's
// window across midnight and across a DST change abroad, material in the outlet's languages from
// the approved content only, moved and cancelled placements, a message that lost its approval,
// news from approved public messages, public events only, and equal models for equal inputs.
#include "scheduler/feeds/feed_source.hpp"

#include <filesystem>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "core/storage/activity_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/plan_store.hpp"
#include "scheduler/feeds/feed.hpp"
#include "scheduler/feeds/feed_text.hpp"

#include "tests/support/feed_campaign.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace feed_source_test_cpp {

namespace fs = std::filesystem;
using namespace loa::core;
using namespace loa::scheduler::feeds;
using namespace std::chrono_literals;
using namespace date::literals;
using loa::testing::feed_campaign;
using loa::testing::feed_placement;
using loa::testing::feed_run;
using loa::testing::feed_slug;
using loa::testing::temp_dir;

const fs::path template_dir = fs::path(LOA_SOURCE_DIR) / "templates" / "messages";

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class FeedSource : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {feed_campaign()});
    }

    void plan(const std::vector<new_placement>& added, const std::vector<std::int64_t>& kept = {}) {
        store_plan(*db_, feed_run(), kept, added, cli_);
    }

    std::vector<std::int64_t> ids() {
        std::vector<std::int64_t> out;
        for (const auto& p : load_placements(*db_, feed_slug)) out.push_back(p.id);
        return out;
    }

    outlet_feed schedule(const std::string& outlet, std::chrono::sys_seconds now) {
        auto f = source_.outlet_schedule(*db_, outlet, now, links_);
        if (!f) throw std::runtime_error("no feed for " + outlet);
        return *f;
    }

    // Edits, submits and approves a message through the forms (a new approved version).
    // `at`: the schedule's clock for the edit and the approval (the system clock when not given).
    void approve_new_text(const std::string& code, const std::string& vi,
                          std::optional<std::chrono::sys_seconds> at = std::nullopt) {
        auto m = find_message(*db_, feed_slug, code);
        ASSERT_TRUE(m);
        m->item.text.vi = vi;
        const auto edited = update_message(*db_, feed_slug, code, m->item, editor_, std::nullopt, ms(at));
        ASSERT_TRUE(edited.ok());
        ASSERT_TRUE(submit_message(*db_, feed_slug, code, editor_).ok());
        ASSERT_TRUE(
            approve_message(*db_, feed_slug, code, approver_, edited.value.version, "Đồng ý", ms(at)).ok());
    }

    static std::optional<std::chrono::sys_time<std::chrono::milliseconds>> ms(std::optional<std::chrono::sys_seconds> t) {
        if (!t) return std::nullopt;
        return std::chrono::sys_time<std::chrono::milliseconds>{*t};
    }

    temp_dir dir_;
    std::optional<database> db_;
    const channel_templates templates_{template_dir};
    const feed_source source_{templates_};
    const feed_links links_{"https://loa.example/feeds/outlets/vov-haiphong/schedule.atom",
                            "https://loa.example/campaigns/haiphong-2024", "https://loa.example"};
    audit_actor cli_{std::nullopt, "cli"};
    audit_actor editor_{std::nullopt, "Lê Văn Nam"};
    audit_actor approver_{std::nullopt, "Nguyễn Thị Hương"};
};

TEST(FeedWindow, ADayBackAndTheLeadTimeAheadAtLeastADay) {
    const auto now = utc(2024_y / date::October / 10, 5h);
    auto w = window_for(now, 0);
    EXPECT_EQ(w.from, now - 24h);
    EXPECT_EQ(w.to, now + 24h);
    w = window_for(now, 12);
    EXPECT_EQ(w.to, now + 24h);
    w = window_for(now, 72);
    EXPECT_EQ(w.from, now - 24h);
    EXPECT_EQ(w.to, now + 72h);
}

TEST_F(FeedSource, UnknownOutletOrCampaignHasNoFeed) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    EXPECT_FALSE(source_.outlet_schedule(*db_, "dai-khong-co", now, links_));
    EXPECT_FALSE(source_.news(*db_, "khong-co", links_));
    EXPECT_FALSE(source_.events(*db_, "khong-co", links_));
    // An outlet with nothing planned has a feed with no items, updated = the window's start.
    const auto f = schedule("bao-haiphong", now);
    EXPECT_TRUE(f.items.empty());
    EXPECT_EQ(f.updated, f.window_from);
    EXPECT_EQ(f.links, links_);
}

TEST_F(FeedSource, AnOutletsScheduleInItsLanguagesAcrossMidnight) {
    // Hai Phong is UTC+7. now = 07:00 local on 10 October; lead time 48 h: window from 07:00 on the
    // 9th to 07:00 on the 12th (local).
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi"),  // 19:15
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 16h + 45min), "dem"),  // 23:45
          feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 17h + 15min), "dem"),  // 00:15
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 23h + 15min), "sang"),  // 06:15
          feed_placement("spot-111", "vov-haiphong", now - 24h - 1s, "dem"),  // just before the window
          feed_placement("spot-111", "vov-haiphong", now - 24h, "dem"),       // its first second
          feed_placement("spot-111", "vov-haiphong", now + 48h, "toi"),       // its end: out
          feed_placement("spot-111", "bao-haiphong", utc(2024_y / date::October / 10, 1h), "ban-ngay")});

    const outlet_feed f = schedule("vov-haiphong", now);
    EXPECT_EQ(f.outlet_slug, "vov-haiphong");
    EXPECT_EQ(f.outlet_name.vi, "Đài Phát thanh Hải Phòng");
    EXPECT_EQ(f.outlet_kind, "radio");
    EXPECT_EQ(f.time_zone, "Asia/Ho_Chi_Minh");
    EXPECT_EQ(f.languages, (std::vector<std::string>{"vi", "en"}));
    EXPECT_EQ(f.window_from, now - 24h);
    EXPECT_EQ(f.window_to, now + 48h);
    ASSERT_EQ(f.items.size(), 5u);
    EXPECT_EQ(f.items[0].start, now - 24h);
    EXPECT_EQ(f.items[1].start, utc(2024_y / date::October / 10, 12h + 15min));
    EXPECT_EQ(f.items[4].start, utc(2024_y / date::October / 10, 23h + 15min));

    const schedule_item& prime = f.items[1];
    EXPECT_EQ(prime.message_code, "spot-111");
    EXPECT_EQ(prime.message_title.vi, "Gọi 111");
    EXPECT_EQ(prime.campaign_slug, feed_slug);
    EXPECT_EQ(prime.campaign_title.vi, "Tháng hành động phòng, chống mua bán người 2024");
    EXPECT_EQ(prime.department, "truyen-thong");
    EXPECT_EQ(prime.department_name.vi, "Sở Thông tin và Truyền thông");
    ASSERT_EQ(prime.audiences.size(), 2u);
    EXPECT_EQ(prime.audiences[0].name.vi, "Phụ huynh");
    EXPECT_EQ(prime.audiences[1].name.en, "Pupils");
    EXPECT_EQ(prime.daypart, "toi");
    EXPECT_EQ(prime.daypart_name.vi, "Giờ vàng buổi tối");
    EXPECT_TRUE(prime.prime);
    EXPECT_EQ(prime.state, "planned");
    EXPECT_EQ(prime.sequence, 0);
    EXPECT_EQ(prime.duration_s, 30);
    EXPECT_EQ(prime.time_zone, "Asia/Ho_Chi_Minh");
    EXPECT_EQ(prime.channel, "radio");
    ASSERT_EQ(prime.material.size(), 2u);
    EXPECT_EQ(prime.material[0].lang, "vi");
    EXPECT_TRUE(has(prime.material[0].text, "Hãy gọi 111 khi thấy dấu hiệu mua bán người.")) << prime.material[0].text;
    EXPECT_TRUE(has(prime.material[0].text, "Phát lúc 19:15")) << prime.material[0].text;
    EXPECT_TRUE(has(prime.material[0].text, "Đài Phát thanh Hải Phòng"));
    EXPECT_EQ(prime.material[1].lang, "en");
    EXPECT_TRUE(has(prime.material[1].text, "Call 111 if you see signs of trafficking.")) << prime.material[1].text;
    EXPECT_TRUE(has(prime.material[1].text, "On air at 19:15"));

    // 23:45 on the 10th and 00:15 on the 11th local: the dates follow the outlet's midnight.
    EXPECT_TRUE(has(f.items[2].material[0].text, "23:45"));
    EXPECT_TRUE(has(f.items[2].material[0].text, "10/10/2024")) << f.items[2].material[0].text;
    EXPECT_TRUE(has(f.items[3].material[0].text, "00:15"));
    EXPECT_TRUE(has(f.items[3].material[0].text, "11/10/2024")) << f.items[3].material[0].text;
    EXPECT_FALSE(f.items[3].prime);
    EXPECT_EQ(f.items[3].daypart_name.en, "Late night");
    // No English text: the English material falls back to the Vietnamese text.
    const schedule_item& school = f.items[4];
    EXPECT_EQ(school.message_code, "truong-hoc");
    EXPECT_EQ(school.department_name.vi, "Sở Giáo dục và Đào tạo");
    ASSERT_EQ(school.material.size(), 2u);
    EXPECT_TRUE(has(school.material[1].text, "Không đi theo người lạ, kể cả khi được cho kẹo."));
    EXPECT_TRUE(has(school.material[1].text, "Morning"));
    EXPECT_FALSE(school.prime);

    std::chrono::sys_seconds newest{};
    for (const auto& it : f.items) newest = std::max(newest, it.updated);
    EXPECT_EQ(f.updated, newest);

    // The newspaper's own feed: print material, Vietnamese only.
    const outlet_feed paper = schedule("bao-haiphong", now);
    ASSERT_EQ(paper.items.size(), 1u);
    EXPECT_EQ(paper.items[0].channel, "print");
    ASSERT_EQ(paper.items[0].material.size(), 1u);
    EXPECT_TRUE(has(paper.items[0].material[0].text, "THÔNG CÁO BÁO CHÍ"));
}

TEST_F(FeedSource, AnOutletAbroadKeepsItsWallClockAcrossTheDstChange) {
    // Berlin leaves summer time at 03:00 on 27 October 2024 (UTC+2 → UTC+1): 18:30 in Berlin is
    // 16:30 UTC on the 26th and 17:30 UTC on the 27th.
    const auto sat = utc(2024_y / date::October / 26, 16h + 30min);
    const auto sun = utc(2024_y / date::October / 27, 17h + 30min);
    plan({feed_placement("spot-111", "radio-berlin-vn", sat, "toi"),
          feed_placement("truong-hoc", "radio-berlin-vn", sun, "toi"),
          feed_placement("spot-111", "radio-berlin-vn", utc(2024_y / date::October / 27, 10h + 30min), "trua")});
    // Lead time 0: a day back and a day ahead of 16:00 UTC on the 27th.
    const auto now = utc(2024_y / date::October / 27, 16h);
    const outlet_feed f = schedule("radio-berlin-vn", now);
    EXPECT_EQ(f.time_zone, "Europe/Berlin");
    EXPECT_EQ(f.languages, std::vector<std::string>{"vi"});  // none named: Vietnamese
    EXPECT_EQ(f.window_from, now - 24h);
    EXPECT_EQ(f.window_to, now + 24h);
    ASSERT_EQ(f.items.size(), 3u);
    EXPECT_EQ(f.items[0].start, sat);
    EXPECT_EQ(f.items[2].start, sun);
    for (const auto& it : {f.items[0], f.items[2]}) {
        EXPECT_EQ(it.time_zone, "Europe/Berlin");
        ASSERT_EQ(it.material.size(), 1u);
        EXPECT_EQ(it.material[0].lang, "vi");
        EXPECT_TRUE(has(it.material[0].text, "Phát lúc 18:30")) << it.material[0].text;
        EXPECT_TRUE(it.prime);
    }
    EXPECT_TRUE(has(f.items[0].material[0].text, "26/10/2024"));
    EXPECT_TRUE(has(f.items[2].material[0].text, "27/10/2024"));
    // 10:30 UTC on the 27th is 11:30 in Berlin (winter time), 12:30 the day before.
    EXPECT_TRUE(has(f.items[1].material[0].text, "Phát lúc 11:30")) << f.items[1].material[0].text;
    EXPECT_FALSE(f.items[1].prime);
    EXPECT_EQ(f.items[1].daypart_name.vi, "Buổi trưa");

    // An hour later the Saturday slot (more than 24 h ago) has left the window.
    EXPECT_EQ(schedule("radio-berlin-vn", now + 1h).items.size(), 2u);
}

TEST_F(FeedSource, MovedPlacementsKeepTheirIdAndDroppedOnesShowCancelled) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    const auto a = utc(2024_y / date::October / 10, 12h + 15min);
    const auto b = utc(2024_y / date::October / 10, 13h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", a, "toi"), feed_placement("truong-hoc", "vov-haiphong", b, "toi")});
    const auto first = schedule("vov-haiphong", now);
    ASSERT_EQ(first.items.size(), 2u);
    const auto spot_id = first.items[0].placement_id;
    const auto school_id = first.items[1].placement_id;

    // The re-plan moves spot-111 to 14:15 UTC (21:15 local) and drops truong-hoc.
    const auto moved = utc(2024_y / date::October / 10, 14h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", moved, "toi")});
    const auto f = schedule("vov-haiphong", now);
    ASSERT_EQ(f.items.size(), 2u);
    EXPECT_EQ(f.items[0].placement_id, school_id);
    EXPECT_EQ(f.items[0].state, "cancelled");
    EXPECT_EQ(f.items[0].sequence, 1);
    EXPECT_EQ(f.items[0].start, b);  // where it was
    EXPECT_FALSE(f.items[0].material.empty());  // what was cancelled
    EXPECT_EQ(f.items[1].placement_id, spot_id);
    EXPECT_EQ(f.items[1].state, "planned");
    EXPECT_EQ(f.items[1].sequence, 1);
    EXPECT_EQ(f.items[1].start, moved);
    EXPECT_TRUE(has(f.items[1].material[0].text, "Phát lúc 21:15"));
    EXPECT_GE(f.items[1].updated, first.items[0].updated);
    EXPECT_GE(f.updated, first.updated);
}

// An airing the outlet reported missed and the make-good a re-plan stored for it, read from the
// store: the make-good names the missed placement and its time (RELATED-TO, _loa.make_good_of), the
// missed one says it was missed in its title.
TEST_F(FeedSource, AMakeGoodNamesTheMissedAiringItMakesUpFor) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    const auto a = utc(2024_y / date::October / 10, 12h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", a, "toi")});
    const auto missed_id = ids().at(0);
    ASSERT_TRUE(set_placement_state(*db_, feed_slug, missed_id, "published", std::nullopt, "", cli_));
    ASSERT_TRUE(set_placement_state(*db_, feed_slug, missed_id, "missed", std::nullopt, "", cli_));
    auto make_good = feed_placement("spot-111", "vov-haiphong", a + 1h, "toi");
    make_good.make_good_of = missed_id;
    plan({make_good}, {missed_id});
    const auto f = schedule("vov-haiphong", now);
    ASSERT_EQ(f.items.size(), 2u);
    EXPECT_EQ(f.items[0].placement_id, missed_id);
    EXPECT_EQ(f.items[0].state, "missed");
    EXPECT_FALSE(f.items[0].make_good_of);
    EXPECT_EQ(f.items[1].make_good_of, missed_id);
    EXPECT_EQ(f.items[1].make_good_of_start, a);
    EXPECT_EQ(text::item_title(f.items[0], "vi").rfind("[KHÔNG PHÁT ĐƯỢC] 19:15 ", 0), 0U) << text::item_title(f.items[0], "vi");
    EXPECT_EQ(text::item_title(f.items[1], "vi").rfind("[PHÁT BÙ] 20:15 ", 0), 0U) << text::item_title(f.items[1], "vi");
    EXPECT_TRUE(has(text::item_summary(f.items[1], "vi"),
                    "Phát bù cho lượt phát bị lỡ lúc 19:15 thứ Năm 10/10/2024 (lượt #" + std::to_string(missed_id) + ")."))
        << text::item_summary(f.items[1], "vi");
    std::string ics = render_ics(f);
    for (auto at = ics.find("\r\n "); at != std::string::npos; at = ics.find("\r\n ", at)) ics.erase(at, 3);
    EXPECT_TRUE(has(ics, "RELATED-TO;RELTYPE=SIBLING:placement-" + std::to_string(missed_id) + ".")) << ics;

    // A re-plan drops the make-good: it shows cancelled, and still as the make-good it was.
    plan({}, {missed_id});
    const auto g = schedule("vov-haiphong", now);
    ASSERT_EQ(g.items.size(), 2u);
    EXPECT_EQ(g.items[1].state, "cancelled");
    EXPECT_EQ(g.items[1].make_good_of, missed_id);
    EXPECT_EQ(g.items[1].make_good_of_start, a);
    EXPECT_EQ(text::item_title(g.items[1], "vi").rfind("[ĐÃ HỦY] 20:15 ", 0), 0U) << text::item_title(g.items[1], "vi");
    EXPECT_TRUE(has(text::item_summary(g.items[1], "vi"), "Phát bù cho lượt phát bị lỡ lúc 19:15"));
}

TEST_F(FeedSource, TheBytesDoNotChangeFromOneMinuteToTheNextWhenNothingDid) {
    // A calendar app polling every hour must get 304s: nothing in the bytes may follow the clock.
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi")});
    const auto now = utc(2024_y / date::October / 10, 0s);
    const auto a = schedule("vov-haiphong", now);
    const auto b = schedule("vov-haiphong", now + 1min);
    const auto c = schedule("vov-haiphong", now + 7h + 13min);
    ASSERT_EQ(a.items.size(), 1u);
    ASSERT_EQ(c.items.size(), 1u);
    for (const auto* later : {&b, &c}) {
        EXPECT_EQ(render_atom(a), render_atom(*later));
        EXPECT_EQ(render_rss(a), render_rss(*later));
        EXPECT_EQ(render_json_feed(a), render_json_feed(*later));
        EXPECT_EQ(render_ics(a), render_ics(*later));
    }
}

TEST_F(FeedSource, APlacementWhoseMessageLostItsApprovalShowsCancelledWithTheApprovedContent) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi"),
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 13h + 15min), "toi")});
    // spot-111 is approved again through the forms (version 2), then edited (version 3, a draft).
    approve_new_text("spot-111", "Gọi ngay 111 (miễn phí, 24/7) khi nghi ngờ có mua bán người.", now);
    const auto approved = schedule("vov-haiphong", now);
    ASSERT_EQ(approved.items.size(), 2u);
    EXPECT_EQ(approved.items[0].state, "planned");
    // The edit took the file's approval away (+1), the new approval gave it back (+1).
    EXPECT_EQ(approved.items[0].sequence, 2);
    EXPECT_EQ(approved.items[1].sequence, 0);
    EXPECT_TRUE(has(approved.items[0].material[0].text, "Gọi ngay 111 (miễn phí, 24/7)"));

    auto m = find_message(*db_, feed_slug, "spot-111");
    m->item.text.vi = "BẢN SỬA CHƯA DUYỆT";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor_, std::nullopt, ms(now)).ok());
    const auto f = schedule("vov-haiphong", now);
    ASSERT_EQ(f.items.size(), 2u);
    const schedule_item& spot = f.items[0];
    EXPECT_EQ(spot.placement_id, approved.items[0].placement_id);
    EXPECT_EQ(spot.state, "cancelled");
    EXPECT_EQ(spot.sequence, 3);  // up again, never lower than what subscribers saw before
    EXPECT_GE(spot.updated, approved.items[0].updated);
    // The material is what was approved (version 2), never the unapproved edit.
    ASSERT_EQ(spot.material.size(), 2u);
    EXPECT_TRUE(has(spot.material[0].text, "Gọi ngay 111 (miễn phí, 24/7)")) << spot.material[0].text;
    for (const auto& it : f.items)
        for (const auto& part : it.material) EXPECT_FALSE(has(part.text, "BẢN SỬA CHƯA DUYỆT"));
    EXPECT_EQ(f.items[1].state, "planned");  // the other message is untouched
    {
        // Approved again: back in the schedule, its SEQUENCE still going up (4), never down.
        approve_new_text("spot-111", "Gọi 111 – tổng đài miễn phí, suốt ngày đêm.", now);
        const auto again = schedule("vov-haiphong", now);
        ASSERT_EQ(again.items.size(), 2u);
        EXPECT_EQ(again.items[0].state, "planned");
        EXPECT_EQ(again.items[0].sequence, 4);
        // Edited back into a draft so that what follows sees it unapproved, as before.
        auto draft = find_message(*db_, feed_slug, "spot-111");
        ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", draft->item, editor_, std::nullopt, ms(now)).ok());
    }

    // A file message edited without any form approval: what its file approved is the version the
    // edit kept (the message's page says "Version 1 was approved"), never the edit.
    auto school = find_message(*db_, feed_slug, "truong-hoc");
    const std::string approved_text = school->item.text.vi;
    school->item.text.vi = "Nội dung mới chưa duyệt.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "truong-hoc", school->item, editor_, std::nullopt, ms(now)).ok());
    EXPECT_EQ(find_message(*db_, feed_slug, "truong-hoc")->approved_version, std::optional<int>{1});
    const auto g = schedule("vov-haiphong", now);
    EXPECT_EQ(g.items[1].state, "cancelled");
    EXPECT_EQ(g.items[1].message_code, "truong-hoc");
    ASSERT_FALSE(g.items[1].material.empty());
    for (const auto& part : g.items[1].material) EXPECT_FALSE(has(part.text, "Nội dung mới chưa duyệt")) << part.text;
    EXPECT_TRUE(has(g.items[1].material[0].text, approved_text.substr(0, 20))) << g.items[1].material[0].text;
}

TEST_F(FeedSource, AFileImportThatTakesTheApprovalAwayOrGivesItBackRaisesTheSequenceAndKeepsTheTitle) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi"),
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 13h + 15min), "toi")});
    const auto before = schedule("vov-haiphong", now);
    ASSERT_EQ(before.items.size(), 2u);
    ASSERT_EQ(before.items[0].sequence, 0);
    const auto title = before.items[0].message_title;
    ASSERT_FALSE(title.vi.empty());

    // The file now says draft, with a new text: the placement shows cancelled, one SEQUENCE up,
    // still under its title, and without the unapproved text.
    campaign draft = feed_campaign();
    for (auto& m : draft.messages) {
        if (m.id == "spot-111") {
            m.state = "draft";
            m.text.vi = "VĂN BẢN MỚI CHƯA DUYỆT";
        }
    }
    import_campaigns(*db_, {draft}, now);
    const auto cancelled = schedule("vov-haiphong", now);
    ASSERT_EQ(cancelled.items.size(), 2u);
    EXPECT_EQ(cancelled.items[0].state, "cancelled");
    EXPECT_EQ(cancelled.items[0].sequence, 1);
    EXPECT_EQ(cancelled.items[0].message_title.vi, title.vi);
    EXPECT_TRUE(cancelled.items[0].material.empty());
    EXPECT_EQ(cancelled.items[1].sequence, 0);  // the other message is untouched
    // The same file again changes nothing.
    import_campaigns(*db_, {draft}, now);
    EXPECT_EQ(schedule("vov-haiphong", now).items[0].sequence, 1);

    // Approved again by the file: back, and up again (never down).
    import_campaigns(*db_, {feed_campaign()}, now);
    const auto back = schedule("vov-haiphong", now);
    EXPECT_EQ(back.items[0].state, "planned");
    EXPECT_EQ(back.items[0].sequence, 2);
    // A new text while approved changes what the item says: up again.
    campaign reworded = feed_campaign();
    for (auto& m : reworded.messages)
        if (m.id == "spot-111") m.text.vi = "Gọi 111 – tổng đài miễn phí.";
    import_campaigns(*db_, {reworded}, now);
    EXPECT_EQ(schedule("vov-haiphong", now).items[0].sequence, 3);

    // A file that no longer has a message archives it: its placement still ahead is cancelled too.
    campaign without = reworded;
    std::erase_if(without.messages, [](const message& m) { return m.id == "truong-hoc"; });
    import_campaigns(*db_, {without}, now);
    const auto archived = schedule("vov-haiphong", now);
    ASSERT_EQ(archived.items.size(), 2u);
    EXPECT_EQ(archived.items[1].state, "cancelled");
    EXPECT_EQ(archived.items[1].sequence, 1);
    // Still named and shown as its file last approved it (an archived message keeps its content).
    EXPECT_FALSE(archived.items[1].message_title.vi.empty());
    EXPECT_FALSE(archived.items[1].material.empty());
    EXPECT_EQ(archived.items[0].state, "planned");
    // Restored by the file: back.
    import_campaigns(*db_, {reworded}, now);
    EXPECT_EQ(schedule("vov-haiphong", now).items[1].state, "planned");
}

TEST_F(FeedSource, AnAiringDueBeforeTheApprovalWasLostStaysInTheSchedule) {
    // The edit that takes the approval away is at 19:00 in Hai Phong (12:00 UTC, the schedule's
    // clock): the 18:15 airing was due while the message was approved, so it stays in the
    // schedule with what was approved (the outlet may report it); the 20:15 one is cancelled.
    const auto now = utc(2024_y / date::October / 10, 12h);
    const auto due = utc(2024_y / date::October / 10, 11h + 15min);
    const auto ahead = utc(2024_y / date::October / 10, 13h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", due, "toi"),
          feed_placement("spot-111", "vov-haiphong", ahead, "toi")});
    approve_new_text("spot-111", "Gọi ngay 111 (miễn phí, 24/7) khi nghi ngờ có mua bán người.", now - 3h);
    const auto before = schedule("vov-haiphong", now);
    ASSERT_EQ(before.items.size(), 2u);
    auto m = find_message(*db_, feed_slug, "spot-111");
    ASSERT_TRUE(m);
    m->item.text.vi = "BẢN SỬA CHƯA DUYỆT";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor_, std::nullopt, ms(now)).ok());
    const auto f = schedule("vov-haiphong", now);
    ASSERT_EQ(f.items.size(), 2u);
    EXPECT_EQ(f.items[0].start, due);
    EXPECT_EQ(f.items[0].state, "planned");
    // Not news about it: its SEQUENCE and time of change stay as they were.
    EXPECT_EQ(f.items[0].sequence, before.items[0].sequence);
    EXPECT_EQ(f.items[1].sequence, before.items[1].sequence + 1);
    ASSERT_FALSE(f.items[0].material.empty());
    EXPECT_TRUE(has(f.items[0].material[0].text, "Gọi ngay 111 (miễn phí, 24/7)")) << f.items[0].material[0].text;
    EXPECT_EQ(f.items[1].start, ahead);
    EXPECT_EQ(f.items[1].state, "cancelled");
    for (const auto& it : f.items)
        for (const auto& part : it.material) EXPECT_FALSE(has(part.text, "BẢN SỬA CHƯA DUYỆT"));
}

TEST_F(FeedSource, AnAiringThatWasDueKeepsTheApprovedContentItWentOutWith) {
    // Three airings of spot-111 on 10 October (UTC): one due before a file import rewords the
    // approved message (11:00), one due after it and before a form approves other text (13:00),
    // one after both. Each shows what was approved when it was due, whatever is approved now.
    const auto first = utc(2024_y / date::October / 10, 10h + 15min);
    const auto second = utc(2024_y / date::October / 10, 12h + 15min);
    const auto third = utc(2024_y / date::October / 10, 14h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", first, "toi"),
          feed_placement("spot-111", "vov-haiphong", second, "toi"),
          feed_placement("spot-111", "vov-haiphong", third, "toi")});
    const auto original = schedule("vov-haiphong", first);
    ASSERT_EQ(original.items.size(), 3u);
    ASSERT_FALSE(original.items[0].material.empty());
    const std::string file_text = original.items[0].material[0].text;

    campaign reworded = feed_campaign();
    for (auto& m : reworded.messages)
        if (m.id == "spot-111") m.text.vi = "Bản của tệp: gọi 111 – tổng đài miễn phí, suốt ngày đêm.";
    import_campaigns(*db_, {reworded}, utc(2024_y / date::October / 10, 11h));
    approve_new_text("spot-111", "Bản duyệt trên biểu mẫu: Đường dây nóng 111 luôn sẵn sàng.",
                     utc(2024_y / date::October / 10, 13h));

    const auto f = schedule("vov-haiphong", utc(2024_y / date::October / 10, 13h));
    ASSERT_EQ(f.items.size(), 3u);
    for (const auto& it : f.items) {
        EXPECT_EQ(it.state, "planned");
        ASSERT_EQ(it.material.size(), original.items[0].material.size());
    }
    EXPECT_EQ(f.items[0].material[0].text, file_text);
    EXPECT_TRUE(has(f.items[1].material[0].text, "Bản của tệp: gọi 111")) << f.items[1].material[0].text;
    EXPECT_TRUE(has(f.items[2].material[0].text, "Bản duyệt trên biểu mẫu")) << f.items[2].material[0].text;
    // Neither change was news about the first airing: its SEQUENCE and time stay.
    EXPECT_EQ(f.items[0].sequence, original.items[0].sequence);
    EXPECT_EQ(f.items[0].updated, original.items[0].updated);
    // The file's two texts are versions of the message, before the form's edit.
    const auto history = find_message_history(*db_, feed_slug, "spot-111");
    ASSERT_TRUE(history);
    ASSERT_EQ(history->versions.size(), 3u);
    EXPECT_EQ(history->versions.front().version, 3);  // newest first
    EXPECT_EQ(find_message(*db_, feed_slug, "spot-111")->approved_version, std::optional<int>{3});
    // A source with no memo, and the same reads again: the same.
    const feed_source fresh(templates_);
    EXPECT_EQ(fresh.outlet_schedule(*db_, "vov-haiphong", utc(2024_y / date::October / 10, 13h), links_), f);

}

// The number of a file's message moves when its file changes the content, never later when an import
// changes nothing: a form opened in between still saves.
TEST_F(FeedSource, AnImportThatChangesNothingLeavesTheVersionAnOpenFormSaw) {
    const auto first = utc(2024_y / date::October / 10, 10h + 15min);
    const auto second = utc(2024_y / date::October / 10, 12h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", first, "toi"),
          feed_placement("spot-111", "vov-haiphong", second, "toi")});
    campaign reworded = feed_campaign();
    for (auto& m : reworded.messages)
        if (m.id == "spot-111") m.text.vi = "Bản của tệp: gọi 111 – tổng đài miễn phí, suốt ngày đêm.";
    import_campaigns(*db_, {reworded}, utc(2024_y / date::October / 10, 11h));
    const auto seen = find_message(*db_, feed_slug, "spot-111");  // the form opened now
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->version, 2);  // the file's new text is a version of its own
    import_campaigns(*db_, {reworded}, utc(2024_y / date::October / 10, 13h));  // the 12:15 airing came due
    EXPECT_EQ(find_message(*db_, feed_slug, "spot-111")->version, 2);
    auto edit = seen->item;
    edit.text.vi = "Sửa trên biểu mẫu.";
    EXPECT_TRUE(update_message(*db_, feed_slug, "spot-111", edit, editor_, seen->version,
                               ms(utc(2024_y / date::October / 10, 14h)))
                    .ok());
    const auto f = schedule("vov-haiphong", utc(2024_y / date::October / 10, 14h));
    ASSERT_EQ(f.items.size(), 2u);
    EXPECT_TRUE(has(f.items[1].material.at(0).text, "Bản của tệp: gọi 111")) << f.items[1].material.at(0).text;
}

TEST_F(FeedSource, AnAiringThatWasDueKeepsItsContentWhenTheFileArchivesItsMessage) {
    const auto first = utc(2024_y / date::October / 10, 10h + 15min);
    const auto second = utc(2024_y / date::October / 10, 12h + 15min);
    plan({feed_placement("spot-111", "vov-haiphong", first, "toi"),
          feed_placement("spot-111", "vov-haiphong", second, "toi")});
    const std::string file_text = schedule("vov-haiphong", first).items.at(0).material.at(0).text;
    campaign reworded = feed_campaign();
    for (auto& m : reworded.messages)
        if (m.id == "spot-111") m.text.vi = "Bản của tệp: gọi 111 – tổng đài miễn phí, suốt ngày đêm.";
    import_campaigns(*db_, {reworded}, utc(2024_y / date::October / 10, 11h));
    campaign without = reworded;
    std::erase_if(without.messages, [](const message& m) { return m.id == "spot-111"; });
    import_campaigns(*db_, {without}, utc(2024_y / date::October / 10, 13h));
    const auto f = schedule("vov-haiphong", utc(2024_y / date::October / 10, 13h));
    ASSERT_EQ(f.items.size(), 2u);
    for (const auto& it : f.items) {
        EXPECT_EQ(it.state, "planned");
        EXPECT_FALSE(it.message_title.vi.empty());
        ASSERT_FALSE(it.material.empty());
    }
    EXPECT_EQ(f.items[0].material[0].text, file_text);
    EXPECT_TRUE(has(f.items[1].material[0].text, "Bản của tệp: gọi 111")) << f.items[1].material[0].text;
}

TEST_F(FeedSource, NewsCarriesApprovedPublicMessagesAsPressReleases) {
    auto news = source_.news(*db_, feed_slug, links_);
    ASSERT_TRUE(news);
    EXPECT_EQ(news->campaign_slug, feed_slug);
    EXPECT_EQ(news->theme.vi, "Không để trẻ em nào bị bỏ lại phía sau");
    // truong-hoc is radio only (not public); ban-nhap is a draft.
    ASSERT_EQ(news->items.size(), 1u);
    const news_item& spot = news->items[0];
    EXPECT_EQ(spot.message_code, "spot-111");
    EXPECT_EQ(spot.channel, "print");
    EXPECT_EQ(spot.title.en, "Call 111");
    EXPECT_EQ(spot.department_name.vi, "Sở Thông tin và Truyền thông");
    EXPECT_EQ(spot.audiences.size(), 2u);
    EXPECT_EQ(spot.flight_start, 2024_y / date::October / 1);
    EXPECT_EQ(spot.flight_end, 2024_y / date::November / 15);
    ASSERT_EQ(spot.content.size(), 2u);
    EXPECT_EQ(spot.content[0].lang, "vi");
    EXPECT_TRUE(has(spot.content[0].text, "THÔNG CÁO BÁO CHÍ"));
    EXPECT_TRUE(has(spot.content[0].text, "Hãy gọi 111 khi thấy dấu hiệu mua bán người."));
    EXPECT_TRUE(has(spot.content[0].text, "Đăng từ 01/10/2024 đến 15/11/2024"));  // no slot: the flight
    EXPECT_EQ(spot.content[1].lang, "en");
    EXPECT_TRUE(has(spot.content[1].text, "PRESS RELEASE"));
    // Approved in the file: the import's times (stable: a re-import that changes nothing writes none).
    EXPECT_LE(spot.published, spot.updated);
    EXPECT_EQ(news->updated, spot.updated);
    import_campaigns(*db_, {feed_campaign()});
    EXPECT_EQ(source_.news(*db_, feed_slug, links_), news);

    // Approved again through the forms: the reviews' times. (`spot` refers into `news`, which is
    // replaced below: keep what is compared afterwards.)
    const auto file_updated = spot.updated;
    approve_new_text("spot-111", "Gọi ngay 111 khi nghi ngờ có mua bán người.");
    news = source_.news(*db_, feed_slug, links_);
    ASSERT_EQ(news->items.size(), 1u);
    EXPECT_TRUE(has(news->items[0].content[0].text, "Gọi ngay 111 khi nghi ngờ có mua bán người."));
    EXPECT_GE(news->items[0].updated, file_updated);
    const auto times = load_approval_times(*db_, feed_slug);
    ASSERT_TRUE(times[0].approved_at);
    EXPECT_EQ(news->items[0].updated, stored_utc_instant(*times[0].approved_at));
    EXPECT_EQ(news->items[0].published, stored_utc_instant(*times[0].first_approved_at));

    // An edit takes it out of the news.
    auto m = find_message(*db_, feed_slug, "spot-111");
    m->item.text.vi = "Đang sửa.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor_).ok());
    news = source_.news(*db_, feed_slug, links_);
    EXPECT_TRUE(news->items.empty());
    EXPECT_EQ(news->updated, utc(2024_y / date::October / 1, 0s));  // the campaign's first day
}

TEST_F(FeedSource, EventsArePublicActivitiesOnly) {
    ASSERT_TRUE(cancel_activity(*db_, feed_slug, "ngay-hoi", editor_).ok());
    const auto events = source_.events(*db_, feed_slug, links_);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->time_zone, "Asia/Ho_Chi_Minh");
    // hop-noi-bo is internal: never in a feed. By start: 2 Oct, 7 Oct (weekly), 20 Oct, 27 Oct.
    ASSERT_EQ(events->items.size(), 4u);
    EXPECT_EQ(events->items[0].activity_id, "hop-bao");
    EXPECT_EQ(events->items[1].activity_id, "sinh-hoat-tuan");
    EXPECT_EQ(events->items[2].activity_id, "ngay-hoi");
    EXPECT_EQ(events->items[3].activity_id, "gap-go-berlin");
    for (const auto& e : events->items) EXPECT_NE(e.activity_id, "hop-noi-bo");

    const event_item& press = events->items[0];
    EXPECT_EQ(press.title.vi, "Họp báo phát động tháng hành động");
    EXPECT_EQ(press.location.vi, "Nhà hát Thành phố, Hải Phòng");
    EXPECT_EQ(press.department_name.vi, "Sở Thông tin và Truyền thông");
    EXPECT_EQ(press.start, date::local_days{2024_y / date::October / 2} + 9h);
    EXPECT_EQ(press.end, date::local_days{2024_y / date::October / 2} + 10h + 30min);
    EXPECT_EQ(press.time_zone, "Asia/Ho_Chi_Minh");
    EXPECT_FALSE(press.cancelled);
    EXPECT_EQ(press.sequence, 0);
    EXPECT_EQ(events->items[1].rrule, "FREQ=WEEKLY;BYDAY=MO;COUNT=6");
    EXPECT_EQ(events->items[1].audiences.at(0).name.vi, "Học sinh");
    const event_item& fair = events->items[2];
    EXPECT_TRUE(fair.all_day);
    EXPECT_TRUE(fair.cancelled);
    EXPECT_EQ(fair.sequence, 1);  // one change in a form: the cancellation
    const auto stored = find_activity(*db_, feed_slug, "ngay-hoi");
    EXPECT_EQ(fair.updated, stored_utc_instant(stored->updated_at));
    EXPECT_EQ(events->items[3].time_zone, "Europe/Berlin");
    EXPECT_EQ(events->items[3].start, date::local_days{2024_y / date::October / 27} + 15h);
}

TEST_F(FeedSource, TheSameStoreAndInstantGiveEqualModels) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi"),
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 13h + 15min), "toi")});
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 14h + 15min), "toi")});
    const auto f1 = schedule("vov-haiphong", now);
    const auto n1 = source_.news(*db_, feed_slug, links_);
    const auto e1 = source_.events(*db_, feed_slug, links_);
    // Another connection, another source object, later on the wall clock: equal.
    database other(dir_.file("loa.db"));
    const channel_templates templates(template_dir);
    const feed_source source(templates);
    EXPECT_EQ(source.outlet_schedule(other, "vov-haiphong", now, links_), f1);
    EXPECT_EQ(source.news(other, feed_slug, links_), n1);
    EXPECT_EQ(source.events(other, feed_slug, links_), e1);
    // A different instant moves the window, so the model differs.
    EXPECT_NE(source.outlet_schedule(other, "vov-haiphong", now + 1s, links_), f1);
}

// ---- The memo of a cache miss: kept materials and campaigns, and what makes them read again ----

// The material of the first item in `lang`, or "".
std::string material_of(const outlet_feed& f, const std::string& lang) {
    if (f.items.empty()) return {};
    for (const auto& m : f.items.front().material)
        if (m.lang == lang) return m.text;
    return {};
}

TEST_F(FeedSource, AKeptMaterialIsRenderedAgainWhenTheApprovedContentChanges) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi")});
    const auto before = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(before);
    EXPECT_GT(source_.memo_materials(), 0u);
    // Before the airing is due (one that was due keeps what it went out with).
    approve_new_text("spot-111", "Nội dung mới đã được duyệt lần hai.", now);
    const auto after = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(after);
    EXPECT_TRUE(has(material_of(*after, "vi"), "Nội dung mới đã được duyệt lần hai."));
    EXPECT_FALSE(has(material_of(*before, "vi"), "Nội dung mới đã được duyệt lần hai."));
    // Exactly what a source with no memo gives.
    const feed_source fresh(templates_);
    EXPECT_EQ(fresh.outlet_schedule(*db_, "vov-haiphong", now, links_), after);
}

TEST_F(FeedSource, AKeptMaterialIsRenderedAgainWhenTheCampaignOrTheOutletChanges) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi")});
    const auto before = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(before);
    EXPECT_TRUE(has(material_of(*before, "vi"), "Không để trẻ em nào bị bỏ lại phía sau"));

    // The theme (the channel context) changes: the material says the new one.
    campaign changed = feed_campaign();
    changed.theme.vi = "Chủ đề mới của chiến dịch";
    import_campaigns(*db_, {changed});
    const auto themed = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(themed);
    EXPECT_TRUE(has(material_of(*themed, "vi"), "Chủ đề mới của chiến dịch"));
    EXPECT_NE(themed, before);

    // The outlet's name (the slot) changes: so does the material.
    for (auto& o : changed.outlets)
        if (o.slug == "vov-haiphong") o.name.vi = "Đài Hải Phòng (tên mới)";
    import_campaigns(*db_, {changed});
    const auto renamed = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(renamed);
    EXPECT_TRUE(has(material_of(*renamed, "vi"), "Đài Hải Phòng (tên mới)"));

    // A moved placement (another slot): the material names the new time.
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 13h + 15min), "toi")});
    const auto moved = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(moved);
    EXPECT_TRUE(has(material_of(*moved, "vi"), "20:15"));

    const feed_source fresh(templates_);
    EXPECT_EQ(fresh.outlet_schedule(*db_, "vov-haiphong", now, links_), moved);
}

TEST_F(FeedSource, ReadsAreKeptWhileNothingIsWrittenAndReadAgainAfterAnyWrite) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi")});
    const auto first = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(first);
    const std::size_t reads = source_.fresh_reads();
    // Nothing written: what was read is used again, and gives the same feed.
    EXPECT_EQ(source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true), first);
    EXPECT_EQ(source_.fresh_reads(), reads);

    // A write through this connection: read again.
    campaign changed = feed_campaign();
    changed.title.vi = "Tên chiến dịch đã đổi";
    import_campaigns(*db_, {changed});
    const auto after_own = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(after_own);
    EXPECT_EQ(source_.fresh_reads(), reads + 1);
    EXPECT_EQ(after_own->items.front().campaign_title.vi, "Tên chiến dịch đã đổi");

    // A commit by another connection (another process, `loa import` say): read again as well.
    database other(dir_.file("loa.db"));
    changed.title.vi = "Tên do một tiến trình khác đổi";
    import_campaigns(other, {changed});
    const auto after_other = source_.outlet_schedule(*db_, "vov-haiphong", now, links_, true);
    ASSERT_TRUE(after_other);
    EXPECT_EQ(after_other->items.front().campaign_title.vi, "Tên do một tiến trình khác đổi");
    // Another connection reading is another memo key: its own reads, the same feed.
    EXPECT_EQ(source_.outlet_schedule(other, "vov-haiphong", now, links_, true), after_other);
    // Without keep_reads: read again, and equal to a source with no memo.
    const feed_source fresh(templates_);
    EXPECT_EQ(source_.outlet_schedule(*db_, "vov-haiphong", now, links_),
              fresh.outlet_schedule(*db_, "vov-haiphong", now, links_));
}

TEST_F(FeedSource, TheMaterialMemoIsBounded) {
    const auto now = utc(2024_y / date::October / 10, 0s);
    plan({feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 12h + 15min), "toi"),
          feed_placement("truong-hoc", "vov-haiphong", utc(2024_y / date::October / 10, 13h + 15min), "toi"),
          feed_placement("spot-111", "vov-haiphong", utc(2024_y / date::October / 10, 14h + 15min), "toi")});
    const feed_source small(templates_, 2);
    const feed_source fresh(templates_);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(small.outlet_schedule(*db_, "vov-haiphong", now, links_, true),
                  fresh.outlet_schedule(*db_, "vov-haiphong", now, links_));
        EXPECT_LE(small.memo_materials(), 2u);
    }
}

}  // namespace feed_source_test_cpp
}  // namespace
