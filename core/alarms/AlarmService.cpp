#include "AlarmService.h"

#include "AlarmType.h"

#include "Logging.h"
#include "store/QueryThread.h"
#include "store/SqliteValues.h"
#include "store/StoreFile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace gwanje {

using sqlite::bindReal;
using sqlite::bindText;
using sqlite::columnText;

namespace {
QString toListJson(const QStringList &list)
{
    if (list.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList fromListJson(const QString &text)
{
    QStringList out;
    if (text.isEmpty())
        return out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out.append(v.toString());
    return out;
}

// [{"desk": "ops", "at": ms}, ...]
QString toDeskJson(const Alarm &a)
{
    if (a.desks.isEmpty())
        return {};
    QJsonArray array;
    for (qsizetype i = 0; i < a.desks.size(); ++i) {
        const qint64 at = std::size_t(i) < a.desksAtMs.size() ? a.desksAtMs[std::size_t(i)] : 0;
        array.append(QJsonObject{{QStringLiteral("desk"), a.desks[i]}, {QStringLiteral("at"), double(at)}});
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

void fromDeskJson(const QString &text, Alarm &a)
{
    a.desks.clear();
    a.desksAtMs.clear();
    if (text.isEmpty())
        return;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array()) {
        a.desks.append(v[QLatin1String("desk")].toString());
        a.desksAtMs.push_back(qint64(v[QLatin1String("at")].toDouble()));
    }
}

// A row of "SELECT alarm_id, at, actor, desk, action, from_state, to_state, reason".
AlarmHistoryEntry historyEntryAt(sqlite3_stmt *s)
{
    return {sqlite3_column_int64(s, 0),
            sqlite3_column_int64(s, 1),
            columnText(s, 2),
            columnText(s, 3),
            columnText(s, 4),
            alarmStateFromName(columnText(s, 5)).value_or(AlarmState::Normal),
            alarmStateFromName(columnText(s, 6)).value_or(AlarmState::Normal),
            columnText(s, 7)};
}

} // namespace

// One change to write: the alarm as it now is and its history entry.
struct AlarmWrite
{
    Alarm alarm;
    AlarmHistoryEntry entry;
    bool insert = false;
    bool operatorCommand = false; // refused (and not retried) when it cannot be written
    quint64 seq = 0;
};

struct AlarmService::Private
{
    QString path;
    sqlite3 *db = nullptr; // the writer thread's while it runs; history() reads under dbMutex
    std::mutex dbMutex;
    StoreStatus status;
    qint64 nextId = 0;

    // The writer: changes queue here and are written in one transaction per round.
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable written;
    std::deque<AlarmWrite> queue;
    quint64 lastSeq = 0;
    quint64 durableSeq = 0; // every change up to this one is on disk (or refused)
    std::unordered_set<quint64> refusedSeqs;
    QString lastError;
    quint64 failedCommits = 0;
    bool stopping = false;
    qint64 eraseBeforeMs = 0; // a location purge asked for (0: none)
    quint64 erasedLocations = 0;
    std::thread thread;
    // The database was locked when open() ran: changes are queued and the writer opens it as soon as
    // it can (the alarms of an earlier run are then in the database, not on this screen). Set on the
    // owner thread before the writer starts; `db` is then the writer's, read elsewhere under dbMutex.
    bool deferred = false;

    bool write(std::vector<AlarmWrite> &batch, QString *error);
    void eraseLocations(qint64 cutoffMs);
    // Opens and migrates; false with why (and SQLite's primary result code) when it cannot.
    bool openDatabase(ErrorCode *code, QString *detail, int *sqliteCode);
    void run();

    ~Private()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        if (thread.joinable())
            thread.join();
        if (db)
            sqlite3_close_v2(db);
    }
};

AlarmService::AlarmService(QString databasePath)
    : d(std::make_unique<Private>())
{
    d->path = std::move(databasePath);
}

AlarmService::~AlarmService() = default;

StoreStatus AlarmService::status() const
{
    std::lock_guard lock(d->mutex); // the writer updates it
    return d->status;
}

bool AlarmService::open()
{
    if (d->path.isEmpty()) {
        d->status = {false, true, ErrorCategory::Fatal, {}, {}};
        return true; // memory only, by configuration
    }
    ErrorCode code = ErrorCode::None;
    QString detail;
    int sqliteCode = SQLITE_OK;
    if (!d->openDatabase(&code, &detail, &sqliteCode)) {
        if (sqliteCode == SQLITE_BUSY || sqliteCode == SQLITE_LOCKED) {
            // Another connection holds the file for now: saving starts when it lets go. Ids start
            // from the clock so they cannot meet the ones the database already has.
            d->deferred = true;
            d->nextId = QDateTime::currentMSecsSinceEpoch();
            d->status = {false, false, ErrorCategory::Transient, ErrorCode::Locked,
                         detail + QStringLiteral("; retrying")};
            qCWarning(lcStore, "alarm database locked (%s); alarm changes are kept and saved once it opens",
                      qUtf8Printable(detail));
            d->thread = std::thread([this] { d->run(); });
            return true;
        }
        d->status = {false, false, ErrorCategory::Fatal, code, detail};
        qCWarning(lcStore, "alarm database unavailable (%s): %s", qUtf8Printable(errorCodeName(code)),
                  qUtf8Printable(detail));
        return false;
    }
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(d->db,
                       "SELECT id, type, priority, state, source_id, raised_at, updated_at, latitude, longitude, "
                       "assignee, data, active, acknowledged, shelved_until, district, desks, cameras, members, "
                       "escalations, dedup_key, raised_by FROM alarms WHERE state <> 'normal' "
                       "ORDER BY id",
                       -1, &s, nullptr);
    m_alarms.clear();
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        Alarm a;
        a.id = sqlite3_column_int64(s, 0);
        a.type = columnText(s, 1);
        a.priority = sqlite3_column_int(s, 2);
        a.state = alarmStateFromName(columnText(s, 3)).value_or(AlarmState::Unacknowledged);
        a.source = columnText(s, 4);
        a.raisedAtMs = sqlite3_column_int64(s, 5);
        a.updatedAtMs = sqlite3_column_int64(s, 6);
        a.latitude = sqlite3_column_type(s, 7) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(s, 7);
        a.longitude = sqlite3_column_type(s, 8) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(s, 8);
        a.assignee = columnText(s, 9);
        a.detail = columnText(s, 10);
        a.active = sqlite3_column_int(s, 11) != 0;
        a.acknowledged = sqlite3_column_int(s, 12) != 0;
        a.shelvedUntilMs = sqlite3_column_int64(s, 13);
        a.district = columnText(s, 14);
        fromDeskJson(columnText(s, 15), a);
        a.cameras = fromListJson(columnText(s, 16));
        a.members = fromListJson(columnText(s, 17));
        a.escalations = sqlite3_column_int(s, 18);
        a.dedupKey = columnText(s, 19);
        a.raisedBy = columnText(s, 20);
        m_alarms.push_back(a);
    }
    sqlite3_finalize(s);
    // The history of each open alarm is kept in memory: the console shows it without a query.
    m_openHistory.clear();
    sqlite3_prepare_v2(d->db,
                       "SELECT alarm_id, at, actor, desk, action, from_state, to_state, reason FROM alarm_history "
                       "WHERE alarm_id IN (SELECT id FROM alarms WHERE state <> 'normal') ORDER BY id",
                       -1, &s, nullptr);
    while (s && sqlite3_step(s) == SQLITE_ROW)
        m_openHistory[sqlite3_column_int64(s, 0)].push_back(historyEntryAt(s));
    sqlite3_finalize(s);
    // An id is never given twice, even when a crash lost the alarm's row: the guardian notifications
    // (their own connection, their own commits) may have landed with it, and a new alarm under that
    // id would find "its" notifications finished and text nobody.
    if (sqlite3_prepare_v2(d->db,
                           "SELECT max(coalesce((SELECT max(id) FROM alarms), 0), "
                           "coalesce((SELECT max(alarm_id) FROM alarm_history), 0), "
                           "coalesce((SELECT max(alarm_id) FROM notifications), 0))",
                           -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        d->nextId = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    d->status = {true, true, ErrorCategory::Fatal, {}, {}};
    d->thread = std::thread([this] { d->run(); });
    qCInfo(lcStore, "%zu open alarms loaded", m_alarms.size());
    return true;
}

bool AlarmService::Private::openDatabase(ErrorCode *code, QString *detail, int *sqliteCode)
{
    auto fail = [&](ErrorCode c, const QString &why) {
        *code = c;
        *detail = why;
        *sqliteCode = db ? (sqlite3_extended_errcode(db) & 0xff) : SQLITE_CANTOPEN;
        if (db) {
            sqlite3_close_v2(db);
            db = nullptr;
        }
        return false;
    };
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return fail(ErrorCode::CannotOpen, QString::fromUtf8(sqlite3_errmsg(db)));
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    char *message = nullptr;
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     nullptr, nullptr, &message) != SQLITE_OK) {
        const QString why = QString::fromUtf8(message ? message : "");
        sqlite3_free(message);
        const int rc = sqlite3_extended_errcode(db) & 0xff;
        return fail(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ErrorCode::Locked : ErrorCode::NotADatabase,
                    QDir::toNativeSeparators(path) + QStringLiteral(": ") + why);
    }
    QString error;
    if (!migrateStoreFile(db, &error))
        return fail(ErrorCode::MigrationFailed, error);
    return true;
}

namespace {
bool writeOne(sqlite3 *db, const AlarmWrite &w, QString *error)
{
    const Alarm &a = w.alarm;
    auto fail = [db, error] {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    };
    sqlite3_stmt *s = nullptr;
    const char *sql = w.insert
                          ? "INSERT INTO alarms (type, priority, state, source_id, raised_at, updated_at, latitude, "
                            "longitude, assignee, data, active, acknowledged, shelved_until, id, district, desks, "
                            "cameras, members, escalations, dedup_key, raised_by) "
                            "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)"
                          : "UPDATE alarms SET type=?1, priority=?2, state=?3, source_id=?4, raised_at=?5, "
                            "updated_at=?6, latitude=?7, longitude=?8, assignee=?9, data=?10, active=?11, "
                            "acknowledged=?12, shelved_until=?13, district=?15, desks=?16, cameras=?17, "
                            "members=?18, escalations=?19, dedup_key=?20, raised_by=?21 WHERE id=?14";
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
        return fail();
    bindText(s, 1, a.type);
    sqlite3_bind_int(s, 2, a.priority);
    bindText(s, 3, alarmStateName(a.state));
    bindText(s, 4, a.source);
    sqlite3_bind_int64(s, 5, a.raisedAtMs);
    sqlite3_bind_int64(s, 6, a.updatedAtMs);
    bindReal(s, 7, a.latitude);
    bindReal(s, 8, a.longitude);
    bindText(s, 9, a.assignee);
    bindText(s, 10, a.detail);
    sqlite3_bind_int(s, 11, a.active ? 1 : 0);
    sqlite3_bind_int(s, 12, a.acknowledged ? 1 : 0);
    sqlite3_bind_int64(s, 13, a.shelvedUntilMs);
    sqlite3_bind_int64(s, 14, a.id);
    bindText(s, 15, a.district);
    bindText(s, 16, toDeskJson(a));
    bindText(s, 17, toListJson(a.cameras));
    bindText(s, 18, toListJson(a.members));
    sqlite3_bind_int(s, 19, a.escalations);
    bindText(s, 20, a.dedupKey);
    bindText(s, 21, a.raisedBy);
    const int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return fail();
    if (!w.insert && sqlite3_changes(db) != 1) {
        *error = QStringLiteral("alarm %1 is not in the database").arg(a.id);
        return false;
    }
    const AlarmHistoryEntry &entry = w.entry;
    if (entry.action.isEmpty())
        return true; // the row only: a correction after an operator's command fell through
    if (sqlite3_prepare_v2(
            db,
            "INSERT INTO alarm_history (alarm_id, at, actor, desk, action, from_state, to_state, reason) "
            "VALUES (?,?,?,?,?,?,?,?)",
            -1, &s, nullptr) != SQLITE_OK)
        return fail();
    sqlite3_bind_int64(s, 1, a.id);
    sqlite3_bind_int64(s, 2, entry.atMs);
    bindText(s, 3, entry.actor);
    bindText(s, 4, entry.desk);
    bindText(s, 5, entry.action);
    bindText(s, 6, alarmStateName(entry.from));
    bindText(s, 7, alarmStateName(entry.to));
    bindText(s, 8, entry.reason);
    const int rc2 = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc2 == SQLITE_DONE || fail();
}
} // namespace

bool AlarmService::Private::write(std::vector<AlarmWrite> &batch, QString *error)
{
    std::lock_guard lock(dbMutex);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    }
    for (const AlarmWrite &w : batch) {
        if (!writeOne(db, w, error)) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            return false;
        }
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
    }
    return true;
}

