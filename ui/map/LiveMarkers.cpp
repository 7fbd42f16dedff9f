#include "LiveMarkers_p.h"

#include "MapStyle.h"
#include "MarkerStatus.h"
#include "geo/WebMercator.h"

#include <cmath>
#include <numbers>

namespace gwanje {

namespace {

MarkerKind markerKindOf(AssetKind kind)
{
    switch (kind) {
    case AssetKind::WifiAp:
        return MarkerKind::WifiAp;
    case AssetKind::Sensor:
        return MarkerKind::Sensor;
    case AssetKind::Streetlight:
        return MarkerKind::Streetlight;
    case AssetKind::Shelter:
        return MarkerKind::Shelter;
    case AssetKind::CameraSite:
        break;
    }
    return MarkerKind::Camera;
}

} // namespace

void LiveMarkers::clear()
{
    m_markers.clear();
    m_cameraViews.clear();
    m_deviceIndex.clear();
    m_deviceOffline.clear();
    m_alarmMarkers = 0;
    m_assetMarkers = 0;
}

void LiveMarkers::addAssets(const AssetRegistry &registry)
{
    m_markers.reserve(int(registry.assets().size()));
    for (std::size_t i = 0; i < registry.assets().size(); ++i) {
        const Asset &a = registry.assets()[i];
        // Registry assets are validated, so every one gets a marker and marker i is asset i.
        m_markers.add(quint32(i), markerKindOf(a.kind), MarkerState::Normal, a.world);
    }
    m_assetMarkers = m_markers.size();
    m_status.clear();
    m_assetById.clear();
    m_assetById.reserve(m_assetMarkers);
    for (int i = 0; i < m_assetMarkers; ++i)
        m_assetById.insert(registry.assets()[m_markers.ref(i)].id, i);
    m_cameraViews.assign(std::size_t(m_assetMarkers), nullptr);
    for (int i = 0; i < m_assetMarkers; ++i)
        m_cameraViews[std::size_t(i)] = registry.cameraView(m_markers.ref(i));
    ++m_generation;
    m_markers.updateColocation();
}

const AssetStatusPoint *LiveMarkers::status(int marker) const
{
    const auto it = m_status.constFind(marker);
    return it != m_status.constEnd() ? &*it : nullptr;
}

int LiveMarkers::deviceMarker(qint64 source) const
{
    return source >= 0 && std::size_t(source) < m_deviceIndex.size() ? m_deviceIndex[std::size_t(source)] : -1;
}

void LiveMarkers::applyStatus(const std::vector<AssetStatusPoint> &changes)
{
    // Fixed assets take the state their latest events give them: a sensor its air-quality grade,
    // an AP that is down or a camera offline is greyed, a frozen picture is a warning.
    for (const AssetStatusPoint &s : changes) {
        const auto it = m_assetById.constFind(s.id);
        if (it == m_assetById.constEnd()) {
            // A wearer's device that dropped off the network (or came back); SOS still wins.
            if (s.source < m_deviceIndex.size() && m_deviceIndex[s.source] >= 0) {
                const int marker = m_deviceIndex[s.source];
                m_deviceOffline.resize(std::max(m_deviceOffline.size(), std::size_t(marker) + 1), false);
                m_deviceOffline[std::size_t(marker)] = s.offline;
                if (m_markers.state(marker) != MarkerState::Alarm) {
                    m_markers.setState(marker, deviceMarkerState(false, s.offline));
                    ++m_generation;
                }
            }
            continue;
        }
        const MarkerState state = markerStateOf(s);
        m_status.insert(*it, s);
        if (m_markers.state(*it) != state) {
            m_markers.setState(*it, state);
            ++m_generation;
        }
    }
}

void LiveMarkers::applyDevices(const std::vector<DevicePoint> &points)
{
    // Work proportional to what moved: an unchanged device costs a table projection and a
    // comparison; only a move touches the spatial hash and the track.
    for (const DevicePoint &p : points) {
        if (p.source >= m_deviceIndex.size())
            m_deviceIndex.resize(std::size_t(p.source) + 1, -1);
        int &index = m_deviceIndex[p.source];
        const QPointF world = WebMercator::projectFast(p.longitude, p.latitude);
        const MarkerState state = deviceMarkerState(p.sos, index >= 0 && std::size_t(index) < m_deviceOffline.size() &&
                                                               m_deviceOffline[std::size_t(index)]);
        if (index < 0) {
            index = m_markers.add(p.source, MarkerKind::Device, state, world);
            if (index < 0) // NaN or infinite position: the core rejects those before they get here
                continue;
            m_alarmMarkers += p.sos;
        } else {
            m_markers.move(index, world, p.timeMs, true);
            m_alarmMarkers += int(p.sos) - int(m_markers.state(index) == MarkerState::Alarm);
            m_markers.setState(index, state);
        }
        m_newestMs = std::max(m_newestMs, p.timeMs);
    }
    ++m_generation;
}

const std::vector<MapCluster> &LiveMarkers::clusters(const MapViewport &viewport, const OverlayOptions &options) const
{
    if (!isClustered(viewport, options)) {
        m_clusters.clear();
        m_clusterStamp = {};
        return m_clusters;
    }
    const ClusterStamp stamp{viewport.center(), viewport.zoom(), viewport.size(), options.visible, m_generation};
    if (!(stamp == m_clusterStamp)) {
        MapOverlay::buildClusters(m_markers, viewport, options.visible, options.clusterCellPixels, m_clusters);
        m_clusterStamp = stamp;
    }
    return m_clusters;
}

int LiveMarkers::pickAt(QPointF point, const MapViewport &viewport, const OverlayOptions &options) const
{
    constexpr double tolerance = 8.0; // pixels
    const QPointF world = viewport.screenToWorld(point);
    auto shown = [this, &options](int i) {
        return options.visible[std::size_t(m_markers.kind(i))];
    };
    // Markers in alarm are drawn on top of everything, unclustered and unspread.
    const int alarm = m_markers.nearest(world, tolerance / viewport.scale(), [this, &shown](int i) {
        return m_markers.state(i) == MarkerState::Alarm && shown(i);
    });
    if (alarm >= 0)
        return alarm;
    if (isClustered(viewport, options)) {
        int bestCluster = -1;
        double best = 0.0;
        const auto &clusters = this->clusters(viewport, options);
        for (std::size_t k = 0; k < clusters.size(); ++k) {
            const QPointF delta = viewport.worldToScreen(clusters[k].world) - point;
            const double radius = clusters[k].count > 1 ? 9.0 + 3.0 * std::log10(double(clusters[k].count)) : tolerance;
            const double d2 = QPointF::dotProduct(delta, delta);
            if (d2 <= radius * radius && (bestCluster < 0 || d2 < best)) {
                best = d2;
                bestCluster = int(k);
            }
        }
        if (bestCluster < 0)
            return -1;
        const MapCluster &c = clusters[std::size_t(bestCluster)];
        return c.count == 1 ? c.first : -2 - bestCluster;
    }
    if (viewport.zoom() < MapOverlay::spreadZoom)
        return m_markers.nearest(world, tolerance / viewport.scale(), shown);
    // Co-located markers are drawn spread apart: test where they are drawn, searching as far
    // around as the largest group spreads.
    const int size = int(MapStyle::markerSize(viewport.zoom()));
    const double reach = (tolerance + 2.0 * size + m_markers.maxColocated() * (size + 3.0) / (2.0 * std::numbers::pi)) /
                         viewport.scale();
    int best = -1;
    double bestD2 = tolerance * tolerance;
    m_markers.forEachIn(GeoRect::fromEdges(world.x() - reach, world.y() - reach, world.x() + reach, world.y() + reach),
                        [&](int i) {
                            if (!shown(i))
                                return;
                            const QPointF delta = viewport.worldToScreen(m_markers.world(i)) +
                                                  MapOverlay::spreadOffset(m_markers, i, viewport.zoom(), size) - point;
                            const double d2 = QPointF::dotProduct(delta, delta);
                            if (d2 < bestD2 || (d2 == bestD2 && i > best)) {
                                bestD2 = d2;
                                best = i;
                            }
                        });
    return best;
}

} // namespace gwanje
