// Loads the real Seoul data and checks the registry against expectations computed here, straight
// from the files with GDAL's C API (not through the loader under test).
#include "TestSupport.h"
#include "data/AssetLoader.h"
#include "data/DatasetMapping.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <cstdlib>

using namespace gwanje;

namespace {

struct Expected
{
    qint64 rows = 0;
    qint64 accepted = 0;
    qint64 cameras = 0;
    QList<qint64> badRows; // 1-based
};

bool strictDouble(const char *text, double *out)
{
    while (*text == ' ')
        ++text;
    if (!*text)
        return false;
    char *end = nullptr;
    *out = std::strtod(text, &end);
    while (end && *end == ' ')
        ++end;
    return end && *end == '\0' && std::isfinite(*out);
}

// Counts rows and the rows a correct loader must accept, for a point data set with lon/lat columns.
Expected expectPoints(const DatasetMapping &m)
{
    Expected e;
    GDALDatasetH ds =
        GDALOpenEx(m.sourceFile.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds)
        return e;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int lonField = OGR_FD_GetFieldIndex(defn, m.column(QStringLiteral("longitude")).toUtf8().constData());
    const int latField = OGR_FD_GetFieldIndex(defn, m.column(QStringLiteral("latitude")).toUtf8().constData());
    const QString idRole = m.column(QStringLiteral("id"));
    const int idField = idRole.isEmpty() ? -1 : OGR_FD_GetFieldIndex(defn, idRole.toUtf8().constData());
    const QString countRole = m.column(QStringLiteral("count"));
    const int countField = countRole.isEmpty() ? -1 : OGR_FD_GetFieldIndex(defn, countRole.toUtf8().constData());
    QSet<QByteArray> ids;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        ++e.rows;
        double lon = 0, lat = 0, count = 1;
        bool ok = strictDouble(OGR_F_GetFieldAsString(f, lonField), &lon) &&
                  strictDouble(OGR_F_GetFieldAsString(f, latField), &lat) && m.bounds->contains(lon, lat);
        if (ok && countField >= 0)
            ok =
                strictDouble(OGR_F_GetFieldAsString(f, countField), &count) && count >= 1 && count == std::floor(count);
        if (ok && idField >= 0) {
            const QByteArray id = QByteArray(OGR_F_GetFieldAsString(f, idField)).trimmed();
            ok = !id.isEmpty() && !ids.contains(id);
            ids.insert(id);
        }
        if (ok) {
            ++e.accepted;
            e.cameras += qint64(count);
        } else {
            e.badRows.append(e.rows);
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return e;
}

qint64 featureCount(const QString &path)
{
    GDALDatasetH ds =
        GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds)
        return -1;
    const qint64 n = OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds, 0), TRUE);
    GDALClose(ds);
    return n;
}

// Features of one layer matching an OGR filter, counted by reading them all.
qint64 featureCount(const QString &path, const char *layerName, const char *where)
{
    GDALDatasetH ds =
        GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds)
        return -1;
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, layerName);
    qint64 n = -1;
    if (layer && OGR_L_SetAttributeFilter(layer, where) == OGRERR_NONE) {
        n = 0;
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            ++n;
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    return n;
}

DatasetMapping mappingFor(const QString &relative)
{
    const QString path = QStringLiteral(GWANJE_DATA_DIR "/") + relative;
    QString error;
    return *DatasetMapping::fromJson(test::readFile(path), path, &error);
}

} // namespace

class TestAssetLoader : public QObject
{
    Q_OBJECT

