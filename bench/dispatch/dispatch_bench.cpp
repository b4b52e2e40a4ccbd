// The dispatcher benchmark (issue 5 §6; run.sh runs it): durable deliveries per second through the
// real runner, outbox and webhook client against a bare POST loop with the same client, body size
// and concurrency (its requests signed before it starts), both to the same local sink; and the lateness of first
// attempts (start − due) at a nominal load spread over time. One phase per invocation:
//   --phase durable   a fresh SQLite file, the Hai Phong campaign (campaigns/), N placements of its
//                     radio hotline message on its first radio outlet all due at one instant T0 a
//                     few seconds ahead, a target at the sink; the runner on the system clock from
//                     before T0 until every dispatch is delivered and recorded. Rate = N / (end −
//                     first claim), end = when the runner has written the last completion.
//   --phase bare      N POSTs of the durable run's body (read back from --db), signed before the
//                     run, with the same webhook_client and concurrency, no database.
//                     Rate = N / (last answer − start).
//   --phase nominal   like durable, but RATE placements due every second for SECONDS seconds.
//   --phase store     the outbox alone, no network, no runner: the durable phase's database, then
//                     on one thread turns of core::complete_and_claim (the last turn's claims
//                     recorded as delivered with the payload's body, BATCH more claimed) until all
//                     N are delivered. Prints the thread's CPU microseconds per delivery (per_s is
//                     deliveries per CPU second): what the db thread spends on each, without the
//                     scheduling noise of the three-thread phases.
// Prints one TSV row (--header prints the column names; io_cpu_us is the io thread's CPU per
// delivery, durable, nominal and bare). Lateness is read from the database
// (dispatch_attempts.started_ms of attempt 1 − dispatches.due_ms), so it is every dispatch's, not a
// histogram bucket.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <unistd.h>

#include "core/channels/message_renderer.hpp"
#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/dispatch_store.hpp"
#include "core/storage/plan_store.hpp"
#include "scheduler/dispatch/payload.hpp"
#include "scheduler/dispatch/signature.hpp"
#include "server/app/db_executor.hpp"
#include "server/dispatch/runner.hpp"
#include "server/dispatch/webhook_client.hpp"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace loa;
using namespace std::chrono_literals;
using core::ms_time;
using steady = std::chrono::steady_clock;

struct options {
    std::string phase;
    std::string url;  // the sink
    fs::path db;
    int n = 20'000;
    int concurrency = 64;  // the target's, and the bare loop's workers
    int rate = 500;        // nominal: placements due per second
    int seconds = 20;      // nominal: for this long
    int margin_s = 8;      // T0 this far after the start of the setup
    int max_in_flight = 512;
    int batch = 256;
    int claim_depth = -1;  // -1: the runner's default
    unsigned threads = 1;  // io threads
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "dispatch_bench: " << why
              << "\nusage: dispatch_bench --header | --phase durable|bare|nominal|store --db FILE --url URL [--n N]"
                 " [--concurrency C] [--rate R] [--seconds S] [--margin S] [--max-in-flight M] [--batch B]"
                 " [--claim-depth D] [--threads T]\n";
    std::exit(2);
}

// Each of this process's threads (/proc/self/task/*/schedstat), by thread id: nanoseconds on a CPU
// and nanoseconds runnable but waiting for one.
struct thread_times {
    std::int64_t cpu_ns = 0, wait_ns = 0;
};
std::map<std::string, thread_times> cpu_by_thread() {
    std::map<std::string, thread_times> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc/self/task", ec)) {
        std::ifstream in(e.path() / "schedstat");
        thread_times t;
        if (in >> t.cpu_ns >> t.wait_ns) out[e.path().filename().string()] = t;
    }
    return out;
}

