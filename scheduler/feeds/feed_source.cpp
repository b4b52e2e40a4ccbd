// The feed models filled from the store: an outlet's schedule (its placements and cancellations in
// the window, each rendered from the approved content for the outlet's channel and languages), a
// campaign's news (approved public messages) and events (public activities). Everything comes from
// the database and the `now` given, so the same database and `now` give equal models.
#include "scheduler/feeds/feed_source.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "core/storage/activity_store.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/feed_store.hpp"
#include "core/storage/message_store.hpp"
#include "core/time/zone.hpp"

namespace loa::scheduler::feeds {
namespace {

using std::chrono::sys_seconds;

// One read transaction, so that a model comes from one snapshot even while another process (an
// import, a re-plan) commits; inside the caller's own transaction, that one already is the snapshot.
class read_snapshot {
public:
    explicit read_snapshot(core::database& db) {
        if (sqlite3_get_autocommit(db.sql().getHandle()) != 0)
            tx_.emplace(db.sql(), SQLite::TransactionBehavior::DEFERRED);
    }

private:
    std::optional<SQLite::Transaction> tx_;  // rolled back at the end: it wrote nothing
};

// The outlet's languages in its order, each once; Vietnamese when it names none.
std::vector<std::string> languages_of(const core::outlet& o) {
    std::vector<std::string> out;
    for (const std::string& lang : o.languages) {
        if (std::find(out.begin(), out.end(), lang) == out.end()) out.push_back(lang);
    }
    if (out.empty()) out.emplace_back("vi");
    return out;
}

const core::outlet* find_outlet(const core::campaign& c, std::string_view slug) {
    for (const core::outlet& o : c.outlets)
        if (o.slug == slug) return &o;
    return nullptr;
}

core::localized department_name(const core::campaign& c, std::string_view code) {
    for (const core::department& d : c.departments)
        if (d.code == code) return d.name;
    return {};
}

// Audience names in the item's order (codes the campaign no longer has are left out).
std::vector<core::audience> audiences_of(const core::campaign& c, const std::vector<std::string>& codes) {
    std::vector<core::audience> out;
    for (const std::string& code : codes) {
        for (const core::audience& a : c.audiences) {
            if (a.code == code) {
                out.push_back(a);
                break;
            }
        }
    }
    return out;
}

// The daypart `code` of the outlet, and whether it is prime (its weight is the outlet's highest).
std::pair<core::localized, bool> daypart_of(const core::outlet& o, std::string_view code) {
    double top = 0;
    for (const core::daypart& p : o.dayparts) top = std::max(top, p.weight);
    for (const core::daypart& p : o.dayparts)
        if (!code.empty() && p.code == code) return {p.name, p.weight == top};
    return {{}, false};
}

sys_seconds instant_or(const std::optional<std::string>& text, sys_seconds fallback) {
    return text ? core::stored_utc_instant(*text) : fallback;
}

// What the schedule needs of one campaign, loaded once per feed.
struct campaign_data {
    core::campaign campaign;
    core::channel_context context;  // what its channel templates read, made once per campaign
    std::map<std::string, core::approval_times, std::less<>> approvals;  // approved messages
    std::map<std::string, std::string, std::less<>> changed_at;          // every message
};

// One message's content as a feed may show it.
struct message_content {
    std::optional<core::message> message;  // nullopt: no content was ever approved (or it is gone)
    bool approved = false;                 // the content is the currently approved one
    bool names_only = false;               // `message` is not approved content: only its title,
                                           // department and audiences are shown, no material
    sys_seconds changed{};                 // when it became what it is (approval, or the edit that
                                           // took the approval away)
};

// What a schedule read from the store at one change stamp: kept across calls while the stamp
// stays (feed_source::memo), else made for one call.
struct loaded_state {
    std::map<std::string, std::optional<campaign_data>, std::less<>> campaigns;
    // by campaign, message and the version an airing kept (0: the content as it is now)
    std::map<std::tuple<std::string, std::string, int>, message_content> contents;
    std::map<std::string, std::vector<std::string>, std::less<>> outlet_campaigns;
};

class schedule_loader {
public:
    schedule_loader(core::database& db, loaded_state& state)
        : db_(db), campaigns_(state.campaigns), contents_(state.contents), outlets_(state.outlet_campaigns) {}

