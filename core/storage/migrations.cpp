// The store's schema, one migration step per version, applied through PRAGMA user_version.
#include "core/storage/migrations.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/storage/dispatch_store.hpp"
#include "core/storage/user_store.hpp"
#include "core/text/unicode.hpp"

namespace loa::core {
namespace {

// Version 1: the campaign as the files describe it, normalized so that later features (forms that
// edit activities and messages, approval, audit log, planner placements) can refer to rows by id.
//
// Items (key dates, audiences, hotlines, departments, activities, outlets, messages) have an integer
// id, their stable key from the file (unique per campaign), `position` (file order, so an export
// keeps the author's order), `archived` (an item a file no longer has is kept, not deleted) and UTC
// ISO 8601 timestamps. Their children (duties, audience lists, dayparts, break rules, languages,
// channels) are replaced together with the item and are the only rows deleted by cascade.
// Localized text is two columns, `*_en` empty when untranslated. Dates are "YYYY-MM-DD", local
// date-times "YYYY-MM-DDTHH:MM:SS" beside their zone ('' = the campaign's zone).
constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    title_vi       TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',
    theme_vi       TEXT NOT NULL,
    theme_en       TEXT NOT NULL DEFAULT '',
    description_vi TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    period_start   TEXT NOT NULL CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period_end     TEXT NOT NULL CHECK (period_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    time_zone      TEXT NOT NULL CHECK (time_zone <> ''),
    archived       INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;

CREATE TABLE key_dates (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    date        TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    weight      REAL NOT NULL CHECK (weight > 0),
    position    INTEGER NOT NULL,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (campaign_id, date)
) STRICT;

CREATE TABLE audiences (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    code        TEXT NOT NULL CHECK (code <> ''),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (campaign_id, code)
) STRICT;

CREATE TABLE hotlines (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    number      TEXT NOT NULL CHECK (number <> ''),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (campaign_id, number)
) STRICT;

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    code        TEXT NOT NULL CHECK (code <> ''),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (campaign_id, code)
) STRICT;

CREATE TABLE department_duties (
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    text_vi       TEXT NOT NULL,
    text_en       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (department_id, position)
) STRICT;

CREATE TABLE activities (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    code           TEXT NOT NULL CHECK (code <> ''),
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    kind           TEXT NOT NULL CHECK (kind IN ('press_conference', 'school_session', 'cultural_event',
                       'sports_event', 'outreach', 'inspection', 'broadcast', 'documentary', 'debate',
                       'article', 'social_post', 'loudspeaker_bulletin', 'meeting', 'training',
                       'hotline', 'other')),
    title_vi       TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',
    description_vi TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    all_day        INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),
    start_local    TEXT NOT NULL
                   CHECK (start_local GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    end_local      TEXT NOT NULL
                   CHECK (end_local GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    time_zone      TEXT NOT NULL DEFAULT '',
    rrule          TEXT NOT NULL DEFAULT '',
    location_vi    TEXT NOT NULL DEFAULT '',
    location_en    TEXT NOT NULL DEFAULT '',
    visibility     TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    position       INTEGER NOT NULL,
    archived       INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (campaign_id, code),
    CHECK (end_local > start_local)
) STRICT;
CREATE INDEX activities_department ON activities (department_id);

CREATE TABLE activity_audiences (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    audience_id INTEGER NOT NULL REFERENCES audiences (id),
    PRIMARY KEY (activity_id, position)
) STRICT;
CREATE INDEX activity_audiences_audience ON activity_audiences (audience_id);

CREATE TABLE outlets (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id),
    slug            TEXT NOT NULL CHECK (slug <> ''),
    name_vi         TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL
                    CHECK (kind IN ('tv', 'radio', 'print', 'online', 'social', 'loudspeaker', 'school')),
    department_id   INTEGER REFERENCES departments (id),
    time_zone       TEXT NOT NULL CHECK (time_zone <> ''),
    lead_time_hours INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_hours >= 0),
    position        INTEGER NOT NULL,
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (campaign_id, slug)
) STRICT;
CREATE INDEX outlets_department ON outlets (department_id);

CREATE TABLE outlet_languages (
    outlet_id INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    language  TEXT NOT NULL CHECK (language IN ('vi', 'en')),
    PRIMARY KEY (outlet_id, position)
) STRICT;

-- Minutes after local midnight; an end at or before the start crosses midnight.
CREATE TABLE dayparts (
    id           INTEGER PRIMARY KEY,
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL CHECK (code <> ''),
    name_vi      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    weekdays     INTEGER NOT NULL CHECK (weekdays BETWEEN 0 AND 127),  -- bit 0 = Monday
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    weight       REAL NOT NULL CHECK (weight > 0),
    UNIQUE (outlet_id, code)
) STRICT;

-- Either hourly at `minute` past the hour or daily at `at_minute` after midnight.
CREATE TABLE break_rules (
    id        INTEGER PRIMARY KEY,
    outlet_id INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    minute    INTEGER CHECK (minute BETWEEN 0 AND 59),
    at_minute INTEGER CHECK (at_minute BETWEEN 0 AND 1439),
    seconds   INTEGER NOT NULL CHECK (seconds > 0),
    UNIQUE (outlet_id, position),
    CHECK ((minute IS NULL) <> (at_minute IS NULL))
) STRICT;

CREATE TABLE break_rule_dayparts (
    break_rule_id INTEGER NOT NULL REFERENCES break_rules (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    daypart_id    INTEGER NOT NULL REFERENCES dayparts (id) ON DELETE CASCADE,
    PRIMARY KEY (break_rule_id, position)
) STRICT;
CREATE INDEX break_rule_dayparts_daypart ON break_rule_dayparts (daypart_id);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id),
    code          TEXT NOT NULL CHECK (code <> ''),
    department_id INTEGER NOT NULL REFERENCES departments (id),
    title_vi      TEXT NOT NULL DEFAULT '',
    title_en      TEXT NOT NULL DEFAULT '',
    text_vi       TEXT NOT NULL,
    text_en       TEXT NOT NULL DEFAULT '',
    duration_s    INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    priority      INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
    flight_start  TEXT NOT NULL CHECK (flight_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    flight_end    TEXT NOT NULL CHECK (flight_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    airings       INTEGER NOT NULL DEFAULT 0 CHECK (airings >= 0),
    state         TEXT NOT NULL DEFAULT 'draft'
                  CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
    position      INTEGER NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (campaign_id, code),
    CHECK (flight_end >= flight_start)
) STRICT;
CREATE INDEX messages_department ON messages (department_id);

CREATE TABLE message_channels (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    channel    TEXT NOT NULL CHECK (channel IN ('tv', 'radio', 'print', 'online', 'social', 'loudspeaker',
                                                'school', 'sms', 'email')),
    PRIMARY KEY (message_id, position)
) STRICT;

CREATE TABLE message_audiences (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    audience_id INTEGER NOT NULL REFERENCES audiences (id),
    PRIMARY KEY (message_id, position)
) STRICT;
CREATE INDEX message_audiences_audience ON message_audiences (audience_id);
)sql";

// Version 2: the people who use the web forms and what they do. Accounts with an argon2id hash
// (libsodium's crypto_pwhash_str, never the password), server-side sessions (only a hash of the
// cookie value is stored), failed logins for throttling, the audit log (who changed what, when,
// before/after as JSON), message versions and reviews (approval is bound to the version approved),
// and two columns on items: `origin` ('file' = from a campaign file, 'web' = created in a form; an
// import archives only file items) and, for activities, `cancelled`.
constexpr std::string_view schema_v2 = R"sql(
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'editor', 'viewer')),
    department    TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '' CHECK (language IN ('', 'vi', 'en')),
    time_zone     TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (role <> 'editor' OR department <> '')
) STRICT;

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    actor       TEXT NOT NULL,
    campaign_id INTEGER REFERENCES campaigns (id),
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key);

