#pragma once

#include "AlarmListModel.h"
#include "alarms/AlarmService.h"
#include "engine/Engine.h"
#include "fusion/AlarmKpis.h"
#include "fusion/FusionConfig.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSet>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace gwanje {

class AlarmSound;

// QML singleton `Alarms`: the open alarms of this console's desk, its ISA-18.2 figures, and the
// operator's commands (acknowledge, shelve, assign, ...), which go through the engine's one command
// API with the operator as actor and this desk. Polls a cheap version number every 100 ms and
// takes a snapshot only when it moved; the engine's alarms-changed callback (any thread) makes it
// look at once, so a new SOS is on screen in the next frame. The composition root creates it and
// injects the providers; GUI thread.
class AlarmsFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Alarms)
    QML_SINGLETON
    Q_PROPERTY(gwanje::AlarmListModel *model READ model CONSTANT)
    // Alarms dispatched to this desk, whatever the view's filters.
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(int unacknowledgedCount READ unacknowledgedCount NOTIFY changed)
    // 1 (most urgent) .. 4; 0 when the desk has no alarm.
    Q_PROPERTY(int highestPriority READ highestPriority NOTIFY changed)
    // A priority-1 alarm at this desk waits for acknowledgement (the urgent tone repeats meanwhile).
    Q_PROPERTY(bool urgent READ urgent NOTIFY urgentChanged)
    // Which desk this console is: ops, police-112, fire-119, facilities (streetlights, shelters) or supervisor.
    Q_PROPERTY(QString desk READ desk WRITE setDesk NOTIFY deskChanged)
    // Who is logged in: the actor of every command (default: the OS user name).
    Q_PROPERTY(QString operatorName READ operatorName WRITE setOperatorName NOTIFY operatorNameChanged)
    Q_PROPERTY(bool muted READ muted WRITE setMuted NOTIFY mutedChanged)
    // The desk's figures over the engine's KPI window (see DeskKpis).
    Q_PROPERTY(double alarmsPer10Min READ alarmsPer10Min NOTIFY kpisChanged)
    Q_PROPERTY(int current10Min READ current10Min NOTIFY kpisChanged)
    Q_PROPERTY(int peak10Min READ peak10Min NOTIFY kpisChanged)
    Q_PROPERTY(bool inFlood READ inFlood NOTIFY kpisChanged)
    Q_PROPERTY(double timeInFloodPercent READ timeInFloodPercent NOTIFY kpisChanged)
    Q_PROPERTY(int stale READ stale NOTIFY kpisChanged)
    Q_PROPERTY(int chattering READ chattering NOTIFY kpisChanged)
    // Why the last command was refused (the core's English reason), empty after one succeeds.
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    // What keeps alarms from working fully (the rules file, the SMS gateway, the alarm database):
    // translated sentences for the banner.
    Q_PROPERTY(QStringList problems READ problems NOTIFY problemsChanged)
    // The selected alarm: its id (0: none), its role values by role name (empty when it closed),
    // its procedure in the UI language, the steps ticked (1-based) and its history, newest last.
    Q_PROPERTY(double selectedId READ selectedIdValue NOTIFY selectionChanged)
    Q_PROPERTY(QVariantMap current READ current NOTIFY currentChanged)
    Q_PROPERTY(QStringList currentProcedure READ currentProcedure NOTIFY currentChanged)
    // Bit k set: step k + 1 is ticked (QML cannot call methods on a list property).
    Q_PROPERTY(int currentTickedMask READ currentTickedMask NOTIFY currentChanged)
    Q_PROPERTY(QVariantList currentHistory READ currentHistory NOTIFY currentChanged)
    // Operator commands accepted and being saved (the console does not wait for the disk).
    Q_PROPERTY(bool saving READ saving NOTIFY savingChanged)

