#include "VectorLayerData.h"

#include "MapConfig.h"
#include "MapLogging.h"
#include "data/Gdal.h"
#include "data/GdalPtr_p.h"
#include "geo/WebMercator.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>

namespace gwanje {

namespace {

// A feature covering more cells than this is tested directly instead of being listed per cell.
constexpr int maxCellsPerFeature = 64;
constexpr int maxGridSide = 1024;

struct Collected
{
    std::vector<std::vector<QPointF>> rings;
    std::vector<std::vector<QPointF>> lines;
    bool finite = true;
};

std::vector<QPointF> project(const OGRSimpleCurve *curve, bool *finite)
{
    std::vector<QPointF> out;
    const int n = curve->getNumPoints();
    out.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        const double lon = curve->getX(i), lat = curve->getY(i);
        if (!std::isfinite(lon) || !std::isfinite(lat)) {
            *finite = false;
            return {};
        }
        out.push_back(WebMercator::project(lon, lat));
    }
    return out;
}

void collect(const OGRGeometry *g, Collected &c)
{
    if (!g || g->IsEmpty())
        return;
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPoint: {
        const auto *p = g->toPoint();
        if (!std::isfinite(p->getX()) || !std::isfinite(p->getY())) {
            c.finite = false;
            return;
        }
        c.lines.push_back({WebMercator::project(p->getX(), p->getY())});
        return;
    }
    case wkbLineString: {
        auto part = project(g->toLineString(), &c.finite);
        if (part.size() >= 2)
            c.lines.push_back(std::move(part));
        return;
    }
    case wkbPolygon:
        for (const OGRLinearRing *ring : *g->toPolygon()) {
            auto part = project(ring, &c.finite);
            if (part.size() > 1 && part.front() == part.back())
                part.pop_back(); // rings are implicitly closed
            if (part.size() >= 3)
                c.rings.push_back(std::move(part));
        }
        return;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry *member : *g->toGeometryCollection())
            collect(member, c);
        return;
    default:
        if (g->hasCurveGeometry()) {
            std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
            collect(linear.get(), c);
        }
        return;
    }
}

GeoRect boundsOf(const std::vector<std::vector<QPointF>> &parts)
{
    GeoRect r;
    for (const auto &part : parts)
        for (const QPointF &p : part)
            r.expand(p.x(), p.y());
    return r;
}

} // namespace

std::shared_ptr<const VectorLayerData> VectorLayerData::load(const MapLayerSpec &spec, QString *error)
{
    Gdal::ensureInitialized();
    Gdal::ErrorCapture capture;
    QElapsedTimer timer;
    timer.start();
    const auto fail = [&](const QString &problem) -> std::shared_ptr<const VectorLayerData> {
        if (error)
            *error = QStringLiteral("map layer \"%1\" (%2): %3").arg(spec.id, spec.source, problem);
        return nullptr;
    };
    const auto gdalDetail = [&](const QString &fallback) {
        return capture.lastMessage().isEmpty() ? fallback : capture.lastMessage();
    };

    const QByteArray source = spec.source.toUtf8();
    Gdal::DatasetPtr ds(static_cast<GDALDataset *>(GDALOpenEx(
        source.constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr, nullptr, nullptr)));
    if (!ds) {
        if (!spec.source.startsWith(u'<') && !spec.source.contains(u':') && !QFileInfo::exists(spec.source))
            return fail(QStringLiteral("the file does not exist"));
        return fail(gdalDetail(QStringLiteral("GDAL cannot open it as a vector data set")));
    }
    OGRLayer *layer =
        spec.ogrLayer.isEmpty() ? ds->GetLayer(0) : ds->GetLayerByName(spec.ogrLayer.toUtf8().constData());
    if (!layer) {
        return fail(spec.ogrLayer.isEmpty()
                        ? QStringLiteral("the data set has no layer")
                        : QStringLiteral("the data set has no layer named \"%1\"").arg(spec.ogrLayer));
    }
    // The OSM driver parses the whole file once for all its layers and buffers the features of
    // the layers nobody reads; naming the one layer we want makes it drop the others.
    if (qstrcmp(ds->GetDriverName(), "OSM") == 0) {
        const QByteArray interest = QByteArray("SET interest_layers = ") + layer->GetName();
        ds->ExecuteSQL(interest.constData(), nullptr, nullptr);
    }
    if (!spec.where.isEmpty() && layer->SetAttributeFilter(spec.where.toUtf8().constData()) != OGRERR_NONE)
        return fail(QStringLiteral("bad where-clause \"%1\": %2").arg(spec.where, gdalDetail(QString())));

    int labelField = -1;
    if (!spec.labelField.isEmpty()) {
        labelField = layer->GetLayerDefn()->GetFieldIndex(spec.labelField.toUtf8().constData());
        if (labelField < 0)
            return fail(QStringLiteral("the layer has no field \"%1\" for labels").arg(spec.labelField));
    }

    Gdal::TransformPtr toWgs84;
    if (const OGRSpatialReference *srs = layer->GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!srs->IsSame(&wgs84)) {
            toWgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
            if (!toWgs84)
                return fail(
                    QStringLiteral("cannot convert its coordinate system to WGS84: %1").arg(gdalDetail(QString())));
        }
    }

    std::shared_ptr<VectorLayerData> data(new VectorLayerData);
    layer->ResetReading();
    CPLErrorReset();
    for (;;) {
        OGRFeatureUniquePtr feature(layer->GetNextFeature());
        if (!feature)
            break;
        OGRGeometry *geometry = feature->GetGeometryRef();
        if (!geometry || geometry->IsEmpty() || (toWgs84 && geometry->transform(toWgs84.get()) != OGRERR_NONE)) {
            ++data->m_skipped;
            continue;
        }
        Collected c;
        collect(geometry, c);
        VectorFeature f;
        f.polygon = !c.rings.empty();
        f.parts = f.polygon ? std::move(c.rings) : std::move(c.lines);
        if (!c.finite || f.parts.empty()) {
            ++data->m_skipped;
            continue;
        }
        f.bounds = boundsOf(f.parts);
        if (labelField >= 0 && feature->IsFieldSetAndNotNull(labelField))
            f.label = QString::fromUtf8(feature->GetFieldAsString(labelField));
        data->m_bounds.expand(f.bounds);
        data->m_features.push_back(std::move(f));
    }
    // GetNextFeature() returns null both at the end and on a read error (a truncated file).
    if (CPLGetLastErrorType() == CE_Failure)
        return fail(QStringLiteral("reading stopped after %1 features: %2")
                        .arg(data->m_features.size())
                        .arg(gdalDetail(QStringLiteral("read error"))));
    data->m_features.shrink_to_fit();
    data->buildIndex();
    qCInfo(lcMap, "layer %s: %d features (%d skipped) in %lld ms", qUtf8Printable(spec.id), data->size(),
           data->m_skipped, qint64(timer.elapsed()));
    return data;
}

