// The feed store against real SQLite files: feed tokens (only the hash stored, revocation, another
// outlet's token refused, last use, audit rows without the token), an outlet's schedule window with
// its cancellations across campaigns, and approval times from the web workflow and from files.
#include "core/storage/feed_store.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/storage/plan_store.hpp"

#include "tests/support/feed_campaign.hpp"
#include "tests/support/temp_dir.hpp"

namespace {
namespace feed_store_test_cpp {

using namespace loa::core;
using namespace std::chrono_literals;
using namespace date::literals;
using loa::testing::feed_campaign;
using loa::testing::feed_placement;
using loa::testing::feed_run;
using loa::testing::feed_slug;
using loa::testing::temp_dir;

std::chrono::sys_seconds utc(date::year_month_day d, std::chrono::seconds tod) {
    return date::sys_days{d} + tod;
}

class FeedStore : public ::testing::Test {
protected:
    void SetUp() override {
        db_.emplace(dir_.file("loa.db"));
        import_campaigns(*db_, {feed_campaign()});
    }

    std::int64_t count(const std::string& sql) { return db_->sql().execAndGet(sql).getInt64(); }

    // Every text value of `table`, concatenated (to look for a token that must not be there).
    std::string all_text(const std::string& table) {
        SQLite::Statement st(db_->sql(), "SELECT * FROM " + table);
        std::string out;
        while (st.executeStep()) {
            for (int i = 0; i < st.getColumnCount(); ++i) {
                const auto c = st.getColumn(i);
                if (c.isText()) out += c.getString() + "\n";
            }
        }
        return out;
    }

