#pragma once

#include "engine/Engine.h"

#include <QObject>
#include <QQmlEngine>
#include <QTimer>

#include <functional>
#include <vector>

namespace gwanje {

// QML singleton `Devices`: the live safety devices for the views. Polls a snapshot of the
// engine's device state a few times a second (never one QObject per device). The composition
// root creates it and injects where snapshots come from. GUI thread.
class DevicesFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Devices)
    QML_SINGLETON
    Q_PROPERTY(int count READ count NOTIFY updated)
    Q_PROPERTY(int sosCount READ sosCount NOTIFY updated)

public:
    using Provider = std::function<void(std::vector<DevicePoint> &)>;

    // No default argument: see AssetsFacade.
    explicit DevicesFacade(QObject *parent);
    static DevicesFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(DevicesFacade *instance);

    // Starts polling provider every intervalMs (and once right away).
    void setProvider(Provider provider, int intervalMs = 250);
    void refresh();

    int count() const { return int(m_points.size()); }
    int sosCount() const { return m_sos; }
    const std::vector<DevicePoint> &points() const { return m_points; }

Q_SIGNALS:
    void updated();

private:
    Provider m_provider;
    QTimer m_timer;
    std::vector<DevicePoint> m_points;
    int m_sos = 0;
};

} // namespace gwanje
