// The one route table of the server. Each resource's handlers live in their own file
// (server/handlers/<resource>.cpp, declared in <resource>.hpp); a new route is one row in routes.cpp.
#pragma once

#include <span>

#include "server/http/router.hpp"

namespace loa::handlers {

// All routes, in match order. Thread-safe (a constant table).
[[nodiscard]] std::span<const http::route> routes();

}  // namespace loa::handlers
