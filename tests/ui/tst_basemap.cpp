// Raster and vector basemap layers from a layer config, in the real window: a raster made with
// GDAL from the district boundaries shows each district's colour where the projection puts it;
// a corrupt MBTiles layer gives a banner line while everything else still draws.
#include "MapView.h"
#include "RasterFixture.h"
#include "TestSupport.h"
#include "TileStore.h"
#include "WindowHarness.h"
#include "geo/WebMercator.h"
#include "map/TileMath.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace gwanje;

class TestBasemap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void rasterLayersDrawAndACorruptOneIsReported()
    {
        QTemporaryDir dir;
        QVERIFY(test::copyTree(QStringLiteral(GWANJE_DATA_DIR), dir.path()));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("rasters")));
        test::RasterFixture fixture;
        QString error;
        QVERIFY2(fixture.build(dir.filePath(QStringLiteral("rasters")), &error), qPrintable(error));
        // The shipped layers, with the district raster under them and a corrupt MBTiles on top.
        QJsonObject config =
            QJsonDocument::fromJson(test::readFile(dir.filePath(QStringLiteral("map/layers.json")))).object();
        QJsonArray layers;
        layers.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("districts-raster")},
                                  {QStringLiteral("type"), QStringLiteral("raster")},
                                  {QStringLiteral("source"), fixture.mbtiles},
                                  {QStringLiteral("attribution"), QStringLiteral("Test raster")}});
        for (const QJsonValue &layer : config.value(QStringLiteral("layers")).toArray()) {
            // Only the district outlines above the raster: fills would tint its colours.
            if (layer.toObject().value(QStringLiteral("id")).toString() == QStringLiteral("districts"))
                layers.append(layer);
        }
        layers.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("broken")},
                                  {QStringLiteral("name"), QStringLiteral("Broken tiles")},
                                  {QStringLiteral("type"), QStringLiteral("raster")},
                                  {QStringLiteral("source"), fixture.corruptMbtiles}});
        config.insert(QStringLiteral("layers"), layers);
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("map/layers.json")), QJsonDocument(config).toJson()));

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("map layer broken: .+")));
        test::WindowHarness h;
        QVERIFY(h.open(dir.path()));
        // The operator is told, by name, and the rest of the map is there.
        QCOMPARE(h.basemap()->problems().size(), 1);
        QVERIFY2(h.basemap()->problems().constFirst().contains(QStringLiteral("Broken tiles")),
                 qPrintable(h.basemap()->problems().constFirst()));
        const auto *banner = h.find<QQuickItem>(QStringLiteral("problemBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY(h.basemap()->attribution().contains(QStringLiteral("Test raster")));

        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        for (auto hide :
             {&MapView::setShowCameras, &MapView::setShowWifi, &MapView::setShowSensors, &MapView::setShowDevices})
            (map->*hide)(false);
        map->setEnglishLabels(true);
        map->setZoom(12.0); // inside the raster's zoom range
        map->setCenter(QGeoCoordinate(37.55, 126.99));
        const QImage image = h.grab();
        const QPointF origin = map->mapToScene(QPointF(0, 0));
        const QRectF checked(origin + QPointF(190, 180), QSizeF(map->width() - 380, map->height() - 300));
        const AssetRegistry &reg = *h.loadResult().registry;
        int samples = 0, hits = 0;
        for (double y = checked.top(); y < checked.bottom(); y += 17) {
            for (double x = checked.left(); x < checked.right(); x += 17) {
                const QPointF lonLat = map->viewport().screenToCoordinate(QPointF(x, y) - origin);
                const int district = reg.districtAt(lonLat.x(), lonLat.y());
                if (district < 0 || !fixture.lonLatBounds.contains(lonLat.x(), lonLat.y()))
                    continue;
                // Clear of every outline (tiles are resampled) and of the labels.
                bool clear = true;
                for (const Region &d : reg.districts()) {
                    const QPointF l = map->viewport().coordinateToScreen(d.labelPoint.x(), d.labelPoint.y()) + origin;
                    clear = clear && !(std::abs(l.x() - x) < 60 && std::abs(l.y() - y) < 16);
                }
                for (int dx = -6; dx <= 6 && clear; dx += 3) {
                    for (int dy = -6; dy <= 6 && clear; dy += 3) {
                        const QPointF q = map->viewport().screenToCoordinate(QPointF(x + dx, y + dy) - origin);
                        clear = reg.districtAt(q.x(), q.y()) == district && fixture.lonLatBounds.contains(q.x(), q.y());
                    }
                }
                if (!clear)
                    continue;
                const QString name = reg.districts()[std::size_t(district)].name;
                const auto swatch = std::find_if(fixture.districts.begin(), fixture.districts.end(),
                                                 [&](const test::DistrictSwatch &s) { return s.name == name; });
                QVERIFY(swatch != fixture.districts.end());
                ++samples;
                hits +=
                    test::colorDistance(image.pixelColor(QPoint(int(x), int(y))), QColor::fromRgba(swatch->argb)) <= 12;
            }
        }
        QVERIFY2(samples >= 100, qPrintable(QString::number(samples)));
        QVERIFY2(hits >= samples * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(hits).arg(samples)));
    }

    void remoteTilesAreKeptOnDisk()
    {
        // A tile server on the closed network, played by GDAL's WMS driver on file:// URLs over an
        // XYZ folder cut from the fixture's MBTiles.
        QTemporaryDir dir;
        test::RasterFixture fixture;
        QString error;
        QVERIFY2(fixture.build(dir.path(), &error), qPrintable(error));
        const QString server = dir.filePath(QStringLiteral("server"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open_v2(fixture.mbtiles.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt *st = nullptr;
        QCOMPARE(
            sqlite3_prepare_v2(db, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles", -1, &st, nullptr),
            SQLITE_OK);
        int written = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const int z = sqlite3_column_int(st, 0), x = sqlite3_column_int(st, 1);
            const int y = tmsRow(z, sqlite3_column_int(st, 2));
            const QString path = QStringLiteral("%1/%2/%3/%4.png").arg(server).arg(z).arg(x).arg(y);
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            written += test::writeFile(
                path, QByteArray(static_cast<const char *>(sqlite3_column_blob(st, 3)), sqlite3_column_bytes(st, 3)));
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        QVERIFY(written > 10);
        const double extent = 20037508.342789244;
        const QString wms =
            QStringLiteral(
                "<GDAL_WMS><Service name=\"TMS\"><ServerUrl>file://%1/${z}/${x}/${y}.png</ServerUrl></Service>"
                "<DataWindow><UpperLeftX>%2</UpperLeftX><UpperLeftY>%3</UpperLeftY><LowerRightX>%3</LowerRightX>"
                "<LowerRightY>%2</LowerRightY><TileLevel>%4</TileLevel><TileCountX>1</TileCountX>"
                "<TileCountY>1</TileCountY><YOrigin>top</YOrigin></DataWindow><Projection>EPSG:3857</Projection>"
                "<BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>3</BandsCount>"
                ""
                "</GDAL_WMS>")
                .arg(server)
                .arg(-extent, 0, 'f', 9)
                .arg(extent, 0, 'f', 9)
                .arg(fixture.mbtilesMaxZoom);
        BasemapData data;
        BasemapLayer layer;
        layer.spec.id = QStringLiteral("city-tiles");
        layer.spec.type = MapLayerType::Raster;
        layer.spec.source = wms;
        data.layers.push_back(layer);
        data.diskCacheDirectory = dir.filePath(QStringLiteral("cache"));
        // A tile over the district raster, at its most detailed zoom.
        // A district whose inner point lies in the raster's extent.
        const auto district = std::find_if(fixture.districts.begin(), fixture.districts.end(), [&](const auto &d) {
            const QPointF p = interiorLabelPoint(d.rings);
            return fixture.lonLatBounds.contains(p.x(), p.y());
        });
        QVERIFY(district != fixture.districts.end());
        const QPointF inside = interiorLabelPoint(district->rings);
        const TileId id = tileAt(WebMercator::project(inside.x(), inside.y()), fixture.mbtilesMaxZoom);
        QStringList errors;
        const QImage first = TileStore::renderTile(data, id, &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        const QPoint at = [&] {
            const GeoRect b = tileWorldBounds(id);
            const QPointF w = WebMercator::project(inside.x(), inside.y());
            return QPoint(int((w.x() - b.minX) / b.width() * 256), int((w.y() - b.minY) / b.height() * 256));
        }();
        QCOMPARE(QColor::fromRgba(first.pixel(at)).rgb(), QColor::fromRgba(district->argb).rgb());
        QVERIFY(!QDir(data.diskCacheDirectory).isEmpty());
        // The server goes away: the tile it served still draws, from the disk cache.
        QVERIFY(QDir(server).removeRecursively());
        errors.clear();
        const QImage second = TileStore::renderTile(data, id, &errors);
        QVERIFY(errors.isEmpty());
        QCOMPARE(second, first);
        // A tile never fetched cannot be drawn now: the layer is left out of it (transparent) and
        // the reason is reported, not a crash.
        TileId other = id;
        other.x += 3;
        errors.clear();
        const QImage missing = TileStore::renderTile(data, other, &errors);
        QCOMPARE(qAlpha(missing.pixel(128, 128)), 0);
        QCOMPARE(errors.size(), 1);
    }
};

QTEST_MAIN(TestBasemap)
#include "tst_basemap.moc"
