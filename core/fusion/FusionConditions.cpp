// The fusion rules' conditions: when one begins and resolves, when its grace period is over,
// how failures of one district become one outage and technical alarms of a desk in flood one
// grouped alarm, silent devices, and the escalation of unacknowledged priority-1 alarms.
#include "FusionEngine.h"

#include "Logging.h"
#include "assets/AssetRegistry.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gwanje {

void FusionEngine::begin(quint32 source, quint16 code, qint64 sinceMs, double latitude, double longitude)
{
    const quint64 key = keyOf(source, code);
    auto it = m_conditions.find(key);
    if (it != m_conditions.end()) {
        it->clearSinceMs = 0; // a threshold back beyond its limit before the clear delay ran out
        return;
    }
    Condition c;
    c.sinceMs = sinceMs;
    c.generation = ++m_generation;
    SourceInfo &i = info(source);
    if (i.asset >= 0) {
        const Asset &asset = m_registry->assets()[std::size_t(i.asset)];
        c.latitude = asset.latitude;
        c.longitude = asset.longitude;
    } else {
        c.latitude = latitude;
        c.longitude = longitude;
    }
    if (infrastructureFailure(code) && i.district >= 0) {
        ++m_offlineInDistrict[std::size_t(i.district)];
        std::deque<qint64> &recent = m_recentFailures[std::size_t(i.district)];
        recent.push_back(sinceMs);
        while (!recent.empty() && recent.front() < m_clockMs - m_failureKeepMs)
            recent.pop_front();
    }
    m_conditions.insert(key, c);
    m_due.push({sinceMs + graceOf(code), key, c.generation});
}

void FusionEngine::resolve(quint32 source, quint16 code, qint64 atMs)
{
    const quint64 key = keyOf(source, code);
    auto it = m_conditions.find(key);
    if (it == m_conditions.end())
        return;
    const Condition c = *it;
    m_conditions.erase(it);
    const SourceInfo &i = info(source);
    if (infrastructureFailure(code) && i.district >= 0)
        --m_offlineInDistrict[std::size_t(i.district)];
    if (c.group >= 0) {
        Group &g = m_groups[std::size_t(c.group)];
        if (--g.standing <= 0 && g.open) {
            g.open = false;
            if (command(g.alarmId, AlarmAction::Clear, atMs))
                ++m_counters.cleared;
            if (g.district >= 0)
                m_outageGroupOfDistrict.remove(g.district);
            else
                m_floodGroupOfType.remove(g.type);
        }
    } else if (c.raised && c.alarmId) {
        if (command(c.alarmId, AlarmAction::Clear, atMs))
            ++m_counters.cleared;
    }
}

