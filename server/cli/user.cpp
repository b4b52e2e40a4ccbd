// loa user: accounts from the command line — add, list, disable, password, ensure-admin.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Exception.h>

#include "core/storage/database.hpp"
#include "core/storage/user_store.hpp"
#include "core/text/unicode.hpp"
#include "server/app/passwords.hpp"
#include "server/app/permissions.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {
namespace {

constexpr const char* usage =
    "usage: loa user add --db PATH --name NAME --role ROLE [--department CODE] [--language vi|en]\n"
    "       loa user list --db PATH\n"
    "       loa user disable --db PATH NAME\n"
    "       loa user password --db PATH NAME\n"
    "       loa user ensure-admin --db PATH\n"
    "\n"
    "add           creates an account; the password is read as one line from standard input (a prompt\n"
    "              without echo on a terminal). Roles: admin, approver, editor, viewer. An editor needs\n"
    "              --department: the code of a department of a stored campaign (loa import first).\n"
    "list          prints every account: name, role, department, language, active or disabled.\n"
    "disable       disables an account and ends all of its sessions (the account is kept for the log).\n"
    "password      sets a new password (from standard input) and ends the account's sessions.\n"
    "ensure-admin  creates the user 'admin' when no enabled admin exists, with the password from the\n"
    "              environment variable LOA_ADMIN_PASSWORD or else a random one, printed once.\n"
    "\n"
    "Names are stored in Unicode NFC and compared without case, for Vietnamese letters too: 'LÊ THỊ\n"
    "GIÁO', and 'Lê Thị Giáo' typed decomposed (macOS), name the user 'Lê Thị Giáo'.\n"
    "Passwords: at least 12 characters (letters with diacritics count as one), at most 1024 bytes,\n"
    "UTF-8, compared in NFC (never without case). They are stored as argon2id hashes (m=19 MiB, t=2,\n"
    "p=1), never in clear.\n"
    "\n"
    "options:\n"
    "  --db PATH          the SQLite database; created when absent (its directory must exist)\n"
    "  --name NAME        the account's name (add), e.g. \"Lê Thị Giáo\"\n"
    "  --role ROLE        admin, approver, editor or viewer (add)\n"
    "  --department CODE  the editor's department (add; needed for an editor)\n"
    "  --language vi|en   the pages' language for this account (add; default: the browser's)\n"
    "  -h, --help         this text\n"
    "\n"
    "exit codes: 0 done, 1 invalid input (unknown department, name taken, weak password, unknown\n"
    "user), 2 usage error (also a role or language not offered), 3 database failure\n";

constexpr const char* cli_actor = "(command line)";

int fail(const std::string& message, int code) {
    std::cerr << "loa user: " << message << "\n";
    return code;
}

// One line from standard input, without its line ending. On a terminal: a prompt and no echo.
std::optional<std::string> read_password(const char* prompt) {
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (tty) {
        std::cerr << prompt << std::flush;
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!got && line.empty()) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::optional<std::string> password_problem(const std::string& password) {
    const auto why = app::check_new_password(password);
    if (!why) return std::nullopt;
    if (*why == "too_short")
        return "the password needs at least " + std::to_string(app::password_min_chars) + " characters";
    if (*why == "too_long")
        return "the password is longer than " + std::to_string(app::password_max_bytes) + " bytes";
    return "the password is not valid UTF-8";
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

int add(const parsed_args& a, const std::filesystem::path& db_file) {
    auto name = a.get("--name");
    const auto role = a.get("--role");
    if (!name || name->empty()) return usage_error("user add", "missing --name NAME", usage);
    *name = core::to_nfc(*name);  // as the store keeps it, so messages show the stored name
    if (!role) return usage_error("user add", "missing --role ROLE", usage);
    if (!a.positional.empty())
        return usage_error("user add", "unexpected argument " + a.positional[0], usage);
    const std::string department = a.get("--department").value_or("");
    const std::string language = a.get("--language").value_or("");
    if (!app::is_known_role(*role))
        return fail("unknown role '" + *role + "' (expected admin, approver, editor or viewer)", exit_usage);
    if (*role == "editor" && department.empty())
        return fail("an editor needs --department CODE (the department they edit)", exit_invalid_input);
    if (!(language.empty() || language == "vi" || language == "en"))
        return fail("unknown language '" + language + "' (expected vi or en)", exit_usage);

    core::database db(db_file);
    if (!department.empty()) {
        const auto codes = core::known_department_codes(db);
        if (codes.empty())
            return fail("no campaign is stored yet, so department '" + department +
                            "' cannot be checked; import the campaign first (loa import)",
                        exit_invalid_input);
        if (std::find(codes.begin(), codes.end(), department) == codes.end())
            return fail("unknown department '" + department + "' (known: " + join(codes) + ")",
                        exit_invalid_input);
    }
    if (const auto existing = core::find_user(db, *name))
        return fail("a user named '" + existing->name + "' already exists" +
                        (existing->name == *name ? "" : " (names compare without case, 'LÊ' = 'lê')"),
                    exit_invalid_input);

    const auto password = read_password("Password: ");
    if (!password) return fail("no password on standard input", exit_invalid_input);
    if (auto problem = password_problem(*password)) return fail(*problem, exit_invalid_input);

    core::new_user u{*name, app::hash_password(*password), *role, department, language};
    switch (core::create_user(db, u, cli_actor)) {
        case core::user_write::ok:
            break;
        case core::user_write::name_taken:
            return fail("a user named '" + *name + "' already exists", exit_invalid_input);
        default:
            return fail("'" + *name +
                            "' is not a valid name (1 to 64 characters, no control characters, no leading or "
                            "trailing space, not starting with '(')",
                        exit_invalid_input);
    }
    std::cout << "loa: created user " << *name << " (" << *role
              << (department.empty() ? "" : ", " + department) << ")\n";
    return exit_ok;
}

int list(const parsed_args& a, const std::filesystem::path& db_file) {
    if (!a.positional.empty())
        return usage_error("user list", "unexpected argument " + a.positional[0], usage);
    core::database db(db_file);
    const auto users = core::list_users(db);
    std::cout << "name\trole\tdepartment\tlanguage\tstatus\n";
    for (const auto& u : users) {
        std::cout << u.name << "\t" << u.role << "\t" << (u.department.empty() ? "-" : u.department) << "\t"
                  << (u.language.empty() ? "-" : u.language) << "\t" << (u.disabled ? "disabled" : "active")
                  << "\n";
    }
    return exit_ok;
}

int disable(const parsed_args& a, const std::filesystem::path& db_file) {
    if (a.positional.size() != 1) return usage_error("user disable", "expected one user NAME", usage);
    core::database db(db_file);
    if (core::disable_user(db, a.positional[0], cli_actor) == core::user_write::not_found)
        return fail("no user named '" + a.positional[0] + "'", exit_invalid_input);
    std::cout << "loa: disabled user " << a.positional[0] << " and ended its sessions\n";
    return exit_ok;
}

int password(const parsed_args& a, const std::filesystem::path& db_file) {
    if (a.positional.size() != 1) return usage_error("user password", "expected one user NAME", usage);
    core::database db(db_file);
    if (!core::find_user(db, a.positional[0]))
        return fail("no user named '" + a.positional[0] + "'", exit_invalid_input);
    const auto pw = read_password("New password: ");
    if (!pw) return fail("no password on standard input", exit_invalid_input);
    if (auto problem = password_problem(*pw)) return fail(*problem, exit_invalid_input);
    if (core::set_password_hash(db, a.positional[0], app::hash_password(*pw), cli_actor) !=
        core::user_write::ok)
        return fail("no user named '" + a.positional[0] + "'", exit_invalid_input);
    std::cout << "loa: set a new password for " << a.positional[0] << " and ended its sessions\n";
    return exit_ok;
}

int ensure_admin(const parsed_args& a, const std::filesystem::path& db_file) {
    if (!a.positional.empty())
        return usage_error("user ensure-admin", "unexpected argument " + a.positional[0], usage);
    core::database db(db_file);
    if (core::has_admin(db)) return exit_ok;  // the usual case on every later `make run`: say nothing
    if (core::find_user(db, "admin"))
        return fail(
            "no enabled admin exists, but a user named 'admin' does; create another admin with "
            "loa user add --role admin",
            exit_invalid_input);

    const char* from_env = std::getenv("LOA_ADMIN_PASSWORD");  // NOLINT(concurrency-mt-unsafe): one thread
    const bool given = from_env != nullptr && *from_env != '\0';
    // 15 random bytes: 20 base64url characters, 120 bits.
    const std::string pw = given ? std::string(from_env) : core::random_token(15);
    if (auto problem = password_problem(pw))
        return fail("LOA_ADMIN_PASSWORD: " + *problem, exit_invalid_input);
    core::new_user u{"admin", app::hash_password(pw), "admin", "", ""};
    if (core::create_user(db, u, cli_actor) != core::user_write::ok)
        return fail("could not create the user admin", exit_internal);
    if (given)
        std::cout << "loa: created user admin with the password from LOA_ADMIN_PASSWORD\n";
    else
        std::cout << "loa: created user admin with password " << pw << " — change it\n";
    return exit_ok;
}

}  // namespace

int run_user(const words& args) {
    if (args.empty())
        return usage_error("user", "missing subcommand (add, list, disable, password, ensure-admin)", usage);
    if (args[0] == "-h" || args[0] == "--help") {
        std::cout << usage;
        return exit_ok;
    }
    const std::string& sub = args[0];
    const words rest(args.begin() + 1, args.end());
    arg_spec spec{{"--db"}, {}};
    if (sub == "add")
        spec.options = {"--db", "--name", "--role", "--department", "--language"};
    else if (sub != "list" && sub != "disable" && sub != "password" && sub != "ensure-admin")
        return usage_error("user", "unknown subcommand '" + sub + "'", usage);

    std::string error;
    const auto parsed = parse_args(rest, spec, error);
    if (!parsed) return usage_error("user " + sub, error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    const auto db_path = parsed->get("--db");
    if (!db_path || db_path->empty()) return usage_error("user " + sub, "missing --db PATH", usage);
    const std::filesystem::path db_file(*db_path);
    if (auto problem = db_path_problem(db_file)) return fail(*problem, exit_invalid_input);

    try {
        if (sub == "add") return add(*parsed, db_file);
        if (sub == "list") return list(*parsed, db_file);
        if (sub == "disable") return disable(*parsed, db_file);
        if (sub == "password") return password(*parsed, db_file);
        return ensure_admin(*parsed, db_file);
    } catch (const SQLite::Exception& e) {
        return fail("database '" + db_file.string() + "': " + e.what(), exit_internal);
    }
}

}  // namespace loa::cli
