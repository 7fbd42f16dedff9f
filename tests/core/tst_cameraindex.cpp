// The cameras that can see an alarm's spot: the ranking on small hand-built registries, and the
// grid index against a brute-force scan over every camera site of the real Seoul data.
#include "TestSupport.h"
#include "assets/AssetRegistry.h"
#include "data/AssetLoader.h"
#include "fusion/CameraIndex.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <tuple>

using namespace gwanje;
using Coverage = CameraCoverage;

namespace {

constexpr double spotLat = 37.5665, spotLon = 126.9780; // Seoul City Hall
constexpr double notANumber = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Metres per degree of latitude and longitude on the WGS84 ellipsoid, written out again here so
// the reference does not borrow the index's arithmetic.
struct Scale
{
    double lat, lon;
};
Scale metresPerDegree(double latitude)
{
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    const double phi = latitude * std::numbers::pi / 180;
    const double w = std::sqrt(1 - e2 * std::sin(phi) * std::sin(phi));
    const double meridional = a * (1 - e2) / (w * w * w), primeVertical = a / w;
    return {meridional * std::numbers::pi / 180, primeVertical * std::cos(phi) * std::numbers::pi / 180};
}

// A small registry around the spot: each site `east`/`north` metres from it.
struct Site
{
    double east, north;
    QString direction; // the CCTV 촬영방면정보 text: "360", "북", "고정", "" ...
    AssetKind kind = AssetKind::CameraSite;
};

AssetRegistry registryOf(const std::vector<Site> &sites)
{
    const Scale s = metresPerDegree(spotLat);
    AssetRegistry registry;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        Asset a;
        a.id = QStringLiteral("site-%1").arg(i);
        a.kind = sites[i].kind;
        a.direction = sites[i].direction;
        a.latitude = spotLat + sites[i].north / s.lat;
        a.longitude = spotLon + sites[i].east / s.lon;
        registry.addAsset(a);
    }
    registry.finalize();
    return registry;
}

std::vector<CameraHit> query(const CameraIndex &index, int k = 5, double radius = 150, double lat = spotLat,
                             double lon = spotLon)
{
    std::vector<CameraHit> out;
    index.nearest(lat, lon, k, radius, out);
    return out;
}

double angleBetween(double a, double b)
{
    const double d = std::fmod(std::abs(a - b), 360.0);
    return std::min(d, 360.0 - d);
}

// The brute-force reference: every camera site, same rule, sorted in full.
struct Reference
{
    struct Camera
    {
        int asset;
        double lat, lon;
        const CameraView *view;
    };
    std::vector<Camera> cameras;

    explicit Reference(const AssetRegistry &registry)
    {
        for (std::size_t i = 0; i < registry.assets().size(); ++i) {
            const Asset &a = registry.assets()[i];
            if (a.kind == AssetKind::CameraSite)
                cameras.push_back({int(i), a.latitude, a.longitude, registry.cameraView(i)});
        }
    }

    std::vector<CameraHit> nearest(double lat, double lon, int k, double radius) const
    {
        const Scale s = metresPerDegree(lat);
        std::vector<CameraHit> all;
        for (const Camera &c : cameras) {
            const double toEast = (lon - c.lon) * s.lon, toNorth = (lat - c.lat) * s.lat; // camera to spot
            const double d = std::hypot(toEast, toNorth);
            if (d > radius)
                continue;
            double bearing = std::atan2(toEast, toNorth) * 180 / std::numbers::pi;
            bearing = bearing < 0 ? bearing + 360 : bearing;
            all.push_back({c.asset, CameraIndex::coverage(*c.view, bearing, d), d, bearing});
        }
        std::sort(all.begin(), all.end(), [](const CameraHit &a, const CameraHit &b) {
            return std::tie(a.coverage, a.distanceMetres, a.asset) < std::tie(b.coverage, b.distanceMetres, b.asset);
        });
        all.resize(std::min(all.size(), std::size_t(k)));
        return all;
    }
};

} // namespace

class TestCameraIndex : public QObject
{
    Q_OBJECT

