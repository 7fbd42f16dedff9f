// SOS: a wearer pressed the emergency button. A priority-1 alarm at once, one per wearer while it
// stands (latched: it stays until an operator closes it), with the cameras that can see the spot
// and a text to each guardian.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo sos{"sos",
                            QT_TRANSLATE_NOOP("gwanje::AlarmType", "SOS emergency call"),
                            "SOS 긴급호출",
                            1,
                            AlarmSubject::Person,
                            /*latched*/ true,
                            /*floodGroupable*/ false,
                            /*outageMember*/ false,
                            /*notifiesGuardians*/ true,
                            "긴급호출(SOS)"};

class SosRule final : public RaiseOnEventRule<EventKind::Sos>
{
};

GWANJE_FUSION_RULE(SosRule, 10, sos)

} // namespace gwanje::rules
