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
    }
    return {};
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
