// loa serve: settings from --config and flags, then the server until SIGINT/SIGTERM.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/system/system_error.hpp>

#include "core/channels/message_renderer.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "server/app/server.hpp"
#include "server/app/settings.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"
#include "server/handlers/message_pages.hpp"
#include "server/web/render.hpp"

namespace loa::cli {

namespace {

constexpr const char* usage =
    "usage: loa serve --db PATH [--listen HOST:PORT] [--config FILE] [--threads N]\n"
    "                 [--dispatch-allow LIST] [--as-of ISO8601] [--public-url URL]\n"
    "\n"
    "Serves the web forms, JSON API, media feeds (docs/feeds.md), /healthz and /metrics over HTTP\n"
    "and delivers due placements to their targets as signed webhooks (docs/dispatch.md) until SIGINT\n"
    "or SIGTERM, then finishes in-flight requests and deliveries (within shutdown_grace) and exits 0.\n"
    "\n"
    "  --db PATH           SQLite database (created and migrated when absent)\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080); port 0 picks a free port\n"
    "  --config FILE       server settings in YAML (see docs/server-config.md)\n"
    "  --threads N         io threads (default 2)\n"
    "  --dispatch-allow LIST  receiver address ranges allowed: loopback, private, link_local,\n"
    "                      comma-separated, or none (default: the config's dispatch_allow)\n"
    "  --as-of ISO8601     run the server's clock from this instant on, in real time (a rehearsal),\n"
    "                      e.g. 2024-07-28T00:00:00+07:00; feeds and the dispatcher use it;\n"
    "                      without an offset, on the campaigns' clock (as loa plan reads it)\n"
    "                      (default: the config's as_of, else the system clock)\n"
    "  --public-url URL    the base URL people reach loa at, for feed links and subscribe URLs,\n"
    "                      e.g. https://loa.example (default: the config's public_url, else\n"
    "                      http://HOST:PORT of --listen)\n"
    "\n"
    "Flags override the config file. Once accepting, prints one line to stdout:\n"
    "  loa: listening on http://HOST:PORT\n";

}  // namespace

int run_serve(const words& args) {
    std::string error;
    const auto parsed = parse_args(args, {{"--db", "--listen", "--config", "--threads", "--dispatch-allow", "--as-of", "--public-url"}, {}}, error);
    if (!parsed) return usage_error("serve", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    if (!parsed->positional.empty()) return usage_error("serve", "unexpected argument " + parsed->positional[0], usage);
    const auto db = parsed->get("--db");
    if (!db) return usage_error("serve", "--db is required", usage);

    // The file first, then the flags on top.
    app::settings config;
    if (const auto file = parsed->get("--config")) {
        auto loaded = app::load_settings_file(*file);
        if (!loaded.errors.empty()) {
            for (const auto& d : loaded.errors) std::cerr << d.to_string() << "\n";
            return exit_invalid_input;
        }
        config = loaded.value;
    }
    // A value that does not parse is invalid input (exit 1), as for the other commands; a choice
    // not offered (--dispatch-allow) is a usage error (exit 2).
    const auto invalid = [](const std::string& message) {
        std::cerr << "loa serve: " << message << "\n";
        return exit_invalid_input;
    };
    if (const auto listen = parsed->get("--listen")) {
        if (auto e = app::set_listen(config, *listen)) return invalid("--listen: " + *e);
    }
    if (const auto threads = parsed->get("--threads")) {
        unsigned n = 0;
        try {
            std::size_t used = 0;
            const unsigned long v = std::stoul(*threads, &used);
            if (used == threads->size() && v >= 1 && v <= 256) n = static_cast<unsigned>(v);
        } catch (const std::exception&) {
        }
        if (n == 0) return invalid("--threads: expected a number from 1 to 256, got '" + *threads + "'");
        config.threads = n;
    }

    if (const auto allow = parsed->get("--dispatch-allow")) {
        if (auto e = app::set_dispatch_allow(config, *allow)) return usage_error("serve", "--dispatch-allow: " + *e, usage);
    }

    if (const auto as_of = parsed->get("--as-of")) {
        if (auto e = app::set_as_of(config, *as_of)) return invalid("--as-of: " + *e);
    }
    if (const auto url = parsed->get("--public-url")) {
        if (auto e = app::set_public_url(config, *url)) return invalid("--public-url: " + *e);
    }

    // Templates, static assets and catalogs are read and checked once, before serving: a broken
    // template is a start-up error naming the file, not a 500 later. The channel templates are the
    // ones the previews and the dispatcher share.
    try {
        web::init(web::default_paths());
    } catch (const std::exception& e) {
        std::cerr << "loa serve: " << e.what() << "\n";
        return exit_internal;
    }
    try {
        (void)handlers::message_templates();
    } catch (const core::template_error& e) {
        std::cerr << "loa serve: the channel templates have errors; nothing is served or sent:\n";
        for (const auto& d : e.problems()) std::cerr << d.to_string() << "\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "loa serve: the channel templates cannot be loaded: " << e.what() << "\n";
        return exit_internal;
    }

    if (const auto problem = db_path_problem(*db)) return invalid(*problem);

    // An as-of without an offset is read on the campaigns' clock, as `loa plan` and `loa import` read
    // theirs (the same text rehearses the same instant in all three).
    if (!config.as_of_wall.empty()) {
        std::vector<std::string> zones;
        try {
            // (A database not made yet has no campaign: it is not made for a refusal.)
            std::error_code ec;
            if (std::filesystem::exists(*db, ec)) {
                core::database store(*db);
                for (const auto& c : core::list_campaigns(store)) zones.push_back(c.time_zone);
            }
        } catch (const std::exception& e) {
            std::cerr << "loa serve: cannot open the database " << *db << ": " << e.what() << "\n";
            return exit_internal;
        }
        if (auto e = app::resolve_as_of(config, zones)) {
            return invalid(std::string(parsed->get("--as-of") ? "--as-of: " : "the config's as_of: ") + *e);
        }
    }

    std::optional<app::server> server;
    try {
        server.emplace(config, *db);
    } catch (const boost::system::system_error& e) {
        std::cerr << "loa serve: cannot listen on " << config.listen_host << ":" << config.listen_port << ": "
                  << e.code().message() << "\n";
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "loa serve: cannot open the database " << *db << ": " << e.what() << "\n";
        return exit_internal;
    }
    // Scripts and tests read the port from this line, so it is exact, alone and flushed.
    std::cout << "loa: listening on " << server->url() << std::endl;
    server->run();
    return exit_ok;
}

}  // namespace loa::cli
