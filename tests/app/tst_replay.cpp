// The engine end to end in the real binary: an NDJSON replay through the bus into a real SQLite
// file, re-delivery without duplicates, and a SIGKILL in the middle of heavy ingest.
#include "AppProcess.h"
#include "TestSupport.h"
#include "events/SourceDirectory.h"
#include "store/EventStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace gwanje;

namespace {
// Yesterday: recent enough that the position retention (30 days) keeps it.
const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() / 86'400'000 - 1) * 86'400'000;

// devices x fixes position lines (a fix every 10 s), plus one SOS per 1000 fixes.
QByteArray positions(int devices, int fixes)
{
    QByteArray out;
    out.reserve(qsizetype(devices) * fixes * 110);
    int n = 0;
    for (int i = 0; i < fixes; ++i) {
        for (int d = 0; d < devices; ++d) {
            out += QStringLiteral(
                       R"({"type":"position","id":"DEV-%1","t":%2,"lat":%3,"lon":%4,"battery":80,"event_id":%5})")
                       .arg(d)
                       .arg(t0 + qint64(i) * 10'000)
                       .arg(37.5 + d * 1e-4 + i * 1e-6, 0, 'f', 7)
                       .arg(127.0 - d * 1e-4, 0, 'f', 7)
                       .arg(i)
                       .toUtf8();
            out += '\n';
            if (++n % 1000 == 0)
                out += QStringLiteral(R"({"type":"sos","id":"DEV-%1","t":%2,"event_id":%3})")
                           .arg(d)
                           .arg(t0 + qint64(i) * 10'000 + 1)
                           .arg(1'000'000 + n)
                           .toUtf8() +
                       '\n';
        }
    }
    return out;
}

qint64 count(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *s = nullptr;
    qint64 v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

QString integrity(const QString &db)
{
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READWRITE, nullptr); // may replay the WAL
    sqlite3_stmt *s = nullptr;
    QString result;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return result;
}

QJsonObject readReport(const QString &path)
{
    return QJsonDocument::fromJson(test::readFile(path)).object();
}
} // namespace

class TestReplay : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void replayIntoDatabaseAndAgainWithoutDuplicates()
    {
        const QString ndjson = m_dir.filePath(QStringLiteral("small.ndjson"));
        QByteArray lines = positions(20, 100); // 2000 fixes, 2 SOS
        lines += "this is not json\n";
        lines +=
            QStringLiteral(R"({"type":"position","id":"DEV-X","t":%1,"lat":1e999,"lon":127})").arg(t0).toUtf8() + '\n';
        lines +=
            QStringLiteral(R"({"type":"position","id":"DEV-Y","t":%1,"lat":37.5,"lon":181})").arg(t0).toUtf8() + '\n';
        QVERIFY(test::writeFile(ndjson, lines));
        const QString db = m_dir.filePath(QStringLiteral("small.db"));
        const QString report = m_dir.filePath(QStringLiteral("small.json"));

        test::AppRun run = test::runApp({QStringLiteral("--headless"), QStringLiteral("--replay"), ndjson,
                                         QStringLiteral("--db"), db, QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonObject o = readReport(report);
        QCOMPARE(o.value(QStringLiteral("events_processed")).toInt(), 2002);
        QCOMPARE(o.value(QStringLiteral("events_rejected")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("devices")).toInt(), 20);
        QCOMPARE(o.value(QStringLiteral("positions_stored")).toInt(), 2000);
        const QJsonObject lanes = o.value(QStringLiteral("lanes")).toObject();
        QCOMPARE(lanes.value(QStringLiteral("critical")).toObject().value(QStringLiteral("delivered")).toInt(), 2);
        QVERIFY(lanes.value(QStringLiteral("bulk")).toObject().value(QStringLiteral("high_water")).toInt() > 0);
        const QJsonArray rejections =
            o.value(QStringLiteral("feeds")).toArray().first().toObject().value(QStringLiteral("rejections")).toArray();
        QCOMPARE(rejections.size(), 3);
        QCOMPARE(rejections[0].toObject().value(QStringLiteral("line")).toInt(), 2003);
        QCOMPARE(o.value(QStringLiteral("store")).toObject().value(QStringLiteral("healthy")).toBool(), true);
        // The two SOS went through the journal (durable at once), nothing was left to replay.
        const QJsonObject journal =
            o.value(QStringLiteral("store")).toObject().value(QStringLiteral("journal")).toObject();
        QCOMPARE(journal.value(QStringLiteral("journaled")).toInt(), 2);
        QCOMPARE(journal.value(QStringLiteral("failures")).toInt(), 0);
        QCOMPARE(journal.value(QStringLiteral("replayed")).toInt(), 0);
        QCOMPARE(count(db, "SELECT count(*) FROM positions"), qint64(2000));
        QCOMPARE(count(db, "SELECT count(*) FROM events WHERE kind = 2"), qint64(2));

        // The same events delivered again: nothing new is stored.
        run = test::runApp({QStringLiteral("--headless"), QStringLiteral("--replay"), ndjson, QStringLiteral("--db"),
                            db, QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        o = readReport(report);
        QCOMPARE(o.value(QStringLiteral("positions_stored")).toInt(), 0);
        QCOMPARE(o.value(QStringLiteral("store")).toObject().value(QStringLiteral("duplicates")).toInt(), 2002);
        QCOMPARE(count(db, "SELECT count(*) FROM positions"), qint64(2000));
        QCOMPARE(count(db, "SELECT count(*) FROM events"), qint64(2));
    }

    void corruptDatabaseStillProcessesEvents()
    {
        const QString ndjson = m_dir.filePath(QStringLiteral("tiny.ndjson"));
        QVERIFY(test::writeFile(ndjson, positions(3, 10)));
        const QString db = m_dir.filePath(QStringLiteral("corrupt.db"));
        QVERIFY(test::writeFile(db, QByteArray(16384, '\x5a')));
        const QString report = m_dir.filePath(QStringLiteral("corrupt.json"));
        const test::AppRun run = test::runApp({QStringLiteral("--headless"), QStringLiteral("--replay"), ndjson,
                                               QStringLiteral("--db"), db, QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("database unavailable (not_a_database)"));
        const QJsonObject o = readReport(report);
        QCOMPARE(o.value(QStringLiteral("events_processed")).toInt(), 30);
        QCOMPARE(o.value(QStringLiteral("devices")).toInt(), 3);
        const QJsonObject store = o.value(QStringLiteral("store")).toObject();
        QCOMPARE(store.value(QStringLiteral("open")).toBool(), false);
        QCOMPARE(store.value(QStringLiteral("code")).toString(), QStringLiteral("not_a_database"));
        QCOMPARE(test::readFile(db), QByteArray(16384, '\x5a')); // left as it was
    }

    void killedDuringIngestLosesNothingCommitted()
    {
        const QString ndjson = m_dir.filePath(QStringLiteral("heavy.ndjson"));
        const int devices = 2000, fixes = 150; // 300,000 fixes
        QVERIFY(test::writeFile(ndjson, positions(devices, fixes)));
        const QString db = m_dir.filePath(QStringLiteral("heavy.db"));

        QProcess app;
        app.setProgram(QStringLiteral(GWANJE_BIN_DIR "/gwanje"));
        app.setArguments({QStringLiteral("--headless"), QStringLiteral("--replay"), ndjson, QStringLiteral("--db"), db,
                          QStringLiteral("--report"), m_dir.filePath(QStringLiteral("never.json")),
                          QStringLiteral("--progress")});
        app.start();
        QVERIFY(app.waitForStarted());
        qint64 committed = 0;
        QSet<qint64> durable; // SOS event ids the engine was told are on disk (the store's journal)
        QByteArray pendingOut;
        while (committed < 60'000) {
            QVERIFY2(app.waitForReadyRead(30'000), "no commit reported");
            pendingOut += app.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pendingOut.indexOf('\n')) >= 0) {
                const QJsonObject line = QJsonDocument::fromJson(pendingOut.left(nl)).object();
                pendingOut.remove(0, nl + 1);
                committed = std::max<qint64>(committed, line.value(QStringLiteral("committed")).toInteger());
                if (line.contains(QStringLiteral("durable")))
                    durable.insert(line.value(QStringLiteral("durable")).toInteger());
            }
        }
        app.kill(); // SIGKILL, this process only
        QVERIFY(app.waitForFinished(10'000));
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        QVERIFY(committed < 300'000 + 300); // it really was cut short

        QCOMPARE(integrity(db), QStringLiteral("ok"));
        const qint64 stored = count(db, "SELECT count(*) FROM positions") + count(db, "SELECT count(*) FROM events");
        QVERIFY2(stored >= committed,
                 qPrintable(QStringLiteral("%1 stored, %2 reported committed").arg(stored).arg(committed)));

        // Reopened (the journal replayed, nothing re-delivered): every SOS reported durable is
        // there exactly once.
        QVERIFY(!durable.isEmpty());
        {
            EventStore store(std::make_shared<SourceDirectory>(), {db});
            QVERIFY(store.open());
            QCOMPARE(store.counters().journalCorrupt, quint64(0));
            QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        }
        for (qint64 id : std::as_const(durable)) {
            const QByteArray sql = "SELECT count(*) FROM events WHERE kind = 2 AND dedup = " + QByteArray::number(id);
            QVERIFY2(count(db, sql.constData()) == 1, qPrintable(QStringLiteral("SOS %1 is not stored once").arg(id)));
        }

        // Restart and re-deliver everything: each fix exactly once.
        const QString report = m_dir.filePath(QStringLiteral("heavy.json"));
        const test::AppRun run = test::runApp({QStringLiteral("--headless"), QStringLiteral("--replay"), ndjson,
                                               QStringLiteral("--db"), db, QStringLiteral("--report"), report},
                                              240'000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(count(db, "SELECT count(*) FROM positions"), qint64(devices) * fixes);
        QCOMPARE(count(db, "SELECT count(*) FROM events"), qint64(devices) * fixes / 1000);
        QCOMPARE(
            count(db, "SELECT count(*) FROM (SELECT source, t FROM positions GROUP BY source, t HAVING count(*) > 1)"),
            qint64(0));
        const QJsonObject o = readReport(report);
        QVERIFY(o.value(QStringLiteral("store")).toObject().value(QStringLiteral("duplicates")).toInteger() >=
                committed);
        QCOMPARE(integrity(db), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
