// Map data sources against real files: the layer config, OSM extracts through OGR, and rasters
// generated with GDAL (RasterFixture). Expectations come from GDAL, SQLite and the boundary file
// directly, not from the code under test.
#include "RasterFixture.h"
#include "TestSupport.h"
#include "geo/WebMercator.h"
#include "map/MapConfig.h"
#include "map/RasterTileReader.h"
#include "map/TileMath.h"
#include "map/VectorLayerData.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <sqlite3.h>

#include <cmath>

using namespace gwanje;

namespace {

const QString osmDir = QStringLiteral(GWANJE_DATA_DIR "/seoul/osm/");
const QString boundaryDir = QStringLiteral(GWANJE_DATA_DIR "/seoul/boundaries/");

struct OgrExpectation
{
    int features = 0;
    int withGeometry = 0;
    int parts = 0; // rings, line strings or points
    GeoRect world;
    bool ok = false;
};

int countParts(OGRGeometryH g)
{
    switch (wkbFlatten(OGR_G_GetGeometryType(g))) {
    case wkbPoint:
    case wkbLineString:
        return 1;
    case wkbPolygon:
        return OGR_G_GetGeometryCount(g);
    default: {
        int n = 0;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i)
            n += countParts(OGR_G_GetGeometryRef(g, i));
        return n;
    }
    }
}

// Plain OGR, one layer read on its own (no interest_layers trick), as a reference.
OgrExpectation expectLayer(const QString &path, const QString &layerName, const QString &where)
{
    OgrExpectation e;
    GDALDatasetH ds =
        GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds)
        return e;
    OGRLayerH layer = layerName.isEmpty() ? GDALDatasetGetLayer(ds, 0)
                                          : GDALDatasetGetLayerByName(ds, layerName.toUtf8().constData());
    if (layer && (where.isEmpty() || OGR_L_SetAttributeFilter(layer, where.toUtf8().constData()) == OGRERR_NONE)) {
        OGR_L_ResetReading(layer);
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            ++e.features;
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (g && !OGR_G_IsEmpty(g)) {
                ++e.withGeometry;
                e.parts += countParts(g);
                OGREnvelope env;
                OGR_G_GetEnvelope(g, &env);
                const QPointF a = WebMercator::project(env.MinX, env.MinY),
                              b = WebMercator::project(env.MaxX, env.MaxY);
                e.world.expand(GeoRect::fromEdges(a.x(), a.y(), b.x(), b.y()));
            }
            OGR_F_Destroy(f);
        }
        e.ok = true;
    }
    GDALClose(ds);
    return e;
}

MapLayerSpec vectorSpec(const QString &source, const QString &layer = QString(), const QString &where = QString())
{
    MapLayerSpec spec;
    spec.id = QStringLiteral("test");
    spec.source = source;
    spec.ogrLayer = layer;
    spec.where = where;
    return spec;
}

quint32 premultiplied(int a, int r, int g, int b)
{
    if (a == 0)
        return 0;
    const auto p = [a](int c) {
        return quint32((c * a + 127) / 255);
    };
    return (quint32(a) << 24) | (p(r) << 16) | (p(g) << 8) | p(b);
}

// Decodes a stored tile blob with GDAL's PNG/JPEG drivers through /vsimem/ (no QtGui).
std::vector<quint32> decodeTile(const QByteArray &blob)
{
    std::vector<quint32> out;
    const char *name = "/vsimem/tst_mapsources_tile";
    VSILFILE *f = VSIFileFromMemBuffer(name, reinterpret_cast<GByte *>(const_cast<char *>(blob.constData())),
                                       vsi_l_offset(blob.size()), FALSE);
    VSIFCloseL(f);
    const char *drivers[] = {"PNG", "JPEG", nullptr};
    GDALDatasetH ds = GDALOpenEx(name, GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, nullptr, nullptr);
    if (ds && GDALGetRasterXSize(ds) == 256 && GDALGetRasterYSize(ds) == 256) {
        const int n = GDALGetRasterCount(ds);
        std::vector<GByte> px(std::size_t(n) * 65536);
        if (GDALDatasetRasterIO(ds, GF_Read, 0, 0, 256, 256, px.data(), 256, 256, GDT_Byte, n, nullptr, 1, 256,
                                65536) == CE_None) {
            GDALColorTableH table = GDALGetRasterColorTable(GDALGetRasterBand(ds, 1));
            out.resize(65536);
            for (std::size_t i = 0; i < 65536; ++i) {
                const auto band = [&](int b) {
                    return int(px[std::size_t(b) * 65536 + i]);
                };
                if (n <= 2 && table) {
                    const GDALColorEntry *e = GDALGetColorEntry(table, band(0));
                    out[i] = premultiplied(n == 2 ? band(1) * e->c4 / 255 : e->c4, e->c1, e->c2, e->c3);
                } else if (n <= 2) {
                    out[i] = premultiplied(n == 2 ? band(1) : 255, band(0), band(0), band(0));
                } else {
                    out[i] = premultiplied(n == 4 ? band(3) : 255, band(0), band(1), band(2));
                }
            }
        }
    }
    if (ds)
        GDALClose(ds);
    VSIUnlink(name);
    return out;
}