    const std::vector<std::string>& outlet_campaigns(std::string_view slug) {
        auto it = outlets_.find(slug);
        if (it == outlets_.end()) it = outlets_.emplace(std::string(slug), core::outlet_campaigns(db_, slug)).first;
        return it->second;
    }

    const campaign_data* campaign(const std::string& slug) {
        auto it = campaigns_.find(slug);
        if (it == campaigns_.end()) {
            std::optional<campaign_data> data;
            if (auto c = core::load_campaign(db_, slug)) {
                data.emplace();
                data->campaign = std::move(*c);
                data->context = core::channel_context_of(data->campaign);
                for (auto& a : core::load_approval_times(db_, slug)) {
                    std::string code = a.message;
                    data->approvals.emplace(std::move(code), std::move(a));
                }
                for (auto& [code, at] : core::message_change_times(db_, slug)) data->changed_at.emplace(code, at);
            }
            it = campaigns_.emplace(slug, std::move(data)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    // The content an airing of message `code` carries: the version it went out with when it kept
    // one (an airing that was due when the approved content changed or went), else the message's
    // approved content now (or, when it has none, what was approved last).
    const message_content& content(const campaign_data& c, const std::string& code, std::optional<int> kept) {
        auto key = std::make_tuple(c.campaign.slug, code, kept.value_or(0));
        auto it = contents_.find(key);
        if (it != contents_.end()) return it->second;
        if (kept) {
            message_content out;
            // Approved content, but not the current approval's: the item changes with neither.
            out.message = core::message_version(db_, c.campaign.slug, code, *kept);
            if (out.message) return contents_.emplace(std::move(key), std::move(out)).first->second;
            return content(c, code, std::nullopt);  // no such row (never written so): as now
        }
        message_content out;
        out.message = core::approved_message(db_, c.campaign.slug, code);
        if (out.message) {
            out.approved = true;
            if (auto a = c.approvals.find(code); a != c.approvals.end())
                out.changed = instant_or(a->second.approved_at, core::stored_utc_instant(a->second.updated_at));
        } else {
            // No longer approved: what was approved last (the approved version's content, when a
            // form approved one), shown cancelled from the time of the change.
            if (auto stored = core::find_message(db_, c.campaign.slug, code); stored && stored->approved_version) {
                if (auto history = core::find_message_history(db_, c.campaign.slug, code)) {
                    for (const auto& v : history->versions) {
                        if (v.version == *stored->approved_version) out.message = v.content;
                    }
                }
            } else if (stored && stored->origin == "file") {
                // A file message keeps no versions: the cancelled item still names it by its title
                // (its text may be the file's unapproved new one: not shown).
                out.message = stored->item;
                out.names_only = true;
            } else if (!stored) {
                // Archived by its file: its content is as the file last had it, which was approved
                // when the file said so then (its state); otherwise only its title is shown.
                if (auto archived = core::find_archived_message(db_, c.campaign.slug, code)) {
                    out.names_only = archived->item.state != "approved";
                    out.message = std::move(archived->item);
                }
            }
            if (auto t = c.changed_at.find(code); t != c.changed_at.end())
                out.changed = core::stored_utc_instant(t->second);
        }
        return contents_.emplace(std::move(key), std::move(out)).first->second;
    }

private:
    core::database& db_;
    std::map<std::string, std::optional<campaign_data>, std::less<>>& campaigns_;
    std::map<std::tuple<std::string, std::string, int>, message_content>& contents_;
    std::map<std::string, std::vector<std::string>, std::less<>>& outlets_;
};

// One channel-template render and everything it was rendered from.
struct material_entry {
    core::message message;
    core::channel_context context;
    core::slot_context slot;
    std::optional<std::string> text;
};

bool same_context(const core::channel_context& a, const core::channel_context& b) {
    return a.campaign_title == b.campaign_title && a.theme == b.theme && a.hotlines == b.hotlines &&
           a.key_dates == b.key_dates;
}

bool same_slot(const core::slot_context& a, const core::slot_context& b) {
    return a.outlet_name == b.outlet_name && a.outlet_kind == b.outlet_kind && a.time_zone == b.time_zone &&
           a.start == b.start && a.duration_s == b.duration_s && a.daypart == b.daypart;
}

// The public channel a campaign's news carries a message in: print (the press release), else
// online, else social; "" when it has none with a template.
std::string news_channel(const core::channel_templates& templates, const core::message& m) {
    for (const char* channel : {"print", "online", "social"}) {
        if (std::find(m.channels.begin(), m.channels.end(), channel) != m.channels.end() && templates.has(channel))
            return channel;
    }
    return {};
}

}  // namespace

struct feed_source::memo {
    explicit memo(std::size_t max) : max_materials(max == 0 ? 1 : max) {}

    // The material of `m` on `channel` in `lang` at `slot`: the kept render when every input is
    // the same as it was rendered from, else a new render (kept). Called under `mutex`.
    std::optional<std::string> material(const core::channel_templates& templates, const std::string& channel,
                                        const core::message& m, const core::channel_context& ctx,
                                        const std::string& lang, const core::slot_context& slot) {
        std::string key;
        key.reserve(channel.size() + lang.size() + m.id.size() + slot.outlet_name.vi.size() +
                    slot.time_zone.size() + 32);
        key.append(channel).append(1, '\x1f').append(lang).append(1, '\x1f').append(m.id).append(1, '\x1f');
        key.append(slot.outlet_name.vi).append(1, '\x1f').append(slot.time_zone).append(1, '\x1f');
        key.append(std::to_string(slot.start.time_since_epoch().count()));
        auto it = materials.find(key);
        if (it != materials.end() && it->second.message == m && same_context(it->second.context, ctx) &&
            same_slot(it->second.slot, slot)) {
            return it->second.text;
        }
        std::optional<std::string> text = templates.render(channel, m, ctx, lang, slot);
        if (it != materials.end()) {
            it->second = material_entry{m, ctx, slot, text};
        } else {
            if (materials.size() >= max_materials) materials.clear();
            materials.emplace(std::move(key), material_entry{m, ctx, slot, text});
        }
        return text;
    }

    std::mutex mutex;
    const std::size_t max_materials;
    std::unordered_map<std::string, material_entry> materials;  // guarded
    // What was read at `stamp` of connection `connection`; guarded.
    const void* connection = nullptr;
    std::optional<core::change_stamp> stamp;
    loaded_state state;
    std::size_t fresh_reads = 0;
};

feed_source::feed_source(const core::channel_templates& templates, std::size_t max_materials)
    : templates_(templates), memo_(std::make_shared<memo>(max_materials)) {}

std::size_t feed_source::memo_materials() const {
    const std::lock_guard lock(memo_->mutex);
    return memo_->materials.size();
}

schedule_window window_for(std::chrono::sys_seconds now, int lead_time_hours) {
    return {now - std::chrono::hours(24), now + std::chrono::hours(std::max(lead_time_hours, 24))};
}

std::size_t feed_source::fresh_reads() const {
    const std::lock_guard lock(memo_->mutex);
    return memo_->fresh_reads;
}

std::optional<outlet_feed> feed_source::outlet_schedule(core::database& db, std::string_view slug,
                                                        std::chrono::sys_seconds now, const feed_links& links,
                                                        bool keep_reads) const {
    const std::lock_guard lock(memo_->mutex);
    // The stamp before the reads: a commit that lands in between is read, and moves the next
    // stamp, so what is kept is never older than its stamp says.
    std::optional<core::change_stamp> stamp;
    if (keep_reads) stamp = core::take_change_stamp(db);
    const read_snapshot snapshot(db);
    // What was read at this stamp of this connection is still what the store holds; without
    // keep_reads, everything is read again (and the memo's is forgotten: it may be older).
    const void* connection = db.sql().getHandle();
    if (!stamp || memo_->stamp != stamp || memo_->connection != connection) {
        memo_->state = loaded_state{};
        memo_->stamp = stamp;
        memo_->connection = stamp ? connection : nullptr;
        ++memo_->fresh_reads;
    }
    loaded_state one_call;
    schedule_loader load(db, stamp ? memo_->state : one_call);
    const std::vector<std::string>& campaigns = load.outlet_campaigns(slug);
    if (campaigns.empty()) return std::nullopt;
    const campaign_data* latest = load.campaign(campaigns.front());
    const core::outlet* named = latest != nullptr ? find_outlet(latest->campaign, slug) : nullptr;
    if (named == nullptr) return std::nullopt;

    outlet_feed f;
    f.outlet_slug = named->slug;
    f.outlet_name = named->name;
    f.outlet_kind = named->kind;
    f.time_zone = named->time_zone;
    f.languages = languages_of(*named);
    const schedule_window w = window_for(now, named->lead_time_hours);
    f.window_from = w.from;
    f.window_to = w.to;
    f.links = links;
    // With no entries the feed's time of change is the day its window starts (stable for a day);
    // with entries, the newest entry's (below). Never the window's instant: it moves every minute.
    f.updated = date::floor<date::days>(w.from);

    for (const core::schedule_row& row : core::load_outlet_schedule(db, slug, w.from, w.to)) {
        const campaign_data* c = load.campaign(row.campaign);
        if (c == nullptr) continue;
        // The outlet as the placement's campaign defines it (its dayparts, its zone).
        const core::outlet* o = find_outlet(c->campaign, slug);
        if (o == nullptr) o = named;
        const message_content& content = load.content(*c, row.message, row.content_version);

        schedule_item it;
        it.placement_id = row.placement_id;
        it.campaign_slug = c->campaign.slug;
        it.campaign_title = c->campaign.title;
        it.message_code = row.message;
        it.start = row.start;
        it.duration_s = row.duration_s;
        it.time_zone = o->time_zone;
        it.daypart = row.daypart;
        std::tie(it.daypart_name, it.prime) = daypart_of(*o, row.daypart);
        it.state = row.state;
        it.sequence = row.sequence;
        it.moved = row.moved;
        it.make_good_of = row.make_good_of;
        it.make_good_of_start = row.make_good_of_start;
        it.updated = row.updated;
        it.channel = f.outlet_kind;
        // A placement whose message lost its approval before it was due is cancelled for the
        // outlet; one that was due before stays as it is (the outlet may report it). (Losing or
        // regaining the approval withdrew it or brought it back, and raised its stored sequence and
        // updated_at, in the same transaction: core/storage/statement_helpers.hpp, follow_approval.)
        if (row.withdrawn) {
            it.state = "cancelled";
            it.updated = std::max(row.updated, content.changed);
        } else if (content.approved && row.state != "cancelled") {
            // A later approval of new content changes what the item says.
            it.updated = std::max(row.updated, content.changed);
        }
        if (content.message) {
            const core::message& m = *content.message;
            it.message_title = m.title;
            it.department = m.department;
            it.department_name = department_name(c->campaign, m.department);
            it.audiences = audiences_of(c->campaign, m.audiences);
            const core::slot_context at = core::slot_context_of(*o, row.start, row.duration_s, row.daypart);
            for (const std::string& lang : f.languages) {
                if (content.names_only) break;
                if (auto text = memo_->material(templates_, it.channel, m, c->context, lang, at))
                    it.material.push_back({lang, std::move(*text)});
            }
        }
        f.updated = std::max(f.updated, it.updated);
        f.items.push_back(std::move(it));
    }
    return f;
}

std::optional<campaign_news> feed_source::news(core::database& db, std::string_view campaign,
                                               const feed_links& links) const {
    const read_snapshot snapshot(db);
    std::optional<core::campaign> c = core::load_campaign(db, campaign);
    if (!c) return std::nullopt;
    campaign_news f;
    f.campaign_slug = c->slug;
    f.title = c->title;
    f.theme = c->theme;
    f.links = links;
    f.updated = date::sys_days{c->period_start};

    const core::channel_context ctx = core::channel_context_of(*c);
    for (const core::approval_times& a : core::load_approval_times(db, c->slug)) {
        const std::optional<core::message> m = core::approved_message(db, c->slug, a.message);
        if (!m) continue;
        const std::string channel = news_channel(templates_, *m);
        if (channel.empty()) continue;  // not a public message
        news_item it;
        it.message_code = m->id;
        it.title = m->title;
        it.department = m->department;
        it.department_name = department_name(*c, m->department);
        it.audiences = audiences_of(*c, m->audiences);
        it.channel = channel;
        for (const char* lang : {"vi", "en"}) {
            if (std::string_view(lang) == "en" && m->text.en.empty()) continue;
            if (auto text = templates_.render(channel, *m, ctx, lang)) it.content.push_back({lang, std::move(*text)});
        }
        it.flight_start = m->flight_start;
        it.flight_end = m->flight_end;
        // Approved in a form: its first approval and the approval of this version. Approved in the
        // campaign file: when the import first wrote it and when an import last changed it.
        it.published = instant_or(a.first_approved_at, core::stored_utc_instant(a.created_at));
        it.updated = std::max(it.published, instant_or(a.approved_at, core::stored_utc_instant(a.updated_at)));
        f.items.push_back(std::move(it));
    }
    std::sort(f.items.begin(), f.items.end(), [](const news_item& x, const news_item& y) {
        if (x.updated != y.updated) return x.updated > y.updated;
        return x.message_code < y.message_code;
    });
    if (!f.items.empty()) f.updated = f.items.front().updated;
    return f;
}

std::optional<campaign_events> feed_source::events(core::database& db, std::string_view campaign,
                                                   const feed_links& links) const {
    const read_snapshot snapshot(db);
    std::optional<core::campaign> c = core::load_campaign(db, campaign);
    if (!c) return std::nullopt;
    const auto activities = core::list_activities(db, c->slug);
    if (!activities) return std::nullopt;
    std::map<std::string, int, std::less<>> changes;
    for (auto& [code, n] : core::activity_change_counts(db, c->slug)) changes.emplace(code, n);

    campaign_events f;
    f.campaign_slug = c->slug;
    f.title = c->title;
    f.time_zone = c->time_zone;
    f.links = links;
    // Sorted by the instant each starts (activities may be in different zones), then id.
    std::vector<std::pair<sys_seconds, event_item>> items;
    for (const core::stored_activity& s : *activities) {
        const core::activity& a = s.item;
        if (a.vis != core::visibility::public_) continue;  // internal activities never reach a feed
        event_item it;
        it.activity_id = a.id;
        it.title = a.title;
        it.description = a.description;
        it.location = a.location;
        it.department = a.department;
        it.department_name = department_name(*c, a.department);
        it.audiences = audiences_of(*c, a.audiences);
        it.all_day = a.all_day;
        it.start = a.start;
        it.end = a.end;
        it.time_zone = core::zone_of(a, *c);
        it.rrule = a.rrule;
        it.cancelled = s.cancelled;
        if (auto n = changes.find(a.id); n != changes.end()) it.sequence = n->second;
        it.updated = core::stored_utc_instant(s.updated_at);
        const date::time_zone* zone = core::find_zone(it.time_zone);
        const sys_seconds begins =
            zone != nullptr ? core::to_sys(it.start, zone) : sys_seconds{it.start.time_since_epoch()};
        items.emplace_back(begins, std::move(it));
    }
    std::sort(items.begin(), items.end(), [](const auto& x, const auto& y) {
        if (x.first != y.first) return x.first < y.first;
        return x.second.activity_id < y.second.activity_id;
    });
    for (auto& [begins, it] : items) f.items.push_back(std::move(it));
    return f;
}

}  // namespace loa::scheduler::feeds
