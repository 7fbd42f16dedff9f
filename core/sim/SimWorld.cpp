#include "AirQualityHistory.h"
#include "SimWorld_p.h"

#include "RoadNetwork.h"
#include "assets/AssetRegistry.h"
#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gwanje {

namespace {
constexpr double metresPerDegree = 111'320.0;
constexpr qint64 kstOffsetMs = 9 * 3600 * 1000;

// Home this close to a known street is on it; a walk starts from the street this close to the
// wearer, and goes to the street nearest to the destination within the last distance.
constexpr double onStreetMetres = 150.0;
constexpr double offStreetReachMetres = 400.0;
constexpr double destinationReachMetres = 300.0; // else home: a walk must not leave the safe zone by accident
constexpr int minimumStreetNodes = 100;

double metresBetween(double lat1, double lon1, double lat2, double lon2)
{
    const double dy = (lat2 - lat1) * metresPerDegree;
    const double dx = (lon2 - lon1) * metresPerDegree * std::cos(lat1 * std::numbers::pi / 180.0);
    return std::hypot(dx, dy);
}

double bump(double h, double centre, double width)
{
    const double d = (h - centre) / width;
    return std::exp(-d * d);
}

// The air's daily and seasonal curves (°C and % relative humidity, before the local noise):
// warmest and driest mid-afternoon. season is +1 at midsummer, -1 at midwinter.
double airTemperature(double h, double season)
{
    return 12.5 + 14.0 * season + 4.0 * std::sin(2 * std::numbers::pi * (h - 9.0) / 24.0);
}

double airHumidity(double h, double season)
{
    return 62.0 - 15.0 * std::sin(2 * std::numbers::pi * (h - 9.0) / 24.0) + 8.0 * season;
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODate);
}
} // namespace

template<class T> void SeoulSimulator::World::emitReading(T &sensor, Quantity q, double value, std::vector<Event> &out)
{
    Event e = base(EventKind::SensorReading, sensor.source, sensor.nextEventId);
    e.quantity = q;
    e.value = float(value);
    e.latitude = sensor.lat;
    e.longitude = sensor.lon;
    out.push_back(e);
    ++readings;
}

template<class T> T SeoulSimulator::World::placed(const Asset &a)
{
    T t;
    t.source = sources->intern(a.id);
    t.district = a.district;
    t.lat = a.latitude;
    t.lon = a.longitude;
    return t;
}

