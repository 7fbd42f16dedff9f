#include "GuardianNotifier_p.h"

#include "GatewayMessage_p.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace gwanje {

using namespace notification;

namespace {
// At most this many requests on the wire at once; the others wait in the worker's queue, where no
// timeout runs. A gateway slow under load answers a few requests sooner than hundreds at once.
constexpr int maxOnTheWire = 4;
} // namespace

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
    if (written && status.code == ErrorCode::WriteFailed) {
        status.durable = true;
        status.code = ErrorCode::None;
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
    status.code = ErrorCode::WriteFailed;
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

} // namespace gwanje