// The threads' CPU time between two snapshots, per delivery, busiest first, and the time each of
// them waited for a CPU while it could run (stderr). Returns the busiest thread's CPU per delivery
// (the io thread's, in the durable and the bare loop alike).
double print_cpu(const std::map<std::string, thread_times>& before, const std::map<std::string, thread_times>& after,
               std::int64_t n) {
    struct row {
        double cpu_us, wait_us;
        bool is_main;
    };
    std::vector<row> rows;
    const std::string main_tid = std::to_string(::getpid());
    const auto per = [n](std::int64_t ns) {
        return static_cast<double>(ns) / 1000.0 / static_cast<double>(std::max<std::int64_t>(n, 1));
    };
    for (const auto& [tid, t] : after) {
        const auto it = before.find(tid);
        const thread_times b = it == before.end() ? thread_times{} : it->second;
        if (t.cpu_ns - b.cpu_ns > 0) rows.push_back({per(t.cpu_ns - b.cpu_ns), per(t.wait_ns - b.wait_ns), tid == main_tid});
    }
    std::sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.cpu_us > b.cpu_us; });
    std::cerr << "dispatch bench: CPU per delivery by thread (us; * the main thread):";
    for (const auto& r : rows) std::cerr << ' ' << std::round(r.cpu_us * 10) / 10 << (r.is_main ? "*" : "");
    std::cerr << "\ndispatch bench: waiting for a CPU per delivery, same order (us):";
    for (const auto& r : rows) std::cerr << ' ' << std::round(r.wait_us * 10) / 10;
    std::cerr << '\n';
    for (const auto& r : rows)
        if (!r.is_main) return r.cpu_us;
    return std::nan("");
}

ms_time now_ms() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const core::audit_actor bench_actor{std::nullopt, "bench"};

struct lateness {
    double p50 = 0, p99 = 0, max = 0;
};

