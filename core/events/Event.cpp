#include "Event.h"

#include <array>
#include <utility>

namespace gwanje {

namespace {
constexpr std::array<std::pair<EventKind, const char *>, 10> kindNames{{
    {EventKind::PositionFix, "position"},
    {EventKind::Sos, "sos"},
    {EventKind::Fall, "fall"},
    {EventKind::DeviceOnline, "device_online"},
    {EventKind::DeviceOffline, "device_offline"},
    {EventKind::ApStatus, "ap_status"},
    {EventKind::CameraHealth, "camera_health"},
    {EventKind::SensorReading, "sensor_reading"},
    {EventKind::StreetlightStatus, "streetlight_status"},
    {EventKind::CitizenReport, "citizen_report"},
}};
constexpr std::array<std::pair<Quantity, const char *>, 9> quantityNames{{
    {Quantity::Pm10, "pm10"},
    {Quantity::Pm25, "pm25"},
    {Quantity::Temperature, "temperature"},
    {Quantity::Humidity, "humidity"},
    {Quantity::Noise, "noise"},
    {Quantity::Ph, "ph"},
    {Quantity::Turbidity, "turbidity"},
    {Quantity::DissolvedOxygen, "dissolved_oxygen"},
    {Quantity::ResidualChlorine, "residual_chlorine"},
}};
} // namespace

QString eventKindName(EventKind kind)
{
    for (const auto &[k, name] : kindNames) {
        if (k == kind)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("unknown");
}

std::optional<EventKind> eventKindFromName(const QString &name)
{
    for (const auto &[k, n] : kindNames) {
        if (name == QLatin1String(n))
            return k;
    }
    return std::nullopt;
}

QString quantityName(Quantity quantity)
{
    for (const auto &[q, name] : quantityNames) {
        if (q == quantity)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("none");
}

std::optional<Quantity> quantityFromName(const QString &name)
{
    for (const auto &[q, n] : quantityNames) {
        if (name == QLatin1String(n))
            return q;
    }
    return std::nullopt;
}

Lane laneOf(EventKind kind)
{
    switch (kind) {
    case EventKind::Sos:
    case EventKind::Fall:
        return Lane::Critical;
    case EventKind::PositionFix:
        return Lane::Bulk;
    default:
        return Lane::Status;
    }
}

QString laneName(Lane lane)
{
    switch (lane) {
    case Lane::Critical:
        return QStringLiteral("critical");
    case Lane::Status:
        return QStringLiteral("status");
    case Lane::Bulk:
        return QStringLiteral("bulk");
    }
    return {};
}

std::optional<QString> validate(const Event &e)
{
    const bool needsPosition = e.kind == EventKind::PositionFix || e.kind == EventKind::CitizenReport;
    const bool anyCoordinate = !std::isnan(e.latitude) || !std::isnan(e.longitude);
    if (needsPosition || anyCoordinate) {
        if (!std::isfinite(e.latitude) || !std::isfinite(e.longitude))
            return QStringLiteral("coordinates are missing or not finite");
        if (std::abs(e.latitude) > 90.0 || std::abs(e.longitude) > 180.0)
            return QStringLiteral("coordinates are out of range");
    }
    if (e.sourceTimeMs == 0)
        return QStringLiteral("the source time is missing");
    if (e.sourceTimeMs < earliestSourceTimeMs || e.sourceTimeMs >= endOfSourceTimeMs)
        return QStringLiteral("source time out of range (years 2000 to 2099)");
    if (e.kind == EventKind::SensorReading && (e.quantity == Quantity::None || !std::isfinite(e.value)))
        return QStringLiteral("a sensor reading needs a quantity and a finite value");
    return std::nullopt;
}

QString eventReference(const Event &event)
{
    return eventKindName(event.kind) + QLatin1Char(':') + QString::number(event.sourceEventId) + QLatin1Char('@') +
           QString::number(event.sourceTimeMs);
}

} // namespace gwanje