public:
    using SnapshotProvider = std::function<AlarmSnapshot()>;
    using VersionProvider = std::function<quint64()>;
    using CommandExecutor = std::function<AlarmCommandResult(const AlarmCommand &)>;
    using HistoryProvider = std::function<std::vector<AlarmHistoryEntry>(qint64 alarmId)>;
    using ProcedureProvider = std::function<std::optional<Procedure>(const QString &type)>;
    using Clock = std::function<qint64()>;

    // No default argument: see AssetsFacade.
    explicit AlarmsFacade(QObject *parent);
    ~AlarmsFacade() override;
    static AlarmsFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(AlarmsFacade *instance);

    // Takes a snapshot now, then whenever version() moves (checked every pollMs).
    void setSnapshotProvider(SnapshotProvider snapshots, VersionProvider version, int pollMs = 100);
    void setCommandExecutor(CommandExecutor executor) { m_executor = std::move(executor); }
    // The GUI's form (Engine::submitAlarmCommand): a result now when the command is refused or
    // done at once, else nothing and `done` is called later, on any thread, with the outcome.
    // When set, it is used instead of the CommandExecutor: the GUI thread never waits for a save.
    using Done = std::function<void(const AlarmCommandResult &)>;
    using AsyncCommandExecutor = std::function<std::optional<AlarmCommandResult>(const AlarmCommand &, Done done)>;
    void setAsyncCommandExecutor(AsyncCommandExecutor executor) { m_asyncExecutor = std::move(executor); }
    void setHistoryProvider(HistoryProvider provider) { m_historyProvider = std::move(provider); }
    void setProcedureProvider(ProcedureProvider provider) { m_procedureProvider = std::move(provider); }
    // Wall clock for the alarms' ages (UTC ms); tests give their own.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Asked about once a second: the problems to show (already translated).
    using ProblemsProvider = std::function<QStringList()>;
    void setProblemsProvider(ProblemsProvider provider) { m_problemsProvider = std::move(provider); }
    QStringList problems() const { return m_problems; }
    // "ko" (default) or "en": the language of the procedures.
    void setLanguage(const QString &language) { m_language = language; }
    // Optional: who plays the cues. Not owned.
    void setSound(AlarmSound *sound);
    // For Engine::setAlarmsChangedCallback: callable from any thread, cheap, and safe to call after
    // this facade is gone; it makes the GUI thread refresh (once per burst).
    std::function<void()> changeNotifier();

    AlarmListModel *model() const { return m_model; }
    int count() const { return m_count; }
    int unacknowledgedCount() const { return m_unacknowledged; }
    int highestPriority() const { return m_highestPriority; }
    bool urgent() const { return m_urgent; }
    QString desk() const { return m_desk; }
    void setDesk(const QString &desk);
    QString operatorName() const { return m_operator; }
    void setOperatorName(const QString &name);
    bool muted() const { return m_muted; }
    void setMuted(bool muted);
    const DeskKpis &kpis() const { return m_kpis; }
    double alarmsPer10Min() const { return m_kpis.alarmsPer10Min; }
    int current10Min() const { return m_kpis.current10Min; }
    int peak10Min() const { return m_kpis.peak10Min; }
    bool inFlood() const { return m_kpis.inFlood; }
    double timeInFloodPercent() const { return m_kpis.timeInFloodPercent; }
    int stale() const { return m_kpis.stale; }
    int chattering() const { return m_kpis.chattering; }
    QString lastError() const { return m_lastError; }
    qint64 selectedId() const { return m_selectedId; }
    double selectedIdValue() const { return double(m_selectedId); }
    QVariantMap current() const { return m_current; }
    QStringList currentProcedure() const { return m_currentProcedure; }
    QList<int> currentTicked() const { return m_currentTicked; }
    int currentTickedMask() const;
    QVariantList currentHistory() const { return m_currentHistory; }
    quint64 version() const { return m_version; }
    bool saving() const { return m_saving > 0; }

    // Operator commands; false (and lastError says why) when refused. With an asynchronous
    // executor, true means accepted and being saved: if the save then fails, lastError says so
    // and the alarm stays as it was.
    Q_INVOKABLE bool acknowledge(qint64 id, const QString &comment = QString());
    Q_INVOKABLE bool comment(qint64 id, const QString &text);
    Q_INVOKABLE bool shelve(qint64 id, const QString &reason, int minutes);
    Q_INVOKABLE bool unshelve(qint64 id);
    Q_INVOKABLE bool assign(qint64 id, const QString &who);
    Q_INVOKABLE bool escalate(qint64 id);
    Q_INVOKABLE bool close(qint64 id);
    // Ticks (or, the second time, unticks) step 1, 2, ... of the alarm's procedure.
    Q_INVOKABLE bool tickStep(qint64 id, int step);
    Q_INVOKABLE void clearError();
    // Each entry: at (date), actor, desk, action, actionText, from, to, fromText, toText, reason.
    Q_INVOKABLE QVariantList history(qint64 id) const;
    // The checklist of an alarm type in the UI language (Korean unless English was chosen).
    Q_INVOKABLE QStringList procedure(const QString &type) const;
    // Selects an alarm (0: none) and announces it with selected(), so the map can fly there.
    Q_INVOKABLE void select(qint64 id);

    static QString actionText(const QString &action);
    // Why the core refused a command, in the UI language (detail: what the sentence names).
    static QString translatedRefusal(AlarmRefusal reason, const QString &detail);

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void changed();
    void urgentChanged();
    void deskChanged();
    void operatorNameChanged();
    void mutedChanged();
    void kpisChanged();
    void lastErrorChanged();
    void savingChanged();
    void problemsChanged();
    void selectionChanged();
    void currentChanged();
    // A new snapshot of the alarms was taken (model()->allAlarms() holds it).
    void alarmsApplied();
    // An alarm was selected: where it is (NaN when unknown) and its source's id (a device, an AP...).
    void selected(double alarmId, double latitude, double longitude, const QString &source);
    // New alarms arrived at this desk; the most urgent one's priority (for the tones).
    void cueRequested(int priority);

