// As-run reconciliation over HTTP (docs/feeds.md): outlets post what aired with their feed token;
// staff see each outlet's compliance (planned vs aired per day, prime time aired %) and export it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// POST /api/v1/outlets/{slug}/as-run (a feed token of the outlet, ?token= or Authorization:
// Bearer; 404 like the feeds otherwise): JSON or CSV lines (Content-Type application/json or
// text/csv). Each line is applied, a duplicate, or rejected with its line number and reason; the
// good lines of an upload are kept. 200 with the per-line outcome; 400 only when the body as a
// whole cannot be read (not JSON / no CSV header).
boost::asio::awaitable<http::response> post_as_run(http::request req, app::context& ctx);

// GET /campaigns/{slug}/compliance (viewer+): per outlet and day, planned vs aired, missed,
// partial, prime-time aired %, and the make-goods proposed for missed placements.
// GET /campaigns/{slug}/compliance.csv (viewer+): the same rows as CSV.
boost::asio::awaitable<http::response> get_compliance_page(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> get_compliance_csv(http::request req, app::context& ctx);

}  // namespace loa::handlers
