// The feed renderers: Atom and RSS read back with Boost.PropertyTree's XML parser, JSON Feed with
// Boost.JSON, iCalendar with libical's parser plus the RFC 5545 line rules on the raw bytes. The
// models (tests/feeds/sample_models.hpp) carry Vietnamese text, hostile text, a moved and a
// cancelled placement and an outlet abroad across a DST change.
#include "scheduler/feeds/feed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <libical/ical.h>

#include "scheduler/feeds/feed_text.hpp"
#include "tests/feeds/sample_models.hpp"

namespace {
namespace feed_render_test_cpp {

namespace feeds = loa::scheduler::feeds;
namespace samples = loa::tests::feeds;
namespace pt = boost::property_tree;
namespace json = boost::json;

// The hostile title as a reader must see it: the same characters without the forbidden controls.
const std::string hostile_seen = "<script>alert(\"x\")</script> ]]> & 'nháy' \"kép\" \\ ; , <b>đậm</b>";
const std::string prime_title_vi = "19:00 thứ Hai 29/07/2024 · Cảnh giác với lời mời việc nhẹ lương cao · Giờ vàng";

pt::ptree parse_xml(const std::string& bytes) {
    std::istringstream in(bytes);
    pt::ptree tree;
    pt::read_xml(in, tree);  // throws on XML that is not well-formed
    return tree;
}

std::vector<pt::ptree> children(const pt::ptree& parent, const std::string& name) {
    std::vector<pt::ptree> out;
    for (const auto& [key, child] : parent) {
        if (key == name) out.push_back(child);
    }
    return out;
}

bool has_forbidden_controls(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\t' && c != '\r') || u == 0x7F;
    });
}

const pt::ptree& entry_by_placement(const std::vector<pt::ptree>& entries, const std::string& id) {
    for (const auto& e : entries) {
        const auto ident = e.get<std::string>("id", e.get<std::string>("guid", ""));
        if (ident.find("/placements/" + id + "/") != std::string::npos) return e;
    }
    throw std::runtime_error("no entry for placement " + id);
}

// ---- Atom ----

TEST(FeedAtom, VietnameseTitlesPrimeTimeAndIdsReadBack) {
    const auto tree = parse_xml(feeds::render_atom(samples::haiphong_schedule()));
    const auto& feed = tree.get_child("feed");
    EXPECT_EQ(feed.get<std::string>("<xmlattr>.xml:lang"), "vi");
    EXPECT_EQ(feed.get<std::string>("title"), "Lịch phát sóng · Đài Phát thanh và Truyền hình Hải Phòng");
    EXPECT_EQ(feed.get<std::string>("id"), "tag:loa.example,2024:loa/outlets/vov-haiphong/schedule");
    EXPECT_EQ(feed.get<std::string>("updated"), "2024-08-01T10:00:00+07:00");
    EXPECT_EQ(feed.get<std::string>("author.name"), "Đài Phát thanh và Truyền hình Hải Phòng");
    const auto entries = children(feed, "entry");
    ASSERT_EQ(entries.size(), 6U);
    const auto& prime = entry_by_placement(entries, "101");
    EXPECT_EQ(prime.get<std::string>("title"), prime_title_vi);
    EXPECT_EQ(prime.get<std::string>("id"), "tag:loa.example,2024:loa/placements/101/haiphong-2024-anti-trafficking");
    EXPECT_EQ(prime.get<std::string>("updated"), "2024-07-20T10:00:00+07:00");
    EXPECT_EQ(prime.get<std::string>("published"), "2024-07-29T19:00:00+07:00");
    EXPECT_EQ(prime.get<std::string>("loa:start"), "2024-07-29T19:00:00+07:00");
    EXPECT_EQ(prime.get<std::string>("loa:duration"), "PT30S");
    EXPECT_EQ(prime.get<std::string>("loa:prime"), "true");
    // Every language's material, the outlet's first language first.
    const auto content = prime.get<std::string>("content");
    const auto vi = content.find("Hãy gọi đường dây nóng 111");
    const auto en = content.find("Call the 111 hotline");
    ASSERT_NE(vi, std::string::npos);
    ASSERT_NE(en, std::string::npos);
    EXPECT_LT(vi, en);
    // Categories: campaign, department, audiences, each with its scheme.
    std::vector<std::string> schemes;
    for (const auto& c : children(prime, "category")) schemes.push_back(c.get<std::string>("<xmlattr>.scheme"));
    EXPECT_EQ(schemes, (std::vector<std::string>{"https://loa.example/feeds/schemes/campaign",
                                                 "https://loa.example/feeds/schemes/department",
                                                 "https://loa.example/feeds/schemes/audience",
                                                 "https://loa.example/feeds/schemes/audience"}));
    EXPECT_EQ(children(prime, "category")[0].get<std::string>("<xmlattr>.label"),
              "Phòng, chống mua bán người — Hải Phòng 2024");
    // Every term is a code software can match, every label the name people read: the audiences too.
    const auto cats = children(prime, "category");
    EXPECT_EQ(cats[2].get<std::string>("<xmlattr>.term"), "youth-16-30");
    EXPECT_EQ(cats[2].get<std::string>("<xmlattr>.label"), "Thanh niên 16–30 tuổi");
    EXPECT_EQ(cats[3].get<std::string>("<xmlattr>.term"), "parents");
}

