#pragma once

#include "Asset.h"
#include "geo/GridIndex.h"
#include "geo/PolygonIndex.h"

#include <QHash>

#include <array>
#include <vector>

namespace gwanje {

// All static assets and administrative regions of the city, with spatial indexes.
// Filled by the loader, then finalize()d; after that it is immutable and shared read-only between
// threads through std::shared_ptr<const AssetRegistry>.
class AssetRegistry
{
public:
    using KindCounts = std::array<int, assetKindCount>;

    // Building. addAsset() returns false (and adds nothing) when the id is already taken.
    bool addAsset(Asset asset);
    void addRegion(Region region);
    // Assigns every asset to its district by position and builds the indexes.
    void finalize();

    const std::vector<Asset> &assets() const { return m_assets; }
    const std::vector<Region> &districts() const { return m_districts; }
    const std::vector<Region> &dongs() const { return m_dongs; }
    int indexOf(const QString &id) const { return m_byId.value(id, -1); }

    int count(AssetKind kind) const { return m_counts[std::size_t(kind)]; }
    int cameraCount() const { return m_cameras; } // cameras over all sites
    // Assets of each kind per district (by index); a last extra row counts those outside all.
    const std::vector<KindCounts> &countsPerDistrict() const { return m_perDistrict; }
    const std::vector<int> &camerasPerDistrict() const { return m_camerasPerDistrict; }

    int districtAt(double longitude, double latitude) const { return m_districtIndex.polygonAt(longitude, latitude); }
    // Spatial index of assets()[i].world (Web Mercator world units).
    const GridIndex &spatialIndex() const { return m_spatial; }
    GeoRect bounds() const; // lon/lat extent of districts and assets

private:
    std::vector<Asset> m_assets;
    std::vector<Region> m_districts;
    std::vector<Region> m_dongs;
    QHash<QString, int> m_byId;
    KindCounts m_counts{};
    int m_cameras = 0;
    std::vector<KindCounts> m_perDistrict;
    std::vector<int> m_camerasPerDistrict;
    PolygonIndex m_districtIndex;
    GridIndex m_spatial;
};

} // namespace gwanje
