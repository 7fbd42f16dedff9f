// Environment sensors beyond a limit of rules.json's thresholds (one condition per limit and
// sensor): the alarm comes when the value has been beyond `on` for the limit's on-delay, and
// clears when it has been back beyond `off` for the off-delay; in the deadband between, it stands.
#include "fusion/FusionRule.h"

#include <cmath>
#include <optional>

namespace gwanje::rules {

constexpr AlarmTypeInfo sensorThreshold{"sensor_threshold",
                                        QT_TRANSLATE_NOOP("gwanje::AlarmType", "Environment sensor over its limit"),
                                        "환경 센서 기준 초과",
                                        4,
                                        AlarmSubject::Environment,
                                        /*latched*/ false,
                                        /*floodGroupable*/ true,
                                        /*outageMember*/ false,
                                        /*notifiesGuardians*/ false,
                                        "",
                                        /*graced*/ false,
                                        /*perRule*/ true};

class SensorThresholdRule final : public FusionRule
{
public:
    int slots() const override { return int(config().thresholds.size()); }
    qint64 graceMs(int slot) const override { return limit(slot).onDelayMs; }
    int priority(int slot) const override { return limit(slot).priority; }
    QString ruleName(int slot) const override { return limit(slot).name; }
    int slotOf(const QString &name) const override
    {
        for (int r = 0; r < slots(); ++r) {
            if (limit(r).name == name)
                return r;
        }
        return -1;
    }

    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != EventKind::SensorReading || !std::isfinite(e.value))
            return;
        // What the source measures, when the registry knows it (a shelter's sensors measure the air).
        std::optional<SensorMedium> medium;
        if (const Asset *a = ctx.asset(e.source))
            medium = a->kind == AssetKind::Sensor ? a->medium : SensorMedium::Air;
        for (int r = 0; r < slots(); ++r) {
            const ThresholdRule &rule = limit(r);
            if (rule.quantity != e.quantity || (rule.medium && medium && *rule.medium != *medium))
                continue;
            const bool beyondOn = rule.above ? e.value > rule.on : e.value < rule.on;
            const bool beyondOff = rule.above ? e.value < rule.off : e.value > rule.off;
            const FusionCondition *c = ctx.condition(e.source, r);
            if (beyondOn) {
                ctx.begin(e.source, r, e.sourceTimeMs, e.latitude, e.longitude);
            } else if (c) {
                if (!c->raised) // not beyond the limit for the whole delay: the pending alarm is called off
                    ctx.resolve(e.source, r, e.sourceTimeMs);
                else if (beyondOff && c->clearSinceMs == 0)
                    ctx.resolveAt(e.source, r, e.sourceTimeMs, e.sourceTimeMs + rule.offDelayMs);
                else if (!beyondOff) // inside the deadband: still in alarm
                    ctx.begin(e.source, r, c->sinceMs, e.latitude, e.longitude);
            }
        }
    }

private:
    const ThresholdRule &limit(int slot) const { return config().thresholds[std::size_t(slot)]; }
};

GWANJE_FUSION_RULE(SensorThresholdRule, 100, sensorThreshold)

} // namespace gwanje::rules
