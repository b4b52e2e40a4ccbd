// Decodes and validates campaign YAML files into core::campaign values. Never throws on bad
// input: every problem becomes a diagnostic with its FILE:LINE:COL. Thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/domain/campaign.hpp"

namespace loa::core {

struct load_result {
    std::optional<campaign> value;  // set only when `errors` is empty
    diagnostics errors;             // every error of the file, in file order
};

// Decodes one campaign document. `file_name` is used in diagnostics only.
[[nodiscard]] load_result load_campaign_text(std::string_view yaml_text, const std::string& file_name);

// Reads and decodes a file; an unreadable file is one diagnostic.
[[nodiscard]] load_result load_campaign_file(const std::filesystem::path& path);

struct load_many_result {
    std::vector<campaign> campaigns;  // all files' campaigns, only when `errors` is empty
    diagnostics errors;
};

// Loads several files and also checks what spans files (the same campaign slug twice).
[[nodiscard]] load_many_result load_campaign_files(const std::vector<std::filesystem::path>& paths);

// `paths` in their order without those naming a file already given under another spelling
// ("a.yaml ./a.yaml", a symbolic link, a shell glob overlapping a name): one file is one campaign,
// not a slug used twice. A path that cannot be resolved (missing) is kept, for its own error.
[[nodiscard]] std::vector<std::filesystem::path> distinct_files(const std::vector<std::filesystem::path>& paths);

}  // namespace loa::core
