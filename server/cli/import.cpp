// loa import: validates campaign files, then stores them in the database in one transaction.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Exception.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/time/iso8601.hpp"
#include "core/time/zone.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa import FILE... --db PATH [--as-of ISO8601]\n"
    "\n"
    "Checks every campaign file first (as loa validate does); if any has an error, prints them all\n"
    "as FILE:LINE:COL: message and writes nothing. Otherwise stores the campaigns in one transaction:\n"
    "items are matched by their slug, code or id; changed items are updated, unchanged ones are not\n"
    "touched, items a file no longer has are archived (kept, hidden), and archived items that come\n"
    "back are restored. Campaigns not named by the files are left alone.\n"
    "\n"
    "options:\n"
    "  --db PATH         the SQLite database; created when absent (its directory must exist)\n"
    "  --as-of ISO8601   the schedule's clock (default: now). In a rehearsal give the time a\n"
    "                    loa serve --as-of clock shows now, with its offset, e.g.\n"
    "                    2024-07-29T19:30:00+07:00 (without one, a time is on the campaigns' wall\n"
    "                    clock, as for loa plan, and needs them to share a zone). A message that\n"
    "                    loses its approval withdraws its placements from then on: the feeds show\n"
    "                    them cancelled; those before stay due. One that gains it brings back those\n"
    "                    still ahead.\n"
    "  -h, --help        this text\n"
    "\n"
    "exit codes: 0 imported, 1 invalid file, --as-of or database path, 2 usage error, 3 database failure\n";

std::string plural(int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int run_import(const words& args) {
    std::string error;
    const auto parsed = parse_args(args, arg_spec{{"--db", "--as-of"}, {}}, error);
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

    std::optional<std::chrono::sys_seconds> as_of;
    if (const auto text = parsed->get("--as-of")) {
        // A time without an offset is read on the campaigns' clock, when they share one.
        const date::time_zone* zone = nullptr;
        for (std::size_t i = 0; i < loaded.campaigns.size(); ++i) {
            const date::time_zone* z = core::find_zone(loaded.campaigns[i].time_zone);
            zone = i == 0 || z == zone ? z : nullptr;
            if (zone == nullptr) break;
        }
        // With no zone shared, a time must say its offset (else the parser would read it as UTC).
        const bool offset = core::iso8601_has_offset(*text);
        const auto t = core::parse_iso8601_instant(*text, zone);
        std::string problem;
        if (!t) {
            const auto why = core::iso8601_problem(*text);
            problem = why ? "names no real date or time: " + *why
                          : "is not an ISO 8601 date or time (e.g. 2024-07-29T19:30:00+07:00)";
        } else if (zone == nullptr && !offset) {
            problem = "needs a time with its offset (e.g. 2024-07-29T19:30:00+07:00): the campaigns' zones differ";
        }
        if (!problem.empty()) {
            std::cerr << "loa import: --as-of: '" << *text << "' " << problem << "; nothing imported\n";
            return exit_invalid_input;
        }
        as_of = *t;
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
        stats = core::import_campaigns(db, loaded.campaigns, as_of);
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
    if (stats.approvals_changed > 0) {
        // Withdrawal counts from the schedule's clock: say which, so that a rehearsal run without
        // --as-of (the clock is now, after a past campaign) is not mistaken for one that withdrew.
        const auto clock = as_of ? *as_of : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        std::cout << plural(stats.approvals_changed, "message") << " gained or lost approval; of their placements from "
                  << core::iso_utc(clock) << " on (" << (as_of ? "--as-of" : "now") << "), "
                  << stats.placements_withdrawn << " withdrawn and " << stats.placements_restored << " brought back\n";
        if (!as_of && stats.placements_withdrawn + stats.placements_restored == 0) {
            std::cout << "(none of their placements is still to come now. Rehearsing with loa serve --as-of? Import the "
                         "file as it was, then this one again with --as-of and the time the rehearsal's clock shows)\n";
        }
    }
    return exit_ok;
}

}  // namespace loa::cli
