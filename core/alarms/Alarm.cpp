#include "Alarm.h"

#include "AlarmType.h"
#include "EnumTable_p.h"

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

// Each refusal's name and English sentence, in the order of the enum; the console translates
// the sentence (context AlarmRefusal).
namespace {
constexpr std::array<std::tuple<AlarmRefusal, const char *, const char *>, 34> refusals{{
    {AlarmRefusal::None, "", ""},
    {AlarmRefusal::NoSuchAlarm, "no_such_alarm", QT_TRANSLATE_NOOP("AlarmRefusal", "no open alarm %1")},
    {AlarmRefusal::NoActor, "no_actor", QT_TRANSLATE_NOOP("AlarmRefusal", "a command needs the actor")},
    {AlarmRefusal::Busy, "busy", QT_TRANSLATE_NOOP("AlarmRefusal", "another command on this alarm is being saved")},
    {AlarmRefusal::NotPermitted, "not_permitted", QT_TRANSLATE_NOOP("AlarmRefusal", "not permitted: %1")},
    {AlarmRefusal::NotSaved, "not_saved", QT_TRANSLATE_NOOP("AlarmRefusal", "not saved, so not done: %1")},
    {AlarmRefusal::RaisedNotSaved, "raised_not_saved", QT_TRANSLATE_NOOP("AlarmRefusal", "raised but not saved: %1")},
    {AlarmRefusal::AlreadyAcknowledged, "already_acknowledged",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already acknowledged")},
    {AlarmRefusal::NothingToAcknowledge, "nothing_to_acknowledge",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed; there is nothing to acknowledge")},
    {AlarmRefusal::HiddenNotAcknowledgeable, "hidden_not_acknowledgeable",
     QT_TRANSLATE_NOOP("AlarmRefusal",
                       "a shelved, suppressed or out-of-service alarm cannot be acknowledged; bring it back first")},
    {AlarmRefusal::NoAssignee, "no_assignee", QT_TRANSLATE_NOOP("AlarmRefusal", "say to whom the alarm is assigned")},
    {AlarmRefusal::Closed, "closed", QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is closed")},
    {AlarmRefusal::NoCommentText, "no_comment_text", QT_TRANSLATE_NOOP("AlarmRefusal", "a comment needs text")},
    {AlarmRefusal::Priority1NotShelvable, "priority1_not_shelvable",
     QT_TRANSLATE_NOOP("AlarmRefusal", "priority-1 alarms cannot be shelved")},
    {AlarmRefusal::NotStanding, "not_standing",
     QT_TRANSLATE_NOOP("AlarmRefusal", "only a standing alarm can be shelved")},
    {AlarmRefusal::NoShelveReason, "no_shelve_reason", QT_TRANSLATE_NOOP("AlarmRefusal", "shelving needs a reason")},
    {AlarmRefusal::ShelveDuration, "shelve_duration",
     QT_TRANSLATE_NOOP("AlarmRefusal", "shelve for between 1 minute and 24 hours")},
    {AlarmRefusal::NotShelved, "not_shelved", QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not shelved")},
    {AlarmRefusal::ShelvingNotOver, "shelving_not_over",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the shelving time is not over")},
    {AlarmRefusal::NotEscalatable, "not_escalatable",
     QT_TRANSLATE_NOOP("AlarmRefusal", "only an active, visible alarm can be escalated")},
    {AlarmRefusal::NotUnacknowledged, "not_unacknowledged",
     QT_TRANSLATE_NOOP("AlarmRefusal", "only an unacknowledged alarm is reminded of")},
    {AlarmRefusal::NoProcedureStep, "no_procedure_step",
     QT_TRANSLATE_NOOP("AlarmRefusal", "say which step of the procedure (1, 2, ...)")},
    {AlarmRefusal::NoDesk, "no_desk", QT_TRANSLATE_NOOP("AlarmRefusal", "say to which desk")},
    {AlarmRefusal::AlreadyDispatched, "already_dispatched",
     QT_TRANSLATE_NOOP("AlarmRefusal", "already dispatched to %1")},
    {AlarmRefusal::NoNotificationOutcome, "no_notification_outcome",
     QT_TRANSLATE_NOOP("AlarmRefusal", "a notification outcome needs text")},
    {AlarmRefusal::AlreadyClosed, "already_closed", QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already closed")},
    {AlarmRefusal::StillActive, "still_active",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the condition is still active; it can be acknowledged, not closed")},
    {AlarmRefusal::HiddenNotClosable, "hidden_not_closable",
     QT_TRANSLATE_NOOP("AlarmRefusal",
                       "a shelved, suppressed or out-of-service alarm cannot be closed; bring it back first")},
    {AlarmRefusal::AlreadyOutOfService, "already_out_of_service",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is already out of service")},
    {AlarmRefusal::NoOutOfServiceReason, "no_out_of_service_reason",
     QT_TRANSLATE_NOOP("AlarmRefusal", "taking an alarm out of service needs a reason")},
    {AlarmRefusal::NotOutOfService, "not_out_of_service",
     QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not out of service")},
    {AlarmRefusal::OutOfService, "out_of_service", QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is out of service")},
    {AlarmRefusal::NotSuppressed, "not_suppressed", QT_TRANSLATE_NOOP("AlarmRefusal", "the alarm is not suppressed")},
    {AlarmRefusal::UnknownCommand, "unknown_command", QT_TRANSLATE_NOOP("AlarmRefusal", "unknown command")},
}};
static_assert(followsEnum(refusals), "one row per refusal, in the order of the enum");
} // namespace

QString alarmRefusalName(AlarmRefusal reason)
{
    return QString::fromLatin1(std::get<1>(refusals[std::size_t(reason)]));
}

const char *alarmRefusalText(AlarmRefusal reason)
{
    return std::get<2>(refusals[std::size_t(reason)]);
}

QString alarmRefusalSentence(AlarmRefusal reason, const QString &detail)
{
    const QString text = QString::fromLatin1(alarmRefusalText(reason));
    return text.contains(QLatin1String("%1")) ? text.arg(detail) : text;
}

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

std::variant<Alarm, AlarmRefused> applyAlarmCommand(const Alarm &alarm, const AlarmCommand &c)
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
            return AlarmRefused{AlarmRefusal::AlreadyAcknowledged, {}};
        if (s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::NothingToAcknowledge, {}};
        if (hidden(s))
            return AlarmRefused{AlarmRefusal::HiddenNotAcknowledgeable, {}};
        a.acknowledged = true;
        a.state = derivedState(a.active, true);
        return a;
    case AlarmAction::Assign:
        if (c.assignee.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoAssignee, {}};
        if (s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::Closed, {}};
        a.assignee = c.assignee.trimmed();
        return a;
    case AlarmAction::Comment:
        if (c.text.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoCommentText, {}};
        return a;
    case AlarmAction::Shelve:
        if (alarm.priority <= 1)
            return AlarmRefused{AlarmRefusal::Priority1NotShelvable, {}};
        if (hidden(s) || s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::NotStanding, {}};
        if (c.text.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoShelveReason, {}};
        if (c.durationMs < minShelveMs || c.durationMs > maxShelveMs)
            return AlarmRefused{AlarmRefusal::ShelveDuration, {}};
        a.state = AlarmState::Shelved;
        a.shelvedUntilMs = c.atMs + c.durationMs;
        return a;
    case AlarmAction::Unshelve:
    case AlarmAction::AutoUnshelve:
        if (s != AlarmState::Shelved)
            return AlarmRefused{AlarmRefusal::NotShelved, {}};
        if (c.action == AlarmAction::AutoUnshelve && c.atMs < alarm.shelvedUntilMs)
            return AlarmRefused{AlarmRefusal::ShelvingNotOver, {}};
        a.shelvedUntilMs = 0;
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    case AlarmAction::Escalate:
        // Up one priority step and to the supervisor; a priority-1 alarm goes to the supervisor only.
        if (!alarm.active || hidden(s))
            return AlarmRefused{AlarmRefusal::NotEscalatable, {}};
        a.priority = std::max(1, alarm.priority - 1);
        ++a.escalations;
        if (!a.desks.contains(QLatin1String("supervisor"))) {
            a.desks.append(QStringLiteral("supervisor"));
            a.desksAtMs.push_back(c.atMs);
        }
        return a;
    case AlarmAction::Remind:
        if (s != AlarmState::Unacknowledged)
            return AlarmRefused{AlarmRefusal::NotUnacknowledged, {}};
        return a;
    case AlarmAction::ProcedureStep: {
        bool ok = false;
        const int step = c.text.toInt(&ok);
        if (!ok || step < 1)
            return AlarmRefused{AlarmRefusal::NoProcedureStep, {}};
        if (s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::Closed, {}};
        return a;
    }
    case AlarmAction::Dispatch:
        if (c.text.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoDesk, {}};
        if (a.desks.contains(c.text))
            return AlarmRefused{AlarmRefusal::AlreadyDispatched, c.text};
        a.desks.append(c.text);
        a.desksAtMs.push_back(c.atMs);
        return a;
    case AlarmAction::Notify:
        if (c.text.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoNotificationOutcome, {}};
        return a;
    case AlarmAction::UpdateMembers:
        if (s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::Closed, {}};
        a.members = c.members;
        return a;
    case AlarmAction::Close:
        if (s == AlarmState::Normal)
            return AlarmRefused{AlarmRefusal::AlreadyClosed, {}};
        // A latched alarm (an SOS, a fall: a moment, not a condition that clears) is closed by the
        // operator once acknowledged.
        if (alarm.active && !(isLatchedAlarmType(alarm.type) && alarm.acknowledged))
            return AlarmRefused{AlarmRefusal::StillActive, {}};
        a.active = false;
        if (hidden(s))
            return AlarmRefused{AlarmRefusal::HiddenNotClosable, {}};
        a.acknowledged = true;
        a.state = AlarmState::Normal;
        return a;
    case AlarmAction::RemoveFromService:
        if (s == AlarmState::OutOfService)
            return AlarmRefused{AlarmRefusal::AlreadyOutOfService, {}};
        if (c.text.trimmed().isEmpty())
            return AlarmRefused{AlarmRefusal::NoOutOfServiceReason, {}};
        a.state = AlarmState::OutOfService;
        a.shelvedUntilMs = 0;
        return a;
    case AlarmAction::ReturnToService:
        if (s != AlarmState::OutOfService)
            return AlarmRefused{AlarmRefusal::NotOutOfService, {}};
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    case AlarmAction::Suppress:
        if (s == AlarmState::OutOfService)
            return AlarmRefused{AlarmRefusal::OutOfService, {}};
        a.state = AlarmState::SuppressedByDesign;
        return a;
    case AlarmAction::Unsuppress:
        if (s != AlarmState::SuppressedByDesign)
            return AlarmRefused{AlarmRefusal::NotSuppressed, {}};
        a.state = derivedState(a.active, a.acknowledged);
        return a;
    }
    return AlarmRefused{AlarmRefusal::UnknownCommand, {}};
}

} // namespace gwanje
