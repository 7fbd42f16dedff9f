#include "SeoulSimulator.h"

#include "Logging.h"
#include "SimWorld_p.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"

#include <QDateTime>

#include <chrono>

namespace gwanje {

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Normal:
        return QStringLiteral("normal");
    case Scenario::Typhoon:
        return QStringLiteral("typhoon");
    case Scenario::FiberCut:
        return QStringLiteral("fiber-cut");
    case Scenario::MissingPerson:
        return QStringLiteral("missing-person");
    }
    return {};
}

std::optional<Scenario> scenarioFromName(const QString &name)
{
    for (Scenario s : {Scenario::Normal, Scenario::Typhoon, Scenario::FiberCut, Scenario::MissingPerson}) {
        if (scenarioName(s) == name)
            return s;
    }
    return std::nullopt;
}

SeoulSimulator::SeoulSimulator(std::shared_ptr<const AssetRegistry> registry,
                               std::shared_ptr<const AirQualityHistory> air, std::shared_ptr<SourceDirectory> sources,
                               SimulatorConfig config)
    : m_world(std::make_unique<World>(std::move(registry), std::move(air), std::move(sources), config))
    , m_config(config)
{}

SeoulSimulator::~SeoulSimulator()
{
    stop();
}

QString SeoulSimulator::name() const
{
    return QStringLiteral("simulator:%1").arg(scenarioName(m_config.scenario));
}

void SeoulSimulator::run(EventBus &bus)
{
    qCInfo(lcFeed, "simulator: %zu wearers, %zu APs, %zu CCTV sites, %zu sensors, scenario %s, speed %g",
           m_world->devices.size(), m_world->aps.size(), m_world->cameras.size(), m_world->sensors.size(),
           qUtf8Printable(scenarioName(m_config.scenario)), m_config.speed);
    const auto wallStart = std::chrono::steady_clock::now();
    while (!stopping()) {
        if (m_config.stopAfterSeconds > 0 && m_world->second >= m_config.stopAfterSeconds) {
            finish();
            return;
        }
        // Slower than asked when the store cannot keep up: simulated time waits, memory stays bounded.
        bus.waitForRoom(stopFlag());
        std::vector<Event> events;
        {
            std::lock_guard lock(m_mutex);
            m_world->step(events);
        }
        countProduced(events.size());
        // Events carry the simulated clock; receive times stay relative to it.
        if (!events.empty())
            bus.publish(std::move(events));
        while (m_config.lockstep && !stopping() && !bus.waitUntilIdle(100)) {
        }
        if (m_config.speed > 0.0) {
            const auto due =
                wallStart + std::chrono::microseconds(qint64(double(m_world->second) * 1e6 / m_config.speed));
            while (!stopping() && std::chrono::steady_clock::now() < due)
                std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                    due - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
        }
    }
}

void SeoulSimulator::runFor(qint64 seconds, const std::function<void(std::vector<Event> &&)> &sink)
{
    for (qint64 i = 0; i < seconds; ++i) {
        std::vector<Event> events;
        {
            std::lock_guard lock(m_mutex);
            m_world->step(events);
        }
        countProduced(events.size());
        sink(std::move(events));
    }
}

std::vector<SafetyDevice> SeoulSimulator::roster() const
{
    std::lock_guard lock(m_mutex);
    std::vector<SafetyDevice> out;
    out.reserve(m_world->devices.size());
    std::mt19937_64 phones(m_config.seed ^ 0x9e3779b97f4a7c15ULL);
    for (const World::Device &d : m_world->devices) {
        SafetyDevice device;
        device.id = m_world->sources->id(d.source);
        device.category = d.wearer == World::Wearer::Child      ? WearerCategory::Child
                          : d.wearer == World::Wearer::Dementia ? WearerCategory::Dementia
                                                                : WearerCategory::Disabled;
        device.homeDistrict = d.district;
        // Synthetic contacts in the 010-0000-xxxx range, which is not assigned to subscribers.
        device.guardians.push_back({QStringLiteral("보호자"),
                                    QStringLiteral("010-0000-%1").arg(int(phones() % 10000), 4, 10, QLatin1Char('0'))});
        SafeZone home;
        home.name = QStringLiteral("home");
        home.centerLatitude = d.homeLat;
        home.centerLongitude = d.homeLon;
        home.radiusMetres = d.safeRadiusM;
        device.safeZones.push_back(home);
        if (device.category == WearerCategory::Dementia) {
            SafeZone night = home;
            night.name = QStringLiteral("home at night");
            night.radiusMetres = std::min(d.safeRadiusM, 300.0);
            night.activeFromHour = 22;
            night.activeToHour = 6;
            device.safeZones.push_back(night);
        }
        out.push_back(std::move(device));
    }
    return out;
}

qint64 SeoulSimulator::simulatedTimeMs() const
{
    std::lock_guard lock(m_mutex);
    return m_world->nowMs;
}

QJsonObject SeoulSimulator::scenarioReport() const
{
    std::lock_guard lock(m_mutex);
    return m_world->report();
}

} // namespace gwanje
