// GET /campaigns/{slug}/calendar: the department calendar (department=CODE) and the city master
// calendar with its conflicts (no department), as month grid, week, day or agenda; HTML for people.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/domain/campaign.hpp"
#include "scheduler/calendar/calendar_view.hpp"
#include "server/app/context.hpp"
#include "server/http/exchange.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

struct calendar_page_query {
    scheduler::calendar_request request;
    std::string saved;      // ?saved=CODE after a form: the flash names that activity
    std::string cancelled;  // ?cancelled=CODE after cancelling
};

// The first query parameter parse_calendar_page_query refused, with its value as given.
struct calendar_query_error {
    std::string parameter;  // view | date | department | kind | audience
    std::string value;
};

// What was wrong and what is expected, in `lang`, naming the parameter: for the 400 page.
[[nodiscard]] std::string calendar_query_error_text(const calendar_query_error& e, std::string_view lang);

// Reads view (month|week|day|agenda, default month), date (YYYY-MM-DD, default `today` when it
// falls in the campaign's period, else the period's first day), department, kind and audience
// (empty = all; otherwise codes the campaign knows), saved and cancelled. Other parameters are
// ignored. nullopt when a value is invalid (then `error`, when given, names it). Conflicts are asked
// for when no department is set.
[[nodiscard]] std::optional<calendar_page_query> parse_calendar_page_query(
    const core::campaign& c, const std::vector<std::pair<std::string, std::string>>& query,
    core::calendar_date today, calendar_query_error* error = nullptr);

// The data of templates/web/calendar_month.mustache (month) or calendar_list.mustache (the other
// views): navigation, filters, days with entries (translated kind, times in the campaign's zone,
// internal/cancelled/conflict markers as text), the conflicts list, links to edit what `req.user`
// may edit. Pure.
[[nodiscard]] web::page_data calendar_page_data(const http::request& req, const core::campaign& c,
                                                const scheduler::calendar_page& page,
                                                const calendar_page_query& q);

// The template for a view: "calendar_month" or "calendar_list".
[[nodiscard]] std::string calendar_template(scheduler::calendar_view v);

// 200 the page (viewer and up); 400 page for an invalid parameter; 404 page for an unknown campaign.
boost::asio::awaitable<http::response> get_calendar_page(http::request req, app::context& ctx);

}  // namespace loa::handlers
