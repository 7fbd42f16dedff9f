#pragma once

#include "assets/SafetyDevice.h"
#include "data/LoadReport.h"
#include "fusion/FusionConfig.h"

#include <QString>

#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace gwanje {

// One guardian to tell about one alarm. Carries personal data (the guardian's phone number, the
// wearer's position): it goes to the SMS gateway and the database, never into a log line.
struct NotificationRequest
{
    qint64 alarmId = 0;
    QString alarmType; // sos, safe_zone_exit; other types are refused unless NotificationConfig::types lists them
    QString deviceId;
    QString wearerCategory; // wearerCategoryName(): child, dementia, disabled
    GuardianContact guardian;
    // NaN when unknown (the SMS then says so rather than send the guardian to 0°N 0°E)
    double latitude = std::numeric_limits<double>::quiet_NaN();
    double longitude = std::numeric_limits<double>::quiet_NaN();
    QString district;
    qint64 raisedAtMs = 0; // UTC
};

// Where one notification stands. Safe to show and to log: the recipient is redacted.
struct NotificationRecord
{
    qint64 alarmId = 0;
    QString recipient; // GuardianContact::redacted() form, never the number
    QString status;    // pending, retrying, sent, failed
    int attempts = 0;  // POSTs started, over every run
    qint64 updatedAtMs = 0;
    QString error; // English, of the last failed attempt: "HTTP 503", "timeout after 5000 ms", ...
};

struct NotifierCounters
{
    quint64 requested = 0;  // notify() calls, duplicates and rejected ones included
    quint64 sent = 0;       // final outcomes in this run...
    quint64 failed = 0;     // ...
    quint64 retries = 0;    // attempts after the first
    quint64 duplicates = 0; // requests for an alarm and recipient already taken (in this run or an earlier one)
    quint64 rejected = 0;   // not running, no phone number, or an alarm type that does not notify
    quint64 resumed = 0;    // left pending by an earlier run and taken up again by start()
    quint64 pending = 0;    // taken and not yet sent or failed
    quint64 purged = 0;     // finished notifications deleted after the retention
};

struct NotifierStatus
{
    bool running = false;
    bool durable = false; // every request is recorded in the database (false: memory only)
    ErrorCategory category = ErrorCategory::Fatal;
    // Why it is not running or not durable: NoUrl, BadUrl, BadConfig, NoTls; CannotOpen,
    // NotADatabase, MigrationFailed, ReadFailed, WriteFailed (the database ones leave it running,
    // in memory).
    ErrorCode code = ErrorCode::None;
    QString detail; // English, without the URL's path, query or credentials
};

// Tells guardians about their wearer's SOS or safe-zone exit through the SMS gateway's webhook
// (an HTTP POST of JSON), once per alarm and recipient: each request is recorded in the
// `notifications` table before its first POST, every attempt before it goes on the wire and the
// outcome after, and a restart resumes what was left unfinished without re-sending what was sent.
// Nothing is sent again after a 2xx answer; a request whose answer never came is, with the same
// Idempotency-Key, and the gateway drops a key it already delivered (DEVELOPERS.md, Guardian SMS).
//
// Owns a thread with its own event loop for the network (its callers, the engine's consumer thread
// among them, have none). Every public function may be called from any thread, except stop() and
// the destructor from inside the outcome callback.
class GuardianNotifier
{
public:
    using OutcomeCallback = std::function<void(const NotificationRecord &)>;

    // An empty database path keeps the records in memory only: no exactly-once across restarts.
    GuardianNotifier(NotificationConfig config, QString databasePath);
    ~GuardianNotifier(); // stops
    GuardianNotifier(const GuardianNotifier &) = delete;
    GuardianNotifier &operator=(const GuardianNotifier &) = delete;

    // Checks the configuration, opens the database and resumes unfinished notifications. False,
    // with status() saying why, when the URL or the settings are unusable; a database that cannot
    // be opened leaves it running in memory (a guardian not told is worse than one told twice).
    bool start();
    // Sends nothing more and waits for the answers to the requests on the wire, each at most
    // NotificationConfig::timeoutMs from when it went out; the rest (queued, waiting to retry, or
    // unanswered) stay pending in the database for the next start(), which sends them with the same
    // Idempotency-Key; without a database they end as failed. No callback after it returns.
    void stop();
    NotifierStatus status() const;

    // Returns at once; the POST happens on the notifier's thread. A repeat for the same alarm and
    // phone number is counted as a duplicate and ignored.
    void notify(const NotificationRequest &request);
    // Called on the notifier's thread after each final outcome (sent or failed); keep it cheap.
    void setOutcomeCallback(OutcomeCallback callback);

    NotifierCounters counters() const;
    // Deletes the finished notifications last changed before cutoffMs, in the background on a
    // connection of its own (also when the notifier is not running: rows of earlier runs hold
    // guardians' phone numbers). The notifications table is the notifier's (store/StoreFile.h).
    void purgeFinished(qint64 cutoffMs);
    // Every notification of one alarm, this run's and earlier ones', ordered by recipient.
    std::vector<NotificationRecord> records(qint64 alarmId) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gwanje
