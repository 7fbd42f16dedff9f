#include "RasterFixture.h"

#include <QDir>
#include <QFile>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>

#include <cmath>
#include <memory>

namespace gwanje::test {

namespace {

struct Geometries
{
    std::vector<OGRGeometryH> items;
    Geometries() = default;
    Geometries(const Geometries &) = delete;
    Geometries &operator=(const Geometries &) = delete;
    ~Geometries()
    {
        for (OGRGeometryH g : items)
            OGR_G_DestroyGeometry(g);
    }
};

struct Options
{
    char **list = nullptr;
    Options(std::initializer_list<const char *> args)
    {
        for (const char *a : args)
            list = CSLAddString(list, a);
    }
    Options(const Options &) = delete;
    Options &operator=(const Options &) = delete;
    ~Options() { CSLDestroy(list); }
};

void appendRings(OGRGeometryH g, std::vector<Ring> &rings)
{
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i)
            appendRings(OGR_G_GetGeometryRef(g, i), rings);
    } else if (type == wkbPolygon) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(g, i);
            Ring r;
            for (int k = 0; k < OGR_G_GetPointCount(ring); ++k)
                r.emplace_back(OGR_G_GetX(ring, k), OGR_G_GetY(ring, k));
            rings.push_back(std::move(r));
        }
    }
}

QString gdalError(const char *what)
{
    return QStringLiteral("%1: %2").arg(QString::fromUtf8(what), QString::fromUtf8(CPLGetLastErrorMsg()));
}

bool setSrs(GDALDatasetH ds, int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, epsg);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER); // geotransform x is longitude
    const bool ok = GDALSetSpatialRef(ds, srs) == CE_None;
    OSRDestroySpatialReference(srs);
    return ok;
}

