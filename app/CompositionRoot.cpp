#include "CompositionRoot.h"

#include "AlarmSound.h"
#include "AlarmsFacade.h"
#include "AssetsFacade.h"
#include "BasemapFacade.h"
#include "ConsoleUi.h"
#include "EngineBackend.h"
#include "HeadlessReport.h"
#include "CameraStream.h"
#include "MapView.h"
#include "SimulatedCameras.h"
#include "UiLogging.h"
#include "VideoWallFacade.h"
#include "engine/Engine.h"
#include "engine/SourceFactory.h"
#include "feeds/PictureHealthSource.h"
#include "fusion/FusionConfig.h"
#include "store/QueryThread.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QMetaEnum>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QTranslator>
#include <QtConcurrent>

#include <cstdio>

Q_LOGGING_CATEGORY(lcApp, "gwanje.app", QtInfoMsg)

namespace gwanje {

CompositionRoot::CompositionRoot(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

CompositionRoot::~CompositionRoot()
{
    m_opening.waitForFinished(); // the worker opening the database uses m_core
    // The screen first (its bindings read the engine through the backend), then the engine.
    if (m_core)
        m_core->setAlarmsChangedCallback({});
    if (m_ui)
        m_ui->wall()->setHealthReporter({}); // its source goes with the engine
    m_ui.reset();
    m_cameras.reset(); // stops gwanje-camsim
    m_backend.reset();
    m_core.reset();
}

namespace {

// The wall tiles' streams, through the item tree (a Repeater's tiles are not QObject children
// of the window).
QList<CameraStream *> wallStreams(QQuickItem *item)
{
    QList<CameraStream *> out;
    for (QObject *child : item->children())
        if (auto *stream = qobject_cast<CameraStream *>(child))
            out.append(stream);
    for (QQuickItem *child : item->childItems())
        out.append(wallStreams(child));
    return out;
}

// What feeds the engine, from the command line (SourceFactory builds it).
SourceSettings sourceSettings(const Options &options)
{
    SourceSettings feed;
    feed.replayFile = options.replayFile;
    feed.speed = options.speed;
    feed.dataDir = options.dataDir;
    feed.simulator.devices = options.devices;
    feed.simulator.seed = options.seed;
    feed.simulator.startMs = options.simulationStartMs;
    feed.simulator.scenario = scenarioFromName(options.scenario).value_or(Scenario::Normal);
    feed.simulator.stopAfterSeconds = options.simulatedSeconds;
    feed.simulator.lockstep = options.lockstep;
    return feed;
}

// --progress: a line on stdout per commit and per durable SOS or fall (for the crash tests).
void printProgress(Engine &engine)
{
    engine.setCommitCallback([](quint64 total) {
        std::printf("{\"committed\": %llu}\n", static_cast<unsigned long long>(total));
        std::fflush(stdout);
    });
    engine.setDurableCallback([](std::span<const Event> events) {
        for (const Event &e : events)
            // Id, source time and kind name the event (ids are per source); no wearer id or position.
            std::printf("{\"durable\": %llu, \"t\": %lld, \"kind\": \"%s\"}\n",
                        static_cast<unsigned long long>(e.sourceEventId), static_cast<long long>(e.sourceTimeMs),
                        qUtf8Printable(eventKindName(e.kind)));
        std::fflush(stdout);
    });
}

std::shared_ptr<const EngineBackend::Zones> zoneOutlines(const std::vector<SafetyDevice> &roster)
{
    auto zones = std::make_shared<EngineBackend::Zones>();
    for (const SafetyDevice &device : roster) {
        auto &outlines = (*zones)[device.id];
        for (const SafeZone &zone : device.safeZones)
            outlines.push_back(safeZoneOutline(zone));
    }
    return zones;
}

} // namespace

void CompositionRoot::startEngine()
{
    EngineOptions options;
    options.databasePath = m_options.databaseFile;
    // The demo's own history keeps a day of positions (5,000 simulated wearers write about
    // 3 GB a day); a configured database keeps the 30 days the center's rules allow.
    if (m_defaultDatabase)
        options.positionRetentionDays = 1;
    m_core = std::make_unique<Engine>(options);
    if (m_options.databaseFile.isEmpty()) {
        runEngine();
        return;
    }
    // The database is opened (migrated, its standing alarms and the sources' latest state read)
    // on a worker: the window stays responsive meanwhile, and no SQLite runs on the GUI thread.
    auto *watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        runEngine();
    });
    m_opening = QtConcurrent::run([core = m_core.get()] { core->openStore(); });
    watcher->setFuture(m_opening);
}