private:
    bool execute(qint64 id, AlarmAction action, const QString &text = QString(), const QString &assignee = QString(),
                 qint64 durationMs = 0);
    void setLastError(const QString &error);
    void commandDone(qint64 id, const AlarmCommandResult &result);
    void poll();
    void updateDeskFigures(const std::vector<DeskKpis> &kpis);
    void updateCurrent(bool refetchHistory);
    const Alarm *findAlarm(qint64 id) const;

    AlarmListModel *m_model;
    QTimer m_timer;
    SnapshotProvider m_snapshots;
    VersionProvider m_versionProvider;
    CommandExecutor m_executor;
    AsyncCommandExecutor m_asyncExecutor;
    int m_saving = 0;
    HistoryProvider m_historyProvider;
    ProcedureProvider m_procedureProvider;
    Clock m_clock;
    QPointer<AlarmSound> m_sound;
    QString m_language = QStringLiteral("ko");
    std::shared_ptr<std::atomic<bool>> m_notifyPending;

    bool m_haveSnapshot = false;
    quint64 m_version = 0;
    qint64 m_agesAtMs = 0;
    std::vector<DeskKpis> m_allKpis;
    DeskKpis m_kpis;
    QSet<qint64> m_seen; // alarms at this desk in the last snapshot, for the cues
    int m_count = 0;
    int m_unacknowledged = 0;
    int m_highestPriority = 0;
    bool m_urgent = false;
    QString m_desk = QStringLiteral("ops");
    QString m_operator;
    bool m_muted = false;
    QString m_lastError;
    ProblemsProvider m_problemsProvider;
    QStringList m_problems;

    qint64 m_selectedId = 0;
    qint64 m_selectedUpdatedMs = -1;
    QVariantMap m_current;
    QStringList m_currentProcedure;
    QList<int> m_currentTicked;
    QVariantList m_currentHistory;
};

} // namespace gwanje
