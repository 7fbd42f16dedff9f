#pragma once

#include "MarkerLayer.h"
#include "assets/Asset.h"

#include <QColor>

namespace gwanje::MapStyle {

// The control-room palette of the map, shared by the item and its tests.
inline QColor background()
{
    return QColor(0x0b, 0x12, 0x20);
}
inline QColor districtOutline()
{
    return QColor(0x9d, 0xb4, 0xd6);
}
inline QColor dongOutline()
{
    return QColor(0x33, 0x46, 0x63);
}
inline QColor assetColor(AssetKind kind)
{
    switch (kind) {
    case AssetKind::CameraSite:
        return QColor(0xff, 0x9f, 0x1c); // amber
    case AssetKind::WifiAp:
        return QColor(0x2e, 0xc4, 0xf1); // cyan
    case AssetKind::Sensor:
        return QColor(0x7c, 0xf0, 0x7a); // green
    case AssetKind::Streetlight:
        return QColor(0xf4, 0xe9, 0xa8); // pale sodium yellow
    case AssetKind::Shelter:
        return QColor(0x4d, 0x8d, 0xff); // bus-stop blue
    }
    return Qt::white;
}
// States that override a marker's kind colour.
inline QColor offline()
{
    return QColor(0x6b, 0x78, 0x90);
}
inline QColor warning()
{
    return QColor(0xff, 0xd1, 0x66);
}
// Safety devices (wearers) and those in SOS.
inline QColor device()
{
    return QColor(0xe0, 0x56, 0xfd);
}
inline QColor sos()
{
    return QColor(0xff, 0x2d, 0x2d);
}
inline QColor markerColor(MarkerKind kind)
{
    switch (kind) {
    case MarkerKind::Camera:
        return assetColor(AssetKind::CameraSite);
    case MarkerKind::WifiAp:
        return assetColor(AssetKind::WifiAp);
    case MarkerKind::Sensor:
        return assetColor(AssetKind::Sensor);
    case MarkerKind::Streetlight:
        return assetColor(AssetKind::Streetlight);
    case MarkerKind::Shelter:
        return assetColor(AssetKind::Shelter);
    case MarkerKind::Device:
        break;
    }
    return device();
}
// The ring around the selected or hovered marker.
inline QColor selection()
{
    return QColor(0xff, 0xff, 0xff);
}
// The safe zones of the selected wearer.
inline QColor safeZone()
{
    return QColor(0x5e, 0xe6, 0xb0);
}
// Groups of offline assets (a cut fibre, a power failure): ringed in this colour.
inline QColor outage()
{
    return QColor(0xff, 0x6b, 0x3d);
}
inline constexpr int outageGroupMinimum = 5;
inline constexpr double outageCellWorld = 1.0 / 65536.0; // about 400 m at Seoul's latitude
// Cluster badges: neutral when all is well, else the worst state's colour.
inline QColor cluster()
{
    return QColor(0x3a, 0x5f, 0x9e);
}
// Camera view cones are drawn from this zoom on, this far out: a fixed camera covers a street
// section, a 360° camera about a crossing (typical identification ranges of city CCTV).
inline constexpr double coneMinimumZoom = 16.0;
inline constexpr double coneRangeMetres = 60.0;
inline constexpr double panoramicRangeMetres = 40.0;
// Road names in the basemap tiles, from this zoom on.
inline constexpr int roadLabelMinimumZoom = 14;
inline QColor roadLabel()
{
    return QColor(0xb8, 0xc4, 0xd6);
}
inline constexpr double districtOutlineWidth = 1.6;
inline constexpr double dongOutlineWidth = 1.0;
inline constexpr double dongMinimumZoom = 11.0;

// Marker edge length in pixels: small when the whole city is in view, larger when zoomed in.
inline double markerSize(double zoom)
{
    const double s = 3.0 + (zoom - 12.0) * 0.9;
    return s < 3.0 ? 3.0 : (s > 10.0 ? 10.0 : s);
}

} // namespace gwanje::MapStyle
