// Accounts end to end through the real binary: `loa user` (add, list, disable, password,
// ensure-admin) and, against `loa serve` over loopback, login → cookie → /account → logout, a wrong
// password, 429 after repeated failures, cookie attributes and the security headers.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <algorithm>

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"
#include "core/storage/user_store.hpp"
#include "tests/integration/http_client.hpp"
#include "tests/integration/loa_process.hpp"

extern char** environ;

namespace {
namespace auth_flow_test_cpp {

namespace fs = std::filesystem;
using loa::test::http_connection;
using loa::test::http_reply;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct outcome {
    int status = -1;
    std::string out;
    std::string err;
};

// Runs LOA_BINARY `args` with `input` on its standard input and `env` added to the environment.
outcome run_loa(const loa::test::temp_dir& dir, const std::vector<std::string>& args,
                const std::string& input = "", const std::vector<std::string>& env = {}) {
    const fs::path in = dir.write("stdin.txt", input);
    const fs::path out = dir.file("stdout.txt");
    const fs::path err = dir.file("stderr.txt");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> words{LOA_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_words;
    for (char** e = environ; *e != nullptr; ++e) {
        if (std::string_view(*e).starts_with("LOA_ADMIN_PASSWORD=")) continue;  // only what the test gives
        env_words.emplace_back(*e);
    }
    env_words.insert(env_words.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& w : env_words) envp.push_back(w.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    outcome o;
    if (posix_spawn(&pid, LOA_BINARY, &fa, nullptr, argv.data(), envp.data()) == 0) {
        int st = 0;
        waitpid(pid, &st, 0);
        o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    o.out = slurp(out);
    o.err = slurp(err);
    return o;
}

// ---- loa user -----------------------------------------------------------------------------------

class user_cli : public ::testing::Test {
protected:
    user_cli() {
        // A stored campaign, for the editors' department check.
        const auto loaded = loa::core::load_campaign_file(fs::path(LOA_SOURCE_DIR) / "campaigns" /
                                                          "haiphong-2024-anti-trafficking.yaml");
        if (loaded.value) {
            loa::core::database db(db_path());
            loa::core::import_campaigns(db, {*loaded.value});
        }
    }
    [[nodiscard]] std::string db_path() const { return dir_.file("loa.db").string(); }
    outcome user(std::vector<std::string> args, const std::string& input = "",
                 const std::vector<std::string>& env = {}) {
        args.insert(args.begin(), "user");
        return run_loa(dir_, args, input, env);
    }
    loa::test::temp_dir dir_;
};

// Vietnamese names as keyboards send them: precomposed (NFC) or decomposed (NFD: macOS, some
// Vietnamese input methods); they look the same on screen.
const std::string duyet_nfc = "Ph\xE1\xBA\xA1m V\xC4\x83n Duy\xE1\xBB\x87t";  // Phạm Văn Duyệt
const std::string duyet_nfd = "Pha\xCC\xA3m Va\xCC\x86n Duye\xCC\xA3\xCC\x82t";
const std::string duyet_caps = "PH\xE1\xBA\xA0M V\xC4\x82N DUY\xE1\xBB\x86T";  // PHẠM VĂN DUYỆT

TEST_F(user_cli, a_name_typed_decomposed_or_in_capitals_is_the_same_user) {
    auto r = user({"add", "--db", db_path(), "--name", duyet_nfc, "--role", "viewer"}, "mật khẩu đủ dài 2024\n");
    ASSERT_EQ(r.status, 0) << r.err;
    r = user({"add", "--db", db_path(), "--name", duyet_nfd, "--role", "viewer"}, "mật khẩu đủ dài 2024\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "loa user: a user named '" + duyet_nfc + "' already exists\n");
    r = user({"add", "--db", db_path(), "--name", duyet_caps, "--role", "viewer"}, "mật khẩu đủ dài 2024\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("a user named '" + duyet_nfc + "' already exists (names compare without case"),
              std::string::npos)
        << r.err;
    r = user({"list", "--db", db_path()});
    EXPECT_EQ(r.out, "name\trole\tdepartment\tlanguage\tstatus\n" + duyet_nfc + "\tviewer\t-\t-\tactive\n");
    r = user({"password", "--db", db_path(), duyet_nfd}, "một mật khẩu mới dài\n");
    EXPECT_EQ(r.status, 0) << r.err;
    r = user({"disable", "--db", db_path(), duyet_caps});
    EXPECT_EQ(r.status, 0) << r.err;
    // A decomposed name of a new user is stored composed.
    r = user({"add", "--db", db_path(), "--name", "Le\xCC\x82 Thi\xCC\xA3 Gia\xCC\x81o", "--role", "viewer"},
             "mật khẩu đủ dài 2024\n");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "loa: created user L\xC3\xAA Th\xE1\xBB\x8B Gi\xC3\xA1o (viewer)\n");
}

TEST_F(user_cli, add_list_disable) {
    auto r = user({"add", "--db", db_path(), "--name", "Nguyễn Thị Hương", "--role", "editor", "--department",
                   "education", "--language", "vi"},
                  "mật khẩu đủ dài 2024\n");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "loa: created user Nguyễn Thị Hương (editor, education)\n");
    r = user({"add", "--db", db_path(), "--name", "lan", "--role", "viewer"}, "một mật khẩu khác\r\n");
    ASSERT_EQ(r.status, 0) << r.err;

    r = user({"list", "--db", db_path()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "name\trole\tdepartment\tlanguage\tstatus\n"
              "lan\tviewer\t-\t-\tactive\n"  // by name, ASCII case folded
              "Nguyễn Thị Hương\teditor\teducation\tvi\tactive\n");

    r = user({"disable", "--db", db_path(), "lan"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = user({"list", "--db", db_path()});
    EXPECT_NE(r.out.find("lan\tviewer\t-\t-\tdisabled\n"), std::string::npos) << r.out;

    // The stored hash is argon2id with the OWASP parameters, and the password is nowhere.
    loa::core::database db(db_path());
    const auto login = loa::core::find_login(db, "Nguyễn Thị Hương");
    ASSERT_TRUE(login);
    EXPECT_TRUE(login->second.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << login->second;
    EXPECT_EQ(slurp(db_path()).find("mật khẩu đủ dài"), std::string::npos);
}

TEST_F(user_cli, refuses_bad_input_with_exit_1_and_usage_errors_with_2) {
    const std::string pw = "mật khẩu đủ dài 2024\n";
    // A role or language not offered is a usage error, as an unknown --format or --state.
    auto r = user({"add", "--db", db_path(), "--name", "a", "--role", "root"}, pw);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown role 'root'"), std::string::npos) << r.err;
    r = user({"add", "--db", db_path(), "--name", "a", "--role", "viewer", "--language", "fr"}, pw);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown language 'fr'"), std::string::npos) << r.err;
    r = user({"add", "--db", db_path(), "--name", "a", "--role", "editor"}, pw);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("needs --department"), std::string::npos) << r.err;
    r = user({"add", "--db", db_path(), "--name", "a", "--role", "editor", "--department", "educaton"}, pw);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("unknown department 'educaton'"), std::string::npos) << r.err;
    r = user({"add", "--db", db_path(), "--name", "a", "--role", "viewer"}, "ngắn quá\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("at least 12 characters"), std::string::npos) << r.err;
    r = user({"add", "--db", db_path(), "--name", "a", "--role", "viewer"}, "");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no password"), std::string::npos) << r.err;
    ASSERT_EQ(user({"add", "--db", db_path(), "--name", "a", "--role", "viewer"}, pw).status, 0);
    r = user({"add", "--db", db_path(), "--name", "A", "--role", "viewer"}, pw);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
    r = user({"disable", "--db", db_path(), "nobody"});
    EXPECT_EQ(r.status, 1);

    EXPECT_EQ(user({"add", "--db", db_path(), "--role", "viewer"}, pw).status, 2);
    EXPECT_EQ(user({"frobnicate", "--db", db_path()}).status, 2);
    EXPECT_EQ(user({"list"}).status, 2);
    EXPECT_EQ(user({"list", "--db", db_path(), "--bogus"}).status, 2);
    EXPECT_EQ(user({"list", "--db", (dir_.path() / "missing" / "loa.db").string()}).status, 1);
    EXPECT_EQ(user({"--help"}).status, 0);
}

TEST_F(user_cli, ensure_admin_creates_one_admin_once) {
    auto r = user({"ensure-admin", "--db", db_path()});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string prefix = "loa: created user admin with password ";
    ASSERT_EQ(r.out.rfind(prefix, 0), 0u) << r.out;
    const std::string pw = r.out.substr(prefix.size(), r.out.find(' ', prefix.size()) - prefix.size());
    EXPECT_EQ(pw.size(), 20u);
    EXPECT_NE(r.out.find("change it"), std::string::npos);
    {
        loa::core::database db(db_path());
        EXPECT_TRUE(loa::core::has_admin(db));
    }
    // Later runs say nothing and change nothing.
    r = user({"ensure-admin", "--db", db_path()});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "");
}

TEST_F(user_cli, ensure_admin_takes_the_password_from_the_environment) {
    auto r = user({"ensure-admin", "--db", db_path()}, "", {"LOA_ADMIN_PASSWORD=quản trị viên 2024"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "loa: created user admin with the password from LOA_ADMIN_PASSWORD\n");
    EXPECT_EQ(r.out.find("quản trị"), std::string::npos);
    loa::test::temp_dir other;
    r = run_loa(other, {"user", "ensure-admin", "--db", other.file("loa.db").string()}, "",
                {"LOA_ADMIN_PASSWORD=short"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("LOA_ADMIN_PASSWORD"), std::string::npos);
}

// ---- Signing in through loa serve ---------------------------------------------------------------

const std::string editor_password = "mật khẩu đủ dài 2024";

std::string form_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '-' ||
            c == '_' || c == '.') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

// The value of `name=` in a Set-Cookie header value.
std::string cookie_of(const std::string& set_cookie) {
    const auto eq = set_cookie.find('=');
    return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}

std::vector<std::string> all_headers(const http_reply& r, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers)
        if (k == name) out.push_back(v);
    return out;
}

std::optional<std::string> set_cookie_named(const http_reply& r, const std::string& name) {
    for (const auto& v : all_headers(r, "set-cookie"))
        if (v.rfind(name + "=", 0) == 0) return v;
    return std::nullopt;
}

// The hidden csrf_token of the first form in a page.
std::string hidden_token(const std::string& html) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = html.find(marker);
    if (at == std::string::npos) return "";
    const auto start = at + marker.size();
    return html.substr(start, html.find('"', start) - start);
}

class auth_flow : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new loa::test::served("access_log: off\n");
        const auto r = run_loa(server_->dir(),
                               {"user", "add", "--db", server_->dir().file("loa.db").string(), "--name",
                                "Hương", "--role", "viewer"},
                               editor_password + "\n");
        ASSERT_EQ(r.status, 0) << r.err;
    }
    static void TearDownTestSuite() {
        server_->process().signal(SIGTERM);
        EXPECT_EQ(server_->process().wait(std::chrono::seconds(10)), 0) << server_->process().stderr_text();
        delete server_;
        server_ = nullptr;
    }

    static http_reply send(const std::string& method, const std::string& target,
                           const std::vector<std::string>& headers = {}, const std::string& body = "") {
        http_connection c(server_->port());
        std::string bytes = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto& h : headers) bytes += h + "\r\n";
        if (!body.empty() || method == "POST") {
            bytes += "Content-Type: application/x-www-form-urlencoded\r\n";
            bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        }
        bytes += "\r\n" + body;
        EXPECT_TRUE(c.send(bytes));
        auto r = c.read_reply(method == "HEAD");
        if (!r) throw std::runtime_error("no reply to " + method + " " + target);
        return std::move(*r);
    }

    // GET /login: the pre-session cookie and the form's token.
    struct login_page {
        std::string cookie;
        std::string token;
    };
    static login_page open_login() {
        const auto page = send("GET", "/login", {"Accept: text/html"});
        EXPECT_EQ(page.status, 200u);
        const auto c = set_cookie_named(page, "loa_login");
        EXPECT_TRUE(c);
        return {c ? cookie_of(*c) : "", hidden_token(page.body)};
    }
    static http_reply post_login(const std::string& name, const std::string& password) {
        const auto lp = open_login();
        return send("POST", "/login", {"Cookie: loa_login=" + lp.cookie, "Accept: text/html"},
                    "csrf_token=" + form_encode(lp.token) + "&name=" + form_encode(name) +
                        "&password=" + form_encode(password) + "&next=%2Faccount");
    }

    static loa::test::served* server_;
};
loa::test::served* auth_flow::server_ = nullptr;

TEST_F(auth_flow, login_cookie_account_logout) {
    // Signed out, /account sends the browser to the login page.
    auto r = send("GET", "/account", {"Accept: text/html"});
    EXPECT_EQ(r.status, 303u);
    EXPECT_EQ(r.header("location"), "/login?next=%2Faccount");

    r = post_login("Hương", editor_password);
    ASSERT_EQ(r.status, 303u) << r.body;
    EXPECT_EQ(r.header("location"), "/account");
    const auto set = set_cookie_named(r, "loa_session");
    ASSERT_TRUE(set);
    EXPECT_NE(set->find("; HttpOnly"), std::string::npos) << *set;
    EXPECT_NE(set->find("; SameSite=Lax"), std::string::npos) << *set;
    EXPECT_NE(set->find("; Path=/"), std::string::npos) << *set;
    EXPECT_NE(set->find("; Max-Age=28800"), std::string::npos) << *set;
    EXPECT_EQ(set->find("Secure"), std::string::npos) << *set;
    const std::string session = cookie_of(*set);
    EXPECT_GE(session.size(), 22u);  // ≥ 128 bits

    r = send("GET", "/account", {"Cookie: loa_session=" + session, "Accept: text/html"});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_NE(r.body.find("<dd id=\"account-name\">Hương</dd>"), std::string::npos);
    EXPECT_EQ(r.header("cache-control"), "no-store");
    const std::string csrf = hidden_token(r.body);
    ASSERT_FALSE(csrf.empty());

    // Language preference: a POST without the token is refused, with it stored.
    r = send("POST", "/account", {"Cookie: loa_session=" + session, "Accept: text/html"}, "language=en");
    EXPECT_EQ(r.status, 403u);
    r = send("POST", "/account", {"Cookie: loa_session=" + session, "Accept: text/html"},
             "language=en&csrf_token=" + form_encode(csrf));
    EXPECT_EQ(r.status, 303u);
    r = send("GET", "/account", {"Cookie: loa_session=" + session, "Accept: text/html"});
    EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(r.body.find("Your account"), std::string::npos);

    // Logout (with the token) ends the session: the cookie no longer opens /account.
    r = send("POST", "/logout", {"Cookie: loa_session=" + session, "Accept: text/html"},
             "csrf_token=" + form_encode(csrf));
    EXPECT_EQ(r.status, 303u);
    EXPECT_EQ(set_cookie_named(r, "loa_session").value_or("").find("Max-Age=0") != std::string::npos, true);
    r = send("GET", "/account", {"Cookie: loa_session=" + session, "Accept: text/html"});
    EXPECT_EQ(r.status, 303u);
    r = send("GET", "/api/v1/campaigns/x/calendar", {"Cookie: loa_session=" + session});
    EXPECT_NE(r.status, 401u);  // the read API is public
}

TEST_F(auth_flow, wrong_password_keeps_the_name_and_says_nothing_more) {
    const auto r = post_login("Hương", "sai mật khẩu rồi");
    EXPECT_EQ(r.status, 401u);
    EXPECT_FALSE(set_cookie_named(r, "loa_session"));
    EXPECT_NE(r.body.find("Tên đăng nhập hoặc mật khẩu không đúng."), std::string::npos);
    EXPECT_NE(r.body.find("value=\"Hương\""), std::string::npos);
    const auto unknown = post_login("Không tồn tại", "sai mật khẩu rồi");
    EXPECT_EQ(unknown.status, 401u);
    EXPECT_NE(unknown.body.find("Tên đăng nhập hoặc mật khẩu không đúng."), std::string::npos);
}

// "Lê Thị Giáo" with a password full of diacritics, typed precomposed (NFC) and decomposed (NFD).
const std::string giao_nfc = "L\xC3\xAA Th\xE1\xBB\x8B Gi\xC3\xA1o";
const std::string giao_nfd = "Le\xCC\x82 Thi\xCC\xA3 Gia\xCC\x81o";
const std::string giao_caps = "L\xC3\x8A TH\xE1\xBB\x8A GI\xC3\x81O";
const std::string pass_nfc = "M\xE1\xBA\xAD\x74 kh\xE1\xBA\xA9u H\xE1\xBA\xA3i Ph\xC3\xB2ng";  // Mật khẩu Hải Phòng
const std::string pass_nfd = "Ma\xCC\xA3\xCC\x82t kha\xCC\x82\xCC\x89u Ha\xCC\x89i Pho\xCC\x80ng";

TEST_F(auth_flow, name_and_password_typed_decomposed_or_in_capitals_sign_in) {
    const auto added = run_loa(server_->dir(),
                               {"user", "add", "--db", server_->dir().file("loa.db").string(), "--name", giao_nfc,
                                "--role", "viewer"},
                               pass_nfc + "\n");
    ASSERT_EQ(added.status, 0) << added.err;
    for (const auto& [name, password] : {std::pair{giao_nfd, pass_nfd}, std::pair{giao_nfc, pass_nfd},
                                         std::pair{giao_nfd, pass_nfc}, std::pair{giao_caps, pass_nfc}}) {
        const auto r = post_login(name, password);
        EXPECT_EQ(r.status, 303u) << name << " / " << password << "\n" << r.body;
        EXPECT_TRUE(set_cookie_named(r, "loa_session"));
    }
    // A password is never compared without case.
    EXPECT_EQ(post_login(giao_nfc, "M\xE1\xBA\xAC\x54 KH\xE1\xBA\xA8U H\xE1\xBA\xA2I PH\xC3\x92NG").status, 401u);
}

TEST_F(auth_flow, a_hash_made_from_a_decomposed_password_still_signs_in_and_is_remade) {
    // As loa stored it before it normalized: argon2id over the decomposed bytes as typed.
    const std::string name = "Tr\xE1\xBA\xA7n Th\xE1\xBB\x8B Mai";  // Trần Thị Mai
    ASSERT_GE(sodium_init(), 0);
    std::string legacy(crypto_pwhash_STRBYTES, '\0');
    ASSERT_EQ(crypto_pwhash_str_alg(legacy.data(), pass_nfd.data(), pass_nfd.size(), 2, 19u * 1024u * 1024u,
                                    crypto_pwhash_ALG_ARGON2ID13),
              0);
    legacy.resize(legacy.find('\0'));
    {
        loa::core::database db(server_->dir().file("loa.db"));
        ASSERT_EQ(loa::core::create_user(db, {name, legacy, "viewer", "", ""}, "(test)"),
                  loa::core::user_write::ok);
    }
    // Typed precomposed, the old hash cannot match yet.
    EXPECT_EQ(post_login(name, pass_nfc).status, 401u);
    // Typed as then, it signs in, and the hash is remade from the NFC password...
    const auto r = post_login(name, pass_nfd);
    EXPECT_EQ(r.status, 303u) << r.body;
    {
        loa::core::database db(server_->dir().file("loa.db"));
        const auto login = loa::core::find_login(db, name);
        ASSERT_TRUE(login);
        EXPECT_NE(login->second, legacy);
        EXPECT_TRUE(login->second.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << login->second;
    }
    // ...so from now on either form signs in.
    EXPECT_EQ(post_login(name, pass_nfc).status, 303u);
    EXPECT_EQ(post_login(name, pass_nfd).status, 303u);
}

TEST_F(auth_flow, login_without_the_form_token_is_403) {
    const auto r = send("POST", "/login", {"Accept: text/html"},
                        "name=" + form_encode("Hương") + "&password=" + form_encode(editor_password));
    EXPECT_EQ(r.status, 403u);
    EXPECT_FALSE(set_cookie_named(r, "loa_session"));
}

TEST_F(auth_flow, repeated_failures_get_429_with_retry_after) {
    // Another account, so the other tests' logins are not throttled.
    const auto added = run_loa(
        server_->dir(),
        {"user", "add", "--db", server_->dir().file("loa.db").string(), "--name", "thử", "--role", "viewer"},
        editor_password + "\n");
    ASSERT_EQ(added.status, 0) << added.err;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(post_login("thử", "sai").status, 401u) << i;
    const auto r = post_login("thử", editor_password);
    EXPECT_EQ(r.status, 429u);
    EXPECT_TRUE(r.header("retry-after"));
    EXPECT_FALSE(set_cookie_named(r, "loa_session"));
    EXPECT_NE(r.body.find("Đăng nhập sai quá nhiều lần"), std::string::npos);
}

TEST_F(auth_flow, attempts_sent_together_are_throttled_as_if_sent_one_by_one) {
    // Twelve wrong passwords at once, over twelve connections: the password checks overlap, yet
    // only five of them (the account's limit) are checked; the others are refused before hashing.
    const auto added = run_loa(
        server_->dir(),
        {"user", "add", "--db", server_->dir().file("loa.db").string(), "--name", "đồng thời", "--role", "viewer"},
        editor_password + "\n");
    ASSERT_EQ(added.status, 0) << added.err;
    const auto lp = open_login();
    const std::string body = "csrf_token=" + form_encode(lp.token) + "&name=" + form_encode("đồng thời") +
                             "&password=" + form_encode("sai") + "&next=%2Faccount";
    std::vector<unsigned> statuses(12, 0);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < statuses.size(); ++i)
        senders.emplace_back([&, i] {
            statuses[i] = send("POST", "/login", {"Cookie: loa_login=" + lp.cookie, "Accept: text/html"}, body).status;
        });
    for (auto& t : senders) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401u), 5) << ::testing::PrintToString(statuses);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429u), 7) << ::testing::PrintToString(statuses);
    EXPECT_EQ(post_login("đồng thời", editor_password).status, 429u);
}

