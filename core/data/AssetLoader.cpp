#include "AssetLoader.h"

#include "Gdal.h"
#include "Logging.h"
#include "OgrReader_p.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <optional>
#include <thread>

namespace gwanje {

namespace {

// Low-cardinality text (district, purpose, direction) is shared between rows instead of copied.
// Rows are often grouped by these values, so the previous value is checked before the hash.
class InternedColumn
{
public:
    QString value(const OgrReader &reader, int field)
    {
        const char *text = reader.raw(field);
        if (!text || !*text)
            return {};
        if (m_lastBytes == text)
            return m_lastValue;
        m_lastBytes = text;
        auto it = m_strings.constFind(m_lastBytes);
        if (it == m_strings.constEnd())
            it = m_strings.insert(m_lastBytes, reader.string(field));
        m_lastValue = *it;
        return m_lastValue;
    }

private:
    QByteArray m_lastBytes;
    QString m_lastValue;
    QHash<QByteArray, QString> m_strings;
};

struct Columns
{
    int longitude = -1, latitude = -1, id = -1, name = -1, address = -1, district = -1, count = -1, purpose = -1,
        direction = -1, code = -1, nameEn = -1, setting = -1, streamMain = -1, streamSub = -1;
};

class DatasetLoad
{
public:
    // rows, when given, receives the row of each asset added, in order.
    DatasetLoad(const DatasetMapping &mapping, const QString &displayName, AssetRegistry &registry, LoadReport &report,
                std::vector<qint64> *rows = nullptr)
        : m_mapping(mapping)
        , m_file(displayName)
        , m_registry(registry)
        , m_report(report)
        , m_rows(rows)
    {
        m_summary.file = displayName;
        m_summary.mapping = QFileInfo(mapping.mappingFile).fileName();
        m_summary.kind = mapping.kindName();
        m_summary.title = mapping.title;
        m_summary.attribution = mapping.attribution;
    }

    void run()
    {
        QElapsedTimer timer;
        timer.start();
        if (open())
            readAll();
        m_summary.elapsedMs = double(timer.nsecsElapsed()) / 1e6;
        m_report.datasets.append(m_summary);
        qCInfo(lcData, "%s: %lld rows, %lld accepted, %lld rejected in %.1f ms", qUtf8Printable(m_file), m_summary.rows,
               m_summary.accepted, m_summary.rejected, m_summary.elapsedMs);
    }

private:
    void problem(ErrorCode code, ErrorCategory category, const QString &detail)
    {
        m_report.problems.append({m_file, code, category, detail});
        qCWarning(lcData, "%s: %s: %s", qUtf8Printable(m_file), qUtf8Printable(errorCodeName(code)),
                  qUtf8Printable(detail));
    }

    void reject(ErrorCode code, const QString &reason)
    {
        ++m_summary.rejected;
        if (m_summary.rejected <= LoadReport::maxListedRejectionsPerFile)
            m_report.rejected.append({m_file, m_row, code, reason});
        if (m_summary.rejected <= 5)
            qCInfo(lcData, "%s row %lld rejected: %s", qUtf8Printable(m_file), m_row, qUtf8Printable(reason));
    }

    int column(const QString &role)
    {
        const QString name = m_mapping.column(role);
        if (name.isEmpty())
            return -1;
        const int index = m_reader->fieldIndex(name);
        if (index < 0)
            m_missingColumns.append(QStringLiteral("%1 (\"%2\")").arg(role, name));
        return index;
    }

