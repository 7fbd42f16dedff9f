#include "AlarmsFacade.h"

#include "AlarmSound.h"
#include "QmlSingleton_p.h"

#include <QCoreApplication>
#include <QDateTime>

#include <atomic>

namespace gwanje {

namespace {
QString osUserName()
{
    for (const char *variable : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(variable);
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("operator");
}
} // namespace

AlarmsFacade::AlarmsFacade(QObject *parent)
    : QObject(parent)
    , m_model(new AlarmListModel(this))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_notifyPending(std::make_shared<std::atomic<bool>>(false))
    , m_operator(osUserName())
{
    m_model->setDesk(m_desk);
    connect(&m_timer, &QTimer::timeout, this, &AlarmsFacade::poll);
}

AlarmsFacade::~AlarmsFacade() = default;

AlarmsFacade *AlarmsFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<AlarmsFacade>("Alarms");
}

void AlarmsFacade::setInstance(AlarmsFacade *instance)
{
    detail::singletonSlot<AlarmsFacade>() = instance;
}

void AlarmsFacade::setSnapshotProvider(SnapshotProvider snapshots, VersionProvider version, int pollMs)
{
    m_snapshots = std::move(snapshots);
    m_versionProvider = std::move(version);
    m_haveSnapshot = false;
    refresh();
    m_timer.start(pollMs);
}

void AlarmsFacade::setSound(AlarmSound *sound)
{
    m_sound = sound;
    if (m_sound) {
        m_sound->setMuted(m_muted);
        m_sound->setUrgent(m_urgent);
    }
}

std::function<void()> AlarmsFacade::changeNotifier()
{
    // A QPointer is safe to copy on any thread and is only read on the GUI thread, where this
    // object dies; qApp outlives every engine thread that could call this.
    return [self = QPointer<AlarmsFacade>(this), pending = m_notifyPending] {
        if (pending->exchange(true))
            return; // a refresh is already on its way
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, pending] {
                pending->store(false);
                if (self)
                    self->refresh();
            },
            Qt::QueuedConnection);
    };
}

void AlarmsFacade::poll()
{
    if (m_versionProvider && m_versionProvider() != m_version)
        refresh();
    // Ages tick on even when nothing changes.
    const qint64 now = m_clock();
    if (now - m_agesAtMs >= 1000) {
        m_agesAtMs = now;
        m_model->setNow(now);
        if (m_problemsProvider) {
            QStringList problems = m_problemsProvider();
            if (problems != m_problems) {
                m_problems = std::move(problems);
                Q_EMIT problemsChanged();
            }
        }
    }
}

void AlarmsFacade::refresh()
{
    if (!m_snapshots)
        return;
    AlarmSnapshot snapshot = m_snapshots();
    if (m_haveSnapshot && snapshot.version == m_version)
        return;
    const bool first = !m_haveSnapshot;
    m_haveSnapshot = true;
    m_version = snapshot.version;
    m_agesAtMs = m_clock();
    m_model->setAlarms(std::move(snapshot.alarms), m_agesAtMs);

    // The desk's own figures, whatever the view filters.
    int count = 0, unacknowledged = 0, highest = 0, newest = 0;
    bool urgent = false;
    QSet<qint64> seen;
    for (const Alarm &a : m_model->allAlarms()) {
        if (!a.dispatchedTo(m_desk))
            continue;
        ++count;
        seen.insert(a.id);
        const bool waiting = a.state == AlarmState::Unacknowledged || a.state == AlarmState::ReturnedUnacknowledged;
        unacknowledged += waiting;
        highest = highest == 0 ? a.priority : std::min(highest, a.priority);
        urgent = urgent || (a.priority == 1 && a.state == AlarmState::Unacknowledged);
        if (!first && a.state == AlarmState::Unacknowledged && !m_seen.contains(a.id))
            newest = newest == 0 ? a.priority : std::min(newest, a.priority);
    }
    m_seen = std::move(seen);
    const bool figuresChanged =
        count != m_count || unacknowledged != m_unacknowledged || highest != m_highestPriority || urgent != m_urgent;
    const bool urgentMoved = urgent != m_urgent;
    m_count = count;
    m_unacknowledged = unacknowledged;
    m_highestPriority = highest;
    m_urgent = urgent;
    m_allKpis = std::move(snapshot.kpis);
    updateDeskFigures(m_allKpis);
    if (m_sound) {
        m_sound->setUrgent(urgent);
        if (newest == 2)
            m_sound->play(AlarmSound::Cue::Double);
        else if (newest >= 3)
            m_sound->play(AlarmSound::Cue::Soft);
    }
    if (newest > 0)
        Q_EMIT cueRequested(newest);
    if (m_selectedId != 0)
        updateCurrent(false);
    if (figuresChanged)
        Q_EMIT changed();
    if (urgentMoved)
        Q_EMIT urgentChanged();
    Q_EMIT alarmsApplied();
}