// The writer thread: everything queued since the last round in one durable transaction (a group
// commit: one fsync however many alarms a flood raised). A failed round keeps the system's changes
// for the next (they are on screen already; the database catches up when it can) and refuses the
// operators' commands in it, whose callers are waiting to hear.
void AlarmService::Private::run()
{
    std::vector<AlarmWrite> batch;
    int backoffMs = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex);
            if (backoffMs > 0)
                wake.wait_for(lock, std::chrono::milliseconds(backoffMs), [this] { return stopping; });
            // A deferred open is tried at once, not only when the first change comes.
            wake.wait(lock, [this, &batch] {
                return stopping || !queue.empty() || !batch.empty() || (deferred && !db) || (eraseBeforeMs && db);
            });
            if (stopping && queue.empty() && batch.empty())
                return;
            if (const qint64 cutoff = std::exchange(eraseBeforeMs, 0); cutoff && db) {
                lock.unlock();
                eraseLocations(cutoff);
                lock.lock();
            }
            while (!queue.empty()) {
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
            if (batch.empty() && !deferred)
                continue; // woken for a purge only
        }
        if (deferred) {
            ErrorCode code = ErrorCode::None;
            QString detail;
            int rc = SQLITE_OK;
            bool opened = false;
            {
                std::lock_guard lock(dbMutex);
                opened = db || openDatabase(&code, &detail, &rc);
            }
            if (!opened) {
                std::lock_guard lock(mutex);
                status.detail = detail + QStringLiteral("; retrying");
                lastError = detail;
                // An operator waiting for a save is told now, not after a timeout.
                for (const AlarmWrite &w : batch) {
                    if (w.operatorCommand)
                        refusedSeqs.insert(w.seq);
                }
                std::erase_if(batch, [](const AlarmWrite &w) { return w.operatorCommand; });
                backoffMs = std::min(std::max(backoffMs * 2, 100), 2000);
                written.notify_all();
                if (stopping)
                    return;
                continue;
            }
            std::lock_guard lock(mutex);
            backoffMs = 0;
            if (status.code == ErrorCode::Locked) {
                // Healthy once the first round is written (at once when there is none).
                status = {true, batch.empty(), ErrorCategory::Transient, {}, {}};
                qCInfo(lcStore, "alarm database open now: %zu changes are being saved", batch.size());
            }
            if (batch.empty())
                continue; // woken to open it, nothing to write yet
        }
        QString error;
        const bool ok = write(batch, &error);
        std::lock_guard lock(mutex);
        if (ok) {
            durableSeq = batch.back().seq;
            batch.clear();
            backoffMs = 0;
            if (!status.healthy) {
                status.healthy = true;
                status.code = ErrorCode::None;
                status.detail.clear();
                qCInfo(lcStore, "alarm changes are being saved again");
            }
        } else {
            ++failedCommits;
            if (status.healthy)
                qCWarning(lcStore, "alarm changes not saved (%s); they stay on screen and are retried",
                          qUtf8Printable(error));
            status.healthy = false;
            status.code = ErrorCode::WriteFailed;
            status.detail = error;
            lastError = error;
            for (const AlarmWrite &w : batch) {
                if (w.operatorCommand)
                    refusedSeqs.insert(w.seq);
            }
            std::erase_if(batch, [](const AlarmWrite &w) { return w.operatorCommand; });
            if (batch.empty())
                durableSeq = lastSeq; // nothing left to retry up to here
            backoffMs = std::min(std::max(backoffMs * 2, 100), 5000);
            if (stopping)
                return; // what is left stays on screen only; said above
        }
        written.notify_all();
    }
}

