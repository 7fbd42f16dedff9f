#pragma once

#include "assets/Asset.h"
#include "events/Event.h"
#include "fusion/GeofenceMonitor.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace gwanje {

// A sensor limit with a deadband and delays, so a reading hovering at the limit does not chatter:
// the alarm comes when the value has been beyond `on` for onDelayMs, and clears when it has been
// back beyond `off` (on the safe side of `on`) for offDelayMs.
struct ThresholdRule
{
    QString name; // e.g. pm10_bad; shown in the alarm's detail
    Quantity quantity = Quantity::None;
    bool above = true; // alarm when the value rises above `on` (false: falls below)
    double on = 0.0;
    double off = 0.0;
    qint64 onDelayMs = 0;
    qint64 offDelayMs = 0;
    int priority = 4;
    // Only sensors measuring this (tap-water turbidity limits mean nothing in a pond); nullopt:
    // every sensor reporting the quantity.
    std::optional<SensorMedium> medium;
};

// Which desks an alarm goes to: the first rule that matches decides (by type, priority, district).
struct RouteRule
{
    QStringList types;     // empty: every type
    int maxPriority = 4;   // matches alarms of this priority or more urgent
    QStringList districts; // empty: everywhere
    QStringList desks;     // ops, police-112, fire-119, facilities
};

// The standard operating procedure of an alarm type: a short checklist in both languages.
struct Procedure
{
    QStringList stepsKo;
    QStringList stepsEn;
};

// The alarm types whose descriptor says they notify guardians (alarms/AlarmType.h).
QStringList guardianNotifiedTypes();

struct NotificationConfig
{
    QString url;                                 // the SMS gateway's webhook; empty: off
    QStringList types = guardianNotifiedTypes(); // which alarms notify guardians
    int maxAttempts = 5;
    int initialBackoffMs = 1000;
    int maxBackoffMs = 60'000;
    int timeoutMs = 5000;
};

// Everything the fusion rules can be told, from a data file (resources/data/fusion/rules.json)
// with the built-in rules (the shipped file, compiled in) for what it leaves out or gets wrong.
struct FusionConfig
{
    GeofenceOptions geofence;
    QHash<QString, int> priorities; // alarm type -> 1..4

    // How long a condition of a graced type stands before it is an alarm (alarm type -> ms; the
    // shipped file gives every graced type one: grace."<type>_s").
    QHash<QString, qint64> graceMs;
    qint64 deviceSilentMs = 1'800'000; // a wearer's device not heard from this long is offline too
    double lowBatteryPercent = 15.0;
    double lowBatteryClearPercent = 25.0;
    int groupMinMembers = 5;        // this many of one district failing together: one grouped alarm
    qint64 groupWindowMs = 120'000; // "together": within this of each other

    std::vector<ThresholdRule> thresholds;

    qint64 floodWindowMs = 600'000; // ISA-18.2: more than 10 alarms in 10 minutes begins a flood...
    int floodBeginAbove = 10;
    int floodEndBelow = 5; // ...fewer than 5 ends it

    std::vector<RouteRule> routes;
    QString escalationDesk = QStringLiteral("supervisor");
    qint64 escalateAfterMs = 60'000; // an unacknowledged priority-1 alarm
    qint64 remindEveryMs = 60'000;

    QHash<QString, Procedure> procedures;
    NotificationConfig notifications;
    qint64 kpiWindowMs = 3'600'000;
    qint64 dedupMemory = 200'000; // source event ids remembered for de-duplication

    int priorityOf(const QString &type) const { return priorities.value(type, 3); }
    qint64 graceOf(const QString &type) const { return graceMs.value(type, 0); }
    QStringList desksFor(const QString &type, int priority, const QString &district) const;

    // The built-in defaults (the same as the shipped file).
    static FusionConfig defaults();
    // Reads a rules file over the defaults. Every key's type is checked and unknown keys are
    // named; each problem is appended to `problems` in English, starting with its JSON path
    // ("thresholds[2].above: expected a number, got a string"). A top-level section with any
    // problem keeps its built-in rules as a whole; a file that cannot be read or parsed keeps
    // them all. No problems: the file applies as written.
    static FusionConfig load(const QString &path, QStringList *problems);
    static FusionConfig fromJson(const QByteArray &json, QStringList *problems);
};

} // namespace gwanje