int VectorLayerData::cellX(double x) const
{
    const double c = (x - m_bounds.minX) / m_cellWidth;
    return c <= 0.0 ? 0 : (c >= m_cols ? m_cols - 1 : int(c));
}

int VectorLayerData::cellY(double y) const
{
    const double c = (y - m_bounds.minY) / m_cellHeight;
    return c <= 0.0 ? 0 : (c >= m_rows ? m_rows - 1 : int(c));
}

void VectorLayerData::buildIndex()
{
    if (m_features.empty())
        return;
    // About two features per cell, cells roughly square.
    const double w = std::max(m_bounds.width(), 1e-12), h = std::max(m_bounds.height(), 1e-12);
    const double cellSide = std::sqrt(w * h / std::max<double>(1.0, double(m_features.size()) / 2.0));
    m_cols = std::clamp(int(std::ceil(w / cellSide)), 1, maxGridSide);
    m_rows = std::clamp(int(std::ceil(h / cellSide)), 1, maxGridSide);
    m_cellWidth = w / m_cols;
    m_cellHeight = h / m_rows;

    std::vector<std::uint32_t> counts(std::size_t(m_cols) * std::size_t(m_rows) + 1, 0);
    const auto forCells = [this](const GeoRect &b, auto &&fn) {
        for (int cy = cellY(b.minY); cy <= cellY(b.maxY); ++cy)
            for (int cx = cellX(b.minX); cx <= cellX(b.maxX); ++cx)
                fn(std::size_t(cy) * std::size_t(m_cols) + std::size_t(cx));
    };
    const auto isLarge = [this](const GeoRect &b) {
        return (cellX(b.maxX) - cellX(b.minX) + 1) * (cellY(b.maxY) - cellY(b.minY) + 1) > maxCellsPerFeature;
    };
    for (std::uint32_t i = 0; i < m_features.size(); ++i) {
        if (isLarge(m_features[i].bounds))
            m_large.push_back(i);
        else
            forCells(m_features[i].bounds, [&](std::size_t cell) { ++counts[cell + 1]; });
    }
    for (std::size_t c = 1; c < counts.size(); ++c)
        counts[c] += counts[c - 1];
    m_cellStart = counts;
    m_cellItems.resize(counts.back());
    for (std::uint32_t i = 0; i < m_features.size(); ++i) {
        if (!isLarge(m_features[i].bounds))
            forCells(m_features[i].bounds, [&](std::size_t cell) { m_cellItems[counts[cell]++] = i; });
    }
}

void VectorLayerData::forEachIntersecting(const GeoRect &world,
                                          const std::function<void(const VectorFeature &)> &visit) const
{
    if (!world.intersects(m_bounds))
        return;
    for (std::uint32_t i : m_large) {
        if (m_features[i].bounds.intersects(world))
            visit(m_features[i]);
    }
    const int qx0 = cellX(world.minX), qx1 = cellX(world.maxX);
    const int qy0 = cellY(world.minY), qy1 = cellY(world.maxY);
    for (int cy = qy0; cy <= qy1; ++cy) {
        for (int cx = qx0; cx <= qx1; ++cx) {
            const std::size_t cell = std::size_t(cy) * std::size_t(m_cols) + std::size_t(cx);
            for (std::uint32_t k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const VectorFeature &f = m_features[m_cellItems[k]];
                // A feature listed in several cells is reported from the first cell that both it
                // and the query cover, so each one is visited once without a "seen" set.
                if (cx != std::max(qx0, cellX(f.bounds.minX)) || cy != std::max(qy0, cellY(f.bounds.minY)))
                    continue;
                if (f.bounds.intersects(world))
                    visit(f);
            }
        }
    }
}

} // namespace gwanje
