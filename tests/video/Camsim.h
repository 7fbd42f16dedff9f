#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QString>

namespace gwanje::test {

// One gwanje-camsim process, driven through its stdin.
class Camsim
{
public:
    ~Camsim()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill(); // this PID only
            m_process.waitForFinished(5000);
        }
    }

    // port 0: a free one.
    bool start(int cameras, int port = 0)
    {
        m_out.clear();
        m_seen = 0;
        m_process.setProgram(QStringLiteral(GWANJE_BIN_DIR "/gwanje-camsim"));
        m_process.setArguments(
            {QStringLiteral("--cams"), QString::number(cameras), QStringLiteral("--port"), QString::number(port)});
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        QByteArray line;
        if (!waitFor("PORT ", 15000, &line))
            return false;
        m_port = line.mid(5).trimmed().toInt();
        return m_port > 0;
    }
    QString url(int camera, const char *stream) const
    {
        return QStringLiteral("rtsp://127.0.0.1:%1/cam/%2/%3").arg(m_port).arg(camera).arg(QLatin1String(stream));
    }
    // Sends a command and waits for the line that answers it.
    bool command(const QByteArray &line, const QByteArray &answer)
    {
        m_process.write(line + '\n');
        return waitFor(answer, 5000);
    }
    QByteArray output() const { return m_out; }
    int port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    // SIGKILL to this PID only.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    // Waits for a line of output holding `text` (after those already matched); *line: that line.
    bool waitFor(const QByteArray &text, int ms, QByteArray *line = nullptr)
    {
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            m_out += m_process.readAllStandardOutput();
            const qsizetype at = m_out.indexOf(text, m_seen);
            if (at >= 0) {
                const qsizetype end = m_out.indexOf('\n', at);
                if (line)
                    *line = m_out.mid(at, end < 0 ? -1 : end - at);
                m_seen = end < 0 ? m_out.size() : end + 1;
                return true;
            }
            if (clock.elapsed() > ms || m_process.state() == QProcess::NotRunning)
                return false;
            m_process.waitForReadyRead(100);
        }
    }

    QProcess m_process;
    QByteArray m_out;
    qsizetype m_seen = 0;
    int m_port = 0;
};

} // namespace gwanje::test
