// The campaign resources: load on the db thread, shape with campaigns_json, answer.
#include "server/handlers/campaigns.hpp"

#include <utility>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/storage/campaign_store.hpp"
#include "server/handlers/campaigns_json.hpp"
#include "server/http/problem.hpp"

namespace loa::handlers {

// The coroutines below only await and hand over to plain functions, with every awaited value and
// response a named local: GCC 12 destroys some temporaries of an awaited full-expression twice
// (`co_return co_await ctx.db.run(load_one{std::move(slug)});` freed the slug twice).

namespace {

std::vector<core::campaign_summary> all_campaigns(core::database& db) { return core::list_campaigns(db); }

struct load_one {
    std::string slug;
    std::optional<core::campaign> operator()(core::database& db) const { return core::load_campaign(db, slug); }
};

using shape_fn = boost::json::object (*)(const core::campaign&);

http::response campaign_reply(const std::optional<core::campaign>& c, const std::string& slug, shape_fn shape) {
    if (!c) return campaign_not_found(slug);
    return json_response(shape(*c));
}

// One campaign resource: {slug} → load → shape, or 404.
boost::asio::awaitable<http::response> campaign_resource(http::request req, app::context& ctx, shape_fn shape) {
    const std::string slug = req.param("slug");
    std::optional<core::campaign> c;
    c = co_await find_campaign(ctx, slug);
    http::response res = campaign_reply(c, slug, shape);
    co_return res;
}

}  // namespace

boost::asio::awaitable<std::optional<core::campaign>> find_campaign(app::context& ctx, std::string slug) {
    const load_one job{std::move(slug)};
    std::optional<core::campaign> c;
    c = co_await ctx.db.run(job);
    co_return c;
}

http::response json_response(const boost::json::object& body) {
    http::response res;
    res.body = boost::json::serialize(body);
    return res;
}

http::response campaign_not_found(const std::string& slug) {
    return http::problem(404, "Not Found", "There is no campaign '" + slug + "'.");
}

boost::asio::awaitable<http::response> list_campaigns(http::request, app::context& ctx) {
    std::vector<core::campaign_summary> list;
    list = co_await ctx.db.run(all_campaigns);
    http::response res = json_response(campaign_list_json(list));
    co_return res;
}

boost::asio::awaitable<http::response> get_campaign(http::request req, app::context& ctx) {
    http::response res;
    res = co_await campaign_resource(std::move(req), ctx, campaign_detail_json);
    co_return res;
}

boost::asio::awaitable<http::response> list_departments(http::request req, app::context& ctx) {
    http::response res;
    res = co_await campaign_resource(std::move(req), ctx, departments_json);
    co_return res;
}

boost::asio::awaitable<http::response> list_outlets(http::request req, app::context& ctx) {
    http::response res;
    res = co_await campaign_resource(std::move(req), ctx, outlets_json);
    co_return res;
}

}  // namespace loa::handlers
