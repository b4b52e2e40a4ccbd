// A message as each channel carries it: templates/messages/<channel>.mustache rendered (kainjow
// mustache, plain text) from the message in one language, its campaign and, when it has one, the
// outlet and slot it goes out in; plus the channel's fit (SMS segments, read time against the slot,
// social length). The same renderer serves the message pages' previews (no slot), the feeds and the
// dispatcher (a slot), so what was approved is what goes out. No Beast, no database.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/channels/text_metrics.hpp"
#include "core/diagnostic.hpp"
#include "core/domain/campaign.hpp"

namespace loa::core {

// What of the campaign a channel template may use.
struct channel_context {
    localized campaign_title;
    localized theme;
    std::vector<hotline> hotlines;  // in file order; the first is "the" hotline
    std::vector<key_date> key_dates;
};

[[nodiscard]] channel_context channel_context_of(const campaign& c);

// The outlet and slot a message goes out in (a placement). Absent in the editor's preview.
struct slot_context {
    localized outlet_name;
    std::string outlet_kind;
    std::string time_zone;  // the outlet's IANA zone: slot_date/slot_time/slot_weekday are local there
    std::chrono::sys_seconds start{};
    int duration_s = 0;
    localized daypart;  // the daypart's name; empty when the slot has none
};

// The slot of a placement on outlet `o` starting at `start`: the outlet's name, kind and zone, and
// the name of its daypart `daypart_code` ("" or unknown: no daypart name).
[[nodiscard]] slot_context slot_context_of(const outlet& o, std::chrono::sys_seconds start, int duration_s,
                                           std::string_view daypart_code);

// Template variables (every tag of a channel template must name one of these, see
// check_channel_template). Inside {{#hotline}} / {{#hotlines}}: number, name, hours; inside
// {{#key_date}}: date, name.
inline constexpr const char* channel_template_variables[] = {
    "vi",           "en",        "code",      "title",        "text",       "duration_s",
    "has_duration", "priority",  "airings",   "flight_start", "flight_end", "campaign_title",
    "theme",        "hotline",   "hotlines",  "key_date",     "has_slot",   "outlet_name",
    "outlet_kind",  "slot_date", "slot_time", "slot_weekday", "daypart",    "slot_duration_s"};

// Problems of one channel template's source, each located as file_name:line:column: Mustache
// syntax errors (as kainjow reports them: an unclosed tag or section, a section closed that was
// never opened, a bad set-delimiter tag), a tag naming no template variable (in sections and
// inverted sections too, with the variables in scope there), partials and set-delimiter tags (not
// allowed). A syntax error is reported alone (names are checked once the template parses). Empty
// when the template is fine.
[[nodiscard]] diagnostics check_channel_template(std::string_view source, const std::string& file_name);

// Every problem of every template in a directory, together; what() lists them one per line.
class template_error : public std::runtime_error {
public:
    explicit template_error(diagnostics problems);
    [[nodiscard]] const diagnostics& problems() const noexcept { return problems_; }

private:
    diagnostics problems_;
};

// The key date a message leads up to: the heaviest key date inside its flight window (earliest on a
// tie), or nullopt when none falls inside.
[[nodiscard]] std::optional<key_date> key_date_for(const message& m, const std::vector<key_date>& key_dates);

// How a channel is measured in the preview.
enum class channel_fit { sms, spoken, social, text };
[[nodiscard]] channel_fit fit_of(std::string_view channel) noexcept;

// The loaded channel templates. Immutable after construction as far as callers can tell, so one
// object may be shared by threads: render() takes a parsed template from a small pool (parsing
// costs more than rendering; a feed renders hundreds), renders with it and gives it back, so no
// two threads ever use one parsed template at once. Copies share the pool.
class channel_templates {
public:
    channel_templates() = default;  // none: render() gives nullopt for every channel
    // Reads and checks <dir>/<channel>.mustache for each name in channel_names
    // (check_channel_template). Throws template_error listing every problem of every file (one that
    // is missing or cannot be read included) when any has one: a template with a problem is never
    // rendered, and every channel has one.
    explicit channel_templates(const std::filesystem::path& dir);

    [[nodiscard]] bool has(std::string_view channel) const;

    // The message as `channel` carries it in `lang` ("vi" or "en"; English falls back to Vietnamese
    // per field when untranslated): plain text, NOT HTML-escaped (a page must escape it), with
    // leading and trailing blank space removed. Message and campaign text are inserted literally:
    // Mustache tags inside them are not expanded. nullopt when there is no template for `channel`.
    //
    // Variables: vi / en (booleans for language sections), code, title, text, duration_s,
    // has_duration, priority, airings, flight_start, flight_end (dates in the language's format:
    // dd/mm/yyyy or "30 July 2024"), campaign_title, theme, hotline (the first: number, name,
    // hours; hours absent when unknown), hotlines (list of the same), key_date (date, name; absent
    // when none). With a slot: has_slot (true), outlet_name, outlet_kind, slot_date, slot_time
    // ("19:00", 24-hour), slot_weekday ("thứ Hai" / "Monday"), all local in the outlet's zone,
    // daypart (its name; absent when none), slot_duration_s. Without a slot all of these are absent,
    // so their sections are false. Throws std::runtime_error when the slot's zone is unknown.
    [[nodiscard]] std::optional<std::string> render(
        std::string_view channel, const message& m, const channel_context& ctx, std::string_view lang,
        const std::optional<slot_context>& slot = std::nullopt) const;

private:
    struct parsed_pool;  // message_renderer.cpp: idle parsed templates per channel, under a mutex
    std::map<std::string, std::string, std::less<>> sources_;
    std::shared_ptr<parsed_pool> pool_;
};

struct channel_preview {
    std::string channel;
    std::string lang;
    std::string text;  // plain text as the channel carries it
    channel_fit fit = channel_fit::text;
    std::optional<sms_count> sms;         // fit == sms
    std::optional<read_time> spoken;      // fit == spoken
    std::optional<social_length> social;  // fit == social
    int duration_s = 0;                   // the slot's length, else the message's (0 = none given)
    // Spoken channels: the read time fits the slot (true when no duration is given).
    [[nodiscard]] bool fits_duration() const noexcept {
        return !spoken || duration_s <= 0 || spoken->seconds <= duration_s;
    }
};

// One preview per channel of `m` that has a template, in the message's channel order (rendered with
// `slot` when given).
[[nodiscard]] std::vector<channel_preview> preview_channels(
    const channel_templates& templates, const message& m, const channel_context& ctx, std::string_view lang,
    const std::optional<slot_context>& slot = std::nullopt);

// "30/07/2024" (vi) or "30 July 2024" (en).
[[nodiscard]] std::string format_date(calendar_date d, std::string_view lang);
// "thứ Hai" … "Chủ nhật" (vi) or "Monday" … "Sunday" (en).
[[nodiscard]] std::string format_weekday(date::weekday w, std::string_view lang);

}  // namespace loa::core