    temp_dir dir_;
    std::optional<database> db_;
    audit_actor cli_{std::nullopt, "cli"};
    audit_actor admin_{std::nullopt, "Nguyễn Thị Hương"};
};

TEST_F(FeedStore, ATokenIsRandomAndOnlyItsHashIsStored) {
    const issued_token t = add_feed_token(*db_, "vov-haiphong", "Phần mềm phát sóng tự động", cli_);
    EXPECT_GT(t.id, 0);
    EXPECT_TRUE(std::regex_match(t.token, std::regex("loa_ft_[A-Za-z0-9_-]{32}"))) << t.token;
    const issued_token t2 = add_feed_token(*db_, "vov-haiphong", "", cli_);
    EXPECT_NE(t.token, t2.token);

    // The 24 random bytes decode back from the base64url text.
    unsigned char bytes[64];
    std::size_t n = 0;
    ASSERT_EQ(sodium_base642bin(bytes, sizeof bytes, t.token.data() + 7, t.token.size() - 7, nullptr, &n, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    EXPECT_EQ(n, 24u);

    // The stored hash is SHA-256 of the token; the token is nowhere in the database.
    SQLite::Statement st(db_->sql(), "SELECT token_hash FROM feed_tokens WHERE id = ?");
    st.bind(1, t.id);
    ASSERT_TRUE(st.executeStep());
    ASSERT_EQ(st.getColumn(0).getBytes(), 32);
    unsigned char expected[32];
    crypto_hash_sha256(expected, reinterpret_cast<const unsigned char*>(t.token.data()), t.token.size());
    EXPECT_EQ(std::memcmp(st.getColumn(0).getBlob(), expected, 32), 0);
    const token_hash h = hash_feed_token(t.token);
    EXPECT_EQ(std::memcmp(h.data(), expected, 32), 0);
    for (const char* table : {"feed_tokens", "audit_log"}) {
        EXPECT_EQ(all_text(table).find(t.token), std::string::npos) << table;
        EXPECT_EQ(all_text(table).find(t.token.substr(7)), std::string::npos) << table;
    }

    const auto tokens = list_feed_tokens(*db_, "vov-haiphong");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].id, t.id);
    EXPECT_EQ(tokens[0].outlet, "vov-haiphong");
    EXPECT_EQ(tokens[0].label, "Phần mềm phát sóng tự động");
    EXPECT_EQ(tokens[0].created_by, "cli");
    EXPECT_TRUE(std::regex_match(tokens[0].created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    EXPECT_FALSE(tokens[0].revoked_at);
    EXPECT_FALSE(tokens[0].last_used_at);

    // The audit row names the outlet and label, by the token's id.
    audit_query q;
    q.entity = "feed_token";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 2);
    EXPECT_EQ(audit.records[1].action, "add");
    EXPECT_EQ(audit.records[1].entity_key, std::to_string(t.id));
    ASSERT_TRUE(audit.records[1].after_json);
    EXPECT_NE(audit.records[1].after_json->find("vov-haiphong"), std::string::npos);
    EXPECT_NE(audit.records[1].after_json->find("Phần mềm phát sóng tự động"), std::string::npos);
}

TEST_F(FeedStore, AnUnknownOutletGetsNoToken) {
    try {
        (void)add_feed_token(*db_, "dai-khong-co", "", cli_);
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "unknown outlet 'dai-khong-co'");
    }
    EXPECT_THROW((void)add_feed_token(*db_, "", "", cli_), std::invalid_argument);
    EXPECT_EQ(count("SELECT count(*) FROM feed_tokens"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'feed_token'"), 0);
}

TEST_F(FeedStore, ATokenOpensOnlyItsOwnOutletUntilRevoked) {
    const issued_token radio = add_feed_token(*db_, "vov-haiphong", "", cli_);
    const issued_token paper = add_feed_token(*db_, "bao-haiphong", "Ban biên tập", admin_);

    const auto found = find_feed_token(*db_, "vov-haiphong", radio.token);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, radio.id);
    EXPECT_EQ(found->outlet, "vov-haiphong");
    EXPECT_EQ(found->hash, hash_feed_token(radio.token));
    // Another outlet's token, a changed character, nothing: refused alike.
    EXPECT_FALSE(find_feed_token(*db_, "bao-haiphong", radio.token));
    EXPECT_FALSE(find_feed_token(*db_, "vov-haiphong", paper.token));
    std::string bent = radio.token;
    bent.back() = bent.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(find_feed_token(*db_, "vov-haiphong", bent));
    EXPECT_FALSE(find_feed_token(*db_, "vov-haiphong", ""));
    EXPECT_FALSE(find_feed_token(*db_, "", radio.token));

    auto live = live_feed_tokens(*db_);
    ASSERT_EQ(live.size(), 2u);
    EXPECT_EQ(live[0].outlet, "bao-haiphong");  // by outlet, then id
    EXPECT_EQ(live[1].hash, hash_feed_token(radio.token));

    EXPECT_TRUE(revoke_feed_token(*db_, radio.id, admin_));
    EXPECT_FALSE(revoke_feed_token(*db_, radio.id, admin_));  // already revoked
    EXPECT_FALSE(revoke_feed_token(*db_, 9999, admin_));
    EXPECT_FALSE(find_feed_token(*db_, "vov-haiphong", radio.token));
    EXPECT_TRUE(find_feed_token(*db_, "bao-haiphong", paper.token));
    live = live_feed_tokens(*db_);
    ASSERT_EQ(live.size(), 1u);
    EXPECT_EQ(live[0].id, paper.id);

    // Listed with its revocation; the list of every outlet is by outlet, then id.
    const auto all = list_feed_tokens(*db_);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].outlet, "bao-haiphong");
    EXPECT_EQ(all[0].created_by, "cli");  // no user id: the command line
    EXPECT_TRUE(all[1].revoked_at);
    EXPECT_TRUE(list_feed_tokens(*db_, "radio-berlin-vn").empty());

