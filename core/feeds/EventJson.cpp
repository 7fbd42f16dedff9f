#include "EventJson.h"

#include "events/SourceDirectory.h"

#include <QDateTime>
#include <QJsonDocument>

#include <array>
#include <cmath>

namespace gwanje::EventJson {

namespace {

constexpr std::array<std::pair<CameraState, const char *>, 4> cameraStates{{{CameraState::Online, "online"},
                                                                            {CameraState::Offline, "offline"},
                                                                            {CameraState::Frozen, "frozen"},
                                                                            {CameraState::Black, "black"}}};
constexpr std::array<std::pair<LampState, const char *>, 5> lampStates{{{LampState::Ok, "ok"},
                                                                        {LampState::DefectiveLamp, "defectiveLamp"},
                                                                        {LampState::ColumnIssue, "columnIssue"},
                                                                        {LampState::BrokenLantern, "brokenLantern"},
                                                                        {LampState::Off, "off"}}};

template<typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, const char *>, N> &table, const QString &name)
{
    for (const auto &[value, text] : table) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

template<typename E, std::size_t N> QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[v, text] : table) {
        if (v == value)
            return QString::fromLatin1(text);
    }
    return {};
}

// A number member, NaN when absent; false when present but not a number.
bool optionalNumber(const QJsonObject &o, const char *key, double *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        *out = std::nan("");
        return true;
    }
    if (!v.isDouble())
        return false;
    *out = v.toDouble();
    return true;
}

} // namespace

std::variant<Event, QString> parse(const QByteArray &line, SourceDirectory &sources)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset);
    if (!doc.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject o = doc.object();

    Event e;
    const auto kind = eventKindFromName(o.value(QLatin1String("type")).toString());
    if (!kind)
        return QStringLiteral("unknown type \"%1\"").arg(o.value(QLatin1String("type")).toString());
    e.kind = *kind;
    const QString id = o.value(QLatin1String("id")).toString();
    if (id.isEmpty() || id.size() > 200)
        return QStringLiteral("\"id\" must be a non-empty string");

    const QJsonValue t = o.value(QLatin1String("t"));
    if (t.isDouble()) {
        // Checked as a double first: converting 1e300 to an integer is undefined.
        const double ms = t.toDouble();
        if (!(ms >= double(earliestSourceTimeMs) && ms < double(endOfSourceTimeMs)))
            return QStringLiteral("\"t\": source time out of range (years 2000 to 2099 in UTC milliseconds): %1")
                .arg(ms);
        e.sourceTimeMs = qint64(ms);
    } else if (t.isString()) {
        const QDateTime dt = QDateTime::fromString(t.toString(), Qt::ISODateWithMs);
        if (!dt.isValid())
            return QStringLiteral("\"t\" is not an ISO 8601 date-time: %1").arg(t.toString());
        e.sourceTimeMs = dt.toMSecsSinceEpoch();
    } else {
        return QStringLiteral("\"t\" (the source time) is missing");
    }

    double lat, lon, accuracy, speed, heading, battery, value;
    if (!optionalNumber(o, "lat", &lat) || !optionalNumber(o, "lon", &lon) ||
        !optionalNumber(o, "accuracy", &accuracy) || !optionalNumber(o, "speed", &speed) ||
        !optionalNumber(o, "heading", &heading) || !optionalNumber(o, "battery", &battery) ||
        !optionalNumber(o, "value", &value))
        return QStringLiteral("a numeric field holds something that is not a number");
    e.latitude = lat;
    e.longitude = lon;
    e.accuracy = float(accuracy);
    e.speed = float(speed);
    e.heading = float(heading);
    e.battery = float(battery);

    const QJsonValue eventId = o.value(QLatin1String("event_id"));
    if (eventId.isDouble() && eventId.toDouble() >= 0)
        e.sourceEventId = quint64(eventId.toDouble());
    else if (eventId.isString())
        e.sourceEventId = eventId.toString().toULongLong();

    switch (e.kind) {
    case EventKind::ApStatus:
        e.status = o.value(QLatin1String("up")).toBool() ? 1 : 0;
        e.count = o.value(QLatin1String("clients")).toInt();
        break;
    case EventKind::CameraHealth: {
        const auto state = lookup(cameraStates, o.value(QLatin1String("state")).toString());
        if (!state)
            return QStringLiteral("camera \"state\" must be online, offline or frozen");
        e.status = qint8(*state);
        break;
    }
    case EventKind::SensorReading: {
        const auto quantity = quantityFromName(o.value(QLatin1String("quantity")).toString());
        if (!quantity)
            return QStringLiteral("unknown \"quantity\" \"%1\"").arg(o.value(QLatin1String("quantity")).toString());
        e.quantity = *quantity;
        e.value = float(value);
        break;
    }
    case EventKind::StreetlightStatus: {
        const auto state = lookup(lampStates, o.value(QLatin1String("state")).toString());
        if (!state)
            return QStringLiteral(
                "streetlight \"state\" is not one of ok, defectiveLamp, columnIssue, brokenLantern, off");
        e.status = qint8(*state);
        double power;
        if (!optionalNumber(o, "power", &power))
            return QStringLiteral("\"power\" is not a number");
        e.value = float(power);
        break;
    }
    case EventKind::CitizenReport:
        e.text = o.value(QLatin1String("text")).toString().left(2000);
        break;
    default:
        break;
    }
    if (auto reason = validate(e))
        return *reason;
    e.source = sources.intern(id);
    return e;
}

QJsonObject toJson(const Event &e, const SourceDirectory &sources)
{
    QJsonObject o{{QStringLiteral("type"), eventKindName(e.kind)},
                  {QStringLiteral("id"), sources.id(e.source)},
                  {QStringLiteral("t"), double(e.sourceTimeMs)}};
    auto put = [&o](const char *key, double v) {
        if (std::isfinite(v))
            o.insert(QLatin1String(key), v);
    };
    put("lat", e.latitude);
    put("lon", e.longitude);
    put("accuracy", e.accuracy);
    put("speed", e.speed);
    put("heading", e.heading);
    put("battery", e.battery);
    if (e.sourceEventId != 0)
        o.insert(QStringLiteral("event_id"), double(e.sourceEventId));
    switch (e.kind) {
    case EventKind::ApStatus:
        o.insert(QStringLiteral("up"), e.status != 0);
        o.insert(QStringLiteral("clients"), e.count);
        break;
    case EventKind::CameraHealth:
        o.insert(QStringLiteral("state"), nameOf(cameraStates, CameraState(e.status)));
        break;
    case EventKind::SensorReading:
        o.insert(QStringLiteral("quantity"), quantityName(e.quantity));
        put("value", e.value);
        break;
    case EventKind::StreetlightStatus:
        o.insert(QStringLiteral("state"), nameOf(lampStates, LampState(e.status)));
        put("power", e.value);
        break;
    case EventKind::CitizenReport:
        o.insert(QStringLiteral("text"), e.text);
        break;
    default:
        break;
    }
    return o;
}

QByteArray toLine(const Event &event, const SourceDirectory &sources)
{
    return QJsonDocument(toJson(event, sources)).toJson(QJsonDocument::Compact);
}

} // namespace gwanje::EventJson
