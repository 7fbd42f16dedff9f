#include "AlarmType.h"

#include <QtGlobal>

#include <array>

namespace gwanje {

namespace {

using S = AlarmSubject;

// name, English label, Korean label, priority, subject, latched, flood-groupable, outage member,
// notifies guardians, the guardian's SMS wording.
constexpr std::array<AlarmTypeInfo, 12> table{{
    {AlarmType::Sos, "sos", QT_TRANSLATE_NOOP("gwanje::AlarmType", "SOS emergency call"), "SOS 긴급호출", 1, S::Person,
     true, false, false, true, "긴급호출(SOS)"},
    {AlarmType::Fall, "fall", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Fall"), "낙상", 1, S::Person, true, false, false,
     false, "낙상 감지"},
    {AlarmType::SafeZoneExit, "safe_zone_exit", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Left the safe zone"),
     "안심구역 이탈", 2, S::Person, false, false, false, true, "안심구역 이탈"},
    {AlarmType::DeviceOffline, "device_offline", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Device disconnected"),
     "단말 연결 끊김", 3, S::WearerDevice, false, true, false, false, ""},
    {AlarmType::LowBattery, "low_battery", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Low battery"), "배터리 부족", 4,
     S::WearerDevice, false, true, false, false, ""},
    {AlarmType::CameraOffline, "camera_offline", QT_TRANSLATE_NOOP("gwanje::AlarmType", "CCTV disconnected"),
     "CCTV 연결 끊김", 3, S::Infrastructure, false, true, true, false, ""},
    {AlarmType::CameraFrozen, "camera_frozen", QT_TRANSLATE_NOOP("gwanje::AlarmType", "CCTV picture frozen"),
     "CCTV 영상 정지", 4, S::Infrastructure, false, true, false, false, ""},
    {AlarmType::ApOffline, "ap_offline", QT_TRANSLATE_NOOP("gwanje::AlarmType", "WiFi AP failure"), "WiFi AP 장애", 4,
     S::Infrastructure, false, true, true, false, ""},
    {AlarmType::ShelterOffline, "shelter_offline", QT_TRANSLATE_NOOP("gwanje::AlarmType", "u-Shelter display down"),
     "u-쉘터 안내화면 장애", 4, S::Infrastructure, false, true, true, false, ""},
    {AlarmType::StreetlightFault, "streetlight_fault", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Streetlight fault"),
     "가로등 고장", 4, S::Infrastructure, false, true, true, false, ""},
    {AlarmType::SensorThreshold, "sensor_threshold",
     QT_TRANSLATE_NOOP("gwanje::AlarmType", "Environment sensor over its limit"), "환경 센서 기준 초과", 4,
     S::Environment, false, true, false, false, ""},
    {AlarmType::Outage, "outage", QT_TRANSLATE_NOOP("gwanje::AlarmType", "Grouped outage"), "집단 장애", 2, S::Group,
     false, false, false, false, ""},
}};

constexpr bool inEnumOrder()
{
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (std::size_t(table[i].type) != i)
            return false;
    }
    return true;
}
static_assert(inEnumOrder(), "the descriptors follow the enum");

} // namespace

std::span<const AlarmTypeInfo> alarmTypes()
{
    return table;
}

const AlarmTypeInfo &alarmTypeInfo(AlarmType type)
{
    return table[std::size_t(type)];
}

QString alarmTypeName(AlarmType type)
{
    return QString::fromLatin1(alarmTypeInfo(type).name);
}

std::optional<AlarmType> alarmTypeFromName(QStringView name)
{
    for (const AlarmTypeInfo &info : table) {
        if (name == QLatin1String(info.name))
            return info.type;
    }
    return std::nullopt;
}

QString AlarmKey::groupName() const
{
    return rule.isEmpty() ? alarmTypeName(type) : alarmTypeName(type) + QLatin1Char('|') + rule;
}

QString AlarmKey::toString() const
{
    switch (kind) {
    case Kind::Flood:
        return QStringLiteral("flood|") + groupName();
    case Kind::Outage:
        return QStringLiteral("outage|") + subject;
    case Kind::Single:
        break;
    }
    QString text = alarmTypeName(type) + QLatin1Char('|') + subject;
    if (!rule.isEmpty())
        text += QLatin1Char('|') + rule;
    return text;
}

std::optional<AlarmKey> AlarmKey::parse(const QString &text)
{
    const qsizetype bar = text.indexOf(QLatin1Char('|'));
    if (bar <= 0)
        return std::nullopt;
    const QStringView head = QStringView(text).left(bar);
    QString rest = text.mid(bar + 1);
    AlarmKey key;
    if (head == QLatin1String("outage")) {
        key.kind = Kind::Outage;
        key.type = AlarmType::Outage;
        key.subject = rest;
        return key;
    }
    if (head == QLatin1String("flood")) {
        key.kind = Kind::Flood;
        const qsizetype next = rest.indexOf(QLatin1Char('|'));
        const auto type = alarmTypeFromName(next < 0 ? QStringView(rest) : QStringView(rest).left(next));
        if (!type)
            return std::nullopt;
        key.type = *type;
        if (next >= 0)
            key.rule = rest.mid(next + 1);
        return key;
    }
    const auto type = alarmTypeFromName(head);
    if (!type)
        return std::nullopt;
    key.type = *type;
    // A source's id may hold a bar; a threshold rule's name is what follows the last one.
    if (*type == AlarmType::SensorThreshold) {
        const qsizetype last = rest.lastIndexOf(QLatin1Char('|'));
        if (last >= 0) {
            key.rule = rest.mid(last + 1);
            rest.truncate(last);
        }
    }
    key.subject = rest;
    return key;
}

} // namespace gwanje
