#include "NotificationStore_p.h"

#include "store/SqliteValues.h"
#include "store/StoreFile.h"

#include <QDir>
#include <QFile>

#include <sqlite3.h>

namespace gwanje {

using sqlite::bindText;
using sqlite::columnText;

namespace {
// Finalises on every path out of a function.
struct Statement
{
    sqlite3_stmt *s = nullptr;
    Statement(sqlite3 *db, const QByteArray &sql)
    {
        sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &s, nullptr);
    }
    ~Statement() { sqlite3_finalize(s); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    explicit operator bool() const { return s != nullptr; }
};

constexpr const char *selectColumns =
    "SELECT alarm_id, recipient, status, attempts, updated_at, error, payload FROM notifications ";

StoredNotification readRow(sqlite3_stmt *s)
{
    StoredNotification n;
    n.alarmId = sqlite3_column_int64(s, 0);
    n.recipient = columnText(s, 1);
    n.status = columnText(s, 2);
    n.attempts = sqlite3_column_int(s, 3);
    n.updatedAtMs = sqlite3_column_int64(s, 4);
    n.error = columnText(s, 5);
    n.payload = QByteArray(static_cast<const char *>(sqlite3_column_blob(s, 6)), sqlite3_column_bytes(s, 6));
    return n;
}
} // namespace

NotificationStore::~NotificationStore()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

bool NotificationStore::open(const QString &path, ErrorCode *code, QString *detail)
{
    std::lock_guard lock(m_mutex);
    auto fail = [&](ErrorCode why, const QString &text) {
        *code = why;
        *detail = text;
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        return false;
    };
    // The same settings as the event store and the alarm service on the same file: WAL so the
    // writers do not block readers, FULL so a recorded request survives a power cut.
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return fail(ErrorCode::CannotOpen, QString::fromUtf8(sqlite3_errmsg(m_db)));
    sqlite3_busy_timeout(m_db, 5000);
    char *message = nullptr;
    if (sqlite3_exec(m_db, "SELECT count(*) FROM sqlite_schema; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     nullptr, nullptr, &message) != SQLITE_OK) {
        const QString why = QString::fromUtf8(message ? message : "");
        sqlite3_free(message);
        return fail(ErrorCode::NotADatabase, QDir::toNativeSeparators(path) + QStringLiteral(": ") + why);
    }
    QString error;
    if (!migrateStoreFile(m_db, &error))
        return fail(ErrorCode::MigrationFailed, error);
    return true;
}

bool NotificationStore::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_db != nullptr;
}

bool NotificationStore::begin(QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_db) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    if (sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return false;
    }
    return true;
}

bool NotificationStore::commit(QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_db) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    if (sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK)
        return true;
    *error = QString::fromUtf8(sqlite3_errmsg(m_db));
    if (!sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
}

NotificationStore::Insert NotificationStore::insertPending(qint64 alarmId, const QString &recipient,
                                                           const QByteArray &payload, qint64 nowMs,
                                                           StoredNotification *existing, QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_db) {
        *error = QStringLiteral("the database is not open");
        return Insert::Failed;
    }
    Statement insert(m_db, "INSERT OR IGNORE INTO notifications (alarm_id, recipient, channel, status, attempts, "
                           "created_at, updated_at, payload) VALUES (?, ?, 'sms', 'pending', 0, ?, ?, ?)");
    if (insert) {
        sqlite3_bind_int64(insert.s, 1, alarmId);
        bindText(insert.s, 2, recipient);
        sqlite3_bind_int64(insert.s, 3, nowMs);
        sqlite3_bind_int64(insert.s, 4, nowMs);
        sqlite3_bind_blob(insert.s, 5, payload.constData(), int(payload.size()), SQLITE_TRANSIENT);
    }
    if (!insert || sqlite3_step(insert.s) != SQLITE_DONE) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return Insert::Failed;
    }
    if (sqlite3_changes(m_db) > 0)
        return Insert::Inserted;
    Statement select(m_db, QByteArray(selectColumns) + "WHERE alarm_id = ? AND recipient = ?");
    if (select) {
        sqlite3_bind_int64(select.s, 1, alarmId);
        bindText(select.s, 2, recipient);
    }
    if (!select || sqlite3_step(select.s) != SQLITE_ROW) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return Insert::Failed;
    }
    *existing = readRow(select.s);
    return Insert::Exists;
}

bool NotificationStore::update(qint64 alarmId, const QString &recipient, const QString &status, int attempts,
                               qint64 nowMs, const QString &lastError, bool final, QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_db) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    Statement s(m_db, final ? "UPDATE notifications SET status = ?, attempts = ?, updated_at = ?, error = ?, "
                              "payload = NULL WHERE alarm_id = ? AND recipient = ?"
                            : "UPDATE notifications SET status = ?, attempts = ?, updated_at = ?, error = ? "
                              "WHERE alarm_id = ? AND recipient = ?");
    if (s) {
        bindText(s.s, 1, status);
        sqlite3_bind_int(s.s, 2, attempts);
        sqlite3_bind_int64(s.s, 3, nowMs);
        bindText(s.s, 4, lastError.isEmpty() ? QString() : lastError);
        sqlite3_bind_int64(s.s, 5, alarmId);
        bindText(s.s, 6, recipient);
    }
    if (!s || sqlite3_step(s.s) != SQLITE_DONE) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return false;
    }
    return true;
}

std::optional<std::vector<StoredNotification>> NotificationStore::unfinished(QString *error)
{
    std::lock_guard lock(m_mutex);
    std::vector<StoredNotification> out;
    if (!m_db)
        return out;
    Statement s(m_db, QByteArray(selectColumns) +
                          "WHERE status IN ('pending', 'retrying') ORDER BY created_at, alarm_id, recipient");
    int rc = SQLITE_ERROR;
    while (s && (rc = sqlite3_step(s.s)) == SQLITE_ROW)
        out.push_back(readRow(s.s));
    if (rc != SQLITE_DONE) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return std::nullopt;
    }
    return out;
}

std::vector<StoredNotification> NotificationStore::forAlarm(qint64 alarmId)
{
    std::lock_guard lock(m_mutex);
    std::vector<StoredNotification> out;
    if (!m_db)
        return out;
    Statement s(m_db, QByteArray(selectColumns) + "WHERE alarm_id = ?");
    if (s)
        sqlite3_bind_int64(s.s, 1, alarmId);
    while (s && sqlite3_step(s.s) == SQLITE_ROW)
        out.push_back(readRow(s.s));
    return out;
}

std::optional<quint64> NotificationStore::purgeFinished(qint64 cutoffMs, QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_db) {
        *error = QStringLiteral("the database is not open");
        return std::nullopt;
    }
    Statement s(m_db, "DELETE FROM notifications WHERE updated_at < ? AND status IN ('sent', 'failed')");
    if (s)
        sqlite3_bind_int64(s.s, 1, cutoffMs);
    if (!s || sqlite3_step(s.s) != SQLITE_DONE) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return std::nullopt;
    }
    return quint64(sqlite3_changes(m_db));
}

} // namespace gwanje
