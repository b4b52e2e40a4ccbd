// What the page and API integration tests share: a signed-in user made with the store's own
// functions (as `loa user add` and the login page do; the password plays no part), the shipped
// campaign, form encoding, and one request on its own connection.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/campaign.hpp"
#include "tests/integration/http_client.hpp"

namespace loa::core {
class database;
}

namespace loa::test {

class served;

// A session of a user: its cookie ("loa_session=…") and its CSRF token.
struct web_user {
    std::string cookie;
    std::string csrf;
};

using form_fields = std::vector<std::pair<std::string, std::string>>;

// Adds the user `name` with a fresh session; throws std::runtime_error when the store refuses it.
web_user add_web_user(core::database& db, const std::string& name, const std::string& role,
                      const std::string& department = {}, const std::string& language = {});

// campaigns/<slug>.yaml of the source tree, loaded; throws std::runtime_error when it does not load.
core::campaign shipped_campaign(const std::string& slug);

// application/x-www-form-urlencoded, every byte outside the unreserved set escaped.
std::string form_encode(const form_fields& fields);

// `method target` on a fresh connection with "Connection: close", the extra header lines
// ("Name: value") and, for a POST or a body, its Content-Length. Throws std::runtime_error when the
// request cannot be sent or no reply comes within `timeout`.
http_reply send_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::vector<std::string>& headers, const std::string& body = {},
                        std::chrono::seconds timeout = std::chrono::seconds(20));

// The headers of a browser asking for a page: HTML, `lang`, and the user's cookie when there is one.
std::vector<std::string> page_headers(const web_user* who, const std::string& lang = "vi");

// SIGTERM, then expects loa to exit with 0 within ten seconds (its stderr shown when not).
void stop_served(served& server);

}  // namespace loa::test
