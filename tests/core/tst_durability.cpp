// Issue 20, "nothing accepted is ever lost", on real SQLite files: an SOS that is durable in the
// event journal has exactly one alarm after a crash whichever side of the alarm's write the crash
// fell on; a source that restarts its event counter loses nothing; the retention erases a wearer's
// whereabouts from every table.
#include "TestSupport.h"
#include "engine/Engine.h"
#include "events/SourceDirectory.h"
#include "store/EventStore.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#if defined(Q_OS_LINUX)
#include <cerrno>
#include <cstring>
#include <sched.h>
#include <sys/mount.h>
#endif

using namespace gwanje;

namespace {

qint64 scalar(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    qint64 v = -1;
    if (sqlite3_open_v2(QFile::encodeName(db).constData(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        else
            qWarning("%s: %s", sql, sqlite3_errmsg(h));
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return v;
}

Event sosOf(SourceDirectory &dir, const char *wearer, quint64 id, qint64 t)
{
    Event e;
    e.kind = EventKind::Sos;
    e.source = dir.intern(QString::fromLatin1(wearer));
    e.sourceEventId = id;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t + 20;
    e.latitude = 37.5665;
    e.longitude = 126.978;
    return e;
}

// What a SIGKILL between the journal's flush and the alarm writer's commit leaves: the SOS in the
// event journal, no alarm row. A database at its page limit refuses the fold (and every alarm),
// so the journal keeps the record; its bytes are what the next process finds.
QByteArray journalWithoutAlarm(const QString &db, const Event &sos, const std::shared_ptr<SourceDirectory> &dir)
{
    StoreOptions options{db};
    options.maxPageCount = 64;
    EventStore store(dir, options);
    if (!store.open())
        return {};
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot commit .*disk_full")));
    std::vector<Event> filler;
    const quint32 f = dir->intern(QStringLiteral("FILLER"));
    for (int i = 0; i < 20'000; ++i) {
        Event e;
        e.source = f;
        e.sourceTimeMs = e.receiveTimeMs = sos.sourceTimeMs - 100'000 + i;
        e.latitude = 37.5;
        e.longitude = 127.0;
        filler.push_back(e);
    }
    store.append(filler);
    if (!QTest::qWaitFor([&] { return store.counters().failedCommits > 0; }, 10'000))
        return {};
    if (!store.appendDurable(std::span<const Event>(&sos, 1)))
        return {};
    return test::readFile(db + QStringLiteral(".events-journal"));
}

EngineOptions optionsFor(const QString &db)
{
    EngineOptions o;
    o.databasePath = db;
    return o;
}

AlarmCommand command(qint64 id, AlarmAction action, const QString &actor, qint64 atMs = 0)
{
    AlarmCommand c;
    c.alarmId = id;
    c.action = action;
    c.actor = actor;
    c.desk = QStringLiteral("ops");
    c.text = QStringLiteral("handled");
    c.atMs = atMs;
    return c;
}

} // namespace

class TestDurability : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // Opens an engine on db, lets it recover, and returns its open SOS alarms.
    static std::vector<Alarm> sosAlarmsAfterRestart(const QString &db)
    {
        Engine engine(optionsFor(db));
        if (!engine.openStore())
            return {};
        if (!engine.start())
            return {};
        std::vector<Alarm> out;
        for (const Alarm &a : engine.openAlarms()) {
            if (a.type == QLatin1String("sos"))
                out.push_back(a);
        }
        engine.stop();
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    // Finding 1: the SOS was replayed into the store but no alarm was raised or restored.
    void durableSosKeepsItsAlarmAfterACrash()
    {
        const QString db = m_dir.filePath(QStringLiteral("crash.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const qint64 t = QDateTime::currentMSecsSinceEpoch() - 60'000;
        const Event sos = sosOf(*dir, "SD-000042", 7, t);
        const QByteArray journal = journalWithoutAlarm(db, sos, dir);
        QVERIFY(!journal.isEmpty());
        QCOMPARE(scalar(db, "SELECT count(*) FROM alarms"), qint64(0));

        // The crash before the alarm's row: the restart raises it from the replayed event.
        std::vector<Alarm> alarms = sosAlarmsAfterRestart(db);
        QCOMPARE(alarms.size(), std::size_t(1));
        QCOMPARE(alarms[0].source, QStringLiteral("SD-000042"));
        QCOMPARE(alarms[0].raisedAtMs, t);
        QCOMPARE(alarms[0].raisedBy, eventReference(sos));
        QCOMPARE(scalar(db, "SELECT count(*) FROM events WHERE kind = 2"), qint64(1));
        QCOMPARE(scalar(db, "SELECT count(*) FROM alarms WHERE type = 'sos'"), qint64(1));

        // The crash after the alarm's row, before the journal's reset: the same record replays and
        // the standing alarm is not raised twice.
        QVERIFY(test::writeFile(db + QStringLiteral(".events-journal"), journal));
        alarms = sosAlarmsAfterRestart(db);
        QCOMPARE(alarms.size(), std::size_t(1));
        QCOMPARE(scalar(db, "SELECT count(*) FROM alarms WHERE type = 'sos'"), qint64(1));

        // Handled and closed by the operator before the crash: still not raised again.
        {
            Engine engine(optionsFor(db));
            QVERIFY(engine.openStore());
            QVERIFY(engine.start());
            const qint64 id = engine.openAlarms().at(0).id;
            for (AlarmAction action : {AlarmAction::Acknowledge, AlarmAction::Close}) {
                QVERIFY2(engine.executeAlarmCommand(command(id, action, QStringLiteral("kim"))).ok,
                         qPrintable(alarmActionName(action)));
            }
            engine.stop();
        }
        QVERIFY(test::writeFile(db + QStringLiteral(".events-journal"), journal));
        QVERIFY(sosAlarmsAfterRestart(db).empty());
        QCOMPARE(scalar(db, "SELECT count(*) FROM alarms WHERE type = 'sos'"), qint64(1));

        // A second press of the same wearer later is a new SOS with its own alarm.
        const QString db2 = m_dir.filePath(QStringLiteral("crash2.db"));
        QVERIFY(QFile::copy(db, db2));
        auto dir2 = std::make_shared<SourceDirectory>();
        const Event again = sosOf(*dir2, "SD-000042", 8, t + 30'000);
        QVERIFY(!journalWithoutAlarm(db2, again, dir2).isEmpty());
        alarms = sosAlarmsAfterRestart(db2);
        QCOMPARE(alarms.size(), std::size_t(1));
        QCOMPARE(alarms[0].raisedBy, eventReference(again));
    }

    // Finding 2: a source that restarts its counter at 1 (a new run of the simulator, a device after
    // a battery change) must not have its new events dropped as re-deliveries.
    void restartedCounterLosesNothing()
    {
        const QString db = m_dir.filePath(QStringLiteral("counter.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const qint64 day1 = 1'764'032'400'000, day2 = day1 + 86'400'000; // 2025-11-25 and 26, 10:00 KST
        auto events = [&](qint64 t0) {
            std::vector<Event> out;
            for (quint64 id = 1; id <= 50; ++id) {
                Event e;
                e.kind = EventKind::CameraHealth;
                e.source = dir->intern(QStringLiteral("CCTV-1"));
                e.sourceEventId = id;
                e.status = qint8(id % 2);
                e.sourceTimeMs = e.receiveTimeMs = t0 + qint64(id) * 1000;
                out.push_back(e);
            }
            return out;
        };
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            store.append(events(day1));
            QVERIFY(store.flush());
        }
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            store.append(events(day2)); // ids 1..50 again, a day later
            store.append(events(day1)); // and the first day re-delivered
            QVERIFY(store.flush());
            QCOMPARE(store.counters().duplicates, quint64(50));
            QCOMPARE(store.eventCount(), qint64(100));
        }
    }

    // Finding 7: after the purge no personal coordinates remain in events, the R-tree, the latest
    // state or closed alarms about a person; fixed assets keep theirs.
    void retentionErasesWhereaboutsEverywhere()
    {
        const QString db = m_dir.filePath(QStringLiteral("retention.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 old = now - 40LL * 86'400'000, recent = now - 86'400'000;
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            std::vector<Event> events;
            for (qint64 t : {old, recent}) {
                Event fix = sosOf(*dir, "SD-000001", 0, t - 5000);
                fix.kind = EventKind::PositionFix;
                events.push_back(fix);
                events.push_back(sosOf(*dir, "SD-000001", quint64(t), t));
                Event fall = sosOf(*dir, "SD-000002", quint64(t), t);
                fall.kind = EventKind::Fall;
                events.push_back(fall);
                Event cam = sosOf(*dir, "CCTV-9", quint64(t), t);
                cam.kind = EventKind::CameraHealth;
                cam.status = 1;
                events.push_back(cam);
            }
            store.append(events);
            QVERIFY(store.flush());
        }
        // A closed SOS alarm and an open one, both old.
        {
            AlarmService alarms(db);
            QVERIFY(alarms.open());
            Alarm a;
            a.type = QStringLiteral("sos");
            a.priority = 1;
            a.source = QStringLiteral("SD-000001");
            a.latitude = 37.5665;
            a.longitude = 126.978;
            a.raisedAtMs = old;
            const qint64 closed = alarms.raise(a, QStringLiteral("system"), old).alarm.id;
            for (AlarmAction action : {AlarmAction::Acknowledge, AlarmAction::Close})
                QVERIFY(alarms.execute(command(closed, action, QStringLiteral("kim"), old + 60'000)).ok);
            a.source = QStringLiteral("SD-000002");
            alarms.raise(a, QStringLiteral("system"), old);
            Alarm cam = a;
            cam.type = QStringLiteral("camera_offline");
            cam.source = QStringLiteral("CCTV-9");
            const qint64 camId = alarms.raise(cam, QStringLiteral("system"), old).alarm.id;
            QVERIFY(alarms.execute(command(camId, AlarmAction::Acknowledge, QStringLiteral("kim"), old + 20'000)).ok);
            // Acknowledged and back to normal: closed.
            QVERIFY(alarms.execute(command(camId, AlarmAction::Clear, QStringLiteral("system"), old + 30'000)).ok);
            QVERIFY(alarms.flush(10'000));
        }
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().purgedPositions, quint64(0));
            store.purgeExpiredPositions(now);
            QTRY_VERIFY_WITH_TIMEOUT(store.counters().purgedPositions == 1, 10'000);
            QVERIFY(store.flush());
            QVERIFY(store.counters().erasedLocations >= 2);
        }
        {
            // The alarms are the alarm service's: it erases its closed alarms' locations.
            AlarmService alarms(db);
            QVERIFY(alarms.open());
            alarms.eraseLocationsBefore(now - 30LL * 24 * 3600 * 1000);
            QTRY_COMPARE_WITH_TIMEOUT(alarms.erasedLocations(), quint64(1), 10'000);
        }
        const QByteArray oldMs = QByteArray::number(old);
        auto count = [&](const QByteArray &sql) {
            return scalar(db, sql.constData());
        };
        // Old personal data: no coordinates anywhere.
        QCOMPARE(count("SELECT count(*) FROM positions WHERE t < " + oldMs + " + 1"), qint64(0));
        QCOMPARE(count("SELECT count(*) FROM events WHERE kind IN (1, 2, 3) AND source_time <= " + oldMs +
                       " AND latitude IS NOT NULL"),
                 qint64(0));
        QCOMPARE(count("SELECT count(*) FROM events_rtree r JOIN events e ON e.id = r.id WHERE e.kind IN (1, 2, 3) "
                       "AND e.source_time <= " +
                       oldMs),
                 qint64(0));
        QCOMPARE(count("SELECT count(*) FROM alarms WHERE state = 'normal' AND type = 'sos' AND latitude IS NOT NULL"),
                 qint64(0));
        // The events themselves stay: that an SOS happened, and when.
        QCOMPARE(count("SELECT count(*) FROM events WHERE kind = 2"), qint64(2));
        // Recent personal data, fixed assets, and the alarm still being handled keep theirs.
        QCOMPARE(count("SELECT count(*) FROM events WHERE kind IN (2, 3) AND latitude IS NOT NULL"), qint64(2));
        QCOMPARE(count("SELECT count(*) FROM events_rtree"), qint64(4)); // 2 recent personal + 2 camera
        QCOMPARE(count("SELECT count(*) FROM events WHERE kind = 7 AND latitude IS NOT NULL"), qint64(2));
        QCOMPARE(count("SELECT count(*) FROM alarms WHERE state <> 'normal' AND latitude IS NOT NULL"), qint64(1));
        QCOMPARE(count("SELECT count(*) FROM alarms WHERE type = 'camera_offline' AND latitude IS NOT NULL"),
                 qint64(1));
        // The latest state holds the recent fix (the old one was replaced); a wearer last heard from
        // before the retention has no coordinates there.
        QCOMPARE(count("SELECT count(*) FROM latest_state WHERE kind IN (1, 2, 3) AND source_time <= " + oldMs +
                       " AND latitude IS NOT NULL"),
                 qint64(0));
    }

    void latestStateOfAWearerGoneQuietIsErased()
    {
        const QString db = m_dir.filePath(QStringLiteral("quiet.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        EventStore store(dir, {db});
        QVERIFY(store.open());
        Event fix = sosOf(*dir, "SD-000003", 0, now - 40LL * 86'400'000);
        fix.kind = EventKind::PositionFix;
        store.append(std::span<const Event>(&fix, 1));
        QVERIFY(store.flush());
        QCOMPARE(scalar(db, "SELECT count(*) FROM latest_state WHERE latitude IS NOT NULL"), qint64(1));
        store.purgeExpiredPositions(now);
        QTRY_VERIFY_WITH_TIMEOUT(store.counters().purgedPositions == 1, 10'000);
        QVERIFY(store.flush());
        QCOMPARE(scalar(db, "SELECT count(*) FROM latest_state WHERE latitude IS NOT NULL"), qint64(0));
        QCOMPARE(scalar(db, "SELECT count(*) FROM latest_state"), qint64(1)); // when it was last heard of stays
    }

    // Finding 5: the journal preallocated 4 MiB whatever the free space, so on a nearly full disk
    // it took what the database needed (or failed to open at all). On a small file system of its
    // own (tmpfs in a private mount namespace: needs root, skipped otherwise) the journal takes at
    // most a sixteenth of the free space; when the disk then fills up, an SOS still becomes durable
    // in that preallocated room, the store says disk_full, and once space is freed everything that
    // was accepted is committed and the error clears.
    void smallDiskKeepsRoomAndRecovers()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("needs a Linux mount namespace");
#else
        const QString mountPoint = m_dir.filePath(QStringLiteral("small"));
        QVERIFY(QDir().mkpath(mountPoint));
        const QByteArray where = QFile::encodeName(mountPoint);
        // Only this thread (and the threads it starts) sees the mount; it goes with the process.
        if (::unshare(CLONE_NEWNS) != 0 || ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            QSKIP(qPrintable(QStringLiteral("no private mount namespace here (%1): run as root")
                                 .arg(QString::fromLocal8Bit(std::strerror(errno)))));
        const qint64 size = qint64(3) << 20;
        if (::mount("gwanje-test", where.constData(), "tmpfs", 0,
                    QByteArray("size=" + QByteArray::number(size)).constData()) != 0)
            QSKIP(qPrintable(
                QStringLiteral("cannot mount a tmpfs here (%1)").arg(QString::fromLocal8Bit(std::strerror(errno)))));
        const auto unmount = qScopeGuard([&] { ::umount2(where.constData(), MNT_DETACH); });

        const QString db = mountPoint + QStringLiteral("/small.db");
        auto dir = std::make_shared<SourceDirectory>();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        std::vector<Event> accepted;
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            const qint64 journalSize = QFileInfo(db + QStringLiteral(".events-journal")).size();
            QVERIFY2(journalSize > 0 && journalSize <= size / 16,
                     qPrintable(QStringLiteral("journal of %1 bytes on a %2-byte disk").arg(journalSize).arg(size)));

            // Fill the disk to the last byte.
            QFile filler(mountPoint + QStringLiteral("/filler"));
            QVERIFY(filler.open(QIODevice::WriteOnly));
            const QByteArray block(4096, 'f');
            while (filler.write(block) == block.size() && filler.flush()) {
            }
            filler.close();
            QVERIFY(QStorageInfo(mountPoint).bytesAvailable() < 16 * 1024);

            // Positions, then an SOS made durable in the journal's own room, then more positions.
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot commit .*disk_full")));
            const quint32 wearer = dir->intern(QStringLiteral("SD-000042"));
            for (int i = 0; i < 3000; ++i) {
                Event e;
                e.kind = EventKind::PositionFix;
                e.source = wearer;
                e.sourceEventId = quint64(i + 1);
                e.sourceTimeMs = e.receiveTimeMs = now - 3'000'000 + i * 1000;
                e.latitude = 37.5 + i * 1e-5;
                e.longitude = 127.0;
                accepted.push_back(e);
            }
            store.append(accepted);
            const Event sos = sosOf(*dir, "SD-000042", 900'001, now - 1000);
            QString error;
            QVERIFY2(store.appendDurable(std::span<const Event>(&sos, 1), &error), qPrintable(error));
            accepted.push_back(sos);
            QTRY_VERIFY_WITH_TIMEOUT(store.status().code == ErrorCode::DiskFull, 20'000);
            QVERIFY(!store.status().healthy);
            QCOMPARE(store.status().category, ErrorCategory::Transient);
            QVERIFY(store.counters().failedCommits > 0);
            QVERIFY(store.counters().committed < accepted.size());

            // Space comes back: the writer's next retry commits everything, the error clears.
            QVERIFY(QFile::remove(mountPoint + QStringLiteral("/filler")));
            QTRY_VERIFY_WITH_TIMEOUT(store.counters().committed >= accepted.size(), 20'000);
            QTRY_VERIFY_WITH_TIMEOUT(store.status().healthy, 5'000);
            QCOMPARE(store.status().code, ErrorCode::None);
            QCOMPARE(store.counters().droppedWhileFailing, quint64(0));
            QCOMPARE(store.counters().journalFailures, quint64(0));
        }
        QCOMPARE(scalar(db, "SELECT count(*) FROM positions"), qint64(3000));
        QCOMPARE(scalar(db, "SELECT count(*) FROM events WHERE kind = 2 AND dedup = 900001"), qint64(1));
#endif
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