TEST(FeedAtom, HostileTextIsEscapedAndForbiddenCharactersDropped) {
    const std::string bytes = feeds::render_atom(samples::haiphong_schedule());
    EXPECT_EQ(bytes.find("<script"), std::string::npos);
    EXPECT_EQ(bytes.find("]]>"), std::string::npos);
    EXPECT_FALSE(has_forbidden_controls(bytes));
    EXPECT_EQ(bytes.find("\xef\xbf\xbe"), std::string::npos);  // U+FFFE
    EXPECT_EQ(bytes.find("\xc2\x85"), std::string::npos);      // U+0085 (C1)
    const auto entries = children(parse_xml(bytes).get_child("feed"), "entry");
    const auto& hostile = entry_by_placement(entries, "104");
    EXPECT_EQ(hostile.get<std::string>("title"), "20:30 thứ Tư 31/07/2024 · " + hostile_seen);
    const auto content = hostile.get<std::string>("content");
    EXPECT_NE(content.find(hostile_seen + "\nDòng hai\nDòng ba\n" + samples::long_vietnamese_line()), std::string::npos)
        << "CR LF and a lone CR become LF";
    EXPECT_NE(content.find("Line <two> & ]]>"), std::string::npos);
}

TEST(FeedAtom, MovedAndCancelledPlacementsSaySo) {
    const auto entries = children(parse_xml(feeds::render_atom(samples::haiphong_schedule())).get_child("feed"), "entry");
    const auto& moved = entry_by_placement(entries, "102");
    EXPECT_EQ(moved.get<std::string>("title"),
              "[ĐÃ DỜI] 07:15 thứ Ba 30/07/2024 · Đường dây nóng 111 — gọi ngay khi nghi ngờ · Buổi sáng");
    EXPECT_EQ(moved.get<std::string>("updated"), "2024-07-28T16:30:00+07:00");
    EXPECT_NE(moved.get<std::string>("summary").find("Đã dời giờ, giờ mới: 07:15 thứ Ba 30/07/2024 (lần thay đổi 2)."),
              std::string::npos);
    EXPECT_EQ(moved.get<std::string>("loa:sequence"), "2");
    const auto& cancelled = entry_by_placement(entries, "103");
    EXPECT_EQ(cancelled.get<std::string>("title"), "[ĐÃ HỦY] 17:00 thứ Ba 30/07/2024 · Học sinh nói không với người lạ");
    EXPECT_NE(cancelled.get<std::string>("content").find("Lượt phát này đã bị hủy: không phát."), std::string::npos);
    EXPECT_EQ(cancelled.get<std::string>("loa:state"), "cancelled");
}

TEST(FeedText, AnItemChangedButNotMovedIsUpdatedAtItsTime) {
    // New content approved (or the approval regained) raises the sequence; the time stays, and no
    // scheduler should be told it moved.
    auto f = samples::haiphong_schedule();
    auto it = *std::find_if(f.items.begin(), f.items.end(), [](const auto& i) { return i.placement_id == 102; });
    it.moved = false;
    EXPECT_EQ(feeds::text::item_title(it, "vi"),
              "[CẬP NHẬT] 07:15 thứ Ba 30/07/2024 · Đường dây nóng 111 — gọi ngay khi nghi ngờ · Buổi sáng");
    EXPECT_EQ(feeds::text::item_title(it, "en").rfind("[UPDATED] ", 0), 0U);
    const std::string summary = feeds::text::item_summary(it, "vi");
    EXPECT_NE(summary.find("Đã cập nhật, giờ phát không đổi (lần thay đổi 2)."), std::string::npos) << summary;
    EXPECT_EQ(summary.find("dời"), std::string::npos) << summary;
    EXPECT_NE(feeds::text::item_summary(it, "en").find("Updated, the air time is unchanged (change 2)."),
              std::string::npos);
    // The JSON Feed says which.
    const auto json_feed = [&](const feeds::outlet_feed& feed) { return boost::json::parse(feeds::render_json_feed(feed)); };
    auto g = f;
    for (auto& i : g.items)
        if (i.placement_id == 102) i.moved = false;
    const auto moved_of = [](const boost::json::value& v) {
        for (const auto& i : v.at("items").as_array())
            if (i.at("_loa").at("placement_id").as_int64() == 102) return i.at("_loa").at("moved").as_bool();
        throw std::runtime_error("no item 102");
    };
    EXPECT_TRUE(moved_of(json_feed(f)));
    EXPECT_FALSE(moved_of(json_feed(g)));
}

// The daypart line names prime time once: after the daypart's own name, unless that name says it.
TEST(FeedText, PrimeTimeIsSaidOnce) {
    auto f = samples::haiphong_schedule();
    auto it = f.items.front();
    it.prime = true;
    it.daypart_name = {"Giờ vàng", "Prime time"};
    EXPECT_NE(feeds::text::item_summary(it, "vi").find("Khung giờ: Giờ vàng\n"), std::string::npos)
        << feeds::text::item_summary(it, "vi");
    EXPECT_NE(feeds::text::item_summary(it, "en").find("Daypart: Prime time\n"), std::string::npos)
        << feeds::text::item_summary(it, "en");
    it.daypart_name = {"Buổi tối", "Evening"};
    EXPECT_NE(feeds::text::item_summary(it, "vi").find("Khung giờ: Buổi tối · Giờ vàng\n"), std::string::npos)
        << feeds::text::item_summary(it, "vi");
}

TEST(FeedAtom, OutletAbroadInEnglishWithItsOffsetsAcrossDst) {
    const auto tree = parse_xml(feeds::render_atom(samples::berlin_schedule()));
    const auto& feed = tree.get_child("feed");
    EXPECT_EQ(feed.get<std::string>("<xmlattr>.xml:lang"), "en");
    EXPECT_EQ(feed.get<std::string>("title"), "Broadcast schedule · VTV4 Europe");
    const auto entries = children(feed, "entry");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].get<std::string>("title"),
              "20:00 Saturday 26/10/2024 · Vietnamese abroad: beware of brokers");
    EXPECT_EQ(entries[0].get<std::string>("loa:start"), "2024-10-26T20:00:00+02:00");
    EXPECT_EQ(entries[1].get<std::string>("title"), "20:00 Sunday 27/10/2024 · Vietnamese abroad: beware of brokers");
    EXPECT_EQ(entries[1].get<std::string>("loa:start"), "2024-10-27T20:00:00+01:00");
}

