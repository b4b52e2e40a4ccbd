// The calendar resource: load the campaign on the db thread, check the query, expand, answer.
#include "server/handlers/calendar.hpp"

#include <optional>
#include <string>
#include <utility>

#include "server/handlers/calendar_json.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/http/problem.hpp"

namespace loa::handlers {

namespace {

// Plain function, not coroutine code: see the note on GCC 12 in campaigns.cpp.
http::response calendar_reply(const std::optional<core::campaign>& c, const std::string& slug,
                              const query_params& query) {
    if (!c) return campaign_not_found(slug);
    // Expansion is bounded (max_calendar_window, max_calendar_occurrences), so it runs here on
    // the io thread rather than queueing behind database work.
    auto body = calendar_response(*c, query);
    if (!body)
        return http::problem(400, "Bad Request", "The calendar query has invalid parameters.",
                             std::move(body.error()));
    return json_response(*body);
}

}  // namespace

boost::asio::awaitable<http::response> get_calendar(http::request req, app::context& ctx) {
    const std::string slug = req.param("slug");
    std::optional<core::campaign> c;
    c = co_await find_campaign(ctx, slug);
    http::response res = calendar_reply(c, slug, req.query);
    co_return res;
}

}  // namespace loa::handlers
