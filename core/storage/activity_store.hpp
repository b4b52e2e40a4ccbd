// Activities written from the web forms: create, edit, cancel, each in one transaction with its
// audit_log row; and the campaign's activities with their origin and cancellation for the
// calendars. Functions take the caller's database; not thread-safe beyond that connection.
// Database failures throw SQLite::Exception (infrastructure); expected failures are returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/campaign.hpp"
#include "core/storage/audit_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {

using change_actor = audit_actor;  // one actor type for every store (core/storage/audit_store.hpp)

// An activity as the store holds it.
struct stored_activity {
    activity item;           // item.id is the activity's stable code
    std::string origin;      // "file" (from a campaign file) or "web" (created or edited in a form)
    bool cancelled = false;  // cancelled activities are kept (and shown as cancelled)
    std::string updated_at;  // UTC ISO 8601
};

enum class activity_errc {
    ok,
    unknown_campaign,    // no active campaign with that slug
    not_found,           // no active activity with that code in the campaign
    unknown_department,  // item.department is not an active department of the campaign
    unknown_audience,    // an audience code is not declared by the campaign
    already_cancelled,   // cancel or edit of a cancelled activity
    changed_meanwhile,   // edit of a form loaded before someone else's change (value: the activity now)
};

// What a write returns: the stored activity after the change, or why nothing was written.
struct activity_result {
    activity_errc error = activity_errc::ok;
    stored_activity value;  // meaningful when error == ok (and changed_meanwhile: as it is now)
    [[nodiscard]] bool ok() const noexcept { return error == activity_errc::ok; }
};

// Creates `a` in campaign `campaign_slug` with origin 'web'. a.id is ignored: the code is made from
// the Vietnamese title ("Họp báo định kỳ" → "hop-bao-dinh-ky"; "activity" when the title has no
// letter), with "-2", "-3", … appended when taken by any activity of the campaign (archived ones
// too, so an old code is never reused). The caller validates the fields (kind, times, RRULE,
// zone); the store checks references. Writes an audit row (entity "activity", action "create",
// after = the activity as JSON) in the same transaction.
[[nodiscard]] activity_result create_activity(database& db, std::string_view campaign_slug, activity a,
                                              const change_actor& who);

// Replaces every field of the activity `code` with `a`'s (a.id is ignored: codes never change).
// The activity becomes origin 'web' even if it came from a file, so a later import of the file
// neither overwrites nor archives it (docs/campaign-format.md, "Items edited in the web forms").
// A cancelled activity cannot be edited (already_cancelled). With `as_loaded` (the
// activity_fingerprint of the activity the editor's form was filled from), an activity changed
// since by anyone is not overwritten: changed_meanwhile, with the activity as it is now. Audit:
// action "edit", before/after.
[[nodiscard]] activity_result update_activity(database& db, std::string_view campaign_slug,
                                              std::string_view code, activity a, const change_actor& who,
                                              std::string_view as_loaded = {});

// A short text that changes whenever anything of the stored activity changes (its fields,
// cancellation, origin): what an edit form carries to notice a change made while it was open.
[[nodiscard]] std::string activity_fingerprint(const stored_activity& a);

// Marks the activity `code` cancelled (kept, never deleted). Audit: action "cancel", before/after.
// already_cancelled when it already is.
[[nodiscard]] activity_result cancel_activity(database& db, std::string_view campaign_slug,
                                              std::string_view code, const change_actor& who);

// The active (not archived) activity `code` of the campaign, cancelled or not; nullopt if none.
[[nodiscard]] std::optional<stored_activity> find_activity(database& db, std::string_view campaign_slug,
                                                           std::string_view code);

// The campaign's active activities, cancelled ones included, in the campaign's order (file
// order, then creation); nullopt when the campaign is unknown or archived.
[[nodiscard]] std::optional<std::vector<stored_activity>> list_activities(database& db,
                                                                          std::string_view campaign_slug);

// The activity as the audit log stores it: a JSON object with every field (times as local
// "YYYY-MM-DDTHH:MM:SS", localized text as {"vi","en"}), plus "cancelled" and "origin".
[[nodiscard]] std::string activity_audit_json(const stored_activity& a);

}  // namespace loa::core
