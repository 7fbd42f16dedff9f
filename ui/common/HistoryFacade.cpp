#include "HistoryFacade.h"

#include "QmlSingleton_p.h"
#include "UiLogging.h"

namespace gwanje {

HistoryFacade::HistoryFacade(QObject *parent)
    : QObject(parent)
{
    connect(&m_timer, &QTimer::timeout, this, &HistoryFacade::refresh);
}

HistoryFacade *HistoryFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<HistoryFacade>("History");
}

void HistoryFacade::setInstance(HistoryFacade *instance)
{
    detail::singletonSlot<HistoryFacade>() = instance;
}

void HistoryFacade::setProvider(Provider provider, int intervalMs)
{
    m_provider = std::move(provider);
    refresh();
    m_timer.start(intervalMs);
}

void HistoryFacade::refresh()
{
    if (!m_provider)
        return;
    m_snapshot = m_provider();
    Q_EMIT changed();
}

QString HistoryFacade::problem() const
{
    if (!m_snapshot.configured || healthy())
        return {};
    const StoreStatus &s = m_snapshot.status;
    switch (s.code) {
    case ErrorCode::DiskFull:
        return tr("The disk is full: new events are not being saved (%n waiting). They are still shown.", "",
                  int(m_snapshot.counters.pending));
    case ErrorCode::NotADatabase:
    case ErrorCode::Corrupt:
        return tr("The event history file is damaged (%1). Events are shown but not kept.").arg(s.detail);
    case ErrorCode::CannotOpen:
        return tr("The event history cannot be opened (%1). Events are shown but not kept.").arg(s.detail);
    case ErrorCode::MigrationFailed:
        return tr("The event history is from a newer version (%1). Events are shown but not kept.").arg(s.detail);
    default:
        return tr("The event history cannot be written (%1). Events are shown; saving is retried.").arg(s.detail);
    }
}

} // namespace gwanje
