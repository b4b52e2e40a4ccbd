// The shared pieces of the feed formats: text cleaning, words in vi/en, times, ids, categories.
#include "scheduler/feeds/feed_text.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include <date/tz.h>

#include "core/text/unicode.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::feeds::text {

namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes one UTF-8 sequence at `i` (advancing it); U+FFFD for an invalid one (one byte consumed).
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const core::utf8_char c = core::utf8_at(s, i);
    if (c.length == 0) {
        ++i;
        return 0xFFFD;
    }
    i += c.length;
    return c.code_point;
}

bool allowed(char32_t cp) {
    if (cp == 0x09 || cp == 0x0A) return true;
    if (cp < 0x20) return false;
    if (cp >= 0x7F && cp <= 0x9F) return false;
    if (cp == 0xFFFE || cp == 0xFFFF) return false;
    return true;  // surrogates never decode (next_code_point turns them into U+FFFD)
}

bool is_vi(std::string_view lang) { return lang != "en"; }

std::string two(unsigned v) {
    std::array<char, 8> b{};
    std::snprintf(b.data(), b.size(), "%02u", v % 100U);
    return b.data();
}

struct local_parts {
    date::year_month_day ymd;
    date::hh_mm_ss<std::chrono::seconds> tod;
    date::weekday wd;
    std::chrono::seconds offset;
};

local_parts local_of(std::chrono::sys_seconds t, const date::time_zone* zone) {
    const std::chrono::seconds offset = zone != nullptr ? zone->get_info(t).offset : std::chrono::seconds{0};
    const auto local = date::local_seconds{t.time_since_epoch() + offset};
    const auto d = date::floor<date::days>(local);
    return {date::year_month_day{d}, date::hh_mm_ss<std::chrono::seconds>{local - d}, date::weekday{d}, offset};
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

std::string state_word(std::string_view state, std::string_view lang) {
    const bool vi = is_vi(lang);
    if (state == "planned") return vi ? "đã lên lịch" : "planned";
    if (state == "published") return vi ? "đã gửi cho đơn vị phát" : "sent to the outlet";
    if (state == "aired") return vi ? "đã phát" : "aired";
    if (state == "missed") return vi ? "không phát được" : "missed";
    if (state == "cancelled") return vi ? "đã hủy" : "cancelled";
    return std::string{state};
}

std::string lang_name(std::string_view code) {
    if (code == "vi") return "Tiếng Việt (vi)";
    if (code == "en") return "English (en)";
    return std::string{code};
}

}  // namespace

