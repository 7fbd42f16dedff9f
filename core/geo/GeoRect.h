#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace gwanje {

// An axis-aligned rectangle in some planar or lon/lat space; empty until a point is added.
struct GeoRect
{
    double minX = std::numeric_limits<double>::infinity();
    double minY = std::numeric_limits<double>::infinity();
    double maxX = -std::numeric_limits<double>::infinity();
    double maxY = -std::numeric_limits<double>::infinity();

    static GeoRect fromEdges(double x0, double y0, double x1, double y1)
    {
        return GeoRect{std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
    }
    bool isEmpty() const { return !(minX <= maxX && minY <= maxY); }
    double width() const { return isEmpty() ? 0.0 : maxX - minX; }
    double height() const { return isEmpty() ? 0.0 : maxY - minY; }
    double centerX() const { return (minX + maxX) / 2.0; }
    double centerY() const { return (minY + maxY) / 2.0; }
    bool contains(double x, double y) const { return x >= minX && x <= maxX && y >= minY && y <= maxY; }
    bool intersects(const GeoRect &o) const
    {
        return !isEmpty() && !o.isEmpty() && o.minX <= maxX && o.maxX >= minX && o.minY <= maxY && o.maxY >= minY;
    }
    void expand(double x, double y)
    {
        minX = std::min(minX, x);
        minY = std::min(minY, y);
        maxX = std::max(maxX, x);
        maxY = std::max(maxY, y);
    }
    void expand(const GeoRect &o)
    {
        if (o.isEmpty())
            return;
        expand(o.minX, o.minY);
        expand(o.maxX, o.maxY);
    }
};

} // namespace gwanje
