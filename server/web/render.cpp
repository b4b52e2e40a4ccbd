// Pages from Mustache templates inside the layout, error pages, redirects and static assets; the
// templates and assets are read and checked once, then shared read-only by every io thread.
#include "server/web/render.hpp"

#include <array>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "server/app/permissions.hpp"
#include "server/http/problem.hpp"
#include "server/web/detail.hpp"

#ifndef LOA_WEB_TEMPLATES_DIR
#error "LOA_WEB_TEMPLATES_DIR must name templates/web (set by server/CMakeLists.txt)"
#endif
#ifndef LOA_WEB_LOCALE_DIR
#error "LOA_WEB_LOCALE_DIR must name <build>/locale (set by server/CMakeLists.txt)"
#endif

namespace loa::web {

namespace {

struct asset_entry {
    std::string_view name;
    std::string_view content_type;
};

// The only files /static/ serves, read from templates/web/static/<name> at init. A request path is
// never mapped onto the disk.
constexpr std::array<asset_entry, 4> asset_allow_list = {{
    {"loa.css", "text/css; charset=utf-8"},
    {"favicon.svg", "image/svg+xml"},  // a loudspeaker; the layout links it, so no /favicon.ico is asked
    {"loa.js", "text/javascript; charset=utf-8"},
    {"messages.js", "text/javascript; charset=utf-8"},  // the message editor's live previews ("messages")
}};

struct asset {
    std::string content_type;
    std::string body;
    std::string etag;  // quoted, strong
};

struct kit {
    web_paths paths;
    std::map<std::string, std::string, std::less<>> templates;  // name (file stem) → source
    std::map<std::string, asset, std::less<>> assets;
    std::string static_version;  // changes whenever an asset does: cache-busting ?v= in the layout
};

std::atomic<std::shared_ptr<const kit>> loaded_kit;
std::mutex init_mutex;

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error(p.string() + ": cannot read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string hex64(std::uint64_t v) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = digits[v & 0xFu];
        v >>= 4;
    }
    return s;
}

// FNV-1a: enough to tell one version of a small file from another.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) {
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::shared_ptr<const kit> current_kit() {
    ensure_loaded();
    return loaded_kit.load();
}

std::filesystem::path executable_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path{} : exe.parent_path();
}

bool is_partial(std::string_view name) {
    return !name.empty() && name.front() == '_';
}

std::string render_template(const kit& k, std::string_view name, const page_data& data) {
    const auto it = k.templates.find(name);
    if (it == k.templates.end())
        throw std::runtime_error("no template " + std::string(name) + ".mustache in " +
                                 k.paths.templates_dir.string());
    kainjow::mustache::mustache tmpl{it->second};
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) throw std::runtime_error(std::string(name) + ".mustache: " + tmpl.error_message());
    return out;
}

// Adds the partials ({{> _name}}) and the common variables the handler did not set itself.
void complete(const kit& k, const http::request& req, page_data& data) {
    page_data common = common_data(req);
    for (const auto& [name, source] : k.templates) {
        if (!is_partial(name)) continue;
        const std::string* src = &source;  // `k` outlives the render
        common.set(name, kainjow::mustache::partial{[src] { return *src; }});
    }
    common.set("static_version", k.static_version);
    if (!data.is_object()) data = page_data{};
    // A handler that names the page to come back to (path_query, for a form answered to a POST)
    // gets the switcher's link to it too; a value that is not a local path is not used.
    if (const page_data* own = data.get("path_query"); own != nullptr && data.get("next") == nullptr) {
        if (own->is_string() && is_local_path(own->string_value()))
            data.set("next", url_encode(own->string_value()));
        else
            data.set("path_query", *common.get("path_query"));
    }
    for (const char* key : {"lang", "lang_vi", "lang_en", "other_lang", "other_lang_name", "path",
                            "path_query", "next", "user", "csrf_token", "t", "static_version"}) {
        if (data.get(key) == nullptr && common.get(key) != nullptr) data.set(key, *common.get(key));
    }
    for (const auto& [name, source] : k.templates)
        if (is_partial(name) && data.get(name) == nullptr) data.set(name, *common.get(name));
}

constexpr std::array<std::string_view, 4> role_labels = {"Administrator", "Approver", "Editor", "Viewer"};
constexpr std::string_view campaigns_label = "Campaigns";
// The dispatch log (server/handlers/dispatches.cpp): not a campaign's page, so beside "Campaigns".
constexpr std::string_view dispatch_label = "Dispatch log";

