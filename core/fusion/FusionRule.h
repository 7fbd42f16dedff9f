#pragma once

#include "alarms/AlarmType.h"
#include "assets/Asset.h"
#include "assets/SafetyDevice.h"
#include "events/Event.h"
#include "fusion/FusionConfig.h"

#include <memory>
#include <span>
#include <vector>

namespace gwanje {

class FusionEngine;
class FusionRule;

// A condition a rule keeps for one source (a camera offline, a sensor beyond its limit): it
// becomes an alarm when it has stood for the rule's grace period.
struct FusionCondition
{
    qint64 sinceMs = 0;      // source time the condition began
    qint64 clearSinceMs = 0; // since when it is on its way out (thresholds: back beyond the clear level)
    qint64 alarmId = 0;      // its own alarm, once raised
    int group = -1;          // the grouped alarm it joined
    quint32 generation = 0;
    bool raised = false;
    double latitude = 0.0, longitude = 0.0;
};

// What a rule may see and do of the engine, for its own alarm type. Conditions are per source
// and slot (a slot per configured limit for per-rule types, else 0); grace periods, grouping,
// flood, routing and restart are the engine's. Valid during the call that passed it.
class RuleContext
{
public:
    const FusionConfig &config() const;
    qint64 clockMs() const;
    // The registry's asset behind a source (null: none, e.g. a wearer's device).
    const Asset *asset(quint32 source) const;
    // The roster entry of a wearer's device (null: not a wearer's).
    const SafetyDevice *wearer(quint32 source) const;

    // A condition begins (one that stands already stays, and stops clearing) or is over.
    void begin(quint32 source, int slot, qint64 sinceMs, double latitude, double longitude);
    void resolve(quint32 source, int slot, qint64 atMs);
    const FusionCondition *condition(quint32 source, int slot) const;
    // A raised condition on its way out: resolves at atMs unless begin() comes first.
    void resolveAt(quint32 source, int slot, qint64 sinceMs, qint64 atMs);

    // Alarms about a person, raised at once (one per wearer while it stands) and cleared.
    // receivedMs: when the event arrived (0: not an event's latency); raisedBy: the event's reference.
    void raiseNow(quint32 source, double latitude, double longitude, qint64 raisedAtMs, qint64 atMs, qint64 receivedMs,
                  const QString &raisedBy = {});
    void clearNow(quint32 source, qint64 atMs);

private:
    friend class FusionEngine;
    RuleContext(FusionEngine &engine, int rule, qint64 wallNowMs)
        : m_engine(engine)
        , m_rule(rule)
        , m_wallNowMs(wallNowMs)
    {}
    FusionEngine &m_engine;
    int m_rule;
    qint64 m_wallNowMs;
};

// One alarm rule: the condition behind one alarm type. Its file (core/fusion/rules/<Name>Rule.cpp)
// also holds the type's descriptor and registers both with GWANJE_FUSION_RULE; CMake lists the
// folder, so a new rule is that file and its test (DEVELOPERS.md: "A new alarm rule"). An
// instance per engine, built from the engine's rules (FusionConfig); it may keep state per source.
class FusionRule
{
public:
    virtual ~FusionRule();

    // Conditions per source: one, or one per configured limit (thresholds); none for a rule that
    // raises its alarms at once (raiseNow: SOS, fall, safe zones).
    virtual int slots() const { return 1; }
    virtual qint64 graceMs(int slot) const;
    virtual int priority(int slot) const;
    // A per-rule type's rule name (the alarm's detail and part of its key).
    virtual QString ruleName(int /*slot*/) const { return {}; }
    // The slot a standing alarm's rule name stands for after a restart (-1: none any more).
    virtual int slotOf(const QString &ruleName) const { return ruleName.isEmpty() ? 0 : -1; }
    // Outage members: whether this rule's failure is what an asset of this kind has when it is
    // listed in a grouped outage (whose members' conditions are not stored).
    virtual bool failureOf(AssetKind /*kind*/) const { return false; }

    // The wearers' roster, with each device's source (same order).
    virtual void setRoster(std::span<const SafetyDevice> /*roster*/, std::span<const quint32> /*sources*/) {}
    // Each event, in stream order; then the batch as a whole; scan() once a second of the clock.
    virtual void event(const Event & /*e*/, RuleContext & /*ctx*/) {}
    virtual void batch(std::span<const Event> /*events*/, RuleContext & /*ctx*/) {}
    virtual void scan(RuleContext & /*ctx*/) {}

    AlarmType type() const { return m_type; }
    const FusionConfig &config() const { return *m_config; }

private:
    friend class FusionEngine;
    AlarmType m_type;
    const FusionConfig *m_config = nullptr;
};

// The two shapes most rules have. A person's moment raised at once for each event of one kind
// (SOS, fall), keeping no conditions:
template<EventKind Kind> class RaiseOnEventRule : public FusionRule
{
public:
    int slots() const override { return 0; }
    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind == Kind)
            ctx.raiseNow(e.source, e.latitude, e.longitude, e.sourceTimeMs, e.receiveTimeMs, e.receiveTimeMs,
                         eventReference(e));
    }
};

// A condition a status event of one kind tells: it begins while failing(status), and any other
// status of that kind resolves it (a camera's health, an AP's, a lamp's).
template<EventKind Kind, bool (*Failing)(qint8 status)> class StatusConditionRule : public FusionRule
{
public:
    void event(const Event &e, RuleContext &ctx) override
    {
        if (e.kind != Kind)
            return;
        if (Failing(e.status))
            ctx.begin(e.source, 0, e.sourceTimeMs, e.latitude, e.longitude);
        else
            ctx.resolve(e.source, 0, e.sourceTimeMs);
    }
};

// A rule's registration: its type, where it runs among the others, and how to build it.
struct FusionRuleEntry
{
    const AlarmTypeInfo *type;
    int order; // evaluation order on each event; also the order of alarmTypes()
    std::unique_ptr<FusionRule> (*make)();
};

// Every registered rule, by order (generated from core/fusion/rules/).
std::span<const FusionRuleEntry *const> fusionRules();

// The grouped outage's type (the engine's grouping raises it; rules/OutageRule.cpp).
AlarmType outageAlarmType();

} // namespace gwanje

// Registers the rule class `Name` of the file rules/<Name>.cpp, raising `descriptor`'s type. Used
// inside namespace gwanje::rules, where the generated list declares each entry.
#define GWANJE_FUSION_RULE(Name, order, descriptor)                                                                    \
    extern const FusionRuleEntry fusionRule_##Name;                                                                    \
    constexpr FusionRuleEntry fusionRule_##Name{&(descriptor), (order), []() -> std::unique_ptr<FusionRule> {          \
                                                    return std::make_unique<Name>();                                   \
                                                }};
