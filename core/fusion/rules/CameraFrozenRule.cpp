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

class CameraFrozenRule final : public FusionRule
{
public:
    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != EventKind::CameraHealth)
            return;
        if (e.status == qint8(CameraState::Frozen))
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        else
            ctx.resolve(e.source, 0, e.sourceTimeMs);
    }
};

GWANJE_FUSION_RULE(CameraFrozenRule, 70, cameraFrozen)

} // namespace gwanje::rules
