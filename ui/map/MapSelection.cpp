#include "MapSelection.h"

#include "MarkerStatus.h"

#include <QStringList>

namespace gwanje {

MapSelection MapSelection::ofAsset(int marker, QPointF lonLat, const Asset &a, const QString &district,
                                   const CameraView *view, const AssetStatusPoint *status)
{
    MapSelection s;
    s.marker = marker;
    s.title = describeAsset(a);
    s.latitude = lonLat.y();
    s.longitude = lonLat.x();
    s.kind = assetKindName(a.kind);
    if (a.kind == AssetKind::Sensor)
        s.medium = sensorMediumName(a.medium);
    s.id = a.id;
    s.name = a.name;
    s.address = a.address;
    s.purpose = a.purpose;
    s.direction = a.direction;
    s.setting = a.setting;
    s.stream = a.streamMain;
    s.count = a.count;
    if (view)
        s.view = describeView(*view);
    s.district = district;
    if (!status)
        return s;
    if (std::isfinite(status->pm10))
        s.pm10 = tr("%1 µg/m³").arg(double(status->pm10), 0, 'f', 0);
    if (std::isfinite(status->pm25))
        s.pm25 = tr("%1 µg/m³").arg(double(status->pm25), 0, 'f', 0);
    if (status->grade != AirGrade::Unknown)
        s.grade = gradeText(status->grade);
    if (status->lamp >= 0)
        s.lamp = lampText(LampState(status->lamp));
    if (std::isfinite(status->watts))
        s.power = tr("%1 W").arg(double(status->watts), 0, 'f', 0);
    switch (assetConditionOf(*status)) {
    case AssetCondition::Offline:
        s.state = tr("Offline");
        break;
    case AssetCondition::Frozen:
        s.state = tr("Picture frozen");
        break;
    case AssetCondition::Black:
        s.state = tr("Picture black");
        break;
    case AssetCondition::Online:
        s.state = tr("Online");
        break;
    case AssetCondition::Unknown:
        break;
    }
    return s;
}

MapSelection MapSelection::ofDevice(int marker, quint32 source, QPointF lonLat, int zones, bool alarm)
{
    MapSelection s;
    s.marker = marker;
    s.title = describeDevice(source);
    s.latitude = lonLat.y();
    s.longitude = lonLat.x();
    s.kind = QStringLiteral("device");
    s.zones = zones;
    s.id = QString::number(source);
    s.alarm = alarm;
    return s;
}

QString MapSelection::describeAsset(const Asset &a)
{
    QString kind;
    switch (a.kind) {
    case AssetKind::CameraSite:
        kind = tr("CCTV site");
        break;
    case AssetKind::WifiAp:
        kind = tr("Public WiFi");
        break;
    case AssetKind::Sensor:
        kind = a.medium == SensorMedium::Air ? tr("Sensor") : tr("Water-quality sensor");
        break;
    case AssetKind::Streetlight:
        kind = tr("Streetlight");
        break;
    case AssetKind::Shelter:
        kind = tr("u-Shelter");
        break;
    }
    const QString name = a.name.isEmpty() ? a.id : a.name;
    return kind + QStringLiteral(" · ") + name;
}

QString MapSelection::describeDevice(quint32 source)
{
    // A wearer is named by device only; never where they are or who their guardian is.
    return tr("Safety device %1").arg(source);
}

QString MapSelection::gradeText(AirGrade grade)
{
    switch (grade) {
    case AirGrade::Good:
        return tr("Good");
    case AirGrade::Moderate:
        return tr("Moderate");
    case AirGrade::Bad:
        return tr("Bad");
    case AirGrade::VeryBad:
        return tr("Very bad");
    case AirGrade::Unknown:
        break;
    }
    return {};
}

QString MapSelection::lampText(LampState state)
{
    switch (state) {
    case LampState::Ok:
        return tr("Lit");
    case LampState::Off:
        return tr("Off (daytime)");
    case LampState::DefectiveLamp:
        return tr("Lamp failed");
    case LampState::BrokenLantern:
        return tr("Lantern broken");
    case LampState::ColumnIssue:
        return tr("Column damaged");
    }
    return {};
}

QString MapSelection::describeView(const CameraView &view)
{
    switch (view.kind) {
    case CameraView::Kind::Panoramic:
        return tr("360°");
    case CameraView::Kind::Directional: {
        if (!view.headingKnown())
            return view.fieldOfViewDegrees > 0 ? tr("fixed, %1° wide, direction not given").arg(view.fieldOfViewDegrees)
                                               : tr("fixed, direction not given");
        QStringList headings;
        for (const float h : view.headingsDegrees)
            headings.append(QString::number(h) + u'°');
        const double fov =
            view.fieldOfViewDegrees > 0 ? view.fieldOfViewDegrees : CameraView::defaultFieldOfViewDegrees;
        return view.fieldOfViewAssumed
                   ? tr("towards %1, %2° each (assumed)").arg(headings.join(QStringLiteral(", "))).arg(fov)
                   : tr("towards %1, %2° each").arg(headings.join(QStringLiteral(", "))).arg(fov);
    }
    case CameraView::Kind::Unknown:
        break;
    }
    return tr("could not be read");
}

} // namespace gwanje
