#include "DatasetMapping.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gwanje {

namespace {
struct KindName
{
    DatasetMapping::Kind kind;
    const char *name;
};
constexpr KindName kindNames[] = {
    {DatasetMapping::Kind::CameraSite, "camera_site"},
    {DatasetMapping::Kind::WifiAp, "wifi_ap"},
    {DatasetMapping::Kind::Sensor, "sensor"},
    {DatasetMapping::Kind::Streetlight, "streetlight"},
    {DatasetMapping::Kind::Shelter, "shelter"},
    {DatasetMapping::Kind::District, "district"},
    {DatasetMapping::Kind::Dong, "dong"},
};
} // namespace

AssetKind DatasetMapping::assetKind() const
{
    switch (kind) {
    case Kind::WifiAp:
        return AssetKind::WifiAp;
    case Kind::Sensor:
        return AssetKind::Sensor;
    case Kind::Streetlight:
        return AssetKind::Streetlight;
    case Kind::Shelter:
        return AssetKind::Shelter;
    default:
        return AssetKind::CameraSite;
    }
}

RegionLevel DatasetMapping::regionLevel() const
{
    return kind == Kind::Dong ? RegionLevel::Dong : RegionLevel::District;
}

QString DatasetMapping::kindName() const
{
    for (const KindName &k : kindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return {};
}

QStringList DatasetMapping::rolesFor(Kind kind)
{
    switch (kind) {
    case Kind::District:
    case Kind::Dong:
        return {QStringLiteral("code"), QStringLiteral("name"), QStringLiteral("name_en")};
    case Kind::CameraSite:
        return {QStringLiteral("longitude"),   QStringLiteral("latitude"),  QStringLiteral("id"),
                QStringLiteral("name"),        QStringLiteral("address"),   QStringLiteral("district"),
                QStringLiteral("count"),       QStringLiteral("purpose"),   QStringLiteral("direction"),
                QStringLiteral("stream_main"), QStringLiteral("stream_sub")};
    case Kind::WifiAp:
        return {QStringLiteral("longitude"), QStringLiteral("latitude"), QStringLiteral("id"),
                QStringLiteral("name"),      QStringLiteral("address"),  QStringLiteral("district"),
                QStringLiteral("purpose"),   QStringLiteral("setting")};
    case Kind::Sensor:
    case Kind::Shelter:
        return {QStringLiteral("longitude"), QStringLiteral("latitude"), QStringLiteral("id"),
                QStringLiteral("name"),      QStringLiteral("address"),  QStringLiteral("district"),
                QStringLiteral("purpose")};
    case Kind::Streetlight: // count: lamps on the column; purpose: e.g. the road class
        return {QStringLiteral("longitude"), QStringLiteral("latitude"), QStringLiteral("id"),
                QStringLiteral("name"),      QStringLiteral("address"),  QStringLiteral("district"),
                QStringLiteral("purpose"),   QStringLiteral("count")};
    }
    return {};
}

std::optional<DatasetMapping> DatasetMapping::fromJson(const QByteArray &json, const QString &mappingFile,
                                                       QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return fail(
            QStringLiteral("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("the top level must be a JSON object"));
    const QJsonObject o = doc.object();

    DatasetMapping m;
    m.mappingFile = QFileInfo(mappingFile).absoluteFilePath();

    const QString source = o.value(QStringLiteral("source")).toString();
    if (source.isEmpty())
        return fail(QStringLiteral("\"source\" (the data file name) is missing"));
    m.sourceFile = QDir::cleanPath(QFileInfo(mappingFile).absoluteDir().filePath(source));

    const QString kind = o.value(QStringLiteral("kind")).toString();
    bool kindKnown = false;
    for (const KindName &k : kindNames) {
        if (kind == QLatin1String(k.name)) {
            m.kind = k.kind;
            kindKnown = true;
        }
    }
    if (!kindKnown)
        return fail(QStringLiteral("\"kind\" must be one of camera_site, wifi_ap, sensor, streetlight, shelter, "
                                   "district, dong; got \"%1\"")
                        .arg(kind));

    const QJsonValue fieldsValue = o.value(QStringLiteral("fields"));
    if (!fieldsValue.isObject())
        return fail(QStringLiteral("\"fields\" must be an object mapping roles to column names"));
    const QStringList roles = rolesFor(m.kind);
    const QJsonObject fields = fieldsValue.toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!roles.contains(it.key()))
            return fail(QStringLiteral("unknown field role \"%1\" for kind %2 (known: %3)")
                            .arg(it.key(), kind, roles.join(QStringLiteral(", "))));
        if (it.value().isNull())
            continue;
        if (!it.value().isString() || it.value().toString().isEmpty())
            return fail(QStringLiteral("field role \"%1\" must name a column").arg(it.key()));
        m.fields.insert(it.key(), it.value().toString());
    }
    if (m.fields.contains(QStringLiteral("longitude")) != m.fields.contains(QStringLiteral("latitude")))
        return fail(QStringLiteral("map both \"longitude\" and \"latitude\", or neither to use the geometry"));
    if (m.isRegion() && !m.fields.contains(QStringLiteral("name")))
        return fail(QStringLiteral("a region layer needs a \"name\" field"));

    const QJsonValue bounds = o.value(QStringLiteral("bounds"));
    if (!bounds.isUndefined() && !bounds.isNull()) {
        const QJsonArray b = bounds.toArray();
        if (b.size() != 4 || !b[0].isDouble() || !b[1].isDouble() || !b[2].isDouble() || !b[3].isDouble() ||
            b[0].toDouble() >= b[2].toDouble() || b[1].toDouble() >= b[3].toDouble())
            return fail(QStringLiteral("\"bounds\" must be [west, south, east, north] in degrees"));
        m.bounds = GeoRect::fromEdges(b[0].toDouble(), b[1].toDouble(), b[2].toDouble(), b[3].toDouble());
    }
    m.where = o.value(QStringLiteral("where")).toString();
    const QJsonValue every = o.value(QStringLiteral("place_every_m"));
    if (!every.isUndefined() && !every.isNull()) {
        if (!every.isDouble() || !(every.toDouble() >= 1.0) || every.toDouble() > 100'000.0)
            return fail(QStringLiteral("\"place_every_m\" must be a distance in metres (1 to 100000)"));
        if (m.isRegion())
            return fail(QStringLiteral("\"place_every_m\" places point assets; a region layer cannot use it"));
        if (m.fields.contains(QStringLiteral("longitude")))
            return fail(QStringLiteral("\"place_every_m\" places assets along the layer's lines; do not also map "
                                       "longitude and latitude"));
        m.placeEveryMetres = every.toDouble();
    }
    m.idPrefix = o.value(QStringLiteral("id_prefix")).toString();
    const QJsonValue medium = o.value(QStringLiteral("medium"));
    if (!medium.isUndefined() && !medium.isNull()) {
        const auto parsed = sensorMediumFromName(medium.toString());
        if (!parsed || m.kind != Kind::Sensor)
            return fail(QStringLiteral("\"medium\" is for sensor files: air, surface_water or tap_water"));
        m.medium = *parsed;
    }
    const QJsonValue outside = o.value(QStringLiteral("allow_outside_data_dir"));
    if (!outside.isUndefined() && !outside.isNull()) {
        if (!outside.isBool())
            return fail(QStringLiteral("\"allow_outside_data_dir\" must be true or false"));
        m.allowOutsideDataDir = outside.toBool();
    }
    m.layer = o.value(QStringLiteral("layer")).toString();
    m.srs = o.value(QStringLiteral("srs")).toString();
    m.title = o.value(QStringLiteral("title")).toString();
    m.attribution = o.value(QStringLiteral("attribution")).toString();
    return m;
}

} // namespace gwanje
