#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace gwanje {

enum class MapLayerType { Vector, Raster };

// One map layer as the layer config file describes it. Colours are ARGB (0 = none).
struct MapLayerSpec
{
    QString id;
    QString name;   // Korean display name
    QString nameEn; // English display name
    MapLayerType type = MapLayerType::Vector;
    // An absolute file path (relative paths in the file resolve against its folder), or a GDAL
    // connection string kept as written ("<GDAL_WMS>…", "WMTS:…", "/vsicurl/…").
    QString source;
    QString ogrLayer; // vector: OGR layer name; empty = the first layer
    QString where;    // vector: OGR SQL attribute filter
    quint32 fill = 0;
    quint32 line = 0;
    double lineWidth = 1.0;
    double minZoom = 0.0;
    double maxZoom = 22.0;
    double opacity = 1.0;
    bool visible = true;
    QString labelField;
    QString attribution;
    QString group;        // "basemap" or "overlay"
    bool network = false; // the source reaches another machine (the file allows that: see MapConfig)
};

// The map's layers in drawing order (first = bottom), read from a JSON file:
// { "background": "#0b1220", "layers": [ { "id": …, "type": "vector", "source": …, … }, … ] }
// Keys are the MapLayerSpec member names. A bad entry is skipped with a message in `errors`; a
// missing or unparseable file gives no layers and one message.
// A source that makes GDAL reach another machine (a URL other than file://, /vsicurl/, /vsis3/
// and the other network file systems, a database such as "PG:") is refused with a message unless
// the file says "allow_network": true at the top level; then the layer loads, flagged `network`,
// with a line in `notes` and in the log.
struct MapConfig
{
    quint32 background = 0; // ARGB, 0 = not set
    bool allowNetwork = false;
    std::vector<MapLayerSpec> layers;
    QStringList errors;
    QStringList notes; // what the file allowed that someone should know (English)

    static MapConfig load(const QString &path);
};

// Parses "#rrggbb" or "#aarrggbb" into ARGB; false (and *argb untouched) for anything else.
bool parseMapColour(const QString &text, quint32 *argb);

} // namespace gwanje
