#pragma once

#include "geo/PolygonIndex.h"

#include <QString>

#include <vector>

namespace gwanje {

// Who wears a safety terminal (u-Seoul Safety Service).
enum class WearerCategory : quint8 { Child, Dementia, Disabled };
QString wearerCategoryName(WearerCategory category);

// A guardian to notify on SOS or safe-zone exit. Personal data: never in a log line, a report or
// an exception text; use redacted() where something must be shown in diagnostics.
struct GuardianContact
{
    QString name;
    QString phone;
    QString redacted() const; // "보호자 1 (…1234)" style: the last four digits only
};

// Where a wearer is expected to be: a circle or a polygon (lon/lat), optionally only during some
// hours (e.g. a dementia wearer must be home from 22:00 to 06:00).
struct SafeZone
{
    enum class Shape : quint8 { Circle, Polygon };
    QString name;
    Shape shape = Shape::Circle;
    double centerLatitude = 0.0;
    double centerLongitude = 0.0;
    double radiusMetres = 0.0;
    std::vector<Ring> polygon; // lon/lat rings, even-odd
    int activeFromHour = 0;    // local time; from == to means all day
    int activeToHour = 0;
};

// The outline of a zone in lon/lat for drawing: a circle as a 72-sided polygon (metres on a local
// tangent plane, exact to centimetres at city scale), a polygon as its first (outer) ring.
std::vector<QPointF> safeZoneOutline(const SafeZone &zone);

// A safety terminal and its wearer, as the operations center knows them.
struct SafetyDevice
{
    QString id;
    WearerCategory category = WearerCategory::Child;
    int homeDistrict = -1; // index into AssetRegistry::districts()
    std::vector<GuardianContact> guardians;
    std::vector<SafeZone> safeZones;
};

} // namespace gwanje
