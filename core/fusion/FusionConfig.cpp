#include "FusionConfig.h"

#include "JsonShape_p.h"
#include "alarms/AlarmType.h"
#include "gwanje/FusionDefaults_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace gwanje {

namespace {

namespace shape = json_shape;

// Longer than any grace period or window a control room means; a seconds value beyond it is a
// typo, and the bound keeps the milliseconds far from overflowing.
constexpr double maxSeconds = 365.0 * 24 * 3600;

QString at(const QString &path, const char *key)
{
    return path + u'.' + QLatin1String(key);
}

// Reads a section that has the right shape; each problem names its path.
class SectionReader
{
public:
    SectionReader(const QJsonValue &value, QString path, QStringList &problems)
        : m_object(value.toObject())
        , m_path(std::move(path))
        , m_problems(problems)
    {}

    const QJsonObject &object() const { return m_object; }
    bool has(const char *key) const { return m_object.contains(QLatin1String(key)); }
    QJsonValue value(const char *key) const { return m_object.value(QLatin1String(key)); }

    // Seconds in the file, milliseconds here.
    void seconds(const char *key, qint64 &ms, bool positive = false)
    {
        if (!has(key))
            return;
        const double s = value(key).toDouble();
        if (!(s >= 0.0 && s <= maxSeconds) || (positive && s <= 0.0))
            fail(key, QStringLiteral("must be %1 %2 seconds, not %3")
                          .arg(positive ? QStringLiteral("more than 0 and at most") : QStringLiteral("0 to"))
                          .arg(qint64(maxSeconds))
                          .arg(s));
        else
            ms = qint64(std::llround(s * 1000.0));
    }
    void number(const char *key, double &out, double min, double max)
    {
        if (!has(key))
            return;
        const double v = value(key).toDouble();
        if (v < min || v > max)
            fail(key, QStringLiteral("must be %1 to %2, not %3").arg(min).arg(max).arg(v));
        else
            out = v;
    }
    void whole(const char *key, int &out, int min, int max)
    {
        if (!has(key))
            return;
        const int v = value(key).toInt();
        if (v < min || v > max)
            fail(key, QStringLiteral("must be %1 to %2, not %3").arg(min).arg(max).arg(v));
        else
            out = v;
    }
    const QString &path() const { return m_path; }
    QStringList &problems() const { return m_problems; }
    void fail(const char *key, const QString &what) { fail(QString::fromLatin1(key), what); }
    void fail(const QString &key, const QString &what) { m_problems.append(m_path + u'.' + key + u": " + what); }
    void fail(const QString &what) { m_problems.append(m_path + u": " + what); }

private:
    QJsonObject m_object;
    QString m_path;
    QStringList &m_problems;
};

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out.append(item.toString());
    return out;
}

// The alarm types the engine raises: those its rules declare (alarms/AlarmType.h).
const QStringList &alarmTypeNames()
{
    static const QStringList names = [] {
        QStringList out;
        for (AlarmType t : alarmTypes())
            out.append(t.name());
        return out;
    }();
    return names;
}

QString knownTypes()
{
    return QStringLiteral("(known: %1)").arg(alarmTypeNames().join(QStringLiteral(", ")));
}

void checkTypes(const QJsonValue &list, const QString &path, QStringList &problems)
{
    const QJsonArray types = list.toArray();
    for (qsizetype i = 0; i < types.size(); ++i) {
        if (!alarmTypeNames().contains(types.at(i).toString()))
            problems.append(QStringLiteral("%1[%2]: unknown alarm type \"%3\" %4")
                                .arg(path)
                                .arg(i)
                                .arg(types.at(i).toString(), knownTypes()));
    }
}

