// GET /api/v1/campaigns[/{slug}[/departments|/outlets]]: the public, read-only campaign resources.
#pragma once

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "core/domain/campaign.hpp"
#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// 200 {"campaigns": [summary, …]}: every active campaign.
boost::asio::awaitable<http::response> list_campaigns(http::request req, app::context& ctx);
// 200 the campaign named by {slug}; 404 problem+json when there is none.
boost::asio::awaitable<http::response> get_campaign(http::request req, app::context& ctx);
// 200 {"campaign": slug, "departments": […]}; 404 as above.
boost::asio::awaitable<http::response> list_departments(http::request req, app::context& ctx);
// 200 {"campaign": slug, "outlets": […]}; 404 as above.
boost::asio::awaitable<http::response> list_outlets(http::request req, app::context& ctx);

// Shared by the campaign resources (calendar.cpp too).

// The campaign `slug` loaded on the db thread, or nullopt when the store has none.
boost::asio::awaitable<std::optional<core::campaign>> find_campaign(app::context& ctx, std::string slug);
// 200 application/json with `body` serialised (UTF-8 as is).
[[nodiscard]] http::response json_response(const boost::json::object& body);
// 404 problem+json saying which campaign is unknown.
[[nodiscard]] http::response campaign_not_found(const std::string& slug);

}  // namespace loa::handlers
