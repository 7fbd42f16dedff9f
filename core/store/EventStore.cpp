#include "EventStore.h"

#include "EventJournal_p.h"
#include "Logging.h"
#include "QueryThread.h"
#include "Schema_p.h"
#include "SqliteValues.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <string>
#include <thread>

namespace gwanje {

using sqlite::bindReal;

namespace {

struct StatementDeleter
{
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

struct DatabaseCloser
{
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;

// An SQLite failure in the store's terms.
struct SqlError
{
    int code = SQLITE_OK;
    QString message;
};

ErrorCode codeOf(int code)
{
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        return ErrorCode::NotADatabase;
    case SQLITE_CORRUPT:
        return ErrorCode::Corrupt;
    case SQLITE_FULL:
        return ErrorCode::DiskFull;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return ErrorCode::CannotOpen;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::Locked; // another connection holds it: transient
    default:
        return ErrorCode::IoError;
    }
}

ErrorCategory categoryOf(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL: // space may be freed
    case SQLITE_IOERR:
        return ErrorCategory::Transient;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return ErrorCategory::BadInput;
    default:
        return ErrorCategory::Fatal;
    }
}

float columnFloat(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? Event::unknown : float(sqlite3_column_double(s, i));
}

double columnDouble(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(s, i);
}

// A re-delivered event has the same key: the source's id, or one derived from what it says.
qint64 dedupKey(const Event &e)
{
    if (e.sourceEventId != 0)
        return qint64(e.sourceEventId & 0x7fffffffffffffffULL);
    return -((e.sourceTimeMs << 8) | (qint64(e.kind) << 4) | qint64(e.quantity));
}

// Columns 0..11 of the event queries: kind, source id, source time, received, latitude, longitude,
// status, count, quantity, value, battery, text.
Event eventFromRow(sqlite3_stmt *s, SourceDirectory &sources)
{
    Event e;
    e.kind = EventKind(sqlite3_column_int(s, 0));
    e.source = sources.intern(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 1))));
    e.sourceTimeMs = sqlite3_column_int64(s, 2);
    e.receiveTimeMs = sqlite3_column_int64(s, 3);
    e.latitude = columnDouble(s, 4);
    e.longitude = columnDouble(s, 5);
    e.status = qint8(sqlite3_column_int(s, 6));
    e.count = sqlite3_column_int(s, 7);
    e.quantity = Quantity(sqlite3_column_int(s, 8));
    e.value = columnFloat(s, 9);
    e.battery = columnFloat(s, 10);
    if (const auto *text = sqlite3_column_text(s, 11))
        e.text = QString::fromUtf8(reinterpret_cast<const char *>(text));
    return e;
}

} // namespace

struct EventStore::Private
{
    std::shared_ptr<SourceDirectory> sources;
    StoreOptions options;

    Database writer;
    Database reader;
    mutable std::mutex readerMutex;

    Statement insertSource, selectSource, insertPosition, insertEvent, insertRtree, upsertLatest, purge, listSources;
    std::vector<qint64> sourceKeys; // directory index -> sources.key, -1 = not looked up yet

    mutable std::mutex mutex; // guards everything below
    std::condition_variable wake;
    std::condition_variable progress;
    std::deque<Event> pending;
    quint64 appendedSeq = 0;
    quint64 processedSeq = 0; // committed or dropped
    bool stopping = false;
    qint64 purgeRequestMs = 0;
    StoreStatus status;
    StoreCounters counters;
    std::function<void(quint64)> commitCallback;
    std::thread thread;
    qint64 lastErrorLogMs = 0;

    // The event journal; null when it could not be opened (journalProblem says why). Set before
    // the writer starts, never changed after. Lock order: the journal's lock, then `mutex`.
    std::unique_ptr<EventJournal> journal;
    QString journalProblem;
    std::vector<Event> replayedCritical; // SOS and falls open() read back from the journal, until taken
    // The database was locked when open() ran: events queue and the writer opens it as soon as it can.
    bool deferred = false;
    quint64 journalHanded = 0;     // journal appends whose events are in `pending` (or beyond)
    quint64 journalThroughSeq = 0; // appendedSeq after the last of them
    quint64 plainThroughSeq = 0;   // appendedSeq after the last events that were not journaled
    int flushWaiters = 0;
    static constexpr std::chrono::milliseconds foldDelay{100};
    qint64 lastJournalLogMs = 0;

    SqlError lastError(sqlite3 *db) const
    {
        return {sqlite3_extended_errcode(db), QString::fromUtf8(sqlite3_errmsg(db))};
    }

