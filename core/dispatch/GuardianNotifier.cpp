#include "GuardianNotifier.h"

#include "GatewayMessage_p.h"
#include "GuardianNotifier_p.h"

#include <QThread>
#include <QUrl>
#include <QtNetwork/qtnetworkglobal.h> // QT_CONFIG(ssl)
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace gwanje {

Q_LOGGING_CATEGORY(lcDispatch, "gwanje.core.dispatch", QtInfoMsg)

using namespace notification;

namespace {
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

GuardianNotifier::GuardianNotifier(NotificationConfig config, QString databasePath)
    : d(std::make_unique<Private>())
{
    d->config = std::move(config);
    d->databasePath = std::move(databasePath);
}

GuardianNotifier::~GuardianNotifier()
{
    stop();
    if (d->purger.joinable())
        d->purger.join();
}

void GuardianNotifier::purgeFinished(qint64 cutoffMs)
{
    if (d->databasePath.isEmpty())
        return;
    if (d->purger.joinable())
        d->purger.join(); // hourly: the last one is long done
    d->purger = std::thread([this, cutoffMs] {
        NotificationStore store;
        ErrorCode code = ErrorCode::None;
        QString error;
        std::optional<quint64> purged;
        if (store.open(d->databasePath, &code, &error))
            purged = store.purgeFinished(cutoffMs, &error);
        if (!purged) {
            qCWarning(lcDispatch, "finished notifications not purged: %s", qUtf8Printable(error));
            return;
        }
        std::lock_guard lock(d->mutex);
        d->counters.purged += *purged;
        if (*purged > 0)
            qCInfo(lcDispatch, "purged %llu finished notifications", static_cast<unsigned long long>(*purged));
    });
}

bool GuardianNotifier::start()
{
    {
        std::lock_guard lock(d->mutex);
        if (d->running)
            return true;
    }
    const NotificationConfig &c = d->config;
    auto refuse = [this](ErrorCategory category, ErrorCode code, const QString &detail) {
        std::lock_guard lock(d->mutex);
        d->status = {false, false, category, code, detail};
        return false;
    };
    const QString text = c.url.trimmed();
    if (text.isEmpty()) {
        qCInfo(lcDispatch, "guardian notifications are off: no SMS gateway URL configured");
        return refuse(ErrorCategory::BadInput, ErrorCode::NoUrl, QStringLiteral("no SMS gateway URL is configured"));
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        // The URL itself stays out of the reason: it may carry the gateway's access token.
        const QString why = QStringLiteral("the SMS gateway URL is not a valid http:// or https:// URL");
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::BadInput, ErrorCode::BadUrl, why);
    }
    if (scheme == QLatin1String("https") && !tlsAvailable()) {
        const QString why = QStringLiteral("the SMS gateway URL needs TLS, which this Qt has no backend for");
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::Fatal, ErrorCode::NoTls, why);
    }
    if (c.maxAttempts < 1 || c.initialBackoffMs < 0 || c.maxBackoffMs < c.initialBackoffMs || c.timeoutMs <= 0) {
        const QString why = QStringLiteral("notification settings out of range: maxAttempts %1, initialBackoffMs %2, "
                                           "maxBackoffMs %3, timeoutMs %4")
                                .arg(c.maxAttempts)
                                .arg(c.initialBackoffMs)
                                .arg(c.maxBackoffMs)
                                .arg(c.timeoutMs);
        qCWarning(lcDispatch, "guardian notifications are off: %s", qUtf8Printable(why));
        return refuse(ErrorCategory::BadInput, ErrorCode::BadConfig, why);
    }
    d->url = url;

    NotifierStatus status{true, false, ErrorCategory::Fatal, {}, {}};
    std::vector<Private::Job> resumed;
    if (!d->databasePath.isEmpty()) {
        if (!d->store.isOpen() && !d->store.open(d->databasePath, &status.code, &status.detail))
            qCWarning(lcDispatch, "notification database unavailable (%s): %s; notifications are kept in memory",
                      qUtf8Printable(errorCodeName(status.code)), qUtf8Printable(status.detail));
        QString error;
        const auto rows = d->store.isOpen() ? d->store.unfinished(&error) : std::nullopt;
        if (d->store.isOpen() && !rows) {
            status.code = ErrorCode::ReadFailed;
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