double percentile(const std::vector<double>& sorted, double p) {  // nearest rank
    if (sorted.empty()) return std::nan("");
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// A fresh database with the Hai Phong campaign, a placement of its radio hotline message on its
// first radio outlet at each of `starts`, and a target for that outlet at `url` (its dispatches
// enqueued by add_target in the same transaction).
void seed(const fs::path& path, const std::vector<std::chrono::sys_seconds>& starts, const std::string& url,
          int concurrency) {
    fs::remove(path);
    fs::remove(fs::path(path.string() + "-wal"));
    fs::remove(fs::path(path.string() + "-shm"));
    auto loaded = core::load_campaign_file(fs::path(LOA_SOURCE_DIR) / "campaigns" / "haiphong-2024-anti-trafficking.yaml");
    if (!loaded.value) throw std::runtime_error("the Hai Phong campaign does not load");
    const core::campaign& c = *loaded.value;
    const core::outlet* radio = nullptr;
    for (const auto& o : c.outlets)
        if (o.kind == "radio" && !o.dayparts.empty()) {
            radio = &o;
            break;
        }
    const core::message* msg = nullptr;
    for (const auto& m : c.messages)
        if (m.state == "approved" && std::find(m.channels.begin(), m.channels.end(), "radio") != m.channels.end() &&
            (m.outlets.empty() || (radio && std::find(m.outlets.begin(), m.outlets.end(), radio->slug) != m.outlets.end()))) {
            msg = &m;
            break;
        }
    if (!radio || !msg) throw std::runtime_error("no radio outlet or approved radio message in the campaign");

    core::database db(path);
    core::import_campaigns(db, {c});
    core::plan_run run;
    run.campaign = c.slug;
    run.range_from = "2024-07-01";
    run.range_to = "2024-08-31";
    run.as_of = "2024-06-30T00:00:00Z";
    run.placed = static_cast<int>(starts.size());
    run.wanted = run.placed;
    run.report_json = "{}";
    std::vector<core::new_placement> added;
    added.reserve(starts.size());
    for (const auto s : starts) {
        core::new_placement p;
        p.message = msg->id;
        p.outlet = radio->slug;
        p.start = s;
        p.duration_s = msg->duration_s;
        p.daypart = radio->dayparts.front().code;
        p.weight = 8;
        p.value = 64;
        added.push_back(std::move(p));
    }
    core::store_plan(db, run, {}, added, bench_actor);
    core::dispatch_target t;
    t.name = "bench-sink";
    t.outlet = radio->slug;
    t.url = url;
    t.secret = secret;
    t.concurrency = concurrency;
    core::add_target(db, t, now_ms(), bench_actor);
}

struct durable_result {
    std::int64_t delivered = 0, other = 0;  // dispatches delivered; in any other state
    double seconds = 0;                     // first attempt start → last completion recorded
    lateness late;
    std::int64_t sink_requests = -1;
    double io_cpu_us = std::nan("");  // the io thread's CPU per delivery
};

// Runs the real runner (the server's settings) on the system clock until `n` dispatches are
// delivered and every attempt's outcome is written (or `limit` passes): that is the end of the run;
// then stops it.
durable_result run_runner(const options& o, const std::string& url, std::int64_t n, std::chrono::sys_seconds t0,
                          std::chrono::seconds limit) {
    durable_result out;
    asio::io_context ioc(static_cast<int>(o.threads));
    auto guard = asio::make_work_guard(ioc);
    std::vector<std::thread> io;
    for (unsigned i = 0; i < o.threads; ++i) io.emplace_back([&] { ioc.run(); });
    steady::time_point end{};
    {
        app::db_executor db(o.db, {});
        delivery::client_settings cs;  // the server's defaults (5 s connect, 10 s response)
        cs.addresses.allow_loopback = true;
        delivery::webhook_client client(ioc.get_executor(), cs);
        auto clock = delivery::make_system_clock(ioc.get_executor());
        const core::channel_templates templates(fs::path(LOA_SOURCE_DIR) / "templates" / "messages");
        delivery::runner_settings rs;  // as server.cpp's runner_settings_of with the default settings
        rs.poll = 500ms;
        rs.max_in_flight = o.max_in_flight;
        rs.batch = std::min(o.batch, rs.max_in_flight);
        if (o.claim_depth > 0) rs.claim_depth = o.claim_depth;
        delivery::runner r(ioc.get_executor(), db, client, *clock, templates, rs);
        r.start();
        const auto until = steady::now() + limit;
        // Nothing is due before T0: this thread sleeps until then (waking every 5 ms from the start
        // cost more CPU than the runner's idle turns), and the threads' CPU is counted from there.
        std::this_thread::sleep_until(t0);
        const auto cpu_before = cpu_by_thread();
        // Settled: every dispatch delivered (or dead, missed, cancelled) and every attempt's outcome
        // written. Looked at every 5 ms (so the end is at most 5 ms late, 0.25 % of a 2 s run);
        // every 2 ms, this thread took ~3.5 µs of CPU per delivery from the three that work.
        const auto settled = [&r, n] {
            const auto c = r.counts();
            return c.delivered + c.dead + c.missed + c.cancelled >= n && c.recorded == c.attempts;
        };
        while (!settled() && steady::now() < until) std::this_thread::sleep_for(5ms);
        end = steady::now();
        const auto cpu_after = cpu_by_thread();
        r.stop();
        asio::co_spawn(ioc, r.stopped(), asio::use_future).get();
        out.io_cpu_us = print_cpu(cpu_before, cpu_after, n);
        std::cerr << "dispatch bench: " << r.counts().turns << " turns of the runner\n";
    }
    const ms_time end_wall = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - end);
    guard.reset();
    ioc.stop();
    for (auto& t : io) t.join();
    (void)url;

    SQLite::Database db(o.db.string());
    out.delivered = db.execAndGet("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'").getInt64();
    out.other = db.execAndGet("SELECT COUNT(*) FROM dispatches WHERE state <> 'delivered'").getInt64();
    // The first claim (claim_due sets first_attempt_ms to the claim's time).
    const std::int64_t first = db.execAndGet("SELECT MIN(first_attempt_ms) FROM dispatches").getInt64();
    out.seconds = static_cast<double>(end_wall.time_since_epoch().count() - first) / 1000.0;
    std::vector<double> late;
    late.reserve(static_cast<std::size_t>(n));
    // Start of the first attempt (the runner's clock as the attempt begins, after the claim) − due.
    SQLite::Statement q(db,
                        "SELECT a.started_ms - d.due_ms FROM dispatch_attempts a JOIN dispatches d ON d.id = a.dispatch_id "
                        "WHERE a.attempt = 1");
    while (q.executeStep()) late.push_back(static_cast<double>(q.getColumn(0).getInt64()) / 1000.0);
    std::sort(late.begin(), late.end());
    out.late = {percentile(late, 0.50), percentile(late, 0.99), late.empty() ? std::nan("") : late.back()};
    return out;
}

