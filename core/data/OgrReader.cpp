#include "OgrReader_p.h"

#include "Gdal.h"
#include "GdalPtr_p.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

namespace gwanje {

namespace {
using Gdal::TransformPtr;

OGRSpatialReference wgs84()
{
    OGRSpatialReference srs;
    srs.SetWellKnownGeogCS("WGS84");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

void appendRing(const OGRLinearRing *ring, const OGRCoordinateTransformation *transform, std::vector<Ring> &out)
{
    if (!ring || ring->getNumPoints() < 3)
        return;
    Ring r;
    const int n = ring->getNumPoints();
    r.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        double x = ring->getX(i), y = ring->getY(i);
        if (transform && !const_cast<OGRCoordinateTransformation *>(transform)->Transform(1, &x, &y))
            return;
        r.emplace_back(x, y);
    }
    if (r.size() > 1 && r.front() == r.back())
        r.pop_back(); // rings are implicitly closed
    if (r.size() >= 3)
        out.push_back(std::move(r));
}
// The geometry with curves (arcs) made into line segments, or nullptr when it is empty; holder
// keeps a converted copy alive.
const OGRGeometry *linearGeometry(const OGRGeometry *g, std::unique_ptr<OGRGeometry> &holder)
{
    if (!g || g->IsEmpty())
        return nullptr;
    if (!g->hasCurveGeometry())
        return g;
    holder.reset(g->getLinearGeometry());
    return holder.get();
}
} // namespace

struct OgrReader::Private
{
    Gdal::DatasetPtr dataset;
    OGRLayer *layer = nullptr;
    OGRFeatureUniquePtr feature;
    TransformPtr geometryTransform; // layer SRS -> WGS84, when the layer is not WGS84
    TransformPtr columnTransform;   // column SRS -> WGS84, when set
};

OgrReader::OgrReader()
    : d(std::make_unique<Private>())
{}

OgrReader::~OgrReader() = default;

std::unique_ptr<OgrReader> OgrReader::open(const QString &path, const QString &layerName, QString *error)
{
    Gdal::ensureInitialized();
    Gdal::ErrorCapture capture;
    const QByteArray file = path.toUtf8();
    auto *ds = static_cast<GDALDataset *>(GDALOpenEx(
        file.constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr, nullptr, nullptr));
    if (!ds) {
        if (error)
            *error = capture.lastMessage().isEmpty() ? QStringLiteral("GDAL cannot open it as a vector data set")
                                                     : capture.lastMessage();
        return nullptr;
    }
    std::unique_ptr<OgrReader> reader(new OgrReader);
    reader->d->dataset.reset(ds);
    reader->d->layer = layerName.isEmpty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.toUtf8().constData());
    if (!reader->d->layer) {
        if (error)
            *error = layerName.isEmpty() ? QStringLiteral("the data set has no layer")
                                         : QStringLiteral("the data set has no layer named \"%1\"").arg(layerName);
        return nullptr;
    }
    if (const OGRSpatialReference *srs = reader->d->layer->GetSpatialRef()) {
        const OGRSpatialReference target = wgs84();
        if (!srs->IsSame(&target)) {
            reader->d->geometryTransform.reset(OGRCreateCoordinateTransformation(srs, &target));
            if (!reader->d->geometryTransform) {
                if (error)
                    *error = QStringLiteral("cannot convert the layer's coordinate system to WGS84: %1")
                                 .arg(capture.lastMessage());
                return nullptr;
            }
        }
    }
    reader->d->layer->ResetReading();
    return reader;
}

QStringList OgrReader::fieldNames() const
{
    QStringList names;
    const OGRFeatureDefn *defn = d->layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        names.append(QString::fromUtf8(defn->GetFieldDefn(i)->GetNameRef()));
    return names;
}

int OgrReader::fieldIndex(const QString &name) const
{
    return d->layer->GetLayerDefn()->GetFieldIndex(name.toUtf8().constData());
}

bool OgrReader::setColumnSrs(const QString &srs, QString *error)
{
    d->columnTransform.reset();
    if (srs.isEmpty())
        return true;
    Gdal::ErrorCapture capture;
    OGRSpatialReference source;
    if (source.SetFromUserInput(srs.toUtf8().constData()) != OGRERR_NONE) {
        if (error)
            *error = QStringLiteral("unknown coordinate system \"%1\"").arg(srs);
        return false;
    }
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference target = wgs84();
    if (source.IsSame(&target))
        return true;
    d->columnTransform.reset(OGRCreateCoordinateTransformation(&source, &target));
    if (!d->columnTransform) {
        if (error)
            *error = QStringLiteral("cannot convert \"%1\" to WGS84: %2").arg(srs, capture.lastMessage());
        return false;
    }
    return true;
}

bool OgrReader::setAttributeFilter(const QString &where, QString *error)
{
    Gdal::ErrorCapture capture;
    if (d->layer->SetAttributeFilter(where.isEmpty() ? nullptr : where.toUtf8().constData()) != OGRERR_NONE) {
        if (error)
            *error = QStringLiteral("OGR cannot use the filter \"%1\": %2").arg(where, capture.lastMessage());
        return false;
    }
    d->layer->ResetReading();
    return true;
}

bool OgrReader::next()
{
    d->feature.reset(d->layer->GetNextFeature());
    return d->feature != nullptr;
}