    bool open()
    {
        if (!QFileInfo::exists(m_mapping.sourceFile)) {
            problem(ErrorCode::MissingFile, ErrorCategory::Fatal,
                    QStringLiteral("data file not found: %1").arg(QDir::toNativeSeparators(m_mapping.sourceFile)));
            return false;
        }
        QString error;
        m_reader = OgrReader::open(m_mapping.sourceFile, m_mapping.layer, &error);
        if (!m_reader) {
            problem(ErrorCode::Unreadable, ErrorCategory::Fatal, error);
            return false;
        }
        if (!m_reader->setColumnSrs(m_mapping.srs, &error) || !m_reader->setAttributeFilter(m_mapping.where, &error)) {
            problem(ErrorCode::BadMapping, ErrorCategory::BadInput, error);
            return false;
        }
        m_columns.longitude = column(QStringLiteral("longitude"));
        m_columns.latitude = column(QStringLiteral("latitude"));
        m_columns.id = column(QStringLiteral("id"));
        m_columns.name = column(QStringLiteral("name"));
        m_columns.address = column(QStringLiteral("address"));
        m_columns.district = column(QStringLiteral("district"));
        m_columns.count = column(QStringLiteral("count"));
        m_columns.purpose = column(QStringLiteral("purpose"));
        m_columns.direction = column(QStringLiteral("direction"));
        m_columns.setting = column(QStringLiteral("setting"));
        m_columns.streamMain = column(QStringLiteral("stream_main"));
        m_columns.streamSub = column(QStringLiteral("stream_sub"));
        m_columns.code = column(QStringLiteral("code"));
        m_columns.nameEn = column(QStringLiteral("name_en"));
        if (!m_missingColumns.isEmpty()) {
            problem(ErrorCode::MissingColumn, ErrorCategory::BadInput,
                    QStringLiteral("the mapping names columns the file does not have: %1 (columns: %2)")
                        .arg(m_missingColumns.join(QStringLiteral(", ")),
                             m_reader->fieldNames().join(QStringLiteral(", "))));
            return false;
        }
        m_summary.loaded = true;
        return true;
    }

    void readAll()
    {
        const QString stem = QFileInfo(m_mapping.sourceFile).completeBaseName();
        while (m_reader->next()) {
            ++m_row;
            ++m_summary.rows;
            if (m_mapping.isRegion())
                m_summary.accepted += readRegion() ? 1 : 0;
            else if (m_mapping.placeEveryMetres > 0)
                m_summary.accepted += placeAlongLines(stem);
            else
                m_summary.accepted += readAsset(stem) ? 1 : 0;
        }
        if (m_badStreams > 0)
            problem(ErrorCode::BadStreamUrl, ErrorCategory::BadInput,
                    QStringLiteral("%1 stream addresses are not rtsp or http URLs; those sites are shown without video")
                        .arg(m_badStreams));
    }

    std::optional<QPointF> position()
    {
        if (m_columns.longitude < 0) {
            auto p = m_reader->point();
            if (!p)
                p = m_reader->pointOnSurface();
            if (!p)
                reject(ErrorCode::MissingCoordinate,
                       QStringLiteral("no point geometry (%1)").arg(m_reader->geometryTypeName()));
            return p;
        }
        const auto x = m_reader->number(m_columns.longitude);
        const auto y = m_reader->number(m_columns.latitude);
        if (!x || !y) {
            const bool empty = m_reader->utf8(m_columns.longitude).trimmed().isEmpty() ||
                               m_reader->utf8(m_columns.latitude).trimmed().isEmpty();
            reject(empty ? ErrorCode::MissingCoordinate : ErrorCode::NotANumber,
                   QStringLiteral("coordinates are not numbers: longitude \"%1\", latitude \"%2\"")
                       .arg(m_reader->string(m_columns.longitude), m_reader->string(m_columns.latitude)));
            return std::nullopt;
        }
        if (!std::isfinite(*x) || !std::isfinite(*y)) {
            reject(ErrorCode::NotANumber,
                   QStringLiteral("coordinates are not finite: longitude %1, latitude %2").arg(*x).arg(*y));
            return std::nullopt;
        }
        const auto p = m_reader->toLonLat(*x, *y);
        if (!p)
            reject(ErrorCode::OutOfRange,
                   QStringLiteral("coordinates %1, %2 cannot be converted to WGS84").arg(*x).arg(*y));
        return p;
    }

    bool readAsset(const QString &stem)
    {
        const auto p = position();
        return p && addAssetAt(p->x(), p->y(), stem, QString());
    }

