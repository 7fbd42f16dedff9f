// The engine end to end on a replayed file: the live status of fixed assets (sensor grades, AP
// state) comes out of Engine::assetStatus, and only what changed since the caller last asked.
#include "TestSupport.h"
#include "engine/Engine.h"
#include "feeds/EventJson.h"
#include "feeds/ManualSource.h"
#include "feeds/NdjsonReplaySource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <thread>

using namespace gwanje;

namespace {

std::vector<Alarm> ofType(const Engine &engine, const char *type)
{
    std::vector<Alarm> out;
    for (const Alarm &a : engine.openAlarms()) {
        if (a.type == QLatin1String(type))
            out.push_back(a);
    }
    return out;
}
} // namespace

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

    // Issue 11: an operator's command submitted from the GUI thread returns at once while its save
    // waits for a database another connection holds; an SOS arriving meanwhile has its alarm
    // without waiting for that save; the command's outcome comes on another thread once the lock
    // goes, and the alarm is acknowledged.
    void aCommandBeingSavedBlocksNeitherTheCallerNorTheRules()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("commands.db"));
        EngineOptions options;
        options.databasePath = db;
        Engine engine(options);
        QVERIFY(engine.openStore());
        auto source = std::make_unique<ManualSource>(QStringLiteral("hand"));
        ManualSource *hand = source.get();
        engine.addSource(std::move(source));
        QVERIFY(engine.start());
        auto dir2 = engine.sourceDirectory();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto sos = [&](const char *wearer, quint64 id) {
            Event e;
            e.kind = EventKind::Sos;
            e.source = dir2->intern(QString::fromLatin1(wearer));
            e.sourceEventId = id;
            e.sourceTimeMs = e.receiveTimeMs = now;
            e.latitude = 37.5665;
            e.longitude = 126.978;
            hand->bus()->publish(e);
        };
        sos("SD-000001", 1);
        QTRY_COMPARE(int(ofType(engine, "sos").size()), 1);
        const qint64 first = ofType(engine, "sos")[0].id;
        QVERIFY(engine.drained(10'000));

        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(db).constData(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        AlarmCommand ack;
        ack.alarmId = first;
        ack.action = AlarmAction::Acknowledge;
        ack.actor = QStringLiteral("operator-kim");
        ack.desk = QStringLiteral("ops");
        std::atomic<bool> done{false}, ok{false};
        std::atomic<bool> onCaller{false};
        const auto caller = std::this_thread::get_id();
        QElapsedTimer timer;
        timer.start();
        const auto now2 = engine.submitAlarmCommand(ack, [&](const AlarmCommandResult &r) {
            ok = r.ok;
            onCaller = std::this_thread::get_id() == caller;
            done = true;
        });
        QVERIFY(!now2.has_value());     // being saved
        QVERIFY(timer.elapsed() < 500); // the caller did not wait for the disk
        sos("SD-000002", 2);
        QTRY_COMPARE_WITH_TIMEOUT(int(ofType(engine, "sos").size()), 2, 2000); // the rules went on
        QVERIFY(!done.load());
        QCOMPARE(ofType(engine, "sos")[0].state, AlarmState::Unacknowledged); // not before it is saved

        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10'000);
        QVERIFY(ok.load());
        QVERIFY(!onCaller.load());
        QCOMPARE(ofType(engine, "sos")[0].state, AlarmState::Acknowledged);
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
