#pragma once

// Private to gwanje_ui: how the map item answers the pointer, the wheel, touch and keys.

#include "geo/MapViewport.h"

#include <QElapsedTimer>
#include <QGeoCoordinate>
#include <QObject>
#include <QPointF>
#include <QTimer>

#include <vector>

class QEvent;
class QHoverEvent;
class QKeyEvent;
class QMouseEvent;
class QQuickItem;
class QTouchEvent;
class QWheelEvent;

namespace gwanje {

// The map's interaction controller: drag pans and a flick glides on, the wheel and a pinch zoom
// around the pointer, +/-, the arrows and Home work with focus, flyTo() animates. It moves the
// MapViewport it is given and says so with moved(); what a click or the pointer is over is the
// map's question (clicked(), hovered()). Owned by MapView, which forwards its events; GUI thread.
class MapInteraction : public QObject
{
    Q_OBJECT

public:
    // item: the map item (its size, its focus); viewport: the view it moves. Both outlive this.
    MapInteraction(QQuickItem *item, MapViewport &viewport);

    void mousePress(QMouseEvent *event);
    void mouseMove(QMouseEvent *event);
    void mouseRelease(QMouseEvent *event);
    void wheel(QWheelEvent *event);
    void hoverMove(QHoverEvent *event);
    void hoverLeave(QHoverEvent *event);
    void keyPress(QKeyEvent *event);
    void touch(QTouchEvent *event);
    // A touchpad pinch (macOS, Wayland); false for any other event.
    bool nativeGesture(QEvent *event);

    // Animates the view to a world position and zoom (zoom < 0 keeps the current one).
    void flyTo(QPointF world, double zoom);
    // Zooms by `levels` around the middle of the item.
    void zoomBy(double levels);
    // A view set from elsewhere (fit, a property) ends a glide.
    void stopGlide();
    // True while the map glides on after a flick.
    bool isGliding() const { return m_kineticTimer.isActive(); }

    // Where the pointer last was over the map, and whether it is still over it.
    QGeoCoordinate cursorCoordinate() const { return m_cursor; }
    bool cursorInside() const { return m_cursorInside; }

Q_SIGNALS:
    // The viewport changed; byUser: the operator moved it (the map stops fitting itself to data).
    void moved(bool byUser);
    // A click that was not a drag, at an item point.
    void clicked(QPointF point);
    // The pointer is at an item point (inside false: it left the map).
    void hovered(QPointF point, bool inside);
    void cursorChanged();
    // Home: show all the data again.
    void homeRequested();

private:
    void changed(bool byUser);
    void setCursor(QPointF point, bool inside);
    void kineticStep();
    void flyStep();

    QQuickItem *m_item;
    MapViewport &m_viewport;

    bool m_dragging = false;
    QPointF m_pressPoint;
    QPointF m_lastDragPoint;
    // Kinetic panning: recent drag samples, and the velocity (pixels/s) the map keeps after release.
    struct DragSample
    {
        qint64 ms;
        QPointF pos;
    };
    std::vector<DragSample> m_dragSamples;
    QElapsedTimer m_dragClock;
    QPointF m_velocity;
    QTimer m_kineticTimer;
    qint64 m_kineticLastMs = 0;
    bool m_inKineticStep = false;
    // Two-finger pinch: the distance and midpoint of the last touch update.
    double m_pinchDistance = 0.0;
    QPointF m_pinchCenter;

    QTimer m_flyTimer;
    QElapsedTimer m_flyClock;
    QPointF m_flyFrom, m_flyTo;
    double m_flyFromZoom = 0.0, m_flyToZoom = 0.0;

    QGeoCoordinate m_cursor;
    bool m_cursorInside = false;
};

} // namespace gwanje
