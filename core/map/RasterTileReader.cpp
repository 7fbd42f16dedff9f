#include "RasterTileReader.h"

#include "MapLogging.h"
#include "data/Gdal.h"
#include "geo/WebMercator.h"

#include <QFileInfo>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdalwarper.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace gwanje {

namespace {

constexpr double worldMetres = 2.0 * std::numbers::pi * WebMercator::earthRadius;
constexpr int tilePixels = RasterTileReader::tileSize * RasterTileReader::tileSize;

struct Srs
{
    OGRSpatialReferenceH h = OSRNewSpatialReference(nullptr);
    Srs() = default;
    Srs(const Srs &) = delete;
    Srs &operator=(const Srs &) = delete;
    ~Srs() { OSRDestroySpatialReference(h); }
};

bool isWebMercator(OGRSpatialReferenceH srs)
{
    Srs mercator;
    OSRImportFromEPSG(mercator.h, 3857);
    return OSRIsSame(srs, mercator.h);
}

quint32 premultiply(int a, int r, int g, int b)
{
    if (a <= 0)
        return 0;
    if (a < 255) {
        r = (r * a + 127) / 255;
        g = (g * a + 127) / 255;
        b = (b * a + 127) / 255;
    }
    return (quint32(a) << 24) | (quint32(r) << 16) | (quint32(g) << 8) | quint32(b);
}

// Warps a dataset that is not north-up EPSG:3857 into a virtual one that is, adding an alpha
// band so that the corners outside the source become transparent instead of black.
GDALDatasetH createWebMercatorVrt(GDALDatasetH source)
{
    const int count = GDALGetRasterCount(source);
    const bool sourceAlpha = GDALGetRasterColorInterpretation(GDALGetRasterBand(source, count)) == GCI_AlphaBand;
    const int colourBands = sourceAlpha ? count - 1 : count;
    if (colourBands < 1)
        return nullptr;

    GDALWarpOptions *options = GDALCreateWarpOptions();
    options->hSrcDS = source;
    options->eResampleAlg = GRA_NearestNeighbour;
    options->nBandCount = colourBands;
    options->panSrcBands = static_cast<int *>(CPLMalloc(sizeof(int) * std::size_t(colourBands)));
    options->panDstBands = static_cast<int *>(CPLMalloc(sizeof(int) * std::size_t(colourBands)));
    for (int i = 0; i < colourBands; ++i)
        options->panSrcBands[i] = options->panDstBands[i] = i + 1;
    options->nSrcAlphaBand = sourceAlpha ? count : 0;
    options->nDstAlphaBand = colourBands + 1;
    int hasNoData = 0;
    const double firstNoData = GDALGetRasterNoDataValue(GDALGetRasterBand(source, 1), &hasNoData);
    if (hasNoData) {
        options->padfSrcNoDataReal = static_cast<double *>(CPLMalloc(sizeof(double) * std::size_t(colourBands)));
        for (int i = 0; i < colourBands; ++i) {
            int bandHasNoData = 0;
            const double v = GDALGetRasterNoDataValue(GDALGetRasterBand(source, i + 1), &bandHasNoData);
            options->padfSrcNoDataReal[i] = bandHasNoData ? v : firstNoData;
        }
    }

    char **transformerOptions = CSLSetNameValue(nullptr, "DST_SRS", "EPSG:3857");
    void *transformer = GDALCreateGenImgProjTransformer2(source, nullptr, transformerOptions);
    CSLDestroy(transformerOptions);
    GDALDatasetH vrt = nullptr;
    std::array<double, 6> gt{};
    int width = 0, height = 0;
    if (transformer &&
        GDALSuggestedWarpOutput(source, GDALGenImgProjTransform, transformer, gt.data(), &width, &height) == CE_None) {
        GDALSetGenImgProjTransformerDstGeoTransform(transformer, gt.data());
        options->pfnTransformer = GDALGenImgProjTransform;
        options->pTransformerArg = transformer;
        // The warped data set owns the transformer from here on, also when it fails.
        vrt = GDALCreateWarpedVRT(source, width, height, gt.data(), options);
    } else if (transformer) {
        GDALDestroyGenImgProjTransformer(transformer);
    }
    GDALDestroyWarpOptions(options);
    if (vrt) {
        Srs mercator;
        OSRImportFromEPSG(mercator.h, 3857);
        GDALSetSpatialRef(vrt, mercator.h);
    }
    return vrt;
}

} // namespace

