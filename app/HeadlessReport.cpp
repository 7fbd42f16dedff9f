#include "HeadlessReport.h"

#include "data/Gdal.h"
#include "gwanje/Version.h"

#include <QJsonArray>

namespace gwanje {

QJsonObject headlessReport(const LoadResult &result, double loadMs, double durationSeconds)
{
    const AssetRegistry &reg = *result.registry;
    QJsonObject report = result.report.toJson();
    report.insert(QStringLiteral("version"), QString::fromLatin1(versionString));
    report.insert(QStringLiteral("qt"), QString::fromLatin1(qVersion()));
    report.insert(QStringLiteral("gdal"), Gdal::version());
    report.insert(QStringLiteral("mode"), QStringLiteral("demo"));
    report.insert(QStringLiteral("duration_s"), durationSeconds);
    report.insert(QStringLiteral("load_ms"), loadMs);
    report.insert(QStringLiteral("assets"), QJsonObject{
                                                {QStringLiteral("cameras"), reg.cameraCount()},
                                                {QStringLiteral("camera_sites"), reg.count(AssetKind::CameraSite)},
                                                {QStringLiteral("wifi_aps"), reg.count(AssetKind::WifiAp)},
                                                {QStringLiteral("sensors"), reg.count(AssetKind::Sensor)},
                                                {QStringLiteral("streetlights"), reg.count(AssetKind::Streetlight)},
                                                {QStringLiteral("shelters"), reg.count(AssetKind::Shelter)},
                                                {QStringLiteral("districts"), int(reg.districts().size())},
                                                {QStringLiteral("dongs"), int(reg.dongs().size())},
                                            });
    QJsonArray perDistrict;
    const auto &counts = reg.countsPerDistrict();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const bool outside = i == reg.districts().size();
        perDistrict.append(QJsonObject{
            {QStringLiteral("district"), outside ? QStringLiteral("(outside all districts)") : reg.districts()[i].name},
            {QStringLiteral("code"), outside ? QString() : reg.districts()[i].code},
            {QStringLiteral("camera_sites"), counts[i][std::size_t(AssetKind::CameraSite)]},
            {QStringLiteral("cameras"), reg.camerasPerDistrict()[i]},
            {QStringLiteral("wifi_aps"), counts[i][std::size_t(AssetKind::WifiAp)]},
            {QStringLiteral("sensors"), counts[i][std::size_t(AssetKind::Sensor)]},
            {QStringLiteral("streetlights"), counts[i][std::size_t(AssetKind::Streetlight)]},
            {QStringLiteral("shelters"), counts[i][std::size_t(AssetKind::Shelter)]},
        });
    }
    report.insert(QStringLiteral("assets_per_district"), perDistrict);
    // How the CCTV sites' free-text view directions were read (the map's cones and circles).
    const CameraViewStats views = reg.cameraViewStats();
    report.insert(QStringLiteral("camera_views"), QJsonObject{{QStringLiteral("panoramic"), views.panoramic},
                                                              {QStringLiteral("directional"), views.directional},
                                                              {QStringLiteral("with_heading"), views.headingKnown},
                                                              {QStringLiteral("unread"), views.unknown},
                                                              {QStringLiteral("empty"), views.empty}});
    return report;
}

} // namespace gwanje
