#pragma once

#include "AssetsFacade.h"
#include "DevicesFacade.h"
#include "assets/AssetRegistry.h"
#include "geo/MapViewport.h"

#include <QGeoCoordinate>
#include <QImage>
#include <QPointer>
#include <QQuickItem>

#include <array>
#include <memory>

namespace gwanje {

// The city map: our own Qt Quick item (Qt Location is not available for Qt 6 on Debian 12, and
// one item per marker does not scale). Web Mercator; district and dong outlines, district labels
// and every asset drawn in a few batched scene-graph nodes, one per layer. Data is projected once
// when it arrives; each frame only transforms and culls. Drag pans, the wheel zooms around the
// cursor, +/- and the arrow keys work when it has focus. GUI thread; nodes live on the render thread.
class MapView : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(gwanje::AssetsFacade *assets READ assets WRITE setAssets NOTIFY assetsChanged)
    Q_PROPERTY(gwanje::DevicesFacade *devices READ devices WRITE setDevices NOTIFY devicesChanged)
    Q_PROPERTY(bool showDevices READ showDevices WRITE setShowDevices NOTIFY layersChanged)
    Q_PROPERTY(QGeoCoordinate center READ center WRITE setCenter NOTIFY viewChanged)
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY viewChanged)
    Q_PROPERTY(double minimumZoom READ minimumZoom CONSTANT)
    Q_PROPERTY(double maximumZoom READ maximumZoom CONSTANT)
    Q_PROPERTY(double metresPerPixel READ metresPerPixel NOTIFY viewChanged)
    Q_PROPERTY(bool showCameras READ showCameras WRITE setShowCameras NOTIFY layersChanged)
    Q_PROPERTY(bool showWifi READ showWifi WRITE setShowWifi NOTIFY layersChanged)
    Q_PROPERTY(bool showSensors READ showSensors WRITE setShowSensors NOTIFY layersChanged)
    Q_PROPERTY(bool showDongs READ showDongs WRITE setShowDongs NOTIFY layersChanged)
    Q_PROPERTY(bool englishLabels READ englishLabels WRITE setEnglishLabels NOTIFY layersChanged)
    Q_PROPERTY(QGeoCoordinate cursorCoordinate READ cursorCoordinate NOTIFY cursorChanged)
    Q_PROPERTY(bool cursorInside READ cursorInside NOTIFY cursorChanged)

public:
    explicit MapView(QQuickItem *parent = nullptr);
    ~MapView() override;

    AssetsFacade *assets() const { return m_assets; }
    void setAssets(AssetsFacade *assets);

    DevicesFacade *devices() const { return m_devices; }
    void setDevices(DevicesFacade *devices);
    bool showDevices() const { return m_showDevices; }
    void setShowDevices(bool on);

    QGeoCoordinate center() const;
    void setCenter(const QGeoCoordinate &center);
    double zoom() const { return m_viewport.zoom(); }
    void setZoom(double zoom);
    double minimumZoom() const { return m_viewport.minimumZoom(); }
    double maximumZoom() const { return m_viewport.maximumZoom(); }
    double metresPerPixel() const;

    bool showCameras() const { return m_visible[0]; }
    void setShowCameras(bool on) { setLayerVisible(0, on); }
    bool showWifi() const { return m_visible[1]; }
    void setShowWifi(bool on) { setLayerVisible(1, on); }
    bool showSensors() const { return m_visible[2]; }
    void setShowSensors(bool on) { setLayerVisible(2, on); }
    bool showDongs() const { return m_showDongs; }
    void setShowDongs(bool on);
    bool englishLabels() const { return m_englishLabels; }
    void setEnglishLabels(bool on);

    QGeoCoordinate cursorCoordinate() const { return m_cursor; }
    bool cursorInside() const { return m_cursorInside; }

    const MapViewport &viewport() const { return m_viewport; }

    Q_INVOKABLE void fitToData();
    Q_INVOKABLE void zoomIn();
    Q_INVOKABLE void zoomOut();
    // Item coordinates of a position, and back.
    Q_INVOKABLE QPointF coordinateToPoint(const QGeoCoordinate &coordinate) const;
    Q_INVOKABLE QGeoCoordinate pointToCoordinate(const QPointF &point) const;

Q_SIGNALS:
    void assetsChanged();
    void devicesChanged();
    void viewChanged();
    void layersChanged();
    void cursorChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void itemChange(ItemChange change, const ItemChangeData &value) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onRegistryChanged();
    void onDevicesUpdated();
    void rebuildLabels();
    void setLayerVisible(int layer, bool on);
    void viewMoved(bool byUser);
    void setCursor(QPointF point, bool inside);

    struct Label
    {
        QPointF world;
        QImage image; // device pixels
    };

    QPointer<AssetsFacade> m_assets;
    QPointer<DevicesFacade> m_devices;
    std::vector<QPointF> m_deviceWorld, m_sosWorld; // projected when a snapshot arrives
    std::vector<Ring> m_sosTracks;                  // world units
    bool m_showDevices = true;
    std::shared_ptr<const AssetRegistry> m_registry;
    MapViewport m_viewport;
    bool m_userMoved = false;
    bool m_dragging = false;
    QPointF m_lastDragPoint;

    // Projected once per registry: world-unit outlines and markers.
    std::vector<Ring> m_districtRings, m_dongRings;
    std::vector<GeoRect> m_districtRingBounds, m_dongRingBounds;
    std::array<std::vector<QPointF>, assetKindCount> m_markers;
    std::vector<Label> m_labels;

    std::array<bool, assetKindCount> m_visible{true, true, true};
    bool m_showDongs = true;
    bool m_englishLabels = false;
    bool m_dataDirty = true;
    bool m_labelsDirty = true;

    QGeoCoordinate m_cursor;
    bool m_cursorInside = false;
};

} // namespace gwanje
