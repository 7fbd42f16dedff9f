#pragma once

#include "Source.h"

#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace gwanje {

class SourceDirectory;

// Replays a file of events, one JSON object per line (see EventJson.h), onto the bus. speed 0
// publishes as fast as the bus takes them; speed 1 keeps the gaps between source times (2 is
// twice as fast). Blank lines are skipped; malformed lines and unusable events (NaN or
// out-of-range coordinates, no time) are counted and listed with their line numbers. Runs on its
// own thread.
class NdjsonReplaySource final : public Source
{
public:
    static constexpr int maxListedRejections = 1000;

    NdjsonReplaySource(QString path, std::shared_ptr<SourceDirectory> sources, double speed = 0.0);
    ~NdjsonReplaySource() override;

    QString name() const override;
    bool start(EventBus &bus) override;
    void stop() override;
    SourceStats stats() const override;

private:
    void run(EventBus &bus);
    void reject(qint64 line, const QString &reason);

    QString m_path;
    std::shared_ptr<SourceDirectory> m_sources;
    double m_speed;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    SourceStats m_stats;
};

} // namespace gwanje