CREATE TABLE message_versions (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    content_json TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL,
    UNIQUE (message_id, version)
) STRICT;

CREATE TABLE message_reviews (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    version    INTEGER NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    action     TEXT NOT NULL CHECK (action IN ('submit', 'approve', 'reject', 'comment', 'reopen')),
    comment    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX message_reviews_message ON message_reviews (message_id, at);

ALTER TABLE messages ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE messages ADD COLUMN approved_version INTEGER;
ALTER TABLE messages ADD COLUMN origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'web'));
ALTER TABLE activities ADD COLUMN origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'web'));
ALTER TABLE activities ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
)sql";

// Version 3: a message may be limited to named outlets (e.g. a message for Vietnamese abroad runs
// only on the outlets that reach them).
constexpr std::string_view schema_v3 = R"sql(
CREATE TABLE message_outlets (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    outlet_id  INTEGER NOT NULL REFERENCES outlets (id),
    PRIMARY KEY (message_id, position)
) STRICT;
CREATE INDEX message_outlets_outlet ON message_outlets (outlet_id);
)sql";

// Version 4: the planner. Scheduling rules the campaign files gained (blackouts and a freeze
// horizon per outlet; per-day/per-week limits, allowed dayparts, spacing and flights relative to a
// key date per message; department separation per campaign), the plan runs and the placements they
// made. Instants are UTC "YYYY-MM-DDTHH:MM:SSZ". A placement is planned, then published (an outlet
// has been told), then aired or missed (as the outlet reports); make_good_of links a make-good
// proposal to the missed placement it replaces. Placements are never deleted except planned ones
// that a later (non-frozen) re-plan replaces.
constexpr std::string_view schema_v4 = R"sql(
ALTER TABLE campaigns ADD COLUMN separate_departments INTEGER NOT NULL DEFAULT 1
    CHECK (separate_departments IN (0, 1));