TEST(FeedAtom, SameModelSameBytesAndNoItemsStillAFeed) {
    const auto a = samples::haiphong_schedule();
    const auto b = samples::haiphong_schedule();
    EXPECT_EQ(feeds::render_atom(a), feeds::render_atom(b));
    auto moved = a;
    moved.items[0].start += std::chrono::minutes{5};
    EXPECT_NE(feeds::render_atom(moved), feeds::render_atom(a));

    auto empty = a;
    empty.items.clear();
    empty.updated = empty.window_from;
    const auto feed = parse_xml(feeds::render_atom(empty)).get_child("feed");
    EXPECT_TRUE(children(feed, "entry").empty());
    EXPECT_EQ(feed.get<std::string>("updated"), "2024-07-28T12:00:00+07:00");
}

TEST(FeedAtom, UnknownZoneThrows) {
    auto f = samples::haiphong_schedule();
    f.items[1].time_zone = "Asia/Atlantis";
    EXPECT_THROW((void)feeds::render_atom(f), std::runtime_error);
    EXPECT_THROW((void)feeds::render_ics(f), std::runtime_error);
}

TEST(FeedAtom, IdsUseTheHostOfTheBaseUrlAndLocalhostForAnAddress) {
    auto f = samples::haiphong_schedule();
    f.links.base = "http://127.0.0.1:8080";
    EXPECT_EQ(feeds::text::placement_id(f.links, f.items[0]),
              "tag:localhost,2024:loa/placements/101/haiphong-2024-anti-trafficking");
    f.links.base = "https://Loa.Example.VN:8443/";
    EXPECT_EQ(feeds::text::placement_uid(f.links, f.items[0]),
              "placement-101.haiphong-2024-anti-trafficking@loa.example.vn");
}

TEST(FeedAtom, CampaignNewsEntries) {
    const auto feed = parse_xml(feeds::render_atom(samples::haiphong_news())).get_child("feed");
    EXPECT_EQ(feed.get<std::string>("title"), "Tin chiến dịch · Phòng, chống mua bán người — Hải Phòng 2024");
    EXPECT_EQ(feed.get<std::string>("updated"), "2024-07-22T04:00:00Z");
    const auto entries = children(feed, "entry");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].get<std::string>("title"),
              "Thông cáo báo chí: phát động tháng hành động phòng, chống mua bán người");
    EXPECT_EQ(entries[0].get<std::string>("published"), "2024-07-20T02:00:00Z");
    EXPECT_EQ(entries[0].get<std::string>("updated"), "2024-07-22T04:00:00Z");
    EXPECT_NE(entries[0].get<std::string>("summary").find("25/07/2024 – 30/08/2024"), std::string::npos);
    EXPECT_EQ(entries[1].get<std::string>("title"), hostile_seen);
}

// ---- RSS ----

TEST(FeedRss, ItemsWithGuidPubDateInTheOutletsZoneAndSelfLink) {
    const auto tree = parse_xml(feeds::render_rss(samples::haiphong_schedule()));
    EXPECT_EQ(tree.get<std::string>("rss.<xmlattr>.version"), "2.0");
    const auto& channel = tree.get_child("rss.channel");
    EXPECT_EQ(channel.get<std::string>("language"), "vi");
    EXPECT_EQ(channel.get<std::string>("lastBuildDate"), "Thu, 01 Aug 2024 10:00:00 +0700");
    EXPECT_EQ(channel.get<std::string>("atom:link.<xmlattr>.rel"), "self");
    const auto items = children(channel, "item");
    ASSERT_EQ(items.size(), 6U);
    const auto& prime = entry_by_placement(items, "101");
    EXPECT_EQ(prime.get<std::string>("title"), prime_title_vi);
    EXPECT_EQ(prime.get<std::string>("guid.<xmlattr>.isPermaLink"), "false");
    EXPECT_EQ(prime.get<std::string>("pubDate"), "Mon, 29 Jul 2024 19:00:00 +0700");
    std::vector<std::string> cats;
    for (const auto& c : children(prime, "category")) cats.push_back(c.data());
    EXPECT_EQ(cats, (std::vector<std::string>{"Phòng, chống mua bán người — Hải Phòng 2024",
                                              "Công an thành phố Hải Phòng", "Thanh niên 16–30 tuổi", "Phụ huynh"}));
    const auto berlin = children(parse_xml(feeds::render_rss(samples::berlin_schedule())).get_child("rss.channel"), "item");
    EXPECT_EQ(berlin[0].get<std::string>("pubDate"), "Sat, 26 Oct 2024 20:00:00 +0200");
    EXPECT_EQ(berlin[1].get<std::string>("pubDate"), "Sun, 27 Oct 2024 20:00:00 +0100");
}

TEST(FeedRss, DescriptionIsEscapedHtmlSoHostileTextStaysText) {
    const std::string bytes = feeds::render_rss(samples::haiphong_schedule());
    EXPECT_EQ(bytes.find("<script"), std::string::npos);
    EXPECT_FALSE(has_forbidden_controls(bytes));
    const auto items = children(parse_xml(bytes).get_child("rss.channel"), "item");
    const auto& hostile = entry_by_placement(items, "104");
    EXPECT_EQ(hostile.get<std::string>("title"), "20:30 thứ Tư 31/07/2024 · " + hostile_seen);
    // After XML decoding, the description is HTML whose text is the hostile string.
    const auto html = hostile.get<std::string>("description");
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &amp; &#39;nháy&#39;"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("<br>\nDòng hai"), std::string::npos);
    const auto& cancelled = entry_by_placement(items, "103");
    EXPECT_EQ(cancelled.get<std::string>("title").rfind("[ĐÃ HỦY] ", 0), 0U);
    EXPECT_EQ(feeds::render_rss(samples::haiphong_schedule()), bytes);
}

