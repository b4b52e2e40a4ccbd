#include "tests/integration/web_session.hpp"

#include <csignal>
#include <filesystem>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/database.hpp"
#include "core/storage/user_store.hpp"
#include "tests/integration/loa_process.hpp"

namespace loa::test {

web_user add_web_user(core::database& db, const std::string& name, const std::string& role,
                      const std::string& department, const std::string& language) {
    core::new_user u;
    u.name = name;
    u.password_hash = "unused: the session is made directly";
    u.role = role;
    u.department = department;
    u.language = language;
    std::int64_t id = 0;
    if (core::create_user(db, u, "test", &id) != core::user_write::ok)
        throw std::runtime_error("cannot add user " + name);
    const auto s = core::create_session(db, id, std::chrono::system_clock::now(), core::session_limits{});
    return {"loa_session=" + s.id, s.csrf_token};
}

core::campaign shipped_campaign(const std::string& slug) {
    auto loaded =
        core::load_campaign_file(std::filesystem::path(LOA_SOURCE_DIR) / "campaigns" / (slug + ".yaml"));
    if (!loaded.value) throw std::runtime_error("the shipped campaign " + slug + " does not load");
    return std::move(*loaded.value);
}

std::string form_encode(const form_fields& fields) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        for (const std::string* s : {&name, &value}) {
            for (const unsigned char c : *s) {
                const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                   c == '-' || c == '_' || c == '.' || c == '~';
                if (plain) {
                    out += static_cast<char>(c);
                } else {
                    out += '%';
                    out += hex[c >> 4];
                    out += hex[c & 15];
                }
            }
            if (s == &name) out += '=';
        }
    }
    return out;
}

http_reply send_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::vector<std::string>& headers, const std::string& body,
                        std::chrono::seconds timeout) {
    http_connection c(port);
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& h : headers) req += h + "\r\n";
    if (method == "POST" || !body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    if (!c.send(req)) throw std::runtime_error("cannot send " + method + " " + target);
    auto r = c.read_reply(method == "HEAD", timeout);
    if (!r) throw std::runtime_error("no reply to " + method + " " + target);
    return std::move(*r);
}

std::vector<std::string> page_headers(const web_user* who, const std::string& lang) {
    std::vector<std::string> h{"Accept: text/html", "Accept-Language: " + lang};
    if (who != nullptr) h.push_back("Cookie: " + who->cookie);
    return h;
}

void stop_served(served& server) {
    server.process().signal(SIGTERM);
    EXPECT_EQ(server.process().wait(std::chrono::seconds(10)), 0) << server.process().stderr_text();
}

}  // namespace loa::test
