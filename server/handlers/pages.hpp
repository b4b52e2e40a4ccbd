// The web kit's own pages: GET / (the campaign, or a list of campaigns), GET /campaigns/{slug} (the
// campaign overview), the language switcher (GET and POST /lang) and GET /static/{name}.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "core/domain/campaign.hpp"
#include "server/app/context.hpp"
#include "server/http/exchange.hpp"
#include "server/web/render.hpp"

namespace loa::handlers {

// 303 to the only campaign's overview, else 200 a list of campaigns (none: a page saying so).
boost::asio::awaitable<http::response> get_home(http::request req, app::context& ctx);
// 200 the overview of {slug}; 404 page when the store has no such campaign.
boost::asio::awaitable<http::response> get_overview(http::request req, app::context& ctx);
// GET /lang?to=en&next=/path: sets the `lang` cookie and 303 back to `next` (a local path, else /).
// An unknown `to` is ignored (no cookie). Does not change a signed-in user's stored preference.
boost::asio::awaitable<http::response> get_language(http::request req, app::context& ctx);
// POST /lang (form fields to, next, csrf_token): as GET, and a signed-in user's stored preference
// becomes `to` (that preference wins over the cookie).
boost::asio::awaitable<http::response> post_language(http::request req, app::context& ctx);
// GET /static/{name}: an allow-listed asset, else the 404 page.
boost::asio::awaitable<http::response> get_static(http::request req, app::context& ctx);

// GET /favicon.ico: the site's icon (static/favicon.svg, image/svg+xml), for clients that ask the
// conventional path instead of the layout's <link rel="icon">.
boost::asio::awaitable<http::response> get_favicon(http::request req, app::context& ctx);

// The overview page's variables for `c` as `req`'s user sees it in req.lang; `today` is the date in
// the campaign's zone (marks the next key date). Pure; for tests too.
[[nodiscard]] web::page_data overview_data(const core::campaign& c, const http::request& req,
                                           core::calendar_date today);

// The Set-Cookie value remembering `lang` for a year; for "" (no choice: as the browser asks) the
// one that removes the cookie, with the same attributes so the browser drops the same cookie.
[[nodiscard]] std::string language_cookie(std::string_view lang);

}  // namespace loa::handlers
