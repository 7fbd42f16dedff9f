// Korean is the operators' language: every source string has a Korean translation, and the
// compiled catalogue is in the binary.
#include "AlarmListModel.h"
#include "AlarmsFacade.h"
#include "AssetsFacade.h"
#include "MapSelection.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace gwanje;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void everyStringIsTranslated()
    {
        QXmlStreamReader xml(test::readFile(QStringLiteral(GWANJE_SOURCE_DIR "/resources/i18n/gwanje_ko.ts")));
        int messages = 0;
        QStringList untranslated;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
                ++messages;
            } else if (xml.name() == QLatin1String("translation")) {
                const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
                if (unfinished || text.isEmpty())
                    untranslated.append(source);
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages >= 30);
        QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
    }

    void compiledCatalogueTranslates()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/gwanje_ko.qm")));
        QVERIFY(QCoreApplication::installTranslator(&translator));
        QCOMPARE(QCoreApplication::translate("SidePanel", "City assets"), QStringLiteral("도시 시설 현황"));
        DataProblem missing{QStringLiteral("seoul/wifi/a.csv"), ErrorCode::MissingFile, ErrorCategory::Fatal, {}};
        QCOMPARE(AssetsFacade::describe(missing), QStringLiteral("seoul/wifi/a.csv: 데이터 파일이 없습니다"));
        QCOMPARE(QCoreApplication::translate("StatusBar", "%n row(s) rejected", nullptr, 3),
                 QStringLiteral("거부된 행 3개"));
        // The alarm panel's words for the alarm types the operators know.
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("sos")), QStringLiteral("SOS 긴급호출"));
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("outage")), QStringLiteral("집단 장애"));
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("safe_zone_exit")), QStringLiteral("안심구역 이탈"));
        QCOMPARE(AlarmListModel::stateText(AlarmState::Unacknowledged), QStringLiteral("미확인"));
        // The map's detail card (context gwanje::MapSelection, once gwanje::MapView).
        QCOMPARE(MapSelection::lampText(LampState::ColumnIssue), QStringLiteral("지주 이상"));
        QCOMPARE(MapSelection::describeDevice(12), QStringLiteral("안심 단말기 12"));
        // A refusal from the core's lifecycle reaches the operator in Korean.
        Alarm acknowledged;
        acknowledged.state = AlarmState::Acknowledged;
        AlarmCommand again;
        again.action = AlarmAction::Acknowledge;
        const auto refused = applyAlarmCommand(acknowledged, again);
        QVERIFY(std::holds_alternative<AlarmRefused>(refused));
        QCOMPARE(AlarmsFacade::translatedRefusal(std::get<AlarmRefused>(refused).reason, {}),
                 QStringLiteral("이미 확인된 경보입니다"));
        QCOMPARE(AlarmsFacade::translatedRefusal(AlarmRefusal::NotSaved, QStringLiteral("disk I/O error")),
                 QStringLiteral("저장되지 않아 처리하지 않았습니다: disk I/O error"));
        // Every refusal has its Korean sentence.
        for (int r = int(AlarmRefusal::None) + 1; r <= int(AlarmRefusal::UnknownCommand); ++r) {
            const auto reason = AlarmRefusal(r);
            const QString korean = AlarmsFacade::translatedRefusal(reason, QStringLiteral("X"));
            QVERIFY2(korean != alarmRefusalSentence(reason, QStringLiteral("X")), alarmRefusalText(reason));
        }
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("sos")), QStringLiteral("SOS emergency call"));
        QCOMPARE(AssetsFacade::describe(missing), QStringLiteral("seoul/wifi/a.csv: the data file is missing"));
        QCOMPARE(MapSelection::lampText(LampState::ColumnIssue), QStringLiteral("Column damaged"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