    bool exec(sqlite3 *db, const char *sql, SqlError *error)
    {
        char *message = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            *error = {sqlite3_extended_errcode(db), QString::fromUtf8(message ? message : sqlite3_errstr(rc))};
            sqlite3_free(message);
            return false;
        }
        return true;
    }

    Statement prepare(sqlite3 *db, const char *sql, SqlError *error)
    {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            *error = lastError(db);
            return nullptr;
        }
        return Statement(s);
    }

    void fail(ErrorCode code, ErrorCategory category, const QString &detail)
    {
        std::lock_guard lock(mutex);
        status.healthy = false;
        status.code = code;
        status.category = category;
        status.detail = detail;
    }

    // A statement on the reader connection (readerMutex held); null when there is none.
    Statement prepareRead(const char *sql) const
    {
        sqlite3_stmt *s = nullptr;
        if (!reader || sqlite3_prepare_v3(reader.get(), sql, -1, 0, &s, nullptr) != SQLITE_OK)
            return nullptr;
        return Statement(s);
    }

    bool openDatabase();
    bool migrate(SqlError *error);
    qint64 sourceKey(quint32 index, std::vector<quint32> &added, SqlError *error);
    bool commit(std::vector<Event> &batch, SqlError *error);
    void purgeOnWriter(qint64 nowMs);
    quint64 eraseLocationsBefore(qint64 cutoffMs);
    void openJournal();
    void foldJournal();
    void run();
    std::size_t pendingCount()
    {
        std::lock_guard lock(mutex);
        return pending.size();
    }
};

bool EventStore::Private::openDatabase()
{
    const QString path = options.path;
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) {
        fail(ErrorCode::CannotOpen, ErrorCategory::Fatal,
             QStringLiteral("the folder %1 does not exist").arg(QDir::toNativeSeparators(info.absolutePath())));
        return false;
    }
    sqlite3 *db = nullptr;
    const QByteArray file = QFile::encodeName(path);
    int rc = sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    writer.reset(db);
    SqlError error;
    if (rc != SQLITE_OK) {
        error = {rc, db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc))};
    } else {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_extended_result_codes(db, 1);
        const QByteArray pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"
                                   "PRAGMA cache_size=-65536; PRAGMA foreign_keys=OFF;" +
                                   (options.maxPageCount > 0 ? QByteArray("PRAGMA max_page_count=") +
                                                                   QByteArray::number(options.maxPageCount) + ';'
                                                             : QByteArray());
        // The first statement reads the header: a file that is not a database fails here.
        if (exec(db, "SELECT count(*) FROM sqlite_schema", &error) && exec(db, pragmas.constData(), &error) &&
            migrate(&error)) {
            insertSource = prepare(db, "INSERT INTO sources (id) VALUES (?) ON CONFLICT (id) DO NOTHING", &error);
            selectSource = prepare(db, "SELECT key FROM sources WHERE id = ?", &error);
            insertPosition = prepare(db,
                                     "INSERT OR IGNORE INTO positions (source, t, received, latitude, longitude, "
                                     "accuracy, speed, heading, battery) VALUES (?,?,?,?,?,?,?,?,?)",
                                     &error);
            insertEvent = prepare(db,
                                  "INSERT OR IGNORE INTO events (kind, source, dedup, source_time, received, latitude, "
                                  "longitude, status, count, quantity, value, battery, text) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                  &error);
            insertRtree = prepare(db, "INSERT INTO events_rtree VALUES (?,?,?,?,?)", &error);
            upsertLatest =
                prepare(db,
                        "INSERT INTO latest_state (source, kind, quantity, source_time, received, latitude, "
                        "longitude, status, count, value, battery, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (source, kind, quantity) DO UPDATE SET source_time = excluded.source_time, "
                        "received = excluded.received, latitude = excluded.latitude, longitude = "
                        "excluded.longitude, status = excluded.status, count = excluded.count, value = "
                        "excluded.value, battery = excluded.battery, text = excluded.text "
                        "WHERE excluded.source_time >= latest_state.source_time",
                        &error);
            purge = prepare(db, "DELETE FROM positions WHERE source = ? AND t < ?", &error);
            listSources = prepare(db, "SELECT key FROM sources WHERE key > ? ORDER BY key LIMIT 500", &error);
        }
    }
    if (error.code == SQLITE_OK && !(insertSource && selectSource && insertPosition && insertEvent && insertRtree &&
                                     upsertLatest && purge && listSources))
        error = lastError(db);
    if (error.code != SQLITE_OK) {
        const ErrorCode code = error.code == -1 ? ErrorCode::MigrationFailed : codeOf(error.code);
        fail(code, error.code == -1 ? ErrorCategory::Fatal : categoryOf(error.code),
             QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), error.message));
        writer.reset();
        return false;
    }
    sqlite3 *r = nullptr;
    if (sqlite3_open_v2(file.constData(), &r, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        fail(ErrorCode::CannotOpen, ErrorCategory::Fatal, QString::fromUtf8(sqlite3_errmsg(r)));
        sqlite3_close_v2(r);
        writer.reset();
        return false;
    }
    sqlite3_busy_timeout(r, 5000);
    {
        std::lock_guard readerLock(readerMutex); // queries may run already (a deferred open)
        reader.reset(r);
    }
    std::lock_guard lock(mutex);
    status.open = true;
    status.healthy = true;
    status.code = ErrorCode::None;
    status.detail.clear();
    return true;
}

