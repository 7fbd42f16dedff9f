// The JSON form of events (NDJSON replay files, later MQTT payloads) and the replay source.
#include "TestSupport.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"
#include "feeds/EventJson.h"
#include "feeds/NdjsonReplaySource.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

class TestEventJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void parses_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("position")
            << QByteArray(R"({"type":"position","id":"D1","t":1764000000000,"lat":37.6,"lon":126.9,"battery":80})")
            << QString();
        QTest::newRow("iso time") << QByteArray(R"({"type":"sos","id":"D1","t":"2025-11-24T16:00:00.000Z"})")
                                  << QString();
        QTest::newRow("reading")
            << QByteArray(R"({"type":"sensor_reading","id":"S","t":1764000000000,"quantity":"pm25","value":12.5})")
            << QString();
        QTest::newRow("camera") << QByteArray(R"({"type":"camera_health","id":"C","t":1764000000000,"state":"frozen"})")
                                << QString();
        QTest::newRow("lamp")
            << QByteArray(
                   R"({"type":"streetlight_status","id":"L","t":1764000000000,"state":"brokenLantern","power":0})")
            << QString();
        QTest::newRow("report")
            << QByteArray(
                   R"({"type":"citizen_report","id":"app","t":1764000000000,"lat":37.5,"lon":127,"text":"쓰레기 무단투기"})")
            << QString();
        QTest::newRow("not json") << QByteArray("{\"type\":") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::newRow("unknown type") << QByteArray(R"({"type":"teleport","id":"D","t":1764000000000})")
                                      << QStringLiteral("unknown type");
        QTest::newRow("no id") << QByteArray(R"({"type":"sos","t":1764000000000})") << QStringLiteral("\"id\"");
        QTest::newRow("no time") << QByteArray(R"({"type":"sos","id":"D"})") << QStringLiteral("\"t\"");
        // Issue 20, finding 9: a time of year 291 million was stored; 1e300 was called missing.
        QTest::newRow("t of 9.2e18 ms") << QByteArray(R"({"type":"sos","id":"D","t":9200000000000000000})")
                                        << QStringLiteral("source time out of range");
        QTest::newRow("t of 1e300") << QByteArray(R"({"type":"sos","id":"D","t":1e300})")
                                    << QStringLiteral("source time out of range");
        QTest::newRow("t of -1e300") << QByteArray(R"({"type":"sos","id":"D","t":-1e300})")
                                     << QStringLiteral("source time out of range");
        QTest::newRow("t in 1970") << QByteArray(R"({"type":"sos","id":"D","t":5})")
                                   << QStringLiteral("source time out of range");
        QTest::newRow("t in 2100") << QByteArray(R"({"type":"sos","id":"D","t":"2100-01-01T00:00:00Z"})")
                                   << QStringLiteral("source time out of range");
        QTest::newRow("t at the end of 2099")
            << QByteArray(R"({"type":"sos","id":"D","t":"2099-12-31T23:59:59.999Z"})") << QString();
        QTest::newRow("t at 2000") << QByteArray(R"({"type":"sos","id":"D","t":946684800000})") << QString();
        QTest::newRow("bad iso time") << QByteArray(R"({"type":"sos","id":"D","t":"yesterday"})")
                                      << QStringLiteral("ISO 8601");
        QTest::newRow("lat as text") << QByteArray(
                                            R"({"type":"position","id":"D","t":1764000000000,"lat":"NaN","lon":127})")
                                     << QStringLiteral("not a number");
        QTest::newRow("lat out of range")
            << QByteArray(R"({"type":"position","id":"D","t":1764000000000,"lat":91,"lon":127})")
            << QStringLiteral("out of range");
        QTest::newRow("position without lon")
            << QByteArray(R"({"type":"position","id":"D","t":1764000000000,"lat":37})") << QStringLiteral("not finite");
        QTest::newRow("bad quantity")
            << QByteArray(R"({"type":"sensor_reading","id":"S","t":1764000000000,"quantity":"smell","value":1})")
            << QStringLiteral("quantity");
        QTest::newRow("bad camera state")
            << QByteArray(R"({"type":"camera_health","id":"C","t":1764000000000,"state":"sad"})")
            << QStringLiteral("camera");
    }
    void parses()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, error);
        SourceDirectory dir;
        const auto parsed = EventJson::parse(line, dir);
        if (error.isEmpty()) {
            const QString why = std::holds_alternative<QString>(parsed) ? std::get<QString>(parsed) : QString();
            QVERIFY2(std::holds_alternative<Event>(parsed), qPrintable(why));
            // Round trip: the JSON form parses back to the same event.
            const Event &e = std::get<Event>(parsed);
            const auto again = EventJson::parse(EventJson::toLine(e, dir), dir);
            QVERIFY(std::holds_alternative<Event>(again));
            const Event &f = std::get<Event>(again);
            QCOMPARE(f.kind, e.kind);
            QCOMPARE(f.source, e.source);
            QCOMPARE(f.sourceTimeMs, e.sourceTimeMs);
            QCOMPARE(f.status, e.status);
            QCOMPARE(f.quantity, e.quantity);
            QCOMPARE(f.text, e.text);
            QVERIFY(f.latitude == e.latitude || (std::isnan(f.latitude) && std::isnan(e.latitude)));
        } else {
            QVERIFY(std::holds_alternative<QString>(parsed));
            QVERIFY2(std::get<QString>(parsed).contains(error), qPrintable(std::get<QString>(parsed)));
            QCOMPARE(dir.size(), 0); // nothing interned for a rejected line
        }
    }

    void replayCountsAndReportsBadLines()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("day.ndjson"));
        QByteArray file;
        for (int i = 0; i < 50; ++i)
            file += QStringLiteral(R"({"type":"position","id":"D%1","t":%2,"lat":37.5,"lon":127.0})")
                        .arg(i % 5)
                        .arg(1764000000000LL + i)
                        .toUtf8() +
                    '\n';
        file += "garbage line\n"; // line 51
        file += "\n";             // 52: blank, skipped
        file += R"({"type":"position","id":"D9","t":1764000000000,"lat":95,"lon":1})"
                "\n"; // 53
        file += R"({"type":"sos","id":"D1","t":1764000000100})"
                "\n"; // 54
        QVERIFY(test::writeFile(path, file));

        auto dir = std::make_shared<SourceDirectory>();
        EventBus bus;
        std::atomic<int> delivered{0};
        bus.start([&delivered](Lane, std::span<const Event> events) { delivered += int(events.size()); });
        NdjsonReplaySource replay(path, dir);
        QVERIFY(replay.start(bus));
        QTRY_VERIFY(replay.stats().finished);
        QVERIFY(bus.waitUntilIdle(5000));
        const SourceStats s = replay.stats();
        QCOMPARE(s.produced, quint64(51));
        QCOMPARE(delivered.load(), 51);
        QCOMPARE(s.rejected, quint64(2));
        QCOMPARE(s.rejections.size(), 2);
        QCOMPARE(s.rejections[0].line, qint64(51));
        QCOMPARE(s.rejections[1].line, qint64(53));
        QVERIFY(s.rejections[1].reason.contains(QStringLiteral("out of range")));
        QCOMPARE(dir->size(), 5); // D0..D4; D1 also sent the SOS; D9 was rejected
    }

    void missingReplayFile()
    {
        auto dir = std::make_shared<SourceDirectory>();
        EventBus bus;
        NdjsonReplaySource replay(QStringLiteral("/nonexistent/day.ndjson"), dir);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("replay file not found")));
        QVERIFY(!replay.start(bus));
        QVERIFY(replay.stats().error.contains(QStringLiteral("/nonexistent/day.ndjson")));
    }
};

QTEST_GUILESS_MAIN(TestEventJson)
#include "tst_eventjson.moc"