bool OgrReader::isNull(int field) const
{
    return field < 0 || !d->feature->IsFieldSetAndNotNull(field);
}

const char *OgrReader::raw(int field) const
{
    if (isNull(field))
        return nullptr;
    return d->feature->GetFieldAsString(field);
}

QByteArray OgrReader::utf8(int field) const
{
    const char *text = raw(field);
    return text ? QByteArray(text) : QByteArray();
}

QString OgrReader::string(int field) const
{
    const char *text = raw(field);
    if (!text || !*text)
        return {};
    const std::size_t n = std::strlen(text);
    QString s = QString::fromUtf8(text, qsizetype(n));
    // Trimming allocates; most values need none.
    if (std::isspace(static_cast<unsigned char>(text[0])) || std::isspace(static_cast<unsigned char>(text[n - 1])))
        s = s.trimmed();
    return s;
}

std::optional<double> OgrReader::number(int field) const
{
    if (isNull(field))
        return std::nullopt;
    const OGRFieldType type = d->feature->GetFieldDefnRef(field)->GetType();
    if (type == OFTReal || type == OFTInteger || type == OFTInteger64)
        return d->feature->GetFieldAsDouble(field);
    const char *begin = d->feature->GetFieldAsString(field);
    const char *end = begin + std::strlen(begin);
    while (begin < end && std::isspace(static_cast<unsigned char>(*begin)))
        ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(end[-1])))
        --end;
    if (begin < end && *begin == '+')
        ++begin;
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (begin == end || ec != std::errc() || ptr != end)
        return std::nullopt; // empty, not a number, or trailing text such as "37.5N"
    return value;
}

std::optional<QPointF> OgrReader::point() const
{
    const OGRGeometry *g = d->feature->GetGeometryRef();
    if (!g || g->IsEmpty() || wkbFlatten(g->getGeometryType()) != wkbPoint)
        return std::nullopt;
    const auto *p = g->toPoint();
    double x = p->getX(), y = p->getY();
    if (d->geometryTransform && !d->geometryTransform->Transform(1, &x, &y))
        return std::nullopt;
    return QPointF(x, y);
}

std::optional<QPointF> OgrReader::pointOnSurface() const
{
    const OGRGeometry *g = d->feature->GetGeometryRef();
    if (!g || g->IsEmpty())
        return std::nullopt;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbCurvePolygon && type != wkbMultiSurface)
        return std::nullopt;
    // A point surely inside (GEOS); without GEOS, the centroid: inside any convex outline.
    OGRPoint p;
    std::unique_ptr<OGRGeometry> inside(
        OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry *>(g)))));
    if (inside && !inside->IsEmpty() && wkbFlatten(inside->getGeometryType()) == wkbPoint)
        p = *inside->toPoint();
    else if (g->Centroid(&p) != OGRERR_NONE || p.IsEmpty())
        return std::nullopt;
    double x = p.getX(), y = p.getY();
    if (d->geometryTransform && !d->geometryTransform->Transform(1, &x, &y))
        return std::nullopt;
    return QPointF(x, y);
}

std::vector<std::vector<QPointF>> OgrReader::lines() const
{
    std::vector<std::vector<QPointF>> out;
    std::unique_ptr<OGRGeometry> linear;
    const OGRGeometry *g = linearGeometry(d->feature->GetGeometryRef(), linear);
    if (!g)
        return out;
    auto add = [this, &out](const OGRLineString *line) {
        std::vector<QPointF> points;
        points.reserve(std::size_t(line->getNumPoints()));
        for (int i = 0; i < line->getNumPoints(); ++i) {
            double x = line->getX(i), y = line->getY(i);
            if (d->geometryTransform && !d->geometryTransform->Transform(1, &x, &y))
                return;
            points.emplace_back(x, y);
        }
        if (points.size() >= 2)
            out.push_back(std::move(points));
    };
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbLineString:
        add(g->toLineString());
        break;
    case wkbMultiLineString:
        for (const OGRLineString *line : *g->toMultiLineString())
            add(line);
        break;
    default:
        break;
    }
    return out;
}

std::optional<QPointF> OgrReader::toLonLat(double x, double y) const
{
    if (d->columnTransform && !d->columnTransform->Transform(1, &x, &y))
        return std::nullopt;
    return QPointF(x, y);
}

std::vector<Ring> OgrReader::rings() const
{
    std::vector<Ring> out;
    std::unique_ptr<OGRGeometry> linear;
    const OGRGeometry *g = linearGeometry(d->feature->GetGeometryRef(), linear);
    if (!g)
        return out;
    const OGRCoordinateTransformation *t = d->geometryTransform.get();
    auto addPolygon = [&out, t](const OGRPolygon *polygon) {
        appendRing(polygon->getExteriorRing(), t, out);
        for (int i = 0; i < polygon->getNumInteriorRings(); ++i)
            appendRing(polygon->getInteriorRing(i), t, out);
    };
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
        addPolygon(g->toPolygon());
        break;
    case wkbMultiPolygon:
        for (const OGRPolygon *polygon : *g->toMultiPolygon())
            addPolygon(polygon);
        break;
    default:
        break;
    }
    return out;
}

QString OgrReader::geometryTypeName() const
{
    const OGRGeometry *g = d->feature->GetGeometryRef();
    return g ? QString::fromLatin1(g->getGeometryName()) : QStringLiteral("none");
}

} // namespace gwanje