void applyGeofence(SectionReader &s, FusionConfig &c)
{
    s.number("hysteresis_m", c.geofence.hysteresisMetres, 0.0, 10'000.0);
    s.seconds("dwell_s", c.geofence.dwellMs);
}

void applyPriorities(SectionReader &s, FusionConfig &c)
{
    for (auto it = s.object().begin(); it != s.object().end(); ++it) {
        if (shape::isComment(it.key()))
            continue;
        if (!alarmTypeNames().contains(it.key()))
            s.fail(it.key(), QStringLiteral("unknown alarm type ") + knownTypes());
        else if (it->toInt() < 1 || it->toInt() > 4)
            s.fail(it.key(), QStringLiteral("must be 1 to 4"));
        else
            c.priorities.insert(it.key(), it->toInt());
    }
}

QByteArray graceKey(AlarmType type)
{
    return QByteArray(type.info().name) + "_s";
}

shape::Node graceShape()
{
    shape::Node node = shape::object({{"device_silent_s", shape::number()}});
    for (AlarmType t : alarmTypes()) {
        if (t.info().graced)
            node.fields.push_back({QString::fromLatin1(graceKey(t)), shape::number()});
    }
    return node;
}

void applyGrace(SectionReader &s, FusionConfig &c)
{
    // "<type>_s" for each type that waits a grace period, and how long a wearer's device may be silent.
    for (AlarmType t : alarmTypes()) {
        if (!t.info().graced)
            continue;
        qint64 ms = c.graceOf(t.name());
        s.seconds(graceKey(t).constData(), ms);
        c.graceMs.insert(t.name(), ms);
    }
    s.seconds("device_silent_s", c.deviceSilentMs);
    if (c.deviceSilentMs < c.graceOf(QStringLiteral("device_offline")))
        s.fail("device_silent_s", QStringLiteral("must not be shorter than device_offline_s"));
}

void applyBattery(SectionReader &s, FusionConfig &c)
{
    s.number("low_percent", c.lowBatteryPercent, 0.0, 100.0);
    s.number("clear_percent", c.lowBatteryClearPercent, 0.0, 100.0);
    if (c.lowBatteryClearPercent < c.lowBatteryPercent)
        s.fail("clear_percent", QStringLiteral("must not be below low_percent"));
}

void applyGrouping(SectionReader &s, FusionConfig &c)
{
    s.whole("min_members", c.groupMinMembers, 2, 1'000'000);
    s.seconds("window_s", c.groupWindowMs);
}

void applyThresholds(const QJsonValue &value, const QString &path, FusionConfig &c, QStringList &problems)
{
    c.thresholds.clear();
    const QJsonArray rules = value.toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        SectionReader s(rules.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), problems);
        ThresholdRule r;
        r.name = s.value("name").toString(QStringLiteral("threshold_%1").arg(i));
        const QString quantity = s.value("quantity").toString();
        const auto q = quantityFromName(quantity);
        if (!q || *q == Quantity::None)
            s.fail("quantity", QStringLiteral("unknown quantity \"%1\"").arg(quantity));
        else
            r.quantity = *q;
        r.above = s.has("above");
        if (r.above == s.has("below")) {
            s.fail(QStringLiteral("give either \"above\" or \"below\""));
            continue;
        }
        r.on = s.value(r.above ? "above" : "below").toDouble();
        r.off = s.value("clear").toDouble(r.on);
        if (r.above ? r.off > r.on : r.off < r.on)
            s.fail("clear", QStringLiteral("must be on the safe side of the limit (%1 %2)")
                                .arg(r.above ? QStringLiteral("at most") : QStringLiteral("at least"))
                                .arg(r.on));
        s.seconds("on_delay_s", r.onDelayMs);
        s.seconds("off_delay_s", r.offDelayMs);
        r.priority = c.priorityOf(QStringLiteral("sensor_threshold"));
        s.whole("priority", r.priority, 1, 4);
        if (s.has("medium")) {
            r.medium = sensorMediumFromName(s.value("medium").toString());
            if (!r.medium)
                s.fail("medium", QStringLiteral("must be air, surface_water or tap_water"));
        }
        c.thresholds.push_back(r);
    }
}

void applyFlood(SectionReader &s, FusionConfig &c)
{
    s.seconds("window_s", c.floodWindowMs, true);
    s.whole("begin_above", c.floodBeginAbove, 1, 1'000'000);
    s.whole("end_below", c.floodEndBelow, 0, 1'000'000);
    if (c.floodEndBelow > c.floodBeginAbove)
        s.fail("end_below", QStringLiteral("must not be above begin_above"));
}

