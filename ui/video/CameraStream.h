#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QString>
#include <QTimer>
#include <QVideoFrame>
#include <QVideoSink>

#include <memory>
#include <vector>

namespace gwanje {

// One camera's live picture for a wall tile: an RTSP pipeline of its own (GStreamer: rtspsrc
// with no jitter-buffer latency, H.264 decoded in software, I420 into an appsink), frames handed
// to a QVideoSink on the GUI thread on a beat shared by all streams (a wall redraws once per
// beat, not once per frame of each camera), one per beat; when the GUI falls behind, old frames
// are dropped, never new ones delayed for long. Not QMediaPlayer: Qt 6.4's GStreamer backend keeps rtspsrc's 2 s latency and its
// FFmpeg backend hangs on stop (DEVELOPERS.md, "Video"). rtspsrc says nothing when a camera goes
// silent or its server closes, so a watchdog on the GUI thread declares the picture stalled after
// stallMs without a frame and reconnects with back-off; errors (refused, not found, a bad URL)
// reconnect the same way and say why. Pipelines start and stop on worker threads: a camera that
// never answers never blocks the GUI. GUI thread.
//
// In QML (a wall tile): CameraStream { url: ...; videoSink: output.videoSink; active: visible }.
// It decodes only while active with a URL; a new URL while active reconnects.
class CameraStream : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QVideoSink *videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString reason READ reason NOTIFY stateChanged)
    Q_PROPERTY(Picture picture READ picture NOTIFY pictureChanged)

public:
    enum class State {
        Idle,       // not started
        Connecting, // asked for the picture, none yet
        Live,       // frames arriving
        Stalled,    // no frame for stallMs: reconnecting
        Error,      // the pipeline failed (reason()): reconnecting
    };
    Q_ENUM(State)

    // What the frames show, judged on each frame shown: the same picture (a camera or encoder
    // that hangs repeats its last frame; the codec's own small changes aside), or a dark flat
    // one, for pictureMs.
    enum class Picture {
        Unknown, // no frame since the start
        Moving,
        Frozen,
        Black,
    };
    Q_ENUM(Picture)
    // A decoded frame's luma, sampled (on the streaming thread).
    struct PictureStats
    {
        std::vector<uchar> samples;
        double mean = 0;
        double spread = 0;
    };

    explicit CameraStream(QObject *parent = nullptr);
    ~CameraStream() override;

    // A new URL while running reconnects to it (an empty one stops).
    void setUrl(const QString &url);
    QString url() const { return m_url; }
    // Where the frames go (not owned; may be null: frames are then only counted).
    void setVideoSink(QVideoSink *sink);
    QVideoSink *videoSink() const { return m_sink; }
    void setStallMs(int ms) { m_stallMs = ms; }
    void setPictureMs(int ms) { m_pictureMs = ms; }
    Picture picture() const { return m_picture; }

    void start();
    void stop();
    // QML's switch: start() when true and there is a URL, stop() when false.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    State state() const { return m_state; }
    QString reason() const { return m_reason; }
    quint64 framesShown() const { return m_framesShown; }
    // Decoded frames never handed to the sink: two newer ones came while they waited.
    quint64 framesDropped() const;
    QVideoFrame lastFrame() const { return m_lastFrame; }
    int reconnects() const { return m_reconnects; }

Q_SIGNALS:
    void urlChanged();
    void videoSinkChanged();
    void activeChanged();
    void stateChanged();
    void pictureChanged();
    void frameShown();

private:
    struct Shared;
    void openPipeline();
    void closePipeline();
    friend class FramePacer;
    void deliver();                  // the newest frame, on the GUI thread (the pacer's beat)
    void failed(const QString &why); // an error from the pipeline, on the GUI thread
    void watch();                    // the watchdog tick
    void retryLater(State state, const QString &why);
    void setState(State state, const QString &reason = {});
    void judgePicture(PictureStats stats);
    void setPicture(Picture picture);

    QString m_url;
    QPointer<QVideoSink> m_sink;
    std::shared_ptr<Shared> m_shared; // what the streaming threads may touch
    void *m_pipeline = nullptr;       // GstElement*, this stream's current pipeline
    State m_state = State::Idle;
    QString m_reason;
    QVideoFrame m_lastFrame;
    quint64 m_framesShown = 0;
    quint64 m_droppedBefore = 0; // by the pipelines let go
    double m_fps = 0;            // the stream's nominal frame rate, once known
    Picture m_picture = Picture::Unknown;
    int m_pictureMs = 3000;
    std::vector<uchar> m_lastSamples; // the last frame's, as sampled
    qint64 m_sameSinceMs = 0;  // monotonic: the picture has not changed since
    qint64 m_darkSinceMs = -1; // ... has been black since, or -1
    qint64 m_lastFrameMs = 0; // monotonic
    qint64 m_openedMs = 0;
    int m_stallMs = 3000;
    int m_backoffMs = 0;
    int m_reconnects = 0;
    bool m_running = false;
    bool m_active = false; // QML's wish; runs when there is also a URL
    QTimer m_watchdog;
    QTimer m_retry;
};

} // namespace gwanje