    LoadResult m_result;

private Q_SLOTS:
    void initTestCase()
    {
        GDALAllRegister();
        m_result = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR));
        QVERIFY(m_result.registry);
    }
    void init() { test::failOnUnexpectedWarnings(); }

    void noProblemsWithShippedData()
    {
        QVERIFY2(m_result.report.problems.isEmpty(),
                 qPrintable(m_result.report.problems.isEmpty() ? QString() : m_result.report.problems[0].detail));
        QCOMPARE(m_result.report.datasets.size(), 10);
    }

    void pointCountsMatchFiles_data()
    {
        QTest::addColumn<QString>("mapping");
        QTest::addColumn<AssetKind>("kind");
        QTest::newRow("cctv") << QStringLiteral("seoul/cctv/seoul_cctv_2018.mapping.json") << AssetKind::CameraSite;
        QTest::newRow("wifi") << QStringLiteral("seoul/wifi/seoul_public_wifi_2021.mapping.json") << AssetKind::WifiAp;
        QTest::newRow("sdot") << QStringLiteral("seoul/environment/sdot_sensor_locations.mapping.json")
                              << AssetKind::Sensor;
    }
    void pointCountsMatchFiles()
    {
        QFETCH(QString, mapping);
        QFETCH(AssetKind, kind);
        const DatasetMapping m = mappingFor(mapping);
        const Expected e = expectPoints(m);
        QVERIFY(e.rows > 500);
        // (The u-Green water sensors placed from the OSM extract are sensors too.)
        const int inRegistry =
            kind == AssetKind::Sensor
                ? int(std::count_if(
                      m_result.registry->assets().begin(), m_result.registry->assets().end(),
                      [](const Asset &a) { return a.kind == AssetKind::Sensor && a.medium == SensorMedium::Air; }))
                : m_result.registry->count(kind);
        QCOMPARE(inRegistry, int(e.accepted));
        const QString file = QDir(QStringLiteral(GWANJE_DATA_DIR)).relativeFilePath(m.sourceFile);
        const auto summary = std::find_if(m_result.report.datasets.begin(), m_result.report.datasets.end(),
                                          [&](const DatasetSummary &d) { return d.file == file; });
        QVERIFY(summary != m_result.report.datasets.end());
        QCOMPARE(summary->rows, e.rows);
        QCOMPARE(summary->accepted, e.accepted);
        QCOMPARE(summary->rejected, e.rows - e.accepted);
        QList<qint64> reportedRows;
        for (const RejectedRow &r : m_result.report.rejected) {
            if (r.file == file)
                reportedRows.append(r.row);
        }
        QCOMPARE(reportedRows, e.badRows);
        if (kind == AssetKind::CameraSite)
            QCOMPARE(m_result.registry->cameraCount(), int(e.cameras));
    }

    void knownBadCctvRowIsRejected()
    {
        // PROVENANCE.md: one real row at (37.594643, 127.999109) lies outside Seoul.
        const auto it =
            std::find_if(m_result.report.rejected.begin(), m_result.report.rejected.end(),
                         [](const RejectedRow &r) { return r.reason.contains(QStringLiteral("127.999109")); });
        QVERIFY(it != m_result.report.rejected.end());
        QCOMPARE(errorCodeName(it->code), QStringLiteral("out_of_bounds"));
        QCOMPARE(it->file, QStringLiteral("seoul/cctv/seoul_cctv_2018.csv"));
        QVERIFY(it->reason.contains(QStringLiteral("37.594643")));
    }

    void regionsMatchFiles()
    {
        QCOMPARE(qint64(m_result.registry->districts().size()),
                 featureCount(
                     mappingFor(QStringLiteral("seoul/boundaries/seoul_municipalities_geo.mapping.json")).sourceFile));
        QCOMPARE(
            qint64(m_result.registry->dongs().size()),
            featureCount(mappingFor(QStringLiteral("seoul/boundaries/seoul_submunicipalities_geo_simple.mapping.json"))
                             .sourceFile));
        QSet<QString> names;
        for (const Region &d : m_result.registry->districts()) {
            names.insert(d.name);
            QVERIFY(!d.rings.empty());
            QCOMPARE(m_result.registry->districtAt(d.labelPoint.x(), d.labelPoint.y()),
                     int(&d - m_result.registry->districts().data()));
        }
        QVERIFY(names.contains(QStringLiteral("은평구")));
        QVERIFY(names.contains(QStringLiteral("강남구")));
        int dongsWithParent = 0;
        for (const Region &dong : m_result.registry->dongs())
            dongsWithParent += dong.parent >= 0;
        QCOMPARE(dongsWithParent, int(m_result.registry->dongs().size()));
    }

    void districtAssignmentMatchesNaivePointInPolygon()
    {
        // Every asset's district must be what a plain even-odd test over all edges says.
        const auto &reg = *m_result.registry;
        auto naive = [&reg](double x, double y) {
            for (int d = 0; d < int(reg.districts().size()); ++d) {
                bool inside = false;
                for (const Ring &r : reg.districts()[std::size_t(d)].rings) {
                    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
                        if ((r[i].y() > y) != (r[j].y() > y) &&
                            x < (r[j].x() - r[i].x()) * (y - r[i].y()) / (r[j].y() - r[i].y()) + r[i].x())
                            inside = !inside;
                    }
                }
                if (inside)
                    return d;
            }
            return -1;
        };
        for (std::size_t i = 0; i < reg.assets().size(); i += 7) {
            const Asset &a = reg.assets()[i];
            QCOMPARE(a.district, naive(a.longitude, a.latitude));
        }
    }

    void districtAssignmentMostlyAgreesWithSourceColumn()
    {
        // The WiFi file's 자치구 is the managing district, not always the one the AP stands in
        // (중구-managed APs in 종로구, say), and the outlines are from 2013: an independent check
        // found 17,302 of 19,102 in agreement. Far less means the assignment is broken.
        const auto &reg = *m_result.registry;
        int compared = 0, agree = 0;
        for (const Asset &a : reg.assets()) {
            if (a.kind != AssetKind::WifiAp || !a.sourceDistrict.endsWith(QChar(u'구')))
                continue;
            ++compared;
            agree += a.district >= 0 && reg.districts()[std::size_t(a.district)].name == a.sourceDistrict;
        }
        QVERIFY(compared > 15000);
        QVERIFY2(agree > compared * 0.85, qPrintable(QStringLiteral("%1 of %2").arg(agree).arg(compared)));
    }

    void perDistrictCountsSumToTotals()
    {
        const auto &reg = *m_result.registry;
        QCOMPARE(reg.countsPerDistrict().size(), reg.districts().size() + 1);
        for (AssetKind kind : allAssetKinds) {
            int sum = 0;
            for (const auto &row : reg.countsPerDistrict())
                sum += row[std::size_t(kind)];
            QCOMPARE(sum, reg.count(kind));
        }
        int cameras = 0;
        for (int c : reg.camerasPerDistrict())
            cameras += c;
        QCOMPARE(cameras, reg.cameraCount());
    }

    void spatialIndexFindsAssets()
    {
        const auto &reg = *m_result.registry;
        QCOMPARE(reg.spatialIndex().size(), int(reg.assets().size()));
        for (int i = 0; i < int(reg.assets().size()); i += 997) {
            const Asset &a = reg.assets()[std::size_t(i)];
            const int found = reg.spatialIndex().nearest(a.world, 1e-9);
            QVERIFY(found >= 0);
            QCOMPARE(reg.assets()[std::size_t(found)].world, a.world); // may be a co-located twin
            QCOMPARE(reg.indexOf(a.id), i);
        }
    }

    void wifiSettingComesFromTheFile()
    {
        // 실내/실외 per AP, counted here straight from the file.
        const DatasetMapping m = mappingFor(QStringLiteral("seoul/wifi/seoul_public_wifi_2021.mapping.json"));
        GDALDatasetH ds =
            GDALOpenEx(m.sourceFile.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        QVERIFY(ds);
        OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
        const int field =
            OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), m.column(QStringLiteral("setting")).toUtf8().constData());
        QVERIFY(field >= 0);
        int outdoorInFile = 0;
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            outdoorInFile += QString::fromUtf8(OGR_F_GetFieldAsString(f, field)) == QStringLiteral("실외");
            OGR_F_Destroy(f);
        }
        GDALClose(ds);
        int outdoor = 0, indoor = 0;
        for (const Asset &a : m_result.registry->assets()) {
            if (a.kind != AssetKind::WifiAp)
                continue;
            outdoor += a.setting == QStringLiteral("실외");
            indoor += a.setting == QStringLiteral("실내");
        }
        QVERIFY(outdoorInFile > 1000);
        QCOMPARE(outdoor, outdoorInFile);
        QCOMPARE(outdoor + indoor, m_result.registry->count(AssetKind::WifiAp));
    }

    void streetlightsSheltersAndWaterSensorsFromOpenStreetMap()
    {
        // No open inventory exists: the demo sets columns out along the OSM streets and places a
        // water sensor in each pond of the Yeouido extract.
        const int lights = m_result.registry->count(AssetKind::Streetlight);
        const int shelters = m_result.registry->count(AssetKind::Shelter);
        QVERIFY2(lights > 1000 && lights < 20000, qPrintable(QString::number(lights)));
        QVERIFY2(shelters > 10 && shelters < 500, qPrintable(QString::number(shelters)));
        int water = 0, inDistrict = 0;
        for (const Asset &a : m_result.registry->assets()) {
            if (a.kind == AssetKind::Sensor && a.medium == SensorMedium::SurfaceWater)
                ++water;
            if (a.kind == AssetKind::Streetlight || a.kind == AssetKind::Shelter)
                inDistrict += a.district >= 0;
        }
        const DatasetMapping ponds = mappingFor(QStringLiteral("seoul/osm/yeoido_water_sensors.mapping.json"));
        QCOMPARE(qint64(water), featureCount(ponds.sourceFile, "multipolygons", "natural = 'water'"));
        QVERIFY(inDistrict > (lights + shelters) * 95 / 100);
    }

    void assetsArePlacedAlongLinesAndInsidePolygons()
    {
        // A 1 km street east-west, a 70 m lane, a footpath the filter leaves out, and a pond.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const double lat = 37.5, lon = 127.0;
        const double degreesPerKmLon = 1.0 / (111.32 * std::cos(lat * M_PI / 180.0));
        const QByteArray geojson = QStringLiteral(R"({"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"osm_id": "1", "highway": "primary", "name": "시험로"},
   "geometry": {"type": "LineString", "coordinates": [[%1, %2], [%3, %2]]}},
  {"type": "Feature", "properties": {"osm_id": "2", "highway": "residential", "name": null},
   "geometry": {"type": "LineString", "coordinates": [[%1, %4], [%5, %4]]}},
  {"type": "Feature", "properties": {"osm_id": "3", "highway": "footway", "name": null},
   "geometry": {"type": "LineString", "coordinates": [[%1, %6], [%3, %6]]}}
]})")
                                       .arg(lon, 0, 'f', 8)
                                       .arg(lat, 0, 'f', 8)
                                       .arg(lon + degreesPerKmLon, 0, 'f', 8)
                                       .arg(lat + 0.01, 0, 'f', 8)
                                       .arg(lon + 0.07 * degreesPerKmLon, 0, 'f', 8)
                                       .arg(lat + 0.02, 0, 'f', 8)
                                       .toUtf8();
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("city"))));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/streets.geojson")), geojson));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/lights.mapping.json")), R"({
  "source": "streets.geojson", "kind": "streetlight", "place_every_m": 100, "id_prefix": "SL-",
  "where": "highway <> 'footway'", "fields": {"id": "osm_id", "name": "name", "purpose": "highway"}})"));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/ponds.geojson")), R"({"type": "FeatureCollection",
  "features": [{"type": "Feature", "properties": {"name": "연못"}, "geometry": {"type": "Polygon",
  "coordinates": [[[127.0, 37.45], [127.004, 37.45], [127.004, 37.4502], [127.0002, 37.4502], [127.0002, 37.453],
                   [127.0, 37.453], [127.0, 37.45]]]}}]})"));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/ponds.mapping.json")), R"({
  "source": "ponds.geojson", "kind": "sensor", "medium": "tap_water", "fields": {"name": "name"}})"));
        const LoadResult r = AssetLoader::loadDirectory(dir.filePath(QStringLiteral("city")));
        QVERIFY2(r.report.problems.isEmpty(),
                 qPrintable(r.report.problems.isEmpty() ? QString() : r.report.problems[0].detail));
        // 1 km at 100 m: at 50, 150 ... 950 m; the 70 m lane: one at 50 m; the footpath: none.
        QCOMPARE(r.registry->count(AssetKind::Streetlight), 11);
        std::vector<const Asset *> street;
        for (const Asset &a : r.registry->assets()) {
            if (a.kind == AssetKind::Streetlight && a.purpose == QStringLiteral("primary"))
                street.push_back(&a);
        }
        QCOMPARE(int(street.size()), 10);
        QCOMPARE(street.front()->id, QStringLiteral("SL-1-1"));
        QCOMPARE(street.front()->name, QStringLiteral("시험로"));
        for (std::size_t i = 0; i < street.size(); ++i) {
            const double metres = (street[i]->longitude - lon) / degreesPerKmLon * 1000.0;
            QVERIFY2(std::abs(metres - (50.0 + 100.0 * double(i))) < 0.5, qPrintable(QString::number(metres)));
            QCOMPARE(street[i]->latitude, lat);
        }
        // The L-shaped pond's sensor is in the water, not at the centroid (which is on land).
        QCOMPARE(r.registry->count(AssetKind::Sensor), 1);
        const Asset &pond = *std::find_if(r.registry->assets().begin(), r.registry->assets().end(),
                                          [](const Asset &a) { return a.kind == AssetKind::Sensor; });
        QCOMPARE(pond.medium, SensorMedium::TapWater);
        const bool inFoot = pond.latitude >= 37.45 && pond.latitude <= 37.4502;
        const bool inLeg = pond.longitude >= 127.0 && pond.longitude <= 127.0002;
        QVERIFY2(inFoot || inLeg, qPrintable(QStringLiteral("%1, %2").arg(pond.latitude).arg(pond.longitude)));

        // A bad placement setting is a clear mapping error.
        QString error;
        QVERIFY(!DatasetMapping::fromJson(R"({"source": "s.geojson", "kind": "streetlight", "place_every_m": 0,
            "fields": {}})",
                                          dir.filePath(QStringLiteral("x.mapping.json")), &error));
        QVERIFY(error.contains(QStringLiteral("place_every_m")));
        QVERIFY(!DatasetMapping::fromJson(R"({"source": "s.csv", "kind": "wifi_ap", "medium": "air", "fields": {}})",
                                          dir.filePath(QStringLiteral("x.mapping.json")), &error));
        QVERIFY(error.contains(QStringLiteral("medium")));
        // A filter OGR cannot read names the file and the filter.
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/lights.mapping.json")), R"({
  "source": "streets.geojson", "kind": "streetlight", "place_every_m": 100, "where": "highway <>> 'x'",
  "fields": {}})"));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("bad_mapping: OGR cannot use the filter")));
        const LoadResult bad = AssetLoader::loadDirectory(dir.filePath(QStringLiteral("city")));
        QCOMPARE(bad.report.problems.size(), 1);
        QCOMPARE(errorCodeName(bad.report.problems[0].code), QStringLiteral("bad_mapping"));
        QVERIFY(bad.report.problems[0].detail.contains(QStringLiteral("highway <>> 'x'")));
    }

    void columnMappingChangeNeedsNoCodeChange()
    {
        // A city with another schema: copy the WiFi file, rename its columns and reorder them, and
        // describe it with a new mapping. It must load the same APs.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString src = QStringLiteral(GWANJE_DATA_DIR "/seoul/wifi/seoul_public_wifi_2021.csv");
        QByteArray csv = test::readFile(src);
        const qsizetype eol = csv.indexOf('\n');
        QVERIFY(eol > 0);
        QByteArray header = csv.left(eol);
        header.replace("X좌표", "lng")
            .replace("Y좌표", "lat_wgs84")
            .replace("관리번호", "ap_id")
            .replace("자치구", "gu");
        csv = header + csv.mid(eol);
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("city/aps"))));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/aps/access_points.csv")), csv));
        const QJsonObject mapping{
            {QStringLiteral("source"), QStringLiteral("access_points.csv")},
            {QStringLiteral("kind"), QStringLiteral("wifi_ap")},
            {QStringLiteral("fields"), QJsonObject{{QStringLiteral("longitude"), QStringLiteral("lng")},
                                                   {QStringLiteral("latitude"), QStringLiteral("lat_wgs84")},
                                                   {QStringLiteral("id"), QStringLiteral("ap_id")},
                                                   {QStringLiteral("district"), QStringLiteral("gu")}}},
            {QStringLiteral("bounds"), QJsonArray{126.73, 37.41, 127.27, 37.72}},
        };
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/aps/access_points.mapping.json")),
                                QJsonDocument(mapping).toJson()));
        const LoadResult r = AssetLoader::loadDirectory(dir.filePath(QStringLiteral("city")));
        QVERIFY(r.report.problems.isEmpty());
        QCOMPARE(r.registry->count(AssetKind::WifiAp), m_result.registry->count(AssetKind::WifiAp));
        QCOMPARE(r.registry->assets().front().id, QStringLiteral("ARI00001"));
        QCOMPARE(r.registry->assets().front().sourceDistrict, QStringLiteral("서대문구"));
    }

    // A mapping reads only files inside the data folder unless it says "allow_outside_data_dir".
    void mappingSourcesStayInTheDataFolder_data()
    {
        QTest::addColumn<QString>("source"); // %1: the temporary folder
        QTest::addColumn<bool>("allowed");   // "allow_outside_data_dir": true in the mapping
        QTest::addColumn<bool>("refused");
        QTest::newRow("inside") << QStringLiteral("sensors.csv") << false << false;
        QTest::newRow("inside, through ..") << QStringLiteral("../city/sensors.csv") << false << false;
        QTest::newRow("a folder up") << QStringLiteral("../outside.csv") << false << true;
        QTest::newRow("absolute") << QStringLiteral("%1/outside.csv") << false << true;
        QTest::newRow("a sibling named like the folder") << QStringLiteral("../city2/sensors.csv") << false << true;
        QTest::newRow("over the network") << QStringLiteral("/vsicurl/http://127.0.0.1:9/sensors.csv") << false << true;
        QTest::newRow("a folder up, allowed") << QStringLiteral("../outside.csv") << true << false;
        QTest::newRow("absolute, allowed") << QStringLiteral("%1/outside.csv") << true << false;
    }
    void mappingSourcesStayInTheDataFolder()
    {
        QFETCH(QString, source);
        QFETCH(bool, allowed);
        QFETCH(bool, refused);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray csv = "id,lon,lat\nS-1,127.0,37.5\nS-2,127.1,37.6\n";
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("city")) && QDir(dir.path()).mkpath(QStringLiteral("city2")));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/sensors.csv")), csv));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city2/sensors.csv")), csv));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("outside.csv")), csv));
        QJsonObject mapping{
            {QStringLiteral("source"), source.contains(QLatin1String("%1")) ? source.arg(dir.path()) : source},
            {QStringLiteral("kind"), QStringLiteral("sensor")},
            {QStringLiteral("fields"), QJsonObject{{QStringLiteral("longitude"), QStringLiteral("lon")},
                                                   {QStringLiteral("latitude"), QStringLiteral("lat")},
                                                   {QStringLiteral("id"), QStringLiteral("id")}}},
        };
        if (allowed)
            mapping.insert(QStringLiteral("allow_outside_data_dir"), true);
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("city/sensors.mapping.json")),
                                QJsonDocument(mapping).toJson()));
        if (refused)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bad mapping: .*outside the data")));
        const LoadResult r = AssetLoader::loadDirectory(dir.filePath(QStringLiteral("city")));
        if (refused) {
            QCOMPARE(r.report.problems.size(), 1);
            QCOMPARE(errorCodeName(r.report.problems[0].code), QStringLiteral("bad_mapping"));
            QCOMPARE(r.report.problems[0].file, QStringLiteral("sensors.mapping.json"));
            QVERIFY2(r.report.problems[0].detail.contains(QStringLiteral("outside the data folder")),
                     qPrintable(r.report.problems[0].detail));
            QCOMPARE(r.registry->count(AssetKind::Sensor), 0);
        } else {
            QVERIFY2(r.report.problems.isEmpty(), qPrintable(r.report.problems.value(0).detail));
            QCOMPARE(r.registry->count(AssetKind::Sensor), 2);
        }
    }

    void reportJsonIsComplete()
    {
        const QJsonObject o = m_result.report.toJson();
        QCOMPARE(o.value(QStringLiteral("datasets")).toArray().size(), 10);
        QCOMPARE(o.value(QStringLiteral("rejected_total")).toInteger(), m_result.report.rejectedCount());
        QVERIFY(m_result.report.rejectedCount() >= 1);
        const QJsonObject first = o.value(QStringLiteral("rejected")).toArray().first().toObject();
        QVERIFY(first.contains(QStringLiteral("file")) && first.contains(QStringLiteral("row")) &&
                first.contains(QStringLiteral("reason")));
    }
};

QTEST_GUILESS_MAIN(TestAssetLoader)
#include "tst_assetloader.moc"
