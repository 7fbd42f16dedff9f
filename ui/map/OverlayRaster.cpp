#include "OverlayRaster_p.h"

#include "MapStyle.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace gwanje::OverlayRaster {

Sprite Sprite::fromImage(const QImage &source, QPoint hotspot)
{
    const QImage image = source.convertToFormat(imageFormat);
    Sprite s;
    s.width = image.width();
    s.height = image.height();
    s.hotspot = hotspot;
    s.pixels.resize(std::size_t(s.width) * std::size_t(s.height));
    s.rows.resize(std::size_t(s.height));
    for (int y = 0; y < s.height; ++y) {
        const auto *line = reinterpret_cast<const quint32 *>(image.constScanLine(y));
        std::copy(line, line + s.width, s.pixels.begin() + std::ptrdiff_t(y) * s.width);
        int begin = s.width, end = 0;
        bool opaque = true;
        for (int x = 0; x < s.width; ++x) {
            if ((line[x] >> 24) != 0) {
                begin = std::min(begin, x);
                end = x + 1;
            }
        }
        for (int x = begin; x < end; ++x)
            opaque = opaque && (line[x] >> 24) == 255;
        s.rows[std::size_t(y)] = {qint16(begin < end ? begin : 0), qint16(begin < end ? end : 0), opaque};
    }
    return s;
}

quint32 pack(const QColor &color, int alpha)
{
    // RGBA8888 is R, G, B, A in memory: alpha is the top byte of a little-endian word.
    static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the blend assumes alpha in the top byte");
    const int a = std::clamp(alpha, 0, 255);
    const auto premultiply = [a](int c) {
        return quint32((c * a + 127) / 255);
    };
    return (quint32(a) << 24) | (premultiply(color.blue()) << 16) | (premultiply(color.green()) << 8) |
           premultiply(color.red());
}

QColor markerColor(MarkerKind kind, MarkerState state)
{
    switch (state) {
    case MarkerState::Offline:
        return MapStyle::offline();
    case MarkerState::Warning:
        return MapStyle::warning();
    case MarkerState::Critical:
    case MarkerState::Alarm:
        return MapStyle::sos();
    case MarkerState::Normal:
        break;
    }
    return MapStyle::markerColor(kind);
}

namespace {

QPainterPath markerShape(MarkerKind kind, double s)
{
    QPainterPath path;
    const double h = s / 2.0;
    switch (kind) {
    case MarkerKind::Camera:
        path.addRect(QRectF(-h, -h, s, s));
        break;
    case MarkerKind::WifiAp:
        path.moveTo(0, -h * 1.25);
        path.lineTo(h * 1.25, 0);
        path.lineTo(0, h * 1.25);
        path.lineTo(-h * 1.25, 0);
        path.closeSubpath();
        break;
    case MarkerKind::Sensor:
        path.moveTo(0, -h * 1.2);
        path.lineTo(h * 1.2, h);
        path.lineTo(-h * 1.2, h);
        path.closeSubpath();
        break;
    case MarkerKind::Streetlight: // a small dot: there are many
        path.addEllipse(QPointF(0, 0), h * 0.6, h * 0.6);
        break;
    case MarkerKind::Shelter: // a bus stop's wide canopy
        path.addRect(QRectF(-h * 1.4, -h * 0.7, s * 1.4, s * 0.7));
        break;
    case MarkerKind::Device:
        path.addEllipse(QPointF(0, 0), h * 1.1, h * 1.1);
        break;
    }
    return path;
}

Sprite renderMarker(MarkerKind kind, MarkerState state, int size)
{
    // Small markers are drawn without antialiasing: crisp, and every row one opaque span.
    const double s = state == MarkerState::Alarm ? size * 1.8 : size;
    const int extent = int(std::ceil(s * 1.3)) + 3;
    QImage image(extent, extent, imageFormat);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing, s >= 8);
    p.translate(extent / 2.0, extent / 2.0);
    const QPainterPath path = markerShape(kind, s);
    if (s >= 5)
        p.strokePath(path, QPen(MapStyle::background(), 1.5));
    p.fillPath(path, markerColor(kind, state));
    p.end();
    return Sprite::fromImage(image, QPoint(extent / 2, extent / 2));
}

} // namespace

const Sprite &SpriteSet::marker(MarkerKind kind, MarkerState state, int size)
{
    if (size != m_size) {
        m_sprites = {};
        m_size = size;
    }
    Sprite &sprite = m_sprites[std::size_t(int(kind) * markerStateCount + int(state))];
    if (sprite.isNull())
        sprite = renderMarker(kind, state, size);
    return sprite;
}

Canvas Canvas::of(QImage &image)
{
    Canvas c;
    c.bits = reinterpret_cast<quint32 *>(image.bits());
    c.stride = int(image.bytesPerLine() / 4);
    c.width = image.width();
    c.height = image.height();
    c.y0 = 0;
    c.y1 = c.height;
    return c;
}

