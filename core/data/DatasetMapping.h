#pragma once

#include "assets/Asset.h"
#include "geo/GeoRect.h"

#include <QHash>
#include <QString>

#include <optional>

namespace gwanje {

// What one data file holds and which of its columns means what, read from a small JSON file next
// to the data file ("<name>.mapping.json"), so a city loads its own files without a code change:
//
//   { "source": "seoul_cctv_2018.csv", "kind": "camera_site",
//     "fields": { "latitude": "위도", "longitude": "경도", "count": "카메라대수", ... },
//     "bounds": [126.73, 37.41, 127.27, 37.72], "srs": "EPSG:4326",
//     "title": "...", "attribution": "..." }
//
// Point kinds take their position from longitude/latitude (or x/y in "srs") columns, or from the
// layer's geometry when those are not mapped: a point, or a point inside a polygon (a pond's
// water-quality sensor); region kinds from polygon geometry. Optional keys:
//   "where": an OGR attribute filter (SQL WHERE) choosing the rows, e.g. "highway = 'primary'";
//   "place_every_m": N places one asset every N metres along each line of the layer, for assets
//       set out along streets (streetlight columns) where a city has the streets but no inventory;
//   "id_prefix": put before every id (keeps ids of two files apart);
//   "medium": what a sensor file's sensors measure: air (default), surface_water or tap_water;
//   "allow_outside_data_dir": true lets "source" name a file outside the data folder (an absolute
//       path, or one up through ".."); without it the loader refuses such a mapping.
struct DatasetMapping
{
    enum class Kind : quint8 { CameraSite, WifiAp, Sensor, Streetlight, Shelter, District, Dong };

    QString mappingFile; // absolute path of the .mapping.json
    QString sourceFile;  // absolute path of the data file
    QString layer;       // optional layer name (GPKG, OSM); empty = first layer
    Kind kind = Kind::CameraSite;
    QHash<QString, QString> fields; // role -> column name
    std::optional<GeoRect> bounds;  // lon/lat; rows outside are rejected
    QString srs;                    // SRS of coordinate columns; empty = WGS84 lon/lat
    QString title;
    QString attribution;
    QString where;               // OGR attribute filter; empty = every row
    double placeEveryMetres = 0; // > 0: assets along the layer's lines at this spacing
    QString idPrefix;
    SensorMedium medium = SensorMedium::Air;
    bool allowOutsideDataDir = false; // sourceFile may lie outside the data folder

    bool isRegion() const { return kind == Kind::District || kind == Kind::Dong; }
    AssetKind assetKind() const;
    RegionLevel regionLevel() const;
    QString kindName() const;
    QString column(const QString &role) const { return fields.value(role); }

    // Parses a mapping; on failure returns nullopt and sets *error (English).
    static std::optional<DatasetMapping> fromJson(const QByteArray &json, const QString &mappingFile, QString *error);
    // Roles a mapping of this kind may name.
    static QStringList rolesFor(Kind kind);
};

} // namespace gwanje
