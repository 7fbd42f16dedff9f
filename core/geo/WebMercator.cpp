#include "WebMercator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gwanje::WebMercator {

QPointF project(double longitude, double latitude)
{
    const double lat = std::clamp(latitude, -maxLatitude, maxLatitude) * std::numbers::pi / 180.0;
    const double x = (longitude + 180.0) / 360.0;
    const double y = 0.5 - std::log(std::tan(std::numbers::pi / 4.0 + lat / 2.0)) / (2.0 * std::numbers::pi);
    return {x, y};
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
