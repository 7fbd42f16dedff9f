#pragma once

// Private to the store: the event journal, an append-only file beside the database that makes a
// single critical event durable with one fdatasync (no SQLite transaction, no page writes). The
// store's writer folds the journaled events into SQLite in its normal group commits and starts a
// new generation of the journal once every record is in a durable commit; open() replays what a
// crash left behind. Thread-safe: any number of threads append, the writer resets.
//
// File format (little-endian), `<database>.events-journal`:
//   header, 32 bytes: magic "GWJRNL\r\n", u32 format version (1), u32 header size (32),
//                     u64 generation, u32 reserved (0), u32 CRC-32 of the 28 bytes before it
//   records from byte 32: u32 payload length, u32 CRC-32 of (u64 generation, payload), payload
//   (one event, see EventJournal.cpp). Each append also writes a zero length word after its last
//   record: the current generation always ends there, so older records further on (a reset reuses
//   the space) are never read. The CRC covers the generation for the same reason.
// The file is preallocated with zeros in 4 MiB chunks, so an append's fdatasync writes one page
// and never has to update the file's size; on a nearly full disk the chunks shrink to a sixteenth
// of the free space, down to none (preallocationFor()).

#include "events/Event.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <span>
#include <vector>

namespace gwanje {

class SourceDirectory;

namespace journal {
inline constexpr qint64 headerSize = 32;
inline constexpr qint64 chunkSize = qint64(4) << 20;
inline constexpr qint64 minChunk = qint64(64) << 10; // preallocation steps are multiples of this
inline constexpr quint32 maxPayload = quint32(16) << 20;

quint32 crc32(quint32 crc, const char *data, std::size_t size);
// One event's payload; the source is written as its string id, so a replay in a later process
// (whose SourceDirectory numbers sources differently) finds the same source.
void encodeEvent(QByteArray &out, const Event &e, const SourceDirectory &sources);
bool decodeEvent(const char *data, std::size_t size, SourceDirectory &sources, Event *e);
} // namespace journal

// What open() found in the journal.
struct JournalContents
{
    std::vector<Event> events; // the valid records of the current generation, in order
    bool damaged = false;      // reading ended at a damaged record (or header): a torn write, a flipped bit
    qint64 damagedAt = -1;     // its byte offset
    QString problem;           // English, when damaged
};

class EventJournal
{
public:
    explicit EventJournal(QString path);
    ~EventJournal();
    EventJournal(const EventJournal &) = delete;
    EventJournal &operator=(const EventJournal &) = delete;

    // Opens (creating it when missing) and reads the records of the current generation. New
    // records go after the last valid one until reset().
    bool open(SourceDirectory &sources, JournalContents *contents, QString *error);
    QString path() const { return m_path; }

    // Writes one record per event and returns once they are on disk. Concurrent callers share one
    // fdatasync (the first to find none running does it for everyone written so far). *written
    // tells whether the records reached the file (counted by appendsWritten()) even when the flush
    // failed. After a failed flush the journal takes no more records (the kernel may have dropped
    // the pages): appends fail until the store is reopened.
    bool append(std::span<const Event> events, const SourceDirectory &sources, bool *written, QString *error);

    // Starts a new generation when `folded(appends written so far)` says each of them is in a
    // durable database commit; called with the journal's lock held, so no append can slip in
    // between the check and the reset. Needs no fdatasync: the next append's flush carries the
    // new header, and until then a crash leaves the old generation, whose records are already in
    // the database (replaying them is a no-op). Returns true when it reset.
    bool resetIf(const std::function<bool(quint64 appendsWritten)> &folded);
    // Starts a new generation now and flushes it (after open() replayed the records).
    bool reset(QString *error);

    qint64 recordBytes() const; // in the current generation
    quint64 generation() const;
    quint64 flushes() const { return m_flushes.load(std::memory_order_relaxed); } // lock-free

private:
    bool writeAt(qint64 offset, const QByteArray &data, QString *error);
    bool syncData(QString *error);
    qint64 preallocationFor(qint64 needed) const;
    bool extendTo(qint64 size, QString *error);
    bool writeHeader(QString *error); // new generation header and an empty record list

    const QString m_path;
    QFile m_file;
    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_synced;
    QByteArray m_buffer;
    quint64 m_generation = 0;
    qint64 m_tail = journal::headerSize; // where the next record goes
    qint64 m_capacity = 0;               // bytes allocated (zeros beyond the tail)
    quint64 m_writtenSeq = 0;            // appends whose records are in the file
    quint64 m_syncedSeq = 0;             // appends flushed to disk
    bool m_syncing = false;              // a leader is in fdatasync (without the lock)
    bool m_usable = false;
    QString m_problem; // why it is not usable
    std::atomic<quint64> m_flushes{0};
};

} // namespace gwanje