bool zoomRange(const QString &mbtiles, int *minZoom, int *maxZoom)
{
    sqlite3 *db = nullptr;
    bool ok = false;
    if (sqlite3_open_v2(mbtiles.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles", -1, &st, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            *minZoom = sqlite3_column_int(st, 0);
            *maxZoom = sqlite3_column_int(st, 1);
            ok = true;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return ok;
}

} // namespace

quint32 RasterFixture::colourFor(int index)
{
    // Distinct in red for up to 25 districts; no channel is 0, so nodata 0 never hits a district.
    const quint32 r = quint32(40 + 8 * index), g = quint32(230 - 7 * index), b = quint32((60 + 97 * index) % 200 + 30);
    return 0xff000000u | (r << 16) | (g << 8) | b;
}

bool RasterFixture::build(const QString &dirPath, QString *error)
{
    GDALAllRegister();
    const QDir dir(dirPath);
    rgbaGeoTiff = dir.filePath(QStringLiteral("seoul_rgba_4326.tif"));
    rgbNoDataGeoTiff = dir.filePath(QStringLiteral("seoul_rgb_nodata_4326.tif"));
    paletteGeoTiff = dir.filePath(QStringLiteral("seoul_palette_5186.tif"));
    mbtiles = dir.filePath(QStringLiteral("seoul_3857.mbtiles"));
    geoPackage = dir.filePath(QStringLiteral("seoul_3857.gpkg"));
    corruptMbtiles = dir.filePath(QStringLiteral("seoul_corrupt.mbtiles"));
    truncatedMbtiles = dir.filePath(QStringLiteral("seoul_truncated.mbtiles"));

    // The 25 districts, each with its own colour.
    const QByteArray districtsFile = QByteArray(GWANJE_DATA_DIR) + "/seoul/boundaries/seoul_municipalities_geo.json";
    GDALDatasetH vector =
        GDALOpenEx(districtsFile.constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!vector)
        return *error = gdalError("cannot open the district file"), false;
    Geometries geometries;
    std::vector<double> rgbaBurn, indexBurn;
    OGRLayerH layer = GDALDatasetGetLayer(vector, 0);
    const int nameField = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "name");
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        DistrictSwatch d;
        d.name = QString::fromUtf8(OGR_F_GetFieldAsString(f, nameField));
        d.argb = colourFor(int(districts.size()));
        OGRGeometryH geometry = OGR_F_GetGeometryRef(f);
        if (!geometry) {
            OGR_F_Destroy(f);
            continue;
        }
        appendRings(geometry, d.rings);
        geometries.items.push_back(OGR_G_Clone(geometry));
        for (int shift : {16, 8, 0})
            rgbaBurn.push_back(double((d.argb >> shift) & 0xff));
        rgbaBurn.push_back(255.0);
        indexBurn.push_back(double(districts.size() + 1));
        districts.push_back(std::move(d));
        OGR_F_Destroy(f);
    }
    GDALClose(vector);
    if (districts.size() != 25)
        return *error = QStringLiteral("expected 25 districts, read %1").arg(districts.size()), false;

    // (a) RGBA GeoTIFF in EPSG:4326 over the middle of Seoul.
    lonLatBounds = GeoRect::fromEdges(126.90, 37.48, 127.10, 37.60);
    pixelDegrees = 0.0002;
    const int width = int(std::lround(lonLatBounds.width() / pixelDegrees));
    const int height = int(std::lround(lonLatBounds.height() / pixelDegrees));
    double geoTransform[6] = {lonLatBounds.minX, pixelDegrees, 0, lonLatBounds.maxY, 0, -pixelDegrees};
    {
        Options create{"PHOTOMETRIC=RGB", "ALPHA=YES", "COMPRESS=DEFLATE"};
        GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), rgbaGeoTiff.toUtf8().constData(), width, height, 4,
                                     GDT_Byte, create.list);
        if (!ds)
            return *error = gdalError("cannot create the RGBA GeoTIFF"), false;
        int bands[4] = {1, 2, 3, 4};
        const bool ok =
            GDALSetGeoTransform(ds, geoTransform) == CE_None && setSrs(ds, 4326) &&
            GDALRasterizeGeometries(ds, 4, bands, int(geometries.items.size()), geometries.items.data(), nullptr,
                                    nullptr, rgbaBurn.data(), nullptr, nullptr, nullptr) == CE_None;
        GDALClose(ds);
        if (!ok)
            return *error = gdalError("cannot rasterize the districts"), false;
    }

    GDALDatasetH rgba = GDALOpen(rgbaGeoTiff.toUtf8().constData(), GA_ReadOnly);
    if (!rgba)
        return *error = gdalError("cannot reopen the RGBA GeoTIFF"), false;
    // (b) RGB with nodata 0 instead of alpha.
    {
        Options args{"-b", "1", "-b", "2", "-b", "3", "-a_nodata", "0", "-co", "COMPRESS=DEFLATE"};
        GDALTranslateOptions *options = GDALTranslateOptionsNew(args.list, nullptr);
        GDALDatasetH out = GDALTranslate(rgbNoDataGeoTiff.toUtf8().constData(), rgba, options, nullptr);
        GDALTranslateOptionsFree(options);
        if (!out) {
            GDALClose(rgba);
            return *error = gdalError("cannot write the RGB GeoTIFF"), false;
        }
        GDALClose(out);
    }
    // (c) MBTiles in EPSG:3857 (the driver reprojects), PNG tiles, overviews down three levels.
    {
        Options args{"-of", "MBTiles",           "-co", "TILE_FORMAT=PNG", "-co", "ZOOM_LEVEL_STRATEGY=UPPER",
                     "-co", "RESAMPLING=NEAREST"};
        GDALTranslateOptions *options = GDALTranslateOptionsNew(args.list, nullptr);
        GDALDatasetH out = GDALTranslate(mbtiles.toUtf8().constData(), rgba, options, nullptr);
        GDALTranslateOptionsFree(options);
        if (!out) {
            GDALClose(rgba);
            return *error = gdalError("cannot write the MBTiles"), false;
        }
        GDALClose(out);
    }
    {
        Options args{"-of", "GPKG",
                     "-co", "TILING_SCHEME=GoogleMapsCompatible",
                     "-co", "TILE_FORMAT=PNG",
                     "-co", "ZOOM_LEVEL_STRATEGY=UPPER",
                     "-co", "RESAMPLING=NEAREST"};
        GDALTranslateOptions *options = GDALTranslateOptionsNew(args.list, nullptr);
        GDALDatasetH out = GDALTranslate(geoPackage.toUtf8().constData(), rgba, options, nullptr);
        GDALTranslateOptionsFree(options);
        if (!out) {
            GDALClose(rgba);
            return *error = gdalError("cannot write the GeoPackage"), false;
        }
        GDALClose(out);
    }
    GDALClose(rgba);
    for (const QString &file : {mbtiles, geoPackage}) {
        // Overviews computed on the whole tiles, as the reader opens them (RasterTileReader.cpp).
        // A reopened GeoPackage forgets its tile format and would write opaque tiles as JPEG.
        const char *openOptions[] = {file == mbtiles ? "USE_BOUNDS=NO" : "USE_TILE_EXTENT=YES",
                                     file == mbtiles ? nullptr : "TILE_FORMAT=PNG", nullptr};
        GDALDatasetH ds =
            GDALOpenEx(file.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_UPDATE, nullptr, openOptions, nullptr);
        int factors[3] = {2, 4, 8};
        const bool ok = ds && GDALBuildOverviews(ds, "NEAREST", 3, factors, 0, nullptr, nullptr, nullptr) == CE_None;
        if (ds)
            GDALClose(ds);
        if (!ok)
            return *error = gdalError("cannot build the tile overviews"), false;
    }
    if (!zoomRange(mbtiles, &mbtilesMinZoom, &mbtilesMaxZoom))
        return *error = QStringLiteral("cannot read the MBTiles zoom range"), false;
    // (d) One band with a colour table and nodata 0, in Korean TM (EPSG:5186).
    {
        GDALDatasetH mem = GDALCreate(GDALGetDriverByName("MEM"), "", width, height, 1, GDT_Byte, nullptr);
        GDALRasterBandH band = GDALGetRasterBand(mem, 1);
        GDALColorTableH table = GDALCreateColorTable(GPI_RGB);
        const GDALColorEntry transparent = {0, 0, 0, 0};
        GDALSetColorEntry(table, 0, &transparent);
        for (std::size_t i = 0; i < districts.size(); ++i) {
            const quint32 c = districts[i].argb;
            const GDALColorEntry e = {short((c >> 16) & 0xff), short((c >> 8) & 0xff), short(c & 0xff), 255};
            GDALSetColorEntry(table, int(i + 1), &e);
        }
        GDALSetRasterColorTable(band, table);
        GDALDestroyColorTable(table);
        GDALSetRasterNoDataValue(band, 0);
        int bands[1] = {1};
        bool ok = GDALSetGeoTransform(mem, geoTransform) == CE_None && setSrs(mem, 4326) &&
                  GDALRasterizeGeometries(mem, 1, bands, int(geometries.items.size()), geometries.items.data(), nullptr,
                                          nullptr, indexBurn.data(), nullptr, nullptr, nullptr) == CE_None;
        if (ok) {
            Options args{"-t_srs", "EPSG:5186", "-r", "near", "-dstnodata", "0", "-co", "COMPRESS=DEFLATE"};
            GDALWarpAppOptions *options = GDALWarpAppOptionsNew(args.list, nullptr);
            GDALDatasetH out = GDALWarp(paletteGeoTiff.toUtf8().constData(), nullptr, 1, &mem, options, nullptr);
            GDALWarpAppOptionsFree(options);
            ok = out != nullptr;
            if (out)
                GDALClose(out);
        }
        GDALClose(mem);
        if (!ok)
            return *error = gdalError("cannot write the palette GeoTIFF"), false;
    }
    // (e) Broken copies of the MBTiles: everything after the first two pages overwritten, and
    // the file cut to 40 %.
    {
        QFile::remove(corruptMbtiles);
        QFile::remove(truncatedMbtiles);
        if (!QFile::copy(mbtiles, corruptMbtiles) || !QFile::copy(mbtiles, truncatedMbtiles))
            return *error = QStringLiteral("cannot copy the MBTiles"), false;
        QFile corrupt(corruptMbtiles);
        if (!corrupt.open(QIODevice::ReadWrite))
            return *error = corrupt.errorString(), false;
        const QByteArray header = corrupt.read(100);
        const int pageSize = (uchar(header.at(16)) << 8) | uchar(header.at(17));
        QByteArray garbage(int(corrupt.size() - 2 * pageSize), '\0');
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 131 + 7) & 0xff);
        corrupt.seek(2 * pageSize);
        corrupt.write(garbage);
        corrupt.close();
        QFile truncated(truncatedMbtiles);
        if (!truncated.resize(truncated.size() * 4 / 10))
            return *error = truncated.errorString(), false;
    }
    return true;
}

} // namespace gwanje::test