void AlarmService::Private::eraseLocations(qint64 cutoffMs)
{
    // The types about a person or a wearer's device: their position is the wearer's.
    QStringList types;
    for (AlarmType t : alarmTypes()) {
        if (t.info().subject == AlarmSubject::Person || t.info().subject == AlarmSubject::WearerDevice)
            types.append(QLatin1Char('\'') + t.name() + QLatin1Char('\''));
    }
    const QByteArray sql = "UPDATE alarms SET latitude = NULL, longitude = NULL WHERE state = 'normal' AND "
                           "updated_at < ?1 AND latitude IS NOT NULL AND type IN (" +
                           types.join(QLatin1Char(',')).toLatin1() + ')';
    std::lock_guard lock(dbMutex);
    sqlite3_stmt *s = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.constData(), -1, &s, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, cutoffMs);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        qCWarning(lcStore, "alarm location purge failed: %s", sqlite3_errmsg(db));
        return;
    }
    const int n = sqlite3_changes(db);
    std::lock_guard counters(mutex);
    erasedLocations += quint64(n);
}

void AlarmService::eraseLocationsBefore(qint64 cutoffMs)
{
    std::lock_guard lock(d->mutex);
    if (!d->thread.joinable())
        return; // in memory: nothing stored
    d->eraseBeforeMs = cutoffMs;
    d->wake.notify_one();
}

