#include "MapInteraction_p.h"

#include <QHoverEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QQuickItem>
#include <QTouchEvent>
#include <QWheelEvent>

#include <cmath>

namespace gwanje {

namespace {

constexpr int flyDurationMs = 600;

} // namespace

MapInteraction::MapInteraction(QQuickItem *item, MapViewport &viewport)
    : m_item(item)
    , m_viewport(viewport)
{
    m_dragClock.start();
    m_kineticTimer.setInterval(16);
    connect(&m_kineticTimer, &QTimer::timeout, this, &MapInteraction::kineticStep);
    m_flyTimer.setInterval(16);
    connect(&m_flyTimer, &QTimer::timeout, this, &MapInteraction::flyStep);
}

void MapInteraction::changed(bool byUser)
{
    // Any other move ends a glide; the glide itself comes through here too, so it checks that it
    // is the one moving.
    if (!m_inKineticStep)
        m_kineticTimer.stop();
    Q_EMIT moved(byUser);
}

void MapInteraction::stopGlide()
{
    if (!m_inKineticStep)
        m_kineticTimer.stop();
}

void MapInteraction::zoomBy(double levels)
{
    m_viewport.zoomAround(QPointF(m_item->width() / 2, m_item->height() / 2), levels);
    changed(true);
}

void MapInteraction::mousePress(QMouseEvent *event)
{
    m_dragging = true;
    m_lastDragPoint = event->position();
    m_pressPoint = event->position();
    m_kineticTimer.stop();
    m_dragSamples.clear();
    m_dragSamples.push_back({m_dragClock.elapsed(), event->position()});
    m_item->forceActiveFocus(Qt::MouseFocusReason);
    event->accept();
}

void MapInteraction::mouseMove(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    m_flyTimer.stop();
    m_viewport.panBy(event->position() - m_lastDragPoint);
    m_lastDragPoint = event->position();
    const qint64 now = m_dragClock.elapsed();
    m_dragSamples.push_back({now, event->position()});
    while (m_dragSamples.size() > 2 && now - m_dragSamples.front().ms > 100)
        m_dragSamples.erase(m_dragSamples.begin());
    setCursor(event->position(), true);
    changed(true);
    event->accept();
}

void MapInteraction::mouseRelease(QMouseEvent *event)
{
    m_dragging = false;
    event->accept();
    // A click (not a drag) is the map's to answer: it selects, or zooms in on a cluster.
    const QPointF moved = event->position() - m_pressPoint;
    if (std::hypot(moved.x(), moved.y()) > 4.0) {
        // A flick: the map glides on with the speed of the last 100 ms and slows down.
        const qint64 now = m_dragClock.elapsed();
        if (!m_dragSamples.empty() && now - m_dragSamples.back().ms < 60) {
            const DragSample &first = m_dragSamples.front();
            const double dt = std::max<qint64>(now - first.ms, 8) / 1000.0;
            m_velocity = (event->position() - first.pos) / dt;
            if (std::hypot(m_velocity.x(), m_velocity.y()) > 300.0) {
                m_kineticLastMs = now;
                m_kineticTimer.start();
            }
        }
        return;
    }
    Q_EMIT clicked(event->position());
}

void MapInteraction::kineticStep()
{
    const qint64 now = m_dragClock.elapsed();
    const double dt = std::max<qint64>(now - m_kineticLastMs, 1) / 1000.0;
    m_kineticLastMs = now;
    m_viewport.panBy(m_velocity * dt);
    m_velocity *= std::exp(-dt / 0.325); // the speed halves about every 0.2 s
    const bool done = std::hypot(m_velocity.x(), m_velocity.y()) < 20.0;
    m_inKineticStep = true;
    changed(true);
    m_inKineticStep = false;
    if (done)
        m_kineticTimer.stop();
}

void MapInteraction::touch(QTouchEvent *event)
{
    // One finger is delivered as a mouse drag; two fingers pinch (zoom around their midpoint) and
    // move the map with it.
    const auto &points = event->points();
    if (points.size() < 2 || event->type() == QEvent::TouchEnd || event->type() == QEvent::TouchCancel) {
        m_pinchDistance = 0.0;
        event->ignore();
        return;
    }
    const QPointF a = points[0].position(), b = points[1].position();
    const double distance = std::max(1.0, std::hypot(b.x() - a.x(), b.y() - a.y()));
    const QPointF center = (a + b) / 2.0;
    if (m_pinchDistance > 0.0) {
        m_kineticTimer.stop();
        m_flyTimer.stop();
        m_viewport.panBy(center - m_pinchCenter);
        m_viewport.zoomAround(center, std::log2(distance / m_pinchDistance));
        changed(true);
    }
    m_pinchDistance = distance;
    m_pinchCenter = center;
    event->accept();
}

bool MapInteraction::nativeGesture(QEvent *event)
{
    if (event->type() != QEvent::NativeGesture)
        return false;
    auto *gesture = static_cast<QNativeGestureEvent *>(event);
    if (gesture->gestureType() != Qt::ZoomNativeGesture)
        return false;
    m_viewport.zoomAround(gesture->position(), std::log2(1.0 + gesture->value()));
    changed(true);
    return true;
}

void MapInteraction::wheel(QWheelEvent *event)
{
    // A mouse notch (120 units) is half a zoom level; touchpads send smaller steps.
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0) {
        event->ignore();
        return;
    }
    m_flyTimer.stop();
    m_kineticTimer.stop();
    m_viewport.zoomAround(event->position(), steps * 0.5);
    changed(true);
    event->accept();
}

