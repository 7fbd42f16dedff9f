#pragma once

#include "geo/GeoRect.h"

#include <QObject>
#include <QPointF>
#include <QtGlobal>
#include <QtQmlIntegration/qqmlintegration.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace gwanje {

// What a map marker stands for; indexes style tables and the map's layer visibility, keep dense.
// QML: MarkerKind.Camera, … (MapView.layerVisible()). In a namespace of its own for moc.
namespace MarkerKinds {
Q_NAMESPACE
QML_NAMED_ELEMENT(MarkerKind)
enum class MarkerKind : quint8 { Camera, WifiAp, Sensor, Streetlight, Shelter, Device };
Q_ENUM_NS(MarkerKind)
} // namespace MarkerKinds
using MarkerKinds::MarkerKind;
inline constexpr int markerKindCount = 6;

// Ascending severity: when markers are clustered the worst state wins the colour. Critical is
// red but ordinary (a sensor at 매우나쁨); Alarm is an alarm: never clustered, pulsing, on top.
enum class MarkerState : quint8 { Normal, Offline, Warning, Critical, Alarm };
inline constexpr int markerStateCount = 5;

// The point features of the map (assets and live devices) in Web Mercator world units, as
// parallel arrays so a frame walks them without chasing pointers. Moving a marker costs O(1): its
// cell in a uniform spatial hash (for picking) changes only when it crosses a cell, and a point is
// appended to its recent track. GUI thread; not thread-safe.
class MarkerLayer
{
public:
    // One recorded position of a track: float offsets from the layer's origin keep 16 bytes per
    // point and better than 1e-9 world units (a fraction of a pixel at zoom 20) near the origin.
    struct TrackPoint
    {
        float dx, dy;
        qint64 timeMs;
    };
    static constexpr int maxTrackPoints = 24;

    MarkerLayer();

    void clear();
    void reserve(int n);
    // Adds a marker; `ref` is the caller's handle (an asset index, a device source id).
    int add(quint32 ref, MarkerKind kind, MarkerState state, QPointF world);
    int size() const { return int(m_x.size()); }

    // Moves marker i; recordTrack keeps the old position in its track (devices).
    void move(int i, QPointF world, qint64 timeMs, bool recordTrack);
    void setState(int i, MarkerState state) { m_state[std::size_t(i)] = state; }

    double x(int i) const { return m_x[std::size_t(i)]; }
    double y(int i) const { return m_y[std::size_t(i)]; }
    QPointF world(int i) const { return {m_x[std::size_t(i)], m_y[std::size_t(i)]}; }
    MarkerKind kind(int i) const { return m_kind[std::size_t(i)]; }
    MarkerState state(int i) const { return m_state[std::size_t(i)]; }
    quint32 ref(int i) const { return m_ref[std::size_t(i)]; }
    const double *xs() const { return m_x.data(); }
    const double *ys() const { return m_y.data(); }
    const MarkerKind *kinds() const { return m_kind.data(); }
    const MarkerState *states() const { return m_state.data(); }

    // Markers sharing one position exactly (WiFi APs in one building): index of i in its group
    // and the group's size, for spreading them apart when zoomed in. Computed by updateColocation().
    void updateColocation();
    int colocatedIndex(int i) const { return m_coIndex.empty() ? 0 : m_coIndex[std::size_t(i)]; }
    int colocatedCount(int i) const { return m_coCount.empty() ? 1 : m_coCount[std::size_t(i)]; }
    int maxColocated() const { return m_maxColocated; }

    // Track of marker i, oldest first, without points older than sinceMs.
    QPointF trackOrigin() const { return m_origin; }
    int trackLength(int i) const;
    TrackPoint trackPoint(int i, int k) const; // k in [0, trackLength)
    void trimTracks(qint64 sinceMs);

