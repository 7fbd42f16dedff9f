#pragma once

#include "GeoRect.h"

#include <QPointF>
#include <QSizeF>

namespace gwanje {

// The pan/zoom state of a map view: a centre in Web Mercator world units, a fractional zoom level
// and a size in pixels. Pure math, no GUI: the map item and its tests share it. Not thread-safe.
class MapViewport
{
public:
    MapViewport() = default;
    MapViewport(QPointF centerWorld, double zoom, QSizeF size);

    QPointF center() const { return m_center; }
    double zoom() const { return m_zoom; }
    QSizeF size() const { return m_size; }
    double minimumZoom() const { return m_minZoom; }
    double maximumZoom() const { return m_maxZoom; }
    double scale() const { return m_scale; } // pixels per world unit

    void setCenter(QPointF world);
    void setZoom(double zoom); // clamped to [minimumZoom, maximumZoom]
    void setSize(QSizeF size);
    void setZoomRange(double minimum, double maximum);

    QPointF worldToScreen(QPointF world) const;
    QPointF screenToWorld(QPointF screen) const;
    QPointF coordinateToScreen(double longitude, double latitude) const;
    QPointF screenToCoordinate(QPointF screen) const; // (longitude, latitude)

    // Moves the map with the pointer: the world point under the pointer moves by (dx, dy) pixels.
    void panBy(QPointF pixels);
    // Changes zoom by delta levels, keeping the world point under `anchor` (screen pixels) fixed.
    void zoomAround(QPointF anchor, double delta);
    // Largest zoom (within range) at which the lon/lat rectangle fits, centred on it.
    void fitCoordinates(const GeoRect &lonLat, double paddingPixels = 0.0);
    // The visible rectangle in world units.
    GeoRect visibleWorld() const;

private:
    QPointF m_center{0.5, 0.5};
    double m_zoom = 0.0;
    double m_scale = 256.0;
    QSizeF m_size{256.0, 256.0};
    double m_minZoom = 0.0;
    double m_maxZoom = 22.0;
};

} // namespace gwanje