quint64 AlarmService::erasedLocations() const
{
    std::lock_guard lock(d->mutex);
    return d->erasedLocations;
}

quint64 AlarmService::enqueue(const Alarm &alarm, const AlarmHistoryEntry &entry, bool insert, bool operatorCommand)
{
    std::lock_guard lock(d->mutex);
    const quint64 seq = ++d->lastSeq;
    d->queue.push_back({alarm, entry, insert, operatorCommand, seq});
    d->wake.notify_one();
    return seq;
}

bool AlarmService::waitDurable(quint64 seq, int timeoutMs, QString *error)
{
    std::unique_lock lock(d->mutex);
    const bool done = d->written.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                          [this, seq] { return d->durableSeq >= seq || d->refusedSeqs.contains(seq); });
    if (d->refusedSeqs.erase(seq)) {
        if (error)
            *error = d->lastError;
        return false;
    }
    if (!done && error)
        *error = QStringLiteral("the alarm database did not answer in %1 ms").arg(timeoutMs);
    return done;
}

bool AlarmService::flush(int timeoutMs)
{
    if (!d->thread.joinable())
        return true;
    quint64 seq = 0;
    {
        std::lock_guard lock(d->mutex);
        seq = d->lastSeq;
    }
    return waitDurable(seq, timeoutMs, nullptr);
}

