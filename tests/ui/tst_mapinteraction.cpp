// Pan, zoom and keyboard on the real map item in the real window, through real input events.
#include "AssetSearchModel.h"
#include "MapStyle.h"
#include "MapView.h"
#include "TestSupport.h"
#include "WindowHarness.h"
#include "geo/WebMercator.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace gwanje;

namespace {
void verifySameCoordinate(const QGeoCoordinate &a, const QGeoCoordinate &b)
{
    QVERIFY2(std::abs(a.latitude() - b.latitude()) < 1e-7 && std::abs(a.longitude() - b.longitude()) < 1e-7,
             qPrintable(QStringLiteral("%1 vs %2").arg(a.toString(), b.toString())));
}
} // namespace

class TestMapInteraction : public QObject
{
    Q_OBJECT

    test::WindowHarness m_harness;
    MapView *m_map = nullptr;

    QPoint inWindow(QPointF mapPoint) const { return m_map->mapToScene(mapPoint).toPoint(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_harness.open(QStringLiteral(GWANJE_DATA_DIR)));
        m_map = m_harness.find<MapView>(QStringLiteral("map"));
        QVERIFY(m_map);
    }
    void init()
    {
        test::failOnUnexpectedWarnings();
        m_map->fitToData();
    }

    void startsFittedOnSeoul()
    {
        const QGeoCoordinate c = m_map->center();
        QVERIFY(c.latitude() > 37.5 && c.latitude() < 37.63);
        QVERIFY(c.longitude() > 126.9 && c.longitude() < 127.05);
        QVERIFY(m_map->zoom() > 10.0 && m_map->zoom() < 12.5);
    }

    void dragPans()
    {
        const QPointF start(400, 300);
        const QGeoCoordinate grabbed = m_map->pointToCoordinate(start);
        QSignalSpy spy(m_map, &MapView::viewChanged);
        QTest::mousePress(m_harness.window(), Qt::LeftButton, {}, inWindow(start));
        QTest::mouseMove(m_harness.window(), inWindow(start + QPointF(60, 25)));
        QTest::mouseMove(m_harness.window(), inWindow(start + QPointF(120, 50)));
        QTest::mouseRelease(m_harness.window(), Qt::LeftButton, {}, inWindow(start + QPointF(120, 50)));
        QVERIFY(spy.count() >= 2);
        // The point that was grabbed is under the pointer where it was let go.
        verifySameCoordinate(m_map->pointToCoordinate(start + QPointF(120, 50)), grabbed);
    }

    void flickGlidesOnAndStops()
    {
        const QPointF start(500, 400);
        QTest::mousePress(m_harness.window(), Qt::LeftButton, {}, inWindow(start));
        // A fast drag: 200 px at once, released while still moving.
        for (int i = 1; i <= 5; ++i)
            QTest::mouseMove(m_harness.window(), inWindow(start + QPointF(40.0 * i, 0)));
        const QPointF releasedAt = start + QPointF(200, 0);
        QTest::mouseRelease(m_harness.window(), Qt::LeftButton, {}, inWindow(releasedAt));
        const QGeoCoordinate atRelease = m_map->center();
        QVERIFY(m_map->isGliding());
        // The map keeps moving the same way (west of where it was: the content moves right)...
        QTRY_VERIFY(m_map->center().longitude() < atRelease.longitude() - 1e-5);
        // ...and comes to rest within a few seconds, where it then stays.
        QTRY_VERIFY_WITH_TIMEOUT(!m_map->isGliding(), 5000);
        const QGeoCoordinate rest = m_map->center();
        QCoreApplication::processEvents();
        QCOMPARE(m_map->center().longitude(), rest.longitude());
    }

