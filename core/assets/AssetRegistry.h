#pragma once

#include "Asset.h"
#include "CameraView.h"
#include "geo/GridIndex.h"
#include "geo/PolygonIndex.h"

#include <QHash>

#include <array>
#include <memory>
#include <mutex>
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
    void addRegion(Region region); // its bounds and label point are computed by finalize()
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

    // Where camera site i looks, as its free-text view direction (CCTV 촬영방면정보) says: parsed
    // on first use, once per distinct text, so loading pays nothing for it. nullptr for other
    // kinds. Thread-safe once the registry is built.
    const CameraView *cameraView(std::size_t asset) const;
    // How the view directions of all camera sites were read (panoramic, with headings, unread...).
    CameraViewStats cameraViewStats() const;
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
    struct CameraViews
    {
        std::once_flag parsed;
        std::vector<CameraView> views; // one per distinct text
        std::vector<int> viewOf;       // by asset, -1 for other kinds
        CameraViewStats stats;
    };
    const CameraViews &cameraViews() const;
    std::unique_ptr<CameraViews> m_cameraViews = std::make_unique<CameraViews>();
};

} // namespace gwanje
