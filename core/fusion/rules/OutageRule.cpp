// A grouped outage: when enough fixed assets of one district (the outage members: CCTV, WiFi,
// shelters, streetlights) fail together, they stand as one alarm listing its members (a cut
// fibre is one incident, not 500 alarms). The grouping is the engine's (FusionConditions.cpp);
// this file declares the type.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo outage{"outage",
                               QT_TRANSLATE_NOOP("gwanje::AlarmType", "Grouped outage"),
                               "집단 장애",
                               2,
                               AlarmSubject::Group,
                               /*latched*/ false,
                               /*floodGroupable*/ false,
                               /*outageMember*/ false,
                               /*notifiesGuardians*/ false,
                               ""};

class OutageRule final : public FusionRule
{
public:
    int slots() const override { return 0; } // the engine's groups, not conditions of its own
};

GWANJE_FUSION_RULE(OutageRule, 110, outage)

} // namespace gwanje::rules

gwanje::AlarmType gwanje::outageAlarmType()
{
    return AlarmType(rules::outage);
}
