// Bad input must never crash the loader or lose what could be loaded: each case becomes a report
// problem or a rejected row with a reason, and one warning line in the log.
#include "TestSupport.h"
#include "data/AssetLoader.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

namespace {
const QByteArray sensorMapping = R"({"source": "s.csv", "kind": "sensor",
    "fields": {"id": "serial", "latitude": "lat", "longitude": "lon"}, "bounds": [126.73, 37.41, 127.27, 37.72]})";

QString rejectionCode(const LoadReport &r, qint64 row)
{
    for (const RejectedRow &x : r.rejected) {
        if (x.row == row)
            return errorCodeName(x.code);
    }
    return {};
}

void expectWarning(const char *pattern)
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QString::fromUtf8(pattern)));
}
} // namespace

class TestBadData : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString makeDir(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(path);
        return path;
    }
    // A directory with one good sensor file plus whatever the test adds.
    QString withGoodSensors(const QString &name)
    {
        const QString dir = makeDir(name);
        test::writeFile(dir + QStringLiteral("/good.csv"), "serial,lat,lon\nA1,37.5,127.0\nA2,37.6,126.9\n");
        test::writeFile(dir + QStringLiteral("/good.mapping.json"),
                        QByteArray(sensorMapping).replace("s.csv", "good.csv"));
        return dir;
    }