    // One asset every placeEveryMetres along each line of the row, the first half a spacing in,
    // so two lines meeting at a corner do not both put one on it. Returns how many were added.
    qint64 placeAlongLines(const QString &stem)
    {
        const auto lines = m_reader->lines();
        if (lines.empty()) {
            reject(ErrorCode::BadGeometry,
                   QStringLiteral("no line geometry to place assets along (%1)").arg(m_reader->geometryTypeName()));
            return 0;
        }
        constexpr double metresPerDegree = 111'320.0;
        const double spacing = m_mapping.placeEveryMetres;
        qint64 added = 0;
        int placed = 0;
        for (const auto &line : lines) {
            double next = spacing / 2; // metres along the line to the next asset
            double walked = 0;
            for (std::size_t i = 1; i < line.size(); ++i) {
                const QPointF a = line[i - 1], b = line[i];
                const double cosLat = std::cos(a.y() * std::numbers::pi / 180.0);
                const double dx = (b.x() - a.x()) * metresPerDegree * cosLat;
                const double dy = (b.y() - a.y()) * metresPerDegree;
                const double length = std::hypot(dx, dy);
                if (!std::isfinite(length))
                    break;
                while (next <= walked + length) {
                    const double t = length > 0 ? (next - walked) / length : 0.0;
                    ++placed;
                    if (addAssetAt(a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y()), stem,
                                   QLatin1Char('-') + QString::number(placed)))
                        ++added;
                    next += spacing;
                }
                walked += length;
            }
        }
        return added;
    }

    bool addAssetAt(double lon, double lat, const QString &stem, const QString &idSuffix)
    {
        if (!std::isfinite(lon) || !std::isfinite(lat) || std::abs(lon) > 180.0 || std::abs(lat) > 90.0) {
            reject(ErrorCode::OutOfRange, QStringLiteral("longitude %1, latitude %2 is not a position on Earth")
                                              .arg(lon, 0, 'f', 7)
                                              .arg(lat, 0, 'f', 7));
            return false;
        }
        if (m_mapping.bounds && !m_mapping.bounds->contains(lon, lat)) {
            const GeoRect &b = *m_mapping.bounds;
            reject(ErrorCode::OutOfBounds,
                   QStringLiteral("longitude %1, latitude %2 is outside the data set's bounds (%3–%4 E, %5–%6 N)")
                       .arg(lon, 0, 'f', 7)
                       .arg(lat, 0, 'f', 7)
                       .arg(b.minX)
                       .arg(b.maxX)
                       .arg(b.minY)
                       .arg(b.maxY));
            return false;
        }
        Asset a;
        a.kind = m_mapping.assetKind();
        a.medium = m_mapping.medium;
        a.longitude = lon;
        a.latitude = lat;
        if (m_columns.count >= 0) {
            const auto count = m_reader->number(m_columns.count);
            if (!count || *count < 1 || *count > 10000 || std::floor(*count) != *count) {
                reject(ErrorCode::BadValue, QStringLiteral("count \"%1\" is not a positive whole number")
                                                .arg(m_reader->string(m_columns.count)));
                return false;
            }
            a.count = int(*count);
        }
        if (m_columns.id >= 0) {
            a.id = m_reader->string(m_columns.id);
            if (a.id.isEmpty()) {
                reject(ErrorCode::BadValue, QStringLiteral("the id is empty"));
                return false;
            }
        } else {
            a.id = stem % QLatin1Char('#') % QString::number(m_row);
        }
        if (!m_mapping.idPrefix.isEmpty() || !idSuffix.isEmpty())
            a.id = m_mapping.idPrefix % a.id % idSuffix;
        a.name = m_reader->string(m_columns.name);
        a.address = m_reader->string(m_columns.address);
        a.sourceDistrict = m_districtText.value(*m_reader, m_columns.district);
        a.purpose = m_purposeText.value(*m_reader, m_columns.purpose);
        a.direction = m_directionText.value(*m_reader, m_columns.direction);
        a.setting = m_settingText.value(*m_reader, m_columns.setting);
        // A stream address that is not a URL a player can open is left out and the row kept:
        // the site is still a site on the map.
        for (auto [column, target] :
             {std::pair{m_columns.streamMain, &a.streamMain}, std::pair{m_columns.streamSub, &a.streamSub}}) {
            const QString text = m_reader->string(column).trimmed();
            if (text.isEmpty())
                continue;
            const QUrl url(text, QUrl::StrictMode);
            if (url.isValid() && !url.host().isEmpty() &&
                QStringList{QStringLiteral("rtsp"), QStringLiteral("rtsps"), QStringLiteral("http"),
                            QStringLiteral("https")}
                    .contains(url.scheme()))
                *target = text;
            else
                ++m_badStreams;
        }
        const QString id = a.id;
        if (!m_registry.addAsset(std::move(a))) {
            reject(ErrorCode::DuplicateId, QStringLiteral("id \"%1\" is already used by another asset").arg(id));
            return false;
        }
        if (m_rows)
            m_rows->push_back(m_row);
        return true;
    }