void CompositionRoot::runEngine()
{
    // The fusion rules shipped in the data folder (the same as the built-in ones unless a city
    // edits them); what is wrong in the file keeps the built-in rules and says so.
    const QString rulesFile = QDir(m_options.dataDir).filePath(QStringLiteral("fusion/rules.json"));
    if (QFile::exists(rulesFile)) {
        m_core->setFusionConfig(FusionConfig::load(rulesFile, &m_rulesProblems));
        for (const QString &problem : std::as_const(m_rulesProblems))
            qCWarning(lcApp, "fusion rules %s: %s; the built-in rules apply there",
                      qUtf8Printable(QDir::toNativeSeparators(rulesFile)), qUtf8Printable(problem));
    }
    m_core->setAssets(m_loadResult.registry);
    if (m_options.progress)
        printProgress(*m_core);
    BuiltSource built = makeSource(sourceSettings(m_options), m_loadResult.registry, m_core->sourceDirectory());
    for (const QString &warning : std::as_const(built.warnings))
        qCWarning(lcApp, "%s", qUtf8Printable(warning));
    m_source = built.source.get();
    if (const std::vector<SafetyDevice> roster = m_source->roster(); !roster.empty()) {
        m_core->setRoster(roster);
        m_zones = zoneOutlines(roster); // the map outlines a selected wearer's safe zones
    }
    m_core->addSource(std::move(built.source));
    // A live feed runs the timed rules (grace periods, escalation) on the wall clock too, so they
    // fire when nothing arrives; a replay or a simulation at another speed or time runs them on
    // the events' own clock alone.
    const bool live = m_options.replayFile.isEmpty() && m_options.simulationStartMs == 0 &&
                      (m_options.speed < 0 || m_options.speed == 1.0);
    // On the wall clock only: what the wall's tiles see of their cameras' pictures.
    if (m_ui && live) {
        auto pictures = std::make_unique<PictureHealthSource>(m_core->sourceDirectory());
        m_ui->wall()->setHealthReporter([source = pictures.get()](const Asset &site, int state) {
            if (state < int(CameraState::Online) || state > int(CameraState::Black))
                return;
            static const char *const said[] = {"online", "offline", "frozen", "black"}; // by CameraState
            if (source->observe(site.id, CameraState(state), QDateTime::currentMSecsSinceEpoch(), site.longitude,
                               site.latitude))
                qCInfo(lcApp, "camera %s: its picture says %s", qUtf8Printable(site.id), said[state]);
        });
        m_core->addSource(std::move(pictures));
    }
    m_core->start();
    m_tickTimer = new QTimer(this);
    connect(m_tickTimer, &QTimer::timeout, this,
            [this, live] { m_core->tick(live ? QDateTime::currentMSecsSinceEpoch() : 0); });
    m_tickTimer->start(1000);
    // Personal location data older than the retention is purged in the background, hourly.
    if (m_core->store()) {
        m_purgeTimer = new QTimer(this);
        connect(m_purgeTimer, &QTimer::timeout, this,
                [this] { m_core->purgeExpired(QDateTime::currentMSecsSinceEpoch()); });
        m_purgeTimer->start(3'600'000);
    }
    if (m_ui) {
        m_backend =
            std::make_unique<EngineBackend>(*m_core, live, !m_options.databaseFile.isEmpty(), m_rulesProblems, m_zones);
        m_ui->attach(*m_backend);
    }
    m_started = true;
    Q_EMIT engineStarted();
}