ALTER TABLE outlets ADD COLUMN freeze_hours INTEGER NOT NULL DEFAULT 0 CHECK (freeze_hours >= 0);

CREATE TABLE outlet_blackouts (
    outlet_id   INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    start_local TEXT NOT NULL,
    end_local   TEXT NOT NULL,
    reason_vi   TEXT NOT NULL DEFAULT '',
    reason_en   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (outlet_id, position),
    CHECK (end_local > start_local)
) STRICT;

ALTER TABLE messages ADD COLUMN airings_per_day INTEGER NOT NULL DEFAULT 0 CHECK (airings_per_day >= 0);
ALTER TABLE messages ADD COLUMN airings_per_week INTEGER NOT NULL DEFAULT 0 CHECK (airings_per_week >= 0);
ALTER TABLE messages ADD COLUMN max_per_outlet_per_day INTEGER NOT NULL DEFAULT 0
    CHECK (max_per_outlet_per_day >= 0);
ALTER TABLE messages ADD COLUMN min_gap_minutes INTEGER NOT NULL DEFAULT 0 CHECK (min_gap_minutes >= 0);
-- '' when the flight was given as dates; else the key date it is relative to.
ALTER TABLE messages ADD COLUMN flight_key_date TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN flight_days_before INTEGER NOT NULL DEFAULT 0 CHECK (flight_days_before >= 0);
ALTER TABLE messages ADD COLUMN flight_days_after INTEGER NOT NULL DEFAULT 0 CHECK (flight_days_after >= 0);

CREATE TABLE message_dayparts (
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    daypart_code TEXT NOT NULL CHECK (daypart_code <> ''),
    PRIMARY KEY (message_id, position)
) STRICT;

CREATE TABLE plan_runs (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    created_at  TEXT NOT NULL,
    actor       TEXT NOT NULL,               -- "user:<login>" or "cli"
    range_from  TEXT NOT NULL,               -- dates planned, inclusive
    range_to    TEXT NOT NULL,
    as_of       TEXT NOT NULL,               -- the "now" the run planned from (UTC)
    objective   REAL NOT NULL,
    bound       REAL NOT NULL,
    gap         REAL NOT NULL,
    placed      INTEGER NOT NULL,
    wanted      INTEGER NOT NULL,
    report_json TEXT NOT NULL                -- the whole plan result as `loa plan --format json` prints it
) STRICT;
CREATE INDEX plan_runs_campaign ON plan_runs (campaign_id, id);

CREATE TABLE placements (
    -- AUTOINCREMENT: an id is never given again, since outlets quote them (feeds, as-run reports)
    -- and a re-plan deletes planned rows.
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    message_id   INTEGER NOT NULL REFERENCES messages (id),
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    start_utc    TEXT NOT NULL,
    duration_s   INTEGER NOT NULL CHECK (duration_s >= 0),
    daypart      TEXT NOT NULL,              -- daypart code of the outlet
    weight       REAL NOT NULL,              -- daypart weight x key-date weight
    value        REAL NOT NULL,              -- priority x weight
    state        TEXT NOT NULL DEFAULT 'planned'
                 CHECK (state IN ('planned', 'published', 'aired', 'missed')),
    make_good_of INTEGER REFERENCES placements (id),
    plan_run_id  INTEGER REFERENCES plan_runs (id),
    aired_at     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX placements_campaign ON placements (campaign_id, start_utc);
CREATE INDEX placements_outlet ON placements (outlet_id, start_utc);
CREATE INDEX placements_message ON placements (message_id);
)sql";

