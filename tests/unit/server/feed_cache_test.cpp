#include "server/feeds/feed_cache.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <string>

#include <thread>

#include <SQLiteCpp/Database.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <boost/asio/use_future.hpp>

#include "core/channels/message_renderer.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/plan_store.hpp"
#include "server/app/context.hpp"
#include "server/app/db_executor.hpp"
#include "server/app/metrics.hpp"
#include "server/app/settings.hpp"
#include "server/handlers/routes.hpp"
#include "server/http/dispatch.hpp"
#include "tests/support/feed_campaign.hpp"

namespace {
namespace feed_cache_test_cpp {

using namespace loa::feeds;
using std::chrono::sys_seconds;

sys_seconds at(long long s) {
    return sys_seconds{std::chrono::seconds{s}};
}

std::string gunzip(const std::string& in) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::string out;
    char buf[4096];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    EXPECT_EQ(rc, Z_STREAM_END);
    return out;
}

const std::string vietnamese =
    "<feed><title>Lịch phát sóng — Đài Phát thanh và Truyền hình Hải Phòng</title>"
    "<entry>Phòng, chống mua bán người: hãy gọi 111</entry></feed>";

TEST(FeedEtag, ChangesIfAndOnlyIfTheBytesChange) {
    const auto a = strong_etag(vietnamese);
    EXPECT_EQ(a, strong_etag(std::string(vietnamese)));
    EXPECT_EQ(a.front(), '"');
    EXPECT_EQ(a.back(), '"');
    EXPECT_EQ(a.size(), 34u);
    std::string changed = vietnamese;
    changed[changed.size() - 8] = 'X';
    EXPECT_NE(a, strong_etag(changed));
    EXPECT_NE(a, strong_etag(vietnamese + "\n"));
    EXPECT_NE(a, strong_etag(vietnamese, "-gz"));
    EXPECT_EQ(a.find("-gz"), std::string::npos);
}

TEST(FeedCache, SameBytesKeepEtagAndLastModifiedNewBytesGetNewOnes) {
    feed_cache cache;
    const auto first =
        cache.store("outlet/vov/schedule.atom", vietnamese, "application/atom+xml", 1, 100, at(6000));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->etag, strong_etag(vietnamese));
    EXPECT_EQ(first->last_modified, at(6000));
    EXPECT_EQ(first->last_modified_http, "Thu, 01 Jan 1970 01:40:00 GMT");
    EXPECT_NE(first->gzip_etag, first->etag);
    EXPECT_EQ(gunzip(*first->gzipped), vietnamese);

    // Fresh only at the generation and minute it was rendered at.
    EXPECT_EQ(cache.fresh("outlet/vov/schedule.atom", 1, 100), first);
    EXPECT_EQ(cache.fresh("outlet/vov/schedule.atom", 2, 100), nullptr);
    EXPECT_EQ(cache.fresh("outlet/vov/schedule.atom", 1, 101), nullptr);
    EXPECT_EQ(cache.fresh("outlet/vov/schedule.rss", 1, 100), nullptr);

    // Rendered again (the generation moved) with the same bytes: validators and gzip bytes kept.
    const auto again =
        cache.store("outlet/vov/schedule.atom", vietnamese, "application/atom+xml", 2, 101, at(6090));
    EXPECT_EQ(again->etag, first->etag);
    EXPECT_EQ(again->gzip_etag, first->gzip_etag);
    EXPECT_EQ(again->last_modified, at(6000));
    EXPECT_EQ(again->gzipped, first->gzipped);
    EXPECT_EQ(cache.fresh("outlet/vov/schedule.atom", 2, 101), again);

    // Other bytes: new validators, Last-Modified now.
    const std::string moved = vietnamese + "<!-- SEQUENCE:1 -->";
    const auto changed =
        cache.store("outlet/vov/schedule.atom", moved, "application/atom+xml", 3, 101, at(6100));
    EXPECT_NE(changed->etag, first->etag);
    EXPECT_NE(changed->gzip_etag, first->gzip_etag);
    EXPECT_EQ(changed->last_modified, at(6100));
    EXPECT_EQ(gunzip(*changed->gzipped), moved);

    // A slower render of an older generation does not replace a newer entry.
    const auto late =
        cache.store("outlet/vov/schedule.atom", vietnamese, "application/atom+xml", 2, 101, at(6101));
    EXPECT_EQ(late, changed);
}

