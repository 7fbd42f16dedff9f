// Air-quality grades on Korea's PM bands, and the asset status table that hands a view only the
// sources that changed since it last asked.
#include "TestSupport.h"
#include "events/AssetStatus.h"

#include <QTest>

using namespace gwanje;

class TestAssetStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void grades_data()
    {
        QTest::addColumn<bool>("pm10");
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("grade");
        // The band edges, both sides.
        QTest::newRow("pm10 30") << true << 30.0f << int(AirGrade::Good);
        QTest::newRow("pm10 31") << true << 31.0f << int(AirGrade::Moderate);
        QTest::newRow("pm10 80") << true << 80.0f << int(AirGrade::Moderate);
        QTest::newRow("pm10 81") << true << 81.0f << int(AirGrade::Bad);
        QTest::newRow("pm10 150") << true << 150.0f << int(AirGrade::Bad);
        QTest::newRow("pm10 151") << true << 151.0f << int(AirGrade::VeryBad);
        QTest::newRow("pm25 15") << false << 15.0f << int(AirGrade::Good);
        QTest::newRow("pm25 16") << false << 16.0f << int(AirGrade::Moderate);
        QTest::newRow("pm25 35") << false << 35.0f << int(AirGrade::Moderate);
        QTest::newRow("pm25 36") << false << 36.0f << int(AirGrade::Bad);
        QTest::newRow("pm25 75") << false << 75.0f << int(AirGrade::Bad);
        QTest::newRow("pm25 76") << false << 76.0f << int(AirGrade::VeryBad);
        QTest::newRow("negative") << true << -1.0f << int(AirGrade::Unknown);
        QTest::newRow("nan") << false << Event::unknown << int(AirGrade::Unknown);
    }
    void grades()
    {
        QFETCH(bool, pm10);
        QFETCH(float, value);
        QFETCH(int, grade);
        QCOMPARE(int(pm10 ? pm10Grade(value) : pm25Grade(value)), grade);
    }

    void tableHandsOutWhatChanged()
    {
        AssetStatusTable table;
        auto reading = [](quint32 source, Quantity q, float value) {
            Event e;
            e.kind = EventKind::SensorReading;
            e.source = source;
            e.quantity = q;
            e.value = value;
            return e;
        };
        Event apDown;
        apDown.kind = EventKind::ApStatus;
        apDown.source = 7;
        apDown.status = 0;
        Event position;
        position.kind = EventKind::PositionFix;
        position.source = 9;
        std::vector<Event> batch{reading(3, Quantity::Pm10, 40), reading(3, Quantity::Pm25, 80),
                                 reading(3, Quantity::Temperature, 20), apDown, position};
        table.apply(batch);
        std::vector<AssetStatusPoint> out;
        const quint64 v1 = table.changedSince(0, out);
        QCOMPARE(int(out.size()), 2); // the sensor and the AP; not the position, not the temperature
        QCOMPARE(out[0].source, 3u);
        QCOMPARE(out[0].pm10, 40.0f);
        QCOMPARE(int(out[0].grade), int(AirGrade::VeryBad)); // PM2.5 80 is the worse of the two
        QCOMPARE(out[1].apUp, qint8(0));
        // Nothing new: nothing handed out. One change: that one only.
        out.clear();
        QCOMPARE(table.changedSince(v1, out), v1);
        QVERIFY(out.empty());
        std::vector<Event> later{reading(3, Quantity::Pm25, 10)};
        table.apply(later);
        const quint64 v2 = table.changedSince(v1, out);
        QVERIFY(v2 > v1);
        QCOMPARE(int(out.size()), 1);
        QCOMPARE(int(out[0].grade), int(AirGrade::Moderate)); // PM10 40 now decides
    }
};

QTEST_GUILESS_MAIN(TestAssetStatus)
#include "tst_assetstatus.moc"
