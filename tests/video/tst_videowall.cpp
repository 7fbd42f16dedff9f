// The CCTV wall: its layouts and saved views, whose streams a tile plays, and the real window
// under Xvfb with live tiles from a real gwanje-camsim (killed and restarted by its PID), and
// `gwanje --screenshot --wall 2x2` as a process.
#include "AlarmsFacade.h"
#include "AppProcess.h"
#include "CameraStream.h"
#include "Camsim.h"
#include "ConsoleUi.h"
#include "TestSupport.h"
#include "VideoWallFacade.h"
#include "WindowHarness.h"
#include "engine/Engine.h"
#include "events/Event.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQuickItem>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace gwanje;

namespace {

std::shared_ptr<AssetRegistry> cameras(int n, const QString &urlOfFirst = {})
{
    auto registry = std::make_shared<AssetRegistry>();
    for (int i = 1; i <= n; ++i) {
        Asset a;
        a.id = QStringLiteral("cam#%1").arg(i);
        a.name = QStringLiteral("서울특별시 중구 세종대로 %1").arg(i);
        a.kind = AssetKind::CameraSite;
        a.longitude = 126.97 + i * 0.001;
        a.latitude = 37.56;
        if (i == 1)
            a.streamMain = urlOfFirst;
        registry->addAsset(a);
    }
    registry->finalize();
    return registry;
}

// Mean and standard deviation of the grey level in a rectangle of an image.
std::pair<double, double> greyStats(const QImage &image, QRect r)
{
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); y += 2)
        for (int x = r.left(); x <= r.right(); x += 2) {
            const int g = qGray(image.pixel(x, y));
            sum += g;
            sum2 += double(g) * g;
            ++n;
        }
    const double mean = sum / std::max(n, 1);
    return {mean, std::sqrt(std::max(0.0, sum2 / std::max(n, 1) - mean * mean))};
}

// Share of pixels that differ between two grabs of a rectangle.
double changed(const QImage &a, const QImage &b, QRect r)
{
    int differ = 0, n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x, ++n)
            differ += test::colorDistance(a.pixelColor(x, y), b.pixelColor(x, y)) > 24;
    return double(differ) / std::max(n, 1);
}

QRect sceneRect(QQuickItem *item)
{
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())).toAlignedRect().adjusted(2, 2, -2, -2);
}

CameraStream *streamOf(QQuickItem *tile)
{
    return tile ? tile->findChild<CameraStream *>(QStringLiteral("tileStream")) : nullptr;
}

} // namespace