TEST(FeedRss, CampaignNewsPubDateInUtc) {
    const auto items = children(parse_xml(feeds::render_rss(samples::haiphong_news())).get_child("rss.channel"), "item");
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[0].get<std::string>("pubDate"), "Sat, 20 Jul 2024 02:00:00 +0000");
    EXPECT_EQ(items[1].get<std::string>("title"), hostile_seen);
}

// ---- JSON Feed ----

TEST(FeedJson, VersionItemsAndTheLoaExtension) {
    const auto doc = json::parse(feeds::render_json_feed(samples::haiphong_schedule())).as_object();
    EXPECT_EQ(doc.at("version").as_string(), "https://jsonfeed.org/version/1.1");
    EXPECT_EQ(doc.at("language").as_string(), "vi");
    EXPECT_EQ(doc.at("feed_url").as_string(), "https://loa.example/feeds/outlets/vov-haiphong/schedule.atom");
    const auto& items = doc.at("items").as_array();
    ASSERT_EQ(items.size(), 6U);
    const auto& prime = items[0].as_object();
    EXPECT_EQ(prime.at("title").as_string(), prime_title_vi);
    EXPECT_EQ(prime.at("date_published").as_string(), "2024-07-29T19:00:00+07:00");
    EXPECT_EQ(prime.at("date_modified").as_string(), "2024-07-20T10:00:00+07:00");
    const auto& x = prime.at("_loa").as_object();
    EXPECT_EQ(x.at("placement_id").as_int64(), 101);
    EXPECT_EQ(x.at("start").as_string(), "2024-07-29T19:00:00+07:00");
    EXPECT_EQ(x.at("duration_s").as_int64(), 30);
    EXPECT_EQ(x.at("daypart").as_string(), "evening-news");
    EXPECT_TRUE(x.at("prime").as_bool());
    EXPECT_EQ(x.at("state").as_string(), "planned");
    EXPECT_EQ(x.at("campaign").as_string(), "haiphong-2024-anti-trafficking");
    EXPECT_EQ(x.at("message").as_string(), "radio-spot-jobs");
    EXPECT_EQ(prime.at("tags").as_array().size(), 4U);
}

TEST(FeedJson, MovedCancelledAndHostileItems) {
    const std::string bytes = feeds::render_json_feed(samples::haiphong_schedule());
    EXPECT_FALSE(has_forbidden_controls(bytes));
    const auto doc = json::parse(bytes).as_object();
    const auto& items = doc.at("items").as_array();
    const auto find = [&](std::int64_t id) -> const json::object& {
        for (const auto& i : items) {
            if (i.at("_loa").at("placement_id").as_int64() == id) return i.as_object();
        }
        throw std::runtime_error("missing");
    };
    EXPECT_EQ(find(102).at("_loa").at("sequence").as_int64(), 2);
    EXPECT_EQ(find(102).at("date_modified").as_string(), "2024-07-28T16:30:00+07:00");
    EXPECT_EQ(find(103).at("_loa").at("state").as_string(), "cancelled");
    EXPECT_EQ(std::string(find(103).at("title").as_string()).rfind("[ĐÃ HỦY] ", 0), 0U);
    EXPECT_EQ(find(104).at("title").as_string(), "20:30 thứ Tư 31/07/2024 · " + hostile_seen);
    EXPECT_EQ(find(104).at("_loa").at("duration_s").as_int64(), 95);
    const std::string content{find(104).at("content_text").as_string()};
    EXPECT_NE(content.find(samples::long_vietnamese_line()), std::string::npos);
    EXPECT_EQ(feeds::render_json_feed(samples::haiphong_schedule()), bytes);
}

TEST(FeedJson, OutletAbroadAndNews) {
    const auto doc = json::parse(feeds::render_json_feed(samples::berlin_schedule())).as_object();
    EXPECT_EQ(doc.at("language").as_string(), "en");
    EXPECT_EQ(doc.at("items").as_array()[1].at("_loa").at("start").as_string(), "2024-10-27T20:00:00+01:00");
    const auto news = json::parse(feeds::render_json_feed(samples::haiphong_news())).as_object();
    const auto& first = news.at("items").as_array()[0].as_object();
    EXPECT_EQ(first.at("date_published").as_string(), "2024-07-20T02:00:00Z");
    EXPECT_EQ(first.at("_loa").at("flight_end").as_string(), "2024-08-30");
    EXPECT_EQ(news.at("items").as_array()[1].at("title").as_string(), hostile_seen);
}

// ---- iCalendar ----

// The physical lines (without their CRLF); fails the test on a bare CR or LF.
std::vector<std::string> physical_lines(const std::string& ics) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < ics.size()) {
        const auto end = ics.find("\r\n", start);
        EXPECT_NE(end, std::string::npos) << "the last line has no CRLF";
        if (end == std::string::npos) break;
        out.push_back(ics.substr(start, end - start));
        start = end + 2;
    }
    for (const auto& l : out) {
        EXPECT_EQ(l.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << l;
    }
    return out;
}

// Whether `s` is complete, valid UTF-8 (a folded line that cut a sequence is not).
bool valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += len;
    }
    return true;
}

std::string unfold(const std::string& ics) {
    std::string out;
    for (const auto& l : physical_lines(ics)) {
        if (!l.empty() && (l[0] == ' ' || l[0] == '\t')) {
            out.append(l, 1, std::string::npos);
        } else {
            if (!out.empty()) out += '\n';
            out += l;
        }
    }
    return out + '\n';
}