// Version 5: the dispatcher's durable outbox. A target is a receiver (an outlet's automation, an SMS
// gateway, a publisher) named per outlet or per outlet kind; a dispatch is one placement to one
// target, written in the same transaction as the change that makes it due (a plan stored, a message
// approved). The outbox's clock columns are integers, milliseconds since 1970-01-01 UTC, for the hot
// path (claim by due time, leases); every other instant stays UTC text as elsewhere.
// States: pending → in_flight (lease_until_ms set) → delivered | retrying | dead | missed; cancelled
// when its placement no longer goes out (message no longer approved, target removed).
constexpr std::string_view schema_v5 = R"sql(
CREATE TABLE dispatch_targets (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL CHECK (name <> ''),    -- unique among targets not removed
    outlet_id         INTEGER REFERENCES outlets (id),     -- this outlet, or
    outlet_kind       TEXT,                                -- every outlet of this kind
    url               TEXT NOT NULL CHECK (url <> ''),
    secret            TEXT NOT NULL CHECK (secret LIKE 'whsec_%'),
    concurrency       INTEGER NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 256),
    grace_s           INTEGER NOT NULL DEFAULT 900 CHECK (grace_s >= 0),
    retry_window_s    INTEGER NOT NULL DEFAULT 259200 CHECK (retry_window_s >= 0),
    lead_s            INTEGER NOT NULL DEFAULT 0 CHECK (lead_s >= 0),
    enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason   TEXT NOT NULL DEFAULT '',
    removed_at        TEXT,                                -- set when removed: kept for the log
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((outlet_id IS NULL) <> (outlet_kind IS NULL)),
    CHECK (removed_at IS NULL OR enabled = 0)
) STRICT;
CREATE UNIQUE INDEX dispatch_targets_name ON dispatch_targets (name) WHERE removed_at IS NULL;

CREATE TABLE dispatches (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       TEXT NOT NULL UNIQUE,                 -- the same on every attempt
    placement_id     INTEGER NOT NULL REFERENCES placements (id) ON DELETE CASCADE,
    target_id        INTEGER NOT NULL REFERENCES dispatch_targets (id) ON DELETE CASCADE,
    due_ms           INTEGER NOT NULL,                     -- placement start − target lead
    -- (The hot tables' CHECKs are OR chains, not IN lists: SQLite builds an ephemeral table for an
    -- IN list of more than two constants on every execution of a statement that writes the column.)
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state = 'pending' OR state = 'in_flight' OR state = 'delivered' OR
                            state = 'retrying' OR state = 'dead' OR state = 'missed' OR state = 'cancelled'),
    next_attempt_ms  INTEGER NOT NULL,
    lease_until_ms   INTEGER,                              -- set while in_flight
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status      INTEGER,                              -- HTTP status of the last attempt (NULL: none)
    last_error       TEXT NOT NULL DEFAULT '',
    sent_body        TEXT,                                 -- the body of the last attempt, as signed
    delivered_ms     INTEGER,
    first_attempt_ms INTEGER,                              -- start of the first attempt (lateness)
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (placement_id, target_id)
) STRICT;
-- The hot path goes per target: in-flight counts, claims and catch-up are range scans of
-- (target, state, next attempt) in time order; the log lists by due time. (dispatches_due is
-- dropped again in version 11.)
CREATE INDEX dispatches_due ON dispatches (state, next_attempt_ms);
CREATE INDEX dispatches_target ON dispatches (target_id, state, next_attempt_ms);
CREATE INDEX dispatches_log ON dispatches (due_ms);

CREATE TABLE dispatch_attempts (
    id           INTEGER PRIMARY KEY,
    dispatch_id  INTEGER NOT NULL REFERENCES dispatches (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL CHECK (attempt >= 1),
    started_ms   INTEGER NOT NULL,
    finished_ms  INTEGER NOT NULL,
    status       INTEGER,                                  -- NULL: no HTTP response
    error        TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL CHECK (outcome = 'delivered' OR outcome = 'retry' OR outcome = 'dead' OR
                                      outcome = 'disabled' OR outcome = 'lease_expired'),
    UNIQUE (dispatch_id, attempt)
) STRICT;
)sql";

// Version 6: the media feeds (docs/feeds.md). A placement keeps its id when a re-plan moves it (its
// sequence counts the moves, as iCalendar's SEQUENCE does); a planned placement a re-plan drops is
// remembered in placement_cancellations, so that feeds show it cancelled instead of letting it
// vanish. Feed tokens are per outlet slug (an outlet across campaigns), stored as SHA-256 hashes.
// As-run lines are what an outlet reports it aired; the same line twice is stored once.
constexpr std::string_view schema_v6 = R"sql(
ALTER TABLE placements ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0);

CREATE TABLE placement_cancellations (
    placement_id INTEGER PRIMARY KEY,         -- the dropped placement's id (never given again)
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    message_id   INTEGER NOT NULL REFERENCES messages (id),
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    start_utc    TEXT NOT NULL,               -- where it was when it was dropped
    duration_s   INTEGER NOT NULL,
    daypart      TEXT NOT NULL,
    weight       REAL NOT NULL,
    sequence     INTEGER NOT NULL,            -- the placement's last sequence + 1
    cancelled_at TEXT NOT NULL                -- UTC
) STRICT;
CREATE INDEX placement_cancellations_outlet ON placement_cancellations (outlet_id, start_utc);

CREATE TABLE feed_tokens (
    id           INTEGER PRIMARY KEY,
    outlet_slug  TEXT NOT NULL CHECK (outlet_slug <> ''),
    token_hash   BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),  -- SHA-256 of the token
    label        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,               -- "user:<login>" or "cli"
    revoked_at   TEXT,
    last_used_at TEXT
) STRICT;
CREATE INDEX feed_tokens_outlet ON feed_tokens (outlet_slug);