SeoulSimulator::World::World(std::shared_ptr<const AssetRegistry> registry_,
                             std::shared_ptr<const AirQualityHistory> air_, std::shared_ptr<SourceDirectory> sources_,
                             const SimulatorConfig &config_)
    : registry(std::move(registry_))
    , air(std::move(air_))
    , sources(std::move(sources_))
    , config(config_)
    , rng(config_.seed)
    , infraRng(config_.seed ^ 0x9e3779b97f4a7c15ull)
{
    startMs = config.startMs;
    if (startMs == 0) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1000 * 1000;
        startMs = now;
        if (config.scenario == Scenario::MissingPerson) {
            // 23:00 KST today.
            const qint64 kstDay = (now + kstOffsetMs) / 86'400'000 * 86'400'000;
            startMs = kstDay + 23 * 3'600'000 - kstOffsetMs;
        }
    }
    nowMs = startMs;
    complaintsSource = sources->intern(QStringLiteral("SEOUL-EUNGDAPSO"));
    const auto &districts = registry->districts();
    const int districtCount = int(districts.size());

    // Assets from the registry.
    for (const Asset &a : registry->assets()) {
        switch (a.kind) {
        case AssetKind::WifiAp: {
            Ap ap;
            ap.source = sources->intern(a.id);
            ap.district = a.district;
            ap.capacity = float(5.0 + 35.0 * uniform());
            // The file says where each AP is (실내/실외); where it does not, the install type tells.
            ap.outdoor = a.setting.isEmpty()
                             ? (a.purpose == QStringLiteral("주요거리") || a.purpose == QStringLiteral("공원/하천") ||
                                a.purpose == QStringLiteral("버스정류소") || a.purpose == QStringLiteral("전통시장"))
                             : a.setting == QStringLiteral("실외");
            aps.push_back(ap);
            break;
        }
        case AssetKind::CameraSite: {
            cameras.push_back(placed<Camera>(a));
            break;
        }
        case AssetKind::Sensor: {
            auto s = placed<Sensor>(a);
            s.station = a.district >= 0 ? districts[std::size_t(a.district)].name : QString();
            s.medium = a.medium;
            if (s.medium == SensorMedium::Air)
                s.bias = float(std::exp(normal(0.15)));
            sensors.push_back(s);
            break;
        }
        case AssetKind::Streetlight: {
            auto l = placed<Lamp>(a);
            // LED retrofits (90-120 W) and older sodium lamps (250 W) on main roads.
            const bool mainRoad = a.purpose == QStringLiteral("primary") || a.purpose == QStringLiteral("trunk") ||
                                  a.purpose == QStringLiteral("motorway") || a.purpose == QStringLiteral("secondary");
            l.ratedWatts = float(a.count) * (mainRoad ? (infraUniform() < 0.6 ? 120.0f : 250.0f) : 90.0f);
            // Spread the reports over the first quarter hour.
            l.reportedAtMs = startMs - qint64(infraUniform() * lampReportEveryMs);
            lamps.push_back(l);
            break;
        }
        case AssetKind::Shelter: {
            auto sh = placed<Shelter>(a);
            sh.station = a.district >= 0 ? districts[std::size_t(a.district)].name : QString();
            shelters.push_back(sh);
            break;
        }
        }
    }

    // Incident places.
    const QString wanted = config.incidentDistrict.isEmpty() ? QStringLiteral("은평구") : config.incidentDistrict;
    for (int i = 0; i < districtCount; ++i) {
        if (districts[std::size_t(i)].name == wanted)
            incidentDistrict = i;
    }
    if (incidentDistrict < 0 && districtCount > 0)
        incidentDistrict = 0;
    if (config.scenario == Scenario::Typhoon) {
        std::vector<int> all(static_cast<std::size_t>(districtCount));
        for (int i = 0; i < districtCount; ++i)
            all[std::size_t(i)] = i;
        std::shuffle(all.begin(), all.end(), rng);
        stormDistricts.assign(all.begin(), all.begin() + std::min(3, districtCount));
    }

    // Wearers and their homes.
    const int n = std::clamp(config.devices, 0, 100'000);
    devices.reserve(std::size_t(n));
    for (int i = 0; i < n && districtCount > 0; ++i) {
        Device d;
        d.source = sources->intern(QStringLiteral("SD-%1").arg(i + 1, 6, 10, QLatin1Char('0')));
        const double r = uniform();
        d.wearer = r < 0.55 ? Wearer::Child : (r < 0.9 ? Wearer::Dementia : Wearer::Disabled);
        d.district = int(rng() % std::uint64_t(districtCount));
        const GeoRect box = districts[std::size_t(d.district)].bounds;
        for (int attempt = 0; attempt < 200; ++attempt) {
            d.homeLon = box.minX + uniform() * box.width();
            d.homeLat = box.minY + uniform() * box.height();
            if (registry->districtAt(d.homeLon, d.homeLat) == d.district)
                break;
        }
        d.safeRadiusM = d.wearer == Wearer::Child ? 1000.0 : (d.wearer == Wearer::Dementia ? 500.0 : 800.0);
        d.speedMps = d.wearer == Wearer::Child ? 1.3 : (d.wearer == Wearer::Dementia ? 0.8 : 0.9);
        d.wanderer = d.wearer == Wearer::Dementia && uniform() < 0.005;
        d.battery = float(40.0 + 60.0 * uniform());
        const double startHour = double((startMs + kstOffsetMs) % 86'400'000) / 3'600'000.0;
        const bool nightStart = startHour >= 22.0 || startHour < 5.0;
        randomPointNear(d.homeLat, d.homeLon, nightStart ? std::min(100.0, d.safeRadiusM * 0.2) : d.safeRadiusM * 0.8,
                        &d.lat, &d.lon);
        // Where the streets are known, people live and are along them.
        if (config.roads && !d.wanderer) {
            // On a network of streets, not on a stray fragment of a clipped extract.
            const int home = config.roads->nearestNode(d.homeLat, d.homeLon, onStreetMetres);
            if (home >= 0 && config.roads->componentSize(config.roads->component(home)) >= minimumStreetNodes) {
                d.homeLat = config.roads->node(home).y();
                d.homeLon = config.roads->node(home).x();
                const int start =
                    config.roads->nearestNode(d.lat, d.lon, offStreetReachMetres, config.roads->component(home));
                d.lat = config.roads->node(start >= 0 ? start : home).y();
                d.lon = config.roads->node(start >= 0 ? start : home).x();
            }
        }
        d.movedAtMs = startMs;
        pickTarget(d);
        devices.push_back(std::move(d));
    }
    if (config.scenario == Scenario::MissingPerson && !devices.empty()) {
        // The missing person: a dementia wearer near the edge of the safe zone, walking out.
        Device &d = devices.front();
        d.wearer = Wearer::Dementia;
        d.wanderer = true;
        d.safeRadiusM = 500.0;
        d.speedMps = 1.1;
        const double bearing = uniform() * 2 * std::numbers::pi;
        const double cosLat = std::cos(d.homeLat * std::numbers::pi / 180.0);
        d.lat = d.homeLat + 400.0 * std::cos(bearing) / metresPerDegree;
        d.lon = d.homeLon + 400.0 * std::sin(bearing) / (metresPerDegree * cosLat);
        d.targetLat = d.homeLat + 3000.0 * std::cos(bearing) / metresPerDegree;
        d.targetLon = d.homeLon + 3000.0 * std::sin(bearing) / (metresPerDegree * cosLat);
        d.dwellUntilMs = 0;
    }
}

bool SeoulSimulator::World::insideSeoul(double lat, double lon) const
{
    return registry->districtAt(lon, lat) >= 0;
}

