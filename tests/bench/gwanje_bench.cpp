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
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>

#include <gdal.h>
#include <ogr_api.h>

#include <cstdio>

using namespace gwanje;

namespace {

// The baseline of startup.load_assets_ms: the same files, layers and filtered rows read with bare
// OGR, touching the same columns (as text, as OGR hands them out) and geometries, with nothing
// built from them.
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
        OGRLayerH layer = m.layer.isEmpty() ? GDALDatasetGetLayer(ds, 0)
                                            : GDALDatasetGetLayerByName(ds, m.layer.toUtf8().constData());
        if (!layer) {
            GDALClose(ds);
            continue;
        }
        OGR_L_SetAttributeFilter(layer, m.where.isEmpty() ? nullptr : m.where.toUtf8().constData());
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
                checksum += OGR_G_GetPointCount(g);
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
    // The loader reads the files on every core (as the console does); the baseline reads them
    // one after the other, so the one-thread figure is printed too.
    bareOgrRead(mappings);
    AssetLoader::loadDirectory(dataDir);
    std::vector<double> ours, oneThread, baseline;
    for (int i = 0; i < runs; ++i) {
        baseline.push_back(bareOgrRead(mappings));
        for (const int threads : {0, 1}) {
            QElapsedTimer timer;
            timer.start();
            const LoadResult r = AssetLoader::loadDirectory(dataDir, threads);
            (threads == 0 ? ours : oneThread).push_back(double(timer.nsecsElapsed()) / 1e6);
            if (r.registry->assets().empty()) {
                std::fprintf(stderr, "gwanje-bench: no assets loaded from %s\n", qUtf8Printable(dataDir));
                return;
            }
        }
    }
    bench::emit("startup.load_assets_ms", bench::median(ours), "ms", bench::median(baseline));
    bench::emit("startup.load_assets_one_thread_ms", bench::median(oneThread), "ms", bench::median(baseline));
}

// A helper benchmark's result lines, printed as ours and returned.
QList<QJsonObject> passOn(QProcess &process)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue;
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        out.append(o);
    }
    return out;
}