std::vector<std::chrono::sys_seconds> due_times(int per_second, int seconds, std::chrono::sys_seconds t0) {
    std::vector<std::chrono::sys_seconds> v;
    v.reserve(static_cast<std::size_t>(per_second) * static_cast<std::size_t>(seconds));
    for (int s = 0; s < seconds; ++s)
        for (int i = 0; i < per_second; ++i) v.push_back(t0 + std::chrono::seconds(s));
    return v;
}

// T0: the first whole second at least `margin` ahead.
std::chrono::sys_seconds t0_after(std::chrono::seconds margin) {
    return std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now() + margin);
}

durable_result durable(const options& o, const std::string& url, int per_second, int seconds) {
    const auto t0 = t0_after(std::chrono::seconds(o.margin_s));
    seed(o.db, due_times(per_second, seconds, t0), url, o.concurrency);
    if (std::chrono::system_clock::now() > t0 - 1s)
        throw std::runtime_error("setup ended less than a second before T0: raise --margin");
    const auto n = static_cast<std::int64_t>(per_second) * seconds;
    return run_runner(o, url, n, t0, std::chrono::seconds(seconds + 600));
}

// The store phase (see the top).
struct store_result {
    std::int64_t delivered = 0;
    double cpu_seconds = 0;
};

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

store_result store_only(const options& o, const std::string& url) {
    const auto t0 = t0_after(std::chrono::seconds(1));
    seed(o.db, due_times(o.n, 1, t0), url, o.concurrency);
    const ms_time now = std::chrono::time_point_cast<std::chrono::milliseconds>(t0) + 1s;
    core::database db(o.db);
    const core::channel_templates templates(fs::path(LOA_SOURCE_DIR) / "templates" / "messages");
    scheduler::dispatch::payload_source payloads(templates);
    store_result out;
    std::vector<core::attempt_record> finished;
    const double start = thread_cpu_seconds();
    for (;;) {
        // Turns of 2 × the target's concurrency (128 rows at 64): about the runner's turns in the
        // durable phase (20,000 rows in ~150 turns), which wait for many attempts to end.
        auto claimed = core::complete_and_claim(db, finished, now, 60s, o.batch, nullptr, nullptr, 2);
        out.delivered += static_cast<std::int64_t>(finished.size());
        finished.clear();
        if (claimed.empty()) break;
        for (const auto& c : claimed) {
            core::attempt_record r;
            r.dispatch_id = c.id;
            r.attempt = c.attempt;
            r.started = now;
            r.finished = now;
            r.status = 204;
            r.body = payloads.body_for(db, c, now, &r.shared_tail).value_or("{}");
            r.result = core::attempt_record::outcome::delivered;
            finished.push_back(std::move(r));
        }
    }
    out.cpu_seconds = thread_cpu_seconds() - start;
    return out;
}

struct bare_result {
    std::int64_t ok = 0, failed = 0;
    double seconds = 0;
    std::size_t body_bytes = 0;
    std::string first_error;
    double io_cpu_us = std::nan("");  // the io thread's CPU per delivery
};

struct bare_state {
    delivery::webhook_client* client = nullptr;
    const std::string* url = nullptr;
    const std::string* body = nullptr;
    int n = 0;
    // Every request's id and signature, made before the clock starts: the loop only POSTs.
    std::vector<std::string> ids, signatures;
    std::int64_t timestamp_s = 0;
    std::atomic<int> next{0};
    std::atomic<std::int64_t> ok{0}, failed{0};
    std::atomic<int> workers_left{0};
    std::mutex err_mutex;
    std::string first_error;
    std::promise<void> done;
};