void applyRouting(const QJsonValue &value, const QString &path, FusionConfig &c, QStringList &problems)
{
    c.routes.clear();
    const QJsonArray rules = value.toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QString rule = QStringLiteral("%1[%2]").arg(path).arg(i);
        SectionReader s(rules.at(i), rule, problems);
        RouteRule r;
        r.types = strings(s.value("types"));
        checkTypes(s.value("types"), at(rule, "types"), problems);
        s.whole("max_priority", r.maxPriority, 1, 4);
        r.districts = strings(s.value("districts"));
        r.desks = strings(s.value("desks"));
        if (r.desks.isEmpty() || r.desks.contains(QString()))
            s.fail("desks", QStringLiteral("a routing rule needs desks, each named"));
        c.routes.push_back(r);
    }
}

void applyEscalation(SectionReader &s, FusionConfig &c)
{
    c.escalationDesk = s.value("desk").toString(c.escalationDesk);
    if (c.escalationDesk.isEmpty())
        s.fail("desk", QStringLiteral("must name a desk"));
    s.seconds("priority1_after_s", c.escalateAfterMs);
    s.seconds("remind_every_s", c.remindEveryMs, true);
}

void applyKpi(SectionReader &s, FusionConfig &c)
{
    s.seconds("window_s", c.kpiWindowMs, true);
}

void applyNotifications(SectionReader &s, FusionConfig &c)
{
    NotificationConfig &n = c.notifications;
    n.url = s.value("url").toString(n.url);
    if (s.has("types")) {
        n.types = strings(s.value("types"));
        checkTypes(s.value("types"), at(s.path(), "types"), s.problems());
    }
    s.whole("max_attempts", n.maxAttempts, 1, 1000);
    s.whole("initial_backoff_ms", n.initialBackoffMs, 0, 86'400'000);
    s.whole("max_backoff_ms", n.maxBackoffMs, 0, 86'400'000);
    s.whole("timeout_ms", n.timeoutMs, 1, 3'600'000);
    if (n.maxBackoffMs < n.initialBackoffMs)
        s.fail("max_backoff_ms", QStringLiteral("must not be below initial_backoff_ms"));
}

void applyProcedures(SectionReader &s, FusionConfig &c)
{
    for (auto it = s.object().begin(); it != s.object().end(); ++it) {
        if (shape::isComment(it.key()))
            continue;
        if (!alarmTypeNames().contains(it.key())) {
            s.fail(it.key(), QStringLiteral("unknown alarm type ") + knownTypes());
            continue;
        }
        Procedure p;
        p.stepsKo = strings(it->toObject().value(QLatin1String("ko")));
        p.stepsEn = strings(it->toObject().value(QLatin1String("en")));
        if (p.stepsKo.size() != p.stepsEn.size())
            s.fail(it.key(), QStringLiteral("the Korean and English checklists differ in length"));
        c.procedures.insert(it.key(), p);
    }
}

// Sections of the file, in the order they are read (a threshold's default priority is the one
// `priorities` gave sensor_threshold): each with its shape and what reads it.
struct Section
{
    const char *key;
    shape::Node shape;
    void (*apply)(const QJsonValue &value, const QString &path, FusionConfig &c, QStringList &problems);
};

template<void (*read)(SectionReader &, FusionConfig &)>
void readObject(const QJsonValue &value, const QString &path, FusionConfig &c, QStringList &problems)
{
    SectionReader s(value, path, problems);
    read(s, c);
}

