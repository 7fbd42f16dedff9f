#include "TileMath.h"

#include <algorithm>
#include <cmath>

namespace gwanje {

namespace {
int clampIndex(double v, int n)
{
    if (!(v >= 0.0)) // also NaN
        return 0;
    return v >= n ? n - 1 : int(v);
}
} // namespace

GeoRect tileWorldBounds(TileId tile)
{
    const double size = std::ldexp(1.0, -tile.z);
    return GeoRect{tile.x * size, tile.y * size, (tile.x + 1) * size, (tile.y + 1) * size};
}

TileId tileAt(QPointF world, int z)
{
    const int n = 1 << z;
    return TileId{z, clampIndex(world.x() * n, n), clampIndex(world.y() * n, n)};
}

int tmsRow(int z, int y)
{
    return (1 << z) - 1 - y;
}

std::vector<TileId> tilesCovering(const GeoRect &world, int z)
{
    std::vector<TileId> tiles;
    if (world.isEmpty() || z < 0 || z > 29 || world.maxX < 0.0 || world.maxY < 0.0 || world.minX > 1.0 ||
        world.minY > 1.0)
        return tiles;
    const int n = 1 << z;
    const int x0 = clampIndex(world.minX * n, n);
    const int y0 = clampIndex(world.minY * n, n);
    // An edge exactly on a tile border belongs to the tile before it.
    const int x1 = std::max(x0, clampIndex(std::ceil(world.maxX * n) - 1.0, n));
    const int y1 = std::max(y0, clampIndex(std::ceil(world.maxY * n) - 1.0, n));
    tiles.reserve(std::size_t(x1 - x0 + 1) * std::size_t(y1 - y0 + 1));
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            tiles.push_back(TileId{z, x, y});
    return tiles;
}

TileId parent(TileId tile)
{
    if (tile.z <= 0)
        return TileId{0, 0, 0};
    return TileId{tile.z - 1, tile.x >> 1, tile.y >> 1};
}

} // namespace gwanje