    void pinchZooms()
    {
        QPointingDevice *touch = QTest::createTouchDevice();
        const QPointF middle(600, 400);
        const double zoom = m_map->zoom();
        const QGeoCoordinate under = m_map->pointToCoordinate(middle);
        QTest::touchEvent(m_harness.window(), touch)
            .press(0, inWindow(middle - QPointF(50, 0)))
            .press(1, inWindow(middle + QPointF(50, 0)));
        QTest::touchEvent(m_harness.window(), touch)
            .move(0, inWindow(middle - QPointF(100, 0)))
            .move(1, inWindow(middle + QPointF(100, 0)));
        QTest::touchEvent(m_harness.window(), touch)
            .release(0, inWindow(middle - QPointF(100, 0)))
            .release(1, inWindow(middle + QPointF(100, 0)));
        // Fingers twice as far apart: one zoom level, around their midpoint.
        QVERIFY2(std::abs(m_map->zoom() - (zoom + 1.0)) < 1e-6, qPrintable(QString::number(m_map->zoom() - zoom)));
        verifySameCoordinate(m_map->pointToCoordinate(middle), under);
    }

    void wheelZoomsAroundCursor()
    {
        const QPointF cursor(250, 500);
        const QGeoCoordinate under = m_map->pointToCoordinate(cursor);
        const double zoom = m_map->zoom();
        const QPointF global = m_harness.window()->mapToGlobal(QPointF(inWindow(cursor)));
        QWheelEvent wheel(QPointF(inWindow(cursor)), global, QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QGuiApplication::sendEvent(m_harness.window(), &wheel);
        QCOMPARE(m_map->zoom(), zoom + 1.0); // two notches, half a level each
        verifySameCoordinate(m_map->pointToCoordinate(cursor), under);
    }

    void keyboardZoomAndPan()
    {
        m_map->forceActiveFocus();
        QTRY_VERIFY(m_map->hasActiveFocus());
        const double zoom = m_map->zoom();
        QTest::keyClick(m_harness.window(), Qt::Key_Plus);
        QCOMPARE(m_map->zoom(), zoom + 1.0);
        QTest::keyClick(m_harness.window(), Qt::Key_Minus);
        QCOMPARE(m_map->zoom(), zoom);
        const QGeoCoordinate before = m_map->center();
        QTest::keyClick(m_harness.window(), Qt::Key_Right);
        QVERIFY(m_map->center().longitude() > before.longitude());
        QTest::keyClick(m_harness.window(), Qt::Key_Down);
        QVERIFY(m_map->center().latitude() < before.latitude());
        for (int i = 0; i < 30; ++i)
            QTest::keyClick(m_harness.window(), Qt::Key_Plus);
        QCOMPARE(m_map->zoom(), m_map->maximumZoom());
        QTest::keyClick(m_harness.window(), Qt::Key_Home);
        QVERIFY(m_map->zoom() < 12.5);
    }

    void zoomButtons()
    {
        const double zoom = m_map->zoom();
        auto *zoomIn = m_harness.find<QQuickItem>(QStringLiteral("zoomIn"));
        QVERIFY(zoomIn);
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {},
                          zoomIn->mapToScene(QPointF(zoomIn->width() / 2, zoomIn->height() / 2)).toPoint());
        QCOMPARE(m_map->zoom(), zoom + 1.0);
    }

    void hoverReportsCoordinate()
    {
        QSignalSpy spy(m_map, &MapView::cursorChanged);
        QTest::mouseMove(m_harness.window(), inWindow(QPointF(321, 222)));
        QTRY_VERIFY(spy.count() > 0);
        verifySameCoordinate(m_map->cursorCoordinate(), m_map->pointToCoordinate(QPointF(321, 222)));
        QVERIFY(m_map->cursorInside());
    }

