// fusion.nearest_cameras_us: the 5 camera sites that can best see a spot within 150 m, among all
// of Seoul's, against a linear scan over every site with the same ranking.

#include "BenchJson.h"
#include "data/AssetLoader.h"
#include "fusion/CameraIndex.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

namespace gwanje::bench {

namespace {

struct Spot
{
    double latitude, longitude;
};

// The baseline: every camera site in one flat array (position and how its view is judged, no
// registry lookups), all scanned per query with CameraIndex's distance, coverage rule and bounded
// top-k insertion. Only the grid is missing.
class LinearScan
{
public:
    explicit LinearScan(const AssetRegistry &registry)
    {
        for (std::size_t i = 0; i < registry.assets().size(); ++i) {
            const Asset &a = registry.assets()[i];
            if (a.kind != AssetKind::CameraSite)
                continue;
            const CameraView *view = registry.cameraView(i);
            const bool needsBearing = view->kind == CameraView::Kind::Directional && view->headingKnown();
            m_cameras.push_back(
                {a.latitude, a.longitude, int(i),
                 view->kind == CameraView::Kind::Panoramic ? CameraCoverage::Covers : CameraCoverage::Unknown,
                 needsBearing ? view : nullptr});
        }
    }

    void nearest(double latitude, double longitude, int k, double radius, std::vector<CameraHit> &out) const
    {
        out.clear();
        // WGS84 metres per degree at the spot, as CameraIndex does.
        constexpr double a = 6'378'137.0, f = 1 / 298.257'223'563, e2 = f * (2 - f), degree = std::numbers::pi / 180;
        const double s = std::sin(latitude * degree), w2 = 1 - e2 * s * s, w = std::sqrt(w2);
        const double perLat = a * (1 - e2) / (w2 * w) * degree, perLon = a / w * std::cos(latitude * degree) * degree;
        const double radius2 = radius * radius;
        for (std::size_t i = 0; i < m_cameras.size(); ++i) {
            const Camera &c = m_cameras[i];
            const double north = (c.latitude - latitude) * perLat, east = (c.longitude - longitude) * perLon;
            const double d2 = east * east + north * north;
            if (d2 > radius2)
                continue;
            const CameraCoverage coverage =
                c.view ? CameraIndex::coverage(*c.view, bearing(-east, -north), std::sqrt(d2)) : c.coverage;
            // Squared distance and the camera's slot until the end, as CameraIndex does.
            const CameraHit hit{c.asset, coverage, d2, double(i)};
            if (out.size() == std::size_t(k)) {
                if (!before(hit, out.back()))
                    continue;
                out.back() = hit;
            } else {
                out.push_back(hit);
            }
            for (std::size_t j = out.size() - 1; j > 0 && before(out[j], out[j - 1]); --j)
                std::swap(out[j], out[j - 1]);
        }
        for (CameraHit &hit : out) {
            const Camera &c = m_cameras[std::size_t(hit.bearingDegrees)];
            hit.distanceMetres = std::sqrt(hit.distanceMetres);
            hit.bearingDegrees = bearing((longitude - c.longitude) * perLon, (latitude - c.latitude) * perLat);
        }
    }

private:
    static double bearing(double east, double north)
    {
        if (east == 0.0 && north == 0.0)
            return 0.0;
        double b = std::atan2(east, north) / (std::numbers::pi / 180);
        if (b < 0)
            b += 360;
        return b >= 360 ? 0.0 : b;
    }
    static bool before(const CameraHit &a, const CameraHit &b)
    {
        if (a.coverage != b.coverage)
            return a.coverage < b.coverage;
        if (a.distanceMetres != b.distanceMetres)
            return a.distanceMetres < b.distanceMetres;
        return a.asset < b.asset;
    }

