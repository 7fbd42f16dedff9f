#pragma once

// Private to gwanje_ui: the CPU rasteriser of the map's live layer. Markers are pre-rendered
// sprites copied span by span into a premultiplied ARGB32 image; lines are stepped pixel by pixel.
// Measured here (see DEVELOPERS.md) this beats one geometry node of 100,000 quads on llvmpipe by
// an order of magnitude, and it draws the same under the software scene graph, which shows no
// custom geometry at all.

#include "MarkerLayer.h"

#include <QColor>
#include <QImage>

#include <algorithm>
#include <array>
#include <vector>

namespace gwanje::OverlayRaster {

// The pixel format of the live layer: what the OpenGL back end uploads without converting
// (measured: converting ARGB32 cost a few milliseconds per frame on llvmpipe) and what QPainter
// draws into natively. Alpha is the top byte of a pixel in it, as the blend below assumes.
inline constexpr QImage::Format imageFormat = QImage::Format_RGBA8888_Premultiplied;
// A colour with an alpha, packed as one premultiplied pixel of imageFormat.
quint32 pack(const QColor &color, int alpha);

// A small premultiplied image with, per row, the span of its non-transparent pixels and
// whether that span is fully opaque (then it is copied instead of blended).
struct Sprite
{
    int width = 0;
    int height = 0;
    QPoint hotspot; // the pixel drawn at the marker's position
    std::vector<quint32> pixels;
    struct Span
    {
        qint16 begin = 0, end = 0; // [begin, end)
        bool opaque = false;
    };
    std::vector<Span> rows;

    static Sprite fromImage(const QImage &image, QPoint hotspot);
    bool isNull() const { return width == 0; }
};

// The marker sprites for one size: one per kind and state. marker() builds a missing one: call
// prepare() first when several threads draw.
class SpriteSet
{
public:
    const Sprite &marker(MarkerKind kind, MarkerState state, int size);
    void prepare(int size);

private:
    int m_size = -1;
    std::array<Sprite, std::size_t(markerKindCount *markerStateCount)> m_sprites;
};

QColor markerColor(MarkerKind kind, MarkerState state);

// A district's name as the map labels it: bold, light, with a halo of the map's background.
QImage label(const QString &text, qreal dpr);

// The pixels of an image that one thread draws into: rows [y0, y1). Threads drawing disjoint
// bands of one image in the same order produce what one thread would.
struct Canvas
{
    quint32 *bits = nullptr;
    int stride = 0; // in pixels
    int width = 0;
    int height = 0;
    int y0 = 0, y1 = 0;
    static Canvas of(QImage &image); // the whole image (detaches it once, here)
    Canvas band(int from, int to) const
    {
        Canvas c = *this;
        c.y0 = std::max(from, 0);
        c.y1 = std::min(to, height);
        return c;
    }
};

// Copies sprite with its hotspot at (x, y), clipped to the canvas.
void blit(const Canvas &canvas, const Sprite &sprite, int x, int y);
// A line from a to b, `premultiplied` colour, one pixel wide (two when thick), clipped.
void line(const Canvas &canvas, QPointF a, QPointF b, quint32 premultiplied, bool thick);

inline quint32 byteMul(quint32 x, quint32 a)
{
    quint32 t = (x & 0xff00ff) * a;
    t = (t + ((t >> 8) & 0xff00ff) + 0x800080) >> 8;
    t &= 0xff00ff;
    x = ((x >> 8) & 0xff00ff) * a;
    x = x + ((x >> 8) & 0xff00ff) + 0x800080;
    x &= 0xff00ff00;
    return x | t;
}
inline quint32 blendOver(quint32 dst, quint32 src)
{
    return src + byteMul(dst, 255 - (src >> 24));
}

} // namespace gwanje::OverlayRaster
