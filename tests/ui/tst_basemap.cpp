// Raster and vector basemap layers from a layer config, in the real window: a raster made with
// GDAL from the district boundaries shows each district's colour where the projection puts it;
// a corrupt MBTiles layer gives a banner line while everything else still draws.
#include "MapView.h"
#include "RasterFixture.h"
#include "TestSupport.h"
#include "WindowHarness.h"
#include "geo/WebMercator.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

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
};

QTEST_MAIN(TestBasemap)
#include "tst_basemap.moc"
