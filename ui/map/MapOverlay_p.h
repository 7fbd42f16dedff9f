#pragma once

// Private to gwanje_ui: draws the live layer of the map (tracks, markers, clusters, labels,
// selection) into one image per frame. The map item uploads that image as a texture, which every
// scene-graph back end shows, software included.

#include "MarkerLayer.h"
#include "OverlayRaster_p.h"
#include "assets/CameraView.h"
#include "geo/MapViewport.h"
#include "geo/PolygonIndex.h"

#include <QHash>
#include <QImage>
#include <QPainter>

#include <array>
#include <functional>
#include <unordered_map>
#include <vector>

namespace gwanje {

struct MapCluster
{
    QPointF world;  // mean position of the members
    int count = 0;  // members; 1 means the marker is drawn on its own
    int first = -1; // a member (the only one when count == 1)
    MarkerState worst = MarkerState::Normal;
};

struct OverlayOptions
{
    // Streetlights start hidden: thousands of columns along every street, shown when asked for.
    std::array<bool, markerKindCount> visible{true, true, true, false, true, true};
    bool clustering = true;
    double clusterBelowZoom = 15.0; // clusters form only below this zoom
    int clusterCellPixels = 64;
    bool tracks = true;
    qint64 nowMs = 0;
    qint64 trackWindowMs = 30 * 60'000;
    int trackLimit = 5000; // at most this many tracks are drawn, alarms first
    double pulse = 0.0;    // 0..1, animation phase of markers in alarm
    int selected = -1;
    int hovered = -1;
    const std::vector<Ring> *storedTracks = nullptr; // world units, drawn thick in the alarm colour
    struct Label
    {
        QPointF world;
        QImage image;
    };
    const std::vector<Label> *labels = nullptr;
    // The view of each marker that is a camera (nullptr otherwise), indexed by marker; drawn from
    // coneMinimumZoom on as cones, or range circles for 360° cameras.
    const std::vector<const CameraView *> *cameraViews = nullptr;
    // Events of the last hour as a heat map under the markers (world units and weights).
    struct HeatSample
    {
        double x, y;
        float weight;
    };
    const std::vector<HeatSample> *heat = nullptr;
    // Where several fixed assets are offline close together (a cut fibre, a power failure), the
    // group is ringed so the pattern shows before every grey marker is inspected.
    bool outages = true;
    // The safe zones of the selected wearer (world units), outlined.
    const std::vector<Ring> *zones = nullptr;
    quint64 heatGeneration = 0;
    double metresPerPixel = 1.0;
};

class MapOverlay
{
public:
    // Renders everything into target (cleared first; premultiplied ARGB32, device pixels).
    void render(QImage &target, const MarkerLayer &markers, const MapViewport &viewport, const OverlayOptions &options);

    // The clusters of the last frame (empty when it was not clustered), for picking.
    const std::vector<MapCluster> &clusters() const { return m_clusters; }
    bool clustered() const { return m_clustered; }

    // Groups the visible markers into cells of cellPixels anchored to the world, so clusters do
    // not jitter while panning. Markers in alarm are never clustered. Pure; reusable for tests.
    static void buildClusters(const MarkerLayer &markers, const MapViewport &viewport,
                              const std::array<bool, markerKindCount> &visible, int cellPixels,
                              std::vector<MapCluster> &out);

    // Screen offset of marker i when co-located markers are spread apart (zoom >= spreadZoom).
    static QPointF spreadOffset(const MarkerLayer &markers, int i, double zoom, int markerSize);
    static constexpr double spreadZoom = 17.0;

private:
    void drawTracks(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers, const MapViewport &viewport,
                    const OverlayOptions &options) const;
    void drawStoredTracks(const OverlayRaster::Canvas &canvas, const MapViewport &viewport,
                          const OverlayOptions &options) const;
    void drawMarkers(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers, const MapViewport &viewport,
                     const OverlayOptions &options, int size);
    void drawClusterSingles(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers,
                            const MapViewport &viewport, int size);
    void drawCones(QPainter &painter, const MarkerLayer &markers, const MapViewport &viewport,
                   const OverlayOptions &options) const;
    void drawHeat(QPainter &painter, const MapViewport &viewport, const OverlayOptions &options, QSize pixels);
    void drawOutages(QPainter &painter, const MarkerLayer &markers, const MapViewport &viewport);
    void drawBadges(QPainter &painter, const MapViewport &viewport, qreal dpr);
    void drawAlarmRings(QPainter &painter, const MarkerLayer &markers, const MapViewport &viewport,
                        const OverlayOptions &options);
    const QImage &badge(int count, MarkerState worst, qreal dpr);

    OverlayRaster::SpriteSet m_sprites;
    std::vector<MapCluster> m_clusters;
    bool m_clustered = false;
    QHash<quint64, QImage> m_badges;
    std::vector<int> m_alarmed;
    QImage m_heatImage; // a quarter of the resolution, redone when the view or the events change
    std::array<double, 4> m_heatStamp{};
    quint64 m_heatGeneration = ~0ull;
    std::vector<float> m_heatGrid;
    std::unordered_map<quint64, std::vector<int>> m_outageCells;
};

} // namespace gwanje
