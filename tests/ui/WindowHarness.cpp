#include "WindowHarness.h"

#include "MapView.h"
#include "store/QueryThread.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdlib>

Q_IMPORT_QML_PLUGIN(Gwanje_UiPlugin)
Q_IMPORT_QML_PLUGIN(GwanjePlugin)

namespace gwanje::test {

WindowHarness::~WindowHarness()
{
    m_ui.reset();
    setQueryForbiddenThread(nullptr);
}

bool WindowHarness::open(const QString &dataDir, QSize size, const QString &language)
{
    // As in the app's debug build: an SQLite query on the GUI thread is a warning, which fails the
    // test (failOnUnexpectedWarnings).
    setQueryForbiddenThread(QThread::currentThread());
    m_result = AssetLoader::loadDirectory(dataDir);
    m_ui = std::make_unique<ConsoleUi>(language);
    m_ui->assets()->setLoadResult(m_result.registry, m_result.report, 1.0);
    m_ui->basemap()->loadNow(dataDir + QStringLiteral("/map/layers.json"));
    m_window = m_ui->loadWindow();
    if (!m_window)
        return false;
    QSignalSpy swapped(m_window, &QQuickWindow::frameSwapped);
    m_window->resize(size);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window))
        return false;
    // Layouts are polished before a frame is rendered: one frame at the final size means settled.
    return QTest::qWaitFor([&] { return m_window->size() == size && !swapped.isEmpty(); }, 10000);
}

QQuickItem *WindowHarness::findItem(const QString &objectName) const
{
    std::vector<QQuickItem *> stack{m_window ? m_window->contentItem() : nullptr};
    while (!stack.empty()) {
        QQuickItem *item = stack.back();
        stack.pop_back();
        if (!item)
            continue;
        if (item->objectName() == objectName)
            return item;
        for (QQuickItem *child : item->childItems())
            stack.push_back(child);
    }
    return nullptr;
}

QImage WindowHarness::grab()
{
    auto *map = find<MapView>(QStringLiteral("map"));
    if (map && !QTest::qWaitFor([map] { return map->tilesReady(); }, 15000))
        qWarning("the map's tiles were not all drawn within 15 s");
    return m_window->grabWindow().convertToFormat(QImage::Format_RGB32);
}

int colorDistance(QColor a, QColor b)
{
    return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()), std::abs(a.blue() - b.blue())});
}

} // namespace gwanje::test
