#include "Engine.h"

#include "Logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QThreadPool>

namespace gwanje {

Engine::Engine(EngineOptions options)
    : m_options(std::move(options))
    , m_sources(std::make_shared<SourceDirectory>())
    , m_bus(m_options.bus)
    , m_alarms(std::make_unique<AlarmService>(QString()))
{
    m_alarms->open();
    rebuildFusion();
}

void Engine::rebuildFusion()
{
    m_fusion = std::make_unique<FusionEngine>(m_fusionConfig, m_sources);
    m_fusion->setAlarmService(m_alarms.get());
    if (m_registry)
        m_fusion->setAssets(m_registry);
    m_fusion->setRoster(m_roster);
}

void Engine::startNotifier()
{
    if (m_fusionConfig.notifications.url.isEmpty())
        return; // guardians are not notified from here (e.g. the carrier's platform does it)
    m_notifier = std::make_unique<GuardianNotifier>(m_fusionConfig.notifications, m_options.databasePath);
    // Each outcome goes into the alarm's history (redacted recipient), so the operator sees it.
    m_notifier->setOutcomeCallback([this](const NotificationRecord &record) {
        AlarmCommand c;
        c.alarmId = record.alarmId;
        c.action = AlarmAction::Notify;
        c.actor = QStringLiteral("system");
        c.text = record.status == QLatin1String("sent")
                     ? QStringLiteral("%1: sent (%2 attempts)").arg(record.recipient).arg(record.attempts)
                     : QStringLiteral("%1: %2 (%3)").arg(record.recipient, record.status, record.error);
        bool ok = false;
        {
            std::lock_guard lock(m_fusionMutex);
            ok = m_alarms->execute(c).ok;
        }
        if (ok)
            alarmsChanged();
    });
    m_notifierStarted = m_notifier->start();
    if (!m_notifierStarted) {
        const NotifierStatus st = m_notifier->status();
        qCWarning(lcFusion, "guardian notifications are off (%s): %s", qUtf8Printable(errorCodeName(st.code)),
                  qUtf8Printable(st.detail));
        return;
    }
    std::lock_guard lock(m_fusionMutex);
    m_fusion->setNotifier([notifier = m_notifier.get()](const Alarm &alarm, const SafetyDevice &device) {
        for (const GuardianContact &guardian : device.guardians) {
            NotificationRequest r;
            r.alarmId = alarm.id;
            r.alarmType = alarm.type;
            r.deviceId = device.id;
            r.wearerCategory = wearerCategoryName(device.category);
            r.guardian = guardian;
            r.latitude = alarm.latitude;
            r.longitude = alarm.longitude;
            r.district = alarm.district;
            r.raisedAtMs = alarm.raisedAtMs;
            notifier->notify(r);
        }
    });
}

StoreStatus Engine::alarmStoreStatus() const
{
    std::lock_guard lock(m_fusionMutex);
    return m_alarms->status();
}

std::vector<NotificationRecord> Engine::notifications(qint64 alarmId) const
{
    return m_notifier ? m_notifier->records(alarmId) : std::vector<NotificationRecord>{};
}

NotifierStatus Engine::notifierStatus() const
{
    if (m_notifier)
        return m_notifier->status();
    NotifierStatus off;
    off.code = ErrorCode::NoUrl;
    off.detail = QStringLiteral("no SMS gateway is configured");
    return off;
}

void Engine::setRoster(const std::vector<SafetyDevice> &roster)
{
    std::lock_guard lock(m_fusionMutex);
    m_roster = roster;
    m_fusion->setRoster(m_roster);
}

void Engine::setFusionConfig(FusionConfig config)
{
    std::lock_guard lock(m_fusionMutex);
    m_fusionConfig = std::move(config);
    rebuildFusion();
}

void Engine::setAssets(std::shared_ptr<const AssetRegistry> registry)
{
    std::lock_guard lock(m_fusionMutex);
    m_registry = std::move(registry);
    m_fusion->setAssets(m_registry);
}

std::vector<Alarm> Engine::openAlarms() const
{
    std::lock_guard lock(m_fusionMutex);
    return m_alarms->alarms();
}

AlarmSnapshot Engine::alarmSnapshot() const
{
    std::lock_guard lock(m_fusionMutex);
    return {m_alarmsVersion.load(std::memory_order_acquire), m_alarms->alarms(), m_fusion->kpis()};
}

std::vector<AlarmHistoryEntry> Engine::alarmHistory(qint64 alarmId) const
{
    {
        std::lock_guard lock(m_fusionMutex);
        if (auto open = m_alarms->openHistory(alarmId))
            return *open;
    }
    return m_alarms->closedHistory(alarmId); // a query: without the lock
}

void Engine::setAlarmsChangedCallback(std::function<void()> callback)
{
    std::lock_guard lock(m_fusionMutex);
    m_alarmsChanged = std::move(callback);
}

void Engine::alarmsChanged()
{
    m_alarmsVersion.fetch_add(1, std::memory_order_acq_rel);
    std::function<void()> callback;
    {
        std::lock_guard lock(m_fusionMutex);
        callback = m_alarmsChanged;
    }
    if (callback)
        callback();
}

std::variant<AlarmService::PendingCommand, AlarmCommandResult> Engine::prepareAlarmCommand(const AlarmCommand &command)
{
    std::lock_guard lock(m_fusionMutex);
    return m_alarms->prepare(command);
}

AlarmCommandResult Engine::executeAlarmCommand(const AlarmCommand &command)
{
    auto prepared = prepareAlarmCommand(command);
    if (auto *result = std::get_if<AlarmCommandResult>(&prepared))
        return concludeAlarmCommand(command, std::move(*result));
    // Waiting for the disk without the lock: the rules (an SOS) and the screen go on meanwhile.
    return finishAlarmCommand(std::get<AlarmService::PendingCommand>(prepared));
}

std::optional<AlarmCommandResult> Engine::submitAlarmCommand(const AlarmCommand &command,
                                                             std::function<void(const AlarmCommandResult &)> done)
{
    auto prepared = prepareAlarmCommand(command);
    if (auto *result = std::get_if<AlarmCommandResult>(&prepared))
        return concludeAlarmCommand(command, std::move(*result));
    {
        std::lock_guard lock(m_commandsMutex);
        ++m_commandsInFlight;
    }
    QThreadPool::globalInstance()->start(
        [this, pending = std::get<AlarmService::PendingCommand>(std::move(prepared)), done = std::move(done)] {
            const AlarmCommandResult result = finishAlarmCommand(pending);
            if (done)
                done(result);
            std::lock_guard lock(m_commandsMutex);
            --m_commandsInFlight;
            m_commandsDone.notify_all();
        });
    return std::nullopt;
}

AlarmCommandResult Engine::finishAlarmCommand(const AlarmService::PendingCommand &pending)
{
    QString error;
    const bool durable = m_alarms->wait(pending, &error); // thread-safe; no lock held
    AlarmCommandResult result;
    {
        std::lock_guard lock(m_fusionMutex);
        result = m_alarms->finish(pending, durable, error);
    }
    return concludeAlarmCommand(pending.command, std::move(result));
}

AlarmCommandResult Engine::concludeAlarmCommand(const AlarmCommand &command, AlarmCommandResult result)
{
    if (result.ok)
        alarmsChanged();
    else
        qCInfo(lcFusion, "alarm command %s on %lld refused: %s", qUtf8Printable(alarmActionName(command.action)),
               static_cast<long long>(command.alarmId), qUtf8Printable(result.refusal()));
    return result;
}

void Engine::waitForCommands()
{
    std::unique_lock lock(m_commandsMutex);
    m_commandsDone.wait(lock, [this] { return m_commandsInFlight == 0; });
}

void Engine::tick(qint64 nowMs)
{
    bool changed = false;
    {
        std::lock_guard lock(m_fusionMutex);
        changed = m_fusion->advance(nowMs);
    }
    if (changed)
        alarmsChanged();
}

void Engine::fuse(std::span<const Event> events)
{
    bool changed = false;
    {
        std::lock_guard lock(m_fusionMutex);
        changed = m_fusion->apply(events, QDateTime::currentMSecsSinceEpoch());
    }
    if (changed)
        alarmsChanged();
}

Engine::~Engine()
{
    waitForCommands();
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
        m_fusion->setAlarmService(m_alarms.get());
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
    purgeExpired(QDateTime::currentMSecsSinceEpoch());
    return true;
}

void Engine::purgeExpired(qint64 nowMs)
{
    constexpr qint64 day = 24LL * 3600 * 1000;
    if (m_store)
        m_store->purgeExpiredPositions(nowMs);
    if (m_alarms && m_options.alarmLocationRetentionDays > 0)
        m_alarms->eraseLocationsBefore(nowMs - m_options.alarmLocationRetentionDays * day);
    // A guardian's phone number goes with the positions of the same age.
    if (m_notifier && m_options.positionRetentionDays > 0)
        m_notifier->purgeFinished(nowMs - m_options.positionRetentionDays * day);
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

void Engine::setDurableCallback(std::function<void(std::span<const Event>)> callback)
{
    m_durableCallback = std::move(callback);
}

bool Engine::start()
{
    if (m_running)
        return true;
    m_running = true;
    {
        // The standing alarms loaded from the store: their conditions go on.
        std::lock_guard lock(m_fusionMutex);
        m_fusion->resume();
    }
    startNotifier();
    recoverCriticalAlarms();
    if (m_store && m_store->status().open) {
        m_journalStop = false;
        m_journalThread = std::thread([this] { runJournal(); });
    }
    // A simulation or a replay slows down to what the store can write (EventBus::waitForRoom).
    m_bus.setDownstreamBacklog([store = m_store.get()] { return store ? store->pendingCount() : std::size_t(0); });
    m_bus.start([this](Lane lane, std::span<const Event> events) { consume(lane, events); });
    bool ok = true;
    for (const auto &feed : m_feeds)
        ok = feed->start(m_bus) && ok;
    return ok;
}

// An SOS or a fall is durable in the journal once its alarm is raised in memory, but the alarm's own
// row is written a few milliseconds later by the alarm writer: a crash in between leaves the event
// on disk (the store replays it) and no alarm. Those events go through the rules again; the ones
// whose alarm did land (open or since closed) are left alone, and a press while the wearer's alarm
// still stands is a repeat, as it was the first time.
void Engine::recoverCriticalAlarms()
{
    if (!m_store)
        return;
    std::vector<Event> replayed = m_store->takeReplayedCritical();
    if (replayed.empty())
        return;
    std::vector<Event> orphans;
    bool changed = false;
    {
        std::lock_guard lock(m_fusionMutex);
        for (const Event &e : replayed) {
            if (!m_alarms->hasAlarmRaisedBy(m_sources->id(e.source), eventReference(e)))
                orphans.push_back(e);
        }
        if (!orphans.empty())
            changed = m_fusion->apply(orphans, QDateTime::currentMSecsSinceEpoch());
    }
    qCInfo(lcFusion, "%zu critical events replayed from the journal, %zu of them without their alarm: raised again",
           replayed.size(), orphans.size());
    if (changed)
        alarmsChanged();
}

void Engine::consume(Lane lane, std::span<const Event> events)
{
    {
        std::lock_guard lock(m_stateMutex);
        m_state.apply(events);
        m_assetStatus.apply(events);
        m_processed += events.size();
    }
    fuse(events);
    if (!m_store)
        return;
    // An SOS or a fall is on disk (the store's journal, one flush) right after its alarm is raised,
    // by the journal thread, so the flush stays out of the alarm's latency and the consumer's way.
    if (lane == Lane::Critical && m_journalThread.joinable()) {
        {
            std::lock_guard lock(m_journalMutex);
            m_journalQueue.insert(m_journalQueue.end(), events.begin(), events.end());
        }
        m_journalWake.notify_one();
    } else {
        m_store->append(events);
    }
}

void Engine::runJournal()
{
    std::vector<Event> batch;
    std::unique_lock lock(m_journalMutex);
    for (;;) {
        m_journalWake.wait(lock, [this] { return m_journalStop || !m_journalQueue.empty(); });
        if (m_journalQueue.empty())
            return; // stopping with nothing left
        batch.swap(m_journalQueue);
        m_journalBusy = true;
        lock.unlock();
        // Everything that queued during the last flush goes in one. If the journal fails, the store
        // has logged it and the events go with its next commit.
        if (m_store->appendDurable(batch) && m_durableCallback)
            m_durableCallback(batch);
        batch.clear();
        lock.lock();
        m_journalBusy = false;
        m_journalDone.notify_all();
    }
}

bool Engine::journalIdle(int timeoutMs)
{
    std::unique_lock lock(m_journalMutex);
    return m_journalDone.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                  [this] { return m_journalQueue.empty() && !m_journalBusy; });
}

void Engine::stop()
{
    if (!m_running)
        return;
    for (const auto &feed : m_feeds)
        feed->stop();
    m_bus.stop();
    if (m_journalThread.joinable()) {
        {
            std::lock_guard lock(m_journalMutex);
            m_journalStop = true;
        }
        m_journalWake.notify_one();
        m_journalThread.join(); // after what was queued is in the store
    }
    if (m_notifier)
        m_notifier->stop(); // unfinished notifications stay pending in the database for the next run
    waitForCommands();
    if (m_store)
        m_store->flush(30'000);
    m_alarms->flush(30'000); // thread-safe: no lock across the wait
    m_running = false;
}

bool Engine::drained(int timeoutMs)
{
    for (const auto &feed : m_feeds) {
        const SourceStats s = feed->stats();
        if (!s.finished && s.error.isEmpty())
            return false;
    }
    if (!m_bus.waitUntilIdle(timeoutMs) || !journalIdle(timeoutMs))
        return false;
    if (!m_alarms->flush(timeoutMs)) // thread-safe: no lock across the wait
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

QJsonObject Engine::notificationReport() const
{
    const NotifierStatus st = notifierStatus();
    // Enabled: the notifier ran in this process (the report is written after stop(), when it no
    // longer runs).
    QJsonObject o{{QStringLiteral("enabled"), st.running || m_notifierStarted},
                  {QStringLiteral("durable"), st.durable},
                  {QStringLiteral("code"), errorCodeName(st.code)},
                  {QStringLiteral("detail"), st.detail}};
    if (m_notifier) {
        const NotifierCounters c = m_notifier->counters();
        o.insert(QStringLiteral("requested"), double(c.requested));
        o.insert(QStringLiteral("sent"), double(c.sent));
        o.insert(QStringLiteral("failed"), double(c.failed));
        o.insert(QStringLiteral("retries"), double(c.retries));
        o.insert(QStringLiteral("duplicates"), double(c.duplicates));
        o.insert(QStringLiteral("pending"), double(c.pending));
    }
    return o;
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
                                 {QStringLiteral("state"), sourceStateName(s.state)},
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
        store.insert(QStringLiteral("code"), errorCodeName(st.code));
        store.insert(QStringLiteral("category"),
                     st.code == ErrorCode::None ? QString() : errorCategoryName(st.category));
        store.insert(QStringLiteral("detail"), st.detail);
        store.insert(QStringLiteral("committed"), double(c.committed));
        store.insert(QStringLiteral("duplicates"), double(c.duplicates));
        store.insert(QStringLiteral("failed_commits"), double(c.failedCommits));
        store.insert(QStringLiteral("pending"), double(c.pending));
        store.insert(QStringLiteral("pending_high_water"), double(c.pendingHighWater));
        store.insert(QStringLiteral("transactions"), double(c.transactions));
        store.insert(QStringLiteral("purged_positions"), double(c.purgedPositions));
        store.insert(QStringLiteral("purged_notifications"), double(m_notifier ? m_notifier->counters().purged : 0));
        // The event journal: what SOS and falls made durable at once, and what a crash left.
        store.insert(QStringLiteral("journal"), QJsonObject{{QStringLiteral("journaled"), double(c.journaled)},
                                                            {QStringLiteral("flushes"), double(c.journalFlushes)},
                                                            {QStringLiteral("failures"), double(c.journalFailures)},
                                                            {QStringLiteral("replayed"), double(c.journalReplayed)},
                                                            {QStringLiteral("corrupt"), double(c.journalCorrupt)},
                                                            {QStringLiteral("resets"), double(c.journalResets)}});
    }
    QJsonObject alarms, latency, kpis;
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
                             {QStringLiteral("persisted"), m_alarms->status().open},
                             {QStringLiteral("fusion"), m_fusion->report()}};
        latency = m_fusion->latencyReport();
        for (const DeskKpis &k : m_fusion->kpis())
            kpis.insert(k.desk, k.toJson());
    }
    std::lock_guard lock(m_stateMutex);
    return QJsonObject{
        {QStringLiteral("alarms"), alarms},
        {QStringLiteral("alarm_latency_ms"), latency},
        {QStringLiteral("notifications"), notificationReport()},
        {QStringLiteral("kpis"), kpis},
        {QStringLiteral("events_processed"), double(m_processed)},
        {QStringLiteral("events_rejected"), double(rejected)},
        {QStringLiteral("devices"), m_state.devicesWithPosition()},
        {QStringLiteral("positions_stored"), m_store ? double(m_store->counters().positionsStored) : 0.0},
        {QStringLiteral("lanes"), lanes},
        {QStringLiteral("paced_ms"), double(m_bus.pacedMs())}, // time the feeds waited for the store
        {QStringLiteral("store"), store},
        {QStringLiteral("feeds"), feeds},
    };
}

} // namespace gwanje