void SeoulSimulator::World::randomPointNear(double lat, double lon, double radiusM, double *outLat, double *outLon)
{
    const double cosLat = std::cos(lat * std::numbers::pi / 180.0);
    for (int attempt = 0; attempt < 50; ++attempt) {
        const double r = radiusM * std::sqrt(uniform());
        const double a = uniform() * 2 * std::numbers::pi;
        *outLat = lat + r * std::cos(a) / metresPerDegree;
        *outLon = lon + r * std::sin(a) / (metresPerDegree * cosLat);
        if (insideSeoul(*outLat, *outLon))
            return;
    }
    *outLat = lat;
    *outLon = lon;
}

double SeoulSimulator::World::localHour() const
{
    const qint64 kst = (nowMs + kstOffsetMs) % 86'400'000;
    return double(kst) / 3'600'000.0;
}

void SeoulSimulator::World::pickTarget(Device &d)
{
    const double h = localHour();
    const bool night = h >= 22.0 || h < 5.0;
    if (d.wanderer && night) {
        // Dementia wanderers head away from home at night.
        randomPointNear(d.homeLat, d.homeLon, d.safeRadiusM * 5.0, &d.targetLat, &d.targetLon);
        if (metresBetween(d.homeLat, d.homeLon, d.targetLat, d.targetLon) < d.safeRadiusM * 1.5)
            randomPointNear(d.homeLat, d.homeLon, d.safeRadiusM * 5.0, &d.targetLat, &d.targetLon);
        return;
    }
    if (night) { // everyone else is at home at night
        randomPointNear(d.homeLat, d.homeLon, std::min(100.0, d.safeRadiusM * 0.2), &d.targetLat, &d.targetLon);
        return;
    }
    // Mostly within the safe zone; now and then (about once a week each, some thirty an hour among
    // 5,000) a child or a person with a disability goes further.
    const double reach = uniform() < 0.998 ? d.safeRadiusM * 0.9 : d.safeRadiusM * 1.6;
    randomPointNear(d.homeLat, d.homeLon, d.wearer == Wearer::Dementia ? d.safeRadiusM * 0.9 : reach, &d.targetLat,
                    &d.targetLon);
    planRoute(d);
}

void SeoulSimulator::World::planRoute(Device &d)
{
    // Where the streets cover both ends, the walk follows them (the shortest way), from the street
    // nearest to where the wearer is to the street nearest to where they go.
    d.route.clear();
    d.routeNext = 0;
    if (!config.roads || d.wanderer)
        return;
    const int home = config.roads->nearestNode(d.homeLat, d.homeLon, 0.5);
    if (home < 0)
        return; // lives where the streets are not known: straight across
    // Someone who lives along known streets goes somewhere along them: to the street nearest to
    // where they meant to go, from the street nearest to where they are (straight to it first),
    // both on the streets connected to home.
    const int part = config.roads->component(home);
    int to = config.roads->nearestNode(d.targetLat, d.targetLon, destinationReachMetres, part);
    if (to < 0)
        to = home; // too far from these streets: back home
    d.targetLat = config.roads->node(to).y();
    d.targetLon = config.roads->node(to).x();
    const int from = config.roads->nearestNode(d.lat, d.lon, offStreetReachMetres, part);
    if (from < 0 || from == to || !config.roads->path(from, to, d.route)) {
        d.route.clear();
        return;
    }
    d.targetLat = d.route.back().y();
    d.targetLon = d.route.back().x();
    ++routes;
}

void SeoulSimulator::World::moveDevice(Device &d)
{
    const double dt = double(nowMs - d.movedAtMs) / 1000.0;
    d.movedAtMs = nowMs;
    d.battery = std::max(0.0f, d.battery - float(dt / 3600.0 * 0.6));
    if (nowMs < d.dwellUntilMs)
        return;
    double step = d.speedMps * dt;
    // Along the route, point by point; what is left of the step after the last one is spent below.
    while (d.routeNext < d.route.size()) {
        const QPointF &p = d.route[d.routeNext];
        const double toPoint = metresBetween(d.lat, d.lon, p.y(), p.x());
        if (step < toPoint) {
            const double f = step / toPoint;
            d.lat += (p.y() - d.lat) * f;
            d.lon += (p.x() - d.lon) * f;
            return;
        }
        step -= toPoint;
        d.lat = p.y();
        d.lon = p.x();
        ++d.routeNext;
    }
    const double remaining = metresBetween(d.lat, d.lon, d.targetLat, d.targetLon);
    if (step >= remaining) {
        d.lat = d.targetLat;
        d.lon = d.targetLon;
        if (uniform() < 0.35) // stays a while: school, market, bench
            d.dwellUntilMs = nowMs + qint64((60.0 + uniform() * 1200.0) * 1000.0);
        pickTarget(d);
        return;
    }
    const double f = step / remaining;
    d.lat += (d.targetLat - d.lat) * f;
    d.lon += (d.targetLon - d.lon) * f;
}

Event SeoulSimulator::World::base(EventKind kind, quint32 source, quint64 &nextId) const
{
    Event e;
    e.kind = kind;
    e.source = source;
    e.sourceTimeMs = nowMs;
    e.receiveTimeMs = nowMs;
    // A run's ids start from its start time (seconds, shifted past a million events per source), so
    // a later run on the same database goes on where the last one left off instead of sending ids
    // 1, 2, 3... again. The same --start gives the same ids: a rerun re-delivers the same events.
    e.sourceEventId = (quint64(std::max<qint64>(startMs, 0) / 1000) << 20) + nextId++;
    return e;
}

