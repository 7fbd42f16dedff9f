#pragma once

// Private to gwanje_ui: turns projected map data into vertex arrays for one frame.

#include "geo/MapViewport.h"
#include "geo/PolygonIndex.h"

#include <QColor>
#include <QSGGeometry>
#include <QSGNode>

#include <vector>

namespace gwanje::MapGeometry {

enum class MarkerShape { Square, Diamond, Triangle, Octagon };

// Closed rings (world units) as screen-space triangles `width` pixels wide, culled to the view.
void appendRings(const std::vector<Ring> &worldRings, const std::vector<GeoRect> &ringBounds,
                 const MapViewport &viewport, float width, std::vector<QSGGeometry::Point2D> &out);

// Open polylines (world units) as screen-space triangles, culled to the view.
void appendPolylines(const std::vector<Ring> &worldLines, const MapViewport &viewport, float width,
                     std::vector<QSGGeometry::Point2D> &out);

// One marker of `size` pixels per point (world units), culled to the view.
void appendMarkers(const std::vector<QPointF> &worldPoints, const MapViewport &viewport, MarkerShape shape, float size,
                   std::vector<QSGGeometry::Point2D> &out);

// One map layer of flat-coloured triangles. The scene graph silently drops the vertices of a
// geometry node beyond 65,535 (seen here: district outlines cut off on Mesa), so the layer is
// split over as many child nodes as it needs. Render thread only.
class TriangleLayer : public QSGNode
{
public:
    static constexpr int maxVerticesPerNode = 65532; // a multiple of 3 and 6 below 65,536

    explicit TriangleLayer(const QColor &color);
    void setVertices(const std::vector<QSGGeometry::Point2D> &vertices);
    int nodeCount() const { return int(m_nodes.size()); }

private:
    QColor m_color;
    std::vector<QSGGeometryNode *> m_nodes;
};

} // namespace gwanje::MapGeometry