// A connection that holds the head of an answer (its entry and variant) gets that answer again
// without headers built; any other answer (another encoding, status, kind or entry) is built whole.
TEST(FeedAnswer, AHeadTheConnectionHoldsIsNotBuiltAgainAndAnyOtherIs) {
    feed_cache cache;
    feed_counts counts;
    const auto entry = cache.store("outlet/vov/schedule.atom", vietnamese, "application/atom+xml", 1, 100, at(6000));
    const auto full = answer(entry, feed_kind::outlet, "", std::nullopt, std::nullopt, false, counts);
    ASSERT_EQ(full.status, 200u);
    EXPECT_FALSE(full.head_reused);
    EXPECT_EQ(full.head_owner, entry);
    EXPECT_EQ(full.content_type, "application/atom+xml");
    EXPECT_EQ(full.headers.size(), 4u);
    const loa::http::head_key held{entry.get(), full.head_variant};

    const auto again = answer(entry, feed_kind::outlet, "", std::nullopt, std::nullopt, false, counts, held);
    EXPECT_TRUE(again.head_reused);
    EXPECT_EQ(again.status, 200u);
    EXPECT_EQ(again.shared_body, entry->identity);
    EXPECT_TRUE(again.headers.empty());
    EXPECT_EQ(again.head_variant, full.head_variant);
    EXPECT_EQ(counts.hit.load(), 2u);  // counted like any answer

    // Another encoding, a 304, the campaign kind, or another entry: another head, built whole.
    const auto gz = answer(entry, feed_kind::outlet, "gzip", std::nullopt, std::nullopt, false, counts, held);
    EXPECT_FALSE(gz.head_reused);
    EXPECT_EQ(gz.shared_body, entry->gzipped);
    EXPECT_EQ(gz.headers.back(), (std::pair<std::string, std::string>{"Content-Encoding", "gzip"}));
    const auto not_modified_answer =
        answer(entry, feed_kind::outlet, "", std::string_view(entry->etag), std::nullopt, false, counts, held);
    EXPECT_FALSE(not_modified_answer.head_reused);
    EXPECT_EQ(not_modified_answer.status, 304u);
    EXPECT_EQ(not_modified_answer.headers.size(), 4u);
    const loa::http::head_key held_304{entry.get(), not_modified_answer.head_variant};
    const auto again_304 =
        answer(entry, feed_kind::outlet, "", std::string_view(entry->etag), std::nullopt, false, counts, held_304);
    EXPECT_TRUE(again_304.head_reused);
    EXPECT_EQ(again_304.status, 304u);
    EXPECT_FALSE(again_304.shared_body);
    EXPECT_FALSE(answer(entry, feed_kind::campaign, "", std::nullopt, std::nullopt, false, counts, held).head_reused);
    const auto other =
        cache.store("outlet/vov/schedule.atom", vietnamese + "!", "application/atom+xml", 2, 100, at(6060));
    const auto other_answer = answer(other, feed_kind::outlet, "", std::nullopt, std::nullopt, false, counts, held);
    EXPECT_FALSE(other_answer.head_reused);
    EXPECT_EQ(other_answer.headers.front().second, other->etag);
}

TEST(FeedCache, SizeIsBounded) {
    feed_cache cache(3);
    for (int i = 0; i < 10; ++i)
        (void)cache.store("campaign/c" + std::to_string(i) + "/news.atom", "x" + std::to_string(i), "t", 1, 1,
                          at(i));
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_NE(cache.fresh("campaign/c9/news.atom", 1, 1), nullptr);
    EXPECT_EQ(cache.fresh("campaign/c0/news.atom", 1, 1), nullptr);
    cache.erase("campaign/c9/news.atom");
    EXPECT_EQ(cache.size(), 2u);
}

TEST(FeedCache, OneRenderPerKeyAtATimeAndTheLatestEntryMeanwhile) {
    feed_cache cache;
    EXPECT_EQ(cache.latest("outlet/thp-radio/schedule.ics"), nullptr);
    ASSERT_TRUE(cache.try_begin_render("outlet/thp-radio/schedule.ics"));
    EXPECT_FALSE(cache.try_begin_render("outlet/thp-radio/schedule.ics"));
    EXPECT_TRUE(cache.try_begin_render("outlet/thp-radio/schedule.atom"));  // another key
    const auto stored =
        cache.store("outlet/thp-radio/schedule.ics", vietnamese, "text/calendar", 1, 10, at(600));
    cache.end_render("outlet/thp-radio/schedule.ics");
    EXPECT_TRUE(cache.try_begin_render("outlet/thp-radio/schedule.ics"));
    // Stale for generation 2, but the latest entry is there to serve while it renders.
    EXPECT_EQ(cache.fresh("outlet/thp-radio/schedule.ics", 2, 10), nullptr);
    EXPECT_EQ(cache.latest("outlet/thp-radio/schedule.ics"), stored);
}

TEST(IfNoneMatch, ListsStarAndWeakComparison) {
    const std::string tag = "\"0123abcd\"";
    EXPECT_TRUE(none_match_hit("\"0123abcd\"", tag));
    EXPECT_TRUE(none_match_hit("*", tag));
    EXPECT_TRUE(none_match_hit("  *  ", tag));
    EXPECT_TRUE(none_match_hit("W/\"0123abcd\"", tag));  // weak comparison for If-None-Match
    EXPECT_TRUE(none_match_hit("\"other\", W/\"0123abcd\"", tag));
    EXPECT_TRUE(none_match_hit("\"a\",\"b\" ,  \"0123abcd\"", tag));
    EXPECT_FALSE(none_match_hit("\"other\"", tag));
    EXPECT_FALSE(none_match_hit("\"0123abcd-gz\"", tag));
    EXPECT_FALSE(none_match_hit("0123abcd", tag));  // not quoted
    EXPECT_FALSE(none_match_hit("", tag));
    EXPECT_FALSE(none_match_hit("\"0123abcd", tag));             // unterminated
    EXPECT_FALSE(none_match_hit("garbage, \"0123abcd\"", tag));  // malformed before the match
}

