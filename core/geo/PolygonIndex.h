#pragma once

#include "GeoRect.h"

#include <QPointF>

#include <vector>

namespace gwanje {

using Ring = std::vector<QPointF>;

// Answers "which polygon contains this point" for a fixed set of polygons (each one a set of rings
// under the even-odd rule, so holes and multi-polygons work). Each polygon keeps its edges in
// horizontal bands, so a test touches only the edges near the point's y. Read-only once built.
class PolygonIndex
{
public:
    PolygonIndex() = default;
    explicit PolygonIndex(const std::vector<std::vector<Ring>> &polygons);

    int size() const { return static_cast<int>(m_polygons.size()); }
    // Index of the first polygon containing (x, y), or -1.
    int polygonAt(double x, double y) const;
    bool contains(int polygon, double x, double y) const;
    GeoRect bounds(int polygon) const { return m_polygons[polygon].bounds; }

private:
    struct Edge
    {
        double x0, y0, x1, y1;
    };
    struct Banded
    {
        GeoRect bounds;
        double bandHeight = 1.0;
        int bands = 1;
        std::vector<std::uint32_t> bandStart;
        std::vector<Edge> edges; // grouped by band; an edge spanning bands is repeated
    };
    std::vector<Banded> m_polygons;
};

// A point inside the rings (even-odd) suitable for a label: the middle of the widest interior
// span along the horizontal line through the area centroid. Returns the bbox centre for no area.
QPointF interiorLabelPoint(const std::vector<Ring> &rings);

} // namespace gwanje
