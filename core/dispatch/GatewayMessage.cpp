#include "GatewayMessage_p.h"

#include "GuardianNotifier.h"
#include "alarms/AlarmType.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTime>

#include <cmath>

namespace gwanje {

namespace {
QString typeText(const QString &type)
{
    const auto known = alarmTypeFromName(type);
    if (known && *alarmTypeInfo(*known).guardianTextKo)
        return QString::fromUtf8(alarmTypeInfo(*known).guardianTextKo);
    return type;
}

QString categoryText(const QString &category)
{
    if (category == QLatin1String("child"))
        return QStringLiteral("아동");
    if (category == QLatin1String("dementia"))
        return QStringLiteral("치매");
    if (category == QLatin1String("disabled"))
        return QStringLiteral("장애인");
    return {};
}
} // namespace

QString normalizedPhone(const QString &phone)
{
    QString out;
    for (QChar c : phone) {
        if (c.isDigit() || (c == QLatin1Char('+') && out.isEmpty()))
            out.append(c);
    }
    return out;
}

QByteArray idempotencyKey(qint64 alarmId, const QString &phone)
{
    const QByteArray hash = QCryptographicHash::hash(phone.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QByteArray::number(alarmId) + '-' + hash.left(16);
}

QString smsText(const NotificationRequest &request)
{
    QString text = QStringLiteral("[관제] ") + request.deviceId + QStringLiteral(" 착용자");
    const QString category = categoryText(request.wearerCategory);
    if (!category.isEmpty())
        text += QLatin1Char('(') + category + QLatin1Char(')');
    text += QLatin1Char(' ') + typeText(request.alarmType);
    if (request.raisedAtMs > 0) {
        // Korea keeps UTC+9 all year: no time zone database needed for the guardian's clock.
        constexpr qint64 day = 86'400'000;
        const qint64 local = ((request.raisedAtMs + 9 * 3'600'000) % day + day) % day;
        text += QLatin1Char(' ') + QTime::fromMSecsSinceStartOfDay(int(local)).toString(QStringLiteral("HH:mm"));
    }
    if (!request.district.isEmpty())
        text += QLatin1Char(' ') + request.district;
    if (std::isfinite(request.latitude) && std::isfinite(request.longitude))
        text += QStringLiteral(" 위치 %1,%2").arg(request.latitude, 0, 'f', 5).arg(request.longitude, 0, 'f', 5);
    else
        text += QStringLiteral(" 위치 미상");
    return text;
}

QByteArray gatewayBody(const NotificationRequest &request, const QString &phone)
{
    const QJsonObject body{
        {QStringLiteral("alarm_id"), double(request.alarmId)},
        {QStringLiteral("alarm_type"), request.alarmType},
        {QStringLiteral("device_id"), request.deviceId},
        {QStringLiteral("wearer_category"), request.wearerCategory},
        {QStringLiteral("district"), request.district},
        {QStringLiteral("raised_at"),
         QDateTime::fromMSecsSinceEpoch(request.raisedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("recipient"), phone},
        {QStringLiteral("text"), smsText(request)},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace gwanje
