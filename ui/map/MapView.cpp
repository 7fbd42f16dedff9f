#include "MapView.h"

#include "AssetsFacade.h"
#include "DevicesFacade.h"
#include "UiLogging.h"
#include "geo/WebMercator.h"

#include <QQuickWindow>

#include <cmath>

namespace gwanje {

namespace {

constexpr double seoulLongitude = 126.978;
constexpr double seoulLatitude = 37.5665;

// The node tree of the map, kept by the scene graph between frames: the basemap's tiles
// (TileNodes), then the live layer on top (OverlayNode).
class MapRootNode : public QSGNode
{
public:
    QSGNode *tiles = nullptr;
    QSGNode *overlay = nullptr;
};

} // namespace

MapView::MapView(QQuickItem *parent)
    : QQuickItem(parent)
    , m_viewport(WebMercator::project(seoulLongitude, seoulLatitude), 11.0, QSizeF(800, 600))
{
    m_viewport.setZoomRange(9.0, 20.0);
    setFlag(ItemHasContents);
    setAcceptedMouseButtons(Qt::LeftButton);
    setAcceptHoverEvents(true);
    setActiveFocusOnTab(true);
    setClip(true);
    m_clock.start();
    m_options.labels = &m_labels;
    m_options.storedTracks = &m_sosTracks;
    m_options.cameraViews = &m_live.cameraViews();
    m_options.zones = &m_zones;
    // Markers in alarm pulse: a frame every 50 ms while there are any.
    m_pulseTimer.setInterval(50);
    connect(&m_pulseTimer, &QTimer::timeout, this, &QQuickItem::update);
    connect(&m_tileNodes.store(), &TileStore::tileReady, this, &QQuickItem::update);
    setAcceptTouchEvents(true);
    connect(&m_interaction, &MapInteraction::moved, this, &MapView::onViewMoved);
    connect(&m_interaction, &MapInteraction::clicked, this, &MapView::onClicked);
    connect(&m_interaction, &MapInteraction::hovered, this, &MapView::updateHover);
    connect(&m_interaction, &MapInteraction::cursorChanged, this, &MapView::cursorChanged);
    connect(&m_interaction, &MapInteraction::homeRequested, this, [this] {
        m_userMoved = false;
        fitToData();
    });
}

MapView::~MapView() = default;

void MapView::setAssets(AssetsFacade *assets)
{
    if (m_assets == assets)
        return;
    if (m_assets)
        disconnect(m_assets, nullptr, this, nullptr);
    m_assets = assets;
    if (m_assets)
        connect(m_assets, &AssetsFacade::registryChanged, this, &MapView::onRegistryChanged);
    onRegistryChanged();
    Q_EMIT assetsChanged();
}

void MapView::setDevices(DevicesFacade *devices)
{
    if (m_devices == devices)
        return;
    if (m_devices)
        disconnect(m_devices, nullptr, this, nullptr);
    m_devices = devices;
    if (m_devices) {
        connect(m_devices, &DevicesFacade::updated, this, &MapView::onDevicesUpdated);
        connect(m_devices, &DevicesFacade::heatUpdated, this, &MapView::onHeatUpdated);
        m_devices->setHeatWanted(m_showHeatmap);
    }
    onDevicesUpdated();
    Q_EMIT devicesChanged();
}

void MapView::setBasemap(BasemapFacade *basemap)
{
    if (m_basemap == basemap)
        return;
    if (m_basemap)
        disconnect(m_basemap, nullptr, this, nullptr);
    m_basemap = basemap;
    if (m_basemap)
        connect(m_basemap, &BasemapFacade::changed, this, &MapView::onBasemapChanged);
    onBasemapChanged();
    Q_EMIT basemapChanged();
}

void MapView::onBasemapChanged()
{
    if (m_basemap && m_basemap->isLoaded() && m_basemap->isLayerVisible(QStringLiteral("dongs")) != m_showDongs)
        m_basemap->setLayerVisible(QStringLiteral("dongs"), m_showDongs); // comes back here
    if (m_tileNodes.setData(m_basemap ? m_basemap->data() : nullptr))
        update();
}

bool MapView::tilesReady()
{
    if (!m_basemap)
        return true;
    if (!m_basemap->isLoaded())
        return false;
    return m_tileNodes.ready(m_viewport);
}

void MapView::onDevicesUpdated()
{
    m_sosTracks.clear();
    if (!m_devices) {
        update();
        return;
    }
    for (const auto &track : m_devices->sosTracks()) {
        Ring world;
        world.reserve(track.size());
        for (const QPointF &p : track)
            world.push_back(WebMercator::project(p.x(), p.y()));
        m_sosTracks.push_back(std::move(world));
    }
    applyDevices(m_devices->points());
    applyStatus(m_devices->statusChanges());
}

void MapView::applyStatus(const std::vector<AssetStatusPoint> &changes)
{
    m_live.applyStatus(changes);
    if (!changes.empty())
        update();
}

void MapView::applyDevices(const std::vector<DevicePoint> &points)
{
    m_live.applyDevices(points);
    m_options.nowMs = m_live.newestTimeMs();
    if (m_live.alarmMarkers() > 0 && !m_pulseTimer.isActive())
        m_pulseTimer.start();
    else if (m_live.alarmMarkers() == 0)
        m_pulseTimer.stop();
    update();
}

void MapView::onRegistryChanged()
{
    m_registry = m_assets ? m_assets->registry() : nullptr;
    m_live.clear();
    m_hovered = -1;
    select(-1);
    if (m_registry) {
        m_live.addAssets(*m_registry);
        if (m_devices)
            m_devices->resendStatus();
        if (!m_userMoved)
            fitToData();
    }
    rebuildLabels();
    // Devices come back with the next snapshot.
    if (m_devices)
        onDevicesUpdated();
    update();
}

void MapView::rebuildLabels()
{
    m_labels.clear();
    if (m_registry) {
        const qreal dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
        for (const Region &district : m_registry->districts()) {
            const QString text = m_englishLabels && !district.nameEn.isEmpty() ? district.nameEn : district.name;
            m_labels.push_back({WebMercator::project(district.labelPoint.x(), district.labelPoint.y()),
                                OverlayRaster::label(text, dpr)});
        }
    }
    update();
}

QGeoCoordinate MapView::center() const
{
    const QPointF c = WebMercator::unproject(m_viewport.center());
    return QGeoCoordinate(c.y(), c.x());
}

void MapView::setCenter(const QGeoCoordinate &center)
{
    if (!center.isValid())
        return;
    m_viewport.setCenter(WebMercator::project(center.longitude(), center.latitude()));
    viewMoved(true);
}

void MapView::setZoom(double zoom)
{
    if (qFuzzyCompare(zoom, m_viewport.zoom()))
        return;
    m_viewport.setZoom(zoom);
    viewMoved(true);
}

double MapView::metresPerPixel() const
{
    return WebMercator::metresPerPixel(center().latitude(), m_viewport.zoom());
}

bool MapView::layerVisible(int kind) const
{
    return kind >= 0 && kind < markerKindCount && m_options.visible[std::size_t(kind)];
}

void MapView::setLayerVisible(int kind, bool on)
{
    if (kind < 0 || kind >= markerKindCount || m_options.visible[std::size_t(kind)] == on)
        return;
    m_options.visible[std::size_t(kind)] = on;
    Q_EMIT layersChanged();
    update();
}

void MapView::setClustering(bool on)
{
    if (m_options.clustering == on)
        return;
    m_options.clustering = on;
    Q_EMIT layersChanged();
    update();
}

void MapView::setShowHeatmap(bool on)
{
    if (m_showHeatmap == on)
        return;
    m_showHeatmap = on;
    if (m_devices)
        m_devices->setHeatWanted(on);
    onHeatUpdated();
    Q_EMIT layersChanged();
}

void MapView::onHeatUpdated()
{
    m_heat.clear();
    if (m_showHeatmap && m_devices) {
        m_heat.reserve(m_devices->heat().size());
        for (const DevicesFacade::HeatPoint &p : m_devices->heat()) {
            const QPointF w = WebMercator::projectFast(p.longitude, p.latitude);
            if (std::isfinite(w.x()) && std::isfinite(w.y()))
                m_heat.push_back({w.x(), w.y(), p.weight});
        }
    }
    m_options.heat = m_showHeatmap ? &m_heat : nullptr;
    m_options.heatGeneration = (m_devices ? m_devices->heatGeneration() : 0) * 2 + (m_showHeatmap ? 1 : 0);
    update();
}

void MapView::setShowTracks(bool on)
{
    if (m_options.tracks == on)
        return;
    m_options.tracks = on;
    Q_EMIT layersChanged();
    update();
}

void MapView::setShowDongs(bool on)
{
    if (m_showDongs == on)
        return;
    m_showDongs = on;
    onBasemapChanged(); // the dong outlines are the basemap layer "dongs"
    Q_EMIT layersChanged();
    update();
}

void MapView::setEnglishLabels(bool on)
{
    if (m_englishLabels == on)
        return;
    m_englishLabels = on;
    rebuildLabels();
    Q_EMIT layersChanged();
}

void MapView::fitToData()
{
    if (!m_registry || m_registry->districts().empty())
        return;
    GeoRect box;
    for (const Region &district : m_registry->districts())
        box.expand(district.bounds);
    m_viewport.fitCoordinates(box, 16.0);
    viewMoved(false);
}

void MapView::zoomIn()
{
    m_interaction.zoomBy(1.0);
}

void MapView::zoomOut()
{
    m_interaction.zoomBy(-1.0);
}

QPointF MapView::coordinateToPoint(const QGeoCoordinate &coordinate) const
{
    if (!coordinate.isValid())
        return QPointF(qQNaN(), qQNaN());
    return m_viewport.coordinateToScreen(coordinate.longitude(), coordinate.latitude());
}

QGeoCoordinate MapView::pointToCoordinate(const QPointF &point) const
{
    const QPointF c = m_viewport.screenToCoordinate(point);
    return QGeoCoordinate(c.y(), c.x());
}

void MapView::viewMoved(bool byUser)
{
    // A view set from outside (fit, a property) ends a glide.
    m_interaction.stopGlide();
    onViewMoved(byUser);
}

void MapView::onViewMoved(bool byUser)
{
    m_userMoved = m_userMoved || byUser;
    Q_EMIT viewChanged();
    update();
}

void MapView::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() == oldGeometry.size())
        return;
    // Keep the centre where it is; refit while the operator has not moved the map yet.
    m_viewport.setSize(newGeometry.size());
    if (!m_userMoved)
        fitToData();
    update();
}

