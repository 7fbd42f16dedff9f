// Basemap tiles drawn off screen from the shipped layer config: the Yeouido road names appear
// along their roads, and a tile outside every layer stays transparent.
#include "BasemapFacade.h"
#include "MapStyle.h"
#include "TestSupport.h"
#include "TileStore.h"
#include "geo/WebMercator.h"

#include <QTest>

using namespace gwanje;

class TestTileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void roadNamesAlongRoads()
    {
        const BasemapFacade::Loaded loaded = BasemapFacade::read(QStringLiteral(GWANJE_DATA_DIR "/map/layers.json"));
        QVERIFY2(loaded.problems.isEmpty(), qPrintable(loaded.problems.join(u'\n')));
        // Yeouido at zoom 16: the same tiles with and without the road layers' names.
        BasemapData unlabelled = *loaded.data;
        for (BasemapLayer &layer : unlabelled.layers)
            layer.spec.labelField.clear();
        const QPointF yeouido = WebMercator::project(126.9245, 37.5255);
        int differing = 0, labelPixels = 0;
        for (int dx = -1; dx <= 1; ++dx) {
            for (int dy = -1; dy <= 1; ++dy) {
                TileId id = tileAt(yeouido, 16);
                id.x += dx;
                id.y += dy;
                QStringList errors;
                const QImage with = TileStore::renderTile(*loaded.data, id, &errors);
                const QImage without = TileStore::renderTile(unlabelled, id, &errors);
                QVERIFY(errors.isEmpty());
                for (int y = 0; y < with.height(); ++y) {
                    for (int x = 0; x < with.width(); ++x) {
                        const QColor a = with.pixelColor(x, y), b = without.pixelColor(x, y);
                        differing += a != b;
                        // Glyphs are thin and antialiased: near the label colour, and opaque.
                        const QColor l = MapStyle::roadLabel();
                        labelPixels += a != b && a.alpha() > 200 &&
                                       std::max({std::abs(a.red() - l.red()), std::abs(a.green() - l.green()),
                                                 std::abs(a.blue() - l.blue())}) <= 40;
                    }
                }
            }
        }
        // Several names of a few dozen glyph pixels each.
        QVERIFY2(labelPixels >= 100, qPrintable(QStringLiteral("%1 (%2 differing)").arg(labelPixels).arg(differing)));
        // Not at zoom 13: too small to read.
        QStringList errors;
        const TileId low = tileAt(yeouido, 13);
        QCOMPARE(TileStore::renderTile(*loaded.data, low, &errors), TileStore::renderTile(unlabelled, low, &errors));
    }

    void tileOutsideEveryLayerIsTransparent()
    {
        const BasemapFacade::Loaded loaded = BasemapFacade::read(QStringLiteral(GWANJE_DATA_DIR "/map/layers.json"));
        QStringList errors;
        const QImage tile = TileStore::renderTile(*loaded.data, tileAt(WebMercator::project(-40.0, 10.0), 12), &errors);
        QVERIFY(errors.isEmpty());
        for (int y = 0; y < tile.height(); y += 7) {
            for (int x = 0; x < tile.width(); x += 7)
                QCOMPARE(qAlpha(tile.pixel(x, y)), 0);
        }
    }
};

QTEST_MAIN(TestTileStore)
#include "tst_tilestore.moc"
