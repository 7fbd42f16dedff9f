#include "Engine.h"

#include "Logging.h"

#include <QDateTime>
#include <QJsonArray>

namespace gwanje {

Engine::Engine(EngineOptions options)
    : m_options(std::move(options))
    , m_sources(std::make_shared<SourceDirectory>())
    , m_bus(m_options.bus)
{}

Engine::~Engine()
{
    stop();
}

bool Engine::openStore()
{
    if (m_options.databasePath.isEmpty())
        return false;
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
        m_processed += events.size();
    }
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
    std::lock_guard lock(m_stateMutex);
    return QJsonObject{
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