// The map figures come from gwanje-mapbench, run once per scene-graph back end: offscreen with
// the software adaptation, and under Xvfb with OpenGL on Mesa. Its lines are passed on, and
// map.frame_ms_100k / map.frame_ms_city / map.vs_qml_items are the worse of the two back ends.
void mapBenchmarks(const bench::Settings &settings)
{
    const QString tool = QCoreApplication::applicationDirPath() + QStringLiteral("/gwanje-mapbench");
    if (!QFileInfo::exists(tool)) {
        std::fprintf(stderr, "gwanje-bench: %s not built; no map figures\n", qUtf8Printable(tool));
        return;
    }
    QStringList common;
    if (settings.quick)
        common << QStringLiteral("--quick");
    if (!settings.filter.isEmpty())
        common << QStringLiteral("--filter") << settings.filter;
    struct Run
    {
        QString backend, program;
        QStringList arguments;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    };
    std::vector<Run> runs;
    Run software{QStringLiteral("software"), tool, common};
    software.arguments << QStringLiteral("--backend") << QStringLiteral("software");
    software.env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    software.env.insert(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
    runs.push_back(software);
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    Run gl{QStringLiteral("gl"), xvfbRun, {}};
    gl.env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    gl.env.remove(QStringLiteral("QT_QUICK_BACKEND"));
    if (!xvfbRun.isEmpty()) {
        gl.arguments << QStringLiteral("-a") << QStringLiteral("-s")
                     << QStringLiteral("-screen 0 1920x1080x24 +extension GLX") << tool;
    } else if (qEnvironmentVariableIsSet("DISPLAY")) {
        gl.program = tool;
    } else {
        std::fprintf(stderr, "gwanje-bench: no xvfb-run and no DISPLAY; no OpenGL map figures\n");
        gl.program.clear();
    }
    gl.arguments << common << QStringLiteral("--backend") << QStringLiteral("gl");
    if (!gl.program.isEmpty())
        runs.push_back(gl);

    QHash<QString, QJsonObject> byName;
    for (const Run &run : runs) {
        QProcess process;
        process.setProcessEnvironment(run.env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(run.program, run.arguments);
        if (!process.waitForFinished(900'000) || process.exitStatus() != QProcess::NormalExit ||
            process.exitCode() != 0) {
            std::fprintf(stderr, "gwanje-bench: gwanje-mapbench (%s) failed\n", qUtf8Printable(run.backend));
            process.kill();
            process.waitForFinished(5000);
            continue;
        }
        for (const QJsonObject &o : passOn(process))
            byName.insert(o.value(QStringLiteral("name")).toString(), o);
    }
    for (const char *name : {"map.frame_ms_100k", "map.frame_ms_city", "map.vs_qml_items"}) {
        const QString base = QString::fromLatin1(name);
        const QJsonObject a = byName.value(base + QStringLiteral("_software"));
        const QJsonObject b = byName.value(base + QStringLiteral("_gl"));
        if (a.isEmpty() && b.isEmpty())
            continue;
        // The worse of the two: the higher time, or for vs_qml_items the higher ratio.
        const bool ratioBased = base.endsWith(QStringLiteral("vs_qml_items"));
        auto score = [ratioBased](const QJsonObject &o) {
            return o.isEmpty() ? -1.0
                               : o.value(ratioBased ? QStringLiteral("ratio") : QStringLiteral("value")).toDouble();
        };
        const QJsonObject &worse = score(a) >= score(b) ? a : b;
        const QJsonValue baseline = worse.value(QStringLiteral("baseline"));
        bench::emit(name, worse.value(QStringLiteral("value")).toDouble(), "ms",
                    baseline.isNull() ? std::nullopt : std::optional<double>(baseline.toDouble()));
    }
}

// The video wall's figures come from gwanje-videobench under Xvfb (OpenGL on Mesa), against a
// gwanje-camsim of its own; its lines are passed on.
void videoBenchmarks(const bench::Settings &settings)
{
    const QString tool = QCoreApplication::applicationDirPath() + QStringLiteral("/gwanje-videobench");
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (!QFileInfo::exists(tool) || xvfbRun.isEmpty()) {
        std::fprintf(stderr, "gwanje-bench: no gwanje-videobench or xvfb-run; no video figures\n");
        return;
    }
    QStringList arguments{QStringLiteral("-a"), QStringLiteral("-s"),
                          QStringLiteral("-screen 0 1920x1080x24 +extension GLX"), tool};
    if (settings.quick)
        arguments << QStringLiteral("--quick");
    if (!settings.filter.isEmpty())
        arguments << QStringLiteral("--filter") << settings.filter;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.remove(QStringLiteral("QT_QUICK_BACKEND"));
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(xvfbRun, arguments);
    if (!process.waitForFinished(600'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "gwanje-bench: gwanje-videobench failed\n");
        process.kill();
        process.waitForFinished(5000);
    }
    passOn(process);
}

// startup.first_frame_ms, startup.data_frame_ms and startup.rss_mb: the real app on the shipped
// data (a fresh database) with --probe-startup, on an X server of our own (Xvfb, OpenGL on Mesa,
// started once so its own start-up is not counted). The times run from QProcess::start() to the
// probe's line; the baseline is a bare QQuickView (gwanje-mapbench --startup-baseline) the same
// way.
class StartupProbe
{
public:
    StartupProbe() = default;
    StartupProbe(const StartupProbe &) = delete;
    StartupProbe &operator=(const StartupProbe &) = delete;
    ~StartupProbe()
    {
        if (m_xvfb.state() != QProcess::NotRunning) {
            m_xvfb.terminate(); // this process only, by its PID
            if (!m_xvfb.waitForFinished(5000))
                m_xvfb.kill();
        }
    }

    bool startDisplay()
    {
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        if (xvfb.isEmpty()) {
            std::fprintf(stderr, "gwanje-bench: no Xvfb; no start-up figures\n");
            return false;
        }
        m_xvfb.start(xvfb, {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                            QStringLiteral("0"), QStringLiteral("1920x1080x24"), QStringLiteral("+extension"),
                            QStringLiteral("GLX"), QStringLiteral("-nolisten"), QStringLiteral("tcp")});
        if (!m_xvfb.waitForStarted(5000))
            return false;
        QByteArray out;
        QElapsedTimer waited;
        waited.start();
        while (!out.contains('\n') && waited.elapsed() < 10'000) {
            m_xvfb.waitForReadyRead(500);
            out += m_xvfb.readAllStandardOutput();
        }
        bool ok = false;
        const int display = out.trimmed().toInt(&ok);
        if (!ok)
            return false;
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":%1").arg(display));
        m_env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        m_env.remove(QStringLiteral("QT_QUICK_BACKEND"));
        return true;
    }

    // Runs the program until it quits (or `limitMs`), returning when each probe line came (ms from
    // start) and the last line's object.
    QHash<QString, double> run(const QString &program, const QStringList &arguments, int limitMs,
                               QJsonObject *last = nullptr)
    {
        QHash<QString, double> at;
        QProcess process;
        process.setProcessEnvironment(m_env);
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.setStandardErrorFile(QProcess::nullDevice());
        QElapsedTimer timer;
        timer.start();
        process.start(program, arguments);
        QByteArray pending;
        while (timer.elapsed() < limitMs && process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(50);
            pending += process.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QJsonObject o = QJsonDocument::fromJson(pending.left(nl)).object();
                pending.remove(0, nl + 1);
                const QString probe = o.value(QStringLiteral("probe")).toString();
                if (!probe.isEmpty() && !at.contains(probe))
                    at.insert(probe, double(timer.nsecsElapsed()) / 1e6);
                if (last && !probe.isEmpty())
                    *last = o;
            }
        }
        if (process.state() != QProcess::NotRunning) {
            process.kill(); // this process only
            process.waitForFinished(5000);
        }
        return at;
    }

private:
    QProcess m_xvfb;
    QProcessEnvironment m_env;
};

void startupBenchmarks(const bench::Settings &settings, const QString &dataDir)
{
    const bool frames = settings.selected("startup.first_frame_ms") || settings.selected("startup.data_frame_ms");
    const bool memory = settings.selected("startup.rss_mb");
    if (!frames && !memory)
        return;
    const QString bin = QCoreApplication::applicationDirPath();
    const QString app = bin + QStringLiteral("/gwanje"), bare = bin + QStringLiteral("/gwanje-mapbench");
    if (!QFileInfo::exists(app) || !QFileInfo::exists(bare)) {
        std::fprintf(stderr, "gwanje-bench: gwanje or gwanje-mapbench not built; no start-up figures\n");
        return;
    }
    StartupProbe probe;
    if (!probe.startDisplay()) {
        std::fprintf(stderr, "gwanje-bench: the X server for the start-up figures did not start\n");
        return;
    }
    const QString db = QDir(settings.workDir).filePath(QStringLiteral("startup.db"));
    auto fresh = [&db] {
        for (const char *suffix : {"", "-wal", "-shm", ".events-journal"})
            QFile::remove(db + QString::fromLatin1(suffix));
    };
    auto appArguments = [&](double seconds) {
        return QStringList{
            QStringLiteral("--data-dir"), dataDir, QStringLiteral("--db"), db, QStringLiteral("--probe-startup"),
            QString::number(seconds)};
    };
    if (frames) {
        std::vector<double> first, data, baseline;
        const int runs = settings.quick ? 1 : 5;
        for (int i = 0; i < runs; ++i) {
            const auto b = probe.run(bare, {QStringLiteral("--startup-baseline")}, 30'000);
            fresh();
            const auto a = probe.run(app, appArguments(0.0), 60'000);
            if (!b.contains(QStringLiteral("first_frame")) || !a.contains(QStringLiteral("first_frame")) ||
                !a.contains(QStringLiteral("data_frame"))) {
                std::fprintf(stderr, "gwanje-bench: a start-up run said no frame\n");
                continue;
            }
            baseline.push_back(b.value(QStringLiteral("first_frame")));
            first.push_back(a.value(QStringLiteral("first_frame")));
            data.push_back(a.value(QStringLiteral("data_frame")));
        }
        if (!first.empty()) {
            const double base = bench::median(baseline);
            if (settings.selected("startup.first_frame_ms"))
                bench::emit("startup.first_frame_ms", bench::median(first), "ms", base);
            if (settings.selected("startup.data_frame_ms"))
                bench::emit("startup.data_frame_ms", bench::median(data), "ms", base);
        }
    }
    if (memory) {
        // The demo for 60 s (5 in a quick run): the simulator, the store, the map.
        const double seconds = settings.quick ? 5.0 : 60.0;
        fresh();
        QJsonObject last;
        const auto a = probe.run(app, appArguments(seconds), int(seconds * 1000) + 60'000, &last);
        if (a.contains(QStringLiteral("rss")) && last.value(QStringLiteral("rss_mb")).toDouble() > 0)
            bench::emit("startup.rss_mb", last.value(QStringLiteral("rss_mb")).toDouble(), "MB", std::nullopt);
        else
            std::fprintf(stderr, "gwanje-bench: the memory probe said nothing\n");
    }
    fresh();
}

} // namespace

namespace gwanje::bench {
void ingestBenchmarks(const Settings &settings);
void storeBenchmarks(const Settings &settings);
void fusionBenchmarks(const Settings &settings);
void cameraBenchmarks(const Settings &settings, const QString &dataDir);
void alarmBenchmarks(const Settings &settings, const QString &dataDir);
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
    const QCommandLineOption noMap(
        QStringLiteral("no-map"),
        QStringLiteral("Skip the map and window figures (gwanje-mapbench under two back ends, the app's "
                       "start-up under Xvfb, the video wall's)."));
    parser.addOptions({quick, dataDir, filter, workDir, noMap});
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
    bench::cameraBenchmarks(settings, parser.value(dataDir));
    bench::alarmBenchmarks(settings, parser.value(dataDir));
    if (!parser.isSet(noMap)) {
        mapBenchmarks(settings);
        startupBenchmarks(settings, parser.value(dataDir));
        videoBenchmarks(settings);
    }
    return 0;
}
