// The web kit every HTML page uses: Mustache pages inside one layout, translation (gettext
// catalogs), language choice, locale formatting of dates and numbers, urlencoded forms, redirects
// and error pages. Beast-free; namespace loa::web.
//
// How a page handler uses it (server/handlers/<resource>.cpp):
//
//     web::page_data d;                       // a kainjow::mustache::data object
//     d.set("title", web::tr(req.lang, "Campaign overview"));   // the <title> and usually the <h1>
//     d.set("campaign", campaign_title);      // {{campaign}} is HTML-escaped; never use {{{ }}} for data
//     co_return web::render_page(req, "overview", std::move(d));  // templates/web/overview.mustache
//
// In templates, every user-visible string is a translation section with its English msgid:
//     <h1>{{#t}}Campaign overview{{/t}}</h1>
//     <p>{{#t}}Signed in as {{user.name}}{{/t}}</p>      (a msgid may hold {{tags}}; they are
//                                                           rendered, escaped, after translation)
// The msgid is the section text with runs of white space collapsed to one space and trimmed. Its
// Vietnamese goes into the catalog of the area that owns the page: locale/vi/<area>.po with area =
// web | auth | calendar | messages (msgid in English, msgstr in Vietnamese). The build compiles every
// catalog with msgfmt into <build>/locale/vi/LC_MESSAGES/<area>.mo; lookup tries every area.
// The test MsgidCoverage.EveryTemplateMsgidHasVietnamese (unit_web) fails when a msgid used in
// templates/web/*.mustache, or a literal msgid of tr() in server/handlers and server/web, has no
// Vietnamese translation in any catalog; it lists each one with its file.
//
// Variables every page gets (set by render_page, a handler's own values win over nothing of these
// except `title`, which the handler should set):
//   lang ("vi"|"en"), lang_vi / lang_en (booleans), other_lang ("en"|"vi"), other_lang_name
//   path (the request path), path_query (path + query, when local), next (path_query URL-encoded)
//     — the language switcher's way back, so only for GET/HEAD; for any other method (a form sent
//     back with its errors) "/", unless the handler sets path_query itself to the page to fetch
//     instead (e.g. "/account" after POST /account/password); next then follows it
//   title (set by the handler), has_title
//   user {name, role, role_label, department, has_department, is_admin, is_approver, is_editor}
//     — absent when not signed in
//   csrf_token (the signed-in user's token, for hidden inputs named `csrf_token`)
//   nav [{href, label, current}] — links for the user's role
//   flash — optional text the handler sets (shown in a role="status" box at the top of <main>)
//   t — the translation lambda
// Templates whose file name starts with '_' (templates/web/_field.mustache) are partials: {{> _field}}.
//
// Dispatch (owned by "auth") should answer browser requests with error_page() for 404/405/403/413/429/
// 500 instead of problem+json: use `wants_html(req)` to tell the two apart (anything under /api/ or
// /healthz, /metrics stays JSON).
#pragma once

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "core/domain/campaign.hpp"
#include "core/time/zone.hpp"
#include "server/http/exchange.hpp"

