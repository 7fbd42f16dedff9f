// Pan, zoom and keyboard on the real map item in the real window, through real input events.
#include "MapView.h"
#include "TestSupport.h"
#include "WindowHarness.h"

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
};

QTEST_MAIN(TestMapInteraction)
#include "tst_mapinteraction.moc"
