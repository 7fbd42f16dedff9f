// alarm.latency_p99_ms: from an event's arrival to its alarm in the engine's alarm list, at
// 20,000 events a second through the whole engine (bus, fusion, durable alarm commits, the store's
// writer). alarm.latency_during_commands_p99_ms: the same while an operator issues 50 commands a
// second, each waiting until it is on disk (baseline: the run without them, same process). alarm.flood_30k_ms: 30,000
// camera-offline events at once (a fibre cut at scale) until the one grouped alarm stands with every member and every
// event is durable.

#include "BenchJson.h"
#include "assets/AssetRegistry.h"
#include "data/AssetLoader.h"
#include "engine/Engine.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"
#include "feeds/ManualSource.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

namespace gwanje::bench {

namespace {

using Clock = std::chrono::steady_clock;

double percentile(const std::vector<double> &sorted, double q)
{
    return sorted.empty() ? 0.0 : sorted[std::min(sorted.size() - 1, std::size_t(q * double(sorted.size())))];
}

QString freshDatabase(const Settings &settings, const QString &name)
{
    const QString path = QDir(settings.workDir).filePath(name);
    for (const char *suffix : {"", "-wal", "-shm", ".events-journal"})
        QFile::remove(path + QString::fromLatin1(suffix));
    return path;
}

// SOS arrival-to-alarm latencies in ms, sorted; with commandsPerSecond > 0 an operator comments
// on the open SOS alarms meanwhile, each command returning once it is durable.
std::vector<double> latency(const Settings &settings, const QString &dataDir, int commandsPerSecond)
{
    const auto registry = AssetLoader::loadDirectory(dataDir).registry;
    EngineOptions options;
    options.databasePath = freshDatabase(settings, QStringLiteral("alarm-latency.db"));
    Engine engine(options);
    engine.openStore();
    engine.setAssets(registry);
    auto source = std::make_unique<ManualSource>(QStringLiteral("bench"));
    ManualSource *hand = source.get();
    engine.addSource(std::move(source));

    const int seconds = settings.quick ? 2 : 10;
    const int ratePerSecond = 20'000;
    const int sosPerSecond = 20; // one wearer in a thousand a second: far above a real city's
    const int tickMs = 10;
    const int perTick = ratePerSecond * tickMs / 1000;
    const int devices = 5000;
    auto dir = engine.sourceDirectory();
    std::vector<quint32> wearers, sensors, cameras;
    for (int d = 0; d < devices; ++d)
        wearers.push_back(dir->intern(QStringLiteral("SD-%1").arg(d + 1, 6, 10, QLatin1Char('0'))));
    for (const Asset &a : registry->assets()) {
        if (a.kind == AssetKind::Sensor)
            sensors.push_back(dir->intern(a.id));
        else if (a.kind == AssetKind::CameraSite && cameras.size() < 5000)
            cameras.push_back(dir->intern(a.id));
    }

    // Arrival times of the SOS events by wearer; the alarms-changed callback finds their alarms.
    std::mutex mutex;
    std::vector<Clock::time_point> sentAt(std::size_t(devices), Clock::time_point{});
    std::vector<double> latencies;
    std::unordered_set<qint64> seenAlarms;
    engine.setAlarmsChangedCallback([&] {
        const Clock::time_point now = Clock::now();
        const std::vector<Alarm> alarms = engine.openAlarms();
        std::lock_guard lock(mutex);
        for (const Alarm &a : alarms) {
            if (a.type != QLatin1String("sos") || !seenAlarms.insert(a.id).second)
                continue;
            const int wearer = a.source.mid(3).toInt() - 1;
            if (wearer >= 0 && wearer < devices)
                latencies.push_back(
                    std::chrono::duration<double, std::milli>(now - sentAt[std::size_t(wearer)]).count());
        }
    });
    engine.start();

    std::atomic<bool> done{false};
    std::atomic<int> commands{0}, refused{0};
    std::vector<double> commandMs;
    std::thread operatorThread;
    if (commandsPerSecond > 0) {
        operatorThread = std::thread([&] {
            const auto period = std::chrono::microseconds(1'000'000 / commandsPerSecond);
            auto next = Clock::now();
            while (!done.load()) {
                next += period;
                std::this_thread::sleep_until(next);
                const std::vector<Alarm> open = engine.openAlarms();
                if (open.empty())
                    continue;
                AlarmCommand c;
                c.alarmId = open[std::size_t(commands.load()) % open.size()].id;
                c.action = AlarmAction::Comment;
                c.actor = QStringLiteral("operator-1");
                c.desk = QStringLiteral("ops");
                c.text = QStringLiteral("on it");
                const Clock::time_point t = Clock::now();
                const bool ok = engine.executeAlarmCommand(c).ok;
                commandMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
                ++commands;
                refused += !ok;
            }
        });
    }

    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    quint64 eventId = 1;
    int nextSos = 0;
    const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
    const Clock::time_point start = Clock::now();
    for (int tick = 0; tick < seconds * 1000 / tickMs; ++tick) {
        std::this_thread::sleep_until(start + std::chrono::milliseconds(tick * tickMs));
        const qint64 nowMs = startMs + tick * tickMs;
        std::vector<Event> batch;
        batch.reserve(std::size_t(perTick));
        for (int i = 0; i < perTick; ++i) {
            Event e;
            e.sourceTimeMs = nowMs;
            e.receiveTimeMs = nowMs;
            e.sourceEventId = eventId++;
            const int k = i % 20;
            if (k < 18) { // fixes
                e.kind = EventKind::PositionFix;
                e.source = wearers[std::size_t(rng() % wearers.size())];
                e.latitude = 37.45 + 0.25 * u(rng);
                e.longitude = 126.85 + 0.3 * u(rng);
                e.battery = float(50 + 40 * u(rng));
            } else if (k == 18) { // air readings
                e.kind = EventKind::SensorReading;
                e.source = sensors[std::size_t(rng() % sensors.size())];
                e.quantity = Quantity::Pm10;
                e.value = float(20 + 30 * u(rng));
            } else { // cameras reporting they are fine
                e.kind = EventKind::CameraHealth;
                e.source = cameras[std::size_t(rng() % cameras.size())];
                e.status = qint8(CameraState::Online);
            }
            batch.push_back(e);
        }
        // SOS, spread evenly over the ticks, each from a wearer with no standing alarm.
        if ((tick * sosPerSecond * tickMs) / 1000 != ((tick + 1) * sosPerSecond * tickMs) / 1000 && nextSos < devices) {
            Event sos;
            sos.kind = EventKind::Sos;
            sos.source = wearers[std::size_t(nextSos)];
            sos.sourceTimeMs = sos.receiveTimeMs = nowMs;
            sos.sourceEventId = eventId++;
            sos.latitude = 37.55 + 0.05 * u(rng);
            sos.longitude = 126.95 + 0.1 * u(rng);
            {
                std::lock_guard lock(mutex);
                sentAt[std::size_t(nextSos)] = Clock::now();
            }
            ++nextSos;
            hand->bus()->publish(sos);
        }
        hand->bus()->publish(std::move(batch));
    }
    done = true;
    if (operatorThread.joinable())
        operatorThread.join();
    engine.drained(30'000);
    engine.stop();
    std::vector<double> v;
    {
        std::lock_guard lock(mutex);
        v = latencies;
    }
    std::sort(v.begin(), v.end());
    if (v.empty()) {
        std::fprintf(stderr, "alarm.latency: no SOS alarm was seen\n");
        return v;
    }
    std::fprintf(stderr, "alarm.latency%s: %zu SOS alarms of %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                 commandsPerSecond > 0 ? " during commands" : "", v.size(), nextSos, percentile(v, 0.5),
                 percentile(v, 0.99), v.back());
    if (commandsPerSecond > 0) {
        std::sort(commandMs.begin(), commandMs.end());
        std::fprintf(stderr,
                     "alarm.latency during commands: %d commands (%d refused), each durable in p50 %.2f ms, "
                     "p99 %.2f ms\n",
                     commands.load(), refused.load(), percentile(commandMs, 0.5), percentile(commandMs, 0.99));
    }
    return v;
}

// 30,000 camera sites in one district (more than Seoul has in any: the cut at scale).
std::shared_ptr<AssetRegistry> fibreCity(int cameras)
{
    auto registry = std::make_shared<AssetRegistry>();
    Region d;
    d.code = QStringLiteral("11380");
    d.name = QStringLiteral("은평구");
    d.rings = {{{126.90, 37.58}, {126.96, 37.58}, {126.96, 37.64}, {126.90, 37.64}, {126.90, 37.58}}};
    d.bounds = GeoRect{126.90, 37.58, 126.96, 37.64};
    d.labelPoint = {126.93, 37.61};
    registry->addRegion(d);
    for (int i = 0; i < cameras; ++i) {
        Asset a;
        a.kind = AssetKind::CameraSite;
        a.id = QStringLiteral("CAM-%1").arg(i);
        a.latitude = 37.58 + 0.06 * double(i % 200) / 200.0;
        a.longitude = 126.90 + 0.06 * double(i / 200) / double(cameras / 200 + 1);
        registry->addAsset(a);
    }
    registry->finalize();
    return registry;
}

void flood(const Settings &settings)
{
    const int cameras = 30'000;
    const auto registry = fibreCity(cameras);
    EngineOptions options;
    options.databasePath = freshDatabase(settings, QStringLiteral("alarm-flood.db"));
    Engine engine(options);
    engine.openStore();
    // No grace period here: the figure is the engine's work, not the rule's deliberate wait.
    FusionConfig config = FusionConfig::defaults();
    config.graceMs.insert(QStringLiteral("camera_offline"), 0);
    engine.setFusionConfig(config);
    engine.setAssets(registry);
    auto source = std::make_unique<ManualSource>(QStringLiteral("bench"));
    ManualSource *hand = source.get();
    engine.addSource(std::move(source));
    auto dir = engine.sourceDirectory();
    std::vector<Event> cut;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < cameras; ++i) {
        Event e;
        e.kind = EventKind::CameraHealth;
        e.status = qint8(CameraState::Offline);
        e.source = dir->intern(QStringLiteral("CAM-%1").arg(i));
        e.sourceTimeMs = e.receiveTimeMs = nowMs;
        e.sourceEventId = 1;
        cut.push_back(e);
    }
    engine.start();
    const Clock::time_point start = Clock::now();
    hand->bus()->publish(std::move(cut));
    bool grouped = false;
    while (Clock::now() - start < std::chrono::seconds(60)) {
        if (!grouped) {
            for (const Alarm &a : engine.openAlarms())
                grouped = grouped || (a.type == QLatin1String("outage") && a.members.size() == cameras);
        }
        if (grouped && engine.store()->counters().committed >= quint64(cameras))
            break;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const auto alarms = engine.openAlarms();
    engine.stop();
    if (!grouped || alarms.size() != 1) {
        std::fprintf(stderr, "alarm.flood: expected one grouped alarm of %d, got %zu alarms\n", cameras, alarms.size());
        return;
    }
    emit("alarm.flood_30k_ms", ms, "ms", std::nullopt);
}

} // namespace

void alarmBenchmarks(const Settings &settings, const QString &dataDir)
{
    const bool plain = settings.selected("alarm.latency_p99_ms") || settings.selected("alarm.latency_p50_ms");
    const bool commands = settings.selected("alarm.latency_during_commands_p99_ms");
    if (plain || commands) {
        const std::vector<double> v = latency(settings, dataDir, 0);
        if (!v.empty() && plain) {
            emit("alarm.latency_p50_ms", percentile(v, 0.5), "ms", std::nullopt);
            emit("alarm.latency_p99_ms", percentile(v, 0.99), "ms", std::nullopt);
        }
        if (!v.empty() && commands) {
            const std::vector<double> w = latency(settings, dataDir, 50);
            if (!w.empty())
                emit("alarm.latency_during_commands_p99_ms", percentile(w, 0.99), "ms", percentile(v, 0.99));
        }
    }
    if (settings.selected("alarm.flood_30k_ms"))
        flood(settings);
}

} // namespace gwanje::bench
