// The router (params, 404 vs 405 with Allow, HEAD as GET), dispatch's catch boundary and the
// problem+json shape — on a real db executor over a real SQLite file.
#include "server/http/router.hpp"

#include <filesystem>
#include <random>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/app/context.hpp"
#include "server/handlers/routes.hpp"
#include "server/http/dispatch.hpp"
#include "server/http/problem.hpp"

namespace {
namespace router_test_cpp {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using loa::http::match_kind;
using loa::http::request;
using loa::http::response;
using loa::http::route;

asio::awaitable<response> ok(request, loa::app::context&) { co_return response{}; }
asio::awaitable<response> echo_slug(request req, loa::app::context&) {
    response r;
    r.body = req.param("slug");
    co_return r;
}
asio::awaitable<response> throws(request, loa::app::context&) {
    throw std::runtime_error("secret internal detail /var/lib/loa.db");
    co_return response{};
}

constexpr route table[] = {
    {"GET", "/api/v1/campaigns", ok},
    {"POST", "/api/v1/campaigns", ok},
    {"GET", "/api/v1/campaigns/{slug}", echo_slug},
    {"DELETE", "/api/v1/campaigns/{slug}", ok},
    {"GET", "/api/v1/campaigns/{slug}/calendar", ok},
    {"PUT", "/api/v1/campaigns/{slug}/departments/{code}", ok},
    {"GET", "/boom", throws},
};

request make(std::string method, std::string path) {
    request r;
    r.method = std::move(method);
    r.target = path;
    r.path = std::move(path);
    return r;
}

TEST(router, literal_route_matches) {
    auto req = make("GET", "/api/v1/campaigns");
    auto m = loa::http::match(table, req);
    ASSERT_EQ(m.kind, match_kind::matched);
    EXPECT_EQ(m.matched->pattern, "/api/v1/campaigns");
    EXPECT_TRUE(req.params.empty());
}

TEST(router, captures_fill_params) {
    auto req = make("GET", "/api/v1/campaigns/haiphong-2024-anti-trafficking/calendar");
    auto m = loa::http::match(table, req);
    ASSERT_EQ(m.kind, match_kind::matched);
    EXPECT_EQ(m.matched->pattern, "/api/v1/campaigns/{slug}/calendar");
    EXPECT_EQ(req.param("slug"), "haiphong-2024-anti-trafficking");
}

TEST(router, two_captures_and_vietnamese_segment) {
    auto req = make("PUT", "/api/v1/campaigns/chiến-dịch/departments/giáo-dục");
    auto m = loa::http::match(table, req);
    ASSERT_EQ(m.kind, match_kind::matched);
    EXPECT_EQ(req.param("slug"), "chiến-dịch");
    EXPECT_EQ(req.param("code"), "giáo-dục");
}

TEST(router, method_picks_the_row) {
    auto req = make("POST", "/api/v1/campaigns");
    auto m = loa::http::match(table, req);
    ASSERT_EQ(m.kind, match_kind::matched);
    EXPECT_EQ(m.matched->method, "POST");
}

TEST(router, unknown_path_is_not_found) {
    for (const char* path : {"/api/v1/campaign", "/api/v1/campaigns/x/y", "/api/v1/campaigns/", "/", "",
                             "/api/v1/campaigns//calendar"}) {
        auto req = make("GET", path);
        EXPECT_EQ(loa::http::match(table, req).kind, match_kind::not_found) << path;
    }
}

TEST(router, known_path_wrong_method_lists_allow_with_head_after_get) {
    auto req = make("PATCH", "/api/v1/campaigns/abc");
    auto m = loa::http::match(table, req);
    EXPECT_EQ(m.kind, match_kind::method_not_allowed);
    EXPECT_EQ(m.allow, "GET, HEAD, DELETE");
    EXPECT_TRUE(req.params.empty());

    auto req2 = make("DELETE", "/api/v1/campaigns");
    EXPECT_EQ(loa::http::match(table, req2).allow, "GET, HEAD, POST");
}

TEST(router, head_is_served_by_get) {
    auto req = make("HEAD", "/api/v1/campaigns/abc");
    auto m = loa::http::match(table, req);
    ASSERT_EQ(m.kind, match_kind::matched);
    EXPECT_EQ(m.matched->method, "GET");
    EXPECT_EQ(req.param("slug"), "abc");
}

TEST(router, head_on_a_post_only_path_is_not_allowed) {
    static constexpr route post_only[] = {{"POST", "/forms/submit", ok}};
    auto req = make("HEAD", "/forms/submit");
    auto m = loa::http::match(post_only, req);
    EXPECT_EQ(m.kind, match_kind::method_not_allowed);
    EXPECT_EQ(m.allow, "POST");
}

// find_route (the feeds' answers from memory) gives the route match() gives, for every method and
// path of the table and some that are not in it.
TEST(router, find_route_agrees_with_match) {
    for (const char* method : {"GET", "HEAD", "POST", "PUT", "DELETE"}) {
        for (const char* path : {"/api/v1/campaigns", "/api/v1/campaigns/hải-phòng", "/api/v1/campaigns/x/calendar",
                                 "/api/v1/campaigns/x/departments/y", "/api/v1/campaigns/", "/boom", "/", "/nope"}) {
            SCOPED_TRACE(std::string(method) + " " + path);
            auto req = make(method, path);
            const auto m = loa::http::match(table, req);
            std::vector<std::string_view> segments;
            std::string_view rest = std::string_view(path).substr(1);
            for (;;) {
                const auto slash = rest.find('/');
                segments.push_back(rest.substr(0, slash));
                if (slash == std::string_view::npos) break;
                rest.remove_prefix(slash + 1);
            }
            EXPECT_EQ(loa::http::find_route(table, method, segments),
                      m.kind == match_kind::matched ? m.matched : nullptr);
        }
    }
}

TEST(router, the_real_table_has_health_and_metrics) {
    auto req = make("GET", "/healthz");
    EXPECT_EQ(loa::http::match(loa::handlers::routes(), req).kind, match_kind::matched);
    auto req2 = make("GET", "/metrics");
    EXPECT_EQ(loa::http::match(loa::handlers::routes(), req2).kind, match_kind::matched);
    auto req3 = make("POST", "/healthz");
    EXPECT_EQ(loa::http::match(loa::handlers::routes(), req3).allow, "GET, HEAD");
}

TEST(problem, has_rfc9457_members_and_invalid_params) {
    auto r = loa::http::problem(400, "Bad Request", "Tham số không hợp lệ",
                                {{"from", "not a date: 2024-13-01"}, {"phòng-ban", "unknown"}});
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v.at("type").as_string(), "about:blank");
    EXPECT_EQ(v.at("title").as_string(), "Bad Request");
    EXPECT_EQ(v.at("status").as_int64(), 400);
    EXPECT_EQ(v.at("detail").as_string(), "Tham số không hợp lệ");
    const auto& params = v.at("invalid-params").as_array();
    ASSERT_EQ(params.size(), 2u);
    EXPECT_EQ(params[0].at("name").as_string(), "from");
    EXPECT_EQ(params[1].at("name").as_string(), "phòng-ban");
    EXPECT_EQ(params[1].at("reason").as_string(), "unknown");
}

TEST(problem, omits_empty_members) {
    auto v = boost::json::parse(loa::http::problem(404, "Not Found", "").body).as_object();
    EXPECT_FALSE(v.contains("detail"));
    EXPECT_FALSE(v.contains("invalid-params"));
}

// A real db executor on a temp SQLite file, for dispatch().
class dispatch_test : public ::testing::Test {
protected:
    dispatch_test()
        : dir_(fs::temp_directory_path() / ("loa-router-test-" + std::to_string(std::random_device{}()))),
          created_(fs::create_directories(dir_)),
          db_(dir_ / "loa.db", {}),
          ctx_{db_, metrics_, config_} {}
    ~dispatch_test() override {
        db_.shutdown();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    loa::http::dispatched run(request req) {
        asio::io_context ioc;
        auto f = asio::co_spawn(ioc, loa::http::dispatch(table, std::move(req), ctx_), asio::use_future);
        ioc.run();
        return f.get();
    }

    fs::path dir_;
    bool created_;
    loa::app::settings config_;
    loa::app::metrics_registry metrics_;
    loa::app::db_executor db_;
    loa::app::context ctx_;
};

TEST_F(dispatch_test, calls_the_handler_with_params) {
    auto d = run(make("GET", "/api/v1/campaigns/hải-phòng"));
    EXPECT_EQ(d.res.status, 200u);
    EXPECT_EQ(d.res.body, "hải-phòng");
    EXPECT_EQ(d.route, "/api/v1/campaigns/{slug}");
}

TEST_F(dispatch_test, not_found_is_problem_json_labelled_unmatched) {
    auto d = run(make("GET", "/nowhere"));
    EXPECT_EQ(d.res.status, 404u);
    EXPECT_EQ(d.res.content_type, "application/problem+json");
    EXPECT_EQ(d.route, "unmatched");
}

TEST_F(dispatch_test, method_not_allowed_carries_allow) {
    auto d = run(make("PATCH", "/api/v1/campaigns"));
    EXPECT_EQ(d.res.status, 405u);
    ASSERT_EQ(d.res.headers.size(), 1u);
    EXPECT_EQ(d.res.headers[0].first, "Allow");
    EXPECT_EQ(d.res.headers[0].second, "GET, HEAD, POST");
}

TEST_F(dispatch_test, an_exception_becomes_an_opaque_500) {
    auto d = run(make("GET", "/boom"));
    EXPECT_EQ(d.res.status, 500u);
    EXPECT_EQ(d.res.content_type, "application/problem+json");
    EXPECT_EQ(d.res.body.find("secret"), std::string::npos);
    EXPECT_EQ(d.res.body.find("/var/lib"), std::string::npos);
    EXPECT_EQ(d.route, "/boom");
}

}  // namespace router_test_cpp
}  // namespace
