#pragma once

#include "data/LoadReport.h"
#include "events/Event.h"
#include "geo/GeoRect.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace gwanje {

class SourceDirectory;

struct StoreOptions
{
    QString path;                       // the SQLite file; created when missing
    int positionRetentionDays = 30;     // personal location data is purged after this; 0 keeps it
    std::size_t maxBatch = 20'000;      // rows per transaction (group commit)
    std::size_t maxPending = 2'000'000; // events held in memory while the database cannot take them
    qint64 maxPageCount = 0;            // optional size limit of the database in pages (0 = none)
};

// What the store reports about itself; the UI translates.
struct StoreStatus
{
    bool open = false;
    bool healthy = false; // open and the last commit succeeded
    ErrorCategory category = ErrorCategory::Fatal;
    ErrorCode code =
        ErrorCode::None; // CannotOpen, NotADatabase, Corrupt, DiskFull, IoError, MigrationFailed, Locked, WriteFailed
    QString detail;      // English
};

struct StoreCounters
{
    quint64 appended = 0;  // events handed to append()
    quint64 committed = 0; // events in committed transactions (duplicates included)
    quint64 positionsStored = 0;
    quint64 eventsStored = 0;
    quint64 duplicates = 0; // re-delivered source events that were already stored
    quint64 transactions = 0;
    quint64 failedCommits = 0;
    quint64 droppedWhileFailing = 0; // positions dropped because the database refused writes too long
    quint64 purgedPositions = 0;
    quint64 erasedLocations = 0; // rows whose personal coordinates the retention erased (events, latest state)
    std::size_t pending = 0;
    std::size_t pendingHighWater = 0; // the most ever waiting for the writer (memory: about 100 bytes each)
    // The event journal (appendDurable). committed above stays about database commits.
    quint64 journaled = 0;       // events appendDurable() made durable
    quint64 journalFlushes = 0;  // its fdatasyncs (concurrent callers share one)
    quint64 journalFailures = 0; // appendDurable() calls that returned false
    quint64 journalReplayed = 0; // events read back from the journal by open() (what a crash left)
    quint64 journalCorrupt = 0;  // damaged records (a torn write): the replay stopped there
    quint64 journalResets = 0;   // new generations, once every journaled event was in a durable commit
};

struct TrackPoint
{
    qint64 timeMs = 0;
    double latitude = 0.0;
    double longitude = 0.0;
    float accuracy = Event::unknown;
    float speed = Event::unknown;
    float heading = Event::unknown;
    float battery = Event::unknown;
};

// The durable store: positions (tracks), events, latest state per source, assets, alarms and
// alarm history in one SQLite file (WAL). Writes go through one writer thread that commits
// whatever has accumulated in one transaction (group commit, synchronous=FULL). Re-delivered
// source events are stored once. Queries use their own connection and may run on any thread
// (serialised). If the database cannot be opened or written, events keep flowing through the
// rest of the process; the status says why and the counters say how much.
// Critical events can be made durable at once through an append-only journal beside the
// database (`<path>.events-journal`, one fdatasync per call, shared by concurrent callers); the
// writer folds them into SQLite like any other and open() replays what a crash left in it.
class EventStore
{
public:
    EventStore(std::shared_ptr<SourceDirectory> sources, StoreOptions options);
    ~EventStore(); // commits what is pending, then closes
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    // Opens (creating and migrating as needed) and starts the writer thread.
    bool open();
    StoreStatus status() const;
    StoreCounters counters() const;
    // Events handed to the store and not yet committed (cheap; any thread).
    std::size_t pendingCount() const;
    static int schemaVersion();

    // Thread-safe, never blocks on the disk. Invalid events are ignored (the caller validates).
    void append(std::span<const Event> events);
    // Thread-safe. Returns once the events are durable in the event journal (about one fdatasync,
    // on the caller's thread), then hands them to the writer like append(). False, with an English
    // *error, when the journal cannot take them (no database, disk full, I/O error): they are then
    // only append()ed, and flush() tells when they are committed.
    bool appendDurable(std::span<const Event> events, QString *error = nullptr);
    // The critical events (SOS, falls) open() replayed from the journal, once: a crash may have
    // come before their alarms were written, and the engine raises those that have none.
    std::vector<Event> takeReplayedCritical();
    // Blocks until everything appended before the call is committed or failed; false on timeout.
    bool flush(int timeoutMs = 30000);
    // Called on the writer thread after each commit with the total committed so far.
    void setCommitCallback(std::function<void(quint64 totalCommitted)> callback);

    // Queries.
    std::vector<TrackPoint> track(const QString &sourceId, qint64 fromMs, qint64 toMs) const;
    // Events with a position inside lonLat and a source time in [fromMs, toMs], oldest first (or
    // newest first, so a limit keeps the latest); only those of the given kinds when kinds is not
    // empty.
    enum class Order { OldestFirst, NewestFirst };
    std::vector<Event> eventsIn(const GeoRect &lonLat, qint64 fromMs, qint64 toMs, int limit = 10000,
                                const std::vector<EventKind> &kinds = {}, Order order = Order::OldestFirst) const;
    // The newest event of each (source, kind, quantity): what the console resumes with.
    std::vector<Event> latestState() const;
    qint64 positionCount() const;
    qint64 eventCount() const;
    QString integrityCheck() const; // "ok" or SQLite's findings

    // Deletes positions older than now - retention, in the background on the writer thread.
    void purgeExpiredPositions(qint64 nowMs);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gwanje