void SpriteSet::prepare(int size)
{
    for (int k = 0; k < markerKindCount; ++k) {
        for (int s = 0; s < markerStateCount; ++s)
            marker(MarkerKind(k), MarkerState(s), size);
    }
}

void blit(const Canvas &canvas, const Sprite &sprite, int x, int y)
{
    const int left = x - sprite.hotspot.x();
    const int top = y - sprite.hotspot.y();
    const int w = canvas.width;
    if (left >= w || top >= canvas.y1 || left + sprite.width <= 0 || top + sprite.height <= canvas.y0)
        return;
    const int r0 = std::max(0, canvas.y0 - top), r1 = std::min(sprite.height, canvas.y1 - top);
    for (int r = r0; r < r1; ++r) {
        const Sprite::Span span = sprite.rows[std::size_t(r)];
        const int b = std::max<int>(span.begin, -left), e = std::min<int>(span.end, w - left);
        if (b >= e)
            continue;
        quint32 *dst = canvas.bits + std::ptrdiff_t(top + r) * canvas.stride + left;
        const quint32 *src = sprite.pixels.data() + std::ptrdiff_t(r) * sprite.width;
        if (span.opaque) {
            std::copy(src + b, src + e, dst + b);
        } else {
            for (int c = b; c < e; ++c) {
                const quint32 s = src[c];
                if (s >> 24 == 255)
                    dst[c] = s;
                else if (s)
                    dst[c] = blendOver(dst[c], s);
            }
        }
    }
}

void line(const Canvas &canvas, QPointF a, QPointF b, quint32 premultiplied, bool thick)
{
    const double w = canvas.width, top = canvas.y0, bottom = canvas.y1;
    // Trivial rejection, then Liang-Barsky clipping to the band.
    if ((a.x() < 0 && b.x() < 0) || (a.y() < top && b.y() < top) || (a.x() >= w && b.x() >= w) ||
        (a.y() >= bottom && b.y() >= bottom) || !(a.x() == a.x()) || !(b.x() == b.x()))
        return;
    double t0 = 0.0, t1 = 1.0;
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const bool inside = a.x() >= 0 && b.x() >= 0 && a.x() < w - 1 && b.x() < w - 1 && a.y() >= top && b.y() >= top &&
                        a.y() < bottom - 1 && b.y() < bottom - 1;
    if (!inside) {
        const double p[4] = {-dx, dx, -dy, dy};
        const double q[4] = {a.x(), w - 1 - a.x(), a.y() - top, bottom - 1 - a.y()};
        for (int k = 0; k < 4; ++k) {
            if (p[k] == 0.0) {
                if (q[k] < 0)
                    return;
                continue;
            }
            const double t = q[k] / p[k];
            if (p[k] < 0)
                t0 = std::max(t0, t);
            else
                t1 = std::min(t1, t);
        }
        if (t0 > t1 || !std::isfinite(t0) || !std::isfinite(t1))
            return;
    }
    const double x0 = a.x() + t0 * dx, y0 = a.y() + t0 * dy;
    const double x1 = a.x() + t1 * dx, y1 = a.y() + t1 * dy;
    const int steps = int(std::max(std::abs(x1 - x0), std::abs(y1 - y0))) + 1;
    const double sx = (x1 - x0) / steps, sy = (y1 - y0) / steps;
    const bool steep = std::abs(dy) > std::abs(dx);
    const int iw = canvas.width;
    double x = x0, y = y0;
    for (int i = 0; i <= steps; ++i, x += sx, y += sy) {
        const int px = int(x), py = int(y);
        if (px < 0 || py < canvas.y0 || px >= iw || py >= canvas.y1)
            continue;
        quint32 &d = canvas.bits[std::ptrdiff_t(py) * canvas.stride + px];
        d = blendOver(d, premultiplied);
        if (thick) {
            const int qx = steep ? px + 1 : px, qy = steep ? py : py + 1;
            if (qx < iw && qy < canvas.y1) {
                quint32 &e = canvas.bits[std::ptrdiff_t(qy) * canvas.stride + qx];
                e = blendOver(e, premultiplied);
            }
        }
    }
}

QImage label(const QString &text, qreal dpr)
{
    QFont font;
    font.setFamilies({QStringLiteral("Noto Sans CJK KR"), QStringLiteral("NanumGothic"),
                      QStringLiteral("NanumBarunGothic"), QStringLiteral("Malgun Gothic"),
                      QStringLiteral("Apple SD Gothic Neo"), QStringLiteral("sans-serif")});
    font.setPixelSize(13);
    font.setBold(true);
    const QFontMetricsF metrics(font);
    const QSizeF size(metrics.horizontalAdvance(text) + 6, metrics.height() + 4);
    QImage image((size * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addText(QPointF(3, 2 + metrics.ascent()), font, text);
    p.strokePath(path, QPen(MapStyle::background(), 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.fillPath(path, QColor(0xe6, 0xee, 0xf8));
    p.end();
    return image;
}

} // namespace gwanje::OverlayRaster
