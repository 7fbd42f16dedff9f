#include "EngineBackend.h"

#include "engine/Engine.h"
#include "events/SourceDirectory.h"
#include "geo/GeoRect.h"
#include "store/EventStore.h"

namespace gwanje {

EngineBackend::EngineBackend(Engine &engine, bool live, bool configured, QStringList rulesProblems,
                             std::shared_ptr<const Zones> zones)
    : m_engine(engine)
    , m_live(live)
    , m_configured(configured)
    , m_rulesProblems(std::move(rulesProblems))
    , m_zones(std::move(zones))
{}

AlarmSnapshot EngineBackend::alarmSnapshot()
{
    return m_engine.alarmSnapshot();
}

quint64 EngineBackend::alarmsVersion()
{
    return m_engine.alarmsVersion();
}

void EngineBackend::setAlarmsChangedCallback(std::function<void()> callback)
{
    m_engine.setAlarmsChangedCallback(std::move(callback));
}

std::optional<AlarmCommandResult>
EngineBackend::submitAlarmCommand(const AlarmCommand &command, std::function<void(const AlarmCommandResult &)> done)
{
    return m_engine.submitAlarmCommand(command, std::move(done));
}

std::vector<AlarmHistoryEntry> EngineBackend::alarmHistory(qint64 alarmId)
{
    return m_engine.alarmHistory(alarmId);
}

std::optional<Procedure> EngineBackend::procedure(const QString &type)
{
    const auto &procedures = m_engine.fusionConfig().procedures;
    const auto it = procedures.constFind(type);
    return it == procedures.constEnd() ? std::nullopt : std::optional<Procedure>(*it);
}

QStringList EngineBackend::problems()
{
    QStringList out;
    for (const QString &problem : std::as_const(m_rulesProblems))
        out.append(tr("Alarm rules file: %1. The built-in rules apply there.").arg(problem));
    const NotifierStatus notifier = m_engine.notifierStatus();
    if (!notifier.running && notifier.code != ErrorCode::NoUrl)
        out.append(tr("Guardians are not sent SMS: the gateway settings are unusable (%1).").arg(notifier.detail));
    else if (notifier.running && !notifier.durable)
        out.append(tr("Guardian SMS are sent but not recorded (%1): after a restart one may be sent twice.")
                       .arg(notifier.detail));
    const StoreStatus alarms = m_engine.alarmStoreStatus();
    if (m_configured && (!alarms.open || !alarms.healthy))
        out.append(tr("Alarm changes are not being saved (%1); they stay on screen.").arg(alarms.detail));
    return out;
}

void EngineBackend::devicePoints(std::vector<DevicePoint> &out)
{
    m_engine.devicePoints(out);
}

quint64 EngineBackend::assetStatus(quint64 since, std::vector<AssetStatusPoint> &out)
{
    return m_engine.assetStatus(since, out);
}

qint64 EngineBackend::sourceIndex(const QString &id)
{
    return m_engine.sourceDirectory()->find(id);
}

std::vector<std::vector<QPointF>> EngineBackend::safeZones(quint32 source)
{
    return m_zones ? m_zones->value(m_engine.sourceDirectory()->id(source)) : std::vector<std::vector<QPointF>>{};
}

HistoryFacade::Snapshot EngineBackend::historySnapshot()
{
    HistoryFacade::Snapshot snapshot;
    snapshot.configured = m_configured;
    if (EventStore *store = m_engine.store()) {
        snapshot.status = store->status();
        snapshot.counters = store->counters();
    }
    return snapshot;
}

bool EngineBackend::hasHistory()
{
    return m_engine.store() && m_engine.store()->status().open;
}

std::vector<QPointF> EngineBackend::track(quint32 source, qint64 fromMs, qint64 toMs)
{
    std::vector<QPointF> line;
    for (const TrackPoint &p : m_engine.store()->track(m_engine.sourceDirectory()->id(source), fromMs, toMs))
        line.emplace_back(p.longitude, p.latitude);
    return line;
}

std::vector<DevicesFacade::HeatPoint> EngineBackend::heat(qint64 fromMs, qint64 toMs)
{
    // What went wrong in the last hour, anywhere in the city. Routine readings and devices coming
    // back are not events an operator looks for.
    std::vector<DevicesFacade::HeatPoint> heat;
    const GeoRect world = GeoRect::fromEdges(-180, -85, 180, 85);
    const auto events =
        m_engine.store()->eventsIn(world, fromMs, toMs, 50'000,
                                   {EventKind::Sos, EventKind::Fall, EventKind::DeviceOffline, EventKind::ApStatus,
                                    EventKind::CameraHealth, EventKind::StreetlightStatus, EventKind::CitizenReport},
                                   EventStore::Order::NewestFirst); // past the limit, the oldest go
    for (const Event &e : events) {
        const bool bad = (e.kind != EventKind::ApStatus && e.kind != EventKind::CameraHealth &&
                          e.kind != EventKind::StreetlightStatus) ||
                         (e.kind == EventKind::ApStatus ? e.status == 0 : e.status != 0);
        if (bad)
            heat.push_back({e.longitude, e.latitude,
                            e.kind == EventKind::Sos    ? 3.0f
                            : e.kind == EventKind::Fall ? 2.0f
                                                        : 1.0f});
    }
    return heat;
}

} // namespace gwanje
