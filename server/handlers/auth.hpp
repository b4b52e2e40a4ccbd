// Sign in and out: GET/POST /login, POST /logout (server/handlers/auth.cpp). The login form is
// protected by the pre-session token of app/auth.hpp; throttled logins are refused (429) before any
// password hashing.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_login(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_login(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_logout(http::request req, app::context& ctx);

}  // namespace loa::handlers
