#pragma once

// Builds a small raster test set from the real district boundaries with GDAL's C API, so the
// raster tests read real GDAL files without downloading anything.

#include "geo/GeoRect.h"
#include "geo/PolygonIndex.h"

#include <QString>

#include <vector>

namespace gwanje::test {

struct DistrictSwatch
{
    QString name;
    quint32 argb = 0;        // opaque colour burnt into the rasters
    std::vector<Ring> rings; // lon/lat
};

class RasterFixture
{
public:
    // Writes every file into dir (which must exist). False and *error on any GDAL failure.
    bool build(const QString &dir, QString *error);

    std::vector<DistrictSwatch> districts;
    GeoRect lonLatBounds; // extent of the GeoTIFFs in lon/lat
    double pixelDegrees = 0.0;
    int mbtilesMinZoom = 0; // zoom range written into the MBTiles
    int mbtilesMaxZoom = 0;

    QString rgbaGeoTiff;      // 4 bands RGBA, EPSG:4326, transparent between districts
    QString rgbNoDataGeoTiff; // 3 bands RGB, EPSG:4326, nodata 0
    QString paletteGeoTiff;   // 1 band with a colour table, EPSG:5186 (Korean TM), nodata 0
    QString mbtiles;          // EPSG:3857 PNG tiles with overviews
    QString geoPackage;       // the same as GeoPackage tiles (GoogleMapsCompatible)
    QString corruptMbtiles;   // mbtiles with its tile pages overwritten
    QString truncatedMbtiles; // mbtiles cut short

    static quint32 colourFor(int index);
};

} // namespace gwanje::test
