#include "DeviceState.h"

namespace gwanje {

void DeviceState::grow(quint32 source)
{
    const std::size_t n = std::size_t(source) + 1;
    if (n <= m_time.size())
        return;
    // resize() grows the capacity geometrically; a reserve() of twice the size here reallocated
    // on every new source (quadratic in the number of sources).
    m_latitude.resize(n, 0.0);
    m_longitude.resize(n, 0.0);
    m_time.resize(n, 0);
    m_lastSeen.resize(n, 0);
    m_battery.resize(n, Event::unknown);
    m_sos.resize(n, 0);
}

void DeviceState::apply(std::span<const Event> events)
{
    for (const Event &e : events) {
        grow(e.source);
        const quint32 s = e.source;
        if (e.receiveTimeMs > m_lastSeen[s])
            m_lastSeen[s] = e.receiveTimeMs;
        switch (e.kind) {
        case EventKind::PositionFix:
            // Judge by the device's clock: a late upload of an old fix must not move it back.
            if (e.sourceTimeMs <= m_time[s]) {
                ++m_counters.stale;
                break;
            }
            m_withPosition += m_time[s] == 0;
            m_time[s] = e.sourceTimeMs;
            m_latitude[s] = e.latitude;
            m_longitude[s] = e.longitude;
            if (!std::isnan(e.battery))
                m_battery[s] = e.battery;
            ++m_counters.positions;
            break;
        case EventKind::Sos:
            m_sos[s] = 1;
            ++m_counters.sos;
            if (e.hasPosition() && e.sourceTimeMs > m_time[s]) {
                m_withPosition += m_time[s] == 0;
                m_time[s] = e.sourceTimeMs;
                m_latitude[s] = e.latitude;
                m_longitude[s] = e.longitude;
            }
            break;
        default:
            ++m_counters.other;
            break;
        }
    }
}

} // namespace gwanje
