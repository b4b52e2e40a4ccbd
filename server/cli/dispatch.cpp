// loa dispatch: the outbox from the command line — its status, the dispatch log, and requeueing a
// dead, missed or cancelled dispatch.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <SQLiteCpp/Exception.h>
#include <date/date.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/time/iso8601.hpp"
#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"
#include "server/cli/durations.hpp"
#include "server/handlers/dispatch_pages.hpp"

namespace loa::cli {
namespace {

namespace json = boost::json;
using core::ms_time;

constexpr const char* usage =
    "usage: loa dispatch --db PATH --status [--format table|json]\n"
    "       loa dispatch --db PATH --list [--state STATE] [--target NAME] [--campaign SLUG]\n"
    "                    [--limit N] [--format table|json]\n"
    "       loa dispatch --db PATH --requeue ID\n"
    "\n"
    "The dispatcher's outbox (docs/dispatch.md): one dispatch per placement and target, delivered by\n"
    "`loa serve` as a signed webhook when it falls due.\n"
    "\n"
    "--status   how many dispatches are in each state, how many are due now and the oldest due,\n"
    "           the targets and why any is disabled.\n"
    "--list     the dispatch log, newest due first: state, target, campaign, message, outlet, slot,\n"
    "           attempts and the last status or error.\n"
    "--requeue  makes a dead, missed or cancelled dispatch pending, due now (a running loa serve\n"
    "           picks it up within its dispatch_poll).\n"
    "\n"
    "options:\n"
    "  --db PATH        the SQLite database (must exist)\n"
    "  --state STATE    pending, in_flight, delivered, retrying, dead, missed or cancelled\n"
    "  --target NAME    only this target's dispatches\n"
    "  --campaign SLUG  only this campaign's dispatches\n"
    "  --limit N        at most N rows, 1-1000 (default 100)\n"
    "  --format FORMAT  table (default) or json\n"
    "  -h, --help       this text\n"
    "\n"
    "exit codes: 0 done, 1 invalid input (unknown target, campaign or dispatch, a dispatch that\n"
    "cannot be requeued), 2 usage error, 3 database failure\n";

int fail(const std::string& message) {
    std::cerr << "loa dispatch: " << message << "\n";
    return exit_invalid_input;
}

std::string iso(ms_time t) {
    return core::iso_utc(std::chrono::floor<std::chrono::seconds>(t));
}

std::string iso(std::chrono::sys_seconds t) {
    return core::iso_utc(t);
}

ms_time now_ms() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// "3 min ago", "2 h ago", "in 40 s".
std::string relative(ms_time t, ms_time now) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(now - t).count();
    const auto a = s < 0 ? -s : s;
    std::string amount;
    if (a < 120) amount = std::to_string(a) + " s";
    else if (a < 7200) amount = std::to_string(a / 60) + " min";
    else if (a < 172800) amount = std::to_string(a / 3600) + " h";
    else amount = std::to_string(a / 86400) + " days";
    return s < 0 ? "in " + amount : amount + " ago";
}

int status(core::database& db, const std::string& format) {
    const ms_time now = now_ms();
    const core::outbox_status st = core::dispatch_status(db, now);
    const auto targets = core::list_targets(db);
    if (format == "json") {
        json::object o;
        json::object by_state;
        for (const auto& [state, n] : st.by_state) by_state[state] = n;
        o["by_state"] = std::move(by_state);
        o["due_now"] = st.due_now;
        o["oldest_due"] = st.oldest_due ? json::value(iso(*st.oldest_due)) : json::value(nullptr);
        o["targets"] = st.targets;
        o["targets_disabled"] = st.targets_disabled;
        json::array disabled;
        for (const auto& t : targets)
            if (!t.enabled) disabled.push_back(json::object{{"name", t.name}, {"reason", t.disabled_reason}});
        o["disabled"] = std::move(disabled);
        std::cout << json::serialize(o) << "\n";
        return std::cout.flush() ? exit_ok : exit_internal;
    }
    std::cout << "dispatches by state:\n";
    for (const auto& [state, n] : st.by_state)
        std::cout << "  " << std::left << std::setw(10) << state << std::right << std::setw(10) << n << "\n";
    std::cout << "due now: " << st.due_now;
    if (st.oldest_due) std::cout << " (oldest due " << iso(*st.oldest_due) << ", " << relative(*st.oldest_due, now) << ")";
    std::cout << "\n";
    std::cout << "targets: " << st.targets << " (" << st.targets_disabled << " disabled)\n";
    for (const auto& t : targets)
        if (!t.enabled) std::cout << "  disabled: " << t.name << ": " << t.disabled_reason << "\n";
    return std::cout.flush() ? exit_ok : exit_internal;
}


int list(core::database& db, const parsed_args& a, const std::string& format) {
    core::dispatch_filter f;
    f.state = a.get("--state").value_or("");
    f.target = a.get("--target").value_or("");
    f.campaign = a.get("--campaign").value_or("");
    if (const auto limit = a.get("--limit")) {
        const auto n = parse_count(*limit);
        if (!n || *n < 1 || *n > 1000) return fail("--limit: expected a whole number from 1 to 1000, got '" + *limit + "'");
        f.limit = static_cast<int>(*n);
    }
    if (!f.target.empty() && !core::find_target(db, f.target))
        return fail("--target: no target '" + f.target + "' (loa target list shows them)");
    if (!f.campaign.empty()) {
        const auto known = core::list_campaigns(db);
        if (std::none_of(known.begin(), known.end(), [&](const auto& c) { return c.slug == f.campaign; }))
            return fail("--campaign: no campaign '" + f.campaign + "'");
    }
    const auto rows = core::list_dispatches(db, f);
    if (format == "json") {
        json::array out;
        for (const auto& r : rows) out.push_back(handlers::dispatch_json(r));  // the API's form, one definition
        std::cout << json::serialize(out) << "\n";
        return std::cout.flush() ? exit_ok : exit_internal;
    }
    if (rows.empty()) {
        std::cout << "no dispatches\n";
        return exit_ok;
    }
    std::cout << "id\tstate\ttarget\tcampaign\tmessage\toutlet\tslot (UTC)\tdue (UTC)\tattempts\tlast\n";
    for (const auto& r : rows) {
        // The status, then the error, unless the error already begins with it ("HTTP 500, retry in 4.7 s",
        // "410 Gone …" as loa words them).
        std::string last = r.last_status ? "HTTP " + std::to_string(*r.last_status) : "";
        const bool says_status = r.last_status && (r.last_error.rfind(last, 0) == 0 ||
                                                   r.last_error.rfind(std::to_string(*r.last_status) + " ", 0) == 0);
        if (says_status) last = r.last_error;
        else if (!r.last_error.empty()) last += (last.empty() ? "" : ": ") + r.last_error;
        std::cout << r.id << "\t" << r.state << "\t" << r.target << "\t" << r.campaign << "\t" << r.message << "\t"
                  << r.outlet << "\t" << iso(r.start) << "\t" << iso(r.due) << "\t" << r.attempts << "\t" << last
                  << "\n";
    }
    return std::cout.flush() ? exit_ok : exit_internal;
}

int requeue(core::database& db, const std::string& text) {
    const auto id = parse_count(text);
    if (!id || *id < 1) return fail("--requeue: expected a dispatch id (a whole number), got '" + text + "'");
    using result = core::operator_outcome::result;
    const auto found = core::find_dispatch(db, *id);
    const core::operator_outcome done = core::requeue_dispatch(db, *id, now_ms(), core::audit_actor{std::nullopt, "cli"});
    if (done) {
        std::cout << "dispatch " << *id << " requeued: pending, due now\n";
        return exit_ok;
    }
    if (done.value == result::no_dispatch || !found) return fail("--requeue: no dispatch " + std::to_string(*id));
    if (done.value == result::target_disabled)
        return fail("--requeue: dispatch " + std::to_string(*id) + "'s target " + found->target +
                    " is disabled: enable it first (loa target enable --name " + found->target + ")");
    if (done.value == result::target_removed)
        return fail("--requeue: dispatch " + std::to_string(*id) + "'s target " + found->target + " was removed");
    return fail("--requeue: dispatch " + std::to_string(*id) + " is " + found->state +
                "; only dead, missed or cancelled dispatches can be requeued");
}

}  // namespace

