// One request through the route table: 404, 405 with Allow, or the handler — inside the request's
// one catch boundary, where an exception becomes an opaque 500 and one log line. Beast-free.
#pragma once

#include <span>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"
#include "server/http/router.hpp"

namespace loa::http {

struct dispatched {
    response res;
    std::string_view route;  // the matched pattern, or "unmatched" (a label for metrics)
};

// Never throws (except std::bad_alloc while building the 500 itself).
[[nodiscard]] boost::asio::awaitable<dispatched> dispatch(std::span<const route> table, request req,
                                                         app::context& ctx);

}  // namespace loa::http
