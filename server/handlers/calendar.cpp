// The calendar resource: load the campaign on the db thread, check the query, expand, answer.
#include "server/handlers/calendar.hpp"

#include <string>

#include "server/handlers/calendar_json.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/http/problem.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_calendar(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    const auto c = co_await find_campaign(ctx, slug);
    if (!c) co_return campaign_not_found(slug);
    // Expansion is bounded (max_calendar_window, max_calendar_occurrences), so it stays on the
    // io thread rather than queueing behind database work.
    auto body = calendar_response(*c, req.query);
    if (!body) co_return http::problem(400, "Bad Request", "The calendar query has invalid parameters.",
                                       std::move(body.error()));
    co_return json_response(*body);
}

}  // namespace loa::handlers
