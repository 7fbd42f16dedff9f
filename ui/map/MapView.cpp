#include "MapView.h"

#include "AssetsFacade.h"
#include "DevicesFacade.h"
#include "MapStyle.h"
#include "MarkerStatus.h"
#include "UiLogging.h"
#include "geo/WebMercator.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <QSGImageNode>
#include <QSGTexture>

#include <cmath>
#include <numbers>

namespace gwanje {

namespace {

constexpr double seoulLongitude = 126.978;
constexpr double seoulLatitude = 37.5665;

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

// The node tree of the map, kept by the scene graph between frames: the basemap's tiles
// (TileNodes), then the live layer on top.
class MapRootNode : public QSGNode
{
public:
    ~MapRootNode() override { delete overlayTexture; }
    QSGNode *tiles = nullptr;
    QSGImageNode *overlay = nullptr;
    QSGTexture *overlayTexture = nullptr;
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
    m_options.cameraViews = &m_cameraViews;
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
    if (!changes.empty())
        update();
}

void MapView::applyDevices(const std::vector<DevicePoint> &points)
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
        m_options.nowMs = std::max(m_options.nowMs, p.timeMs);
    }
    ++m_generation;
    if (m_alarmMarkers > 0 && !m_pulseTimer.isActive())
        m_pulseTimer.start();
    else if (m_alarmMarkers == 0)
        m_pulseTimer.stop();
    update();
}