CREATE TABLE as_run_lines (
    id           INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    outlet_slug  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status = 'aired' OR status = 'missed' OR status = 'partial'),
    aired_at     TEXT NOT NULL DEFAULT '',    -- UTC; '' for missed (not NULL: UNIQUE must see it)
    note         TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,               -- UTC
    token_id     INTEGER REFERENCES feed_tokens (id),
    UNIQUE (placement_id, status, aired_at, note)
) STRICT;
CREATE INDEX as_run_lines_outlet ON as_run_lines (outlet_slug, placement_id);
)sql";

// Version 7: the body as sent, kept without writing it whole into every dispatch row at every
// attempt. The part of a body that many dispatches send alike (everything but the timestamp,
// placement id and webhook id: campaign, message, outlet, slot, rendered content) is stored once in
// dispatch_body_parts, by a BLAKE2b-256 hash of its text; the row's sent_body keeps the rest (the
// head) and sent_body_part points at the part. The body sent is sent_body || the part's text (the
// view dispatch_sent_bodies; core::sent_body). Rows written before keep their whole body in
// sent_body, with no part.
constexpr std::string_view schema_v7 = R"sql(
CREATE TABLE dispatch_body_parts (
    id    INTEGER PRIMARY KEY,
    hash  BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),  -- BLAKE2b-256 of text
    text  TEXT NOT NULL
) STRICT;
ALTER TABLE dispatches ADD COLUMN sent_body_part INTEGER REFERENCES dispatch_body_parts (id);
CREATE VIEW dispatch_sent_bodies (id, webhook_id, body) AS
    SELECT d.id, d.webhook_id, d.sent_body || COALESCE(p.text, '')
    FROM dispatches d LEFT JOIN dispatch_body_parts p ON p.id = d.sent_body_part;
)sql";

// Version 8: user names compared as people read them. `name_key` is the name's caseless key
// (core::caseless_key: NFC, Unicode case folding, NFC), unique: "Lê Thị Giáo" typed precomposed or
// decomposed, or as "LÊ THỊ GIÁO", is one name (COLLATE NOCASE folded only ASCII, and decomposed text
// did not match precomposed at all). The keys are computed in C++ (key_user_names below).
constexpr std::string_view schema_v8 = R"sql(
ALTER TABLE users ADD COLUMN name_key TEXT;
)sql";

// Fills users.name_key. Names that become the same name under the key (two accounts that look alike,
// e.g. one created with a decomposed copy of the other's name) cannot both keep it: the enabled
// account created first keeps the name (the first created when none is enabled); every other one
// gets no key, is disabled, loses its sessions and gets an audit row, actor "(upgrade)". A name that
// collides with none is also stored in NFC (it looks the same).
void key_user_names(SQLite::Database& db) {
    struct user {
        std::int64_t id = 0;
        std::string name, role, department, language;
        bool disabled = false;
    };
    std::map<std::string, std::vector<user>> by_key;
    {
        SQLite::Statement st(db, "SELECT id, name, role, department, language, disabled FROM users ORDER BY id");
        while (st.executeStep()) {
            user u{st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   st.getColumn(3).getString(), st.getColumn(4).getString(), st.getColumn(5).getInt() != 0};
            by_key[caseless_key(u.name)].push_back(std::move(u));
        }
    }
    const std::string now = utc_text(std::chrono::system_clock::now());
    SQLite::Statement set_key(db, "UPDATE users SET name_key = ? WHERE id = ?");
    SQLite::Statement set_name(db, "UPDATE users SET name = ? WHERE id = ?");
    SQLite::Statement disable(db, "UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?");
    SQLite::Statement end_sessions(db, "DELETE FROM sessions WHERE user_id = ?");
    SQLite::Statement audit(db,
                            "INSERT INTO audit_log (at, actor, entity, entity_key, action, before_json, after_json) "
                            "VALUES (?, '(upgrade)', 'user', ?, 'disable', ?, ?)");
    for (const auto& [key, group] : by_key) {
        std::size_t keeper = 0;
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (!group[i].disabled) {
                keeper = i;
                break;
            }
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            const user& u = group[i];
            if (i == keeper) {
                set_key.bind(1, key);
                set_key.bind(2, u.id);
                set_key.exec();
                set_key.reset();
                const std::string nfc = to_nfc(u.name);
                if (group.size() == 1 && nfc != u.name) {
                    set_name.bind(1, nfc);
                    set_name.bind(2, u.id);
                    set_name.exec();
                    set_name.reset();
                }
                continue;
            }
            end_sessions.bind(1, u.id);
            end_sessions.exec();
            end_sessions.reset();
            if (u.disabled) continue;
            disable.bind(1, now);
            disable.bind(2, u.id);
            disable.exec();
            disable.reset();
            audit.bind(1, now);
            audit.bind(2, u.name);
            audit.bind(3, user_json(u.role, u.department, u.language, false));
            audit.bind(4, user_json(u.role, u.department, u.language, true));
            audit.exec();
            audit.reset();
        }
    }
    db.exec("CREATE UNIQUE INDEX users_name_key ON users (name_key)");
}

