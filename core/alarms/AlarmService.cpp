#include "AlarmService.h"

#include "Logging.h"
#include "store/Schema_p.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <cmath>

namespace gwanje {

namespace {
void bindText(sqlite3_stmt *s, int i, const QString &text)
{
    if (text.isNull()) {
        sqlite3_bind_null(s, i);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(s, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

QString columnText(sqlite3_stmt *s, int i)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return text ? QString::fromUtf8(text) : QString();
}

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

void bindReal(sqlite3_stmt *s, int i, double v)
{
    if (std::isfinite(v))
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}
} // namespace

struct AlarmService::Private
{
    QString path;
    sqlite3 *db = nullptr;
    StoreStatus status;
    bool inBatch = false;
    quint64 failedCommits = 0;
    qint64 memoryIds = 0;

    ~Private()
    {
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
    return d->status;
}

bool AlarmService::open()
{
    if (d->path.isEmpty()) {
        d->status = {false, true, ErrorCategory::Fatal, {}, {}};
        return true; // memory only, by configuration
    }
    auto fail = [this](const QString &code, const QString &detail) {
        d->status = {false, false, ErrorCategory::Fatal, code, detail};
        qCWarning(lcStore, "alarm database unavailable (%s): %s", qUtf8Printable(code), qUtf8Printable(detail));
        if (d->db) {
            sqlite3_close_v2(d->db);
            d->db = nullptr;
        }
        return false;
    };
    if (sqlite3_open_v2(QFile::encodeName(d->path).constData(), &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return fail(QStringLiteral("cannot_open"), QString::fromUtf8(sqlite3_errmsg(d->db)));
    sqlite3_busy_timeout(d->db, 5000);
    char *message = nullptr;
    if (sqlite3_exec(d->db, "SELECT count(*) FROM sqlite_schema; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     nullptr, nullptr, &message) != SQLITE_OK) {
        const QString why = QString::fromUtf8(message ? message : "");
        sqlite3_free(message);
        return fail(QStringLiteral("not_a_database"), QDir::toNativeSeparators(d->path) + QStringLiteral(": ") + why);
    }
    QString error;
    if (!schema::migrate(d->db, &error))
        return fail(QStringLiteral("migration_failed"), error);

    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(d->db,
                       "SELECT id, type, priority, state, source_id, raised_at, updated_at, latitude, longitude, "
                       "assignee, data, active, acknowledged, shelved_until, district, desks, cameras, members, "
                       "escalations, dedup_key FROM alarms WHERE state <> 'normal' "
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
        m_alarms.push_back(a);
    }
    sqlite3_finalize(s);
    d->status = {true, true, ErrorCategory::Fatal, {}, {}};
    qCInfo(lcStore, "%zu open alarms loaded", m_alarms.size());
    return true;
}

bool AlarmService::persist(const Alarm &a, const AlarmHistoryEntry &entry, bool insert, qint64 *newId, QString *error)
{
    if (!d->db && d->path.isEmpty()) {
        if (newId)
            *newId = ++d->memoryIds;
        return true; // nothing to write to, by configuration
    }
    if (!d->db) {
        *error = QStringLiteral("the alarm database is not open (%1)").arg(d->status.code);
        return false;
    }
    // Inside a batch each change is a savepoint, so a failed one leaves the others in the batch.
    const bool nested = d->inBatch;
    auto sqlError = [this, error, nested] {
        *error = QString::fromUtf8(sqlite3_errmsg(d->db));
        sqlite3_exec(d->db, nested ? "ROLLBACK TO change; RELEASE change" : "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
    };
    if (sqlite3_exec(d->db, nested ? "SAVEPOINT change" : "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqlError();
    sqlite3_stmt *s = nullptr;
    const char *sql = insert ? "INSERT INTO alarms (type, priority, state, source_id, raised_at, updated_at, latitude, "
                               "longitude, assignee, data, active, acknowledged, shelved_until, district, desks, "
                               "cameras, members, escalations, dedup_key) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?15,?16,?17,?18,?19,?20)"
                             : "UPDATE alarms SET type=?1, priority=?2, state=?3, source_id=?4, raised_at=?5, "
                               "updated_at=?6, latitude=?7, longitude=?8, assignee=?9, data=?10, active=?11, "
                               "acknowledged=?12, shelved_until=?13, district=?15, desks=?16, cameras=?17, "
                               "members=?18, escalations=?19, dedup_key=?20 WHERE id=?14";
    if (sqlite3_prepare_v2(d->db, sql, -1, &s, nullptr) != SQLITE_OK)
        return sqlError();
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
    if (!insert)
        sqlite3_bind_int64(s, 14, a.id);
    bindText(s, 15, a.district);
    bindText(s, 16, toDeskJson(a));
    bindText(s, 17, toListJson(a.cameras));
    bindText(s, 18, toListJson(a.members));
    sqlite3_bind_int(s, 19, a.escalations);
    bindText(s, 20, a.dedupKey);
    const int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sqlError();
    if (!insert && sqlite3_changes(d->db) != 1) {
        sqlite3_exec(d->db, nested ? "ROLLBACK TO change; RELEASE change" : "ROLLBACK", nullptr, nullptr, nullptr);
        *error = QStringLiteral("alarm %1 is not in the database").arg(a.id);
        return false;
    }
    const qint64 id = insert ? sqlite3_last_insert_rowid(d->db) : a.id;
    if (sqlite3_prepare_v2(
            d->db,
            "INSERT INTO alarm_history (alarm_id, at, actor, desk, action, from_state, to_state, reason) "
            "VALUES (?,?,?,?,?,?,?,?)",
            -1, &s, nullptr) != SQLITE_OK)
        return sqlError();
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, entry.atMs);
    bindText(s, 3, entry.actor);
    bindText(s, 4, entry.desk);
    bindText(s, 5, entry.action);
    bindText(s, 6, alarmStateName(entry.from));
    bindText(s, 7, alarmStateName(entry.to));
    bindText(s, 8, entry.reason);
    const int rc2 = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc2 != SQLITE_DONE)
        return sqlError();
    if (sqlite3_exec(d->db, nested ? "RELEASE change" : "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqlError();
    if (newId)
        *newId = id;
    return true;
}

void AlarmService::beginBatch()
{
    if (d->inBatch || !d->db)
        return;
    if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK)
        d->inBatch = true;
    else
        qCWarning(lcStore, "alarm batch not begun: %s; each change commits on its own", sqlite3_errmsg(d->db));
}

bool AlarmService::commitBatch()
{
    if (!d->inBatch)
        return true;
    d->inBatch = false;
    if (sqlite3_exec(d->db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK)
        return true;
    const QString why = QString::fromUtf8(sqlite3_errmsg(d->db));
    sqlite3_exec(d->db, "ROLLBACK", nullptr, nullptr, nullptr);
    ++d->failedCommits;
    d->status.healthy = false;
    d->status.code = QStringLiteral("commit_failed");
    d->status.detail = why;
    // The alarms stay on screen (they are in memory); what changed in the batch is not on disk.
    qCWarning(lcStore, "alarm changes not saved (%s); they stay on screen", qUtf8Printable(why));
    return false;
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
    QString error;
    qint64 id = 0;
    if (!persist(alarm, entry, true, &id, &error)) {
        // Never lose an alarm: it is shown even if it could not be written, and said so.
        qCWarning(lcStore, "alarm %s not saved: %s", qUtf8Printable(alarm.type), qUtf8Printable(error));
        alarm.id = -qint64(m_alarms.size()) - 1;
        m_alarms.push_back(alarm);
        return {false, QStringLiteral("raised but not saved: %1").arg(error), alarm};
    }
    alarm.id = id;
    m_alarms.push_back(alarm);
    AlarmHistoryEntry stored = entry;
    stored.alarmId = id;
    if (m_changed)
        m_changed(alarm, stored);
    return {true, {}, alarm};
}

AlarmCommandResult AlarmService::execute(const AlarmCommand &command)
{
    auto it = std::find_if(m_alarms.begin(), m_alarms.end(), [&](const Alarm &a) { return a.id == command.alarmId; });
    if (it == m_alarms.end())
        return {false, QStringLiteral("no open alarm %1").arg(command.alarmId), {}};
    AlarmCommand c = command;
    if (c.atMs == 0)
        c.atMs = QDateTime::currentMSecsSinceEpoch();
    if (c.actor.trimmed().isEmpty())
        return {false, QStringLiteral("a command needs the actor"), *it};
    if (m_permission) {
        if (auto refusal = m_permission(c, *it))
            return {false, *refusal, *it};
    }
    auto applied = applyAlarmCommand(*it, c);
    if (auto *refusal = std::get_if<QString>(&applied))
        return {false, *refusal, *it};
    const Alarm next = std::get<Alarm>(applied);
    const QString reason = c.action == AlarmAction::Assign ? c.assignee : c.text;
    const AlarmHistoryEntry entry{next.id,   c.atMs,     c.actor, c.desk, alarmActionName(c.action),
                                  it->state, next.state, reason};
    QString error;
    if (!persist(next, entry, false, nullptr, &error))
        return {false, QStringLiteral("not saved, so not done: %1").arg(error), *it};
    *it = next;
    if (m_changed)
        m_changed(next, entry);
    const Alarm result = next;
    if (next.state == AlarmState::Normal)
        m_alarms.erase(it); // closed: history keeps it
    return {true, {}, result};
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

std::vector<AlarmHistoryEntry> AlarmService::history(qint64 alarmId) const
{
    std::vector<AlarmHistoryEntry> out;
    if (!d->db)
        return out;
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(d->db,
                       "SELECT alarm_id, at, actor, desk, action, from_state, to_state, reason FROM alarm_history "
                       "WHERE alarm_id = ? ORDER BY id",
                       -1, &s, nullptr);
    sqlite3_bind_int64(s, 1, alarmId);
    while (sqlite3_step(s) == SQLITE_ROW) {
        out.push_back({sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), columnText(s, 2), columnText(s, 3),
                       columnText(s, 4), alarmStateFromName(columnText(s, 5)).value_or(AlarmState::Normal),
                       alarmStateFromName(columnText(s, 6)).value_or(AlarmState::Normal), columnText(s, 7)});
    }
    sqlite3_finalize(s);
    return out;
}

} // namespace gwanje
