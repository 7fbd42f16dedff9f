#include "GuardianNotifier.h"

#include "GatewayMessage_p.h"
#include "NotificationStore_p.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrl>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
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

QString networkErrorName(QNetworkReply::NetworkError error)
{
    const char *name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error);
    return name ? QString::fromLatin1(name) : QString::number(int(error));
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

    // Worker thread: writes an attempt or an outcome, then updates memory and counters.
    NotificationRecord record(const Job &job, const QString &state, bool final);
    void writeFailed(const QString &error);
};

// Lives on the notifier's thread: the network, the timers and the retry policy.
class GuardianNotifier::Private::Worker : public QObject
{
public:
    explicit Worker(Private *d)
        : m_d(d)
    {}

    void begin(std::vector<Job> resumed);
    void accept(Job job);
    void shutdown();

private:
    struct Active
    {
        Job job;
        QTimer *timer = nullptr; // the attempt's timeout while a reply is open, else the back-off
        QNetworkReply *reply = nullptr;
        bool timedOut = false;
    };
    using Iterator = std::map<Key, Active>::iterator;

    void launch(Job job);
    void send(const Key &key);
    void onTimer(const Key &key);
    void onFinished(const Key &key, QNetworkReply *reply);
    void conclude(Iterator it, const QString &state);
    int backoffMs(int attempts) const;

    Private *m_d;
    QNetworkAccessManager *m_network = nullptr;
    std::map<Key, Active> m_active;
};

NotificationRecord GuardianNotifier::Private::record(const Job &job, const QString &state, bool final)
{
    const qint64 now = nowMs();
    QString error;
    const bool written = job.durable && store.update(job.key.first, job.key.second, state, job.attempts, now,
                                                     job.lastError, final, &error);
    if (job.durable && !written)
        writeFailed(error);
    const NotificationRecord r{job.key.first, job.recipient, state, job.attempts, now, job.lastError};
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
    m_network = new QNetworkAccessManager(this);
    // A redirected POST may turn into a GET elsewhere; a gateway that redirects is misconfigured.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    for (Job &job : resumed)
        launch(std::move(job));
}

void GuardianNotifier::Private::Worker::accept(Job job)
{
    if (m_d->store.isOpen()) {
        StoredNotification existing;
        QString error;
        switch (m_d->store.insertPending(job.key.first, job.key.second, job.body, nowMs(), &existing, &error)) {
        case NotificationStore::Insert::Inserted:
            job.durable = true;
            break;
        case NotificationStore::Insert::Exists: {
            // An earlier run took this one: it was sent, failed, or is someone else's to resume.
            qCDebug(lcDispatch, "alarm %lld: %s already %s", job.key.first, qUtf8Printable(job.recipient),
                    qUtf8Printable(existing.status));
            std::lock_guard lock(m_d->mutex);
            m_d->entries.erase(job.key);
            --m_d->counters.pending;
            ++m_d->counters.duplicates;
            return;
        }
        case NotificationStore::Insert::Failed:
            // Sent all the same: a guardian told twice after a restart beats one never told.
            m_d->writeFailed(error);
            break;
        }
    }
    launch(std::move(job));
}

void GuardianNotifier::Private::Worker::launch(Job job)
{
    const Key key = job.key;
    const auto [it, inserted] = m_active.try_emplace(key);
    if (!inserted)
        return; // notify() and start() hand each key over once; never two in flight
    it->second.job = std::move(job);
    it->second.timer = new QTimer(this);
    it->second.timer->setSingleShot(true);
    connect(it->second.timer, &QTimer::timeout, this, [this, key] { onTimer(key); });
    send(key);
}

void GuardianNotifier::Private::Worker::send(const Key &key)
{
    const auto it = m_active.find(key);
    if (it == m_active.end())
        return;
    Active &a = it->second;
    ++a.job.attempts;
    a.timedOut = false;
    // The attempt is on record before it leaves, so a crash mid-POST still counts it.
    m_d->record(a.job, a.job.attempts == 1 ? pending : retrying, false);
    if (a.job.attempts > 1) {
        std::lock_guard lock(m_d->mutex);
        ++m_d->counters.retries;
    }
    QNetworkRequest request(m_d->url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setRawHeader(QByteArrayLiteral("Idempotency-Key"), a.job.idempotencyKey);
    a.reply = m_network->post(request, a.job.body);
    QNetworkReply *reply = a.reply;
    connect(reply, &QNetworkReply::finished, this, [this, key, reply] { onFinished(key, reply); });
    a.timer->start(m_d->config.timeoutMs);
    qCDebug(lcDispatch, "alarm %lld: notifying %s, attempt %d", key.first, qUtf8Printable(a.job.recipient),
            a.job.attempts);
}

void GuardianNotifier::Private::Worker::onTimer(const Key &key)
{
    const auto it = m_active.find(key);
    if (it == m_active.end())
        return;
    if (it->second.reply) {
        it->second.timedOut = true;
        it->second.reply->abort(); // finishes the reply at once: `it` may be gone after this
        return;
    }
    send(key);
}

void GuardianNotifier::Private::Worker::onFinished(const Key &key, QNetworkReply *reply)
{
    reply->deleteLater();
    const auto it = m_active.find(key);
    if (it == m_active.end() || it->second.reply != reply)
        return;
    Active &a = it->second;
    a.reply = nullptr;
    a.timer->stop();
    const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    bool retry = true;
    if (a.timedOut) {
        a.job.lastError = QStringLiteral("timeout after %1 ms").arg(m_d->config.timeoutMs);
    } else if (http >= 200 && http < 300) {
        a.job.lastError.clear();
        conclude(it, sent);
        return;
    } else if (http > 0) {
        a.job.lastError = QStringLiteral("HTTP %1").arg(http);
        // A busy or broken gateway may recover; a request it refuses will be refused again.
        retry = http == 429 || http >= 500;
    } else {
        a.job.lastError = QStringLiteral("network: ") + networkErrorName(reply->error());
    }
    if (!retry || a.job.attempts >= a.job.limit) {
        conclude(it, failed);
        return;
    }
    const int delay = backoffMs(a.job.attempts);
    m_d->record(a.job, retrying, false);
    qCInfo(lcDispatch, "alarm %lld: %s not reached (%s), attempt %d of %d; next in %d ms", key.first,
           qUtf8Printable(a.job.recipient), qUtf8Printable(a.job.lastError), a.job.attempts, a.job.limit, delay);
    a.timer->start(delay);
}

void GuardianNotifier::Private::Worker::conclude(Iterator it, const QString &state)
{
    const Job job = std::move(it->second.job);
    it->second.timer->deleteLater(); // we may be inside its timeout signal
    m_active.erase(it);
    const NotificationRecord r = m_d->record(job, state, true);
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
    std::vector<Key> memoryOnly;
    for (auto &[key, a] : m_active) {
        a.timer->stop();
        if (a.reply) {
            a.reply->disconnect(this);
            a.reply->abort();
            a.reply->deleteLater();
            a.reply = nullptr;
        }
        if (!a.job.durable)
            memoryOnly.push_back(key);
    }
    // Recorded ones stay pending for the next start(); the others would be lost without a word.
    for (const Key &key : memoryOnly) {
        const auto it = m_active.find(key);
        it->second.job.lastError = QStringLiteral("stopped before delivery");
        conclude(it, failed);
    }
    m_active.clear();
    delete m_network; // here, on the thread it belongs to
    m_network = nullptr;
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
    // Queued behind every request notify() handed over, so each is on record before the network
    // goes; nothing of the worker runs after this returns.
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    thread->quit();
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