Event SeoulSimulator::World::position(Device &d)
{
    Event e = base(EventKind::PositionFix, d.source, d.nextEventId);
    // GPS: a few metres of noise, and now and then a multipath outlier.
    const bool outlier = uniform() < 0.03;
    const double sigma = outlier ? 45.0 : 6.0;
    const double cosLat = std::cos(d.lat * std::numbers::pi / 180.0);
    const double dn = normal(sigma), de = normal(sigma);
    e.latitude = d.lat + dn / metresPerDegree;
    e.longitude = d.lon + de / (metresPerDegree * cosLat);
    e.accuracy = float(outlier ? 40.0 + 30.0 * uniform() : 4.0 + 8.0 * uniform());
    e.speed = nowMs < d.dwellUntilMs ? 0.0f : float(d.speedMps + normal(0.2));
    e.battery = std::round(d.battery);
    e.receiveTimeMs = nowMs + 300 + qint64(uniform() * 700.0);
    return e;
}

void SeoulSimulator::World::devicesStep(std::vector<Event> &out)
{
    // Each device reports every 10 s; a tenth of them in each second.
    for (std::size_t i = std::size_t(second % 10); i < devices.size(); i += 10) {
        Device &d = devices[i];
        moveDevice(d);
        if (d.wanderer && wandererLeftSafeZoneAtMs == 0 &&
            metresBetween(d.homeLat, d.homeLon, d.lat, d.lon) > d.safeRadiusM)
            wandererLeftSafeZoneAtMs = nowMs;
        // About once a day a device drops off the network for 5 to 30 minutes: it says so (or the
        // network does), sends nothing meanwhile, and says when it is back.
        if (d.offlineUntilMs != 0) {
            if (nowMs < d.offlineUntilMs)
                continue;
            d.offlineUntilMs = 0;
            Event online = base(EventKind::DeviceOnline, d.source, d.nextEventId);
            online.battery = std::round(d.battery);
            out.push_back(online);
        } else if (d.bufferUntilMs == 0 && uniform() < 1.0 / 8640.0) {
            d.offlineUntilMs = nowMs + qint64((300.0 + uniform() * 1500.0) * 1000.0);
            Event offline = base(EventKind::DeviceOffline, d.source, d.nextEventId);
            offline.battery = std::round(d.battery);
            out.push_back(offline);
            ++deviceOfflineEvents;
            continue;
        }
        Event fix = position(d);
        ++fixes;
        if (d.bufferUntilMs == 0 && uniform() < 1.0 / 1080.0) // about every 3 hours: signal lost
            d.bufferUntilMs = nowMs + qint64((120.0 + uniform() * 480.0) * 1000.0);
        if (d.bufferUntilMs != 0) {
            d.buffered.push_back(fix);
            if (nowMs >= d.bufferUntilMs) {
                // The backlog arrives at once, in no particular order.
                std::shuffle(d.buffered.begin(), d.buffered.end(), rng);
                for (Event &late : d.buffered) {
                    late.receiveTimeMs = nowMs + 500;
                    out.push_back(late);
                }
                lateFixes += d.buffered.size();
                d.buffered.clear();
                d.bufferUntilMs = 0;
            }
            continue;
        }
        out.push_back(fix);
    }
    if (devices.empty())
        return;
    // SOS about once per wearer per 20 days; falls once per 60 days (Poisson over everyone).
    const double n = double(devices.size());
    const int sosCount = std::poisson_distribution<int>(n / (20.0 * 86400.0))(rng);
    const int fallCount = std::poisson_distribution<int>(n / (60.0 * 86400.0))(rng);
    for (int k = 0; k < sosCount + fallCount; ++k) {
        Device &d = devices[std::size_t(rng() % devices.size())];
        Event e = base(k < sosCount ? EventKind::Sos : EventKind::Fall, d.source, d.nextEventId);
        e.latitude = d.lat + normal(5.0) / metresPerDegree;
        e.longitude = d.lon + normal(5.0) / metresPerDegree;
        e.battery = std::round(d.battery);
        out.push_back(e);
        ++(k < sosCount ? sos : falls);
    }
}

void SeoulSimulator::World::apsStep(std::vector<Event> &out)
{
    const double h = localHour();
    const double indoor = 0.08 + 0.9 * bump(h, 13.0, 4.0) + 0.4 * bump(h, 19.0, 2.5);
    const double outdoor = 0.05 + 0.6 * bump(h, 12.5, 3.5) + 0.8 * bump(h, 19.5, 2.5);
    for (std::size_t i = std::size_t(second % 300); i < aps.size(); i += 300) {
        Ap &ap = aps[i];
        if (!ap.forcedDown) {
            if (ap.up && uniform() < 300.0 / (30.0 * 86400.0)) {
                ap.up = false;
                ap.downUntilMs = nowMs + qint64((300.0 + uniform() * 3300.0) * 1000.0);
                ++apDownEvents;
            } else if (!ap.up && nowMs >= ap.downUntilMs) {
                ap.up = true;
            }
        }
        Event e = base(EventKind::ApStatus, ap.source, ap.nextEventId);
        e.status = ap.up ? 1 : 0;
        const double load = ap.outdoor ? outdoor : indoor;
        e.count = ap.up ? std::max(0, int(std::lround(ap.capacity * load * std::exp(normal(0.25))))) : 0;
        out.push_back(e);
    }
}

