// Guardian notifications over the SMS gateway's webhook: exactly one per alarm and recipient, with
// retries, across a restart, against a real HTTP server on a loopback port and a real SQLite file.
#include "LocalGateway.h"
#include "TestSupport.h"
#include "dispatch/GuardianNotifier.h"
#include "engine/Engine.h"
#include "events/SourceDirectory.h"
#include "feeds/EventJson.h"
#include "feeds/NdjsonReplaySource.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <mutex>

using namespace gwanje;
using gwanje::test::GatewayRequest;
using gwanje::test::LocalGateway;

namespace {
constexpr qint64 t0 = 1'764'082'800'000; // 2025-11-25 15:00 UTC, 2025-11-26 00:00 in Seoul
const QString phoneA = QStringLiteral("010-0000-1234");
const QString phoneB = QStringLiteral("010-0000-5678");

NotificationConfig config(const QString &url, int maxAttempts = 4)
{
    NotificationConfig c;
    c.url = url;
    c.maxAttempts = maxAttempts;
    c.initialBackoffMs = 20;
    c.maxBackoffMs = 80;
    c.timeoutMs = 3000;
    return c;
}

NotificationRequest request(qint64 alarmId, const QString &phone = phoneA)
{
    NotificationRequest r;
    r.alarmId = alarmId;
    r.alarmType = QStringLiteral("safe_zone_exit");
    r.deviceId = QStringLiteral("SD-000042");
    r.wearerCategory = QStringLiteral("dementia");
    r.guardian = {QStringLiteral("보호자 1"), phone};
    r.latitude = 37.6027;
    r.longitude = 126.9291;
    r.district = QStringLiteral("은평구");
    r.raisedAtMs = t0;
    return r;
}

QJsonObject bodyOf(const GatewayRequest &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

qint64 alarmOf(const GatewayRequest &r)
{
    return qint64(bodyOf(r).value(QLatin1String("alarm_id")).toDouble());
}

// How many requests for one alarm (and recipient) the gateway saw, and how many it answered 2xx.
int posts(const LocalGateway &g, qint64 alarmId, const QString &phone = {})
{
    return int(std::count_if(g.requests().begin(), g.requests().end(), [&](const GatewayRequest &r) {
        return alarmOf(r) == alarmId &&
               (phone.isEmpty() || bodyOf(r).value(QLatin1String("recipient")).toString() == phone);
    }));
}

int delivered(const LocalGateway &g, qint64 alarmId, const QString &phone = {})
{
    return int(std::count_if(g.requests().begin(), g.requests().end(), [&](const GatewayRequest &r) {
        return alarmOf(r) == alarmId && r.answered / 100 == 2 &&
               (phone.isEmpty() || bodyOf(r).value(QLatin1String("recipient")).toString() == phone);
    }));
}

// The outcome callback runs on the notifier's thread.
class Outcomes
{
public:
    GuardianNotifier::OutcomeCallback callback()
    {
        return [this](const NotificationRecord &r) {
            std::lock_guard lock(m_mutex);
            m_records.push_back(r);
        };
    }
    int size() const
    {
        std::lock_guard lock(m_mutex);
        return int(m_records.size());
    }
    NotificationRecord at(int i) const
    {
        std::lock_guard lock(m_mutex);
        return m_records.at(std::size_t(i));
    }

private:
    mutable std::mutex m_mutex;
    std::vector<NotificationRecord> m_records;
};

// Every message of the whole run, from every thread, for the privacy check. Warnings a test
// announced are allowed (QTest::ignoreMessage would require them; a case checks the ones it needs
// with logged()); the others are kept to fail that test in cleanup().
struct LogCapture
{
    std::mutex mutex;
    QStringList lines;
    QList<QRegularExpression> expected;
    QStringList unexpected;
    QtMessageHandler previous = nullptr;
};

LogCapture &logCapture()
{
    static LogCapture capture;
    return capture;
}

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    LogCapture &c = logCapture();
    {
        std::lock_guard lock(c.mutex);
        c.lines.append(QString::fromUtf8(context.category ? context.category : "default") + QStringLiteral(": ") +
                       message);
        if (type == QtWarningMsg || type == QtCriticalMsg) {
            if (std::any_of(c.expected.begin(), c.expected.end(),
                            [&](const QRegularExpression &e) { return e.match(message).hasMatch(); }))
                return;
            c.unexpected.append(message);
        }
    }
    c.previous(type, context, message);
}

void expectWarnings(const QString &pattern)
{
    std::lock_guard lock(logCapture().mutex);
    logCapture().expected.append(QRegularExpression(pattern));
}

bool logged(const QString &pattern)
{
    const QRegularExpression e(pattern);
    std::lock_guard lock(logCapture().mutex);
    return std::any_of(logCapture().lines.begin(), logCapture().lines.end(),
                       [&](const QString &line) { return e.match(line).hasMatch(); });
}

// The row as the database has it, read on a connection of the test's own.
struct Row
{
    QString status;
    int attempts = -1;
};

Row readRow(const QString &path, qint64 alarmId, const QString &recipient)
{
    Row row;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db, "SELECT status, attempts FROM notifications WHERE alarm_id = ? AND recipient = ?", -1,
                           &s, nullptr);
        sqlite3_bind_int64(s, 1, alarmId);
        const QByteArray r = recipient.toUtf8();
        sqlite3_bind_text(s, 2, r.constData(), int(r.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(s) == SQLITE_ROW) {
            row.status = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
            row.attempts = sqlite3_column_int(s, 1);
        }
        sqlite3_finalize(s);
    }
    sqlite3_close_v2(db);
    return row;
}
} // namespace