void AlarmsFacade::updateDeskFigures(const std::vector<DeskKpis> &kpis)
{
    DeskKpis mine;
    mine.desk = m_desk;
    for (const DeskKpis &k : kpis) {
        if (k.desk == m_desk)
            mine = k;
    }
    const bool same = mine.alarmsPer10Min == m_kpis.alarmsPer10Min && mine.current10Min == m_kpis.current10Min &&
                      mine.peak10Min == m_kpis.peak10Min && mine.inFlood == m_kpis.inFlood &&
                      mine.timeInFloodPercent == m_kpis.timeInFloodPercent && mine.stale == m_kpis.stale &&
                      mine.chattering == m_kpis.chattering;
    m_kpis = std::move(mine);
    if (!same)
        Q_EMIT kpisChanged();
}

void AlarmsFacade::setDesk(const QString &desk)
{
    if (m_desk == desk)
        return;
    m_desk = desk;
    m_model->setDesk(desk);
    m_seen.clear();
    m_haveSnapshot = false; // recount for the new desk, without cues for what stands there
    refresh();
    updateDeskFigures(m_allKpis);
    Q_EMIT deskChanged();
    Q_EMIT changed();
}

void AlarmsFacade::setOperatorName(const QString &name)
{
    if (m_operator == name)
        return;
    m_operator = name;
    Q_EMIT operatorNameChanged();
}

void AlarmsFacade::setMuted(bool muted)
{
    if (m_muted == muted)
        return;
    m_muted = muted;
    if (m_sound)
        m_sound->setMuted(muted);
    Q_EMIT mutedChanged();
}

void AlarmsFacade::setLastError(const QString &error)
{
    if (m_lastError == error)
        return;
    m_lastError = error;
    Q_EMIT lastErrorChanged();
}

void AlarmsFacade::clearError()
{
    setLastError(QString());
}

QString AlarmsFacade::translatedRefusal(AlarmRefusal reason, const QString &detail)
{
    // The core's sentences are marked for translation in the AlarmRefusal context.
    const QString text = QCoreApplication::translate("AlarmRefusal", alarmRefusalText(reason));
    return text.contains(QLatin1String("%1")) ? text.arg(detail) : text;
}

bool AlarmsFacade::execute(qint64 id, AlarmAction action, const QString &text, const QString &assignee,
                           qint64 durationMs)
{
    if (!m_executor && !m_asyncExecutor) {
        setLastError(QStringLiteral("alarm commands are not connected"));
        return false;
    }
    AlarmCommand command;
    command.alarmId = id;
    command.action = action;
    command.actor = m_operator;
    command.desk = m_desk;
    command.text = text;
    command.assignee = assignee;
    command.durationMs = durationMs;
    if (m_asyncExecutor) {
        QPointer<AlarmsFacade> self(this);
        std::optional<AlarmCommandResult> now = m_asyncExecutor(command, [self, id](const AlarmCommandResult &r) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, id, r] {
                    if (!self)
                        return;
                    if (--self->m_saving == 0)
                        Q_EMIT self->savingChanged();
                    self->commandDone(id, r);
                },
                Qt::QueuedConnection);
        });
        if (!now) {
            // Accepted; being saved. The outcome comes back through commandDone().
            ++m_saving;
            if (m_saving == 1)
                Q_EMIT savingChanged();
            setLastError(QString());
            return true;
        }
        commandDone(id, *now);
        return now->ok;
    }
    const AlarmCommandResult result = m_executor(command);
    commandDone(id, result);
    return result.ok;
}