void FusionEngine::raiseDue(std::vector<quint64> &keys)
{
    // Outages first gathered by district, so a cut fibre becomes one alarm with its members.
    QHash<int, std::vector<quint64>> outagesByDistrict;
    for (quint64 key : keys) {
        const quint32 source = sourceOfKey(key);
        const quint16 code = codeOfKey(key);
        const SourceInfo &i = info(source);
        if (infrastructureFailure(code) && i.district >= 0 &&
            (m_outageGroupOfDistrict.contains(i.district) || failedTogether(i.district, m_conditions[key].sinceMs))) {
            outagesByDistrict[i.district].push_back(key);
            continue;
        }
        Condition &c = m_conditions[key];
        const CodeInfo &rule = codeInfo(code);
        const QString type = alarmTypeName(rule.rule->type());
        const int priority = rule.rule->priority(rule.slot);
        const QString detail = rule.rule->ruleName(rule.slot); // per-rule types: the limit's name
        // A desk in flood: technical alarms of one type join one grouped alarm.
        const int district = i.district >= 0 ? i.district : districtAt(c.latitude, c.longitude);
        const QStringList desks = m_config.desksFor(type, priority, districtName(district));
        // The alarm a condition of this source stands for (on its own or first of a group).
        auto conditionAlarm = [&] {
            Alarm a;
            a.type = type;
            a.priority = priority;
            a.source = m_sources->id(source);
            a.latitude = c.latitude;
            a.longitude = c.longitude;
            a.raisedAtMs = c.sinceMs;
            a.district = districtName(district);
            return a;
        };
        const bool flooded =
            alarmTypeInfo(alarmTypeOf(code)).floodGroupable && priority > 1 &&
            std::any_of(desks.begin(), desks.end(), [this](const QString &d) { return m_kpis.inFlood(d); });
        if (flooded) {
            // One group per type (and threshold rule: what a member's condition is must be known).
            const AlarmKey groupKey{AlarmKey::Kind::Flood, alarmTypeOf(code), {}, detail};
            const QString floodKey = groupKey.groupName();
            int g = m_floodGroupOfType.value(floodKey, -1);
            if (g < 0) {
                Group group;
                group.type = floodKey;
                Alarm a = conditionAlarm();
                a.members = {a.source};
                a.detail = detail.isEmpty() ? QStringLiteral("grouped during an alarm flood") : detail;
                a.dedupKey = groupKey.toString();
                group.alarmId = raise(a, c.sinceMs + graceOf(code));
                group.members = a.members;
                g = int(m_groups.size());
                m_groups.push_back(group);
                m_floodGroupOfType.insert(floodKey, g);
            } else {
                m_groups[std::size_t(g)].members.append(m_sources->id(source));
                m_groups[std::size_t(g)].membersDirty = true;
            }
            ++m_groups[std::size_t(g)].standing;
            c.group = g;
            c.raised = true;
            ++m_counters.grouped;
            ++m_counters.floodGrouped;
            continue;
        }
        Alarm a = conditionAlarm();
        a.detail = detail;
        a.dedupKey = AlarmKey{AlarmKey::Kind::Single, alarmTypeOf(code), a.source, detail}.toString();
        c.alarmId = raise(a, std::max(c.sinceMs + graceOf(code), c.sinceMs));
        c.raised = true;
    }
    for (auto it = outagesByDistrict.begin(); it != outagesByDistrict.end(); ++it) {
        const int district = it.key();
        int g = m_outageGroupOfDistrict.value(district, -1);
        QStringList joined;
        double lat = 0, lon = 0;
        qint64 since = std::numeric_limits<qint64>::max();
        qint64 due = std::numeric_limits<qint64>::max(); // the first member's grace ran out
        for (quint64 key : *it) {
            Condition &c = m_conditions[key];
            due = std::min(due, c.sinceMs + graceOf(codeOfKey(key)));
            joined.append(m_sources->id(sourceOfKey(key)));
            lat += c.latitude;
            lon += c.longitude;
            since = std::min(since, c.sinceMs);
        }
        if (g < 0) {
            Group group;
            group.type = alarmTypeName(outageAlarmType());
            group.district = district;
            group.members = joined;
            Alarm a;
            a.type = group.type;
            a.priority = m_config.priorityOf(group.type);
            a.source = districtName(district);
            a.district = a.source;
            a.latitude = lat / double(it->size());
            a.longitude = lon / double(it->size());
            a.raisedAtMs = since;
            a.members = joined;
            a.detail = QStringLiteral("%1 fixed assets offline together").arg(joined.size());
            a.dedupKey = AlarmKey{AlarmKey::Kind::Outage, outageAlarmType(), a.district, {}}.toString();
            group.alarmId = raise(a, due);
            g = int(m_groups.size());
            m_groups.push_back(group);
            m_outageGroupOfDistrict.insert(district, g);
        } else {
            m_groups[std::size_t(g)].members.append(joined);
            m_groups[std::size_t(g)].membersDirty = true;
        }
        for (quint64 key : *it) {
            Condition &c = m_conditions[key];
            c.group = g;
            c.raised = true;
            ++m_groups[std::size_t(g)].standing;
        }
        m_counters.grouped += it->size();
    }
}

bool FusionEngine::failedTogether(int district, qint64 sinceMs) const
{
    // A cut fibre or a storm: enough of the district's assets failed within the window of this
    // one. Failures spread over hours (a district's hundreds of APs each fail now and then) are
    // not one incident, however many stand at once.
    if (m_offlineInDistrict[std::size_t(district)] < m_config.groupMinMembers)
        return false;
    int together = 0;
    for (qint64 t : m_recentFailures[std::size_t(district)]) {
        if (std::abs(t - sinceMs) <= m_config.groupWindowMs && ++together >= m_config.groupMinMembers)
            return true;
    }
    return false;
}

void FusionEngine::flushGroups()
{
    for (Group &g : m_groups) {
        if (!g.membersDirty)
            continue;
        g.membersDirty = false;
        if (g.open)
            command(g.alarmId, AlarmAction::UpdateMembers, m_clockMs, QString::number(g.members.size()), g.members);
    }
}

void FusionEngine::escalate()
{
    if (m_config.escalateAfterMs <= 0)
        return;
    std::vector<std::pair<qint64, AlarmAction>> due;
    for (const Alarm &a : m_alarms->alarms()) {
        if (a.priority != 1 || a.state != AlarmState::Unacknowledged) {
            m_lastReminder.remove(a.id);
            continue;
        }
        const qint64 raisedAt = m_raisedAt.value(a.id, a.raisedAtMs);
        if (a.escalations == 0) {
            if (raisedAt + m_config.escalateAfterMs <= m_clockMs)
                due.emplace_back(a.id, AlarmAction::Escalate);
        } else if (m_lastReminder.value(a.id, raisedAt) + m_config.remindEveryMs <= m_clockMs) {
            due.emplace_back(a.id, AlarmAction::Remind);
        }
    }
    for (const auto &[id, action] : due) {
        if (!command(id, action, m_clockMs,
                     action == AlarmAction::Escalate ? QStringLiteral("not acknowledged in time")
                                                     : QStringLiteral("still not acknowledged")))
            continue;
        m_lastReminder.insert(id, m_clockMs);
        if (action == AlarmAction::Escalate) {
            ++m_counters.escalations;
            m_kpis.record(m_config.escalationDesk, m_clockMs, 1, QStringLiteral("escalation"), QString::number(id));
            qCInfo(lcFusion, "alarm %lld escalated to %s", static_cast<long long>(id),
                   qUtf8Printable(m_config.escalationDesk));
        } else {
            ++m_counters.reminders;
        }
    }
}

} // namespace gwanje
