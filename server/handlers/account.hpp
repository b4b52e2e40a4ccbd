// The signed-in user's own account: GET /account (name, role, department, language preference,
// password change), POST /account (language), POST /account/password (server/handlers/account.cpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> get_account(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_account(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_account_password(http::request req, app::context& ctx);

}  // namespace loa::handlers