private Q_SLOTS:
    // Issue 11: errors are values; each has one name for reports and logs, and reads back from it.
    void everyErrorCodeHasOneName()
    {
        QSet<QString> names;
        for (int i = 0; i <= int(ErrorCode::NoTls); ++i) {
            const auto code = ErrorCode(i);
            const QString name = errorCodeName(code);
            QVERIFY(code == ErrorCode::None || !name.isEmpty());
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            QCOMPARE(errorCodeFromName(name), std::optional<ErrorCode>(code));
        }
        QVERIFY(!errorCodeFromName(u"no_such_error"));
        QCOMPARE(errorCategoryName(ErrorCategory::BadInput), QStringLiteral("bad_input"));
    }

    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { test::failOnUnexpectedWarnings(); }

    void badRowsAreRejectedWithReasons()
    {
        const QString dir = makeDir(QStringLiteral("rows"));
        test::writeFile(dir + QStringLiteral("/s.csv"),
                        "serial,lat,lon\n"
                        "ok1,37.55,126.99\n"   // 1 accepted
                        "nan1,nan,126.99\n"    // 2 not finite
                        "empty1,,126.99\n"     // 3 missing
                        "text1,37.5N,126.99\n" // 4 not a number
                        "far1,37.59,127.999\n" // 5 outside bounds
                        "ok1,37.56,126.98\n"   // 6 duplicate id
                        ",37.56,126.98\n"      // 7 empty id
                        "inf1,inf,126.9\n"     // 8 infinite
                        "pole,91,126.9\n"      // 9 off the Earth... and outside bounds
                        "ok2, 37.57 ,126.97\n" // 10 accepted (spaces)
        );
        test::writeFile(dir + QStringLiteral("/s.mapping.json"), sensorMapping);
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QVERIFY(r.report.problems.isEmpty());
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
        QCOMPARE(r.report.rejectedCount(), 8);
        QCOMPARE(rejectionCode(r.report, 2), QStringLiteral("not_a_number"));
        QCOMPARE(rejectionCode(r.report, 3), QStringLiteral("missing_coordinate"));
        QCOMPARE(rejectionCode(r.report, 4), QStringLiteral("not_a_number"));
        QCOMPARE(rejectionCode(r.report, 5), QStringLiteral("out_of_bounds"));
        QCOMPARE(rejectionCode(r.report, 6), QStringLiteral("duplicate_id"));
        QCOMPARE(rejectionCode(r.report, 7), QStringLiteral("bad_value"));
        QCOMPARE(rejectionCode(r.report, 8), QStringLiteral("not_a_number"));
        QCOMPARE(rejectionCode(r.report, 9), QStringLiteral("out_of_range"));
        QCOMPARE(r.report.datasets.first().rows, 10);
    }

    void anIdTakenByAnotherFileIsRejectedWhateverTheThreads()
    {
        // Files are read in parallel and merged in the mappings' order: the later file's row
        // loses, on one thread or many, with its own row number.
        const QString dir = withGoodSensors(QStringLiteral("crossfile"));
        test::writeFile(dir + QStringLiteral("/more.csv"), "serial,lat,lon\nB1,37.51,127.01\nA2,37.52,127.02\n");
        test::writeFile(dir + QStringLiteral("/more.mapping.json"),
                        QByteArray(sensorMapping).replace("s.csv", "more.csv"));
        for (const int threads : {1, 4}) {
            const LoadResult r = AssetLoader::loadDirectory(dir, threads);
            QCOMPARE(r.registry->count(AssetKind::Sensor), 3);
            QCOMPARE(r.report.rejected.size(), 1);
            QCOMPARE(r.report.rejected[0].file, QStringLiteral("more.csv"));
            QCOMPARE(r.report.rejected[0].row, 2);
            QCOMPARE(errorCodeName(r.report.rejected[0].code), QStringLiteral("duplicate_id"));
            // Mappings load in name order (good, then more): more.csv's A2 is the one refused.
            QCOMPARE(r.report.datasets[1].accepted, 1);
            QCOMPARE(r.report.datasets[1].rejected, 1);
            QCOMPARE(r.registry->assets()[std::size_t(r.registry->indexOf(QStringLiteral("A2")))].latitude, 37.6);
        }
    }

    void cameraStreamsComeThroughTheMapping()
    {
        // A city's CCTV file with stream addresses: good ones are kept, a bad one is left out and
        // named, the sites all load.
        const QString dir = makeDir(QStringLiteral("streams"));
        test::writeFile(dir + QStringLiteral("/cam.csv"),
                        "id,lat,lon,main,sub\n"
                        "C1,37.5,127.0,rtsp://10.1.2.3:554/ch1/main,rtsp://10.1.2.3:554/ch1/sub\n"
                        "C2,37.6,126.9,not a url,\n"
                        "C3,37.55,126.95,,\n");
        test::writeFile(dir + QStringLiteral("/cam.mapping.json"),
                        R"({"source": "cam.csv", "kind": "camera_site", "fields": {"id": "id", "latitude": "lat",
                            "longitude": "lon", "stream_main": "main", "stream_sub": "sub"}})");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad_stream_url")));
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(int(r.registry->assets().size()), 3);
        const Asset &c1 = r.registry->assets()[std::size_t(r.registry->indexOf(QStringLiteral("C1")))];
        QCOMPARE(c1.streamMain, QStringLiteral("rtsp://10.1.2.3:554/ch1/main"));
        QCOMPARE(c1.streamSub, QStringLiteral("rtsp://10.1.2.3:554/ch1/sub"));
        QVERIFY(r.registry->assets()[std::size_t(r.registry->indexOf(QStringLiteral("C2")))].streamMain.isEmpty());
        QCOMPARE(int(r.report.problems.size()), 1);
        QCOMPARE(errorCodeName(r.report.problems.front().code), QStringLiteral("bad_stream_url"));
    }

    void missingFileIsReportedAndOthersLoad()
    {
        const QString dir = withGoodSensors(QStringLiteral("missing"));
        test::writeFile(dir + QStringLiteral("/s.mapping.json"), sensorMapping); // s.csv does not exist
        expectWarning("s\\.csv: missing_file");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("missing_file"));
        QCOMPARE(r.report.problems[0].file, QStringLiteral("s.csv"));
        QCOMPARE(r.report.problems[0].category, ErrorCategory::Fatal);
    }

    void corruptGeoJsonIsReported()
    {
        const QString dir = withGoodSensors(QStringLiteral("corrupt"));
        test::writeFile(dir + QStringLiteral("/gu.json"),
                        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":)");
        test::writeFile(dir + QStringLiteral("/gu.mapping.json"),
                        R"({"source":"gu.json","kind":"district","fields":{"name":"name"}})");
        expectWarning("gu\\.json: unreadable");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("unreadable"));
        QVERIFY(!r.report.problems[0].detail.isEmpty());
    }

    void binaryGarbageIsReported()
    {
        const QString dir = withGoodSensors(QStringLiteral("garbage"));
        QByteArray junk;
        for (int i = 0; i < 4096; ++i)
            junk.append(char((i * 7919) % 251));
        test::writeFile(dir + QStringLiteral("/s.csv"), junk);
        test::writeFile(dir + QStringLiteral("/s.mapping.json"), sensorMapping);
        expectWarning("s\\.csv: (unreadable|missing_column)");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
        QCOMPARE(r.report.problems.size(), 1);
    }

    void missingColumnIsReported()
    {
        const QString dir = withGoodSensors(QStringLiteral("column"));
        test::writeFile(dir + QStringLiteral("/s.csv"), "serial,latitude,lon\nB1,37.5,127.0\n");
        test::writeFile(dir + QStringLiteral("/s.mapping.json"), sensorMapping);
        expectWarning("s\\.csv: missing_column.*latitude \\(\"lat\"\\)");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("missing_column"));
        QCOMPARE(r.report.problems[0].category, ErrorCategory::BadInput);
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
    }

    void badMappingIsReported()
    {
        const QString dir = withGoodSensors(QStringLiteral("mapping"));
        test::writeFile(dir + QStringLiteral("/s.mapping.json"), "{ \"source\": \"s.csv\", ");
        expectWarning("s\\.mapping\\.json: bad mapping");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("bad_mapping"));
        QCOMPARE(r.report.problems[0].file, QStringLiteral("s.mapping.json"));
        QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
    }

    void polygonLayerWithPointsIsRejectedPerRow()
    {
        const QString dir = makeDir(QStringLiteral("geometry"));
        test::writeFile(dir + QStringLiteral("/gu.json"), R"({"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"점구"},"geometry":{"type":"Point","coordinates":[127,37.5]}},
            {"type":"Feature","properties":{"name":"네모구"},"geometry":{"type":"Polygon",
              "coordinates":[[[126.9,37.5],[127.0,37.5],[127.0,37.6],[126.9,37.6],[126.9,37.5]]]}},
            {"type":"Feature","properties":{"name":""},"geometry":{"type":"Polygon",
              "coordinates":[[[126.9,37.5],[127.0,37.5],[127.0,37.6],[126.9,37.5]]]}}]})");
        test::writeFile(dir + QStringLiteral("/gu.mapping.json"),
                        R"({"source":"gu.json","kind":"district","fields":{"name":"name"}})");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QVERIFY(r.report.problems.isEmpty());
        QCOMPARE(int(r.registry->districts().size()), 1);
        QCOMPARE(r.registry->districts()[0].name, QStringLiteral("네모구"));
        QCOMPARE(rejectionCode(r.report, 1), QStringLiteral("bad_geometry"));
        QCOMPARE(rejectionCode(r.report, 3), QStringLiteral("bad_value"));
        QCOMPARE(r.registry->districtAt(126.95, 37.55), 0);
        QCOMPARE(r.registry->districtAt(127.05, 37.55), -1);
    }

    void projectedCoordinatesAreConverted()
    {
        // Korea 2000 / Central Belt 2010 (EPSG:5186) columns, converted to WGS84 on load.
        const QString dir = makeDir(QStringLiteral("tm"));
        test::writeFile(dir + QStringLiteral("/s.csv"), "serial,x,y\nT1,198056.0,551885.0\n");
        test::writeFile(dir + QStringLiteral("/s.mapping.json"),
                        R"({"source":"s.csv","kind":"sensor","srs":"EPSG:5186",
                            "fields":{"id":"serial","longitude":"x","latitude":"y"},"bounds":[126.73,37.41,127.27,37.72]})");
        const LoadResult r = AssetLoader::loadDirectory(dir);
        QVERIFY(r.report.problems.isEmpty());
        QCOMPARE(r.registry->count(AssetKind::Sensor), 1);
        const Asset &a = r.registry->assets().front();
        // Seoul City Hall is near 126.978 E, 37.5665 N.
        QVERIFY2(std::abs(a.longitude - 126.978) < 0.01 && std::abs(a.latitude - 37.5665) < 0.01,
                 qPrintable(QStringLiteral("%1 %2").arg(a.longitude).arg(a.latitude)));
    }

    void noDirectoryOrNoDatasets()
    {
        expectWarning("does not exist");
        LoadResult r = AssetLoader::loadDirectory(m_dir.filePath(QStringLiteral("nowhere")));
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("no_data_dir"));
        QVERIFY(r.registry->assets().empty());

        expectWarning("no data sets");
        r = AssetLoader::loadDirectory(makeDir(QStringLiteral("empty")));
        QCOMPARE(r.report.problems.size(), 1);
        QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("no_datasets"));
    }
};

QTEST_GUILESS_MAIN(TestBadData)
#include "tst_baddata.moc"
