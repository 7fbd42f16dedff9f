// gwanje-bench must keep printing well-formed lines whose ratio is value / baseline.
#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestBench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { gwanje::test::failOnUnexpectedWarnings(); }

    void quickRunIsWellFormed()
    {
        QProcess bench;
#if defined(__SANITIZE_ADDRESS__)
        // Under AddressSanitizer the map figures (two GUI processes, Mesa) take minutes and
        // measure nothing useful; the map code is exercised by the UI tests.
        bench.start(QStringLiteral(GWANJE_BIN_DIR "/gwanje-bench"),
                    {QStringLiteral("--quick"), QStringLiteral("--no-map")});
#else
        bench.start(QStringLiteral(GWANJE_BIN_DIR "/gwanje-bench"), {QStringLiteral("--quick")});
#endif
        QVERIFY(bench.waitForFinished(240000));
        QCOMPARE(bench.exitStatus(), QProcess::NormalExit);
        QCOMPARE(bench.exitCode(), 0);
        const QList<QByteArray> lines = bench.readAllStandardOutput().trimmed().split('\n');
        QStringList names;
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            for (const char *key : {"name", "value", "unit", "baseline", "ratio"})
                QVERIFY2(o.contains(QLatin1String(key)), line.constData());
            const double value = o.value(QStringLiteral("value")).toDouble();
            // A count of what went wrong (dropped frames) may be 0; every other figure is measured.
            QVERIFY2(value > 0 || (value == 0 && o.value(QStringLiteral("unit")).toString() == QLatin1String("frames")),
                     line.constData());
            if (!o.value(QStringLiteral("baseline")).isNull()) {
                const double baseline = o.value(QStringLiteral("baseline")).toDouble();
                QVERIFY(baseline > 0);
                QVERIFY(qFuzzyCompare(o.value(QStringLiteral("ratio")).toDouble(), value / baseline));
            }
            names.append(o.value(QStringLiteral("name")).toString());
        }
        for (const char *name : {"startup.load_assets_ms", "fusion.positions_per_s", "fusion.nearest_cameras_us",
                                 "alarm.latency_p99_ms", "alarm.latency_during_commands_p99_ms", "alarm.flood_30k_ms"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
#if !defined(__SANITIZE_ADDRESS__)
        // The map figures come from gwanje-mapbench under both scene-graph back ends, the video
        // wall's from gwanje-videobench against a real camsim (under
        // AddressSanitizer, Mesa's own leaks may stop the OpenGL run, so they are not required).
        for (const char *name :
             {"map.frame_ms_100k_software", "map.frame_ms_100k_gl", "map.frame_ms_100k", "map.frame_ms_city",
              "map.vs_qml_items", "map.update_50k_moves_ms", "map.cluster_rebuild_ms", "map.pick_us",
              "startup.first_frame_ms", "startup.data_frame_ms", "startup.rss_mb", "video.ttff_ms",
              "video.latency_p99_ms", "video.wall16_cpu_ratio", "video.wall16_dropped_frames", "video.wall16_rss_mb"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
#endif
    }
};

QTEST_GUILESS_MAIN(TestBench)
#include "tst_bench.moc"
