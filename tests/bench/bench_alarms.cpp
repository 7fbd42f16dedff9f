// alarm.latency_p99_ms: from an event's arrival to its alarm in the engine's alarm list, at
// 20,000 events a second through the whole engine (bus, fusion, durable alarm commits, the store's
// writer). alarm.flood_30k_ms: 30,000 camera-offline events at once (a fibre cut at scale) until
// the one grouped alarm stands with every member and every event is durable.

#include "BenchJson.h"
#include "assets/AssetRegistry.h"
#include "data/AssetLoader.h"
#include "engine/Engine.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace gwanje::bench {

namespace {

using Clock = std::chrono::steady_clock;

QString freshDatabase(const Settings &settings, const QString &name)
{
    const QString path = QDir(settings.workDir).filePath(name);
    for (const char *suffix : {"", "-wal", "-shm", ".events-journal"})
        QFile::remove(path + QString::fromLatin1(suffix));
    return path;
}

// A source the benchmark drives by hand: it only hands over the bus.
class HandSource final : public Source
{
public:
    QString name() const override { return QStringLiteral("bench"); }
    bool start(EventBus &bus) override
    {
        m_bus = &bus;
        return true;
    }
    void stop() override {}
    SourceStats stats() const override
    {
        SourceStats s;
        s.finished = true;
        return s;
    }
    EventBus *bus() const { return m_bus; }

private:
    EventBus *m_bus = nullptr;
};

void latency(const Settings &settings, const QString &dataDir)
{
    const auto registry = AssetLoader::loadDirectory(dataDir).registry;
    EngineOptions options;
    options.databasePath = freshDatabase(settings, QStringLiteral("alarm-latency.db"));
    Engine engine(options);
    engine.openStore();
    engine.setAssets(registry);
    auto source = std::make_unique<HandSource>();
    HandSource *hand = source.get();
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
    std::size_t seenAlarms = 0;
    engine.setAlarmsChangedCallback([&] {
        const Clock::time_point now = Clock::now();
        const std::vector<Alarm> alarms = engine.openAlarms();
        std::lock_guard lock(mutex);
        for (std::size_t i = seenAlarms; i < alarms.size(); ++i) {
            if (alarms[i].type != QLatin1String("sos"))
                continue;
            const int wearer = alarms[i].source.mid(3).toInt() - 1;
            if (wearer >= 0 && wearer < devices)
                latencies.push_back(
                    std::chrono::duration<double, std::milli>(now - sentAt[std::size_t(wearer)]).count());
        }
        seenAlarms = alarms.size();
    });
    engine.start();

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
    engine.drained(30'000);
    engine.stop();
    std::vector<double> v;
    {
        std::lock_guard lock(mutex);
        v = latencies;
    }
    if (v.empty()) {
        std::fprintf(stderr, "alarm.latency: no SOS alarm was seen\n");
        return;
    }
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
        return v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
    };
    std::fprintf(stderr, "alarm.latency: %zu SOS alarms of %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", v.size(),
                 nextSos, at(0.5), at(0.99), v.back());
    emit("alarm.latency_p50_ms", at(0.5), "ms", std::nullopt);
    emit("alarm.latency_p99_ms", at(0.99), "ms", std::nullopt);
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
    config.cameraOfflineGraceMs = 0;
    engine.setFusionConfig(config);
    engine.setAssets(registry);
    auto source = std::make_unique<HandSource>();
    HandSource *hand = source.get();
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
    if (settings.selected("alarm.latency_p99_ms"))
        latency(settings, dataDir);
    if (settings.selected("alarm.flood_30k_ms"))
        flood(settings);
}

} // namespace gwanje::bench
