#include "PictureHealthSource.h"

#include "events/EventBus.h"

namespace gwanje {

PictureHealthSource::PictureHealthSource(std::shared_ptr<SourceDirectory> directory)
    : m_directory(std::move(directory))
{}

bool PictureHealthSource::start(EventBus &bus)
{
    std::lock_guard lock(m_mutex);
    m_bus = &bus;
    m_state = SourceState::Running;
    return true;
}

void PictureHealthSource::stop()
{
    std::lock_guard lock(m_mutex);
    m_bus = nullptr;
    m_state = SourceState::Stopped;
}

SourceStats PictureHealthSource::stats() const
{
    std::lock_guard lock(m_mutex);
    SourceStats s;
    s.state = m_state;
    s.produced = m_produced;
    s.finished = true; // nothing of its own to wait for: it reports what the screen sees
    return s;
}

bool PictureHealthSource::observe(const QString &cameraId, CameraState state, qint64 timeMs, double longitude,
                                 double latitude)
{
    std::lock_guard lock(m_mutex);
    if (!m_bus || cameraId.isEmpty())
        return false;
    const auto last = m_last.constFind(cameraId);
    if (last != m_last.constEnd() && *last == state)
        return false;
    m_last.insert(cameraId, state);
    Event e;
    e.kind = EventKind::CameraHealth;
    e.status = qint8(state);
    e.source = m_directory->intern(cameraId);
    e.sourceTimeMs = timeMs;
    e.receiveTimeMs = timeMs; // seen here, by us
    e.sourceEventId = 0; // none: the camera's own feed numbers its events, we do not
    e.longitude = longitude;
    e.latitude = latitude;
    m_bus->publish(e);
    ++m_produced;
    return true;
}

} // namespace gwanje
