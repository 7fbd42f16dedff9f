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

class ApOfflineRule final : public FusionRule
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::WifiAp; }

    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != EventKind::ApStatus)
            return;
        if (e.status == 0)
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        else
            ctx.resolve(e.source, 0, e.sourceTimeMs);
    }
};

GWANJE_FUSION_RULE(ApOfflineRule, 80, apOffline)

} // namespace gwanje::rules
