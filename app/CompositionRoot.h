#pragma once

#include "CommandLine.h"
#include "data/AssetLoader.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointF>
#include <QStringList>

#include <memory>
#include <vector>

class QQuickWindow;
class QTimer;
class QTranslator;

namespace gwanje {

class AlarmSound;
class ConsoleUi;
class Engine;
class EngineBackend;
class SimulatedCameras;
class Source;

// Builds the services of one process and wires them: the asset loader (on a worker thread), the
// QML singletons and the engine. Owns all of them; lives in the main thread.
class CompositionRoot : public QObject
{
    Q_OBJECT

public:
    explicit CompositionRoot(Options options, QObject *parent = nullptr);
    ~CompositionRoot() override;

    // Each needs the matching application object to exist; returns the exit code.
    int runHeadless(); // QCoreApplication
    int runGui();      // QGuiApplication; also --screenshot

Q_SIGNALS:
    void assetsLoaded();
    void engineStarted(); // the engine runs (its database open) and the screen reads it

private:
    void startLoading();
    void startEngine(); // builds the engine and opens its database on a worker, then runEngine()
    void runEngine();
    void installTranslator();
    // The wall's cameras once the assets are loaded: the city's streams, else the simulated ones.
    void startCameras();
    void takeScreenshotWhenReady(QQuickWindow *window);
    static void printWallTiles(QQuickWindow *window);
    // --probe-startup: for gwanje-bench, a line on stdout at the window's first frame, at the
    // first frame after the engine started on the shipped data, and the resident memory after
    // the given seconds; then the run ends.
    void probeStartup(QQuickWindow *window);

    Options m_options;
    LoadResult m_loadResult;
    bool m_loaded = false;
    bool m_started = false;         // the engine runs
    QFuture<void> m_opening;        // the database being opened
    bool m_defaultDatabase = false; // the GUI's own history file, not one given with --db
    QTimer *m_purgeTimer = nullptr;
    QTimer *m_tickTimer = nullptr;
    QStringList m_rulesProblems; // what is wrong in the fusion rules file (English); those parts are built-in
    double m_loadMs = 0.0;
    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<AlarmSound> m_sound;
    // The simulated wearers' safe zones by device id (outlines, lon/lat), for the map.
    std::shared_ptr<const QHash<QString, std::vector<std::vector<QPointF>>>> m_zones;
    std::unique_ptr<Engine> m_core;
    Source *m_source = nullptr;               // owned by m_core
    std::unique_ptr<EngineBackend> m_backend; // the screen's view of m_core
    std::unique_ptr<SimulatedCameras> m_cameras; // the demo's cameras (gwanje-camsim), when needed
    std::unique_ptr<ConsoleUi> m_ui;             // the facades and the window (GUI runs)
};

} // namespace gwanje
