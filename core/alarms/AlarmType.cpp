#include "AlarmType.h"

namespace gwanje {

namespace detail {
// The descriptors of the fusion rules in their order: generated from core/fusion/rules/ into
// FusionRuleList.cpp (core/CMakeLists.txt), so a new rule is one file.
std::span<const AlarmType> registeredAlarmTypes();
} // namespace detail

std::span<const AlarmType> alarmTypes()
{
    return detail::registeredAlarmTypes();
}

std::optional<AlarmType> alarmTypeFromName(QStringView name)
{
    for (AlarmType type : alarmTypes()) {
        if (name == QLatin1String(type.info().name))
            return type;
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
        const auto outage = alarmTypeFromName(u"outage");
        if (!outage)
            return std::nullopt;
        key.kind = Kind::Outage;
        key.type = *outage;
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
    // A source's id may hold a bar; a per-rule type's rule name is what follows the last one.
    if (type->info().perRule) {
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
