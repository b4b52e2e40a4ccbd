// GET /healthz: the process answers and its db executor does too.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// 200 {"status":"ok"} once a trivial query ran on the db thread; 503 problem+json if it failed.
boost::asio::awaitable<http::response> get_health(http::request req, app::context& ctx);

}  // namespace loa::handlers
