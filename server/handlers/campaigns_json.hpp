// The public JSON shapes of campaigns, departments and outlets (docs/api.md): pure functions, no I/O.
#pragma once

#include <chrono>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/domain/campaign.hpp"
#include "core/storage/campaign_store.hpp"

namespace loa::handlers {

// Shared spellings, so every resource writes text, dates and numbers the same way. All pure and
// thread-safe.

// {"vi": "...", "en": "..."}; "en" is null when there is no English translation.
[[nodiscard]] boost::json::value localized_json(const core::localized& text);
// Like localized_json, but null when the text is absent altogether (optional fields).
[[nodiscard]] boost::json::value optional_localized_json(const core::localized& text);
// "YYYY-MM-DD".
[[nodiscard]] std::string format_date(core::calendar_date d);
// "HH:MM" for minutes after local midnight; 1440 is "24:00".
[[nodiscard]] std::string format_time_of_day(std::chrono::minutes m);
// Integral values as JSON integers (3, not 3E0); others as doubles.
[[nodiscard]] boost::json::value number_json(double x);

// Links to a campaign's resources, e.g. {"self": "/api/v1/campaigns/x", "calendar": …}.
[[nodiscard]] boost::json::object campaign_links(const std::string& slug);

// One entry of GET /api/v1/campaigns.
[[nodiscard]] boost::json::object campaign_summary_json(const core::campaign_summary& s);
// GET /api/v1/campaigns: {"campaigns": [summary, …]}.
[[nodiscard]] boost::json::object campaign_list_json(const std::vector<core::campaign_summary>& list);
// GET /api/v1/campaigns/{slug}. Counts cover what the public API shows: internal activities are
// not counted.
[[nodiscard]] boost::json::object campaign_detail_json(const core::campaign& c);
// GET /api/v1/campaigns/{slug}/departments: {"campaign": slug, "departments": […]}.
[[nodiscard]] boost::json::object departments_json(const core::campaign& c);
// GET /api/v1/campaigns/{slug}/outlets: {"campaign": slug, "outlets": […]}.
[[nodiscard]] boost::json::object outlets_json(const core::campaign& c);

[[nodiscard]] boost::json::object department_json(const core::department& d);
[[nodiscard]] boost::json::object outlet_json(const core::outlet& o);

}  // namespace loa::handlers
