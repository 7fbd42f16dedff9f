// A u-Shelter's display or link down (its DeviceOffline) for the grace period; DeviceOnline
// clears it. A failing fixed asset: it counts towards its district's grouped outage.
#include "fusion/FusionRule.h"

namespace gwanje::rules {

constexpr AlarmTypeInfo shelterOffline{"shelter_offline",
                                       QT_TRANSLATE_NOOP("gwanje::AlarmType", "u-Shelter display down"),
                                       "u-쉘터 안내화면 장애",
                                       4,
                                       AlarmSubject::Infrastructure,
                                       /*latched*/ false,
                                       /*floodGroupable*/ true,
                                       /*outageMember*/ true,
                                       /*notifiesGuardians*/ false,
                                       "",
                                       /*graced*/ true};

class ShelterOfflineRule final : public FusionRule
{
public:
    bool failureOf(AssetKind kind) const override { return kind == AssetKind::Shelter; }

    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != EventKind::DeviceOffline && e.kind != EventKind::DeviceOnline)
            return;
        const Asset *asset = ctx.asset(e.source);
        if (!asset || asset->kind != AssetKind::Shelter)
            return;
        if (e.kind == EventKind::DeviceOffline)
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        else
            ctx.resolve(e.source, 0, e.sourceTimeMs);
    }
};

GWANJE_FUSION_RULE(ShelterOfflineRule, 45, shelterOffline)

} // namespace gwanje::rules
