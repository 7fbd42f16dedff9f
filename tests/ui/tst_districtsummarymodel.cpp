#include "DistrictSummaryModel.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace gwanje;

namespace {
Region square(const QString &name, double x0, double y0, double size)
{
    Region r;
    r.name = name;
    r.nameEn = name + QStringLiteral("-en");
    r.code = QStringLiteral("c-") + name;
    r.rings = {{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}}};
    return r;
}

Asset asset(const QString &id, AssetKind kind, double lon, double lat, int count = 1)
{
    Asset a;
    a.id = id;
    a.kind = kind;
    a.longitude = lon;
    a.latitude = lat;
    a.count = count;
    return a;
}
} // namespace

class TestDistrictSummaryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void countsPerDistrictInKoreanOrder()
    {
        auto reg = std::make_shared<AssetRegistry>();
        reg->addRegion(square(QStringLiteral("중구"), 127.0, 37.5, 0.1));
        reg->addRegion(square(QStringLiteral("강남구"), 127.2, 37.5, 0.1));
        QVERIFY(reg->addAsset(asset(QStringLiteral("c1"), AssetKind::CameraSite, 127.05, 37.55, 3)));
        QVERIFY(reg->addAsset(asset(QStringLiteral("c2"), AssetKind::CameraSite, 127.25, 37.55, 2)));
        QVERIFY(reg->addAsset(asset(QStringLiteral("w1"), AssetKind::WifiAp, 127.06, 37.56)));
        QVERIFY(reg->addAsset(asset(QStringLiteral("s1"), AssetKind::Sensor, 127.26, 37.56)));
        QVERIFY(reg->addAsset(asset(QStringLiteral("far"), AssetKind::Sensor, 128.0, 36.0)));
        QVERIFY(!reg->addAsset(asset(QStringLiteral("c1"), AssetKind::Sensor, 127.0, 37.5)));
        reg->finalize();

        DistrictSummaryModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRegistry(reg);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        // 강 (U+AC15) sorts before 중 (U+C911).
        QCOMPARE(model.index(0).data(DistrictSummaryModel::NameRole).toString(), QStringLiteral("강남구"));
        QCOMPARE(model.index(0).data(DistrictSummaryModel::CameraSitesRole).toInt(), 1);
        QCOMPARE(model.index(0).data(DistrictSummaryModel::CamerasRole).toInt(), 2);
        QCOMPARE(model.index(0).data(DistrictSummaryModel::SensorsRole).toInt(), 1);
        QCOMPARE(model.index(1).data(DistrictSummaryModel::NameRole).toString(), QStringLiteral("중구"));
        QCOMPARE(model.index(1).data(DistrictSummaryModel::NameEnRole).toString(), QStringLiteral("중구-en"));
        QCOMPARE(model.index(1).data(DistrictSummaryModel::CamerasRole).toInt(), 3);
        QCOMPARE(model.index(1).data(DistrictSummaryModel::WifiApsRole).toInt(), 1);
        QCOMPARE(model.index(1).data(DistrictSummaryModel::SensorsRole).toInt(), 0);
        QCOMPARE(reg->countsPerDistrict().back()[std::size_t(AssetKind::Sensor)], 1); // the one outside
        QVERIFY(!model.index(5).data(DistrictSummaryModel::NameRole).isValid());
        QVERIFY(model.roleNames().values().contains("cameraSites"));

        model.setRegistry(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDistrictSummaryModel)
#include "tst_districtsummarymodel.moc"
