#include "CameraIndex.h"

#include "assets/AssetRegistry.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gwanje {

namespace {

constexpr double degree = std::numbers::pi / 180.0;

// Metres per degree of latitude and of longitude at a latitude, from the WGS84 ellipsoid's
// meridional (M) and prime-vertical (N) radii of curvature. A sphere of 111,320 m per degree
// would be 0.3 % long in latitude at Seoul; ranking does not care, reported distances do.
struct LocalScale
{
    double latitude;  // metres per degree of latitude
    double longitude; // metres per degree of longitude
};

LocalScale localScale(double latitudeDegrees)
{
    constexpr double a = 6'378'137.0;
    constexpr double f = 1.0 / 298.257'223'563;
    constexpr double e2 = f * (2.0 - f);
    const double s = std::sin(latitudeDegrees * degree);
    const double c = std::cos(latitudeDegrees * degree);
    const double w2 = 1.0 - e2 * s * s;
    const double w = std::sqrt(w2);
    const double n = a / w;
    const double m = a * (1.0 - e2) / (w2 * w);
    return {m * degree, n * c * degree};
}

bool validPosition(double latitude, double longitude)
{
    return latitude >= -90.0 && latitude <= 90.0 && longitude >= -180.0 && longitude <= 180.0; // false for NaN
}

// Bearing of the offset (east, north), clockwise from north, in [0, 360); 0 for no offset (atan2
// of two negative zeros, the spot exactly at the camera, would say 180).
double bearingOf(double east, double north)
{
    if (east == 0.0 && north == 0.0)
        return 0.0;
    double b = std::atan2(east, north) / degree;
    if (b < 0.0)
        b += 360.0;
    return b >= 360.0 ? 0.0 : b; // -1e-15 + 360 rounds to 360
}

// A directional view with at least one heading and a field of view: the only kind that can look away.
bool hasCones(const CameraView &view)
{
    return view.kind == CameraView::Kind::Directional && view.headingKnown() && view.fieldOfViewDegrees > 0.0;
}

bool inCone(double bearingDegrees, double headingDegrees, double halfAngle)
{
    double d = std::fmod(std::abs(bearingDegrees - headingDegrees), 360.0);
    if (d > 180.0)
        d = 360.0 - d;
    return d <= halfAngle;
}

// The ranking: coverage, then distance, then asset index so that equal distances (sites at the
// same address share coordinates) always come out in the same order.
bool ranksBefore(const CameraHit &a, const CameraHit &b)
{
    if (a.coverage != b.coverage)
        return a.coverage < b.coverage;
    if (a.distanceMetres != b.distanceMetres)
        return a.distanceMetres < b.distanceMetres;
    return a.asset < b.asset;
}

// Grids bigger than this (cameras spread over a continent, say) get coarser cells instead.
constexpr double maxCells = 4.0 * 1024 * 1024;

} // namespace

CameraCoverage CameraIndex::coverage(const CameraView &view, double bearingDegrees, double distanceMetres)
{
    if (view.kind == CameraView::Kind::Panoramic)
        return CameraCoverage::Covers;
    if (!hasCones(view))
        return CameraCoverage::Unknown;
    if (distanceMetres <= coincidentMetres)
        return CameraCoverage::Covers;
    const double half = view.fieldOfViewDegrees / 2.0;
    for (float heading : view.headingsDegrees) {
        if (inCone(bearingDegrees, heading, half))
            return CameraCoverage::Covers;
    }
    return CameraCoverage::Away;
}

CameraCoverage CameraIndex::coverageOf(std::int32_t view, double bearingDegrees, double distanceMetres) const
{
    if (view == panoramicView)
        return CameraCoverage::Covers;
    if (view == unknownView)
        return CameraCoverage::Unknown;
    if (distanceMetres <= coincidentMetres)
        return CameraCoverage::Covers;
    const ConeSet &set = m_coneSets[std::size_t(view)];
    for (std::uint32_t i = set.first; i < set.first + set.count; ++i) {
        if (inCone(bearingDegrees, m_headings[i], set.halfAngle))
            return CameraCoverage::Covers;
    }
    return CameraCoverage::Away;
}

