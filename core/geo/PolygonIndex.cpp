#include "PolygonIndex.h"

#include <algorithm>
#include <cmath>

namespace gwanje {

PolygonIndex::PolygonIndex(const std::vector<std::vector<Ring>> &polygons)
{
    m_polygons.reserve(polygons.size());
    for (const auto &rings : polygons) {
        Banded b;
        std::vector<Edge> all;
        for (const Ring &ring : rings) {
            const std::size_t n = ring.size();
            for (std::size_t i = 0; i < n; ++i) {
                const QPointF &a = ring[i];
                const QPointF &c = ring[(i + 1) % n];
                b.bounds.expand(a.x(), a.y());
                if (a.y() != c.y()) // horizontal edges never cross a horizontal ray
                    all.push_back({a.x(), a.y(), c.x(), c.y()});
            }
        }
        b.bands = std::clamp(int(all.size() / 8), 1, 512);
        b.bandHeight = std::max(b.bounds.height() / b.bands, 1e-15);
        auto bandOf = [&b](double y) {
            return std::clamp(int((y - b.bounds.minY) / b.bandHeight), 0, b.bands - 1);
        };
        std::vector<std::vector<Edge>> perBand(b.bands);
        for (const Edge &e : all) {
            const int lo = bandOf(std::min(e.y0, e.y1));
            const int hi = bandOf(std::max(e.y0, e.y1));
            for (int k = lo; k <= hi; ++k)
                perBand[k].push_back(e);
        }
        b.bandStart.push_back(0);
        for (const auto &band : perBand) {
            b.edges.insert(b.edges.end(), band.begin(), band.end());
            b.bandStart.push_back(std::uint32_t(b.edges.size()));
        }
        m_polygons.push_back(std::move(b));
    }
}

bool PolygonIndex::contains(int polygon, double x, double y) const
{
    const Banded &b = m_polygons[polygon];
    if (!b.bounds.contains(x, y))
        return false;
    const int band = std::clamp(int((y - b.bounds.minY) / b.bandHeight), 0, b.bands - 1);
    bool inside = false;
    for (std::uint32_t k = b.bandStart[band]; k < b.bandStart[band + 1]; ++k) {
        const Edge &e = b.edges[k];
        // Half-open rule: an edge counts when y is in [min, max), so vertices are not counted twice.
        if ((e.y0 > y) != (e.y1 > y)) {
            const double xCross = e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
            if (x < xCross)
                inside = !inside;
        }
    }
    return inside;
}

int PolygonIndex::polygonAt(double x, double y) const
{
    for (int i = 0; i < size(); ++i) {
        if (contains(i, x, y))
            return i;
    }
    return -1;
}

QPointF interiorLabelPoint(const std::vector<Ring> &rings)
{
    GeoRect box;
    double area2 = 0.0, cy = 0.0;
    for (const Ring &ring : rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0; i < n; ++i) {
            const QPointF &a = ring[i];
            const QPointF &c = ring[(i + 1) % n];
            box.expand(a.x(), a.y());
            const double cross = a.x() * c.y() - c.x() * a.y();
            area2 += cross;
            cy += (a.y() + c.y()) * cross;
        }
    }
    if (box.isEmpty())
        return {};
    double y = std::abs(area2) > 1e-18 ? cy / (3.0 * area2) : box.centerY();
    if (!(y > box.minY && y < box.maxY))
        y = box.centerY();

    std::vector<double> xs;
    for (const Ring &ring : rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0; i < n; ++i) {
            const QPointF &a = ring[i];
            const QPointF &c = ring[(i + 1) % n];
            if ((a.y() > y) != (c.y() > y))
                xs.push_back(a.x() + (y - a.y()) * (c.x() - a.x()) / (c.y() - a.y()));
        }
    }
    std::sort(xs.begin(), xs.end());
    double bestWidth = -1.0, bestX = box.centerX();
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
        if (xs[i + 1] - xs[i] > bestWidth) {
            bestWidth = xs[i + 1] - xs[i];
            bestX = (xs[i] + xs[i + 1]) / 2.0;
        }
    }
    return {bestX, y};
}

} // namespace gwanje
