#include "ConsoleUi.h"

#include "AlarmListModel.h"
#include "AlarmsFacade.h"
#include "AssetsFacade.h"
#include "BasemapFacade.h"
#include "ConsoleBackend.h"
#include "DevicesFacade.h"
#include "HistoryFacade.h"
#include "UiLogging.h"
#include "VideoWallFacade.h"

#include <QDateTime>
#include <QQmlApplicationEngine>
#include <QQuickWindow>

#include <algorithm>

namespace gwanje {

ConsoleUi::ConsoleUi(const QString &language)
    : m_language(language)
    , m_assets(std::make_unique<AssetsFacade>(nullptr))
    , m_devices(std::make_unique<DevicesFacade>(nullptr))
    , m_history(std::make_unique<HistoryFacade>(nullptr))
    , m_basemap(std::make_unique<BasemapFacade>(nullptr))
    , m_alarms(std::make_unique<AlarmsFacade>(nullptr))
    , m_wall(std::make_unique<VideoWallFacade>(nullptr))
{
    m_alarms->setLanguage(language);
    AssetsFacade::setInstance(m_assets.get());
    DevicesFacade::setInstance(m_devices.get());
    HistoryFacade::setInstance(m_history.get());
    BasemapFacade::setInstance(m_basemap.get());
    AlarmsFacade::setInstance(m_alarms.get());
    VideoWallFacade::setInstance(m_wall.get());
    // Alarm auto-pop: the desk's alarms with cameras that wait for acknowledgment go to the wall.
    QObject::connect(m_alarms.get(), &AlarmsFacade::alarmsApplied, m_wall.get(), [this] {
        std::vector<WallAlarm> waiting;
        for (const Alarm &a : m_alarms->model()->allAlarms()) {
            const bool unacknowledged =
                a.state == AlarmState::Unacknowledged || a.state == AlarmState::ReturnedUnacknowledged;
            if (!unacknowledged || a.cameras.isEmpty() || !a.dispatchedTo(m_alarms->desk()))
                continue;
            const QString title = a.district.isEmpty() ? AlarmListModel::typeText(a.type)
                                                       : AlarmListModel::typeText(a.type) + QStringLiteral(" · ") + a.district;
            waiting.push_back({a.id, a.priority, title, a.cameras});
        }
        m_wall->setAlarms(std::move(waiting));
    });
}

ConsoleUi::~ConsoleUi()
{
    m_engine.reset();
    AssetsFacade::setInstance(nullptr);
    DevicesFacade::setInstance(nullptr);
    HistoryFacade::setInstance(nullptr);
    BasemapFacade::setInstance(nullptr);
    AlarmsFacade::setInstance(nullptr);
    VideoWallFacade::setInstance(nullptr);
}

QQuickWindow *ConsoleUi::loadWindow()
{
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->setUiLanguage(m_language);
    m_engine->addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(m_engine.get(), &QQmlApplicationEngine::warnings, m_engine.get(),
                     [](const QList<QQmlError> &warnings) {
                         for (const QQmlError &w : warnings)
                             qCWarning(lcUi, "%s", qUtf8Printable(w.toString()));
                     });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    m_engine->loadFromModule(QStringLiteral("Gwanje"), QStringLiteral("Main"));
#else
    m_engine->load(QUrl(QStringLiteral("qrc:/Gwanje/Main.qml")));
#endif
    if (m_engine->rootObjects().isEmpty()) {
        qCCritical(lcUi, "the main window could not be created");
        return nullptr;
    }
    auto *window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!window)
        qCCritical(lcUi, "the main QML object is not a window");
    return window;
}

void ConsoleUi::attach(ConsoleBackend &backend)
{
    ConsoleBackend *b = &backend;
    // Alarms: the GUI thread never waits for an operator's command to reach the disk.
    m_alarms->setAsyncCommandExecutor(
        [b](const AlarmCommand &c, AlarmsFacade::Done done) { return b->submitAlarmCommand(c, std::move(done)); });
    m_alarms->setHistoryProvider([b](qint64 id) { return b->alarmHistory(id); });
    m_alarms->setProcedureProvider([b](const QString &type) { return b->procedure(type); });
    if (!backend.live()) {
        // Ages count on the events' clock when they do not run on the wall's: the newest fix.
        m_alarms->setClock([devices = m_devices.get()] {
            qint64 newest = 0;
            for (const DevicePoint &p : devices->points())
                newest = std::max(newest, p.timeMs);
            return newest > 0 ? newest : QDateTime::currentMSecsSinceEpoch();
        });
    }
    m_alarms->setProblemsProvider([b] { return b->problems(); });
    // The callback makes an SOS show in the next frame; the poll of the version is the safety net.
    backend.setAlarmsChangedCallback(m_alarms->changeNotifier());
    m_alarms->setSnapshotProvider([b] { return b->alarmSnapshot(); }, [b] { return b->alarmsVersion(); });

    m_history->setProvider([b] { return b->historySnapshot(); });

    m_devices->setProvider([b](std::vector<DevicePoint> &out) { b->devicePoints(out); });
    m_devices->setSourceLookup([b](const QString &id) { return b->sourceIndex(id); });
    m_devices->setZoneProvider([b](quint32 source) { return b->safeZones(source); });
    m_devices->setStatusProvider(
        [b](quint64 since, std::vector<AssetStatusPoint> &out) { return b->assetStatus(since, out); });
    if (backend.hasHistory()) {
        m_devices->setTrackProvider([b](quint32 source, qint64 from, qint64 to) { return b->track(source, from, to); });
        m_devices->setHeatProvider([b](qint64 from, qint64 to) { return b->heat(from, to); });
    }
}

} // namespace gwanje
