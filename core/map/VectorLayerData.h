#pragma once

#include "geo/GeoRect.h"

#include <QPointF>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace gwanje {

struct MapLayerSpec;

// One feature of a vector map layer, in normalised world units (WebMercator.h).
struct VectorFeature
{
    GeoRect bounds;
    // Polygons: every ring of every polygon (fill with the even-odd rule). Lines: one part per
    // line string. Points: one part per point, of one point each.
    std::vector<std::vector<QPointF>> parts;
    bool polygon = false;
    QString label; // the layer's labelField, if any
};

// The features of one vector layer, read through OGR and projected once at load, with a grid
// index for viewport queries. Immutable after load(), so one instance may be shared between
// threads.
class VectorLayerData
{
public:
    // Reads spec.source (layer spec.ogrLayer, filtered by spec.where) in the calling thread.
    // Returns nullptr and sets *error for a missing or unreadable file, an unknown layer or label
    // field, or a bad where-clause.
    static std::shared_ptr<const VectorLayerData> load(const MapLayerSpec &spec, QString *error);

    const std::vector<VectorFeature> &features() const { return m_features; }
    int size() const { return int(m_features.size()); }
    GeoRect bounds() const { return m_bounds; }
    // Features left out because their geometry was empty, not finite or not convertible.
    int skipped() const { return m_skipped; }

    // Calls visit once for each feature whose bounds intersect the world rectangle.
    void forEachIntersecting(const GeoRect &world, const std::function<void(const VectorFeature &)> &visit) const;

private:
    VectorLayerData() = default;
    void buildIndex();
    int cellX(double x) const;
    int cellY(double y) const;

    std::vector<VectorFeature> m_features;
    GeoRect m_bounds;
    int m_skipped = 0;

    // Uniform grid over m_bounds; a feature is listed in every cell its bounds touch, except
    // features covering many cells, which are kept in m_large and tested one by one.
    std::vector<std::uint32_t> m_cellStart; // CSR offsets into m_cellItems, m_cols * m_rows + 1
    std::vector<std::uint32_t> m_cellItems;
    std::vector<std::uint32_t> m_large;
    double m_cellWidth = 1.0;
    double m_cellHeight = 1.0;
    int m_cols = 0;
    int m_rows = 0;
};

} // namespace gwanje
