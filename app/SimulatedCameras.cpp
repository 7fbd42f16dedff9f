#include "SimulatedCameras.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>

#include <algorithm>

Q_LOGGING_CATEGORY(lcCamsim, "gwanje.app.camsim", QtInfoMsg)

namespace gwanje {

SimulatedCameras::SimulatedCameras(QObject *parent)
    : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SimulatedCameras::readOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_problem = tr("The simulated cameras could not start: %1").arg(m_process.errorString());
        qCWarning(lcCamsim, "gwanje-camsim could not start: %s", qUtf8Printable(m_process.errorString()));
        Q_EMIT failed(m_problem);
    });
    // stop() lets it go first: an end heard here was not asked for.
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        m_port = 0;
        m_problem = tr("The simulated cameras stopped (exit code %1)").arg(code);
        qCWarning(lcCamsim, "gwanje-camsim ended: %s, exit code %d",
                  status == QProcess::CrashExit ? "crashed" : "exited", code);
        Q_EMIT failed(m_problem);
    });
    // Its own log goes to ours; its answers are read above.
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
}

SimulatedCameras::~SimulatedCameras()
{
    stop();
}

QString SimulatedCameras::program()
{
    const QString name = QStringLiteral("gwanje-camsim");
    const QString besides = QStandardPaths::findExecutable(name, {QCoreApplication::applicationDirPath()});
    return besides.isEmpty() ? QStandardPaths::findExecutable(name) : besides;
}

void SimulatedCameras::start(const QString &program, int cameras)
{
    m_cameras = cameras;
    m_siteOf.assign(std::size_t(cameras), QString());
    m_askedAt.assign(std::size_t(cameras), 0);
    m_slotOf.clear();
    m_process.start(program, {QStringLiteral("--cams"), QString::number(cameras), QStringLiteral("--port"),
                              QStringLiteral("0")});
}

void SimulatedCameras::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.disconnect(this); // its end is ours, not a problem
    m_process.write("quit\n");
    if (!m_process.waitForFinished(2000)) {
        m_process.kill(); // by its PID
        m_process.waitForFinished(2000);
    }
    m_port = 0;
}

void SimulatedCameras::readOutput()
{
    m_pending += m_process.readAllStandardOutput();
    qsizetype end;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(end).trimmed();
        m_pending.remove(0, end + 1);
        if (line.startsWith("PORT ") && m_port == 0) {
            m_port = line.mid(5).toInt();
            qCInfo(lcCamsim, "%d simulated cameras on rtsp://127.0.0.1:%d", m_cameras, m_port);
            Q_EMIT ready();
        } else if (line.startsWith("error")) {
            qCWarning(lcCamsim, "gwanje-camsim: %s", line.constData());
        }
    }
}

CameraStreams SimulatedCameras::streamsFor(const QString &siteId, const QString &label)
{
    if (m_port <= 0 || m_cameras <= 0)
        return {};
    int slot = m_slotOf.value(siteId, -1);
    if (slot < 0) {
        // Lend the camera asked for least recently; its old site gets another when asked again.
        slot = int(std::min_element(m_askedAt.begin(), m_askedAt.end()) - m_askedAt.begin());
        if (!m_siteOf[std::size_t(slot)].isEmpty())
            m_slotOf.remove(m_siteOf[std::size_t(slot)]);
        m_siteOf[std::size_t(slot)] = siteId;
        m_slotOf.insert(siteId, slot);
        QByteArray text = label.toUtf8();
        text.replace('\n', ' ');
        m_process.write("label " + QByteArray::number(slot + 1) + ' ' + text + '\n');
    }
    m_askedAt[std::size_t(slot)] = ++m_asks;
    const QString base = QStringLiteral("rtsp://127.0.0.1:%1/cam/%2/").arg(m_port).arg(slot + 1);
    return {base + QLatin1String("main"), base + QLatin1String("sub")};
}

} // namespace gwanje