quint64 AlarmService::pendingWrites() const
{
    std::lock_guard lock(d->mutex);
    return d->lastSeq - d->durableSeq;
}

AlarmCommandResult AlarmService::raise(Alarm alarm, const QString &actor, qint64 atMs)
{
    const qint64 now = atMs ? atMs : QDateTime::currentMSecsSinceEpoch();
    alarm.id = 0;
    alarm.active = true;
    alarm.acknowledged = false;
    alarm.state = AlarmState::Unacknowledged;
    alarm.priority = std::clamp(alarm.priority, 1, 4);
    alarm.raisedAtMs = alarm.raisedAtMs ? alarm.raisedAtMs : now;
    alarm.updatedAtMs = now;
    const AlarmHistoryEntry entry{0,
                                  now,
                                  actor,
                                  {},
                                  alarmActionName(AlarmAction::Raise),
                                  AlarmState::Normal,
                                  AlarmState::Unacknowledged,
                                  alarm.detail};
    if (!d->deferred && !d->db && !d->path.isEmpty()) {
        // Never lose an alarm: it is shown even if it cannot be written, and said so.
        const QString error = QStringLiteral("the alarm database is not open (%1)").arg(errorCodeName(d->status.code));
        qCWarning(lcStore, "alarm %s not saved: %s", qUtf8Printable(alarm.type), qUtf8Printable(error));
        alarm.id = -qint64(m_alarms.size()) - 1;
        m_alarms.push_back(alarm);
        return AlarmCommandResult::refused(AlarmRefusal::RaisedNotSaved, error, alarm);
    }
    // On screen now, on disk within a group commit (the writer thread): an SOS must not wait
    // for a disk flush to be seen.
    const qint64 id = ++d->nextId;
    alarm.id = id;
    m_alarms.push_back(alarm);
    if (d->deferred || d->db)
        enqueue(alarm,
                AlarmHistoryEntry{id, entry.atMs, entry.actor, entry.desk, entry.action, entry.from, entry.to,
                                  entry.reason},
                true, false);
    AlarmHistoryEntry stored = entry;
    stored.alarmId = id;
    if (!d->path.isEmpty()) // a memory-only service keeps no history
        m_openHistory[id].push_back(stored);
    if (m_changed)
        m_changed(alarm, stored);
    return AlarmCommandResult::done(alarm);
}

