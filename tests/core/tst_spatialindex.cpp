#include "TestSupport.h"
#include "geo/GridIndex.h"
#include "geo/PolygonIndex.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <numbers>

using namespace gwanje;

namespace {
// Textbook even-odd test over every edge, the reference for the banded index.
bool naiveContains(const std::vector<Ring> &rings, double x, double y)
{
    bool inside = false;
    for (const Ring &r : rings) {
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
            if ((r[i].y() > y) != (r[j].y() > y) &&
                x < (r[j].x() - r[i].x()) * (y - r[i].y()) / (r[j].y() - r[i].y()) + r[i].x())
                inside = !inside;
        }
    }
    return inside;
}

// A star-shaped (non-convex) ring with n vertices around a centre.
Ring star(QRandomGenerator &rng, QPointF c, double r, int n)
{
    Ring ring;
    for (int i = 0; i < n; ++i) {
        const double a = 2 * std::numbers::pi * i / n;
        const double rr = r * (0.4 + 0.6 * rng.generateDouble());
        ring.emplace_back(c.x() + rr * std::cos(a), c.y() + rr * std::sin(a));
    }
    return ring;
}
} // namespace

class TestSpatialIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void gridRectMatchesBruteForce()
    {
        QRandomGenerator rng(42);
        std::vector<QPointF> pts;
        for (int i = 0; i < 20000; ++i)
            pts.emplace_back(rng.generateDouble(), rng.generateDouble() * 0.5);
        for (int i = 0; i < 300; ++i) // duplicates, as when many APs share a building
            pts.push_back(pts[std::size_t(i)]);
        const GridIndex index(pts);
        QCOMPARE(index.size(), int(pts.size()));
        for (int q = 0; q < 200; ++q) {
            const double x = rng.generateDouble(), y = rng.generateDouble() * 0.5;
            const GeoRect r = GeoRect::fromEdges(x, y, x + rng.generateDouble() * 0.1, y + rng.generateDouble() * 0.1);
            std::vector<int> got = index.itemsInRect(r);
            std::sort(got.begin(), got.end());
            std::vector<int> want;
            for (int i = 0; i < int(pts.size()); ++i) {
                if (r.contains(pts[std::size_t(i)].x(), pts[std::size_t(i)].y()))
                    want.push_back(i);
            }
            QCOMPARE(got, want);
        }
    }

    void gridNearestMatchesBruteForce()
    {
        QRandomGenerator rng(7);
        std::vector<QPointF> pts;
        for (int i = 0; i < 5000; ++i)
            pts.emplace_back(rng.generateDouble(), rng.generateDouble());
        const GridIndex index(pts);
        for (int q = 0; q < 500; ++q) {
            const QPointF p(rng.generateDouble() * 1.2 - 0.1, rng.generateDouble() * 1.2 - 0.1);
            const double radius = rng.generateDouble() * 0.05;
            int want = -1;
            double best = radius * radius;
            for (int i = 0; i < int(pts.size()); ++i) {
                const QPointF d = pts[std::size_t(i)] - p;
                const double d2 = d.x() * d.x() + d.y() * d.y();
                if (d2 < best || (d2 == best && want < 0)) {
                    best = d2;
                    want = i;
                }
            }
            QCOMPARE(index.nearest(p, radius), want);
        }
        QCOMPARE(index.nearest(QPointF(std::nan(""), 0.5), 1.0), -1);
        QCOMPARE(GridIndex().nearest(QPointF(0.5, 0.5), 1.0), -1);
    }

    void gridNearestHonoursFilter()
    {
        const std::vector<QPointF> pts{{0, 0}, {1, 0}, {2, 0}};
        const GridIndex index(pts);
        QCOMPARE(index.nearest(QPointF(0.1, 0), 5), 0);
        QCOMPARE(index.nearest(QPointF(0.1, 0), 5, [](int i) { return i != 0; }), 1);
    }

    void polygonIndexMatchesNaive()
    {
        QRandomGenerator rng(1234);
        std::vector<std::vector<Ring>> polygons;
        for (int k = 0; k < 12; ++k) {
            const QPointF c((k % 4) * 1.0 + 0.5, (k / 4) * 1.0 + 0.5);
            std::vector<Ring> rings{star(rng, c, 0.5, 50 + k * 40)};
            if (k % 3 == 0) // a hole
                rings.push_back(star(rng, c, 0.12, 12));
            if (k % 5 == 0) // a second part (multi-polygon) far away
                rings.push_back(star(rng, c + QPointF(10, 10), 0.3, 20));
            polygons.push_back(rings);
        }
        const PolygonIndex index(polygons);
        int insideCount = 0;
        for (int q = 0; q < 20000; ++q) {
            const double x = rng.generateDouble() * 4.2 - 0.1, y = rng.generateDouble() * 3.2 - 0.1;
            int want = -1;
            for (int i = 0; i < int(polygons.size()) && want < 0; ++i) {
                if (naiveContains(polygons[std::size_t(i)], x, y))
                    want = i;
            }
            insideCount += want >= 0;
            QCOMPARE(index.polygonAt(x, y), want);
        }
        QVERIFY(insideCount > 1000); // the test exercised the inside path
    }

    void pointsLevelWithVerticesAreCountedOnce_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addColumn<int>("expected");
        // Diamond (0,1) (1,0) (2,1) (1,2) and, to its right, a square with horizontal edges.
        QTest::newRow("diamond centre, level with two vertices") << 1.0 << 1.0 << 0;
        QTest::newRow("left of diamond, level with its vertex") << -0.5 << 1.0 << -1;
        QTest::newRow("between the two, level with vertices") << 2.5 << 1.0 << -1;
        QTest::newRow("square, level with its bottom edge") << 3.5 << 0.0 << 1;
        QTest::newRow("square middle") << 3.5 << 0.5 << 1;
        QTest::newRow("right of square, level with its top edge") << 4.5 << 1.0 << -1;
        QTest::newRow("diamond top vertex row, outside") << 0.5 << 2.0 << -1;
    }
    void pointsLevelWithVerticesAreCountedOnce()
    {
        QFETCH(double, x);
        QFETCH(double, y);
        QFETCH(int, expected);
        const PolygonIndex index({{{{0, 1}, {1, 0}, {2, 1}, {1, 2}}}, {{{3, 0}, {4, 0}, {4, 1}, {3, 1}}}});
        QCOMPARE(index.polygonAt(x, y), expected);
    }

    void labelPointIsInside()
    {
        QRandomGenerator rng(99);
        for (int k = 0; k < 200; ++k) {
            std::vector<Ring> rings{star(rng, QPointF(0, 0), 1.0, 7 + k % 40)};
            if (k % 2)
                rings.push_back(star(rng, QPointF(0, 0), 0.3, 9));
            const QPointF p = interiorLabelPoint(rings);
            QVERIFY2(naiveContains(rings, p.x(), p.y()), qPrintable(QStringLiteral("case %1").arg(k)));
        }
    }
};

QTEST_GUILESS_MAIN(TestSpatialIndex)
#include "tst_spatialindex.moc"
