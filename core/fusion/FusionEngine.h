#pragma once

#include "alarms/AlarmService.h"
#include "alarms/AlarmType.h"
#include "assets/SafetyDevice.h"
#include "events/Event.h"
#include "fusion/AlarmKpis.h"
#include "fusion/CameraIndex.h"
#include "fusion/FusionConfig.h"
#include "fusion/FusionRule.h"

#include <QHash>
#include <QJsonObject>

#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <span>
#include <unordered_set>
#include <vector>

namespace gwanje {

class AssetRegistry;
class SourceDirectory;

struct FusionCounters
{
    quint64 duplicates = 0;   // events dropped as already seen (same source, kind and event id)
    quint64 repeats = 0;      // conditions already standing (a second SOS press while the first stands)
    quint64 raised = 0;       // alarms raised (a grouped alarm counts once)
    quint64 grouped = 0;      // conditions that joined a grouped alarm instead of raising their own
    quint64 floodGrouped = 0; // ... of which because their desk was in flood
    quint64 cleared = 0;
    quint64 escalations = 0;
    quint64 reminders = 0;
    quint64 notifications = 0; // guardian notifications asked for (one per alarm and guardian)
    quint64 clockOutliers = 0; // events whose source time was far ahead of the stream
    quint64 unsaved = 0;       // alarm changes that could not be written (they stay on screen)
};

// The fusion rules: turn the event stream into the few alarms an operator must act on. Each alarm
// type's condition is a FusionRule of its own (rules/<Name>Rule.cpp); the engine keeps their
// conditions and does what is common to all. Its code is in four files by concern:
// FusionEngine.cpp (events in, alarms raised, the clock), FusionConditions.cpp (conditions, grace
// periods, outage and flood grouping, escalation), FusionResume.cpp (after a restart) and
// FusionReport.cpp (KPIs, counters); FusionRule.cpp is what a rule may do. Runs on
// the engine's consumer thread (apply) and wherever the owner calls advance(), under the engine's
// fusion lock; not thread-safe by itself.
//
// Time: the rules run on event time. The clock is the newest source time seen in the stream (a
// watermark; a source whose clock runs more than an hour ahead is not believed), advanced also by
// advance(now) when the owner knows the feed is live. Grace periods, delays, escalation and flood
// windows are measured on it, so a replay or a fast simulation gives the alarms a live run would.
//
// Rules (FusionConfig, from rules.json; each in its file under rules/):
//  - SOS and fall: a priority-1 alarm at once, one per wearer while it stands (latched until the
//    operator closes it), with the cameras that can see the spot and a notification per guardian.
//  - Safe zones (GeofenceMonitor): exit raises, coming back clears.
//  - Wearer device offline for the grace period; low battery (with a clear level above the alarm).
//  - Camera offline or frozen, AP down, each after its grace period. When at least
//    groupMinMembers fixed assets of one district are offline together, they become one grouped
//    "outage" alarm listing its members (a cut fibre is one incident, not 500 alarms); later
//    failures there join it, and it clears when all are back.
//  - Sensor thresholds with deadband and on/off delays.
//  - De-duplication by source event id. Flood: per desk (ISA-18.2: more than 10 alarms in 10
//    minutes begins it, fewer than 5 ends it); while a desk is in flood, new technical alarms
//    (devices, cameras, APs, sensors) of one type join one grouped alarm instead of standing
//    alone. Alarms about a person (SOS, fall, safe-zone exit) are never grouped or hidden.
//  - Routing to desks, escalation of an unacknowledged priority-1 alarm to the supervisor with
//    reminders until it is acknowledged, auto-unshelving.
class FusionEngine
{
public:
    // The cameras that can see a spot, best first (site ids). By default the assets' CameraIndex:
    // the 5 nearest within 150 m, those whose view covers the spot first.
    using CameraLinker = std::function<QStringList(double latitude, double longitude)>;
    // A guardian must be told about an alarm (called once per alarm; the callee notifies each
    // guardian once).
    using Notifier = std::function<void(const Alarm &, const SafetyDevice &)>;

    FusionEngine(FusionConfig config, std::shared_ptr<SourceDirectory> sources);
    ~FusionEngine();

    void setAlarmService(AlarmService *alarms) { m_alarms = alarms; }
    // After a restart: takes up the open alarms the service loaded, so the conditions and groups
    // behind them go on (a camera of a standing outage coming back clears it; a second SOS of a
    // wearer with a standing one is a repeat). Call after setAssets() and setRoster().
    void resume();
    void setAssets(std::shared_ptr<const AssetRegistry> registry);
    void setRoster(const std::vector<SafetyDevice> &roster);
    void setCameraLinker(CameraLinker linker) { m_linker = std::move(linker); }
    void setNotifier(Notifier notifier) { m_notifier = std::move(notifier); }
    const FusionConfig &config() const { return m_config; }

    // One batch of events; wallNowMs is when the batch is handled (for the latency figures).
    // Returns true when alarms changed.
    bool apply(std::span<const Event> events, qint64 wallNowMs);
    // Moves the clock to nowMs (if later) and runs the timed rules. Returns true when alarms changed.
    bool advance(qint64 nowMs);
    qint64 clockMs() const { return m_clockMs; }

