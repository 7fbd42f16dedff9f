#pragma once

#include "Source.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace gwanje {

// What every source that runs on a thread of its own needs, once: the thread, its stop flag, the
// statistics and their lock, the state. A subclass says what to check before the thread starts
// (prepare()) and what the thread does (run(): return when stopping() says so or when there is
// nothing more, calling finish() if it ran to the end). The simulator and the NDJSON replay are
// two; the MQTT feed and the camera health source will be more.
class ThreadedSource : public Source
{
public:
    static constexpr int maxListedRejections = 1000;

    // Stops the thread. A subclass whose run() uses its own members must call stop() in its own
    // destructor, before they go.
    ~ThreadedSource() override;

    bool start(EventBus &bus) final;
    void stop() final;
    SourceStats stats() const final;

protected:
    // Before the thread starts: false with an English *error when the source cannot run at all.
    virtual bool prepare(QString *error);
    virtual void run(EventBus &bus) = 0;

    bool stopping() const { return m_stop.load(std::memory_order_relaxed); }
    const std::atomic<bool> &stopFlag() const { return m_stop; } // for EventBus::waitForRoom
    void countProduced(quint64 events);
    // Malformed or unusable input: counted, the first maxListedRejections listed with where and
    // why, the first few logged.
    void reject(qint64 line, const QString &reason);
    void finish();                   // a finite source published everything
    void fail(const QString &error); // it cannot go on (logged)

private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex; // guards m_stats
    SourceStats m_stats;
};

} // namespace gwanje