void SeoulSimulator::World::camerasStep(std::vector<Event> &out)
{
    if (cameras.empty())
        return;
    // A CCTV site drops or freezes about once in 10 days, for 1 to 30 minutes.
    const int flaps = std::poisson_distribution<int>(double(cameras.size()) / (10.0 * 86400.0))(rng);
    for (int k = 0; k < flaps; ++k) {
        Camera &c = cameras[std::size_t(rng() % cameras.size())];
        if (c.state != CameraState::Online || c.forced)
            continue;
        c.state = uniform() < 0.7 ? CameraState::Offline : CameraState::Frozen;
        c.backAtMs = nowMs + qint64((60.0 + uniform() * 1740.0) * 1000.0);
        Event e = base(EventKind::CameraHealth, c.source, c.nextEventId);
        e.status = qint8(c.state);
        e.latitude = c.lat;
        e.longitude = c.lon;
        out.push_back(e);
        ++cameraOfflineEvents;
    }
    // Recoveries, checked on a slice each second.
    for (std::size_t i = std::size_t(second % 60); i < cameras.size(); i += 60) {
        Camera &c = cameras[i];
        if (c.state != CameraState::Online && !c.forced && nowMs >= c.backAtMs) {
            c.state = CameraState::Online;
            Event e = base(EventKind::CameraHealth, c.source, c.nextEventId);
            e.status = qint8(CameraState::Online);
            e.latitude = c.lat;
            e.longitude = c.lon;
            out.push_back(e);
        }
    }
}

void SeoulSimulator::World::sensorsStep(std::vector<Event> &out)
{
    const double h = localHour();
    const QDateTime kst = QDateTime::fromMSecsSinceEpoch(nowMs + kstOffsetMs, QTimeZone::utc());
    const int dayOfYear = kst.date().dayOfYear() - 1;
    const double rush = 1.0 + 0.15 * bump(h, 8.0, 2.0) + 0.12 * bump(h, 19.0, 2.5) - 0.06;
    const double season = std::sin(2 * std::numbers::pi * (dayOfYear - 105) / 365.0);
    for (std::size_t i = std::size_t(second % 120); i < sensors.size(); i += 120) {
        Sensor &s = sensors[i];
        if (s.medium != SensorMedium::Air) {
            waterReadings(s, h, season, out);
            continue;
        }
        const AirQualityHistory::Day day =
            air ? air->day(s.station, dayOfYear) : AirQualityHistory::Day{float(40), float(22)};
        const double wash = s.storm ? 0.4 : 1.0;
        auto reading = [&](Quantity q, double value) {
            emitReading(s, q, value, out);
        };
        reading(Quantity::Pm10, std::max(1.0, day.pm10 * s.bias * rush * wash * std::exp(normal(0.15))));
        reading(Quantity::Pm25, std::max(1.0, day.pm25 * s.bias * rush * wash * std::exp(normal(0.15))));
        reading(Quantity::Temperature, airTemperature(h, season) + normal(0.5));
        reading(Quantity::Humidity,
                s.storm ? 97.0 + 3.0 * uniform() : std::clamp(airHumidity(h, season) + normal(5.0), 15.0, 100.0));
        reading(Quantity::Noise, s.storm ? 85.0 + 10.0 * uniform() : 45.0 + 15.0 * bump(h, 13.0, 6.0) + normal(3.0));
    }
}

void SeoulSimulator::World::waterReadings(Sensor &s, double h, double season, std::vector<Event> &out)
{
    auto reading = [&](Quantity q, double value) {
        emitReading(s, q, value, out);
    };
    const double daylight = bump(h, 14.0, 4.0); // photosynthesis: oxygen and pH peak in the afternoon
    if (s.medium == SensorMedium::TapWater) {
        // Arisu tap water: stable, chlorinated, clear.
        reading(Quantity::Ph, 7.1 + infraNormal(0.08));
        reading(Quantity::Turbidity, std::max(0.01, 0.07 + infraNormal(0.02)));
        reading(Quantity::ResidualChlorine, std::max(0.0, 0.45 + infraNormal(0.06)));
        reading(Quantity::Temperature, 14.0 + 9.0 * season + infraNormal(0.3));
        return;
    }
    // A pond or stream: water temperature lags the air; oxygen falls as it warms (saturation
    // ~14.6 mg/L at 0 °C, ~8.3 at 25 °C); a storm stirs up silt.
    const double water = std::max(2.0, 15.0 + 11.0 * season + 1.5 * daylight + infraNormal(0.3));
    const double saturation = 14.6 - 0.41 * water + 0.008 * water * water;
    reading(Quantity::Temperature, water);
    reading(Quantity::DissolvedOxygen, std::max(0.5, saturation * (0.85 + 0.15 * daylight) + infraNormal(0.3)));
    reading(Quantity::Ph, 7.4 + 0.4 * daylight + infraNormal(0.1));
    reading(Quantity::Turbidity, std::max(0.5, (s.storm ? 80.0 : 6.0) * std::exp(infraNormal(0.25))));
}