std::string_view role_label(const std::string& role) {
    if (role == "admin") return role_labels[0];
    if (role == "approver") return role_labels[1];
    if (role == "editor") return role_labels[2];
    return role_labels[3];
}

struct nav_entry {
    std::string_view suffix;  // after /campaigns/{slug}
    std::string_view label;   // msgid
    http::access need;
};

// The campaign navigation. The pages behind them belong to their areas (calendar, messages, planner,
// compliance, auth).
constexpr std::array<nav_entry, 7> campaign_nav = {{
    {"", "Overview", http::access::viewer},
    {"/calendar", "Calendar", http::access::viewer},
    {"/messages", "Messages", http::access::viewer},
    {"/plan", "Planner", http::access::viewer},
    {"/compliance", "Compliance", http::access::viewer},
    {"/approvals", "Approvals", http::access::approver},
    {"/audit", "Audit log", http::access::approver},
}};

// The dispatch log's link, last in every navigation of a signed-in user.
page_data dispatch_item(const http::request& req) {
    page_data item;
    item.set("href", "/dispatch");
    item.set("label", tr(req.lang, dispatch_label));
    item.set("current", req.path == "/dispatch" || req.path.starts_with("/dispatch/"));
    return item;
}

page_list build_nav(const http::request& req, const page_data& data) {
    page_list items;
    if (!req.user) return items;
    const page_data* slug = data.get("campaign_slug");
    if (slug == nullptr || !slug->is_string()) {
        page_data item;
        item.set("href", "/");
        item.set("label", tr(req.lang, campaigns_label));
        item.set("current", req.path == "/");
        items.push_back(item);
        items.push_back(dispatch_item(req));
        return items;
    }
    const std::string base = "/campaigns/" + slug->string_value();
    for (const auto& e : campaign_nav) {
        if (!app::allows(e.need, req.user)) continue;
        const std::string href = base + std::string(e.suffix);
        page_data item;
        item.set("href", href);
        item.set("label", tr(req.lang, e.label));
        const bool current = req.path == href || (!e.suffix.empty() && req.path.size() > href.size() &&
                                                  req.path.starts_with(href + "/"));
        item.set("current", current);
        items.push_back(item);
    }
    items.push_back(dispatch_item(req));
    return items;
}

http::response html(unsigned status, std::string body, std::string_view lang) {
    http::response res;
    res.status = status;
    res.content_type = "text/html; charset=utf-8";
    res.body = std::move(body);
    res.headers.emplace_back("Cache-Control", "no-store");
    res.headers.emplace_back("Content-Language", std::string(lang));
    return res;
}

struct error_text {
    unsigned status;
    std::string_view title;    // msgid
    std::string_view message;  // msgid
};

constexpr std::array<error_text, 9> error_texts = {{
    {400, "Bad request", "The request could not be understood. Please go back and try again."},
    {403, "Access denied",
     "You do not have permission to do this, or the form has expired. Go back, reload the page and try "
     "again."},
    {404, "Page not found",
     "There is no page at this address. Check the address or start again from the home page."},
    {405, "Action not allowed", "This page cannot be used this way."},
    {409, "Conflict",
     "Someone else changed this in the meantime. Reload the page to see the latest version."},
    {413, "Too much data",
     "What you sent is larger than the server accepts. Please shorten it and try again."},
    {429, "Too many attempts", "Too many attempts in a short time. Please wait a moment and try again."},
    {500, "Something went wrong", "The server could not complete the request. Please try again later."},
    {503, "Service unavailable", "The server is busy or shutting down. Please try again in a moment."},
}};

const error_text& error_for(unsigned status) {
    for (const auto& e : error_texts)
        if (e.status == status) return e;
    return status >= 500 ? error_texts[7] : error_texts[0];
}

}  // namespace

std::vector<std::string_view> detail::builtin_msgids() {
    std::vector<std::string_view> ids;
    for (const auto& e : error_texts) {
        ids.push_back(e.title);
        ids.push_back(e.message);
    }
    for (const auto& n : campaign_nav) ids.push_back(n.label);
    for (const auto r : role_labels) ids.push_back(r);
    ids.push_back(campaigns_label);
    ids.push_back(dispatch_label);
    return ids;
}

void set_optional(page_data& data, const std::string& key, const std::string& value) {
    if (!value.empty()) data.set(key, value);
}