void AlarmsFacade::commandDone(qint64 id, const AlarmCommandResult &result)
{
    if (!result.ok) {
        setLastError(result.reason == AlarmRefusal::None ? tr("refused")
                                                         : translatedRefusal(result.reason, result.detail));
        return;
    }
    setLastError(QString());
    refresh();
    if (id == m_selectedId)
        updateCurrent(true);
}

bool AlarmsFacade::acknowledge(qint64 id, const QString &comment)
{
    return execute(id, AlarmAction::Acknowledge, comment.trimmed());
}

bool AlarmsFacade::comment(qint64 id, const QString &text)
{
    return execute(id, AlarmAction::Comment, text.trimmed());
}

bool AlarmsFacade::shelve(qint64 id, const QString &reason, int minutes)
{
    return execute(id, AlarmAction::Shelve, reason.trimmed(), QString(), qint64(minutes) * 60'000);
}

bool AlarmsFacade::unshelve(qint64 id)
{
    return execute(id, AlarmAction::Unshelve);
}

bool AlarmsFacade::assign(qint64 id, const QString &who)
{
    return execute(id, AlarmAction::Assign, QString(), who.trimmed());
}

bool AlarmsFacade::escalate(qint64 id)
{
    return execute(id, AlarmAction::Escalate);
}

bool AlarmsFacade::close(qint64 id)
{
    return execute(id, AlarmAction::Close);
}

bool AlarmsFacade::tickStep(qint64 id, int step)
{
    return execute(id, AlarmAction::ProcedureStep, QString::number(step));
}

QString AlarmsFacade::actionText(const QString &action)
{
    static const QHash<QString, const char *> texts{
        {QStringLiteral("raise"), QT_TR_NOOP("Raised")},
        {QStringLiteral("clear"), QT_TR_NOOP("Returned to normal")},
        {QStringLiteral("acknowledge"), QT_TR_NOOP("Acknowledged")},
        {QStringLiteral("assign"), QT_TR_NOOP("Assigned")},
        {QStringLiteral("comment"), QT_TR_NOOP("Comment")},
        {QStringLiteral("shelve"), QT_TR_NOOP("Shelved")},
        {QStringLiteral("unshelve"), QT_TR_NOOP("Unshelved")},
        {QStringLiteral("auto_unshelve"), QT_TR_NOOP("Unshelved automatically")},
        {QStringLiteral("escalate"), QT_TR_NOOP("Escalated")},
        {QStringLiteral("close"), QT_TR_NOOP("Closed")},
        {QStringLiteral("out_of_service"), QT_TR_NOOP("Taken out of service")},
        {QStringLiteral("return_to_service"), QT_TR_NOOP("Returned to service")},
        {QStringLiteral("suppress"), QT_TR_NOOP("Suppressed")},
        {QStringLiteral("unsuppress"), QT_TR_NOOP("Unsuppressed")},
        {QStringLiteral("remind"), QT_TR_NOOP("Reminder")},
        {QStringLiteral("procedure_step"), QT_TR_NOOP("Procedure step")},
        {QStringLiteral("dispatch"), QT_TR_NOOP("Dispatched")},
        {QStringLiteral("notify"), QT_TR_NOOP("Guardian notified")},
        {QStringLiteral("update_members"), QT_TR_NOOP("Members updated")},
    };
    const auto it = texts.constFind(action);
    return it == texts.constEnd() ? action : tr(*it);
}

QVariantList AlarmsFacade::history(qint64 id) const
{
    QVariantList list;
    if (!m_historyProvider)
        return list;
    for (const AlarmHistoryEntry &e : m_historyProvider(id)) {
        list.append(QVariantMap{
            {QStringLiteral("at"), QDateTime::fromMSecsSinceEpoch(e.atMs)},
            {QStringLiteral("actor"), e.actor},
            {QStringLiteral("desk"), e.desk},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("actionText"), actionText(e.action)},
            {QStringLiteral("from"), alarmStateName(e.from)},
            {QStringLiteral("to"), alarmStateName(e.to)},
            {QStringLiteral("fromText"), AlarmListModel::stateText(e.from)},
            {QStringLiteral("toText"), AlarmListModel::stateText(e.to)},
            {QStringLiteral("reason"), e.reason},
        });
    }
    return list;
}