    struct Camera
    {
        double latitude, longitude;
        int asset;
        CameraCoverage coverage;
        const CameraView *view; // only for directional views with headings: the bearing decides
    };
    std::vector<Camera> m_cameras;
};

// Half the spots anywhere in the assets' extent (parks, the river, streets), half exactly at real
// assets of every kind, where cameras crowd: a wearer's SOS comes mostly from where people are.
std::vector<Spot> makeSpots(const AssetRegistry &registry, std::size_t n)
{
    const std::vector<Asset> &assets = registry.assets();
    double minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
    for (const Asset &a : assets) {
        minLat = std::min(minLat, a.latitude);
        maxLat = std::max(maxLat, a.latitude);
        minLon = std::min(minLon, a.longitude);
        maxLon = std::max(maxLon, a.longitude);
    }
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<std::size_t> pick(0, assets.size() - 1);
    std::vector<Spot> spots;
    spots.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 2) {
            const Asset &a = assets[pick(rng)];
            spots.push_back({a.latitude, a.longitude});
        } else {
            const double lat = minLat + u(rng) * (maxLat - minLat);
            spots.push_back({lat, minLon + u(rng) * (maxLon - minLon)});
        }
    }
    return spots;
}

// Microseconds per query over all spots; `sink` keeps the answers from being optimised away.
template<typename Finder> double timeQueries(const Finder &finder, const std::vector<Spot> &spots, std::size_t &sink)
{
    std::vector<CameraHit> hits;
    QElapsedTimer timer;
    timer.start();
    for (const Spot &s : spots) {
        finder.nearest(s.latitude, s.longitude, CameraIndex::defaultCount, CameraIndex::defaultRadiusMetres, hits);
        sink += hits.size() + (hits.empty() ? 0 : std::size_t(hits.front().asset));
    }
    return double(timer.nsecsElapsed()) / 1e3 / double(spots.size());
}

} // namespace

void cameraBenchmarks(const Settings &settings, const QString &dataDir)
{
    if (!settings.selected("fusion.nearest_cameras_us"))
        return;
    const LoadResult loaded = AssetLoader::loadDirectory(dataDir);
    const AssetRegistry &registry = *loaded.registry;
    if (registry.count(AssetKind::CameraSite) == 0) {
        std::fprintf(stderr, "gwanje-bench: no camera sites loaded from %s\n", qUtf8Printable(dataDir));
        return;
    }
    const CameraIndex index(registry);
    const LinearScan scan(registry);
    const std::vector<Spot> spots = makeSpots(registry, settings.quick ? 2'000 : 200'000);

    // Both must give the same answers, or the comparison means nothing.
    std::vector<CameraHit> ours, theirs;
    const std::size_t checked = std::min<std::size_t>(spots.size(), 5'000);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < checked; ++i) {
        index.nearest(spots[i].latitude, spots[i].longitude, ours);
        scan.nearest(spots[i].latitude, spots[i].longitude, CameraIndex::defaultCount, CameraIndex::defaultRadiusMetres,
                     theirs);
        mismatches += ours != theirs;
    }
    if (mismatches)
        std::fprintf(stderr, "gwanje-bench: camera index and linear scan differ on %zu of %zu spots\n", mismatches,
                     checked);

    // Warm caches and branch predictors for both, then alternate so drift hits both alike.
    std::size_t sink = 0;
    const std::vector<Spot> warm(spots.begin(),
                                 spots.begin() + std::ptrdiff_t(std::min<std::size_t>(spots.size(), 1'000)));
    timeQueries(index, warm, sink);
    timeQueries(scan, warm, sink);
    std::vector<double> indexed, linear;
    for (int run = 0; run < (settings.quick ? 1 : 3); ++run) {
        indexed.push_back(timeQueries(index, spots, sink));
        linear.push_back(timeQueries(scan, spots, sink));
    }
    if (sink == 0)
        std::fprintf(stderr, "gwanje-bench: the camera benchmark found no cameras\n");
    emit("fusion.nearest_cameras_us", median(indexed), "us", median(linear));
}

} // namespace gwanje::bench
