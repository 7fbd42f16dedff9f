// The engine end to end on a replayed file: the live status of fixed assets (sensor grades, AP
// state) comes out of Engine::assetStatus, and only what changed since the caller last asked.
#include "TestSupport.h"
#include "engine/Engine.h"
#include "feeds/EventJson.h"
#include "feeds/NdjsonReplaySource.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void assetStatusFromReplay()
    {
        QTemporaryDir dir;
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 60'000;
        SourceDirectory names;
        std::vector<Event> events;
        auto make = [&](const char *source, EventKind kind, qint64 dt) {
            Event e;
            e.kind = kind;
            e.source = names.intern(QString::fromLatin1(source));
            e.sourceTimeMs = t0 + dt;
            e.receiveTimeMs = t0 + dt;
            e.latitude = 37.6;
            e.longitude = 126.93;
            e.sourceEventId = quint64(dt + 1);
            return e;
        };
        Event pm = make("SDOT-1", EventKind::SensorReading, 0);
        pm.quantity = Quantity::Pm10;
        pm.value = 170; // 매우나쁨
        Event ap = make("AP-1", EventKind::ApStatus, 1000);
        ap.status = 0;
        Event fix = make("SD-000001", EventKind::PositionFix, 2000);
        QByteArray file;
        for (const Event &e : {pm, ap, fix})
            file += EventJson::toLine(e, names) + '\n';
        const QString path = dir.filePath(QStringLiteral("events.ndjson"));
        QVERIFY(test::writeFile(path, file));

        Engine engine(EngineOptions{});
        engine.addSource(std::make_unique<NdjsonReplaySource>(path, engine.sourceDirectory(), 0.0));
        QVERIFY(engine.start());
        QTRY_VERIFY_WITH_TIMEOUT(engine.drained(100), 10000); // the replay runs on its own thread
        std::vector<AssetStatusPoint> out;
        const quint64 version = engine.assetStatus(0, out);
        QCOMPARE(int(out.size()), 2); // the wearer's fix is not an asset status
        std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        QCOMPARE(out[0].id, QStringLiteral("AP-1"));
        QCOMPARE(out[0].apUp, qint8(0));
        QCOMPARE(out[1].id, QStringLiteral("SDOT-1"));
        QCOMPARE(int(out[1].grade), int(AirGrade::VeryBad));
        out.clear();
        QCOMPARE(engine.assetStatus(version, out), version);
        QVERIFY(out.empty());
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