// Version 9: placements.state checked by an OR chain instead of an IN list (the same rule). SQLite
// builds an ephemeral table for an IN list of more than two constants on every execution of a
// statement that writes the column: every delivery publishes its placement, and every stored plan
// inserts its placements. Measured on a copy of a dispatch benchmark database through Python's
// sqlite3 module (the same libsqlite3, its overhead included in both), 20,000 updates of
// placements.state in one transaction: 7.35 µs each with the IN list, 3.96 µs with the OR chain.
// A CHECK rewritten to an equivalent one changes nothing on disk, so the table's stored SQL is
// edited as SQLite documents for such changes (lang_altertable.html, "Making Other Kinds Of Table
// Schema Changes": writable_schema, then schema_version + 1) instead of copying the table.
constexpr std::string_view placements_state_in_list =
    "CHECK (state IN ('planned', 'published', 'aired', 'missed'))";
constexpr std::string_view placements_state_or_chain =
    "CHECK (state = 'planned' OR state = 'published' OR state = 'aired' OR state = 'missed')";

// When the edit cannot be made (SQLite's defensive mode forbids writing the schema, or the table's
// SQL is not the one this step knows), the step changes nothing and the database still moves to
// version 9: the rule is the same either way, only slower to check.
void placements_state_check_as_or_chain(SQLite::Database& db) {
    const int schema = db.execAndGet("PRAGMA schema_version").getInt();
    db.exec("PRAGMA writable_schema = ON");
    int changed = 0;
    try {
        SQLite::Statement edit(db, "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) "
                                   "WHERE type = 'table' AND name = 'placements' AND instr(sql, ?1) > 0");
        edit.bind(1, std::string(placements_state_in_list));
        edit.bind(2, std::string(placements_state_or_chain));
        changed = edit.exec();
    } catch (const SQLite::Exception&) {
        changed = 0;  // refused (defensive mode): the statement changed nothing
    }
    try {
        // PRAGMA takes no bound parameters; the value is SQLite's own number plus one. If this
        // fails, the step fails and its transaction (the edit with it) is rolled back.
        if (changed == 1) db.exec("PRAGMA schema_version = " + std::to_string(schema + 1));
    } catch (...) {
        db.exec("PRAGMA writable_schema = OFF");
        throw;
    }
    db.exec("PRAGMA writable_schema = OFF");
}

// Version 10: as_run_lines loses UNIQUE (placement_id, status, aired_at, note). A line is a
// duplicate when it repeats the placement's latest line (as_run_store.cpp), not any line ever
// received: an outlet that reported "aired", then "missed", then "aired" again (a correction back)
// must see its placement aired, and the earlier unique key turned that third line into a silent
// duplicate. SQLite drops a table constraint only by copying the table (lang_altertable.html, the
// twelve-step procedure; nothing refers to as_run_lines, so no foreign key needs checking).
constexpr std::string_view schema_v10 = R"sql(
CREATE TABLE as_run_lines_v10 (
    id           INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    outlet_slug  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status = 'aired' OR status = 'missed' OR status = 'partial'),
    aired_at     TEXT NOT NULL DEFAULT '',    -- UTC; '' for missed
    note         TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,               -- UTC
    token_id     INTEGER REFERENCES feed_tokens (id)
) STRICT;
INSERT INTO as_run_lines_v10 (id, placement_id, outlet_slug, status, aired_at, note, received_at, token_id)
    SELECT id, placement_id, outlet_slug, status, aired_at, note, received_at, token_id FROM as_run_lines;
DROP TABLE as_run_lines;
ALTER TABLE as_run_lines_v10 RENAME TO as_run_lines;
CREATE INDEX as_run_lines_outlet ON as_run_lines (outlet_slug, placement_id);
CREATE INDEX as_run_lines_placement ON as_run_lines (placement_id, id);
)sql";

// Version 11: the outbox loses its (state, next attempt) index. Every claim and every completion
// moves a row from one state to another, and each such move rewrote that index as well as the
// (target, state, next attempt) one; the few readers it served (counts by state, the rows in
// flight) now go through the target index, one range per target (dispatch_store.cpp). Measured on
// the dispatch benchmark: docs/benchmarks.md.
constexpr std::string_view schema_v11 = R"sql(
DROP INDEX dispatches_due;
)sql";