struct RasterTileReader::Private
{
    enum class Colour { Grey, Palette, Rgb };

    GDALDatasetH source = nullptr;
    GDALDatasetH warped = nullptr;
    GDALDatasetH dataset = nullptr; // the one read: warped if set, else source
    QString name;
    std::array<double, 6> gt{};
    int width = 0;
    int height = 0;
    Colour colour = Colour::Grey;
    int alphaBand = 0; // 0 = none
    bool useMask = false;
    std::array<quint32, 256> palette{}; // premultiplied ARGB

    ~Private()
    {
        // The warped data set holds a reference to the source, so it goes first.
        if (warped)
            GDALClose(warped);
        if (source)
            GDALClose(source);
    }

    bool inspect(QString *problem);
};

bool RasterTileReader::Private::inspect(QString *problem)
{
    width = GDALGetRasterXSize(dataset);
    height = GDALGetRasterYSize(dataset);
    const int count = GDALGetRasterCount(dataset);
    if (GDALGetGeoTransform(dataset, gt.data()) != CE_None || !(gt[1] > 0.0) || !(gt[5] < 0.0)) {
        *problem = QStringLiteral("it is not a north-up raster after warping to EPSG:3857");
        return false;
    }
    GDALRasterBandH first = GDALGetRasterBand(dataset, 1);
    const auto interpretation = [&](int band) {
        return band <= count ? GDALGetRasterColorInterpretation(GDALGetRasterBand(dataset, band)) : GCI_Undefined;
    };
    if (count >= 3) {
        colour = Colour::Rgb;
        if (count >= 4 && (interpretation(4) == GCI_AlphaBand || interpretation(4) == GCI_Undefined))
            alphaBand = 4;
    } else {
        GDALColorTableH table = GDALGetRasterColorTable(first);
        if (table && interpretation(1) == GCI_PaletteIndex) {
            colour = Colour::Palette;
            const int entries = std::min(256, GDALGetColorEntryCount(table));
            for (int i = 0; i < entries; ++i) {
                GDALColorEntry e;
                if (GDALGetColorEntryAsRGB(table, i, &e))
                    palette[std::size_t(i)] = premultiply(e.c4, e.c1, e.c2, e.c3);
            }
        }
        if (count == 2)
            alphaBand = 2;
    }
    const int maskFlags = GDALGetMaskFlags(first);
    useMask = alphaBand == 0 && !(maskFlags & GMF_ALL_VALID);
    return true;
}

RasterTileReader::RasterTileReader()
    : d(std::make_unique<Private>())
{}

RasterTileReader::~RasterTileReader() = default;

std::unique_ptr<RasterTileReader> RasterTileReader::open(const QString &source, QString *error)
{
    Gdal::ensureInitialized();
    Gdal::ErrorCapture capture;
    const auto fail = [&](const QString &problem) -> std::unique_ptr<RasterTileReader> {
        if (error)
            *error = QStringLiteral("raster %1: %2").arg(source, problem);
        return nullptr;
    };
    std::unique_ptr<RasterTileReader> reader(new RasterTileReader);
    Private &d = *reader->d;
    d.name = source;
    const QByteArray name = source.toUtf8();
    // Both tile-store drivers crop the raster to the extent recorded in the file by default. The
    // full-resolution grid then starts off a tile boundary, the overview grids no longer line up
    // with it, and GDAL's overview reads come out shifted. The whole tiles keep every level aligned.
    const char *openOptions[] = {nullptr, nullptr};
    if (GDALDriverH driver = GDALIdentifyDriverEx(name.constData(), GDAL_OF_RASTER, nullptr, nullptr)) {
        const QByteArray driverName(GDALGetDriverShortName(driver));
        if (driverName == "MBTiles")
            openOptions[0] = "USE_BOUNDS=NO";
        else if (driverName == "GPKG")
            openOptions[0] = "USE_TILE_EXTENT=YES";
    }
    d.source = GDALOpenEx(name.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                          openOptions, nullptr);
    if (!d.source) {
        if (!source.startsWith(u'<') && !source.contains(u':') && !QFileInfo::exists(source))
            return fail(QStringLiteral("the file does not exist"));
        return fail(capture.lastMessage().isEmpty() ? QStringLiteral("GDAL cannot open it as a raster")
                                                    : capture.lastMessage());
    }
    if (GDALGetRasterCount(d.source) < 1)
        return fail(QStringLiteral("it has no raster bands"));

    std::array<double, 6> gt{};
    const bool hasTransform = GDALGetGeoTransform(d.source, gt.data()) == CE_None;
    OGRSpatialReferenceH srs = GDALGetSpatialRef(d.source);
    if ((!hasTransform || !srs) && GDALGetGCPCount(d.source) == 0)
        return fail(QStringLiteral("it has no georeferencing or coordinate system"));
    const bool northUpMercator =
        hasTransform && srs && isWebMercator(srs) && gt[2] == 0.0 && gt[4] == 0.0 && gt[1] > 0.0 && gt[5] < 0.0;
    if (northUpMercator) {
        d.dataset = d.source;
    } else {
        d.warped = createWebMercatorVrt(d.source);
        if (!d.warped) {
            return fail(
                QStringLiteral("cannot warp it to EPSG:3857: %1")
                    .arg(capture.lastMessage().isEmpty() ? QStringLiteral("unknown reason") : capture.lastMessage()));
        }
        d.dataset = d.warped;
    }
    QString problem;
    if (!d.inspect(&problem))
        return fail(problem);
    qCDebug(lcMap, "raster %s: %dx%d px, %d bands%s, native zoom %d", qUtf8Printable(source), d.width, d.height,
            GDALGetRasterCount(d.dataset), d.warped ? " (warped to EPSG:3857)" : "", reader->nativeZoom());
    return reader;
}

