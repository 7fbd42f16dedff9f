#pragma once

#include "GeoRect.h"

#include <QPointF>

#include <cstdint>
#include <functional>
#include <vector>

namespace gwanje {

// A static uniform-grid spatial index over points (any planar units; the registry uses Web
// Mercator world units). Built once, then read-only and safe to share between threads.
class GridIndex
{
public:
    GridIndex() = default;
    // Indexes points[i] as item i. Aims at about `perCell` points per occupied cell.
    explicit GridIndex(const std::vector<QPointF> &points, int perCell = 4);

    int size() const { return static_cast<int>(m_points.size()); }
    GeoRect bounds() const { return m_bounds; }

    // Calls visit(i) for every item inside rect (edges included).
    void forEachInRect(const GeoRect &rect, const std::function<void(int)> &visit) const;
    std::vector<int> itemsInRect(const GeoRect &rect) const;
    // Nearest item to p within maxDistance, or -1. filter (optional) may reject candidates.
    int nearest(QPointF p, double maxDistance, const std::function<bool(int)> &filter = {}) const;

private:
    int cellX(double x) const;
    int cellY(double y) const;

    std::vector<QPointF> m_points;
    std::vector<std::uint32_t> m_cellStart; // CSR: items of cell c are m_items[m_cellStart[c] .. m_cellStart[c+1])
    std::vector<std::uint32_t> m_items;
    GeoRect m_bounds;
    double m_cellSize = 1.0;
    int m_cols = 0;
    int m_rows = 0;
};

} // namespace gwanje
