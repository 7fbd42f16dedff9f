#include "Engine.h"

#include "Logging.h"

#include <QDateTime>
#include <QJsonArray>

namespace gwanje {

Engine::Engine(EngineOptions options)
    : m_options(std::move(options))
    , m_sources(std::make_shared<SourceDirectory>())
    , m_bus(m_options.bus)
    , m_alarms(std::make_unique<AlarmService>(QString()))
{
    m_alarms->open();
}

void Engine::setRoster(const std::vector<SafetyDevice> &roster)
{
    std::lock_guard lock(m_fusionMutex);
    for (const SafetyDevice &device : roster)
        m_geofence.setZones(m_sources->intern(device.id), device.safeZones);
}

std::vector<Alarm> Engine::openAlarms() const
{
    std::lock_guard lock(m_fusionMutex);
    return m_alarms->alarms();
}

void Engine::fuse(std::span<const Event> events)
{
    std::lock_guard lock(m_fusionMutex);
    auto openOf = [this](const QString &type, const QString &source) -> const Alarm * {
        for (const Alarm &a : m_alarms->alarms()) {
            if (a.type == type && a.source == source && a.active)
                return &a;
        }
        return nullptr;
    };
    // SOS and falls: an immediate priority-1 alarm, one per wearer while it stands.
    for (const Event &e : events) {
        if (e.kind != EventKind::Sos && e.kind != EventKind::Fall)
            continue;
        const QString type = e.kind == EventKind::Sos ? QStringLiteral("sos") : QStringLiteral("fall");
        const QString source = m_sources->id(e.source);
        if (openOf(type, source)) {
            ++m_duplicateAlarms;
            continue;
        }
        Alarm a;
        a.type = type;
        a.priority = 1;
        a.source = source;
        a.latitude = e.latitude;
        a.longitude = e.longitude;
        a.raisedAtMs = e.sourceTimeMs;
        m_alarms->raise(a, QStringLiteral("system"), e.receiveTimeMs);
    }
    // Safe zones: exits raise, returns clear.
    m_transitions.clear();
    m_geofence.apply(events, m_transitions);
    for (const GeofenceTransition &t : m_transitions) {
        const QString source = m_sources->id(t.source);
        const Alarm *open = openOf(QStringLiteral("safe_zone_exit"), source);
        if (t.kind == GeofenceTransition::Kind::Exit) {
            if (open) {
                ++m_duplicateAlarms;
                continue;
            }
            Alarm a;
            a.type = QStringLiteral("safe_zone_exit");
            a.priority = 2;
            a.source = source;
            a.latitude = t.latitude;
            a.longitude = t.longitude;
            a.raisedAtMs = t.crossedMs;
            m_alarms->raise(a, QStringLiteral("system"), t.confirmedMs);
        } else if (open) {
            AlarmCommand clear;
            clear.alarmId = open->id;
            clear.action = AlarmAction::Clear;
            clear.actor = QStringLiteral("system");
            clear.atMs = t.confirmedMs;
            m_alarms->execute(clear);
        }
    }
}

Engine::~Engine()
{
    stop();
}

bool Engine::openStore()
{
    if (m_options.databasePath.isEmpty())
        return false;
    {
        std::lock_guard lock(m_fusionMutex);
        m_alarms = std::make_unique<AlarmService>(m_options.databasePath);
        if (!m_alarms->open()) {
            m_alarms = std::make_unique<AlarmService>(QString()); // alarms still work, in memory
            m_alarms->open();
        }
    }
    StoreOptions options;
    options.path = m_options.databasePath;
    options.positionRetentionDays = m_options.positionRetentionDays;
    m_store = std::make_unique<EventStore>(m_sources, options);
    if (!m_store->open())
        return false;
    // Resume where the console was: the newest state of every source.
    const std::vector<Event> latest = m_store->latestState();
    std::lock_guard lock(m_stateMutex);
    m_state.apply(latest);
    qCInfo(lcStore, "resumed the state of %d sources from the database", m_state.size());
    m_store->purgeExpiredPositions(QDateTime::currentMSecsSinceEpoch());
    return true;
}

void Engine::addSource(std::unique_ptr<Source> source)
{
    m_feeds.push_back(std::move(source));
}

void Engine::setCommitCallback(std::function<void(quint64)> callback)
{
    if (m_store)
        m_store->setCommitCallback(std::move(callback));
}

bool Engine::start()
{
    if (m_running)
        return true;
    m_running = true;
    m_bus.start([this](Lane lane, std::span<const Event> events) { consume(lane, events); });
    bool ok = true;
    for (const auto &feed : m_feeds)
        ok = feed->start(m_bus) && ok;
    return ok;
}

void Engine::consume(Lane, std::span<const Event> events)
{
    {
        std::lock_guard lock(m_stateMutex);
        m_state.apply(events);
        m_assetStatus.apply(events);
        m_processed += events.size();
    }
    fuse(events);
    if (m_store)
        m_store->append(events);
}

void Engine::stop()
{
    if (!m_running)
        return;
    for (const auto &feed : m_feeds)
        feed->stop();
    m_bus.stop();
    if (m_store)
        m_store->flush(30'000);
    m_running = false;
}

bool Engine::drained(int timeoutMs)
{
    for (const auto &feed : m_feeds) {
        const SourceStats s = feed->stats();
        if (!s.finished && s.error.isEmpty())
            return false;
    }
    if (!m_bus.waitUntilIdle(timeoutMs))
        return false;
    return !m_store || !m_store->status().open || m_store->flush(timeoutMs);
}

DeviceState Engine::deviceState() const
{
    std::lock_guard lock(m_stateMutex);
    return m_state;
}

quint64 Engine::assetStatus(quint64 since, std::vector<AssetStatusPoint> &out) const
{
    std::lock_guard lock(m_stateMutex);
    const std::size_t first = out.size();
    const quint64 version = m_assetStatus.changedSince(since, out);
    for (std::size_t i = first; i < out.size(); ++i)
        out[i].id = m_sources->id(out[i].source);
    return version;
}

void Engine::devicePoints(std::vector<DevicePoint> &out) const
{
    out.clear();
    std::lock_guard lock(m_stateMutex);
    out.reserve(std::size_t(m_state.devicesWithPosition()));
    for (quint32 s = 0; s < quint32(m_state.size()); ++s) {
        if (m_state.hasPosition(s))
            out.push_back({s, m_state.latitude(s), m_state.longitude(s), m_state.inSos(s), m_state.positionTimeMs(s)});
    }
}

QJsonObject Engine::report() const
{
    QJsonObject lanes;
    const auto stats = m_bus.stats();
    for (int l = 0; l < laneCount; ++l) {
        const LaneStats &s = stats[std::size_t(l)];
        lanes.insert(laneName(Lane(l)), QJsonObject{
                                            {QStringLiteral("published"), double(s.published)},
                                            {QStringLiteral("delivered"), double(s.delivered)},
                                            {QStringLiteral("coalesced"), double(s.coalesced)},
                                            {QStringLiteral("dropped"), double(s.dropped)},
                                            {QStringLiteral("high_water"), double(s.highWater)},
                                        });
    }
    quint64 rejected = 0;
    QJsonArray feeds;
    for (const auto &feed : m_feeds) {
        const SourceStats s = feed->stats();
        rejected += s.rejected;
        QJsonArray rejections;
        for (const SourceRejection &r : s.rejections)
            rejections.append(QJsonObject{{QStringLiteral("line"), r.line}, {QStringLiteral("reason"), r.reason}});
        feeds.append(QJsonObject{{QStringLiteral("name"), feed->name()},
                                 {QStringLiteral("produced"), double(s.produced)},
                                 {QStringLiteral("rejected"), double(s.rejected)},
                                 {QStringLiteral("finished"), s.finished},
                                 {QStringLiteral("error"), s.error},
                                 {QStringLiteral("rejections"), rejections}});
    }
    QJsonObject store{{QStringLiteral("configured"), !m_options.databasePath.isEmpty()}};
    if (m_store) {
        const StoreStatus st = m_store->status();
        const StoreCounters c = m_store->counters();
        store.insert(QStringLiteral("open"), st.open);
        store.insert(QStringLiteral("healthy"), st.healthy);
        store.insert(QStringLiteral("code"), st.code);
        store.insert(QStringLiteral("category"), st.code.isEmpty() ? QString() : errorCategoryName(st.category));
        store.insert(QStringLiteral("detail"), st.detail);
        store.insert(QStringLiteral("committed"), double(c.committed));
        store.insert(QStringLiteral("duplicates"), double(c.duplicates));
        store.insert(QStringLiteral("failed_commits"), double(c.failedCommits));
        store.insert(QStringLiteral("pending"), double(c.pending));
        store.insert(QStringLiteral("transactions"), double(c.transactions));
        store.insert(QStringLiteral("purged_positions"), double(c.purgedPositions));
    }
    QJsonObject alarms;
    {
        std::lock_guard lock(m_fusionMutex);
        QJsonObject byType, byPriority;
        for (const Alarm &a : m_alarms->alarms()) {
            byType.insert(a.type, byType.value(a.type).toInt() + 1);
            const QString p = QString::number(a.priority);
            byPriority.insert(p, byPriority.value(p).toInt() + 1);
        }
        alarms = QJsonObject{{QStringLiteral("open"), int(m_alarms->alarms().size())},
                             {QStringLiteral("by_type"), byType},
                             {QStringLiteral("by_priority"), byPriority},
                             {QStringLiteral("duplicates_suppressed"), double(m_duplicateAlarms)},
                             {QStringLiteral("persisted"), m_alarms->status().open}};
    }
    std::lock_guard lock(m_stateMutex);
    return QJsonObject{
        {QStringLiteral("alarms"), alarms},
        {QStringLiteral("events_processed"), double(m_processed)},
        {QStringLiteral("events_rejected"), double(rejected)},
        {QStringLiteral("devices"), m_state.devicesWithPosition()},
        {QStringLiteral("positions_stored"), m_store ? double(m_store->counters().positionsStored) : 0.0},
        {QStringLiteral("lanes"), lanes},
        {QStringLiteral("store"), store},
        {QStringLiteral("feeds"), feeds},
    };
}

} // namespace gwanje
