// loa plan: plans a stored campaign's messages into the outlets' breaks, prints the plan (table or
// JSON) and, unless a dry run, stores it; optionally writes the instance as a CPLEX LP model.
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include <SQLiteCpp/Exception.h>

#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/time/zone.hpp"
#include "scheduler/planner/lp_writer.hpp"
#include "scheduler/planner/service.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa plan --db PATH --campaign SLUG [--from YYYY-MM-DD --to YYYY-MM-DD]\n"
    "                [--as-of ISO8601] [--dry-run] [--format table|json] [--lp FILE]\n"
    "\n"
    "Places the campaign's approved messages into the breaks of its outlets, where they reach the\n"
    "most people (priority x daypart weight x key-date weight), under every scheduling rule, and\n"
    "says why each wanted airing that did not fit was left out (docs/planner.md). Placements that\n"
    "are published, aired or missed, or inside an outlet's lead time or freeze horizon, are kept\n"
    "as they are. Without --dry-run the plan is stored: planned placements it does not keep are\n"
    "replaced.\n"
    "\n"
    "options:\n"
    "  --db PATH          the SQLite database (must exist)\n"
    "  --campaign SLUG    the campaign to plan\n"
    "  --from YYYY-MM-DD  first date planned (default: the first day of the approved flights)\n"
    "  --to YYYY-MM-DD    last date planned (default: the last day of the approved flights)\n"
    "  --as-of ISO8601    plan as if it were this instant, e.g. 2024-07-20T08:00:00+07:00 (a time\n"
    "                     without offset is in the campaign's zone); default: now, or for a\n"
    "                     campaign already over, a rehearsal as of before its first day\n"
    "  --dry-run          plan and print, store nothing\n"
    "  --format FORMAT    table (default) or json (docs/planner.md describes the fields)\n"
    "  --lp FILE          also write the instance as a CPLEX LP model (`cbc FILE solve`)\n"
    "  -h, --help         this text\n"
    "\n"
    "exit codes: 0 planned, 1 no such database or campaign, bad dates or LP path, 2 usage error,\n"
    "3 database failure or a plan that breaks a rule (a bug; nothing is stored)\n";


int invalid(const std::string& message) {
    std::cerr << "loa plan: " << message << "\n";
    return exit_invalid_input;
}

}  // namespace

