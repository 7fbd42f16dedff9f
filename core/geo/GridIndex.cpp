#include "GridIndex.h"

#include <algorithm>
#include <cmath>

namespace gwanje {

GridIndex::GridIndex(const std::vector<QPointF> &points, int perCell)
    : m_points(points)
{
    for (const QPointF &p : m_points)
        m_bounds.expand(p.x(), p.y());
    if (m_points.empty())
        return;

    const double w = std::max(m_bounds.width(), 1e-12);
    const double h = std::max(m_bounds.height(), 1e-12);
    const double cells = std::max(1.0, double(m_points.size()) / std::max(1, perCell));
    m_cellSize = std::max(std::sqrt(w * h / cells), std::max(w, h) / 4096.0);
    m_cols = std::max(1, int(std::ceil(w / m_cellSize)));
    m_rows = std::max(1, int(std::ceil(h / m_cellSize)));

    const std::size_t cellCount = std::size_t(m_cols) * std::size_t(m_rows);
    m_cellStart.assign(cellCount + 1, 0);
    std::vector<std::uint32_t> cellOf(m_points.size());
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const std::uint32_t c = std::uint32_t(cellY(m_points[i].y()) * m_cols + cellX(m_points[i].x()));
        cellOf[i] = c;
        ++m_cellStart[c + 1];
    }
    for (std::size_t c = 0; c < cellCount; ++c)
        m_cellStart[c + 1] += m_cellStart[c];
    m_items.resize(m_points.size());
    std::vector<std::uint32_t> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t i = 0; i < m_points.size(); ++i)
        m_items[fill[cellOf[i]]++] = std::uint32_t(i);
}

int GridIndex::cellX(double x) const
{
    return std::clamp(int((x - m_bounds.minX) / m_cellSize), 0, m_cols - 1);
}

int GridIndex::cellY(double y) const
{
    return std::clamp(int((y - m_bounds.minY) / m_cellSize), 0, m_rows - 1);
}

void GridIndex::forEachInRect(const GeoRect &rect, const std::function<void(int)> &visit) const
{
    if (m_points.empty() || !rect.intersects(m_bounds))
        return;
    const int x0 = cellX(rect.minX), x1 = cellX(rect.maxX);
    const int y0 = cellY(rect.minY), y1 = cellY(rect.maxY);
    for (int cy = y0; cy <= y1; ++cy) {
        for (int cx = x0; cx <= x1; ++cx) {
            const std::size_t c = std::size_t(cy) * m_cols + cx;
            for (std::uint32_t k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k) {
                const std::uint32_t i = m_items[k];
                if (rect.contains(m_points[i].x(), m_points[i].y()))
                    visit(int(i));
            }
        }
    }
}

std::vector<int> GridIndex::itemsInRect(const GeoRect &rect) const
{
    std::vector<int> out;
    forEachInRect(rect, [&out](int i) { out.push_back(i); });
    return out;
}

int GridIndex::nearest(QPointF p, double maxDistance, const std::function<bool(int)> &filter) const
{
    if (m_points.empty() || !(maxDistance >= 0.0) || !std::isfinite(p.x()) || !std::isfinite(p.y()))
        return -1;
    GeoRect query =
        GeoRect::fromEdges(p.x() - maxDistance, p.y() - maxDistance, p.x() + maxDistance, p.y() + maxDistance);
    if (!query.intersects(m_bounds))
        return -1;
    const int x0 = cellX(query.minX), x1 = cellX(query.maxX);
    const int y0 = cellY(query.minY), y1 = cellY(query.maxY);
    int best = -1;
    double bestD2 = maxDistance * maxDistance;
    for (int cy = y0; cy <= y1; ++cy) {
        for (int cx = x0; cx <= x1; ++cx) {
            const std::size_t c = std::size_t(cy) * m_cols + cx;
            for (std::uint32_t k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k) {
                const std::uint32_t i = m_items[k];
                const double dx = m_points[i].x() - p.x();
                const double dy = m_points[i].y() - p.y();
                const double d2 = dx * dx + dy * dy;
                // Ties go to the lower index so results do not depend on cell order.
                if ((d2 < bestD2 || (d2 == bestD2 && (best < 0 || int(i) < best))) && (!filter || filter(int(i)))) {
                    bestD2 = d2;
                    best = int(i);
                }
            }
        }
    }
    return best;
}

} // namespace gwanje