// Sunset and sunrise in Seoul (KST hours), near enough for a photocell: 17:15 and 07:45 in
// December, 19:55 and 05:10 in June.
double SeoulSimulator::World::sunset(int dayOfYear)
{
    return 18.55 + 1.35 * std::sin(2 * std::numbers::pi * (dayOfYear - 80) / 365.0);
}

double SeoulSimulator::World::sunrise(int dayOfYear)
{
    return 6.45 - 1.3 * std::sin(2 * std::numbers::pi * (dayOfYear - 80) / 365.0);
}

void SeoulSimulator::World::lampsStep(std::vector<Event> &out)
{
    if (lamps.empty())
        return;
    const double h = localHour();
    const QDateTime kst = QDateTime::fromMSecsSinceEpoch(nowMs + kstOffsetMs, QTimeZone::utc());
    const int dayOfYear = kst.date().dayOfYear() - 1;
    // The photocell switches on a little after sunset and off a little before sunrise.
    const bool night = h >= sunset(dayOfYear) + 0.15 || h < sunrise(dayOfYear) - 0.15;
    // About one lamp in 200 fails in a night; the crew repairs it in one to three days.
    if (night) {
        const int failures = std::poisson_distribution<int>(double(lamps.size()) * 0.005 / (12.0 * 3600.0))(infraRng);
        for (int k = 0; k < failures; ++k) {
            Lamp &l = lamps[std::size_t(infraRng() % lamps.size())];
            if (l.broken)
                continue;
            const double r = infraUniform();
            l.broken = true;
            l.fault =
                r < 0.7 ? LampState::DefectiveLamp : (r < 0.85 ? LampState::BrokenLantern : LampState::ColumnIssue);
            l.repairAtMs = nowMs + qint64((1.0 + 2.0 * infraUniform()) * 86'400'000.0);
            l.reportedAtMs = 0; // reports at once
            ++lampFaults;
        }
    }
    for (std::size_t i = std::size_t(second % 60); i < lamps.size(); i += 60) {
        Lamp &l = lamps[i];
        if (l.broken && nowMs >= l.repairAtMs && !night)
            l.broken = false; // repaired by day
        const bool on = night && !l.broken;
        const LampState state = l.broken ? l.fault : (on ? LampState::Ok : LampState::Off);
        if (state == l.state && nowMs - l.reportedAtMs < lampReportEveryMs)
            continue;
        Event e = base(EventKind::StreetlightStatus, l.source, l.nextEventId);
        e.status = qint8(state);
        // A failed LED driver draws nothing; a broken lantern's lamp still burns; off is standby.
        const double watts = state == LampState::Ok || state == LampState::BrokenLantern ? l.ratedWatts : 2.0;
        e.value = float(watts * (1.0 + infraNormal(0.02)));
        e.latitude = l.lat;
        e.longitude = l.lon;
        out.push_back(e);
        l.state = state;
        l.reportedAtMs = nowMs;
        ++lampReports;
    }
}

void SeoulSimulator::World::shelterDown(Shelter &sh, std::vector<Event> &out)
{
    sh.displayUp = false;
    Event e = base(EventKind::DeviceOffline, sh.source, sh.nextEventId);
    e.latitude = sh.lat;
    e.longitude = sh.lon;
    out.push_back(e);
    ++shelterOfflineEvents;
}

void SeoulSimulator::World::sheltersStep(std::vector<Event> &out)
{
    if (shelters.empty())
        return;
    auto status = [&](Shelter &sh, bool up) {
        if (!up) {
            shelterDown(sh, out);
            return;
        }
        sh.displayUp = true;
        Event e = base(EventKind::DeviceOnline, sh.source, sh.nextEventId);
        e.latitude = sh.lat;
        e.longitude = sh.lon;
        out.push_back(e);
    };
    // A shelter's display hangs or loses its link about once in two weeks, for one to six hours.
    const int faults = std::poisson_distribution<int>(double(shelters.size()) / (14.0 * 86400.0))(infraRng);
    for (int k = 0; k < faults; ++k) {
        Shelter &sh = shelters[std::size_t(infraRng() % shelters.size())];
        if (!sh.displayUp || sh.forced)
            continue;
        sh.backAtMs = nowMs + qint64((1.0 + 5.0 * infraUniform()) * 3'600'000.0);
        status(sh, false);
    }
    const double h = localHour();
    const QDateTime kst = QDateTime::fromMSecsSinceEpoch(nowMs + kstOffsetMs, QTimeZone::utc());
    const int dayOfYear = kst.date().dayOfYear() - 1;
    const double season = std::sin(2 * std::numbers::pi * (dayOfYear - 105) / 365.0);
    // Every five minutes each shelter's weather and air sensors report, while its link is up.
    for (std::size_t i = std::size_t(second % 300); i < shelters.size(); i += 300) {
        Shelter &sh = shelters[i];
        if (!sh.displayUp && !sh.forced && nowMs >= sh.backAtMs)
            status(sh, true);
        if (!sh.displayUp)
            continue;
        const AirQualityHistory::Day day =
            air ? air->day(sh.station, dayOfYear) : AirQualityHistory::Day{float(40), float(22)};
        auto reading = [&](Quantity q, double value) {
            emitReading(sh, q, value, out);
        };
        reading(Quantity::Temperature, airTemperature(h, season) + infraNormal(0.5));
        reading(Quantity::Humidity, std::clamp(airHumidity(h, season) + infraNormal(5.0), 15.0, 100.0));
        // At the kerb: a little above the district's background.
        reading(Quantity::Pm10, std::max(1.0, day.pm10 * 1.1 * std::exp(infraNormal(0.15))));
        reading(Quantity::Pm25, std::max(1.0, day.pm25 * 1.1 * std::exp(infraNormal(0.15))));
    }
}

