#pragma once

#include "Source.h"
#include "events/Event.h"
#include "events/SourceDirectory.h"

#include <QHash>
#include <QString>

#include <memory>
#include <mutex>

namespace gwanje {

// Camera health as the console's own eyes see it: what a watched camera's picture says (the
// wall's tiles judge it: no picture, a frozen one, a moving one) becomes a CameraHealth event of
// that camera site, the same the fusion rules get from a camera's own health feed, with the same
// grace periods and outage grouping. One event per change of a camera's state. observe() is
// thread-safe; it publishes only between start() and stop().
class PictureHealthSource final : public Source
{
public:
    explicit PictureHealthSource(std::shared_ptr<SourceDirectory> directory);

    QString name() const override { return QStringLiteral("picture-health"); }
    bool start(EventBus &bus) override;
    void stop() override;
    SourceStats stats() const override;

    // The camera site `cameraId` (at lon/lat, NaN when unknown) shows `state` at `timeMs`.
    // Returns true when that was news and was published.
    bool observe(const QString &cameraId, CameraState state, qint64 timeMs, double longitude, double latitude);

private:
    std::shared_ptr<SourceDirectory> m_directory;
    mutable std::mutex m_mutex;
    EventBus *m_bus = nullptr;
    QHash<QString, CameraState> m_last; // what was last published per camera
    quint64 m_produced = 0;
    SourceState m_state = SourceState::Idle;
};

} // namespace gwanje
