#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <array>
#include <deque>
#include <vector>

namespace gwanje {

// ISA-18.2 / EEMUA 191 figures of one desk over a window.
struct DeskKpis
{
    QString desk;
    qint64 windowMs = 0;
    int alarms = 0;                   // raised in the window
    double alarmsPer10Min = 0.0;      // average rate over the window
    int peak10Min = 0;                // most alarms in any 10 minutes of the window
    int current10Min = 0;             // alarms in the last 10 minutes
    bool inFlood = false;
    double timeInFloodPercent = 0.0;  // of the window
    int floods = 0;                   // floods begun in the window
    int chattering = 0;               // sources raising the same alarm 3+ times within a minute
    int stale = 0;                    // standing (active) for more than 24 hours
    std::array<int, 4> byPriority{};  // priorities 1..4
    QJsonObject toJson() const;
};

// Counts the alarms dispatched to each desk and tracks its flood state: a flood begins when the
// last 10 minutes hold more than `beginAbove` alarms and ends when they hold fewer than
// `endBelow`. Times are UTC ms and must not go backwards by much (late arrivals are clamped).
class AlarmKpis
{
public:
    AlarmKpis(qint64 floodWindowMs = 600'000, int beginAbove = 10, int endBelow = 5);

    // An alarm was dispatched to `desk`. Returns true when this began a flood at the desk.
    bool record(const QString &desk, qint64 atMs, int priority, const QString &type, const QString &source);
    // Advances time (flood ends when alarms age out of the window). Returns the desks whose flood ended.
    QStringList advance(qint64 nowMs);
    bool inFlood(const QString &desk) const;
    QStringList desks() const;

    // `standingSinceMs`: raise times of the alarms still active at the desk (for staleness).
    DeskKpis kpis(const QString &desk, qint64 nowMs, qint64 windowMs, const std::vector<qint64> &standingSinceMs) const;

private:
    struct Raise
    {
        qint64 atMs;
        int priority;
        QString key; // type + source
    };
    struct Desk
    {
        std::deque<Raise> raises; // kept for the longest KPI window
        std::deque<qint64> recent; // within the flood window
        bool flood = false;
        qint64 floodSinceMs = 0;
        std::vector<std::pair<qint64, qint64>> floods; // closed [begin, end)
    };
    void trim(Desk &d, qint64 nowMs);

    qint64 m_window;
    int m_beginAbove;
    int m_endBelow;
    qint64 m_keepMs = 25 * 3'600'000LL;
    QHash<QString, Desk> m_desks;
};

} // namespace gwanje