int run_dispatch(const words& args) {
    std::string error;
    const auto parsed = parse_args(
        args, arg_spec{{"--db", "--state", "--target", "--campaign", "--limit", "--format", "--requeue"}, {"--status", "--list"}},
        error);
    if (!parsed) return usage_error("dispatch", error, usage);
    if (parsed->help) {
        std::cout << usage;
        return exit_ok;
    }
    if (!parsed->positional.empty())
        return usage_error("dispatch", "unexpected argument '" + parsed->positional[0] + "'", usage);
    const auto db_path = parsed->get("--db");
    if (!db_path || db_path->empty()) return usage_error("dispatch", "--db is required", usage);
    const int actions = (parsed->has("--status") ? 1 : 0) + (parsed->has("--list") ? 1 : 0) +
                        (parsed->get("--requeue") ? 1 : 0);
    if (actions != 1) return usage_error("dispatch", "give exactly one of --status, --list and --requeue ID", usage);
    const std::string format = parsed->get("--format").value_or("table");
    if (format != "table" && format != "json")
        return usage_error("dispatch", "--format must be table or json, not '" + format + "'", usage);
    if (const auto state = parsed->get("--state")) {
        if (!parsed->has("--list")) return usage_error("dispatch", "--state goes with --list", usage);
        if (std::none_of(std::begin(core::dispatch_states), std::end(core::dispatch_states),
                         [&](const char* s) { return *state == s; }))
            return usage_error("dispatch",
                               "--state must be pending, in_flight, delivered, retrying, dead, missed or cancelled, not '" +
                                   *state + "'",
                               usage);
    }
    for (const char* only_list : {"--target", "--campaign", "--limit"})
        if (parsed->get(only_list) && !parsed->has("--list"))
            return usage_error("dispatch", std::string(only_list) + " goes with --list", usage);
    if (const auto problem = core::existing_database_problem(*db_path)) return fail("--db: " + *problem);
    try {
        core::database db(*db_path);
        if (parsed->has("--status")) return status(db, format);
        if (parsed->has("--list")) return list(db, *parsed, format);
        return requeue(db, *parsed->get("--requeue"));
    } catch (const SQLite::Exception& e) {
        std::cerr << "loa dispatch: database '" << *db_path << "': " << e.what() << "\n";
        return exit_internal;
    }
}

}  // namespace loa::cli