web_paths default_paths() {
    web_paths p;
    const auto from_env = [](const char* name) -> std::filesystem::path {
        // Safe: loa never changes its environment once running.
        const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
        return v != nullptr ? std::filesystem::path(v) : std::filesystem::path{};
    };
    p.templates_dir = from_env("LOA_WEB_DIR");
    if (p.templates_dir.empty()) p.templates_dir = LOA_WEB_TEMPLATES_DIR;
    p.locale_dir = from_env("LOA_LOCALE_DIR");
    if (!p.locale_dir.empty()) return p;
    // Next to the binary (build/loa → build/locale), or one up for test binaries in build/tests/.
    const auto exe = executable_dir();
    std::error_code ec;
    for (const auto& candidate : {exe / "locale", exe.parent_path() / "locale"}) {
        if (!exe.empty() && std::filesystem::is_directory(candidate / "vi" / "LC_MESSAGES", ec)) {
            p.locale_dir = candidate;
            return p;
        }
    }
    p.locale_dir = LOA_WEB_LOCALE_DIR;
    return p;
}

void init(const web_paths& paths) {
    auto k = std::make_shared<kit>();
    k->paths = paths;
    std::error_code ec;
    if (!std::filesystem::is_directory(paths.templates_dir, ec))
        throw std::runtime_error("web templates: no directory " + paths.templates_dir.string());
    for (const auto& entry : std::filesystem::directory_iterator(paths.templates_dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
        std::string source = read_file(entry.path());
        const kainjow::mustache::mustache parsed{source};
        if (!parsed.is_valid())
            throw std::runtime_error(entry.path().string() + ": " + parsed.error_message());
        k->templates.emplace(entry.path().stem().string(), std::move(source));
    }
    for (const char* required : {"layout", "error"})
        if (!k->templates.contains(required))
            throw std::runtime_error(
                "web templates: " + (paths.templates_dir / (std::string(required) + ".mustache")).string() +
                " is missing");
    std::uint64_t version = fnv1a("");
    for (const auto& a : asset_allow_list) {
        asset item;
        item.content_type = std::string(a.content_type);
        item.body = read_file(paths.templates_dir / "static" / std::string(a.name));
        const std::uint64_t h = fnv1a(item.body);
        item.etag = "\"" + hex64(h) + "\"";
        version = fnv1a(item.etag, version);
        k->assets.emplace(std::string(a.name), std::move(item));
    }
    k->static_version = hex64(version).substr(0, 10);
    detail::load_catalogs(paths.locale_dir);
    loaded_kit.store(std::move(k));
}

void ensure_loaded() {
    if (loaded_kit.load()) return;
    const std::lock_guard lock(init_mutex);
    if (loaded_kit.load()) return;
    init(default_paths());
}

std::string department_label(const http::principal& user, std::string_view lang) {
    if (user.department.empty()) return {};
    const std::string& name = user.department_name.in(lang);  // English falls back to Vietnamese
    return name.empty() ? user.department : name;
}

namespace {

// `target` without the query parameters that announce what was just done ("?done=approved",
// "saved=CODE", "cancelled=CODE"): coming back to the page (after switching the language, after
// signing in again) must not announce it again. The other parameters stay as they were sent.
std::string without_notices(const std::string& target) {
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return target;
    boost::urls::url url(*parsed);
    for (const std::string_view notice : {"done", "saved", "cancelled"}) url.params().erase(notice);
    if (url.params().empty()) url.remove_query();
    return std::string(url.buffer());
}

}  // namespace

page_data common_data(const http::request& req) {
    page_data d;
    const std::string lang = is_supported_language(req.lang) ? req.lang : "vi";
    d.set("lang", lang);
    d.set("lang_vi", lang == "vi");
    d.set("lang_en", lang == "en");
    d.set("other_lang", lang == "vi" ? "en" : "vi");
    // Each language's name in itself, so a reader finds their own language.
    d.set("other_lang_name", lang == "vi" ? "English" : "Tiếng Việt");
    d.set("path", req.path);
    // The language switch goes back to this address with a GET: the address of a POST (a form sent
    // back with its errors) cannot be fetched, so the handler names the page (path_query) or it is home.
    const std::string path_query = is_fetch(req) && is_local_path(req.target) ? without_notices(req.target) : "/";
    d.set("path_query", path_query);
    d.set("next", url_encode(path_query));
    if (req.user) {
        page_data u;
        u.set("name", req.user->name);
        u.set("role", req.user->role);
        u.set("role_label", tr(lang, role_label(req.user->role)));
        // Both always set: a key missing here would be looked up in the page's own data.
        u.set("department", department_label(*req.user, lang));
        u.set("has_department", !req.user->department.empty());
        // Roles are decided in one place (server/app/permissions), as dispatch decides access.
        u.set("is_admin", app::allows(http::access::admin, req.user));
        u.set("is_approver", app::allows(http::access::approver, req.user));
        u.set("is_editor",
              app::allows(http::access::editor, req.user) && !app::allows(http::access::approver, req.user));
        d.set("user", u);
        d.set("csrf_token", req.user->csrf_token);
    }
    d.set("t", kainjow::mustache::lambda{[lang](const std::string& text) {
              // Escaped before it is rendered: {{tags}} inside a msgid survive, markup does not.
              return detail::html_escape(tr(lang, text));
          }});
    return d;
}

std::string render_fragment(const http::request& req, std::string_view template_name, page_data data) {
    const auto k = current_kit();
    complete(*k, req, data);
    return render_template(*k, template_name, data);
}

http::response render_page(const http::request& req, std::string_view template_name, page_data data,
                           unsigned status) {
    const auto k = current_kit();
    complete(*k, req, data);
    const page_list nav = build_nav(req, data);
    data.set("has_nav", !nav.empty());
    data.set("nav", nav);
    if (const page_data* flash = data.get("flash");
        flash != nullptr && flash->is_string() && flash->string_value().empty())
        data.set("flash", false);
    const page_data* title = data.get("title");
    data.set("has_title", title != nullptr && title->is_string() && !title->string_value().empty());
    const std::string content = render_template(*k, template_name, data);
    // The page's own HTML, already escaped where it holds data: the layout's one {{{ }}}.
    data.set("content", content);
    std::string body = render_template(*k, "layout", data);
    const std::string lang = data.get("lang")->string_value();
    return html(status, std::move(body), lang);
}

http::response redirect(std::string location) {
    http::response res;
    res.status = 303;
    res.content_type = "text/plain; charset=utf-8";
    res.headers.emplace_back("Location", std::move(location));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
}

namespace {

http::response error_page_with(const http::request& req, unsigned status, unsigned retry_after_s,
                               const std::string& detail) {
    const std::string lang = is_supported_language(req.lang) ? req.lang : "vi";
    const error_text& e = error_for(status);
    http::response res;
    try {
        page_data d;
        d.set("title", tr(lang, e.title));
        d.set("message", tr(lang, e.message));
        d.set("status", std::to_string(status));
        d.set("has_detail", !detail.empty());
        d.set("detail", detail);
        res = render_page(req, "error", std::move(d), status);
    } catch (const std::exception&) {
        // The templates themselves failed: still answer, in plain words.
        res.status = status;
        res.content_type = "text/plain; charset=utf-8";
        res.body = std::to_string(status) + " " + tr(lang, e.title) + "\n";
        res.headers.emplace_back("Cache-Control", "no-store");
    }
    if (status == 429 && retry_after_s > 0)
        res.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return res;
}

}  // namespace

http::response error_page(const http::request& req, unsigned status, unsigned retry_after_s) {
    return error_page_with(req, status, retry_after_s, {});
}

http::response error_page(const http::request& req, unsigned status, const std::string& detail) {
    return error_page_with(req, status, 0, detail);
}

bool is_fetch(const http::request& req) {
    return req.method == "GET" || req.method == "HEAD";
}

bool wants_html(const http::request& req) {
    const std::string_view p = req.path;
    return !(p.starts_with("/api/") || p == "/api" || p == "/healthz" || p == "/metrics");
}

http::response error_response(http::request req, unsigned status, std::string detail) {
    const auto accept = req.header("accept");
    if (wants_html(req) && accept && accept->find("text/html") != std::string::npos) {
        req.lang = choose_language(req);
        return error_page(req, status);
    }
    return http::problem(status, http::status_title(status), std::move(detail));
}

std::optional<http::response> static_asset(const http::request& req, std::string_view name) {
    const auto k = current_kit();
    const auto it = k->assets.find(name);
    if (it == k->assets.end()) return std::nullopt;
    const asset& a = it->second;
    http::response res;
    res.content_type = a.content_type;
    res.headers.emplace_back("ETag", a.etag);
    // Pages link assets with ?v=<static_version>, so a day of caching never serves a stale file.
    res.headers.emplace_back("Cache-Control", "public, max-age=86400");
    if (const auto inm = req.header("if-none-match")) {
        std::string_view rest = *inm;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view tag = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
            while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
            if (tag.starts_with("W/")) tag.remove_prefix(2);
            if (tag == a.etag || tag == "*") {
                res.status = 304;
                return res;
            }
        }
    }
    res.body = a.body;
    return res;
}

}  // namespace loa::web
