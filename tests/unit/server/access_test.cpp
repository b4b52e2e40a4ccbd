// The one permission check point, through the real dispatch() on a real SQLite file: every route of
// handlers::routes() × {anonymous, viewer, editor, approver, admin} is allowed or refused exactly as
// its `need` says (routes added later are covered without touching this test); CSRF tokens on
// state-changing requests; the login form's own token; throttling answers 429 before any hashing.
#include "server/http/dispatch.hpp"

#include <array>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/storage/user_store.hpp"
#include "server/app/auth.hpp"
#include "server/app/passwords.hpp"
#include "server/handlers/routes.hpp"

namespace {
namespace access_test_cpp {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using loa::http::access;
using loa::http::refusal;
using loa::http::request;

// The role order, written out here rather than taken from app::permissions, so that the test
// checks the code instead of repeating it.
int need_rank(access a) {
    switch (a) {
        case access::anyone:
            return 0;
        case access::viewer:
            return 1;
        case access::editor:
            return 2;
        case access::approver:
            return 3;
        case access::admin:
            return 4;
    }
    return 99;
}

struct role_case {
    const char* role;  // "" = anonymous
    int rank;
};
constexpr std::array<role_case, 5> roles = {
    {{"", 0}, {"viewer", 1}, {"editor", 2}, {"approver", 3}, {"admin", 4}}};

const std::string good_password = "đúng mật khẩu 2024";

class access_test : public ::testing::Test {
protected:
    access_test()
        : dir_(fs::temp_directory_path() / ("loa-access-test-" + std::to_string(std::random_device{}()))) {
        fs::create_directories(dir_);
        {
            loa::core::database db(dir_ / "loa.db");
            const std::string hash = loa::app::hash_password(good_password);
            for (const auto& r : roles) {
                if (*r.role == '\0') continue;
                std::int64_t id = 0;
                const std::string dept = std::string(r.role) == "editor" ? "giao-duc" : "";
                loa::core::create_user(db, {std::string("Người ") + r.role, hash, r.role, dept, ""}, "(test)",
                                       &id);
                ids_[static_cast<std::size_t>(r.rank)] = id;
            }
        }
        db_ = std::make_unique<loa::app::db_executor>(dir_ / "loa.db", loa::core::database_settings{});
        ctx_ = std::make_unique<loa::app::context>(loa::app::context{*db_, metrics_, config_, &hasher_});
    }
    ~access_test() override {
        hasher_.shutdown();
        db_->shutdown();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    loa::http::dispatched run(request req) {
        asio::io_context ioc;
        auto f = asio::co_spawn(ioc, loa::http::dispatch(loa::handlers::routes(), std::move(req), *ctx_),
                                asio::use_future);
        ioc.run();
        return f.get();
    }

    // Runs `job(db)` on the db thread, for setting up and inspecting.
    template <class F>
    auto on_db(F job) {
        asio::io_context ioc;
        auto f = asio::co_spawn(ioc, run_job(*db_, std::move(job)), asio::use_future);
        ioc.run();
        return f.get();
    }
    template <class F>
    static asio::awaitable<std::invoke_result_t<F&, loa::core::database&>> run_job(loa::app::db_executor& db,
                                                                                   F job) {
        if constexpr (std::is_void_v<std::invoke_result_t<F&, loa::core::database&>>) {
            co_await db.run(job);
        } else {
            auto r = co_await db.run(job);
            co_return r;
        }
    }

    // A fresh session of the user with that rank (1..4).
    loa::core::new_session session_for(int rank) {
        const std::int64_t id = ids_[static_cast<std::size_t>(rank)];
        return on_db([id](loa::core::database& db) {
            return loa::core::create_session(db, id, std::chrono::system_clock::now(),
                                             loa::core::session_limits{});
        });
    }

    fs::path dir_;
    loa::app::settings config_;
    loa::app::metrics_registry metrics_;
    loa::app::password_hasher hasher_{1};
    std::unique_ptr<loa::app::db_executor> db_;
    std::unique_ptr<loa::app::context> ctx_;
    std::array<std::int64_t, 5> ids_{};
};

request make(const std::string& method, const std::string& path) {
    request r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.remote_address = "192.0.2.10";
    return r;
}

// A concrete path for a route pattern: every "{name}" segment becomes a plausible value.
std::string concrete(std::string_view pattern) {
    std::string out;
    std::size_t i = 0;
    while (i < pattern.size()) {
        if (pattern[i] == '{') {
            const auto end = pattern.find('}', i);
            const std::string_view name = pattern.substr(i + 1, end - i - 1);
            out += name == "slug" ? "hp-2024" : name == "name" ? "loa.css" : "1";
            i = end + 1;
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

std::optional<std::string> header(const loa::http::response& res, std::string_view name) {
    for (const auto& [k, v] : res.headers) {
        std::string lower = k;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == name) return v;
    }
    return std::nullopt;
}

TEST_F(access_test, every_route_times_every_role_is_allowed_exactly_as_its_need_says) {
    const auto table = loa::handlers::routes();
    ASSERT_FALSE(table.empty());
    int checked = 0;
    for (const auto& route : table) {
        const std::string path = concrete(route.pattern);
        const bool api = path.starts_with("/api/");
        for (const auto& r : roles) {
            SCOPED_TRACE(std::string(route.method) + " " + std::string(route.pattern) + " as " +
                         (*r.role ? r.role : "anonymous"));
            request req = make(std::string(route.method), path);
            if (r.rank > 0) {
                const auto s = session_for(r.rank);
                req.headers.emplace_back("cookie", "loa_session=" + s.id);
                if (!loa::app::is_safe_method(req.method))
                    req.headers.emplace_back("x-csrf-token", s.csrf_token);
            }
            const auto d = run(std::move(req));
            const bool allowed =
                route.need == access::anyone || (r.rank > 0 && r.rank >= need_rank(route.need));
            if (allowed) {
                EXPECT_EQ(d.refused, refusal::none) << "status " << d.res.status;
            } else if (r.rank == 0) {
                EXPECT_EQ(d.refused, refusal::not_signed_in);
                if (api) {
                    EXPECT_EQ(d.res.status, 401u);
                    EXPECT_EQ(d.res.content_type, "application/problem+json");
                } else {
                    EXPECT_EQ(d.res.status, 303u);
                    const std::string to = loa::app::is_safe_method(route.method) ? "/login?next=" : "/login";
                    EXPECT_EQ(header(d.res, "location").value_or("").rfind(to, 0), 0u);
                }
            } else {
                EXPECT_EQ(d.refused, refusal::forbidden_role);
                EXPECT_EQ(d.res.status, 403u);
            }
            EXPECT_EQ(d.route, route.pattern);
            ++checked;
        }
    }
    EXPECT_EQ(checked, static_cast<int>(table.size() * roles.size()));
}

// A form sent after its session ended goes to the login page with the page it was sent from as
// `next` (so that, signed in again, the user is back at the form, where loa.js restores what was
// typed), when the Referer names this server; else to the bare login page.
TEST_F(access_test, a_form_sent_without_a_session_comes_back_to_its_page_after_login) {
    const std::string form_page = "/campaigns/haiphong-2024-anti-trafficking/messages/new";
    const auto post = [&](std::optional<std::string> referer, std::optional<std::string> host) {
        request req = make("POST", "/campaigns/haiphong-2024-anti-trafficking/messages");
        req.headers.emplace_back("accept", "text/html");
        if (host) req.headers.emplace_back("host", *host);
        if (referer) req.headers.emplace_back("referer", *referer);
        const auto d = run(std::move(req));
        EXPECT_EQ(d.refused, refusal::not_signed_in);
        EXPECT_EQ(d.res.status, 303u);
        return header(d.res, "location").value_or("");
    };
    EXPECT_EQ(post("http://loa.example:8080" + form_page + "?lang=vi", "loa.example:8080"),
              "/login?next=%2Fcampaigns%2Fhaiphong-2024-anti-trafficking%2Fmessages%2Fnew%3Flang%3Dvi");
    EXPECT_EQ(post("https://loa.example" + form_page, "loa.example"),
              "/login?next=%2Fcampaigns%2Fhaiphong-2024-anti-trafficking%2Fmessages%2Fnew");
    // Another site, another port, no Host, no Referer, a Referer that is no URL: the login page alone.
    EXPECT_EQ(post("http://evil.example" + form_page, "loa.example"), "/login");
    EXPECT_EQ(post("http://loa.example:9090" + form_page, "loa.example:8080"), "/login");
    EXPECT_EQ(post("http://loa.example" + form_page, std::nullopt), "/login");
    EXPECT_EQ(post(std::nullopt, "loa.example"), "/login");
    EXPECT_EQ(post("/campaigns", "loa.example"), "/login");
    EXPECT_EQ(post("http://loa.example//evil.example/x", "loa.example"), "/login");
    // Behind a proxy that passes its upstream address as Host: the public_url names this server.
    config_.public_url = "https://loa.example";
    EXPECT_EQ(post("https://loa.example" + form_page, "127.0.0.1:8080"),
              "/login?next=%2Fcampaigns%2Fhaiphong-2024-anti-trafficking%2Fmessages%2Fnew");
    EXPECT_EQ(post("http://loa.example" + form_page, "127.0.0.1:8080"), "/login");  // another scheme
    EXPECT_EQ(post("https://evil.example" + form_page, "127.0.0.1:8080"), "/login");
}

TEST_F(access_test, every_state_changing_route_refuses_a_session_without_its_csrf_token) {
    const auto admin = session_for(4);
    const auto other = session_for(1);
    int checked = 0;
    for (const auto& route : loa::handlers::routes()) {
        if (loa::app::is_safe_method(route.method)) continue;
        SCOPED_TRACE(std::string(route.method) + " " + std::string(route.pattern));
        request missing = make(std::string(route.method), concrete(route.pattern));
        missing.headers.emplace_back("cookie", "loa_session=" + admin.id);
        request wrong = missing;
        wrong.headers.emplace_back("x-csrf-token", other.csrf_token);  // a real token, of another session
        const auto d1 = run(std::move(missing));
        EXPECT_EQ(d1.refused, refusal::csrf);
        EXPECT_EQ(d1.res.status, 403u);
        const auto d2 = run(std::move(wrong));
        EXPECT_EQ(d2.refused, refusal::csrf);
        EXPECT_EQ(d2.res.status, 403u);
        ++checked;
    }
    EXPECT_GE(checked, 3);  // at least /login, /logout, /account
}

TEST_F(access_test, the_right_token_passes_in_a_form_a_multipart_body_or_a_header) {
    const auto s = session_for(2);
    {
        request req = make("POST", "/account");
        req.headers.emplace_back("cookie", "theme=dark; loa_session=" + s.id);
        req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        req.body = "language=en&csrf_token=" + s.csrf_token;
        const auto d = run(std::move(req));
        EXPECT_EQ(d.refused, refusal::none);
        EXPECT_EQ(d.res.status, 303u);
        EXPECT_EQ(header(d.res, "location"), "/account?saved=1");
    }
    {
        request req = make("POST", "/account");
        req.headers.emplace_back("cookie", "loa_session=" + s.id);
        req.headers.emplace_back("content-type", "multipart/form-data; boundary=----b0undary");
        req.body =
            "------b0undary\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nvi\r\n"
            "------b0undary\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" +
            s.csrf_token + "\r\n------b0undary--\r\n";
        const auto d = run(std::move(req));
        EXPECT_EQ(d.refused, refusal::none);
    }
    {
        request req = make("POST", "/account");
        req.headers.emplace_back("cookie", "loa_session=" + s.id);
        req.headers.emplace_back("x-csrf-token", s.csrf_token);
        req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        req.body = "language=vi";
        EXPECT_EQ(run(std::move(req)).refused, refusal::none);
    }
    {
        // A token one character off is refused.
        std::string off = s.csrf_token;
        off.back() = off.back() == 'A' ? 'B' : 'A';
        request req = make("POST", "/account");
        req.headers.emplace_back("cookie", "loa_session=" + s.id);
        req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        req.body = "language=vi&csrf_token=" + off;
        const auto d = run(std::move(req));
        EXPECT_EQ(d.refused, refusal::csrf);
        EXPECT_EQ(d.res.status, 403u);
        EXPECT_NE(d.res.content_type.find("text/html"), std::string::npos);  // a page for a browser
    }
}

TEST_F(access_test, pages_of_a_session_are_not_cached_and_a_dead_cookie_is_cleared) {
    const auto s = session_for(1);
    request req = make("GET", "/account");
    req.headers.emplace_back("cookie", "loa_session=" + s.id);
    const auto d = run(std::move(req));
    EXPECT_EQ(d.res.status, 200u);
    EXPECT_EQ(header(d.res, "cache-control"), "no-store");

    request dead = make("GET", "/account");
    dead.headers.emplace_back("cookie", "loa_session=not-a-session");
    dead.headers.emplace_back("accept", "text/html");
    const auto d2 = run(std::move(dead));
    EXPECT_EQ(d2.res.status, 303u);
    EXPECT_EQ(header(d2.res, "location"), "/login?next=%2Faccount");
    EXPECT_EQ(header(d2.res, "set-cookie").value_or("").rfind("loa_session=;", 0), 0u);
}

// ---- The login form -----------------------------------------------------------------------------

struct login_form {
    std::string nonce = loa::core::random_token(16);
    request post(const std::string& name, const std::string& password) const {
        request req = make("POST", "/login");
        req.headers.emplace_back("cookie", "loa_login=" + nonce);
        req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        req.body = "csrf_token=" + loa::app::login_form_token(nonce) + "&name=" + name +
                   "&password=" + password + "&next=%2Faccount";
        return req;
    }
};

// Form-encodes UTF-8 for the bodies above.
std::string enc(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 && u < 0x80) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

// The input element with that id, up to its closing '>'.
std::string input_tag(const std::string& html, const std::string& id) {
    const auto at = html.find("id=\"" + id + "\"");
    if (at == std::string::npos) return "";
    const auto start = html.rfind('<', at);
    return html.substr(start, html.find('>', at) - start + 1);
}

TEST_F(access_test, a_fresh_login_page_focuses_the_name_and_after_a_failure_the_password) {
    const auto fresh = run(make("GET", "/login"));
    ASSERT_EQ(fresh.res.status, 200u);
    EXPECT_NE(input_tag(fresh.res.body, "login-name").find("autofocus"), std::string::npos);
    EXPECT_EQ(input_tag(fresh.res.body, "login-password").find("autofocus"), std::string::npos);
    EXPECT_TRUE(header(fresh.res, "set-cookie").value_or("").starts_with("loa_login="));
    const auto failed = run(login_form{}.post(enc("Người admin"), "sai"));
    EXPECT_EQ(input_tag(failed.res.body, "login-name").find("autofocus"), std::string::npos);
    EXPECT_NE(input_tag(failed.res.body, "login-password").find("autofocus"), std::string::npos);
}

TEST_F(access_test, login_succeeds_and_rotates_the_session) {
    const auto old = session_for(1);
    request req = login_form{}.post(enc("Người viewer"), enc(good_password));
    req.headers.emplace_back("cookie", "loa_session=" + old.id);
    const auto d = run(std::move(req));
    EXPECT_EQ(d.res.status, 303u);
    EXPECT_EQ(header(d.res, "location"), "/account");
    const std::string cookie = header(d.res, "set-cookie").value_or("");
    ASSERT_EQ(cookie.rfind("loa_session=", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos);
    EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // not behind TLS
    const std::string new_id = cookie.substr(12, cookie.find(';') - 12);
    EXPECT_NE(new_id, old.id);
    const auto gone = on_db([id = old.id](loa::core::database& db) {
        return loa::core::find_session(db, id, std::chrono::system_clock::now(), {}).has_value();
    });
    EXPECT_FALSE(gone);
}

TEST_F(access_test, login_without_the_pre_session_token_is_refused) {
    // No cookie at all: a cross-site form post.
    request req = login_form{}.post(enc("Người admin"), enc(good_password));
    req.headers.clear();
    req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    const std::size_t before = hasher_.started();
    auto d = run(std::move(req));
    EXPECT_EQ(d.res.status, 403u);
    EXPECT_FALSE(header(d.res, "set-cookie").value_or("").starts_with("loa_session="));
    // The attacker's own nonce with a token for another nonce.
    login_form mine;
    request forged = mine.post(enc("Người admin"), enc(good_password));
    forged.headers[0].second = "loa_login=" + loa::core::random_token(16);
    d = run(std::move(forged));
    EXPECT_EQ(d.res.status, 403u);
    EXPECT_EQ(hasher_.started(), before);
}

TEST_F(access_test, wrong_password_and_unknown_name_look_the_same_and_both_hash) {
    const std::size_t before = hasher_.started();
    const auto wrong = run(login_form{}.post(enc("Người admin"), "sai"));
    const auto unknown = run(login_form{}.post(enc("Không có ai"), "sai"));
    EXPECT_EQ(wrong.res.status, 401u);
    EXPECT_EQ(unknown.res.status, 401u);
    EXPECT_EQ(hasher_.started(), before + 2);  // the unknown name cost a dummy verification
    EXPECT_NE(wrong.res.body.find("Tên đăng nhập hoặc mật khẩu không đúng."), std::string::npos);
    EXPECT_NE(unknown.res.body.find("Tên đăng nhập hoặc mật khẩu không đúng."), std::string::npos);
    EXPECT_NE(wrong.res.body.find("value=\"Người admin\""), std::string::npos);  // the typed name is kept
}

TEST_F(access_test, five_failures_for_an_account_throttle_it_before_any_hashing) {
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(run(login_form{}.post(enc("Người editor"), "sai")).res.status, 401u);
    // The fifth failure still hashes; from then on nothing is hashed.
    EXPECT_EQ(run(login_form{}.post(enc("Người editor"), "sai")).res.status, 401u);
    const std::size_t before = hasher_.started();
    const auto d = run(login_form{}.post(enc("Người editor"), enc(good_password)));  // even the right one
    EXPECT_EQ(d.res.status, 429u);
    EXPECT_EQ(hasher_.started(), before);
    const auto wait = std::stoi(header(d.res, "retry-after").value_or("0"));
    EXPECT_GT(wait, 800);  // the window is 15 minutes; the first failure was just now
    EXPECT_LE(wait, 900);
    EXPECT_FALSE(header(d.res, "set-cookie").value_or("").starts_with("loa_session="));
    // Another account from another address is not affected.
    request other = login_form{}.post(enc("Người viewer"), enc(good_password));
    other.remote_address = "198.51.100.2";
    EXPECT_EQ(run(std::move(other)).res.status, 303u);
}

TEST_F(access_test, failures_from_one_address_do_not_lock_the_account_out_elsewhere) {
    // Five wrong passwords from one address block the account there, not for its owner elsewhere;
    // fifty from all addresses together block it everywhere.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(run(login_form{}.post(enc("Người viewer"), "sai")).res.status, 401u) << i;
    EXPECT_EQ(run(login_form{}.post(enc("Người viewer"), enc(good_password))).res.status, 429u);
    request owner = login_form{}.post(enc("Người viewer"), enc(good_password));
    owner.remote_address = "198.51.100.40";
    EXPECT_EQ(run(std::move(owner)).res.status, 303u);
    on_db([](loa::core::database& db) {
        const auto now = std::chrono::system_clock::now();
        for (int i = 0; i < 50; ++i)
            loa::core::record_login_failure(db, "Người viewer", "203.0.113." + std::to_string(i),
                                            now - std::chrono::minutes(1));
    });
    request again = login_form{}.post(enc("Người viewer"), enc(good_password));
    again.remote_address = "198.51.100.41";
    EXPECT_EQ(run(std::move(again)).res.status, 429u);
}

TEST_F(access_test, twenty_failures_from_an_address_throttle_every_name_from_it) {
    on_db([](loa::core::database& db) {
        const auto now = std::chrono::system_clock::now();
        for (int i = 0; i < 20; ++i)
            loa::core::record_login_failure(db, "đoán-" + std::to_string(i), "192.0.2.10",
                                            now - std::chrono::minutes(1));
    });
    const std::size_t before = hasher_.started();
    const auto d = run(login_form{}.post(enc("Người admin"), enc(good_password)));
    EXPECT_EQ(d.res.status, 429u);
    EXPECT_EQ(hasher_.started(), before);
    EXPECT_TRUE(header(d.res, "retry-after"));
}

TEST_F(access_test, an_attempt_counts_as_a_failure_before_its_password_is_checked) {
    // Attempts sent together must not all pass a count taken before any of them ended: each one
    // is counted as it begins, and forgotten only when its password matched.
    on_db([](loa::core::database& db) {
        const auto now = std::chrono::system_clock::now();
        std::vector<loa::app::password_attempt> begun;
        for (int i = 0; i < 5; ++i) {
            begun.push_back(loa::app::begin_password_attempt(db, "Song song", "192.0.2.30", now));
            EXPECT_FALSE(begun.back().wait) << i;
        }
        const auto sixth = loa::app::begin_password_attempt(db, "Song song", "192.0.2.30", now);
        EXPECT_TRUE(sixth.wait);
        EXPECT_EQ(sixth.counted.account, 0);  // a refused attempt is not counted
        EXPECT_EQ(loa::core::count_login_failures(db, "Song song", "192.0.2.30", now - std::chrono::minutes(1)).account,
                  5);
        // One of them matched: its two rows go, and one more attempt may begin.
        loa::core::forget_login_failure(db, begun[2].counted);
        const auto counts = loa::core::count_login_failures(db, "Song song", "192.0.2.30", now - std::chrono::minutes(1));
        EXPECT_EQ(counts.account, 4);
        EXPECT_EQ(counts.address, 4);
        EXPECT_FALSE(loa::app::begin_password_attempt(db, "Song song", "192.0.2.30", now).wait);
        // Failures that have left the window are purged by the attempts too, not only by a login.
        loa::core::record_login_failure(db, "cũ", "192.0.2.31", now - std::chrono::minutes(20));
        (void)loa::app::begin_password_attempt(db, "Song song 2", "192.0.2.32", now);
        EXPECT_EQ(db.sql().execAndGet("SELECT count(*) FROM login_failures WHERE at < '" +
                                      loa::core::utc_text(now - std::chrono::minutes(15)) + "'")
                      .getInt(),
                  0);
        // ...through the time index (schema 12), not a scan of the table.
        SQLite::Statement plan(db.sql(), "EXPLAIN QUERY PLAN DELETE FROM login_failures WHERE at < '2024'");
        std::string steps;
        while (plan.executeStep()) steps += plan.getColumn(3).getString() + "; ";
        EXPECT_NE(steps.find("login_failures_at"), std::string::npos) << steps;
    });
}

TEST_F(access_test, logout_ends_the_session) {
    const auto s = session_for(3);
    request req = make("POST", "/logout");
    req.headers.emplace_back("cookie", "loa_session=" + s.id);
    req.headers.emplace_back("x-csrf-token", s.csrf_token);
    const auto d = run(std::move(req));
    EXPECT_EQ(d.res.status, 303u);
    EXPECT_EQ(header(d.res, "set-cookie").value_or("").rfind("loa_session=;", 0), 0u);
    request after = make("GET", "/account");
    after.headers.emplace_back("cookie", "loa_session=" + s.id);
    EXPECT_EQ(run(std::move(after)).refused, refusal::not_signed_in);
}

TEST_F(access_test, a_disabled_users_session_stops_working) {
    const auto s = session_for(2);
    on_db([](loa::core::database& db) { loa::core::disable_user(db, "Người editor", "(test)"); });
    request req = make("GET", "/account");
    req.headers.emplace_back("cookie", "loa_session=" + s.id);
    EXPECT_EQ(run(std::move(req)).refused, refusal::not_signed_in);
}

}  // namespace access_test_cpp
}  // namespace
