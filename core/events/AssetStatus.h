#pragma once

#include "Event.h"

#include <QString>

#include <span>
#include <vector>

namespace gwanje {

// Korea's air-quality grades for particulate matter (환경부 통합대기환경지수, 24-hour bands
// applied to the current reading): PM10 좋음 0–30, 보통 31–80, 나쁨 81–150, 매우나쁨 151+ µg/m³;
// PM2.5 좋음 0–15, 보통 16–35, 나쁨 36–75, 매우나쁨 76+ µg/m³.
enum class AirGrade : quint8 { Unknown, Good, Moderate, Bad, VeryBad };
AirGrade pm10Grade(float microgramsPerCubicMetre);
AirGrade pm25Grade(float microgramsPerCubicMetre);
QString airGradeName(AirGrade grade); // "good", "moderate", "bad", "very_bad", "unknown"

// What the map shows about a fixed asset (an AP, a camera, a sensor, a streetlight, a shelter)
// between its events.
struct AssetStatusPoint
{
    quint32 source = 0; // SourceDirectory index
    QString id;         // the source's id (the asset's id in the registry)
    float pm10 = Event::unknown, pm25 = Event::unknown;
    AirGrade grade = AirGrade::Unknown; // the worse of PM10 and PM2.5
    qint8 apUp = -1;                    // -1 unknown, 0 down, 1 up
    qint8 camera = -1;                  // -1 unknown, else a CameraState
    qint8 lamp = -1;                    // -1 unknown, else a LampState (streetlights)
    float watts = Event::unknown;       // a streetlight's power use
    bool offline = false;               // DeviceOffline seen last
};

// The latest status of every source that sent a reading, AP or camera state, or went offline,
// with a version per source so a view can ask only for what changed. Owned by one thread (the
// bus consumer); the engine copies out of it under its lock.
class AssetStatusTable
{
public:
    void apply(std::span<const Event> events);
    // Appends the sources changed after version `since`; returns the current version.
    quint64 changedSince(quint64 since, std::vector<AssetStatusPoint> &out) const;
    quint64 version() const { return m_version; }

private:
    struct Entry
    {
        AssetStatusPoint point;
        quint64 version = 0; // 0: never touched
    };
    std::vector<Entry> m_entries; // by source index
    quint64 m_version = 0;
};

} // namespace gwanje