// A missed airing and its make-good say what they are, in both languages: a tag in the title, a
// line in the text naming the missed airing, _loa.make_good_of (JSON Feed) and RELATED-TO (iCalendar).
TEST(FeedJson, AMissedAiringAndItsMakeGoodSaySo) {
    const auto f = samples::haiphong_schedule();
    const auto item = [&](std::int64_t id) -> const feeds::schedule_item& {
        for (const auto& it : f.items) {
            if (it.placement_id == id) return it;
        }
        throw std::runtime_error("missing");
    };
    EXPECT_EQ(feeds::text::item_title(item(105), "en").rfind("[MISSED] 06:30 Thursday 01/08/2024 · ", 0), 0U)
        << feeds::text::item_title(item(105), "en");
    EXPECT_EQ(feeds::text::item_title(item(106), "en").rfind("[MAKE-GOOD] 07:30 Friday 02/08/2024 · ", 0), 0U)
        << feeds::text::item_title(item(106), "en");
    EXPECT_NE(feeds::text::item_summary(item(106), "en")
                  .find("Makes up for the airing missed at 06:30 Thursday 01/08/2024 (placement #105)."),
              std::string::npos)
        << feeds::text::item_summary(item(106), "en");
    EXPECT_EQ(feeds::text::item_summary(item(105), "en").find("Makes up"), std::string::npos);
    // A cancelled make-good is said cancelled, not a make-good.
    auto cancelled = item(106);
    cancelled.state = "cancelled";
    EXPECT_EQ(feeds::text::item_title(cancelled, "vi").rfind("[ĐÃ HỦY] 07:30 ", 0), 0U);

    const auto doc = json::parse(feeds::render_json_feed(f)).as_object();
    int make_goods = 0;
    for (const auto& i : doc.at("items").as_array()) {
        const auto& x = i.at("_loa").as_object();
        if (const auto* mg = x.if_contains("make_good_of")) {
            ++make_goods;
            EXPECT_EQ(x.at("placement_id").as_int64(), 106);
            EXPECT_EQ(mg->as_int64(), 105);
        }
    }
    EXPECT_EQ(make_goods, 1);
    const std::string ics = unfold(feeds::render_ics(f));
    EXPECT_NE(ics.find("\nRELATED-TO;RELTYPE=SIBLING:placement-105.haiphong-2024-anti-trafficking@loa.example\n"),
              std::string::npos);
}

struct ical_deleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

std::unique_ptr<icalcomponent, ical_deleter> parse_ics(const std::string& bytes) {
    return std::unique_ptr<icalcomponent, ical_deleter>{icalparser_parse_string(bytes.c_str())};
}

icalcomponent* event_by_uid(icalcomponent* cal, const std::string& uid_part) {
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev != nullptr;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (std::string{icalcomponent_get_uid(ev)}.find(uid_part) != std::string::npos) return ev;
    }
    return nullptr;
}

TEST(FeedIcs, CrlfAndFoldingAt75OctetsNeverInsideAUtf8Sequence) {
    for (const std::string& bytes : {feeds::render_ics(samples::haiphong_schedule()),
                                     feeds::render_ics(samples::haiphong_events()),
                                     feeds::render_ics(samples::berlin_schedule())}) {
        const auto lines = physical_lines(bytes);
        ASSERT_GT(lines.size(), 20U);
        std::size_t folded = 0;
        for (const auto& l : lines) {
            EXPECT_LE(l.size(), 75U) << l;
            // Each physical line on its own is valid UTF-8: no sequence was cut.
            EXPECT_TRUE(valid_utf8(l)) << l;
            if (!l.empty() && l[0] == ' ') ++folded;
        }
        EXPECT_GT(folded, 0U);
        EXPECT_FALSE(has_forbidden_controls(bytes));
    }
}

TEST(FeedIcs, CalendarHeaderAndOneVtimezone) {
    const std::string text = unfold(feeds::render_ics(samples::haiphong_schedule()));
    EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//loa//loa feeds 1//VI\nCALSCALE:GREGORIAN\n"
                         "METHOD:PUBLISH\nX-WR-CALNAME:Lịch phát sóng · Đài Phát thanh và Truyền hình Hải Phòng\n",
                         0),
              0U)
        << text.substr(0, 300);
    EXPECT_NE(text.find("BEGIN:VTIMEZONE\nTZID:Asia/Ho_Chi_Minh\n"), std::string::npos);
    EXPECT_EQ(text.find("TZID:/"), std::string::npos) << "the plain IANA name, no libical prefix";
    EXPECT_EQ(text.find("2038"), std::string::npos) << "libical's 32-bit no-change observance is dropped";
    EXPECT_EQ(text.find("BEGIN:VTIMEZONE", text.find("END:VTIMEZONE")), std::string::npos);
}

