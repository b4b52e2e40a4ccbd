// loa's entry point: picks the subcommand and runs it. Nothing else lives here.
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace {

struct command {
    std::string_view name;
    std::string_view summary;
    int (*run)(const loa::cli::words&);
};

constexpr command commands[] = {
    {"serve", "serve the web forms, API and feeds over HTTP", loa::cli::run_serve},
    {"validate", "check campaign YAML files without a database", loa::cli::run_validate},
    {"import", "validate campaign files and store them in the database", loa::cli::run_import},
    {"export", "write a stored campaign back as YAML", loa::cli::run_export},
    {"user", "add, list and disable accounts of the web forms", loa::cli::run_user},
    {"plan", "place a campaign's messages into prime time and store the plan", loa::cli::run_plan},
    {"target", "add, list, remove, enable and disable the receivers of webhooks", loa::cli::run_target},
    {"dispatch", "the outbox: status, the dispatch log, requeue", loa::cli::run_dispatch},
    {"token", "feed tokens of an outlet: add, list, revoke", loa::cli::run_token},
};

void print_help(std::ostream& out) {
    out << "loa — awareness-campaign content scheduling server\n\n"
           "usage: loa <command> [options]\n       loa <command> --help\n\ncommands:\n";
    for (const auto& c : commands) {
        out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
    }
    out << "\nexit codes: 0 ok, 1 invalid input, 2 usage error, 3 internal failure\n";
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> all(argv + 1, argv + argc);
    if (all.empty()) {
        print_help(std::cerr);
        return loa::cli::exit_usage;
    }
    if (all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
        print_help(std::cout);
        return loa::cli::exit_ok;
    }
    if (all[0] == "--version") {
        std::cout << "loa 0.1.0\n";
        return loa::cli::exit_ok;
    }
    for (const auto& c : commands) {
        if (all[0] != c.name) continue;
        try {
            return c.run(loa::cli::words(all.begin() + 1, all.end()));
        } catch (const std::exception& e) {
            std::cerr << "loa " << c.name << ": internal error: " << e.what() << "\n";
            return loa::cli::exit_internal;
        }
    }
    std::cerr << "loa: unknown command '" << all[0] << "'\n\n";
    print_help(std::cerr);
    return loa::cli::exit_usage;
}
