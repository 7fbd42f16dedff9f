// Safe-zone fusion: one transition per real crossing, whatever the GPS and the network do.
#include "TestSupport.h"
#include "fusion/GeofenceMonitor.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <random>

using namespace gwanje;

namespace {
constexpr double homeLat = 37.6027, homeLon = 126.9291; // 은평구청 area
constexpr double mPerDegLat = 111'320.0;
const double mPerDegLon = 111'320.0 * std::cos(homeLat * 3.14159265358979 / 180.0);
// 2026-11-25 10:00 KST
const qint64 t0 = QDateTime::fromString(QStringLiteral("2026-11-25T01:00:00Z"), Qt::ISODate).toMSecsSinceEpoch();

SafeZone circle(double radius, int from = 0, int to = 0)
{
    SafeZone z;
    z.shape = SafeZone::Shape::Circle;
    z.centerLatitude = homeLat;
    z.centerLongitude = homeLon;
    z.radiusMetres = radius;
    z.activeFromHour = from;
    z.activeToHour = to;
    return z;
}

// A fix `east` metres east and `north` metres north of home.
Event fixAt(qint64 t, double east, double north, quint32 source = 0)
{
    Event e;
    e.kind = EventKind::PositionFix;
    e.source = source;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t;
    e.latitude = homeLat + north / mPerDegLat;
    e.longitude = homeLon + east / mPerDegLon;
    e.accuracy = 8.0f;
    return e;
}

int count(const std::vector<GeofenceTransition> &v, GeofenceTransition::Kind kind)
{
    return int(std::count_if(v.begin(), v.end(), [kind](const GeofenceTransition &t) { return t.kind == kind; }));
}
} // namespace

