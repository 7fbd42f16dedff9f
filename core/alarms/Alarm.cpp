#include "Alarm.h"

#include "AlarmType.h"

#include <algorithm>
#include <array>

namespace gwanje {

namespace {
constexpr std::array<std::pair<AlarmState, const char *>, 7> stateNames{{
    {AlarmState::Normal, "normal"},
    {AlarmState::Unacknowledged, "unacknowledged"},
    {AlarmState::Acknowledged, "acknowledged"},
    {AlarmState::ReturnedUnacknowledged, "returned_unacknowledged"},
    {AlarmState::Shelved, "shelved"},
    {AlarmState::SuppressedByDesign, "suppressed"},
    {AlarmState::OutOfService, "out_of_service"},
}};
constexpr std::array<std::pair<AlarmAction, const char *>, 19> actionNames{{
    {AlarmAction::Raise, "raise"},
    {AlarmAction::Clear, "clear"},
    {AlarmAction::Acknowledge, "acknowledge"},
    {AlarmAction::Assign, "assign"},
    {AlarmAction::Comment, "comment"},
    {AlarmAction::Shelve, "shelve"},
    {AlarmAction::Unshelve, "unshelve"},
    {AlarmAction::AutoUnshelve, "auto_unshelve"},
    {AlarmAction::Escalate, "escalate"},
    {AlarmAction::Close, "close"},
    {AlarmAction::RemoveFromService, "out_of_service"},
    {AlarmAction::ReturnToService, "return_to_service"},
    {AlarmAction::Suppress, "suppress"},
    {AlarmAction::Unsuppress, "unsuppress"},
    {AlarmAction::Remind, "remind"},
    {AlarmAction::ProcedureStep, "procedure_step"},
    {AlarmAction::Dispatch, "dispatch"},
    {AlarmAction::Notify, "notify"},
    {AlarmAction::UpdateMembers, "update_members"},
}};
constexpr qint64 maxShelveMs = 24LL * 3600 * 1000;
constexpr qint64 minShelveMs = 60LL * 1000;

bool hidden(AlarmState s)
{
    return s == AlarmState::Shelved || s == AlarmState::SuppressedByDesign || s == AlarmState::OutOfService;
}
} // namespace

// A refusal's text: English in the core and the logs; marked for translation, so the console
// shows it in the operator's language (QCoreApplication::translate("AlarmRefusal", text)).
namespace {
QString refusal(const char *text)
{
    return QString::fromLatin1(text);
}
} // namespace

bool isLatchedAlarmType(const QString &type)
{
    const auto known = alarmTypeFromName(type);
    return known && alarmTypeInfo(*known).latched;
}

QString alarmStateName(AlarmState state)
{
    for (const auto &[s, name] : stateNames) {
        if (s == state)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<AlarmState> alarmStateFromName(const QString &name)
{
    for (const auto &[s, n] : stateNames) {
        if (name == QLatin1String(n))
            return s;
    }
    return std::nullopt;
}

QString alarmActionName(AlarmAction action)
{
    for (const auto &[a, name] : actionNames) {
        if (a == action)
            return QString::fromLatin1(name);
    }
    return {};
}

AlarmState derivedState(bool active, bool acknowledged)
{
    if (active)
        return acknowledged ? AlarmState::Acknowledged : AlarmState::Unacknowledged;
    return acknowledged ? AlarmState::Normal : AlarmState::ReturnedUnacknowledged;
}

std::variant<Alarm, QString> applyAlarmCommand(const Alarm &alarm, const AlarmCommand &c)
{
    Alarm a = alarm;
    a.updatedAtMs = c.atMs;
    const AlarmState s = alarm.state;
    switch (c.action) {
    case AlarmAction::Raise:
        // A new occurrence of the condition needs a new acknowledgement.
        a.active = true;
        a.acknowledged = false;
        if (!hidden(s))
            a.state = derivedState(true, false);
        return a;
    case AlarmAction::Clear:
        a.active = false;
        if (!hidden(s))
            a.state = derivedState(false, a.acknowledged);
        return a;
    case AlarmAction::Acknowledge:
        if (s == AlarmState::Acknowledged)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already acknowledged"));
        if (s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed; there is nothing to acknowledge"));
        if (hidden(s))
            return refusal(QT_TRANSLATE_NOOP(
                "AlarmRefusal",
                "a shelved, suppressed or out-of-service alarm cannot be acknowledged; bring it back first"));
        a.acknowledged = true;
        a.state = derivedState(a.active, true);
        return a;
    case AlarmAction::Assign:
        if (c.assignee.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "say to whom the alarm is assigned"));
        if (s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed"));
        a.assignee = c.assignee.trimmed();
        return a;
    case AlarmAction::Comment:
        if (c.text.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "a comment needs text"));
        return a;
    case AlarmAction::Shelve:
        if (alarm.priority <= 1)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "priority-1 alarms cannot be shelved"));
        if (hidden(s) || s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "only a standing alarm can be shelved"));
        if (c.text.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "shelving needs a reason"));
        if (c.durationMs < minShelveMs || c.durationMs > maxShelveMs)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "shelve for between 1 minute and 24 hours"));
        a.state = AlarmState::Shelved;
        a.shelvedUntilMs = c.atMs + c.durationMs;
        return a;
    case AlarmAction::Unshelve:
    case AlarmAction::AutoUnshelve:
        if (s != AlarmState::Shelved)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not shelved"));
        if (c.action == AlarmAction::AutoUnshelve && c.atMs < alarm.shelvedUntilMs)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the shelving time is not over"));
        a.shelvedUntilMs = 0;
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    case AlarmAction::Escalate:
        // Up one priority step and to the supervisor; a priority-1 alarm goes to the supervisor only.
        if (!alarm.active || hidden(s))
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "only an active, visible alarm can be escalated"));
        a.priority = std::max(1, alarm.priority - 1);
        ++a.escalations;
        if (!a.desks.contains(QLatin1String("supervisor"))) {
            a.desks.append(QStringLiteral("supervisor"));
            a.desksAtMs.push_back(c.atMs);
        }
        return a;
    case AlarmAction::Remind:
        if (s != AlarmState::Unacknowledged)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "only an unacknowledged alarm is reminded of"));
        return a;
    case AlarmAction::ProcedureStep: {
        bool ok = false;
        const int step = c.text.toInt(&ok);
        if (!ok || step < 1)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "say which step of the procedure (1, 2, ...)"));
        if (s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed"));
        return a;
    }
    case AlarmAction::Dispatch:
        if (c.text.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "say to which desk"));
        if (a.desks.contains(c.text))
            return QStringLiteral("already dispatched to %1").arg(c.text);
        a.desks.append(c.text);
        a.desksAtMs.push_back(c.atMs);
        return a;
    case AlarmAction::Notify:
        if (c.text.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "a notification outcome needs text"));
        return a;
    case AlarmAction::UpdateMembers:
        if (s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed"));
        a.members = c.members;
        return a;
    case AlarmAction::Close:
        if (s == AlarmState::Normal)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already closed"));
        // A latched alarm (an SOS, a fall: a moment, not a condition that clears) is closed by the
        // operator once acknowledged.
        if (alarm.active && !(isLatchedAlarmType(alarm.type) && alarm.acknowledged))
            return refusal(
                QT_TRANSLATE_NOOP("AlarmRefusal", "the condition is still active; it can be acknowledged, not closed"));
        a.active = false;
        if (hidden(s))
            return refusal(QT_TRANSLATE_NOOP(
                "AlarmRefusal", "a shelved, suppressed or out-of-service alarm cannot be closed; bring it back first"));
        a.acknowledged = true;
        a.state = AlarmState::Normal;
        return a;
    case AlarmAction::RemoveFromService:
        if (s == AlarmState::OutOfService)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already out of service"));
        if (c.text.trimmed().isEmpty())
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "taking an alarm out of service needs a reason"));
        a.state = AlarmState::OutOfService;
        a.shelvedUntilMs = 0;
        return a;
    case AlarmAction::ReturnToService:
        if (s != AlarmState::OutOfService)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not out of service"));
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    case AlarmAction::Suppress:
        if (s == AlarmState::OutOfService)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is out of service"));
        a.state = AlarmState::SuppressedByDesign;
        return a;
    case AlarmAction::Unsuppress:
        if (s != AlarmState::SuppressedByDesign)
            return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not suppressed"));
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    }
    return refusal(QT_TRANSLATE_NOOP("AlarmRefusal", "unknown command"));
}

} // namespace gwanje
