#pragma once

class QThread;

namespace gwanje {

// The thread on which no SQLite query may run: the GUI thread, whose frames must not wait for the
// disk. The UI names it at start (the window tests too); a query there is logged as a warning
// (which fails a test) with what ran. Thread-safe; nullptr (the default) allows every thread.
void setQueryForbiddenThread(QThread *thread);
// Called by each query of the stores (EventStore, AlarmService).
void checkQueryThread(const char *query);

} // namespace gwanje
