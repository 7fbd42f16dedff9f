// The fusion rules after a restart: the open alarms the service loaded become the conditions
// and groups behind them again.
#include "FusionEngine.h"

#include "Logging.h"
#include "assets/AssetRegistry.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gwanje {

int FusionEngine::outageMemberCode(AssetKind kind) const
{
    // The failure of that kind of asset; what no rule claims counts as a camera's.
    for (AssetKind k : {kind, AssetKind::CameraSite}) {
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            if (m_rules[r]->type().info().outageMember && m_rules[r]->failureOf(k))
                return codeOf(int(r), 0);
        }
    }
    return -1;
}

void FusionEngine::resume()
{
    if (!m_alarms)
        return;
    int resumed = 0;
    for (const Alarm &a : m_alarms->alarms()) {
        if (!a.active || a.dedupKey.isEmpty())
            continue;
        const std::optional<AlarmKey> key = AlarmKey::parse(a.dedupKey);
        if (!key && a.dedupKey.startsWith(QLatin1String("flood|")))
            continue; // a grouped alarm of a type this build does not know: it stands for the operator
        auto condition = [&](const QString &source, quint16 code, int group) {
            const quint32 s = m_sources->intern(source);
            Condition c;
            c.sinceMs = a.raisedAtMs;
            c.raised = true;
            c.alarmId = group < 0 ? a.id : 0;
            c.group = group;
            c.generation = ++m_generation;
            c.latitude = a.latitude;
            c.longitude = a.longitude;
            const SourceInfo &i = info(s);
            if (infrastructureFailure(code) && i.district >= 0)
                ++m_offlineInDistrict[std::size_t(i.district)];
            m_conditions.insert(keyOf(s, code), c);
        };
        // The condition code a type and rule name stand for now (-1: none any more).
        auto codeFor = [this](AlarmType t, const QString &ruleName) -> int {
            for (std::size_t r = 0; r < m_rules.size(); ++r) {
                if (m_rules[r]->type() == t) {
                    // Rules that raise at once (SOS, fall, safe zones) keep no conditions.
                    const int slot = m_rules[r]->slotOf(ruleName);
                    return slot >= 0 && slot < m_rules[r]->slots() ? codeOf(int(r), slot) : -1;
                }
            }
            return -1;
        };
        if (key && key->kind != AlarmKey::Kind::Single) {
            const bool outage = key->kind == AlarmKey::Kind::Outage;
            Group g;
            g.alarmId = a.id;
            g.type = outage ? alarmTypeName(outageAlarmType()) : key->groupName();
            g.members = a.members;
            const int index = int(m_groups.size());
            const int floodCode = outage ? -1 : codeFor(key->type, key->rule);
            if (!outage && floodCode < 0)
                continue; // a rule since removed from the file: the alarm stands for the operator
            for (const QString &member : a.members) {
                // An outage member's kind is not stored: what failed follows from the registry.
                int code = floodCode;
                if (code < 0) {
                    const int asset = m_registry ? m_registry->indexOf(member) : -1;
                    const AssetKind kind =
                        asset >= 0 ? m_registry->assets()[std::size_t(asset)].kind : AssetKind::CameraSite;
                    code = outageMemberCode(kind);
                }
                if (code < 0)
                    continue;
                condition(member, quint16(code), index);
                ++g.standing;
            }
            if (outage) {
                g.district = -1;
                if (m_registry) {
                    for (std::size_t d = 0; d < m_registry->districts().size(); ++d) {
                        if (m_registry->districts()[d].name == a.district)
                            g.district = int(d);
                    }
                }
                if (g.district >= 0)
                    m_outageGroupOfDistrict.insert(g.district, index);
            } else {
                m_floodGroupOfType.insert(g.type, index);
            }
            m_groups.push_back(g);
        } else if (const int code = key ? codeFor(key->type, key->rule) : -1; code >= 0) {
            condition(key->subject, quint16(code), -1);
        } else {
            m_openByKey.insert(a.dedupKey, a.id); // wearer alarms: sos, fall, safe_zone_exit
        }
        m_raisedAt.insert(a.id, a.raisedAtMs);
        ++resumed;
    }
    if (resumed)
        qCInfo(lcFusion, "resumed %d standing alarms", resumed);
}

} // namespace gwanje