    std::vector<DeskKpis> kpis() const;
    const FusionCounters &counters() const { return m_counters; }
    // Receive-to-alarm latency of the alarms an event raised directly, in ms (p50, p99, count).
    QJsonObject latencyReport() const;
    QJsonObject report() const; // counters, latency, kpis, flood state

private:
    friend class RuleContext;
    using Condition = FusionCondition;
    // A condition code: a slot of one rule (codes start at 1).
    struct CodeInfo
    {
        FusionRule *rule;
        int slot;
    };
    const CodeInfo &codeInfo(quint16 code) const { return m_codes[std::size_t(code) - 1]; }
    quint16 codeOf(int rule, int slot) const { return quint16(m_ruleBase[std::size_t(rule)] + slot); }
    AlarmType alarmTypeOf(quint16 code) const { return codeInfo(code).rule->type(); }
    qint64 graceOf(quint16 code) const { return codeInfo(code).rule->graceMs(codeInfo(code).slot); }
    // A fixed asset of the city's infrastructure failing: counted per district, and grouped into
    // one outage when enough fail together (a cut fibre, a power cut, a storm).
    bool infrastructureFailure(quint16 code) const { return alarmTypeOf(code).info().outageMember; }
    struct Due
    {
        qint64 atMs;
        quint64 key;
        quint32 generation;
        bool operator>(const Due &o) const { return atMs > o.atMs; }
    };
    struct Group
    {
        qint64 alarmId = 0;
        QString type;        // outage, or the flooded type
        int district = -1;   // outage groups
        QStringList members; // every source that joined
        int standing = 0;    // members still in their condition
        bool membersDirty = false;
        bool open = true;
    };
    struct SourceInfo
    {
        int asset = -2;    // registry index; -1 none; -2 not looked up
        int device = -1;   // roster index
        int district = -1; // for fixed assets
    };

    static quint64 keyOf(quint32 source, quint16 code) { return (quint64(source) << 16) | code; }
    static quint32 sourceOfKey(quint64 key) { return quint32(key >> 16); }
    static quint16 codeOfKey(quint64 key) { return quint16(key & 0xffff); }
    SourceInfo &info(quint32 source);
    // After a restart: the condition code of an outage's member of this kind.
    int outageMemberCode(AssetKind kind) const;
    QString districtName(int district) const;
    int districtAt(double latitude, double longitude) const;
    bool seen(const Event &e);
    void observeClock(const Event &e);

    void begin(quint32 source, quint16 code, qint64 sinceMs, double latitude, double longitude);
    void resolve(quint32 source, quint16 code, qint64 atMs);
    void wearerAlarm(AlarmType type, quint32 source, double latitude, double longitude, qint64 raisedAtMs, qint64 atMs,
                     qint64 receivedMs, qint64 wallNowMs, const QString &raisedBy = {});
    void clearWearerAlarm(AlarmType type, quint32 source, qint64 atMs);
    void runDue();
    void raiseDue(std::vector<quint64> &keys);
    void flushGroups();
    bool failedTogether(int district, qint64 sinceMs) const;
    void escalate();

    // Raises with routing and KPI bookkeeping; returns the new alarm's id (0 if not raised).
    qint64 raise(Alarm alarm, qint64 atMs);
    bool command(qint64 alarmId, AlarmAction action, qint64 atMs, const QString &text = {},
                 const QStringList &members = {});
    const Alarm *openAlarm(qint64 id) const;

    FusionConfig m_config;
    std::shared_ptr<SourceDirectory> m_sources;
    std::shared_ptr<const AssetRegistry> m_registry;
    AlarmService *m_alarms = nullptr;
    CameraLinker m_linker;
    std::unique_ptr<CameraIndex> m_cameras; // the default linker, built from the assets
    std::vector<CameraHit> m_hits;
    Notifier m_notifier;
    std::vector<std::unique_ptr<FusionRule>> m_rules; // fusionRules(), in their order
    std::vector<int> m_ruleBase;                      // the first condition code of each rule
    std::vector<CodeInfo> m_codes;                    // code - 1 -> rule and slot
    qint64 m_failureKeepMs = 0; // how long a district's failure may still be grouped with a later one
    std::vector<SafetyDevice> m_roster;
    std::vector<quint32> m_rosterSources;
    std::vector<SourceInfo> m_info;
    QHash<quint64, Condition> m_conditions;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    quint32 m_generation = 0;
    std::vector<Group> m_groups;
    QHash<int, int> m_outageGroupOfDistrict;          // district -> open group
    QHash<QString, int> m_floodGroupOfType;           // type -> open group
    std::vector<int> m_offlineInDistrict;             // fixed assets currently offline (pending or raised)
    std::vector<std::deque<qint64>> m_recentFailures; // per district: when its recent failures began
    QHash<QString, qint64> m_openByKey;               // dedup key -> open alarm id (wearer alarms)
    QHash<qint64, qint64> m_lastReminder;             // escalated alarm -> last reminder (clock)
    QHash<qint64, qint64> m_raisedAt;                 // alarm -> clock when raised here
    std::unordered_set<quint64> m_seen;               // de-duplication: hashed (source, kind, event id)
    std::deque<quint64> m_seenOrder;
    AlarmKpis m_kpis;
    mutable std::vector<DeskKpis> m_kpiCache; // kpis(), at most a second of the clock old
    mutable qint64 m_kpiCacheClockMs = 0;
    mutable quint64 m_kpiCacheRaised = ~quint64(0);
    qint64 m_clockMs = 0;
    qint64 m_lastScanMs = 0;
    bool m_changed = false;
    std::vector<float> m_latencies; // ms, a ring of the latest
    std::size_t m_latencyNext = 0;
    FusionCounters m_counters;
};

} // namespace gwanje