bool EventStore::Private::migrate(SqlError *error)
{
    QString message;
    if (schema::migrate(writer.get(), &message))
        return true;
    *error = {-1, message};
    return false;
}

qint64 EventStore::Private::sourceKey(quint32 index, std::vector<quint32> &added, SqlError *error)
{
    if (index < sourceKeys.size() && sourceKeys[index] >= 0)
        return sourceKeys[index];
    if (index >= sourceKeys.size())
        sourceKeys.resize(std::size_t(index) + 1, -1);
    const QByteArray id = sources->id(index).toUtf8();
    sqlite3_stmt *ins = insertSource.get();
    sqlite3_bind_text(ins, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE) {
        *error = lastError(writer.get());
        return -1;
    }
    sqlite3_stmt *sel = selectSource.get();
    sqlite3_bind_text(sel, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    qint64 key = -1;
    if (sqlite3_step(sel) == SQLITE_ROW)
        key = sqlite3_column_int64(sel, 0);
    sqlite3_reset(sel);
    if (key < 0) {
        *error = lastError(writer.get());
        return -1;
    }
    sourceKeys[index] = key;
    added.push_back(index);
    return key;
}

bool EventStore::Private::commit(std::vector<Event> &batch, SqlError *error)
{
    sqlite3 *db = writer.get();
    std::vector<quint32> addedKeys;
    quint64 positions = 0, events = 0, duplicates = 0;
    // The newest event per (source, kind, quantity) in this batch, for latest_state.
    QHash<quint64, std::size_t> newest;

    auto rollback = [&] {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        for (quint32 index : addedKeys)
            sourceKeys[index] = -1; // those rows are gone with the transaction
        return false;
    };
    if (!exec(db, "BEGIN IMMEDIATE", error))
        return false;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Event &e = batch[i];
        const qint64 key = sourceKey(e.source, addedKeys, error);
        if (key < 0)
            return rollback();
        int rc;
        if (e.kind == EventKind::PositionFix) {
            sqlite3_stmt *s = insertPosition.get();
            sqlite3_bind_int64(s, 1, key);
            sqlite3_bind_int64(s, 2, e.sourceTimeMs);
            sqlite3_bind_int64(s, 3, e.receiveTimeMs);
            sqlite3_bind_double(s, 4, e.latitude);
            sqlite3_bind_double(s, 5, e.longitude);
            bindReal(s, 6, e.accuracy);
            bindReal(s, 7, e.speed);
            bindReal(s, 8, e.heading);
            bindReal(s, 9, e.battery);
            rc = sqlite3_step(s);
            sqlite3_reset(s);
            if (rc != SQLITE_DONE) {
                *error = lastError(db);
                return rollback();
            }
            if (sqlite3_changes(db) > 0)
                ++positions;
            else
                ++duplicates;
        } else {
            sqlite3_stmt *s = insertEvent.get();
            sqlite3_bind_int(s, 1, int(e.kind));
            sqlite3_bind_int64(s, 2, key);
            sqlite3_bind_int64(s, 3, dedupKey(e));
            sqlite3_bind_int64(s, 4, e.sourceTimeMs);
            sqlite3_bind_int64(s, 5, e.receiveTimeMs);
            bindReal(s, 6, e.latitude);
            bindReal(s, 7, e.longitude);
            sqlite3_bind_int(s, 8, e.status);
            sqlite3_bind_int(s, 9, e.count);
            sqlite3_bind_int(s, 10, int(e.quantity));
            bindReal(s, 11, e.value);
            bindReal(s, 12, e.battery);
            if (e.text.isEmpty()) {
                sqlite3_bind_null(s, 13);
            } else {
                const QByteArray text = e.text.toUtf8();
                sqlite3_bind_text(s, 13, text.constData(), int(text.size()), SQLITE_TRANSIENT);
            }
            rc = sqlite3_step(s);
            sqlite3_reset(s);
            if (rc != SQLITE_DONE) {
                *error = lastError(db);
                return rollback();
            }
            if (sqlite3_changes(db) == 0) {
                ++duplicates;
                continue;
            }
            ++events;
            if (e.hasPosition()) {
                sqlite3_stmt *r = insertRtree.get();
                sqlite3_bind_int64(r, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_double(r, 2, e.latitude);
                sqlite3_bind_double(r, 3, e.latitude);
                sqlite3_bind_double(r, 4, e.longitude);
                sqlite3_bind_double(r, 5, e.longitude);
                rc = sqlite3_step(r);
                sqlite3_reset(r);
                if (rc != SQLITE_DONE) {
                    *error = lastError(db);
                    return rollback();
                }
            }
        }
        const quint64 stateKey = (quint64(e.source) << 16) | (quint64(e.kind) << 8) | quint64(e.quantity);
        auto it = newest.find(stateKey);
        if (it == newest.end())
            newest.insert(stateKey, i);
        else if (batch[*it].sourceTimeMs <= e.sourceTimeMs)
            *it = i;
    }
    for (std::size_t i : std::as_const(newest)) {
        const Event &e = batch[i];
        sqlite3_stmt *s = upsertLatest.get();
        sqlite3_bind_int64(s, 1, sourceKeys[e.source]);
        sqlite3_bind_int(s, 2, int(e.kind));
        sqlite3_bind_int(s, 3, int(e.quantity));
        sqlite3_bind_int64(s, 4, e.sourceTimeMs);
        sqlite3_bind_int64(s, 5, e.receiveTimeMs);
        bindReal(s, 6, e.latitude);
        bindReal(s, 7, e.longitude);
        sqlite3_bind_int(s, 8, e.status);
        sqlite3_bind_int(s, 9, e.count);
        bindReal(s, 10, e.value);
        bindReal(s, 11, e.battery);
        if (e.text.isEmpty()) {
            sqlite3_bind_null(s, 12);
        } else {
            const QByteArray text = e.text.toUtf8();
            sqlite3_bind_text(s, 12, text.constData(), int(text.size()), SQLITE_TRANSIENT);
        }
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) {
            *error = lastError(db);
            return rollback();
        }
    }
    if (!exec(db, "COMMIT", error))
        return rollback();
    std::lock_guard lock(mutex);
    counters.positionsStored += positions;
    counters.eventsStored += events;
    counters.duplicates += duplicates;
    counters.committed += batch.size();
    ++counters.transactions;
    return true;
}

