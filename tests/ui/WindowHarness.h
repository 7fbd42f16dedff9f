#pragma once

#include "AlarmsFacade.h"
#include "AssetsFacade.h"
#include "BasemapFacade.h"
#include "ConsoleUi.h"
#include "DevicesFacade.h"
#include "HistoryFacade.h"
#include "data/AssetLoader.h"

#include <QQmlApplicationEngine>
#include <QQuickWindow>

#include <memory>

namespace gwanje::test {

// The real main window (module Gwanje, Main.qml) on data loaded from a directory, built by the
// app's own ConsoleUi, for in-process UI tests.
class WindowHarness
{
public:
    WindowHarness() = default;
    ~WindowHarness();

    // Loads data synchronously, creates the window at the given size and waits until it is exposed.
    bool open(const QString &dataDir, QSize size = QSize(1600, 900), const QString &language = QStringLiteral("en"));

    QQuickWindow *window() const { return m_window; }
    AssetsFacade *assets() const { return m_ui ? m_ui->assets() : nullptr; }
    DevicesFacade *devices() const { return m_ui ? m_ui->devices() : nullptr; }
    HistoryFacade *history() const { return m_ui ? m_ui->history() : nullptr; }
    BasemapFacade *basemap() const { return m_ui ? m_ui->basemap() : nullptr; }
    AlarmsFacade *alarms() const { return m_ui ? m_ui->alarms() : nullptr; }
    // The facades and the window, as the app builds them; attach() a ConsoleBackend to drive them.
    ConsoleUi *ui() const { return m_ui.get(); }
    const LoadResult &loadResult() const { return m_result; }
    // The window as drawn, once the map's basemap tiles for the view are in.
    QImage grab();
    // An item by object name in the visual tree (finds what Repeaters create, which find() does not).
    QQuickItem *findItem(const QString &objectName) const;
    template<typename T> T *find(const QString &objectName) const
    {
        return m_window ? m_window->findChild<T *>(objectName) : nullptr;
    }

private:
    LoadResult m_result;
    std::unique_ptr<ConsoleUi> m_ui;
    QQuickWindow *m_window = nullptr;
};

// Colour distance (max over channels).
int colorDistance(QColor a, QColor b);

} // namespace gwanje::test
