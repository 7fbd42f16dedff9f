#pragma once

// Private to the notifier: its state, shared by the caller-side functions (GuardianNotifier.cpp)
// and the worker on its thread (NotifierWorker.cpp).

#include "GatewayPost_p.h"
#include "GuardianNotifier.h"
#include "NotificationStore_p.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace gwanje {

Q_DECLARE_LOGGING_CATEGORY(lcDispatch) // gwanje.core.dispatch: guardian notifications

namespace notification {
// A row's status in the `notifications` table.
inline const QString pending = QStringLiteral("pending");
inline const QString retrying = QStringLiteral("retrying");
inline const QString sent = QStringLiteral("sent");
inline const QString failed = QStringLiteral("failed");

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace notification

struct GuardianNotifier::Private
{
    using Key = std::pair<qint64, QString>; // alarm id, normalised phone number

    struct Entry
    {
        NotificationRecord record;
        bool durable = false; // its row is in the database
    };

    // What the worker needs to (re)send one notification.
    struct Job
    {
        Key key;
        QString recipient; // redacted
        QByteArray body;
        QByteArray idempotencyKey;
        int attempts = 0; // over every run
        int limit = 0;
        bool durable = false;
        QString lastError;
    };

    class Worker;

    NotificationConfig config;
    QString databasePath;
    QUrl url;
    NotificationStore store; // locks itself

    mutable std::mutex mutex; // guards everything below
    bool running = false;
    NotifierStatus status;
    NotifierCounters counters;
    // This run's notifications that are unfinished, or not in the database: the repeat guard that
    // works without touching the disk on the caller's thread.
    std::map<Key, Entry> entries;
    OutcomeCallback callback;
    QThread *thread = nullptr;
    Worker *worker = nullptr;
    std::thread purger; // the latest purgeFinished(); joined before the next and on destruction

    // Worker thread. The database half of an attempt or an outcome: true when the row was written
    // (inside the worker's transaction: see Worker::settle()).
    bool write(const Job &job, const QString &state, bool final);
    // The memory half, once the transaction committed (written) or not.
    NotificationRecord note(const Job &job, const QString &state, bool final, bool written);
    void writeFailed(const QString &error);
};

// Lives on the notifier's thread: the requests on the wire, the queue, the timers and the retry
// policy. Each turn of its loop ends in one settle(): what came in during the turn (new requests,
// answers) and the attempts about to go out are written in one transaction, then the attempts go.
class GuardianNotifier::Private::Worker : public QObject
{
public:
    explicit Worker(Private *d)
        : m_d(d)
    {}

    void begin(std::vector<Job> resumed);
    void accept(Job job);
    // Sends nothing more, waits for the answers to what is on the wire (each at most its timeout),
    // then quits the thread. Unfinished rows stay for the next start().
    void shutdown();

private:
    struct Active
    {
        Job job;
        GatewayPost *post = nullptr; // while on the wire
        QTimer *backoff = nullptr;   // made on the first retry
    };
    // An answer to record in the next settle().
    struct Answer
    {
        Key key;
        QString state;
        bool final = false;
    };
    using Iterator = std::map<Key, Active>::iterator;

    void enqueue(Job job);
    void schedule();
    void settle();
    void onReply(const Key &key, const GatewayReply &reply);
    void conclude(Iterator it, const QString &state, bool written);
    void finish();
    int backoffMs(int attempts) const;

    Private *m_d;
    std::map<Key, Active> m_active; // every unfinished notification the worker holds
    std::deque<Key> m_ready;        // waiting for room on the wire, in order
    std::vector<Job> m_accepted;    // handed over, not yet recorded
    std::vector<Answer> m_answers;  // answered, not yet recorded
    int m_onTheWire = 0;
    bool m_settleQueued = false;
    bool m_stopping = false;
    bool m_finished = false;
};

} // namespace gwanje
