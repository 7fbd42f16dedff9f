#pragma once

// Private to the simulator: the simulated city and its rules.

#include "SeoulSimulator.h"
#include "assets/Asset.h"
#include "events/Event.h"

#include <QJsonObject>
#include <QPointF>

#include <random>
#include <vector>

namespace gwanje {

class AirQualityHistory;
class AssetRegistry;
class SourceDirectory;

struct SeoulSimulator::World
{
    enum class Wearer : quint8 { Child, Dementia, Disabled };

    struct Device
    {
        quint32 source = 0;
        Wearer wearer = Wearer::Child;
        int district = 0;
        double homeLat = 0, homeLon = 0, safeRadiusM = 800;
        double lat = 0, lon = 0;             // true position
        double targetLat = 0, targetLon = 0; // walking towards
        double speedMps = 1.0;
        qint64 movedAtMs = 0;
        qint64 dwellUntilMs = 0;
        float battery = 100.0f;
        quint64 nextEventId = 1;
        bool wanderer = false;
        qint64 bufferUntilMs = 0;  // uploading late: fixes are held until then
        qint64 offlineUntilMs = 0; // switched off or out of coverage (subway, flat battery) until then
        std::vector<Event> buffered;
        std::vector<QPointF> route; // along the streets (lon/lat), when they cover the way
        std::size_t routeNext = 0;  // the next point of route to walk to
    };
    struct Ap
    {
        quint32 source = 0;
        int district = -1;
        float capacity = 20.0f;
        bool outdoor = false;
        bool up = true;
        qint64 downUntilMs = 0;
        bool forcedDown = false; // a scenario holds it down
        quint64 nextEventId = 1;
    };
    struct Camera
    {
        quint32 source = 0;
        int district = -1;
        double lat = 0, lon = 0;
        CameraState state = CameraState::Online;
        qint64 backAtMs = 0;
        bool forced = false;
        quint64 nextEventId = 1;
    };
    struct Sensor
    {
        quint32 source = 0;
        int district = -1;
        double lat = 0, lon = 0;
        QString station;
        float bias = 1.0f; // local factor on the district's PM
        SensorMedium medium = SensorMedium::Air;
        bool storm = false;
        quint64 nextEventId = 1;
    };

    struct Lamp
    {
        quint32 source = 0;
        int district = -1;
        double lat = 0, lon = 0;
        float ratedWatts = 150.0f;
        LampState state = LampState::Off; // as last reported
        bool broken = false;              // a fault stands until the repair crew comes
        LampState fault = LampState::DefectiveLamp;
        qint64 repairAtMs = 0;
        qint64 reportedAtMs = 0;
        quint64 nextEventId = 1;
    };
    struct Shelter
    {
        quint32 source = 0;
        int district = -1;
        double lat = 0, lon = 0;
        QString station;
        bool displayUp = true;
        bool forced = false; // a scenario holds it down
        qint64 backAtMs = 0;
        quint64 nextEventId = 1;
    };

    World(std::shared_ptr<const AssetRegistry> registry, std::shared_ptr<const AirQualityHistory> air,
          std::shared_ptr<SourceDirectory> sources, const SimulatorConfig &config);

    // Advances one simulated second and appends what happened in it.
    void step(std::vector<Event> &out);
    QJsonObject report() const;

    // A fixed asset of the registry as the simulation keeps it: its source and where it is.
    template<class T> T placed(const Asset &a); // in SimWorld.cpp, its only user
    // One reading of a sensor or a shelter's sensors, at its place.
    template<class T> void emitReading(T &sensor, Quantity q, double value, std::vector<Event> &out);

    // Places and rules.
    bool insideSeoul(double lat, double lon) const;
    void randomPointNear(double lat, double lon, double radiusM, double *outLat, double *outLon);
    void planRoute(Device &d);
    void pickTarget(Device &d);
    void moveDevice(Device &d);
    Event position(Device &d);
    void devicesStep(std::vector<Event> &out);
    void apsStep(std::vector<Event> &out);
    void camerasStep(std::vector<Event> &out);
    void sensorsStep(std::vector<Event> &out);
    void waterReadings(Sensor &s, double h, double season, std::vector<Event> &out);
    void lampsStep(std::vector<Event> &out);
    static double sunset(int dayOfYear);  // KST hours
    static double sunrise(int dayOfYear); // KST hours
    static constexpr qint64 lampReportEveryMs = 15 * 60'000;
    void sheltersStep(std::vector<Event> &out);
    void shelterDown(Shelter &sh, std::vector<Event> &out);
    void reportsStep(std::vector<Event> &out);
    void scenarioStep(std::vector<Event> &out);
    Event base(EventKind kind, quint32 source, quint64 &nextId) const;
    double localHour() const; // KST, fractional
    double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
    double normal(double sigma) { return std::normal_distribution<double>(0.0, sigma)(rng); }
    // The streetlights, shelters and water sensors draw from their own stream, so adding them (or
    // a city having none) leaves the wearers' and the network's random course as it was.
    double infraUniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(infraRng); }
    double infraNormal(double sigma) { return std::normal_distribution<double>(0.0, sigma)(infraRng); }

    std::shared_ptr<const AssetRegistry> registry;
    std::shared_ptr<const AirQualityHistory> air;
    std::shared_ptr<SourceDirectory> sources;
    SimulatorConfig config;
    std::mt19937_64 rng;
    std::mt19937_64 infraRng;
    qint64 nowMs = 0;
    qint64 startMs = 0;
    qint64 second = 0; // simulated seconds since start
    std::vector<Device> devices;
    std::vector<Ap> aps;
    std::vector<Camera> cameras;
    std::vector<Sensor> sensors;
    std::vector<Lamp> lamps;
    std::vector<Shelter> shelters;
    int incidentDistrict = -1;
    std::vector<int> stormDistricts;

    // What happened, for the report.
    quint64 deviceOfflineEvents = 0;
    quint64 routes = 0; // walks planned along the streets
    quint64 fixes = 0, lateFixes = 0, sos = 0, falls = 0, apDownEvents = 0, cameraOfflineEvents = 0, readings = 0;
    quint64 lampReports = 0, lampFaults = 0, shelterOfflineEvents = 0, citizenReports = 0;
    quint32 complaintsSource = 0; // the city's complaint system (응답소): citizens' map reports
    quint64 nextComplaintId = 1;
    qint64 wandererLeftSafeZoneAtMs = 0;
};

} // namespace gwanje
