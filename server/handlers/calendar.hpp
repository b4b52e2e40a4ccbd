// GET /api/v1/campaigns/{slug}/calendar: the departments' activities as dated occurrences.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// 200 {campaign, time_zone, from, to, department, occurrences, truncated} (see calendar_json.hpp
// for the parameters); 400 problem+json naming each bad parameter; 404 for an unknown campaign.
// Internal activities are never listed: this API is public.
boost::asio::awaitable<http::response> get_calendar(http::request req, app::context& ctx);

}  // namespace loa::handlers
