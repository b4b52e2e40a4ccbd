// A message as each channel carries it: templates/messages/<channel>.mustache rendered (kainjow
// mustache, plain text) from the message in one language and its campaign, plus the channel's
// fit (SMS segments, read time against the slot, social length). Used by the message pages'
// previews and by the dispatcher. No Beast, no database.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/channels/text_metrics.hpp"
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

// The key date a message leads up to: the heaviest key date inside its flight window (earliest on a
// tie), or nullopt when none falls inside.
[[nodiscard]] std::optional<key_date> key_date_for(const message& m, const std::vector<key_date>& key_dates);

// How a channel is measured in the preview.
enum class channel_fit { sms, spoken, social, text };
[[nodiscard]] channel_fit fit_of(std::string_view channel) noexcept;

// The loaded channel templates. Immutable after construction, so one object may be shared by
// threads (render() parses its own copy of the template each call).
class channel_templates {
public:
    channel_templates() = default;  // none: render() gives nullopt for every channel
    // Reads <dir>/<channel>.mustache for each name in channel_names that has a file there. Throws
    // std::runtime_error naming the file when one cannot be read or is not valid Mustache.
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
    // hours), hotlines (list of the same), key_date (date, name; absent when none).
    [[nodiscard]] std::optional<std::string> render(std::string_view channel, const message& m,
                                                    const channel_context& ctx, std::string_view lang) const;

private:
    std::map<std::string, std::string, std::less<>> sources_;
};

struct channel_preview {
    std::string channel;
    std::string lang;
    std::string text;  // plain text as the channel carries it
    channel_fit fit = channel_fit::text;
    std::optional<sms_count> sms;         // fit == sms
    std::optional<read_time> spoken;      // fit == spoken
    std::optional<social_length> social;  // fit == social
    int duration_s = 0;                   // the message's slot length (0 = none given)
    // Spoken channels: the read time fits the slot (true when no duration is given).
    [[nodiscard]] bool fits_duration() const noexcept {
        return !spoken || duration_s <= 0 || spoken->seconds <= duration_s;
    }
};

// One preview per channel of `m` that has a template, in the message's channel order.
[[nodiscard]] std::vector<channel_preview> preview_channels(const channel_templates& templates,
                                                            const message& m, const channel_context& ctx,
                                                            std::string_view lang);

// "30/07/2024" (vi) or "30 July 2024" (en).
[[nodiscard]] std::string format_date(calendar_date d, std::string_view lang);

}  // namespace loa::core