TEST(FeedIcs, EventsWithUidStampStartEndSequenceStatus) {
    const std::string bytes = feeds::render_ics(samples::haiphong_schedule());
    const std::string text = unfold(bytes);
    EXPECT_NE(text.find("UID:placement-101.haiphong-2024-anti-trafficking@loa.example\n"
                        "DTSTAMP:20240720T030000Z\n"
                        "DTSTART;TZID=Asia/Ho_Chi_Minh:20240729T190000\n"
                        "DTEND;TZID=Asia/Ho_Chi_Minh:20240729T190030\n"
                        "SUMMARY:" + prime_title_vi + "\n"),
              std::string::npos);
    EXPECT_NE(text.find("LAST-MODIFIED:20240720T030000Z\n"), std::string::npos);

    const auto cal = parse_ics(bytes);
    ASSERT_TRUE(cal);
    icalcomponent* moved = event_by_uid(cal.get(), "placement-102.");
    ASSERT_NE(moved, nullptr);
    EXPECT_EQ(icalcomponent_get_sequence(moved), 2);
    EXPECT_EQ(icalcomponent_get_status(moved), ICAL_STATUS_CONFIRMED);
    EXPECT_EQ(std::string{icalcomponent_get_summary(moved)}.rfind("[ĐÃ DỜI] 07:15 thứ Ba 30/07/2024", 0), 0U);
    icalcomponent* cancelled = event_by_uid(cal.get(), "placement-103.");
    ASSERT_NE(cancelled, nullptr);
    EXPECT_EQ(icalcomponent_get_sequence(cancelled), 1);
    EXPECT_EQ(icalcomponent_get_status(cancelled), ICAL_STATUS_CANCELLED);
    EXPECT_EQ(std::string{icalcomponent_get_summary(cancelled)}.rfind("[ĐÃ HỦY] ", 0), 0U);
}

TEST(FeedIcs, HostileTextIsEscapedAndReadsBackWhole) {
    const std::string bytes = feeds::render_ics(samples::haiphong_schedule());
    const std::string text = unfold(bytes);
    // TEXT escaping: \\ for backslash, \; \, and \n.
    EXPECT_NE(text.find("SUMMARY:20:30 thứ Tư 31/07/2024 · <script>alert(\"x\")</script> ]]> & 'nháy' \"kép\" "
                        "\\\\ \\; \\, <b>đậm</b>\n"),
              std::string::npos);
    // CATEGORIES: a comma or semicolon inside one category is escaped, the separators are not.
    EXPECT_NE(text.find("CATEGORIES:Phòng\\, chống mua bán người — Hải Phòng 2024,Công an thành phố Hải Phòng,"
                        "Thanh niên 16–30 tuổi,Phụ huynh,Người lao động\\; tự do\\, \"thời vụ\"\n"),
              std::string::npos);
    const auto cal = parse_ics(bytes);
    ASSERT_TRUE(cal);
    icalcomponent* hostile = event_by_uid(cal.get(), "placement-104.");
    ASSERT_NE(hostile, nullptr);
    EXPECT_EQ(std::string{icalcomponent_get_summary(hostile)}, "20:30 thứ Tư 31/07/2024 · " + hostile_seen);
    const std::string description = icalcomponent_get_description(hostile);
    EXPECT_NE(description.find(hostile_seen + "\nDòng hai\nDòng ba\n" + samples::long_vietnamese_line()),
              std::string::npos);
}

TEST(FeedIcs, OutletAbroadHasABerlinVtimezoneWithDst) {
    const std::string text = unfold(feeds::render_ics(samples::berlin_schedule()));
    EXPECT_NE(text.find("DTSTART;TZID=Europe/Berlin:20241026T200000\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTART;TZID=Europe/Berlin:20241027T200000\n"), std::string::npos);
    EXPECT_NE(text.find("BEGIN:DAYLIGHT\nTZNAME:CEST\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"), std::string::npos);
    const auto autumn = text.find("TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nDTSTART:20241027T030000\nRRULE:FREQ=YEARLY;");
    ASSERT_NE(autumn, std::string::npos);
    EXPECT_NE(text.find("BYDAY=-1SU;BYMONTH=10\n", autumn), std::string::npos);
    // libical itself resolves the events through that VTIMEZONE: 18:00Z (CEST), then 19:00Z (CET).
    const auto cal = parse_ics(feeds::render_ics(samples::berlin_schedule()));
    ASSERT_TRUE(cal);
    icalcomponent* vtz = icalcomponent_get_first_component(cal.get(), ICAL_VTIMEZONE_COMPONENT);
    ASSERT_NE(vtz, nullptr);
    icaltimezone* zone = icaltimezone_new();
    ASSERT_EQ(icaltimezone_set_component(zone, icalcomponent_new_clone(vtz)), 1);
    const auto start_utc = [&](const char* uid) {
        icaltimetype t = icalcomponent_get_dtstart(event_by_uid(cal.get(), uid));
        t.zone = zone;
        return icaltime_as_timet_with_zone(t, zone);
    };
    EXPECT_EQ(start_utc("placement-201."), 1729965600);  // 2024-10-26T18:00:00Z
    EXPECT_EQ(start_utc("placement-202."), 1730055600);  // 2024-10-27T19:00:00Z
    icaltimezone_free(zone, 1);
}

TEST(FeedIcs, TheRepeatedHourOfAFallBackIsWrittenUnambiguously) {
    // Berlin, 27 October 2024: 02:00–03:00 local happens twice. RFC 5545 reads a wall time in that
    // hour as its first occurrence, so the second one is written in UTC.
    auto f = samples::berlin_schedule();
    ASSERT_GE(f.items.size(), 2u);
    f.items.resize(2);
    f.items[0].start = std::chrono::sys_seconds{std::chrono::seconds{1729989000}};  // 00:30Z = 02:30 CEST
    f.items[1].start = std::chrono::sys_seconds{std::chrono::seconds{1729992600}};  // 01:30Z = 02:30 CET
    const std::string text = unfold(feeds::render_ics(f));
    EXPECT_NE(text.find("DTSTART;TZID=Europe/Berlin:20241027T023000\n"), std::string::npos) << text;
    EXPECT_NE(text.find("DTSTART:20241027T013000Z\n"), std::string::npos) << text;
}

