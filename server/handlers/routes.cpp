// The route table: one row per route. Handlers are free functions, one file per resource.
#include "server/handlers/routes.hpp"

#include "server/handlers/calendar.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/health.hpp"
#include "server/handlers/metrics.hpp"

namespace loa::handlers {

namespace {

constexpr http::route table[] = {
    {"GET", "/healthz", get_health},
    {"GET", "/metrics", get_metrics},
    // API routes (server/handlers/campaigns.cpp, calendar.cpp, …) go below.
    {"GET", "/api/v1/campaigns", list_campaigns},
    {"GET", "/api/v1/campaigns/{slug}", get_campaign},
    {"GET", "/api/v1/campaigns/{slug}/departments", list_departments},
    {"GET", "/api/v1/campaigns/{slug}/outlets", list_outlets},
    {"GET", "/api/v1/campaigns/{slug}/calendar", get_calendar},
};

}  // namespace

std::span<const http::route> routes() { return table; }

}  // namespace loa::handlers