void SeoulSimulator::World::reportsStep(std::vector<Event> &out)
{
    // Citizens' map-based complaints (응답소): some 400 a day city-wide, most in the afternoon
    // and evening; a storm brings many more from where it hits. A dark street is reported near a
    // lamp that failed.
    if (cameras.empty())
        return;
    const double h = localHour();
    const bool storm = config.scenario == Scenario::Typhoon && second >= 60 && second < 3600;
    const double perSecond = 400.0 / 86400.0 * (0.3 + 1.4 * bump(h, 15.0, 5.0)) * (storm ? 20.0 : 1.0);
    const int n = std::poisson_distribution<int>(perSecond)(infraRng);
    static const char *const everyday[] = {
        "불법 주정차 신고", "쓰레기 무단투기", "도로 파손(포트홀) 신고", "보도블록 파손",         "공사장 소음 민원",
        "불법 현수막 신고", "하수구 악취",     "신호등 고장 신고",       "방범용 CCTV 설치 요청", "공원 시설물 파손",
    };
    static const char *const stormy[] = {"도로 침수", "가로수 쓰러짐", "간판 추락 위험", "맨홀 역류"};
    const bool dark = h >= 17.0 || h < 6.5;
    for (int k = 0; k < n; ++k) {
        Event e = base(EventKind::CitizenReport, complaintsSource, nextComplaintId);
        double lat = 0, lon = 0, spreadM = 80.0;
        const Lamp *lamp = nullptr;
        if (dark && !lamps.empty() && infraUniform() < 0.3) {
            for (int attempt = 0; attempt < 20 && !lamp; ++attempt) {
                const Lamp &l = lamps[std::size_t(infraRng() % lamps.size())];
                if (l.broken)
                    lamp = &l;
            }
        }
        if (lamp) {
            lat = lamp->lat;
            lon = lamp->lon;
            spreadM = 20.0;
            e.text = QStringLiteral("가로등이 꺼져 있어 어둡습니다");
        } else {
            // People are where the cameras are: near a random CCTV site (in the storm's districts
            // when it blows).
            const Camera *c = &cameras[std::size_t(infraRng() % cameras.size())];
            for (int attempt = 0; storm && attempt < 50; ++attempt) {
                if (std::find(stormDistricts.begin(), stormDistricts.end(), c->district) != stormDistricts.end())
                    break;
                c = &cameras[std::size_t(infraRng() % cameras.size())];
            }
            lat = c->lat;
            lon = c->lon;
            e.text = QString::fromUtf8(storm ? stormy[infraRng() % std::size(stormy)]
                                             : everyday[infraRng() % std::size(everyday)]);
        }
        const double r = spreadM * std::sqrt(infraUniform()), a = infraUniform() * 2 * std::numbers::pi;
        e.latitude = lat + r * std::cos(a) / metresPerDegree;
        e.longitude = lon + r * std::sin(a) / (metresPerDegree * std::cos(lat * std::numbers::pi / 180.0));
        out.push_back(e);
        ++citizenReports;
    }
}

