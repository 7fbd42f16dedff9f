#pragma once

#include "assets/SafetyDevice.h"
#include "events/Event.h"
#include "feeds/ThreadedSource.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace gwanje {

class AirQualityHistory;
class RoadNetwork;
class AssetRegistry;
class SourceDirectory;

enum class Scenario : quint8 {
    Normal,        // an ordinary day
    Typhoon,       // three districts lose many APs, sensors and cameras within minutes
    FiberCut,      // every AP and camera of one district goes offline in the same second
    MissingPerson, // at night, a dementia wearer walks out of the safe zone
};
QString scenarioName(Scenario scenario);
std::optional<Scenario> scenarioFromName(const QString &name);

struct SimulatorConfig
{
    int devices = 5000;      // safety devices (up to 100,000)
    quint64 seed = 20261125; // same seed, same start: same events
    qint64 startMs = 0;      // simulated start, UTC ms; 0 = now (missing-person: 23:00 KST tonight)
    double speed = 1.0;      // simulated seconds per wall second; 0 = as fast as possible
    Scenario scenario = Scenario::Normal;
    QString incidentDistrict;    // fiber-cut: which district (default 은평구)
    qint64 stopAfterSeconds = 0; // > 0: a finite run of that much simulated time
    // Each simulated second is fused before the next is made (the bus idle): the rules see the
    // same batches whatever the machine's speed, so the same seed gives the same alarms.
    bool lockstep = false;
    // Streets to walk along where they cover a wearer's neighbourhood (elsewhere wearers walk
    // straight to where they go); nullptr: straight everywhere.
    std::shared_ptr<const RoadNetwork> roads;
};

// The built-in city: a seeded, reproducible Seoul day on the real assets. Safety devices (children,
// dementia patients, people with disabilities) walk around home inside their district and report
// every 10 s with GPS jitter, some upload late batches out of order, now and then one sends an SOS
// or a fall; public WiFi APs report clients following the time of day and fail now and then;
// S-DoT sensors report PM10/PM2.5 shaped after the 2019 daily data of their district, temperature,
// humidity and noise; CCTV sites flap. Scenarios add their incident. Runs on its own thread.
class SeoulSimulator final : public ThreadedSource
{
public:
    SeoulSimulator(std::shared_ptr<const AssetRegistry> registry, std::shared_ptr<const AirQualityHistory> air,
                   std::shared_ptr<SourceDirectory> sources, SimulatorConfig config);
    ~SeoulSimulator() override;

    QString name() const override;

    // Runs `seconds` of simulated time on the calling thread, handing each second's events to
    // `sink` (for tests and tools; start() does the same on a thread, paced by speed).
    void runFor(qint64 seconds, const std::function<void(std::vector<Event> &&)> &sink);
    qint64 simulatedTimeMs() const;
    // The simulated wearers as the center knows them: category, home district, guardians, safe
    // zone. Built at construction; the fusion rules read it.
    std::vector<SafetyDevice> roster() const override;
    // What the scenario did so far (for the headless report).
    QJsonObject scenarioReport() const;
    QJsonObject report() const override { return scenarioReport(); }

private:
    struct World;
    std::unique_ptr<World> m_world;
    SimulatorConfig m_config;
    mutable std::mutex m_mutex; // guards m_world

    void run(EventBus &bus) override;
};

} // namespace gwanje