    bool readRegion()
    {
        Region r;
        r.level = m_mapping.regionLevel();
        r.rings = m_reader->rings();
        if (r.rings.empty()) {
            reject(ErrorCode::BadGeometry,
                   QStringLiteral("no polygon geometry (%1)").arg(m_reader->geometryTypeName()));
            return false;
        }
        for (const Ring &ring : r.rings) {
            for (const QPointF &p : ring) {
                if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || std::abs(p.x()) > 180.0 ||
                    std::abs(p.y()) > 90.0) {
                    reject(ErrorCode::BadGeometry, QStringLiteral("the outline has a vertex off the Earth"));
                    return false;
                }
            }
        }
        r.name = m_reader->string(m_columns.name);
        if (r.name.isEmpty()) {
            reject(ErrorCode::BadValue, QStringLiteral("the region has no name"));
            return false;
        }
        r.code = m_reader->string(m_columns.code);
        r.nameEn = m_reader->string(m_columns.nameEn);
        m_registry.addRegion(std::move(r));
        return true;
    }

    const DatasetMapping &m_mapping;
    QString m_file;
    AssetRegistry &m_registry;
    LoadReport &m_report;
    std::vector<qint64> *m_rows = nullptr;
    DatasetSummary m_summary;
    std::unique_ptr<OgrReader> m_reader;
    Columns m_columns;
    QStringList m_missingColumns;
    InternedColumn m_districtText, m_purposeText, m_directionText, m_settingText;
    int m_badStreams = 0; // stream addresses that were not rtsp/http URLs
    qint64 m_row = 0;
};

// A mapping reads inside the data folder unless it says otherwise: a data folder copied from
// elsewhere must not make the console read any file the process can (or, through GDAL's
// /vsicurl/, a URL). Compared as cleaned paths; a symbolic link inside the folder is someone's
// deliberate choice and is followed.
std::optional<QString> outsideDataDir(const DatasetMapping &mapping, const QDir &dataDir)
{
    const QString root = QDir::cleanPath(dataDir.absolutePath());
    const QString source = QDir::cleanPath(mapping.sourceFile);
    if (mapping.allowOutsideDataDir || source.startsWith(root.endsWith(u'/') ? root : root + u'/'))
        return std::nullopt;
    return QStringLiteral("the source %1 is outside the data folder %2; set \"allow_outside_data_dir\": true in the "
                          "mapping to read it")
        .arg(QDir::toNativeSeparators(source), QDir::toNativeSeparators(root));
}

} // namespace

