#pragma once

#include "AssetsFacade.h"
#include "BasemapFacade.h"
#include "DevicesFacade.h"
#include "LiveMarkers_p.h"
#include "MapInteraction_p.h"
#include "MapOverlay_p.h"
#include "MapSelection.h"
#include "MarkerLayer.h"
#include "OverlayNode_p.h"
#include "TileNodes_p.h"
#include "assets/AssetRegistry.h"
#include "geo/MapViewport.h"

#include <QElapsedTimer>
#include <QGeoCoordinate>
#include <QImage>
#include <QPointer>
#include <QQuickItem>
#include <QTimer>

#include <array>
#include <memory>

namespace gwanje {

// The city map: our own Qt Quick item (Qt Location is not available for Qt 6 on Debian 12, and
// one item per marker does not scale). Web Mercator. Every asset and live device is a marker in one
// MarkerLayer (LiveMarkers), projected once when it arrives; each frame the live layer (tracks,
// markers, clusters, labels, selection) is rasterised on the CPU into one image, shown by an image
// node (OverlayNode), which draws under every scene-graph back end (the software one shows no
// custom geometry). The basemap's tiles are TileNodes; panning, zooming and flying are
// MapInteraction's (this item forwards its events); a click selects the marker under it
// (selection, a MapSelection) and hovering names it. This item ties them together and to the
// facades. GUI thread; nodes live on the render thread.
class MapView : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(gwanje::AssetsFacade *assets READ assets WRITE setAssets NOTIFY assetsChanged)
    Q_PROPERTY(gwanje::DevicesFacade *devices READ devices WRITE setDevices NOTIFY devicesChanged)
    Q_PROPERTY(gwanje::BasemapFacade *basemap READ basemap WRITE setBasemap NOTIFY basemapChanged)
    Q_PROPERTY(QGeoCoordinate center READ center WRITE setCenter NOTIFY viewChanged)
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY viewChanged)
    Q_PROPERTY(double minimumZoom READ minimumZoom CONSTANT)
    Q_PROPERTY(double maximumZoom READ maximumZoom CONSTANT)
    Q_PROPERTY(double metresPerPixel READ metresPerPixel NOTIFY viewChanged)
    // Whether each kind of marker is shown, indexed by MarkerKind (setLayerVisible() changes it).
    Q_PROPERTY(QList<bool> visibleKinds READ visibleKinds NOTIFY layersChanged)
    Q_PROPERTY(bool showDongs READ showDongs WRITE setShowDongs NOTIFY layersChanged)
    Q_PROPERTY(bool englishLabels READ englishLabels WRITE setEnglishLabels NOTIFY layersChanged)
    Q_PROPERTY(QGeoCoordinate cursorCoordinate READ cursorCoordinate NOTIFY cursorChanged)
    Q_PROPERTY(bool cursorInside READ cursorInside NOTIFY cursorChanged)
    Q_PROPERTY(bool clustering READ clustering WRITE setClustering NOTIFY layersChanged)
    Q_PROPERTY(bool showTracks READ showTracks WRITE setShowTracks NOTIFY layersChanged)
    // A heat map of the events of the last hour (SOS, falls, outages, reports) under the markers.
    Q_PROPERTY(bool showHeatmap READ showHeatmap WRITE setShowHeatmap NOTIFY layersChanged)
    // The marker under the pointer (a short description, empty when none) and where it is.
    Q_PROPERTY(QString hoverText READ hoverText NOTIFY hoverChanged)
    Q_PROPERTY(QPointF hoverPoint READ hoverPoint NOTIFY hoverChanged)
    // What the operator selected: kind, id, name, address, … (empty: nothing).
    Q_PROPERTY(gwanje::MapSelection selection READ selection NOTIFY selectionChanged)

