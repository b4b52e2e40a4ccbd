// The route table: one row per route. Handlers are free functions, one file per resource.
#include "server/handlers/routes.hpp"

#include "server/handlers/account.hpp"
#include "server/handlers/auth.hpp"
#include "server/handlers/activities.hpp"
#include "server/handlers/as_run.hpp"
#include "server/handlers/calendar.hpp"
#include "server/handlers/calendar_pages.hpp"
#include "server/handlers/campaigns.hpp"
#include "server/handlers/dispatches.hpp"
#include "server/handlers/feeds.hpp"
#include "server/handlers/health.hpp"
#include "server/handlers/messages.hpp"
#include "server/handlers/metrics.hpp"
#include "server/handlers/pages.hpp"
#include "server/handlers/plans.hpp"

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
    {"POST", "/api/v1/campaigns/{slug}/plan", post_plan_api, http::access::approver},
    // Calendars and the activity form (server/handlers/calendar_pages.cpp, activities.cpp).
    {"GET", "/campaigns/{slug}/calendar", get_calendar_page, http::access::viewer},
    {"GET", "/campaigns/{slug}/activities/new", get_new_activity, http::access::editor},
    {"POST", "/campaigns/{slug}/activities", post_new_activity, http::access::editor},
    {"GET", "/campaigns/{slug}/activities/{id}/edit", get_edit_activity, http::access::editor},
    {"POST", "/campaigns/{slug}/activities/{id}/edit", post_edit_activity, http::access::editor},
    {"POST", "/campaigns/{slug}/activities/{id}/cancel", post_cancel_activity, http::access::editor},
    // Web pages (server/handlers/pages.cpp: the web kit's own).
    {"GET", "/", get_home},
    {"GET", "/campaigns/{slug}", get_overview, http::access::viewer},
    {"GET", "/lang", get_language},
    {"POST", "/lang", post_language},
    {"GET", "/static/{name}", get_static},
    {"GET", "/favicon.ico", get_favicon},
    // Signing in and out, the own account (server/handlers/auth.cpp, account.cpp).
    {"GET", "/login", get_login},
    {"POST", "/login", post_login},
    {"POST", "/logout", post_logout},
    {"GET", "/account", get_account, http::access::viewer},
    {"POST", "/account", post_account, http::access::viewer},
    {"POST", "/account/password", post_account_password, http::access::viewer},
    // Messages, approvals and the audit log (server/handlers/messages.cpp). "new" before "{id}".
    {"GET", "/campaigns/{slug}/messages", get_messages_page, http::access::viewer},
    {"POST", "/campaigns/{slug}/messages", post_new_message, http::access::editor},
    {"GET", "/campaigns/{slug}/messages/new", get_new_message_page, http::access::editor},
    {"POST", "/campaigns/{slug}/messages/preview", post_message_preview, http::access::editor},
    {"GET", "/campaigns/{slug}/messages/{id}", get_message_page, http::access::viewer},
    {"GET", "/campaigns/{slug}/messages/{id}/edit", get_edit_message_page, http::access::editor},
    {"POST", "/campaigns/{slug}/messages/{id}/edit", post_edit_message, http::access::editor},
    {"POST", "/campaigns/{slug}/messages/{id}/submit", post_submit_message, http::access::editor},
    {"POST", "/campaigns/{slug}/messages/{id}/approve", post_approve_message, http::access::approver},
    {"POST", "/campaigns/{slug}/messages/{id}/reject", post_reject_message, http::access::approver},
    {"GET", "/campaigns/{slug}/approvals", get_approvals_page, http::access::approver},
    {"GET", "/campaigns/{slug}/audit", get_campaign_audit_page, http::access::approver},
    {"GET", "/audit", get_audit_page, http::access::approver},
    // The planner page (server/handlers/plans.cpp): everyone signed in reads, approvers run.
    {"GET", "/campaigns/{slug}/plan", get_plan_page, http::access::viewer},
    {"POST", "/campaigns/{slug}/plan", post_plan_page, http::access::approver},
    // The dispatch log and its API (server/handlers/dispatches.cpp): everyone signed in reads,
    // approvers retry and requeue.
    {"GET", "/dispatch", get_dispatch_page, http::access::viewer},
    {"GET", "/dispatch/{id}", get_dispatch_detail_page, http::access::viewer},
    {"POST", "/dispatch/{id}/retry", post_dispatch_retry, http::access::approver},
    {"POST", "/dispatch/{id}/requeue", post_dispatch_requeue, http::access::approver},
    {"GET", "/api/v1/dispatches", list_dispatches_api, http::access::viewer},
    {"GET", "/api/v1/dispatches/{id}", get_dispatch_api, http::access::viewer},
    {"POST", "/api/v1/dispatches/{id}/retry", post_dispatch_retry_api, http::access::approver},
    {"POST", "/api/v1/dispatches/{id}/requeue", post_dispatch_requeue_api, http::access::approver},
    // Media feeds (server/handlers/feeds.cpp): outlet schedules need the outlet's feed token (checked
    // by the handler: a bad token is the same 404 as an unknown outlet); campaign feeds are public;
    // admins manage the tokens.
    {"GET", "/feeds/outlets/{slug}/{file}", get_outlet_feed},
    {"GET", "/feeds/campaigns/{slug}/{file}", get_campaign_feed},
    {"GET", "/admin/feeds", get_feed_tokens_page, http::access::admin},
    {"POST", "/admin/feeds/tokens", post_feed_token, http::access::admin},
    {"POST", "/admin/feeds/tokens/{id}/revoke", post_revoke_feed_token, http::access::admin},
    // As-run reports and compliance (server/handlers/as_run.cpp): outlets post with their feed token.
    {"POST", "/api/v1/outlets/{slug}/as-run", post_as_run},
    {"GET", "/campaigns/{slug}/compliance", get_compliance_page, http::access::viewer},
    {"GET", "/campaigns/{slug}/compliance.csv", get_compliance_csv, http::access::viewer},
};

}  // namespace

std::span<const http::route> routes() { return table; }

}  // namespace loa::handlers
