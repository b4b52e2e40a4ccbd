// loa target: the dispatcher's receivers from the command line — add, list, remove, enable, disable.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "core/storage/dispatch_store.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"
#include "server/cli/durations.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa target add --db PATH --name NAME (--outlet SLUG | --kind KIND) --url URL\n"
    "                      [--secret whsec_...] [--concurrency N] [--grace DURATION]\n"
    "                      [--retry-window DURATION] [--lead DURATION]\n"
    "       loa target list --db PATH\n"
    "       loa target remove --db PATH --name NAME\n"
    "       loa target enable --db PATH --name NAME\n"
    "       loa target disable --db PATH --name NAME [--reason TEXT]\n"
    "\n"
    "A target is a receiver of webhooks: an outlet's automation system, an SMS gateway, a publisher\n"
    "(docs/dispatch.md). Each placement of its outlet (or of every outlet of its kind) is POSTed to\n"
    "its URL when it falls due, signed with its secret (Standard Webhooks).\n"
    "\n"
    "add      adds a target and queues the placements of its outlets that are still to go out.\n"
    "         Without --secret a new one is made; it is printed once, as the last line of output.\n"
    "list     every target: name, outlet or kind, URL, limits, enabled or why disabled (no secrets).\n"
    "remove   removes a target; its dispatches not yet final are cancelled (kept for the log).\n"
    "enable   enables a target again (e.g. after a 410 Gone disabled it).\n"
    "disable  stops sending to a target; its dispatches wait (and may become missed).\n"
    "\n"
    "options:\n"
    "  --db PATH              the SQLite database (must exist)\n"
    "  --name NAME            the target's name, unique, e.g. vtv-haiphong-automation\n"
    "  --outlet SLUG          the outlet it receives for, or\n"
    "  --kind KIND            every outlet of this kind: tv, radio, print, online, social,\n"
    "                         loudspeaker, school\n"
    "  --url URL              http:// or https:// URL the webhooks are POSTed to\n"
    "  --secret SECRET        whsec_ followed by base64 of 24-64 bytes (default: a new one)\n"
    "  --concurrency N        attempts in flight to this target at most, 1-256 (default 4)\n"
    "  --grace DURATION       a first attempt later than due + this is not sent: missed\n"
    "                         (default 15m)\n"
    "  --retry-window DURATION  after due + this, a failing dispatch is dead (default 3d)\n"
    "  --lead DURATION        deliver this long before the slot starts (default 0s)\n"
    "  --reason TEXT          why a target is disabled (shown by list and loa dispatch --status;\n"
    "                         without it, a disabled target keeps the reason it has)\n"
    "  -h, --help             this text\n"
    "\n"
    "Durations: 90s, 15m, 2h, 3d, or a plain number of seconds.\n"
    "\n"
    "exit codes: 0 done, 1 invalid input (unknown outlet or target, bad URL or secret, name taken),\n"
    "2 usage error (also a kind not offered), 3 database failure\n";

const core::audit_actor cli_actor{std::nullopt, "cli"};

int fail(const std::string& message) {
    std::cerr << "loa target: " << message << "\n";
    return exit_invalid_input;
}

// The flag a store error is about: add_target's messages start with the field they name.
std::string flag_of_field(std::string_view message) {
    const auto starts = [&](std::string_view p) { return message.substr(0, p.size()) == p; };
    if (starts("outlet_kind") || starts("kind")) return "--kind";
    if (starts("outlet")) return "--outlet";
    if (starts("url")) return "--url";
    if (starts("secret")) return "--secret";
    if (starts("name")) return "--name";
    if (starts("concurrency")) return "--concurrency";
    if (starts("grace")) return "--grace";
    if (starts("retry_window")) return "--retry-window";
    if (starts("lead")) return "--lead";
    return "";
}

std::string destination(const core::dispatch_target& t) {
    return t.outlet.empty() ? "kind " + t.outlet_kind : "outlet " + t.outlet;
}

