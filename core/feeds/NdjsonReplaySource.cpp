#include "NdjsonReplaySource.h"

#include "EventJson.h"
#include "Logging.h"
#include "events/EventBus.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <chrono>
#include <cstring>

namespace gwanje {

NdjsonReplaySource::NdjsonReplaySource(QString path, std::shared_ptr<SourceDirectory> sources, double speed)
    : m_path(std::move(path))
    , m_sources(std::move(sources))
    , m_speed(speed)
{}

NdjsonReplaySource::~NdjsonReplaySource()
{
    stop();
}

QString NdjsonReplaySource::name() const
{
    return QStringLiteral("replay:%1").arg(QFileInfo(m_path).fileName());
}

bool NdjsonReplaySource::start(EventBus &bus)
{
    if (!QFileInfo(m_path).isFile()) {
        std::lock_guard lock(m_mutex);
        m_stats.error = QStringLiteral("replay file not found: %1").arg(QDir::toNativeSeparators(m_path));
        qCWarning(lcFeed, "%s", qUtf8Printable(m_stats.error));
        return false;
    }
    m_stop = false;
    m_thread = std::thread([this, &bus] { run(bus); });
    return true;
}

void NdjsonReplaySource::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

SourceStats NdjsonReplaySource::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void NdjsonReplaySource::reject(qint64 line, const QString &reason)
{
    std::lock_guard lock(m_mutex);
    ++m_stats.rejected;
    if (m_stats.rejections.size() < maxListedRejections)
        m_stats.rejections.append({line, reason});
    if (m_stats.rejected <= 5)
        qCInfo(lcFeed, "%s line %lld rejected: %s", qUtf8Printable(QFileInfo(m_path).fileName()), line,
               qUtf8Printable(reason));
}

void NdjsonReplaySource::run(EventBus &bus)
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::lock_guard lock(m_mutex);
        m_stats.error = QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(m_path), file.errorString());
        m_stats.finished = true;
        qCWarning(lcFeed, "%s", qUtf8Printable(m_stats.error));
        return;
    }
    std::vector<Event> batch;
    qint64 lineNumber = 0;
    qint64 firstSourceMs = 0;
    const auto wallStart = std::chrono::steady_clock::now();
    auto publish = [&] {
        if (batch.empty())
            return;
        const std::size_t n = batch.size();
        bus.waitForRoom(m_stop); // a file can wait for the store; memory stays bounded
        bus.publish(std::move(batch));
        batch.clear();
        std::lock_guard lock(m_mutex);
        m_stats.produced += n;
    };
    // One buffer for every line: QIODevice::readLine(maxSize) allocates maxSize for each line.
    constexpr qint64 maxLine = qint64(1) << 20;
    QByteArray buffer(maxLine + 1, Qt::Uninitialized); // readLine() adds a terminating zero
    QByteArray line;
    const auto readLine = [&] {
        const qint64 n = file.readLine(buffer.data(), buffer.size());
        return QByteArrayView(buffer.constData(), std::max<qint64>(n, 0));
    };
    while (!m_stop && !file.atEnd()) {
        QByteArrayView read = readLine();
        ++lineNumber;
        if (!read.endsWith('\n') && !file.atEnd()) {
            // Longer than 1 MiB: skip the rest of it.
            while (!file.atEnd() && !readLine().endsWith('\n')) {
            }
            reject(lineNumber, QStringLiteral("line longer than 1 MiB"));
            continue;
        }
        read = read.trimmed();
        if (read.isEmpty())
            continue;
        line.resize(read.size()); // keeps its capacity
        std::memcpy(line.data(), read.data(), std::size_t(read.size()));
        auto parsed = EventJson::parse(line, *m_sources);
        if (auto *reason = std::get_if<QString>(&parsed)) {
            reject(lineNumber, *reason);
            continue;
        }
        Event e = std::get<Event>(std::move(parsed));
        if (m_speed > 0.0) {
            if (firstSourceMs == 0)
                firstSourceMs = e.sourceTimeMs;
            const auto due = wallStart + std::chrono::microseconds(
                                             qint64(double(e.sourceTimeMs - firstSourceMs) * 1000.0 / m_speed));
            if (due > std::chrono::steady_clock::now()) {
                publish();
                while (!m_stop && std::chrono::steady_clock::now() < due)
                    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                        due - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
            }
        }
        e.receiveTimeMs = QDateTime::currentMSecsSinceEpoch();
        batch.push_back(std::move(e));
        if (batch.size() >= 1000)
            publish();
    }
    publish();
    std::lock_guard lock(m_mutex);
    m_stats.finished = true;
    qCInfo(lcFeed, "%s: %llu events replayed, %llu lines rejected", qUtf8Printable(QFileInfo(m_path).fileName()),
           static_cast<unsigned long long>(m_stats.produced), static_cast<unsigned long long>(m_stats.rejected));
}

} // namespace gwanje
