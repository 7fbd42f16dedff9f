#pragma once

#include "Alarm.h"
#include "store/EventStore.h"

#include <QHash>

#include <functional>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace gwanje {

struct AlarmHistoryEntry
{
    qint64 alarmId = 0;
    qint64 atMs = 0;
    QString actor;
    QString desk;
    QString action;
    AlarmState from = AlarmState::Normal;
    AlarmState to = AlarmState::Normal;
    QString reason;
};

struct AlarmCommandResult
{
    bool ok = false;
    AlarmRefusal reason = AlarmRefusal::None; // why not, when !ok
    QString detail;                           // what the reason's sentence names (the desk, the database error)
    Alarm alarm;                              // the alarm after the command (or as it was, when refused)
    // The refusal in English, for logs and tests (the console translates the reason).
    QString refusal() const { return ok ? QString() : alarmRefusalSentence(reason, detail); }

    static AlarmCommandResult done(Alarm alarm) { return {true, AlarmRefusal::None, {}, std::move(alarm)}; }
    static AlarmCommandResult refused(AlarmRefusal reason, QString detail, Alarm alarm)
    {
        return {false, reason, std::move(detail), std::move(alarm)};
    }
};

// The one command API for alarms. Every change (raised by the fusion rules or commanded by an
// operator) is checked against the lifecycle and a permission hook and written with its history
// entry to the database. An operator's command is on disk before it is applied (the caller waits
// for the commit; if it cannot be written it is refused, so after a restart the alarm list and its
// history are exactly what the operators saw). The system's own changes (raise, clear, escalate...)
// are applied at once and written behind them by a writer thread in group commits, so an SOS is on
// screen without waiting for a disk flush (about 6 ms here) and a flood of changes costs one flush
// per round; what the system raised is durable within milliseconds, and the events behind it are in
// the event store. A database that fails keeps every alarm on screen, retries, and says so in
// status(). Uses its own connection to the event store's file. Not thread-safe: one owner thread,
// or its owner's lock (the writer is internal), except wait(), which needs neither.
class AlarmService
{
public:
    // Returns a refusal reason, or nothing to allow. Roles arrive later; the default allows all.
    using PermissionCheck = std::function<std::optional<QString>(const AlarmCommand &, const Alarm &)>;
    using ChangeCallback = std::function<void(const Alarm &, const AlarmHistoryEntry &)>;

    // An empty path keeps alarms in memory only (no database configured).
    explicit AlarmService(QString databasePath);
    ~AlarmService();
    AlarmService(const AlarmService &) = delete;
    AlarmService &operator=(const AlarmService &) = delete;

    // Opens (migrating as needed) and loads every alarm that is not closed.
    bool open();
    StoreStatus status() const;

    void setPermissionCheck(PermissionCheck check) { m_permission = std::move(check); }
    void setChangeCallback(ChangeCallback callback) { m_changed = std::move(callback); }

    // A new alarm (the fusion rules' side). Its id is assigned; the result holds it.
    AlarmCommandResult raise(Alarm alarm, const QString &actor = QStringLiteral("system"), qint64 atMs = 0);
    AlarmCommandResult execute(const AlarmCommand &command);

    // An operator's command in three steps, so that the owner need not hold its lock while the
    // disk works (an SOS raised meanwhile must not wait for an acknowledgement's fsync):
    // prepare() checks the command and hands its write to the writer (a system command is done
    // there and then); wait() returns once it is durable and may be called without the owner's
    // lock, on any thread; finish() applies it, to the alarm as it is by then. One operator
    // command at a time per alarm: a second one while the first is being saved is refused.
    // execute() is the three in a row.
    struct PendingCommand
    {
        AlarmCommand command;
        Alarm next;
        AlarmHistoryEntry entry;
        quint64 seq = 0; // its write (0: no database)
    };
    std::variant<PendingCommand, AlarmCommandResult> prepare(const AlarmCommand &command);
    bool wait(const PendingCommand &pending, QString *error);
    AlarmCommandResult finish(const PendingCommand &pending, bool durable, const QString &error);
    // Waits until every change so far is on disk (tests, shutdown); false on timeout. Thread-safe:
    // needs no lock of the owner's.
    bool flush(int timeoutMs);
    // Where a closed alarm about a person (or a wearer's device) happened is personal data: its
    // coordinates are erased once it was last changed before cutoffMs, in the background on the
    // writer thread (the alarms tables are this service's: store/StoreFile.h). Open ones stay.
    void eraseLocationsBefore(qint64 cutoffMs);
    quint64 erasedLocations() const; // alarms whose coordinates that erased, in this run
    // Changes handed to the writer and not yet on disk.
    quint64 pendingWrites() const;
    // Unshelves alarms whose shelving time is over; returns how many.
    int unshelveExpired(qint64 nowMs);

    const std::vector<Alarm> &alarms() const { return m_alarms; } // not closed, oldest first
    std::optional<Alarm> alarm(qint64 id) const;
    // An alarm's history: an open alarm's from memory (openHistory(), the owner's side), a closed
    // one's from the database (closedHistory(): thread-safe, call it without the owner's lock and
    // off the GUI thread).
    std::vector<AlarmHistoryEntry> history(qint64 alarmId) const;
    std::optional<std::vector<AlarmHistoryEntry>> openHistory(qint64 alarmId) const;
    std::vector<AlarmHistoryEntry> closedHistory(qint64 alarmId) const;
    // Whether an alarm (open or closed, in memory or in the database) was raised by the event of
    // `source` with this eventReference().
    bool hasAlarmRaisedBy(const QString &source, const QString &reference) const;

private:
    // An empty entry (no action) writes the alarm's row only.
    quint64 enqueue(const Alarm &alarm, const AlarmHistoryEntry &entry, bool insert, bool operatorCommand);
    Alarm apply(std::vector<Alarm>::iterator it, const Alarm &next, const AlarmHistoryEntry &entry);
    bool waitDurable(quint64 seq, int timeoutMs, QString *error);

    struct Private;
    std::unique_ptr<Private> d;
    PermissionCheck m_permission;
    ChangeCallback m_changed;
    std::vector<Alarm> m_alarms;
    struct InFlight
    {
        Alarm next;             // the alarm as its row is being written
        quint64 seq = 0;        // the operator's write
        bool overtaken = false; // the system changed the alarm meanwhile
    };
    QHash<qint64, InFlight> m_inFlight;                          // alarm id -> the operator command being saved on it
    QHash<qint64, std::vector<AlarmHistoryEntry>> m_openHistory; // open alarm id -> its history
};

} // namespace gwanje
