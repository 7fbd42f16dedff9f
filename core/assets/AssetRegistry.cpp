#include "AssetRegistry.h"

#include "Logging.h"
#include "geo/WebMercator.h"

namespace gwanje {

bool AssetRegistry::addAsset(Asset asset)
{
    const int index = int(m_assets.size());
    auto it = m_byId.constFind(asset.id);
    if (it != m_byId.constEnd())
        return false;
    m_byId.insert(asset.id, index);
    asset.world = WebMercator::project(asset.longitude, asset.latitude);
    m_assets.push_back(std::move(asset));
    return true;
}

void AssetRegistry::addRegion(Region region)
{
    if (region.level == RegionLevel::District)
        m_districts.push_back(std::move(region));
    else
        m_dongs.push_back(std::move(region));
}

void AssetRegistry::finalize()
{
    // Extents and label points once, here: the loader's per-file registries are never finalized.
    for (std::vector<Region> *regions : {&m_districts, &m_dongs}) {
        for (Region &region : *regions) {
            region.bounds = GeoRect();
            for (const Ring &ring : region.rings) {
                for (const QPointF &p : ring)
                    region.bounds.expand(p.x(), p.y());
            }
            region.labelPoint = interiorLabelPoint(region.rings);
        }
    }
    std::vector<std::vector<Ring>> outlines;
    outlines.reserve(m_districts.size());
    for (const Region &d : m_districts)
        outlines.push_back(d.rings);
    m_districtIndex = PolygonIndex(outlines);

    for (Region &dong : m_dongs)
        dong.parent = m_districtIndex.polygonAt(dong.labelPoint.x(), dong.labelPoint.y());

    m_counts = {};
    m_cameras = 0;
    m_perDistrict.assign(m_districts.size() + 1, KindCounts{});
    m_camerasPerDistrict.assign(m_districts.size() + 1, 0);
    std::vector<QPointF> points;
    points.reserve(m_assets.size());
    for (Asset &a : m_assets) {
        a.district = m_districtIndex.polygonAt(a.longitude, a.latitude);
        const std::size_t row = a.district >= 0 ? std::size_t(a.district) : m_districts.size();
        ++m_counts[std::size_t(a.kind)];
        ++m_perDistrict[row][std::size_t(a.kind)];
        if (a.kind == AssetKind::CameraSite) {
            m_cameras += a.count;
            m_camerasPerDistrict[row] += a.count;
        }
        points.push_back(a.world);
    }
    m_spatial = GridIndex(points);
    qCInfo(lcRegistry, "registry: %zu assets, %zu districts, %zu dongs", m_assets.size(), m_districts.size(),
           m_dongs.size());
}

GeoRect AssetRegistry::bounds() const
{
    GeoRect r;
    for (const Region &d : m_districts)
        r.expand(d.bounds);
    for (const Asset &a : m_assets)
        r.expand(a.longitude, a.latitude);
    return r;
}

const AssetRegistry::CameraViews &AssetRegistry::cameraViews() const
{
    CameraViews &c = *m_cameraViews;
    std::call_once(c.parsed, [this, &c] {
        QHash<QString, int> distinct;
        c.viewOf.assign(m_assets.size(), -1);
        for (std::size_t i = 0; i < m_assets.size(); ++i) {
            const Asset &a = m_assets[i];
            if (a.kind != AssetKind::CameraSite)
                continue;
            auto it = distinct.find(a.direction);
            if (it == distinct.end()) {
                it = distinct.insert(a.direction, int(c.views.size()));
                c.views.push_back(parseCameraView(a.direction));
            }
            c.viewOf[i] = *it;
            c.stats.add(a.direction, c.views[std::size_t(*it)]);
        }
    });
    return c;
}

const CameraView *AssetRegistry::cameraView(std::size_t asset) const
{
    const CameraViews &c = cameraViews();
    return asset < c.viewOf.size() && c.viewOf[asset] >= 0 ? &c.views[std::size_t(c.viewOf[asset])] : nullptr;
}

CameraViewStats AssetRegistry::cameraViewStats() const
{
    return cameraViews().stats;
}

} // namespace gwanje
