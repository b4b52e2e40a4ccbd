// A small command-line parser shared by the subcommands: --name VALUE, --name=VALUE, --flag,
// and positional arguments. Unknown options are usage errors (exit 2).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace loa::cli {

enum exit_code : int { exit_ok = 0, exit_invalid_input = 1, exit_usage = 2, exit_internal = 3 };

struct parsed_args {
    std::map<std::string, std::string> options;  // "--db" -> "var/loa.db"
    std::set<std::string> flags;                 // "--dry-run"
    std::vector<std::string> positional;
    bool help = false;  // -h or --help was given

    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    [[nodiscard]] bool has(const std::string& flag) const { return flags.contains(flag); }
};

struct arg_spec {
    std::set<std::string> options;  // take a value
    std::set<std::string> flags;    // take none
};

// Parses `args` (the words after the subcommand). On a usage error returns nullopt and sets
// `error` to a one-line explanation.
[[nodiscard]] std::optional<parsed_args> parse_args(const std::vector<std::string>& args, const arg_spec& spec,
                                                    std::string& error);

// Prints "loa <cmd>: <error>\n<usage>" to stderr and returns exit_usage.
int usage_error(const std::string& command, const std::string& error, const std::string& usage);

// What is wrong with `db_file` as the place of a database, before SQLite says only "unable to open
// database file": its directory does not exist, or it is a directory. nullopt when neither.
[[nodiscard]] std::optional<std::string> db_path_problem(const std::string& db_file);

}  // namespace loa::cli
