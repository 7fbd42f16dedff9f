// Safe zones: a wearer who leaves all of their safe zones (past the hysteresis, for the dwell
// time: GeofenceMonitor) raises an alarm; coming back clears it.
#include "fusion/FusionRule.h"
#include "fusion/GeofenceMonitor.h"

#include <optional>

namespace gwanje::rules {

constexpr AlarmTypeInfo safeZoneExit{"safe_zone_exit",
                                     QT_TRANSLATE_NOOP("gwanje::AlarmType", "Left the safe zone"),
                                     "안심구역 이탈",
                                     2,
                                     AlarmSubject::Person,
                                     /*latched*/ false,
                                     /*floodGroupable*/ false,
                                     /*outageMember*/ false,
                                     /*notifiesGuardians*/ true,
                                     "안심구역 이탈"};

class SafeZoneExitRule final : public FusionRule
{
public:
    int slots() const override { return 0; } // raised at once
    void setRoster(std::span<const SafetyDevice> roster, std::span<const quint32> sources) override
    {
        for (std::size_t i = 0; i < roster.size(); ++i)
            monitor().setZones(sources[i], roster[i].safeZones);
    }

    void batch(std::span<const Event> events, RuleContext &ctx) override
    {
        m_transitions.clear();
        monitor().apply(events, m_transitions);
        for (const GeofenceTransition &t : m_transitions) {
            // The confirming fix raised it: its latency is that fix's.
            if (t.kind == GeofenceTransition::Kind::Exit)
                ctx.raiseNow(t.source, t.latitude, t.longitude, t.crossedMs, t.confirmedMs, 0);
            else
                ctx.clearNow(t.source, t.confirmedMs);
        }
    }

private:
    GeofenceMonitor &monitor()
    {
        if (!m_monitor)
            m_monitor.emplace(config().geofence);
        return *m_monitor;
    }

    std::optional<GeofenceMonitor> m_monitor;
    std::vector<GeofenceTransition> m_transitions;
};

GWANJE_FUSION_RULE(SafeZoneExitRule, 30, safeZoneExit)

} // namespace gwanje::rules