// A wearer's whereabouts are not only in `positions`: an SOS or a fall carries where it happened
// (in `events` and its R-tree), `latest_state` keeps the last fix, and a closed alarm about a
// person keeps its spot. Past the retention all of them lose their coordinates; the events
// themselves stay (that an SOS happened, and when, is the center's record). In transactions of
// a few thousand rows so the writer is never held for long. Returns the rows changed.
quint64 EventStore::Private::eraseLocationsBefore(qint64 cutoffMs)
{
    // Kinds whose position is the wearer's: values of EventKind (stored numbers, never renumbered).
    static_assert(int(EventKind::PositionFix) == 1 && int(EventKind::Sos) == 2 && int(EventKind::Fall) == 3);
    // The same 5,000 events (lowest ids first) leave the R-tree, then lose their coordinates.
    static constexpr const char *personalEvents =
        "SELECT id FROM events WHERE source_time < ?1 AND kind IN (1, 2, 3) AND latitude IS NOT NULL ORDER BY id "
        "LIMIT 5000";
    const QByteArray rtree = QByteArray("DELETE FROM events_rtree WHERE id IN (") + personalEvents + ')';
    const QByteArray events =
        QByteArray("UPDATE events SET latitude = NULL, longitude = NULL WHERE id IN (") + personalEvents + ')';
    quint64 changed = 0;
    // Runs sql with ?1 = cutoff; the number of rows it changed, or -1 on failure (logged).
    auto step = [&](const char *sql, qint64 cutoff) -> int {
        sqlite3_stmt *s = nullptr;
        int rc = sqlite3_prepare_v2(writer.get(), sql, -1, &s, nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(s, 1, cutoff);
            rc = sqlite3_step(s);
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) {
            qCWarning(lcStore, "location purge stopped: %s", sqlite3_errmsg(writer.get()));
            return -1;
        }
        return sqlite3_changes(writer.get());
    };
    for (;;) {
        if (step(rtree.constData(), cutoffMs) < 0)
            break;
        const int n = step(events.constData(), cutoffMs);
        if (n > 0)
            changed += quint64(n);
        if (n < 5000)
            break;
    }
    if (const int n = step("UPDATE latest_state SET latitude = NULL, longitude = NULL WHERE source_time < ?1 "
                           "AND kind IN (1, 2, 3) AND latitude IS NOT NULL",
                           cutoffMs);
        n > 0)
        changed += quint64(n);
    return changed;
}

