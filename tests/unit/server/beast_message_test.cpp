// Tests of the conversion between Beast messages and the handlers' request/response: the query's
// values as text a page may quote, and the headers every answer carries.
#include "server/http/beast_message.hpp"

#include <string>

#include <gtest/gtest.h>

#include "server/feeds/feed_cache.hpp"

namespace {
namespace beast_message_test_cpp {

namespace bh = boost::beast::http;

loa::http::request converted(const std::string& target) {
    loa::http::beast_request in{bh::verb::get, target, 11};
    in.set(bh::field::host, "127.0.0.1");
    auto out = loa::http::from_beast(std::move(in));
    if (!out) throw std::runtime_error("not converted: " + target);
    return *out;
}

TEST(FromBeast, QueryValuesAreDecodedAndBrokenUtf8Replaced) {
    const auto r = converted("/campaigns/x/calendar?from=H%E1%BA%A3i+Ph%C3%B2ng&to=%C3%28&x%FF=1");
    ASSERT_EQ(r.query.size(), 3u);
    EXPECT_EQ(r.query_value("from"), "Hải Phòng");
    EXPECT_EQ(r.query_value("to"), "\xEF\xBF\xBD(");  // U+FFFD for the lone lead byte
    EXPECT_EQ(r.query[2].first, "x\xEF\xBF\xBD");
    EXPECT_EQ(r.query[2].second, "1");
    EXPECT_EQ(r.target, "/campaigns/x/calendar?from=H%E1%BA%A3i+Ph%C3%B2ng&to=%C3%28&x%FF=1");  // as sent
}

TEST(ToBeast, EveryAnswerHasServerDateAndTheHardeningHeaders) {
    loa::http::response res;
    res.status = 404;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "Không tìm thấy.";
    const auto out = loa::http::to_beast(std::move(res), 11, true, false);
    EXPECT_EQ(out[bh::field::server], "loa");
    const auto date = loa::feeds::parse_http_date(std::string(out[bh::field::date]));
    ASSERT_TRUE(date) << out[bh::field::date];
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    EXPECT_LE(*date, now);
    EXPECT_GE(*date, now - std::chrono::seconds(5));
    EXPECT_EQ(out["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(out[bh::field::content_length], std::to_string(std::string("Không tìm thấy.").size()));
}

TEST(ToBeast, A304OrA204HasNoContentLength) {
    for (const int status : {304, 204}) {
        loa::http::response res;
        res.status = status;
        res.headers.emplace_back("ETag", "\"x\"");
        const auto out = loa::http::to_beast(std::move(res), 11, true, false);
        EXPECT_EQ(out.count(bh::field::content_length), 0U) << status;
        EXPECT_FALSE(out.chunked()) << status;
        EXPECT_FALSE(out.need_eof()) << status;  // the connection stays open: the client knows there is no body
    }
}

}  // namespace beast_message_test_cpp
}  // namespace
