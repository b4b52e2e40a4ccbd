// Writes a campaign back as YAML in the documented format; load_campaign_text() of the output
// gives back an equal campaign. Thread-safe.
#pragma once

#include <string>

#include "core/domain/campaign.hpp"

namespace loa::core {

[[nodiscard]] std::string write_campaign_yaml(const campaign& c);

}  // namespace loa::core
