#include "MapOverlay_p.h"

#include "MapStyle.h"

#include <QFont>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <thread>

namespace gwanje {

namespace {

// Draw order, bottom to top: the most numerous kind first so the rarer ones stay visible.
constexpr std::array<MarkerKind, markerKindCount> drawOrder{MarkerKind::Streetlight, MarkerKind::WifiAp,
                                                            MarkerKind::Camera,      MarkerKind::Shelter,
                                                            MarkerKind::Sensor,      MarkerKind::Device};

// World to device pixels for one frame, without the cost of QPointF arithmetic per marker.
struct Transform
{
    double originX, originY, scale;
    explicit Transform(const MapViewport &vp, double dpr)
    {
        const GeoRect view = vp.visibleWorld();
        originX = view.minX;
        originY = view.minY;
        scale = vp.scale() * dpr;
    }
    double sx(double x) const { return (x - originX) * scale; }
    double sy(double y) const { return (y - originY) * scale; }
};

} // namespace

QPointF MapOverlay::spreadOffset(const MarkerLayer &markers, int i, double zoom, int markerSize)
{
    const int n = markers.colocatedCount(i);
    if (n <= 1 || zoom < spreadZoom)
        return {};
    // On a circle whose circumference holds every member with a little room between them.
    const double radius = std::max(double(markerSize) * 1.2, n * (markerSize + 3.0) / (2.0 * std::numbers::pi));
    const double angle = 2.0 * std::numbers::pi * markers.colocatedIndex(i) / n - std::numbers::pi / 2.0;
    return {radius * std::cos(angle), radius * std::sin(angle)};
}

void MapOverlay::buildClusters(const MarkerLayer &markers, const MapViewport &viewport,
                               const std::array<bool, markerKindCount> &visible, int cellPixels,
                               std::vector<MapCluster> &out)
{
    out.clear();
    const double cellWorld = cellPixels / viewport.scale();
    // A margin of one cell so clusters at the edge count their members beyond it.
    const GeoRect view = viewport.visibleWorld();
    const qint64 cx0 = qint64(std::floor(view.minX / cellWorld)) - 1;
    const qint64 cy0 = qint64(std::floor(view.minY / cellWorld)) - 1;
    const qint64 cols = qint64(std::floor(view.maxX / cellWorld)) + 2 - cx0;
    const qint64 rows = qint64(std::floor(view.maxY / cellWorld)) + 2 - cy0;
    if (cols <= 0 || rows <= 0 || cols * rows > 4'000'000)
        return;
    struct Cell
    {
        double sx = 0, sy = 0;
        int count = 0;
        int first = -1;
        MarkerState worst = MarkerState::Normal;
    };
    std::vector<Cell> cells(std::size_t(cols * rows));
    const double minX = double(cx0) * cellWorld, minY = double(cy0) * cellWorld;
    const double maxX = double(cx0 + cols) * cellWorld, maxY = double(cy0 + rows) * cellWorld;
    const double inv = 1.0 / cellWorld;
    const double *xs = markers.xs();
    const double *ys = markers.ys();
    const MarkerKind *kinds = markers.kinds();
    const MarkerState *states = markers.states();
    const int n = markers.size();
    for (int i = 0; i < n; ++i) {
        const double x = xs[i], y = ys[i];
        if (x < minX || x >= maxX || y < minY || y >= maxY || !visible[std::size_t(kinds[i])] ||
            states[i] == MarkerState::Alarm)
            continue;
        const auto col = qint64(x * inv) - cx0, row = qint64(y * inv) - cy0;
        if (col < 0 || row < 0 || col >= cols || row >= rows)
            continue;
        Cell &c = cells[std::size_t(row * cols + col)];
        c.sx += x;
        c.sy += y;
        if (c.count++ == 0)
            c.first = i;
        c.worst = std::max(c.worst, states[i]);
    }
    for (const Cell &c : cells) {
        if (c.count > 0)
            out.push_back({QPointF(c.sx / c.count, c.sy / c.count), c.count, c.first, c.worst});
    }
}

void MapOverlay::render(QImage &target, const MarkerLayer &markers, const MapViewport &viewport,
                        const OverlayOptions &options)
{
    target.fill(Qt::transparent);
    const qreal dpr = target.devicePixelRatio();
    const int size = int(std::lround(MapStyle::markerSize(viewport.zoom()) * dpr));
    m_sprites.prepare(size); // the bands below only read them

    m_clustered = options.clustering && viewport.zoom() < options.clusterBelowZoom;
    if (m_clustered)
        buildClusters(markers, viewport, options.visible, options.clusterCellPixels, m_clusters);
    else
        m_clusters.clear();

    if (options.heat && !options.heat->empty()) {
        QPainter p(&target);
        drawHeat(p, viewport, options, target.size());
    }
    if (options.outages) {
        QPainter p(&target);
        p.setRenderHint(QPainter::Antialiasing);
        drawOutages(p, markers, viewport);
    }
    if (options.cameraViews && !m_clustered && viewport.zoom() >= MapStyle::coneMinimumZoom &&
        options.visible[std::size_t(MarkerKind::Camera)]) {
        QPainter p(&target);
        p.setRenderHint(QPainter::Antialiasing);
        drawCones(p, markers, viewport, options);
    }

    // Tracks and markers: the bulk of the work, rasterised in two bands of rows at once when there
    // is enough of it. Each band draws everything in the same order, clipped to its rows.
    const OverlayRaster::Canvas canvas = OverlayRaster::Canvas::of(target);
    auto drawBand = [&](const OverlayRaster::Canvas &band) {
        if (options.tracks)
            drawTracks(band, markers, viewport, options);
        if (m_clustered) {
            drawClusterSingles(band, markers, viewport, size);
            drawStoredTracks(band, viewport, options);
        } else {
            drawMarkers(band, markers, viewport, options, size); // stored tracks go under the wearers
        }
    };
    if (markers.size() >= 20'000 && canvas.height >= 64) {
        const int middle = canvas.height / 2;
        std::thread lower(drawBand, canvas.band(middle, canvas.height));
        drawBand(canvas.band(0, middle));
        lower.join();
    } else {
        drawBand(canvas);
    }

    {
        QPainter p(&target);
        p.setRenderHint(QPainter::Antialiasing);
        if (m_clustered)
            drawBadges(p, viewport, dpr);
        drawAlarmRings(p, markers, viewport, options);
    }
    // Markers in alarm: never clustered, on top of everything.
    for (const int i : m_alarmed)
        OverlayRaster::blit(canvas, m_sprites.marker(markers.kind(i), MarkerState::Alarm, size),
                            int(std::floor(viewport.worldToScreen(markers.world(i)).x() * dpr)),
                            int(std::floor(viewport.worldToScreen(markers.world(i)).y() * dpr)));

    QPainter p(&target);
    p.setRenderHint(QPainter::Antialiasing);
    if (options.labels) {
        for (const OverlayOptions::Label &label : *options.labels) {
            const QSizeF s = label.image.deviceIndependentSize();
            p.drawImage(viewport.worldToScreen(label.world) - QPointF(s.width() / 2, s.height() / 2), label.image);
        }
    }
    if (options.zones && !options.zones->empty()) {
        QPainterPath path;
        path.setFillRule(Qt::OddEvenFill);
        for (const Ring &ring : *options.zones) {
            QPolygonF polygon;
            polygon.reserve(qsizetype(ring.size()));
            for (const QPointF &w : ring)
                polygon.append(viewport.worldToScreen(w));
            path.addPolygon(polygon);
            path.closeSubpath();
        }
        QColor fill = MapStyle::safeZone();
        fill.setAlpha(40);
        p.fillPath(path, fill);
        p.strokePath(path, QPen(MapStyle::safeZone(), 2.0, Qt::DashLine));
    }
    for (const int i : {options.hovered, options.selected}) {
        if (i < 0 || i >= markers.size())
            continue;
        const QPointF at =
            viewport.worldToScreen(markers.world(i)) + spreadOffset(markers, i, viewport.zoom(), size) / dpr;
        const double r = std::max(8.0, MapStyle::markerSize(viewport.zoom()) + 5.0);
        p.setBrush(Qt::NoBrush);
        if (i == options.selected) {
            p.setPen(QPen(MapStyle::background(), 5.0));
            p.drawEllipse(at, r, r);
            p.setPen(QPen(MapStyle::selection(), 3.0));
        } else {
            p.setPen(QPen(MapStyle::selection(), 1.5, Qt::DotLine));
        }
        p.drawEllipse(at, r, r);
    }
}

void MapOverlay::drawTracks(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers,
                            const MapViewport &viewport, const OverlayOptions &options) const
{
    const Transform t(viewport, canvas.width / viewport.size().width());
    const QPointF origin = markers.trackOrigin();
    const qint64 since = options.nowMs - options.trackWindowMs;
    const QColor deviceColor = MapStyle::device();
    const QColor alarmColor = MapStyle::sos();
    // When clustered (the city view) only wearers in alarm keep their tracks: thousands of short
    // trails there are noise. Alarms go first so the limit never hides them.
    int drawn = 0;
    auto drawOne = [&](int i) {
        const int len = markers.trackLength(i);
        if (len == 0)
            return;
        const bool alarm = markers.state(i) == MarkerState::Alarm;
        const QColor &color = alarm ? alarmColor : deviceColor;
        QPointF prev;
        bool havePrev = false;
        for (int k = 0; k < len; ++k) {
            const MarkerLayer::TrackPoint tp = markers.trackPoint(i, k);
            if (tp.timeMs < since)
                continue;
            const QPointF at(t.sx(origin.x() + double(tp.dx)), t.sy(origin.y() + double(tp.dy)));
            if (havePrev) {
                // Points less than a pixel apart add nothing but work.
                if (std::abs(at.x() - prev.x()) < 1.0 && std::abs(at.y() - prev.y()) < 1.0)
                    continue;
                // Fades with age: the oldest part of the window is nearly transparent.
                const double age = double(options.nowMs - tp.timeMs) / double(options.trackWindowMs);
                const int alpha = int(40 + 200 * std::clamp(1.0 - age, 0.0, 1.0));
                OverlayRaster::line(canvas, prev, at, OverlayRaster::pack(color, alpha), alarm);
            }
            prev = at;
            havePrev = true;
        }
        if (havePrev)
            OverlayRaster::line(canvas, prev, QPointF(t.sx(markers.x(i)), t.sy(markers.y(i))),
                                OverlayRaster::pack(color, 240), alarm);
        ++drawn;
    };
    const int n = markers.size();
    const MarkerState *states = markers.states();
    for (int i = 0; i < n && drawn < options.trackLimit; ++i) {
        if (states[i] == MarkerState::Alarm)
            drawOne(i);
    }
    if (options.visible[std::size_t(MarkerKind::Device)] && !m_clustered) {
        const MarkerKind *kinds = markers.kinds();
        for (int i = 0; i < n && drawn < options.trackLimit; ++i) {
            if (states[i] != MarkerState::Alarm && kinds[i] == MarkerKind::Device)
                drawOne(i);
        }
    }
}

void MapOverlay::drawStoredTracks(const OverlayRaster::Canvas &canvas, const MapViewport &viewport,
                                  const OverlayOptions &options) const
{
    if (!options.storedTracks)
        return;
    const Transform t(viewport, canvas.width / viewport.size().width());
    const quint32 color = OverlayRaster::pack(MapStyle::sos(), 255);
    for (const Ring &track : *options.storedTracks) {
        for (std::size_t k = 1; k < track.size(); ++k)
            OverlayRaster::line(canvas, QPointF(t.sx(track[k - 1].x()), t.sy(track[k - 1].y())),
                                QPointF(t.sx(track[k].x()), t.sy(track[k].y())), color, true);
    }
}

void MapOverlay::drawMarkers(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers,
                             const MapViewport &viewport, const OverlayOptions &options, int size)
{
    const Transform t(viewport, canvas.width / viewport.size().width());
    const double margin = size * 2.0;
    const double w = canvas.width, top = canvas.y0 - margin, bottom = canvas.y1 + margin;
    const bool spread = viewport.zoom() >= spreadZoom;
    const double *xs = markers.xs();
    const double *ys = markers.ys();
    const MarkerKind *kinds = markers.kinds();
    const MarkerState *states = markers.states();
    const int n = markers.size();
    for (const MarkerKind kind : drawOrder) {
        // The stored track of a wearer in alarm matters more than the assets it passes.
        if (kind == MarkerKind::Device)
            drawStoredTracks(canvas, viewport, options);
        if (!options.visible[std::size_t(kind)])
            continue;
        const OverlayRaster::Sprite *sprites[markerStateCount];
        for (int s = 0; s < markerStateCount; ++s)
            sprites[s] = &m_sprites.marker(kind, MarkerState(s), size);
        for (int i = 0; i < n; ++i) {
            if (kinds[i] != kind || states[i] == MarkerState::Alarm)
                continue;
            double sx = t.sx(xs[i]), sy = t.sy(ys[i]);
            if (sx < -margin || sy < top || sx >= w + margin || sy >= bottom)
                continue;
            if (spread && markers.colocatedCount(i) > 1) {
                const QPointF o = spreadOffset(markers, i, viewport.zoom(), size);
                sx += o.x();
                sy += o.y();
            }
            OverlayRaster::blit(canvas, *sprites[int(states[i])], int(sx), int(sy));
        }
    }
}

void MapOverlay::drawClusterSingles(const OverlayRaster::Canvas &canvas, const MarkerLayer &markers,
                                    const MapViewport &viewport, int size)
{
    const Transform t(viewport, canvas.width / viewport.size().width());
    // Markers standing alone, under the badges, in the usual kind order.
    for (const MarkerKind kind : drawOrder) {
        for (const MapCluster &c : m_clusters) {
            if (c.count == 1 && markers.kind(c.first) == kind)
                OverlayRaster::blit(canvas, m_sprites.marker(kind, markers.state(c.first), size),
                                    int(t.sx(c.world.x())), int(t.sy(c.world.y())));
        }
    }
}

void MapOverlay::drawCones(QPainter &p, const MarkerLayer &markers, const MapViewport &viewport,
                           const OverlayOptions &options) const
{
    // Under the markers: where each camera looks, as far as its text says.
    const double coneRadius = MapStyle::coneRangeMetres / options.metresPerPixel;
    const double circleRadius = MapStyle::panoramicRangeMetres / options.metresPerPixel;
    QColor fill = MapStyle::assetColor(AssetKind::CameraSite);
    QColor edge = fill;
    fill.setAlpha(38);
    edge.setAlpha(110);
    p.setPen(QPen(edge, 1.0));
    p.setBrush(fill);
    const GeoRect view = viewport.visibleWorld();
    const double margin = std::max(coneRadius, circleRadius) / viewport.scale();
    const auto &views = *options.cameraViews;
    const GeoRect padded =
        GeoRect::fromEdges(view.minX - margin, view.minY - margin, view.maxX + margin, view.maxY + margin);
    markers.forEachIn(padded, [&](int i) {
        const CameraView *v = std::size_t(i) < views.size() ? views[std::size_t(i)] : nullptr;
        if (!v)
            return;
        const QPointF at = viewport.worldToScreen(markers.world(i));
        if (v->kind == CameraView::Kind::Panoramic) {
            p.drawEllipse(at, circleRadius, circleRadius);
            return;
        }
        if (!v->headingKnown())
            return;
        const double fov = v->fieldOfViewDegrees > 0 ? v->fieldOfViewDegrees : CameraView::defaultFieldOfViewDegrees;
        const QRectF box(at.x() - coneRadius, at.y() - coneRadius, 2 * coneRadius, 2 * coneRadius);
        for (const float heading : v->headingsDegrees) {
            // Qt's angles run counter-clockwise from three o'clock, in 1/16 degree; a heading runs
            // clockwise from north.
            const double start = 90.0 - heading - fov / 2.0;
            p.drawPie(box, int(std::lround(start * 16)), int(std::lround(fov * 16)));
        }
    });
}

void MapOverlay::drawHeat(QPainter &p, const MapViewport &viewport, const OverlayOptions &options, QSize pixels)
{
    // Kernel density on a grid of 4-pixel cells: each event spreads over a 28-pixel radius, so the
    // map reads the same at every zoom. Redone only when the view or the events change.
    constexpr int cell = 4;
    constexpr int radius = 7; // cells
    const std::array<double, 4> stamp{viewport.center().x(), viewport.center().y(), viewport.zoom(),
                                      double(pixels.width() * 100000 + pixels.height())};
    if (stamp != m_heatStamp || options.heatGeneration != m_heatGeneration || m_heatImage.isNull()) {
        m_heatStamp = stamp;
        m_heatGeneration = options.heatGeneration;
        const int cols = pixels.width() / cell + 1, rows = pixels.height() / cell + 1;
        m_heatGrid.assign(std::size_t(cols) * std::size_t(rows), 0.0f);
        static const auto kernel = [] {
            std::array<float, (2 * radius + 1) * (2 * radius + 1)> k{};
            for (int dy = -radius; dy <= radius; ++dy) {
                for (int dx = -radius; dx <= radius; ++dx) {
                    const double d2 = double(dx * dx + dy * dy) / double(radius * radius);
                    k[std::size_t((dy + radius) * (2 * radius + 1) + dx + radius)] =
                        d2 >= 1.0 ? 0.0f : float(std::exp(-3.0 * d2));
                }
            }
            return k;
        }();
        const double dpr = pixels.width() / viewport.size().width();
        const Transform t(viewport, dpr);
        for (const OverlayOptions::HeatSample &s : *options.heat) {
            const int cx = int(t.sx(s.x) / cell), cy = int(t.sy(s.y) / cell);
            if (cx < -radius || cy < -radius || cx >= cols + radius || cy >= rows + radius)
                continue;
            for (int dy = -radius; dy <= radius; ++dy) {
                const int y = cy + dy;
                if (y < 0 || y >= rows)
                    continue;
                for (int dx = -radius; dx <= radius; ++dx) {
                    const int x = cx + dx;
                    if (x >= 0 && x < cols)
                        m_heatGrid[std::size_t(y * cols + x)] +=
                            s.weight * kernel[std::size_t((dy + radius) * (2 * radius + 1) + dx + radius)];
                }
            }
        }
        // A single event is a faint blue blot; the colour climbs to red where many gather.
        const float top = std::max(4.0f, *std::max_element(m_heatGrid.begin(), m_heatGrid.end()));
        m_heatImage = QImage(cols, rows, QImage::Format_ARGB32_Premultiplied);
        for (int y = 0; y < rows; ++y) {
            auto *line = reinterpret_cast<QRgb *>(m_heatImage.scanLine(y));
            for (int x = 0; x < cols; ++x) {
                const float v = std::min(1.0f, m_heatGrid[std::size_t(y * cols + x)] / top);
                if (v < 0.02f) {
                    line[x] = 0;
                    continue;
                }
                // Blue to yellow to red.
                const float r = std::min(1.0f, v * 2.0f), g = v < 0.5f ? v * 2.0f : 2.0f - v * 2.0f,
                            b = std::max(0.0f, 1.0f - v * 2.0f);
                const int alpha = int(60 + 140 * v);
                line[x] = qPremultiply(qRgba(int(r * 255), int(g * 255), int(b * 255), alpha));
            }
        }
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(QRectF(0, 0, m_heatImage.width() * cell / (pixels.width() / viewport.size().width()),
                       m_heatImage.height() * cell / (pixels.width() / viewport.size().width())),
                m_heatImage);
}

void MapOverlay::drawOutages(QPainter &p, const MarkerLayer &markers, const MapViewport &viewport)
{
    // Offline fixed assets bucketed in cells of about 400 m; a cell with at least
    // MapStyle::outageGroupMinimum of them is ringed around its members.
    const double cell = MapStyle::outageCellWorld;
    m_outageCells.clear();
    const MarkerState *states = markers.states();
    const MarkerKind *kinds = markers.kinds();
    for (int i = 0; i < markers.size(); ++i) {
        if (states[i] == MarkerState::Offline && kinds[i] != MarkerKind::Device)
            m_outageCells[MarkerLayer::keyOfCell(qint64(markers.x(i) / cell), qint64(markers.y(i) / cell))].push_back(
                i);
    }
    QColor fill = MapStyle::outage();
    fill.setAlpha(45);
    p.setPen(QPen(MapStyle::outage(), 2.0, Qt::DashLine));
    p.setBrush(fill);
    for (const auto &entry : m_outageCells) {
        const std::vector<int> &members = entry.second;
        if (int(members.size()) < MapStyle::outageGroupMinimum)
            continue;
        QPointF center;
        for (const int i : members)
            center += viewport.worldToScreen(markers.world(i));
        center /= double(members.size());
        double radius = 0.0;
        for (const int i : members) {
            const QPointF d = viewport.worldToScreen(markers.world(i)) - center;
            radius = std::max(radius, std::hypot(d.x(), d.y()));
        }
        radius += 12.0;
        p.drawEllipse(center, radius, radius);
    }
}

void MapOverlay::drawBadges(QPainter &p, const MapViewport &viewport, qreal dpr)
{
    const double w = viewport.size().width(), h = viewport.size().height();
    for (const MapCluster &c : m_clusters) {
        if (c.count == 1)
            continue;
        const QPointF at = viewport.worldToScreen(c.world);
        if (at.x() < -40 || at.y() < -40 || at.x() > w + 40 || at.y() > h + 40)
            continue;
        const QImage &image = badge(c.count, c.worst, dpr);
        const QSizeF s = image.deviceIndependentSize();
        p.drawImage(at - QPointF(s.width() / 2, s.height() / 2), image);
    }
}

void MapOverlay::drawAlarmRings(QPainter &p, const MarkerLayer &markers, const MapViewport &viewport,
                                const OverlayOptions &options)
{
    // A ring pulses around each marker in alarm.
    m_alarmed.clear();
    const MarkerState *states = markers.states();
    for (int i = 0; i < markers.size(); ++i) {
        if (states[i] == MarkerState::Alarm)
            m_alarmed.push_back(i);
    }
    QColor ring = MapStyle::sos();
    ring.setAlphaF(float(0.9 * (1.0 - options.pulse)));
    p.setPen(QPen(ring, 2.5));
    p.setBrush(Qt::NoBrush);
    const double radius = 8.0 + 18.0 * options.pulse;
    for (const int i : m_alarmed)
        p.drawEllipse(viewport.worldToScreen(markers.world(i)), radius, radius);
}

const QImage &MapOverlay::badge(int count, MarkerState worst, qreal dpr)
{
    const quint64 key = (quint64(count) << 8) | (quint64(worst) << 4) | quint64(std::lround(dpr * 4) & 0xf);
    auto it = m_badges.find(key);
    if (it != m_badges.end())
        return *it;
    if (m_badges.size() > 4000)
        m_badges.clear();
    const QString text = count >= 10000 ? QString::number(count / 1000) + u'k' : QString::number(count);
    const double radius = 9.0 + 3.0 * std::log10(double(count));
    const int extent = int(std::ceil(radius * 2 + 4));
    QImage image(QSize(extent, extent) * dpr, OverlayRaster::imageFormat);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor fill =
        worst == MarkerState::Normal ? MapStyle::cluster() : OverlayRaster::markerColor(MarkerKind::Camera, worst);
    p.setPen(QPen(QColor(0xe6, 0xee, 0xf8, 200), 1.5));
    p.setBrush(fill);
    p.drawEllipse(QPointF(extent / 2.0, extent / 2.0), radius, radius);
    QFont font;
    font.setPixelSize(radius > 13 ? 12 : 10);
    font.setBold(true);
    p.setFont(font);
    p.setPen(worst == MarkerState::Warning ? MapStyle::background() : QColor(Qt::white));
    p.drawText(QRectF(0, 0, extent, extent), Qt::AlignCenter, text);
    p.end();
    return *m_badges.insert(key, image);
}

} // namespace gwanje