void CompositionRoot::startLoading()
{
    const QString dataDir = m_options.dataDir;
    auto *watcher = new QFutureWatcher<std::pair<LoadResult, double>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, dataDir] {
        auto [result, ms] = watcher->result();
        watcher->deleteLater();
        m_loadResult = std::move(result);
        m_loadMs = ms;
        m_loaded = true;
        qCInfo(lcApp, "loaded %zu assets from %s in %.0f ms (%lld rows rejected, %lld problems)",
               m_loadResult.registry->assets().size(), qUtf8Printable(dataDir), m_loadMs,
               m_loadResult.report.rejectedCount(), qlonglong(m_loadResult.report.problems.size()));
        if (m_ui) {
            m_ui->assets()->setLoadResult(m_loadResult.registry, m_loadResult.report, m_loadMs);
            startCameras();
        }
        Q_EMIT assetsLoaded();
    });
    watcher->setFuture(QtConcurrent::run([dataDir] {
        QElapsedTimer timer;
        timer.start();
        LoadResult result = AssetLoader::loadDirectory(dataDir);
        return std::make_pair(std::move(result), double(timer.nsecsElapsed()) / 1e6);
    }));
}

int CompositionRoot::runHeadless()
{
    int exitCode = 0;
    bool durationElapsed = false;
    bool finished = false;
    connect(this, &CompositionRoot::assetsLoaded, this, &CompositionRoot::startEngine);
    // A replay, or a simulation of --sim-seconds, ends the run when it is through (or at
    // --duration, if that comes first).
    const bool finite = !m_options.replayFile.isEmpty() || m_options.simulatedSeconds > 0;
    auto finishIfDone = [this, &exitCode, &durationElapsed, &finished, finite] {
        if (finished || !m_started)
            return;
        if (!durationElapsed && !(finite && m_core->drained(0)))
            return;
        finished = true;
        m_core->stop();
        QJsonObject report = headlessReport(m_loadResult, m_loadMs, m_options.durationSeconds);
        const QJsonObject engine = m_core->report();
        for (auto it = engine.begin(); it != engine.end(); ++it)
            report.insert(it.key(), it.value());
        if (const QJsonObject scenario = m_source ? m_source->report() : QJsonObject(); !scenario.isEmpty())
            report.insert(QStringLiteral("scenario"), scenario);
        if (!m_rulesProblems.isEmpty()) {
            report.insert(QStringLiteral("rules_problems"), QJsonArray::fromStringList(m_rulesProblems));
            report.insert(QStringLiteral("rules_problem"), m_rulesProblems.join(QStringLiteral("; ")));
        }
        QSaveFile file(m_options.reportFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(report).toJson()) < 0 || !file.commit()) {
            qCCritical(lcApp, "cannot write the report to %s: %s", qUtf8Printable(m_options.reportFile),
                       qUtf8Printable(file.errorString()));
            exitCode = 1;
        }
        QCoreApplication::exit(exitCode);
    };
    // --duration counts from when the engine runs, after the assets are loaded and the database open.
    connect(this, &CompositionRoot::engineStarted, this, [this, finite, &durationElapsed, finishIfDone] {
        if (!finite || m_options.durationSeconds > 0) {
            QTimer::singleShot(int(m_options.durationSeconds * 1000), this, [&durationElapsed, finishIfDone] {
                durationElapsed = true;
                finishIfDone();
            });
        }
    });
    QTimer poll;
    if (finite) {
        connect(&poll, &QTimer::timeout, this, finishIfDone);
        poll.start(50);
    }
    startLoading();
    return QCoreApplication::exec();
}

void CompositionRoot::startCameras()
{
    VideoWallFacade *wall = m_ui->wall();
    wall->setRegistry(m_loadResult.registry);
    if (!m_options.wallLayout.isEmpty())
        wall->setLayout(m_options.wallLayout);
    if (!m_options.wallShown || !m_loadResult.registry)
        return;
    // A city's own stream URLs always win; the simulator stands in for the sites without.
    const auto &assets = m_loadResult.registry->assets();
    const bool needed = std::any_of(assets.begin(), assets.end(), [](const Asset &a) {
        return a.kind == AssetKind::CameraSite && a.streamMain.isEmpty() && a.streamSub.isEmpty();
    });
    if (!needed)
        return;
    const QString program = SimulatedCameras::program();
    if (program.isEmpty()) {
        qCWarning(lcApp, "gwanje-camsim was not found next to the program or on the PATH: the wall has no "
                         "simulated video");
        wall->setProblem(tr("No simulated cameras: gwanje-camsim was not found."));
        return;
    }
    m_cameras = std::make_unique<SimulatedCameras>();
    connect(m_cameras.get(), &SimulatedCameras::ready, this, [this, wall] {
        wall->setProblem({});
        wall->setResolver([cameras = m_cameras.get(), wall](const Asset &site) {
            const QVariantMap info = wall->camera(site.id);
            return cameras->streamsFor(site.id, info.value(QStringLiteral("district")).toString() + QLatin1Char(' ') +
                                                    info.value(QStringLiteral("name")).toString());
        });
    });
    connect(m_cameras.get(), &SimulatedCameras::failed, wall, &VideoWallFacade::setProblem);
    // Enough for the largest layout, the alarms' cameras and the previews; each costs nothing
    // until watched.
    m_cameras->start(program, 32);
}