TEST(HttpDate, FormatsAndParsesTheThreeForms) {
    const auto t = at(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
    EXPECT_EQ(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), t);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), t);
    EXPECT_EQ(parse_http_date(http_date(at(1722099600))), at(1722099600));
    EXPECT_FALSE(parse_http_date("yesterday"));
    EXPECT_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
}

TEST(PresentedToken, QueryFirstThenBearerInAnyCase) {
    EXPECT_EQ(presented_token("loa_ft_q", "Bearer loa_ft_h"), "loa_ft_q");
    for (const char* scheme : {"Bearer", "bearer", "BEARER", "BeArEr", "  bEARER"})
        EXPECT_EQ(presented_token(std::nullopt, std::string(scheme) + "  loa_ft_h "), "loa_ft_h") << scheme;
    EXPECT_EQ(presented_token(std::nullopt, "Basic bG9hOmxvYQ=="), "");
    EXPECT_EQ(presented_token(std::nullopt, "Bearer"), "");
    EXPECT_EQ(presented_token(std::nullopt, "Bearerloa_ft_h"), "");
    EXPECT_EQ(presented_token(std::nullopt, std::nullopt), "");
}

TEST(HttpDate, NowIsTheCurrentSecond) {
    const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string now = http_date_now();
    const auto after = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto t = parse_http_date(now);
    ASSERT_TRUE(t) << now;
    EXPECT_GE(*t, before);
    EXPECT_LE(*t, after);
    EXPECT_EQ(now.size(), 29u);
}

TEST(Conditional, IfNoneMatchWinsOverIfModifiedSince) {
    const std::string tag = "\"abc\"";
    const auto lm = at(1722099600);
    const std::string same = http_date(lm), later = http_date(lm + std::chrono::hours(1)),
                      earlier = http_date(lm - std::chrono::seconds(1));
    EXPECT_TRUE(not_modified(tag, std::nullopt, tag, lm));
    EXPECT_FALSE(not_modified(std::string("\"zzz\""), later, tag, lm));  // a mismatch wins over the date
    EXPECT_TRUE(not_modified(tag, earlier, tag, lm));                    // a match wins over the date
    EXPECT_TRUE(not_modified(std::nullopt, same, tag, lm));
    EXPECT_TRUE(not_modified(std::nullopt, later, tag, lm));
    EXPECT_FALSE(not_modified(std::nullopt, earlier, tag, lm));
    EXPECT_FALSE(not_modified(std::nullopt, std::string("not a date"), tag, lm));
    EXPECT_FALSE(not_modified(std::nullopt, std::nullopt, tag, lm));
}

// gzip deflates through a 16 kB buffer: a body whose gzip takes many turns of it (incompressible
// bytes, then a long feed-like text) comes back whole, and empty input is a valid gzip too.
TEST(Gzip, BodiesLongerThanItsBufferRoundTrip) {
    std::string noise(300 * 1024, '\0');
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    for (char& c : noise) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x & 0xFF);
    }
    const std::string z = loa::feeds::gzip(noise);
    EXPECT_GT(z.size(), 16u * 1024u * 2u);
    EXPECT_EQ(gunzip(z), noise);
    std::string text;
    while (text.size() < 400 * 1024) text += "<entry><title>Hãy gọi 111 — đường dây nóng bảo vệ trẻ em</title></entry>\n";
    EXPECT_EQ(gunzip(loa::feeds::gzip(text)), text);
    EXPECT_EQ(gunzip(loa::feeds::gzip("")), "");
}

