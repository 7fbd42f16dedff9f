#pragma once

#include "Event.h"

#include <span>
#include <vector>

namespace gwanje {

// The live state of every event source, indexed by SourceDirectory index: where each device is,
// when it last reported, its battery, whether it is in SOS. Struct of arrays, so applying a batch
// of positions touches a few cache lines per fix. Owned and used by one thread (the bus consumer).
class DeviceState
{
public:
    struct Counters
    {
        quint64 positions = 0; // fixes that moved a device
        quint64 stale = 0;     // fixes older than the device's current one (late uploads)
        quint64 sos = 0;
        quint64 other = 0;
    };

    void apply(std::span<const Event> events);

    int size() const { return int(m_time.size()); }
    bool hasPosition(quint32 source) const { return source < m_time.size() && m_time[source] > 0; }
    double latitude(quint32 source) const { return m_latitude[source]; }
    double longitude(quint32 source) const { return m_longitude[source]; }
    qint64 positionTimeMs(quint32 source) const { return m_time[source]; }
    float battery(quint32 source) const { return m_battery[source]; }
    qint64 lastSeenMs(quint32 source) const { return source < m_lastSeen.size() ? m_lastSeen[source] : 0; }
    bool inSos(quint32 source) const { return source < m_sos.size() && m_sos[source]; }
    int devicesWithPosition() const { return m_withPosition; }
    const Counters &counters() const { return m_counters; }

private:
    void grow(quint32 source);

    std::vector<double> m_latitude, m_longitude;
    std::vector<qint64> m_time;     // source time of the current position, 0 = none
    std::vector<qint64> m_lastSeen; // receive time of the latest event of any kind
    std::vector<float> m_battery;
    std::vector<char> m_sos;
    int m_withPosition = 0;
    Counters m_counters;
};

} // namespace gwanje
