// The planner over HTTP: POST /api/v1/campaigns/{slug}/plan (JSON) and the "Run planner" page.
// Access levels are in the route table (approver to run, viewer to read); the planner itself runs
// on the db thread (scheduler::planner::run_planner), like every SQLite job.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// POST /api/v1/campaigns/{slug}/plan (approver+), optional JSON body {"from", "to", "as_of",
// "dry_run"}: 200 with exactly scheduler::planner::plan_json(result) (stored unless dry_run); 404
// problem+json for an unknown campaign; 422 problem+json whose invalid-params name each bad field
// (or "body" when it is not a JSON object).
boost::asio::awaitable<http::response> post_plan_api(http::request req, app::context& ctx);

// GET /campaigns/{slug}/plan?outlet=&date= (viewer+): the latest stored run (figures, placed vs
// wanted per department and outlet, unplaced with reasons, one outlet's day schedule) and, for
// approvers, the run form.
boost::asio::awaitable<http::response> get_plan_page(http::request req, app::context& ctx);

// POST /campaigns/{slug}/plan (approver+), fields from, to, dry_run, outlet, date: a stored run →
// 303 to the page; a dry run → 200 the page with its result (nothing stored); bad dates → 422 the
// page with each error next to its field.
boost::asio::awaitable<http::response> post_plan_page(http::request req, app::context& ctx);

}  // namespace loa::handlers