void EventStore::Private::purgeOnWriter(qint64 nowMs)
{
    if (options.positionRetentionDays <= 0)
        return;
    const qint64 cutoff = nowMs - qint64(options.positionRetentionDays) * 24 * 3600 * 1000;
    qint64 after = -1;
    quint64 purged = 0;
    SqlError error;
    // A few hundred sources per transaction, each a range delete on the primary key, so the
    // writer is never held for long.
    for (;;) {
        std::vector<qint64> keys;
        sqlite3_stmt *list = listSources.get();
        sqlite3_bind_int64(list, 1, after);
        while (sqlite3_step(list) == SQLITE_ROW)
            keys.push_back(sqlite3_column_int64(list, 0));
        sqlite3_reset(list);
        if (keys.empty())
            break;
        after = keys.back();
        if (!exec(writer.get(), "BEGIN IMMEDIATE", &error))
            break;
        for (qint64 key : keys) {
            sqlite3_stmt *s = purge.get();
            sqlite3_bind_int64(s, 1, key);
            sqlite3_bind_int64(s, 2, cutoff);
            if (sqlite3_step(s) == SQLITE_DONE)
                purged += quint64(sqlite3_changes(writer.get()));
            sqlite3_reset(s);
        }
        if (!exec(writer.get(), "COMMIT", &error)) {
            sqlite3_exec(writer.get(), "ROLLBACK", nullptr, nullptr, nullptr);
            break;
        }
    }
    if (error.code != SQLITE_OK)
        qCWarning(lcStore, "position purge stopped: %s", qUtf8Printable(error.message));
    const quint64 erased = eraseLocationsBefore(cutoff);
    std::lock_guard lock(mutex);
    counters.purgedPositions += purged;
    counters.erasedLocations += erased;
    if (purged > 0)
        qCInfo(lcStore, "purged %llu positions older than %d days", static_cast<unsigned long long>(purged),
               options.positionRetentionDays);
}

void EventStore::Private::openJournal()
{
    auto j = std::make_unique<EventJournal>(options.path + QStringLiteral(".events-journal"));
    JournalContents contents;
    QString error;
    if (!j->open(*sources, &contents, &error)) {
        journalProblem = error;
        qCWarning(lcStore, "%s; critical events are made durable through the database only", qUtf8Printable(error));
        return;
    }
    const QString shown = QDir::toNativeSeparators(j->path());
    if (contents.damaged) {
        {
            std::lock_guard lock(mutex);
            ++counters.journalCorrupt;
        }
        // Expected after a power cut in the middle of a write (that caller was never told its events
        // were durable); anything else is the disk's fault.
        qCWarning(lcStore, "the event journal %s is damaged at byte %lld (%s): replaying the %zu events before it",
                  qUtf8Printable(shown), static_cast<long long>(contents.damagedAt), qUtf8Printable(contents.problem),
                  contents.events.size());
    }
    std::vector<Event> &events = contents.events;
    for (const Event &e : events) {
        if (e.lane() == Lane::Critical)
            replayedCritical.push_back(e);
    }
    bool folded = true;
    // Not yet in the database, or already (a crash after the commit, before the reset): the store
    // stores a re-delivered event once either way.
    for (std::size_t i = 0; i < events.size() && folded; i += options.maxBatch) {
        std::vector<Event> batch(events.begin() + std::ptrdiff_t(i),
                                 events.begin() + std::ptrdiff_t(std::min(events.size(), i + options.maxBatch)));
        SqlError sqlError;
        folded = commit(batch, &sqlError);
        if (!folded)
            qCWarning(lcStore, "cannot fold the %zu events of the event journal %s into the database yet (%s): %s",
                      events.size(), qUtf8Printable(shown), qUtf8Printable(errorCodeName(codeOf(sqlError.code))),
                      qUtf8Printable(sqlError.message));
    }
    if (!events.empty()) {
        std::lock_guard lock(mutex);
        counters.journalReplayed += events.size();
        if (!folded) {
            // The writer retries them; the journal keeps them until they are in (foldJournal()).
            pending.insert(pending.end(), events.begin(), events.end());
            appendedSeq += events.size();
            journalThroughSeq = appendedSeq;
        }
    }
    if (!events.empty() && folded)
        qCInfo(lcStore, "replayed %zu events from the event journal %s", events.size(), qUtf8Printable(shown));
    // Folded (or nothing readable): a new generation, so the next open() does not read it again.
    if (folded && (!events.empty() || contents.damaged)) {
        if (j->reset(&error)) {
            std::lock_guard lock(mutex);
            ++counters.journalResets;
        } else {
            // The journal refuses appends from now on (they fail with this reason).
            qCWarning(lcStore, "%s; critical events are made durable through the database only", qUtf8Printable(error));
        }
    }
    journal = std::move(j);
}

