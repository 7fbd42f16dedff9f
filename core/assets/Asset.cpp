#include "Asset.h"

namespace gwanje {

QString assetKindName(AssetKind kind)
{
    switch (kind) {
    case AssetKind::CameraSite:
        return QStringLiteral("camera_site");
    case AssetKind::WifiAp:
        return QStringLiteral("wifi_ap");
    case AssetKind::Sensor:
        return QStringLiteral("sensor");
    case AssetKind::Streetlight:
        return QStringLiteral("streetlight");
    case AssetKind::Shelter:
        return QStringLiteral("shelter");
    }
    return {};
}

QString sensorMediumName(SensorMedium medium)
{
    switch (medium) {
    case SensorMedium::Air:
        return QStringLiteral("air");
    case SensorMedium::SurfaceWater:
        return QStringLiteral("surface_water");
    case SensorMedium::TapWater:
        return QStringLiteral("tap_water");
    }
    return {};
}

std::optional<SensorMedium> sensorMediumFromName(const QString &name)
{
    for (SensorMedium m : {SensorMedium::Air, SensorMedium::SurfaceWater, SensorMedium::TapWater}) {
        if (sensorMediumName(m) == name)
            return m;
    }
    return std::nullopt;
}

std::optional<AssetKind> assetKindFromName(const QString &name)
{
    for (AssetKind kind : allAssetKinds) {
        if (assetKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QString regionLevelName(RegionLevel level)
{
    return level == RegionLevel::District ? QStringLiteral("district") : QStringLiteral("dong");
}

std::optional<RegionLevel> regionLevelFromName(const QString &name)
{
    if (name == QLatin1String("district"))
        return RegionLevel::District;
    if (name == QLatin1String("dong"))
        return RegionLevel::Dong;
    return std::nullopt;
}

} // namespace gwanje