    audit_query q;
    q.entity = "feed_token";
    q.action = "revoke";
    const auto audit = query_audit(db_->sql(), q);
    ASSERT_EQ(audit.total, 1);
    EXPECT_EQ(audit.records[0].actor, "Nguyễn Thị Hương");
    EXPECT_EQ(audit.records[0].entity_key, std::to_string(radio.id));
    EXPECT_NE(audit.records[0].after_json->find("revoked_at"), std::string::npos);
}

TEST_F(FeedStore, LastUseIsRecordedAndNeverGoesBack) {
    const issued_token a = add_feed_token(*db_, "vov-haiphong", "", cli_);
    const issued_token b = add_feed_token(*db_, "vov-haiphong", "", cli_);
    record_token_use(*db_, {{a.id, "2024-10-02T01:00:00Z"}, {b.id, "2024-10-02T01:05:00Z"}});
    record_token_use(*db_, {{a.id, "2024-10-02T00:59:00Z"}});  // a late batch
    record_token_use(*db_, {});
    const auto tokens = list_feed_tokens(*db_, "vov-haiphong");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].last_used_at, std::string("2024-10-02T01:00:00Z"));
    EXPECT_EQ(tokens[1].last_used_at, std::string("2024-10-02T01:05:00Z"));
    // Recording use writes no audit row.
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'feed_token'"), 2);
}

TEST_F(FeedStore, OutletsOfArchivedCampaignsDoNotExist) {
    EXPECT_TRUE(outlet_exists(*db_, "vov-haiphong"));
    EXPECT_TRUE(outlet_exists(*db_, "radio-berlin-vn"));
    EXPECT_FALSE(outlet_exists(*db_, "vtv1"));
    EXPECT_FALSE(outlet_exists(*db_, ""));
    db_->sql().exec("UPDATE campaigns SET archived = 1");
    EXPECT_FALSE(outlet_exists(*db_, "vov-haiphong"));
    EXPECT_THROW((void)add_feed_token(*db_, "vov-haiphong", "", cli_), std::invalid_argument);
}

