// The activity form's routes: new, create, edit, save, cancel (editor and up; editors only for
// their own department, app::permissions::may_edit_department). HTML pages; a validation error
// brings the form back (422) with every value kept and each field's error beside it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// GET /campaigns/{slug}/activities/new[?date=YYYY-MM-DD]: the empty form. 403 for a user who may
// edit no department of the campaign; 404 for an unknown campaign.
boost::asio::awaitable<http::response> get_new_activity(http::request req, app::context& ctx);

// POST /campaigns/{slug}/activities: 303 to the calendar (month of the start, ?saved=CODE) after
// creating; 422 the form with errors; 403 for a department the user may not edit.
boost::asio::awaitable<http::response> post_new_activity(http::request req, app::context& ctx);

// GET /campaigns/{slug}/activities/{id}/edit: the filled form (read-only when cancelled). 403 when
// the user may not edit the activity's department; 404 when there is no such activity.
boost::asio::awaitable<http::response> get_edit_activity(http::request req, app::context& ctx);

// POST /campaigns/{slug}/activities/{id}/edit: 303 to the calendar after saving; 422 with errors;
// 403 as above (also when moving it to a department the user may not edit); 409 when cancelled.
boost::asio::awaitable<http::response> post_edit_activity(http::request req, app::context& ctx);

// POST /campaigns/{slug}/activities/{id}/cancel: marks it cancelled (kept) and 303 to the calendar
// (?cancelled=CODE); 403/404 as above; 409 when it already was.
boost::asio::awaitable<http::response> post_cancel_activity(http::request req, app::context& ctx);

}  // namespace loa::handlers
