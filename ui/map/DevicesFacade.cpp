#include "DevicesFacade.h"

#include "QmlSingleton_p.h"
#include "UiLogging.h"

#include <QDateTime>
#include <QPointer>
#include <QThreadPool>

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
    m_statusChanges.clear();
    if (m_statusProvider)
        m_statusVersion = m_statusProvider(m_statusVersion, m_statusChanges);
    m_sos = int(std::count_if(m_points.begin(), m_points.end(), [](const DevicePoint &p) { return p.sos; }));
    // Tracks change slowly and cost a query each: every 5 s, for at most 20 devices in SOS.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_trackProvider && !m_tracksBusy && now - m_tracksAtMs >= 5000) {
        m_tracksAtMs = now;
        std::vector<TrackRequest> wanted;
        for (const DevicePoint &p : m_points) {
            if (p.sos && wanted.size() < 20)
                wanted.push_back({p.source, p.timeMs - sosTrackMinutes * 60'000, p.timeMs});
        }
        if (wanted.empty())
            m_sosTracks.clear();
        else
            refreshTracks(std::move(wanted));
    }
    if (m_heatWanted && now - m_heatAtMs >= 10'000) {
        qint64 newest = 0;
        for (const DevicePoint &p : m_points)
            newest = std::max(newest, p.timeMs);
        refreshHeat(newest > 0 ? newest : now);
    }
    Q_EMIT updated();
}

void DevicesFacade::refreshTracks(std::vector<TrackRequest> wanted)
{
    // The store's queries run on a worker thread, one round at a time; the map gets the tracks
    // with the next updated().
    m_tracksBusy = true;
    QPointer<DevicesFacade> self(this);
    QThreadPool::globalInstance()->start([self, provider = m_trackProvider, wanted = std::move(wanted)] {
        std::vector<std::vector<QPointF>> tracks;
        for (const TrackRequest &r : wanted)
            tracks.push_back(provider(r.source, r.fromMs, r.toMs));
        QMetaObject::invokeMethod(
            self.data(),
            [self, tracks = std::move(tracks)]() mutable {
                if (!self)
                    return;
                self->m_tracksBusy = false;
                self->m_sosTracks = std::move(tracks);
                Q_EMIT self->updated();
            },
            Qt::QueuedConnection);
    });
}

void DevicesFacade::setHeatWanted(bool wanted)
{
    if (m_heatWanted == wanted)
        return;
    m_heatWanted = wanted;
    m_heatAtMs = 0;
    if (wanted)
        refresh();
}

void DevicesFacade::refreshHeat(qint64 nowMs)
{
    // The store's query runs on a worker thread; one at a time.
    if (!m_heatProvider || m_heatBusy)
        return;
    m_heatBusy = true;
    m_heatAtMs = QDateTime::currentMSecsSinceEpoch();
    QPointer<DevicesFacade> self(this);
    QThreadPool::globalInstance()->start([self, provider = m_heatProvider, nowMs] {
        std::vector<HeatPoint> heat = provider(nowMs - heatWindowMinutes * 60'000, nowMs);
        QMetaObject::invokeMethod(
            self.data(),
            [self, heat = std::move(heat)]() mutable {
                if (!self)
                    return;
                self->m_heatBusy = false;
                self->m_heat = std::move(heat);
                ++self->m_heatGeneration;
                Q_EMIT self->heatUpdated();
            },
            Qt::QueuedConnection);
    });
}

} // namespace gwanje
