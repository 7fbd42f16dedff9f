#include "FusionConfig.h"

#include "gwanje/FusionDefaults_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gwanje {

namespace {

qint64 seconds(const QJsonObject &o, const char *key, qint64 fallbackMs)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? qint64(v.toDouble() * 1000.0) : fallbackMs;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out.append(item.toString());
    return out;
}

// Reads `json` over `c`. Returns an English reason when something is wrong.
QString apply(const QJsonObject &root, FusionConfig &c)
{
    const QJsonObject geofence = root.value(QLatin1String("geofence")).toObject();
    c.geofence.hysteresisMetres = geofence.value(QLatin1String("hysteresis_m")).toDouble(c.geofence.hysteresisMetres);
    c.geofence.dwellMs = seconds(geofence, "dwell_s", c.geofence.dwellMs);

    const QJsonObject priorities = root.value(QLatin1String("priorities")).toObject();
    for (auto it = priorities.begin(); it != priorities.end(); ++it) {
        const int p = it->toInt(0);
        if (p < 1 || p > 4)
            return QStringLiteral("priority of %1 must be 1 to 4").arg(it.key());
        c.priorities.insert(it.key(), p);
    }

    const QJsonObject grace = root.value(QLatin1String("grace")).toObject();
    c.deviceOfflineGraceMs = seconds(grace, "device_offline_s", c.deviceOfflineGraceMs);
    c.deviceSilentMs = seconds(grace, "device_silent_s", c.deviceSilentMs);
    c.cameraOfflineGraceMs = seconds(grace, "camera_offline_s", c.cameraOfflineGraceMs);
    c.cameraFrozenGraceMs = seconds(grace, "camera_frozen_s", c.cameraFrozenGraceMs);
    c.apOfflineGraceMs = seconds(grace, "ap_offline_s", c.apOfflineGraceMs);
    c.shelterOfflineGraceMs = seconds(grace, "shelter_offline_s", c.shelterOfflineGraceMs);
    c.streetlightFaultGraceMs = seconds(grace, "streetlight_fault_s", c.streetlightFaultGraceMs);
    for (qint64 g : {c.deviceOfflineGraceMs, c.cameraOfflineGraceMs, c.cameraFrozenGraceMs, c.apOfflineGraceMs,
                     c.shelterOfflineGraceMs, c.streetlightFaultGraceMs}) {
        if (g < 0)
            return QStringLiteral("grace periods cannot be negative");
    }

    const QJsonObject battery = root.value(QLatin1String("battery")).toObject();
    if (c.deviceSilentMs < c.deviceOfflineGraceMs)
        return QStringLiteral("device_silent_s must not be shorter than device_offline_s");
    c.lowBatteryPercent = battery.value(QLatin1String("low_percent")).toDouble(c.lowBatteryPercent);
    c.lowBatteryClearPercent = battery.value(QLatin1String("clear_percent")).toDouble(c.lowBatteryClearPercent);
    if (c.lowBatteryClearPercent < c.lowBatteryPercent)
        return QStringLiteral("battery clear_percent must not be below low_percent");

    c.groupMinMembers =
        root.value(QLatin1String("grouping")).toObject().value(QLatin1String("min_members")).toInt(c.groupMinMembers);
    c.groupWindowMs = seconds(root.value(QLatin1String("grouping")).toObject(), "window_s", c.groupWindowMs);
    if (c.groupMinMembers < 2)
        return QStringLiteral("grouping needs at least 2 members");

    if (root.contains(QLatin1String("thresholds"))) {
        c.thresholds.clear();
        int i = 0;
        for (const QJsonValue &v : root.value(QLatin1String("thresholds")).toArray()) {
            const QJsonObject o = v.toObject();
            ThresholdRule r;
            r.name = o.value(QLatin1String("name")).toString(QStringLiteral("threshold_%1").arg(i));
            const auto q = quantityFromName(o.value(QLatin1String("quantity")).toString());
            if (!q || *q == Quantity::None)
                return QStringLiteral("threshold %1: unknown quantity \"%2\"")
                    .arg(r.name, o.value(QLatin1String("quantity")).toString());
            r.quantity = *q;
            r.above = o.contains(QLatin1String("above"));
            if (r.above == o.contains(QLatin1String("below")))
                return QStringLiteral("threshold %1: give either \"above\" or \"below\"").arg(r.name);
            r.on = o.value(QLatin1String(r.above ? "above" : "below")).toDouble();
            r.off = o.value(QLatin1String("clear")).toDouble(r.on);
            if (r.above ? r.off > r.on : r.off < r.on)
                return QStringLiteral("threshold %1: \"clear\" must be on the safe side of the limit").arg(r.name);
            r.onDelayMs = seconds(o, "on_delay_s", 0);
            r.offDelayMs = seconds(o, "off_delay_s", 0);
            r.priority = o.value(QLatin1String("priority")).toInt(c.priorityOf(QStringLiteral("sensor_threshold")));
            if (o.contains(QLatin1String("medium"))) {
                r.medium = sensorMediumFromName(o.value(QLatin1String("medium")).toString());
                if (!r.medium)
                    return QStringLiteral("threshold %1: medium must be air, surface_water or tap_water").arg(r.name);
            }
            if (r.priority < 1 || r.priority > 4)
                return QStringLiteral("threshold %1: priority must be 1 to 4").arg(r.name);
            c.thresholds.push_back(r);
            ++i;
        }
    }

    const QJsonObject flood = root.value(QLatin1String("flood")).toObject();
    c.floodWindowMs = seconds(flood, "window_s", c.floodWindowMs);
    c.floodBeginAbove = flood.value(QLatin1String("begin_above")).toInt(c.floodBeginAbove);
    c.floodEndBelow = flood.value(QLatin1String("end_below")).toInt(c.floodEndBelow);
    if (c.floodWindowMs <= 0 || c.floodEndBelow > c.floodBeginAbove)
        return QStringLiteral("flood: a positive window, and end_below not above begin_above");

    if (root.contains(QLatin1String("routing"))) {
        c.routes.clear();
        for (const QJsonValue &v : root.value(QLatin1String("routing")).toArray()) {
            const QJsonObject o = v.toObject();
            RouteRule r;
            r.types = strings(o.value(QLatin1String("types")));
            r.maxPriority = o.value(QLatin1String("max_priority")).toInt(4);
            r.districts = strings(o.value(QLatin1String("districts")));
            r.desks = strings(o.value(QLatin1String("desks")));
            if (r.desks.isEmpty())
                return QStringLiteral("a routing rule needs desks");
            c.routes.push_back(r);
        }
    }

    const QJsonObject escalation = root.value(QLatin1String("escalation")).toObject();
    c.escalationDesk = escalation.value(QLatin1String("desk")).toString(c.escalationDesk);
    c.escalateAfterMs = seconds(escalation, "priority1_after_s", c.escalateAfterMs);
    c.remindEveryMs = seconds(escalation, "remind_every_s", c.remindEveryMs);
    if (c.remindEveryMs <= 0)
        return QStringLiteral("escalation: remind_every_s must be positive");

    c.kpiWindowMs = seconds(root.value(QLatin1String("kpi")).toObject(), "window_s", c.kpiWindowMs);

    const QJsonObject n = root.value(QLatin1String("notifications")).toObject();
    c.notifications.url = n.value(QLatin1String("url")).toString(c.notifications.url);
    if (n.contains(QLatin1String("types")))
        c.notifications.types = strings(n.value(QLatin1String("types")));
    c.notifications.maxAttempts = n.value(QLatin1String("max_attempts")).toInt(c.notifications.maxAttempts);
    c.notifications.initialBackoffMs =
        n.value(QLatin1String("initial_backoff_ms")).toInt(c.notifications.initialBackoffMs);
    c.notifications.maxBackoffMs = n.value(QLatin1String("max_backoff_ms")).toInt(c.notifications.maxBackoffMs);
    c.notifications.timeoutMs = n.value(QLatin1String("timeout_ms")).toInt(c.notifications.timeoutMs);

    const QJsonObject procedures = root.value(QLatin1String("procedures")).toObject();
    for (auto it = procedures.begin(); it != procedures.end(); ++it) {
        Procedure p;
        p.stepsKo = strings(it->toObject().value(QLatin1String("ko")));
        p.stepsEn = strings(it->toObject().value(QLatin1String("en")));
        if (p.stepsKo.size() != p.stepsEn.size())
            return QStringLiteral("procedure %1: the Korean and English checklists differ in length").arg(it.key());
        c.procedures.insert(it.key(), p);
    }
    return {};
}

