// Fall: a wearer's device detected a fall. Like SOS, a priority-1 alarm at once, latched, with the
// cameras that can see the spot; guardians are told only if rules.json's notifications say so.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo fall{"fall",
                             QT_TRANSLATE_NOOP("gwanje::AlarmType", "Fall"),
                             "낙상",
                             1,
                             AlarmSubject::Person,
                             /*latched*/ true,
                             /*floodGroupable*/ false,
                             /*outageMember*/ false,
                             /*notifiesGuardians*/ false,
                             "낙상 감지"};

class FallRule final : public RaiseOnEventRule<EventKind::Fall>
{
};

GWANJE_FUSION_RULE(FallRule, 20, fall)

} // namespace gwanje::rules