QStringList AlarmsFacade::procedure(const QString &type) const
{
    if (!m_procedureProvider)
        return {};
    const std::optional<Procedure> p = m_procedureProvider(type);
    if (!p)
        return {};
    const bool english = m_language == QLatin1String("en");
    // Korean is the operators' language; the other list stands in when one is missing.
    if (english)
        return p->stepsEn.isEmpty() ? p->stepsKo : p->stepsEn;
    return p->stepsKo.isEmpty() ? p->stepsEn : p->stepsKo;
}

int AlarmsFacade::currentTickedMask() const
{
    int mask = 0;
    for (const int step : m_currentTicked) {
        if (step >= 1 && step <= 31)
            mask |= 1 << (step - 1);
    }
    return mask;
}

const Alarm *AlarmsFacade::findAlarm(qint64 id) const
{
    for (const Alarm &a : m_model->allAlarms()) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

void AlarmsFacade::select(qint64 id)
{
    if (id != m_selectedId) {
        m_selectedId = id;
        m_selectedUpdatedMs = -1;
        Q_EMIT selectionChanged();
    }
    updateCurrent(true);
    if (const Alarm *a = id != 0 ? findAlarm(id) : nullptr)
        Q_EMIT selected(double(a->id), a->latitude, a->longitude, a->source);
}

void AlarmsFacade::updateCurrent(bool refetchHistory)
{
    const Alarm *a = m_selectedId != 0 ? findAlarm(m_selectedId) : nullptr;
    if (!a) {
        const bool wasShown = !m_current.isEmpty();
        m_current.clear();
        m_currentProcedure.clear();
        m_currentTicked.clear();
        m_currentHistory.clear();
        m_selectedUpdatedMs = -1;
        if (wasShown || refetchHistory)
            Q_EMIT currentChanged();
        return;
    }
    QVariantMap current = m_model->describe(*a);
    // The history is a store query: only when the alarm changed (every command stamps it).
    const bool changedSince = a->updatedAtMs != m_selectedUpdatedMs;
    if (!refetchHistory && !changedSince && current == m_current)
        return;
    m_current = std::move(current);
    if (refetchHistory || changedSince) {
        m_selectedUpdatedMs = a->updatedAtMs;
        m_currentProcedure = procedure(a->type);
        m_currentHistory = history(a->id);
        // A step is ticked when it was ticked an odd number of times.
        QHash<int, int> ticks;
        for (const QVariant &v : std::as_const(m_currentHistory)) {
            const QVariantMap entry = v.toMap();
            if (entry.value(QStringLiteral("action")).toString() == QLatin1String("procedure_step"))
                ++ticks[entry.value(QStringLiteral("reason")).toInt()];
        }
        m_currentTicked.clear();
        for (auto it = ticks.cbegin(); it != ticks.cend(); ++it) {
            if (it.value() % 2 == 1)
                m_currentTicked.append(it.key());
        }
        std::sort(m_currentTicked.begin(), m_currentTicked.end());
    }
    Q_EMIT currentChanged();
}

} // namespace gwanje