public:
    explicit MapView(QQuickItem *parent = nullptr);
    ~MapView() override;

    AssetsFacade *assets() const { return m_assets; }
    void setAssets(AssetsFacade *assets);

    DevicesFacade *devices() const { return m_devices; }
    void setDevices(DevicesFacade *devices);
    BasemapFacade *basemap() const { return m_basemap; }
    void setBasemap(BasemapFacade *basemap);
    // True when the basemap is loaded (or there is none) and every tile of the view is drawn;
    // asks for the missing ones. For screenshots and tests.
    Q_INVOKABLE bool tilesReady();
    // The zoom level of the tiles drawn at the current view.
    int tileZoom() const { return TileNodes::tileZoom(m_viewport); }

    QGeoCoordinate center() const;
    void setCenter(const QGeoCoordinate &center);
    double zoom() const { return m_viewport.zoom(); }
    void setZoom(double zoom);
    double minimumZoom() const { return m_viewport.minimumZoom(); }
    double maximumZoom() const { return m_viewport.maximumZoom(); }
    double metresPerPixel() const;

    // Whether markers of a kind (a MarkerKind) are shown; false for a kind that does not exist.
    Q_INVOKABLE bool layerVisible(int kind) const;
    Q_INVOKABLE void setLayerVisible(int kind, bool on);
    bool layerVisible(MarkerKind kind) const { return m_options.visible[std::size_t(kind)]; }
    void setLayerVisible(MarkerKind kind, bool on) { setLayerVisible(int(kind), on); }
    QList<bool> visibleKinds() const { return QList<bool>(m_options.visible.begin(), m_options.visible.end()); }
    // One kind each, as the tests say it.
    bool showCameras() const { return layerVisible(MarkerKind::Camera); }
    void setShowCameras(bool on) { setLayerVisible(MarkerKind::Camera, on); }
    bool showWifi() const { return layerVisible(MarkerKind::WifiAp); }
    void setShowWifi(bool on) { setLayerVisible(MarkerKind::WifiAp, on); }
    bool showSensors() const { return layerVisible(MarkerKind::Sensor); }
    void setShowSensors(bool on) { setLayerVisible(MarkerKind::Sensor, on); }
    bool showStreetlights() const { return layerVisible(MarkerKind::Streetlight); }
    void setShowStreetlights(bool on) { setLayerVisible(MarkerKind::Streetlight, on); }
    bool showShelters() const { return layerVisible(MarkerKind::Shelter); }
    void setShowShelters(bool on) { setLayerVisible(MarkerKind::Shelter, on); }
    bool showDevices() const { return layerVisible(MarkerKind::Device); }
    void setShowDevices(bool on) { setLayerVisible(MarkerKind::Device, on); }
    bool clustering() const { return m_options.clustering; }
    void setClustering(bool on);
    bool showTracks() const { return m_options.tracks; }
    void setShowTracks(bool on);
    bool showHeatmap() const { return m_showHeatmap; }
    void setShowHeatmap(bool on);
    bool showDongs() const { return m_showDongs; }
    void setShowDongs(bool on);
    bool englishLabels() const { return m_englishLabels; }
    void setEnglishLabels(bool on);

    QGeoCoordinate cursorCoordinate() const { return m_interaction.cursorCoordinate(); }
    bool cursorInside() const { return m_interaction.cursorInside(); }

    const MapViewport &viewport() const { return m_viewport; }
    const MarkerLayer &markers() const { return m_live.layer(); }
    // Whether markers are clustered at the current zoom, and the clusters of the current view
    // (as the next frame draws them).
    bool isClustered() const { return LiveMarkers::isClustered(m_viewport, m_options); }
    const std::vector<MapCluster> &clusters() const;

    QString hoverText() const { return m_hoverText; }
    QPointF hoverPoint() const { return m_hoverPoint; }
    MapSelection selection() const { return m_selection; }

    // What is drawn under an item point, within a few pixels: a marker index, or -1. When the map
    // is clustered, a cluster of several markers answers with -2 - (its index in clusters()).
    int pickAt(QPointF point) const;
    // Selects marker i (-1: nothing) and describes it in selection().
    void select(int marker);
    // Applies a snapshot of live devices (all or only the moved ones): new ones are added, moved
    // ones move and keep a track, SOS puts them in alarm. What the Devices facade calls.
    void applyDevices(const std::vector<DevicePoint> &points);
    // Tracks of the last trackMinutes are drawn, for at most trackLimit devices (alarms first).
    void setTrackLimit(int devices) { m_options.trackLimit = devices; }
    // True while the map glides on after a flick.
    bool isGliding() const { return m_interaction.isGliding(); }
    // Milliseconds spent on the CPU side of the last frame (overlay rasterised and uploaded).
    double lastOverlayMs() const { return m_lastOverlayMs; }

    Q_INVOKABLE void fitToData();
    Q_INVOKABLE void zoomIn();
    Q_INVOKABLE void zoomOut();
    // Item coordinates of a position, and back.
    Q_INVOKABLE QPointF coordinateToPoint(const QGeoCoordinate &coordinate) const;
    Q_INVOKABLE QGeoCoordinate pointToCoordinate(const QPointF &point) const;
    // Animates the view to a position and zoom (zoom < 0 keeps the current one).
    Q_INVOKABLE void flyTo(const QGeoCoordinate &coordinate, double zoom = -1.0);
    Q_INVOKABLE void clearSelection() { select(-1); }
    // Selects asset i of the registry (its marker).
    Q_INVOKABLE void selectAsset(int asset) { select(asset >= 0 && asset < m_live.assetMarkers() ? asset : -1); }
    // Selects the marker of a source by id: a registry asset (CCTV site, AP, sensor) or a live
    // wearer's device (then its recent track and safe zones show). False when the map has none.
    Q_INVOKABLE bool selectSource(const QString &id);

