// The dispatcher end to end: the real `loa serve` on a real SQLite file delivers due placements to a
// real receiver in this process (tests/support/webhook_sink) as Standard Webhooks, with the
// approved Vietnamese text rendered in the body; `loa target` and `loa dispatch` through the real
// binary; `dispatch: off`, the address policy's loopback refusal and a requeue; a broken channel
// template stopping `loa serve`; and the crash test of issue 5 §5: 10,000 deliveries due, kill -9 in the middle, restart,
// every webhook-id seen at least once, duplicates only for what was in flight, a sound database.
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <date/date.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/storage/database.hpp"
#include "core/storage/dispatch_store.hpp"
#include "scheduler/dispatch/signature.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/webhook_sink.hpp"

extern char** environ;

namespace {
namespace dispatch_test_cpp {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using loa::testing::temp_dir;
using loa::testing::webhook_sink;

constexpr const char* haiphong = "haiphong-2024-anti-trafficking";
constexpr const char* test_slug = "hp-dispatch-test";
// 32 bytes of base64 after the prefix: 24 key bytes, the smallest the store accepts.
constexpr const char* given_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* message_text =
    "Gọi ngay 111 khi nghi ngờ trẻ em bị dụ dỗ, lừa bán – đường dây nóng miễn phí, 24/7.";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

using loa::test::run_result;

// build/loa with `args` (tests/integration/loa_process.hpp), its output kept in `dir`.
run_result loa(const temp_dir& dir, const std::vector<std::string>& args) {
    return loa::test::run_loa(dir.path(), args);
}

std::string last_line(const std::string& text) {
    std::string t = text;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    const auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

std::string iso_utc(std::chrono::sys_seconds t) {
    return date::format("%FT%TZ", t);
}

std::chrono::sys_seconds now_s() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// `loa serve` on the test's database, loopback receivers allowed, the port read from its line.
class server {
public:
    server(const temp_dir& dir, const std::string& db, const std::string& log_name, const std::string& extra_config = "",
           bool allow_loopback = true) {
        const fs::path config = dir.file("server.yaml");
        std::ofstream(config) << "access_log: off\ndispatch_poll: 100ms\nshutdown_grace: 5s\n" << extra_config;
        std::vector<std::string> args{"serve", "--db", db, "--listen", "127.0.0.1:0", "--config", config.string()};
        if (allow_loopback) args.insert(args.end(), {"--dispatch-allow", "loopback"});
        process_ = std::make_unique<loa::test::loa_process>(args, dir.file(log_name));
        const auto line = process_->read_line(30s);
        if (!line) throw std::runtime_error("loa serve printed no listening line: " + process_->stderr_text());
        port_ = static_cast<unsigned short>(std::stoul(line->substr(line->rfind(':') + 1)));
    }
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] loa::test::loa_process& process() { return *process_; }

private:
    std::unique_ptr<loa::test::loa_process> process_;
    unsigned short port_ = 0;
};

std::int64_t count(const std::string& db, const std::string& sql) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    d.exec("PRAGMA busy_timeout = 5000");
    return d.execAndGet(sql).getInt64();
}

// Waits until `sql` counts `want`; the last count seen.
std::int64_t wait_count(const std::string& db, const std::string& sql, std::int64_t want, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::int64_t n = -1;
    for (;;) {
        n = count(db, sql);
        if (n == want || std::chrono::steady_clock::now() > deadline) return n;
        std::this_thread::sleep_for(50ms);
    }
}

// A small campaign whose two outlets (a radio and a loudspeaker system, in Hai Phong's zone) have
// one break each at `slot` (UTC, whole minute): the one day of the message's flight.
std::string test_campaign(std::chrono::sys_seconds slot) {
    const auto local = slot + 7h;  // Asia/Ho_Chi_Minh: UTC+7, no daylight saving
    const auto day = date::floor<date::days>(local);
    const std::string d = date::format("%F", day);
    const std::string before = date::format("%F", day - date::days{1});
    const std::string after = date::format("%F", day + date::days{1});
    const std::string hhmm = date::format("%H:%M", local);
    std::ostringstream y;
    y << "campaign:\n"
         "  slug: "
      << test_slug
      << "\n"
         "  title: {vi: Thử nghiệm gửi tin Hải Phòng, en: Hai Phong dispatch test}\n"
         "  theme: {vi: Không để trẻ em nào bị bỏ lại phía sau, en: No child left behind}\n"
         "  period: {start: "
      << before << ", end: " << after
      << "}\n"
         "  time_zone: Asia/Ho_Chi_Minh\n"
         "  hotlines:\n"
         "    - {number: 111, name: {vi: Tổng đài quốc gia bảo vệ trẻ em, en: National child protection hotline}, hours: 24/7}\n"
         "departments:\n"
         "  - {code: police, name: {vi: Công an thành phố, en: City Police}}\n"
         "outlets:\n"
         "  - slug: test-radio\n"
         "    name: {vi: Đài phát thanh thử nghiệm, en: Test radio}\n"
         "    kind: radio\n"
         "    time_zone: Asia/Ho_Chi_Minh\n"
         "    dayparts:\n"
         "      - {code: all-day, name: {vi: Cả ngày, en: All day}, start: \"00:00\", end: \"24:00\"}\n"
         "    break_clock:\n"
         "      - {at: \""
      << hhmm
      << "\", seconds: 60}\n"
         "  - slug: test-loa\n"
         "    name: {vi: Loa phường Lê Chân, en: Le Chan loudspeakers}\n"
         "    kind: loudspeaker\n"
         "    time_zone: Asia/Ho_Chi_Minh\n"
         "    dayparts:\n"
         "      - {code: all-day, name: {vi: Cả ngày, en: All day}, start: \"00:00\", end: \"24:00\"}\n"
         "    break_clock:\n"
         "      - {at: \""
      << hhmm
      << "\", seconds: 60}\n"
         "messages:\n"
         "  - id: hotline-111\n"
         "    department: police\n"
         "    title: {vi: Đường dây nóng 111}\n"
         "    text: {vi: \""
      << message_text
      << "\"}\n"
         "    channels: [radio, loudspeaker]\n"
         "    duration_s: 30\n"
         "    flight: {start: "
      << d << ", end: " << d
      << "}\n"
         "    airings: 2\n"
         "    state: approved\n";
    return y.str();
}

class dispatch_e2e : public ::testing::Test {
protected:
    [[nodiscard]] std::string db() const { return dir_.file("loa.db").string(); }
    temp_dir dir_;
};

TEST_F(dispatch_e2e, a_stored_plan_goes_out_as_signed_webhooks_with_the_approved_vietnamese_text) {
    // The break two to three minutes ahead; the targets' lead makes its placements due in seconds.
    const auto slot = date::ceil<std::chrono::minutes>(now_s()) + 2min;
    const fs::path campaign_file = dir_.file("test.yaml");
    std::ofstream(campaign_file) << test_campaign(slot);
    auto r = loa(dir_, {"import", LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml",
                        campaign_file.string(), "--db", db()});
    ASSERT_EQ(r.status, 0) << r.err << r.out;

    webhook_sink sink({}, 2);
    server srv(dir_, db(), "serve.log");

    const auto lead = std::chrono::duration_cast<std::chrono::seconds>(slot - now_s()) - 3s;
    // One target for the outlet, with a secret made for it (the last line of output) ...
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "dai-test-automation", "--outlet", "test-radio", "--url",
                   sink.url("/hooks/radio"), "--lead", std::to_string(lead.count()) + "s", "--concurrency", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string radio_secret = last_line(r.out);
    ASSERT_TRUE(radio_secret.starts_with("whsec_")) << r.out;
    ASSERT_TRUE(loa::scheduler::dispatch::secret_key(radio_secret)) << radio_secret;
    // ... and one for every loudspeaker system, with the receiver's own secret (none printed).
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "loa-gateway", "--kind", "loudspeaker", "--url",
                   sink.url("/hooks/loa"), "--lead", std::to_string(lead.count()) + "s", "--secret", given_secret});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(contains(r.out, "whsec_")) << r.out;

    // The plan is stored in the same transaction as its dispatches.
    r = loa(dir_, {"plan", "--db", db(), "--campaign", test_slug});
    ASSERT_EQ(r.status, 0) << r.err << r.out;
    ASSERT_EQ(count(db(), "SELECT COUNT(*) FROM placements p JOIN campaigns c ON c.id = p.campaign_id WHERE c.slug = '" +
                              std::string(test_slug) + "'"),
              2)
        << r.out;
    ASSERT_EQ(count(db(), "SELECT COUNT(*) FROM dispatches"), 2);

    ASSERT_TRUE(sink.wait_for(2, 30s)) << srv.process().stderr_text();
    const auto got = sink.requests();
    std::set<std::string> paths;
    for (const auto& req : got) {
        SCOPED_TRACE(req.target);
        paths.insert(req.target);
        EXPECT_EQ(req.method, "POST");
        EXPECT_TRUE(req.content_type.starts_with("application/json")) << req.content_type;
        const std::string& secret = req.target == "/hooks/radio" ? radio_secret : std::string(given_secret);
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        EXPECT_TRUE(loa::scheduler::dispatch::verify(secret, req.webhook_id, req.webhook_timestamp, req.body,
                                                     req.webhook_signature, now))
            << req.webhook_signature;
        EXPECT_FALSE(loa::scheduler::dispatch::verify(secret, req.webhook_id, req.webhook_timestamp, req.body + " ",
                                                      req.webhook_signature, now));
        const json::object doc = json::parse(req.body).as_object();
        EXPECT_EQ(doc.at("type").as_string(), "placement.due");
        const json::object& data = doc.at("data").as_object();
        EXPECT_EQ(data.at("webhook_id").as_string(), req.webhook_id);
        EXPECT_EQ(data.at("campaign").as_object().at("slug").as_string(), test_slug);
        EXPECT_EQ(data.at("message").as_object().at("code").as_string(), "hotline-111");
        EXPECT_EQ(data.at("outlet").as_object().at("slug").as_string(),
                  req.target == "/hooks/radio" ? "test-radio" : "test-loa");
        EXPECT_EQ(data.at("slot").as_object().at("start_utc").as_string(), iso_utc(slot));
        const json::array& content = data.at("content").as_array();
        ASSERT_FALSE(content.empty());
        EXPECT_EQ(content[0].as_object().at("lang").as_string(), "vi");
        const std::string text(content[0].as_object().at("text").as_string());
        EXPECT_TRUE(contains(text, message_text)) << text;
        // Rendered for the slot: when it airs, on the outlet's clock.
        EXPECT_TRUE(contains(text, "Phát lúc " + date::format("%H:%M", slot + 7h))) << text;
    }
    EXPECT_EQ(paths, (std::set<std::string>{"/hooks/radio", "/hooks/loa"}));

    // Delivered, and the placements told to their outlets are published.
    const std::string delivered = "SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'";
    EXPECT_EQ(wait_count(db(), delivered, 2, 10s), 2);
    EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM placements WHERE state = 'published'"), 2);
    r = loa(dir_, {"dispatch", "--db", db(), "--status"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "delivered")) << r.out;
    r = loa(dir_, {"dispatch", "--db", db(), "--status", "--format", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    const json::object status = json::parse(r.out).as_object();
    EXPECT_EQ(status.at("by_state").as_object().at("delivered").as_int64(), 2);
    EXPECT_EQ(status.at("by_state").as_object().at("pending").as_int64(), 0);
    EXPECT_EQ(status.at("due_now").as_int64(), 0);
    EXPECT_EQ(status.at("targets").as_int64(), 2);

    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--target", "loa-gateway", "--format", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    const json::array rows = json::parse(r.out).as_array();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].as_object().at("state").as_string(), "delivered");
    EXPECT_EQ(rows[0].as_object().at("attempts").as_int64(), 1);
    EXPECT_EQ(rows[0].as_object().at("last_status").as_int64(), 200);
    EXPECT_EQ(rows[0].as_object().at("outlet").as_string(), "test-loa");
    {
        // The table's last column says the status once, also when loa's own words begin with it.
        SQLite::Database d(db(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA busy_timeout = 5000");
        d.exec("UPDATE dispatches SET last_status = 500, last_error = 'HTTP 500, retry in 4.7 s' WHERE id = " +
               std::to_string(rows[0].as_object().at("id").as_int64()));
    }
    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--target", "loa-gateway"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "\tHTTP 500, retry in 4.7 s\n")) << r.out;
    EXPECT_FALSE(contains(r.out, "HTTP 500: HTTP 500")) << r.out;

    // Metrics: the outbox by state, the outcomes and the lateness of the two first attempts.
    const auto metrics = loa::test::http_get(srv.port(), "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_TRUE(contains(metrics->body, "loa_dispatch_queue_depth{state=\"delivered\"} 2\n")) << metrics->body;
    EXPECT_TRUE(contains(metrics->body, "loa_dispatch_outcomes_total{outcome=\"delivered\"} 2\n")) << metrics->body;
    EXPECT_TRUE(contains(metrics->body, "loa_dispatch_lateness_seconds_count 2\n")) << metrics->body;

    // A delivered dispatch is not requeued; a graceful stop exits 0.
    r = loa(dir_, {"dispatch", "--db", db(), "--requeue", std::to_string(rows[0].as_object().at("id").as_int64())});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--requeue")) << r.err;
    EXPECT_TRUE(contains(r.err, "delivered")) << r.err;
    srv.process().signal(SIGTERM);
    EXPECT_EQ(srv.process().wait(15s), 0) << srv.process().stderr_text();
}

TEST_F(dispatch_e2e, target_and_dispatch_commands_name_the_flag_that_is_wrong) {
    auto r = loa(dir_, {"import", LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml", "--db", db()});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string url = "https://hooks.example.org/loa";

    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--outlet", "thp-tvv", "--url", url});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--outlet: ")) << r.err;
    EXPECT_TRUE(contains(r.err, "thp-tvv")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "fax", "--url", url});
    EXPECT_EQ(r.status, 2);  // a choice not offered
    EXPECT_TRUE(contains(r.err, "--kind: unknown outlet kind 'fax'")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv", "--url", "ftp://máy-chủ/"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--url: ")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv", "--url", url, "--secret", "bí-mật"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--secret: ")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv", "--url", url, "--grace", "15 phút"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--grace: ")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv", "--url", url, "--concurrency", "0"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--concurrency: ")) << r.err;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv", "--outlet", "thp-tv", "--url", url});
    EXPECT_EQ(r.status, 2);
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "x", "--kind", "tv"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "--url")) << r.err;
    r = loa(dir_, {"target", "add", "--db", dir_.file("none.db").string(), "--name", "x", "--kind", "tv", "--url", url});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--db: ")) << r.err;
    EXPECT_FALSE(fs::exists(dir_.file("none.db")));
    r = loa(dir_, {"target", "rename", "--db", db()});
    EXPECT_EQ(r.status, 2);

    // A good one, then the same name again, list, disable with a reason, status, enable, remove.
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "thp-playout", "--outlet", "thp-tv", "--url", url,
                   "--grace", "10m", "--retry-window", "2d", "--lead", "5m"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "grace 10m, retry window 2d, lead 5m")) << r.out;
    r = loa(dir_, {"target", "add", "--db", db(), "--name", "thp-playout", "--kind", "tv", "--url", url});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--name: ")) << r.err;
    r = loa(dir_, {"target", "list", "--db", db()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "thp-playout\toutlet thp-tv\t" + url)) << r.out;
    EXPECT_FALSE(contains(r.out, "whsec_")) << r.out;
    r = loa(dir_, {"target", "disable", "--db", db(), "--name", "thp-playout", "--reason", "Đài bảo trì hệ thống"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--status"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "targets: 1 (1 disabled)")) << r.out;
    EXPECT_TRUE(contains(r.out, "thp-playout: Đài bảo trì hệ thống")) << r.out;
    // Disabled again without a reason: the written one stays; a new reason replaces it.
    r = loa(dir_, {"target", "disable", "--db", db(), "--name", "thp-playout"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--status"});
    EXPECT_TRUE(contains(r.out, "thp-playout: Đài bảo trì hệ thống")) << r.out;
    r = loa(dir_, {"target", "disable", "--db", db(), "--name", "thp-playout", "--reason", "Chờ thay máy chủ"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--status"});
    EXPECT_TRUE(contains(r.out, "thp-playout: Chờ thay máy chủ")) << r.out;
    r = loa(dir_, {"target", "enable", "--db", db(), "--name", "thp-playout"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa(dir_, {"target", "remove", "--db", db(), "--name", "thp-playout"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = loa(dir_, {"target", "remove", "--db", db(), "--name", "thp-playout"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--name: ")) << r.err;

    r = loa(dir_, {"dispatch", "--db", db()});
    EXPECT_EQ(r.status, 2);
    r = loa(dir_, {"dispatch", "--db", db(), "--status", "--list"});
    EXPECT_EQ(r.status, 2);
    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--state", "sent"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "--state")) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--target", "nobody"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--target: ")) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--campaign", "khong-co"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--campaign: ")) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--list", "--state", "dead"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "no dispatches\n");
    r = loa(dir_, {"dispatch", "--db", db(), "--requeue", "abc"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "--requeue: ")) << r.err;
    r = loa(dir_, {"dispatch", "--db", db(), "--requeue", "999999"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(contains(r.err, "no dispatch 999999")) << r.err;

    r = loa(dir_, {"serve", "--db", db(), "--dispatch-allow", "lan"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(contains(r.err, "--dispatch-allow: ")) << r.err;
}

// `loa serve` with a copy of the shipped templates whose channel templates (messages/) `change`
// altered, found through LOA_WEB_DIR beside them.
run_result serve_with_channel_templates(const temp_dir& dir, const std::string& db,
                                        const std::function<void(const fs::path&)>& change) {
    const fs::path templates = dir.file("templates");
    fs::copy(LOA_SOURCE_DIR "/templates", templates, fs::copy_options::recursive);
    change(templates / "messages");
    ::setenv("LOA_WEB_DIR", (templates / "web").c_str(), 1);
    auto r = loa(dir, {"serve", "--db", db, "--listen", "127.0.0.1:0"});
    ::unsetenv("LOA_WEB_DIR");
    return r;
}

TEST_F(dispatch_e2e, a_broken_channel_template_stops_serve_before_it_listens) {
    // One channel template names a variable that does not exist.
    const auto r = serve_with_channel_templates(dir_, db(), [](const fs::path& messages) {
        std::ofstream(messages / "radio.mustache", std::ios::app) << "\n{{ten_chien_dich}}\n";
    });
    EXPECT_EQ(r.status, 3);
    EXPECT_TRUE(contains(r.err, "channel templates")) << r.err;
    EXPECT_TRUE(contains(r.err, "radio.mustache:")) << r.err;
    EXPECT_TRUE(contains(r.err, "ten_chien_dich")) << r.err;
    EXPECT_FALSE(contains(r.out, "listening")) << r.out;
}

TEST_F(dispatch_e2e, a_missing_channel_template_stops_serve_before_it_listens) {
    // Without it serve would start and cancel every dispatch to loudspeakers with "body not built".
    const auto r = serve_with_channel_templates(
        dir_, db(), [](const fs::path& messages) { fs::remove(messages / "loudspeaker.mustache"); });
    EXPECT_EQ(r.status, 3);
    EXPECT_TRUE(contains(r.err, "channel templates")) << r.err;
    EXPECT_TRUE(contains(r.err, "loudspeaker.mustache: missing")) << r.err;
    EXPECT_FALSE(contains(r.out, "listening")) << r.out;
}

// The Hai Phong plan (a rehearsal, stored) moved to start `start`; `targets` targets per outlet kind
// that has placements, all pointing at `sink`, added through the store (each queues the placements
// of its kind). Returns how many dispatches that made.
std::int64_t due_hai_phong(const temp_dir& dir, const std::string& db, const webhook_sink& sink,
                           std::chrono::sys_seconds start, std::int64_t at_least) {
    auto r = loa(dir, {"import", LOA_SOURCE_DIR "/campaigns/haiphong-2024-anti-trafficking.yaml", "--db", db});
    if (r.status != 0) throw std::runtime_error("import: " + r.err);
    r = loa(dir, {"plan", "--db", db, "--campaign", haiphong});
    if (r.status != 0) throw std::runtime_error("plan: " + r.err);
    loa::core::database store(db);
    SQLite::Statement move(store.sql(), "UPDATE placements SET start_utc = ?");
    move.bind(1, iso_utc(start));
    move.exec();
    std::map<std::string, std::int64_t> per_kind;
    SQLite::Statement kinds(store.sql(),
                            "SELECT o.kind, COUNT(*) FROM placements p JOIN outlets o ON o.id = p.outlet_id "
                            "WHERE p.state = 'planned' GROUP BY o.kind");
    while (kinds.executeStep()) per_kind[kinds.getColumn(0).getString()] = kinds.getColumn(1).getInt64();
    if (per_kind.empty()) throw std::runtime_error("the Hai Phong plan has no placements");
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    std::int64_t total = 0;
    for (int round = 0; total < at_least; ++round) {
        for (const auto& [kind, n] : per_kind) {
            if (total >= at_least) break;
            loa::core::dispatch_target t;
            t.name = "sink-" + kind + "-" + std::to_string(round);
            t.outlet_kind = kind;
            t.url = sink.url("/" + t.name);
            t.secret = given_secret;
            t.concurrency = 8;
            (void)loa::core::add_target(store, t, now, loa::core::audit_actor{std::nullopt, "test"});
            total += n;
        }
    }
    return total;
}

TEST_F(dispatch_e2e, dispatch_off_sends_nothing_loopback_is_refused_unless_allowed_and_a_requeue_goes_out) {
    webhook_sink sink({}, 2);
    const std::int64_t total = due_hai_phong(dir_, db(), sink, now_s() - 1s, 1);
    ASSERT_GT(total, 0);
    const std::string dead = "SELECT COUNT(*) FROM dispatches WHERE state = 'dead'";
    {
        server srv(dir_, db(), "serve-off.log", "dispatch: off\n");
        std::this_thread::sleep_for(1s);
        EXPECT_EQ(sink.count(), 0u);
        EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM dispatches WHERE state = 'pending'"), total);
        const auto metrics = loa::test::http_get(srv.port(), "/metrics");
        ASSERT_TRUE(metrics);
        EXPECT_TRUE(contains(metrics->body, "loa_dispatch_queue_depth{state=\"pending\"} " + std::to_string(total) + "\n"))
            << metrics->body;
        EXPECT_TRUE(contains(metrics->body, "loa_dispatch_due " + std::to_string(total) + "\n")) << metrics->body;
        EXPECT_FALSE(contains(metrics->body, "loa_dispatch_outcomes_total")) << metrics->body;
        srv.process().signal(SIGTERM);
        EXPECT_EQ(srv.process().wait(15s), 0) << srv.process().stderr_text();
    }
    {
        // Without --dispatch-allow loopback the receiver's address is refused: dead at once, unsent.
        server srv(dir_, db(), "serve-refused.log", "", false);
        EXPECT_EQ(wait_count(db(), dead, total, 20s), total) << srv.process().stderr_text();
        EXPECT_EQ(sink.count(), 0u);
        srv.process().signal(SIGTERM);
        EXPECT_EQ(srv.process().wait(15s), 0) << srv.process().stderr_text();
    }
    auto r = loa(dir_, {"dispatch", "--db", db(), "--list", "--state", "dead", "--limit", "1", "--format", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    const json::array rows = json::parse(r.out).as_array();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(contains(std::string(rows[0].as_object().at("last_error").as_string()), "loopback")) << rows[0];
    const auto id = rows[0].as_object().at("id").as_int64();
    r = loa(dir_, {"dispatch", "--db", db(), "--requeue", std::to_string(id)});
    ASSERT_EQ(r.status, 0) << r.err;
    {
        server srv(dir_, db(), "serve-allowed.log");
        ASSERT_TRUE(sink.wait_for(1, 20s)) << srv.process().stderr_text();
        EXPECT_EQ(wait_count(db(), "SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'", 1, 10s), 1);
        EXPECT_EQ(count(db(), dead), total - 1);
        const auto got = sink.requests();
        ASSERT_EQ(got.size(), 1u);
        EXPECT_EQ(got[0].webhook_id, std::string(rows[0].as_object().at("webhook_id").as_string()));
        srv.process().signal(SIGTERM);
        EXPECT_EQ(srv.process().wait(15s), 0) << srv.process().stderr_text();
    }
}

// Issue 5 §5. The Hai Phong plan (a rehearsal, stored) is moved to start now, and enough targets
// are added through the store (one per outlet kind in turn) to make 10,000 dispatches due at once.
TEST_F(dispatch_e2e, crash_test_kill_9_in_the_middle_of_10000_deliveries) {
    const auto t0 = std::chrono::steady_clock::now();
    webhook_sink sink({}, 4);
    const std::int64_t total = due_hai_phong(dir_, db(), sink, now_s() + 2s, 10'000);
    ASSERT_EQ(count(db(), "SELECT COUNT(*) FROM dispatches WHERE state = 'pending'"), total);
    std::cout << "[ crash    ] " << total << " dispatches due; set up in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count()
              << " ms\n";

    // Kill -9 once the receiver has seen some thousands.
    std::set<std::string> in_flight_at_kill;
    std::size_t seen_at_kill = 0;
    {
        server srv(dir_, db(), "serve-1.log");
        const auto started = std::chrono::steady_clock::now();
        ASSERT_TRUE(sink.wait_for(3'000, 60s)) << sink.count() << " seen; " << srv.process().stderr_text();
        srv.process().signal(SIGKILL);
        ASSERT_EQ(srv.process().wait(10s), 128 + SIGKILL);
        seen_at_kill = sink.count();
        std::cout << "[ crash    ] killed after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                  << " ms with " << seen_at_kill << " webhooks received\n";
    }
    // What was in flight, read before anything touches the database again.
    {
        SQLite::Database d(db(), SQLite::OPEN_READWRITE);
        SQLite::Statement st(d, "SELECT webhook_id FROM dispatches WHERE state = 'in_flight'");
        while (st.executeStep()) in_flight_at_kill.insert(st.getColumn(0).getString());
        const auto delivered = d.execAndGet("SELECT COUNT(*) FROM dispatches WHERE state = 'delivered'").getInt64();
        std::cout << "[ crash    ] at the kill: " << delivered << " delivered, " << in_flight_at_kill.size()
                  << " in flight\n";
        EXPECT_LT(delivered, total) << "the kill came after the end";
    }

    // Restart: the leases are taken back and everything is delivered.
    {
        server srv(dir_, db(), "serve-2.log");
        const auto started = std::chrono::steady_clock::now();
        const std::int64_t open = wait_count(
            db(), "SELECT COUNT(*) FROM dispatches WHERE state IN ('pending', 'in_flight', 'retrying')", 0, 120s);
        EXPECT_EQ(open, 0) << srv.process().stderr_text();
        std::cout << "[ crash    ] after the restart, all final in "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                  << " ms\n";
        EXPECT_TRUE(contains(srv.process().stderr_text(), "took back")) << srv.process().stderr_text();
        srv.process().signal(SIGTERM);
        EXPECT_EQ(srv.process().wait(15s), 0) << srv.process().stderr_text();
    }

    // Every webhook-id seen at least once, each signed; duplicates only of what was in flight.
    std::map<std::string, int> seen;
    const auto requests = sink.requests();
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::size_t bad_signatures = 0;
    for (const auto& req : requests) {
        ++seen[req.webhook_id];
        if (!loa::scheduler::dispatch::verify(given_secret, req.webhook_id, req.webhook_timestamp, req.body,
                                              req.webhook_signature, now, 600))
            ++bad_signatures;
    }
    EXPECT_EQ(bad_signatures, 0u);
    SQLite::Database d(db(), SQLite::OPEN_READONLY);
    SQLite::Statement st(d, "SELECT webhook_id, state FROM dispatches");
    std::size_t rows = 0;
    std::size_t unseen = 0;
    std::size_t not_delivered = 0;
    while (st.executeStep()) {
        ++rows;
        if (!seen.contains(st.getColumn(0).getString())) ++unseen;
        if (st.getColumn(1).getString() != "delivered") ++not_delivered;
    }
    EXPECT_EQ(rows, static_cast<std::size_t>(total));
    EXPECT_EQ(unseen, 0u);
    EXPECT_EQ(not_delivered, 0u);
    std::size_t duplicated = 0;
    std::size_t wrongly_duplicated = 0;
    for (const auto& [id, n] : seen) {
        if (n < 2) continue;
        ++duplicated;
        if (!in_flight_at_kill.contains(id)) ++wrongly_duplicated;
    }
    EXPECT_EQ(wrongly_duplicated, 0u);
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(total));
    std::cout << "[ crash    ] " << requests.size() << " webhooks received for " << seen.size() << " ids; "
              << duplicated << " ids twice (of " << in_flight_at_kill.size() << " in flight at the kill); total "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count()
              << " ms\n";
    EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace dispatch_test_cpp
}  // namespace
