#pragma once

// Private to gwanje_ui: the map's markers, what each stands for, and which is drawn where.

#include "MapOverlay_p.h"
#include "MarkerLayer.h"
#include "assets/AssetRegistry.h"
#include "engine/Engine.h"
#include "events/AssetStatus.h"
#include "geo/MapViewport.h"

#include <QHash>
#include <QString>

#include <array>
#include <vector>

namespace gwanje {

// Every asset and live device as a marker of one MarkerLayer: marker i < assetMarkers() is
// registry asset i, devices follow as they first report (by source index). Keeps each asset's
// latest status for its detail card, and answers what is drawn under a point (markers in alarm
// first, then clusters, then markers, spread ones where they are drawn). Owned by MapView; GUI
// thread.
class LiveMarkers
{
public:
    // Forgets every marker; devices come back with the next snapshot.
    void clear();
    // One marker per registry asset (marker i is asset i), in the normal state.
    void addAssets(const AssetRegistry &registry);
    // Applies a snapshot of live devices (all or only the moved ones): new ones are added, moved
    // ones move and keep a track, SOS puts them in alarm. O(what moved).
    void applyDevices(const std::vector<DevicePoint> &points);
    // Fixed assets take the state their latest events give them; a wearer's device its offline
    // state (an SOS still wins).
    void applyStatus(const std::vector<AssetStatusPoint> &changes);

    const MarkerLayer &layer() const { return m_markers; }
    int assetMarkers() const { return m_assetMarkers; }
    int alarmMarkers() const { return m_alarmMarkers; }
    // Bumped whenever markers change.
    quint64 generation() const { return m_generation; }
    // The newest source time of a device position seen (tracks fade by it, so a replay draws as
    // it was).
    qint64 newestTimeMs() const { return m_newestMs; }
    // The camera view of each marker (nullptr: none), for the overlay and the detail card.
    const std::vector<const CameraView *> &cameraViews() const { return m_cameraViews; }
    const CameraView *cameraView(int marker) const
    {
        return std::size_t(marker) < m_cameraViews.size() ? m_cameraViews[std::size_t(marker)] : nullptr;
    }
    // An asset's latest status, nullptr before any.
    const AssetStatusPoint *status(int marker) const;
    // The marker of a registry asset by id, of a device by source index; -1 when none.
    int assetMarker(const QString &id) const { return m_assetById.value(id, -1); }
    int deviceMarker(qint64 source) const;

    // Whether markers are clustered at this view, and the clusters of the view (as the next frame
    // draws them; cached until the view, the visible kinds or the markers change).
    static bool isClustered(const MapViewport &viewport, const OverlayOptions &options)
    {
        return options.clustering && viewport.zoom() < options.clusterBelowZoom;
    }
    const std::vector<MapCluster> &clusters(const MapViewport &viewport, const OverlayOptions &options) const;
    // What is drawn under an item point, within a few pixels: a marker index, or -1. When the map
    // is clustered, a cluster of several markers answers with -2 - (its index in clusters()).
    int pickAt(QPointF point, const MapViewport &viewport, const OverlayOptions &options) const;

private:
    MarkerLayer m_markers;
    std::vector<const CameraView *> m_cameraViews; // by marker
    QHash<QString, int> m_assetById;               // registry id -> marker
    QHash<int, AssetStatusPoint> m_status;         // marker -> latest status, for the detail card
    std::vector<bool> m_deviceOffline;             // by marker: the device's last word was offline
    std::vector<int> m_deviceIndex;                // device source id -> marker, -1 when unknown
    int m_assetMarkers = 0;
    int m_alarmMarkers = 0;
    quint64 m_generation = 0;
    qint64 m_newestMs = 0;
    mutable std::vector<MapCluster> m_clusters;
    mutable struct ClusterStamp
    {
        QPointF center;
        double zoom = -1;
        QSizeF size;
        std::array<bool, markerKindCount> visible{};
        quint64 generation = ~0ull;
        bool operator==(const ClusterStamp &) const = default;
    } m_clusterStamp;
};

} // namespace gwanje
