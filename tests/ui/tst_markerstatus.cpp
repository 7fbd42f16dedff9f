// Issue 11: one rule from an asset's latest status to its marker and to the words of its detail
// card (the map wrote it twice).
#include "MarkerStatus.h"
#include "TestSupport.h"

#include <QTest>

using namespace gwanje;

class TestMarkerStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void statusToMarkerAndCondition_data()
    {
        QTest::addColumn<int>("field"); // 0 nothing, 1 offline, 2 AP, 3 camera, 4 grade, 5 lamp
        QTest::addColumn<int>("value");
        QTest::addColumn<int>("marker");
        QTest::addColumn<int>("condition");
        const auto m = [](MarkerState s) {
            return int(s);
        };
        const auto c = [](AssetCondition s) {
            return int(s);
        };
        QTest::newRow("nothing known") << 0 << 0 << m(MarkerState::Normal) << c(AssetCondition::Unknown);
        QTest::newRow("device offline") << 1 << 1 << m(MarkerState::Offline) << c(AssetCondition::Offline);
        QTest::newRow("AP down") << 2 << 0 << m(MarkerState::Offline) << c(AssetCondition::Offline);
        QTest::newRow("AP up") << 2 << 1 << m(MarkerState::Normal) << c(AssetCondition::Online);
        QTest::newRow("camera offline") << 3 << int(CameraState::Offline) << m(MarkerState::Offline)
                                        << c(AssetCondition::Offline);
        QTest::newRow("camera frozen") << 3 << int(CameraState::Frozen) << m(MarkerState::Warning)
                                       << c(AssetCondition::Frozen);
        QTest::newRow("camera black") << 3 << int(CameraState::Black) << m(MarkerState::Warning)
                                      << c(AssetCondition::Black);
        QTest::newRow("camera online") << 3 << int(CameraState::Online) << m(MarkerState::Normal)
                                       << c(AssetCondition::Online);
        QTest::newRow("bad air") << 4 << int(AirGrade::Bad) << m(MarkerState::Warning) << c(AssetCondition::Unknown);
        QTest::newRow("very bad air") << 4 << int(AirGrade::VeryBad) << m(MarkerState::Critical)
                                      << c(AssetCondition::Unknown);
        QTest::newRow("good air") << 4 << int(AirGrade::Good) << m(MarkerState::Normal) << c(AssetCondition::Unknown);
        QTest::newRow("defective lamp") << 5 << int(LampState::DefectiveLamp) << m(MarkerState::Warning)
                                        << c(AssetCondition::Unknown);
        QTest::newRow("broken lantern") << 5 << int(LampState::BrokenLantern) << m(MarkerState::Warning)
                                        << c(AssetCondition::Unknown);
        QTest::newRow("leaning column") << 5 << int(LampState::ColumnIssue) << m(MarkerState::Critical)
                                        << c(AssetCondition::Unknown);
        QTest::newRow("lamp fine") << 5 << int(LampState::Ok) << m(MarkerState::Normal) << c(AssetCondition::Unknown);
    }

    void statusToMarkerAndCondition()
    {
        QFETCH(int, field);
        QFETCH(int, value);
        QFETCH(int, marker);
        QFETCH(int, condition);
        AssetStatusPoint s;
        switch (field) {
        case 1:
            s.offline = value != 0;
            break;
        case 2:
            s.apUp = qint8(value);
            break;
        case 3:
            s.camera = qint8(value);
            break;
        case 4:
            s.grade = AirGrade(value);
            break;
        case 5:
            s.lamp = qint8(value);
            break;
        default:
            break;
        }
        QCOMPARE(int(markerStateOf(s)), marker);
        QCOMPARE(int(assetConditionOf(s)), condition);
    }

    void offlineWinsOverEverythingButAnSos()
    {
        AssetStatusPoint s;
        s.offline = true;
        s.grade = AirGrade::VeryBad;
        QCOMPARE(markerStateOf(s), MarkerState::Offline);
        QCOMPARE(deviceMarkerState(true, true), MarkerState::Alarm);
        QCOMPARE(deviceMarkerState(false, true), MarkerState::Offline);
        QCOMPARE(deviceMarkerState(false, false), MarkerState::Normal);
    }
};

QTEST_GUILESS_MAIN(TestMarkerStatus)
#include "tst_markerstatus.moc"