TEST(AcceptEncoding, GzipWithQValues) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_TRUE(accepts_gzip("identity, *;q=0.1"));
    EXPECT_TRUE(accepts_gzip("gzip; q=0.001"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("deflate, br"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // explicitly refused beats the wildcard
    EXPECT_FALSE(accepts_gzip("gzip;q=abc"));   // a broken q-value counts as 0
}

TEST(Gzip, RoundTripsVietnameseAndEmpty) {
    EXPECT_EQ(gunzip(gzip(vietnamese)), vietnamese);
    EXPECT_EQ(gunzip(gzip("")), "");
    const std::string big(200'000, 'a');
    const auto z = gzip(big);
    EXPECT_LT(z.size(), big.size() / 50);
    EXPECT_EQ(gunzip(z), big);
}

TEST(RedactToken, NoTokenInLogs) {
    EXPECT_EQ(redact_token("/feeds/outlets/vov/schedule.ics?token=loa_ft_secret"),
              "/feeds/outlets/vov/schedule.ics?token=REDACTED");
    EXPECT_EQ(redact_token("/x?a=1&token=s&b=2&tok%65n=t"), "/x?a=1&token=REDACTED&b=2&tok%65n=REDACTED");
    EXPECT_EQ(redact_token("/x?tokens=1&token"), "/x?tokens=1&token=REDACTED");
    EXPECT_EQ(redact_token("/plain/path"), "/plain/path");
}

TEST(TokenRegistry, ChecksHashesOfTheRightOutletOnly) {
    token_registry reg;
    EXPECT_TRUE(reg.stale(1));
    const std::string good = "loa_ft_Q2hpZW4gZGljaCBwaG9uZyBjaG9uZyBtdWEgYmFu";
    reg.replace({{7, "vov-haiphong", loa::core::hash_feed_token(good)},
                 {8, "bao-haiphong", loa::core::hash_feed_token("loa_ft_other")}},
                5);
    EXPECT_FALSE(reg.stale(5));
    EXPECT_TRUE(reg.stale(6));
    EXPECT_EQ(reg.check("vov-haiphong", good), 7);
    EXPECT_FALSE(reg.check("bao-haiphong", good));  // another outlet's token
    EXPECT_FALSE(reg.check("vov-haiphong", good + "x"));
    EXPECT_FALSE(reg.check("vov-haiphong", ""));
    EXPECT_FALSE(reg.check("unknown", good));
    // A prefix of a good token, and another outlet's token, are refused; checks in any order agree.
    EXPECT_FALSE(reg.check("vov-haiphong", good.substr(0, good.size() - 1)));
    EXPECT_EQ(reg.check("bao-haiphong", "loa_ft_other"), 8);
    EXPECT_FALSE(reg.check("vov-haiphong", "loa_ft_other"));
    EXPECT_EQ(reg.check("vov-haiphong", good), 7);
    EXPECT_EQ(reg.check("vov-haiphong", good), 7);
    // An older read never replaces a newer one.
    reg.replace({}, 4);
    EXPECT_EQ(reg.check("vov-haiphong", good), 7);
    reg.replace({}, 6);
    EXPECT_FALSE(reg.check("vov-haiphong", good));
}

TEST(TokenRegistry, UsesAreWrittenAtMostOnceAMinute) {
    token_registry reg;
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    reg.note_use(7, "2024-07-28T00:00:01Z");
    reg.note_use(7, "2024-07-28T00:00:02Z");
    reg.note_use(8, "2024-07-28T00:00:03Z");
    auto first = reg.take_uses(t0);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0], (std::pair<std::int64_t, std::string>{7, "2024-07-28T00:00:02Z"}));
    reg.note_use(7, "2024-07-28T00:00:30Z");
    EXPECT_TRUE(reg.take_uses(t0 + std::chrono::seconds(30)).empty());  // too soon: kept
    EXPECT_EQ(reg.take_uses(t0 + std::chrono::seconds(61)).size(), 1u);
    EXPECT_TRUE(reg.take_uses(t0 + std::chrono::seconds(200)).empty());  // nothing noted
    reg.note_use(8, "2024-07-28T00:05:00Z");
    EXPECT_EQ(reg.take_uses(t0 + std::chrono::seconds(201), std::chrono::seconds(60), true).size(),
              1u);  // forced
}

TEST(TokenRegistry, AUseIsNotedUnlessAWriteIsDue) {
    token_registry reg;
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    reg.note_use(9, "2024-07-28T00:00:00Z");
    EXPECT_EQ(reg.take_uses(t0, std::chrono::seconds(60), true).size(), 1u);  // the last write: t0
    EXPECT_TRUE(reg.note_use_unless_due(7, "2024-07-28T00:00:01Z", t0 + std::chrono::seconds(30)));
    EXPECT_FALSE(reg.note_use_unless_due(8, "2024-07-28T00:01:01Z", t0 + std::chrono::seconds(60)));  // due: not noted
    const auto uses = reg.take_uses(t0 + std::chrono::seconds(60));
    ASSERT_EQ(uses.size(), 1u);
    EXPECT_EQ(uses[0], (std::pair<std::int64_t, std::string>{7, "2024-07-28T00:00:01Z"}));
}

// ---- The feeds' settings and the server clock ----

TEST(FeedSettings, PublicUrlAndAsOf) {
    loa::app::settings s;
    EXPECT_EQ(loa::app::public_base_url(s), "http://127.0.0.1:8080");
    EXPECT_FALSE(loa::app::set_public_url(s, "https://loa.example/"));
    EXPECT_EQ(s.public_url, "https://loa.example");
    EXPECT_EQ(loa::app::public_base_url(s), "https://loa.example");
    EXPECT_TRUE(loa::app::set_public_url(s, "loa.example"));
    EXPECT_TRUE(loa::app::set_public_url(s, "https://loa.example/?x=1"));
    EXPECT_TRUE(loa::app::set_public_url(s, "https://"));
    EXPECT_EQ(s.public_url, "https://loa.example");  // unchanged by the bad values
    EXPECT_FALSE(loa::app::set_public_url(s, ""));
    EXPECT_EQ(s.public_url, "");

    EXPECT_FALSE(loa::app::set_as_of(s, "2024-07-28T00:00:00+07:00"));
    ASSERT_TRUE(s.as_of);
    EXPECT_EQ(s.as_of->time_since_epoch().count(), 1722099600);
    EXPECT_TRUE(loa::app::set_as_of(s, "hôm qua"));
    // Without an offset: kept for the campaigns' clock, read when their zones are known.
    EXPECT_FALSE(loa::app::set_as_of(s, "2024-07-29T12:00"));
    EXPECT_FALSE(s.as_of);
    EXPECT_EQ(s.as_of_wall, "2024-07-29T12:00");
    auto several = s;
    const auto differ = loa::app::resolve_as_of(several, {"Asia/Ho_Chi_Minh", "Europe/Berlin"});
    ASSERT_TRUE(differ);
    EXPECT_NE(differ->find("the campaigns' zones differ (Asia/Ho_Chi_Minh, Europe/Berlin)"), std::string::npos) << *differ;
    EXPECT_NE(differ->find("give it with its offset (e.g. 2024-07-29T12:00:00+07:00 on Asia/Ho_Chi_Minh's clock) or Z"),
              std::string::npos)
        << *differ;
    auto abroad = s;  // the example on the first zone's clock, its summer offset included
    const auto two_abroad = loa::app::resolve_as_of(abroad, {"Europe/Berlin", "America/New_York"});
    ASSERT_TRUE(two_abroad);
    EXPECT_NE(two_abroad->find("(e.g. 2024-07-29T12:00:00-04:00 on America/New_York's clock)"), std::string::npos)
        << *two_abroad;
    auto none = s;
    const auto empty = loa::app::resolve_as_of(none, {});
    ASSERT_TRUE(empty);
    EXPECT_NE(empty->find("no campaign"), std::string::npos) << *empty;
    EXPECT_FALSE(loa::app::resolve_as_of(s, {"Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"}));
    ASSERT_TRUE(s.as_of);
    EXPECT_EQ(s.as_of->time_since_epoch().count(), 1722229200);  // 2024-07-29T05:00:00Z
    EXPECT_TRUE(s.as_of_wall.empty());
    // A later value with an offset replaces a pending one (the flag after the config file).
    EXPECT_FALSE(loa::app::set_as_of(s, "2024-07-28"));
    EXPECT_FALSE(loa::app::set_as_of(s, "2024-07-28T00:00:00Z"));
    EXPECT_TRUE(s.as_of_wall.empty());
    EXPECT_EQ(s.as_of->time_since_epoch().count(), 1722124800);

    const auto r = loa::app::load_settings_text(
        "as_of: 2024-07-28T00:00:00Z\npublic_url: https://loa.example\n", "s.yaml");
    ASSERT_TRUE(r.errors.empty());
    EXPECT_EQ(r.value.as_of->time_since_epoch().count(), 1722124800);
    EXPECT_EQ(r.value.public_url, "https://loa.example");
    const auto bad = loa::app::load_settings_text("as_of: tomorrow\npublic_url: ftp://x\n", "s.yaml");
    ASSERT_EQ(bad.errors.size(), 2u);
    EXPECT_EQ(bad.errors[0].line, 1);
    EXPECT_EQ(bad.errors[1].line, 2);
}

TEST(ServerClock, StartsAtAsOfAndRunsOn) {
    const loa::app::server_clock system;
    EXPECT_LT(std::chrono::abs(system.now() - std::chrono::system_clock::now()), std::chrono::seconds(1));
    const sys_seconds start = at(1722099600);
    const loa::app::server_clock rehearsal(start);
    const auto t0 = rehearsal.now();
    EXPECT_LT(std::chrono::abs(t0 - start), std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_GE(rehearsal.now() - t0, std::chrono::milliseconds(30));
}

// ---- The change generation of the db executor ----

struct write_job {
    void operator()(loa::core::database& db) const {
        db.sql().exec("INSERT INTO t (v) VALUES ('Hải Phòng')");
    }
};
struct quiet_write_job {
    static constexpr bool keeps_generation = true;
    void operator()(loa::core::database& db) const { db.sql().exec("UPDATE t SET v = 'Đồ Sơn'"); }
};
struct read_job {
    int operator()(loa::core::database& db) const {
        return db.sql().execAndGet("SELECT count(*) FROM t").getInt();
    }
};
struct create_job {
    void operator()(loa::core::database& db) const { db.sql().exec("CREATE TABLE t (v TEXT)"); }
};

template <class Job>
void run_on(loa::app::db_executor& db, Job& job) {
    boost::asio::io_context ioc;
    std::exception_ptr error;
    boost::asio::co_spawn(
        ioc, [&]() -> boost::asio::awaitable<void> { co_await db.run(job); },
        [&](std::exception_ptr e) { error = e; });
    ioc.run();
    if (error) std::rethrow_exception(error);
}

TEST(ChangeGeneration, MovesOnWritesHereAndElsewhereNotOnReadsOrQuietWrites) {
    const auto dir = std::filesystem::temp_directory_path() / ("loa-gen-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "gen.db";
    {
        loa::app::db_executor db(path, loa::core::database_settings{std::chrono::milliseconds(2000)});
        create_job create;
        run_on(db, create);
        const auto g0 = db.generation();
        write_job w;
        run_on(db, w);
        const auto g1 = db.generation();
        EXPECT_GT(g1, g0);
        read_job r;
        run_on(db, r);
        EXPECT_EQ(db.generation(), g1);
        quiet_write_job q;
        run_on(db, q);
        EXPECT_EQ(db.generation(), g1);  // a write that says it changes nothing cached
        // Another connection (as `loa token add` from a shell would): seen by the poll within ~1 s.
        {
            SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
            other.setBusyTimeout(2000);
            other.exec("INSERT INTO t (v) VALUES ('Cát Bà')");
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (db.generation() == g1 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_GT(db.generation(), g1);
        const auto g2 = db.generation();
        std::this_thread::sleep_for(std::chrono::milliseconds(1300));
        EXPECT_EQ(db.generation(), g2);  // nothing changed since: the poll moves nothing
    }
    std::filesystem::remove_all(dir);
}


// ---- Answers from memory (http::dispatch_from_memory): the same answers as dispatch() ----------

class FeedsFromMemory : public ::testing::Test {
protected:
    FeedsFromMemory()
        : dir_(std::filesystem::temp_directory_path() / ("loa-feeds-memory-" + std::to_string(::getpid()))) {
        using namespace std::chrono_literals;
        std::filesystem::create_directories(dir_);
        {
            loa::core::database db(dir_ / "loa.db");
            loa::core::import_campaigns(db, {loa::testing::feed_campaign()});
            const loa::core::audit_actor cli{std::nullopt, "cli"};
            loa::core::store_plan(db, loa::testing::feed_run(), {},
                                  {loa::testing::feed_placement("spot-111", "vov-haiphong", now_ + 2h, "toi")}, cli);
            token_ = loa::core::add_feed_token(db, "vov-haiphong", "test", cli).token;
        }
        db_ = std::make_unique<loa::app::db_executor>(dir_ / "loa.db", loa::core::database_settings{});
        ctx_ = std::make_unique<loa::app::context>(loa::app::context{*db_, metrics_, config_, nullptr});
        ctx_->clock = loa::app::server_clock(now_);
        ctx_->feeds = &feeds_;
    }
    ~FeedsFromMemory() override {
        db_->shutdown();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // The ordinary way: dispatch() with the route table.
    loa::http::dispatched slow(const std::string& target, std::vector<std::pair<std::string, std::string>> headers,
                               const std::string& method = "GET") {
        loa::http::request req;
        req.method = method;
        req.target = target;
        req.path = target.substr(0, target.find('?'));
        if (const auto q = target.find('?'); q != std::string::npos) {
            std::string_view rest = std::string_view(target).substr(q + 1);
            for (;;) {
                const auto amp = rest.find('&');
                const std::string_view p = rest.substr(0, amp);
                const auto eq = p.find('=');
                req.query.emplace_back(std::string(p.substr(0, eq)),
                                       eq == std::string_view::npos ? std::string() : std::string(p.substr(eq + 1)));
                if (amp == std::string_view::npos) break;
                rest.remove_prefix(amp + 1);
            }
        }
        req.headers = std::move(headers);
        boost::asio::io_context ioc;
        auto f = boost::asio::co_spawn(ioc, loa::http::dispatch(loa::handlers::routes(), std::move(req), *ctx_),
                                       boost::asio::use_future);
        ioc.run();
        return f.get();
    }

    // From memory, with the same headers (names lower-case).
    std::optional<loa::http::dispatched> fast(const std::string& target,
                                              const std::vector<std::pair<std::string, std::string>>& headers,
                                              std::span<const loa::http::route> table = loa::handlers::routes()) {
        loa::http::plain_get g;
        g.target = target;
        const auto first = [&](const char* name) -> std::optional<std::string_view> {
            for (const auto& [k, v] : headers)
                if (k == name) return std::string_view(v);
            return std::nullopt;
        };
        g.authorization = first("authorization");
        g.if_none_match = first("if-none-match");
        g.if_modified_since = first("if-modified-since");
        g.accept_encoding = first("accept-encoding");
        return loa::http::dispatch_from_memory(loa::http::memory_routes(table), g, *ctx_);
    }

    static void expect_same(const loa::http::dispatched& a, const loa::http::dispatched& b) {
        EXPECT_EQ(a.res.status, b.res.status);
        EXPECT_EQ(a.res.content_type, b.res.content_type);
        EXPECT_EQ(a.res.headers, b.res.headers);
        EXPECT_EQ(a.res.body, b.res.body);
        EXPECT_EQ(a.res.shared_body, b.res.shared_body);  // the same cached bytes, not a copy
        EXPECT_EQ(a.route, b.route);
        EXPECT_EQ(a.refused, b.refused);
    }

    // Runs `job` on the db thread.
    template <class F>
    void on_db(F job) {
        boost::asio::io_context ioc;
        auto f = boost::asio::co_spawn(ioc, run(*db_, std::move(job)), boost::asio::use_future);
        ioc.run();
        f.get();
    }
    template <class F>
    static boost::asio::awaitable<void> run(loa::app::db_executor& db, F job) {
        co_await db.run(job);
    }

    const sys_seconds now_ = sys_seconds{date::sys_days{date::year{2024} / 10 / 10}} + std::chrono::hours(12);
    std::filesystem::path dir_;
    loa::app::settings config_;
    loa::app::metrics_registry metrics_;
    const loa::core::channel_templates templates_{std::filesystem::path(LOA_SOURCE_DIR) / "templates" / "messages"};
    feed_service feeds_{templates_};
    std::unique_ptr<loa::app::db_executor> db_;
    std::unique_ptr<loa::app::context> ctx_;
    std::string token_;
};

TEST_F(FeedsFromMemory, AnswersWhatDispatchAnswersOnceTheBytesAreInMemory) {
    const std::string path = "/feeds/outlets/vov-haiphong/schedule.atom";
    const std::string with_token = path + "?token=" + token_;
    // Nothing rendered yet: only the ordinary way can answer.
    EXPECT_FALSE(fast(with_token, {}));
    const auto first = slow(with_token, {});
    ASSERT_EQ(first.res.status, 200u);
    const std::string etag = [&] {
        for (const auto& [k, v] : first.res.headers)
            if (k == "ETag") return v;
        return std::string();
    }();
    const auto gz = slow(with_token, {{"accept-encoding", "gzip"}});
    std::string gz_etag;
    std::string last_modified;
    for (const auto& [k, v] : gz.res.headers) {
        if (k == "ETag") gz_etag = v;
        if (k == "Last-Modified") last_modified = v;
    }
    ASSERT_FALSE(gz_etag.empty());

    using headers = std::vector<std::pair<std::string, std::string>>;
    const std::vector<std::pair<std::string, headers>> cases = {
        {with_token, {}},
        {with_token, {{"accept-encoding", "gzip, deflate"}}},
        {with_token, {{"accept-encoding", "gzip;q=0, *"}}},
        {with_token, {{"if-none-match", etag}}},
        {with_token, {{"accept-encoding", "gzip"}, {"if-none-match", "\"x\", W/" + gz_etag}}},
        {with_token, {{"if-none-match", "\"other\""}, {"if-modified-since", last_modified}}},
        {with_token, {{"if-modified-since", last_modified}}},
        {with_token, {{"if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT"}}},
        {path, {{"authorization", "Bearer " + token_}}},
        {path, {{"authorization", "  bearer   " + token_ + "  "}}},
        {path + "?a=1&token=" + token_ + "&token=x", {}},
        {"/feeds/campaigns/haiphong-2024/news.atom", {}},
        {"/feeds/campaigns/haiphong-2024/news.atom", {{"if-none-match", "*"}}},
    };
    // The campaign feed is rendered once the ordinary way first.
    ASSERT_EQ(slow("/feeds/campaigns/haiphong-2024/news.atom", {}).res.status, 200u);
    for (const auto& [target, h] : cases) {
        SCOPED_TRACE(target + (h.empty() ? "" : " " + h.front().first + ": " + h.front().second));
        const auto from_memory = fast(target, h);
        ASSERT_TRUE(from_memory);
        expect_same(*from_memory, slow(target, h));
    }
    // Counted like the ordinary way: hits and 304s.
    EXPECT_GT(feeds_.counts.hit.load(), 0u);
    EXPECT_GT(feeds_.counts.not_modified.load(), 0u);
}

TEST_F(FeedsFromMemory, LeavesToTheOrdinaryWayWhatMemoryCannotAnswer) {
    const std::string path = "/feeds/outlets/vov-haiphong/schedule.atom";
    ASSERT_EQ(slow(path + "?token=" + token_, {}).res.status, 200u);
    ASSERT_TRUE(fast(path + "?token=" + token_, {}));
    const auto not_found_before = feeds_.counts.not_found.load();
    // Refusals (the one 404 comes from the handler), an empty ?token= that wins over Bearer, files
    // never rendered, targets that need decoding, other paths.
    for (const std::string& target :
         {path + "?token=loa_ft_wrong", path + "?token=&x=1", path + "?token",
          std::string("/feeds/outlets/vov-haiphong/schedule.rss?token=") + token_,
          std::string("/feeds/outlets/vov-haiphong/schedule.pdf?token=") + token_,
          std::string("/feeds/outlets/bao-haiphong/schedule.atom?token=") + token_,
          path + "?%74oken=" + token_, path + "?token=" + token_ + "+", std::string("/feeds/outlets/vov%2Dhaiphong/schedule.atom?token=") + token_,
          path + "/?token=" + token_, std::string("/feeds/outlets//schedule.atom?token=") + token_,
          std::string("/feeds/other/vov-haiphong/schedule.atom?token=") + token_, std::string("/healthz")}) {
        SCOPED_TRACE(target);
        EXPECT_FALSE(fast(target, {{"authorization", "Bearer " + token_}}));
    }
    EXPECT_FALSE(fast(path, {}));                                          // no token at all
    EXPECT_FALSE(fast(path, {{"authorization", "Basic " + token_}}));    // not a Bearer
    EXPECT_EQ(feeds_.counts.not_found.load(), not_found_before);  // nothing counted for what it left
    // A route table where another route takes the path first, or where the feed's route needs a role.
    const loa::http::route other_first[] = {
        {"GET", "/feeds/outlets/{slug}/{name}", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}", nullptr},
    };
    EXPECT_FALSE(fast(path + "?token=" + token_, {}, other_first));
    const loa::http::route needs_role[] = {{"GET", "/feeds/outlets/{slug}/{file}", nullptr, loa::http::access::viewer}};
    EXPECT_FALSE(fast(path + "?token=" + token_, {}, needs_role));
    const loa::http::route post_first[] = {
        {"POST", "/feeds/outlets/{slug}/{name}", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}", nullptr},
    };
    EXPECT_TRUE(fast(path + "?token=" + token_, {}, post_first));  // only GET routes answer a GET

    // A write moves the change generation: the bytes must be rendered again, the ordinary way.
    struct scratch_write_job {
        void operator()(loa::core::database& db) const {
            db.sql().exec("CREATE TABLE IF NOT EXISTS scratch (v TEXT); INSERT INTO scratch VALUES ('x')");
        }
    };
    on_db(scratch_write_job{});
    EXPECT_FALSE(fast(path + "?token=" + token_, {}));
    ASSERT_EQ(slow(path + "?token=" + token_, {}).res.status, 200u);
    EXPECT_TRUE(fast(path + "?token=" + token_, {}));
}

// Only the routes before the feed's that match the very path keep it from memory.
TEST_F(FeedsFromMemory, ARouteBeforeTheFeedsTakesOnlyThePathsItMatches) {
    const std::string atom = "/feeds/outlets/vov-haiphong/schedule.atom?token=" + token_;
    const std::string rss = "/feeds/outlets/vov-haiphong/schedule.rss?token=" + token_;
    ASSERT_EQ(slow(atom, {}).res.status, 200u);
    ASSERT_EQ(slow(rss, {}).res.status, 200u);
    const loa::http::route literal_file_first[] = {
        {"GET", "/feeds/outlets/{slug}/schedule.rss", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}", nullptr},
        {"GET", "/feeds/{any}/{slug}/{file}", nullptr},  // after the feed's: never taken
    };
    EXPECT_TRUE(fast(atom, {}, literal_file_first));
    EXPECT_FALSE(fast(rss, {}, literal_file_first));
    const loa::http::route capture_first[] = {
        {"GET", "/{area}/outlets/{slug}/{file}", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}", nullptr},
    };
    EXPECT_FALSE(fast(atom, {}, capture_first));
    const loa::http::route other_shapes_first[] = {
        {"GET", "/feeds/outlets/{slug}", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}/{more}", nullptr},
        {"GET", "/feeds/campaigns/{slug}/{file}", nullptr},
        {"GET", "/feeds/outlets/other-radio/{file}", nullptr},
        {"GET", "/feeds/outlets/{slug}/{file}", nullptr},
    };
    EXPECT_TRUE(fast(atom, {}, other_shapes_first));
    const loa::http::route no_feed_route[] = {{"GET", "/feeds/campaigns/{slug}/{file}", nullptr}};
    EXPECT_FALSE(fast(atom, {}, no_feed_route));
}

TEST_F(FeedsFromMemory, ATokenUseWriteDueGoesTheOrdinaryWay) {
    const std::string target = "/feeds/outlets/vov-haiphong/schedule.atom?token=" + token_;
    ASSERT_EQ(slow(target, {}).res.status, 200u);  // wrote the uses: the next write is a minute away
    EXPECT_TRUE(fast(target, {}));
    // A minute later the write is due: the registry notes nothing, and memory leaves it to the
    // ordinary way.
    EXPECT_FALSE(feeds_.tokens.note_use_unless_due(-1, "2024-10-10T12:01:01Z",
                                                   std::chrono::steady_clock::now() + std::chrono::seconds(61)));
}

TEST(FreshTokens, ShownOnceToWhoMadeItWithinTenMinutes) {
    fresh_tokens held;
    const auto t0 = std::chrono::steady_clock::now();
    const std::string key = held.put(7, {"thp-radio", "Phần mềm phát sóng", "loa_ft_x"}, t0);
    EXPECT_EQ(key.size(), 32u);
    EXPECT_NE(held.put(7, {"thp-tv", "", "loa_ft_y"}, t0), key);  // random keys
    EXPECT_FALSE(held.take(key, 8, t0));  // another user: not shown, and still held for its maker
    EXPECT_TRUE(held.take(key, 7, t0));
    const std::string again = held.put(7, {"thp-radio", "Phần mềm phát sóng", "loa_ft_x"}, t0);
    const auto e = held.take(again, 7, t0 + std::chrono::minutes(9));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->outlet, "thp-radio");
    EXPECT_EQ(e->label, "Phần mềm phát sóng");
    EXPECT_EQ(e->token, "loa_ft_x");
    EXPECT_FALSE(held.take(again, 7, t0));  // once
    const std::string late = held.put(7, {"thp-radio", "", "loa_ft_z"}, t0);
    EXPECT_FALSE(held.take(late, 7, t0 + std::chrono::minutes(10)));  // expired
    EXPECT_FALSE(held.take("", 7, t0));
}

}  // namespace feed_cache_test_cpp
}  // namespace
