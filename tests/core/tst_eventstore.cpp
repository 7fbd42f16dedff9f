// The SQLite event store on a real file: round trip, de-duplication, queries, migrations, and
// what happens with a corrupt file, a missing folder, a full disk.
#include "TestSupport.h"
#include "dispatch/GuardianNotifier.h"
#include "events/SourceDirectory.h"
#include "store/EventStore.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <thread>

using namespace gwanje;

namespace {
constexpr qint64 t0 = 1'764'000'000'000; // 2025-11-24, UTC ms

Event fix(quint32 source, qint64 t, double lat, double lon)
{
    Event e;
    e.kind = EventKind::PositionFix;
    e.source = source;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t + 5;
    e.latitude = lat;
    e.longitude = lon;
    e.accuracy = 8.0f;
    e.battery = 77.0f;
    return e;
}

Event makeEvent(EventKind kind, quint32 source, qint64 t, quint64 id = 0)
{
    Event e;
    e.kind = kind;
    e.source = source;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t + 5;
    e.sourceEventId = id;
    return e;
}

int userVersion(const QString &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *s = nullptr;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}
} // namespace

class TestEventStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::vector<Event> sampleDay(SourceDirectory &dir)
    {
        const quint32 a = dir.intern(QStringLiteral("DEV-A")), b = dir.intern(QStringLiteral("DEV-B"));
        const quint32 ap = dir.intern(QStringLiteral("ARI00001")), pm = dir.intern(QStringLiteral("V02Q1940612"));
        const quint32 citizen = dir.intern(QStringLiteral("citizen-app"));
        std::vector<Event> events;
        for (int i = 0; i < 8640; ++i) { // 24 h of fixes every 10 s
            events.push_back(fix(a, t0 + i * 10'000, 37.60 + i * 1e-6, 126.92));
            if (i % 2 == 0)
                events.push_back(fix(b, t0 + i * 10'000, 37.50, 127.03 + i * 1e-6));
        }
        Event sos = makeEvent(EventKind::Sos, a, t0 + 3'600'000, 9001);
        sos.latitude = 37.6036;
        sos.longitude = 126.92;
        events.push_back(sos);
        Event up = makeEvent(EventKind::ApStatus, ap, t0 + 100, 1);
        up.status = 1;
        up.count = 12;
        events.push_back(up);
        Event down = makeEvent(EventKind::ApStatus, ap, t0 + 200, 2);
        down.status = 0;
        events.push_back(down);
        for (int i = 0; i < 3; ++i) {
            Event reading = makeEvent(EventKind::SensorReading, pm, t0 + i * 60'000);
            reading.quantity = Quantity::Pm10;
            reading.value = 40.0f + float(i);
            reading.latitude = 37.578;
            reading.longitude = 126.895;
            events.push_back(reading);
        }
        Event report = makeEvent(EventKind::CitizenReport, citizen, t0 + 5000, 77);
        report.latitude = 37.51;
        report.longitude = 127.10;
        report.text = QStringLiteral("가로등이 꺼져 있어요");
        events.push_back(report);
        return events;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void roundTripAndQueries()
    {
        const QString path = m_dir.filePath(QStringLiteral("roundtrip.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const std::vector<Event> events = sampleDay(*dir);
        {
            EventStore store(dir, {path});
            QVERIFY(store.open());
            QVERIFY(store.status().healthy);
            std::atomic<quint64> lastCallback{0};
            store.setCommitCallback([&](quint64 total) { lastCallback = total; });
            store.append(events);
            QVERIFY(store.flush());
            QCOMPARE(store.counters().committed, quint64(events.size()));
            QCOMPARE(lastCallback.load(), quint64(events.size()));
            QCOMPARE(store.positionCount(), qint64(8640 + 4320));
            QCOMPARE(store.eventCount(), qint64(events.size() - 8640 - 4320));

            const auto track = store.track(QStringLiteral("DEV-A"), t0 + 3'600'000, t0 + 7'200'000 - 1);
            QCOMPARE(int(track.size()), 360);
            QCOMPARE(track.front().timeMs, t0 + 3'600'000);
            QVERIFY(std::is_sorted(track.begin(), track.end(),
                                   [](const TrackPoint &x, const TrackPoint &y) { return x.timeMs < y.timeMs; }));
            QCOMPARE(track.front().battery, 77.0f);
            QVERIFY(std::isnan(track.front().speed));
            QVERIFY(store.track(QStringLiteral("nobody"), 0, t0 * 2).empty());

            // Events in a box around Eunpyeong in the first two hours: the SOS and the PM10 readings.
            const auto inBox = store.eventsIn(GeoRect::fromEdges(126.85, 37.55, 126.95, 37.65), t0, t0 + 7'200'000);
            QCOMPARE(int(inBox.size()), 4);
            QCOMPARE(inBox.back().kind, EventKind::Sos);
            QCOMPARE(dir->id(inBox.back().source), QStringLiteral("DEV-A"));
            QCOMPARE(inBox.back().sourceEventId, quint64(9001));
            // Only some kinds (the heat map's query): the readings drop out, the SOS stays.
            const auto sosOnly = store.eventsIn(GeoRect::fromEdges(126.85, 37.55, 126.95, 37.65), t0, t0 + 7'200'000,
                                                100, {EventKind::Sos, EventKind::Fall});
            QCOMPARE(int(sosOnly.size()), 1);
            QCOMPARE(sosOnly.front().kind, EventKind::Sos);
            // Newest first: with a limit of one, the latest event in the box is the one kept.
            const auto newest = store.eventsIn(GeoRect::fromEdges(126.85, 37.55, 126.95, 37.65), t0, t0 + 7'200'000, 1,
                                               {}, EventStore::Order::NewestFirst);
            QCOMPARE(int(newest.size()), 1);
            QCOMPARE(newest.front().sourceTimeMs, inBox.back().sourceTimeMs);
            QVERIFY(store
                        .eventsIn(GeoRect::fromEdges(126.85, 37.55, 126.95, 37.65), t0, t0 + 7'200'000, 100,
                                  {EventKind::CitizenReport})
                        .empty());
            const auto report = store.eventsIn(GeoRect::fromEdges(127.0, 37.4, 127.2, 37.6), t0, t0 + 10'000);
            QCOMPARE(int(report.size()), 1);
            QCOMPARE(report.front().text, QStringLiteral("가로등이 꺼져 있어요"));

            // Latest state: one row per source, kind and quantity, the newest by source time.
            const auto latest = store.latestState();
            QCOMPARE(int(latest.size()), 6); // A position, A sos, B position, AP status, PM10, report
            for (const Event &e : latest) {
                if (e.kind == EventKind::ApStatus)
                    QCOMPARE(e.status, qint8(0));
                if (e.kind == EventKind::SensorReading)
                    QCOMPARE(e.value, 42.0f);
                if (e.kind == EventKind::PositionFix && dir->id(e.source) == QLatin1String("DEV-A"))
                    QCOMPARE(e.sourceTimeMs, t0 + 8639 * 10'000);
            }
        }
        QCOMPARE(userVersion(path), EventStore::schemaVersion());

        // Reopened: everything is still there, and re-delivering the same events adds nothing.
        auto dir2 = std::make_shared<SourceDirectory>();
        const std::vector<Event> again = sampleDay(*dir2);
        EventStore store(dir2, {path});
        QVERIFY(store.open());
        QCOMPARE(store.positionCount(), qint64(8640 + 4320));
        store.append(again);
        QVERIFY(store.flush());
        QCOMPARE(store.positionCount(), qint64(8640 + 4320));
        QCOMPARE(store.eventCount(), qint64(again.size() - 8640 - 4320));
        QCOMPARE(store.counters().duplicates, quint64(again.size()));
        QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
    }

    void concurrentAppendAndQuery()
    {
        auto dir = std::make_shared<SourceDirectory>();
        EventStore store(dir, {m_dir.filePath(QStringLiteral("concurrent.db"))});
        QVERIFY(store.open());
        std::vector<std::thread> producers;
        for (int p = 0; p < 4; ++p) {
            producers.emplace_back([&store, &dir, p] {
                const quint32 source = dir->intern(QStringLiteral("P%1").arg(p));
                for (int chunk = 0; chunk < 50; ++chunk) {
                    std::vector<Event> batch;
                    for (int i = 0; i < 200; ++i)
                        batch.push_back(fix(source, t0 + (chunk * 200 + i) * 1000, 37.5, 127.0));
                    store.append(batch);
                }
            });
        }
        int queries = 0;
        while (store.counters().committed < 40'000 && queries < 100000) {
            store.track(QStringLiteral("P1"), t0, t0 + 100'000'000);
            ++queries;
        }
        for (auto &t : producers)
            t.join();
        QVERIFY(store.flush());
        QCOMPARE(store.positionCount(), qint64(40'000));
        QCOMPARE(int(store.track(QStringLiteral("P3"), 0, t0 * 2).size()), 10'000);
    }

    void retentionPurgesOldPositionsOnly()
    {
        auto dir = std::make_shared<SourceDirectory>();
        StoreOptions options{m_dir.filePath(QStringLiteral("retention.db"))};
        options.positionRetentionDays = 7;
        EventStore store(dir, options);
        QVERIFY(store.open());
        const qint64 now = t0 + 30LL * 24 * 3600 * 1000;
        const quint32 a = dir->intern(QStringLiteral("A"));
        std::vector<Event> events;
        for (int day = 0; day < 30; ++day)
            events.push_back(fix(a, now - day * 24LL * 3600 * 1000 - 1000, 37.5, 127.0));
        events.push_back(makeEvent(EventKind::Sos, a, now - 20LL * 24 * 3600 * 1000, 5));
        store.append(events);
        QVERIFY(store.flush());
        // Guardian notifications: an old sent one goes, an old one still owed and a recent one stay.
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(QFile::encodeName(options.path).constData(), &db), SQLITE_OK);
            const QByteArray sql = "INSERT INTO notifications (alarm_id, recipient, channel, status, created_at, "
                                   "updated_at) VALUES (1, '01000001234', 'sms', 'sent', 0, " +
                                   QByteArray::number(now - 20LL * 24 * 3600 * 1000) +
                                   "), (2, '01000001234', 'sms', 'retrying', 0, " +
                                   QByteArray::number(now - 20LL * 24 * 3600 * 1000) +
                                   "), (3, '01000005678', 'sms', 'sent', 0, " + QByteArray::number(now - 1000) + ")";
            QCOMPARE(sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        store.purgeExpiredPositions(now);
        QTRY_COMPARE(store.counters().purgedPositions, quint64(23)); // days 7..29 are older than 7 days
        // The notifications table is the notifier's: it purges it, running or not.
        GuardianNotifier notifier(NotificationConfig{}, options.path);
        notifier.purgeFinished(now - 7LL * 24 * 3600 * 1000);
        QTRY_COMPARE(notifier.counters().purged, quint64(1));
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(QFile::encodeName(options.path).constData(), &db), SQLITE_OK);
            sqlite3_stmt *s = nullptr;
            sqlite3_prepare_v2(db, "SELECT count(*) FROM notifications", -1, &s, nullptr);
            QCOMPARE(sqlite3_step(s), SQLITE_ROW);
            QCOMPARE(sqlite3_column_int(s, 0), 2); // the one still owed and the recent one
            sqlite3_finalize(s);
            sqlite3_close(db);
        }
        QCOMPARE(store.positionCount(), qint64(7));
        QCOMPARE(store.eventCount(), qint64(1)); // events are not personal positions
    }

    void notADatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("garbage.db"));
        QByteArray junk(8192, '\0');
        for (int i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 131) % 251);
        QVERIFY(test::writeFile(path, junk));
        auto dir = std::make_shared<SourceDirectory>();
        EventStore store(dir, {path});
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("database unavailable \\(not_a_database\\)")));
        QVERIFY(!store.open());
        QCOMPARE(errorCodeName(store.status().code), QStringLiteral("not_a_database"));
        QCOMPARE(store.status().category, ErrorCategory::BadInput);
        QVERIFY(store.status().detail.contains(QStringLiteral("garbage.db")));
        const std::vector<Event> events{fix(dir->intern(QStringLiteral("A")), t0, 37.5, 127.0)};
        store.append(events); // accepted, kept in memory only, counted
        QCOMPARE(store.counters().appended, quint64(1));
        QCOMPARE(store.counters().committed, quint64(0));
        QVERIFY(store.track(QStringLiteral("A"), 0, t0 * 2).empty());
        QCOMPARE(test::readFile(path), junk); // the file was not touched
    }

    void missingFolder()
    {
        EventStore store(std::make_shared<SourceDirectory>(), {m_dir.filePath(QStringLiteral("no/such/dir/x.db"))});
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("database unavailable \\(cannot_open\\)")));
        QVERIFY(!store.open());
        QCOMPARE(errorCodeName(store.status().code), QStringLiteral("cannot_open"));
    }

    void newerSchemaIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("future.db"));
        sqlite3 *db = nullptr;
        sqlite3_open(path.toUtf8().constData(), &db);
        sqlite3_exec(db, "CREATE TABLE x(a); PRAGMA user_version=999;", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        EventStore store(std::make_shared<SourceDirectory>(), {path});
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("database unavailable \\(migration_failed\\)")));
        QVERIFY(!store.open());
        QVERIFY(store.status().detail.contains(QStringLiteral("999")));
        QCOMPARE(userVersion(path), 999);
    }

    void fullDiskKeepsWhatWasCommitted()
    {
        auto dir = std::make_shared<SourceDirectory>();
        StoreOptions options{m_dir.filePath(QStringLiteral("full.db"))};
        options.maxPageCount = 64; // 256 KiB: fills up fast
        options.maxBatch = 500;
        EventStore store(dir, options);
        QVERIFY(store.open());
        const quint32 a = dir->intern(QStringLiteral("A"));
        std::vector<Event> first;
        for (int i = 0; i < 500; ++i)
            first.push_back(fix(a, t0 + i, 37.5, 127.0));
        store.append(first);
        QVERIFY(store.flush());
        QCOMPARE(store.positionCount(), qint64(500));

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot commit .*disk_full")));
        std::vector<Event> more;
        for (int i = 500; i < 50'000; ++i)
            more.push_back(fix(a, t0 + i, 37.5, 127.0));
        store.append(more);
        QTRY_VERIFY(store.counters().failedCommits > 0);
        QCOMPARE(errorCodeName(store.status().code), QStringLiteral("disk_full"));
        QCOMPARE(store.status().category, ErrorCategory::Transient);
        QVERIFY(!store.status().healthy);
        QVERIFY(!store.flush(200));
        // Nothing committed before is lost, and the file is sound.
        QVERIFY(store.positionCount() >= 500);
        QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        QVERIFY(store.counters().pending > 0);
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
