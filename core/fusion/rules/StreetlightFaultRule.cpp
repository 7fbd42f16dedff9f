// A streetlight reporting a fault (lamp, lantern, column); lit or switched off clears it. The
// lamp reports its own fault, so the shipped grace is 0. A failing fixed asset: it counts towards
// its district's grouped outage.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo streetlightFault{"streetlight_fault",
                                         QT_TRANSLATE_NOOP("gwanje::AlarmType", "Streetlight fault"),
                                         "가로등 고장",
                                         4,
                                         AlarmSubject::Infrastructure,
                                         /*latched*/ false,
                                         /*floodGroupable*/ true,
                                         /*outageMember*/ true,
                                         /*notifiesGuardians*/ false,
                                         "",
                                         /*graced*/ true};

constexpr bool faulty(qint8 status)
{
    return status != qint8(LampState::Ok) && status != qint8(LampState::Off); // lit or switched off: fine
}

class StreetlightFaultRule final : public StatusConditionRule<EventKind::StreetlightStatus, faulty>
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::Streetlight; }
};

GWANJE_FUSION_RULE(StreetlightFaultRule, 90, streetlightFault)

} // namespace gwanje::rules
