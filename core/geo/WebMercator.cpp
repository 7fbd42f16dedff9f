#include "WebMercator.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace gwanje::WebMercator {

QPointF project(double longitude, double latitude)
{
    const double lat = std::clamp(latitude, -maxLatitude, maxLatitude) * std::numbers::pi / 180.0;
    const double x = (longitude + 180.0) / 360.0;
    const double y = 0.5 - std::log(std::tan(std::numbers::pi / 4.0 + lat / 2.0)) / (2.0 * std::numbers::pi);
    return {x, y};
}

namespace {

double mercatorY(double latitudeDegrees)
{
    const double lat = latitudeDegrees * std::numbers::pi / 180.0;
    return 0.5 - std::log(std::tan(std::numbers::pi / 4.0 + lat / 2.0)) / (2.0 * std::numbers::pi);
}

// y and dy/dlat at evenly spaced latitudes over [-maxLatitude, maxLatitude].
struct MercatorTable
{
    static constexpr int intervals = 16384;
    double step = 2.0 * maxLatitude / intervals;
    std::vector<double> y, dy; // dy already multiplied by step

    MercatorTable()
    {
        y.resize(intervals + 1);
        dy.resize(intervals + 1);
        for (int i = 0; i <= intervals; ++i) {
            const double lat = -maxLatitude + i * step;
            y[i] = mercatorY(lat);
            // d/dlat of -ln(tan(pi/4 + lat/2)) / 2pi = -sec(lat) / 2pi, lat in radians.
            dy[i] = -1.0 / std::cos(lat * std::numbers::pi / 180.0) / (2.0 * std::numbers::pi) *
                    (std::numbers::pi / 180.0) * step;
        }
    }
};

} // namespace

QPointF projectFast(double longitude, double latitude)
{
    static const MercatorTable table;
    const double lat = std::clamp(latitude, -maxLatitude, maxLatitude);
    if (!(lat == lat)) // NaN: the exact path gives NaN too
        return project(longitude, latitude);
    const double u = (lat + maxLatitude) / table.step;
    const int i = std::min(int(u), MercatorTable::intervals - 1);
    const double t = u - i;
    const double t2 = t * t, t3 = t2 * t;
    const double y = (2 * t3 - 3 * t2 + 1) * table.y[i] + (t3 - 2 * t2 + t) * table.dy[i] +
                     (-2 * t3 + 3 * t2) * table.y[i + 1] + (t3 - t2) * table.dy[i + 1];
    return {(longitude + 180.0) / 360.0, y};
}

QPointF unproject(double x, double y)
{
    const double longitude = x * 360.0 - 180.0;
    const double latitude = 360.0 / std::numbers::pi * std::atan(std::exp((0.5 - y) * 2.0 * std::numbers::pi)) - 90.0;
    return {longitude, latitude};
}

double worldScale(double zoom)
{
    return tileSize * std::exp2(zoom);
}

double metresPerPixel(double latitude, double zoom)
{
    const double circumference = 2.0 * std::numbers::pi * earthRadius;
    return circumference * std::cos(latitude * std::numbers::pi / 180.0) / worldScale(zoom);
}

} // namespace gwanje::WebMercator