    // Nearest marker to p within maxDistance (world units) for which accept(i) holds, or -1.
    template<typename Accept> int nearest(QPointF p, double maxDistance, Accept accept) const;
    // Every marker in the rectangle.
    template<typename Visit> void forEachIn(const GeoRect &rect, Visit visit) const;

    static constexpr double cellSize = 1.0 / 32768.0; // ~0.95 km at Seoul's latitude
    // A hash key for integer cell coordinates (any grid).
    static quint64 keyOfCell(qint64 cx, qint64 cy)
    {
        return (quint64(cy & 0xffffffff) << 32) | quint64(cx & 0xffffffff);
    }

private:
    static quint64 cellKey(double x, double y);
    void insertInCell(int i, quint64 key);
    void removeFromCell(int i);

    std::vector<double> m_x, m_y;
    std::vector<MarkerKind> m_kind;
    std::vector<MarkerState> m_state;
    std::vector<quint32> m_ref;
    std::vector<quint64> m_cell;     // current cell key of each marker
    std::vector<quint32> m_cellSlot; // position of each marker in its cell's list
    std::unordered_map<quint64, std::vector<quint32>> m_cells;
    std::vector<quint16> m_coIndex, m_coCount;
    int m_maxColocated = 1;

    // Tracks: a ring of maxTrackPoints per marker that ever recorded one, allocated on first use.
    QPointF m_origin;
    std::vector<qint32> m_trackSlot; // -1: none
    std::vector<TrackPoint> m_trackPoints;
    std::vector<quint8> m_trackHead, m_trackCount; // per slot
};

inline quint64 MarkerLayer::cellKey(double x, double y)
{
    return keyOfCell(qint64(x / cellSize), qint64(y / cellSize));
}

template<typename Accept> int MarkerLayer::nearest(QPointF p, double maxDistance, Accept accept) const
{
    if (!(maxDistance >= 0.0) || !qIsFinite(p.x()) || !qIsFinite(p.y()))
        return -1;
    const qint64 x0 = qint64((p.x() - maxDistance) / cellSize), x1 = qint64((p.x() + maxDistance) / cellSize);
    const qint64 y0 = qint64((p.y() - maxDistance) / cellSize), y1 = qint64((p.y() + maxDistance) / cellSize);
    int best = -1;
    double bestD2 = maxDistance * maxDistance;
    for (qint64 cy = y0; cy <= y1; ++cy) {
        for (qint64 cx = x0; cx <= x1; ++cx) {
            const auto it = m_cells.find(keyOfCell(cx, cy));
            if (it == m_cells.end())
                continue;
            for (const quint32 i : it->second) {
                const double dx = m_x[i] - p.x(), dy = m_y[i] - p.y();
                const double d2 = dx * dx + dy * dy;
                // Ties go to the marker drawn last (on top): the higher index.
                if ((d2 < bestD2 || (d2 == bestD2 && int(i) > best)) && accept(int(i))) {
                    bestD2 = d2;
                    best = int(i);
                }
            }
        }
    }
    return best;
}

template<typename Visit> void MarkerLayer::forEachIn(const GeoRect &rect, Visit visit) const
{
    if (rect.isEmpty())
        return;
    const qint64 x0 = qint64(rect.minX / cellSize), x1 = qint64(rect.maxX / cellSize);
    const qint64 y0 = qint64(rect.minY / cellSize), y1 = qint64(rect.maxY / cellSize);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > qint64(m_cells.size())) {
        for (int i = 0; i < size(); ++i) {
            if (rect.contains(m_x[std::size_t(i)], m_y[std::size_t(i)]))
                visit(i);
        }
        return;
    }
    for (qint64 cy = y0; cy <= y1; ++cy) {
        for (qint64 cx = x0; cx <= x1; ++cx) {
            const auto it = m_cells.find(keyOfCell(cx, cy));
            if (it == m_cells.end())
                continue;
            for (const quint32 i : it->second) {
                if (rect.contains(m_x[i], m_y[i]))
                    visit(int(i));
            }
        }
    }
}

} // namespace gwanje
