#include "EventJournal_p.h"

#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#if defined(Q_OS_WIN)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <io.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace gwanje {

namespace journal {

namespace {

constexpr char magic[8] = {'G', 'W', 'J', 'R', 'N', 'L', '\r', '\n'};
constexpr quint32 formatVersion = 1;
// kind, quantity, status, reserved, count, source time, receive time, source event id, latitude,
// longitude, accuracy, speed, heading, battery, value; then u16 + source id, u32 + text (UTF-8).
constexpr std::size_t fixedPayload = 4 + 4 + 8 + 8 + 8 + 8 + 8 + 5 * 4;

constexpr std::array<quint32, 256> crcTable = [] {
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}();

template<typename T> void put(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToLittleEndian(value, bytes);
    out.append(bytes, qsizetype(sizeof(T)));
}

void putFloat(QByteArray &out, float v)
{
    quint32 bits;
    std::memcpy(&bits, &v, sizeof bits);
    put(out, bits);
}

void putDouble(QByteArray &out, double v)
{
    quint64 bits;
    std::memcpy(&bits, &v, sizeof bits);
    put(out, bits);
}

// Reads little-endian values from a payload; every read is bounds-checked.
struct Reader
{
    const char *data;
    std::size_t size;
    std::size_t at = 0;
    bool ok = true;

