#pragma once

// The console's one SQLite file, and who writes what in it. Three writers, each on its own
// connection and thread, each owning its tables (it alone writes them, and purges them after
// their retention):
//  - EventStore (store/): sources, assets, positions, events, events_rtree, latest_state;
//  - AlarmService (alarms/): alarms, alarm_history;
//  - GuardianNotifier's NotificationStore (dispatch/): notifications.
// The schema and its migrations are the store's (Schema_p.h); every writer calls
// migrateStoreFile() after opening the file (idempotent; SQLite's write lock serialises two
// writers migrating at once). Values are bound and read with SqliteValues.h.

#include <QString>

struct sqlite3;

namespace gwanje {

// Brings the file to the newest schema version in one transaction per step. On failure returns
// false with *error (English); a database newer than this build is refused untouched.
bool migrateStoreFile(sqlite3 *db, QString *error);

} // namespace gwanje
