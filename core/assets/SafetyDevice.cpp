#include "SafetyDevice.h"

#include <cmath>
#include <numbers>

namespace gwanje {

QString wearerCategoryName(WearerCategory category)
{
    switch (category) {
    case WearerCategory::Child:
        return QStringLiteral("child");
    case WearerCategory::Dementia:
        return QStringLiteral("dementia");
    case WearerCategory::Disabled:
        return QStringLiteral("disabled");
    }
    return {};
}

QString GuardianContact::redacted() const
{
    QString digits;
    for (QChar c : phone) {
        if (c.isDigit())
            digits.append(c);
    }
    return QStringLiteral("guardian (…%1)").arg(digits.right(std::min<qsizetype>(4, digits.size())));
}

std::vector<QPointF> safeZoneOutline(const SafeZone &zone)
{
    std::vector<QPointF> out;
    if (zone.shape == SafeZone::Shape::Polygon) {
        if (!zone.polygon.empty())
            out = zone.polygon.front();
        return out;
    }
    constexpr int sides = 72;
    constexpr double metresPerDegree = 111'320.0;
    const double metresPerLonDegree = metresPerDegree * std::cos(zone.centerLatitude * std::numbers::pi / 180.0);
    out.reserve(sides + 1);
    for (int i = 0; i <= sides; ++i) {
        const double a = 2.0 * std::numbers::pi * i / sides;
        out.emplace_back(zone.centerLongitude + zone.radiusMetres * std::sin(a) / metresPerLonDegree,
                         zone.centerLatitude + zone.radiusMetres * std::cos(a) / metresPerDegree);
    }
    return out;
}

} // namespace gwanje
