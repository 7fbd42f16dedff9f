#include "QueryThread.h"

#include "Logging.h"

#include <QThread>

#include <atomic>

namespace gwanje {

namespace {
std::atomic<QThread *> forbidden{nullptr};
}

void setQueryForbiddenThread(QThread *thread)
{
    forbidden.store(thread, std::memory_order_release);
}

void checkQueryThread(const char *query)
{
    QThread *thread = forbidden.load(std::memory_order_acquire);
    if (thread && QThread::currentThread() == thread)
        qCWarning(lcStore, "%s: an SQLite query on the GUI thread (it must run on a worker)", query);
}

} // namespace gwanje