// On the writer thread after a commit: once every journaled event is in a durable commit, the
// journal starts a new generation (its space is reused). Cheap (no flush), so every round may.
void EventStore::Private::foldJournal()
{
    if (!journal)
        return;
    const bool reset = journal->resetIf([this](quint64 written) {
        std::lock_guard lock(mutex);
        // A position dropped while the database failed may have been journaled: after any drop the
        // journal keeps its records for the next open() to replay.
        return journalHanded == written && processedSeq >= journalThroughSeq && counters.droppedWhileFailing == 0;
    });
    if (reset) {
        std::lock_guard lock(mutex);
        ++counters.journalResets;
    }
}

void EventStore::Private::run()
{
    std::vector<Event> batch;
    int backoffMs = 100;
    for (;;) {
        if (deferred && !writer) {
            if (!openDatabase()) {
                std::unique_lock lock(mutex);
                if (stopping) {
                    qCWarning(lcStore, "the database never opened (%s): %zu events not saved",
                              qUtf8Printable(status.detail), pending.size());
                    return;
                }
                wake.wait_for(lock, std::chrono::milliseconds(backoffMs), [this] { return stopping; });
                backoffMs = std::min(backoffMs * 2, 2000);
                continue;
            }
            backoffMs = 100;
            qCInfo(lcStore,
                   "database open now: %zu waiting events are being saved (the event journal is off "
                   "until the next start)",
                   pendingCount());
        }
        qint64 purgeMs = 0;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [this] { return stopping || !pending.empty() || purgeRequestMs != 0; });
            // Journaled events are durable already: fold them a little later, in one transaction
            // with whatever comes meanwhile, so their SQLite commits do not compete with the
            // journal's flushes one for one. Anything else pending, a flush() or a stop goes now.
            const auto foldNow = [this] {
                return stopping || purgeRequestMs != 0 || flushWaiters > 0 || processedSeq < plainThroughSeq ||
                       pending.size() >= options.maxBatch;
            };
            if (!foldNow())
                wake.wait_for(lock, foldDelay, foldNow);
            if (pending.empty() && purgeRequestMs == 0)
                return; // stopping with nothing left
            purgeMs = purgeRequestMs;
            purgeRequestMs = 0;
            const std::size_t n = std::min(pending.size(), options.maxBatch);
            batch.assign(std::make_move_iterator(pending.begin()),
                         std::make_move_iterator(pending.begin() + std::ptrdiff_t(n)));
            pending.erase(pending.begin(), pending.begin() + std::ptrdiff_t(n));
        }
        if (purgeMs != 0)
            purgeOnWriter(purgeMs);
        if (batch.empty())
            continue;
        SqlError error;
        if (commit(batch, &error)) {
            std::function<void(quint64)> callback;
            quint64 total = 0;
            {
                std::lock_guard lock(mutex);
                total = counters.committed;
                callback = commitCallback;
                if (!status.healthy && status.open) {
                    // What failed is over: the report and the banner must not show both.
                    status.healthy = true;
                    status.code = ErrorCode::None;
                    status.detail.clear();
                    qCInfo(lcStore, "database writes work again");
                }
            }
            // Before flush() waiters wake, so they see the callback's effects.
            if (callback)
                callback(total);
            {
                std::lock_guard lock(mutex);
                processedSeq += batch.size();
            }
            foldJournal();
            progress.notify_all();
            backoffMs = 100;
            continue;
        }
        // The batch goes back to the front and is retried; positions give way if memory fills.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        bool stop = false;
        {
            std::lock_guard lock(mutex);
            ++counters.failedCommits;
            status.healthy = false;
            status.code = codeOf(error.code);
            status.category = categoryOf(error.code);
            status.detail = error.message;
            pending.insert(pending.begin(), std::make_move_iterator(batch.begin()),
                           std::make_move_iterator(batch.end()));
            std::size_t dropped = 0;
            for (auto it = pending.begin(); pending.size() > options.maxPending && it != pending.end();) {
                if (it->kind == EventKind::PositionFix) {
                    it = pending.erase(it);
                    ++dropped;
                } else {
                    ++it;
                }
            }
            counters.droppedWhileFailing += dropped;
            processedSeq += dropped;
            stop = stopping;
            if (now - lastErrorLogMs > 10'000) {
                lastErrorLogMs = now;
                qCWarning(lcStore, "cannot commit %zu events (%s): %s; %zu waiting, will retry", batch.size(),
                          qUtf8Printable(errorCodeName(status.code)), qUtf8Printable(error.message), pending.size());
            }
        }
        progress.notify_all();
        if (stop)
            return; // shutting down: what could not be written stays unwritten, as logged
        std::unique_lock lock(mutex);
        wake.wait_for(lock, std::chrono::milliseconds(backoffMs), [this] { return stopping; });
        backoffMs = std::min(backoffMs * 2, 5000);
    }
}

EventStore::EventStore(std::shared_ptr<SourceDirectory> sources, StoreOptions options)
    : d(std::make_unique<Private>())
{
    d->sources = std::move(sources);
    d->options = std::move(options);
    d->options.maxBatch = std::max<std::size_t>(1, d->options.maxBatch);
}

