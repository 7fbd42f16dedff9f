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

constexpr bool offline(qint8 status)
{
    return status == qint8(CameraState::Offline);
}

class CameraOfflineRule final : public StatusConditionRule<EventKind::CameraHealth, offline>
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::CameraSite; }
};

GWANJE_FUSION_RULE(CameraOfflineRule, 60, cameraOffline)

} // namespace gwanje::rules
