// loa validate: checks campaign files without a database and prints every problem as FILE:LINE:COL.
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "core/config/campaign_loader.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {

namespace {

constexpr const char* usage =
    "usage: loa validate FILE... [--quiet]\n"
    "\n"
    "Checks campaign YAML files (see docs/campaign-format.md) without touching a database.\n"
    "Every problem is printed to stderr as one line FILE:LINE:COL: message; every file is\n"
    "checked completely, and campaign slugs must be unique across the files given.\n"
    "\n"
    "options:\n"
    "  --quiet     do not print the \"FILE: ok (...)\" line of valid files\n"
    "  -h, --help  show this help\n"
    "\n"
    "exit codes: 0 every file is valid, 1 a file is invalid or unreadable, 2 usage error\n";

std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string summary(const core::campaign& c) {
    return "ok (" + count(c.departments.size(), "department", "departments") + ", " +
           count(c.activities.size(), "activity", "activities") + ", " +
           count(c.outlets.size(), "outlet", "outlets") + ", " +
           count(c.messages.size(), "message", "messages") + ")";
}

}  // namespace

int run_validate(const words& args) {
    std::string error;
    const auto parsed = parse_args(args, arg_spec{{}, {"--quiet"}}, error);
    if (!parsed) return usage_error("validate", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    if (parsed->positional.empty()) return usage_error("validate", "no campaign files given", usage);
    const bool quiet = parsed->has("--quiet");

    // A file given twice under two spellings is checked once (not "slug already used" by itself).
    const std::vector<std::filesystem::path> paths =
        core::distinct_files({parsed->positional.begin(), parsed->positional.end()});
    // All files at once, so that a campaign slug used by two files is caught too.
    const auto result = core::load_campaign_files(paths);
    std::set<std::string> failed;
    for (const auto& d : result.errors) {
        std::cerr << d.to_string() << "\n";
        failed.insert(d.file);
    }
    if (!quiet) {
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const std::string name = paths[i].string();
            if (failed.contains(name)) continue;
            if (result.errors.empty() && i < result.campaigns.size()) {
                std::cout << name << ": " << summary(result.campaigns[i]) << "\n";
            } else if (const auto one = core::load_campaign_file(paths[i]); one.value) {
                // Another file failed, so load_campaign_files kept no campaigns: count this one alone.
                std::cout << name << ": " << summary(*one.value) << "\n";
            }
        }
    }
    return result.errors.empty() ? exit_ok : exit_invalid_input;
}

}  // namespace loa::cli