struct StoredTile
{
    int z, column, row;
    QByteArray blob;
};

std::vector<StoredTile> storedTiles(const QString &mbtiles)
{
    std::vector<StoredTile> tiles;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(mbtiles.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles", -1, &st,
                               nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                tiles.push_back(
                    {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                     QByteArray(static_cast<const char *>(sqlite3_column_blob(st, 3)), sqlite3_column_bytes(st, 3))});
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return tiles;
}

quint32 pixelAt(const std::vector<quint32> &tile, TileId id, QPointF world)
{
    const double scale = std::exp2(id.z);
    const int x = std::clamp(int((world.x() * scale - id.x) * 256), 0, 255);
    const int y = std::clamp(int((world.y() * scale - id.y) * 256), 0, 255);
    return tile[std::size_t(y) * 256 + std::size_t(x)];
}

} // namespace

class TestMapSources : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QElapsedTimer timer;
        timer.start();
        QString error;
        QVERIFY2(m_fixture.build(m_dir.path(), &error), qPrintable(error));
        qInfo("raster fixture built in %lld ms, MBTiles zoom %d..%d", qint64(timer.elapsed()), m_fixture.mbtilesMinZoom,
              m_fixture.mbtilesMaxZoom);
        QVERIFY(m_fixture.mbtilesMaxZoom - m_fixture.mbtilesMinZoom >= 2);
    }
    void init() { test::failOnUnexpectedWarnings(); }

    // --- layer config ---------------------------------------------------------------------

    void configReadsEntriesAndSkipsBadOnes()
    {
        const QString path = m_dir.filePath(QStringLiteral("cfg/layers.json"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("cfg")));
        QVERIFY(test::writeFile(
            path, "{\n"
                  "          \"background\": \"#0b1220\", \"allow_network\": true,\n"
                  "          \"layers\": [\n"
                  "            { \"id\": \"water\", \"name\": \"수계\", \"nameEn\": \"Water\", \"source\": "
                  "\"../osm/water.gpkg\", \"ogrLayer\": \"w\",\n"
                  "              \"where\": \"a = 1\", \"fill\": \"#10304d\", \"line\": \"#80ff0000\", \"lineWidth\": "
                  "2.5, \"minZoom\": 10,\n"
                  "              \"maxZoom\": 18, \"opacity\": 0.5, \"visible\": false, \"labelField\": \"name\", "
                  "\"group\": \"overlay\" },\n"
                  "            { \"id\": \"wms\", \"type\": \"raster\", \"source\": \"<GDAL_WMS><Service "
                  "name=\\\"TMS\\\"/></GDAL_WMS>\" },\n"
                  "            { \"id\": \"wmts\", \"type\": \"raster\", \"source\": "
                  "\"WMTS:https://example.org/wmts?SERVICE=WMTS\" },\n"
                  "            { \"id\": \"vsi\", \"type\": \"raster\", \"source\": "
                  "\"/vsicurl/https://example.org/a.tif\" },\n"
                  "            { \"id\": \"abs\", \"source\": \"/data/x.geojson\" },\n"
                  "            { \"id\": \"badcolour\", \"source\": \"a.json\", \"fill\": \"#12345\" },\n"
                  "            { \"id\": \"badtype\", \"type\": \"mesh\", \"source\": \"a.json\" },\n"
                  "            { \"name\": \"no id\", \"source\": \"a.json\" },\n"
                  "            { \"id\": \"nosource\" },\n"
                  "            { \"id\": \"typo\", \"source\": \"a.json\", \"minzoom\": 3 },\n"
                  "            { \"id\": \"zoom\", \"source\": \"a.json\", \"minZoom\": 15, \"maxZoom\": 12 },\n"
                  "            { \"id\": \"water\", \"source\": \"again.json\" },\n"
                  "            42\n"
                  "          ] }\n"));
        const QStringList expected = {
            QStringLiteral("layer \"badcolour\" skipped: \"fill\" is \"#12345\""),
            QStringLiteral("layer \"badtype\" skipped: \"type\" is \"mesh\""),
            QStringLiteral("layer #8 skipped: it has no \"id\""),
            QStringLiteral("layer \"nosource\" skipped: it has no \"source\""),
            QStringLiteral("layer \"typo\" skipped: unknown key \"minzoom\""),
            QStringLiteral("layer \"zoom\" skipped: the zoom range 15..12"),
            QStringLiteral("layer \"water\" skipped: the id is used by an earlier layer"),
            QStringLiteral("layer #13 skipped: it is not a JSON object"),
        };
        for (const QString &e : expected)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(e)));
        const MapConfig config = MapConfig::load(path);
        QCOMPARE(config.errors.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QVERIFY2(config.errors.at(i).startsWith(path + u": " + expected.at(i)), qPrintable(config.errors.at(i)));
        }
        QCOMPARE(config.background, 0xff0b1220u);
        QCOMPARE(int(config.layers.size()), 5);
        const MapLayerSpec &water = config.layers.at(0);
        QCOMPARE(water.id, QStringLiteral("water"));
        QCOMPARE(water.name, QStringLiteral("수계"));
        QCOMPARE(water.nameEn, QStringLiteral("Water"));
        QCOMPARE(water.type, MapLayerType::Vector);
        QCOMPARE(water.source, m_dir.filePath(QStringLiteral("osm/water.gpkg"))); // relative to the file
        QCOMPARE(water.ogrLayer, QStringLiteral("w"));
        QCOMPARE(water.where, QStringLiteral("a = 1"));
        QCOMPARE(water.fill, 0xff10304du);
        QCOMPARE(water.line, 0x80ff0000u);
        QCOMPARE(water.lineWidth, 2.5);
        QCOMPARE(water.minZoom, 10.0);
        QCOMPARE(water.maxZoom, 18.0);
        QCOMPARE(water.opacity, 0.5);
        QCOMPARE(water.visible, false);
        QCOMPARE(water.labelField, QStringLiteral("name"));
        QCOMPARE(water.group, QStringLiteral("overlay"));
        QCOMPARE(config.layers.at(1).type, MapLayerType::Raster);
        QCOMPARE(config.layers.at(1).source, QStringLiteral("<GDAL_WMS><Service name=\"TMS\"/></GDAL_WMS>"));
        QCOMPARE(config.layers.at(1).name, QStringLiteral("wms")); // defaults to the id
        QCOMPARE(config.layers.at(1).group, QStringLiteral("basemap"));
        QCOMPARE(config.layers.at(2).source, QStringLiteral("WMTS:https://example.org/wmts?SERVICE=WMTS"));
        QCOMPARE(config.layers.at(3).source, QStringLiteral("/vsicurl/https://example.org/a.tif"));
        QCOMPARE(config.layers.at(4).source, QStringLiteral("/data/x.geojson"));
        QCOMPARE(config.layers.at(4).fill, 0u);
        QVERIFY(config.allowNetwork);
        QCOMPARE(config.notes, (QStringList{QStringLiteral("layer \"wmts\" reads from the network (https://)"),
                                            QStringLiteral("layer \"vsi\" reads from the network (/vsicurl/)")}));
    }

    void configFileProblems_data()
    {
        QTest::addColumn<QByteArray>("contents"); // empty: no file
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << QByteArray() << QStringLiteral("cannot read the layer config");
        QTest::newRow("not json") << QByteArray("{ \"layers\": [") << QStringLiteral("not valid JSON at offset");
        QTest::newRow("no layers") << QByteArray("{ \"layer\": [] }")
                                   << QStringLiteral("the layer config must be an object with a \"layers\" array");
    }
    void configFileProblems()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, message);
        const QString path =
            m_dir.filePath(QStringLiteral("problem-%1.json").arg(QString::fromLatin1(QTest::currentDataTag())));
        if (!contents.isEmpty())
            QVERIFY(test::writeFile(path, contents));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(message)));
        const MapConfig config = MapConfig::load(path);
        QVERIFY(config.layers.empty());
        QCOMPARE(config.errors.size(), 1);
        QVERIFY2(config.errors.first().startsWith(path + u": " + message), qPrintable(config.errors.first()));
    }

    // A layer that would make GDAL reach another machine is refused unless the file says
    // "allow_network": true; nothing is opened here, so no test needs a network.
    void networkSourcesNeedPermission_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("source");
        QTest::addColumn<bool>("network");
        QTest::newRow("vsicurl") << QStringLiteral("raster") << QStringLiteral("/vsicurl/https://example.org/a.tif")
                                 << true;
        QTest::newRow("vsis3") << QStringLiteral("raster") << QStringLiteral("/vsis3/bucket/a.tif") << true;
        QTest::newRow("zip over curl") << QStringLiteral("vector")
                                       << QStringLiteral("/vsizip//vsicurl/https://example.org/a.zip/a.shp") << true;
        QTest::newRow("geojson url") << QStringLiteral("vector") << QStringLiteral("GeoJSON:http://example.org/a.json")
                                     << true;
        QTest::newRow("wms") << QStringLiteral("raster") << QStringLiteral("WMS:https://example.org/wms?LAYERS=a")
                             << true;
        QTest::newRow("plain https") << QStringLiteral("vector") << QStringLiteral("https://example.org/a.geojson")
                                     << true;
        QTest::newRow("ftp") << QStringLiteral("vector") << QStringLiteral("ftp://example.org/a.shp") << true;
        QTest::newRow("wms xml") << QStringLiteral("raster")
                                 << QStringLiteral(
                                        "<GDAL_WMS><Service name=\"TMS\"><ServerUrl>HTTPS://tiles.example.org/"
                                        "${z}/${x}/${y}.png</ServerUrl></Service></GDAL_WMS>")
                                 << true;
        QTest::newRow("postgis") << QStringLiteral("vector") << QStringLiteral("PG:host=db.example.org dbname=gis")
                                 << true;
        QTest::newRow("wms xml on files") << QStringLiteral("raster")
                                          << QStringLiteral("<GDAL_WMS><Service name=\"TMS\"><ServerUrl>file:///srv/"
                                                            "tiles/${z}/${x}/${y}.png</ServerUrl></Service></GDAL_WMS>")
                                          << false;
        QTest::newRow("a file") << QStringLiteral("vector") << QStringLiteral("../osm/water.gpkg") << false;
        QTest::newRow("a zip file") << QStringLiteral("vector") << QStringLiteral("/vsizip//srv/gis/a.zip/a.shp")
                                    << false;
    }
    void networkSourcesNeedPermission()
    {
        QFETCH(QString, type);
        QFETCH(QString, source);
        QFETCH(bool, network);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("layers.json"));
        for (const bool allow : {false, true}) {
            QJsonObject root{
                {QStringLiteral("layers"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("remote")},
                                                                  {QStringLiteral("type"), type},
                                                                  {QStringLiteral("source"), source}}}}};
            if (allow)
                root.insert(QStringLiteral("allow_network"), true);
            QVERIFY(test::writeFile(path, QJsonDocument(root).toJson()));
            const bool refused = network && !allow;
            if (refused)
                QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                                       "layer \"remote\" skipped: it reads from the network")));
            const MapConfig config = MapConfig::load(path);
            if (refused) {
                QCOMPARE(config.layers.size(), 0u);
                QCOMPARE(config.errors.size(), 1);
                QVERIFY2(config.errors[0].contains(QLatin1String("set \"allow_network\": true")),
                         qPrintable(config.errors[0]));
                continue;
            }
            QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.join(u'\n')));
            QCOMPARE(config.layers.size(), 1u);
            // Allowed, it is still named: flagged on the layer and in the notes (and the log).
            QCOMPARE(config.layers[0].network, network);
            QCOMPARE(config.notes.size(), network ? 1 : 0);
            if (network)
                QVERIFY2(config.notes[0].startsWith(QLatin1String("layer \"remote\" reads from the network (")),
                         qPrintable(config.notes[0]));
        }
    }

    void shippedConfigLoads()
    {
        const MapConfig config = MapConfig::load(QStringLiteral(GWANJE_DATA_DIR "/map/layers.json"));
        QVERIFY2(config.errors.isEmpty(), qPrintable(config.errors.join(u'\n')));
        QVERIFY(!config.allowNetwork); // the shipped map is all local files
        QVERIFY(config.notes.isEmpty());
        QCOMPARE(config.background, 0xff0b1220u);
        QVERIFY(config.layers.size() >= 10);
        QSet<QString> ids;
        for (const MapLayerSpec &spec : config.layers) {
            QVERIFY(!spec.name.isEmpty() && !spec.nameEn.isEmpty() && spec.name != spec.nameEn);
            QVERIFY(!spec.attribution.isEmpty());
            QVERIFY(spec.fill || spec.line);
            QVERIFY2(QFile::exists(spec.source), qPrintable(spec.source));
            QElapsedTimer timer;
            timer.start();
            QString error;
            const auto data = VectorLayerData::load(spec, &error);
            QVERIFY2(data, qPrintable(error));
            QVERIFY2(data->size() > 0, qPrintable(spec.id));
            // Each layer's count agrees with plain OGR.
            const OgrExpectation e = expectLayer(spec.source, spec.ogrLayer, spec.where);
            QVERIFY(e.ok);
            QCOMPARE(data->size(), e.withGeometry);
            if (!spec.labelField.isEmpty()) {
                const auto &f = data->features();
                QVERIFY2(std::any_of(f.begin(), f.end(), [](const VectorFeature &v) { return !v.label.isEmpty(); }),
                         qPrintable(spec.id));
            }
            qInfo("%-22s %5d features, loaded in %3lld ms", qPrintable(spec.id), data->size(), qint64(timer.elapsed()));
        }
    }

    // --- vector layers ----------------------------------------------------------------------

    void vectorLayerMatchesOgr_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QString>("where");
        QTest::addColumn<bool>("polygon");
        const QString jamsil = osmDir + u"songpa_jamsil.osm", yeouido = osmDir + u"yeoido.osm.pbf";
        for (const auto &[tag, file] : {std::pair{"jamsil xml", jamsil}, std::pair{"yeouido pbf", yeouido}}) {
            const char *t = tag;
            QTest::addRow("%s points", t) << file << QStringLiteral("points") << QString() << false;
            QTest::addRow("%s lines", t) << file << QStringLiteral("lines") << QString() << false;
            QTest::addRow("%s multipolygons", t) << file << QStringLiteral("multipolygons") << QString() << true;
            QTest::addRow("%s buildings", t)
                << file << QStringLiteral("multipolygons") << QStringLiteral("building IS NOT NULL") << true;
            QTest::addRow("%s primary and trunk", t)
                << file << QStringLiteral("lines") << QStringLiteral("highway IN ('primary','trunk')") << false;
        }
        QTest::newRow("yeouido multilinestrings")
            << yeouido << QStringLiteral("multilinestrings") << QString() << false;
        QTest::newRow("districts geojson")
            << boundaryDir + u"seoul_municipalities_geo.json" << QString() << QString() << true;
    }
    void vectorLayerMatchesOgr()
    {
        QFETCH(QString, file);
        QFETCH(QString, layer);
        QFETCH(QString, where);
        QFETCH(bool, polygon);
        const OgrExpectation e = expectLayer(file, layer, where);
        QVERIFY(e.ok);
        QVERIFY(e.withGeometry > 0);
        QString error;
        const auto data = VectorLayerData::load(vectorSpec(file, layer, where), &error);
        QVERIFY2(data, qPrintable(error));
        QCOMPARE(data->size(), e.withGeometry);
        QCOMPARE(data->size() + data->skipped(), e.features);
        int parts = 0;
        for (const VectorFeature &f : data->features()) {
            QCOMPARE(f.polygon, polygon);
            parts += int(f.parts.size());
            for (const auto &part : f.parts) {
                for (const QPointF &p : part)
                    QVERIFY(f.bounds.contains(p.x(), p.y()));
            }
        }
        QCOMPARE(parts, e.parts);
        const double tolerance = 1e-12;
        QVERIFY(std::abs(data->bounds().minX - e.world.minX) < tolerance);
        QVERIFY(std::abs(data->bounds().minY - e.world.minY) < tolerance);
        QVERIFY(std::abs(data->bounds().maxX - e.world.maxX) < tolerance);
        QVERIFY(std::abs(data->bounds().maxY - e.world.maxY) < tolerance);
    }

    void whereFilterSelectsSubset()
    {
        const QString file = osmDir + u"yeoido.osm.pbf";
        QString error;
        const auto all = VectorLayerData::load(vectorSpec(file, QStringLiteral("lines")), &error);
        const auto major = VectorLayerData::load(
            vectorSpec(file, QStringLiteral("lines"), QStringLiteral("highway IN ('primary','trunk')")), &error);
        QVERIFY2(all && major, qPrintable(error));
        QVERIFY(major->size() > 0 && major->size() < all->size());
    }

    void reprojectsFromKoreanTm()
    {
        // The districts converted to EPSG:5186 by GDAL must land where the WGS84 original does.
        const QString original = boundaryDir + u"seoul_municipalities_geo.json";
        const QString converted = m_dir.filePath(QStringLiteral("districts_5186.gpkg"));
        char **args = nullptr;
        for (const char *a : {"-f", "GPKG", "-t_srs", "EPSG:5186"})
            args = CSLAddString(args, a);
        GDALVectorTranslateOptions *options = GDALVectorTranslateOptionsNew(args, nullptr);
        CSLDestroy(args);
        GDALDatasetH source =
            GDALOpenEx(original.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        GDALDatasetH out = GDALVectorTranslate(converted.toUtf8().constData(), nullptr, 1, &source, options, nullptr);
        GDALVectorTranslateOptionsFree(options);
        QVERIFY(out);
        GDALClose(out);
        GDALClose(source);

        QString error;
        const auto a = VectorLayerData::load(vectorSpec(original), &error);
        const auto b = VectorLayerData::load(vectorSpec(converted), &error);
        QVERIFY2(a && b, qPrintable(error));
        QCOMPARE(a->size(), b->size());
        const double oneMetre = 1.0 / (2 * M_PI * WebMercator::earthRadius) / std::cos(37.5 * M_PI / 180);
        for (int i = 0; i < a->size(); ++i) {
            const GeoRect &ra = a->features()[std::size_t(i)].bounds, &rb = b->features()[std::size_t(i)].bounds;
            QVERIFY2(std::abs(ra.minX - rb.minX) < oneMetre && std::abs(ra.maxY - rb.maxY) < oneMetre,
                     qPrintable(QString::number((ra.minX - rb.minX) / oneMetre)));
        }
    }

    void spatialQueryMatchesBruteForce()
    {
        QString error;
        const auto data =
            VectorLayerData::load(vectorSpec(osmDir + u"songpa_jamsil.osm", QStringLiteral("multipolygons")), &error);
        QVERIFY2(data, qPrintable(error));
        const GeoRect all = data->bounds();
        QRandomGenerator random(7);
        for (int round = 0; round < 200; ++round) {
            const double w = all.width() * random.bounded(0.3), h = all.height() * random.bounded(0.3);
            const double x = all.minX - w / 2 + random.bounded(all.width()),
                         y = all.minY - h / 2 + random.bounded(all.height());
            const GeoRect query{x, y, x + w, y + h};
            QList<const VectorFeature *> found;
            data->forEachIntersecting(query, [&](const VectorFeature &f) { found.append(&f); });
            QSet<const VectorFeature *> expected;
            for (const VectorFeature &f : data->features()) {
                if (f.bounds.intersects(query))
                    expected.insert(&f);
            }
            QCOMPARE(found.size(), expected.size()); // no feature twice
            QCOMPARE(QSet<const VectorFeature *>(found.begin(), found.end()), expected);
        }
        int everything = 0;
        data->forEachIntersecting(GeoRect{0, 0, 1, 1}, [&](const VectorFeature &) { ++everything; });
        QCOMPARE(everything, data->size());
    }

    void vectorErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("labelField");
        QTest::addColumn<QString>("message");
        const QString pbf = osmDir + u"yeoido.osm.pbf";
        QTest::newRow("missing file") << osmDir + u"nowhere.osm.pbf" << QString() << QString() << QString()
                                      << QStringLiteral("does not exist");
        QTest::newRow("corrupt geojson") << QStringLiteral("corrupt.geojson") << QString() << QString() << QString()
                                         << QString();
        QTest::newRow("corrupt pbf") << QStringLiteral("corrupt.osm.pbf") << QStringLiteral("lines") << QString()
                                     << QString() << QString();
        QTest::newRow("bad layer") << pbf << QStringLiteral("roads") << QString() << QString()
                                   << QStringLiteral("no layer named \"roads\"");
        QTest::newRow("bad where") << pbf << QStringLiteral("lines") << QStringLiteral("highway IN ('primary'")
                                   << QString() << QStringLiteral("bad where-clause");
        QTest::newRow("unknown column") << pbf << QStringLiteral("lines") << QStringLiteral("colour = 'red'")
                                        << QString() << QStringLiteral("bad where-clause");
        QTest::newRow("bad label field") << pbf << QStringLiteral("lines") << QString() << QStringLiteral("title")
                                         << QStringLiteral("no field \"title\"");
    }
    void vectorErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, layer);
        QFETCH(QString, where);
        QFETCH(QString, labelField);
        QFETCH(QString, message);
        if (file == QLatin1String("corrupt.geojson")) {
            file = m_dir.filePath(file);
            const QByteArray good = test::readFile(boundaryDir + u"seoul_municipalities_geo.json");
            QVERIFY(test::writeFile(file, good.left(good.size() / 2)));
        } else if (file == QLatin1String("corrupt.osm.pbf")) {
            file = m_dir.filePath(file);
            QByteArray bytes = test::readFile(osmDir + u"yeoido.osm.pbf");
            for (qsizetype i = 200; i < bytes.size(); i += 7)
                bytes[i] = char(bytes[i] ^ 0x5a);
            QVERIFY(test::writeFile(file, bytes));
        }
        MapLayerSpec spec = vectorSpec(file, layer, where);
        spec.id = QStringLiteral("broken");
        spec.labelField = labelField;
        QString error;
        QVERIFY(!VectorLayerData::load(spec, &error));
        QVERIFY2(error.startsWith(QStringLiteral("map layer \"broken\" (%1): ").arg(file)), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
        qInfo("%s", qPrintable(error));
    }

    // --- raster tiles -----------------------------------------------------------------------

    void rasterDistrictColours_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("zoom");
        for (int zoom : {11, 13, 15}) {
            QTest::addRow("rgba geotiff z%d", zoom) << m_fixture.rgbaGeoTiff << zoom;
            QTest::addRow("rgb nodata geotiff z%d", zoom) << m_fixture.rgbNoDataGeoTiff << zoom;
            QTest::addRow("palette korean tm z%d", zoom) << m_fixture.paletteGeoTiff << zoom;
            QTest::addRow("mbtiles z%d", zoom) << m_fixture.mbtiles << zoom;
            QTest::addRow("geopackage z%d", zoom) << m_fixture.geoPackage << zoom;
        }
    }
    void rasterDistrictColours()
    {
        QFETCH(QString, file);
        QFETCH(int, zoom);
        QString error;
        const auto reader = RasterTileReader::open(file, &error);
        QVERIFY2(reader, qPrintable(error));
        QCOMPARE(reader->nativeZoom(), 13); // 0.0002° ≈ 22 m pixels; z13 has 19 m
        // The data's extent, in world units, within a source pixel of the fixture's.
        const QPointF nw = WebMercator::project(m_fixture.lonLatBounds.minX, m_fixture.lonLatBounds.maxY);
        const QPointF se = WebMercator::project(m_fixture.lonLatBounds.maxX, m_fixture.lonLatBounds.minY);
        const double pixel = m_fixture.pixelDegrees / 360.0;
        const GeoRect bounds = reader->worldBounds();
        if (file != m_fixture.mbtiles && file != m_fixture.geoPackage) { // whole tiles there
            QVERIFY(std::abs(bounds.minX - nw.x()) < 2 * pixel && std::abs(bounds.maxX - se.x()) < 2 * pixel);
            QVERIFY(std::abs(bounds.minY - nw.y()) < 2 * pixel && std::abs(bounds.maxY - se.y()) < 2 * pixel);
        }
        QVERIFY(bounds.contains(nw.x() + pixel, nw.y() + pixel) && bounds.contains(se.x() - pixel, se.y() - pixel));

        int checked = 0;
        std::vector<quint32> tile;
        for (const test::DistrictSwatch &d : m_fixture.districts) {
            const QPointF label = interiorLabelPoint(d.rings);
            if (!m_fixture.lonLatBounds.contains(label.x(), label.y()))
                continue;
            const QPointF world = WebMercator::project(label.x(), label.y());
            const TileId id = tileAt(world, zoom);
            QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
            QCOMPARE(tile.size(), std::size_t(256 * 256));
            const quint32 got = pixelAt(tile, id, world);
            QVERIFY2(got == d.argb, qPrintable(QStringLiteral("%1 at %2,%3: got #%4, expected #%5")
                                                   .arg(d.name)
                                                   .arg(label.x())
                                                   .arg(label.y())
                                                   .arg(got, 8, 16, QLatin1Char('0'))
                                                   .arg(d.argb, 8, 16, QLatin1Char('0'))));
            ++checked;
        }
        QVERIFY2(checked >= 8, qPrintable(QString::number(checked)));
    }

    void rasterMatchesPolygons_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("zoom");
        for (int zoom : {12, 14}) {
            QTest::addRow("rgba geotiff z%d", zoom) << m_fixture.rgbaGeoTiff << zoom;
            QTest::addRow("palette korean tm z%d", zoom) << m_fixture.paletteGeoTiff << zoom;
            QTest::addRow("mbtiles z%d", zoom) << m_fixture.mbtiles << zoom;
            QTest::addRow("geopackage z%d", zoom) << m_fixture.geoPackage << zoom;
        }
    }
    void rasterMatchesPolygons()
    {
        // Every pixel of a tile around City Hall (several small districts meet there) has the
        // colour of the district under its centre; only pixels next to a border may differ (about
        // 0.6 % do; a read shifted by 8 pixels leaves 2.5 % wrong).
        QFETCH(QString, file);
        QFETCH(int, zoom);
        std::vector<std::vector<Ring>> polygons;
        for (const test::DistrictSwatch &d : m_fixture.districts) {
            std::vector<Ring> rings;
            for (const Ring &r : d.rings) {
                Ring world;
                for (const QPointF &p : r)
                    world.push_back(WebMercator::project(p.x(), p.y()));
                rings.push_back(std::move(world));
            }
            polygons.push_back(std::move(rings));
        }
        const PolygonIndex index(polygons);
        QString error;
        const auto reader = RasterTileReader::open(file, &error);
        QVERIFY2(reader, qPrintable(error));
        const TileId id = tileAt(WebMercator::project(126.978, 37.5665), zoom);
        std::vector<quint32> tile;
        QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
        const double scale = std::exp2(zoom) * 256;
        int matching = 0;
        QSet<quint32> colours;
        for (int y = 0; y < 256; ++y) {
            for (int x = 0; x < 256; ++x) {
                const int district = index.polygonAt((id.x * 256 + x + 0.5) / scale, (id.y * 256 + y + 0.5) / scale);
                const quint32 expected = district < 0 ? 0u : m_fixture.districts[std::size_t(district)].argb;
                const quint32 got = tile[std::size_t(y) * 256 + std::size_t(x)];
                matching += got == expected;
                colours.insert(got);
            }
        }
        QVERIFY2(colours.size() >= 3, qPrintable(QString::number(colours.size())));
        QVERIFY2(matching >= 256 * 256 * 985 / 1000,
                 qPrintable(QStringLiteral("%1 % match").arg(matching * 100.0 / 65536)));
    }

    void rasterOutsideAndEdges_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rgba geotiff") << m_fixture.rgbaGeoTiff;
        QTest::newRow("rgb nodata geotiff") << m_fixture.rgbNoDataGeoTiff;
        QTest::newRow("palette korean tm") << m_fixture.paletteGeoTiff;
        QTest::newRow("mbtiles") << m_fixture.mbtiles;
        QTest::newRow("geopackage") << m_fixture.geoPackage;
    }
    void rasterOutsideAndEdges()
    {
        QFETCH(QString, file);
        QString error;
        const auto reader = RasterTileReader::open(file, &error);
        QVERIFY2(reader, qPrintable(error));
        std::vector<quint32> tile;
        const auto transparent = [&] {
            return std::all_of(tile.begin(), tile.end(), [](quint32 p) { return p == 0; });
        };
        // Far outside, and just south-east of the data: transparent, and still a success.
        for (const TileId id : {TileId{3, 1, 1}, tileAt(WebMercator::project(127.3, 37.3), 13), TileId{0, 0, 0}}) {
            tile.assign(3, 0xffffffffu);
            QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
            QCOMPARE(tile.size(), std::size_t(256 * 256));
            if (id.z > 0)
                QVERIFY(transparent());
        }
        // A tile on the west edge of the data: transparent west of it, some colour east of it.
        const QPointF edge = WebMercator::project(m_fixture.lonLatBounds.minX, 37.55);
        const TileId id = tileAt(edge, 14);
        QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
        const double edgeColumn = (edge.x() * std::exp2(14) - id.x) * 256;
        QVERIFY(edgeColumn > 10 && edgeColumn < 246);
        // Nearest-neighbour warps may move the edge by a source pixel each (two for Korean TM).
        const double margin = 2 * m_fixture.pixelDegrees / 360.0 * std::exp2(14) * 256;
        int west = 0, eastOpaque = 0;
        for (int y = 0; y < 256; ++y) {
            for (int x = 0; x < 256; ++x) {
                const quint32 p = tile[std::size_t(y) * 256 + std::size_t(x)];
                if (x < edgeColumn - margin)
                    west += p != 0;
                else if (x > edgeColumn + margin)
                    eastOpaque += (p >> 24) == 255;
            }
        }
        QCOMPARE(west, 0);
        QVERIFY(eastOpaque > 1000);
    }

    void mbtilesRowsMatchTable()
    {
        QString error;
        const auto reader = RasterTileReader::open(m_fixture.mbtiles, &error);
        QVERIFY2(reader, qPrintable(error));
        const std::vector<StoredTile> stored = storedTiles(m_fixture.mbtiles);
        QVERIFY(stored.size() >= 10);
        std::vector<quint32> tile, unflipped;
        int compared = 0, differsWhenUnflipped = 0;
        QSet<int> zooms;
        for (const StoredTile &s : stored) {
            const std::vector<quint32> expected = decodeTile(s.blob);
            QCOMPARE(expected.size(), std::size_t(256 * 256));
            const TileId id{s.z, s.column, tmsRow(s.z, s.row)};
            QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
            QVERIFY2(tile == expected, qPrintable(QStringLiteral("tile %1/%2/%3").arg(id.z).arg(id.x).arg(id.y)));
            // Reading the TMS row as if it were the XYZ row gives another tile: the check above can fail.
            if (tmsRow(s.z, s.row) != s.row) {
                QVERIFY(reader->readTile(TileId{s.z, s.column, s.row}, unflipped, &error));
                differsWhenUnflipped += unflipped != expected;
            }
            zooms.insert(s.z);
            ++compared;
        }
        QCOMPARE(differsWhenUnflipped, compared);
        QCOMPARE(zooms.size(), m_fixture.mbtilesMaxZoom - m_fixture.mbtilesMinZoom + 1);
    }

    void brokenRasters_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("corrupt mbtiles") << m_fixture.corruptMbtiles << QString();
        QTest::newRow("truncated mbtiles") << m_fixture.truncatedMbtiles << QString();
        QTest::newRow("missing") << m_dir.filePath(QStringLiteral("nowhere.mbtiles"))
                                 << QStringLiteral("does not exist");
        QTest::newRow("not a raster") << QStringLiteral(GWANJE_DATA_DIR "/map/layers.json")
                                      << QStringLiteral("not recognized as a supported file format");
        QTest::newRow("vector only") << boundaryDir + u"seoul_municipalities_geo.json"
                                     << QStringLiteral("not recognized as a supported file format");
    }
    void brokenRasters()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        QString error;
        const auto reader = RasterTileReader::open(file, &error);
        if (reader) {
            // Opening may succeed on the pages that survived; reading the tiles must then fail.
            QVERIFY(message.isEmpty());
            int failed = 0;
            std::vector<quint32> tile;
            const GeoRect b = reader->worldBounds();
            for (int z = m_fixture.mbtilesMinZoom; z <= m_fixture.mbtilesMaxZoom; ++z) {
                for (const TileId &id : tilesCovering(b, z)) {
                    if (!reader->readTile(id, tile, &error)) {
                        ++failed;
                        QVERIFY2(error.contains(u"cannot read tile"), qPrintable(error));
                    }
                }
            }
            QVERIFY2(failed > 0, "no read failed on a corrupt file");
        }
        QVERIFY2(error.startsWith(u"raster " + file + u": "), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
        qInfo("%s", qPrintable(error));
    }

    void readTileTiming()
    {
        for (const QString &file : {m_fixture.rgbaGeoTiff, m_fixture.paletteGeoTiff, m_fixture.mbtiles}) {
            QString error;
            QElapsedTimer timer;
            timer.start();
            const auto reader = RasterTileReader::open(file, &error);
            QVERIFY2(reader, qPrintable(error));
            const qint64 openNs = timer.nsecsElapsed();
            std::vector<quint32> tile;
            int tiles = 0;
            timer.restart();
            for (int z = 10; z <= 15; ++z) {
                for (const TileId &id : tilesCovering(reader->worldBounds(), z)) {
                    QVERIFY2(reader->readTile(id, tile, &error), qPrintable(error));
                    ++tiles;
                }
            }
            qInfo("%s: open %.1f ms, %d tiles z10-15, %.2f ms per tile", qPrintable(QFileInfo(file).fileName()),
                  openNs / 1e6, tiles, timer.nsecsElapsed() / 1e6 / tiles);
        }
    }

private:
    QTemporaryDir m_dir;
    test::RasterFixture m_fixture;
};

QTEST_GUILESS_MAIN(TestMapSources)
#include "tst_mapsources.moc"