TEST_F(auth_flow, behind_a_trusted_proxy_the_client_it_names_is_throttled) {
    // The test connects from 127.0.0.1, a trusted proxy by default: X-Forwarded-For names the client.
    // Twenty failures from one client (under twenty names) throttle that client, not the next one.
    const auto login_from = [&](const std::string& client, const std::string& name, const std::string& password) {
        const auto lp = open_login();
        return send("POST", "/login",
                    {"Cookie: loa_login=" + lp.cookie, "Accept: text/html", "X-Forwarded-For: " + client},
                    "csrf_token=" + form_encode(lp.token) + "&name=" + form_encode(name) +
                        "&password=" + form_encode(password) + "&next=%2Faccount");
    };
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(login_from("203.0.113.7", "không có " + std::to_string(i), "sai").status, 401u) << i;
    EXPECT_EQ(login_from("203.0.113.7", "Hương", editor_password).status, 429u);
    EXPECT_EQ(login_from("203.0.113.8", "Hương", editor_password).status, 303u);
    // The proxy's own address is not what was counted.
    EXPECT_EQ(post_login("Hương", editor_password).status, 303u);
}

TEST_F(auth_flow, security_headers_are_on_every_response) {
    const std::vector<std::pair<std::string, std::string>> asks = {
        {"GET", "/login"},   {"GET", "/healthz"}, {"GET", "/api/v1/campaigns"},
        {"GET", "/nowhere"}, {"PATCH", "/login"}, {"GET", "/account"},
        {"HEAD", "/login"}};
    for (const auto& [method, target] : asks) {
        SCOPED_TRACE(method + " " + target);
        const auto r = send(method, target);
        EXPECT_EQ(r.header("content-security-policy"),
                  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src "
                  "'none'; "
                  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
        EXPECT_EQ(r.header("referrer-policy"), "same-origin");
    }
    // Even an answer to a request the server could not parse.
    http_connection c(server_->port());
    ASSERT_TRUE(c.send("BROKEN\r\n\r\n"));
    const auto bad = c.read_reply();
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400u);
    EXPECT_EQ(bad->header("x-content-type-options"), "nosniff");
}

