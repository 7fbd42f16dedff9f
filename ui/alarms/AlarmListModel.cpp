#include "AlarmListModel.h"

#include "alarms/AlarmType.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace gwanje {

AlarmListModel::AlarmListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

QString AlarmListModel::typeText(const QString &type)
{
    if (const auto known = alarmTypeFromName(type))
        return QCoreApplication::translate("gwanje::AlarmType", alarmTypeInfo(*known).labelEn);
    return type; // a type the rules learned after this build: its code is still telling
}

QString AlarmListModel::stateText(AlarmState state)
{
    switch (state) {
    case AlarmState::Normal:
        return tr("Closed");
    case AlarmState::Unacknowledged:
        return tr("Unacknowledged");
    case AlarmState::Acknowledged:
        return tr("Acknowledged");
    case AlarmState::ReturnedUnacknowledged:
        return tr("Returned, unacknowledged");
    case AlarmState::Shelved:
        return tr("Shelved");
    case AlarmState::SuppressedByDesign:
        return tr("Suppressed by design");
    case AlarmState::OutOfService:
        return tr("Out of service");
    }
    return {};
}

QString AlarmListModel::ageText(qint64 ageMs)
{
    const qint64 s = std::max<qint64>(0, ageMs / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    const qint64 m = s / 60;
    if (m < 60)
        return tr("%1 min").arg(m);
    if (m < 24 * 60)
        return tr("%1 h %2 min").arg(m / 60).arg(m % 60);
    return tr("%1 d").arg(m / (24 * 60));
}

bool AlarmListModel::before(const Alarm &a, const Alarm &b)
{
    if (a.priority != b.priority)
        return a.priority < b.priority;
    if (a.raisedAtMs != b.raisedAtMs)
        return a.raisedAtMs > b.raisedAtMs;
    return a.id > b.id;
}

bool AlarmListModel::sameShown(const Alarm &a, const Alarm &b)
{
    auto sameCoordinate = [](double x, double y) {
        return x == y || (std::isnan(x) && std::isnan(y));
    };
    return a.updatedAtMs == b.updatedAtMs && a.type == b.type && a.priority == b.priority && a.state == b.state &&
           a.active == b.active && a.acknowledged == b.acknowledged && a.source == b.source &&
           a.district == b.district && a.raisedAtMs == b.raisedAtMs && a.assignee == b.assignee && a.desks == b.desks &&
           a.cameras == b.cameras && a.members == b.members && a.escalations == b.escalations &&
           sameCoordinate(a.latitude, b.latitude) && sameCoordinate(a.longitude, b.longitude);
}

bool AlarmListModel::accepts(const Alarm &a) const
{
    if (!m_desk.isEmpty() && !a.dispatchedTo(m_desk))
        return false;
    if (a.priority > m_minimumPriority)
        return false;
    if (!m_hiddenStates.isEmpty() && m_hiddenStates.contains(alarmStateName(a.state)))
        return false;
    if (m_text.isEmpty())
        return true;
    for (const QString &field : {a.type, typeText(a.type), a.source, a.district, a.assignee, QString::number(a.id)}) {
        if (field.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

void AlarmListModel::setAlarms(std::vector<Alarm> alarms, qint64 nowMs)
{
    m_all = std::move(alarms);
    m_nowMs = nowMs;
    apply();
}

void AlarmListModel::apply()
{
    std::vector<const Alarm *> next;
    next.reserve(m_all.size());
    for (const Alarm &a : m_all) {
        if (accepts(a))
            next.push_back(&a);
    }
    std::sort(next.begin(), next.end(), [](const Alarm *a, const Alarm *b) { return before(*a, *b); });
    QSet<qint64> wanted;
    wanted.reserve(qsizetype(next.size()));
    for (const Alarm *a : next)
        wanted.insert(a->id);
    const int before = rowCount();

    // Rows that go, bottom up, a contiguous run at a time.
    QSet<qint64> present;
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (wanted.contains(m_rows[std::size_t(i)].alarm.id)) {
            present.insert(m_rows[std::size_t(i)].alarm.id);
            continue;
        }
        const int last = i;
        while (i > 0 && !wanted.contains(m_rows[std::size_t(i - 1)].alarm.id))
            --i;
        beginRemoveRows(QModelIndex(), i, last);
        m_rows.erase(m_rows.begin() + i, m_rows.begin() + last + 1);
        endRemoveRows();
    }

    // Then top down: a row in place is updated, one further down moves up, new ones are inserted.
    // Rows above i are final, so what is left below them is exactly the remaining order to make.
    for (int i = 0; i < int(next.size()); ++i) {
        const Alarm &want = *next[std::size_t(i)];
        if (present.contains(want.id)) {
            if (m_rows[std::size_t(i)].alarm.id != want.id) {
                int j = i + 1;
                while (m_rows[std::size_t(j)].alarm.id != want.id)
                    ++j;
                beginMoveRows(QModelIndex(), j, j, QModelIndex(), i);
                Row row = std::move(m_rows[std::size_t(j)]);
                m_rows.erase(m_rows.begin() + j);
                m_rows.insert(m_rows.begin() + i, std::move(row));
                endMoveRows();
            }
            Row &row = m_rows[std::size_t(i)];
            const QString age = ageText(m_nowMs - want.raisedAtMs);
            if (!sameShown(row.alarm, want) || row.age != age) {
                row.alarm = want;
                row.age = age;
                Q_EMIT dataChanged(index(i), index(i));
            }
            continue;
        }
        int end = i + 1;
        while (end < int(next.size()) && !present.contains(next[std::size_t(end)]->id))
            ++end;
        beginInsertRows(QModelIndex(), i, end - 1);
        std::vector<Row> fresh;
        fresh.reserve(std::size_t(end - i));
        for (int k = i; k < end; ++k)
            fresh.push_back({*next[std::size_t(k)], ageText(m_nowMs - next[std::size_t(k)]->raisedAtMs)});
        m_rows.insert(m_rows.begin() + i, std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
        endInsertRows();
        i = end - 1;
    }
    if (rowCount() != before)
        Q_EMIT countChanged();
}

void AlarmListModel::setNow(qint64 nowMs)
{
    m_nowMs = nowMs;
    int first = -1, last = -1;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        Row &row = m_rows[std::size_t(i)];
        QString age = ageText(nowMs - row.alarm.raisedAtMs);
        if (age != row.age) {
            row.age = std::move(age);
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first), index(last), {AgeTextRole});
}

const Alarm *AlarmListModel::alarmAt(int row) const
{
    return row >= 0 && row < rowCount() ? &m_rows[std::size_t(row)].alarm : nullptr;
}

int AlarmListModel::rowOf(qint64 id) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows[std::size_t(i)].alarm.id == id)
            return i;
    }
    return -1;
}

