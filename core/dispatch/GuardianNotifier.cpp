#include "GuardianNotifier.h"

#include "GatewayMessage_p.h"
#include "GatewayPost_p.h"
#include "NotificationStore_p.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QtNetwork/qtnetworkglobal.h> // QT_CONFIG(ssl)
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

namespace gwanje {

namespace {
// Private to this file: equal category symbols in two objects of a static library would merge
// silently, and the other one's name would win.
Q_LOGGING_CATEGORY(lcDispatch, "gwanje.core.dispatch", QtInfoMsg)

const QString pending = QStringLiteral("pending");
const QString retrying = QStringLiteral("retrying");
const QString sent = QStringLiteral("sent");
const QString failed = QStringLiteral("failed");

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString redact(const QString &phone)
{
    return GuardianContact{{}, phone}.redacted();
}

// The gateway as log lines and reasons name it: a token or credentials may hide in the path,
// the query or the user info, so none of them.
QString gatewayName(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

bool tlsAvailable()
{
#if QT_CONFIG(ssl)
    return QSslSocket::supportsSsl();
#else
    return false;
#endif
}

} // namespace

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

    // Worker thread. The database half of an attempt or an outcome: true when the row was written
    // (inside the worker's transaction: see Worker::settle()).
    bool write(const Job &job, const QString &state, bool final);
    // The memory half, once the transaction committed (written) or not.
    NotificationRecord note(const Job &job, const QString &state, bool final, bool written);
    void writeFailed(const QString &error);
};

namespace {
// At most this many requests on the wire at once; the others wait in the worker's queue, where no
// timeout runs. A gateway slow under load answers a few requests sooner than hundreds at once.
constexpr int maxOnTheWire = 4;
} // namespace

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

bool GuardianNotifier::Private::write(const Job &job, const QString &state, bool final)
{
    if (!job.durable)
        return false;
    QString error;
    if (store.update(job.key.first, job.key.second, state, job.attempts, nowMs(), job.lastError, final, &error))
        return true;
    writeFailed(error);
    return false;
}

NotificationRecord GuardianNotifier::Private::note(const Job &job, const QString &state, bool final, bool written)
{
    const NotificationRecord r{job.key.first, job.recipient, state, job.attempts, nowMs(), job.lastError};
    std::lock_guard lock(mutex);
    if (written && status.code == QLatin1String("write_failed")) {
        status.durable = true;
        status.code.clear();
        status.detail.clear();
    }
    if (final) {
        --counters.pending;
        ++(state == sent ? counters.sent : counters.failed);
    }
    // A finished row in the database guards against a repeat from there; memory keeps the rest.
    if (final && written)
        entries.erase(job.key);
    else
        entries[job.key] = {r, written};
    return r;
}

void GuardianNotifier::Private::writeFailed(const QString &error)
{
    qCWarning(lcDispatch, "notification record not written: %s", qUtf8Printable(error));
    std::lock_guard lock(mutex);
    status.durable = false;
    status.category = ErrorCategory::Transient;
    status.code = QStringLiteral("write_failed");
    status.detail = error;
}

void GuardianNotifier::Private::Worker::begin(std::vector<Job> resumed)
{
    for (Job &job : resumed)
        enqueue(std::move(job));
    schedule();
}

void GuardianNotifier::Private::Worker::accept(Job job)
{
    // Recorded in the next settle(), with every other request of this burst: one flush for all.
    m_accepted.push_back(std::move(job));
    schedule();
}

void GuardianNotifier::Private::Worker::enqueue(Job job)
{
    const Key key = job.key;
    const auto [it, inserted] = m_active.try_emplace(key);
    if (!inserted)
        return; // notify() and start() hand each key over once; never two in flight
    it->second.job = std::move(job);
    m_ready.push_back(key);
}

void GuardianNotifier::Private::Worker::schedule()
{
    if (m_settleQueued || m_finished)
        return;
    m_settleQueued = true;
    // Queued behind what this turn of the loop already holds (the rest of a burst of notify() calls).
    QMetaObject::invokeMethod(
        this, [this] { settle(); }, Qt::QueuedConnection);
}

void GuardianNotifier::Private::Worker::settle()
{
    m_settleQueued = false;
    if (m_finished)
        return;
    const std::vector<Job> accepted = std::exchange(m_accepted, {});
    const std::vector<Answer> answers = std::exchange(m_answers, {});
    const bool room = !m_stopping && m_onTheWire < maxOnTheWire && !(m_ready.empty() && accepted.empty());
    QString error;
    const bool batch =
        m_d->store.isOpen() && (!accepted.empty() || !answers.empty() || room) && m_d->store.begin(&error);

    // New requests: a row each before anything is sent.
    std::vector<Job> duplicates;
    for (Job job : accepted) {
        if (m_d->store.isOpen()) {
            StoredNotification existing;
            switch (m_d->store.insertPending(job.key.first, job.key.second, job.body, nowMs(), &existing, &error)) {
            case NotificationStore::Insert::Inserted:
                job.durable = true;
                break;
            case NotificationStore::Insert::Exists:
                // An earlier run took this one: it was sent, failed, or is someone else's to resume.
                qCDebug(lcDispatch, "alarm %lld: %s already %s", job.key.first, qUtf8Printable(job.recipient),
                        qUtf8Printable(existing.status));
                duplicates.push_back(std::move(job));
                continue;
            case NotificationStore::Insert::Failed:
                // Sent all the same: a guardian told twice after a restart beats one never told.
                m_d->writeFailed(error);
                break;
            }
        }
        enqueue(std::move(job));
    }
    // The answers of this turn.
    std::vector<bool> answered;
    for (const Answer &a : answers)
        answered.push_back(m_d->write(m_active.at(a.key).job, a.state, a.final));
    // The attempts about to go out, each on record before it leaves, so a crash mid-POST still counts
    // it; counted here, where they go on the wire, not where they wait.
    std::vector<std::pair<Key, bool>> sends;
    while (!m_stopping && m_onTheWire + int(sends.size()) < maxOnTheWire && !m_ready.empty()) {
        const Key key = m_ready.front();
        m_ready.pop_front();
        Job &job = m_active.at(key).job;
        ++job.attempts;
        sends.emplace_back(key, m_d->write(job, job.attempts == 1 ? pending : retrying, false));
    }
    if (batch && !m_d->store.commit(&error)) {
        m_d->writeFailed(error);
        std::fill(answered.begin(), answered.end(), false);
        for (auto &[key, written] : sends)
            written = false;
    }

    if (!duplicates.empty()) {
        std::lock_guard lock(m_d->mutex);
        for (const Job &job : duplicates) {
            m_d->entries.erase(job.key);
            --m_d->counters.pending;
            ++m_d->counters.duplicates;
        }
    }
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const Answer &a = answers[i];
        const auto it = m_active.find(a.key);
        if (a.final) {
            conclude(it, a.state, answered[i]);
            continue;
        }
        Active &active = it->second;
        m_d->note(active.job, a.state, false, answered[i]);
        if (m_stopping) {
            qCInfo(lcDispatch, "alarm %lld: %s not reached (%s), attempt %d of %d; left for the next start",
                   a.key.first, qUtf8Printable(active.job.recipient), qUtf8Printable(active.job.lastError),
                   active.job.attempts, active.job.limit);
            continue;
        }
        const int delay = backoffMs(active.job.attempts);
        qCInfo(lcDispatch, "alarm %lld: %s not reached (%s), attempt %d of %d; next in %d ms", a.key.first,
               qUtf8Printable(active.job.recipient), qUtf8Printable(active.job.lastError), active.job.attempts,
               active.job.limit, delay);
        if (!active.backoff) {
            active.backoff = new QTimer(this);
            active.backoff->setSingleShot(true);
            connect(active.backoff, &QTimer::timeout, this, [this, key = a.key] {
                m_ready.push_back(key);
                schedule();
            });
        }
        active.backoff->start(delay);
    }
    for (const auto &[key, written] : sends) {
        Active &active = m_active.at(key);
        m_d->note(active.job, active.job.attempts == 1 ? pending : retrying, false, written);
        if (active.job.attempts > 1) {
            std::lock_guard lock(m_d->mutex);
            ++m_d->counters.retries;
        }
        qCDebug(lcDispatch, "alarm %lld: notifying %s, attempt %d", key.first, qUtf8Printable(active.job.recipient),
                active.job.attempts);
        active.post = new GatewayPost(
            m_d->url, active.job.idempotencyKey, active.job.body, m_d->config.timeoutMs,
            [this, key](const GatewayReply &reply) { onReply(key, reply); }, this);
        ++m_onTheWire;
        active.post->start();
    }
    if (m_stopping && m_onTheWire == 0)
        finish();
}