void MapView::onRegistryChanged()
{
    m_registry = m_assets ? m_assets->registry() : nullptr;
    m_markers.clear();
    m_cameraViews.clear();
    m_deviceIndex.clear();
    m_deviceOffline.clear();
    m_alarmMarkers = 0;
    m_assetMarkers = 0;
    m_hovered = -1;
    select(-1);
    if (m_registry) {
        m_markers.reserve(int(m_registry->assets().size()));
        for (std::size_t i = 0; i < m_registry->assets().size(); ++i) {
            const Asset &a = m_registry->assets()[i];
            // Registry assets are validated, so every one gets a marker and marker i is asset i.
            m_markers.add(quint32(i), markerKindOf(a.kind), MarkerState::Normal, a.world);
        }
        m_assetMarkers = m_markers.size();
        m_status.clear();
        if (m_devices)
            m_devices->resendStatus();
        m_assetById.clear();
        m_assetById.reserve(m_assetMarkers);
        for (int i = 0; i < m_assetMarkers; ++i)
            m_assetById.insert(m_registry->assets()[m_markers.ref(i)].id, i);
        m_cameraViews.assign(std::size_t(m_assetMarkers), nullptr);
        for (int i = 0; i < m_assetMarkers; ++i)
            m_cameraViews[std::size_t(i)] = m_assets->cameraView(m_markers.ref(i));
        ++m_generation;
        m_markers.updateColocation();
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
        QFont font;
        font.setFamilies({QStringLiteral("Noto Sans CJK KR"), QStringLiteral("NanumGothic"),
                          QStringLiteral("NanumBarunGothic"), QStringLiteral("Malgun Gothic"),
                          QStringLiteral("Apple SD Gothic Neo"), QStringLiteral("sans-serif")});
        font.setPixelSize(13);
        font.setBold(true);
        const QFontMetricsF metrics(font);
        for (const Region &district : m_registry->districts()) {
            const QString text = m_englishLabels && !district.nameEn.isEmpty() ? district.nameEn : district.name;
            const QSizeF size(metrics.horizontalAdvance(text) + 6, metrics.height() + 4);
            QImage image((size * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
            image.setDevicePixelRatio(dpr);
            image.fill(Qt::transparent);
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            QPainterPath path;
            path.addText(QPointF(3, 2 + metrics.ascent()), font, text);
            p.strokePath(path, QPen(MapStyle::background(), 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.fillPath(path, QColor(0xe6, 0xee, 0xf8));
            p.end();
            m_labels.push_back({WebMercator::project(district.labelPoint.x(), district.labelPoint.y()), image});
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

void MapView::mousePressEvent(QMouseEvent *event)
{
    m_interaction.mousePress(event);
}

void MapView::mouseMoveEvent(QMouseEvent *event)
{
    m_interaction.mouseMove(event);
}

void MapView::mouseReleaseEvent(QMouseEvent *event)
{
    m_interaction.mouseRelease(event);
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

void MapView::touchEvent(QTouchEvent *event)
{
    m_interaction.touch(event);
}

bool MapView::event(QEvent *event)
{
    if (m_interaction.nativeGesture(event))
        return true;
    return QQuickItem::event(event);
}

void MapView::wheelEvent(QWheelEvent *event)
{
    m_interaction.wheel(event);
}

void MapView::hoverMoveEvent(QHoverEvent *event)
{
    m_interaction.hoverMove(event);
}

void MapView::hoverLeaveEvent(QHoverEvent *event)
{
    m_interaction.hoverLeave(event);
}

void MapView::keyPressEvent(QKeyEvent *event)
{
    m_interaction.keyPress(event);
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
    if (!isClustered()) {
        m_clusters.clear();
        m_clusterStamp = {};
        return m_clusters;
    }
    const ClusterStamp stamp{m_viewport.center(), m_viewport.zoom(), m_viewport.size(), m_options.visible,
                             m_generation};
    if (!(stamp == m_clusterStamp)) {
        MapOverlay::buildClusters(m_markers, m_viewport, m_options.visible, m_options.clusterCellPixels, m_clusters);
        m_clusterStamp = stamp;
    }
    return m_clusters;
}

int MapView::pickAt(QPointF point) const
{
    constexpr double tolerance = 8.0; // pixels
    const QPointF world = m_viewport.screenToWorld(point);
    auto shown = [this](int i) {
        return m_options.visible[std::size_t(m_markers.kind(i))];
    };
    // Markers in alarm are drawn on top of everything, unclustered and unspread.
    const int alarm = m_markers.nearest(world, tolerance / m_viewport.scale(), [this, &shown](int i) {
        return m_markers.state(i) == MarkerState::Alarm && shown(i);
    });
    if (alarm >= 0)
        return alarm;
    if (isClustered()) {
        int bestCluster = -1;
        double best = 0.0;
        const auto &clusters = this->clusters();
        for (std::size_t k = 0; k < clusters.size(); ++k) {
            const QPointF delta = m_viewport.worldToScreen(clusters[k].world) - point;
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
    if (m_viewport.zoom() < MapOverlay::spreadZoom)
        return m_markers.nearest(world, tolerance / m_viewport.scale(), shown);
    // Co-located markers are drawn spread apart: test where they are drawn, searching as far
    // around as the largest group spreads.
    const int size = int(MapStyle::markerSize(m_viewport.zoom()));
    const double reach = (tolerance + 2.0 * size + m_markers.maxColocated() * (size + 3.0) / (2.0 * std::numbers::pi)) /
                         m_viewport.scale();
    int best = -1;
    double bestD2 = tolerance * tolerance;
    m_markers.forEachIn(
        GeoRect::fromEdges(world.x() - reach, world.y() - reach, world.x() + reach, world.y() + reach), [&](int i) {
            if (!shown(i))
                return;
            const QPointF delta = m_viewport.worldToScreen(m_markers.world(i)) +
                                  MapOverlay::spreadOffset(m_markers, i, m_viewport.zoom(), size) - point;
            const double d2 = QPointF::dotProduct(delta, delta);
            if (d2 < bestD2 || (d2 == bestD2 && i > best)) {
                bestD2 = d2;
                best = i;
            }
        });
    return best;
}

QString MapView::describe(int marker) const
{
    if (marker < 0 || marker >= m_markers.size())
        return {};
    if (marker < m_assetMarkers && m_registry)
        return MapSelection::describeAsset(m_registry->assets()[m_markers.ref(marker)]);
    return MapSelection::describeDevice(m_markers.ref(marker));
}

bool MapView::selectSource(const QString &id)
{
    const auto asset = m_assetById.constFind(id);
    if (asset != m_assetById.constEnd()) {
        select(*asset);
        return true;
    }
    const qint64 source = m_devices ? m_devices->sourceIndex(id) : -1;
    if (source < 0 || std::size_t(source) >= m_deviceIndex.size() || m_deviceIndex[std::size_t(source)] < 0)
        return false;
    select(m_deviceIndex[std::size_t(source)]);
    return true;
}

void MapView::select(int marker)
{
    MapSelection selection;
    m_zones.clear();
    if (marker >= 0 && marker < m_markers.size()) {
        const QPointF lonLat = WebMercator::unproject(m_markers.world(marker));
        if (marker < m_assetMarkers && m_registry) {
            const Asset &a = m_registry->assets()[m_markers.ref(marker)];
            const CameraView *view =
                std::size_t(marker) < m_cameraViews.size() ? m_cameraViews[std::size_t(marker)] : nullptr;
            const QString district =
                a.district >= 0 ? m_registry->districts()[std::size_t(a.district)].name : QString();
            const auto status = m_status.constFind(marker);
            selection = MapSelection::ofAsset(marker, lonLat, a, district, view,
                                              status != m_status.constEnd() ? &*status : nullptr);
        } else {
            if (m_devices) {
                for (const auto &zone : m_devices->safeZones(m_markers.ref(marker))) {
                    Ring world;
                    world.reserve(zone.size());
                    for (const QPointF &p : zone)
                        world.push_back(WebMercator::project(p.x(), p.y()));
                    m_zones.push_back(std::move(world));
                }
            }
            selection =
                MapSelection::ofDevice(marker, m_markers.ref(marker), lonLat, m_devices ? int(m_zones.size()) : -1,
                                       m_markers.state(marker) == MarkerState::Alarm);
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

void MapView::renderOverlay(QImage &image)
{
    // Tracks fade by the newest source time seen (applyDevices), so a replay draws as it was.
    m_options.pulse = double(m_clock.elapsed() % 1200) / 1200.0;
    m_options.metresPerPixel = metresPerPixel();
    m_options.hovered = m_hovered;
    m_options.selected = m_selection.marker;
    m_overlay.render(image, m_markers, m_viewport, m_options);
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

    // The live layer: rasterised here, while the GUI thread waits, into the image the scene graph
    // is not holding; then uploaded as this frame's texture.
    const qreal dpr = window()->effectiveDevicePixelRatio();
    const QSize pixels = (QSizeF(width(), height()) * dpr).toSize();
    if (pixels.isEmpty())
        return root;
    m_imageIndex ^= 1;
    QImage &image = m_images[std::size_t(m_imageIndex)];
    if (image.size() != pixels) {
        image = QImage(pixels, OverlayRaster::imageFormat);
        image.setDevicePixelRatio(dpr);
    }
    renderOverlay(image);
    QSGTexture *texture = window()->createTextureFromImage(image);
    const bool added = !root->overlay;
    if (added) {
        root->overlay = window()->createImageNode();
        root->overlay->setFiltering(QSGTexture::Nearest);
    }
    root->overlay->setTexture(texture);
    delete root->overlayTexture;
    root->overlayTexture = texture;
    root->overlay->setRect(QRectF(0, 0, width(), height()));
    if (added)
        root->appendChildNode(root->overlay);
    m_lastOverlayMs = double(timer.nsecsElapsed()) / 1e6;
    return root;
}

} // namespace gwanje
