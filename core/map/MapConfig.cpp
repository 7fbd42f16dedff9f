#include "MapConfig.h"

#include "MapLogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace gwanje {

namespace {

const QStringList knownKeys = {
    QStringLiteral("id"),      QStringLiteral("name"),      QStringLiteral("nameEn"),     QStringLiteral("type"),
    QStringLiteral("source"),  QStringLiteral("ogrLayer"),  QStringLiteral("where"),      QStringLiteral("fill"),
    QStringLiteral("line"),    QStringLiteral("lineWidth"), QStringLiteral("minZoom"),    QStringLiteral("maxZoom"),
    QStringLiteral("opacity"), QStringLiteral("visible"),   QStringLiteral("labelField"), QStringLiteral("attribution"),
    QStringLiteral("group"),
};

// GDAL connection strings and virtual file systems are kept as written; a one-letter prefix is a
// Windows drive, not a driver.
bool isConnectionString(const QString &source)
{
    static const QRegularExpression driverPrefix(QStringLiteral("^[A-Za-z][A-Za-z0-9_]+:"));
    return source.startsWith(u'<') || source.startsWith(QLatin1String("/vsi")) || driverPrefix.match(source).hasMatch();
}

// How a source makes GDAL reach another machine, or empty: a network file system anywhere in it
// (also inside /vsizip/), a URL other than file:// (WMS:, GeoJSON:, WMTS: and <GDAL_WMS> XML
// carry theirs inside), or a driver whose connection string names a server.
QString networkAccess(const QString &source)
{
    static const QRegularExpression vsi(
        QStringLiteral("/vsi(curl|curl_streaming|s3|s3_streaming|gs|gs_streaming|az|az_streaming|adls|oss|"
                       "oss_streaming|swift|swift_streaming|hdfs|webhdfs)/"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression url(QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*)://"));
    static const QRegularExpression server(
        QStringLiteral("^(PG|MySQL|MSSQL|OCI|ODBC|MongoDBv3|HANA|EEDA|EEDAI|CARTO):"),
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = vsi.match(source); m.hasMatch())
        return m.captured(0);
    for (auto it = url.globalMatch(source); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(1).compare(QLatin1String("file"), Qt::CaseInsensitive) != 0)
            return m.captured(0);
    }
    if (const auto m = server.match(source); m.hasMatch())
        return m.captured(0);
    return {};
}

class EntryReader
{
public:
    EntryReader(const QJsonObject &object, QString *problem)
        : m_object(object)
        , m_problem(problem)
    {}

    QString string(const QString &key, const QString &fallback = QString())
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isString())
            fail(QStringLiteral("\"%1\" must be a string").arg(key));
        return v.toString().trimmed();
    }
    double number(const QString &key, double fallback)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isDouble())
            fail(QStringLiteral("\"%1\" must be a number").arg(key));
        return v.toDouble(fallback);
    }
    bool boolean(const QString &key, bool fallback)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isBool())
            fail(QStringLiteral("\"%1\" must be true or false").arg(key));
        return v.toBool(fallback);
    }
    quint32 colour(const QString &key)
    {
        const QString text = string(key);
        quint32 argb = 0;
        if (!text.isEmpty() && !parseMapColour(text, &argb))
            fail(QStringLiteral("\"%1\" is \"%2\", not a colour like #rrggbb or #aarrggbb").arg(key, text));
        return argb;
    }
    void fail(const QString &problem)
    {
        if (m_problem->isEmpty())
            *m_problem = problem;
    }

private:
    const QJsonObject &m_object;
    QString *m_problem;
};