void GuardianNotifier::Private::Worker::onReply(const Key &key, const GatewayReply &reply)
{
    const auto it = m_active.find(key);
    if (it == m_active.end() || !it->second.post)
        return;
    Active &a = it->second;
    a.post->deleteLater(); // we are inside its report
    a.post = nullptr;
    --m_onTheWire;
    Answer answer{key, retrying, false};
    if (reply.http >= 200 && reply.http < 300) {
        // Delivered: whatever happens next (a timeout, a closed connection, a stop), never again.
        a.job.lastError.clear();
        answer = {key, sent, true};
    } else {
        bool retry = true;
        if (reply.http > 0) {
            a.job.lastError = QStringLiteral("HTTP %1").arg(reply.http);
            // A busy or broken gateway may recover; a request it refuses will be refused again.
            retry = reply.http == 429 || reply.http >= 500;
        } else {
            a.job.lastError = reply.error;
        }
        if (!retry || a.job.attempts >= a.job.limit)
            answer = {key, failed, true};
    }
    m_answers.push_back(std::move(answer));
    schedule();
}

void GuardianNotifier::Private::Worker::conclude(Iterator it, const QString &state, bool written)
{
    const Job job = std::move(it->second.job);
    if (it->second.backoff)
        it->second.backoff->deleteLater();
    m_active.erase(it);
    const NotificationRecord r = m_d->note(job, state, true, written);
    if (state == sent)
        qCInfo(lcDispatch, "alarm %lld: %s notified (attempt %d)", r.alarmId, qUtf8Printable(r.recipient), r.attempts);
    else
        qCWarning(lcDispatch, "alarm %lld: %s could not be notified after %d attempt(s): %s", r.alarmId,
                  qUtf8Printable(r.recipient), r.attempts, qUtf8Printable(r.error));
    OutcomeCallback callback;
    {
        std::lock_guard lock(m_d->mutex);
        callback = m_d->callback;
    }
    if (callback)
        callback(r);
}

