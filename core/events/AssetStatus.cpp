#include "AssetStatus.h"

#include <cmath>

namespace gwanje {

namespace {
AirGrade gradeOf(float value, float good, float moderate, float bad)
{
    if (!std::isfinite(value) || value < 0)
        return AirGrade::Unknown;
    if (value <= good)
        return AirGrade::Good;
    if (value <= moderate)
        return AirGrade::Moderate;
    if (value <= bad)
        return AirGrade::Bad;
    return AirGrade::VeryBad;
}
} // namespace

AirGrade pm10Grade(float value)
{
    return gradeOf(value, 30, 80, 150);
}

AirGrade pm25Grade(float value)
{
    return gradeOf(value, 15, 35, 75);
}

QString airGradeName(AirGrade grade)
{
    switch (grade) {
    case AirGrade::Good:
        return QStringLiteral("good");
    case AirGrade::Moderate:
        return QStringLiteral("moderate");
    case AirGrade::Bad:
        return QStringLiteral("bad");
    case AirGrade::VeryBad:
        return QStringLiteral("very_bad");
    case AirGrade::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

void AssetStatusTable::apply(std::span<const Event> events)
{
    for (const Event &e : events) {
        const bool relevant =
            (e.kind == EventKind::SensorReading && (e.quantity == Quantity::Pm10 || e.quantity == Quantity::Pm25)) ||
            e.kind == EventKind::ApStatus || e.kind == EventKind::CameraHealth || e.kind == EventKind::DeviceOffline ||
            e.kind == EventKind::DeviceOnline || e.kind == EventKind::StreetlightStatus;
        if (!relevant)
            continue;
        if (e.source >= m_entries.size())
            m_entries.resize(std::size_t(e.source) + 1);
        Entry &entry = m_entries[e.source];
        AssetStatusPoint &p = entry.point;
        p.source = e.source;
        switch (e.kind) {
        case EventKind::SensorReading:
            (e.quantity == Quantity::Pm10 ? p.pm10 : p.pm25) = e.value;
            p.grade = std::max(pm10Grade(p.pm10), pm25Grade(p.pm25));
            p.offline = false;
            break;
        case EventKind::ApStatus:
            p.apUp = e.status != 0 ? 1 : 0;
            break;
        case EventKind::CameraHealth:
            p.camera = e.status;
            break;
        case EventKind::StreetlightStatus:
            p.lamp = e.status;
            p.watts = e.value;
            p.offline = false;
            break;
        case EventKind::DeviceOffline:
            p.offline = true;
            break;
        case EventKind::DeviceOnline:
            p.offline = false;
            break;
        default:
            break;
        }
        entry.version = ++m_version;
    }
}

quint64 AssetStatusTable::changedSince(quint64 since, std::vector<AssetStatusPoint> &out) const
{
    for (const Entry &entry : m_entries) {
        if (entry.version > since)
            out.push_back(entry.point);
    }
    return m_version;
}

} // namespace gwanje