void MapView::itemChange(ItemChange change, const ItemChangeData &value)
{
    QQuickItem::itemChange(change, value);
    if (change == ItemDevicePixelRatioHasChanged || (change == ItemSceneChange && value.window))
        rebuildLabels();
}

void MapView::onClicked(QPointF point)
{
    // A click selects what is under it; a cluster zooms in on its members.
    const int picked = pickAt(point);
    if (picked <= -2) {
        const MapCluster &c = clusters()[std::size_t(-2 - picked)];
        const QPointF lonLat = WebMercator::unproject(c.world);
        flyTo(QGeoCoordinate(lonLat.y(), lonLat.x()), std::min(m_viewport.zoom() + 2.0, m_viewport.maximumZoom()));
        return;
    }
    select(picked);
}

void MapView::updateHover(QPointF point, bool inside)
{
    const int picked = inside ? pickAt(point) : -1;
    QString text;
    if (picked >= 0) {
        text = describe(picked);
    } else if (picked <= -2) {
        const MapCluster &c = clusters()[std::size_t(-2 - picked)];
        text = tr("%n markers here; click to zoom in", nullptr, c.count);
    }
    const int hovered = picked >= 0 ? picked : -1;
    if (text == m_hoverText && point == m_hoverPoint && hovered == m_hovered)
        return;
    if (hovered != m_hovered) {
        m_hovered = hovered;
        update();
    }
    m_hoverText = text;
    m_hoverPoint = point;
    Q_EMIT hoverChanged();
}

