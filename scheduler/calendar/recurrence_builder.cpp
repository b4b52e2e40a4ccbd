// Recurrence builder: form fields to a canonical RRULE and back, strict about what it recognises.
#include "scheduler/calendar/recurrence_builder.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "core/time/rrule.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler {

namespace {

// Monday first, as the form lists them; RFC 5545 codes beside the form's names.
constexpr std::array<std::string_view, 7> form_days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> rfc_days = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

int day_index(std::string_view name, const std::array<std::string_view, 7>& names) {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

// Monday = 0 … Sunday = 6.
int monday_index(date::weekday wd) {
    return static_cast<int>(wd.iso_encoding()) - 1;
}

// A whole number without sign or spaces, in [lo, hi]; nullopt otherwise.
std::optional<int> small_int(std::string_view s, int lo, int hi) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    int v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v < lo || v > hi) return std::nullopt;
    return v;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

void add_error(std::vector<form_error>& errors, std::string field, std::string msgid,
               std::vector<std::pair<std::string, std::string>> args = {}) {
    errors.push_back({std::move(field), std::move(msgid), std::move(args)});
}

// ";COUNT=n" or ";UNTIL=YYYYMMDD" or "" from the form's end fields.
std::string end_part(const recurrence_form& f, std::optional<date::local_seconds> dtstart,
                     std::vector<form_error>& errors) {
    if (f.ends == "never") return {};
    if (f.ends == "count") {
        const auto n = small_int(trim(f.count), 1, max_recurrence_count);
        if (!n) {
            add_error(errors, "count", "Enter how many times, a whole number from 1 to 999.");
            return {};
        }
        return ";COUNT=" + std::to_string(*n);
    }
    if (f.ends == "until") {
        const auto d = core::typed_date(f.until);
        if (!d) {
            add_error(errors, "until", "Enter a last day that exists, such as 2024-07-30.");
            return {};
        }
        if (dtstart && date::local_days{*d} < date::floor<date::days>(*dtstart)) {
            add_error(errors, "until", "The last day of the repetition must not be before the start.");
            return {};
        }
        std::array<char, 16> buf{};
        std::snprintf(buf.data(), buf.size(), "%04d%02u%02u", static_cast<int>(d->year()),
                      static_cast<unsigned>(d->month()), static_cast<unsigned>(d->day()));
        return std::string(";UNTIL=") + buf.data();
    }
    add_error(errors, "ends", "Choose when the repetition ends.");
    return {};
}

std::string builder_rule(const recurrence_form& f, std::optional<date::local_seconds> dtstart,
                         std::vector<form_error>& errors) {
    std::string rule;
    if (f.repeat == "daily") {
        rule = "FREQ=DAILY";
    } else if (f.repeat == "weekly") {
        std::array<bool, 7> chosen{};
        bool bad = false;
        for (const auto& d : f.weekdays) {
            const int i = day_index(d, form_days);
            if (i < 0) {
                bad = true;
            } else {
                chosen[static_cast<std::size_t>(i)] = true;
            }
        }
        if (bad || std::none_of(chosen.begin(), chosen.end(), [](bool b) { return b; })) {
            add_error(errors, "weekdays", "Choose at least one day of the week.");
        }
        rule = "FREQ=WEEKLY;BYDAY=";
        bool first = true;
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            if (!chosen[i]) continue;
            if (!first) rule += ',';
            rule += rfc_days[i];
            first = false;
        }
    } else if (f.repeat == "monthly") {
        if (f.monthly_by == "weekday") {
            const int wd = day_index(f.month_weekday, form_days);
            const bool last = f.month_week == "-1";
            const auto n = last ? std::optional<int>{-1} : small_int(f.month_week, 1, 4);
            if (!n) add_error(errors, "month_week", "Choose which week of the month: 1st to 4th, or last.");
            if (wd < 0) add_error(errors, "month_weekday", "Choose a day of the week.");
            if (n && wd >= 0) rule = "FREQ=MONTHLY;BYDAY=" + std::to_string(*n) + std::string(rfc_days[wd]);
        } else if (f.monthly_by == "date") {
            const auto day = small_int(trim(f.month_day), 1, 31);
            if (!day) add_error(errors, "month_day", "Enter a day of the month from 1 to 31.");
            if (day) rule = "FREQ=MONTHLY;BYMONTHDAY=" + std::to_string(*day);
        } else {
            add_error(errors, "monthly_by", "Choose a weekday of the month or a date.");
        }
    } else {
        add_error(errors, "repeat", "Choose how the activity repeats.");
        return {};
    }
    rule += end_part(f, dtstart, errors);
    return rule;
}

}  // namespace