EventStore::~EventStore()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
    }
    d->wake.notify_all();
    if (d->thread.joinable())
        d->thread.join();
}

bool EventStore::open()
{
    if (!d->openDatabase() && status().code == ErrorCode::Locked) {
        // Locked by another connection (a backup, a tool): saving starts when it lets go, and
        // nothing appended meanwhile is lost.
        d->deferred = true;
        d->journalProblem = QStringLiteral("the database was locked when the console started");
        const StoreStatus s = status();
        qCWarning(lcStore, "database locked (%s); events are kept and saved once it opens", qUtf8Printable(s.detail));
        d->thread = std::thread([this] { d->run(); });
        return true;
    }
    if (!d->status.open) {
        const StoreStatus s = status();
        qCWarning(lcStore, "database unavailable (%s): %s; events are kept in memory only",
                  qUtf8Printable(errorCodeName(s.code)), qUtf8Printable(s.detail));
        return false;
    }
    d->openJournal();
    d->thread = std::thread([this] { d->run(); });
    return true;
}

StoreStatus EventStore::status() const
{
    std::lock_guard lock(d->mutex);
    return d->status;
}

StoreCounters EventStore::counters() const
{
    std::lock_guard lock(d->mutex);
    StoreCounters c = d->counters;
    c.pending = d->pending.size();
    c.journalFlushes = d->journal ? d->journal->flushes() : 0;
    return c;
}

std::vector<Event> EventStore::takeReplayedCritical()
{
    std::lock_guard lock(d->mutex);
    return std::exchange(d->replayedCritical, {});
}

std::size_t EventStore::pendingCount() const
{
    std::lock_guard lock(d->mutex);
    return d->pending.size();
}

int EventStore::schemaVersion()
{
    return int(schema::migrations.size());
}

void EventStore::append(std::span<const Event> events)
{
    if (events.empty())
        return;
    {
        std::lock_guard lock(d->mutex);
        d->counters.appended += events.size();
        if (!d->status.open && !d->deferred)
            return; // no database: the events live on in memory only
        d->pending.insert(d->pending.end(), events.begin(), events.end());
        d->appendedSeq += events.size();
        d->plainThroughSeq = d->appendedSeq;
        d->counters.pendingHighWater = std::max(d->counters.pendingHighWater, d->pending.size());
    }
    d->wake.notify_one();
}

bool EventStore::appendDurable(std::span<const Event> events, QString *error)
{
    if (events.empty())
        return true;
    bool written = false, durable = false;
    QString problem;
    if (d->journal) {
        durable = d->journal->append(events, *d->sources, &written, &problem);
    } else {
        std::lock_guard lock(d->mutex);
        problem = d->status.open ? d->journalProblem : QStringLiteral("the database is not open");
    }
    bool log = false;
    {
        std::lock_guard lock(d->mutex);
        d->counters.appended += events.size();
        if (written)
            ++d->journalHanded;
        if (durable)
            d->counters.journaled += events.size();
        else
            ++d->counters.journalFailures;
        if (d->status.open || d->deferred) {
            d->pending.insert(d->pending.end(), events.begin(), events.end());
            d->appendedSeq += events.size();
            if (written)
                d->journalThroughSeq = d->appendedSeq;
            else
                d->plainThroughSeq = d->appendedSeq;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (!durable && d->status.open && now - d->lastJournalLogMs > 10'000) {
            d->lastJournalLogMs = now;
            log = true;
        }
    }
    d->wake.notify_one();
    if (!durable) {
        if (log)
            qCWarning(lcStore,
                      "cannot make %zu events durable through the event journal (%s); they go with the "
                      "database's next commit",
                      events.size(), qUtf8Printable(problem));
        if (error)
            *error = problem;
    }
    return durable;
}

bool EventStore::flush(int timeoutMs)
{
    std::unique_lock lock(d->mutex);
    const quint64 target = d->appendedSeq;
    ++d->flushWaiters; // journaled events are folded now, not after the fold delay
    d->wake.notify_one();
    const bool done = d->progress.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this, target] {
        return d->processedSeq >= target || (!d->status.open && !d->deferred);
    }) && d->processedSeq >= target;
    --d->flushWaiters;
    return done;
}

void EventStore::setCommitCallback(std::function<void(quint64)> callback)
{
    std::lock_guard lock(d->mutex);
    d->commitCallback = std::move(callback);
}

void EventStore::purgeExpiredPositions(qint64 nowMs)
{
    {
        std::lock_guard lock(d->mutex);
        if (!d->status.open)
            return;
        d->purgeRequestMs = nowMs;
    }
    d->wake.notify_one();
}

