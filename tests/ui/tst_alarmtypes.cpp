// Issue 11: one descriptor per alarm type, read by fusion, alarms, dispatch and the screen. Every
// descriptor is complete, the shipped rules give every type a priority, a procedure and a route,
// the translation says what the descriptor says, and the de-duplication key reads back what it
// wrote.
#include "AlarmListModel.h"
#include "TestSupport.h"
#include "alarms/Alarm.h"
#include "alarms/AlarmType.h"
#include "fusion/FusionConfig.h"
#include "fusion/FusionRule.h"

#include <QCoreApplication>
#include <QSet>
#include <QTest>
#include <QTranslator>

#include <limits>

using namespace gwanje;

class TestAlarmTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void everyDescriptorIsComplete()
    {
        QSet<QString> names;
        for (AlarmType type : alarmTypes()) {
            const AlarmTypeInfo &t = type.info();
            const QString name = QString::fromLatin1(t.name);
            QVERIFY2(!name.isEmpty() && !names.contains(name), t.name);
            names.insert(name);
            QVERIFY(alarmTypeFromName(name) == std::optional<AlarmType>(type));
            QCOMPARE(&alarmTypeInfo(type), &t);
            QVERIFY2(*t.labelEn && *t.labelKo, t.name);
            QVERIFY2(t.defaultPriority >= 1 && t.defaultPriority <= 4, t.name);
            // Alarms about a person are never grouped away; a latched alarm is a person's moment.
            if (t.subject == AlarmSubject::Person || t.subject == AlarmSubject::Group)
                QVERIFY2(!t.floodGroupable && !t.outageMember, t.name);
            if (t.latched)
                QVERIFY2(t.subject == AlarmSubject::Person, t.name);
            if (t.outageMember)
                QVERIFY2(t.subject == AlarmSubject::Infrastructure, t.name);
            if (t.notifiesGuardians)
                QVERIFY2(t.subject == AlarmSubject::Person && *t.guardianTextKo, t.name);
            QCOMPARE(isLatchedAlarmType(name), t.latched);
        }
        QVERIFY(!alarmTypeFromName(u"no_such_type"));
        QVERIFY(!isLatchedAlarmType(QStringLiteral("no_such_type")));
    }

    void theShippedRulesCoverEveryType()
    {
        const FusionConfig rules = FusionConfig::defaults();
        QStringList notifying;
        for (AlarmType type : alarmTypes()) {
            const AlarmTypeInfo &t = type.info();
            const QString name = QString::fromLatin1(t.name);
            QVERIFY2(rules.priorities.contains(name), t.name);
            QCOMPARE(rules.priorityOf(name), t.defaultPriority);
            const Procedure procedure = rules.procedures.value(name);
            QVERIFY2(!procedure.stepsKo.isEmpty() && procedure.stepsKo.size() == procedure.stepsEn.size(), t.name);
            QVERIFY2(!rules.desksFor(name, t.defaultPriority, QString()).isEmpty(), t.name);
            if (t.notifiesGuardians)
                notifying.append(name);
        }
        QCOMPARE(rules.notifications.types, notifying);
        // Nothing in the rules names a type that has no descriptor.
        for (auto it = rules.priorities.cbegin(); it != rules.priorities.cend(); ++it)
            QVERIFY2(alarmTypeFromName(it.key()), qPrintable(it.key()));
        for (auto it = rules.procedures.cbegin(); it != rules.procedures.cend(); ++it)
            QVERIFY2(alarmTypeFromName(it.key()), qPrintable(it.key()));
    }

    void everyTypeHasOneRule()
    {
        // The rules of core/fusion/rules/ are the types: one rule each, in a fixed order.
        QCOMPARE(fusionRules().size(), alarmTypes().size());
        int order = std::numeric_limits<int>::min();
        for (std::size_t i = 0; i < fusionRules().size(); ++i) {
            const FusionRuleEntry *entry = fusionRules()[i];
            QVERIFY2(entry->order > order, entry->type->name);
            order = entry->order;
            QVERIFY(AlarmType(*entry->type) == alarmTypes()[i]);
            QVERIFY(entry->make() != nullptr);
        }
        QVERIFY(alarmTypeFromName(u"outage") == std::optional<AlarmType>(outageAlarmType()));
        // A type that waits a grace period has one in the shipped rules.
        const FusionConfig rules = FusionConfig::defaults();
        for (AlarmType type : alarmTypes())
            QCOMPARE(rules.graceMs.contains(type.name()), type.info().graced);
    }

    void theTranslationSaysWhatTheDescriptorSays()
    {
        QTranslator korean;
        QVERIFY(korean.load(QStringLiteral(":/i18n/gwanje_ko.qm")));
        QCoreApplication::installTranslator(&korean);
        for (AlarmType type : alarmTypes()) {
            const AlarmTypeInfo &t = type.info();
            QCOMPARE(AlarmListModel::typeText(QString::fromLatin1(t.name)), QString::fromUtf8(t.labelKo));
        }
        QCoreApplication::removeTranslator(&korean);
        for (AlarmType type : alarmTypes())
            QCOMPARE(AlarmListModel::typeText(type.name()), QString::fromLatin1(type.info().labelEn));
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("learned_later")), QStringLiteral("learned_later"));
    }

    void keysReadBackWhatTheyWrote_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("rule");
        QTest::newRow("sos") << "sos|SD-000042" << int(AlarmKey::Kind::Single) << "sos"
                             << "SD-000042"
                             << "";
        QTest::newRow("camera") << "camera_offline|CCTV-1" << int(AlarmKey::Kind::Single) << "camera_offline"
                                << "CCTV-1"
                                << "";
        QTest::newRow("threshold") << "sensor_threshold|SDOT-7|pm10_bad" << int(AlarmKey::Kind::Single)
                                   << "sensor_threshold"
                                   << "SDOT-7"
                                   << "pm10_bad";
        QTest::newRow("bar in the id") << "sensor_threshold|A|B|pm10_bad" << int(AlarmKey::Kind::Single)
                                       << "sensor_threshold"
                                       << "A|B"
                                       << "pm10_bad";
        QTest::newRow("flood") << "flood|ap_offline" << int(AlarmKey::Kind::Flood) << "ap_offline"
                               << ""
                               << "";
        QTest::newRow("flood rule") << "flood|sensor_threshold|noise_extreme" << int(AlarmKey::Kind::Flood)
                                    << "sensor_threshold"
                                    << ""
                                    << "noise_extreme";
        QTest::newRow("outage") << "outage|은평구" << int(AlarmKey::Kind::Outage) << "outage"
                                << "은평구"
                                << "";
    }

    void keysReadBackWhatTheyWrote()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, type);
        QFETCH(QString, subject);
        QFETCH(QString, rule);
        const std::optional<AlarmKey> key = AlarmKey::parse(text);
        QVERIFY(key);
        QCOMPARE(int(key->kind), kind);
        QCOMPARE(alarmTypeName(key->type), type);
        QCOMPARE(key->subject, subject);
        QCOMPARE(key->rule, rule);
        QCOMPARE(key->toString(), text);
    }

    void unknownKeysAreNotGuessed()
    {
        for (const char *text : {"", "sos", "|SD-1", "learned_later|X", "flood|learned_later", "flood|"})
            QVERIFY2(!AlarmKey::parse(QString::fromLatin1(text)), text);
    }
};

QTEST_GUILESS_MAIN(TestAlarmTypes)
#include "tst_alarmtypes.moc"