TEST(auth_flow_tls, behind_tls_the_cookie_is_host_prefixed_and_secure) {
    loa::test::served s("access_log: off\nbehind_tls: true\n");
    const auto r = run_loa(
        s.dir(),
        {"user", "add", "--db", s.dir().file("loa.db").string(), "--name", "Hương", "--role", "viewer"},
        editor_password + "\n");
    ASSERT_EQ(r.status, 0) << r.err;
    http_connection c(s.port());
    ASSERT_TRUE(c.send("GET /login HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto page = c.read_reply();
    ASSERT_TRUE(page);
    const auto pre = set_cookie_named(*page, "__Host-loa_login");
    ASSERT_TRUE(pre);
    const std::string body = "csrf_token=" + form_encode(hidden_token(page->body)) +
                             "&name=" + form_encode("Hương") + "&password=" + form_encode(editor_password);
    ASSERT_TRUE(c.send("POST /login HTTP/1.1\r\nHost: x\r\nCookie: __Host-loa_login=" + cookie_of(*pre) +
                       "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body));
    const auto in = c.read_reply();
    ASSERT_TRUE(in);
    EXPECT_EQ(in->status, 303u) << in->body;
    const auto set = set_cookie_named(*in, "__Host-loa_session");
    ASSERT_TRUE(set);
    EXPECT_NE(set->find("; Path=/; HttpOnly; Secure"), std::string::npos) << *set;
    s.process().signal(SIGTERM);
    EXPECT_EQ(s.process().wait(std::chrono::seconds(10)), 0);
}

}  // namespace auth_flow_test_cpp
}  // namespace
