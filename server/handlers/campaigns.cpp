// The campaign resources: load on the db thread, shape with campaigns_json, answer.
#include "server/handlers/campaigns.hpp"

#include <utility>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/storage/campaign_store.hpp"
#include "server/handlers/campaigns_json.hpp"
#include "server/http/problem.hpp"

namespace loa::handlers {

namespace {

std::vector<core::campaign_summary> all_campaigns(core::database& db) { return core::list_campaigns(db); }

struct load_one {
    std::string slug;
    std::optional<core::campaign> operator()(core::database& db) const { return core::load_campaign(db, slug); }
};

}  // namespace

boost::asio::awaitable<std::optional<core::campaign>> find_campaign(app::context& ctx, std::string slug) {
    co_return co_await ctx.db.run(load_one{std::move(slug)});
}

http::response json_response(const boost::json::value& body) {
    http::response res;
    res.body = boost::json::serialize(body);
    return res;
}

http::response campaign_not_found(const std::string& slug) {
    return http::problem(404, "Not Found", "There is no campaign '" + slug + "'.");
}

boost::asio::awaitable<http::response> list_campaigns(http::request, app::context& ctx) {
    const auto list = co_await ctx.db.run(all_campaigns);
    co_return json_response(campaign_list_json(list));
}

boost::asio::awaitable<http::response> get_campaign(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    const auto c = co_await find_campaign(ctx, slug);
    if (!c) co_return campaign_not_found(slug);
    co_return json_response(campaign_detail_json(*c));
}

boost::asio::awaitable<http::response> list_departments(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    const auto c = co_await find_campaign(ctx, slug);
    if (!c) co_return campaign_not_found(slug);
    co_return json_response(departments_json(*c));
}

boost::asio::awaitable<http::response> list_outlets(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    const auto c = co_await find_campaign(ctx, slug);
    if (!c) co_return campaign_not_found(slug);
    co_return json_response(outlets_json(*c));
}

}  // namespace loa::handlers
