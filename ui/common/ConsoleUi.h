#pragma once

#include <QString>

#include <memory>

class QQmlApplicationEngine;
class QQuickWindow;

namespace gwanje {

class AlarmsFacade;
class AssetsFacade;
class BasemapFacade;
class ConsoleBackend;
class DevicesFacade;
class HistoryFacade;
class VideoWallFacade;

// The console's screen as the app and the window tests build it: the facades (QML singletons
// Assets, Devices, History, Basemap, Alarms, Wall), the main window (module Gwanje, Main.qml), and
// attach(), which makes the facades read the engine through one ConsoleBackend. GUI thread.
class ConsoleUi
{
public:
    // Creates the facades and installs them as the QML singletons.
    explicit ConsoleUi(const QString &language);
    // The window first (its bindings read the facades), then the facades.
    ~ConsoleUi();
    ConsoleUi(const ConsoleUi &) = delete;
    ConsoleUi &operator=(const ConsoleUi &) = delete;

    // Loads Main.qml; the window, or null (said in gwanje.ui).
    QQuickWindow *loadWindow();
    // From now on the facades read `backend` (which must outlive this, or attach() again).
    void attach(ConsoleBackend &backend);

    AssetsFacade *assets() const { return m_assets.get(); }
    DevicesFacade *devices() const { return m_devices.get(); }
    HistoryFacade *history() const { return m_history.get(); }
    BasemapFacade *basemap() const { return m_basemap.get(); }
    AlarmsFacade *alarms() const { return m_alarms.get(); }
    VideoWallFacade *wall() const { return m_wall.get(); }
    QQmlApplicationEngine *qmlEngine() const { return m_engine.get(); }

private:
    QString m_language;
    std::unique_ptr<AssetsFacade> m_assets;
    std::unique_ptr<DevicesFacade> m_devices;
    std::unique_ptr<HistoryFacade> m_history;
    std::unique_ptr<BasemapFacade> m_basemap;
    std::unique_ptr<AlarmsFacade> m_alarms;
    std::unique_ptr<VideoWallFacade> m_wall;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
};

} // namespace gwanje