namespace {

// Printable ASCII, TAB and LF: copied as they are, a run at a time.
constexpr bool plain_ascii(unsigned char b) { return (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n'; }

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at `i` when it encodes a character XML allows
// (not C1 controls, surrogates, U+FFFE or U+FFFF), else 0: such sequences (all of Vietnamese) are
// copied as they are, a run at a time, like plain ASCII; anything else takes the slow path below.
std::size_t plain_sequence(std::string_view s, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const std::size_t left = s.size() - i;
    const unsigned char b0 = at(0);
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (left < 2 || !continuation(at(1))) return 0;
        return (b0 == 0xC2 && at(1) < 0xA0) ? 0 : 2;  // U+0080–U+009F: C1 controls
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (left < 3 || !continuation(at(1)) || !continuation(at(2))) return 0;
        if (b0 == 0xE0 && at(1) < 0xA0) return 0;  // overlong
        if (b0 == 0xED && at(1) >= 0xA0) return 0;  // surrogates
        if (b0 == 0xEF && at(1) == 0xBF && at(2) >= 0xBE) return 0;  // U+FFFE, U+FFFF
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (left < 4 || !continuation(at(1)) || !continuation(at(2)) || !continuation(at(3))) return 0;
        if (b0 == 0xF0 && at(1) < 0x90) return 0;   // overlong
        if (b0 == 0xF4 && at(1) >= 0x90) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

namespace {

// What a byte starts, for the copying loop below: a byte copied as it is, one of & < > " ' (copied
// as it is by clean, a character reference for XML), the lead byte of a multi-byte sequence
// (plain_sequence decides), or anything else (the slow path).
enum byte_class : unsigned char { copy_byte = 0, special_byte = 1, lead_byte = 2, other_byte = 3 };

constexpr std::array<unsigned char, 256> byte_classes = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned b = 0; b < 256; ++b) {
        if (plain_ascii(static_cast<unsigned char>(b)))
            t[b] = copy_byte;
        else if (b >= 0xC2 && b <= 0xF4)
            t[b] = lead_byte;
        else
            t[b] = other_byte;
    }
    for (const char c : {'&', '<', '>', '"', '\''}) t[static_cast<unsigned char>(c)] = special_byte;
    return t;
}();

// clean(s) appended to `out`, with & < > " ' as XML character references when `escape`: one pass,
// runs of bytes that stay as they are copied at once.
void append_clean(std::string& out, std::string_view s, bool escape) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        std::size_t run = i;
        while (run < n) {
            const unsigned char cls = byte_classes[static_cast<unsigned char>(s[run])];
            if (cls == copy_byte || (cls == special_byte && !escape)) {
                ++run;
            } else if (cls == lead_byte) {
                const std::size_t k = plain_sequence(s, run);
                if (k == 0) break;
                run += k;
            } else {
                break;
            }
        }
        out.append(s.data() + i, run - i);
        i = run;
        if (i >= n) break;
        if (byte_classes[static_cast<unsigned char>(s[i])] == special_byte) {  // escape is on
            switch (s[i]) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                default: out += "&apos;"; break;
            }
            ++i;
            continue;
        }
        const std::size_t at = i;
        const char32_t cp = next_code_point(s, i);
        if (cp == 0x0D) {
            // CR LF and a lone CR both end a line.
            if (i < n && s[i] == '\n') ++i;
            out += '\n';
            continue;
        }
        if (!allowed(cp)) continue;
        if (cp == 0xFFFD && !(i - at == 3 && s.substr(at, 3) == "\xEF\xBF\xBD")) {
            append_utf8(out, cp);  // an invalid sequence
        } else {
            out.append(s.data() + at, i - at);  // a valid sequence, as it was
        }
    }
}

}  // namespace

std::string clean(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_clean(out, s, false);
    return out;
}

std::string xml(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    append_clean(out, s, true);
    return out;
}

void append_xml(std::string& out, std::string_view s) { append_clean(out, s, true); }

std::string feed_language(const outlet_feed& f) {
    if (f.languages.empty() || f.languages.front().empty()) return "vi";
    return clean(f.languages.front());
}

const date::time_zone* zone_or_throw(std::string_view name) {
    const date::time_zone* z = core::find_zone(name);
    if (z == nullptr) throw std::runtime_error("feeds: unknown time zone '" + std::string{name} + "'");
    return z;
}

std::string rfc3339(std::chrono::sys_seconds t, const date::time_zone* zone) {
    if (zone == nullptr) return date::format("%Y-%m-%dT%H:%M:%SZ", t);
    return core::format_iso8601(t, zone);
}

std::string rfc822(std::chrono::sys_seconds t, const date::time_zone* zone) {
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const local_parts p = local_of(t, zone);
    const auto off_min = std::chrono::duration_cast<std::chrono::minutes>(p.offset).count();
    const long long abs_min = off_min < 0 ? -off_min : off_min;
    std::array<char, 64> b{};
    std::snprintf(b.data(), b.size(), "%s, %02u %s %04d %02lld:%02lld:%02lld %c%02lld%02lld",
                  days[p.wd.c_encoding()], static_cast<unsigned>(p.ymd.day()),
                  months[static_cast<unsigned>(p.ymd.month()) - 1], static_cast<int>(p.ymd.year()),
                  static_cast<long long>(p.tod.hours().count()), static_cast<long long>(p.tod.minutes().count()),
                  static_cast<long long>(p.tod.seconds().count()), off_min < 0 ? '-' : '+', abs_min / 60,
                  abs_min % 60);
    return b.data();
}

