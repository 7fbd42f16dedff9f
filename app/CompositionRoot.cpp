#include "CompositionRoot.h"

#include "AlarmSound.h"
#include "AlarmsFacade.h"
#include "AssetsFacade.h"
#include "BasemapFacade.h"
#include "DevicesFacade.h"
#include "HeadlessReport.h"
#include "HistoryFacade.h"
#include "MapView.h"
#include "UiLogging.h"
#include "engine/Engine.h"
#include "engine/SourceFactory.h"
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
#include <QQuickWindow>
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
    // QML first: its bindings read the singletons below.
    m_engine.reset();
    AssetsFacade::setInstance(nullptr);
    DevicesFacade::setInstance(nullptr);
    HistoryFacade::setInstance(nullptr);
    BasemapFacade::setInstance(nullptr);
    AlarmsFacade::setInstance(nullptr);
    if (m_core)
        m_core->setAlarmsChangedCallback({});
    m_alarms.reset();
    m_devices.reset();
    m_history.reset();
    m_core.reset();
}

void CompositionRoot::startEngine()
{
    EngineOptions options;
    options.databasePath = m_options.databaseFile;
    // The demo's own history keeps a day of positions (5,000 simulated wearers write about
    // 3 GB a day); a configured database keeps the 30 days the center's rules allow.
    if (m_defaultDatabase)
        options.positionRetentionDays = 1;
    m_core = std::make_unique<Engine>(options);
    if (!m_options.databaseFile.isEmpty())
        m_core->openStore();
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
    if (m_options.progress) {
        m_core->setCommitCallback([](quint64 total) {
            std::printf("{\"committed\": %llu}\n", static_cast<unsigned long long>(total));
            std::fflush(stdout);
        });
        m_core->setDurableCallback([](std::span<const Event> events) {
            for (const Event &e : events)
                // Id, source time and kind name the event (ids are per source); no wearer id or position.
                std::printf("{\"durable\": %llu, \"t\": %lld, \"kind\": \"%s\"}\n",
                            static_cast<unsigned long long>(e.sourceEventId), static_cast<long long>(e.sourceTimeMs),
                            qUtf8Printable(eventKindName(e.kind)));
            std::fflush(stdout);
        });
    }
    SourceSettings feed;
    feed.replayFile = m_options.replayFile;
    feed.speed = m_options.speed;
    feed.dataDir = m_options.dataDir;
    feed.simulator.devices = m_options.devices;
    feed.simulator.seed = m_options.seed;
    feed.simulator.startMs = m_options.simulationStartMs;
    feed.simulator.scenario = scenarioFromName(m_options.scenario).value_or(Scenario::Normal);
    feed.simulator.stopAfterSeconds = m_options.simulatedSeconds;
    feed.simulator.lockstep = m_options.lockstep;
    BuiltSource built = makeSource(feed, m_loadResult.registry, m_core->sourceDirectory());
    for (const QString &warning : std::as_const(built.warnings))
        qCWarning(lcApp, "%s", qUtf8Printable(warning));
    m_source = built.source.get();
    if (const std::vector<SafetyDevice> roster = m_source->roster(); !roster.empty()) {
        m_core->setRoster(roster);
        // The map outlines the safe zones of a selected wearer.
        auto zones = std::make_shared<QHash<QString, std::vector<std::vector<QPointF>>>>();
        for (const SafetyDevice &device : roster) {
            auto &outlines = (*zones)[device.id];
            for (const SafeZone &zone : device.safeZones)
                outlines.push_back(safeZoneOutline(zone));
        }
        m_zones = zones;
    }
    m_core->addSource(std::move(built.source));
    m_core->start();
#if !defined(NDEBUG)
    // Debug builds: from here on, an SQLite query on the GUI thread (a frame waiting for the disk)
    // is logged. Opening the stores above still queries on it, once, before the map shows.
    if (m_options.mode != Options::Mode::Headless)
        setQueryForbiddenThread(QThread::currentThread());
#endif
    // A live feed runs the timed rules (grace periods, escalation) on the wall clock too, so they
    // fire when nothing arrives; a replay or a simulation at another speed or time runs them on
    // the events' own clock alone.
    const bool live = m_options.replayFile.isEmpty() && m_options.simulationStartMs == 0 &&
                      (m_options.speed < 0 || m_options.speed == 1.0);
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
    if (m_alarms) {
        Engine *core = m_core.get();
        // The GUI thread never waits for an operator's command to reach the disk.
        m_alarms->setAsyncCommandExecutor([core](const AlarmCommand &c, AlarmsFacade::Done done) {
            return core->submitAlarmCommand(c, std::move(done));
        });
        m_alarms->setHistoryProvider([core](qint64 id) { return core->alarmHistory(id); });
        m_alarms->setProcedureProvider([core](const QString &type) -> std::optional<Procedure> {
            const auto &procedures = core->fusionConfig().procedures;
            const auto it = procedures.constFind(type);
            return it == procedures.constEnd() ? std::nullopt : std::optional<Procedure>(*it);
        });
        if (!live && m_devices) {
            // Ages count on the events' clock when they do not run on the wall's: the newest fix.
            m_alarms->setClock([devices = m_devices.get()] {
                qint64 newest = 0;
                for (const DevicePoint &p : devices->points())
                    newest = std::max(newest, p.timeMs);
                return newest > 0 ? newest : QDateTime::currentMSecsSinceEpoch();
            });
        }
        m_alarms->setProblemsProvider([core, rules = m_rulesProblems, configured = !m_options.databaseFile.isEmpty()] {
            QStringList out;
            for (const QString &problem : rules)
                out.append(tr("Alarm rules file: %1. The built-in rules apply there.").arg(problem));
            const NotifierStatus notifier = core->notifierStatus();
            if (!notifier.running && notifier.code != ErrorCode::NoUrl)
                out.append(
                    tr("Guardians are not sent SMS: the gateway settings are unusable (%1).").arg(notifier.detail));
            else if (notifier.running && !notifier.durable)
                out.append(tr("Guardian SMS are sent but not recorded (%1): after a restart one may be sent twice.")
                               .arg(notifier.detail));
            const StoreStatus alarms = core->alarmStoreStatus();
            if (configured && (!alarms.open || !alarms.healthy))
                out.append(tr("Alarm changes are not being saved (%1); they stay on screen.").arg(alarms.detail));
            return out;
        });
        // The callback makes an SOS show in the next frame; the 100 ms poll is the safety net.
        core->setAlarmsChangedCallback(m_alarms->changeNotifier());
        m_alarms->setSnapshotProvider([core] { return core->alarmSnapshot(); },
                                      [core] { return core->alarmsVersion(); });
    }
    if (m_history) {
        m_history->setProvider([core = m_core.get(), configured = !m_options.databaseFile.isEmpty()] {
            HistoryFacade::Snapshot snapshot;
            snapshot.configured = configured;
            if (EventStore *store = core->store()) {
                snapshot.status = store->status();
                snapshot.counters = store->counters();
            }
            return snapshot;
        });
    }
    if (m_devices) {
        m_devices->setProvider([core = m_core.get()](std::vector<DevicePoint> &out) { core->devicePoints(out); });
        m_devices->setSourceLookup(
            [sources = m_core->sourceDirectory()](const QString &id) { return sources->find(id); });
        if (m_zones) {
            m_devices->setZoneProvider([core = m_core.get(), zones = m_zones](quint32 source) {
                return zones->value(core->sourceDirectory()->id(source));
            });
        }
        m_devices->setStatusProvider([core = m_core.get()](quint64 since, std::vector<AssetStatusPoint> &out) {
            return core->assetStatus(since, out);
        });
        if (m_core->store() && m_core->store()->status().open) {
            m_devices->setTrackProvider([core = m_core.get()](quint32 source, qint64 from, qint64 to) {
                std::vector<QPointF> line;
                for (const TrackPoint &p : core->store()->track(core->sourceDirectory()->id(source), from, to))
                    line.emplace_back(p.longitude, p.latitude);
                return line;
            });
            // The heat map: what went wrong in the last hour, anywhere in the city. Routine
            // readings and devices coming back are not events an operator looks for.
            m_devices->setHeatProvider([core = m_core.get()](qint64 from, qint64 to) {
                std::vector<DevicesFacade::HeatPoint> heat;
                const GeoRect world = GeoRect::fromEdges(-180, -85, 180, 85);
                const auto events = core->store()->eventsIn(
                    world, from, to, 50'000,
                    {EventKind::Sos, EventKind::Fall, EventKind::DeviceOffline, EventKind::ApStatus,
                     EventKind::CameraHealth, EventKind::StreetlightStatus, EventKind::CitizenReport},
                    EventStore::Order::NewestFirst); // past the limit, the oldest go
                for (const Event &e : events) {
                    const bool bad = (e.kind != EventKind::ApStatus && e.kind != EventKind::CameraHealth &&
                                      e.kind != EventKind::StreetlightStatus) ||
                                     (e.kind == EventKind::ApStatus ? e.status == 0 : e.status != 0);
                    if (bad)
                        heat.push_back({e.longitude, e.latitude,
                                        e.kind == EventKind::Sos    ? 3.0f
                                        : e.kind == EventKind::Fall ? 2.0f
                                                                    : 1.0f});
                }
                return heat;
            });
        }
    }
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
        if (m_assets)
            m_assets->setLoadResult(m_loadResult.registry, m_loadResult.report, m_loadMs);
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
        if (finished || !m_loaded || !m_core)
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
    // --duration counts from when the engine runs, after the assets are loaded.
    connect(this, &CompositionRoot::assetsLoaded, this, [this, finite, &durationElapsed, finishIfDone] {
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
    m_assets = std::make_unique<AssetsFacade>(nullptr);
    AssetsFacade::setInstance(m_assets.get());
    m_devices = std::make_unique<DevicesFacade>(nullptr);
    DevicesFacade::setInstance(m_devices.get());
    m_history = std::make_unique<HistoryFacade>(nullptr);
    HistoryFacade::setInstance(m_history.get());
    m_basemap = std::make_unique<BasemapFacade>(nullptr);
    BasemapFacade::setInstance(m_basemap.get());
    m_alarms = std::make_unique<AlarmsFacade>(nullptr);
    m_alarms->setLanguage(m_options.language);
    m_alarms->setDesk(m_options.desk);
    AlarmsFacade::setInstance(m_alarms.get());
    if (m_options.mode == Options::Mode::Gui) { // a screenshot run stays silent
        m_sound = std::make_unique<AlarmSound>();
        m_alarms->setSound(m_sound.get());
    }
    m_basemap->load(QDir(m_options.dataDir).filePath(QStringLiteral("map/layers.json")));

    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->setUiLanguage(m_options.language);
    m_engine->addImportPath(QStringLiteral("qrc:/"));
    connect(m_engine.get(), &QQmlApplicationEngine::warnings, this, [](const QList<QQmlError> &warnings) {
        for (const QQmlError &w : warnings)
            qCWarning(lcUi, "%s", qUtf8Printable(w.toString()));
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    m_engine->loadFromModule(QStringLiteral("Gwanje"), QStringLiteral("Main"));
#else
    m_engine->load(QUrl(QStringLiteral("qrc:/Gwanje/Main.qml")));
#endif
    if (m_engine->rootObjects().isEmpty()) {
        qCCritical(lcApp, "the main window could not be created");
        return 1;
    }
    auto *window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    connect(this, &CompositionRoot::assetsLoaded, this, &CompositionRoot::startEngine);
    startLoading();
    if (m_options.probeSeconds >= 0 && window)
        probeStartup(window);
    if (m_options.mode == Options::Mode::Screenshot) {
        if (!window) {
            qCCritical(lcApp, "the main QML object is not a window");
            return 1;
        }
        takeScreenshotWhenReady(window);
    }
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
        } else if (probe->stage == 1 && m_core) {
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
        const QImage image = window->grabWindow();
        if (image.isNull() || !image.save(m_options.screenshotFile, "PNG")) {
            qCCritical(lcApp, "cannot save the screenshot to %s", qUtf8Printable(m_options.screenshotFile));
            QCoreApplication::exit(1);
            return;
        }
        qCInfo(lcApp, "screenshot saved to %s (%dx%d)", qUtf8Printable(m_options.screenshotFile), image.width(),
               image.height());
        QCoreApplication::exit(0);
    };
    auto armTimer = [this, shoot] {
        QTimer::singleShot(int(m_options.afterSeconds * 1000), this, shoot);
    };
    if (m_loaded)
        armTimer();
    else
        connect(this, &CompositionRoot::assetsLoaded, this, armTimer, Qt::SingleShotConnection);
}

} // namespace gwanje
