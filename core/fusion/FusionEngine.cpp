#include "FusionEngine.h"

#include "Logging.h"
#include "assets/AssetRegistry.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gwanje {

namespace {
constexpr qint64 clockSlackMs = 3'600'000; // a source clock this far ahead of the stream is not believed
constexpr std::size_t latencyRing = 100'000;
constexpr qint64 scanEveryMs = 1000;
} // namespace

FusionEngine::FusionEngine(FusionConfig config, std::shared_ptr<SourceDirectory> sources)
    : m_config(std::move(config))
    , m_sources(std::move(sources))
    , m_kpis(m_config.floodWindowMs, m_config.floodBeginAbove, m_config.floodEndBelow)
{
    qint64 longestFailureGrace = 0;
    for (const FusionRuleEntry *entry : fusionRules()) {
        std::unique_ptr<FusionRule> rule = entry->make();
        rule->m_type = AlarmType(*entry->type);
        rule->m_config = &m_config;
        m_ruleBase.push_back(int(m_codes.size()) + 1);
        for (int slot = 0; slot < rule->slots(); ++slot) {
            m_codes.push_back({rule.get(), slot});
            if (rule->type().info().outageMember)
                longestFailureGrace = std::max(longestFailureGrace, rule->graceMs(slot));
        }
        m_rules.push_back(std::move(rule));
    }
    // A failure is kept as long as one could still be due and be grouped with it.
    m_failureKeepMs = m_config.groupWindowMs + longestFailureGrace;
}

FusionEngine::~FusionEngine() = default;
void FusionEngine::setAssets(std::shared_ptr<const AssetRegistry> registry)
{
    m_registry = std::move(registry);
    m_offlineInDistrict.assign(m_registry ? m_registry->districts().size() : 0, 0);
    m_recentFailures.assign(m_offlineInDistrict.size(), {});
    m_cameras = m_registry ? std::make_unique<CameraIndex>(*m_registry) : nullptr;
    for (SourceInfo &i : m_info)
        i.asset = -2;
}

void FusionEngine::setRoster(const std::vector<SafetyDevice> &roster)
{
    m_roster = roster;
    m_rosterSources.clear();
    for (std::size_t i = 0; i < m_roster.size(); ++i) {
        const quint32 source = m_sources->intern(m_roster[i].id);
        info(source).device = int(i);
        m_rosterSources.push_back(source);
    }
    for (const auto &rule : m_rules)
        rule->setRoster(m_roster, m_rosterSources);
}

FusionEngine::SourceInfo &FusionEngine::info(quint32 source)
{
    if (source >= m_info.size())
        m_info.resize(std::size_t(source) + 1024);
    SourceInfo &i = m_info[source];
    if (i.asset == -2) {
        i.asset = m_registry ? m_registry->indexOf(m_sources->id(source)) : -1;
        i.district = i.asset >= 0 ? m_registry->assets()[std::size_t(i.asset)].district : -1;
    }
    return i;
}

QString FusionEngine::districtName(int district) const
{
    if (!m_registry || district < 0 || std::size_t(district) >= m_registry->districts().size())
        return {};
    return m_registry->districts()[std::size_t(district)].name;
}

int FusionEngine::districtAt(double latitude, double longitude) const
{
    if (!m_registry || !std::isfinite(latitude) || !std::isfinite(longitude))
        return -1;
    return m_registry->districtAt(longitude, latitude);
}

bool FusionEngine::seen(const Event &e)
{
    if (e.sourceEventId == 0 || e.kind == EventKind::PositionFix)
        return false; // fixes: the geofence ignores what is not newer; nothing to dedup without an id
    // (source, kind, id, source time) hashed into 64 bits; a collision drops one event in ~10^19. The
    // time is part of the identity: a device that restarts its counter sends old ids with new times.
    quint64 h = e.sourceEventId * 0x9E3779B97F4A7C15ULL;
    h ^= (quint64(e.source) << 8 | quint64(e.kind)) + 0x632BE59BD9B4E019ULL + (h << 6) + (h >> 2);
    h ^= quint64(e.sourceTimeMs) * 0xC2B2AE3D27D4EB4FULL + (h << 6) + (h >> 2);
    if (!m_seen.insert(h).second) {
        ++m_counters.duplicates;
        return true;
    }
    m_seenOrder.push_back(h);
    if (m_seenOrder.size() > std::size_t(m_config.dedupMemory)) {
        m_seen.erase(m_seenOrder.front());
        m_seenOrder.pop_front();
    }
    return false;
}

void FusionEngine::observeClock(const Event &e)
{
    if (m_clockMs != 0 && e.sourceTimeMs > m_clockMs + clockSlackMs) {
        ++m_counters.clockOutliers;
        return;
    }
    m_clockMs = std::max(m_clockMs, e.sourceTimeMs);
}