class TestNotifier : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_dbs = 0;

    QString newDatabase() { return m_dir.filePath(QStringLiteral("events-%1.db").arg(++m_dbs)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A proxy from the environment must not stand between the notifier and the loopback port.
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        // Debug lines too: the privacy check covers every line the notifier can write.
        QLoggingCategory::setFilterRules(QStringLiteral("gwanje.core.dispatch.debug=true"));
        logCapture().previous = qInstallMessageHandler(captureMessage);
    }

    void cleanupTestCase() { qInstallMessageHandler(logCapture().previous); }

    void init()
    {
        test::failOnUnexpectedWarnings();
        std::lock_guard lock(logCapture().mutex);
        logCapture().expected.clear();
        logCapture().unexpected.clear();
    }

    void cleanup()
    {
        std::lock_guard lock(logCapture().mutex);
        QVERIFY2(logCapture().unexpected.isEmpty(), qPrintable(logCapture().unexpected.join(QLatin1Char('\n'))));
    }

    void retriesThenDelivers()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({503, 503});
        const QString db = newDatabase();
        // What the database says at the moment each POST arrives: the attempt is on record first.
        std::vector<Row> atArrival;
        gateway.setRequestHook(
            [&](const GatewayRequest &) { atArrival.push_back(readRow(db, 1, QStringLiteral("01000001234"))); });

        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), db);
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        QVERIFY(notifier.status().durable);
        notifier.notify(request(1));

        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 3);
        QCOMPARE(outcomes.at(0).recipient, QStringLiteral("guardian (…1234)"));
        notifier.stop(); // nothing can arrive after this
        QCOMPARE(gateway.count(), 3);
        QCOMPARE(delivered(gateway, 1), 1);
        QCOMPARE(outcomes.size(), 1);

        QCOMPARE(atArrival.size(), std::size_t(3));
        QCOMPARE(atArrival[0].status, QStringLiteral("pending"));
        QCOMPARE(atArrival[0].attempts, 1);
        QCOMPARE(atArrival[1].status, QStringLiteral("retrying"));
        QCOMPARE(atArrival[1].attempts, 2);
        QCOMPARE(atArrival[2].attempts, 3);
        const Row final = readRow(db, 1, QStringLiteral("01000001234"));
        QCOMPARE(final.status, QStringLiteral("sent"));
        QCOMPARE(final.attempts, 3);

        const std::vector<NotificationRecord> records = notifier.records(1);
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].status, QStringLiteral("sent"));
        QCOMPARE(records[0].attempts, 3);
        QVERIFY(records[0].error.isEmpty());
        const NotifierCounters c = notifier.counters();
        QCOMPARE(c.requested, 1ull);
        QCOMPARE(c.sent, 1ull);
        QCOMPARE(c.failed, 0ull);
        QCOMPARE(c.retries, 2ull);
        QCOMPARE(c.pending, 0ull);
        QCOMPARE(c.duplicates, 0ull);
    }

    void repeatedNotifyPostsOnce_data()
    {
        QTest::addColumn<bool>("durable");
        QTest::newRow("database") << true;
        QTest::newRow("memory only") << false;
    }

    void repeatedNotifyPostsOnce()
    {
        QFETCH(bool, durable);
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), durable ? newDatabase() : QString());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        QCOMPARE(notifier.status().durable, durable);

        notifier.notify(request(2));
        NotificationRequest again = request(2);
        again.guardian.phone = QStringLiteral("01000001234"); // the same number written differently
        notifier.notify(again);
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.notify(request(2)); // after the outcome: memory no longer holds it with a database
        notifier.stop();             // takes every request handed over before it returns

        QCOMPARE(gateway.count(), 1);
        QCOMPARE(outcomes.size(), 1);
        const NotifierCounters c = notifier.counters();
        QCOMPARE(c.requested, 3ull);
        QCOMPARE(c.duplicates, 2ull);
        QCOMPARE(c.sent, 1ull);
        QCOMPARE(c.pending, 0ull);
    }

    void twoGuardiansEachOnce()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(3, phoneA));
        notifier.notify(request(3, phoneB));
        notifier.notify(request(3, phoneA));
        QTRY_COMPARE(outcomes.size(), 2);
        notifier.stop();

        QCOMPARE(gateway.count(), 2);
        QCOMPARE(delivered(gateway, 3, QStringLiteral("01000001234")), 1);
        QCOMPARE(delivered(gateway, 3, QStringLiteral("01000005678")), 1);
        const std::vector<NotificationRecord> records = notifier.records(3);
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[0].recipient, QStringLiteral("guardian (…1234)"));
        QCOMPARE(records[1].recipient, QStringLiteral("guardian (…5678)"));
        QVERIFY(std::all_of(records.begin(), records.end(), [](const NotificationRecord &r) {
            return r.status == QLatin1String("sent") && r.attempts == 1;
        }));
        QCOMPARE(notifier.counters().duplicates, 1ull);
    }

    void answerDecidesRetry_data()
    {
        QTest::addColumn<int>("first");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<int>("attempts");
        // A request the gateway refuses will be refused again: failed at once.
        QTest::newRow("400") << 400 << "failed" << 1;
        QTest::newRow("404") << 404 << "failed" << 1;
        QTest::newRow("302 (no redirect for a POST)") << 302 << "failed" << 1;
        // Busy or broken: the next answer (200) delivers.
        QTest::newRow("429") << 429 << "sent" << 2;
        QTest::newRow("500") << 500 << "sent" << 2;
        QTest::newRow("503") << 503 << "sent" << 2;
    }

    void answerDecidesRetry()
    {
        QFETCH(int, first);
        QFETCH(QString, outcome);
        QFETCH(int, attempts);
        if (outcome == QLatin1String("failed"))
            expectWarnings(QStringLiteral("alarm 4: guardian \\(…1234\\) could not be notified after 1 attempt"));
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({first});
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(4));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();

        QCOMPARE(outcomes.at(0).status, outcome);
        QCOMPARE(outcomes.at(0).attempts, attempts);
        QCOMPARE(gateway.count(), attempts);
        if (outcome == QLatin1String("failed")) {
            QCOMPARE(outcomes.at(0).error, QStringLiteral("HTTP %1").arg(first));
            QCOMPARE(notifier.counters().failed, 1ull);
            QCOMPARE(notifier.counters().retries, 0ull);
            QCOMPARE(notifier.records(4).at(0).status, QStringLiteral("failed"));
        }
    }

    void gatewayDownFailsAfterMaxAttempts()
    {
        expectWarnings(QStringLiteral("alarm 5: guardian \\(…1234\\) could not be notified after 3 attempt"));
        quint16 port = 0;
        {
            LocalGateway closed; // a port that was free a moment ago: nothing listens there now
            QVERIFY(closed.listen());
            port = closed.port();
        }
        Outcomes outcomes;
        GuardianNotifier notifier(config(QStringLiteral("http://127.0.0.1:%1/sms").arg(port), 3), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(5));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();

        QCOMPARE(outcomes.at(0).status, QStringLiteral("failed"));
        QCOMPARE(outcomes.at(0).attempts, 3);
        QCOMPARE(outcomes.at(0).error, QStringLiteral("network: ConnectionRefusedError"));
        const NotifierCounters c = notifier.counters();
        QCOMPARE(c.requested, 1ull);
        QCOMPARE(c.sent, 0ull);
        QCOMPARE(c.failed, 1ull);
        QCOMPARE(c.retries, 2ull);
        QCOMPARE(c.pending, 0ull);
        QVERIFY(
            logged(QStringLiteral("alarm 5: guardian \\(…1234\\) not reached \\(network: ConnectionRefusedError\\), "
                                  "attempt 1 of 3; next in \\d+ ms")));
    }

    void silentGatewayTimesOut()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({LocalGateway::Hold});
        NotificationConfig c = config(gateway.url());
        c.timeoutMs = 300;
        Outcomes outcomes;
        GuardianNotifier notifier(c, newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(6));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();

        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 2);
        QCOMPARE(gateway.count(), 2);
        QVERIFY(logged(QStringLiteral("alarm 6: .* not reached \\(timeout after 300 ms\\)")));
    }

    void restartResumesAndNeverResends()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        const QString db = newDatabase();
        {
            NotificationConfig slow = config(gateway.url());
            slow.initialBackoffMs = 60'000; // still waiting to retry when it is stopped
            slow.maxBackoffMs = 60'000;
            Outcomes outcomes;
            GuardianNotifier first(slow, db);
            first.setOutcomeCallback(outcomes.callback());
            QVERIFY(first.start());
            first.notify(request(8)); // delivered before the restart
            QTRY_COMPARE(outcomes.size(), 1);
            gateway.setFallback(503);
            first.notify(request(7));
            QTRY_COMPARE(first.records(7).at(0).status, QStringLiteral("retrying"));
            QCOMPARE(posts(gateway, 7), 1);
        } // stopped while retrying
        QCOMPARE(readRow(db, 7, QStringLiteral("01000001234")).status, QStringLiteral("retrying"));

        gateway.setFallback(200);
        Outcomes outcomes;
        GuardianNotifier second(config(gateway.url()), db);
        second.setOutcomeCallback(outcomes.callback());
        QVERIFY(second.start());
        QCOMPARE(second.counters().resumed, 1ull);
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.at(0).alarmId, 7LL);
        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 2); // one in each run
        second.notify(request(7));
        second.notify(request(8));
        second.stop();

        QCOMPARE(posts(gateway, 7), 2);
        QCOMPARE(delivered(gateway, 7), 1);
        QCOMPARE(posts(gateway, 8), 1); // sent before the restart: never again
        QCOMPARE(second.counters().duplicates, 2ull);
        QCOMPARE(second.records(8).at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.size(), 1);
    }

    void stopWithRequestInFlight()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({LocalGateway::Hold});
        const QString db = newDatabase();
        NotificationConfig c = config(gateway.url());
        c.timeoutMs = 400;
        {
            GuardianNotifier first(c, db);
            QVERIFY(first.start());
            first.notify(request(9));
            QTRY_COMPARE(gateway.count(), 1);
            QElapsedTimer stopping;
            stopping.start();
            first.stop(); // waits for the silent gateway no longer than the request's timeout
            QVERIFY2(stopping.elapsed() < 2000, qPrintable(QString::number(stopping.elapsed())));
            QCOMPARE(first.counters().pending, 1ull);
        }
        const Row row = readRow(db, 9, QStringLiteral("01000001234"));
        QCOMPARE(row.status, QStringLiteral("retrying"));
        QCOMPARE(row.attempts, 1);

        Outcomes outcomes;
        GuardianNotifier second(c, db);
        second.setOutcomeCallback(outcomes.callback());
        QVERIFY(second.start());
        QTRY_COMPARE(outcomes.size(), 1);
        second.stop();
        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 2);
        QCOMPARE(gateway.count(), 2);
        QCOMPARE(delivered(gateway, 9), 1);
        // The gateway can tell the resent request from a new one.
        QCOMPARE(gateway.requests()[1].headers.value("idempotency-key"),
                 gateway.requests()[0].headers.value("idempotency-key"));
    }

    void stopWaitsForTheAnswerOnTheWire()
    {
        // A slow gateway delivered; stop() waits for its answer, so the next run does not send again.
        test::GatewayThread gateway([](const GatewayRequest &, int) { return test::GatewayAnswer{200, 300, false}; });
        QVERIFY(gateway.listening());
        const QString db = newDatabase();
        {
            Outcomes outcomes;
            GuardianNotifier first(config(gateway.url()), db);
            first.setOutcomeCallback(outcomes.callback());
            QVERIFY(first.start());
            first.notify(request(13));
            QTRY_COMPARE(gateway.count(), 1);
            first.stop();
            QCOMPARE(outcomes.size(), 1);
            QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
            QCOMPARE(first.counters().pending, 0ull);
        }
        QCOMPARE(readRow(db, 13, QStringLiteral("01000001234")).status, QStringLiteral("sent"));
        GuardianNotifier second(config(gateway.url()), db);
        QVERIFY(second.start());
        QCOMPARE(second.counters().resumed, 0ull);
        second.stop();
        QCOMPARE(gateway.count(), 1);
    }

    void droppedConnectionIsOneAttempt()
    {
        // The gateway reads the request and closes the connection: one attempt, one request, then a
        // retry of our own (Qt's network access manager would have resent it unseen).
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.setResponder([](const GatewayRequest &, int index) { return test::GatewayAnswer{200, 0, index == 0}; });
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(14));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();
        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 2);
        QCOMPARE(gateway.count(), 2);
        QVERIFY(logged(QStringLiteral("alarm 14: .* not reached \\(network: RemoteHostClosedError\\)")));
    }

    void interimAnswerIsNotTheOutcome()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.setResponder([](const GatewayRequest &, int) { return test::GatewayAnswer{200, 0, false, 100}; });
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(15));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();
        QCOMPARE(outcomes.at(0).status, QStringLiteral("sent"));
        QCOMPARE(outcomes.at(0).attempts, 1);
    }

    void boundedRequestsOnTheWire()
    {
        // A burst waits in the notifier's own queue, not in the network stack with its timeout
        // running: at most four requests are open at once, and only those count an attempt.
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.setResponder([](const GatewayRequest &, int) { return test::GatewayAnswer{200, 600, false}; });
        const QString db = newDatabase();
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), db);
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        for (int i = 0; i < 10; ++i)
            notifier.notify(request(100 + i, QStringLiteral("010-0000-%1").arg(1000 + i)));
        QTRY_COMPARE(gateway.count(), 4);
        // The others wait for room: no fifth request while the four are unanswered (600 ms).
        QVERIFY(!QTest::qWaitFor([&] { return gateway.count() > 4; }, 200));
        QCOMPARE(gateway.count(), 4);
        int attempts = 0;
        for (int i = 0; i < 10; ++i)
            attempts += std::max(0, readRow(db, 100 + i, QStringLiteral("0100000%1").arg(1000 + i)).attempts);
        QCOMPARE(attempts, 4);
        QTRY_COMPARE(outcomes.size(), 10);
        notifier.stop();
        QCOMPARE(gateway.count(), 10); // none timed out waiting its turn
    }

    void requestCarriesJsonAndStableKey()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({503, 500});
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), newDatabase());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        notifier.notify(request(10));
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();

        QCOMPARE(gateway.count(), 3);
        const QByteArray key = gateway.requests()[0].headers.value("idempotency-key");
        QVERIFY2(QRegularExpression(QStringLiteral("^10-[0-9a-f]{16}$")).match(QString::fromLatin1(key)).hasMatch(),
                 key.constData());
        for (const GatewayRequest &r : gateway.requests()) {
            QCOMPARE(r.method, QByteArray("POST"));
            QCOMPARE(r.path, QByteArray("/sms"));
            QVERIFY(r.headers.value("content-type").startsWith("application/json"));
            QCOMPARE(r.headers.value("idempotency-key"), key);
            QCOMPARE(r.body, gateway.requests()[0].body);
        }
        QJsonParseError error;
        const QJsonObject body = QJsonDocument::fromJson(gateway.requests()[0].body, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(body.value(QLatin1String("alarm_id")).toInteger(), 10LL);
        QCOMPARE(body.value(QLatin1String("alarm_type")).toString(), QStringLiteral("safe_zone_exit"));
        QCOMPARE(body.value(QLatin1String("device_id")).toString(), QStringLiteral("SD-000042"));
        QCOMPARE(body.value(QLatin1String("wearer_category")).toString(), QStringLiteral("dementia"));
        QCOMPARE(body.value(QLatin1String("district")).toString(), QStringLiteral("은평구"));
        QCOMPARE(body.value(QLatin1String("recipient")).toString(), QStringLiteral("01000001234"));
        QCOMPARE(body.value(QLatin1String("raised_at")).toString(), QStringLiteral("2025-11-25T15:00:00.000Z"));
        QCOMPARE(body.value(QLatin1String("text")).toString(),
                 QStringLiteral("[관제] SD-000042 착용자(치매) 안심구역 이탈 00:00 은평구 위치 37.60270,126.92910"));
    }

    void smsWithoutAPositionSaysSo()
    {
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        Outcomes outcomes;
        GuardianNotifier notifier(config(gateway.url()), QString());
        notifier.setOutcomeCallback(outcomes.callback());
        QVERIFY(notifier.start());
        NotificationRequest sos = request(12);
        sos.alarmType = QStringLiteral("sos");
        sos.wearerCategory = QStringLiteral("child");
        sos.latitude = sos.longitude = NotificationRequest().latitude; // unknown
        notifier.notify(sos);
        QTRY_COMPARE(outcomes.size(), 1);
        notifier.stop();
        QCOMPARE(bodyOf(gateway.requests().at(0)).value(QLatin1String("text")).toString(),
                 QStringLiteral("[관제] SD-000042 착용자(아동) 긴급호출(SOS) 00:00 은평구 위치 미상"));
    }

    void refusesToStartWithoutAUsableUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QString() << 3 << "no_url";
        QTest::newRow("blank") << "  " << 3 << "no_url";
        QTest::newRow("not a URL") << "gateway" << 3 << "bad_url";
        QTest::newRow("no host") << "http:///sms" << 3 << "bad_url";
        QTest::newRow("ftp") << "ftp://sms.example.org/send" << 3 << "bad_url";
        QTest::newRow("bad host") << "http://sms gateway/send?token=s3cret" << 3 << "bad_url";
        QTest::newRow("no attempts") << "http://127.0.0.1:9/sms" << 0 << "bad_config";
    }

    void refusesToStartWithoutAUsableUrl()
    {
        QFETCH(QString, url);
        QFETCH(int, maxAttempts);
        QFETCH(QString, code);
        expectWarnings(QStringLiteral("^guardian notifications are off: "));
        expectWarnings(QStringLiteral("^alarm 11: guardian not notified: the notifier is not running$"));
        GuardianNotifier notifier(config(url, maxAttempts), newDatabase());
        QVERIFY(!notifier.start());
        const NotifierStatus status = notifier.status();
        QVERIFY(!status.running);
        QCOMPARE(errorCodeName(status.code), code);
        QCOMPARE(status.category, ErrorCategory::BadInput);
        QVERIFY(!status.detail.isEmpty());
        QVERIFY2(!status.detail.contains(QLatin1String("s3cret")), qPrintable(status.detail));
        notifier.notify(request(11));
        QCOMPARE(notifier.counters().rejected, 1ull);
        QCOMPARE(notifier.counters().pending, 0ull);
        notifier.stop(); // harmless when never started
    }

    // Runs last: every line logged by every case above, from every thread.
    void logsCarryNoPersonalData()
    {
        std::lock_guard lock(logCapture().mutex);
        const QStringList &lines = logCapture().lines;
        // The capture works and saw the notifier at its most verbose.
        QVERIFY(std::any_of(lines.begin(), lines.end(), [](const QString &l) {
            return l.startsWith(QStringLiteral("gwanje.core.dispatch: alarm 1: notifying guardian (…1234), attempt 1"));
        }));
        const QStringList personal{phoneA,
                                   phoneB,
                                   QStringLiteral("01000001234"),
                                   QStringLiteral("01000005678"),
                                   QStringLiteral("0000-1234"),
                                   QStringLiteral("SD-0"),
                                   QStringLiteral("37.60"),
                                   QStringLiteral("126.92"),
                                   QStringLiteral("s3cret")};
        for (const QString &line : lines) {
            for (const QString &p : personal)
                QVERIFY2(!line.contains(p), qPrintable(line));
        }
    }

    void engineNotifiesEachGuardianOnceAndRecordsIt()
    {
        // The whole path: an SOS through the engine raises an alarm, each guardian of the wearer
        // gets one POST (the gateway fails once), and the outcome lands in the alarm's history.
        LocalGateway gateway;
        QVERIFY(gateway.listen());
        gateway.script({503});
        QTemporaryDir dir;
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 10'000;
        SourceDirectory names;
        Event sos;
        sos.kind = EventKind::Sos;
        sos.source = names.intern(QStringLiteral("SD-000042"));
        sos.sourceTimeMs = sos.receiveTimeMs = t0;
        sos.sourceEventId = 7;
        sos.latitude = 37.6027;
        sos.longitude = 126.9291;
        Event again = sos; // re-delivered: no second alarm, no second SMS
        const QString path = dir.filePath(QStringLiteral("sos.ndjson"));
        QVERIFY(test::writeFile(path, EventJson::toLine(sos, names) + '\n' + EventJson::toLine(again, names) + '\n'));

        EngineOptions options;
        options.databasePath = dir.filePath(QStringLiteral("events.db"));
        Engine engine(options);
        QVERIFY(engine.openStore());
        FusionConfig rules = FusionConfig::defaults();
        rules.notifications = config(gateway.url());
        engine.setFusionConfig(rules);
        SafetyDevice wearer;
        wearer.id = QStringLiteral("SD-000042");
        wearer.category = WearerCategory::Child;
        wearer.guardians = {{QStringLiteral("김보호"), QStringLiteral("010-0000-1234")},
                            {QStringLiteral("이보호"), QStringLiteral("010-0000-5678")}};
        engine.setRoster({wearer});
        engine.addSource(std::make_unique<NdjsonReplaySource>(path, engine.sourceDirectory(), 0.0));
        QVERIFY(engine.start());
        QVERIFY(engine.notifierStatus().running);
        QTRY_VERIFY_WITH_TIMEOUT(engine.drained(100), 10000);
        const auto alarms = engine.openAlarms();
        QCOMPARE(alarms.size(), 1u);
        const qint64 id = alarms[0].id;
        QTRY_COMPARE_WITH_TIMEOUT(int(engine.notifications(id).size()), 2, 10000);
        auto allSent = [&] {
            const auto records = engine.notifications(id);
            return std::all_of(records.begin(), records.end(),
                               [](const NotificationRecord &r) { return r.status == QLatin1String("sent"); });
        };
        QTRY_VERIFY_WITH_TIMEOUT(allSent(), 10000);
        QCOMPARE(gateway.count(), 3); // one retried
        auto notified = [&] {
            const auto history = engine.alarmHistory(id);
            return int(std::count_if(history.begin(), history.end(),
                                     [](const AlarmHistoryEntry &h) { return h.action == QLatin1String("notify"); }));
        };
        QTRY_COMPARE_WITH_TIMEOUT(notified(), 2, 10000);
        for (const AlarmHistoryEntry &h : engine.alarmHistory(id))
            QVERIFY2(!h.reason.contains(QLatin1String("0000-")), qPrintable(h.reason)); // redacted
        const QJsonObject report = engine.report().value(QStringLiteral("notifications")).toObject();
        QCOMPARE(report.value(QStringLiteral("sent")).toInt(), 2);
        QCOMPARE(report.value(QStringLiteral("failed")).toInt(), 0);
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
