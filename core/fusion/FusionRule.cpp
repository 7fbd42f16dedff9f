// The rules' defaults and what a rule may do of the engine (RuleContext).
#include "FusionRule.h"

#include "FusionEngine.h"
#include "assets/AssetRegistry.h"

namespace gwanje {

FusionRule::~FusionRule() = default;

qint64 FusionRule::graceMs(int /*slot*/) const
{
    return m_type.info().graced ? config().graceOf(m_type.name()) : 0;
}

int FusionRule::priority(int /*slot*/) const
{
    return config().priorityOf(m_type.name());
}

const FusionConfig &RuleContext::config() const
{
    return m_engine.m_config;
}

qint64 RuleContext::clockMs() const
{
    return m_engine.m_clockMs;
}

const Asset *RuleContext::asset(quint32 source) const
{
    const int index = m_engine.info(source).asset;
    return index >= 0 ? &m_engine.m_registry->assets()[std::size_t(index)] : nullptr;
}

const SafetyDevice *RuleContext::wearer(quint32 source) const
{
    if (source >= m_engine.m_info.size())
        return nullptr; // never looked up: not on the roster (setRoster looks each one up)
    const int device = m_engine.m_info[source].device;
    return device >= 0 ? &m_engine.m_roster[std::size_t(device)] : nullptr;
}

void RuleContext::begin(quint32 source, int slot, qint64 sinceMs, double latitude, double longitude)
{
    m_engine.begin(source, m_engine.codeOf(m_rule, slot), sinceMs, latitude, longitude);
}

void RuleContext::resolve(quint32 source, int slot, qint64 atMs)
{
    m_engine.resolve(source, m_engine.codeOf(m_rule, slot), atMs);
}

const FusionCondition *RuleContext::condition(quint32 source, int slot) const
{
    const auto it = m_engine.m_conditions.constFind(FusionEngine::keyOf(source, m_engine.codeOf(m_rule, slot)));
    return it == m_engine.m_conditions.cend() ? nullptr : &*it;
}

void RuleContext::resolveAt(quint32 source, int slot, qint64 sinceMs, qint64 atMs)
{
    const quint64 key = FusionEngine::keyOf(source, m_engine.codeOf(m_rule, slot));
    const auto it = m_engine.m_conditions.find(key);
    if (it == m_engine.m_conditions.end())
        return;
    it->clearSinceMs = sinceMs;
    it->generation = ++m_engine.m_generation;
    m_engine.m_due.push({atMs, key, it->generation});
}

void RuleContext::raiseNow(quint32 source, double latitude, double longitude, qint64 raisedAtMs, qint64 atMs,
                           qint64 receivedMs, const QString &raisedBy)
{
    m_engine.wearerAlarm(m_engine.m_rules[std::size_t(m_rule)]->type(), source, latitude, longitude, raisedAtMs, atMs,
                         receivedMs, m_wallNowMs, raisedBy);
}

void RuleContext::clearNow(quint32 source, qint64 atMs)
{
    m_engine.clearWearerAlarm(m_engine.m_rules[std::size_t(m_rule)]->type(), source, atMs);
}

} // namespace gwanje
