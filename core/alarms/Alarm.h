#pragma once

#include <QString>
#include <QStringList>

#include <limits>
#include <optional>
#include <variant>
#include <vector>

namespace gwanje {

// ISA-18.2 / IEC 62682 alarm states.
enum class AlarmState : quint8 {
    Normal,                 // condition clear and acknowledged: closed
    Unacknowledged,         // active, not acknowledged
    Acknowledged,           // active, acknowledged
    ReturnedUnacknowledged, // condition clear, never acknowledged
    Shelved,                // hidden by an operator for a time, then unshelved automatically
    SuppressedByDesign,     // hidden by engineered logic (e.g. the device is in maintenance)
    OutOfService,           // taken out of service, authorised and audited
};
QString alarmStateName(AlarmState state);
std::optional<AlarmState> alarmStateFromName(const QString &name);

// What can happen to an alarm: operator commands and system events alike.
enum class AlarmAction : quint8 {
    Raise,             // system: the condition became active (again)
    Clear,             // system: the condition returned to normal
    Acknowledge,       // operator, optional comment
    Assign,            // operator: to someone
    Comment,           // operator
    Shelve,            // operator: reason and duration; never for priority 1
    Unshelve,          // operator
    AutoUnshelve,      // system: the shelving time is over
    Escalate,          // operator or system: one priority step up
    Close,             // operator: a returned alarm is acknowledged and closed
    RemoveFromService, // operator: reason required
    ReturnToService,   // operator
    Suppress,          // system, by design
    Unsuppress,        // system
    Remind,            // system: an escalated alarm is still not acknowledged
    ProcedureStep,     // operator: ticked (or unticked) a step of the alarm's procedure; text = step number
    Dispatch,          // system: sent to a desk; text = the desk
    Notify,            // system: a guardian notification was delivered or failed; text = outcome
    UpdateMembers,     // system: a grouped alarm gained members; text = how many now
};
QString alarmActionName(AlarmAction action);

// One alarm: a plain value. Priority 1 is the highest (SOS), 4 the lowest.
struct Alarm
{
    qint64 id = 0;
    QString type; // sos, fall, safe_zone_exit, device_offline, ap_offline, camera_offline, sensor_threshold, ...
    int priority = 3;
    AlarmState state = AlarmState::Unacknowledged;
    bool active = true; // the condition is in alarm
    bool acknowledged = false;
    QString source; // the source's id (device, AP, camera...)
    qint64 raisedAtMs = 0;
    qint64 updatedAtMs = 0;
    double latitude = std::numeric_limits<double>::quiet_NaN();
    double longitude = std::numeric_limits<double>::quiet_NaN();
    QString assignee;
    qint64 shelvedUntilMs = 0;
    QString detail;                // English, for logs and reports; the UI shows the type's own text
    QString district;              // where it happened (Korean district name), when known
    QStringList desks;             // dispatched to (ops, police-112, fire-119, supervisor), in order
    std::vector<qint64> desksAtMs; // when, parallel to desks
    QStringList cameras;           // linked camera site ids, best first (SOS, fall, safe-zone exit)
    QStringList members;           // a grouped alarm: the sources it stands for
    int escalations = 0;           // times escalated to the supervisor (and reminded)
    QString dedupKey;              // type + source (+ group): one standing alarm per key
    QString raisedBy;              // eventReference() of the event that raised it (SOS, fall), if one did

    bool dispatchedTo(const QString &desk) const { return desks.contains(desk); }
    bool grouped() const { return !members.isEmpty(); }
};

struct AlarmCommand
{
    qint64 alarmId = 0;
    AlarmAction action = AlarmAction::Acknowledge;
    QString actor; // who: an operator's name, or "system"
    QString desk;  // ops, police-112, fire-119, supervisor
    QString text;  // comment or reason
    QString assignee;
    qint64 durationMs = 0; // shelve
    qint64 atMs = 0;       // when (UTC ms); 0 = now
    QStringList members;   // UpdateMembers: the grouped alarm's members now
};

// Why a command on an alarm is refused, as a value: code compares these, logs print
// alarmRefusalName(), and the console shows alarmRefusalText() translated in the "AlarmRefusal"
// context, with the detail (%1) where the sentence names one.
enum class AlarmRefusal : quint8 {
    None,
    NoSuchAlarm,
    NoActor,
    Busy,
    NotPermitted,
    NotSaved,
    RaisedNotSaved,
    AlreadyAcknowledged,
    NothingToAcknowledge,
    HiddenNotAcknowledgeable,
    NoAssignee,
    Closed,
    NoCommentText,
    Priority1NotShelvable,
    NotStanding,
    NoShelveReason,
    ShelveDuration,
    NotShelved,
    ShelvingNotOver,
    NotEscalatable,
    NotUnacknowledged,
    NoProcedureStep,
    NoDesk,
    AlreadyDispatched,
    NoNotificationOutcome,
    AlreadyClosed,
    StillActive,
    HiddenNotClosable,
    AlreadyOutOfService,
    NoOutOfServiceReason,
    NotOutOfService,
    OutOfService,
    NotSuppressed,
    UnknownCommand,
};
QString alarmRefusalName(AlarmRefusal reason); // "already_acknowledged"; empty for None
const char *alarmRefusalText(AlarmRefusal reason); // English, untranslated: "the alarm is already acknowledged"
// The English sentence, with the detail in place of %1 (for logs and reports).
QString alarmRefusalSentence(AlarmRefusal reason, const QString &detail = {});

// A refused command: why, and what the sentence names (the desk, the database error...).
struct AlarmRefused
{
    AlarmRefusal reason = AlarmRefusal::None;
    QString detail;
};

// An alarm for a moment (SOS, fall) rather than a condition that clears by itself: it stays
// active until the operator, having acknowledged it, closes it.
bool isLatchedAlarmType(const QString &type);

// The state an alarm is in from its condition and acknowledgement alone.
AlarmState derivedState(bool active, bool acknowledged);

// Applies a command to an alarm: the new alarm, or why the command is refused.
std::variant<Alarm, AlarmRefused> applyAlarmCommand(const Alarm &alarm, const AlarmCommand &command);

} // namespace gwanje
