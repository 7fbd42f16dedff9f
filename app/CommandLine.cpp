#include "CommandLine.h"

#include "VideoWallFacade.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cmath>

namespace gwanje {

QString defaultDataDir(const QString &applicationDir)
{
    const QString env = qEnvironmentVariable("GWANJE_DATA_DIR");
    if (!env.isEmpty())
        return QDir(env).absolutePath();
    const QString installed = QDir(applicationDir).filePath(QStringLiteral("../share/gwanje/data"));
    if (QFileInfo::exists(installed))
        return QDir(installed).absolutePath();
    return QStringLiteral(GWANJE_SOURCE_DATA_DIR);
}

namespace {

// A report that cannot be written was found out only after the whole run; a folder that exists and
// takes a new file now will take the report (QSaveFile writes a temporary file beside it too).
QString reportFileProblem(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QStringLiteral("--report: \"%1\" is a folder; give a file name").arg(path);
    const QString folder = QDir::toNativeSeparators(info.absolutePath());
    if (!QFileInfo(info.absolutePath()).isDir())
        return QStringLiteral("--report: the folder \"%1\" does not exist").arg(folder);
    QTemporaryFile probe(info.absolutePath() + QStringLiteral("/.gwanje-report-XXXXXX"));
    if (!probe.open())
        return QStringLiteral("--report: cannot create a file in \"%1\" (%2)").arg(folder, probe.errorString());
    return {};
}

} // namespace

std::variant<Options, CommandLineError> parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Gwanje: integrated operations console for a u-City control centre."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print the version and exit."));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Data directory with *.mapping.json files (default: the shipped data)."), QStringLiteral("DIR"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QStringLiteral("User interface language: ko (default) or en."),
                                  QStringLiteral("ko|en"));
    const QCommandLineOption desk(QStringLiteral("desk"),
                                  QStringLiteral("Which desk this console is: ops (default), police-112, fire-119, "
                                                 "facilities or supervisor. It shows the alarms dispatched there."),
                                  QStringLiteral("DESK"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Run on the built-in Seoul demo (the default when nothing else is configured)."));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the core without a window."));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("With --headless: seconds to run before writing the report."),
                                      QStringLiteral("SECONDS"));
    const QCommandLineOption report(QStringLiteral("report"),
                                    QStringLiteral("With --headless: write a JSON report here."),
                                    QStringLiteral("FILE.json"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Start the UI, save the window as PNG here, and exit."),
                                        QStringLiteral("FILE.png"));
    const QCommandLineOption after(QStringLiteral("after"),
                                   QStringLiteral("With --screenshot: seconds to wait (after the data is loaded)."),
                                   QStringLiteral("SECONDS"));
    const QCommandLineOption wall(QStringLiteral("wall"),
                                  QStringLiteral("The CCTV wall's layout: 1, 2x2, 3x3, 4x4, 1+5 or 1+7 (default: "
                                                 "the desk's last one), or off to hide the wall."),
                                  QStringLiteral("LAYOUT"));
    const QCommandLineOption replay(QStringLiteral("replay"),
                                    QStringLiteral("Replay events from an NDJSON file (one JSON event per line)."),
                                    QStringLiteral("FILE.ndjson"));
    const QCommandLineOption speed(
        QStringLiteral("speed"),
        QStringLiteral("Simulated seconds per second (simulator: 1 by default; replay: 0 = as fast as possible)."),
        QStringLiteral("FACTOR"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
                                      QStringLiteral("Simulator scenario: normal, typhoon, fiber-cut, missing-person."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption devices(QStringLiteral("devices"),
                                     QStringLiteral("Simulated safety devices (default 5000, at most 100000)."),
                                     QStringLiteral("N"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("Simulator seed (same seed and start, same day)."), QStringLiteral("N"));
    const QCommandLineOption simSeconds(
        QStringLiteral("sim-seconds"),
        QStringLiteral("Simulate this many seconds, then end (headless: the run ends when they are processed)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption lockstep(
        QStringLiteral("lockstep"),
        QStringLiteral("Simulator: fuse each simulated second before making the next, so that the same seed and "
                       "start give the same alarms on any machine (with --speed 0: as fast as that allows)."));
    // For gwanje-bench (startup.first_frame_ms, startup.rss_mb); not in --help.
    QCommandLineOption probeStartup(QStringLiteral("probe-startup"),
                                    QStringLiteral("Print the first frames and the memory after SECONDS, then quit."),
                                    QStringLiteral("SECONDS"));
    probeStartup.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption start(QStringLiteral("start"),
                                   QStringLiteral("Simulated start time, ISO 8601 (default: now)."),
                                   QStringLiteral("TIME"));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("The event database (SQLite); created when missing."),
                                QStringLiteral("FILE"));
    const QCommandLineOption progress(
        QStringLiteral("progress"),
        QStringLiteral("Print {\"committed\": N} to stdout after each database commit, and "
                       "{\"durable\": ID, \"t\": MS, \"kind\": K} for each SOS or fall on disk."));
    parser.addOptions({help,    version,    dataDir, lang,       desk,     demo,        headless, duration,
                       report,  screenshot, after,   replay,     speed,    db,          progress, scenario,
                       devices, seed,       start,   simSeconds, lockstep, probeStartup, wall});

    Options o;
    if (!parser.parse(arguments))
        return CommandLineError{parser.errorText()};
    o.helpText = parser.helpText();
    if (!parser.positionalArguments().isEmpty())
        return CommandLineError{
            QStringLiteral("Unexpected argument: %1").arg(parser.positionalArguments().constFirst())};
    if (parser.isSet(help)) {
        o.mode = Options::Mode::Help;
        return o;
    }
    if (parser.isSet(version)) {
        o.mode = Options::Mode::Version;
        return o;
    }

    auto seconds = [&parser](const QCommandLineOption &option, double *out) -> bool {
        bool ok = false;
        const double v = parser.value(option).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0 || v > 7 * 24 * 3600)
            return false;
        *out = v;
        return true;
    };

    if (parser.isSet(lang)) {
        o.language = parser.value(lang);
        if (o.language != QLatin1String("ko") && o.language != QLatin1String("en"))
            return CommandLineError{QStringLiteral("--lang must be ko or en, not \"%1\"").arg(o.language)};
    }
    if (parser.isSet(desk)) {
        o.desk = parser.value(desk);
        const QStringList desks{QStringLiteral("ops"), QStringLiteral("police-112"), QStringLiteral("fire-119"),
                                QStringLiteral("facilities"), QStringLiteral("supervisor")};
        if (!desks.contains(o.desk))
            return CommandLineError{
                QStringLiteral("--desk must be one of %1, not \"%2\"").arg(desks.join(QStringLiteral(", ")), o.desk)};
    }
    if (parser.isSet(dataDir)) {
        const QFileInfo info(parser.value(dataDir));
        if (!info.isDir())
            return CommandLineError{QStringLiteral("--data-dir: \"%1\" is not a directory").arg(parser.value(dataDir))};
        o.dataDir = info.absoluteFilePath();
    }
    o.demo = !parser.isSet(replay);
    if (parser.isSet(replay)) {
        const QFileInfo info(parser.value(replay));
        if (!info.isFile())
            return CommandLineError{QStringLiteral("--replay: \"%1\" is not a file").arg(parser.value(replay))};
        o.replayFile = info.absoluteFilePath();
    }
    if (parser.isSet(speed)) {
        bool ok = false;
        o.speed = parser.value(speed).toDouble(&ok);
        if (!ok || !std::isfinite(o.speed) || o.speed < 0 || o.speed > 1e6)
            return CommandLineError{
                QStringLiteral("--speed must be a number from 0, not \"%1\"").arg(parser.value(speed))};
    }
    const bool simulatorOption = parser.isSet(scenario) || parser.isSet(devices) || parser.isSet(seed) ||
                                 parser.isSet(start) || parser.isSet(simSeconds) || parser.isSet(lockstep);
    o.lockstep = parser.isSet(lockstep);
    if (parser.isSet(simSeconds)) {
        bool ok = false;
        o.simulatedSeconds = parser.value(simSeconds).toLongLong(&ok);
        if (!ok || o.simulatedSeconds <= 0 || o.simulatedSeconds > 366LL * 86400)
            return CommandLineError{QStringLiteral("--sim-seconds must be a positive number of seconds, not \"%1\"")
                                        .arg(parser.value(simSeconds))};
    }
    if (parser.isSet(replay) && simulatorOption)
        return CommandLineError{QStringLiteral(
            "--scenario, --devices, --seed, --start and --lockstep are for the simulator, not --replay")};
    if (parser.isSet(scenario)) {
        o.scenario = parser.value(scenario);
        const QStringList known{QStringLiteral("normal"), QStringLiteral("typhoon"), QStringLiteral("fiber-cut"),
                                QStringLiteral("missing-person")};
        if (!known.contains(o.scenario))
            return CommandLineError{QStringLiteral("--scenario must be one of %1, not \"%2\"")
                                        .arg(known.join(QStringLiteral(", ")), o.scenario)};
    }
    if (parser.isSet(devices)) {
        bool ok = false;
        o.devices = parser.value(devices).toInt(&ok);
        if (!ok || o.devices < 0 || o.devices > 100'000)
            return CommandLineError{
                QStringLiteral("--devices must be 0 to 100000, not \"%1\"").arg(parser.value(devices))};
    }
    if (parser.isSet(seed)) {
        bool ok = false;
        o.seed = parser.value(seed).toULongLong(&ok);
        if (!ok)
            return CommandLineError{
                QStringLiteral("--seed must be a whole number, not \"%1\"").arg(parser.value(seed))};
    }
    if (parser.isSet(start)) {
        const QDateTime t = QDateTime::fromString(parser.value(start), Qt::ISODate);
        if (!t.isValid())
            return CommandLineError{
                QStringLiteral("--start must be an ISO 8601 time, not \"%1\"").arg(parser.value(start))};
        o.simulationStartMs = t.toMSecsSinceEpoch();
    }
    if (parser.isSet(db)) {
        if (parser.value(db).isEmpty())
            return CommandLineError{QStringLiteral("--db needs a file name")};
        o.databaseFile = QFileInfo(parser.value(db)).absoluteFilePath();
    }
    o.progress = parser.isSet(progress);
    if (parser.isSet(wall)) {
        const QString layout = parser.value(wall);
        if (layout == QLatin1String("off"))
            o.wallShown = false;
        else if (VideoWallFacade::layoutRects(layout).empty())
            return CommandLineError{
                QStringLiteral("--wall must be 1, 2x2, 3x3, 4x4, 1+5, 1+7 or off, not \"%1\"").arg(layout)};
        else
            o.wallLayout = layout;
    }

    if (parser.isSet(headless) && parser.isSet(screenshot))
        return CommandLineError{QStringLiteral("--headless and --screenshot cannot be combined")};
    if (parser.isSet(headless)) {
        o.mode = Options::Mode::Headless;
        if (!parser.isSet(report))
            return CommandLineError{QStringLiteral("--headless needs --report FILE.json")};
        o.reportFile = parser.value(report);
        if (parser.isSet(duration) && !seconds(duration, &o.durationSeconds))
            return CommandLineError{
                QStringLiteral("--duration must be a number of seconds, not \"%1\"").arg(parser.value(duration))};
        if (const QString problem = reportFileProblem(o.reportFile); !problem.isEmpty())
            return CommandLineError{problem};
    } else if (parser.isSet(duration) || parser.isSet(report)) {
        return CommandLineError{QStringLiteral("--duration and --report need --headless")};
    }
    if (parser.isSet(probeStartup)) {
        if (parser.isSet(headless) || parser.isSet(screenshot))
            return CommandLineError{QStringLiteral("--probe-startup is for the window")};
        if (!seconds(probeStartup, &o.probeSeconds))
            return CommandLineError{QStringLiteral("--probe-startup must be a number of seconds, not \"%1\"")
                                        .arg(parser.value(probeStartup))};
    }
    if (parser.isSet(screenshot)) {
        o.mode = Options::Mode::Screenshot;
        o.screenshotFile = parser.value(screenshot);
        if (parser.isSet(after) && !seconds(after, &o.afterSeconds))
            return CommandLineError{
                QStringLiteral("--after must be a number of seconds, not \"%1\"").arg(parser.value(after))};
    } else if (parser.isSet(after)) {
        return CommandLineError{QStringLiteral("--after needs --screenshot")};
    }
    return o;
}

} // namespace gwanje