// Version 12: login failures indexed by time too. Every password attempt that goes on now deletes
// the failures that have left the window (user_store.cpp purge_login_failures), which scanned the
// table without it.
constexpr std::string_view schema_v12 = R"sql(
CREATE INDEX login_failures_at ON login_failures (at);
)sql";

// Version 13: the reasons stored for targets disabled by a 410 before 0979903 named the receiver's
// whole URL ("410 Gone from https://hooks.example/t/SECRET at …"); they are rewritten to name its
// origin only, as new ones do. (The audit log keeps what it recorded: history is not rewritten.)
void origin_only_disabled_reasons(SQLite::Database& db) {
    SQLite::Statement rows(db, "SELECT id, disabled_reason FROM dispatch_targets WHERE disabled_reason LIKE '% from % at %'");
    SQLite::Statement set(db, "UPDATE dispatch_targets SET disabled_reason = ? WHERE id = ?");
    while (rows.executeStep()) {
        const std::string reason = rows.getColumn(1).getString();
        const auto from = reason.find(" from ");
        const auto at = reason.rfind(" at ");
        if (from == std::string::npos || at == std::string::npos || at <= from + 6) continue;
        const std::string answer = reason.substr(0, from);
        if (answer != "gone" && !(answer.size() == 8 && answer.ends_with(" Gone"))) continue;  // an operator's own
        const std::string url = reason.substr(from + 6, at - from - 6);
        const std::string origin = url_origin(url);
        if (origin == url) continue;
        set.bind(1, answer + " from " + origin + reason.substr(at));
        set.bind(2, rows.getColumn(0).getInt64());
        set.exec();
        set.reset();
    }
}

// Version 14: where a re-plan moved a placement from. An outlet's feeds list the placements in a
// window of time; one moved from inside the window to a time outside it would otherwise vanish
// from them, and the outlet's automation, which saw it at the old time, would keep airing it
// there. The feeds also list every placement (or its cancellation) that was once at a time inside
// the window (feed_store.cpp). One row per earlier time; kept when the placement is dropped
// later (its id stays in placement_cancellations and is never given again).
constexpr std::string_view schema_v14 = R"sql(
CREATE TABLE placement_moves (
    placement_id INTEGER NOT NULL,            -- in placements, or placement_cancellations once dropped
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    from_utc     TEXT NOT NULL,               -- the start it had before the move
    moved_at     TEXT NOT NULL,
    PRIMARY KEY (placement_id, from_utc)
) STRICT, WITHOUT ROWID;
CREATE INDEX placement_moves_outlet ON placement_moves (outlet_id, from_utc);
)sql";

// Version 16: what each plan run changed for the outlets, counted when it is stored (NULL in runs
// stored before): placements kept as they were, new ones, moved ones (same id, a new break), and
// cancelled ones. The "Run planner" page and `loa plan` say it.
constexpr std::string_view schema_v16 = R"sql(
ALTER TABLE plan_runs ADD COLUMN kept INTEGER;
ALTER TABLE plan_runs ADD COLUMN added INTEGER;
ALTER TABLE plan_runs ADD COLUMN moved INTEGER;
ALTER TABLE plan_runs ADD COLUMN cancelled INTEGER;
)sql";

// Version 17: the moment a placement still to go out was withdrawn, on the schedule's clock (the
// server's, which a rehearsal sets back): its message lost its approval before it was due. Only a
// placement that starts at or after that moment is withdrawn, and one that comes due withdrawn stays
// so (nothing was sent, the feeds said it was cancelled); an airing that was due while its message
// was approved stays due, and its outlet may still report it. Regaining the approval clears it for
// the placements still ahead (statement_helpers.hpp, follow_approval). Placements whose message is
// not approved today were all shown cancelled before this version: they keep that, from the time
// they were last changed.
constexpr std::string_view schema_v17 = R"sql(
ALTER TABLE placements ADD COLUMN withdrawn_at TEXT;
UPDATE placements SET withdrawn_at = updated_at
 WHERE (state = 'planned' OR state = 'published')
   AND message_id NOT IN (SELECT m.id FROM messages m WHERE m.archived = 0 AND m.state = 'approved' AND
       (m.approved_version = m.version OR (m.approved_version IS NULL AND m.origin = 'file')));
)sql";

// Version 18: the approved version an airing went out with. When a message's approved content
// changes or goes (an edit, a file import with new text or another state), its placements that were
// already due keep that content: content_version names its message_versions row (written then if it
// had none: a message approved by its file). NULL: the message's approved content as it is now (every
// placement still ahead, and those of placements stored before this version).
constexpr std::string_view schema_v18 = R"sql(
ALTER TABLE placements ADD COLUMN content_version INTEGER;
)sql";

