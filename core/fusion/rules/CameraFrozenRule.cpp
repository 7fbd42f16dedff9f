// A CCTV camera whose picture froze (its health says so) for the grace period; any other health
// clears it.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo cameraFrozen{"camera_frozen",
                                     QT_TRANSLATE_NOOP("gwanje::AlarmType", "CCTV picture frozen"),
                                     "CCTV 영상 정지",
                                     4,
                                     AlarmSubject::Infrastructure,
                                     /*latched*/ false,
                                     /*floodGroupable*/ true,
                                     /*outageMember*/ false,
                                     /*notifiesGuardians*/ false,
                                     "",
                                     /*graced*/ true};

constexpr bool frozen(qint8 status)
{
    return status == qint8(CameraState::Frozen);
}

class CameraFrozenRule final : public StatusConditionRule<EventKind::CameraHealth, frozen>
{
};

GWANJE_FUSION_RULE(CameraFrozenRule, 70, cameraFrozen)

} // namespace gwanje::rules