std::vector<TrackPoint> EventStore::track(const QString &sourceId, qint64 fromMs, qint64 toMs) const
{
    checkQueryThread("EventStore::track");
    std::vector<TrackPoint> out;
    std::lock_guard lock(d->readerMutex);
    static constexpr const char *sql =
        "SELECT t, latitude, longitude, accuracy, speed, heading, battery FROM positions "
        "WHERE source = (SELECT key FROM sources WHERE id = ?) AND t BETWEEN ? AND ? ORDER BY t";
    const Statement statement = d->prepareRead(sql);
    sqlite3_stmt *s = statement.get();
    if (!s)
        return out;
    const QByteArray id = sourceId.toUtf8();
    sqlite3_bind_text(s, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, fromMs);
    sqlite3_bind_int64(s, 3, toMs);
    while (sqlite3_step(s) == SQLITE_ROW) {
        out.push_back({sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1), sqlite3_column_double(s, 2),
                       columnFloat(s, 3), columnFloat(s, 4), columnFloat(s, 5), columnFloat(s, 6)});
    }
    return out;
}

std::vector<Event> EventStore::eventsIn(const GeoRect &lonLat, qint64 fromMs, qint64 toMs, int limit,
                                        const std::vector<EventKind> &kinds, Order order) const
{
    checkQueryThread("EventStore::eventsIn");
    std::vector<Event> out;
    std::lock_guard lock(d->readerMutex);
    std::string sql =
        "SELECT e.kind, s.id, e.source_time, e.received, e.latitude, e.longitude, e.status, e.count, e.quantity, "
        "e.value, e.battery, e.text, e.dedup FROM events_rtree r JOIN events e ON e.id = r.id "
        "JOIN sources s ON s.key = e.source "
        "WHERE r.min_lat >= ? AND r.max_lat <= ? AND r.min_lon >= ? AND r.max_lon <= ? "
        "AND e.source_time BETWEEN ? AND ?";
    if (!kinds.empty()) {
        // Enum values, not text from outside: safe to write into the statement.
        sql += " AND e.kind IN (";
        for (std::size_t i = 0; i < kinds.size(); ++i)
            sql += (i ? "," : "") + std::to_string(int(kinds[i]));
        sql += ")";
    }
    sql += order == Order::NewestFirst ? " ORDER BY e.source_time DESC LIMIT ?" : " ORDER BY e.source_time LIMIT ?";
    const Statement statement = d->prepareRead(sql.c_str());
    sqlite3_stmt *s = statement.get();
    if (!s)
        return out;
    sqlite3_bind_double(s, 1, lonLat.minY);
    sqlite3_bind_double(s, 2, lonLat.maxY);
    sqlite3_bind_double(s, 3, lonLat.minX);
    sqlite3_bind_double(s, 4, lonLat.maxX);
    sqlite3_bind_int64(s, 5, fromMs);
    sqlite3_bind_int64(s, 6, toMs);
    sqlite3_bind_int(s, 7, limit);
    while (sqlite3_step(s) == SQLITE_ROW) {
        Event e = eventFromRow(s, *d->sources);
        const qint64 dedup = sqlite3_column_int64(s, 12);
        e.sourceEventId = dedup > 0 ? quint64(dedup) : 0;
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<Event> EventStore::latestState() const
{
    checkQueryThread("EventStore::latestState");
    std::vector<Event> out;
    std::lock_guard lock(d->readerMutex);
    static constexpr const char *sql =
        "SELECT l.kind, s.id, l.source_time, l.received, l.latitude, l.longitude, l.status, l.count, l.quantity, "
        "l.value, l.battery, l.text FROM latest_state l JOIN sources s ON s.key = l.source";
    const Statement statement = d->prepareRead(sql);
    sqlite3_stmt *s = statement.get();
    if (!s)
        return out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        Event e = eventFromRow(s, *d->sources);
        out.push_back(std::move(e));
    }
    return out;
}

namespace {
qint64 scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    qint64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}
} // namespace

qint64 EventStore::positionCount() const
{
    checkQueryThread("EventStore::positionCount");
    std::lock_guard lock(d->readerMutex);
    return d->reader ? scalar(d->reader.get(), "SELECT count(*) FROM positions") : -1;
}

qint64 EventStore::eventCount() const
{
    checkQueryThread("EventStore::eventCount");
    std::lock_guard lock(d->readerMutex);
    return d->reader ? scalar(d->reader.get(), "SELECT count(*) FROM events") : -1;
}

QString EventStore::integrityCheck() const
{
    checkQueryThread("EventStore::integrityCheck");
    std::lock_guard lock(d->readerMutex);
    if (!d->reader)
        return QStringLiteral("not open");
    QStringList findings;
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(d->reader.get(), "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW)
            findings.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0))));
    }
    sqlite3_finalize(s);
    return findings.join(QLatin1Char('\n'));
}

} // namespace gwanje
