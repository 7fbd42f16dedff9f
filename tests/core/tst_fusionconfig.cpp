// rules.json, the fusion rules a city edits: every key's type is checked, unknown keys are named
// with their JSON path, and what is wrong keeps the built-in rules while the rest applies.
#include "TestSupport.h"
#include "fusion/FusionConfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

namespace {

struct Loaded
{
    FusionConfig config;
    QStringList problems;
};

Loaded load(const QByteArray &json)
{
    Loaded out;
    out.config = FusionConfig::fromJson(json, &out.problems);
    return out;
}

// Every setting as text, so two configurations compare in one QCOMPARE that shows the difference.
QString describe(const FusionConfig &c)
{
    QStringList lines;
    lines << QStringLiteral("geofence %1 m %2 ms").arg(c.geofence.hysteresisMetres).arg(c.geofence.dwellMs);
    QStringList types = c.priorities.keys();
    types.sort();
    for (const QString &type : types)
        lines << QStringLiteral("priority %1 %2").arg(type).arg(c.priorities.value(type));
    lines << QStringLiteral("grace %1 %2 %3 %4 %5 %6 %7")
                 .arg(c.graceOf(QStringLiteral("device_offline")))
                 .arg(c.deviceSilentMs)
                 .arg(c.graceOf(QStringLiteral("camera_offline")))
                 .arg(c.graceOf(QStringLiteral("camera_frozen")))
                 .arg(c.graceOf(QStringLiteral("ap_offline")))
                 .arg(c.graceOf(QStringLiteral("shelter_offline")))
                 .arg(c.graceOf(QStringLiteral("streetlight_fault")));
    lines << QStringLiteral("battery %1 %2").arg(c.lowBatteryPercent).arg(c.lowBatteryClearPercent);
    lines << QStringLiteral("grouping %1 %2").arg(c.groupMinMembers).arg(c.groupWindowMs);
    for (const ThresholdRule &r : c.thresholds)
        lines << QStringLiteral("threshold %1 %2 %3 on %4 off %5 delays %6 %7 priority %8 medium %9")
                     .arg(r.name, quantityName(r.quantity), r.above ? QStringLiteral("above") : QStringLiteral("below"))
                     .arg(r.on)
                     .arg(r.off)
                     .arg(r.onDelayMs)
                     .arg(r.offDelayMs)
                     .arg(r.priority)
                     .arg(r.medium ? int(*r.medium) : -1);
    lines << QStringLiteral("flood %1 %2 %3").arg(c.floodWindowMs).arg(c.floodBeginAbove).arg(c.floodEndBelow);
    for (const RouteRule &r : c.routes)
        lines << QStringLiteral("route [%1] %2 [%3] -> [%4]")
                     .arg(r.types.join(u','))
                     .arg(r.maxPriority)
                     .arg(r.districts.join(u','), r.desks.join(u','));
    lines << QStringLiteral("escalation %1 %2 %3").arg(c.escalationDesk).arg(c.escalateAfterMs).arg(c.remindEveryMs);
    types = c.procedures.keys();
    types.sort();
    for (const QString &type : types)
        lines << QStringLiteral("procedure %1: %2 | %3")
                     .arg(type, c.procedures.value(type).stepsKo.join(u';'),
                          c.procedures.value(type).stepsEn.join(u';'));
    const NotificationConfig &n = c.notifications;
    lines << QStringLiteral("notifications %1 [%2] %3 %4 %5 %6")
                 .arg(n.url, n.types.join(u','))
                 .arg(n.maxAttempts)
                 .arg(n.initialBackoffMs)
                 .arg(n.maxBackoffMs)
                 .arg(n.timeoutMs);
    lines << QStringLiteral("kpi %1 dedup %2").arg(c.kpiWindowMs).arg(c.dedupMemory);
    return lines.join(u'\n');
}

} // namespace

class TestFusionConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    // Issue 20, finding 8: each of these was accepted without a word and changed what alarms.
    void wrongTypesKeepTheBuiltInRules_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        // Read as 0: every PM10 reading was above the limit (12 alarms in 30 minutes instead of 0).
        QTest::newRow("above as a string")
            << QByteArray(R"({"thresholds": [{"name": "pm10_bad", "quantity": "pm10", "above": "80", "clear": 70}]})")
            << QStringLiteral("thresholds[0].above: expected a number, got a string");
        // Read as an empty list: no threshold alarm at all on a bad-air day (0 instead of 35).
        QTest::newRow("thresholds as an object")
            << QByteArray(R"({"thresholds": {"pm10_bad": {"quantity": "pm10", "above": 80, "clear": 70}}})")
            << QStringLiteral("thresholds: expected an array, got an object");
        // Read as no rules: everything went to ops only, nothing to police-112 and fire-119.
        QTest::newRow("routing as a string")
            << QByteArray(R"({"routing": "ops"})") << QStringLiteral("routing: expected an array, got a string");
        QTest::newRow("desks as a string") << QByteArray(R"({"routing": [{"types": ["sos"], "desks": "police-112"}]})")
                                           << QStringLiteral("routing[0].desks: expected an array, got a string");
        QTest::newRow("priority as a string")
            << QByteArray(R"({"priorities": {"sos": "1"}})")
            << QStringLiteral("priorities.sos: expected a whole number, got a string");
        QTest::newRow("members not whole") << QByteArray(R"({"grouping": {"min_members": 2.5}})")
                                           << QStringLiteral("grouping.min_members: expected a whole number, got 2.5");
        QTest::newRow("grace as an array")
            << QByteArray(R"({"grace": [60]})") << QStringLiteral("grace: expected an object, got an array");
        QTest::newRow("step as a number")
            << QByteArray(R"({"procedures": {"sos": {"ko": ["a", 2], "en": ["a", "b"]}}})")
            << QStringLiteral("procedures.sos.ko[1]: expected a string, got a number");
        QTest::newRow("null") << QByteArray(R"({"escalation": {"desk": null}})")
                              << QStringLiteral("escalation.desk: expected a string, got null");
        QTest::newRow("boolean") << QByteArray(R"({"flood": {"window_s": true}})")
                                 << QStringLiteral("flood.window_s: expected a number, got a boolean");
        QTest::newRow("url as a number") << QByteArray(R"({"notifications": {"url": 8080}})")
                                         << QStringLiteral("notifications.url: expected a string, got a number");
    }
    void wrongTypesKeepTheBuiltInRules()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        const Loaded loaded = load(json);
        QCOMPARE(loaded.problems, QStringList{problem});
        QCOMPARE(describe(loaded.config), describe(FusionConfig::defaults()));
    }

    void unknownKeysAreNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem"); // how the one problem starts
        QTest::newRow("top level") << QByteArray(R"({"thresholdz": []})")
                                   << QStringLiteral("thresholdz: unknown key (known: geofence, priorities,");
        QTest::newRow("in a threshold")
            << QByteArray(R"({"thresholds": [{"quantity": "pm10", "above": 150, "clear": 130},
                                             {"quantity": "pm10", "abvoe": 80}]})")
            << QStringLiteral("thresholds[1].abvoe: unknown key (known: name, quantity, medium, above, below,");
        QTest::newRow("in a section") << QByteArray(R"({"grace": {"camera_ofline_s": 30}})")
                                      << QStringLiteral("grace.camera_ofline_s: unknown key");
        QTest::newRow("in a procedure") << QByteArray(R"({"procedures": {"sos": {"kr": ["a"], "en": ["a"]}}})")
                                        << QStringLiteral("procedures.sos.kr: unknown key (known: ko, en)");
        QTest::newRow("alarm type of a priority")
            << QByteArray(R"({"priorities": {"sso": 1}})") << QStringLiteral("priorities.sso: unknown alarm type");
        QTest::newRow("alarm type of a route")
            << QByteArray(R"({"routing": [{"types": ["sos", "fal"], "desks": ["ops"]}]})")
            << QStringLiteral("routing[0].types[1]: unknown alarm type \"fal\"");
        QTest::newRow("alarm type of a procedure")
            << QByteArray(R"({"procedures": {"s0s": {"ko": ["a"], "en": ["a"]}}})")
            << QStringLiteral("procedures.s0s: unknown alarm type");
    }
    void unknownKeysAreNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        const Loaded loaded = load(json);
        QCOMPARE(loaded.problems.size(), 1);
        QVERIFY2(loaded.problems.first().startsWith(problem), qPrintable(loaded.problems.first()));
        QCOMPARE(describe(loaded.config), describe(FusionConfig::defaults()));
    }

    // Values of the right type that make no sense are named with their path too.
    void badValuesNameTheirPath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem"); // how the one problem starts
        QTest::newRow("clear on the wrong side")
            << QByteArray(R"({"thresholds": [{"quantity": "pm10", "above": 80, "clear": 90}]})")
            << QStringLiteral("thresholds[0].clear: must be on the safe side of the limit");
        QTest::newRow("neither above nor below") << QByteArray(R"({"thresholds": [{"quantity": "pm10"}]})")
                                                 << QStringLiteral("thresholds[0]: give either \"above\" or \"below\"");
        QTest::newRow("unknown quantity") << QByteArray(R"({"thresholds": [{"quantity": "smell", "above": 1}]})")
                                          << QStringLiteral("thresholds[0].quantity: unknown quantity \"smell\"");
        QTest::newRow("priority 7") << QByteArray(R"({"priorities": {"sos": 7}})")
                                    << QStringLiteral("priorities.sos: must be 1 to 4");
        QTest::newRow("negative grace") << QByteArray(R"({"grace": {"camera_offline_s": -5}})")
                                        << QStringLiteral("grace.camera_offline_s: must be 0 to 31536000 seconds");
        QTest::newRow("a window of 1e300 s")
            << QByteArray(R"({"kpi": {"window_s": 1e300}})")
            << QStringLiteral("kpi.window_s: must be more than 0 and at most 31536000 seconds");
        QTest::newRow("route without desks") << QByteArray(R"({"routing": [{"types": ["sos"], "desks": []}]})")
                                             << QStringLiteral("routing[0].desks: a routing rule needs desks");
        QTest::newRow("checklists differ")
            << QByteArray(R"({"procedures": {"sos": {"ko": ["a", "b"], "en": ["a"]}}})")
            << QStringLiteral("procedures.sos: the Korean and English checklists differ in length");
    }
    void badValuesNameTheirPath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        const Loaded loaded = load(json);
        QCOMPARE(loaded.problems.size(), 1);
        QVERIFY2(loaded.problems.first().startsWith(problem), qPrintable(loaded.problems.first()));
        QCOMPARE(describe(loaded.config), describe(FusionConfig::defaults()));
    }

    // The policy: a top-level section with any problem keeps its built-in rules as a whole; the
    // file's other sections apply, and every problem is listed, section by section.
    void aBadSectionKeepsOnlyThatSectionBuiltIn()
    {
        const Loaded loaded = load(R"({
            "grace": {"camera_offline_s": 30},
            "priorities": {"sos": 1, "fall": "1"},
            "thresholds": [{"name": "pm10_bad", "quantity": "pm10", "above": "80", "clear": 70, "on_delay_s": "600"}],
            "routing": [{"types": ["fall"], "desks": ["fire-119"]}, {"desks": ["ops"]}],
            "kpi": {"window_s": 600, "windows": 2}
        })");
        QCOMPARE(loaded.problems, (QStringList{QStringLiteral("priorities.fall: expected a whole number, got a string"),
                                               QStringLiteral("thresholds[0].above: expected a number, got a string"),
                                               QStringLiteral("thresholds[0].on_delay_s: expected a number, got a "
                                                              "string"),
                                               QStringLiteral("kpi.windows: unknown key (known: window_s)")}));
        const FusionConfig built = FusionConfig::defaults();
        const FusionConfig &c = loaded.config;
        QCOMPARE(c.graceOf(QStringLiteral("camera_offline")), qint64(30'000)); // grace was fine
        QCOMPARE(c.graceOf(QStringLiteral("ap_offline")), built.graceOf(QStringLiteral("ap_offline")));
        QCOMPARE(c.priorities, built.priorities);
        QCOMPARE(c.thresholds.size(), built.thresholds.size());
        QCOMPARE(c.kpiWindowMs, built.kpiWindowMs); // the whole section, not just the bad key
        QCOMPARE(c.desksFor(QStringLiteral("fall"), 1, {}), QStringList{QStringLiteral("fire-119")});
        QCOMPARE(c.desksFor(QStringLiteral("sos"), 1, {}), QStringList{QStringLiteral("ops")});
    }

    void unusableFilesKeepEverythingBuiltIn_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not json") << QByteArray("{not json") << QStringLiteral("not valid JSON at offset");
        QTest::newRow("an array") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not valid JSON");
    }
    void unusableFilesKeepEverythingBuiltIn()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        const Loaded loaded = load(json);
        QCOMPARE(loaded.problems.size(), 1);
        QVERIFY2(loaded.problems.first().startsWith(problem), qPrintable(loaded.problems.first()));
        QCOMPARE(describe(loaded.config), describe(FusionConfig::defaults()));
    }

    void unreadableFileKeepsEverythingBuiltIn()
    {
        QStringList problems;
        const FusionConfig c = FusionConfig::load(QStringLiteral("/nonexistent/rules.json"), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].startsWith(QLatin1String("cannot read /nonexistent/rules.json")), qPrintable(problems[0]));
        QCOMPARE(describe(c), describe(FusionConfig::defaults()));
    }

    void commentsAndPartialSectionsAreFine()
    {
        const Loaded loaded = load(R"({"_comment": "ours", "grace": {"_comment": "faster", "camera_offline_s": 30},
                                       "thresholds": [{"_comment": "WHO", "quantity": "pm25", "above": 15}]})");
        QVERIFY2(loaded.problems.isEmpty(), qPrintable(loaded.problems.join(u'\n')));
        QCOMPARE(loaded.config.graceOf(QStringLiteral("camera_offline")), qint64(30'000));
        QCOMPARE(loaded.config.graceOf(QStringLiteral("device_offline")),
                 FusionConfig::defaults().graceOf(QStringLiteral("device_offline")));
        QCOMPARE(loaded.config.thresholds.size(), 1u);
        QCOMPARE(loaded.config.thresholds[0].name, QStringLiteral("threshold_0"));
        QCOMPARE(loaded.config.thresholds[0].off, 15.0);
    }

    void shippedFileHasNoProblems()
    {
        QStringList problems;
        const FusionConfig c = FusionConfig::load(QStringLiteral(GWANJE_DATA_DIR "/fusion/rules.json"), &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(describe(c), describe(FusionConfig::defaults()));
    }
};

QTEST_GUILESS_MAIN(TestFusionConfig)
#include "tst_fusionconfig.moc"
