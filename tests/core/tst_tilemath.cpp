#include "TestSupport.h"
#include "geo/WebMercator.h"
#include "map/TileMath.h"

#include <QSet>
#include <QTest>

#include <unordered_set>

using namespace gwanje;

Q_DECLARE_METATYPE(gwanje::TileId)
Q_DECLARE_METATYPE(gwanje::GeoRect)

namespace gwanje {
// Readable QCOMPARE failures.
char *toString(const TileId &tile)
{
    return QTest::toString(QStringLiteral("%1/%2/%3").arg(tile.z).arg(tile.x).arg(tile.y));
}
} // namespace gwanje

class TestTileMath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void knownTiles_data()
    {
        // Tile numbers from the OSM slippy-map formula, computed outside this code base:
        // x = (lon + 180) / 360 * 2^z, y = (1 - ln(tan(lat) + sec(lat)) / pi) / 2 * 2^z.
        QTest::addColumn<double>("lon");
        QTest::addColumn<double>("lat");
        QTest::addColumn<int>("zoom");
        QTest::addColumn<int>("x");
        QTest::addColumn<int>("y");
        QTest::newRow("seoul city hall z12") << 126.978 << 37.5665 << 12 << 3492 << 1586;
        QTest::newRow("seoul city hall z0") << 126.978 << 37.5665 << 0 << 0 << 0;
        QTest::newRow("seoul city hall z1") << 126.978 << 37.5665 << 1 << 1 << 0;
        QTest::newRow("london z10") << -0.1276 << 51.5072 << 10 << 511 << 340;
        QTest::newRow("null island z1") << 0.0 << 0.0 << 1 << 1 << 1;
        QTest::newRow("south-west z1") << -120.0 << -40.0 << 1 << 0 << 1;
    }
    void knownTiles()
    {
        QFETCH(double, lon);
        QFETCH(double, lat);
        QFETCH(int, zoom);
        QFETCH(int, x);
        QFETCH(int, y);
        const QPointF world = WebMercator::project(lon, lat);
        const TileId tile = tileAt(world, zoom);
        QCOMPARE(tile, (TileId{zoom, x, y}));
        QVERIFY(tile.isValid());
        QVERIFY(tileWorldBounds(tile).contains(world.x(), world.y()));
    }

    void worldBounds()
    {
        const GeoRect world = tileWorldBounds(TileId{0, 0, 0});
        QCOMPARE(world.minX, 0.0);
        QCOMPARE(world.minY, 0.0);
        QCOMPARE(world.maxX, 1.0);
        QCOMPARE(world.maxY, 1.0);
        const GeoRect ne = tileWorldBounds(TileId{1, 1, 0}); // north-east quarter: y grows south
        QCOMPARE(ne.minX, 0.5);
        QCOMPARE(ne.minY, 0.0);
        QCOMPARE(ne.maxX, 1.0);
        QCOMPARE(ne.maxY, 0.5);
        const GeoRect seoul = tileWorldBounds(TileId{12, 3492, 1586});
        QCOMPARE(seoul.minX, 3492.0 / 4096.0);
        QCOMPARE(seoul.maxY, 1587.0 / 4096.0);
    }

    void tileAtClampsToTheWorld()
    {
        QCOMPARE(tileAt(QPointF(1.0, 1.0), 2), (TileId{2, 3, 3}));
        QCOMPARE(tileAt(QPointF(-0.1, 0.5), 2), (TileId{2, 0, 2}));
        QCOMPARE(tileAt(QPointF(std::nan(""), 2.0), 3), (TileId{3, 0, 7}));
    }

    void tmsRowFlips()
    {
        QCOMPARE(tmsRow(0, 0), 0);
        QCOMPARE(tmsRow(1, 0), 1);
        QCOMPARE(tmsRow(1, 1), 0);
        QCOMPARE(tmsRow(12, 1586), 2509);
        for (int y : {0, 5, 4095})
            QCOMPARE(tmsRow(12, tmsRow(12, y)), y);
    }

    void tilesCovering_data()
    {
        QTest::addColumn<GeoRect>("rect");
        QTest::addColumn<int>("zoom");
        QTest::addColumn<QList<TileId>>("expected");
        QTest::newRow("whole world z1") << GeoRect{0, 0, 1, 1} << 1
                                        << QList<TileId>{{1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}};
        QTest::newRow("beyond the world is clamped")
            << GeoRect{-3, -3, 0.3, 0.2} << 2 << QList<TileId>{{2, 0, 0}, {2, 1, 0}};
        QTest::newRow("edge on a tile border stays out")
            << GeoRect{0.25, 0.25, 0.5, 0.5} << 2 << QList<TileId>{{2, 1, 1}};
        QTest::newRow("a point") << GeoRect{0.6, 0.6, 0.6, 0.6} << 3 << QList<TileId>{{3, 4, 4}};
        QTest::newRow("empty rect") << GeoRect{} << 3 << QList<TileId>{};
        QTest::newRow("outside the world") << GeoRect{1.5, 0.2, 2.0, 0.4} << 3 << QList<TileId>{};
    }
    void tilesCovering()
    {
        QFETCH(GeoRect, rect);
        QFETCH(int, zoom);
        QFETCH(QList<TileId>, expected);
        const std::vector<TileId> tiles = gwanje::tilesCovering(rect, zoom);
        QCOMPARE(QList<TileId>(tiles.begin(), tiles.end()), expected);
    }

    void tilesCoveringSeoul()
    {
        const QPointF nw = WebMercator::project(126.76, 37.70), se = WebMercator::project(127.19, 37.42);
        const GeoRect rect = GeoRect::fromEdges(nw.x(), nw.y(), se.x(), se.y());
        for (int z : {10, 12, 15}) {
            const TileId a = tileAt(nw, z), b = tileAt(se, z);
            const std::vector<TileId> tiles = gwanje::tilesCovering(rect, z);
            QCOMPARE(int(tiles.size()), (b.x - a.x + 1) * (b.y - a.y + 1));
            QCOMPARE(tiles.front(), a);
            QCOMPARE(tiles.back(), b);
            for (const TileId &t : tiles)
                QVERIFY(tileWorldBounds(t).intersects(rect));
        }
    }

    void parentContainsChild()
    {
        // Qualified: inside a QObject, QObject::parent() hides gwanje::parent().
        QCOMPARE(gwanje::parent(TileId{12, 3492, 1586}), (TileId{11, 1746, 793}));
        QCOMPARE(gwanje::parent(TileId{1, 1, 1}), (TileId{0, 0, 0}));
        QCOMPARE(gwanje::parent(TileId{0, 0, 0}), (TileId{0, 0, 0}));
        const TileId child{15, 27941, 12689};
        const GeoRect c = tileWorldBounds(child), p = tileWorldBounds(gwanje::parent(child));
        QVERIFY(p.contains(c.minX, c.minY) && p.contains(c.maxX, c.maxY));
    }

    void hashKeys()
    {
        QSet<quint64> keys;
        QSet<TileId> set;
        std::unordered_set<TileId> stdSet;
        for (int z = 0; z <= 3; ++z) {
            for (int x = 0; x < (1 << z); ++x) {
                for (int y = 0; y < (1 << z); ++y) {
                    keys.insert(TileId{z, x, y}.key());
                    set.insert(TileId{z, x, y});
                    stdSet.insert(TileId{z, x, y});
                }
            }
        }
        QCOMPARE(keys.size(), 1 + 4 + 16 + 64);
        QCOMPARE(set.size(), 85);
        QCOMPARE(int(stdSet.size()), 85);
        QVERIFY(set.contains(TileId{3, 7, 0}));
        QVERIFY(!set.contains(TileId{4, 7, 0}));
        QVERIFY((TileId{29, (1 << 29) - 1, 0}).key() != (TileId{29, 0, (1 << 29) - 1}).key());
        QVERIFY(!(TileId{2, 4, 0}).isValid());
    }
};

QTEST_GUILESS_MAIN(TestTileMath)
#include "tst_tilemath.moc"
