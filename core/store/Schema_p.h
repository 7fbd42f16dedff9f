#pragma once

// Private to the store: the schema and its migrations. Migration i (1-based) takes the database
// from user_version i-1 to i. Append new migrations; never edit a released one.

#include <QString>

#include <array>

struct sqlite3;

namespace gwanje::schema {

inline constexpr const char *migration1 = R"sql(
CREATE TABLE sources (
    key INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE
);

-- Static assets (cameras, APs, sensors...), as loaded; the registry is rebuilt from data files,
-- this copy lets history refer to assets that later left the files.
CREATE TABLE assets (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    name      TEXT,
    latitude  REAL,
    longitude REAL,
    district  TEXT,
    data      TEXT
) WITHOUT ROWID;

-- Position history (tracks). Personal location data: purged after the retention period.
CREATE TABLE positions (
    source   INTEGER NOT NULL,
    t        INTEGER NOT NULL,  -- source time, UTC ms
    received INTEGER NOT NULL,
    latitude  REAL NOT NULL,
    longitude REAL NOT NULL,
    accuracy REAL, speed REAL, heading REAL, battery REAL,
    PRIMARY KEY (source, t)
) WITHOUT ROWID;

-- Every other event. dedup is the source event id, or one derived from the event, so a
-- re-delivered event is stored once.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    kind        INTEGER NOT NULL,
    source      INTEGER NOT NULL,
    dedup       INTEGER NOT NULL,
    source_time INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    latitude REAL, longitude REAL,
    status INTEGER, count INTEGER, quantity INTEGER, value REAL, battery REAL,
    text TEXT,
    UNIQUE (source, kind, dedup)
);
CREATE INDEX events_by_time ON events (source_time);
CREATE VIRTUAL TABLE events_rtree USING rtree (id, min_lat, max_lat, min_lon, max_lon);

-- The newest event of each source, kind and quantity: what the console resumes with.
CREATE TABLE latest_state (
    source   INTEGER NOT NULL,
    kind     INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    source_time INTEGER NOT NULL,
    received INTEGER NOT NULL,
    latitude REAL, longitude REAL,
    status INTEGER, count INTEGER, value REAL, battery REAL,
    text TEXT,
    PRIMARY KEY (source, kind, quantity)
) WITHOUT ROWID;

-- Filled by the alarm lifecycle (fusion issue).
CREATE TABLE alarms (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    priority   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    source     INTEGER,
    raised_at  INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    latitude REAL, longitude REAL,
    assignee TEXT,
    data TEXT
);
CREATE INDEX alarms_by_state ON alarms (state, priority);
CREATE TABLE alarm_history (
    id         INTEGER PRIMARY KEY,
    alarm_id   INTEGER NOT NULL REFERENCES alarms (id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    desk       TEXT,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    reason     TEXT
);
CREATE INDEX alarm_history_by_alarm ON alarm_history (alarm_id, at);
)sql";

// Alarms get their own columns for what the lifecycle needs (source id, condition, acknowledgement,
// shelving end) instead of a JSON blob.
inline constexpr const char *migration2 = R"sql(
ALTER TABLE alarms ADD COLUMN source_id TEXT;
ALTER TABLE alarms ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alarms ADD COLUMN acknowledged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alarms ADD COLUMN shelved_until INTEGER NOT NULL DEFAULT 0;
)sql";

// The fusion issue: where an alarm was dispatched, the cameras linked to it, the members of a
// grouped outage, escalations; and the guardian notifications, one row per alarm and recipient so
// a notification is sent exactly once even across restarts.
inline constexpr const char *migration3 = R"sql(
ALTER TABLE alarms ADD COLUMN district TEXT;
ALTER TABLE alarms ADD COLUMN desks TEXT;
ALTER TABLE alarms ADD COLUMN cameras TEXT;
ALTER TABLE alarms ADD COLUMN members TEXT;
ALTER TABLE alarms ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alarms ADD COLUMN dedup_key TEXT;
CREATE TABLE notifications (
    alarm_id   INTEGER NOT NULL,
    recipient  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    payload    TEXT,
    error      TEXT,
    PRIMARY KEY (alarm_id, recipient)
) WITHOUT ROWID;
)sql";

// Issue 20. An event's identity includes its source time: a device (or the simulator) that
// restarts its event counter after a battery change or a restart sends ids it used before, and
// (source, kind, id) alone dropped those new events as re-deliveries. A re-delivered event has the
// same id and the same source time, so it is still stored once. SQLite cannot change a table's
// UNIQUE constraint in place: the table is rebuilt, keeping every row id (events_rtree refers to
// them). And an alarm remembers the event that raised it (`raised_by`), so after a crash an SOS
// replayed from the event journal raises its alarm exactly when the alarm did not land.
inline constexpr const char *migration4 = R"sql(
CREATE TABLE events_v4 (
    id          INTEGER PRIMARY KEY,
    kind        INTEGER NOT NULL,
    source      INTEGER NOT NULL,
    dedup       INTEGER NOT NULL,
    source_time INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    latitude REAL, longitude REAL,
    status INTEGER, count INTEGER, quantity INTEGER, value REAL, battery REAL,
    text TEXT,
    UNIQUE (source, kind, dedup, source_time)
);
INSERT INTO events_v4 SELECT id, kind, source, dedup, source_time, received, latitude, longitude, status, count,
    quantity, value, battery, text FROM events;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE INDEX events_by_time ON events (source_time);
ALTER TABLE alarms ADD COLUMN raised_by TEXT;
CREATE INDEX alarms_by_raised_by ON alarms (raised_by) WHERE raised_by IS NOT NULL;
)sql";

inline constexpr std::array<const char *, 4> migrations{migration1, migration2, migration3, migration4};

// Brings a database to the newest schema version in one transaction per step. On failure returns
// false with *error (English); a database newer than this build is refused untouched.
bool migrate(sqlite3 *db, QString *error);

} // namespace gwanje::schema
