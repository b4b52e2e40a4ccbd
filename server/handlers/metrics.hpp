// GET /metrics: Prometheus text exposition format 0.0.4.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_metrics(http::request req, app::context& ctx);

}  // namespace loa::handlers
