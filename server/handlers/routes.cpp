// The route table: one row per route. Handlers are free functions, one file per resource.
#include "server/handlers/routes.hpp"

#include "server/handlers/calendar.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/health.hpp"
#include "server/handlers/metrics.hpp"
#include "server/handlers/pages.hpp"

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
    // Web pages (server/handlers/pages.cpp: the web kit's own).
    {"GET", "/", get_home},
    {"GET", "/campaigns/{slug}", get_overview, http::access::viewer},
    {"GET", "/lang", get_language},
    {"POST", "/lang", post_language},
    {"GET", "/static/{name}", get_static},
};

}  // namespace

std::span<const http::route> routes() { return table; }

}  // namespace loa::handlers