// One of the bare loop's workers: signed POSTs with the same client, nothing else. The ids and
// signatures are made before the run (the runner signs on its db thread, not on the network
// thread; so that the baseline does no more on its network thread than the runner, it does less:
// no signing at all). The request is built once per worker: only the id and signature change per
// POST (the runner moves each claim's own body into its request, so neither side copies a body of
// its own before webhook_client::post, which takes the request by value).
asio::awaitable<void> bare_worker(bare_state* st) {
    delivery::webhook_request req;
    req.url = *st->url;
    req.body = *st->body;
    req.timestamp_s = st->timestamp_s;
    for (int i = st->next++; i < st->n; i = st->next++) {
        req.webhook_id = std::move(st->ids[static_cast<std::size_t>(i)]);
        req.signature = std::move(st->signatures[static_cast<std::size_t>(i)]);
        const auto r = co_await st->client->post(req);
        if (r.status && *r.status >= 200 && *r.status < 300) {
            ++st->ok;
        } else {
            ++st->failed;
            std::lock_guard lock(st->err_mutex);
            if (st->first_error.empty())
                st->first_error = r.error.empty() ? "status " + std::to_string(r.status.value_or(0)) : r.error;
        }
    }
    if (--st->workers_left == 0) st->done.set_value();
}

bare_result bare(const options& o, const std::string& url) {
    std::string body;
    {
        SQLite::Database db(o.db.string());
        SQLite::Statement q(db, "SELECT b.body FROM dispatch_sent_bodies b JOIN dispatches d ON d.id = b.id WHERE d.state = 'delivered' LIMIT 1");
        if (!q.executeStep()) throw std::runtime_error(o.db.string() + " holds no delivered dispatch: run --phase durable first");
        body = q.getColumn(0).getString();
    }
    bare_result out;
    out.body_bytes = body.size();
    asio::io_context ioc(static_cast<int>(o.threads));
    auto guard = asio::make_work_guard(ioc);
    std::vector<std::thread> io;
    for (unsigned i = 0; i < o.threads; ++i) io.emplace_back([&] { ioc.run(); });
    {
        delivery::client_settings cs;
        cs.addresses.allow_loopback = true;
        delivery::webhook_client client(ioc.get_executor(), cs);
        bare_state st;
        st.client = &client;
        st.url = &url;
        st.body = &body;
        st.n = o.n;
        st.timestamp_s = std::chrono::duration_cast<std::chrono::seconds>(now_ms().time_since_epoch()).count();
        st.ids.reserve(static_cast<std::size_t>(o.n));
        st.signatures.reserve(static_cast<std::size_t>(o.n));
        for (int i = 0; i < o.n; ++i) {
            st.ids.push_back("msg_bench_" + std::to_string(i));
            st.signatures.push_back(scheduler::dispatch::sign(secret, st.ids.back(), st.timestamp_s, body));
        }
        st.workers_left = o.concurrency;
        auto finished = st.done.get_future();
        const auto cpu_before = cpu_by_thread();
        const auto start = steady::now();
        for (int w = 0; w < o.concurrency; ++w) asio::co_spawn(ioc, bare_worker(&st), asio::detached);
        finished.wait();
        out.seconds = std::chrono::duration<double>(steady::now() - start).count();
        out.io_cpu_us = print_cpu(cpu_before, cpu_by_thread(), o.n);
        out.ok = st.ok.load();
        out.failed = st.failed.load();
        out.first_error = st.first_error;
    }
    guard.reset();
    ioc.stop();
    for (auto& t : io) t.join();
    return out;
}

