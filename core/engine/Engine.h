#pragma once

#include "alarms/AlarmService.h"
#include "dispatch/GuardianNotifier.h"
#include "events/AssetStatus.h"
#include "events/DeviceState.h"
#include "events/EventBus.h"
#include "events/SourceDirectory.h"
#include "feeds/Source.h"
#include "fusion/AlarmKpis.h"
#include "fusion/FusionConfig.h"
#include "fusion/FusionEngine.h"
#include "store/EventStore.h"

#include <QJsonObject>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

namespace gwanje {

class AssetRegistry;

// Where a device is, for drawing: a plain value copied out of the live state.
struct DevicePoint
{
    quint32 source = 0; // SourceDirectory index
    double latitude = 0.0;
    double longitude = 0.0;
    bool sos = false;
    qint64 timeMs = 0; // source time of the position
};

// The alarms as the screen shows them: a plain copy with a version that changes with every change.
struct AlarmSnapshot
{
    quint64 version = 0;
    std::vector<Alarm> alarms;  // open (not closed) alarms, oldest first
    std::vector<DeskKpis> kpis; // per desk, over the configured KPI window
};

struct EngineOptions
{
    QString databasePath; // empty: events are kept in memory only
    int positionRetentionDays = 30;
    int alarmLocationRetentionDays = 30; // where a closed alarm about a person happened
    BusLimits bus;
};

// The core engine of one process: sources publish to the bus; the bus's consumer thread keeps the
// live device state and hands every event to the store. Owned by the composition root; its
// methods are called from that thread, except where noted.
class Engine
{
public:
    explicit Engine(EngineOptions options);
    ~Engine(); // stops

    // Opens the database (if configured) and resumes the live state from it. False when the
    // database is unavailable; the engine then runs without it (see storeStatus()).
    bool openStore();
    // Personal data past its retention, each owner its own tables, in the background: positions
    // and the coordinates of wearers' events (the store), of closed alarms about a person (the
    // alarm service), finished guardian notifications (the notifier). openStore() runs it once;
    // the owner then hourly.
    void purgeExpired(qint64 nowMs);
    void addSource(std::unique_ptr<Source> source);
    // The wearers and their safe zones, watched by the geofence rules (before start()).
    void setRoster(const std::vector<SafetyDevice> &roster);
    // Starts the consumer and every source; false if a source could not start (it is reported).
    bool start();
    // Stops the sources, delivers what is on the bus and writes what the store has pending.
    void stop();

    // True when every source is finite and done, and everything it produced went through.
    bool drained(int timeoutMs);
    // Called on the store's writer thread after each commit.
    void setCommitCallback(std::function<void(quint64 totalCommitted)> callback);
    // Called on the engine's journal thread once critical events (SOS, falls) are durable in the
    // store's journal (before start()).
    void setDurableCallback(std::function<void(std::span<const Event> events)> callback);

    std::shared_ptr<SourceDirectory> sourceDirectory() const { return m_sources; }
    EventStore *store() const { return m_store.get(); }
    // A copy of the live state, taken under the consumer's lock (any thread).
    DeviceState deviceState() const;
    // The devices that have a position, copied under the consumer's lock (any thread).
    void devicePoints(std::vector<DevicePoint> &out) const;
    // Fixed assets whose status changed after version `since` (sensor grades, AP and camera
    // state), copied under the consumer's lock (any thread); returns the current version.
    quint64 assetStatus(quint64 since, std::vector<AssetStatusPoint> &out) const;
    // Open alarms, copied under the fusion lock (any thread).
    std::vector<Alarm> openAlarms() const;

