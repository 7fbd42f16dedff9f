#pragma once

// Private to the notifier: its rows in the `notifications` table (schema migration 3), on its own
// SQLite connection to the event store's file. Thread-safe: the notifier's thread writes, any
// thread may read records().

#include "Errors.h"

#include <QByteArray>
#include <QString>

#include <mutex>
#include <optional>
#include <vector>

struct sqlite3;

namespace gwanje {

struct StoredNotification
{
    qint64 alarmId = 0;
    QString recipient; // the phone number, normalised
    QString status;
    int attempts = 0;
    qint64 updatedAtMs = 0;
    QString error;
    QByteArray payload; // the JSON body to POST; cleared once the outcome is final
};

class NotificationStore
{
public:
    NotificationStore() = default;
    ~NotificationStore();
    NotificationStore(const NotificationStore &) = delete;
    NotificationStore &operator=(const NotificationStore &) = delete;

    // On failure: false, *code (CannotOpen, NotADatabase, MigrationFailed) and *detail.
    bool open(const QString &path, ErrorCode *code, QString *detail);
    bool isOpen() const;

    // Groups the writes until commit() in one transaction: one flush to disk for a turn of the
    // notifier's loop instead of one per row. False, with *error, when it cannot begin: the writes
    // then commit one by one.
    bool begin(QString *error);
    // False, with *error, when the transaction did not commit: it is rolled back, none of its writes
    // happened.
    bool commit(QString *error);

    enum class Insert { Inserted, Exists, Failed };
    // Records a new request as pending, durably. Exists: *existing holds the row already there.
    Insert insertPending(qint64 alarmId, const QString &recipient, const QByteArray &payload, qint64 nowMs,
                         StoredNotification *existing, QString *error);
    // One attempt or the outcome. A final outcome drops the payload: the wearer's position and the
    // SMS text are kept no longer than they are needed to (re)send.
    bool update(qint64 alarmId, const QString &recipient, const QString &status, int attempts, qint64 nowMs,
                const QString &lastError, bool final, QString *error);
    // Pending and retrying rows, oldest first.
    std::optional<std::vector<StoredNotification>> unfinished(QString *error);
    std::vector<StoredNotification> forAlarm(qint64 alarmId);
    // Deletes the finished rows (sent, failed) last changed before cutoffMs: a guardian's phone
    // number is personal data, kept as long as the positions. Unfinished ones are still owed.
    std::optional<quint64> purgeFinished(qint64 cutoffMs, QString *error);

private:
    mutable std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
};

} // namespace gwanje