class TestGeofence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void signedDistance()
    {
        QVERIFY(std::abs(GeofenceMonitor::signedDistance(circle(500), fixAt(0, 300, 400).latitude,
                                                         fixAt(0, 300, 400).longitude)) < 0.5); // 3-4-5
        QVERIFY(GeofenceMonitor::signedDistance(circle(500), homeLat, homeLon) < -499);
        SafeZone square;
        square.shape = SafeZone::Shape::Polygon;
        square.polygon = {{{homeLon - 200 / mPerDegLon, homeLat - 200 / mPerDegLat},
                           {homeLon + 200 / mPerDegLon, homeLat - 200 / mPerDegLat},
                           {homeLon + 200 / mPerDegLon, homeLat + 200 / mPerDegLat},
                           {homeLon - 200 / mPerDegLon, homeLat + 200 / mPerDegLat}}};
        const Event in = fixAt(0, 150, 0), out = fixAt(0, 260, 0);
        QVERIFY(std::abs(GeofenceMonitor::signedDistance(square, in.latitude, in.longitude) + 50) < 0.5);
        QVERIFY(std::abs(GeofenceMonitor::signedDistance(square, out.latitude, out.longitude) - 60) < 0.5);
    }

    void jitterAroundTheBorderGivesExactlyOneExit()
    {
        // Walks out to 30 m beyond a 500 m border and stands there; GPS noise of 12 m.
        for (unsigned seed = 1; seed <= 20; ++seed) {
            GeofenceMonitor monitor;
            monitor.setZones(0, {circle(500)});
            std::mt19937 rng(seed);
            std::normal_distribution<double> noise(0.0, 12.0);
            std::vector<GeofenceTransition> out;
            for (int i = 0; i < 360; ++i) { // an hour, a fix every 10 s
                const double east = std::min(400.0 + i * 2.0, 530.0);
                monitor.apply(std::vector<Event>{fixAt(t0 + i * 10'000, east + noise(rng), noise(rng))}, out);
            }
            QCOMPARE(count(out, GeofenceTransition::Kind::Exit), 1);
            QCOMPARE(count(out, GeofenceTransition::Kind::Enter), 0);
            QVERIFY(monitor.isOutside(0, 0));
        }
    }

    void standingOnTheBorderIsNoStorm()
    {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            GeofenceMonitor monitor;
            monitor.setZones(0, {circle(500)});
            std::mt19937 rng(seed);
            std::normal_distribution<double> noise(0.0, 15.0);
            std::vector<GeofenceTransition> out;
            monitor.apply(std::vector<Event>{fixAt(t0, 0, 0)}, out); // seen inside first
            for (int i = 1; i < 720; ++i)                            // two hours on the border
                monitor.apply(std::vector<Event>{fixAt(t0 + i * 10'000, 500.0 + noise(rng), noise(rng))}, out);
            // At most one alarm (and its return) in two hours, however the fixes scatter.
            QVERIFY2(count(out, GeofenceTransition::Kind::Exit) <= 1,
                     qPrintable(QStringLiteral("seed %1: %2 transitions").arg(seed).arg(out.size())));
        }
    }

    void sparseFixesStillCatchTheCrossing()
    {
        // Inside at 10:00, 600 m beyond the border ten minutes later, nothing in between.
        GeofenceMonitor monitor;
        monitor.setZones(0, {circle(500)});
        std::vector<GeofenceTransition> out;
        monitor.apply(std::vector<Event>{fixAt(t0, 100, 0)}, out);
        monitor.apply(std::vector<Event>{fixAt(t0 + 600'000, 1100, 0)}, out);
        QCOMPARE(int(out.size()), 1);
        QCOMPARE(out[0].kind, GeofenceTransition::Kind::Exit);
        // 100 m -> 1100 m: the border (500 m) was passed 40 % of the way, at 10:04.
        QVERIFY2(std::abs(out[0].crossedMs - (t0 + 240'000)) < 5'000,
                 qPrintable(QString::number(out[0].crossedMs - t0)));
        QCOMPARE(out[0].confirmedMs, t0 + 600'000);
    }

    void outOfOrderUploadsGiveNoStorm()
    {
        // A walk out and back in, uploaded late as one shuffled batch, then older fixes again.
        std::vector<Event> walk;
        for (int i = 0; i < 120; ++i) {
            const double east = i < 60 ? 300.0 + i * 10.0 : 890.0 - (i - 60) * 10.0; // out to 890 m, back to 300 m
            walk.push_back(fixAt(t0 + i * 10'000, east, 0));
        }
        std::vector<Event> shuffled = walk;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(3));
        GeofenceMonitor monitor;
        monitor.setZones(0, {circle(500)});
        std::vector<GeofenceTransition> out;
        monitor.apply(shuffled, out);
        QCOMPARE(count(out, GeofenceTransition::Kind::Exit), 1);
        QCOMPARE(count(out, GeofenceTransition::Kind::Enter), 1);
        QVERIFY(std::abs(out[0].crossedMs - (t0 + 200'000)) <= 10'000); // 300 -> 500 m at fix 20
        // The same fixes again, late: history, not news.
        monitor.apply(walk, out);
        QCOMPARE(int(out.size()), 2);
        QCOMPARE(monitor.staleFixes(), quint64(120));
    }

    void outsideDuringTheNightSchedule()
    {
        // A dementia wearer's night zone (22:00-06:00 KST): 800 m from home at 14:00 is fine,
        // the same at 23:00 is an exit.
        GeofenceMonitor monitor;
        monitor.setZones(0, {circle(300, 22, 6)});
        std::vector<GeofenceTransition> out;
        const qint64 afternoon = t0 + 4 * 3'600'000; // 14:00 KST
        for (int i = 0; i < 30; ++i)
            monitor.apply(std::vector<Event>{fixAt(afternoon + i * 10'000, 800, 0)}, out);
        QVERIFY(out.empty());
        const qint64 night = t0 + 13 * 3'600'000; // 23:00 KST
        for (int i = 0; i < 30; ++i)
            monitor.apply(std::vector<Event>{fixAt(night + i * 10'000, 800, 0)}, out);
        QCOMPARE(int(out.size()), 1);
        QCOMPARE(out[0].kind, GeofenceTransition::Kind::Exit);
    }

    void manyDevicesIndependently()
    {
        GeofenceMonitor monitor;
        for (quint32 d = 0; d < 100; ++d)
            monitor.setZones(d, {circle(200.0 + d)});
        std::vector<Event> batch;
        for (int i = 0; i < 20; ++i) {
            for (quint32 d = 0; d < 100; ++d)
                batch.push_back(fixAt(t0 + i * 10'000, d % 2 ? 0.0 : 50.0 + i * 30.0, 0, d)); // even ones walk out
        }
        std::vector<GeofenceTransition> out;
        monitor.apply(batch, out);
        QCOMPARE(int(out.size()), 50);
        for (const GeofenceTransition &t : out)
            QCOMPARE(t.source % 2, 0u);
    }
};

QTEST_GUILESS_MAIN(TestGeofence)
#include "tst_geofence.moc"
