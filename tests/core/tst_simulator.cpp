// The built-in Seoul simulator on the real shipped data: reproducible, plausible, and each
// scenario does what it says.
#include "TestSupport.h"
#include "data/AssetLoader.h"
#include "events/SourceDirectory.h"
#include "sim/AirQualityHistory.h"
#include "sim/RoadNetwork.h"
#include "sim/SeoulSimulator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>
#include <QTimeZone>

#include <map>
#include <set>

using namespace gwanje;

namespace {
// 2026-11-25 10:00 KST.
const qint64 morning = QDateTime::fromString(QStringLiteral("2026-11-25T01:00:00Z"), Qt::ISODate).toMSecsSinceEpoch();
} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT

    std::shared_ptr<AssetRegistry> m_registry;
    std::shared_ptr<AirQualityHistory> m_air;

    std::vector<Event> run(SimulatorConfig config, qint64 seconds, std::shared_ptr<SourceDirectory> dir,
                           QJsonObject *report = nullptr)
    {
        SeoulSimulator sim(m_registry, m_air, dir, config);
        std::vector<Event> all;
        sim.runFor(seconds,
                   [&all](std::vector<Event> &&events) { all.insert(all.end(), events.begin(), events.end()); });
        if (report)
            *report = sim.scenarioReport();
        return all;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_registry = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR)).registry;
        QString error;
        m_air = AirQualityHistory::load(QStringLiteral(GWANJE_DATA_DIR "/seoul/environment/seoul_air_daily_2019.csv"),
                                        &error);
        QVERIFY2(m_air, qPrintable(error));
        QVERIFY(m_air->stationCount() >= 25);
    }
    void init() { test::failOnUnexpectedWarnings(); }

    void sameSeedSameDay()
    {
        SimulatorConfig config;
        config.devices = 500;
        config.startMs = morning;
        const auto a = run(config, 90, std::make_shared<SourceDirectory>());
        const auto b = run(config, 90, std::make_shared<SourceDirectory>());
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].kind, b[i].kind);
            QCOMPARE(a[i].source, b[i].source);
            QCOMPARE(a[i].sourceTimeMs, b[i].sourceTimeMs);
            QVERIFY(a[i].latitude == b[i].latitude || (std::isnan(a[i].latitude) && std::isnan(b[i].latitude)));
        }
        config.seed += 1;
        const auto c = run(config, 90, std::make_shared<SourceDirectory>());
        bool differs = c.size() != a.size();
        for (std::size_t i = 0; !differs && i < a.size(); ++i)
            differs = a[i].latitude != c[i].latitude && a[i].kind == EventKind::PositionFix;
        QVERIFY(differs);
    }

    void devicesReportEvery10sInsideSeoul()
    {
        SimulatorConfig config;
        config.devices = 2000;
        config.startMs = morning;
        auto dir = std::make_shared<SourceDirectory>();
        const auto events = run(config, 600, dir);
        std::map<quint32, std::vector<const Event *>> fixes;
        int outside = 0;
        for (const Event &e : events) {
            const auto invalid = validate(e);
            QVERIFY2(!invalid, qPrintable(invalid.value_or(QString())));
            if (e.kind != EventKind::PositionFix)
                continue;
            fixes[e.source].push_back(&e);
            // GPS noise may put a fix a few metres over the border; never far outside Seoul.
            outside += !(e.latitude > 37.40 && e.latitude < 37.72 && e.longitude > 126.74 && e.longitude < 127.20);
        }
        QCOMPARE(outside, 0);
        QCOMPARE(int(fixes.size()), 2000);
        int outOfOrder = 0, late = 0, complete = 0;
        for (const auto &[source, list] : fixes) {
            // 600 s / 10 s; a device still holding a late batch at the end has delivered fewer.
            QVERIFY(list.size() <= 60);
            complete += list.size() == 60;
            for (std::size_t i = 1; i < list.size(); ++i)
                outOfOrder += list[i]->sourceTimeMs < list[i - 1]->sourceTimeMs;
            for (const Event *e : list)
                late += e->receiveTimeMs - e->sourceTimeMs > 60'000;
        }
        QVERIFY2(complete > 1900, qPrintable(QString::number(complete)));
        QVERIFY2(outOfOrder > 0, "no out-of-order uploads in 10 minutes of 2,000 devices");
        QVERIFY(late > 0);
        // Walking speed: consecutive true fixes of a device are at most some tens of metres apart
        // (jitter and outliers included), never kilometres.
        int jumps = 0;
        for (auto &[source, list] : fixes) {
            std::sort(list.begin(), list.end(),
                      [](const Event *a, const Event *b) { return a->sourceTimeMs < b->sourceTimeMs; });
            for (std::size_t i = 1; i < list.size(); ++i) {
                const double dy = (list[i]->latitude - list[i - 1]->latitude) * 111'320.0;
                const double dx = (list[i]->longitude - list[i - 1]->longitude) * 88'000.0;
                jumps += std::hypot(dx, dy) > 400.0;
            }
        }
        QCOMPARE(jumps, 0);
    }

    void roadNetworkFromOpenStreetMap()
    {
        QString error;
        const auto roads = RoadNetwork::load({QStringLiteral(GWANJE_DATA_DIR "/seoul/osm/songpa_jamsil.osm"),
                                              QStringLiteral(GWANJE_DATA_DIR "/seoul/osm/yeoido.osm.pbf"),
                                              QStringLiteral("/nonexistent/roads.gpkg")},
                                             &error);
        QVERIFY(roads);
        QVERIFY2(error.contains(QLatin1String("roads.gpkg")), qPrintable(error)); // named, and the rest read
        QVERIFY(roads->nodeCount() > 1000);
        QVERIFY(roads->edgeCount() >= roads->nodeCount() - 400); // ways, mostly joined
        // Lotte World Tower (잠실) is by the streets; 강남역, outside both extracts, is not.
        const int tower = roads->nearestNode(37.5126, 127.1025, 150);
        QVERIFY(tower >= 0);
        QCOMPARE(roads->nearestNode(37.4980, 127.0276, 150), -1);
        // A walk across Jamsil: consecutive points are street segments, and it is not absurdly long.
        const int station = roads->nearestNode(37.5116, 127.0863, 300); // 잠실새내역
        QVERIFY(station >= 0);
        std::vector<QPointF> walk;
        QVERIFY(roads->path(station, tower, walk));
        QVERIFY(walk.size() > 5);
        double metres = 0;
        for (std::size_t i = 1; i < walk.size(); ++i) {
            const int a = roads->nearestNode(walk[i - 1].y(), walk[i - 1].x(), 0.01);
            const int b = roads->nearestNode(walk[i].y(), walk[i].x(), 0.01);
            QVERIFY(a >= 0 && b >= 0);
            QVERIFY(roads->adjacent(a, b));
            metres +=
                std::hypot((walk[i].y() - walk[i - 1].y()) * 111'320.0, (walk[i].x() - walk[i - 1].x()) * 88'300.0);
        }
        const double straight = std::hypot((37.5126 - 37.5116) * 111'320.0, (127.1025 - 127.0863) * 88'300.0);
        QVERIFY2(metres >= straight * 0.95 && metres < straight * 2.0, qPrintable(QString::number(metres)));
    }

    void wearersWalkAlongTheStreetsWhereTheyAreKnown()
    {
        QString error;
        const auto roads = RoadNetwork::load({QStringLiteral(GWANJE_DATA_DIR "/seoul/osm/songpa_jamsil.osm"),
                                              QStringLiteral(GWANJE_DATA_DIR "/seoul/osm/yeoido.osm.pbf")},
                                             &error);
        QVERIFY(roads);
        SimulatorConfig config;
        config.devices = 3000;
        config.startMs = morning;
        config.roads = roads;
        auto dir = std::make_shared<SourceDirectory>();
        SeoulSimulator sim(m_registry, m_air, dir, config);
        std::vector<Event> events;
        sim.runFor(1800,
                   [&events](std::vector<Event> &&batch) { events.insert(events.end(), batch.begin(), batch.end()); });
        QVERIFY(sim.scenarioReport().value(QStringLiteral("street_walks")).toInt() > 20);
        // Wearers who live where the streets are known (their home, the safe zone's centre, is a
        // street node) walk along them: their fixes (6 m of GPS noise, 3 % multipath outliers)
        // are within 25 m of a street; elsewhere they walk straight across blocks.
        std::set<quint32> onStreets;
        for (const SafetyDevice &d : sim.roster()) {
            const SafeZone &home = d.safeZones.front();
            if (roads->nearestNode(home.centerLatitude, home.centerLongitude, 0.5) >= 0)
                onStreets.insert(dir->intern(d.id));
        }
        QVERIFY2(onStreets.size() > 20, qPrintable(QString::number(onStreets.size())));
        int near = 0, fixes = 0;
        for (const Event &e : events) {
            if (e.kind != EventKind::PositionFix || !onStreets.contains(e.source))
                continue;
            ++fixes;
            near += roads->distanceToStreet(e.latitude, e.longitude, 25.0) <= 25.0;
        }
        QVERIFY(fixes > 1000);
        QVERIFY2(double(near) / fixes > 0.9, qPrintable(QStringLiteral("%1 of %2").arg(near).arg(fixes)));
    }

    void devicesDropOffAndComeBack()
    {
        SimulatorConfig config;
        config.devices = 2000;
        config.startMs = morning;
        auto dir = std::make_shared<SourceDirectory>();
        const auto events = run(config, 3600, dir);
        std::map<quint32, qint64> offlineSince; // source -> when it went offline
        int offline = 0, online = 0;
        for (const Event &e : events) {
            if (e.kind == EventKind::DeviceOffline) {
                QVERIFY(!offlineSince.count(e.source));
                offlineSince[e.source] = e.sourceTimeMs;
                ++offline;
            } else if (e.kind == EventKind::DeviceOnline) {
                QVERIFY2(offlineSince.count(e.source), "back online without having gone offline");
                QVERIFY(e.sourceTimeMs - offlineSince[e.source] >= 300'000);
                offlineSince.erase(e.source);
                ++online;
            } else if (e.kind == EventKind::PositionFix && offlineSince.count(e.source)) {
                // Late uploads of fixes from before it went offline are fine; nothing newer.
                QVERIFY(e.sourceTimeMs < offlineSince[e.source]);
            }
        }
        // 2,000 devices, about once a day each: some tens in an hour.
        QVERIFY2(offline > 30 && offline < 250, qPrintable(QString::number(offline)));
        QVERIFY(online > 0);
    }

    void infrastructureFollowsTheClock()
    {
        // AP clients at 04:00 KST are far fewer than at 13:00 KST.
        auto clients = [this](qint64 start) {
            SimulatorConfig config;
            config.devices = 0;
            config.startMs = start;
            qint64 total = 0;
            for (const Event &e : run(config, 300, std::make_shared<SourceDirectory>())) {
                if (e.kind == EventKind::ApStatus)
                    total += e.count;
            }
            return total;
        };
        const qint64 night =
            clients(QDateTime::fromString(QStringLiteral("2026-11-24T19:00:00Z"), Qt::ISODate).toMSecsSinceEpoch());
        const qint64 noon =
            clients(QDateTime::fromString(QStringLiteral("2026-11-25T04:00:00Z"), Qt::ISODate).toMSecsSinceEpoch());
        QVERIFY2(noon > 3 * night, qPrintable(QStringLiteral("noon %1, night %2").arg(noon).arg(night)));
    }

    void pmFollowsThe2019Data()
    {
        // The cleanest and the dirtiest day of 2019 in the city mean (from the file itself).
        int cleanDay = 0, dirtyDay = 0;
        for (int d = 0; d < 365; ++d) {
            const float v = m_air->day(QStringLiteral("?"), d).pm10;
            if (v < m_air->day(QStringLiteral("?"), cleanDay).pm10)
                cleanDay = d;
            if (v > m_air->day(QStringLiteral("?"), dirtyDay).pm10)
                dirtyDay = d;
        }
        auto medianPm10 = [this](int dayOfYear) {
            SimulatorConfig config;
            config.devices = 0;
            // Noon KST of that day of 2026.
            config.startMs =
                QDateTime(QDate(2026, 1, 1).addDays(dayOfYear), QTime(3, 0), QTimeZone::utc()).toMSecsSinceEpoch();
            std::vector<float> values;
            for (const Event &e : run(config, 120, std::make_shared<SourceDirectory>())) {
                if (e.kind == EventKind::SensorReading && e.quantity == Quantity::Pm10)
                    values.push_back(e.value);
            }
            std::sort(values.begin(), values.end());
            return values.empty() ? 0.0f : values[values.size() / 2];
        };
        const float clean = medianPm10(cleanDay), dirty = medianPm10(dirtyDay);
        QVERIFY2(
            dirty > 3 * clean,
            qPrintable(QStringLiteral("day %1: %2, day %3: %4").arg(dirtyDay).arg(dirty).arg(cleanDay).arg(clean)));
    }

    void fiberCutTakesDownADistrictAtOnce()
    {
        SimulatorConfig config;
        config.devices = 100;
        config.startMs = morning;
        config.scenario = Scenario::FiberCut;
        auto dir = std::make_shared<SourceDirectory>();
        QJsonObject report;
        const auto events = run(config, 40, dir, &report);
        const int district = [this] {
            for (int i = 0; i < int(m_registry->districts().size()); ++i) {
                if (m_registry->districts()[std::size_t(i)].name == QStringLiteral("은평구"))
                    return i;
            }
            return -1;
        }();
        QVERIFY(district >= 0);
        const auto &perDistrict = m_registry->countsPerDistrict()[std::size_t(district)];
        int apsDown = 0, camerasDown = 0;
        for (const Event &e : events) {
            if (e.sourceTimeMs != morning + 30'000)
                continue;
            apsDown += e.kind == EventKind::ApStatus && e.status == 0;
            camerasDown += e.kind == EventKind::CameraHealth && e.status == qint8(CameraState::Offline);
        }
        QVERIFY(apsDown >= perDistrict[std::size_t(AssetKind::WifiAp)]);
        QVERIFY(camerasDown >= perDistrict[std::size_t(AssetKind::CameraSite)]);
        QCOMPARE(report.value(QStringLiteral("district")).toString(), QStringLiteral("은평구"));
    }

    void typhoonRaisesHundredsOfFailuresInMinutes()
    {
        SimulatorConfig config;
        config.devices = 100;
        config.startMs = morning;
        config.scenario = Scenario::Typhoon;
        QJsonObject report;
        const auto events = run(config, 420, std::make_shared<SourceDirectory>(), &report);
        int apsDown = 0, soaked = 0;
        for (const Event &e : events) {
            apsDown += e.kind == EventKind::ApStatus && e.status == 0 && e.sourceTimeMs < morning + 360'000;
            soaked += e.kind == EventKind::SensorReading && e.quantity == Quantity::Humidity && e.value >= 97.0f;
        }
        QVERIFY2(apsDown > 200, qPrintable(QString::number(apsDown)));
        QVERIFY(soaked > 20);
        QCOMPARE(report.value(QStringLiteral("districts")).toArray().size(), 3);
    }

    void streetlightsSwitchAtDuskAndReportFaults()
    {
        // 2026-11-25: sunset in Seoul is about 17:15; the lamps come on a little after.
        SimulatorConfig config;
        config.devices = 0;
        config.startMs =
            QDateTime::fromString(QStringLiteral("2026-11-25T07:40:00Z"), Qt::ISODate).toMSecsSinceEpoch(); // 16:40 KST
        auto dir = std::make_shared<SourceDirectory>();
        QJsonObject report;
        const auto events = run(config, 3600, dir, &report);
        const int columns = m_registry->count(AssetKind::Streetlight);
        QVERIFY2(columns > 1000, qPrintable(QString::number(columns)));
        QCOMPARE(report.value(QStringLiteral("streetlights")).toInt(), columns);
        const qint64 dusk =
            QDateTime::fromString(QStringLiteral("2026-11-25T08:15:00Z"), Qt::ISODate).toMSecsSinceEpoch(); // 17:15 KST
        std::set<quint32> offBefore, litAfter;
        for (const Event &e : events) {
            if (e.kind != EventKind::StreetlightStatus)
                continue;
            QVERIFY(std::isfinite(e.latitude) && std::isfinite(e.value));
            if (e.status == qint8(LampState::Off)) {
                QVERIFY(e.sourceTimeMs < dusk + 30 * 60'000);
                QVERIFY(e.value < 5.0f); // standby
                offBefore.insert(e.source);
            } else if (e.status == qint8(LampState::Ok)) {
                QVERIFY(e.sourceTimeMs > dusk);
                QVERIFY(e.value > 50.0f);
                litAfter.insert(e.source);
            }
        }
        // Every column said it was off in the afternoon, and all but the failed came on.
        QCOMPARE(int(offBefore.size()), columns);
        QVERIFY(int(litAfter.size()) >= columns - 5);

        // A night: about one lamp in 200 fails; the fault is reported with no power drawn.
        config.startMs =
            QDateTime::fromString(QStringLiteral("2026-11-25T11:00:00Z"), Qt::ISODate).toMSecsSinceEpoch(); // 20:00 KST
        const auto night = run(config, 4 * 3600, std::make_shared<SourceDirectory>(), &report);
        const int faults = report.value(QStringLiteral("streetlight_faults")).toInt();
        QVERIFY2(faults >= 1 && faults < columns / 50, qPrintable(QString::number(faults)));
        int faultReports = 0;
        for (const Event &e : night) {
            if (e.kind == EventKind::StreetlightStatus && e.status != qint8(LampState::Ok) &&
                e.status != qint8(LampState::Off)) {
                ++faultReports;
                if (e.status == qint8(LampState::DefectiveLamp))
                    QVERIFY(e.value < 5.0f);
            }
        }
        QVERIFY(faultReports >= faults);
    }

    void sheltersAndWaterSensorsReport()
    {
        SimulatorConfig config;
        config.devices = 0;
        config.startMs = morning;
        config.scenario = Scenario::FiberCut;
        config.incidentDistrict = QStringLiteral("송파구"); // 잠실's shelters are behind the cut fibre
        auto dir = std::make_shared<SourceDirectory>();
        QJsonObject report;
        const auto events = run(config, 900, dir, &report);
        int songpaShelters = 0;
        for (const Asset &a : m_registry->assets()) {
            if (a.kind == AssetKind::Shelter && a.district >= 0 &&
                m_registry->districts()[std::size_t(a.district)].name == QStringLiteral("송파구"))
                ++songpaShelters;
        }
        QVERIFY(songpaShelters >= 3);
        std::set<quint32> cutOff;
        std::map<Quantity, int> shelterReadings, waterReadings;
        for (const Event &e : events) {
            const int asset = m_registry->indexOf(dir->id(e.source));
            if (asset < 0)
                continue;
            const Asset &a = m_registry->assets()[std::size_t(asset)];
            if (a.kind == AssetKind::Shelter && e.kind == EventKind::DeviceOffline &&
                e.sourceTimeMs == morning + 30'000)
                cutOff.insert(e.source);
            if (a.kind == AssetKind::Shelter && e.kind == EventKind::SensorReading)
                ++shelterReadings[e.quantity];
            if (a.kind == AssetKind::Sensor && a.medium == SensorMedium::SurfaceWater) {
                QCOMPARE(e.kind, EventKind::SensorReading);
                ++waterReadings[e.quantity];
            }
        }
        QCOMPARE(int(cutOff.size()), songpaShelters);
        // Shelters' weather and air every five minutes (those not cut off).
        QVERIFY(shelterReadings[Quantity::Temperature] > 0);
        QCOMPARE(shelterReadings[Quantity::Pm10], shelterReadings[Quantity::Temperature]);
        // The ponds: temperature, oxygen, pH, turbidity every two minutes; no chlorine in a pond.
        const int ponds = 900 / 120;
        QVERIFY(waterReadings[Quantity::DissolvedOxygen] >= ponds);
        QCOMPARE(waterReadings[Quantity::Ph], waterReadings[Quantity::DissolvedOxygen]);
        QCOMPARE(waterReadings[Quantity::Turbidity], waterReadings[Quantity::DissolvedOxygen]);
        QCOMPARE(waterReadings[Quantity::ResidualChlorine], 0);
    }

    void citizensReportWhatTheySee()
    {
        // Two afternoon hours: the complaint system's map reports, each with text and a place in
        // Seoul; after dark, some report a failed streetlight where one is.
        SimulatorConfig config;
        config.devices = 0;
        config.startMs =
            QDateTime::fromString(QStringLiteral("2026-11-25T05:00:00Z"), Qt::ISODate).toMSecsSinceEpoch(); // 14:00 KST
        auto dir = std::make_shared<SourceDirectory>();
        QJsonObject report;
        const auto events = run(config, 2 * 3600, dir, &report);
        int reports = 0, inSeoul = 0;
        for (const Event &e : events) {
            if (e.kind != EventKind::CitizenReport)
                continue;
            ++reports;
            QVERIFY(!e.text.isEmpty());
            QVERIFY(!validate(e));
            inSeoul += m_registry->districtAt(e.longitude, e.latitude) >= 0;
        }
        // ~330 a day, more in the afternoon: 20 to 120 in these two hours.
        QVERIFY2(reports >= 20 && reports <= 120, qPrintable(QString::number(reports)));
        QCOMPARE(report.value(QStringLiteral("citizen_reports")).toInt(), reports);
        QVERIFY(inSeoul >= reports * 9 / 10);
    }

    void rosterKnowsEveryWearer()
    {
        SimulatorConfig config;
        config.devices = 1000;
        config.startMs = morning;
        auto dir = std::make_shared<SourceDirectory>();
        SeoulSimulator sim(m_registry, m_air, dir, config);
        const std::vector<SafetyDevice> roster = sim.roster();
        QCOMPARE(int(roster.size()), 1000);
        int dementia = 0;
        for (const SafetyDevice &d : roster) {
            QVERIFY(dir->find(d.id) >= 0);
            QCOMPARE(int(d.guardians.size()), 1);
            QVERIFY(d.guardians.front().phone.startsWith(QStringLiteral("010-0000-")));
            QVERIFY(!d.safeZones.empty());
            const SafeZone &home = d.safeZones.front();
            QCOMPARE(m_registry->districtAt(home.centerLongitude, home.centerLatitude), d.homeDistrict);
            QVERIFY(home.radiusMetres >= 300.0);
            if (d.category == WearerCategory::Dementia) {
                ++dementia;
                QCOMPARE(int(d.safeZones.size()), 2);
                QCOMPARE(d.safeZones[1].activeFromHour, 22);
            }
        }
        QVERIFY(dementia > 250 && dementia < 450); // about 35 %
        const GuardianContact contact{QStringLiteral("보호자"), QStringLiteral("010-0000-1234")};
        QCOMPARE(contact.redacted(), QStringLiteral("guardian (…1234)"));
        QVERIFY(!contact.redacted().contains(QStringLiteral("010")));
    }

    void missingPersonLeavesTheSafeZoneAtNight()
    {
        SimulatorConfig config;
        config.devices = 100;
        config.scenario = Scenario::MissingPerson;
        config.startMs = QDateTime::fromString(QStringLiteral("2026-11-25T14:00:00Z"), Qt::ISODate).toMSecsSinceEpoch();
        auto dir = std::make_shared<SourceDirectory>();
        QJsonObject report;
        const auto events = run(config, 300, dir, &report);
        QCOMPARE(report.value(QStringLiteral("wearer")).toString(), QStringLiteral("SD-000001"));
        const QDateTime left =
            QDateTime::fromString(report.value(QStringLiteral("left_safe_zone_at")).toString(), Qt::ISODate);
        QVERIFY(left.isValid());
        QVERIFY(left.toMSecsSinceEpoch() - config.startMs < 300'000);
        // Its fixes move steadily away: the last is far from the first.
        const qint64 wearer = dir->find(QStringLiteral("SD-000001"));
        const Event *first = nullptr, *last = nullptr;
        for (const Event &e : events) {
            if (e.kind == EventKind::PositionFix && qint64(e.source) == wearer) {
                if (!first || e.sourceTimeMs < first->sourceTimeMs)
                    first = &e;
                if (!last || e.sourceTimeMs > last->sourceTimeMs)
                    last = &e;
            }
        }
        QVERIFY(first && last);
        const double metres =
            std::hypot((last->latitude - first->latitude) * 111'320.0, (last->longitude - first->longitude) * 88'000.0);
        QVERIFY2(metres > 200.0, qPrintable(QString::number(metres)));
    }
};

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
