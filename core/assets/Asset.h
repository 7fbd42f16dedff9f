#pragma once

#include "geo/PolygonIndex.h"

#include <QMetaType>
#include <QPointF>
#include <QString>

#include <array>
#include <optional>

namespace gwanje {

// The kinds of point assets the registry holds. Values index arrays: keep them dense.
enum class AssetKind : quint8 {
    CameraSite,  // a CCTV installation site; `count` cameras are mounted there
    WifiAp,      // a public WiFi access point
    Sensor,      // an environmental sensor: S-DoT air, u-Green stream or tap-water quality
    Streetlight, // a (smart) streetlight column: lamp state and power use
    Shelter,     // a u-Shelter bus stop: its display, and weather and air sensors
};
inline constexpr int assetKindCount = 5;
inline constexpr std::array<AssetKind, assetKindCount> allAssetKinds{
    AssetKind::CameraSite, AssetKind::WifiAp, AssetKind::Sensor, AssetKind::Streetlight, AssetKind::Shelter};

// Stable machine names, as used in mapping files and reports ("camera_site", "wifi_ap", "sensor",
// "streetlight", "shelter").
QString assetKindName(AssetKind kind);
std::optional<AssetKind> assetKindFromName(const QString &name);

// What a sensor measures: the air (S-DoT), a stream or pond (u-Green), or tap water (u-Green Arisu).
// Threshold rules may apply to one medium only: tap-water turbidity limits mean nothing in a stream.
enum class SensorMedium : quint8 { Air, SurfaceWater, TapWater };
QString sensorMediumName(SensorMedium medium); // "air", "surface_water", "tap_water"
std::optional<SensorMedium> sensorMediumFromName(const QString &name);

// One point asset as loaded from a data file. Plain value type; positions are WGS84.
struct Asset
{
    QString id;
    QString name;
    QString address;
    QString sourceDistrict; // the district text of the source row, as written there
    QString purpose;        // e.g. CCTV 설치목적구분: 생활방범, 어린이보호…
    QString direction;      // e.g. CCTV 촬영방면정보, free text; parsed by the map issue
    QString setting;        // e.g. WiFi 실내외구분: 실내 (indoor) or 실외 (outdoor), as written
    QString streamMain;     // a camera site's main stream (rtsp://...), when the city's file has it
    QString streamSub;      // ... and its sub-stream (the grid shows sub-streams, focus the main one)
    double longitude = 0.0;
    double latitude = 0.0;
    QPointF world;     // Web Mercator world units, projected once at load
    int count = 1;     // cameras at a CCTV site, lamps on a streetlight column; 1 for other kinds
    int district = -1; // index into AssetRegistry::districts(), by position, -1 outside all
    AssetKind kind = AssetKind::CameraSite;
    SensorMedium medium = SensorMedium::Air; // sensors only
};

enum class RegionLevel : quint8 { District, Dong };
QString regionLevelName(RegionLevel level);
std::optional<RegionLevel> regionLevelFromName(const QString &name);

// An administrative area (자치구 or 행정동) with its outline in lon/lat (x = longitude).
struct Region
{
    QString code;
    QString name;
    QString nameEn;
    RegionLevel level = RegionLevel::District;
    std::vector<Ring> rings; // even-odd: outer rings and holes of all its polygons
    GeoRect bounds;          // lon/lat
    QPointF labelPoint;      // lon/lat, inside the outline
    int parent = -1;         // for a dong: index of the district containing its label point
};

} // namespace gwanje

Q_DECLARE_METATYPE(gwanje::AssetKind)
