// A public WiFi access point down (its status 0) for the grace period; up again clears it. A
// failing fixed asset: it counts towards its district's grouped outage.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo apOffline{"ap_offline",
                                  QT_TRANSLATE_NOOP("gwanje::AlarmType", "WiFi AP failure"),
                                  "WiFi AP 장애",
                                  4,
                                  AlarmSubject::Infrastructure,
                                  /*latched*/ false,
                                  /*floodGroupable*/ true,
                                  /*outageMember*/ true,
                                  /*notifiesGuardians*/ false,
                                  "",
                                  /*graced*/ true};

constexpr bool down(qint8 status)
{
    return status == 0;
}

class ApOfflineRule final : public StatusConditionRule<EventKind::ApStatus, down>
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::WifiAp; }
};

GWANJE_FUSION_RULE(ApOfflineRule, 80, apOffline)

} // namespace gwanje::rules
