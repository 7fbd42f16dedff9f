// Behaviour kept through a restructuring (issue 11): the three scenarios, simulated in lockstep
// with a fixed seed and start, must give the counts recorded before it (tests/app/golden/*.json):
// events, alarms by type, priority and desk, grouped members, notifications, what the scenario
// made. A change that means to alter them records them again:
//   GWANJE_GOLDEN_RECORD=1 build/dev/tests/tst_golden
// and the diff of the recorded files shows what changed in review.
#include "AppProcess.h"
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

namespace {

// The counts a behaviour change would move (timings, queue high-water marks and the like vary run
// to run and are left out).
QJsonObject countsOf(const QJsonObject &report)
{
    QJsonObject out;
    for (const char *key : {"events_processed", "events_rejected", "positions_stored", "devices"})
        out.insert(QLatin1String(key), report.value(QLatin1String(key)));
    out.insert(QStringLiteral("alarms"), report.value(QStringLiteral("alarms")));
    out.insert(QStringLiteral("scenario"), report.value(QStringLiteral("scenario")));
    QJsonObject kpis;
    const QJsonObject desks = report.value(QStringLiteral("kpis")).toObject();
    for (auto it = desks.begin(); it != desks.end(); ++it) {
        const QJsonObject d = it.value().toObject();
        QJsonObject kept;
        for (const char *key : {"alarms", "floods", "peak_10min", "priority_mix", "chattering", "stale"})
            kept.insert(QLatin1String(key), d.value(QLatin1String(key)));
        kpis.insert(it.key(), kept);
    }
    out.insert(QStringLiteral("kpis"), kpis);
    QJsonObject lanes;
    const QJsonObject laneStats = report.value(QStringLiteral("lanes")).toObject();
    for (auto it = laneStats.begin(); it != laneStats.end(); ++it) {
        const QJsonObject l = it.value().toObject();
        QJsonObject kept;
        for (const char *key : {"published", "delivered", "dropped", "coalesced"})
            kept.insert(QLatin1String(key), l.value(QLatin1String(key)));
        lanes.insert(it.key(), kept);
    }
    out.insert(QStringLiteral("lanes"), lanes);
    const QJsonObject store = report.value(QStringLiteral("store")).toObject();
    out.insert(QStringLiteral("store"),
               QJsonObject{{QStringLiteral("committed"), store.value(QStringLiteral("committed"))},
                           {QStringLiteral("duplicates"), store.value(QStringLiteral("duplicates"))},
                           {QStringLiteral("journaled"),
                            store.value(QStringLiteral("journal")).toObject().value(QStringLiteral("journaled"))}});
    return out;
}

// Every leaf that differs, as "path: recorded -> now".
void compare(const QJsonValue &want, const QJsonValue &got, const QString &path, QStringList *differences)
{
    if (want.isObject() && got.isObject()) {
        const QJsonObject w = want.toObject(), g = got.toObject();
        QStringList keys = w.keys() + g.keys();
        keys.removeDuplicates();
        for (const QString &key : std::as_const(keys))
            compare(w.value(key), g.value(key), path + QLatin1Char('.') + key, differences);
        return;
    }
    if (want.isArray() && got.isArray() && want.toArray().size() == got.toArray().size()) {
        for (qsizetype i = 0; i < want.toArray().size(); ++i)
            compare(want.toArray().at(i), got.toArray().at(i), path + QStringLiteral("[%1]").arg(i), differences);
        return;
    }
    if (want != got)
        differences->append(QStringLiteral("%1: %2 -> %3")
                                .arg(path,
                                     QString::fromUtf8(QJsonDocument(QJsonArray{want}).toJson(QJsonDocument::Compact)),
                                     QString::fromUtf8(QJsonDocument(QJsonArray{got}).toJson(QJsonDocument::Compact))));
}

} // namespace

class TestGolden : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void scenariosGiveTheRecordedCounts_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char *s : {"fiber-cut", "typhoon", "missing-person"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }

    void scenariosGiveTheRecordedCounts()
    {
        QFETCH(QString, scenario);
        const QString report = m_dir.filePath(scenario + QStringLiteral(".json"));
        const test::AppRun run = test::runApp(
            {QStringLiteral("--headless"), QStringLiteral("--scenario"), scenario, QStringLiteral("--seed"),
             QStringLiteral("11"), QStringLiteral("--start"), QStringLiteral("2026-11-25T10:00:00+09:00"),
             QStringLiteral("--sim-seconds"), QStringLiteral("900"), QStringLiteral("--speed"), QStringLiteral("0"),
             QStringLiteral("--lockstep"), QStringLiteral("--devices"), QStringLiteral("2000"), QStringLiteral("--db"),
             m_dir.filePath(scenario + QStringLiteral(".db")), QStringLiteral("--report"), report},
            120'000);
        QVERIFY2(run.exitCode == 0 && !run.crashed && !run.timedOut, run.err.constData());
        const QJsonObject counts = countsOf(QJsonDocument::fromJson(test::readFile(report)).object());
        QVERIFY(counts.value(QStringLiteral("events_processed")).toInteger() > 0);

        const QString golden =
            QStringLiteral(GWANJE_SOURCE_DIR "/tests/app/golden/") + scenario + QStringLiteral(".json");
        if (qEnvironmentVariableIsSet("GWANJE_GOLDEN_RECORD")) {
            QVERIFY(test::writeFile(golden, QJsonDocument(counts).toJson(QJsonDocument::Indented)));
            QSKIP("recorded");
        }
        QJsonParseError error;
        const QJsonObject want = QJsonDocument::fromJson(test::readFile(golden), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError && !want.isEmpty(), qPrintable(golden));
        QStringList differences;
        compare(want, counts, scenario, &differences);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
