// What the fusion rules say about themselves: KPIs per desk, latency, counters.
#include "FusionEngine.h"

#include "Logging.h"
#include "assets/AssetRegistry.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gwanje {

std::vector<DeskKpis> FusionEngine::kpis() const
{
    // The panel asks with every change of the alarms (many a second in a flood) under the
    // engine's lock: figures per 10 minutes need not be fresher than a second of the clock.
    const quint64 raised = m_counters.raised + m_counters.escalations;
    if (m_kpiCacheRaised == raised && m_clockMs >= m_kpiCacheClockMs && m_clockMs - m_kpiCacheClockMs < 1000)
        return m_kpiCache;
    std::vector<DeskKpis> out;
    QStringList desks = m_kpis.desks();
    for (const RouteRule &r : m_config.routes) {
        for (const QString &d : r.desks) {
            if (!desks.contains(d))
                desks.append(d);
        }
    }
    if (!desks.contains(m_config.escalationDesk))
        desks.append(m_config.escalationDesk);
    desks.sort();
    for (const QString &desk : desks) {
        std::vector<qint64> standing;
        if (m_alarms) {
            for (const Alarm &a : m_alarms->alarms()) {
                if (a.active && a.dispatchedTo(desk))
                    standing.push_back(a.raisedAtMs);
            }
        }
        out.push_back(m_kpis.kpis(desk, m_clockMs, m_config.kpiWindowMs, standing));
    }
    m_kpiCache = out;
    m_kpiCacheClockMs = m_clockMs;
    m_kpiCacheRaised = raised;
    return out;
}

QJsonObject FusionEngine::latencyReport() const
{
    std::vector<float> v = m_latencies;
    if (v.empty())
        return QJsonObject{{QStringLiteral("count"), 0}};
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return double(v[std::min(v.size() - 1, std::size_t(q * double(v.size())))]);
    };
    return QJsonObject{{QStringLiteral("count"), double(v.size())},
                       {QStringLiteral("p50"), at(0.50)},
                       {QStringLiteral("p99"), at(0.99)},
                       {QStringLiteral("max"), double(v.back())}};
}

QJsonObject FusionEngine::report() const
{
    const FusionCounters &c = m_counters;
    return QJsonObject{
        {QStringLiteral("raised"), double(c.raised)},
        {QStringLiteral("cleared"), double(c.cleared)},
        {QStringLiteral("duplicates_dropped"), double(c.duplicates)},
        {QStringLiteral("repeats"), double(c.repeats)},
        {QStringLiteral("grouped"), double(c.grouped)},
        {QStringLiteral("flood_grouped"), double(c.floodGrouped)},
        {QStringLiteral("escalations"), double(c.escalations)},
        {QStringLiteral("reminders"), double(c.reminders)},
        {QStringLiteral("notifications_requested"), double(c.notifications)},
        {QStringLiteral("clock_outliers"), double(c.clockOutliers)},
        {QStringLiteral("unsaved"), double(c.unsaved)},
        {QStringLiteral("pending_conditions"), double(m_conditions.size())},
    };
}

} // namespace gwanje
