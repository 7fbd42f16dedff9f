// Guardian notifications under load: a burst as large as a fast simulation raises, against a flaky
// gateway (errors, slow answers, connections dropped after the request was read), stopped half way
// and restarted on the same database. Counted at the gateway: every key gets exactly one 2xx, and the
// attempts on record are the requests the gateway received.
#include "LocalGateway.h"
#include "TestSupport.h"
#include "dispatch/GuardianNotifier.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <map>
#include <mutex>

using namespace gwanje;
using gwanje::test::GatewayAnswer;
using gwanje::test::GatewayRequest;
using gwanje::test::GatewayThread;
using gwanje::test::LocalGateway;

namespace {
// `--speed 600 --devices 2000` raises an SOS or a safe-zone exit (one guardian each) about every
// 0.7 s: 37 in 4 simulated hours from 20:00. 300 at once is that load piled up (a gateway down for a
// few minutes, a restart taking up its backlog), and far more than the 6 requests per host that
// Qt's network access manager sends before it queues.
constexpr int burst = 300;
constexpr int timeoutMs = 2000;

QString phone(int i)
{
    return QStringLiteral("010-0000-%1").arg(i, 4, 10, QLatin1Char('0'));
}

NotificationRequest request(int i)
{
    NotificationRequest r;
    r.alarmId = i;
    r.alarmType = i % 4 == 0 ? QStringLiteral("sos") : QStringLiteral("safe_zone_exit");
    r.deviceId = QStringLiteral("SD-%1").arg(i, 6, 10, QLatin1Char('0'));
    r.wearerCategory = QStringLiteral("dementia");
    r.guardian = {QStringLiteral("보호자"), phone(i)};
    r.latitude = 37.5;
    r.longitude = 127.0;
    r.district = QStringLiteral("은평구");
    r.raisedAtMs = 1'764'082'800'000;
    return r;
}

// The key as the notifier forms it: alarm id and a hash of the normalised number.
QByteArray keyOf(int i)
{
    const QByteArray number = phone(i).remove(QLatin1Char('-')).toUtf8();
    return QByteArray::number(i) + '-' + QCryptographicHash::hash(number, QCryptographicHash::Sha256).toHex().left(16);
}

// Every third request fails, every seventh connection is dropped once the request is read, every
// tenth answer (success or not) comes 300-800 ms late: slower than the gateway's usual few
// milliseconds, well within the timeout for a request that is on the wire.
GatewayAnswer flaky(const GatewayRequest &, int index)
{
    GatewayAnswer a;
    if (index % 7 == 6) {
        a.drop = true;
        return a;
    }
    a.status = index % 3 == 2 ? 500 : 200;
    if (index % 10 == 1)
        a.delayMs = 300 + (index * 37) % 500;
    return a;
}

NotificationConfig config(const QString &url)
{
    NotificationConfig c;
    c.url = url;
    c.maxAttempts = 20; // nobody runs out of attempts against this gateway: every key must arrive
    c.initialBackoffMs = 50;
    c.maxBackoffMs = 400;
    c.timeoutMs = timeoutMs;
    return c;
}

struct Row
{
    QString status;
    int attempts = 0;
};

// alarm id -> its row, read on a connection of the test's own.
std::map<qint64, Row> readRows(const QString &path)
{
    std::map<qint64, Row> rows;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db, "SELECT alarm_id, status, attempts FROM notifications", -1, &s, nullptr);
        while (s && sqlite3_step(s) == SQLITE_ROW)
            rows[sqlite3_column_int64(s, 0)] = {
                QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 1))), sqlite3_column_int(s, 2)};
        sqlite3_finalize(s);
    }
    sqlite3_close_v2(db);
    return rows;
}

class Finished
{
public:
    GuardianNotifier::OutcomeCallback callback()
    {
        return [this](const NotificationRecord &) {
            std::lock_guard lock(m_mutex);
            ++m_count;
        };
    }
    int count() const
    {
        std::lock_guard lock(m_mutex);
        return m_count;
    }

private:
    mutable std::mutex m_mutex;
    int m_count = 0;
};
} // namespace

class TestNotifierLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // A proxy from the environment must not stand between the notifier and the loopback port.
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    }

    void init()
    {
        if (qEnvironmentVariableIsEmpty("NOFAIL"))
            test::failOnUnexpectedWarnings();
    }

    void burstStopRestartDeliversEachKeyOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("events.db"));
        GatewayThread gateway(flaky);
        QVERIFY(gateway.listening());
        std::map<QByteArray, int> delivered; // per Idempotency-Key, 2xx answers
        std::map<QByteArray, int> received;  // per Idempotency-Key, requests read
        int requests = 0;
        auto count = [&] {
            delivered.clear();
            received.clear();
            const std::vector<GatewayRequest> all = gateway.requests();
            requests = int(all.size());
            for (const GatewayRequest &r : all) {
                const QByteArray key = r.headers.value("idempotency-key");
                ++received[key];
                if (r.answered / 100 == 2)
                    ++delivered[key];
            }
            return int(delivered.size());
        };

        QElapsedTimer stopping;
        qint64 stopMs = 0;
        {
            Finished finished;
            GuardianNotifier first(config(gateway.url()), db);
            first.setOutcomeCallback(finished.callback());
            QVERIFY(first.start());
            for (int i = 1; i <= burst; ++i)
                first.notify(request(i));
            // Stopped half way, with requests on the wire, some of them answered slowly.
            QTRY_VERIFY_WITH_TIMEOUT(count() >= burst / 2, 15000);
            stopping.start();
            first.stop();
            stopMs = stopping.elapsed();
        }
        const int beforeRestart = count();

        Finished finished;
        GuardianNotifier second(config(gateway.url()), db);
        second.setOutcomeCallback(finished.callback());
        QVERIFY(second.start());
        const int resumed = int(second.counters().resumed);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), resumed, 15000);
        // The alarms raised again after the restart are taken already: none is sent twice.
        for (int i = 1; i <= burst; i += 7)
            second.notify(request(i));
        second.stop();
        count();

        const std::map<qint64, Row> rows = readRows(db);
        std::map<int, int> spread; // deliveries per key -> keys
        int attemptsOnRecord = 0;
        int attemptsOff = 0;
        QStringList problems;
        for (int i = 1; i <= burst; ++i) {
            const QByteArray key = keyOf(i);
            const int n = delivered.count(key) ? delivered.at(key) : 0;
            ++spread[n];
            const auto row = rows.find(i);
            const Row r = row == rows.end() ? Row{QStringLiteral("missing"), 0} : row->second;
            attemptsOnRecord += r.attempts;
            const int got = received.count(key) ? received.at(key) : 0;
            attemptsOff += r.attempts != got ? 1 : 0;
            if (n != 1 || r.status != QLatin1String("sent") || r.attempts != got)
                problems.append(QStringLiteral("alarm %1: %2 deliveries, row %3 with %4 attempts, %5 requests")
                                    .arg(i)
                                    .arg(n)
                                    .arg(r.status)
                                    .arg(r.attempts)
                                    .arg(got));
        }
        QString summary = QStringLiteral("%1 keys; deliveries per key:").arg(burst);
        for (const auto &[n, keys] : spread)
            summary += QStringLiteral(" %1x%2").arg(n).arg(keys);
        summary += QStringLiteral("; %1 delivered before the restart (stop took %2 ms), %3 resumed; %4 requests at "
                                  "the gateway, %5 attempts on record, %6 keys whose attempts differ")
                       .arg(beforeRestart)
                       .arg(stopMs)
                       .arg(resumed)
                       .arg(requests)
                       .arg(attemptsOnRecord)
                       .arg(attemptsOff);
        qInfo("%s", qPrintable(summary));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
        QCOMPARE(attemptsOnRecord, requests);
        QCOMPARE(int(rows.size()), burst);
        QCOMPARE(second.counters().duplicates, quint64((burst + 6) / 7));
        // stop() waits for what is on the wire, never longer than one request's timeout.
        QVERIFY2(stopMs <= timeoutMs + 1000, qPrintable(QString::number(stopMs)));
    }
};

QTEST_GUILESS_MAIN(TestNotifierLoad)
#include "tst_notifier_load.moc"
