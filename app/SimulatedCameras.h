#pragma once

#include "VideoWallFacade.h"

#include <QHash>
#include <QObject>
#include <QProcess>
#include <QString>

#include <vector>

namespace gwanje {

// The demo's cameras: `gwanje-camsim` as a child process on a free loopback port, its N simulated
// cameras lent to the city's camera sites that have no stream of their own, the least recently
// asked-for first, each showing the site's name in its picture. Started with the window, stopped
// (by its PID, with QProcess) when this goes. GUI thread.
class SimulatedCameras : public QObject
{
    Q_OBJECT

public:
    explicit SimulatedCameras(QObject *parent = nullptr);
    ~SimulatedCameras() override;

    // Where gwanje-camsim is: next to this program, else on the PATH; empty when nowhere.
    static QString program();
    // Starts it with `cameras` simulated cameras; ready() or failed() follow.
    void start(const QString &program, int cameras);
    void stop();
    bool isReady() const { return m_port > 0; }
    QString problem() const { return m_problem; }

    // The streams of a camera site: a simulated camera (the site's since it was first asked,
    // unless all were lent since), labelled with `label`. Empty until ready.
    CameraStreams streamsFor(const QString &siteId, const QString &label);

Q_SIGNALS:
    void ready();
    void failed(const QString &problem); // translated, for the banner

private:
    void readOutput();

    QProcess m_process;
    QByteArray m_pending; // stdout not yet a whole line
    int m_port = 0;
    int m_cameras = 0;
    QString m_problem;
    // Which site each simulated camera shows (index + 1 is its number) and when it was asked.
    std::vector<QString> m_siteOf;
    std::vector<quint64> m_askedAt;
    QHash<QString, int> m_slotOf;
    quint64 m_asks = 0;
};

} // namespace gwanje
