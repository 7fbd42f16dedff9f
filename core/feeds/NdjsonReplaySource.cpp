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

bool NdjsonReplaySource::prepare(QString *error)
{
    if (QFileInfo(m_path).isFile())
        return true;
    *error = QStringLiteral("replay file not found: %1").arg(QDir::toNativeSeparators(m_path));
    return false;
}

void NdjsonReplaySource::run(EventBus &bus)
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        finish();
        fail(QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(m_path), file.errorString()));
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
        bus.waitForRoom(stopFlag()); // a file can wait for the store; memory stays bounded
        bus.publish(std::move(batch));
        batch.clear();
        countProduced(n);
    };
    // One buffer for every line: QIODevice::readLine(maxSize) allocates maxSize for each line.
    constexpr qint64 maxLine = qint64(1) << 20;
    QByteArray buffer(maxLine + 1, Qt::Uninitialized); // readLine() adds a terminating zero
    QByteArray line;
    const auto readLine = [&] {
        const qint64 n = file.readLine(buffer.data(), buffer.size());
        return QByteArrayView(buffer.constData(), std::max<qint64>(n, 0));
    };
    while (!stopping() && !file.atEnd()) {
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
                while (!stopping() && std::chrono::steady_clock::now() < due)
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
    if (stopping())
        return;
    finish();
    const SourceStats s = stats();
    qCInfo(lcFeed, "%s: %llu events replayed, %llu lines rejected", qUtf8Printable(QFileInfo(m_path).fileName()),
           static_cast<unsigned long long>(s.produced), static_cast<unsigned long long>(s.rejected));
}

} // namespace gwanje
