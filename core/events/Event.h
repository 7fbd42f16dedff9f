#pragma once

#include <QMetaType>
#include <QString>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace gwanje {

// What happened. Values are stored in the database: append only, never renumber.
enum class EventKind : quint8 {
    PositionFix = 1,       // a safety device reports where it is
    Sos = 2,               // the wearer pressed the emergency button
    Fall = 3,              // the device detected a fall
    DeviceOnline = 4,      // a device (safety terminal, sensor, streetlight...) connected
    DeviceOffline = 5,     // ... or disconnected
    ApStatus = 6,          // a WiFi AP: status up/down, count = clients connected
    CameraHealth = 7,      // status = CameraState
    SensorReading = 8,     // quantity + value
    StreetlightStatus = 9, // status = LampState, value = power (W)
    CitizenReport = 10,    // a citizen's map-based complaint: text at a position
};
QString eventKindName(EventKind kind);
std::optional<EventKind> eventKindFromName(const QString &name);

// Frozen: the picture stands still; Black: it is dark and flat (a covered lens, a dead sensor).
enum class CameraState : qint8 { Online = 0, Offline = 1, Frozen = 2, Black = 3 };
enum class LampState : qint8 { Ok = 0, DefectiveLamp = 1, ColumnIssue = 2, BrokenLantern = 3, Off = 4 };

// What a sensor reading measures. S-DoT environmental sensors and u-Green water-quality sensors.
enum class Quantity : quint8 {
    None = 0,
    Pm10 = 1,             // µg/m³
    Pm25 = 2,             // µg/m³
    Temperature = 3,      // °C
    Humidity = 4,         // %
    Noise = 5,            // dB(A)
    Ph = 6,               // pH
    Turbidity = 7,        // NTU
    DissolvedOxygen = 8,  // mg/L
    ResidualChlorine = 9, // mg/L
};
QString quantityName(Quantity quantity);
std::optional<Quantity> quantityFromName(const QString &name);

// How urgently the bus delivers an event. Lower is sooner.
enum class Lane : quint8 {
    Critical = 0, // SOS, falls (later: alarms, operator actions): never dropped, never queued behind others
    Status = 1,   // device and sensor state: never dropped, sensor readings may be coalesced
    Bulk = 2,     // position fixes: may be coalesced per device under overload
};
inline constexpr int laneCount = 3;
Lane laneOf(EventKind kind);
QString laneName(Lane lane);

// One observation or event from a source, as a plain value. The source is an index into the
// SourceDirectory (interned string id), so an event has no heap data except a citizen report's
// text. Times are UTC milliseconds since the epoch.
struct Event
{
    static constexpr float unknown = std::numeric_limits<float>::quiet_NaN();

    EventKind kind = EventKind::PositionFix;
    Quantity quantity = Quantity::None; // SensorReading
    qint8 status = 0;                   // CameraState, LampState, ApStatus (1 up, 0 down)
    quint32 source = 0;                 // SourceDirectory index
    qint32 count = 0;                   // ApStatus: clients connected
    qint64 sourceTimeMs = 0;            // the device's clock
    qint64 receiveTimeMs = 0;           // ours, when it entered the process
    quint64 sourceEventId = 0;          // unique per source, for de-duplication; 0 = none given
    double latitude = std::numeric_limits<double>::quiet_NaN();
    double longitude = std::numeric_limits<double>::quiet_NaN();
    float accuracy = unknown; // m
    float speed = unknown;    // m/s
    float heading = unknown;  // degrees from north
    float battery = unknown;  // %
    float value = unknown;    // SensorReading value, StreetlightStatus power
    QString text;             // CitizenReport

    bool hasPosition() const { return std::isfinite(latitude) && std::isfinite(longitude); }
    Lane lane() const { return laneOf(kind); }
};

// The source times an event may have: [2000-01-01, 2100-01-01) UTC. Anything else is a broken
// device clock or a unit mistake (seconds or microseconds for milliseconds), and storing it would
// put the event where no time query finds it and move the fusion clock.
inline constexpr qint64 earliestSourceTimeMs = 946'684'800'000; // 2000-01-01T00:00:00Z
inline constexpr qint64 endOfSourceTimeMs = 4'102'444'800'000;  // 2100-01-01T00:00:00Z, excluded

// Checks what every consumer relies on; returns an English reason when the event is unusable.
std::optional<QString> validate(const Event &event);

// Names one event of its source for good: kind, source event id and source time ("sos:42@1764547200000").
// The source's id is not in it (an alarm keeps that beside it). A re-delivered event has the same
// reference; a source that restarted its counter does not reuse one, its times having moved on.
QString eventReference(const Event &event);

} // namespace gwanje

Q_DECLARE_METATYPE(gwanje::Event)