class TestVideoWall : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void layoutsTileTheWholeWall_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("tiles");
        QTest::newRow("1") << "1" << 1;
        QTest::newRow("2x2") << "2x2" << 4;
        QTest::newRow("3x3") << "3x3" << 9;
        QTest::newRow("4x4") << "4x4" << 16;
        QTest::newRow("1+5") << "1+5" << 6;
        QTest::newRow("1+7") << "1+7" << 8;
    }
    void layoutsTileTheWholeWall()
    {
        QFETCH(QString, layout);
        QFETCH(int, tiles);
        const std::vector<QRectF> rects = VideoWallFacade::layoutRects(layout);
        QCOMPARE(int(rects.size()), tiles);
        // Every point of a fine grid of the wall is in exactly one tile.
        for (double y = 0.01; y < 1; y += 0.02)
            for (double x = 0.01; x < 1; x += 0.02) {
                int in = 0;
                for (const QRectF &r : rects)
                    in += r.contains(x, y);
                QVERIFY2(in == 1, qPrintable(QStringLiteral("(%1, %2) in %3 tiles").arg(x).arg(y).arg(in)));
            }
        // The large tile of 1+5 and 1+7 comes first and is the largest.
        for (const QRectF &r : rects)
            QVERIFY(r.width() * r.height() <= rects[0].width() * rects[0].height() + 1e-9);
        QVERIFY(VideoWallFacade::layoutRects(QStringLiteral("5x5")).empty());
    }

    void aDesksViewSurvivesARestart()
    {
        const QString file = m_dir.filePath(QStringLiteral("views.ini"));
        const auto registry = cameras(6);
        {
            VideoWallFacade wall(nullptr);
            wall.setViewsFile(file, QStringLiteral("ops"));
            wall.setRegistry(registry);
            wall.setLayout(QStringLiteral("3x3"));
            wall.assign(0, QStringLiteral("cam#5"));
            wall.assign(8, QStringLiteral("cam#2"));
            wall.assign(3, QStringLiteral("no such camera")); // refused
        }
        VideoWallFacade again(nullptr);
        again.setViewsFile(file, QStringLiteral("ops"));
        again.setRegistry(registry);
        QCOMPARE(again.layout(), QStringLiteral("3x3"));
        QCOMPARE(again.cameras().value(0), QStringLiteral("cam#5"));
        QCOMPARE(again.cameras().value(8), QStringLiteral("cam#2"));
        QCOMPARE(again.cameras().count(QStringLiteral("cam#5")), 1); // one tile per camera
        // Another desk has its own view.
        VideoWallFacade police(nullptr);
        police.setViewsFile(file, QStringLiteral("police-112"));
        police.setRegistry(registry);
        QCOMPARE(police.layout(), QStringLiteral("2x2"));
        // A camera gone from the city's files leaves its tile empty.
        VideoWallFacade fewer(nullptr);
        fewer.setViewsFile(file, QStringLiteral("ops"));
        fewer.setRegistry(cameras(4));
        QCOMPARE(fewer.cameras().value(0), QString());
        QCOMPARE(fewer.cameras().value(8), QStringLiteral("cam#2"));
    }

    void aCitysOwnStreamWinsOverTheSimulator()
    {
        VideoWallFacade wall(nullptr);
        wall.setRegistry(cameras(2, QStringLiteral("rtsp://city.example/cam1")));
        wall.setResolver([](const Asset &a) {
            return CameraStreams{QStringLiteral("rtsp://sim/%1/main").arg(a.id),
                                 QStringLiteral("rtsp://sim/%1/sub").arg(a.id)};
        });
        // A camera with only a main stream shows it in the grid too.
        QCOMPARE(wall.streamUrl(QStringLiteral("cam#1"), false), QStringLiteral("rtsp://city.example/cam1"));
        QCOMPARE(wall.streamUrl(QStringLiteral("cam#2"), false), QStringLiteral("rtsp://sim/cam#2/sub"));
        QCOMPARE(wall.streamUrl(QStringLiteral("cam#2"), true), QStringLiteral("rtsp://sim/cam#2/main"));
        QCOMPARE(wall.camera(QStringLiteral("cam#2")).value(QStringLiteral("name")).toString(),
                 QStringLiteral("중구 세종대로 2"));
        QVERIFY(wall.camera(QStringLiteral("nothing")).isEmpty());
    }

    // An alarm with cameras takes the wall, the most urgent first, and gives it back when
    // acknowledged; through the console's own wiring from the alarm list.
    void anAlarmsCamerasPopAndTheViewComesBack()
    {
        ConsoleUi ui(QStringLiteral("en"));
        VideoWallFacade *wall = ui.wall();
        wall->setRegistry(cameras(8));
        wall->setLayout(QStringLiteral("3x3"));
        wall->assign(0, QStringLiteral("cam#8"));
        const QStringList before = wall->cameras();

        AlarmSnapshot snapshot;
        auto alarm = [](qint64 id, const QString &type, int priority, QStringList cams) {
            Alarm a;
            a.id = id;
            a.type = type;
            a.priority = priority;
            a.district = QStringLiteral("중구");
            a.desks = {QStringLiteral("ops")};
            a.cameras = std::move(cams);
            return a;
        };
        auto publish = [&](std::vector<Alarm> alarms) {
            snapshot.alarms = std::move(alarms);
            ++snapshot.version;
            ui.alarms()->refresh();
        };
        ui.alarms()->setSnapshotProvider([&] { return snapshot; }, [&] { return snapshot.version; });

        // A priority-3 alarm does not pop (the desk pops from priority 2 up).
        publish({alarm(1, QStringLiteral("safe_zone_exit"), 3, {QStringLiteral("cam#1")})});
        QCOMPARE(wall->alarmId(), 0);
        // A fall near three cameras: 2x2, the best camera first.
        publish({alarm(1, QStringLiteral("safe_zone_exit"), 3, {QStringLiteral("cam#1")}),
                 alarm(2, QStringLiteral("fall"), 2,
                       {QStringLiteral("cam#3"), QStringLiteral("cam#4"), QStringLiteral("cam#5")})});
        QCOMPARE(wall->alarmId(), 2);
        QCOMPARE(wall->layout(), QStringLiteral("2x2"));
        QCOMPARE(wall->cameras(), (QStringList{QStringLiteral("cam#3"), QStringLiteral("cam#4"),
                                               QStringLiteral("cam#5"), QString()}));
        QVERIFY(wall->alarmTitle().contains(QStringLiteral("중구")));
        QCOMPARE(wall->alarmsWaiting(), 0);
        // An SOS with one camera outranks it; the fall waits with a badge.
        publish({alarm(2, QStringLiteral("fall"), 2, {QStringLiteral("cam#3"), QStringLiteral("cam#4")}),
                 alarm(3, QStringLiteral("sos"), 1, {QStringLiteral("cam#6"), QStringLiteral("no such camera")})});
        QCOMPARE(wall->alarmId(), 3);
        QCOMPARE(wall->layout(), QStringLiteral("1"));
        QCOMPARE(wall->cameras(), QStringList{QStringLiteral("cam#6")});
        QCOMPARE(wall->alarmsWaiting(), 1);
        // The SOS acknowledged: the fall again; both acknowledged: the desk's own view.
        Alarm sos = alarm(3, QStringLiteral("sos"), 1, {QStringLiteral("cam#6")});
        sos.state = AlarmState::Acknowledged;
        sos.acknowledged = true;
        publish({alarm(2, QStringLiteral("fall"), 2, {QStringLiteral("cam#3"), QStringLiteral("cam#4")}), sos});
        QCOMPARE(wall->alarmId(), 2);
        publish({sos});
        QCOMPARE(wall->alarmId(), 0);
        QCOMPARE(wall->layout(), QStringLiteral("3x3"));
        QCOMPARE(wall->cameras(), before);
        // Another desk's alarm, or auto-pop off: nothing pops.
        Alarm police = alarm(4, QStringLiteral("sos"), 1, {QStringLiteral("cam#2")});
        police.desks = {QStringLiteral("police-112")};
        publish({police});
        QCOMPARE(wall->alarmId(), 0);
        wall->setAutoPop(false);
        publish({alarm(5, QStringLiteral("sos"), 1, {QStringLiteral("cam#2")})});
        QCOMPARE(wall->alarmId(), 0);
        wall->setAutoPop(true); // it pops now
        QCOMPARE(wall->alarmId(), 5);
    }

    // The real window with four live tiles from a real camsim.
    void tilesShowMovingPicturesAndComeBackAfterTheCameraDid()
    {
        test::Camsim sim;
        QVERIFY(sim.start(4));
        test::WindowHarness harness;
        QVERIFY(harness.open(QStringLiteral(GWANJE_DATA_DIR)));
        VideoWallFacade *wall = harness.ui()->wall();
        wall->setRegistry(harness.loadResult().registry);
        wall->setLayout(QStringLiteral("2x2"));
        const QStringList shown = wall->cameras();
        QCOMPARE(shown.size(), 4);
        for (const QString &id : shown)
            QVERIFY(!id.isEmpty());
        // Three cameras from the simulator; the fourth refuses the connection.
        wall->setResolver([&sim, shown](const Asset &site) {
            const int slot = int(shown.indexOf(site.id)) + 1;
            if (slot == 4)
                return CameraStreams{QStringLiteral("rtsp://127.0.0.1:1/refused"),
                                     QStringLiteral("rtsp://127.0.0.1:1/refused")};
            return CameraStreams{sim.url(slot, "main"), sim.url(slot, "sub")};
        });
        // What the tiles tell the core of their cameras' pictures (CameraState values).
        QHash<QString, QList<int>> health;
        wall->setHealthReporter([&health](const Asset &site, int state) { health[site.id].append(state); });
        auto latest = [&health](const QString &id) { return health.value(id).value(health.value(id).size() - 1, -1); };
        wall->setShown(true);

        QList<QQuickItem *> tiles;
        for (int i = 0; i < 4; ++i) {
            QQuickItem *tile = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT((tile = harness.findItem(QStringLiteral("tile%1").arg(i))), 5000);
            tiles.append(tile);
        }
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(streamOf(tiles[i])->state(), CameraStream::State::Live, 8000);
        QTRY_COMPARE_WITH_TIMEOUT(streamOf(tiles[3])->state(), CameraStream::State::Error, 8000);
        QVERIFY(!streamOf(tiles[3])->reason().isEmpty());
        QVERIFY(!streamOf(tiles[0])->property("url").toString().contains(QLatin1String("/main"))); // sub in the grid
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE(latest(shown[i]), int(CameraState::Online));
        QTRY_COMPARE(latest(shown[3]), int(CameraState::Offline));
        QVERIFY(!health.value(shown[3]).contains(int(CameraState::Online)));

        // Two grabs some frames apart: the pictures move (the ball) and are not a flat colour.
        auto framesOn = [&](int n) {
            std::vector<quint64> then;
            for (int i = 0; i < 3; ++i)
                then.push_back(streamOf(tiles[i])->framesShown());
            return QTest::qWaitFor(
                [&] {
                    for (int i = 0; i < 3; ++i)
                        if (streamOf(tiles[i])->framesShown() < then[std::size_t(i)] + quint64(n))
                            return false;
                    return true;
                },
                5000);
        };
        QVERIFY(framesOn(3));
        const QImage first = harness.grab();
        QVERIFY(framesOn(8)); // 8 frames at 12 fps: the ball has moved
        const QImage second = harness.grab();
        for (int i = 0; i < 3; ++i) {
            const QRect r = sceneRect(tiles[i]);
            const auto [mean, spread] = greyStats(second, r);
            QVERIFY2(spread > 8, qPrintable(QStringLiteral("tile %1: grey %2 ± %3").arg(i).arg(mean).arg(spread)));
            const double moved = changed(first, second, r);
            QVERIFY2(moved > 0.002, qPrintable(QStringLiteral("tile %1: %2 of the pixels changed").arg(i).arg(moved)));
        }
        // The refused camera says so on its tile.
        auto *stateText = [&] {
            for (QQuickItem *child : tiles[3]->findChildren<QQuickItem *>())
                if (child->objectName() == QLatin1String("tileState"))
                    return child;
            return static_cast<QQuickItem *>(nullptr);
        }();
        QVERIFY(stateText);
        QVERIFY2(stateText->property("text").toString().startsWith(QLatin1String("Error: ")),
                 qPrintable(stateText->property("text").toString()));

        // The server dies: within 2 s every tile says its signal is lost; it comes back on the
        // same port and the tiles are live again by themselves.
        const int port = sim.port();
        sim.kill();
        QElapsedTimer lost;
        lost.start();
        for (int i = 0; i < 3; ++i)
            QTRY_VERIFY_WITH_TIMEOUT(streamOf(tiles[i])->state() != CameraStream::State::Live, 2000);
        QVERIFY2(lost.elapsed() <= 2000, qPrintable(QString::number(lost.elapsed())));
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE(latest(shown[i]), int(CameraState::Offline));
        QVERIFY(sim.start(4, port));
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(streamOf(tiles[i])->state(), CameraStream::State::Live, 15000);
        for (int i = 0; i < 3; ++i)
            QTRY_COMPARE(latest(shown[i]), int(CameraState::Online));
        // A frozen picture is told to the core as such, after the tile's judgement time.
        QVERIFY(sim.command("freeze 1", "/cam/1/sub -> freeze"));
        QTRY_COMPARE_WITH_TIMEOUT(latest(shown[0]), int(CameraState::Frozen), 6000);
        QCOMPARE(latest(shown[1]), int(CameraState::Online));
        // A black one as black.
        QVERIFY(sim.command("black 1", "/cam/1/sub -> black"));
        QTRY_COMPARE_WITH_TIMEOUT(latest(shown[0]), int(CameraState::Black), 6000);
        QVERIFY(sim.command("live 1", "/cam/1/sub -> live"));
        QTRY_COMPARE_WITH_TIMEOUT(latest(shown[0]), int(CameraState::Online), 4000);

        // Double-click maximises a tile, which then plays the main stream; the others stop.
        QTest::mouseDClick(harness.window(), Qt::LeftButton, {}, sceneRect(tiles[1]).center());
        QTRY_COMPARE(wall->maximized(), 1);
        QTRY_VERIFY(!tiles[0]->isVisible());
        QCOMPARE(streamOf(tiles[0])->state(), CameraStream::State::Idle); // hidden tiles decode nothing
        QTRY_VERIFY(streamOf(tiles[1])->url().endsWith(QLatin1String("/main")));
        QTRY_COMPARE_WITH_TIMEOUT(streamOf(tiles[1])->state(), CameraStream::State::Live, 8000);
        QCOMPARE(streamOf(tiles[1])->lastFrame().size(), QSize(1280, 720));
        // A selected alarm's detail shows its first three linked cameras live (an alarm of
        // priority 3: it does not take the wall).
        AlarmSnapshot snapshot;
        Alarm fall;
        fall.id = 7;
        fall.type = QStringLiteral("safe_zone_exit");
        fall.priority = 3;
        fall.desks = {QStringLiteral("ops")};
        fall.cameras = {shown[0], shown[1], shown[2], shown[3]};
        snapshot.alarms = {fall};
        snapshot.version = 1;
        harness.alarms()->setSnapshotProvider([&] { return snapshot; }, [&] { return snapshot.version; });
        harness.alarms()->select(7);
        QCOMPARE(wall->alarmId(), 0);
        QList<CameraStream *> linked;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                linked.clear();
                std::vector<QQuickItem *> stack{harness.window()->contentItem()};
                while (!stack.empty()) {
                    QQuickItem *item = stack.back();
                    stack.pop_back();
                    if (item->objectName() == QLatin1String("linkedCamera") && item->isVisible())
                        linked.append(streamOf(item));
                    for (QQuickItem *child : item->childItems())
                        stack.push_back(child);
                }
                return linked.size() == 3;
            }(),
            5000);
        for (CameraStream *s : std::as_const(linked))
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), CameraStream::State::Live, 8000);

        // A wall tile's stream is let go with the wall; the alarm's cameras keep playing.
        wall->setShown(false);
        QTRY_COMPARE(streamOf(tiles[1])->state(), CameraStream::State::Idle);
        for (CameraStream *s : std::as_const(linked))
            QCOMPARE(s->state(), CameraStream::State::Live);
    }

    // The app as a user starts it: its own camsim, four live tiles in the screenshot.
    void theAppShowsLiveVideoWithNoCameraAnywhere()
    {
        const QString png = m_dir.filePath(QStringLiteral("wall.png"));
        const test::AppRun run = test::runApp(
            {QStringLiteral("--screenshot"), png, QStringLiteral("--after"), QStringLiteral("1"),
             QStringLiteral("--wall"), QStringLiteral("2x2")},
            120000);
        QVERIFY2(run.exitCode == 0 && !run.crashed, run.err.constData());
        const QImage image = QImage(png).convertToFormat(QImage::Format_RGB32);
        QVERIFY(!image.isNull());
        int tiles = 0;
        QList<QRgb> backgrounds;
        for (const QByteArray &line : run.out.split('\n')) {
            const QJsonObject tile = QJsonDocument::fromJson(line).object();
            if (!tile.contains(QStringLiteral("tile")))
                continue;
            ++tiles;
            QCOMPARE(tile.value(QStringLiteral("state")).toString(), QStringLiteral("Live"));
            QVERIFY(tile.value(QStringLiteral("frames")).toInt() > 0);
            const QRect r(tile.value(QStringLiteral("x")).toInt(), tile.value(QStringLiteral("y")).toInt(),
                          tile.value(QStringLiteral("width")).toInt(), tile.value(QStringLiteral("height")).toInt());
            QVERIFY(image.rect().contains(r));
            const auto [mean, spread] = greyStats(image, r.adjusted(2, 2, -2, -2));
            QVERIFY2(spread > 8, qPrintable(QStringLiteral("%1: grey %2 ± %3").arg(tiles).arg(mean).arg(spread)));
            backgrounds.append(image.pixel(r.center() + QPoint(-r.width() / 3, r.height() / 4)));
        }
        QCOMPARE(tiles, 4);
        // Four cameras, four pictures (each simulated camera has its own background).
        for (int i = 0; i < backgrounds.size(); ++i)
            for (int j = i + 1; j < backgrounds.size(); ++j)
                QVERIFY(test::colorDistance(QColor(backgrounds[i]), QColor(backgrounds[j])) > 10);
    }
};

QTEST_MAIN(TestVideoWall)
#include "tst_videowall.moc"