TEST_F(FeedStore, ScheduleWindowIsHalfOpenAcrossMidnightWithCancellationsAndOtherCampaigns) {
    // Hai Phong is UTC+7: 23:30 on the 10th local is 16:30 UTC, 00:30 on the 11th is 17:30 UTC.
    const auto before_midnight = utc(2024_y / date::October / 10, 16h + 30min);
    const auto after_midnight = utc(2024_y / date::October / 10, 17h + 30min);
    const auto at_to = utc(2024_y / date::October / 11, 17h);
    const auto at_from = utc(2024_y / date::October / 9, 17h);
    store_plan(*db_, feed_run(), {},
               {feed_placement("spot-111", "vov-haiphong", after_midnight, "dem"),
                feed_placement("truong-hoc", "vov-haiphong", before_midnight, "dem"),
                feed_placement("spot-111", "vov-haiphong", at_from, "dem"),
                feed_placement("spot-111", "vov-haiphong", at_to, "dem"),
                feed_placement("truong-hoc", "vov-haiphong", at_from - 1s, "dem"),
                feed_placement("spot-111", "bao-haiphong", before_midnight, "ban-ngay")},
               cli_);
    // Another campaign has the same outlet (by slug): its placements belong to the same schedule.
    auto other = feed_campaign();
    other.slug = "bao-luc-gia-dinh-2024";
    other.title = {"Phòng, chống bạo lực gia đình", ""};
    import_campaigns(*db_, {feed_campaign(), other});
    auto run = feed_run();
    run.campaign = other.slug;
    store_plan(*db_, run, {}, {feed_placement("spot-111", "vov-haiphong", before_midnight, "dem")}, cli_);

    // A re-plan of the first campaign drops the truong-hoc one before midnight.
    const auto placements = load_placements(*db_, feed_slug);
    std::vector<std::int64_t> kept;
    std::int64_t dropped = 0;
    for (const auto& p : placements) {
        if (p.message == "truong-hoc" && p.start == before_midnight)
            dropped = p.id;
        else
            kept.push_back(p.id);
    }
    ASSERT_NE(dropped, 0);
    store_plan(*db_, feed_run(), kept, {}, cli_);

    const auto rows = load_outlet_schedule(*db_, "vov-haiphong", at_from, at_to);
    ASSERT_EQ(rows.size(), 4u);
    // [from, to): the one at `from` is in, the one a second earlier and the one at `to` are out.
    EXPECT_EQ(rows[0].start, at_from);
    EXPECT_EQ(rows[0].campaign, feed_slug);
    // Two at 23:30 local: by placement id, the cancellation (an older id) first.
    EXPECT_EQ(rows[1].start, before_midnight);
    EXPECT_EQ(rows[1].placement_id, dropped);
    EXPECT_EQ(rows[1].state, "cancelled");
    EXPECT_EQ(rows[1].message, "truong-hoc");
    EXPECT_EQ(rows[1].sequence, 1);
    EXPECT_EQ(rows[1].daypart, "dem");
    EXPECT_EQ(rows[1].duration_s, 30);
    EXPECT_EQ(rows[2].start, before_midnight);
    EXPECT_EQ(rows[2].campaign, "bao-luc-gia-dinh-2024");
    EXPECT_EQ(rows[2].state, "planned");
    EXPECT_GT(rows[2].placement_id, rows[1].placement_id);
    EXPECT_EQ(rows[3].start, after_midnight);
    EXPECT_EQ(rows[3].sequence, 0);
    EXPECT_GE(rows[3].updated, utc(2024_y / date::January / 1, 0s));

    // The newspaper's own schedule; an unknown outlet has none.
    const auto paper = load_outlet_schedule(*db_, "bao-haiphong", at_from, at_to);
    ASSERT_EQ(paper.size(), 1u);
    EXPECT_EQ(paper[0].message, "spot-111");
    EXPECT_TRUE(load_outlet_schedule(*db_, "khong-co", at_from, at_to).empty());

    // An archived campaign's placements leave the feed.
    db_->sql().exec("UPDATE campaigns SET archived = 1 WHERE slug = 'bao-luc-gia-dinh-2024'");
    EXPECT_EQ(load_outlet_schedule(*db_, "vov-haiphong", at_from, at_to).size(), 3u);
}

TEST_F(FeedStore, APlacementMovedOutOfTheWindowStaysInItAtItsNewTime) {
    // A subscriber saw spot-111 at 12:00 UTC on the 10th (inside the window); a re-plan moves it to
    // the 13th, outside. The feed must still list it (moved, at its new time), or the outlet keeps
    // airing it at 12:00. Moved once more, it is still listed: it was once at a time in the window.
    const auto from = utc(2024_y / date::October / 10, 0s);
    const auto to = utc(2024_y / date::October / 11, 0s);
    const auto seen = utc(2024_y / date::October / 10, 12h);
    const auto later = utc(2024_y / date::October / 13, 12h);
    const auto latest = utc(2024_y / date::October / 14, 12h);
    store_plan(*db_, feed_run(), {},
               {feed_placement("spot-111", "vov-haiphong", seen, "dem"),
                feed_placement("truong-hoc", "vov-haiphong", seen + 1h, "dem")},
               cli_);
    const auto first = load_outlet_schedule(*db_, "vov-haiphong", from, to);
    ASSERT_EQ(first.size(), 2u);
    const std::int64_t id = first[0].placement_id;
    const std::int64_t other = first[1].placement_id;

    store_plan(*db_, feed_run(), {other}, {feed_placement("spot-111", "vov-haiphong", later, "dem")}, cli_);
    auto rows = load_outlet_schedule(*db_, "vov-haiphong", from, to);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].placement_id, other);
    EXPECT_EQ(rows[1].placement_id, id);
    EXPECT_EQ(rows[1].start, later);
    EXPECT_EQ(rows[1].state, "planned");
    EXPECT_EQ(rows[1].sequence, 1);
    EXPECT_TRUE(rows[1].moved);
    EXPECT_FALSE(rows[0].moved);  // kept where it was

    store_plan(*db_, feed_run(), {other}, {feed_placement("spot-111", "vov-haiphong", latest, "dem")}, cli_);
    rows = load_outlet_schedule(*db_, "vov-haiphong", from, to);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].placement_id, id);
    EXPECT_EQ(rows[1].start, latest);
    EXPECT_EQ(rows[1].sequence, 2);
    // The window of the 13th sees it too (it was there), once; another outlet's window does not.
    rows = load_outlet_schedule(*db_, "vov-haiphong", later - 1h, later + 1h);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].start, latest);
    EXPECT_TRUE(load_outlet_schedule(*db_, "bao-haiphong", from, to).empty());

    // Dropped at last: its cancellation is listed in both windows it was once in.
    store_plan(*db_, feed_run(), {other}, {}, cli_);
    rows = load_outlet_schedule(*db_, "vov-haiphong", from, to);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].placement_id, id);
    EXPECT_EQ(rows[1].state, "cancelled");
    EXPECT_EQ(rows[1].start, latest);
    EXPECT_EQ(rows[1].sequence, 3);
    EXPECT_TRUE(rows[1].moved);

    // A placement that stays where it was leaves no move behind.
    EXPECT_EQ(count("SELECT count(*) FROM placement_moves WHERE placement_id = " + std::to_string(other)), 0);
    EXPECT_EQ(count("SELECT count(*) FROM placement_moves WHERE placement_id = " + std::to_string(id)), 2);
}