void CompositionRoot::installTranslator()
{
    if (m_options.language == QLatin1String("en"))
        return; // source strings are English
    m_translator = std::make_unique<QTranslator>();
    if (m_translator->load(QStringLiteral(":/i18n/gwanje_%1.qm").arg(m_options.language)))
        QCoreApplication::installTranslator(m_translator.get());
    else
        qCWarning(lcApp, "no %s translation found; showing English", qUtf8Printable(m_options.language));
}

int CompositionRoot::runGui()
{
    QLocale::setDefault(
        QLocale(m_options.language == QLatin1String("ko") ? QLocale::Korean : QLocale::English,
                m_options.language == QLatin1String("ko") ? QLocale::SouthKorea : QLocale::UnitedStates));
    installTranslator();
    if (m_options.databaseFile.isEmpty() && m_options.mode == Options::Mode::Gui) {
        // The console keeps its history (and resumes from it) in the user's data folder.
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
        if (QDir().mkpath(folder)) {
            m_options.databaseFile = QDir(folder).filePath(QStringLiteral("events.db"));
            m_defaultDatabase = true;
        }
    }
#if !defined(NDEBUG)
    // Debug builds: an SQLite query on the GUI thread (a frame waiting for the disk) is logged,
    // from the start (the database is opened on a worker).
    setQueryForbiddenThread(QThread::currentThread());
#endif
    m_ui = std::make_unique<ConsoleUi>(m_options.language);
    m_ui->alarms()->setDesk(m_options.desk);
    m_ui->wall()->setShown(m_options.wallShown);
    if (m_options.mode == Options::Mode::Gui) { // a screenshot leaves the desk's views as they were
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
        if (QDir().mkpath(folder))
            m_ui->wall()->setViewsFile(QDir(folder).filePath(QStringLiteral("wall.ini")), m_options.desk);
    }
    if (m_options.mode == Options::Mode::Gui) { // a screenshot run stays silent
        m_sound = std::make_unique<AlarmSound>();
        m_ui->alarms()->setSound(m_sound.get());
    }
    m_ui->basemap()->load(QDir(m_options.dataDir).filePath(QStringLiteral("map/layers.json")));
    QQuickWindow *window = m_ui->loadWindow();
    if (!window)
        return 1;
    connect(this, &CompositionRoot::assetsLoaded, this, &CompositionRoot::startEngine);
    startLoading();
    if (m_options.probeSeconds >= 0 && window)
        probeStartup(window);
    if (m_options.mode == Options::Mode::Screenshot)
        takeScreenshotWhenReady(window);
    return QCoreApplication::exec();
}

