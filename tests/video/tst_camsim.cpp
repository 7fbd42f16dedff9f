// gwanje-camsim (issue 12): real RTSP on loopback, decoded by a real GStreamer client. Live,
// stamped pictures on both streams; one encoder per mount, only while watched; every fault on
// command (freeze, black, mute, close, open) looks to a viewer as it would from a real camera.
// The simulator is started and stopped by its PID.
#include "CamClient.h"
#include "Camsim.h"
#include "TestSupport.h"

#include <QProcess>
#include <QTest>

#include <gst/gst.h>

using namespace gwanje;

class TestCamsim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { gst_init(nullptr, nullptr); }
    void init() { test::failOnUnexpectedWarnings(); }

    void servesLiveStampedPicturesOnBothStreams()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(2), sim.output().constData());
        // Nobody watches yet: nothing is encoded.
        QVERIFY(sim.command("stats", "stats /cam/2/sub"));
        QVERIFY2(sim.output().contains("stats /cam/1/main frames=0 fault=live pipelines=0"), sim.output().constData());

        const test::CamView sub = test::watch(sim.url(1, "sub"), 3000);
        QVERIFY2(sub.error.isEmpty(), qPrintable(sub.error));
        QCOMPARE(sub.width, 640);
        QCOMPARE(sub.height, 360);
        QVERIFY2(sub.frames >= 20, qPrintable(QString::number(sub.frames))); // 12 fps
        QVERIFY(sub.stamped >= sub.frames * 9 / 10);
        QVERIFY(sub.distinctStamps >= sub.stamped * 9 / 10); // a new picture every frame
        QVERIFY2(sub.maxAgeMs >= 0 && sub.maxAgeMs < 1000, qPrintable(QString::number(sub.maxAgeMs)));
        QVERIFY(sub.firstFrameMs >= 0 && sub.firstFrameMs < 3000);

        const test::CamView main = test::watch(sim.url(2, "main"), 2000);
        QVERIFY2(main.error.isEmpty(), qPrintable(main.error));
        QCOMPARE(main.width, 1280);
        QCOMPARE(main.height, 720);
        QVERIFY(main.frames >= 20); // 25 fps
        QVERIFY(main.distinctStamps >= main.stamped * 9 / 10);
        // The encoder of a mount goes when its last viewer does.
        QVERIFY2(sim.command("", "media down /cam/2/main"), sim.output().constData());
    }

    void faultsLookAsFromARealCamera()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        const QString url = sim.url(1, "sub");

        QVERIFY(sim.command("freeze 1 sub", "/cam/1/sub -> freeze"));
        const test::CamView frozen = test::watch(url, 2000);
        QVERIFY2(frozen.frames >= 10, qPrintable(frozen.error));
        QVERIFY2(frozen.distinctStamps <= 1, qPrintable(QString::number(frozen.distinctStamps))); // the same picture

        QVERIFY(sim.command("black 1", "/cam/1/sub -> black"));
        const test::CamView black = test::watch(url, 1500);
        QVERIFY(black.frames >= 5);
        QCOMPARE(black.stamped, 0);

        QVERIFY(sim.command("mute 1 sub", "/cam/1/sub -> mute"));
        const test::CamView mute = test::watch(url, 2000);
        QCOMPARE(mute.frames, 0); // connected, and silent: no error either
        QVERIFY2(mute.error.isEmpty(), qPrintable(mute.error));

        // The silent client has left, and its pipeline goes down once pictures flow again; a
        // client that asks meanwhile gets "503" from gst-rtsp-server (a shared media being
        // unprepared: "Unhandled error" in loaded full runs). Wait for that, as the wall's retry
        // would, then watch.
        QVERIFY(sim.command("live all", "/cam/1/sub -> live"));
        auto subPipelines = [&sim] {
            if (!sim.command("stats", "stats /cam/1/sub "))
                return -1;
            const QByteArray out = sim.output();
            const qsizetype at = out.lastIndexOf("stats /cam/1/sub ");
            const QByteArray line = out.mid(at, out.indexOf('\n', at) - at);
            const qsizetype p = line.indexOf("pipelines=");
            return p < 0 ? -1 : line.mid(p + 10).split(' ').value(0).toInt();
        };
        QTRY_COMPARE_WITH_TIMEOUT(subPipelines(), 0, 10000);
        const test::CamView live = test::watch(url, 3000);
        QVERIFY2(live.frames >= 5 && live.distinctStamps >= 5,
                 qPrintable(QStringLiteral("%1 frames, %2 stamps %3").arg(live.frames).arg(live.distinctStamps).arg(live.error)));

        QVERIFY(sim.command("close 1", "closed cam 1"));
        const test::CamView closed = test::watch(url, 3000);
        QCOMPARE(closed.frames, 0);
        QVERIFY2(closed.error.contains(QLatin1String("Not found")), qPrintable(closed.error));

        QVERIFY(sim.command("open 1", "opened cam 1"));
        const test::CamView back = test::watch(url, 2000);
        QVERIFY2(back.frames >= 5, qPrintable(back.error));

        QVERIFY(sim.command("nonsense 1", "error: unknown command"));
        QVERIFY(sim.command("freeze 9", "error: no camera"));
    }
};

QTEST_GUILESS_MAIN(TestCamsim)
#include "tst_camsim.moc"
