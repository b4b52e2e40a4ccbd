// loa token: an outlet's feed tokens from the command line — add, list, revoke (docs/feeds.md).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/storage/feed_store.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

namespace json = boost::json;

constexpr const char* usage =
    "usage: loa token add --db PATH --outlet SLUG [--label TEXT]\n"
    "       loa token list --db PATH [--outlet SLUG] [--format table|json]\n"
    "       loa token revoke --db PATH --id N\n"
    "\n"
    "A feed token lets an outlet read its schedule feeds (Atom, RSS, JSON Feed, iCalendar) and post\n"
    "what it aired (docs/feeds.md). It belongs to an outlet slug: the outlet in every campaign. An\n"
    "outlet may have several (one per tool that reads its feeds); each can be revoked alone.\n"
    "\n"
    "add     makes a new token for the outlet. The token is printed once, as the last line of\n"
    "        output; loa keeps only its SHA-256 hash, so it cannot be shown again.\n"
    "list    every token (of one outlet with --outlet): id, outlet, label, created, last used,\n"
    "        revoked. Never the tokens themselves.\n"
    "revoke  revokes a token at once: feeds asked with it answer 404 from then on.\n"
    "\n"
    "options:\n"
    "  --db PATH          the SQLite database (must exist)\n"
    "  --outlet SLUG      the outlet, e.g. vov-haiphong (an outlet of a campaign not archived)\n"
    "  --label TEXT       what the token is for, e.g. \"phần mềm phát sóng\" (shown by list)\n"
    "  --format FORMAT    list as a table (default) or as JSON\n"
    "  --id N             the token's id, as list shows it\n"
    "  -h, --help         this text\n"
    "\n"
    "exit codes: 0 done, 1 invalid input (unknown outlet or token), 2 usage error, 3 database failure\n";

const core::audit_actor cli_actor{std::nullopt, "cli"};

int fail(const std::string& message) {
    std::cerr << "loa token: " << message << "\n";
    return exit_invalid_input;
}

// Characters on screen (UTF-8 code points), for lining up columns of Vietnamese labels.
std::size_t width_of(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int add(const parsed_args& a, core::database& db) {
    const std::string outlet = a.get("--outlet").value_or("");
    if (outlet.empty()) return usage_error("token add", "--outlet is required", usage);
    const std::string label = a.get("--label").value_or("");
    switch (core::check_token_label(label)) {
        case core::token_label_problem::not_one_line:
            return fail("--label: must be one line of text (no line breaks or control characters)");
        case core::token_label_problem::too_long:
            return fail("--label: at most " + std::to_string(core::feed_token_label_max) + " characters");
        case core::token_label_problem::none: break;
    }
    core::issued_token t;
    try {
        t = core::add_feed_token(db, outlet, label, cli_actor);
    } catch (const std::invalid_argument& e) {
        return fail(std::string("--outlet: ") + e.what() + " (no campaign that is not archived has it)");
    }
    std::cout << "token " << t.id << " added for outlet " << outlet << (label.empty() ? "" : " (" + label + ")")
              << "; shown only now, loa keeps only its hash:\n";
    // Alone on the last line, so that scripts can read it with `tail -n 1`.
    std::cout << t.token << "\n";
    return std::cout.flush() ? exit_ok : exit_internal;
}

int list(const parsed_args& a, core::database& db) {
    const std::string format = a.get("--format").value_or("table");
    if (format != "table" && format != "json")
        return usage_error("token list", "--format: expected table or json, got '" + format + "'", usage);
    const std::string outlet = a.get("--outlet").value_or("");
    const auto tokens = core::list_feed_tokens(db, outlet);

    if (format == "json") {
        json::array out;
        for (const auto& t : tokens) {
            json::object o;
            o["id"] = t.id;
            o["outlet"] = t.outlet;
            o["label"] = t.label;
            o["created_at"] = t.created_at;
            o["created_by"] = t.created_by;
            o["last_used_at"] = t.last_used_at ? json::value(*t.last_used_at) : json::value(nullptr);
            o["revoked_at"] = t.revoked_at ? json::value(*t.revoked_at) : json::value(nullptr);
            out.push_back(std::move(o));
        }
        std::cout << json::serialize(out) << "\n";
        return std::cout.flush() ? exit_ok : exit_internal;
    }

    if (tokens.empty()) {
        std::cout << (outlet.empty() ? std::string("no feed tokens") : "no feed tokens for outlet " + outlet)
                  << " (add one with loa token add)\n";
        return std::cout.flush() ? exit_ok : exit_internal;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "OUTLET", "LABEL", "CREATED", "LAST USED", "REVOKED"}};
    for (const auto& t : tokens) {
        rows.push_back({std::to_string(t.id), t.outlet, t.label.empty() ? "-" : t.label, t.created_at,
                        t.last_used_at.value_or("never"), t.revoked_at.value_or("-")});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width_of(r[i]));
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(widths[i] - width_of(r[i]) + 2, ' ');
        }
        std::cout << line << "\n";
    }
    return std::cout.flush() ? exit_ok : exit_internal;
}

int revoke(const parsed_args& a, core::database& db) {
    const auto text = a.get("--id");
    if (!text || text->empty()) return usage_error("token revoke", "--id is required", usage);
    std::int64_t id = 0;
    std::size_t used = 0;
    try {
        id = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text->size() || id <= 0) return fail("--id: expected a token id (a positive number), got '" + *text + "'");
    if (!core::revoke_feed_token(db, id, cli_actor))
        return fail("--id: no live token " + *text + " (unknown or already revoked; loa token list shows them)");
    std::cout << "token " << id << " revoked\n";
    return std::cout.flush() ? exit_ok : exit_internal;
}

}  // namespace

int run_token(const words& args) {
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        if (args.empty()) return usage_error("token", "which? add, list or revoke", usage);
        std::cout << usage;
        return exit_ok;
    }
    const std::string verb = args[0];
    arg_spec spec;
    if (verb == "add") {
        spec.options = {"--db", "--outlet", "--label"};
    } else if (verb == "list") {
        spec.options = {"--db", "--outlet", "--format"};
    } else if (verb == "revoke") {
        spec.options = {"--db", "--id"};
    } else {
        return usage_error("token", "unknown action '" + verb + "' (add, list or revoke)", usage);
    }
    std::string error;
    const auto parsed = parse_args(words(args.begin() + 1, args.end()), spec, error);
    if (!parsed) return usage_error("token " + verb, error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    if (!parsed->positional.empty())
        return usage_error("token " + verb, "unexpected argument '" + parsed->positional[0] + "'", usage);
    const auto db_path = parsed->get("--db");
    if (!db_path || db_path->empty()) return usage_error("token " + verb, "--db is required", usage);
    // Opening would create an empty database; a token needs the outlets of an imported campaign.
    if (const auto problem = core::existing_database_problem(*db_path)) return fail("--db: " + *problem);
    try {
        core::database db(*db_path);
        if (verb == "add") return add(*parsed, db);
        if (verb == "list") return list(*parsed, db);
        return revoke(*parsed, db);
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa token: database '" << *db_path << "': " << e.what() << "\n";
        return exit_internal;
    }
}

}  // namespace loa::cli
