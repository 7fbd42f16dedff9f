#include "TestSupport.h"
#include "data/DatasetMapping.h"

#include <QDir>
#include <QTest>

using namespace gwanje;

class TestDatasetMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void parsesFullMapping()
    {
        const QByteArray json = R"({"source": "../x/cams.csv", "kind": "camera_site", "title": "T",
            "attribution": "A", "srs": "EPSG:5186", "layer": "L",
            "fields": {"latitude": "위도", "longitude": "경도", "id": null, "count": "카메라대수"},
            "bounds": [126.73, 37.41, 127.27, 37.72]})";
        QString error;
        const auto m = DatasetMapping::fromJson(json, QStringLiteral("/data/seoul/cctv/cams.mapping.json"), &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(m->sourceFile, QStringLiteral("/data/seoul/x/cams.csv"));
        QCOMPARE(m->kind, DatasetMapping::Kind::CameraSite);
        QCOMPARE(m->assetKind(), AssetKind::CameraSite);
        QCOMPARE(m->column(QStringLiteral("latitude")), QStringLiteral("위도"));
        QVERIFY(!m->fields.contains(QStringLiteral("id")));
        QVERIFY(m->bounds.has_value());
        QCOMPARE(m->bounds->minX, 126.73);
        QCOMPARE(m->bounds->maxY, 37.72);
        QCOMPARE(m->srs, QStringLiteral("EPSG:5186"));
        QCOMPARE(m->layer, QStringLiteral("L"));
        QCOMPARE(m->kindName(), QStringLiteral("camera_site"));
        QVERIFY(!m->allowOutsideDataDir); // the loader confines the source to the data folder
        const auto outside = DatasetMapping::fromJson(
            R"({"source": "/srv/gis/cams.csv", "kind": "camera_site", "fields": {}, "allow_outside_data_dir": true})",
            QStringLiteral("/data/seoul/cctv/cams.mapping.json"), &error);
        QVERIFY2(outside, qPrintable(error));
        QCOMPARE(outside->sourceFile, QStringLiteral("/srv/gis/cams.csv"));
        QVERIFY(outside->allowOutsideDataDir);
    }

    void rejectsBadMappings_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{oops") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("JSON object");
        QTest::newRow("no source") << QByteArray(R"({"kind":"sensor","fields":{}})") << QStringLiteral("\"source\"");
        QTest::newRow("bad kind") << QByteArray(R"({"source":"a.csv","kind":"bus","fields":{}})")
                                  << QStringLiteral("\"kind\" must be");
        QTest::newRow("no fields") << QByteArray(R"({"source":"a.csv","kind":"sensor"})")
                                   << QStringLiteral("\"fields\" must be");
        QTest::newRow("typo role") << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{"latitud":"y"}})")
                                   << QStringLiteral("unknown field role \"latitud\"");
        QTest::newRow("lat only") << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{"latitude":"y"}})")
                                  << QStringLiteral("both \"longitude\" and \"latitude\"");
        QTest::newRow("role not a name") << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{"id":3}})")
                                         << QStringLiteral("must name a column");
        QTest::newRow("region without name")
            << QByteArray(R"({"source":"a.json","kind":"district","fields":{}})") << QStringLiteral("needs a \"name\"");
        QTest::newRow("bounds inverted")
            << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{},"bounds":[127,37,126,38]})")
            << QStringLiteral("\"bounds\" must be");
        QTest::newRow("outside allowed as a string")
            << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{},"allow_outside_data_dir":"yes"})")
            << QStringLiteral("\"allow_outside_data_dir\" must be true or false");
        QTest::newRow("bounds short") << QByteArray(R"({"source":"a.csv","kind":"sensor","fields":{},"bounds":[1,2]})")
                                      << QStringLiteral("\"bounds\" must be");
    }
    void rejectsBadMappings()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!DatasetMapping::fromJson(json, QStringLiteral("/tmp/a.mapping.json"), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void shippedMappingsParse()
    {
        const QDir dir(QStringLiteral(GWANJE_DATA_DIR));
        int count = 0;
        for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QDir subdir(dir.filePath(sub));
            for (const QString &name : subdir.entryList({QStringLiteral("*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
                const QDir leaf(subdir.filePath(name));
                for (const QString &file : leaf.entryList({QStringLiteral("*.mapping.json")}, QDir::Files)) {
                    QString error;
                    const QString path = leaf.filePath(file);
                    const auto m = DatasetMapping::fromJson(test::readFile(path), path, &error);
                    QVERIFY2(m, qPrintable(path + QStringLiteral(": ") + error));
                    QVERIFY2(QFile::exists(m->sourceFile), qPrintable(m->sourceFile));
                    QVERIFY(!m->attribution.isEmpty());
                    ++count;
                }
            }
        }
        QCOMPARE(count, 10);
    }
};

QTEST_GUILESS_MAIN(TestDatasetMapping)
#include "tst_datasetmapping.moc"