void SeoulSimulator::World::scenarioStep(std::vector<Event> &out)
{
    auto apDown = [&](Ap &ap) {
        ap.forcedDown = true;
        ap.up = false;
        Event e = base(EventKind::ApStatus, ap.source, ap.nextEventId);
        e.status = 0;
        out.push_back(e);
        ++apDownEvents;
    };
    auto cameraDown = [&](Camera &c) {
        c.forced = true;
        c.state = CameraState::Offline;
        Event e = base(EventKind::CameraHealth, c.source, c.nextEventId);
        e.status = qint8(CameraState::Offline);
        e.latitude = c.lat;
        e.longitude = c.lon;
        out.push_back(e);
        ++cameraOfflineEvents;
    };
    switch (config.scenario) {
    case Scenario::FiberCut:
        if (second == 30) { // the cut: every AP and camera behind it at once
            for (Ap &ap : aps) {
                if (ap.district == incidentDistrict)
                    apDown(ap);
            }
            for (Camera &c : cameras) {
                if (c.district == incidentDistrict)
                    cameraDown(c);
            }
            for (Shelter &sh : shelters) { // their displays are on the same fibre
                if (sh.district == incidentDistrict && sh.displayUp) {
                    sh.forced = true;
                    shelterDown(sh, out);
                }
            }
        } else if (second == 30 + 1800) { // spliced after half an hour
            for (Shelter &sh : shelters) {
                if (sh.forced) {
                    sh.forced = false;
                    sh.backAtMs = 0;
                }
            }
            for (Ap &ap : aps) {
                if (ap.district == incidentDistrict) {
                    ap.forcedDown = false;
                    ap.up = true;
                }
            }
            for (Camera &c : cameras) {
                if (c.district == incidentDistrict) {
                    c.forced = false;
                    c.backAtMs = 0;
                }
            }
        }
        break;
    case Scenario::Typhoon:
        if (second >= 60 && second < 360) { // landfall: five minutes of failures
            auto hit = [this](int district) {
                return std::find(stormDistricts.begin(), stormDistricts.end(), district) != stormDistricts.end();
            };
            for (Ap &ap : aps) {
                if (!ap.forcedDown && hit(ap.district) && uniform() < 0.4 / 300.0)
                    apDown(ap);
            }
            for (Camera &c : cameras) {
                if (!c.forced && hit(c.district) && uniform() < 0.15 / 300.0)
                    cameraDown(c);
            }
            for (Lamp &l : lamps) { // the wind bends columns and breaks lanterns
                if (!l.broken && hit(l.district) && infraUniform() < 0.03 / 300.0) {
                    l.broken = true;
                    l.fault = infraUniform() < 0.5 ? LampState::ColumnIssue : LampState::BrokenLantern;
                    l.repairAtMs = nowMs + qint64((1.0 + 2.0 * infraUniform()) * 86'400'000.0);
                    l.reportedAtMs = 0;
                    ++lampFaults;
                }
            }
            for (Shelter &sh : shelters) {
                if (sh.displayUp && hit(sh.district) && infraUniform() < 0.2 / 300.0) {
                    sh.backAtMs = nowMs + qint64((2.0 + 4.0 * infraUniform()) * 3'600'000.0);
                    shelterDown(sh, out);
                }
            }
            if (second == 60) {
                for (Sensor &s : sensors)
                    s.storm = hit(s.district);
            }
        }
        break;
    case Scenario::MissingPerson:
    case Scenario::Normal:
        break;
    }
}

void SeoulSimulator::World::step(std::vector<Event> &out)
{
    nowMs = startMs + second * 1000;
    scenarioStep(out);
    devicesStep(out);
    apsStep(out);
    camerasStep(out);
    sensorsStep(out);
    lampsStep(out);
    sheltersStep(out);
    reportsStep(out);
    ++second;
}

QJsonObject SeoulSimulator::World::report() const
{
    QJsonArray storm;
    for (int d : stormDistricts)
        storm.append(registry->districts()[std::size_t(d)].name);
    QJsonObject o{
        {QStringLiteral("name"), scenarioName(config.scenario)},
        {QStringLiteral("seed"), QString::number(config.seed)},
        {QStringLiteral("sim_start"), iso(startMs)},
        {QStringLiteral("sim_seconds"), double(second)},
        {QStringLiteral("devices"), int(devices.size())},
        {QStringLiteral("aps"), int(aps.size())},
        {QStringLiteral("camera_sites"), int(cameras.size())},
        {QStringLiteral("sensors"), int(sensors.size())},
        {QStringLiteral("fixes"), double(fixes)},
        {QStringLiteral("late_fixes"), double(lateFixes)},
        {QStringLiteral("device_offline_events"), double(deviceOfflineEvents)},
        {QStringLiteral("sos"), double(sos)},
        {QStringLiteral("falls"), double(falls)},
        {QStringLiteral("ap_down_events"), double(apDownEvents)},
        {QStringLiteral("camera_offline_events"), double(cameraOfflineEvents)},
        {QStringLiteral("sensor_readings"), double(readings)},
        {QStringLiteral("street_walks"), double(routes)},
        {QStringLiteral("streetlights"), int(lamps.size())},
        {QStringLiteral("streetlight_reports"), double(lampReports)},
        {QStringLiteral("streetlight_faults"), double(lampFaults)},
        {QStringLiteral("shelters"), int(shelters.size())},
        {QStringLiteral("shelter_offline_events"), double(shelterOfflineEvents)},
        {QStringLiteral("citizen_reports"), double(citizenReports)},
    };
    int children = 0, dementia = 0, disabled = 0;
    for (const Device &d : devices) {
        children += d.wearer == Wearer::Child;
        dementia += d.wearer == Wearer::Dementia;
        disabled += d.wearer == Wearer::Disabled;
    }
    o.insert(QStringLiteral("wearers"), QJsonObject{{QStringLiteral("child"), children},
                                                    {QStringLiteral("dementia"), dementia},
                                                    {QStringLiteral("disabled"), disabled}});
    if (config.scenario == Scenario::FiberCut && incidentDistrict >= 0)
        o.insert(QStringLiteral("district"), registry->districts()[std::size_t(incidentDistrict)].name);
    if (config.scenario == Scenario::Typhoon)
        o.insert(QStringLiteral("districts"), storm);
    if (config.scenario == Scenario::MissingPerson && !devices.empty()) {
        o.insert(QStringLiteral("wearer"), sources->id(devices.front().source));
        o.insert(QStringLiteral("left_safe_zone_at"),
                 wandererLeftSafeZoneAtMs ? QJsonValue(iso(wandererLeftSafeZoneAtMs)) : QJsonValue());
    }
    return o;
}

} // namespace gwanje
