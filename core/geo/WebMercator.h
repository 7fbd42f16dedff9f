#pragma once

#include <QPointF>

namespace gwanje::WebMercator {

// Web Mercator (EPSG:3857) in normalised world units: x and y run from 0 to 1 across the world,
// y grows southwards (as on screen and in XYZ tiles). Pixels at zoom z are world * tileSize * 2^z.
inline constexpr double maxLatitude = 85.051128779806592;
inline constexpr double tileSize = 256.0;
inline constexpr double earthRadius = 6378137.0;

QPointF project(double longitude, double latitude);
// The same as project() to within 1e-12 world units (far below a pixel at zoom 22), about ten
// times faster: a table of the Mercator y with cubic Hermite interpolation. For hot paths such as
// applying tens of thousands of moved devices per frame. Thread-safe.
QPointF projectFast(double longitude, double latitude);

// Returns (longitude, latitude) for a world point.
QPointF unproject(double x, double y);
inline QPointF unproject(QPointF world)
{
    return unproject(world.x(), world.y());
}

// Pixels per world unit at a (fractional) zoom level.
double worldScale(double zoom);
// Ground metres per screen pixel at a latitude and zoom.
double metresPerPixel(double latitude, double zoom);

} // namespace gwanje::WebMercator
