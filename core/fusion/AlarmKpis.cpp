#include "AlarmKpis.h"

#include <QJsonArray>

#include <algorithm>

namespace gwanje {

namespace {
constexpr qint64 tenMinutesMs = 600'000;
constexpr qint64 chatterWindowMs = 60'000;
constexpr int chatterCount = 3;
constexpr qint64 staleMs = 24 * 3'600'000LL;
} // namespace

QJsonObject DeskKpis::toJson() const
{
    return QJsonObject{
        {QStringLiteral("desk"), desk},
        {QStringLiteral("window_s"), double(windowMs / 1000)},
        {QStringLiteral("alarms"), alarms},
        {QStringLiteral("alarms_per_10min"), alarmsPer10Min},
        {QStringLiteral("peak_10min"), peak10Min},
        {QStringLiteral("current_10min"), current10Min},
        {QStringLiteral("in_flood"), inFlood},
        {QStringLiteral("time_in_flood_percent"), timeInFloodPercent},
        {QStringLiteral("floods"), floods},
        {QStringLiteral("chattering"), chattering},
        {QStringLiteral("stale"), stale},
        {QStringLiteral("priority_mix"), QJsonArray{byPriority[0], byPriority[1], byPriority[2], byPriority[3]}},
    };
}

AlarmKpis::AlarmKpis(qint64 floodWindowMs, int beginAbove, int endBelow)
    : m_window(floodWindowMs)
    , m_beginAbove(beginAbove)
    , m_endBelow(endBelow)
{}

void AlarmKpis::trim(Desk &d, qint64 nowMs)
{
    while (!d.recent.empty() && d.recent.front() <= nowMs - m_window)
        d.recent.pop_front();
    while (!d.raises.empty() && d.raises.front().atMs <= nowMs - m_keepMs)
        d.raises.pop_front();
    std::erase_if(d.floods, [&](const auto &f) { return f.second <= nowMs - m_keepMs; });
}

bool AlarmKpis::record(const QString &desk, qint64 atMs, int priority, const QString &type, const QString &source)
{
    if (m_startMs == 0)
        m_startMs = atMs;
    Desk &d = m_desks[desk];
    // Late arrivals are counted as now: the windows stay sorted.
    if (!d.raises.empty())
        atMs = std::max(atMs, d.raises.back().atMs);
    d.raises.push_back({atMs, std::clamp(priority, 1, 4), type + QLatin1Char('\x1f') + source});
    d.recent.push_back(atMs);
    trim(d, atMs);
    if (!d.flood && int(d.recent.size()) > m_beginAbove) {
        d.flood = true;
        d.floodSinceMs = atMs;
        return true;
    }
    return false;
}

QStringList AlarmKpis::advance(qint64 nowMs)
{
    if (m_startMs == 0)
        m_startMs = nowMs;
    QStringList ended;
    for (auto it = m_desks.begin(); it != m_desks.end(); ++it) {
        Desk &d = *it;
        trim(d, nowMs);
        if (d.flood && int(d.recent.size()) < m_endBelow) {
            d.flood = false;
            d.floods.emplace_back(d.floodSinceMs, nowMs);
            ended.append(it.key());
        }
    }
    return ended;
}

bool AlarmKpis::inFlood(const QString &desk) const
{
    const auto it = m_desks.constFind(desk);
    return it != m_desks.cend() && it->flood;
}

QStringList AlarmKpis::desks() const
{
    QStringList out = m_desks.keys();
    out.sort();
    return out;
}

DeskKpis AlarmKpis::kpis(const QString &desk, qint64 nowMs, qint64 windowMs,
                         const std::vector<qint64> &standingSinceMs) const
{
    DeskKpis k;
    k.desk = desk;
    k.windowMs = windowMs;
    for (qint64 since : standingSinceMs)
        k.stale += since <= nowMs - staleMs;
    const auto it = m_desks.constFind(desk);
    if (it == m_desks.cend() || windowMs <= 0)
        return k;
    const Desk &d = *it;
    // A console that has run for less than the window is measured over the time it has run.
    if (m_startMs > 0 && nowMs - m_startMs < windowMs)
        windowMs = std::max<qint64>(nowMs - m_startMs, tenMinutesMs);
    k.windowMs = windowMs;
    const qint64 from = nowMs - windowMs;
    std::vector<const Raise *> in;
    for (const Raise &r : d.raises) {
        if (r.atMs > from && r.atMs <= nowMs)
            in.push_back(&r);
    }
    k.alarms = int(in.size());
    k.alarmsPer10Min = double(k.alarms) * double(tenMinutesMs) / double(windowMs);
    // Peak: the most raises in any 10 minutes (two pointers over the sorted times).
    std::size_t first = 0;
    QHash<QString, std::vector<qint64>> byKey;
    for (std::size_t i = 0; i < in.size(); ++i) {
        while (in[i]->atMs - in[first]->atMs >= tenMinutesMs)
            ++first;
        k.peak10Min = std::max(k.peak10Min, int(i - first + 1));
        k.current10Min += in[i]->atMs > nowMs - tenMinutesMs;
        ++k.byPriority[std::size_t(in[i]->priority - 1)];
        byKey[in[i]->key].push_back(in[i]->atMs);
    }
    // Chattering: the same alarm of the same source raised 3 or more times within a minute.
    for (const std::vector<qint64> &times : std::as_const(byKey)) {
        for (std::size_t i = 0; i + chatterCount - 1 < times.size(); ++i) {
            if (times[i + chatterCount - 1] - times[i] <= chatterWindowMs) {
                ++k.chattering;
                break;
            }
        }
    }
    k.inFlood = d.flood;
    qint64 flooded = 0;
    auto overlap = [&](qint64 a, qint64 b) {
        return std::max<qint64>(0, std::min(b, nowMs) - std::max(a, from));
    };
    for (const auto &[a, b] : d.floods) {
        flooded += overlap(a, b);
        k.floods += a > from;
    }
    if (d.flood) {
        flooded += overlap(d.floodSinceMs, nowMs);
        k.floods += d.floodSinceMs > from;
    }
    k.timeInFloodPercent = 100.0 * double(flooded) / double(windowMs);
    return k;
}

} // namespace gwanje