const std::vector<MapCluster> &MapView::clusters() const
{
    return m_live.clusters(m_viewport, m_options);
}

int MapView::pickAt(QPointF point) const
{
    return m_live.pickAt(point, m_viewport, m_options);
}

QString MapView::describe(int marker) const
{
    const MarkerLayer &markers = m_live.layer();
    if (marker < 0 || marker >= markers.size())
        return {};
    if (marker < m_live.assetMarkers() && m_registry)
        return MapSelection::describeAsset(m_registry->assets()[markers.ref(marker)]);
    return MapSelection::describeDevice(markers.ref(marker));
}

bool MapView::selectSource(const QString &id)
{
    const int asset = m_live.assetMarker(id);
    if (asset >= 0) {
        select(asset);
        return true;
    }
    const int device = m_live.deviceMarker(m_devices ? m_devices->sourceIndex(id) : -1);
    if (device < 0)
        return false;
    select(device);
    return true;
}

void MapView::select(int marker)
{
    MapSelection selection;
    m_zones.clear();
    const MarkerLayer &markers = m_live.layer();
    if (marker >= 0 && marker < markers.size()) {
        const QPointF lonLat = WebMercator::unproject(markers.world(marker));
        if (marker < m_live.assetMarkers() && m_registry) {
            const Asset &a = m_registry->assets()[markers.ref(marker)];
            const QString district =
                a.district >= 0 ? m_registry->districts()[std::size_t(a.district)].name : QString();
            selection =
                MapSelection::ofAsset(marker, lonLat, a, district, m_live.cameraView(marker), m_live.status(marker));
        } else {
            if (m_devices) {
                for (const auto &zone : m_devices->safeZones(markers.ref(marker))) {
                    Ring world;
                    world.reserve(zone.size());
                    for (const QPointF &p : zone)
                        world.push_back(WebMercator::project(p.x(), p.y()));
                    m_zones.push_back(std::move(world));
                }
            }
            selection =
                MapSelection::ofDevice(marker, markers.ref(marker), lonLat, m_devices ? int(m_zones.size()) : -1,
                                       markers.state(marker) == MarkerState::Alarm);
        }
    }
    if (selection == m_selection)
        return;
    m_selection = selection;
    Q_EMIT selectionChanged();
    update();
}

