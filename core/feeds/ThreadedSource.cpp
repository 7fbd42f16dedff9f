#include "ThreadedSource.h"

#include "Logging.h"

namespace gwanje {

ThreadedSource::~ThreadedSource()
{
    stop();
}

bool ThreadedSource::prepare(QString *)
{
    return true;
}

bool ThreadedSource::start(EventBus &bus)
{
    if (m_thread.joinable())
        return true; // running already
    QString error;
    if (!prepare(&error)) {
        fail(error);
        return false;
    }
    m_stop = false;
    {
        std::lock_guard lock(m_mutex);
        m_stats.state = SourceState::Running;
    }
    m_thread = std::thread([this, &bus] {
        run(bus);
        std::lock_guard lock(m_mutex);
        if (m_stats.state == SourceState::Running)
            m_stats.state = m_stop ? SourceState::Stopped : SourceState::Finished;
    });
    return true;
}

void ThreadedSource::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

SourceStats ThreadedSource::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void ThreadedSource::countProduced(quint64 events)
{
    std::lock_guard lock(m_mutex);
    m_stats.produced += events;
}

void ThreadedSource::reject(qint64 line, const QString &reason)
{
    std::lock_guard lock(m_mutex);
    ++m_stats.rejected;
    if (m_stats.rejections.size() < maxListedRejections)
        m_stats.rejections.append({line, reason});
    if (m_stats.rejected <= 5)
        qCInfo(lcFeed, "%s line %lld rejected: %s", qUtf8Printable(name()), line, qUtf8Printable(reason));
}

void ThreadedSource::finish()
{
    std::lock_guard lock(m_mutex);
    m_stats.finished = true;
    m_stats.state = SourceState::Finished;
}

void ThreadedSource::fail(const QString &error)
{
    qCWarning(lcFeed, "%s: %s", qUtf8Printable(name()), qUtf8Printable(error));
    std::lock_guard lock(m_mutex);
    m_stats.error = error;
    m_stats.state = SourceState::Failed;
}

} // namespace gwanje