std::optional<QJsonObject> parse(const QByteArray &json, QString *error)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = e.error != QJsonParseError::NoError
                         ? QStringLiteral("not valid JSON at offset %1: %2").arg(e.offset).arg(e.errorString())
                         : QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

QStringList FusionConfig::desksFor(const QString &type, int priority, const QString &district) const
{
    for (const RouteRule &r : routes) {
        if (!r.types.isEmpty() && !r.types.contains(type))
            continue;
        if (priority > r.maxPriority)
            continue;
        if (!r.districts.isEmpty() && !r.districts.contains(district))
            continue;
        return r.desks;
    }
    return {QStringLiteral("ops")}; // nothing matched: the operations desk sees everything
}

FusionConfig FusionConfig::defaults()
{
    static const FusionConfig built = [] {
        FusionConfig c;
        QString error;
        const auto root = parse(QByteArray(fusion_defaults::rulesJson), &error);
        Q_ASSERT_X(root, "FusionConfig::defaults", "the compiled-in rules.json does not parse");
        if (root) {
            error = apply(*root, c);
            Q_ASSERT_X(error.isEmpty(), "FusionConfig::defaults", qPrintable(error));
        }
        return c;
    }();
    return built;
}

std::optional<FusionConfig> FusionConfig::fromJson(const QByteArray &json, QString *error)
{
    const auto root = parse(json, error);
    if (!root)
        return std::nullopt;
    FusionConfig c = defaults();
    const QString why = apply(*root, c);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    return c;
}

std::optional<FusionConfig> FusionConfig::load(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return fromJson(f.readAll(), error);
}

} // namespace gwanje
