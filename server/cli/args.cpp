// Command-line parsing for the subcommands.
#include "server/cli/args.hpp"

#include <filesystem>

#include <iostream>

namespace loa::cli {

std::optional<std::string> parsed_args::get(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

std::optional<parsed_args> parse_args(const std::vector<std::string>& args, const arg_spec& spec,
                                      std::string& error) {
    parsed_args out;
    bool only_positional = false;  // after "--"
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (only_positional || a.size() < 2 || a[0] != '-' ) {
            out.positional.push_back(a);
            continue;
        }
        if (a == "--") {
            only_positional = true;
            continue;
        }
        if (a == "-h" || a == "--help") {
            out.help = true;
            continue;
        }
        std::string name = a;
        std::optional<std::string> value;
        if (auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
        }
        if (spec.flags.contains(name)) {
            if (value) {
                error = "option " + name + " takes no value";
                return std::nullopt;
            }
            out.flags.insert(name);
        } else if (spec.options.contains(name)) {
            if (!value) {
                if (i + 1 >= args.size()) {
                    error = "option " + name + " needs a value";
                    return std::nullopt;
                }
                value = args[++i];
            }
            out.options[name] = *value;
        } else {
            error = "unknown option " + name;
            return std::nullopt;
        }
    }
    return out;
}

std::optional<std::string> db_path_problem(const std::string& db_file) {
    const std::filesystem::path file(db_file);
    const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
    if (!std::filesystem::is_directory(dir))
        return "directory '" + dir.string() + "' for the database does not exist (create it first)";
    if (std::filesystem::is_directory(file)) return "'" + file.string() + "' is a directory, not a database file";
    return std::nullopt;
}

int usage_error(const std::string& command, const std::string& error, const std::string& usage) {
    std::cerr << "loa " << command << ": " << error << "\n" << usage;
    return exit_usage;
}

}  // namespace loa::cli