std::string day(core::calendar_date d) {
    std::array<char, 32> b{};
    std::snprintf(b.data(), b.size(), "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                  static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
    return b.data();
}

std::string air_time(std::chrono::sys_seconds t, const date::time_zone* zone, std::string_view lang) {
    static constexpr std::array<const char*, 7> vi_days{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư",
                                                        "thứ Năm",  "thứ Sáu", "thứ Bảy"};
    static constexpr std::array<const char*, 7> en_days{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                        "Thursday", "Friday", "Saturday"};
    const local_parts p = local_of(t, zone);
    std::string out = two(static_cast<unsigned>(p.tod.hours().count())) + ":" +
                      two(static_cast<unsigned>(p.tod.minutes().count()));
    out += ' ';
    out += is_vi(lang) ? vi_days[p.wd.c_encoding()] : en_days[p.wd.c_encoding()];
    out += ' ';
    out += day(p.ymd);
    return out;
}

std::string duration(int seconds, std::string_view lang) {
    const bool vi = is_vi(lang);
    if (seconds < 0) seconds = 0;
    const int h = seconds / 3600, m = (seconds % 3600) / 60, s = seconds % 60;
    std::vector<std::string> parts;
    if (h > 0) parts.push_back(std::to_string(h) + (vi ? " giờ" : " h"));
    if (m > 0) parts.push_back(std::to_string(m) + (vi ? " phút" : " min"));
    if (s > 0 || parts.empty()) parts.push_back(std::to_string(s) + (vi ? " giây" : " s"));
    return join(parts, " ");
}

std::string iso_duration(int seconds) {
    if (seconds < 0) seconds = 0;
    const int h = seconds / 3600, m = (seconds % 3600) / 60, s = seconds % 60;
    std::string out = "PT";
    if (h > 0) out += std::to_string(h) + "H";
    if (m > 0) out += std::to_string(m) + "M";
    if (s > 0 || (h == 0 && m == 0)) out += std::to_string(s) + "S";
    return out;
}

std::string_view word(std::string_view key, std::string_view lang) {
    struct entry {
        std::string_view key, vi, en;
    };
    static constexpr std::array<entry, 29> words{{
        {"schedule", "Lịch phát sóng", "Broadcast schedule"},
        {"news", "Tin chiến dịch", "Campaign news"},
        {"prime", "Giờ vàng", "Prime time"},
        {"cancelled_tag", "[ĐÃ HỦY]", "[CANCELLED]"},
        {"moved_tag", "[ĐÃ DỜI]", "[MOVED]"},
        {"updated_tag", "[CẬP NHẬT]", "[UPDATED]"},
        {"make_good_tag", "[PHÁT BÙ]", "[MAKE-GOOD]"},
        {"missed_tag", "[KHÔNG PHÁT ĐƯỢC]", "[MISSED]"},
        {"make_good_line", "Phát bù cho lượt phát bị lỡ", "Makes up for the airing missed"},
        {"at", "lúc", "at"},
        {"placement", "lượt", "placement"},
        {"air", "Phát sóng", "Airs"},
        {"duration", "Thời lượng", "Duration"},
        {"daypart", "Khung giờ", "Daypart"},
        {"campaign", "Chiến dịch", "Campaign"},
        {"message", "Thông điệp", "Message"},
        {"department", "Đơn vị", "Department"},
        {"audience", "Đối tượng", "Audience"},
        {"state", "Trạng thái", "State"},
        {"cancelled_line", "Lượt phát này đã bị hủy: không phát.", "This airing is cancelled: do not air it."},
        {"moved_line", "Đã dời giờ, giờ mới", "Moved, new time"},
        {"updated_line", "Đã cập nhật, giờ phát không đổi", "Updated, the air time is unchanged"},
        {"change", "lần thay đổi", "change"},
        {"channel", "Kênh", "Channel"},
        {"runs", "Thời gian đăng", "Runs"},
        {"from", "từ", "from"},
        {"to", "đến", "to"},
        {"location", "Địa điểm", "Location"},
        {"event_cancelled", "Hoạt động này đã bị hủy.", "This activity is cancelled."},
    }};
    for (const auto& w : words) {
        if (w.key == key) return is_vi(lang) ? w.vi : w.en;
    }
    return key;
}

std::string host_of(const feed_links& links) {
    std::string_view s = links.base;
    if (const auto p = s.find("://"); p != std::string_view::npos) s.remove_prefix(p + 3);
    if (const auto p = s.find_first_of("/?#"); p != std::string_view::npos) s = s.substr(0, p);
    if (const auto p = s.rfind('@'); p != std::string_view::npos) s.remove_prefix(p + 1);
    if (!s.empty() && s.front() == '[') return "localhost";  // an IPv6 address
    if (const auto p = s.find(':'); p != std::string_view::npos) s = s.substr(0, p);
    std::string host;
    bool letter = false;
    for (const char c : s) {
        const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '.') host += l;
        if (l >= 'a' && l <= 'z') letter = true;
    }
    // A tag URI's authority is a domain name: an address (or nothing) becomes localhost.
    return letter ? host : "localhost";
}

