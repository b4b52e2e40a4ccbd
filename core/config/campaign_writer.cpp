// Writes a campaign as YAML in the documented format, the way a person would write it by hand.
#include "core/config/campaign_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "core/time/iso8601.hpp"

namespace loa::core {
namespace {

// Defaults the loader fills in when a key is absent (docs/campaign-format.md); the writer leaves
// such keys out so exported files stay as short as hand-written ones.
constexpr int default_priority = 5;
constexpr double default_weight = 1.0;
constexpr std::string_view default_state = "draft";
constexpr std::uint8_t every_day = 0x7f;
constexpr std::uint8_t monday_to_friday = 0x1f;
constexpr std::uint8_t saturday_sunday = 0x60;

bool is_default_languages(const std::vector<std::string>& langs) {
    return langs.size() == 1 && langs[0] == "vi";
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

// True when a plain scalar with this text would read as something other than a string in YAML
// (1.1 or 1.2): numbers, booleans, null, sexagesimal times. yaml-cpp itself only guards null, and
// the schema-validating editors the format promises would then flag, e.g., a hotline "111".
bool looks_typed(std::string_view s) {
    if (s.empty()) return true;
    static constexpr std::array<std::string_view, 14> words = {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf", "+.inf"};
    const std::string l = lower(s);
    if (std::find(words.begin(), words.end(), l) != words.end()) return true;
    // Anything made only of digits, signs, dots, colons, underscores and exponent letters (1, -2.5,
    // 1e3, 0x1F, 19:00, 1_000) could be a number somewhere; quoting it costs nothing.
    return std::all_of(s.begin(), s.end(),
                       [](char ch) {
                           return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' ||
                                  ch == '+' || ch == ':' || ch == '_' || ch == 'e' || ch == 'E' ||
                                  ch == 'x' || ch == 'X' || ch == 'o';
                       }) &&
           std::any_of(s.begin(), s.end(),
                       [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

class writer {
public:
    writer() {
        // Vietnamese stays readable: UTF-8 as is, never \u escapes.
        out_.SetOutputCharset(YAML::EmitNonAscii);
        out_.SetIndent(2);
    }

    std::string finish() const {
        std::string text = "# yaml-language-server: $schema=schema.json\n";
        text += out_.c_str();
        text += '\n';
        return text;
    }

    void document(const campaign& c) {
        out_ << YAML::BeginMap;
        key("campaign");
        campaign_head(c);
        key("departments");
        list(c.departments, [this](const department& d) { write(d); });
        if (!c.activities.empty()) {
            key("activities");
            list(c.activities, [this](const activity& a) { write(a); });
        }
        if (!c.outlets.empty()) {
            key("outlets");
            list(c.outlets, [this](const outlet& o) { write(o); });
        }
        if (!c.messages.empty()) {
            key("messages");
            list(c.messages, [this](const message& m) { write(m); });
        }
        out_ << YAML::EndMap;
    }

private:
    void key(const char* k) { out_ << YAML::Key << k << YAML::Value; }

    void str(std::string_view s) {
        if (looks_typed(s)) out_ << YAML::DoubleQuoted;
        out_ << std::string(s);
    }

    void number(double v) {
        // Shortest text that reads back as the same double (1, 2.5, 0.1), not 0.10000000000000001.
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
        out_ << std::string(buf, ec == std::errc{} ? end : buf);
    }

    void text(const localized& t) {
        if (t.en.empty()) {
            str(t.vi);
            return;
        }
        out_ << YAML::BeginMap;
        key("vi");
        str(t.vi);
        key("en");
        str(t.en);
        out_ << YAML::EndMap;
    }

    void optional_text(const char* k, const localized& t) {
        if (t.vi.empty() && t.en.empty()) return;
        key(k);
        text(t);
    }

    static std::string date_text(calendar_date d) {
        return iso_date(d);
    }

    static std::string time_text(std::chrono::minutes m) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60),
                      static_cast<int>(m.count() % 60));
        return buf;
    }

    // "YYYY-MM-DDTHH:MM", seconds only when there are any.
    static std::string date_time_text(local_time t) {
        const auto day = date::floor<date::days>(t);
        const date::hh_mm_ss tod{t - day};
        std::string s =
            date_text(calendar_date{day}) + "T" +
            time_text(std::chrono::duration_cast<std::chrono::minutes>(tod.hours() + tod.minutes()));
        if (tod.seconds().count() != 0) {
            char buf[8];
            std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(tod.seconds().count()));
            s += buf;
        }
        return s;
    }

    void date_range(calendar_date start, calendar_date end) {
        out_ << YAML::Flow << YAML::BeginMap;
        key("start");
        out_ << date_text(start);
        key("end");
        out_ << date_text(end);
        out_ << YAML::EndMap;
    }

    // A short list of codes on one line: [tv, radio].
    void codes(const std::vector<std::string>& items) {
        out_ << YAML::Flow << YAML::BeginSeq;
        for (const auto& s : items) str(s);
        out_ << YAML::EndSeq;
    }

    template <typename T, typename F>
    void list(const std::vector<T>& items, F each) {
        out_ << YAML::BeginSeq;
        for (const auto& item : items) each(item);
        out_ << YAML::EndSeq;
    }

    void campaign_head(const campaign& c) {
        out_ << YAML::BeginMap;
        key("slug");
        str(c.slug);
        key("title");
        text(c.title);
        key("theme");
        text(c.theme);
        optional_text("description", c.description);
        key("period");
        date_range(c.period_start, c.period_end);
        key("time_zone");
        str(c.time_zone);
        if (!c.key_dates.empty()) {
            key("key_dates");
            list(c.key_dates, [this](const key_date& k) {
                out_ << YAML::BeginMap;
                key("date");
                out_ << date_text(k.date);
                key("name");
                text(k.name);
                if (k.weight != default_weight) {
                    key("weight");
                    number(k.weight);
                }
                out_ << YAML::EndMap;
            });
        }
        if (!c.audiences.empty()) {
            key("audiences");
            list(c.audiences, [this](const audience& a) {
                out_ << YAML::BeginMap;
                key("code");
                str(a.code);
                key("name");
                text(a.name);
                out_ << YAML::EndMap;
            });
        }
        if (!c.hotlines.empty()) {
            key("hotlines");
            list(c.hotlines, [this](const hotline& h) {
                out_ << YAML::BeginMap;
                key("number");
                str(h.number);
                key("name");
                text(h.name);
                if (!h.hours.empty()) {
                    key("hours");
                    str(h.hours);
                }
                out_ << YAML::EndMap;
            });
        }
        if (c.planning != planning_rules{}) {
            key("planning");
            out_ << YAML::Flow << YAML::BeginMap;
            key("separate_departments");
            out_ << c.planning.separate_departments;
            out_ << YAML::EndMap;
        }
        out_ << YAML::EndMap;
    }

    void write(const department& d) {
        out_ << YAML::BeginMap;
        key("code");
        str(d.code);
        key("name");
        text(d.name);
        if (!d.duties.empty()) {
            key("duties");
            list(d.duties, [this](const localized& t) { text(t); });
        }
        out_ << YAML::EndMap;
    }

    void write(const activity& a) {
        out_ << YAML::BeginMap;
        key("id");
        str(a.id);
        key("department");
        str(a.department);
        key("kind");
        str(a.kind);
        key("title");
        text(a.title);
        optional_text("description", a.description);
        if (a.all_day) {
            // Stored as [first day 00:00, the day after the last 00:00); written as inclusive days.
            key("all_day");
            const auto first = date::floor<date::days>(a.start);
            const auto after_last = date::floor<date::days>(a.end);
            date_range(calendar_date{first}, calendar_date{after_last - date::days{1}});
        } else {
            key("start");
            out_ << date_time_text(a.start);
            key("end");
            out_ << date_time_text(a.end);
        }
        if (!a.rrule.empty()) {
            key("rrule");
            str(a.rrule);
        }
        // Written whenever set, even when equal to the campaign's: the loader keeps what it reads.
        if (!a.time_zone.empty()) {
            key("time_zone");
            str(a.time_zone);
        }
        optional_text("location", a.location);
        if (!a.audiences.empty()) {
            key("audiences");
            codes(a.audiences);
        }
        if (a.vis == visibility::internal) {
            key("visibility");
            out_ << "internal";
        }
        out_ << YAML::EndMap;
    }

    void days(std::uint8_t mask) {
        if (mask == every_day) {
            out_ << "daily";
        } else if (mask == monday_to_friday) {
            out_ << "weekdays";
        } else if (mask == saturday_sunday) {
            out_ << "weekends";
        } else {
            std::vector<std::string> names;
            for (int i = 0; i < 7; ++i) {
                if ((mask >> i) & 1) names.emplace_back(weekday_names[i]);
            }
            codes(names);
        }
    }

    void write(const outlet& o) {
        out_ << YAML::BeginMap;
        key("slug");
        str(o.slug);
        key("name");
        text(o.name);
        key("kind");
        str(o.kind);
        if (!o.department.empty()) {
            key("department");
            str(o.department);
        }
        key("time_zone");
        str(o.time_zone);
        if (!is_default_languages(o.languages)) {
            key("languages");
            codes(o.languages);
        }
        if (o.lead_time_hours != 0) {
            key("lead_time_hours");
            out_ << o.lead_time_hours;
        }
        if (o.freeze_hours != 0) {
            key("freeze_hours");
            out_ << o.freeze_hours;
        }
        if (!o.dayparts.empty()) {
            key("dayparts");
            list(o.dayparts, [this](const daypart& d) {
                out_ << YAML::BeginMap;
                key("code");
                str(d.code);
                key("name");
                text(d.name);
                // Written even for every day (the default): when a daypart airs is what a reader looks for.
                key("days");
                days(d.weekdays);
                key("start");
                out_ << YAML::DoubleQuoted << time_text(d.start);
                key("end");
                out_ << YAML::DoubleQuoted << time_text(d.end);
                if (d.weight != default_weight) {
                    key("weight");
                    number(d.weight);
                }
                out_ << YAML::EndMap;
            });
        }
        if (!o.break_clock.empty()) {
            key("break_clock");
            list(o.break_clock, [this](const break_rule& r) {
                out_ << YAML::BeginMap;
                if (r.minute) {
                    key("minute");
                    out_ << *r.minute;
                }
                if (r.at) {
                    key("at");
                    out_ << YAML::DoubleQuoted << time_text(*r.at);
                }
                key("seconds");
                out_ << r.seconds;
                if (!r.dayparts.empty()) {
                    key("dayparts");
                    codes(r.dayparts);
                }
                out_ << YAML::EndMap;
            });
        }
        if (!o.blackouts.empty()) {
            key("blackouts");
            list(o.blackouts, [this](const blackout& b) {
                out_ << YAML::BeginMap;
                key("start");
                out_ << date_time_text(b.start);
                key("end");
                out_ << date_time_text(b.end);
                optional_text("reason", b.reason);
                out_ << YAML::EndMap;
            });
        }
        out_ << YAML::EndMap;
    }

    // The flight as the file gave it: relative to a key date when it was so given (and still
    // resolves to the same days), else as dates.
    void flight(const message& m) {
        if (m.flight_relative && resolves_to(*m.flight_relative, m.flight_start, m.flight_end)) {
            const relative_flight& r = *m.flight_relative;
            out_ << YAML::Flow << YAML::BeginMap;
            key("key_date");
            out_ << date_text(r.key);
            key("days_before");
            out_ << r.days_before;
            key("days_after");
            out_ << r.days_after;
            out_ << YAML::EndMap;
            return;
        }
        date_range(m.flight_start, m.flight_end);
    }

    static bool resolves_to(const relative_flight& r, calendar_date start, calendar_date end) {
        const date::sys_days key{r.key};
        return calendar_date{key - date::days{r.days_before}} == start &&
               calendar_date{key + date::days{r.days_after}} == end;
    }

    void write(const message& m) {
        out_ << YAML::BeginMap;
        key("id");
        str(m.id);
        key("department");
        str(m.department);
        optional_text("title", m.title);
        key("text");
        text(m.text);
        key("channels");
        codes(m.channels);
        if (m.duration_s != 0) {
            key("duration_s");
            out_ << m.duration_s;
        }
        if (m.priority != default_priority) {
            key("priority");
            out_ << m.priority;
        }
        key("flight");
        flight(m);
        if (m.airings != 0) {
            key("airings");
            out_ << m.airings;
        }
        const std::pair<const char*, int> limits[] = {
            {"airings_per_day", m.airings_per_day},
            {"airings_per_week", m.airings_per_week},
            {"max_per_outlet_per_day", m.max_per_outlet_per_day},
            {"min_gap_minutes", m.min_gap_minutes},
        };
        for (const auto& [name, value] : limits) {
            if (value != 0) {
                key(name);
                out_ << value;
            }
        }
        if (!m.dayparts.empty()) {
            key("dayparts");
            codes(m.dayparts);
        }
        if (!m.audiences.empty()) {
            key("audiences");
            codes(m.audiences);
        }
        if (!m.outlets.empty()) {
            key("outlets");
            codes(m.outlets);
        }
        if (m.state != default_state) {
            key("state");
            str(m.state);
        }
        out_ << YAML::EndMap;
    }

    YAML::Emitter out_;
};

}  // namespace

std::string write_campaign_yaml(const campaign& c) {
    writer w;
    w.document(c);
    return w.finish();
}

}  // namespace loa::core