MapLayerSpec readEntry(const QJsonObject &o, const QDir &base, bool allowNetwork, QString *problem)
{
    EntryReader r(o, problem);
    MapLayerSpec spec;
    spec.id = r.string(QStringLiteral("id"));
    if (spec.id.isEmpty())
        r.fail(QStringLiteral("it has no \"id\""));
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (!knownKeys.contains(it.key()))
            r.fail(QStringLiteral("unknown key \"%1\"").arg(it.key()));
    }
    spec.name = r.string(QStringLiteral("name"), spec.id);
    spec.nameEn = r.string(QStringLiteral("nameEn"), spec.name);

    const QString type = r.string(QStringLiteral("type"), QStringLiteral("vector"));
    if (type == QLatin1String("vector"))
        spec.type = MapLayerType::Vector;
    else if (type == QLatin1String("raster"))
        spec.type = MapLayerType::Raster;
    else
        r.fail(QStringLiteral("\"type\" is \"%1\", not \"vector\" or \"raster\"").arg(type));

    const QString source = r.string(QStringLiteral("source"));
    const QString network = networkAccess(source);
    if (source.isEmpty())
        r.fail(QStringLiteral("it has no \"source\""));
    else if (!network.isEmpty() && !allowNetwork)
        r.fail(QStringLiteral("it reads from the network (%1); set \"allow_network\": true at the top of the file "
                              "to allow that")
                   .arg(network));
    else if (isConnectionString(source))
        spec.source = source;
    else
        spec.source = QDir::cleanPath(base.absoluteFilePath(source));
    spec.network = !network.isEmpty();

    spec.ogrLayer = r.string(QStringLiteral("ogrLayer"));
    spec.where = r.string(QStringLiteral("where"));
    spec.fill = r.colour(QStringLiteral("fill"));
    spec.line = r.colour(QStringLiteral("line"));
    spec.lineWidth = r.number(QStringLiteral("lineWidth"), spec.lineWidth);
    spec.minZoom = r.number(QStringLiteral("minZoom"), spec.minZoom);
    spec.maxZoom = r.number(QStringLiteral("maxZoom"), spec.maxZoom);
    spec.opacity = r.number(QStringLiteral("opacity"), spec.opacity);
    spec.visible = r.boolean(QStringLiteral("visible"), spec.visible);
    spec.labelField = r.string(QStringLiteral("labelField"));
    spec.attribution = r.string(QStringLiteral("attribution"));
    spec.group = r.string(QStringLiteral("group"), QStringLiteral("basemap"));

    if (spec.group != QLatin1String("basemap") && spec.group != QLatin1String("overlay"))
        r.fail(QStringLiteral("\"group\" is \"%1\", not \"basemap\" or \"overlay\"").arg(spec.group));
    if (!(spec.lineWidth >= 0.0 && spec.lineWidth <= 100.0))
        r.fail(QStringLiteral("\"lineWidth\" must be between 0 and 100"));
    if (!(spec.minZoom >= 0.0 && spec.maxZoom <= 30.0 && spec.minZoom <= spec.maxZoom))
        r.fail(QStringLiteral("the zoom range %1..%2 is not within 0..30").arg(spec.minZoom).arg(spec.maxZoom));
    if (!(spec.opacity >= 0.0 && spec.opacity <= 1.0))
        r.fail(QStringLiteral("\"opacity\" must be between 0 and 1"));
    if (spec.type == MapLayerType::Raster && (!spec.ogrLayer.isEmpty() || !spec.where.isEmpty()))
        r.fail(QStringLiteral("\"ogrLayer\" and \"where\" apply to vector layers only"));
    return spec;
}

} // namespace

bool parseMapColour(const QString &text, quint32 *argb)
{
    if (!text.startsWith(u'#') || (text.size() != 7 && text.size() != 9))
        return false;
    bool ok = false;
    const quint32 value = QStringView(text).mid(1).toUInt(&ok, 16);
    if (!ok)
        return false;
    *argb = text.size() == 7 ? (0xff000000u | value) : value;
    return true;
}

MapConfig MapConfig::load(const QString &path)
{
    MapConfig config;
    const auto fileError = [&](const QString &problem) {
        config.errors.append(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), problem));
        qCWarning(lcMap, "%s", qUtf8Printable(config.errors.constLast()));
    };

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fileError(QStringLiteral("cannot read the layer config: %1").arg(file.errorString()));
        return config;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fileError(
            QStringLiteral("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
        return config;
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || !root.value(QStringLiteral("layers")).isArray()) {
        fileError(QStringLiteral("the layer config must be an object with a \"layers\" array"));
        return config;
    }
    const QJsonValue allowNetwork = root.value(QStringLiteral("allow_network"));
    if (allowNetwork.isBool())
        config.allowNetwork = allowNetwork.toBool();
    else if (!allowNetwork.isUndefined())
        fileError(QStringLiteral("\"allow_network\" must be true or false"));
    const QString background = root.value(QStringLiteral("background")).toString();
    if (!background.isEmpty() && !parseMapColour(background, &config.background))
        fileError(QStringLiteral("\"background\" is \"%1\", not a colour like #rrggbb").arg(background));

    const QDir base = QFileInfo(path).absoluteDir();
    const QJsonArray entries = root.value(QStringLiteral("layers")).toArray();
    QSet<QString> ids;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonValue entry = entries.at(i);
        QString problem;
        MapLayerSpec spec;
        if (!entry.isObject())
            problem = QStringLiteral("it is not a JSON object");
        else
            spec = readEntry(entry.toObject(), base, config.allowNetwork, &problem);
        if (problem.isEmpty() && ids.contains(spec.id))
            problem = QStringLiteral("the id is used by an earlier layer");
        if (!problem.isEmpty()) {
            const QString which = spec.id.isEmpty() ? QStringLiteral("layer #%1").arg(i + 1)
                                                    : QStringLiteral("layer \"%1\"").arg(spec.id);
            fileError(QStringLiteral("%1 skipped: %2").arg(which, problem));
            continue;
        }
        ids.insert(spec.id);
        if (spec.network) {
            config.notes.append(
                QStringLiteral("layer \"%1\" reads from the network (%2)").arg(spec.id, networkAccess(spec.source)));
            qCInfo(lcMap, "%s: %s", qUtf8Printable(QDir::toNativeSeparators(path)),
                   qUtf8Printable(config.notes.last()));
        }
        config.layers.push_back(std::move(spec));
    }
    qCDebug(lcMap, "%s: %d layers", qUtf8Printable(path), int(config.layers.size()));
    return config;
}

} // namespace gwanje