int to_int(const char* s, const char* name, int least = 1) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(s, &used);
        if (used == std::string(s).size() && v >= least) return v;
    } catch (const std::exception&) {
    }
    usage(std::string(name) + (least > 0 ? ": expected a positive number" : ": expected a number ≥ 0"));
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--header") {
            std::cout << "phase\tconcurrency\tn\tok\tnot_ok\tseconds\tper_s\tbody_bytes\tlate_p50_s\tlate_p99_s\tlate_max_s\tio_cpu_us\n";
            return 0;
        }
        if (i + 1 >= argc) usage(a + ": missing value");
        const char* v = argv[++i];
        if (a == "--phase") o.phase = v;
        else if (a == "--url") o.url = v;
        else if (a == "--db") o.db = v;
        else if (a == "--n") o.n = to_int(v, "--n");
        else if (a == "--concurrency") o.concurrency = to_int(v, "--concurrency");
        else if (a == "--rate") o.rate = to_int(v, "--rate");
        else if (a == "--seconds") o.seconds = to_int(v, "--seconds");
        else if (a == "--margin") o.margin_s = to_int(v, "--margin");
        else if (a == "--max-in-flight") o.max_in_flight = to_int(v, "--max-in-flight");
        else if (a == "--batch") o.batch = to_int(v, "--batch");
        else if (a == "--claim-depth") o.claim_depth = to_int(v, "--claim-depth");
        else if (a == "--threads") o.threads = static_cast<unsigned>(to_int(v, "--threads"));
        else usage("unknown option " + a);
    }
    if (o.db.empty()) usage("--db is required");
    if (o.url.empty()) usage("--url is required (run.sh starts nginx and passes it)");
    const std::string& url = o.url;
    try {
        if (o.phase == "durable" || o.phase == "nominal") {
            const bool nominal = o.phase == "nominal";
            const auto r = nominal ? durable(o, url, o.rate, o.seconds) : durable(o, url, o.n, 1);
            const std::int64_t n = nominal ? static_cast<std::int64_t>(o.rate) * o.seconds : o.n;
            std::size_t bytes = 0;
            {
                SQLite::Database db(o.db.string());
                bytes = static_cast<std::size_t>(
                    db.execAndGet("SELECT COALESCE(MAX(LENGTH(CAST(body AS BLOB))), 0) FROM dispatch_sent_bodies").getInt64());
            }
            std::printf("%s\t%d\t%lld\t%lld\t%lld\t%.3f\t%.0f\t%zu\t%.3f\t%.3f\t%.3f\t%.1f\n", o.phase.c_str(),
                        o.concurrency, static_cast<long long>(n), static_cast<long long>(r.delivered),
                        static_cast<long long>(r.other), r.seconds, static_cast<double>(r.delivered) / r.seconds, bytes,
                        r.late.p50, r.late.p99, r.late.max, r.io_cpu_us);
            return r.delivered == n ? 0 : 1;
        }
        if (o.phase == "store") {
            const auto r = store_only(o, url);
            std::printf("store\t%d\t%d\t%lld\t%lld\t%.3f\t%.0f\t-\t-\t-\t-\t-\n", o.concurrency, o.n,
                        static_cast<long long>(r.delivered), static_cast<long long>(o.n - r.delivered), r.cpu_seconds,
                        static_cast<double>(r.delivered) / r.cpu_seconds);
            return r.delivered == o.n ? 0 : 1;
        }
        if (o.phase == "bare") {
            const auto r = bare(o, url);
            std::printf("bare\t%d\t%d\t%lld\t%lld\t%.3f\t%.0f\t%zu\t-\t-\t-\t%.1f\n", o.concurrency, o.n,
                        static_cast<long long>(r.ok), static_cast<long long>(r.failed), r.seconds,
                        static_cast<double>(r.ok) / r.seconds, r.body_bytes, r.io_cpu_us);
            if (!r.first_error.empty()) std::cerr << "dispatch_bench: bare: first failure: " << r.first_error << "\n";
            return r.failed == 0 ? 0 : 1;
        }
        usage("--phase: expected durable, bare, nominal or store");
    } catch (const std::exception& e) {
        std::cerr << "dispatch_bench: " << e.what() << "\n";
        return 1;
    }
}