const Alarm *FusionEngine::openAlarm(qint64 id) const
{
    for (const Alarm &a : m_alarms->alarms()) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

qint64 FusionEngine::raise(Alarm alarm, qint64 atMs)
{
    alarm.desks = m_config.desksFor(alarm.type, alarm.priority, alarm.district);
    alarm.desksAtMs.assign(std::size_t(alarm.desks.size()), atMs);
    const AlarmCommandResult r = m_alarms->raise(alarm, QStringLiteral("system"), atMs);
    m_changed = true;
    if (!r.ok)
        ++m_counters.unsaved;
    ++m_counters.raised;
    m_raisedAt.insert(r.alarm.id, m_clockMs);
    for (const QString &desk : r.alarm.desks) {
        if (m_kpis.record(desk, m_clockMs, r.alarm.priority, r.alarm.type, r.alarm.source))
            qCInfo(lcFusion, "desk %s is in an alarm flood", qUtf8Printable(desk));
    }
    return r.alarm.id;
}

bool FusionEngine::command(qint64 alarmId, AlarmAction action, qint64 atMs, const QString &text,
                           const QStringList &members)
{
    AlarmCommand c;
    c.alarmId = alarmId;
    c.action = action;
    c.actor = QStringLiteral("system");
    c.atMs = atMs;
    c.text = text;
    c.members = members;
    const AlarmCommandResult r = m_alarms->execute(c);
    if (r.ok)
        m_changed = true;
    return r.ok;
}

void FusionEngine::wearerAlarm(AlarmType kind, quint32 source, double latitude, double longitude, qint64 raisedAtMs,
                               qint64 atMs, qint64 receivedMs, qint64 wallNowMs, const QString &raisedBy)
{
    const QString id = m_sources->id(source);
    const QString type = alarmTypeName(kind);
    const QString key = AlarmKey{AlarmKey::Kind::Single, kind, id, {}}.toString();
    if (const qint64 open = m_openByKey.value(key); open && openAlarm(open)) {
        ++m_counters.repeats;
        return;
    }
    Alarm a;
    a.type = type;
    a.priority = m_config.priorityOf(type);
    a.source = id;
    a.latitude = latitude;
    a.longitude = longitude;
    a.raisedAtMs = raisedAtMs;
    a.dedupKey = key;
    a.raisedBy = raisedBy;
    a.district = districtName(districtAt(latitude, longitude));
    if (m_linker) {
        a.cameras = m_linker(latitude, longitude);
    } else if (m_cameras) {
        m_cameras->nearest(latitude, longitude, m_hits); // nothing for NaN
        for (const CameraHit &hit : m_hits)
            a.cameras.append(m_registry->assets()[std::size_t(hit.asset)].id);
    }
    const qint64 alarmId = raise(a, atMs);
    if (!alarmId)
        return;
    m_openByKey.insert(key, alarmId);
    if (receivedMs > 0) {
        const float ms = float(std::max<qint64>(0, wallNowMs - receivedMs));
        if (m_latencies.size() < latencyRing)
            m_latencies.push_back(ms);
        else
            m_latencies[m_latencyNext++ % latencyRing] = ms;
    }
    const SourceInfo &i = info(source);
    if (m_notifier && i.device >= 0 && m_config.notifications.types.contains(type)) {
        if (const Alarm *raised = openAlarm(alarmId)) {
            m_notifier(*raised, m_roster[std::size_t(i.device)]);
            m_counters.notifications += m_roster[std::size_t(i.device)].guardians.size();
        }
    }
}

void FusionEngine::clearWearerAlarm(AlarmType kind, quint32 source, qint64 atMs)
{
    const QString key = AlarmKey{AlarmKey::Kind::Single, kind, m_sources->id(source), {}}.toString();
    if (const qint64 open = m_openByKey.value(key); open && openAlarm(open)) {
        if (command(open, AlarmAction::Clear, atMs))
            ++m_counters.cleared;
        m_openByKey.remove(key);
    }
}

bool FusionEngine::apply(std::span<const Event> events, qint64 wallNowMs)
{
    if (!m_alarms)
        return false;
    m_changed = false;
    for (const Event &e : events) {
        if (seen(e))
            continue;
        observeClock(e);
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            RuleContext ctx(*this, int(r), wallNowMs);
            m_rules[r]->event(e, ctx);
        }
    }
    for (std::size_t r = 0; r < m_rules.size(); ++r) {
        RuleContext ctx(*this, int(r), wallNowMs);
        m_rules[r]->batch(events, ctx);
    }
    runDue();
    return m_changed;
}

bool FusionEngine::advance(qint64 nowMs)
{
    if (!m_alarms)
        return false;
    m_changed = false;
    m_clockMs = std::max(m_clockMs, nowMs);
    runDue();
    return m_changed;
}

void FusionEngine::runDue()
{
    const bool scan = m_clockMs - m_lastScanMs >= scanEveryMs;
    if (scan) {
        m_lastScanMs = m_clockMs;
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            RuleContext ctx(*this, int(r), 0);
            m_rules[r]->scan(ctx);
        }
    }
    std::vector<quint64> raising;
    while (!m_due.empty() && m_due.top().atMs <= m_clockMs) {
        const Due d = m_due.top();
        m_due.pop();
        auto it = m_conditions.find(d.key);
        if (it == m_conditions.end() || it->generation != d.generation)
            continue; // resolved or rescheduled since
        if (it->raised) {
            // A threshold's clear delay ran out: the value stayed on the safe side.
            if (it->clearSinceMs != 0)
                resolve(sourceOfKey(d.key), codeOfKey(d.key), d.atMs);
            continue;
        }
        raising.push_back(d.key);
    }
    if (!raising.empty())
        raiseDue(raising);
    flushGroups();
    if (scan) {
        escalate();
        for (const QString &desk : m_kpis.advance(m_clockMs)) {
            qCInfo(lcFusion, "desk %s: the alarm flood is over", qUtf8Printable(desk));
            // Flood groups stay until their members clear; new alarms stand alone again.
            m_floodGroupOfType.clear();
        }
        if (const int n = m_alarms->unshelveExpired(m_clockMs))
            m_changed = m_changed || n > 0;
    }
}

} // namespace gwanje
