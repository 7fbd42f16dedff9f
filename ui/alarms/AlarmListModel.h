#pragma once

#include "alarms/Alarm.h"

#include <QAbstractListModel>
#include <QHash>
#include <QQmlEngine>
#include <QStringList>

#include <vector>

namespace gwanje {

// The open alarms one console shows: most urgent first (priority 1 first, then newest raised
// first), filtered by desk, state, priority and text. A new snapshot is diffed against the rows
// by alarm id (inserts, removals, moves, changed data), never a reset, so the view's selection
// and scroll position stay put while alarms stream in. Owned by AlarmsFacade; GUI thread.
class AlarmListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AlarmListModel is provided by Alarms.model")
    // Only alarms dispatched to this desk (ops, police-112, fire-119, facilities, supervisor); empty: all.
    Q_PROPERTY(QString desk READ desk WRITE setDesk NOTIFY filterChanged)
    // State names (alarmStateName: unacknowledged, acknowledged, shelved, ...) not shown.
    Q_PROPERTY(QStringList hiddenStates READ hiddenStates WRITE setHiddenStates NOTIFY filterChanged)
    // The least urgent priority shown: 4 shows all, 1 only priority-1 alarms.
    Q_PROPERTY(int minimumPriority READ minimumPriority WRITE setMinimumPriority NOTIFY filterChanged)
    // Case-insensitive; matched against the type (code and text), source, district, assignee, id.
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY filterChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TypeRole,
        TypeTextRole,
        PriorityRole,
        StateRole,
        StateTextRole,
        ActiveRole,
        AcknowledgedRole,
        SourceRole,
        DistrictRole,
        RaisedAtRole,
        AgeTextRole,
        AssigneeRole,
        DesksRole,
        CamerasRole,
        MembersRole,
        MemberCountRole,
        EscalationsRole,
        LatitudeRole,
        LongitudeRole,
        GroupedRole,
        UpdatedAtRole,
    };
    Q_ENUM(Role)

    explicit AlarmListModel(QObject *parent = nullptr);

    // The open alarms (any order) and the time their age is counted to (UTC ms).
    void setAlarms(std::vector<Alarm> alarms, qint64 nowMs);
    // Moves the clock on: only the age texts that changed are signalled.
    void setNow(qint64 nowMs);
    // Every open alarm, shown or not (for counts that ignore the view's filters).
    const std::vector<Alarm> &allAlarms() const { return m_all; }
    const Alarm *alarmAt(int row) const;
    int rowOf(qint64 id) const;

    QString desk() const { return m_desk; }
    void setDesk(const QString &desk);
    QStringList hiddenStates() const { return m_hiddenStates; }
    void setHiddenStates(const QStringList &states);
    int minimumPriority() const { return m_minimumPriority; }
    void setMinimumPriority(int priority);
    QString text() const { return m_text; }
    void setText(const QString &text);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The operator's words for a type and a state (Korean through tr()).
    static QString typeText(const QString &type);
    static QString stateText(AlarmState state);
    // How long ago, coarser the older: "45 s", "12 min", "3 h 5 min", "2 d".
    static QString ageText(qint64 ageMs);
    // The role values of one alarm by role name (for Alarms.current).
    QVariantMap describe(const Alarm &alarm) const;

Q_SIGNALS:
    void filterChanged();
    void countChanged();

private:
    struct Row
    {
        Alarm alarm;
        QString age;
    };
    bool accepts(const Alarm &alarm) const;
    static bool before(const Alarm &a, const Alarm &b);
    static bool sameShown(const Alarm &a, const Alarm &b);
    void apply();
    QVariant value(const Row &row, int role) const;

    std::vector<Alarm> m_all;
    std::vector<Row> m_rows;
    qint64 m_nowMs = 0;
    QString m_desk;
    QStringList m_hiddenStates;
    int m_minimumPriority = 4;
    QString m_text;
};

} // namespace gwanje
