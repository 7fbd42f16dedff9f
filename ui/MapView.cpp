#include "MapView.h"

#include "AssetsFacade.h"
#include "DevicesFacade.h"
#include "MapGeometry_p.h"
#include "MapStyle.h"
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

namespace gwanje {

namespace {

constexpr double seoulLongitude = 126.978;
constexpr double seoulLatitude = 37.5665;

// Draw order, bottom to top: the most numerous kind first so the rarer ones stay visible.
constexpr std::array<AssetKind, assetKindCount> drawOrder{AssetKind::WifiAp, AssetKind::CameraSite, AssetKind::Sensor};

MapGeometry::MarkerShape shapeOf(AssetKind kind)
{
    switch (kind) {
    case AssetKind::WifiAp:
        return MapGeometry::MarkerShape::Diamond;
    case AssetKind::Sensor:
        return MapGeometry::MarkerShape::Triangle;
    case AssetKind::CameraSite:
        break;
    }
    return MapGeometry::MarkerShape::Square;
}

// The node tree of the map, kept by the scene graph between frames.
class MapRootNode : public QSGNode
{
public:
    MapRootNode()
    {
        dongs = new MapGeometry::TriangleLayer(MapStyle::dongOutline());
        districts = new MapGeometry::TriangleLayer(MapStyle::districtOutline());
        appendChildNode(dongs);
        appendChildNode(districts);
        for (std::size_t i = 0; i < drawOrder.size(); ++i) {
            markers[i] = new MapGeometry::TriangleLayer(MapStyle::assetColor(drawOrder[i]));
            appendChildNode(markers[i]);
        }
        tracks = new MapGeometry::TriangleLayer(MapStyle::sos());
        appendChildNode(tracks);
        devices = new MapGeometry::TriangleLayer(MapStyle::device());
        sos = new MapGeometry::TriangleLayer(MapStyle::sos());
        appendChildNode(devices);
        appendChildNode(sos);
        labels = new QSGNode;
        appendChildNode(labels);
    }
    MapGeometry::TriangleLayer *dongs;
    MapGeometry::TriangleLayer *districts;
    std::array<MapGeometry::TriangleLayer *, assetKindCount> markers{};
    MapGeometry::TriangleLayer *tracks;
    MapGeometry::TriangleLayer *devices;
    MapGeometry::TriangleLayer *sos;
    QSGNode *labels;
    std::vector<QSGImageNode *> labelNodes;
    std::vector<QSGGeometry::Point2D> scratch;
};

void projectRings(const std::vector<Region> &regions, std::vector<Ring> &rings, std::vector<GeoRect> &bounds)
{
    rings.clear();
    bounds.clear();
    for (const Region &region : regions) {
        for (const Ring &ring : region.rings) {
            Ring world;
            GeoRect box;
            world.reserve(ring.size());
            for (const QPointF &p : ring) {
                world.push_back(WebMercator::project(p.x(), p.y()));
                box.expand(world.back().x(), world.back().y());
            }
            rings.push_back(std::move(world));
            bounds.push_back(box);
        }
    }
}

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
    if (m_devices)
        connect(m_devices, &DevicesFacade::updated, this, &MapView::onDevicesUpdated);
    onDevicesUpdated();
    Q_EMIT devicesChanged();
}

void MapView::setShowDevices(bool on)
{
    if (m_showDevices == on)
        return;
    m_showDevices = on;
    Q_EMIT layersChanged();
    update();
}

void MapView::onDevicesUpdated()
{
    m_deviceWorld.clear();
    m_sosWorld.clear();
    m_sosTracks.clear();
    if (m_devices) {
        for (const DevicePoint &p : m_devices->points())
            (p.sos ? m_sosWorld : m_deviceWorld).push_back(WebMercator::project(p.longitude, p.latitude));
        for (const auto &track : m_devices->sosTracks()) {
            Ring world;
            world.reserve(track.size());
            for (const QPointF &p : track)
                world.push_back(WebMercator::project(p.x(), p.y()));
            m_sosTracks.push_back(std::move(world));
        }
    }
    update();
}

void MapView::onRegistryChanged()
{
    m_registry = m_assets ? m_assets->registry() : nullptr;
    for (auto &markers : m_markers)
        markers.clear();
    m_districtRings.clear();
    m_dongRings.clear();
    m_districtRingBounds.clear();
    m_dongRingBounds.clear();
    if (m_registry) {
        for (const Asset &a : m_registry->assets())
            m_markers[std::size_t(a.kind)].push_back(a.world);
        projectRings(m_registry->districts(), m_districtRings, m_districtRingBounds);
        projectRings(m_registry->dongs(), m_dongRings, m_dongRingBounds);
        if (!m_userMoved)
            fitToData();
    }
    rebuildLabels();
    m_dataDirty = true;
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
    m_labelsDirty = true;
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

void MapView::setLayerVisible(int layer, bool on)
{
    if (m_visible[std::size_t(layer)] == on)
        return;
    m_visible[std::size_t(layer)] = on;
    Q_EMIT layersChanged();
    update();
}

void MapView::setShowDongs(bool on)
{
    if (m_showDongs == on)
        return;
    m_showDongs = on;
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
    m_viewport.zoomAround(QPointF(width() / 2, height() / 2), 1.0);
    viewMoved(true);
}

void MapView::zoomOut()
{
    m_viewport.zoomAround(QPointF(width() / 2, height() / 2), -1.0);
    viewMoved(true);
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
    m_dragging = true;
    m_lastDragPoint = event->position();
    forceActiveFocus(Qt::MouseFocusReason);
    event->accept();
}

void MapView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    m_viewport.panBy(event->position() - m_lastDragPoint);
    m_lastDragPoint = event->position();
    setCursor(event->position(), true);
    viewMoved(true);
    event->accept();
}

void MapView::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = false;
    event->accept();
}

