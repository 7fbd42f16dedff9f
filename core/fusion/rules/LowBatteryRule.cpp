// Low battery, from whatever a device reports with a battery level: an alarm at once at or below
// rules.json's battery.low_percent, cleared at or above clear_percent (no chatter in between).
#include "fusion/FusionRule.h"

#include <cmath>

namespace gwanje::rules {

constexpr AlarmTypeInfo lowBattery{"low_battery",
                                   QT_TRANSLATE_NOOP("gwanje::AlarmType", "Low battery"),
                                   "배터리 부족",
                                   4,
                                   AlarmSubject::WearerDevice,
                                   /*latched*/ false,
                                   /*floodGroupable*/ true,
                                   /*outageMember*/ false,
                                   /*notifiesGuardians*/ false,
                                   ""};

class LowBatteryRule final : public FusionRule
{
public:
    void event(const Event &e, RuleContext &ctx) override
    {
        if (!std::isfinite(e.battery))
            return;
        if (e.source >= m_low.size())
            m_low.resize(std::size_t(e.source) + 1024, false);
        if (!m_low[e.source] && e.battery <= config().lowBatteryPercent) {
            m_low[e.source] = true;
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        } else if (m_low[e.source] && e.battery >= config().lowBatteryClearPercent) {
            m_low[e.source] = false;
            ctx.resolve(e.source, 0, e.sourceTimeMs);
        }
    }

private:
    std::vector<bool> m_low; // by source
};

GWANJE_FUSION_RULE(LowBatteryRule, 50, lowBattery)

} // namespace gwanje::rules