void MapView::flyTo(const QGeoCoordinate &coordinate, double zoom)
{
    if (!coordinate.isValid())
        return;
    m_userMoved = true;
    m_interaction.flyTo(WebMercator::project(coordinate.longitude(), coordinate.latitude()), zoom);
}

QSGNode *MapView::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    QElapsedTimer timer;
    timer.start();
    auto *root = static_cast<MapRootNode *>(oldNode);
    if (!root) {
        root = new MapRootNode;
        root->tiles = m_tileNodes.updateNode(nullptr, window(), m_viewport, size());
        root->appendChildNode(root->tiles);
    } else {
        m_tileNodes.updateNode(root->tiles, window(), m_viewport, size());
    }
    // Tracks fade by the newest source time seen (applyDevices), so a replay draws as it was.
    m_options.pulse = double(m_clock.elapsed() % 1200) / 1200.0;
    m_options.metresPerPixel = metresPerPixel();
    m_options.hovered = m_hovered;
    m_options.selected = m_selection.marker;
    QSGNode *overlay = m_overlayNode.updateNode(root->overlay, window(), m_live.layer(), m_viewport, m_options, size());
    if (!overlay)
        return root;
    if (!root->overlay) {
        root->overlay = overlay;
        root->appendChildNode(overlay);
    }
    m_lastOverlayMs = double(timer.nsecsElapsed()) / 1e6;
    return root;
}

} // namespace gwanje
