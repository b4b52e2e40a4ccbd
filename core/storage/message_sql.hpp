// What the stores ask of a message in SQL. Internal to core/storage.
#pragma once

namespace loa::core {

// A message (aliased `m`) is approved when its current content is: approved in a form at this very
// version, or marked approved by the campaign file (stored_message::approved(), in SQL). The
// dispatcher sends, the feeds show and compliance counts the placements of such messages only.
inline constexpr const char* message_approved_sql =
    "(m.archived = 0 AND m.state = 'approved' AND "
    "(m.approved_version = m.version OR (m.approved_version IS NULL AND m.origin = 'file')))";

}  // namespace loa::core
