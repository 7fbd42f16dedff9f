#include "MapGeometry_p.h"

#include <QSGFlatColorMaterial>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace gwanje::MapGeometry {

namespace {
// One segment as a quad `width` pixels wide, extended by half the width at both ends so joints
// have no gaps; skipped when it cannot touch the view.
void appendSegment(const QPointF &wa, const QPointF &wb, const GeoRect &view, const MapViewport &viewport, float half,
                   std::vector<QSGGeometry::Point2D> &out)
{
    if (std::max(wa.x(), wb.x()) < view.minX || std::min(wa.x(), wb.x()) > view.maxX ||
        std::max(wa.y(), wb.y()) < view.minY || std::min(wa.y(), wb.y()) > view.maxY)
        return;
    const QPointF a = viewport.worldToScreen(wa);
    const QPointF b = viewport.worldToScreen(wb);
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len = std::hypot(dx, dy);
    if (len < 1e-6)
        return;
    const float ux = float(dx / len) * half, uy = float(dy / len) * half;
    const float nx = -uy, ny = ux;
    const float ax = float(a.x()) - ux, ay = float(a.y()) - uy;
    const float bx = float(b.x()) + ux, by = float(b.y()) + uy;
    out.push_back({ax + nx, ay + ny});
    out.push_back({ax - nx, ay - ny});
    out.push_back({bx + nx, by + ny});
    out.push_back({bx + nx, by + ny});
    out.push_back({ax - nx, ay - ny});
    out.push_back({bx - nx, by - ny});
}

GeoRect paddedView(const MapViewport &viewport, float width)
{
    const double margin = width / viewport.scale();
    const GeoRect view = viewport.visibleWorld();
    return GeoRect::fromEdges(view.minX - margin, view.minY - margin, view.maxX + margin, view.maxY + margin);
}
} // namespace

void appendPolylines(const std::vector<Ring> &worldLines, const MapViewport &viewport, float width,
                     std::vector<QSGGeometry::Point2D> &out)
{
    const GeoRect view = paddedView(viewport, width);
    for (const Ring &line : worldLines) {
        for (std::size_t i = 0; i + 1 < line.size(); ++i)
            appendSegment(line[i], line[i + 1], view, viewport, width / 2.0f, out);
    }
}

void appendRings(const std::vector<Ring> &worldRings, const std::vector<GeoRect> &ringBounds,
                 const MapViewport &viewport, float width, std::vector<QSGGeometry::Point2D> &out)
{
    const GeoRect view = paddedView(viewport, width);
    for (std::size_t r = 0; r < worldRings.size(); ++r) {
        if (!ringBounds[r].intersects(view))
            continue;
        const Ring &ring = worldRings[r];
        const std::size_t n = ring.size();
        for (std::size_t i = 0; i < n; ++i)
            appendSegment(ring[i], ring[(i + 1) % n], view, viewport, width / 2.0f, out);
    }
}

void appendMarkers(const std::vector<QPointF> &worldPoints, const MapViewport &viewport, MarkerShape shape, float size,
                   std::vector<QSGGeometry::Point2D> &out)
{
    const QSizeF s = viewport.size();
    const float h = size / 2.0f;
    const QPointF c = viewport.center();
    const double scale = viewport.scale();
    const double ox = s.width() / 2.0, oy = s.height() / 2.0;
    out.reserve(out.size() + worldPoints.size() * 6);
    for (const QPointF &w : worldPoints) {
        const float x = float((w.x() - c.x()) * scale + ox);
        const float y = float((w.y() - c.y()) * scale + oy);
        if (x < -h || y < -h || x > s.width() + h || y > s.height() + h)
            continue;
        switch (shape) {
        case MarkerShape::Square:
            out.push_back({x - h, y - h});
            out.push_back({x + h, y - h});
            out.push_back({x - h, y + h});
            out.push_back({x - h, y + h});
            out.push_back({x + h, y - h});
            out.push_back({x + h, y + h});
            break;
        case MarkerShape::Diamond: {
            const float d = h * 1.3f;
            out.push_back({x, y - d});
            out.push_back({x + d, y});
            out.push_back({x - d, y});
            out.push_back({x - d, y});
            out.push_back({x + d, y});
            out.push_back({x, y + d});
            break;
        }
        case MarkerShape::Octagon: {
            // Eight triangles around the centre: round enough at these sizes.
            static const float cs[9][2] = {{1, 0},  {0.7071f, 0.7071f},   {0, 1},  {-0.7071f, 0.7071f},
                                           {-1, 0}, {-0.7071f, -0.7071f}, {0, -1}, {0.7071f, -0.7071f},
                                           {1, 0}};
            for (int k = 0; k < 8; ++k) {
                out.push_back({x, y});
                out.push_back({x + h * cs[k][0], y + h * cs[k][1]});
                out.push_back({x + h * cs[k + 1][0], y + h * cs[k + 1][1]});
            }
            break;
        }
        case MarkerShape::Triangle: {
            const float d = h * 1.4f;
            out.push_back({x, y - d});
            out.push_back({x + d, y + d * 0.8f});
            out.push_back({x - d, y + d * 0.8f});
            break;
        }
        }
    }
}

TriangleLayer::TriangleLayer(const QColor &color)
    : m_color(color)
{}

void TriangleLayer::setVertices(const std::vector<QSGGeometry::Point2D> &vertices)
{
    const std::size_t needed = (vertices.size() + maxVerticesPerNode - 1) / maxVerticesPerNode;
    while (m_nodes.size() < needed) {
        auto *node = new QSGGeometryNode;
        auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), 0);
        geometry->setDrawingMode(QSGGeometry::DrawTriangles);
        geometry->setVertexDataPattern(QSGGeometry::StreamPattern);
        node->setGeometry(geometry);
        node->setFlag(QSGNode::OwnsGeometry);
        auto *material = new QSGFlatColorMaterial;
        material->setColor(m_color);
        node->setMaterial(material);
        node->setFlag(QSGNode::OwnsMaterial);
        appendChildNode(node);
        m_nodes.push_back(node);
    }
    while (m_nodes.size() > needed) {
        removeChildNode(m_nodes.back());
        delete m_nodes.back();
        m_nodes.pop_back();
    }
    for (std::size_t k = 0; k < m_nodes.size(); ++k) {
        const std::size_t first = k * maxVerticesPerNode;
        const int count = int(std::min<std::size_t>(maxVerticesPerNode, vertices.size() - first));
        QSGGeometry *geometry = m_nodes[k]->geometry();
        if (geometry->vertexCount() != count)
            geometry->allocate(count);
        std::memcpy(geometry->vertexDataAsPoint2D(), vertices.data() + first,
                    std::size_t(count) * sizeof(QSGGeometry::Point2D));
        m_nodes[k]->markDirty(QSGNode::DirtyGeometry);
    }
}

} // namespace gwanje::MapGeometry