void CompositionRoot::probeStartup(QQuickWindow *window)
{
    struct Probe
    {
        int stage = 0;       // 1: the first frame said; 2: the first with data said
        bool timeUp = false; // the memory said
    };
    auto probe = std::make_shared<Probe>();
    auto say = [](const QByteArray &line) {
        std::printf("%s\n", line.constData());
        std::fflush(stdout);
    };
    // Ends once the memory is said and the data is on screen.
    auto endIfDone = [probe] {
        if (probe->timeUp && probe->stage == 2)
            QCoreApplication::exit(0);
    };
    // Frames are swapped on the render thread; the queued call says so on this one, in order.
    connect(window, &QQuickWindow::frameSwapped, this, [this, probe, say, endIfDone] {
        if (probe->stage == 0) {
            say(R"({"probe": "first_frame"})");
            probe->stage = 1;
        } else if (probe->stage == 1 && m_started) {
            say(R"({"probe": "data_frame"})");
            probe->stage = 2;
            endIfDone();
        }
    });
    QTimer::singleShot(int(m_options.probeSeconds * 1000), this, [probe, say, endIfDone] {
        double rssMb = -1;
#if defined(Q_OS_LINUX)
        QFile status(QStringLiteral("/proc/self/status"));
        if (status.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("VmRSS:"))
                    rssMb = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
            }
        }
#endif
        say(R"({"probe": "rss", "rss_mb": )" + QByteArray::number(rssMb, 'f', 1) + '}');
        probe->timeUp = true;
        endIfDone();
    });
}

// After a screenshot: each wall tile shown, where it is in the picture and what it showed, as a
// JSON line on stdout (the video tests check the pixels there).
void CompositionRoot::printWallTiles(QQuickWindow *window)
{
    const qreal ratio = window->effectiveDevicePixelRatio();
    for (CameraStream *stream : wallStreams(window->contentItem())) {
        auto *tile = qobject_cast<QQuickItem *>(stream->parent());
        if (!tile || !tile->isVisible())
            continue;
        const QRectF r = tile->mapRectToScene(QRectF(0, 0, tile->width(), tile->height()));
        QJsonObject line{
            {QStringLiteral("tile"), tile->objectName()},
            {QStringLiteral("camera"), tile->property("cameraId").toString()},
            {QStringLiteral("state"), QString::fromLatin1(QMetaEnum::fromType<CameraStream::State>().valueToKey(
                                          int(stream->state())))},
            {QStringLiteral("frames"), qint64(stream->framesShown())},
            {QStringLiteral("main"), tile->property("large").toBool()},
            {QStringLiteral("x"), qRound(r.x() * ratio)},
            {QStringLiteral("y"), qRound(r.y() * ratio)},
            {QStringLiteral("width"), qRound(r.width() * ratio)},
            {QStringLiteral("height"), qRound(r.height() * ratio)},
        };
        std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    }
    std::fflush(stdout);
}

void CompositionRoot::takeScreenshotWhenReady(QQuickWindow *window)
{
    // Wait for the data, then --after seconds more so the first frames with it are on screen.
    auto shoot = [this, window] {
        // And for the map's basemap tiles, which are drawn on worker threads.
        if (auto *map = window->findChild<MapView *>(QStringLiteral("map"))) {
            QElapsedTimer waited;
            waited.start();
            while (!map->tilesReady() && waited.elapsed() < 15000)
                QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        }
        // And for the wall's tiles to show a picture (or give up on a camera after 10 s).
        const QList<CameraStream *> streams = wallStreams(window->contentItem());
        QElapsedTimer waited;
        waited.start();
        auto waiting = [this, &streams] {
            if (m_cameras && !m_cameras->isReady() && m_cameras->problem().isEmpty())
                return true; // the simulated cameras are starting
            return std::any_of(streams.begin(), streams.end(), [](const CameraStream *s) {
                return s->isActive() && !s->url().isEmpty() && s->framesShown() == 0;
            });
        };
        while (waiting() && waited.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QCoreApplication::processEvents(QEventLoop::AllEvents, 100); // their frames on screen
        const QImage image = window->grabWindow();
        if (image.isNull() || !image.save(m_options.screenshotFile, "PNG")) {
            qCCritical(lcApp, "cannot save the screenshot to %s", qUtf8Printable(m_options.screenshotFile));
            QCoreApplication::exit(1);
            return;
        }
        qCInfo(lcApp, "screenshot saved to %s (%dx%d)", qUtf8Printable(m_options.screenshotFile), image.width(),
               image.height());
        printWallTiles(window);
        QCoreApplication::exit(0);
    };
    auto armTimer = [this, shoot] {
        QTimer::singleShot(int(m_options.afterSeconds * 1000), this, shoot);
    };
    if (m_started)
        armTimer();
    else
        connect(this, &CompositionRoot::engineStarted, this, armTimer, Qt::SingleShotConnection);
}

} // namespace gwanje
