// A CCTV camera offline (its health says so) for the grace period; any other health clears it.
// A failing fixed asset: it counts towards its district's grouped outage.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo cameraOffline{"camera_offline",
                                      QT_TRANSLATE_NOOP("gwanje::AlarmType", "CCTV disconnected"),
                                      "CCTV 연결 끊김",
                                      3,
                                      AlarmSubject::Infrastructure,
                                      /*latched*/ false,
                                      /*floodGroupable*/ true,
                                      /*outageMember*/ true,
                                      /*notifiesGuardians*/ false,
                                      "",
                                      /*graced*/ true};

class CameraOfflineRule final : public FusionRule
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::CameraSite; }

    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != EventKind::CameraHealth)
            return;
        if (e.status == qint8(CameraState::Offline))
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        else
            ctx.resolve(e.source, 0, e.sourceTimeMs);
    }
};

GWANJE_FUSION_RULE(CameraOfflineRule, 60, cameraOffline)

} // namespace gwanje::rules