int add(const parsed_args& a, core::database& db) {
    core::dispatch_target t;
    t.name = a.get("--name").value_or("");
    t.outlet = a.get("--outlet").value_or("");
    t.outlet_kind = a.get("--kind").value_or("");
    t.url = a.get("--url").value_or("");
    if (t.name.empty()) return usage_error("target add", "--name is required", usage);
    if (t.url.empty()) return usage_error("target add", "--url is required", usage);
    if (t.outlet.empty() == t.outlet_kind.empty())
        return usage_error("target add", "give exactly one of --outlet SLUG and --kind KIND", usage);
    if (const auto c = a.get("--concurrency")) {
        const auto n = parse_count(*c);
        if (!n || *n < 1 || *n > 256) return fail("--concurrency: expected a whole number from 1 to 256, got '" + *c + "'");
        t.concurrency = static_cast<int>(*n);
    }
    for (const auto& [flag, into] : {std::pair<const char*, std::chrono::seconds*>{"--grace", &t.grace},
                                     {"--retry-window", &t.retry_window},
                                     {"--lead", &t.lead}}) {
        const auto text = a.get(flag);
        if (!text) continue;
        const auto d = parse_cli_duration(*text);
        if (!d) return fail(std::string(flag) + ": expected a duration such as 90s, 15m, 2h or 3d, got '" + *text + "'");
        *into = *d;
    }
    const bool generated = !a.get("--secret");
    t.secret = generated ? core::new_webhook_secret() : *a.get("--secret");
    const std::string secret = t.secret;
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    std::int64_t id = 0;
    try {
        id = core::add_target(db, t, now, cli_actor);
    } catch (const std::invalid_argument& e) {
        // "outlet: unknown outlet 'x'" → "--outlet: unknown outlet 'x'".
        const std::string what = e.what();
        const std::string flag = flag_of_field(what);
        const auto colon = what.find(": ");
        const int code = fail(flag.empty() || colon == std::string::npos ? what : flag + what.substr(colon));
        // A kind not offered is a usage error, as an unknown --format or --state elsewhere.
        return flag == "--kind" ? exit_usage : code;
    }
    SQLite::Statement count(db.sql(), "SELECT COUNT(*) FROM dispatches WHERE target_id = ?");
    count.bind(1, id);
    const std::int64_t queued = count.executeStep() ? count.getColumn(0).getInt64() : 0;
    std::cout << "target " << t.name << " added (id " << id << "): " << destination(t) << ", " << t.url
              << ", concurrency " << t.concurrency << ", grace " << format_cli_duration(t.grace) << ", retry window "
              << format_cli_duration(t.retry_window) << ", lead " << format_cli_duration(t.lead) << "\n";
    std::cout << queued << " placement(s) queued for it\n";
    if (generated) {
        // Alone on the last line, so that scripts can read it with `tail -n 1`.
        std::cout << "its secret, shown only now (the receiver verifies signatures with it):\n" << secret << "\n";
    }
    return std::cout.flush() ? exit_ok : exit_internal;
}

int list(core::database& db) {
    const auto targets = core::list_targets(db);
    if (targets.empty()) {
        std::cout << "no targets (add one with loa target add)\n";
        return exit_ok;
    }
    for (const auto& t : targets) {
        std::cout << t.name << "\t" << destination(t) << "\t" << t.url << "\tconcurrency " << t.concurrency
                  << "\tgrace " << format_cli_duration(t.grace) << "\tretry window "
                  << format_cli_duration(t.retry_window) << "\tlead " << format_cli_duration(t.lead) << "\t"
                  << (t.enabled ? std::string("enabled") : "disabled: " + t.disabled_reason) << "\n";
    }
    return std::cout.flush() ? exit_ok : exit_internal;
}

int change(const std::string& verb, const parsed_args& a, core::database& db) {
    const auto name = a.get("--name");
    if (!name || name->empty()) return usage_error("target " + verb, "--name is required", usage);
    bool known = false;
    if (verb == "remove") {
        known = core::remove_target(db, *name, cli_actor);
    } else {
        // Disabled again without --reason: the reason it has stays (a 410's, an operator's own).
        const auto given = a.get("--reason");
        std::string reason = given.value_or("disabled by an operator (loa target disable)");
        if (!given && verb == "disable") {
            if (const auto now = core::find_target(db, *name); now && !now->enabled && !now->disabled_reason.empty())
                reason = now->disabled_reason;
        }
        known = core::set_target_enabled(db, *name, verb == "enable", verb == "enable" ? "" : reason, cli_actor);
    }
    if (!known) return fail("--name: no target '" + *name + "' (loa target list shows them)");
    std::cout << "target " << *name << " " << (verb == "remove" ? "removed" : verb + "d") << "\n";
    return exit_ok;
}

}  // namespace

int run_target(const words& args) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        if (args.empty()) return usage_error("target", "which? add, list, remove, enable or disable", usage);
        std::cout << usage;
        return exit_ok;
    }
    const std::string verb = args[0];
    arg_spec spec;
    if (verb == "add") {
        spec.options = {"--db", "--name", "--outlet", "--kind", "--url", "--secret", "--concurrency", "--grace",
                        "--retry-window", "--lead"};
    } else if (verb == "list") {
        spec.options = {"--db"};
    } else if (verb == "remove" || verb == "enable") {
        spec.options = {"--db", "--name"};
    } else if (verb == "disable") {
        spec.options = {"--db", "--name", "--reason"};
    } else {
        return usage_error("target", "unknown action '" + verb + "' (add, list, remove, enable or disable)", usage);
    }
    std::string error;
    const auto parsed = parse_args(words(args.begin() + 1, args.end()), spec, error);
    if (!parsed) return usage_error("target " + verb, error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    if (!parsed->positional.empty())
        return usage_error("target " + verb, "unexpected argument '" + parsed->positional[0] + "'", usage);
    const auto db_path = parsed->get("--db");
    if (!db_path || db_path->empty()) return usage_error("target " + verb, "--db is required", usage);
    // Opening would create an empty database; a target needs the outlets of an imported campaign.
    if (const auto problem = core::existing_database_problem(*db_path)) return fail("--db: " + *problem);
    try {
        core::database db(*db_path);
        if (verb == "add") return add(*parsed, db);
        if (verb == "list") return list(db);
        return change(verb, *parsed, db);
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa target: database '" << *db_path << "': " << e.what() << "\n";
        return exit_internal;
    }
}

}  // namespace loa::cli
