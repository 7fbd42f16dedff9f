#pragma once

#include "ThreadedSource.h"

#include <QString>

#include <memory>

namespace gwanje {

class SourceDirectory;

// Replays a file of events, one JSON object per line (see EventJson.h), onto the bus. speed 0
// publishes as fast as the bus takes them; speed 1 keeps the gaps between source times (2 is
// twice as fast). Blank lines are skipped; malformed lines and unusable events (NaN or
// out-of-range coordinates, no time) are counted and listed with their line numbers. Runs on its
// own thread.
class NdjsonReplaySource final : public ThreadedSource
{
public:
    NdjsonReplaySource(QString path, std::shared_ptr<SourceDirectory> sources, double speed = 0.0);
    ~NdjsonReplaySource() override;

    QString name() const override;

private:
    bool prepare(QString *error) override;
    void run(EventBus &bus) override;

    QString m_path;
    std::shared_ptr<SourceDirectory> m_sources;
    double m_speed;
};

} // namespace gwanje
