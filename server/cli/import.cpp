// loa import: validates campaign files, then stores them in the database in one transaction.
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Exception.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa import FILE... --db PATH\n"
    "\n"
    "Checks every campaign file first (as loa validate does); if any has an error, prints them all\n"
    "as FILE:LINE:COL: message and writes nothing. Otherwise stores the campaigns in one transaction:\n"
    "items are matched by their slug, code or id; changed items are updated, unchanged ones are not\n"
    "touched, items a file no longer has are archived (kept, hidden), and archived items that come\n"
    "back are restored. Campaigns not named by the files are left alone.\n"
    "\n"
    "options:\n"
    "  --db PATH    the SQLite database; created when absent (its directory must exist)\n"
    "  -h, --help   this text\n"
    "\n"
    "exit codes: 0 imported, 1 invalid file or database path, 2 usage error, 3 database failure\n";

std::string plural(int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_import(const words& args) {
    std::string error;
    const auto parsed = parse_args(args, arg_spec{{"--db"}, {}}, error);
    if (!parsed) return usage_error("import", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    const auto db_path = parsed->get("--db");
    if (!db_path || db_path->empty()) return usage_error("import", "missing --db PATH", usage);
    if (parsed->positional.empty()) return usage_error("import", "no campaign file given", usage);

    // A file given twice under two spellings is imported once.
    const std::vector<std::filesystem::path> files =
        core::distinct_files({parsed->positional.begin(), parsed->positional.end()});
    const core::load_many_result loaded = core::load_campaign_files(files);
    if (!loaded.errors.empty()) {
        for (const auto& d : loaded.errors) std::cerr << d.to_string() << "\n";
        std::cerr << "loa import: " << plural(static_cast<int>(loaded.errors.size()), "error")
                  << "; nothing imported\n";
        return exit_invalid_input;
    }

    // SQLite would only say "unable to open database file"; say which part is wrong instead.
    if (const auto problem = db_path_problem(*db_path)) {
        std::cerr << "loa import: " << *problem << "\n";
        return exit_invalid_input;
    }
    const std::filesystem::path db_file(*db_path);

    core::import_stats stats;
    try {
        core::database db(db_file);
        stats = core::import_campaigns(db, loaded.campaigns);
    } catch (const std::invalid_argument& e) {
        // Input the loader accepted but the store cannot hold consistently; nothing was written.
        std::cerr << "loa import: " << e.what() << "; nothing imported\n";
        return exit_invalid_input;
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa import: database '" << db_file.string() << "': " << e.what()
                  << "; nothing imported\n";
        return exit_internal;
    }
    std::cout << "imported " << plural(static_cast<int>(loaded.campaigns.size()), "campaign") << ": "
              << stats.inserted << " inserted, " << stats.updated << " updated, " << stats.unchanged
              << " unchanged, " << stats.archived << " archived\n";
    return exit_ok;
}

}  // namespace loa::cli
