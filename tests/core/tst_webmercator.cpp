#include "TestSupport.h"
#include "geo/MapViewport.h"
#include "geo/WebMercator.h"

#include <QTest>

#include <cmath>

using namespace gwanje;

class TestWebMercator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void roundTrip_data()
    {
        QTest::addColumn<double>("lon");
        QTest::addColumn<double>("lat");
        QTest::newRow("origin") << 0.0 << 0.0;
        QTest::newRow("seoul city hall") << 126.978 << 37.5665;
        QTest::newRow("eunpyeong") << 126.9291 << 37.6027;
        QTest::newRow("southern hemisphere") << -58.38 << -34.6;
        QTest::newRow("near max latitude") << 179.9 << 85.0;
        QTest::newRow("date line west") << -180.0 << 10.0;
    }
    void roundTrip()
    {
        QFETCH(double, lon);
        QFETCH(double, lat);
        const QPointF w = WebMercator::project(lon, lat);
        QVERIFY(w.x() >= 0.0 && w.x() <= 1.0);
        QVERIFY(w.y() >= 0.0 && w.y() <= 1.0);
        const QPointF back = WebMercator::unproject(w);
        QVERIFY2(std::abs(back.x() - lon) < 1e-9, qPrintable(QString::number(back.x(), 'f', 12)));
        QVERIFY2(std::abs(back.y() - lat) < 1e-9, qPrintable(QString::number(back.y(), 'f', 12)));
    }

    void knownTiles_data()
    {
        // Tile coordinates from the OSM slippy-map formula, computed outside this code base.
        QTest::addColumn<double>("lon");
        QTest::addColumn<double>("lat");
        QTest::addColumn<int>("zoom");
        QTest::addColumn<double>("tileX");
        QTest::addColumn<double>("tileY");
        QTest::newRow("city hall z12") << 126.978 << 37.5665 << 12 << 3492.7274666666667 << 1586.1853644606153;
        QTest::newRow("city hall z16") << 126.978 << 37.5665 << 16 << 55883.63946666667 << 25378.965831369846;
        QTest::newRow("null island z1") << 0.0 << 0.0 << 1 << 1.0 << 1.0;
    }
    void knownTiles()
    {
        QFETCH(double, lon);
        QFETCH(double, lat);
        QFETCH(int, zoom);
        QFETCH(double, tileX);
        QFETCH(double, tileY);
        const QPointF w = WebMercator::project(lon, lat) * std::exp2(zoom);
        QVERIFY(std::abs(w.x() - tileX) < 1e-6);
        QVERIFY(std::abs(w.y() - tileY) < 1e-6);
    }

    void clampsPoles()
    {
        QCOMPARE(WebMercator::project(0, 90).y(), WebMercator::project(0, WebMercator::maxLatitude).y());
        QVERIFY(std::abs(WebMercator::project(0, WebMercator::maxLatitude).y()) < 1e-9);
    }

    void fastProjectionMatchesExact()
    {
        // A pixel at zoom 22 is 2.3e-10 world units; the fast path must stay far below it
        // everywhere, including near the poles where the Mercator curve is steepest.
        double worst = 0.0;
        for (int i = 0; i <= 2'000'000; ++i) {
            const double lat = -WebMercator::maxLatitude + i * (2 * WebMercator::maxLatitude / 2'000'000.0);
            const double lon = -180.0 + i * (360.0 / 2'000'000.0);
            const QPointF exact = WebMercator::project(lon, lat);
            const QPointF fast = WebMercator::projectFast(lon, lat);
            QCOMPARE(fast.x(), exact.x());
            worst = std::max(worst, std::abs(fast.y() - exact.y()));
        }
        QVERIFY2(worst < 1e-12, qPrintable(QString::number(worst, 'g', 3)));
        // Outside the Mercator range it clamps like project(); NaN stays NaN.
        QCOMPARE(WebMercator::projectFast(10, 89.9).y(), WebMercator::project(10, 89.9).y());
        QVERIFY(std::isnan(WebMercator::projectFast(10, qQNaN()).y()));
        const QPointF seoul = WebMercator::projectFast(126.978, 37.5665);
        QVERIFY(std::abs(seoul.y() * 4096 - 1586.1853644606153) < 1e-8);
    }

    void metresPerPixel()
    {
        // 156543.03 m/px at the equator at zoom 0 is the well-known value.
        QVERIFY(std::abs(WebMercator::metresPerPixel(0, 0) - 156543.0339) < 1e-3);
        QVERIFY(std::abs(WebMercator::metresPerPixel(60, 1) - 156543.0339 / 4) < 1e-3);
    }

    void viewportScreenRoundTrip()
    {
        MapViewport vp(WebMercator::project(126.98, 37.56), 13.3, QSizeF(1200, 800));
        const QPointF p(123.5, 456.25);
        const QPointF back = vp.worldToScreen(vp.screenToWorld(p));
        QVERIFY(std::abs(back.x() - p.x()) < 1e-6 && std::abs(back.y() - p.y()) < 1e-6);
        // The centre of the coordinate is the centre of the screen.
        const QPointF c = vp.coordinateToScreen(126.98, 37.56);
        QVERIFY(std::abs(c.x() - 600) < 1e-6 && std::abs(c.y() - 400) < 1e-6);
    }

    void zoomAroundKeepsAnchor_data()
    {
        QTest::addColumn<QPointF>("anchor");
        QTest::addColumn<double>("delta");
        QTest::newRow("in, top-left") << QPointF(10, 20) << 1.0;
        QTest::newRow("out, bottom-right") << QPointF(1190, 790) << -2.5;
        QTest::newRow("fractional, middle") << QPointF(640, 380) << 0.125;
    }
    void zoomAroundKeepsAnchor()
    {
        QFETCH(QPointF, anchor);
        QFETCH(double, delta);
        MapViewport vp(WebMercator::project(126.98, 37.56), 12.0, QSizeF(1200, 800));
        vp.setZoomRange(9, 20);
        const QPointF before = vp.screenToCoordinate(anchor);
        vp.zoomAround(anchor, delta);
        QCOMPARE(vp.zoom(), 12.0 + delta);
        const QPointF after = vp.screenToCoordinate(anchor);
        QVERIFY(std::abs(after.x() - before.x()) < 1e-9);
        QVERIFY(std::abs(after.y() - before.y()) < 1e-9);
    }

    void zoomIsClamped()
    {
        MapViewport vp(QPointF(0.5, 0.5), 12.0, QSizeF(800, 600));
        vp.setZoomRange(9, 20);
        vp.zoomAround(QPointF(0, 0), 100);
        QCOMPARE(vp.zoom(), 20.0);
        vp.zoomAround(QPointF(0, 0), -100);
        QCOMPARE(vp.zoom(), 9.0);
        vp.setZoom(std::nan(""));
        QCOMPARE(vp.zoom(), 9.0);
    }

    void panMovesWithPointer()
    {
        MapViewport vp(WebMercator::project(127.0, 37.5), 14.0, QSizeF(1000, 700));
        const QPointF grabbed = vp.screenToWorld(QPointF(300, 200));
        vp.panBy(QPointF(55, -30));
        const QPointF now = vp.worldToScreen(grabbed);
        QVERIFY(std::abs(now.x() - 355) < 1e-6 && std::abs(now.y() - 170) < 1e-6);
    }

    void fitShowsWholeRect()
    {
        MapViewport vp(QPointF(0.5, 0.5), 3, QSizeF(1000, 700));
        vp.setZoomRange(0, 20);
        const GeoRect seoul = GeoRect::fromEdges(126.76, 37.42, 127.19, 37.70);
        vp.fitCoordinates(seoul, 20);
        const QPointF nw = vp.coordinateToScreen(seoul.minX, seoul.maxY);
        const QPointF se = vp.coordinateToScreen(seoul.maxX, seoul.minY);
        QVERIFY(nw.x() >= 19.999 && nw.y() >= 19.999);
        QVERIFY(se.x() <= 980.001 && se.y() <= 680.001);
        // Tight on one axis.
        QVERIFY(std::abs(nw.x() - 20) < 1e-6 || std::abs(nw.y() - 20) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestWebMercator)
#include "tst_webmercator.moc"