int GuardianNotifier::Private::Worker::backoffMs(int attempts) const
{
    const NotificationConfig &c = m_d->config;
    qint64 base = c.initialBackoffMs;
    for (int i = 1; i < attempts && base < c.maxBackoffMs; ++i)
        base *= 2;
    base = std::min<qint64>(base, c.maxBackoffMs);
    // Up to a tenth less, so notifications that failed together (the gateway was down) do not all
    // come back in the same millisecond; never more than the cap.
    const qint64 jitter = base > 0 ? QRandomGenerator::global()->bounded(base / 10 + 1) : 0;
    return int(base - jitter);
}

void GuardianNotifier::Private::Worker::shutdown()
{
    m_stopping = true;
    for (auto &[key, a] : m_active) {
        if (a.backoff)
            a.backoff->stop();
    }
    m_ready.clear();
    settle(); // records what came in; finishes now, or after the last answer on the wire
}

void GuardianNotifier::Private::Worker::finish()
{
    m_finished = true;
    // Recorded ones stay pending for the next start(); the others would be lost without a word.
    std::vector<Key> memoryOnly;
    for (const auto &[key, a] : m_active) {
        if (!a.job.durable)
            memoryOnly.push_back(key);
    }
    for (const Key &key : memoryOnly) {
        const auto it = m_active.find(key);
        it->second.job.lastError = QStringLiteral("stopped before delivery");
        conclude(it, failed, false);
    }
    m_active.clear();
    thread()->quit();
}

