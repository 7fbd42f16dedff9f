// gwanje-bench: the project's performance figures, each against a baseline run in this process
// on the same input, so machine drift cancels out in the ratio.

#include "BenchJson.h"
#include "data/AssetLoader.h"
#include "data/DatasetMapping.h"
#include "data/Gdal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>

#include <gdal.h>
#include <ogr_api.h>

#include <cstdio>

using namespace gwanje;

namespace {

// The baseline of startup.load_assets_ms: the same files read with bare OGR, touching the same
// columns (as text, as OGR hands them out) and geometries, with nothing built from them.
double bareOgrRead(const std::vector<DatasetMapping> &mappings)
{
    QElapsedTimer timer;
    timer.start();
    double checksum = 0.0;
    for (const DatasetMapping &m : mappings) {
        GDALDatasetH ds =
            GDALOpenEx(m.sourceFile.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
        if (!ds)
            continue;
        OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        std::vector<int> fields;
        for (const QString &column : m.fields)
            fields.push_back(OGR_FD_GetFieldIndex(defn, column.toUtf8().constData()));
        OGR_L_ResetReading(layer);
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            for (int field : fields) {
                if (field >= 0)
                    checksum += double(OGR_F_GetFieldAsString(f, field)[0]);
            }
            if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) {
                for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i)
                    checksum += OGR_G_GetPointCount(OGR_G_GetGeometryRef(g, i));
            }
            OGR_F_Destroy(f);
        }
        GDALClose(ds);
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (checksum < 0) // keeps the reads from being optimised away
        std::fprintf(stderr, "%f\n", checksum);
    return ms;
}

void benchLoadAssets(const QString &dataDir, int runs)
{
    std::vector<DatasetMapping> mappings;
    for (const QString &file : AssetLoader::findMappings(dataDir)) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QString error;
        if (auto m = DatasetMapping::fromJson(f.readAll(), file, &error))
            mappings.push_back(*m);
    }
    // Warm the file cache and GDAL's driver state for both, then alternate runs so drift hits both.
    bareOgrRead(mappings);
    AssetLoader::loadDirectory(dataDir);
    std::vector<double> ours, baseline;
    for (int i = 0; i < runs; ++i) {
        baseline.push_back(bareOgrRead(mappings));
        QElapsedTimer timer;
        timer.start();
        const LoadResult r = AssetLoader::loadDirectory(dataDir);
        ours.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (r.registry->assets().empty()) {
            std::fprintf(stderr, "gwanje-bench: no assets loaded from %s\n", qUtf8Printable(dataDir));
            return;
        }
    }
    bench::emit("startup.load_assets_ms", bench::median(ours), "ms", bench::median(baseline));
}

} // namespace

namespace gwanje::bench {
void ingestBenchmarks(const Settings &settings);
void storeBenchmarks(const Settings &settings);
void fusionBenchmarks(const Settings &settings);
} // namespace gwanje::bench

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gwanje benchmarks: one JSON object per line on stdout."));
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Fewer repetitions (for smoke tests)."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Data directory."),
                                     QStringLiteral("DIR"), QStringLiteral(GWANJE_DATA_DIR));
    const QCommandLineOption filter(
        QStringLiteral("filter"), QStringLiteral("Only benchmarks whose name contains TEXT."), QStringLiteral("TEXT"));
    const QCommandLineOption workDir(
        QStringLiteral("work-dir"),
        QStringLiteral("Where benchmark databases go (a 10-million-fix one is kept for reuse)."), QStringLiteral("DIR"),
        QStringLiteral(GWANJE_BENCH_WORK_DIR));
    parser.addOptions({quick, dataDir, filter, workDir});
    parser.process(app);

    QLoggingCategory::setFilterRules(QStringLiteral("gwanje.*.info=false"));
    Gdal::ensureInitialized();
    bench::Settings settings;
    settings.quick = parser.isSet(quick);
    settings.filter = parser.value(filter);
    settings.workDir = parser.value(workDir);
    QDir().mkpath(settings.workDir);
    if (settings.selected("startup.load_assets_ms"))
        benchLoadAssets(parser.value(dataDir), settings.quick ? 3 : 15);
    bench::ingestBenchmarks(settings);
    bench::storeBenchmarks(settings);
    bench::fusionBenchmarks(settings);
    return 0;
}
