#pragma once

#include "assets/SafetyDevice.h"
#include "events/Event.h"

#include <span>
#include <vector>

namespace gwanje {

struct GeofenceOptions
{
    double hysteresisMetres = 20.0; // a fix counts as outside only beyond the border plus this
    qint64 dwellMs = 60'000;        // ... and must stay outside (or inside) this long, by source time
    int utcOffsetHours = 9;         // schedules are in local time (KST)
};

// A confirmed change of a wearer's side of a safe zone.
struct GeofenceTransition
{
    enum class Kind : quint8 { Exit, Enter };
    Kind kind = Kind::Exit;
    quint32 source = 0;
    int zone = 0;           // index into the device's safeZones
    qint64 crossedMs = 0;   // when it crossed (interpolated between two fixes), source time
    qint64 confirmedMs = 0; // source time of the fix that confirmed it after the dwell
    double latitude = 0.0;  // the confirming fix
    double longitude = 0.0;
};

// Watches wearers' fixes against their safe zones (circles and polygons, optionally only during
// some hours). GPS jitter around a border yields one transition, not a storm: a fix is outside only
// beyond the border plus a hysteresis band, and a change is confirmed after it has lasted the
// dwell time with the fixes on average well on the new side (standing on the border never
// confirms). The crossing time of a sparse pair of fixes is interpolated along the segment
// between them. Fixes are judged by source time: a batch is sorted per device, and fixes older
// than the newest one already applied (late uploads) never change the state. Used on one thread.
class GeofenceMonitor
{
public:
    explicit GeofenceMonitor(GeofenceOptions options = {});

    // The safe zones of a device (replaces earlier ones; the state starts unknown).
    void setZones(quint32 source, const std::vector<SafeZone> &zones);
    // Applies position fixes (other kinds are ignored) and appends confirmed transitions.
    void apply(std::span<const Event> events, std::vector<GeofenceTransition> &out);

    quint64 staleFixes() const { return m_stale; }
    // Whether the device is confirmed outside zone `zone` (false when unknown).
    bool isOutside(quint32 source, int zone) const;

    // Signed distance in metres from the zone's border: negative inside, positive outside.
    static double signedDistance(const SafeZone &zone, double latitude, double longitude);

private:
    enum class Side : quint8 { Unknown, Inside, Outside };
    struct ZoneState
    {
        Side confirmed = Side::Unknown;
        Side pending = Side::Unknown;
        qint64 pendingSinceMs = 0; // crossing time of the pending change
        qint64 zeroCrossedMs = 0;  // when the distance last changed sign (interpolated)
        double pendingStart = 0.0; // how far beyond the border the first fix of the change was
        double pendingSum = 0.0;   // distances of the later fixes, towards the new side
        int pendingFixes = 0;
    };
    // A zone in local metres around its centre, prepared once: per fix only the point is projected.
    struct PreparedZone
    {
        double centerLatitude = 0.0, centerLongitude = 0.0;
        double metresPerDegreeLon = 0.0;
        double radius = 0.0; // circles
        // Polygons: every edge of every ring, in metres (x east, y north), with what the distance
        // and crossing tests would otherwise divide by each time precomputed.
        struct Edge
        {
            double ax, ay, dx, dy;
            double inverseLength2; // 1 / (dx² + dy²), 0 for a degenerate edge
            double slope;          // dx / dy, for the even-odd crossing test (unused when dy = 0)
        };
        std::vector<Edge> edges;
        GeoRect box; // polygons, metres
    };
    static PreparedZone prepare(const SafeZone &zone);
    static double signedDistance(const PreparedZone &zone, double latitude, double longitude);

    struct Device
    {
        std::vector<SafeZone> zones;
        std::vector<PreparedZone> prepared;
        std::vector<ZoneState> states;
        qint64 lastMs = 0;
        double lastLatitude = 0.0, lastLongitude = 0.0;
        double lastDistance0 = 0.0; // signed distance to zone 0 at the last fix (for interpolation)
        std::vector<double> lastDistances;
    };
    bool active(const SafeZone &zone, qint64 sourceMs) const;
    void applyFix(quint32 source, Device &d, const Event &fix, std::vector<GeofenceTransition> &out);

    GeofenceOptions m_options;
    std::vector<Device> m_devices; // indexed by source
    std::vector<const Event *> m_sorted;
    std::vector<qint64> m_seenInBatch; // scratch, indexed by source
    quint64 m_stale = 0;
};

} // namespace gwanje