// Version 19: a make-good a re-plan dropped is still said to be one in the feeds (its cancellation
// names the missed placement it was for, as the placement did). NULL: not a make-good, and every
// cancellation stored before this version.
constexpr std::string_view schema_v19 = R"sql(
ALTER TABLE placement_cancellations ADD COLUMN make_good_of INTEGER;
)sql";

// Version 15: errors recorded for a target whose URL could not be parsed named the whole URL
// ("bad URL \"https://user:pw@host/path?key=…\": …"), and every viewer of the dispatch log sees
// them; they are rewritten to "bad URL: …", as new ones are written. (The audit log is history.)
void bad_url_errors_without_the_url(SQLite::Database& db) {
    const auto scrub = [](const std::string& text) -> std::optional<std::string> {
        constexpr std::string_view head = "bad URL \"";
        const auto at = text.find(head);
        if (at == std::string::npos) return std::nullopt;
        const auto close = text.find("\": ", at + head.size());
        if (close == std::string::npos) return std::nullopt;
        return text.substr(0, at) + "bad URL: " + text.substr(close + 3);
    };
    for (const auto& [table, column] : {std::pair<const char*, const char*>{"dispatches", "last_error"},
                                        std::pair<const char*, const char*>{"dispatch_attempts", "error"}}) {
        // Table and column names come from the list above, not from input.
        SQLite::Statement rows(db, std::string("SELECT id, ") + column + " FROM " + table + " WHERE " + column +
                                       " LIKE '%bad URL \"%'");
        SQLite::Statement set(db, std::string("UPDATE ") + table + " SET " + column + " = ? WHERE id = ?");
        while (rows.executeStep()) {
            const auto fixed = scrub(rows.getColumn(1).getString());
            if (!fixed) continue;
            set.bind(1, *fixed);
            set.bind(2, rows.getColumn(0).getInt64());
            set.exec();
            set.reset();
        }
    }
}

constexpr migration all_migrations[] = {
    {1, "campaigns, departments, activities, outlets, messages", schema_v1},
    {2, "users, sessions, audit log, message versions and reviews", schema_v2},
    {3, "outlets a message is limited to", schema_v3},
    {4, "planner rules, plan runs and placements", schema_v4},
    {5, "dispatch targets, the outbox and its attempts", schema_v5},
    {6, "feeds: placement sequence and cancellations, feed tokens, as-run lines", schema_v6},
    {7, "dispatch bodies as sent: a shared part stored once", schema_v7},
    {8, "user names compared in NFC and Unicode case folding", schema_v8, key_user_names},
    {9, "placements.state checked without an IN list", "", placements_state_check_as_or_chain},
    {10, "as-run lines: a duplicate repeats the placement's latest line", schema_v10},
    {11, "the outbox is indexed by target only", schema_v11},
    {12, "login failures indexed by time", schema_v12},
    {13, "410 reasons name the receiver's origin only", "", origin_only_disabled_reasons},
    {14, "where re-plans moved placements from", schema_v14},
    {15, "bad-URL errors no longer repeat the URL", "", bad_url_errors_without_the_url},
    {16, "what each plan run changed for the outlets", schema_v16},
    {17, "placements withdrawn when their message lost its approval before they were due", schema_v17},
    {18, "the approved version each airing that came due went out with", schema_v18},
    {19, "a dropped make-good's cancellation names the missed placement", schema_v19},
};

int user_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

std::span<const migration> migrations() noexcept {
    return all_migrations;
}

int latest_schema_version() noexcept {
    return all_migrations[std::size(all_migrations) - 1].version;
}

void migrate(SQLite::Database& db) {
    const int current = user_version(db);
    if (current > latest_schema_version()) {
        throw SQLite::Exception("database " + db.getFilename() + " has schema version " +
                                std::to_string(current) + ", newer than this loa knows (" +
                                std::to_string(latest_schema_version()) + "); use a newer loa");
    }
    for (const migration& step : migrations()) {
        if (step.version <= current) continue;
        // BEGIN IMMEDIATE: two processes opening a fresh database must not both migrate it; the
        // second waits (busy timeout) and then sees the version the first one wrote.
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        if (user_version(db) >= step.version) continue;
        try {
            db.exec(std::string(step.sql));
            if (step.after != nullptr) step.after(db);
            // PRAGMA takes no bound parameters; the value comes from the table above, never from input.
            db.exec("PRAGMA user_version = " + std::to_string(step.version));
        } catch (const SQLite::Exception& e) {
            throw SQLite::Exception("migration to schema version " + std::to_string(step.version) + " (" +
                                        std::string(step.name) + ") failed: " + e.what(),
                                    e.getErrorCode());
        }
        tx.commit();
    }
}

}  // namespace loa::core
