#pragma once

#include "TileMath.h"
#include "geo/GeoRect.h"

#include <QString>

#include <memory>
#include <vector>

namespace gwanje {

// Reads 256-pixel XYZ tiles out of any raster GDAL opens: MBTiles, GeoPackage tiles, GeoTIFF in
// any coordinate system (warped to EPSG:3857 on the fly), WMS/WMTS connection strings. Handles
// grey, palette, RGB and RGBA bands; nodata, masks and alpha become transparency.
// GDAL dataset handles are not thread-safe: use one reader per thread.
class RasterTileReader
{
public:
    static constexpr int tileSize = 256;

    ~RasterTileReader();
    RasterTileReader(const RasterTileReader &) = delete;
    RasterTileReader &operator=(const RasterTileReader &) = delete;

    // Returns nullptr and sets *error when GDAL cannot open the source or cannot place it on the
    // Earth (no coordinate system or georeferencing) or its bands are not an image.
    static std::unique_ptr<RasterTileReader> open(const QString &source, QString *error);

    // The data's extent in normalised world units, clamped to the world.
    GeoRect worldBounds() const;
    // The zoom level whose resolution is closest to the full-resolution raster.
    int nativeZoom() const;

    // Fills argbPremultiplied with tileSize * tileSize pixels, row 0 at the north. A tile outside
    // the data is all transparent (and still a success). Returns false and sets *error when GDAL
    // fails to read (a corrupt file, a server error).
    bool readTile(TileId tile, std::vector<quint32> &argbPremultiplied, QString *error);

private:
    RasterTileReader();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gwanje
