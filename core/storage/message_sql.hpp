// What the stores ask of a message in SQL. Internal to core/storage.
#pragma once

namespace loa::core {

// A message (aliased `m`) is approved when its current content is: approved in a form at this very
// version, or marked approved by the campaign file (stored_message::approved(), in SQL). The
// dispatcher sends, the feeds show and compliance counts the placements of such messages only.
inline constexpr const char* message_approved_sql =
    "(m.archived = 0 AND m.state = 'approved' AND "
    "(m.approved_version = m.version OR (m.approved_version IS NULL AND m.origin = 'file')))";

// A placement (aliased `p`) is withdrawn when its message lost its approval before it was due
// (withdrawn_at, set by follow_approval) and it is still planned or published: cancelled for its
// outlet. One reported aired or missed anyway is what was reported.
inline constexpr const char* placement_withdrawn_sql =
    "(p.withdrawn_at IS NOT NULL AND (p.state = 'planned' OR p.state = 'published'))";

}  // namespace loa::core
