// The per-connection coroutine: reads requests under deadlines and limits, dispatches them, writes
// the responses, keeps the connection alive while the client and the server agree.
#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

#include "server/net/connection.hpp"

namespace loa::net {

class listener;

// Runs on the connection's io context (one thread) until the connection ends; never throws for network errors.
// Releases the connection from `owner` when done.
boost::asio::awaitable<void> run_session(std::shared_ptr<connection> conn, listener& owner);

}  // namespace loa::net