    void pickingFindsWhatIsDrawn_data()
    {
        QTest::addColumn<double>("zoom");
        QTest::newRow("city") << 11.0;
        QTest::newRow("district") << 13.0;
        QTest::newRow("street") << 16.0;
        QTest::newRow("spread") << 18.0; // co-located APs drawn apart
    }
    void pickingFindsWhatIsDrawn()
    {
        QFETCH(double, zoom);
        m_map->setClustering(false);
        // Centre on a busy place: the camera site with the most WiFi APs sharing its building nearby.
        const MarkerLayer &markers = m_map->markers();
        int busiest = 0;
        for (int i = 0; i < markers.size(); ++i) {
            if (markers.colocatedCount(i) > markers.colocatedCount(busiest))
                busiest = i;
        }
        QVERIFY(markers.colocatedCount(busiest) >= 5);
        const QPointF lonLat = WebMercator::unproject(markers.world(busiest));
        m_map->setCenter(QGeoCoordinate(lonLat.y(), lonLat.x()));
        m_map->setZoom(zoom);
        // Where each marker is drawn, brute force.
        const int size = int(MapStyle::markerSize(zoom));
        std::vector<QPointF> drawn(std::size_t(markers.size()));
        for (int i = 0; i < markers.size(); ++i) {
            // Streetlights start hidden: not drawn, not picked.
            const bool hidden = markers.kind(i) == MarkerKind::Streetlight && !m_map->showStreetlights();
            drawn[std::size_t(i)] = hidden ? QPointF(-1e9, -1e9)
                                           : m_map->viewport().worldToScreen(markers.world(i)) +
                                                 MapOverlay::spreadOffset(markers, i, zoom, size);
        }
        std::vector<int> inView;
        for (int i = 0; i < markers.size(); ++i) {
            const QPointF q = drawn[std::size_t(i)];
            if (q.x() >= 0 && q.y() >= 0 && q.x() < m_map->width() && q.y() < m_map->height())
                inView.push_back(i);
        }
        QRandomGenerator rng(7);
        int hits = 0;
        for (int probe = 0; probe < 400; ++probe) {
            // Half the probes anywhere, half near a marker that is drawn in the view.
            QPointF p(rng.bounded(m_map->width()), rng.bounded(m_map->height()));
            if (probe % 2 && !inView.empty())
                p = drawn[std::size_t(inView[std::size_t(rng.bounded(int(inView.size())))])] +
                    QPointF(rng.bounded(16.0) - 8.0, rng.bounded(16.0) - 8.0);
            double best = 8.0 * 8.0;
            for (const QPointF &q : drawn) {
                const QPointF d = q - p;
                best = std::min(best, QPointF::dotProduct(d, d));
            }
            const int picked = m_map->pickAt(p);
            if (best >= 64.0) {
                QCOMPARE(picked, -1);
                continue;
            }
            ++hits;
            QVERIFY2(picked >= 0, qPrintable(QStringLiteral("nothing picked at %1,%2 (nearest drawn %3 px away)")
                                                 .arg(p.x())
                                                 .arg(p.y())
                                                 .arg(std::sqrt(best))));
            const QPointF d = drawn[std::size_t(picked)] - p;
            // The nearest drawn marker (any of several at the same distance).
            QVERIFY2(std::abs(QPointF::dotProduct(d, d) - best) < 1e-6,
                     qPrintable(QStringLiteral("%1 vs %2").arg(QPointF::dotProduct(d, d)).arg(best)));
        }
        QVERIFY2(hits >= 20, qPrintable(QString::number(hits)));
        m_map->setClustering(true);
    }