rrule_result build_rrule(const recurrence_form& f, std::optional<date::local_seconds> dtstart) {
    rrule_result r;
    if (f.repeat == "none") return r;
    std::string field = "repeat";
    if (f.repeat == "advanced") {
        field = "advanced";
        r.rrule = trim(f.advanced);
        if (r.rrule.size() >= 6 && upper(r.rrule.substr(0, 6)) == "RRULE:") r.rrule = trim(r.rrule.substr(6));
        if (r.rrule.empty()) {
            add_error(r.errors, field, "Enter the rule, for example FREQ=MONTHLY;BYDAY=1TH;COUNT=6.");
            return r;
        }
    } else {
        r.rrule = builder_rule(f, dtstart, r.errors);
        if (!r.ok()) return r;
    }
    const auto why = dtstart ? core::check_rrule(r.rrule, *dtstart) : core::check_rrule(r.rrule);
    if (!why) return r;
    // core explains in English for the campaign files; the form speaks the page's language, so the
    // reasons a person can meet here become msgids (core stays free of the web's translations).
    if (*why == core::rrule_never_occurs || *why == core::rrule_never_occurs_from_start) {
        add_error(
            r.errors, field,
            "The repetition never falls on a real day from the activity's start (like 30 February, or a "
            "6th Monday).");
    } else if (*why == core::rrule_start_out_of_range) {
        add_error(r.errors, field, "A repetition needs a start date between the years 1 and 2582.");
    } else if (field == "advanced") {
        // A rule typed by hand breaks RFC 5545's grammar, whose words (FREQ, BYDAY, …) have no
        // Vietnamese: a translated sentence says so, and the detail follows as core gives it.
        add_error(r.errors, field,
                  "The rule does not follow RFC 5545, for example FREQ=MONTHLY;BYDAY=1TH;COUNT=6 "
                  "(technical detail, in English: {reason}).",
                  {{"reason", *why}});
    } else {
        // The builder's own fields make only well-formed rules: a reason here is not the person's.
        add_error(r.errors, field, "These repetition settings cannot be used: choose others.");
    }
    return r;
}

recurrence_form parse_rrule_for_form(std::string_view rrule, std::optional<date::local_seconds> dtstart) {
    recurrence_form f;
    const std::string text = trim(rrule);
    if (text.empty()) return f;
    recurrence_form advanced;
    advanced.repeat = "advanced";
    advanced.advanced = text;

    // NAME=VALUE parts, names and values compared in upper case (RFC 5545 is case-insensitive).
    std::map<std::string, std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(';', start), text.size());
        const std::string_view part = std::string_view(text).substr(start, end - start);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0) return advanced;
        if (!parts.emplace(upper(part.substr(0, eq)), upper(part.substr(eq + 1))).second) return advanced;
        start = end + 1;
    }
    const auto take = [&](const std::string& name) -> std::optional<std::string> {
        const auto it = parts.find(name);
        if (it == parts.end()) return std::nullopt;
        std::string v = it->second;
        parts.erase(it);
        return v;
    };

    const auto freq = take("FREQ");
    const auto byday = take("BYDAY");
    const auto bymonthday = take("BYMONTHDAY");
    const auto count = take("COUNT");
    const auto until = take("UNTIL");
    const auto interval = take("INTERVAL");
    if (!freq || !parts.empty() || (count && until) || (interval && interval != "1")) return advanced;

    if (count) {
        const auto n = small_int(*count, 1, max_recurrence_count);
        if (!n) return advanced;
        f.ends = "count";
        f.count = std::to_string(*n);
    } else if (until) {
        // Only the date form: a time of day or UTC instant is more than the builder says.
        if (until->size() != 8) return advanced;
        const std::string iso = until->substr(0, 4) + "-" + until->substr(4, 2) + "-" + until->substr(6, 2);
        if (!core::iso_day(iso)) return advanced;
        f.ends = "until";
        f.until = iso;
    }

    if (*freq == "DAILY") {
        if (byday || bymonthday) return advanced;
        f.repeat = "daily";
    } else if (*freq == "WEEKLY") {
        if (bymonthday) return advanced;
        f.repeat = "weekly";
        std::array<bool, 7> chosen{};
        if (byday) {
            std::size_t from = 0;
            while (from <= byday->size()) {
                const auto to = std::min(byday->find(',', from), byday->size());
                const int i = day_index(std::string_view(*byday).substr(from, to - from), rfc_days);
                if (i < 0) return advanced;  // ordinals ("1MO") have no meaning the builder shows
                chosen[static_cast<std::size_t>(i)] = true;
                from = to + 1;
            }
        } else if (dtstart) {
            chosen[static_cast<std::size_t>(monday_index(date::weekday{date::floor<date::days>(*dtstart)}))] =
                true;
        } else {
            return advanced;
        }
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            if (chosen[i]) f.weekdays.emplace_back(form_days[i]);
        }
    } else if (*freq == "MONTHLY") {
        f.repeat = "monthly";
        if (byday && bymonthday) return advanced;
        if (byday) {
            // One n-th weekday: 1–4 (optionally "+") or -1, then the day code.
            std::string_view v = *byday;
            if (v.size() < 3) return advanced;
            const std::string_view code = v.substr(v.size() - 2);
            std::string_view ordinal = v.substr(0, v.size() - 2);
            const int wd = day_index(code, rfc_days);
            if (!ordinal.empty() && ordinal[0] == '+') ordinal.remove_prefix(1);
            if (wd < 0 || !(ordinal == "-1" || small_int(ordinal, 1, 4))) return advanced;
            f.monthly_by = "weekday";
            f.month_week = std::string(ordinal);
            f.month_weekday = std::string(form_days[static_cast<std::size_t>(wd)]);
        } else {
            f.monthly_by = "date";
            if (bymonthday) {
                const auto day = small_int(*bymonthday, 1, 31);
                if (!day) return advanced;
                f.month_day = std::to_string(*day);
            } else if (dtstart) {
                const date::year_month_day ymd{date::floor<date::days>(*dtstart)};
                f.month_day = std::to_string(static_cast<unsigned>(ymd.day()));
            } else {
                return advanced;
            }
        }
    } else {
        return advanced;
    }
    return f;
}

}  // namespace loa::scheduler