const std::vector<Section> &sections()
{
    using namespace shape;
    static const std::vector<Section> table{
        {"geofence", object({{"hysteresis_m", number()}, {"dwell_s", number()}}), readObject<applyGeofence>},
        {"priorities", mapOf(wholeNumber()), readObject<applyPriorities>},
        {"grace", graceShape(), readObject<applyGrace>},
        {"battery", object({{"low_percent", number()}, {"clear_percent", number()}}), readObject<applyBattery>},
        {"grouping", object({{"min_members", wholeNumber()}, {"window_s", number()}}), readObject<applyGrouping>},
        {"thresholds",
         arrayOf(object({{"name", string()},
                         {"quantity", string()},
                         {"medium", string()},
                         {"above", number()},
                         {"below", number()},
                         {"clear", number()},
                         {"on_delay_s", number()},
                         {"off_delay_s", number()},
                         {"priority", wholeNumber()}})),
         applyThresholds},
        {"flood", object({{"window_s", number()}, {"begin_above", wholeNumber()}, {"end_below", wholeNumber()}}),
         readObject<applyFlood>},
        {"routing",
         arrayOf(object({{"types", arrayOf(string())},
                         {"max_priority", wholeNumber()},
                         {"districts", arrayOf(string())},
                         {"desks", arrayOf(string())}})),
         applyRouting},
        {"escalation", object({{"desk", string()}, {"priority1_after_s", number()}, {"remind_every_s", number()}}),
         readObject<applyEscalation>},
        {"kpi", object({{"window_s", number()}}), readObject<applyKpi>},
        {"notifications",
         object({{"url", string()},
                 {"types", arrayOf(string())},
                 {"max_attempts", wholeNumber()},
                 {"initial_backoff_ms", wholeNumber()},
                 {"max_backoff_ms", wholeNumber()},
                 {"timeout_ms", wholeNumber()}}),
         readObject<applyNotifications>},
        {"procedures", mapOf(object({{"ko", arrayOf(string())}, {"en", arrayOf(string())}})),
         readObject<applyProcedures>},
    };
    return table;
}

// Reads `root` over `c`, section by section. A section with a problem (a wrong type, an unknown
// key, a value out of range) leaves `c` as it was for that whole section: a list such as
// `thresholds` or `routing` replaces the built-in one as a whole when given, and the keys of a
// section depend on each other (battery low and clear levels, grace and silence), so half of one
// would be rules nobody wrote.
void apply(const QJsonObject &root, FusionConfig &c, QStringList &problems)
{
    QStringList known;
    for (const Section &section : sections())
        known.append(QString::fromLatin1(section.key));
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!shape::isComment(it.key()) && !known.contains(it.key()))
            problems.append(
                QStringLiteral("%1: unknown key (known: %2)").arg(it.key(), known.join(QStringLiteral(", "))));
    }
    for (const Section &section : sections()) {
        const QString key = QString::fromLatin1(section.key);
        if (!root.contains(key))
            continue;
        const QJsonValue value = root.value(key);
        if (!shape::check(value, section.shape, key, &problems))
            continue;
        FusionConfig trial = c;
        QStringList found;
        section.apply(value, key, trial, found);
        if (found.isEmpty())
            c = std::move(trial);
        else
            problems.append(found);
    }
}

std::optional<QJsonObject> parse(const QByteArray &json, QStringList &problems)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &e);
    if (e.error != QJsonParseError::NoError) {
        problems.append(QStringLiteral("not valid JSON at offset %1: %2").arg(e.offset).arg(e.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        problems.append(QStringLiteral("not a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

QStringList guardianNotifiedTypes()
{
    QStringList out;
    for (AlarmType t : alarmTypes()) {
        if (t.info().notifiesGuardians)
            out.append(t.name());
    }
    return out;
}

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
        QStringList problems;
        if (const auto root = parse(QByteArray(fusion_defaults::rulesJson), problems))
            apply(*root, c, problems);
        Q_ASSERT_X(problems.isEmpty(), "FusionConfig::defaults", qPrintable(problems.join(u'\n')));
        return c;
    }();
    return built;
}

FusionConfig FusionConfig::fromJson(const QByteArray &json, QStringList *problems)
{
    QStringList found;
    FusionConfig c = defaults();
    if (const auto root = parse(json, found))
        apply(*root, c, found);
    if (problems)
        problems->append(found);
    return c;
}

FusionConfig FusionConfig::load(const QString &path, QStringList *problems)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (problems)
            problems->append(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        return defaults();
    }
    return fromJson(f.readAll(), problems);
}

} // namespace gwanje
