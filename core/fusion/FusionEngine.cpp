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
    , m_geofence(m_config.geofence)
    , m_kpis(m_config.floodWindowMs, m_config.floodBeginAbove, m_config.floodEndBelow)
{}

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
        m_geofence.setZones(source, m_roster[i].safeZones);
    }
}

void FusionEngine::resume()
{
    if (!m_alarms)
        return;
    int resumed = 0;
    for (const Alarm &a : m_alarms->alarms()) {
        if (!a.active || a.dedupKey.isEmpty())
            continue;
        const std::optional<AlarmKey> key = AlarmKey::parse(a.dedupKey);
        if (!key && a.dedupKey.startsWith(QLatin1String("flood|")))
            continue; // a grouped alarm of a type this build does not know: it stands for the operator
        auto condition = [&](const QString &source, quint8 code, int group) {
            const quint32 s = m_sources->intern(source);
            Condition c;
            c.sinceMs = a.raisedAtMs;
            c.raised = true;
            c.alarmId = group < 0 ? a.id : 0;
            c.group = group;
            c.generation = ++m_generation;
            c.latitude = a.latitude;
            c.longitude = a.longitude;
            const SourceInfo &i = info(s);
            if (infrastructureFailure(code) && i.district >= 0)
                ++m_offlineInDistrict[std::size_t(i.district)];
            m_conditions.insert(keyOf(s, code), c);
        };
        auto codeOf = [this](AlarmType t, const QString &rule) -> int {
            for (quint8 code : {DeviceOffline, LowBattery, CameraOffline, CameraFrozen, ApOffline, ShelterOffline,
                                StreetlightFault}) {
                if (alarmTypeOf(code) == t)
                    return code;
            }
            for (std::size_t r = 0; r < m_config.thresholds.size(); ++r) {
                if (t == AlarmType::SensorThreshold && m_config.thresholds[r].name == rule)
                    return int(ThresholdBase + r);
            }
            return -1;
        };
        if (key && key->kind != AlarmKey::Kind::Single) {
            const bool outage = key->kind == AlarmKey::Kind::Outage;
            Group g;
            g.alarmId = a.id;
            g.type = outage ? alarmTypeName(AlarmType::Outage) : key->groupName();
            g.members = a.members;
            const int index = int(m_groups.size());
            const int floodCode = outage ? -1 : codeOf(key->type, key->rule);
            if (!outage && floodCode < 0)
                continue; // a rule since removed from the file: the alarm stands for the operator
            for (const QString &member : a.members) {
                // An outage member's kind is not stored: what failed follows from the registry.
                int code = floodCode;
                if (code < 0) {
                    const int asset = m_registry ? m_registry->indexOf(member) : -1;
                    const AssetKind kind =
                        asset >= 0 ? m_registry->assets()[std::size_t(asset)].kind : AssetKind::CameraSite;
                    code = kind == AssetKind::WifiAp        ? ApOffline
                           : kind == AssetKind::Shelter     ? ShelterOffline
                           : kind == AssetKind::Streetlight ? StreetlightFault
                                                            : CameraOffline;
                }
                condition(member, quint8(code), index);
                ++g.standing;
            }
            if (outage) {
                g.district = -1;
                if (m_registry) {
                    for (std::size_t d = 0; d < m_registry->districts().size(); ++d) {
                        if (m_registry->districts()[d].name == a.district)
                            g.district = int(d);
                    }
                }
                if (g.district >= 0)
                    m_outageGroupOfDistrict.insert(g.district, index);
            } else {
                m_floodGroupOfType.insert(g.type, index);
            }
            m_groups.push_back(g);
        } else if (const int code = key ? codeOf(key->type, key->rule) : -1; code >= 0) {
            condition(key->subject, quint8(code), -1);
        } else {
            m_openByKey.insert(a.dedupKey, a.id); // wearer alarms: sos, fall, safe_zone_exit
        }
        m_raisedAt.insert(a.id, a.raisedAtMs);
        ++resumed;
    }
    if (resumed)
        qCInfo(lcFusion, "resumed %d standing alarms", resumed);
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

AlarmType FusionEngine::alarmTypeOf(quint8 code)
{
    switch (code) {
    case DeviceOffline:
        return AlarmType::DeviceOffline;
    case LowBattery:
        return AlarmType::LowBattery;
    case CameraOffline:
        return AlarmType::CameraOffline;
    case CameraFrozen:
        return AlarmType::CameraFrozen;
    case ApOffline:
        return AlarmType::ApOffline;
    case ShelterOffline:
        return AlarmType::ShelterOffline;
    case StreetlightFault:
        return AlarmType::StreetlightFault;
    default:
        return AlarmType::SensorThreshold;
    }
}

QString FusionEngine::typeOf(quint8 code) const
{
    return alarmTypeName(alarmTypeOf(code));
}

qint64 FusionEngine::graceOf(quint8 code) const
{
    switch (code) {
    case DeviceOffline:
        return m_config.deviceOfflineGraceMs;
    case CameraOffline:
        return m_config.cameraOfflineGraceMs;
    case CameraFrozen:
        return m_config.cameraFrozenGraceMs;
    case ApOffline:
        return m_config.apOfflineGraceMs;
    case ShelterOffline:
        return m_config.shelterOfflineGraceMs;
    case StreetlightFault:
        return m_config.streetlightFaultGraceMs;
    case LowBattery:
        return 0;
    default:
        return m_config.thresholds[std::size_t(code - ThresholdBase)].onDelayMs;
    }
}

bool FusionEngine::isShelter(quint32 source)
{
    const SourceInfo &i = info(source);
    return i.asset >= 0 && m_registry->assets()[std::size_t(i.asset)].kind == AssetKind::Shelter;
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

void FusionEngine::begin(quint32 source, quint8 code, qint64 sinceMs, double latitude, double longitude)
{
    const quint64 key = keyOf(source, code);
    auto it = m_conditions.find(key);
    if (it != m_conditions.end()) {
        it->clearSinceMs = 0; // a threshold back beyond its limit before the clear delay ran out
        return;
    }
    Condition c;
    c.sinceMs = sinceMs;
    c.generation = ++m_generation;
    SourceInfo &i = info(source);
    if (i.asset >= 0) {
        const Asset &asset = m_registry->assets()[std::size_t(i.asset)];
        c.latitude = asset.latitude;
        c.longitude = asset.longitude;
    } else {
        c.latitude = latitude;
        c.longitude = longitude;
    }
    if (infrastructureFailure(code) && i.district >= 0) {
        ++m_offlineInDistrict[std::size_t(i.district)];
        std::deque<qint64> &recent = m_recentFailures[std::size_t(i.district)];
        recent.push_back(sinceMs);
        // Kept as long as a failure could still be due and be grouped with it.
        const qint64 keep =
            m_config.groupWindowMs + std::max({m_config.cameraOfflineGraceMs, m_config.apOfflineGraceMs,
                                               m_config.shelterOfflineGraceMs, m_config.streetlightFaultGraceMs});
        while (!recent.empty() && recent.front() < m_clockMs - keep)
            recent.pop_front();
    }
    m_conditions.insert(key, c);
    m_due.push({sinceMs + graceOf(code), key, c.generation});
}

void FusionEngine::resolve(quint32 source, quint8 code, qint64 atMs)
{
    const quint64 key = keyOf(source, code);
    auto it = m_conditions.find(key);
    if (it == m_conditions.end())
        return;
    const Condition c = *it;
    m_conditions.erase(it);
    const SourceInfo &i = info(source);
    if (infrastructureFailure(code) && i.district >= 0)
        --m_offlineInDistrict[std::size_t(i.district)];
    if (c.group >= 0) {
        Group &g = m_groups[std::size_t(c.group)];
        if (--g.standing <= 0 && g.open) {
            g.open = false;
            if (command(g.alarmId, AlarmAction::Clear, atMs))
                ++m_counters.cleared;
            if (g.district >= 0)
                m_outageGroupOfDistrict.remove(g.district);
            else
                m_floodGroupOfType.remove(g.type);
        }
    } else if (c.raised && c.alarmId) {
        if (command(c.alarmId, AlarmAction::Clear, atMs))
            ++m_counters.cleared;
    }
}

void FusionEngine::sensor(const Event &e)
{
    if (!std::isfinite(e.value))
        return;
    // What the source measures, when the registry knows it (a shelter's sensors measure the air).
    std::optional<SensorMedium> medium;
    if (const SourceInfo &i = info(e.source); i.asset >= 0) {
        const Asset &a = m_registry->assets()[std::size_t(i.asset)];
        medium = a.kind == AssetKind::Sensor ? a.medium : SensorMedium::Air;
    }
    for (std::size_t r = 0; r < m_config.thresholds.size(); ++r) {
        const ThresholdRule &rule = m_config.thresholds[r];
        if (rule.quantity != e.quantity || (rule.medium && medium && *rule.medium != *medium))
            continue;
        const quint8 code = quint8(ThresholdBase + r);
        const bool beyondOn = rule.above ? e.value > rule.on : e.value < rule.on;
        const bool beyondOff = rule.above ? e.value < rule.off : e.value > rule.off;
        auto it = m_conditions.find(keyOf(e.source, code));
        if (beyondOn) {
            begin(e.source, code, e.sourceTimeMs, e.latitude, e.longitude);
        } else if (it != m_conditions.end()) {
            if (!it->raised) {
                // Not beyond the limit for the whole delay: the pending alarm is called off.
                resolve(e.source, code, e.sourceTimeMs);
            } else if (beyondOff && it->clearSinceMs == 0) {
                it->clearSinceMs = e.sourceTimeMs;
                it->generation = ++m_generation;
                m_due.push({e.sourceTimeMs + rule.offDelayMs, keyOf(e.source, code), it->generation});
            } else if (!beyondOff) {
                it->clearSinceMs = 0; // inside the deadband: still in alarm
            }
        }
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
        switch (e.kind) {
        case EventKind::Sos:
        case EventKind::Fall:
            wearerAlarm(e.kind == EventKind::Sos ? AlarmType::Sos : AlarmType::Fall, e.source, e.latitude, e.longitude,
                        e.sourceTimeMs, e.receiveTimeMs, e.receiveTimeMs, wallNowMs, eventReference(e));
            break;
        case EventKind::DeviceOffline:
            info(e.source).offline = true;
            begin(e.source, isShelter(e.source) ? ShelterOffline : DeviceOffline, e.sourceTimeMs, e.latitude,
                  e.longitude);
            break;
        case EventKind::DeviceOnline:
            info(e.source).offline = false;
            resolve(e.source, isShelter(e.source) ? ShelterOffline : DeviceOffline, e.sourceTimeMs);
            break;
        case EventKind::StreetlightStatus:
            if (e.status == qint8(LampState::Ok) || e.status == qint8(LampState::Off))
                resolve(e.source, StreetlightFault, e.sourceTimeMs);
            else
                begin(e.source, StreetlightFault, e.sourceTimeMs, e.latitude, e.longitude);
            break;
        case EventKind::CameraHealth:
            if (e.status == qint8(CameraState::Offline)) {
                resolve(e.source, CameraFrozen, e.sourceTimeMs);
                begin(e.source, CameraOffline, e.sourceTimeMs, e.latitude, e.longitude);
            } else if (e.status == qint8(CameraState::Frozen)) {
                resolve(e.source, CameraOffline, e.sourceTimeMs);
                begin(e.source, CameraFrozen, e.sourceTimeMs, e.latitude, e.longitude);
            } else {
                resolve(e.source, CameraOffline, e.sourceTimeMs);
                resolve(e.source, CameraFrozen, e.sourceTimeMs);
            }
            break;
        case EventKind::ApStatus:
            if (e.status == 0)
                begin(e.source, ApOffline, e.sourceTimeMs, e.latitude, e.longitude);
            else
                resolve(e.source, ApOffline, e.sourceTimeMs);
            break;
        case EventKind::SensorReading:
            sensor(e);
            break;
        default:
            break;
        }
        // A wearer's device heard from again: not offline (a fix after an outage says so too).
        if (e.kind != EventKind::DeviceOffline && e.source < m_info.size() && m_info[e.source].device >= 0) {
            SourceInfo &i = m_info[e.source];
            i.lastSeenMs = std::max(i.lastSeenMs, e.sourceTimeMs);
            if (i.offline && e.kind != EventKind::DeviceOnline) {
                i.offline = false;
                resolve(e.source, DeviceOffline, e.sourceTimeMs);
            }
        }
        // Battery, from whatever a wearer's device reports.
        if (std::isfinite(e.battery)) {
            SourceInfo &i = info(e.source);
            if (!i.lowBattery && e.battery <= m_config.lowBatteryPercent) {
                i.lowBattery = true;
                begin(e.source, LowBattery, e.sourceTimeMs, e.latitude, e.longitude);
            } else if (i.lowBattery && e.battery >= m_config.lowBatteryClearPercent) {
                i.lowBattery = false;
                resolve(e.source, LowBattery, e.sourceTimeMs);
            }
        }
    }
    // Safe zones: exits raise, returns clear.
    m_transitions.clear();
    m_geofence.apply(events, m_transitions);
    for (const GeofenceTransition &t : m_transitions) {
        const QString key =
            AlarmKey{AlarmKey::Kind::Single, AlarmType::SafeZoneExit, m_sources->id(t.source), {}}.toString();
        if (t.kind == GeofenceTransition::Kind::Exit) {
            // The confirming fix raised it: its latency is that fix's.
            wearerAlarm(AlarmType::SafeZoneExit, t.source, t.latitude, t.longitude, t.crossedMs, t.confirmedMs, 0,
                        wallNowMs);
        } else if (const qint64 open = m_openByKey.value(key); open && openAlarm(open)) {
            if (command(open, AlarmAction::Clear, t.confirmedMs))
                ++m_counters.cleared;
            m_openByKey.remove(key);
        }
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
        watchSilence();
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
                resolve(quint32(d.key >> 8), quint8(d.key & 0xff), d.atMs);
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

void FusionEngine::raiseDue(std::vector<quint64> &keys)
{
    // Outages first gathered by district, so a cut fibre becomes one alarm with its members.
    QHash<int, std::vector<quint64>> outagesByDistrict;
    for (quint64 key : keys) {
        const quint32 source = quint32(key >> 8);
        const quint8 code = quint8(key & 0xff);
        const SourceInfo &i = info(source);
        if (infrastructureFailure(code) && i.district >= 0 &&
            (m_outageGroupOfDistrict.contains(i.district) || failedTogether(i.district, m_conditions[key].sinceMs))) {
            outagesByDistrict[i.district].push_back(key);
            continue;
        }
        Condition &c = m_conditions[key];
        const QString type = typeOf(code);
        int priority = m_config.priorityOf(type);
        QString detail;
        if (code >= ThresholdBase) {
            const ThresholdRule &rule = m_config.thresholds[std::size_t(code - ThresholdBase)];
            priority = rule.priority;
            detail = rule.name;
        }
        // A desk in flood: technical alarms of one type join one grouped alarm.
        const int district = i.district >= 0 ? i.district : districtAt(c.latitude, c.longitude);
        const QStringList desks = m_config.desksFor(type, priority, districtName(district));
        // The alarm a condition of this source stands for (on its own or first of a group).
        auto conditionAlarm = [&] {
            Alarm a;
            a.type = type;
            a.priority = priority;
            a.source = m_sources->id(source);
            a.latitude = c.latitude;
            a.longitude = c.longitude;
            a.raisedAtMs = c.sinceMs;
            a.district = districtName(district);
            return a;
        };
        const bool flooded =
            alarmTypeInfo(alarmTypeOf(code)).floodGroupable && priority > 1 &&
            std::any_of(desks.begin(), desks.end(), [this](const QString &d) { return m_kpis.inFlood(d); });
        if (flooded) {
            // One group per type (and threshold rule: what a member's condition is must be known).
            const AlarmKey groupKey{AlarmKey::Kind::Flood, alarmTypeOf(code), {}, detail};
            const QString floodKey = groupKey.groupName();
            int g = m_floodGroupOfType.value(floodKey, -1);
            if (g < 0) {
                Group group;
                group.type = floodKey;
                Alarm a = conditionAlarm();
                a.members = {a.source};
                a.detail = detail.isEmpty() ? QStringLiteral("grouped during an alarm flood") : detail;
                a.dedupKey = groupKey.toString();
                group.alarmId = raise(a, c.sinceMs + graceOf(code));
                group.members = a.members;
                g = int(m_groups.size());
                m_groups.push_back(group);
                m_floodGroupOfType.insert(floodKey, g);
            } else {
                m_groups[std::size_t(g)].members.append(m_sources->id(source));
                m_groups[std::size_t(g)].membersDirty = true;
            }
            ++m_groups[std::size_t(g)].standing;
            c.group = g;
            c.raised = true;
            ++m_counters.grouped;
            ++m_counters.floodGrouped;
            continue;
        }
        Alarm a = conditionAlarm();
        a.detail = detail;
        a.dedupKey = AlarmKey{AlarmKey::Kind::Single, alarmTypeOf(code), a.source, detail}.toString();
        c.alarmId = raise(a, std::max(c.sinceMs + graceOf(code), c.sinceMs));
        c.raised = true;
    }
    for (auto it = outagesByDistrict.begin(); it != outagesByDistrict.end(); ++it) {
        const int district = it.key();
        int g = m_outageGroupOfDistrict.value(district, -1);
        QStringList joined;
        double lat = 0, lon = 0;
        qint64 since = std::numeric_limits<qint64>::max();
        for (quint64 key : *it) {
            Condition &c = m_conditions[key];
            joined.append(m_sources->id(quint32(key >> 8)));
            lat += c.latitude;
            lon += c.longitude;
            since = std::min(since, c.sinceMs);
        }
        if (g < 0) {
            Group group;
            group.type = alarmTypeName(AlarmType::Outage);
            group.district = district;
            group.members = joined;
            Alarm a;
            a.type = group.type;
            a.priority = m_config.priorityOf(group.type);
            a.source = districtName(district);
            a.district = a.source;
            a.latitude = lat / double(it->size());
            a.longitude = lon / double(it->size());
            a.raisedAtMs = since;
            a.members = joined;
            a.detail = QStringLiteral("%1 fixed assets offline together").arg(joined.size());
            a.dedupKey = AlarmKey{AlarmKey::Kind::Outage, AlarmType::Outage, a.district, {}}.toString();
            group.alarmId = raise(a, since + m_config.cameraOfflineGraceMs);
            g = int(m_groups.size());
            m_groups.push_back(group);
            m_outageGroupOfDistrict.insert(district, g);
        } else {
            m_groups[std::size_t(g)].members.append(joined);
            m_groups[std::size_t(g)].membersDirty = true;
        }
        for (quint64 key : *it) {
            Condition &c = m_conditions[key];
            c.group = g;
            c.raised = true;
            ++m_groups[std::size_t(g)].standing;
        }
        m_counters.grouped += it->size();
    }
}

bool FusionEngine::failedTogether(int district, qint64 sinceMs) const
{
    // A cut fibre or a storm: enough of the district's assets failed within the window of this
    // one. Failures spread over hours (a district's hundreds of APs each fail now and then) are
    // not one incident, however many stand at once.
    if (m_offlineInDistrict[std::size_t(district)] < m_config.groupMinMembers)
        return false;
    int together = 0;
    for (qint64 t : m_recentFailures[std::size_t(district)]) {
        if (std::abs(t - sinceMs) <= m_config.groupWindowMs && ++together >= m_config.groupMinMembers)
            return true;
    }
    return false;
}

void FusionEngine::flushGroups()
{
    for (Group &g : m_groups) {
        if (!g.membersDirty)
            continue;
        g.membersDirty = false;
        if (g.open)
            command(g.alarmId, AlarmAction::UpdateMembers, m_clockMs, QString::number(g.members.size()), g.members);
    }
}

void FusionEngine::watchSilence()
{
    // A device that dies (flat battery, smashed) says nothing: silence is offline too.
    for (quint32 source : m_rosterSources) {
        SourceInfo &i = m_info[source];
        if (!i.offline && i.lastSeenMs > 0 && i.lastSeenMs + m_config.deviceSilentMs <= m_clockMs) {
            i.offline = true;
            begin(source, DeviceOffline, i.lastSeenMs, std::nan(""), std::nan(""));
        }
    }
}

void FusionEngine::escalate()
{
    if (m_config.escalateAfterMs <= 0)
        return;
    std::vector<std::pair<qint64, AlarmAction>> due;
    for (const Alarm &a : m_alarms->alarms()) {
        if (a.priority != 1 || a.state != AlarmState::Unacknowledged) {
            m_lastReminder.remove(a.id);
            continue;
        }
        const qint64 raisedAt = m_raisedAt.value(a.id, a.raisedAtMs);
        if (a.escalations == 0) {
            if (raisedAt + m_config.escalateAfterMs <= m_clockMs)
                due.emplace_back(a.id, AlarmAction::Escalate);
        } else if (m_lastReminder.value(a.id, raisedAt) + m_config.remindEveryMs <= m_clockMs) {
            due.emplace_back(a.id, AlarmAction::Remind);
        }
    }
    for (const auto &[id, action] : due) {
        if (!command(id, action, m_clockMs,
                     action == AlarmAction::Escalate ? QStringLiteral("not acknowledged in time")
                                                     : QStringLiteral("still not acknowledged")))
            continue;
        m_lastReminder.insert(id, m_clockMs);
        if (action == AlarmAction::Escalate) {
            ++m_counters.escalations;
            m_kpis.record(m_config.escalationDesk, m_clockMs, 1, QStringLiteral("escalation"), QString::number(id));
            qCInfo(lcFusion, "alarm %lld escalated to %s", static_cast<long long>(id),
                   qUtf8Printable(m_config.escalationDesk));
        } else {
            ++m_counters.reminders;
        }
    }
}

std::vector<DeskKpis> FusionEngine::kpis() const
{
    // The panel asks with every change of the alarms (many a second in a flood) under the
    // engine's lock: figures per 10 minutes need not be fresher than a second of the clock.
    const quint64 raised = m_counters.raised + m_counters.escalations;
    if (m_kpiCacheRaised == raised && m_clockMs >= m_kpiCacheClockMs && m_clockMs - m_kpiCacheClockMs < 1000)
        return m_kpiCache;
    std::vector<DeskKpis> out;
    QStringList desks = m_kpis.desks();
    for (const RouteRule &r : m_config.routes) {
        for (const QString &d : r.desks) {
            if (!desks.contains(d))
                desks.append(d);
        }
    }
    if (!desks.contains(m_config.escalationDesk))
        desks.append(m_config.escalationDesk);
    desks.sort();
    for (const QString &desk : desks) {
        std::vector<qint64> standing;
        if (m_alarms) {
            for (const Alarm &a : m_alarms->alarms()) {
                if (a.active && a.dispatchedTo(desk))
                    standing.push_back(a.raisedAtMs);
            }
        }
        out.push_back(m_kpis.kpis(desk, m_clockMs, m_config.kpiWindowMs, standing));
    }
    m_kpiCache = out;
    m_kpiCacheClockMs = m_clockMs;
    m_kpiCacheRaised = raised;
    return out;
}

QJsonObject FusionEngine::latencyReport() const
{
    std::vector<float> v = m_latencies;
    if (v.empty())
        return QJsonObject{{QStringLiteral("count"), 0}};
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return double(v[std::min(v.size() - 1, std::size_t(q * double(v.size())))]);
    };
    return QJsonObject{{QStringLiteral("count"), double(v.size())},
                       {QStringLiteral("p50"), at(0.50)},
                       {QStringLiteral("p99"), at(0.99)},
                       {QStringLiteral("max"), double(v.back())}};
}

QJsonObject FusionEngine::report() const
{
    const FusionCounters &c = m_counters;
    return QJsonObject{
        {QStringLiteral("raised"), double(c.raised)},
        {QStringLiteral("cleared"), double(c.cleared)},
        {QStringLiteral("duplicates_dropped"), double(c.duplicates)},
        {QStringLiteral("repeats"), double(c.repeats)},
        {QStringLiteral("grouped"), double(c.grouped)},
        {QStringLiteral("flood_grouped"), double(c.floodGrouped)},
        {QStringLiteral("escalations"), double(c.escalations)},
        {QStringLiteral("reminders"), double(c.reminders)},
        {QStringLiteral("notifications_requested"), double(c.notifications)},
        {QStringLiteral("clock_outliers"), double(c.clockOutliers)},
        {QStringLiteral("unsaved"), double(c.unsaved)},
        {QStringLiteral("pending_conditions"), double(m_conditions.size())},
    };
}

} // namespace gwanje