TEST_F(FeedStore, ApprovalTimesComeFromReviewsOrTheMessageRow) {
    // A file message edited in the web, submitted and approved twice (v2, then v3).
    const message_actor editor{std::nullopt, "Lê Văn Nam"};
    auto m = find_message(*db_, feed_slug, "spot-111");
    ASSERT_TRUE(m);
    m->item.text.vi = "Gọi ngay 111 khi nghi ngờ có mua bán người.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor).ok());
    ASSERT_TRUE(submit_message(*db_, feed_slug, "spot-111", editor).ok());
    ASSERT_TRUE(approve_message(*db_, feed_slug, "spot-111", admin_, 2, "Đồng ý").ok());
    // Reviews are stamped with the clock: put the first approval in the past to tell them apart.
    db_->sql().exec("UPDATE message_reviews SET at = '2024-09-01T08:00:00.123Z' WHERE action = 'approve'");
    m = find_message(*db_, feed_slug, "spot-111");
    m->item.text.vi = "Gọi ngay 111 (miễn phí, 24/7) khi nghi ngờ có mua bán người.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor).ok());
    ASSERT_TRUE(submit_message(*db_, feed_slug, "spot-111", editor).ok());
    ASSERT_TRUE(approve_message(*db_, feed_slug, "spot-111", admin_, 3, "").ok());

    auto times = load_approval_times(*db_, feed_slug);
    // Only approved messages, in the campaign's order: the draft is not there.
    ASSERT_EQ(times.size(), 2u);
    EXPECT_EQ(times[0].message, "spot-111");
    EXPECT_EQ(times[0].first_approved_at, std::string("2024-09-01T08:00:00.123Z"));
    ASSERT_TRUE(times[0].approved_at);
    EXPECT_GT(*times[0].approved_at, *times[0].first_approved_at);
    EXPECT_EQ(stored_utc_instant(*times[0].first_approved_at), utc(2024_y / date::September / 1, 8h));
    // A file message never approved in a form: its row's times.
    EXPECT_EQ(times[1].message, "truong-hoc");
    EXPECT_FALSE(times[1].first_approved_at);
    EXPECT_FALSE(times[1].approved_at);
    EXPECT_FALSE(times[1].created_at.empty());
    EXPECT_FALSE(times[1].updated_at.empty());
    (void)stored_utc_instant(times[1].created_at);

    // Another edit takes the approval away: the message leaves the list.
    m = find_message(*db_, feed_slug, "spot-111");
    m->item.text.vi = "Nội dung đang sửa.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor).ok());
    times = load_approval_times(*db_, feed_slug);
    ASSERT_EQ(times.size(), 1u);
    EXPECT_EQ(times[0].message, "truong-hoc");
    EXPECT_TRUE(load_approval_times(*db_, "khong-co").empty());
}

