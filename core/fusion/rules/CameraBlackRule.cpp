// A CCTV camera whose picture is black (a covered or sprayed lens, a dead sensor, no light at
// all) for the grace period; any other health clears it. The console's own tiles judge it
// (PictureHealthSource), as a camera's health feed may.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo cameraBlack{"camera_black",
                                    QT_TRANSLATE_NOOP("gwanje::AlarmType", "CCTV picture black"),
                                    "CCTV 영상 검은 화면",
                                    4,
                                    AlarmSubject::Infrastructure,
                                    /*latched*/ false,
                                    /*floodGroupable*/ true,
                                    /*outageMember*/ false,
                                    /*notifiesGuardians*/ false,
                                    "",
                                    /*graced*/ true};

constexpr bool black(qint8 status)
{
    return status == qint8(CameraState::Black);
}

class CameraBlackRule final : public StatusConditionRule<EventKind::CameraHealth, black>
{
};

GWANJE_FUSION_RULE(CameraBlackRule, 71, cameraBlack)

} // namespace gwanje::rules
