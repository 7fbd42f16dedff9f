#include "DevicesFacade.h"

#include "QmlSingleton_p.h"
#include "UiLogging.h"

#include <QDateTime>

namespace gwanje {

DevicesFacade::DevicesFacade(QObject *parent)
    : QObject(parent)
{
    connect(&m_timer, &QTimer::timeout, this, &DevicesFacade::refresh);
}

DevicesFacade *DevicesFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<DevicesFacade>("Devices");
}

void DevicesFacade::setInstance(DevicesFacade *instance)
{
    detail::singletonSlot<DevicesFacade>() = instance;
}

void DevicesFacade::setProvider(Provider provider, int intervalMs)
{
    m_provider = std::move(provider);
    refresh();
    m_timer.start(intervalMs);
}

void DevicesFacade::refresh()
{
    if (!m_provider)
        return;
    m_provider(m_points);
    m_sos = int(std::count_if(m_points.begin(), m_points.end(), [](const DevicePoint &p) { return p.sos; }));
    // Tracks change slowly and cost a query each: every 5 s, for at most 20 devices in SOS.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_trackProvider && now - m_tracksAtMs >= 5000) {
        m_tracksAtMs = now;
        m_sosTracks.clear();
        for (const DevicePoint &p : m_points) {
            if (p.sos && m_sosTracks.size() < 20)
                m_sosTracks.push_back(m_trackProvider(p.source, p.timeMs - sosTrackMinutes * 60'000, p.timeMs));
        }
    }
    Q_EMIT updated();
}

} // namespace gwanje