    void hoverNamesAndClickSelects()
    {
        m_map->setClustering(false);
        m_map->setZoom(16);
        // An asset with no other marker within 12 px, inside the view.
        const MarkerLayer &markers = m_map->markers();
        int lone = -1;
        for (int i = 0; i < markers.size() && lone < 0; ++i) {
            const QPointF at = m_map->viewport().worldToScreen(markers.world(i));
            if (at.x() < 300 || at.y() < 200 || at.x() > m_map->width() - 300 || at.y() > m_map->height() - 200)
                continue;
            bool alone = true;
            markers.forEachIn(GeoRect::fromEdges(markers.x(i) - 12 / m_map->viewport().scale(),
                                                 markers.y(i) - 12 / m_map->viewport().scale(),
                                                 markers.x(i) + 12 / m_map->viewport().scale(),
                                                 markers.y(i) + 12 / m_map->viewport().scale()),
                              [&](int j) { alone = alone && j == i; });
            if (alone)
                lone = i;
        }
        QVERIFY(lone >= 0);
        const Asset &asset = m_harness.loadResult().registry->assets()[markers.ref(lone)];
        const QPointF at = m_map->viewport().worldToScreen(markers.world(lone));
        QTest::mouseMove(m_harness.window(), inWindow(at + QPointF(3, 2)));
        QTRY_VERIFY2(m_map->hoverText().contains(asset.name.isEmpty() ? asset.id : asset.name),
                     qPrintable(m_map->hoverText()));
        QSignalSpy selected(m_map, &MapView::selectionChanged);
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {}, inWindow(at + QPointF(3, 2)));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(m_map->selection().id, asset.id);
        QCOMPARE(m_map->selection().kind, assetKindName(asset.kind));
        // The detail panel shows it.
        auto *panel = m_harness.find<QQuickItem>(QStringLiteral("detailPanel"));
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        // A click on empty map clears the selection; the panel goes away.
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {}, inWindow(at + QPointF(200, 0)));
        if (m_map->pickAt(at + QPointF(200, 0)) < 0) {
            QVERIFY(m_map->selection().isEmpty());
            QTRY_VERIFY(!panel->isVisible());
        }
        m_map->setClustering(true);
    }

    void clickOnClusterZoomsIn()
    {
        QVERIFY(m_map->clustering());
        m_harness.grab(); // a frame, so the clusters exist
        QVERIFY(m_map->isClustered());
        // The biggest cluster away from the window's edges.
        const MapCluster *biggest = nullptr;
        for (const MapCluster &c : m_map->clusters()) {
            const QPointF at = m_map->viewport().worldToScreen(c.world);
            if (at.x() > 200 && at.y() > 200 && at.x() < m_map->width() - 200 && at.y() < m_map->height() - 150 &&
                (!biggest || c.count > biggest->count))
                biggest = &c;
        }
        QVERIFY(biggest && biggest->count > 100);
        const QPointF world = biggest->world;
        const double zoom = m_map->zoom();
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {}, inWindow(m_map->viewport().worldToScreen(world)));
        QTRY_COMPARE(m_map->zoom(), zoom + 2.0);
        const QPointF c = m_map->viewport().center();
        QVERIFY(std::abs(c.x() - world.x()) < 1e-9 && std::abs(c.y() - world.y()) < 1e-9);
    }

    void scaleBarMatchesTheMap_data()
    {
        QTest::addColumn<double>("zoom");
        QTest::newRow("city") << 11.0;
        QTest::newRow("street") << 16.3;
        QTest::newRow("closest") << 20.0;
    }
    void scaleBarMatchesTheMap()
    {
        QFETCH(double, zoom);
        m_map->setZoom(zoom);
        auto *bar = m_harness.find<QQuickItem>(QStringLiteral("scaleBar"));
        QVERIFY(bar);
        const double metres = bar->property("metres").toDouble();
        // A round number: 1, 2 or 5 times a power of ten.
        const double mantissa = metres / std::pow(10.0, std::floor(std::log10(metres)));
        QVERIFY2(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9,
                 qPrintable(QString::number(metres)));
        // Its length on screen is that distance on the ground, measured independently here: the
        // great-circle distance between two screen points that far apart at the centre.
        const QPointF c(m_map->width() / 2, m_map->height() / 2);
        const double width = bar->width();
        const double ground = m_map->pointToCoordinate(c).distanceTo(m_map->pointToCoordinate(c + QPointF(width, 0)));
        QVERIFY2(std::abs(ground - metres) / metres < 0.01,
                 qPrintable(QStringLiteral("%1 vs %2").arg(ground).arg(metres)));
        QVERIFY(width > 40 && width <= 120.5);
        const QString label = m_harness.find<QQuickItem>(QStringLiteral("scaleLabel"))->property("text").toString();
        QVERIFY2(label ==
                     (metres >= 1000 ? QStringLiteral("%1 km").arg(metres / 1000) : QStringLiteral("%1 m").arg(metres)),
                 qPrintable(label));
    }

    void basemapLayersCanBeTurnedOff()
    {
        auto *button = m_harness.find<QQuickItem>(QStringLiteral("layersButton"));
        auto *list = m_harness.find<QQuickItem>(QStringLiteral("layerList"));
        QVERIFY(button && list);
        QVERIFY(!list->isVisible());
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {},
                          button->mapToScene(QPointF(button->width() / 2, button->height() / 2)).toPoint());
        QTRY_VERIFY(list->isVisible());
        // One row per layer of the config; a click on "districts" turns it off and back on.
        const QVariantList layers = m_harness.basemap()->layers();
        QVERIFY(layers.size() >= 10);
        auto *row = m_harness.findItem(QStringLiteral("layer_districts"));
        QVERIFY(row);
        QVERIFY(m_harness.basemap()->isLayerVisible(QStringLiteral("districts")));
        const QPoint at = row->mapToScene(QPointF(row->width() / 2, row->height() / 2)).toPoint();
        const QPointer<QQuickItem> oldRow(row);
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {}, at);
        QVERIFY(!m_harness.basemap()->isLayerVisible(QStringLiteral("districts")));
        // The rows are rebuilt from the new layer list: wait until the new row stands where the
        // old one did.
        auto freshRowInPlace = [&] {
            QQuickItem *fresh = m_harness.findItem(QStringLiteral("layer_districts"));
            return fresh && fresh != oldRow.data() && fresh->isVisible() &&
                   fresh->mapToScene(QPointF(fresh->width() / 2, fresh->height() / 2)).toPoint() == at;
        };
        QTRY_VERIFY(freshRowInPlace());
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {}, at);
        QTRY_VERIFY(m_harness.basemap()->isLayerVisible(QStringLiteral("districts")));
        QTest::mouseClick(m_harness.window(), Qt::LeftButton, {},
                          button->mapToScene(QPointF(button->width() / 2, button->height() / 2)).toPoint());
        QTRY_VERIFY(!list->isVisible());
    }

    void searchFindsAndFliesThere()
    {
        auto *field = m_harness.find<QQuickItem>(QStringLiteral("searchField"));
        auto *model = m_harness.assets()->search();
        QVERIFY(field && model);
        // An asset whose name no other asset shares, typed as the operator would (Hangul included).
        const auto &assets = m_harness.loadResult().registry->assets();
        QHash<QString, int> names;
        for (const Asset &a : assets)
            ++names[a.name];
        int target = -1;
        for (std::size_t i = 0; i < assets.size() && target < 0; ++i) {
            if (assets[i].kind == AssetKind::WifiAp && assets[i].name.size() >= 6 && names.value(assets[i].name) == 1)
                target = int(i);
        }
        QVERIFY(target >= 0);
        const Asset &asset = assets[std::size_t(target)];
        field->forceActiveFocus();
        QTRY_VERIFY(field->hasActiveFocus());
        for (const QChar ch : asset.name)
            QTest::sendKeyEvent(QTest::Click, m_harness.window(), Qt::Key_unknown, QString(ch), Qt::NoModifier);
        QCOMPARE(field->property("text").toString(), asset.name);
        QTRY_COMPARE(model->query(), asset.name); // after the pause in typing
        QVERIFY(model->rowCount() >= 1);
        QCOMPARE(model->get(0).value(QStringLiteral("asset")).toInt(), target);
        QTest::keyClick(m_harness.window(), Qt::Key_Return);
        QTRY_COMPARE(m_map->zoom(), 17.0);
        QCOMPARE(m_map->selection().id, asset.id);
        const QPointF c = m_map->viewport().center();
        QVERIFY(std::abs(c.x() - asset.world.x()) < 1e-9 && std::abs(c.y() - asset.world.y()) < 1e-9);
        QVERIFY(field->property("text").toString().isEmpty());

        // A district by its Korean name comes first, as an area.
        model->setQuery(QStringLiteral("은평구"));
        QVERIFY(model->rowCount() > 1);
        QCOMPARE(model->get(0).value(QStringLiteral("kind")).toString(), QStringLiteral("district"));
        // Nothing found is said, not left blank.
        field->setProperty("text", QStringLiteral("존재하지않는장소XYZ"));
        QTRY_COMPARE(model->rowCount(), 0);
        auto *nothing = m_harness.find<QQuickItem>(QStringLiteral("searchNothing"));
        QTRY_VERIFY(nothing && nothing->isVisible());
        field->setProperty("text", QString());
        m_map->clearSelection();
    }
};

QTEST_MAIN(TestMapInteraction)
#include "tst_mapinteraction.moc"