namespace loa::web {

// The value tree a template renders: set("key", "text"), set("flag", true), set("items", page_list).
// Beware two kainjow rules: an EMPTY STRING IS TRUE in a section ({{#x}}…{{/x}} renders for x = ""),
// so set optional text with set_optional() (absent when empty) or a boolean; and a name missing in a
// list item is looked up in the enclosing objects, so give every item all of its keys.
using page_data = kainjow::mustache::data;
using page_list = kainjow::mustache::list;

// Sets `key` to `value` only when `value` is not empty, so that {{#key}}…{{/key}} shows only then.
void set_optional(page_data& data, const std::string& key, const std::string& value);

// ---- Start-up -----------------------------------------------------------------------------------

struct web_paths {
    std::filesystem::path templates_dir;  // holds layout.mustache, <page>.mustache, static/
    std::filesystem::path locale_dir;     // holds vi/LC_MESSAGES/<area>.mo
};

// The default paths: templates from the source tree's templates/web (compiled-in path), catalogs
// from <directory of the running binary>/locale, else ../locale, else the build tree's locale/.
[[nodiscard]] web_paths default_paths();

// Loads and parses every template, the static assets of the allow-list and the catalogs, once.
// Throws std::runtime_error naming the file on a missing directory, a missing allow-listed asset
// or a Mustache syntax error ("templates/web/overview.mustache: Unclosed section …"). Call it at
// server start (a later call replaces what is loaded; not while requests are being served).
// render_page() and friends call init(default_paths()) themselves if nothing was loaded yet.
void init(const web_paths& paths);
// init(default_paths()) unless already loaded. Thread-safe.
void ensure_loaded();

// ---- Pages --------------------------------------------------------------------------------------

// Renders templates/web/<template_name>.mustache with `data` plus the common variables above, and
// puts it inside layout.mustache as its <main>. 200 (or `status`) text/html; charset=utf-8 with
// Cache-Control: no-store. An unknown template or a render error throws std::runtime_error (a bug:
// dispatch turns it into a 500). Thread-safe.
[[nodiscard]] http::response render_page(const http::request& req, std::string_view template_name,
                                         page_data data, unsigned status = 200);

// The same template rendered alone, without the layout (fragments, previews). Thread-safe.
[[nodiscard]] std::string render_fragment(const http::request& req, std::string_view template_name,
                                          page_data data);

// The common variables for `req` (what render_page adds), for handlers that build their own data.
[[nodiscard]] page_data common_data(const http::request& req);

// The name of the user's department in `lang` ("vi" or "en") as the campaigns give it (the
// Vietnamese name when there is no English one), the department code when no campaign names it, ""
// for a user without a department. Thread-safe.
[[nodiscard]] std::string department_label(const http::principal& user, std::string_view lang);

// 303 See Other to `location` (a local path such as "/campaigns/hp-2024"). Thread-safe.
[[nodiscard]] http::response redirect(std::string location);

// A page for `status` (403, 404, 405, 413, 429, 500 and any other 4xx/5xx) in req.lang, inside the
// layout, with a link home. 429 adds Retry-After when `retry_after_s` > 0. Never throws for a known
// status except on allocation failure; falls back to a plain-text body if the templates cannot load.
[[nodiscard]] http::response error_page(const http::request& req, unsigned status,
                                        unsigned retry_after_s = 0);

// The same page with `detail` (plain text in req.lang, escaped here) below the general message: what
// exactly was refused and what is expected, e.g. which query parameter and in what form.
[[nodiscard]] http::response error_page(const http::request& req, unsigned status, const std::string& detail);

// True for GET and HEAD: a request whose address can be fetched again (a link back to it works).
[[nodiscard]] bool is_fetch(const http::request& req);

// True when the request comes from a browser page (not /api/…, /healthz, /metrics) and should get
// HTML errors rather than problem+json.
[[nodiscard]] bool wants_html(const http::request& req);

// error_page() when the request is a browser page (wants_html) whose Accept names text/html, else
// problem+json with `detail`. For errors answered before dispatch (413 over-size bodies in the
// session), where req.lang is chosen here from the request's cookie and Accept-Language.
[[nodiscard]] http::response error_response(http::request req, unsigned status, std::string detail);

// ---- Language -----------------------------------------------------------------------------------

// "vi" or "en". Order: the user's preference (req.user->language), then the `lang` cookie (set by
// GET /lang), then Accept-Language (q-values honoured, "vi-VN" counts as vi), else "vi".
[[nodiscard]] std::string choose_language(const http::request& req);

// True for "vi" and "en".
[[nodiscard]] bool is_supported_language(std::string_view lang);

// True when `target` is a path on this site ("/x?y"), i.e. safe to redirect to: starts with one '/',
// not "//" or "/\", no scheme, no control characters.
[[nodiscard]] bool is_local_path(std::string_view target);

// ---- Translation --------------------------------------------------------------------------------

// The translation of `msgid` (English) into `lang`: English is the msgid itself; a msgid missing
// from every catalog is also returned as is (never an empty string). White space in `msgid` is
// collapsed as for templates. Thread-safe.
[[nodiscard]] std::string tr(std::string_view lang, std::string_view msgid);

// tr() and then "{name}" placeholders replaced by their values (values are not translated nor
// escaped: this is plain text; escape it in the template as usual).
[[nodiscard]] std::string tr(std::string_view lang, std::string_view msgid,
                             const std::vector<std::pair<std::string, std::string>>& args);

// ---- Form error summaries -----------------------------------------------------------------------

// A form's field and what the error summary at the top of the form calls it (a msgid: the label
// the form shows, or its legend). A form lists its fields in their order on the page.
struct form_field_label {
    std::string_view field;
    std::string_view label;
};

// The place of `field` in `fields` (fields.size() when it is not listed): the summary's order.
[[nodiscard]] std::size_t field_order(std::span<const form_field_label> fields, std::string_view field);

// An entry of the error summary: the field's name before its message ("Place in Vietnamese: At most
// 200 characters.", msgid "{field}: {error}"), since away from the field the message alone may not
// say which one it is about; the message alone for a field not listed. `message` is translated.
[[nodiscard]] std::string summary_message(std::string_view lang, std::span<const form_field_label> fields,
                                          std::string_view field, const std::string& message);

// True when some loaded catalog translates `msgid` into `lang` (always true for "en"). For tests.
[[nodiscard]] bool has_translation(std::string_view lang, std::string_view msgid);

// The msgids of every {{#t}}…{{/t}} section in a template source, collapsed as above.
[[nodiscard]] std::vector<std::string> template_msgids(std::string_view source);

// ---- Formatting ---------------------------------------------------------------------------------
// Vietnamese: dates dd/mm/yyyy, "Thứ Ba", "tháng 7", numbers 1.234,5. English: "30 July 2024",
// "Tuesday", "July", numbers 1,234.5. Times are 24-hour "19:00" in both. Thread-safe.

[[nodiscard]] std::string format_date(core::calendar_date d, std::string_view lang);
// With the weekday: "Thứ Ba, 30/07/2024" / "Tuesday, 30 July 2024".
[[nodiscard]] std::string format_date_long(core::calendar_date d, std::string_view lang);
// "19:00" (minutes after midnight, 0–1439; larger values wrap).
[[nodiscard]] std::string format_time(std::chrono::minutes since_midnight, std::string_view lang);
// A wall-clock date and time: "30/07/2024 19:00" / "30 July 2024, 19:00".
[[nodiscard]] std::string format_local_datetime(core::local_time t, std::string_view lang);
// An instant shown in `zone` (the campaign's, from core::find_zone): as format_local_datetime.
// A null zone means UTC.
[[nodiscard]] std::string format_datetime(core::sys_seconds t, const date::time_zone* zone,
                                          std::string_view lang);
// `decimals` digits after the separator (0 = none; -1 = as many as needed, up to 6, no trailing zeros).
[[nodiscard]] std::string format_number(double value, std::string_view lang, int decimals = -1);
[[nodiscard]] std::string format_integer(long long value, std::string_view lang);
// A share as a percentage, rounded to at most `decimals` digits, no space before the sign (as
// every page writes them): 0.625 → "62,5%" / "62.5%"; 1 → "100%".
[[nodiscard]] std::string format_percent(double fraction, std::string_view lang, int decimals = 1);
// "Thứ Hai" … "Chủ nhật" / "Monday" … "Sunday"; abbreviated: "T2" … "CN" / "Mon" … "Sun".
[[nodiscard]] std::string weekday_name(date::weekday wd, std::string_view lang, bool abbreviated = false);
// "Tháng 7" / "July"; abbreviated: "Th7" / "Jul".
[[nodiscard]] std::string month_name(date::month m, std::string_view lang, bool abbreviated = false);
// ISO "2024-07-30", for <input type="date"> values and URLs (same in every language).
[[nodiscard]] std::string iso_date(core::calendar_date d);

// ---- Forms and URLs -----------------------------------------------------------------------------

using form_fields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded (also query strings): '+' is a space, %XX a byte; a malformed
// escape ("%G1", "%4") is kept literally; empty names are dropped; order and repeats are kept.
// Invalid UTF-8 in the result is replaced by U+FFFD so templates never carry broken text.
[[nodiscard]] form_fields parse_form(std::string_view body);

// The first of `names` that the query of a page gives twice or more with different values (a page
// reads one value of each, and which one was meant is not known), or nullopt. The same value
// repeated is harmless and not reported.
[[nodiscard]] std::optional<std::string> ambiguous_parameter(const form_fields& query,
                                                             std::initializer_list<std::string_view> names);
// The 400 page for it, in req.lang: "The parameter “outlet” is given more than once, with different
// values: give it once."
[[nodiscard]] http::response ambiguous_parameter_page(const http::request& req, const std::string& name);

// A parsed form with lookups. Cheap to copy; not synchronised (one per request).
class form {
public:
    form() = default;
    explicit form(std::string_view body) : fields_(parse_form(body)) {}
    explicit form(form_fields fields) : fields_(std::move(fields)) {}