namespace {

// Slugs and codes are [a-z0-9-] by the loader; anything else is percent-encoded so that an id is
// always a valid URI.
std::string uri_part(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0x0F];
        }
    }
    return out;
}

std::string tag(const feed_links& links, std::string_view specific) {
    return "tag:" + host_of(links) + ",2024:loa/" + std::string{specific};
}

}  // namespace

std::string outlet_feed_id(const outlet_feed& f) {
    return tag(f.links, "outlets/" + uri_part(f.outlet_slug) + "/schedule");
}

std::string news_feed_id(const campaign_news& f) {
    return tag(f.links, "campaigns/" + uri_part(f.campaign_slug) + "/news");
}

std::string placement_id(const feed_links& links, const schedule_item& it) {
    return tag(links, "placements/" + std::to_string(it.placement_id) + "/" + uri_part(it.campaign_slug));
}

std::string placement_uid(const feed_links& links, const schedule_item& it) {
    return placement_uid(links, it.placement_id, it.campaign_slug);
}

std::string placement_uid(const feed_links& links, std::int64_t placement_id, std::string_view campaign_slug) {
    return "placement-" + std::to_string(placement_id) + "." + uri_part(campaign_slug) + "@" + host_of(links);
}

std::string news_id(const campaign_news& f, const news_item& it) {
    return tag(f.links, "campaigns/" + uri_part(f.campaign_slug) + "/messages/" + uri_part(it.message_code));
}

std::string activity_uid(const campaign_events& f, const event_item& it) {
    return "activity-" + uri_part(it.activity_id) + "." + uri_part(f.campaign_slug) + "@" + host_of(f.links);
}

namespace {

std::string scheme(const feed_links& links, std::string_view what) {
    return links.base + "/feeds/schemes/" + std::string{what};
}

void add_common(std::vector<category>& out, const feed_links& links, const std::string& department,
                const core::localized& department_name, const std::vector<core::audience>& audiences,
                std::string_view lang) {
    if (!department.empty() || !department_name.vi.empty()) {
        out.push_back({clean(department.empty() ? department_name.in(lang) : department),
                       clean(department_name.in(lang).empty() ? department : department_name.in(lang)),
                       scheme(links, "department")});
    }
    // As for the department: the code is the term (what software matches), the name the label.
    for (const auto& a : audiences) {
        const std::string name = a.name.in(lang).empty() ? a.code : a.name.in(lang);
        if (a.code.empty() && name.empty()) continue;
        out.push_back({clean(a.code.empty() ? name : a.code), clean(name), scheme(links, "audience")});
    }
}

}  // namespace

std::vector<category> categories(const feed_links& links, const schedule_item& it, std::string_view lang) {
    std::vector<category> out;
    out.push_back({clean(it.campaign_slug),
                   clean(it.campaign_title.in(lang).empty() ? it.campaign_slug : it.campaign_title.in(lang)),
                   scheme(links, "campaign")});
    add_common(out, links, it.department, it.department_name, it.audiences, lang);
    return out;
}

std::vector<category> categories(const campaign_news& f, const news_item& it, std::string_view lang) {
    std::vector<category> out;
    out.push_back({clean(f.campaign_slug), clean(f.title.in(lang).empty() ? f.campaign_slug : f.title.in(lang)),
                   scheme(f.links, "campaign")});
    add_common(out, f.links, it.department, it.department_name, it.audiences, lang);
    return out;
}

std::string outlet_feed_title(const outlet_feed& f, std::string_view lang) {
    const std::string& name = f.outlet_name.in(lang).empty() ? f.outlet_slug : f.outlet_name.in(lang);
    return clean(std::string{word("schedule", lang)} + " · " + name);
}