void AlarmListModel::setDesk(const QString &desk)
{
    if (m_desk == desk)
        return;
    m_desk = desk;
    apply();
    Q_EMIT filterChanged();
}

void AlarmListModel::setHiddenStates(const QStringList &states)
{
    if (m_hiddenStates == states)
        return;
    m_hiddenStates = states;
    apply();
    Q_EMIT filterChanged();
}

void AlarmListModel::setMinimumPriority(int priority)
{
    priority = std::clamp(priority, 1, 4);
    if (m_minimumPriority == priority)
        return;
    m_minimumPriority = priority;
    apply();
    Q_EMIT filterChanged();
}

void AlarmListModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_text == trimmed)
        return;
    m_text = trimmed;
    apply();
    Q_EMIT filterChanged();
}

int AlarmListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AlarmListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    if (role == Qt::DisplayRole)
        return typeText(row.alarm.type);
    return value(row, role);
}

QVariant AlarmListModel::value(const Row &row, int role) const
{
    const Alarm &a = row.alarm;
    switch (role) {
    case IdRole:
        return a.id;
    case TypeRole:
        return a.type;
    case TypeTextRole:
        return typeText(a.type);
    case PriorityRole:
        return a.priority;
    case StateRole:
        return alarmStateName(a.state);
    case StateTextRole:
        return stateText(a.state);
    case ActiveRole:
        return a.active;
    case AcknowledgedRole:
        return a.acknowledged;
    case SourceRole:
        return a.source;
    case DistrictRole:
        return a.district;
    case RaisedAtRole:
        return QDateTime::fromMSecsSinceEpoch(a.raisedAtMs);
    case AgeTextRole:
        return row.age;
    case AssigneeRole:
        return a.assignee;
    case DesksRole:
        return a.desks;
    case CamerasRole:
        return a.cameras;
    case MembersRole:
        return a.members;
    case MemberCountRole:
        return int(a.members.size());
    case EscalationsRole:
        return a.escalations;
    case LatitudeRole:
        return a.latitude;
    case LongitudeRole:
        return a.longitude;
    case GroupedRole:
        return a.grouped();
    case UpdatedAtRole:
        return QDateTime::fromMSecsSinceEpoch(a.updatedAtMs);
    default:
        return {};
    }
}

QVariantMap AlarmListModel::describe(const Alarm &alarm) const
{
    const Row row{alarm, ageText(m_nowMs - alarm.raisedAtMs)};
    QVariantMap map;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        map.insert(QString::fromLatin1(it.value()), value(row, it.key()));
    return map;
}

QHash<int, QByteArray> AlarmListModel::roleNames() const
{
    return {
        {IdRole, "alarmId"},
        {TypeRole, "type"},
        {TypeTextRole, "typeText"},
        {PriorityRole, "priority"},
        {StateRole, "state"},
        {StateTextRole, "stateText"},
        {ActiveRole, "active"},
        {AcknowledgedRole, "acknowledged"},
        {SourceRole, "source"},
        {DistrictRole, "district"},
        {RaisedAtRole, "raisedAt"},
        {AgeTextRole, "ageText"},
        {AssigneeRole, "assignee"},
        {DesksRole, "desks"},
        {CamerasRole, "cameras"},
        {MembersRole, "members"},
        {MemberCountRole, "memberCount"},
        {EscalationsRole, "escalations"},
        {LatitudeRole, "latitude"},
        {LongitudeRole, "longitude"},
        {GroupedRole, "grouped"},
        {UpdatedAtRole, "updatedAt"},
    };
}

} // namespace gwanje
