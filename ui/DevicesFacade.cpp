#include "DevicesFacade.h"

#include "UiLogging.h"

#include <QPointer>

namespace gwanje {

namespace {
QPointer<DevicesFacade> &instanceRef()
{
    static QPointer<DevicesFacade> instance;
    return instance;
}
} // namespace

DevicesFacade::DevicesFacade(QObject *parent)
    : QObject(parent)
{
    connect(&m_timer, &QTimer::timeout, this, &DevicesFacade::refresh);
}

DevicesFacade *DevicesFacade::create(QQmlEngine *, QJSEngine *)
{
    DevicesFacade *instance = instanceRef();
    if (!instance) {
        qCWarning(lcUi, "Devices singleton requested before the composition root created it");
        return new DevicesFacade(nullptr);
    }
    QJSEngine::setObjectOwnership(instance, QJSEngine::CppOwnership);
    return instance;
}

void DevicesFacade::setInstance(DevicesFacade *instance)
{
    instanceRef() = instance;
}

void DevicesFacade::setProvider(Provider provider, int intervalMs)
{
    m_provider = std::move(provider);
    refresh();
    m_timer.start(intervalMs);
}

void DevicesFacade::refresh()
{
    if (!m_provider)
        return;
    m_provider(m_points);
    m_sos = int(std::count_if(m_points.begin(), m_points.end(), [](const DevicePoint &p) { return p.sos; }));
    Q_EMIT updated();
}

} // namespace gwanje