TEST(FeedIcs, PublicEventsRecurringAllDayCancelledAndTwoZones) {
    const std::string bytes = feeds::render_ics(samples::haiphong_events());
    const std::string text = unfold(bytes);
    EXPECT_NE(text.find("X-WR-CALNAME:Lịch hoạt động · Phòng\\, chống mua bán người — Hải Phòng 2024\n"),
              std::string::npos);
    EXPECT_NE(text.find("TZID:Asia/Ho_Chi_Minh\n"), std::string::npos);
    EXPECT_NE(text.find("TZID:Europe/Berlin\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTART;VALUE=DATE:20240730\nDTEND;VALUE=DATE:20240731\n"), std::string::npos);
    EXPECT_NE(text.find("RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=TU,TH\n"), std::string::npos);
    EXPECT_NE(text.find("LOCATION:Hội trường Ủy ban nhân dân thành phố\\, số 18 Hoàng Diệu\\; quận Hồng Bàng\n"),
              std::string::npos);
    const auto cal = parse_ics(bytes);
    ASSERT_TRUE(cal);
    EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 5);
    icalcomponent* concert = event_by_uid(cal.get(), "activity-concert.");
    ASSERT_NE(concert, nullptr);
    EXPECT_EQ(icalcomponent_get_status(concert), ICAL_STATUS_CANCELLED);
    EXPECT_EQ(icalcomponent_get_sequence(concert), 3);
    EXPECT_EQ(std::string{icalcomponent_get_summary(concert)}, "[ĐÃ HỦY] Đêm nhạc “Hãy lên tiếng”");
    icalcomponent* berlin = event_by_uid(cal.get(), "activity-berlin-community.");
    ASSERT_NE(berlin, nullptr);
    EXPECT_NE(std::string{icalcomponent_get_description(berlin)}.find(samples::long_vietnamese_line()),
              std::string::npos);
    EXPECT_EQ(feeds::render_ics(samples::haiphong_events()), bytes);
}

// RFC 5545 3.3.10: beside a DTSTART with a TZID, UNTIL is a UTC time; beside a DATE, a DATE. The
// activity form writes a date, which loa takes to the end of that day in the activity's zone.
TEST(FeedIcs, UntilIsUtcBesideAZonedStartAndADateBesideAnAllDayOne) {
    auto ev = samples::haiphong_events();
    for (auto& it : ev.items) {
        if (it.activity_id == "school-sessions") it.rrule = "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20240808";
        if (it.activity_id == "berlin-community") it.rrule = "FREQ=WEEKLY;UNTIL=20241102T180000";  // CET by then
        if (it.activity_id == "world-day") it.rrule = "FREQ=YEARLY;UNTIL=20260730T170000Z";
        if (it.activity_id == "press-conference-launch") it.rrule = "FREQ=DAILY;UNTIL=20240801T020000Z";
    }
    const std::string bytes = feeds::render_ics(ev);
    const std::string text = unfold(bytes);
    // The end of 8 August in Hai Phong (+07:00).
    EXPECT_NE(text.find("RRULE:FREQ=WEEKLY;UNTIL=20240808T165959Z;BYDAY=TU,TH\n"), std::string::npos) << text;
    // 18:00 in Berlin on 2 November 2024, after the end of summer time (+01:00).
    EXPECT_NE(text.find("RRULE:FREQ=WEEKLY;UNTIL=20241102T170000Z\n"), std::string::npos) << text;
    // An all-day event: the day that instant falls on in Hai Phong (00:00 on 31 July 2026).
    EXPECT_NE(text.find("RRULE:FREQ=YEARLY;UNTIL=20260731\n"), std::string::npos) << text;
    // Already UTC: as it was.
    EXPECT_NE(text.find("RRULE:FREQ=DAILY;UNTIL=20240801T020000Z\n"), std::string::npos) << text;

    // Read back and expanded by libical: the school sessions keep the one on the last day.
    const auto cal = parse_ics(bytes);
    ASSERT_TRUE(cal);
    icalcomponent* school = event_by_uid(cal.get(), "activity-school-sessions.");
    ASSERT_NE(school, nullptr);
    const icalrecurrencetype rule = icalproperty_get_rrule(icalcomponent_get_first_property(school, ICAL_RRULE_PROPERTY));
    const icaltimetype start = icaltime_convert_to_zone(icalcomponent_get_dtstart(school), icaltimezone_get_utc_timezone());
    icalrecur_iterator* it = icalrecur_iterator_new(rule, start);
    ASSERT_NE(it, nullptr);
    std::vector<std::string> days;
    for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t); t = icalrecur_iterator_next(it))
        days.push_back(icaltime_as_ical_string(t));
    icalrecur_iterator_free(it);
    EXPECT_EQ(days, (std::vector<std::string>{"20240730T070000Z", "20240801T070000Z", "20240806T070000Z",
                                              "20240808T070000Z"}));
}

TEST(FeedIcs, ZonesWithoutAVtimezoneGetUtcTimes) {
    // libical has no VTIMEZONE for UTC: the times are written in UTC instead of a dangling TZID.
    for (const char* zone : {"UTC", "Etc/UTC"}) {
        auto f = samples::berlin_schedule();
        f.time_zone = zone;
        for (auto& it : f.items) it.time_zone = zone;
        const std::string bytes = feeds::render_ics(f);
        const std::string text = unfold(bytes);
        const bool has_vtimezone = text.find("BEGIN:VTIMEZONE") != std::string::npos;
        if (has_vtimezone) {
            EXPECT_NE(text.find(std::string{"DTSTART;TZID="} + zone + ":20241026T180000\n"), std::string::npos) << zone;
        } else {
            EXPECT_NE(text.find("DTSTART:20241026T180000Z\n"), std::string::npos) << zone;
            EXPECT_EQ(text.find("TZID="), std::string::npos) << zone;
        }
        const auto cal = parse_ics(bytes);
        ASSERT_TRUE(cal) << zone;
        EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 2) << zone;
    }
}

