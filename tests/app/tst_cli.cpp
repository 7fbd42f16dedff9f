// gwanje's command line, run as a real process: the headless report, --version, bad arguments.
#include "AppProcess.h"
#include "TestSupport.h"
#include "assets/CameraView.h"
#include "data/AssetLoader.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

class TestCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void version()
    {
        const test::AppRun run = test::runApp({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("gwanje "), run.out.constData());
    }

    void help()
    {
        const test::AppRun run = test::runApp({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--headless"));
        QVERIFY(run.out.contains("--data-dir"));
    }

    void badArgumentsExit2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << QByteArray("frobnicate");
        QTest::newRow("bad language") << QStringList{QStringLiteral("--lang"), QStringLiteral("fr")}
                                      << QByteArray("ko or en");
        QTest::newRow("unknown desk") << QStringList{QStringLiteral("--desk"), QStringLiteral("fire")}
                                      << QByteArray("--desk must be one of");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--lang")} << QByteArray("lang");
        QTest::newRow("no such data dir") << QStringList{QStringLiteral("--data-dir"), QStringLiteral("/nonexistent/x")}
                                          << QByteArray("not a directory");
        QTest::newRow("headless without report") << QStringList{QStringLiteral("--headless")} << QByteArray("--report");
        QTest::newRow("negative duration")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"), QStringLiteral("r.json"),
                           QStringLiteral("--duration"), QStringLiteral("-1")}
            << QByteArray("--duration");
        QTest::newRow("duration not a number")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"), QStringLiteral("r.json"),
                           QStringLiteral("--duration"), QStringLiteral("soon")}
            << QByteArray("--duration");
        QTest::newRow("report without headless")
            << QStringList{QStringLiteral("--report"), QStringLiteral("r.json")} << QByteArray("--headless");
        QTest::newRow("after without screenshot")
            << QStringList{QStringLiteral("--after"), QStringLiteral("2")} << QByteArray("--screenshot");
        QTest::newRow("headless and screenshot")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"), QStringLiteral("r.json"),
                           QStringLiteral("--screenshot"), QStringLiteral("s.png")}
            << QByteArray("cannot be combined");
        QTest::newRow("positional") << QStringList{QStringLiteral("seoul")} << QByteArray("Unexpected argument");
        QTest::newRow("unknown scenario") << QStringList{QStringLiteral("--scenario"), QStringLiteral("earthquake")}
                                          << QByteArray("--scenario must be one of");
        QTest::newRow("too many devices")
            << QStringList{QStringLiteral("--devices"), QStringLiteral("100001")} << QByteArray("--devices");
        QTest::newRow("bad start") << QStringList{QStringLiteral("--start"), QStringLiteral("tomorrow")}
                                   << QByteArray("--start");
        QTest::newRow("replay is no file")
            << QStringList{QStringLiteral("--replay"), QStringLiteral("/nonexistent.ndjson")}
            << QByteArray("is not a file");
        QTest::newRow("sim-seconds zero")
            << QStringList{QStringLiteral("--sim-seconds"), QStringLiteral("0")} << QByteArray("--sim-seconds");
        QTest::newRow("negative speed") << QStringList{QStringLiteral("--speed"), QStringLiteral("-2")}
                                        << QByteArray("--speed");
        // Issue 20, finding 9: a report that cannot be written used to fail only after the run.
        QTest::newRow("report into a missing folder")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"),
                           QStringLiteral("/nonexistent-dir/report.json")}
            << QByteArray("--report: the folder \"/nonexistent-dir\" does not exist");
        QTest::newRow("report into a folder that takes no files") // not even root's
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"),
                           QStringLiteral("/proc/gwanje-report.json")}
            << QByteArray("--report: cannot create a file in \"/proc\"");
        QTest::newRow("report is a folder")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--report"), QDir::tempPath()}
            << QByteArray("is a folder");
    }
    void badArgumentsExit2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        const test::AppRun run = test::runApp(arguments);
        QVERIFY(!run.crashed);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), run.err.constData());
    }

    void headlessReport()
    {
        const QString report = m_dir.filePath(QStringLiteral("report.json"));
        const test::AppRun run = test::runApp({QStringLiteral("--headless"), QStringLiteral("--duration"),
                                               QStringLiteral("1"), QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(test::readFile(report)).object();
        QVERIFY(!o.isEmpty());

        // Expectations from the same data through the library, not constants.
        const LoadResult expected = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR));
        const QJsonObject assets = o.value(QStringLiteral("assets")).toObject();
        QCOMPARE(assets.value(QStringLiteral("camera_sites")).toInt(), expected.registry->count(AssetKind::CameraSite));
        QCOMPARE(assets.value(QStringLiteral("cameras")).toInt(), expected.registry->cameraCount());
        QCOMPARE(assets.value(QStringLiteral("wifi_aps")).toInt(), expected.registry->count(AssetKind::WifiAp));
        QCOMPARE(assets.value(QStringLiteral("sensors")).toInt(), expected.registry->count(AssetKind::Sensor));
        QCOMPARE(assets.value(QStringLiteral("districts")).toInt(), int(expected.registry->districts().size()));
        QVERIFY(assets.value(QStringLiteral("camera_sites")).toInt() > 20000);
        const QJsonArray rejected = o.value(QStringLiteral("rejected")).toArray();
        QCOMPARE(rejected.size(), expected.report.rejected.size());
        QVERIFY(rejected.size() >= 1);
        const QJsonObject first = rejected.first().toObject();
        QCOMPARE(first.value(QStringLiteral("file")).toString(), expected.report.rejected.first().file);
        QCOMPARE(first.value(QStringLiteral("row")).toInteger(), expected.report.rejected.first().row);
        QVERIFY(!first.value(QStringLiteral("reason")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("problems")).toArray().isEmpty());
        QCOMPARE(o.value(QStringLiteral("duration_s")).toDouble(), 1.0);
        QVERIFY(o.value(QStringLiteral("load_ms")).toDouble() > 0);
        QCOMPARE(o.value(QStringLiteral("assets_per_district")).toArray().size(), 26);
        // How the CCTV view directions were read: every site counted once, as the parser says.
        const QJsonObject views = o.value(QStringLiteral("camera_views")).toObject();
        CameraViewStats stats;
        for (const Asset &a : expected.registry->assets()) {
            if (a.kind == AssetKind::CameraSite)
                stats.add(a.direction, parseCameraView(a.direction));
        }
        QCOMPARE(views.value(QStringLiteral("panoramic")).toInt(), stats.panoramic);
        QCOMPARE(views.value(QStringLiteral("with_heading")).toInt(), stats.headingKnown);
        QCOMPARE(views.value(QStringLiteral("unread")).toInt(), stats.unknown);
        QCOMPARE(views.value(QStringLiteral("panoramic")).toInt() + views.value(QStringLiteral("directional")).toInt() +
                     views.value(QStringLiteral("unread")).toInt() + views.value(QStringLiteral("empty")).toInt(),
                 expected.registry->count(AssetKind::CameraSite));
        QVERIFY(stats.unknown > 0 && stats.headingKnown > 0);
    }

    void headlessReportListsBadFiles()
    {
        const QString data = m_dir.filePath(QStringLiteral("broken-data"));
        QVERIFY(test::copyTree(QStringLiteral(GWANJE_DATA_DIR), data));
        QVERIFY(QFile::remove(data + QStringLiteral("/seoul/cctv/seoul_cctv_2018.csv")));
        QVERIFY(
            test::writeFile(data + QStringLiteral("/seoul/boundaries/seoul_municipalities_geo.json"), "{\"type\": "));
        // A clearance of 90 above an alarm limit of 80 would never clear, and routing must be a
        // list: both keep their built-in rules, and both are reported.
        QVERIFY(
            test::writeFile(data + QStringLiteral("/fusion/rules.json"),
                            R"({"thresholds": [{"quantity": "pm10", "above": 80, "clear": 90}], "routing": "ops"})"));
        const QString report = m_dir.filePath(QStringLiteral("broken.json"));
        const test::AppRun run =
            test::runApp({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("0"),
                          QStringLiteral("--data-dir"), data, QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("seoul_cctv_2018.csv: missing_file")); // the log line
        const QJsonObject o = QJsonDocument::fromJson(test::readFile(report)).object();
        QStringList problems;
        for (const QJsonValue &p : o.value(QStringLiteral("problems")).toArray())
            problems.append(p[QStringLiteral("file")].toString() + QLatin1Char(' ') +
                            p[QStringLiteral("code")].toString());
        problems.sort();
        QCOMPARE(problems, (QStringList{QStringLiteral("seoul/boundaries/seoul_municipalities_geo.json unreadable"),
                                        QStringLiteral("seoul/cctv/seoul_cctv_2018.csv missing_file")}));
        const QJsonObject assets = o.value(QStringLiteral("assets")).toObject();
        QCOMPARE(assets.value(QStringLiteral("camera_sites")).toInt(), 0);
        QCOMPARE(assets.value(QStringLiteral("districts")).toInt(), 0);
        QVERIFY(assets.value(QStringLiteral("wifi_aps")).toInt() > 19000); // the rest loaded
        QVERIFY2(o.value(QStringLiteral("rules_problem")).toString().contains(QLatin1String("safe side")),
                 run.err.constData());
        const QJsonArray rulesProblems = o.value(QStringLiteral("rules_problems")).toArray();
        QCOMPARE(rulesProblems.size(), 2);
        QVERIFY(rulesProblems[0].toString().startsWith(QLatin1String("thresholds[0].clear: must be on the safe side")));
        QCOMPARE(rulesProblems[1].toString(), QStringLiteral("routing: expected an array, got a string"));
        QVERIFY(run.err.contains("the built-in rules apply"));
    }

    void scenariosRunHeadless_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("normal") << QStringLiteral("normal");
        QTest::newRow("typhoon") << QStringLiteral("typhoon");
        QTest::newRow("fiber-cut") << QStringLiteral("fiber-cut");
        QTest::newRow("missing-person") << QStringLiteral("missing-person");
    }
    void scenariosRunHeadless()
    {
        // 7.5 simulated minutes as fast as the machine goes: enough for each incident, and the
        // same amount of work on a slow (sanitizer) build.
        QFETCH(QString, scenario);
        const QString report = m_dir.filePath(scenario + QStringLiteral(".json"));
        const test::AppRun run = test::runApp(
            {QStringLiteral("--headless"), QStringLiteral("--scenario"), scenario, QStringLiteral("--speed"),
             QStringLiteral("0"), QStringLiteral("--sim-seconds"), QStringLiteral("450"), QStringLiteral("--devices"),
             QStringLiteral("2000"), QStringLiteral("--report"), report},
            180'000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(test::readFile(report)).object();
        const QJsonObject s = o.value(QStringLiteral("scenario")).toObject();
        QCOMPARE(s.value(QStringLiteral("name")).toString(), scenario);
        QCOMPARE(s.value(QStringLiteral("sim_seconds")).toInt(), 450);
        QCOMPARE(o.value(QStringLiteral("lanes"))
                     .toObject()
                     .value(QStringLiteral("bulk"))
                     .toObject()
                     .value(QStringLiteral("dropped"))
                     .toInt(),
                 0);
        QVERIFY(o.value(QStringLiteral("events_processed")).toDouble() > 50'000);
        QCOMPARE(o.value(QStringLiteral("events_rejected")).toInt(), 0);
        QVERIFY(o.value(QStringLiteral("devices")).toInt() > 1900);
        for (const char *lane : {"critical", "status", "bulk"})
            QVERIFY(o.value(QStringLiteral("lanes")).toObject().contains(QLatin1String(lane)));
        if (scenario == QLatin1String("fiber-cut")) {
            // Every AP of the district goes down in the cut.
            const LoadResult data = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR));
            int aps = -1;
            for (std::size_t d = 0; d < data.registry->districts().size(); ++d) {
                if (data.registry->districts()[d].name == s.value(QStringLiteral("district")).toString())
                    aps = data.registry->countsPerDistrict()[d][std::size_t(AssetKind::WifiAp)];
            }
            QVERIFY(aps > 100);
            QVERIFY(s.value(QStringLiteral("ap_down_events")).toInt() >= aps);
        }
        if (scenario == QLatin1String("typhoon"))
            QVERIFY(s.value(QStringLiteral("ap_down_events")).toInt() >= 200);
        const QJsonObject alarms = o.value(QStringLiteral("alarms")).toObject();
        if (scenario == QLatin1String("missing-person")) {
            QVERIFY(!s.value(QStringLiteral("left_safe_zone_at")).toString().isEmpty());
            // Everyone else is at home at night: the one who walked out is the one alarm.
            QCOMPARE(alarms.value(QStringLiteral("by_type")).toObject().value(QStringLiteral("safe_zone_exit")).toInt(),
                     1);
            // Priority 2 is also a grouped outage's; nothing else of priority 2 may stand.
            const QJsonObject byType = alarms.value(QStringLiteral("by_type")).toObject();
            QCOMPARE(alarms.value(QStringLiteral("by_priority")).toObject().value(QStringLiteral("2")).toInt(),
                     1 + byType.value(QStringLiteral("outage")).toInt());
        }
        // Every SOS the simulator sent stands as one priority-1 alarm.
        QCOMPARE(alarms.value(QStringLiteral("by_type")).toObject().value(QStringLiteral("sos")).toInt() +
                         alarms.value(QStringLiteral("fusion")).toObject().value(QStringLiteral("repeats")).toInt() >=
                     s.value(QStringLiteral("sos")).toInt(),
                 true);
    }

    void logsCarryNoPersonalData()
    {
        // Wearers' ids with positions, and guardians' numbers, must never reach a log line.
        const QString report = m_dir.filePath(QStringLiteral("privacy.json"));
        const test::AppRun run = test::runApp(
            {QStringLiteral("--headless"), QStringLiteral("--scenario"), QStringLiteral("missing-person"),
             QStringLiteral("--speed"), QStringLiteral("0"), QStringLiteral("--sim-seconds"), QStringLiteral("300"),
             QStringLiteral("--devices"), QStringLiteral("500"), QStringLiteral("--report"), report},
            120'000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("simulator:")); // the log was captured
        QVERIFY2(!run.err.contains("010-"), run.err.constData());
        QVERIFY2(!run.err.contains("SD-0"), run.err.constData());
        QVERIFY(!run.out.contains("010-"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