    template<typename T> T get()
    {
        if (!ok || size - at < sizeof(T)) {
            ok = false;
            return T{};
        }
        const T v = qFromLittleEndian<T>(data + at);
        at += sizeof(T);
        return v;
    }
    float getFloat()
    {
        const quint32 bits = get<quint32>();
        float v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    double getDouble()
    {
        const quint64 bits = get<quint64>();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }
    QString getText(std::size_t length)
    {
        if (!ok || size - at < length) {
            ok = false;
            return {};
        }
        const QString s = QString::fromUtf8(data + at, qsizetype(length));
        at += length;
        return s;
    }
};

quint32 recordCrc(quint64 generation, const char *payload, std::size_t size)
{
    char g[8];
    qToLittleEndian(generation, g);
    return crc32(crc32(0, g, sizeof g), payload, size);
}

} // namespace

quint32 crc32(quint32 crc, const char *data, std::size_t size)
{
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i)
        crc = crcTable[(crc ^ quint8(data[i])) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void encodeEvent(QByteArray &out, const Event &e, const SourceDirectory &sources)
{
    const QByteArray id = sources.id(e.source).toUtf8().left(0xffff);
    const QByteArray text = e.text.toUtf8();
    out.reserve(out.size() + qsizetype(fixedPayload) + 6 + id.size() + text.size());
    put(out, quint8(e.kind));
    put(out, quint8(e.quantity));
    put(out, e.status);
    put(out, quint8(0));
    put(out, e.count);
    put(out, e.sourceTimeMs);
    put(out, e.receiveTimeMs);
    put(out, e.sourceEventId);
    putDouble(out, e.latitude);
    putDouble(out, e.longitude);
    for (float v : {e.accuracy, e.speed, e.heading, e.battery, e.value})
        putFloat(out, v);
    put(out, quint16(id.size()));
    out.append(id);
    put(out, quint32(text.size()));
    out.append(text);
}

bool decodeEvent(const char *data, std::size_t size, SourceDirectory &sources, Event *e)
{
    Reader r{data, size};
    e->kind = EventKind(r.get<quint8>());
    e->quantity = Quantity(r.get<quint8>());
    e->status = r.get<qint8>();
    r.get<quint8>();
    e->count = r.get<qint32>();
    e->sourceTimeMs = r.get<qint64>();
    e->receiveTimeMs = r.get<qint64>();
    e->sourceEventId = r.get<quint64>();
    e->latitude = r.getDouble();
    e->longitude = r.getDouble();
    e->accuracy = r.getFloat();
    e->speed = r.getFloat();
    e->heading = r.getFloat();
    e->battery = r.getFloat();
    e->value = r.getFloat();
    const QString id = r.getText(r.get<quint16>());
    e->text = r.getText(r.get<quint32>());
    if (!r.ok || r.at != size)
        return false;
    e->source = sources.intern(id);
    return true;
}

} // namespace journal

using namespace journal;

EventJournal::EventJournal(QString path)
    : m_path(std::move(path))
{}

EventJournal::~EventJournal() = default;

bool EventJournal::open(SourceDirectory &sources, JournalContents *contents, QString *error)
{
    std::lock_guard lock(m_mutex);
    const QString shownPath = QDir::toNativeSeparators(m_path);
    m_file.setFileName(m_path);
    if (QFileInfo(m_path).isDir() || !m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        *error =
            QStringLiteral("cannot open the event journal %1: %2")
                .arg(shownPath, QFileInfo(m_path).isDir() ? QStringLiteral("it is a folder") : m_file.errorString());
        m_problem = *error;
        return false;
    }
    const QByteArray data = m_file.readAll();
    if (m_file.error() != QFileDevice::NoError) {
        *error = QStringLiteral("cannot read the event journal %1: %2").arg(shownPath, m_file.errorString());
        m_problem = *error;
        m_file.close();
        return false;
    }
    m_capacity = data.size();
    m_usable = true;
    const char *bytes = data.constData();
    const bool headerOk = data.size() >= headerSize && std::memcmp(bytes, magic, sizeof magic) == 0 &&
                          qFromLittleEndian<quint32>(bytes + 8) == formatVersion &&
                          qFromLittleEndian<quint32>(bytes + 12) == quint32(headerSize) &&
                          qFromLittleEndian<quint32>(bytes + 28) == crc32(0, bytes, 28);
    if (!headerOk) {
        if (!data.isEmpty()) {
            contents->damaged = true;
            contents->damagedAt = 0;
            contents->problem = QStringLiteral("the header is damaged");
        }
        // A generation no stale record can carry: the records of a damaged file are unreadable.
        m_generation = quint64(QDateTime::currentMSecsSinceEpoch());
        if (!extendTo(std::max(m_capacity, preallocationFor(headerSize + 4)), error) || !writeHeader(error) ||
            !syncData(error)) {
            m_problem = *error;
            m_usable = false;
            return false;
        }
        return true;
    }
    m_generation = qFromLittleEndian<quint64>(bytes + 16);
    qint64 at = headerSize;
    while (at < data.size()) {
        const qint64 left = data.size() - at;
        QString problem;
        quint32 length = 0;
        if (left >= 4)
            length = qFromLittleEndian<quint32>(bytes + at);
        else if (std::any_of(bytes + at, bytes + data.size(), [](char c) { return c != 0; }))
            problem = QStringLiteral("a record is cut short");
        if (length == 0 && problem.isEmpty())
            break; // the end of this generation
        Event e;
        if (problem.isEmpty() && (length > maxPayload || left < 8 || qint64(length) > left - 8))
            problem = QStringLiteral("a record is cut short");
        if (problem.isEmpty() &&
            qFromLittleEndian<quint32>(bytes + at + 4) != recordCrc(m_generation, bytes + at + 8, length))
            problem = QStringLiteral("a record fails its checksum");
        if (problem.isEmpty() && !decodeEvent(bytes + at + 8, length, sources, &e))
            problem = QStringLiteral("a record cannot be read as an event");
        if (!problem.isEmpty()) {
            contents->damaged = true;
            contents->damagedAt = at;
            contents->problem = problem;
            break;
        }
        contents->events.push_back(std::move(e));
        at += 8 + qint64(length);
    }
    m_tail = at;
    // Appends write a terminator after their records; room for it and the first chunk up front.
    if (m_capacity < m_tail + 4 + minChunk && !extendTo(preallocationFor(m_tail + 4), error)) {
        m_problem = *error;
        m_usable = false;
        return false;
    }
    return true;
}

bool EventJournal::append(std::span<const Event> events, const SourceDirectory &sources, bool *written, QString *error)
{
    *written = false;
    std::unique_lock lock(m_mutex);
    if (!m_usable) {
        *error = m_problem;
        return false;
    }
    m_buffer.clear();
    QByteArray payload;
    for (const Event &e : events) {
        payload.clear();
        encodeEvent(payload, e, sources);
        put(m_buffer, quint32(payload.size()));
        put(m_buffer, recordCrc(m_generation, payload.constData(), std::size_t(payload.size())));
        m_buffer.append(payload);
    }
    const qint64 end = m_tail + m_buffer.size();
    put(m_buffer, quint32(0)); // the end of the generation
    if (end + 4 > m_capacity && !extendTo(preallocationFor(end + 4), error))
        return false;
    if (!writeAt(m_tail, m_buffer, error))
        return false; // the tail stays: the next append overwrites whatever got there
    m_tail = end;
    const quint64 mine = ++m_writtenSeq;
    *written = true;
    while (m_syncedSeq < mine) {
        if (!m_usable) {
            *error = m_problem;
            return false;
        }
        if (m_syncing) {
            m_synced.wait(lock);
            continue;
        }
        // Leader: one flush for every record written so far, others wait for it.
        m_syncing = true;
        const quint64 target = m_writtenSeq;
        lock.unlock();
        QString problem;
        const bool ok = syncData(&problem);
        m_flushes.fetch_add(1, std::memory_order_relaxed);
        lock.lock();
        m_syncing = false;
        if (ok) {
            m_syncedSeq = target;
        } else {
            m_usable = false;
            m_problem = problem;
        }
        m_synced.notify_all();
    }
    return true;
}

bool EventJournal::resetIf(const std::function<bool(quint64)> &folded)
{
    std::lock_guard lock(m_mutex);
    if (!m_usable || m_tail == headerSize || !folded(m_writtenSeq))
        return false;
    QString error;
    ++m_generation;
    if (!writeHeader(&error)) {
        // What the header says now is unknown: appends under it could be unreadable later.
        m_usable = false;
        m_problem = error;
        return false;
    }
    return true;
}

bool EventJournal::reset(QString *error)
{
    std::lock_guard lock(m_mutex);
    if (!m_usable) {
        *error = m_problem;
        return false;
    }
    ++m_generation;
    if (!writeHeader(error) || !syncData(error)) {
        m_usable = false;
        m_problem = *error;
        return false;
    }
    return true;
}

qint64 EventJournal::recordBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_tail - headerSize;
}

quint64 EventJournal::generation() const
{
    std::lock_guard lock(m_mutex);
    return m_generation;
}

bool EventJournal::writeHeader(QString *error)
{
    QByteArray header;
    header.append(magic, sizeof magic);
    put(header, formatVersion);
    put(header, quint32(headerSize));
    put(header, m_generation);
    put(header, quint32(0));
    put(header, crc32(0, header.constData(), std::size_t(header.size())));
    put(header, quint32(0)); // no records yet
    if (!writeAt(0, header, error))
        return false;
    m_tail = headerSize;
    return true;
}

// The size to extend to so that `needed` bytes fit: whole chunks of up to 4 MiB, but never more
// than a sixteenth of the space left on the file system: on a nearly full disk the database needs
// that space more than the journal needs its flushes to skip a size update. With less than a
// minimal chunk to spare, exactly what is needed (an append that grows the file, as any log does).
qint64 EventJournal::preallocationFor(qint64 needed) const
{
    qint64 chunk = chunkSize;
    const QStorageInfo volume(QFileInfo(m_path).absolutePath());
    if (volume.isValid() && volume.bytesAvailable() >= 0)
        chunk = std::min(chunk, (volume.bytesAvailable() / 16) / minChunk * minChunk);
    if (chunk < minChunk)
        return std::max(m_capacity, needed);
    return std::max(m_capacity, (needed + chunk - 1) / chunk * chunk);
}

bool EventJournal::extendTo(qint64 size, QString *error)
{
    // Real zeros, not a hole or fallocate's unwritten extents: writing into either would make
    // each append's fdatasync update file system metadata.
    const QByteArray zeros(64 * 1024, '\0');
    for (qint64 at = m_capacity; at < size; at += zeros.size()) {
        if (!writeAt(at, zeros.left(qsizetype(std::min<qint64>(zeros.size(), size - at))), error))
            return false;
    }
    if (!syncData(error))
        return false; // the size may be unknown on disk: extend again next time
    m_capacity = std::max(m_capacity, size);
    return true;
}

bool EventJournal::writeAt(qint64 offset, const QByteArray &data, QString *error)
{
#if defined(Q_OS_WIN)
    if (!m_file.seek(offset) || m_file.write(data) != data.size()) {
        *error = QStringLiteral("cannot write the event journal %1: %2")
                     .arg(QDir::toNativeSeparators(m_path), m_file.errorString());
        return false;
    }
    return true;
#else
    const int fd = m_file.handle();
    const char *p = data.constData();
    std::size_t left = std::size_t(data.size());
    while (left > 0) {
        const ssize_t n = ::pwrite(fd, p, left, off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = QStringLiteral("cannot write the event journal %1: %2")
                         .arg(QDir::toNativeSeparators(m_path),
                              QString::fromLocal8Bit(std::strerror(n < 0 ? errno : ENOSPC)));
            return false;
        }
        p += n;
        left -= std::size_t(n);
        offset += n;
    }
    return true;
#endif
}

bool EventJournal::syncData(QString *error)
{
#if defined(Q_OS_WIN)
    const bool ok = FlushFileBuffers(reinterpret_cast<HANDLE>(_get_osfhandle(m_file.handle())));
    const QString reason = ok ? QString() : QStringLiteral("error %1").arg(GetLastError());
#else
#if defined(Q_OS_DARWIN)
    const bool ok = ::fcntl(m_file.handle(), F_FULLFSYNC) == 0; // fsync alone leaves it in the drive's cache
#elif defined(Q_OS_LINUX)
    const bool ok = ::fdatasync(m_file.handle()) == 0;
#else
    const bool ok = ::fsync(m_file.handle()) == 0;
#endif
    const QString reason = ok ? QString() : QString::fromLocal8Bit(std::strerror(errno));
#endif
    if (!ok)
        *error = QStringLiteral("cannot flush the event journal %1 to disk: %2")
                     .arg(QDir::toNativeSeparators(m_path), reason);
    return ok;
}

} // namespace gwanje
