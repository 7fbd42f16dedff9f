#pragma once

// Private to the notifier: what goes to the SMS gateway. Everything here is personal data.

#include <QByteArray>
#include <QString>

namespace gwanje {

struct NotificationRequest;

// Digits, with a leading '+' kept: "010-0000-1234" and "01000001234" are one recipient.
QString normalizedPhone(const QString &phone);
// "<alarm id>-<first 16 hex digits of SHA-256 of the number>": the same on every retry and after a
// restart, so the gateway can drop a repeat it already delivered; it does not spell out the number.
QByteArray idempotencyKey(qint64 alarmId, const QString &phone);
// The SMS itself, short enough for one 90-byte Korean SMS in the usual case:
// "[관제] SD-000042 착용자(치매) 안심구역 이탈 23:04 은평구 위치 37.60270,126.92910".
QString smsText(const NotificationRequest &request);
// The POST body: alarm_id, alarm_type, device_id, wearer_category, district, raised_at, recipient, text.
QByteArray gatewayBody(const NotificationRequest &request, const QString &phone);

} // namespace gwanje