std::string outlet_feed_subtitle(const outlet_feed& f, std::string_view lang) {
    // The window's length, not its instants: the bytes must not change every minute (a feed that
    // changes only when its entries do keeps its ETag, and polling readers get 304s).
    const auto ahead = std::chrono::duration_cast<std::chrono::hours>(f.window_to - f.window_from).count() - 24;
    const std::string hours = std::to_string(ahead < 0 ? 0 : ahead);
    return clean(is_vi(lang) ? "Lịch phát sóng: 24 giờ qua và " + hours + " giờ tới (" + f.time_zone + ")"
                             : "Schedule: the last 24 hours and the next " + hours + " hours (" + f.time_zone + ")");
}

std::string news_feed_title(const campaign_news& f, std::string_view lang) {
    const std::string& name = f.title.in(lang).empty() ? f.campaign_slug : f.title.in(lang);
    return clean(std::string{word("news", lang)} + " · " + name);
}

std::string item_title(const schedule_item& it, std::string_view lang) {
    const date::time_zone* z = zone_or_throw(it.time_zone);
    std::string out;
    if (it.state == "cancelled") {
        out += word("cancelled_tag", lang);
        out += ' ';
    } else if (it.sequence > 0) {
        // Moved only when a re-plan moved it; a change of what it says keeps its time.
        out += word(it.moved ? "moved_tag" : "updated_tag", lang);
        out += ' ';
    }
    // What it is, where that is not a plain airing: a make-good, or one the outlet reported missed.
    if (it.state == "missed") {
        out += word("missed_tag", lang);
        out += ' ';
    } else if (it.make_good_of && it.state != "cancelled") {
        out += word("make_good_tag", lang);
        out += ' ';
    }
    out += air_time(it.start, z, lang);
    const std::string& msg = it.message_title.in(lang).empty() ? it.message_code : it.message_title.in(lang);
    out += " · " + msg;
    if (it.prime) {
        out += " · ";
        out += word("prime", lang);
    } else if (!it.daypart_name.in(lang).empty()) {
        out += " · " + it.daypart_name.in(lang);
    }
    return clean(out);
}