AlarmCommandResult AlarmService::execute(const AlarmCommand &command)
{
    auto prepared = prepare(command);
    if (auto *done = std::get_if<AlarmCommandResult>(&prepared))
        return *done;
    const PendingCommand &pending = std::get<PendingCommand>(prepared);
    QString error;
    const bool durable = wait(pending, &error);
    return finish(pending, durable, error);
}

std::variant<AlarmService::PendingCommand, AlarmCommandResult> AlarmService::prepare(const AlarmCommand &command)
{
    auto it = std::find_if(m_alarms.begin(), m_alarms.end(), [&](const Alarm &a) { return a.id == command.alarmId; });
    if (it == m_alarms.end())
        return AlarmCommandResult::refused(AlarmRefusal::NoSuchAlarm, QString::number(command.alarmId), {});
    AlarmCommand c = command;
    if (c.atMs == 0)
        c.atMs = QDateTime::currentMSecsSinceEpoch();
    if (c.actor.trimmed().isEmpty())
        return AlarmCommandResult::refused(AlarmRefusal::NoActor, {}, *it);
    const bool byOperator = c.actor != QLatin1String("system");
    const auto flight = m_inFlight.find(c.alarmId);
    if (byOperator && flight != m_inFlight.end())
        return AlarmCommandResult::refused(AlarmRefusal::Busy, {}, *it);
    if (m_permission) {
        if (auto refusal = m_permission(c, *it))
            return AlarmCommandResult::refused(AlarmRefusal::NotPermitted, *refusal, *it);
    }
    auto applied = applyAlarmCommand(*it, c);
    if (auto *refused = std::get_if<AlarmRefused>(&applied))
        return AlarmCommandResult::refused(refused->reason, refused->detail, *it);
    const Alarm next = std::get<Alarm>(applied);
    const QString reason = c.action == AlarmAction::Assign ? c.assignee : c.text;
    const AlarmHistoryEntry entry{next.id,   c.atMs,     c.actor, c.desk, alarmActionName(c.action),
                                  it->state, next.state, reason};
    const bool saved = d->deferred || d->db;
    if (!saved && !d->path.isEmpty())
        return AlarmCommandResult::refused(
            AlarmRefusal::NotSaved,
            QStringLiteral("the alarm database is not open (%1)").arg(errorCodeName(d->status.code)), *it);
    if (!byOperator) {
        // The system's changes are applied at once and written behind (the condition they follow is
        // in the event store). While an operator's command on the alarm is being saved, the row
        // written carries that command too, so the database never goes back on it.
        if (saved) {
            Alarm row = next;
            if (flight != m_inFlight.end()) {
                flight->overtaken = true;
                auto both = applyAlarmCommand(flight->next, c);
                if (auto *a = std::get_if<Alarm>(&both))
                    row = flight->next = *a;
            }
            enqueue(row, entry, false, false);
        }
        return AlarmCommandResult::done(apply(it, next, entry));
    }
    // An operator's command is on disk before it is applied.
    PendingCommand pending{c, next, entry, saved ? enqueue(next, entry, false, true) : 0};
    m_inFlight.insert(c.alarmId, {next, pending.seq, false});
    return pending;
}