    // The fusion rules (before start()): thresholds, grace periods, routing, procedures... The
    // defaults apply otherwise.
    void setFusionConfig(FusionConfig config);
    const FusionConfig &fusionConfig() const { return m_fusionConfig; }
    // The fixed assets (before start()): their districts for grouping and routing, and the cameras
    // linked to an SOS or a fall.
    void setAssets(std::shared_ptr<const AssetRegistry> registry);
    // Any thread. alarmsVersion() is cheap (an atomic): poll it, take a snapshot when it moved.
    quint64 alarmsVersion() const { return m_alarmsVersion.load(std::memory_order_acquire); }
    AlarmSnapshot alarmSnapshot() const;
    // An open alarm's history from memory; a closed one's is a database query (keep it off the
    // GUI thread).
    std::vector<AlarmHistoryEntry> alarmHistory(qint64 alarmId) const;
    // An operator's command (any thread): checked under the engine's lock, written to the store
    // while the rules go on (the lock is not held across the disk wait), then applied.
    AlarmCommandResult executeAlarmCommand(const AlarmCommand &command);
    // The same without waiting (the GUI thread's form): a command refused or done at once returns
    // its result; one that must first be saved returns nothing and `done` gets the result later,
    // on a worker thread, once it is durable and applied (or refused because it could not be
    // saved). The engine waits for such commands before it is destroyed.
    std::optional<AlarmCommandResult> submitAlarmCommand(const AlarmCommand &command,
                                                         std::function<void(const AlarmCommandResult &)> done);
    // Called on whichever thread changed the alarms (the consumer, a command, tick()); post to
    // your own thread from it and keep it cheap.
    void setAlarmsChangedCallback(std::function<void()> callback);
    // The guardian notifications of an alarm (recipients redacted), any thread.
    std::vector<NotificationRecord> notifications(qint64 alarmId) const;
    // Whether guardians are notified (a gateway URL is configured and the notifier runs), and why not.
    NotifierStatus notifierStatus() const;
    // Whether alarm changes reach the database (healthy), any thread.
    StoreStatus alarmStoreStatus() const;
    // The timed rules: grace periods, escalation and reminders, auto-unshelve, flood end. The owner
    // calls it about once a second with the wall clock (tests with their own clock).
    void tick(qint64 nowMs);
    // events_processed, events_rejected, devices, positions_stored, lanes, store, sources, alarms.
    QJsonObject report() const;

private:
    void consume(Lane lane, std::span<const Event> events);
    void runJournal();
    void recoverCriticalAlarms();
    bool journalIdle(int timeoutMs);
    void fuse(std::span<const Event> events);
    void rebuildFusion();
    void startNotifier();
    QJsonObject notificationReport() const;
    void alarmsChanged();

    EngineOptions m_options;
    std::shared_ptr<SourceDirectory> m_sources;
    std::unique_ptr<EventStore> m_store;
    std::function<void(std::span<const Event>)> m_durableCallback;
    // Critical events on their way to EventStore::appendDurable(): its flush (about 6 ms here, far
    // more when the disk is busy) would otherwise hold up the consumer and the next SOS behind it.
    std::thread m_journalThread;
    std::mutex m_journalMutex;
    std::condition_variable m_journalWake, m_journalDone;
    std::vector<Event> m_journalQueue; // guarded by m_journalMutex, like the two below
    bool m_journalBusy = false;
    bool m_journalStop = false;
    EventBus m_bus;
    std::vector<std::unique_ptr<Source>> m_feeds;
    mutable std::mutex m_stateMutex;
    DeviceState m_state;
    AssetStatusTable m_assetStatus;
    quint64 m_processed = 0; // guarded by m_stateMutex
    // Fusion, on the consumer thread; guarded by m_fusionMutex for readers on other threads.
    mutable std::mutex m_fusionMutex;
    // Operator commands being saved on worker threads (submitAlarmCommand).
    std::mutex m_commandsMutex;
    std::condition_variable m_commandsDone;
    int m_commandsInFlight = 0;
    void waitForCommands();
    // Checks a command and queues its write, under the fusion lock.
    std::variant<AlarmService::PendingCommand, AlarmCommandResult> prepareAlarmCommand(const AlarmCommand &command);
    // Waits (without the lock) for a prepared command's write, applies it and tells the listeners.
    AlarmCommandResult finishAlarmCommand(const AlarmService::PendingCommand &pending);
    AlarmCommandResult concludeAlarmCommand(const AlarmCommand &command, AlarmCommandResult result);
    std::unique_ptr<AlarmService> m_alarms;
    std::unique_ptr<FusionEngine> m_fusion;
    std::vector<SafetyDevice> m_roster;
    std::unique_ptr<GuardianNotifier> m_notifier; // when the rules name a gateway URL
    bool m_notifierStarted = false;
    std::shared_ptr<const AssetRegistry> m_registry;
    FusionConfig m_fusionConfig = FusionConfig::defaults();
    std::atomic<quint64> m_alarmsVersion{0};
    std::function<void()> m_alarmsChanged;
    bool m_running = false;
};

} // namespace gwanje