std::string item_summary(const schedule_item& it, std::string_view lang) {
    const date::time_zone* z = zone_or_throw(it.time_zone);
    std::vector<std::string> lines;
    lines.push_back(std::string{word("air", lang)} + ": " + air_time(it.start, z, lang) + " (" + rfc3339(it.start, z) +
                    ", " + it.time_zone + ")");
    // A post or an article takes no air time: no duration line rather than "0 s".
    if (it.duration_s > 0)
        lines.push_back(std::string{word("duration", lang)} + ": " + duration(it.duration_s, lang) + " (" +
                        iso_duration(it.duration_s) + ")");
    if (!it.daypart.empty() || it.prime) {
        std::string dp = it.daypart_name.in(lang).empty() ? it.daypart : it.daypart_name.in(lang);
        // "Prime time" follows the daypart's name unless that name already says it ("Giờ vàng ·
        // Giờ vàng" was the bundled campaign's).
        const std::string_view prime = word("prime", lang);
        if (it.prime && dp != prime) dp += (dp.empty() ? "" : " · ") + std::string{prime};
        lines.push_back(std::string{word("daypart", lang)} + ": " + dp);
    }
    lines.push_back(std::string{word("state", lang)} + ": " + state_word(it.state, lang));
    if (it.make_good_of) {
        std::string mg{word("make_good_line", lang)};
        if (it.make_good_of_start) mg += " " + std::string{word("at", lang)} + " " + air_time(*it.make_good_of_start, z, lang);
        mg += " (" + std::string{word("placement", lang)} + " #" + std::to_string(*it.make_good_of) + ").";
        lines.push_back(std::move(mg));
    }
    if (it.state == "cancelled") {
        lines.emplace_back(word("cancelled_line", lang));
    } else if (it.sequence > 0 && it.moved) {
        lines.push_back(std::string{word("moved_line", lang)} + ": " + air_time(it.start, z, lang) + " (" +
                        std::string{word("change", lang)} + " " + std::to_string(it.sequence) + ").");
    } else if (it.sequence > 0) {
        lines.push_back(std::string{word("updated_line", lang)} + " (" + std::string{word("change", lang)} + " " +
                        std::to_string(it.sequence) + ").");
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    if (!out.empty()) out.pop_back();
    return clean(out);
}

std::string item_content(const schedule_item& it, std::string_view lang) {
    return clean(item_content_uncleaned(it, lang, item_summary(it, lang)));
}

std::string item_content_uncleaned(const schedule_item& it, std::string_view lang, std::string_view summary) {
    std::string out;
    std::size_t material = 0;
    for (const auto& m : it.material) material += m.text.size() + 32;
    out.reserve(summary.size() + 512 + material);
    out.append(summary).append(1, '\n');
    const std::string& ct = it.campaign_title.in(lang);
    out += std::string{word("campaign", lang)} + ": " + (ct.empty() ? it.campaign_slug : ct + " (" + it.campaign_slug + ")") + "\n";
    const std::string& mt = it.message_title.in(lang);
    out += std::string{word("message", lang)} + ": " + it.message_code + (mt.empty() ? "" : " · " + mt) + "\n";
    if (!it.department_name.in(lang).empty() || !it.department.empty()) {
        out += std::string{word("department", lang)} + ": " +
               (it.department_name.in(lang).empty() ? it.department : it.department_name.in(lang)) + "\n";
    }
    if (!it.audiences.empty()) {
        std::vector<std::string> names;
        for (const auto& a : it.audiences) names.push_back(a.name.in(lang));
        out += std::string{word("audience", lang)} + ": " + join(names, ", ") + "\n";
    }
    if (!it.channel.empty()) out += std::string{word("channel", lang)} + ": " + it.channel + "\n";
    for (const auto& m : it.material) {
        out += "\n— " + lang_name(m.lang) + " —\n" + m.text + "\n";
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::string news_summary(const news_item& it, std::string_view lang) {
    std::string out = std::string{word("runs", lang)} + ": " + day(it.flight_start) + " – " + day(it.flight_end);
    if (!it.department_name.in(lang).empty()) {
        out += "\n" + std::string{word("department", lang)} + ": " + it.department_name.in(lang);
    }
    return clean(out);
}

std::string news_content(const news_item& it, std::string_view lang) {
    std::string out = news_summary(it, lang) + "\n";
    out += std::string{word("message", lang)} + ": " + it.message_code + "\n";
    if (!it.audiences.empty()) {
        std::vector<std::string> names;
        for (const auto& a : it.audiences) names.push_back(a.name.in(lang));
        out += std::string{word("audience", lang)} + ": " + join(names, ", ") + "\n";
    }
    if (!it.channel.empty()) out += std::string{word("channel", lang)} + ": " + it.channel + "\n";
    for (const auto& c : it.content) {
        out += "\n— " + lang_name(c.lang) + " —\n" + c.text + "\n";
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return clean(out);
}

std::string event_summary(const event_item& it) {
    std::string out;
    if (it.cancelled) out += std::string{word("cancelled_tag", "vi")} + " ";
    out += it.title.vi;
    return clean(out);
}

std::string event_description(const event_item& it) {
    std::string out;
    if (it.cancelled) out += std::string{word("event_cancelled", "vi")} + "\n";
    if (!it.description.vi.empty()) out += it.description.vi + "\n";
    if (!it.department_name.vi.empty()) out += std::string{word("department", "vi")} + ": " + it.department_name.vi + "\n";
    if (!it.audiences.empty()) {
        std::vector<std::string> names;
        for (const auto& a : it.audiences) names.push_back(a.name.vi);
        out += std::string{word("audience", "vi")} + ": " + join(names, ", ") + "\n";
    }
    const bool has_en = !it.title.en.empty() || !it.description.en.empty();
    if (has_en) {
        out += "\n— English —\n";
        if (it.cancelled) out += std::string{word("event_cancelled", "en")} + "\n";
        out += it.title.in("en") + "\n";
        if (!it.description.en.empty()) out += it.description.en + "\n";
        if (!it.location.en.empty()) out += std::string{word("location", "en")} + ": " + it.location.en + "\n";
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return clean(out);
}

std::string event_location(const event_item& it) { return clean(it.location.vi); }

}  // namespace loa::scheduler::feeds::text
