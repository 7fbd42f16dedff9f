// The store's event journal on real files: events made durable by appendDurable() are in the
// database after a reopen exactly once even when the database never took them, a damaged journal
// ends its replay without harm, a journal that cannot be written falls back to the database, and
// concurrent callers share their flushes.
#include "TestSupport.h"
#include "events/SourceDirectory.h"
#include "store/EventStore.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <atomic>
#include <cmath>
#include <thread>

using namespace gwanje;

namespace {
constexpr qint64 t0 = 1'764'000'000'000; // 2025-11-24, UTC ms
constexpr qint64 headerSize = 32;        // the journal's header (core/store/EventJournal_p.h)

QString journalOf(const QString &db)
{
    return db + QStringLiteral(".events-journal");
}

Event fix(quint32 source, qint64 t)
{
    Event e;
    e.kind = EventKind::PositionFix;
    e.source = source;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t + 5;
    e.latitude = 37.5;
    e.longitude = 127.0;
    return e;
}

// Four events that use every field the journal writes: an SOS with an id, a fall without one (its
// de-duplication key comes from what it says), a sensor reading and a citizen report in Korean.
std::vector<Event> critical(SourceDirectory &dir)
{
    std::vector<Event> events;
    Event sos;
    sos.kind = EventKind::Sos;
    sos.source = dir.intern(QStringLiteral("SD-000042"));
    sos.sourceTimeMs = t0 + 1000;
    sos.receiveTimeMs = t0 + 1042;
    sos.sourceEventId = 9001;
    sos.latitude = 37.5665;
    sos.longitude = 126.978;
    sos.battery = 64.0f;
    events.push_back(sos);
    Event fall = sos;
    fall.kind = EventKind::Fall;
    fall.source = dir.intern(QStringLiteral("SD-000077"));
    fall.sourceEventId = 0;
    fall.sourceTimeMs = t0 + 2000;
    events.push_back(fall);
    Event pm;
    pm.kind = EventKind::SensorReading;
    pm.source = dir.intern(QStringLiteral("V02Q1940612"));
    pm.quantity = Quantity::Pm25;
    pm.value = 81.5f;
    pm.sourceTimeMs = pm.receiveTimeMs = t0 + 3000;
    pm.latitude = 37.578;
    pm.longitude = 126.895;
    events.push_back(pm);
    Event report;
    report.kind = EventKind::CitizenReport;
    report.source = dir.intern(QStringLiteral("citizen-app"));
    report.sourceTimeMs = report.receiveTimeMs = t0 + 4000;
    report.sourceEventId = 77;
    report.latitude = 37.51;
    report.longitude = 127.10;
    report.text = QStringLiteral("가로등이 꺼져 있어요");
    events.push_back(report);
    return events;
}

std::vector<Event> everything(const EventStore &store)
{
    return store.eventsIn(GeoRect{-180, -90, 180, 90}, 0, t0 * 2);
}

// Byte offsets of the records in a journal file.
std::vector<qint64> recordOffsets(const QByteArray &journal)
{
    std::vector<qint64> offsets;
    qint64 at = headerSize;
    while (at + 8 <= journal.size()) {
        const quint32 length = qFromLittleEndian<quint32>(journal.constData() + at);
        if (length == 0)
            break;
        offsets.push_back(at);
        at += 8 + length;
    }
    return offsets;
}
} // namespace

class TestEventJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // A database that refuses every write (its page limit is reached) and a journal holding the
    // critical events: what a crash between the journal's flush and the database's commit leaves.
    QByteArray journalTheDatabaseNeverSaw(const QString &db, const std::shared_ptr<SourceDirectory> &dir)
    {
        StoreOptions options{db};
        options.maxPageCount = 64;
        options.maxBatch = 500;
        EventStore store(dir, options);
        if (!store.open())
            return {};
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot commit .*disk_full")));
        std::vector<Event> fixes;
        const quint32 filler = dir->intern(QStringLiteral("FILLER"));
        for (int i = 0; i < 20'000; ++i)
            fixes.push_back(fix(filler, t0 + i));
        store.append(fixes);
        if (!QTest::qWaitFor([&] { return store.counters().failedCommits > 0; }, 10'000))
            return {};
        for (const Event &e : critical(*dir)) {
            QString error;
            if (!store.appendDurable(std::span<const Event>(&e, 1), &error)) {
                qWarning("appendDurable failed: %s", qPrintable(error));
                return {};
            }
        }
        if (store.counters().journaled != 4)
            return {};
        return test::readFile(journalOf(db)); // the store's destructor cannot commit them either
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void durableEventsSurviveWhatTheDatabaseMissed()
    {
        const QString db = m_dir.filePath(QStringLiteral("missed.db"));
        const QByteArray journal = journalTheDatabaseNeverSaw(db, std::make_shared<SourceDirectory>());
        QVERIFY(!journal.isEmpty());
        QCOMPARE(recordOffsets(journal).size(), std::size_t(4));

        // A new process: its own source numbering, the database without a page limit.
        auto dir = std::make_shared<SourceDirectory>();
        dir->intern(QStringLiteral("someone-else"));
        const std::vector<Event> expected = critical(*dir);
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalReplayed, quint64(4));
            QCOMPARE(store.counters().journalCorrupt, quint64(0));
            QCOMPARE(store.eventCount(), qint64(4)); // there as soon as open() returns
            const std::vector<Event> stored = everything(store);
            QCOMPARE(stored.size(), std::size_t(4));
            for (std::size_t i = 0; i < stored.size(); ++i) {
                const Event &got = stored[i], &want = expected[i];
                QCOMPARE(dir->id(got.source), dir->id(want.source));
                QCOMPARE(got.kind, want.kind);
                QCOMPARE(got.sourceTimeMs, want.sourceTimeMs);
                QCOMPARE(got.receiveTimeMs, want.receiveTimeMs);
                QCOMPARE(got.sourceEventId, want.sourceEventId);
                QCOMPARE(got.latitude, want.latitude);
                QCOMPARE(got.longitude, want.longitude);
                QCOMPARE(got.quantity, want.quantity);
                QCOMPARE(got.text, want.text);
                QCOMPARE(std::isnan(got.value), std::isnan(want.value));
                if (!std::isnan(want.value))
                    QCOMPARE(got.value, want.value);
            }
            QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        }
        // Folded and reset: nothing to replay the next time.
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalReplayed, quint64(0));
            QCOMPARE(store.eventCount(), qint64(4));
        }
        // The same journal again (a crash after the commit, before the reset): stored once, the
        // fall without a source event id too.
        QVERIFY(test::writeFile(journalOf(db), journal));
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalReplayed, quint64(4));
            QCOMPARE(store.counters().duplicates, quint64(4));
            QCOMPARE(store.eventCount(), qint64(4));
            QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        }
    }

    void damagedJournalEndsTheReplay_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<int>("replayed");
        QTest::newRow("cut inside the third record") << QStringLiteral("cut") << 2;
        QTest::newRow("cut inside a length word") << QStringLiteral("cut-length") << 3;
        QTest::newRow("flipped byte in the second record") << QStringLiteral("flip") << 1;
        QTest::newRow("absurd length in the first record") << QStringLiteral("length") << 0;
        QTest::newRow("damaged header") << QStringLiteral("header") << 0;
    }

    void damagedJournalEndsTheReplay()
    {
        QFETCH(QString, damage);
        QFETCH(int, replayed);
        const QString source = m_dir.filePath(QStringLiteral("damaged-source-%1.db").arg(damage));
        QByteArray journal = journalTheDatabaseNeverSaw(source, std::make_shared<SourceDirectory>());
        QVERIFY(!journal.isEmpty());
        const std::vector<qint64> records = recordOffsets(journal);
        QCOMPARE(records.size(), std::size_t(4));
        if (damage == QLatin1String("cut"))
            journal.truncate(records[2] + 12);
        else if (damage == QLatin1String("cut-length"))
            journal.truncate(records[3] + 2);
        else if (damage == QLatin1String("flip"))
            journal[records[1] + 8 + 20] = char(journal[records[1] + 8 + 20] ^ 0x10);
        else if (damage == QLatin1String("length"))
            qToLittleEndian(quint32(0x7fffffff), journal.data() + records[0]);
        else
            journal[3] = 'x';

        const QString db = m_dir.filePath(QStringLiteral("damaged-%1.db").arg(damage));
        QVERIFY(test::writeFile(journalOf(db), journal));
        auto dir = std::make_shared<SourceDirectory>();
        {
            EventStore store(dir, {db});
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("event journal .* damaged")));
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalReplayed, quint64(replayed));
            QCOMPARE(store.counters().journalCorrupt, quint64(1));
            QCOMPARE(store.eventCount(), qint64(replayed));
            // The journal works on.
            const std::vector<Event> more = critical(*dir);
            QVERIFY(store.appendDurable(std::span<const Event>(more.data() + 3, 1)));
            QVERIFY(store.flush());
            QCOMPARE(store.eventCount(), qint64(replayed + 1)); // the report was not among them
        }
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalReplayed, quint64(0));
            QCOMPARE(store.counters().journalCorrupt, quint64(0));
        }
    }

    void unusableJournalFallsBackToTheDatabase()
    {
        const QString db = m_dir.filePath(QStringLiteral("nojournal.db"));
        QVERIFY(QDir().mkpath(journalOf(db))); // a folder where the journal should be
        auto dir = std::make_shared<SourceDirectory>();
        EventStore store(dir, {db});
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("cannot open the event journal .*folder")));
        QVERIFY(store.open());
        QVERIFY(store.status().healthy);
        const std::vector<Event> events = critical(*dir);
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("cannot make 1 events durable through the event journal")));
        QString error;
        QVERIFY(!store.appendDurable(std::span<const Event>(events.data(), 1), &error));
        QVERIFY2(error.contains(QStringLiteral("event journal")), qPrintable(error));
        // Later failures are counted, not logged again at once.
        QVERIFY(!store.appendDurable(std::span<const Event>(events.data() + 1, 1)));
        QCOMPARE(store.counters().journalFailures, quint64(2));
        QCOMPARE(store.counters().journaled, quint64(0));
        // The events still reach the database the ordinary way.
        QVERIFY(store.flush());
        QCOMPARE(store.eventCount(), qint64(2));
    }

    void concurrentCallersShareFlushes()
    {
        const QString db = m_dir.filePath(QStringLiteral("concurrent.db"));
        auto dir = std::make_shared<SourceDirectory>();
        const int threads = 6, perThread = 40;
        std::vector<std::vector<Event>> work(threads);
        for (int t = 0; t < threads; ++t) {
            const quint32 source = dir->intern(QStringLiteral("SD-%1").arg(t));
            for (int i = 0; i < perThread; ++i) {
                Event e;
                e.kind = EventKind::Sos;
                e.source = source;
                e.sourceTimeMs = e.receiveTimeMs = t0 + i;
                e.sourceEventId = quint64(i + 1);
                work[std::size_t(t)].push_back(e);
            }
        }
        {
            EventStore store(dir, {db});
            QVERIFY(store.open());
            std::atomic<int> failures{0};
            std::vector<std::thread> callers;
            for (int t = 0; t < threads; ++t) {
                callers.emplace_back([&, t] {
                    for (const Event &e : work[std::size_t(t)]) {
                        if (!store.appendDurable(std::span<const Event>(&e, 1)))
                            ++failures;
                    }
                });
            }
            for (std::thread &c : callers)
                c.join();
            QCOMPARE(failures.load(), 0);
            const StoreCounters c = store.counters();
            QCOMPARE(c.journaled, quint64(threads * perThread));
            QVERIFY2(
                c.journalFlushes < quint64(threads * perThread),
                qPrintable(QStringLiteral("%1 flushes for %2 calls").arg(c.journalFlushes).arg(threads * perThread)));
            QVERIFY(store.flush());
            QCOMPARE(store.eventCount(), qint64(threads * perThread));
            QVERIFY(store.counters().journalResets > 0);
        }
        EventStore store(dir, {db});
        QVERIFY(store.open());
        QCOMPARE(store.counters().journalReplayed, quint64(0)); // everything was folded and reset
        QCOMPARE(store.eventCount(), qint64(threads * perThread));
    }
};

QTEST_GUILESS_MAIN(TestEventJournal)
#include "tst_eventjournal.moc"