int run_plan(const words& args) {
    std::string error;
    const auto parsed = parse_args(
        args,
        arg_spec{{"--db", "--campaign", "--from", "--to", "--as-of", "--format", "--lp"}, {"--dry-run"}},
        error);
    if (!parsed) return usage_error("plan", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    const auto db_path = parsed->get("--db");
    const auto slug = parsed->get("--campaign");
    if (!db_path || db_path->empty()) return usage_error("plan", "missing --db PATH", usage);
    if (!slug || slug->empty()) return usage_error("plan", "missing --campaign SLUG", usage);
    if (!parsed->positional.empty()) {
        return usage_error("plan", "unexpected argument '" + parsed->positional.front() + "'", usage);
    }
    const std::string format = parsed->get("--format").value_or("table");
    if (format != "table" && format != "json") {
        return usage_error("plan", "--format must be table or json, not '" + format + "'", usage);
    }

    scheduler::planner::run_options opt;
    opt.dry_run = parsed->has("--dry-run");
    for (const char* flag : {"--from", "--to"}) {
        const auto text = parsed->get(flag);
        if (!text) continue;
        const auto d = core::iso_day(*text);
        if (!d) {
            const auto why = core::iso8601_problem(*text);
            return invalid(std::string(flag) + ": " + (why ? *why : "'" + *text + "' is not a date (YYYY-MM-DD)"));
        }
        (std::string_view(flag) == "--from" ? opt.from : opt.to) = *d;
    }
    if (opt.from && opt.to && date::sys_days{*opt.from} > date::sys_days{*opt.to}) {
        return invalid("--from " + parsed->get("--from").value_or("") + " is after --to " +
                       parsed->get("--to").value_or(""));
    }

    // Opening would create an empty database; planning never should.
    const std::filesystem::path db_file(*db_path);
    if (const auto problem = core::existing_database_problem(db_file)) return invalid("--db: " + *problem);

    // The LP file is opened first, so that a wrong path does not come after a stored plan.
    std::optional<std::ofstream> lp;
    if (const auto lp_path = parsed->get("--lp")) {
        if (lp_path->empty()) return usage_error("plan", "--lp needs a file name", usage);
        errno = 0;
        lp.emplace(*lp_path, std::ios::binary | std::ios::trunc);
        if (!*lp) {
            // What open(2) said: no such directory, a directory, permission denied.
            const int why = errno;
            return invalid("--lp: cannot write '" + *lp_path + "'" +
                           (why != 0 ? ": " + std::generic_category().message(why) : std::string()));
        }
    }

    scheduler::planner::run_result r;
    try {
        core::database db(db_file);
        const auto known = core::list_campaigns(db);
        const core::campaign_summary* found = nullptr;
        for (const auto& k : known) {
            if (k.slug == *slug) found = &k;
        }
        if (found == nullptr) {
            std::string message = "--campaign: no campaign '" + *slug + "' in '" + db_file.string() + "'";
            for (std::size_t i = 0; i < known.size(); ++i)
                message += (i == 0 ? "; known: " : ", ") + known[i].slug;
            return invalid(message);
        }
        if (const auto text = parsed->get("--as-of")) {
            // A time without an offset is on the campaign's wall clock.
            const auto t = core::parse_iso8601_instant(*text, core::find_zone(found->time_zone));
            if (!t) {
                const auto why = core::iso8601_problem(*text);
                return invalid("--as-of: '" + *text + "' " +
                               (why ? "names no real date or time: " + *why
                                    : "is not an ISO 8601 date or time (e.g. 2024-07-20T08:00:00+07:00)"));
            }
            opt.as_of = *t;
        }
        r = scheduler::planner::run_planner(db, *slug, opt, core::audit_actor{std::nullopt, "cli"});
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa plan: database '" << db_file.string() << "': " << e.what() << "\n";
        return exit_internal;
    }

    switch (r.error) {
        case scheduler::planner::run_errc::ok:
            break;
        case scheduler::planner::run_errc::unknown_campaign:
            return invalid("--campaign: " + r.error_detail);
        case scheduler::planner::run_errc::bad_range:
            // Without --from/--to the dates are the campaign's period: do not blame flags not given.
            if (parsed->get("--from") || parsed->get("--to")) return invalid("--from/--to: " + r.error_detail);
            return invalid("the campaign's period: " + r.error_detail + "; plan it in parts with --from and --to");
        case scheduler::planner::run_errc::invalid_plan:
            std::cerr << "loa plan: internal error: the planner's plan breaks " << r.error_detail
                      << "; nothing stored\n";
            return exit_internal;
        case scheduler::planner::run_errc::changed:
            std::cerr << "loa plan: " << r.error_detail << ", " << scheduler::planner::max_plan_attempts
                      << " times in a row; nothing stored: run it again\n";
            return exit_internal;
    }

    if (lp) {
        const auto size = scheduler::planner::write_lp(*lp, r.inst);
        lp->close();
        if (!*lp) return invalid("--lp: cannot write '" + *parsed->get("--lp") + "'");
        std::cerr << "loa: LP model written to " << *parsed->get("--lp") << ": " << size.variables
                  << " variables, " << size.constraints << " constraints\n";
    }

    if (format == "json") {
        std::cout << scheduler::planner::plan_json(r) << "\n";
    } else {
        std::cout << scheduler::planner::plan_table(r);
    }
    std::cout << std::flush;
    if (r.run_id) {
        std::cerr << "loa: plan run " << *r.run_id << " stored: " << r.result.placements.size() << " placements";
        if (r.changes) {
            std::cerr << " (" << r.changes->kept << " kept, " << r.changes->added << " new, " << r.changes->moved
                      << " moved, " << r.changes->cancelled << " cancelled)";
        }
        std::cerr << "\n";
    }
    return std::cout ? exit_ok : exit_internal;
}

}  // namespace loa::cli
