#include "MapViewport.h"

#include "WebMercator.h"

#include <algorithm>
#include <cmath>

namespace gwanje {

MapViewport::MapViewport(QPointF centerWorld, double zoom, QSizeF size)
{
    setSize(size);
    setCenter(centerWorld);
    setZoom(zoom);
}

void MapViewport::setCenter(QPointF world)
{
    if (!std::isfinite(world.x()) || !std::isfinite(world.y()))
        return;
    m_center = {std::clamp(world.x(), 0.0, 1.0), std::clamp(world.y(), 0.0, 1.0)};
}

void MapViewport::setZoom(double zoom)
{
    if (!std::isfinite(zoom))
        return;
    m_zoom = std::clamp(zoom, m_minZoom, m_maxZoom);
    m_scale = WebMercator::worldScale(m_zoom);
}

void MapViewport::setSize(QSizeF size)
{
    m_size = QSizeF(std::max(1.0, size.width()), std::max(1.0, size.height()));
}

void MapViewport::setZoomRange(double minimum, double maximum)
{
    m_minZoom = std::min(minimum, maximum);
    m_maxZoom = std::max(minimum, maximum);
    setZoom(m_zoom);
}

QPointF MapViewport::worldToScreen(QPointF world) const
{
    return (world - m_center) * m_scale + QPointF(m_size.width() / 2.0, m_size.height() / 2.0);
}

QPointF MapViewport::screenToWorld(QPointF screen) const
{
    return (screen - QPointF(m_size.width() / 2.0, m_size.height() / 2.0)) / m_scale + m_center;
}

QPointF MapViewport::coordinateToScreen(double longitude, double latitude) const
{
    return worldToScreen(WebMercator::project(longitude, latitude));
}

QPointF MapViewport::screenToCoordinate(QPointF screen) const
{
    return WebMercator::unproject(screenToWorld(screen));
}

void MapViewport::panBy(QPointF pixels)
{
    setCenter(m_center - pixels / m_scale);
}

void MapViewport::zoomAround(QPointF anchor, double delta)
{
    const QPointF anchorWorld = screenToWorld(anchor);
    setZoom(m_zoom + delta);
    // Put anchorWorld back under the anchor pixel.
    const QPointF offset = anchor - QPointF(m_size.width() / 2.0, m_size.height() / 2.0);
    setCenter(anchorWorld - offset / m_scale);
}

void MapViewport::fitCoordinates(const GeoRect &lonLat, double paddingPixels)
{
    if (lonLat.isEmpty())
        return;
    const QPointF a = WebMercator::project(lonLat.minX, lonLat.maxY); // north-west
    const QPointF b = WebMercator::project(lonLat.maxX, lonLat.minY); // south-east
    const double w = std::max(b.x() - a.x(), 1e-12);
    const double h = std::max(b.y() - a.y(), 1e-12);
    const double availW = std::max(1.0, m_size.width() - 2 * paddingPixels);
    const double availH = std::max(1.0, m_size.height() - 2 * paddingPixels);
    const double scale = std::min(availW / w, availH / h);
    setZoom(std::log2(scale / WebMercator::tileSize));
    setCenter((a + b) / 2.0);
}

GeoRect MapViewport::visibleWorld() const
{
    const QPointF tl = screenToWorld({0, 0});
    const QPointF br = screenToWorld({m_size.width(), m_size.height()});
    return GeoRect::fromEdges(tl.x(), tl.y(), br.x(), br.y());
}

} // namespace gwanje