void MapView::wheelEvent(QWheelEvent *event)
{
    // A mouse notch (120 units) is half a zoom level; touchpads send smaller steps.
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0) {
        event->ignore();
        return;
    }
    m_viewport.zoomAround(event->position(), steps * 0.5);
    viewMoved(true);
    event->accept();
}

void MapView::hoverMoveEvent(QHoverEvent *event)
{
    setCursor(event->position(), true);
}

void MapView::hoverLeaveEvent(QHoverEvent *event)
{
    setCursor(event->position(), false);
}

void MapView::setCursor(QPointF point, bool inside)
{
    m_cursor = pointToCoordinate(point);
    m_cursorInside = inside;
    Q_EMIT cursorChanged();
}

void MapView::keyPressEvent(QKeyEvent *event)
{
    const double step = std::min(width(), height()) / 4.0;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_Left:
        m_viewport.panBy(QPointF(step, 0));
        viewMoved(true);
        break;
    case Qt::Key_Right:
        m_viewport.panBy(QPointF(-step, 0));
        viewMoved(true);
        break;
    case Qt::Key_Up:
        m_viewport.panBy(QPointF(0, step));
        viewMoved(true);
        break;
    case Qt::Key_Down:
        m_viewport.panBy(QPointF(0, -step));
        viewMoved(true);
        break;
    case Qt::Key_Home:
        m_userMoved = false;
        fitToData();
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

QSGNode *MapView::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *root = static_cast<MapRootNode *>(oldNode);
    if (!root) {
        root = new MapRootNode;
        m_labelsDirty = true;
    }
    const MapViewport &vp = m_viewport;
    auto &scratch = root->scratch;

    scratch.clear();
    if (m_showDongs && vp.zoom() >= MapStyle::dongMinimumZoom)
        MapGeometry::appendRings(m_dongRings, m_dongRingBounds, vp, float(MapStyle::dongOutlineWidth), scratch);
    root->dongs->setVertices(scratch);

    scratch.clear();
    MapGeometry::appendRings(m_districtRings, m_districtRingBounds, vp, float(MapStyle::districtOutlineWidth), scratch);
    root->districts->setVertices(scratch);

    const float size = float(MapStyle::markerSize(vp.zoom()));
    for (std::size_t i = 0; i < drawOrder.size(); ++i) {
        const AssetKind kind = drawOrder[i];
        scratch.clear();
        if (m_visible[std::size_t(kind)])
            MapGeometry::appendMarkers(m_markers[std::size_t(kind)], vp, shapeOf(kind), size, scratch);
        root->markers[i]->setVertices(scratch);
    }

    scratch.clear();
    MapGeometry::appendPolylines(m_sosTracks, vp, 2.0f, scratch);
    root->tracks->setVertices(scratch);
    scratch.clear();
    if (m_showDevices)
        MapGeometry::appendMarkers(m_deviceWorld, vp, MapGeometry::MarkerShape::Octagon, size + 1.0f, scratch);
    root->devices->setVertices(scratch);
    scratch.clear();
    MapGeometry::appendMarkers(m_sosWorld, vp, MapGeometry::MarkerShape::Octagon, std::max(12.0f, size * 2.0f),
                               scratch); // an SOS is always shown
    root->sos->setVertices(scratch);

    if (m_labelsDirty) {
        for (QSGImageNode *node : root->labelNodes) {
            root->labels->removeChildNode(node);
            delete node;
        }
        root->labelNodes.clear();
        for (const Label &label : m_labels) {
            QSGImageNode *node = window()->createImageNode();
            node->setTexture(window()->createTextureFromImage(label.image));
            node->setOwnsTexture(true);
            node->setFiltering(QSGTexture::Linear);
            root->labels->appendChildNode(node);
            root->labelNodes.push_back(node);
        }
        m_labelsDirty = false;
    }
    for (std::size_t i = 0; i < root->labelNodes.size(); ++i) {
        const Label &label = m_labels[i];
        const QSizeF labelSize = label.image.deviceIndependentSize();
        const QPointF at = vp.worldToScreen(label.world);
        root->labelNodes[i]->setRect(QRectF(at - QPointF(labelSize.width() / 2, labelSize.height() / 2), labelSize));
    }
    m_dataDirty = false;
    return root;
}

} // namespace gwanje