GeoRect RasterTileReader::worldBounds() const
{
    const auto &gt = d->gt;
    const auto clamp01 = [](double v) {
        return std::clamp(v, 0.0, 1.0);
    };
    return GeoRect::fromEdges(clamp01(gt[0] / worldMetres + 0.5), clamp01(0.5 - gt[3] / worldMetres),
                              clamp01((gt[0] + d->width * gt[1]) / worldMetres + 0.5),
                              clamp01(0.5 - (gt[3] + d->height * gt[5]) / worldMetres));
}

int RasterTileReader::nativeZoom() const
{
    const double zoom = std::log2(worldMetres / (tileSize * d->gt[1]));
    return std::isfinite(zoom) ? std::clamp(int(std::lround(zoom)), 0, 29) : 0;
}

bool RasterTileReader::readTile(TileId tile, std::vector<quint32> &argbPremultiplied, QString *error)
{
    argbPremultiplied.assign(std::size_t(tilePixels), 0u);
    if (!tile.isValid()) {
        if (error)
            *error =
                QStringLiteral("raster %1: invalid tile %2/%3/%4").arg(d->name).arg(tile.z).arg(tile.x).arg(tile.y);
        return false;
    }
    const auto &gt = d->gt;
    const GeoRect world = tileWorldBounds(tile);
    // The tile's edges in (fractional) source pixels.
    const double px0 = ((world.minX - 0.5) * worldMetres - gt[0]) / gt[1];
    const double px1 = ((world.maxX - 0.5) * worldMetres - gt[0]) / gt[1];
    const double py0 = ((0.5 - world.minY) * worldMetres - gt[3]) / gt[5];
    const double py1 = ((0.5 - world.maxY) * worldMetres - gt[3]) / gt[5];
    const double sx = tileSize / (px1 - px0), sy = tileSize / (py1 - py0); // tile pixels per source pixel
    // The part of the tile that has data, rounded to whole tile pixels.
    const int bx0 = std::clamp(int(std::lround((std::max(px0, 0.0) - px0) * sx)), 0, tileSize);
    const int bx1 = std::clamp(int(std::lround((std::min(px1, double(d->width)) - px0) * sx)), 0, tileSize);
    const int by0 = std::clamp(int(std::lround((std::max(py0, 0.0) - py0) * sy)), 0, tileSize);
    const int by1 = std::clamp(int(std::lround((std::min(py1, double(d->height)) - py0) * sy)), 0, tileSize);
    if (bx1 <= bx0 || by1 <= by0)
        return true; // outside the data
    const int bw = bx1 - bx0, bh = by1 - by0;

    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.bFloatingPointWindowValidity = TRUE;
    extra.dfXOff = std::clamp(px0 + bx0 / sx, 0.0, double(d->width));
    extra.dfYOff = std::clamp(py0 + by0 / sy, 0.0, double(d->height));
    extra.dfXSize = std::clamp(px0 + bx1 / sx, 0.0, double(d->width)) - extra.dfXOff;
    extra.dfYSize = std::clamp(py0 + by1 / sy, 0.0, double(d->height)) - extra.dfYOff;
    const int xOff = std::min(int(std::floor(extra.dfXOff)), d->width - 1);
    const int yOff = std::min(int(std::floor(extra.dfYOff)), d->height - 1);
    const int xSize = std::clamp(int(std::ceil(extra.dfXOff + extra.dfXSize)) - xOff, 1, d->width - xOff);
    const int ySize = std::clamp(int(std::ceil(extra.dfYOff + extra.dfYSize)) - yOff, 1, d->height - yOff);
    if (!(extra.dfXSize > 0.0) || !(extra.dfYSize > 0.0))
        return true;

    std::array<int, 4> bands{1, 2, 3, 0};
    int bandCount = d->colour == Private::Colour::Rgb ? 3 : 1;
    if (d->alphaBand)
        bands[std::size_t(bandCount++)] = d->alphaBand;
    const std::size_t bandSpace = std::size_t(tilePixels);
    std::vector<GByte> buffer(bandSpace * std::size_t(bandCount + (d->useMask ? 1 : 0)), 0);
    const std::size_t start = std::size_t(by0) * tileSize + std::size_t(bx0);

    Gdal::ErrorCapture capture;
    CPLErrorReset();
    CPLErr result = GDALDatasetRasterIOEx(d->dataset, GF_Read, xOff, yOff, xSize, ySize, buffer.data() + start, bw, bh,
                                          GDT_Byte, bandCount, bands.data(), 1, tileSize, GSpacing(bandSpace), &extra);
    if (result == CE_None && d->useMask) {
        GDALRasterBandH mask = GDALGetMaskBand(GDALGetRasterBand(d->dataset, 1));
        result = GDALRasterIOEx(mask, GF_Read, xOff, yOff, xSize, ySize,
                                buffer.data() + bandSpace * std::size_t(bandCount) + start, bw, bh, GDT_Byte, 1,
                                tileSize, &extra);
    }
    // Some drivers report a broken tile only through the error handler and still return CE_None.
    if (result != CE_None || CPLGetLastErrorType() == CE_Failure) {
        argbPremultiplied.assign(std::size_t(tilePixels), 0u);
        if (error) {
            *error = QStringLiteral("raster %1: cannot read tile %2/%3/%4: %5")
                         .arg(d->name)
                         .arg(tile.z)
                         .arg(tile.x)
                         .arg(tile.y)
                         .arg(capture.lastMessage().isEmpty() ? QStringLiteral("read error") : capture.lastMessage());
        }
        return false;
    }

    const GByte *b0 = buffer.data();
    const GByte *b1 = b0 + bandSpace;
    const GByte *b2 = b1 + bandSpace;
    const GByte *alpha = d->alphaBand ? b0 + bandSpace * std::size_t(bandCount - 1) : nullptr;
    const GByte *mask = d->useMask ? b0 + bandSpace * std::size_t(bandCount) : nullptr;
    for (int y = by0; y < by1; ++y) {
        for (int x = bx0; x < bx1; ++x) {
            const std::size_t i = std::size_t(y) * tileSize + std::size_t(x);
            int a = alpha ? alpha[i] : 255;
            if (mask && mask[i] == 0)
                a = 0;
            quint32 argb = 0;
            switch (d->colour) {
            case Private::Colour::Grey:
                argb = premultiply(a, b0[i], b0[i], b0[i]);
                break;
            case Private::Colour::Rgb:
                argb = premultiply(a, b0[i], b1[i], b2[i]);
                break;
            case Private::Colour::Palette: {
                const quint32 entry = d->palette[b0[i]];
                if (a == 255) {
                    argb = entry;
                } else {
                    const auto scale = [a](quint32 c) {
                        return (c * quint32(a) + 127) / 255;
                    };
                    argb = (scale(entry >> 24) << 24) | (scale((entry >> 16) & 0xff) << 16) |
                           (scale((entry >> 8) & 0xff) << 8) | scale(entry & 0xff);
                }
                break;
            }
            }
            argbPremultiplied[i] = argb;
        }
    }
    return true;
}

} // namespace gwanje
