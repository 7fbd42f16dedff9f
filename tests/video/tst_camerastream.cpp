// A camera's live picture for the wall (issue 12): frames from real RTSP (gwanje-camsim, started
// and stopped by PID) reach a QVideoSink with their send times; a camera that goes away, goes
// silent, refuses or is not there says so and comes back by itself; stopping never waits for a
// camera that does not answer.
#include "CameraStream.h"
#include "Camsim.h"
#include "TestSupport.h"
#include "video/FrameStamp.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QElapsedTimer>
#include <QTest>
#include <QVideoSink>

#include <csignal>

using namespace gwanje;

namespace {

// The send time a frame carries, or -1.
qint64 stampAge(QVideoFrame frame)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    if (!frame.map(QtVideo::MapMode::ReadOnly))
#else
    if (!frame.map(QVideoFrame::ReadOnly))
#endif
        return -1;
    std::uint32_t stamp = 0;
    const bool ok = frame_stamp::read(frame.bits(0), frame.bytesPerLine(0), frame.width(), frame.height(), &stamp);
    frame.unmap();
    return ok ? frame_stamp::ageMs(stamp) : -1;
}

} // namespace

class TestCameraStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void showsLiveFramesWithTheirSendTimes()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        QVideoSink sink;
        QSignalSpy shown(&sink, &QVideoSink::videoFrameChanged);
        CameraStream stream;
        stream.setVideoSink(&sink);
        stream.setUrl(sim.url(1, "sub"));
        stream.start();
        QCOMPARE(stream.state(), CameraStream::State::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 12, 5000); // 12 fps
        QCOMPARE(sink.videoFrame().size(), QSize(640, 360));
        const qint64 age = stampAge(stream.lastFrame());
        QVERIFY2(age >= 0 && age < 1000, qPrintable(QString::number(age)));
        stream.stop();
        QCOMPARE(stream.state(), CameraStream::State::Idle);
        const qsizetype count = shown.count();
        // Nothing after stop: a frame the stopping pipeline still decodes goes nowhere.
        QVERIFY(!QTest::qWaitFor([&] { return shown.count() > count; }, 500));
    }

    void aCameraThatGoesAwayComesBackByItself()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        const int port = sim.port();
        CameraStream stream;
        stream.setStallMs(1000);
        stream.setUrl(sim.url(1, "sub"));
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 5000);
        sim.kill();
        QTRY_VERIFY_WITH_TIMEOUT(stream.state() != CameraStream::State::Live, 3000);
        QVERIFY(!stream.reason().isEmpty());
        QVERIFY2(sim.start(1, port), sim.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 15000);
        QVERIFY(stream.reconnects() >= 1);
    }

    void aSilentCameraIsStalled()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        CameraStream stream;
        stream.setStallMs(1000);
        stream.setUrl(sim.url(1, "sub"));
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 5000);
        QVERIFY(sim.command("mute 1", "/cam/1/sub -> mute"));
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Stalled, 3000);
        QVERIFY2(stream.reason().contains(QLatin1String("no picture")), qPrintable(stream.reason()));
        QVERIFY(sim.command("live 1", "/cam/1/sub -> live"));
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 15000);
    }

    // A picture that stops changing is frozen, a dark flat one black; either is judged after
    // pictureMs, and a moving picture ends it. A moving picture is never either.
    void frozenAndBlackPicturesAreToldApart()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        CameraStream stream;
        stream.setPictureMs(1000);
        stream.setUrl(sim.url(1, "sub"));
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stream.picture(), CameraStream::Picture::Moving, 3000);
        // 18 more frames of a 12 fps stream: longer than pictureMs, and still moving.
        const quint64 framesThen = stream.framesShown();
        QTRY_VERIFY_WITH_TIMEOUT(stream.framesShown() >= framesThen + 18, 5000);
        QCOMPARE(stream.picture(), CameraStream::Picture::Moving);

        QVERIFY(sim.command("freeze 1", "/cam/1/sub -> freeze"));
        QElapsedTimer judged;
        judged.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.picture(), CameraStream::Picture::Frozen, 4000);
        QVERIFY2(judged.elapsed() >= 900, qPrintable(QString::number(judged.elapsed()))); // not before pictureMs
        QCOMPARE(stream.state(), CameraStream::State::Live); // frames still come

        QVERIFY(sim.command("black 1", "/cam/1/sub -> black"));
        QTRY_COMPARE_WITH_TIMEOUT(stream.picture(), CameraStream::Picture::Black, 4000);
        QVERIFY(sim.command("live 1", "/cam/1/sub -> live"));
        QTRY_COMPARE_WITH_TIMEOUT(stream.picture(), CameraStream::Picture::Moving, 3000);
        stream.stop();
        QCOMPARE(stream.picture(), CameraStream::Picture::Unknown);
    }

    void refusedAndMissingCamerasSayWhy()
    {
        QTcpServer probe; // a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 closed = probe.serverPort();
        probe.close();
        CameraStream refused;
        refused.setUrl(QStringLiteral("rtsp://127.0.0.1:%1/cam/1/sub").arg(closed));
        refused.start();
        QTRY_COMPARE_WITH_TIMEOUT(refused.state(), CameraStream::State::Error, 5000);
        QVERIFY(!refused.reason().isEmpty());

        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        CameraStream missing;
        missing.setUrl(sim.url(9, "sub"));
        missing.start();
        QTRY_COMPARE_WITH_TIMEOUT(missing.state(), CameraStream::State::Error, 5000);
        QVERIFY2(missing.reason().contains(QLatin1String("Not found")), qPrintable(missing.reason()));
    }

    void stoppingNeverWaitsForACameraThatDoesNotAnswer()
    {
        test::Camsim sim;
        QVERIFY2(sim.start(1), sim.output().constData());
        CameraStream stream;
        stream.setUrl(sim.url(1, "main"));
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(stream.state(), CameraStream::State::Live, 5000);
        QCOMPARE(::kill(pid_t(sim.pid()), SIGSTOP), 0); // the server hangs; TCP still accepts
        QElapsedTimer clock;
        clock.start();
        stream.stop();
        QVERIFY2(clock.elapsed() < 50, qPrintable(QString::number(clock.elapsed())));
        ::kill(pid_t(sim.pid()), SIGCONT);
    }
};

QTEST_MAIN(TestCameraStream)
#include "tst_camerastream.moc"
