#pragma once

#include <QString>
#include <QStringView>

#include <optional>
#include <span>

namespace gwanje {

// What an alarm is about: who answers it and whether it may ever be grouped away.
enum class AlarmSubject : quint8 {
    Person,         // a wearer in danger: never grouped or hidden
    WearerDevice,   // the safety device itself (link, battery)
    Infrastructure, // the city's fixed assets (CCTV, WiFi, shelters, streetlights)
    Environment,    // what the sensors measure
    Group,          // many conditions standing as one alarm
};

// One kind of alarm the console raises. Each is declared beside the rule that raises it
// (core/fusion/rules/<Name>Rule.cpp: the descriptor and the condition in one file); the database,
// rules.json, the reports and the logs know it by its name ("sos").
struct AlarmTypeInfo
{
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
    bool graced = false;        // waits a grace period: rules.json's grace."<name>_s"
    bool perRule = false;       // one condition per configured rule (thresholds): the key names the rule
};

// A typed handle on one descriptor: compared by identity, never by its text.
class AlarmType
{
public:
    constexpr AlarmType() = default; // none
    constexpr explicit AlarmType(const AlarmTypeInfo &info)
        : m_info(&info)
    {}
    constexpr bool isValid() const { return m_info != nullptr; }
    const AlarmTypeInfo &info() const { return *m_info; }
    QString name() const { return m_info ? QString::fromLatin1(m_info->name) : QString(); }
    friend constexpr bool operator==(AlarmType a, AlarmType b) { return a.m_info == b.m_info; }

private:
    const AlarmTypeInfo *m_info = nullptr;
};

// What makes an alarm one of a kind: one standing alarm per key. Its text (toString()) is what
// the alarms table stores in dedup_key, and a restart reads it back with parse().
struct AlarmKey
{
    enum class Kind : quint8 {
        Single, // one condition of one source: "type|source", a per-rule type's "type|source|rule"
        Flood,  // conditions of one type grouped while a desk was in flood: "flood|type" or "flood|type|rule"
        Outage, // fixed assets of one district failing together: "outage|district"
    };
    Kind kind = Kind::Single;
    AlarmType type;  // the outage type for an outage
    QString subject; // Single: the source's id; Outage: the district's name
    QString rule;    // per-rule types: the rule's name

    QString toString() const;
    // nullopt for a key this build cannot read (a type it does not know).
    static std::optional<AlarmKey> parse(const QString &text);
    // The flood group's own key: the type and, for per-rule types, the rule ("type" or "type|rule").
    QString groupName() const;
};

// Every type the fusion rules raise, in their evaluation order (FusionRuleEntry::order).
std::span<const AlarmType> alarmTypes();
inline const AlarmTypeInfo &alarmTypeInfo(AlarmType type)
{
    return type.info();
}
inline QString alarmTypeName(AlarmType type)
{
    return type.name();
}
std::optional<AlarmType> alarmTypeFromName(QStringView name);

} // namespace gwanje
