#pragma once

// Private to gwanje_ui: turns projected map data into vertex arrays for one frame.

#include "geo/MapViewport.h"
#include "geo/PolygonIndex.h"

#include <QSGGeometry>

#include <vector>

namespace gwanje::MapGeometry {

enum class MarkerShape { Square, Diamond, Triangle };

// Closed rings (world units) as screen-space triangles `width` pixels wide, culled to the view.
void appendRings(const std::vector<Ring> &worldRings, const std::vector<GeoRect> &ringBounds,
                 const MapViewport &viewport, float width, std::vector<QSGGeometry::Point2D> &out);

// One marker of `size` pixels per point (world units), culled to the view.
void appendMarkers(const std::vector<QPointF> &worldPoints, const MapViewport &viewport, MarkerShape shape,
                   float size, std::vector<QSGGeometry::Point2D> &out);

// Copies vertices into a node's geometry, resizing it; returns true when the count changed.
bool upload(QSGGeometry *geometry, const std::vector<QSGGeometry::Point2D> &vertices);

} // namespace gwanje::MapGeometry