GuardianNotifier::GuardianNotifier(NotificationConfig config, QString databasePath)
    : d(std::make_unique<Private>())
{
    d->config = std::move(config);
    d->databasePath = std::move(databasePath);
}

GuardianNotifier::~GuardianNotifier()
{
    stop();
}

bool GuardianNotifier::start()
{
    {
        std::lock_guard lock(d->mutex);
        if (d->running)
            return true;
    }
    const NotificationConfig &c = d->config;
    auto refuse = [this](ErrorCategory category, const char *code, const QString &detail) {
        std::lock_guard lock(d->mutex);
        d->status = {false, false, category, QString::fromLatin1(code), detail};
        return false;
    };
    const QString text = c.url.trimmed();
    if (text.isEmpty()) {
        qCInfo(lcDispatch, "guardian notifications are off: no SMS gateway URL configured");
        return refuse(ErrorCategory::BadInput, "no_url", QStringLiteral("no SMS gateway URL is configured"));
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        // The URL itself stays out of the reason: it may carry the gateway's access token.
        const QString why = QStringLiteral("the SMS gateway URL is not a valid http:// or https:// URL");
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::BadInput, "bad_url", why);
    }
    if (scheme == QLatin1String("https") && !tlsAvailable()) {
        const QString why = QStringLiteral("the SMS gateway URL needs TLS, which this Qt has no backend for");
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::Fatal, "no_tls", why);
    }
    if (c.maxAttempts < 1 || c.initialBackoffMs < 0 || c.maxBackoffMs < c.initialBackoffMs || c.timeoutMs <= 0) {
        const QString why = QStringLiteral("notification settings out of range: maxAttempts %1, initialBackoffMs %2, "
                                           "maxBackoffMs %3, timeoutMs %4")
                                .arg(c.maxAttempts)
                                .arg(c.initialBackoffMs)
                                .arg(c.maxBackoffMs)
                                .arg(c.timeoutMs);
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::BadInput, "bad_config", why);
    }
    d->url = url;

    NotifierStatus status{true, false, ErrorCategory::Fatal, {}, {}};
    std::vector<Private::Job> resumed;
    if (!d->databasePath.isEmpty()) {
        if (!d->store.isOpen() && !d->store.open(d->databasePath, &status.code, &status.detail))
            qCWarning(lcDispatch, "notification database unavailable (%s): %s; notifications are kept in memory",
                      qUtf8Printable(status.code), qUtf8Printable(status.detail));
        QString error;
        const auto rows = d->store.isOpen() ? d->store.unfinished(&error) : std::nullopt;
        if (d->store.isOpen() && !rows) {
            status.code = QStringLiteral("read_failed");
            status.detail = error;
            qCWarning(lcDispatch, "unfinished notifications not read: %s", qUtf8Printable(error));
        }
        status.durable = rows.has_value();
        for (const StoredNotification &row : rows.value_or(std::vector<StoredNotification>())) {
            Private::Job job;
            job.key = {row.alarmId, row.recipient};
            job.recipient = redact(row.recipient);
            job.body = row.payload;
            job.idempotencyKey = idempotencyKey(row.alarmId, row.recipient);
            job.attempts = row.attempts;
            // An attempt cut off by the stop never got an answer: it earns one more.
            job.limit = std::max(c.maxAttempts, row.attempts + 1);
            job.durable = true;
            job.lastError = row.error;
            resumed.push_back(std::move(job));
        }
    }

    std::lock_guard lock(d->mutex);
    d->status = status;
    d->counters.pending = resumed.size();
    d->counters.resumed += resumed.size();
    for (const Private::Job &job : resumed)
        d->entries[job.key] = {
            {job.key.first, job.recipient, job.attempts > 0 ? retrying : pending, job.attempts, nowMs(), job.lastError},
            true};
    d->thread = new QThread;
    d->thread->setObjectName(QStringLiteral("gwanje-notifier"));
    d->worker = new Private::Worker(d.get());
    d->worker->moveToThread(d->thread);
    QObject::connect(d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    d->thread->start();
    QMetaObject::invokeMethod(
        d->worker, [w = d->worker, jobs = std::move(resumed)]() mutable { w->begin(std::move(jobs)); },
        Qt::QueuedConnection);
    d->running = true;
    qCInfo(lcDispatch, "guardian notifications to %s; %llu unfinished resumed", qUtf8Printable(gatewayName(url)),
           static_cast<unsigned long long>(d->counters.pending));
    return true;
}

