// A wearer's device offline: it said so (DeviceOffline), or nothing was heard from it for
// rules.json's grace.device_silent_s (a flat or smashed device says nothing). An alarm after the
// grace period; anything heard from the device again clears it.
#include "fusion/FusionRule.h"

#include <algorithm>
#include <cmath>

namespace gwanje::rules {

constexpr AlarmTypeInfo deviceOffline{"device_offline",
                                      QT_TRANSLATE_NOOP("gwanje::AlarmType", "Device disconnected"),
                                      "단말 연결 끊김",
                                      3,
                                      AlarmSubject::WearerDevice,
                                      /*latched*/ false,
                                      /*floodGroupable*/ true,
                                      /*outageMember*/ false,
                                      /*notifiesGuardians*/ false,
                                      "",
                                      /*graced*/ true};

class DeviceOfflineRule final : public FusionRule
{
public:
    void setRoster(std::span<const SafetyDevice> /*roster*/, std::span<const quint32> sources) override
    {
        m_roster.assign(sources.begin(), sources.end());
    }

    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind == EventKind::DeviceOffline || e.kind == EventKind::DeviceOnline) {
            const Asset *asset = ctx.asset(e.source);
            if (!asset || asset->kind != AssetKind::Shelter) { // a shelter's: ShelterOfflineRule's
                state(e.source).offline = e.kind == EventKind::DeviceOffline;
                if (e.kind == EventKind::DeviceOffline)
                    ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
                else
                    ctx.resolve(e.source, 0, e.sourceTimeMs);
            }
        }
        // A wearer's device heard from again: not offline (a fix after an outage says so too).
        if (e.kind != EventKind::DeviceOffline && ctx.wearer(e.source)) {
            State &s = state(e.source);
            s.lastSeenMs = std::max(s.lastSeenMs, e.sourceTimeMs);
            if (s.offline && e.kind != EventKind::DeviceOnline) {
                s.offline = false;
                ctx.resolve(e.source, 0, e.sourceTimeMs);
            }
        }
    }

    void scan(RuleContext &ctx) override
    {
        for (quint32 source : m_roster) {
            State &s = state(source);
            if (!s.offline && s.lastSeenMs > 0 && s.lastSeenMs + config().deviceSilentMs <= ctx.clockMs()) {
                s.offline = true;
                ctx.begin(source, 0, s.lastSeenMs, std::nan(""), std::nan(""));
            }
        }
    }

private:
    struct State
    {
        bool offline = false;  // its last word was offline, or it has been silent too long
        qint64 lastSeenMs = 0; // wearers: newest source time heard from the device
    };
    State &state(quint32 source)
    {
        if (source >= m_state.size())
            m_state.resize(std::size_t(source) + 1024);
        return m_state[source];
    }

    std::vector<State> m_state; // by source
    std::vector<quint32> m_roster;
};

GWANJE_FUSION_RULE(DeviceOfflineRule, 40, deviceOffline)

} // namespace gwanje::rules