    // The first value of `name`, or "" when absent.
    [[nodiscard]] std::string get(std::string_view name) const;
    // A textarea's value: get() with its line breaks as LF (browsers send CRLF but count a line
    // break as one character for maxlength; the server's limits count it as one too), in Unicode
    // NFC (a letter some input methods send as a base and a combining accent is one code point,
    // so lengths and SMS counts are what people see), without the invisible control characters a
    // campaign file may not hold (core::typed_text: what `loa export` writes, `loa import` reads).
    [[nodiscard]] std::string text(std::string_view name) const;
    // A text input's value people read (a title, a place): one line (line breaks and tabs sent
    // anyway are spaces), otherwise as text() is. get()
    // keeps the bytes as sent: passwords are compared as typed, also with hashes made before
    // normalisation (app/passwords.cpp).
    [[nodiscard]] std::string words(std::string_view name) const;
    // The first value of `name`, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> find(std::string_view name) const;
    // Every value of `name`, in order (checkboxes, multi-selects).
    [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
    [[nodiscard]] bool has(std::string_view name) const { return find(name).has_value(); }
    [[nodiscard]] const form_fields& fields() const { return fields_; }

private:
    form_fields fields_;
};

// Percent-encodes for a query component (RFC 3986 unreserved kept, space as %20).
[[nodiscard]] std::string url_encode(std::string_view text);

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
[[nodiscard]] std::optional<std::string> cookie(const http::request& req, std::string_view name);

// ---- Static assets ------------------------------------------------------------------------------

// GET /static/<name> for a name on the allow-list (loa.css, loa.js, messages.js), read once at init from
// templates/web/static/<name>: 200 with Content-Type, Cache-Control and ETag, or 304 when the
// request's If-None-Match matches; nullopt for any other name (the caller answers 404). Thread-safe.
[[nodiscard]] std::optional<http::response> static_asset(const http::request& req, std::string_view name);

}  // namespace loa::web