    std::shared_ptr<AssetRegistry> m_seoul;

private Q_SLOTS:
    void initTestCase()
    {
        m_seoul = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR)).registry;
        QVERIFY(m_seoul->count(AssetKind::CameraSite) > 20000);
    }
    void init() { test::failOnUnexpectedWarnings(); }

    void panoramicFartherBeatsDirectionalLookingAway()
    {
        // A 360° camera 50 m east; a north-facing one 20 m north of the spot, so the spot is behind it.
        const CameraIndex index(registryOf({{50, 0, QStringLiteral("360도전방면")}, {0, 20, QStringLiteral("북")}}));
        const auto hits = query(index);
        QCOMPARE(hits.size(), 2u);
        QCOMPARE(hits[0].asset, 0);
        QCOMPARE(hits[0].coverage, Coverage::Covers);
        QVERIFY(std::abs(hits[0].distanceMetres - 50) < 0.01);
        QVERIFY(angleBetween(hits[0].bearingDegrees, 270) < 0.01); // from the camera west to the spot
        QCOMPARE(hits[1].asset, 1);
        QCOMPARE(hits[1].coverage, Coverage::Away);
        QVERIFY(std::abs(hits[1].distanceMetres - 20) < 0.01);
        QVERIFY(angleBetween(hits[1].bearingDegrees, 180) < 0.01);
    }

    void headings_data()
    {
        QTest::addColumn<double>("east"); // camera position from the spot, metres
        QTest::addColumn<double>("north");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<Coverage>("expected");

        // 40 m south of the spot: the spot lies due north of the camera.
        QTest::newRow("faces it") << 0.0 << -40.0 << QStringLiteral("북") << Coverage::Covers;
        QTest::newRow("turned 180") << 0.0 << -40.0 << QStringLiteral("남") << Coverage::Away;
        QTest::newRow("west faces east") << -40.0 << 0.0 << QStringLiteral("동") << Coverage::Covers;
        QTest::newRow("west faces west") << -40.0 << 0.0 << QStringLiteral("서") << Coverage::Away;
        QTest::newRow("one of two") << 0.0 << 40.0 << QStringLiteral("북,남") << Coverage::Covers;
        // North-facing with the default 90°: the cone is 315..45 through 0.
        const double b = 40.0;
        auto from = [b](double bearing) { // camera position such that camera -> spot has this bearing
            const double r = bearing * std::numbers::pi / 180;
            return std::pair{-b * std::sin(r), -b * std::cos(r)};
        };
        for (auto [bearing, heading, covers] : std::initializer_list<std::tuple<double, const char16_t *, bool>>{
                 {350, u"북", true},
                 {10, u"북", true},
                 {44, u"북", true},
                 {50, u"북", false},
                 {310, u"북", false},
                 {355, u"북서", true}, // 315 ± 45 reaches 360
                 {5, u"북서", false},
                 {5, u"북동", true}, // 45 ± 45 starts at 0
                 {355, u"북동", false},
                 {55, u"120도 북", true}, // a stated angle, not the default 90°
                 {65, u"120도 북", false}}) {
            const auto [e, n] = from(bearing);
            const QString text = QString::fromUtf16(heading);
            QTest::addRow("bearing %g, %s", bearing, qPrintable(text))
                << e << n << text << (covers ? Coverage::Covers : Coverage::Away);
        }
        QTest::newRow("fixed, no heading") << 0.0 << -40.0 << QStringLiteral("고정") << Coverage::Unknown;
        QTest::newRow("unread") << 0.0 << -40.0 << QStringLiteral("전주밑") << Coverage::Unknown;
        QTest::newRow("empty") << 0.0 << -40.0 << QString() << Coverage::Unknown;
        // Within a couple of metres the bearing is noise: a camera with headings covers.
        QTest::newRow("at the spot, turned away") << 0.0 << -1.5 << QStringLiteral("남") << Coverage::Covers;
        QTest::newRow("3 m, turned away") << 0.0 << -3.0 << QStringLiteral("남") << Coverage::Away;
    }
    void headings()
    {
        QFETCH(double, east);
        QFETCH(double, north);
        QFETCH(QString, direction);
        QFETCH(Coverage, expected);
        const CameraIndex index(registryOf({{east, north, direction}}));
        const auto hits = query(index);
        QCOMPARE(hits.size(), 1u);
        QCOMPARE(hits[0].coverage, expected);
        QVERIFY(std::abs(hits[0].distanceMetres - std::hypot(east, north)) < 0.01);
        if (std::hypot(east, north) > 1)
            QVERIFY(angleBetween(hits[0].bearingDegrees, std::atan2(-east, -north) * 180 / std::numbers::pi) < 0.01);
        QVERIFY(hits[0].bearingDegrees >= 0 && hits[0].bearingDegrees < 360);
    }

    void coverageRuleWrapsAroundNorth()
    {
        CameraView v;
        v.kind = CameraView::Kind::Directional;
        v.fieldOfViewDegrees = 40;
        v.headingsDegrees = {350};
        QCOMPARE(CameraIndex::coverage(v, 5, 50), Coverage::Covers);
        QCOMPARE(CameraIndex::coverage(v, 10, 50), Coverage::Covers); // the edge is inside
        QCOMPARE(CameraIndex::coverage(v, 11, 50), Coverage::Away);
        QCOMPARE(CameraIndex::coverage(v, 329, 50), Coverage::Away);
        v.headingsDegrees = {10};
        QCOMPARE(CameraIndex::coverage(v, 355, 50), Coverage::Covers);
        QCOMPARE(CameraIndex::coverage(v, 349, 50), Coverage::Away);
        v.fieldOfViewDegrees = 0; // an angle nobody stated: no cone, so not known to look away
        QCOMPARE(CameraIndex::coverage(v, 10, 50), Coverage::Unknown);
    }

    void rankingCoversThenUnknownThenAway()
    {
        const CameraIndex index(registryOf({
            {0, 5, QStringLiteral("북")},    // 0: away, nearest
            {0, 10, QStringLiteral("고정")}, // 1: unknown
            {100, 0, QStringLiteral("360")}, // 2: covers, farthest
            {0, 10, QString()},              // 3: unknown, same place as 1: index breaks the tie
            {0, -60, QStringLiteral("북")},  // 4: covers
            {0, 1, QStringLiteral("360"), AssetKind::WifiAp},
        }));
        const auto hits = query(index);
        QCOMPARE(hits.size(), 5u);
        const int order[] = {4, 2, 1, 3, 0};
        const Coverage coverage[] = {Coverage::Covers, Coverage::Covers, Coverage::Unknown, Coverage::Unknown,
                                     Coverage::Away};
        for (std::size_t i = 0; i < hits.size(); ++i) {
            QCOMPARE(hits[i].asset, order[i]);
            QCOMPARE(hits[i].coverage, coverage[i]);
        }
        QCOMPARE(hits[2].distanceMetres, hits[3].distanceMetres);
    }

    void radiusAndCountAreRespected()
    {
        std::vector<Site> sites;
        for (int i = 0; i < 10; ++i) // 360° cameras at 20, 40, ... 200 m, alternating sides
            sites.push_back({i % 2 ? 20.0 * (i + 1) : 0.0, i % 2 ? 0.0 : -20.0 * (i + 1), QStringLiteral("360")});
        const CameraIndex index(registryOf(sites));
        QCOMPARE(index.size(), 10);
        QCOMPARE(query(index, 100, 150).size(), 7u); // 20..140
        QCOMPARE(query(index, 100, 139).size(), 6u);
        QCOMPARE(query(index, 100, 1000).size(), 10u);
        QCOMPARE(query(index, 100, inf).size(), 10u);
        const auto three = query(index, 3, 1000);
        QCOMPARE(three.size(), 3u);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(three[std::size_t(i)].asset, i);
            QVERIFY(std::abs(three[std::size_t(i)].distanceMetres - 20.0 * (i + 1)) < 0.01);
        }
        QCOMPARE(query(index, 1, 1000).size(), 1u);
        QVERIFY(query(index, 0, 1000).empty());
        QVERIFY(query(index, -1, 1000).empty());
        QVERIFY(query(index, 5, 10).empty()); // the nearest is 20 m away
    }

    void badInputGivesNothing_data()
    {
        QTest::addColumn<double>("lat");
        QTest::addColumn<double>("lon");
        QTest::addColumn<double>("radius");
        QTest::newRow("NaN latitude") << notANumber << spotLon << 150.0;
        QTest::newRow("NaN longitude") << spotLat << notANumber << 150.0;
        QTest::newRow("NaN radius") << spotLat << spotLon << notANumber;
        QTest::newRow("zero radius") << spotLat << spotLon << 0.0;
        QTest::newRow("negative radius") << spotLat << spotLon << -5.0;
        QTest::newRow("latitude 91") << 91.0 << spotLon << 150.0;
        QTest::newRow("longitude -181") << spotLat << -181.0 << 150.0;
        QTest::newRow("infinite latitude") << inf << spotLon << 150.0;
        QTest::newRow("far away") << 0.0 << 0.0 << 150.0;
        QTest::newRow("at the pole") << 90.0 << 0.0 << 150.0;
    }
    void badInputGivesNothing()
    {
        QFETCH(double, lat);
        QFETCH(double, lon);
        QFETCH(double, radius);
        const CameraIndex index(registryOf({{0, 0, QStringLiteral("360")}, {10, 0, QStringLiteral("북")}}));
        std::vector<CameraHit> out(3); // stale hits from an earlier query must go
        index.nearest(lat, lon, 5, radius, out);
        QVERIFY(out.empty());
        QVERIFY(query(CameraIndex(), 5, 150).empty());
        QVERIFY(query(CameraIndex(AssetRegistry()), 5, 150).empty());
    }

    void seoulMatchesBruteForce_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("radius");
        QTest::newRow("5 in 150 m") << 5 << 150.0;
        QTest::newRow("1 in 40 m") << 1 << 40.0;
        QTest::newRow("12 in 400 m") << 12 << 400.0;
    }
    void seoulMatchesBruteForce()
    {
        QFETCH(int, k);
        QFETCH(double, radius);
        QVERIFY(m_seoul);
        const CameraIndex index(*m_seoul);
        QCOMPARE(index.size(), m_seoul->count(AssetKind::CameraSite));
        const Reference reference(*m_seoul);

        // Random spots over the assets' extent, and spots at and beside real assets, where cameras
        // crowd (and sometimes stand exactly on the spot).
        double minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
        for (const Asset &a : m_seoul->assets()) {
            minLat = std::min(minLat, a.latitude), maxLat = std::max(maxLat, a.latitude);
            minLon = std::min(minLon, a.longitude), maxLon = std::max(maxLon, a.longitude);
        }
        std::mt19937_64 rng(20251125);
        std::uniform_real_distribution<double> u(0, 1);
        std::normal_distribution<double> jitter(0, 15.0 / 111'000); // about 15 m
        const auto &assets = m_seoul->assets();
        int counts[3] = {}, queriesWithHits = 0;
        std::vector<CameraHit> hits;
        for (int q = 0; q < 3000; ++q) {
            double lat, lon;
            if (q < 1500) {
                lat = minLat + u(rng) * (maxLat - minLat);
                lon = minLon + u(rng) * (maxLon - minLon);
            } else {
                const Asset &a = assets[std::size_t(u(rng) * double(assets.size()))];
                lat = a.latitude + (q % 2 ? jitter(rng) : 0.0);
                lon = a.longitude + (q % 2 ? jitter(rng) : 0.0);
            }
            index.nearest(lat, lon, k, radius, hits);
            const auto expected = reference.nearest(lat, lon, k, radius);
            const QByteArray where = QByteArray::number(q);
            QVERIFY2(hits.size() == expected.size(), where.constData());
            for (std::size_t i = 0; i < hits.size(); ++i) {
                const CameraHit &h = hits[i], &e = expected[i];
                QVERIFY2(h.asset == e.asset, where.constData());
                QVERIFY2(h.coverage == e.coverage, where.constData());
                QVERIFY2(std::abs(h.distanceMetres - e.distanceMetres) < 1e-6, where.constData());
                QVERIFY2(angleBetween(h.bearingDegrees, e.bearingDegrees) < 1e-6, where.constData());
                ++counts[int(h.coverage)];
            }
            queriesWithHits += !hits.empty();
        }
        // The comparison must have seen real work, not 3,000 empty answers.
        QVERIFY(queriesWithHits > 1000);
        QVERIFY(counts[int(Coverage::Covers)] > 100);
        QVERIFY(counts[int(Coverage::Unknown)] > 100);
    }

    void seoulQueriesDoNotAllocateOnceWarm()
    {
        QVERIFY(m_seoul);
        const CameraIndex index(*m_seoul);
        std::vector<CameraHit> hits;
        const Asset &busy = m_seoul->assets().front();
        index.nearest(busy.latitude, busy.longitude, 5, 1000, hits);
        QCOMPARE(hits.size(), 5u);
        const CameraHit *buffer = hits.data();
        std::mt19937_64 rng(7);
        for (int q = 0; q < 2000; ++q) {
            const Asset &a = m_seoul->assets()[rng() % m_seoul->assets().size()];
            index.nearest(a.latitude, a.longitude, 5, 150, hits);
            QCOMPARE(hits.data(), buffer);
        }
    }

    void cleanupTestCase() { m_seoul.reset(); }
};

QTEST_GUILESS_MAIN(TestCameraIndex)
#include "tst_cameraindex.moc"