QStringList AssetLoader::findMappings(const QString &dataDir)
{
    QStringList files;
    QDirIterator it(dataDir, {QStringLiteral("*.mapping.json")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    return files;
}

void AssetLoader::loadDataset(const DatasetMapping &mapping, const QString &displayName, AssetRegistry &registry,
                              LoadReport &report)
{
    DatasetLoad(mapping, displayName, registry, report).run();
}

LoadResult AssetLoader::loadDirectory(const QString &dataDir, int threads)
{
    LoadResult result;
    result.registry = std::make_shared<AssetRegistry>();
    LoadReport &report = result.report;
    const QDir dir(dataDir);
    report.dataDir = QDir::toNativeSeparators(dir.absolutePath());

    if (!dir.exists()) {
        report.problems.append({report.dataDir, ErrorCode::NoDataDir, ErrorCategory::Fatal,
                                QStringLiteral("the data directory does not exist")});
        qCWarning(lcData, "data directory %s does not exist", qUtf8Printable(report.dataDir));
        result.registry->finalize();
        return result;
    }
    const QStringList mappings = findMappings(dataDir);
    if (mappings.isEmpty()) {
        report.problems.append({report.dataDir, ErrorCode::NoDatasets, ErrorCategory::BadInput,
                                QStringLiteral("no *.mapping.json file was found in the data directory")});
        qCWarning(lcData, "no data sets in %s", qUtf8Printable(report.dataDir));
    }
    struct DatasetJob
    {
        DatasetJob(DatasetMapping m, QString name)
            : mapping(std::move(m))
            , displayName(std::move(name))
        {}
        DatasetMapping mapping;
        QString displayName;
        AssetRegistry registry; // not finalized: a holder in the file's row order
        LoadReport report;
        std::vector<qint64> rows; // of each asset in registry
    };
    std::vector<std::unique_ptr<DatasetJob>> jobs;
    for (const QString &mappingFile : mappings) {
        const QString mappingName = dir.relativeFilePath(mappingFile);
        QFile file(mappingFile);
        if (!file.open(QIODevice::ReadOnly)) {
            report.problems.append({mappingName, ErrorCode::Unreadable, ErrorCategory::Fatal, file.errorString()});
            qCWarning(lcData, "%s: %s", qUtf8Printable(mappingName), qUtf8Printable(file.errorString()));
            continue;
        }
        QString error;
        auto mapping = DatasetMapping::fromJson(file.readAll(), mappingFile, &error);
        if (mapping) {
            if (const auto outside = outsideDataDir(*mapping, dir)) {
                error = *outside;
                mapping.reset();
            }
        }
        if (!mapping) {
            report.problems.append({mappingName, ErrorCode::BadMapping, ErrorCategory::BadInput, error});
            qCWarning(lcData, "%s: bad mapping: %s", qUtf8Printable(mappingName), qUtf8Printable(error));
            continue;
        }
        jobs.push_back(std::make_unique<DatasetJob>(*mapping, dir.relativeFilePath(mapping->sourceFile)));
    }

    // The data sets are read in parallel (GDAL is thread-safe for separate data sets; the OSM
    // driver spends most of a second indexing an extract), each into its own registry and
    // report, then merged in the mappings' order, so the result does not depend on timing.
    Gdal::ensureInitialized();
    std::atomic<std::size_t> next{0};
    auto work = [&jobs, &next] {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            DatasetJob &job = *jobs[i];
            DatasetLoad(job.mapping, job.displayName, job.registry, job.report, &job.rows).run();
        }
    };
    const std::size_t workers =
        std::clamp<std::size_t>(threads > 0 ? std::size_t(threads) : std::size_t(std::thread::hardware_concurrency()),
                                1, std::max<std::size_t>(1, jobs.size()));
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
        pool.emplace_back(work);
    work();
    for (std::thread &t : pool)
        t.join();

    for (const auto &job : jobs) {
        report.problems.append(job->report.problems);
        report.rejected.append(job->report.rejected);
        for (const Region &r : job->registry.districts())
            result.registry->addRegion(r);
        for (const Region &r : job->registry.dongs())
            result.registry->addRegion(r);
        DatasetSummary summary = job->report.datasets.value(0);
        const auto &assets = job->registry.assets();
        for (std::size_t k = 0; k < assets.size(); ++k) {
            if (result.registry->addAsset(assets[k]))
                continue;
            // The same id in an earlier file.
            --summary.accepted;
            ++summary.rejected;
            if (summary.rejected <= LoadReport::maxListedRejectionsPerFile)
                report.rejected.append(
                    {job->displayName, job->rows[k], ErrorCode::DuplicateId,
                     QStringLiteral("id \"%1\" is already used by an asset of another file").arg(assets[k].id)});
        }
        report.datasets.append(summary);
    }
    result.registry->finalize();
    return result;
}

} // namespace gwanje