void MapInteraction::hoverMove(QHoverEvent *event)
{
    setCursor(event->position(), true);
    Q_EMIT hovered(event->position(), true);
}

void MapInteraction::hoverLeave(QHoverEvent *event)
{
    setCursor(event->position(), false);
    Q_EMIT hovered(event->position(), false);
}

void MapInteraction::setCursor(QPointF point, bool inside)
{
    const QPointF c = m_viewport.screenToCoordinate(point);
    m_cursor = QGeoCoordinate(c.y(), c.x());
    m_cursorInside = inside;
    Q_EMIT cursorChanged();
}

void MapInteraction::keyPress(QKeyEvent *event)
{
    const double step = std::min(m_item->width(), m_item->height()) / 4.0;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.0);
        break;
    case Qt::Key_Minus:
        zoomBy(-1.0);
        break;
    case Qt::Key_Left:
        m_viewport.panBy(QPointF(step, 0));
        changed(true);
        break;
    case Qt::Key_Right:
        m_viewport.panBy(QPointF(-step, 0));
        changed(true);
        break;
    case Qt::Key_Up:
        m_viewport.panBy(QPointF(0, step));
        changed(true);
        break;
    case Qt::Key_Down:
        m_viewport.panBy(QPointF(0, -step));
        changed(true);
        break;
    case Qt::Key_Home:
        Q_EMIT homeRequested();
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

void MapInteraction::flyTo(QPointF world, double zoom)
{
    m_flyFrom = m_viewport.center();
    m_flyTo = world;
    m_flyFromZoom = m_viewport.zoom();
    m_flyToZoom = zoom < 0 ? m_viewport.zoom() : std::clamp(zoom, m_viewport.minimumZoom(), m_viewport.maximumZoom());
    m_flyClock.start();
    m_flyTimer.start();
    flyStep();
}

void MapInteraction::flyStep()
{
    const double t = std::min(1.0, double(m_flyClock.elapsed()) / flyDurationMs);
    const double e = t < 0.5 ? 4 * t * t * t : 1 - std::pow(-2 * t + 2, 3) / 2; // ease in-out
    m_viewport.setZoom(m_flyFromZoom + (m_flyToZoom - m_flyFromZoom) * e);
    m_viewport.setCenter(m_flyFrom + (m_flyTo - m_flyFrom) * e);
    if (t >= 1.0)
        m_flyTimer.stop();
    changed(true);
}

} // namespace gwanje
