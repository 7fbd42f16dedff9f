// Issue 11: one event-source interface. The simulator and the NDJSON replay share their thread,
// stop and statistics (ThreadedSource) and are built by one factory from the settings; a source
// says its state (running, finished, stopped, failed) and what it rejected.
#include "TestSupport.h"
#include "assets/AssetRegistry.h"
#include "data/AssetLoader.h"
#include "engine/SourceFactory.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"
#include "feeds/PictureHealthSource.h"
#include "feeds/ThreadedSource.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <mutex>

using namespace gwanje;

namespace {

QByteArray fixes(int n, qint64 t0)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += QStringLiteral(R"({"type":"position","id":"DEV-%1","t":%2,"lat":37.5,"lon":127.0,"event_id":%3})")
                   .arg(i % 10)
                   .arg(t0 + qint64(i) * 1000)
                   .arg(i + 1)
                   .toUtf8() +
               '\n';
    return out;
}

struct Counting
{
    std::atomic<int> events{0};
    EventBus::Handler handler()
    {
        return [this](Lane, std::span<const Event> batch) {
            events += int(batch.size());
        };
    }
};

} // namespace

class TestSources : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void aReplayRunsToTheEndAndListsWhatItRejected()
    {
        const QString path = m_dir.filePath(QStringLiteral("day.ndjson"));
        QVERIFY(test::writeFile(path, fixes(500, 1'764'032'400'000) + "{not json\n" + fixes(1, 1'764'032'900'000)));
        SourceSettings settings;
        settings.replayFile = path;
        BuiltSource built = makeSource(settings, nullptr, std::make_shared<SourceDirectory>());
        QVERIFY(built.source);
        QCOMPARE(built.source->name(), QStringLiteral("replay:day.ndjson"));
        QCOMPARE(built.source->stats().state, SourceState::Idle);
        Counting counted;
        EventBus bus;
        bus.start(counted.handler());
        QVERIFY(built.source->start(bus));
        QTRY_COMPARE(built.source->stats().state, SourceState::Finished);
        const SourceStats s = built.source->stats();
        QVERIFY(s.finished);
        QCOMPARE(s.produced, quint64(501));
        QCOMPARE(s.rejected, quint64(1));
        QCOMPARE(s.rejections.size(), 1);
        QCOMPARE(s.rejections[0].line, qint64(501));
        QVERIFY(s.error.isEmpty());
        QVERIFY(bus.waitUntilIdle(5000));
        QCOMPARE(counted.events.load(), 501);
        QVERIFY(built.source->roster().empty());
        QVERIFY(built.source->report().isEmpty());
        bus.stop();
    }

    // What the wall sees of a camera's picture: one CameraHealth event of that site per change.
    void pictureHealthIsPublishedOncePerChange()
    {
        auto directory = std::make_shared<SourceDirectory>();
        PictureHealthSource source(directory);
        std::mutex mutex;
        std::vector<Event> seen;
        EventBus bus;
        bus.start([&](Lane, std::span<const Event> events) {
            std::lock_guard lock(mutex);
            seen.insert(seen.end(), events.begin(), events.end());
        });
        const qint64 t = 1'764'032'400'000;
        QVERIFY(!source.observe(QStringLiteral("cam#1"), CameraState::Offline, t, 127.0, 37.5)); // not started
        QVERIFY(source.start(bus));
        QVERIFY(source.observe(QStringLiteral("cam#1"), CameraState::Online, t, 127.0, 37.5));
        QVERIFY(!source.observe(QStringLiteral("cam#1"), CameraState::Online, t + 1000, 127.0, 37.5)); // no news
        QVERIFY(source.observe(QStringLiteral("cam#2"), CameraState::Frozen, t + 1000, 127.1, 37.6));
        QVERIFY(source.observe(QStringLiteral("cam#1"), CameraState::Offline, t + 2000, 127.0, 37.5));
        QVERIFY(bus.waitUntilIdle(5000));
        source.stop();
        QVERIFY(!source.observe(QStringLiteral("cam#1"), CameraState::Online, t + 3000, 127.0, 37.5));
        bus.stop();
        QCOMPARE(source.stats().produced, quint64(3));
        QCOMPARE(int(seen.size()), 3);
        std::sort(seen.begin(), seen.end(), [](const Event &a, const Event &b) { return a.sourceTimeMs < b.sourceTimeMs; });
        QCOMPARE(seen[0].kind, EventKind::CameraHealth);
        QCOMPARE(directory->id(seen[0].source), QStringLiteral("cam#1"));
        QCOMPARE(seen[0].status, qint8(CameraState::Online));
        QCOMPARE(directory->id(seen[1].source), QStringLiteral("cam#2"));
        QCOMPARE(seen[1].status, qint8(CameraState::Frozen));
        QCOMPARE(seen[1].longitude, 127.1);
        QCOMPARE(seen[2].status, qint8(CameraState::Offline));
        QCOMPARE(seen[2].sourceEventId, quint64(0)); // none of its own: never taken for a camera's duplicate
    }

    void aMissingFileFailsToStartAndSaysWhy()
    {
        SourceSettings settings;
        settings.replayFile = m_dir.filePath(QStringLiteral("nowhere.ndjson"));
        BuiltSource built = makeSource(settings, nullptr, std::make_shared<SourceDirectory>());
        EventBus bus;
        bus.start([](Lane, std::span<const Event>) {});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("replay file not found")));
        QVERIFY(!built.source->start(bus));
        const SourceStats s = built.source->stats();
        QCOMPARE(s.state, SourceState::Failed);
        QVERIFY(s.error.contains(QLatin1String("nowhere.ndjson")));
        built.source->stop(); // harmless
        bus.stop();
    }

    void stoppedBeforeTheEndIsNotFinished()
    {
        const QString path = m_dir.filePath(QStringLiteral("slow.ndjson"));
        QVERIFY(test::writeFile(path, fixes(100, 1'764'032'400'000)));
        SourceSettings settings;
        settings.replayFile = path;
        settings.speed = 1.0; // a fix a second: 100 s
        BuiltSource built = makeSource(settings, nullptr, std::make_shared<SourceDirectory>());
        EventBus bus;
        bus.start([](Lane, std::span<const Event>) {});
        QVERIFY(built.source->start(bus));
        QVERIFY(built.source->start(bus)); // running already: nothing more
        QCOMPARE(built.source->stats().state, SourceState::Running);
        QTRY_VERIFY(built.source->stats().produced > 0); // under way, far from its end
        built.source->stop();
        const SourceStats s = built.source->stats();
        QCOMPARE(s.state, SourceState::Stopped);
        QVERIFY(!s.finished);
        QVERIFY(s.produced < 100);
        bus.stop();
    }

    void theSimulatorComesWithItsRosterAndReport()
    {
        const LoadResult loaded = AssetLoader::loadDirectory(QStringLiteral(GWANJE_SOURCE_DIR "/resources/data"));
        SourceSettings settings;
        settings.dataDir = QStringLiteral(GWANJE_SOURCE_DIR "/resources/data");
        settings.speed = 0;
        settings.simulator.devices = 200;
        settings.simulator.stopAfterSeconds = 60;
        settings.simulator.lockstep = true;
        BuiltSource built = makeSource(settings, loaded.registry, std::make_shared<SourceDirectory>());
        QVERIFY2(built.warnings.isEmpty(), qPrintable(built.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(built.source->name(), QStringLiteral("simulator:normal"));
        QCOMPARE(int(built.source->roster().size()), 200);
        Counting counted;
        EventBus bus;
        bus.start(counted.handler());
        QVERIFY(built.source->start(bus));
        QTRY_COMPARE_WITH_TIMEOUT(built.source->stats().state, SourceState::Finished, 30'000);
        QVERIFY(bus.waitUntilIdle(5000));
        QCOMPARE(quint64(counted.events.load()), built.source->stats().produced);
        QCOMPARE(built.source->report().value(QStringLiteral("sim_seconds")).toInt(), 60);
        bus.stop();
    }
};

QTEST_GUILESS_MAIN(TestSources)
#include "tst_sources.moc"
