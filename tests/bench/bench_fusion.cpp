// fusion.positions_per_s: fixes through safe-zone geofencing, against GEOS prepared geometries.

#include "BenchJson.h"
#include "fusion/GeofenceMonitor.h"

#include <QElapsedTimer>

#include <geos_c.h>

#include <cmath>
#include <numbers>
#include <random>

namespace gwanje::bench {

namespace {
constexpr double metresPerDegree = 111'320.0;

struct Setup
{
    std::vector<SafeZone> zones; // one per device
    std::vector<Event> fixes;
};

// 2,000 wearers, half with a circle and half with an irregular 24-gon, each walking around its
// border (so both sides and the band are exercised), a fix every 10 s.
Setup makeSetup(int devices, int fixesPerDevice)
{
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Setup s;
    for (int d = 0; d < devices; ++d) {
        SafeZone z;
        z.centerLatitude = 37.45 + 0.23 * u(rng);
        z.centerLongitude = 126.85 + 0.3 * u(rng);
        z.radiusMetres = 300.0 + 500.0 * u(rng);
        const double cosLat = std::cos(z.centerLatitude * std::numbers::pi / 180.0);
        if (d % 2) {
            z.shape = SafeZone::Shape::Polygon;
            Ring ring;
            for (int k = 0; k < 24; ++k) {
                const double a = 2 * std::numbers::pi * k / 24;
                const double r = z.radiusMetres * (0.8 + 0.4 * u(rng));
                ring.emplace_back(z.centerLongitude + r * std::sin(a) / (metresPerDegree * cosLat),
                                  z.centerLatitude + r * std::cos(a) / metresPerDegree);
            }
            z.polygon = {ring};
        }
        s.zones.push_back(z);
    }
    const qint64 t0 = 1'764'032'400'000; // 10:00 KST
    std::normal_distribution<double> jitter(0.0, 25.0);
    s.fixes.reserve(std::size_t(devices) * std::size_t(fixesPerDevice));
    for (int i = 0; i < fixesPerDevice; ++i) {
        for (int d = 0; d < devices; ++d) {
            const SafeZone &z = s.zones[std::size_t(d)];
            const double cosLat = std::cos(z.centerLatitude * std::numbers::pi / 180.0);
            const double a = 2 * std::numbers::pi * (d * 0.37 + i * 0.01);
            const double r = z.radiusMetres + 80.0 * std::sin(i * 0.05 + d) + jitter(rng);
            Event e;
            e.kind = EventKind::PositionFix;
            e.source = quint32(d);
            e.sourceTimeMs = t0 + qint64(i) * 10'000;
            e.receiveTimeMs = e.sourceTimeMs;
            e.latitude = z.centerLatitude + r * std::cos(a) / metresPerDegree;
            e.longitude = z.centerLongitude + r * std::sin(a) / (metresPerDegree * cosLat);
            e.accuracy = 8.0f;
            s.fixes.push_back(e);
        }
    }
    return s;
}

GEOSGeometry *zoneGeometry(GEOSContextHandle_t h, const SafeZone &z)
{
    Ring ring = z.polygon.empty() ? Ring{} : z.polygon.front();
    if (z.shape == SafeZone::Shape::Circle) {
        const double cosLat = std::cos(z.centerLatitude * std::numbers::pi / 180.0);
        for (int k = 0; k < 64; ++k) {
            const double a = 2 * std::numbers::pi * k / 64;
            ring.emplace_back(z.centerLongitude + z.radiusMetres * std::sin(a) / (metresPerDegree * cosLat),
                              z.centerLatitude + z.radiusMetres * std::cos(a) / metresPerDegree);
        }
    }
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, unsigned(ring.size() + 1), 2);
    for (std::size_t k = 0; k <= ring.size(); ++k) {
        const QPointF &p = ring[k % ring.size()];
        GEOSCoordSeq_setXY_r(h, seq, unsigned(k), p.x(), p.y());
    }
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, seq), nullptr, 0);
}
} // namespace

void fusionBenchmarks(const Settings &settings)
{
    if (!settings.selected("fusion.positions_per_s"))
        return;
    const int devices = 2000;
    const Setup s = makeSetup(devices, settings.quick ? 50 : 1000); // 100k or 2M fixes
    const std::size_t n = s.fixes.size();
    const std::size_t batch = 5000;

    std::vector<double> ours, geos;
    for (int run = 0; run < (settings.quick ? 1 : 3); ++run) {
        GeofenceMonitor monitor;
        for (int d = 0; d < devices; ++d)
            monitor.setZones(quint32(d), {s.zones[std::size_t(d)]});
        std::vector<GeofenceTransition> out;
        QElapsedTimer timer;
        timer.start();
        for (std::size_t i = 0; i < n; i += batch)
            monitor.apply(std::span<const Event>(s.fixes.data() + i, std::min(batch, n - i)), out);
        ours.push_back(double(n) / (double(timer.nsecsElapsed()) / 1e9));

        // The same point-in-zone question through GEOS prepared geometries (no hysteresis or dwell).
        GEOSContextHandle_t h = GEOS_init_r();
        std::vector<GEOSGeometry *> geometries;
        std::vector<const GEOSPreparedGeometry *> prepared;
        for (const SafeZone &z : s.zones) {
            geometries.push_back(zoneGeometry(h, z));
            prepared.push_back(GEOSPrepare_r(h, geometries.back()));
        }
        std::size_t inside = 0;
        timer.restart();
        for (const Event &e : s.fixes) {
            GEOSGeometry *point = GEOSGeom_createPointFromXY_r(h, e.longitude, e.latitude);
            inside += GEOSPreparedContains_r(h, prepared[e.source], point) == 1;
            GEOSGeom_destroy_r(h, point);
        }
        geos.push_back(double(n) / (double(timer.nsecsElapsed()) / 1e9));
        for (std::size_t k = 0; k < prepared.size(); ++k) {
            GEOSPreparedGeom_destroy_r(h, prepared[k]);
            GEOSGeom_destroy_r(h, geometries[k]);
        }
        GEOS_finish_r(h);
        if (inside == 0 || out.empty())
            std::fprintf(stderr, "gwanje-bench: geofence benchmark saw no crossings\n");
    }
    emit("fusion.positions_per_s", median(ours), "fixes/s", median(geos));
}

} // namespace gwanje::bench
