// loa export: writes a stored campaign back as YAML, to stdout or a file.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

#include <SQLiteCpp/Exception.h>

#include "core/config/campaign_writer.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa export --db PATH --campaign SLUG [--output FILE]\n"
    "\n"
    "Writes the campaign's active items as campaign YAML (docs/campaign-format.md), in the order\n"
    "of the file it was imported from. `loa import` of the output gives back the same campaign.\n"
    "The store keeps the data, not the file's layout: comments (the bundled file's \"# example:\"\n"
    "notes among them) are not written, and long text comes out on one line. Write to a new file\n"
    "rather than over the one you edit by hand.\n"
    "\n"
    "options:\n"
    "  --db PATH        the SQLite database (must exist)\n"
    "  --campaign SLUG  the campaign to write\n"
    "  --output FILE    write to FILE (replaced whole) instead of standard output\n"
    "  -h, --help       this text\n"
    "\n"
    "exit codes: 0 written, 1 no such database, campaign or output path, 2 usage error,\n"
    "3 database failure\n";

// Writes through a temporary file and a rename, so a failed export never leaves half a file
// where a good one was (exports often overwrite campaigns/*.yaml).
bool write_file(const std::filesystem::path& path, const std::string& text, std::string& error) {
    std::filesystem::path tmp = path;
    tmp += ".loa-export.tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            // Say why, about the file the user named (the temporary one is ours).
            const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
            if (!std::filesystem::is_directory(dir)) {
                error = "cannot write " + path.string() + ": directory '" + dir.string() +
                        "' does not exist (create it first)";
            } else {
                error = "cannot write " + path.string() + ": " + std::strerror(errno) + " (writing " +
                        tmp.filename().string() + " beside it first)";
            }
            return false;
        }
        out << text;
        out.close();
        if (!out) {
            error = "cannot write " + tmp.string();
            std::filesystem::remove(tmp);
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        error = "cannot replace " + path.string() + ": " + ec.message();
        std::filesystem::remove(tmp, ec);
        return false;
    }
    return true;
}

}  // namespace

int run_export(const words& args) {
    std::string error;
    const auto parsed = parse_args(args, arg_spec{{"--db", "--campaign", "--output"}, {}}, error);
    if (!parsed) return usage_error("export", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    const auto db_path = parsed->get("--db");
    const auto slug = parsed->get("--campaign");
    if (!db_path || db_path->empty()) return usage_error("export", "missing --db PATH", usage);
    if (!slug || slug->empty()) return usage_error("export", "missing --campaign SLUG", usage);
    if (!parsed->positional.empty()) {
        return usage_error("export", "unexpected argument '" + parsed->positional.front() + "'", usage);
    }

    // Opening would create an empty database; an export never should.
    const std::filesystem::path db_file(*db_path);
    if (const auto problem = core::existing_database_problem(db_file)) {
        std::cerr << "loa export: --db: " << *problem << "\n";
        return exit_invalid_input;
    }

    std::optional<core::campaign> c;
    try {
        core::database db(db_file);
        c = core::load_campaign(db, *slug);
        if (!c) {
            std::cerr << "loa export: no campaign '" << *slug << "' in '" << db_file.string() << "'";
            const auto known = core::list_campaigns(db);
            for (std::size_t i = 0; i < known.size(); ++i)
                std::cerr << (i == 0 ? "; known: " : ", ") << known[i].slug;
            std::cerr << "\n";
            return exit_invalid_input;
        }
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa export: database '" << db_file.string() << "': " << e.what() << "\n";
        return exit_internal;
    }

    const std::string yaml = core::write_campaign_yaml(*c);
    if (const auto output = parsed->get("--output")) {
        if (!write_file(*output, yaml, error)) {
            std::cerr << "loa export: " << error << "\n";
            return exit_invalid_input;
        }
        return exit_ok;
    }
    std::cout << yaml << std::flush;
    return std::cout ? exit_ok : exit_internal;
}

}  // namespace loa::cli