CameraIndex::CameraIndex(const AssetRegistry &registry, double cellMetres)
{
    if (!(cellMetres > 0.0) || !std::isfinite(cellMetres))
        cellMetres = defaultRadiusMetres;

    // Views are shared per distinct direction text, so cone sets are too.
    QHash<const CameraView *, std::int32_t> coneSetOf;
    std::vector<Entry> cameras;
    double minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
    const std::vector<Asset> &assets = registry.assets();
    for (std::size_t i = 0; i < assets.size(); ++i) {
        const Asset &a = assets[i];
        if (a.kind != AssetKind::CameraSite || !validPosition(a.latitude, a.longitude))
            continue;
        const CameraView *view = registry.cameraView(i);
        std::int32_t code = unknownView;
        if (view && view->kind == CameraView::Kind::Panoramic) {
            code = panoramicView;
        } else if (view && hasCones(*view)) {
            auto it = coneSetOf.constFind(view);
            if (it == coneSetOf.constEnd()) {
                it = coneSetOf.insert(view, std::int32_t(m_coneSets.size()));
                m_coneSets.push_back({std::uint32_t(m_headings.size()), std::uint32_t(view->headingsDegrees.size()),
                                      view->fieldOfViewDegrees / 2.0});
                m_headings.insert(m_headings.end(), view->headingsDegrees.begin(), view->headingsDegrees.end());
            }
            code = *it;
        }
        cameras.push_back({a.latitude, a.longitude, std::int32_t(i), code});
        minLat = std::min(minLat, a.latitude);
        maxLat = std::max(maxLat, a.latitude);
        minLon = std::min(minLon, a.longitude);
        maxLon = std::max(maxLon, a.longitude);
    }
    if (cameras.empty())
        return;

    // Cells of about cellMetres at the middle latitude; the query works out its own cell range, so
    // cells that are not square in metres further north or south only cost a little scanning.
    const LocalScale scale = localScale((minLat + maxLat) / 2.0);
    m_minLatitude = minLat;
    m_minLongitude = minLon;
    m_cellLatitude = cellMetres / scale.latitude;
    m_cellLongitude = cellMetres / std::max(scale.longitude, 1.0);
    while (((maxLat - minLat) / m_cellLatitude + 1.0) * ((maxLon - minLon) / m_cellLongitude + 1.0) > maxCells) {
        m_cellLatitude *= 2.0;
        m_cellLongitude *= 2.0;
    }
    m_rows = int((maxLat - minLat) / m_cellLatitude) + 1;
    m_cols = int((maxLon - minLon) / m_cellLongitude) + 1;

    // Counting sort by cell into one flat array (CSR): a query reads each grid row's cells as one span.
    auto cellOf = [this](const Entry &e) {
        const int row = std::min(int((e.latitude - m_minLatitude) / m_cellLatitude), m_rows - 1);
        const int col = std::min(int((e.longitude - m_minLongitude) / m_cellLongitude), m_cols - 1);
        return std::size_t(row) * std::size_t(m_cols) + std::size_t(col);
    };
    m_cellStart.assign(std::size_t(m_rows) * std::size_t(m_cols) + 1, 0);
    for (const Entry &e : cameras)
        ++m_cellStart[cellOf(e) + 1];
    for (std::size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_entries.resize(cameras.size());
    std::vector<std::uint32_t> next(m_cellStart.begin(), m_cellStart.end() - 1);
    for (const Entry &e : cameras)
        m_entries[next[cellOf(e)]++] = e;
}

void CameraIndex::nearest(double latitude, double longitude, int k, double radiusMetres,
                          std::vector<CameraHit> &out) const
{
    out.clear();
    if (!validPosition(latitude, longitude) || k < 1 || !(radiusMetres > 0.0) || m_entries.empty())
        return;

    const LocalScale scale = localScale(latitude);
    // The box of the circle in degrees, a hair wider so that rounding in the cell arithmetic never
    // loses a camera at exactly radiusMetres. Near a pole the longitude span becomes infinite and
    // is clamped to the grid below.
    const double spanLat = radiusMetres / scale.latitude * (1.0 + 1e-9);
    const double spanLon = radiusMetres / scale.longitude * (1.0 + 1e-9);
    const double rowLo = std::floor((latitude - spanLat - m_minLatitude) / m_cellLatitude);
    const double rowHi = std::floor((latitude + spanLat - m_minLatitude) / m_cellLatitude);
    const double colLo = std::floor((longitude - spanLon - m_minLongitude) / m_cellLongitude);
    const double colHi = std::floor((longitude + spanLon - m_minLongitude) / m_cellLongitude);
    if (rowHi < 0.0 || colHi < 0.0 || rowLo >= double(m_rows) || colLo >= double(m_cols))
        return;
    const int r0 = int(std::max(rowLo, 0.0)), r1 = int(std::min(rowHi, double(m_rows - 1)));
    const int c0 = int(std::max(colLo, 0.0)), c1 = int(std::min(colHi, double(m_cols - 1)));

    // During the scan a hit carries the squared distance (same order, no square root per
    // candidate) and, in bearingDegrees, its entry's index; both are turned into metres and
    // degrees for the k that remain.
    const double radius2 = radiusMetres * radiusMetres;
    const std::size_t limit = std::size_t(k);
    for (int row = r0; row <= r1; ++row) {
        const std::size_t cell = std::size_t(row) * std::size_t(m_cols);
        const std::uint32_t end = m_cellStart[cell + std::size_t(c1) + 1];
        for (std::uint32_t i = m_cellStart[cell + std::size_t(c0)]; i < end; ++i) {
            const Entry &e = m_entries[i];
            const double north = (e.latitude - latitude) * scale.latitude;
            const double east = (e.longitude - longitude) * scale.longitude;
            const double d2 = east * east + north * north;
            if (d2 > radius2)
                continue;
            CameraCoverage c;
            if (e.view == panoramicView)
                c = CameraCoverage::Covers;
            else if (e.view == unknownView)
                c = CameraCoverage::Unknown;
            else // the offset above is spot to camera; the cone needs camera to spot
                c = coverageOf(e.view, bearingOf(-east, -north), std::sqrt(d2));
            const CameraHit hit{e.asset, c, d2, double(i)};
            if (out.size() == limit) {
                if (!ranksBefore(hit, out.back()))
                    continue;
                out.back() = hit;
            } else {
                out.push_back(hit);
            }
            for (std::size_t j = out.size() - 1; j > 0 && ranksBefore(out[j], out[j - 1]); --j)
                std::swap(out[j], out[j - 1]);
        }
    }
    for (CameraHit &hit : out) {
        const Entry &e = m_entries[std::size_t(hit.bearingDegrees)];
        hit.distanceMetres = std::sqrt(hit.distanceMetres);
        hit.bearingDegrees =
            bearingOf(-(e.longitude - longitude) * scale.longitude, -(e.latitude - latitude) * scale.latitude);
    }
}

} // namespace gwanje
