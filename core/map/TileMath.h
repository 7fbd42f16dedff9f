#pragma once

#include "geo/GeoRect.h"

#include <QHashFunctions>
#include <QPointF>

#include <cstddef>
#include <functional>
#include <vector>

namespace gwanje {

// One XYZ (slippy-map) tile: zoom z, column x from the west, row y from the north.
struct TileId
{
    int z = 0;
    int x = 0;
    int y = 0;

    bool isValid() const { return z >= 0 && z <= 29 && x >= 0 && y >= 0 && x < (1 << z) && y < (1 << z); }
    // Unique for valid tiles (zoom up to 29): 6 bits of zoom, then 29 bits each of x and y.
    quint64 key() const { return (quint64(z) << 58) | (quint64(x) << 29) | quint64(y); }

    friend bool operator==(const TileId &a, const TileId &b) { return a.z == b.z && a.x == b.x && a.y == b.y; }
    friend bool operator!=(const TileId &a, const TileId &b) { return !(a == b); }
};

inline size_t qHash(const TileId &tile, size_t seed = 0) noexcept
{
    return ::qHash(tile.key(), seed);
}

// A tile's rectangle in normalised world units (see WebMercator.h).
GeoRect tileWorldBounds(TileId tile);
// The tile containing a world point at zoom z; points outside 0..1 are clamped to the edge tiles.
TileId tileAt(QPointF world, int z);
// The row as MBTiles and TMS count it (from the south).
int tmsRow(int z, int y);
// Tiles at zoom z that intersect a world rectangle, clamped to the world, row by row from the
// north-west. Tiles that only touch the rectangle's east or south edge are left out.
std::vector<TileId> tilesCovering(const GeoRect &world, int z);
// The tile one zoom level up that contains this one; a zoom-0 tile is its own parent.
TileId parent(TileId tile);

} // namespace gwanje

template<> struct std::hash<gwanje::TileId>
{
    std::size_t operator()(const gwanje::TileId &tile) const noexcept { return std::hash<quint64>()(tile.key()); }
};
