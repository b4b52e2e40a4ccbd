// What a handler sees of an HTTP exchange: a Beast-free request and response, so that handlers
// (one file per resource) stay light to compile and easy to test.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/campaign.hpp"

namespace loa::http {

// Who may call a route: the least role that is allowed (roles are ordered viewer < editor <
// approver < admin). Enforced in one place, dispatch(); department scope of editors is checked by
// app::permissions.
enum class access { anyone, viewer, editor, approver, admin };

// The signed-in user of a request (set by dispatch from the session cookie, before the handler).
struct principal {
    long long user_id = 0;
    std::string name;
    std::string role;        // admin | approver | editor | viewer
    std::string department;  // department code for editors, else empty
    core::localized department_name;  // its name from the campaigns (core::session_user), or empty
    std::string language;    // preferred language ("vi", "en") or empty
    std::string session_id;  // the cookie value (never logged)
    std::string csrf_token;  // the synchronizer token forms must send back as `csrf_token`
};

struct request {
    std::string method;  // "GET", "POST", … (HEAD is served as GET; the body is dropped later)
    std::string target;  // as received, e.g. /api/v1/campaigns?x=1
    std::string path;    // percent-decoded path without the query
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    std::map<std::string, std::string> params;               // path parameters, e.g. {slug}
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string remote_address;     // the peer's IP address, for throttling and logs
    std::optional<principal> user;  // set when a valid session cookie came with the request
    std::string lang = "vi";        // the page language: user preference, cookie, Accept-Language, else vi

    // The first query value named `name`, or nullopt.
    [[nodiscard]] std::optional<std::string> query_value(std::string_view name) const {
        for (const auto& [k, v] : query)
            if (k == name) return v;
        return std::nullopt;
    }
    // The first header named `name` (lower-case), or nullopt.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k == name) return v;
        return std::nullopt;
    }
    [[nodiscard]] const std::string& param(const std::string& name) const { return params.at(name); }
};

struct response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    // Bytes shared with a cache (the feeds): when set, they are the body and `body` is ignored; the
    // response keeps them alive until written, so a cached feed is never copied per request.
    std::shared_ptr<const std::string> shared_body;
    // An answer from memory (a cached feed) names what its head is made of: every response with
    // the same head_owner and head_variant has the same status, content type, extra headers and body
    // size, so a connection that wrote that head once may write the same bytes again. head_reused:
    // the request said its connection holds that head (head_key), so status and shared_body are set
    // but content_type and headers were not built; the head is the one the connection holds.
    std::shared_ptr<const void> head_owner;
    unsigned head_variant = 0;
    bool head_reused = false;
};

// The head a connection wrote last for an answer from memory (response::head_owner and
// head_variant), so that the same answer needs no headers built; no owner: none.
struct head_key {
    const void* owner = nullptr;
    unsigned variant = 0;
};

}  // namespace loa::http
