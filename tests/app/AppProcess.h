#pragma once

#include <QProcess>
#include <QStringList>

namespace gwanje::test {

struct AppRun
{
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;
};

// Runs build/bin/gwanje with arguments and waits for it (killed by its PID after timeoutMs).
AppRun runApp(const QStringList &arguments, int timeoutMs = 60000);

} // namespace gwanje::test