Q_SIGNALS:
    void assetsChanged();
    void devicesChanged();
    void basemapChanged();
    void viewChanged();
    void layersChanged();
    void cursorChanged();
    void hoverChanged();
    void selectionChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void itemChange(ItemChange change, const ItemChangeData &value) override;
    // The pointer, the wheel, touch and keys are MapInteraction's.
    void mousePressEvent(QMouseEvent *event) override { m_interaction.mousePress(event); }
    void mouseMoveEvent(QMouseEvent *event) override { m_interaction.mouseMove(event); }
    void mouseReleaseEvent(QMouseEvent *event) override { m_interaction.mouseRelease(event); }
    void wheelEvent(QWheelEvent *event) override { m_interaction.wheel(event); }
    void hoverMoveEvent(QHoverEvent *event) override { m_interaction.hoverMove(event); }
    void hoverLeaveEvent(QHoverEvent *event) override { m_interaction.hoverLeave(event); }
    void keyPressEvent(QKeyEvent *event) override { m_interaction.keyPress(event); }
    void touchEvent(QTouchEvent *event) override { m_interaction.touch(event); }
    bool event(QEvent *event) override { return m_interaction.nativeGesture(event) || QQuickItem::event(event); }

private:
    void onRegistryChanged();
    void onDevicesUpdated();
    void rebuildLabels();
    // The view moved: from outside (ends a glide), or by the interaction (onViewMoved only).
    void viewMoved(bool byUser);
    void onViewMoved(bool byUser);
    void onClicked(QPointF point);
    void updateHover(QPointF point, bool inside);
    QString describe(int marker) const;

    QPointer<AssetsFacade> m_assets;
    QPointer<DevicesFacade> m_devices;
    QPointer<BasemapFacade> m_basemap;
    TileNodes m_tileNodes;
    void onBasemapChanged();
    std::vector<Ring> m_sosTracks; // world units, from the store
    bool m_showHeatmap = false;
    std::vector<OverlayOptions::HeatSample> m_heat; // world units
    void onHeatUpdated();
    std::shared_ptr<const AssetRegistry> m_registry;
    LiveMarkers m_live;
    std::vector<Ring> m_zones; // the selected wearer's safe zones, world units
    void applyStatus(const std::vector<AssetStatusPoint> &changes);
    OverlayNode m_overlayNode;
    OverlayOptions m_options;
    std::vector<OverlayOptions::Label> m_labels;
    double m_lastOverlayMs = 0.0;
    QTimer m_pulseTimer;
    QElapsedTimer m_clock;
    QString m_hoverText;
    QPointF m_hoverPoint;
    int m_hovered = -1;
    MapSelection m_selection;
    MapViewport m_viewport;
    MapInteraction m_interaction{this, m_viewport};
    bool m_userMoved = false;

    bool m_showDongs = true;
    bool m_englishLabels = false;
};

} // namespace gwanje