TEST_F(FeedStore, KeptStatementsReadWhatAFreshConnectionReads) {
    // The feed's reads (schedule, approval times, approved content) keep their statements on the
    // connection: every approval below is seen by them, and they read what a new connection reads.
    const message_actor editor{std::nullopt, "Lê Văn Nam"};
    const auto at = utc(2024_y / date::October / 10, 16h + 30min);
    store_plan(*db_, feed_run(), {}, {feed_placement("spot-111", "vov-haiphong", at, "dem")}, cli_);
    const auto same = [&](const char* step) {
        SCOPED_TRACE(step);
        database fresh(dir_.file("loa.db"));
        const auto a = load_outlet_schedule(*db_, "vov-haiphong", at - 24h, at + 24h);
        const auto b = load_outlet_schedule(fresh, "vov-haiphong", at - 24h, at + 24h);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].placement_id, b[i].placement_id);
            EXPECT_EQ(a[i].state, b[i].state);
            EXPECT_EQ(a[i].sequence, b[i].sequence);
            EXPECT_EQ(a[i].updated, b[i].updated);
        }
        EXPECT_EQ(load_approval_times(*db_, feed_slug).size(), load_approval_times(fresh, feed_slug).size());
        EXPECT_EQ(approved_message(*db_, feed_slug, "spot-111"),
                  approved_message(fresh, feed_slug, "spot-111"));
        EXPECT_EQ(outlet_campaigns(*db_, "vov-haiphong"), outlet_campaigns(fresh, "vov-haiphong"));
    };
    same("file content");
    const auto first = approved_message(*db_, feed_slug, "spot-111");
    ASSERT_TRUE(first);
    EXPECT_GT(db_->cached_statements(), 0u);

    auto m = find_message(*db_, feed_slug, "spot-111");
    m->item.text.vi = "Gọi ngay 111 khi nghi ngờ có mua bán người.";
    ASSERT_TRUE(update_message(*db_, feed_slug, "spot-111", m->item, editor).ok());
    EXPECT_FALSE(approved_message(*db_, feed_slug, "spot-111"));  // the edit took the approval away
    same("edited");
    ASSERT_TRUE(submit_message(*db_, feed_slug, "spot-111", editor).ok());
    ASSERT_TRUE(approve_message(*db_, feed_slug, "spot-111", admin_, 2, "Đồng ý").ok());
    const auto second = approved_message(*db_, feed_slug, "spot-111");
    ASSERT_TRUE(second);
    EXPECT_EQ(second->text.vi, "Gọi ngay 111 khi nghi ngờ có mua bán người.");
    same("approved v2");
    EXPECT_FALSE(approved_message(*db_, "khong-co", "spot-111"));
    EXPECT_FALSE(approved_message(*db_, feed_slug, "khong-co"));
}

TEST_F(FeedStore, StoredInstantsParseToWholeSeconds) {
    EXPECT_EQ(stored_utc_instant("2024-10-27T00:59:59Z"), utc(2024_y / date::October / 27, 59min + 59s));
    EXPECT_EQ(stored_utc_instant("2024-10-27T00:59:59.999Z"), utc(2024_y / date::October / 27, 59min + 59s));
    EXPECT_THROW((void)stored_utc_instant("2024-10-27T00:59:59"), SQLite::Exception);
    EXPECT_THROW((void)stored_utc_instant("2024-10-27T00:59:59+07:00"), SQLite::Exception);
    EXPECT_THROW((void)stored_utc_instant(""), SQLite::Exception);
}

}  // namespace feed_store_test_cpp
}  // namespace
