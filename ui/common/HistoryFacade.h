#pragma once

#include "store/EventStore.h"

#include <QObject>
#include <QQmlEngine>
#include <QTimer>

#include <functional>

namespace gwanje {

// QML singleton `History`: whether the event history (the SQLite store) is being kept, for the
// status bar and the problem banner. Polls the store's status once a second; the composition
// root injects where it comes from. GUI thread.
class HistoryFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(History)
    QML_SINGLETON
    Q_PROPERTY(bool configured READ configured NOTIFY changed)
    Q_PROPERTY(bool healthy READ healthy NOTIFY changed)
    Q_PROPERTY(double stored READ stored NOTIFY changed)
    Q_PROPERTY(QString problem READ problem NOTIFY changed)

public:
    struct Snapshot
    {
        bool configured = false;
        StoreStatus status;
        StoreCounters counters;
    };
    using Provider = std::function<Snapshot()>;

    // No default argument: see AssetsFacade.
    explicit HistoryFacade(QObject *parent);
    static HistoryFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(HistoryFacade *instance);

    void setProvider(Provider provider, int intervalMs = 1000);
    void refresh();

    bool configured() const { return m_snapshot.configured; }
    bool healthy() const { return m_snapshot.configured && m_snapshot.status.open && m_snapshot.status.healthy; }
    double stored() const { return double(m_snapshot.counters.positionsStored + m_snapshot.counters.eventsStored); }
    // Empty when all is well; one translated sentence otherwise.
    QString problem() const;

Q_SIGNALS:
    void changed();

private:
    Provider m_provider;
    QTimer m_timer;
    Snapshot m_snapshot;
};

} // namespace gwanje
