#include "AppProcess.h"

namespace gwanje::test {

AppRun runApp(const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.setProgram(QStringLiteral(GWANJE_BIN_DIR "/gwanje"));
    process.setArguments(arguments);
    process.start();
    AppRun run;
    if (!process.waitForStarted(10000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        run.timedOut = true;
        process.kill(); // this process only, by its PID
        process.waitForFinished(5000);
    }
    run.crashed = process.exitStatus() == QProcess::CrashExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace gwanje::test