void GuardianNotifier::stop()
{
    QThread *thread = nullptr;
    Private::Worker *worker = nullptr;
    {
        std::lock_guard lock(d->mutex);
        if (!d->running)
            return;
        if (QThread::currentThread() == d->thread) {
            qCWarning(lcDispatch, "stop() called on the notifier's own thread; ignored");
            return;
        }
        d->running = false;
        d->status.running = false;
        thread = std::exchange(d->thread, nullptr);
        worker = std::exchange(d->worker, nullptr);
    }
    // Queued behind every request notify() handed over, so each is on record before the worker
    // stops. It then waits for the answers to what is on the wire (a request abandoned there may have
    // been delivered, and the next run would send it again), each at most its timeout, and quits.
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::QueuedConnection);
    thread->wait();
    delete thread; // the worker went with the thread's last deferred deletions
    qCInfo(lcDispatch, "guardian notifications stopped; %llu unfinished",
           static_cast<unsigned long long>(counters().pending));
}

NotifierStatus GuardianNotifier::status() const
{
    std::lock_guard lock(d->mutex);
    return d->status;
}

void GuardianNotifier::notify(const NotificationRequest &request)
{
    const QString phone = normalizedPhone(request.guardian.phone);
    const char *refusal = nullptr;
    if (phone.isEmpty())
        refusal = "the guardian has no phone number";
    else if (!d->config.types.contains(request.alarmType))
        refusal = "its type does not notify guardians";
    Private::Job job;
    if (!refusal) {
        job.key = {request.alarmId, phone};
        job.recipient = redact(phone);
        job.body = gatewayBody(request, phone);
        job.idempotencyKey = idempotencyKey(request.alarmId, phone);
        job.limit = d->config.maxAttempts;
    }
    {
        std::lock_guard lock(d->mutex);
        ++d->counters.requested;
        if (!refusal && !d->running)
            refusal = "the notifier is not running";
        if (!refusal) {
            if (d->entries.count(job.key) > 0) {
                ++d->counters.duplicates;
                return;
            }
            d->entries[job.key] = {{request.alarmId, job.recipient, pending, 0, nowMs(), {}}, false};
            ++d->counters.pending;
            QMetaObject::invokeMethod(
                d->worker, [w = d->worker, job = std::move(job)]() mutable { w->accept(std::move(job)); },
                Qt::QueuedConnection);
            return;
        }
        ++d->counters.rejected;
    }
    qCWarning(lcDispatch, "alarm %lld: guardian not notified: %s", request.alarmId, refusal);
}

void GuardianNotifier::setOutcomeCallback(OutcomeCallback callback)
{
    std::lock_guard lock(d->mutex);
    d->callback = std::move(callback);
}

NotifierCounters GuardianNotifier::counters() const
{
    std::lock_guard lock(d->mutex);
    return d->counters;
}

std::vector<NotificationRecord> GuardianNotifier::records(qint64 alarmId) const
{
    std::map<QString, NotificationRecord> byPhone;
    for (const StoredNotification &row : d->store.forAlarm(alarmId))
        byPhone[row.recipient] = {alarmId, redact(row.recipient), row.status, row.attempts, row.updatedAtMs, row.error};
    {
        // Memory is as new as the database or newer.
        std::lock_guard lock(d->mutex);
        for (auto it = d->entries.lower_bound({alarmId, QString()});
             it != d->entries.end() && it->first.first == alarmId; ++it)
            byPhone[it->first.second] = it->second.record;
    }
    std::vector<NotificationRecord> out;
    out.reserve(byPhone.size());
    for (auto &[phone, r] : byPhone)
        out.push_back(std::move(r));
    return out;
}

} // namespace gwanje