bool AlarmService::wait(const PendingCommand &pending, QString *error)
{
    return pending.seq == 0 || waitDurable(pending.seq, 10'000, error);
}

AlarmCommandResult AlarmService::finish(const PendingCommand &pending, bool durable, const QString &error)
{
    bool overtaken = false;
    Alarm written = pending.next;
    if (const auto flight = m_inFlight.find(pending.command.alarmId);
        flight != m_inFlight.end() && flight->seq == pending.seq) {
        overtaken = flight->overtaken;
        written = flight->next;
        m_inFlight.erase(flight);
    }
    auto it =
        std::find_if(m_alarms.begin(), m_alarms.end(), [&](const Alarm &a) { return a.id == pending.command.alarmId; });
    if (!durable) {
        // The system's rows written meanwhile carried the command: put back the alarm as it stands.
        if (overtaken && it != m_alarms.end())
            enqueue(*it, {}, false, false);
        return AlarmCommandResult::refused(AlarmRefusal::NotSaved, error, it != m_alarms.end() ? *it : pending.next);
    }
    if (it == m_alarms.end())
        return AlarmCommandResult::done(written); // the system closed it meanwhile (its row says so)
    Alarm next = pending.next;
    if (overtaken) {
        // The system changed the alarm while the command was being saved: the command applies to
        // the alarm as it is now (the rows written meanwhile already did so).
        auto again = applyAlarmCommand(*it, pending.command);
        if (auto *refused = std::get_if<AlarmRefused>(&again)) {
            enqueue(*it, {}, false, false);
            return AlarmCommandResult::refused(refused->reason, refused->detail, *it);
        }
        next = std::get<Alarm>(again);
    }
    return AlarmCommandResult::done(apply(it, next, pending.entry));
}

Alarm AlarmService::apply(std::vector<Alarm>::iterator it, const Alarm &next, const AlarmHistoryEntry &entry)
{
    *it = next;
    if (m_changed)
        m_changed(next, entry);
    if (next.state == AlarmState::Normal) {
        m_alarms.erase(it); // closed: the database's history keeps it
        m_openHistory.remove(next.id);
    } else if (!d->path.isEmpty()) {
        m_openHistory[next.id].push_back(entry);
    }
    return next;
}

int AlarmService::unshelveExpired(qint64 nowMs)
{
    std::vector<qint64> due;
    for (const Alarm &a : m_alarms) {
        if (a.state == AlarmState::Shelved && a.shelvedUntilMs <= nowMs)
            due.push_back(a.id);
    }
    int n = 0;
    for (qint64 id : due) {
        AlarmCommand c;
        c.alarmId = id;
        c.action = AlarmAction::AutoUnshelve;
        c.actor = QStringLiteral("system");
        c.atMs = nowMs;
        n += execute(c).ok;
    }
    return n;
}

std::optional<Alarm> AlarmService::alarm(qint64 id) const
{
    for (const Alarm &a : m_alarms) {
        if (a.id == id)
            return a;
    }
    return std::nullopt;
}

bool AlarmService::hasAlarmRaisedBy(const QString &source, const QString &reference) const
{
    for (const Alarm &a : m_alarms) {
        if (a.raisedBy == reference && a.source == source)
            return true;
    }
    const_cast<AlarmService *>(this)->flush(5000); // a raise still queued counts
    std::lock_guard lock(d->dbMutex);
    if (!d->db)
        return false;
    sqlite3_stmt *s = nullptr;
    bool found = false;
    if (sqlite3_prepare_v2(d->db, "SELECT 1 FROM alarms WHERE raised_by = ? AND source_id = ? LIMIT 1", -1, &s,
                           nullptr) == SQLITE_OK) {
        bindText(s, 1, reference);
        bindText(s, 2, source);
        found = sqlite3_step(s) == SQLITE_ROW;
    }
    sqlite3_finalize(s);
    return found;
}

std::vector<AlarmHistoryEntry> AlarmService::history(qint64 alarmId) const
{
    if (auto open = openHistory(alarmId))
        return *open;
    return closedHistory(alarmId);
}

std::optional<std::vector<AlarmHistoryEntry>> AlarmService::openHistory(qint64 alarmId) const
{
    const auto it = m_openHistory.constFind(alarmId);
    if (it == m_openHistory.cend())
        return std::nullopt;
    return *it;
}

std::vector<AlarmHistoryEntry> AlarmService::closedHistory(qint64 alarmId) const
{
    checkQueryThread("AlarmService::closedHistory");
    std::vector<AlarmHistoryEntry> out;
    const_cast<AlarmService *>(this)->flush(5000); // what is queued belongs to the history too
    std::lock_guard lock(d->dbMutex);
    if (!d->db)
        return out;
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(d->db,
                       "SELECT alarm_id, at, actor, desk, action, from_state, to_state, reason FROM alarm_history "
                       "WHERE alarm_id = ? ORDER BY id",
                       -1, &s, nullptr);
    sqlite3_bind_int64(s, 1, alarmId);
    while (sqlite3_step(s) == SQLITE_ROW)
        out.push_back(historyEntryAt(s));
    sqlite3_finalize(s);
    return out;
}

} // namespace gwanje