TEST(FeedIcs, SameModelSameBytesAndAMoveChangesThem) {
    const auto a = samples::haiphong_schedule();
    EXPECT_EQ(feeds::render_ics(a), feeds::render_ics(samples::haiphong_schedule()));
    auto b = a;
    b.items[2].sequence += 1;
    EXPECT_NE(feeds::render_ics(b), feeds::render_ics(a));
}

TEST(FeedIcs, ConcurrentRendersGiveTheSameBytes) {
    // The server may render on several threads; libical's zone table is shared (loa locks it).
    const auto model = samples::haiphong_events();
    const std::string expected = feeds::render_ics(model);
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) results[t] = feeds::render_ics(model);
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& r : results) EXPECT_EQ(r, expected);
}

// ---- shared text ----

TEST(FeedText, CleanKeepsVietnameseAndDropsWhatXmlForbids) {
    using feeds::text::clean;
    EXPECT_EQ(clean("Tiếng Việt có dấu"), "Tiếng Việt có dấu");
    EXPECT_EQ(clean("a\r\nb\rc\nd\te"), "a\nb\nc\nd\te");
    EXPECT_EQ(clean(std::string("x\0y", 3)), "xy");
    EXPECT_EQ(clean("\x01\x08\x0b\x0c\x1f\x7f|\xc2\x80\xc2\x9f|\xef\xbf\xbe\xef\xbf\xbf"), "||");
    EXPECT_EQ(clean("\xff ok \xc3"), "\xef\xbf\xbd ok \xef\xbf\xbd") << "invalid UTF-8 becomes U+FFFD";
    EXPECT_EQ(clean("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") << "a surrogate is not UTF-8";
    EXPECT_EQ(clean("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd") << "an overlong form is not UTF-8";
    EXPECT_EQ(clean("😀"), "😀");
    EXPECT_EQ(feeds::text::xml("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

// xml() and append_xml() clean and escape in one pass: the same bytes as escaping clean()'s output.
TEST(FeedText, XmlIsCleanThenEscapedInOnePass) {
    const auto escaped_clean = [](std::string_view s) {
        std::string out;
        for (const char c : feeds::text::clean(s)) {
            switch (c) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&apos;"; break;
                default: out += c;
            }
        }
        return out;
    };
    for (const std::string& s :
         {std::string("Tiếng Việt <b>đậm</b> & \"trích\" 'dẫn'"), std::string("a\r\n<b>\xff&\x01'\"tiếng\xc3"),
          std::string("]]>\r<\xc2\x85>\xef\xbf\xbe&amp;\xed\xa0\x80😀"), std::string("x\0<y", 4), std::string()}) {
        EXPECT_EQ(feeds::text::xml(s), escaped_clean(s)) << s;
        std::string out = "kept:";
        feeds::text::append_xml(out, s);
        EXPECT_EQ(out, "kept:" + escaped_clean(s));
    }
}

// render_atom cleans an entry's content once (while escaping it): the bytes are those of escaping
// item_content, whose text was cleaned before.
TEST(FeedText, ContentCleanedOnceEscapesToTheSameBytes) {
    auto feed = samples::haiphong_schedule();
    auto odd = samples::base_item();
    odd.material.push_back({"vi", "dòng\r\n<b>\xff&\x01'\"\xc2\x85tiếng\xc3\r"});
    odd.material.push_back({"en", std::string("x\0<y\r", 5)});
    feed.items.push_back(odd);
    const auto berlin = samples::berlin_schedule();
    feed.items.insert(feed.items.end(), berlin.items.begin(), berlin.items.end());
    for (const auto& it : feed.items) {
        for (const char* lang : {"vi", "en"}) {
            const std::string summary = feeds::text::item_summary(it, lang);
            const std::string uncleaned = feeds::text::item_content_uncleaned(it, lang, summary);
            EXPECT_EQ(feeds::text::clean(uncleaned), feeds::text::item_content(it, lang));
            EXPECT_EQ(feeds::text::xml(uncleaned), feeds::text::xml(feeds::text::item_content(it, lang)))
                << it.placement_id << " " << lang;
        }
    }
}

TEST(FeedText, DurationsAndAirTimes) {
    using feeds::text::duration;
    using feeds::text::iso_duration;
    EXPECT_EQ(duration(30, "vi"), "30 giây");
    EXPECT_EQ(duration(95, "vi"), "1 phút 35 giây");
    EXPECT_EQ(duration(3600, "en"), "1 h");
    EXPECT_EQ(iso_duration(95), "PT1M35S");
    EXPECT_EQ(iso_duration(0), "PT0S");
    EXPECT_EQ(iso_duration(3660), "PT1H1M");
    const auto* hcm = feeds::text::zone_or_throw("Asia/Ho_Chi_Minh");
    EXPECT_EQ(feeds::text::air_time(samples::utc(2024, 8, 4, 1), hcm, "vi"), "08:00 Chủ nhật 04/08/2024");
    EXPECT_EQ(feeds::text::rfc822(samples::utc(2024, 8, 4, 1), nullptr), "Sun, 04 Aug 2024 01:00:00 +0000");
}

TEST(FeedText, APostWithoutAirTimeHasNoDurationLine) {
    auto m = samples::haiphong_schedule();
    ASSERT_FALSE(m.items.empty());
    auto it = m.items.front();
    EXPECT_NE(feeds::text::item_summary(it, "vi").find("Thời lượng: "), std::string::npos);
    it.duration_s = 0;  // an online article or a social post
    EXPECT_EQ(feeds::text::item_summary(it, "vi").find("Thời lượng"), std::string::npos);
    EXPECT_EQ(feeds::text::item_summary(it, "en").find("Duration"), std::string::npos);
}

}  // namespace feed_render_test_cpp
}  // namespace
