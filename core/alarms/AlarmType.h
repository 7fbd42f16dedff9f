#pragma once

#include <QString>
#include <QStringView>

#include <optional>
#include <span>

namespace gwanje {

// Every kind of alarm the console raises. The database, rules.json, the reports and the logs know
// each by its name ("sos"); code uses the value. Adding one: a value here, its descriptor in
// AlarmType.cpp, its condition in the fusion rules, its entry in the shipped rules.json
// (priority, procedure, route) and its Korean label in the translation; tst_alarmtypes checks
// that nothing of that is missing (DEVELOPERS.md: "A new alarm rule").
enum class AlarmType : quint8 {
    Sos,
    Fall,
    SafeZoneExit,
    DeviceOffline,
    LowBattery,
    CameraOffline,
    CameraFrozen,
    ApOffline,
    ShelterOffline,
    StreetlightFault,
    SensorThreshold,
    Outage,
};

// What an alarm is about: who answers it and whether it may ever be grouped away.
enum class AlarmSubject : quint8 {
    Person,         // a wearer in danger: never grouped or hidden
    WearerDevice,   // the safety device itself (link, battery)
    Infrastructure, // the city's fixed assets (CCTV, WiFi, shelters, streetlights)
    Environment,    // what the sensors measure
    Group,          // many conditions standing as one alarm
};

struct AlarmTypeInfo
{
    AlarmType type;
    const char *name;    // in the database, rules.json and reports
    const char *labelEn; // what the console calls it; translated in the "gwanje::AlarmType" context
    const char *labelKo; // its Korean label (the translation file must say the same)
    int defaultPriority; // 1 (most urgent) .. 4; rules.json may set another
    AlarmSubject subject;
    bool latched;               // a moment, not a condition: stays active until an operator closes it
    bool floodGroupable;        // joins one grouped alarm of its type while its desk is in flood
    bool outageMember;          // a failing fixed asset: counts towards its district's grouped outage
    bool notifiesGuardians;     // by default (rules.json's notifications.types decides)
    const char *guardianTextKo; // how a guardian's SMS names it (notifying types)
};

// What makes an alarm one of a kind: one standing alarm per key. Its text (toString()) is what
// the alarms table stores in dedup_key, and a restart reads it back with parse().
struct AlarmKey
{
    enum class Kind : quint8 {
        Single, // one condition of one source: "type|source", a threshold rule's "type|source|rule"
        Flood,  // conditions of one type grouped while a desk was in flood: "flood|type" or "flood|type|rule"
        Outage, // fixed assets of one district failing together: "outage|district"
    };
    Kind kind = Kind::Single;
    AlarmType type = AlarmType::Sos; // Outage for an outage
    QString subject;                 // Single: the source's id; Outage: the district's name
    QString rule;                    // SensorThreshold: the rule's name

    QString toString() const;
    // nullopt for a key this build cannot read (a type it does not know).
    static std::optional<AlarmKey> parse(const QString &text);
    // The flood group's own key: the type and, for thresholds, the rule ("type" or "type|rule").
    QString groupName() const;
};

// Every descriptor, in the order of the enum.
std::span<const AlarmTypeInfo> alarmTypes();
const AlarmTypeInfo &alarmTypeInfo(AlarmType type);
QString alarmTypeName(AlarmType type);
std::optional<AlarmType> alarmTypeFromName(QStringView name);

} // namespace gwanje
